/*
 * crm_resource - resource actions (Pacemaker 2.1.5's options, text and exit codes). For now
 * only the controller's part: --cleanup (forget failures and fail counts) and --refresh
 * (forget the whole history so the resource is probed again), for one resource (-r) or all,
 * on one node (-N) or all. The options are one table (entries below, commands[] for the
 * actions) so the rest of crm_resource joins by adding rows.
 * Exit: 0, 64 usage, 102 no controller, 105 no such resource or node, 124 timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "common-crmd/crmd_tool.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"

#define CRMD_REFRESH_FAILED_ONLY 1u /* crmd.def CRMD_REFRESH flag */

struct options;
typedef int (*command_fn)(struct pl_ipc_conn *c);

static struct options {
	const char *command; /* long name of the command given */
	char *rsc, *node, *timeout;
	gboolean force, quiet;
} opt;

static struct tool t = { .name = "crm_resource", .formats = TOOL_FMT_TEXT };

static int do_cleanup(struct pl_ipc_conn *c);
static int do_refresh(struct pl_ipc_conn *c);

/* The commands: long option -> handler. A new command is one row here and one entry. */
static const struct {
	const char *name;
	char letter;
	command_fn fn;
} commands[] = {
	{ "cleanup", 'C', do_cleanup },
	{ "refresh", 'R', do_refresh },
};

static gboolean
on_command(const char *o, const char *v, gpointer d, GError **e)
{
	(void)v;
	(void)d;
	(void)e;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if ((o[1] != '-' && o[1] == commands[i].letter) ||
		    (o[1] == '-' && strcmp(o + 2, commands[i].name) == 0))
			opt.command = commands[i].name;
	return TRUE;
}

static GOptionEntry command_entries[] = {
	{ "cleanup", 'C', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command,
	    "If resource has any past failures, clear its history and fail\n"
	    "                                    count. Optionally filtered by --resource and "
	    "--node\n"
	    "                                    (otherwise all).",
	    NULL },
	{ "refresh", 'R', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command,
	    "Delete resource's history (including failures) so its current state\n"
	    "                                    is rechecked. Optionally filtered by --resource "
	    "and --node\n"
	    "                                    (otherwise all).",
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry additional_entries[] = {
	{ "node", 'N', 0, G_OPTION_ARG_STRING, &opt.node, "Node name", "NAME" },
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt.force,
	    "Accepted; the clean-up always applies to the whole resource here", NULL },
	{ "timeout", 'T', 0, G_OPTION_ARG_STRING, &opt.timeout,
	    "How long to wait for the controller", "N" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry main_entries[] = {
	{ "quiet", 'Q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Be less descriptive in output.", NULL },
	{ "resource", 'r', 0, G_OPTION_ARG_STRING, &opt.rsc, "Resource ID", "ID" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static int
timeout_ms(void)
{
	int ms = 60000;

	if (opt.timeout && !crmdtool_timeout(opt.timeout, &ms))
		ms = 60000;
	return ms;
}

/* One CRMD_REFRESH; the controller answers once the status section is changed. */
static int
refresh(struct pl_ipc_conn *c, uint32_t flags)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct crmdtool_nodes nodes = { 0 };
	int rc = 0;

	pl_msg_pack(&p, PL_MSG_CRMD_REFRESH, opt.rsc ? opt.rsc : "", opt.node ? opt.node : "", flags);
	if (!pl_ipc_call(c, PL_MSG_CRMD_REFRESH, &p, PL_MSG_NONE, timeout_ms(), &m, &err)) {
		rc = err.code ? err.code : PL_EXIT_ERROR;
		if (rc == PL_EXIT_NOSUCH || rc == PL_EXIT_INVALID_PARAM)
			fprintf(stderr, "crm_resource: %s\n", err.text);
		else
			fprintf(stderr, "crm_resource: Error performing operation: %s\n", err.text);
		fprintf(stderr, "Error performing operation: %s\n", pl_exit_str(rc));
		goto out;
	}
	if (opt.quiet)
		goto out;
	if (opt.rsc && opt.node) {
		printf("Cleaned up %s on %s\n", opt.rsc, opt.node);
	} else if (opt.rsc) {
		if (crmdtool_nodes(c, 10000, &nodes, &err) == 0)
			for (unsigned i = 0; i < nodes.n; i++)
				printf("Cleaned up %s on %s\n", opt.rsc, nodes.v[i].name);
		crmdtool_nodes_clear(&nodes);
	} else if (opt.node) {
		printf("Cleaned up all resources on %s\n", opt.node);
	} else {
		printf("Cleaned up all resources on all nodes\n");
	}
	printf("Waiting for 1 reply from the controller\n... got reply (done)\n");
out:
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	return rc;
}

static int
do_cleanup(struct pl_ipc_conn *c)
{
	return refresh(c, CRMD_REFRESH_FAILED_ONLY);
}

static int
do_refresh(struct pl_ipc_conn *c)
{
	return refresh(c, 0);
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx =
	    g_option_context_new("- perform tasks related to Pacemaker cluster resources");
	struct pl_ipc_conn *c;
	int rc = crmdtool_parse(&t, ctx, main_entries, "commands", command_entries,
	    additional_entries, &argc, &argv);

	if (rc >= 0) {
		g_option_context_free(ctx);
		return rc;
	}
	rc = PL_EXIT_USAGE;
	if (opt.command == NULL) {
		gchar *help = g_option_context_get_help(ctx, TRUE, NULL);
		fprintf(stderr,
		    "crm_resource: this crm_resource only knows --cleanup and --refresh "
		    "so far\n%s",
		    help);
		g_free(help);
		g_option_context_free(ctx);
		return tool_finish(&t, PL_EXIT_USAGE);
	}
	g_option_context_free(ctx);
	if ((c = crmdtool_connect(&t, 5000)) == NULL) {
		fprintf(stderr, "Error performing operation: Not connected\n");
		return tool_finish(&t, PL_EXIT_DISCONNECT);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, opt.command) == 0)
			rc = commands[i].fn(c);
	pl_ipc_disconnect(c);
	return tool_finish(&t, rc);
}
