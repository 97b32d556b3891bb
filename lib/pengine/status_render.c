/*
 * status_render.c - the crm_mon -1 text view of a cluster (node list and full resource list)
 * and crm_simulate's "Transition Summary" lines, in Pacemaker 2.1.5's wording. The view is
 * rendered from the model before the transition ("current") or after the simulated
 * execution ("revised").
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_private.h"
#include "status_mon.h"

static bool
node_has_rsc(struct pengine_ws *ws, struct pengine_node *n, bool revised)
{
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE)
			continue;
		int cnt = revised ? r->n_sim_running : r->n_running;
		struct pengine_node **on = revised ? r->sim_running : r->running;
		for (int k = 0; k < cnt; k++)
			if (on[k] == n)
				return true;
	}
	return false;
}

/* a bundle's parts trade their state before the transition for the simulated one (and
 * back): crm_mon's bundle rendering then shows the revised status */
void
pengine_rsc_swap_running(struct pengine_rsc *r)
{
	struct pengine_node **on = r->running;
	int n = r->n_running;

	r->running = r->sim_running;
	r->n_running = r->n_sim_running;
	r->sim_running = on;
	r->n_sim_running = n;
}

static void
swap_state(struct pengine_rsc *r)
{
	if (r == NULL)
		return;
	pengine_rsc_swap_running(r);
	enum pengine_role role = r->role;
	r->role = r->sim_role;
	r->sim_role = role;
	bool failed = r->failed;
	r->failed = r->sim_failed;
	r->sim_failed = failed;
}

static void
bundle_swap_state(struct pengine_rsc *b)
{
	for (int i = 0; i < b->n_replicas; i++) {
		swap_state(b->replicas[i].ip);
		swap_state(b->replicas[i].child);
		swap_state(b->replicas[i].container);
		swap_state(b->replicas[i].remote);
	}
}

static bool quorum_stop(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *cur);

static void
render_nodes(struct pengine_ws *ws, struct pl_buf *out, bool revised)
{
	struct pl_buf online = PL_BUF_INIT, offline = PL_BUF_INIT;
	struct pl_buf ronline = PL_BUF_INIT, roffline = PL_BUF_INIT, gonline = PL_BUF_INIT;
	pl_buf_add(out, "  * Node List:\n");
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		/* (after the transition too, unless it was fenced or its connection came up:
		 * remote-orphaned2) */
		struct pengine_rsc *rc =
		    n->remote && n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
		if (n->remote && !n->guest && n->unclean && !n->fence_scheduled && !n->online &&
		    (!revised || (!n->fenced_later && !(rc && rc->n_sim_running > 0)))) {
			pl_buf_addf(out, "    * RemoteNode %s: UNCLEAN (offline)\n", n->uname);
			continue;
		}
		if (n->remote) {
			struct pengine_rsc *c =
			    n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
			bool up = revised ? c && c->n_sim_running > 0 && !c->sim_failed
					  : n->online && !n->coming_up;
			if (n->guest) {
				c = g_hash_table_lookup(ws->rsc_by_id, n->id);
				up = revised ? c && c->n_sim_running > 0 && !c->sim_failed
					     : n->online && !n->coming_up;
				if (up && n->maintenance)
					pl_buf_addf(
					    out, "    * GuestNode %s: maintenance\n", n->uname);
				else if (up) /* a guest that is down is not listed */
					pl_buf_addf(&gonline, " %s", n->uname);
				continue;
			}
			pl_buf_addf(up ? &ronline : &roffline, " %s", n->uname);
			continue;
		}
		bool fenced = revised && n->fenced_later;
		bool shut = false;
		if (!fenced && !n->online && !n->unclean && !n->pending && n->maintenance) {
			pl_buf_addf(out, "    * Node %s: OFFLINE (maintenance)\n", n->uname);
		} else if (!fenced && !n->online && !n->unclean && !n->pending && n->standby &&
		    n->seen) { /* standby is read with its node_state */
			pl_buf_addf(out, "    * Node %s: OFFLINE (standby)\n", n->uname);
		} else if (fenced || shut || (!n->online && !n->unclean && !n->pending)) {
			pl_buf_addf(&offline, " %s", n->uname);
		} else if (n->unclean && !n->fence_scheduled) {
			pl_buf_addf(out, "    * Node %s: UNCLEAN (%s)\n", n->uname,
			    n->online	     ? "online"
				: n->pending ? "pending"
					     : "offline");
		} else if (n->pending) {
			pl_buf_addf(out, "    * Node %s: pending\n", n->uname);
		} else if (n->standby) {
			pl_buf_addf(out, "    * Node %s: standby%s\n", n->uname,
			    node_has_rsc(ws, n, revised) ? " (with active resources)" : "");
		} else if (n->maintenance) {
			pl_buf_addf(out, "    * Node %s: maintenance\n", n->uname);
		} else if (n->health > 0) {
			pl_buf_addf(out, "    * Node %s: online (health is %s)\n", n->uname,
			    n->health == 2 ? "RED" : "YELLOW");
		} else {
			pl_buf_addf(&online, " %s", n->uname);
		}
	}
	if (online.len)
		pl_buf_addf(out, "    * Online: [%s ]\n", online.s);
	if (offline.len)
		pl_buf_addf(out, "    * OFFLINE: [%s ]\n", offline.s);
	if (ronline.len)
		pl_buf_addf(out, "    * RemoteOnline: [%s ]\n", ronline.s);
	if (roffline.len)
		pl_buf_addf(out, "    * RemoteOFFLINE: [%s ]\n", roffline.s);
	if (gonline.len)
		pl_buf_addf(out, "    * GuestOnline: [%s ]\n", gonline.s);
	pl_buf_free(&gonline);
	pl_buf_free(&online);
	pl_buf_free(&offline);
	pl_buf_free(&ronline);
	pl_buf_free(&roffline);
}

static void
rsc_agent(struct pengine_rsc *r, struct pl_buf *b)
{
	pl_buf_addf(b, "(%s", r->cls ? r->cls : "");
	if (r->provider)
		pl_buf_addf(b, ":%s", r->provider);
	pl_buf_addf(b, ":%s)", r->type ? r->type : "");
}

/* An operation in flight (record-pending) in the status before the transition, as
 * Pacemaker's crm_simulate shows it: the state word it stands for ("Starting"), or
 * "Monitoring" for a recurring monitor (a flag after the node); NULL otherwise. */
const char *
pengine_pending_word(const struct pengine_rsc *r, bool revised)
{
	static const char *const words[][2] = { { "start", "Starting" }, { "stop", "Stopping" },
		{ "migrate_to", "Migrating" }, { "migrate_from", "Migrating" },
		{ "promote", "Promoting" }, { "demote", "Demoting" }, { "monitor", "Monitoring" } };
	if (revised || r->pending_task == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(r->pending_task, words[i][0]))
			return words[i][1];
	return NULL;
}

static void
render_primitive(struct pengine_ws *ws, struct pengine_rsc *r, struct pl_buf *out,
    const char *indent, bool revised, const char *display_id)
{
	const char *pend = pengine_pending_word(r, revised);
	bool monitoring = pend && !strcmp(pend, "Monitoring");
	int cnt = revised ? r->n_sim_running : r->n_running;
	struct pengine_node **on = revised ? r->sim_running : r->running;
	bool failed = revised ? r->sim_failed : r->failed;
	struct pl_buf flags = PL_BUF_INIT;
#define FLAG(s) pl_buf_addf(&flags, "%s%s", flags.len ? ", " : "", s)
	if (monitoring && cnt > 0)
		FLAG("Monitoring");
	if (r->disabled)
		FLAG("disabled");
	/* a failure that blocks the resource says so even where nothing is managed
	 * (maintenance): "blocked" replaces "unmanaged", as Pacemaker's flags do */
	bool managed = r->managed || r->startup_disabled;
	if ((failed && r->blocked) || r->multi_blocked)
		FLAG("blocked");
	else if (!managed)
		FLAG("unmanaged");
	if (r->failure_ignored)
		FLAG("failure ignored");
	pl_buf_addf(out, "%s* %s\t", indent, display_id ? display_id : r->id);
	rsc_agent(r, out);
	pl_buf_add(out, ":\t ");
	if (r->orphan)
		pl_buf_add(out, "ORPHANED ");
	if (cnt == 0 && pend && !monitoring && r->pending_node) {
		pl_buf_addf(out, "%s %s", pend, r->pending_node->uname);
		if (flags.len)
			pl_buf_addf(out, " (%s)", flags.s);
	} else if (cnt == 0) {
		int masked = r->parent ? 0 : mon_masked_probe(ws, r, NULL);
		pl_buf_add(out, failed ? "FAILED" : "Stopped"); /* failed, yet stopped */
		if (masked) /* a probe found it not installed: as crm_mon says it */
			pl_buf_addf(out, " (%s) ", mon_ocf_str(masked));
		if (r->pending_node) /* where an operation was in flight, as Pacemaker shows it */
			pl_buf_addf(out, " %s", r->pending_node->uname);
		if (flags.len)
			pl_buf_addf(out, " (%s)", flags.s);
	} else {
		enum pengine_role role = revised ? r->sim_role : r->role;
		if (role <= ROLE_STOPPED)
			role = ROLE_STARTED;
		const char *st = failed	  ? (role == ROLE_PROMOTED ? "FAILED Promoted" : "FAILED")
		    : pend && !monitoring ? pend
					  : pengine_role_str(role);
		if (cnt == 1) {
			pl_buf_addf(out, "%s %s", st, on[0]->uname);
			if (on[0]->unclean && !on[0]->online && !(revised && on[0]->fenced_later))
				pl_buf_add(out, " (UNCLEAN)");
			if (flags.len)
				pl_buf_addf(out, " (%s)", flags.s);
		} else {
			pl_buf_add(out, st);
			if (flags.len)
				pl_buf_addf(out, " (%s)", flags.s);
			pl_buf_add(out, " [");
			for (int i = 0; i < cnt; i++)
				pl_buf_addf(out, " %s", on[i]->uname);
			pl_buf_add(out, " ]");
		}
	}
	pl_buf_add(out, "\n");
	pl_buf_free(&flags);
#undef FLAG
}

static void
render_rsc(struct pengine_ws *ws, struct pengine_rsc *r, struct pl_buf *out, bool revised)
{
	if (r->kind == KIND_PRIMITIVE) {
		render_primitive(ws, r, out, "    ", revised, NULL);
	} else if (r->kind == KIND_GROUP) {
		pl_buf_addf(out, "    * Resource Group: %s%s:\n", r->id,
		    !r->managed && !r->startup_disabled && r->disabled ? " (unmanaged, disabled)"
			: !r->managed && !r->startup_disabled	       ? " (unmanaged)"
			: r->disabled				       ? " (disabled)"
								       : "");
		for (int c = 0; c < r->n_children; c++)
			render_primitive(ws, r->children[c], out, "      ", revised, NULL);
	} else if (pengine_clone_supported(r)) {
		pengine_clone_render(ws, r, out, revised, render_primitive);
	} else if (r->kind == KIND_BUNDLE) {
		/* crm_mon's rendering; after the transition, of the parts' simulated state */
		if (revised)
			bundle_swap_state(r);
		mon_render_bundle_plain(ws, r, out);
		if (revised)
			bundle_swap_state(r);
	} else {
		pl_buf_addf(out, "    * Clone Set %s: (not supported yet)\n", r->id);
	}
}

void
pengine_render_status(struct pengine_ws *ws, struct pl_buf *out, bool revised)
{
	if (ws->n_nodes > 0) { /* no nodes: no list, as Pacemaker */
		render_nodes(ws, out, revised);
		pl_buf_add(out, "\n");
	}
	pl_buf_add(out, "  * Full List of Resources:\n");
	if (ws->n_top == 0)
		pl_buf_add(out, "    * No resources\n");
	for (int i = 0; i < ws->n_top; i++) {
		struct pengine_rsc *r = ws->top[i];
		if (revised && r->orphan && r->n_sim_running == 0)
			continue; /* deleted with its history */
		if (r->implicit)
			continue; /* a guest node's connection is not listed */
		render_rsc(ws, r, out, revised);
	}
}

/* ---- Transition Summary ---- */

static struct pengine_action *
find_task(struct pengine_rsc *r, const char *task, struct pengine_node *n)
{
	for (guint i = 0; i < r->actions->len; i++) {
		struct pengine_action *a = r->actions->pdata[i];
		if (a->interval_ms == 0 && !strcmp(a->task, task) && (n == NULL || a->node == n))
			return a;
	}
	return NULL;
}

static bool
required(struct pengine_action *a)
{
	return a && !(a->flags & AF_OPTIONAL);
}

static void
summary_line(
    struct pl_buf *out, const char *verb, const char *id, const char *where, const char *reason)
{
	pl_buf_addf(out, "  * %-10s %-8s ( %s )", verb, id, where);
	if (reason)
		pl_buf_addf(out, "  %s", reason);
	pl_buf_add(out, "\n");
}

/* The parenthesised part of a summary line, in Pacemaker's wording: the role is named for
 * promotable instances (a role above Started now or above Unpromoted next). */
static void
details(char *buf, size_t len, const struct pengine_rsc *r, const struct pengine_node *origin,
    const struct pengine_node *dest)
{
	enum pengine_role role = r->role <= ROLE_STOPPED && origin ? ROLE_STARTED : r->role;
	enum pengine_role next = r->next_role;
	if (!(pengine_promotable_instance(r)) || next == ROLE_UNKNOWN)
		next = dest ? (role > ROLE_STOPPED ? role : ROLE_STARTED) : ROLE_STOPPED;
	if (role == ROLE_UNKNOWN)
		role = ROLE_STOPPED;
	bool same_host = origin && dest && origin == dest;
	bool same_role = role == next;
	bool need_role = role > ROLE_STARTED || next > ROLE_UNPROMOTED;
	if (need_role && origin == NULL)
		snprintf(buf, len, "%s -> %s %s", pengine_role_str(role), pengine_role_str(next),
		    dest->uname);
	else if (origin == NULL)
		snprintf(buf, len, "%s", dest->uname);
	else if (need_role && dest == NULL)
		snprintf(buf, len, "%s %s", pengine_role_str(role), origin->uname);
	else if (dest == NULL)
		snprintf(buf, len, "%s", origin->uname);
	else if (need_role && same_role && same_host)
		snprintf(buf, len, "%s %s", pengine_role_str(role), origin->uname);
	else if (same_role && same_host)
		snprintf(buf, len, "%s", origin->uname);
	else if (need_role && same_role)
		snprintf(buf, len, "%s -> %s %s", origin->uname, dest->uname, pengine_role_str(role));
	else if (same_role)
		snprintf(buf, len, "%s -> %s", origin->uname, dest->uname);
	else if (same_host)
		snprintf(buf, len, "%s -> %s %s", pengine_role_str(role), pengine_role_str(next),
		    origin->uname);
	else
		snprintf(buf, len, "%s %s -> %s %s", pengine_role_str(role), origin->uname,
		    pengine_role_str(next), dest->uname);
}

static void
summary_primitive(struct pengine_ws *ws, struct pengine_rsc *r, struct pl_buf *out)
{
	struct pengine_node *cur = r->n_running ? r->running[0] : NULL, *next = r->assigned;
	char where[512];
	if (!r->managed)
		return;
	if ((r->failed && r->blocked) || r->multi_blocked)
		return;
	struct pengine_action *start = next ? find_task(r, "start", next) : NULL;
	if (pengine_promotable_instance(r)) {
		struct pengine_action *pr = next ? find_task(r, "promote", next) : NULL;
		struct pengine_action *de = cur ? find_task(r, "demote", cur) : NULL;
		if (cur == NULL && next && required(start) && required(pr) &&
		    (start->flags & AF_RUNNABLE)) {
			snprintf(where, sizeof(where), "Stopped -> Promoted %s", next->uname);
			char *why = !(pr->flags & AF_RUNNABLE) && pr->reason
			    ? xasprintf("due to %s (blocked)", pr->reason)
			    : NULL;
			summary_line(out, "Promote", r->id, where, why);
			free(why);
			return;
		}
		if (cur && cur == next && r->failed && required(start) && required(pr) &&
		    r->role != ROLE_PROMOTED) {
			snprintf(where, sizeof(where), "%s -> Promoted %s",
			    pengine_role_str(r->role), next->uname);
			summary_line(out, "Recover", r->id, where, NULL);
			return;
		}
		if (cur && cur == next && pengine_demote_on_fail(r) && !required(start) &&
		    required(de) && required(pr)) {
			snprintf(where, sizeof(where), "Promoted %s", next->uname);
			summary_line(out, "Re-promote", r->id, where, NULL);
			return;
		}
		if (cur && cur == next && !required(start) && required(pr) &&
		    (pr->flags & AF_RUNNABLE)) {
			snprintf(where, sizeof(where), "Unpromoted -> Promoted %s", next->uname);
			summary_line(out, "Promote", r->id, where, NULL);
			return;
		}
		if (cur && cur == next && !required(start) && required(de) &&
		    !required(find_task(r, "stop", cur))) {
			snprintf(where, sizeof(where), "Promoted -> Unpromoted %s", cur->uname);
			summary_line(out, "Demote", r->id, where, NULL);
			return;
		}
		if (cur && next == NULL && required(find_task(r, "stop", cur))) {
			snprintf(
			    where, sizeof(where), "%s %s", pengine_role_str(r->role), cur->uname);
			summary_line(out, "Stop", r->id, where,
			    quorum_stop(ws, r, cur) ? "due to no quorum"
				: r->stop_reason    ? r->stop_reason
						    : "due to node availability");
			return;
		}
	}
	if (cur == NULL) {
		if (next == NULL || start == NULL)
			return;
		if (!required(start))
			return;
		details(where, sizeof(where), r, NULL, next);
		if (!(start->flags & AF_RUNNABLE) && r->next_role == ROLE_PROMOTED) {
			/* an instance to start promoted reads as a blocked promotion */
			summary_line(out, "Promote", r->id, where, "blocked");
			return;
		}
		if (!(start->flags & AF_RUNNABLE)) {
			char *why = !start->reason && start->probe_pending
			    ? xstrdup("blocked")
			    : xasprintf("due to %s (blocked)",
				  start->reason ? start->reason : "unrunnable start");
			summary_line(out, "Start", r->id, where, why);
			free(why);
			return;
		}
		summary_line(out, "Start", r->id, where, NULL);
		return;
	}
	if (r->n_running > 1) {
		if (next == NULL) {
			for (int i = 0; i < r->n_running; i++) {
				struct pengine_action *s = find_task(r, "stop", r->running[i]);
				if (required(s)) {
					details(where, sizeof(where), r, r->running[i], NULL);
					summary_line(
					    out, "Stop", r->id, where, "due to node availability");
				}
			}
			return;
		}
		struct pengine_action *mf = next ? find_task(r, "migrate_from", next) : NULL;
		if (next && next == r->partial_tgt && r->partial_src && required(mf)) {
			details(where, sizeof(where), r, r->partial_src, next);
			summary_line(out, "Migrate", r->id, where, NULL);
			return;
		}
		if (next && start && required(start)) {
			/* Pacemaker names the first node it runs on as where it is */
			struct pengine_node *first = r->running[0];
			details(where, sizeof(where), r, first, next);
			summary_line(out,
			    r->failed		? "Recover"
				: first != next ? "Move"
						: "Restart",
			    r->id, where,
			    r->multiply_active_reason && (r->failed || first != next)
				? "due to being multiply active"
				: NULL);
		}
		return;
	}
	struct pengine_action *stop = find_task(r, "stop", cur);
	bool startable = start && (start->flags & AF_RUNNABLE);
	if (next == NULL || !startable) {
		if (!required(stop) && !(start && !(start->flags & AF_RUNNABLE) && required(start)))
			return;
		details(where, sizeof(where), r, cur, NULL);
		const char *reason = NULL;
		char *tmp = NULL;
		bool stop_blocked = stop && !(stop->flags & AF_RUNNABLE);
		if (stop_blocked && pengine_no_quorum(ws, r) && ws->no_quorum_policy == NQP_FREEZE)
			reason = "blocked";
		else if (stop_blocked && pengine_quorum_stops(ws, r))
			reason = "due to no quorum (blocked)";
		else if (stop_blocked && stop->reason && strncmp(stop->reason, "unrunnable", 10) == 0)
			reason = tmp = xasprintf("due to %s (blocked)", stop->reason);
		else if (stop_blocked && next && cur->pending)
			reason = "blocked"; /* placed elsewhere, its stop waits for the node's join */
		else if (stop_blocked)
			reason = "due to node availability (blocked)";
		else if (quorum_stop(ws, r, cur) && !r->disabled)
			reason = "due to no quorum"; /* a disabled one stops anyway */
		else if (next == NULL && r->stop_reason)
			reason = r->stop_reason;
		else if (next == NULL)
			reason = "due to node availability";
		else if (start && start->reason)
			reason = tmp = xasprintf("due to %s", pengine_stop_reason(ws, start));
		summary_line(out, "Stop", r->id, where, reason);
		free(tmp);
		return;
	}
	if (cur != next) {
		details(where, sizeof(where), r, cur, next);
		struct pengine_action *mt = find_task(r, "migrate_to", cur);
		summary_line(out,
		    r->failed	       ? "Recover"
			: required(mt) ? "Migrate"
				       : "Move",
		    r->id, where, r->failed ? NULL : r->move_reason);
		return;
	}
	if (required(start) && required(stop)) {
		details(where, sizeof(where), r, cur, cur);
		if (r->failed) {
			summary_line(out, "Recover", r->id, where, NULL);
		} else {
			char *why = NULL;
			const char *rr = r->restart_reason ? r->restart_reason : start->reason;
			if (rr)
				why = xasprintf("due to %s", rr);
			summary_line(out, "Restart", r->id, where, why);
			free(why);
		}
	} else if (required(find_task(r, "reload-agent", cur))) {
		details(where, sizeof(where), r, cur, cur);
		summary_line(out, "Reload", r->id, where, NULL);
	}
}

/* a stop for want of quorum (one on a node that cannot run it, or banned there by its
 * failures, stops for node availability as in Pacemaker) */
static bool
quorum_stop(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_node *cur)
{
	return pengine_quorum_stops(ws, r) && cur &&
	    pengine_node_usable(cur) && !cur->standby &&
	    !(r->score && r->score[cur->idx] != INT_MIN && r->score[cur->idx] <= -INF);
}

static void
summary_rsc(struct pengine_ws *ws, struct pengine_rsc *r, struct pl_buf *out)
{
	if (r->kind == KIND_PRIMITIVE)
		summary_primitive(ws, r, out);
	if (r->kind == KIND_BUNDLE) { /* replica by replica: IP, container, connection, instance */
		for (int i = 0; i < r->n_replicas; i++) {
			struct pengine_replica *rp = &r->replicas[i];
			struct pengine_rsc *parts[] = { rp->ip, rp->container, rp->remote, rp->child };
			for (size_t k = 0; k < 4; k++)
				if (parts[k])
					summary_primitive(ws, parts[k], out);
		}
		return;
	}
	for (int c = 0; c < r->n_children; c++)
		summary_rsc(ws, r->children[c], out);
}

void
pengine_render_summary(struct pengine_ws *ws, struct pl_buf *out)
{
	/* newest action first, as Pacemaker: guests' fencing (decided last), then nodes' */
	for (int i = ws->n_nodes - 1; i >= 0; i--) {
		struct pengine_node *n = ws->nodes[i];
		if (n->guest_reset)
			pl_buf_addf(out, "  * Fence (%s) %s (resource: %s) '%s'\n",
			    n->guest_fence_off ? "off" : "reboot", n->uname, n->conn,
			    n->unclean_reason);
	}
	for (int i = ws->n_nodes - 1; i >= 0; i--) {
		struct pengine_node *n = ws->nodes[i];
		if (n->unclean && !n->guest_reset && pengine_can_fence(ws))
			pl_buf_addf(out, "  * Fence (reboot) %s '%s'\n", n->uname, n->unclean_reason);
	}
	/* unfencing was decided before the fencing of unclean nodes: listed after it */
	for (int i = (int)ws->actions->len - 1; i >= 0; i--) {
		struct pengine_action *a = ws->actions->pdata[i];
		if ((a->flags & AF_UNFENCE) && !(a->flags & AF_OPTIONAL))
			pl_buf_addf(out, "  * Fence (on) %s '%s'\n", a->node->uname,
			    a->reason ? a->reason : "required");
	}
	for (int i = 0; i < ws->n_order; i++)
		summary_rsc(ws, ws->order[i], out);
}
