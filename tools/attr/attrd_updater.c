/*
 * attrd_updater - query and change node attributes in paceline-attrd, with Pacemaker 2.1.5's
 * options, output and exit codes. Updates go to every node's attrd and, after the
 * attribute's dampening (-d), to the CIB status section; -p makes a new attribute private
 * (never written to the CIB). It needs the daemon: there is no CIB_file mode (as Pacemaker).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "attr_tool.h"
#include "paceline/attrd_client.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"
#include "paceline/xalloc.h"

#define TOOL	"attrd_updater"
#define SUMMARY "query and update Pacemaker node attributes"
#define RUN	run()

static struct {
	char *name, *update, *both, *delay, *set, *node, *lifetime;
	gboolean update_delay, query, delete_, refresh, all, private_, fancy;
} opt;

static GOptionEntry entries[] = { { "name", 'n', 0, G_OPTION_ARG_STRING, &opt.name,
				      "The attribute's name", "NAME" },
	{ "update", 'U', 0, G_OPTION_ARG_STRING, &opt.update,
	    "Update the attribute's value in paceline-attrd", "VALUE" },
	{ "update-both", 'B', 0, G_OPTION_ARG_STRING, &opt.both,
	    "Update the value and the dampening (requires -d)", "VALUE" },
	{ "update-delay", 'Y', 0, G_OPTION_ARG_NONE, &opt.update_delay,
	    "Update the dampening (requires -d)", NULL },
	{ "query", 'Q', 0, G_OPTION_ARG_NONE, &opt.query, "Query the attribute's value", NULL },
	{ "delete", 'D', 0, G_OPTION_ARG_NONE, &opt.delete_, "Unset the attribute", NULL },
	{ "refresh", 'R', 0, G_OPTION_ARG_NONE, &opt.refresh,
	    "(Advanced) Write every current value to the CIB again", NULL },
	{ "delay", 'd', 0, G_OPTION_ARG_STRING, &opt.delay,
	    "The time to wait (dampening) for further changes before writing to the CIB", "SECONDS" },
	{ "set", 's', 0, G_OPTION_ARG_STRING, &opt.set, "(Advanced) The attribute set", "SET" },
	{ "node", 'N', 0, G_OPTION_ARG_STRING, &opt.node, "The node (instead of this one)", "NODE" },
	{ "all", 'A', 0, G_OPTION_ARG_NONE, &opt.all, "Show the values on every node (query)", NULL },
	{ "lifetime", 'l', 0, G_OPTION_ARG_STRING, &opt.lifetime, "(Not yet implemented) Ignored",
	    "SECTION" },
	{ "private", 'p', 0, G_OPTION_ARG_NONE, &opt.private_,
	    "A new attribute is never written to the CIB", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL } };

static struct tool out = { .name = TOOL, .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };

static int
commands(void)
{
	return (opt.update != NULL) + (opt.both != NULL) + opt.update_delay + opt.query +
	    opt.delete_ + opt.refresh;
}

static int
do_query(void)
{
	struct pl_error e = PL_ERROR_INIT;
	char **kv = NULL;
	int rc = pl_attrd_query(NULL, opt.name, opt.node, opt.all, 30000, &kv, &e);

	if (rc != 0) {
		attrtool_error(&out, "Could not query value of %s: %s", opt.name,
		    rc == PL_EXIT_NOSUCH ? "attribute does not exist" : e.text);
		return rc;
	}
	for (char **p = kv; p[0] != NULL; p += 2) {
		attrtool_out_attr(&out, NULL, opt.name, p[1], p[0], false);
	}
	pl_attrd_kv_free(kv);
	return 0;
}

static int
run(void)
{
	struct pl_attrd_update u = { .host = opt.node, .name = opt.name, .set = opt.set };
	struct pl_error e = PL_ERROR_INIT;
	uint64_t ms = 0;
	int rc;

	if (commands() != 1) {
		attrtool_error(&out,
		    commands() == 0 ? "Command line error: a command (-U, -B, -Y, "
				      "-Q, -D or -R) is required"
				    : "Command line error: only one command may "
				      "be given");
		return PL_EXIT_USAGE;
	}
	if (!opt.refresh && (opt.name == NULL || opt.name[0] == '\0')) {
		attrtool_error(&out, "Command line error: -n/--name is required");
		return PL_EXIT_USAGE;
	}
	if ((opt.both != NULL || opt.update_delay) && opt.delay == NULL) {
		attrtool_error(&out, "Command line error: -B and -Y require -d/--delay");
		return PL_EXIT_USAGE;
	}
	if (opt.delay != NULL && (!pl_interval_parse_ms(opt.delay, &ms, &e) || ms > UINT32_MAX)) {
		attrtool_error(&out, "Command line error: invalid delay '%s'", opt.delay);
		return PL_EXIT_USAGE;
	}
	if (opt.query)
		return do_query();
	/* -d counts only with -B and -Y: Pacemaker 2.1.5's -U leaves the delay as it is (a new
	 * attribute gets none) */
	u.dampen_ms = opt.both != NULL || opt.update_delay ? (uint32_t)ms : 0;
	if (opt.refresh) {
		u.name = "";
		u.flags = PL_ATTRD_REFRESH;
	} else if (opt.delete_) {
		u.flags = PL_ATTRD_VALUE;
	} else if (opt.update_delay) {
		u.flags = PL_ATTRD_DELAY;
	} else {
		u.value = opt.update ? opt.update : opt.both;
		u.flags = PL_ATTRD_VALUE | (opt.both ? PL_ATTRD_DELAY : 0);
	}
	if (opt.private_)
		u.flags |= PL_ATTRD_PRIVATE;
	rc = pl_attrd_update(NULL, &u, 30000, &e);
	if (rc != 0)
		attrtool_error(&out, "Could not %s %s%s%s: %s", opt.delete_ ? "delete" : "update",
		    opt.name ? opt.name : "", u.value ? "=" : "", u.value ? u.value : "", e.text);
	return rc;
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
