/*
 * utilization.c - crm_simulate -U: each node's capacity before placement, each placed
 * primitive's needs where it was placed (in processing order), and what each node has left,
 * in Pacemaker 2.1.5's lines ("Original: N capacity: cpu=2", "pcmk__finalize_assignment: R
 * utilization on N: cpu=1", "Remaining: N capacity: cpu=1").
 * Also the capacity check before a resource is placed (pengine_util_room).
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/pengine.h"
#include "pengine_private.h"

static gint
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* " name=value" for each entry of t (sorted by name); used (may be NULL) is subtracted */
static void
add_values(struct pl_buf *out, GHashTable *t, GHashTable *used)
{
	if (t == NULL)
		return;
	GPtrArray *names = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_ptr_array_add(names, k);
	g_ptr_array_sort(names, name_cmp);
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		long long v = strtoll(g_hash_table_lookup(t, name), NULL, 10);
		if (used)
			v -= (long long)GPOINTER_TO_SIZE(g_hash_table_lookup(used, name));
		pl_buf_addf(out, " %s=%lld", name, v);
	}
	g_ptr_array_free(names, true);
}

static void
placed(struct pengine_rsc *r, GHashTable *used_by_node, struct pl_buf *out)
{
	if (r->kind != KIND_PRIMITIVE) {
		for (int c = 0; c < r->n_children; c++)
			placed(r->children[c], used_by_node, out);
		return;
	}
	if (r->assigned == NULL)
		return;
	pl_buf_addf(
	    out, "pcmk__finalize_assignment: %s utilization on %s:", r->id, r->assigned->uname);
	add_values(out, r->util, NULL);
	pl_buf_add(out, "\n");
	if (r->util == NULL)
		return;
	GHashTable *used = g_hash_table_lookup(used_by_node, r->assigned);
	if (used == NULL) {
		used = g_hash_table_new(g_str_hash, g_str_equal);
		g_hash_table_insert(used_by_node, r->assigned, used);
	}
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, r->util);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		long long u = (long long)GPOINTER_TO_SIZE(g_hash_table_lookup(used, k));
		u += strtoll(v, NULL, 10);
		g_hash_table_insert(used, k, GSIZE_TO_POINTER((gsize)u));
	}
}

void
pl_pengine_utilization_text(struct pl_pengine_run *run, struct pl_buf *out)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	GHashTable *used_by_node =
	    g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_hash_table_destroy);
	for (int n = 0; n < ws->n_nodes; n++) {
		pl_buf_addf(out, "Original: %s capacity:", ws->nodes[n]->uname);
		add_values(out, ws->nodes[n]->util, NULL);
		pl_buf_add(out, "\n");
	}
	for (int i = 0; i < ws->n_order; i++)
		placed(ws->order[i], used_by_node, out);
	for (int n = 0; n < ws->n_nodes; n++) {
		pl_buf_addf(out, "Remaining: %s capacity:", ws->nodes[n]->uname);
		add_values(out, ws->nodes[n]->util, g_hash_table_lookup(used_by_node, ws->nodes[n]));
		pl_buf_add(out, "\n");
	}
	g_hash_table_destroy(used_by_node);
}

/* r and, transitively, what is colocated with it or it with (mandatory colocations in
 * either direction; a clone pulls only clones), as Pacemaker collects them. A clone
 * instance (orig only) goes by its clone's colocations, as an instance. */
static void
colocated_set(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_rsc *orig, GPtrArray *set)
{
	for (guint i = 0; i < set->len; i++)
		if (set->pdata[i] == r)
			return;
	g_ptr_array_add(set, r);
	struct pengine_rsc *self = r, *top = orig;
	if (orig->parent && orig->parent->kind == KIND_CLONE) {
		top = orig->parent;
		if (r == orig)
			self = top;
	}
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (c->score < INF || c->node_attr || c->dep_role > ROLE_STARTED ||
		    c->primary_role > ROLE_STARTED)
			continue;
		if (c->dep == self && c->primary != top)
			colocated_set(ws, c->primary, orig, set);
		else if (c->primary == self && c->dep != top &&
		    !(r->kind == KIND_CLONE && c->dep->kind != KIND_CLONE))
			colocated_set(ws, c->dep, orig, set);
	}
}

/* what an unplaced member of the set needs: a clone counts one instance */
static struct pengine_rsc *
needing(struct pengine_rsc *m, struct pengine_rsc *r)
{
	if (m->kind == KIND_CLONE)
		m = m->n_children > 0 ? m->children[0] : NULL;
	if (m == NULL || m->kind == KIND_BUNDLE || m->kind == KIND_CLONE)
		return NULL;
	return m == r || m->provisional || m->assigning ? m : NULL;
}

static bool
set_fits(struct pengine_node *n, GPtrArray *set, struct pengine_rsc *r)
{
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < set->len; i++)
		if (needing(set->pdata[i], r))
			pengine_util_names(needing(set->pdata[i], r), names);
	bool ok = true;
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, names);
	while (ok && g_hash_table_iter_next(&it, &k, NULL)) {
		long long need = 0;
		for (guint i = 0; i < set->len; i++)
			if (needing(set->pdata[i], r))
				need += pengine_util_need(needing(set->pdata[i], r), k);
		ok = need <= pengine_util_left(n, k);
	}
	g_hash_table_destroy(names);
	return ok;
}

/* Before r is placed with a placement strategy, among the candidate nodes (room[n] true):
 * when some node has room for r and every unplaced resource colocated with it, only such
 * nodes stay candidates; otherwise those with room for r alone do, and the one with the
 * most room left is returned as preferred (Pacemaker's capacity check). */
struct pengine_node *
pengine_util_room(struct pengine_ws *ws, struct pengine_rsc *r, bool *room)
{
	GPtrArray *set = g_ptr_array_new();
	colocated_set(ws, r, r, set);
	struct pengine_node *most = NULL;
	bool any = false;
	for (int n = 0; n < ws->n_nodes; n++) {
		if (!room[n])
			continue;
		if (set_fits(ws->nodes[n], set, r))
			any = true;
		if (most == NULL || pengine_util_cmp(ws->nodes[n], most) < 0)
			most = ws->nodes[n];
	}
	for (int n = 0; n < ws->n_nodes; n++)
		if (room[n])
			room[n] = any ? set_fits(ws->nodes[n], set, r)
				      : pengine_util_fits(ws, r, ws->nodes[n]);
	g_ptr_array_free(set, true);
	return any ? NULL : most;
}
