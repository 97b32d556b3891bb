/*
 * recurring.c - recurring monitors: for a started resource, for role="Stopped" ops on the
 * nodes it is not on, the ones found running in the history, and cancellations of monitors
 * that are no longer configured or belong to a role being left.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"

/* ---- per-resource actions ---- */

void
pengine_recurring(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_action *start,
    struct pengine_node *on)
{
	bool promotable = pengine_promotable_instance(r);
	for (int i = 0; i < r->n_ops; i++) {
		struct pengine_opdef *d = &r->ops[i];
		if (d->interval_ms <= 0 || strcmp(d->name, "monitor") || !d->enabled)
			continue;
		enum pengine_role role = pengine_role_parse(d->role);
		if (promotable && r->next_role == ROLE_PROMOTED) {
			if (role != ROLE_PROMOTED)
				continue;
		} else if (promotable ? (role != ROLE_UNKNOWN && role != ROLE_UNPROMOTED)
				      : (role != ROLE_UNKNOWN && role != ROLE_STARTED)) {
			continue; /* role="Started" never matches a promotable instance */
		}
		char *k = xasprintf("monitor_%lld", d->interval_ms);
		bool have = false;
		GPtrArray *rec = r->pn[on->idx].recurring;
		for (guint j = 0; rec && j < rec->len; j++)
			if (!strcmp(rec->pdata[j], k))
				have = true;
		free(k);
		bool optional = (start->flags & AF_OPTIONAL) && have;
		struct pengine_action *m =
		    pengine_action_new(ws, r, "monitor", d->interval_ms, on, optional);
		m->op = d;
		if (!(start->flags & AF_RUNNABLE))
			m->flags &= ~AF_RUNNABLE;
		pengine_order_actions(start, m, OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
	}
}

static bool
history_has(struct pengine_rsc *r, struct pengine_node *n, long long interval)
{
	char *k = xasprintf("monitor_%lld", interval);
	bool have = false;
	GPtrArray *rec = r->pn[n->idx].recurring;
	for (guint j = 0; rec && j < rec->len; j++)
		if (!strcmp(rec->pdata[j], k))
			have = true;
	free(k);
	return have;
}

static bool
history_ever(struct pengine_rsc *r, struct pengine_node *n, long long interval)
{
	GArray *e = r->pn[n->idx].ever;
	for (guint i = 0; e && i < e->len; i++)
		if (g_array_index(e, long long, i) == interval)
			return true;
	return false;
}

/* Monitors with role="Stopped" run on every node where the resource is not going to be. */
void
pengine_recurring_stopped(
    struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *chosen, bool only_cancel)
{
	for (int i = 0; i < r->n_ops; i++) {
		struct pengine_opdef *d = &r->ops[i];
		if (d->interval_ms <= 0 || strcmp(d->name, "monitor") || !d->enabled ||
		    pengine_role_parse(d->role) != ROLE_STOPPED)
			continue;
		for (int k = 0; k < ws->n_nodes; k++) {
			struct pengine_node *n = ws->nodes[k];
			bool have = history_has(r, n, d->interval_ms);
			if (n == chosen) {
				if (have || history_ever(r, n, d->interval_ms)) {
					/* the history's monitor becomes its cancellation */
					struct pengine_action *c =
					    pengine_action_find(ws, r, "monitor", d->interval_ms, n);
					if (c) {
						free(c->task);
						c->task = xstrdup("cancel");
						c->task_id = TASK_CANCEL;
						c->flags &= ~AF_OPTIONAL;
					} else {
						c = pengine_action_new(
						    ws, r, "cancel", d->interval_ms, n, false);
					}
					struct pengine_action *st =
					    pengine_action_find(ws, r, "start", 0, n);
					pengine_order_actions(c, st, OF_OPTIONAL);
				}
				continue;
			}
			if (only_cancel || !n->online || n->unclean || n->pending)
				continue;
			struct pengine_action *stop = pengine_action_find(ws, r, "stop", 0, n);
			bool optional = have && !pengine_rsc_active_on(r, n);
			struct pengine_action *m =
			    pengine_action_new(ws, r, "monitor", d->interval_ms, n, optional);
			m->op = d;
			struct pengine_action *probe = pengine_action_find(ws, r, "monitor", 0, n);
			if (probe)
				pengine_order_actions(probe, m, OF_OPTIONAL);
			if (stop) {
				pengine_order_actions(stop, m, OF_IMPLIES_THEN | OF_RUNNABLE_LEFT);
				if (!(stop->flags & AF_OPTIONAL))
					m->flags &= ~AF_OPTIONAL;
			}
		}
	}
}

/* A promotable instance: demote where it is promoted and must not stay so, promote where
 * it is chosen to be; returns the action its recurring monitors follow. */
/* Changing role: the running monitors of the old role are cancelled first. */
void
pengine_cancel_role_monitors(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *n,
    enum pengine_role role, struct pengine_action *before)
{
	for (int i = 0; i < r->n_ops; i++) {
		struct pengine_opdef *d = &r->ops[i];
		enum pengine_role orole = pengine_role_parse(d->role);
		if (d->interval_ms <= 0 || strcmp(d->name, "monitor") || !d->enabled)
			continue;
		if (role == ROLE_PROMOTED ? orole != ROLE_PROMOTED
					  : (orole != ROLE_UNPROMOTED && orole != ROLE_UNKNOWN &&
						orole != ROLE_STARTED))
			continue;
		struct pengine_action *m = pengine_action_find(ws, r, "monitor", d->interval_ms, n);
		if (m == NULL || !(m->flags & AF_OPTIONAL))
			continue; /* only ones the history says are running */
		free(m->task);
		m->task = xstrdup("cancel");
		m->task_id = TASK_CANCEL;
		m->flags &= ~AF_OPTIONAL;
		pengine_order_actions(m, before, OF_OPTIONAL);
	}
}

/* Recurring monitors found active in the history (optional), and the start of a resource
 * whose parameters changed, exist before anything else,
 * as in Pacemaker, which matters for the order of a resource's synapses. */
void
pengine_history_monitors(struct pengine_ws *ws)
{
	for (int n = 0; n < ws->n_nodes; n++) {
		struct pengine_node *node = ws->nodes[n];
		if (!node->online || node->unclean || node->guest_reset)
			continue;
		for (int i = 0; i < ws->n_rscs; i++) {
			struct pengine_rsc *r = ws->rscs[i];
			if (r->kind != KIND_PRIMITIVE || !r->pn[n].history)
				continue;
			GArray *h = r->pn[n].hist_ops;
			for (guint k = 0; h && k < h->len; k++)
				pengine_action_new(
				    ws, r, "monitor", g_array_index(h, long long, k), node, true);
			/* changed parameters: the restart's start exists from the history on, as in
			 * Pacemaker (it places the resource's synapses) */
			if (r->restart_due && r->pn[n].active && r->n_running == 1 && !r->orphan &&
			    (r->parent == NULL ||
				(r->parent->kind == KIND_GROUP && r->parent->parent == NULL)))
				pengine_action_new(ws, r, "start", 0, node, false);
			/* failed here: its stop exists from the history on (Pacemaker schedules
			 * the recovery's stop while unpacking), which places its synapse */
			if (r->pn[n].failed && r->pn[n].active && r->managed && !r->blocked)
				pengine_action_new(ws, r, "stop", 0, node, true);
			/* another agent ran it here: its stop and the history's deletion exist from
			 * here on too (primitive.c orders them) */
			if (r->pn[n].agent_changed && !node->shutdown && r->managed) {
				if (r->pn[n].active)
					pengine_action_new(ws, r, "stop", 0, node, false);
				pengine_action_new(ws, r, "delete", 0, node, false);
			}
		}
	}
}

/* A recurring monitor running according to the history that the configuration no longer
 * defines is cancelled (unless the resource stops there anyway). */
void
pengine_cancel_undefined(struct pengine_ws *ws)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || ws->maintenance || !ws->stop_orphan_actions)
			continue;
		for (int n = 0; n < ws->n_nodes; n++) {
			GArray *h = r->pn[n].hist_ops;
			struct pengine_node *node = ws->nodes[n];
			if (!h || !r->pn[n].active || !node->online || node->unclean)
				continue;
			struct pengine_action *stop = pengine_action_find(ws, r, "stop", 0, node);
			bool stops = stop && !(stop->flags & AF_OPTIONAL);
			/* a resource that stops for good (an orphan, target-role=Stopped) is not
			 * checked; one that restarts or moves has its undefined monitor cancelled */
			if (stops && r->assigned == NULL)
				continue;
			for (guint k = 0; k < h->len; k++) {
				long long iv = g_array_index(h, long long, k);
				bool defined = false;
				for (int o = 0; o < r->n_ops; o++)
					if (r->ops[o].interval_ms == iv &&
					    !strcmp(r->ops[o].name, "monitor") &&
					    (r->ops[o].enabled || r->ops[o].duplicate))
						defined = true;
				if (node->maintenance ||
				    pengine_is_true(pengine_meta(r, "maintenance")))
					defined = false; /* nothing is watched in maintenance */
				struct pengine_action *m =
				    pengine_action_find(ws, r, "monitor", iv, node);
				if (defined || m == NULL || !(m->flags & AF_OPTIONAL))
					continue;
				free(m->task);
				m->task = xstrdup("cancel");
				m->task_id = TASK_CANCEL;
				m->flags &= ~AF_OPTIONAL;
				if (stops) /* cancelled once the resource has stopped */
					pengine_order_actions(stop, m, OF_OPTIONAL);
			}
		}
	}
}
