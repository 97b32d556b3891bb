/*
 * verify.c - crm_verify's checks: what the scheduler met while it read the CIB (its log:
 * pengine_log) and, read from the CIB's XML, the configuration problems Pacemaker 2.1.5 reports
 * on the way through its scheduler, in its words (see docs/design/pengine.md):
 *   configuration: STONITH enabled without devices, duplicate operations, on-fail not allowed
 *   for stop, target-role values, order kind, colocation influence, templates/tags in
 *   colocations, deprecated options (stonith-action=poweroff, restart-type, group ordered/
 *   collocated, require-all, symmetrical with Serialize, requires without fencing).
 * The checks that come from the status section are in verify_status.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "paceline/xalloc.h"
#include "paceline/interval.h"
#include "pengine_private.h"
#include "verify.h"

void
pengine_vmsg(struct pengine_vctx *v, enum pl_pengine_verify_level level, const char *fmt, ...)
{
	struct pl_pengine_verify_result *r = v->r;
	va_list ap;

	r->msgs = xreallocarray(r->msgs, r->n_msgs + 1, sizeof(*r->msgs));
	va_start(ap, fmt);
	r->msgs[r->n_msgs].text = xvasprintf(fmt, ap);
	va_end(ap);
	r->msgs[r->n_msgs].level = level;
	r->n_msgs++;
	if (level == PL_VERIFY_ERROR)
		r->n_errors++;
	else if (level == PL_VERIFY_WARNING)
		r->n_warnings++;
}

static bool
once(struct pengine_vctx *v, const char *key)
{
	if (g_hash_table_contains(v->warned, key))
		return false;
	g_hash_table_add(v->warned, xstrdup(key));
	return true;
}

bool
pengine_vis_false(const char *s)
{
	return s != NULL &&
	    (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 || strcasecmp(s, "off") == 0 ||
		strcasecmp(s, "n") == 0 || strcmp(s, "0") == 0);
}

long long
pengine_vattr_long(const xmlNode *n, const char *name, long long dflt)
{
	long long v;
	return pl_xml_attr_int(n, name, dflt, &v, NULL) ? v : dflt;
}

/* First value of name in the nvsets of kind below parent (rules are not evaluated). */
const char *
pengine_vnv_lookup(const xmlNode *parent, const char *kind, const char *name)
{
	PL_XML_FOREACH_CHILD(parent, NULL, set)
	{
		if (!pl_xml_is(set, kind))
			continue;
		PL_XML_FOREACH_CHILD(set, NULL, nv)
		if (pl_xml_is(nv, "nvpair") && pl_xml_attr(nv, "name") &&
		    strcmp(pl_xml_attr(nv, "name"), name) == 0)
			return pl_xml_attr(nv, "value");
	}
	return NULL;
}

const char *
pengine_vproperty(struct pengine_vctx *v, const char *name)
{
	return pengine_vnv_lookup(
	    pl_xml_first_child(v->config, "crm_config"), "cluster_property_set", name);
}

/* ---- resources ----------------------------------------------------------------------------- */

static void
index_resources(struct pengine_vctx *v, const xmlNode *parent)
{
	PL_XML_FOREACH_CHILD(parent, NULL, c)
	{
		const char *id = pl_xml_attr(c, "id");

		if (id == NULL)
			continue;
		if (pl_xml_is(c, "primitive") || pl_xml_is(c, "template")) {
			g_hash_table_insert(v->rsc, (gpointer)id, c);
			if (pl_xml_attr(c, "class") && strcmp(pl_xml_attr(c, "class"), "stonith") == 0)
				v->have_stonith = true;
		} else if (pl_xml_is(c, "group") || pl_xml_is(c, "clone") ||
		    pl_xml_is(c, "master") || pl_xml_is(c, "bundle")) {
			g_hash_table_insert(v->rsc, (gpointer)id, c);
			index_resources(v, c);
		}
	}
}

static bool
promotable(const xmlNode *n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (pl_xml_is(n, "master"))
			return true;
		if (pl_xml_is(n, "clone") &&
		    pengine_is_true(pengine_vnv_lookup(n, "meta_attributes", "promotable")))
			return true;
		if (pl_xml_is(n, "bundle")) {
			xmlNode *c = pl_xml_first_child(n, NULL);

			for (; c; c = pl_xml_next_sibling(c, NULL))
				if (pl_xml_attr(c, "promoted-max") || pl_xml_attr(c, "masters"))
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
check_target_role(struct pengine_vctx *v, const xmlNode *rsc)
{
	const char *role = pengine_vnv_lookup(rsc, "meta_attributes", "target-role");
	const char *id = pl_xml_attr(rsc, "id");

	if (role == NULL || strcasecmp(role, "default") == 0 || strcmp(role, "#default") == 0)
		return;
	if (!valid_role(role)) {
		pengine_vmsg(v, PL_VERIFY_ERROR, "Unknown role: %s", role);
		pengine_vmsg(v, PL_VERIFY_ERROR,
		    "Ignoring 'target-role' for %s because '%s' is not valid", id, role);
		return;
	}
	if ((strcasecmp(role, "Promoted") == 0 || strcasecmp(role, "Master") == 0 ||
		strcasecmp(role, "Unpromoted") == 0 || strcasecmp(role, "Slave") == 0) &&
	    !promotable(rsc))
		pengine_vmsg(v, PL_VERIFY_ERROR,
		    "Ignoring 'target-role' for %s because '%s' only makes "
		    "sense for promotable clones",
		    id, role);
}

static void
check_ops(struct pengine_vctx *v, const xmlNode *rsc)
{
	const xmlNode *ops = pl_xml_first_child(rsc, "operations");
	const char *id = pl_xml_attr(rsc, "id");
	const xmlNode *seen[256];
	long long seen_ms[256];
	int n = 0;

	PL_XML_FOREACH_CHILD(ops, NULL, op)
	{
		const char *name = pl_xml_attr(op, "name"), *iv = pl_xml_attr(op, "interval");
		const char *onfail = pl_xml_attr(op, "on-fail");
		uint64_t ms = 0;
		struct pl_error e = PL_ERROR_INIT;

		if (!pl_xml_is(op, "op") || name == NULL)
			continue;
		if (iv != NULL && !pl_interval_parse_ms(iv, &ms, &e)) {
			/* Pacemaker also reads "P40S" (no T) as 40 seconds here. */
			char *fixed = iv[0] == 'P' && iv[1] != 'T' ? xasprintf("PT%s", iv + 1) : NULL;
			struct pl_error e2 = PL_ERROR_INIT;

			if (fixed == NULL || !pl_interval_parse_ms(fixed, &ms, &e2)) {
				pengine_vmsg(v, PL_VERIFY_NOTE, "Using 0 instead of '%s'", iv);
				ms = 0;
			}
			free(fixed);
		}
		if (pengine_vis_false(pl_xml_attr(op, "enabled")) && ms > 0)
			continue;
		/* Only recurring operations are compared, and only when they would be scheduled
		 * (some node is up), as Pacemaker does. */
		for (int i = 0; i < n && ms > 0 && v->any_online; i++)
			if (seen_ms[i] == (long long)ms &&
			    strcmp(pl_xml_attr(seen[i], "name"), name) == 0)
				pengine_vmsg(v, PL_VERIFY_ERROR,
				    "Operation %s is duplicate of %s (do not use "
				    "same name and interval combination more than once per "
				    "resource)",
				    pl_xml_attr(op, "id"), pl_xml_attr(seen[i], "id"));
		if (n < 256) {
			seen[n] = op;
			seen_ms[n++] = (long long)ms;
		}
		/* on-fail=fence needs fencing; Pacemaker says so for each action it creates. */
		if (onfail != NULL && strcmp(onfail, "fence") == 0 && !v->stonith_enabled &&
		    v->any_online &&
		    (strcmp(name, "stop") != 0 || pengine_vrsc_active_anywhere(v, rsc)))
			pengine_vmsg(v, PL_VERIFY_ERROR,
			    "Resetting 'on-fail' for operation '%s_%s_%llu' "
			    "to 'stop' because 'fence' is not valid when fencing is disabled",
			    id, name, (unsigned long long)ms);
		/* Pacemaker looks at on-fail when it creates a stop: only for active resources. */
		if (strcmp(name, "stop") == 0 && onfail != NULL &&
		    pengine_vrsc_active_anywhere(v, rsc) &&
		    (strcmp(onfail, "standby") == 0 || strcmp(onfail, "stop") == 0 ||
			strcmp(onfail, "demote") == 0))
			pengine_vmsg(v, PL_VERIFY_ERROR,
			    "Resetting 'on-fail' for %s stop action to default "
			    "value because '%s' is not allowed for stop",
			    id, onfail);
	}
}

static void
check_requires(struct pengine_vctx *v, const xmlNode *rsc, const char *requires)
{
	const char *id = pl_xml_attr(rsc, "id");
	bool fence_dev =
	    pl_xml_attr(rsc, "class") && strcmp(pl_xml_attr(rsc, "class"), "stonith") == 0;

	/* A fence device that provides unfencing makes every other resource require it. */
	if (requires == NULL && !fence_dev && v->have_unfencing)
	requires = "unfencing";
	if (requires == NULL)
		return;
	if (strcmp(requires, "fencing") == 0 && !v->stonith_enabled)
		pengine_vmsg(v, PL_VERIFY_WARNING, "%s requires fencing but fencing is disabled", id);
	else if (strcmp(requires, "unfencing") == 0) {
		if (fence_dev)
			pengine_vmsg(v, PL_VERIFY_WARNING,
			    "Resetting \"requires\" for %s to \"quorum\" "
			    "because fencing devices cannot require unfencing",
			    id);
		else if (!v->stonith_enabled)
			pengine_vmsg(v, PL_VERIFY_WARNING,
			    "Resetting \"requires\" for %s to \"quorum\" "
			    "because fencing is disabled",
			    id);
	}
}

static void
check_resource_tree(struct pengine_vctx *v, const xmlNode *parent, const char *dflt_requires)
{
	PL_XML_FOREACH_CHILD(parent, NULL, c)
	{
		const char *req;

		if (!(pl_xml_is(c, "primitive") || pl_xml_is(c, "group") || pl_xml_is(c, "clone") ||
			pl_xml_is(c, "master") || pl_xml_is(c, "bundle")))
			continue;
		if (pengine_vnv_lookup(c, "meta_attributes", "restart-type") &&
		    once(v, "restart-type"))
			pengine_vmsg(v, PL_VERIFY_WARNING,
			    "Support for restart-type is deprecated and will "
			    "be removed in a future release");
		check_target_role(v, c);
		if (pl_xml_is(c, "group")) {
			static const char *const flags[] = { "ordered", "collocated" };

			for (int i = 0; i < 2; i++) {
				char key[64];

				snprintf(key, sizeof(key), "group-%s", flags[i]);
				/* Only the deprecated use, turning the behaviour off, is flagged. */
				if (pengine_vis_false(
					pengine_vnv_lookup(c, "meta_attributes", flags[i])) &&
				    once(v, key))
					pengine_vmsg(v, PL_VERIFY_WARNING,
					    "Support for the '%s' group "
					    "meta-attribute is deprecated and will be removed in a "
					    "future release (use a resource set instead)",
					    flags[i]);
			}
		}
		req = pengine_vnv_lookup(c, "meta_attributes", "requires");
		if (pl_xml_is(c, "primitive")) {
			check_ops(v, c);
			check_requires(v, c, req ? req : dflt_requires);
		} else
			check_resource_tree(v, c, req ? req : dflt_requires);
	}
}

/* ---- constraints --------------------------------------------------------------------------- */

static bool
is_template_or_tag(struct pengine_vctx *v, const char *id)
{
	const xmlNode *r;

	if (id == NULL)
		return false;
	if (g_hash_table_contains(v->tags, id))
		return true;
	r = g_hash_table_lookup(v->rsc, id);
	return r != NULL && pl_xml_is(r, "template");
}

static bool
is_clone(struct pengine_vctx *v, const char *id)
{
	const xmlNode *r = id ? g_hash_table_lookup(v->rsc, id) : NULL;

	return r != NULL && (pl_xml_is(r, "clone") || pl_xml_is(r, "master"));
}

static void
check_constraints(struct pengine_vctx *v)
{
	PL_XML_FOREACH_CHILD(v->constraints, NULL, c)
	{
		const char *id = pl_xml_attr(c, "id");

		if (pl_xml_is(c, "rsc_order")) {
			const char *kind = pl_xml_attr(c, "kind"),
				   *sym = pl_xml_attr(c, "symmetrical");

			if (kind != NULL && strcasecmp(kind, "Mandatory") != 0 &&
			    strcasecmp(kind, "Optional") != 0 && strcasecmp(kind, "Serialize") != 0)
				pengine_vmsg(v, PL_VERIFY_ERROR,
				    "Resetting 'kind' for constraint %s to "
				    "'Mandatory' because '%s' is not valid",
				    id, kind);
			if (kind != NULL && strcasecmp(kind, "Serialize") == 0 && pengine_is_true(sym))
				pengine_vmsg(v, PL_VERIFY_WARNING,
				    "Ignoring symmetrical for '%s' because not "
				    "valid with kind of 'Serialize'",
				    id);
			PL_XML_FOREACH_CHILD(c, NULL, set)
			{
				const char *sk = pl_xml_attr(set, "kind");

				if (pl_xml_is(set, "resource_set") && sk &&
				    strcasecmp(sk, "Serialize") == 0 && pengine_is_true(sym))
					pengine_vmsg(v, PL_VERIFY_WARNING,
					    "Ignoring symmetrical for '%s' "
					    "because not valid with kind of 'Serialize'",
					    pl_xml_attr(set, "id"));
			}
			if (pl_xml_attr(c, "require-all") && is_clone(v, pl_xml_attr(c, "first")) &&
			    pengine_vnv_lookup(g_hash_table_lookup(v->rsc, pl_xml_attr(c, "first")),
				"meta_attributes", "clone-min") == NULL &&
			    once(v, "require-all"))
				pengine_vmsg(v, PL_VERIFY_WARNING,
				    "Support for require-all in ordering "
				    "constraints is deprecated and will be removed in a future "
				    "release "
				    "(use clone-min clone meta-attribute instead)");
		} else if (pl_xml_is(c, "rsc_ticket")) {
			const char *lp = pl_xml_attr(c, "loss-policy");

			if (lp != NULL && strcmp(lp, "fence") == 0 && !v->stonith_enabled)
				pengine_vmsg(v, PL_VERIFY_ERROR,
				    "Resetting 'loss-policy' for ticket '%s' to "
				    "'stop' because fencing is not configured",
				    pl_xml_attr(c, "ticket"));
		} else if (pl_xml_is(c, "rsc_colocation")) {
			const char *inf = pl_xml_attr(c, "influence");

			if (inf != NULL && !pengine_is_true(inf) && !pengine_vis_false(inf))
				pengine_vmsg(v, PL_VERIFY_ERROR,
				    "Constraint '%s' has invalid value for "
				    "influence (using default)",
				    id);
			if (is_template_or_tag(v, pl_xml_attr(c, "rsc")) &&
			    is_template_or_tag(v, pl_xml_attr(c, "with-rsc")))
				pengine_vmsg(v, PL_VERIFY_ERROR,
				    "Ignoring constraint '%s' because two "
				    "templates or tags cannot be colocated",
				    id);
		}
	}
}

/* ---- entry point --------------------------------------------------------------------------- */

void
pengine_verify_xml(const xmlNode *root, struct pl_pengine_verify_result *r)
{
	struct pengine_vctx v = { .root = root, .r = r };
	const char *p;

	v.config = pl_xml_first_child(root, "configuration");
	v.resources = pl_xml_first_child(v.config, "resources");
	v.constraints = pl_xml_first_child(v.config, "constraints");
	v.status = pl_xml_first_child(root, "status");
	v.rsc = g_hash_table_new(g_str_hash, g_str_equal);
	v.tags = g_hash_table_new(g_str_hash, g_str_equal);
	v.warned = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	index_resources(&v, v.resources);
	PL_XML_FOREACH_CHILD(pl_xml_first_child(v.config, "tags"), NULL, t)
	if (pl_xml_attr(t, "id"))
		g_hash_table_insert(v.tags, (gpointer)pl_xml_attr(t, "id"), t);

	p = pengine_vproperty(&v, "stonith-enabled");
	v.stonith_enabled = p == NULL || !pengine_vis_false(p);
	p = pengine_vproperty(&v, "startup-fencing");
	v.startup_fencing = p == NULL || !pengine_vis_false(p);
	p = pengine_vproperty(&v, "stop-orphan-resources");
	v.stop_orphans = p == NULL || !pengine_vis_false(p);
	v.have_quorum = pengine_is_true(pl_xml_attr(root, "have-quorum"));
	v.no_quorum_policy = pengine_vproperty(&v, "no-quorum-policy");
	v.any_online = pengine_vany_node_online(&v);

	p = pengine_vproperty(&v, "stonith-action");
	if (p != NULL && strcmp(p, "poweroff") == 0)
		pengine_vmsg(&v, PL_VERIFY_WARNING,
		    "Support for stonith-action of 'poweroff' is deprecated "
		    "and will be removed in a future release (use 'off' instead)");
	if (!v.stonith_enabled && v.no_quorum_policy != NULL &&
	    strcmp(v.no_quorum_policy, "suicide") == 0)
		pengine_vmsg(&v, PL_VERIFY_ERROR,
		    "Resetting no-quorum-policy to 'stop' because fencing "
		    "is disabled");
	/* STONITH enabled without devices: the scheduler logs it (unpack_resources) */
	{
		GHashTableIter it;
		gpointer key, val;

		g_hash_table_iter_init(&it, v.rsc);
		while (g_hash_table_iter_next(&it, &key, &val)) {
			const xmlNode *dev = val;
			const char *prov = pengine_vnv_lookup(dev, "meta_attributes", "provides");

			if (prov == NULL)
				prov = pengine_vnv_lookup(dev, "instance_attributes", "provides");
			if (pl_xml_is(dev, "primitive") && pl_xml_attr(dev, "class") &&
			    strcmp(pl_xml_attr(dev, "class"), "stonith") == 0 && prov != NULL &&
			    strcmp(prov, "unfencing") == 0)
				v.have_unfencing = true;
		}
	}
	check_resource_tree(&v, v.resources,
	    pengine_vnv_lookup(
		pl_xml_first_child(v.config, "rsc_defaults"), "meta_attributes", "requires"));
	check_constraints(&v);
	pengine_verify_status(&v);

	g_hash_table_destroy(v.rsc);
	g_hash_table_destroy(v.tags);
	g_hash_table_destroy(v.warned);
}

void
pl_pengine_verify_result_free(struct pl_pengine_verify_result *r)
{
	for (size_t i = 0; i < r->n_msgs; i++)
		free(r->msgs[i].text);
	free(r->msgs);
	memset(r, 0, sizeof(*r));
}

/* The configuration errors the scheduler met while it read the CIB (pengine_config_err), then the
 * checks of the XML. (Entries the scheduler ignored as malformed are not counted: Pacemaker
 * only warns about them, and the XML checks word those warnings.) */
void
pl_pengine_verify(struct pl_pengine_run *run, struct pl_pengine_verify_result *r)
{
	struct pengine_ws *ws = pengine_run_ws(run);
	struct pengine_vctx v = { .r = r };
	const struct pl_buf *from[] = { &ws->config_errors };

	memset(r, 0, sizeof(*r));
	for (size_t k = 0; k < sizeof(from) / sizeof(from[0]); k++) {
		gchar **lines = g_strsplit(pl_buf_str(from[k]), "\n", -1);
		for (gchar **l = lines; *l; l++)
			if (**l)
				pengine_vmsg(&v, PL_VERIFY_ERROR, "%s", *l);
		g_strfreev(lines);
	}
	pengine_verify_xml(ws->cib, r);
}
