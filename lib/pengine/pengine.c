/*
 * pengine.c - the public entry point: read the CIB, run the stages in order and expose the
 * results.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

struct pl_pengine_run {
	struct pengine_ws ws;
	bool now_from_cib;
};

static int
cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct pl_pengine_run *run_model(xmlDoc *cib, struct pengine_stream *stream,
    const struct pl_pengine_opts *opts, struct pl_error *err);

struct pl_pengine_run *
pl_pengine_run(xmlDoc *cib, const struct pl_pengine_opts *opts, struct pl_error *err)
{
	return run_model(cib, NULL, opts, err);
}

static void
capture_error(void *arg, xmlErrorPtr e)
{
	struct pengine_stream *s = arg;
	if (s->error_seen || e == NULL || e->level < XML_ERR_ERROR)
		return;
	s->error_seen = true;
	s->line = e->line;
	s->column = e->int2;
	snprintf(s->message, sizeof(s->message), "%s", e->message ? e->message : "parse error");
	size_t n = strlen(s->message);
	while (n > 0 && (s->message[n - 1] == '\n' || s->message[n - 1] == ' '))
		s->message[--n] = '\0';
}

static void
stream_error(struct pl_error *err, const struct pengine_stream *s)
{
	if (s->error_seen)
		pl_error_set(err, PL_EXIT_DATAERR, "%s:%d:%d: malformed XML: %s", s->name, s->line,
		    s->column, s->message);
	else
		pl_error_set(err, PL_EXIT_DATAERR, "%s: malformed XML (no root element)", s->name);
}

/*
 * Read the CIB with one pull parser: <cib>'s attributes and every top-level section before
 * <status> are copied into a small tree; the reader is left standing on <status>, whose
 * node_state entries unpack.c then expands and frees one at a time. The status section is
 * found by the parser (comments, CDATA or attribute values quoting "<status" are just text).
 * No DTD: a DOCTYPE is refused; nesting is bounded by libxml2's default depth limit.
 */
struct pl_pengine_run *
pl_pengine_run_text(const char *buf, size_t len, const char *name,
    const struct pl_pengine_opts *opts, xmlDoc **doc_out, struct pl_error *err)
{
	struct pengine_stream s = { .name = name ? name : "<string>" };
	xmlDoc *doc = NULL;
	xmlNode *root = NULL;
	bool have_cfg = false, at_status = false;
	*doc_out = NULL;
	if (len > INT_MAX) {
		pl_error_set(err, PL_EXIT_DATAERR, "%s: document too large (%zu bytes)", s.name, len);
		return NULL;
	}
	xmlTextReader *rd = xmlReaderForMemory(buf, (int)len, s.name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (rd == NULL)
		abort(); /* out of memory */
	xmlTextReaderSetStructuredErrorHandler(rd, capture_error, &s);
	s.reader = rd;
	int ret = xmlTextReaderRead(rd);
	while (ret == 1) {
		int type = xmlTextReaderNodeType(rd), depth = xmlTextReaderDepth(rd);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			pl_error_set(err, PL_EXIT_DATAERR,
			    "%s:%d: a CIB must not have a DOCTYPE "
			    "(document type declarations are refused)",
			    s.name, xmlTextReaderGetParserLineNumber(rd));
			goto fail;
		}
		if (type != XML_READER_TYPE_ELEMENT || depth > 1) {
			ret = xmlTextReaderRead(rd);
			continue;
		}
		if (depth == 0) {
			doc = xmlNewDoc(BAD_CAST "1.0");
			root = xmlDocCopyNode(xmlTextReaderCurrentNode(rd), doc, 2);
			xmlDocSetRootElement(doc, root);
			ret = xmlTextReaderRead(rd);
			continue;
		}
		const xmlChar *el = xmlTextReaderConstLocalName(rd);
		if (xmlStrEqual(el, BAD_CAST "status") && have_cfg &&
		    !xmlTextReaderIsEmptyElement(rd)) {
			at_status = true;
			break;
		}
		xmlNode *sub = xmlTextReaderExpand(rd);
		if (sub == NULL) {
			ret = -1;
			break;
		}
		xmlAddChild(root, xmlDocCopyNode(sub, doc, 1));
		if (xmlStrEqual(el, BAD_CAST "configuration"))
			have_cfg = true;
		ret = xmlTextReaderNext(rd);
	}
	if (ret < 0 || s.error_seen || doc == NULL) {
		stream_error(err, &s);
		goto fail;
	}
	struct pl_pengine_run *run = run_model(doc, at_status ? &s : NULL, opts, err);
	if (run == NULL)
		goto fail;
	xmlFreeTextReader(rd);
	*doc_out = doc;
	return run;
fail:
	xmlFreeTextReader(rd);
	if (doc)
		xmlFreeDoc(doc);
	return NULL;
}

static struct pl_pengine_run *
run_model(xmlDoc *cib, struct pengine_stream *stream, const struct pl_pengine_opts *opts,
    struct pl_error *err)
{
	xmlNode *root = pl_xml_root(cib);
	if (root == NULL || !pl_xml_is(root, "cib") || !pl_xml_first_child(root, "configuration")) {
		pl_error_set(err, PL_EXIT_CONFIG, "input is not a CIB (no <cib><configuration>)");
		return NULL;
	}
	struct pl_pengine_run *run = XNEW(struct pl_pengine_run);
	struct pengine_ws *ws = &run->ws;
	ws->doc = cib;
	ws->cib = root;
	ws->stream = stream;
	ws->show_scores = opts && opts->show_scores;
	ws->now = pl_time_now();
	const char *ed = pl_xml_attr(root, "execution-date");
	if (opts && opts->now) {
		ws->now.epoch = opts->now;
	} else if (ed) {
		ws->now.epoch = strtoll(ed, NULL, 10);
		run->now_from_cib = true;
	}
	pengine_unpack(ws);
	bool schedule = !(opts && opts->status_only); /* crm_mon: the unpacked status only */

	if (schedule && !pengine_failed(ws))
		pengine_unpack_constraints(ws);
	if (opts && opts->constraints_only)
		schedule = false;
	if (schedule && !pengine_failed(ws))
		pengine_assign(ws);
	if (schedule && !pengine_failed(ws))
		pengine_create_actions(ws);
	if (schedule && !pengine_failed(ws))
		pengine_build_graph(ws);
	if (schedule && !pengine_failed(ws) && opts && opts->simulate) {
		ws->op_fail = opts->op_fail;
		ws->n_op_fail = opts->n_op_fail;
		pengine_simulate(ws);
	}
	ws->stream = NULL; /* the caller's, gone after this */
	if (pengine_failed(ws)) {
		if (err)
			*err = ws->error;
		pl_pengine_free(run);
		return NULL;
	}
	if (ws->unsupported)
		pengine_warn(ws,
		    "warning: this CIB uses features not scheduled yet (clones, bundles, remote "
		    "nodes, tickets or non-sequential sets): results are best effort");
	return run;
}

bool
pl_pengine_location_score(struct pl_pengine_run *run, const char *rsc_id, const char *node, int *score)
{
	struct pengine_ws *ws = &run->ws;
	struct pengine_rsc *r = g_hash_table_lookup(ws->rsc_by_id, rsc_id);
	struct pengine_node *n = g_hash_table_lookup(ws->node_by_name, node);

	if (r == NULL) {
		/* a cloned primitive: its instances are "id:N" */
		char *inst = xasprintf("%s:0", rsc_id);
		r = g_hash_table_lookup(ws->rsc_by_id, inst);
		free(inst);
	}
	while (r != NULL && r->score == NULL && r->n_children > 0)
		r = r->children[0];
	if (r == NULL || n == NULL || r->score == NULL)
		return false;
	*score = r->score[n->idx];
	return true;
}

void
pl_pengine_free(struct pl_pengine_run *run)
{
	if (run == NULL)
		return;
	pengine_free(&run->ws);
	free(run);
}

struct pengine_ws *
pengine_run_ws(struct pl_pengine_run *run)
{
	return &run->ws;
}

void
pl_pengine_status_text(struct pl_pengine_run *run, bool revised, struct pl_buf *out)
{
	pengine_render_status(&run->ws, out, revised);
}

void
pl_pengine_summary_text(struct pl_pengine_run *run, struct pl_buf *out)
{
	pengine_render_summary(&run->ws, out);
}

void
pl_pengine_exec_text(struct pl_pengine_run *run, struct pl_buf *out)
{
	pl_buf_add(out, pl_buf_str(&run->ws.exec_log));
}

char *
pl_pengine_graph_xml(struct pl_pengine_run *run)
{
	return pengine_graph_xml(&run->ws);
}

const char *
pl_pengine_warnings(struct pl_pengine_run *run)
{
	return pl_buf_str(&run->ws.warnings);
}

const char *
pl_pengine_log(struct pl_pengine_run *run)
{
	return pl_buf_str(&run->ws.log);
}

const char *
pl_pengine_input_errors(struct pl_pengine_run *run)
{
	return pl_buf_str(&run->ws.input_errors);
}

long long
pl_pengine_now(struct pl_pengine_run *run, bool *from_cib)
{
	if (from_cib)
		*from_cib = run->now_from_cib;
	return run->ws.now.epoch;
}

static bool
rsc_disabled(struct pengine_rsc *r)
{
	return r->disabled; /* target-role as the resource sees it (its own before its
			     * parents') */
}

void
pl_pengine_rsc_counts(struct pl_pengine_run *run, int *total, int *disabled, int *blocked)
{
	struct pengine_ws *ws = &run->ws;
	*total = *disabled = *blocked = 0;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pengine_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || (r->orphan && r->n_running == 0))
			continue;
		(*total)++;
		if (rsc_disabled(r))
			(*disabled)++;
		if ((r->failed && r->blocked) || r->multi_blocked)
			(*blocked)++;
	}
}

bool
pl_pengine_maintenance(struct pl_pengine_run *run)
{
	return run->ws.maintenance;
}

bool
pl_pengine_validation_disabled(struct pl_pengine_run *run)
{
	return !g_strcmp0(pl_xml_attr(run->ws.cib, "validate-with"), "none");
}

void
pl_pengine_scores_text(struct pl_pengine_run *run, struct pl_buf *out)
{
	/* sorted, as Pacemaker's regression files keep them */
	gchar **lines = g_strsplit(pl_buf_str(&run->ws.scores), "\n", -1);
	guint n = g_strv_length(lines);
	qsort(lines, n, sizeof(*lines), cmp_lines);
	for (guint i = 0; i < n; i++)
		if (*lines[i])
			pl_buf_addf(out, "%s\n", lines[i]);
	g_strfreev(lines);
}

char *
pl_pengine_graph_dot(struct pl_pengine_run *run)
{
	return pengine_graph_dot(&run->ws);
}
