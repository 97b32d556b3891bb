/*
 * rsc_show.c - the read-only views: --list (crm_mon's resource list), --list-raw,
 * --query-xml(-raw), --locate, --why, --list-operations, from lib/pengine's unpacked status
 * and the configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crm_resource.h"
#include "paceline/buf.h"
#include "paceline/exitcode.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"

int
rsc_require(const char *id)
{
	struct pl_pengine_run *run = rsc_status();

	if (run == NULL)
		return PL_EXIT_CONFIG;
	if (pl_pengine_rsc_kind(run, id) == PL_RSC_NONE)
		return out_fail(PL_EXIT_NOSUCH, "Resource '%s' not found", id);
	return PL_EXIT_OK;
}

int
rsc_cmd_list(void)
{
	struct pl_pengine_run *run = rsc_status();
	struct pl_buf b = PL_BUF_INIT;

	if (run == NULL)
		return PL_EXIT_CONFIG;
	if (out_xml()) {
		pl_pengine_rsc_xml(run, NULL, pl_xml_add_child(out_root(), "resources"));
		return PL_EXIT_OK;
	}
	pl_pengine_rsc_list_text(run, &b);
	fputs(pl_buf_str(&b), out_stream());
	pl_buf_free(&b);
	return PL_EXIT_OK;
}

int
rsc_cmd_list_raw(void)
{
	GPtrArray *ids = g_ptr_array_new();

	if (rsc_status() == NULL) {
		g_ptr_array_free(ids, true);
		return PL_EXIT_CONFIG;
	}
	pl_pengine_rsc_raw_ids(rsc_status(), ids);
	if (out_xml()) {
		xmlNode *l = pl_xml_add_child(out_root(), "list");
		pl_xml_set_attr(l, "name", "Resource Names");
		for (guint i = 0; i < ids->len; i++)
			xmlNodeAddContent(pl_xml_add_child(l, "item"), ids->pdata[i]);
	} else {
		for (guint i = 0; i < ids->len; i++)
			out_info("%s", (char *)ids->pdata[i]);
	}
	g_ptr_array_free(ids, true);
	return PL_EXIT_OK;
}

int
rsc_cmd_query_xml(void)
{
	int rc = rsc_require(opt.rsc);
	xmlNode *x;
	char *text;
	struct pl_buf line = PL_BUF_INIT;

	if (rc != PL_EXIT_OK)
		return rc;
	if ((x = rsc_cib_find_rsc(pl_pengine_rsc_top(rsc_status(), opt.rsc))) == NULL ||
	    (x = rsc_cib_find_rsc(opt.rsc)) == NULL)
		x = rsc_cib_find_rsc(pl_pengine_rsc_top(rsc_status(), opt.rsc));
	if (x == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Resource '%s' not found", opt.rsc);
	text = pl_xml_dump(x, true);
	if (out_xml()) {
		xmlNode *rcfg = pl_xml_add_child(out_root(), "resource_config");
		xmlNode *xx;
		GString *t = g_string_new(text);

		if (t->len == 0 || t->str[t->len - 1] != '\n')
			g_string_append_c(t, '\n');
		pl_pengine_rsc_xml(rsc_status(), opt.rsc, rcfg);
		xx = pl_xml_add_child(rcfg, "xml");
		xmlAddChild(xx, xmlNewCDataBlock(xx->doc, (const xmlChar *)t->str, (int)t->len));
		g_string_free(t, TRUE);
	} else {
		pl_pengine_rsc_text(rsc_status(), opt.rsc, &line);
		fputs(pl_buf_str(&line), out_stream());
		fprintf(out_stream(), "Resource XML:\n%s", text);
		if (*text && text[strlen(text) - 1] != '\n')
			fputc('\n', out_stream());
	}
	pl_buf_free(&line);
	g_free(text);
	return PL_EXIT_OK;
}

int
rsc_cmd_locate(void)
{
	int rc = rsc_require(opt.rsc);
	GArray *w;

	if (rc != PL_EXIT_OK)
		return rc;
	w = pl_pengine_rsc_where(rsc_status(), opt.rsc);
	/* Pacemaker lists the places last found first */
	for (guint i = 0; i < w->len / 2; i++) {
		struct pl_rsc_where t = g_array_index(w, struct pl_rsc_where, i);
		g_array_index(w, struct pl_rsc_where, i) =
		    g_array_index(w, struct pl_rsc_where, w->len - 1 - i);
		g_array_index(w, struct pl_rsc_where, w->len - 1 - i) = t;
	}
	if (out_xml()) {
		xmlNode *ns = pl_xml_add_child(out_root(), "nodes");
		pl_xml_set_attr(ns, "resource", opt.rsc);
		for (guint i = 0; i < w->len; i++) {
			struct pl_rsc_where *p = &g_array_index(w, struct pl_rsc_where, i);
			xmlNode *n = pl_xml_add_child(ns, "node");
			if (p->promoted)
				pl_xml_set_attr(n, "state", "promoted");
			xmlNodeAddContent(n, (const xmlChar *)p->node);
		}
	} else if (w->len == 0) {
		if (!opt.quiet)
			fprintf(stderr, "resource %s is NOT running\n", opt.rsc);
	} else {
		for (guint i = 0; i < w->len; i++) {
			struct pl_rsc_where *p = &g_array_index(w, struct pl_rsc_where, i);
			if (opt.quiet)
				out_info("%s", p->node);
			else
				out_info("resource %s is running on: %s%s", opt.rsc, p->node,
				    p->promoted ? " Promoted" : "");
		}
	}
	g_array_free(w, true);
	return PL_EXIT_OK;
}

/* What keeps a resource from running, as Pacemaker's cli_resource_check sees it. */
static void
why_checks(struct pl_pengine_run *run, const char *id, const char *node, xmlNode *parent)
{
	const char *strategy = NULL;
	bool unhealthy = node && pl_pengine_node_unhealthy(run, node, &strategy);
	const char *top = pl_pengine_rsc_top(run, id);
	GHashTable *meta = pl_pengine_rsc_meta(run, top);
	const char *tr = meta ? g_hash_table_lookup(meta, "target-role") : NULL;
	const char *managed = meta ? g_hash_table_lookup(meta, "is-managed") : NULL;
	bool stopped = tr && !g_ascii_strcasecmp(tr, "Stopped");
	bool unpromotable =
	    tr && !g_ascii_strcasecmp(tr, "Unpromoted") && pl_pengine_rsc_promotable(run, id);
	bool unmanaged = managed &&
	    (!g_ascii_strcasecmp(managed, "false") || !strcmp(managed, "0") ||
		!g_ascii_strcasecmp(managed, "no") || !g_ascii_strcasecmp(managed, "off"));

	if (!stopped && !unpromotable && !unmanaged && !unhealthy)
		return;
	if (parent) {
		xmlNode *c = pl_xml_add_child(parent, "check");
		pl_xml_set_attr(c, "id", top);
		if (stopped)
			pl_xml_set_attr(c, "remain_stopped", "true");
		if (unpromotable)
			pl_xml_set_attr(c, "promotable", "false");
		if (unmanaged)
			pl_xml_set_attr(c, "unmanaged", "true");
		if (unhealthy)
			pl_xml_set_attr(c, "unhealthy", "true");
		return;
	}
	if (stopped)
		out_info("Configuration specifies '%s' should remain stopped", top);
	if (unpromotable)
		out_info("Configuration specifies '%s' should not be promoted", top);
	if (unmanaged)
		out_info(
		    "Configuration prevents cluster from stopping or starting unmanaged '%s'", top);
	if (unhealthy)
		out_info("'%s' cannot run on unhealthy nodes due to %s", top, strategy);
}

static bool
running_on(GArray *w, const char *node)
{
	for (guint i = 0; i < w->len; i++)
		if (node == NULL || !strcmp(g_array_index(w, struct pl_rsc_where, i).node, node))
			return true;
	return false;
}

int
rsc_cmd_why(void)
{
	struct pl_pengine_run *run = rsc_status();
	const char *node = NULL;
	xmlNode *reason = NULL;

	if (run == NULL)
		return PL_EXIT_CONFIG;
	/* Pacemaker names a clone's member by its first instance ("grp" -> "grp:0") */
	const char *rsc = opt.rsc ? pl_pengine_rsc_find_instance(run, opt.rsc) : NULL;

	if (opt.rsc && rsc == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Resource '%s' not found", opt.rsc);
	if (opt.node && (node = pl_pengine_node_name(run, opt.node)) == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Node '%s' not found", opt.node);
	if (out_xml())
		reason = pl_xml_add_child(out_root(), "reason");
	if (rsc) {
		GArray *w = pl_pengine_rsc_where(run, rsc);
		bool on = running_on(w, node);

		if (reason && node && on)
			pl_xml_set_attr(reason, "running_on", node);
		else if (reason && !node)
			pl_xml_set_attr(reason, "running", on ? "true" : "false");
		else if (node)
			out_info("Resource %s is %srunning on host %s", rsc, on ? "" : "not ", node);
		else
			out_info("Resource %s is %srunning", rsc, on ? "" : "not ");
		why_checks(run, rsc, node, reason);
		g_array_free(w, true);
		return PL_EXIT_OK;
	}
	GPtrArray *tops = g_ptr_array_new();

	pl_pengine_rsc_top_ids(run, tops);
	for (guint i = 0; i < tops->len; i++) {
		const char *id = tops->pdata[i];
		GArray *w = pl_pengine_rsc_where(run, id);
		bool on;

		on = running_on(w, node);
		if (reason) {
			xmlNode *r = pl_xml_add_child(reason, "resource");
			pl_xml_set_attr(r, "id", id);
			pl_xml_set_attr(r, "running", on ? "true" : "false");
			why_checks(run, id, node, r);
		} else {
			out_info("Resource %s is %srunning%s%s", id, on ? "" : "not ",
			    node ? " on host " : "", node ? node : "");
			why_checks(run, id, node, NULL);
		}
		g_array_free(w, true);
	}
	g_ptr_array_free(tops, true);
	return PL_EXIT_OK;
}

/* The transition number and the transition engine's uuid of an operation's
 * transition-magic ("STATUS:RC;ACTION:TRANSITION:TARGET_RC:UUID"); false without one. */
static bool
op_transition(const xmlNode *op, long *transition, const char **uuid)
{
	const char *m = pl_xml_attr(op, "transition-magic");
	const char *k = m ? strchr(m, ';') : NULL;
	char *end;

	if (k == NULL || (k = strchr(k + 1, ':')) == NULL)
		return false;
	*transition = strtol(k + 1, &end, 10);
	if (*end != ':' || (end = strchr(end + 1, ':')) == NULL)
		return false;
	*uuid = end + 1;
	return true;
}

/* Pacemaker's sort_op_by_callid: by call id; an operation in flight (call -1) against a
 * completed one by transition when both come from one transition engine, else after it. */
static int
by_call_id(gconstpointer a, gconstpointer b)
{
	const xmlNode *xa = *(xmlNode *const *)a, *xb = *(xmlNode *const *)b;
	const char *x = pl_xml_attr(xa, "call-id"), *y = pl_xml_attr(xb, "call-id");
	long cx = x ? strtol(x, NULL, 10) : -1, cy = y ? strtol(y, NULL, 10) : -1;
	long ta, tb;
	const char *ua, *ub;

	if (cx == -1 && cy == -1)
		return 0;
	if (cx != -1 && cy != -1)
		return cx < cy ? -1 : cx > cy;
	if (op_transition(xa, &ta, &ua) && op_transition(xb, &tb, &ub) &&
	    strcasecmp(ua, ub) == 0 && ta != tb)
		return ta < tb ? -1 : 1;
	return cx == -1 ? 1 : -1;
}

/* A resource's operations on a node by call id; with `active`, only those since its last
 * start (none when a stop came after it), as Pacemaker's find_operations */
static GPtrArray *
active_ops(xmlNode *lr, bool active)
{
	GPtrArray *all = g_ptr_array_new();
	int start = -1, stop = -1, implied_mon = -1, implied_clone = -1;

	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
	g_ptr_array_add(all, op);
	g_ptr_array_sort(all, by_call_id);
	if (!active)
		return all;
	for (guint i = 0; i < all->len; i++) {
		const char *task = pl_xml_attr(all->pdata[i], "operation");
		const char *st = pl_xml_attr(all->pdata[i], "op-status");
		const char *rc = pl_xml_attr(all->pdata[i], "rc-code");

		if (!g_strcmp0(task, "stop") && !g_strcmp0(st, "0"))
			stop = (int)i;
		else if (!g_strcmp0(task, "start") || !g_strcmp0(task, "migrate_from"))
			start = (int)i;
		else if (implied_mon <= stop && !g_strcmp0(task, "monitor") &&
		    (!g_strcmp0(rc, "0") || !g_strcmp0(rc, "8")))
			implied_mon = (int)i;
		else if (!g_strcmp0(task, "promote") || !g_strcmp0(task, "demote"))
			implied_clone = (int)i;
	}
	if (start == -1)
		start = implied_clone != -1 ? implied_clone : implied_mon;
	GPtrArray *out = g_ptr_array_new();
	if (!(start < stop))
		for (guint i = 0; i < all->len; i++)
			if ((int)i >= start)
				g_ptr_array_add(out, all->pdata[i]);
	g_ptr_array_free(all, true);
	return out;
}

/* --list-operations / --list-all-operations: the recorded operations of the status section,
 * node by node in its order, optionally for one resource (-r) and node (-N) */
int
rsc_cmd_list_ops(void)
{
	struct pl_pengine_run *run = rsc_status();
	xmlNode *status = pl_xml_first_child(rsc_cib_root(), "status");
	xmlNode *list = NULL;

	if (run == NULL)
		return PL_EXIT_CONFIG;
	if (out_xml())
		list = pl_xml_add_child(out_root(), "operations");
	PL_XML_FOREACH_CHILD(status, "node_state", ns)
	{
		const char *node = pl_xml_attr(ns, "uname");
		xmlNode *lrm = pl_xml_first_child(ns, "lrm");
		xmlNode *lrs = lrm ? pl_xml_first_child(lrm, "lrm_resources") : NULL;

		if (opt.node && g_strcmp0(node, opt.node))
			continue;
		PL_XML_FOREACH_CHILD(lrs, "lrm_resource", lr)
		{
			const char *id = pl_xml_id(lr);
			const char *cls = pl_xml_attr(lr, "class"),
				   *prov = pl_xml_attr(lr, "provider");
			const char *type = pl_xml_attr(lr, "type");
			const char *name = id;
			struct pl_buf state = PL_BUF_INIT;

			if (opt.rsc && (id == NULL || g_ascii_strcasecmp(id, opt.rsc)))
				continue;
			/* the resource the history names (an anonymous clone's instance printed
			 * by its configured id) and its state */
			if (!pl_pengine_rsc_history_state(run, id, &name, &state))
				pl_buf_add(&state, "Stopped");
			GPtrArray *ops = active_ops(lr, !strcmp(opt.cmd, "list-operations"));
			for (guint k = 0; k < ops->len; k++) {
				xmlNode *op = ops->pdata[k];
				const char *key = pl_xml_attr(op, "operation_key");
				const char *st = pl_xml_attr(op, "op-status");
				const char *status_text =
				    pl_pengine_exec_status_text(st ? (int)strtol(st, NULL, 10) : 0);

				/* Pacemaker's ctime() of last-rc-change, local time ("" without one; 0 is 1970) */
				char changed[64] = "";
				const char *lrc = pl_xml_attr(op, "last-rc-change");
				if (lrc != NULL) {
					time_t t = (time_t)strtoll(lrc, NULL, 10);
					struct tm tm;
					localtime_r(&t, &tm);
					strftime(
					    changed, sizeof(changed), "%a %b %e %H:%M:%S %Y", &tm);
				}
				if (key == NULL)
					key = pl_xml_id(op);
				if (list) {
					xmlNode *o = pl_xml_add_child(list, "operation");
					char *agent = g_strdup_printf("%s:%s:%s", cls ? cls : "",
					    prov ? prov : "", type ? type : "");
					pl_xml_set_attr(o, "op", key);
					pl_xml_set_attr(o, "node", node);
					pl_xml_set_attr(o, "call", pl_xml_attr(op, "call-id"));
					pl_xml_set_attr(o, "rc", pl_xml_attr(op, "rc-code"));
					pl_xml_set_attr(o, "status", status_text);
					pl_xml_set_attr(o, "rsc", id);
					pl_xml_set_attr(o, "agent", agent);
					if (*changed)
						pl_xml_set_attr(o, "last-rc-change", changed);
					pl_xml_set_attr(o, "exec-time", pl_xml_attr(op, "exec-time"));
					g_free(agent);
					continue;
				}
				/* the change time and the run time only with a change time */
				char *when = *changed
				    ? g_strdup_printf(", last-rc-change='%s', exec=%sms", changed,
					  pl_xml_attr(op, "exec-time"))
				    : g_strdup("");
				out_info(
				    "%s\t(%s%s%s:%s):\t %s: %s (node=%s, call=%s, rc=%s%s): %s",
				    name, cls ? cls : "", prov ? ":" : "", prov ? prov : "",
				    type ? type : "", pl_buf_str(&state), key, node,
				    pl_xml_attr(op, "call-id"), pl_xml_attr(op, "rc-code"), when,
				    status_text);
				g_free(when);
			}
			g_ptr_array_free(ops, true);
			pl_buf_free(&state);
		}
	}
	return PL_EXIT_OK;
}
