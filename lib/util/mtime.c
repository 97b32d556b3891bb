/*
 * mtime.c - monotonic and wall-clock time (see include/paceline/mtime.h).
 */
#include "paceline/mtime.h"

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t
pl_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}
uint64_t
pl_mono_us(void)
{
	return pl_mono_ns() / 1000u;
}
uint64_t
pl_mono_ms(void)
{
	return pl_mono_ns() / 1000000u;
}
uint64_t
pl_wall_ms(void)
{
	return clock_ns(CLOCK_REALTIME) / 1000000u;
}
time_t
pl_wall_s(void)
{
	return (time_t)(clock_ns(CLOCK_REALTIME) / 1000000000u);
}

uint64_t
pl_deadline(uint64_t ms)
{
	return pl_mono_ms() + ms;
}

uint64_t
pl_deadline_left(uint64_t deadline)
{
	uint64_t now = pl_mono_ms();

	return now >= deadline ? 0 : deadline - now;
}
