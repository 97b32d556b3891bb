/*
 * promote.c - a promotable clone's roles, as Pacemaker 2.1.5 decides them.
 *
 * Before placement, positive promotion scores (node attributes master-<name>) join the
 * instances' node scores where they apply (pengine_promotion_scores_add). After placement each
 * placed instance gets a promotion priority and a sort index (pengine_clone_promote):
 *
 *   priority   = the promotion score on its node (-1 when there is none)
 *                + role=Promoted location scores for that node
 *                + role colocations of the clone with resources placed on that node
 *                  (finite positive ones only when clone-max is below the usable nodes)
 *   clone node = the clone's node score + the priorities (>= 0) of its instances there
 *                + the pull of its primaries in Promoted-role colocations
 *                + the pull of the dependents colocated with its Promoted role
 *   sort index = the clone's score on the instance's node (the priority when negative)
 *
 * Instances are taken by sort index (then current role, priority, instance order); one is
 * promoted when its sort index and priority are >= 0, promoted-max is not reached, its node
 * can run resources and holds fewer than promoted-node-max promoted instances.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

#define NOT_ALLOWED INT_MIN
#define PULL_HELD (INT_MIN + 1) /* a node a nonnegative pull would turn negative */

static bool
node_can_run(const struct pengine_node *n)
{
	return n->online && !n->unclean && !n->standby && !n->shutdown && !n->maintenance &&
	    !n->pending;
}

static bool
active_on(const struct pengine_rsc *r, const struct pengine_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return true;
	return false;
}

/* the history knows r on node index n (probed, active or failed there) */
static bool
known_on(const struct pengine_rsc *r, int n)
{
	return r->pn && (r->pn[n].lrm_name || r->pn[n].probed || r->pn[n].active || r->pn[n].failed);
}

static bool
known_anywhere(const struct pengine_ws *ws, const struct pengine_rsc *r)
{
	if (r->n_running)
		return true;
	for (int n = 0; n < ws->n_nodes; n++)
		if (known_on(r, n))
			return true;
	return false;
}

/* Whether an instance's promotion score on a node counts: an anonymous clone's instance
 * active there, or any instance known there when none is active; an instance known
 * nowhere (cluster start) everywhere; otherwise where the instance is known. Always only
 * where the instance is allowed. */
static bool
score_applies(
    struct pengine_ws *ws, struct pengine_rsc *c, struct pengine_rsc *r, struct pengine_node *node)
{
	int n = node->idx;
	bool ok = false;
	if (!c->unique) {
		struct pengine_rsc *act = NULL;
		bool any_known = c->pn && c->pn[n].probed;
		for (int i = 0; i < c->n_children; i++) {
			if (act == NULL && active_on(c->children[i], node))
				act = c->children[i];
			if (known_on(c->children[i], n))
				any_known = true;
		}
		ok = act == r || (act == NULL && any_known);
	}
	if (!ok)
		ok = !known_anywhere(ws, r) || known_on(r, n) || active_on(r, node);
	return ok && r->score && r->score[n] != NOT_ALLOWED && r->score[n] >= 0;
}

static const char *
attr_for(struct pengine_node *node, const char *name)
{
	char *k = xasprintf("master-%s", name);
	const char *v = g_hash_table_lookup(node->attrs, k);
	free(k);
	return v;
}

/* The promotion score attribute: by the name the history knows the instance by (its id
 * without history), then for an anonymous clone by the cloned primitive's id. */
static const char *
promotion_value(
    struct pengine_ws *ws, struct pengine_rsc *c, struct pengine_rsc *r, struct pengine_node *node)
{
	const char *name = r->pn ? r->pn[node->idx].lrm_name : NULL;
	for (int n = 0; name == NULL && r->pn && n < ws->n_nodes; n++)
		name = r->pn[n].lrm_name;
	if (name == NULL)
		name = r->id;
	/* container-attribute-target=host: a bundled instance's attributes are its
	 * container's host's */
	struct pengine_node *host = node;
	struct pengine_rsc *b = c->parent;
	if (r->bundled && b && b->kind == KIND_BUNDLE && r->replica < b->n_replicas &&
	    !g_strcmp0(pengine_meta(r, "container-attribute-target"), "host")) {
		struct pengine_rsc *ct = b->replicas[r->replica].container;
		host = ct->n_running == 1 ? ct->running[0] : ct->assigned;
		if (host == NULL)
			return NULL;
	}
	const char *v = attr_for(host, name);
	if (v == NULL && !c->unique && c->child_base && strcmp(name, c->child_base) != 0)
		v = attr_for(host, c->child_base);
	return v;
}

/* an instance's promotion score on a node; *dflt: none applies or is set */
static int
promotion_score(struct pengine_ws *ws, struct pengine_rsc *c, struct pengine_rsc *r,
    struct pengine_node *node, bool *dflt)
{
	*dflt = true;
	if (!score_applies(ws, c, r, node))
		return 0;
	const char *v = promotion_value(ws, c, r, node);
	if (v == NULL)
		return 0;
	*dflt = false;
	return pl_score_parse(v);
}

void
pengine_promotion_scores_add(struct pengine_ws *ws, struct pengine_rsc *c)
{
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *r = c->children[i];
		if (r->kind != KIND_PRIMITIVE || r->score == NULL)
			continue;
		/* computed for every node first: adding changes where a score applies */
		int *add = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
		for (int n = 0; n < ws->n_nodes; n++) {
			bool dflt;
			if (node_can_run(ws->nodes[n]))
				add[n] = promotion_score(ws, c, r, ws->nodes[n], &dflt);
		}
		for (int n = 0; n < ws->n_nodes; n++) {
			if (add[n] > 0 && r->score[n] != NOT_ALLOWED)
				r->score[n] = pl_score_add(r->score[n], add[n]);
			/* its best promotion score orders the instances' placement */
			if (add[n] > r->priority)
				r->priority = add[n];
		}
		free(add);
	}
}

/* colocation roles: "Started" means any role, as Pacemaker reads it */
static enum pengine_role
coloc_role(enum pengine_role r)
{
	return r == ROLE_STARTED ? ROLE_UNKNOWN : r;
}

static enum pengine_role
next_role(const struct pengine_rsc *p)
{
	if (p->parent && p->parent->kind == KIND_CLONE && p->parent->promotable)
		return p->next_role;
	return p->assigned ? ROLE_STARTED : ROLE_STOPPED;
}

static bool
same_place(
    const struct pengine_coloc *col, const struct pengine_node *a, const struct pengine_node *b)
{
	if (col->node_attr == NULL)
		return a == b;
	return g_strcmp0(g_hash_table_lookup(a->attrs, col->node_attr),
		   g_hash_table_lookup(b->attrs, col->node_attr)) == 0;
}

/* a role colocation of instance r with placed primitive p, on r's priority */
static int
coloc_with_placed(
    const struct pengine_coloc *col, struct pengine_rsc *r, struct pengine_rsc *p, int prio)
{
	enum pengine_role dr = coloc_role(col->dep_role), pr = coloc_role(col->primary_role);
	if (p->assigned == NULL || r->assigned == NULL)
		return prio;
	if (!same_place(col, p->assigned, r->assigned))
		return col->score >= INF && dr == ROLE_PROMOTED ? -INF : prio;
	if (pr != ROLE_UNKNOWN && pr != next_role(p))
		return prio;
	return pl_score_add(dr == ROLE_UNPROMOTED ? -col->score : col->score, prio);
}

/* the clone's colocations with a role of its own, on instance r's priority */
static int
coloc_priority(struct pengine_ws *ws, struct pengine_rsc *c, struct pengine_rsc *r, int prio)
{
	bool all_coloc = pengine_clone_all_coloc(ws, c);
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *col = ws->colocs->pdata[i];
		enum pengine_role dr = coloc_role(col->dep_role), pr = coloc_role(col->primary_role);
		struct pengine_rsc *p = col->primary;
		if (col->dep != c || dr < ROLE_UNPROMOTED || p->provisional || p->assigning)
			continue;
		/* instances carry the clone's negative and mandatory colocations, the
		 * others only when some nodes get no instance */
		if (col->score > 0 && col->score < INF && !all_coloc)
			continue;
		if (p->kind == KIND_GROUP) {
			if (p->n_children == 0)
				continue;
			p = p->children[col->score >= INF ? p->n_children - 1 : 0];
		}
		if (p->kind == KIND_PRIMITIVE) {
			prio = coloc_with_placed(col, r, p, prio);
			continue;
		}
		if (p->kind != KIND_CLONE)
			continue;
		if (p->promotable && pr != ROLE_UNKNOWN && dr == ROLE_PROMOTED) {
			bool found = false;
			for (int k = 0; k < p->n_children && !found; k++) {
				struct pengine_rsc *pi = p->children[k];
				found = pi->assigned && r->assigned &&
				    same_place(col, pi->assigned, r->assigned) &&
				    pi->next_role == pr;
			}
			if (found)
				prio = pl_score_add(prio, col->score);
			else if (col->score >= INF)
				prio = -INF;
		} else if (col->score < INF) {
			for (int k = 0; k < p->n_children; k++)
				prio = coloc_with_placed(col, r, p->children[k], prio);
		}
	}
	return prio;
}

/* Add x's node scores scaled by score/INFINITY to work, then (as Pacemaker merges them)
 * those of the resources colocated with x, scaled by both scores, a few levels deep. */
static void
pull_into(struct pengine_ws *ws, int *work, struct pengine_rsc *x, int score, bool positive, int depth)
{
	int *xw = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	pengine_rsc_node_scores(ws, x, xw);
	for (int n = 0; n < ws->n_nodes; n++) {
		if (work[n] == NOT_ALLOWED)
			continue;
		int s = xw[n] == NOT_ALLOWED ? -INF : xw[n];
		if (score < 0 && s < 0)
			continue;
		int cur = work[n] == PULL_HELD ? -INF : work[n];
		int nw = pl_score_add(cur, pengine_colocated_score(s, score));
		/* nonnegative pulls: a node the clone prefers that would turn negative is
		 * held (unavailable, and 1 once the pull stands); one at 0 stays 0 */
		if (positive && nw < 0 && cur > 0)
			nw = PULL_HELD;
		else if (positive && nw < 0 && cur == 0)
			nw = 0;
		work[n] = nw;
	}
	free(xw);
	bool any = false;
	for (int n = 0; n < ws->n_nodes; n++)
		if (work[n] != NOT_ALLOWED && work[n] >= 0 && node_can_run(ws->nodes[n]))
			any = true;
	if (!any || depth >= 2)
		return;
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *col = ws->colocs->pdata[i];
		if (col->primary != x || col->dep == x || col->dep->kind == KIND_BUNDLE ||
		    col->dep->unsupported || col->dep->kind == KIND_CLONE)
			continue;
		long long f = (long long)score * col->score / INF;
		if (f == 0)
			continue;
		pull_into(ws, work, col->dep,
		    (int)(f > INF      ? INF
			    : f < -INF ? -INF
				       : f),
		    positive, depth + 1);
	}
}

/* Add resource x's node scores, scaled by a colocation score, to the clone's node scores
 * w; with `rollback`, nothing when no node would be left that can run it. `positive`: a node the clone
 * prefers keeps a positive score. */
static void
pull_scores(
    struct pengine_ws *ws, int *w, struct pengine_rsc *x, int score, bool positive, bool rollback)
{
	int *work = xmemdup(w, ws->n_nodes * sizeof(int));
	pull_into(ws, work, x, score, positive, 0);
	bool any = false;
	for (int n = 0; n < ws->n_nodes; n++)
		if (work[n] != NOT_ALLOWED && work[n] >= 0 && node_can_run(ws->nodes[n]))
			any = true;
	if (any || !rollback)
		for (int n = 0; n < ws->n_nodes; n++)
			w[n] = work[n] == PULL_HELD ? 1 : work[n];
	free(work);
}

/* an instance of the clone runs somewhere (influence=false then keeps dependents from
 * pulling it: colocation-influence) */
static bool
clone_active(const struct pengine_rsc *c)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->n_running > 0)
			return true;
	return false;
}

/* unmanaged, or blocked by a failure (on-fail=block) */
static bool
unmanaged(const struct pengine_rsc *r)
{
	return !r->managed || (r->failed && r->blocked);
}

struct promo_ctx {
	struct pengine_rsc *c;
	const int *sort, *prio;
};

static gint
promo_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct promo_ctx *ctx = data;
	int x = *(const int *)a, y = *(const int *)b;
	const struct pengine_rsc *rx = ctx->c->children[x], *ry = ctx->c->children[y];
	if (ctx->sort[x] != ctx->sort[y])
		return ctx->sort[x] > ctx->sort[y] ? -1 : 1;
	if (rx->role != ry->role)
		return rx->role > ry->role ? -1 : 1;
	if (ctx->prio[x] != ctx->prio[y])
		return ctx->prio[x] > ctx->prio[y] ? -1 : 1;
	/* a failed instance (recovering) comes after a healthy one (generated case 930094) */
	if (rx->failed != ry->failed)
		return rx->failed ? 1 : -1;
	if ((rx->n_running > 0) != (ry->n_running > 0))
		return rx->n_running > 0 ? -1 : 1;
	return x - y;
}

static int
promoted_node_max(struct pengine_rsc *c)
{
	const char *v = g_hash_table_lookup(c->meta, "promoted-node-max");
	if (v == NULL)
		v = g_hash_table_lookup(c->meta, "master-node-max");
	return v ? atoi(v) : 1;
}

void
pengine_clone_promote(struct pengine_ws *ws, struct pengine_rsc *c)
{
	if (!c->promotable)
		return;
	int nc = c->n_children ? c->n_children : 1, nn = ws->n_nodes ? ws->n_nodes : 1;
	int *prio = xcalloc(nc, sizeof(int)), *sort = xcalloc(nc, sizeof(int));
	int *seq = xcalloc(nc, sizeof(int));
	int *w = xcalloc(nn, sizeof(int)), *count = xcalloc(nn, sizeof(int));
	for (int n = 0; n < ws->n_nodes; n++)
		w[n] = c->score ? c->score[n] : 0;
	/* the clone's scores carry its dependents' pulls (from its placement) */
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *col = ws->colocs->pdata[i];
		if (col->primary == c && col->dep != c && col->dep->kind != KIND_BUNDLE &&
		    !col->dep->unsupported && coloc_role(col->primary_role) == ROLE_UNKNOWN &&
		    !(col->no_influence && clone_active(c)))
			pull_scores(ws, w, col->dep, col->score, true, true);
	}
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *r = c->children[i];
		struct pengine_node *n = r->assigned;
		seq[i] = i;
		r->next_role = n ? ROLE_UNPROMOTED : ROLE_STOPPED;
		if (n == NULL) {
			prio[i] = sort[i] = -INF;
			continue;
		}
		bool dflt;
		prio[i] = promotion_score(ws, c, r, n, &dflt);
		if (dflt)
			prio[i] = -1;
		if (pengine_role_parse(pengine_meta(r, "target-role")) == ROLE_UNPROMOTED)
			prio[i] = -INF;
		prio[i] = pl_score_add(prio[i], c->promo[n->idx]);
		prio[i] = coloc_priority(ws, c, r, prio[i]);
		sort[i] = prio[i];
		if (sort[i] >= 0 && w[n->idx] != NOT_ALLOWED)
			w[n->idx] = pl_score_add(w[n->idx], sort[i]);
	}
	for (guint i = 0; i < ws->colocs->len; i++) {
		struct pengine_coloc *col = ws->colocs->pdata[i];
		/* a mandatory colocation's pull stands even when it leaves no node */
		if (col->dep == c && coloc_role(col->dep_role) == ROLE_PROMOTED &&
		    !col->primary->assigning)
			pull_scores(ws, w, col->primary, col->score, false, col->score < INF);
		if (col->primary == c && coloc_role(col->primary_role) == ROLE_PROMOTED &&
		    col->dep != c && !(col->no_influence && clone_active(c)))
			pull_scores(ws, w, col->dep, col->score, true, true);
	}
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *r = c->children[i];
		if (unmanaged(r) && r->role == ROLE_PROMOTED)
			sort[i] = INF;
		else if (r->assigned && sort[i] >= 0)
			sort[i] = w[r->assigned->idx] == NOT_ALLOWED ? -INF : w[r->assigned->idx];
	}
	free(c->wfinal);
	c->wfinal = w;
	struct promo_ctx ctx = { c, sort, prio };
	g_qsort_with_data(seq, c->n_children, sizeof(int), promo_cmp, &ctx);
	int promoted = 0, node_max = promoted_node_max(c);
	for (int si = 0; si < c->n_children && !c->no_promote; si++) {
		int i = seq[si];
		struct pengine_rsc *r = c->children[i];
		struct pengine_node *n = r->assigned;
		if (sort[i] < 0 || n == NULL || (promoted >= c->promoted_max && c->managed))
			continue;
		if (unmanaged(r)) {
			if (r->role != ROLE_PROMOTED)
				continue;
		} else if (prio[i] < 0 || !node_can_run(n) || count[n->idx] >= node_max ||
		    !pengine_guest_can_host(ws, n)) {
			continue;
		}
		if (r->role < ROLE_PROMOTED && pengine_no_quorum(ws, r) &&
		    ws->no_quorum_policy == NQP_FREEZE)
			continue;
		/* no-quorum-policy=demote: nothing is promoted without quorum */
		if (pengine_no_quorum(ws, r) && ws->no_quorum_policy == NQP_DEMOTE)
			continue;
		count[n->idx]++;
		r->next_role = ROLE_PROMOTED;
		promoted++;
	}
	free(prio);
	free(sort);
	free(seq);
	free(count);
}
