/*
 * fencing.c - fencing of unclean nodes (the DC last, in order without concurrent-fencing),
 * what fencing implies for the resources there, and shutdowns.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pe_private.h"

void
pe_fencing(struct pe_ws *ws)
{
	struct pe_action *prev = NULL, *dc_fence = NULL;
	GPtrArray *fences = g_ptr_array_new();
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pe_node *n = ws->nodes[i];
		if (!n->unclean || !pe_can_fence(ws))
			continue;
		struct pe_action *f = pe_action_new(ws, NULL, "stonith", 0, n, false);
		f->flags |= AF_FENCE;
		if (ws->dc_uuid && !strcmp(ws->dc_uuid, n->id)) {
			dc_fence = f;
		} else {
			g_ptr_array_add(fences, f);
			if (!ws->concurrent_fencing && prev)
				pe_order_actions(prev, f, OF_OPTIONAL);
			prev = f;
		}
		if (!n->unclean_reason)
			n->unclean_reason = "node is unclean";
		/* resources there are stopped by the fencing itself */
		for (int r = 0; r < ws->n_rscs; r++) {
			struct pe_rsc *rs = ws->rscs[r];
			if (rs->kind != KIND_PRIMITIVE)
				continue;
			struct pe_action *s = pe_action_find(ws, rs, "stop", 0, n);
			/* unknown there: it may be running on the node, so it starts elsewhere only
			 * once the node is fenced */
			if (s == NULL && !rs->pn[n->idx].probed && !rs->pn[n->idx].active &&
			    rs->assigned && rs->assigned != n) {
				struct pe_action *st =
				    pe_action_find(ws, rs, "start", 0, rs->assigned);
				if (st && !(st->flags & AF_OPTIONAL))
					pe_order_actions(f, st, OF_OPTIONAL);
			}
			if (s) {
				s->flags |= AF_PSEUDO | AF_RUNNABLE;
				/* a fencing device's or remote connection's own stop there needs
				 * no wait */
				if (!(rs->cls && !strcmp(rs->cls, "stonith")) && !rs->is_remote_conn)
					pe_order_actions(f, s, OF_IMPLIES_THEN);
				if (rs->parent && !(rs->cls && !strcmp(rs->cls, "stonith")))
					pe_order_actions(f,
					    pe_action_find(ws, rs->parent, "stop", 0, NULL),
					    OF_OPTIONAL);
				/* and its start elsewhere waits for the fencing itself */
				if (rs->assigned && rs->assigned != n &&
				    !(rs->cls && !strcmp(rs->cls, "stonith")))
					pe_order_actions(f,
					    pe_action_find(ws, rs, "start", 0, rs->assigned),
					    OF_OPTIONAL);
			}
		}
	}
	/* the DC is fenced last: after all others, or after the last of the serial chain */
	if (dc_fence && !ws->concurrent_fencing && prev)
		pe_order_actions(prev, dc_fence, OF_OPTIONAL);
	for (guint i = 0; dc_fence && ws->concurrent_fencing && i < fences->len; i++)
		pe_order_actions(fences->pdata[i], dc_fence, OF_OPTIONAL);
	g_ptr_array_free(fences, true);
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pe_node *n = ws->nodes[i];
		if (!n->shutdown || n->unclean)
			continue;
		struct pe_action *d = pe_action_new(ws, NULL, "do_shutdown", 0, n, false);
		for (int r = 0; r < ws->n_rscs; r++) {
			struct pe_action *s = ws->rscs[r]->kind == KIND_PRIMITIVE
			    ? pe_action_find(ws, ws->rscs[r], "stop", 0, n)
			    : NULL;
			if (s)
				pe_order_actions(s, d, OF_RUNNABLE_LEFT);
		}
	}
}
