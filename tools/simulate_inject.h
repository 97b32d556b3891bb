/* simulate_inject.h - crm_simulate's what-if changes (--node-up, --ticket-grant, ...). */
#ifndef SIMULATE_INJECT_H
#define SIMULATE_INJECT_H

#include <stdbool.h>
#include <glib.h>
#include <libxml/tree.h>

struct pl_buf;
struct pl_error;

struct sim_mods {
	const char *quorum, *watchdog;			/* "true"/"false" as given, or NULL */
	GPtrArray *node_up, *node_down, *node_fail;	/* node names (borrowed) */
	GPtrArray *grant, *revoke, *standby, *activate; /* ticket ids (borrowed) */
	GPtrArray *op_inject;				/* "RSC_TASK_INTERVAL@NODE=RC" (borrowed) */
};

/* How the CIB's version moves when the changes are written back (-X), as Pacemaker writes
 * them one update at a time: a configuration change raises epoch and resets num_updates,
 * a status change raises num_updates. */
struct sim_version {
	long long epochs;  /* configuration changes */
	long long updates; /* status changes since the last configuration change */
};

bool sim_inject_empty(const struct sim_mods *m);
/* Apply the changes to doc, one log line each ("  * Bringing node node1 online"); now is the
 * time injected results are stamped with. False with err set on a malformed --op-inject. */
bool sim_inject(xmlDoc *doc, const struct sim_mods *m, long long now, struct pl_buf *log,
    struct sim_version *ver, struct pl_error *err);

/* Parse --op-fail specs "RSC_TASK_INTERVAL@NODE=RC" against doc's resources; the strings of
 * *out are owned by the caller's strings array. False with err set. */
struct pl_pengine_op_fail;
bool sim_parse_fails(xmlDoc *doc, char **specs, struct pl_pengine_op_fail **out, int *n,
    GPtrArray *strings, struct pl_error *err);

/* Record what the simulated transition of run executed in doc's status (each action's result
 * as the controller records it, a fenced node down), and the fail count of a result that an
 * --op-fail made fail ("  * Injecting attribute ..." lines into log). */
struct pl_pengine_run;
void sim_record(xmlDoc *doc, struct pl_pengine_run *run, long long now, struct pl_buf *log,
    struct sim_version *ver);

/* Set doc's epoch and num_updates as the recorded changes moved them. */
void sim_version_apply(xmlDoc *doc, const struct sim_version *ver);

#endif
