/*
 * discovery.c - rsc_location's resource-discovery, as Pacemaker 2.1.5 applies it:
 *
 *	always     (default) probe the resource on the node
 *	never      never probe it there (it may still run there)
 *	exclusive  probe it only on nodes such constraints name, and run it only there: every
 *	           other node allowed so far gets -INFINITY before placement
 *
 * The mode is recorded per resource and node while locations are applied (the resource a
 * constraint names and, for a group or clone, its members and instances); the latest
 * constraint naming a node sets its mode.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

enum pengine_discover
pengine_discover_parse(const char *v)
{
	if (v && !strcmp(v, "never"))
		return DISCOVER_NEVER;
	if (v && !strcmp(v, "exclusive"))
		return DISCOVER_EXCLUSIVE;
	return DISCOVER_ALWAYS;
}

void
pengine_discovery_mark(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n,
    enum pengine_discover mode)
{
	if (mode == DISCOVER_ALWAYS)
		return;
	if (r->discover == NULL)
		r->discover = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*r->discover));
	r->discover[n->idx] = (unsigned char)mode;
	if (mode == DISCOVER_EXCLUSIVE)
		r->exclusive_discover = true;
	if (r->kind == KIND_BUNDLE) { /* a bundle's locations are its containers' */
		for (int i = 0; i < r->n_replicas; i++)
			pengine_discovery_mark(ws, r->replicas[i].container, n, mode);
		return;
	}
	for (int i = 0; i < r->n_children; i++)
		pengine_discovery_mark(ws, r->children[i], n, mode);
}

static bool
bundle_container(const struct pengine_rsc *r)
{
	for (int i = 0; i < r->parent->n_replicas; i++)
		if (r->parent->replicas[i].container == r)
			return true;
	return false;
}

/* a bundle's exclusive discovery binds its containers only (the rest follows them) */
static bool
exclusive(const struct pengine_rsc *r)
{
	for (; r; r = r->parent) {
		if (r->exclusive_discover)
			return true;
		if (r->parent && r->parent->kind == KIND_BUNDLE && !bundle_container(r))
			return false;
	}
	return false;
}

static bool
exclusive_on(const struct pengine_rsc *r, int n)
{
	return r->discover && r->discover[n] == DISCOVER_EXCLUSIVE;
}

void
pengine_discovery_apply(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->score == NULL || !exclusive(r))
			continue;
		for (int n = 0; n < ws->n_nodes; n++)
			if (r->score[n] != INT_MIN && !exclusive_on(r, n))
				r->score[n] = -INF;
	}
}

bool
pengine_discovery_probes(const struct pengine_rsc *r, const struct pengine_node *n)
{
	if (r->discover && r->discover[n->idx] == DISCOVER_NEVER)
		return false;
	return !exclusive(r) || exclusive_on(r, n->idx);
}
