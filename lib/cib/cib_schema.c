/*
 * cib_schema.c - RelaxNG validation of CIB documents against the project's own schemas: one
 * grammar per schema Pacemaker 2.1.5 knows (schemas/pacemaker-1.0.rng ... pacemaker-3.9.rng,
 * pacemaker-next.rng; each a few overrides of pacemaker-3.rng), and the status section alone
 * (schemas/pacemaker-3-status.rng) for status-only updates. A document is validated against
 * the schema its validate-with names; one without validate-with is tried against every
 * schema in turn and ends as validate-with="none", as Pacemaker does.
 * The compiled schemas are cached for the life of the process (validate from one thread).
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>
#include <libxml/relaxng.h>

#include "paceline/xalloc.h"
#include "cib_private.h"

#define SCHEMA_FILE "pacemaker-3.rng"

/* Pacemaker 2.1.5's schemas, oldest first (its numbering: "Testing 'pacemaker-1.2' validation
 * (1 of X)"); the status-only grammar after them. */
static const char *const known[] = {
	"pacemaker-1.0",
	"pacemaker-1.2",
	"pacemaker-1.3",
	"pacemaker-2.0",
	"pacemaker-2.1",
	"pacemaker-2.2",
	"pacemaker-2.3",
	"pacemaker-2.4",
	"pacemaker-2.5",
	"pacemaker-2.6",
	"pacemaker-2.7",
	"pacemaker-2.8",
	"pacemaker-2.9",
	"pacemaker-2.10",
	"pacemaker-3.0",
	"pacemaker-3.1",
	"pacemaker-3.2",
	"pacemaker-3.3",
	"pacemaker-3.4",
	"pacemaker-3.5",
	"pacemaker-3.6",
	"pacemaker-3.7",
	"pacemaker-3.8",
	"pacemaker-3.9",
	"pacemaker-next",
};
enum { N_KNOWN = sizeof(known) / sizeof(known[0]), SCHEMA_STATUS = N_KNOWN, N_SCHEMAS };
static xmlRelaxNGPtr cached[N_SCHEMAS];
static char *cached_dir;
static FILE *echo_fp;
static bool echo_located;

static bool
has_schema(const char *dir)
{
	char *p = xasprintf("%s/%s", dir, SCHEMA_FILE);
	bool ok = access(p, R_OK) == 0;

	free(p);
	return ok;
}

const char *
pl_cib_schema_dir(void)
{
	const char *env = getenv("PACELINE_SCHEMA_DIR");

	static int installed = -1; /* probed once: every validation asks (a daemon, per update) */

	if (env != NULL && *env != '\0')
		return env;
	if (installed < 0)
		installed = has_schema(PL_SCHEMA_INSTALL_DIR);
	return installed ? PL_SCHEMA_INSTALL_DIR : PL_SCHEMA_SRC_DIR;
}

int
pl_cib_schema_count(void)
{
	return N_KNOWN;
}

const char *
pl_cib_schema_name(int i)
{
	return i >= 0 && i < N_KNOWN ? known[i] : NULL;
}

int
pl_cib_schema_index(const char *name)
{
	for (int i = 0; name != NULL && i < N_KNOWN; i++)
		if (strcasecmp(name, known[i]) == 0)
			return i;
	return -1;
}

int
pl_cib_schema_latest(void)
{
	return N_KNOWN - 2; /* pacemaker-3.9: the newest stable one, never "next" */
}

bool
pl_cib_schema_supported(const char *v)
{
	return pl_cib_schema_index(v) >= 0;
}

void
pl_cib_schema_set_echo(FILE *fp, bool located)
{
	echo_fp = fp;
	echo_located = located;
}

struct collected {
	char *text;
	size_t count;
	bool all;
	bool raw;     /* libxml2's own wording: "element X: Relax-NG validity error : ..." */
	bool located; /* raw, after libxml2's "FILE:LINE: " when the document came from a file */
};

static void
on_error(void *arg, xmlErrorPtr err)
{
	struct collected *c = arg;
	const xmlNode *n = err->node;
	char *line, *old;
	size_t l;

	if (c->count++ > 0 && !c->all)
		return;
	if (c->raw) {
		char *at = c->located && err->file ? xasprintf("%s:%d: ", err->file, err->line)
						   : xstrdup("");

		line = xasprintf("%s%s%s%s%s : %s", at,
		    n && n->type == XML_ELEMENT_NODE ? "element " : "",
		    n && n->type == XML_ELEMENT_NODE ? (const char *)n->name : "",
		    n && n->type == XML_ELEMENT_NODE ? ": " : "",
		    err->domain == XML_FROM_RELAXNGV ? "Relax-NG validity error" : "validity error",
		    err->message ? err->message : "invalid");
		free(at);
	} else if (n != NULL && n->type == XML_ELEMENT_NODE) {
		const char *id = cib_attr(n, "id");

		line = xasprintf("element %s%s%s%s, line %ld: %s", (const char *)n->name,
		    id ? " id=\"" : "", id ? id : "", id ? "\"" : "", xmlGetLineNo((xmlNode *)n),
		    err->message ? err->message : "invalid");
	} else
		line = xasprintf("line %d: %s", err->line, err->message ? err->message : "invalid");
	l = strlen(line);
	while (l > 0 && line[l - 1] == '\n')
		line[--l] = '\0';
	old = c->text;
	c->text = old ? xasprintf("%s\n%s", old, line) : xstrdup(line);
	free(old);
	free(line);
}

static xmlRelaxNGPtr
load_schema(int which, struct pl_error *e)
{
	const char *dir = pl_cib_schema_dir();
	char *path;
	xmlRelaxNGParserCtxtPtr pctx;
	struct collected c = { NULL, 0, false, false, false };

	if (cached_dir == NULL || strcmp(cached_dir, dir) != 0) {
		pl_cib_schema_cleanup();
		cached_dir = xstrdup(dir);
	}
	if (cached[which] != NULL)
		return cached[which];
	if (which == SCHEMA_STATUS)
		path = xasprintf("%s/pacemaker-3-status.rng", dir);
	else
		path = xasprintf("%s/%s.rng", dir, known[which]);
	pctx = xmlRelaxNGNewParserCtxt(path);
	xmlRelaxNGSetParserStructuredErrors(pctx, on_error, &c);
	cached[which] = xmlRelaxNGParse(pctx);
	xmlRelaxNGFreeParserCtxt(pctx);
	if (cached[which] == NULL)
		pl_error_set(e, PL_EXIT_CONFIG, "%s: cannot load the CIB schema%s%s", path,
		    c.text ? ": " : "", c.text ? c.text : "");
	free(c.text);
	free(path);
	return cached[which];
}

void
pl_cib_schema_cleanup(void)
{
	for (int i = 0; i < N_SCHEMAS; i++) {
		if (cached[i] != NULL)
			xmlRelaxNGFree(cached[i]);
		cached[i] = NULL;
	}
	free(cached_dir);
	cached_dir = NULL;
}

/* Validate doc against one schema; *all (if given) receives every message. */
static int
run_schema(int which, xmlDoc *doc, struct pl_error *e, char **all, bool raw, bool located)
{
	xmlRelaxNGPtr schema = load_schema(which, e);
	xmlRelaxNGValidCtxtPtr vctx;
	struct collected c = { NULL, 0, all != NULL, raw, located };
	int r;

	if (schema == NULL) {
		if (all)
			*all = xstrdup(e->text);
		return PL_EXIT_CONFIG;
	}
	vctx = xmlRelaxNGNewValidCtxt(schema);
	xmlRelaxNGSetValidStructuredErrors(vctx, on_error, &c);
	/* ID/IDREF problems are reported through the thread's structured handler. */
	xmlSetStructuredErrorFunc(&c, on_error);
	r = xmlRelaxNGValidateDoc(vctx, doc);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlRelaxNGFreeValidCtxt(vctx);
	if (r == 0) {
		free(c.text);
		return 0;
	}
	pl_error_set(e, PL_EXIT_CONFIG, "%s", c.text ? c.text : "the document does not validate");
	if (all)
		*all = c.text ? c.text : xstrdup(e->text);
	else
		free(c.text);
	return PL_EXIT_CONFIG;
}

/* No validate-with: Pacemaker tries every schema in turn, printing what each finds (the
 * echo stream, when a tool set one), and the document ends as validate-with="none". */
static void
validate_unnamed(xmlDoc *doc)
{
	for (int i = 0; i < N_KNOWN; i++) {
		struct pl_error e = PL_ERROR_INIT;
		char *msgs = NULL;

		if (run_schema(i, doc, &e, echo_fp ? &msgs : NULL, true, echo_located) != 0 &&
		    echo_fp && msgs)
			fprintf(echo_fp, "%s\n", msgs);
		free(msgs);
	}
	xmlSetProp(
	    xmlDocGetRootElement(doc), (const xmlChar *)"validate-with", (const xmlChar *)"none");
}

static int
validate(xmlDoc *doc, struct pl_error *e, char **all)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	const char *vw = root ? cib_attr(root, "validate-with") : NULL;
	int which;

	if (root != NULL && vw == NULL) {
		validate_unnamed(doc);
		return 0;
	}
	if (vw != NULL && strcmp(vw, "none") == 0)
		return 0;
	which = pl_cib_schema_index(vw);
	if (which < 0) {
		pl_error_set(e, PL_EXIT_CONFIG,
		    "validate-with=\"%s\" is not a schema this version knows (pacemaker-1.0 to "
		    "pacemaker-3.9, pacemaker-next or none)",
		    vw ? vw : "");
		if (all)
			*all = xstrdup(e->text);
		return PL_EXIT_CONFIG;
	}
	return run_schema(which, doc, e, all, false, false);
}

int
pl_cib_validate_as(xmlDoc *doc, int which, char **messages)
{
	struct pl_error e = PL_ERROR_INIT;

	if (messages)
		*messages = NULL;
	if (which < 0 || which >= N_KNOWN)
		return PL_EXIT_CONFIG;
	return run_schema(which, doc, &e, messages, true, false);
}

int
pl_cib_validate(xmlDoc *doc, struct pl_error *e)
{
	return validate(doc, e, NULL);
}

int
pl_cib_validate_all(xmlDoc *doc, char **messages)
{
	struct pl_error e = PL_ERROR_INIT;

	*messages = NULL;
	return validate(doc, &e, messages);
}

int
pl__cib_validate_status(xmlDoc *status_doc, struct pl_error *e)
{
	return run_schema(SCHEMA_STATUS, status_doc, e, NULL, false, false);
}
