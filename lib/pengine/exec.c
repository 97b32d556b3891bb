/*
 * exec.c - what the simulated execution ran, one action at a time in the order it ran, for
 * the tools that write the results into a CIB (crm_simulate -X, -O and -F), as Pacemaker's
 * simulation records each action in the status section.
 */
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
