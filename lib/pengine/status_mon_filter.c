/*
 * status_mon_filter.c - crm_mon's --node and --resource filters, as Pacemaker 2.1.5 applies
 * them.
 *
 * --node=X names a node, or a tag whose obj_refs are node ids; --resource=X names a resource
 * (its id, or an anonymous clone instance's base name), else a tag of resources. A name that
 * is neither stays itself and matches nothing. Nodes not named leave the node list, the node
 * attributes, the operations and the failures (not the bans); a resource active only on
 * them leaves the
 * resource list, while inactive resources stay (with -r). A resource is shown when it is
 * named, when its top-level parent is, or, for a collective, when a member is; a group or
 * clone that is shown for a member's sake lists that member only.
 */
#include <string.h>

#include "paceline/xml.h"
#include "status_mon.h"

/* the obj_ref ids of tag `id`, or NULL when there is no such tag */
static GPtrArray *
tag_refs(struct pengine_ws *ws, const char *id)
{
	xmlNode *tags = pl_xml_first_child(ws->config, "tags");
	PL_XML_FOREACH_CHILD(tags, "tag", t)
	{
		if (g_strcmp0(pl_xml_id(t), id) != 0)
			continue;
		GPtrArray *refs = g_ptr_array_new();
		PL_XML_FOREACH_CHILD(t, "obj_ref", r)
		if (pl_xml_id(r))
			g_ptr_array_add(refs, (gpointer)pl_xml_id(r));
		return refs;
	}
	return NULL;
}

static bool
node_named(struct pengine_ws *ws, const char *name)
{
	for (int i = 0; i < ws->n_nodes; i++)
		if (!strcmp(ws->nodes[i]->uname, name))
			return true;
	return false;
}

bool
mon_node_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_node *n)
{
	const char *f = o->only_node;
	if (f == NULL || !strcmp(f, "*") || !strcasecmp(f, n->uname))
		return true;
	if (node_named(ws, f))
		return false;
	GPtrArray *refs = tag_refs(ws, f);
	bool shown = false;
	for (guint i = 0; refs && i < refs->len && !shown; i++)
		shown = !strcmp(refs->pdata[i], n->id) || !strcmp(refs->pdata[i], n->uname);
	if (refs)
		g_ptr_array_free(refs, true);
	return shown;
}

static bool
rsc_named(struct pengine_ws *ws, const char *name)
{
	if (g_hash_table_lookup(ws->rsc_by_id, name) || g_hash_table_lookup(ws->clone_by_child, name))
		return true;
	for (int i = 0; i < ws->n_rscs; i++)
		if (!strcmp(mon_rsc_name(ws->rscs[i], false), name))
			return true;
	return false;
}

bool
mon_rsc_listed(struct pengine_ws *ws, const struct pl_mon_opts *o, const char *id)
{
	const char *f = o->only_rsc;
	if (f == NULL || !strcmp(f, "*") || !strcmp(f, id))
		return true;
	if (rsc_named(ws, f))
		return false;
	GPtrArray *refs = tag_refs(ws, f);
	bool listed = false;
	for (guint i = 0; refs && i < refs->len && !listed; i++)
		listed = !strcmp(refs->pdata[i], id);
	if (refs)
		g_ptr_array_free(refs, true);
	return listed;
}

static bool
named(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r)
{
	return mon_rsc_listed(ws, o, mon_rsc_name(r, false)) ||
	    (strchr(r->id, ':') && mon_rsc_listed(ws, o, r->id));
}

static const struct pengine_rsc *
top_of(const struct pengine_rsc *r)
{
	while (r->parent)
		r = r->parent;
	return r;
}

bool
mon_rsc_hidden(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r,
    bool check_parent)
{
	if (o->only_rsc == NULL)
		return false;
	if (r->kind == KIND_PRIMITIVE) {
		if (named(ws, o, r) || mon_rsc_listed(ws, o, r->id))
			return false;
		/* with check_parent, as its top-level parent is shown (a named member of a
		 * collective shows its siblings' too) */
		return !(check_parent && r->parent && !mon_rsc_hidden(ws, o, top_of(r), false));
	}
	if (named(ws, o, r))
		return false;
	if (check_parent && r->parent && named(ws, o, top_of(r)))
		return false;
	if (r->kind == KIND_CLONE && r->child_base && mon_rsc_listed(ws, o, r->child_base))
		return false;
	for (int i = 0; i < r->n_children; i++)
		if (!mon_rsc_hidden(ws, o, r->children[i], false))
			return false;
	return true;
}

bool
mon_rsc_everything(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r)
{
	return o->only_rsc == NULL || named(ws, o, r);
}

bool
mon_rsc_on_shown_node(struct pengine_ws *ws, const struct pl_mon_opts *o, const struct pengine_rsc *r)
{
	if (o->only_node == NULL)
		return true;
	for (int i = 0; i < r->n_running; i++)
		if (mon_node_shown(ws, o, r->running[i]))
			return true;
	for (int i = 0; i < r->n_children; i++)
		if (mon_rsc_on_shown_node(ws, o, r->children[i]))
			return true;
	return false;
}

bool
mon_node_name_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const char *uname)
{
	if (o->only_node == NULL)
		return true;
	for (int i = 0; uname && i < ws->n_nodes; i++)
		if (!strcmp(ws->nodes[i]->uname, uname))
			return mon_node_shown(ws, o, ws->nodes[i]);
	return false;
}

bool
mon_history_shown(
    struct pengine_ws *ws, const struct pl_mon_opts *o, struct pengine_node *n, const char *id)
{
	if (o->only_rsc == NULL)
		return true;
	/* Pacemaker looks an anonymous clone's history ("ping") up as its first instance */
	struct pengine_rsc *r = g_hash_table_lookup(ws->rsc_by_id, id);
	struct pengine_rsc *c = g_hash_table_lookup(ws->clone_by_child, id);
	if (r == NULL && n->guest_child && !g_strcmp0(id, pl_xml_id(n->guest_child->xml)))
		r = n->guest_child;
	if (r == NULL && c && c->n_children > 0)
		r = c->children[0];
	if (r == NULL)
		r = pengine_clone_group_member_for(ws, id, NULL, n);
	if (r == NULL)
		return mon_rsc_listed(ws, o, id);
	/* a group's member history: the member or its group named (not its siblings) */
	const struct pengine_rsc *top = top_of(r);
	if (top->kind == KIND_GROUP)
		return named(ws, o, r) || named(ws, o, top);
	return !mon_rsc_hidden(ws, o, r, true);
}

bool
mon_rsc_id_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, const char *id)
{
	if (o->only_rsc == NULL)
		return true;
	struct pengine_rsc *r = id ? g_hash_table_lookup(ws->rsc_by_id, id) : NULL;
	if (r)
		return !mon_rsc_hidden(ws, o, r, true);
	return id && mon_rsc_listed(ws, o, id);
}
