/*
 * interleave.c - orderings between two clones with interleave=true, as Pacemaker 2.1.5
 * makes them: besides the clones' own pseudo-actions, each instance of the "then" clone
 * waits only for the instance of the "first" clone on its node.
 *
 *	clone-1_running_0 ----------------------> clone-2_start_0     (kept)
 *	child-1:0 start (node A) ---------------> child-2:0 start (node A)
 *	child-1:1 start (node B) ---------------> child-2:1 start (node B)
 *
 * Whose interleave counts: the "first" clone's when the then-action is a stop or demote,
 * else the "then" clone's. The instance on the same node is looked up where the instances
 * run now when the first action is a stop or demote (a stop follows what runs), else where
 * they are assigned. A "then" instance assigned to a node where the first clone has no
 * instance cannot come up when the ordering is mandatory: it is unassigned after placement
 * (Pacemaker: "Inhibiting ... because there is no ... instance to interleave").
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

static bool
stop_like(const char *task)
{
	return !strcmp(task, "stop") || !strcmp(task, "demote");
}

/* whether an rsc_order between two clones is interleaved */
bool
pengine_interleaved(const struct pengine_order *o)
{
	if (o->first_rsc == o->then_rsc || o->any_first || !pengine_clone_supported(o->first_rsc) ||
	    !pengine_clone_supported(o->then_rsc))
		return false;
	struct pengine_rsc *r = stop_like(o->then_task) ? o->first_rsc : o->then_rsc;
	return pengine_is_true(pengine_meta(r, "interleave"));
}

/* where an instance is: now (the first member that runs, for a group) or after placement */
static struct pengine_node *
instance_node(const struct pengine_rsc *r, bool current)
{
	if (!current)
		return r->assigned;
	if (r->n_running)
		return r->running[0];
	for (int k = 0; k < r->n_children; k++)
		if (r->children[k]->n_running)
			return r->children[k]->running[0];
	return NULL;
}

/* the instance of clone c on node n (now or after placement), or NULL */
static struct pengine_rsc *
instance_on(struct pengine_rsc *c, struct pengine_node *n, bool current)
{
	if (n == NULL)
		return NULL;
	for (int i = 0; i < c->n_children; i++)
		if (instance_node(c->children[i], current) == n)
			return c->children[i];
	return NULL;
}

static void
unassign(struct pengine_rsc *r)
{
	if (r->assigned && r->kind == KIND_PRIMITIVE)
		r->assigned->n_assigned--;
	r->assigned = NULL;
	r->next_role = ROLE_STOPPED;
	for (int k = 0; k < r->n_children; k++)
		unassign(r->children[k]);
}

void
pengine_interleave_inhibit(struct pengine_ws *ws)
{
	for (guint i = 0; i < ws->orders->len; i++) {
		struct pengine_order *o = ws->orders->pdata[i];
		if (!pengine_interleaved(o) || stop_like(o->first_task) ||
		    !(o->flags & (OF_RUNNABLE_LEFT | OF_IMPLIES_THEN)))
			continue;
		for (int k = 0; k < o->then_rsc->n_children; k++) {
			struct pengine_rsc *t = o->then_rsc->children[k];
			if (t->assigned && !instance_on(o->first_rsc, t->assigned, false))
				unassign(t);
		}
	}
}

bool
pengine_interleave_orderings(struct pengine_ws *ws, const struct pengine_order *o)
{
	if (!pengine_interleaved(o))
		return false;
	bool current = stop_like(o->first_task);
	PENGINE_ALIST(f);
	PENGINE_ALIST(t);
	for (int k = 0; k < o->then_rsc->n_children; k++) {
		struct pengine_rsc *then = o->then_rsc->children[k];
		struct pengine_rsc *first =
		    instance_on(o->first_rsc, instance_node(then, current), current);
		if (first == NULL)
			continue;
		int nf = pengine_rsc_task_actions(ws, first, o->first_task, true, f);
		int nt = pengine_rsc_task_actions(ws, then, o->then_task, false, t);
		for (int a = 0; a < nf; a++)
			for (int b = 0; b < nt; b++)
				pengine_order_actions(f->pdata[a], t->pdata[b], o->flags);
	}
	return true;
}
