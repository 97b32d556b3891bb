/*
 * exec.c - what the simulated execution ran, one action at a time in the order it ran, for
 * the tools that write the results into a CIB (crm_simulate -X, -O and -F), as Pacemaker's
 * simulation records each action in the status section.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/pengine.h"
#include "pengine_private.h"

void
pl_pengine_exec_each(
    struct pl_pengine_run *run, void (*fn)(const struct pl_pengine_exec_op *op, void *ud), void *ud)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	if (ws->exec_fired == NULL)
		return;
	for (guint i = 0; i < ws->exec_fired->len; i++) {
		struct pengine_action *a = ws->exec_fired->pdata[i];
		struct pl_pengine_exec_op op = { .kind = PL_EXEC_OTHER, .action_id = a->id };
		op.task = a->notify ? "notify" : a->task;
		op.interval_ms = a->interval_ms;
		if (a->node) {
			op.node = a->node->uname;
			op.node_id = a->node->id;
		}
		if ((a->flags & AF_FENCE) && !(a->flags & AF_PSEUDO)) {
			op.kind = PL_EXEC_FENCE;
		} else if (a->rsc && a->node && a->rsc->kind == KIND_PRIMITIVE &&
		    !(a->flags & (AF_PSEUDO | AF_CLUSTER))) {
			struct pengine_rsc *r = a->rsc;
			op.kind = PL_EXEC_RSC;
			op.rsc = pengine_exec_name(a);
			op.rsc_class = r->cls;
			op.rsc_provider = r->provider;
			op.rsc_type = r->type;
			op.target_rc = pengine_action_target_rc(a);
			pengine_op_digest(ws, r, a->task, a->interval_ms, NULL, op.digest);
		}
		op.rc = a == ws->failed ? ws->failed_rc : op.target_rc;
		fn(&op, ud);
	}
}

bool
pl_pengine_exec_failed(struct pl_pengine_run *run)
{
	return pengine_run_ws(run)->failed != NULL;
}

/* The run's resources and nodes as the simulated transition left them, for renderers of the
 * current state (crm_simulate's XML revised status through crm_mon's XML): each resource's
 * running nodes, role and failure take their simulated values (groups and clones mirror
 * their members), and a node the transition fenced is down. Once only: the current state is
 * gone afterwards (the actions and the graph are untouched). */
/* Where an anonymous clone's instance runs, in the order a CIB reader meets its history:
 * node_state order, nodes without one last; instances running nowhere after them. */
static int
read_order(const struct pengine_rsc *r)
{
	if (r->n_running == 0)
		return INT_MAX;
	const struct pengine_node *n = r->running[0];
	return n->status_pos ? n->status_pos : INT_MAX / 2 + n->idx;
}

static int
cmp_read_order(const void *a, const void *b)
{
	const struct pengine_rsc *x = *(struct pengine_rsc *const *)a;
	const struct pengine_rsc *y = *(struct pengine_rsc *const *)b;
	int ox = read_order(x), oy = read_order(y);
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void
pl_pengine_show_revised(struct pl_pengine_run *run)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	if (ws->exec_fired == NULL || ws->shows_revised)
		return;
	ws->shows_revised = true;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		pengine_rsc_swap_running(r);
		r->role = r->sim_role;
		r->failed = r->sim_failed;
	}
	/* a reader of the revised CIB numbers an anonymous clone's instances as it meets
	 * their history (Pacemaker's revised status is such a reading) */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *c = ws->rscs[i];
		if (c->kind == KIND_CLONE && !c->unique && c->n_children > 1)
			qsort(c->children, (size_t)c->n_children, sizeof(*c->children),
			    cmp_read_order);
	}
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		if (n->fenced_later) {
			n->online = false;
			n->unclean = false;
			n->expected_up = false;
		}
	}
}
