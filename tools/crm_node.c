/*
 * crm_node - low-level node information from the controller (Pacemaker 2.1.5's options,
 * output and exit codes):
 *   -i this node's id, -n its name, -N ID the name of node ID, -q "1"/"0" for quorum (exit
 *   106 without), -l every known node as "ID NAME STATE", -p this partition's members on one
 *   line, -R NAME --force forget a node that left for good.
 * Everything goes through the local paceline-crmd (exit 102 when it is absent).
 * --output-as=xml: Pacemaker 2.1.5's crm_node has no XML output; this one writes what
 * Pacemaker's crm_node writes from 2.1.6 on: <node-info nodeid [uname]> (-i, -n, -N),
 * <cluster-info quorum="true|false"> (-q), <nodes><node id name state> (-l, -p).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <libxml/tree.h>

#include "common-crmd/crmd_tool.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/xml.h"
#include "tool.h"


enum cmd {
	CMD_NONE,
	CMD_ID,
	CMD_LIST,
	CMD_NAME,
	CMD_PARTITION,
	CMD_QUORUM,
	CMD_NAME_FOR_ID,
	CMD_REMOVE
};

static struct {
	enum cmd cmd;
	char *arg; /* -N ID, -R NAME */
	gboolean force, quiet;
} opt;

static struct tool tool = { .name = "crm_node", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };

/* One row per command letter: the table the option callback looks up. */
static const struct {
	char letter;
	const char *name;
	enum cmd cmd;
} commands[] = {
	{ 'i', "cluster-id", CMD_ID },
	{ 'l', "list", CMD_LIST },
	{ 'n', "name", CMD_NAME },
	{ 'p', "partition", CMD_PARTITION },
	{ 'q', "quorum", CMD_QUORUM },
	{ 'N', "name-for-id", CMD_NAME_FOR_ID },
	{ 'R', "remove", CMD_REMOVE },
};

static gboolean
on_command(const char *o, const char *v, gpointer d, GError **e)
{
	(void)d;
	(void)e;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if ((o[1] != '-' && o[1] == commands[i].letter) ||
		    (o[1] == '-' && strcmp(o + 2, commands[i].name) == 0)) {
			opt.cmd = commands[i].cmd;
			g_free(opt.arg);
			opt.arg = v ? g_strdup(v) : NULL;
		}
	}
	return TRUE;
}

static GOptionEntry command_entries[] = {
	{ "cluster-id", 'i', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command,
	    "Display this node's cluster id", NULL },
	{ "list", 'l', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command,
	    "Display all known members (past and present) of this cluster", NULL },
	{ "name", 'n', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command,
	    "Display the name used by the cluster for this node", NULL },
	{ "partition", 'p', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command,
	    "Display the members of this partition", NULL },
	{ "quorum", 'q', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command,
	    "Display a 1 if our partition has quorum, 0 if not", NULL },
	{ "name-for-id", 'N', 0, G_OPTION_ARG_CALLBACK, on_command,
	    "Display the name used by the cluster for the node with the specified ID", "ID" },
	{ "remove", 'R', 0, G_OPTION_ARG_CALLBACK, on_command,
	    "(Advanced) Remove the (stopped) node with the specified name from Pacemaker's\n"
	    "                           configuration and caches (the node must already have been "
	    "removed from\n"
	    "                           the underlying cluster stack configuration",
	    "NAME" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry additional_entries[] = {
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt.force, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry main_entries[] = {
	{ "quiet", 'Q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Be less descriptive in output.", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static int
fail(int rc, const struct pl_error *err)
{
	if (rc == PL_EXIT_TIMEOUT)
		tool_error(
		    &tool, "error: Could not get a reply from the controller: Timeout occurred");
	else
		tool_error(&tool, "error: %s", err->text);
	return rc;
}

static bool
xml_out(void)
{
	return tool.format == TOOL_FMT_XML;
}

/* <node-info nodeid="ID" [uname="NAME"]/> */
static void
node_info(uint32_t id, const char *name)
{
	xmlNode *x = pl_xml_add_child(tool_xml_result(&tool), "node-info");

	pl_xml_set_attr_int(x, "nodeid", id);
	if (name)
		pl_xml_set_attr(x, "uname", name);
}

static int
show_state(struct pl_ipc_conn *c, int to)
{
	struct pl_error err = PL_ERROR_INIT;
	struct crmdtool_state st;
	int rc;

	if ((rc = crmdtool_state(c, NULL, to, &st, &err)) != 0)
		return fail(rc, &err);
	if (opt.cmd == CMD_QUORUM)
		rc = st.quorate ? 0 : PL_EXIT_QUORUM;
	if (xml_out() && opt.cmd == CMD_QUORUM) {
		pl_xml_set_attr(pl_xml_add_child(tool_xml_result(&tool), "cluster-info"), "quorum",
		    st.quorate ? "true" : "false");
	} else if (xml_out()) {
		node_info(st.node_id, opt.cmd == CMD_NAME ? st.local : NULL);
	} else if (opt.cmd == CMD_ID) {
		fprintf(tool.out, "%u\n", st.node_id);
	} else if (opt.cmd == CMD_NAME) {
		fprintf(tool.out, "%s\n", st.local);
	} else {
		fprintf(tool.out, "%d\n", st.quorate ? 1 : 0);
	}
	crmdtool_state_clear(&st);
	return rc;
}

static int
show_nodes(struct pl_ipc_conn *c, int to)
{
	struct pl_error err = PL_ERROR_INIT;
	struct crmdtool_nodes nodes;
	bool first = true, found = false;
	unsigned long want = opt.arg ? strtoul(opt.arg, NULL, 10) : 0;
	xmlNode *list = NULL;
	int rc;

	if ((rc = crmdtool_nodes(c, to, &nodes, &err)) != 0)
		return fail(rc, &err);
	if (xml_out() && opt.cmd != CMD_NAME_FOR_ID)
		list = pl_xml_add_child(tool_xml_result(&tool), "nodes");
	for (unsigned i = 0; i < nodes.n; i++) {
		const struct crmdtool_node *n = &nodes.v[i];
		bool member = strcmp(n->state, "member") == 0;

		if (opt.cmd == CMD_NAME_FOR_ID) {
			if (n->id != want)
				continue;
			found = true;
			if (xml_out())
				node_info(n->id, n->name);
			else
				fprintf(tool.out, "%s\n", n->name);
		} else if (list != NULL && (opt.cmd == CMD_LIST || member)) {
			xmlNode *x = pl_xml_add_child(list, "node");

			pl_xml_set_attr_int(x, "id", n->id);
			pl_xml_set_attr(x, "name", n->name);
			pl_xml_set_attr(x, "state", n->state);
		} else if (opt.cmd == CMD_LIST) {
			fprintf(tool.out, "%u %s %s\n", n->id, n->name, n->state);
		} else if (member) {
			fprintf(tool.out, "%s%s", first ? "" : " ", n->name);
			first = false;
		}
	}
	if (opt.cmd == CMD_PARTITION && !xml_out())
		fprintf(tool.out, "\n");
	if (opt.cmd == CMD_NAME_FOR_ID && !found) {
		tool_error(&tool, "error: Node ID %s not found", opt.arg);
		rc = PL_EXIT_NOSUCH;
	}
	crmdtool_nodes_clear(&nodes);
	return rc;
}

static int
run(struct pl_ipc_conn *c)
{
	struct pl_error err = PL_ERROR_INIT;
	int rc = 0, to = 10000;

	switch (opt.cmd) {
	case CMD_ID:
	case CMD_NAME:
	case CMD_QUORUM: return show_state(c, to);
	case CMD_LIST:
	case CMD_PARTITION:
	case CMD_NAME_FOR_ID: return show_nodes(c, to);
	case CMD_REMOVE: {
		struct pl_pack p = PL_PACK_INIT;
		struct pl_ipc_msg m = PL_IPC_MSG_INIT;

		pl_msg_pack(&p, PL_MSG_CRMD_REMOVE_NODE, opt.arg);
		if (!pl_ipc_call(c, PL_MSG_CRMD_REMOVE_NODE, &p, PL_MSG_NONE, to, &m, &err)) {
			rc = err.code ? err.code : PL_EXIT_ERROR;
			tool_error(&tool, "error: Could not remove node %s: %s", opt.arg, err.text);
		}
		pl_ipc_msg_clear(&m);
		pl_pack_free(&p);
		return rc;
	}
	case CMD_NONE: break;
	}
	return PL_EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new(NULL);
	struct pl_ipc_conn *c;
	int rc;

	g_option_context_set_summary(
	    ctx, "crm_node - Tool for displaying low-level node information");
	rc = crmdtool_parse(&tool, ctx, main_entries, "commands", command_entries,
	    additional_entries, &argc, &argv);
	if (rc >= 0) {
		g_option_context_free(ctx);
		return rc;
	}
	if (opt.cmd == CMD_NONE) {
		gchar *help = g_option_context_get_help(ctx, TRUE, NULL);

		if (xml_out())
			tool_error(&tool, "%s", help);
		else
			fprintf(tool.out, "%s", help);
		g_free(help);
		g_option_context_free(ctx);
		return tool_finish(&tool, PL_EXIT_USAGE);
	}
	g_option_context_free(ctx);
	if (opt.cmd == CMD_REMOVE && !opt.force) {
		tool_error(&tool,
		    "The supplied command is considered dangerous.  To prevent accidental "
		    "destruction of the cluster, the --force flag is required in order to "
		    "proceed.");
		return tool_finish(&tool, PL_EXIT_USAGE);
	}
	if ((c = crmdtool_connect(&tool, 5000)) == NULL)
		return tool_finish(&tool, PL_EXIT_DISCONNECT);
	rc = run(c);
	pl_ipc_disconnect(c);
	return tool_finish(&tool, rc);
}
