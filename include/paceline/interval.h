/*
 * interval.h - Pacemaker time values (operation intervals and timeouts, cluster options such
 * as cluster-recheck-interval) to milliseconds.
 *
 * Accepted, with optional spaces around and between number and unit:
 *   "10" (seconds, Pacemaker's default unit), "1.5s", "500ms", "10us", "1min", "1h";
 *   unit spellings, case-insensitive: ms msec msecs, us usec usecs, s sec secs second seconds,
 *   m min mins minute minutes, h hr hrs hour hours;
 *   ISO 8601 durations "PT10S", "PT1M30S", "P1DT2H", "P2W", "PT0.5S" (W, D, H, M, S; a fraction
 *   only on seconds; years and months are refused, they have no fixed length).
 * Results are truncated to whole milliseconds ("10us" is 0).
 *
 * Differences from Pacemaker 2.1.5, on purpose (docs/design/common.md): decimals count
 * ("1.5s" is 1500, Pacemaker truncates to 1000), unknown units and trailing text are errors
 * (Pacemaker reads "10s junk" as 10s and "10x" as invalid-means-default), ISO durations work
 * for timeouts too, and "P1D" is a full day (Pacemaker 2.1.5 drops one day from D and W).
 */
#ifndef PACELINE_INTERVAL_H
#define PACELINE_INTERVAL_H

#include <stdbool.h>
#include <stdint.h>

struct pl_error;

/* true with *ms set, or false with err (code PL_EXIT_CONFIG) naming the value and the problem:
 * "invalid interval '10x': unknown unit 'x' (expected ms, us, s, min or h)". The text has no
 * location: callers prefix the file and line or the XML path they know. */
bool pl_interval_parse_ms(const char *text, uint64_t *ms, struct pl_error *err);

/* Shortest exact text for a number of milliseconds: "0", "500ms", "10s", "90s", "2min", "3h". */
void pl_interval_format(uint64_t ms, char *buf, unsigned long size);

#endif
