/*
 * bundle_sched.c - the bundle row of the variant table: constraints, placement, actions and
 * internal orderings of a bundle's replicas (bundle.c unpacks them), as Pacemaker 2.1.5:
 *
 *	            B start ---------------> B running
 *	              |   \                     ^   ^
 *	              |    `-> B-clone start --/    |  (B-clone running)
 *	              v                             |
 *	  IP start -> container start -> connection start -> instance start (on guest B-i)
 *	  IP stop  <- container stop  <- connection stop  <- instance stop
 *	              ^                             |
 *	            B stop ------------------> B stopped
 *
 * A promotable bundle wraps B-master's promote/promoted/demote/demoted in its own.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

static bool
can_run(const struct pengine_node *n)
{
	return n->online && !n->unclean && !n->standby && !n->shutdown && !n->maintenance &&
	    !n->pending;
}

/* a container of the bundle is placed on n */
bool
pengine_bundle_on_node(const struct pengine_rsc *b, const struct pengine_node *n)
{
	for (int i = 0; i < b->n_replicas; i++)
		if (b->replicas[i].container && b->replicas[i].container->assigned == n)
			return true;
	return false;
}

/*
 * After the constraints: each instance may run on its own guest node only, the IP goes with
 * its container, and colocations naming the bundle as dependent apply to every container.
 */
void
pengine_bundle_constraints(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *b = ws->rscs[i];
		if (b->kind != KIND_BUNDLE)
			continue;
		struct pengine_rsc *c = b->inner;
		for (int n = 0; c && c->score && n < ws->n_nodes; n++)
			c->score[n] = INT_MIN;
		for (int k = 0; k < b->n_replicas; k++) {
			struct pengine_replica *rp = &b->replicas[k];
			if (rp->child && rp->child->score) {
				for (int n = 0; n < ws->n_nodes; n++)
					if (rp->guest == NULL || n != rp->guest->idx)
						rp->child->score[n] = INT_MIN;
					else if (rp->child->score[n] == INT_MIN)
						rp->child->score[n] = 0;
				if (rp->guest && c->score)
					c->score[rp->guest->idx] = 0;
			}
			if (rp->ip)
				pengine_add_colocation(
				    ws, "ip-with-container", rp->ip, rp->container, INF);
		}
		guint n_colocs = ws->colocs->len;
		for (guint k = 0; k < n_colocs; k++) {
			struct pengine_coloc *col = ws->colocs->pdata[k];
			if (col->dep != b)
				continue;
			for (int r = 0; r < b->n_replicas; r++)
				pengine_add_colocation(ws, col->id, b->replicas[r].container,
				    col->primary, col->score);
		}
	}
}

/* A replica whose container is placed nowhere while its connection and instance stay
 * placed: the instance's start is blocked by the container's. Pacemaker then takes the
 * bundle's clone through its start pseudo-actions, and the bundle itself when the node
 * the container leaves can still run resources (or is fenced): pengine_bundle_reasons */
static void
mark_blocked(struct pengine_rsc *b)
{
	for (int k = 0; k < b->n_replicas; k++) {
		struct pengine_replica *rp = &b->replicas[k];
		struct pengine_rsc *ct = rp->container;
		struct pengine_node *at = ct->n_running == 1 ? ct->running[0] : NULL;
		rp->start_blocked = 0;
		if (rp->child && rp->child->assigned && ct->assigned == NULL && rp->remote &&
		    rp->remote->assigned)
			rp->start_blocked = at == NULL || at->unclean ||
				(can_run(at) && ct->score[at->idx] != INT_MIN &&
				    ct->score[at->idx] > -INF)
			    ? 2
			    : 1;
	}
}

/* the mandatory colocations of r allow node n (their primaries are placed) */
static bool
colocations_allow(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n)
{
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (c->dep != r || (c->score < INF && c->score > -INF) || c->primary->provisional)
			continue;
		bool same = c->primary->kind == KIND_CLONE
		    ? pengine_clone_in_role_on(c->primary, n, c->primary_role)
		    : c->primary->kind == KIND_BUNDLE ? pengine_bundle_on_node(c->primary, n)
						      : c->primary->assigned == n;
		if (same != (c->score >= INF))
			return false;
	}
	return true;
}

/* Containers go like clone instances: active ones stay where they may, the others take the
 * best nodes with room (replicas-per-host); then each IP and connection follow their
 * container, and the bundled clone's instances their guest nodes. */
void
pengine_assign_bundle(struct pengine_ws *ws, struct pengine_rsc *b)
{
	int *count = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	bool blocked = b->disabled || ws->stop_all;
	for (int k = 0; k < b->n_replicas; k++) {
		struct pengine_rsc *ct = b->replicas[k].container;
		struct pengine_node *cur = ct->n_running == 1 ? ct->running[0] : NULL;
		if (cur == NULL || !ct->provisional)
			continue;
		if (!ct->managed || (ct->failed && ct->blocked)) {
			ct->assigned = cur;
			ct->provisional = false;
			count[cur->idx]++;
			continue;
		}
		int w = ct->score[cur->idx];
		if (blocked || ct->failed || !can_run(cur) || w == INT_MIN || w < 0 ||
		    count[cur->idx] >= b->clone_node_max || !colocations_allow(ws, ct, cur))
			continue;
		ct->assigned = cur;
		ct->provisional = false;
		cur->n_assigned++;
		count[cur->idx]++;
	}
	int *save = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	for (int k = 0; k < b->n_replicas; k++) {
		struct pengine_rsc *ct = b->replicas[k].container;
		if (!ct->provisional)
			continue;
		memcpy(save, ct->score, ws->n_nodes * sizeof(int));
		for (int n = 0; n < ws->n_nodes; n++)
			if (count[n] >= b->clone_node_max)
				ct->score[n] = INT_MIN;
		/* ties: remote connections placed on a node do not count against it (the
		 * containers of bundle-probe-remotes go to the cluster nodes first) */
		for (int i = 0; i < ws->n_order; i++)
			if (ws->order[i]->is_remote_conn && ws->order[i]->assigned)
				ws->order[i]->assigned->n_assigned--;
		pengine_assign_primitive(ws, ct);
		for (int i = 0; i < ws->n_order; i++)
			if (ws->order[i]->is_remote_conn && ws->order[i]->assigned)
				ws->order[i]->assigned->n_assigned++;
		memcpy(ct->score, save, ws->n_nodes * sizeof(int));
		if (ct->assigned)
			count[ct->assigned->idx]++;
	}
	free(save);
	free(count);
	for (int k = 0; k < b->n_replicas; k++) {
		struct pengine_replica *rp = &b->replicas[k];
		if (rp->ip && rp->ip->provisional)
			pengine_assign_primitive(ws, rp->ip);
		struct pengine_node *at = rp->container->assigned;
		struct pengine_rsc *hc = at && at->remote && !at->guest && at->conn
		    ? g_hash_table_lookup(ws->rsc_by_id, at->conn)
		    : NULL;
		if (rp->remote && rp->remote->provisional && hc && hc->assigned) {
			/* a container on a Pacemaker Remote node: its connection runs where
			 * that node's own connection does */
			rp->remote->assigned = hc->assigned;
			rp->remote->provisional = false;
			hc->assigned->n_assigned++;
		} else if (rp->remote && rp->remote->provisional) {
			/* a container placed nowhere does not hold its connection back: the
			 * connection is placed on its own, its start blocked by the container's
			 * (as Pacemaker, which then reports the blocked start) */
			bool unplaced = rp->container->assigned == NULL;
			if (unplaced)
				rp->container->provisional = true;
			pengine_assign_primitive(ws, rp->remote);
			if (unplaced)
				rp->container->provisional = false;
		}
		struct pengine_node *g = rp->guest;
		if (g && rp->remote && rp->remote->assigned && !g->online && !g->unclean &&
		    rp->remote->managed && can_run(rp->remote->assigned)) {
			g->online = true;
			g->coming_up = true;
		}
	}
	if (b->inner && b->inner->provisional) {
		b->inner->provisional = false;
		b->inner->assigning = true;
		b->inner->variant->assign(ws, b->inner);
		b->inner->assigning = false;
	}
	mark_blocked(b);
	b->provisional = false;
}

void
pengine_bundle_actions(struct pengine_ws *ws, struct pengine_rsc *b)
{
	for (int k = 0; k < b->n_replicas; k++) {
		struct pengine_replica *rp = &b->replicas[k];
		if (rp->ip)
			pengine_rsc_actions(ws, rp->ip);
		pengine_rsc_actions(ws, rp->container);
		if (rp->remote)
			pengine_rsc_actions(ws, rp->remote);
	}
	struct pengine_action *start = pengine_action_new(ws, b, "start", 0, NULL, true);
	struct pengine_action *running = pengine_action_new(ws, b, "running", 0, NULL, true);
	if (b->disabled) {
		start->flags &= ~AF_RUNNABLE;
		running->flags &= ~AF_RUNNABLE;
	}
	pengine_action_new(ws, b, "stop", 0, NULL, true);
	pengine_action_new(ws, b, "stopped", 0, NULL, true);
	if (b->inner)
		pengine_rsc_actions(ws, b->inner);
	if (b->promotable) {
		pengine_action_new(ws, b, "promote", 0, NULL, true);
		pengine_action_new(ws, b, "promoted", 0, NULL, true);
		pengine_action_new(ws, b, "demote", 0, NULL, true);
		pengine_action_new(ws, b, "demoted", 0, NULL, true);
	}
}

/* every action of `first` for `ft` before every action of `then` for `tt` */
static void
order(struct pengine_ws *ws, struct pengine_rsc *first, const char *ft, bool first_done,
    struct pengine_rsc *then, const char *tt, int flags)
{
	PENGINE_ALIST(a);
	PENGINE_ALIST(b);
	int na = pengine_rsc_task_actions(ws, first, ft, first_done, a);
	int nb = pengine_rsc_task_actions(ws, then, tt, false, b);
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			pengine_order_actions(a->pdata[i], b->pdata[j], flags);
}

static void
order_pseudo(struct pengine_ws *ws, struct pengine_rsc *r1, const char *t1, struct pengine_rsc *r2,
    const char *t2, int flags)
{
	struct pengine_action *a = pengine_action_find(ws, r1, t1, 0, NULL);
	struct pengine_action *b = pengine_action_find(ws, r2, t2, 0, NULL);
	if (a && b)
		pengine_order_actions(a, b, flags);
}

void
pengine_bundle_orderings(struct pengine_ws *ws, struct pengine_rsc *b)
{
	order_pseudo(ws, b, "start", b, "running", OF_RUNNABLE_LEFT);
	order_pseudo(ws, b, "stop", b, "stopped", OF_RUNNABLE_LEFT);
	struct pengine_rsc *c = b->inner;
	if (c) {
		order_pseudo(ws, b, "start", c, "start", OF_RUNNABLE_LEFT);
		order_pseudo(ws, c, "running", b, "running", OF_OPTIONAL);
		order_pseudo(ws, b, "stop", c, "stop", OF_OPTIONAL);
		order_pseudo(ws, c, "stopped", b, "stopped", OF_OPTIONAL);
	}
	for (int k = 0; k < b->n_replicas; k++) {
		struct pengine_replica *rp = &b->replicas[k];
		struct pengine_rsc *ct = rp->container;
		order(ws, b, "start", false, ct, "start", OF_RUNNABLE_LEFT);
		order(ws, b, "stop", false, ct, "stop", OF_OPTIONAL);
		order(ws, ct, "start", true, b, "running", OF_OPTIONAL);
		order(ws, ct, "stop", true, b, "stopped", OF_OPTIONAL);
		if (rp->ip) {
			order(ws, rp->ip, "start", true, ct, "start", OF_RUNNABLE_LEFT);
			order(ws, ct, "stop", true, rp->ip, "stop", OF_IMPLIES_FIRST);
		}
		if (rp->remote) {
			order(ws, rp->remote, "stop", true, ct, "stop", OF_IMPLIES_FIRST);
			/* the connection is probed once the container is known to run */
			PENGINE_ALIST(starts);
			int ns = pengine_rsc_task_actions(ws, ct, "start", false, starts);
			for (guint a = 0; a < rp->remote->actions->len; a++) {
				struct pengine_action *p = rp->remote->actions->pdata[a];
				if (p->task_id != TASK_MONITOR || p->interval_ms != 0)
					continue;
				/* a container that is not running and cannot start: no probe */
				if (ct->n_running == 0 && ns == 0)
					p->flags &= ~AF_RUNNABLE;
				for (int s = 0; s < ns; s++)
					pengine_order_actions(starts->pdata[s], p,
					    ct->n_running ? OF_OPTIONAL : OF_RUNNABLE_LEFT);
			}
		}
	}
	if (c) {
		pengine_internal_orderings(ws, c);
		if (b->promotable) {
			order_pseudo(ws, c, "demoted", b, "demoted", OF_OPTIONAL);
			order_pseudo(ws, b, "demote", c, "demote", OF_OPTIONAL);
			order_pseudo(ws, c, "promoted", b, "promoted", OF_OPTIONAL);
			order_pseudo(ws, b, "promote", c, "promote", OF_OPTIONAL);
			/* as a promotable clone's: demotions first, promotions last */
			order_pseudo(ws, b, "demote", b, "demoted", OF_RUNNABLE_LEFT);
			order_pseudo(ws, b, "promote", b, "promoted", OF_RUNNABLE_LEFT);
			order_pseudo(ws, b, "stopped", b, "start", OF_OPTIONAL);
			order_pseudo(ws, b, "demoted", b, "stop", OF_OPTIONAL);
			order_pseudo(ws, b, "demoted", b, "start", OF_OPTIONAL);
			order_pseudo(ws, b, "demoted", b, "promote", OF_OPTIONAL);
			order_pseudo(ws, b, "running", b, "promote", OF_OPTIONAL);
			order_pseudo(ws, b, "stopped", b, "promote", OF_OPTIONAL);
		}
	}
}

/* After propagation: an instance that cannot start because its container cannot says so
 * (Pacemaker names the container's start, whichever path reached it first) */
void
pengine_bundle_reasons(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *b = ws->rscs[i];
		int blocked = 0;
		for (int k = 0; b->kind == KIND_BUNDLE && k < b->n_replicas; k++)
			if (b->replicas[k].start_blocked > blocked)
				blocked = b->replicas[k].start_blocked;
		/* Pacemaker keeps such an instance placed with a start that cannot run: the
		 * bundle and its clone go through their start pseudo-actions */
		struct pengine_rsc *which[] = { b->inner, b->inner, b, b };
		static const char *const tasks[] = { "start", "running", "running", "start" };
		for (int w = 0; blocked && w < (blocked > 1 ? 4 : 3); w++) {
			struct pengine_action *a =
			    which[w] ? pengine_action_find(ws, which[w], tasks[w], 0, NULL) : NULL;
			if (a && (a->flags & AF_RUNNABLE))
				a->flags &= ~AF_OPTIONAL;
		}
		for (int k = 0; b->kind == KIND_BUNDLE && k < b->n_replicas; k++) {
			struct pengine_replica *rp = &b->replicas[k];
			struct pengine_rsc *ct = rp->container;
			if (rp->child == NULL || rp->child->assigned == NULL || ct->assigned == NULL)
				continue;
			struct pengine_action *cs =
			    pengine_action_find(ws, ct, "start", 0, ct->assigned);
			struct pengine_action *s =
			    pengine_action_find(ws, rp->child, "start", 0, rp->child->assigned);
			if (cs && s && !(cs->flags & AF_RUNNABLE) && !(s->flags & AF_RUNNABLE))
				s->reason =
				    pengine_keep(ws, xasprintf("unrunnable %s start", ct->id));
		}
	}
}
