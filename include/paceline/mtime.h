/*
 * mtime.h - time. Intervals and deadlines use the monotonic clock, always;
 * wall-clock time only for what users read (timestamps, last-rc-change).
 */
#ifndef PACELINE_MTIME_H
#define PACELINE_MTIME_H

#include <stdint.h>
#include <time.h>

uint64_t pl_mono_ms(void);
uint64_t pl_mono_us(void);
uint64_t pl_mono_ns(void);
time_t pl_wall_s(void);
uint64_t pl_wall_ms(void);

/* Deadlines: pl_deadline(ms) now + ms; pl_deadline_left() in ms, 0 once passed. */
uint64_t pl_deadline(uint64_t ms);
uint64_t pl_deadline_left(uint64_t deadline);

#endif
