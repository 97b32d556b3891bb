/*
 * verify_status.c - the crm_verify checks that come from the status section: nodes the
 * scheduler would fence (lost peers, unseen nodes, failed stops, resources active on a node
 * that is down, revoked tickets, no-quorum suicide, failed remote connections), active orphans
 * (unknown resources, clone instances beyond clone-max / clone-node-max), remote node states no
 * longer configured, failure-timeout against on-fail=block. Each imitates the Pacemaker rule
 * named in its comment; the scheduler itself decides more cases (docs/design/cib.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "paceline/interval.h"
#include "paceline/xalloc.h"
#include "pengine_private.h"
#include "verify.h"

struct node {
	const char *id, *uname;
	const xmlNode *state, *cfg;
	bool remote, unclean, online;
};

/* Resources the cluster creates itself and never lists in the configuration. */
static bool
generated_resource(struct pengine_vctx *v, const char *rid)
{
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, v->rsc);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		const xmlNode *r = val;
		const char *rn = key;
		size_t l = strlen(rn);

		if (pl_xml_is(r, "bundle") && strncmp(rid, rn, l) == 0 && rid[l] == '-')
			return true;
		if (pl_xml_is(r, "primitive")) {
			const char *rnode = pengine_vnv_lookup(r, "meta_attributes", "remote-node");

			if (rnode != NULL && strcmp(rnode, rid) == 0)
				return true;
		}
	}
	return false;
}

static bool
configured(struct pengine_vctx *v, const char *rid)
{
	char base[512];
	const char *colon = strchr(rid, ':');

	if (g_hash_table_contains(v->rsc, rid))
		return true;
	if (colon != NULL && (size_t)(colon - rid) < sizeof(base)) {
		memcpy(base, rid, (size_t)(colon - rid));
		base[colon - rid] = '\0';
		if (g_hash_table_contains(v->rsc, base))
			return true;
		rid = base;
	}
	return generated_resource(v, rid);
}

/* The newest recorded operation of an lrm_resource (highest call-id). */
static const xmlNode *
last_op(const xmlNode *lrm_rsc)
{
	const xmlNode *best = NULL;
	long best_call = -2;

	PL_XML_FOREACH_CHILD(lrm_rsc, NULL, op)
	{
		long call = pengine_vattr_long(op, "call-id", -1);

		if (!pl_xml_is(op, "lrm_rsc_op"))
			continue;
		if (call > best_call) {
			best_call = call;
			best = op;
		}
	}
	return best;
}

static bool
op_leaves_active(const xmlNode *op)
{
	const char *task = pl_xml_attr(op, "operation");
	long rc = pengine_vattr_long(op, "rc-code", 0);

	if (task == NULL)
		return false;
	if (strcmp(task, "stop") == 0 && rc == 0)
		return false;
	if (strcmp(task, "migrate_to") == 0 && rc == 0)
		return false;
	if (rc == 7)
		return false; /* not running */
	if (strcmp(task, "start") == 0 && rc == 5)
		return false;
	return true;
}

static void
fence(struct pengine_vctx *v, struct node *n, const char *reason)
{
	if (n->unclean)
		return;
	n->unclean = true;
	(void)v;
	(void)reason;
}

static void
node_fencing_state(struct pengine_vctx *v, struct node *n)
{
	const xmlNode *s = n->state;
	const char *join = pl_xml_attr(s, "join"), *crmd = pl_xml_attr(s, "crmd");
	const char *in_ccm = pl_xml_attr(s, "in_ccm"), *expected = pl_xml_attr(s, "expected");
	bool crmd_online = crmd && strcasecmp(crmd, "online") == 0;
	bool terminate = false;
	const xmlNode *ta = pl_xml_first_child(s, "transient_attributes");
	const char *term = ta ? pengine_vnv_lookup(ta, "instance_attributes", "terminate") : NULL;

	if (term != NULL && (pengine_is_true(term) || (term[0] >= '1' && term[0] <= '9')))
		terminate = true;
	n->online = pengine_is_true(in_ccm);
	if (!crmd_online && in_ccm == NULL)
		fence(v, n, "peer has not been seen by the cluster");
	if (join && strcasecmp(join, "banned") == 0)
		fence(v, n, "peer failed Pacemaker membership criteria");
	else if (!terminate && (expected == NULL || strcasecmp(expected, "member") != 0))
		; /* not expected up (down, shutting down, never joined): clean */
	else if (terminate && join && strcasecmp(join, "down") == 0 && !pengine_is_true(in_ccm) &&
	    !crmd_online)
		n->online = false; /* just shot */
	else if (!pengine_is_true(in_ccm))
		fence(v, n, "peer is no longer part of the cluster");
	else if (!crmd_online)
		fence(v, n, "peer process is no longer available");
	else if (terminate)
		fence(v, n, "termination was requested");
	else if (join &&
	    (strcasecmp(join, "member") == 0 || strcasecmp(join, "pending") == 0 ||
		strcasecmp(join, "down") == 0))
		;
	else
		fence(v, n, "peer was in an unknown state");
}

/* Without fencing, a node that is in the membership, expected up, but whose controller is
 * gone is "unexpectedly down": unclean, and it cannot be fenced. */
static void
node_state_without_fencing(struct pengine_vctx *v, struct node *n)
{
	const xmlNode *s = n->state;
	const char *crmd = pl_xml_attr(s, "crmd"), *join = pl_xml_attr(s, "join");
	const char *expected = pl_xml_attr(s, "expected");

	n->online = false;
	if (!pengine_is_true(pl_xml_attr(s, "in_ccm")))
		return;
	if (crmd != NULL && strcasecmp(crmd, "online") == 0)
		n->online = join != NULL && strcasecmp(join, "member") == 0;
	else if (expected != NULL && strcasecmp(expected, "member") == 0)
		fence(v, n, "peer is unexpectedly down");
}

/* Failed stops (the newest op of a resource is a failed stop) fence the node. */
static void
failed_stops(struct pengine_vctx *v, struct node *n)
{
	const xmlNode *lrm = pl_xml_first_child(n->state, "lrm");
	const xmlNode *rscs = pl_xml_first_child(lrm, "lrm_resources");

	PL_XML_FOREACH_CHILD(rscs, NULL, lr)
	{
		const xmlNode *op = last_op(lr);
		const xmlNode *cfg;
		const char *rid = pl_xml_attr(lr, "id");

		if (op == NULL || pl_xml_attr(op, "operation") == NULL ||
		    strcmp(pl_xml_attr(op, "operation"), "stop") != 0)
			continue;
		if (pengine_vattr_long(op, "rc-code", 0) == 0 ||
		    pengine_vattr_long(op, "op-status", 0) == -1)
			continue;
		cfg = rid ? g_hash_table_lookup(v->rsc, rid) : NULL;
		if (cfg != NULL) {
			const xmlNode *ops = pl_xml_first_child(cfg, "operations");
			bool overridden = false;

			PL_XML_FOREACH_CHILD(ops, NULL, o)
			if (pl_xml_attr(o, "name") && strcmp(pl_xml_attr(o, "name"), "stop") == 0 &&
			    pl_xml_attr(o, "on-fail") &&
			    strcmp(pl_xml_attr(o, "on-fail"), "fence") != 0)
				overridden = true;
			if (overridden)
				continue;
		}
		fence(v, n, "failed there");
	}
}

static bool
managed(struct pengine_vctx *v, const xmlNode *r)
{
	if (pengine_is_true(pengine_vproperty(v, "maintenance-mode")))
		return false;
	for (; r != NULL && r->type == XML_ELEMENT_NODE; r = r->parent) {
		const char *m = pengine_vnv_lookup(r, "meta_attributes", "is-managed");

		if (m != NULL)
			return !pengine_vis_false(m);
		if (pl_xml_is(r, "resources"))
			break;
	}
	return !pengine_vis_false(pengine_vnv_lookup(
	    pl_xml_first_child(v->config, "rsc_defaults"), "meta_attributes", "is-managed"));
}

/* The configured resource of an lrm_resource entry (its id without a clone instance number)
 * when the entry's newest operation leaves it active; NULL otherwise. */
static const xmlNode *
active_primitive(struct pengine_vctx *v, const xmlNode *lr)
{
	const char *rid = pl_xml_attr(lr, "id");
	const char *colon;
	const xmlNode *op;
	char base[512];

	if (rid == NULL)
		return NULL;
	colon = strchr(rid, ':');
	snprintf(base, sizeof(base), "%.*s", colon ? (int)(colon - rid) : (int)strlen(rid), rid);
	op = last_op(lr);
	if (op == NULL || !op_leaves_active(op))
		return NULL;
	return g_hash_table_lookup(v->rsc, base);
}

/* A managed resource still active on a node that is down (but was not lost uncleanly) is
 * "thought to be active there": the node is fenced to be sure. */
static void
active_on_down_node(struct pengine_vctx *v, struct node *n)
{
	const xmlNode *s = n->state;
	const xmlNode *rscs = pl_xml_first_child(pl_xml_first_child(s, "lrm"), "lrm_resources");
	bool up = pengine_is_true(pl_xml_attr(s, "in_ccm")) && pl_xml_attr(s, "crmd") &&
	    strcasecmp(pl_xml_attr(s, "crmd"), "online") == 0;

	/* Nodes in maintenance (a permanent or transient node attribute) are left alone. */
	if (up || n->unclean ||
	    pengine_is_true(pengine_vnv_lookup(n->cfg, "instance_attributes", "maintenance")) ||
	    pengine_is_true(pengine_vnv_lookup(pl_xml_first_child(s, "transient_attributes"),
		"instance_attributes", "maintenance")))
		return;
	PL_XML_FOREACH_CHILD(rscs, NULL, lr)
	{
		const xmlNode *cfg = active_primitive(v, lr);

		if (cfg != NULL && managed(v, cfg)) {
			fence(v, n, "is thought to be active there");
			return;
		}
	}
}

static void
check_orphans(struct pengine_vctx *v, struct node *n)
{
	const xmlNode *lrm = pl_xml_first_child(n->state, "lrm");
	const xmlNode *rscs = pl_xml_first_child(lrm, "lrm_resources");

	PL_XML_FOREACH_CHILD(rscs, NULL, lr)
	{
		const char *rid = pl_xml_attr(lr, "id");
		const xmlNode *op;

		if (rid == NULL || configured(v, rid))
			continue;
		op = last_op(lr);
		if (op == NULL || !op_leaves_active(op))
			continue;
		if (v->stop_orphans)
			pengine_vmsg(v, PL_VERIFY_WARNING, "Detected active orphan %s running on %s",
			    rid, n->uname ? n->uname : n->id);
		else
			pengine_vmsg(v, PL_VERIFY_WARNING,
			    "Resource '%s' must be stopped manually on %s "
			    "because cluster is configured not to stop active orphans",
			    rid, n->uname ? n->uname : n->id);
	}
}

/* Is rid (or, for a collective resource, one of its primitives) active on the node? */
static bool
rsc_active_on(struct pengine_vctx *v, const char *rid, const struct node *n)
{
	const xmlNode *cfg = g_hash_table_lookup(v->rsc, rid);
	const xmlNode *rscs =
	    pl_xml_first_child(pl_xml_first_child(n->state, "lrm"), "lrm_resources");

	if (cfg == NULL)
		return false;
	PL_XML_FOREACH_CHILD(rscs, NULL, lr)
	{
		const xmlNode *prim = active_primitive(v, lr);

		for (; prim != NULL && prim->type == XML_ELEMENT_NODE && prim != cfg;
		     prim = prim->parent)
			;
		if (prim == cfg)
			return true;
	}
	return false;
}

bool
pengine_vrsc_active_anywhere(struct pengine_vctx *v, const xmlNode *rsc)
{
	const char *id = pl_xml_attr(rsc, "id");

	PL_XML_FOREACH_CHILD(v->status, NULL, st)
	{
		struct node n = { .state = st };

		if (pl_xml_is(st, "node_state") && id != NULL && rsc_active_on(v, id, &n))
			return true;
	}
	return false;
}

bool
pengine_vany_node_online(const struct pengine_vctx *v)
{
	PL_XML_FOREACH_CHILD(v->status, NULL, st)
	{
		const char *crmd = pl_xml_attr(st, "crmd"), *join = pl_xml_attr(st, "join");

		if (pl_xml_is(st, "node_state") && !pengine_is_true(pl_xml_attr(st, "remote_node")) &&
		    pengine_is_true(pl_xml_attr(st, "in_ccm")) && crmd &&
		    strcasecmp(crmd, "online") == 0 && join && strcasecmp(join, "member") == 0)
			return true;
	}
	return false;
}

/* A ticket that is revoked (recorded as not granted) fences the nodes where a resource that
 * depends on it with loss-policy=fence is active. */
static bool
ticket_lost_fence(struct pengine_vctx *v, const struct node *n)
{
	const xmlNode *tickets = pl_xml_first_child(v->status, "tickets");

	PL_XML_FOREACH_CHILD(v->constraints, NULL, c)
	{
		const char *t = pl_xml_attr(c, "ticket");
		bool granted = false;

		if (!pl_xml_is(c, "rsc_ticket") || t == NULL ||
		    pl_xml_attr(c, "loss-policy") == NULL ||
		    strcmp(pl_xml_attr(c, "loss-policy"), "fence") != 0)
			continue;
		bool recorded = false;

		PL_XML_FOREACH_CHILD(tickets, NULL, ts)
		if (pl_xml_attr(ts, "id") && strcmp(pl_xml_attr(ts, "id"), t) == 0) {
			granted = pengine_is_true(pl_xml_attr(ts, "granted"));
			recorded = true;
		}
		if (!recorded || granted)
			continue;
		if (pl_xml_attr(c, "rsc") && rsc_active_on(v, pl_xml_attr(c, "rsc"), n))
			return true;
		PL_XML_FOREACH_CHILD(c, NULL, set)
		PL_XML_FOREACH_CHILD(set, NULL, ref)
		if (pl_xml_attr(ref, "id") && rsc_active_on(v, pl_xml_attr(ref, "id"), n))
			return true;
	}
	return false;
}

/* Active instances of a clone beyond clone-max are orphans. Anonymous clones count the
 * nodes where an instance is active; globally unique ones count instance numbers. */
static void
clone_orphans(
    struct pengine_vctx *v, const xmlNode *clone, struct node *ns, size_t n, size_t cluster_nodes)
{
	const char *cm = pengine_vnv_lookup(clone, "meta_attributes", "clone-max");
	const char *cnm = pengine_vnv_lookup(clone, "meta_attributes", "clone-node-max");
	long node_max = cnm ? strtol(cnm, NULL, 10) : 1;
	bool unique =
	    pengine_is_true(pengine_vnv_lookup(clone, "meta_attributes", "globally-unique"));
	long max = cm ? strtol(cm, NULL, 10) : (long)cluster_nodes;
	const xmlNode *child = NULL;
	const xmlNode *prims[64];
	int np = 0;

	PL_XML_FOREACH_CHILD(clone, NULL, c)
	if (pl_xml_is(c, "primitive") || pl_xml_is(c, "group"))
		child = c;
	if (child == NULL)
		return;
	if (pl_xml_is(child, "primitive"))
		prims[np++] = child;
	else
		PL_XML_FOREACH_CHILD(child, NULL, c)
	if (pl_xml_is(c, "primitive") && np < 64)
		prims[np++] = c;
	for (int p = 0; p < np; p++) {
		const char *pid = pl_xml_attr(prims[p], "id");
		size_t pl;
		long active_nodes = 0;

		if (pid == NULL) /* schema validation has said so */
			continue;
		pl = strlen(pid);

		for (size_t i = 0; i < n; i++) {
			const xmlNode *rscs = pl_xml_first_child(
			    pl_xml_first_child(ns[i].state, "lrm"), "lrm_resources");
			bool here = false;
			long on_node = 0;

			PL_XML_FOREACH_CHILD(rscs, NULL, lr)
			{
				const char *lid = pl_xml_attr(lr, "id");
				const xmlNode *op;
				long inst = -1;

				if (lid == NULL || strncmp(lid, pid, pl) != 0 ||
				    (lid[pl] != '\0' && lid[pl] != ':'))
					continue;
				if (lid[pl] == ':')
					inst = strtol(lid + pl + 1, NULL, 10);
				op = last_op(lr);
				if (op == NULL || !op_leaves_active(op))
					continue;
				if (unique) {
					if (inst >= max)
						pengine_vmsg(v, PL_VERIFY_WARNING,
						    "Detected active orphan %s "
						    "running on %s",
						    lid, ns[i].uname ? ns[i].uname : ns[i].id);
				} else if (++on_node > node_max) {
					/* More instances here than clone-node-max allows. */
					pengine_vmsg(v, PL_VERIFY_WARNING,
					    "Detected active orphan %s running on %s", lid,
					    ns[i].uname ? ns[i].uname : ns[i].id);
				} else if (!here) {
					here = true;
					if (++active_nodes > max)
						pengine_vmsg(v, PL_VERIFY_WARNING,
						    "Detected active orphan %s "
						    "running on %s",
						    lid, ns[i].uname ? ns[i].uname : ns[i].id);
				}
			}
		}
	}
}

/* Pacemaker drops failure-timeout for a resource with a recorded failure of an operation
 * configured with on-fail=block, and warns. */
static void
failure_timeout_block(struct pengine_vctx *v, struct node *ns, size_t n)
{
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, v->rsc);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		const xmlNode *r = val;
		const char *ft = pengine_vnv_lookup(r, "meta_attributes", "failure-timeout");
		const xmlNode *ops = pl_xml_first_child(r, "operations");
		bool warned = false;

		if (!pl_xml_is(r, "primitive") || ft == NULL || strtol(ft, NULL, 10) <= 0)
			continue;
		PL_XML_FOREACH_CHILD(ops, NULL, op)
		{
			const char *name = pl_xml_attr(op, "name"), *of = pl_xml_attr(op, "on-fail");
			uint64_t ms = 0;
			struct pl_error e = PL_ERROR_INIT;

			if (warned || name == NULL || of == NULL || strcmp(of, "block") != 0)
				continue;
			if (pl_xml_attr(op, "interval") &&
			    !pl_interval_parse_ms(pl_xml_attr(op, "interval"), &ms, &e))
				ms = 0;
			for (size_t i = 0; i < n && !warned; i++) {
				const xmlNode *rscs = pl_xml_first_child(
				    pl_xml_first_child(ns[i].state, "lrm"), "lrm_resources");

				PL_XML_FOREACH_CHILD(rscs, NULL, lr)
				{
					if (pl_xml_attr(lr, "id") == NULL ||
					    strcmp(pl_xml_attr(lr, "id"), (const char *)key) != 0)
						continue;
					PL_XML_FOREACH_CHILD(lr, NULL, ro)
					{
						const char *task = pl_xml_attr(ro, "operation");
						long rc = pengine_vattr_long(ro, "rc-code", 0);

						if (task == NULL || strcmp(task, name) != 0 ||
						    pengine_vattr_long(ro, "interval", 0) != (long)ms ||
						    rc == 0 ||
						    (rc == 7 && strcmp(task, "monitor") == 0))
							continue;
						pengine_vmsg(v, PL_VERIFY_WARNING,
						    "Ignoring failure timeout %s for %s "
						    "because it conflicts with on-fail=block",
						    ft, (const char *)key);
						warned = true;
						break;
					}
				}
			}
		}
	}
}

/* A remote node whose connection failed while it was up cannot be recovered without fencing
 * ("remote connection is unrecoverable"): a failed recurring monitor recorded for the
 * ocf:pacemaker:remote connection resource on any cluster node. */
static void
remote_connection_failures(struct pengine_vctx *v, struct node *ns, size_t n)
{
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, v->rsc);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		const xmlNode *r = val;
		bool failed = false;

		if (!pl_xml_is(r, "primitive") || pl_xml_attr(r, "type") == NULL ||
		    strcmp(pl_xml_attr(r, "type"), "remote") != 0 ||
		    pl_xml_attr(r, "provider") == NULL ||
		    strcmp(pl_xml_attr(r, "provider"), "pacemaker") != 0)
			continue;
		for (size_t i = 0; i < n && !failed; i++) {
			const xmlNode *rscs = pl_xml_first_child(
			    pl_xml_first_child(ns[i].state, "lrm"), "lrm_resources");

			PL_XML_FOREACH_CHILD(rscs, NULL, lr)
			{
				if (pl_xml_attr(lr, "id") == NULL ||
				    strcmp(pl_xml_attr(lr, "id"), (const char *)key) != 0)
					continue;
				PL_XML_FOREACH_CHILD(lr, NULL, op)
				{
					const char *task = pl_xml_attr(op, "operation");
					long rc = pengine_vattr_long(op, "rc-code", 0);
					long interval = pengine_vattr_long(op, "interval", 0);

					if (task == NULL || rc == 0)
						continue;
					/* A failed start never connected: nothing to fence. */
					if (strcmp(task, "monitor") == 0 && (interval > 0 || rc != 7))
						failed = true;
				}
			}
		}
		if (failed && v->stonith_enabled)
			pengine_vmsg(v, PL_VERIFY_WARNING, "Scheduling node %s for fencing",
			    (const char *)key);
	}
}

/* Is the resource active on any cluster node (its newest op there leaves it running)? */
static bool
active_anywhere(const char *rid, struct node *ns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const xmlNode *rscs =
		    pl_xml_first_child(pl_xml_first_child(ns[i].state, "lrm"), "lrm_resources");

		PL_XML_FOREACH_CHILD(rscs, NULL, lr)
		{
			const xmlNode *op;

			if (pl_xml_attr(lr, "id") == NULL || strcmp(pl_xml_attr(lr, "id"), rid) != 0)
				continue;
			op = last_op(lr);
			/* A migration in progress leaves it running on one end or the other. */
			if (op != NULL &&
			    (op_leaves_active(op) ||
				(pl_xml_attr(op, "operation") &&
				    strncmp(pl_xml_attr(op, "operation"), "migrate_", 8) == 0)))
				return true;
		}
	}
	return false;
}

/* A remote node is up only while its connection resource runs somewhere. Managed resources
 * recorded as active on a remote node whose connection is not running make Pacemaker fence
 * it ("X is active there (fencing will be revoked if remote connection can be re-established
 * elsewhere)"). */
static void
active_on_down_remote(struct pengine_vctx *v, struct node *ns, size_t n)
{
	PL_XML_FOREACH_CHILD(v->status, NULL, st)
	{
		const char *sid = pl_xml_attr(st, "id");
		const xmlNode *conn, *rscs;

		if (!pl_xml_is(st, "node_state") ||
		    !pengine_is_true(pl_xml_attr(st, "remote_node")) || sid == NULL)
			continue;
		conn = g_hash_table_lookup(v->rsc, sid);
		if (conn == NULL || !pl_xml_is(conn, "primitive") ||
		    pl_xml_attr(conn, "type") == NULL ||
		    strcmp(pl_xml_attr(conn, "type"), "remote") != 0 || active_anywhere(sid, ns, n))
			continue;
		rscs = pl_xml_first_child(pl_xml_first_child(st, "lrm"), "lrm_resources");
		PL_XML_FOREACH_CHILD(rscs, NULL, lr)
		{
			const xmlNode *cfg = pl_xml_attr(lr, "id")
			    ? g_hash_table_lookup(v->rsc, pl_xml_attr(lr, "id"))
			    : NULL;
			const xmlNode *op = last_op(lr);

			if (cfg != NULL && managed(v, cfg) && op != NULL && op_leaves_active(op)) {
				pengine_vmsg(
				    v, PL_VERIFY_WARNING, "Scheduling node %s for fencing", sid);
				break;
			}
		}
	}
}

void
pengine_verify_status(struct pengine_vctx *v)
{
	const xmlNode *nodes = pl_xml_first_child(v->config, "nodes");
	struct node *ns = NULL;
	size_t n = 0;

	PL_XML_FOREACH_CHILD(nodes, NULL, nd)
	{
		const char *type = pl_xml_attr(nd, "type");

		if (!pl_xml_is(nd, "node") || (type && strcmp(type, "ping") == 0))
			continue;
		ns = xreallocarray(ns, n + 1, sizeof(*ns));
		ns[n] = (struct node){ .id = pl_xml_attr(nd, "id"),
			.uname = pl_xml_attr(nd, "uname"),
			.cfg = nd,
			.remote = type && strcmp(type, "remote") == 0 };
		n++;
	}
	PL_XML_FOREACH_CHILD(v->status, NULL, st)
	{
		const char *sid = pl_xml_attr(st, "id"), *uname = pl_xml_attr(st, "uname");
		bool found = false;

		if (!pl_xml_is(st, "node_state"))
			continue;
		if (pengine_is_true(pl_xml_attr(st, "remote_node"))) {
			/* Only states that record membership (in_ccm) are looked at for this. */
			if (sid && !configured(v, sid) && pl_xml_attr(st, "in_ccm") != NULL)
				pengine_vmsg(v, PL_VERIFY_WARNING,
				    "Ignoring recorded node state for '%s' "
				    "because it is no longer in the configuration",
				    sid);
			continue;
		}
		if (sid == NULL || uname == NULL) {
			pengine_vmsg(v, PL_VERIFY_NOTE,
			    "Ignoring malformed node_state entry without %s",
			    sid == NULL ? "id" : "uname");
			continue;
		}
		for (size_t i = 0; i < n && !found; i++)
			if (ns[i].id && strcmp(ns[i].id, sid) == 0) {
				ns[i].state = st;
				found = true;
			}
	}

	for (size_t i = 0; i < n; i++) {
		struct node *nd = &ns[i];

		if (nd->remote)
			continue;
		if (nd->state == NULL) {
			if (v->stonith_enabled && v->startup_fencing)
				fence(v, nd, "node is unseen");
			continue;
		}
		if (v->stonith_enabled) {
			node_fencing_state(v, nd);
			failed_stops(v, nd);
			active_on_down_node(v, nd);
		} else
			node_state_without_fencing(v, nd);
		check_orphans(v, nd);
	}
	failure_timeout_block(v, ns, n);
	remote_connection_failures(v, ns, n);
	if (v->stonith_enabled)
		active_on_down_remote(v, ns, n);
	{
		size_t cluster_nodes = 0;
		GHashTableIter it;
		gpointer key, val;

		for (size_t i = 0; i < n; i++)
			if (!ns[i].remote)
				cluster_nodes++;
		g_hash_table_iter_init(&it, v->rsc);
		while (g_hash_table_iter_next(&it, &key, &val))
			if (pl_xml_is(val, "clone") || pl_xml_is(val, "master"))
				clone_orphans(v, val, ns, n, cluster_nodes);
	}
	if (!v->stonith_enabled && v->any_online) {
		bool any = false;

		for (size_t i = 0; i < n; i++)
			if (ns[i].unclean) {
				pengine_vmsg(v, PL_VERIFY_WARNING,
				    "Node %s is unclean but cannot be fenced",
				    ns[i].uname ? ns[i].uname : ns[i].id);
				any = true;
			}
		if (any)
			pengine_vmsg(v, PL_VERIFY_WARNING,
			    "Resource functionality and data integrity "
			    "cannot be guaranteed (configure, enable, and test fencing to correct "
			    "this)");
	}
	if (v->stonith_enabled) {
		/* Suicide only once quorum has been lost (no-quorum-panic set by the cluster), never
		 * in a cluster that was never quorate. */
		bool suicide = !v->have_quorum && v->no_quorum_policy &&
		    strcmp(v->no_quorum_policy, "suicide") == 0 &&
		    pengine_is_true(pl_xml_attr(v->root, "no-quorum-panic"));

		for (size_t i = 0; i < n; i++) {
			struct node *nd = &ns[i];

			if (nd->remote || nd->state == NULL || !nd->online)
				continue;
			if (suicide || ticket_lost_fence(v, nd))
				fence(v, nd,
				    suicide ? "cluster does not have quorum"
					    : "deadman ticket was lost");
		}
		for (size_t i = 0; i < n; i++) {
			struct node *nd = &ns[i];
			bool can = v->have_stonith &&
			    (v->have_quorum ||
				(v->no_quorum_policy && strcmp(v->no_quorum_policy, "ignore") == 0) ||
				nd->online);

			if (!nd->unclean)
				continue;
			if (can)
				pengine_vmsg(v, PL_VERIFY_WARNING, "Scheduling node %s for fencing",
				    nd->uname ? nd->uname : nd->id);
			else if (v->any_online) /* said by the scheduler running on a node */
				pengine_vmsg(v, PL_VERIFY_WARNING,
				    "Node %s is unclean but cannot be fenced",
				    nd->uname ? nd->uname : nd->id);
		}
	}
	free(ns);
}
