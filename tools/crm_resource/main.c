/*
 * crm_resource - resource queries and actions with Pacemaker 2.1.5's options, texts, XML
 * output and exit codes: on CIB_file= / CIB_shadow= or the live cluster (rsc_cib.c). One
 * command per run; the commands are one table (commands[]) mapping a long option to its
 * handler and to what it needs (a resource, the CIB).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_resource.h"
#include "paceline/exitcode.h"
#include "tool.h"

struct rsc_opts opt;

enum need { NEED_NONE = 0, NEED_RSC = 1, NEED_CIB = 2 };

static const struct command {
	const char *name;
	char letter;
	int (*fn)(void);
	unsigned need;
} commands[] = {
	{ "list", 'L', rsc_cmd_list, NEED_CIB },
	{ "list-raw", 'l', rsc_cmd_list_raw, NEED_CIB },
	{ "list-operations", 'O', rsc_cmd_list_ops, NEED_CIB },
	{ "list-all-operations", 'o', rsc_cmd_list_ops, NEED_CIB },
	{ "list-standards", 0, rsc_cmd_list_standards, NEED_NONE },
	{ "list-ocf-providers", 0, rsc_cmd_list_providers, NEED_NONE },
	{ "list-agents", 0, rsc_cmd_list_agents, NEED_NONE },
	{ "list-ocf-alternatives", 0, rsc_cmd_list_alternatives, NEED_NONE },
	{ "show-metadata", 0, rsc_cmd_metadata, NEED_NONE },
	{ "query-xml", 'q', rsc_cmd_query_xml, NEED_RSC | NEED_CIB },
	{ "query-xml-raw", 'w', rsc_cmd_query_xml, NEED_RSC | NEED_CIB },
	{ "get-parameter", 'g', rsc_cmd_get_param, NEED_RSC | NEED_CIB },
	{ "set-parameter", 'p', rsc_cmd_set_param, NEED_RSC | NEED_CIB },
	{ "delete-parameter", 'd', rsc_cmd_delete_param, NEED_RSC | NEED_CIB },
	{ "constraints", 'a', rsc_cmd_constraints, NEED_RSC | NEED_CIB },
	{ "stack", 'A', rsc_cmd_constraints, NEED_RSC | NEED_CIB },
	{ "locate", 'W', rsc_cmd_locate, NEED_RSC | NEED_CIB },
	{ "why", 'Y', rsc_cmd_why, NEED_CIB },
	{ "validate", 0, rsc_cmd_agent_action, NEED_NONE },
	{ "force-start", 0, rsc_cmd_agent_action, NEED_NONE },
	{ "force-stop", 0, rsc_cmd_agent_action, NEED_NONE },
	{ "force-check", 0, rsc_cmd_agent_action, NEED_NONE },
	{ "force-promote", 0, rsc_cmd_agent_action, NEED_NONE },
	{ "force-demote", 0, rsc_cmd_agent_action, NEED_NONE },
	{ "cleanup", 'C', rsc_cmd_cleanup, NEED_NONE },
	{ "refresh", 'R', rsc_cmd_refresh, NEED_NONE },
	{ "move", 'M', rsc_cmd_move, NEED_RSC | NEED_CIB },
	{ "ban", 'B', rsc_cmd_ban, NEED_RSC | NEED_CIB },
	{ "clear", 'U', rsc_cmd_clear, NEED_CIB },
	{ "delete", 'D', rsc_cmd_delete, NEED_RSC | NEED_CIB },
	{ "fail", 'F', rsc_cmd_fail, NEED_RSC | NEED_CIB },
	{ "wait", 0, rsc_cmd_wait, NEED_NONE },
	{ "restart", 0, rsc_cmd_restart, NEED_RSC | NEED_CIB },
	{ "digests", 0, rsc_cmd_digests, NEED_RSC | NEED_CIB },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *
command_for(const char *o)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if ((o[1] != '-' && o[1] == commands[i].letter && o[2] == '\0') ||
		    (o[1] == '-' && strcmp(o + 2, commands[i].name) == 0))
			return &commands[i];
	return NULL;
}

static gboolean
on_command(const char *o, const char *v, gpointer d, GError **e)
{
	const struct command *c = command_for(o);

	(void)d;
	(void)e;
	if (c == NULL)
		return TRUE;
	opt.cmd = c->name;
	g_free(opt.cmd_arg);
	opt.cmd_arg = g_strdup(v);
	return TRUE;
}

static gboolean
on_set_type(const char *o, const char *v, gpointer d, GError **e)
{
	(void)v;
	(void)d;
	(void)e;
	opt.attr_set_type =
	    (!strcmp(o, "-m") || !strcmp(o, "--meta")) ? "meta_attributes" : "utilization";
	return TRUE;
}

#define CMD0(long_, short_, help)                                                                  \
	{                                                                                          \
		long_, short_, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_command, help, NULL \
	}
#define CMD1(long_, short_, help, arg)                                         \
	{                                                                      \
		long_, short_, 0, G_OPTION_ARG_CALLBACK, on_command, help, arg \
	}
#define OPT_END                                 \
	{                                       \
		NULL, 0, 0, 0, NULL, NULL, NULL \
	}

static GOptionEntry query_entries[] = {
	CMD0("list", 'L', "List all cluster resources with status"),
	CMD0("list-raw", 'l',
	    "List IDs of all instantiated resources (individual members\n"
	    "                                    rather than groups etc.)"),
	CMD0("list-cts", 'c', NULL),
	CMD0("list-operations", 'O',
	    "List active resource operations, optionally filtered by\n"
	    "                                    --resource and/or --node"),
	CMD0("list-all-operations", 'o',
	    "List all resource operations, optionally filtered by\n"
	    "                                    --resource and/or --node"),
	CMD0("list-standards", 0, "List supported standards"),
	CMD0("list-ocf-providers", 0, "List all available OCF providers"),
	CMD1("list-agents", 0, "List all agents available for the named standard and/or provider",
	    "STD/PROV"),
	CMD1("list-ocf-alternatives", 0, "List all available providers for the named OCF agent",
	    "AGENT"),
	CMD1("show-metadata", 0, "Show the metadata for the named class:provider:agent", "SPEC"),
	CMD0("query-xml", 'q', "Show XML configuration of resource (after any template expansion)"),
	CMD0("query-xml-raw", 'w',
	    "Show XML configuration of resource (before any template expansion)"),
	CMD1("get-parameter", 'g',
	    "Display named parameter for resource (use instance attribute\n"
	    "                                    unless --meta or --utilization is specified)",
	    "PARAM"),
	CMD0("locate", 'W', "Show node(s) currently running resource"),
	CMD0("stack", 'A',
	    "Display the (co)location constraints that apply to a resource\n"
	    "                                    and the resources is it colocated with"),
	CMD0("constraints", 'a', "Display the (co)location constraints that apply to a resource"),
	CMD0("why", 'Y',
	    "Show why resources are not running, optionally filtered by\n"
	    "                                    --resource and/or --node"),
	OPT_END,
};

static GOptionEntry command_entries[] = {
	CMD0("validate", 0,
	    "Validate resource configuration by calling agent's validate-all\n"
	    "                                    action"),
	CMD0("cleanup", 'C',
	    "If resource has any past failures, clear its history and fail\n"
	    "                                    count. Optionally filtered by --resource and "
	    "--node\n"
	    "                                    (otherwise all)."),
	CMD0("refresh", 'R',
	    "Delete resource's history (including failures) so its current\n"
	    "                                    state is rechecked. Optionally filtered by "
	    "--resource\n"
	    "                                    and --node (otherwise all)."),
	CMD1("set-parameter", 'p',
	    "Set named parameter for resource (requires -v). Use instance\n"
	    "                                    attribute unless --meta or --utilization is "
	    "specified.",
	    "PARAM"),
	CMD1("delete-parameter", 'd',
	    "Delete named parameter for resource. Use instance attribute\n"
	    "                                    unless --meta or --utilization is specified.",
	    "PARAM"),
	OPT_END,
};

static GOptionEntry location_entries[] = {
	CMD0("move", 'M',
	    "Create a constraint to move resource. If --node is specified,\n"
	    "                                    the constraint will be to move to that node, "
	    "otherwise\n"
	    "                                    it will be to ban the current node."),
	CMD0("ban", 'B', "Create a constraint to keep resource off a node."),
	CMD0("clear", 'U',
	    "Remove all constraints created by the --ban and/or --move\n"
	    "                                    commands."),
	{ "lifetime", 'u', 0, G_OPTION_ARG_STRING, &opt.lifetime,
	    "Lifespan (as ISO 8601 duration) of created constraints (with\n"
	    "                                    -B, -M) see "
	    "https://en.wikipedia.org/wiki/ISO_8601#Durations)",
	    "TIMESPEC" },
	{ "promoted", 0, 0, G_OPTION_ARG_NONE, &opt.promoted,
	    "Limit scope of command to promoted role (with -B, -M, -U). For\n"
	    "                                    -B and -M, previously promoted instances may "
	    "remain\n"
	    "                                    active in the unpromoted role.",
	    NULL },
	{ "master", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt.promoted, NULL, NULL },
	OPT_END,
};

static GOptionEntry advanced_entries[] = {
	CMD0("delete", 'D', "(Advanced) Delete a resource from the CIB. Required: -t"),
	CMD0("fail", 'F', "(Advanced) Tell the cluster this resource has failed"),
	CMD0("restart", 0,
	    "(Advanced) Tell the cluster to restart this resource and\n"
	    "                                    anything that depends on it"),
	CMD0("wait", 0, "(Advanced) Wait until the cluster settles into a stable state"),
	CMD0("digests", 0,
	    "(Advanced) Show parameter hashes that Pacemaker uses to detect\n"
	    "                                    configuration changes (only accurate if there is\n"
	    "                                    resource history on the specified node)"),
	CMD0("force-demote", 0,
	    "(Advanced) Bypass the cluster and demote a resource on the local\n"
	    "                                    node. Unless --force is specified, this will "
	    "refuse to do\n"
	    "                                    so if the cluster believes the resource is a "
	    "clone\n"
	    "                                    instance already running on the local node."),
	CMD0("force-stop", 0, "(Advanced) Bypass the cluster and stop a resource on the local node"),
	CMD0("force-start", 0,
	    "(Advanced) Bypass the cluster and start a resource on the local\n"
	    "                                    node. Unless --force is specified, this will "
	    "refuse to do\n"
	    "                                    so if the cluster believes the resource is a "
	    "clone\n"
	    "                                    instance already running on the local node."),
	CMD0("force-promote", 0,
	    "(Advanced) Bypass the cluster and promote a resource on the\n"
	    "                                    local node. Unless --force is specified, this "
	    "will refuse\n"
	    "                                    to do so if the cluster believes the resource is "
	    "a clone\n"
	    "                                    instance already running on the local node."),
	CMD0("force-check", 0,
	    "(Advanced) Bypass the cluster and check the state of a resource\n"
	    "                                    on the local node"),
	OPT_END,
};

static GOptionEntry validate_entries[] = {
	{ "class", 0, 0, G_OPTION_ARG_STRING, &opt.cls,
	    "The standard the resource agent conforms to\n"
	    "                                    (for example, ocf). Use with --agent, --provider, "
	    "--option,\n"
	    "                                    and --validate.",
	    "CLASS" },
	{ "agent", 0, 0, G_OPTION_ARG_STRING, &opt.agent,
	    "The agent to use (for example, IPaddr). Use\n"
	    "                                    with --class, --provider, --option, and "
	    "--validate.",
	    "AGENT" },
	{ "provider", 0, 0, G_OPTION_ARG_STRING, &opt.provider,
	    "The vendor that supplies the resource agent\n"
	    "                                    (for example, heartbeat). Use with --class, "
	    "--agent,\n"
	    "                                    --option, and --validate.",
	    "PROVIDER" },
	OPT_END,
};

static GOptionEntry additional_entries[] = {
	{ "node", 'N', 0, G_OPTION_ARG_STRING, &opt.node, "Node name", "NAME" },
	{ "recursive", 0, 0, G_OPTION_ARG_NONE, &opt.recursive,
	    "Follow colocation chains when using --set-parameter", NULL },
	{ "resource-type", 't', 0, G_OPTION_ARG_STRING, &opt.rsc_type,
	    "Resource XML element (primitive, group, etc.) (with -D)", "ELEMENT" },
	{ "parameter-value", 'v', 0, G_OPTION_ARG_STRING, &opt.value, "Value to use with -p",
	    "PARAM" },
	{ "meta", 'm', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_set_type,
	    "Use resource meta-attribute instead of instance attribute\n"
	    "                                    (with -p, -g, -d)",
	    NULL },
	{ "utilization", 'z', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, on_set_type,
	    "Use resource utilization attribute instead of instance attribute\n"
	    "                                    (with -p, -g, -d)",
	    NULL },
	{ "operation", 'n', 0, G_OPTION_ARG_STRING, &opt.operation,
	    "Operation to clear instead of all (with -C -r)", "OPERATION" },
	{ "interval", 'I', 0, G_OPTION_ARG_STRING, &opt.interval,
	    "Interval of operation to clear (default 0) (with -C -r -n)", "N" },
	{ "set-name", 's', 0, G_OPTION_ARG_STRING, &opt.set_name,
	    "(Advanced) XML ID of attributes element to use (with -p, -d)", "ID" },
	{ "nvpair", 'i', 0, G_OPTION_ARG_STRING, &opt.nvpair_id,
	    "(Advanced) XML ID of nvpair element to use (with -p, -d)", "ID" },
	{ "timeout", 'T', 0, G_OPTION_ARG_STRING, &opt.timeout,
	    "(Advanced) Abort if command does not finish in this time (with\n"
	    "                                    --restart, --wait, --force-*)",
	    "N" },
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt.force,
	    "If making CIB changes, do so regardless of quorum. See help for\n"
	    "                                    individual commands for additional behavior.",
	    NULL },
	{ "expired", 'e', 0, G_OPTION_ARG_NONE, &opt.expired,
	    "Remove expired constraints even if --resource is not specified (with\n"
	    "                                    --clear)",
	    NULL },
	OPT_END,
};

static GOptionEntry main_entries[] = {
	{ "quiet", 'Q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Be less descriptive in output.", NULL },
	{ "resource", 'r', 0, G_OPTION_ARG_STRING, &opt.rsc, "Resource ID", "ID" },
	{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.extra, NULL, NULL },
	OPT_END,
};

/* Pacemaker's checks of option combinations, before anything is read. */
static int
check_options(const struct command *c)
{
	bool agent_cmd = !strcmp(c->name, "validate") || !strncmp(c->name, "force-", 6);

	if ((opt.cls || opt.agent || opt.provider) && opt.rsc) {
		return out_fail(PL_EXIT_USAGE,
		    "--resource cannot be used with --class, --agent, and "
		    "--provider");
	}
	if ((opt.cls || opt.agent || opt.provider) && !agent_cmd) {
		return out_fail(PL_EXIT_USAGE,
		    "--class, --agent, and --provider can only be used with "
		    "--validate and --force-*");
	}
	if ((c->need & NEED_RSC) && (opt.rsc == NULL || *opt.rsc == '\0') &&
	    !(agent_cmd && opt.agent)) {
		return out_fail(PL_EXIT_USAGE, "Must supply a resource id with -r");
	}
	if (!strcmp(c->name, "set-parameter") && opt.value == NULL) {
		return out_fail(PL_EXIT_USAGE, "You need to supply a value with the -v option");
	}
	return PL_EXIT_OK;
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx =
	    g_option_context_new("- perform tasks related to Pacemaker cluster resources");
	const struct command *c = NULL;
	int rc;

	opt.attr_set_type = "instance_attributes";
	tool_add_group(ctx, "queries", "Queries:", "Show query help", query_entries);
	tool_add_group(ctx, "commands", "Commands:", "Show command help", command_entries);
	tool_add_group(ctx, "locations", "Locations:", "Show location help", location_entries);
	tool_add_group(ctx, "advanced", "Advanced:", "Show advanced option help", advanced_entries);
	tool_add_group(ctx, "validate", "Validate:", "Show validate help", validate_entries);
	tool_add_group(ctx, "additional", "Additional Options:", "Show additional options",
	    additional_entries);
	rc = tool_parse(&rsc_tool, ctx, main_entries, &argc, &argv);
	g_option_context_free(ctx);
	if (rc >= 0)
		return rc;
	/* NAME=VALUE words belong to --validate, --force-* and --digests; others are errors */
	if (opt.extra && opt.cmd &&
	    (!strcmp(opt.cmd, "digests") || !strcmp(opt.cmd, "validate") ||
		!strncmp(opt.cmd, "force-", 6))) {
		bool all_pairs = true;
		for (char **w = opt.extra; *w; w++)
			all_pairs &= strchr(*w, '=') != NULL;
		if (!all_pairs)
			goto stray;
	} else if (opt.extra) {
	stray:
		fprintf(stderr, "crm_resource: non-option ARGV-elements:\n");
		for (int i = 0; opt.extra[i]; i++)
			fprintf(stderr, "[%d of %u] %s\n", i + 1, g_strv_length(opt.extra),
			    opt.extra[i]);
		fprintf(stderr, "\n");
		return out_finish(PL_EXIT_USAGE, true);
	}
	if (opt.cmd == NULL)
		opt.cmd = opt.rsc ? "query-xml" : "list";
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, opt.cmd))
			c = &commands[i];
	if (c == NULL)
		return out_finish(out_fail(PL_EXIT_UNIMPLEMENT_FEATURE,
				      "--%s is not supported by this crm_resource", opt.cmd),
		    true);
	rc = check_options(c);
	if (rc != PL_EXIT_OK)
		return out_finish(rc, true);
	if (c->need & NEED_CIB) {
		rc = rsc_cib_open();
		if (rc != PL_EXIT_OK)
			return out_finish(rc, false);
	}
	rc = c->fn();
	rsc_cib_close();
	return out_finish(rc, false);
}
