/*
 * rsc_cons.c - --constraints (-a) and --stack (-A): the location constraints of a resource,
 * the resources colocated with it and those it is colocated with (recursively for --stack),
 * as Pacemaker 2.1.5 lists them: colocations sorted by the other resource's priority, then
 * variant (clones first), then id; a resource met again on the way is a loop. Constraints
 * belong to the top-level resource unless --force names a member.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_resource.h"
#include "paceline/exitcode.h"
#include "paceline/pengine_rsc.h"
#include "paceline/score.h"
#include "paceline/xml.h"

struct coloc {
	xmlNode *x;
	const char *id, *rsc, *with, *score, *rsc_role, *with_role, *node_attr;
	int sort_prio, sort_variant; /* of the resource on the other side */
	const char *sort_id;
};

static GPtrArray *colocs;   /* struct coloc * */
static GHashTable *visited; /* loop detection: resource ids */
static bool recursive;

static int
variant_rank(const char *id)
{
	xmlNode *x = rsc_cib_find_rsc(id);

	if (x == NULL)
		return 0;
	if (pl_xml_is(x, "master"))
		return 3;
	if (pl_xml_is(x, "clone"))
		return 2;
	if (pl_xml_is(x, "group"))
		return 1;
	return 0;
}

static int
priority_of(const char *id)
{
	GHashTable *meta = pl_pengine_rsc_meta(rsc_status(), id);
	const char *p = meta ? g_hash_table_lookup(meta, "priority") : NULL;

	return p ? atoi(p) : 0;
}

static int
by_other(gconstpointer a, gconstpointer b)
{
	const struct coloc *x = *(struct coloc *const *)a, *y = *(struct coloc *const *)b;

	if (x->sort_prio != y->sort_prio)
		return x->sort_prio > y->sort_prio ? -1 : 1;
	if (x->sort_variant != y->sort_variant)
		return x->sort_variant > y->sort_variant ? -1 : 1;
	return strcmp(x->sort_id, y->sort_id);
}

static void
load_colocs(void)
{
	xmlNode *conf = pl_xml_first_child(rsc_cib_root(), "configuration");
	xmlNode *cons = conf ? pl_xml_first_child(conf, "constraints") : NULL;

	colocs = g_ptr_array_new_with_free_func(g_free);
	PL_XML_FOREACH_CHILD(cons, "rsc_colocation", x)
	{
		struct coloc *c = g_new0(struct coloc, 1);

		c->x = x;
		c->id = pl_xml_id(x);
		c->rsc = pl_xml_attr(x, "rsc");
		c->with = pl_xml_attr(x, "with-rsc");
		c->score = pl_xml_attr(x, "score");
		c->rsc_role = pl_xml_attr(x, "rsc-role");
		c->with_role = pl_xml_attr(x, "with-rsc-role");
		c->node_attr = pl_xml_attr(x, "node-attribute");
		if (c->rsc == NULL || c->with == NULL) { /* sets: not listed here */
			g_free(c);
			continue;
		}
		g_ptr_array_add(colocs, c);
	}
}

/* colocations where id is the primary (dependents=true) or the dependent, sorted */
static GPtrArray *
colocs_of(const char *id, bool dependents)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < colocs->len; i++) {
		struct coloc *c = colocs->pdata[i];
		const char *me = dependents ? c->with : c->rsc;

		if (strcmp(me, id))
			continue;
		c->sort_id = dependents ? c->rsc : c->with;
		c->sort_prio = priority_of(c->sort_id);
		c->sort_variant = variant_rank(c->sort_id);
		g_ptr_array_add(out, c);
	}
	g_ptr_array_sort(out, by_other);
	return out;
}

static const char *
score_text(const char *s)
{
	static char buf[32];
	bool ok = false;
	int v;

	if (s == NULL)
		return "0";
	v = pl_score_parse_ok(s, &ok);
	if (!ok)
		return s;
	return pl_score_str(v, buf);
}

static void
indent(int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out_stream());
}

/* the locations of id; in text at `depth`, with a "Locations:" header */
static void
locations(const char *id, int depth, xmlNode *xml)
{
	xmlNode *conf = pl_xml_first_child(rsc_cib_root(), "configuration");
	xmlNode *cons = conf ? pl_xml_first_child(conf, "constraints") : NULL;
	bool header = false;
	GPtrArray *list = g_ptr_array_new();

	PL_XML_FOREACH_CHILD(cons, "rsc_location", x)
	if (!g_strcmp0(pl_xml_attr(x, "rsc"), id) && pl_xml_attr(x, "node"))
		g_ptr_array_add(list, x);
	/* Pacemaker keeps them newest first */
	for (guint i = list->len; i-- > 0;) {
		xmlNode *x = list->pdata[i];
		const char *node = pl_xml_attr(x, "node");
		const char *score = score_text(pl_xml_attr(x, "score"));

		if (xml) {
			xmlNode *l = pl_xml_add_child(xml, "rsc_location");
			pl_xml_set_attr(l, "node", node);
			pl_xml_set_attr(l, "rsc", id);
			pl_xml_set_attr(l, "id", pl_xml_id(x));
			pl_xml_set_attr(l, "score", score);
			continue;
		}
		if (!header) {
			indent(depth);
			fprintf(out_stream(), "%sLocations:\n", depth ? "* " : "");
			header = true;
		}
		indent(depth + 1);
		fprintf(out_stream(), "* Node %s (score=%s, id=%s, rsc=%s)\n", node, score,
		    pl_xml_id(x), id);
	}
	g_ptr_array_free(list, true);
}

static void
coloc_xml(xmlNode *xml, const struct coloc *c)
{
	xmlNode *x = pl_xml_add_child(xml, "rsc_colocation");

	pl_xml_set_attr(x, "id", c->id);
	pl_xml_set_attr(x, "rsc", c->rsc);
	pl_xml_set_attr(x, "with-rsc", c->with);
	pl_xml_set_attr(x, "score", score_text(c->score));
	if (c->node_attr)
		pl_xml_set_attr(x, "node-attribute", c->node_attr);
	if (c->rsc_role)
		pl_xml_set_attr(x, "rsc-role", c->rsc_role);
	if (c->with_role)
		pl_xml_set_attr(x, "with-rsc-role", c->with_role);
}

static const char *
role_text(const char *r)
{
	if (r == NULL)
		return NULL;
	if (!strcmp(r, "Master"))
		return "Promoted";
	if (!strcmp(r, "Slave"))
		return "Unpromoted";
	return r;
}

static void
header_line(const struct coloc *c, const char *other, bool dependents, int depth)
{
	const char *role = role_text(dependents ? c->rsc_role : c->with_role);

	indent(depth);
	if (role && (!strcmp(role, "Promoted") || !strcmp(role, "Unpromoted")))
		fprintf(out_stream(), "* %s (score=%s, %s role=%s, id=%s)\n", other,
		    score_text(c->score), dependents ? "needs" : "with", role, c->id);
	else
		fprintf(out_stream(), "* %s (score=%s, id=%s)\n", other, score_text(c->score), c->id);
}

/* dependents: "Resources colocated with ID"; else "Resources ID is colocated with" */
static void
coloc_list(const char *id, bool dependents, int depth, xmlNode *xml)
{
	GPtrArray *list;
	bool header = false;

	if (g_hash_table_contains(visited, id))
		return;
	g_hash_table_add(visited, (void *)id);
	list = colocs_of(id, dependents);
	for (guint i = 0; i < list->len; i++) {
		struct coloc *c = list->pdata[i];
		const char *other = dependents ? c->rsc : c->with;

		if (xml) {
			coloc_xml(xml, c);
			if (g_hash_table_contains(visited, other))
				continue;
			locations(other, 0, xml);
			if (recursive)
				coloc_list(other, dependents, 0, xml);
			continue;
		}
		if (!header) {
			indent(depth);
			if (dependents)
				fprintf(out_stream(), "%sResources colocated with %s:\n",
				    depth ? "* " : "", id);
			else
				fprintf(out_stream(), "%sResources %s is colocated with:\n",
				    depth ? "* " : "", id);
			header = true;
		}
		if (g_hash_table_contains(visited, other)) {
			indent(depth + 1);
			fprintf(out_stream(), "* %s (id=%s - loop)\n", other, c->id);
			continue;
		}
		header_line(c, other, dependents, depth + 1);
		locations(other, depth + 2, NULL);
		if (recursive)
			coloc_list(other, dependents, depth + 2, NULL);
	}
	g_ptr_array_free(list, true);
}

int
rsc_cmd_constraints(void)
{
	int rc = rsc_require(opt.rsc);
	const char *id;
	xmlNode *xml = NULL;

	if (rc != PL_EXIT_OK)
		return rc;
	id = opt.force ? opt.rsc : pl_pengine_rsc_top(rsc_status(), opt.rsc);
	if (id == NULL || rsc_cib_find_rsc(id) == NULL)
		id = opt.rsc;
	recursive = !strcmp(opt.cmd, "stack");
	load_colocs();
	if (out_xml())
		xml = pl_xml_add_child(out_root(), "constraints");
	visited = g_hash_table_new(g_str_hash, g_str_equal);
	locations(id, 0, xml);
	coloc_list(id, true, 0, xml);
	g_hash_table_remove_all(visited);
	coloc_list(id, false, 0, xml);
	g_hash_table_destroy(visited);
	g_ptr_array_free(colocs, true);
	return PL_EXIT_OK;
}
