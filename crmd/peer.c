/*
 * peer.c - encoding and decoding of controller peer messages (peer.h).
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "peer.h"

static void pack_params(struct pl_pack *p, const struct pl_lrmd_params *lp)
{
	const char **kv = xcalloc(2 * lp->n + 1, sizeof(*kv));

	for (size_t i = 0; i < lp->n; i++) {
		kv[2 * i] = lp->name[i];
		kv[2 * i + 1] = lp->value[i];
	}
	pl_pack_kv(p, kv);
	free(kv);
}

static void pack_result(struct pl_pack *p, const struct crmd_op_result *r)
{
	pl_pack(p, "sssssussssuiiiUUuu", r->rsc_id, r->rclass, r->provider, r->type, r->action,
		r->interval_ms, r->transition_key, r->exit_reason, r->op_digest,
		r->op_restart_digest, r->call_id, (int32_t)r->rc, (int32_t)r->status,
		(int32_t)r->target_rc, r->last_rc_change, r->run_wall_ms, r->exec_ms, r->queue_ms);
}

void crmd_peer_encode(struct pl_pack *p, const struct crmd_msg *m, const char *state)
{
	pl_pack(p, "uuuU", (uint32_t)CRMD_PEER_VERSION, (uint32_t)m->type, m->to, m->id);
	switch ((int)m->type) {
	case CRMD_MSG_VOTE:
		pl_pack(p, "UUu", m->u.vote.members_hash, m->u.vote.start_ms,
			(uint32_t)m->u.vote.was_dc);
		break;
	case CRMD_MSG_JOIN_REQUEST:
		pl_pack(p, "uuu", m->u.cib.admin_epoch, m->u.cib.epoch, m->u.cib.num_updates);
		break;
	case CRMD_MSG_JOIN_ACK:
		pl_pack_u32(p, m->u.accepted ? 1 : 0);
		break;
	case CRMD_MSG_JOIN_CONFIRM:
		pl_pack_u32(p, (uint32_t)m->u.history.n);
		for (size_t i = 0; i < m->u.history.n; i++)
			pack_result(p, &m->u.history.ops[i]);
		break;
	case CRMD_MSG_ACTION: {
		const struct crmd_rsc_action *a = &m->u.action;

		pl_pack(p, "ssssssuuuis", a->rsc_id, a->rclass, a->provider, a->type, a->action,
			a->cancel_action, a->interval_ms, a->timeout_ms, a->start_delay_ms,
			(int32_t)a->target_rc, a->transition_key);
		pack_params(p, &a->params);
		pack_params(p, &a->meta);
		break;
	}
	case CRMD_MSG_ACTION_RESULT:
		pack_result(p, &m->u.result);
		break;
	case CRMD_MSG_REFRESH:
		pl_pack(p, "us", (uint32_t)(m->u.rsc_id != NULL), m->u.rsc_id);
		break;
	case CRMD_PEER_STATE_REPLY:
		pl_pack_str(p, state);
		break;
	default:
		break;
	}
}

static char *dup(const char *s)
{
	return xstrdup(s ? s : "");
}

static bool unpack_result(struct pl_unpack *r, struct crmd_op_result *o)
{
	const char *s[9];
	int32_t rc, st, trc;

	if (!pl_unpack(r, "sssssussssuiiiUUuu", &s[0], &s[1], &s[2], &s[3], &s[4],
		       &o->interval_ms, &s[5], &s[6], &s[7], &s[8], &o->call_id, &rc, &st, &trc,
		       &o->last_rc_change, &o->run_wall_ms, &o->exec_ms, &o->queue_ms))
		return false;
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
	return true;
}

static bool unpack_params(struct pl_unpack *r, struct pl_lrmd_params *lp)
{
	const char **kv;
	uint32_t n;

	if (!pl_unpack_kv(r, &kv, &n))
		return false;
	for (uint32_t i = 0; i < n; i++)
		pl_lrmd_params_set(lp, kv[2 * i], kv[2 * i + 1]);
	free(kv);
	return true;
}

static bool decode_body(struct pl_unpack *r, struct crmd_peer_msg *pm)
{
	struct crmd_msg *m = &pm->m;
	uint32_t u;

	switch ((int)m->type) {
	case CRMD_MSG_VOTE:
		if (!pl_unpack(r, "UUu", &m->u.vote.members_hash, &m->u.vote.start_ms, &u))
			return false;
		m->u.vote.was_dc = u != 0;
		return true;
	case CRMD_MSG_JOIN_OFFER:
	case CRMD_MSG_SHUTDOWN_REQ:
	case CRMD_MSG_SHUTDOWN:
	case CRMD_PEER_STATE_QUERY:
		return true;
	case CRMD_MSG_JOIN_REQUEST:
		return pl_unpack(r, "uuu", &m->u.cib.admin_epoch, &m->u.cib.epoch,
				 &m->u.cib.num_updates);
	case CRMD_MSG_JOIN_ACK:
		if (!pl_unpack_u32(r, &u))
			return false;
		m->u.accepted = u != 0;
		return true;
	case CRMD_MSG_JOIN_CONFIRM:
		/* each result is at least 18 fields of 4 bytes: bound n before allocating */
		if (!pl_unpack_u32(r, &u) || u > (r->len - r->off) / 72 + 1)
			return false;
		m->u.history.ops = xcalloc(u ? u : 1, sizeof(struct crmd_op_result));
		for (uint32_t i = 0; i < u; i++) {
			if (!unpack_result(r, &m->u.history.ops[i]))
				return false;
			m->u.history.n = i + 1;
		}
		return true;
	case CRMD_MSG_ACTION: {
		struct crmd_rsc_action *a = &m->u.action;
		const char *s[7];
		int32_t trc;

		if (!pl_unpack(r, "ssssssuuuis", &s[0], &s[1], &s[2], &s[3], &s[4], &s[5],
			       &a->interval_ms, &a->timeout_ms, &a->start_delay_ms, &trc, &s[6]))
			return false;
		a->rsc_id = dup(s[0]);
		a->rclass = dup(s[1]);
		a->provider = dup(s[2]);
		a->type = dup(s[3]);
		a->action = dup(s[4]);
		a->cancel_action = dup(s[5]);
		a->transition_key = dup(s[6]);
		a->target_rc = trc;
		return unpack_params(r, &a->params) && unpack_params(r, &a->meta);
	}
	case CRMD_MSG_ACTION_RESULT:
		return unpack_result(r, &m->u.result);
	case CRMD_MSG_REFRESH: {
		const char *s;

		if (!pl_unpack(r, "us", &u, &s))
			return false;
		m->u.rsc_id = u ? xstrdup(s) : NULL;
		return true;
	}
	case CRMD_PEER_STATE_REPLY: {
		const char *s;

		if (!pl_unpack_str(r, &s))
			return false;
		pm->state = xstrdup(s);
		return true;
	}
	}
	return false;
}

bool crmd_peer_decode(const void *data, size_t len, struct crmd_peer_msg *pm,
		      struct pl_error *err)
{
	struct pl_unpack r;
	uint32_t version, type;

	memset(pm, 0, sizeof(*pm));
	pl_unpack_init(&r, data, len);
	if (!pl_unpack(&r, "uuuU", &version, &type, &pm->m.to, &pm->m.id)) {
		pl_unpack_error(&r, err);
		return false;
	}
	if (version != CRMD_PEER_VERSION) {
		pl_error_set(err, PL_EXIT_PROTOCOL, "peer message version %u (expected %u)",
			     version, CRMD_PEER_VERSION);
		return false;
	}
	if (!((type >= CRMD_MSG_VOTE && type < CRMD_MSG_TYPE_MAX) ||
	      type == CRMD_PEER_STATE_QUERY || type == CRMD_PEER_STATE_REPLY)) {
		pl_error_set(err, PL_EXIT_PROTOCOL, "unknown peer message type %u", type);
		return false;
	}
	pm->m.type = (enum crmd_msg_type)type;
	if (!decode_body(&r, pm) || !pl_unpack_end(&r)) {
		if (pl_unpack_failed(&r))
			pl_unpack_error(&r, err);
		else
			pl_error_set(err, PL_EXIT_PROTOCOL, "peer message %s: %zu bytes left over",
				     crmd_msg_name(pm->m.type), r.len - r.off);
		crmd_peer_clear(pm);
		return false;
	}
	return true;
}

void crmd_peer_clear(struct crmd_peer_msg *pm)
{
	if (pm->m.type >= CRMD_MSG_VOTE && pm->m.type < CRMD_MSG_TYPE_MAX)
		crmd_msg_clear(&pm->m);
	free(pm->state);
	memset(pm, 0, sizeof(*pm));
}
