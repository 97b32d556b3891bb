/*
 * crm_error - print the name and description of Pacemaker's exit codes (-X), standard return
 * codes (-r) or legacy return codes (the default), one per argument, or list them all (-l).
 *
 * Options, output (text and --output-as=xml) and exit statuses follow Pacemaker 2.1.5's
 * crm_error; tests/tools/crm_error.sh compares ours with recorded output of the real one.
 * Arguments that are not numbers read as INT_MIN and out-of-range ones are clamped, as there.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "paceline/buf.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#ifndef PL_VERSION
#define PL_VERSION "0"
#endif
#define PCMK_VERSION	"2.1.5"
#define XML_API_VERSION "2.25" /* what Pacemaker 2.1.5 writes in <pacemaker-result> */

enum code_kind { KIND_LEGACY, KIND_RC, KIND_EXIT };

struct options {
	enum code_kind kind;
	gboolean names;
	gboolean list;
	gboolean version;
	gboolean fancy;
	int verbose;
	char *output_as;
	char *output_to;
	char **codes;
};

static struct options opts = { .kind = KIND_LEGACY };

static gboolean
set_exit(const char *o, const char *v, gpointer d, GError **e)
{
	opts.kind = KIND_EXIT; /* -X and -r: the last one given wins */
	return TRUE;
}

static gboolean
set_rc(const char *o, const char *v, gpointer d, GError **e)
{
	opts.kind = KIND_RC;
	return TRUE;
}

static gboolean
add_verbose(const char *o, const char *v, gpointer d, GError **e)
{
	opts.verbose++;
	return TRUE;
}

static GOptionEntry main_entries[] = {
	{ "version", '$', 0, G_OPTION_ARG_NONE, &opts.version, "Show the version and exit", NULL },
	{ "verbose", 'V', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, add_verbose,
	    "More detail (may be given several times); codes are then shown like a listing", NULL },
	{ "name", 'n', 0, G_OPTION_ARG_NONE, &opts.names,
	    "Show each code's symbolic name before its description", NULL },
	{ "list", 'l', 0, G_OPTION_ARG_NONE, &opts.list,
	    "List every known code (the default when no code is given)", NULL },
	{ "exit", 'X', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_exit,
	    "Codes are exit statuses (CRM_EX_*)", NULL },
	{ "rc", 'r', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_rc,
	    "Codes are standard return codes (pcmk_rc_*, errno values)", NULL },
	{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &opts.codes, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry output_entries[] = {
	{ "output-as", 0, 0, G_OPTION_ARG_STRING, &opts.output_as,
	    "Output format: text (default) or xml", "FORMAT" },
	{ "output-to", 0, 0, G_OPTION_ARG_STRING, &opts.output_to,
	    "Write output to this file (\"-\" for standard output)", "DEST" },
	{ "text-fancy", 0, 0, G_OPTION_ARG_NONE, &opts.fancy,
	    "Accepted for compatibility; text output is the same", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* Codes of the selected kind. */

static const char *
code_name(int code)
{
	switch (opts.kind) {
	case KIND_EXIT: return pl_exit_name(code);
	case KIND_RC: return pl_rc_name(code);
	default: return pl_legacy_rc_name(code);
	}
}

static const char *
code_str(int code)
{
	switch (opts.kind) {
	case KIND_EXIT: return pl_exit_str(code);
	case KIND_RC: return pl_rc_str(code);
	default: return pl_legacy_rc_str(code);
	}
}

static int
parse_code(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s)
		return INT_MIN;
	if (v > INT_MAX)
		return INT_MAX;
	if (v < INT_MIN)
		return INT_MIN;
	return (int)v;
}

/* The codes a listing shows, in order. Returns the number stored in out (at most max). */
static size_t
listed_codes(int *out, size_t max)
{
	size_t n = 0, count;
	const struct pl_exit_entry *t;

	if (opts.kind == KIND_EXIT) {
		t = pl_exit_table(&count);
		for (size_t i = 0; i < count && n < max; i++)
			out[n++] = t[i].code;
		return n;
	}
	for (int rc = opts.kind == KIND_RC ? PL_RC_MIN : 0; rc <= 255 && n < max; rc++)
		if (strcmp(code_name(rc), "Unknown") != 0)
			out[n++] = rc;
	return n;
}

/* Text output. */

static void
text_code(FILE *out, int code, bool as_listing)
{
	if (as_listing && opts.names)
		fprintf(out, "%5d: %-26s  %s\n", code, code_name(code), code_str(code));
	else if (as_listing)
		fprintf(out, "%5d: %s\n", code, code_str(code));
	else if (opts.names)
		fprintf(out, "%s - %s\n", code_name(code), code_str(code));
	else
		fprintf(out, "%s\n", code_str(code));
}

/* XML output: <pacemaker-result request="the command line"> ... <status code="0"/>. */

static char *
quoted_command_line(int argc, char **argv)
{
	struct pl_buf b = PL_BUF_INIT;

	for (int i = 0; i < argc; i++) {
		if (i > 0)
			pl_buf_addc(&b, ' ');
		if (strchr(argv[i], ' ') == NULL) {
			pl_buf_add(&b, argv[i]);
			continue;
		}
		pl_buf_addc(&b, '\'');
		for (const char *p = argv[i]; *p != '\0'; p++) {
			if (*p == '\'')
				pl_buf_addc(&b, '\\');
			pl_buf_addc(&b, *p);
		}
		pl_buf_addc(&b, '\'');
	}
	return pl_buf_steal(&b);
}

static xmlDoc *
xml_result_new(const char *request)
{
	xmlDoc *doc = pl_xml_new_doc("pacemaker-result");

	pl_xml_set_attr(pl_xml_root(doc), "api-version", XML_API_VERSION);
	pl_xml_set_attr(pl_xml_root(doc), "request", request);
	return doc;
}

static void
xml_code(xmlDoc *doc, int code)
{
	xmlNode *n = pl_xml_add_child(pl_xml_root(doc), "result-code");

	pl_xml_set_attr_int(n, "code", code);
	if (opts.names)
		pl_xml_set_attr(n, "name", code_name(code));
	pl_xml_set_attr(n, "description", code_str(code));
}

static void
xml_finish(FILE *out, xmlDoc *doc)
{
	xmlNode *status = pl_xml_add_child(pl_xml_root(doc), "status");
	char *text;

	pl_xml_set_attr(status, "code", "0");
	pl_xml_set_attr(status, "message", "OK");
	text = pl_xml_dump(pl_xml_root(doc), true);
	fputs(text, out);
	free(text);
	xmlFreeDoc(doc);
}

static void
xml_version(xmlDoc *doc)
{
	xmlNode *v = pl_xml_add_child(pl_xml_root(doc), "version");

	pl_xml_set_attr(v, "program", "Paceline");
	pl_xml_set_attr(v, "version", PL_VERSION);
	pl_xml_set_attr(v, "compatible", "Pacemaker " PCMK_VERSION);
	pl_xml_set_attr(v, "author", "the Paceline developers");
}

/* One run: the codes given, or the listing. */

static void
emit(FILE *out, bool xml, const char *request)
{
	int listed[512];
	size_t n;
	xmlDoc *doc = xml ? xml_result_new(request) : NULL;
	bool listing = opts.list || opts.codes == NULL;

	if (opts.version && xml) {
		xml_version(doc);
	} else if (opts.version) {
		fprintf(out, "Paceline %s (crm_error, compatible with Pacemaker %s)\n", PL_VERSION,
		    PCMK_VERSION);
	} else if (listing) {
		n = listed_codes(listed, sizeof(listed) / sizeof(listed[0]));
		for (size_t i = 0; i < n; i++)
			xml ? xml_code(doc, listed[i]) : text_code(out, listed[i], true);
	} else {
		for (char **c = opts.codes; *c != NULL; c++)
			xml ? xml_code(doc, parse_code(*c))
			    : text_code(out, parse_code(*c), opts.verbose > 0);
	}
	if (xml)
		xml_finish(out, doc);
}

static int
parse_options(int *argc, char ***argv)
{
	GOptionContext *ctx = g_option_context_new("[-- <rc> [<rc>...]]");
	GOptionGroup *output =
	    g_option_group_new("output", "Output Options:", "Show output help", NULL, NULL);
	GError *error = NULL;
	int rc = PL_EXIT_OK;

	g_option_context_set_summary(ctx,
	    "crm_error - show the name and description of "
	    "Pacemaker exit statuses and return codes");
	g_option_context_add_main_entries(ctx, main_entries, NULL);
	g_option_group_add_entries(output, output_entries);
	g_option_context_add_group(ctx, output);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		fprintf(stderr, "crm_error: %s\n", error->message);
		g_error_free(error);
		rc = PL_EXIT_USAGE;
	}
	g_option_context_free(ctx);
	return rc;
}

static FILE *
open_output(bool *ok)
{
	const char *format = opts.output_as != NULL ? opts.output_as : "text";
	FILE *out;

	*ok = false;
	if (strcmp(format, "text") != 0 && strcmp(format, "xml") != 0) {
		fprintf(stderr,
		    "crm_error: Error creating output format %s: Unknown output format\n", format);
		return NULL;
	}
	if (opts.output_to == NULL || strcmp(opts.output_to, "-") == 0) {
		*ok = true;
		return stdout;
	}
	out = fopen(opts.output_to, "w");
	if (out == NULL)
		fprintf(stderr, "crm_error: Error creating output format %s: %s\n", format,
		    strerror(errno));
	*ok = out != NULL;
	return out;
}

int
main(int argc, char **argv)
{
	char *request = quoted_command_line(argc, argv);
	bool ok;
	FILE *out;
	int rc = parse_options(&argc, &argv);

	if (rc == PL_EXIT_OK) {
		out = open_output(&ok);
		if (!ok) {
			rc = PL_EXIT_ERROR;
		} else {
			emit(out, opts.output_as != NULL && strcmp(opts.output_as, "xml") == 0,
			    request);
			if (out != stdout && fclose(out) != 0)
				rc = PL_EXIT_ERROR;
		}
	}
	free(request);
	g_strfreev(opts.codes);
	g_free(opts.output_as);
	g_free(opts.output_to);
	return rc;
}
