/*
 * rules.c - rule evaluation (node attribute expressions, date expressions and date_specs,
 * nested rules) and nvpair blocks with rules, as used by location constraints, cluster
 * options, rsc_defaults, op_defaults and instance/meta attributes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "paceline/xalloc.h"
#include "pengine_private.h"

/* Pacemaker's version comparison: dot-separated numbers. */
static int
version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a && !*b)
			break;
		if ((*a && (*a < '0' || *a > '9')) || (*b && (*b < '0' || *b > '9')))
			break;
	}
	return 0;
}

static bool
expr_eval(struct pengine_ws *ws, xmlNode *e, struct pengine_node *node)
{
	const char *attr = pl_xml_attr(e, "attribute");
	const char *op = pl_xml_attr(e, "operation");
	const char *value = pl_xml_attr(e, "value");
	const char *type = pl_xml_attr(e, "type");
	const char *have = NULL;

	if (attr == NULL || op == NULL)
		return false;
	if (node != NULL)
		have = g_hash_table_lookup(node->attrs, attr);
	if (strcasecmp(op, "defined") == 0)
		return have != NULL;
	if (strcasecmp(op, "not_defined") == 0)
		return have == NULL;
	if (have == NULL || value == NULL)
		return strcasecmp(op, "ne") == 0 && (have != NULL || value != NULL);
	(void)ws;
	int cmp;
	if (type == NULL) {
		/* Pacemaker guesses a number when either side looks like one for lt/gt */
		char *e1, *e2;
		double x = strtod(have, &e1), y = strtod(value, &e2);
		if (*e1 == '\0' && *e2 == '\0' && *have && *value && strcasecmp(op, "eq") != 0 &&
		    strcasecmp(op, "ne") != 0)
			cmp = x < y ? -1 : x > y;
		else
			cmp = strcasecmp(have, value);
	} else if (strcasecmp(type, "integer") == 0 || strcasecmp(type, "number") == 0) {
		/* a side that does not start with a number compares both as strings (what
		 * follows a leading number is ignored), as Pacemaker 2.1.5 does */
		char *e1, *e2;
		double x, y;
		if (strcasecmp(type, "integer") == 0) {
			x = (double)strtoll(have, &e1, 10);
			y = (double)strtoll(value, &e2, 10);
		} else {
			x = strtod(have, &e1);
			y = strtod(value, &e2);
		}
		if (e1 == have || e2 == value)
			cmp = strcasecmp(have, value);
		else
			cmp = x < y ? -1 : x > y;
	} else if (strcasecmp(type, "version") == 0) {
		cmp = version_cmp(have, value);
	} else {
		cmp = strcasecmp(have, value);
	}
	if (strcasecmp(op, "eq") == 0)
		return cmp == 0;
	if (strcasecmp(op, "ne") == 0)
		return cmp != 0;
	if (strcasecmp(op, "lt") == 0)
		return cmp < 0;
	if (strcasecmp(op, "lte") == 0)
		return cmp <= 0;
	if (strcasecmp(op, "gt") == 0)
		return cmp > 0;
	if (strcasecmp(op, "gte") == 0)
		return cmp >= 0;
	return false;
}

/* A time attribute of a date expression; an unparsable one counts as absent, as in
 * Pacemaker. */
static bool
date_attr(const xmlNode *e, const char *name, struct pl_time *out)
{
	const char *v = pl_xml_attr(e, name);
	return v != NULL && pl_time_parse(v, out, NULL);
}

enum pl_date_result
pl_date_expr_check(const xmlNode *e, struct pl_time now)
{
	const char *op = pl_xml_attr(e, "operation");
	struct pl_time ts, te;
	bool has_start = date_attr(e, "start", &ts), has_end = date_attr(e, "end", &te);
	const xmlNode *dur = pl_xml_first_child(e, "duration");
	struct pl_duration d;

	if (has_start && !has_end && dur != NULL && pl_duration_from_xml(dur, &d, NULL)) {
		te = pl_time_add(ts, &d);
		has_end = true;
	}
	if (op == NULL || strcasecmp(op, "in_range") == 0) {
		if (!has_start && !has_end)
			return PL_DATE_UNDETERMINED;
		if (has_start && pl_time_cmp(now, ts) < 0)
			return PL_DATE_BEFORE;
		if (has_end && pl_time_cmp(now, te) > 0)
			return PL_DATE_AFTER;
		return PL_DATE_WITHIN;
	}
	if (strcasecmp(op, "date_spec") == 0) {
		const xmlNode *spec = pl_xml_first_child(e, "date_spec");
		return spec != NULL ? pl_date_spec_check(spec, now) : PL_DATE_UNDETERMINED;
	}
	if (strcasecmp(op, "gt") == 0) {
		if (!has_start)
			return PL_DATE_UNDETERMINED;
		return pl_time_cmp(now, ts) > 0 ? PL_DATE_WITHIN : PL_DATE_BEFORE;
	}
	if (strcasecmp(op, "lt") == 0) {
		if (!has_end)
			return PL_DATE_UNDETERMINED;
		return pl_time_cmp(now, te) < 0 ? PL_DATE_WITHIN : PL_DATE_AFTER;
	}
	return PL_DATE_UNDETERMINED;
}

static bool
date_eval(struct pengine_ws *ws, xmlNode *e)
{
	const char *op = pl_xml_attr(e, "operation");
	if (op != NULL && strcasecmp(op, "date_spec") == 0) {
		struct pl_error err = PL_ERROR_INIT;
		xmlNode *spec = pl_xml_first_child(e, "date_spec");
		if (spec != NULL && pl_date_spec_match(spec, ws->now, &err) < 0)
			pengine_warn(ws, "%s", err.text);
	}
	enum pl_date_result r = pl_date_expr_check(e, ws->now);
	return r == PL_DATE_WITHIN || r == PL_DATE_OK;
}

/* rsc_expression: the resource whose defaults are being read (class, provider, type) */
static bool
rsc_expr_eval(struct pengine_ws *ws, xmlNode *e)
{
	const struct pengine_rsc *r = ws->rule_rsc;
	if (r == NULL)
		return false;
	const char *c = pl_xml_attr(e, "class"), *p = pl_xml_attr(e, "provider"),
		   *t = pl_xml_attr(e, "type");
	return (!c || !g_strcmp0(c, r->cls)) && (!p || !g_strcmp0(p, r->provider)) &&
	    (!t || !g_strcmp0(t, r->type));
}

/* op_expression: the operation whose defaults are being read (name, interval) */
static bool
op_expr_eval(struct pengine_ws *ws, xmlNode *e)
{
	if (ws->rule_op_name == NULL)
		return false;
	const char *n = pl_xml_attr(e, "name"), *iv = pl_xml_attr(e, "interval");
	return (!n || !strcmp(n, ws->rule_op_name)) &&
	    (!iv || pengine_interval_ms(iv) == ws->rule_op_interval);
}

bool
pengine_rule_eval(struct pengine_ws *ws, xmlNode *rule, struct pengine_node *node, int *score)
{
	const char *bop = pl_xml_attr(rule, "boolean-op");
	bool is_or = bop && strcasecmp(bop, "or") == 0;
	bool result = !is_or, any = false;

	if (score) {
		const char *s = pl_xml_attr(rule, "score");
		const char *sa = pl_xml_attr(rule, "score-attribute");
		*score = s ? pl_score_parse(s) : 0;
		if (sa && node)
			*score = pl_score_parse(g_hash_table_lookup(node->attrs, sa));
	}
	for (xmlNode *c = pl_xml_first_child(rule, NULL); c; c = pl_xml_next_sibling(c, NULL)) {
		bool r;
		if (pl_xml_is(c, "expression"))
			r = expr_eval(ws, c, node);
		else if (pl_xml_is(c, "date_expression"))
			r = date_eval(ws, c);
		else if (pl_xml_is(c, "rule"))
			r = pengine_rule_eval(ws, c, node, NULL);
		else if (pl_xml_is(c, "rsc_expression"))
			r = rsc_expr_eval(ws, c);
		else if (pl_xml_is(c, "op_expression"))
			r = op_expr_eval(ws, c);
		else
			continue;
		any = true;
		if (is_or && r)
			return true;
		if (!is_or && !r)
			return false;
	}
	if (!any)
		return true;
	return result;
}

struct nvblock {
	xmlNode *xml;
	int score;
	int pos;
};

static int
nvblock_cmp(const void *a, const void *b)
{
	const struct nvblock *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->pos - y->pos;
}

void
pengine_unpack_nvpairs(struct pengine_ws *ws, xmlNode *parent, const char *set_name,
    struct pengine_node *node, GHashTable *out)
{
	if (parent == NULL)
		return;
	size_t n = pl_xml_count_children(parent, set_name), i = 0;
	if (n == 0)
		return;
	struct nvblock *b = xcalloc(n, sizeof(*b));
	PL_XML_FOREACH_CHILD(parent, set_name, set)
	{
		xmlNode *real = set;
		const char *ref = pl_xml_attr(set, "id-ref");
		if (ref)
			real = pl_xml_find_id(ws->cib, set_name, ref);
		if (real == NULL)
			continue;
		b[i].xml = real;
		b[i].score = pl_score_parse(pl_xml_attr(real, "score"));
		b[i].pos = (int)i;
		i++;
	}
	qsort(b, i, sizeof(*b), nvblock_cmp);
	for (size_t k = 0; k < i; k++) {
		xmlNode *rule = pl_xml_first_child(b[k].xml, "rule");
		if (rule && !pengine_rule_eval(ws, rule, node, NULL))
			continue;
		PL_XML_FOREACH_CHILD(b[k].xml, "nvpair", nv)
		{
			xmlNode *real = nv;
			const char *ref = pl_xml_attr(nv, "id-ref");
			if (ref)
				real = pl_xml_find_id(ws->cib, "nvpair", ref);
			if (real == NULL)
				continue;
			const char *name = pl_xml_attr(real, "name"),
				   *val = pl_xml_attr(real, "value");
			if (name == NULL || g_hash_table_contains(out, name))
				continue;
			g_hash_table_insert(out, xstrdup(name), xstrdup(val ? val : ""));
		}
	}
	free(b);
}
