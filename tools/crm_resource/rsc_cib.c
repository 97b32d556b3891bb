/*
 * rsc_cib.c - crm_resource's CIB source. With CIB_file=PATH (or "-" for standard input) or
 * CIB_shadow=NAME the CIB is a file: read whole, changed in place through lib/cib's
 * operations (the same versioning as the daemon) and written back once at the end. Without,
 * the local paceline-cib answers: a query for reading, one request per change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm_resource.h"
#include "common-cib/cib_tool.h"
#include "paceline/cib_client.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/pengine.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"

struct rsc_cib cib;
static char *shadow_path;

static int
query_live(struct pl_error *err)
{
	struct pl_cib_request q = { .op = PL_CIB_OP_QUERY };
	xmlNode *out = NULL;
	int rc = pl_cib_call(cib.conn, &q, 30000, &out, NULL, err);

	if (rc != 0)
		return rc;
	if (out == NULL) {
		pl_error_set(err, PL_EXIT_ERROR, "the CIB daemon returned no CIB");
		return PL_EXIT_ERROR;
	}
	xmlFreeDoc(cib.live);
	cib.live = pl_xml_copy_doc(out);
	pl_cib_output_free(out);
	return 0;
}

int
rsc_cib_open(void)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *file = getenv("CIB_file");
	const char *shadow = getenv("CIB_shadow");

	if ((file == NULL || *file == '\0') && shadow && *shadow) {
		const char *dir = getenv("CIB_shadow_dir");
		shadow_path = g_strdup_printf("%s/shadow.%s", dir && *dir ? dir : "/var/lib/pacemaker/cib",
		    shadow);
		file = shadow_path;
	}
	if (file && *file) {
		if (!strcmp(file, "-")) {
			char *text = cibtool_read_text(NULL, NULL, true, &err);
			cib.from_stdin = true;
			cib.cib = text ? pl_cib_parse_string(text, &err) : NULL;
			free(text);
		} else {
			cib.path = file;
			cib.cib = pl_cib_parse_file(file, &err);
		}
		if (cib.cib == NULL) {
			out_err("Could not connect to the CIB: %s", err.text);
			return out_fail(err.code == PL_EXIT_NOINPUT ? PL_EXIT_NOSUCH : err.code, "%s", "");
		}
		pl_cib_set_validation(cib.cib, false);
		return PL_EXIT_OK;
	}
	cib.conn = pl_cib_connect(5000, "crm_resource", &err);
	if (cib.conn == NULL || query_live(&err) != 0) {
		out_err("Could not connect to the CIB: %s", err.text);
		return PL_EXIT_DISCONNECT;
	}
	return PL_EXIT_OK;
}

void
rsc_cib_close(void)
{
	if (cib.run)
		pl_pengine_free(cib.run);
	cib.run = NULL;
	if (cib.cib)
		pl_cib_free(cib.cib);
	cib.cib = NULL;
	if (cib.conn)
		pl_cib_disconnect(cib.conn);
	cib.conn = NULL;
	xmlFreeDoc(cib.live);
	cib.live = NULL;
	g_free(shadow_path);
	shadow_path = NULL;
}

xmlNode *
rsc_cib_root(void)
{
	if (cib.cib)
		return pl_cib_root(cib.cib);
	return cib.live ? xmlDocGetRootElement(cib.live) : NULL;
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
		if (!pl_xml_is(c, "primitive") && !pl_xml_is(c, "group") && !pl_xml_is(c, "clone") &&
		    !pl_xml_is(c, "master") && !pl_xml_is(c, "bundle"))
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
	if (cib.cib) {
		rc = pl_cib_perform(cib.cib, &req, NULL, NULL, err);
		if (rc == 0)
			cib.changed = true;
	} else {
		rc = pl_cib_call(cib.conn, &req, 30000, NULL, NULL, err);
		if (rc == 0)
			rc = query_live(err);
	}
	if (rc == 0 && cib.run) { /* the status is read again when asked next */
		pl_pengine_free(cib.run);
		cib.run = NULL;
	}
	return rc;
}

int
rsc_cib_commit(void)
{
	struct pl_error err = PL_ERROR_INIT;

	if (!cib.changed || cib.path == NULL)
		return PL_EXIT_OK;
	if (cibtool_save(cib.path, cib.cib, &err) != 0)
		return out_fail(err.code ? err.code : PL_EXIT_CANTCREAT, "%s", err.text);
	cib.changed = false;
	return PL_EXIT_OK;
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
	if (!told && pl_pengine_stonith_unset(cib.run)) {
		/* Pacemaker's log line; its prefix names the function when tracing is set up */
		const char *pfx = getenv("PCMK_trace_functions") ? "(unpack_resources@unpack.c:0) \t" : "";
		fflush(stdout);
		fprintf(stderr,
		    "%serror: Resource start-up disabled since no STONITH resources have been defined\n"
		    "%serror: Either configure some or disable STONITH with the stonith-enabled option\n"
		    "%serror: NOTE: Clusters with shared data need STONITH to ensure data integrity\n",
		    pfx, pfx, pfx);
	}
	told = true;
	return cib.run;
}
