/*
 * crm_simulate - run the policy engine on a CIB file and show what it would do, with
 * Pacemaker 2.1.5's options, output and exit codes (see docs/design/pengine.md).
 *
 *	crm_simulate -x cib.xml -S        status, transition summary, simulated execution, result
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "paceline/buf.h"
#include "paceline/cib.h"
#include "paceline/cib_client.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/iso8601.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "simulate_inject.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "Usage: crm_simulate [OPTION...]\n"
	    "  -x, --xml-file=FILE      take the cluster state from FILE\n"
	    "  -L, --live-check         use the live CIB of the local paceline-cib as input\n"
	    "  -X, --xml-pipe           take the cluster state from standard input\n"
	    "  -S, --simulate           simulate the transition's execution\n"
	    "  -s, --show-scores        show allocation scores\n"
	    "  -Q, --quiet              display only essential output\n"
	    "  -t, --set-datetime=TIME  evaluate rules as of TIME (ISO 8601)\n"
	    "  -G, --save-graph=FILE    save the transition graph (XML) to FILE\n"
	    "  -D, --save-dotfile=FILE  save the transition graph (DOT) to FILE\n"
	    "  -O, --save-output=FILE   save the CIB to FILE (with -S: as the simulated transition\n"
	    "                           leaves it, every action's expected result recorded)\n"
	    "  -u, --node-up=NODE       bring NODE online first (what-if)\n"
	    "  -d, --node-down=NODE     take NODE offline first (a clean shutdown)\n"
	    "  -f, --node-fail=NODE     fail NODE first (lost: it gets fenced)\n"
	    "  -i, --op-inject=R_T_I@NODE=RC  record that result of R's task T (interval I)\n"
	    "  -q, --quorum=BOOL        set whether the cluster has quorum\n"
	    "  -w, --watchdog=BOOL      set whether the nodes have a watchdog\n"
	    "  -g, --ticket-grant=T, -r, --ticket-revoke=T, -b, --ticket-standby=T,\n"
	    "  -e, --ticket-activate=T  change ticket T's state first\n"
	    "      --explain=RSC        after the output, why RSC is where it is or why it is\n"
	    "                           not running (scores and their sources; Paceline only)\n");
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "crm_simulate: cannot write %s\n", path);
		return PL_EXIT_CANTCREAT;
	}
	return 0;
}

/* -L: query the whole CIB from the local paceline-cib, as text (g_free'd by the caller). */
static bool
read_live_cib(gchar **text, gsize *len, struct pl_error *err)
{
	struct pl_cib_request req = { .op = PL_CIB_OP_QUERY };
	struct pl_cib_conn *c = pl_cib_connect(5000, "crm_simulate", err);
	xmlNode *output = NULL;
	char *dump;

	if (c == NULL)
		return false;
	if (pl_cib_call(c, &req, 30000, &output, NULL, err) != 0 || output == NULL) {
		if (!pl_error_isset(err))
			pl_error_set(err, PL_EXIT_ERROR, "the CIB daemon returned no CIB");
		pl_cib_disconnect(c);
		return false;
	}
	dump = pl_xml_dump(output, false);
	*text = g_strdup(dump);
	*len = strlen(dump);
	free(dump);
	pl_cib_output_free(output);
	pl_cib_disconnect(c);
	return true;
}

/* -S -O: the CIB as the simulated execution leaves it, as Pacemaker's crm_simulate writes it
 * (pcs resource move reads where the resource ends up from it): each resource action of the
 * execution, in its order, recorded with the result it is expected to have (a probe: not
 * running; a recurring monitor after a promote: promoted; anything else: ok). */
static bool
record_results(struct pl_pengine_run *run, xmlDoc *doc, long long now, struct pl_error *err)
{
	struct pl_buf ex = PL_BUF_INIT;
	g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	struct sim_mods mods = { NULL, NULL, none, none, none, none, none, none, none, NULL };
	struct pl_buf log = PL_BUF_INIT;
	g_autoptr(GHashTable) role = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	bool ok;

	pl_pengine_exec_text(run, &ex);
	for (const char *l = pl_buf_str(&ex), *nl; *l; l = nl + 1) {
		char name[256], task[128], node[256];
		long long interval = 0;

		nl = strchr(l, '\n');
		if (nl == NULL)
			nl = l + strlen(l) - 1;
		if (sscanf(l, "  * Resource action: %255s %127s on %255s", name, task, node) != 3)
			continue;
		char *eq = strchr(task, '=');
		if (eq != NULL) {
			interval = strtoll(eq + 1, NULL, 10);
			*eq = '\0';
		}
		if (strcmp(task, "notify") == 0 || strcmp(task, "cancel") == 0)
			continue;
		/* a migration ends as a stop on the source and a start on the target */
		if (strcmp(task, "migrate_to") == 0)
			snprintf(task, sizeof(task), "stop");
		else if (strcmp(task, "migrate_from") == 0)
			snprintf(task, sizeof(task), "start");
		else if (strchr(task, '_') != NULL)
			continue;
		int rc = strcmp(task, "monitor") == 0 && interval == 0 ? 7 : 0;
		char *who = g_strdup_printf("%s@%s", name, node);
		if (strcmp(task, "promote") == 0 || strcmp(task, "demote") == 0 ||
		    strcmp(task, "start") == 0 || strcmp(task, "stop") == 0)
			g_hash_table_replace(role, g_strdup(who), GINT_TO_POINTER(task[0] == 'p'));
		else if (interval > 0 && g_hash_table_lookup(role, who)) /* a promoted one's */
			rc = 8;
		g_free(who);
		g_ptr_array_add(specs, g_strdup_printf("%s_%s_%lld@%s=%d", name, task, interval, node, rc));
	}
	pl_buf_free(&ex);
	/* one at a time: what is no primitive of the configuration (a bundle's or a remote
	 * node's implicit resources, an orphan) is left out, not fatal */
	ok = true;
	for (guint i = 0; i < specs->len; i++) {
		g_autoptr(GPtrArray) one = g_ptr_array_new();
		struct pl_error e = PL_ERROR_INIT;

		g_ptr_array_add(one, specs->pdata[i]);
		mods.op_inject = one;
		if (!sim_inject(doc, &mods, now, &log, &e) && e.code != PL_EXIT_USAGE) {
			*err = e;
			ok = false;
			break;
		}
	}
	pl_buf_free(&log);
	return ok;
}

/* All of standard input (-X, -x -). */
static bool
read_stdin(gchar **text, gsize *len)
{
	GString *b = g_string_new(NULL);
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		g_string_append_len(b, buf, (gssize)n);
	if (ferror(stdin)) {
		g_string_free(b, TRUE);
		return false;
	}
	*len = b->len;
	*text = g_string_free(b, FALSE);
	return true;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { { "xml-file", required_argument, 0, 'x' },
		{ "live-check", no_argument, 0, 'L' }, { "xml-pipe", no_argument, 0, 'X' },
		{ "simulate", no_argument, 0, 'S' },
		{ "show-scores", no_argument, 0, 's' }, { "quiet", no_argument, 0, 'Q' },
		{ "set-datetime", required_argument, 0, 't' },
		{ "save-graph", required_argument, 0, 'G' },
		{ "save-dotfile", required_argument, 0, 'D' },
		{ "save-output", required_argument, 0, 'O' }, { "help", no_argument, 0, '?' },
		{ "verbose", no_argument, 0, 'V' }, { "explain", required_argument, 0, 'E' },
		{ "node-up", required_argument, 0, 'u' }, { "node-down", required_argument, 0, 'd' },
		{ "node-fail", required_argument, 0, 'f' }, { "op-inject", required_argument, 0, 'i' },
		{ "quorum", required_argument, 0, 'q' }, { "watchdog", required_argument, 0, 'w' },
		{ "ticket-grant", required_argument, 0, 'g' },
		{ "ticket-revoke", required_argument, 0, 'r' },
		{ "ticket-standby", required_argument, 0, 'b' },
		{ "ticket-activate", required_argument, 0, 'e' }, { 0, 0, 0, 0 } };
	g_autoptr(GPtrArray) up = g_ptr_array_new(), down = g_ptr_array_new();
	g_autoptr(GPtrArray) nfail = g_ptr_array_new(), inject = g_ptr_array_new();
	g_autoptr(GPtrArray) grant = g_ptr_array_new(), revoke = g_ptr_array_new();
	g_autoptr(GPtrArray) standby = g_ptr_array_new(), activate = g_ptr_array_new();
	struct sim_mods mods = { NULL, NULL, up, down, nfail, grant, revoke, standby, activate,
		inject };
	const char *xml = NULL, *graph = NULL, *dot = NULL, *save = NULL, *when = NULL;
	const char *explain = NULL;
	bool simulate = false, quiet = false, live = false, verbose = false, scores = false;
	int c;
	while ((c = getopt_long(argc, argv, "x:XLSsQt:G:D:O:Vu:d:f:i:q:w:g:r:b:e:?", lo, NULL)) !=
	    -1) {
		switch (c) {
		case 'x': xml = optarg; break;
		case 'X': xml = "-"; break; /* pcs resource move simulates its change so */
		case 'L': live = true; break;
		case 'S': simulate = true; break;
		case 's': scores = true; break;
		case 'Q': quiet = true; break;
		case 't': when = optarg; break;
		case 'G': graph = optarg; break;
		case 'D': dot = optarg; break;
		case 'O': save = optarg; break;
		case 'V': verbose = true; break;
		case 'E': explain = optarg; break;
		case 'u': g_ptr_array_add(up, optarg); break;
		case 'd': g_ptr_array_add(down, optarg); break;
		case 'f': g_ptr_array_add(nfail, optarg); break;
		case 'i': g_ptr_array_add(inject, optarg); break;
		case 'q': mods.quorum = optarg; break;
		case 'w': mods.watchdog = optarg; break;
		case 'g': g_ptr_array_add(grant, optarg); break;
		case 'r': g_ptr_array_add(revoke, optarg); break;
		case 'b': g_ptr_array_add(standby, optarg); break;
		case 'e': g_ptr_array_add(activate, optarg); break;
		default:
			usage(c == '?' && optopt == 0 ? stdout : stderr);
			return c == '?' && optopt == 0 ? 0 : PL_EXIT_USAGE;
		}
	}
	if (xml == NULL && !live) {
		const char *env = getenv("CIB_file");
		if (env && *env)
			xml = env;
	}
	if (xml == NULL && !live) {
		fprintf(stderr, "crm_simulate: no input: give -x FILE (or -L)\n");
		return PL_EXIT_USAGE;
	}
	struct pl_error err = PL_ERROR_INIT;
	gchar *text = NULL;
	gsize text_len = 0;
	GError *gerr = NULL;
	if (xml == NULL) { /* -L: the live CIB from paceline-cib */
		xml = "live CIB";
		if (!read_live_cib(&text, &text_len, &err)) {
			fprintf(stderr, "crm_simulate: %s\n", err.text);
			return err.code;
		}
	} else if (strcmp(xml, "-") == 0) {
		xml = "standard input";
		if (!read_stdin(&text, &text_len)) {
			fprintf(stderr, "crm_simulate: cannot read standard input: %s\n", strerror(errno));
			return PL_EXIT_NOINPUT;
		}
	} else if (!g_file_get_contents(xml, &text, &text_len, &gerr)) {
		fprintf(stderr, "crm_simulate: %s\n", gerr->message);
		g_error_free(gerr);
		return PL_EXIT_NOINPUT;
	}
	xmlDoc *doc = NULL;
	struct pl_pengine_opts o = { .simulate = true };
	o.show_scores = scores;
	if (when) {
		struct pl_time t;
		if (!pl_time_parse(when, &t, &err)) {
			fprintf(stderr, "crm_simulate: -t: %s\n", err.text);
			g_free(text);
			return PL_EXIT_USAGE;
		}
		o.now = t.epoch;
	}
	struct pl_pengine_run *run, *before = NULL;
	bool modify = !sim_inject_empty(&mods);
	struct pl_buf mod_log = PL_BUF_INIT;
	if (modify) { /* the status before the changes, then the run on the changed CIB */
		struct pl_pengine_opts so = o;
		so.status_only = true;
		so.simulate = false;
		doc = pl_xml_parse_memory(text, text_len, xml, &err);
		before = doc ? pl_pengine_run(doc, &so, &err) : NULL;
		bool dummy;
		long long at = before ? pl_pengine_now(before, &dummy) : 0;
		run = before && sim_inject(doc, &mods, at, &mod_log, &err)
		    ? pl_pengine_run(doc, &o, &err)
		    : NULL;
	} else if (save) { /* -O writes the whole CIB back: keep it as one tree */
		doc = pl_xml_parse_memory(text, text_len, xml, &err);
		run = doc ? pl_pengine_run(doc, &o, &err) : NULL;
	} else {
		run = pl_pengine_run_text(text, text_len, xml, &o, &doc, &err);
	}
	if (run == NULL) {
		fprintf(stderr, "crm_simulate: %s: %s\n", xml, err.text);
		if (before)
			pl_pengine_free(before);
		pl_buf_free(&mod_log);
		if (doc)
			xmlFreeDoc(doc);
		g_free(text);
		return err.code ? err.code : PL_EXIT_CONFIG;
	}
	/* Unsupported features are reported to people (a terminal, or -V), not mixed into
	 * output that scripts compare with Pacemaker's. */
	/* entries ignored as malformed: always said, the input needs fixing */
	for (const char *e = pl_pengine_input_errors(run), *nl; *e; e = nl + 1) {
		nl = strchr(e, '\n');
		fprintf(stderr, "crm_simulate: %s: %.*s\n", xml, (int)(nl - e), e);
	}
	const char *w = pl_pengine_warnings(run);
	if (*w && (verbose || isatty(STDERR_FILENO)))
		fprintf(stderr, "%s", w);
	struct pl_buf out = PL_BUF_INIT;
	bool from_cib;
	long long now = pl_pengine_now(run, &from_cib);
	char datebuf[64];
	struct pl_time nt = { now, 0 };
	pl_time_str(nt, datebuf, sizeof(datebuf));
	if (from_cib && !quiet)
		pl_buf_addf(&out, "Using the original execution date of: %s\n", datebuf);
	if (pl_pengine_validation_disabled(run)) /* a warning: stderr, as Pacemaker's */
		fputs("Schema validation of configuration is disabled (enabling is encouraged "
		      "and prevents common misconfigurations)\n",
		    stderr);
	if (pl_pengine_maintenance(run) && !quiet)
		pl_buf_add(&out,
		    "\n              *** Resource management is DISABLED ***\n"
		    "  The cluster will not attempt to start, stop or recover services\n\n");
	int total, disabled, blocked;
	pl_pengine_rsc_counts(before ? before : run, &total, &disabled, &blocked);
	if ((disabled || blocked) && !quiet)
		pl_buf_addf(&out,
		    "%d of %d resource instances DISABLED and %d BLOCKED from further "
		    "action due to failure\n\n",
		    disabled, total, blocked);
	if (!quiet) {
		pl_buf_add(&out, "Current cluster status:\n");
		pl_pengine_status_text(before ? before : run, false, &out);
		pl_buf_add(&out, "\n");
	}
	if (modify && !quiet) {
		pl_buf_addf(&out, "Performing Requested Modifications:\n%s", pl_buf_str(&mod_log));
		if (from_cib)
			pl_buf_addf(&out, "Using the original execution date of: %s\n", datebuf);
		pl_buf_add(&out, "\n");
	}
	pl_buf_free(&mod_log);
	if (scores) {
		if (!quiet)
			pl_buf_add(&out, "Allocation scores:\n");
		pl_pengine_scores_text(run, &out);
		if (!quiet)
			pl_buf_add(&out, "\n");
	}
	if (!quiet) {
		pl_buf_add(&out, "Transition Summary:\n");
		pl_pengine_summary_text(run, &out);
	}
	if (simulate && !quiet) { /* -Q: like Pacemaker, only the scores (-s) are printed */
		pl_buf_add(&out, "\nExecuting Cluster Transition:\n");
		pl_pengine_exec_text(run, &out);
		if (from_cib)
			pl_buf_addf(&out, "Using the original execution date of: %s\n", datebuf);
		pl_buf_add(&out, "\nRevised Cluster Status:\n");
		pl_pengine_status_text(run, true, &out);
	}
	int rc = 0;
	if (explain) {
		pl_buf_addf(&out, "\nExplanation:\n");
		if (!pl_pengine_explain(run, explain, &out)) {
			fprintf(stderr, "crm_simulate: --explain: no resource named '%s'\n", explain);
			rc = PL_EXIT_USAGE;
		}
	}
	fputs(pl_buf_str(&out), stdout);
	pl_buf_free(&out);
	if (graph && rc == 0) {
		char *g = pl_pengine_graph_xml(run);
		rc = write_file(graph, g);
		free(g);
	}
	if (dot && rc == 0) {
		char *d = pl_pengine_graph_dot(run);
		rc = write_file(dot, d);
		free(d);
	}
	if (save && rc == 0 && simulate && !record_results(run, doc, now, &err)) {
		fprintf(stderr, "crm_simulate: --save-output: %s\n", err.text);
		rc = err.code ? err.code : PL_EXIT_ERROR;
	}
	if (save && rc == 0) {
		char *d = pl_xml_dump(pl_xml_root(doc), true);
		rc = write_file(save, d);
		free(d);
	}
	pl_pengine_free(run);
	if (before)
		pl_pengine_free(before);
	xmlFreeDoc(doc);
	g_free(text);
	return rc;
}
