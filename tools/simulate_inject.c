/*
 * simulate_inject.c - crm_simulate's what-if changes to a CIB before it is scheduled, in
 * Pacemaker 2.1.5's order and wording ("Performing Requested Modifications:"): quorum,
 * watchdog, nodes up/down/failed, tickets granted/revoked/standby/activated, injected
 * operation results. Each change edits the status (or crm_config) as Pacemaker's
 * crm_simulate does, so the written CIB (-O, -X) carries it too; and after the simulated
 * transition, its results recorded the same way (sim_record).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paceline/buf.h"
#include "paceline/pengine.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "simulate_inject.h"

/* what crm_simulate records as the feature set of the results it writes */
#define PL_SIM_FEATURE_SET "3.16.1"

static xmlNode *
child(xmlNode *parent, const char *name)
{
	xmlNode *c = pl_xml_first_child(parent, name);
	return c ? c : pl_xml_add_child(parent, name);
}

static void
bump_config(struct sim_version *v)
{
	v->epochs++;
	v->updates = 0;
}

/* The configuration's <node> of that name; added (a configuration change) when missing and
 * add is set. */
static xmlNode *
config_node(xmlNode *cib, const char *uname, bool add, struct sim_version *v)
{
	xmlNode *nodes = child(child(cib, "configuration"), "nodes");
	PL_XML_FOREACH_CHILD(nodes, "node", n)
	{
		const char *u = pl_xml_attr(n, "uname");
		if ((u && !strcmp(u, uname)) || !g_strcmp0(pl_xml_id(n), uname))
			return n;
	}
	if (!add)
		return NULL;
	xmlNode *n = pl_xml_add_child(nodes, "node");
	pl_xml_set_attr(n, "id", uname);
	pl_xml_set_attr(n, "uname", uname);
	bump_config(v);
	return n;
}

/* The node's node_state, created (with the configured node's id) when missing; *created
 * says so when not NULL. */
static xmlNode *
node_state_ex(xmlNode *cib, xmlNode *status, const char *uname, bool *created)
{
	PL_XML_FOREACH_CHILD(status, "node_state", ns)
	{
		const char *u = pl_xml_attr(ns, "uname");
		if ((u && !strcmp(u, uname)) || !g_strcmp0(pl_xml_id(ns), uname)) {
			if (created)
				*created = false;
			return ns;
		}
	}
	struct sim_version dummy = { 0, 0 };
	xmlNode *cn = config_node(cib, uname, false, &dummy);
	xmlNode *ns = pl_xml_add_child(status, "node_state");
	pl_xml_set_attr(ns, "id", cn && pl_xml_id(cn) ? pl_xml_id(cn) : uname);
	pl_xml_set_attr(
	    ns, "uname", cn && pl_xml_attr(cn, "uname") ? pl_xml_attr(cn, "uname") : uname);
	if (created)
		*created = true;
	return ns;
}

static xmlNode *
node_state(xmlNode *cib, xmlNode *status, const char *uname)
{
	return node_state_ex(cib, status, uname, NULL);
}

static void
set_node(xmlNode *ns, const char *in_ccm, const char *crmd, const char *join, const char *expected)
{
	pl_xml_set_attr(ns, "in_ccm", in_ccm);
	pl_xml_set_attr(ns, "crmd", crmd);
	pl_xml_set_attr(ns, "join", join);
	pl_xml_set_attr(ns, "expected", expected);
	pl_xml_set_attr(ns, "crm-debug-origin", "crm_simulate");
}

static void
ticket(xmlNode *status, const char *id, const char *attr, const char *value)
{
	xmlNode *tickets = child(status, "tickets");
	xmlNode *t = pl_xml_find_id(tickets, "ticket_state", id);
	if (t == NULL) {
		t = pl_xml_add_child(tickets, "ticket_state");
		pl_xml_set_attr(t, "id", id);
	}
	pl_xml_set_attr(t, attr, value);
}

/* "RSC_TASK_INTERVAL@NODE=RC": split, the resource being the longest id the key starts with
 * that names a primitive of the configuration */
static bool
parse_op(xmlNode *cib, const char *spec, char **rsc, char **task, long long *interval_ms,
    char **node, int *rc, struct pl_error *err)
{
	const char *at = strchr(spec, '@'), *eq = at ? strchr(at, '=') : NULL;
	if (at == NULL || eq == NULL || eq == at + 1) {
		pl_error_set(err, PL_EXIT_USAGE,
		    "'%s' is not an operation result: give RSC_TASK_INTERVAL@NODE=RC", spec);
		return false;
	}
	char *key = g_strndup(spec, (gsize)(at - spec));
	char *end;
	*rc = (int)strtol(eq + 1, &end, 10);
	if (*end != '\0' || end == eq + 1) {
		pl_error_set(
		    err, PL_EXIT_USAGE, "'%s': the result '%s' is not a number", spec, eq + 1);
		g_free(key);
		return false;
	}
	char *last = strrchr(key, '_');
	char *mid = NULL;
	if (last) {
		*last = '\0';
		mid = strrchr(key, '_');
	}
	if (last == NULL || mid == NULL) {
		pl_error_set(err, PL_EXIT_USAGE, "'%s': the key is not RSC_TASK_INTERVAL", spec);
		g_free(key);
		return false;
	}
	*mid = '\0';
	*interval_ms = strtoll(last + 1, NULL, 10);
	*task = xstrdup(mid + 1);
	*rsc = xstrdup(key);
	*node = g_strndup(at + 1, (gsize)(eq - at - 1));
	g_free(key);
	xmlNode *res = pl_xml_first_child(pl_xml_first_child(cib, "configuration"), "resources");
	if (pl_xml_find_id(res, "primitive", *rsc) == NULL) {
		/* a clone instance "id:N" injects as the cloned primitive */
		char *colon = strchr(*rsc, ':');
		if (colon)
			*colon = '\0';
		if (pl_xml_find_id(res, "primitive", *rsc) == NULL) {
			pl_error_set(err, PL_EXIT_USAGE, "'%s': no primitive named '%s'", spec, *rsc);
			free(*rsc);
			free(*task);
			g_free(*node);
			return false;
		}
	}
	return true;
}

/* A transient node attribute: read (value NULL: a copy of the current value, or NULL) or
 * set. */
static char *
node_attr(xmlNode *ns, const char *node, const char *name, const char *value)
{
	xmlNode *ta = pl_xml_first_child(ns, "transient_attributes");
	if (ta == NULL && value == NULL)
		return NULL;
	if (ta == NULL) {
		ta = pl_xml_add_child(ns, "transient_attributes");
		pl_xml_set_attr(ta, "id", node);
	}
	xmlNode *ia = pl_xml_first_child(ta, "instance_attributes");
	if (ia == NULL && value == NULL)
		return NULL;
	if (ia == NULL) {
		ia = pl_xml_add_child(ta, "instance_attributes");
		pl_xml_set_attr(ia, "id", node);
	}
	PL_XML_FOREACH_CHILD(ia, "nvpair", nv)
	if (!g_strcmp0(pl_xml_attr(nv, "name"), name)) {
		if (value == NULL)
			return pl_xml_attr(nv, "value") ? xstrdup(pl_xml_attr(nv, "value")) : NULL;
		pl_xml_set_attr(nv, "value", value);
		return NULL;
	}
	if (value == NULL)
		return NULL;
	xmlNode *nv = pl_xml_add_child(ia, "nvpair");
	char *id = xasprintf("%s-%s", node, name);
	for (char *c = id; *c; c++)
		if (*c == '#')
			*c = '.'; /* an XML id cannot hold '#' */
	pl_xml_set_attr(nv, "id", id);
	pl_xml_set_attr(nv, "name", name);
	pl_xml_set_attr(nv, "value", value);
	free(id);
	return NULL;
}

static long long
max_call_id(xmlNode *lr)
{
	long long m = 0, v;
	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
	if (pl_xml_attr_int(op, "call-id", 0, &v, NULL) && v > m)
		m = v;
	return m;
}

/* The node's lrm_resource for rsc (created with the agent's class, provider and type). */
static xmlNode *
lrm_resource(xmlNode *ns, const char *node_id, const char *rsc, const char *cls,
    const char *provider, const char *type)
{
	xmlNode *lrm = child(ns, "lrm");
	if (pl_xml_id(lrm) == NULL)
		pl_xml_set_attr(lrm, "id", node_id);
	xmlNode *lrs = child(lrm, "lrm_resources");
	xmlNode *lr = pl_xml_find_id(lrs, "lrm_resource", rsc);
	if (lr == NULL) {
		lr = pl_xml_add_child(lrs, "lrm_resource");
		pl_xml_set_attr(lr, "id", rsc);
		pl_xml_set_attr(lr, "class", cls);
		if (provider)
			pl_xml_set_attr(lr, "provider", provider);
		pl_xml_set_attr(lr, "type", type);
	}
	return lr;
}

/* One result as the controller records it: under its key when recurring and successful,
 * else as the resource's last operation; a failure also as the last failure. */
struct sim_result {
	const char *rsc, *task;
	long long interval_ms;
	int rc, target_rc;
	long long call;
	const char *reason; /* exit-reason */
	const char *digest; /* op-digest, or NULL */
	long long now;
	bool failure_first; /* an injected failure is written before the last result */
};

static void
record_op(xmlNode *lr, const char *id, const struct sim_result *r)
{
	xmlNode *op = pl_xml_find_id(lr, "lrm_rsc_op", id);
	if (op != NULL) { /* rewritten in full, attributes in Pacemaker's order */
		xmlUnlinkNode(op);
		xmlFreeNode(op);
	}
	op = pl_xml_add_child(lr, "lrm_rsc_op");
	char *opkey = xasprintf("%s_%s_%lld", r->rsc, r->task, r->interval_ms);
	char *tkey =
	    xasprintf("%lld:-1:%d:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", r->call, r->target_rc);
	char *magic = xasprintf("0:%d;%s", r->rc, tkey);
	pl_xml_set_attr(op, "id", id);
	pl_xml_set_attr(op, "operation_key", opkey);
	pl_xml_set_attr(op, "operation", r->task);
	pl_xml_set_attr(op, "crm-debug-origin", "crm_simulate");
	pl_xml_set_attr(op, "crm_feature_set", PL_SIM_FEATURE_SET);
	pl_xml_set_attr(op, "transition-key", tkey);
	pl_xml_set_attr(op, "transition-magic", magic);
	pl_xml_set_attr(op, "exit-reason", r->reason);
	pl_xml_set_attr_int(op, "call-id", r->call);
	pl_xml_set_attr_int(op, "rc-code", r->rc);
	pl_xml_set_attr(op, "op-status", "0");
	pl_xml_set_attr_int(op, "interval", r->interval_ms);
	pl_xml_set_attr_int(op, "last-rc-change", r->now);
	pl_xml_set_attr(op, "exec-time", "0");
	pl_xml_set_attr(op, "queue-time", "0");
	if (r->digest)
		pl_xml_set_attr(op, "op-digest", r->digest);
	free(opkey);
	free(tkey);
	free(magic);
}

static void
record(xmlNode *lr, const struct sim_result *r)
{
	bool ok = r->rc == r->target_rc;
	char *fail = xasprintf("%s_last_failure_0", r->rsc);
	char *id = r->interval_ms > 0 ? xasprintf("%s_%s_%lld", r->rsc, r->task, r->interval_ms)
				      : xasprintf("%s_last_0", r->rsc);
	if (!ok && r->failure_first)
		record_op(lr, fail, r);
	if (ok || r->interval_ms == 0)
		record_op(lr, id, r);
	if (!ok && !r->failure_first)
		record_op(lr, fail, r);
	free(fail);
	free(id);
}

/* A failed result raises the node's fail count for that operation and stamps its time. */
static void
fail_count(xmlNode *ns, const struct sim_result *r, struct pl_buf *log)
{
	const char *node = pl_xml_id(ns);
	char *fc = xasprintf("fail-count-%s#%s_%lld", r->rsc, r->task, r->interval_ms);
	char *lf = xasprintf("last-failure-%s#%s_%lld", r->rsc, r->task, r->interval_ms);
	char *stamp = xasprintf("%lld", r->now);
	pl_buf_addf(log, "  * Injecting attribute %s=value++ into /node_state '%s'\n", fc, node);
	pl_buf_addf(log, "  * Injecting attribute %s=%s into /node_state '%s'\n", lf, stamp, node);
	char *count = node_attr(ns, node, fc, NULL);
	char *next = xasprintf("%lld", (count ? strtoll(count, NULL, 10) : 0) + 1);
	node_attr(ns, node, fc, next);
	node_attr(ns, node, lf, stamp);
	free(count);
	free(next);
	free(fc);
	free(lf);
	free(stamp);
}

static bool
inject_op(xmlNode *cib, xmlNode *status, const char *spec, long long now, struct pl_buf *log,
    struct pl_error *err)
{
	char *rsc, *task, *node;
	struct sim_result r = {
		.now = now, .reason = "Simulated action result", .failure_first = true
	};
	if (!parse_op(cib, spec, &rsc, &task, &r.interval_ms, &node, &r.rc, err))
		return false;
	xmlNode *res = pl_xml_first_child(pl_xml_first_child(cib, "configuration"), "resources");
	char *base = xstrdup(rsc), *colon = strchr(base, ':');
	if (pl_xml_find_id(res, "primitive", base) == NULL && colon)
		*colon = '\0';
	xmlNode *def = pl_xml_find_id(res, "primitive", base);
	xmlNode *ns = node_state(cib, status, node);
	r.rsc = rsc;
	r.task = task;
	bool ok = r.rc == 0 || (r.rc == 7 && r.interval_ms == 0 && !strcmp(task, "monitor"));
	if (!ok) /* the fail count first: a new node_state has it before its history */
		fail_count(ns, &r, log);
	xmlNode *lr = lrm_resource(ns, pl_xml_id(ns), rsc, pl_xml_attr(def, "class"),
	    pl_xml_attr(def, "provider"), pl_xml_attr(def, "type"));
	r.call = max_call_id(lr) + 1;
	r.target_rc = ok ? r.rc : 0;
	record(lr, &r);
	free(base);
	free(rsc);
	free(task);
	g_free(node);
	return true;
}

static void
set_option(xmlNode *cib, const char *name, const char *value)
{
	xmlNode *config = child(cib, "configuration");
	xmlNode *crm = child(config, "crm_config");
	xmlNode *set = pl_xml_find_id(crm, "cluster_property_set", "cib-bootstrap-options");
	if (set == NULL) {
		set = pl_xml_add_child(crm, "cluster_property_set");
		pl_xml_set_attr(set, "id", "cib-bootstrap-options");
	}
	char *id = xasprintf("cib-bootstrap-options-%s", name);
	xmlNode *nv = pl_xml_find_id(set, "nvpair", id);
	if (nv == NULL) {
		nv = pl_xml_add_child(set, "nvpair");
		pl_xml_set_attr(nv, "id", id);
		pl_xml_set_attr(nv, "name", name);
	}
	pl_xml_set_attr(nv, "value", value);
	free(id);
}

bool
sim_inject_empty(const struct sim_mods *m)
{
	/* as in Pacemaker, --quorum alone changes nothing: it rides along with the others */
	return !m->watchdog && !m->node_up->len && !m->node_down->len && !m->node_fail->len &&
	    !m->grant->len && !m->revoke->len && !m->standby->len && !m->activate->len &&
	    !m->op_inject->len;
}

bool
sim_inject(xmlDoc *doc, const struct sim_mods *m, long long now, struct pl_buf *log,
    struct sim_version *ver, struct pl_error *err)
{
	xmlNode *cib = pl_xml_root(doc);
	xmlNode *status = child(cib, "status");
	bool created;
	if (m->quorum) {
		pl_buf_addf(log, "  * Setting quorum: %s\n", m->quorum);
		pl_xml_set_attr(cib, "have-quorum", m->quorum);
	}
	if (m->watchdog) {
		pl_buf_addf(log, "  * Setting watchdog: %s\n", m->watchdog);
		set_option(cib, "have-watchdog", m->watchdog);
		bump_config(ver);
	}
	for (guint i = 0; i < m->node_up->len; i++) {
		const char *n = m->node_up->pdata[i];
		pl_buf_addf(log, "  * Bringing node %s online\n", n);
		config_node(cib, n, true, ver);
		set_node(
		    node_state_ex(cib, status, n, &created), "true", "online", "member", "member");
		ver->updates += created ? 2 : 1; /* a new node_state is created, then set */
	}
	for (guint i = 0; i < m->node_down->len; i++) {
		const char *n = m->node_down->pdata[i];
		pl_buf_addf(log, "  * Taking node %s offline\n", n);
		config_node(cib, n, true, ver);
		xmlNode *ns = node_state_ex(cib, status, n, &created);
		set_node(ns, "false", "offline", "down", "down");
		ver->updates += created ? 2 : 1;
		/* a clean shutdown: the node's history goes with it */
		for (xmlNode *c = ns->children, *next; c; c = next) {
			next = c->next;
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	for (guint i = 0; i < m->node_fail->len; i++) {
		const char *n = m->node_fail->pdata[i];
		pl_buf_addf(log, "  * Failing node %s\n", n);
		config_node(cib, n, true, ver);
		set_node(
		    node_state_ex(cib, status, n, &created), "false", "online", "member", "member");
		ver->updates += created ? 2 : 1;
	}
	for (guint i = 0; i < m->grant->len; i++) {
		pl_buf_addf(log, "  * Granting ticket %s\n", (char *)m->grant->pdata[i]);
		ticket(status, m->grant->pdata[i], "granted", "true");
		ver->updates++;
	}
	for (guint i = 0; i < m->revoke->len; i++) {
		pl_buf_addf(log, "  * Revoking ticket %s\n", (char *)m->revoke->pdata[i]);
		ticket(status, m->revoke->pdata[i], "granted", "false");
		ver->updates++;
	}
	for (guint i = 0; i < m->standby->len; i++) {
		pl_buf_addf(log, "  * Making ticket %s standby\n", (char *)m->standby->pdata[i]);
		ticket(status, m->standby->pdata[i], "standby", "true");
		ver->updates++;
	}
	for (guint i = 0; i < m->activate->len; i++) {
		pl_buf_addf(log, "  * Activating ticket %s\n", (char *)m->activate->pdata[i]);
		ticket(status, m->activate->pdata[i], "standby", "false");
		ver->updates++;
	}
	for (guint i = 0; i < m->op_inject->len; i++) {
		const char *spec = m->op_inject->pdata[i];
		pl_buf_addf(log, "  * Injecting %s into the configuration\n", spec);
		if (!inject_op(cib, status, spec, now, log, err))
			return false;
		ver->updates++;
	}
	return true;
}

bool
sim_parse_fails(xmlDoc *doc, char **specs, struct pl_pengine_op_fail **out, int *n,
    GPtrArray *strings, struct pl_error *err)
{
	int count = 0;
	while (specs && specs[count])
		count++;
	*out = count ? xcalloc((size_t)count, sizeof(**out)) : NULL;
	*n = 0;
	for (int i = 0; i < count; i++) {
		struct pl_pengine_op_fail *f = &(*out)[i];
		char *rsc, *task, *node;
		if (!parse_op(pl_xml_root(doc), specs[i], &rsc, &task, &f->interval_ms, &node,
			&f->rc, err))
			return false;
		g_ptr_array_add(strings, rsc);
		g_ptr_array_add(strings, task);
		char *nd = xstrdup(node);
		g_free(node);
		g_ptr_array_add(strings, nd);
		f->rsc = rsc;
		f->task = task;
		f->node = nd;
		(*n)++;
	}
	return true;
}

struct record_ctx {
	xmlNode *cib, *status;
	long long now;
	struct pl_buf *log;
	struct sim_version *ver;
};

static void
record_one(const struct pl_pengine_exec_op *op, void *ud)
{
	struct record_ctx *c = ud;
	if (op->kind == PL_EXEC_FENCE) { /* the node is down, its history gone */
		xmlNode *ns = node_state(c->cib, c->status, op->node);
		set_node(ns, "false", "offline", "down", "down");
		for (xmlNode *ch = ns->children, *next; ch; ch = next) {
			next = ch->next;
			xmlUnlinkNode(ch);
			xmlFreeNode(ch);
		}
		c->ver->updates++;
		return;
	}
	if (op->kind != PL_EXEC_RSC)
		return;
	xmlNode *ns = node_state(c->cib, c->status, op->node);
	xmlNode *lr =
	    lrm_resource(ns, pl_xml_id(ns), op->rsc, op->rsc_class, op->rsc_provider, op->rsc_type);
	struct sim_result r = { .rsc = op->rsc,
		.task = op->task,
		.interval_ms = op->interval_ms,
		.rc = op->rc,
		.target_rc = op->target_rc,
		.call = max_call_id(lr) + 1,
		.reason = op->rc == op->target_rc ? "" : "User-injected result",
		.digest = op->digest[0] ? op->digest : NULL,
		.now = c->now };
	record(lr, &r);
	if (op->rc != op->target_rc)
		fail_count(ns, &r, c->log);
	c->ver->updates++;
}

void
sim_record(xmlDoc *doc, struct pl_pengine_run *run, long long now, struct pl_buf *log,
    struct sim_version *ver)
{
	struct record_ctx c = { pl_xml_root(doc), NULL, now, log, ver };
	c.status = child(c.cib, "status");
	pl_pengine_exec_each(run, record_one, &c);
}

void
sim_version_apply(xmlDoc *doc, const struct sim_version *ver)
{
	xmlNode *cib = pl_xml_root(doc);
	long long epoch = 0, updates = 0;
	pl_xml_attr_int(cib, "epoch", 0, &epoch, NULL);
	pl_xml_attr_int(cib, "num_updates", 0, &updates, NULL);
	if (ver->epochs) {
		pl_xml_set_attr_int(cib, "epoch", epoch + ver->epochs);
		updates = 0;
	}
	pl_xml_set_attr_int(cib, "num_updates", updates + ver->updates);
}
