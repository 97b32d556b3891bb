/*
 * emit_crm.c - the model as a crm shell file, in the order pm_crmgen wrote them (nodes,
 * properties, resource defaults, groups/clones/ms, primitives, locations, colocations,
 * orders), ready for `crm configure load update FILE`.
 */
#include <string.h>

#include "import.h"

/* A value as crm reads it: always double-quoted, with " and \ escaped. */
static void
add_quoted(struct pl_buf *out, const char *v)
{
	pl_buf_addc(out, '"');
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			pl_buf_addc(out, '\\');
		pl_buf_addc(out, *v);
	}
	pl_buf_addc(out, '"');
}

/* " \\\n\tWORD name="value" ..." for a non-empty list. */
static void
add_nvlist(struct pl_buf *out, const char *word, const struct import_nvlist *l)
{
	if (l->n == 0)
		return;
	pl_buf_addf(out, " \\\n\t%s", word);
	for (size_t i = 0; i < l->n; i++) {
		pl_buf_addf(out, " %s=", l->v[i].name);
		add_quoted(out, l->v[i].value);
	}
}

/* Meta attributes; an ms (master/slave) set is written as Pacemaker 2 spells it, a clone
 * with promotable=true, so the crm file and the CIB XML describe the same element. */
static void
add_meta(struct pl_buf *out, const struct import_rsc *r)
{
	if (r->kind != IMPORT_MS) {
		add_nvlist(out, "meta", &r->meta);
		return;
	}
	pl_buf_add(out, " \\\n\tmeta promotable=\"true\"");
	for (size_t i = 0; i < r->meta.n; i++) {
		if (strcmp(r->meta.v[i].name, "promotable") == 0)
			continue;
		pl_buf_addf(out, " %s=", r->meta.v[i].name);
		add_quoted(out, r->meta.v[i].value);
	}
}

static void
emit_nodes(const struct import_cfg *c, struct pl_buf *out)
{
	if (c->n_nodes == 0)
		return;
	pl_buf_add(out, "### Cluster Node ###\n");
	for (size_t i = 0; i < c->n_nodes; i++) {
		const struct import_node *n = &c->nodes[i];

		pl_buf_addf(out, "node %s%s%s", n->uname, n->type ? ":" : "", n->type ? n->type : "");
		add_nvlist(out, "attributes", &n->attrs);
		add_nvlist(out, "utilization", &n->util);
		pl_buf_add(out, "\n");
	}
	pl_buf_add(out, "\n");
}

static void
emit_options(const char *title, const char *word, const struct import_nvlist *l, struct pl_buf *out)
{
	if (l->n == 0)
		return;
	pl_buf_addf(out, "### %s ###\n%s", title, word);
	for (size_t i = 0; i < l->n; i++) {
		pl_buf_addf(out, "%s%s=", i == 0 ? " " : " \\\n\t", l->v[i].name);
		add_quoted(out, l->v[i].value);
	}
	pl_buf_add(out, "\n\n");
}

static void
emit_containers(const struct import_cfg *c, struct pl_buf *out)
{
	static const char *const titles[] = { NULL, "Group", "Clone", "Promotable Clone" };

	for (int kind = IMPORT_GROUP; kind <= IMPORT_MS; kind++) {
		bool first = true;

		for (size_t i = 0; i < c->n_rscs; i++) {
			const struct import_rsc *r = &c->rscs[i];

			if ((int)r->kind != kind)
				continue;
			if (first)
				pl_buf_addf(out, "### %s Configuration ###\n", titles[kind]);
			first = false;
			pl_buf_addf(out, "%s %s", kind == IMPORT_GROUP ? "group" : "clone", r->id);
			for (size_t j = 0; j < r->n_children; j++)
				pl_buf_addf(out, " %s", r->children[j]);
			add_meta(out, r);
			add_nvlist(out, "params", &r->params);
			pl_buf_add(out, "\n\n");
		}
	}
}

static void
emit_primitives(const struct import_cfg *c, struct pl_buf *out)
{
	bool first = true;

	for (size_t i = 0; i < c->n_rscs; i++) {
		const struct import_rsc *r = &c->rscs[i];

		if (r->kind != IMPORT_PRIMITIVE)
			continue;
		if (first)
			pl_buf_add(out, "### Primitive Configuration ###\n");
		first = false;
		pl_buf_addf(out, "primitive %s ", r->id);
		if (r->cls)
			pl_buf_addf(out, "%s:", r->cls);
		if (r->provider)
			pl_buf_addf(out, "%s:", r->provider);
		pl_buf_add(out, r->type ? r->type : "");
		add_nvlist(out, "params", &r->params);
		add_nvlist(out, "meta", &r->meta);
		add_nvlist(out, "utilization", &r->util);
		for (size_t j = 0; j < r->n_ops; j++) {
			pl_buf_addf(out, " \\\n\top %s", r->ops[j].name);
			for (size_t k = 0; k < r->ops[j].attrs.n; k++) {
				pl_buf_addf(out, " %s=", r->ops[j].attrs.v[k].name);
				add_quoted(out, r->ops[j].attrs.v[k].value);
			}
		}
		pl_buf_add(out, "\n\n");
	}
}

static void
emit_rule(const struct import_rule *ru, struct pl_buf *out)
{
	pl_buf_add(out, " \\\n\trule ");
	if (ru->role)
		pl_buf_addf(out, "$role=\"%s\" ", ru->role);
	pl_buf_addf(out, "%s:", ru->score);
	for (size_t k = 0; k < ru->n_exprs; k++) {
		const struct import_expr *e = &ru->exprs[k];

		if (k > 0)
			pl_buf_addf(out, " %s", ru->bool_op ? ru->bool_op : "and");
		if (e->value == NULL)
			pl_buf_addf(out, " %s %s", e->op, e->attr);
		else
			pl_buf_addf(out, " %s %s %s", e->attr, e->op, e->value);
	}
}

static void
emit_constraints(const struct import_cfg *c, struct pl_buf *out)
{
	if (c->n_locs > 0)
		pl_buf_add(out, "### Resource Location ###\n");
	for (size_t i = 0; i < c->n_locs; i++) {
		const struct import_location *l = &c->locs[i];

		pl_buf_addf(out, "location %s %s", l->id, l->rsc);
		if (l->node)
			pl_buf_addf(out, " %s: %s", l->score, l->node);
		for (size_t j = 0; j < l->n_rules; j++)
			emit_rule(&l->rules[j], out);
		pl_buf_add(out, "\n");
	}
	if (c->n_colocs > 0)
		pl_buf_add(out,
		    c->n_locs ? "\n### Resource Colocation ###\n" : "### Resource Colocation ###\n");
	for (size_t i = 0; i < c->n_colocs; i++) {
		const struct import_colocation *k = &c->colocs[i];

		pl_buf_addf(out, "colocation %s %s: %s%s%s %s%s%s\n", k->id, k->score, k->rsc,
		    k->rsc_role ? ":" : "", k->rsc_role ? k->rsc_role : "", k->with,
		    k->with_role ? ":" : "", k->with_role ? k->with_role : "");
	}
	if (c->n_orders > 0)
		pl_buf_add(out,
		    c->n_locs || c->n_colocs ? "\n### Resource Order ###\n"
					     : "### Resource Order ###\n");
	for (size_t i = 0; i < c->n_orders; i++) {
		const struct import_order *o = &c->orders[i];

		pl_buf_addf(out, "order %s %s: %s%s%s %s%s%s", o->id, o->score, o->first,
		    o->first_action ? ":" : "", o->first_action ? o->first_action : "", o->then,
		    o->then_action ? ":" : "", o->then_action ? o->then_action : "");
		if (o->symmetrical)
			pl_buf_addf(out, " symmetrical=%s", o->symmetrical);
		pl_buf_add(out, "\n");
	}
}

void
import_emit_crm(const struct import_cfg *c, const char *origin, struct pl_buf *out)
{
	pl_buf_addf(out,
	    "# Written by paceline-import from %s.\n"
	    "# Load it with: crm configure load update FILE\n\n",
	    origin);
	emit_nodes(c, out);
	emit_options("Cluster Option", "property", &c->props, out);
	emit_options("Resource Defaults", "rsc_defaults", &c->rsc_defaults, out);
	emit_containers(c, out);
	emit_primitives(c, out);
	emit_constraints(c, out);
}
