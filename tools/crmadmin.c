/*
 * crmadmin - query the controller (Pacemaker 2.1.5's options, text and exit codes):
 *   -D  the DC's name ("Designated Controller is: n1"; -q: the name alone)
 *   -S NODE  a controller's state ("Status of crmd@n1: S_IDLE (ok)"; -q: the state alone)
 *   -N [TYPES]  the nodes of the CIB (cluster, guest, remote); -B as "export name=id"
 * -N reads the CIB (CIB_file works); the others ask the local paceline-crmd, which answers
 * for the other nodes from what the cluster told it. Exit: 0, 64 usage, 102 no controller,
 * 124 timeout, 105 unknown node. --output-as=xml gives Pacemaker 2.1.5's XML (crmadmin-2.25
 * schema): <dc node_name>, <crmd node_name state result>, <nodes><node type name id>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libxml/tree.h>

#include "common-crmd/crmd_tool.h"
#include "tool.h"
#include "paceline/cib_client.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/xml.h"


static struct {
	char *status_node;
	gboolean dc, pacemakerd, bash, quiet, fancy;
	char *nodes; /* -N's optional TYPES; "" when given without */
	gboolean nodes_set;
	char *timeout;
	char *ipc_name;
} opt;

static struct tool tool = { .name = "crmadmin", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };
static xmlNode *xml_nodes; /* -N in XML: the <nodes> list */

static gboolean
on_nodes(const char *o, const char *v, gpointer d, GError **e)
{
	(void)o;
	(void)d;
	(void)e;
	opt.nodes_set = TRUE;
	g_free(opt.nodes);
	opt.nodes = g_strdup(v ? v : "all");
	return TRUE;
}

static GOptionEntry command_entries[] = {
	{ "status", 'S', 0, G_OPTION_ARG_STRING, &opt.status_node,
	    "Display the status of the specified node.", "NODE" },
	{ "pacemakerd", 'P', 0, G_OPTION_ARG_NONE, &opt.pacemakerd,
	    "Display the status of local pacemakerd.", NULL },
	{ "dc_lookup", 'D', 0, G_OPTION_ARG_NONE, &opt.dc,
	    "Display the uname of the node co-ordinating the cluster.", NULL },
	{ "nodes", 'N', G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, on_nodes,
	    "Display the uname of all member nodes [optionally filtered by type "
	    "(comma-separated)]\n"
	    "                             Types: all (default), cluster, guest, remote",
	    "TYPE" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry additional_entries[] = {
	{ "timeout", 't', 0, G_OPTION_ARG_STRING, &opt.timeout,
	    "Time to wait before declaring the operation failed", "TIMESPEC" },
	{ "bash-export", 'B', 0, G_OPTION_ARG_NONE, &opt.bash,
	    "Display nodes as shell commands of the form 'export uname=uuid'\n"
	    "                             (valid with -N/--nodes)",
	    NULL },
	{ "ipc-name", 'i', 0, G_OPTION_ARG_STRING, &opt.ipc_name,
	    "Name to use for ipc instead of 'crmadmin' (with -P/--pacemakerd).", "NAME" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry main_entries[] = {
	{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet,
	    "Display only the essential query information", NULL },
	{ "text-fancy", 0, 0, G_OPTION_ARG_NONE, &opt.fancy,
	    "Use more highly formatted output (requires --output-as=text)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* ---- -N: the nodes of the CIB --------------------------------------------------------- */

static xmlDoc *
read_cib(int timeout_ms, int *rc)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *path = getenv("CIB_file");
	xmlDoc *doc = NULL;

	if (path != NULL) {
		doc = strcmp(path, "-") == 0 ? NULL : pl_xml_parse_file(path, &err);
		if (strcmp(path, "-") == 0) {
			GString *s = g_string_new(NULL);
			char buf[8192];
			size_t n;

			while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
				g_string_append_len(s, buf, (gssize)n);
			doc = pl_xml_parse_memory(s->str, s->len, "stdin", &err);
			g_string_free(s, TRUE);
		}
	} else {
		struct pl_cib_conn *c = pl_cib_connect(timeout_ms, "crmadmin", &err);
		struct pl_cib_request req = { .op = PL_CIB_OP_QUERY };
		xmlNode *out = NULL;

		if (c != NULL && pl_cib_call(c, &req, timeout_ms, &out, NULL, &err) == 0 && out) {
			doc = pl_xml_copy_doc(out);
			pl_cib_output_free(out);
		}
		if (c != NULL)
			pl_cib_disconnect(c);
	}
	if (doc == NULL) {
		tool_error(&tool, "crmadmin: Could not connect to the CIB: %s", err.text);
		*rc = err.code ? err.code : PL_EXIT_DISCONNECT;
	}
	return doc;
}

static bool
want(const char *types, const char *t)
{
	gchar **v = g_strsplit(types, ",", -1);
	bool yes = false;

	for (gchar **p = v; *p; p++)
		if (strcmp(*p, "all") == 0 || strcmp(*p, t) == 0)
			yes = true;
	g_strfreev(v);
	return yes;
}

static void
print_node(const char *type, const char *name, const char *id)
{
	if (tool.format == TOOL_FMT_XML) {
		xmlNode *n = pl_xml_add_child(xml_nodes, "node");

		pl_xml_set_attr(n, "type", type);
		pl_xml_set_attr(n, "name", name);
		pl_xml_set_attr(n, "id", id);
	} else if (opt.bash) {
		fprintf(tool.out, "export %s=%s\n", name, id);
	} else if (opt.quiet) {
		fprintf(tool.out, "%s\n", name);
	} else {
		fprintf(tool.out, "%s node: %s (%s)\n", type, name, id);
	}
}

/* A primitive's meta attribute (first found). */
static const char *
meta_of(const xmlNode *rsc, const char *name)
{
	PL_XML_FOREACH_CHILD(rsc, "meta_attributes", set)
	PL_XML_FOREACH_CHILD(set, "nvpair", nv)
	{
		const char *n = pl_xml_attr(nv, "name");
		if (n && strcmp(n, name) == 0)
			return pl_xml_attr(nv, "value");
	}
	return NULL;
}

static void
walk_resources(const xmlNode *parent, const char *types, bool guests)
{
	for (xmlNode *r = pl_xml_first_child(parent, NULL); r; r = pl_xml_next_sibling(r, NULL)) {
		if (pl_xml_is(r, "primitive")) {
			const char *cls = pl_xml_attr(r, "class"), *prov = pl_xml_attr(r, "provider");
			const char *type = pl_xml_attr(r, "type"), *guest = meta_of(r, "remote-node");

			if (guests && guest && want(types, "guest"))
				print_node("guest", guest, guest);
			else if (!guests && !guest && cls && strcmp(cls, "ocf") == 0 && prov &&
			    strcmp(prov, "pacemaker") == 0 && type && strcmp(type, "remote") == 0 &&
			    want(types, "remote"))
				print_node("remote", pl_xml_id(r), pl_xml_id(r));
		} else {
			walk_resources(r, types, guests);
		}
	}
}

static int
list_nodes(int timeout_ms)
{
	int rc = 0;
	xmlDoc *doc = read_cib(timeout_ms, &rc);
	xmlNode *cib, *cfg;

	if (doc == NULL)
		return rc;
	if (tool.format == TOOL_FMT_XML)
		xml_nodes = pl_xml_add_child(tool_xml_result(&tool), "nodes");
	cib = pl_xml_root(doc);
	cfg = pl_xml_first_child(cib, "configuration");
	if (want(opt.nodes, "cluster"))
		PL_XML_FOREACH_CHILD(pl_xml_first_child(cfg, "nodes"), "node", n)
		{
			const char *t = pl_xml_attr(n, "type");
			if (t == NULL || strcmp(t, "member") == 0 || strcmp(t, "normal") == 0)
				print_node("cluster", pl_xml_attr(n, "uname"), pl_xml_id(n));
		}
	walk_resources(pl_xml_first_child(cfg, "resources"), opt.nodes, true);
	walk_resources(pl_xml_first_child(cfg, "resources"), opt.nodes, false);
	xmlFreeDoc(doc);
	return 0;
}

/* ---- -D and -S: ask the controller ---------------------------------------------------- */

static int
ask(const char *node, int timeout_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct crmdtool_state st;
	struct pl_ipc_conn *c = crmdtool_connect(&tool, timeout_ms);
	int rc;

	if (c == NULL) {
		tool_error(&tool, "error: Command failed: Connection refused");
		return PL_EXIT_DISCONNECT;
	}
	rc = crmdtool_state(c, node, timeout_ms, &st, &err);
	pl_ipc_disconnect(c);
	if (rc == PL_EXIT_TIMEOUT) {
		tool_error(&tool, "error: Command failed: Timeout occurred");
		return rc;
	}
	if (rc != 0) {
		tool_error(&tool, "error: Command failed: %s", err.text);
		return rc;
	}
	if (tool.format == TOOL_FMT_XML) {
		xmlNode *x = pl_xml_add_child(tool_xml_result(&tool), node ? "crmd" : "dc");

		pl_xml_set_attr(x, "node_name", node ? st.node : st.dc);
		if (node) {
			pl_xml_set_attr(x, "state", st.state);
			pl_xml_set_attr(x, "result", "ok");
		}
	} else if (node == NULL) {
		if (!opt.quiet)
			fprintf(
			    tool.out, "Designated Controller is: %s\n", *st.dc ? st.dc : "<none>");
		else if (*st.dc)
			fprintf(tool.out, "%s\n", st.dc);
	} else {
		if (!opt.quiet)
			fprintf(tool.out, "Status of crmd@%s: %s (ok)\n", st.node, st.state);
		else
			fprintf(tool.out, "%s\n", st.state);
	}
	crmdtool_state_clear(&st);
	return 0;
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new(NULL);
	int timeout_ms = 30000, rc;

	g_option_context_set_summary(ctx, "query and manage the Pacemaker controller");
	rc = crmdtool_parse(
	    &tool, ctx, main_entries, "command", command_entries, additional_entries, &argc, &argv);
	if (rc >= 0) {
		g_option_context_free(ctx);
		return rc;
	}
	if (opt.timeout && !crmdtool_timeout(opt.timeout, &timeout_ms)) {
		tool_error(&tool, "crmadmin: Invalid value for --timeout: %s", opt.timeout);
		rc = PL_EXIT_USAGE;
	} else if (opt.status_node) {
		rc = ask(opt.status_node, timeout_ms);
	} else if (opt.dc) {
		rc = ask(NULL, timeout_ms);
	} else if (opt.nodes_set) {
		rc = list_nodes(timeout_ms);
	} else if (opt.pacemakerd) {
		tool_error(&tool,
		    "error: Command failed: paceline has no pacemakerd "
		    "(paceline-launcher supervises the daemons)");
		rc = PL_EXIT_UNIMPLEMENT_FEATURE;
	} else {
		gchar *help = g_option_context_get_help(ctx, TRUE, NULL);

		tool_error(&tool, "error: Must specify a command option");
		tool_error(&tool, "%s", help);
		g_free(help);
		rc = PL_EXIT_USAGE;
	}
	g_option_context_free(ctx);
	return tool_finish(&tool, rc);
}
