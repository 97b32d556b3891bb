/*
 * cib_verify.c - the configuration checks crm_verify runs after schema validation, with
 * Pacemaker 2.1.5's messages. Pacemaker's crm_verify runs its whole scheduler and reports
 * every configuration error or warning met on the way; this file reproduces the ones users
 * meet (see docs/design/cib.md for the list and what is not covered):
 *   configuration: STONITH enabled without devices, duplicate operations, on-fail not allowed
 *   for stop, target-role values, order kind, colocation influence, templates/tags in
 *   colocations, deprecated options (stonith-action=poweroff, restart-type, group ordered/
 *   collocated, require-all, symmetrical with Serialize, requires without fencing);
 *   status: nodes that would be fenced (lost peers, unseen nodes, failed stops, tickets lost
 *   with loss-policy=fence, no quorum with no-quorum-policy=suicide), active orphans, and
 *   recorded remote nodes no longer configured.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "paceline/xalloc.h"
#include "paceline/interval.h"
#include "cib_private.h"

struct vctx {
	const xmlNode *root, *config, *resources, *constraints, *status;
	struct pl_cib_verify_result *r;
	GHashTable *rsc;	/* id -> element (primitive, group, clone, master, bundle, template) */
	GHashTable *tags;	/* tag id -> element */
	GHashTable *warned;	/* once-only warnings already given */
	bool stonith_enabled, have_stonith, startup_fencing, have_quorum, stop_orphans;
	const char *no_quorum_policy;
};

static void msg(struct vctx *v, enum pl_cib_verify_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void msg(struct vctx *v, enum pl_cib_verify_level level, const char *fmt, ...)
{
	struct pl_cib_verify_result *r = v->r;
	va_list ap;

	r->msgs = xreallocarray(r->msgs, r->n_msgs + 1, sizeof(*r->msgs));
	va_start(ap, fmt);
	r->msgs[r->n_msgs].text = xvasprintf(fmt, ap);
	va_end(ap);
	r->msgs[r->n_msgs].level = level;
	r->n_msgs++;
	if (level == PL_CIB_VERIFY_ERROR)
		r->n_errors++;
	else if (level == PL_CIB_VERIFY_WARNING)
		r->n_warnings++;
}

static bool once(struct vctx *v, const char *key)
{
	if (g_hash_table_contains(v->warned, key))
		return false;
	g_hash_table_add(v->warned, xstrdup(key));
	return true;
}

static bool is_true(const char *s)
{
	return s != NULL && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
			     strcasecmp(s, "on") == 0 || strcasecmp(s, "y") == 0 ||
			     strcmp(s, "1") == 0);
}

static bool is_false(const char *s)
{
	return s != NULL && (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
			     strcasecmp(s, "off") == 0 || strcasecmp(s, "n") == 0 ||
			     strcmp(s, "0") == 0);
}

/* First value of name in the nvsets of kind below parent (rules are not evaluated). */
static const char *nv_lookup(const xmlNode *parent, const char *kind, const char *name)
{
	CIB_FOR_EACH_CHILD(parent, set) {
		if (!cib_name_is(set, kind))
			continue;
		CIB_FOR_EACH_CHILD(set, nv)
			if (cib_name_is(nv, "nvpair") && cib_attr(nv, "name") &&
			    strcmp(cib_attr(nv, "name"), name) == 0)
				return cib_attr(nv, "value");
	}
	return NULL;
}

static const char *property(struct vctx *v, const char *name)
{
	return nv_lookup(cib_child(v->config, "crm_config"), "cluster_property_set", name);
}

/* ---- resources ----------------------------------------------------------------------------- */

static void index_resources(struct vctx *v, const xmlNode *parent)
{
	CIB_FOR_EACH_CHILD(parent, c) {
		const char *id = cib_attr(c, "id");

		if (id == NULL)
			continue;
		if (cib_name_is(c, "primitive") || cib_name_is(c, "template")) {
			g_hash_table_insert(v->rsc, (gpointer)id, c);
			if (cib_attr(c, "class") && strcmp(cib_attr(c, "class"), "stonith") == 0)
				v->have_stonith = true;
		} else if (cib_name_is(c, "group") || cib_name_is(c, "clone") ||
			   cib_name_is(c, "master") || cib_name_is(c, "bundle")) {
			g_hash_table_insert(v->rsc, (gpointer)id, c);
			index_resources(v, c);
		}
	}
}

static bool promotable(const xmlNode *n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (cib_name_is(n, "master"))
			return true;
		if (cib_name_is(n, "clone") && is_true(nv_lookup(n, "meta_attributes", "promotable")))
			return true;
		if (cib_name_is(n, "bundle")) {
			xmlNode *c = cib_first_elem(n);

			for (; c; c = cib_next_elem(c))
				if (cib_attr(c, "promoted-max") || cib_attr(c, "masters"))
					return true;
		}
	}
	return false;
}

static bool valid_role(const char *r)
{
	static const char *const roles[] = { "Stopped", "Started", "Promoted", "Unpromoted",
					     "Master", "Slave", "Unknown", NULL };

	for (int i = 0; roles[i]; i++)
		if (strcasecmp(r, roles[i]) == 0)
			return true;
	return false;
}

static void check_target_role(struct vctx *v, const xmlNode *rsc)
{
	const char *role = nv_lookup(rsc, "meta_attributes", "target-role");
	const char *id = cib_attr(rsc, "id");

	if (role == NULL || strcasecmp(role, "default") == 0 || strcmp(role, "#default") == 0)
		return;
	if (!valid_role(role)) {
		msg(v, PL_CIB_VERIFY_ERROR, "Unknown role: %s", role);
		msg(v, PL_CIB_VERIFY_ERROR, "Ignoring 'target-role' for %s because '%s' is not valid",
		    id, role);
		return;
	}
	if ((strcasecmp(role, "Promoted") == 0 || strcasecmp(role, "Master") == 0 ||
	     strcasecmp(role, "Unpromoted") == 0 || strcasecmp(role, "Slave") == 0) &&
	    !promotable(rsc))
		msg(v, PL_CIB_VERIFY_ERROR, "Ignoring 'target-role' for %s because '%s' only makes "
		    "sense for promotable clones", id, role);
}

static void check_ops(struct vctx *v, const xmlNode *rsc)
{
	const xmlNode *ops = cib_child(rsc, "operations");
	const char *id = cib_attr(rsc, "id");
	const xmlNode *seen[256];
	long long seen_ms[256];
	int n = 0;

	CIB_FOR_EACH_CHILD(ops, op) {
		const char *name = cib_attr(op, "name"), *iv = cib_attr(op, "interval");
		const char *onfail = cib_attr(op, "on-fail");
		uint64_t ms = 0;
		struct pl_error e = PL_ERROR_INIT;

		if (!cib_name_is(op, "op") || name == NULL)
			continue;
		if (iv != NULL && !pl_interval_parse_ms(iv, &ms, &e)) {
			/* Pacemaker also reads "P40S" (no T) as 40 seconds here. */
			char *fixed = iv[0] == 'P' && iv[1] != 'T' ? xasprintf("PT%s", iv + 1) : NULL;
			struct pl_error e2 = PL_ERROR_INIT;

			if (fixed == NULL || !pl_interval_parse_ms(fixed, &ms, &e2)) {
				msg(v, PL_CIB_VERIFY_NOTE, "Using 0 instead of '%s'", iv);
				ms = 0;
			}
			free(fixed);
		}
		if (is_false(cib_attr(op, "enabled")) && ms > 0)
			continue;
		/* Only recurring operations are compared, as Pacemaker does. */
		for (int i = 0; i < n && ms > 0; i++)
			if (seen_ms[i] == (long long)ms && strcmp(cib_attr(seen[i], "name"), name) == 0)
				msg(v, PL_CIB_VERIFY_ERROR, "Operation %s is duplicate of %s (do not use "
				    "same name and interval combination more than once per resource)",
				    cib_attr(op, "id"), cib_attr(seen[i], "id"));
		if (n < 256) {
			seen[n] = op;
			seen_ms[n++] = (long long)ms;
		}
		if (strcmp(name, "stop") == 0 && onfail != NULL &&
		    (strcmp(onfail, "standby") == 0 || strcmp(onfail, "stop") == 0 ||
		     strcmp(onfail, "demote") == 0))
			msg(v, PL_CIB_VERIFY_ERROR, "Resetting 'on-fail' for %s stop action to default "
			    "value because '%s' is not allowed for stop", id, onfail);
	}
}

static void check_requires(struct vctx *v, const xmlNode *rsc, const char *requires)
{
	const char *id = cib_attr(rsc, "id");
	bool fence_dev = cib_attr(rsc, "class") && strcmp(cib_attr(rsc, "class"), "stonith") == 0;

	if (requires == NULL)
		return;
	if (strcmp(requires, "fencing") == 0 && !v->stonith_enabled)
		msg(v, PL_CIB_VERIFY_WARNING, "%s requires fencing but fencing is disabled", id);
	else if (strcmp(requires, "unfencing") == 0) {
		if (fence_dev)
			msg(v, PL_CIB_VERIFY_WARNING, "Resetting \"requires\" for %s to \"quorum\" "
			    "because fencing devices cannot require unfencing", id);
		else if (!v->stonith_enabled)
			msg(v, PL_CIB_VERIFY_WARNING, "Resetting \"requires\" for %s to \"quorum\" "
			    "because fencing is disabled", id);
	}
}

static void check_resource_tree(struct vctx *v, const xmlNode *parent, const char *dflt_requires)
{
	CIB_FOR_EACH_CHILD(parent, c) {
		const char *req;

		if (!(cib_name_is(c, "primitive") || cib_name_is(c, "group") ||
		      cib_name_is(c, "clone") || cib_name_is(c, "master") || cib_name_is(c, "bundle")))
			continue;
		if (nv_lookup(c, "meta_attributes", "restart-type") && once(v, "restart-type"))
			msg(v, PL_CIB_VERIFY_WARNING, "Support for restart-type is deprecated and will "
			    "be removed in a future release");
		check_target_role(v, c);
		if (cib_name_is(c, "group")) {
			static const char *const flags[] = { "ordered", "collocated" };

			for (int i = 0; i < 2; i++) {
				char key[64];

				snprintf(key, sizeof(key), "group-%s", flags[i]);
				/* Only the deprecated use, turning the behaviour off, is flagged. */
				if (is_false(nv_lookup(c, "meta_attributes", flags[i])) && once(v, key))
					msg(v, PL_CIB_VERIFY_WARNING, "Support for the '%s' group "
					    "meta-attribute is deprecated and will be removed in a "
					    "future release (use a resource set instead)", flags[i]);
			}
		}
		req = nv_lookup(c, "meta_attributes", "requires");
		if (cib_name_is(c, "primitive")) {
			check_ops(v, c);
			check_requires(v, c, req ? req : dflt_requires);
		} else
			check_resource_tree(v, c, req ? req : dflt_requires);
	}
}

/* ---- constraints --------------------------------------------------------------------------- */

static bool is_template_or_tag(struct vctx *v, const char *id)
{
	const xmlNode *r;

	if (id == NULL)
		return false;
	if (g_hash_table_contains(v->tags, id))
		return true;
	r = g_hash_table_lookup(v->rsc, id);
	return r != NULL && cib_name_is(r, "template");
}

static bool is_clone(struct vctx *v, const char *id)
{
	const xmlNode *r = id ? g_hash_table_lookup(v->rsc, id) : NULL;

	return r != NULL && (cib_name_is(r, "clone") || cib_name_is(r, "master"));
}

static void check_constraints(struct vctx *v)
{
	CIB_FOR_EACH_CHILD(v->constraints, c) {
		const char *id = cib_attr(c, "id");

		if (cib_name_is(c, "rsc_order")) {
			const char *kind = cib_attr(c, "kind"), *sym = cib_attr(c, "symmetrical");

			if (kind != NULL && strcasecmp(kind, "Mandatory") != 0 &&
			    strcasecmp(kind, "Optional") != 0 && strcasecmp(kind, "Serialize") != 0)
				msg(v, PL_CIB_VERIFY_ERROR, "Resetting 'kind' for constraint %s to "
				    "'Mandatory' because '%s' is not valid", id, kind);
			if (kind != NULL && strcasecmp(kind, "Serialize") == 0 && is_true(sym))
				msg(v, PL_CIB_VERIFY_WARNING, "Ignoring symmetrical for '%s' because not "
				    "valid with kind of 'Serialize'", id);
			CIB_FOR_EACH_CHILD(c, set) {
				const char *sk = cib_attr(set, "kind");

				if (cib_name_is(set, "resource_set") && sk &&
				    strcasecmp(sk, "Serialize") == 0 && is_true(sym))
					msg(v, PL_CIB_VERIFY_WARNING, "Ignoring symmetrical for '%s' "
					    "because not valid with kind of 'Serialize'", cib_attr(set, "id"));
			}
			if (cib_attr(c, "require-all") && is_clone(v, cib_attr(c, "first")) &&
			    nv_lookup(g_hash_table_lookup(v->rsc, cib_attr(c, "first")),
				      "meta_attributes", "clone-min") == NULL &&
			    once(v, "require-all"))
				msg(v, PL_CIB_VERIFY_WARNING, "Support for require-all in ordering "
				    "constraints is deprecated and will be removed in a future release "
				    "(use clone-min clone meta-attribute instead)");
		} else if (cib_name_is(c, "rsc_colocation")) {
			const char *inf = cib_attr(c, "influence");

			if (inf != NULL && !is_true(inf) && !is_false(inf))
				msg(v, PL_CIB_VERIFY_ERROR, "Constraint '%s' has invalid value for "
				    "influence (using default)", id);
			if (is_template_or_tag(v, cib_attr(c, "rsc")) &&
			    is_template_or_tag(v, cib_attr(c, "with-rsc")))
				msg(v, PL_CIB_VERIFY_ERROR, "Ignoring constraint '%s' because two "
				    "templates or tags cannot be colocated", id);
		}
	}
}

/* ---- status -------------------------------------------------------------------------------- */

struct node {
	const char *id, *uname;
	const xmlNode *state;
	bool remote, unclean, online;
};

/* Resources the cluster creates itself and never lists in the configuration. */
static bool generated_resource(struct vctx *v, const char *rid)
{
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, v->rsc);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		const xmlNode *r = val;
		const char *rn = key;
		size_t l = strlen(rn);

		if (cib_name_is(r, "bundle") && strncmp(rid, rn, l) == 0 && rid[l] == '-')
			return true;
		if (cib_name_is(r, "primitive")) {
			const char *rnode = nv_lookup(r, "meta_attributes", "remote-node");

			if (rnode != NULL && strcmp(rnode, rid) == 0)
				return true;
		}
	}
	return false;
}

static bool configured(struct vctx *v, const char *rid)
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
static const xmlNode *last_op(const xmlNode *lrm_rsc)
{
	const xmlNode *best = NULL;
	long best_call = -2;

	CIB_FOR_EACH_CHILD(lrm_rsc, op) {
		long call = cib_attr_long(op, "call-id", -1);

		if (!cib_name_is(op, "lrm_rsc_op"))
			continue;
		if (call > best_call) {
			best_call = call;
			best = op;
		}
	}
	return best;
}

static bool op_leaves_active(const xmlNode *op)
{
	const char *task = cib_attr(op, "operation");
	long rc = cib_attr_long(op, "rc-code", 0);

	if (task == NULL)
		return false;
	if (strcmp(task, "stop") == 0 && rc == 0)
		return false;
	if (strcmp(task, "migrate_to") == 0 && rc == 0)
		return false;
	if (rc == 7)
		return false;	/* not running */
	if (strcmp(task, "start") == 0 && rc == 5)
		return false;
	return true;
}

static void fence(struct vctx *v, struct node *n, const char *reason)
{
	if (n->unclean)
		return;
	n->unclean = true;
	(void)v;
	(void)reason;
}

static void node_fencing_state(struct vctx *v, struct node *n)
{
	const xmlNode *s = n->state;
	const char *join = cib_attr(s, "join"), *crmd = cib_attr(s, "crmd");
	const char *in_ccm = cib_attr(s, "in_ccm"), *expected = cib_attr(s, "expected");
	bool crmd_online = crmd && strcasecmp(crmd, "online") == 0;
	bool terminate = false;
	const xmlNode *ta = cib_child(s, "transient_attributes");
	const char *term = ta ? nv_lookup(ta, "instance_attributes", "terminate") : NULL;

	if (term != NULL && (is_true(term) || (term[0] >= '1' && term[0] <= '9')))
		terminate = true;
	n->online = is_true(in_ccm);
	if (!crmd_online && in_ccm == NULL)
		fence(v, n, "peer has not been seen by the cluster");
	if (join && strcasecmp(join, "banned") == 0)
		fence(v, n, "peer failed Pacemaker membership criteria");
	else if (!terminate && (expected == NULL || strcasecmp(expected, "member") != 0))
		;	/* not expected up (down, shutting down, never joined): clean */
	else if (terminate && join && strcasecmp(join, "down") == 0 && !is_true(in_ccm) &&
		 !crmd_online)
		n->online = false;	/* just shot */
	else if (!is_true(in_ccm))
		fence(v, n, "peer is no longer part of the cluster");
	else if (!crmd_online)
		fence(v, n, "peer process is no longer available");
	else if (terminate)
		fence(v, n, "termination was requested");
	else if (join && (strcasecmp(join, "member") == 0 || strcasecmp(join, "pending") == 0 ||
			  strcasecmp(join, "down") == 0))
		;
	else
		fence(v, n, "peer was in an unknown state");
}

/* Failed stops (the newest op of a resource is a failed stop) fence the node. */
static void failed_stops(struct vctx *v, struct node *n)
{
	const xmlNode *lrm = cib_child(n->state, "lrm");
	const xmlNode *rscs = cib_child(lrm, "lrm_resources");

	CIB_FOR_EACH_CHILD(rscs, lr) {
		const xmlNode *op = last_op(lr);
		const xmlNode *cfg;
		const char *rid = cib_attr(lr, "id");

		if (op == NULL || cib_attr(op, "operation") == NULL ||
		    strcmp(cib_attr(op, "operation"), "stop") != 0)
			continue;
		if (cib_attr_long(op, "rc-code", 0) == 0 || cib_attr_long(op, "op-status", 0) == -1)
			continue;
		cfg = rid ? g_hash_table_lookup(v->rsc, rid) : NULL;
		if (cfg != NULL) {
			const xmlNode *ops = cib_child(cfg, "operations");
			bool overridden = false;

			CIB_FOR_EACH_CHILD(ops, o)
				if (cib_attr(o, "name") && strcmp(cib_attr(o, "name"), "stop") == 0 &&
				    cib_attr(o, "on-fail") && strcmp(cib_attr(o, "on-fail"), "fence") != 0)
					overridden = true;
			if (overridden)
				continue;
		}
		fence(v, n, "failed there");
	}
}

static void check_orphans(struct vctx *v, struct node *n)
{
	const xmlNode *lrm = cib_child(n->state, "lrm");
	const xmlNode *rscs = cib_child(lrm, "lrm_resources");

	CIB_FOR_EACH_CHILD(rscs, lr) {
		const char *rid = cib_attr(lr, "id");
		const xmlNode *op;

		if (rid == NULL || configured(v, rid))
			continue;
		op = last_op(lr);
		if (op == NULL || !op_leaves_active(op))
			continue;
		if (v->stop_orphans)
			msg(v, PL_CIB_VERIFY_WARNING, "Detected active orphan %s running on %s", rid,
			    n->uname ? n->uname : n->id);
		else
			msg(v, PL_CIB_VERIFY_WARNING, "Resource '%s' must be stopped manually on %s "
			    "because cluster is configured not to stop active orphans", rid,
			    n->uname ? n->uname : n->id);
	}
}

/* Is rid (or, for a collective resource, one of its primitives) active on the node? */
static bool rsc_active_on(struct vctx *v, const char *rid, const struct node *n)
{
	const xmlNode *cfg = g_hash_table_lookup(v->rsc, rid);
	const xmlNode *rscs = cib_child(cib_child(n->state, "lrm"), "lrm_resources");

	if (cfg == NULL)
		return false;
	CIB_FOR_EACH_CHILD(rscs, lr) {
		const char *lid = cib_attr(lr, "id");
		char base[512];
		const char *colon;
		const xmlNode *prim, *op;

		if (lid == NULL)
			continue;
		colon = strchr(lid, ':');
		snprintf(base, sizeof(base), "%.*s", colon ? (int)(colon - lid) : (int)strlen(lid), lid);
		prim = g_hash_table_lookup(v->rsc, base);
		for (; prim != NULL && prim->type == XML_ELEMENT_NODE && prim != cfg; prim = prim->parent)
			;
		if (prim != cfg)
			continue;
		op = last_op(lr);
		if (op != NULL && op_leaves_active(op))
			return true;
	}
	return false;
}

/* A ticket that is revoked (recorded as not granted) fences the nodes where a resource that
 * depends on it with loss-policy=fence is active. */
static bool ticket_lost_fence(struct vctx *v, const struct node *n)
{
	const xmlNode *tickets = cib_child(v->status, "tickets");

	CIB_FOR_EACH_CHILD(v->constraints, c) {
		const char *t = cib_attr(c, "ticket");
		bool granted = false;

		if (!cib_name_is(c, "rsc_ticket") || t == NULL || cib_attr(c, "loss-policy") == NULL ||
		    strcmp(cib_attr(c, "loss-policy"), "fence") != 0)
			continue;
		bool recorded = false;

		CIB_FOR_EACH_CHILD(tickets, ts)
			if (cib_attr(ts, "id") && strcmp(cib_attr(ts, "id"), t) == 0) {
				granted = is_true(cib_attr(ts, "granted"));
				recorded = true;
			}
		if (!recorded || granted)
			continue;
		if (cib_attr(c, "rsc") && rsc_active_on(v, cib_attr(c, "rsc"), n))
			return true;
		CIB_FOR_EACH_CHILD(c, set)
			CIB_FOR_EACH_CHILD(set, ref)
				if (cib_attr(ref, "id") && rsc_active_on(v, cib_attr(ref, "id"), n))
					return true;
	}
	return false;
}

/* Active instances of a clone beyond clone-max are orphans. Anonymous clones count the
 * nodes where an instance is active; globally unique ones count instance numbers. */
static void clone_orphans(struct vctx *v, const xmlNode *clone, struct node *ns, size_t n,
			  size_t cluster_nodes)
{
	const char *cm = nv_lookup(clone, "meta_attributes", "clone-max");
	bool unique = is_true(nv_lookup(clone, "meta_attributes", "globally-unique"));
	long max = cm ? strtol(cm, NULL, 10) : (long)cluster_nodes;
	const xmlNode *child = NULL;
	const xmlNode *prims[64];
	int np = 0;

	CIB_FOR_EACH_CHILD(clone, c)
		if (cib_name_is(c, "primitive") || cib_name_is(c, "group"))
			child = c;
	if (child == NULL)
		return;
	if (cib_name_is(child, "primitive"))
		prims[np++] = child;
	else
		CIB_FOR_EACH_CHILD(child, c)
			if (cib_name_is(c, "primitive") && np < 64)
				prims[np++] = c;
	for (int p = 0; p < np; p++) {
		const char *pid = cib_attr(prims[p], "id");
		size_t pl = strlen(pid);
		long active_nodes = 0;

		for (size_t i = 0; i < n; i++) {
			const xmlNode *rscs = cib_child(cib_child(ns[i].state, "lrm"), "lrm_resources");
			bool here = false;

			CIB_FOR_EACH_CHILD(rscs, lr) {
				const char *lid = cib_attr(lr, "id");
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
						msg(v, PL_CIB_VERIFY_WARNING, "Detected active orphan %s "
						    "running on %s", lid, ns[i].uname ? ns[i].uname : ns[i].id);
				} else if (!here) {
					here = true;
					if (++active_nodes > max)
						msg(v, PL_CIB_VERIFY_WARNING, "Detected active orphan %s "
						    "running on %s", lid, ns[i].uname ? ns[i].uname : ns[i].id);
				}
			}
		}
	}
}

static void check_status(struct vctx *v)
{
	const xmlNode *nodes = cib_child(v->config, "nodes");
	struct node *ns = NULL;
	size_t n = 0;

	CIB_FOR_EACH_CHILD(nodes, nd) {
		const char *type = cib_attr(nd, "type");

		if (!cib_name_is(nd, "node") || (type && strcmp(type, "ping") == 0))
			continue;
		ns = xreallocarray(ns, n + 1, sizeof(*ns));
		ns[n] = (struct node){ .id = cib_attr(nd, "id"), .uname = cib_attr(nd, "uname"),
				       .remote = type && strcmp(type, "remote") == 0 };
		n++;
	}
	CIB_FOR_EACH_CHILD(v->status, st) {
		const char *sid = cib_attr(st, "id"), *uname = cib_attr(st, "uname");
		bool found = false;

		if (!cib_name_is(st, "node_state"))
			continue;
		if (is_true(cib_attr(st, "remote_node"))) {
			if (sid && !configured(v, sid))
				msg(v, PL_CIB_VERIFY_WARNING, "Ignoring recorded node state for '%s' "
				    "because it is no longer in the configuration", sid);
			continue;
		}
		if (sid == NULL || uname == NULL) {
			msg(v, PL_CIB_VERIFY_WARNING, "Ignoring malformed node_state entry without %s",
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
		} else
			nd->online = is_true(cib_attr(nd->state, "in_ccm"));
		check_orphans(v, nd);
	}
	{
		size_t cluster_nodes = 0;
		GHashTableIter it;
		gpointer key, val;

		for (size_t i = 0; i < n; i++)
			if (!ns[i].remote)
				cluster_nodes++;
		g_hash_table_iter_init(&it, v->rsc);
		while (g_hash_table_iter_next(&it, &key, &val))
			if (cib_name_is(val, "clone") || cib_name_is(val, "master"))
				clone_orphans(v, val, ns, n, cluster_nodes);
	}
	if (v->stonith_enabled) {
		/* Suicide only once quorum has been lost (no-quorum-panic set by the cluster), never
		 * in a cluster that was never quorate. */
		bool suicide = !v->have_quorum && v->no_quorum_policy &&
			       strcmp(v->no_quorum_policy, "suicide") == 0 &&
			       is_true(cib_attr(v->root, "no-quorum-panic"));

		for (size_t i = 0; i < n; i++) {
			struct node *nd = &ns[i];

			if (nd->remote || nd->state == NULL || !nd->online)
				continue;
			if (suicide || ticket_lost_fence(v, nd))
				fence(v, nd, suicide ? "cluster does not have quorum" : "deadman ticket was lost");
		}
		for (size_t i = 0; i < n; i++) {
			struct node *nd = &ns[i];
			bool can = v->have_stonith &&
				   (v->have_quorum || (v->no_quorum_policy &&
						       strcmp(v->no_quorum_policy, "ignore") == 0) ||
				    nd->online);

			if (!nd->unclean)
				continue;
			if (can)
				msg(v, PL_CIB_VERIFY_WARNING, "Scheduling node %s for fencing",
				    nd->uname ? nd->uname : nd->id);
			else
				msg(v, PL_CIB_VERIFY_WARNING, "Node %s is unclean but cannot be fenced",
				    nd->uname ? nd->uname : nd->id);
		}
	}
	free(ns);
}

/* ---- entry point --------------------------------------------------------------------------- */

void pl_cib_verify(const xmlNode *root, struct pl_cib_verify_result *r)
{
	struct vctx v = { .root = root, .r = r };
	const char *p;

	memset(r, 0, sizeof(*r));
	v.config = cib_child(root, "configuration");
	v.resources = cib_child(v.config, "resources");
	v.constraints = cib_child(v.config, "constraints");
	v.status = cib_child(root, "status");
	v.rsc = g_hash_table_new(g_str_hash, g_str_equal);
	v.tags = g_hash_table_new(g_str_hash, g_str_equal);
	v.warned = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	index_resources(&v, v.resources);
	CIB_FOR_EACH_CHILD(cib_child(v.config, "tags"), t)
		if (cib_attr(t, "id"))
			g_hash_table_insert(v.tags, (gpointer)cib_attr(t, "id"), t);

	p = property(&v, "stonith-enabled");
	v.stonith_enabled = p == NULL || !is_false(p);
	p = property(&v, "startup-fencing");
	v.startup_fencing = p == NULL || !is_false(p);
	p = property(&v, "stop-orphan-resources");
	v.stop_orphans = p == NULL || !is_false(p);
	v.have_quorum = is_true(cib_attr(root, "have-quorum"));
	v.no_quorum_policy = property(&v, "no-quorum-policy");

	p = property(&v, "stonith-action");
	if (p != NULL && strcmp(p, "poweroff") == 0)
		msg(&v, PL_CIB_VERIFY_WARNING, "Support for stonith-action of 'poweroff' is deprecated "
		    "and will be removed in a future release (use 'off' instead)");
	/* A watchdog (SBD) fences without any STONITH resource. */
	if (v.stonith_enabled && !v.have_stonith && !is_true(property(&v, "have-watchdog"))) {
		msg(&v, PL_CIB_VERIFY_ERROR, "Resource start-up disabled since no STONITH resources "
		    "have been defined");
		msg(&v, PL_CIB_VERIFY_ERROR, "Either configure some or disable STONITH with the "
		    "stonith-enabled option");
		msg(&v, PL_CIB_VERIFY_ERROR, "NOTE: Clusters with shared data need STONITH to ensure "
		    "data integrity");
	}
	check_resource_tree(&v, v.resources,
			    nv_lookup(cib_child(v.config, "rsc_defaults"), "meta_attributes", "requires"));
	check_constraints(&v);
	check_status(&v);

	g_hash_table_destroy(v.rsc);
	g_hash_table_destroy(v.tags);
	g_hash_table_destroy(v.warned);
}

void pl_cib_verify_result_free(struct pl_cib_verify_result *r)
{
	for (size_t i = 0; i < r->n_msgs; i++)
		free(r->msgs[i].text);
	free(r->msgs);
	memset(r, 0, sizeof(*r));
}
