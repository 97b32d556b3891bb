/*
 * propagate.c - settle every action's "required" and "runnable" flags by following the
 * orderings' flags until nothing changes (a fixpoint: flags only ever go one way, so it ends
 * after at most two changes per action).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

static void
require(struct pengine_action *a, const char *reason, bool *changed)
{
	if (a->flags & AF_OPTIONAL) {
		a->flags &= ~AF_OPTIONAL;
		if (!a->reason)
			a->reason = reason;
		*changed = true;
	}
}

static const char *
reason_of(struct pengine_ws *ws, struct pengine_action *a, const char *what)
{
	if (a->rsc == NULL)
		return pengine_keep(ws, xasprintf("%s %s", what, a->task));
	/* a notifying clone's completion reaches outside through its confirmed
	 * post-notification (notify.c), which Pacemaker names "notified" */
	if (a->rsc->kind == KIND_CLONE && a->rsc->notify && a->node == NULL &&
	    (a->task_id == TASK_RUNNING || a->task_id == TASK_STOPPED ||
		a->task_id == TASK_PROMOTED || a->task_id == TASK_DEMOTED))
		return pengine_keep(ws, xasprintf("%s %s notified", what, a->rsc->id));
	/* a notification pseudo-action reads as Pacemaker names its task */
	const char *task = !strncmp(a->task, "confirmed-post_notify_", 22) ? "notified"
	    : !strncmp(a->task, "confirmed-pre_notify_", 21)		   ? "notified"
	    : !strncmp(a->task, "post_notify_", 12) || !strncmp(a->task, "pre_notify_", 11)
	    ? "notify"
	    : a->task;
	return pengine_keep(ws, xasprintf("%s %s %s", what, a->rsc->id, task));
}

static bool
inside(const struct pengine_rsc *r, const struct pengine_rsc *c)
{
	for (; r; r = r->parent)
		if (r == c)
			return true;
	return false;
}

/* A clone's start required by something outside it (a mandatory ordering) requires every
 * instance's start: running instances restart, as in Pacemaker. */
static void
implied_into_instances(
    struct pengine_ws *ws, struct pengine_action *a, struct pengine_action *t, bool *changed)
{
	struct pengine_rsc *c = t->rsc;
	if (c && c->kind == KIND_GROUP && t->task_id == TASK_START && a->rsc &&
	    (a->rsc->kind == KIND_PRIMITIVE || a->rsc->kind == KIND_CLONE ||
		(a->rsc->kind == KIND_GROUP && a->task_id == TASK_RUNNING) ||
		(a->rsc->parent && a->rsc->parent->kind == KIND_CLONE)) &&
	    !inside(a->rsc, c) && c->n_children > 0) {
		/* a group's start required by a primitive or a clone outside (or by an
		 * interleaved clone instance) restarts its first member (the member chain
		 * restarts the rest), as Pacemaker orders members */
		/* (a first member already restarting for its own reason passes it to the
		 * next one: generated case 910055) */
		PENGINE_ALIST(buf);
		for (int m = 0; m < c->n_children; m++) {
			int n = pengine_rsc_task_actions(ws, c->children[m], "start", false, buf);
			bool already = n > 0;
			for (int k = 0; k < n; k++) {
				struct pengine_action *s = buf->pdata[k];
				if ((s->flags & AF_RUNNABLE) && (s->flags & AF_OPTIONAL)) {
					require(s, reason_of(ws, a, "required"), changed);
					already = false;
				} else if (s->flags & AF_OPTIONAL) {
					already = false;
				}
			}
			if (!already)
				break;
		}
		return;
	}
	if (c && c->kind == KIND_BUNDLE && t->task_id == TASK_START && t->node == NULL &&
	    !inside(a->rsc, c)) {
		/* a bundle's start required from outside restarts its containers */
		for (int i = 0; i < c->n_replicas; i++) {
			struct pengine_rsc *ct = c->replicas[i].container;
			for (guint k = 0; k < ct->actions->len; k++) {
				struct pengine_action *s = ct->actions->pdata[k];
				if (s->task_id == TASK_START && s->interval_ms == 0 &&
				    (s->flags & AF_RUNNABLE) && (s->flags & AF_OPTIONAL))
					require(s, reason_of(ws, a, "required"), changed);
			}
		}
		return;
	}
	if (c == NULL || c->kind != KIND_CLONE || t->task_id != TASK_START || inside(a->rsc, c))
		return;
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *ch = c->children[i];
		for (guint k = 0; k < ch->actions->len; k++) {
			struct pengine_action *s = ch->actions->pdata[k];
			if (s->task_id == TASK_START && s->interval_ms == 0 &&
			    (s->flags & AF_RUNNABLE) && (s->flags & AF_OPTIONAL))
				require(s, reason_of(ws, a, "required"), changed);
		}
	}
}

/* A clone's cluster-wide start or promote required from outside: Pacemaker requires its
 * instances' actions (implied_into_instances), and the clone's follows them. */
static bool
clone_pseudo_from_outside(const struct pengine_action *a, const struct pengine_action *t)
{
	return t->rsc && t->rsc->kind == KIND_CLONE && t->node == NULL &&
	    (t->task_id == TASK_START || t->task_id == TASK_PROMOTE) && !inside(a->rsc, t->rsc);
}

/* A clone's start (or running) ordered before a primitive's action on a node: Pacemaker
 * reads the clone's flags on that node, so the primitive is required only when an instance
 * starts there (generated case 920002: a clone starting elsewhere restarts nothing) */
static bool
clone_quiet_on(struct pengine_ws *ws, const struct pengine_action *a, const struct pengine_action *t)
{
	const struct pengine_rsc *c = a->rsc;
	if (c == NULL || c->kind != KIND_CLONE || a->node ||
	    (a->task_id != TASK_RUNNING && a->task_id != TASK_START) || t->rsc == NULL ||
	    t->rsc->kind != KIND_PRIMITIVE || t->node == NULL || inside(t->rsc, c))
		return false;
	PENGINE_ALIST(buf);
	for (int i = 0; i < c->n_children; i++) {
		int n = pengine_rsc_task_actions(ws, c->children[i], "start", false, buf);
		for (int k = 0; k < n; k++) {
			struct pengine_action *s = buf->pdata[k];
			if (s->node == t->node && !(s->flags & AF_OPTIONAL))
				return false;
		}
	}
	return true;
}

/* Whether a group's or clone's cluster-wide pseudo-action can run, as the first of an
 * ordering: Pacemaker derives it from the members. A group's start/running/promote/promoted
 * needs every member's action runnable (a member without one, say a stopped or disabled
 * member, blocks it); a stop or demote only needs the existing ones runnable. A clone's
 * needs one instance's action runnable. Other actions: their own flag. */
static bool
first_runnable(struct pengine_ws *ws, struct pengine_action *a, int depth)
{
	if (!(a->flags & AF_RUNNABLE))
		return false;
	struct pengine_rsc *r = a->rsc;
	if (r == NULL || r->kind == KIND_PRIMITIVE || a->node || depth > 8)
		return true;
	/* a clone's confirmed post-notification (what follows the clone from outside,
	 * action.c) can run when the completion it confirms can */
	if (r->kind == KIND_CLONE && !strncmp(a->task, "confirmed-post_notify_", 22)) {
		struct pengine_action *done = pengine_action_find(ws, r, a->task + 22, 0, NULL);
		return done == NULL || first_runnable(ws, done, depth + 1);
	}
	const char *task;
	bool needs_all = false;
	switch (a->task_id) {
	case TASK_START:
	case TASK_RUNNING:
		task = "start";
		needs_all = true;
		break;
	case TASK_PROMOTE:
	case TASK_PROMOTED:
		task = "promote";
		needs_all = true;
		break;
	case TASK_STOP:
	case TASK_STOPPED: task = "stop"; break;
	case TASK_DEMOTE:
	case TASK_DEMOTED: task = "demote"; break;
	default: return true;
	}
	bool any = false;
	PENGINE_ALIST(buf);
	for (int c = 0; c < r->n_children; c++) {
		int n = pengine_rsc_task_actions(ws, r->children[c], task, false, buf);
		if (r->kind == KIND_GROUP && n == 0 && needs_all)
			return false;
		for (int k = 0; k < n; k++) {
			bool ok = first_runnable(ws, buf->pdata[k], depth + 1);
			if (r->kind == KIND_GROUP && !ok)
				return false;
			any = any || ok;
		}
	}
	return r->kind == KIND_GROUP || any;
}

static bool
placed_somewhere(const struct pengine_rsc *r)
{
	if (r->assigned)
		return true;
	for (int i = 0; i < r->n_children; i++)
		if (placed_somewhere(r->children[i]))
			return true;
	return false;
}

/* The start of the member before t's in its group, when that member is active and its
 * start implies t's (the member chain) */
static struct pengine_action *
member_before(struct pengine_action *t)
{
	for (guint j = 0; j < t->before->len; j++) {
		struct pengine_edge *e = &g_array_index(t->before, struct pengine_edge, j);
		struct pengine_action *p = e->other;
		if ((e->flags & OF_IMPLIES_THEN) && p->task_id == TASK_START && p->rsc &&
		    p->rsc != t->rsc && p->rsc->parent == t->rsc->parent &&
		    p->rsc->n_running > 0 && p->rsc->managed)
			return p;
	}
	return NULL;
}

/* A clone's or group's start (or a group instance's) made unrunnable by a mandatory
 * ordering from outside it: its instances or members cannot start either, and running ones stop ("due to
 * unrunnable X running"), as Pacemaker does. */
static bool
blocked_from_outside(const struct pengine_action *a)
{
	const struct pengine_rsc *c = a->rsc;
	if (c == NULL || a->task_id != TASK_START || a->unrunnable_by == NULL || a->node)
		return false;
	if (c->kind == KIND_GROUP && c->parent && c->parent->kind == KIND_CLONE)
		c = c->parent;
	if (c->kind != KIND_CLONE && c->kind != KIND_GROUP)
		return false;
	const struct pengine_rsc *b = a->unrunnable_by->rsc;
	/* a group: only by a resource that runs nowhere afterwards (its running members
	 * stay while what it follows keeps running, say an unmanaged promotable clone), or by
	 * a group that cannot be running (a member disabled: bug-1718) */
	if (c->kind == KIND_GROUP &&
	    (b == NULL || inside(b, c) || (b->kind != KIND_GROUP && placed_somewhere(b))))
		return false;
	if (b == c && a->rsc != c) /* a group instance blocked by its clone's start */
		return blocked_from_outside(a->unrunnable_by);
	return b == NULL || !inside(b, c); /* a pseudo-action without a resource is outside */
}

/* A primitive placed but unable to start (an ordering blocks it) blocks the promotion of
 * instances whose Promoted role is mandatorily colocated with it on that node ("due to
 * colocation with X"), as Pacemaker blocks colocation dependents. */
static void
block_promoted_dependents(struct pengine_ws *ws, bool *changed)
{
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		struct pengine_rsc *p = c->primary, *d = c->dep;
		if (c->score < INF || c->dep_role != ROLE_PROMOTED || d->kind != KIND_CLONE ||
		    !d->promotable || p->kind != KIND_PRIMITIVE || p->assigned == NULL ||
		    pengine_rsc_active_on(p, p->assigned))
			continue;
		struct pengine_action *st = pengine_action_find(ws, p, "start", 0, p->assigned);
		if (st == NULL || (st->flags & AF_RUNNABLE))
			continue;
		for (int k = 0; k < d->n_children; k++) {
			struct pengine_rsc *inst = d->children[k];
			struct pengine_action *pr = inst->assigned == p->assigned
			    ? pengine_action_find(ws, inst, "promote", 0, inst->assigned)
			    : NULL;
			if (pr == NULL || !(pr->flags & AF_RUNNABLE))
				continue;
			pr->flags &= ~AF_RUNNABLE;
			pr->reason = pengine_keep(ws, xasprintf("colocation with %s", p->id));
			*changed = true;
			/* the clone promotes nothing when no other instance can */
			bool other = false;
			for (int j = 0; j < d->n_children; j++) {
				struct pengine_rsc *o = d->children[j];
				struct pengine_action *op = o->assigned
				    ? pengine_action_find(ws, o, "promote", 0, o->assigned)
				    : NULL;
				if (op && (op->flags & AF_RUNNABLE) && !(op->flags & AF_OPTIONAL))
					other = true;
			}
			for (int j = 0; !other && j < 2; j++) {
				struct pengine_action *ca = pengine_action_find(
				    ws, d, j == 0 ? "promote" : "promoted", 0, NULL);
				if (ca)
					ca->flags &= ~AF_RUNNABLE;
			}
		}
	}
}

/* Why a resource whose start cannot run stops: what its start says, except for an instance
 * of a promotable clone (not a bundle's) blocked by an ordering from outside the clone,
 * whose stop Pacemaker 2.1.5 reports as required by that ordering's first action ("due to
 * required B start", where a plain clone's instance says "unrunnable B start") */
const char *
pengine_stop_reason(struct pengine_ws *ws, struct pengine_action *start)
{
	struct pengine_rsc *r = start->rsc;
	if (!pengine_promotable_instance(r) || r->parent->parent != NULL)
		return start->reason;
	struct pengine_action *why = start->unrunnable_by;
	while (why && why->rsc && inside(why->rsc, r->parent) && why->unrunnable_by)
		why = why->unrunnable_by;
	/* a group's or clone's pseudo-action keeps "unrunnable" (generated case gen-66) */
	if (why == NULL || why->rsc == NULL || inside(why->rsc, r->parent) ||
	    why->rsc->kind != KIND_PRIMITIVE)
		return start->reason;
	return reason_of(ws, why, "required");
}

/* Group, bundle and clone pseudo-actions follow their members: required when a member's
 * is (a group's stop even when blocked, a clone's stop unless blocked by a failure) */
static void
members_lead(struct pengine_ws *ws, bool only_groups, bool *changed)
{
	for (int r = 0; r < ws->n_rscs; r++) {
		struct pengine_rsc *g = ws->rscs[r];
		if (g->kind != KIND_GROUP && (only_groups ||
		    (g->kind != KIND_BUNDLE && !pengine_clone_supported(g))))
			continue;
		static const char *pairs[][2] = { { "start", "start" },
			{ "running", "start" }, { "stop", "stop" }, { "stopped", "stop" },
			{ "promote", "promote" }, { "promoted", "promote" },
			{ "demote", "demote" }, { "demoted", "demote" } };
		for (int p = 0; p < 8; p++) {
			struct pengine_action *ga =
			    pengine_action_find(ws, g, pairs[p][0], 0, NULL);
			if (!ga || !(ga->flags & AF_OPTIONAL))
				continue;
			for (int c = 0; c < g->n_children; c++) {
				PENGINE_ALIST(buf);
				int n = pengine_rsc_task_actions(
				    ws, g->children[c], pairs[p][1], false, buf);
				for (int k = 0; k < n; k++)
					if (!(((struct pengine_action *)buf->pdata[k])->flags &
						AF_OPTIONAL) &&
					    ((((struct pengine_action *)buf->pdata[k])->flags &
						 AF_RUNNABLE) ||
						(g->kind == KIND_GROUP &&
						    !strcmp(pairs[p][0], "stop")) ||
						(g->kind == KIND_CLONE &&
						    !strcmp(pairs[p][1], "stop") &&
						    !(g->children[c]->failed &&
							g->children[c]->blocked))))
						require(ga, NULL, changed);
				/* a member that stops for want of quorum where the
				 * group is placed elsewhere: its start there is
				 * blocked but required by its stop, and Pacemaker
				 * prints the group's start for it (group14) */
				struct pengine_rsc *ch = g->children[c];
				if (g->kind == KIND_GROUP && p == 0 && g->assigned &&
				    ch->assigned == NULL && ch->n_running > 0 &&
				    ch->managed && !ch->disabled &&
				    pengine_quorum_stops(ws, ch))
					require(ga, NULL, changed);
			}
		}
	}
}

void
pengine_propagate(struct pengine_ws *ws)
{
	bool changed = true;
	while (changed) { /* ends: flags only ever change one way */
		changed = false;
		/* members first: a group that must run again is required before what it
		 * blocks is found unrunnable (generated case 910032) */
		members_lead(ws, true, &changed);
		block_promoted_dependents(ws, &changed);
		/* a clone's cluster-wide running (or promoted) that no instance can reach is
		 * itself unrunnable, as Pacemaker clears a collective action's flag when no
		 * instance can run it (bug-suse-707150: a clone of groups with a disabled
		 * member) */
		for (int i = 0; i < ws->n_rscs; i++) {
			struct pengine_rsc *c = ws->rscs[i];
			if (c->kind != KIND_CLONE || !pengine_clone_supported(c))
				continue;
			static const char *const done[] = { "running", "promoted" };
			for (int k = 0; k < 2; k++) {
				struct pengine_action *x = pengine_action_find(ws, c, done[k], 0, NULL);
				if (x && (x->flags & AF_RUNNABLE) && !first_runnable(ws, x, 0)) {
					x->flags &= ~AF_RUNNABLE;
					changed = true;
				}
			}
		}
		for (guint i = 0; i < ws->actions->len; i++) {
			struct pengine_action *a = ws->actions->pdata[i];
			for (guint j = 0; j < a->after->len; j++) {
				struct pengine_edge *e =
				    &g_array_index(a->after, struct pengine_edge, j);
				struct pengine_action *t = e->other;
				/* Pacemaker does not ask whether first can run: a required but
				 * blocked first still requires then (which it then blocks); a
				 * step of a live migration requires no primitive after it */
				if ((e->flags & OF_IMPLIES_THEN) && !(a->flags & AF_OPTIONAL) &&
				    !(t->rsc && t->rsc->kind == KIND_PRIMITIVE &&
					pengine_migration_step(a)) &&
				    !(a->flags & AF_PRINT_ONLY) && (t->flags & AF_OPTIONAL) &&
				    (t->flags & AF_RUNNABLE) &&
				    (a->flags & AF_RUNNABLE || t->task_id == TASK_START) &&
				    !clone_pseudo_from_outside(a, t) &&
				    !clone_quiet_on(ws, a, t))
					require(t,
					    a->rsc && a->rsc == t->rsc ? NULL
								       : reason_of(ws, a, "required"),
					    &changed);
				if ((e->flags & OF_IMPLIES_THEN) && !(a->flags & AF_OPTIONAL) &&
				    !(a->flags & AF_PRINT_ONLY) && (a->flags & AF_RUNNABLE) &&
				    (t->flags & AF_RUNNABLE))
					implied_into_instances(ws, a, t, &changed);
				if ((e->flags & OF_RUNNABLE_LEFT) && (t->flags & AF_RUNNABLE) &&
				    !((e->flags & OF_ASYMMETRIC) && (t->flags & AF_OPTIONAL)) &&
				    (a->rsc && a->rsc->kind != KIND_PRIMITIVE && inside(t->rsc, a->rsc)
					    ? !(a->flags & AF_RUNNABLE) &&
						(!(a->flags & AF_OPTIONAL) || blocked_from_outside(a))
					    : !first_runnable(ws, a, 0))) {
					t->flags &= ~AF_RUNNABLE;
					/* a group or clone pseudo-action passes on the reason it got from
					 * outside: Pacemaker orders the members against that action */
					if (!t->reason && a->unrunnable_by && a->rsc && t->rsc &&
					    a->rsc->kind != KIND_PRIMITIVE &&
					    t->rsc->parent == a->rsc && a->node == NULL &&
					    !inside(a->unrunnable_by->rsc, a->rsc)) {
						/* through a clone's start into its group instance: the
						 * action outside the clone */
						struct pengine_action *why = a->unrunnable_by;
						while (why->unrunnable_by && why->rsc &&
						    why->rsc->kind == KIND_CLONE &&
						    inside(a->rsc, why->rsc))
							why = why->unrunnable_by;
						t->reason = reason_of(ws, why, "unrunnable");
						/* a later member staying where it is (its start
						 * not required yet) whose member before it is
						 * active: that one's start, required by its stop,
						 * reaches it first (bug-1718; not when it moves,
						 * generated case 910045) */
						struct pengine_action *prev = member_before(t);
						if (a->rsc->kind == KIND_GROUP && prev &&
						    (t->flags & AF_OPTIONAL))
							t->reason = reason_of(ws, prev, "required");
					}
					t->unrunnable_by = a;
					/* what makes it unrunnable says more than what required it
					 * (Pacemaker reports the blocked start) */
					if (!t->reason ||
					    (a->rsc && a->rsc->kind == KIND_PRIMITIVE &&
						!strncmp(t->reason, "required ", 9)))
						t->reason = reason_of(ws, a, "unrunnable");
					changed = true;
					/* a symmetrical order: what cannot start again stops */
					if ((e->flags & OF_SYMMETRIC) && t->rsc &&
					    t->rsc->kind == KIND_PRIMITIVE &&
					    t->task_id == TASK_START)
						for (int k = 0; k < t->rsc->n_running; k++) {
							struct pengine_action *sp =
							    pengine_action_find(ws, t->rsc, "stop",
								0, t->rsc->running[k]);
							if (sp)
								require(sp, t->reason, &changed);
						}
				}
				/* (a primitive's stop that is a migration step requires nothing
				 * before it: Pacemaker's first is only required by then's
				 * restart, which a migration does not need) */
				if ((e->flags & OF_IMPLIES_FIRST) && !(t->flags & AF_OPTIONAL) &&
				    (a->flags & AF_OPTIONAL) &&
				    !(a->rsc && a->rsc->kind == KIND_PRIMITIVE &&
					pengine_migration_step(t)) &&
				    !(t->rsc && t->rsc->kind == KIND_CLONE && a->rsc != t->rsc &&
					!(a->rsc && a->rsc->parent == t->rsc)) &&
				    !(a->rsc &&
					(a->rsc->kind == KIND_CLONE || a->rsc->kind == KIND_BUNDLE) &&
					!inside(t->rsc, a->rsc)))
					require(a,
					    t->reason ? t->reason : reason_of(ws, t, "required"),
					    &changed);
				/* a required stop waiting for the stop of a blocked resource (the
				 * inverse of a mandatory ordering) cannot happen either */
				if ((e->flags & OF_IMPLIES_FIRST) && a->task_id == TASK_STOP &&
				    t->task_id == TASK_STOP && a->rsc && t->rsc &&
				    a->rsc->kind == KIND_PRIMITIVE && t->rsc->kind == KIND_PRIMITIVE &&
				    !(a->flags & AF_RUNNABLE) && !(a->flags & AF_OPTIONAL) &&
				    (t->flags & AF_RUNNABLE) && !(t->flags & AF_OPTIONAL)) {
					t->flags &= ~AF_RUNNABLE;
					if (!t->reason)
						t->reason = reason_of(ws, a, "unrunnable");
					changed = true;
				}
				/* a resource whose start cannot run stops where it is */
				if ((e->flags & OF_RESTART) && a->rsc && a->rsc == t->rsc &&
				    a->rsc->managed && !(t->flags & AF_RUNNABLE) &&
				    (a->flags & AF_RUNNABLE) && (a->flags & AF_OPTIONAL))
					require(a, NULL, &changed);
				if ((e->flags & OF_RESTART) && a->rsc &&
				    pengine_rsc_active_on(a->rsc, a->node) &&
				    (a->flags & AF_OPTIONAL) && !(t->flags & AF_OPTIONAL)) {
					require(a, t->reason, &changed);
				}
			}
		}
		/* one-or-more: runnable while any input marked so is */
		for (guint i = 0; i < ws->actions->len; i++) {
			struct pengine_action *a = ws->actions->pdata[i];
			bool has = false, req = false;
			int any = 0;
			for (guint j = 0; j < a->before->len; j++) {
				struct pengine_edge *e =
				    &g_array_index(a->before, struct pengine_edge, j);
				if (!(e->flags & OF_ONE_OR_MORE))
					continue;
				has = true;
				if (!(e->other->flags & AF_OPTIONAL) &&
				    (e->other->flags & AF_RUNNABLE))
					req = true;
				if ((e->other->flags & AF_RUNNABLE) &&
				    !(e->other->node == NULL && e->other->rsc &&
					e->other->rsc->kind == KIND_PRIMITIVE))
					any++;
			}
			if (has && any < (a->min_runnable > 1 ? a->min_runnable : 1) &&
			    (a->flags & AF_RUNNABLE)) {
				a->flags &= ~AF_RUNNABLE;
				changed = true;
			}
			if (has && req)
				require(a, NULL, &changed);
		}
		/* a clone's notifications are confirmed when its operation happens: what is
		 * ordered after the confirmation (pengine_rsc_task_actions) learns it now,
		 * before notify.c builds them */
		for (int r = 0; r < ws->n_rscs; r++) {
			struct pengine_rsc *c = ws->rscs[r];
			if (c->kind != KIND_CLONE || !c->notify || !pengine_clone_supported(c))
				continue;
			static const char *const done[][2] = { { "start", "running" },
				{ "stop", "stopped" }, { "promote", "promoted" },
				{ "demote", "demoted" } };
			for (int k = 0; k < 4; k++) {
				struct pengine_action *x =
				    pengine_action_find(ws, c, done[k][0], 0, NULL);
				if (!x || (x->flags & AF_OPTIONAL) || !(x->flags & AF_RUNNABLE))
					continue;
				char *task = xasprintf("confirmed-post_notify_%s", done[k][1]);
				struct pengine_action *cp = pengine_action_find(ws, c, task, 0, NULL);
				free(task);
				if (cp)
					require(cp, NULL, &changed);
			}
		}
		members_lead(ws, false, &changed);
	}
}
