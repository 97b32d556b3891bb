/*
 * simulate_inject.c - crm_simulate's what-if changes to a CIB before it is scheduled, in
 * Pacemaker 2.1.5's order and wording ("Performing Requested Modifications:"): quorum,
 * watchdog, nodes up/down/failed, tickets granted/revoked/standby/activated, injected
 * operation results. Each change edits the status (or crm_config) as Pacemaker's
 * crm_simulate does, so the written CIB (-O) carries it too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "simulate_inject.h"

static xmlNode *
child(xmlNode *parent, const char *name)
{
	xmlNode *c = pl_xml_first_child(parent, name);
	return c ? c : pl_xml_add_child(parent, name);
}

static xmlNode *
node_state(xmlNode *status, const char *uname)
{
	PL_XML_FOREACH_CHILD(status, "node_state", ns)
	{
		const char *u = pl_xml_attr(ns, "uname");
		if ((u && !strcmp(u, uname)) || !g_strcmp0(pl_xml_id(ns), uname))
			return ns;
	}
	xmlNode *ns = pl_xml_add_child(status, "node_state");
	pl_xml_set_attr(ns, "id", uname);
	pl_xml_set_attr(ns, "uname", uname);
	return ns;
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
		pl_error_set(err, PL_EXIT_USAGE, "'%s': the result '%s' is not a number", spec, eq + 1);
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
		char *id = xasprintf("status-%s", node);
		pl_xml_set_attr(ia, "id", id);
		free(id);
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
	char *id = xasprintf("status-%s-%s", node, name);
	pl_xml_set_attr(nv, "id", id);
	pl_xml_set_attr(nv, "name", name);
	pl_xml_set_attr(nv, "value", value);
	free(id);
	return NULL;
}

static long long
max_call_id(xmlNode *lrm_resources)
{
	long long m = 0, v;
	PL_XML_FOREACH_CHILD(lrm_resources, "lrm_resource", lr)
	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
	if (pl_xml_attr_int(op, "call-id", 0, &v, NULL) && v > m)
		m = v;
	return m;
}

static void record(xmlNode *lr, const char *id, const char *opkey, const char *task,
    const char *node, long long call, int rc, long long interval_ms, long long now);

static bool
inject_op(xmlNode *cib, xmlNode *status, const char *spec, long long now, struct pl_buf *log,
    struct pl_error *err)
{
	char *rsc, *task, *node;
	long long interval_ms;
	int rc;
	if (!parse_op(cib, spec, &rsc, &task, &interval_ms, &node, &rc, err))
		return false;
	xmlNode *res = pl_xml_first_child(pl_xml_first_child(cib, "configuration"), "resources");
	xmlNode *def = pl_xml_find_id(res, "primitive", rsc);
	xmlNode *ns = node_state(status, node);
	xmlNode *lrm = child(ns, "lrm");
	if (pl_xml_id(lrm) == NULL)
		pl_xml_set_attr(lrm, "id", node);
	xmlNode *lrs = child(lrm, "lrm_resources");
	/* the history of a clone instance under its own name ("id:N") is that instance's */
	char *at = strchr(spec, '@'), *us = NULL;
	char *named = at ? g_strndup(spec, (gsize)(at - spec)) : NULL;
	for (int k = 0; named && k < 2 && (us = strrchr(named, '_')) != NULL; k++)
		*us = '\0';
	xmlNode *lr = named && strcmp(named, rsc) != 0 ? pl_xml_find_id(lrs, "lrm_resource", named) : NULL;
	if (lr != NULL) {
		free(rsc);
		rsc = xstrdup(named);
	} else {
		lr = pl_xml_find_id(lrs, "lrm_resource", rsc);
	}
	g_free(named);
	if (lr == NULL) {
		lr = pl_xml_add_child(lrs, "lrm_resource");
		pl_xml_set_attr(lr, "id", rsc);
		pl_xml_set_attr(lr, "class", pl_xml_attr(def, "class"));
		pl_xml_set_attr(lr, "provider", pl_xml_attr(def, "provider"));
		pl_xml_set_attr(lr, "type", pl_xml_attr(def, "type"));
	}
	long long call = max_call_id(lrs) + 1;
	bool ok = rc == 0 || (rc == 7 && interval_ms == 0 && !strcmp(task, "monitor"));
	char *opkey = xasprintf("%s_%s_%lld", rsc, task, interval_ms);
	/* a result is recorded as the last one (recurring: under its key), a failure also as
	 * the last failure, with the node's fail count raised */
	if (!ok) {
		char *last = interval_ms > 0 ? NULL : xasprintf("%s_last_0", rsc);
		if (last)
			record(lr, last, opkey, task, node, call, rc, interval_ms, now);
		free(last);
		char *fc = xasprintf("fail-count-%s#%s_%lld", rsc, task, interval_ms);
		char *lf = xasprintf("last-failure-%s#%s_%lld", rsc, task, interval_ms);
		char *stamp = xasprintf("%lld", (long long)time(NULL));
		pl_buf_addf(log, "  * Injecting attribute %s=value++ into /node_state '%s'\n", fc, node);
		pl_buf_addf(log, "  * Injecting attribute %s=%s into /node_state '%s'\n", lf, stamp,
		    node);
		char *count = node_attr(ns, node, fc, NULL);
		char *next = xasprintf("%lld", (count ? strtoll(count, NULL, 10) : 0) + 1);
		node_attr(ns, node, fc, next);
		node_attr(ns, node, lf, stamp);
		free(next);
		free(fc);
		free(lf);
		free(stamp);
	}
	char *id = interval_ms > 0 && ok ? xstrdup(opkey)
	    : ok		     ? xasprintf("%s_last_0", rsc)
				     : xasprintf("%s_last_failure_0", rsc);
	record(lr, id, opkey, task, node, call, rc, interval_ms, now);
	free(opkey);
	free(id);
	free(rsc);
	free(task);
	g_free(node);
	return true;
}

/* one lrm_rsc_op, added or overwritten */
static void
record(xmlNode *lr, const char *id, const char *opkey, const char *task, const char *node,
    long long call, int rc, long long interval_ms, long long now)
{
	xmlNode *op = pl_xml_find_id(lr, "lrm_rsc_op", id);
	if (op == NULL) {
		op = pl_xml_add_child(lr, "lrm_rsc_op");
		pl_xml_set_attr(op, "id", id);
	}
	char *tkey = xasprintf("%lld:-1:0:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", call);
	char *magic = xasprintf("0:%d;%s", rc, tkey);
	pl_xml_set_attr(op, "operation_key", opkey);
	pl_xml_set_attr(op, "operation", task);
	pl_xml_set_attr(op, "crm-debug-origin", "crm_simulate");
	pl_xml_set_attr(op, "transition-key", tkey);
	pl_xml_set_attr(op, "transition-magic", magic);
	pl_xml_set_attr(op, "exit-reason", "Simulated action result");
	pl_xml_set_attr(op, "on_node", node);
	pl_xml_set_attr_int(op, "call-id", call);
	pl_xml_set_attr_int(op, "rc-code", rc);
	pl_xml_set_attr(op, "op-status", "0");
	pl_xml_set_attr_int(op, "interval", interval_ms);
	pl_xml_set_attr_int(op, "last-rc-change", now);
	pl_xml_set_attr(op, "exec-time", "0");
	pl_xml_set_attr(op, "queue-time", "0");
	free(tkey);
	free(magic);
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
	return !m->watchdog && !m->node_up->len && !m->node_down->len &&
	    !m->node_fail->len && !m->grant->len && !m->revoke->len && !m->standby->len &&
	    !m->activate->len && !m->op_inject->len;
}

bool
sim_inject(xmlDoc *doc, const struct sim_mods *m, long long now, struct pl_buf *log,
    struct pl_error *err)
{
	xmlNode *cib = pl_xml_root(doc);
	xmlNode *status = child(cib, "status");
	if (m->quorum) {
		pl_buf_addf(log, "  * Setting quorum: %s\n", m->quorum);
		pl_xml_set_attr(cib, "have-quorum", m->quorum);
	}
	if (m->watchdog) {
		pl_buf_addf(log, "  * Setting watchdog: %s\n", m->watchdog);
		set_option(cib, "have-watchdog", m->watchdog);
	}
	for (guint i = 0; i < m->node_up->len; i++) {
		const char *n = m->node_up->pdata[i];
		pl_buf_addf(log, "  * Bringing node %s online\n", n);
		set_node(node_state(status, n), "true", "online", "member", "member");
	}
	for (guint i = 0; i < m->node_down->len; i++) {
		const char *n = m->node_down->pdata[i];
		pl_buf_addf(log, "  * Taking node %s offline\n", n);
		xmlNode *ns = node_state(status, n);
		set_node(ns, "false", "offline", "down", "down");
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
		set_node(node_state(status, n), "false", "online", "member", "member");
	}
	for (guint i = 0; i < m->grant->len; i++) {
		pl_buf_addf(log, "  * Granting ticket %s\n", (char *)m->grant->pdata[i]);
		ticket(status, m->grant->pdata[i], "granted", "true");
	}
	for (guint i = 0; i < m->revoke->len; i++) {
		pl_buf_addf(log, "  * Revoking ticket %s\n", (char *)m->revoke->pdata[i]);
		ticket(status, m->revoke->pdata[i], "granted", "false");
	}
	for (guint i = 0; i < m->standby->len; i++) {
		pl_buf_addf(log, "  * Making ticket %s standby\n", (char *)m->standby->pdata[i]);
		ticket(status, m->standby->pdata[i], "standby", "true");
	}
	for (guint i = 0; i < m->activate->len; i++) {
		pl_buf_addf(log, "  * Activating ticket %s\n", (char *)m->activate->pdata[i]);
		ticket(status, m->activate->pdata[i], "standby", "false");
	}
	for (guint i = 0; i < m->op_inject->len; i++) {
		const char *spec = m->op_inject->pdata[i];
		pl_buf_addf(log, "  * Injecting %s into the configuration\n", spec);
		if (!inject_op(cib, status, spec, now, log, err))
			return false;
	}
	return true;
}
