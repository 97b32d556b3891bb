/*
 * unpack_resources.c - the <resources> section: primitives (with templates and ops), groups,
 * clones and bundles, each into a struct pengine_rsc with its variant.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

/* ---- resources ---- */

enum pengine_onfail
pengine_onfail_parse(const char *s, bool *ok)
{
	*ok = true;
	if (s == NULL) {
		*ok = false;
		return ONFAIL_RESTART;
	}
	if (!strcasecmp(s, "ignore"))
		return ONFAIL_IGNORE;
	if (!strcasecmp(s, "block"))
		return ONFAIL_BLOCK;
	if (!strcasecmp(s, "stop"))
		return ONFAIL_STOP;
	if (!strcasecmp(s, "fence"))
		return ONFAIL_FENCE;
	if (!strcasecmp(s, "standby"))
		return ONFAIL_STANDBY;
	if (!strcasecmp(s, "demote"))
		return ONFAIL_DEMOTE;
	return ONFAIL_RESTART;
}

/* The <op>s of `holder` (the primitive, then its template: the primitive's own win). Two
 * recurring ops with the same name and interval in one block cancel each other out. */
static void
unpack_ops(struct pengine_ws *ws, struct pengine_rsc *r, xmlNode *holder, bool from_template)
{
	xmlNode *ops = pl_xml_first_child(holder, "operations");
	if (ops && pl_xml_attr(ops, "id-ref"))
		ops = pl_xml_find_id(ws->cib, "operations", pl_xml_attr(ops, "id-ref"));
	if (ops == NULL)
		return;
	int first_of_block = r->n_ops;
	size_t n = pl_xml_count_children(ops, "op");
	r->ops = xreallocarray(r->ops, (size_t)r->n_ops + n + 1, sizeof(*r->ops));
	PL_XML_FOREACH_CHILD(ops, "op", op)
	{
		long long iv = pengine_interval_ms(pl_xml_attr(op, "interval"));
		int dup = -1;
		for (int k = 0; k < r->n_ops; k++) {
			if (g_strcmp0(r->ops[k].name, pl_xml_attr(op, "name")) != 0)
				continue;
			/* the primitive's op replaces the template's of the same name and role */
			if (from_template && k < first_of_block &&
			    pengine_role_parse(r->ops[k].role) ==
				pengine_role_parse(pl_xml_attr(op, "role")))
				dup = k;
			else if (iv > 0 && r->ops[k].interval_ms == iv)
				dup = k;
		}
		if (dup >= 0) {
			if (!from_template && dup >= first_of_block) {
				r->ops[dup].enabled = false;
				r->ops[dup].duplicate = true;
			}
			continue;
		}
		struct pengine_opdef *d = &r->ops[r->n_ops++];
		*d = (struct pengine_opdef){ 0 }; /* the array grows uninitialised */
		GHashTable *m = pengine_strtab();
		d->xml = op;
		d->name = xstrdup(pl_xml_attr(op, "name"));
		d->role = xstrdup(pl_xml_attr(op, "role"));
		d->interval_ms = pengine_interval_ms(pl_xml_attr(op, "interval"));
		pengine_unpack_nvpairs(ws, op, "meta_attributes", NULL, m);
		const char *of = pl_xml_attr(op, "on-fail");
		if (of == NULL)
			of = g_hash_table_lookup(m, "on-fail");
		d->on_fail = pengine_onfail_parse(of, &d->on_fail_set);
		const char *en = pl_xml_attr(op, "enabled");
		if (en == NULL)
			en = g_hash_table_lookup(m, "enabled");
		d->enabled = en ? pengine_is_true(en) : true;
		g_hash_table_destroy(m);
		if (d->name == NULL)
			d->name = xstrdup("");
	}
}

struct pengine_rsc *
pengine_rsc_new(
    struct pengine_ws *ws, xmlNode *x, enum pengine_variant_id v, struct pengine_rsc *parent)
{
	struct pengine_rsc *r = XNEW(struct pengine_rsc);
	r->idx = ws->n_rscs;
	r->id = xstrdup(pl_xml_id(x));
	r->variant = &pengine_variants[v];
	r->kind = r->variant->kind;
	r->xml = x;
	r->parent = parent;
	r->meta = pengine_strtab();
	r->params = pengine_strtab();
	r->actions = g_ptr_array_new();
	r->role = ROLE_STOPPED;
	r->next_role = ROLE_UNKNOWN;
	r->managed = true;
	r->provisional = true;
	ws->rscs = xreallocarray(ws->rscs, ws->n_rscs + 1, sizeof(*ws->rscs));
	ws->rscs[ws->n_rscs++] = r;
	if (r->id)
		g_hash_table_insert(ws->rsc_by_id, r->id, r);
	else
		r->id = xstrdup("(no id)");
	pengine_unpack_nvpairs(ws, x, "meta_attributes", NULL, r->meta);
	/* then its parent's (which hold the parent's own, its parents' and the defaults), as
	 * Pacemaker copies them: a group's stickiness beats rsc_defaults for its members */
	if (parent) {
		GHashTableIter it;
		gpointer k, val;
		g_hash_table_iter_init(&it, parent->meta);
		while (g_hash_table_iter_next(&it, &k, &val))
			if (!g_hash_table_contains(r->meta, k))
				g_hash_table_insert(r->meta, xstrdup(k), xstrdup(val));
	}
	/* rsc_defaults apply under the resource's own meta attributes; their rules may test
	 * the agent (class/provider/type), known only for primitives */
	if (r->kind == KIND_PRIMITIVE) {
		r->cls = xstrdup(pl_xml_attr(x, "class"));
		r->provider = xstrdup(pl_xml_attr(x, "provider"));
		r->type = xstrdup(pl_xml_attr(x, "type"));
	}
	ws->rule_rsc = r;
	pengine_unpack_nvpairs(ws, ws->rsc_defaults, "meta_attributes", NULL, r->meta);
	ws->rule_rsc = NULL;
	return r;
}

void
pengine_rsc_settle(struct pengine_ws *ws, struct pengine_rsc *r)
{
	const char *v;
	r->priority = pl_score_parse(pengine_meta(r, "priority"));
	v = pengine_meta(r, "resource-stickiness");
	r->stickiness = v ? pl_score_parse(v) : ws->default_stickiness;
	/* a clone's instances are sticky by 1 unless a stickiness is set (Pacemaker gives
	 * clones that default) */
	for (struct pengine_rsc *p = r->parent; v == NULL && p; p = p->parent)
		if (p->kind == KIND_CLONE && ws->default_stickiness == 0)
			r->stickiness = 1;
	v = pengine_meta(r, "migration-threshold");
	r->migration_threshold = v ? pl_score_parse(v) : INF;
	r->failure_timeout = pengine_interval_ms(pengine_meta(r, "failure-timeout")) / 1000;
	v = pengine_meta(r, "is-managed");
	if (v && !pengine_is_true(v))
		r->managed = false;
	if (ws->maintenance)
		r->managed = false;
	v = pengine_meta(r, "maintenance");
	if (v && pengine_is_true(v))
		r->managed = false;
	v = pengine_meta(r, "target-role");
	r->target_role = pengine_role_parse(v);
	if (r->target_role == ROLE_STOPPED)
		r->disabled = true;
}

static struct pengine_rsc *unpack_rsc(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent);

struct pengine_rsc *
pengine_unpack_primitive(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent)
{
	struct pengine_rsc *r = pengine_rsc_new(ws, x, VARIANT_PRIMITIVE, parent);
	xmlNode *def = x;
	const char *tmpl = pl_xml_attr(x, "template");
	if (tmpl) {
		xmlNode *t = pl_xml_find_id(ws->config, "template", tmpl);
		if (t)
			def = t;
	}
	free(r->cls);
	free(r->provider);
	free(r->type);
	r->cls =
	    xstrdup(pl_xml_attr(x, "class") ? pl_xml_attr(x, "class") : pl_xml_attr(def, "class"));
	r->provider = xstrdup(
	    pl_xml_attr(x, "provider") ? pl_xml_attr(x, "provider") : pl_xml_attr(def, "provider"));
	r->type = xstrdup(pl_xml_attr(x, "type") ? pl_xml_attr(x, "type") : pl_xml_attr(def, "type"));
	pengine_unpack_nvpairs(ws, x, "instance_attributes", NULL, r->params);
	if (pl_xml_first_child(x, "utilization") || pl_xml_first_child(def, "utilization")) {
		r->util = pengine_strtab();
		pengine_unpack_nvpairs(ws, x, "utilization", NULL, r->util);
		if (def != x)
			pengine_unpack_nvpairs(ws, def, "utilization", NULL, r->util);
	}
	if (def != x) {
		pengine_unpack_nvpairs(ws, def, "meta_attributes", NULL, r->meta);
		pengine_unpack_nvpairs(ws, def, "instance_attributes", NULL, r->params);
	}
	unpack_ops(ws, r, x, false);
	if (def != x)
		unpack_ops(ws, r, def, true);
	/* a group's or clone's instance attributes are its members' too (theirs win) */
	for (struct pengine_rsc *p = parent; p; p = p->parent)
		if (p->xml && (p->kind == KIND_GROUP || p->kind == KIND_CLONE))
			pengine_unpack_nvpairs(ws, p->xml, "instance_attributes", NULL, r->params);
	r->pn = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*r->pn));
	r->is_remote_conn = pengine_is_remote_agent(def) || pengine_is_remote_agent(x);
	return r;
}

static void
add_child(struct pengine_rsc *p, struct pengine_rsc *c)
{
	p->children = xreallocarray(p->children, p->n_children + 1, sizeof(*p->children));
	p->children[p->n_children++] = c;
}

struct pengine_rsc *
pengine_unpack_group(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent)
{
	struct pengine_rsc *g = pengine_rsc_new(ws, x, VARIANT_GROUP, parent);
	PL_XML_FOREACH_CHILD(x, "primitive", c)
	add_child(g, pengine_unpack_primitive(ws, c, g));
	return g;
}

/* <clone> and <master>: a promotable one takes the promotable row */
struct pengine_rsc *
pengine_unpack_clone(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent)
{
	struct pengine_rsc *c = pengine_rsc_new(ws, x, VARIANT_CLONE, parent);
	if (pengine_clone_of_group(x))
		pengine_clone_group_unpack(ws, c, x);
	else
		pengine_clone_unpack(ws, c, x, pengine_unpack_primitive);
	if (c->promotable)
		c->variant = &pengine_variants[VARIANT_PROMOTABLE];
	return c;
}

static struct pengine_rsc *
unpack_rsc(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *parent)
{
	const struct pengine_variant *v = pengine_variant_for(pl_xml_name(x));
	return v ? v->unpack(ws, x, parent) : NULL;
}

static int
prio_cmp(const void *a, const void *b)
{
	const struct pengine_rsc *x = *(struct pengine_rsc *const *)a,
				 *y = *(struct pengine_rsc *const *)b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->idx - y->idx;
}

void
pengine_unpack_resources(struct pengine_ws *ws)
{
	xmlNode *res = pl_xml_first_child(ws->config, "resources");
	ws->nodes_known = ws->n_nodes;
	for (int i = 0; i < ws->n_nodes; i++)
		ws->nodes_known -= ws->nodes[i]->in_bundle && !ws->nodes[i]->listed;
	PL_XML_FOREACH_CHILD(res, NULL, x)
	{
		struct pengine_rsc *r = unpack_rsc(ws, x, NULL);
		if (r == NULL)
			continue;
		ws->top = xreallocarray(ws->top, ws->n_top + 1, sizeof(*ws->top));
		ws->top[ws->n_top++] = r;
	}
	/* the implicit connection resources of remote-node guests (a bundle makes its own) */
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		if (!n->guest || n->in_bundle || g_hash_table_lookup(ws->rsc_by_id, n->id))
			continue;
		struct pengine_rsc *r = pengine_guest_connection(ws, n);
		ws->top = xreallocarray(ws->top, ws->n_top + 1, sizeof(*ws->top));
		ws->top[ws->n_top++] = r;
	}
	for (int i = 0; i < ws->n_rscs; i++)
		pengine_rsc_settle(ws, ws->rscs[i]);
	bool fencing = false;
	for (int i = 0; i < ws->n_rscs && !fencing; i++)
		fencing =
		    ws->rscs[i]->kind == KIND_PRIMITIVE && !g_strcmp0(ws->rscs[i]->cls, "stonith");
	ws->have_device = fencing;
	if (ws->stonith_enabled && !fencing && !ws->have_watchdog) { /* as Pacemaker logs it */
		pengine_config_err(ws, "unpack_resources",
		    "Resource start-up disabled since no STONITH resources have been defined");
		pengine_config_err(ws, "unpack_resources",
		    "Either configure some or disable STONITH with the stonith-enabled option");
		pengine_config_err(ws, "unpack_resources",
		    "NOTE: Clusters with shared data need STONITH to ensure data integrity");
	}
	if (ws->n_top > 1)
		qsort(ws->top, ws->n_top, sizeof(*ws->top), prio_cmp);
}
