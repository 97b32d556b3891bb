/*
 * model.c - the configuration model both importers fill (import.h), and the report that
 * accounts for every input line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "import.h"

static const char *const level_names[] = { "translated", "note", "not translated", "error" };

void
import_say(struct import_report *r, enum import_level lvl, const char *file, long line, int col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	import_vsay(r, lvl, file, line, col, fmt, ap);
	va_end(ap);
}

void
import_vsay(struct import_report *r, enum import_level lvl, const char *file, long line, int col,
    const char *fmt, va_list ap)
{
	char cb[8];

	r->counts[lvl]++;
	pl_buf_add(&r->text, file);
	if (line > 0)
		pl_buf_addf(&r->text, ":%ld", line);
	if (col >= 0)
		pl_buf_addf(&r->text, ":%s", import_csv_col(col, cb));
	pl_buf_addf(&r->text, ": %s: ", level_names[lvl]);
	pl_buf_vaddf(&r->text, fmt, ap);
	pl_buf_addc(&r->text, '\n');
}

void
import_report_free(struct import_report *r)
{
	pl_buf_free(&r->text);
}

void
import_nv_set(struct import_nvlist *l, const char *name, const char *value)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].name, name) == 0) {
			free(l->v[i].value);
			l->v[i].value = xstrdup(value);
			return;
		}
	}
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n].name = xstrdup(name);
	l->v[l->n].value = xstrdup(value);
	l->n++;
}

const char *
import_nv_get(const struct import_nvlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

static void
nv_free(struct import_nvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	free(l->v);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

struct import_rsc *
import_rsc_add(struct import_cfg *c, enum import_rsc_kind kind, const char *id, long line)
{
	struct import_rsc *r;

	c->rscs = xreallocarray(c->rscs, c->n_rscs + 1, sizeof(*c->rscs));
	r = &c->rscs[c->n_rscs++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->id = xstrdup(id);
	r->line = line;
	return r;
}

struct import_rsc *
import_rsc_find(const struct import_cfg *c, const char *id)
{
	for (size_t i = 0; i < c->n_rscs; i++)
		if (strcmp(c->rscs[i].id, id) == 0)
			return &c->rscs[i];
	return NULL;
}

void
import_rsc_add_child(struct import_cfg *c, struct import_rsc *parent, const char *child)
{
	struct import_rsc *ch = import_rsc_find(c, child);

	parent->children = xreallocarray(parent->children, parent->n_children + 1, sizeof(char *));
	parent->children[parent->n_children++] = xstrdup(child);
	if (ch != NULL) {
		free(ch->parent);
		ch->parent = xstrdup(parent->id);
	}
}

struct import_op *
import_op_add(struct import_rsc *r, const char *name)
{
	struct import_op *o;

	r->ops = xreallocarray(r->ops, r->n_ops + 1, sizeof(*r->ops));
	o = &r->ops[r->n_ops++];
	memset(o, 0, sizeof(*o));
	o->name = xstrdup(name);
	return o;
}

struct import_node *
import_node_get(struct import_cfg *c, const char *uname)
{
	struct import_node *n;

	for (size_t i = 0; i < c->n_nodes; i++)
		if (strcmp(c->nodes[i].uname, uname) == 0)
			return &c->nodes[i];
	c->nodes = xreallocarray(c->nodes, c->n_nodes + 1, sizeof(*c->nodes));
	n = &c->nodes[c->n_nodes++];
	memset(n, 0, sizeof(*n));
	n->uname = xstrdup(uname);
	return n;
}

struct import_location *
import_location_add(struct import_cfg *c, const char *id, const char *rsc)
{
	struct import_location *l;

	c->locs = xreallocarray(c->locs, c->n_locs + 1, sizeof(*c->locs));
	l = &c->locs[c->n_locs++];
	memset(l, 0, sizeof(*l));
	l->id = xstrdup(id);
	l->rsc = xstrdup(rsc);
	return l;
}

struct import_rule *
import_rule_add(struct import_location *l, const char *score)
{
	struct import_rule *r;

	l->rules = xreallocarray(l->rules, l->n_rules + 1, sizeof(*l->rules));
	r = &l->rules[l->n_rules++];
	memset(r, 0, sizeof(*r));
	r->score = xstrdup(score);
	return r;
}

void
import_expr_add(struct import_rule *r, const char *attr, const char *op, const char *value)
{
	struct import_expr *e;

	r->exprs = xreallocarray(r->exprs, r->n_exprs + 1, sizeof(*r->exprs));
	e = &r->exprs[r->n_exprs++];
	e->attr = xstrdup(attr);
	e->op = xstrdup(op);
	e->value = dup_or_null(value);
}

struct import_colocation *
import_colocation_add(
    struct import_cfg *c, const char *id, const char *score, const char *rsc, const char *with)
{
	struct import_colocation *k;

	c->colocs = xreallocarray(c->colocs, c->n_colocs + 1, sizeof(*c->colocs));
	k = &c->colocs[c->n_colocs++];
	memset(k, 0, sizeof(*k));
	k->id = xstrdup(id);
	k->score = xstrdup(score);
	k->rsc = xstrdup(rsc);
	k->with = xstrdup(with);
	return k;
}

struct import_order *
import_order_add(
    struct import_cfg *c, const char *id, const char *score, const char *first, const char *then)
{
	struct import_order *o;

	c->orders = xreallocarray(c->orders, c->n_orders + 1, sizeof(*c->orders));
	o = &c->orders[c->n_orders++];
	memset(o, 0, sizeof(*o));
	o->id = xstrdup(id);
	o->score = xstrdup(score);
	o->first = xstrdup(first);
	o->then = xstrdup(then);
	return o;
}

bool
import_cfg_empty(const struct import_cfg *c)
{
	return c->n_nodes == 0 && c->props.n == 0 && c->rsc_defaults.n == 0 && c->n_rscs == 0 &&
	    c->n_locs == 0 && c->n_colocs == 0 && c->n_orders == 0;
}

static void
rsc_free(struct import_rsc *r)
{
	free(r->id);
	free(r->cls);
	free(r->provider);
	free(r->type);
	free(r->parent);
	nv_free(&r->params);
	nv_free(&r->meta);
	nv_free(&r->util);
	for (size_t i = 0; i < r->n_ops; i++) {
		free(r->ops[i].name);
		nv_free(&r->ops[i].attrs);
	}
	free(r->ops);
	for (size_t i = 0; i < r->n_children; i++)
		free(r->children[i]);
	free(r->children);
}

static void
location_free(struct import_location *l)
{
	free(l->id);
	free(l->rsc);
	free(l->node);
	free(l->score);
	for (size_t i = 0; i < l->n_rules; i++) {
		struct import_rule *r = &l->rules[i];

		for (size_t j = 0; j < r->n_exprs; j++) {
			free(r->exprs[j].attr);
			free(r->exprs[j].op);
			free(r->exprs[j].value);
		}
		free(r->exprs);
		free(r->score);
		free(r->role);
		free(r->bool_op);
	}
	free(l->rules);
}

void
import_cfg_free(struct import_cfg *c)
{
	for (size_t i = 0; i < c->n_nodes; i++) {
		free(c->nodes[i].uname);
		free(c->nodes[i].type);
		nv_free(&c->nodes[i].attrs);
		nv_free(&c->nodes[i].util);
	}
	free(c->nodes);
	nv_free(&c->props);
	nv_free(&c->rsc_defaults);
	for (size_t i = 0; i < c->n_rscs; i++)
		rsc_free(&c->rscs[i]);
	free(c->rscs);
	for (size_t i = 0; i < c->n_locs; i++)
		location_free(&c->locs[i]);
	free(c->locs);
	for (size_t i = 0; i < c->n_colocs; i++) {
		struct import_colocation *k = &c->colocs[i];

		free(k->id), free(k->score), free(k->rsc), free(k->rsc_role);
		free(k->with), free(k->with_role);
	}
	free(c->colocs);
	for (size_t i = 0; i < c->n_orders; i++) {
		struct import_order *o = &c->orders[i];

		free(o->id), free(o->score), free(o->first), free(o->first_action);
		free(o->then), free(o->then_action), free(o->symmetrical);
	}
	free(c->orders);
	memset(c, 0, sizeof(*c));
}

char *
import_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

bool
import_is_ipv4(const char *s)
{
	int parts = 0, digits = 0;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s)) {
			if (++digits > 3)
				return false;
		} else if (*s == '.' && digits > 0) {
			parts++;
			digits = 0;
		} else {
			return false;
		}
	}
	return parts == 3 && digits > 0;
}

void
import_sanitize_id(char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		*s = '_';
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			*s = '_';
}
