/* simulate_inject.h - crm_simulate's what-if changes (--node-up, --ticket-grant, ...). */
#ifndef SIMULATE_INJECT_H
#define SIMULATE_INJECT_H

#include <stdbool.h>
#include <glib.h>
#include <libxml/tree.h>

struct pl_buf;
struct pl_error;

struct sim_mods {
	const char *quorum, *watchdog; /* "true"/"false" as given, or NULL */
	GPtrArray *node_up, *node_down, *node_fail; /* node names (borrowed) */
	GPtrArray *grant, *revoke, *standby, *activate; /* ticket ids (borrowed) */
	GPtrArray *op_inject; /* "RSC_TASK_INTERVAL@NODE=RC" (borrowed) */
};

bool sim_inject_empty(const struct sim_mods *m);
/* Apply the changes to doc, one log line each ("  * Bringing node node1 online"); now is the
 * time injected results are stamped with. False with err set on a malformed --op-inject. */
bool sim_inject(xmlDoc *doc, const struct sim_mods *m, long long now, struct pl_buf *log,
    struct pl_error *err);

#endif
