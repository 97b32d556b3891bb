/*
 * status_rsc.c - crm_resource's questions about the unpacked status (pengine_rsc.h): which
 * resources exist, where they are active and in which role, and crm_mon's rendering of them.
 * Names resolve as Pacemaker's tools resolve them: a resource id, a clone instance
 * ("rsc:1"), or a clone's primitive id standing for the clone.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xalloc.h"
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

/* ---- clone instances as Pacemaker's crm_resource names them --------------------------- */

/* A resource's children as Pacemaker lists them: a bundle's replicas (container, IP,
 * connection each) and then its bundled clone; else its children. */
static int
kids(const struct pengine_rsc *r, struct pengine_rsc ***out)
{
	int n = 0;

	*out = NULL;
	if (r->kind != KIND_BUNDLE) {
		*out = r->children;
		return r->n_children;
	}
	*out = xcalloc((size_t)r->n_replicas * 3 + 1, sizeof(**out));
	for (int i = 0; i < r->n_replicas; i++) {
		const struct pengine_replica *rp = &r->replicas[i];

		if (rp->container)
			(*out)[n++] = rp->container;
		if (rp->ip)
			(*out)[n++] = rp->ip;
		if (rp->remote)
			(*out)[n++] = rp->remote;
	}
	if (r->inner)
		(*out)[n++] = r->inner;
	return n;
}

static void
leaves(const struct pengine_rsc *r, GPtrArray *out)
{
	struct pengine_rsc **k;
	int n = kids(r, &k);

	if (n == 0)
		g_ptr_array_add(out, r->id);
	for (int i = 0; i < n; i++)
		leaves(k[i], out);
	if (r->kind == KIND_BUNDLE)
		free(k);
}

void
pl_pengine_rsc_raw_ids(struct pl_pengine_run *run, GPtrArray *out)
{
	struct pengine_ws *ws = pengine_run_ws(run);

	for (int i = 0; i < ws->n_top; i++)
		leaves(ws->top[i], out);
}

void
pl_pengine_rsc_top_ids(struct pl_pengine_run *run, GPtrArray *out)
{
	struct pengine_ws *ws = pengine_run_ws(run);

	for (int i = 0; i < ws->n_top; i++)
		g_ptr_array_add(out, ws->top[i]->id);
}

/* inside an anonymous clone (Pacemaker's resources without pe_rsc_unique) */
static bool
anonymous(const struct pengine_rsc *r)
{
	const struct pengine_rsc *top = r;

	while (top->parent)
		top = top->parent;
	return top->kind == KIND_CLONE && !top->unique;
}

/* r's id is name, or name plus ":N" */
static bool
base_is(const struct pengine_rsc *r, const char *name)
{
	size_t len = strlen(name);

	return strncmp(r->id, name, len) == 0 && (r->id[len] == '\0' || r->id[len] == ':');
}

static struct pengine_rsc *
find_anon(struct pengine_rsc *r, const char *name)
{
	struct pengine_rsc **k, *found = NULL;
	int n;

	if (strcmp(r->id, name) == 0 || (anonymous(r) && base_is(r, name)))
		return r;
	n = kids(r, &k);
	for (int i = 0; i < n && found == NULL; i++)
		found = find_anon(k[i], name);
	if (r->kind == KIND_BUNDLE)
		free(k);
	return found;
}

const char *
pl_pengine_rsc_find_instance(struct pl_pengine_run *run, const char *name)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	struct pengine_rsc *r = NULL;

	if (name == NULL)
		return NULL;
	for (int i = 0; i < ws->n_top && r == NULL; i++)
		r = find_anon(ws->top[i], name);
	return r ? r->id : NULL;
}

/* The resource a history entry named lrm_id belongs to, as Pacemaker's lookup by id or by the
 * history name an instance took: the instance of that id, else (a history named by the
 * cloned resource's own id) the clone's first instance, which the first such entry always
 * takes. */
static struct pengine_rsc *
history_owner(struct pengine_ws *ws, const char *lrm_id)
{
	struct pengine_rsc *r = g_hash_table_lookup(ws->rsc_by_id, lrm_id), *c;

	if (r != NULL)
		return r;
	if ((c = g_hash_table_lookup(ws->clone_by_child, lrm_id)) != NULL)
		return c->n_children ? c->children[0] : NULL;
	if ((c = g_hash_table_lookup(ws->clone_by_member, lrm_id)) != NULL && c->n_children) {
		struct pengine_rsc *g = c->children[0];

		for (int k = 0; k < g->n_children; k++)
			if (base_is(g->children[k], lrm_id))
				return g->children[k];
	}
	return NULL;
}

bool
pl_pengine_rsc_history_state(
    struct pl_pengine_run *run, const char *lrm_id, const char **name, struct pl_buf *state)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	struct pengine_rsc *r = history_owner(ws, lrm_id);
	struct pl_mon_opts o = { .show = PL_MON_RESOURCES, .inactive = true, .pending = true };

	if (r == NULL)
		return false;
	*name = mon_rsc_name(r, false);
	mon_prim_state(ws, r, &o, state);
	return true;
}

const char *
pl_pengine_exec_status_text(int status)
{
	return status == -1 ? "pending" : status == 0 ? "complete" : mon_exec_str(status);
}
