/*
 * unpack_nodes.c - the <nodes> section (sorted in natural name order) and the Pacemaker Remote
 * nodes a connection resource implies.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

/* ---- nodes ---- */

/* natural, case-insensitive order of node names (as Pacemaker lists nodes) */
static int
natural_cmp(const char *a, const char *b)
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

static int
node_cmp(const void *x, const void *y)
{
	const struct pengine_node *a = *(struct pengine_node *const *)x,
				  *b = *(struct pengine_node *const *)y;
	return natural_cmp(a->uname, b->uname);
}

static struct pengine_node *
node_add(struct pengine_ws *ws, const char *id, const char *uname)
{
	struct pengine_node *n = XNEW(struct pengine_node);
	n->idx = ws->n_nodes;
	n->id = xstrdup(id ? id : uname);
	n->uname = xstrdup(uname ? uname : id);
	n->attrs = pengine_strtab();
	ws->nodes = xreallocarray(ws->nodes, ws->n_nodes + 1, sizeof(*ws->nodes));
	ws->nodes[ws->n_nodes++] = n;
	g_hash_table_insert(ws->node_by_name, n->uname, n);
	if (!g_hash_table_contains(ws->node_by_name, n->id))
		g_hash_table_insert(ws->node_by_name, n->id, n);
	return n;
}

bool
pengine_is_remote_agent(const xmlNode *x)
{
	return !g_strcmp0(pl_xml_attr(x, "class"), "ocf") &&
	    !g_strcmp0(pl_xml_attr(x, "provider"), "pacemaker") &&
	    !g_strcmp0(pl_xml_attr(x, "type"), "remote");
}

static void
implied_remote_nodes(struct pengine_ws *ws, xmlNode *parent)
{
	PL_XML_FOREACH_CHILD(parent, NULL, x)
	{
		if (pl_xml_is(x, "group") || pl_xml_is(x, "clone") || pl_xml_is(x, "master")) {
			implied_remote_nodes(ws, x);
			continue;
		}
		for (int i = 0; pl_xml_is(x, "bundle") && i < pengine_bundle_guests(x); i++) {
			char *name = pengine_bundle_guest_name(x, i);
			struct pengine_node *n = g_hash_table_lookup(ws->node_by_name, name);
			if (n == NULL) /* a guest node may be in <nodes> already (its attributes) */
				n = node_add(ws, name, name);
			n->remote = n->guest = n->in_bundle = true;
			free(n->conn);
			n->conn = pengine_bundle_container_name(x, i);
			free(name);
		}
		if (!pl_xml_is(x, "primitive") || !pl_xml_id(x))
			continue;
		if (pengine_is_remote_agent(x)) {
			struct pengine_node *n = g_hash_table_lookup(ws->node_by_name, pl_xml_id(x));
			if (n == NULL) {
				n = node_add(ws, pl_xml_id(x), pl_xml_id(x));
				n->remote = true;
			}
			n->conn = xstrdup(pl_xml_id(x));
		} else {
			/* remote-node=G: the primitive is the container of guest node G, reached
			 * through an implicit connection resource G (pengine_unpack_resources); modelled
			 * for the status, not scheduled yet */
			PL_XML_FOREACH_CHILD(x, "meta_attributes", m)
			PL_XML_FOREACH_CHILD(m, "nvpair", nv)
			{
				const char *g = pl_xml_attr(nv, "value");
				if (g_strcmp0(pl_xml_attr(nv, "name"), "remote-node") || !g || !*g)
					continue;
				ws->unsupported = true;
				struct pengine_node *n = g_hash_table_lookup(ws->node_by_name, g);
				if (n == NULL)
					n = node_add(ws, g, g);
				n->remote = n->guest = true;
				free(n->conn);
				n->conn = xstrdup(pl_xml_id(x));
			}
		}
	}
}

void
pengine_unpack_nodes(struct pengine_ws *ws)
{
	xmlNode *nodes = pl_xml_first_child(ws->config, "nodes");
	PL_XML_FOREACH_CHILD(nodes, "node", x)
	{
		const char *type = pl_xml_attr(x, "type");
		if (pl_xml_id(x) == NULL) { /* as Pacemaker: such an entry is ignored */
			pengine_input_error(ws,
			    "configuration:%ld: <node> without an id attribute: entry "
			    "ignored",
			    pl_xml_line(x));
			continue;
		}
		struct pengine_node *n = node_add(ws, pl_xml_id(x), pl_xml_attr(x, "uname"));
		n->listed = true;
		if (type && !strcmp(type, "remote"))
			n->remote = true;
		n->weight = pl_score_parse(pl_xml_attr(x, "score"));
		n->state = x; /* temporarily: config element */
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
		struct pengine_node *n = ws->nodes[i];
		xmlNode *x = n->state;
		n->state = NULL;
		g_hash_table_insert(n->attrs, xstrdup("#uname"), xstrdup(n->uname));
		g_hash_table_insert(n->attrs, xstrdup("#id"), xstrdup(n->id));
		g_hash_table_insert(n->attrs, xstrdup("#kind"),
		    xstrdup(n->guest	? "container"
			    : n->remote ? "remote"
					: "cluster"));
		g_hash_table_insert(n->attrs, xstrdup("#is_dc"),
		    xstrdup(ws->dc_uuid && !strcmp(ws->dc_uuid, n->id) ? "true" : "false"));
		pengine_unpack_nvpairs(ws, x, "instance_attributes", n, n->attrs);
		if (x && pl_xml_first_child(x, "utilization")) {
			n->util = pengine_strtab();
			pengine_unpack_nvpairs(ws, x, "utilization", n, n->util);
		}
	}
}
