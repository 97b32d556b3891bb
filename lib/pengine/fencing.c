/*
 * fencing.c - fencing of unclean nodes (the DC last, in order without concurrent-fencing),
 * what fencing implies for the resources there, and shutdowns.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

/* Does r need its node fenced before it may start (Pacemaker's requires=fencing, the
 * default with fencing enabled, except for fencing devices)? */
static bool
needs_fencing(const struct pengine_ws *ws, struct pengine_rsc *r)
{
	const char *req = pengine_meta(r, "requires");
	if (req)
		return !strcmp(req, "fencing") || !strcmp(req, "unfencing");
	return ws->stonith_enabled && !(r->cls && !strcmp(r->cls, "stonith"));
}

/* Every start and promotion of a resource that needs fencing (and a migration, which
 * stands for the start) waits for each fencing, wherever it happens. */
static void
order_starts_after(struct pengine_ws *ws, struct pengine_action *f)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || !needs_fencing(ws, r))
			continue;
		for (guint k = 0; k < r->actions->len; k++) {
			struct pengine_action *a = r->actions->pdata[k];
			if ((a->task_id == TASK_START || a->task_id == TASK_PROMOTE ||
				a->task_id == TASK_MIGRATE_TO) &&
			    a->interval_ms == 0)
				pengine_order_actions(f, a, OF_OPTIONAL);
		}
	}
}

void
pengine_fencing(struct pengine_ws *ws)
{
	struct pengine_action *prev = NULL, *dc_fence = NULL;
	GPtrArray *fences = g_ptr_array_new();
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		if (!((n->unclean && pengine_can_fence(ws)) || n->guest_reset))
			continue;
		struct pengine_action *f = pengine_action_new(ws, NULL, "stonith", 0, n, false);
		f->flags |= AF_FENCE;
		if (n->guest_reset) { /* its container's stop: a pseudo-action (guest.c) */
			pengine_guest_fence(ws, f, n);
		} else if (ws->dc_uuid && !strcmp(ws->dc_uuid, n->id)) {
			dc_fence = f;
		} else {
			g_ptr_array_add(fences, f);
			if (!ws->concurrent_fencing && prev)
				pengine_order_actions(prev, f, OF_OPTIONAL);
			prev = f;
		}
		if (!n->unclean_reason)
			n->unclean_reason = "node is unclean";
		if (!n->guest_reset)
			order_starts_after(ws, f);
		pengine_notify_fencing(ws, f, n);
		/* resources there are stopped by the fencing itself */
		for (int r = 0; r < ws->n_rscs; r++) {
			struct pengine_rsc *rs = ws->rscs[r];
			if (rs->kind != KIND_PRIMITIVE)
				continue;
			struct pengine_action *s = pengine_action_find(ws, rs, "stop", 0, n);
			/* on a guest, its demotion is implied by the fencing too */
			struct pengine_action *dm =
			    n->guest_reset ? pengine_action_find(ws, rs, "demote", 0, n) : NULL;
			if (dm) {
				dm->flags |= AF_PSEUDO | AF_RUNNABLE;
				pengine_order_actions(f, dm, OF_OPTIONAL);
			}
			/* unknown there: it may be running on the node, so it starts elsewhere only
			 * once the node is fenced */
			if (s == NULL && !n->in_bundle && !rs->pn[n->idx].probed &&
			    !rs->pn[n->idx].active && rs->assigned && rs->assigned != n) {
				struct pengine_action *st =
				    pengine_action_find(ws, rs, "start", 0, rs->assigned);
				if (st && !(st->flags & AF_OPTIONAL))
					pengine_order_actions(f, st, OF_OPTIONAL);
			}
			/* a promoted instance there is demoted by the fencing too */
			struct pengine_action *d = pengine_action_find(ws, rs, "demote", 0, n);
			if (d && !(d->flags & AF_OPTIONAL)) {
				d->flags |= AF_PSEUDO | AF_RUNNABLE;
				pengine_order_actions(f, d, OF_IMPLIES_THEN);
			}
			if (s) {
				s->flags |= AF_PSEUDO | AF_RUNNABLE;
				/* the stop waits for the fencing only when the resource needs
				 * fencing (not a fence device's, nor requires=quorum or nothing);
				 * a remote connection's own stop never waits */
				bool waits = pengine_needs_fencing(rs);
				if (waits && !rs->is_remote_conn)
					pengine_order_actions(f, s, OF_IMPLIES_THEN);
				if (rs->parent && waits)
					pengine_order_actions(f,
					    pengine_action_find(ws, rs->parent, "stop", 0, NULL),
					    OF_OPTIONAL);
				/* and its start elsewhere waits for the fencing itself */
				if (rs->assigned && rs->assigned != n && waits)
					pengine_order_actions(f,
					    pengine_action_find(ws, rs, "start", 0, rs->assigned),
					    OF_OPTIONAL);
			}
		}
	}
	/* the DC is fenced last: after all others, or after the last of the serial chain */
	if (dc_fence && !ws->concurrent_fencing && prev)
		pengine_order_actions(prev, dc_fence, OF_OPTIONAL);
	for (guint i = 0; dc_fence && ws->concurrent_fencing && i < fences->len; i++)
		pengine_order_actions(fences->pdata[i], dc_fence, OF_OPTIONAL);
	g_ptr_array_free(fences, true);
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		if (!n->shutdown || n->unclean)
			continue;
		struct pengine_action *d = pengine_action_new(ws, NULL, "do_shutdown", 0, n, false);
		for (int r = 0; r < ws->n_rscs; r++) {
			struct pengine_action *s = ws->rscs[r]->kind == KIND_PRIMITIVE
			    ? pengine_action_find(ws, ws->rscs[r], "stop", 0, n)
			    : NULL;
			if (s)
				pengine_order_actions(s, d, OF_RUNNABLE_LEFT);
		}
	}
}
