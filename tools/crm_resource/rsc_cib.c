/*
 * rsc_cib.c - crm_resource's CIB: tools/common's one CIB source (CIB_file, CIB_shadow or the
 * local paceline-cib), read as a private copy and read again after every change, each change
 * one request (a file is written back by the source). CIB_file=- reads the CIB from standard
 * input for the queries, as Pacemaker's tools do; changes then stay in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_resource.h"
#include "common-cib/cib_tool.h"
#include "paceline/exitcode.h"
#include "paceline/pengine.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"
#include "tool.h"

struct rsc_cib cib;

static int
fetch(struct pl_error *err)
{
	xmlDoc *d = tool_cib_fetch(cib.src, err);

	int rc;

	if (d == NULL)
		return err->code ? err->code : PL_EXIT_ERROR;
	/* an older schema's CIB is read upgraded in memory, as Pacemaker's crm_resource does */
	if ((rc = tool_cib_config_update_doc(&d)) != 0) {
		xmlFreeDoc(d);
		pl_error_set(
		    err, rc, "the CIB's schema cannot be upgraded to pacemaker-3.0 or later");
		return rc;
	}
	xmlFreeDoc(cib.doc);
	cib.doc = d;
	return PL_EXIT_OK;
}

int
rsc_cib_open(void)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *file = getenv("CIB_file");

	if (file && !strcmp(file, "-")) {
		char *text = cibtool_read_text(NULL, NULL, true, &err);
		cib.stdin_cib = text ? pl_cib_parse_string(text, &err) : NULL;
		free(text);
		if (cib.stdin_cib == NULL) {
			out_err("Could not connect to the CIB: %s", err.text);
			return err.code ? err.code : PL_EXIT_DATAERR;
		}
		pl_cib_set_validation(cib.stdin_cib, false);
		return PL_EXIT_OK;
	}
	cib.src = tool_cib_open("crm_resource", 30000, &err);
	if (cib.src == NULL || fetch(&err) != PL_EXIT_OK) {
		int rc = err.code ? err.code : PL_EXIT_ERROR;

		/* connected, but the ACLs let the user read nothing: the caller's "Error
		 * performing operation" line is Pacemaker's only one */
		if (cib.src != NULL && rc == PL_EXIT_INSUFFICIENT_PRIV)
			return rc;
		out_err("Could not connect to the CIB: %s", err.text);
		if (cib.src == NULL && rc != PL_EXIT_DISCONNECT)
			rc = rc == PL_EXIT_NOINPUT ? PL_EXIT_NOSUCH : rc;
		return rc;
	}
	return PL_EXIT_OK;
}

void
rsc_cib_close(void)
{
	if (cib.run)
		pl_pengine_free(cib.run);
	cib.run = NULL;
	if (cib.stdin_cib)
		pl_cib_free(cib.stdin_cib);
	cib.stdin_cib = NULL;
	if (cib.src)
		tool_cib_close(cib.src);
	cib.src = NULL;
	xmlFreeDoc(cib.doc);
	cib.doc = NULL;
}

xmlNode *
rsc_cib_root(void)
{
	if (cib.stdin_cib)
		return pl_cib_root(cib.stdin_cib);
	return cib.doc ? xmlDocGetRootElement(cib.doc) : NULL;
}

static xmlNode *
section(const char *name)
{
	xmlNode *conf = pl_xml_first_child(rsc_cib_root(), "configuration");

	return conf ? pl_xml_first_child(conf, name) : NULL;
}

static xmlNode *
find_in(xmlNode *parent, const char *id)
{
	for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!pl_xml_is(c, "primitive") && !pl_xml_is(c, "group") &&
		    !pl_xml_is(c, "clone") && !pl_xml_is(c, "master") && !pl_xml_is(c, "bundle"))
			continue;
		if (!g_strcmp0(pl_xml_id(c), id))
			return c;
		xmlNode *f = find_in(c, id);
		if (f)
			return f;
	}
	return NULL;
}

xmlNode *
rsc_cib_find_rsc(const char *id)
{
	return find_in(section("resources"), id);
}

int
rsc_cib_update(enum pl_cib_op op, const char *sect, xmlNode *input, struct pl_error *err)
{
	struct pl_cib_request req = { .op = op, .section = sect, .input = input };
	int rc;

	if (op == PL_CIB_OP_MODIFY)
		req.flags |= PL_CIB_F_ALLOW_CREATE;
	if (cib.stdin_cib) {
		rc = pl_cib_perform(cib.stdin_cib, &req, NULL, NULL, err);
	} else {
		rc = tool_cib_call(cib.src, &req, NULL, err);
		if (rc == 0)
			rc = fetch(err);
	}
	if (rc == 0 && cib.run) { /* the status is read again when asked next */
		pl_pengine_free(cib.run);
		cib.run = NULL;
	}
	return rc;
}

struct pl_pengine_run *
rsc_status(void)
{
	static bool told;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_opts po = { .status_only = true };

	if (cib.run)
		return cib.run;
	cib.run = pl_pengine_run(rsc_cib_root()->doc, &po, &err);
	if (cib.run == NULL) {
		out_err("crm_resource: %s", err.text);
		return NULL;
	}
	if (!told && pl_pengine_stonith_unset(cib.run) && tool_log_wanted(rsc_tool.verbose)) {
		/* Pacemaker's log line; its prefix names the function when tracing is set up */
		const char *pfx =
		    getenv("PCMK_trace_functions") ? "(unpack_resources@unpack.c:0) \t" : "";
		fflush(stdout);
		fprintf(stderr,
		    "%serror: Resource start-up disabled since no STONITH resources have been "
		    "defined\n"
		    "%serror: Either configure some or disable STONITH with the stonith-enabled "
		    "option\n"
		    "%serror: NOTE: Clusters with shared data need STONITH to ensure data "
		    "integrity\n",
		    pfx, pfx, pfx);
	}
	told = true;
	return cib.run;
}
