/*
 * rsc_move.c - --move, --ban and --clear: the cli-prefer-RSC and cli-ban-RSC-on-NODE
 * location constraints Pacemaker's crm_resource creates (with a rule ending at now +
 * --lifetime when one is given), --clear --expired for those whose lifetime is over, and
 * --delete of a resource. A delete only touches an element whose id and given attributes
 * match, as lib/cib's delete does; the version moves only when something changed.
 */
#include <stdio.h>
#include <string.h>

#include "crm_resource.h"
#include "paceline/exitcode.h"
#include "paceline/iso8601.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"

static xmlNode *
constraints(void)
{
	xmlNode *conf = pl_xml_first_child(rsc_cib_root(), "configuration");

	return conf ? pl_xml_first_child(conf, "constraints") : NULL;
}

/* ids of the constraints, for "Removing constraint:" lines */
static GPtrArray *
constraint_ids(void)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	xmlNode *c = constraints();

	for (xmlNode *x = c ? c->children : NULL; x; x = x->next)
		if (x->type == XML_ELEMENT_NODE && pl_xml_id(x))
			g_ptr_array_add(a, g_strdup(pl_xml_id(x)));
	return a;
}

static bool
has(GPtrArray *a, const char *s)
{
	for (guint i = 0; i < a->len; i++)
		if (!strcmp(a->pdata[i], s))
			return true;
	return false;
}

/* delete the rsc_location `id` if it exists and, when node is given, has node=node */
static int
delete_location(const char *id, const char *node)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlNode *c = constraints();
	xmlNode *found = NULL;
	xmlDoc *d;
	int rc;

	PL_XML_FOREACH_CHILD(c, "rsc_location", x)
	if (found == NULL && !g_strcmp0(pl_xml_id(x), id))
		found = x;
	if (found == NULL || (node && g_strcmp0(pl_xml_attr(found, "node"), node)))
		return PL_EXIT_OK;
	d = pl_xml_new_doc("rsc_location");
	pl_xml_set_attr(xmlDocGetRootElement(d), "id", id);
	rc = rsc_cib_update(PL_CIB_OP_DELETE, "constraints", xmlDocGetRootElement(d), &err);
	xmlFreeDoc(d);
	if (rc == PL_EXIT_NOSUCH)
		rc = PL_EXIT_OK;
	return rc ? out_fail(rc, "%s", err.text) : PL_EXIT_OK;
}

/* a lifetime-limited cli-prefer whose rule names host */
static int
delete_prefer_rule(const char *rsc, const char *host)
{
	char *id = g_strdup_printf("cli-prefer-%s", rsc);
	char *rule_id = g_strdup_printf("cli-prefer-rule-%s", rsc);
	xmlNode *c = constraints();
	bool match = false;
	int rc = PL_EXIT_OK;

	PL_XML_FOREACH_CHILD(c, "rsc_location", x)
	if (!g_strcmp0(pl_xml_id(x), id))
		PL_XML_FOREACH_CHILD(x, "rule", r)
	if (!g_strcmp0(pl_xml_id(r), rule_id))
		PL_XML_FOREACH_CHILD(r, "expression", e)
	if (!g_strcmp0(pl_xml_attr(e, "attribute"), "#uname") &&
	    !g_strcmp0(pl_xml_attr(e, "value"), host))
		match = true;
	if (match)
		rc = delete_location(id, NULL);
	g_free(id);
	g_free(rule_id);
	return rc;
}

/* Pacemaker's cli_resource_clear for one host: its ban (when asked) and the preference */
static int
clear_host(const char *rsc, const char *host, bool bans)
{
	char *ban = g_strdup_printf("cli-ban-%s-on-%s", rsc, host);
	char *prefer = g_strdup_printf("cli-prefer-%s", rsc);
	int rc = PL_EXIT_OK;

	if (bans)
		rc = delete_location(ban, NULL);
	if (rc == PL_EXIT_OK)
		rc = delete_location(prefer, opt.force ? NULL : host);
	if (rc == PL_EXIT_OK)
		rc = delete_prefer_rule(rsc, host);
	g_free(ban);
	g_free(prefer);
	return rc;
}

static int
clear_all_hosts(const char *rsc, bool bans)
{
	xmlNode *conf = pl_xml_first_child(rsc_cib_root(), "configuration");
	xmlNode *nodes = conf ? pl_xml_first_child(conf, "nodes") : NULL;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	int rc = PL_EXIT_OK;

	PL_XML_FOREACH_CHILD(nodes, "node", n)
	g_ptr_array_add(
	    names, g_strdup(pl_xml_attr(n, "uname") ? pl_xml_attr(n, "uname") : pl_xml_id(n)));
	for (guint i = 0; i < names->len && rc == PL_EXIT_OK; i++)
		rc = clear_host(rsc, names->pdata[i], bans);
	g_ptr_array_free(names, true);
	return rc;
}

/* "now + lifetime" for a rule's end, or NULL without --lifetime; 0 or 64 */
static int
lifetime_end(char **end)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_duration d;
	char buf[64];

	*end = NULL;
	if (opt.lifetime == NULL)
		return PL_EXIT_OK;
	if (!pl_duration_parse(opt.lifetime, &d, &err))
		return out_fail(
		    PL_EXIT_INVALID_PARAM, "Invalid lifetime '%s': %s", opt.lifetime, err.text);
	struct pl_time t = pl_time_add(pl_time_now(), &d);
	pl_time_str(t, buf, sizeof(buf));
	out_info("Migration will take effect until: %s", buf);
	*end = g_strdup(buf);
	return PL_EXIT_OK;
}

/* one cli-ban / cli-prefer constraint, node-bound or with a lifetime rule */
static int
add_location(const char *id, const char *rsc, const char *host, const char *score,
    const char *rule_pfx, const char *expr_id, const char *end_id, const char *end)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *d = pl_xml_new_doc("rsc_location");
	xmlNode *l = xmlDocGetRootElement(d);
	int rc;

	pl_xml_set_attr(l, "id", id);
	pl_xml_set_attr(l, "rsc", rsc);
	pl_xml_set_attr(l, "role", opt.promoted ? "Promoted" : "Started");
	if (end == NULL) {
		pl_xml_set_attr(l, "node", host);
		pl_xml_set_attr(l, "score", score);
	} else {
		xmlNode *r = pl_xml_add_child(l, "rule");
		xmlNode *e = pl_xml_add_child(r, "expression");
		xmlNode *de;

		pl_xml_set_attr(r, "id", rule_pfx);
		pl_xml_set_attr(r, "score", score);
		pl_xml_set_attr(r, "boolean-op", "and");
		pl_xml_set_attr(e, "id", expr_id);
		pl_xml_set_attr(e, "attribute", "#uname");
		pl_xml_set_attr(e, "operation", "eq");
		pl_xml_set_attr(e, "value", host);
		pl_xml_set_attr(e, "type", "string");
		de = pl_xml_add_child(r, "date_expression");
		pl_xml_set_attr(de, "id", end_id);
		pl_xml_set_attr(de, "operation", "lt");
		pl_xml_set_attr(de, "end", end);
	}
	rc = rsc_cib_update(PL_CIB_OP_MODIFY, "constraints", l, &err);
	xmlFreeDoc(d);
	return rc ? out_fail(rc, "%s", err.text) : PL_EXIT_OK;
}

static int
ban_node(const char *rsc, const char *host)
{
	char *id = g_strdup_printf("cli-ban-%s-on-%s", rsc, host);
	char *rule = g_strdup_printf("%s-rule", id), *expr = g_strdup_printf("%s-expr", id);
	char *life = g_strdup_printf("%s-lifetime", id);
	char *end = NULL;
	int rc = lifetime_end(&end);

	if (rc == PL_EXIT_OK && !opt.quiet)
		out_info(
		    "WARNING: Creating rsc_location constraint '%s' with a score of -INFINITY "
		    "for resource %s on %s.\n\tThis will prevent %s from %s on %s until the "
		    "constraint is removed using the clear option or by editing the CIB with an "
		    "appropriate tool\n\tThis will be the case even if %s is the last node in the "
		    "cluster",
		    id, rsc, host, rsc, opt.promoted ? "being promoted" : "running", host, host);
	if (rc == PL_EXIT_OK)
		rc = add_location(id, rsc, host, "-INFINITY", rule, expr, life, end);
	g_free(id);
	g_free(rule);
	g_free(expr);
	g_free(life);
	g_free(end);
	return rc;
}

/* checks shared by move and ban: the resource and node exist, no clone instance */
static int
check_target(const char **node)
{
	struct pl_pengine_run *run = rsc_status();
	int rc = rsc_require(opt.rsc);

	if (rc != PL_EXIT_OK)
		return rc;
	if (strchr(opt.rsc, ':') && pl_pengine_rsc_parent(run, opt.rsc))
		return out_fail(PL_EXIT_INVALID_PARAM,
		    "Cannot operate on clone resource instance '%s'", opt.rsc);
	*node = NULL;
	if (opt.node && (*node = pl_pengine_node_name(run, opt.node)) == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Node '%s' not found", opt.node);
	return PL_EXIT_OK;
}

/* without a node: ban where it runs (exactly one place) */
static int
ban_current(void)
{
	GArray *w = pl_pengine_rsc_where(rsc_status(), opt.rsc);
	int n = (int)w->len, promoted = 0;
	int rc = PL_EXIT_OK;

	for (guint i = 0; i < w->len; i++)
		promoted += g_array_index(w, struct pl_rsc_where, i).promoted;
	if ((opt.promoted && promoted == 1) || n == 1) {
		/* copied: the status is read again after the update */
		char *host = NULL;
		for (guint i = 0; i < w->len && host == NULL; i++)
			if (!opt.promoted || g_array_index(w, struct pl_rsc_where, i).promoted)
				host = g_strdup(g_array_index(w, struct pl_rsc_where, i).node);
		g_array_free(w, true);
		rc = ban_node(opt.rsc, host);
		g_free(host);
		return rc;
	} else if (n == 0) {
		rc = out_fail(PL_EXIT_USAGE,
		    "Resource '%s' not moved: active in 0 locations.\nTo prevent '%s' from running "
		    "on a specific location, specify a node.",
		    opt.rsc, opt.rsc);
	} else {
		rc = out_fail(PL_EXIT_USAGE,
		    "Resource '%s' not moved: active in %d locations (promoted in %d).\nTo prevent "
		    "'%s' from running on a specific location, specify a node.\nTo prevent '%s' "
		    "from being promoted at a specific location, specify a node and the --promoted "
		    "option.",
		    opt.rsc, n, promoted, opt.rsc, opt.rsc);
	}
	g_array_free(w, true);
	return rc;
}

int
rsc_cmd_ban(void)
{
	const char *node;
	int rc = check_target(&node);
	char *host;

	if (rc != PL_EXIT_OK)
		return rc;
	if (node == NULL)
		return ban_current();
	host = g_strdup(node); /* the status is read again after an update */
	rc = ban_node(opt.rsc, host);
	g_free(host);
	return rc;
}

int
rsc_cmd_move(void)
{
	const char *node;
	int rc = check_target(&node);
	GArray *w;
	bool here = false;
	char *end = NULL;

	if (rc != PL_EXIT_OK)
		return rc;
	if (node == NULL)
		return ban_current();
	char *host = g_strdup(node); /* the status is read again after an update */
	node = host;
	w = pl_pengine_rsc_where(rsc_status(), opt.rsc);
	here = w->len == 1 && !strcmp(g_array_index(w, struct pl_rsc_where, 0).node, node);
	if (here && !opt.force) {
		g_array_free(w, true);
		g_free(host);
		return PL_EXIT_EXISTS;
	}
	char *prefer = g_strdup_printf("cli-prefer-%s", opt.rsc);
	char *rule = g_strdup_printf("cli-prefer-rule-%s", opt.rsc);
	char *expr = g_strdup_printf("cli-prefer-expr-%s", opt.rsc);
	char *life = g_strdup_printf("cli-prefer-lifetime-end-%s", opt.rsc);
	char *cur = w->len == 1 ? g_strdup(g_array_index(w, struct pl_rsc_where, 0).node) : NULL;
	int n = (int)w->len;

	g_array_free(w, true);
	rc = clear_all_hosts(opt.rsc, false);
	if (rc == PL_EXIT_OK)
		rc = clear_host(opt.rsc, node, true);
	if (rc == PL_EXIT_OK)
		rc = lifetime_end(&end);
	if (rc == PL_EXIT_OK)
		rc = add_location(prefer, opt.rsc, node, "INFINITY", rule, expr, life, end);
	if (rc == PL_EXIT_OK && opt.force && !here) {
		if (cur)
			rc = ban_node(opt.rsc, cur);
		else if (n > 1)
			out_info(
			    "Resource '%s' is currently running in %d locations. One may now move "
			    "to %s\nTo prevent '%s' from being running at a specific location, "
			    "specify a node.",
			    opt.rsc, n, node, opt.rsc);
	}
	g_free(prefer);
	g_free(rule);
	g_free(expr);
	g_free(life);
	g_free(cur);
	g_free(end);
	g_free(host);
	return rc;
}

/* cli- constraints whose lifetime rule ended */
static int
clear_expired(void)
{
	struct pl_time now = pl_time_now();
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	xmlNode *c = constraints();
	int rc = PL_EXIT_OK;

	PL_XML_FOREACH_CHILD(c, "rsc_location", x)
	{
		const char *id = pl_xml_id(x);
		bool expired = false;

		if (id == NULL || strncmp(id, "cli-", 4) ||
		    (opt.rsc && g_strcmp0(pl_xml_attr(x, "rsc"), opt.rsc)))
			continue;
		PL_XML_FOREACH_CHILD(x, "rule", r)
		PL_XML_FOREACH_CHILD(r, "date_expression", de)
		{
			struct pl_error err = PL_ERROR_INIT;
			struct pl_time end;
			if (!g_strcmp0(pl_xml_attr(de, "operation"), "lt") && pl_xml_attr(de, "end") &&
			    pl_time_parse(pl_xml_attr(de, "end"), &end, &err) &&
			    pl_time_cmp(end, now) <= 0)
				expired = true;
		}
		if (expired)
			g_ptr_array_add(ids, g_strdup(id));
	}
	for (guint i = 0; i < ids->len && rc == PL_EXIT_OK; i++)
		rc = delete_location(ids->pdata[i], NULL);
	g_ptr_array_free(ids, true);
	return rc;
}

int
rsc_cmd_clear(void)
{
	GPtrArray *before = constraint_ids(), *after;
	int rc = PL_EXIT_OK;

	if (opt.expired) {
		rc = clear_expired();
	} else {
		if (opt.rsc == NULL) {
			g_ptr_array_free(before, true);
			return out_fail(PL_EXIT_USAGE, "Must supply a resource id with -r");
		}
		if ((rc = rsc_require(opt.rsc)) != PL_EXIT_OK) {
			g_ptr_array_free(before, true);
			return rc;
		}
		/* copied: the status (which owns the name) is read again after each update */
		char *host = opt.node ? g_strdup(pl_pengine_node_name(rsc_status(), opt.node)) : NULL;
		if (opt.node && host == NULL)
			host = g_strdup(
			    opt.node); /* a node that does not exist yet may be cleared too */
		rc = host ? clear_host(opt.rsc, host, true) : clear_all_hosts(opt.rsc, true);
		g_free(host);
	}
	after = constraint_ids();
	if (rc == PL_EXIT_OK && !opt.quiet)
		for (guint i = 0; i < before->len; i++)
			if (!has(after, before->pdata[i]))
				out_info("Removing constraint: %s", (char *)before->pdata[i]);
	g_ptr_array_free(before, true);
	g_ptr_array_free(after, true);
	return rc;
}

int
rsc_cmd_delete(void)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *d;
	int rc;

	if (opt.rsc_type == NULL)
		return out_fail(PL_EXIT_USAGE, "You need to specify a resource type with -t");
	if (rsc_cib_find_rsc(opt.rsc) == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Resource '%s' not found", opt.rsc);
	d = pl_xml_new_doc(opt.rsc_type);
	pl_xml_set_attr(xmlDocGetRootElement(d), "id", opt.rsc);
	rc = rsc_cib_update(PL_CIB_OP_DELETE, "resources", xmlDocGetRootElement(d), &err);
	xmlFreeDoc(d);
	return rc ? out_fail(rc, "%s", err.text) : PL_EXIT_OK;
}
