/*
 * variant.c - the variant table (struct pengine_variant in pengine_private.h): one row per resource
 * variant with its unpack, assign, create-actions and internal-orderings operations, and
 * the group and clone operations themselves (groups and clones get start/running/stop/
 * stopped pseudo-actions, promotable clones promote/promoted/demote/demoted too).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

void
pengine_rsc_actions(struct pengine_ws *ws, struct pengine_rsc *r)
{
	if (!r->unsupported && r->variant->create_actions)
		r->variant->create_actions(ws, r);
}

void
pengine_internal_orderings(struct pengine_ws *ws, struct pengine_rsc *r)
{
	if (!r->unsupported && r->variant->internal_orderings)
		r->variant->internal_orderings(ws, r);
}

/* a group's members, then its pseudo-actions */
static void
group_actions(struct pengine_ws *ws, struct pengine_rsc *r)
{
	for (int i = 0; i < r->n_children; i++)
		pengine_rsc_actions(ws, r->children[i]);
	pengine_action_new(ws, r, "start", 0, NULL, true);
	pengine_action_new(ws, r, "running", 0, NULL, true);
	pengine_action_new(ws, r, "stop", 0, NULL, true);
	pengine_action_new(ws, r, "stopped", 0, NULL, true);
}

/* a clone's instances, its pseudo-actions and their notifications */
static void
clone_actions(struct pengine_ws *ws, struct pengine_rsc *r)
{
	for (int i = 0; i < r->n_children; i++)
		pengine_rsc_actions(ws, r->children[i]);
	struct pengine_action *start = pengine_action_new(ws, r, "start", 0, NULL, true);
	struct pengine_action *running = pengine_action_new(ws, r, "running", 0, NULL, true);
	if (pengine_role_stopped(r)) {
		/* target-role=Stopped (and not overridden by its instances): nothing starts */
		start->flags &= ~AF_RUNNABLE;
		running->flags &= ~AF_RUNNABLE;
	}
	pengine_notify_create(ws, r, 0);
	pengine_action_new(ws, r, "stop", 0, NULL, true);
	pengine_action_new(ws, r, "stopped", 0, NULL, true);
	pengine_notify_create(ws, r, 1);
}

static void
promotable_actions(struct pengine_ws *ws, struct pengine_rsc *r)
{
	clone_actions(ws, r);
	pengine_action_new(ws, r, "promote", 0, NULL, true);
	pengine_action_new(ws, r, "promoted", 0, NULL, true);
	pengine_notify_create(ws, r, 2);
	pengine_action_new(ws, r, "demote", 0, NULL, true);
	pengine_action_new(ws, r, "demoted", 0, NULL, true);
	pengine_notify_create(ws, r, 3);
}

static void
clone_orderings_common(struct pengine_ws *ws, struct pengine_rsc *r, bool promotable)
{
	struct pengine_action *cs = pengine_action_find(ws, r, "start", 0, NULL);
	struct pengine_action *cr = pengine_action_find(ws, r, "running", 0, NULL);
	struct pengine_action *cp = pengine_action_find(ws, r, "stop", 0, NULL);
	struct pengine_action *cd = pengine_action_find(ws, r, "stopped", 0, NULL);
	PENGINE_ALIST(buf);
	pengine_order_actions(cp, cd, OF_RUNNABLE_LEFT);
	pengine_order_actions(cs, cr, OF_RUNNABLE_LEFT);
	pengine_order_actions(cd, cs, OF_OPTIONAL);
	if (promotable) {
		struct pengine_action *pp = pengine_action_find(ws, r, "promote", 0, NULL);
		struct pengine_action *pd = pengine_action_find(ws, r, "promoted", 0, NULL);
		struct pengine_action *dp = pengine_action_find(ws, r, "demote", 0, NULL);
		struct pengine_action *dd = pengine_action_find(ws, r, "demoted", 0, NULL);
		pengine_order_actions(cr, pp, OF_OPTIONAL);
		pengine_order_actions(cd, pp, OF_OPTIONAL);
		pengine_order_actions(dp, dd, OF_RUNNABLE_LEFT);
		pengine_order_actions(dd, cp, OF_OPTIONAL);
		pengine_order_actions(dd, cs, OF_OPTIONAL);
		pengine_order_actions(dd, pp, OF_OPTIONAL);
		for (int c = 0; c < r->n_children; c++) {
			int n = pengine_rsc_task_actions(ws, r->children[c], "promote", false, buf);
			for (int i = 0; i < n; i++) {
				pengine_order_actions(pp, buf->pdata[i], OF_RUNNABLE_LEFT);
				pengine_order_actions(buf->pdata[i], pd, OF_OPTIONAL);
			}
			n = pengine_rsc_task_actions(ws, r->children[c], "demote", false, buf);
			for (int i = 0; i < n; i++) {
				pengine_order_actions(dp, buf->pdata[i], OF_OPTIONAL);
				pengine_order_actions(buf->pdata[i], dd, OF_OPTIONAL);
			}
		}
	}
	/* ordered=true: instances start one after another and stop in reverse, in the order
	 * they were assigned (as Pacemaker, which sorts them so first) */
	if (pengine_is_true(pengine_meta(r, "ordered"))) {
		PENGINE_ALIST(prev);
		PENGINE_ALIST(cur);
		int *seq = xcalloc(r->n_children ? r->n_children : 1, sizeof(int));
		for (int c = 0; c < r->n_children; c++)
			seq[c] = c < r->n_inst_order ? r->inst_order[c] : c;
		int np = 0;
		for (int c = 0; c < r->n_children; c++) {
			int nc =
			    pengine_rsc_task_actions(ws, r->children[seq[c]], "start", false, cur);
			for (int a = 0; a < np; a++)
				for (int b = 0; b < nc; b++)
					pengine_order_actions(
					    prev->pdata[a], cur->pdata[b], OF_OPTIONAL);
			if (nc) {
				pengine_alist_copy(prev, cur);
				np = nc;
			}
		}
		np = 0;
		for (int c = 0; c < r->n_children; c++) {
			int nc =
			    pengine_rsc_task_actions(ws, r->children[seq[c]], "stop", false, cur);
			for (int a = 0; a < np; a++)
				for (int b = 0; b < nc; b++)
					pengine_order_actions(
					    cur->pdata[b], prev->pdata[a], OF_OPTIONAL);
			if (nc) {
				pengine_alist_copy(prev, cur);
				np = nc;
			}
		}
		free(seq);
	}
	/* an instance's start follows the clone's start, and the clone is running once the
	 * instance is (a group instance: once its running pseudo-action is); stops alike */
	for (int c = 0; c < r->n_children; c++) {
		struct pengine_rsc *ch = r->children[c];
		pengine_internal_orderings(ws, ch);
		int ns = pengine_rsc_task_actions(ws, ch, "start", false, buf);
		for (int i = 0; i < ns; i++)
			pengine_order_actions(cs, buf->pdata[i], OF_RUNNABLE_LEFT);
		ns = pengine_rsc_task_actions(ws, ch, "start", true, buf);
		for (int i = 0; i < ns; i++)
			pengine_order_actions(buf->pdata[i], cr, OF_OPTIONAL);
		int np = pengine_rsc_task_actions(ws, ch, "stop", false, buf);
		for (int i = 0; i < np; i++)
			pengine_order_actions(cp, buf->pdata[i], OF_OPTIONAL);
		np = pengine_rsc_task_actions(ws, ch, "stop", true, buf);
		for (int i = 0; i < np; i++)
			pengine_order_actions(buf->pdata[i], cd, OF_OPTIONAL);
	}
}

static void
clone_orderings(struct pengine_ws *ws, struct pengine_rsc *r)
{
	clone_orderings_common(ws, r, false);
}

static void
promotable_orderings(struct pengine_ws *ws, struct pengine_rsc *r)
{
	clone_orderings_common(ws, r, true);
}

/* members start one after another and stop in reverse; the pseudo-actions wrap them */
static void
group_orderings(struct pengine_ws *ws, struct pengine_rsc *r)
{
	struct pengine_action *gs = pengine_action_find(ws, r, "start", 0, NULL);
	struct pengine_action *gr = pengine_action_find(ws, r, "running", 0, NULL);
	struct pengine_action *gp = pengine_action_find(ws, r, "stop", 0, NULL);
	struct pengine_action *gd = pengine_action_find(ws, r, "stopped", 0, NULL);
	PENGINE_ALIST(buf);
	PENGINE_ALIST(prev_start);
	PENGINE_ALIST(prev_stop);
	int n_ps = 0, n_pp = 0;
	pengine_order_actions(gp, gd, OF_RUNNABLE_LEFT);
	pengine_order_actions(gs, gr, OF_RUNNABLE_LEFT);
	pengine_order_actions(gd, gs, OF_OPTIONAL);
	/* ordered=false (the group's own, not a clone's it inherits): members start and stop
	 * in no order among themselves */
	const char *ord = g_hash_table_lookup(r->meta, "ordered");
	const char *pord = r->parent ? g_hash_table_lookup(r->parent->meta, "ordered") : NULL;
	bool ordered = ord == NULL || pengine_is_true(ord) || (pord && !strcmp(ord, pord));
	for (int c = 0; c < r->n_children; c++) {
		struct pengine_rsc *ch = r->children[c];
		int ns = pengine_rsc_task_actions(ws, ch, "start", false, buf);
		for (int i = 0; i < ns; i++) {
			pengine_order_actions(gs, buf->pdata[i], OF_RUNNABLE_LEFT);
			pengine_order_actions(buf->pdata[i], gr, OF_RUNNABLE_LEFT);
			for (int j = 0; j < n_ps; j++)
				pengine_order_actions(prev_start->pdata[j], buf->pdata[i],
				    OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
		}
		/* a member without a start (stopped, disabled) leaves the group's running
		 * unrunnable: Pacemaker orders against a start it makes unrunnable then */
		if (ns == 0 && gr)
			gr->flags &= ~AF_RUNNABLE;
		if (ordered && (ns > 0 || ch->assigned == NULL)) {
			n_ps = ns;
			pengine_alist_copy(prev_start, buf);
		}
		int np = pengine_rsc_task_actions(ws, ch, "stop", false, buf);
		for (int i = 0; i < np; i++) {
			pengine_order_actions(gp, buf->pdata[i], OF_OPTIONAL);
			pengine_order_actions(buf->pdata[i], gd, OF_RUNNABLE_LEFT);
			for (int j = 0; j < n_pp; j++)
				pengine_order_actions(buf->pdata[i], prev_stop->pdata[j],
				    OF_IMPLIES_FIRST | OF_RUNNABLE_LEFT);
		}
		if (ordered && np > 0) {
			n_pp = np;
			pengine_alist_copy(prev_stop, buf);
		}
	}
}

const struct pengine_variant pengine_variants[VARIANT_COUNT] = {
	[VARIANT_PRIMITIVE] = { "primitive", KIND_PRIMITIVE, pengine_unpack_primitive,
	    pengine_assign_primitive, pengine_primitive_actions, NULL },
	[VARIANT_GROUP] = { "group", KIND_GROUP, pengine_unpack_group, pengine_assign_group,
	    group_actions, group_orderings },
	[VARIANT_CLONE] = { "clone", KIND_CLONE, pengine_unpack_clone, pengine_assign_clone,
	    clone_actions, clone_orderings },
	[VARIANT_PROMOTABLE] = { "promotable", KIND_CLONE, pengine_unpack_clone,
	    pengine_assign_promotable, promotable_actions, promotable_orderings },
	[VARIANT_BUNDLE] = { "bundle", KIND_BUNDLE, pengine_unpack_bundle, pengine_assign_bundle,
	    pengine_bundle_actions, pengine_bundle_orderings },
};

const struct pengine_variant *
pengine_variant_for(const char *element)
{
	static const struct {
		const char *element;
		enum pengine_variant_id v;
	} elements[] = {
		{ "primitive", VARIANT_PRIMITIVE },
		{ "group", VARIANT_GROUP },
		{ "clone", VARIANT_CLONE },
		{ "master", VARIANT_CLONE }, /* promotable by its meta */
		{ "bundle", VARIANT_BUNDLE },
	};
	for (size_t i = 0; element && i < sizeof(elements) / sizeof(elements[0]); i++)
		if (!strcmp(elements[i].element, element))
			return &pengine_variants[elements[i].v];
	return NULL;
}
