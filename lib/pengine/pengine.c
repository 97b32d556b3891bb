/*
 * pengine.c - the public entry point: run the stages in order and expose the results.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pe_private.h"

struct pl_pengine_run {
	struct pe_ws ws;
	bool now_from_cib;
};

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct pl_pengine_run *run_model(xmlDoc *cib, const char *status_text, size_t status_len,
					const struct pl_pengine_opts *opts, struct pl_error *err);

struct pl_pengine_run *pl_pengine_run(xmlDoc *cib, const struct pl_pengine_opts *opts,
				      struct pl_error *err)
{
	return run_model(cib, NULL, 0, opts, err);
}

/* Locate <status ...>...</status> after </configuration>; false if absent or empty. */
static bool find_status(const char *buf, size_t len, size_t *start, size_t *end)
{
	const char *cfg = g_strstr_len(buf, (gssize)len, "</configuration>");
	const char *from = cfg ? cfg : buf;
	const char *s = g_strstr_len(from, (gssize)(len - (size_t)(from - buf)), "<status");
	if (s == NULL || (s[7] != '>' && s[7] != ' ' && s[7] != '\t' && s[7] != '\n' && s[7] != '\r'))
		return false;
	const char *gt = memchr(s, '>', len - (size_t)(s - buf));
	if (gt == NULL || gt[-1] == '/')
		return false;
	const char *e = g_strrstr_len(s, (gssize)(len - (size_t)(s - buf)), "</status>");
	if (e == NULL)
		return false;
	*start = (size_t)(s - buf);
	*end = (size_t)(e - buf) + strlen("</status>");
	return true;
}

struct pl_pengine_run *pl_pengine_run_text(const char *buf, size_t len, const char *name,
					   const struct pl_pengine_opts *opts, xmlDoc **doc_out,
					   struct pl_error *err)
{
	size_t start, end;
	xmlDoc *doc;
	struct pl_pengine_run *run;
	*doc_out = NULL;
	if (!find_status(buf, len, &start, &end)) {
		doc = pl_xml_parse_memory(buf, len, name, err);
		if (doc == NULL)
			return NULL;
		run = run_model(doc, NULL, 0, opts, err);
	} else {
		/* the configuration as a tree; the status streamed */
		char *cfg = xmalloc(len - (end - start) + 1);
		memcpy(cfg, buf, start);
		memcpy(cfg + start, buf + end, len - end);
		cfg[len - (end - start)] = '\0';
		doc = pl_xml_parse_memory(cfg, len - (end - start), name, err);
		free(cfg);
		if (doc == NULL)
			return NULL;
		run = run_model(doc, buf + start, end - start, opts, err);
	}
	if (run == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	*doc_out = doc;
	return run;
}

static struct pl_pengine_run *run_model(xmlDoc *cib, const char *status_text, size_t status_len,
					const struct pl_pengine_opts *opts, struct pl_error *err)
{
	xmlNode *root = pl_xml_root(cib);
	if (root == NULL || !pl_xml_is(root, "cib") || !pl_xml_first_child(root, "configuration")) {
		pl_error_set(err, PL_EXIT_CONFIG, "input is not a CIB (no <cib><configuration>)");
		return NULL;
	}
	struct pl_pengine_run *run = XNEW(struct pl_pengine_run);
	struct pe_ws *ws = &run->ws;
	ws->doc = cib;
	ws->cib = root;
	ws->status_text = status_text;
	ws->show_scores = opts && opts->show_scores;
	ws->status_len = status_len;
	ws->now = pl_time_now();
	const char *ed = pl_xml_attr(root, "execution-date");
	if (opts && opts->now) {
		ws->now.epoch = opts->now;
	} else if (ed) {
		ws->now.epoch = strtoll(ed, NULL, 10);
		run->now_from_cib = true;
	}
	pe_unpack(ws);
	if (opts && opts->status_only)
		return run;
	pe_unpack_constraints(ws);
	pe_assign(ws);
	pe_create_actions(ws);
	pe_build_graph(ws);
	if (opts && opts->simulate)
		pe_simulate(ws);
	if (ws->unsupported)
		pe_warn(ws, "warning: this CIB uses features not scheduled yet (clones, bundles, remote "
			"nodes, tickets or non-sequential sets): results are best effort");
	return run;
}

void pl_pengine_free(struct pl_pengine_run *run)
{
	if (run == NULL)
		return;
	pe_free(&run->ws);
	free(run);
}

struct pe_ws *pe_run_ws(struct pl_pengine_run *run)
{
	return &run->ws;
}

void pl_pengine_status_text(struct pl_pengine_run *run, bool revised, struct pl_buf *out)
{
	pe_render_status(&run->ws, out, revised);
}

void pl_pengine_summary_text(struct pl_pengine_run *run, struct pl_buf *out)
{
	pe_render_summary(&run->ws, out);
}

void pl_pengine_exec_text(struct pl_pengine_run *run, struct pl_buf *out)
{
	pl_buf_add(out, pl_buf_str(&run->ws.exec_log));
}

char *pl_pengine_graph_xml(struct pl_pengine_run *run)
{
	return pe_graph_xml(&run->ws);
}

const char *pl_pengine_warnings(struct pl_pengine_run *run)
{
	return pl_buf_str(&run->ws.warnings);
}

long long pl_pengine_now(struct pl_pengine_run *run, bool *from_cib)
{
	if (from_cib)
		*from_cib = run->now_from_cib;
	return run->ws.now.epoch;
}

static bool rsc_disabled(struct pe_rsc *r)
{
	for (; r; r = r->parent)
		if (r->disabled)
			return true;
	return false;
}

void pl_pengine_rsc_counts(struct pl_pengine_run *run, int *total, int *disabled, int *blocked)
{
	struct pe_ws *ws = &run->ws;
	*total = *disabled = *blocked = 0;
	for (int i = 0; i < ws->n_rscs; i++) {
		struct pe_rsc *r = ws->rscs[i];
		if (r->kind != KIND_PRIMITIVE || (r->orphan && r->n_running == 0))
			continue;
		(*total)++;
		if (rsc_disabled(r))
			(*disabled)++;
		if (r->failed && r->blocked)
			(*blocked)++;
	}
}

bool pl_pengine_maintenance(struct pl_pengine_run *run)
{
	return run->ws.maintenance;
}

bool pl_pengine_validation_disabled(struct pl_pengine_run *run)
{
	return !g_strcmp0(pl_xml_attr(run->ws.cib, "validate-with"), "none");
}

void pl_pengine_scores_text(struct pl_pengine_run *run, struct pl_buf *out)
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

char *pl_pengine_graph_dot(struct pl_pengine_run *run)
{
	return pe_graph_dot(&run->ws);
}
