/*
 * orderings.c - orderings from constraints: rsc_order (through the variants' pseudo-actions),
 * require-all=false sets, anti-colocated resources trading places, and a placement strategy's
 * stops-before-starts on a node.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

void
pengine_constraint_orderings(struct pengine_ws *ws)
{
	for (guint i = 0; i < ws->orders->len; i++) {
		struct pengine_order *o = ws->orders->pdata[i];
		PENGINE_ALIST(f);
		PENGINE_ALIST(t);
		int nf = pengine_rsc_task_actions(ws, o->first_rsc, o->first_task, true, f);
		int nt = pengine_rsc_task_actions(ws, o->then_rsc, o->then_task, false, t);
		if (nf == 0 && (o->flags & OF_RUNNABLE_LEFT) && o->first_rsc->kind == KIND_PRIMITIVE) {
			/* the first action will not happen at all: an unrunnable stand-in, required
			 * when it is a start after a required stop (Pacemaker's restart ordering) */
			bool stopping = false;
			for (int k = 0; k < o->first_rsc->n_running; k++) {
				struct pengine_action *sp = pengine_action_find(
				    ws, o->first_rsc, "stop", 0, o->first_rsc->running[k]);
				if (sp && !(sp->flags & AF_OPTIONAL))
					stopping = true;
			}
			struct pengine_action *a = pengine_action_new(ws, o->first_rsc,
			    o->first_task, 0, NULL, !(stopping && !strcmp(o->first_task, "start")));
			a->flags &= ~AF_RUNNABLE;
			g_ptr_array_add(f, a);
			nf++;
		}
		/* interleaved: what one instance requires reaches only its partner instance */
		int flags = pengine_interleaved(o) ? o->flags & ~OF_IMPLIES_THEN : o->flags;
		flags &= ~OF_FIRST_NOT_MIGRATING;
		for (int a = 0; a < nf; a++) {
			if ((o->flags & OF_FIRST_NOT_MIGRATING) &&
			    pengine_stop_of_migration(f->pdata[a]))
				continue; /* Pacemaker's apply-first-non-migratable */
			for (int b = 0; b < nt; b++)
				pengine_order_actions(f->pdata[a], t->pdata[b], flags);
		}
		pengine_interleave_orderings(ws, o);
	}
}

static bool
promoted_now(struct pengine_rsc *c, struct pengine_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->role == ROLE_PROMOTED && pengine_rsc_active_on(c->children[i], n))
			return true;
	return false;
}

static bool
clone_active_on(struct pengine_rsc *c, struct pengine_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (pengine_rsc_active_on(c->children[i], n))
			return true;
	return false;
}

/* Anti-colocated resources trading places: the one leaving a node (or leaving the promoted
 * role there) goes first, then the other arrives (or is promoted). */
void
pengine_anti_colocation_orderings(struct pengine_ws *ws)
{
	PENGINE_ALIST(f);
	PENGINE_ALIST(t);
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (c->score > -INF)
			continue;
		struct pengine_rsc *pair[2][2] = { { c->dep, c->primary }, { c->primary, c->dep } };
		enum pengine_role roles[2][2] = { { c->dep_role, c->primary_role },
			{ c->primary_role, c->dep_role } };
		for (int k = 0; k < 2; k++) {
			struct pengine_rsc *x = pair[k][0], *y = pair[k][1];
			bool xp =
			    roles[k][0] == ROLE_PROMOTED && x->kind == KIND_CLONE && x->promotable;
			bool yp =
			    roles[k][1] == ROLE_PROMOTED && y->kind == KIND_CLONE && y->promotable;
			for (int n = 0; n < ws->n_nodes; n++) {
				struct pengine_node *node = ws->nodes[n];
				bool enters = xp
				    ? pengine_clone_promoted_on(x, node) && !promoted_now(x, node)
				    : x->kind != KIND_CLONE && x->assigned == node &&
					!pengine_rsc_active_on(x, node);
				bool leaves = yp
				    ? promoted_now(y, node) && !pengine_clone_promoted_on(y, node)
				    : y->kind == KIND_CLONE
				    ? pengine_clone_supported(y) && clone_active_on(y, node) &&
					!pengine_clone_on_node(y, node)
				    : pengine_rsc_active_on(y, node) && y->assigned != node;
				if (!enters || !leaves)
					continue;
				int nf =
				    pengine_rsc_task_actions(ws, y, yp ? "demote" : "stop", true, f);
				int nt = pengine_rsc_task_actions(
				    ws, x, xp ? "promote" : "start", false, t);
				for (int a = 0; a < nf; a++)
					for (int b = 0; b < nt; b++)
						pengine_order_actions(
						    f->pdata[a], t->pdata[b], OF_OPTIONAL);
			}
		}
	}
}

static bool
stopping(struct pengine_ws *ws, struct pengine_rsc *r)
{
	for (int k = 0; k < r->n_running; k++) {
		struct pengine_action *sp = pengine_action_find(ws, r, "stop", 0, r->running[k]);
		if (sp && !(sp->flags & AF_OPTIONAL))
			return true;
	}
	return false;
}

static void
require_pseudo(struct pengine_ws *ws, struct pengine_rsc *r, const char *task)
{
	struct pengine_action *a = pengine_action_find(ws, r, task, 0, NULL);
	if (a)
		a->flags &= ~AF_OPTIONAL;
}

/* require-all=false (sets and clone orderings) and clone-min: a pseudo-action runnable when
 * enough members can do the action, which the next set (or the then resource) waits for. */
void
pengine_one_or_more_orderings(struct pengine_ws *ws)
{
	PENGINE_ALIST(f);
	PENGINE_ALIST(t);
	for (guint i = 0; i < ws->one_or_more->len; i++) {
		struct pengine_one_or_more *o = ws->one_or_more->pdata[i];
		struct pengine_action *p = pengine_action_new(ws, NULL, o->id, 0, NULL, true);
		p->flags |= AF_PSEUDO;
		p->min_runnable = o->min;
		p->flags |= AF_PRINT_ONLY;
		for (guint k = 0; k < o->members->len; k++) {
			int nf =
			    pengine_rsc_task_actions(ws, o->members->pdata[k], o->action, true, f);
			struct pengine_rsc *m = o->members->pdata[k];
			if (nf == 0 && m->kind == KIND_PRIMITIVE) {
				/* a member that will not start at all counts as unrunnable; a
				 * clone instance that stops for good requires the clone's start
				 * (Pacemaker makes its missing start mandatory): printed when
				 * another instance keeps it runnable */
				bool leaving = o->clone && !strcmp(o->action, "start") &&
				    m->assigned == NULL && stopping(ws, m);
				struct pengine_action *stand_in =
				    pengine_action_new(ws, m, o->action, 0, NULL, !leaving);
				stand_in->flags &= ~AF_RUNNABLE;
				for (int c = 0; leaving && c < o->clone->n_children; c++)
					if (o->clone->children[c]->assigned) {
						require_pseudo(ws, o->clone, "start");
						require_pseudo(ws, o->clone, "running");
						break;
					}
				g_ptr_array_add(f, stand_in);
				nf = 1;
			}
			for (int a = 0; a < nf; a++)
				pengine_order_actions(f->pdata[a], p, OF_ONE_OR_MORE);
		}
		for (guint k = 0; k < o->next->len; k++) {
			int nt = pengine_rsc_task_actions(
			    ws, o->next->pdata[k], o->next_action, false, t);
			for (int b = 0; b < nt; b++)
				pengine_order_actions(p, t->pdata[b], o->flags);
		}
	}
}
