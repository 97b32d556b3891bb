/*
 * reload.c - a changed resource definition that the agent can take without a restart.
 *
 * The controller records, with the last start of an OCF agent that can reload, which
 * parameters force a restart (op-force-restart, "  a b  ") and a digest of just those
 * (op-restart-digest). When the parameters changed since that start (op-digest differs),
 * Pacemaker 2.1.5 decides:
 *  - the digest of the listed parameters differs too, or no restart digest is recorded (an
 *    agent that cannot reload), or the start operation has parameters of its own: restart,
 *    "due to resource definition change";
 *  - only other parameters changed: reload the agent where the resource runs, action
 *    `reload-agent` (the controller runs `reload` for an agent that only offers that), unless
 *    the resource stops or moves there anyway (then the stop cancels the reload), it failed
 *    (recovery restarts it), or its start was still pending (restart).
 * The recurring monitors whose parameters changed run again after the reload. A reload that
 * succeeds is recorded by the controller as a start (with the new digests), so the next run
 * finds nothing changed.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

/* The restart digest of what r would run its start with: the parameters named in
 * force (all of them when force is NULL), rendered as op-digest is. */
static void
restart_digest(struct pengine_ws *ws, struct pengine_rsc *r, const char *force, char out[33])
{
	long long timeout_ms;
	GHashTable *p = pengine_op_params(ws, r, "start", 0, &timeout_ms);
	GHashTableIter it;
	gpointer k, v;

	if (force != NULL) {
		g_hash_table_iter_init(&it, p);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (!pengine_word_listed(force, k))
				g_hash_table_iter_remove(&it);
	}
	pl_pengine_params_digest(p, out);
	g_hash_table_destroy(p);
}

/* The start operation has parameters of its own: a changed definition then restarts even
 * when the restart digest matches, so that they apply (and the recorded digests are right). */
static bool
start_has_params(struct pengine_ws *ws, struct pengine_rsc *r)
{
	bool any = false;

	for (int i = 0; i < r->n_ops && !any; i++) {
		struct pengine_opdef *d = &r->ops[i];

		if (d->interval_ms != 0 || strcmp(d->name, "start") != 0 || d->xml == NULL)
			continue;
		GHashTable *p = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
		pengine_unpack_nvpairs(ws, d->xml, "instance_attributes", NULL, p);
		any = g_hash_table_size(p) > 0;
		g_hash_table_destroy(p);
	}
	return any;
}

enum pengine_definition
pengine_definition_check(struct pengine_ws *ws, struct pengine_rsc *r, xmlNode *start_op)
{
	const char *want = pl_xml_attr(start_op, "op-restart-digest");
	char got[33];

	if (!pengine_op_changed(ws, r, start_op))
		return PENGINE_DEF_SAME;
	if (want == NULL || start_has_params(ws, r))
		return PENGINE_DEF_RESTART; /* the agent cannot reload, or see start_has_params */
	restart_digest(ws, r, pl_xml_attr(start_op, "op-force-restart"), got);
	return strcmp(got, want) == 0 ? PENGINE_DEF_RELOAD : PENGINE_DEF_RESTART;
}

/* After the resources' actions: a reload where the history asks for one (see above), before
 * any stop or demote of the resource (which would cancel it) and before its rescheduled
 * monitors on that node. */
void
pengine_reload_actions(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];

		if (r->kind != KIND_PRIMITIVE || !r->managed || r->failed || r->orphan)
			continue;
		for (int n = 0; n < ws->n_nodes; n++) {
			struct pengine_node *node = ws->nodes[n];

			if (!r->pn[n].reload || !r->pn[n].active)
				continue;
			struct pengine_action *rl =
			    pengine_action_new(ws, r, "reload-agent", 0, node, false);
			rl->reason = "resource definition change";
			for (guint k = 0; k < r->actions->len; k++) {
				struct pengine_action *a = r->actions->pdata[k];

				if (a == rl)
					continue;
				if (a->task_id == TASK_STOP || a->task_id == TASK_DEMOTE)
					pengine_order_actions(rl, a, OF_OPTIONAL);
				else if (a->task_id == TASK_MONITOR && a->interval_ms > 0 &&
				    a->node == node && !(a->flags & AF_OPTIONAL))
					pengine_order_actions(rl, a, OF_OPTIONAL);
			}
		}
	}
}

/* After propagation: a resource that stops or demotes anyway (it moves, restarts for another
 * reason, loses its node) is not reloaded (Pacemaker's "then cancels first"). */
void
pengine_reload_cancel(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];

		if (r->kind != KIND_PRIMITIVE)
			continue;
		struct pengine_action *rl = NULL;
		bool cancel = false;
		for (guint k = 0; k < r->actions->len; k++) {
			struct pengine_action *a = r->actions->pdata[k];

			if (strcmp(a->task, "reload-agent") == 0)
				rl = a;
			else if ((a->task_id == TASK_STOP || a->task_id == TASK_DEMOTE) &&
			    !(a->flags & AF_OPTIONAL))
				cancel = true;
		}
		if (rl != NULL && cancel)
			rl->flags |= AF_OPTIONAL;
	}
}
