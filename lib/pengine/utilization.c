/*
 * utilization.c - crm_simulate -U: each node's capacity before placement, each placed
 * primitive's needs where it was placed (in processing order), and what each node has left,
 * in Pacemaker 2.1.5's lines ("Original: N capacity: cpu=2", "pcmk__finalize_assignment: R
 * utilization on N: cpu=1", "Remaining: N capacity: cpu=1").
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
