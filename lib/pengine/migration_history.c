/*
 * migration_history.c - what a live migration left in the history means, once every node's
 * history is read (a migration spans two nodes: migrate_to on the source, migrate_from on
 * the target, then a stop on the source). As Pacemaker 2.1.5 reads it:
 *
 *   source: migrate_to   target: migrate_from   the resource
 *   ok                   ok                     runs on the target; the source still needs
 *                                               its stop ("dangling": stopped, not shown)
 *   ok                   failed                 active (failed) on both
 *   ok                   none or pending        active on both when the target is up (a
 *                                               partial migration, which continues when the
 *                                               target is chosen again); else failed on
 *                                               the source, restarted, never migrated
 *   failed               -                      failed on the source; active on the target
 *                                               too when that is up and knew it before
 *   pending              -                      in flight on the source: the target gets
 *                                               a stop
 *
 * "Newer" on the source: any operation but a monitor after the migrate_to there; on the
 * target: one (or a monitor finding it not running) after its migrate_from, or without
 * one, recorded later than the migrate_to by the clock.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "pengine_private.h"

/* Active on n too; a migration's target is listed first (Pacemaker adds it while reading
 * the source's history, before the source itself). */
static void
make_active(struct pengine_rsc *r, struct pengine_node *n, bool failed, bool first)
{
	struct pengine_rsc_node *pn = &r->pn[n->idx];
	if (!pn->active) {
		pn->active = true;
		pn->role = ROLE_STARTED;
		pengine_add_running(r, n);
		if (first) {
			memmove(r->running + 1, r->running, (r->n_running - 1) * sizeof(*r->running));
			r->running[0] = n;
		}
		if (r->role < ROLE_STARTED)
			r->role = ROLE_STARTED;
	}
	if (failed) {
		pn->failed = true;
		r->failed = true;
	}
}

/* The target has newer state of its own than the migration: an operation after its
 * migrate_from, or without one, any operation (not a monitor) recorded later than the
 * migrate_to by the clock (call ids of two nodes do not compare). */
static bool
target_newer(
    const struct pengine_rsc_node *ps, const struct pengine_rsc_node *pt, enum pengine_mig from)
{
	if (from != PENGINE_MIG_NONE)
		return pt->mig_from_later;
	return ps->mig_to_change > 0 && pt->other_change > ps->mig_to_change;
}

static void
settle(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *src)
{
	struct pengine_rsc_node *ps = &r->pn[src->idx];
	struct pengine_node *tgt = g_hash_table_lookup(ws->node_by_name, ps->mig_peer);
	if (tgt == src)
		return;
	struct pengine_rsc_node *pt = tgt ? &r->pn[tgt->idx] : NULL;
	enum pengine_mig from = PENGINE_MIG_NONE;
	if (pt && pt->mig_from != PENGINE_MIG_NONE && pt->mig_from_src &&
	    !strcmp(pt->mig_from_src, src->uname))
		from = pt->mig_from;
	bool t_newer = pt && target_newer(ps, pt, from);
	bool s_newer = ps->mig_to_later; /* stopped (or started again) here since */
	bool t_up = tgt && tgt->online && !t_newer;
	switch (ps->mig_to) {
	case PENGINE_MIG_OK:
		if (s_newer && from != PENGINE_MIG_NONE && t_newer)
			break; /* over on both ends */
		if (from == PENGINE_MIG_OK) {
			if (!s_newer && src->online && !ps->active)
				ps->dangling = true;
		} else if (from == PENGINE_MIG_FAILED) {
			if (t_up && pt->active) { /* listed first */
				pt->active = false;
				for (int i = 0; i < r->n_running; i++)
					if (r->running[i] == tgt)
						r->running[i] = r->running[--r->n_running];
				make_active(r, tgt, false, true);
			} else {
				r->failed = true;
				r->no_migrate = true;
			}
			if (!s_newer)
				make_active(r, src, false, false);
		} else if (t_up) {
			make_active(r, tgt, false, true);
			if (!s_newer)
				make_active(r, src, false, false);
			if (src->online) {
				r->partial_src = src;
				r->partial_tgt = tgt;
			}
		} else if (!s_newer) {
			make_active(r, src, true, false);
			r->no_migrate = true;
		}
		break;
	case PENGINE_MIG_FAILED:
		if (t_up && (pt->probed || pt->role != ROLE_UNKNOWN) && !pt->active)
			make_active(r, tgt, false, true);
		r->no_migrate = true;
		break;
	case PENGINE_MIG_PENDING:
		if (tgt && tgt->online && !pt->active)
			pt->dangling = true;
		break;
	default: break;
	}
}

/* Active on several nodes with multiple-active=block: Pacemaker leaves it where it is and
 * counts it blocked (checked once every history is read, migrations included). */
static void
multiple_active(struct pengine_rsc *r)
{
	const char *ma = pengine_meta(r, "multiple-active");
	if (r->n_running <= 1 || ma == NULL || strcmp(ma, "block") ||
	    (r->parent && r->parent->kind == KIND_CLONE))
		return;
	r->multi_blocked = true;
	if (r->parent && r->parent->kind == KIND_GROUP) /* the whole group is left alone */
		for (int i = 0; i < r->parent->n_children; i++)
			r->parent->children[i]->multi_blocked = true;
}

void
pengine_migration_history(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE)
			continue;
		for (int n = 0; r->has_migration && n < ws->n_nodes; n++)
			if (r->pn[n].mig_to != PENGINE_MIG_NONE && r->pn[n].mig_peer)
				settle(ws, r, ws->nodes[n]);
		multiple_active(r);
	}
}
