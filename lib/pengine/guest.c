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
	xmlNode *def = pengine_implicit_monitor(
	    pengine_implicit_def(ws, n->id, "ocf", "pacemaker", "remote"), "30s");
	struct pengine_rsc *g = pengine_unpack_primitive(ws, def, NULL);
	g->implicit = true;
	g->container = n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
	if (g->container)
		g->container->is_container = true;
	else
		g->unsupported = true;
	return g;
}

/* The container primitive r runs inside (its meta-attribute container=C names a primitive
 * that hosts no guest node), or NULL */
struct pengine_rsc *
pengine_container_of(struct pengine_ws *ws, const struct pengine_rsc *r)
{
	const char *cid = r->meta ? g_hash_table_lookup(r->meta, "container") : NULL;
	struct pengine_rsc *c = cid ? g_hash_table_lookup(ws->rsc_by_id, cid) : NULL;
	if (c == NULL || c == r || c->kind != KIND_PRIMITIVE || c->is_container)
		return NULL; /* (a guest node's container hosts it, not the resource) */
	return c;
}

/* after the constraints: each guest connection with its container, started after it; so
 * is a primitive whose meta-attribute container=C names a primitive (it runs inside C,
 * which Pacemaker does not probe for it) */
void
pengine_guest_constraints(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		struct pengine_rsc *c = (r->kind == KIND_PRIMITIVE || r->kind == KIND_GROUP) &&
			!r->implicit && !r->orphan &&
			(r->parent == NULL || r->parent->kind != KIND_GROUP)
		    ? pengine_container_of(ws, r)
		    : NULL;
		if (c == NULL)
			continue;
		bool inside = c->parent == r; /* a group holding its own container */
		c->hosts_fillers = true; /* its fillers' failures count as its own (container-group-4) */
		r->filler = !inside;
		for (int k = 0; k < r->n_children; k++) /* a group's members with it */
			r->children[k]->filler = r->children[k] != c;
		/* a filler that failed (and is restarted) restarts its container - also a
		 * member of the group that holds it (container-group-3) */
		bool failed = r->failed && r->on_fail == ONFAIL_RESTART;
		for (int k = 0; inside && k < r->n_children; k++)
			if (r->children[k] != c && r->children[k]->failed &&
			    r->children[k]->on_fail == ONFAIL_RESTART)
				failed = true;
		if (failed && c->n_running == 1 && c->managed) {
			/* (unless the failures reach its migration-threshold: it moves then) */
			int n = c->running[0]->idx;
			int fc = c->pn[n].failcount + pengine_filler_failcount(ws, c, n);
			if (c->migration_threshold <= 0 || fc < c->migration_threshold)
				c->restart_due = true;
		}
		if (inside)
			continue;
		pengine_add_colocation(ws, r->id, r, c, INF);
		pengine_add_ordering(ws, c, "start", r, "start", true);
	}
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
	/* a guest whose container runs already is probed once its connection is up (a
	 * container that starts now: not yet) */
	return c->n_running == 1 && c->assigned && !c->failed && g->assigned && !g->failed &&
	    (g->n_running == 0 || g->assigned == g->running[0]);
}

/* whether what is placed on node n can run there: a guest's connection and container are
 * placed (a bundled instance stays placed on its guest while they cannot be, its start
 * blocked; it is not promoted there) */
bool
pengine_guest_can_host(struct pengine_ws *ws, const struct pengine_node *n)
{
	if (!n->guest)
		return true;
	struct pengine_rsc *g = g_hash_table_lookup(ws->rsc_by_id, n->id);
	if (g == NULL || g->container == NULL)
		return true;
	return g->assigned && g->container->assigned;
}

/* A guest whose container failed, or whose container's host is lost, is fenced (as
 * Pacemaker: "guest is unclean"); fencing a guest is a pseudo-action that its container's
 * stop carries out. What runs there counts as failed. */
void
pengine_guest_unclean(struct pengine_ws *ws, struct pengine_node *n)
{
	struct pengine_rsc *c = n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
	struct pengine_rsc *g = g_hash_table_lookup(ws->rsc_by_id, n->id);
	if (c == NULL) /* (fencing a guest needs no fencing device) */
		return;
	/* a bundle's guest whose container is gone (its host left with its history) while
	 * something is thought to run there: powered off */
	if (c->n_running == 0 && n->in_bundle && n->guest_child && pengine_can_fence(ws) &&
	    pengine_rsc_active_on(n->guest_child, n)) {
		n->guest_reset = true;
		n->online = false;
		n->unclean_reason = "guest is unclean";
		n->guest_fence_off = true;
		n->guest_child->failed = true;
		n->guest_child->pn[n->idx].failed = true;
		return;
	}
	/* a container that failed where it is not running any more, while its guest's
	 * resources are thought active there: rebooted too */
	if (c->n_running == 0 && c->failed && !n->in_bundle) {
		for (int i = 0; i < ws->n_rscs; i++) {
			struct pengine_rsc *r = ws->rscs[i];
			if (r->kind != KIND_PRIMITIVE || r == g || !pengine_rsc_active_on(r, n))
				continue;
			n->guest_reset = true;
			r->failed = true;
			r->pn[n->idx].failed = true;
		}
		if (n->guest_reset) {
			n->online = false;
			n->unclean_reason = "guest is unclean";
		}
		return;
	}
	if (c->n_running != 1)
		return;
	struct pengine_node *host = c->running[0];
	bool failed = c->failed || (g && g->implicit && g->failed && g->n_running > 0);
	bool lost = host->unclean;
	if (!failed && !lost)
		return;
	n->guest_reset = true;
	n->online = false;
	n->unclean_reason = "guest is unclean";
	/* a bundle's guest whose host is lost is powered off, others rebooted */
	n->guest_fence_off = !failed && n->in_bundle;
	/* what runs there failed with it; the container is then recovered (that is the
	 * fencing), otherwise it merely moves with its lost host */
	bool any = false;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || r == g || !pengine_rsc_active_on(r, n))
			continue;
		r->failed = true;
		r->pn[n->idx].failed = true;
		any = true;
	}
	if (any || failed) {
		c->failed = true;
		c->pn[host->idx].failed = true;
	}
}

/* The fencing of guest n: a pseudo-action once its container has stopped */
void
pengine_guest_fence(struct pengine_ws *ws, struct pengine_action *f, struct pengine_node *n)
{
	struct pengine_rsc *c = n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
	f->flags |= AF_PSEUDO;
	for (int k = 0; c && k < c->n_running; k++) {
		struct pengine_action *s = pengine_action_find(ws, c, "stop", 0, c->running[k]);
		if (s)
			pengine_order_actions(s, f, OF_OPTIONAL);
	}
}

/* the fail counts on node index n of what runs inside container c (container meta) */
int
pengine_filler_failcount(struct pengine_ws *ws, const struct pengine_rsc *c, int n)
{
	int sum = 0;
	for (int i = 0; i < ws->n_rscs; i++) {
		const struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || !r->filler || r->pn == NULL ||
		    r->pn[n].failcount <= 0)
			continue;
		const char *cid = pengine_meta((struct pengine_rsc *)r, "container");
		if (cid && !strcmp(cid, c->id))
			sum += r->pn[n].failcount;
	}
	return sum;
}
