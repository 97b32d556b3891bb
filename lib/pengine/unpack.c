/*
 * unpack.c - turn the CIB into the model: cluster options, nodes, resources (primitives and
 * groups; clones and bundles are recognised but not scheduled yet), and the status section
 * (node state, transient attributes, each resource's operation history per node).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pe_private.h"

void pe_warn(struct pe_ws *ws, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pl_buf_vaddf(&ws->warnings, fmt, ap);
	va_end(ap);
	pl_buf_addc(&ws->warnings, '\n');
}

bool pe_is_true(const char *s)
{
	return s && (!strcasecmp(s, "true") || !strcasecmp(s, "on") || !strcasecmp(s, "yes") ||
		     !strcasecmp(s, "y") || !strcmp(s, "1"));
}

enum pe_role pe_role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_UNKNOWN;
	if (!strcasecmp(s, "Stopped"))
		return ROLE_STOPPED;
	if (!strcasecmp(s, "Started"))
		return ROLE_STARTED;
	if (!strcasecmp(s, "Slave") || !strcasecmp(s, "Unpromoted"))
		return ROLE_UNPROMOTED;
	if (!strcasecmp(s, "Master") || !strcasecmp(s, "Promoted"))
		return ROLE_PROMOTED;
	return ROLE_UNKNOWN;
}

const char *pe_role_str(enum pe_role r)
{
	static const char *n[] = { "Unknown", "Stopped", "Started", "Unpromoted", "Promoted" };
	return n[r];
}

/* "10s", "5min", "PT10S", "1000ms", plain number = seconds. */
long long pe_interval_ms(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	if (s[0] == 'P') {
		struct pl_duration d;
		if (!pl_duration_parse(s, &d, NULL))
			return 0;
		return (d.seconds + d.months * 30LL * 86400 + d.years * 365LL * 86400) * 1000;
	}
	char *end;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (*end == '\0' || !strcasecmp(end, "s") || !strcasecmp(end, "sec"))
		return (long long)(v * 1000);
	if (!strcasecmp(end, "ms") || !strcasecmp(end, "msec"))
		return (long long)v;
	if (!strcasecmp(end, "us") || !strcasecmp(end, "usec"))
		return (long long)(v / 1000);
	if (!strcasecmp(end, "m") || !strcasecmp(end, "min"))
		return (long long)(v * 60000);
	if (!strcasecmp(end, "h") || !strcasecmp(end, "hr"))
		return (long long)(v * 3600000);
	return 0;
}

const char *pe_meta(struct pe_rsc *r, const char *name)
{
	for (; r; r = r->parent) {
		const char *v = g_hash_table_lookup(r->meta, name);
		if (v)
			return v;
	}
	return NULL;
}

static GHashTable *strtab(void) { return g_hash_table_new_full(g_str_hash, g_str_equal, free, free); }

/* ---- cluster options ---- */

static void unpack_config(struct pe_ws *ws)
{
	GHashTable *o = strtab();
	xmlNode *crm = pl_xml_first_child(ws->config, "crm_config");
	pe_unpack_nvpairs(ws, crm, "cluster_property_set", NULL, o);
	const char *v;
	ws->stonith_enabled = (v = g_hash_table_lookup(o, "stonith-enabled")) ? pe_is_true(v) : true;
	ws->symmetric = (v = g_hash_table_lookup(o, "symmetric-cluster")) ? pe_is_true(v) : true;
	ws->stop_all = pe_is_true(g_hash_table_lookup(o, "stop-all-resources"));
	ws->concurrent_fencing = (v = g_hash_table_lookup(o, "concurrent-fencing")) ? pe_is_true(v) : true;
	ws->health_strategy = xstrdup((v = g_hash_table_lookup(o, "node-health-strategy")) ? v : "none");
	ws->health_green = pl_score_parse(g_hash_table_lookup(o, "node-health-green"));
	ws->health_yellow = pl_score_parse(g_hash_table_lookup(o, "node-health-yellow"));
	ws->health_red = pl_score_parse(g_hash_table_lookup(o, "node-health-red"));
	ws->maintenance = pe_is_true(g_hash_table_lookup(o, "maintenance-mode"));
	ws->startup_fencing = (v = g_hash_table_lookup(o, "startup-fencing")) ? pe_is_true(v) : true;
	ws->start_failure_fatal = (v = g_hash_table_lookup(o, "start-failure-is-fatal")) ? pe_is_true(v) : true;
	ws->stop_orphans = (v = g_hash_table_lookup(o, "stop-orphan-resources")) ? pe_is_true(v) : true;
	ws->stop_orphan_actions = (v = g_hash_table_lookup(o, "stop-orphan-actions")) ? pe_is_true(v) : true;
	ws->default_stickiness = pl_score_parse(g_hash_table_lookup(o, "default-resource-stickiness"));
	ws->placement_strategy = xstrdup((v = g_hash_table_lookup(o, "placement-strategy")) ? v : "default");
	ws->utilization = strcmp(ws->placement_strategy, "default") != 0;
	ws->balanced = !strcmp(ws->placement_strategy, "balanced");
	ws->minimal = !strcmp(ws->placement_strategy, "minimal");
	v = g_hash_table_lookup(o, "no-quorum-policy");
	ws->no_quorum_policy = NQP_STOP;
	if (v && !strcasecmp(v, "ignore"))
		ws->no_quorum_policy = NQP_IGNORE;
	else if (v && !strcasecmp(v, "freeze"))
		ws->no_quorum_policy = NQP_FREEZE;
	else if (v && !strcasecmp(v, "suicide"))
		ws->no_quorum_policy = NQP_SUICIDE;
	else if (v && !strcasecmp(v, "demote"))
		ws->no_quorum_policy = NQP_DEMOTE;
	g_hash_table_destroy(o);
	ws->have_quorum = pe_is_true(pl_xml_attr(ws->cib, "have-quorum"));
	ws->dc_uuid = xstrdup(pl_xml_attr(ws->cib, "dc-uuid"));
	ws->rsc_defaults = pl_xml_first_child(ws->config, "rsc_defaults");
	ws->op_defaults = pl_xml_first_child(ws->config, "op_defaults");
}

/* ---- nodes ---- */

/* natural, case-insensitive order of node names (as Pacemaker lists nodes) */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (g_ascii_isdigit(*a) && g_ascii_isdigit(*b)) {
			char *ea, *eb;
			unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		int ca = g_ascii_tolower(*a), cb = g_ascii_tolower(*b);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		a++, b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int node_cmp(const void *x, const void *y)
{
	const struct pe_node *a = *(struct pe_node *const *)x, *b = *(struct pe_node *const *)y;
	return natural_cmp(a->uname, b->uname);
}



static struct pe_node *node_add(struct pe_ws *ws, const char *id, const char *uname)
{
	struct pe_node *n = XNEW(struct pe_node);
	n->idx = ws->n_nodes;
	n->id = xstrdup(id ? id : uname);
	n->uname = xstrdup(uname ? uname : id);
	n->attrs = strtab();
	ws->nodes = xreallocarray(ws->nodes, ws->n_nodes + 1, sizeof(*ws->nodes));
	ws->nodes[ws->n_nodes++] = n;
	g_hash_table_insert(ws->node_by_name, n->uname, n);
	if (!g_hash_table_contains(ws->node_by_name, n->id))
		g_hash_table_insert(ws->node_by_name, n->id, n);
	return n;
}

static bool is_remote_agent(const xmlNode *x)
{
	return !g_strcmp0(pl_xml_attr(x, "class"), "ocf") && !g_strcmp0(pl_xml_attr(x, "provider"), "pacemaker") &&
	       !g_strcmp0(pl_xml_attr(x, "type"), "remote");
}

static void implied_remote_nodes(struct pe_ws *ws, xmlNode *parent)
{
	PL_XML_FOREACH_CHILD(parent, NULL, x) {
		if (pl_xml_is(x, "group") || pl_xml_is(x, "clone") || pl_xml_is(x, "master")) {
			implied_remote_nodes(ws, x);
			continue;
		}
		if (!pl_xml_is(x, "primitive") || !pl_xml_id(x))
			continue;
		if (is_remote_agent(x)) {
			struct pe_node *n = g_hash_table_lookup(ws->node_by_name, pl_xml_id(x));
			if (n == NULL) {
				n = node_add(ws, pl_xml_id(x), pl_xml_id(x));
				n->remote = true;
			}
			n->conn = xstrdup(pl_xml_id(x));
		} else {
			/* guest nodes (remote-node meta attribute) are not modelled yet */
			PL_XML_FOREACH_CHILD(x, "meta_attributes", m)
				PL_XML_FOREACH_CHILD(m, "nvpair", nv)
					if (!g_strcmp0(pl_xml_attr(nv, "name"), "remote-node"))
						ws->unsupported = true;
		}
	}
}

static void unpack_nodes(struct pe_ws *ws)
{
	xmlNode *nodes = pl_xml_first_child(ws->config, "nodes");
	PL_XML_FOREACH_CHILD(nodes, "node", x) {
		const char *type = pl_xml_attr(x, "type");
		struct pe_node *n = node_add(ws, pl_xml_id(x), pl_xml_attr(x, "uname"));
		if (type && !strcmp(type, "remote"))
			n->remote = true;
		n->weight = pl_score_parse(pl_xml_attr(x, "score"));
		n->state = x;	/* temporarily: config element */
		if (ws->stonith_enabled && ws->startup_fencing && !n->remote) {
			n->unclean = true;
			n->unclean_reason = "node is unclean";
		}
	}
	/* Pacemaker Remote nodes are also implied by their connection resources */
	xmlNode *res = pl_xml_first_child(ws->config, "resources");
	implied_remote_nodes(ws, res);
	/* nodes in name order, as Pacemaker lists them; indexes follow */
	if (ws->n_nodes > 1)
		qsort(ws->nodes, ws->n_nodes, sizeof(*ws->nodes), node_cmp);
	for (int i = 0; i < ws->n_nodes; i++)
		ws->nodes[i]->idx = i;
	/* node attributes need every node first (rules may test #uname) */
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pe_node *n = ws->nodes[i];
		xmlNode *x = n->state;
		n->state = NULL;
		g_hash_table_insert(n->attrs, xstrdup("#uname"), xstrdup(n->uname));
		g_hash_table_insert(n->attrs, xstrdup("#id"), xstrdup(n->id));
		g_hash_table_insert(n->attrs, xstrdup("#kind"), xstrdup(n->remote ? "remote" : "cluster"));
		g_hash_table_insert(n->attrs, xstrdup("#is_dc"),
				    xstrdup(ws->dc_uuid && !strcmp(ws->dc_uuid, n->id) ? "true" : "false"));
		pe_unpack_nvpairs(ws, x, "instance_attributes", n, n->attrs);
		if (x && pl_xml_first_child(x, "utilization")) {
			n->util = strtab();
			pe_unpack_nvpairs(ws, x, "utilization", n, n->util);
		}
	}
}

/* ---- resources ---- */

static enum pe_onfail onfail_parse(const char *s, bool *ok)
{
	*ok = true;
	if (s == NULL) { *ok = false; return ONFAIL_RESTART; }
	if (!strcasecmp(s, "ignore")) return ONFAIL_IGNORE;
	if (!strcasecmp(s, "block")) return ONFAIL_BLOCK;
	if (!strcasecmp(s, "stop")) return ONFAIL_STOP;
	if (!strcasecmp(s, "fence")) return ONFAIL_FENCE;
	if (!strcasecmp(s, "standby")) return ONFAIL_STANDBY;
	if (!strcasecmp(s, "demote")) return ONFAIL_DEMOTE;
	return ONFAIL_RESTART;
}

/* The <op>s of `holder` (the primitive, then its template: the primitive's own win). Two
 * recurring ops with the same name and interval in one block cancel each other out. */
static void unpack_ops(struct pe_ws *ws, struct pe_rsc *r, xmlNode *holder, bool from_template)
{
	xmlNode *ops = pl_xml_first_child(holder, "operations");
	if (ops && pl_xml_attr(ops, "id-ref"))
		ops = pl_xml_find_id(ws->cib, "operations", pl_xml_attr(ops, "id-ref"));
	if (ops == NULL)
		return;
	int first_of_block = r->n_ops;
	size_t n = pl_xml_count_children(ops, "op");
	r->ops = xreallocarray(r->ops, (size_t)r->n_ops + n + 1, sizeof(*r->ops));
	PL_XML_FOREACH_CHILD(ops, "op", op) {
		long long iv = pe_interval_ms(pl_xml_attr(op, "interval"));
		int dup = -1;
		for (int k = 0; k < r->n_ops; k++) {
			if (g_strcmp0(r->ops[k].name, pl_xml_attr(op, "name")) != 0)
				continue;
			/* the primitive's op replaces the template's of the same name and role */
			if (from_template && k < first_of_block &&
			    pe_role_parse(r->ops[k].role) == pe_role_parse(pl_xml_attr(op, "role")))
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
		struct pe_opdef *d = &r->ops[r->n_ops++];
		GHashTable *m = strtab();
		d->xml = op;
		d->name = xstrdup(pl_xml_attr(op, "name"));
		d->role = xstrdup(pl_xml_attr(op, "role"));
		d->interval_ms = pe_interval_ms(pl_xml_attr(op, "interval"));
		pe_unpack_nvpairs(ws, op, "meta_attributes", NULL, m);
		const char *of = pl_xml_attr(op, "on-fail");
		if (of == NULL)
			of = g_hash_table_lookup(m, "on-fail");
		d->on_fail = onfail_parse(of, &d->on_fail_set);
		const char *en = pl_xml_attr(op, "enabled");
		if (en == NULL)
			en = g_hash_table_lookup(m, "enabled");
		d->enabled = en ? pe_is_true(en) : true;
		g_hash_table_destroy(m);
		if (d->name == NULL)
			d->name = xstrdup("");
	}
}

static struct pe_rsc *rsc_new(struct pe_ws *ws, xmlNode *x, enum pe_kind kind, struct pe_rsc *parent)
{
	struct pe_rsc *r = XNEW(struct pe_rsc);
	r->idx = ws->n_rscs;
	r->id = xstrdup(pl_xml_id(x));
	r->kind = kind;
	r->xml = x;
	r->parent = parent;
	r->meta = strtab();
	r->params = strtab();
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
	pe_unpack_nvpairs(ws, x, "meta_attributes", NULL, r->meta);
	/* rsc_defaults apply under the resource's own meta attributes; their rules may test
	 * the agent (class/provider/type), known only for primitives */
	if (kind == KIND_PRIMITIVE) {
		r->cls = xstrdup(pl_xml_attr(x, "class"));
		r->provider = xstrdup(pl_xml_attr(x, "provider"));
		r->type = xstrdup(pl_xml_attr(x, "type"));
	}
	ws->rule_rsc = r;
	pe_unpack_nvpairs(ws, ws->rsc_defaults, "meta_attributes", NULL, r->meta);
	ws->rule_rsc = NULL;
	return r;
}

static void rsc_settle(struct pe_ws *ws, struct pe_rsc *r)
{
	const char *v;
	r->priority = pl_score_parse(pe_meta(r, "priority"));
	v = pe_meta(r, "resource-stickiness");
	r->stickiness = v ? pl_score_parse(v) : ws->default_stickiness;
	v = pe_meta(r, "migration-threshold");
	r->migration_threshold = v ? pl_score_parse(v) : INF;
	r->failure_timeout = pe_interval_ms(pe_meta(r, "failure-timeout")) / 1000;
	v = pe_meta(r, "is-managed");
	if (v && !pe_is_true(v))
		r->managed = false;
	if (ws->maintenance)
		r->managed = false;
	v = pe_meta(r, "maintenance");
	if (v && pe_is_true(v))
		r->managed = false;
	v = pe_meta(r, "target-role");
	r->target_role = pe_role_parse(v);
	if (r->target_role == ROLE_STOPPED)
		r->disabled = true;
}

static struct pe_rsc *unpack_rsc(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent);

static struct pe_rsc *unpack_primitive(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent)
{
	struct pe_rsc *r = rsc_new(ws, x, KIND_PRIMITIVE, parent);
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
	r->cls = xstrdup(pl_xml_attr(x, "class") ? pl_xml_attr(x, "class") : pl_xml_attr(def, "class"));
	r->provider = xstrdup(pl_xml_attr(x, "provider") ? pl_xml_attr(x, "provider") : pl_xml_attr(def, "provider"));
	r->type = xstrdup(pl_xml_attr(x, "type") ? pl_xml_attr(x, "type") : pl_xml_attr(def, "type"));
	pe_unpack_nvpairs(ws, x, "instance_attributes", NULL, r->params);
	if (pl_xml_first_child(x, "utilization") || pl_xml_first_child(def, "utilization")) {
		r->util = strtab();
		pe_unpack_nvpairs(ws, x, "utilization", NULL, r->util);
		if (def != x)
			pe_unpack_nvpairs(ws, def, "utilization", NULL, r->util);
	}
	if (def != x) {
		pe_unpack_nvpairs(ws, def, "meta_attributes", NULL, r->meta);
		pe_unpack_nvpairs(ws, def, "instance_attributes", NULL, r->params);
	}
	unpack_ops(ws, r, x, false);
	if (def != x)
		unpack_ops(ws, r, def, true);
	r->pn = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*r->pn));
	r->is_remote_conn = is_remote_agent(def) || is_remote_agent(x);
	return r;
}

static void add_child(struct pe_rsc *p, struct pe_rsc *c)
{
	p->children = xreallocarray(p->children, p->n_children + 1, sizeof(*p->children));
	p->children[p->n_children++] = c;
}

static struct pe_rsc *unpack_rsc(struct pe_ws *ws, xmlNode *x, struct pe_rsc *parent)
{
	if (pl_xml_is(x, "primitive"))
		return unpack_primitive(ws, x, parent);
	if (pl_xml_is(x, "group")) {
		struct pe_rsc *g = rsc_new(ws, x, KIND_GROUP, parent);
		PL_XML_FOREACH_CHILD(x, "primitive", c)
			add_child(g, unpack_primitive(ws, c, g));
		return g;
	}
	if (pl_xml_is(x, "clone") || pl_xml_is(x, "master")) {
		struct pe_rsc *c = rsc_new(ws, x, KIND_CLONE, parent);
		pe_clone_unpack(ws, c, x, unpack_primitive);
		return c;
	}
	if (pl_xml_is(x, "bundle")) {
		struct pe_rsc *c = rsc_new(ws, x, KIND_BUNDLE, parent);
		c->unsupported = true;
		ws->unsupported = true;
		return c;
	}
	return NULL;
}

static int prio_cmp(const void *a, const void *b)
{
	const struct pe_rsc *x = *(struct pe_rsc *const *)a, *y = *(struct pe_rsc *const *)b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->idx - y->idx;
}

static void unpack_resources(struct pe_ws *ws)
{
	xmlNode *res = pl_xml_first_child(ws->config, "resources");
	PL_XML_FOREACH_CHILD(res, NULL, x) {
		struct pe_rsc *r = unpack_rsc(ws, x, NULL);
		if (r == NULL)
			continue;
		ws->top = xreallocarray(ws->top, ws->n_top + 1, sizeof(*ws->top));
		ws->top[ws->n_top++] = r;
	}
	for (int i = 0; i < ws->n_rscs; i++)
		rsc_settle(ws, ws->rscs[i]);
	if (ws->n_top > 1)
		qsort(ws->top, ws->n_top, sizeof(*ws->top), prio_cmp);
}

/* ---- status ---- */

static void node_online_state(struct pe_ws *ws, struct pe_node *n, xmlNode *st)
{
	const char *in_ccm = pl_xml_attr(st, "in_ccm"), *crmd = pl_xml_attr(st, "crmd");
	const char *join = pl_xml_attr(st, "join"), *exp = pl_xml_attr(st, "expected");
	bool in_cluster = pe_is_true(in_ccm);
	bool crmd_on = crmd && !strcmp(crmd, "online");
	bool joined = join && !strcmp(join, "member");
	n->seen = true;
	n->unclean = false;
	n->unclean_reason = NULL;
	n->expected_up = exp && !strcmp(exp, "member");
	const char *term = g_hash_table_lookup(n->attrs, "terminate");
	if (!ws->stonith_enabled) {
		if (!in_cluster)
			n->online = false;
		else if (crmd_on)
			n->online = joined;
		else if (!n->expected_up)
			n->online = false;
		else if (join && !strcmp(join, "member"))
			n->unclean = true;
		return;
	}
	bool join_down = join && (!strcmp(join, "down") || !strcmp(join, "pending"));
	if (in_ccm == NULL) {
		n->unclean = true;
		n->unclean_reason = "peer has not been seen by the cluster";
		return;
	}
	if (in_cluster && join && !strcmp(join, "banned")) {
		n->online = true;
		n->unclean = true;
		n->unclean_reason = "peer failed Pacemaker membership criteria";
		return;
	}

	if ((crmd_on && join_down && !n->expected_up) || (in_cluster && !crmd_on && exp == NULL)) {
		n->pending = true;	/* joining (or leaving) the cluster: not usable yet */
		n->online = false;
		return;
	}
	if (in_cluster && crmd_on && joined) {
		n->online = true;
		if (term && pe_is_true(term)) {
			n->unclean = true;
			n->unclean_reason = "termination was requested";
		}
	} else if (!in_cluster && !crmd_on && !n->expected_up) {
		n->online = false;
	} else if (!in_cluster && n->expected_up) {
		n->unclean = true;
		n->unclean_reason = "peer is no longer part of the cluster";
	} else if (in_cluster && !crmd_on && n->expected_up) {
		n->online = true;	/* still a member: shown as UNCLEAN (online) */
		n->unclean = true;
		n->unclean_reason = "peer process is no longer available";
	} else if (in_cluster && crmd_on && join && (!strcmp(join, "pending") || !strcmp(join, "banned"))) {
		n->pending = !strcmp(join, "pending");
		n->online = false;
	} else if (!in_cluster && crmd_on) {
		n->unclean = true;
		n->unclean_reason = "peer is no longer part of the cluster";
	} else {
		n->online = false;
	}
}

struct histop {
	xmlNode *x;
	int call_id;
	int pos;
};

static int histop_cmp(const void *a, const void *b)
{
	const struct histop *x = a, *y = b;
	int cx = x->call_id < 0 ? INT_MAX : x->call_id, cy = y->call_id < 0 ? INT_MAX : y->call_id;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->pos - y->pos;
}

static int target_rc(xmlNode *op)
{
	const char *key = pl_xml_attr(op, "transition-key");
	int a, b, rc;
	if (key && sscanf(key, "%d:%d:%d:", &a, &b, &rc) == 3)
		return rc;
	return 0;
}

static struct pe_opdef *find_opdef(struct pe_rsc *r, const char *task, long long interval)
{
	for (int i = 0; i < r->n_ops; i++)
		if (!strcmp(r->ops[i].name, task) && r->ops[i].interval_ms == interval)
			return &r->ops[i];
	return NULL;
}

static void add_running(struct pe_rsc *r, struct pe_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return;
	r->running = xreallocarray(r->running, r->n_running + 1, sizeof(*r->running));
	r->running[r->n_running++] = n;
}

static void unpack_history(struct pe_ws *ws, struct pe_node *n, struct pe_rsc *r, xmlNode *lr)
{
	size_t cnt = pl_xml_count_children(lr, "lrm_rsc_op"), k = 0;
	struct histop *ops = xcalloc(cnt ? cnt : 1, sizeof(*ops));
	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op) {
		long long cid;
		if (!pl_xml_attr_int(op, "call-id", 0, &cid, NULL))
			cid = 0;
		ops[k].x = op;
		ops[k].call_id = (int)cid;
		ops[k].pos = (int)k;
		k++;
	}
	qsort(ops, k, sizeof(*ops), histop_cmp);
	struct pe_rsc_node *pn = &r->pn[n->idx];
	/* recurring ops that still run: after the last start (or the last stop) */
	int start_i = -1, stop_i = -1;
	for (size_t i = 0; i < k; i++) {
		const char *t = pl_xml_attr(ops[i].x, "operation");
		long long rc = 0, iv = 0;
		pl_xml_attr_int(ops[i].x, "rc-code", 0, &rc, NULL);
		pl_xml_attr_int(ops[i].x, "interval", 0, &iv, NULL);
		if (t == NULL)
			continue;
		if (!strcmp(t, "start") || !strcmp(t, "migrate_from"))
			start_i = (int)i;
		else if (!strcmp(t, "stop"))
			stop_i = (int)i;
		else if (start_i <= stop_i && !strcmp(t, "monitor") && iv == 0 && (rc == 0 || rc == 8))
			start_i = (int)i;
	}
	if (pn->hist_ops)	/* a second history entry mapped onto the same instance */
		g_array_free(pn->hist_ops, true);
	if (pn->recurring)
		g_ptr_array_free(pn->recurring, true);
	pn->hist_ops = g_array_new(false, false, sizeof(long long));
	if (n->online) {
		for (size_t i = 0; i < k; i++) {
			long long iv = 0, st = 0;
			if (start_i < stop_i && (int)i <= stop_i)
				continue;
			if ((int)i < start_i)
				continue;
			pl_xml_attr_int(ops[i].x, "interval", 0, &iv, NULL);
			pl_xml_attr_int(ops[i].x, "op-status", 0, &st, NULL);
			const char *t = pl_xml_attr(ops[i].x, "operation");
			if (iv == 0 || st == -1 || t == NULL || strcmp(t, "monitor"))
				continue;
			g_array_append_val(pn->hist_ops, iv);
		}
	}
	enum pe_role role = ROLE_UNKNOWN;
	bool failed = false;
	enum pe_onfail onfail = ONFAIL_RESTART;
	pn->recurring = g_ptr_array_new_with_free_func(free);
	for (size_t i = 0; i < k; i++) {
		xmlNode *op = ops[i].x;
		const char *task = pl_xml_attr(op, "operation");
		long long rc = 0, status = 0;
		pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
		pl_xml_attr_int(op, "op-status", 0, &status, NULL);
		long long interval = 0;	/* milliseconds in the history */
		pl_xml_attr_int(op, "interval", 0, &interval, NULL);
		if (task == NULL)
			continue;
		int expected = target_rc(op);
		bool probe = !strcmp(task, "monitor") && interval == 0;
		if (!strcmp(task, "monitor") && interval > 0) {
			if (pn->ever == NULL)
				pn->ever = g_array_new(false, false, sizeof(long long));
			g_array_append_val(pn->ever, interval);
		}
		if (probe && status != -1)
			pn->probed = true;
		if (status == -1 || status == 1) {	/* pending (or cancelled: ignore) */
			if (status == -1) {
				if (!strcmp(task, "start") || !strcmp(task, "migrate_from")) {
					role = ROLE_STARTED;
					r->start_pending = true;
				} else if (!strcmp(task, "stop")) {
					role = ROLE_STARTED;
				} else if (!strcmp(task, "promote")) {
					role = ROLE_PROMOTED;
				} else if (probe && role == ROLE_UNKNOWN) {
					pn->unknown_pending = true;
				}
			}
			continue;
		}
		bool ok = status == 0 && (rc == expected || (probe && (rc == 7 || rc == 0 || rc == 8)) ||
					  (rc == 0 && expected == 0));
		if (status == 0 && !probe && !strcmp(task, "monitor") && rc == 7 && expected == 7)
			ok = true;
		if (ok) {
			if (probe || !strcmp(task, "monitor")) {
				if (rc == 7) {
					role = ROLE_STOPPED;
					failed = false;
				} else if (rc == 8) {
					role = ROLE_PROMOTED;
				} else if (role == ROLE_UNKNOWN || role == ROLE_STOPPED || probe) {
					role = ROLE_STARTED;
				}
				/* a monitor whose parameters changed is rescheduled: not counted as running */
				if (!probe && !(r->managed && !r->orphan && pe_op_changed(ws, r, op))) {
					char *key = xasprintf("%s_%lld", task, interval);
					g_ptr_array_add(pn->recurring, key);
				}
			} else if (!strcmp(task, "start") || !strcmp(task, "migrate_from")) {
				role = ROLE_STARTED;
				failed = false;
				g_ptr_array_set_size(pn->recurring, 0);
			} else if (!strcmp(task, "stop") || !strcmp(task, "migrate_to")) {
				role = ROLE_STOPPED;
				failed = false;
				g_ptr_array_set_size(pn->recurring, 0);
			} else if (!strcmp(task, "promote")) {
				role = ROLE_PROMOTED;
				g_ptr_array_set_size(pn->recurring, 0);	/* role monitors restart */
			} else if (!strcmp(task, "demote")) {
				role = ROLE_UNPROMOTED;
				g_ptr_array_set_size(pn->recurring, 0);
			}
			continue;
		}
		/* a failure; one older than failure-timeout is forgotten (unless it blocks) */
		struct pe_opdef *od = find_opdef(r, task, interval);
		if (r->failure_timeout > 0 && !(od && od->on_fail_set && od->on_fail == ONFAIL_BLOCK)) {
			long long when = 0;
			if (!pl_xml_attr_int(op, "last-rc-change", 0, &when, NULL) || when == 0)
				pl_xml_attr_int(op, "last-run", 0, &when, NULL);
			if (when > 0 && when + r->failure_timeout <= ws->now.epoch) {
				pn->fail_expired = true;
				if (probe)
					pn->probed = false;
				continue;
			}
		}
		struct pe_opdef *d = find_opdef(r, task, interval);
		if (d && !d->enabled && interval > 0)
			pn->fail_disabled = true;	/* its fail count is cleared */

		bool set;
		enum pe_onfail of = d && d->on_fail_set ? d->on_fail : onfail_parse(NULL, &set);
		if (!(d && d->on_fail_set)) {
			if (!strcmp(task, "stop"))
				of = ws->stonith_enabled ? ONFAIL_FENCE : ONFAIL_BLOCK;
			else
				of = ONFAIL_RESTART;
		}
		if (status == 7 || rc == 5)	/* not installed */
			of = ONFAIL_STOP;
		if (of == ONFAIL_IGNORE) {
			if (role == ROLE_UNKNOWN || role == ROLE_STOPPED)
				role = ROLE_STARTED;
			r->failure_ignored = true;
			continue;
		}
		if (n->lost && ws->stonith_enabled) {
			/* fencing will settle it: the resource only counts as active there */
			if (role == ROLE_UNKNOWN || role == ROLE_STOPPED)
				role = ROLE_STARTED;
			continue;
		}
		onfail = of;
		failed = true;
		if (!strcmp(task, "stop") || !strcmp(task, "start") || !strcmp(task, "monitor") ||
		    !strcmp(task, "promote") || !strcmp(task, "demote"))
			if (!(probe && rc == 7))
				role = (rc == 7 && !strcmp(task, "monitor") && !probe) ? ROLE_STARTED :
				       (role == ROLE_PROMOTED ? ROLE_PROMOTED : ROLE_STARTED);
	}
	if (role == ROLE_STARTED && r->parent && r->parent->promotable)
		role = ROLE_UNPROMOTED;
	pn->role = role;
	if (role != ROLE_UNKNOWN && role != ROLE_STOPPED) {
		pn->active = true;
		add_running(r, n);
		if (role > r->role)
			r->role = role;
	}
	/* the parameters changed since the last start: restart it there */
	if (pn->active && !failed && n->online && r->managed && !r->orphan && start_i >= 0 &&
	    pe_op_changed(ws, r, ops[start_i].x)) {
		r->restart_due = true;
		pn->fail_changed = true;	/* its failures were of the old definition */
		if (r->restart_reason == NULL)
			r->restart_reason = xstrdup("resource definition change");
	}
	if (failed && pn->active) {
		pn->failed = true;
		r->failed = true;
		if (onfail > r->on_fail)
			r->on_fail = onfail;
		if (onfail == ONFAIL_BLOCK || (onfail == ONFAIL_FENCE && !ws->stonith_enabled))
			r->blocked = true;
		if (onfail == ONFAIL_FENCE && ws->stonith_enabled && n->online) {
			n->unclean = true;
			n->unclean_reason = pe_keep(ws, xasprintf("%s failed there", r->id));
		}
	}
	free(ops);
}

static void unpack_failcounts(struct pe_ws *ws, struct pe_node *n)
{
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, n->attrs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *name = k;
		bool fc = !strncmp(name, "fail-count-", 11), lf = !strncmp(name, "last-failure-", 13);
		if (!fc && !lf)
			continue;
		char *rid = xstrdup(name + (fc ? 11 : 13));
		char *hash = strchr(rid, '#');
		if (hash)
			*hash = '\0';
		struct pe_rsc *r = g_hash_table_lookup(ws->rsc_by_id, rid);
		free(rid);
		if (r == NULL || r->kind != KIND_PRIMITIVE)
			continue;
		if (fc)
			r->pn[n->idx].failcount = pl_score_add(r->pn[n->idx].failcount, pl_score_parse(v));
		else {
			long long t = strtoll(v, NULL, 10);
			if (t > r->pn[n->idx].last_failure)
				r->pn[n->idx].last_failure = t;
		}
	}
}

/* The supported clone whose cloned primitive is `id` or "id:N". */
static struct pe_rsc *clone_of(struct pe_ws *ws, const char *id)
{
	if (id == NULL)
		return NULL;
	char *base = xstrdup(id);
	char *colon = strchr(base, ':');
	if (colon)
		*colon = '\0';
	struct pe_rsc *c = g_hash_table_lookup(ws->clone_by_child, base);
	free(base);
	return c && pe_clone_supported(c) ? c : NULL;
}

/* History of clone instances ("rsc:2") and bundle replicas is not an orphan's. */
static bool belongs_to_unsupported(struct pe_ws *ws, const char *id)
{
	if (id == NULL)
		return false;
	char *base = xstrdup(id);
	char *colon = strchr(base, ':');
	if (colon)
		*colon = '\0';
	xmlNode *res = pl_xml_first_child(ws->config, "resources");
	bool found = pl_xml_find_id(res, NULL, base) != NULL;
	free(base);
	for (int i = 0; !found && i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		if (r->kind == KIND_BUNDLE && !strncmp(id, r->id, strlen(r->id)))
			found = true;
	}
	return found;
}

/* An orphan's definition outlives a streamed status: copy what identifies it. */
static xmlNode *orphan_definition(struct pe_ws *ws, xmlNode *lr)
{
	xmlNode *x = xmlNewDocNode(ws->doc, NULL, BAD_CAST "primitive", NULL);
	static const char *keep[] = { "id", "class", "provider", "type" };
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (pl_xml_attr(lr, keep[i]))
			pl_xml_set_attr(x, keep[i], pl_xml_attr(lr, keep[i]));
	if (ws->orphan_defs == NULL)
		ws->orphan_defs = xmlNewDocNode(ws->doc, NULL, BAD_CAST "orphans", NULL);
	xmlAddChild(ws->orphan_defs, x);
	return x;
}

/* One node_state: membership, transient attributes, then its resources' history. Nothing
 * keeps a pointer into `st`, so a streamed status can free it right after. */
static void unpack_node_state(struct pe_ws *ws, xmlNode *st)
{
	const char *id = pl_xml_id(st), *uname = pl_xml_attr(st, "uname");
	struct pe_node *n = id ? g_hash_table_lookup(ws->node_by_name, id) : NULL;
	if (n == NULL && uname)
		n = g_hash_table_lookup(ws->node_by_name, uname);
	if (n == NULL || n->seen)
		return;
	xmlNode *ta = pl_xml_first_child(st, "transient_attributes");
	if (ta)
		pe_unpack_nvpairs(ws, ta, "instance_attributes", n, n->attrs);
	if (n->remote) {
		/* online is decided by its connection resource once all history is known */
		n->seen = true;
		n->online = true;
	} else {
		node_online_state(ws, n, st);
	}
	n->lost = n->unclean;
	const char *sd = g_hash_table_lookup(n->attrs, "shutdown");
	if (n->online && sd && strcmp(sd, "0"))
		n->shutdown = true;
	n->standby = pe_is_true(g_hash_table_lookup(n->attrs, "standby"));
	n->maintenance = pe_is_true(g_hash_table_lookup(n->attrs, "maintenance"));
	if (!ws->have_quorum && ws->no_quorum_policy == NQP_SUICIDE && ws->stonith_enabled &&
	    n->online && !n->unclean) {
		n->unclean = true;
		n->unclean_reason = "cluster does not have quorum";
	}
	xmlNode *lrm = pl_xml_first_child(st, "lrm");
	xmlNode *lrs = lrm ? pl_xml_first_child(lrm, "lrm_resources") : NULL;
	/* Without fencing, a cluster node that is offline runs nothing: its history is not
	 * read (as Pacemaker), so what it ran recovers elsewhere instead of staying "Started"
	 * on a node nobody can stop it on. With fencing it is read: the fence decides. */
	if (!n->remote && !ws->stonith_enabled && !n->online)
		lrs = NULL;
	PL_XML_FOREACH_CHILD(lrs, "lrm_resource", lr) {
		struct pe_rsc *r = g_hash_table_lookup(ws->rsc_by_id, pl_xml_id(lr));
		struct pe_rsc *clone = clone_of(ws, pl_xml_id(lr));
		if (clone) {
			r = pe_clone_instance_for(ws, clone, lr, n);
			if (r == NULL)
				continue;
		}
		if (r == NULL && belongs_to_unsupported(ws, pl_xml_id(lr)))
			continue;
		if (r == NULL) {
			/* orphan: history of a resource no longer configured */
			r = unpack_primitive(ws, orphan_definition(ws, lr), NULL);
			r->orphan = true;
			rsc_settle(ws, r);
			if (!ws->stop_orphans)
				r->managed = false;
			ws->top = xreallocarray(ws->top, ws->n_top + 1, sizeof(*ws->top));
			ws->top[ws->n_top++] = r;
		}
		if (r->kind != KIND_PRIMITIVE)
			continue;
		unpack_history(ws, n, r, lr);
		if (clone) {
			if (r->pn[n->idx].probed || r->pn[n->idx].active)
				clone->pn[n->idx].probed = true;
			free(r->pn[n->idx].lrm_name);
			r->pn[n->idx].lrm_name = xstrdup(pl_xml_id(lr));
		}
	}
	unpack_failcounts(ws, n);	/* after the history: orphans exist by now */
}

/* The status section from text, one node_state subtree at a time (peak memory is one node's
 * history, not the whole section's). <tickets> is kept (copied) for the constraints. */
static void stream_status(struct pe_ws *ws)
{
	xmlTextReader *rd = xmlReaderForMemory(ws->status_text, (int)ws->status_len, "status", NULL,
					       XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOBLANKS |
					       XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (rd == NULL)
		return;
	int ret = xmlTextReaderRead(rd);
	while (ret == 1) {
		const xmlChar *name = xmlTextReaderConstLocalName(rd);
		if (xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(rd) == 1 &&
		    name && (xmlStrEqual(name, BAD_CAST "node_state") || xmlStrEqual(name, BAD_CAST "tickets"))) {
			xmlNode *sub = xmlTextReaderExpand(rd);
			if (sub && xmlStrEqual(name, BAD_CAST "node_state"))
				unpack_node_state(ws, sub);
			else if (sub)
				ws->tickets = pl_xml_copy(sub, ws->doc);
			ret = xmlTextReaderNext(rd);
			continue;
		}
		ret = xmlTextReaderRead(rd);
	}
	if (ret < 0)
		pe_warn(ws, "warning: the status section is not well-formed XML; the rest of it is ignored");
	xmlFreeTextReader(rd);
}

static void unpack_status(struct pe_ws *ws)
{
	if (ws->status_text) {
		stream_status(ws);
	} else if (ws->status) {
		ws->tickets = pl_xml_first_child(ws->status, "tickets");
		PL_XML_FOREACH_CHILD(ws->status, "node_state", st)
			unpack_node_state(ws, st);
	}
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pe_node *n = ws->nodes[i];
		if (n->remote) {
			struct pe_rsc *c = n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
			n->online = c && c->n_running > 0 && !c->failed;
			if (c == NULL)
				ws->unsupported = true;
		}
		if (!n->seen) {
			n->standby = pe_is_true(g_hash_table_lookup(n->attrs, "standby"));
			n->maintenance = pe_is_true(g_hash_table_lookup(n->attrs, "maintenance"));
		}
	}
	/* what runs on a node in maintenance is left alone */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		for (int k = 0; k < r->n_running && r->kind == KIND_PRIMITIVE; k++)
			if (r->running[k]->maintenance)
				r->managed = false;
	}
	/* orphans that are stopped are not shown or scheduled */
	int k = 0;
	for (int i = 0; i < ws->n_top; i++) {
		struct pe_rsc *r = ws->top[i];
		if (r->orphan && r->n_running == 0)
			continue;
		ws->top[k++] = r;
	}
	ws->n_top = k;
	/* a group's role is its first active member's */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *g = ws->rscs[i];
		if (g->kind != KIND_GROUP && g->kind != KIND_CLONE)
			continue;
		for (int c = 0; c < g->n_children; c++) {
			struct pe_rsc *ch = g->children[c];
			if (ch->role > g->role)
				g->role = ch->role;
			for (int j = 0; j < ch->n_running; j++)
				add_running(g, ch->running[j]);
			if (ch->failed)
				g->failed = true;
		}
	}
}

void pe_unpack(struct pe_ws *ws)
{
	ws->config = pl_xml_first_child(ws->cib, "configuration");
	ws->status = pl_xml_first_child(ws->cib, "status");
	ws->rsc_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	ws->node_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	ws->colocs = g_ptr_array_new();
	ws->locations = g_ptr_array_new();
	ws->orders = g_ptr_array_new();
	ws->one_or_more = g_ptr_array_new();
	ws->actions = g_ptr_array_new();
	ws->action_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	ws->strings = g_ptr_array_new_with_free_func(free);
	ws->clone_by_child = g_hash_table_new(g_str_hash, g_str_equal);
	unpack_config(ws);
	unpack_nodes(ws);
	unpack_resources(ws);
	unpack_status(ws);
}

const char *pe_keep(struct pe_ws *ws, char *s)
{
	g_ptr_array_add(ws->strings, s);
	return s;
}

static void free_rsc(struct pe_ws *ws, struct pe_rsc *r)
{
	free(r->id);
	free(r->cls);
	free(r->provider);
	free(r->type);
	g_hash_table_destroy(r->meta);
	g_hash_table_destroy(r->params);
	g_ptr_array_free(r->actions, true);
	free(r->children);
	free(r->running);
	free(r->sim_running);
	for (int i = 0; r->pn && i < ws->n_nodes; i++) {
		if (r->pn[i].recurring)
			g_ptr_array_free(r->pn[i].recurring, true);
		if (r->pn[i].hist_ops)
			g_array_free(r->pn[i].hist_ops, true);
		if (r->pn[i].ever)
			g_array_free(r->pn[i].ever, true);
		free(r->pn[i].lrm_name);
	}
	free(r->pn);
	free(r->score);
	free(r->wsort);
	for (int i = 0; i < r->n_ops; i++) {
		free(r->ops[i].name);
		free(r->ops[i].role);
	}
	free(r->ops);
	free(r->stop_reason);
	free(r->child_base);
	if (r->util)
		g_hash_table_destroy(r->util);
	free(r->promo);
	free(r->restart_reason);
	free(r);
}

void pe_free(struct pe_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++)
		free_rsc(ws, ws->rscs[i]);
	for (int i = 0; i < ws->n_nodes; i++) {
		free(ws->nodes[i]->id);
		free(ws->nodes[i]->uname);
		free(ws->nodes[i]->conn);
		if (ws->nodes[i]->util)
			g_hash_table_destroy(ws->nodes[i]->util);
		if (ws->nodes[i]->util_used)
			g_hash_table_destroy(ws->nodes[i]->util_used);
		g_hash_table_destroy(ws->nodes[i]->attrs);
		free(ws->nodes[i]);
	}
	for (guint i = 0; ws->actions && i < ws->actions->len; i++) {
		struct pe_action *a = ws->actions->pdata[i];
		free(a->task);
		free(a->key);
		g_array_free(a->before, true);
		g_array_free(a->after, true);
		free(a);
	}
	for (guint i = 0; ws->colocs && i < ws->colocs->len; i++) {
		struct pe_coloc *c = ws->colocs->pdata[i];
		free(c->id);
		free(c->node_attr);
		free(c);
	}
	for (guint i = 0; ws->orders && i < ws->orders->len; i++) {
		struct pe_order *o = ws->orders->pdata[i];
		free(o->first_task);
		free(o->then_task);
		free(o);
	}
	for (guint i = 0; ws->one_or_more && i < ws->one_or_more->len; i++) {
		struct pe_one_or_more *o = ws->one_or_more->pdata[i];
		free(o->id);
		free(o->action);
		free(o->next_action);
		free(o);
	}
	if (ws->one_or_more)
		g_ptr_array_free(ws->one_or_more, true);
	if (ws->actions)
		g_ptr_array_free(ws->actions, true);
	if (ws->colocs)
		g_ptr_array_free(ws->colocs, true);
	if (ws->orders)
		g_ptr_array_free(ws->orders, true);
	if (ws->locations)
		g_ptr_array_free(ws->locations, true);
	if (ws->synapse_order)
		g_ptr_array_free(ws->synapse_order, true);
	if (ws->strings)
		g_ptr_array_free(ws->strings, true);
	if (ws->action_by_key)
		g_hash_table_destroy(ws->action_by_key);
	if (ws->rsc_by_id)
		g_hash_table_destroy(ws->rsc_by_id);
	if (ws->clone_by_child)
		g_hash_table_destroy(ws->clone_by_child);
	if (ws->orphan_defs)
		xmlFreeNode(ws->orphan_defs);
	if (ws->tickets && ws->status_text)
		xmlFreeNode(ws->tickets);
	if (ws->node_by_name)
		g_hash_table_destroy(ws->node_by_name);
	free(ws->rscs);
	free(ws->nodes);
	free(ws->top);
	free(ws->order);
	free(ws->placement_strategy);
	free(ws->health_strategy);
	free(ws->dc_uuid);
	pl_buf_free(&ws->warnings);
	pl_buf_free(&ws->exec_log);
	pl_buf_free(&ws->scores);
}
