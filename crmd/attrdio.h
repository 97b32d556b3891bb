/*
 * attrdio.h - crmd's node attributes through paceline-attrd (fail counts, last failures, a
 * node's shutdown request):
 * attrd replicates them to every node and writes them to the CIB. When attrd cannot be
 * reached the callers fall back to writing the CIB themselves (cibio.c).
 */
#ifndef CRMD_ATTRDIO_H
#define CRMD_ATTRDIO_H

#include <stdbool.h>
#include <stdint.h>

/* fail-count-RSC#ACTION_INTERVAL: INFINITY (fatal) or one more; last-failure-... = now_s. */
bool attrdio_fail_count(const char *host, const char *rsc, const char *action, uint32_t interval_ms,
    bool fatal, uint64_t now_s);
/* Remove the fail counts and last failures of rsc (NULL: every resource; action NULL: every
 * operation) on host. */
bool attrdio_clear_fail_count(
    const char *host, const char *rsc, const char *action, uint32_t interval_ms);
/* One attribute of host: set it (value NULL: delete it), as Pacemaker's controller does for
 * "shutdown" (and #node-unfenced after unfencing). */
bool attrdio_set(const char *host, const char *name, const char *value);
void attrdio_close(void);

#endif
