/*
 * emit_xml.c - the model as a whole CIB (configuration with an empty status), with ids in
 * crmsh's style (<rsc>-instance_attributes-<name>, <rsc>-<op>-<interval>, ...), ready for
 * `cibadmin --replace --xml-file FILE` on a running cluster or as a node's first cib.xml.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "import.h"

/* The newest schema both Paceline and Pacemaker 2.1.5 validate. */
#define IMPORT_SCHEMA "pacemaker-3.9"

/* id="A" or id="A-B", made a valid XML id */
static void
set_id(xmlNode *n, const char *a, const char *b)
{
	char *id = b ? xasprintf("%s-%s", a, b) : xstrdup(a);

	import_sanitize_id(id);
	pl_xml_set_attr(n, "id", id);
	free(id);
}

/* <ELEM id="OWNER-SUFFIX"><nvpair id="OWNER-SUFFIX-NAME" name value/>...</ELEM> */
static void
add_set(xmlNode *parent, const char *elem, const char *set_id_text, const struct import_nvlist *l)
{
	xmlNode *set;

	if (l->n == 0)
		return;
	set = pl_xml_add_child(parent, elem);
	set_id(set, set_id_text, NULL);
	for (size_t i = 0; i < l->n; i++) {
		xmlNode *nv = pl_xml_add_child(set, "nvpair");

		set_id(nv, set_id_text, l->v[i].name);
		pl_xml_set_attr(nv, "name", l->v[i].name);
		pl_xml_set_attr(nv, "value", l->v[i].value);
	}
}

static void
add_attr_sets(xmlNode *x, const char *id, const struct import_rsc *r)
{
	char *sid;

	sid = xasprintf("%s-instance_attributes", id);
	add_set(x, "instance_attributes", sid, &r->params);
	free(sid);
	sid = xasprintf("%s-meta_attributes", id);
	add_set(x, "meta_attributes", sid, &r->meta);
	free(sid);
	sid = xasprintf("%s-utilization", id);
	add_set(x, "utilization", sid, &r->util);
	free(sid);
}

static void
add_ops(xmlNode *x, const struct import_rsc *r)
{
	xmlNode *ops;

	if (r->n_ops == 0)
		return;
	ops = pl_xml_add_child(x, "operations");
	for (size_t i = 0; i < r->n_ops; i++) {
		const struct import_op *o = &r->ops[i];
		const char *iv = import_nv_get(&o->attrs, "interval");
		xmlNode *op = pl_xml_add_child(ops, "op");
		char *id = xasprintf("%s-%s-%s", r->id, o->name, iv ? iv : "0");

		import_sanitize_id(id);
		pl_xml_set_attr(op, "id", id);
		free(id);
		pl_xml_set_attr(op, "name", o->name);
		if (iv == NULL)
			pl_xml_set_attr(op, "interval", "0s");
		for (size_t k = 0; k < o->attrs.n; k++)
			pl_xml_set_attr(op, o->attrs.v[k].name, o->attrs.v[k].value);
	}
}

static void
add_rsc(xmlNode *parent, const struct import_cfg *c, const struct import_rsc *r)
{
	static const char *const elems[] = { "primitive", "group", "clone", "clone" };
	xmlNode *x = pl_xml_add_child(parent, elems[r->kind]);

	pl_xml_set_attr(x, "id", r->id);
	if (r->kind == IMPORT_PRIMITIVE) {
		if (r->cls)
			pl_xml_set_attr(x, "class", r->cls);
		if (r->provider)
			pl_xml_set_attr(x, "provider", r->provider);
		pl_xml_set_attr(x, "type", r->type);
	}
	if (r->kind == IMPORT_MS) {
		struct import_nvlist meta = { NULL, 0 };

		/* A promotable clone: Pacemaker 2's spelling of the old master/slave set. */
		struct import_rsc tmp = *r;

		import_nv_set(&meta, "promotable", "true");
		for (size_t i = 0; i < r->meta.n; i++)
			import_nv_set(&meta, r->meta.v[i].name, r->meta.v[i].value);
		tmp.meta = meta;
		add_attr_sets(x, r->id, &tmp);
		for (size_t i = 0; i < meta.n; i++) {
			free(meta.v[i].name);
			free(meta.v[i].value);
		}
		free(meta.v);
	} else {
		add_attr_sets(x, r->id, r);
	}
	add_ops(x, r);
	for (size_t i = 0; i < r->n_children; i++) {
		const struct import_rsc *ch = import_rsc_find(c, r->children[i]);

		if (ch != NULL)
			add_rsc(x, c, ch);
	}
}

static void
add_location(xmlNode *cons, const struct import_location *l)
{
	xmlNode *x = pl_xml_add_child(cons, "rsc_location");

	pl_xml_set_attr(x, "id", l->id);
	pl_xml_set_attr(x, "rsc", l->rsc);
	if (l->node) {
		pl_xml_set_attr(x, "node", l->node);
		pl_xml_set_attr(x, "score", l->score);
	}
	for (size_t i = 0; i < l->n_rules; i++) {
		const struct import_rule *ru = &l->rules[i];
		xmlNode *rule = pl_xml_add_child(x, "rule");
		/* crmsh's ids: X-rule, X-rule-0, X-rule-1 ... */
		char *rid =
		    i == 0 ? xasprintf("%s-rule", l->id) : xasprintf("%s-rule-%zu", l->id, i - 1);

		pl_xml_set_attr(rule, "id", rid);
		pl_xml_set_attr(rule, "score", ru->score);
		if (ru->role)
			pl_xml_set_attr(rule, "role", ru->role);
		if (ru->n_exprs > 1)
			pl_xml_set_attr(rule, "boolean-op", ru->bool_op ? ru->bool_op : "and");
		for (size_t k = 0; k < ru->n_exprs; k++) {
			const struct import_expr *e = &ru->exprs[k];
			xmlNode *ex = pl_xml_add_child(rule, "expression");
			char *eid = k == 0 ? xasprintf("%s-expression", rid)
					   : xasprintf("%s-expression-%zu", rid, k - 1);

			pl_xml_set_attr(ex, "id", eid);
			pl_xml_set_attr(ex, "attribute", e->attr);
			pl_xml_set_attr(ex, "operation", e->op);
			if (e->value)
				pl_xml_set_attr(ex, "value", e->value);
			free(eid);
		}
		free(rid);
	}
}

/* Orders: 0 is optional, INFINITY mandatory (Pacemaker's kinds); other scores stay scores. */
static void
add_order(xmlNode *cons, const struct import_order *o)
{
	xmlNode *x = pl_xml_add_child(cons, "rsc_order");
	const char *s = o->score;

	pl_xml_set_attr(x, "id", o->id);
	pl_xml_set_attr(x, "first", o->first);
	if (o->first_action)
		pl_xml_set_attr(x, "first-action", o->first_action);
	pl_xml_set_attr(x, "then", o->then);
	if (o->then_action)
		pl_xml_set_attr(x, "then-action", o->then_action);
	if (strcmp(s, "0") == 0)
		pl_xml_set_attr(x, "kind", "Optional");
	else if (strcmp(s, "INFINITY") == 0 || strcmp(s, "+INFINITY") == 0)
		pl_xml_set_attr(x, "kind", "Mandatory");
	else
		pl_xml_set_attr(x, "score", s);
	if (o->symmetrical)
		pl_xml_set_attr(x, "symmetrical", o->symmetrical);
}

static void
add_nodes(xmlNode *conf, const struct import_cfg *c)
{
	xmlNode *nodes = pl_xml_add_child(conf, "nodes");

	for (size_t i = 0; i < c->n_nodes; i++) {
		const struct import_node *n = &c->nodes[i];
		xmlNode *x = pl_xml_add_child(nodes, "node");
		char *sid;

		pl_xml_set_attr(x, "id", n->uname);
		pl_xml_set_attr(x, "uname", n->uname);
		if (n->type)
			pl_xml_set_attr(x, "type", n->type);
		sid = xasprintf("%s-instance_attributes", n->uname);
		add_set(x, "instance_attributes", sid, &n->attrs);
		free(sid);
		sid = xasprintf("%s-utilization", n->uname);
		add_set(x, "utilization", sid, &n->util);
		free(sid);
	}
}

void
import_emit_xml(const struct import_cfg *c, struct pl_buf *out)
{
	xmlDoc *doc = pl_xml_new_doc("cib");
	xmlNode *cib = pl_xml_root(doc), *conf, *cons, *x;
	char *text;

	pl_xml_set_attr(cib, "validate-with", IMPORT_SCHEMA);
	pl_xml_set_attr(cib, "admin_epoch", "0");
	pl_xml_set_attr(cib, "epoch", "1");
	pl_xml_set_attr(cib, "num_updates", "0");
	conf = pl_xml_add_child(cib, "configuration");
	x = pl_xml_add_child(conf, "crm_config");
	add_set(x, "cluster_property_set", "cib-bootstrap-options", &c->props);
	add_nodes(conf, c);
	x = pl_xml_add_child(conf, "resources");
	for (size_t i = 0; i < c->n_rscs; i++)
		if (c->rscs[i].parent == NULL)
			add_rsc(x, c, &c->rscs[i]);
	cons = pl_xml_add_child(conf, "constraints");
	for (size_t i = 0; i < c->n_locs; i++)
		add_location(cons, &c->locs[i]);
	for (size_t i = 0; i < c->n_colocs; i++) {
		const struct import_colocation *k = &c->colocs[i];

		x = pl_xml_add_child(cons, "rsc_colocation");
		pl_xml_set_attr(x, "id", k->id);
		pl_xml_set_attr(x, "score", k->score);
		pl_xml_set_attr(x, "rsc", k->rsc);
		if (k->rsc_role)
			pl_xml_set_attr(x, "rsc-role", k->rsc_role);
		pl_xml_set_attr(x, "with-rsc", k->with);
		if (k->with_role)
			pl_xml_set_attr(x, "with-rsc-role", k->with_role);
	}
	for (size_t i = 0; i < c->n_orders; i++)
		add_order(cons, &c->orders[i]);
	if (c->rsc_defaults.n > 0) {
		x = pl_xml_add_child(conf, "rsc_defaults");
		add_set(x, "meta_attributes", "rsc-options", &c->rsc_defaults);
	}
	pl_xml_add_child(cib, "status");
	text = pl_xml_dump(cib, true);
	pl_buf_add(out, text);
	free(text);
	xmlFreeDoc(doc);
}
