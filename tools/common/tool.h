/*
 * tool.h - what every command-line tool shares: Pacemaker 2.1.5's option prologue and output
 * formats, and one CIB source.
 *
 * The prologue. A tool lists its own option groups and calls tool_parse, which adds the
 * options every Pacemaker tool has (-?/--help, -$/--version, -V/--verbose, and the
 * "Output Options:" group --output-as=FORMAT, --output-to=DEST) and opens the output:
 *
 *	static struct tool t = { .name = "crm_ticket", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };
 *	GOptionContext *ctx = g_option_context_new(NULL);
 *	tool_add_group(ctx, "queries", "Queries:", "Show queries", query_entries);
 *	rc = tool_parse(&t, ctx, main_entries, &argc, &argv);	// -1: go on; else exit with rc
 *	...
 *	fprintf(t.out, "...");				// text
 *	xmlNode *r = tool_xml_result(&t);		// <pacemaker-result ...>; add children
 *	return tool_finish(&t, rc);			// XML: <status>, errors; closes output
 *
 * Errors go through tool_error: printed to stderr at once in text mode, collected into
 * <status><errors> in XML mode, as Pacemaker's tools do.
 *
 * The CIB source. Every tool that reads or changes the CIB opens one source, chosen as
 * Pacemaker's tools choose it: CIB_shadow=NAME (the shadow copy CIB_shadow_dir/shadow.NAME,
 * default $PL_STATE_DIR/cib or /var/lib/paceline/cib), else CIB_file=PATH (a file; changes
 * are written back atomically), else the local paceline-cib daemon.
 *
 *	struct tool_cib *src = tool_cib_open("crm_ticket", timeout_ms, &err);	// NULL: err set
 *	rc = tool_cib_call(src, &req, &output, &err);	// any pl_cib_request, 0 or exit code
 *	xmlDoc *doc = tool_cib_fetch(src, &err);	// a private copy of the whole CIB
 *	tool_cib_close(src);
 */
#ifndef PACELINE_TOOL_H
#define PACELINE_TOOL_H

#include <stdbool.h>
#include <stdio.h>

#include <glib.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/error.h"

#define TOOL_PCMK_VERSION    "2.1.5" /* the Pacemaker these tools answer as */
#define TOOL_XML_API_VERSION "2.25"  /* what Pacemaker 2.1.5 writes in <pacemaker-result> */

enum tool_format {
	TOOL_FMT_TEXT = 1 << 0,
	TOOL_FMT_XML = 1 << 1,
};

struct tool {
	/* set by the tool before tool_parse */
	const char *name;
	unsigned formats; /* accepted --output-as values; 0 means text only */

	/* set by tool_parse */
	gboolean version;	 /* -$ seen */
	int verbose;		 /* number of -V */
	enum tool_format format; /* the chosen one */
	FILE *out;		 /* where output goes (stdout or --output-to) */
	char *request;		 /* the command line, for <pacemaker-result request=...> */

	/* private */
	char *output_as;
	char *output_to;
	xmlDoc *xml;
	GPtrArray *errors;
};

/* Whether Pacemaker's library messages (the configuration errors it logs while reading a
 * CIB) reach stderr: only when PCMK_stderr is true or with -V, as Pacemaker's tools log. */
bool tool_log_wanted(int verbose);

/* Pacemaker's string hash for its tables (GLib 2.26's g_str_hash: h * 31 + c). A GHashTable
 * keyed with it lists its entries in the order Pacemaker's tools print theirs. */
guint tool_pcmk_str_hash(gconstpointer key);

/* Add an option group shown by --help-NAME (e.g. "commands", "Commands:", "Show command
 * options"). The entries must stay valid until the context is freed. */
void tool_add_group(GOptionContext *ctx, const char *name, const char *title, const char *help,
    const GOptionEntry *entries);

/* Parse argv with the tool's main entries plus the shared ones. Returns -1 to go on, or the
 * exit code to return at once (the tool is then finished, see tool_finish): 64 after an
 * option error ("TOOL: message" on stderr), 0 after --version (text or XML), 1 for an
 * unknown --output-as (Pacemaker's code) or an --output-to that cannot be opened. */
int tool_parse(
    struct tool *t, GOptionContext *ctx, const GOptionEntry *main_entries, int *argc, char ***argv);

/* Report an error: stderr (text) or collected for <errors> (XML). A trailing newline is
 * added in text mode when missing. */
void tool_error(struct tool *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* The <pacemaker-result> element of XML output, created on first use. */
xmlNode *tool_xml_result(struct tool *t);

/* Finish: in XML mode add <status code= message=> (with the collected errors) and print the
 * document; flush and close the output; free the tool's state. Returns rc. */
int tool_finish(struct tool *t, int rc);

/* Parse XML given on the command line or stdin ("-" reads stdin). libxml2's messages about
 * malformed input go to stderr as Pacemaker logs them ("TOOL  error: XML Error: LINE", one
 * per line). NULL when it does not parse. */
xmlDoc *tool_xml_read(struct tool *t, const char *text);

/* ---- The CIB source ---- */

enum tool_cib_kind { TOOL_CIB_DAEMON, TOOL_CIB_FILE, TOOL_CIB_SHADOW };

struct tool_cib;

/* Open the source the environment names (see above). For a file or shadow, the document is
 * read and checked here (66 missing, 65 malformed); for the daemon, a connection is made
 * within timeout_ms (102 when it does not answer). NULL with err set. */
struct tool_cib *tool_cib_open(const char *client, int timeout_ms, struct pl_error *err);
enum tool_cib_kind tool_cib_kind(const struct tool_cib *src);
/* The file behind a file or shadow source; NULL for the daemon. */
const char *tool_cib_path(const struct tool_cib *src);

/* Perform one request (query or update). For a file or shadow the request is applied to the
 * document and, when it changed something, written back (CIB_file in place, a shadow
 * atomically; a rejected update leaves the file as it was). *output as pl_cib_call's; free with tool_cib_output_free. */
int tool_cib_call(
    struct tool_cib *src, const struct pl_cib_request *req, xmlNode **output, struct pl_error *err);
void tool_cib_output_free(struct tool_cib *src, xmlNode *output);

/* One request on a CIB document in this process (a file or shadow), as CIB_user: with
 * enable-acl on, a query answers what the user may read and an update must stay within what
 * it may write (lib/cib's ACLs, Pacemaker's trace lines when PCMK_trace_functions names
 * them); otherwise pl_cib_perform as it is. tool_cib_call uses it for files and shadows. */
int tool_cib_perform_file(
    struct pl_cib *cib, const struct pl_cib_request *req, xmlNode **out, struct pl_error *e);

/* Write a CIB document to path, two-space indented: in place (truncate and rewrite, fsync)
 * or atomically (temporary file and rename). */
int tool_cib_save_file(
    const char *path, const struct pl_cib *cib, bool in_place, struct pl_error *err);

/* A private copy of the whole CIB (configuration and status); caller frees with xmlFreeDoc. */
xmlDoc *tool_cib_fetch(struct tool_cib *src, struct pl_error *err);
/* Before scheduling, as Pacemaker's cli_config_update: a CIB of a schema older than
 * pacemaker-3.0 (or an unknown one) is upgraded in memory (*text replaced; the walk traced
 * for PCMK_trace_functions=update_validation,apply_upgrade), 78 with "Cannot upgrade ..."
 * when it cannot be; validate-with="none" or none at all prints Pacemaker's notice. */
int tool_cib_config_update(gchar **text, gsize *len, const char *name);
/* The root element's validate-with="..." read off the text without parsing it (NULL when
 * it is not there, or not written so); g_free it. */
char *tool_cib_root_validate_with(const char *text, size_t len);
/* The same on a parsed document (*doc replaced by the upgraded copy; unchanged on failure):
 * what crm_resource and crm_mon do with every CIB they read. */
int tool_cib_config_update_doc(xmlDoc **doc);

void tool_cib_close(struct tool_cib *src);

/* The file the environment names as the CIB (the shadow's, else CIB_file), with its kind;
 * NULL (kind TOOL_CIB_DAEMON) for the daemon. Caller frees. */
char *tool_cib_file(enum tool_cib_kind *kind);

/* The path of shadow NAME (CIB_shadow_dir, else the state root's cib/ directory). */
char *tool_shadow_path(const char *name);

#endif
