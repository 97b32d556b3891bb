/*
 * cib_schema.c - RelaxNG validation of CIB documents against the project's own schema
 * (schemas/pacemaker-3.rng covers validate-with="pacemaker-3.0" ... "pacemaker-3.10"), and of
 * the status section alone (schemas/pacemaker-3-status.rng) for status-only updates.
 * The compiled schemas are cached for the life of the process (validate from one thread).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <libxml/relaxng.h>

#include "paceline/xalloc.h"
#include "cib_private.h"

#define SCHEMA_FILE "pacemaker-3.rng"

enum { SCHEMA_CIB, SCHEMA_STATUS, N_SCHEMAS };
static const char *const schema_files[N_SCHEMAS] = { SCHEMA_FILE, "pacemaker-3-status.rng" };
static xmlRelaxNGPtr cached[N_SCHEMAS];
static char *cached_dir;

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

bool
pl_cib_schema_supported(const char *v)
{
	char *end;
	long minor;

	if (v == NULL || strncmp(v, "pacemaker-3.", 12) != 0)
		return false;
	minor = strtol(v + 12, &end, 10);
	return end != v + 12 && *end == '\0' && minor >= 0 && minor <= 10;
}

struct collected {
	char *text;
	size_t count;
	bool all;
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
	if (n != NULL && n->type == XML_ELEMENT_NODE) {
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
	struct collected c = { NULL, 0, false };

	if (cached_dir == NULL || strcmp(cached_dir, dir) != 0) {
		pl_cib_schema_cleanup();
		cached_dir = xstrdup(dir);
	}
	if (cached[which] != NULL)
		return cached[which];
	path = xasprintf("%s/%s", dir, schema_files[which]);
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
run_schema(int which, xmlDoc *doc, struct pl_error *e, char **all)
{
	xmlRelaxNGPtr schema = load_schema(which, e);
	xmlRelaxNGValidCtxtPtr vctx;
	struct collected c = { NULL, 0, all != NULL };
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

static int
validate(xmlDoc *doc, struct pl_error *e, char **all)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	const char *vw = root ? cib_attr(root, "validate-with") : NULL;

	if (vw != NULL && strcmp(vw, "none") == 0)
		return 0;
	if (!pl_cib_schema_supported(vw)) {
		pl_error_set(e, PL_EXIT_CONFIG,
		    "validate-with=\"%s\" is not a schema this version "
		    "supports (pacemaker-3.0 to pacemaker-3.10)",
		    vw ? vw : "");
		if (all)
			*all = xstrdup(e->text);
		return PL_EXIT_CONFIG;
	}
	return run_schema(SCHEMA_CIB, doc, e, all);
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
	return run_schema(SCHEMA_STATUS, status_doc, e, NULL);
}
