/*
 * rsc_attr.c - --get-parameter, --set-parameter and --delete-parameter on a resource's
 * instance attributes, meta-attributes (--meta) or utilization (--utilization), with
 * Pacemaker's choice of where a meta-attribute goes: the clone rather than its primitive
 * unless the primitive has it already (and the reverse), a group's members that have it as
 * well as the group; --force takes the resource named.
 */
#include <stdio.h>
#include <string.h>

#include "crm_resource.h"
#include "paceline/exitcode.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"

static bool
is_clone(const xmlNode *x)
{
	return x && (pl_xml_is(x, "clone") || pl_xml_is(x, "master"));
}

/* the nvpairs of name in x's own attribute sets of the chosen type (and set id, nvpair id) */
static void
own_nvpairs(xmlNode *x, GPtrArray *out)
{
	PL_XML_FOREACH_CHILD(x, opt.attr_set_type, set)
	{
		if (opt.set_name && g_strcmp0(pl_xml_id(set), opt.set_name))
			continue;
		PL_XML_FOREACH_CHILD(set, "nvpair", nv)
		{
			if (opt.nvpair_id && g_strcmp0(pl_xml_id(nv), opt.nvpair_id))
				continue;
			if (!g_strcmp0(pl_xml_attr(nv, "name"), opt.cmd_arg))
				g_ptr_array_add(out, nv);
		}
	}
}

static xmlNode *
own_nvpair(xmlNode *x)
{
	GPtrArray *a = g_ptr_array_new();
	xmlNode *nv;

	own_nvpairs(x, a);
	nv = a->len ? a->pdata[0] : NULL;
	g_ptr_array_free(a, true);
	return nv;
}

static int
doc_order(gconstpointer a, gconstpointer b)
{
	long la = xmlGetLineNo(*(xmlNode *const *)a), lb = xmlGetLineNo(*(xmlNode *const *)b);

	return la < lb ? -1 : la > lb;
}

/* Pacemaker's search covers the clone and its primitive: more than one match is reported */
static void
report_multiple(xmlNode *clone, xmlNode *prim)
{
	GPtrArray *a = g_ptr_array_new();

	own_nvpairs(prim, a);
	own_nvpairs(clone, a);
	if (a->len > 1) {
		g_ptr_array_sort(a, doc_order);
		out_info("Multiple attributes match name=%s", opt.cmd_arg);
		for (guint i = 0; i < a->len; i++)
			out_info("  Value: %s \t(id=%s)", pl_xml_attr(a->pdata[i], "value"),
			    pl_xml_id(a->pdata[i]));
		out_info("%s", "");
	}
	g_ptr_array_free(a, true);
}

static xmlNode *
first_rsc_child(xmlNode *x)
{
	for (xmlNode *c = x->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (pl_xml_is(c, "primitive") || pl_xml_is(c, "group")))
			return c;
	return NULL;
}

/* the elements to change, in order (find_matching_attr_resources of Pacemaker) */
static GPtrArray *
targets(xmlNode *x, const char *verb)
{
	GPtrArray *t = g_ptr_array_new();
	bool meta = !strcmp(opt.attr_set_type, "meta_attributes");

	if (opt.force || !meta) {
		g_ptr_array_add(t, x);
		return t;
	}
	if (is_clone(x->parent)) {
		report_multiple(x->parent, x);
		if (own_nvpair(x) == NULL) {
			out_info("Performing %s of '%s' on '%s', the parent of '%s'", verb,
			    opt.cmd_arg, pl_xml_id(x->parent), opt.rsc);
			x = x->parent;
		}
		g_ptr_array_add(t, x);
	} else if (is_clone(x)) {
		xmlNode *child = first_rsc_child(x);

		if (child && pl_xml_is(child, "primitive")) {
			report_multiple(x, child);
			if (own_nvpair(child)) {
				out_info("A value for '%s' already exists in child '%s', "
					 "performing %s on "
					 "that instead of '%s'",
				    opt.cmd_arg, pl_xml_id(child), verb, opt.rsc);
				x = child;
			}
		}
		g_ptr_array_add(t, x);
	} else {
		if (pl_xml_is(x, "group"))
			PL_XML_FOREACH_CHILD(x, "primitive", m)
		if (own_nvpair(m))
			g_ptr_array_add(t, m);
		g_ptr_array_add(t, x);
	}
	return t;
}

int
rsc_cmd_get_param(void)
{
	struct pl_pengine_run *run;
	GHashTable *h;
	const char *v;
	int rc = rsc_require(opt.rsc);

	if (rc != PL_EXIT_OK)
		return rc;
	run = rsc_status();
	if (!strcmp(opt.attr_set_type, "meta_attributes"))
		h = pl_pengine_rsc_meta(run, opt.rsc);
	else if (!strcmp(opt.attr_set_type, "utilization"))
		h = pl_pengine_rsc_utilization(run, opt.rsc);
	else
		h = pl_pengine_rsc_params(run, opt.rsc);
	v = h ? g_hash_table_lookup(h, opt.cmd_arg) : NULL;
	if (out_xml()) {
		xmlNode *x = pl_xml_add_child(out_root(), "item");
		pl_xml_set_attr(x, "name", opt.cmd_arg);
		pl_xml_set_attr(x, "value", v);
	} else if (v) {
		out_info("%s", v);
	} else {
		out_err("Attribute '%s' not found for '%s'", opt.cmd_arg, opt.rsc);
	}
	return PL_EXIT_OK;
}

/* an instance attribute that the top resource has as a meta-attribute is refused */
static int
check_meta_clash(xmlNode *x)
{
	xmlNode *top = x;
	xmlNode *nv = NULL;

	while (top->parent && (pl_xml_is(top->parent, "group") || is_clone(top->parent)))
		top = top->parent;
	PL_XML_FOREACH_CHILD(top, "meta_attributes", set)
	PL_XML_FOREACH_CHILD(set, "nvpair", p)
	if (nv == NULL && !g_strcmp0(pl_xml_attr(p, "name"), opt.cmd_arg))
		nv = p;
	if (nv == NULL)
		return PL_EXIT_OK;
	if (!opt.quiet) {
		out_err("WARNING: There is already a meta attribute for '%s' called '%s' (id=%s)",
		    pl_xml_id(top), opt.cmd_arg, pl_xml_id(nv));
		out_err("         Delete '%s' first or use the force option to override",
		    pl_xml_id(nv));
	}
	return PL_EXIT_MULTIPLE;
}

static int
set_on(xmlNode *x)
{
	struct pl_error err = PL_ERROR_INIT;
	char id[256];
	xmlNode *nv = own_nvpair(x);
	xmlDoc *d;
	int rc;

	/* the update may rebuild the document: keep what the message needs */
	snprintf(id, sizeof(id), "%s", pl_xml_id(x));
	if (nv) {
		char *nv_id = g_strdup(pl_xml_id(nv));

		d = pl_xml_new_doc("nvpair");
		pl_xml_set_attr(xmlDocGetRootElement(d), "id", nv_id);
		pl_xml_set_attr(xmlDocGetRootElement(d), "name", opt.cmd_arg);
		pl_xml_set_attr(xmlDocGetRootElement(d), "value", opt.value);
		rc = rsc_cib_update(PL_CIB_OP_MODIFY, "resources", xmlDocGetRootElement(d), &err);
		if (rc == 0)
			out_info("Set '%s' option: id=%s%s%s name=%s value=%s", id, nv_id,
			    opt.set_name ? " set=" : "", opt.set_name ? opt.set_name : "",
			    opt.cmd_arg, opt.value);
		g_free(nv_id);
	} else {
		char *set = opt.set_name ? g_strdup(opt.set_name)
					 : g_strdup_printf("%s-%s", id, opt.attr_set_type);
		char *nv_id = opt.nvpair_id ? g_strdup(opt.nvpair_id)
					    : g_strdup_printf("%s-%s", set, opt.cmd_arg);
		xmlNode *s, *p;

		d = pl_xml_new_doc(pl_xml_name(x));
		pl_xml_set_attr(xmlDocGetRootElement(d), "id", id);
		s = pl_xml_add_child(xmlDocGetRootElement(d), opt.attr_set_type);
		pl_xml_set_attr(s, "id", set);
		p = pl_xml_add_child(s, "nvpair");
		pl_xml_set_attr(p, "id", nv_id);
		pl_xml_set_attr(p, "name", opt.cmd_arg);
		pl_xml_set_attr(p, "value", opt.value);
		rc = rsc_cib_update(PL_CIB_OP_MODIFY, "resources", xmlDocGetRootElement(d), &err);
		if (rc == 0)
			out_info("Set '%s' option: id=%s set=%s name=%s value=%s", id, nv_id, set,
			    opt.cmd_arg, opt.value);
		g_free(set);
		g_free(nv_id);
	}
	xmlFreeDoc(d);
	if (rc != 0)
		return out_fail(rc, "%s", err.text);
	return PL_EXIT_OK;
}

int
rsc_cmd_set_param(void)
{
	int rc = rsc_require(opt.rsc);
	xmlNode *x;
	GPtrArray *t;
	GPtrArray *ids;

	if (rc != PL_EXIT_OK)
		return rc;
	if ((x = rsc_cib_find_rsc(opt.rsc)) == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Resource '%s' not found", opt.rsc);
	if (!strcmp(opt.attr_set_type, "instance_attributes") && !opt.force &&
	    (rc = check_meta_clash(x)) != PL_EXIT_OK)
		return rc;
	/* the targets are ids: every update re-reads a live CIB */
	t = targets(x, "update");
	ids = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < t->len; i++)
		g_ptr_array_add(ids, g_strdup(pl_xml_id(t->pdata[i])));
	g_ptr_array_free(t, true);
	for (guint i = 0; i < ids->len && rc == PL_EXIT_OK; i++) {
		xmlNode *e = rsc_cib_find_rsc(ids->pdata[i]);
		rc = e ? set_on(e)
		       : out_fail(PL_EXIT_NOSUCH, "Resource '%s' not found", (char *)ids->pdata[i]);
	}
	g_ptr_array_free(ids, true);
	return rc;
}

int
rsc_cmd_delete_param(void)
{
	int rc = rsc_require(opt.rsc);
	xmlNode *x;
	GPtrArray *t, *ids;

	if (rc != PL_EXIT_OK)
		return rc;
	if ((x = rsc_cib_find_rsc(opt.rsc)) == NULL)
		return out_fail(PL_EXIT_NOSUCH, "Resource '%s' not found", opt.rsc);
	t = targets(x, "delete");
	ids = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < t->len; i++)
		g_ptr_array_add(ids, g_strdup(pl_xml_id(t->pdata[i])));
	g_ptr_array_free(t, true);
	for (guint i = 0; i < ids->len && rc == PL_EXIT_OK; i++) {
		struct pl_error err = PL_ERROR_INIT;
		xmlNode *e = rsc_cib_find_rsc(ids->pdata[i]);
		xmlNode *nv = e ? own_nvpair(e) : NULL;
		char *nv_id;
		xmlDoc *d;

		if (nv == NULL)
			continue;
		nv_id = g_strdup(pl_xml_id(nv));
		d = pl_xml_new_doc("nvpair");
		pl_xml_set_attr(xmlDocGetRootElement(d), "id", nv_id);
		pl_xml_set_attr(xmlDocGetRootElement(d), "name", opt.cmd_arg);
		rc = rsc_cib_update(PL_CIB_OP_DELETE, "resources", xmlDocGetRootElement(d), &err);
		if (rc == 0 && !opt.quiet)
			out_info("Deleted '%s' option: id=%s%s%s name=%s", (char *)ids->pdata[i],
			    nv_id, opt.set_name ? " set=" : "", opt.set_name ? opt.set_name : "",
			    opt.cmd_arg);
		else if (rc != 0)
			rc = out_fail(rc, "%s", err.text);
		g_free(nv_id);
		xmlFreeDoc(d);
	}
	g_ptr_array_free(ids, true);
	return rc;
}
