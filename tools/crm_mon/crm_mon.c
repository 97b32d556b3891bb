/*
 * crm_mon - the cluster's status, as Pacemaker 2.1.5's crm_mon prints it: once (-1, or
 * whenever the output is not an interactive terminal), or as a terminal view redrawn on
 * every CIB change notification. The status comes from CIB_file when set (no daemon
 * needed), else from the local paceline-cib; without one it exits 102 as Pacemaker's does.
 *
 *	crm_mon -1 -r -A -f -o              everything, once
 *	crm_mon --output-as=xml             Pacemaker's status XML (crmsh, pcs parse it)
 *	crm_mon --output-as=html --output-to=FILE
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "paceline/buf.h"
#include "paceline/cib_client.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "crm_mon.h"
#include "tool.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "Usage: crm_mon [OPTION...]\n"
	    "  -1, --one-shot            display the cluster status once and exit\n"
	    "  -r, --inactive            display inactive resources\n"
	    "  -A, --show-node-attributes display node attributes\n"
	    "  -f, --failcounts          display resource fail counts\n"
	    "  -o, --operations          display resource operation history\n"
	    "  -t, --timing-details      display resource operation history with timing details\n"
	    "  -n, --group-by-node       group resources by node\n"
	    "  -R, --show-detail         display more details (instance ids)\n"
	    "  -j, --pending             display pending state (the default)\n"
	    "  -I, --include=SECTIONS    show these sections (comma-separated; none, all, "
	    "summary,\n"
	    "                            stack, dc, times, counts, options, nodes, resources,\n"
	    "                            attributes, failcounts, operations, failures, tickets, "
	    "bans)\n"
	    "  -U, --exclude=SECTIONS    hide these sections\n"
	    "      --node=NODE           only this node (or the nodes of this tag)\n"
	    "      --resource=RSC        only this resource (or the resources of this tag)\n"
	    "  --output-as=FORMAT        text (default), xml or html\n"
	    "  --output-to=FILE          write to FILE instead of standard output\n"
	    "  -i, --interval=SECONDS    refresh interval of --output-to files without "
	    "notifications\n"
	    "Input: CIB_file=FILE reads FILE; otherwise the local paceline-cib.\n"
	    "Interactive keys: q quit, ? help, and the toggles listed by ?.\n");
}

static const struct {
	const char *name;
	unsigned bits;
} sections[] = {
	{ "stack", PL_MON_STACK },
	{ "dc", PL_MON_DC },
	{ "times", PL_MON_TIMES },
	{ "counts", PL_MON_COUNTS },
	{ "options", PL_MON_OPTIONS },
	{ "summary", PL_MON_SUMMARY },
	{ "nodes", PL_MON_NODES },
	{ "resources", PL_MON_RESOURCES },
	{ "attributes", PL_MON_ATTRIBUTES },
	{ "failcounts", PL_MON_FAILCOUNTS },
	{ "operations", PL_MON_OPERATIONS },
	{ "failures", PL_MON_FAILURES },
	{ "tickets", PL_MON_TICKETS },
	{ "bans", PL_MON_BANS },
	{ "fencing", PL_MON_FENCE_ALL },
	{ "fencing-failed", PL_MON_FENCE_FAILED },
	{ "fencing-pending", PL_MON_FENCE_PENDING },
	{ "fencing-succeeded", PL_MON_FENCE_WORKED },
	{ "all", ~0u },
	{ "none", 0 },
};

/* "a,b,c" -> bits; false with the unknown name in *bad */
static bool
parse_sections(const char *list, unsigned *bits, const char **bad)
{
	gchar **v = g_strsplit(list, ",", -1);
	bool ok = true;
	*bits = 0;
	for (gchar **p = v; *p && ok; p++) {
		gchar *name = g_strstrip(*p);
		size_t i;
		for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			if (!strcmp(name, sections[i].name))
				break;
		if (i == sizeof(sections) / sizeof(sections[0])) {
			static char keep[64];
			snprintf(keep, sizeof(keep), "%s", name);
			*bad = keep;
			ok = false;
		} else {
			*bits |= sections[i].bits;
		}
	}
	g_strfreev(v);
	return ok;
}

static int mon_verbose; /* -V */

/* An older schema's CIB is shown as Pacemaker's crm_mon shows it: upgraded in memory first
 * (cli_config_update); one that cannot be is refused. */
static xmlDoc *
upgraded(xmlDoc *doc, struct pl_error *err)
{
	int rc;

	if (doc == NULL || (rc = tool_cib_config_update_doc(&doc)) == 0)
		return doc;
	xmlFreeDoc(doc);
	pl_error_set(err, rc, "the CIB's schema cannot be upgraded to pacemaker-3.0 or later");
	return NULL;
}

/* Read the CIB: CIB_file, CIB_shadow, or the local daemon. NULL with err set. */
xmlDoc *
mon_read_cib(struct mon *m, struct pl_error *err)
{
	const char *file = m->file;
	if (file) {
		gchar *text = NULL;
		gsize len = 0;
		GError *gerr = NULL;
		if (strcmp(file, "-") == 0) {
			/* CIB_file=-: the CIB on standard input, read once (Pacemaker's tools) */
			static xmlDoc *from_stdin;
			if (from_stdin == NULL) {
				GString *in = g_string_new(NULL);
				char chunk[8192];
				size_t got;
				while ((got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
					g_string_append_len(in, chunk, (gssize)got);
				from_stdin = pl_xml_parse_memory(in->str, in->len, "stdin", err);
				g_string_free(in, TRUE);
				if (from_stdin == NULL)
					return NULL;
			}
			return upgraded(xmlCopyDoc(from_stdin, 1), err);
		}
		if (!g_file_get_contents(file, &text, &len, &gerr)) {
			pl_error_set(err, PL_EXIT_NOINPUT, "%s", gerr->message);
			g_error_free(gerr);
			return NULL;
		}
		xmlDoc *doc = pl_xml_parse_memory(text, len, file, err);
		g_free(text);
		return upgraded(doc, err);
	}
	if (m->conn == NULL) {
		m->conn = pl_cib_connect(5000, "crm_mon", err);
		if (m->conn == NULL)
			return NULL;
	}
	struct pl_cib_request req = { .op = PL_CIB_OP_QUERY };
	xmlNode *output = NULL;
	if (pl_cib_call(m->conn, &req, 30000, &output, NULL, err) != 0 || output == NULL) {
		if (!pl_error_isset(err))
			pl_error_set(err, PL_EXIT_ERROR, "the CIB daemon returned no CIB");
		return NULL;
	}
	xmlDoc *doc = pl_xml_copy_doc(output);
	pl_cib_output_free(output);
	return upgraded(doc, err);
}

/* The fencer's history (live only, as Pacemaker's crm_mon, which reads no fencer with
 * CIB_file): NULL, and no fencing sections, when it cannot be read. */
static xmlDoc *
mon_read_fencing(struct mon *m)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *xml = NULL;
	int32_t code = -1;
	xmlDoc *doc = NULL;

	if (m->file || m->fence_level == 0 || !(m->opts.show & PL_MON_FENCE_ALL))
		return NULL;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_STONITHD, 2000, &err);
	if (c == NULL)
		return NULL;
	pl_msg_pack(&p, PL_MSG_STONITHD_HISTORY, "");
	if (pl_ipc_call(c, PL_MSG_STONITHD_HISTORY, &p, PL_MSG_STONITHD_HISTORY_REPLY, 5000, &reply,
		&err) &&
	    pl_msg_unpack(&reply, PL_MSG_STONITHD_HISTORY_REPLY, &code, &xml) && code == 0)
		doc = pl_xml_parse_string(xml, "fence history", &err);
	pl_pack_free(&p);
	pl_ipc_msg_clear(&reply);
	pl_ipc_disconnect(c);
	return doc;
}

/* Render the status of `doc` in the chosen format into out. */
int
mon_render(struct mon *m, xmlDoc *doc, struct pl_buf *out, struct pl_error *err)
{
	struct pl_pengine_opts po = { 0 };
	po.status_only = true;
	struct pl_pengine_run *run = pl_pengine_run(doc, &po, err);
	if (run == NULL)
		return err->code ? err->code : PL_EXIT_CONFIG;
	/* once: what Pacemaker's library logs on reading it, where it logs (PCMK_stderr, -V) */
	if (!m->watching && tool_log_wanted(mon_verbose))
		fputs(pl_pengine_log(run), stderr);
	m->opts.now = time(NULL);
	xmlDoc *fencing = mon_read_fencing(m);
	m->opts.fence_history = fencing ? pl_xml_root(fencing) : NULL;
	switch (m->format) {
	case MON_TEXT: pl_pengine_mon_text(run, &m->opts, out); break;
	case MON_XML: pl_pengine_mon_xml(run, &m->opts, out); break;
	case MON_HTML: mon_html(m, run, out); break;
	}
	m->opts.fence_history = NULL;
	if (fencing)
		xmlFreeDoc(fencing);
	pl_pengine_free(run);
	return 0;
}

static int
write_out(struct mon *m, const char *text)
{
	if (m->output_to == NULL) {
		fputs(text, stdout);
		fflush(stdout);
		return 0;
	}
	char *tmp = g_strdup_printf("%s.tmp", m->output_to);
	FILE *f = fopen(tmp, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0 || rename(tmp, m->output_to) != 0) {
		fprintf(stderr, "crm_mon: cannot write %s: %s\n", m->output_to, strerror(errno));
		g_free(tmp);
		return PL_EXIT_CANTCREAT;
	}
	g_free(tmp);
	return 0;
}

static int
fail(struct mon *m, const struct pl_error *err)
{
	int code = err->code ? err->code : PL_EXIT_ERROR;
	if (code == PL_EXIT_DISCONNECT) {
		if (m->format == MON_XML) {
			gchar *req =
			    g_markup_escape_text(m->opts.request ? m->opts.request : "crm_mon", -1);
			printf("<pacemaker-result api-version=\"2.25\" request=\"%s\">\n", req);
			g_free(req);
			printf("  <status code=\"102\" message=\"Not connected\">\n"
			       "    <errors>\n"
			       "      <error>crm_mon: Connection to cluster failed: Connection "
			       "refused</error>\n"
			       "    </errors>\n"
			       "  </status>\n"
			       "</pacemaker-result>\n");
		}
		fprintf(stderr, "crm_mon: Connection to cluster failed: Connection refused\n");
		return code;
	}
	fprintf(stderr, "crm_mon: %s\n", err->text);
	return code;
}

int
mon_once(struct mon *m)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = mon_read_cib(m, &err);
	if (doc == NULL)
		return fail(m, &err);
	struct pl_buf out = PL_BUF_INIT;
	int rc = mon_render(m, doc, &out, &err);
	xmlFreeDoc(doc);
	if (rc != 0) {
		pl_buf_free(&out);
		return fail(m, &err);
	}
	rc = write_out(m, pl_buf_str(&out));
	pl_buf_free(&out);
	return rc;
}

int
main(int argc, char **argv)
{
	enum { OPT_OUTPUT_AS = 256, OPT_OUTPUT_TO, OPT_AS_XML, OPT_NODE, OPT_RESOURCE };
	static const struct option lo[] = { { "one-shot", no_argument, 0, '1' },
		{ "inactive", no_argument, 0, 'r' }, { "show-node-attributes", no_argument, 0, 'A' },
		{ "failcounts", no_argument, 0, 'f' }, { "operations", no_argument, 0, 'o' },
		{ "timing-details", no_argument, 0, 't' }, { "group-by-node", no_argument, 0, 'n' },
		{ "show-detail", no_argument, 0, 'R' }, { "pending", no_argument, 0, 'j' },
		{ "include", required_argument, 0, 'I' }, { "exclude", required_argument, 0, 'U' },
		{ "output-as", required_argument, 0, OPT_OUTPUT_AS },
		{ "output-to", required_argument, 0, OPT_OUTPUT_TO },
		{ "as-xml", no_argument, 0, 'X' }, { "interval", required_argument, 0, 'i' },
		{ "brief", no_argument, 0, 'b' }, { "tickets", no_argument, 0, 'c' },
		{ "neg-locations", optional_argument, 0, 'L' },
		{ "fence-history", optional_argument, 0, 'm' }, { "quiet", no_argument, 0, 'Q' },
		{ "node", required_argument, 0, OPT_NODE },
		{ "resource", required_argument, 0, OPT_RESOURCE }, { "help", no_argument, 0, '?' },
		{ "verbose", no_argument, 0, 'V' }, { 0, 0, 0, 0 } };
	struct mon m = { 0 };
	GString *request = g_string_new(NULL); /* the command line, as XML output repeats it */
	gchar *self = g_path_get_basename(argv[0]);
	g_string_append(request, self);
	g_free(self);
	for (int i = 1; i < argc; i++)
		g_string_append_printf(request, " %s", argv[i]);
	m.opts.request = request->str;
	enum tool_cib_kind kind;
	m.file = tool_cib_file(&kind); /* NULL: live */
	m.opts.show = PL_MON_SUMMARY | PL_MON_NODES | PL_MON_RESOURCES | PL_MON_FAILURES;
	m.opts.pending = true;
	m.interval = 5;
	m.fence_level = 1; /* failed and pending fencing (Pacemaker's default) */
	unsigned inc = 0, exc = 0;
	bool one_shot = false, show_reset = false, level_given = false;
	int c;
	while ((c = getopt_long(argc, argv, "1rAfotnRjI:U:Xi:bcL::m::QV?", lo, NULL)) != -1) {
		const char *bad = NULL;
		unsigned bits;
		switch (c) {
		case '1': one_shot = true; break;
		case 'r': m.opts.inactive = true; break;
		case 'A': inc |= PL_MON_ATTRIBUTES; break;
		case 'f': inc |= PL_MON_FAILCOUNTS; break;
		case 'o': inc |= PL_MON_OPERATIONS; break;
		case 't':
			inc |= PL_MON_OPERATIONS;
			m.opts.timing = true;
			break;
		case 'n': m.opts.by_node = true; break;
		case 'R': m.opts.details = true; break;
		case 'j': m.opts.pending = true; break;
		case 'b': m.opts.brief = true; break;
		case 'c': inc |= PL_MON_TICKETS; break;
		case 'L': inc |= PL_MON_BANS; break;
		case 'm':
			m.fence_level = optarg ? atoi(optarg) : 2;
			level_given = true;
			if (m.fence_level < 0 || m.fence_level > 3) {
				fprintf(stderr, "crm_mon: Fence history must be 0-3\n");
				return PL_EXIT_USAGE;
			}
			break;
		case 'Q':
		case 'V': mon_verbose++; break;
		case 'X': m.format = MON_XML; break;
		case 'i': m.interval = atoi(optarg) > 0 ? atoi(optarg) : 5; break;
		case 'I':
		case 'U':
			if (!parse_sections(optarg, &bits, &bad)) {
				fprintf(stderr, "crm_mon: --%s: unknown section '%s'\n",
				    c == 'I' ? "include" : "exclude", bad);
				return PL_EXIT_USAGE;
			}
			if (c == 'I') {
				if (!strcmp(optarg, "none")) {
					m.opts.show = 0;
					show_reset = true;
				}
				inc |= bits;
				exc &= ~bits;
			} else {
				exc |= bits;
				inc &= ~bits;
			}
			break;
		case OPT_OUTPUT_AS:
			if (!strcmp(optarg, "text") || !strcmp(optarg, "console"))
				m.format = MON_TEXT;
			else if (!strcmp(optarg, "xml"))
				m.format = MON_XML;
			else if (!strcmp(optarg, "html"))
				m.format = MON_HTML;
			else {
				fprintf(stderr,
				    "crm_mon: --output-as: unknown format '%s' (text, xml, html)\n",
				    optarg);
				return PL_EXIT_USAGE;
			}
			break;
		case OPT_OUTPUT_TO: m.output_to = optarg; break;
		case OPT_NODE: m.opts.only_node = optarg; break;
		case OPT_RESOURCE: m.opts.only_rsc = optarg; break;
		default:
			usage(c == '?' && optopt == 0 ? stdout : stderr);
			return c == '?' && optopt == 0 ? 0 : PL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "crm_mon: unexpected argument '%s'\n", argv[optind]);
		return PL_EXIT_USAGE;
	}
	if (m.format != MON_TEXT) /* the XML and HTML views carry every section */
		m.opts.show |= PL_MON_ATTRIBUTES | PL_MON_OPERATIONS | PL_MON_FAILCOUNTS |
		    PL_MON_BANS | PL_MON_TICKETS;
	if (show_reset && !level_given) /* --include=none: only what is included after it */
		;
	else if (m.fence_level >= 2)
		m.opts.show |= PL_MON_FENCE_ALL;
	else if (m.fence_level == 1)
		m.opts.show |= PL_MON_FENCE_FAILED | PL_MON_FENCE_PENDING;
	m.opts.show = (m.opts.show | inc) & ~exc;
	if (m.fence_level == 0) /* no fencing history at all, whatever --include says */
		m.opts.show &= ~(unsigned)PL_MON_FENCE_ALL;
	if (m.format == MON_XML)
		m.opts.inactive = true;
	/* one shot unless a person watches a terminal (or an HTML file is kept fresh) */
	bool watch = !one_shot &&
	    ((m.format == MON_TEXT && m.output_to == NULL && isatty(STDOUT_FILENO)) ||
		(m.format == MON_HTML && m.output_to != NULL));
	m.watching = watch;
	int rc = watch ? (m.format == MON_TEXT ? mon_interactive(&m) : mon_follow(&m)) : mon_once(&m);
	if (m.conn)
		pl_cib_disconnect(m.conn);
	g_string_free(request, TRUE);
	free(m.file);
	return rc;
}
