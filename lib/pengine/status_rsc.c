/*
 * status_rsc.c - crm_resource's questions about the unpacked status (pengine_rsc.h): which
 * resources exist, where they are active and in which role, and crm_mon's rendering of them.
 * Names resolve as Pacemaker's tools resolve them: a resource id, a clone instance
 * ("rsc:1"), or a clone's primitive id standing for the clone.
 */
#include <string.h>

#include "paceline/buf.h"
#include "paceline/pengine_rsc.h"
#include "status_mon.h"

static struct pengine_rsc *
find(struct pengine_ws *ws, const char *id)
{
	struct pengine_rsc *r;

	if (id == NULL)
		return NULL;
	if ((r = g_hash_table_lookup(ws->rsc_by_id, id)) != NULL) {
		/* a clone's instance 0 may be registered under the primitive's own id */
		if (r->parent && r->parent->kind == KIND_CLONE && strchr(id, ':') == NULL)
			return r->parent;
		return r;
	}
	return g_hash_table_lookup(ws->clone_by_child, id);
}

enum pl_rsc_kind
pl_pengine_rsc_kind(struct pl_pengine_run *run, const char *id)
{
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	if (r == NULL)
		return PL_RSC_NONE;
	switch (r->kind) {
	case KIND_PRIMITIVE: return PL_RSC_PRIMITIVE;
	case KIND_GROUP: return PL_RSC_GROUP;
	case KIND_CLONE: return PL_RSC_CLONE;
	case KIND_BUNDLE: return PL_RSC_BUNDLE;
	}
	return PL_RSC_NONE;
}

const char *
pl_pengine_rsc_top(struct pl_pengine_run *run, const char *id)
{
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	while (r && r->parent)
		r = r->parent;
	return r ? r->id : NULL;
}

const char *
pl_pengine_rsc_parent(struct pl_pengine_run *run, const char *id)
{
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	return r && r->parent ? r->parent->id : NULL;
}

bool
pl_pengine_rsc_promotable(struct pl_pengine_run *run, const char *id)
{
	for (struct pengine_rsc *r = find(pengine_run_ws(run), id); r; r = r->parent)
		if (r->kind == KIND_CLONE && r->promotable)
			return true;
	return false;
}

static void
where(struct pengine_rsc *r, GArray *out)
{
	if (r->kind != KIND_PRIMITIVE) {
		for (int i = 0; i < r->n_children; i++)
			where(r->children[i], out);
		return;
	}
	for (int i = 0; i < r->n_running; i++) {
		struct pl_rsc_where w = { r->running[i]->uname, r->role == ROLE_PROMOTED };
		bool dup = false;

		for (guint j = 0; j < out->len; j++)
			dup |= !strcmp(g_array_index(out, struct pl_rsc_where, j).node, w.node) &&
			    g_array_index(out, struct pl_rsc_where, j).promoted == w.promoted;
		if (!dup)
			g_array_append_val(out, w);
	}
}

GArray *
pl_pengine_rsc_where(struct pl_pengine_run *run, const char *id)
{
	GArray *out = g_array_new(false, false, sizeof(struct pl_rsc_where));
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	if (r)
		where(r, out);
	return out;
}

bool
pl_pengine_node_known(struct pl_pengine_run *run, const char *name)
{
	return pl_pengine_node_name(run, name) != NULL;
}

const char *
pl_pengine_node_name(struct pl_pengine_run *run, const char *name)
{
	struct pengine_node *n;

	if (name == NULL)
		return NULL;
	n = g_hash_table_lookup(pengine_run_ws(run)->node_by_name, name);
	return n ? n->uname : NULL;
}

bool
pl_pengine_node_unhealthy(struct pl_pengine_run *run, const char *name, const char **strategy)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	struct pengine_node *n = name ? g_hash_table_lookup(ws->node_by_name, name) : NULL;

	if (strategy)
		*strategy = ws->health_strategy ? ws->health_strategy : "none";
	return n != NULL && pengine_node_health_score(ws, n) < 0;
}

bool
pl_pengine_stonith_unset(struct pl_pengine_run *run)
{
	struct pengine_ws *ws = pengine_run_ws(run);

	if (!ws->stonith_enabled)
		return false;
	for (int i = 0; i < ws->n_rscs; i++)
		if (ws->rscs[i]->cls && !strcmp(ws->rscs[i]->cls, "stonith"))
			return false;
	return true;
}

void
pl_pengine_rsc_list_text(struct pl_pengine_run *run, struct pl_buf *out)
{
	struct pl_mon_opts o = { .show = PL_MON_RESOURCES, .inactive = true };

	mon_render_resources(pengine_run_ws(run), &o, out);
}

void
pl_pengine_rsc_text(struct pl_pengine_run *run, const char *id, struct pl_buf *out)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	struct pl_mon_opts o = { .show = PL_MON_RESOURCES, .inactive = true };
	struct pengine_rsc *r = find(ws, id);
	struct pl_buf all = PL_BUF_INIT;
	struct pengine_rsc **top = ws->top;
	int n_top = ws->n_top;

	if (r == NULL)
		return;
	/* render only r: a one-resource view of the list */
	ws->top = &r;
	ws->n_top = 1;
	mon_render_resources(ws, &o, &all);
	ws->top = top;
	ws->n_top = n_top;
	/* drop the header and the list's "  * " of the first line */
	const char *s = strchr(pl_buf_str(&all), '\n');
	s = s ? s + 1 : "";
	if (!strncmp(s, "  * ", 4))
		s += 4;
	pl_buf_add(out, s);
	pl_buf_free(&all);
}

void
pl_pengine_rsc_xml(struct pl_pengine_run *run, const char *id, xmlNode *parent)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	struct pl_mon_opts o = { .show = PL_MON_RESOURCES, .inactive = true };

	if (id != NULL) {
		struct pengine_rsc *r = find(ws, id);
		if (r)
			mon_resource_xml(ws, r, &o, parent);
		return;
	}
	for (int i = 0; i < ws->n_top; i++)
		mon_resource_xml(ws, ws->top[i], &o, parent);
}

bool
pl_pengine_rsc_agent(struct pl_pengine_run *run, const char *id, const char **cls,
    const char **provider, const char **type)
{
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	while (r && r->kind == KIND_CLONE && r->n_children)
		r = r->children[0];
	if (r == NULL || r->kind != KIND_PRIMITIVE)
		return false;
	*cls = r->cls;
	*provider = r->provider;
	*type = r->type;
	return true;
}

GHashTable *
pl_pengine_rsc_params(struct pl_pengine_run *run, const char *id)
{
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	while (r && r->kind == KIND_CLONE && r->n_children)
		r = r->children[0];
	return r && r->kind == KIND_PRIMITIVE ? r->params : NULL;
}

GHashTable *
pl_pengine_rsc_meta(struct pl_pengine_run *run, const char *id)
{
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	return r ? r->meta : NULL;
}

GHashTable *
pl_pengine_rsc_utilization(struct pl_pengine_run *run, const char *id)
{
	struct pengine_rsc *r = find(pengine_run_ws(run), id);

	return r ? r->util : NULL;
}

GHashTable *
pl_pengine_rsc_node_params(struct pl_pengine_run *run, const char *id, const char *node)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	struct pengine_rsc *r = find(ws, id);
	struct pengine_node *n = node ? g_hash_table_lookup(ws->node_by_name, node) : NULL;
	GHashTable *out;

	while (r && r->kind == KIND_CLONE && r->n_children)
		r = r->children[0];
	if (r == NULL || r->kind != KIND_PRIMITIVE || n == NULL)
		return NULL;
	out = pengine_strtab();
	ws->rule_rsc = r;
	pengine_unpack_nvpairs(ws, r->xml, "instance_attributes", n, out);
	ws->rule_rsc = NULL;
	return out;
}
