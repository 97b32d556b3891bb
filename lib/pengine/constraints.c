/*
 * constraints.c - unpack rsc_location, rsc_colocation and rsc_order (including simple
 * sequential resource sets) into the model. Location scores are applied to the resources'
 * per-node score arrays at once; colocations and orderings are kept for later stages.
 */
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

static struct pengine_rsc *
find_rsc(struct pengine_ws *ws, const char *id)
{
	return id ? g_hash_table_lookup(ws->rsc_by_id, id) : NULL;
}

static void
loc_apply(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n, int score)
{
	if (r->kind == KIND_CLONE && r->score)
		r->score[n->idx] =
		    r->score[n->idx] == INT_MIN ? score : pl_score_add(r->score[n->idx], score);
	/* a group's location is its first member's; later members get it with score 0
	 * (allowed there, no preference), as Pacemaker applies a copy with the scores reset
	 * to the members after the first, whose scores already carry theirs (930049) */
	if (r->kind == KIND_GROUP || r->kind == KIND_CLONE) {
		for (int i = 0; i < r->n_children; i++)
			loc_apply(ws, r->children[i], n, r->kind == KIND_GROUP && i > 0 ? 0 : score);
		return;
	}
	if (r->kind == KIND_BUNDLE) { /* a bundle's locations place its containers */
		for (int i = 0; i < r->n_replicas; i++)
			loc_apply(ws, r->replicas[i].container, n, score);
		return;
	}
	if (r->score == NULL)
		return;
	if (r->score[n->idx] == INT_MIN) /* not allowed yet: the constraint allows it */
		r->score[n->idx] = score;
	else
		r->score[n->idx] = pl_score_add(r->score[n->idx], score);
}

/* A location score from ws->loc_source (a constraint id, node health, a ticket), kept for
 * the explanation (explain.c) and applied to the resource's node scores. */
static void
loc_add(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n, int score)
{
	struct pengine_loc_entry e = { ws->loc_source, r->idx, n->idx, score };
	g_array_append_val(ws->loc_log, e);
	loc_apply(ws, r, n, score);
	pengine_discovery_mark(ws, r, n, ws->loc_discover);
}

/* role=Promoted locations feed a promotable clone's promotion scores */
static void
promo_add(struct pengine_rsc *r, struct pengine_node *n, int score)
{
	if (r->kind == KIND_BUNDLE && r->inner) /* a bundle's: its clone's */
		r = r->inner;
	if (r->kind == KIND_CLONE && r->promotable && r->promo)
		r->promo[n->idx] = pl_score_add(r->promo[n->idx], score);
}

static void unpack_location_entries(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *r,
    const char *role, const char *node, const char *score, bool promo);

static void
unpack_location(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *r, const char *role)
{
	bool promo = role && pengine_role_parse(role) == ROLE_PROMOTED;
	const char *node = pl_xml_attr(x, "node"), *score = pl_xml_attr(x, "score");
	ws->loc_source = pl_xml_id(x) ? pl_xml_id(x) : "rsc_location";
	ws->loc_discover = pengine_discover_parse(pl_xml_attr(x, "resource-discovery"));
	unpack_location_entries(ws, x, r, role, node, score, promo);
	ws->loc_discover = DISCOVER_ALWAYS;
}

static void
unpack_location_entries(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *r, const char *role,
    const char *node, const char *score, bool promo)
{
	if (node) {
		if (role && pengine_role_parse(role) > ROLE_STARTED && !promo)
			return;
		struct pengine_node *n = g_hash_table_lookup(ws->node_by_name, node);
		if (n && promo)
			promo_add(r, n, pl_score_parse(score));
		else if (n)
			loc_add(ws, r, n, pl_score_parse(score));
		return;
	}
	PL_XML_FOREACH_CHILD(x, "rule", rule)
	{
		xmlNode *real = rule;
		if (pl_xml_attr(rule, "id-ref"))
			real = pl_xml_find_id(ws->config, "rule", pl_xml_attr(rule, "id-ref"));
		if (real == NULL)
			continue;
		/* with rules only the rule's role counts: Pacemaker ignores the constraint's */
		const char *rrole = pl_xml_attr(real, "role");
		bool rpromo = rrole && pengine_role_parse(rrole) == ROLE_PROMOTED;
		if (rrole && pengine_role_parse(rrole) > ROLE_STARTED && !rpromo)
			continue;
		for (int i = 0; i < ws->n_nodes; i++) {
			int s;
			if (!pengine_rule_eval(ws, real, ws->nodes[i], &s))
				continue;
			if (rpromo)
				promo_add(r, ws->nodes[i], s);
			else
				loc_add(ws, r, ws->nodes[i], s);
		}
	}
}

static void
add_coloc(struct pengine_ws *ws, const char *id, struct pengine_rsc *dep, struct pengine_rsc *pri,
    int score, const char *drole, const char *prole, const char *attr)
{
	if (dep == NULL || pri == NULL || score == 0)
		return;
	struct pengine_coloc *c = XNEW(struct pengine_coloc);
	c->id = xstrdup(id);
	c->dep = dep;
	c->primary = pri;
	c->score = score;
	c->dep_role = pengine_role_parse(drole);
	c->primary_role = pengine_role_parse(prole);
	c->node_attr = xstrdup(attr);
	const char *crit = pengine_meta(dep, "critical");
	c->no_influence = pengine_is_false(crit);
	g_ptr_array_add(ws->colocs, c);
}

static void
add_order(struct pengine_ws *ws, struct pengine_rsc *first, const char *ftask,
    struct pengine_rsc *then, const char *ttask, int flags)
{
	if (first == NULL || then == NULL)
		return;
	struct pengine_order *o = XNEW(struct pengine_order);
	o->first_rsc = first;
	o->then_rsc = then;
	o->first_task = xstrdup(ftask);
	o->then_task = xstrdup(ttask);
	o->flags = flags;
	g_ptr_array_add(ws->orders, o);
}

static const char *
inverse_task(const char *t)
{
	if (!strcmp(t, "start"))
		return "stop";
	if (!strcmp(t, "stop"))
		return "start";
	if (!strcmp(t, "promote"))
		return "demote";
	if (!strcmp(t, "demote"))
		return "promote";
	return t;
}

static void
order_pair(struct pengine_ws *ws, struct pengine_rsc *first, const char *fa,
    struct pengine_rsc *then, const char *ta, const char *kind, int score, bool symmetrical)
{
	int flags;
	bool mandatory;
	if (kind) /* an unknown kind counts as Mandatory, as in Pacemaker */
		mandatory = strcasecmp(kind, "Optional") != 0 && strcasecmp(kind, "Serialize") != 0;
	else
		mandatory = score != 0;
	if (kind && !strcasecmp(kind, "Serialize"))
		return; /* no ordering effect we model yet */
	flags = mandatory ? (OF_IMPLIES_THEN | OF_RUNNABLE_LEFT) : OF_OPTIONAL;
	/* the deprecated restart-type=restart of then: an optional ordering still restarts it */
	const char *rt = mandatory ? NULL : pengine_meta(then, "restart-type");
	if (rt && !strcmp(rt, "restart"))
		flags |= OF_IMPLIES_THEN;
	if (mandatory && symmetrical)
		flags |= OF_SYMMETRIC;
	else if (mandatory)
		flags = OF_RUNNABLE_LEFT | OF_ASYMMETRIC; /* no restart of then, as Pacemaker */
	add_order(ws, first, fa, then, ta, flags);
	if (symmetrical) {
		int iflags = mandatory ? OF_IMPLIES_FIRST : OF_OPTIONAL | OF_FIRST_NOT_MIGRATING;
		add_order(ws, then, inverse_task(ta), first, inverse_task(fa), iflags);
	}
}

/* Primitives made from template `id` (constraints may name a template). */
static int
template_users(struct pengine_ws *ws, const char *id, GPtrArray *out)
{
	int n = 0;
	if (id == NULL)
		return 0;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		const char *t = r->kind == KIND_PRIMITIVE ? pl_xml_attr(r->xml, "template") : NULL;
		if (t && !strcmp(t, id)) {
			g_ptr_array_add(out, r);
			n++;
		}
	}
	return n;
}

/* The resources `id` names (a resource, a tag's references, a template's users), appended
 * to `out`; returns how many. */
static int
find_rscs(struct pengine_ws *ws, const char *id, GPtrArray *out)
{
	struct pengine_rsc *r = find_rsc(ws, id);
	if (r) {
		g_ptr_array_add(out, r);
		return 1;
	}
	/* a tag: its references, each a resource or a template */
	xmlNode *tags = pl_xml_first_child(ws->config, "tags");
	PL_XML_FOREACH_CHILD(tags, "tag", t)
	{
		if (g_strcmp0(pl_xml_id(t), id) != 0)
			continue;
		int n = 0;
		PL_XML_FOREACH_CHILD(t, "obj_ref", ref)
		{
			struct pengine_rsc *rr = find_rsc(ws, pl_xml_id(ref));
			if (rr) {
				g_ptr_array_add(out, rr);
				n++;
			} else {
				n += template_users(ws, pl_xml_id(ref), out);
			}
		}
		return n;
	}
	return template_users(ws, id, out);
}

/* constraints the configuration implies (guest nodes): INFINITY colocation, and a
 * mandatory ordering, symmetrical when asked */
void
pengine_add_colocation(struct pengine_ws *ws, const char *id, struct pengine_rsc *dep,
    struct pengine_rsc *pri, int score)
{
	add_coloc(ws, id, dep, pri, score, NULL, NULL, NULL);
}

void
pengine_add_ordering(struct pengine_ws *ws, struct pengine_rsc *first, const char *fa,
    struct pengine_rsc *then, const char *ta, bool symmetrical)
{
	order_pair(ws, first, fa, then, ta, NULL, INF, symmetrical);
}

/* An ordering after a clone with clone-min, or with require-all="false": Pacemaker puts a
 * pseudo-action "clone-one-or-more:ID" between them, runnable when that many of the
 * clone's instances can do the first action (one for require-all="false"). The inverse of a
 * symmetrical ordering stays a plain one. Returns false when it does not apply. */
static bool
clone_one_or_more(struct pengine_ws *ws, xmlNode *x, struct pengine_rsc *first, const char *fa,
    GPtrArray *then, const char *ta, const char *kind, int score, bool symmetrical, bool any)
{
	if (first->kind != KIND_CLONE || first->n_children == 0)
		return false;
	const char *cm = pengine_meta(first, "clone-min");
	int min = cm ? pl_score_parse(cm) : 0;
	if (cm == NULL && !any)
		return false;
	if (min < 1) {
		if (!any)
			return false; /* clone-min="0" asks for nothing */
		min = 1;
	}
	bool mandatory = kind
	    ? strcasecmp(kind, "Optional") != 0 && strcasecmp(kind, "Serialize") != 0
	    : score != 0;
	if (kind && !strcasecmp(kind, "Serialize"))
		return false;
	struct pengine_one_or_more *o = XNEW(struct pengine_one_or_more);
	o->id = xasprintf("clone-one-or-more:%s", pl_xml_id(x) ? pl_xml_id(x) : "order");
	o->members = g_ptr_array_new();
	o->next = g_ptr_array_new();
	for (int i = 0; i < first->n_children; i++)
		g_ptr_array_add(o->members, first->children[i]);
	pengine_alist_copy(o->next, then);
	o->action = xstrdup(fa);
	o->next_action = xstrdup(ta);
	o->min = min;
	o->clone = first;
	o->flags = mandatory ? OF_IMPLIES_THEN | OF_RUNNABLE_LEFT : OF_OPTIONAL | OF_RUNNABLE_LEFT;
	g_ptr_array_add(ws->one_or_more, o);
	for (guint j = 0; symmetrical && j < then->len; j++)
		add_order(ws, then->pdata[j], inverse_task(ta), first, inverse_task(fa),
		    mandatory ? OF_IMPLIES_FIRST : OF_OPTIONAL);
	return true;
}

static void
unpack_order(struct pengine_ws *ws, xmlNode *x)
{
	const char *kind = pl_xml_attr(x, "kind"), *sym = pl_xml_attr(x, "symmetrical");
	int score = pl_xml_attr(x, "score") ? pl_score_parse(pl_xml_attr(x, "score")) : INF;
	bool symmetrical = sym ? pengine_is_true(sym) : !(kind && !strcasecmp(kind, "Serialize"));
	xmlNode *set1 = pl_xml_first_child(x, "resource_set");
	if (set1) {
		/* inside a sequential set each member follows the previous; between sets, the
		 * last member of a sequential set (every member of a non-sequential one) comes
		 * before the first member of the next (every member, if non-sequential) */
		g_autoptr(GPtrArray) prev_last = g_ptr_array_new();
		int n_prev = 0;
		const char *prev_a = NULL;
		struct pengine_one_or_more *pending =
		    NULL; /* a require-all=false set waiting for its successor */
		PL_XML_FOREACH_CHILD(x, "resource_set", set)
		{
			const char *a = pl_xml_attr(set, "action");
			const char *seq = pl_xml_attr(set, "sequential");
			const char *skind = pl_xml_attr(set, "kind");
			bool sequential = seq == NULL || pengine_is_true(seq);
			if (!a)
				a = "start";
			g_autoptr(GPtrArray) members = g_ptr_array_new();
			int nm = 0;
			PL_XML_FOREACH_CHILD(set, "resource_ref", ref)
			nm += find_rscs(ws, pl_xml_id(ref), members);
			if (nm == 0)
				continue;
			for (int k = 1; sequential && k < nm; k++)
				order_pair(ws, members->pdata[k - 1], a, members->pdata[k], a,
				    skind ? skind : kind, score, symmetrical);
			int nfirst = sequential ? 1 : nm;
			if (pending) {
				/* the next set waits for any one member of the previous */
				for (int k = 0; k < nfirst; k++)
					g_ptr_array_add(pending->next, members->pdata[k]);
				pending->next_action = xstrdup(a);
				g_ptr_array_add(ws->one_or_more, pending);
				pending = NULL;
				n_prev = 0;
			}
			const char *ra = pl_xml_attr(set, "require-all");
			bool any = ra && !pengine_is_true(ra);
			for (int p = 0; p < n_prev; p++)
				for (int k = 0; k < nfirst; k++)
					order_pair(ws, prev_last->pdata[p], prev_a, members->pdata[k],
					    a, skind ? skind : kind, score, symmetrical);
			if (any) {
				pending = XNEW(struct pengine_one_or_more);
				pending->id = xasprintf(
				    "one-or-more:%s", pl_xml_id(set) ? pl_xml_id(set) : "set");
				pending->members = g_ptr_array_new();
				pending->next = g_ptr_array_new();
				pengine_alist_copy(pending->members, members);
				pending->action = xstrdup(a);
				pending->min = 1;
				pending->flags = OF_RUNNABLE_LEFT | OF_IMPLIES_THEN;
				n_prev = 0;
			} else if (sequential) {
				g_ptr_array_set_size(prev_last, 0);
				g_ptr_array_add(prev_last, members->pdata[nm - 1]);
				n_prev = 1;
			} else {
				pengine_alist_copy(prev_last, members);
				n_prev = nm;
			}
			prev_a = a;
		}
		if (pending) /* nothing follows: it orders nothing */
			pengine_one_or_more_free(pending);
		return;
	}
	g_autoptr(GPtrArray) first = g_ptr_array_new();
	g_autoptr(GPtrArray) then = g_ptr_array_new();
	int nf = find_rscs(ws, pl_xml_attr(x, "first"), first);
	int nt = find_rscs(ws, pl_xml_attr(x, "then"), then);
	const char *fa = pl_xml_attr(x, "first-action"), *ta = pl_xml_attr(x, "then-action");
	if (!fa)
		fa = "start";
	if (!ta)
		ta = fa;
	const char *ra = pl_xml_attr(x, "require-all");
	if (nf == 1 && nt >= 1 &&
	    clone_one_or_more(ws, x, first->pdata[0], fa, then, ta, kind, score, symmetrical,
		ra && !pengine_is_true(ra)))
		return;
	guint from = ws->orders->len;
	for (int i = 0; i < nf; i++)
		for (int j = 0; j < nt; j++)
			order_pair(
			    ws, first->pdata[i], fa, then->pdata[j], ta, kind, score, symmetrical);
	for (guint i = from; ra && !pengine_is_true(ra) && i < ws->orders->len; i++)
		((struct pengine_order *)ws->orders->pdata[i])->any_first = true;
}

/* Members of one sequential colocation set, as Pacemaker 2.1.5 reads them: with a positive
 * score each member is placed with the previous one, or with ordering="listed" each with the
 * next one; with a negative score every member avoids every member before it. */
static void
colocate_set_members(struct pengine_ws *ws, const char *id, xmlNode *set, GPtrArray *members,
    int nm, int score, const char *role, const char *attr)
{
	if (score == 0)
		return;
	const char *ordering = pl_xml_attr(set, "ordering");
	bool listed = ordering && !strcasecmp(ordering, "listed");
	for (int k = 1; k < nm; k++) {
		if (score < 0)
			for (int j = 0; j < k; j++)
				add_coloc(ws, id, members->pdata[k], members->pdata[j], score, role,
				    role, attr);
		else if (listed)
			add_coloc(ws, id, members->pdata[k - 1], members->pdata[k], score, role,
			    role, attr);
		else
			add_coloc(ws, id, members->pdata[k], members->pdata[k - 1], score, role,
			    role, attr);
	}
}

static void
unpack_colocation(struct pengine_ws *ws, xmlNode *x)
{
	int score = pl_score_parse(pl_xml_attr(x, "score"));
	const char *attr = pl_xml_attr(x, "node-attribute");
	xmlNode *set1 = pl_xml_first_child(x, "resource_set");
	if (set1) {
		/* inside a sequential set each member is placed with the previous one; a set is
		 * placed with the set after it (every member of a non-sequential set, else its
		 * first, with every member of the next if non-sequential, else its last) */
		g_autoptr(GPtrArray) prev_members = g_ptr_array_new();
		int n_prev = 0;
		bool prev_seq = true;
		const char *prev_role = NULL;
		PL_XML_FOREACH_CHILD(x, "resource_set", set)
		{
			const char *seq = pl_xml_attr(set, "sequential");
			const char *role = pl_xml_attr(set, "role");
			bool sequential = seq == NULL || pengine_is_true(seq);
			g_autoptr(GPtrArray) members = g_ptr_array_new();
			int nm = 0;
			PL_XML_FOREACH_CHILD(set, "resource_ref", ref)
			nm += find_rscs(ws, pl_xml_id(ref), members);
			if (nm == 0)
				continue;
			colocate_set_members(
			    ws, pl_xml_id(x), set, members, nm, sequential ? score : 0, role, attr);
			if (n_prev > 0) {
				int nd = prev_seq ? 1 : n_prev;
				for (int d = 0; d < nd; d++) {
					if (sequential)
						add_coloc(ws, pl_xml_id(x), prev_members->pdata[d],
						    members->pdata[nm - 1], score, prev_role, role,
						    attr);
					else
						for (int k = 0; k < nm; k++)
							add_coloc(ws, pl_xml_id(x),
							    prev_members->pdata[d], members->pdata[k],
							    score, prev_role, role, attr);
				}
			}
			pengine_alist_copy(prev_members, members);
			n_prev = nm;
			prev_seq = sequential;
			prev_role = role;
		}
		return;
	}
	g_autoptr(GPtrArray) dep = g_ptr_array_new();
	g_autoptr(GPtrArray) pri = g_ptr_array_new();
	int nd = find_rscs(ws, pl_xml_attr(x, "rsc"), dep);
	int np = find_rscs(ws, pl_xml_attr(x, "with-rsc"), pri);
	/* two templates or tags are not colocated: Pacemaker ignores the constraint (and
	 * crm_verify says so, verify.c) (template-coloc-3) */
	if (!find_rsc(ws, pl_xml_attr(x, "rsc")) && !find_rsc(ws, pl_xml_attr(x, "with-rsc")) &&
	    nd > 0 && np > 0)
		return;
	for (int i = 0; i < nd; i++)
		for (int j = 0; j < np; j++)
			add_coloc(ws, pl_xml_id(x), dep->pdata[i], pri->pdata[j], score,
			    pl_xml_attr(x, "rsc-role"), pl_xml_attr(x, "with-rsc-role"), attr);
}

/* A ticket is granted when its ticket_state says so (and it is not on standby). */
static bool
ticket_ok(struct pengine_ws *ws, const char *ticket, bool *standby, bool *granted)
{
	xmlNode *tickets = ws->tickets;
	*standby = *granted = false;
	PL_XML_FOREACH_CHILD(tickets, "ticket_state", t)
	{
		if (g_strcmp0(pl_xml_id(t), ticket) == 0) {
			*standby = pengine_is_true(pl_xml_attr(t, "standby"));
			*granted = pengine_is_true(pl_xml_attr(t, "granted"));
			return *granted && !*standby;
		}
	}
	return false;
}

/* loss-policy=fence: the nodes where the resource is active are fenced */
static void
fence_where_active(struct pengine_ws *ws, struct pengine_rsc *r)
{
	for (int i = 0; i < r->n_children; i++)
		fence_where_active(ws, r->children[i]);
	if (r->kind != KIND_PRIMITIVE || !ws->stonith_enabled)
		return;
	for (int i = 0; i < r->n_running; i++) {
		struct pengine_node *n = r->running[i];
		if (!n->unclean) {
			n->unclean = true;
			n->fence_scheduled = true;
			n->unclean_reason = "deadman ticket was lost";
		}
	}
}

/* A ticket not granted applies its loss-policy; a granted one on standby stops what
 * depends on it whatever the loss-policy (Pacemaker applies the policy only to a loss). */
static void
ticket_applies(struct pengine_ws *ws, struct pengine_rsc *r, const char *loss, const char *role,
    bool standby, bool granted)
{
	if (role && pengine_role_parse(role) > ROLE_STARTED) {
		if (!(r->kind == KIND_CLONE && r->promotable)) {
			ws->unsupported = true;
			return;
		}
		bool stop = loss && !strcmp(loss, "stop");
		if (!granted && loss && !strcmp(loss, "freeze") && r->n_running > 0) {
			r->ticket_freeze = true; /* lost while active: frozen as it is */
			bool promoted = false;
			for (int i = 0; i < r->n_children; i++) {
				r->children[i]->ticket_freeze = true;
				promoted = promoted || r->children[i]->role == ROLE_PROMOTED;
			}
			if (!promoted) /* nothing new is promoted either */
				r->no_promote = true;
			return;
		}
		r->no_promote = true; /* demoted (the default policy for this role) */
		/* a lost ticket with loss-policy fence: the nodes of its promoted instances */
		if (!granted && loss && !strcmp(loss, "fence"))
			for (int i = 0; i < r->n_children; i++)
				if (r->children[i]->role == ROLE_PROMOTED)
					fence_where_active(ws, r->children[i]);
		if (!stop)
			return;
		/* loss-policy stop (lost or on standby): the whole promotable clone goes */
	}
	if (granted && standby)
		loss = "stop";
	if (loss && !strcmp(loss, "freeze")) {
		r->ticket_freeze = true;
		for (int i = 0; i < r->n_children; i++)
			r->children[i]->ticket_freeze = true;
		return;
	}
	if (loss && !strcmp(loss, "fence"))
		fence_where_active(ws, r);
	ws->loc_source = "ticket";
	for (int n = 0; n < ws->n_nodes; n++)
		loc_add(ws, r, ws->nodes[n], -INF);
}

static void
unpack_ticket(struct pengine_ws *ws, xmlNode *x)
{
	xmlNode *set1 = pl_xml_first_child(x, "resource_set");
	const char *ticket = pl_xml_attr(x, "ticket"), *loss = pl_xml_attr(x, "loss-policy");
	bool standby, granted;
	if (ticket == NULL || ticket_ok(ws, ticket, &standby, &granted))
		return;
	if (set1) {
		PL_XML_FOREACH_CHILD(x, "resource_set", set)
		{
			PL_XML_FOREACH_CHILD(set, "resource_ref", ref)
			{
				g_autoptr(GPtrArray) rr = g_ptr_array_new();
				int nr = find_rscs(ws, pl_xml_id(ref), rr);
				for (int k = 0; k < nr; k++)
					ticket_applies(ws, rr->pdata[k], loss,
					    pl_xml_attr(set, "role"), standby, granted);
			}
		}
		return;
	}
	g_autoptr(GPtrArray) rr = g_ptr_array_new();
	int nr = find_rscs(ws, pl_xml_attr(x, "rsc"), rr);
	for (int k = 0; k < nr; k++)
		ticket_applies(ws, rr->pdata[k], loss, pl_xml_attr(x, "rsc-role"), standby, granted);
}

/* Node health: the worst #health-* attribute (kept in n->health); the strategy turns it into
 * the score every primitive gets on the node (0 with strategy none). */
int
pengine_node_health_score(struct pengine_ws *ws, struct pengine_node *n)
{
	const char *st = ws->health_strategy;
	GHashTableIter it;
	gpointer k, v;
	int sum = 0;

	if (st == NULL || !strcmp(st, "none"))
		return 0;
	g_hash_table_iter_init(&it, n->attrs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (strncmp(k, "#health", 7) != 0)
			continue;
		int h = !strcasecmp(v, "red") ? 2 : !strcasecmp(v, "yellow") ? 1 : 0;
		if (h > n->health)
			n->health = h;
		sum = pl_score_add(sum,
		    h == 2			  ? ws->health_red
			: h == 1		  ? ws->health_yellow
			: !strcasecmp(v, "green") ? ws->health_green
						  : pl_score_parse(v));
	}
	if (!strcmp(st, "migrate-on-red"))
		return n->health == 2 ? -INF : 0;
	if (!strcmp(st, "only-green"))
		return n->health > 0 ? -INF : 0;
	return sum; /* progressive, custom */
}

static void
apply_health(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		int score = pengine_node_health_score(ws, n);

		if (score == 0)
			continue;
		ws->loc_source = "node health";
		for (int r = 0; r < ws->n_rscs; r++)
			if (ws->rscs[r]->kind == KIND_PRIMITIVE)
				loc_add(ws, ws->rscs[r], n, score);
	}
}

/* rsc-pattern: the location applies to every top-level resource whose id matches the
 * extended regular expression (a leading '!' inverts it), as Pacemaker matches it
 * (colocation-influence); a pattern that does not compile is a configuration error and
 * applies to nothing */
static void
location_pattern(struct pengine_ws *ws, xmlNode *x, const char *pattern)
{
	bool invert = pattern[0] == '!';
	regex_t re;
	if (regcomp(&re, pattern + (invert ? 1 : 0), REG_EXTENDED | REG_NOSUB) != 0) {
		/* a configuration error crm_verify reports, in Pacemaker's words */
		pengine_config_err(ws, "unpack_simple_location",
		    "Ignoring constraint '%s' because rsc-pattern has invalid value '%s'",
		    pl_xml_id(x) ? pl_xml_id(x) : "(none)", pattern);
		return;
	}
	int n_top = ws->n_top; /* (orphans added later are not configured resources) */
	for (int i = 0; i < n_top; i++) {
		struct pengine_rsc *r = ws->top[i];
		if (r->orphan)
			continue;
		bool match = regexec(&re, r->id, 0, NULL, 0) == 0;
		if (match != invert)
			unpack_location(ws, x, r, pl_xml_attr(x, "role"));
	}
	regfree(&re);
}

void
pengine_unpack_constraints(struct pengine_ws *ws)
{
	xmlNode *cons = pl_xml_first_child(ws->config, "constraints");
	/* base scores */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE && r->kind != KIND_CLONE)
			continue; /* a clone's own array: its locations, as colocations see them */
		r->score = xcalloc(ws->n_nodes ? ws->n_nodes : 1, sizeof(int));
		for (int n = 0; n < ws->n_nodes; n++)
			r->score[n] = ((ws->symmetric || r->implicit) &&
					  !pengine_remote_banned(r, ws->nodes[n]))
			    ? 0
			    : INT_MIN; /* a guest's connection goes where its container does */
	}
	apply_health(ws);
	PL_XML_FOREACH_CHILD(cons, NULL, x)
	{
		if (pl_xml_is(x, "rsc_location")) {
			const char *rid = pl_xml_attr(x, "rsc");
			struct pengine_rsc *r = find_rsc(ws, rid);
			if (r == NULL) {
				g_autoptr(GPtrArray) tu = g_ptr_array_new();
				int nu = find_rscs(ws, rid, tu);
				for (int k = 0; k < nu; k++)
					unpack_location(ws, x, tu->pdata[k], pl_xml_attr(x, "role"));
				if (pl_xml_attr(x, "rsc-pattern"))
					location_pattern(ws, x, pl_xml_attr(x, "rsc-pattern"));
				xmlNode *set = pl_xml_first_child(x, "resource_set");
				if (set) {
					PL_XML_FOREACH_CHILD(set, "resource_ref", ref)
					{
						g_autoptr(GPtrArray) rr = g_ptr_array_new();
						int nr = find_rscs(ws, pl_xml_id(ref), rr);
						for (int k = 0; k < nr; k++)
							unpack_location(ws, x, rr->pdata[k],
							    pl_xml_attr(x, "role"));
					}
				}
				continue;
			}
			unpack_location(ws, x, r, pl_xml_attr(x, "role"));
		} else if (pl_xml_is(x, "rsc_colocation")) {
			guint before = ws->colocs->len;
			unpack_colocation(ws, x);
			const char *inf = pl_xml_attr(x, "influence");
			/* (an invalid value keeps the default, as Pacemaker) */
			for (guint k = before;
			     (pengine_is_true(inf) || pengine_is_false(inf)) && k < ws->colocs->len;
			     k++)
				((struct pengine_coloc *)ws->colocs->pdata[k])->no_influence =
				    pengine_is_false(inf);
		} else if (pl_xml_is(x, "rsc_order")) {
			unpack_order(ws, x);
		} else if (pl_xml_is(x, "rsc_ticket")) {
			unpack_ticket(ws, x);
		}
	}
	pengine_bundle_constraints(ws);
	pengine_guest_constraints(ws);
}
