/*
 * peer.c - the request protocol's messages between fencers (see peer.h): the table's
 * signature is checked by lib/ipc's decoder before a handler runs; here the fields become a
 * struct stonithd_msg and back (a RESULT whose outcome is not one of enum stonithd_rc is
 * dropped with a log line).
 */
#include <stdlib.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "peer.h"

struct stonithd_peer_ctx {
	stonithd_peer_fn fn;
	void *arg;
};

static void
deliver(const struct pl_peer_msg *pm, void *arg, struct stonithd_msg *m)
{
	struct stonithd_peer_ctx *ctx = arg;

	m->from = pm->nodeid;
	ctx->fn(m, ctx->arg);
}

static void
on_request(const struct pl_peer_msg *pm, void *arg)
{
	struct stonithd_msg m = { .type = STONITHD_MSG_REQUEST };

	pl_peer_unpack(
	    pm, &m.id, &m.target, &m.action, &m.client, &m.timeout_ms, &m.flags, &m.delay_ms);
	deliver(pm, arg, &m);
}

static void
on_query_reply(const struct pl_peer_msg *pm, void *arg)
{
	struct stonithd_msg m = { .type = STONITHD_MSG_QUERY_REPLY };
	const char **devs = NULL;
	uint32_t n = 0;

	pl_peer_unpack(pm, &m.id, &devs, &n);
	m.devices = (char **)devs;
	m.n_devices = n;
	deliver(pm, arg, &m);
	free(devs);
}

static void
on_exec(const struct pl_peer_msg *pm, void *arg)
{
	struct stonithd_msg m = { .type = STONITHD_MSG_EXEC };

	pl_peer_unpack(pm, &m.id, &m.executor, &m.device, &m.action, &m.target, &m.timeout_ms);
	deliver(pm, arg, &m);
}

static void
on_exec_done(const struct pl_peer_msg *pm, void *arg)
{
	struct stonithd_msg m = { .type = STONITHD_MSG_EXEC_DONE };
	int32_t rc = 0;

	pl_peer_unpack(pm, &m.id, &m.device, &rc, &m.reason);
	m.rc = rc;
	deliver(pm, arg, &m);
}

static void
on_result(const struct pl_peer_msg *pm, void *arg)
{
	struct stonithd_msg m = { .type = STONITHD_MSG_RESULT };
	int32_t rc = 0;

	pl_peer_unpack(pm, &m.id, &rc, &m.reason, &m.device, &m.delegate, &m.completed_ms, &m.ran_as);
	if (rc < STONITHD_RC_OK || rc > STONITHD_RC_ORIGIN) {
		/* an outcome no fencer sends: it would reach clients and the history as is */
		log_warnx("dropping a RESULT from node %u for op %#llx: rc %d is not a fencing "
			  "outcome (0-%d)",
		    pm->nodeid, (unsigned long long)m.id, rc, STONITHD_RC_ORIGIN);
		return;
	}
	m.rc = rc;
	deliver(pm, arg, &m);
}

struct pl_peer *
stonithd_peer_new(size_t frame_max, stonithd_peer_fn fn, void *arg)
{
	static struct stonithd_peer_ctx ctx; /* one decoder per process */
	struct pl_peer *pp;

	ctx.fn = fn;
	ctx.arg = arg;
	pp = pl_peer_new(PL_SVC_STONITHD, frame_max, &ctx);
	pl_peer_handle(pp, PL_PEER_STONITHD_REQUEST, on_request);
	pl_peer_handle(pp, PL_PEER_STONITHD_QUERY_REPLY, on_query_reply);
	pl_peer_handle(pp, PL_PEER_STONITHD_EXEC, on_exec);
	pl_peer_handle(pp, PL_PEER_STONITHD_EXEC_DONE, on_exec_done);
	pl_peer_handle(pp, PL_PEER_STONITHD_RESULT, on_result);
	return pp;
}

bool
stonithd_peer_send(struct pl_peer *pp, pl_peer_send_fn send, void *send_arg,
    const struct stonithd_msg *m, struct pl_error *err)
{
	const char **devs;
	bool ok = false;

	switch (m->type) {
	case STONITHD_MSG_REQUEST:
		ok = pl_peer_send(pp, send, send_arg, err, PL_PEER_STONITHD_REQUEST, m->id,
		    m->target, m->action, m->client, m->timeout_ms, m->flags, m->delay_ms);
		break;
	case STONITHD_MSG_QUERY_REPLY:
		devs = xcalloc(m->n_devices + 1, sizeof(*devs));
		for (size_t i = 0; i < m->n_devices; i++)
			devs[i] = m->devices[i];
		ok = pl_peer_send(pp, send, send_arg, err, PL_PEER_STONITHD_QUERY_REPLY, m->id,
		    (const char *const *)devs);
		free(devs);
		break;
	case STONITHD_MSG_EXEC:
		ok = pl_peer_send(pp, send, send_arg, err, PL_PEER_STONITHD_EXEC, m->id,
		    m->executor, m->device, m->action, m->target, m->timeout_ms);
		break;
	case STONITHD_MSG_EXEC_DONE:
		ok = pl_peer_send(pp, send, send_arg, err, PL_PEER_STONITHD_EXEC_DONE, m->id,
		    m->device, (int32_t)m->rc, m->reason);
		break;
	case STONITHD_MSG_RESULT:
		ok = pl_peer_send(pp, send, send_arg, err, PL_PEER_STONITHD_RESULT, m->id,
		    (int32_t)m->rc, m->reason, m->device, m->delegate, m->completed_ms, m->ran_as);
		break;
	default:
		pl_error_set(err, PL_EXIT_SOFTWARE, "no such fencing message type %d", (int)m->type);
		break;
	}
	return ok;
}
