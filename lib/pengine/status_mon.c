/*
 * status_mon.c - crm_mon's text view of an unpacked cluster, in Pacemaker 2.1.5's wording:
 * cluster summary, node list (or resources by node), resources, node attributes, operation
 * history or migration summary, failed resource actions.
 *
 * It reads the model left by pengine_unpack (run with status_only) plus the status section of the
 * CIB tree for the per-node operation history. Sections are separated by one blank line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"
#include "status_mon.h"

/* ---- small helpers ---- */

void
mon_ctime(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm);
}

/* Pacemaker 2.1.5's readable interval: "10s", "30.160s", above a second; "1000ms", "50ms" */
void
mon_interval(long long ms, char *buf, size_t len)
{
	if (ms > 1000 && ms % 1000)
		snprintf(buf, len, "%lld.%03llds", ms / 1000, ms % 1000);
	else if (ms > 1000)
		snprintf(buf, len, "%llds", ms / 1000);
	else if (ms > 0)
		snprintf(buf, len, "%lldms", ms);
	else
		snprintf(buf, len, "0s");
}

/* an elapsed time: "10ms", "30.160s", "1m35.134s", "2h" */
static void
mon_duration(long long ms, char *buf, size_t len)
{
	struct pl_buf b = PL_BUF_INIT;
	long long s = ms / 1000, rest = ms % 1000;
	if (s >= 3600)
		pl_buf_addf(&b, "%lldh", s / 3600);
	if (s % 3600 >= 60)
		pl_buf_addf(&b, "%lldm", s % 3600 / 60);
	s %= 60;
	if (s && rest)
		pl_buf_addf(&b, "%lld.%03llds", s, rest);
	else if (s)
		pl_buf_addf(&b, "%llds", s);
	else if (rest && b.len == 0)
		pl_buf_addf(&b, "%lldms", rest);
	else if (rest)
		pl_buf_addf(&b, "0.%03llds", rest);
	snprintf(buf, len, "%s", b.len ? pl_buf_str(&b) : "0s");
	pl_buf_free(&b);
}

const char *
mon_ocf_str(int rc)
{
	switch (rc) {
	case 0: return "ok";
	case 1: return "error";
	case 2: return "invalid parameter";
	case 3: return "unimplemented feature";
	case 4: return "insufficient privileges";
	case 5: return "not installed";
	case 6: return "not configured";
	case 7: return "not running";
	case 8: return "promoted";
	case 9: return "promoted (failed)";
	case 190: return "OCF_DEGRADED";
	case 191: return "promoted (degraded)";
	default: return "unknown";
	}
}

const char *
mon_exec_str(int st)
{
	switch (st) {
	case -1: return "Pending";
	case 0: return "Done";
	case 1: return "Cancelled";
	case 2: return "Timed Out";
	case 3: return "NOT SUPPORTED";
	case 4: return "Error";
	case 5: return "Hard error";
	case 6: return "Fatal error";
	case 7: return "Not installed";
	case 8: return "Internal communication failure";
	case 9: return "Cannot execute now";
	case 10: return "No fence device";
	case 11: return "No secrets";
	default: return "UNKNOWN";
	}
}

GHashTable *
mon_cluster_options(struct pengine_ws *ws)
{
	GHashTable *o = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	xmlNode *crm = pl_xml_first_child(ws->config, "crm_config");
	pengine_unpack_nvpairs(ws, crm, "cluster_property_set", NULL, o);
	return o;
}

struct pengine_node *
mon_dc(struct pengine_ws *ws)
{
	if (ws->dc_uuid == NULL)
		return NULL;
	for (int i = 0; i < ws->n_nodes; i++)
		if (!ws->nodes[i]->remote && !g_strcmp0(ws->nodes[i]->id, ws->dc_uuid))
			return ws->nodes[i];
	return NULL;
}

bool
mon_mixed_version(struct pengine_ws *ws)
{
	const char *first = NULL;

	for (int i = 0; i < ws->n_nodes; i++) {
		const char *fs = ws->nodes[i]->attrs
		    ? g_hash_table_lookup(ws->nodes[i]->attrs, "#feature-set")
		    : NULL;

		if (fs == NULL)
			continue;
		if (first == NULL)
			first = fs;
		else if (strcmp(first, fs) != 0)
			return true;
	}
	return false;
}

bool
mon_rsc_disabled(const struct pengine_rsc *r)
{
	for (; r; r = r->parent)
		if (r->disabled)
			return true;
	return false;
}

bool
mon_rsc_blocked(const struct pengine_rsc *r)
{
	return (r->failed && r->blocked) || r->multi_blocked;
}

void
mon_rsc_counts(struct pengine_ws *ws, int *total, int *disabled, int *blocked)
{
	*total = *disabled = *blocked = 0;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || (r->orphan && r->n_running == 0))
			continue;
		(*total)++;
		/* counted by its nearest target-role: its own (or rsc_defaults') wins over
		 * its parents' */
		enum pengine_role tr = pengine_role_parse(pengine_meta(r, "target-role"));
		const struct pengine_rsc *top = r;
		while (top->parent)
			top = top->parent;
		if (tr == ROLE_STOPPED || (tr == ROLE_UNPROMOTED && top->promotable))
			(*disabled)++;
		if (mon_rsc_blocked(r))
			(*blocked)++;
	}
}

/* a primitive's name as shown: an anonymous clone's instances go by the cloned id */
const char *
mon_rsc_name(const struct pengine_rsc *r, bool details)
{
	if (!details && r->parent && r->parent->kind == KIND_CLONE && !r->parent->unique &&
	    r->parent->child_base)
		return r->parent->child_base;
	if (r->parent && r->parent->kind == KIND_BUNDLE && pl_xml_id(r->xml))
		return pl_xml_id(r->xml); /* a bundled primitive's instance: its own id */
	if (!details && r->parent && r->parent->kind == KIND_GROUP && r->parent->parent &&
	    r->parent->parent->kind == KIND_CLONE && !r->parent->parent->unique && pl_xml_id(r->xml))
		return pl_xml_id(r->xml); /* a member of an anonymous clone's group instance */
	return r->id;
}

bool
mon_node_has_rsc(struct pengine_ws *ws, struct pengine_node *n)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE)
			continue;
		for (int k = 0; k < r->n_running; k++)
			if (r->running[k] == n)
				return true;
	}
	return false;
}

/* 0 green, 1 yellow, 2 red: the worst of the node's #health-* attributes */
static int
node_health(struct pengine_ws *ws, struct pengine_node *n)
{
	GHashTableIter it;
	gpointer k, v;
	int h = n->health;
	if (ws->health_strategy == NULL || !strcmp(ws->health_strategy, "none"))
		return 0;
	g_hash_table_iter_init(&it, n->attrs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (strncmp(k, "#health", 7) != 0)
			continue;
		int x = !strcasecmp(v, "red") ? 2 : !strcasecmp(v, "yellow") ? 1 : 0;
		if (x > h)
			h = x;
	}
	return h;
}

/* A node as crm_mon names it: with -R, "name (id)" when the id differs from the name, and a
 * guest node as "name@host" (where its container runs). The text lives in buf. */
const char *
mon_node_display(
    struct pengine_ws *ws, const struct pengine_node *n, bool details, char *buf, size_t len)
{
	const struct pengine_rsc *c =
	    n->guest && n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
	if (details && n->guest) /* "@" alone when its container runs nowhere */
		snprintf(buf, len, "%s@%s", n->uname,
		    c && c->n_running == 1 ? c->running[0]->uname : "");
	else if (details && n->id && strcmp(n->id, n->uname))
		snprintf(buf, len, "%s (%s)", n->uname, n->id);
	else
		snprintf(buf, len, "%s", n->uname);
	return buf;
}

/* The state word Pacemaker gives a node, and whether it joins the compact lists. */
const char *
mon_node_state(struct pengine_ws *ws, struct pengine_node *n, bool *compact)
{
	*compact = false;
	if (n->unclean && !n->fence_scheduled)
		return n->online ? "UNCLEAN (online)"
		    : n->pending ? "UNCLEAN (pending)"
				 : "UNCLEAN (offline)";
	if (n->pending)
		return "pending";
	if (n->standby && n->online)
		return mon_node_has_rsc(ws, n) ? "standby (with active resources)" : "standby";
	if (n->standby && n->seen) /* a node without a node_state has no standby state */
		return "OFFLINE (standby)";
	if (n->maintenance && n->online)
		return "maintenance";
	if (n->maintenance && !n->remote)
		return "OFFLINE (maintenance)";
	if (n->online) {
		int health = node_health(ws, n);
		if (health == 2)
			return "online (health is RED)";
		if (health == 1)
			return "online (health is YELLOW)";
		*compact = true;
		return "online";
	}
	*compact = true;
	return "OFFLINE";
}

/* ---- summary ---- */

static void
render_summary(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	GHashTable *opt = mon_cluster_options(ws);
	const char *stack = g_hash_table_lookup(opt, "cluster-infrastructure");
	pl_buf_add(out, "Cluster Summary:\n");
	if (o->show & PL_MON_STACK)
		pl_buf_addf(out, "  * Stack: %s\n", stack ? stack : "unknown");
	if (o->show & PL_MON_DC) {
		struct pengine_node *dc = mon_dc(ws);
		const char *ver = g_hash_table_lookup(opt, "dc-version");
		char nb[256];
		if (dc == NULL)
			pl_buf_add(out, "  * Current DC: NONE\n");
		else
			pl_buf_addf(out, "  * Current DC: %s (version %s) - %spartition %s quorum\n",
			    mon_node_display(ws, dc, o->details, nb, sizeof(nb)),
			    ver ? ver : "unknown", mon_mixed_version(ws) ? "MIXED-VERSION " : "",
			    ws->have_quorum ? "with" : "WITHOUT");
	}
	if (o->show & PL_MON_TIMES) {
		char now[64];
		const char *lws = pl_xml_attr(ws->cib, "cib-last-written");
		mon_ctime(o->now, now, sizeof(now));
		pl_buf_addf(out, "  * Last updated: %s\n", now);
		pl_buf_addf(out, "  * Last change:  %s", lws ? lws : "");
		const char *u = pl_xml_attr(ws->cib, "update-user"),
			   *c = pl_xml_attr(ws->cib, "update-client");
		const char *org = pl_xml_attr(ws->cib, "update-origin");
		if (u)
			pl_buf_addf(out, " by %s", u);
		if (c)
			pl_buf_addf(out, " via %s", c);
		if (org)
			pl_buf_addf(out, " on %s", org);
		pl_buf_add(out, "\n");
	}
	if (o->show & PL_MON_COUNTS) {
		int total, disabled, blocked;
		mon_rsc_counts(ws, &total, &disabled, &blocked);
		pl_buf_addf(
		    out, "  * %d node%s configured\n", ws->n_nodes, ws->n_nodes == 1 ? "" : "s");
		pl_buf_addf(
		    out, "  * %d resource instance%s configured", total, total == 1 ? "" : "s");
		if (disabled && blocked)
			pl_buf_addf(out,
			    " (%d DISABLED, %d BLOCKED from further action due to failure)",
			    disabled, blocked);
		else if (disabled)
			pl_buf_addf(out, " (%d DISABLED)", disabled);
		else if (blocked)
			pl_buf_addf(out, " (%d BLOCKED from further action due to failure)", blocked);
		pl_buf_add(out, "\n");
	}
	if ((o->show & PL_MON_OPTIONS) && ws->maintenance)
		pl_buf_add(out,
		    "\n              *** Resource management is DISABLED ***\n"
		    "  The cluster will not attempt to start, stop or recover services\n");
	else if ((o->show & PL_MON_OPTIONS) && ws->stop_all)
		pl_buf_add(out,
		    "\n    *** Resource management is DISABLED ***\n"
		    "  The cluster will keep all resources stopped\n");
	g_hash_table_destroy(opt);
}

/* ---- nodes ---- */

static void
render_nodes(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	struct pl_buf on = PL_BUF_INIT, off = PL_BUF_INIT, ron = PL_BUF_INIT, roff = PL_BUF_INIT;
	struct pl_buf gon = PL_BUF_INIT;
	pl_buf_add(out, "Node List:\n");
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		bool compact;
		char nb[256];
		/* a guest node whose container is down is not listed (but grouped by node) */
		if (!mon_node_shown(ws, o, n) ||
		    (n->guest && !n->online && (o->by_node ? o->brief : !o->details)))
			continue;
		const char *kind = n->guest ? "Guest" : n->remote ? "Remote" : "";
		const char *st = mon_node_state(ws, n, &compact);
		const char *name = mon_node_display(ws, n, o->details, nb, sizeof(nb));
		char *long_st = NULL; /* -R: every node on its own line, with its feature set */
		if (o->details) {
			const char *fs = g_hash_table_lookup(n->attrs, "#feature-set");
			compact = false;
			if (n->online && !n->remote)
				st = long_st =
				    g_strdup_printf("%s, feature set %s", st, fs ? fs : "<3.15.1");
		}
		if (o->by_node) {
			pl_buf_addf(out, "  * %sNode %s: %s:\n", kind, name, st);
			g_free(long_st);
			mon_node_resources(ws, o, n, out);
			continue;
		}
		if (compact && n->online)
			pl_buf_addf(n->guest ? &gon : n->remote ? &ron : &on, " %s", n->uname);
		else if (compact)
			pl_buf_addf(n->remote ? &roff : &off, " %s", n->uname);
		else
			pl_buf_addf(out, "  * %sNode %s: %s\n", kind, name, st);
		g_free(long_st);
	}
	if (on.len)
		pl_buf_addf(out, "  * Online: [%s ]\n", on.s);
	if (off.len)
		pl_buf_addf(out, "  * OFFLINE: [%s ]\n", off.s);
	if (ron.len)
		pl_buf_addf(out, "  * RemoteOnline: [%s ]\n", ron.s);
	if (roff.len)
		pl_buf_addf(out, "  * RemoteOFFLINE: [%s ]\n", roff.s);
	if (gon.len)
		pl_buf_addf(out, "  * GuestOnline: [%s ]\n", gon.s);
	pl_buf_free(&gon);
	pl_buf_free(&on);
	pl_buf_free(&off);
	pl_buf_free(&ron);
	pl_buf_free(&roff);
}

/* ---- node attributes ---- */

int
mon_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
mon_node_attr_names(struct pengine_node *n)
{
	GPtrArray *names = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, n->attrs);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!mon_attr_hidden(k))
			g_ptr_array_add(names, k);
	if (names->len > 1) /* (pdata is NULL when empty) */
		qsort(names->pdata, names->len, sizeof(void *), mon_cmp_str);
	return names;
}

bool
mon_attr_hidden(const char *name)
{
	return !strncmp(name, "#", 1) || !strcmp(name, "shutdown") || !strcmp(name, "terminate") ||
	    !strcmp(name, "standby") || !strncmp(name, "fail-count-", 11) ||
	    !strncmp(name, "last-failure-", 13);
}

/* a ping resource's attribute: the score expected when every host answers, known where
 * a ping resource that sets it runs */
int
mon_ping_expected(struct pengine_ws *ws, const struct pengine_node *n, const char *attr)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || !r->type ||
		    (strcmp(r->type, "ping") && strcmp(r->type, "pingd")))
			continue;
		bool here = false;
		for (int k = 0; k < r->n_running && !here; k++)
			here = r->running[k] == n;
		if (!here)
			continue;
		const char *name = g_hash_table_lookup(r->params, "name");
		if (g_strcmp0(name ? name : "pingd", attr))
			continue;
		const char *mult = g_hash_table_lookup(r->params, "multiplier");
		const char *hosts = g_hash_table_lookup(r->params, "host_list");
		int nhosts = 0;
		if (hosts) {
			gchar **v = g_strsplit_set(hosts, " \t,", -1);
			for (gchar **p = v; *p; p++)
				if (**p)
					nhosts++;
			g_strfreev(v);
		}
		return (mult ? atoi(mult) : 1) * nhosts;
	}
	return -1;
}

static void
render_attributes(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	bool header = false;
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		if (!n->online || !mon_node_shown(ws, o, n))
			continue;
		char nb[256];
		GPtrArray *names = mon_node_attr_names(n);
		if (names->len == 0) {
			g_ptr_array_free(names, true);
			continue;
		}
		if (!header)
			pl_buf_add(out, "\nNode Attributes:\n");
		header = true;
		pl_buf_addf(
		    out, "  * Node: %s:\n", mon_node_display(ws, n, o->details, nb, sizeof(nb)));
		for (guint j = 0; j < names->len; j++) {
			const char *name = names->pdata[j];
			const char *val = g_hash_table_lookup(n->attrs, name);
			pl_buf_addf(out, "    * %-32s\t: %-10s", name, val);
			int exp = mon_ping_expected(ws, n, name);
			if (exp >= 0) {
				int got = atoi(val);
				if (got <= 0)
					pl_buf_add(out, "\t: Connectivity is lost");
				else if (got < exp)
					pl_buf_addf(
					    out, "\t: Connectivity is degraded (Expected=%d)", exp);
			}
			pl_buf_add(out, "\n");
		}
		g_ptr_array_free(names, true);
	}
}

/* ---- operation history / migration summary ---- */

/* a resource's operations as crm_mon lists them: by call id, without notifications and
 * probes that found it stopped (xmlNode*, borrowed) */
GPtrArray *
mon_history_ops(xmlNode *lr)
{
	GPtrArray *all = pengine_history_ordered(lr), *a = g_ptr_array_new();
	for (guint i = 0; i < all->len; i++) {
		xmlNode *op = all->pdata[i];
		const char *task = pl_xml_attr(op, "operation");
		long long iv = 0, rc = 0;
		pl_xml_attr_int(op, "interval", 0, &iv, NULL);
		pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
		if (task == NULL || !strcmp(task, "notify"))
			continue;
		if (!strcmp(task, "monitor") && iv == 0 && rc == 7)
			continue;
		g_ptr_array_add(a, op);
	}
	g_ptr_array_free(all, true);
	return a;
}

/* the model's primitive for a history entry on a node (clone instances by their history) */
struct pengine_rsc *
mon_history_rsc(struct pengine_ws *ws, struct pengine_node *n, const char *id)
{
	struct pengine_rsc *r;
	if (n->guest_child && !g_strcmp0(id, pl_xml_id(n->guest_child->xml)))
		return n->guest_child;
	if ((r = pengine_clone_group_member_for(ws, id, NULL, n)) != NULL)
		return r;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *c = ws->rscs[i];
		if (c->kind == KIND_PRIMITIVE && !g_strcmp0(c->pn[n->idx].lrm_name, id))
			return c;
	}
	r = g_hash_table_lookup(ws->rsc_by_id, id);
	if (r && r->kind == KIND_PRIMITIVE)
		return r;
	if (r == NULL) {
		char *base = xstrdup(id), *colon = strchr(base, ':');
		if (colon)
			*colon = '\0';
		struct pengine_rsc *b = g_hash_table_lookup(ws->rsc_by_id, base);
		free(base);
		if (b)
			return b;
		struct pengine_rsc *c = NULL;
		base = xstrdup(id);
		if ((colon = strchr(base, ':')))
			*colon = '\0';
		c = g_hash_table_lookup(ws->clone_by_child, base);
		free(base);
		if (c && c->n_children)
			return c->children[0];
	}
	return r;
}

/* fail count of `id` (and its instances when anonymous) on a node, from its attributes */
int
mon_node_failcount(struct pengine_node *n, const char *id, long long *last)
{
	int fc = 0;
	GHashTableIter it;
	gpointer k, v;
	size_t idl = strlen(id);
	*last = 0;
	g_hash_table_iter_init(&it, n->attrs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *name = k;
		const char *rest;
		bool is_fc = !strncmp(name, "fail-count-", 11),
		     is_lf = !strncmp(name, "last-failure-", 13);
		if (!is_fc && !is_lf)
			continue;
		rest = name + (is_fc ? 11 : 13);
		if (strncmp(rest, id, idl))
			continue;
		rest += idl;
		if (*rest == ':') { /* an anonymous clone's instance number */
			rest++;
			while (*rest >= '0' && *rest <= '9')
				rest++;
		}
		if (*rest != '\0' && *rest != '#')
			continue;
		if (is_fc)
			fc = pl_score_add(fc, pl_score_parse(v));
		else if (strtoll(v, NULL, 10) > *last)
			*last = strtoll(v, NULL, 10);
	}
	return fc;
}

static void
op_line(xmlNode *op, const char *task, const struct pl_mon_opts *o, struct pl_buf *out)
{
	long long iv = 0, rc = 0;
	pl_xml_attr_int(op, "interval", 0, &iv, NULL);
	pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
	if (rc < 0)
		rc = 0; /* a pending operation's, as Pacemaker reads it */
	pl_buf_addf(out, "      * (%s) %s",
	    pl_xml_attr(op, "call-id") ? pl_xml_attr(op, "call-id") : "", task);
	if (iv > 0 || o->timing)
		pl_buf_add(out, ":");
	if (iv > 0)
		pl_buf_addf(out, " interval=\"%lldms\"", iv);
	if (o->timing) {
		static const char *const tf[] = { "last-rc-change", "last-run" };
		for (size_t i = 0; i < 2; i++) {
			long long t;
			if (pl_xml_attr_int(op, tf[i], 0, &t, NULL) && t > 0) {
				char b[64];
				mon_ctime(t, b, sizeof(b));
				pl_buf_addf(out, " %s=\"%s\"", tf[i], b);
			}
		}
		const char *et = pl_xml_attr(op, "exec-time"), *qt = pl_xml_attr(op, "queue-time");
		if (et)
			pl_buf_addf(out, " exec-time=\"%sms\"", et);
		if (qt)
			pl_buf_addf(out, " queue-time=\"%sms\"", qt);
		pl_buf_addf(out, " rc=%lld (%s)", rc, mon_ocf_str((int)rc));
	}
	pl_buf_add(out, "\n");
}

static void
render_history(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	bool ops = o->show & PL_MON_OPERATIONS;
	bool header = false;
#define HEADER()                                                                               \
	do {                                                                                   \
		if (!header)                                                                   \
			pl_buf_addf(out, "\n%s:\n", ops ? "Operations" : "Migration Summary"); \
		header = true;                                                                 \
	} while (0)
	PL_XML_FOREACH_CHILD(ws->status, "node_state", st)
	{
		const char *id = pl_xml_id(st);
		struct pengine_node *n = NULL;
		for (int i = 0; id && i < ws->n_nodes && !n; i++)
			if (!strcmp(ws->nodes[i]->id, id))
				n = ws->nodes[i];
		if (n == NULL || !n->online || !mon_node_shown(ws, o, n))
			continue;
		HEADER();
		bool node_hdr = false;
		char nb[256];
		xmlNode *lrm = pl_xml_first_child(st, "lrm");
		xmlNode *lrs = lrm ? pl_xml_first_child(lrm, "lrm_resources") : NULL;
		PL_XML_FOREACH_CHILD(lrs, "lrm_resource", lr)
		{
			const char *rid = pl_xml_id(lr);
			if (rid == NULL)
				continue;
			struct pengine_rsc *r = mon_history_rsc(ws, n, rid);
			long long last = 0;
			const char *fcid = r ? mon_rsc_name(r, false) : rid;
			if (!mon_history_shown(ws, o, n, rid))
				continue;
			int fc = mon_node_failcount(n, fcid, &last);
			int mt = r ? r->migration_threshold : 1000000;
			if (ops) {
				GPtrArray *h = mon_history_ops(lr);
				guint k = h->len;
				if (k > 0) {
					HEADER();
					if (!node_hdr)
						pl_buf_addf(out, "  * Node: %s:\n",
						    mon_node_display(
							ws, n, o->details, nb, sizeof(nb)));
					node_hdr = header = true;
					pl_buf_addf(out, "    * %s: migration-threshold=%d",
					    r ? mon_rsc_name(r, false) : rid, mt);
					if (fc > 0)
						pl_buf_addf(out, " fail-count=%d", fc);
					if (fc > 0 && last > 0) {
						char b[64];
						mon_ctime(last, b, sizeof(b));
						pl_buf_addf(out, " last-failure='%s'", b);
					}
					pl_buf_add(out, ":\n");
				}
				for (guint i = 0; i < k; i++) {
					xmlNode *x = h->pdata[i];
					const char *task = pl_xml_attr(x, "operation");
					long long iv = 0;
					pl_xml_attr_int(x, "interval", 0, &iv, NULL);
					op_line(x,
					    !strcmp(task, "monitor") && iv == 0 ? "probe" : task, o,
					    out);
				}
				g_ptr_array_free(h, true);
			} else if (fc > 0) {
				HEADER();
				if (!node_hdr)
					pl_buf_addf(out, "  * Node: %s:\n",
					    mon_node_display(ws, n, o->details, nb, sizeof(nb)));
				node_hdr = header = true;
				pl_buf_addf(out, "    * %s: migration-threshold=%d", rid, mt);
				if (fc > 0)
					pl_buf_addf(out, " fail-count=%d", fc);
				if (fc > 0 && last > 0) {
					char b[64];
					mon_ctime(last, b, sizeof(b));
					pl_buf_addf(out, " last-failure='%s'", b);
				}
				pl_buf_add(out, "\n");
			}
		}
	}
#undef HEADER
}

/* ---- failed actions ---- */

bool
mon_failure_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *op)
{
	if (op->type != XML_ELEMENT_NODE || !mon_node_name_shown(ws, o, pl_xml_attr(op, "on_node")))
		return false;
	if (o->only_rsc == NULL)
		return true;
	/* as Pacemaker: only a failure of the resource named (or tagged) itself, by the
	 * name its history has, not of a member or instance of a named collective */
	const char *key = pl_xml_attr(op, "operation_key");
	char *rsc = xstrdup(key ? key : pl_xml_attr(op, "rsc_id") ? pl_xml_attr(op, "rsc_id") : "");
	for (int cut = 0; key && cut < 2; cut++) {
		char *us = strrchr(rsc, '_');
		if (us)
			*us = '\0';
	}
	bool shown = mon_rsc_listed(ws, o, rsc);
	free(rsc);
	return shown;
}

static void
render_failures(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	bool header = false;
	if (ws->failed_ops == NULL)
		return;
	for (xmlNode *op = ws->failed_ops->children; op; op = op->next) {
		if (!mon_failure_shown(ws, o, op))
			continue;
		if (!header)
			pl_buf_add(out, "\nFailed Resource Actions:\n");
		header = true;
		mon_failed_action_text(op, o->details, out);
	}
}

/* -R (and crm_simulate): the failed action in full, as its history entry has it */
static void
failed_action_long(xmlNode *op, struct pl_buf *out)
{
	const char *key = pl_xml_attr(op, "operation_key");
	const char *reason = pl_xml_attr(op, "exit-reason");
	const char *lrc = pl_xml_attr(op, "last-rc-change");
	long long rc = 0, st = 0, lrct = 0;
	pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
	pl_xml_attr_int(op, "op-status", 0, &st, NULL);
	pl_buf_addf(out, "  * %s on %s '%s' (%lld): call=%s, status='%s'",
	    key ? key : pl_xml_id(op), pl_xml_attr(op, "on_node") ? pl_xml_attr(op, "on_node") : "",
	    mon_ocf_str((int)rc), rc, pl_xml_attr(op, "call-id") ? pl_xml_attr(op, "call-id") : "",
	    st == 0	   ? "complete"
		: st == -1 ? "pending"
			   : mon_exec_str((int)st));
	if (reason && *reason)
		pl_buf_addf(out, ", exitreason='%s'", reason);
	if (lrc && pl_xml_attr_int(op, "last-rc-change", 0, &lrct, NULL)) {
		char b[64];
		mon_ctime(lrct, b, sizeof(b));
		pl_buf_addf(out, ", last-rc-change='%s'", b);
	}
	pl_buf_addf(out, ", queued=%sms, exec=%sms\n",
	    pl_xml_attr(op, "queue-time") ? pl_xml_attr(op, "queue-time") : "0",
	    pl_xml_attr(op, "exec-time") ? pl_xml_attr(op, "exec-time") : "0");
}

void
mon_failed_action_text(xmlNode *op, bool details, struct pl_buf *out)
{
	if (details) {
		failed_action_long(op, out);
		return;
	}
	const char *key = pl_xml_attr(op, "operation_key");
	const char *task = pl_xml_attr(op, "operation");
	const char *node = pl_xml_attr(op, "on_node");
	const char *reason = pl_xml_attr(op, "exit-reason");
	long long iv = 0, rc = 0, st = 0, lrc = 0, et = 0;
	pl_xml_attr_int(op, "interval", 0, &iv, NULL);
	pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
	pl_xml_attr_int(op, "op-status", 0, &st, NULL);
	bool have_lrc = pl_xml_attr_int(op, "last-rc-change", 0, &lrc, NULL) &&
	    pl_xml_attr(op, "last-rc-change");
	pl_xml_attr_int(op, "exec-time", 0, &et, NULL);
	/* resource, task and interval as the operation key names them */
	char *rsc = NULL, *ktask = NULL;
	if (key == NULL)
		key = pl_xml_id(op);
	if (key) {
		const char *us = strrchr(key, '_');
		if (us && us > key) {
			char *head = g_strndup(key, (size_t)(us - key));
			iv = strtoll(us + 1, NULL, 10);
			static const char *const two[] = { "_migrate_to", "_migrate_from" };
			for (size_t i = 0; i < 2 && !ktask; i++) {
				size_t hl = strlen(head), tl = strlen(two[i]);
				if (hl > tl && !strcmp(head + hl - tl, two[i])) {
					ktask = g_strdup(two[i] + 1);
					rsc = g_strndup(head, hl - tl);
				}
			}
			const char *u2 = strrchr(head, '_');
			if (!ktask && u2 && u2 > head) {
				ktask = g_strdup(u2 + 1);
				rsc = g_strndup(head, (size_t)(u2 - head));
			}
			g_free(head);
		}
	}
	if (rsc == NULL)
		rsc = g_strdup(pl_xml_attr(op, "rsc_id"));
	if (ktask)
		task = ktask;
	pl_buf_addf(out, "  * %s ", rsc ? rsc : "");
	g_free(rsc);
	if (task && !strcmp(task, "monitor") && iv == 0) {
		pl_buf_add(out, "probe");
	} else if (iv > 0) {
		char b[64];
		mon_interval(iv, b, sizeof(b));
		pl_buf_addf(out, "%s-interval %s", b, task ? task : "");
	} else {
		pl_buf_add(out, task ? task : "");
	}
	g_free(ktask);
	pl_buf_addf(out, " on %s ", node ? node : "");
	if (st == 0)
		pl_buf_addf(out, "returned '%s'", mon_ocf_str((int)rc));
	else
		pl_buf_addf(out, "could not be executed (%s)", mon_exec_str((int)st));
	if (reason && *reason)
		pl_buf_addf(out, " (%s)", reason);
	if (have_lrc) {
		char b[64];
		mon_ctime(lrc, b, sizeof(b));
		pl_buf_addf(out, " at %s", b);
		if (et > 0) {
			char e[64];
			mon_duration(et, e, sizeof(e));
			pl_buf_addf(out, " after %s", e);
		}
	}
	pl_buf_add(out, "\n");
}

/* Negative location scores, as Pacemaker lists its placement constraints (newest first):
 * a node's score, or each rule's where it applies. */
void
mon_each_ban(struct pengine_ws *ws, const struct pl_mon_opts *o, mon_ban_fn fn, void *arg)
{
	xmlNode *cons = pl_xml_first_child(ws->config, "constraints");
	GPtrArray *all = g_ptr_array_new();
	PL_XML_FOREACH_CHILD(cons, "rsc_location", l)
	g_ptr_array_add(all, l);
	for (guint i = all->len; i-- > 0;) {
		xmlNode *l = all->pdata[i];
		const char *node = pl_xml_attr(l, "node"), *rsc = pl_xml_attr(l, "rsc");
		const char *score = pl_xml_attr(l, "score"), *role = pl_xml_attr(l, "role");
		if (rsc == NULL || !mon_rsc_id_shown(ws, o, rsc))
			continue;
		if (node && score) {
			if (pl_score_parse(score) < 0)
				fn(arg, pl_xml_id(l), rsc, node, pl_score_parse(score), role);
			continue;
		}
		/* each rule is a placement constraint of its own, so the rules too come newest
		 * (last) first */
		GPtrArray *rules = g_ptr_array_new();
		PL_XML_FOREACH_CHILD(l, "rule", rule)
		g_ptr_array_add(rules, rule);
		for (guint ri = rules->len; ri-- > 0;) {
			xmlNode *rule = rules->pdata[ri];
			/* Pacemaker lists an "and" rule's nodes in reverse (a copied node
			 * list) and an "or" rule's in order (appended as they match) */
			bool or = !g_strcmp0(pl_xml_attr(rule, "boolean-op"), "or");
			for (int j = 0; j < ws->n_nodes; j++) {
				int k = or ? j : ws->n_nodes - 1 - j;
				int sc = 0;
				if (pengine_rule_eval(ws, rule, ws->nodes[k], &sc) && sc < 0)
					fn(arg, pl_xml_id(rule), rsc, ws->nodes[k]->uname, sc,
					    pl_xml_attr(rule, "role") ? pl_xml_attr(rule, "role")
								      : role);
			}
		}
		g_ptr_array_free(rules, true);
	}
	g_ptr_array_free(all, true);
}

/* tickets: the status section's ticket_state, and those constraints name (revoked), by id */
void
mon_each_ticket(struct pengine_ws *ws, mon_ticket_fn fn, void *arg)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *ids = g_ptr_array_new();
	xmlNode *st = ws->status ? pl_xml_first_child(ws->status, "tickets") : NULL;
	PL_XML_FOREACH_CHILD(st, "ticket_state", t)
	if (pl_xml_id(t) && g_hash_table_insert(seen, (gpointer)pl_xml_id(t), t))
		g_ptr_array_add(ids, (gpointer)pl_xml_id(t));
	xmlNode *cons = pl_xml_first_child(ws->config, "constraints");
	PL_XML_FOREACH_CHILD(cons, "rsc_ticket", c)
	{
		const char *id = pl_xml_attr(c, "ticket");
		if (id && !g_hash_table_contains(seen, id)) {
			g_hash_table_insert(seen, (gpointer)id, NULL);
			g_ptr_array_add(ids, (gpointer)id);
		}
	}
	if (ids->len > 1) /* (pdata is NULL when empty) */
		qsort(ids->pdata, ids->len, sizeof(void *), mon_cmp_str);
	for (guint i = 0; i < ids->len; i++)
		fn(arg, ids->pdata[i], g_hash_table_lookup(seen, ids->pdata[i]));
	g_ptr_array_free(ids, true);
	g_hash_table_destroy(seen);
}

static void
ticket_text(void *arg, const char *id, xmlNode *t)
{
	struct pl_buf *out = arg;
	long long lg;
	if (out->len == 0)
		pl_buf_add(out, "\nTickets:\n");
	pl_buf_addf(out, "  * %s: %s%s", id,
	    t && pengine_is_true(pl_xml_attr(t, "granted")) ? "granted" : "revoked",
	    t && pengine_is_true(pl_xml_attr(t, "standby")) ? " [standby]" : "");
	if (t && pl_xml_attr(t, "last-granted") && pl_xml_attr_int(t, "last-granted", 0, &lg, NULL)) {
		char b[64];
		mon_ctime(lg, b, sizeof(b));
		pl_buf_addf(out, " last-granted=\"%s\"", b);
	}
	pl_buf_add(out, "\n");
}

static void
render_tickets(struct pengine_ws *ws, struct pl_buf *out)
{
	struct pl_buf b = PL_BUF_INIT;
	mon_each_ticket(ws, ticket_text, &b);
	pl_buf_add(out, pl_buf_str(&b));
	pl_buf_free(&b);
}

struct ban_text_arg {
	struct pengine_ws *ws;
	const struct pl_mon_opts *o;
	struct pl_buf b;
};

static void
ban_text(void *arg, const char *id, const char *rsc, const char *node, int score, const char *role)
{
	struct ban_text_arg *a = arg;
	bool promoted = !g_strcmp0(role, "Promoted") || !g_strcmp0(role, "Master");
	struct pengine_node *n = g_hash_table_lookup(a->ws->node_by_name, node);
	char nb[256];
	(void)score;
	if (a->b.len == 0)
		pl_buf_add(&a->b, "\nNegative Location Constraints:\n");
	pl_buf_addf(&a->b, "  * %s\tprevents %s from running %son %s\n", id, rsc,
	    promoted ? "in Promoted role " : "",
	    n ? mon_node_display(a->ws, n, a->o->details, nb, sizeof(nb)) : node);
}

static void
render_bans(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	struct ban_text_arg a = { ws, o, PL_BUF_INIT };
	mon_each_ban(ws, o, ban_text, &a);
	pl_buf_add(out, pl_buf_str(&a.b));
	pl_buf_free(&a.b);
}

/* ---- the whole view ---- */

void
pl_pengine_mon_text(struct pl_pengine_run *run, const struct pl_mon_opts *o, struct pl_buf *out)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	bool any = false;
	if (o->show & PL_MON_SUMMARY) {
		render_summary(ws, o, out);
		any = true;
	}
	bool nodes = false; /* as Pacemaker: no node (shown), no section */
	for (int i = 0; i < ws->n_nodes && !nodes; i++)
		nodes = mon_node_shown(ws, o, ws->nodes[i]);
	if ((o->show & PL_MON_NODES) && nodes) {
		if (any)
			pl_buf_add(out, "\n");
		render_nodes(ws, o, out);
		any = true;
	}
	if ((o->show & PL_MON_RESOURCES) && !(o->by_node && !o->inactive)) {
		if (any)
			pl_buf_add(out, "\n");
		mon_render_resources(ws, o, out);
		any = true;
	}
	if (o->show & PL_MON_ATTRIBUTES)
		render_attributes(ws, o, out);
	if (o->show & (PL_MON_FAILCOUNTS | PL_MON_OPERATIONS))
		render_history(ws, o, out);
	if (o->show & PL_MON_FAILURES)
		render_failures(ws, o, out);
	mon_fence_failed_text(ws, o, out);
	if (o->show & PL_MON_TICKETS)
		render_tickets(ws, out);
	if (o->show & PL_MON_BANS)
		render_bans(ws, o, out);
	mon_fence_history_text(ws, o, out);
}

/* ---- tickets not granted: what their loss-policy shows (XML) ---- */

static bool
ticket_granted(struct pengine_ws *ws, const char *id)
{
	xmlNode *st = ws->tickets ? ws->tickets
	    : ws->status	  ? pl_xml_first_child(ws->status, "tickets")
				  : NULL;
	PL_XML_FOREACH_CHILD(st, "ticket_state", t)
	if (!g_strcmp0(pl_xml_id(t), id))
		return pengine_is_true(pl_xml_attr(t, "granted"));
	return false;
}

/* r is the resource named id, or one of its instances or members */
static bool
rsc_within(const struct pengine_rsc *r, const char *id)
{
	for (; r && id; r = r->parent)
		if (!strcmp(r->id, id) || (r->xml && !g_strcmp0(pl_xml_id(r->xml), id)))
			return true;
	return false;
}

/* Whether r is named (role: Promoted or any) by an rsc_ticket of a ticket not granted
 * whose loss-policy is `policy` (the default: stop, demote for the Promoted role). */
static bool
ticket_lost(struct pengine_ws *ws, const struct pengine_rsc *r, const char *policy, bool *promoted)
{
	xmlNode *cons = pl_xml_first_child(ws->config, "constraints");
	PL_XML_FOREACH_CHILD(cons, "rsc_ticket", c)
	{
		if (ticket_granted(ws, pl_xml_attr(c, "ticket")))
			continue;
		const char *lp = pl_xml_attr(c, "loss-policy");
		const char *role = pl_xml_attr(c, "rsc-role");
		if (pl_xml_attr(c, "rsc")) {
			bool prom = role && (!strcmp(role, "Promoted") || !strcmp(role, "Master"));
			const char *pol = lp ? lp : prom ? "demote" : "stop";
			if (!strcmp(pol, policy) && rsc_within(r, pl_xml_attr(c, "rsc"))) {
				*promoted = prom;
				return true;
			}
			continue;
		}
		PL_XML_FOREACH_CHILD(c, "resource_set", set)
		{
			const char *srole = pl_xml_attr(set, "role");
			bool prom = srole && (!strcmp(srole, "Promoted") || !strcmp(srole, "Master"));
			const char *pol = lp ? lp : prom ? "demote" : "stop";
			if (strcmp(pol, policy))
				continue;
			PL_XML_FOREACH_CHILD(set, "resource_ref", ref)
			if (rsc_within(r, pl_xml_id(ref))) {
				*promoted = prom;
				return true;
			}
		}
	}
	return false;
}

bool
mon_ticket_frozen(struct pengine_ws *ws, const struct pengine_rsc *r)
{
	bool prom;
	return ticket_lost(ws, r, "freeze", &prom);
}

bool
mon_ticket_fences(struct pengine_ws *ws, const struct pengine_node *n)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		const struct pengine_rsc *r = ws->rscs[i];
		bool prom = false, here = false;
		if (r->kind != KIND_PRIMITIVE)
			continue;
		for (int k = 0; k < r->n_running && !here; k++)
			here = r->running[k] == n;
		if (here && ticket_lost(ws, r, "fence", &prom) && (!prom || r->role == ROLE_PROMOTED))
			return true;
	}
	return false;
}
