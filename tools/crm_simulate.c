/*
 * crm_simulate - run the policy engine on a CIB and show what the cluster would do, with
 * Pacemaker 2.1.5's options, output and exit codes (see docs/design/pengine.md).
 *
 *	crm_simulate -x cib.xml -S        status, transition summary, simulated execution, result
 *	crm_simulate -L -X --node-up=n1   the same on the live CIB (or CIB_shadow / CIB_file),
 *	                                  written back with the simulated results
 *
 * The steps, as Pacemaker's: read the input (-x FILE, -p stdin, else -L: the CIB source the
 * environment names); print the current status; apply the what-if changes (--node-up,
 * --op-inject, ...); schedule when asked (-R, -S, -X, -s, -U, -G, -D); run the transition in
 * the simulator when asked (-S, -X), pretending --op-fail results, and print the revised
 * status. -O writes the CIB as the simulation left it, -X writes it back to the input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "paceline/buf.h"
#include "paceline/cib.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/iso8601.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "simulate_inject.h"
#include "simulate_xml.h"
#include "tool.h"

static struct {
	gboolean run, simulate, in_place, attrs, failcounts, scores, util, live, pipe, quiet;
	gboolean all_actions;
	char *profile;
	int repeat;
	char *xml, *save_input, *save_output, *graph, *dot, *when, *quorum, *watchdog, *explain;
	char **up, **down, **fail, **inject, **op_fail, **grant, **revoke, **standby, **activate;
} opt = { .repeat = 1 };

static GOptionEntry operation_entries[] = {
	{ "run", 'R', 0, G_OPTION_ARG_NONE, &opt.run,
	    "Process the supplied input and show what actions the cluster will take in response",
	    NULL },
	{ "simulate", 'S', 0, G_OPTION_ARG_NONE, &opt.simulate,
	    "Like --run, but also simulate taking those actions and show the resulting new status",
	    NULL },
	{ "in-place", 'X', 0, G_OPTION_ARG_NONE, &opt.in_place,
	    "Like --simulate, but also store the results back to the input file", NULL },
	{ "show-attrs", 'A', 0, G_OPTION_ARG_NONE, &opt.attrs, "Show node attributes", NULL },
	{ "show-failcounts", 'c', 0, G_OPTION_ARG_NONE, &opt.failcounts,
	    "Show resource fail counts", NULL },
	{ "show-scores", 's', 0, G_OPTION_ARG_NONE, &opt.scores, "Show allocation scores", NULL },
	{ "show-utilization", 'U', 0, G_OPTION_ARG_NONE, &opt.util, "Show utilization information",
	    NULL },
	{ "profile", 'P', 0, G_OPTION_ARG_FILENAME, &opt.profile,
	    "Process all the XML files in the named directory to create profiling data", "DIR" },
	{ "repeat", 'N', 0, G_OPTION_ARG_INT, &opt.repeat,
	    "With --profile, repeat each test N times and print timings", "N" },
	{ "explain", 0, 0, G_OPTION_ARG_STRING, &opt.explain,
	    "After the output, why RSC is where it is or why it is not running (Paceline)", "RSC" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry synthetic_entries[] = {
	{ "node-up", 'u', 0, G_OPTION_ARG_STRING_ARRAY, &opt.up, "Simulate bringing a node online",
	    "NODE" },
	{ "node-down", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &opt.down,
	    "Simulate taking a node offline", "NODE" },
	{ "node-fail", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &opt.fail, "Simulate a node failing",
	    "NODE" },
	{ "op-inject", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &opt.inject,
	    "Generate a failure for the cluster to react to in the simulation", "OPSPEC" },
	{ "op-fail", 'F', 0, G_OPTION_ARG_STRING_ARRAY, &opt.op_fail,
	    "If the specified task occurs during the simulation, have it fail with return code "
	    "${rc}",
	    "OPSPEC" },
	{ "set-datetime", 't', 0, G_OPTION_ARG_STRING, &opt.when, "Set date/time (ISO 8601 format)",
	    "DATETIME" },
	{ "quorum", 'q', 0, G_OPTION_ARG_STRING, &opt.quorum,
	    "Set to '1' (or 'true') to indicate cluster has quorum", "QUORUM" },
	{ "watchdog", 'w', 0, G_OPTION_ARG_STRING, &opt.watchdog,
	    "Set to '1' (or 'true') to indicate cluster has an active watchdog device", "DEVICE" },
	{ "ticket-grant", 'g', 0, G_OPTION_ARG_STRING_ARRAY, &opt.grant,
	    "Simulate granting a ticket", "TICKET" },
	{ "ticket-revoke", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &opt.revoke,
	    "Simulate revoking a ticket", "TICKET" },
	{ "ticket-standby", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &opt.standby,
	    "Simulate making a ticket standby", "TICKET" },
	{ "ticket-activate", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &opt.activate,
	    "Simulate activating a ticket", "TICKET" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry artifact_entries[] = {
	{ "save-input", 'I', 0, G_OPTION_ARG_FILENAME, &opt.save_input,
	    "Save the input configuration to the named file", "FILE" },
	{ "save-output", 'O', 0, G_OPTION_ARG_FILENAME, &opt.save_output,
	    "Save the output configuration to the named file", "FILE" },
	{ "save-graph", 'G', 0, G_OPTION_ARG_FILENAME, &opt.graph,
	    "Save the transition graph (XML format) to the named file", "FILE" },
	{ "save-dotfile", 'D', 0, G_OPTION_ARG_FILENAME, &opt.dot,
	    "Save the transition graph (DOT format) to the named file", "FILE" },
	{ "all-actions", 'a', 0, G_OPTION_ARG_NONE, &opt.all_actions,
	    "Display all possible actions in DOT graph (even if not part of transition)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry source_entries[] = {
	{ "live-check", 'L', 0, G_OPTION_ARG_NONE, &opt.live,
	    "Connect to CIB manager and use the current CIB contents as input", NULL },
	{ "xml-file", 'x', 0, G_OPTION_ARG_FILENAME, &opt.xml, "Retrieve XML from the named file",
	    "FILE" },
	{ "xml-pipe", 'p', 0, G_OPTION_ARG_NONE, &opt.pipe, "Retrieve XML from stdin", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry main_entries[] = {
	{ "quiet", 'Q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Display only essential output", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static struct tool t = { .name = "crm_simulate", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		tool_error(&t, "crm_simulate: cannot write %s: %s", path, strerror(errno));
		return PL_EXIT_CANTCREAT;
	}
	return 0;
}

static GPtrArray *
array_of(char **v)
{
	GPtrArray *a = g_ptr_array_new();
	for (; v && *v; v++)
		g_ptr_array_add(a, *v);
	return a;
}

/* crm_mon's sections, one level in, as crm_simulate nests them under its status */
static void
mon_sections(struct pl_pengine_run *run, unsigned show, struct pl_buf *out)
{
	struct pl_mon_opts mo = { .show = show, .inactive = true, .details = true };
	struct pl_buf sec = PL_BUF_INIT;
	pl_pengine_mon_text(run, &mo, &sec);
	gchar **lines = g_strsplit(pl_buf_str(&sec), "\n", -1);
	for (gchar **l = lines; *l; l++) {
		if (**l == '\0' && l[1] == NULL)
			break;
		if (**l == '\0')
			pl_buf_add(out, "\n");
		else if (**l != ' ')
			pl_buf_addf(out, "  * %s\n", *l); /* a section title */
		else
			pl_buf_addf(out, "  %s\n", *l);
	}
	g_strfreev(lines);
	pl_buf_free(&sec);
}

/* The status section, with node attributes (-A) and the fail counts and failed actions (-c)
 * under it. Pacemaker 2.1.5's crm_simulate prints the "Migration Summary" title of -c with
 * no entries under it (it does not count fail counts there); so does this one, for the
 * shells and scripts that read its output. */
static void
status_text(struct pl_pengine_run *run, bool revised, struct pl_buf *out)
{
	pl_pengine_status_text(run, revised, out);
	if (opt.attrs)
		mon_sections(run, PL_MON_ATTRIBUTES, out);
	if (opt.failcounts) {
		pl_buf_add(out, "\n  * Migration Summary:\n");
		mon_sections(run, PL_MON_FAILURES, out);
	}
}

static int
indent_of(const char *l)
{
	int n = 0;
	while (l[n] == ' ')
		n++;
	return n;
}

/* With -s or -U, Pacemaker 2.1.5 prints its lists plainly: no titles or list headers, each
 * item without its bullet, and a node list named by its state ("Online: [ a b ]") by the
 * bracketed names only. */
static void
plain_lists(struct pl_buf *out)
{
	static const char *const named[] = { "Online: [", "OFFLINE: [", "GuestOnline: [",
		"GuestOFFLINE: [", "RemoteOnline: [", "RemoteOFFLINE: [", NULL };
	gchar **lines = g_strsplit(pl_buf_str(out), "\n", -1);
	struct pl_buf b = PL_BUF_INIT;
	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];
		if (lines[i + 1] == NULL) { /* after the last newline */
			pl_buf_add(&b, l);
			break;
		}
		if (*l == '\0') {
			pl_buf_add(&b, "\n");
			continue;
		}
		static const char *const titles[] = { "Current cluster status:",
			"Revised Cluster Status:", "Transition Summary:",
			"Executing Cluster Transition:", "Performing Requested Modifications:",
			"Allocation scores:", NULL };
		int in = indent_of(l);
		bool title = false;
		for (int k = 0; in == 0 && titles[k]; k++)
			title = title || !strcmp(l, titles[k]);
		bool header = false;
		if (in > 0 && lines[i + 1] && *lines[i + 1] && indent_of(lines[i + 1]) > in)
			header = true;
		if (title || header)
			continue;
		if (in == 0 || strncmp(l + in, "* ", 2) != 0) {
			pl_buf_addf(&b, "%s\n", l + in);
			continue;
		}
		const char *item = l + in + 2;
		for (int k = 0; named[k]; k++)
			if (!strncmp(item, named[k], strlen(named[k]))) {
				item = strchr(item, '[');
				break;
			}
		pl_buf_addf(&b, "%s\n", item);
	}
	g_strfreev(lines);
	pl_buf_free(out);
	*out = b;
}

/* --profile DIR: schedule every XML file of DIR (N times) and print how long each took */
static int
profile(const char *dir)
{
	GError *gerr = NULL;
	GDir *d = g_dir_open(dir, 0, &gerr);
	if (d == NULL) {
		tool_error(&t, "crm_simulate: --profile: %s", gerr->message);
		g_error_free(gerr);
		return PL_EXIT_NOINPUT;
	}
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	for (const char *n; (n = g_dir_read_name(d)) != NULL;)
		if (g_str_has_suffix(n, ".xml"))
			g_ptr_array_add(names, g_build_filename(dir, n, NULL));
	g_dir_close(d);
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	int rc = 0;
	fprintf(t.out, "Timings:\n");
	for (guint i = 0; i < names->len; i++) {
		const char *path = *(char **)&names->pdata[i];
		gchar *text = NULL;
		gsize len = 0;
		if (!g_file_get_contents(path, &text, &len, NULL)) {
			tool_error(&t, "crm_simulate: cannot read %s", path);
			rc = PL_EXIT_NOINPUT;
			continue;
		}
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (int k = 0; k < (opt.repeat > 0 ? opt.repeat : 1); k++) {
			struct pl_error err = PL_ERROR_INIT;
			struct pl_pengine_opts o = { 0 };
			xmlDoc *doc = NULL;
			struct pl_pengine_run *run =
			    pl_pengine_run_text(text, len, path, &o, &doc, &err);
			if (run == NULL && k == 0)
				tool_error(&t, "crm_simulate: %s: %s", path, err.text);
			pl_pengine_free(run);
			if (doc)
				xmlFreeDoc(doc);
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		fprintf(t.out, "  * Testing %s ... %.2f secs\n", path, secs);
		g_free(text);
	}
	g_ptr_array_free(names, true);
	return rc;
}

/* Pacemaker's crm_simulate validates a CIB without validate-with against every schema in
 * turn (validate_xml): each schema's Relax-NG errors go to stderr with the file and line, and
 * the run goes on (the document validates with "none"). */
static void
validate_unnamed(const gchar *text, gsize len, const char *name)
{
	/* the root's attribute read off the text first: a CIB of any size that names its
	 * schema is not parsed a second time for this (a 40 MB status cost 2 s and 400 MB) */
	char *vw = tool_cib_root_validate_with(text, len);
	if (vw != NULL) {
		g_free(vw);
		return;
	}
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_memory(text, len, name, &e);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (root != NULL && pl_xml_attr(root, "validate-with") == NULL) {
		pl_cib_schema_set_echo(stderr, true);
		pl_cib_validate(doc, &e);
		pl_cib_schema_set_echo(NULL, false);
	}
	if (doc != NULL)
		xmlFreeDoc(doc); /* a document that does not parse is reported by the run */
}

/* The input, as text: -x FILE, -p (stdin), else the CIB source the environment names (the
 * live CIB, CIB_shadow or CIB_file). *src stays open for -X to write back through. */
static int
read_input(gchar **text, gsize *len, const char **name, struct tool_cib **src)
{
	GError *gerr = NULL;
	struct pl_error err = PL_ERROR_INIT;
	if (opt.xml) {
		*name = opt.xml;
		if (!g_file_get_contents(opt.xml, text, len, &gerr)) {
			tool_error(&t, "crm_simulate: %s", gerr->message);
			g_error_free(gerr);
			return PL_EXIT_NOINPUT;
		}
		return 0;
	}
	if (opt.pipe) {
		*name = "stdin";
		GString *s = g_string_new(NULL);
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			g_string_append_len(s, buf, (gssize)n);
		*len = s->len;
		*text = g_string_free(s, false);
		return 0;
	}
	*name = "live CIB";
	*src = tool_cib_open("crm_simulate", 30000, &err);
	xmlDoc *doc = *src ? tool_cib_fetch(*src, &err) : NULL;
	if (doc == NULL) {
		tool_error(&t, "crm_simulate: could not read the CIB: %s", err.text);
		return err.code ? err.code : PL_EXIT_ERROR;
	}
	if (tool_cib_path(*src))
		*name = tool_cib_path(*src);
	char *dump = pl_xml_dump(pl_xml_root(doc), true);
	*text = g_strdup(dump);
	*len = strlen(dump);
	free(dump);
	xmlFreeDoc(doc);
	return 0;
}

/* -X: the simulated CIB replaces the input (a file, a shadow or the live CIB) */
static int
write_back(xmlDoc *doc, struct tool_cib *src)
{
	struct pl_error err = PL_ERROR_INIT;
	if (opt.xml) {
		char *d = pl_xml_dump(pl_xml_root(doc), true);
		int rc = write_file(opt.xml, d);
		free(d);
		return rc;
	}
	if (src == NULL) {
		tool_error(&t, "crm_simulate: --in-place needs a file, a shadow or the live CIB");
		return PL_EXIT_USAGE;
	}
	/* the version as the simulated updates moved it (sim_version_apply) */
	struct pl_cib_request req = {
		.op = PL_CIB_OP_REPLACE, .input = pl_xml_root(doc), .flags = PL_CIB_F_SYNC
	};
	int rc = tool_cib_call(src, &req, NULL, &err);
	if (rc != 0)
		tool_error(&t, "crm_simulate: could not write the CIB back: %s", err.text);
	return rc;
}

/* Pacemaker's library messages while it read the CIB, on stderr as it prints them when
 * PCMK_stderr asks for them. One set per unpacking: the current status, the changed CIB,
 * the revised status. */
static bool log_wanted;

static void
print_log(struct pl_pengine_run *run)
{
	if (log_wanted && run)
		fputs(pl_pengine_log(run), stderr);
}

static bool
env_true(const char *name)
{
	const char *v = getenv(name);
	return v &&
	    (!strcmp(v, "1") || !g_ascii_strcasecmp(v, "yes") || !g_ascii_strcasecmp(v, "true") ||
		!g_ascii_strcasecmp(v, "on"));
}

int
main(int argc, char **argv)
{
	GOptionContext *ctx = g_option_context_new(NULL);
	g_option_context_set_summary(ctx,
	    "crm_simulate - simulate a Pacemaker cluster's "
	    "response to events");
	tool_add_group(
	    ctx, "operations", "Operations:", "Show operations options", operation_entries);
	tool_add_group(ctx, "synthetic",
	    "Synthetic Cluster Events:", "Show synthetic cluster event options", synthetic_entries);
	tool_add_group(
	    ctx, "artifact", "Artifact Options:", "Show artifact options", artifact_entries);
	tool_add_group(ctx, "source", "Data Source:", "Show data source options", source_entries);
	int rc = tool_parse(&t, ctx, main_entries, &argc, &argv);
	g_option_context_free(ctx);
	if (rc >= 0)
		return rc;
	if (t.version)
		return tool_finish(&t, 0);
	if (opt.profile)
		return tool_finish(&t, profile(opt.profile));

	bool simulate = opt.simulate || opt.in_place;
	bool process = opt.run || simulate || opt.scores || opt.util || opt.graph || opt.dot;
	g_autoptr(GPtrArray) up = array_of(opt.up), down = array_of(opt.down);
	g_autoptr(GPtrArray) nfail = array_of(opt.fail), inject = array_of(opt.inject);
	g_autoptr(GPtrArray) grant = array_of(opt.grant), revoke = array_of(opt.revoke);
	g_autoptr(GPtrArray) standby = array_of(opt.standby), activate = array_of(opt.activate);
	struct sim_mods mods = { opt.quorum, opt.watchdog, up, down, nfail, grant, revoke, standby,
		activate, inject };
	bool modify = !sim_inject_empty(&mods);

	gchar *text = NULL;
	gsize text_len = 0;
	const char *name = NULL;
	struct tool_cib *src = NULL;
	rc = read_input(&text, &text_len, &name, &src);
	if (rc != 0) {
		if (src)
			tool_cib_close(src);
		return tool_finish(&t, rc);
	}
	if (opt.save_input && (rc = write_file(opt.save_input, text)) != 0)
		goto done_text;
	/* an older schema's CIB is upgraded in memory first, as Pacemaker's */
	if ((rc = tool_cib_config_update(&text, &text_len, name)) != 0)
		goto done_text;
	validate_unnamed(text, text_len, name);
	log_wanted = env_true("PCMK_stderr");

	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_opts o = { .show_scores = opt.scores, .simulate = simulate };
	if (opt.when) {
		struct pl_time tm;
		if (!pl_time_parse(opt.when, &tm, &err)) {
			tool_error(&t, "crm_simulate: --set-datetime: %s", err.text);
			rc = PL_EXIT_USAGE;
			goto done_text;
		}
		o.now = tm.epoch;
	}
	/* the CIB as a tree when it is to change; else its status is streamed (less memory) */
	bool xml = t.format == TOOL_FMT_XML;
	bool tree = modify || opt.op_fail || opt.save_output || opt.in_place;
	xmlDoc *doc = NULL;
	struct pl_pengine_run *before = NULL, *run = NULL, *after = NULL, *cur;
	struct pl_buf mod_log = PL_BUF_INIT, rec_log = PL_BUF_INIT, out = PL_BUF_INIT;
	struct sim_version ver = { 0, 0 };
	GPtrArray *strings = g_ptr_array_new_with_free_func(free);
	struct pl_pengine_op_fail *fails = NULL;
	int n_fails = 0;
	struct pl_pengine_opts so = o; /* the status only */
	so.status_only = true;
	so.simulate = false;
	so.show_scores = false;
	if (tree && (doc = pl_xml_parse_memory(text, text_len, name, &err)) == NULL)
		goto failed;
	if (opt.op_fail && !sim_parse_fails(doc, opt.op_fail, &fails, &n_fails, strings, &err))
		goto failed;
	o.op_fail = fails;
	o.n_op_fail = n_fails;
	bool from_cib;
	long long now;
	if (!modify && process) { /* one reading serves the status and the run */
		run = tree ? pl_pengine_run(doc, &o, &err)
			   : pl_pengine_run_text(text, text_len, name, &o, &doc, &err);
		if (run == NULL)
			goto failed;
		print_log(run);
		cur = run;
		now = pl_pengine_now(run, &from_cib);
	} else { /* the status as it is, then the changes, then the run on the changed CIB */
		if (doc == NULL && (doc = pl_xml_parse_memory(text, text_len, name, &err)) == NULL)
			goto failed;
		before = pl_pengine_run(doc, &so, &err);
		if (before == NULL)
			goto failed;
		print_log(before);
		cur = before;
		now = pl_pengine_now(before, &from_cib);
		if (modify && !sim_inject(doc, &mods, now, &mod_log, &ver, &err))
			goto failed;
		if (process) {
			run = pl_pengine_run(doc, &o, &err);
			if (run == NULL)
				goto failed;
			print_log(run);
		} else if (modify && log_wanted) { /* read again, as Pacemaker does */
			struct pl_pengine_run *again = pl_pengine_run(doc, &so, &err);
			print_log(again);
			pl_pengine_free(again);
		}
	}

	/* entries the scheduler ignored, and warnings: said to a person (a terminal) or with
	 * -V; a script reading stderr gets Pacemaker's output, which logs them only */
	bool tell = t.verbose || isatty(STDERR_FILENO);
	for (const char *e = pl_pengine_input_errors(run ? run : cur), *nl; tell && *e; e = nl + 1) {
		nl = strchr(e, '\n');
		fprintf(stderr, "crm_simulate: %s: %.*s\n", name, (int)(nl - e), e);
	}
	const char *w = pl_pengine_warnings(run ? run : cur);
	if (*w && tell)
		fputs(w, stderr);
	/* 'Schema validation ... disabled' was said by tool_cib_config_update */

	if (xml) {
		/* Pacemaker 2.1.5's sections; -Q changes nothing there */
		xmlNode *res = tool_xml_result(&t);
		struct pl_buf sec = PL_BUF_INIT;
		sim_xml_status(res, "cluster_status", cur);
		if (modify)
			sim_xml_modifications(res, pl_buf_str(&mod_log));
		if (run && opt.scores) {
			pl_pengine_scores_text(run, &sec);
			sim_xml_scores(res, pl_buf_str(&sec));
			pl_buf_truncate(&sec, 0);
		}
		if (run && opt.util) {
			pl_pengine_utilization_text(run, &sec);
			sim_xml_utilization(res, pl_buf_str(&sec));
			pl_buf_truncate(&sec, 0);
		}
		if (run) {
			pl_pengine_summary_text(run, &sec);
			sim_xml_actions(res, pl_buf_str(&sec));
			pl_buf_truncate(&sec, 0);
		}
		if (run && simulate) {
			/* as the text's revised status: after an --op-fail the transition stopped
			 * early, and the status is read back from the CIB the results went into */
			if (tree)
				sim_record(doc, run, time(NULL), &rec_log, &ver);
			if (tree && pl_pengine_exec_failed(run)) {
				after = pl_pengine_run(doc, &so, &err);
				if (after == NULL) {
					pl_buf_free(&sec);
					goto failed;
				}
			}
			pl_pengine_exec_text(run, &sec);
			sim_xml_transition(res, pl_buf_str(&sec));
			if (after == NULL)
				pl_pengine_show_revised(run);
			sim_xml_status(res, "revised_cluster_status", after ? after : run);
		}
		pl_buf_free(&sec);
		goto artifacts;
	}

	char datebuf[64];
	struct pl_time nt = { now, 0 };
	pl_time_str(nt, datebuf, sizeof(datebuf));
	bool quiet = opt.quiet;
	if (from_cib && !quiet)
		pl_buf_addf(&out, "Using the original execution date of: %s\n", datebuf);
	if (pl_pengine_maintenance(cur) && !quiet)
		pl_buf_add(&out,
		    "\n              *** Resource management is DISABLED ***\n"
		    "  The cluster will not attempt to start, stop or recover services\n\n");
	int total, disabled, blocked;
	pl_pengine_rsc_counts(cur, &total, &disabled, &blocked);
	if ((disabled || blocked) && !quiet)
		pl_buf_addf(&out,
		    "%d of %d resource instances DISABLED and %d BLOCKED from further "
		    "action due to failure\n\n",
		    disabled, total, blocked);
	if (!quiet) {
		pl_buf_add(&out, "Current cluster status:\n");
		status_text(cur, false, &out);
		pl_buf_add(&out, "\n");
	}
	if (modify && !quiet) {
		pl_buf_addf(&out, "Performing Requested Modifications:\n%s", pl_buf_str(&mod_log));
		if (from_cib)
			pl_buf_addf(&out, "Using the original execution date of: %s\n", datebuf);
		pl_buf_add(&out, "\n");
	}
	if (run && opt.scores) {
		if (!quiet)
			pl_buf_add(&out, "Allocation scores:\n");
		pl_pengine_scores_text(run, &out);
		if (!quiet)
			pl_buf_add(&out, "\n");
	}
	if (run && opt.util) {
		pl_pengine_utilization_text(run, &out);
		if (!quiet)
			pl_buf_add(&out, "\n");
	}
	if (run && !quiet) {
		pl_buf_add(&out, "Transition Summary:\n");
		pl_pengine_summary_text(run, &out);
	}
	if (run && simulate) {
		/* the results go into the CIB as the controller records them; after an --op-fail
		 * the revised status is read back from it, since the transition stopped early */
		if (tree)
			sim_record(doc, run, time(NULL), &rec_log, &ver);
		if (tree && pl_pengine_exec_failed(run)) {
			after = pl_pengine_run(doc, &so, &err);
			if (after == NULL)
				goto failed;
		}
		if (!quiet) {
			pl_buf_add(&out, "\nExecuting Cluster Transition:\n");
			pl_pengine_exec_text(run, &out);
			pl_buf_add(&out, pl_buf_str(&rec_log));
			if (from_cib)
				pl_buf_addf(
				    &out, "Using the original execution date of: %s\n", datebuf);
			pl_buf_add(&out, "\nRevised Cluster Status:\n");
			if (after)
				print_log(after);
			else
				print_log(run);
			status_text(after ? after : run, after == NULL, &out);
		}
	}
	if (opt.explain) {
		if (run == NULL) {
			tool_error(&t, "crm_simulate: --explain needs a run (-R, -S or -s)");
			rc = PL_EXIT_USAGE;
		} else {
			pl_buf_add(&out, "\nExplanation:\n");
			if (!pl_pengine_explain(run, opt.explain, &out)) {
				tool_error(&t, "crm_simulate: --explain: no resource named '%s'",
				    opt.explain);
				rc = PL_EXIT_USAGE;
			}
		}
	}
	if (opt.scores || opt.util)
		plain_lists(&out);
	while (out.len >= 2 && out.s[out.len - 1] == '\n' && out.s[out.len - 2] == '\n')
		pl_buf_truncate(&out, out.len - 1); /* no blank line at the end */
	fputs(pl_buf_str(&out), t.out);

artifacts:
	if (rc == 0 && opt.graph) {
		char *g = pl_pengine_graph_xml(run);
		rc = write_file(opt.graph, g);
		free(g);
	}
	if (rc == 0 && opt.dot) {
		char *d = pl_pengine_graph_dot(run);
		rc = write_file(opt.dot, d);
		free(d);
	}
	if (rc == 0 && (opt.save_output || opt.in_place))
		sim_version_apply(doc, &ver);
	if (rc == 0 && opt.save_output) {
		char *d = pl_xml_dump(pl_xml_root(doc), true);
		rc = write_file(opt.save_output, d);
		free(d);
	}
	if (rc == 0 && opt.in_place)
		rc = write_back(doc, src);
	goto done;

failed:
	tool_error(&t, "crm_simulate: %s: %s", name, err.text);
	rc = err.code ? err.code : PL_EXIT_CONFIG;
done:
	pl_pengine_free(after);
	pl_pengine_free(run);
	pl_pengine_free(before);
	pl_buf_free(&mod_log);
	pl_buf_free(&rec_log);
	pl_buf_free(&out);
	g_ptr_array_free(strings, true);
	free(fails);
	if (doc)
		xmlFreeDoc(doc);
done_text:
	g_free(text);
	if (src)
		tool_cib_close(src);
	return tool_finish(&t, rc);
}
