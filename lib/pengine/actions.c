/*
 * actions.c - create the actions a transition needs (probes, stops, starts, recurring
 * monitors, group pseudo-actions, fencing, shutdowns), the orderings between them, and
 * propagate "required" / "unrunnable" along orderings until nothing changes.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pe_private.h"

static char *hkey(const char *key, struct pe_node *node)
{
	return xasprintf("%s@%s", key, node ? node->uname : "");
}

struct pe_action *pe_action_find(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
				 long long interval_ms, struct pe_node *node)
{
	char *key = xasprintf("%s_%s_%lld", rsc ? rsc->id : "", task, interval_ms);
	char *h = hkey(key, node);
	struct pe_action *a = g_hash_table_lookup(ws->action_by_key, h);
	free(h);
	free(key);
	return a;
}

static bool node_usable(struct pe_node *n)
{
	return n && n->online && !n->unclean && !n->pending;
}

struct pe_action *pe_action_new(struct pe_ws *ws, struct pe_rsc *rsc, const char *task,
				long long interval_ms, struct pe_node *node, bool optional)
{
	char *key = rsc ? xasprintf("%s_%s_%lld", rsc->id, task, interval_ms) : xstrdup(task);
	char *h = hkey(key, node);
	struct pe_action *a = g_hash_table_lookup(ws->action_by_key, h);
	if (a) {
		free(h);
		free(key);
		if (!optional)
			a->flags &= ~AF_OPTIONAL;
		return a;
	}
	a = XNEW(struct pe_action);
	a->id = (int)ws->actions->len;
	a->rsc = rsc;
	a->node = node;
	a->task = xstrdup(task);
	a->interval_ms = interval_ms;
	a->key = key;
	a->flags = AF_RUNNABLE | (optional ? AF_OPTIONAL : 0);
	a->before = g_array_new(false, false, sizeof(struct pe_edge));
	a->after = g_array_new(false, false, sizeof(struct pe_edge));
	a->synapse = -1;
	if (rsc && rsc->kind != KIND_PRIMITIVE)
		a->flags |= AF_PSEUDO;
	if (rsc && rsc->kind == KIND_PRIMITIVE && !node_usable(node))
		a->flags &= ~AF_RUNNABLE;
	g_hash_table_insert(ws->action_by_key, h, a);
	g_ptr_array_add(ws->actions, a);
	if (rsc)
		g_ptr_array_add(rsc->actions, a);
	return a;
}

static struct pe_action *migration_of(struct pe_action *start, const char *task)
{
	struct pe_rsc *r = start->rsc;
	if (r == NULL || r->kind != KIND_PRIMITIVE)
		return NULL;
	if (!strcmp(start->task, "stop") && !strcmp(task, "migrate_to")) {
		/* what the source's stop waits for, the migration waits for too */
		bool migrating = false;
		for (guint i = 0; i < r->actions->len; i++) {
			struct pe_action *a = r->actions->pdata[i];
			if (!strcmp(a->task, "start") && (a->flags & AF_PSEUDO))
				migrating = true;
		}
		if (!migrating)
			return NULL;
	} else if (strcmp(start->task, "start") || !(start->flags & AF_PSEUDO)) {
		return NULL;
	}
	for (guint i = 0; i < r->actions->len; i++) {
		struct pe_action *a = r->actions->pdata[i];
		if (!strcmp(a->task, task))
			return a;
	}
	return NULL;
}

void pe_order_actions(struct pe_action *first, struct pe_action *then, int flags)
{
	if (first == NULL || then == NULL || first == then)
		return;
	if (first->rsc != then->rsc && first->rsc && then->rsc && first->rsc->parent != then->rsc &&
	    then->rsc->parent != first->rsc) {
		/* a migrating resource: its migrate_to waits for what its start waits for, and what
		 * waits for its start also waits for its migrate_from */
		struct pe_action *mt = migration_of(then, "migrate_to");
		struct pe_action *mf = !strcmp(first->task, "start") ? migration_of(first, "migrate_from") : NULL;
		if (mt)
			pe_order_actions(mf ? mf : first, mt, flags);
		else if (mf)
			pe_order_actions(mf, then, flags);
	}
	for (guint i = 0; i < first->after->len; i++) {
		struct pe_edge *e = &g_array_index(first->after, struct pe_edge, i);
		if (e->other == then) {
			e->flags |= flags;
			for (guint j = 0; j < then->before->len; j++) {
				struct pe_edge *b = &g_array_index(then->before, struct pe_edge, j);
				if (b->other == first)
					b->flags |= flags;
			}
			return;
		}
	}
	struct pe_edge e1 = { then, flags }, e2 = { first, flags };
	g_array_append_val(first->after, e1);
	g_array_append_val(then->before, e2);
}

static bool is_active_on(struct pe_rsc *r, struct pe_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return true;
	return false;
}

/* ---- probes ---- */

static bool probe_wanted(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n)
{
	if (r->kind != KIND_PRIMITIVE || r->orphan || ws->maintenance || (n->remote && pe_remote_banned(r)))
		return false;
	if (!n->online || n->unclean || n->pending || n->maintenance)
		return false;
	struct pe_rsc_node *pn = &r->pn[n->idx];
	if (pn->probed || pn->active || pn->role != ROLE_UNKNOWN)
		return false;
	return true;
}

static void probe_rsc(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n)
{
	if (r->kind == KIND_CLONE && !r->unique) {
		/* one probe a node for an anonymous clone, with the instance meant for it */
		if (!pe_clone_supported(r) || r->pn[n->idx].probed)
			return;
		struct pe_rsc *pick = NULL;
		for (int i = 0; i < r->n_children && !pick; i++)
			if (is_active_on(r->children[i], n) || r->children[i]->assigned == n)
				pick = r->children[i];
		for (int i = 0; i < r->n_children && !pick; i++)
			if (r->children[i]->assigned == NULL && r->children[i]->n_running == 0)
				pick = r->children[i];
		if (pick == NULL && r->n_children)
			pick = r->children[0];
		if (pick && probe_wanted(ws, pick, n))
			pe_action_new(ws, pick, "monitor", 0, n, false);
		return;
	}
	if (r->kind == KIND_GROUP || r->kind == KIND_CLONE) {
		for (int i = 0; i < r->n_children; i++)
			probe_rsc(ws, r->children[i], n);
		return;
	}
	if (probe_wanted(ws, r, n))
		pe_action_new(ws, r, "monitor", 0, n, false);
}

/* ---- per-resource actions ---- */

static void recurring(struct pe_ws *ws, struct pe_rsc *r, struct pe_action *start, struct pe_node *on)
{
	bool promotable = r->parent && r->parent->promotable;
	for (int i = 0; i < r->n_ops; i++) {
		struct pe_opdef *d = &r->ops[i];
		if (d->interval_ms <= 0 || strcmp(d->name, "monitor") || !d->enabled)
			continue;
		enum pe_role role = pe_role_parse(d->role);
		if (promotable && r->next_role == ROLE_PROMOTED) {
			if (role != ROLE_PROMOTED)
				continue;
		} else if (promotable ? (role != ROLE_UNKNOWN && role != ROLE_UNPROMOTED) :
			   (role != ROLE_UNKNOWN && role != ROLE_STARTED)) {
			continue;	/* role="Started" never matches a promotable instance */
		}
		char *k = xasprintf("monitor_%lld", d->interval_ms);
		bool have = false;
		GPtrArray *rec = r->pn[on->idx].recurring;
		for (guint j = 0; rec && j < rec->len; j++)
			if (!strcmp(rec->pdata[j], k))
				have = true;
		free(k);
		bool optional = (start->flags & AF_OPTIONAL) && have;
		struct pe_action *m = pe_action_new(ws, r, "monitor", d->interval_ms, on, optional);
		m->op = d;
		if (!(start->flags & AF_RUNNABLE))
			m->flags &= ~AF_RUNNABLE;
		pe_order_actions(start, m, OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
	}
}

static bool history_has(struct pe_rsc *r, struct pe_node *n, long long interval)
{
	char *k = xasprintf("monitor_%lld", interval);
	bool have = false;
	GPtrArray *rec = r->pn[n->idx].recurring;
	for (guint j = 0; rec && j < rec->len; j++)
		if (!strcmp(rec->pdata[j], k))
			have = true;
	free(k);
	return have;
}

static bool history_ever(struct pe_rsc *r, struct pe_node *n, long long interval)
{
	GArray *e = r->pn[n->idx].ever;
	for (guint i = 0; e && i < e->len; i++)
		if (g_array_index(e, long long, i) == interval)
			return true;
	return false;
}

/* Monitors with role="Stopped" run on every node where the resource is not going to be. */
static void recurring_stopped(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *chosen, bool only_cancel)
{
	for (int i = 0; i < r->n_ops; i++) {
		struct pe_opdef *d = &r->ops[i];
		if (d->interval_ms <= 0 || strcmp(d->name, "monitor") || !d->enabled ||
		    pe_role_parse(d->role) != ROLE_STOPPED)
			continue;
		for (int k = 0; k < ws->n_nodes; k++) {
			struct pe_node *n = ws->nodes[k];
			bool have = history_has(r, n, d->interval_ms);
			if (n == chosen) {
				if (have || history_ever(r, n, d->interval_ms)) {
					/* the history's monitor becomes its cancellation */
					struct pe_action *c = pe_action_find(ws, r, "monitor", d->interval_ms, n);
					if (c) {
						free(c->task);
						c->task = xstrdup("cancel");
						c->flags &= ~AF_OPTIONAL;
					} else {
						c = pe_action_new(ws, r, "cancel", d->interval_ms, n, false);
					}
					struct pe_action *st = pe_action_find(ws, r, "start", 0, n);
					pe_order_actions(c, st, OF_OPTIONAL);
				}
				continue;
			}
			if (only_cancel || !n->online || n->unclean || n->pending)
				continue;
			struct pe_action *stop = pe_action_find(ws, r, "stop", 0, n);
			bool optional = have && !is_active_on(r, n);
			struct pe_action *m = pe_action_new(ws, r, "monitor", d->interval_ms, n, optional);
			m->op = d;
			struct pe_action *probe = pe_action_find(ws, r, "monitor", 0, n);
			if (probe)
				pe_order_actions(probe, m, OF_OPTIONAL);
			if (stop) {
				pe_order_actions(stop, m, OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
				if (!(stop->flags & AF_OPTIONAL))
					m->flags &= ~AF_OPTIONAL;
			}
		}
	}
}

/* A promotable instance: demote where it is promoted and must not stay so, promote where
 * it is chosen to be; returns the action its recurring monitors follow. */
/* Changing role: the running monitors of the old role are cancelled first. */
static void cancel_role_monitors(struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n, enum pe_role role,
				 struct pe_action *before)
{
	for (int i = 0; i < r->n_ops; i++) {
		struct pe_opdef *d = &r->ops[i];
		enum pe_role orole = pe_role_parse(d->role);
		if (d->interval_ms <= 0 || strcmp(d->name, "monitor") || !d->enabled)
			continue;
		if (role == ROLE_PROMOTED ? orole != ROLE_PROMOTED :
		    (orole != ROLE_UNPROMOTED && orole != ROLE_UNKNOWN && orole != ROLE_STARTED))
			continue;
		struct pe_action *m = pe_action_find(ws, r, "monitor", d->interval_ms, n);
		if (m == NULL || !(m->flags & AF_OPTIONAL))
			continue;	/* only ones the history says are running */
		free(m->task);
		m->task = xstrdup("cancel");
		m->flags &= ~AF_OPTIONAL;
		pe_order_actions(m, before, OF_OPTIONAL);
	}
}

static struct pe_action *promotion_actions(struct pe_ws *ws, struct pe_rsc *r, struct pe_action *st,
					   struct pe_node *chosen, bool need_stop)
{
	struct pe_node *cur = r->n_running ? r->running[0] : NULL;
	struct pe_action *d = NULL;
	if (cur && r->role == ROLE_PROMOTED &&
	    (cur != chosen || r->next_role != ROLE_PROMOTED || need_stop)) {
		d = pe_action_new(ws, r, "demote", 0, cur, false);
		struct pe_action *stop = pe_action_find(ws, r, "stop", 0, cur);
		pe_order_actions(d, stop, OF_OPTIONAL);
		cancel_role_monitors(ws, r, cur, ROLE_PROMOTED, d);
	}
	if (r->next_role == ROLE_PROMOTED) {
		bool req = r->role != ROLE_PROMOTED || cur != chosen || need_stop;
		struct pe_action *p = pe_action_new(ws, r, "promote", 0, chosen, !req);
		if (!(st->flags & AF_RUNNABLE))
			p->flags &= ~AF_RUNNABLE;
		pe_order_actions(st, p, OF_RUNNABLE_LEFT | OF_IMPLIES_THEN);
		if (req && cur == chosen && !need_stop)
			cancel_role_monitors(ws, r, cur, ROLE_UNPROMOTED, p);
		return p;
	}
	/* demoted in place: the unpromoted monitors follow the demotion */
	if (d && cur == chosen && !need_stop)
		return d;
	return st;
}

static void primitive_actions(struct pe_ws *ws, struct pe_rsc *r)
{
	struct pe_node *chosen = r->assigned;
	if (!r->managed) {
		/* unmanaged but active: its recurring monitors still run where it is */
		if (r->n_running >= 1 && !ws->maintenance && !r->running[0]->maintenance &&
		    node_usable(r->running[0])) {
			struct pe_action *st = pe_action_new(ws, r, "start", 0, r->running[0], true);
			if (r->parent && r->parent->promotable)
				r->next_role = r->role;
			recurring(ws, r, st, r->running[0]);
			recurring_stopped(ws, r, r->running[0], true);
		}
		return;
	}
	bool moving = false;
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] != chosen)
			moving = true;
	bool need_stop = moving || (r->failed && !r->blocked) || r->restart_due;
	bool no_quorum = !ws->have_quorum && ws->no_quorum_policy == NQP_STOP;
	if (no_quorum && r->n_running > 0)
		need_stop = true;
	if (r->failed && r->blocked) {
		/* it should stop but may not: what must stop after it cannot either */
		for (int i = 0; i < r->n_running; i++) {
			struct pe_action *s = pe_action_new(ws, r, "stop", 0, r->running[i], false);
			s->flags &= ~AF_RUNNABLE;
		}
		return;
	}
	const char *ma = pe_meta(r, "multiple-active");
	if (r->n_running > 1 && ma && !strcmp(ma, "stop_only")) {
		chosen = NULL;	/* active in several places: stop everywhere */
		if (r->assigned)
			r->assigned->n_assigned--;
		r->assigned = NULL;
	}
	struct pe_action *stops[16];
	int n_stops = 0;
	for (int i = 0; i < r->n_running; i++) {
		struct pe_node *n = r->running[i];
		bool req = need_stop && (r->running[i] != chosen || r->failed || r->restart_due);
		if (moving && r->n_running > 1)
			req = true;
		struct pe_action *s = pe_action_new(ws, r, "stop", 0, n, !req);
		if (chosen == NULL && !s->reason)
			s->reason = "node availability";
		if (r->orphan && req) {
			/* an orphan's history is removed once it is stopped */
			struct pe_action *del = pe_action_new(ws, r, "delete", 0, n, false);
			pe_order_actions(s, del, OF_OPTIONAL);
		}
		if (n_stops < 16)
			stops[n_stops++] = s;
	}
	if (chosen) {
		bool req = need_stop || r->n_running == 0 || !is_active_on(r, chosen);
		struct pe_action *st = pe_action_new(ws, r, "start", 0, chosen, !req);
		if (no_quorum || (!ws->have_quorum && ws->no_quorum_policy == NQP_FREEZE &&
				  !is_active_on(r, chosen))) {
			st->flags &= ~AF_RUNNABLE;
			st->reason = no_quorum ? "no quorum" : "quorum freeze";
		}
		for (int i = 0; i < n_stops; i++)
			pe_order_actions(stops[i], st, OF_RESTART | OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
		struct pe_action *trigger = st;
		if (r->parent && r->parent->promotable)
			trigger = promotion_actions(ws, r, st, chosen, need_stop);
		recurring(ws, r, trigger, chosen);
		struct pe_node *cur = r->n_running == 1 ? r->running[0] : NULL;
		if (cur && cur != chosen && !r->failed && !r->restart_due && node_usable(cur) &&
		    (st->flags & AF_RUNNABLE) && pe_is_true(pe_meta(r, "allow-migrate")) &&
		    (r->parent == NULL || r->parent->kind == KIND_GROUP)) {
			/* live migration: migrate_to, migrate_from, then the stop; the start is implied */
			struct pe_action *mt = pe_action_new(ws, r, "migrate_to", 0, cur, false);
			struct pe_action *mf = pe_action_new(ws, r, "migrate_from", 0, chosen, false);
			st->flags |= AF_PSEUDO;
			pe_order_actions(mt, mf, OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
			pe_order_actions(mf, stops[0], OF_OPTIONAL);
			pe_order_actions(mf, st, OF_OPTIONAL);
		}
	}
	if (chosen == NULL && r->parent && r->parent->promotable && r->role == ROLE_PROMOTED && r->n_running) {
		/* a promoted instance that stops is demoted first */
		struct pe_action *d = pe_action_new(ws, r, "demote", 0, r->running[0], false);
		pe_order_actions(d, pe_action_find(ws, r, "stop", 0, r->running[0]), OF_OPTIONAL);
	}
	recurring_stopped(ws, r, chosen, false);
}

static void rsc_actions(struct pe_ws *ws, struct pe_rsc *r)
{
	if (r->kind == KIND_PRIMITIVE) {
		primitive_actions(ws, r);
		return;
	}
	if (r->kind != KIND_GROUP && !pe_clone_supported(r))
		return;
	for (int i = 0; i < r->n_children; i++)
		rsc_actions(ws, r->children[i]);
	bool clone = r->kind == KIND_CLONE;
	pe_action_new(ws, r, "start", 0, NULL, true);
	pe_action_new(ws, r, "running", 0, NULL, true);
	if (clone)
		pe_notify_create(ws, r, 0);
	pe_action_new(ws, r, "stop", 0, NULL, true);
	pe_action_new(ws, r, "stopped", 0, NULL, true);
	if (clone)
		pe_notify_create(ws, r, 1);
	if (r->promotable) {
		pe_action_new(ws, r, "promote", 0, NULL, true);
		pe_action_new(ws, r, "promoted", 0, NULL, true);
		pe_notify_create(ws, r, 2);
		pe_action_new(ws, r, "demote", 0, NULL, true);
		pe_action_new(ws, r, "demoted", 0, NULL, true);
		pe_notify_create(ws, r, 3);
	}
}

/* All actions of rsc for task (interval 0), mapped through groups' pseudo-actions. */
static int rsc_task_actions(struct pe_ws *ws, struct pe_rsc *r, const char *task, bool as_first,
			    struct pe_action **out, int max)
{
	int n = 0;
	if (r->kind == KIND_GROUP || r->kind == KIND_CLONE) {
		const char *t = task;
		if (as_first && !strcmp(task, "start"))
			t = "running";
		else if (as_first && !strcmp(task, "stop"))
			t = "stopped";
		else if (as_first && !strcmp(task, "promote"))
			t = "promoted";
		else if (as_first && !strcmp(task, "demote"))
			t = "demoted";
		struct pe_action *a = pe_action_find(ws, r, t, 0, NULL);
		if (a && max > 0)
			out[n++] = a;
		return n;
	}
	for (guint i = 0; i < r->actions->len && n < max; i++) {
		struct pe_action *a = r->actions->pdata[i];
		if (a->interval_ms == 0 && !strcmp(a->task, task))
			out[n++] = a;
	}
	return n;
}

static void clone_orderings(struct pe_ws *ws, struct pe_rsc *r)
{
	struct pe_action *cs = pe_action_find(ws, r, "start", 0, NULL);
	struct pe_action *cr = pe_action_find(ws, r, "running", 0, NULL);
	struct pe_action *cp = pe_action_find(ws, r, "stop", 0, NULL);
	struct pe_action *cd = pe_action_find(ws, r, "stopped", 0, NULL);
	struct pe_action *buf[64];
	pe_order_actions(cp, cd, OF_RUNNABLE_LEFT);
	pe_order_actions(cs, cr, OF_RUNNABLE_LEFT);
	pe_order_actions(cd, cs, OF_OPTIONAL);
	if (r->promotable) {
		struct pe_action *pp = pe_action_find(ws, r, "promote", 0, NULL);
		struct pe_action *pd = pe_action_find(ws, r, "promoted", 0, NULL);
		struct pe_action *dp = pe_action_find(ws, r, "demote", 0, NULL);
		struct pe_action *dd = pe_action_find(ws, r, "demoted", 0, NULL);
		pe_order_actions(cr, pp, OF_OPTIONAL);
		pe_order_actions(cd, pp, OF_OPTIONAL);
		pe_order_actions(dp, dd, OF_RUNNABLE_LEFT);
		pe_order_actions(dd, cp, OF_OPTIONAL);
		pe_order_actions(dd, cs, OF_OPTIONAL);
		pe_order_actions(dd, pp, OF_OPTIONAL);
		for (int c = 0; c < r->n_children; c++) {
			int n = rsc_task_actions(ws, r->children[c], "promote", false, buf, 64);
			for (int i = 0; i < n; i++) {
				pe_order_actions(pp, buf[i], OF_RUNNABLE_LEFT);
				pe_order_actions(buf[i], pd, OF_OPTIONAL);
			}
			n = rsc_task_actions(ws, r->children[c], "demote", false, buf, 64);
			for (int i = 0; i < n; i++) {
				pe_order_actions(dp, buf[i], OF_OPTIONAL);
				pe_order_actions(buf[i], dd, OF_OPTIONAL);
			}
		}
	}
	/* ordered=true: instances start one after another and stop in reverse */
	if (pe_is_true(pe_meta(r, "ordered"))) {
		struct pe_action *prev[16], *cur[16];
		int np = 0;
		for (int c = 0; c < r->n_children; c++) {
			int nc = rsc_task_actions(ws, r->children[c], "start", false, cur, 16);
			for (int a = 0; a < np; a++)
				for (int b = 0; b < nc; b++)
					pe_order_actions(prev[a], cur[b], OF_OPTIONAL);
			if (nc) {
				memcpy(prev, cur, nc * sizeof(*cur));
				np = nc;
			}
		}
		np = 0;
		for (int c = 0; c < r->n_children; c++) {
			int nc = rsc_task_actions(ws, r->children[c], "stop", false, cur, 16);
			for (int a = 0; a < np; a++)
				for (int b = 0; b < nc; b++)
					pe_order_actions(cur[b], prev[a], OF_OPTIONAL);
			if (nc) {
				memcpy(prev, cur, nc * sizeof(*cur));
				np = nc;
			}
		}
	}
	for (int c = 0; c < r->n_children; c++) {
		int ns = rsc_task_actions(ws, r->children[c], "start", false, buf, 64);
		for (int i = 0; i < ns; i++) {
			pe_order_actions(cs, buf[i], OF_RUNNABLE_LEFT);
			pe_order_actions(buf[i], cr, OF_OPTIONAL);
		}
		int np = rsc_task_actions(ws, r->children[c], "stop", false, buf, 64);
		for (int i = 0; i < np; i++) {
			pe_order_actions(cp, buf[i], OF_OPTIONAL);
			pe_order_actions(buf[i], cd, OF_OPTIONAL);
		}
	}
}

static void internal_orderings(struct pe_ws *ws, struct pe_rsc *r)
{
	if (pe_clone_supported(r)) {
		clone_orderings(ws, r);
		return;
	}
	if (r->kind != KIND_GROUP)
		return;
	struct pe_action *gs = pe_action_find(ws, r, "start", 0, NULL);
	struct pe_action *gr = pe_action_find(ws, r, "running", 0, NULL);
	struct pe_action *gp = pe_action_find(ws, r, "stop", 0, NULL);
	struct pe_action *gd = pe_action_find(ws, r, "stopped", 0, NULL);
	struct pe_action *buf[64], *prev_start[64], *prev_stop[64];
	int n_ps = 0, n_pp = 0;
	pe_order_actions(gp, gd, OF_RUNNABLE_LEFT);
	pe_order_actions(gs, gr, OF_RUNNABLE_LEFT);
	pe_order_actions(gd, gs, OF_OPTIONAL);
	for (int c = 0; c < r->n_children; c++) {
		struct pe_rsc *ch = r->children[c];
		int ns = rsc_task_actions(ws, ch, "start", false, buf, 64);
		for (int i = 0; i < ns; i++) {
			pe_order_actions(gs, buf[i], OF_RUNNABLE_LEFT);
			pe_order_actions(buf[i], gr, OF_RUNNABLE_LEFT);
			for (int j = 0; j < n_ps; j++)
				pe_order_actions(prev_start[j], buf[i], OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
		}
		if (ns > 0 || ch->assigned == NULL) {
			n_ps = ns;
			memcpy(prev_start, buf, ns * sizeof(*buf));
		}
		int np = rsc_task_actions(ws, ch, "stop", false, buf, 64);
		for (int i = 0; i < np; i++) {
			pe_order_actions(gp, buf[i], OF_OPTIONAL);
			pe_order_actions(buf[i], gd, OF_RUNNABLE_LEFT);
			for (int j = 0; j < n_pp; j++)
				pe_order_actions(buf[i], prev_stop[j], OF_IMPLIES_FIRST | OF_RUNNABLE_LEFT);
		}
		if (np > 0) {
			n_pp = np;
			memcpy(prev_stop, buf, np * sizeof(*buf));
		}
	}
}

static void constraint_orderings(struct pe_ws *ws)
{
	for (guint i = 0; i < ws->orders->len; i++) {
		struct pe_order *o = ws->orders->pdata[i];
		struct pe_action *f[64], *t[64];
		int nf = rsc_task_actions(ws, o->first_rsc, o->first_task, true, f, 64);
		int nt = rsc_task_actions(ws, o->then_rsc, o->then_task, false, t, 64);
		if (nf == 0 && (o->flags & OF_RUNNABLE_LEFT) && o->first_rsc->kind == KIND_PRIMITIVE) {
			/* the first action will not happen at all: an unrunnable stand-in */
			struct pe_action *a = pe_action_new(ws, o->first_rsc, o->first_task, 0, NULL, true);
			a->flags &= ~AF_RUNNABLE;
			f[nf++] = a;
		}
		for (int a = 0; a < nf; a++)
			for (int b = 0; b < nt; b++)
				pe_order_actions(f[a], t[b], o->flags);
	}
}

static bool rsc_active_on(struct pe_rsc *r, struct pe_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return true;
	return false;
}

static bool promoted_now(struct pe_rsc *c, struct pe_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->role == ROLE_PROMOTED && rsc_active_on(c->children[i], n))
			return true;
	return false;
}

/* Anti-colocated resources trading places: the one leaving a node (or leaving the promoted
 * role there) goes first, then the other arrives (or is promoted). */
static void anti_colocation_orderings(struct pe_ws *ws)
{
	struct pe_action *f[64], *t[64];
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pe_coloc *c = ws->colocs->pdata[i];
		if (c->score > -INF)
			continue;
		struct pe_rsc *pair[2][2] = { { c->dep, c->primary }, { c->primary, c->dep } };
		enum pe_role roles[2][2] = { { c->dep_role, c->primary_role }, { c->primary_role, c->dep_role } };
		for (int k = 0; k < 2; k++) {
			struct pe_rsc *x = pair[k][0], *y = pair[k][1];
			bool xp = roles[k][0] == ROLE_PROMOTED && x->kind == KIND_CLONE && x->promotable;
			bool yp = roles[k][1] == ROLE_PROMOTED && y->kind == KIND_CLONE && y->promotable;
			for (int n = 0; n < ws->n_nodes; n++) {
				struct pe_node *node = ws->nodes[n];
				bool enters = xp ? pe_clone_promoted_on(x, node) && !promoted_now(x, node) :
					      x->kind != KIND_CLONE && x->assigned == node && !rsc_active_on(x, node);
				bool leaves = yp ? promoted_now(y, node) && !pe_clone_promoted_on(y, node) :
					      y->kind != KIND_CLONE && rsc_active_on(y, node) && y->assigned != node;
				if (!enters || !leaves)
					continue;
				int nf = rsc_task_actions(ws, y, yp ? "demote" : "stop", true, f, 64);
				int nt = rsc_task_actions(ws, x, xp ? "promote" : "start", false, t, 64);
				for (int a = 0; a < nf; a++)
					for (int b = 0; b < nt; b++)
						pe_order_actions(f[a], t[b], OF_OPTIONAL);
			}
		}
	}
}

/* require-all=false: a pseudo-action runnable when any member can start, which the next
 * set waits for. */
static void one_or_more_orderings(struct pe_ws *ws)
{
	struct pe_action *f[64], *t[64];
	for (guint i = 0; i < ws->one_or_more->len; i++) {
		struct pe_one_or_more *o = ws->one_or_more->pdata[i];
		struct pe_action *p = pe_action_new(ws, NULL, o->id, 0, NULL, true);
		p->flags |= AF_PSEUDO;
		for (int k = 0; k < o->n_members; k++) {
			int nf = rsc_task_actions(ws, o->members[k], o->action, true, f, 64);
			if (nf == 0 && o->members[k]->kind == KIND_PRIMITIVE) {
				/* a member that will not start at all counts as unrunnable */
				f[0] = pe_action_new(ws, o->members[k], o->action, 0, NULL, true);
				f[0]->flags &= ~AF_RUNNABLE;
				nf = 1;
			}
			for (int a = 0; a < nf; a++)
				pe_order_actions(f[a], p, OF_ONE_OR_MORE);
		}
		for (int k = 0; k < o->n_next; k++) {
			int nt = rsc_task_actions(ws, o->next[k], o->next_action, false, t, 64);
			for (int b = 0; b < nt; b++)
				pe_order_actions(p, t[b], OF_RUNNABLE_LEFT | OF_IMPLIES_THEN);
		}
	}
}

static void probe_orderings(struct pe_ws *ws)
{
	for (guint i = 0; i < ws->actions->len; i++) {
		struct pe_action *p = ws->actions->pdata[i];
		if (!p->rsc || strcmp(p->task, "monitor") || p->interval_ms != 0)
			continue;
		struct pe_action *buf[64];
		/* a clone instance's probe comes before the clone starts anything */
		struct pe_rsc *target = p->rsc->parent && p->rsc->parent->kind == KIND_CLONE ?
					p->rsc->parent : p->rsc;
		int ns = rsc_task_actions(ws, target, "start", false, buf, 64);
		for (int k = 0; k < ns; k++)
			pe_order_actions(p, buf[k], OF_OPTIONAL);
	}
}

static int rsc_probes(struct pe_rsc *r, struct pe_action **out, int max)
{
	int n = 0;
	if (r->kind != KIND_PRIMITIVE)
		return 0;
	for (guint i = 0; i < r->actions->len && n < max; i++) {
		struct pe_action *a = r->actions->pdata[i];
		if (a->interval_ms == 0 && !strcmp(a->task, "monitor"))
			out[n++] = a;
	}
	return n;
}

/* A probe may find the resource active, which then has to be stopped: so the probes of a
 * resource whose stop is ordered before something come before that something too. */
static void probes_before(struct pe_rsc *x, struct pe_action **then, int nt)
{
	struct pe_action *p[256];
	int np = rsc_probes(x, p, 256);
	for (int i = 0; i < np; i++)
		for (int k = 0; k < nt; k++)
			if (then[k]->rsc != x)
				pe_order_actions(p[i], then[k], OF_OPTIONAL);
}

static void first_probe_orderings(struct pe_ws *ws)
{
	struct pe_action *t[64];
	for (guint i = 0; i < ws->orders->len; i++) {
		struct pe_order *o = ws->orders->pdata[i];
		if (strcmp(o->first_task, "stop") || o->first_rsc->kind != KIND_PRIMITIVE ||
		    o->first_rsc == o->then_rsc)
			continue;
		int nt = rsc_task_actions(ws, o->then_rsc, o->then_task, false, t, 64);
		probes_before(o->first_rsc, t, nt);
	}
	for (int r = 0; r < ws->n_rscs; r++) {
		struct pe_rsc *g = ws->rscs[r];
		if (pe_clone_supported(g)) {
			struct pe_action *cd = pe_action_find(ws, g, "stopped", 0, NULL);
			for (int c = 0; cd && c < g->n_children; c++)
				probes_before(g->children[c], &cd, 1);
			continue;
		}
		if (g->kind != KIND_GROUP)
			continue;
		struct pe_action *gd = pe_action_find(ws, g, "stopped", 0, NULL);
		for (int c = 0; c < g->n_children; c++) {
			if (gd)
				probes_before(g->children[c], &gd, 1);
			if (c > 0) {
				int nt = rsc_task_actions(ws, g->children[c - 1], "stop", false, t, 64);
				probes_before(g->children[c], t, nt);
			}
		}
	}
}

/* If a probe finds its resource active, whatever is ordered after the resource (through
 * implying orderings) restarts: order the probe before those resources' stops. */
static void restart_after_probe(struct pe_action *probe, struct pe_action *after, int gen, int depth)
{
	if (after->mark == gen || depth > 200)
		return;
	after->mark = gen;
	struct pe_rsc *ar = after->rsc;
	if (ar && ar->kind == KIND_PRIMITIVE && ar != probe->rsc && !strcmp(after->task, "start")) {
		for (guint i = 0; i < ar->actions->len; i++) {
			struct pe_action *s = ar->actions->pdata[i];
			if (s->interval_ms == 0 && !strcmp(s->task, "stop") && !(s->flags & AF_PSEUDO))
				pe_order_actions(probe, s, OF_OPTIONAL);
		}
	}
	for (guint j = 0; j < after->after->len; j++) {
		struct pe_edge e = g_array_index(after->after, struct pe_edge, j);
		if (!(e.flags & OF_IMPLIES_THEN)) {
			struct pe_rsc *nr = e.other->rsc;
			if (ar == NULL || ar->kind == KIND_PRIMITIVE || probe->rsc->parent == ar || nr == NULL ||
			    nr->kind != KIND_PRIMITIVE || nr->parent != ar)
				continue;
		}
		restart_after_probe(probe, e.other, gen, depth + 1);
	}
}

static void restart_probe_orderings(struct pe_ws *ws)
{
	int gen = 0;
	guint n = ws->actions->len;
	for (guint i = 0; i < n; i++) {
		struct pe_action *p = ws->actions->pdata[i];
		if (!p->rsc || p->rsc->kind != KIND_PRIMITIVE || strcmp(p->task, "monitor") || p->interval_ms != 0)
			continue;
		for (guint j = 0; j < p->after->len; j++) {
			gen++;
			restart_after_probe(p, g_array_index(p->after, struct pe_edge, j).other, gen, 0);
		}
	}
}

static void require(struct pe_action *a, const char *reason, bool *changed)
{
	if (a->flags & AF_OPTIONAL) {
		a->flags &= ~AF_OPTIONAL;
		if (!a->reason)
			a->reason = reason;
		*changed = true;
	}
}

static struct pe_ws *reason_ws;

static const char *reason_of(struct pe_action *a, const char *what)
{
	if (a->rsc == NULL)
		return pe_keep(reason_ws, xasprintf("%s %s", what, a->task));
	return pe_keep(reason_ws, xasprintf("%s %s %s", what, a->rsc->id, a->task));
}

static void propagate(struct pe_ws *ws)
{
	bool changed = true;
	int rounds = 0;
	reason_ws = ws;
	while (changed && rounds++ < 1000) {
		changed = false;
		for (guint i = 0; i < ws->actions->len; i++) {
			struct pe_action *a = ws->actions->pdata[i];
			for (guint j = 0; j < a->after->len; j++) {
				struct pe_edge *e = &g_array_index(a->after, struct pe_edge, j);
				struct pe_action *t = e->other;
				if ((e->flags & OF_IMPLIES_THEN) && !(a->flags & AF_OPTIONAL) &&
				    (a->flags & AF_RUNNABLE) && (t->flags & AF_OPTIONAL) &&
				    (t->flags & AF_RUNNABLE))
					require(t, reason_of(a, "required"), &changed);
				if ((e->flags & OF_RUNNABLE_LEFT) && !(a->flags & AF_RUNNABLE) &&
				    (t->flags & AF_RUNNABLE) &&
				    !(a->rsc && a->rsc->kind != KIND_PRIMITIVE && (a->flags & AF_OPTIONAL))) {
					t->flags &= ~AF_RUNNABLE;
					if (!t->reason)
						t->reason = reason_of(a, "unrunnable");
					changed = true;
					/* a symmetrical order: what cannot start again stops */
					if ((e->flags & OF_SYMMETRIC) && t->rsc && t->rsc->kind == KIND_PRIMITIVE &&
					    !strcmp(t->task, "start"))
						for (int k = 0; k < t->rsc->n_running; k++) {
							struct pe_action *sp = pe_action_find(ws, t->rsc, "stop", 0,
											      t->rsc->running[k]);
							if (sp)
								require(sp, t->reason, &changed);
						}
				}
				if ((e->flags & OF_IMPLIES_FIRST) && !(t->flags & AF_OPTIONAL) &&
				    (a->flags & AF_OPTIONAL) &&
				    !(t->rsc && t->rsc->kind == KIND_CLONE && a->rsc != t->rsc &&
				      !(a->rsc && a->rsc->parent == t->rsc)))
					require(a, t->reason ? t->reason : reason_of(t, "required"), &changed);
				if ((e->flags & OF_RESTART) && a->rsc && is_active_on(a->rsc, a->node) &&
				    (a->flags & AF_OPTIONAL) &&
				    !(t->flags & AF_OPTIONAL)) {
					require(a, t->reason, &changed);
				}
			}
		}
		/* one-or-more: runnable while any input marked so is */
		for (guint i = 0; i < ws->actions->len; i++) {
			struct pe_action *a = ws->actions->pdata[i];
			bool has = false, any = false, req = false;
			for (guint j = 0; j < a->before->len; j++) {
				struct pe_edge *e = &g_array_index(a->before, struct pe_edge, j);
				if (!(e->flags & OF_ONE_OR_MORE))
					continue;
				has = true;
				if (!(e->other->flags & AF_OPTIONAL) && (e->other->flags & AF_RUNNABLE))
					req = true;
				if ((e->other->flags & AF_RUNNABLE) && !(e->other->node == NULL && e->other->rsc &&
									  e->other->rsc->kind == KIND_PRIMITIVE))
					any = true;
			}
			if (has && !any && (a->flags & AF_RUNNABLE)) {
				a->flags &= ~AF_RUNNABLE;
				changed = true;
			}
			if (has && req)
				require(a, NULL, &changed);
		}
		/* group pseudo-actions follow their members */
		for (int r = 0; r < ws->n_rscs; r++) {
			struct pe_rsc *g = ws->rscs[r];
			if (g->kind != KIND_GROUP && !pe_clone_supported(g))
				continue;
			static const char *pairs[][2] = { { "start", "start" }, { "running", "start" },
							  { "stop", "stop" }, { "stopped", "stop" },
							  { "promote", "promote" }, { "promoted", "promote" },
							  { "demote", "demote" }, { "demoted", "demote" } };
			for (int p = 0; p < 8; p++) {
				struct pe_action *ga = pe_action_find(ws, g, pairs[p][0], 0, NULL);
				if (!ga || !(ga->flags & AF_OPTIONAL))
					continue;
				for (int c = 0; c < g->n_children; c++) {
					struct pe_action *buf[16];
					int n = rsc_task_actions(ws, g->children[c], pairs[p][1], false, buf, 16);
					for (int k = 0; k < n; k++)
						if (!(buf[k]->flags & AF_OPTIONAL) &&
						    ((buf[k]->flags & AF_RUNNABLE) ||
						     (g->kind == KIND_GROUP && !strcmp(pairs[p][0], "stop"))))
							require(ga, NULL, &changed);
				}
			}
		}
	}
}

static void fencing(struct pe_ws *ws)
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
			if (s == NULL && !rs->pn[n->idx].probed && !rs->pn[n->idx].active && rs->assigned &&
			    rs->assigned != n) {
				struct pe_action *st = pe_action_find(ws, rs, "start", 0, rs->assigned);
				if (st && !(st->flags & AF_OPTIONAL))
					pe_order_actions(f, st, OF_OPTIONAL);
			}
			if (s) {
				s->flags |= AF_PSEUDO | AF_RUNNABLE;
				/* a fencing device's own stop there needs no wait */
				if (!(rs->cls && !strcmp(rs->cls, "stonith")))
					pe_order_actions(f, s, OF_IMPLIES_THEN);
				if (rs->parent && !(rs->cls && !strcmp(rs->cls, "stonith")))
					pe_order_actions(f, pe_action_find(ws, rs->parent, "stop", 0, NULL), OF_OPTIONAL);
				/* and its start elsewhere waits for the fencing itself */
				if (rs->assigned && rs->assigned != n && !(rs->cls && !strcmp(rs->cls, "stonith")))
					pe_order_actions(f, pe_action_find(ws, rs, "start", 0, rs->assigned), OF_OPTIONAL);
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
			struct pe_action *s = ws->rscs[r]->kind == KIND_PRIMITIVE ?
					      pe_action_find(ws, ws->rscs[r], "stop", 0, n) : NULL;
			if (s)
				pe_order_actions(s, d, OF_RUNNABLE_LEFT);
		}
	}
}

/* Recurring monitors found active in the history (optional), and the start of a resource
 * whose parameters changed, exist before anything else,
 * as in Pacemaker, which matters for the order of a resource's synapses. */
static void history_monitors(struct pe_ws *ws)
{
	for (int n = 0; n < ws->n_nodes; n++) {
		struct pe_node *node = ws->nodes[n];
		if (!node->online || node->unclean)
			continue;
		for (int i = 0; i < ws->n_rscs; i++) {
			struct pe_rsc *r = ws->rscs[i];
			if (r->kind != KIND_PRIMITIVE || !r->pn[n].hist_ops)
				continue;
			GArray *h = r->pn[n].hist_ops;
			for (guint k = 0; k < h->len; k++)
				pe_action_new(ws, r, "monitor", g_array_index(h, long long, k), node, true);
			/* changed parameters: the restart's start exists from the history on, as in
			 * Pacemaker (it places the resource's synapses) */
			if (r->restart_due && r->pn[n].active && r->n_running == 1 && !r->orphan &&
			    (r->parent == NULL || r->parent->kind == KIND_GROUP))
				pe_action_new(ws, r, "start", 0, node, false);
		}
	}
}

/* Expired fail counts are cleared (Pacemaker schedules this while unpacking). */
static void clear_failcounts(struct pe_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE)
			continue;
		for (int n = 0; n < ws->n_nodes; n++) {
			struct pe_rsc_node *pn = &r->pn[n];
			bool expired = r->failure_timeout > 0 && pn->failcount > 0 &&
				       pn->last_failure + r->failure_timeout <= ws->now.epoch;
			if ((pn->fail_disabled || pn->fail_changed) && pn->failcount > 0)
				expired = true;	/* the failed operation is disabled or changed now */
			if (!expired && !(pn->fail_expired && pn->failcount > 0))
				continue;
			if (pn->failed && r->blocked)
				continue;	/* a blocking failure stays */
			if (!ws->nodes[n]->online)
				continue;
			struct pe_action *a = pe_action_new(ws, r, "clear_failcount", 0, ws->nodes[n], false);
			a->flags |= AF_CLUSTER;
		}
	}
}

/* With a placement strategy, stops on a node come before starts there (its load drops
 * first): one pseudo-action per node in between. */
static void load_orderings(struct pe_ws *ws)
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

/* A recurring monitor running according to the history that the configuration no longer
 * defines is cancelled (unless the resource stops there anyway). */
static void cancel_undefined(struct pe_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || ws->maintenance || !ws->stop_orphan_actions)
			continue;
		for (int n = 0; n < ws->n_nodes; n++) {
			GArray *h = r->pn[n].hist_ops;
			struct pe_node *node = ws->nodes[n];
			if (!h || !r->pn[n].active || !node->online || node->unclean)
				continue;
			struct pe_action *stop = pe_action_find(ws, r, "stop", 0, node);
			if (stop && !(stop->flags & AF_OPTIONAL))
				continue;
			for (guint k = 0; k < h->len; k++) {
				long long iv = g_array_index(h, long long, k);
				bool defined = false;
				for (int o = 0; o < r->n_ops; o++)
					if (r->ops[o].interval_ms == iv && !strcmp(r->ops[o].name, "monitor") &&
					    (r->ops[o].enabled || r->ops[o].duplicate))
						defined = true;
				if (node->maintenance || pe_is_true(pe_meta(r, "maintenance")))
					defined = false;	/* nothing is watched in maintenance */
				struct pe_action *m = pe_action_find(ws, r, "monitor", iv, node);
				if (defined || m == NULL || !(m->flags & AF_OPTIONAL))
					continue;
				free(m->task);
				m->task = xstrdup("cancel");
				m->flags &= ~AF_OPTIONAL;
			}
		}
	}
}

/* A resource cannot migrate while something it must start after is itself changing: it
 * moves the ordinary way, waiting for that stop (Pacemaker's "unrunnable X stop"). */
static void abort_migrations(struct pe_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || r->assigned == NULL)
			continue;
		struct pe_action *st = pe_action_find(ws, r, "start", 0, r->assigned);
		struct pe_action *mt = NULL, *mf = NULL;
		for (guint k = 0; k < r->actions->len; k++) {
			struct pe_action *a = r->actions->pdata[k];
			if (!strcmp(a->task, "migrate_to"))
				mt = a;
			else if (!strcmp(a->task, "migrate_from"))
				mf = a;
		}
		if (st == NULL || mt == NULL || mf == NULL)
			continue;
		struct pe_rsc *blocker = NULL;
		for (guint k = 0; k < st->before->len && !blocker; k++) {
			struct pe_edge e = g_array_index(st->before, struct pe_edge, k);
			struct pe_action *f = e.other;
			if (f->rsc && f->rsc != r && f->rsc->kind == KIND_PRIMITIVE &&
			    (e.flags & (OF_IMPLIES_THEN | OF_RUNNABLE_LEFT)) && !(f->flags & AF_OPTIONAL) &&
			    !strcmp(f->task, "start") && !(f->flags & AF_PSEUDO))
				blocker = f->rsc;
		}
		if (blocker == NULL)
			continue;
		mt->flags |= AF_OPTIONAL;
		mf->flags |= AF_OPTIONAL;
		mt->flags &= ~AF_RUNNABLE;
		mf->flags &= ~AF_RUNNABLE;
		st->flags &= ~AF_PSEUDO;
		r->move_reason = pe_keep(ws, xasprintf("due to unrunnable %s stop", blocker->id));
	}
}

void pe_create_actions(struct pe_ws *ws)
{
	history_monitors(ws);
	clear_failcounts(ws);
	/* probes: every node, every resource in processing order */
	for (int n = 0; n < ws->n_nodes; n++)
		for (int i = 0; i < ws->n_order; i++)
			probe_rsc(ws, ws->order[i], ws->nodes[n]);
	for (int i = 0; i < ws->n_order; i++)
		rsc_actions(ws, ws->order[i]);
	/* orphans' fail counts go with them */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		if (!r->orphan || !r->managed || r->kind != KIND_PRIMITIVE)
			continue;
		for (int n = 0; n < ws->n_nodes; n++)
			if (r->pn[n].failcount > 0 && ws->nodes[n]->online &&
			    !pe_action_find(ws, r, "clear_failcount", 0, ws->nodes[n]))
				pe_action_new(ws, r, "clear_failcount", 0, ws->nodes[n], false)->flags |= AF_CLUSTER;
	}
	if (strcmp(ws->placement_strategy, "default") != 0)
		load_orderings(ws);
	for (int i = 0; i < ws->n_order; i++)
		internal_orderings(ws, ws->order[i]);
	constraint_orderings(ws);
	one_or_more_orderings(ws);
	anti_colocation_orderings(ws);
	probe_orderings(ws);
	abort_migrations(ws);
	first_probe_orderings(ws);
	restart_probe_orderings(ws);
	fencing(ws);
	propagate(ws);
	for (int i = 0; i < ws->n_rscs; i++)
		if (pe_clone_supported(ws->rscs[i]))
			pe_notify_finish(ws, ws->rscs[i]);
	cancel_undefined(ws);
}
