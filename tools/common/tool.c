/*
 * tool.c - the shared option prologue and output of the command-line tools (tool.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "tool.h"

#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

static gboolean opt_version;
static int opt_verbose;
static char *opt_output_as;
static char *opt_output_to;

static gboolean
count_verbose(const char *name, const char *value, void *data, GError **err)
{
	(void)name;
	(void)value;
	(void)data;
	(void)err;
	opt_verbose++;
	return TRUE;
}

static const GOptionEntry common_entries[] = {
	{ "version", '$', 0, G_OPTION_ARG_NONE, &opt_version, "Display software version and exit",
	    NULL },
	{ "verbose", 'V', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, (void *)count_verbose,
	    "Increase debug output (may be specified multiple times)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static const GOptionEntry output_entries[] = {
	{ "output-as", 0, 0, G_OPTION_ARG_STRING, &opt_output_as,
	    "Specify output format as one of: text (default), xml", "FORMAT" },
	{ "output-to", 0, 0, G_OPTION_ARG_STRING, &opt_output_to,
	    "Specify file name for output (or \"-\" for stdout)", "DEST" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

void
tool_add_group(GOptionContext *ctx, const char *name, const char *title, const char *help,
    const GOptionEntry *entries)
{
	GOptionGroup *g = g_option_group_new(name, title, help, NULL, NULL);

	g_option_group_add_entries(g, entries);
	g_option_context_add_group(ctx, g);
}

static char *
join_argv(int argc, char **argv)
{
	GString *s = g_string_new(NULL);

	for (int i = 0; i < argc; i++) {
		if (i > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, argv[i]);
	}
	return g_string_free(s, FALSE);
}

static int
open_output(struct tool *t)
{
	const char *as = t->output_as != NULL ? t->output_as : "text";
	unsigned formats = t->formats != 0 ? t->formats : TOOL_FMT_TEXT;

	if (strcmp(as, "text") == 0 && (formats & TOOL_FMT_TEXT))
		t->format = TOOL_FMT_TEXT;
	else if (strcmp(as, "xml") == 0 && (formats & TOOL_FMT_XML))
		t->format = TOOL_FMT_XML;
	else {
		fprintf(stderr, "%s: Error creating output format %s: Unknown output format\n",
		    t->name, as);
		return PL_EXIT_ERROR;
	}
	t->out = stdout;
	if (t->output_to != NULL && strcmp(t->output_to, "-") != 0) {
		t->out = fopen(t->output_to, "w");
		if (t->out == NULL) {
			fprintf(stderr, "%s: Error creating output format %s: %s\n", t->name, as,
			    strerror(errno));
			t->out = stdout;
			return PL_EXIT_ERROR;
		}
	}
	return -1;
}

static void
print_version(struct tool *t)
{
	if (t->format == TOOL_FMT_XML) {
		xmlNode *v = pl_xml_add_child(tool_xml_result(t), "version");

		pl_xml_set_attr(v, "program", "Pacemaker");
		pl_xml_set_attr(v, "version", TOOL_PCMK_VERSION);
		pl_xml_set_attr(v, "author", "the Paceline developers");
		pl_xml_set_attr(v, "build", "paceline");
		pl_xml_set_attr(v, "features", "corosync-ge-2 monotonic");
		return;
	}
	fprintf(t->out, "Pacemaker %s (Paceline)\nWritten by the Paceline developers\n",
	    TOOL_PCMK_VERSION);
}

guint
tool_pcmk_str_hash(gconstpointer v)
{
	guint32 h = 0;

	for (const signed char *p = v; *p != '\0'; p++)
		h = (h << 5) - h + (guint32)*p;
	return h;
}

bool
tool_log_wanted(int verbose)
{
	const char *v = getenv("PCMK_stderr");

	if (verbose > 0)
		return true;
	if (v == NULL)
		return false;
	return g_ascii_strcasecmp(v, "true") == 0 || g_ascii_strcasecmp(v, "on") == 0 ||
	    g_ascii_strcasecmp(v, "yes") == 0 || g_ascii_strcasecmp(v, "y") == 0 ||
	    strcmp(v, "1") == 0;
}

int
tool_parse(
    struct tool *t, GOptionContext *ctx, const GOptionEntry *main_entries, int *argc, char ***argv)
{
	GError *gerr = NULL;
	int rc;

	opt_version = FALSE;
	opt_verbose = 0;
	opt_output_as = opt_output_to = NULL;
	t->request = join_argv(*argc, *argv);
	t->errors = g_ptr_array_new_with_free_func(free);
	t->out = stdout;
	t->format = TOOL_FMT_TEXT;
	if (main_entries != NULL)
		g_option_context_add_main_entries(ctx, main_entries, NULL);
	g_option_context_add_main_entries(ctx, common_entries, NULL);
	tool_add_group(ctx, "output", "Output Options:", "Show output help", output_entries);
	if (!g_option_context_parse(ctx, argc, argv, &gerr)) {
		fprintf(stderr, "%s: %s\n", t->name, gerr->message);
		g_error_free(gerr);
		return tool_finish(t, PL_EXIT_USAGE);
	}
	t->version = opt_version;
	t->verbose = opt_verbose;
	t->output_as = opt_output_as;
	t->output_to = opt_output_to;
	rc = open_output(t);
	if (rc >= 0)
		return tool_finish(t, rc);
	if (t->version) {
		print_version(t);
		return tool_finish(t, PL_EXIT_OK);
	}
	return -1;
}

void
tool_error(struct tool *t, const char *fmt, ...)
{
	va_list ap;
	char *s;
	size_t n;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	n = strlen(s);
	if (t->format == TOOL_FMT_XML && t->errors != NULL) {
		if (n > 0 && s[n - 1] == '\n')
			s[n - 1] = '\0';
		g_ptr_array_add(t->errors, s);
		return;
	}
	fprintf(stderr, "%s%s", s, n > 0 && s[n - 1] == '\n' ? "" : "\n");
	free(s);
}

xmlNode *
tool_xml_result(struct tool *t)
{
	xmlNode *r;

	if (t->xml != NULL)
		return xmlDocGetRootElement(t->xml);
	t->xml = pl_xml_new_doc("pacemaker-result");
	r = xmlDocGetRootElement(t->xml);
	pl_xml_set_attr(r, "api-version", TOOL_XML_API_VERSION);
	pl_xml_set_attr(r, "request", t->request != NULL ? t->request : t->name);
	return r;
}

int
tool_finish(struct tool *t, int rc)
{
	if (t->format == TOOL_FMT_XML) {
		xmlNode *st = pl_xml_add_child(tool_xml_result(t), "status");
		char *text;

		pl_xml_set_attr_int(st, "code", rc);
		pl_xml_set_attr(st, "message", pl_exit_str(rc));
		if (t->errors != NULL && t->errors->len > 0) {
			xmlNode *errs = pl_xml_add_child(st, "errors");

			for (unsigned i = 0; i < t->errors->len; i++)
				xmlNewTextChild(errs, NULL, (const xmlChar *)"error",
				    (const xmlChar *)g_ptr_array_index(t->errors, i));
		}
		text = pl_xml_dump(tool_xml_result(t), true);
		fputs(text, t->out);
		if (*text != '\0' && text[strlen(text) - 1] != '\n')
			fputc('\n', t->out);
		free(text);
	}
	if (t->out != NULL && t->out != stdout)
		fclose(t->out);
	else
		fflush(stdout);
	t->out = stdout;
	if (t->xml != NULL)
		xmlFreeDoc(t->xml);
	t->xml = NULL;
	if (t->errors != NULL)
		g_ptr_array_free(t->errors, TRUE);
	t->errors = NULL;
	g_free(t->request);
	t->request = NULL;
	g_free(t->output_as);
	g_free(t->output_to);
	t->output_as = t->output_to = NULL;
	opt_output_as = opt_output_to = NULL;
	return rc;
}

/* libxml2's generic error messages arrive in pieces; whole lines are logged. */
struct xml_errlog {
	const char *tool;
	GString *line;
};

static void
xml_errlog_flush(struct xml_errlog *l, bool all)
{
	char *nl;
	while ((nl = strchr(l->line->str, '\n')) != NULL) {
		fprintf(stderr, "%s \terror: XML Error: %.*s\n", l->tool, (int)(nl - l->line->str),
		    l->line->str);
		g_string_erase(l->line, 0, nl - l->line->str + 1);
	}
	if (all && l->line->len > 0) {
		fprintf(stderr, "%s \terror: XML Error: %s\n", l->tool, l->line->str);
		g_string_truncate(l->line, 0);
	}
}

static void
xml_errlog_add(void *ctx, const char *fmt, ...)
{
	struct xml_errlog *l = ctx;
	va_list ap;
	va_start(ap, fmt);
	g_string_append_vprintf(l->line, fmt, ap);
	va_end(ap);
	xml_errlog_flush(l, false);
}

xmlDoc *
tool_xml_read(struct tool *t, const char *text)
{
	struct xml_errlog log = { t->name, g_string_new(NULL) };
	GString *in = NULL;
	xmlDoc *doc;

	if (strcmp(text, "-") == 0) {
		char buf[4096];
		size_t n;
		in = g_string_new(NULL);
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			g_string_append_len(in, buf, (gssize)n);
		text = in->str;
	}
	xmlSetGenericErrorFunc(&log, xml_errlog_add);
	doc =
	    xmlReadMemory(text, (int)strlen(text), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	xmlSetGenericErrorFunc(NULL, NULL);
	xml_errlog_flush(&log, true);
	g_string_free(log.line, TRUE);
	if (in != NULL)
		g_string_free(in, TRUE);
	if (doc != NULL && xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}
