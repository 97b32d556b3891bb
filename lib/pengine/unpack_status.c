/*
 * unpack_status.c - the <status> section: node_state (online/unclean/standby/...), transient
 * attributes, and each lrm_resource handed to its resource (clone instance or orphan);
 * streamed one node_state at a time when the CIB comes as text.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

/* ---- status ---- */

/* A "terminate" attribute asks for the node to be fenced: true, or a time (a digit 1-9). */
static bool
terminate_requested(const char *term)
{
	if (term == NULL || *term == '\0')
		return false;
	return pengine_is_true(term) || (term[0] >= '1' && term[0] <= '9');
}

static void
node_unclean(struct pengine_node *n, const char *why)
{
	n->unclean = true;
	n->unclean_reason = why;
}

/*
 * A cluster node's state from its node_state, as Pacemaker 2.1.5 decides it (checked with
 * Debian's crm_simulate over every combination of in_ccm, crmd, join, expected,
 * stonith-enabled and a device: tests/unit/pengine/node_state). `expected` counts only
 * when it is "member" and no shutdown attribute is set.
 *
 * Without fencing: online = in membership, controller online and joined; a node in
 * membership whose controller is gone although expected is unclean (UNCLEAN (offline));
 * anything else is offline.
 *
 * With fencing, online = in membership (in_ccm), and in this order:
 *   shutting down                         online = controller online, never unclean
 *   in_ccm absent                         unclean: not seen by the cluster
 *   join=banned                           unclean: failed membership criteria
 *   expected down, no terminate           pending (and standby) if in membership or
 *                                         controller online; else down
 *   terminate, join down, gone            just fenced: offline
 *   not in membership                     unclean: no longer part of the cluster
 *   controller not online                 unclean: peer process no longer available
 *   terminate                             unclean: termination requested
 *   join=member                           online
 *   join pending or down                  pending (and standby): waits, never fenced
 *   anything else                         unclean: unknown state
 */
static void
node_online_state(struct pengine_ws *ws, struct pengine_node *n, xmlNode *st)
{
	const char *in_ccm = pl_xml_attr(st, "in_ccm"), *crmd = pl_xml_attr(st, "crmd");
	const char *join = pl_xml_attr(st, "join"), *exp = pl_xml_attr(st, "expected");
	const char *sd = g_hash_table_lookup(n->attrs, "shutdown");
	bool in_cluster = pengine_is_true(in_ccm);
	bool crmd_on = crmd && !strcmp(crmd, "online");
	bool shutting_down = sd && strcmp(sd, "0");
	bool term = terminate_requested(g_hash_table_lookup(n->attrs, "terminate"));
	bool exp_down = exp == NULL || strcmp(exp, "member");

	n->seen = true;
	n->unclean = false;
	n->unclean_reason = NULL;
	n->online = false;
	n->expected_up = !shutting_down && !exp_down;
	if (!ws->stonith_enabled) {
		if (!in_cluster)
			return;
		if (crmd_on)
			n->online = join && !strcmp(join, "member");
		else if (n->expected_up)
			node_unclean(n, "peer is unexpectedly down");
		return;
	}
	n->online = in_cluster;
	if (shutting_down) {
		n->online = crmd_on;
	} else if (in_ccm == NULL) {
		node_unclean(n, "peer has not been seen by the cluster");
	} else if (join && !strcmp(join, "banned")) {
		node_unclean(n, "peer failed Pacemaker membership criteria");
	} else if (!term && exp_down) {
		n->pending = in_cluster || crmd_on;
	} else if (term && join && !strcmp(join, "down") && !in_cluster && !crmd_on) {
		n->online = false; /* just fenced */
	} else if (!in_cluster) {
		node_unclean(n, "peer is no longer part of the cluster");
	} else if (!crmd_on) {
		node_unclean(n, "peer process is no longer available");
	} else if (term) {
		node_unclean(n, "termination was requested");
	} else if (join && !strcmp(join, "member")) {
		/* active */
	} else if (join && (!strcmp(join, "pending") || !strcmp(join, "down"))) {
		n->pending = true;
	} else {
		node_unclean(n, "peer was in an unknown state");
	}
}

/* The supported clone whose cloned primitive is `id` or "id:N". */
static struct pengine_rsc *
clone_of(struct pengine_ws *ws, const char *id)
{
	if (id == NULL)
		return NULL;
	char *base = xstrdup(id);
	char *colon = strchr(base, ':');
	if (colon)
		*colon = '\0';
	struct pengine_rsc *c = g_hash_table_lookup(ws->clone_by_child, base);
	free(base);
	return c && pengine_clone_supported(c) ? c : NULL;
}

/* History of clone instances ("rsc:2") and bundle replicas is not an orphan's. */
static bool
belongs_to_unsupported(struct pengine_ws *ws, const char *id)
{
	if (id == NULL)
		return false;
	char *base = xstrdup(id);
	char *colon = strchr(base, ':');
	if (colon)
		*colon = '\0';
	xmlNode *res = pl_xml_first_child(ws->config, "resources");
	bool found = pl_xml_find_id(res, NULL, base) != NULL;
	free(base);
	for (int i = 0; !found && i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind == KIND_BUNDLE && !strncmp(id, r->id, strlen(r->id)))
			found = true;
	}
	return found;
}

/* An orphan's definition outlives a streamed status: copy what identifies it. */
/* the history names the agent otherwise than the configuration does */
static bool
agent_changed(const struct pengine_rsc *r, xmlNode *lr)
{
	if (r->implicit || r->bundled)
		return false;
	for (const struct pengine_rsc *p = r->parent; p; p = p->parent)
		if (p->kind == KIND_BUNDLE)
			return false;
	return g_strcmp0(pl_xml_attr(lr, "class"), r->cls) != 0 ||
	    g_strcmp0(pl_xml_attr(lr, "provider"), r->provider) != 0 ||
	    g_strcmp0(pl_xml_attr(lr, "type"), r->type) != 0;
}

static xmlNode *
orphan_definition(struct pengine_ws *ws, xmlNode *lr)
{
	xmlNode *x = xmlNewDocNode(ws->doc, NULL, BAD_CAST "primitive", NULL);
	static const char *keep[] = { "id", "class", "provider", "type" };
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (pl_xml_attr(lr, keep[i]))
			pl_xml_set_attr(x, keep[i], pl_xml_attr(lr, keep[i]));
	if (ws->orphan_defs == NULL)
		ws->orphan_defs = xmlNewDocNode(ws->doc, NULL, BAD_CAST "orphans", NULL);
	xmlAddChild(ws->orphan_defs, x);
	return x;
}

/* One node_state: membership, transient attributes, then its resources' history. Nothing
 * keeps a pointer into `st`, so a streamed status can free it right after. */
void
pengine_unpack_node_state(struct pengine_ws *ws, xmlNode *st)
{
	const char *id = pl_xml_id(st), *uname = pl_xml_attr(st, "uname");
	if (id == NULL) {
		pengine_input_error(ws,
		    "status:%ld: <node_state%s%s> has no id attribute: entry ignored",
		    pl_xml_line(st), uname ? " uname=" : "", uname ? uname : "");
		return;
	}
	struct pengine_node *n = g_hash_table_lookup(ws->node_by_name, id);
	if (n == NULL && uname)
		n = g_hash_table_lookup(ws->node_by_name, uname);
	if (n == NULL || n->seen)
		return;
	if (n->status_pos == 0)
		n->status_pos = ++ws->n_states;
	/* a remote or guest node's history waits until its connection's is known (Pacemaker
	 * reads it after the cluster nodes'), and is not read at all when it is down */
	if (n->remote && !n->in_bundle && !ws->remote_pass && n->conn &&
	    g_hash_table_lookup(ws->rsc_by_id, n->conn)) {
		if (ws->deferred_states == NULL)
			ws->deferred_states = g_ptr_array_new();
		g_ptr_array_add(ws->deferred_states, pl_xml_copy(st, ws->doc));
		return;
	}
	xmlNode *ta = pl_xml_first_child(st, "transient_attributes");
	if (ta)
		pengine_unpack_nvpairs(ws, ta, "instance_attributes", n, n->attrs);
	if (n->remote) {
		/* online is decided by its connection resource once all history is known */
		n->seen = true;
		n->online = true;
	} else {
		node_online_state(ws, n, st);
	}
	n->lost = n->unclean;
	const char *sd = g_hash_table_lookup(n->attrs, "shutdown");
	if (n->online && sd && strcmp(sd, "0"))
		n->shutdown = true;
	/* a pending node runs nothing: Pacemaker shows it in standby too */
	n->standby = n->pending || pengine_is_true(g_hash_table_lookup(n->attrs, "standby"));
	n->maintenance = pengine_is_true(g_hash_table_lookup(n->attrs, "maintenance"));
	if (!ws->have_quorum && ws->no_quorum_policy == NQP_SUICIDE && ws->stonith_enabled &&
	    n->online && !n->unclean) {
		n->unclean = true;
		n->unclean_reason = "cluster does not have quorum";
	}
	xmlNode *lrm = pl_xml_first_child(st, "lrm");
	xmlNode *lrs = lrm ? pl_xml_first_child(lrm, "lrm_resources") : NULL;
	/* Without fencing, a cluster node that is offline runs nothing: its history is not
	 * read (as Pacemaker), so what it ran recovers elsewhere instead of staying "Started"
	 * on a node nobody can stop it on. With fencing it is read: the fence decides. */
	if (!n->remote && !ws->stonith_enabled && !n->online)
		lrs = NULL;
	if (n->remote && !n->in_bundle && !pengine_remote_history_wanted(ws, n))
		lrs = NULL;
	PL_XML_FOREACH_CHILD(lrs, "lrm_resource", lr)
	{
		if (pl_xml_id(lr) == NULL) {
			pengine_input_error(ws,
			    "status:%ld: <lrm_resource> on node %s has no id attribute: "
			    "entry ignored",
			    pl_xml_line(lr), n->uname);
			continue;
		}
		struct pengine_rsc *r = g_hash_table_lookup(ws->rsc_by_id, pl_xml_id(lr));
		/* on a bundle's guest node, the bundled primitive's history is its instance's */
		if (r == NULL && n->guest_child && !n->guest_child->parent->unique &&
		    !g_strcmp0(pl_xml_id(lr), pl_xml_id(n->guest_child->xml)))
			r = n->guest_child;
		struct pengine_rsc *clone = clone_of(ws, pl_xml_id(lr));
		if (clone && !strcmp(pl_xml_id(lr), clone->child_base))
			clone->base_named = true;
		if (clone) {
			r = pengine_clone_instance_for(ws, clone, lr, n);
			if (r == NULL)
				continue;
		}
		/* a clone of groups maps its members' history itself (an anonymous one by the
		 * member's id, whatever instance number the entry carries) */
		bool in_group_clone = false;
		if (clone == NULL) {
			struct pengine_rsc *m =
			    pengine_clone_group_member_for(ws, pl_xml_id(lr), lr, n);
			if (m) {
				r = m;
				in_group_clone = true;
			}
		}
		/* a unique bundle's instances are "prim:i": plain "prim" there is an orphan */
		bool bundle_orphan = r == NULL && n->guest_child && n->guest_child->parent->unique &&
		    !g_strcmp0(pl_xml_id(lr), pl_xml_id(n->guest_child->xml));
		if (r == NULL && !bundle_orphan && belongs_to_unsupported(ws, pl_xml_id(lr)))
			continue;
		if (r == NULL) {
			/* orphan: history of a resource no longer configured */
			r = pengine_unpack_primitive(ws, orphan_definition(ws, lr), NULL);
			r->orphan = true;
			pengine_rsc_settle(ws, r);
			if (!ws->stop_orphans)
				r->managed = false;
			ws->top = xreallocarray(ws->top, ws->n_top + 1, sizeof(*ws->top));
			ws->top[ws->n_top++] = r;
		}
		if (r->kind != KIND_PRIMITIVE)
			continue;
		/* the same id twice on the node (a hand-made CIB): crm_simulate records what it
		 * runs in the later entry, so the earlier one still says it is active (inc6) */
		if (pengine_rsc_active_on(r, n) && !strcmp(pl_xml_id(lr), r->id))
			for (xmlNode *e = lrs->children; e && e != lr; e = e->next)
				if (e->type == XML_ELEMENT_NODE && !g_strcmp0(pl_xml_id(e), r->id))
					r->pn[n->idx].dup_active = true;
		pengine_unpack_history(ws, n, r, lr);
		if (!r->orphan && agent_changed(r, lr)) {
			/* Pacemaker restarts it and deletes this history (primitive.c) */
			r->pn[n->idx].agent_changed = true;
		}
		if (in_group_clone) { /* actions there go by the history's name */
			free(r->pn[n->idx].lrm_name);
			r->pn[n->idx].lrm_name = xstrdup(pl_xml_id(lr));
			if (!strchr(pl_xml_id(lr), ':'))
				r->parent->parent->base_named = true;
		}
		if (r->bundled) { /* a bundle's instance: by its history's name on its guest */
			free(r->pn[n->idx].lrm_name);
			r->pn[n->idx].lrm_name = xstrdup(pl_xml_id(lr));
		}
		if (clone) {
			if (r->pn[n->idx].probed || r->pn[n->idx].active)
				clone->pn[n->idx].probed = true;
			free(r->pn[n->idx].lrm_name);
			r->pn[n->idx].lrm_name = xstrdup(pl_xml_id(lr));
		}
	}
	pengine_unpack_failcounts(ws, n); /* after the history: orphans exist by now */
}

/* The status section of a parsed document (text is streamed by stream.c instead). */
void
pengine_unpack_status(struct pengine_ws *ws)
{
	if (ws->status) {
		ws->tickets = pl_xml_first_child(ws->status, "tickets");
		PL_XML_FOREACH_CHILD(ws->status, "node_state", st)
		pengine_unpack_node_state(ws, st);
	}
	pengine_unpack_status_finish(ws);
}

/* Once every node_state is read: remote nodes' deferred history, then what follows from the
 * whole status (remote and guest nodes up, fencing of nodes thought to run something, ...). */
void
pengine_unpack_status_finish(struct pengine_ws *ws)
{
	ws->remote_pass = true;
	for (guint i = 0; ws->deferred_states && i < ws->deferred_states->len; i++) {
		xmlNode *st = ws->deferred_states->pdata[i];
		pengine_unpack_node_state(ws, st);
		xmlFreeNode(st);
	}
	if (ws->deferred_states)
		g_ptr_array_free(ws->deferred_states, true);
	ws->deferred_states = NULL;
	pengine_migration_history(ws);
	for (int i = 0; i < ws->n_nodes; i++) {
		struct pengine_node *n = ws->nodes[i];
		if (n->remote) {
			struct pengine_rsc *c =
			    n->conn ? g_hash_table_lookup(ws->rsc_by_id, n->conn) : NULL;
			n->online = c && c->n_running > 0 && !c->failed;
			if (c && c->reset_remote && !n->guest && pengine_can_fence(ws)) {
				n->unclean = true; /* fenced, then the connection recovers */
				n->unclean_reason = "remote connection is unrecoverable";
			}
			if (ws->maintenance) /* maintenance-mode puts remote nodes in maintenance */
				n->maintenance = true;
			/* so does an unmanaged connection (a bundle's: its bundle unmanaged) */
			struct pengine_rsc *conn =
			    n->guest ? g_hash_table_lookup(ws->rsc_by_id, n->id) : c;
			if (conn && !conn->managed)
				n->maintenance = true;
			/* a guest is up while its container runs on a node that is up (and, for
			 * a remote-node guest, while its connection runs too) */
			if (n->guest && n->online)
				n->online = c->n_running == 1 && c->running[0]->online;
			struct pengine_rsc *g = n->guest && !n->in_bundle
			    ? g_hash_table_lookup(ws->rsc_by_id, n->id)
			    : NULL;
			if (g && g->implicit && n->online)
				n->online = g->n_running > 0 && !g->failed;
			if (c == NULL)
				ws->unsupported = true;
		}
		if (!n->seen) {
			/* a pending node runs nothing: Pacemaker shows it in standby too */
			n->standby =
			    n->pending || pengine_is_true(g_hash_table_lookup(n->attrs, "standby"));
			n->maintenance =
			    pengine_is_true(g_hash_table_lookup(n->attrs, "maintenance"));
		}
	}
	/* with fencing, a cluster node that is down while a managed resource is thought active
	 * there must be fenced before that resource can run elsewhere (as Pacemaker) */
	for (int i = 0; ws->stonith_enabled && i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		for (int j = 0; j < r->n_running && r->kind == KIND_PRIMITIVE && r->managed; j++) {
			struct pengine_node *n = r->running[j];
			if (n->online || n->unclean || n->guest || n->maintenance)
				continue;
			n->unclean = true;
			n->unclean_reason = pengine_keep(ws,
			    xasprintf(n->remote ? "%s is active there (fencing will be revoked if "
						  "remote connection can be re-established elsewhere)"
						: "%s is thought to be active there",
				r->id));
		}
	}
	/* guests whose container failed or whose host is lost are fenced (guest.c) */
	for (int i = 0; i < ws->n_nodes; i++)
		if (ws->nodes[i]->guest)
			pengine_guest_unclean(ws, ws->nodes[i]);
	/* nothing runs on a guest node that is down (its container stopped or failed) */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		int k = 0;
		for (int j = 0; j < r->n_running && r->kind == KIND_PRIMITIVE; j++)
			if (!(r->running[j]->guest && !r->running[j]->online &&
				!r->running[j]->guest_reset))
				r->running[k++] = r->running[j];
		if (r->kind == KIND_PRIMITIVE && k < r->n_running && k == 0)
			r->role = ROLE_STOPPED; /* its role went down with the guest */
		if (r->kind == KIND_PRIMITIVE)
			r->n_running = k;
	}
	/* what runs on a node in maintenance is left alone */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		for (int k = 0; k < r->n_running && r->kind == KIND_PRIMITIVE; k++)
			if (r->running[k]->maintenance)
				r->managed = false;
	}
	/* orphans that are stopped are not shown or scheduled */
	int k = 0;
	for (int i = 0; i < ws->n_top; i++) {
		struct pengine_rsc *r = ws->top[i];
		if (r->orphan && r->n_running == 0) {
			if (r->kind == KIND_PRIMITIVE && r->managed)
				g_ptr_array_add(ws->idle_orphans, r);
			continue;
		}
		ws->top[k++] = r;
	}
	ws->n_top = k;
	/* a group's role is its first active member's */
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *g = ws->rscs[i];
		if (g->kind != KIND_GROUP && g->kind != KIND_CLONE)
			continue;
		for (int c = 0; c < g->n_children; c++) {
			struct pengine_rsc *ch = g->children[c];
			if (ch->role > g->role)
				g->role = ch->role;
			for (int j = 0; j < ch->n_running; j++)
				pengine_add_running(g, ch->running[j]);
			if (ch->failed)
				g->failed = true;
		}
	}
}
