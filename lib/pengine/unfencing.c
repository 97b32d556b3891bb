/*
 * unfencing.c - unfencing ("on" fence actions) for fabric devices such as fence_scsi, as
 * Pacemaker's scheduler does it:
 *
 *   - unfencing is in use when fencing is enabled and a fence device says
 *     `provides=unfencing` (meta attribute);
 *   - then every fence device, and every other primitive that requires unfencing (meta
 *     `requires=unfencing`, the default for resources that are not fence devices while
 *     unfencing is in use), probes and starts on a node only after that node's "on" action:
 *     an optional ordering before a probe, a mandatory one before a start;
 *   - the "on" action itself is scheduled only where the node was never unfenced (no node
 *     attribute #node-unfenced, which the controller sets after unfencing), the node being
 *     online, clean and not shutting down: "Fence (on) NODE 'required by RSC TASK'".
 *
 * Remote and guest nodes are not unfenced here (their resources start without it).
 */
#include <string.h>
#include <strings.h>

#include "paceline/xalloc.h"

#include "pengine_private.h"

static bool
is_device(const struct pengine_rsc *r)
{
	return r->cls && strcmp(r->cls, "stonith") == 0;
}

static bool
meta_is(const struct pengine_rsc *r, const char *name, const char *value)
{
	const char *v = r->meta ? g_hash_table_lookup(r->meta, name) : NULL;
	return v && strcasecmp(v, value) == 0;
}

bool
pengine_unfencing_enabled(struct pengine_ws *ws)
{
	if (!ws->stonith_enabled)
		return false;
	for (int i = 0; i < ws->n_rscs; i++) {
		const struct pengine_rsc *r = ws->rscs[i];
		if (r->kind == KIND_PRIMITIVE && is_device(r) && meta_is(r, "provides", "unfencing"))
			return true;
	}
	return false;
}

/* The primitive's actions wait for unfencing of their node. */
static bool
needs_unfencing(struct pengine_ws *ws, const struct pengine_rsc *r)
{
	const char *req = r->meta ? g_hash_table_lookup(r->meta, "requires") : NULL;

	if (is_device(r))
		return true; /* fence devices need it whenever it is in use (they probe keys) */
	if (req)
		return strcasecmp(req, "unfencing") == 0;
	/* the default while unfencing is in use, except for remote connections */
	(void)ws;
	return !(r->meta && g_hash_table_lookup(r->meta, "remote-node")) &&
	    !(r->type && strcmp(r->type, "remote") == 0 && r->provider &&
		strcmp(r->provider, "pacemaker") == 0);
}

static bool
node_unfenced(const struct pengine_node *n)
{
	const char *v = n->attrs ? g_hash_table_lookup(n->attrs, "#node-unfenced") : NULL;
	return v != NULL && strcmp(v, "0") != 0;
}

/* The node's "on" action, created optional; made mandatory with the first reason. */
static struct pengine_action *
unfence_op(struct pengine_ws *ws, struct pengine_node *n)
{
	struct pengine_action *u = pengine_action_new(ws, NULL, "stonith", 0, n, true);
	u->flags |= AF_UNFENCE;
	return u;
}

static void
order_after(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n,
    struct pengine_action *a, int flags)
{
	struct pengine_action *u = unfence_op(ws, n);

	pengine_order_actions(u, a, flags);
	if (node_unfenced(n) || !n->online || n->unclean || n->shutdown)
		return;
	if (u->flags & AF_OPTIONAL) {
		u->flags &= ~AF_OPTIONAL;
		u->reason = pengine_keep(ws, xasprintf("required by %s %s", r->id, a->task));
	}
}

static void
rsc_unfencing(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n, const char *task)
{
	for (int c = 0; c < r->n_children; c++)
		rsc_unfencing(ws, r->children[c], n, task);
	if (r->kind != KIND_PRIMITIVE || !needs_unfencing(ws, r))
		return;
	struct pengine_action *a = pengine_action_find(ws, r, task, 0, n);
	if (a == NULL || (a->flags & AF_PSEUDO))
		return;
	order_after(ws, r, n, a, strcmp(task, "start") == 0 ? OF_IMPLIES_THEN : OF_OPTIONAL);
}

void
pengine_unfencing(struct pengine_ws *ws)
{
	if (!pengine_unfencing_enabled(ws) || !pengine_can_fence(ws))
		return;
	/* probes first, node by node, then starts: the order Pacemaker creates them in, so
	 * the first reason given is the one it shows */
	for (int n = 0; n < ws->n_nodes; n++) {
		struct pengine_node *node = ws->nodes[n];
		if (node->remote)
			continue;
		for (int i = 0; i < ws->n_order; i++)
			rsc_unfencing(ws, ws->order[i], node, "monitor");
	}
	for (int i = 0; i < ws->n_order; i++)
		for (int n = 0; n < ws->n_nodes; n++)
			if (!ws->nodes[n]->remote)
				rsc_unfencing(ws, ws->order[i], ws->nodes[n], "start");
}
