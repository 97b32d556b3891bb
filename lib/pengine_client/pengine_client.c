/*
 * pengine_client.c - the client side of paceline-pengine's messages (pengine.def) on lib/ipc,
 * and the reply encoding the daemon uses, so that both directions are written once.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/pack.h"
#include "paceline/pengine_client.h"
#include "paceline/xalloc.h"

#define COMPUTE_TIMEOUT_MS 120000
#define STATS_TIMEOUT_MS   5000

size_t
pl_pengine_cib_max(void)
{
	const struct pl_msg_def *d = pl_msg_def(PL_MSG_PENGINE_COMPUTE);

	/* u flags (4) + I now (8) + x: length (4) + NUL (1) */
	return pl_msg_effective_limit(d->maxlen) - (4 + 8 + 4 + 1);
}

void
pl_pengine_result_clear(struct pl_pengine_result *res)
{
	if (res == NULL)
		return;
	free(res->graph);
	free(res->summary);
	free(res->warnings);
	free(res->input_path);
	memset(res, 0, sizeof(*res));
}

bool
pl_pengine_request_pack(
    struct pl_pack *p, const char *cib, const struct pl_pengine_request *rq, struct pl_error *err)
{
	static const struct pl_pengine_request none = PL_PENGINE_REQUEST_INIT;
	size_t len = cib ? strlen(cib) : 0;

	if (rq == NULL)
		rq = &none;
	if (len > pl_pengine_cib_max()) {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "CIB of %zu bytes exceeds paceline-pengine's limit of %zu bytes", len,
		    pl_pengine_cib_max());
		return false;
	}
	pl_msg_pack(p, PL_MSG_PENGINE_COMPUTE, rq->flags, (int64_t)rq->now, cib ? cib : "");
	return true;
}

void
pl_pengine_result_pack(struct pl_pack *p, const struct pl_pengine_result *res)
{
	pl_msg_pack(p, PL_MSG_PENGINE_COMPUTE_REPLY, res->transition, res->graph, res->summary,
	    res->warnings, res->input_path);
}

bool
pl_pengine_result_decode(
    const struct pl_ipc_msg *m, struct pl_pengine_result *res, struct pl_error *err)
{
	uint32_t tr;
	const char *graph, *summary, *warnings, *path;

	if (m->type == PL_MSG_NONE) {
		pl_error_set(err, m->code ? m->code : PL_EXIT_PROTOCOL, "%s",
		    m->code ? pl_ipc_msg_status_text(m)
			    : "paceline-pengine answered without a transition");
		return false;
	}
	if (m->type != PL_MSG_PENGINE_COMPUTE_REPLY) {
		pl_error_set(err, PL_EXIT_PROTOCOL, "paceline-pengine answered with %s",
		    pl_msg_name(m->type));
		return false;
	}
	if (!pl_msg_unpack(m, PL_MSG_PENGINE_COMPUTE_REPLY, &tr, &graph, &summary, &warnings, &path)) {
		pl_msg_unpack_error(m, PL_MSG_PENGINE_COMPUTE_REPLY, err);
		return false;
	}
	res->transition = tr;
	res->graph = xstrdup(graph);
	res->summary = xstrdup(summary);
	res->warnings = xstrdup(warnings);
	res->input_path = xstrdup(path);
	return true;
}

bool
pl_pengine_compute(struct pl_ipc_conn *c, const char *cib, const struct pl_pengine_request *rq,
    int timeout_ms, struct pl_pengine_result *res, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	bool ok;

	if (!pl_pengine_request_pack(&p, cib, rq, err))
		return false;
	ok = pl_ipc_call(c, PL_MSG_PENGINE_COMPUTE, &p, PL_MSG_PENGINE_COMPUTE_REPLY,
	    timeout_ms > 0 ? timeout_ms : COMPUTE_TIMEOUT_MS, &reply, err);
	pl_pack_free(&p);
	if (ok)
		ok = pl_pengine_result_decode(&reply, res, err);
	pl_ipc_msg_clear(&reply);
	return ok;
}

struct async_call {
	pl_pengine_done_fn cb;
	void *arg;
};

static void
async_done(
    struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct async_call *a = arg;
	struct pl_pengine_result res = PL_PENGINE_RESULT_INIT;
	struct pl_error e = PL_ERROR_INIT;

	(void)c;
	if (err != NULL)
		a->cb(NULL, err, a->arg);
	else if (reply == NULL || !pl_pengine_result_decode(reply, &res, &e)) {
		if (!pl_error_isset(&e))
			pl_error_set(&e, PL_EXIT_PROTOCOL, "paceline-pengine sent no reply");
		a->cb(NULL, &e, a->arg);
	} else
		a->cb(&res, NULL, a->arg);
	pl_pengine_result_clear(&res);
	free(a);
}

uint32_t
pl_pengine_compute_async(struct pl_ipc_conn *c, const char *cib, const struct pl_pengine_request *rq,
    int timeout_ms, pl_pengine_done_fn cb, void *arg, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct async_call *a;
	uint32_t id;

	if (!pl_pengine_request_pack(&p, cib, rq, err))
		return 0;
	a = XNEW(struct async_call);
	a->cb = cb;
	a->arg = arg;
	id = pl_ipc_call_async(c, PL_MSG_PENGINE_COMPUTE, &p, PL_MSG_PENGINE_COMPUTE_REPLY,
	    timeout_ms, async_done, a, err);
	pl_pack_free(&p);
	if (id == 0)
		free(a);
	return id;
}

char **
pl_pengine_stats(struct pl_ipc_conn *c, int timeout_ms, struct pl_error *err)
{
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char **kv = NULL;
	uint32_t n = 0;
	char **out = NULL;

	if (!pl_ipc_call(c, PL_MSG_PENGINE_STATS, NULL, PL_MSG_PENGINE_STATS_REPLY,
		timeout_ms > 0 ? timeout_ms : STATS_TIMEOUT_MS, &reply, err))
		goto done;
	if (reply.type != PL_MSG_PENGINE_STATS_REPLY) {
		pl_error_set(err, PL_EXIT_PROTOCOL, "paceline-pengine answered with %s",
		    pl_msg_name(reply.type));
		goto done;
	}
	if (!pl_msg_unpack(&reply, PL_MSG_PENGINE_STATS_REPLY, &kv, &n)) {
		pl_msg_unpack_error(&reply, PL_MSG_PENGINE_STATS_REPLY, err);
		goto done;
	}
	out = xcalloc(2 * (size_t)n + 1, sizeof(char *));
	for (uint32_t i = 0; i < 2 * n; i++)
		out[i] = xstrdup(kv[i]);
done:
	free(kv);
	pl_ipc_msg_clear(&reply);
	return out;
}

void
pl_pengine_stats_free(char **kv)
{
	if (kv == NULL)
		return;
	for (char **p = kv; *p; p++)
		free(*p);
	free(kv);
}
