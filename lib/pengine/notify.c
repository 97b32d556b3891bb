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
#include "pe_private.h"

static const char *const ops[][2] = { { "start", "running" }, { "stop", "stopped" },
	{ "promote", "promoted" }, { "demote", "demoted" } };

static struct pe_action *
pseudo(struct pe_ws *ws, struct pe_rsc *c, const char *prefix, const char *op)
{
	char *task = xasprintf("%s%s", prefix, op);
	struct pe_action *a = pe_action_new(ws, c, task, 0, NULL, true);
	free(task);
	return a;
}

/* Called right after the clone's OP/DONE pseudo-actions exist, so ids interleave as in
 * Pacemaker. */
void
pe_notify_create(struct pe_ws *ws, struct pe_rsc *c, int op)
{
	if (!c->notify)
		return;
	pseudo(ws, c, "pre_notify_", ops[op][0]);
	pseudo(ws, c, "confirmed-pre_notify_", ops[op][0]);
	pseudo(ws, c, "post_notify_", ops[op][1]);
	pseudo(ws, c, "confirmed-post_notify_", ops[op][1]);
}

static struct pe_action *
find(struct pe_ws *ws, struct pe_rsc *c, const char *prefix, const char *op)
{
	char *task = xasprintf("%s%s", prefix, op);
	struct pe_action *a = pe_action_find(ws, c, task, 0, NULL);
	free(task);
	return a;
}

static struct pe_action *
instance_notify(
    struct pe_ws *ws, struct pe_rsc *r, struct pe_node *n, const char *when, const char *op)
{
	char *task = xasprintf("%s_notify_%s", when, op);
	struct pe_action *a = pe_action_new(ws, r, task, 0, n, false);
	free(task);
	a->notify = true;
	return a;
}

/* still running where it is once the stops are done */
static bool
staying(struct pe_rsc *r)
{
	if (r->n_running == 0)
		return false;
	for (guint i = 0; i < r->actions->len; i++) {
		struct pe_action *a = r->actions->pdata[i];
		if (a->task_id == TASK_STOP && !(a->flags & AF_OPTIONAL))
			return false;
	}
	return true;
}

static bool
active_after(struct pe_rsc *r)
{
	if (r->assigned == NULL)
		return false;
	for (guint i = 0; i < r->actions->len; i++) {
		struct pe_action *a = r->actions->pdata[i];
		if (a->task_id == TASK_START && a->node == r->assigned)
			return (a->flags & AF_RUNNABLE) != 0;
	}
	return true;
}

/* After propagation: notifications for the operations that really happen. */
void
pe_notify_finish(struct pe_ws *ws, struct pe_rsc *c)
{
	if (!c->notify)
		return;
	struct pe_action *prev_cpost[4];
	int n_prev = 0;
	static const int seq[] = { 3, 1, 0, 2 }; /* demote, stop, start, promote */
	for (int k = 0; k < 4; k++) {
		int op = seq[k];
		struct pe_action *x = pe_action_find(ws, c, ops[op][0], 0, NULL);
		struct pe_action *done = pe_action_find(ws, c, ops[op][1], 0, NULL);
		if (x == NULL || done == NULL || (x->flags & AF_OPTIONAL) ||
		    !(x->flags & AF_RUNNABLE))
			continue;
		struct pe_action *pre_a = find(ws, c, "pre_notify_", ops[op][0]);
		struct pe_action *cpre = find(ws, c, "confirmed-pre_notify_", ops[op][0]);
		struct pe_action *post = find(ws, c, "post_notify_", ops[op][1]);
		struct pe_action *cpost = find(ws, c, "confirmed-post_notify_", ops[op][1]);
		if (!pre_a || !cpre || !post || !cpost)
			continue;
		pre_a->flags &= ~AF_OPTIONAL;
		cpre->flags &= ~AF_OPTIONAL;
		post->flags &= ~AF_OPTIONAL;
		cpost->flags &= ~AF_OPTIONAL;
		pe_order_actions(pre_a, cpre, OF_OPTIONAL);
		pe_order_actions(cpre, x, OF_OPTIONAL);
		pe_order_actions(done, post, OF_OPTIONAL);
		pe_order_actions(cpre, post, OF_OPTIONAL);
		pe_order_actions(post, cpost, OF_OPTIONAL);
		for (int p = 0; p < n_prev; p++)
			pe_order_actions(prev_cpost[p], pre_a, OF_OPTIONAL);
		prev_cpost[n_prev++] = cpost;
		if (op == 2 || op == 3) {
			/* role monitors start once everyone heard of the role change */
			for (int i = 0; i < c->n_children; i++) {
				struct pe_rsc *r = c->children[i];
				for (guint j = 0; j < r->actions->len; j++) {
					struct pe_action *m = r->actions->pdata[j];
					if (m->task_id == TASK_MONITOR && m->interval_ms > 0 &&
					    !(m->flags & AF_OPTIONAL))
						pe_order_actions(cpost, m, OF_OPTIONAL);
				}
			}
		}
		/* who hears about it: before a stop or demote everyone active now; before a start
		 * or promote, and after a stop, those that stay; after a start or promote, everyone
		 * active at the end */
		for (int i = 0; i < c->n_children; i++) {
			struct pe_rsc *r = c->children[i];
			struct pe_node *n = r->n_running ? r->running[0] : NULL;
			bool hears = (op == 1 || op == 3) ? n != NULL
			    : op == 0			  ? staying(r)
							  : active_after(r);
			if (op == 2)
				n = r->assigned;
			if (!hears || !n->online || n->unclean)
				continue;
			struct pe_action *a = instance_notify(ws, r, n, "pre", ops[op][0]);
			pe_order_actions(pre_a, a, OF_OPTIONAL);
			pe_order_actions(a, cpre, OF_OPTIONAL);
		}
		for (int i = 0; i < c->n_children; i++) {
			struct pe_rsc *r = c->children[i];
			bool hears = op == 1 ? staying(r)
			    : op == 3	     ? r->n_running > 0
					     : active_after(r);
			struct pe_node *n =
			    op == 1 || op == 3 ? (r->n_running ? r->running[0] : NULL) : r->assigned;
			if (!hears || n == NULL || !n->online || n->unclean)
				continue;
			struct pe_action *a = instance_notify(ws, r, n, "post", ops[op][0]);
			pe_order_actions(post, a, OF_OPTIONAL);
			pe_order_actions(a, cpost, OF_OPTIONAL);
		}
	}
}
