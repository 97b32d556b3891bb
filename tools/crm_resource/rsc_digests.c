/*
 * rsc_digests.c - --digests: the three parameter hashes the scheduler compares with a
 * resource's history to see whether its definition changed: all parameters (with the
 * timeout for a recurring operation), the non-private ones (without the names the history
 * lists in op-secure-params) and the non-reloadable ones (only those in op-force-restart).
 * The parameters are evaluated on the node (-N); NAME=VALUE words override them and
 * CRM_meta_interval chooses the interval. Only accurate with history on that node.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_resource.h"
#include "paceline/exitcode.h"
#include "paceline/pengine.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"
#include "tool.h"

/* the resource's most relevant history entry on node: its last operation, else any */
static xmlNode *
best_op(const char *rsc, const char *node)
{
	xmlNode *status = pl_xml_first_child(rsc_cib_root(), "status");
	xmlNode *best = NULL;

	PL_XML_FOREACH_CHILD(status, "node_state", ns)
	{
		if (g_strcmp0(pl_xml_attr(ns, "uname"), node))
			continue;
		xmlNode *lrm = pl_xml_first_child(ns, "lrm");
		xmlNode *lrs = lrm ? pl_xml_first_child(lrm, "lrm_resources") : NULL;
		PL_XML_FOREACH_CHILD(lrs, "lrm_resource", lr)
		{
			if (g_strcmp0(pl_xml_id(lr), rsc))
				continue;
			PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
			{
				const char *id = pl_xml_id(op);
				if (best == NULL || (id && g_str_has_suffix(id, "_last_0")))
					best = op;
			}
		}
	}
	return best;
}

static bool
listed(const char *list, const char *name)
{
	char **w = g_strsplit_set(list ? list : "", " ", -1);
	bool found = false;

	for (int i = 0; w[i]; i++)
		found |= !strcmp(w[i], name);
	g_strfreev(w);
	return found;
}

static bool
wanted(const char *k, xmlNode *op, int which)
{
	bool meta = g_str_has_prefix(k, "CRM_meta_");

	if (which == 1 && (meta || listed(pl_xml_attr(op, "op-secure-params"), k)))
		return false;
	if (which == 2 && (meta || !listed(pl_xml_attr(op, "op-force-restart"), k)))
		return false;
	return true;
}

/* which: 0 all, 1 non-private, 2 non-reloadable. The parameters print in Pacemaker's order:
 * the NAME=VALUE overrides, then the resource's parameters, each in its table's order
 * (tool_pcmk_str_hash), and the recurring operation's CRM_meta_timeout last. */
static void
digest(xmlNode *parent, const char *type, GHashTable *params, GHashTable *overrides, xmlNode *op,
    int which)
{
	GHashTable *p = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *tables[2] = { overrides, params };
	GHashTableIter it;
	gpointer k, v;
	char hash[33];
	xmlNode *d, *x;

	for (int t = 0; t < 2; t++) {
		g_hash_table_iter_init(&it, tables[t]);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (wanted(k, op, which) && !g_hash_table_contains(p, k))
				g_hash_table_insert(p, k, v);
	}
	pl_pengine_params_digest(p, hash);
	d = pl_xml_add_child(parent, "digest");
	pl_xml_set_attr(d, "type", type);
	pl_xml_set_attr(d, "hash", hash);
	x = pl_xml_add_child(d, "parameters");
	for (int meta = 0; meta < 2; meta++)
		for (int t = 0; t < 2; t++) {
			g_hash_table_iter_init(&it, tables[t]);
			while (g_hash_table_iter_next(&it, &k, &v))
				if (g_str_has_prefix(k, "CRM_meta_") == (meta == 1) &&
				    g_hash_table_contains(p, k) && pl_xml_attr(x, k) == NULL)
					pl_xml_set_attr(x, k, g_hash_table_lookup(p, k));
		}
	g_hash_table_destroy(p);
}

int
rsc_cmd_digests(void)
{
	int rc = rsc_require(opt.rsc);
	const char *node;
	GHashTable *params, *base, *overrides;
	xmlNode *op, *ds;
	long long interval = 0;
	char buf[32];

	if (rc != PL_EXIT_OK)
		return rc;
	if (opt.node == NULL)
		return out_fail(PL_EXIT_USAGE, "--digests requires --node");
	if ((node = pl_pengine_node_name(rsc_status(), opt.node)) == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Node '%s' not found", opt.node);
	base = pl_pengine_rsc_node_params(rsc_status(), opt.rsc, node);
	if (base == NULL)
		return out_fail(PL_EXIT_INVALID_PARAM, "Resource '%s' is not a primitive", opt.rsc);
	/* Pacemaker's tables, in its hash's order */
	params = g_hash_table_new_full(tool_pcmk_str_hash, g_str_equal, g_free, g_free);
	overrides = g_hash_table_new_full(tool_pcmk_str_hash, g_str_equal, g_free, g_free);
	{
		GHashTableIter it;
		gpointer k, v;

		g_hash_table_iter_init(&it, base);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_insert(params, g_strdup(k), g_strdup(v));
		g_hash_table_destroy(base);
	}
	op = best_op(opt.rsc, node);
	for (char **w = opt.extra; w && *w; w++) {
		char *eq = strchr(*w, '=');
		char *name = g_strndup(*w, (gsize)(eq - *w));
		if (!strcmp(name, "CRM_meta_interval")) {
			interval = strtoll(eq + 1, NULL, 10);
			g_free(name);
			continue;
		}
		g_hash_table_replace(overrides, name, g_strdup(eq + 1));
	}
	ds = pl_xml_add_child(out_root(), "digests");
	pl_xml_set_attr(ds, "resource", opt.rsc);
	pl_xml_set_attr(ds, "node", node);
	pl_xml_set_attr(ds, "task",
	    op && pl_xml_attr(op, "operation") ? pl_xml_attr(op, "operation") : "start");
	snprintf(buf, sizeof(buf), "%lldms", interval);
	pl_xml_set_attr(ds, "interval", buf);
	if (op) {
		digest(ds, "all", params, overrides, op, 0);
		digest(ds, "nonprivate", params, overrides, op, 1);
		digest(ds, "nonreloadable", params, overrides, op, 2);
	}
	g_hash_table_destroy(params);
	g_hash_table_destroy(overrides);
	if (!out_xml()) { /* the text form is the same XML, as Pacemaker prints it */
		xmlNode *root = out_root();
		char *t = pl_xml_dump(ds, true);
		fputs(t, out_stream());
		g_free(t);
		xmlUnlinkNode(ds);
		xmlFreeNode(ds);
		(void)root;
	}
	return PL_EXIT_OK;
}
