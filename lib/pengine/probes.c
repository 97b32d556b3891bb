/*
 * probes.c - probes (a one-time monitor of every resource on every node where its state is
 * not known) and the orderings that make them safe: before starts, before what a found
 * resource would have to stop for, before restarts of what depends on it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

/* ---- probes ---- */

bool
pengine_probe_wanted(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n)
{
	if (r->kind != KIND_PRIMITIVE || r->orphan || ws->maintenance || r->filler ||
	    pengine_remote_banned(r, n))
		return false;
	/* a pending node is probed, but the probe cannot run there: what waits for it (a start
	 * elsewhere) is blocked until the node has joined, as Pacemaker; a guest in maintenance
	 * for its unmanaged connection is probed, as Pacemaker */
	if (!n->online || n->unclean || (n->maintenance && !n->guest))
		return false;
	if (n->guest && !pengine_guest_settled(ws, n)) /* it (re)starts now: not probed yet */
		return false;
	struct pengine_rsc_node *pn = &r->pn[n->idx];
	if (pn->probed || pn->active || pn->role != ROLE_UNKNOWN)
		return false;
	return pengine_discovery_probes(r, n);
}

static bool
contains_container(const struct pengine_rsc *r)
{
	if (r->is_container)
		return true;
	for (int i = 0; i < r->n_children; i++)
		if (contains_container(r->children[i]))
			return true;
	return false;
}

void
pengine_probe_rsc(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n)
{
	/* a bundle: each replica's IP, its instance (on its own guest node only), container
	 * and connection (whose probe waits for the container's start: bundle_sched.c) */
	if (r->kind == KIND_BUNDLE) {
		for (int i = 0; i < r->n_replicas; i++) {
			struct pengine_replica *rp = &r->replicas[i];
			if (rp->ip && !n->guest)
				pengine_probe_rsc(ws, rp->ip, n);
			if (rp->child && rp->guest == n && pengine_probe_wanted(ws, rp->child, n))
				pengine_action_new(ws, rp->child, "monitor", 0, n, false);
			if (n->guest)
				continue;
			pengine_probe_rsc(ws, rp->container, n);
			if (rp->remote)
				pengine_probe_rsc(ws, rp->remote, n);
		}
		return;
	}
	/* what is or holds a guest's container is never probed on a guest node */
	if (n->guest && contains_container(r))
		return;
	if (pengine_clone_of_groups(r) && !r->unique) {
		pengine_clone_group_probe(ws, r, n, pengine_probe_wanted);
		return;
	}
	if (r->kind == KIND_CLONE && !r->unique) {
		/* one probe a node for an anonymous clone, with the instance meant for it */
		if (!pengine_clone_supported(r) || r->pn[n->idx].probed)
			return;
		struct pengine_rsc *pick = NULL;
		for (int i = 0; i < r->n_children && !pick; i++)
			if (pengine_rsc_active_on(r->children[i], n) || r->children[i]->assigned == n)
				pick = r->children[i];
		if (pick == NULL && r->n_children) /* else the first instance */
			pick = r->children[0];
		if (pick && pengine_probe_wanted(ws, pick, n))
			pengine_action_new(ws, pick, "monitor", 0, n, false);
		return;
	}
	if (r->kind == KIND_GROUP || r->kind == KIND_CLONE) {
		for (int i = 0; i < r->n_children; i++)
			pengine_probe_rsc(ws, r->children[i], n);
		return;
	}
	if (pengine_probe_wanted(ws, r, n))
		pengine_action_new(ws, r, "monitor", 0, n, false);
}

void
pengine_probe_orderings(struct pengine_ws *ws)
{
	for (guint i = 0; i < ws->actions->len; i++) {
		struct pengine_action *p = ws->actions->pdata[i];
		if (!p->rsc || p->task_id != TASK_MONITOR || p->interval_ms != 0)
			continue;
		PENGINE_ALIST(buf);
		/* a clone instance's probe comes before the clone starts anything */
		struct pengine_rsc *target = p->rsc;
		for (struct pengine_rsc *a = p->rsc->parent; a; a = a->parent) {
			if (a->kind == KIND_CLONE)
				target = a;
			if (p->rsc->bundled) /* a bundled instance's: before its clone starts */
				break;
		}
		/* a bundle's IP or container probe comes before its clone starts too */
		struct pengine_rsc *b = p->rsc->parent;
		if (b && b->kind == KIND_BUNDLE && b->inner && !p->rsc->implicit) {
			int nb = pengine_rsc_task_actions(ws, b->inner, "start", false, buf);
			for (int k = 0; k < nb; k++)
				pengine_order_actions(p, buf->pdata[k], OF_OPTIONAL);
		}
		int ns = pengine_rsc_task_actions(ws, target, "start", false, buf);
		/* a probe on a pending node cannot run: nothing starts before it can (blocked,
		 * with no reason given, as Pacemaker); a resource that stays where it runs keeps
		 * running (its start there is optional): were it blocked, the stop before it
		 * would be required, and every resource stopped while a node joined */
		bool blocks = p->node && p->node->pending;
		for (int k = 0; k < ns; k++) {
			struct pengine_action *st = buf->pdata[k];
			pengine_order_actions(p, st, OF_OPTIONAL);
			if (blocks && !(st->flags & AF_OPTIONAL)) {
				st->flags &= ~AF_RUNNABLE;
				st->probe_pending = true;
			}
		}
	}
}

static void
rsc_probes(struct pengine_rsc *r, GPtrArray *out)
{
	if (r->kind != KIND_PRIMITIVE)
		return;
	for (guint i = 0; i < r->actions->len; i++) {
		struct pengine_action *a = r->actions->pdata[i];
		if (a->interval_ms == 0 && a->task_id == TASK_MONITOR)
			g_ptr_array_add(out, a);
	}
}

/* A probe may find the resource active, which then has to be stopped: so the probes of a
 * resource whose stop is ordered before something come before that something too. */
static void
probes_before(struct pengine_rsc *x, struct pengine_action **then, int nt)
{
	PENGINE_ALIST(p);
	rsc_probes(x, p);
	for (guint i = 0; i < p->len; i++)
		for (int k = 0; k < nt; k++)
			if (then[k]->rsc != x)
				pengine_order_actions(p->pdata[i], then[k], OF_OPTIONAL);
}

void
pengine_first_probe_orderings(struct pengine_ws *ws)
{
	PENGINE_ALIST(t);
	for (guint i = 0; i < ws->orders->len; i++) {
		struct pengine_order *o = ws->orders->pdata[i];
		if (strcmp(o->first_task, "stop") || o->first_rsc->kind != KIND_PRIMITIVE ||
		    o->first_rsc == o->then_rsc)
			continue;
		int nt = pengine_rsc_task_actions(ws, o->then_rsc, o->then_task, false, t);
		probes_before(o->first_rsc, (struct pengine_action **)t->pdata, nt);
	}
	for (int r = 0; r < ws->n_rscs; r++) {
		struct pengine_rsc *g = ws->rscs[r];
		if (pengine_clone_supported(g)) {
			struct pengine_action *cd = pengine_action_find(ws, g, "stopped", 0, NULL);
			for (int c = 0; cd && c < g->n_children; c++)
				probes_before(g->children[c], &cd, 1);
			continue;
		}
		if (g->kind != KIND_GROUP)
			continue;
		struct pengine_action *gd = pengine_action_find(ws, g, "stopped", 0, NULL);
		for (int c = 0; c < g->n_children; c++) {
			if (gd)
				probes_before(g->children[c], &gd, 1);
			if (c > 0) {
				int nt = pengine_rsc_task_actions(
				    ws, g->children[c - 1], "stop", false, t);
				probes_before(g->children[c], (struct pengine_action **)t->pdata, nt);
			}
		}
	}
}

/* If a probe finds its resource active, whatever is ordered after the resource (through
 * implying orderings) restarts: order the probe before those resources' stops. */
static void
restart_visit(struct pengine_action *probe, struct pengine_action *after)
{
	struct pengine_rsc *ar = after->rsc;
	if (ar && ar->kind == KIND_PRIMITIVE && ar != probe->rsc && after->task_id == TASK_START) {
		for (guint i = 0; i < ar->actions->len; i++) {
			struct pengine_action *s = ar->actions->pdata[i];
			if (s->interval_ms == 0 && s->task_id == TASK_STOP && !(s->flags & AF_PSEUDO))
				pengine_order_actions(probe, s, OF_OPTIONAL);
		}
	}
}

/* whether the walk goes on from `after` along edge e */
static bool
restart_follows(struct pengine_action *probe, struct pengine_action *after, struct pengine_edge e)
{
	if (e.flags & OF_IMPLIES_THEN)
		return true;
	struct pengine_rsc *ar = after->rsc, *nr = e.other->rsc;
	return !(ar == NULL || ar->kind == KIND_PRIMITIVE || probe->rsc->parent == ar ||
	    nr == NULL || nr->kind != KIND_PRIMITIVE || nr->parent != ar);
}

struct restart_frame {
	struct pengine_action *a;
	guint next; /* the next edge of a->after to look at */
};

/* Depth-first, in edge order, each action once per walk (marked with gen); an explicit
 * stack, so long ordering chains neither overflow nor get cut short. */
static void
restart_after_probe(struct pengine_action *probe, struct pengine_action *from, int gen, GArray *stack)
{
	if (from->mark == gen)
		return;
	from->mark = gen;
	restart_visit(probe, from);
	g_array_set_size(stack, 0);
	struct restart_frame f0 = { from, 0 };
	g_array_append_val(stack, f0);
	while (stack->len > 0) {
		struct restart_frame *top =
		    &g_array_index(stack, struct restart_frame, stack->len - 1);
		if (top->next >= top->a->after->len) {
			g_array_set_size(stack, stack->len - 1);
			continue;
		}
		struct pengine_action *a = top->a;
		struct pengine_edge e = g_array_index(a->after, struct pengine_edge, top->next++);
		if (!restart_follows(probe, a, e) || e.other->mark == gen)
			continue;
		e.other->mark = gen;
		restart_visit(probe, e.other);
		struct restart_frame f = { e.other, 0 };
		g_array_append_val(stack, f);
	}
}

void
pengine_restart_probe_orderings(struct pengine_ws *ws)
{
	int gen = 0;
	guint n = ws->actions->len;
	GArray *stack = g_array_new(false, false, sizeof(struct restart_frame));
	for (guint i = 0; i < n; i++) {
		struct pengine_action *p = ws->actions->pdata[i];
		if (!p->rsc || p->rsc->kind != KIND_PRIMITIVE || p->task_id != TASK_MONITOR ||
		    p->interval_ms != 0)
			continue;
		for (guint j = 0; j < p->after->len; j++) {
			gen++;
			restart_after_probe(
			    p, g_array_index(p->after, struct pengine_edge, j).other, gen, stack);
		}
	}
	g_array_free(stack, true);
}
