/*
 * tool_cib.c - one CIB source for every tool: CIB_file, CIB_shadow or the daemon (tool.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "tool.h"

#include "paceline/cib_client.h"
#include "paceline/daemon.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

struct tool_cib {
	enum tool_cib_kind kind;
	char *path;		  /* file and shadow */
	struct pl_cib *cib;	  /* file and shadow: the document */
	struct pl_cib_conn *conn; /* daemon */
	int timeout_ms;
};

char *
tool_shadow_path(const char *name)
{
	const char *dir = getenv("CIB_shadow_dir");

	if (dir != NULL && *dir != '\0')
		return xasprintf("%s/shadow.%s", dir, name);
	return xasprintf("%s/cib/shadow.%s", pl_daemon_state_root(), name);
}

static struct tool_cib *
open_file(enum tool_cib_kind kind, char *path, struct pl_error *err)
{
	struct tool_cib *src = xcalloc(1, sizeof(*src));

	src->kind = kind;
	src->path = path;
	src->cib = pl_cib_parse_file(path, err);
	if (src->cib == NULL) {
		tool_cib_close(src);
		return NULL;
	}
	return src;
}

char *
tool_cib_file(enum tool_cib_kind *kind)
{
	const char *file = getenv("CIB_file");
	const char *shadow = getenv("CIB_shadow");

	/* Pacemaker's order: a shadow named in the environment wins over CIB_file */
	if (shadow != NULL && *shadow != '\0') {
		*kind = TOOL_CIB_SHADOW;
		return tool_shadow_path(shadow);
	}
	*kind = TOOL_CIB_FILE;
	if (file != NULL && *file != '\0')
		return xstrdup(file);
	*kind = TOOL_CIB_DAEMON;
	return NULL;
}

struct tool_cib *
tool_cib_open(const char *client, int timeout_ms, struct pl_error *err)
{
	enum tool_cib_kind kind;
	char *path = tool_cib_file(&kind);
	struct tool_cib *src;

	if (path != NULL)
		return open_file(kind, path, err);
	src = xcalloc(1, sizeof(*src));
	src->kind = TOOL_CIB_DAEMON;
	src->timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
	src->conn = pl_cib_connect(src->timeout_ms < 5000 ? src->timeout_ms : 5000, client, err);
	if (src->conn == NULL) {
		free(src);
		return NULL;
	}
	return src;
}

enum tool_cib_kind
tool_cib_kind(const struct tool_cib *src)
{
	return src->kind;
}

const char *
tool_cib_path(const struct tool_cib *src)
{
	return src->path;
}

int
tool_cib_save_file(const char *path, const struct pl_cib *cib, bool in_place, struct pl_error *err)
{
	xmlBuffer *b = xmlBufferCreate();
	int rc;

	if (b == NULL)
		abort();
	xmlNodeDump(b, pl_cib_doc(cib), pl_cib_root(cib), 0, 1);
	xmlBufferCCat(b, "\n");
	if (in_place)
		rc = pl_write_file_sync(
		    path, xmlBufferContent(b), (size_t)xmlBufferLength(b), 0644, err);
	else
		rc = pl_write_file_atomic(
		    path, xmlBufferContent(b), (size_t)xmlBufferLength(b), 0644, 0, err);
	xmlBufferFree(b);
	return rc;
}

/* CIB_file is rewritten in place, as Pacemaker's tools do: pcs -f hands the tools a temporary
 * file it keeps open and reads back through the same descriptor, which a rename would leave
 * pointing at the old content. A shadow is replaced atomically. */
static int
save(struct tool_cib *src, struct pl_error *err)
{
	return tool_cib_save_file(src->path, src->cib, src->kind == TOOL_CIB_FILE, err);
}

/* Pacemaker's trace lines, when PCMK_trace_functions names the function. */
static void
acl_trace(const char *fn, const char *text)
{
	const char *want = getenv("PCMK_trace_functions");
	if (want == NULL)
		return;
	char **fns = g_strsplit(want, ",", -1);
	for (char **f = fns; *f != NULL; f++)
		if (strcmp(g_strstrip(*f), fn) == 0) {
			fprintf(stderr, "%s \ttrace: %s\n", fn, text);
			break;
		}
	g_strfreev(fns);
}

/* An operation on a file or shadow CIB, as CIB_user: with enable-acl on, a query answers
 * what the user may read and an update must stay within what it may write (lib/cib's
 * ACLs); otherwise the operation as it is. */
int
tool_cib_perform_file(
    struct pl_cib *cib, const struct pl_cib_request *req, xmlNode **out, struct pl_error *e)
{
	xmlNode *unused = NULL;
	if (out == NULL) { /* the caller does not want the output */
		int rc = tool_cib_perform_file(cib, req, &unused, e);
		if (unused != NULL)
			xmlFreeNode(unused);
		return rc;
	}
	const char *user = getenv("CIB_user");
	if (!pl_cib_acl_enabled(pl_cib_root(cib), user))
		return pl_cib_perform(cib, req, out, NULL, e);
	if (req->op == PL_CIB_OP_QUERY) {
		int rc = pl_cib_perform(cib, req, out, NULL, e);
		if (rc != 0 || *out == NULL)
			return rc;
		xmlDoc *seen = pl_cib_acl_filtered_copy(pl_cib_root(cib), *out, user);
		xmlFreeNode(*out);
		*out = NULL;
		if (seen == NULL)
			return PL_EXIT_INSUFFICIENT_PRIV;
		*out = xmlCopyNode(xmlDocGetRootElement(seen), 1);
		xmlFreeDoc(seen);
		return 0;
	}
	/* apply to a copy, check the result, then apply for real */
	struct pl_cib *trial = pl_cib_adopt(xmlCopyDoc(pl_cib_doc(cib), 1), e);
	if (trial == NULL)
		return PL_EXIT_ERROR;
	int rc = pl_cib_perform(trial, req, out, NULL, e);
	if (rc == 0)
		rc = pl_cib_acl_check_update(pl_cib_root(cib), pl_cib_root(trial), user,
		    req->op == PL_CIB_OP_REPLACE && req->section == NULL && req->xpath == NULL,
		    acl_trace);
	pl_cib_free(trial);
	if (rc != 0) {
		if (*out != NULL)
			xmlFreeNode(*out);
		*out = NULL;
		e->text[0] = '\0';
		return rc;
	}
	return pl_cib_perform(cib, req, out, NULL, e);
}

int
tool_cib_call(
    struct tool_cib *src, const struct pl_cib_request *req, xmlNode **output, struct pl_error *err)
{
	int rc;

	if (output != NULL)
		*output = NULL;
	if (src->kind == TOOL_CIB_DAEMON)
		return pl_cib_call(src->conn, req, src->timeout_ms, output, NULL, err);
	rc = tool_cib_perform_file(src->cib, req, output, err);
	if (rc == 0 && req->op != PL_CIB_OP_QUERY)
		rc = save(src, err);
	return rc;
}

void
tool_cib_output_free(struct tool_cib *src, xmlNode *output)
{
	if (output == NULL)
		return;
	if (src->kind == TOOL_CIB_DAEMON)
		pl_cib_output_free(output);
	else
		xmlFreeNode(output);
}

xmlDoc *
tool_cib_fetch(struct tool_cib *src, struct pl_error *err)
{
	struct pl_cib_request q = { .op = PL_CIB_OP_QUERY };
	xmlNode *whole = NULL;
	xmlDoc *doc;
	int rc;

	if (src->kind != TOOL_CIB_DAEMON) {
		if (!pl_cib_acl_enabled(pl_cib_root(src->cib), getenv("CIB_user")))
			return xmlCopyDoc(pl_cib_doc(src->cib), 1);
		/* what CIB_user may read of it, or 4 */
		rc = tool_cib_perform_file(src->cib, &q, &whole, err);
	} else {
		rc = pl_cib_call(src->conn, &q, src->timeout_ms, &whole, NULL, err);
	}
	if (rc != 0 || whole == NULL) {
		if (rc == PL_EXIT_INSUFFICIENT_PRIV)
			pl_error_set(err, rc, "Insufficient privileges");
		else if (rc == 0)
			pl_error_set(err, PL_EXIT_ERROR, "the CIB answered a query with nothing");
		tool_cib_output_free(src, whole);
		return NULL;
	}
	doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlDocSetRootElement(doc, xmlDocCopyNode(whole, doc, 1));
	tool_cib_output_free(src, whole);
	return doc;
}

void
tool_cib_close(struct tool_cib *src)
{
	if (src == NULL)
		return;
	pl_cib_disconnect(src->conn);
	pl_cib_free(src->cib);
	free(src->path);
	free(src);
}

/* ---- Pacemaker's in-memory upgrade before scheduling (cli_config_update) ---- */

static void
upgrade_trace(void *arg, const char *fn, const char *level, const char *text)
{
	const char *want = getenv("PCMK_trace_functions");

	(void)arg;
	if (want == NULL || *want == '\0')
		return;
	char **fns = g_strsplit(want, ",", -1);
	for (char **f = fns; *f != NULL; f++)
		if (strcmp(g_strstrip(*f), fn) == 0) {
			fprintf(stderr, "%s \t%s: %s\n", fn, level, text);
			break;
		}
	g_strfreev(fns);
}

/* The validate-with of the document's root start tag, without parsing it all (NULL when it
 * has none); a copy the caller frees. */
char *
tool_cib_root_validate_with(const char *text, size_t len)
{
	const char *end = text + len, *p = text, *q;

	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (p + 1 < end && (p[1] == '?' || p[1] == '!')) {
			p++;
			continue;
		}
		q = memchr(p, '>', (size_t)(end - p));
		if (q == NULL)
			return NULL;
		char *tag = g_strndup(p, (gsize)(q - p));
		char *at = strstr(tag, " validate-with=\"");
		char *v = NULL;
		if (at != NULL) {
			at += strlen(" validate-with=\"");
			char *close = strchr(at, '"');
			if (close != NULL)
				v = g_strndup(at, (gsize)(close - at));
		}
		g_free(tag);
		return v;
	}
	return NULL;
}

int
tool_cib_config_update_doc(xmlDoc **docp)
{
	xmlNode *root = xmlDocGetRootElement(*docp);
	const char *vw = root ? pl_xml_attr(root, "validate-with") : NULL;
	int idx = pl_cib_schema_index(vw), rc = 0;

	if (root == NULL)
		return 0;
	if (vw == NULL || strcmp(vw, "none") == 0) {
		fprintf(stderr,
		    "Schema validation of configuration is disabled (enabling is "
		    "encouraged and prevents common misconfigurations)\n");
	} else if (idx < pl_cib_schema_index("pacemaker-3.0")) {
		struct pl_cib_upgrade_log log = { upgrade_trace, NULL, stderr, true };
		char *claimed = xstrdup(vw);
		xmlDoc *copy = xmlCopyDoc(*docp, 1);
		int from, to;

		rc = pl_cib_upgrade(&copy, &log, &from, &to);
		if (rc == 0 && to < pl_cib_schema_index("pacemaker-3.0")) {
			fprintf(stderr,
			    "Cannot upgrade configuration (claiming schema %s) to at least "
			    "pacemaker-3.0 because it would not upgrade past %s\n",
			    claimed, pl_cib_schema_name(to));
			rc = PL_EXIT_CONFIG;
		}
		if (rc == 0) {
			xmlFreeDoc(*docp);
			*docp = copy;
		} else
			xmlFreeDoc(copy);
		free(claimed);
	}
	return rc;
}

int
tool_cib_config_update(gchar **text, gsize *len, const char *name)
{
	char *vw = tool_cib_root_validate_with(*text, *len);
	int idx = pl_cib_schema_index(vw), rc = 0;

	if (vw == NULL || strcmp(vw, "none") == 0) {
		fprintf(stderr,
		    "Schema validation of configuration is disabled (enabling is "
		    "encouraged and prevents common misconfigurations)\n");
	} else if (idx < pl_cib_schema_index("pacemaker-3.0")) {
		struct pl_error e = PL_ERROR_INIT;
		xmlDoc *doc = pl_xml_parse_memory(*text, *len, name, &e);

		if (doc == NULL) {
			g_free(vw);
			return 0; /* the caller's own parse reports it */
		}
		rc = tool_cib_config_update_doc(&doc);
		if (rc == 0) {
			xmlChar *out = NULL;
			int n = 0;

			xmlDocDumpFormatMemory(doc, &out, &n, 1);
			g_free(*text);
			*text = g_strndup((const char *)out, (gsize)n);
			*len = (gsize)n;
			xmlFree(out);
		}
		xmlFreeDoc(doc);
	}
	g_free(vw);
	return rc;
}
