/*
 * clone.c - clones of a primitive (anonymous or globally unique, not promotable yet):
 * instances "child:N", mapping of the history onto instances, placement of instances on
 * distinct nodes, and the crm_mon view of a clone set.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/exitcode.h"
#include "paceline/lrmd_client.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"
#include "status_mon.h"

bool
pengine_clone_supported(const struct pengine_rsc *r)
{
	return r->kind == KIND_CLONE && !r->unsupported;
}

/* A clone's instance count meta-attribute: a non-negative integer up to PENGINE_MAX_INSTANCES
 * (each instance is a resource with per-node state: a bigger count is a typo, refused). */
bool
pengine_clone_count(struct pengine_ws *ws, struct pengine_rsc *c, const char *name, int def, int *out)
{
	const char *v = g_hash_table_lookup(c->meta, name);
	*out = def;
	if (v == NULL)
		return true;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (end == v || n < 0) {
		*out = n < 0 ? 0 : def; /* as Pacemaker: garbage reads as the default */
		return true;
	}
	if (n > PENGINE_MAX_INSTANCES) {
		pengine_fail(ws, PL_EXIT_CONFIG,
		    "clone %s: meta-attribute %s=\"%s\" exceeds the limit of "
		    "%d instances",
		    c->id, name, v, PENGINE_MAX_INSTANCES);
		return false;
	}
	*out = (int)n;
	return true;
}

/* Called by unpack_rsc for <clone>/<master>. Instances are unpacked from the child. */
void
pengine_clone_unpack(struct pengine_ws *ws, struct pengine_rsc *c, xmlNode *x,
    struct pengine_rsc *(*unpack_primitive)(struct pengine_ws *, xmlNode *, struct pengine_rsc *))
{
	xmlNode *child = pl_xml_first_child(x, "primitive");
	const char *prom = g_hash_table_lookup(c->meta, "promotable");
	const char *notify = g_hash_table_lookup(c->meta, "notify");
	c->notify = pengine_is_true(notify);
	if (child == NULL) {
		c->unsupported = true;
		ws->unsupported = true;
		return;
	}
	c->promotable = pl_xml_is(x, "master") || pengine_is_true(prom);
	const char *pm = g_hash_table_lookup(c->meta, "promoted-max");
	if (pm == NULL)
		pm = g_hash_table_lookup(c->meta, "master-max");
	c->promoted_max = pm ? atoi(pm) : 1;
	c->promo = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	int max;
	if (!pengine_clone_count(ws, c, "clone-max", ws->nodes_known, &max) ||
	    !pengine_clone_count(ws, c, "clone-node-max", 1, &c->clone_node_max))
		return;
	c->unique = pengine_is_true(g_hash_table_lookup(c->meta, "globally-unique"));
	c->pn = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*c->pn));
	const char *base = pl_xml_id(child);
	c->child_base = xstrdup(base);
	for (int i = 0; i < max; i++) {
		struct pengine_rsc *inst = unpack_primitive(ws, child, c);
		if (g_hash_table_lookup(ws->rsc_by_id, inst->id) == inst)
			g_hash_table_remove(ws->rsc_by_id, inst->id);
		free(inst->id);
		inst->id = xasprintf("%s:%d", base, i);
		g_hash_table_insert(ws->rsc_by_id, inst->id, inst);
		c->children = xreallocarray(c->children, c->n_children + 1, sizeof(*c->children));
		c->children[c->n_children++] = inst;
	}
	if (base)
		g_hash_table_insert(ws->clone_by_child, c->child_base, c);
}

static bool
active_on(struct pengine_rsc *r, struct pengine_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return true;
	return false;
}

/* The instance a history entry belongs to (NULL: none left). */
/* The newest entry of a history says the resource is not running (stopped or probed so). */
bool
pengine_history_inactive(const xmlNode *lr)
{
	long long best = -1, rc = 0;
	const char *task = NULL;
	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
	{
		long long cid = -1, r = 0;
		pl_xml_attr_int(op, "call-id", -1, &cid, NULL);
		if (cid >= best) {
			best = cid;
			pl_xml_attr_int(op, "rc-code", 0, &r, NULL);
			rc = r;
			task = pl_xml_attr(op, "operation");
		}
	}
	return task &&
	    ((!strcmp(task, "stop") && rc == PL_OCF_SUCCESS) ||
		(!strcmp(task, "monitor") && rc == PL_OCF_NOT_RUNNING));
}

/* An instance beyond clone-max for history no configured instance can take: shown
 * ORPHANED and stopped, never placed (the last children, c->n_orphans of them). */
static struct pengine_rsc *
orphan_instance(struct pengine_ws *ws, struct pengine_rsc *c)
{
	struct pengine_rsc *inst =
	    pengine_unpack_primitive(ws, pl_xml_first_child(c->xml, "primitive"), c);
	if (g_hash_table_lookup(ws->rsc_by_id, inst->id) == inst)
		g_hash_table_remove(ws->rsc_by_id, inst->id);
	free(inst->id);
	inst->id = xasprintf("%s:%d", c->child_base, c->n_children);
	g_hash_table_insert(ws->rsc_by_id, inst->id, inst);
	inst->orphan = true;
	pengine_rsc_settle(ws, inst);
	c->children = xreallocarray(c->children, c->n_children + 1, sizeof(*c->children));
	c->children[c->n_children++] = inst;
	c->n_orphans++;
	return inst;
}

/* The first instance active nowhere (an orphan one made for an earlier inactive entry
 * too), which a history entry on a node where none is active takes, as Pacemaker does */
static struct pengine_rsc *
inactive_instance(struct pengine_rsc *c)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->n_running == 0)
			return c->children[i];
	return NULL;
}

/* An instance that needs no fencing, on a node that is down or unclean, does not hold an
 * instance number another node could use (unless the clone runs everywhere): its history
 * there is an orphan instance's */
static bool
holds_no_number(struct pengine_ws *ws, struct pengine_rsc *c, const struct pengine_node *n)
{
	const char *req = c->n_children > 0 ? pengine_meta(c->children[0], "requires") : NULL;
	const char *cm = g_hash_table_lookup(c->meta, "clone-max");
	return (!n->online || n->unclean) && !n->guest && req &&
	    (!strcmp(req, "quorum") || !strcmp(req, "nothing")) && cm &&
	    c->n_children - c->n_orphans < ws->nodes_known;
}

struct pengine_rsc *
pengine_clone_instance_for(
    struct pengine_ws *ws, struct pengine_rsc *c, const xmlNode *lr, struct pengine_node *n)
{
	const char *lrm_id = pl_xml_id(lr);
	struct pengine_rsc *named = g_hash_table_lookup(ws->rsc_by_id, lrm_id);
	if (named && named->parent != c)
		named = NULL;
	if (c->unique)
		return named;
	/* an inactive entry stays with the instance it names; it adds nothing where an
	 * instance is already active on the node; either way the clone is known there */
	if (pengine_history_inactive(lr)) {
		c->pn[n->idx].probed = true;
		/* a second history where an instance is already active: a stopped orphan
		 * instance beyond clone-max (Pacemaker lists it); none without operations */
		for (int i = 0; i < c->n_children; i++)
			if (active_on(c->children[i], n))
				return pl_xml_first_child(lr, "lrm_rsc_op") ? orphan_instance(ws, c)
									    : NULL;
		struct pengine_rsc *inst =
		    named && !named->orphan && !active_on(named, n) ? named : inactive_instance(c);
		if (inst && !holds_no_number(ws, c, n))
			return inst;
		/* every instance is active elsewhere: a stopped orphan instance (Pacemaker) */
		return pl_xml_first_child(lr, "lrm_rsc_op") ? orphan_instance(ws, c) : NULL;
	}
	/* an active entry: a second one where an instance is already active, or one no
	 * free instance can take, is an orphan instance beyond clone-max (Pacemaker) */
	for (int i = 0; i < c->n_children; i++)
		if (active_on(c->children[i], n))
			return orphan_instance(ws, c);
	if (holds_no_number(ws, c, n))
		return orphan_instance(ws, c);
	struct pengine_rsc *free_inst = inactive_instance(c);
	return free_inst ? free_inst : orphan_instance(ws, c);
}

static bool
node_can_run(struct pengine_node *n)
{
	return n->online && !n->unclean && !n->standby && !n->shutdown && !n->maintenance &&
	    !n->pending;
}

struct inst_ctx {
	struct pengine_ws *ws;
	struct pengine_rsc *c;
	const bool *closed;
};

/* an instance active where it may still run (or inactive) */
static bool
inst_can_stay(const struct inst_ctx *ctx, const struct pengine_rsc *r)
{
	if (r->n_running == 0)
		return true;
	int n = r->running[0]->idx;
	(void)ctx; /* the instance's own score: the clone's does not count here */
	return r->score[n] != INT_MIN && r->score[n] >= 0;
}

/* Pacemaker's order of instance assignment (pcmk__cmp_instance): the less multiply active,
 * those not active where they may no longer run, higher priority (a promotable instance's
 * best promotion score), active ones, on nodes that can run resources, healthy before
 * failed, then instance number */
static gint
inst_order_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const struct inst_ctx *ctx = data;
	int x = *(const int *)a, y = *(const int *)b;
	const struct pengine_rsc *rx = ctx->c->children[x], *ry = ctx->c->children[y];
	if (rx->n_running && ry->n_running && rx->n_running != ry->n_running)
		return rx->n_running < ry->n_running ? -1 : 1;
	bool cx = inst_can_stay(ctx, rx), cy = inst_can_stay(ctx, ry);
	if (cx != cy)
		return cx ? -1 : 1;
	if (rx->priority != ry->priority)
		return rx->priority > ry->priority ? -1 : 1;
	if (!rx->n_running || !ry->n_running) {
		if (rx->n_running || ry->n_running)
			return rx->n_running ? -1 : 1;
		return x - y;
	}
	bool ux = node_can_run(rx->running[0]), uy = node_can_run(ry->running[0]);
	if (ux != uy)
		return ux ? -1 : 1;
	if (rx->failed != ry->failed)
		return rx->failed ? 1 : -1;
	return x - y;
}

/* Whether instance r has a free node scoring above `here` */
static bool
better_node(struct pengine_ws *ws, struct pengine_rsc *c, struct pengine_rsc *r, const int *coloc,
    const bool *closed, const int *count, int here)
{
	for (int n = 0; n < ws->n_nodes; n++) {
		int w = r->score[n];
		if (w == INT_MIN || w < 0 || closed[n] || !node_can_run(ws->nodes[n]) ||
		    count[n] >= c->clone_node_max || (coloc && coloc[n] <= -INF))
			continue;
		if (coloc)
			w = pl_score_add(w, coloc[n]);
		if (w > here && (!ws->utilization || pengine_util_fits(ws, r, ws->nodes[n])))
			return true;
	}
	return false;
}

/* Place instances: active ones stay where they are when allowed, the rest go to the best
 * nodes without an instance, ties broken by fewest assignments then name. `coloc` is the
 * per-node adjustment from colocations where the clone is the dependent. */
static void clone_assign(
    struct pengine_ws *ws, struct pengine_rsc *c, const int *coloc, bool blocked);

void
pengine_clone_assign(struct pengine_ws *ws, struct pengine_rsc *c, const int *coloc, bool blocked)
{
	/* orphan instances (the last children) are not placed: they stop */
	int orphans = pengine_clone_of_groups(c) ? 0 : c->n_orphans;
	c->n_children -= orphans;
	clone_assign(ws, c, coloc, blocked);
	c->n_children += orphans;
	for (int i = c->n_children - orphans; i < c->n_children; i++)
		c->children[i]->assigned = NULL;
}

static void
clone_assign(struct pengine_ws *ws, struct pengine_rsc *c, const int *coloc, bool blocked)
{
	int *count = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	bool *done = xcalloc(c->n_children ? c->n_children : 1, sizeof(bool));
	/* the clone's own location score decides where instances may go at all: an
	 * instance's stickiness does not lift a node the clone avoids */
	bool *closed = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(bool));
	for (int n = 0; c->score && n < ws->n_nodes; n++) {
		int w = c->score[n];
		/* finite colocations only steer the instances; a mandatory one closes */
		if (w != INT_MIN && coloc && coloc[n] <= -INF)
			w = -INF;
		closed[n] = w != INT_MIN && w < 0;
	}
	if (c->promotable && !c->no_promote)
		pengine_promotion_scores_add(ws, c);
	/* an active instance stays only on a node holding fewer than its share of the
	 * instances (clone-max over the nodes that may run them, at least 1), so instances
	 * piled on one node spread out (bug-lf-2445) */
	int available = 0;
	for (int n = 0; n < ws->n_nodes; n++)
		if (!closed[n] && (c->score == NULL || c->score[n] != INT_MIN) &&
		    node_can_run(ws->nodes[n]))
			available++;
	int share = available ? c->n_children / available : 0;
	if (share < 1)
		share = 1;
	/* pass 0: active instances stay where they may; 1: the others, in Pacemaker's order */
	int *seq = xcalloc(c->n_children ? c->n_children : 1, sizeof(int));
	for (int i = 0; i < c->n_children; i++)
		seq[i] = i;
	struct inst_ctx ictx = { ws, c, closed };
	g_qsort_with_data(seq, c->n_children, sizeof(int), inst_order_cmp, &ictx);
	for (int pass = 0; pass < 2; pass++) {
		for (int si = 0; si < c->n_children; si++) {
			int i = seq[si];
			struct pengine_rsc *r = c->children[i];
			if (done[i])
				continue;
			struct pengine_node *cur = r->n_running ? r->running[0] : NULL;
			if (pass == 0 && cur == NULL)
				continue;
			if (pass == 0 && r->managed && !(r->failed && r->blocked) &&
			    !r->ticket_freeze && !blocked && !r->disabled) {
				/* an active instance stays where it is whenever it may */
				int w = r->score[cur->idx];
				if (w != INT_MIN && coloc && coloc[cur->idx] <= -INF)
					w = -INF;
				if (w == INT_MIN || w < 0 || closed[cur->idx] || !node_can_run(cur) ||
				    count[cur->idx] >= c->clone_node_max ||
				    count[cur->idx] >= share || r->failed)
					continue; /* placed with the others */
				if (ws->utilization && !pengine_util_fits(ws, r, cur))
					continue;
				/* Pacemaker keeps it there only when that is its best node */
				int here = r->score[cur->idx];
				if (coloc)
					here = pl_score_add(here, coloc[cur->idx]);
				if (better_node(ws, c, r, coloc, closed, count, here))
					continue;
				done[i] = true;
				r->assigned = cur;
				r->provisional = false;
				count[cur->idx]++;
				cur->n_assigned++;
				if (ws->utilization)
					pengine_util_take(ws, r, cur);
				continue;
			}
			struct pengine_node *best = NULL;
			int bw = 0;
			if (!r->managed || (r->failed && r->blocked)) {
				best = cur;
			} else if (r->ticket_freeze) {
				best = cur && node_can_run(cur) ? cur : NULL;
			} else if (!blocked && !r->disabled) {
				bool *room = NULL;
				struct pengine_node *prefer = NULL;
				if (ws->utilization) { /* Pacemaker's capacity check (utilization.c) */
					room = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(bool));
					for (int n = 0; n < ws->n_nodes; n++)
						room[n] = r->score[n] != INT_MIN &&
						    r->score[n] >= 0 && !closed[n] &&
						    node_can_run(ws->nodes[n]) &&
						    count[n] < c->clone_node_max &&
						    !(coloc && coloc[n] <= -INF);
					prefer = pengine_util_room(ws, r, room);
				}
				for (int n = 0; n < ws->n_nodes; n++) {
					struct pengine_node *node = ws->nodes[n];
					int w = r->score[n];
					if (w == INT_MIN || closed[n] || !node_can_run(node) ||
					    count[n] >= c->clone_node_max)
						continue;
					if (room && !room[n])
						continue;
					/* finite colocations steer, they do not forbid */
					if (w < 0 || (coloc && coloc[n] <= -INF))
						continue;
					if (coloc)
						w = pl_score_add(w, coloc[n]);
					if (best == NULL || w > bw) {
						best = node;
						bw = w;
						continue;
					}
					if (w < bw)
						continue;
					/* a tie: a positive score keeps it where it runs; then the
					 * fewest resources placed, the current node, the name */
					int cmp = 0;
					if (bw > 0 && (node == cur || best == cur))
						cmp = node == cur ? -1 : 1;
					if (cmp == 0 && ws->balanced) /* the node with more room */
						cmp = pengine_util_cmp(node, best);
					if (cmp == 0)
						cmp = node->n_assigned - best->n_assigned;
					if (cmp == 0 && (node == cur || best == cur))
						cmp = node == cur ? -1 : 1;
					if (cmp < 0)
						best = node;
				}
				if (prefer && best && room[prefer->idx] &&
				    pl_score_add(r->score[prefer->idx],
					coloc ? coloc[prefer->idx] : 0) >= bw)
					best = prefer;
				free(room);
			}
			done[i] = true;
			r->assigned = best;
			r->provisional = false;
			if (best) {
				count[best->idx]++;
				best->n_assigned++;
				if (ws->utilization)
					pengine_util_take(ws, r, best);
			}
		}
	}
	c->provisional = false;
	free(count);
	free(done);
	free(closed);
	free(c->inst_order); /* ordered=true chains instances in this order (variant.c) */
	c->inst_order = seq;
	c->n_inst_order = c->n_children;
}

bool
pengine_clone_promoted_on(struct pengine_rsc *c, struct pengine_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->assigned == n && c->children[i]->next_role == ROLE_PROMOTED)
			return true;
	return false;
}

/* an instance of c placed on n in the colocation's primary role (Started: any role) */
bool
pengine_clone_in_role_on(struct pengine_rsc *c, struct pengine_node *n, enum pengine_role role)
{
	if (role == ROLE_PROMOTED)
		return pengine_clone_promoted_on(c, n);
	if (role != ROLE_UNPROMOTED || !c->promotable)
		return pengine_clone_on_node(c, n);
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->assigned == n && c->children[i]->next_role == ROLE_UNPROMOTED)
			return true;
	return false;
}

bool
pengine_clone_on_node(struct pengine_rsc *c, struct pengine_node *n)
{
	for (int i = 0; i < c->n_children; i++)
		if (c->children[i]->assigned == n)
			return true;
	return false;
}

/* ---- status view ---- */

static void
node_list(struct pl_buf *out, const char *label, GPtrArray *nodes)
{
	if (nodes->len == 0)
		return;
	pl_buf_addf(out, "      * %s: [", label);
	for (guint i = 0; i < nodes->len; i++)
		pl_buf_addf(out, " %s", ((struct pengine_node *)nodes->pdata[i])->uname);
	pl_buf_add(out, " ]\n");
}

static void
stopped_list(void *data, const char *label, GPtrArray *nodes)
{
	node_list(data, label, nodes);
}

/* Whether Pacemaker's status view lists n among a clone's nodes (Stopped): a bundle's
 * guest node only when the <nodes> section declares it (a bundle's own guest nodes are not
 * among the nodes other resources were unpacked with). */
bool
pengine_clone_lists_node(const struct pengine_node *n)
{
	return !n->in_bundle || n->listed;
}

/* Where an asymmetric cluster's clone is listed as Stopped: Pacemaker's status view has no
 * allowed nodes yet there and lists the nodes the clone's history knows (any instance, or
 * a group instance's member, probed, running or failed there; after the transition also
 * where an action ran). */
bool
pengine_clone_known_on(struct pengine_rsc *c, struct pengine_node *n, bool revised)
{
	if (c->pn && c->pn[n->idx].probed)
		return true;
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *r = c->children[i];
		if (r->kind == KIND_GROUP) { /* a clone of groups: its instances' members */
			if (pengine_clone_known_on(r, n, revised))
				return true;
			continue;
		}
		if (r->pn && (r->pn[n->idx].probed || r->pn[n->idx].active || r->pn[n->idx].failed))
			return true;
		if (!revised || r->actions == NULL)
			continue;
		for (guint k = 0; k < r->actions->len; k++) {
			struct pengine_action *a = r->actions->pdata[k];
			if (a->node == n && (a->flags & AF_CONFIRMED) &&
			    (a->task_id == TASK_START ||
				(a->task_id == TASK_MONITOR && a->interval_ms == 0)))
				return true;
		}
	}
	return false;
}

void
pengine_clone_render(struct pengine_ws *ws, struct pengine_rsc *c, struct pl_buf *out, bool revised,
    void (*prim)(struct pengine_ws *, struct pengine_rsc *, struct pl_buf *, const char *, bool,
	const char *))
{
	struct pl_buf fl = PL_BUF_INIT;
	if (c->promotable)
		pl_buf_add(&fl, "promotable");
	if (c->unique)
		pl_buf_addf(&fl, "%sunique", fl.len ? ", " : "");
	if (c->disabled)
		pl_buf_addf(&fl, "%sdisabled", fl.len ? ", " : "");
	if (!c->managed)
		pl_buf_addf(&fl, "%sunmanaged", fl.len ? ", " : "");
	pl_buf_addf(out, "    * Clone Set: %s [%s]%s%s%s:\n", c->id,
	    c->child_base ? c->child_base : "", fl.len ? " (" : "", pl_buf_str(&fl),
	    fl.len ? ")" : "");
	pl_buf_free(&fl);
	if (pengine_clone_of_groups(c)) {
		pengine_clone_group_render(ws, c, out, revised, prim);
		return;
	}
	if (c->unique) {
		for (int i = 0; i < c->n_children; i++)
			prim(ws, c->children[i], out, "      ", revised, NULL);
		return;
	}
	GPtrArray *started = g_ptr_array_new(), *stopped = g_ptr_array_new();
	GPtrArray *promoted = g_ptr_array_new();
	bool *busy = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(bool));
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *r = c->children[i];
		int cnt = revised ? r->n_sim_running : r->n_running;
		struct pengine_node **on = revised ? r->sim_running : r->running;
		bool failed = revised ? r->sim_failed : r->failed;
		/* an instance left on a cleanly offline node (history kept, as for an
		 * unmanaged one) does not count the node as the clone's: it is listed
		 * Stopped there as well, as Pacemaker does */
		for (int k = 0; k < cnt; k++)
			if (on[k]->online || on[k]->unclean)
				busy[on[k]->idx] = true;
		if (cnt == 1 && !revised && on[0]->guest_reset)
			continue; /* on a guest being fenced: not listed, as Pacemaker */
		bool pend = pengine_pending_word(r, revised) != NULL; /* listed on its own */
		if (cnt == 1 && !failed && r->managed && !pend && !r->orphan &&
		    !(on[0]->unclean && !on[0]->online && !on[0]->fence_scheduled && !revised))
			continue;
		if (cnt > 0 || pend)
			prim(ws, r, out, "      ", revised, c->child_base);
	}
	for (int n = 0; n < ws->n_nodes; n++) {
		for (int i = 0; i < c->n_children; i++) {
			struct pengine_rsc *r = c->children[i];
			int cnt = revised ? r->n_sim_running : r->n_running;
			struct pengine_node **on = revised ? r->sim_running : r->running;
			bool failed = revised ? r->sim_failed : r->failed;
			if (cnt == 1 && on[0] == ws->nodes[n] && !failed && r->managed &&
			    !pengine_pending_word(r, revised) && !r->orphan &&
			    !(on[0]->unclean && !on[0]->online && !on[0]->fence_scheduled && !revised))
				g_ptr_array_add((revised ? r->sim_role : r->role) == ROLE_PROMOTED
					? promoted
					: started,
				    ws->nodes[n]);
		}
		/* a bundle's guest nodes run only the bundled primitive: not listed */
		if (!busy[n] && pengine_clone_lists_node(ws->nodes[n]) &&
		    (ws->symmetric || pengine_clone_known_on(c, ws->nodes[n], revised)))
			g_ptr_array_add(stopped, ws->nodes[n]);
	}
	node_list(out, "Promoted", promoted);
	node_list(out, c->promotable ? "Unpromoted" : "Started", started);
	g_ptr_array_free(promoted, true);
	bool some_inactive = false;
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *r = c->children[i];
		/* an instance listed on its own (failed, unmanaged) counts as not "Started" */
		if (!r->orphan &&
		    ((revised ? r->n_sim_running : r->n_running) == 0 ||
			(revised ? r->sim_failed : r->failed) || !r->managed))
			some_inactive = true;
	}
	if (some_inactive)
		mon_stopped_lists(ws, c, stopped, stopped_list, out);
	g_ptr_array_free(started, true);
	g_ptr_array_free(stopped, true);
	free(busy);
}
