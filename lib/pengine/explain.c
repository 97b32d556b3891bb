/*
 * explain.c - why a resource is where it is, or why it is not running, in a few lines read
 * from the same run's decisions (pl_pengine_explain, for crm_resource --why and crm_mon):
 *
 *	rsc1 (ocf:pacemaker:Dummy): running on node1, moves to node2
 *	  node2: 150 (chosen) = location loc1 +100, location loc2 +50
 *	  node1: -INFINITY = fail count 3 reached migration-threshold 3, stickiness +100
 *	  node3: not available (standby)
 *
 * Each node's score is rebuilt from its sources: the location constraints recorded while
 * unpacking (constraints.c keeps ws->loc_log), stickiness where the resource runs, fail
 * counts against migration-threshold, colocations with already placed primaries, node
 * state; then what stops it whatever the scores (target-role, unmanaged, on-fail=block, a
 * blocked start and its reason, cluster options).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/pengine.h"
#include "pengine_private.h"

#define NOT_ALLOWED INT_MIN

/* the sources of one node's score, as text, and their sum */
struct why_node {
	struct pl_buf parts;
	int total;
	bool allowed; /* something gave it a score (asymmetric clusters start without) */
};

static bool
inside(const struct pengine_rsc *r, const struct pengine_rsc *ancestor)
{
	for (; r; r = r->parent)
		if (r == ancestor)
			return true;
	return false;
}

static void
add_part(struct why_node *w, const char *what, int score)
{
	char b[PL_SCORE_BUFLEN];
	pl_buf_addf(&w->parts, "%s%s %s%s", w->parts.len ? ", " : "", what, score > 0 ? "+" : "",
	    pl_score_str(score, b));
	w->total = w->allowed ? pl_score_add(w->total, score) : score;
	w->allowed = true;
}

static const char *
unavailable(const struct pengine_node *n)
{
	if (!n->online)
		return n->unclean ? "unclean, offline" : "offline";
	if (n->unclean)
		return "unclean";
	if (n->pending)
		return "pending";
	if (n->standby)
		return "standby";
	if (n->maintenance)
		return "maintenance";
	if (n->shutdown)
		return "shutting down";
	return NULL;
}

/* where a colocation's primary is (or will be): for a clone, any instance (or a promoted
 * one when the colocation names that role) */
static bool
primary_on(const struct pengine_coloc *c, struct pengine_node *n)
{
	struct pengine_rsc *p = c->primary;
	if (p->kind == KIND_CLONE)
		return c->primary_role == ROLE_PROMOTED ? pengine_clone_promoted_on(p, n)
							: pengine_clone_on_node(p, n);
	return p->assigned == n;
}

/* the failure sources of one primitive on one node */
static void
add_failures(struct pengine_ws *ws, struct pengine_rsc *r, int n, struct why_node *w)
{
	struct pengine_rsc_node *pn = &r->pn[n];
	struct pengine_rsc *c = r->parent;
	if (pn->failcount <= 0 && c && c->kind == KIND_CLONE && !c->unique)
		for (int k = 0; k < c->n_children; k++)
			if (c->children[k]->pn && c->children[k]->pn[n].failcount > 0)
				pn = &c->children[k]->pn[n];
	if (pn->failcount <= 0)
		return;
	char what[160];
	bool expired = r->failure_timeout > 0 && pn->last_failure > 0 &&
	    pn->last_failure + r->failure_timeout <= ws->now.epoch;
	if (expired) {
		snprintf(
		    what, sizeof(what), "fail count %d expired (failure-timeout)", pn->failcount);
		add_part(w, what, 0);
	} else if (r->migration_threshold > 0 && pn->failcount >= r->migration_threshold) {
		snprintf(what, sizeof(what), "%s%sfail count %d reached migration-threshold %d",
		    r->parent ? r->id : "", r->parent ? " " : "", pn->failcount,
		    r->migration_threshold);
		add_part(w, what, -INF);
	}
}

/* one node's score for a primitive, a group (its members summed) or a clone (its own) */
static void
node_sources(struct pengine_ws *ws, struct pengine_rsc *r, int n, struct why_node *w)
{
	w->allowed = ws->symmetric;
	w->total = 0;
	for (guint i = 0; i < ws->loc_log->len; i++) {
		struct pengine_loc_entry *e =
		    &g_array_index(ws->loc_log, struct pengine_loc_entry, i);
		struct pengine_rsc *target = ws->rscs[e->rsc];
		if (e->node != n || !(inside(r, target) || inside(target, r)))
			continue;
		/* a constraint on one member counts for the group; a clone's instances share */
		if (inside(target, r) && target != r && r->kind == KIND_CLONE)
			continue;
		char what[200];
		snprintf(what, sizeof(what), "%s %s%s%s",
		    strcmp(e->source, "node health") && strcmp(e->source, "ticket") ? "location"
										    : "from",
		    e->source, target != r ? " on " : "", target != r ? target->id : "");
		add_part(w, what, e->score);
	}
	struct pengine_rsc *members[1] = { r };
	struct pengine_rsc **list = r->kind == KIND_GROUP ? r->children : members;
	int count = r->kind == KIND_GROUP ? r->n_children : 1;
	if (r->kind == KIND_CLONE) {
		list = r->children;
		count = r->n_children;
	}
	for (int i = 0; i < count; i++) {
		struct pengine_rsc *m = list[i];
		if (m->kind != KIND_PRIMITIVE || m->pn == NULL)
			continue;
		if (m->managed && m->stickiness && pengine_rsc_active_on(m, ws->nodes[n])) {
			char what[160];
			snprintf(what, sizeof(what), "%s%sstickiness", m != r ? m->id : "",
			    m != r ? " " : "");
			add_part(w, what, m->stickiness);
		}
		add_failures(ws, m, n, w);
	}
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (!inside(r, c->dep) || inside(c->primary, r) || c->primary->provisional)
			continue;
		bool same = primary_on(c, ws->nodes[n]);
		int add = 0;
		if (c->score >= INF)
			add = same ? 0 : -INF;
		else if (same)
			add = c->score;
		if (add == 0 && !(same && c->score >= INF))
			continue;
		char what[240];
		snprintf(what, sizeof(what), "colocation %s with %s%s (%s)", c->id, c->primary->id,
		    c->primary_role == ROLE_PROMOTED ? " promoted" : "",
		    same ? "there" : "elsewhere");
		add_part(w, what, add);
	}
}

static struct pengine_action *
start_blocked(struct pengine_rsc *p)
{
	for (guint i = 0; p->actions && i < p->actions->len; i++) {
		struct pengine_action *a = p->actions->pdata[i];
		if (a->task_id == TASK_START && a->interval_ms == 0 && a->node &&
		    !(a->flags & AF_RUNNABLE))
			return a;
	}
	return NULL;
}

static void
header(struct pengine_ws *ws, struct pengine_rsc *r, struct pl_buf *out)
{
	pl_buf_addf(out, "%s", r->id);
	if (r->kind == KIND_PRIMITIVE)
		pl_buf_addf(out, " (%s%s%s:%s)", r->cls ? r->cls : "", r->provider ? ":" : "",
		    r->provider ? r->provider : "", r->type ? r->type : "");
	else
		pl_buf_addf(out, " (%s)", r->variant ? r->variant->name : "resource");
	pl_buf_add(out, ": ");
	if (r->kind == KIND_CLONE) {
		int now = 0, next = 0;
		for (int i = 0; i < r->n_children; i++) {
			now += r->children[i]->n_running > 0;
			next += r->children[i]->assigned != NULL;
		}
		pl_buf_addf(out, "%d of %d instances running, %d after this transition\n", now,
		    r->n_children, next);
		return;
	}
	struct pengine_rsc *p = r->kind == KIND_GROUP && r->n_children ? r->children[0] : r;
	struct pengine_node *cur = p->n_running ? p->running[0] : NULL, *next = r->assigned;
	if (cur == NULL && next == NULL)
		pl_buf_add(out, "stopped, stays stopped");
	else if (cur == NULL && start_blocked(p))
		pl_buf_addf(out, "stopped, would start on %s but cannot", next->uname);
	else if (cur == NULL)
		pl_buf_addf(out, "stopped, starts on %s", next->uname);
	else if (next == NULL)
		pl_buf_addf(out, "running on %s, stops", cur->uname);
	else if (cur != next)
		pl_buf_addf(out, "running on %s, moves to %s", cur->uname, next->uname);
	else
		pl_buf_addf(out, "running on %s, stays there", cur->uname);
	if (pengine_promotable_instance(r) && next)
		pl_buf_addf(out, " (%s)", pengine_role_str(r->next_role));
	bool failed = false;
	for (int i = 0; i < (r->kind == KIND_GROUP ? r->n_children : 1); i++)
		failed = failed || (r->kind == KIND_GROUP ? r->children[i] : r)->failed;
	if (failed && next)
		pl_buf_add(out, "; failed there: recovered");
	else if (failed && cur)
		pl_buf_add(out, "; failed");
	pl_buf_add(out, "\n");
	(void)ws;
}

/* what stops a resource whatever the scores */
static void
blockers(struct pengine_ws *ws, struct pengine_rsc *r, struct pl_buf *out)
{
	for (struct pengine_rsc *a = r; a; a = a->parent)
		if (a->target_role == ROLE_STOPPED) {
			pl_buf_addf(out, "  disabled: target-role=Stopped%s%s\n",
			    a != r ? " on " : "", a != r ? a->id : "");
			break;
		}
	if (!r->managed)
		pl_buf_add(out, "  not managed (is-managed=false, maintenance): left as it is\n");
	if (r->failed && r->blocked)
		pl_buf_add(
		    out, "  failed with on-fail=block: blocked until the failure is cleaned up\n");
	if (ws->stop_all)
		pl_buf_add(out, "  stop-all-resources=true\n");
	if (!ws->have_quorum && ws->no_quorum_policy != NQP_IGNORE)
		pl_buf_addf(out, "  the cluster has no quorum (no-quorum-policy=%s)\n",
		    ws->no_quorum_policy == NQP_FREEZE	     ? "freeze"
			: ws->no_quorum_policy == NQP_STOP   ? "stop"
			: ws->no_quorum_policy == NQP_DEMOTE ? "demote"
							     : "suicide");
	if (r->ticket_freeze)
		pl_buf_add(out, "  frozen by a ticket's loss-policy=freeze\n");
	/* a start that cannot run: the ordering or condition that blocks it */
	struct pengine_rsc *p = r->kind == KIND_GROUP && r->n_children ? r->children[0] : r;
	struct pengine_action *a = start_blocked(p);
	if (a)
		pl_buf_addf(out, "  its start on %s is blocked: %s\n", a->node->uname,
		    a->reason ? a->reason : "it cannot run there");
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		char b[PL_SCORE_BUFLEN];
		if (inside(c->primary, r) && !inside(c->dep, r) && c->score != 0)
			pl_buf_addf(out, "  colocation %s (%s): %s %s it, its preferences count\n",
			    c->id, pl_score_str(c->score, b), c->dep->id,
			    c->score > 0 ? "goes with" : "avoids");
	}
}

bool
pl_pengine_explain(struct pl_pengine_run *run, const char *rsc_id, struct pl_buf *out)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	if (rsc_id == NULL || ws->rsc_by_id == NULL || ws->loc_log == NULL)
		return false;
	struct pengine_rsc *r = g_hash_table_lookup(ws->rsc_by_id, rsc_id);
	if (r == NULL && ws->clone_by_child)
		r = g_hash_table_lookup(ws->clone_by_child, rsc_id);
	if (r == NULL || r->kind == KIND_BUNDLE)
		return false;
	header(ws, r, out);
	blockers(ws, r, out);
	for (int n = 0; n < ws->n_nodes; n++) {
		struct pengine_node *node = ws->nodes[n];
		struct why_node w = { PL_BUF_INIT, 0, false };
		node_sources(ws, r, n, &w);
		bool chosen =
		    r->kind == KIND_CLONE ? pengine_clone_on_node(r, node) : r->assigned == node;
		const char *down = unavailable(node);
		char b[PL_SCORE_BUFLEN];
		pl_buf_addf(out, "  %s: ", node->uname);
		if (down)
			pl_buf_addf(out, "not available (%s)", down);
		else if (!w.allowed)
			pl_buf_add(
			    out, "not allowed (symmetric-cluster=false and no location allows it)");
		else
			pl_buf_add(out, pl_score_str(w.total, b));
		if (w.parts.len)
			pl_buf_addf(out, " = %s", w.parts.s);
		else if (!down && w.allowed)
			pl_buf_add(out, " (no preference)");
		if (chosen)
			pl_buf_add(out, r->kind == KIND_CLONE ? " <- an instance" : " <- chosen");
		pl_buf_add(out, "\n");
		pl_buf_free(&w.parts);
	}
	return true;
}
