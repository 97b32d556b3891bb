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
#include "pe_private.h"

void
pe_constraint_orderings(struct pe_ws *ws)
{
	for (guint i = 0; i < ws->orders->len; i++) {
		struct pe_order *o = ws->orders->pdata[i];
		PE_ALIST(f);
		PE_ALIST(t);
		int nf = pe_rsc_task_actions(ws, o->first_rsc, o->first_task, true, f);
		int nt = pe_rsc_task_actions(ws, o->then_rsc, o->then_task, false, t);
		if (nf == 0 && (o->flags & OF_RUNNABLE_LEFT) && o->first_rsc->kind == KIND_PRIMITIVE) {
			/* the first action will not happen at all: an unrunnable stand-in, required
			 * when it is a start after a required stop (Pacemaker's restart ordering) */
			bool stopping = false;
			for (int k = 0; k < o->first_rsc->n_running; k++) {
				struct pe_action *sp = pe_action_find(
				    ws, o->first_rsc, "stop", 0, o->first_rsc->running[k]);
				if (sp && !(sp->flags & AF_OPTIONAL))
					stopping = true;
			}
			struct pe_action *a = pe_action_new(ws, o->first_rsc, o->first_task, 0, NULL,
			    !(stopping && !strcmp(o->first_task, "start")));
			a->flags &= ~AF_RUNNABLE;
			g_ptr_array_add(f, a);
			nf++;
		}
		/* interleaved: what one instance requires reaches only its partner instance */
		int flags = pe_interleaved(o) ? o->flags & ~OF_IMPLIES_THEN : o->flags;
		for (int a = 0; a < nf; a++)
			for (int b = 0; b < nt; b++)
				pe_order_actions(f->pdata[a], t->pdata[b], flags);
		pe_interleave_orderings(ws, o);
	}
}

static bool
promoted_now(struct pe_rsc *c, struct pe_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->role == ROLE_PROMOTED && pe_rsc_active_on(c->children[i], n))
			return true;
	return false;
}

static bool
clone_active_on(struct pe_rsc *c, struct pe_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (pe_rsc_active_on(c->children[i], n))
			return true;
	return false;
}

/* Anti-colocated resources trading places: the one leaving a node (or leaving the promoted
 * role there) goes first, then the other arrives (or is promoted). */
void
pe_anti_colocation_orderings(struct pe_ws *ws)
{
	PE_ALIST(f);
	PE_ALIST(t);
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pe_coloc *c = ws->colocs->pdata[i];
		if (c->score > -INF)
			continue;
		struct pe_rsc *pair[2][2] = { { c->dep, c->primary }, { c->primary, c->dep } };
		enum pe_role roles[2][2] = { { c->dep_role, c->primary_role },
			{ c->primary_role, c->dep_role } };
		for (int k = 0; k < 2; k++) {
			struct pe_rsc *x = pair[k][0], *y = pair[k][1];
			bool xp =
			    roles[k][0] == ROLE_PROMOTED && x->kind == KIND_CLONE && x->promotable;
			bool yp =
			    roles[k][1] == ROLE_PROMOTED && y->kind == KIND_CLONE && y->promotable;
			for (int n = 0; n < ws->n_nodes; n++) {
				struct pe_node *node = ws->nodes[n];
				bool enters = xp
				    ? pe_clone_promoted_on(x, node) && !promoted_now(x, node)
				    : x->kind != KIND_CLONE && x->assigned == node &&
					!pe_rsc_active_on(x, node);
				bool leaves = yp
				    ? promoted_now(y, node) && !pe_clone_promoted_on(y, node)
				    : y->kind == KIND_CLONE
				    ? pe_clone_supported(y) && clone_active_on(y, node) &&
					!pe_clone_on_node(y, node)
				    : pe_rsc_active_on(y, node) && y->assigned != node;
				if (!enters || !leaves)
					continue;
				int nf = pe_rsc_task_actions(ws, y, yp ? "demote" : "stop", true, f);
				int nt =
				    pe_rsc_task_actions(ws, x, xp ? "promote" : "start", false, t);
				for (int a = 0; a < nf; a++)
					for (int b = 0; b < nt; b++)
						pe_order_actions(
						    f->pdata[a], t->pdata[b], OF_OPTIONAL);
			}
		}
	}
}

/* require-all=false: a pseudo-action runnable when any member can start, which the next
 * set waits for. */
void
pe_one_or_more_orderings(struct pe_ws *ws)
{
	PE_ALIST(f);
	PE_ALIST(t);
	for (guint i = 0; i < ws->one_or_more->len; i++) {
		struct pe_one_or_more *o = ws->one_or_more->pdata[i];
		struct pe_action *p = pe_action_new(ws, NULL, o->id, 0, NULL, true);
		p->flags |= AF_PSEUDO;
		for (guint k = 0; k < o->members->len; k++) {
			int nf = pe_rsc_task_actions(ws, o->members->pdata[k], o->action, true, f);
			if (nf == 0 &&
			    ((struct pe_rsc *)o->members->pdata[k])->kind == KIND_PRIMITIVE) {
				/* a member that will not start at all counts as unrunnable */
				struct pe_action *stand_in = pe_action_new(
				    ws, o->members->pdata[k], o->action, 0, NULL, true);
				stand_in->flags &= ~AF_RUNNABLE;
				g_ptr_array_add(f, stand_in);
				nf = 1;
			}
			for (int a = 0; a < nf; a++)
				pe_order_actions(f->pdata[a], p, OF_ONE_OR_MORE);
		}
		for (guint k = 0; k < o->next->len; k++) {
			int nt = pe_rsc_task_actions(ws, o->next->pdata[k], o->next_action, false, t);
			for (int b = 0; b < nt; b++)
				pe_order_actions(p, t->pdata[b], OF_RUNNABLE_LEFT | OF_IMPLIES_THEN);
		}
	}
}

/* With a placement strategy, stops on a node come before starts there (its load drops
 * first): one pseudo-action per node in between. */
void
pe_load_orderings(struct pe_ws *ws)
{
	for (int n = 0; n < ws->n_nodes; n++) {
		struct pe_node *node = ws->nodes[n];
		if (!node->online || node->unclean)
			continue;
		char *task = xasprintf("load_stopped_%s", node->uname);
		struct pe_action *ls = pe_action_new(ws, NULL, task, 0, node, false);
		free(task);
		ls->flags |= AF_PSEUDO;
		for (int i = 0; i < ws->n_rscs; i++) {
			struct pe_rsc *r = ws->rscs[i];
			if (r->kind != KIND_PRIMITIVE)
				continue;
			struct pe_action *s = pe_action_find(ws, r, "stop", 0, node);
			struct pe_action *st = pe_action_find(ws, r, "start", 0, node);
			if (s)
				pe_order_actions(s, ls, OF_OPTIONAL);
			if (st)
				pe_order_actions(ls, st, OF_OPTIONAL);
		}
	}
}
