/*
 * mon_html.c - crm_mon --output-as=html: a status page for people, drawn from the same
 * status XML scripts read (so the page never shows what the XML does not say).
 *
 * Sections: a summary bar (DC, quorum, counts, last update), nodes, resources (groups and
 * clones nested), failed actions, node attributes, tickets, bans. The page reloads itself
 * every --interval seconds (default 5).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "paceline/xml.h"
#include "crm_mon.h"

static const char style[] =
    "body{font-family:system-ui,sans-serif;margin:1.5em;background:#f6f7f9;color:#222}"
    "h1{font-size:1.4em;margin:0 0 .6em}h2{font-size:1.1em;margin:1.4em 0 .4em}"
    ".bar{display:flex;flex-wrap:wrap;gap:.6em}.card{background:#fff;border-radius:6px;"
    "padding:.5em .9em;box-shadow:0 1px 2px #0002}.card b{display:block;font-size:1.2em}"
    "table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0002;min-width:60%}"
    "th,td{text-align:left;padding:.35em .8em;border-bottom:1px solid #eee}"
    "th{background:#eef0f3;font-weight:600}"
    ".ok{color:#fff;background:#2e7d32}.warn{color:#000;background:#f9a825}"
    ".bad{color:#fff;background:#c62828}.off{color:#fff;background:#757575}"
    ".tag{border-radius:4px;padding:.1em .5em;font-size:.9em;white-space:nowrap}"
    ".sub td:first-child{padding-left:2em}.muted{color:#777}";

static void
esc(struct pl_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': pl_buf_add(b, "&lt;"); break;
		case '>': pl_buf_add(b, "&gt;"); break;
		case '&': pl_buf_add(b, "&amp;"); break;
		case '"': pl_buf_add(b, "&quot;"); break;
		default: pl_buf_addf(b, "%c", *s);
		}
	}
}

static const char *
attr(xmlNode *x, const char *name)
{
	const char *v = x ? pl_xml_attr(x, name) : NULL;
	return v ? v : "";
}

static bool
is(xmlNode *x, const char *name)
{
	return !strcmp(attr(x, name), "true");
}

static void
tag(struct pl_buf *b, const char *cls, const char *text)
{
	pl_buf_addf(b, "<span class=\"tag %s\">", cls);
	esc(b, text);
	pl_buf_add(b, "</span> ");
}

static void
card(struct pl_buf *b, const char *label, const char *value)
{
	pl_buf_add(b, "<div class=\"card\"><b>");
	esc(b, value);
	pl_buf_add(b, "</b>");
	esc(b, label);
	pl_buf_add(b, "</div>");
}

static void
summary(xmlNode *s, xmlNode *fs, struct pl_buf *b)
{
	xmlNode *dc = pl_xml_first_child(s, "current_dc");
	char n[64];
	pl_buf_add(b, "<div class=\"bar\">");
	card(b, "designated coordinator", is(dc, "present") ? attr(dc, "name") : "NONE");
	card(b, "quorum", is(dc, "with_quorum") ? "yes" : "NO");
	snprintf(n, sizeof(n), "%s", attr(pl_xml_first_child(s, "nodes_configured"), "number"));
	card(b, "nodes configured", n);
	xmlNode *rc = pl_xml_first_child(s, "resources_configured");
	snprintf(n, sizeof(n), "%s", attr(rc, "number"));
	card(b, "resource instances", n);
	if (strcmp(attr(rc, "disabled"), "0") && *attr(rc, "disabled"))
		card(b, "disabled", attr(rc, "disabled"));
	if (strcmp(attr(rc, "blocked"), "0") && *attr(rc, "blocked"))
		card(b, "blocked", attr(rc, "blocked"));
	snprintf(n, sizeof(n), "%lu", fs ? xmlChildElementCount(fs) : 0UL);
	card(b, "failed actions", n);
	card(b, "stack", attr(pl_xml_first_child(s, "stack"), "type"));
	card(b, "last updated", attr(pl_xml_first_child(s, "last_update"), "time"));
	pl_buf_add(b, "</div>\n");
	xmlNode *o = pl_xml_first_child(s, "cluster_options");
	if (is(o, "maintenance-mode"))
		pl_buf_add(b,
		    "<p><span class=\"tag warn\">maintenance mode: resource management is disabled"
		    "</span></p>\n");
	if (!is(o, "stonith-enabled"))
		pl_buf_add(b, "<p><span class=\"tag warn\">fencing is disabled</span></p>\n");
}

static void
nodes(xmlNode *ns, struct pl_buf *b)
{
	pl_buf_add(b,
	    "<h2>Nodes</h2>\n<table><tr><th>node</th><th>state</th><th>type</th>"
	    "<th>resources</th></tr>\n");
	PL_XML_FOREACH_CHILD(ns, "node", n)
	{
		pl_buf_add(b, "<tr><td>");
		esc(b, attr(n, "name"));
		if (is(n, "is_dc"))
			pl_buf_add(b, " <span class=\"muted\">(DC)</span>");
		pl_buf_add(b, "</td><td>");
		if (is(n, "unclean"))
			tag(b, "bad", "UNCLEAN");
		if (is(n, "online"))
			tag(b, strcmp(attr(n, "health"), "green") ? "warn" : "ok", "online");
		else if (is(n, "pending"))
			tag(b, "warn", "pending");
		else
			tag(b, "off", "offline");
		if (is(n, "standby"))
			tag(b, "warn", "standby");
		if (is(n, "maintenance"))
			tag(b, "warn", "maintenance");
		if (strcmp(attr(n, "health"), "green") && *attr(n, "health"))
			tag(b, "warn", attr(n, "health"));
		pl_buf_add(b, "</td><td>");
		esc(b, attr(n, "type"));
		pl_buf_addf(b, "</td><td>%s</td></tr>\n", attr(n, "resources_running"));
	}
	pl_buf_add(b, "</table>\n");
}

static void
resource_row(xmlNode *r, bool sub, struct pl_buf *b)
{
	pl_buf_addf(b, "<tr%s><td>", sub ? " class=\"sub\"" : "");
	esc(b, attr(r, "id"));
	pl_buf_add(b, "</td><td>");
	esc(b, attr(r, "resource_agent"));
	pl_buf_add(b, "</td><td>");
	const char *role = attr(r, "role");
	if (is(r, "failed"))
		tag(b, "bad", "FAILED");
	tag(b, !strcmp(role, "Stopped") ? "off" : "ok", role);
	if (*attr(r, "pending"))
		tag(b, "warn", attr(r, "pending"));
	if (is(r, "blocked"))
		tag(b, "bad", "blocked");
	else if (!is(r, "managed"))
		tag(b, "warn", "unmanaged");
	if (is(r, "orphaned"))
		tag(b, "warn", "orphaned");
	if (!strcasecmp(attr(r, "target_role"), "stopped"))
		tag(b, "off", "disabled");
	pl_buf_add(b, "</td><td>");
	bool first = true;
	PL_XML_FOREACH_CHILD(r, "node", n)
	{
		if (!first)
			pl_buf_add(b, ", ");
		esc(b, attr(n, "name"));
		first = false;
	}
	pl_buf_add(b, "</td></tr>\n");
}

static void
resources(xmlNode *rs, struct pl_buf *b)
{
	pl_buf_add(b,
	    "<h2>Resources</h2>\n<table><tr><th>resource</th><th>agent</th><th>state</th>"
	    "<th>where</th></tr>\n");
	bool any = false;
	for (xmlNode *r = rs ? rs->children : NULL; r; r = r->next) {
		if (r->type != XML_ELEMENT_NODE)
			continue;
		any = true;
		if (pl_xml_is(r, "resource")) {
			resource_row(r, false, b);
			continue;
		}
		const char *kind = pl_xml_is(r, "group") ? "group"
		    : pl_xml_is(r, "clone") ? (is(r, "multi_state") ? "promotable clone" : "clone")
					    : "bundle";
		pl_buf_add(b, "<tr><td><b>");
		esc(b, attr(r, "id"));
		pl_buf_addf(b, "</b></td><td class=\"muted\">%s</td><td>", kind);
		if (is(r, "disabled"))
			tag(b, "off", "disabled");
		if (*attr(r, "managed") && !is(r, "managed"))
			tag(b, "warn", "unmanaged");
		pl_buf_add(b, "</td><td></td></tr>\n");
		for (xmlNode *c = r->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (pl_xml_is(c, "resource"))
				resource_row(c, true, b);
			else
				PL_XML_FOREACH_CHILD(c, "resource", cc)
			resource_row(cc, true, b);
		}
	}
	if (!any)
		pl_buf_add(b, "<tr><td colspan=\"4\" class=\"muted\">no resources</td></tr>\n");
	pl_buf_add(b, "</table>\n");
}

static void
failures(xmlNode *fs, struct pl_buf *b)
{
	if (fs == NULL)
		return;
	pl_buf_add(b,
	    "<h2>Failed resource actions</h2>\n<table><tr><th>operation</th><th>node</th>"
	    "<th>result</th><th>reason</th><th>when</th></tr>\n");
	PL_XML_FOREACH_CHILD(fs, "failure", f)
	{
		pl_buf_add(b, "<tr><td>");
		esc(b, *attr(f, "op_key") ? attr(f, "op_key") : attr(f, "id"));
		pl_buf_add(b, "</td><td>");
		esc(b, attr(f, "node"));
		pl_buf_add(b, "</td><td>");
		tag(b, "bad", attr(f, "exitstatus"));
		esc(b, attr(f, "status"));
		pl_buf_add(b, "</td><td>");
		esc(b, strcmp(attr(f, "exitreason"), "none") ? attr(f, "exitreason") : "");
		pl_buf_add(b, "</td><td>");
		esc(b, attr(f, "last-rc-change"));
		pl_buf_add(b, "</td></tr>\n");
	}
	pl_buf_add(b, "</table>\n");
}

/* resources with a fail count, from the node history */
static void
failcounts(xmlNode *nh, struct pl_buf *b)
{
	bool any = false;
	PL_XML_FOREACH_CHILD(nh, "node", n)
	PL_XML_FOREACH_CHILD(n, "resource_history", r)
	{
		if (!*attr(r, "fail-count"))
			continue;
		if (!any)
			pl_buf_add(b,
			    "<h2>Fail counts</h2>\n<table><tr><th>resource</th><th>node</th>"
			    "<th>fail count</th><th>migration threshold</th><th>last "
			    "failure</th></tr>\n");
		any = true;
		pl_buf_add(b, "<tr><td>");
		esc(b, attr(r, "id"));
		pl_buf_add(b, "</td><td>");
		esc(b, attr(n, "name"));
		pl_buf_add(b, "</td><td>");
		tag(b, "bad", attr(r, "fail-count"));
		pl_buf_add(b, "</td><td>");
		esc(b, attr(r, "migration-threshold"));
		pl_buf_add(b, "</td><td>");
		esc(b, attr(r, "last-failure"));
		pl_buf_add(b, "</td></tr>\n");
	}
	if (any)
		pl_buf_add(b, "</table>\n");
}

static void
node_attrs(xmlNode *na, struct pl_buf *b)
{
	if (na == NULL)
		return;
	pl_buf_add(b,
	    "<h2>Node attributes</h2>\n<table><tr><th>node</th><th>attribute</th>"
	    "<th>value</th></tr>\n");
	PL_XML_FOREACH_CHILD(na, "node", n)
	PL_XML_FOREACH_CHILD(n, "attribute", a)
	{
		pl_buf_add(b, "<tr><td>");
		esc(b, attr(n, "name"));
		pl_buf_add(b, "</td><td>");
		esc(b, attr(a, "name"));
		pl_buf_add(b, "</td><td>");
		esc(b, attr(a, "value"));
		pl_buf_add(b, "</td></tr>\n");
	}
	pl_buf_add(b, "</table>\n");
}

static void
tickets_bans(xmlNode *ts, xmlNode *bs, struct pl_buf *b)
{
	if (ts) {
		pl_buf_add(b, "<h2>Tickets</h2>\n<table><tr><th>ticket</th><th>status</th></tr>\n");
		PL_XML_FOREACH_CHILD(ts, "ticket", t)
		{
			pl_buf_add(b, "<tr><td>");
			esc(b, attr(t, "id"));
			pl_buf_add(b, "</td><td>");
			tag(b, !strcmp(attr(t, "status"), "granted") ? "ok" : "off",
			    attr(t, "status"));
			if (is(t, "standby"))
				tag(b, "warn", "standby");
			pl_buf_add(b, "</td></tr>\n");
		}
		pl_buf_add(b, "</table>\n");
	}
	if (bs) {
		pl_buf_add(b,
		    "<h2>Bans</h2>\n<table><tr><th>constraint</th><th>resource</th>"
		    "<th>node</th><th>score</th></tr>\n");
		PL_XML_FOREACH_CHILD(bs, "ban", x)
		{
			pl_buf_add(b, "<tr><td>");
			esc(b, attr(x, "id"));
			pl_buf_add(b, "</td><td>");
			esc(b, attr(x, "resource"));
			pl_buf_add(b, "</td><td>");
			esc(b, attr(x, "node"));
			pl_buf_add(b, "</td><td>");
			esc(b, attr(x, "weight"));
			pl_buf_add(b, "</td></tr>\n");
		}
		pl_buf_add(b, "</table>\n");
	}
}

void
mon_html(struct mon *m, struct pl_pengine_run *run, struct pl_buf *out)
{
	struct pl_mon_opts o = m->opts;
	struct pl_buf xml = PL_BUF_INIT;
	struct pl_error err = PL_ERROR_INIT;
	o.show |= PL_MON_SUMMARY | PL_MON_TIMES;
	o.inactive = true;
	pl_pengine_mon_xml(run, &o, &xml);
	xmlDoc *doc = pl_xml_parse_memory(xml.s, xml.len, "status", &err);
	pl_buf_free(&xml);
	xmlNode *root = doc ? pl_xml_root(doc) : NULL;
	pl_buf_addf(out,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"refresh\" content=\"%d\">\n<title>Cluster status</title>\n"
	    "<style>%s</style></head>\n<body>\n<h1>Cluster status</h1>\n",
	    m->interval, style);
	if (root) {
		if (pl_xml_first_child(root, "summary"))
			summary(pl_xml_first_child(root, "summary"),
			    pl_xml_first_child(root, "failures"), out);
		if (pl_xml_first_child(root, "nodes"))
			nodes(pl_xml_first_child(root, "nodes"), out);
		if (m->opts.show & PL_MON_RESOURCES)
			resources(pl_xml_first_child(root, "resources"), out);
		if (m->opts.show & PL_MON_FAILURES) {
			failures(pl_xml_first_child(root, "failures"), out);
			failcounts(pl_xml_first_child(root, "node_history"), out);
		}
		node_attrs(pl_xml_first_child(root, "node_attributes"), out);
		tickets_bans(
		    pl_xml_first_child(root, "tickets"), pl_xml_first_child(root, "bans"), out);
	} else {
		pl_buf_add(out, "<p class=\"bad\">the status could not be rendered</p>\n");
	}
	pl_buf_addf(out,
	    "<p class=\"muted\">crm_mon (Paceline), refreshed every %d s</p>\n"
	    "</body></html>\n",
	    m->interval);
	if (doc)
		xmlFreeDoc(doc);
}
