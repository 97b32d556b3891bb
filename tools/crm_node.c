/*
 * crm_node - low-level node information from the controller (Pacemaker 2.1.5's options,
 * output and exit codes):
 *   -i this node's id, -n its name, -N ID the name of node ID, -q "1"/"0" for quorum (exit
 *   106 without), -l every known node as "ID NAME STATE", -p this partition's members on one
 *   line, -R NAME --force forget a node that left for good.
 * Everything goes through the local paceline-crmd (exit 102 when it is absent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "common-crmd/crmd_tool.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"


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
	gboolean force, quiet, version;
	int verbose;
} opt;

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

static gboolean
on_verbose(const char *o, const char *v, gpointer d, GError **e)
{
	(void)o;
	(void)v;
	(void)d;
	(void)e;
	opt.verbose++;
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
	{ "version", '$', 0, G_OPTION_ARG_NONE, &opt.version, "Display software version and exit",
	    NULL },
	{ "verbose", 'V', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_verbose,
	    "Increase debug output (may be specified multiple times)", NULL },
	{ "quiet", 'Q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Be less descriptive in output.", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static int
fail(int rc, const struct pl_error *err)
{
	if (rc == PL_EXIT_TIMEOUT)
		fprintf(
		    stderr, "error: Could not get a reply from the controller: Timeout occurred\n");
	else
		fprintf(stderr, "error: %s\n", err->text);
	return rc;
}

static int
run(struct pl_ipc_conn *c)
{
	struct pl_error err = PL_ERROR_INIT;
	struct crmdtool_state st;
	struct crmdtool_nodes nodes;
	int rc = 0, to = 10000;

	switch (opt.cmd) {
	case CMD_ID:
	case CMD_NAME:
	case CMD_QUORUM:
		if ((rc = crmdtool_state(c, NULL, to, &st, &err)) != 0)
			return fail(rc, &err);
		if (opt.cmd == CMD_ID)
			printf("%u\n", st.node_id);
		else if (opt.cmd == CMD_NAME)
			printf("%s\n", st.local);
		else {
			printf("%d\n", st.quorate ? 1 : 0);
			rc = st.quorate ? 0 : PL_EXIT_QUORUM;
		}
		crmdtool_state_clear(&st);
		return rc;
	case CMD_LIST:
	case CMD_PARTITION:
	case CMD_NAME_FOR_ID: {
		bool first = true, found = false;
		unsigned long want = opt.arg ? strtoul(opt.arg, NULL, 10) : 0;

		if ((rc = crmdtool_nodes(c, to, &nodes, &err)) != 0)
			return fail(rc, &err);
		for (unsigned i = 0; i < nodes.n; i++) {
			const struct crmdtool_node *n = &nodes.v[i];

			if (opt.cmd == CMD_LIST) {
				printf("%u %s %s\n", n->id, n->name, n->state);
			} else if (opt.cmd == CMD_PARTITION) {
				if (strcmp(n->state, "member") == 0) {
					printf("%s%s", first ? "" : " ", n->name);
					first = false;
				}
			} else if (n->id == want) {
				printf("%s\n", n->name);
				found = true;
			}
		}
		if (opt.cmd == CMD_PARTITION)
			printf("\n");
		if (opt.cmd == CMD_NAME_FOR_ID && !found) {
			fprintf(stderr, "error: Node ID %s not found\n", opt.arg);
			rc = PL_EXIT_NOSUCH;
		}
		crmdtool_nodes_clear(&nodes);
		return rc;
	}
	case CMD_REMOVE: {
		struct pl_pack p = PL_PACK_INIT;
		struct pl_ipc_msg m = PL_IPC_MSG_INIT;

		pl_msg_pack(&p, PL_MSG_CRMD_REMOVE_NODE, opt.arg);
		if (!pl_ipc_call(c, PL_MSG_CRMD_REMOVE_NODE, &p, PL_MSG_NONE, to, &m, &err)) {
			rc = err.code ? err.code : PL_EXIT_ERROR;
			fprintf(stderr, "error: Could not remove node %s: %s\n", opt.arg, err.text);
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
	rc = crmdtool_parse(ctx, "crm_node", main_entries, "commands", command_entries,
	    additional_entries, &opt.version, &argc, &argv);
	if (rc >= 0) {
		g_option_context_free(ctx);
		return rc;
	}
	if (opt.cmd == CMD_NONE) {
		gchar *help = g_option_context_get_help(ctx, TRUE, NULL);
		printf("%s", help);
		g_free(help);
		g_option_context_free(ctx);
		return PL_EXIT_USAGE;
	}
	g_option_context_free(ctx);
	if (opt.cmd == CMD_REMOVE && !opt.force) {
		fprintf(stderr,
		    "The supplied command is considered dangerous.  To prevent accidental "
		    "destruction of the cluster, the --force flag is required in order to "
		    "proceed.\n");
		return PL_EXIT_USAGE;
	}
	if ((c = crmdtool_connect(5000)) == NULL)
		return PL_EXIT_DISCONNECT;
	rc = run(c);
	pl_ipc_disconnect(c);
	return rc;
}
