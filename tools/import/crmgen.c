/*
 * crmgen.c - read a pm_crmgen CSV template (the Linux-HA Japan spreadsheet) into the model.
 *
 * The sheet is a series of tables. A table starts with its name in column B (node,
 * property, rsc_defaults, resources, rsc_attributes, primitive, location, location_expert,
 * colocation, order); the next row names its columns (from column C on); data rows follow.
 * A primitive table holds three sub-tables, each opened by P, A or O in column B: P the
 * resource's id/class/provider/type, A its params/meta/utilization, O one operation per row
 * (any column other than `type` is an attribute of the op: interval, timeout, on-fail ...).
 * Rows whose column A starts with '#' are comments. In the resources table the depth of a
 * resource is the position of the `resourceItem` column that names its kind.
 *
 * Errors name the line and column (Excel's letters) and everything is read before failing,
 * so one run lists every problem.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paceline/xalloc.h"
#include "import.h"

enum table {
	T_NONE,
	T_NODE,
	T_PROPERTY,
	T_RSC_DEFAULTS,
	T_RESOURCES,
	T_RSC_ATTRIBUTES,
	T_PRIMITIVE,
	T_LOCATION,
	T_LOCATION_EXPERT,
	T_COLOCATION,
	T_ORDER,
	T_SKIP,
};

static const struct {
	const char *name;
	enum table t;
	const char *required[7];
} tables[] = {
	{ "node", T_NODE, { "uname", "ptype", "name", "value" } },
	{ "property", T_PROPERTY, { "name", "value" } },
	{ "rsc_defaults", T_RSC_DEFAULTS, { "name", "value" } },
	{ "resources", T_RESOURCES, { "resourceitem", "id" } },
	{ "rsc_attributes", T_RSC_ATTRIBUTES, { "id", "type", "name", "value" } },
	{ "primitive", T_PRIMITIVE, { NULL } },
	{ "location", T_LOCATION, { "rsc" } },
	{ "location_expert", T_LOCATION_EXPERT,
	    { "rsc", "score", "bool_op", "attribute", "op", "value" } },
	{ "colocation", T_COLOCATION, { "rsc", "with-rsc", "score" } },
	{ "order", T_ORDER, { "first-rsc", "then-rsc", "score" } },
};

/* The primitive table's sub-tables and their required columns. */
static const char *const sub_required[3][7] = {
	{ "id", "class", "provider", "type" }, /* P */
	{ "type", "name", "value", NULL },     /* A */
	{ "type", NULL },		       /* O */
};

#define MAX_COLS 256

struct gen {
	const char *path;
	struct import_cfg *cfg;
	struct import_report *r;
	enum table t;
	int sub; /* primitive: -1 none, 0 P, 1 A, 2 O */
	bool have_cols;
	char *cols[MAX_COLS]; /* column name by index (lowercased), NULL = unused */
	int n_ritems;	      /* resources: the resourceItem columns, in order */
	int ritem[MAX_COLS];
	const struct import_csv_row *row;
	/* carried from row to row */
	char *carry_uname, *carry_ntype, *carry_ptype, *carry_id, *carry_type, *carry_rsc;
	struct import_rsc *prim;	/* the primitive table being read */
	char *stack[MAX_COLS];		/* resources: the id of the last resource at each depth */
	struct import_location *expert; /* location_expert: the current location */
	struct import_rule *expert_rule;
	int n_loc; /* locations made, for their ids */
};

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static void err_at(struct gen *g, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
err_at(struct gen *g, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	import_vsay(g->r, IMPORT_ERR, g->path, g->row->line, col, fmt, ap);
	va_end(ap);
}

static int
col_of(const struct gen *g, const char *name)
{
	for (int i = 0; i < MAX_COLS; i++)
		if (g->cols[i] && strcmp(g->cols[i], name) == 0)
			return i;
	return -1;
}

/* The cell under column NAME ("" when absent or beyond the row). */
static const char *
cell(const struct gen *g, const char *name)
{
	int i = col_of(g, name);

	return i >= 0 && (size_t)i < g->row->n ? g->row->f[i] : "";
}

static void
clear_cols(struct gen *g)
{
	for (int i = 0; i < MAX_COLS; i++) {
		free(g->cols[i]);
		g->cols[i] = NULL;
	}
	g->have_cols = false;
	g->n_ritems = 0;
}

static char *
score_norm(const char *s)
{
	const char *p = s;
	char sign[2] = { 0, 0 };

	if (*p == '+' || *p == '-')
		sign[0] = *p++;
	if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0)
		return xasprintf("%sINFINITY", sign[0] == '-' ? "-" : "");
	return xstrdup(s);
}

static const char *
bool_norm(const char *s)
{
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "y") || !strcasecmp(s, "true"))
		return "true";
	if (!strcasecmp(s, "no") || !strcasecmp(s, "n") || !strcasecmp(s, "false"))
		return "false";
	return NULL;
}

/* A resource named by a constraint or attribute row must be in the resources table. */
static struct import_rsc *
need_rsc(struct gen *g, const char *col, const char *id)
{
	struct import_rsc *rsc = import_rsc_find(g->cfg, id);

	if (rsc == NULL)
		err_at(g, col_of(g, col), "resource '%s' is not in the resources table", id);
	return rsc;
}

/* ---- the header rows -------------------------------------------------------------------- */

static void
open_table(struct gen *g, const char *name)
{
	static const char *const subs[] = { "p", "a", "o" };

	for (int i = 0; i < 3; i++) {
		if (strcasecmp(name, subs[i]) != 0)
			continue;
		if (g->t == T_SKIP)
			return;
		if (g->t != T_PRIMITIVE || (i == 0) != (g->sub < 0)) {
			err_at(g, 1,
			    "sub-table '%s' out of place: a primitive table is "
			    "P, then A and O",
			    name);
			g->t = T_SKIP;
			return;
		}
		g->sub = i;
		clear_cols(g);
		return;
	}
	clear_cols(g);
	g->sub = -1;
	g->prim = NULL;
	g->expert = NULL;
	free(g->carry_uname), free(g->carry_ntype), free(g->carry_ptype);
	free(g->carry_id), free(g->carry_type), free(g->carry_rsc);
	g->carry_uname = g->carry_ntype = g->carry_ptype = NULL;
	g->carry_id = g->carry_type = g->carry_rsc = NULL;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (strcasecmp(name, tables[i].name) == 0) {
			g->t = tables[i].t;
			return;
		}
	}
	err_at(g, 1, "unknown table '%s'", name);
	g->t = T_SKIP;
}

static const char *const *
required_cols(const struct gen *g)
{
	if (g->t == T_PRIMITIVE)
		return sub_required[g->sub];
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (tables[i].t == g->t)
			return tables[i].required;
	return NULL;
}

/* An operation's columns become attributes of <op>: they must be XML names. */
static bool
xml_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

static void
read_columns(struct gen *g)
{
	const char *const *req;

	if (g->t == T_PRIMITIVE && g->sub < 0) {
		err_at(g, 1, "a primitive table starts with a P sub-table");
		g->t = T_SKIP;
		return;
	}
	req = required_cols(g);
	for (size_t i = 2; i < g->row->n && i < MAX_COLS; i++) {
		char *name = import_trim(g->row->f[i]);

		if (*name == '\0')
			continue;
		/* an operation's own columns keep their spelling (on-fail, OCF_CHECK_LEVEL) */
		g->cols[i] = xstrdup(name);
		if (g->t != T_PRIMITIVE || g->sub != 2 || strcasecmp(name, "type") == 0)
			for (char *p = g->cols[i]; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if (g->t == T_PRIMITIVE && g->sub == 2 && !xml_name(g->cols[i])) {
			err_at(g, (int)i,
			    "operation column '%s' is not a valid attribute name "
			    "(letters, digits, '-', '_', '.')",
			    g->cols[i]);
			g->t = T_SKIP;
			return;
		}
		if (g->t == T_RESOURCES && strcmp(g->cols[i], "resourceitem") == 0)
			g->ritem[g->n_ritems++] = (int)i;
	}
	for (int k = 0; req && k < 7 && req[k]; k++) {
		if (col_of(g, req[k]) < 0) {
			err_at(g, -1, "the table has no '%s' column", req[k]);
			g->t = T_SKIP;
		}
	}
	g->have_cols = true;
}

/* ---- the data rows ---------------------------------------------------------------------- */

static const char *
carried(struct gen *g, const char *col, char **carry)
{
	const char *v = cell(g, col);

	if (*v != '\0') {
		set_str(carry, v);
		return v;
	}
	return *carry ? *carry : "";
}

static void
row_node(struct gen *g)
{
	const char *uname = carried(g, "uname", &g->carry_uname);
	const char *ptype = carried(g, "ptype", &g->carry_ptype);
	const char *name = cell(g, "name"), *value = cell(g, "value");
	struct import_node *n;

	if (*uname == '\0') {
		err_at(g, col_of(g, "uname"), "no node name in 'uname'");
		return;
	}
	n = import_node_get(g->cfg, uname);
	if (*cell(g, "ntype") != '\0')
		set_str(&n->type, cell(g, "ntype"));
	if (*name == '\0')
		return;
	if (strcasecmp(ptype, "attributes") == 0)
		import_nv_set(&n->attrs, name, value);
	else if (strcasecmp(ptype, "utilization") == 0)
		import_nv_set(&n->util, name, value);
	else
		err_at(g, col_of(g, "ptype"), "ptype '%s' is neither attributes nor utilization",
		    ptype);
}

static void
row_option(struct gen *g, struct import_nvlist *l)
{
	const char *name = cell(g, "name");

	if (*name == '\0') {
		err_at(g, col_of(g, "name"), "a value without a name in 'name'");
		return;
	}
	import_nv_set(l, name, cell(g, "value"));
}

static void
row_resources(struct gen *g)
{
	static const char *const kinds[] = { "primitive", "group", "clone", "ms", "master" };
	static const enum import_rsc_kind kk[] = { IMPORT_PRIMITIVE, IMPORT_GROUP, IMPORT_CLONE,
		IMPORT_MS, IMPORT_MS };
	const char *id = cell(g, "id");
	int depth = -1, kind = -1;
	struct import_rsc *parent = NULL;

	for (int d = 0; d < g->n_ritems; d++) {
		int c = g->ritem[d];

		if ((size_t)c >= g->row->n || g->row->f[c][0] == '\0')
			continue;
		if (depth >= 0) {
			err_at(g, c, "more than one resourceItem column is filled");
			return;
		}
		depth = d;
		for (int k = 0; k < 5; k++)
			if (strcasecmp(g->row->f[c], kinds[k]) == 0)
				kind = k;
		if (kind < 0) {
			err_at(g, c, "unknown resource kind '%s' (primitive, group, clone, ms)",
			    g->row->f[c]);
			return;
		}
	}
	if (depth < 0) {
		err_at(g, g->n_ritems ? g->ritem[0] : -1, "no resource kind in resourceItem");
		return;
	}
	if (*id == '\0') {
		err_at(g, col_of(g, "id"), "no resource id in 'id'");
		return;
	}
	if (import_rsc_find(g->cfg, id)) {
		err_at(g, col_of(g, "id"), "resource '%s' is defined twice", id);
		return;
	}
	if (depth > 0) {
		parent = g->stack[depth - 1] ? import_rsc_find(g->cfg, g->stack[depth - 1]) : NULL;
		if (parent == NULL) {
			err_at(g, g->ritem[depth], "'%s' has no parent resource on the rows above",
			    id);
			return;
		}
		if (parent->kind == IMPORT_PRIMITIVE ||
		    (parent->kind == IMPORT_GROUP && kk[kind] != IMPORT_PRIMITIVE) ||
		    (kk[kind] != IMPORT_PRIMITIVE && kk[kind] != IMPORT_GROUP)) {
			err_at(g, g->ritem[depth],
			    "'%s' cannot be inside '%s' (a group holds "
			    "primitives; a clone or ms a primitive or a group)",
			    id, parent->id);
			return;
		}
	}
	import_rsc_add(g->cfg, kk[kind], id, g->row->line);
	if (depth > 0) /* adding may move the array: find the parent again */
		import_rsc_add_child(g->cfg, import_rsc_find(g->cfg, g->stack[depth - 1]), id);
	for (int d = depth; d < g->n_ritems; d++)
		set_str(&g->stack[d], d == depth ? id : NULL);
}

static struct import_nvlist *
attr_list(struct gen *g, struct import_rsc *rsc, const char *type, bool prim)
{
	if (strcasecmp(type, "params") == 0)
		return &rsc->params;
	if (strcasecmp(type, "meta") == 0)
		return &rsc->meta;
	if (prim && strcasecmp(type, "utilization") == 0)
		return &rsc->util;
	if (prim && strcasecmp(type, "operations") == 0) {
		import_say(g->r, IMPORT_SKIP, g->path, g->row->line, col_of(g, "type"),
		    "per-resource op defaults ('operations') are not translated: set them in "
		    "each op row");
		return NULL;
	}
	err_at(g, col_of(g, "type"), "attribute type '%s' is not %s", type,
	    prim ? "params, meta, utilization or operations" : "params or meta");
	return NULL;
}

static void
row_rsc_attributes(struct gen *g)
{
	const char *id = carried(g, "id", &g->carry_id);
	const char *type = carried(g, "type", &g->carry_type);
	const char *name = cell(g, "name");
	struct import_rsc *rsc;
	struct import_nvlist *l;

	if (*id == '\0' || *name == '\0') {
		err_at(g, col_of(g, *id ? "name" : "id"), "no %s on this row",
		    *id ? "attribute name" : "resource id");
		return;
	}
	if ((rsc = need_rsc(g, "id", id)) && (l = attr_list(g, rsc, type, false)))
		import_nv_set(l, name, cell(g, "value"));
}

static void
row_primitive(struct gen *g)
{
	if (g->sub == 0) {
		const char *id = cell(g, "id");

		if (g->prim != NULL) {
			err_at(g, col_of(g, "id"),
			    "a P sub-table holds one resource; '%s' follows "
			    "'%s'",
			    id, g->prim->id);
			return;
		}
		g->prim = need_rsc(g, "id", id);
		if (g->prim == NULL)
			return;
		if (g->prim->kind != IMPORT_PRIMITIVE || g->prim->type != NULL) {
			err_at(g, col_of(g, "id"), "'%s' %s", id,
			    g->prim->type ? "is described twice"
					  : "is not a primitive in the resources table");
			g->prim = NULL;
			return;
		}
		if (*cell(g, "type") == '\0')
			err_at(g, col_of(g, "type"), "primitive '%s' has no agent type", id);
		set_str(&g->prim->cls, *cell(g, "class") ? cell(g, "class") : NULL);
		set_str(&g->prim->provider, *cell(g, "provider") ? cell(g, "provider") : NULL);
		set_str(&g->prim->type, cell(g, "type"));
		return;
	}
	if (g->prim == NULL)
		return; /* the P row's error was already said */
	if (g->sub == 1) {
		const char *type = carried(g, "type", &g->carry_type);
		struct import_nvlist *l;

		if (*cell(g, "name") == '\0')
			return;
		if ((l = attr_list(g, g->prim, type, true)))
			import_nv_set(l, cell(g, "name"), cell(g, "value"));
		return;
	}
	{
		const char *name = cell(g, "type");
		struct import_op *op;

		if (*name == '\0') {
			err_at(g, col_of(g, "type"), "an operation row without its name in 'type'");
			return;
		}
		op = import_op_add(g->prim, name);
		for (int i = 2; i < MAX_COLS && (size_t)i < g->row->n; i++)
			if (g->cols[i] && strcmp(g->cols[i], "type") != 0 && g->row->f[i][0] != '\0')
				import_nv_set(&op->attrs, g->cols[i], g->row->f[i]);
	}
}

/* pingd columns match ocf:pacemaker:ping and the older pingd; diskd columns diskd. */
static bool
agent_is(const char *type, const char *kind)
{
	if (strcmp(kind, "pingd") == 0)
		return strcmp(type, "ping") == 0 || strcmp(type, "pingd") == 0;
	return strcmp(type, kind) == 0;
}

/* The top-level resource holding a primitive of agent TYPE whose params name=ATTR. */
static const char *
attr_owner(struct gen *g, const char *type, const char *attr)
{
	for (size_t i = 0; i < g->cfg->n_rscs; i++) {
		const struct import_rsc *p = &g->cfg->rscs[i], *top = p;
		const char *n = import_nv_get(&p->params, "name");

		if (p->kind != IMPORT_PRIMITIVE || p->type == NULL || n == NULL ||
		    strcmp(n, attr) != 0 || !agent_is(p->type, type))
			continue;
		while (top->parent)
			top = import_rsc_find(g->cfg, top->parent);
		return top->id;
	}
	return NULL;
}

/* pingd:ATTR:VALUE and diskd:ATTR columns keep a resource off nodes where the check failed,
 * and, as pm_crmgen did, place it with and after the clone that runs the check. */
static void
location_check(struct gen *g, struct import_location *l, const char *col, int ci)
{
	char *spec = xstrdup(col), *kind = spec, *attr = strchr(spec, ':'), *value = NULL;
	struct import_rule *ru;
	const char *owner;

	*attr++ = '\0';
	if ((value = strchr(attr, ':')))
		*value++ = '\0';
	ru = import_rule_add(l, "-INFINITY");
	set_str(&ru->bool_op, "or");
	import_expr_add(ru, attr, "not_defined", NULL);
	if (strcmp(kind, "pingd") == 0)
		import_expr_add(ru, attr, "lt", value);
	else
		import_expr_add(ru, attr, "eq", "ERROR");
	owner = attr_owner(g, kind, attr);
	if (owner == NULL) {
		import_say(g->r, IMPORT_ERR, g->path, g->row->line, ci,
		    "no %s resource sets the attribute '%s' (params name=%s)", kind, attr, attr);
	} else {
		bool seen = false;

		for (size_t i = 0; i < g->cfg->n_colocs; i++)
			if (!strcmp(g->cfg->colocs[i].rsc, l->rsc) &&
			    !strcmp(g->cfg->colocs[i].with, owner))
				seen = true;
		if (!seen) {
			import_colocation_add(g->cfg, "", "INFINITY", l->rsc, owner);
			set_str(&import_order_add(g->cfg, "", "0", owner, l->rsc)->symmetrical,
			    "false");
		}
	}
	free(spec);
}

static void
row_location(struct gen *g)
{
	const char *rsc = cell(g, "rsc");
	struct import_location *l;
	char *id;

	if (*rsc == '\0' || need_rsc(g, "rsc", rsc) == NULL) {
		if (*rsc == '\0')
			err_at(g, col_of(g, "rsc"), "no resource in 'rsc'");
		return;
	}
	id = xasprintf("rsc_location-%s-%d", rsc, ++g->n_loc);
	l = import_location_add(g->cfg, id, rsc);
	free(id);
	for (int i = 2; i < MAX_COLS && (size_t)i < g->row->n; i++) {
		const char *c = g->cols[i], *v = g->row->f[i];

		if (c == NULL || *v == '\0' || strcmp(c, "rsc") == 0)
			continue;
		if (strncmp(c, "score:", 6) == 0) {
			char *nodes = xstrdup(v), *save = NULL, *score = score_norm(c + 6);

			for (char *n = strtok_r(nodes, " \t", &save); n;
			     n = strtok_r(NULL, " \t", &save))
				import_expr_add(import_rule_add(l, score), "#uname", "eq", n);
			free(score);
			free(nodes);
		} else if (strncmp(c, "pingd:", 6) == 0 || strncmp(c, "diskd:", 6) == 0) {
			const char *b = bool_norm(v);

			if (b == NULL)
				err_at(g, i, "'%s' is not yes or no", v);
			else if (strcmp(b, "true") == 0)
				location_check(g, l, c, i);
		} else {
			err_at(g, i,
			    "unknown location column '%s' (score:N, pingd:ATTR:VALUE or "
			    "diskd:ATTR)",
			    c);
		}
	}
	if (l->n_rules == 0)
		import_say(g->r, IMPORT_NOTE, g->path, g->row->line, -1,
		    "location row for '%s' names no node or check: left out", rsc);
}

static void
row_location_expert(struct gen *g)
{
	const char *rsc = carried(g, "rsc", &g->carry_rsc);
	const char *score = cell(g, "score"), *op = cell(g, "op"), *attr = cell(g, "attribute");
	bool unary = !strcasecmp(op, "defined") || !strcasecmp(op, "not_defined");

	if (*rsc == '\0' || need_rsc(g, "rsc", rsc) == NULL)
		return;
	if (*cell(g, "rsc") != '\0' || g->expert == NULL) {
		char *id = xasprintf("rsc_location-%s-%d", rsc, ++g->n_loc);

		g->expert = import_location_add(g->cfg, id, rsc);
		g->expert_rule = NULL;
		free(id);
	}
	if (*score != '\0') {
		char *s = score_norm(score);

		g->expert_rule = import_rule_add(g->expert, s);
		free(s);
		if (*cell(g, "bool_op"))
			set_str(&g->expert_rule->bool_op, cell(g, "bool_op"));
		if (*cell(g, "role"))
			set_str(&g->expert_rule->role, cell(g, "role"));
	} else if (g->expert_rule == NULL) {
		err_at(g, col_of(g, "score"), "the first row of a rule needs its score");
		return;
	}
	if (*attr == '\0' || *op == '\0') {
		err_at(g, col_of(g, *attr ? "op" : "attribute"), "an expression needs %s",
		    *attr ? "an operation in 'op'" : "an attribute in 'attribute'");
		return;
	}
	if (!unary && *cell(g, "value") == '\0') {
		err_at(g, col_of(g, "value"), "operation '%s' needs a value", op);
		return;
	}
	if (g->expert_rule->n_exprs > 0 && g->expert_rule->bool_op == NULL) {
		err_at(g, col_of(g, "bool_op"),
		    "a rule of several expressions needs bool_op "
		    "(and, or) on its first row");
		return;
	}
	import_expr_add(g->expert_rule, attr, op, unary ? NULL : cell(g, "value"));
}

static void
row_colocation(struct gen *g)
{
	const char *rsc = cell(g, "rsc"), *with = cell(g, "with-rsc"), *score = cell(g, "score");
	struct import_colocation *k;
	char *s;

	if (!*rsc || !*with || !*score) {
		err_at(g,
		    col_of(g,
			!*rsc	     ? "rsc"
			    : !*with ? "with-rsc"
				     : "score"),
		    "a colocation needs rsc, with-rsc and score");
		return;
	}
	if (!need_rsc(g, "rsc", rsc) || !need_rsc(g, "with-rsc", with))
		return;
	s = score_norm(score);
	k = import_colocation_add(g->cfg, "", s, rsc, with);
	free(s);
	if (*cell(g, "rsc-role"))
		set_str(&k->rsc_role, cell(g, "rsc-role"));
	if (*cell(g, "with-rsc-role"))
		set_str(&k->with_role, cell(g, "with-rsc-role"));
}

static void
row_order(struct gen *g)
{
	const char *first = cell(g, "first-rsc"), *then = cell(g, "then-rsc");
	const char *score = cell(g, "score"), *sym = cell(g, "symmetrical");
	struct import_order *o;
	char *s;

	if (!*first || !*then || !*score) {
		err_at(g,
		    col_of(g,
			!*first	     ? "first-rsc"
			    : !*then ? "then-rsc"
				     : "score"),
		    "an order needs first-rsc, then-rsc and score");
		return;
	}
	if (!need_rsc(g, "first-rsc", first) || !need_rsc(g, "then-rsc", then))
		return;
	if (*sym && bool_norm(sym) == NULL) {
		err_at(g, col_of(g, "symmetrical"), "symmetrical '%s' is not yes or no", sym);
		return;
	}
	s = score_norm(score);
	o = import_order_add(g->cfg, "", s, first, then);
	free(s);
	if (*cell(g, "first-action"))
		set_str(&o->first_action, cell(g, "first-action"));
	if (*cell(g, "then-action"))
		set_str(&o->then_action, cell(g, "then-action"));
	if (*sym)
		set_str(&o->symmetrical, bool_norm(sym));
}

static void
data_row(struct gen *g)
{
	switch (g->t) {
	case T_NODE: row_node(g); break;
	case T_PROPERTY: row_option(g, &g->cfg->props); break;
	case T_RSC_DEFAULTS: row_option(g, &g->cfg->rsc_defaults); break;
	case T_RESOURCES: row_resources(g); break;
	case T_RSC_ATTRIBUTES: row_rsc_attributes(g); break;
	case T_PRIMITIVE: row_primitive(g); break;
	case T_LOCATION: row_location(g); break;
	case T_LOCATION_EXPERT: row_location_expert(g); break;
	case T_COLOCATION: row_colocation(g); break;
	case T_ORDER: row_order(g); break;
	case T_NONE: err_at(g, -1, "data before any table name in column B"); break;
	case T_SKIP: break;
	}
}

static bool
row_is_blank(const struct import_csv_row *row)
{
	for (size_t i = 0; i < row->n; i++)
		if (*import_trim(row->f[i]) != '\0')
			return false;
	return true;
}

/* Ids of constraints, numbered in their order as pm_crmgen did; checks that need the whole
 * sheet: every primitive described, every container filled. */
static void
finish(struct gen *g)
{
	struct import_cfg *c = g->cfg;

	for (size_t i = 0; i < c->n_colocs; i++) {
		free(c->colocs[i].id);
		c->colocs[i].id = xasprintf(
		    "rsc_colocation-%s-%s-%zu", c->colocs[i].rsc, c->colocs[i].with, i + 1);
	}
	for (size_t i = 0; i < c->n_orders; i++) {
		free(c->orders[i].id);
		c->orders[i].id =
		    xasprintf("rsc_order-%s-%s-%zu", c->orders[i].first, c->orders[i].then, i + 1);
	}
	for (size_t i = 0; i < c->n_rscs; i++) {
		const struct import_rsc *r = &c->rscs[i];

		if (r->kind == IMPORT_PRIMITIVE && r->type == NULL)
			import_say(g->r, IMPORT_ERR, g->path, r->line, -1,
			    "primitive '%s' has no primitive table (P: id, class, provider, "
			    "type)",
			    r->id);
		if (r->kind != IMPORT_PRIMITIVE && r->n_children == 0)
			import_say(g->r, IMPORT_ERR, g->path, r->line, -1, "'%s' holds no resource",
			    r->id);
	}
}

bool
import_crmgen(const char *path, struct import_cfg *cfg, struct import_report *r)
{
	struct import_csv csv;
	struct gen g;
	int errs = r->counts[IMPORT_ERR];

	if (!import_csv_read(path, &csv, r))
		return false;
	memset(&g, 0, sizeof(g));
	g.path = path;
	g.cfg = cfg;
	g.r = r;
	g.sub = -1;
	for (size_t i = 0; i < csv.n; i++) {
		g.row = &csv.rows[i];
		if (row_is_blank(g.row) || (g.row->n > 0 && g.row->f[0][0] == '#'))
			continue;
		if (g.row->n > 1 && *import_trim(g.row->f[1]) != '\0') {
			open_table(&g, g.row->f[1]);
			continue;
		}
		if (g.t == T_SKIP)
			continue;
		if (!g.have_cols && g.t != T_NONE)
			read_columns(&g);
		else
			data_row(&g);
	}
	g.row = NULL;
	finish(&g);
	clear_cols(&g);
	for (int d = 0; d < MAX_COLS; d++)
		free(g.stack[d]);
	free(g.carry_uname), free(g.carry_ntype), free(g.carry_ptype);
	free(g.carry_id), free(g.carry_type), free(g.carry_rsc);
	import_say(r, IMPORT_INFO, path, 0, -1,
	    "%s text: %zu nodes, %zu properties, %zu resource "
	    "defaults, %zu resources, %zu locations, %zu colocations, %zu orders",
	    csv.encoding, cfg->n_nodes, cfg->props.n, cfg->rsc_defaults.n, cfg->n_rscs, cfg->n_locs,
	    cfg->n_colocs, cfg->n_orders);
	if (import_cfg_empty(cfg) && r->counts[IMPORT_ERR] == errs)
		import_say(r, IMPORT_ERR, path, 0, -1, "no table with data in this file (%s)",
		    csv.encoding);
	import_csv_free(&csv);
	return r->counts[IMPORT_ERR] == errs;
}
