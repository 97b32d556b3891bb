/*
 * server.c - paceline-pengine's IPC front end (server.h). One handler computes: it decodes the
 * request (lib/ipc has already checked type, sender privilege, length and signature), saves
 * the input when the ring is on, runs lib/pengine and replies. No scheduling decision is
 * taken here; everything the reply carries comes from lib/pengine unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/pack.h"
#include "paceline/pengine.h"
#include "paceline/pengine_client.h"
#include "paceline/xalloc.h"
#include "server.h"

static struct {
	struct pl_ipc_server *srv;
	struct pengine_inputs *inputs;
	uint32_t next_transition;	    /* the number of the next transition computed */
	uint64_t computed, errors;	    /* requests answered with a transition / an error */
	uint64_t last_us, max_us, total_us; /* compute time of successful runs */
} pe;

/* The run, or NULL with err set. Saves the input first, so that a CIB that crashes the
 * engine is on disk for the post-mortem. */
static struct pl_pengine_run *
compute(const char *cib, size_t len, long long now, xmlDoc **doc, char **saved, struct pl_error *err)
{
	struct pl_pengine_opts opts = { 0 };

	*saved = pengine_inputs_save(pe.inputs, cib, len);
	opts.now = now;
	/* errors read "CIB:5:3: malformed XML: ..." (line and column in the request's text) */
	return pl_pengine_run_text(cib, len, "CIB", &opts, doc, err);
}

static void
on_compute(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_buf summary = PL_BUF_INIT;
	struct pl_pengine_result res = PL_PENGINE_RESULT_INIT;
	struct pl_pengine_run *run;
	xmlDoc *doc = NULL;
	char *saved = NULL;
	const char *cib;
	size_t len;
	uint32_t flags;
	int64_t now;
	uint64_t t0 = pl_mono_us(), us;

	(void)arg;
	if (!pl_msg_unpack(msg, PL_MSG_PENGINE_COMPUTE, &flags, &now, &cib)) {
		/* cannot happen: the dispatcher checked the signature */
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_PROTOCOL, "malformed PENGINE_COMPUTE");
		return;
	}
	len = strlen(cib);
	run = compute(cib, len, (long long)now, &doc, &saved, &err);
	us = pl_mono_us() - t0;
	if (run == NULL) {
		pe.errors++;
		log_warnx("cannot compute a transition for pid %ld: %s%s%s",
		    (long)pl_ipc_client_pid(c), err.text, saved ? "; input saved in " : "",
		    saved ? saved : "");
		pl_ipc_reply_status(
		    c, msg->call_id, err.code ? err.code : PL_EXIT_ERROR, "%s", err.text);
		free(saved);
		return;
	}
	res.transition = pe.next_transition++;
	res.graph = pl_pengine_graph_xml(run);
	pl_pengine_summary_text(run, &summary);
	res.summary = (char *)pl_buf_str(&summary);
	res.warnings = (char *)pl_pengine_warnings(run);
	res.input_path = saved ? saved : "";
	pl_pengine_result_pack(&p, &res);
	pl_ipc_reply(c, msg->call_id, PL_MSG_PENGINE_COMPUTE_REPLY, 0, &p);

	pe.computed++;
	pe.last_us = us;
	pe.total_us += us;
	if (us > pe.max_us)
		pe.max_us = us;
	log_info("calculated transition %u in %.1f ms for pid %ld%s%s%s", res.transition,
	    (double)us / 1000.0, (long)pl_ipc_client_pid(c), saved ? ", input saved in " : "",
	    saved ? saved : "", *res.warnings ? " (with warnings about unsupported features)" : "");
	pl_pack_free(&p);
	free(res.graph);
	pl_buf_free(&summary);
	free(saved);
	pl_pengine_free(run);
	xmlFreeDoc(doc);
}

static void
on_stats(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	char v[6][32];
	const char *kv[16];
	size_t n = 0;

	(void)arg;
	snprintf(v[0], sizeof(v[0]), "%llu", (unsigned long long)pe.computed);
	snprintf(v[1], sizeof(v[1]), "%llu", (unsigned long long)pe.errors);
	snprintf(v[2], sizeof(v[2]), "%llu", (unsigned long long)pe.last_us);
	snprintf(v[3], sizeof(v[3]), "%llu", (unsigned long long)pe.max_us);
	snprintf(v[4], sizeof(v[4]), "%llu", (unsigned long long)pe.total_us);
	snprintf(v[5], sizeof(v[5]), "%u", pe.inputs->next);
	kv[n++] = "transitions";
	kv[n++] = v[0];
	kv[n++] = "errors";
	kv[n++] = v[1];
	kv[n++] = "last_us";
	kv[n++] = v[2];
	kv[n++] = "max_us";
	kv[n++] = v[3];
	kv[n++] = "total_us";
	kv[n++] = v[4];
	kv[n++] = "inputs_dir";
	kv[n++] = pe.inputs->dir ? pe.inputs->dir : "";
	kv[n++] = "inputs_next";
	kv[n++] = v[5];
	kv[n] = NULL;
	pl_msg_pack(&p, PL_MSG_PENGINE_STATS_REPLY, (const char *const *)kv);
	pl_ipc_reply(c, msg->call_id, PL_MSG_PENGINE_STATS_REPLY, 0, &p);
	pl_pack_free(&p);
}

bool
pengine_server_start(struct pengine_inputs *inputs, struct pl_error *err)
{
	pe.inputs = inputs;
	pe.srv = pl_ipc_server_new(PL_SVC_PENGINE, NULL, NULL, NULL, err);
	if (pe.srv == NULL)
		return false;
	pl_ipc_server_handle(pe.srv, PL_MSG_PENGINE_COMPUTE, on_compute);
	pl_ipc_server_handle(pe.srv, PL_MSG_PENGINE_STATS, on_stats);
	return true;
}

void
pengine_server_stop(void)
{
	if (pe.srv == NULL)
		return;
	pl_ipc_server_free(pe.srv);
	pe.srv = NULL;
}
