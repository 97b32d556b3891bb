/*
 * clone_group.c - clones of a group: instances "GROUP:N" whose members are "MEMBER:N", and
 * the mapping of the history onto them, for the status (crm_mon, crm_resource). They are not
 * scheduled yet: such a clone is marked unsupported, so placement and actions pass it by.
 *
 * The history names an anonymous clone's members by their own id ("mysql-proxy"), a unique
 * clone's by the instance ("mysql-proxy:1"). An anonymous entry goes to the instance already
 * active on that node, else to the first instance none of whose members runs anywhere
 * (without an entry, lr NULL: the lookup crm_mon makes for a node's history).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

static void
rename_rsc(struct pengine_ws *ws, struct pengine_rsc *r, int i)
{
	if (g_hash_table_lookup(ws->rsc_by_id, r->id) == r)
		g_hash_table_remove(ws->rsc_by_id, r->id);
	char *id = xasprintf("%s:%d", r->id, i);
	free(r->id);
	r->id = id;
	g_hash_table_insert(ws->rsc_by_id, r->id, r);
}

bool
pengine_clone_of_group(xmlNode *clone)
{
	return pl_xml_first_child(clone, "primitive") == NULL &&
	    pl_xml_first_child(clone, "group") != NULL;
}

void
pengine_clone_group_unpack(struct pengine_ws *ws, struct pengine_rsc *c, xmlNode *x)
{
	xmlNode *g = pl_xml_first_child(x, "group");
	int max;
	c->promotable =
	    pl_xml_is(x, "master") || pengine_is_true(g_hash_table_lookup(c->meta, "promotable"));
	if (c->promotable) { /* promotion of group instances is not scheduled yet */
		c->unsupported = true;
		ws->unsupported = true;
	}
	c->unique = pengine_is_true(g_hash_table_lookup(c->meta, "globally-unique"));
	c->notify = pengine_is_true(g_hash_table_lookup(c->meta, "notify"));
	if (!pengine_clone_count(ws, c, "clone-max", ws->nodes_known, &max) ||
	    !pengine_clone_count(ws, c, "clone-node-max", 1, &c->clone_node_max))
		return;
	c->pn = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(*c->pn));
	c->promo = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
	c->child_base = xstrdup(pl_xml_id(g));
	PL_XML_FOREACH_CHILD(g, "primitive", m)
	if (pl_xml_id(m)) /* keys owned by the CIB document */
		g_hash_table_insert(ws->clone_by_member, (char *)pl_xml_id(m), c);
	for (int i = 0; i < max; i++) {
		struct pengine_rsc *inst = pengine_unpack_group(ws, g, c);
		rename_rsc(ws, inst, i);
		for (int k = 0; k < inst->n_children; k++)
			rename_rsc(ws, inst->children[k], i);
		c->children = xreallocarray(c->children, c->n_children + 1, sizeof(*c->children));
		c->children[c->n_children++] = inst;
	}
}

static bool
group_active_on(const struct pengine_rsc *g, const struct pengine_node *n)
{
	for (int k = 0; k < g->n_children; k++)
		for (int j = 0; j < g->children[k]->n_running; j++)
			if (g->children[k]->running[j] == n)
				return true;
	return false;
}

/* The first node a group instance is known on so far (a member running or with an action
 * in flight there, members in order), or NULL */
static const struct pengine_node *
group_location(const struct pengine_rsc *g, const struct pengine_ws *ws)
{
	for (int k = 0; k < g->n_children; k++) {
		const struct pengine_rsc *m = g->children[k];
		if (m->n_running)
			return m->running[0];
		for (int n = 0; m->pn && n < ws->n_nodes; n++)
			if (m->pn[n].pending)
				return ws->nodes[n];
	}
	return NULL;
}

/* An instance beyond clone-max for history no configured instance can take: shown
 * ORPHANED and stopped, as Pacemaker does. */
static struct pengine_rsc *
orphan_instance(struct pengine_ws *ws, struct pengine_rsc *c)
{
	xmlNode *g = pl_xml_first_child(c->xml, "group");
	struct pengine_rsc *inst = pengine_unpack_group(ws, g, c);
	int i = c->n_children;
	rename_rsc(ws, inst, i);
	inst->orphan = true;
	pengine_rsc_settle(ws, inst);
	for (int k = 0; k < inst->n_children; k++) {
		rename_rsc(ws, inst->children[k], i);
		inst->children[k]->orphan = true;
		pengine_rsc_settle(ws, inst->children[k]);
	}
	c->children = xreallocarray(c->children, c->n_children + 1, sizeof(*c->children));
	c->children[c->n_children++] = inst;
	c->n_orphans++;
	return inst;
}

static int
member_index(const struct pengine_rsc *c, const char *base)
{
	for (int k = 0; k < c->children[0]->n_children; k++)
		if (!g_strcmp0(pl_xml_id(c->children[0]->children[k]->xml), base))
			return k;
	return -1;
}

/*
 * The member a history entry (lrm_resource id, "member" or "member:N") on node n belongs
 * to, as Pacemaker maps it: a unique clone's by its name; an anonymous clone's to the
 * instance already known on n (unless its member is already active somewhere: a second
 * history of the same member, then an orphan instance takes it), else to the first
 * instance known nowhere, else to a new orphan instance. lr NULL: a lookup only (crm_mon),
 * which makes no orphan.
 */
struct pengine_rsc *
pengine_clone_group_member_for(
    struct pengine_ws *ws, const char *lrm_id, const xmlNode *lr, struct pengine_node *n)
{
	char *base = xstrdup(lrm_id), *colon = strchr(base, ':');
	int num = -1;
	if (colon) {
		*colon = '\0';
		num = atoi(colon + 1);
	}
	struct pengine_rsc *found = NULL;
	struct pengine_rsc *c = g_hash_table_lookup(ws->clone_by_member, base);
	if (c && pengine_clone_of_groups(c)) {
		int m = member_index(c, base);
		if (m < 0 || c->unique) {
			if (m >= 0 && num >= 0 && num < c->n_children &&
			    m < c->children[num]->n_children)
				found = c->children[num]->children[m];
			free(base);
			return found;
		}
		struct pengine_rsc *inactive = NULL;
		bool skip_inactive = false;
		for (int k = 0; k < c->n_children && found == NULL; k++) {
			struct pengine_rsc *g = c->children[k];
			if (m >= g->n_children)
				continue;
			const struct pengine_node *at = group_location(g, ws);
			if (at == NULL) {
				if (!skip_inactive && inactive == NULL && !g->orphan)
					inactive = g->children[m];
				continue;
			}
			if (at != n)
				continue;
			if (g->children[m]->n_running > 0 && lr) {
				skip_inactive = true; /* a second history of an active member */
				continue;
			}
			found = g->children[m];
		}
		if (found == NULL && !skip_inactive)
			found = inactive;
		if (found == NULL && lr)
			found = orphan_instance(ws, c)->children[m];
	}
	free(base);
	return found;
}

bool
pengine_clone_of_groups(const struct pengine_rsc *c)
{
	return c->kind == KIND_CLONE && c->n_children > 0 && c->children[0]->kind == KIND_GROUP;
}

static void
add_running(struct pengine_rsc *g, struct pengine_node *n)
{
	for (int i = 0; i < g->n_running; i++)
		if (g->running[i] == n)
			return;
	g->running = xreallocarray(g->running, g->n_running + 1, sizeof(*g->running));
	g->running[g->n_running++] = n;
}

/*
 * Before the clone places its instances (pengine_clone_assign), each group instance is seen as
 * one resource, as Pacemaker sees it: its node scores are its members' summed (the first
 * member's "not allowed" rules), it runs where its members run (in member order), it has
 * failed when a member has, and it is managed when all of its members are.
 */
void
pengine_clone_group_prepare(struct pengine_ws *ws, struct pengine_rsc *c)
{
	c->n_children -= c->n_orphans; /* orphan instances (the last ones) are not placed */
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *g = c->children[i];
		if (g->score == NULL)
			g->score = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
		for (int n = 0; n < ws->n_nodes; n++) {
			int w = INT_MIN;
			for (int k = 0; k < g->n_children; k++) {
				int s = g->children[k]->score ? g->children[k]->score[n] : 0;
				if (k == 0)
					w = s;
				else if (w != INT_MIN && s != INT_MIN)
					w = pl_score_add(w, s);
			}
			g->score[n] = w;
		}
		g->n_running = 0;
		g->failed = g->blocked = false;
		for (int k = 0; k < g->n_children; k++) {
			struct pengine_rsc *m = g->children[k];
			for (int j = 0; j < m->n_running; j++)
				add_running(g, m->running[j]);
			g->failed = g->failed || m->failed;
			g->blocked = g->blocked || (m->failed && m->blocked);
			if (!m->managed)
				g->managed = false;
		}
	}
}

/* After placement: each instance's members follow it; the instance is a group again (no
 * running nodes or failure of its own: those stay its members'). */
void
pengine_clone_group_settle(struct pengine_ws *ws, struct pengine_rsc *c)
{
	for (int i = c->n_children; i < c->n_children + c->n_orphans; i++)
		c->children[i]->assigned = NULL;
	c->n_children += c->n_orphans;
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *g = c->children[i];
		struct pengine_node *best = g->assigned;
		if (best)
			best->n_assigned--; /* counted again for its members */
		pengine_group_assign_members(ws, g, best);
		g->assigned = best;
		g->n_running = 0;
		g->failed = g->blocked = false;
	}
}

/* ---- crm_simulate's status view of a clone of groups (before or after the transition) ---- */

static int
member_count(const struct pengine_rsc *m, bool revised, struct pengine_node ***on)
{
	*on = revised ? m->sim_running : m->running;
	return revised ? m->n_sim_running : m->n_running;
}

/* the node a group instance runs on as a whole, every member plain there (else NULL) */
static struct pengine_node *
plain_node(const struct pengine_rsc *g, bool revised)
{
	struct pengine_node *at = NULL;
	for (int k = 0; k < g->n_children; k++) {
		const struct pengine_rsc *m = g->children[k];
		struct pengine_node **on;
		int cnt = member_count(m, revised, &on);
		if (cnt != 1 || (at && on[0] != at) || (revised ? m->sim_failed : m->failed) ||
		    !m->managed || m->orphan ||
		    (on[0]->unclean && !on[0]->online && !on[0]->fence_scheduled && !revised))
			return NULL;
		at = on[0];
	}
	return at;
}

static bool
inst_active(const struct pengine_rsc *g, bool revised)
{
	for (int k = 0; k < g->n_children; k++) {
		struct pengine_node **on;
		if (member_count(g->children[k], revised, &on) > 0)
			return true;
	}
	return false;
}

static void
nodes_line(struct pl_buf *out, const char *label, GPtrArray *nodes)
{
	if (nodes->len == 0)
		return;
	pl_buf_addf(out, "      * %s: [", label);
	for (guint i = 0; i < nodes->len; i++)
		pl_buf_addf(out, " %s", ((struct pengine_node *)nodes->pdata[i])->uname);
	pl_buf_add(out, " ]\n");
}

void
pengine_clone_group_render(struct pengine_ws *ws, struct pengine_rsc *c, struct pl_buf *out,
    bool revised,
    void (*prim)(struct pengine_ws *, struct pengine_rsc *, struct pl_buf *, const char *, bool,
	const char *))
{
	bool *busy = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(bool));
	bool some_inactive = false;
	for (int i = 0; i < c->n_children; i++) {
		struct pengine_rsc *g = c->children[i];
		for (int k = 0; k < g->n_children; k++) {
			struct pengine_node **on;
			int cnt = member_count(g->children[k], revised, &on);
			for (int j = 0; j < cnt; j++)
				busy[on[j]->idx] = true;
		}
		bool plain = plain_node(g, revised) != NULL;
		if (!plain && !g->orphan)
			some_inactive = true;
		if (plain || (!c->unique && !inst_active(g, revised)))
			continue;
		pl_buf_addf(out, "      * Resource Group: %s%s:\n", g->id,
		    !g->managed	      ? " (unmanaged)"
			: g->disabled ? " (disabled)"
				      : "");
		for (int k = 0; k < g->n_children; k++)
			prim(ws, g->children[k], out, "        ", revised,
			    c->unique ? NULL : pl_xml_id(g->children[k]->xml));
	}
	GPtrArray *started = g_ptr_array_new(), *stopped = g_ptr_array_new();
	for (int n = 0; n < ws->n_nodes; n++) {
		for (int i = 0; i < c->n_children; i++)
			if (plain_node(c->children[i], revised) == ws->nodes[n])
				g_ptr_array_add(started, ws->nodes[n]);
		if (!busy[n] && pengine_clone_lists_node(ws->nodes[n]) &&
		    (ws->symmetric || pengine_clone_known_on(c, ws->nodes[n], revised)))
			g_ptr_array_add(stopped, ws->nodes[n]);
	}
	if (!c->unique)
		nodes_line(out, "Started", started);
	if (some_inactive && !c->unique)
		nodes_line(out, c->disabled ? "Stopped (disabled)" : "Stopped", stopped);
	g_ptr_array_free(started, true);
	g_ptr_array_free(stopped, true);
	free(busy);
}

static bool
member_known(const struct pengine_rsc *c, int m, const struct pengine_node *n)
{
	for (int i = 0; i < c->n_children; i++) {
		const struct pengine_rsc *g = c->children[i];
		if (m >= g->n_children)
			continue;
		const struct pengine_rsc_node *pn = &g->children[m]->pn[n->idx];
		if (pn->probed || pn->active || pn->role != ROLE_UNKNOWN)
			return true;
	}
	return false;
}

void
pengine_clone_group_probe(struct pengine_ws *ws, struct pengine_rsc *c, struct pengine_node *n,
    bool (*wanted)(struct pengine_ws *, struct pengine_rsc *, struct pengine_node *))
{
	struct pengine_rsc *pick = NULL;
	for (int i = 0; i < c->n_children && !pick; i++)
		if (group_active_on(c->children[i], n) || c->children[i]->assigned == n)
			pick = c->children[i];
	if (pick == NULL && c->n_children)
		pick = c->children[0];
	for (int m = 0; pick && m < pick->n_children; m++) {
		struct pengine_rsc *r = pick->children[m];
		if (!member_known(c, m, n) && wanted(ws, r, n))
			pengine_action_new(ws, r, "monitor", 0, n, false);
	}
}

/* Whether clone of groups c has an instance on node n for what is colocated with it: an
 * instance whose first member is placed there, or, for an interleaved dependent (paired
 * with one instance), an instance whose members are all placed there (Pacemaker's
 * observed behaviour: bug-lf-2422 against a non-interleaved dependent). */
bool
pengine_clone_group_on_node(const struct pengine_rsc *c, const struct pengine_node *n, bool whole)
{
	for (int i = 0; i < c->n_children; i++) {
		const struct pengine_rsc *g = c->children[i];
		if (g->assigned != n)
			continue;
		bool all = true;
		for (int k = 0; whole && k < g->n_children; k++)
			if (g->children[k]->assigned != n)
				all = false;
		if (all)
			return true;
	}
	return false;
}
