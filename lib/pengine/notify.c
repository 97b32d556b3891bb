/*
 * notify.c - clone notifications (notify=true): for every clone operation that happens
 * (start, stop, promote, demote) the pseudo-actions pre_notify_OP, confirmed-pre_notify_OP,
 * post_notify_DONE and confirmed-post_notify_DONE around it, and a "notify" action on each
 * instance active before (pre) or after (post) the operation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

static const char *const ops[][2] = { { "start", "running" }, { "stop", "stopped" },
	{ "promote", "promoted" }, { "demote", "demoted" } };

static struct pengine_action *
pseudo(struct pengine_ws *ws, struct pengine_rsc *c, const char *prefix, const char *op)
{
	char *task = xasprintf("%s%s", prefix, op);
	struct pengine_action *a = pengine_action_new(ws, c, task, 0, NULL, true);
	free(task);
	return a;
}

/* Called right after the clone's OP/DONE pseudo-actions exist, so ids interleave as in
 * Pacemaker. */
void
pengine_notify_create(struct pengine_ws *ws, struct pengine_rsc *c, int op)
{
	if (!c->notify)
		return;
	pseudo(ws, c, "pre_notify_", ops[op][0]);
	pseudo(ws, c, "confirmed-pre_notify_", ops[op][0]);
	pseudo(ws, c, "post_notify_", ops[op][1]);
	pseudo(ws, c, "confirmed-post_notify_", ops[op][1]);
}

static struct pengine_action *
find(struct pengine_ws *ws, struct pengine_rsc *c, const char *prefix, const char *op)
{
	char *task = xasprintf("%s%s", prefix, op);
	struct pengine_action *a = pengine_action_find(ws, c, task, 0, NULL);
	free(task);
	return a;
}

static struct pengine_action *
instance_notify(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n,
    const char *when, const char *op)
{
	char *task = xasprintf("%s_notify_%s", when, op);
	struct pengine_action *a = pengine_action_new(ws, r, task, 0, n, false);
	free(task);
	a->notify = true;
	return a;
}

/* still running where it is once the stops are done */
static bool
staying(struct pengine_rsc *r)
{
	if (r->n_running == 0)
		return false;
	for (guint i = 0; i < r->actions->len; i++) {
		struct pengine_action *a = r->actions->pdata[i];
		if (a->task_id == TASK_STOP && !(a->flags & AF_OPTIONAL))
			return false;
	}
	return true;
}

static bool
active_after(struct pengine_rsc *r)
{
	if (r->assigned == NULL)
		return false;
	for (guint i = 0; i < r->actions->len; i++) {
		struct pengine_action *a = r->actions->pdata[i];
		if (a->task_id == TASK_START && a->node == r->assigned)
			return (a->flags & AF_RUNNABLE) != 0;
	}
	return true;
}

/* an instance of c has a required, runnable action for task */
static bool
instance_does(const struct pengine_rsc *c, enum pengine_task task)
{
	for (int i = 0; i < c->n_children; i++) {
		const struct pengine_rsc *r = c->children[i];
		for (guint k = 0; k < r->actions->len; k++) {
			const struct pengine_action *a = r->actions->pdata[k];
			if (a->task_id == task && a->interval_ms == 0 && a->node &&
			    !(a->flags & AF_OPTIONAL) && (a->flags & AF_RUNNABLE))
				return true;
		}
	}
	return false;
}

static bool
outside_clone(const struct pengine_rsc *r, const struct pengine_rsc *c)
{
	for (; r; r = r->parent)
		if (r == c)
			return false;
	return true;
}

/* After propagation: notifications for the operations that really happen. */
void
pengine_notify_finish(struct pengine_ws *ws, struct pengine_rsc *c)
{
	if (!c->notify)
		return;
	struct pengine_action *prev_cpost[4];
	int n_prev = 0;
	static const int seq[] = { 3, 1, 0, 2 }; /* demote, stop, start, promote */
	for (int k = 0; k < 4; k++) {
		int op = seq[k];
		struct pengine_action *x = pengine_action_find(ws, c, ops[op][0], 0, NULL);
		struct pengine_action *done = pengine_action_find(ws, c, ops[op][1], 0, NULL);
		if (x == NULL || done == NULL || (x->flags & AF_OPTIONAL) ||
		    !(x->flags & AF_RUNNABLE))
			continue;
		struct pengine_action *pre_a = find(ws, c, "pre_notify_", ops[op][0]);
		struct pengine_action *cpre = find(ws, c, "confirmed-pre_notify_", ops[op][0]);
		struct pengine_action *post = find(ws, c, "post_notify_", ops[op][1]);
		struct pengine_action *cpost = find(ws, c, "confirmed-post_notify_", ops[op][1]);
		if (!pre_a || !cpre || !post || !cpost)
			continue;
		pre_a->flags &= ~AF_OPTIONAL;
		cpre->flags &= ~AF_OPTIONAL;
		post->flags &= ~AF_OPTIONAL;
		cpost->flags &= ~AF_OPTIONAL;
		pengine_order_actions(pre_a, cpre, OF_OPTIONAL);
		pengine_order_actions(cpre, x, OF_OPTIONAL);
		pengine_order_actions(done, post, OF_OPTIONAL);
		pengine_order_actions(cpre, post, OF_OPTIONAL);
		pengine_order_actions(post, cpost, OF_OPTIONAL);
		for (int p = 0; p < n_prev; p++)
			pengine_order_actions(prev_cpost[p], pre_a, OF_OPTIONAL);
		prev_cpost[n_prev++] = cpost;
		/* what is ordered after the clone's DONE from outside the clone waits for the
		 * notifications too (Pacemaker orders it after confirmed-post_notify_DONE) */
		for (guint j = 0; j < done->after->len; j++) {
			struct pengine_action *t =
			    g_array_index(done->after, struct pengine_edge, j).other;
			if (t->rsc && !outside_clone(t->rsc, c))
				continue;
			pengine_order_actions(cpost, t, OF_OPTIONAL);
		}
		if (op == 2 || op == 3 || op == 0) {
			/* role monitors start once everyone heard of the role change */
			for (int i = 0; i < c->n_children; i++) {
				struct pengine_rsc *r = c->children[i];
				for (guint j = 0; j < r->actions->len; j++) {
					struct pengine_action *m = r->actions->pdata[j];
					if (m->task_id == TASK_MONITOR && m->interval_ms > 0 &&
					    !(m->flags & AF_OPTIONAL))
						pengine_order_actions(cpost, m, OF_OPTIONAL);
				}
			}
		}
		/* a start no instance really does (a bundle's clone whose instance start is
		 * blocked) is notified to no one */
		if (op == 0 && !instance_does(c, TASK_START))
			continue;
		/* who hears about it: before a stop or demote everyone active now; before a start
		 * or promote, and after a stop, those that stay; after a start or promote, everyone
		 * active at the end */
		for (int i = 0; i < c->n_children; i++) {
			struct pengine_rsc *r = c->children[i];
			struct pengine_node *n = r->n_running ? r->running[0] : NULL;
			bool hears = (op == 1 || op == 3) ? n != NULL
			    : op == 0			  ? staying(r)
							  : active_after(r);
			if (op == 2)
				n = r->assigned;
			if (!hears || !n->online || n->unclean)
				continue;
			struct pengine_action *a = instance_notify(ws, r, n, "pre", ops[op][0]);
			pengine_order_actions(pre_a, a, OF_OPTIONAL);
			pengine_order_actions(a, cpre, OF_OPTIONAL);
		}
		for (int i = 0; i < c->n_children; i++) {
			struct pengine_rsc *r = c->children[i];
			bool hears = op == 1 ? staying(r)
			    : op == 3	     ? r->n_running > 0
					     : active_after(r);
			struct pengine_node *n =
			    op == 1 || op == 3 ? (r->n_running ? r->running[0] : NULL) : r->assigned;
			if (!hears || n == NULL || !n->online || n->unclean)
				continue;
			struct pengine_action *a = instance_notify(ws, r, n, "post", ops[op][0]);
			pengine_order_actions(post, a, OF_OPTIONAL);
			pengine_order_actions(a, cpost, OF_OPTIONAL);
		}
	}
}

/* Fencing node n stops the instances of notifying clones there: Pacemaker tells the
 * instances that stay, through a pseudo-action "PRIM_post_notify_stop_0" after the fencing,
 * a notify on each of them (the same one the clone's post-stop notification uses) and
 * "PRIM_notified_0" once they are done. */
void
pengine_notify_fencing(struct pengine_ws *ws, struct pengine_action *fence, struct pengine_node *n)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *c = ws->rscs[i];
		if (!pengine_clone_supported(c) || !c->notify || c->child_base == NULL)
			continue;
		struct pengine_rsc *hit = NULL;
		for (int k = 0; k < c->n_children && !hit; k++)
			if (pengine_rsc_active_on(c->children[k], n) &&
			    pengine_action_find(ws, c->children[k], "stop", 0, n))
				hit = c->children[k];
		if (!hit)
			continue;
		/* the fenced instance's pseudo-actions, named after the cloned primitive */
		struct pengine_action *p =
		    pengine_action_new(ws, hit, "fenced_post_notify_stop", 0, NULL, false);
		struct pengine_action *d =
		    pengine_action_new(ws, hit, "fenced_notified", 0, NULL, false);
		free(p->key);
		p->key = xasprintf("%s_post_notify_stop_0", c->child_base);
		free(d->key);
		d->key = xasprintf("%s_notified_0", c->child_base);
		p->flags |= AF_PSEUDO | AF_RUNNABLE;
		d->flags |= AF_PSEUDO | AF_RUNNABLE;
		pengine_order_actions(fence, p, OF_OPTIONAL);
		pengine_order_actions(p, d, OF_OPTIONAL);
		for (int k = 0; k < c->n_children; k++) {
			struct pengine_rsc *r = c->children[k];
			struct pengine_node *m = r->n_running == 1 ? r->running[0] : NULL;
			if (m == NULL || m == n || r->assigned != m || !m->online || m->unclean)
				continue;
			struct pengine_action *a = instance_notify(ws, r, m, "post", "stop");
			pengine_order_actions(p, a, OF_OPTIONAL);
			pengine_order_actions(a, d, OF_OPTIONAL);
		}
	}
}
