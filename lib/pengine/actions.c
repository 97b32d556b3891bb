/*
 * actions.c - the action stage's driver: create every action (probes, per-resource, per
 * variant, fencing), then the orderings, then propagate.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pe_private.h"

void
pe_create_actions(struct pe_ws *ws)
{
	pe_history_monitors(ws);
	pe_clear_failcounts(ws);
	/* probes: every node, every resource in processing order */
	for (int n = 0; n < ws->n_nodes; n++)
		for (int i = 0; i < ws->n_order; i++)
			pe_probe_rsc(ws, ws->order[i], ws->nodes[n]);
	for (int i = 0; i < ws->n_order; i++)
		pe_rsc_actions(ws, ws->order[i]);
	pe_reload_actions(ws);
	/* orphans' fail counts go with them */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		if (!r->orphan || !r->managed || r->kind != KIND_PRIMITIVE)
			continue;
		for (int n = 0; n < ws->n_nodes; n++)
			if (r->pn[n].failcount > 0 && ws->nodes[n]->online &&
			    !pe_action_find(ws, r, "clear_failcount", 0, ws->nodes[n]))
				pe_action_new(ws, r, "clear_failcount", 0, ws->nodes[n], false)->flags |=
				    AF_CLUSTER;
	}
	if (strcmp(ws->placement_strategy, "default") != 0)
		pe_load_orderings(ws);
	for (int i = 0; i < ws->n_order; i++)
		pe_internal_orderings(ws, ws->order[i]);
	pe_constraint_orderings(ws);
	pe_one_or_more_orderings(ws);
	pe_anti_colocation_orderings(ws);
	pe_probe_orderings(ws);
	pe_abort_migrations(ws);
	pe_first_probe_orderings(ws);
	pe_restart_probe_orderings(ws);
	pe_unfencing(ws);
	pe_fencing(ws);
	pe_remote_orderings(ws);
	pe_propagate(ws);
	pe_reload_cancel(ws);
	for (int i = 0; i < ws->n_rscs; i++)
		if (pe_clone_supported(ws->rscs[i]))
			pe_notify_finish(ws, ws->rscs[i]);
	pe_cancel_undefined(ws);
}
