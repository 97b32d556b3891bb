/*
 * migration.c - what a live migration recorded in the history means once every node's
 * history is known, as Pacemaker reads it. A migration is migrate_to on the source, then
 * migrate_from on the target, then a stop on the source:
 *
 *   migrate_to ok, no migrate_from yet    partial: active on the target too (when the
 *   (or pending)                          target is up and has nothing newer), else the
 *                                         resource failed (it is recovered by a restart)
 *   migrate_to ok, migrate_from failed    active on the target too (it failed there)
 *   migrate_to failed                     active on the target too, when the target knows
 *                                         it and has nothing newer
 *   migrate_from failed                   active on the source too, when the source knows
 *                                         it and has nothing newer
 *
 * "Newer" is a start, stop or migration (or a monitor finding it not running) after the
 * migration event: by call id on the same node, by last-rc-change across nodes.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/lrmd_client.h"
#include "paceline/xml.h"
#include "pengine_private.h"

void
pengine_migration_keep(
    struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n, xmlNode *lr)
{
	bool migrating = pengine_migratable(r);
	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
	if (!strncmp(pl_xml_attr(op, "operation") ? pl_xml_attr(op, "operation") : "", "migrate_", 8))
		migrating = true;
	if (!migrating || r->pn == NULL)
		return;
	if (ws->mig_hists == NULL)
		ws->mig_hists = xmlNewDocNode(ws->doc, NULL, BAD_CAST "migrations", NULL);
	xmlNode *c = pl_xml_copy(lr, ws->doc);
	xmlAddChild(ws->mig_hists, c);
	r->pn[n->idx].mig_hist = c;
}

static long long
num(xmlNode *op, const char *name, long long def)
{
	long long v;
	return pl_xml_attr_int(op, name, def, &v, NULL) ? v : def;
}

static bool
is_task(xmlNode *op, const char *task)
{
	return !g_strcmp0(pl_xml_attr(op, "operation"), task);
}

static bool
newer(xmlNode *op, xmlNode *ref, bool same_node)
{
	if (same_node)
		return num(op, "call-id", -1) > num(ref, "call-id", -1);
	long long a = num(op, "last-rc-change", -1), b = num(ref, "last-rc-change", -1);
	return a >= 0 && b >= 0 && a > b; /* no time on either: not known to be newer */
}

/* a start, stop or migration (or a monitor that found it stopped) after ref on node i */
static bool
newer_state(struct pengine_rsc *r, int i, xmlNode *ref, bool same_node)
{
	xmlNode *h = r->pn[i].mig_hist;
	PL_XML_FOREACH_CHILD(h, "lrm_rsc_op", op)
	{
		if (op == ref || !newer(op, ref, same_node))
			continue;
		if (is_task(op, "start") || is_task(op, "stop") || is_task(op, "migrate_to") ||
		    is_task(op, "migrate_from"))
			return true;
		if (is_task(op, "monitor") && num(op, "rc-code", 0) == PL_OCF_NOT_RUNNING &&
		    num(op, "op-status", 0) == PL_LRMD_DONE)
			return true;
	}
	return false;
}

/* the migration op `task` on node i between source and target (rc_ok: successful only) */
static xmlNode *
find_mig(struct pengine_rsc *r, int i, const char *task, const char *source, const char *target,
    bool rc_ok)
{
	xmlNode *found = NULL;
	PL_XML_FOREACH_CHILD(r->pn[i].mig_hist, "lrm_rsc_op", op)
	if (is_task(op, task) && !g_strcmp0(pl_xml_attr(op, "migrate_source"), source) &&
	    !g_strcmp0(pl_xml_attr(op, "migrate_target"), target) &&
	    (!rc_ok || (num(op, "rc-code", 0) == 0 && num(op, "op-status", 0) == PL_LRMD_DONE)))
		found = op;
	return found;
}

/* node name -> index, -1 when unknown */
static int
node_idx(struct pengine_ws *ws, const char *name)
{
	struct pengine_node *n = name ? g_hash_table_lookup(ws->node_by_name, name) : NULL;
	return n ? n->idx : -1;
}

/* has the migration state on node i changed since (migrate_to, migrate_from)? */
static bool
newer_after_migrate(struct pengine_ws *ws, struct pengine_rsc *r, int i, xmlNode *to, xmlNode *from)
{
	xmlNode *ref = from ? from : to;
	bool same = false;
	if (from && node_idx(ws, pl_xml_attr(from, "migrate_target")) == i) {
		ref = from;
		same = true;
	} else if (to && node_idx(ws, pl_xml_attr(to, "migrate_source")) == i) {
		ref = to;
		same = true;
	}
	return ref && newer_state(r, i, ref, same);
}

static bool
known_on(struct pengine_rsc *r, int i)
{
	return r->pn[i].mig_hist && pl_xml_first_child(r->pn[i].mig_hist, "lrm_rsc_op");
}

/* r active on node i too (by: through node by's record, -1: its own) */
static void
add_active(struct pengine_ws *ws, struct pengine_rsc *r, int i, int by)
{
	struct pengine_node *n = ws->nodes[i];
	if (!n->online)
		return;
	if (by < 0)
		r->pn[i].by_migration = 0; /* its own record keeps it there */
	else if (!r->pn[i].active && r->pn[i].by_migration == 0)
		r->pn[i].by_migration = by + 1;
	pengine_add_running(r, n);
	r->pn[i].active = true;
	if (r->pn[i].role <= ROLE_STOPPED)
		r->pn[i].role = ROLE_STARTED;
	if (r->role < ROLE_STARTED)
		r->role = ROLE_STARTED;
}

static void
mark_failed(struct pengine_rsc *r)
{
	r->failed = true;
	for (int k = 0; k < r->n_running; k++)
		r->pn[r->running[k]->idx].failed = true;
}

static void
settle_one(struct pengine_ws *ws, struct pengine_rsc *r)
{
	for (int s = 0; s < ws->n_nodes; s++) {
		PL_XML_FOREACH_CHILD(r->pn[s].mig_hist, "lrm_rsc_op", op)
		{
			if (num(op, "op-status", 0) == PL_LRMD_PENDING ||
			    num(op, "op-status", 0) == PL_LRMD_CANCELLED)
				continue;
			const char *src = pl_xml_attr(op, "migrate_source");
			const char *tgt = pl_xml_attr(op, "migrate_target");
			bool ok = num(op, "rc-code", 0) == 0 &&
			    (num(op, "op-status", 0) == PL_LRMD_DONE || num(op, "op-status", 0) == 4);
			if (is_task(op, "migrate_to") && node_idx(ws, src) == s) {
				int t = node_idx(ws, tgt);
				if (!ok) { /* failed: maybe still active on the target */
					if (t < 0)
						continue;
					xmlNode *from_ok =
					    find_mig(r, t, "migrate_from", src, tgt, true);
					if (known_on(r, t) &&
					    !newer_after_migrate(ws, r, t, op, from_ok))
						add_active(ws, r, t, s);
					continue;
				}
				xmlNode *from =
				    t < 0 ? NULL : find_mig(r, t, "migrate_from", src, tgt, false);
				bool src_newer = newer_state(r, s, op, true);
				if (src_newer && from)
					continue;
				bool tgt_newer = t >= 0 && newer_after_migrate(ws, r, t, op, from);
				if (src_newer && tgt_newer)
					continue;
				long long frc = from ? num(from, "rc-code", 0) : -1;
				long long fst = from ? num(from, "op-status", 0) : PL_LRMD_PENDING;
				if (from && frc == 0 && fst == PL_LRMD_DONE)
					continue; /* complete: only the source's stop is left */
				bool failed = false;
				if (t >= 0 && !tgt_newer && ws->nodes[t]->online)
					add_active(ws, r, t, s);
				else if (!src_newer || (from && fst != PL_LRMD_PENDING))
					failed = true;
				/* the last word on the source: still active there */
				if (!src_newer)
					add_active(ws, r, s, -1);
				if (failed)
					mark_failed(r);
			} else if (is_task(op, "migrate_from") && !ok && node_idx(ws, tgt) == s) {
				/* failed on the target: still active on the source */
				int so = node_idx(ws, src);
				if (so < 0)
					continue;
				xmlNode *to_ok = find_mig(r, so, "migrate_to", src, tgt, true);
				if (known_on(r, so) && !newer_after_migrate(ws, r, so, to_ok, op))
					add_active(ws, r, so, s);
			}
		}
	}
}

void
pengine_migration_settle(struct pengine_ws *ws)
{
	for (int i = 0; ws->mig_hists && i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || r->pn == NULL)
			continue;
		bool any = false;
		for (int n = 0; n < ws->n_nodes && !any; n++)
			any = r->pn[n].mig_hist != NULL;
		if (any)
			settle_one(ws, r);
	}
}
