/*
 * fenceio.c - paceline-crmd and its local stonithd: the state machine's fence op sends a
 * STONITHD_FENCE request; every STONITHD_RESULT event (ours and those of fencing others asked
 * for, e.g. stonith_admin) becomes a crmd_fence_result() input, so the DC records any node
 * fenced anywhere; a result saying this very node was fenced stops the controller at once
 * (exit 100: the launcher stops the stack; fence-reaction=stop). The fencer is connected lazily and again after it restarts: a request
 * that finds no fencer fails (the graph action fails, the next graph asks again).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "attrdio.h"
#include "io.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"

#define FENCE_CALL_MS 10000

struct fence_req {
	uint64_t ref; /* the state machine's */
	uint64_t id;  /* the fencer's op, once known */
	char *target, *action;
};

static struct pl_ipc_conn *conn;
static GPtrArray *pending; /* struct fence_req*, asked and not ended */
static guint retry_src;	   /* reconnecting after the fencer went away */

static bool ensure_connected(struct pl_error *err);

/* Connected again soon after a fencer restart, so that fencing others ask for is seen. */
static gboolean
reconnect(gpointer arg)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	if (!ensure_connected(&err))
		return G_SOURCE_CONTINUE;
	log_info("connected to paceline-stonithd again");
	retry_src = 0;
	return G_SOURCE_REMOVE;
}

static void
req_free(gpointer p)
{
	struct fence_req *r = p;

	free(r->target);
	free(r->action);
	free(r);
}

static void
deliver(uint64_t ref, const char *target, const char *action, bool ok, const char *delegate)
{
	if (io.fsm == NULL)
		return;
	crmd_fence_result(io.fsm, ref, target, action, ok, delegate, io_now());
	io_input_done();
}

static void
fail_later(void *arg)
{
	struct fence_req *r = arg;

	deliver(r->ref, r->target, r->action, false, NULL);
	req_free(r);
}

static void
on_event(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	uint64_t id, completed;
	const char *target, *action, *client, *origin, *delegate, *device, *reason;
	int32_t rc;
	uint64_t ref = 0;

	(void)c;
	(void)arg;
	if (ev->type != PL_MSG_STONITHD_RESULT ||
	    !pl_msg_unpack(ev, PL_MSG_STONITHD_RESULT, &id, &target, &action, &client, &origin,
		&delegate, &device, &rc, &reason, &completed))
		return;
	for (guint i = 0; i < pending->len; i++) {
		struct fence_req *r = g_ptr_array_index(pending, i);
		if (r->id == id) {
			ref = r->ref;
			g_ptr_array_remove_index_fast(pending, i);
			break;
		}
	}
	log_info("fencer: %s of %s %s%s%s", action, target, rc == 0 ? "succeeded" : "failed",
	    *reason ? ": " : "", reason);
	if (rc == 0 && strcmp(target, io.name) == 0 && strcmp(action, "on") != 0) {
		/* this node is meant to be off: no clean shutdown, no resource moves from here
		 * (the others recover them); 100 makes the launcher stop the whole stack */
		log_err("this node was fenced (%s by %s): the controller stops now", action,
		    *delegate ? delegate : "?");
		exit(PL_EXIT_FATAL);
	}
	if (rc == 0 && ref != 0 && strcmp(action, "on") == 0) {
		/* the scheduler unfences a node once: it looks for this attribute */
		char when[32];
		snprintf(when, sizeof(when), "%llu", (unsigned long long)(completed / 1000));
		if (!attrdio_set(target, "#node-unfenced", when))
			log_warnx("cannot record that %s was unfenced", target);
	}
	deliver(ref, target, action, rc == 0, delegate);
}

static void
on_gone(struct pl_ipc_conn *c, void *arg)
{
	(void)arg;
	log_warnx("lost the connection to paceline-stonithd: fencing in progress counts as failed");
	pl_ipc_disconnect(c); /* freed once lib/ipc leaves its dispatch */
	conn = NULL;
	while (pending->len > 0) {
		struct fence_req *r = g_ptr_array_steal_index_fast(pending, 0);
		io_defer(fail_later, r);
	}
	if (retry_src == 0)
		retry_src = g_timeout_add(1000, reconnect, NULL);
}

static bool
ensure_connected(struct pl_error *err)
{
	static const struct pl_ipc_conn_ops ops = { .event = on_event, .disconnected = on_gone };
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	bool ok;

	if (conn != NULL)
		return true;
	conn = pl_ipc_connect(PL_SVC_STONITHD, retry_src ? 200 : 2000, err);
	if (conn == NULL)
		return false;
	ok = pl_ipc_call(conn, PL_MSG_STONITHD_SUBSCRIBE, &p, PL_MSG_STONITHD_SUBSCRIBE_REPLY,
	    FENCE_CALL_MS, &reply, err);
	pl_ipc_msg_clear(&reply);
	if (!ok) {
		pl_ipc_disconnect(conn);
		conn = NULL;
		return false;
	}
	pl_ipc_conn_attach(conn, NULL, &ops, NULL);
	return true;
}

static void
on_fence_reply(
    struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct fence_req *r = arg;
	int32_t code = -1;
	uint64_t id = 0;
	const char *text = "";

	(void)c;
	if (err == NULL && reply &&
	    pl_msg_unpack(reply, PL_MSG_STONITHD_FENCE_REPLY, &code, &id, &text) && code == 0) {
		r->id = id;
		g_ptr_array_add(pending, r);
		return;
	}
	log_warnx("fencer refused to %s %s: %s", r->action, r->target,
	    err		? err->text
		: *text ? text
			: "malformed reply");
	deliver(r->ref, r->target, r->action, false, NULL);
	req_free(r);
}

static void
op_fence(void *arg, const char *target, const char *action, uint32_t delay_ms, uint64_t ref)
{
	struct fence_req *r = XNEW(struct fence_req);
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	r->ref = ref;
	r->target = xstrdup(target);
	r->action = xstrdup(action);
	if (!ensure_connected(&err)) {
		log_warnx("cannot ask to %s %s: %s", action, target, err.text);
		io_defer(fail_later, r);
		return;
	}
	pl_msg_pack(
	    &p, PL_MSG_STONITHD_FENCE, target, action, "crmd", (uint32_t)0, (uint32_t)0, delay_ms);
	if (pl_ipc_call_async(conn, PL_MSG_STONITHD_FENCE, &p, PL_MSG_STONITHD_FENCE_REPLY,
		FENCE_CALL_MS, on_fence_reply, r, &err) == 0) {
		log_warnx("cannot ask to %s %s: %s", action, target, err.text);
		io_defer(fail_later, r);
	}
	pl_pack_free(&p);
}

void
fenceio_start(void)
{
	struct pl_error err = PL_ERROR_INIT;

	pending = g_ptr_array_new_with_free_func(req_free);
	if (!ensure_connected(&err))
		log_info("no fencer yet (%s): connecting when fencing is needed", err.text);
}

void
fenceio_fill_ops(struct crmd_ops *ops)
{
	ops->fence = op_fence;
}

void
fenceio_close(void)
{
	if (retry_src)
		g_source_remove(retry_src);
	retry_src = 0;
	if (conn)
		pl_ipc_disconnect(conn);
	conn = NULL;
	if (pending)
		g_ptr_array_free(pending, TRUE);
	pending = NULL;
}
