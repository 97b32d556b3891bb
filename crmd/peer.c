/*
 * peer.c - the controllers' peer messages on the inter-node table (peer.h). lib/ipc has
 * checked kind, length and signature before a handler here runs; only JOIN_CONFIRM's list of
 * results travels as a blob, decoded field by field with every length checked.
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "peer.h"

#define RESULT_SIG "sssssussssuiiiUUuu"

struct crmd_peer_ctx {
	crmd_peer_fn fn;
	void *arg;
};

static char *
dup(const char *s)
{
	return xstrdup(s ? s : "");
}

static const char **
kv_of(const struct pl_lrmd_params *lp)
{
	const char **kv = xcalloc(2 * lp->n + 1, sizeof(*kv));

	for (size_t i = 0; i < lp->n; i++) {
		kv[2 * i] = lp->name[i];
		kv[2 * i + 1] = lp->value[i];
	}
	return kv;
}

static void
params_of(struct pl_lrmd_params *lp, const char **kv, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		pl_lrmd_params_set(lp, kv[2 * i], kv[2 * i + 1]);
}

void
crmd_peer_pack_history(struct pl_pack *p, const struct crmd_op_result *ops, size_t n)
{
	pl_pack_u32(p, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct crmd_op_result *r = &ops[i];

		pl_pack(p, RESULT_SIG, r->rsc_id, r->rclass, r->provider, r->type, r->action,
		    r->interval_ms, r->transition_key, r->exit_reason, r->op_digest,
		    r->op_restart_digest, r->call_id, (int32_t)r->rc, (int32_t)r->status,
		    (int32_t)r->target_rc, r->last_rc_change, r->run_wall_ms, r->exec_ms,
		    r->queue_ms);
	}
}

/* The 18 decoded fields of a result into o (strings copied). */
static void
set_result(struct crmd_op_result *o, const char *const s[9], int32_t rc, int32_t st, int32_t trc)
{
	o->rsc_id = dup(s[0]);
	o->rclass = dup(s[1]);
	o->provider = dup(s[2]);
	o->type = dup(s[3]);
	o->action = dup(s[4]);
	o->transition_key = dup(s[5]);
	o->exit_reason = dup(s[6]);
	o->op_digest = dup(s[7]);
	o->op_restart_digest = dup(s[8]);
	o->rc = rc;
	o->status = st;
	o->target_rc = trc;
}

bool
crmd_peer_unpack_history(const void *data, size_t len, struct crmd_op_result **ops, size_t *n)
{
	struct pl_unpack r;
	uint32_t count;

	*ops = NULL;
	*n = 0;
	pl_unpack_init(&r, data, len);
	/* a result is at least 9 strings (5 bytes) + 9 numbers: bound the count first */
	if (!pl_unpack_u32(&r, &count) || count > len / 60 + 1)
		return false;
	*ops = xcalloc(count ? count : 1, sizeof(**ops));
	for (uint32_t i = 0; i < count; i++) {
		struct crmd_op_result *o = &(*ops)[i];
		const char *s[9];
		int32_t rc, st, trc;

		if (!pl_unpack(&r, RESULT_SIG, &s[0], &s[1], &s[2], &s[3], &s[4], &o->interval_ms,
			&s[5], &s[6], &s[7], &s[8], &o->call_id, &rc, &st, &trc, &o->last_rc_change,
			&o->run_wall_ms, &o->exec_ms, &o->queue_ms))
			return false;
		set_result(o, s, rc, st, trc);
		*n = i + 1;
	}
	return pl_unpack_end(&r);
}

bool
crmd_peer_send(struct pl_peer *pp, pl_peer_send_fn send, void *sa, const struct crmd_msg *m,
    const char *state, struct pl_error *err)
{
	uint32_t to = m->to;
	uint64_t id = m->id;

	switch ((int)m->type) {
	case CRMD_MSG_VOTE:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_VOTE, to, id,
		    m->u.vote.members_hash, m->u.vote.start_ms, (uint32_t)m->u.vote.was_dc);
	case CRMD_MSG_JOIN_OFFER:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_JOIN_OFFER, to, id);
	case CRMD_MSG_JOIN_REQUEST:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_JOIN_REQUEST, to, id,
		    m->u.cib.admin_epoch, m->u.cib.epoch, m->u.cib.num_updates);
	case CRMD_MSG_JOIN_ACK:
		return pl_peer_send(
		    pp, send, sa, err, PL_PEER_CRMD_JOIN_ACK, to, id, (uint32_t)m->u.accepted);
	case CRMD_MSG_JOIN_CONFIRM: {
		struct pl_pack b = PL_PACK_INIT;
		bool ok;

		crmd_peer_pack_history(&b, m->u.history.ops, m->u.history.n);
		ok = pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_JOIN_CONFIRM, to, id,
		    (const void *)b.data, b.len);
		pl_pack_free(&b);
		return ok;
	}
	case CRMD_MSG_ACTION: {
		const struct crmd_rsc_action *a = &m->u.action;
		const char **params = kv_of(&a->params), **meta = kv_of(&a->meta);
		bool ok = pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_ACTION, to, id, a->rsc_id,
		    a->rclass, a->provider, a->type, a->action, a->cancel_action, a->interval_ms,
		    a->timeout_ms, a->start_delay_ms, (int32_t)a->target_rc, a->transition_key,
		    (const char *const *)params, (const char *const *)meta);

		free(params);
		free(meta);
		return ok;
	}
	case CRMD_MSG_ACTION_RESULT: {
		const struct crmd_op_result *r = &m->u.result;

		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_ACTION_RESULT, to, id,
		    r->rsc_id, r->rclass, r->provider, r->type, r->action, r->interval_ms,
		    r->transition_key, r->exit_reason, r->op_digest, r->op_restart_digest,
		    r->call_id, (int32_t)r->rc, (int32_t)r->status, (int32_t)r->target_rc,
		    r->last_rc_change, r->run_wall_ms, r->exec_ms, r->queue_ms);
	}
	case CRMD_MSG_SHUTDOWN_REQ:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_SHUTDOWN_REQ, to, id);
	case CRMD_MSG_SHUTDOWN:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_SHUTDOWN, to, id);
	case CRMD_MSG_REFRESH:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_REFRESH, to, id,
		    (uint32_t)(m->u.rsc_id != NULL), m->u.rsc_id);
	case CRMD_PEER_STATE_QUERY:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_STATE_QUERY, to, id);
	case CRMD_PEER_STATE_ANSWER:
		return pl_peer_send(pp, send, sa, err, PL_PEER_CRMD_STATE_ANSWER, to, id, state);
	}
	pl_error_set(err, PL_EXIT_SOFTWARE, "no peer kind for message type %d", (int)m->type);
	return false;
}

/* ---- receiving: one handler per kind, each fills a crmd_peer_msg ---------------------- */

static void
deliver(const struct pl_peer_msg *pm, struct crmd_peer_msg *out, void *arg)
{
	struct crmd_peer_ctx *ctx = arg;

	out->m.from = pm->nodeid;
	ctx->fn(out, ctx->arg);
	crmd_peer_clear(out);
}

static void
on_vote(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = CRMD_MSG_VOTE };
	uint32_t was;

	pl_peer_unpack(pm, &o.m.to, &o.m.id, &o.m.u.vote.members_hash, &o.m.u.vote.start_ms, &was);
	o.m.u.vote.was_dc = was != 0;
	deliver(pm, &o, arg);
}

static void
on_plain(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { 0 };

	switch (pm->kind) {
	case PL_PEER_CRMD_JOIN_OFFER: o.m.type = CRMD_MSG_JOIN_OFFER; break;
	case PL_PEER_CRMD_SHUTDOWN_REQ: o.m.type = CRMD_MSG_SHUTDOWN_REQ; break;
	case PL_PEER_CRMD_SHUTDOWN: o.m.type = CRMD_MSG_SHUTDOWN; break;
	default: o.m.type = (enum crmd_msg_type)CRMD_PEER_STATE_QUERY; break;
	}
	pl_peer_unpack(pm, &o.m.to, &o.m.id);
	deliver(pm, &o, arg);
}

static void
on_join_request(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = CRMD_MSG_JOIN_REQUEST };

	pl_peer_unpack(
	    pm, &o.m.to, &o.m.id, &o.m.u.cib.admin_epoch, &o.m.u.cib.epoch, &o.m.u.cib.num_updates);
	deliver(pm, &o, arg);
}

static void
on_join_ack(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = CRMD_MSG_JOIN_ACK };
	uint32_t acc;

	pl_peer_unpack(pm, &o.m.to, &o.m.id, &acc);
	o.m.u.accepted = acc != 0;
	deliver(pm, &o, arg);
}

static void
on_join_confirm(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = CRMD_MSG_JOIN_CONFIRM };
	const void *blob;
	size_t len;

	pl_peer_unpack(pm, &o.m.to, &o.m.id, &blob, &len);
	if (!crmd_peer_unpack_history(blob, len, &o.m.u.history.ops, &o.m.u.history.n)) {
		/* counted like a signature mismatch would be: dropped before the state machine */
		crmd_peer_clear(&o);
		return;
	}
	deliver(pm, &o, arg);
}

static void
on_action(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = CRMD_MSG_ACTION };
	struct crmd_rsc_action *a = &o.m.u.action;
	const char *s[7], **params = NULL, **meta = NULL;
	uint32_t np = 0, nm = 0;
	int32_t trc;

	pl_peer_unpack(pm, &o.m.to, &o.m.id, &s[0], &s[1], &s[2], &s[3], &s[4], &s[5],
	    &a->interval_ms, &a->timeout_ms, &a->start_delay_ms, &trc, &s[6], &params, &np, &meta,
	    &nm);
	a->rsc_id = dup(s[0]);
	a->rclass = dup(s[1]);
	a->provider = dup(s[2]);
	a->type = dup(s[3]);
	a->action = dup(s[4]);
	a->cancel_action = dup(s[5]);
	a->transition_key = dup(s[6]);
	a->target_rc = trc;
	params_of(&a->params, params, np);
	params_of(&a->meta, meta, nm);
	free(params);
	free(meta);
	deliver(pm, &o, arg);
}

static void
on_action_result(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = CRMD_MSG_ACTION_RESULT };
	struct crmd_op_result *r = &o.m.u.result;
	const char *s[9];
	int32_t rc, st, trc;

	pl_peer_unpack(pm, &o.m.to, &o.m.id, &s[0], &s[1], &s[2], &s[3], &s[4], &r->interval_ms,
	    &s[5], &s[6], &s[7], &s[8], &r->call_id, &rc, &st, &trc, &r->last_rc_change,
	    &r->run_wall_ms, &r->exec_ms, &r->queue_ms);
	set_result(r, s, rc, st, trc);
	deliver(pm, &o, arg);
}

static void
on_refresh(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = CRMD_MSG_REFRESH };
	uint32_t has;
	const char *rsc;

	pl_peer_unpack(pm, &o.m.to, &o.m.id, &has, &rsc);
	o.m.u.rsc_id = has ? xstrdup(rsc) : NULL;
	deliver(pm, &o, arg);
}

static void
on_state_answer(const struct pl_peer_msg *pm, void *arg)
{
	struct crmd_peer_msg o = { .m.type = (enum crmd_msg_type)CRMD_PEER_STATE_ANSWER };
	const char *s;

	pl_peer_unpack(pm, &o.m.to, &o.m.id, &s);
	o.state = xstrdup(s);
	deliver(pm, &o, arg);
}

struct pl_peer *
crmd_peer_new(size_t frame_max, crmd_peer_fn fn, void *arg)
{
	static struct crmd_peer_ctx ctx; /* one decoder per process */
	struct pl_peer *pp;

	ctx.fn = fn;
	ctx.arg = arg;
	pp = pl_peer_new(PL_SVC_CRMD, frame_max, &ctx);
	pl_peer_handle(pp, PL_PEER_CRMD_VOTE, on_vote);
	pl_peer_handle(pp, PL_PEER_CRMD_JOIN_OFFER, on_plain);
	pl_peer_handle(pp, PL_PEER_CRMD_JOIN_REQUEST, on_join_request);
	pl_peer_handle(pp, PL_PEER_CRMD_JOIN_ACK, on_join_ack);
	pl_peer_handle(pp, PL_PEER_CRMD_JOIN_CONFIRM, on_join_confirm);
	pl_peer_handle(pp, PL_PEER_CRMD_ACTION, on_action);
	pl_peer_handle(pp, PL_PEER_CRMD_ACTION_RESULT, on_action_result);
	pl_peer_handle(pp, PL_PEER_CRMD_SHUTDOWN_REQ, on_plain);
	pl_peer_handle(pp, PL_PEER_CRMD_SHUTDOWN, on_plain);
	pl_peer_handle(pp, PL_PEER_CRMD_REFRESH, on_refresh);
	pl_peer_handle(pp, PL_PEER_CRMD_STATE_QUERY, on_plain);
	pl_peer_handle(pp, PL_PEER_CRMD_STATE_ANSWER, on_state_answer);
	return pp;
}

void
crmd_peer_clear(struct crmd_peer_msg *pm)
{
	if (pm->m.type >= CRMD_MSG_VOTE && pm->m.type < CRMD_MSG_TYPE_MAX)
		crmd_msg_clear(&pm->m);
	free(pm->state);
	memset(pm, 0, sizeof(*pm));
}
