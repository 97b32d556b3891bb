/*
 * fencing_delay.c - priority-fencing-delay, as Pacemaker's scheduler computes it: when the
 * partition holds no more than half of the cluster's members and the nodes do not all have
 * the same priority, fencing a lost member that runs the highest total resource priority
 * waits priority-fencing-delay (so in a two-node split the side running the more important
 * resources shoots first); every other fencing gets 0, which still tells the fencer that
 * the delay was decided here. A node's priority is the sum of the `priority` meta attribute
 * of the primitives active on it, a promoted instance counting one more when its priority is
 * not 0. The graph carries it as CRM_meta_priority_fencing_delay (seconds) on the fencing.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/xml.h"
#include "pengine_private.h"

static long long
delay_s(struct pengine_ws *ws)
{
	GHashTable *o = pengine_strtab();
	xmlNode *crm = pl_xml_first_child(ws->config, "crm_config");
	long long s = 0;

	pengine_unpack_nvpairs(ws, crm, "cluster_property_set", NULL, o);
	const char *v = g_hash_table_lookup(o, "priority-fencing-delay");
	if (v)
		s = pengine_interval_ms(v) / 1000;
	g_hash_table_destroy(o);
	return s > 0 ? s : 0;
}

/* What the primitives active on n count for it. */
static long long
own_priority(struct pengine_ws *ws, const struct pengine_node *n)
{
	long long p = 0;

	for (int i = 0; i < ws->n_rscs; i++) {
		const struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || r->pn == NULL || !r->pn[n->idx].active)
			continue;
		p += r->priority;
		if (r->priority != 0 && r->pn[n->idx].role == ROLE_PROMOTED)
			p++;
	}
	return p;
}

/* n's own, plus that of the guest nodes whose container runs on n. */
static long long
node_priority(struct pengine_ws *ws, const struct pengine_node *n)
{
	long long p = own_priority(ws, n);

	for (int i = 0; i < ws->n_nodes; i++) {
		const struct pengine_node *g = ws->nodes[i];
		if (!g->guest || g->conn == NULL)
			continue;
		for (int k = 0; k < ws->n_rscs; k++) {
			const struct pengine_rsc *c = ws->rscs[k];
			if (c->kind == KIND_PRIMITIVE && c->pn && strcmp(c->id, g->conn) == 0 &&
			    c->pn[n->idx].active)
				p += own_priority(ws, g);
		}
	}
	return p;
}

long long
pengine_priority_fencing_delay(struct pengine_ws *ws, const struct pengine_node *target)
{
	long long d = delay_s(ws), top = 0, low = 0;
	int members = 0, online = 0;

	if (d <= 0)
		return -1; /* not in use: no field at all */
	if (target->remote || target->guest || target->online)
		return 0;
	for (int i = 0; i < ws->n_nodes; i++) {
		const struct pengine_node *n = ws->nodes[i];
		if (n->remote || n->guest)
			continue;
		long long p = node_priority(ws, n);
		members++;
		if (n->online)
			online++;
		if (members == 1 || p > top)
			top = p;
		if (members == 1 || p < low)
			low = p;
	}
	if (online > members / 2 || low == top || node_priority(ws, target) < top)
		return 0;
	return d;
}
