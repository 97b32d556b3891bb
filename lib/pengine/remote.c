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
	if (!n->remote || n->in_bundle)
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
		if (c == NULL || n->online || n->unclean || c->assigned == NULL || c->failed ||
		    !c->managed || !usable(c->assigned))
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
			if (act->task_id == TASK_STOP || act->task_id == TASK_DEMOTE) {
				/* a stop implied by fencing the node (or the connection leaving,
				 * or a guest's container restarting) comes before the connection's
				 * stop */
				if (n->unclean || c->assigned == NULL || n->guest) {
					for (guint k = 0; k < stops->len; k++)
						pengine_order_actions(
						    act, stops->pdata[k], OF_OPTIONAL);
				} else if (start) {
					pengine_order_actions(start, act, OF_OPTIONAL);
				}
				continue;
			}
			if (start)
				pengine_order_actions(start, act, OF_RUNNABLE_LEFT);
			/* a guest whose container restarts: what runs there restarts too */
			if (restarting && n->guest && act->task_id == TASK_START &&
			    (act->flags & AF_OPTIONAL) && c->container) {
				act->flags &= ~AF_OPTIONAL;
				act->reason = pengine_keep(
				    ws, xasprintf("required %s start", c->container->id));
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
	if (c->n_running == 0)
		return false;
	if (n->guest) {
		struct pengine_rsc *g = g_hash_table_lookup(ws->rsc_by_id, n->id);
		if (g && g->implicit && g->n_running == 0)
			return false;
	}
	return true;
}
