/*
 * pengine.c - the public entry point: read the CIB, run the stages in order and expose the
 * results.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

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

static struct pl_pengine_run *run_begin(xmlDoc *cib, struct pengine_stream *stream,
    const struct pl_pengine_opts *opts, struct pl_error *err);
static struct pl_pengine_run *run_stages(
    struct pl_pengine_run *run, const struct pl_pengine_opts *opts, struct pl_error *err);

struct text_run {
	const struct pl_pengine_opts *opts;
	struct pl_pengine_run *run;
	struct pl_error err;
};

/* <status> starts after <configuration>: the tree so far is the whole configuration. */
static void
stream_begin(struct pengine_stream *s, xmlDoc *doc)
{
	struct text_run *t = s->arg;
	t->run = run_begin(doc, s, t->opts, &t->err);
}

static void
stream_element(struct pengine_stream *s, xmlNode *top)
{
	struct text_run *t = s->arg;
	struct pengine_ws *ws = t->run ? &t->run->ws : NULL;
	if (ws == NULL || pengine_failed(ws))
		return;
	if (pl_xml_is(top, "node_state"))
		pengine_unpack_node_state(ws, top);
	else if (ws->tickets == NULL) {
		ws->tickets = pl_xml_copy(top, ws->doc);
		ws->tickets_copied = true;
	}
}

static void
stream_error(struct pl_error *err, const struct pengine_stream *s)
{
	if (s->refused)
		pl_error_set(err, PL_EXIT_DATAERR, "%s:%d: %s", s->name, s->line, s->message);
	else if (s->error_seen)
		pl_error_set(err, PL_EXIT_DATAERR, "%s:%d:%d: malformed XML: %s", s->name, s->line,
		    s->column, s->message);
	else
		pl_error_set(err, PL_EXIT_DATAERR, "%s: malformed XML (no root element)", s->name);
}

/*
 * Read the CIB in one pass (stream.c): <cib> and every section before <status> become a
 * small tree; when <status> starts, the configuration is unpacked and each node_state is
 * unpacked as the parser reaches its end, then dropped. The status section is found by the
 * parser (comments, CDATA or attribute values quoting "<status" are just text). A DOCTYPE is
 * refused; malformed XML anywhere is an error with line:col.
 */
struct pl_pengine_run *
pl_pengine_run_text(const char *buf, size_t len, const char *name,
    const struct pl_pengine_opts *opts, xmlDoc **doc_out, struct pl_error *err)
{
	struct text_run t = { .opts = opts, .err = PL_ERROR_INIT };
	struct pengine_stream s = {
		.name = name ? name : "<string>",
		.begin = stream_begin,
		.element = stream_element,
		.arg = &t,
	};
	*doc_out = NULL;
	if (len > INT_MAX) {
		pl_error_set(err, PL_EXIT_DATAERR, "%s: document too large (%zu bytes)", s.name, len);
		return NULL;
	}
	xmlDoc *doc = pengine_stream_parse(&s, buf, len);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		if (t.run)
			pl_pengine_free(t.run);
		if (doc)
			xmlFreeDoc(doc);
		stream_error(err, &s);
		return NULL;
	}
	struct pl_pengine_run *run;
	if (!s.at_status) {
		run = run_stages(run_begin(doc, NULL, opts, err), opts, err);
	} else if (t.run == NULL) {
		if (err)
			*err = t.err;
		run = NULL;
	} else {
		if (!pengine_failed(&t.run->ws))
			pengine_unpack_status_finish(&t.run->ws);
		run = run_stages(t.run, opts, err);
	}
	if (run == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	*doc_out = doc;
	return run;
}

struct pl_pengine_run *
pl_pengine_run(xmlDoc *cib, const struct pl_pengine_opts *opts, struct pl_error *err)
{
	return run_stages(run_begin(cib, NULL, opts, err), opts, err);
}

/* The run's model up to the status (all of it for a parsed document). */
static struct pl_pengine_run *
run_begin(xmlDoc *cib, struct pengine_stream *stream, const struct pl_pengine_opts *opts,
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
	return run;
}

/* The stages after unpacking; a failed run is freed and its error returned. */
static struct pl_pengine_run *
run_stages(struct pl_pengine_run *run, const struct pl_pengine_opts *opts, struct pl_error *err)
{
	if (run == NULL)
		return NULL;
	struct pengine_ws *ws = &run->ws;
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
	/* in the order the placement decisions were made, as Pacemaker 2.1.5 prints them */
	pl_buf_add(out, pl_buf_str(&run->ws.scores));
}

char *
pl_pengine_graph_dot(struct pl_pengine_run *run)
{
	return pengine_graph_dot(&run->ws);
}
