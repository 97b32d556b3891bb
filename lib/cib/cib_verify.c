/*
 * cib_verify.c - the configuration checks crm_verify runs after schema validation, with
 * Pacemaker 2.1.5's messages. Pacemaker's crm_verify runs its whole scheduler and reports
 * every configuration error or warning met on the way; this file reproduces the ones users
 * meet (see docs/design/cib.md for the list and what is not covered):
 *   configuration: STONITH enabled without devices, duplicate operations, on-fail not allowed
 *   for stop, target-role values, order kind, colocation influence, templates/tags in
 *   colocations, deprecated options (stonith-action=poweroff, restart-type, group ordered/
 *   collocated, require-all, symmetrical with Serialize, requires without fencing).
 * The checks that come from the status section are in cib_verify_status.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "paceline/xalloc.h"
#include "paceline/interval.h"
#include "cib_verify.h"

void
pl__cib_vmsg(struct vctx *v, enum pl_cib_verify_level level, const char *fmt, ...)
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

static bool
once(struct vctx *v, const char *key)
{
	if (g_hash_table_contains(v->warned, key))
		return false;
	g_hash_table_add(v->warned, xstrdup(key));
	return true;
}

bool
pl__cib_is_true(const char *s)
{
	return s != NULL &&
	    (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || strcasecmp(s, "on") == 0 ||
		strcasecmp(s, "y") == 0 || strcmp(s, "1") == 0);
}

bool
pl__cib_is_false(const char *s)
{
	return s != NULL &&
	    (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 || strcasecmp(s, "off") == 0 ||
		strcasecmp(s, "n") == 0 || strcmp(s, "0") == 0);
}

/* First value of name in the nvsets of kind below parent (rules are not evaluated). */
const char *
pl__cib_nv_lookup(const xmlNode *parent, const char *kind, const char *name)
{
	CIB_FOR_EACH_CHILD (parent, set) {
		if (!cib_name_is(set, kind))
			continue;
		CIB_FOR_EACH_CHILD (set, nv)
			if (cib_name_is(nv, "nvpair") && cib_attr(nv, "name") &&
			    strcmp(cib_attr(nv, "name"), name) == 0)
				return cib_attr(nv, "value");
	}
	return NULL;
}

const char *
pl__cib_property(struct vctx *v, const char *name)
{
	return pl__cib_nv_lookup(cib_child(v->config, "crm_config"), "cluster_property_set", name);
}

/* ---- resources ----------------------------------------------------------------------------- */

static void
index_resources(struct vctx *v, const xmlNode *parent)
{
	CIB_FOR_EACH_CHILD (parent, c) {
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

static bool
promotable(const xmlNode *n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (cib_name_is(n, "master"))
			return true;
		if (cib_name_is(n, "clone") &&
		    pl__cib_is_true(pl__cib_nv_lookup(n, "meta_attributes", "promotable")))
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

static bool
valid_role(const char *r)
{
	static const char *const roles[] = { "Stopped", "Started", "Promoted", "Unpromoted",
		"Master", "Slave", "Unknown", NULL };

	for (int i = 0; roles[i]; i++)
		if (strcasecmp(r, roles[i]) == 0)
			return true;
	return false;
}

static void
check_target_role(struct vctx *v, const xmlNode *rsc)
{
	const char *role = pl__cib_nv_lookup(rsc, "meta_attributes", "target-role");
	const char *id = cib_attr(rsc, "id");

	if (role == NULL || strcasecmp(role, "default") == 0 || strcmp(role, "#default") == 0)
		return;
	if (!valid_role(role)) {
		pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR, "Unknown role: %s", role);
		pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
		    "Ignoring 'target-role' for %s because '%s' is not valid", id, role);
		return;
	}
	if ((strcasecmp(role, "Promoted") == 0 || strcasecmp(role, "Master") == 0 ||
		strcasecmp(role, "Unpromoted") == 0 || strcasecmp(role, "Slave") == 0) &&
	    !promotable(rsc))
		pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
		    "Ignoring 'target-role' for %s because '%s' only makes "
		    "sense for promotable clones",
		    id, role);
}

static void
check_ops(struct vctx *v, const xmlNode *rsc)
{
	const xmlNode *ops = cib_child(rsc, "operations");
	const char *id = cib_attr(rsc, "id");
	const xmlNode *seen[256];
	long long seen_ms[256];
	int n = 0;

	CIB_FOR_EACH_CHILD (ops, op) {
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
				pl__cib_vmsg(v, PL_CIB_VERIFY_NOTE, "Using 0 instead of '%s'", iv);
				ms = 0;
			}
			free(fixed);
		}
		if (pl__cib_is_false(cib_attr(op, "enabled")) && ms > 0)
			continue;
		/* Only recurring operations are compared, and only when they would be scheduled
		 * (some node is up), as Pacemaker does. */
		for (int i = 0; i < n && ms > 0 && v->any_online; i++)
			if (seen_ms[i] == (long long)ms &&
			    strcmp(cib_attr(seen[i], "name"), name) == 0)
				pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
				    "Operation %s is duplicate of %s (do not use "
				    "same name and interval combination more than once per "
				    "resource)",
				    cib_attr(op, "id"), cib_attr(seen[i], "id"));
		if (n < 256) {
			seen[n] = op;
			seen_ms[n++] = (long long)ms;
		}
		/* on-fail=fence needs fencing; Pacemaker says so for each action it creates. */
		if (onfail != NULL && strcmp(onfail, "fence") == 0 && !v->stonith_enabled &&
		    v->any_online &&
		    (strcmp(name, "stop") != 0 || pl__cib_rsc_active_anywhere(v, rsc)))
			pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
			    "Resetting 'on-fail' for operation '%s_%s_%llu' "
			    "to 'stop' because 'fence' is not valid when fencing is disabled",
			    id, name, (unsigned long long)ms);
		/* Pacemaker looks at on-fail when it creates a stop: only for active resources. */
		if (strcmp(name, "stop") == 0 && onfail != NULL &&
		    pl__cib_rsc_active_anywhere(v, rsc) &&
		    (strcmp(onfail, "standby") == 0 || strcmp(onfail, "stop") == 0 ||
			strcmp(onfail, "demote") == 0))
			pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
			    "Resetting 'on-fail' for %s stop action to default "
			    "value because '%s' is not allowed for stop",
			    id, onfail);
	}
}

static void
check_requires(struct vctx *v, const xmlNode *rsc, const char *requires)
{
	const char *id = cib_attr(rsc, "id");
	bool fence_dev = cib_attr(rsc, "class") && strcmp(cib_attr(rsc, "class"), "stonith") == 0;

	/* A fence device that provides unfencing makes every other resource require it. */
	if (requires == NULL && !fence_dev && v->have_unfencing)
	requires = "unfencing";
	if (requires == NULL)
		return;
	if (strcmp(requires, "fencing") == 0 && !v->stonith_enabled)
		pl__cib_vmsg(
		    v, PL_CIB_VERIFY_WARNING, "%s requires fencing but fencing is disabled", id);
	else if (strcmp(requires, "unfencing") == 0) {
		if (fence_dev)
			pl__cib_vmsg(v, PL_CIB_VERIFY_WARNING,
			    "Resetting \"requires\" for %s to \"quorum\" "
			    "because fencing devices cannot require unfencing",
			    id);
		else if (!v->stonith_enabled)
			pl__cib_vmsg(v, PL_CIB_VERIFY_WARNING,
			    "Resetting \"requires\" for %s to \"quorum\" "
			    "because fencing is disabled",
			    id);
	}
}

static void
check_resource_tree(struct vctx *v, const xmlNode *parent, const char *dflt_requires)
{
	CIB_FOR_EACH_CHILD (parent, c) {
		const char *req;

		if (!(cib_name_is(c, "primitive") || cib_name_is(c, "group") ||
			cib_name_is(c, "clone") || cib_name_is(c, "master") ||
			cib_name_is(c, "bundle")))
			continue;
		if (pl__cib_nv_lookup(c, "meta_attributes", "restart-type") && once(v, "restart-type"))
			pl__cib_vmsg(v, PL_CIB_VERIFY_WARNING,
			    "Support for restart-type is deprecated and will "
			    "be removed in a future release");
		check_target_role(v, c);
		if (cib_name_is(c, "group")) {
			static const char *const flags[] = { "ordered", "collocated" };

			for (int i = 0; i < 2; i++) {
				char key[64];

				snprintf(key, sizeof(key), "group-%s", flags[i]);
				/* Only the deprecated use, turning the behaviour off, is flagged. */
				if (pl__cib_is_false(
					pl__cib_nv_lookup(c, "meta_attributes", flags[i])) &&
				    once(v, key))
					pl__cib_vmsg(v, PL_CIB_VERIFY_WARNING,
					    "Support for the '%s' group "
					    "meta-attribute is deprecated and will be removed in a "
					    "future release (use a resource set instead)",
					    flags[i]);
			}
		}
		req = pl__cib_nv_lookup(c, "meta_attributes", "requires");
		if (cib_name_is(c, "primitive")) {
			check_ops(v, c);
			check_requires(v, c, req ? req : dflt_requires);
		} else
			check_resource_tree(v, c, req ? req : dflt_requires);
	}
}

/* ---- constraints --------------------------------------------------------------------------- */

static bool
is_template_or_tag(struct vctx *v, const char *id)
{
	const xmlNode *r;

	if (id == NULL)
		return false;
	if (g_hash_table_contains(v->tags, id))
		return true;
	r = g_hash_table_lookup(v->rsc, id);
	return r != NULL && cib_name_is(r, "template");
}

static bool
is_clone(struct vctx *v, const char *id)
{
	const xmlNode *r = id ? g_hash_table_lookup(v->rsc, id) : NULL;

	return r != NULL && (cib_name_is(r, "clone") || cib_name_is(r, "master"));
}

static void
check_constraints(struct vctx *v)
{
	CIB_FOR_EACH_CHILD (v->constraints, c) {
		const char *id = cib_attr(c, "id");

		if (cib_name_is(c, "rsc_order")) {
			const char *kind = cib_attr(c, "kind"), *sym = cib_attr(c, "symmetrical");

			if (kind != NULL && strcasecmp(kind, "Mandatory") != 0 &&
			    strcasecmp(kind, "Optional") != 0 && strcasecmp(kind, "Serialize") != 0)
				pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
				    "Resetting 'kind' for constraint %s to "
				    "'Mandatory' because '%s' is not valid",
				    id, kind);
			if (kind != NULL && strcasecmp(kind, "Serialize") == 0 && pl__cib_is_true(sym))
				pl__cib_vmsg(v, PL_CIB_VERIFY_WARNING,
				    "Ignoring symmetrical for '%s' because not "
				    "valid with kind of 'Serialize'",
				    id);
			CIB_FOR_EACH_CHILD (c, set) {
				const char *sk = cib_attr(set, "kind");

				if (cib_name_is(set, "resource_set") && sk &&
				    strcasecmp(sk, "Serialize") == 0 && pl__cib_is_true(sym))
					pl__cib_vmsg(v, PL_CIB_VERIFY_WARNING,
					    "Ignoring symmetrical for '%s' "
					    "because not valid with kind of 'Serialize'",
					    cib_attr(set, "id"));
			}
			if (cib_attr(c, "require-all") && is_clone(v, cib_attr(c, "first")) &&
			    pl__cib_nv_lookup(g_hash_table_lookup(v->rsc, cib_attr(c, "first")),
				"meta_attributes", "clone-min") == NULL &&
			    once(v, "require-all"))
				pl__cib_vmsg(v, PL_CIB_VERIFY_WARNING,
				    "Support for require-all in ordering "
				    "constraints is deprecated and will be removed in a future "
				    "release "
				    "(use clone-min clone meta-attribute instead)");
		} else if (cib_name_is(c, "rsc_ticket")) {
			const char *lp = cib_attr(c, "loss-policy");

			if (lp != NULL && strcmp(lp, "fence") == 0 && !v->stonith_enabled)
				pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
				    "Resetting 'loss-policy' for ticket '%s' to "
				    "'stop' because fencing is not configured",
				    cib_attr(c, "ticket"));
		} else if (cib_name_is(c, "rsc_colocation")) {
			const char *inf = cib_attr(c, "influence");

			if (inf != NULL && !pl__cib_is_true(inf) && !pl__cib_is_false(inf))
				pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
				    "Constraint '%s' has invalid value for "
				    "influence (using default)",
				    id);
			if (is_template_or_tag(v, cib_attr(c, "rsc")) &&
			    is_template_or_tag(v, cib_attr(c, "with-rsc")))
				pl__cib_vmsg(v, PL_CIB_VERIFY_ERROR,
				    "Ignoring constraint '%s' because two "
				    "templates or tags cannot be colocated",
				    id);
		}
	}
}

/* ---- entry point --------------------------------------------------------------------------- */

void
pl_cib_verify(const xmlNode *root, struct pl_cib_verify_result *r)
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
	CIB_FOR_EACH_CHILD (cib_child(v.config, "tags"), t)
		if (cib_attr(t, "id"))
			g_hash_table_insert(v.tags, (gpointer)cib_attr(t, "id"), t);

	p = pl__cib_property(&v, "stonith-enabled");
	v.stonith_enabled = p == NULL || !pl__cib_is_false(p);
	p = pl__cib_property(&v, "startup-fencing");
	v.startup_fencing = p == NULL || !pl__cib_is_false(p);
	p = pl__cib_property(&v, "stop-orphan-resources");
	v.stop_orphans = p == NULL || !pl__cib_is_false(p);
	v.have_quorum = pl__cib_is_true(cib_attr(root, "have-quorum"));
	v.no_quorum_policy = pl__cib_property(&v, "no-quorum-policy");
	v.any_online = pl__cib_any_node_online(&v);

	p = pl__cib_property(&v, "stonith-action");
	if (p != NULL && strcmp(p, "poweroff") == 0)
		pl__cib_vmsg(&v, PL_CIB_VERIFY_WARNING,
		    "Support for stonith-action of 'poweroff' is deprecated "
		    "and will be removed in a future release (use 'off' instead)");
	if (!v.stonith_enabled && v.no_quorum_policy != NULL &&
	    strcmp(v.no_quorum_policy, "suicide") == 0)
		pl__cib_vmsg(&v, PL_CIB_VERIFY_ERROR,
		    "Resetting no-quorum-policy to 'stop' because fencing "
		    "is disabled");
	/* A watchdog (SBD) fences without any STONITH resource. */
	if (v.stonith_enabled && !v.have_stonith &&
	    !pl__cib_is_true(pl__cib_property(&v, "have-watchdog"))) {
		pl__cib_vmsg(&v, PL_CIB_VERIFY_ERROR,
		    "Resource start-up disabled since no STONITH resources "
		    "have been defined");
		pl__cib_vmsg(&v, PL_CIB_VERIFY_ERROR,
		    "Either configure some or disable STONITH with the "
		    "stonith-enabled option");
		pl__cib_vmsg(&v, PL_CIB_VERIFY_ERROR,
		    "NOTE: Clusters with shared data need STONITH to ensure "
		    "data integrity");
	}
	{
		GHashTableIter it;
		gpointer key, val;

		g_hash_table_iter_init(&it, v.rsc);
		while (g_hash_table_iter_next(&it, &key, &val)) {
			const xmlNode *dev = val;
			const char *prov = pl__cib_nv_lookup(dev, "meta_attributes", "provides");

			if (prov == NULL)
				prov = pl__cib_nv_lookup(dev, "instance_attributes", "provides");
			if (cib_name_is(dev, "primitive") && cib_attr(dev, "class") &&
			    strcmp(cib_attr(dev, "class"), "stonith") == 0 && prov != NULL &&
			    strcmp(prov, "unfencing") == 0)
				v.have_unfencing = true;
		}
	}
	check_resource_tree(&v, v.resources,
	    pl__cib_nv_lookup(cib_child(v.config, "rsc_defaults"), "meta_attributes", "requires"));
	check_constraints(&v);
	pl__cib_verify_status(&v);

	g_hash_table_destroy(v.rsc);
	g_hash_table_destroy(v.tags);
	g_hash_table_destroy(v.warned);
}

void
pl_cib_verify_result_free(struct pl_cib_verify_result *r)
{
	for (size_t i = 0; i < r->n_msgs; i++)
		free(r->msgs[i].text);
	free(r->msgs);
	memset(r, 0, sizeof(*r));
}
