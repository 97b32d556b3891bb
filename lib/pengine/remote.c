/*
 * remote.c - Pacemaker Remote nodes (ocf:pacemaker:remote connection resources), scheduled
 * as Pacemaker 2.1.5 does:
 *
 *	- connections are placed before every other resource (assign.c); a remote node whose
 *	  connection is placed this transition is up for the rest of placement and for
 *	  probes, though it shows RemoteOFFLINE in the current status
 *	- what runs on a remote node waits for its connection: every action there but a stop
 *	  follows the connection's start; a stop there comes before the connection's stop
 *	  when the connection goes away, after its start when it moves or recovers
 *	- a connection that moves or recovers loses the remote node's recurring monitors:
 *	  they are scheduled again after it starts
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

/* a remote node's connection resource (a guest's is named after the node, guest.c) */
static struct pengine_rsc *
connection(struct pengine_ws *ws, const struct pengine_node *n)
{
	if (!n->remote)
		return NULL;
	const char *id = n->guest ? n->id : n->conn;
	struct pengine_rsc *c = id ? g_hash_table_lookup(ws->rsc_by_id, id) : NULL;
	return c && c->kind == KIND_PRIMITIVE && !c->unsupported ? c : NULL;
}

static bool
usable(const struct pengine_node *n)
{
	return n->online && !n->unclean && !n->standby && !n->shutdown && !n->maintenance &&
	    !n->pending;
}

void
pengine_remote_coming_up(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		struct pengine_rsc *c = connection(ws, n);
		if (c == NULL || n->online || n->unclean || c->assigned == NULL ||
		    (c->failed && !n->guest_reset) || !c->managed || !usable(c->assigned))
			continue;
		n->online = true;
		n->coming_up = true;
	}
}

/* the connection's start on its assigned node, or NULL */
static struct pengine_action *
conn_start(struct pengine_ws *ws, struct pengine_rsc *c)
{
	return c->assigned ? pengine_action_find(ws, c, "start", 0, c->assigned) : NULL;
}

void
pengine_remote_orderings(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		struct pengine_rsc *c = connection(ws, n);
		if (c == NULL)
			continue;
		struct pengine_action *start = conn_start(ws, c);
		if (start && (start->flags & AF_PSEUDO))
			start = NULL; /* a live migration keeps the connection (and its monitors) */
		/* a bundle guest's connection placed nowhere: an unrunnable start stands in,
		 * and nothing starts there (the reason names the connection) */
		struct pengine_action *none = NULL;
		if (n->in_bundle && c->assigned == NULL && n->online) {
			none = pengine_action_new(ws, c, "start", 0, NULL, true);
			none->flags &= ~AF_RUNNABLE;
		}
		bool restarting = start && !(start->flags & AF_OPTIONAL) && c->n_running > 0;
		PENGINE_ALIST(stops);
		for (int k = 0; k < c->n_running; k++) {
			struct pengine_action *s =
			    pengine_action_find(ws, c, "stop", 0, c->running[k]);
			if (s)
				g_ptr_array_add(stops, s);
		}
		for (guint a = 0; a < ws->actions->len; a++) {
			struct pengine_action *act = ws->actions->pdata[a];
			if (act->node != n || act->rsc == NULL || act->rsc == c)
				continue;
			if ((act->task_id == TASK_STOP || act->task_id == TASK_DEMOTE) &&
			    n->guest_reset)
				continue; /* a fenced guest: its fencing (after the container's stop)
					   * stops them */
			if (act->task_id == TASK_STOP || act->task_id == TASK_DEMOTE) {
				/* a stop implied by fencing the node (or the connection leaving,
				 * or a guest's container restarting) comes before the connection's
				 * stop */
				if (n->fence_scheduled && n->unclean) {
					/* fenced for an unrecoverable connection: the fencing
					 * implies them, the connection's stop does not wait */
				} else if (n->unclean || c->assigned == NULL || n->guest) {
					for (guint k = 0; k < stops->len; k++)
						pengine_order_actions(
						    act, stops->pdata[k], OF_OPTIONAL);
				} else if (start) {
					pengine_order_actions(start, act, OF_OPTIONAL);
				}
				continue;
			}
			/* a bundle's guest: its container's start comes first (the reason a
			 * start there cannot run names the container, as in Pacemaker) */
			struct pengine_action *cst = (n->in_bundle || n->guest_reset) && c->container
			    ? pengine_action_find(ws, c->container, "start", 0, c->container->assigned)
			    : NULL;
			if (cst && act->task_id == TASK_START)
				pengine_order_actions(cst, act, OF_RUNNABLE_LEFT);
			/* on a guest being fenced, after its fencing */
			struct pengine_action *gf =
			    n->guest_reset ? pengine_action_find(ws, NULL, "stonith", 0, n) : NULL;
			if (gf && act->task_id == TASK_START)
				pengine_order_actions(gf, act, OF_OPTIONAL);
			if (start)
				pengine_order_actions(start, act, OF_RUNNABLE_LEFT);
			if (none && act->task_id == TASK_START)
				pengine_order_actions(none, act, OF_RUNNABLE_LEFT);
			/* a resource moving onto a node whose connection starts now stops where
			 * it is only once the connection is up (as Pacemaker orders it) */
			if (start && act->task_id == TASK_START && !(start->flags & AF_OPTIONAL))
				for (int k = 0; k < act->rsc->n_running; k++) {
					struct pengine_action *st = act->rsc->running[k] == n
					    ? NULL
					    : pengine_action_find(
						  ws, act->rsc, "stop", 0, act->rsc->running[k]);
					if (st)
						pengine_order_actions(start, st, OF_OPTIONAL);
				}
			/* a guest whose container restarts: what runs there restarts too */
			if (restarting && n->guest && act->task_id == TASK_START &&
			    (act->flags & AF_OPTIONAL) && c->container) {
				act->flags &= ~AF_OPTIONAL;
				act->reason = pengine_keep(
				    ws, xasprintf("required %s start", c->container->id));
				/* a promoted instance there is promoted again */
				struct pengine_action *pr =
				    pengine_action_find(ws, act->rsc, "promote", 0, n);
				if (pr && (pr->flags & AF_OPTIONAL) && act->rsc->role == ROLE_PROMOTED)
					pr->flags &= ~AF_OPTIONAL;
			}
			/* the monitors of what stays there start again with the connection */
			if (restarting && act->task_id == TASK_MONITOR && act->interval_ms > 0 &&
			    (act->flags & AF_OPTIONAL))
				act->flags &= ~AF_OPTIONAL;
		}
	}
}

/* Whether a remote or guest node's history is read: its connection runs (a guest's
 * container too), or it failed so that the node is fenced. Else the node is down and runs
 * nothing, whatever its history says (Pacemaker does not read it). */
bool
pengine_remote_history_wanted(struct pengine_ws *ws, const struct pengine_node *n)
{
	struct pengine_rsc *c = n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
	if (c == NULL)
		return true; /* not modelled: keep what the history says */
	if (c->reset_remote || (n->guest && c->failed))
		return true;
	/* with fencing, a remote node's history is read even while its connection is down:
	 * what is active there gets the node fenced (remote-fence-unclean2) */
	if (c->n_running == 0 && ws->stonith_enabled && !n->guest)
		return true;
	if (c->n_running == 0)
		return false;
	if (n->guest) {
		struct pengine_rsc *g = g_hash_table_lookup(ws->rsc_by_id, n->id);
		if (g && g->implicit && g->n_running == 0)
			return false;
	}
	return true;
}

/* Once connections are placed (before the rest): a remote node whose connection runs on a node being fenced
 * and goes nowhere, while resources are active on it, is fenced too (Pacemaker: "resources
 * are active but connection is unrecoverable") */
void
pengine_remote_unrecoverable(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_nodes && pengine_can_fence(ws); i++) {
		struct pengine_node *n = ws->nodes[i];
		struct pengine_rsc *c = connection(ws, n);
		if (c == NULL || n->guest || n->unclean || c->assigned || c->n_running != 1 ||
		    !c->running[0]->unclean)
			continue;
		/* a resource whose state there is unknown (a probe is due) cannot be found out:
		 * the node is fenced as well (remote-recover-unknown) */
		bool unknown = false;
		for (int r = 0; r < ws->n_rscs && !unknown; r++) {
			struct pengine_rsc *x = ws->rscs[r];
			struct pengine_rsc *cl = x->parent && x->parent->kind == KIND_CLONE &&
				!x->parent->unique
			    ? x->parent
			    : NULL;
			if (cl && cl->pn && cl->pn[n->idx].probed)
				continue; /* an anonymous clone is probed once a node */
			unknown = x->kind == KIND_PRIMITIVE && x != c && !x->implicit &&
			    pengine_probe_wanted(ws, x, n);
		}
		/* its connection goes nowhere: nothing new is placed there */
		n->pending = true;
		bool active = false;
		for (int r = 0; r < ws->n_rscs && !active; r++)
			active = ws->rscs[r]->kind == KIND_PRIMITIVE && ws->rscs[r] != c &&
			    pengine_rsc_active_on(ws->rscs[r], n);
		if (!active && !unknown)
			continue;
		n->unclean = true;
		n->fence_scheduled = true; /* decided now: not shown unclean in the status */
		n->unclean_reason = active
		    ? "resources are active but connection is unrecoverable"
		    : "resources are in unknown state and connection is unrecoverable";
	}
}
