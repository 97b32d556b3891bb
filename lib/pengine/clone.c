/*
 * clone.c - clones of a primitive (anonymous or globally unique, not promotable yet):
 * instances "child:N", mapping of the history onto instances, placement of instances on
 * distinct nodes, and the crm_mon view of a clone set.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pe_private.h"

bool pe_clone_supported(const struct pe_rsc *r)
{
	return r->kind == KIND_CLONE && !r->unsupported;
}

/* Called by unpack_rsc for <clone>/<master>. Instances are unpacked from the child. */
void pe_clone_unpack(struct pe_ws *ws, struct pe_rsc *c, xmlNode *x,
		     struct pe_rsc *(*unpack_primitive)(struct pe_ws *, xmlNode *, struct pe_rsc *))
{
	xmlNode *child = pl_xml_first_child(x, "primitive");
	const char *prom = g_hash_table_lookup(c->meta, "promotable");
	const char *notify = g_hash_table_lookup(c->meta, "notify");
	if (child == NULL || pl_xml_is(x, "master") || pe_is_true(prom) || pe_is_true(notify)) {
		c->unsupported = true;
		ws->unsupported = true;
		return;
	}
	const char *v = g_hash_table_lookup(c->meta, "clone-max");
	int max = v ? atoi(v) : ws->n_nodes;
	v = g_hash_table_lookup(c->meta, "clone-node-max");
	c->clone_node_max = v ? atoi(v) : 1;
	c->unique = pe_is_true(g_hash_table_lookup(c->meta, "globally-unique"));
	c->pn = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*c->pn));
	const char *base = pl_xml_id(child);
	c->child_base = xstrdup(base);
	for (int i = 0; i < max; i++) {
		struct pe_rsc *inst = unpack_primitive(ws, child, c);
		if (g_hash_table_lookup(ws->rsc_by_id, inst->id) == inst)
			g_hash_table_remove(ws->rsc_by_id, inst->id);
		free(inst->id);
		inst->id = xasprintf("%s:%d", base, i);
		g_hash_table_insert(ws->rsc_by_id, inst->id, inst);
		c->children = xreallocarray(c->children, c->n_children + 1, sizeof(*c->children));
		c->children[c->n_children++] = inst;
	}
	if (base)
		g_hash_table_insert(ws->clone_by_child, c->child_base, c);
}

static bool active_on(struct pe_rsc *r, struct pe_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return true;
	return false;
}

/* The instance a history entry belongs to (NULL: none left). */
struct pe_rsc *pe_clone_instance_for(struct pe_ws *ws, struct pe_rsc *c, const char *lrm_id,
				     struct pe_node *n)
{
	if (c->unique) {
		struct pe_rsc *r = g_hash_table_lookup(ws->rsc_by_id, lrm_id);
		return r && r->parent == c ? r : NULL;
	}
	for (int i = 0; i < c->n_children; i++)
		if (active_on(c->children[i], n))
			return c->children[i];
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->n_running == 0)
			return c->children[i];
	return NULL;
}

static bool node_can_run(struct pe_node *n)
{
	return n->online && !n->unclean && !n->standby && !n->shutdown && !n->maintenance && !n->pending;
}

/* Place instances: active ones stay where they are when allowed, the rest go to the best
 * nodes without an instance, ties broken by fewest assignments then name. `coloc` is the
 * per-node adjustment from colocations where the clone is the dependent. */
void pe_clone_assign(struct pe_ws *ws, struct pe_rsc *c, const int *coloc, bool blocked)
{
	int *count = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	bool *done = xcalloc(c->n_children ? c->n_children : 1, sizeof(bool));
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < c->n_children; i++) {
			struct pe_rsc *r = c->children[i];
			if (done[i])
				continue;
			struct pe_node *cur = r->n_running ? r->running[0] : NULL;
			if (pass == 0 && cur == NULL)
				continue;
			struct pe_node *best = NULL;
			int bw = 0;
			if (!r->managed || (r->failed && r->blocked)) {
				best = cur;
			} else if (!blocked && !r->disabled) {
				for (int n = 0; n < ws->n_nodes; n++) {
					struct pe_node *node = ws->nodes[n];
					int w = r->score[n];
					if (w == INT_MIN || !node_can_run(node) || count[n] >= c->clone_node_max)
						continue;
					if (coloc)
						w = pl_score_add(w, coloc[n]);
					if (w < 0)
						continue;
					if (best == NULL || w > bw) {
						best = node;
						bw = w;
					} else if (w == bw && best != cur &&
						   (node == cur || node->n_assigned < best->n_assigned)) {
						best = node;
					}
				}
			}
			done[i] = true;
			r->assigned = best;
			r->provisional = false;
			if (best) {
				count[best->idx]++;
				best->n_assigned++;
			}
		}
	}
	c->provisional = false;
	free(count);
	free(done);
}

bool pe_clone_on_node(struct pe_rsc *c, struct pe_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->assigned == n)
			return true;
	return false;
}

/* ---- status view ---- */

static void node_list(struct pl_buf *out, const char *label, GPtrArray *nodes)
{
	if (nodes->len == 0)
		return;
	pl_buf_addf(out, "      * %s: [", label);
	for (guint i = 0; i < nodes->len; i++)
		pl_buf_addf(out, " %s", ((struct pe_node *)nodes->pdata[i])->uname);
	pl_buf_add(out, " ]\n");
}

void pe_clone_render(struct pe_ws *ws, struct pe_rsc *c, struct pl_buf *out, bool revised,
		     void (*prim)(struct pe_ws *, struct pe_rsc *, struct pl_buf *, const char *, bool,
				  const char *))
{
	pl_buf_addf(out, "    * Clone Set: %s [%s]%s%s%s:\n", c->id, c->child_base ? c->child_base : "",
		    c->unique ? " (unique)" : "", c->disabled ? " (disabled)" : "",
		    !c->managed ? " (unmanaged)" : "");
	if (c->unique) {
		for (int i = 0; i < c->n_children; i++)
			prim(ws, c->children[i], out, "      ", revised, NULL);
		return;
	}
	GPtrArray *started = g_ptr_array_new(), *stopped = g_ptr_array_new();
	bool *busy = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(bool));
	for (int i = 0; i < c->n_children; i++) {
		struct pe_rsc *r = c->children[i];
		int cnt = revised ? r->n_sim_running : r->n_running;
		struct pe_node **on = revised ? r->sim_running : r->running;
		bool failed = revised ? r->sim_failed : r->failed;
		for (int k = 0; k < cnt; k++)
			busy[on[k]->idx] = true;
		if (cnt == 1 && !failed && r->managed && !r->disabled && !(on[0]->unclean && !revised))
			continue;
		if (cnt > 0)
			prim(ws, r, out, "      ", revised, c->child_base);
	}
	for (int n = 0; n < ws->n_nodes; n++) {
		for (int i = 0; i < c->n_children; i++) {
			struct pe_rsc *r = c->children[i];
			int cnt = revised ? r->n_sim_running : r->n_running;
			struct pe_node **on = revised ? r->sim_running : r->running;
			bool failed = revised ? r->sim_failed : r->failed;
			if (cnt == 1 && on[0] == ws->nodes[n] && !failed && r->managed && !r->disabled &&
			    !(on[0]->unclean && !revised))
				g_ptr_array_add(started, ws->nodes[n]);
		}
		if (!busy[n])
			g_ptr_array_add(stopped, ws->nodes[n]);
	}
	node_list(out, "Started", started);
	bool some_inactive = false;
	for (int i = 0; i < c->n_children; i++)
		if ((revised ? c->children[i]->n_sim_running : c->children[i]->n_running) == 0)
			some_inactive = true;
	if (some_inactive)
		node_list(out, c->disabled ? "Stopped (disabled)" : "Stopped", stopped);
	g_ptr_array_free(started, true);
	g_ptr_array_free(stopped, true);
	free(busy);
}
