/*
 * graph.c - parse a transition graph (Pacemaker's transition_graph XML) into struct graph.
 * Every error names the element (line, synapse or action id) that was wrong.
 */
#include <stdlib.h>
#include <string.h>

#include <paceline/error.h>
#include <paceline/exitcode.h>
#include <paceline/xalloc.h>
#include <paceline/xml.h>

#include "graph.h"

#define META_PREFIX "CRM_meta_"

static bool
attr_ms(const xmlNode *n, const char *name, uint64_t def, uint32_t *out, struct pl_error *err)
{
	uint64_t ms;

	if (!pl_xml_attr_interval_ms(n, name, def, &ms, err))
		return false;
	*out = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	return true;
}

static bool
attr_number(const xmlNode *n, const char *name, long long def, long long *out, struct pl_error *err)
{
	const char *v = pl_xml_attr(n, name);
	char *end;

	if (!v) {
		*out = def;
		return true;
	}
	if (strcmp(v, "INFINITY") == 0 || strcmp(v, "+INFINITY") == 0) {
		*out = 1000000;
		return true;
	}
	double d = strtod(v, &end);
	if (end == v || *end != '\0') {
		pl_xml_error_set(
		    err, PL_EXIT_DATAERR, n, "attribute %s='%s' is not a number", name, v);
		return false;
	}
	*out = (long long)d;
	return true;
}

static char *
attr_dup(const xmlNode *n, const char *name)
{
	const char *v = pl_xml_attr(n, name);

	return xstrdup(v ? v : "");
}

/* <attributes>: CRM_meta_* go to meta (prefix removed), the rest (and <param>) to params. */
static void
parse_attributes(const xmlNode *attrs, struct crmd_rsc_action *r)
{
	for (xmlAttr *a = attrs->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		xmlChar *v = xmlNodeGetContent((xmlNode *)a);

		if (strncmp(name, META_PREFIX, strlen(META_PREFIX)) == 0)
			pl_lrmd_params_set(&r->meta, name + strlen(META_PREFIX), (char *)v);
		else
			pl_lrmd_params_set(&r->params, name, (char *)v);
		xmlFree(v);
	}
	PL_XML_FOREACH_CHILD(attrs, "param", p)
	{
		const char *name = pl_xml_attr(p, "name"), *value = pl_xml_attr(p, "value");

		if (name)
			pl_lrmd_params_set(&r->params, name, value ? value : "");
	}
}

static bool
meta_ms(const xmlNode *n, const struct crmd_rsc_action *r, const char *name, uint32_t *out,
    struct pl_error *err)
{
	const char *v = pl_lrmd_params_get(&r->meta, name);
	char *end;

	*out = 0;
	if (!v)
		return true;
	unsigned long long x = strtoull(v, &end, 10);
	if (end == v || *end != '\0') {
		pl_xml_error_set(err, PL_EXIT_DATAERR, n,
		    "CRM_meta_%s='%s' is not a number of "
		    "milliseconds",
		    name, v);
		return false;
	}
	*out = x > UINT32_MAX ? UINT32_MAX : (uint32_t)x;
	return true;
}

/* The operation a cancel stops, from its key RSC_OP_INTERVAL when the graph does not name it
 * (CRM_meta_operation): the word before the interval ("monitor"); "" when there is none. */
static char *
cancelled_of(const char *key)
{
	const char *end = key ? strrchr(key, '_') : NULL, *start;

	if (end == NULL || end == key || end[1] < '0' || end[1] > '9')
		return xstrdup("");
	for (start = end - 1; start > key && start[-1] != '_'; start--)
		;
	return start > key ? xstrndup(start, (size_t)(end - start)) : xstrdup("");
}

static bool
parse_action(const xmlNode *n, struct graph_action *a, struct pl_error *err)
{
	long long id;
	const char *kind = pl_xml_name(n);
	struct crmd_rsc_action *r = &a->rsc;

	if (strcmp(kind, "rsc_op") == 0)
		a->kind = GRAPH_RSC_OP;
	else if (strcmp(kind, "pseudo_event") == 0)
		a->kind = GRAPH_PSEUDO;
	else if (strcmp(kind, "crm_event") == 0)
		a->kind = GRAPH_CRM_EVENT;
	else {
		pl_xml_error_set(err, PL_EXIT_DATAERR, n, "unknown action element <%s>", kind);
		return false;
	}
	if (!pl_xml_attr(n, "id") || !pl_xml_attr_int(n, "id", 0, &id, err) || id < 0 ||
	    id > 10000000) {
		if (!pl_error_isset(err))
			pl_xml_error_set(err, PL_EXIT_DATAERR, n, "action without a valid id");
		return false;
	}
	a->id = (int)id;
	if (!pl_xml_attr(n, "operation")) {
		pl_xml_error_set(err, PL_EXIT_DATAERR, n, "action %d has no operation", a->id);
		return false;
	}
	a->operation = attr_dup(n, "operation");
	a->key = attr_dup(n, "operation_key");
	a->on_node = attr_dup(n, "on_node");
	a->on_node_uuid = attr_dup(n, "on_node_uuid");
	a->migration =
	    strcmp(a->operation, "migrate_to") == 0 || strcmp(a->operation, "migrate_from") == 0;
	const xmlNode *prim = pl_xml_first_child(n, "primitive");
	const xmlNode *attrs = pl_xml_first_child(n, "attributes");
	if (attrs)
		parse_attributes(attrs, r);
	if (prim) {
		/* the id, as Pacemaker's controller: an anonymous clone's instances all go by the
		 * primitive's id (long-id names the instance of this transition only) */
		r->rsc_id = attr_dup(prim, "id");
		r->rclass = attr_dup(prim, "class");
		r->provider = attr_dup(prim, "provider");
		r->type = attr_dup(prim, "type");
	} else if (a->kind == GRAPH_RSC_OP) {
		pl_xml_error_set(err, PL_EXIT_DATAERR, n, "rsc_op %d has no <primitive>", a->id);
		return false;
	}
	r->action = xstrdup(a->operation);
	const char *cancel = pl_lrmd_params_get(&r->meta, "operation");
	r->cancel_action = cancel && *cancel ? xstrdup(cancel) : cancelled_of(a->key);
	if (!meta_ms(n, r, "timeout", &r->timeout_ms, err) ||
	    !meta_ms(n, r, "interval", &r->interval_ms, err) ||
	    !meta_ms(n, r, "start_delay", &r->start_delay_ms, err))
		return false;
	const char *trc = pl_lrmd_params_get(&r->meta, "op_target_rc");
	r->target_rc = trc ? atoi(trc) : PL_OCF_SUCCESS;
	a->timeout_ms = r->timeout_ms;
	return true;
}

static bool
parse_synapse(struct graph *g, const xmlNode *s, size_t si, struct pl_error *err)
{
	struct graph_synapse *syn = &g->synapses[si];
	long long v;
	const xmlNode *set = pl_xml_first_child(s, "action_set");

	if (!pl_xml_attr_int(s, "id", (long long)si, &v, err))
		return false;
	syn->id = (int)v;
	if (!attr_number(s, "priority", 0, &v, err))
		return false;
	syn->priority = (int)v;
	if (!set || pl_xml_count_children(set, NULL) == 0) {
		pl_xml_error_set(err, PL_EXIT_DATAERR, s, "synapse %d has no action", syn->id);
		return false;
	}
	syn->actions = xcalloc(pl_xml_count_children(set, NULL), sizeof(size_t));
	PL_XML_FOREACH_CHILD(set, NULL, an)
	{
		size_t ai = g->n_actions++; /* g->actions is sized by parse_root */

		g->actions[ai].synapse = si;
		syn->actions[syn->n_actions++] = ai;
		if (!parse_action(an, &g->actions[ai], err))
			return false;
	}
	return true;
}

/* Second pass: inputs name actions by id; each must be in the graph. */
static bool
link_inputs(struct graph *g, const xmlNode *root, struct pl_error *err)
{
	size_t si = 0;

	PL_XML_FOREACH_CHILD(root, "synapse", s)
	{
		struct graph_synapse *syn = &g->synapses[si++];
		const xmlNode *inputs = pl_xml_first_child(s, "inputs");

		if (!inputs)
			continue;
		syn->inputs = xcalloc(pl_xml_count_children(inputs, "trigger") + 1, sizeof(size_t));
		PL_XML_FOREACH_CHILD(inputs, "trigger", t)
		{
			const xmlNode *in = pl_xml_first_child(t, NULL);
			long long id;

			if (!in)
				continue;
			if (!pl_xml_attr_int(in, "id", -1, &id, err))
				return false;
			long idx = graph_find(g, (int)id);
			if (idx < 0) {
				pl_xml_error_set(err, PL_EXIT_DATAERR, in,
				    "synapse %d waits for "
				    "action %lld, which is not in the graph",
				    syn->id, id);
				return false;
			}
			syn->inputs[syn->n_inputs++] = (size_t)idx;
		}
	}
	return true;
}

static bool
parse_root(struct graph *g, const xmlNode *root, struct pl_error *err)
{
	long long v;

	if (!pl_xml_is(root, "transition_graph")) {
		pl_xml_error_set(err, PL_EXIT_DATAERR, root,
		    "expected <transition_graph>, not <%s>", pl_xml_name(root));
		return false;
	}
	if (!attr_ms(root, "cluster-delay", 60000, &g->cluster_delay_ms, err) ||
	    !attr_ms(root, "stonith-timeout", 60000, &g->stonith_timeout_ms, err) ||
	    !pl_xml_attr_int(root, "transition_id", 0, &v, err))
		return false;
	g->transition_id = (int)v;
	if (!pl_xml_attr_int(root, "batch-limit", 0, &v, err))
		return false;
	g->batch_limit = v < 0 ? 0 : (int)v;
	g->has_batch_limit = pl_xml_attr(root, "batch-limit") != NULL;
	g->has_migration_limit = pl_xml_attr(root, "migration-limit") != NULL;
	if (!pl_xml_attr_int(root, "migration-limit", -1, &v, err))
		return false;
	g->migration_limit = (int)v;
	if (!pl_xml_attr_int(root, "recheck-by", 0, &g->recheck_by, err))
		return false;
	g->n_synapses = pl_xml_count_children(root, "synapse");
	g->synapses = xcalloc(g->n_synapses + 1, sizeof(*g->synapses));
	size_t n_actions = 0;
	PL_XML_FOREACH_CHILD(root, "synapse", s)
	{
		const xmlNode *set = pl_xml_first_child(s, "action_set");

		if (set)
			n_actions += pl_xml_count_children(set, NULL);
	}
	g->actions = xcalloc(n_actions + 1, sizeof(*g->actions));
	size_t si = 0;
	PL_XML_FOREACH_CHILD(root, "synapse", s)
	if (!parse_synapse(g, s, si++, err))
		return false;
	return true;
}

/* id -> index table (ids are small integers); duplicates are an error. */
static bool
index_actions(struct graph *g, struct pl_error *err)
{
	int max = -1;

	for (size_t i = 0; i < g->n_actions; i++)
		if (g->actions[i].id > max)
			max = g->actions[i].id;
	g->by_id = xmalloc((size_t)(max + 1) * sizeof(long) + sizeof(long));
	g->n_by_id = (size_t)(max + 1);
	for (size_t i = 0; i < g->n_by_id; i++)
		g->by_id[i] = -1;
	for (size_t i = 0; i < g->n_actions; i++) {
		int id = g->actions[i].id;

		if (g->by_id[id] >= 0) {
			pl_error_set(err, PL_EXIT_DATAERR,
			    "transition graph: action %d appears "
			    "twice (synapses %d and %d)",
			    id, g->synapses[g->actions[g->by_id[id]].synapse].id,
			    g->synapses[g->actions[i].synapse].id);
			return false;
		}
		g->by_id[id] = (long)i;
	}
	return true;
}

struct graph *
graph_parse(const char *xml, size_t len, struct pl_error *err)
{
	xmlDoc *doc = pl_xml_parse_memory(xml, len, "transition graph", err);
	struct graph *g;

	if (!doc)
		return NULL;
	g = XNEW(struct graph);
	bool ok = parse_root(g, pl_xml_root(doc), err) && index_actions(g, err) &&
	    link_inputs(g, pl_xml_root(doc), err);
	xmlFreeDoc(doc);
	if (!ok) {
		graph_free(g);
		return NULL;
	}
	graph_prepare(g);
	return g;
}

void
graph_free(struct graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_actions; i++) {
		struct graph_action *a = &g->actions[i];

		free(a->operation);
		free(a->key);
		free(a->on_node);
		free(a->on_node_uuid);
		crmd_rsc_action_clear(&a->rsc);
	}
	for (size_t i = 0; i < g->n_synapses; i++) {
		free(g->synapses[i].actions);
		free(g->synapses[i].inputs);
	}
	graph_free_exec(g);
	free(g->actions);
	free(g->synapses);
	free(g->by_id);
	free(g);
}

long
graph_find(const struct graph *g, int id)
{
	if (id < 0 || (size_t)id >= g->n_by_id)
		return -1;
	return g->by_id[id];
}
