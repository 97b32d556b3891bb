/*
 * crm_attribute - query and change cluster options and node attributes, with Pacemaker
 * 2.1.5's options, output and exit codes.
 *
 * Where an attribute lives, by -t/--type or -l/--lifetime (-t wins):
 *	crm_config (default without -N)   cluster_property_set in crm_config
 *	rsc_defaults, op_defaults         meta_attributes in that section
 *	nodes (-l forever, -N)            instance_attributes (or -z utilization) of the node
 *	status (-l reboot, -p)            the node's transient_attributes in the status section
 * Changes to status go through paceline-attrd (so every node and the CIB get them, after the
 * attribute's dampening) unless CIB_file is set: on a file, the attribute's home is the CIB.
 * Everything else, and every query, works on the CIB (CIB_file or the local paceline-cib).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "attr_tool.h"
#include "paceline/attrd_client.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#define TOOL	"crm_attribute"
#define SUMMARY "crm_attribute - query and update Pacemaker cluster options and node attributes"
#define RUN	run(argc, argv)

static struct {
	char *name, *pattern, *promotion, *id, *set, *value, *deflt, *lifetime, *node, *type;
	gboolean delete_, query, util, quiet, fancy, promotion_given;
} opt;

static gboolean
on_promotion(const gchar *name, const gchar *value, gpointer data, GError **error)
{
	(void)name, (void)data, (void)error;
	opt.promotion_given = TRUE;
	g_free(opt.promotion);
	opt.promotion = g_strdup(value);
	return TRUE;
}

static GOptionEntry entries[] = { { "name", 'n', 0, G_OPTION_ARG_STRING, &opt.name,
				      "Operate on attribute or option with this name", "NAME" },
	{ "pattern", 'P', 0, G_OPTION_ARG_STRING,
	    &opt.pattern, "Operate on all attributes matching this pattern (with -G, or with -v/-D and -l reboot)",
	    "PATTERN" },
	{ "promotion", 'p', G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_promotion,
	    "Operate on the promotion score of RESOURCE (or $OCF_RESOURCE_INSTANCE); -l reboot",
	    "RESOURCE" },
	{ "id", 'i', 0, G_OPTION_ARG_STRING, &opt.id, "(Advanced) The attribute's XML ID", "XML_ID" },
	{ "attr-id", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt.id, NULL, NULL },
	{ "set-name", 's', 0, G_OPTION_ARG_STRING, &opt.set,
	    "(Advanced) The attribute is within the set with this XML ID", "NAME" },
	{ "delete", 'D', 0, G_OPTION_ARG_NONE, &opt.delete_, "Delete the attribute/option", NULL },
	{ "delete-attr", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt.delete_, NULL, NULL },
	{ "query", 'G', 0, G_OPTION_ARG_NONE, &opt.query, "Query the current value", NULL },
	{ "get-value", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt.query, NULL, NULL },
	{ "update", 'v', 0, G_OPTION_ARG_STRING, &opt.value, "Update the value", "VALUE" },
	{ "attr-value", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt.value, NULL, NULL },
	{ "default", 'd', 0, G_OPTION_ARG_STRING, &opt.deflt,
	    "(Advanced) Default value to display if none is found", "VALUE" },
	{ "lifetime", 'l', 0, G_OPTION_ARG_STRING, &opt.lifetime,
	    "Lifetime of the node attribute: reboot, forever", "LIFETIME" },
	{ "node", 'N', 0, G_OPTION_ARG_STRING, &opt.node, "Set a node attribute for the named node",
	    "NODE" },
	{ "uname", 'U', G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt.node, NULL, NULL },
	{ "type", 't', 0, G_OPTION_ARG_STRING, &opt.type,
	    "Section: crm_config, rsc_defaults, op_defaults, nodes, status", "SECTION" },
	{ "utilization", 'z', 0, G_OPTION_ARG_NONE, &opt.util,
	    "A utilization attribute of the node", NULL },
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Print only the value on stdout", NULL },
	{ "quiet-legacy", 'Q', G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt.quiet, NULL, NULL },
	{ "text-fancy", 0, 0, G_OPTION_ARG_NONE, &opt.fancy, "More highly formatted text", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL } };

enum scope { SC_CRM_CONFIG, SC_RSC_DEFAULTS, SC_OP_DEFAULTS, SC_NODES, SC_STATUS };
static const char *scope_names[] = { "crm_config", "rsc_defaults", "op_defaults", "nodes", "status" };

struct target {
	enum scope scope;
	const char *uname, *node_id;
	xmlNode *holder; /* crm_config section, the node, or the node's transient_attributes */
	const char *set_element;
};

static struct tool out = { .name = TOOL, .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };

/* Pacemaker's XML ID from free text: characters an ID may not hold become '.' */
static char *
sanitize_id(const char *fmt_a, const char *b)
{
	char *id = xasprintf("%s-%s", fmt_a, b);

	for (char *p = id; *p != '\0'; p++)
		if (*p == '#' || *p == ':' || *p == '/' || *p == '@')
			*p = '.';
	return id;
}

static bool
scope_from(const char *type, enum scope *sc)
{
	if (strcmp(type, "reboot") == 0 || strcmp(type, "status") == 0)
		*sc = SC_STATUS;
	else if (strcmp(type, "forever") == 0 || strcmp(type, "nodes") == 0)
		*sc = SC_NODES;
	else if (strcmp(type, "crm_config") == 0)
		*sc = SC_CRM_CONFIG;
	else if (strcmp(type, "rsc_defaults") == 0)
		*sc = SC_RSC_DEFAULTS;
	else if (strcmp(type, "op_defaults") == 0)
		*sc = SC_OP_DEFAULTS;
	else
		return false;
	return true;
}

static xmlNode *
config_section(xmlNode *cib, const char *name)
{
	xmlNode *conf = pl_xml_first_child(cib, "configuration");

	return conf ? pl_xml_first_child(conf, name) : NULL;
}

/* Where the sets of the target are, in the current CIB (NULL: none yet). */
static xmlNode *
holder_of(xmlNode *cib, const struct target *t)
{
	xmlNode *sec;

	switch (t->scope) {
	case SC_NODES:
		if ((sec = config_section(cib, "nodes")) == NULL)
			return NULL;
		for (xmlNode *n = pl_xml_first_child(sec, "node"); n;
		     n = pl_xml_next_sibling(n, "node"))
			if (pl_xml_id(n) && strcmp(pl_xml_id(n), t->node_id) == 0)
				return n;
		return NULL;
	case SC_STATUS:
		if ((sec = pl_xml_first_child(cib, "status")) == NULL)
			return NULL;
		for (xmlNode *n = pl_xml_first_child(sec, "node_state"); n;
		     n = pl_xml_next_sibling(n, "node_state"))
			if (pl_xml_id(n) && strcmp(pl_xml_id(n), t->node_id) == 0)
				return pl_xml_first_child(n, "transient_attributes");
		return NULL;
	default: return config_section(cib, scope_names[t->scope]);
	}
}

/* The nvpairs the options select, in document order. */
static GPtrArray *
find_matches(xmlNode *cib, const struct target *t)
{
	GPtrArray *found = g_ptr_array_new();
	xmlNode *holder = holder_of(cib, t);
	regex_t re;

	if (opt.pattern != NULL && regcomp(&re, opt.pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return found;
	for (xmlNode *set = holder ? pl_xml_first_child(holder, t->set_element) : NULL; set;
	     set = pl_xml_next_sibling(set, t->set_element)) {
		if (opt.set != NULL &&
		    (pl_xml_id(set) == NULL || strcmp(pl_xml_id(set), opt.set) != 0))
			continue;
		for (xmlNode *nv = pl_xml_first_child(set, "nvpair"); nv;
		     nv = pl_xml_next_sibling(nv, "nvpair")) {
			const char *id = pl_xml_id(nv), *name = pl_xml_attr(nv, "name");

			if (name == NULL)
				continue;
			if (opt.id != NULL && (id == NULL || strcmp(id, opt.id) != 0))
				continue;
			if (opt.pattern != NULL) {
				if (regexec(&re, name, 0, NULL, 0) != 0)
					continue;
			} else if (opt.name != NULL && strcmp(name, opt.name) != 0) {
				continue;
			}
			g_ptr_array_add(found, nv);
		}
	}
	if (opt.pattern != NULL)
		regfree(&re);
	return found;
}

static const char *
value_of(const xmlNode *nv)
{
	const char *v = pl_xml_attr(nv, "value");

	return v != NULL ? v : "";
}

static void
print_multiple(GPtrArray *m)
{
	if (out.format == TOOL_FMT_XML)
		return;
	fprintf(out.out, "Multiple attributes match name=%s\n", opt.name ? opt.name : "");
	for (unsigned i = 0; i < m->len; i++)
		fprintf(out.out, "  Value: %s \t(id=%s)\n", value_of(m->pdata[i]),
		    pl_xml_id(m->pdata[i]));
}

static const char *
default_set(const struct target *t, char **owned)
{
	switch (t->scope) {
	case SC_CRM_CONFIG: return "cib-bootstrap-options";
	case SC_RSC_DEFAULTS: return "rsc_defaults-options";
	case SC_OP_DEFAULTS: return "op_defaults-options";
	case SC_NODES:
		return *owned = xasprintf(opt.util ? "nodes-%s-utilization" : "nodes-%s", t->node_id);
	default:
		return *owned =
			   xasprintf(opt.util ? "status-%s-utilization" : "status-%s", t->node_id);
	}
}

/* The modify request that sets (set_id, nv_id, name) = value, creating what is missing. */
static int
write_value(struct attrtool_cib *c, const struct target *t, const char *set_id, const char *nv_id,
    const char *name, const char *value)
{
	xmlDoc *doc = pl_xml_new_doc("x");
	xmlNode *top, *set, *nv;
	struct pl_cib_request req = { .op = PL_CIB_OP_MODIFY };
	struct pl_error e = PL_ERROR_INIT;
	int rc;

	switch (t->scope) {
	case SC_NODES:
		top = pl_xml_root(doc);
		xmlNodeSetName(top, BAD_CAST "node");
		pl_xml_set_attr(top, "id", t->node_id);
		set = pl_xml_add_child(top, t->set_element);
		req.section = "nodes";
		break;
	case SC_STATUS: {
		xmlNode *ta;

		top = pl_xml_root(doc);
		xmlNodeSetName(top, BAD_CAST "node_state");
		pl_xml_set_attr(top, "id", t->node_id);
		ta = pl_xml_add_child(top, "transient_attributes");
		pl_xml_set_attr(ta, "id", t->node_id);
		set = pl_xml_add_child(ta, t->set_element);
		req.section = "status";
		break;
	}
	default:
		top = set = pl_xml_root(doc);
		xmlNodeSetName(top, BAD_CAST t->set_element);
		req.section = scope_names[t->scope];
		req.flags = PL_CIB_F_ALLOW_CREATE;
		break;
	}
	pl_xml_set_attr(set, "id", set_id);
	nv = pl_xml_add_child(set, "nvpair");
	pl_xml_set_attr(nv, "id", nv_id);
	pl_xml_set_attr(nv, "name", name);
	pl_xml_set_attr(nv, "value", value);
	req.input = top;
	rc = attrtool_cib_update(c, &req, &e);
	if (rc != 0) {
		if (out.format == TOOL_FMT_TEXT)
			/* the set as given with -s, as Pacemaker's */
			fprintf(stderr, "Error setting %s=%s (section=%s, set=%s): %s\n", name,
			    value, scope_names[t->scope], opt.set ? opt.set : "<null>",
			    attrtool_rc_text(rc));
		if (rc == PL_EXIT_CONFIG)
			fprintf(stderr, "%s\n", e.text);
	}
	xmlFreeDoc(doc);
	return rc;
}

/* A new attribute: "value++" and "value+=N" count from 0, as Pacemaker's CIB does. NULL when
 * value is not an increment. */
static char *
increment_from_zero(const char *value)
{
	long n;

	if (strcmp(value, "value++") == 0)
		return xstrdup("1");
	if (strncmp(value, "value+=", 7) != 0)
		return NULL;
	if (strcmp(value + 7, "INFINITY") == 0 || strcmp(value + 7, "+INFINITY") == 0)
		return xstrdup("INFINITY");
	if (strcmp(value + 7, "-INFINITY") == 0)
		return xstrdup("-INFINITY");
	n = strtol(value + 7, NULL, 10);
	if (n >= 1000000)
		return xstrdup("INFINITY");
	if (n <= -1000000)
		return xstrdup("-INFINITY");
	return xasprintf("%ld", n);
}

static int
do_update(struct attrtool_cib *c, xmlNode *cib, const struct target *t)
{
	GPtrArray *m = find_matches(cib, t);
	int rc = 0;

	if (opt.pattern != NULL) {
		/* copies first: in file mode each write replaces the document */
		unsigned n = m->len;
		char **v = xcalloc(3 * (size_t)n + 1, sizeof(char *));

		for (unsigned i = 0; i < n; i++) {
			xmlNode *nv = m->pdata[i];

			v[3 * i] = xstrdup(pl_xml_id(nv->parent));
			v[3 * i + 1] = xstrdup(pl_xml_id(nv));
			v[3 * i + 2] = xstrdup(pl_xml_attr(nv, "name"));
		}
		for (unsigned i = 0; i < n && rc == 0; i++)
			rc = write_value(c, t, v[3 * i], v[3 * i + 1], v[3 * i + 2], opt.value);
		for (unsigned i = 0; i < 3 * n; i++)
			free(v[i]);
		free(v);
	} else if (m->len > 1) {
		attrtool_error(
		    &out, "Please choose from one of the matches below and supply the 'id' with --attr-id");
		print_multiple(m);
		rc = PL_EXIT_MULTIPLE;
	} else if (m->len == 1) {
		xmlNode *nv = m->pdata[0];
		/* copies: a failed file update may free the document (the name was printed freed) */
		char *set = xstrdup(pl_xml_id(nv->parent)), *id = xstrdup(pl_xml_id(nv));
		char *name = xstrdup(pl_xml_attr(nv, "name"));

		rc = write_value(c, t, set, id, name, opt.value);
		free(set);
		free(id);
		free(name);
	} else {
		char *owned_set = NULL, *nv_id;
		const char *set = opt.set ? opt.set : default_set(t, &owned_set);

		char *value = increment_from_zero(opt.value);

		nv_id = opt.id ? xstrdup(opt.id) : sanitize_id(set, opt.name);
		rc = write_value(c, t, set, nv_id, opt.name, value ? value : opt.value);
		free(value);
		free(nv_id);
		free(owned_set);
	}
	g_ptr_array_free(m, true);
	return rc;
}

static int
do_delete(struct attrtool_cib *c, xmlNode *cib, const struct target *t)
{
	GPtrArray *m = find_matches(cib, t);
	char **ids = NULL, **names = NULL;
	unsigned n = m->len;
	int rc = 0;

	if (opt.pattern == NULL && m->len > 1) {
		print_multiple(m);
		g_ptr_array_free(m, true);
		return 0;
	}
	ids = xcalloc(n + 1, sizeof(char *));
	names = xcalloc(n + 1, sizeof(char *));
	for (unsigned i = 0; i < n; i++) {
		ids[i] = xstrdup(pl_xml_id(m->pdata[i]));
		names[i] = xstrdup(pl_xml_attr(m->pdata[i], "name"));
	}
	g_ptr_array_free(m, true);
	for (unsigned i = 0; i < n && rc == 0; i++) {
		xmlDoc *doc = pl_xml_new_doc("nvpair");
		struct pl_cib_request req = { .op = PL_CIB_OP_DELETE,
			.section = t->scope == SC_STATUS ? "status"
			    : t->scope == SC_NODES	 ? "nodes"
							 : scope_names[t->scope],
			.input = pl_xml_root(doc) };
		struct pl_error e = PL_ERROR_INIT;

		pl_xml_set_attr(pl_xml_root(doc), "id", ids[i]);
		rc = attrtool_cib_update(c, &req, &e);
		xmlFreeDoc(doc);
		if (rc == 0 && out.format == TOOL_FMT_TEXT)
			fprintf(out.out, "Deleted %s %s: id=%s name=%s\n", scope_names[t->scope],
			    t->scope <= SC_OP_DEFAULTS ? "option" : "attribute",
			    opt.id != NULL ? "(null)" : ids[i], names[i]);
	}
	for (unsigned i = 0; i < n; i++) {
		free(ids[i]);
		free(names[i]);
	}
	free(ids);
	free(names);
	return rc;
}

static int
do_query(xmlNode *cib, const struct target *t)
{
	GPtrArray *m = find_matches(cib, t);
	int rc = 0;

	if (m->len == 0) {
		if (opt.deflt != NULL) {
			attrtool_out_attr(&out, scope_names[t->scope], opt.name ? opt.name : "",
			    opt.deflt, t->scope >= SC_NODES ? t->uname : NULL, opt.quiet);
		} else {
			rc = PL_EXIT_NOSUCH;
		}
	}
	for (unsigned i = 0; i < m->len; i++)
		attrtool_out_attr(&out, scope_names[t->scope], pl_xml_attr(m->pdata[i], "name"),
		    value_of(m->pdata[i]), NULL, opt.quiet);
	g_ptr_array_free(m, true);
	return rc;
}

/* -l reboot without CIB_file: the update goes to paceline-attrd. */
static int
via_attrd(const struct target *t)
{
	struct pl_attrd_update u = { .host = t->uname, .set = opt.set };
	struct pl_error e = PL_ERROR_INIT;
	int rc;

	u.name = opt.pattern ? opt.pattern : opt.name;
	u.value = opt.delete_ ? NULL : opt.value;
	u.flags =
	    PL_ATTRD_VALUE | (opt.pattern ? PL_ATTRD_PATTERN : 0) | (opt.util ? PL_ATTRD_UTIL : 0);
	rc = pl_attrd_update(NULL, &u, 30000, &e);
	if (rc != 0 && out.verbose > 0)
		fprintf(stderr, "%s: %s\n", TOOL, e.text);
	return rc;
}

static int
run(int argc, char **argv)
{
	struct attrtool_cib c;
	struct target t = { .scope = SC_CRM_CONFIG };
	struct pl_error e = PL_ERROR_INIT;
	xmlNode *cib;
	int rc;

	(void)argc, (void)argv;
	if (opt.promotion_given) {
		const char *rsc = opt.promotion ? opt.promotion : getenv("OCF_RESOURCE_INSTANCE");

		if (rsc == NULL || rsc[0] == '\0') {
			attrtool_error(&out,
			    "-p/--promotion must be called from an OCF resource "
			    "agent or with a resource ID specified");
			return PL_EXIT_USAGE;
		}
		g_free(opt.name);
		opt.name = g_strdup_printf("master-%s", rsc);
		if (opt.lifetime == NULL && opt.type == NULL)
			opt.lifetime = g_strdup("reboot");
	}
	if (opt.type != NULL) {
		if (!scope_from(opt.type, &t.scope))
			goto bad_type;
	} else if (opt.lifetime != NULL) {
		if (strcmp(opt.lifetime, "reboot") != 0 && strcmp(opt.lifetime, "forever") != 0)
			goto bad_type;
		t.scope = strcmp(opt.lifetime, "reboot") == 0 ? SC_STATUS : SC_NODES;
	} else if (opt.node != NULL || opt.util) {
		t.scope = SC_NODES;
	}
	if (opt.pattern != NULL && (opt.delete_ || opt.value != NULL) && t.scope != SC_STATUS) {
		attrtool_error(&out,
		    "Error: pattern can only be used with query, or with "
		    "till-reboot update or delete");
		return PL_EXIT_USAGE;
	}
	if (opt.delete_ && opt.name == NULL && opt.pattern == NULL && opt.id == NULL) {
		attrtool_error(&out, "Error: must specify attribute name or pattern to delete");
		return PL_EXIT_USAGE;
	}
	if (opt.value != NULL && !opt.delete_ && opt.name == NULL && opt.pattern == NULL &&
	    opt.id == NULL) {
		attrtool_error(&out, "Error: must specify attribute name or pattern to update");
		return PL_EXIT_USAGE;
	}
	t.set_element = t.scope == SC_CRM_CONFIG ? "cluster_property_set"
	    : t.scope <= SC_OP_DEFAULTS		 ? "meta_attributes"
	    : opt.util				 ? "utilization"
						 : "instance_attributes";
	if ((rc = attrtool_cib_open(&c, TOOL, &e)) != 0) {
		if (rc == PL_EXIT_NOINPUT)
			rc = PL_EXIT_NOSUCH; /* a missing CIB_file, as Pacemaker reports it */
		attrtool_error(&out, "Could not connect to the CIB: %s", attrtool_rc_text(rc));
		if (out.verbose > 0)
			fprintf(stderr, "%s: %s\n", TOOL, e.text);
		return rc;
	}
	if ((cib = attrtool_cib_root(&c, &e)) == NULL) {
		rc = e.code ? e.code : PL_EXIT_ERROR;
		goto done;
	}
	if (t.scope >= SC_NODES) {
		t.uname = opt.node ? opt.node : attrtool_local_node();
		if ((t.node_id = attrtool_node_id(cib, t.uname)) == NULL) {
			attrtool_error(&out, "Could not map name=%s to a UUID", t.uname);
			rc = PL_EXIT_NOSUCH;
			attrtool_cib_close(&c);
			return rc;
		}
		t.node_id = xstrdup(t.node_id);
	}
	if (t.scope == SC_STATUS && c.daemon && (opt.delete_ || opt.value != NULL))
		rc = via_attrd(&t);
	else if (opt.delete_)
		rc = do_delete(&c, cib, &t);
	else if (opt.value != NULL)
		rc = do_update(&c, cib, &t);
	else
		rc = do_query(cib, &t);
done:
	if (rc != 0 && rc != PL_EXIT_MULTIPLE)
		attrtool_error(&out, "Error performing operation: %s", attrtool_rc_text(rc));
	free((char *)t.node_id);
	attrtool_cib_close(&c);
	return rc;
bad_type:
	attrtool_error(&out, "Error performing operation: %s", attrtool_rc_text(PL_EXIT_PROTOCOL));
	return PL_EXIT_PROTOCOL;
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new(NULL);
	int rc;

	g_option_context_set_summary(ctx, SUMMARY);
	if ((rc = tool_parse(&out, ctx, entries, &argc, &argv)) >= 0) {
		g_option_context_free(ctx);
		return rc;
	}
	g_option_context_free(ctx);
	rc = RUN;
	return tool_finish(&out, rc);
}
