/*
 * status_mon_xml.c - crm_mon --output-as=xml: Pacemaker 2.1.5's status document
 * (<pacemaker-result api-version="2.25">: summary, nodes, resources, node_attributes,
 * node_history, failures, bans, status), which crmsh, pcs and ha_cluster_exporter parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "status_mon.h"

static xmlNode *
child(xmlNode *parent, const char *name)
{
	return xmlNewChild(parent, NULL, BAD_CAST name, NULL);
}

static void
set(xmlNode *x, const char *name, const char *value)
{
	xmlNewProp(x, BAD_CAST name, BAD_CAST(value ? value : ""));
}

static void
setb(xmlNode *x, const char *name, bool v)
{
	set(x, name, v ? "true" : "false");
}

static void
seti(xmlNode *x, const char *name, long long v)
{
	char b[32];
	snprintf(b, sizeof(b), "%lld", v);
	set(x, name, b);
}

static void
summary(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	GHashTable *opt = mon_cluster_options(ws);
	xmlNode *s = child(root, "summary"), *x;
	const char *v;
	if (o->show & PL_MON_STACK) {
		v = g_hash_table_lookup(opt, "cluster-infrastructure");
		set(child(s, "stack"), "type", v ? v : "unknown");
	}
	if (o->show & PL_MON_DC) {
		struct pengine_node *dc = mon_dc(ws);
		x = child(s, "current_dc");
		setb(x, "present", dc != NULL);
		if (dc) {
			v = g_hash_table_lookup(opt, "dc-version");
			set(x, "version", v ? v : "");
			set(x, "name", dc->uname);
			set(x, "id", dc->id);
			setb(x, "with_quorum", ws->have_quorum);
			setb(x, "mixed_version", mon_mixed_version(ws));
		}
	}
	if (o->show & PL_MON_TIMES) {
		char now[64];
		mon_ctime(o->now, now, sizeof(now));
		set(child(s, "last_update"), "time", now);
		x = child(s, "last_change");
		set(x, "time", pl_xml_attr(ws->cib, "cib-last-written"));
		set(x, "user", pl_xml_attr(ws->cib, "update-user"));
		set(x, "client", pl_xml_attr(ws->cib, "update-client"));
		set(x, "origin", pl_xml_attr(ws->cib, "update-origin"));
	}
	if (o->show & PL_MON_COUNTS) {
		int total, disabled, blocked;
		mon_rsc_counts(ws, &total, &disabled, &blocked);
		seti(child(s, "nodes_configured"), "number", ws->n_nodes);
		x = child(s, "resources_configured");
		seti(x, "number", total);
		seti(x, "disabled", disabled);
		seti(x, "blocked", blocked);
	}
	if (o->show & PL_MON_OPTIONS) {
		x = child(s, "cluster_options");
		setb(x, "stonith-enabled", ws->stonith_enabled);
		setb(x, "symmetric-cluster", ws->symmetric);
		static const char *const nqp[] = { "stop", "ignore", "freeze", "suicide", "demote" };
		set(x, "no-quorum-policy", nqp[ws->no_quorum_policy]);
		setb(x, "maintenance-mode", ws->maintenance);
		setb(x, "stop-all-resources", ws->stop_all);
		v = g_hash_table_lookup(opt, "stonith-timeout");
		seti(x, "stonith-timeout-ms", v ? pengine_interval_ms(v) : 60000);
		v = g_hash_table_lookup(opt, "priority-fencing-delay");
		seti(x, "priority-fencing-delay-ms", v ? pengine_interval_ms(v) : 0);
	}
	g_hash_table_destroy(opt);
}

static int
running_count(struct pengine_ws *ws, struct pengine_node *n)
{
	int k = 0;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE)
			continue;
		for (int j = 0; j < r->n_running; j++)
			if (r->running[j] == n)
				k++;
	}
	return k;
}

static void primitive(struct pengine_ws *ws, const struct pengine_rsc *r,
    const struct pl_mon_opts *o, xmlNode *parent);

static void
nodes(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	xmlNode *ns = child(root, "nodes");
	struct pengine_node *dc = mon_dc(ws);
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		bool compact;
		if (!mon_node_shown(ws, o, n))
			continue;
		const char *st = mon_node_state(ws, n, &compact);
		xmlNode *x = child(ns, "node");
		set(x, "name", n->uname);
		set(x, "id", n->id);
		/* Pacemaker shows a pending node in standby (online when in membership:
		 * unpack_status.c decides); an offline node only with a node_state; a shutdown
		 * request on any node, and such a node is not expected up */
		bool online = n->online;
		setb(x, "online", online);
		const char *sd = g_hash_table_lookup(n->attrs, "shutdown");
		bool shutdown = n->shutdown || (sd && strcmp(sd, "0"));
		setb(x, "standby", (n->standby && (n->online || n->seen)) || n->pending);
		setb(x, "standby_onfail", false);
		setb(x, "maintenance", n->maintenance);
		setb(x, "pending", n->pending);
		setb(x, "unclean", (n->unclean && !n->fence_scheduled) || mon_ticket_fences(ws, n));
		set(x, "health",
		    strstr(st, "RED")	       ? "red"
			: strstr(st, "YELLOW") ? "yellow"
					       : "green");
		if (!n->remote && online) {
			const char *fs = g_hash_table_lookup(n->attrs, "#feature-set");
			set(x, "feature_set", fs ? fs : "<3.15.1");
		}
		setb(x, "shutdown", shutdown);
		setb(x, "expected_up", n->expected_up && !shutdown);
		setb(x, "is_dc", n == dc);
		seti(x, "resources_running", running_count(ws, n));
		set(x, "type", n->remote ? "remote" : "member");
		if (n->remote && n->conn && strcmp(n->conn, n->id)) /* a guest's container */
			set(x, "id_as_resource", n->conn);
		if (o->by_node) { /* --group-by-node: what runs there, inside the node */
			GPtrArray *here = mon_node_running(ws, o, n);
			for (guint k = 0; k < here->len; k++)
				primitive(ws, here->pdata[k], o, x);
			g_ptr_array_free(here, true);
		}
	}
}

/* target-role as configured, inherited from the parents */
static const char *
target_role(const struct pengine_rsc *r)
{
	for (; r; r = r->parent) {
		const char *v = g_hash_table_lookup(r->meta, "target-role");
		if (v && !strcmp(v, "#default"))
			return NULL;
		if (v)
			return v;
	}
	return NULL;
}

static void
primitive(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    xmlNode *parent)
{
	xmlNode *x = child(parent, "resource");
	struct pl_buf agent = PL_BUF_INIT;
	pl_buf_addf(&agent, "%s", r->cls ? r->cls : "");
	if (r->provider)
		pl_buf_addf(&agent, ":%s", r->provider);
	pl_buf_addf(&agent, ":%s", r->type ? r->type : "");
	set(x, "id", mon_rsc_name(r, o->details));
	set(x, "resource_agent", pl_buf_str(&agent));
	pl_buf_free(&agent);
	enum pengine_role role = r->n_running == 0 ? ROLE_STOPPED
	    : r->role <= ROLE_STOPPED		   ? ROLE_STARTED
						   : r->role;
	const char *pend = NULL; /* an action in flight shows as the role ("Starting") */
	for (int i = 0; o->pending && i < r->n_running && !pend; i++) {
		const char *p = r->pn[r->running[i]->idx].pending;
		pend = !p		    ? NULL
		    : !strcmp(p, "start")   ? "Starting"
		    : !strcmp(p, "stop")    ? "Stopping"
		    : !strcmp(p, "promote") ? "Promoting"
		    : !strcmp(p, "demote")  ? "Demoting"
		    : !strcmp(p, "migrate") ? "Migrating"
					    : NULL;
	}
	set(x, "role", pend ? pend : pengine_role_str(role));
	if (target_role(r))
		set(x, "target_role", target_role(r));
	setb(x, "active", mon_rsc_active(r, true));
	setb(x, "orphaned", r->orphan);
	bool frozen = r->n_running > 0 && mon_ticket_frozen(ws, r);
	setb(x, "blocked", mon_rsc_blocked(r) || frozen);
	setb(x, "managed", r->managed && !mon_rsc_blocked(r) && !frozen); /* blocked */
	setb(x, "failed", r->failed);
	setb(x, "failure_ignored", r->failure_ignored);
	seti(x, "nodes_running_on", r->n_running);
	for (int i = 0; i < r->n_running; i++) {
		const char *p = r->pn[r->running[i]->idx].pending;
		if (p && o->pending && !strcmp(p, "monitor")) {
			set(x, "pending", "Monitoring");
			break;
		}
	}
	for (int i = 0; i < r->n_running; i++) {
		xmlNode *n = child(x, "node");
		set(n, "name", r->running[i]->uname);
		set(n, "id", r->running[i]->id);
		setb(n, "cached", r->running[i]->online); /* Pacemaker's "cached": the node is online */
	}
}

static void
resource(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    xmlNode *parent, bool check_parent)
{
	if (mon_rsc_hidden(ws, o, r, check_parent))
		return;
	bool all = mon_rsc_everything(ws, o, r);
	struct pl_mon_opts unfiltered = *o; /* a named collective shows all of itself */
	if (all && o->only_rsc) {
		unfiltered.only_rsc = NULL;
		o = &unfiltered;
	}
	if (r->kind == KIND_PRIMITIVE) {
		primitive(ws, r, o, parent);
	} else if (r->kind == KIND_GROUP) {
		xmlNode *x = child(parent, "group");
		set(x, "id", r->id);
		seti(x, "number_resources", r->n_children);
		setb(x, "managed", r->managed);
		setb(x, "disabled", mon_rsc_disabled(r));
		for (int i = 0; i < r->n_children; i++)
			resource(ws, r->children[i], o, x, all);
	} else if (r->kind == KIND_CLONE) {
		xmlNode *x = child(parent, "clone");
		set(x, "id", r->id);
		setb(x, "multi_state", r->promotable);
		setb(x, "unique", r->unique);
		setb(x, "managed", r->managed);
		setb(x, "disabled", mon_rsc_disabled(r));
		/* the clone's own failure flag, never its instances' (Pacemaker's unpacking
		 * only ever sets it on primitives) */
		setb(x, "failed", false);
		bool ignored = false;
		for (int i = 0; i < r->n_children; i++)
			ignored |= r->children[i]->failure_ignored;
		setb(x, "failure_ignored", ignored);
		/* without its own, a clone shows its instances' target-role */
		const char *tr = target_role(r);
		if (tr == NULL && r->n_children > 0)
			tr = target_role(r->children[0]);
		if (tr)
			set(x, "target_role", tr);
		/* active instances first (by node), then the inactive ones, then the orphans
		 * (instances beyond clone-max) in the order they were made */
		for (int pass = 0; pass < 3; pass++)
			for (int i = 0; i < r->n_children; i++) {
				const struct pengine_rsc *ch = r->children[i];
				/* a unique clone's instances keep their numbers' order */
				int p = ch->orphan ? 2 : (ch->n_running > 0 || r->unique) ? 0 : 1;
				if (p == pass &&
				    (ch->n_running == 0 || mon_rsc_on_shown_node(ws, o, ch)))
					resource(ws, ch, o, x, all);
			}
	} else {
		xmlNode *x = child(parent, "bundle");
		set(x, "id", r->id);
		set(x, "type", r->container_type ? r->container_type : "docker");
		set(x, "image", r->image ? r->image : "");
		setb(x, "unique", r->unique);
		setb(x, "managed", r->managed);
		setb(x, "failed", false); /* its own flag, as a clone's */
		for (int i = 0; i < r->n_replicas; i++) {
			struct pengine_replica *rp = &r->replicas[i];
			struct pengine_rsc *parts[] = { rp->ip, rp->child, rp->container, rp->remote };
			xmlNode *rx = NULL;
			if (rp->container->n_running > 0 &&
			    !mon_rsc_on_shown_node(ws, o, rp->container))
				continue; /* --node: its container runs elsewhere */
			for (size_t k = 0; k < 4; k++) {
				if (parts[k] == NULL || mon_rsc_hidden(ws, o, parts[k], all))
					continue;
				if (rx == NULL) {
					rx = child(x, "replica");
					seti(rx, "id", i);
				}
				primitive(ws, parts[k], o, rx);
			}
		}
	}
}

void
mon_resource_xml(struct pengine_ws *ws, const struct pengine_rsc *r, const struct pl_mon_opts *o,
    xmlNode *parent)
{
	resource(ws, r, o, parent, true);
}

static void
resources(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	xmlNode *rs = child(root, "resources");
	for (int i = 0; i < ws->n_top; i++) {
		struct pengine_rsc *r = ws->top[i];
		if (!o->inactive && !mon_rsc_active(r, false))
			continue;
		if (!mon_top_shown(ws, o, r))
			continue;
		if (o->by_node && mon_rsc_active(r, true)) /* listed inside their nodes */
			continue;
		resource(ws, r, o, rs, true);
	}
}

static void
attributes(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	xmlNode *na = NULL;
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		if (!n->online || !mon_node_shown(ws, o, n))
			continue;
		GPtrArray *names = mon_node_attr_names(n);
		if (names->len) {
			if (na == NULL)
				na = child(root, "node_attributes");
			xmlNode *x = child(na, "node");
			set(x, "name", n->uname);
			for (guint j = 0; j < names->len; j++) {
				xmlNode *a = child(x, "attribute");
				const char *val = g_hash_table_lookup(n->attrs, names->pdata[j]);
				set(a, "name", names->pdata[j]);
				set(a, "value", val);
				int exp = mon_ping_expected(ws, n, names->pdata[j]);
				if (exp >= 0)
					seti(a, "expected", exp);
			}
		}
		g_ptr_array_free(names, true);
	}
}

static void
history(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	xmlNode *nh = NULL;
	PL_XML_FOREACH_CHILD(ws->status, "node_state", st)
	{
		struct pengine_node *n = NULL;
		for (int i = 0; pl_xml_id(st) && i < ws->n_nodes && !n; i++)
			if (!strcmp(ws->nodes[i]->id, pl_xml_id(st)))
				n = ws->nodes[i];
		if (n == NULL || !n->online || !mon_node_shown(ws, o, n))
			continue;
		if (nh == NULL)
			nh = child(root, "node_history");
		xmlNode *xn = NULL;
		xmlNode *lrm = pl_xml_first_child(st, "lrm");
		xmlNode *lrs = lrm ? pl_xml_first_child(lrm, "lrm_resources") : NULL;
		PL_XML_FOREACH_CHILD(lrs, "lrm_resource", lr)
		{
			const char *rid = pl_xml_id(lr);
			if (rid == NULL)
				continue;
			struct pengine_rsc *r = mon_history_rsc(ws, n, rid);
			long long last = 0;
			if (!mon_history_shown(ws, o, n, rid))
				continue;
			int fc = mon_node_failcount(n, r ? mon_rsc_name(r, false) : rid, &last);
			GPtrArray *ops = mon_history_ops(lr);
			if (ops->len == 0) {
				g_ptr_array_free(ops, true);
				continue;
			}
			if (xn == NULL) {
				xn = child(nh, "node");
				set(xn, "name", n->uname);
			}
			xmlNode *rh = child(xn, "resource_history");
			set(rh, "id", r ? mon_rsc_name(r, o->details) : rid);
			setb(rh, "orphan", r == NULL);
			seti(rh, "migration-threshold", r ? r->migration_threshold : 1000000);
			if (fc > 0) {
				seti(rh, "fail-count", fc);
				if (last > 0) {
					char b[64];
					mon_ctime(last, b, sizeof(b));
					set(rh, "last-failure", b);
				}
			}
			for (guint i = 0; i < ops->len; i++) {
				xmlNode *op = ops->pdata[i], *x = child(rh, "operation_history");
				const char *task = pl_xml_attr(op, "operation");
				long long iv = 0, rc = 0, t;
				pl_xml_attr_int(op, "interval", 0, &iv, NULL);
				pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
				if (rc < 0)
					rc = 0; /* as Pacemaker reads it (pending) */
				set(x, "call", pl_xml_attr(op, "call-id"));
				set(x, "task", !strcmp(task, "monitor") && iv == 0 ? "probe" : task);
				seti(x, "rc", rc);
				set(x, "rc_text", mon_ocf_str((int)rc));
				if (iv > 0) {
					char b[32];
					snprintf(b, sizeof(b), "%lldms", iv);
					set(x, "interval", b);
				}
				if (pl_xml_attr(op, "last-rc-change") &&
				    pl_xml_attr_int(op, "last-rc-change", 0, &t, NULL) && t > 0) {
					char b[64];
					mon_ctime(t, b, sizeof(b));
					set(x, "last-rc-change", b);
				}
				const char *et = pl_xml_attr(op, "exec-time"),
					   *qt = pl_xml_attr(op, "queue-time");
				if (et) {
					char b[32];
					snprintf(b, sizeof(b), "%sms", et);
					set(x, "exec-time", b);
				}
				if (qt) {
					char b[32];
					snprintf(b, sizeof(b), "%sms", qt);
					set(x, "queue-time", b);
				}
			}
			g_ptr_array_free(ops, true);
		}
	}
}

static void
failures(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	xmlNode *fs = NULL;
	if (ws->failed_ops == NULL)
		return;
	for (xmlNode *op = ws->failed_ops->children; op; op = op->next) {
		if (!mon_failure_shown(ws, o, op))
			continue;
		if (fs == NULL)
			fs = child(root, "failures");
		xmlNode *x = child(fs, "failure");
		const char *key = pl_xml_attr(op, "operation_key");
		const char *reason = pl_xml_attr(op, "exit-reason");
		long long rc = 0, st = 0, lrc;
		pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
		pl_xml_attr_int(op, "op-status", 0, &st, NULL);
		set(x, key ? "op_key" : "id", key ? key : pl_xml_id(op));
		set(x, "node", pl_xml_attr(op, "on_node"));
		set(x, "exitstatus", mon_ocf_str((int)rc));
		/* Pacemaker escapes the reason before setting it: its markup comes out twice
		 * escaped ("&amp;lt;") */
		struct pl_buf esc = PL_BUF_INIT;
		pengine_buf_add_escaped(&esc, reason ? reason : "none");
		set(x, "exitreason", pl_buf_str(&esc));
		pl_buf_free(&esc);
		seti(x, "exitcode", rc);
		set(x, "call", pl_xml_attr(op, "call-id"));
		set(x, "status", st == 0 ? "complete" : mon_exec_str((int)st));
		if (pl_xml_attr(op, "last-rc-change") &&
		    pl_xml_attr_int(op, "last-rc-change", 0, &lrc, NULL)) {
			char b[64];
			time_t tt = (time_t)lrc;
			struct tm tm;
			localtime_r(&tt, &tm);
			strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%SZ", &tm);
			set(x, "last-rc-change", b);
			if (pl_xml_attr(op, "queue-time"))
				set(x, "queued", pl_xml_attr(op, "queue-time"));
			if (pl_xml_attr(op, "exec-time"))
				set(x, "exec", pl_xml_attr(op, "exec-time"));
			set(x, "interval",
			    pl_xml_attr(op, "interval") ? pl_xml_attr(op, "interval") : "0");
			set(x, "task", pl_xml_attr(op, "operation"));
		}
	}
}

static void
ban(xmlNode **bs, xmlNode *root, const char *id, const char *rsc, const char *node, int score,
    const char *role)
{
	if (*bs == NULL)
		*bs = child(root, "bans");
	xmlNode *x = child(*bs, "ban");
	bool promoted = !g_strcmp0(role, "Promoted") || !g_strcmp0(role, "Master");
	set(x, "id", id);
	set(x, "resource", rsc);
	set(x, "node", node);
	seti(x, "weight", score);
	setb(x, "promoted-only", promoted);
	setb(x, "master_only", promoted);
}

struct ban_arg {
	xmlNode *root, *bs;
};

static void
ban_xml(void *arg, const char *id, const char *rsc, const char *node, int score, const char *role)
{
	struct ban_arg *a = arg;
	ban(&a->bs, a->root, id, rsc, node, score, role);
}

static void
bans(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	struct ban_arg a = { root, NULL };
	mon_each_ban(ws, o, ban_xml, &a);
}

struct ticket_arg {
	xmlNode *root, *ts;
};

static void
ticket_xml(void *arg, const char *id, xmlNode *t)
{
	struct ticket_arg *a = arg;
	if (a->ts == NULL)
		a->ts = child(a->root, "tickets");
	xmlNode *x = child(a->ts, "ticket");
	set(x, "id", id);
	set(x, "status", t && pengine_is_true(pl_xml_attr(t, "granted")) ? "granted" : "revoked");
	setb(x, "standby", t && pengine_is_true(pl_xml_attr(t, "standby")));
	long long lg;
	if (t && pl_xml_attr(t, "last-granted") && pl_xml_attr_int(t, "last-granted", 0, &lg, NULL)) {
		char b[64];
		mon_ctime(lg, b, sizeof(b));
		set(x, "last-granted", b);
	}
}

static void
tickets(struct pengine_ws *ws, xmlNode *root)
{
	struct ticket_arg a = { root, NULL };
	mon_each_ticket(ws, ticket_xml, &a);
}

void
pl_pengine_mon_xml(struct pl_pengine_run *run, const struct pl_mon_opts *o, struct pl_buf *out)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *root = xmlNewDocNode(doc, NULL, BAD_CAST "pacemaker-result", NULL);
	xmlDocSetRootElement(doc, root);
	set(root, "api-version", "2.25");
	set(root, "request", o->request ? o->request : "crm_mon --output-as=xml");
	if (o->show & PL_MON_SUMMARY)
		summary(ws, o, root);
	if (o->show & PL_MON_NODES)
		nodes(ws, o, root);
	if (o->show & PL_MON_RESOURCES)
		resources(ws, o, root);
	if (o->show & PL_MON_ATTRIBUTES)
		attributes(ws, o, root);
	if (o->show & (PL_MON_OPERATIONS | PL_MON_FAILCOUNTS))
		history(ws, o, root);
	if (o->show & PL_MON_FAILURES)
		failures(ws, o, root);
	mon_fence_xml(ws, o, root);
	if (o->show & PL_MON_TICKETS)
		tickets(ws, root);
	if (o->show & PL_MON_BANS)
		bans(ws, o, root);
	xmlNode *s = child(root, "status");
	set(s, "code", "0");
	set(s, "message", "OK");
	char *text = pl_xml_dump(root, true);
	pl_buf_add(out, text);
	if (out->len && out->s[out->len - 1] != '\n')
		pl_buf_add(out, "\n");
	free(text);
	xmlFreeDoc(doc);
}
