/*
 * guest.c - guest nodes: a primitive with meta-attribute remote-node=G (a VM or container,
 * "the container") hosts Pacemaker Remote node G, reached through an implicit connection
 * resource G (ocf:pacemaker:remote, monitored every 30 s), as Pacemaker 2.1.5 makes them:
 *
 *	container C  --start-->  connection G  --start-->  resources on guest node G
 *	             <--stop---               <--stop---
 *	G is colocated with C (INFINITY); C itself never runs on a Pacemaker Remote node
 *
 * When C moves or restarts, G follows and what runs on G restarts ("due to required C
 * start", remote.c). Bundles make their own guests (bundle.c), not scheduled yet.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

/* The connection of guest node n, its container set on both (called while unpacking
 * resources, once the container exists). */
struct pengine_rsc *
pengine_guest_connection(struct pengine_ws *ws, struct pengine_node *n)
{
	xmlNode *def = pengine_implicit_def(ws, n->id, "ocf", "pacemaker", "remote");
	xmlNode *ops = xmlNewChild(def, NULL, BAD_CAST "operations", NULL);
	xmlNode *op = xmlNewChild(ops, NULL, BAD_CAST "op", NULL);
	char *id = xasprintf("%s-monitor-interval-30s", n->id);
	pl_xml_set_attr(op, "id", id);
	free(id);
	pl_xml_set_attr(op, "name", "monitor");
	pl_xml_set_attr(op, "interval", "30s");
	pl_xml_set_attr(op, "timeout", "30s");
	struct pengine_rsc *g = pengine_unpack_primitive(ws, def, NULL);
	g->implicit = true;
	g->container = n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
	if (g->container)
		g->container->is_container = true;
	else
		g->unsupported = true;
	return g;
}

/* after the constraints: each guest connection with its container, started after it */
void
pengine_guest_constraints(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *g = ws->rscs[i];
		if (!g->implicit || g->container == NULL || g->unsupported)
			continue;
		pengine_add_colocation(ws, g->id, g, g->container, INF);
		pengine_add_ordering(ws, g->container, "start", g, "start", true);
	}
}

/* whether a guest node stays up through this transition: its connection and container
 * run where they are placed (probes wait for a guest that starts or moves) */
bool
pengine_guest_settled(struct pengine_ws *ws, const struct pengine_node *n)
{
	struct pengine_rsc *g = g_hash_table_lookup(ws->rsc_by_id, n->id);
	if (g == NULL || !g->implicit || g->container == NULL)
		return !n->coming_up;
	struct pengine_rsc *c = g->container;
	return !n->coming_up && g->n_running == 1 && g->assigned == g->running[0] && !g->failed &&
	    c->n_running == 1 && c->assigned == c->running[0] && !c->failed && !c->restart_due;
}
