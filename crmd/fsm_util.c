/*
 * fsm_util.c - names, copies and frees of the controller's value types (fsm.h).
 */
#include <stdlib.h>
#include <string.h>

#include <paceline/xalloc.h>

#include "fsm.h"

static const char *const state_names[] = {
	[CRMD_S_STARTING] = "S_STARTING",
	[CRMD_S_PENDING] = "S_PENDING",
	[CRMD_S_ELECTION] = "S_ELECTION",
	[CRMD_S_NOT_DC] = "S_NOT_DC",
	[CRMD_S_INTEGRATION] = "S_INTEGRATION",
	[CRMD_S_FINALIZE] = "S_FINALIZE_JOIN",
	[CRMD_S_IDLE] = "S_IDLE",
	[CRMD_S_POLICY_ENGINE] = "S_POLICY_ENGINE",
	[CRMD_S_TRANSITION] = "S_TRANSITION_ENGINE",
	[CRMD_S_STOPPING] = "S_STOPPING",
	[CRMD_S_STOPPED] = "S_TERMINATE",
};

static const char *const msg_names[] = {
	[CRMD_MSG_VOTE] = "vote",
	[CRMD_MSG_JOIN_OFFER] = "join-offer",
	[CRMD_MSG_JOIN_REQUEST] = "join-request",
	[CRMD_MSG_JOIN_ACK] = "join-ack",
	[CRMD_MSG_JOIN_CONFIRM] = "join-confirm",
	[CRMD_MSG_ACTION] = "action",
	[CRMD_MSG_ACTION_RESULT] = "action-result",
	[CRMD_MSG_SHUTDOWN_REQ] = "shutdown-request",
	[CRMD_MSG_SHUTDOWN] = "shutdown",
	[CRMD_MSG_REFRESH] = "refresh",
};

static const char *const join_names[] = {
	[CRMD_JOIN_DOWN] = "down",
	[CRMD_JOIN_PENDING] = "pending",
	[CRMD_JOIN_INTEGRATED] = "integrated",
	[CRMD_JOIN_FINALIZED] = "finalized",
	[CRMD_JOIN_MEMBER] = "member",
	[CRMD_JOIN_NACKED] = "banned",
};

const char *
crmd_state_name(enum crmd_state s)
{
	if (s < CRMD_S_STARTING || s > CRMD_S_STOPPED)
		return "S_UNKNOWN";
	return state_names[s];
}

const char *
crmd_msg_name(enum crmd_msg_type t)
{
	if (t < CRMD_MSG_VOTE || t >= CRMD_MSG_TYPE_MAX)
		return "unknown";
	return msg_names[t];
}

const char *
crmd_join_name(enum crmd_join j)
{
	if (j > CRMD_JOIN_NACKED)
		return "unknown";
	return join_names[j];
}

/* FNV-1a over the sorted nodeids: the same configuration hashes the same everywhere. */
uint64_t
crmd_members_hash(const uint32_t *ids, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 4; b++) {
			h ^= (ids[i] >> (8 * b)) & 0xff;
			h *= 1099511628211ULL;
		}
	return h;
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

void
crmd_op_result_copy(struct crmd_op_result *dst, const struct crmd_op_result *src)
{
	*dst = *src;
	dst->rsc_id = dup_or_empty(src->rsc_id);
	dst->rclass = dup_or_empty(src->rclass);
	dst->provider = dup_or_empty(src->provider);
	dst->type = dup_or_empty(src->type);
	dst->action = dup_or_empty(src->action);
	dst->transition_key = dup_or_empty(src->transition_key);
	dst->exit_reason = dup_or_empty(src->exit_reason);
	dst->op_digest = dup_or_empty(src->op_digest);
	dst->op_restart_digest = dup_or_empty(src->op_restart_digest);
}

void
crmd_op_result_clear(struct crmd_op_result *r)
{
	free(r->rsc_id);
	free(r->rclass);
	free(r->provider);
	free(r->type);
	free(r->action);
	free(r->transition_key);
	free(r->exit_reason);
	free(r->op_digest);
	free(r->op_restart_digest);
	memset(r, 0, sizeof(*r));
}

void
crmd_op_results_free(struct crmd_op_result *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		crmd_op_result_clear(&v[i]);
	free(v);
}

void
crmd_rsc_action_copy(struct crmd_rsc_action *dst, const struct crmd_rsc_action *src)
{
	*dst = *src;
	dst->rsc_id = dup_or_empty(src->rsc_id);
	dst->rclass = dup_or_empty(src->rclass);
	dst->provider = dup_or_empty(src->provider);
	dst->type = dup_or_empty(src->type);
	dst->action = dup_or_empty(src->action);
	dst->cancel_action = dup_or_empty(src->cancel_action);
	dst->transition_key = dup_or_empty(src->transition_key);
	memset(&dst->params, 0, sizeof(dst->params));
	memset(&dst->meta, 0, sizeof(dst->meta));
	pl_lrmd_params_copy(&dst->params, &src->params);
	pl_lrmd_params_copy(&dst->meta, &src->meta);
}

void
crmd_rsc_action_clear(struct crmd_rsc_action *a)
{
	free(a->rsc_id);
	free(a->rclass);
	free(a->provider);
	free(a->type);
	free(a->action);
	free(a->cancel_action);
	free(a->transition_key);
	pl_lrmd_params_free(&a->params);
	pl_lrmd_params_free(&a->meta);
	memset(a, 0, sizeof(*a));
}

void
crmd_msg_clear(struct crmd_msg *m)
{
	switch (m->type) {
	case CRMD_MSG_JOIN_CONFIRM: crmd_op_results_free(m->u.history.ops, m->u.history.n); break;
	case CRMD_MSG_ACTION: crmd_rsc_action_clear(&m->u.action); break;
	case CRMD_MSG_ACTION_RESULT: crmd_op_result_clear(&m->u.result); break;
	case CRMD_MSG_REFRESH: free(m->u.rsc_id); break;
	default: break;
	}
	memset(&m->u, 0, sizeof(m->u));
}
