/*
 * load.c - placement-strategy loads: with a strategy other than "default", a node's load
 * drops before it grows. Each managed primitive with utilization orders its stops on the nodes where it is active
 * before that node's "load_stopped_NODE" pseudo-action, and that pseudo-action before its
 * start (or its migrate_to, for the node it migrates to) on each node it is allowed on.
 * As Pacemaker, the pseudo-actions are made before every other action (so they come last
 * among the node actions of the graph), for the active nodes first, then the allowed ones
 * by name, and each is in the graph whether or not anything is ordered around it.
 * An ordering only counts between actions of one node (a migrate_to: its target), after a
 * stop that happens, and a migrate_to's never where it would close a loop (two resources
 * migrating past each other): that one is dropped when the graph is built.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

/* the node's pseudo-action, made on first use */
static struct pengine_action *
load_stopped(struct pengine_ws *ws, struct pengine_node *node)
{
	char *task = xasprintf("load_stopped_%s", node->uname);
	struct pengine_action *ls = pengine_action_new(ws, NULL, task, 0, node, false);
	free(task);
	ls->flags |= AF_PSEUDO;
	return ls;
}

/* Pacemaker orders only managed primitives that have utilization of their own */
static bool
has_load(const struct pengine_rsc *r)
{
	return r->kind == KIND_PRIMITIVE && r->managed && r->util && g_hash_table_size(r->util) > 0;
}

static gint
uname_cmp(gconstpointer x, gconstpointer y)
{
	const struct pengine_node *a = *(struct pengine_node *const *)x;
	const struct pengine_node *b = *(struct pengine_node *const *)y;
	return strcmp(a->uname, b->uname);
}

/* the nodes a primitive is allowed on, by name */
static GPtrArray *
allowed_by_name(struct pengine_ws *ws, struct pengine_rsc *r)
{
	GPtrArray *nodes = g_ptr_array_new();
	for (int n = 0; n < ws->n_nodes; n++)
		if (r->score[n] != INT_MIN)
			g_ptr_array_add(nodes, ws->nodes[n]);
	g_ptr_array_sort(nodes, uname_cmp);
	return nodes;
}

void
pengine_load_actions(struct pengine_ws *ws)
{
	if (strcmp(ws->placement_strategy, "default") == 0)
		return;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (!has_load(r))
			continue;
		for (int k = 0; k < r->n_running; k++)
			load_stopped(ws, r->running[k]);
		GPtrArray *allowed = allowed_by_name(ws, r);
		for (guint k = 0; k < allowed->len; k++)
			load_stopped(ws, allowed->pdata[k]);
		g_ptr_array_free(allowed, true);
	}
}

void
pengine_load_orderings(struct pengine_ws *ws)
{
	if (strcmp(ws->placement_strategy, "default") == 0)
		return;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (!has_load(r))
			continue;
		for (int k = 0; k < r->n_running; k++) {
			struct pengine_node *n = r->running[k];
			struct pengine_action *stop = pengine_action_find(ws, r, "stop", 0, n);
			/* an optional stop is not in the graph: its ordering does not count */
			if (stop)
				pengine_order_actions(stop, load_stopped(ws, n), OF_LOAD);
		}
		struct pengine_action *mt = NULL;
		for (int k = 0; k < r->n_running && !mt; k++)
			mt = pengine_action_find(ws, r, "migrate_to", 0, r->running[k]);
		for (int n = 0; n < ws->n_nodes; n++) {
			struct pengine_node *node = ws->nodes[n];
			if (r->score[n] == INT_MIN)
				continue;
			struct pengine_action *ls = load_stopped(ws, node);
			pengine_order_actions(
			    ls, pengine_action_find(ws, r, "start", 0, node), OF_LOAD);
			if (mt && r->assigned == node)
				pengine_order_actions(ls, mt, OF_LOAD);
		}
	}
}

/* is there a path of graph inputs from `from` back to `to`? (an explicit stack: graphs
 * can be deep) */
static bool
reaches(struct pengine_action *from, struct pengine_action *to, GHashTable *seen, GPtrArray *stack)
{
	g_ptr_array_set_size(stack, 0);
	g_ptr_array_add(stack, from);
	while (stack->len > 0) {
		struct pengine_action *a = g_ptr_array_steal_index_fast(stack, stack->len - 1);
		if (a == to)
			return true;
		if (!g_hash_table_add(seen, a))
			continue;
		for (guint j = 0; j < a->before->len; j++) {
			struct pengine_edge *e = &g_array_index(a->before, struct pengine_edge, j);
			if (e->other->flags & AF_IN_GRAPH)
				g_ptr_array_add(stack, e->other);
		}
	}
	return false;
}

/* Newest action first (as Pacemaker checks its orderings), drop each load ordering before
 * a migrate_to that would close a loop. */
void
pengine_load_break_loops(struct pengine_ws *ws)
{
	if (strcmp(ws->placement_strategy, "default") == 0)
		return;
	GHashTable *seen = g_hash_table_new(NULL, NULL);
	GPtrArray *stack = g_ptr_array_new();
	for (guint i = ws->actions->len; i-- > 0;) {
		struct pengine_action *a = ws->actions->pdata[i];
		if (a->task_id != TASK_MIGRATE_TO || !(a->flags & AF_IN_GRAPH))
			continue;
		for (guint j = 0; j < a->before->len; j++) {
			struct pengine_edge *e = &g_array_index(a->before, struct pengine_edge, j);
			if (!(e->flags & OF_LOAD) || !(e->other->flags & AF_IN_GRAPH))
				continue;
			g_hash_table_remove_all(seen);
			if (reaches(e->other, a, seen, stack)) {
				pengine_unorder_actions(e->other, a);
				j--;
			}
		}
	}
	g_hash_table_destroy(seen);
	g_ptr_array_free(stack, true);
}
