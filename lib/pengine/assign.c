/*
 * assign.c - choose a node for every resource: stickiness and failure bans first, then
 * resources in priority order (re-sorted by scores only for non-default placement
 * strategies, as Pacemaker does), each after the resources it is colocated with, taking the
 * node with the highest score (ties: most free capacity when balanced, fewest assignments,
 * the current node, then node name; a positive tie keeps the current node first). Groups are placed as one unit from their members'
 * scores; utilization capacities are checked when a placement strategy is set.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

#define NOT_ALLOWED INT_MIN

static bool
node_can_run(struct pengine_ws *ws, struct pengine_node *n)
{
	(void)ws;
	return n->online && !n->unclean && !n->standby && !n->shutdown && !n->maintenance &&
	    !n->pending;
}

/* Whether some node that can run resources has a score of at least 0 in w. */
static bool
any_node_left(struct pengine_ws *ws, const int *w)
{
	for (int n = 0; n < ws->n_nodes; n++)
		if (w[n] != NOT_ALLOWED && w[n] >= 0 && node_can_run(ws, ws->nodes[n]))
			return true;
	return false;
}

static void
apply_stickiness_and_fails(struct pengine_ws *ws, struct pengine_rsc *r)
{
	for (int i = 0; i < r->n_running; i++) {
		struct pengine_node *n = r->running[i];
		if (!r->managed || r->score[n->idx] == NOT_ALLOWED)
			continue;
		r->score[n->idx] = pl_score_add(r->score[n->idx], r->stickiness);
	}
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_rsc_node *pn = &r->pn[i];
		/* an anonymous clone's fail count on a node is every instance's there */
		struct pengine_rsc *c = r->parent;
		if (pn->failcount <= 0 && c && c->kind == KIND_CLONE && !c->unique)
			for (int k = 0; k < c->n_children; k++)
				if (c->children[k]->pn && c->children[k]->pn[i].failcount > 0)
					pn = &c->children[k]->pn[i];
		/* a hard failure there bans it (a clone's every instance, as Pacemaker bans
		 * the clone) */
		bool hard = r->pn[i].hard_ban;
		for (int k = 0; c && c->kind == KIND_CLONE && k < c->n_children; k++)
			if (c->children[k]->pn && c->children[k]->pn[i].hard_ban)
				hard = true;
		if (hard && r->score[i] != NOT_ALLOWED)
			r->score[i] = -INF;
		int fc = pn->failcount > 0 ? pn->failcount : 0;
		if (r->hosts_fillers)
			fc += pengine_filler_failcount(ws, r, i);
		if (fc <= 0 || r->migration_threshold <= 0)
			continue;
		if (r->failure_timeout > 0 && pn->last_failure > 0 &&
		    pn->last_failure + r->failure_timeout <= ws->now.epoch)
			continue;
		if (fc >= r->migration_threshold && r->score[i] != NOT_ALLOWED)
			r->score[i] = -INF;
	}
}

/* r or one of its members or instances runs somewhere */
static bool
rsc_active(const struct pengine_rsc *r)
{
	if (r->n_running > 0)
		return true;
	for (int c = 0; c < r->n_children; c++)
		if (rsc_active(r->children[c]))
			return true;
	return false;
}

/* The score array used to place r (primitive: its own; group: members summed). */
static void
base_scores(struct pengine_ws *ws, struct pengine_rsc *r, int *w)
{
	if (r->kind == KIND_PRIMITIVE || r->kind == KIND_CLONE) { /* a clone: its own locations */
		memcpy(w, r->score, ws->n_nodes * sizeof(int));
		return;
	}
	for (int i = 0; i < ws->n_nodes; i++)
		w[i] = NOT_ALLOWED;
	int *before = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	for (int c = 0; c < r->n_children; c++) {
		struct pengine_rsc *ch = r->children[c];
		if (ch->kind != KIND_PRIMITIVE)
			continue;
		memcpy(before, w, ws->n_nodes * sizeof(int));
		for (int i = 0; i < ws->n_nodes; i++) {
			if (ch->score[i] == NOT_ALLOWED) {
				if (c == 0)
					w[i] = NOT_ALLOWED;
				continue;
			}
			if (c == 0 || w[i] == NOT_ALLOWED)
				w[i] = c == 0 ? ch->score[i] : w[i];
			else
				w[i] = pl_score_add(w[i], ch->score[i]);
		}
		/* a later member that would leave the group no node able to run it is
		 * rolled back with the members after it, as Pacemaker rolls back colocated
		 * scores that leave no node available (promoted-pseudo) */
		/* a member with critical=false does not pull its active group */
		if (c > 0 && pengine_is_false(pengine_meta(ch, "critical")) && rsc_active(r))
			memcpy(w, before, ws->n_nodes * sizeof(int));
		if (c > 0 && any_node_left(ws, before) && !any_node_left(ws, w)) {
			memcpy(w, before, ws->n_nodes * sizeof(int));
			break;
		}
	}
	free(before);
}

static struct pengine_node *
current_node(struct pengine_rsc *r)
{
	return r->n_running > 0 ? r->running[0] : NULL;
}

static void assign_rsc(struct pengine_ws *ws, struct pengine_rsc *r);

static void
score_line(struct pengine_ws *ws, const char *fn, const char *id, struct pengine_node *n, int w)
{
	char b[PL_SCORE_BUFLEN];
	pl_buf_addf(&ws->scores, "%s: %s allocation score on %s: %s\n", fn, id, n->uname,
	    pl_score_str(w == NOT_ALLOWED ? -INF : w, b));
}

/* crm_simulate -s: the scores a placement decision was made on, in Pacemaker's order: a
 * primitive's nodes; a group's nodes, then each member's group scores, then each member's
 * placement (later members follow the first: only its node is left to them). */
static void
record_scores(struct pengine_ws *ws, struct pengine_rsc *r, const int *w, struct pengine_node *best)
{
	const char *fn = r->kind == KIND_PRIMITIVE ? "pcmk__primitive_assign" : "pcmk__group_assign";
	for (int n = 0; n < ws->n_nodes; n++)
		score_line(ws, fn, r->id, ws->nodes[n], w[n]);
	if (r->kind == KIND_PRIMITIVE)
		return;
	for (int c = 0; c < r->n_children; c++) {
		struct pengine_rsc *ch = r->children[c];
		for (int n = 0; n < ws->n_nodes; n++)
			score_line(ws, "pcmk__group_assign", ch->id, ws->nodes[n],
			    ch->score ? ch->score[n] : 0);
	}
	for (int c = 0; c < r->n_children; c++) {
		struct pengine_rsc *ch = r->children[c];
		for (int n = 0; n < ws->n_nodes; n++) {
			struct pengine_node *node = ws->nodes[n];
			score_line(ws, "pcmk__primitive_assign", ch->id, node,
			    c == 0	       ? w[n]
				: node == best ? ch->score[n]
					       : -INF);
		}
	}
}

/* ---- utilization (placement-strategy utilization, minimal, balanced) ---- */

long long
pengine_util_need(struct pengine_rsc *r, const char *name)
{
	long long sum = 0;
	if (r->kind == KIND_GROUP) {
		for (int c = 0; c < r->n_children; c++)
			sum += pengine_util_need(r->children[c], name);
		return sum;
	}
	const char *v = r->util ? g_hash_table_lookup(r->util, name) : NULL;
	return v ? strtoll(v, NULL, 10) : 0;
}

void
pengine_util_names(struct pengine_rsc *r, GHashTable *names)
{
	if (r->kind == KIND_GROUP) {
		for (int c = 0; c < r->n_children; c++)
			pengine_util_names(r->children[c], names);
		return;
	}
	if (r->util == NULL)
		return;
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, r->util);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_hash_table_add(names, k);
}

long long
pengine_util_left(struct pengine_node *n, const char *name)
{
	const char *v = n->util ? g_hash_table_lookup(n->util, name) : NULL;
	long long cap = v ? strtoll(v, NULL, 10) : 0;
	gpointer used = n->util_used ? g_hash_table_lookup(n->util_used, name) : NULL;
	return cap - (used ? (long long)GPOINTER_TO_SIZE(used) : 0);
}

bool
pengine_util_fits(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n)
{
	(void)ws;
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
	pengine_util_names(r, names);
	bool ok = true;
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, names);
	while (ok && g_hash_table_iter_next(&it, &k, NULL))
		if (pengine_util_need(r, k) > pengine_util_left(n, k))
			ok = false;
	g_hash_table_destroy(names);
	return ok;
}

void
pengine_util_take(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n)
{
	(void)ws;
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
	pengine_util_names(r, names);
	if (n->util_used == NULL)
		n->util_used = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, names);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		gpointer used = g_hash_table_lookup(n->util_used, k);
		long long u =
		    (used ? (long long)GPOINTER_TO_SIZE(used) : 0) + pengine_util_need(r, k);
		g_hash_table_insert(n->util_used, k, GSIZE_TO_POINTER((gsize)u));
	}
	g_hash_table_destroy(names);
}

/* Balanced placement's capacity comparison, as Pacemaker's: one point for each utilization
 * attribute (of either node) of which a has more left than b, minus one for each of which
 * it has less; negative: a has more room. */
int
pengine_util_cmp(struct pengine_node *a, struct pengine_node *b)
{
	int result = 0;
	struct pengine_node *pair[2] = { a, b };
	for (int side = 0; side < 2; side++) {
		if (pair[side]->util == NULL)
			continue;
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, pair[side]->util);
		while (g_hash_table_iter_next(&it, &k, NULL)) {
			if (side == 1 && a->util && g_hash_table_contains(a->util, k))
				continue; /* counted with a's names */
			long long la = pengine_util_left(a, k), lb = pengine_util_left(b, k);
			result += la > lb ? -1 : la < lb ? 1 : 0;
		}
	}
	return result;
}

/* Whether some nodes that can run resources will be left without an instance of clone r
 * (clone-max below them): only then do its finite positive colocations reach its
 * instances, as Pacemaker */
bool
pengine_clone_all_coloc(struct pengine_ws *ws, const struct pengine_rsc *r)
{
	int avail = 0;
	for (int n = 0; n < ws->n_nodes; n++)
		avail += node_can_run(ws, ws->nodes[n]);
	return r->n_children < avail;
}

/* A finite colocation of clone r with clone c->primary: each placed primary instance in the
 * colocation's role adds the score on its node in turn, unless that would leave no node
 * that can run r (Pacemaker rolls such a step back). */
static void
finite_with_clone(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_coloc *c, int *adj)
{
	struct pengine_rsc *p = c->primary;
	int *work = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	for (int i = 0; i < p->n_children; i++) {
		struct pengine_rsc *pi = p->children[i];
		if (pi->assigned == NULL ||
		    !pengine_clone_in_role_on(p, pi->assigned, c->primary_role))
			continue;
		memcpy(work, adj, ws->n_nodes * sizeof(int));
		bool any = false;
		for (int n = 0; n < ws->n_nodes; n++) {
			if (ws->nodes[n] == pi->assigned)
				work[n] = pl_score_add(work[n], c->score);
			int base = r->score ? r->score[n] : 0;
			if (base != NOT_ALLOWED && pl_score_add(base, work[n]) >= 0 &&
			    node_can_run(ws, ws->nodes[n]))
				any = true;
		}
		if (any)
			memcpy(adj, work, ws->n_nodes * sizeof(int));
	}
	free(work);
}

/* A clone: colocations where it is the dependent adjust every instance's node scores. */
void
pengine_assign_clone(struct pengine_ws *ws, struct pengine_rsc *r)
{
	int *adj = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	/* a finite positive colocation steers the instances only when some nodes will be
	 * left without one (clone-max below the nodes that can run resources), as Pacemaker */
	bool all_coloc = pengine_clone_all_coloc(ws, r);
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (c->dep != r || c->primary->provisional || c->primary->assigning)
			continue;
		if (!all_coloc && c->score > 0 && c->score < INF)
			continue;
		/* a colocation of a role only steers promotion (promote.c) */
		if ((c->dep_role == ROLE_PROMOTED || c->dep_role == ROLE_UNPROMOTED) && r->promotable)
			continue;
		int *target = adj;
		if (c->primary->kind == KIND_CLONE && c->score > -INF && c->score < INF) {
			finite_with_clone(ws, r, c, adj);
			continue;
		}
		for (int n = 0; n < ws->n_nodes; n++) {
			struct pengine_node *node = ws->nodes[n];
			bool same = c->primary->kind == KIND_CLONE
			    ? (c->primary_role != ROLE_PROMOTED && pengine_clone_of_groups(c->primary)
				      ? pengine_clone_group_on_node(c->primary, node,
					    pengine_is_true(pengine_meta(r, "interleave")))
				      : pengine_clone_in_role_on(c->primary, node, c->primary_role))
			    : c->primary->kind == KIND_BUNDLE
			    ? pengine_bundle_on_node(c->primary, node)
			    : c->primary->assigned == node;
			/* mandatory: banned elsewhere, nothing added where it may go */
			if (c->score >= INF && !same)
				target[n] = -INF;
			else if (same && c->score < INF)
				target[n] = pl_score_add(target[n], c->score);
		}
	}
	/* dependents pull every instance: away from their nodes (negative colocations), or
	 * towards them when not every node gets an instance */
	int *dw = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (c->primary != r || c->dep == r || c->dep->kind == KIND_BUNDLE ||
		    (c->score > 0 && !all_coloc) || c->dep->unsupported ||
		    (c->no_influence && rsc_active(r)))
			continue;
		/* with a role of a promotable clone: it steers promotion only (promote.c;
		 * generated case 910020) */
		if ((c->primary_role == ROLE_PROMOTED || c->primary_role == ROLE_UNPROMOTED) &&
		    r->promotable)
			continue;
		pengine_rsc_node_scores(ws, c->dep, dw);
		for (int n = 0; n < ws->n_nodes; n++) {
			if (dw[n] == INT_MIN || (c->score < 0 && dw[n] < 0))
				continue;
			int pull = pengine_colocated_score(dw[n], c->score);
			if (pull > -INF) /* a pull never bans */
				adj[n] = pl_score_add(adj[n], pull);
		}
	}
	free(dw);
	/* a disabled clone whose instances say target-role=Started themselves is not */
	bool blocked = pengine_role_stopped(r) || ws->stop_all;
	if (pengine_clone_of_groups(r))
		pengine_clone_group_prepare(ws, r);
	pengine_clone_assign(ws, r, adj, blocked);
	if (pengine_clone_of_groups(r))
		pengine_clone_group_settle(ws, r);
	free(adj);
}

void
pengine_assign_promotable(struct pengine_ws *ws, struct pengine_rsc *r)
{
	pengine_assign_clone(ws, r);
	pengine_clone_promote(ws, r);
}

static void
set_assigned(struct pengine_rsc *r, struct pengine_node *n)
{
	r->assigned = n;
	r->provisional = false;
	for (int c = 0; c < r->n_children; c++)
		set_assigned(r->children[c], n);
}

static bool
rsc_is(struct pengine_rsc *a, struct pengine_rsc *r)
{
	for (; a; a = a->parent)
		if (a == r)
			return true;
	return false;
}

/* the order a resource's colocation primaries are placed in: higher priority, bundles,
 * clones, groups, then primitives, promotable clones before the others, then by id */
static gint
primary_cmp(gconstpointer a, gconstpointer b)
{
	const struct pengine_rsc *x = *(struct pengine_rsc *const *)a,
				 *y = *(struct pengine_rsc *const *)b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind > y->kind ? -1 : 1;
	if (x->promotable != y->promotable)
		return x->promotable ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void
assign_rsc(struct pengine_ws *ws, struct pengine_rsc *r)
{
	if (!r->provisional) /* also ends colocation loops: nothing is placed twice */
		return;
	if (r->unsupported || r->variant->assign == NULL) {
		r->provisional = false;
		return;
	}
	r->provisional = false; /* guards colocation loops */
	r->assigning = true;
	/* primaries first, in Pacemaker's order */
	GPtrArray *prim = g_ptr_array_new();
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (rsc_is(c->dep, r) && !rsc_is(c->primary, r)) {
			struct pengine_rsc *p = c->primary;
			while (p->parent && p->parent->kind == KIND_GROUP && p->parent->provisional)
				p = p->parent;
			g_ptr_array_add(prim, p);
		}
	}
	g_ptr_array_sort(prim, primary_cmp);
	for (guint i = 0; i < prim->len; i++)
		assign_rsc(ws, prim->pdata[i]);
	g_ptr_array_free(prim, true);
	r->variant->assign(ws, r);
	r->assigning = false;
}

/* A dependent's node score as it pulls its primary: scaled by the colocation's score over
 * INFINITY and rounded half away from zero, as Pacemaker does; a nonzero score never
 * scales to nothing (it becomes 1 with the factor's sign); infinite ones keep their size. */
int
pengine_colocated_score(int score, int coloc)
{
	if (coloc >= INF || coloc <= -INF || score >= INF || score <= -INF)
		return coloc > 0 ? score : (score >= INF ? -INF : score <= -INF ? INF : -score);
	long long p = (long long)score * coloc, q = p / INF, rem = p % INF;
	if (rem * 2 >= INF)
		q++;
	else if (rem * 2 <= -INF)
		q--;
	if (q == 0 && score != 0)
		q = coloc > 0 ? 1 : -1;
	return (int)q;
}

/* The node a primitive or a group goes to: its scores with colocations applied, the best
 * allowed one (NULL: none, or it stays where it is when it may not move). */
static struct pengine_node *
place(struct pengine_ws *ws, struct pengine_rsc *r)
{
	int *w = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	base_scores(ws, r, w);
	/* dependents' preferences pull the primary (away from their nodes for negative ones) */
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (c->primary != r || c->score == 0 || !(c->dep->provisional || c->dep->assigning) ||
		    c->dep->kind == KIND_BUNDLE || (c->dep->kind == KIND_CLONE && !c->dep->score))
			continue;
		if (c->no_influence && rsc_active(r))
			continue; /* influence=false: an active primary stays (colocation-influence) */
		int *save = xmemdup(w, ws->n_nodes * sizeof(int));
		int *dw = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
		base_scores(ws, c->dep, dw);
		bool any = false;
		for (int n = 0; n < ws->n_nodes; n++) {
			if (w[n] == NOT_ALLOWED || dw[n] == NOT_ALLOWED)
				continue;
			if (c->score < 0 && dw[n] < 0)
				continue; /* avoiding an avoided node is no preference */
			w[n] = pl_score_add(w[n], pengine_colocated_score(dw[n], c->score));
			if (w[n] >= 0 && node_can_run(ws, ws->nodes[n]))
				any = true;
		}
		if (!any)
			memcpy(w, save, ws->n_nodes * sizeof(int));
		free(save);
		free(dw);
	}
	/* colocations where r is the dependent */
	int *before = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		if (c->dep != r)
			continue;
		struct pengine_node *p = c->primary->assigned;
		if (c->primary->provisional || c->primary->assigning)
			continue; /* not placed yet (a colocation loop) */
		memcpy(before, w, ws->n_nodes * sizeof(int));
		for (int n = 0; n < ws->n_nodes; n++) {
			if (w[n] == NOT_ALLOWED)
				continue;
			bool same = c->primary->kind == KIND_CLONE
			    ? pengine_clone_in_role_on(c->primary, ws->nodes[n], c->primary_role)
			    : c->primary->kind == KIND_BUNDLE
			    ? pengine_bundle_on_node(c->primary, ws->nodes[n])
			    : p &&
				(p == ws->nodes[n] ||
				    (c->node_attr &&
					g_strcmp0(g_hash_table_lookup(p->attrs, c->node_attr),
					    g_hash_table_lookup(ws->nodes[n]->attrs, c->node_attr)) ==
					    0));
			if (c->score >= INF) {
				if (!same)
					w[n] = -INF;
			} else if (same) {
				w[n] = pl_score_add(w[n], c->score);
			}
		}
		/* a finite colocation that leaves no node able to run r is discarded */
		if (c->score > -INF && c->score < INF && !any_node_left(ws, w))
			memcpy(w, before, ws->n_nodes * sizeof(int));
	}
	free(before);
	struct pengine_node *best = NULL, *cur = current_node(r);
	bool blocked = pengine_role_stopped(r) || ws->stop_all || r->stop_on_fail ||
	    (r->kind == KIND_PRIMITIVE && r->failed && r->blocked);
	if (r->orphan && r->managed) {
		best = NULL;
	} else if (!r->managed || (r->failed && r->blocked) || r->multi_blocked) {
		best = cur;
	} else if (pengine_quorum_stops(ws, r) &&
	    r->n_running > 0 && r->kind != KIND_GROUP) {
		best = NULL; /* active resources stop; inactive ones get a node but cannot start
			      * (a group is placed: its active members stop, pengine_assign_group) */
	} else if (r->ticket_freeze) {
		best = cur && node_can_run(ws, cur) ? cur : NULL;
	} else if (!blocked) {
		/* (without quorum and no-quorum-policy=freeze a resource is placed as usual: an
		 * active one may move, an inactive one's start is blocked - quorum-2) */
		int bw = 0;
		bool *room = NULL;
		struct pengine_node *prefer = NULL;
		if (ws->utilization) {
			room = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(bool));
			for (int n = 0; n < ws->n_nodes; n++)
				room[n] = w[n] != NOT_ALLOWED && w[n] >= 0 &&
				    node_can_run(ws, ws->nodes[n]);
			prefer = pengine_util_room(ws, r, room);
		}
		for (int n = 0; n < ws->n_nodes; n++) {
			struct pengine_node *node = ws->nodes[n];
			if (w[n] == NOT_ALLOWED || w[n] < 0 || !node_can_run(ws, node))
				continue;
			if (room && !room[n])
				continue;
			if (best == NULL || w[n] > bw) {
				best = node;
				bw = w[n];
				continue;
			}
			if (w[n] < bw)
				continue;
			/* tie: more free capacity (balanced), fewer assignments, the current node,
			 * then the name */
			long long cmp = 0;
			if (ws->balanced)
				cmp = pengine_util_cmp(node, best);
			/* a positive tie keeps it where it runs; only at 0 do counts balance */
			if (cmp == 0 && bw > 0 && (node == cur || best == cur))
				cmp = node == cur ? -1 : 1;
			if (cmp == 0 && !ws->minimal)
				cmp = node->n_assigned - best->n_assigned;
			if (cmp == 0 && (node == cur || best == cur))
				cmp = node == cur ? -1 : 1;
			if (cmp < 0 || (cmp == 0 && strcmp(node->uname, best->uname) < 0))
				best = node;
		}
		/* no node has room for all: the one with the most room, if as good */
		if (prefer && best && room[prefer->idx] && w[prefer->idx] >= bw)
			best = prefer;
		free(room);
	}
	if (ws->show_scores)
		record_scores(ws, r, w, best);
	if (pengine_role_stopped(r) || r->stop_on_fail) /* banned everywhere, as target-role=Stopped */
		for (int n = 0; n < ws->n_nodes; n++)
			w[n] = -INF;
	free(r->wfinal);
	r->wfinal = w; /* what it pulls as a placed primary (pengine_rsc_node_scores) */
	if (ws->utilization && best)
		pengine_util_take(ws, r, best);
	return best;
}

void
pengine_assign_primitive(struct pengine_ws *ws, struct pengine_rsc *r)
{
	struct pengine_node *best = place(ws, r);
	set_assigned(r, best);
	if (best)
		best->n_assigned++;
}

void
pengine_assign_group(struct pengine_ws *ws, struct pengine_rsc *r)
{
	pengine_group_assign_members(ws, r, place(ws, r));
}

/* A group placed on best (or nowhere): its members follow in order */
void
pengine_group_assign_members(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *best)
{
	{
		/* members that cannot run there (or are disabled) stop the rest of the group;
		 * a member left where it is (unmanaged, or blocked by a failure) takes the rest
		 * with it, as each member is colocated with the one before: they stop when
		 * that node cannot run them */
		bool stopped = false;
		struct pengine_node *at = best;
		r->assigned = best;
		for (int c = 0; c < r->n_children; c++) {
			struct pengine_rsc *ch = r->children[c];
			if (ch->disabled || (at && ch->score[at->idx] == NOT_ALLOWED) ||
			    (at && ch->score[at->idx] <= -INF) || (ch->failed && ch->blocked))
				stopped = !ch->failed || !ch->blocked ? true : stopped;
			bool pinned = !ch->managed || (ch->failed && ch->blocked);
			if (ch->failed && ch->blocked)
				set_assigned(ch, current_node(ch));
			else if (pengine_quorum_stops(ws, ch) &&
			    ch->n_running > 0) {
				set_assigned(ch, NULL); /* stops for want of quorum */
				if (at && !stopped && !ch->disabled)
					at->n_assigned++; /* placed with the group first: counted */
			} else
				set_assigned(ch, stopped || ch->disabled ? NULL : at);
			if (!ch->managed)
				set_assigned(ch, current_node(ch));
			if (ch->assigned)
				ch->assigned->n_assigned++;
			if (pinned && ch->assigned != at) {
				at = ch->assigned;
				if (at == NULL || !node_can_run(ws, at))
					stopped = true;
			}
		}
	}
}

/* A resource's node scores as a colocation sees them: a placed primitive's or group's are
 * those it was placed with, colocations included; otherwise its own (a group's summed
 * over its members). `w` has n_nodes entries; NOT_ALLOWED = not allowed. */
void
pengine_rsc_node_scores(struct pengine_ws *ws, struct pengine_rsc *r, int *w)
{
	if (r->wfinal && !r->provisional && !r->assigning)
		memcpy(w, r->wfinal, ws->n_nodes * sizeof(int));
	else if (r->kind == KIND_BUNDLE || (r->kind == KIND_CLONE && r->score == NULL))
		for (int i = 0; i < ws->n_nodes; i++)
			w[i] = 0;
	else
		base_scores(ws, r, w);
}

/* Where a resource runs for the processing order: a collective resource runs where its
 * members do, the node read first from the status first (Pacemaker lists them so). */
static struct pengine_node *
sort_current_node(struct pengine_rsc *r)
{
	struct pengine_node *cur = current_node(r);
	if (cur || r->kind == KIND_PRIMITIVE)
		return cur;
	for (int c = 0; c < r->n_children; c++) {
		struct pengine_node *n = sort_current_node(r->children[c]);
		if (n && (cur == NULL || n->status_pos < cur->status_pos))
			cur = n;
	}
	return cur;
}

/* processing order: priority, then score on the current node, then per-node scores */
struct sort_ctx {
	struct pengine_ws *ws;
	int *nodes; /* node indexes by weight, then name */
};

static gint
node_name_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct sort_ctx *ctx = data;
	const struct pengine_node *x = ctx->ws->nodes[*(const int *)a],
				  *y = ctx->ws->nodes[*(const int *)b];
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	/* balanced: the node with more room first (Pacemaker sorts nodes so for the order) */
	int c = ctx->ws->balanced
	    ? pengine_util_cmp((struct pengine_node *)x, (struct pengine_node *)y)
	    : 0;
	if (c != 0)
		return c < 0 ? -1 : 1;
	return strcmp(x->uname, y->uname);
}

static int
score_on(struct pengine_rsc *r, int n)
{
	return r->wsort[n] == NOT_ALLOWED ? -INF : r->wsort[n];
}

static gint
rsc_order_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct sort_ctx *ctx = data;
	struct pengine_rsc *x = *(struct pengine_rsc *const *)a, *y = *(struct pengine_rsc *const *)b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if ((x->kind <= KIND_GROUP || (x->kind == KIND_CLONE && x->score)) &&
	    (y->kind <= KIND_GROUP || (y->kind == KIND_CLONE && y->score))) {
		struct pengine_node *cx = sort_current_node(x), *cy = sort_current_node(y);
		/* a current node that cannot run resources (standby...) counts as none */
		if (cx && !node_can_run(ctx->ws, cx))
			cx = NULL;
		if (cy && !node_can_run(ctx->ws, cy))
			cy = NULL;
		int sx = cx ? score_on(x, cx->idx) : -INF, sy = cy ? score_on(y, cy->idx) : -INF;
		if (sx != sy)
			return sx > sy ? -1 : 1;
		for (int i = 0; i < ctx->ws->n_nodes; i++) {
			sx = score_on(x, ctx->nodes[i]);
			sy = score_on(y, ctx->nodes[i]);
			if (sx != sy)
				return sx > sy ? -1 : 1;
		}
	}
	return x->sort_pos - y->sort_pos;
}

/* The sort's view of where r would go: its own scores plus, scaled by each colocation's
 * score, those of the primaries it is colocated with (Pacemaker's colocated node scores);
 * a primary that would leave r nowhere to run is ignored. */
static void
add_primaries_scores(struct pengine_ws *ws, struct pengine_rsc *r, int *w)
{
	int *pw = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	int *save = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *c = ws->colocs->pdata[i];
		struct pengine_rsc *p = c->primary;
		if (c->dep != r || c->score == 0 || c->node_attr ||
		    (p->kind != KIND_PRIMITIVE && p->kind != KIND_GROUP &&
			!(p->kind == KIND_CLONE && p->score)))
			continue;
		base_scores(ws, p, pw);
		memcpy(save, w, ws->n_nodes * sizeof(int));
		bool any = false;
		for (int n = 0; n < ws->n_nodes; n++) {
			if (w[n] == NOT_ALLOWED)
				continue;
			int ps =
			    pw[n] == NOT_ALLOWED || !node_can_run(ws, ws->nodes[n]) ? -INF : pw[n];
			if (c->score < 0 && ps < 0)
				continue;
			w[n] = pl_score_add(w[n], pengine_colocated_score(ps, c->score));
			if (w[n] >= 0 && node_can_run(ws, ws->nodes[n]))
				any = true;
		}
		if (!any)
			memcpy(w, save, ws->n_nodes * sizeof(int));
	}
	free(pw);
	free(save);
}

void
pengine_assign(struct pengine_ws *ws)
{
	/* stonith-enabled without a device (or SBD's watchdog): Pacemaker manages no resource
	 * ("Resource start-up disabled since no STONITH resources have been defined"): each is
	 * left as it is, still shown as managed */
	if (ws->stonith_enabled && !ws->have_device && !ws->have_watchdog)
		for (int i = 0; i < ws->n_rscs; i++)
			if (ws->rscs[i]->managed) {
				ws->rscs[i]->managed = false;
				ws->rscs[i]->startup_disabled = true;
			}
	for (int i = 0; i < ws->n_rscs; i++)
		if (ws->rscs[i]->kind == KIND_PRIMITIVE && ws->rscs[i]->score)
			apply_stickiness_and_fails(ws, ws->rscs[i]);
	pengine_discovery_apply(ws);
	ws->order = xcalloc(ws->n_top ? ws->n_top : 1, sizeof(*ws->order));
	if (ws->n_top)
		memcpy(ws->order, ws->top, ws->n_top * sizeof(*ws->order));
	for (int i = 0; i < ws->n_top; i++) {
		struct pengine_rsc *r = ws->order[i];
		r->sort_pos = i;
		r->wsort = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
		if (r->kind == KIND_PRIMITIVE)
			base_scores(ws, r, r->wsort);
		else if (r->kind == KIND_GROUP && r->n_children > 0)
			base_scores(ws, r->children[0], r->wsort);
		else if (r->kind == KIND_CLONE && r->score)
			base_scores(ws, r, r->wsort);
		if (r->kind == KIND_PRIMITIVE || r->kind == KIND_GROUP ||
		    (r->kind == KIND_CLONE && r->score))
			add_primaries_scores(ws, r, r->wsort);
	}
	struct sort_ctx ctx = { ws, xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int)) };
	for (int i = 0; i < ws->n_nodes; i++)
		ctx.nodes[i] = i;
	g_qsort_with_data(ctx.nodes, ws->n_nodes, sizeof(int), node_name_cmp, &ctx);
	/* Pacemaker re-sorts only for non-default placement strategies */
	if (strcmp(ws->placement_strategy, "default") != 0)
		g_qsort_with_data(ws->order, ws->n_top, sizeof(*ws->order), rsc_order_cmp, &ctx);
	free(ctx.nodes);
	ws->n_order = ws->n_top;
	/* remote connections first (Pacemaker does): where they go decides which remote
	 * nodes can run anything */
	for (int i = 0; i < ws->n_order; i++)
		if (ws->order[i]->is_remote_conn)
			assign_rsc(ws, ws->order[i]);
	pengine_remote_coming_up(ws);
	pengine_remote_unrecoverable(ws);
	for (int i = 0; i < ws->n_order; i++)
		assign_rsc(ws, ws->order[i]);
	pengine_interleave_inhibit(ws);
}
