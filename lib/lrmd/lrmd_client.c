/*
 * lrmd_client.c - the client side of paceline-lrmd's messages (lrmd.def) on lib/ipc:
 * synchronous calls for tools and tests, and result decoding for clients that attach the
 * connection to their main loop (crmd).
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/lrmd_client.h"
#include "paceline/mtime.h"
#include "paceline/pack.h"
#include "paceline/xalloc.h"

#define CALL_TIMEOUT_MS 30000

struct pl_lrmd {
	struct pl_ipc_conn *conn;
};

struct pl_lrmd *
pl_lrmd_connect(int timeout_ms, struct pl_error *err)
{
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_LRMD, timeout_ms, err);
	struct pl_lrmd *l;

	if (c == NULL)
		return NULL;
	l = XNEW(struct pl_lrmd);
	l->conn = c;
	return l;
}

void
pl_lrmd_disconnect(struct pl_lrmd *l)
{
	if (l == NULL)
		return;
	pl_ipc_disconnect(l->conn);
	free(l);
}

struct pl_ipc_conn *
pl_lrmd_conn(struct pl_lrmd *l)
{
	return l->conn;
}

void
pl_lrmd_result_clear(struct pl_lrmd_result *r)
{
	free(r->rsc_id);
	free(r->action);
	free(r->user_data);
	free(r->exit_reason);
	free(r->output);
	memset(r, 0, sizeof(*r));
}

bool
pl_lrmd_result_decode(const struct pl_ipc_msg *ev, struct pl_lrmd_result *r)
{
	const char *rsc, *action, *ud, *reason, *output;
	int32_t rc, status;

	memset(r, 0, sizeof(*r));
	if (!pl_msg_unpack(ev, PL_MSG_LRMD_RESULT, &rsc, &action, &ud, &reason, &output,
		&r->interval_ms, &r->call_id, &rc, &status, &r->run_wall_ms, &r->exec_ms,
		&r->queue_ms))
		return false;
	r->rsc_id = xstrdup(rsc);
	r->action = xstrdup(action);
	r->user_data = xstrdup(ud);
	r->exit_reason = xstrdup(reason);
	r->output = xstrdup(output);
	r->rc = rc;
	r->status = status;
	return true;
}

/* params as the NULL-terminated key/value vector pl_pack wants (pointers into p). */
static const char **
kv_of(const struct pl_lrmd_params *p)
{
	size_t n = p != NULL ? p->n : 0;
	const char **kv = xcalloc(2 * n + 1, sizeof(*kv));

	for (size_t i = 0; i < n; i++) {
		kv[2 * i] = p->name[i];
		kv[2 * i + 1] = p->value[i];
	}
	return kv;
}

uint32_t
pl_lrmd_exec(struct pl_lrmd *l, const struct pl_lrmd_op *op, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char **params = kv_of(op->params), **meta = kv_of(op->meta);
	int32_t code = 0;
	uint32_t call_id = 0;
	const char *text = "";

	pl_msg_pack(&p, PL_MSG_LRMD_EXEC, op->rsc_id, op->rclass,
	    op->provider != NULL ? op->provider : "", op->type, op->action, op->interval_ms,
	    op->timeout_ms, op->start_delay_ms, op->flags, (const char *const *)params,
	    (const char *const *)meta, op->user_data != NULL ? op->user_data : "");
	free(params);
	free(meta);
	if (!pl_ipc_call(l->conn, PL_MSG_LRMD_EXEC, &p, PL_MSG_LRMD_EXEC_REPLY, CALL_TIMEOUT_MS,
		&reply, err)) {
		/* a typed reply with a nonzero code carries the daemon's sentence */
		if (pl_msg_unpack(&reply, PL_MSG_LRMD_EXEC_REPLY, &code, &call_id, &text) &&
		    *text != '\0')
			pl_error_set(err, code, "%s", text);
		pl_ipc_msg_clear(&reply);
		pl_pack_free(&p);
		return 0;
	}
	if (!pl_msg_unpack(&reply, PL_MSG_LRMD_EXEC_REPLY, &code, &call_id, &text) || call_id == 0)
		pl_error_set(err, PL_EXIT_PROTOCOL, "paceline-lrmd sent a malformed exec reply");
	pl_ipc_msg_clear(&reply);
	pl_pack_free(&p);
	return pl_error_isset(err) ? 0 : call_id;
}

bool
pl_lrmd_next_result(struct pl_lrmd *l, int wait_ms, struct pl_lrmd_result *res, struct pl_error *err)
{
	struct pl_ipc_msg ev = PL_IPC_MSG_INIT;
	bool ok;

	if (!pl_ipc_wait_event_type(l->conn, PL_MSG_LRMD_RESULT, wait_ms, &ev, err))
		return false;
	ok = pl_lrmd_result_decode(&ev, res);
	pl_ipc_msg_clear(&ev);
	if (!ok)
		pl_error_set(err, PL_EXIT_PROTOCOL, "malformed operation result from lrmd");
	return ok;
}

bool
pl_lrmd_exec_wait(struct pl_lrmd *l, const struct pl_lrmd_op *op, int wait_ms,
    struct pl_lrmd_result *res, struct pl_error *err)
{
	uint32_t call_id = pl_lrmd_exec(l, op, err);
	uint64_t deadline = pl_deadline((uint64_t)(wait_ms > 0 ? wait_ms : 0));

	if (call_id == 0)
		return false;
	for (;;) {
		if (!pl_lrmd_next_result(l, (int)pl_deadline_left(deadline), res, err)) {
			if (err->code == PL_EXIT_TIMEOUT)
				pl_error_set(err, PL_EXIT_TIMEOUT,
				    "no result for %s of %s (call %u) within %dms", op->action,
				    op->rsc_id, call_id, wait_ms);
			return false;
		}
		if (res->call_id == call_id)
			return true;
		pl_lrmd_result_clear(res);
	}
}

static bool
simple_call(struct pl_lrmd *l, enum pl_msg_type type, struct pl_pack *p,
    enum pl_msg_type reply_type, struct pl_error *err)
{
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	int32_t code;
	const char *text;
	bool ok = pl_ipc_call(l->conn, type, p, reply_type, CALL_TIMEOUT_MS, &reply, err);

	if (!ok && pl_msg_unpack(&reply, reply_type, &code, &text) && *text != '\0')
		pl_error_set(err, code, "%s", text);
	pl_ipc_msg_clear(&reply);
	pl_pack_free(p);
	return ok;
}

bool
pl_lrmd_subscribe(struct pl_lrmd *l, struct pl_error *err)
{
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	bool ok = pl_ipc_call(l->conn, PL_MSG_LRMD_SUBSCRIBE, NULL, PL_MSG_LRMD_SUBSCRIBE_REPLY,
	    CALL_TIMEOUT_MS, &reply, err);

	pl_ipc_msg_clear(&reply);
	return ok;
}

bool
pl_lrmd_cancel(struct pl_lrmd *l, const char *rsc_id, const char *action, uint32_t interval_ms,
    struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;

	pl_msg_pack(&p, PL_MSG_LRMD_CANCEL, rsc_id, action, interval_ms);
	return simple_call(l, PL_MSG_LRMD_CANCEL, &p, PL_MSG_LRMD_CANCEL_REPLY, err);
}

bool
pl_lrmd_remove(struct pl_lrmd *l, const char *rsc_id, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;

	pl_msg_pack(&p, PL_MSG_LRMD_REMOVE, rsc_id);
	return simple_call(l, PL_MSG_LRMD_REMOVE, &p, PL_MSG_LRMD_REMOVE_REPLY, err);
}

char *
pl_lrmd_history(struct pl_lrmd *l, const char *rsc_id, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	int32_t code;
	const char *xml;
	char *out = NULL;

	pl_msg_pack(&p, PL_MSG_LRMD_HISTORY, rsc_id != NULL ? rsc_id : "");
	if (pl_ipc_call(l->conn, PL_MSG_LRMD_HISTORY, &p, PL_MSG_LRMD_HISTORY_REPLY,
		CALL_TIMEOUT_MS, &reply, err)) {
		if (pl_msg_unpack(&reply, PL_MSG_LRMD_HISTORY_REPLY, &code, &xml))
			out = xstrdup(xml);
	} else if (err->code == PL_EXIT_NOSUCH) {
		pl_error_set(err, PL_EXIT_NOSUCH, "paceline-lrmd has no resource '%s'", rsc_id);
	}
	pl_ipc_msg_clear(&reply);
	pl_pack_free(&p);
	return out;
}

char **
pl_lrmd_list(struct pl_lrmd *l, const char *what, const char *rclass, const char *provider,
    struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	int32_t code;
	const char *text, **names = NULL;
	uint32_t n = 0;
	char **out = NULL;
	bool ok;

	pl_msg_pack(&p, PL_MSG_LRMD_LIST, what, rclass != NULL ? rclass : "",
	    provider != NULL ? provider : "");
	ok = pl_ipc_call(
	    l->conn, PL_MSG_LRMD_LIST, &p, PL_MSG_LRMD_LIST_REPLY, CALL_TIMEOUT_MS, &reply, err);
	if (pl_msg_unpack(&reply, PL_MSG_LRMD_LIST_REPLY, &code, &text, &names, &n)) {
		if (ok) {
			out = xcalloc(n + 1, sizeof(*out));
			for (uint32_t i = 0; i < n; i++)
				out[i] = xstrdup(names[i]);
		} else if (*text != '\0') {
			pl_error_set(err, code, "%s", text);
		}
	}
	free(names);
	pl_ipc_msg_clear(&reply);
	pl_pack_free(&p);
	return out;
}

void
pl_lrmd_strv_free(char **v)
{
	for (char **p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

char *
pl_lrmd_metadata(struct pl_lrmd *l, const char *rclass, const char *provider, const char *type,
    struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	int32_t rc, status;
	const char *reason, *xml;
	char *out = NULL;
	bool ok;

	pl_msg_pack(&p, PL_MSG_LRMD_METADATA, rclass, provider != NULL ? provider : "", type);
	ok = pl_ipc_call(l->conn, PL_MSG_LRMD_METADATA, &p, PL_MSG_LRMD_METADATA_REPLY,
	    CALL_TIMEOUT_MS, &reply, err);
	if (pl_msg_unpack(&reply, PL_MSG_LRMD_METADATA_REPLY, &rc, &status, &reason, &xml)) {
		if (ok && *xml != '\0')
			out = xstrdup(xml);
		else
			pl_error_set(err, rc != 0 ? rc : PL_EXIT_ERROR,
			    "no meta-data for %s:%s%s%s: %s (%s)", rclass,
			    provider != NULL ? provider : "", provider != NULL ? ":" : "", type,
			    *reason != '\0' ? reason : "agent failed", pl_lrmd_status_name(status));
	}
	pl_ipc_msg_clear(&reply);
	pl_pack_free(&p);
	return out;
}

bool
pl_lrmd_stats(struct pl_lrmd *l, struct pl_lrmd_params *out, struct pl_error *err)
{
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char **kv = NULL;
	uint32_t n = 0;
	bool ok = pl_ipc_call(l->conn, PL_MSG_LRMD_STATS, NULL, PL_MSG_LRMD_STATS_REPLY,
	    CALL_TIMEOUT_MS, &reply, err);

	if (ok && pl_msg_unpack(&reply, PL_MSG_LRMD_STATS_REPLY, &kv, &n))
		for (uint32_t i = 0; i < n; i++)
			pl_lrmd_params_set(out, kv[2 * i], kv[2 * i + 1]);
	free(kv);
	pl_ipc_msg_clear(&reply);
	return ok;
}
