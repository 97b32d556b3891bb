/*
 * agents.h - running fence devices' agents, both families, unmodified:
 *   fence-agents (fence_*): key=value lines on stdin (action, port/plug, nodename, the
 *     device's parameters), found in $PL_FENCE_AGENT_DIR or /usr/sbin;
 *   cluster-glue plugins (null, external/ssh, external/ipmi, ...): through cluster-glue's
 *     `stonith` command ($PL_STONITH_CMD or /usr/sbin/stonith): -t TYPE name=value ...
 *     -T reset|off|on NODE, -l (list), -S (status), -m (meta-data).
 * A run may wait first (pcmk_delay_*), retries a failed fencing action while its time lasts
 * (pcmk_*_retries), kills the agent at its timeout and reports once.
 */
#ifndef STONITHD_AGENTS_H
#define STONITHD_AGENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "devices.h"

/* rc: the agent's exit code (0 success), or -1 when it could not run or timed out; output:
 * its stdout; reason: a sentence when it failed. */
typedef void (*agents_done_fn)(void *arg, int rc, const char *output, const char *reason);

/* Run d's `action` (the agent's: reboot off on list monitor status metadata) against target
 * (NULL for list, monitor, metadata) within timeout_ms, after delay_ms. done runs once,
 * from the loop, or at once when the agent cannot be started. */
void agents_start(const struct stonithd_device *d, const char *action, const char *target,
    uint32_t timeout_ms, uint32_t delay_ms, agents_done_fn done, void *arg);
const char *agents_dir(void);	      /* $PL_FENCE_AGENT_DIR or /usr/sbin */
const char *agents_stonith_cmd(void); /* $PL_STONITH_CMD or /usr/sbin/stonith */

#endif
