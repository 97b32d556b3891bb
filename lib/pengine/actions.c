/*
 * actions.c - the action stage's driver: create every action (probes, per-resource, per
 * variant, fencing), then the orderings, then propagate.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

void
pengine_create_actions(struct pengine_ws *ws)
{
	pengine_load_actions(ws); /* Pacemaker makes them first */
	pengine_clear_failcounts(ws, true);
	pengine_history_monitors(ws);
	pengine_clear_failcounts(ws, false);
	/* probes: every node, every resource in processing order */
	for (int n = 0; n < ws->n_nodes; n++)
		for (int i = 0; i < ws->n_order; i++)
			pengine_probe_rsc(ws, ws->order[i], ws->nodes[n]);
	/* a restart for a definition change: Pacemaker makes its start when it checks the
	 * parameters, after the probes and before the other actions (bug-lf-2106) */
	for (int n = 0; n < ws->n_nodes; n++)
		for (int i = 0; i < ws->n_rscs; i++) {
			struct pengine_rsc *r = ws->rscs[i];
			if (r->kind == KIND_PRIMITIVE && r->restart_due && r->restart_reason &&
			    r->assigned && r->managed && r->pn[n].fail_changed &&
			    pengine_rsc_active_on(r, ws->nodes[n]) &&
			    !strcmp(r->restart_reason, "resource definition change"))
				pengine_action_new(ws, r, "start", 0, r->assigned, true);
		}
	for (int i = 0; i < ws->n_order; i++)
		pengine_rsc_actions(ws, ws->order[i]);
	pengine_reload_actions(ws);
	/* an orphan active nowhere: its history is deleted wherever the node is up (Pacemaker,
	 * with stop-orphan-resources) */
	for (guint i = 0; i < ws->idle_orphans->len; i++) {
		struct pengine_rsc *r = ws->idle_orphans->pdata[i];
		for (int n = 0; n < ws->n_nodes; n++)
			if (r->pn[n].history && pengine_node_usable(ws->nodes[n]))
				pengine_action_new(ws, r, "delete", 0, ws->nodes[n], false);
	}
	/* orphans' fail counts go with them */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (!r->orphan || !r->managed || r->kind != KIND_PRIMITIVE)
			continue;
		for (int n = 0; n < ws->n_nodes; n++)
			if (r->pn[n].failcount > 0 && ws->nodes[n]->online &&
			    !pengine_action_find(ws, r, "clear_failcount", 0, ws->nodes[n]))
				pengine_action_new(ws, r, "clear_failcount", 0, ws->nodes[n], false)
				    ->flags |= AF_CLUSTER;
	}
	pengine_load_orderings(ws);
	for (int i = 0; i < ws->n_order; i++)
		pengine_internal_orderings(ws, ws->order[i]);
	pengine_constraint_orderings(ws);
	pengine_one_or_more_orderings(ws);
	pengine_anti_colocation_orderings(ws);
	pengine_probe_orderings(ws);
	pengine_abort_migrations(ws);
	pengine_first_probe_orderings(ws);
	pengine_restart_probe_orderings(ws);
	pengine_unfencing(ws);
	pengine_fencing(ws);
	pengine_remote_orderings(ws);
	pengine_propagate(ws);
	pengine_bundle_reasons(ws);
	pengine_reload_cancel(ws);
	for (int i = 0; i < ws->n_rscs; i++)
		if (pengine_clone_supported(ws->rscs[i]))
			pengine_notify_finish(ws, ws->rscs[i]);
	pengine_cancel_undefined(ws);
}
