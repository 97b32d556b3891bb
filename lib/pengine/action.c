/*
 * action.c - the action model: create and find actions by key and node, order two actions
 * (with a migrating resource's migrate_to/migrate_from standing in for its stop/start),
 * and list a resource's actions for a task through its variant's pseudo-actions.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

static char *
hkey(const char *key, struct pengine_node *node)
{
	return xasprintf("%s@%s", key, node ? node->uname : "");
}

struct pengine_action *
pengine_action_find(struct pengine_ws *ws, struct pengine_rsc *rsc, const char *task,
    long long interval_ms, struct pengine_node *node)
{
	char *key = xasprintf("%s_%s_%lld", rsc ? rsc->id : "", task, interval_ms);
	char *h = hkey(key, node);
	struct pengine_action *a = g_hash_table_lookup(ws->action_by_key, h);
	free(h);
	free(key);
	return a;
}

bool
pengine_node_usable(struct pengine_node *n)
{
	return n && n->online && !n->unclean && !n->pending;
}

struct pengine_action *
pengine_action_new(struct pengine_ws *ws, struct pengine_rsc *rsc, const char *task,
    long long interval_ms, struct pengine_node *node, bool optional)
{
	char *key = rsc ? xasprintf("%s_%s_%lld", rsc->id, task, interval_ms) : xstrdup(task);
	char *h = hkey(key, node);
	struct pengine_action *a = g_hash_table_lookup(ws->action_by_key, h);
	if (a) {
		free(h);
		free(key);
		if (!optional)
			a->flags &= ~AF_OPTIONAL;
		return a;
	}
	a = XNEW(struct pengine_action);
	a->id = (int)ws->actions->len + 1; /* Pacemaker numbers from 1 */
	a->rsc = rsc;
	a->node = node;
	a->task = xstrdup(task);
	a->task_id = pengine_task_parse(task);
	a->interval_ms = interval_ms;
	a->key = key;
	a->flags = AF_RUNNABLE | (optional ? AF_OPTIONAL : 0);
	a->before = g_array_new(false, false, sizeof(struct pengine_edge));
	a->after = g_array_new(false, false, sizeof(struct pengine_edge));
	a->synapse = -1;
	if (rsc && rsc->kind != KIND_PRIMITIVE)
		a->flags |= AF_PSEUDO;
	if (rsc && rsc->kind == KIND_PRIMITIVE && !pengine_node_usable(node))
		a->flags &= ~AF_RUNNABLE;
	g_hash_table_insert(ws->action_by_key, h, a);
	g_ptr_array_add(ws->actions, a);
	if (rsc)
		g_ptr_array_add(rsc->actions, a);
	return a;
}

static struct pengine_action *
migration_of(struct pengine_action *start, const char *task)
{
	struct pengine_rsc *r = start->rsc;
	if (r == NULL || r->kind != KIND_PRIMITIVE)
		return NULL;
	if (start->task_id == TASK_STOP && !strcmp(task, "migrate_to")) {
		/* what the source's stop waits for, the migration waits for too */
		bool migrating = false;
		for (guint i = 0; i < r->actions->len; i++) {
			struct pengine_action *a = r->actions->pdata[i];
			if (a->task_id == TASK_START && (a->flags & AF_PSEUDO))
				migrating = true;
		}
		if (!migrating)
			return NULL;
	} else if (start->task_id != TASK_START || !(start->flags & AF_PSEUDO)) {
		return NULL;
	}
	for (guint i = 0; i < r->actions->len; i++) {
		struct pengine_action *a = r->actions->pdata[i];
		if (!strcmp(a->task, task))
			return a;
	}
	return NULL;
}

/* a is a step of a live migration: its migrate_to or migrate_from, the start it stands for
 * (a pseudo-action), or the stop on the source */
bool
pengine_migration_step(struct pengine_action *a)
{
	if (a->rsc == NULL || a->rsc->kind != KIND_PRIMITIVE)
		return false;
	return a->task_id == TASK_MIGRATE_TO || a->task_id == TASK_MIGRATE_FROM ||
	    migration_of(a, "migrate_from") != NULL || pengine_stop_of_migration(a);
}

/* a's resource migrates live and a is its stop on the source */
bool
pengine_stop_of_migration(struct pengine_action *a)
{
	return a->task_id == TASK_STOP && migration_of(a, "migrate_to") != NULL;
}

void
pengine_order_actions(struct pengine_action *first, struct pengine_action *then, int flags)
{
	if (first == NULL || then == NULL || first == then)
		return;
	if (first->rsc != then->rsc && first->rsc && then->rsc && first->rsc->parent != then->rsc &&
	    then->rsc->parent != first->rsc) {
		/* a migrating resource: its migrate_to waits for what its start waits for, and what
		 * waits for its start also waits for its migrate_from */
		struct pengine_action *mt = migration_of(then, "migrate_to");
		struct pengine_action *mf =
		    first->task_id == TASK_START ? migration_of(first, "migrate_from") : NULL;
		/* a stop after another migrating resource's stop (a group's members moving
		 * together): the migrations are ordered by their starts, not their stops */
		if (mt && then->task_id == TASK_STOP && first->task_id == TASK_STOP &&
		    migration_of(first, "migrate_to"))
			mt = NULL;
		/* (only an order: Pacemaker's migration equivalents imply nothing) */
		if (mt)
			pengine_order_actions(mf ? mf : first, mt, OF_OPTIONAL);
		else if (mf)
			pengine_order_actions(mf, then, OF_OPTIONAL);
	}
	for (guint i = 0; i < first->after->len; i++) {
		struct pengine_edge *e = &g_array_index(first->after, struct pengine_edge, i);
		if (e->other == then) {
			e->flags |= flags;
			for (guint j = 0; j < then->before->len; j++) {
				struct pengine_edge *b =
				    &g_array_index(then->before, struct pengine_edge, j);
				if (b->other == first)
					b->flags |= flags;
			}
			return;
		}
	}
	struct pengine_edge e1 = { then, flags }, e2 = { first, flags };
	g_array_append_val(first->after, e1);
	g_array_append_val(then->before, e2);
}

static void
remove_edge(GArray *edges, struct pengine_action *other)
{
	for (guint i = 0; i < edges->len; i++)
		if (g_array_index(edges, struct pengine_edge, i).other == other) {
			g_array_remove_index(edges, i);
			return;
		}
}

/* Undo pengine_order_actions(first, then, ...) */
void
pengine_unorder_actions(struct pengine_action *first, struct pengine_action *then)
{
	remove_edge(first->after, then);
	remove_edge(then->before, first);
}

bool
pengine_rsc_active_on(struct pengine_rsc *r, struct pengine_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return true;
	return false;
}

/* All actions of rsc for task (interval 0), mapped through groups' pseudo-actions: `out`
 * is emptied, then filled; returns their number. */
int
pengine_rsc_task_actions(
    struct pengine_ws *ws, struct pengine_rsc *r, const char *task, bool as_first, GPtrArray *out)
{
	g_ptr_array_set_size(out, 0);
	if (r->kind == KIND_GROUP || r->kind == KIND_CLONE || r->kind == KIND_BUNDLE) {
		const char *t = task;
		if (as_first && !strcmp(task, "start"))
			t = "running";
		else if (as_first && !strcmp(task, "stop"))
			t = "stopped";
		else if (as_first && !strcmp(task, "promote"))
			t = "promoted";
		else if (as_first && !strcmp(task, "demote"))
			t = "demoted";
		struct pengine_action *a = pengine_action_find(ws, r, t, 0, NULL);
		if (a && as_first && r->kind == KIND_CLONE && r->notify && t != task) {
			/* after a clone with notifications: once they are confirmed */
			char *ct = xasprintf("confirmed-post_notify_%s", t);
			struct pengine_action *c = pengine_action_find(ws, r, ct, 0, NULL);
			free(ct);
			if (c)
				a = c;
		}
		if (a)
			g_ptr_array_add(out, a);
		return (int)out->len;
	}
	for (guint i = 0; i < r->actions->len; i++) {
		struct pengine_action *a = r->actions->pdata[i];
		if (a->interval_ms == 0 && !strcmp(a->task, task))
			g_ptr_array_add(out, a);
	}
	return (int)out->len;
}

void
pengine_alist_copy(GPtrArray *dst, const GPtrArray *src)
{
	g_ptr_array_set_size(dst, 0);
	for (guint i = 0; i < src->len; i++)
		g_ptr_array_add(dst, src->pdata[i]);
}

enum pengine_task
pengine_task_parse(const char *text)
{
	static const char *const names[] = {
#define PENGINE_TASK_NAME(name, t) [TASK_##name] = t,
		PENGINE_TASK_TABLE(PENGINE_TASK_NAME)
#undef PENGINE_TASK_NAME
	};
	for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], text))
			return (enum pengine_task)i;
	return TASK_OTHER;
}
