/*
 * server.c - paceline-stonithd's local IPC (stonithd.def): crmd and stonith_admin ask for
 * fencing, read the history and the devices, register devices by hand. lib/ipc's dispatcher
 * has checked type, direction, privilege, length and signature before a handler runs.
 */
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "stonithd.h"

#define SUB_RESULTS 0x1u

static struct pl_ipc_server *server;

void
stonithd_server_result(const struct stonithd_result *r)
{
	struct pl_pack p = PL_PACK_INIT;

	if (server == NULL)
		return;
	pl_msg_pack(&p, PL_MSG_STONITHD_RESULT, r->id, r->target, r->action, r->client, r->origin,
	    r->delegate, r->device, (int32_t)r->rc, r->reason, r->completed_ms);
	pl_ipc_broadcast(server, SUB_RESULTS, PL_MSG_STONITHD_RESULT, &p);
	pl_pack_free(&p);
}

static void
reply_code_text(
    struct pl_ipc_client *c, uint32_t call_id, enum pl_msg_type type, const struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;

	pl_msg_pack(&p, type, (int32_t)err->code, err->text);
	pl_ipc_reply(c, call_id, type, err->code, &p);
	pl_pack_free(&p);
}

static void
on_fence(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *target, *action, *client;
	uint32_t timeout_ms, flags, delay_ms;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	uint64_t id;

	(void)arg;
	pl_msg_unpack(
	    msg, PL_MSG_STONITHD_FENCE, &target, &action, &client, &timeout_ms, &flags, &delay_ms);
	id = stonithd_io_fence(target, action, client, timeout_ms, flags, delay_ms, &err);
	pl_msg_pack(&p, PL_MSG_STONITHD_FENCE_REPLY, (int32_t)err.code, id, err.text);
	pl_ipc_reply(c, msg->call_id, PL_MSG_STONITHD_FENCE_REPLY, err.code, &p);
	pl_pack_free(&p);
}

static void
on_subscribe(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	pl_ipc_client_subscribe(c, SUB_RESULTS);
	pl_msg_pack(&p, PL_MSG_STONITHD_SUBSCRIBE_REPLY, (int32_t)0);
	pl_ipc_reply(c, msg->call_id, PL_MSG_STONITHD_SUBSCRIBE_REPLY, 0, &p);
	pl_pack_free(&p);
}

static void
on_history(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *target;
	struct pl_buf b = { 0 };
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_STONITHD_HISTORY, &target);
	stonithd_io_history(target, &b);
	pl_msg_pack(&p, PL_MSG_STONITHD_HISTORY_REPLY, (int32_t)0, pl_buf_str(&b));
	pl_ipc_reply(c, msg->call_id, PL_MSG_STONITHD_HISTORY_REPLY, 0, &p);
	pl_pack_free(&p);
	pl_buf_free(&b);
}

static void
on_devices(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *target;
	struct pl_pack p = PL_PACK_INIT;
	size_t n;
	char **v;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_STONITHD_DEVICES, &target);
	v = stonithd_io_devices(target, &n);
	pl_msg_pack(&p, PL_MSG_STONITHD_DEVICES_REPLY, (int32_t)0, (const char *const *)v);
	pl_ipc_reply(c, msg->call_id, PL_MSG_STONITHD_DEVICES_REPLY, 0, &p);
	pl_pack_free(&p);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
on_cleanup(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *target;
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_STONITHD_CLEANUP, &target);
	stonithd_io_cleanup_history(target, &err);
	reply_code_text(c, msg->call_id, PL_MSG_STONITHD_CLEANUP_REPLY, &err);
}

static void
on_register(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *id, *type, **kv = NULL;
	uint32_t n = 0;
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_STONITHD_REGISTER, &id, &type, &kv, &n);
	stonithd_io_register(id, type, kv, n, &err);
	free(kv);
	reply_code_text(c, msg->call_id, PL_MSG_STONITHD_REGISTER_REPLY, &err);
}

static void
on_deregister(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *id;
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_STONITHD_DEREGISTER, &id);
	stonithd_io_deregister(id, &err);
	reply_code_text(c, msg->call_id, PL_MSG_STONITHD_DEREGISTER_REPLY, &err);
}

static void
on_level(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *spec, **devices = NULL;
	uint32_t index = 0, add = 0, n = 0;
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_STONITHD_LEVEL, &spec, &index, &add, &devices, &n);
	stonithd_io_level(spec, index, devices, n, add != 0, &err);
	free(devices);
	reply_code_text(c, msg->call_id, PL_MSG_STONITHD_LEVEL_REPLY, &err);
}

/* A device action answers later: keep the client's id and the call. */
struct pending {
	uint64_t client;
	uint32_t call_id;
};

static void
device_action_done(void *arg, int rc, const char *output, const char *reason)
{
	struct pending *w = arg;
	struct pl_ipc_client *c = server ? pl_ipc_server_find_client(server, w->client) : NULL;
	struct pl_pack p = PL_PACK_INIT;

	if (c != NULL) {
		pl_msg_pack(&p, PL_MSG_STONITHD_DEVICE_ACTION_REPLY, (int32_t)0, (int32_t)rc,
		    rc == 0 ? output : reason);
		pl_ipc_reply(c, w->call_id, PL_MSG_STONITHD_DEVICE_ACTION_REPLY, 0, &p);
		pl_pack_free(&p);
	}
	free(w);
}

static void
on_device_action(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *id, *action;
	struct pl_error err = PL_ERROR_INIT;
	struct pending *w = XNEW(struct pending);

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_STONITHD_DEVICE_ACTION, &id, &action);
	w->client = pl_ipc_client_id(c);
	w->call_id = msg->call_id;
	if (strcmp(action, "list") != 0 && strcmp(action, "monitor") != 0 &&
	    strcmp(action, "status") != 0) {
		pl_error_set(&err, PL_EXIT_USAGE, "action %s: only list, monitor or status", action);
	} else if (stonithd_io_device_action(id, action, device_action_done, w, &err)) {
		return;
	}
	free(w);
	struct pl_pack p = PL_PACK_INIT;
	pl_msg_pack(
	    &p, PL_MSG_STONITHD_DEVICE_ACTION_REPLY, (int32_t)err.code, (int32_t)-1, err.text);
	pl_ipc_reply(c, msg->call_id, PL_MSG_STONITHD_DEVICE_ACTION_REPLY, err.code, &p);
	pl_pack_free(&p);
}

bool
stonithd_server_start(struct pl_error *err)
{
	server = pl_ipc_server_new(PL_SVC_STONITHD, NULL, NULL, NULL, err);
	if (server == NULL)
		return false;
	pl_ipc_server_handle(server, PL_MSG_STONITHD_FENCE, on_fence);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_SUBSCRIBE, on_subscribe);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_HISTORY, on_history);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_DEVICES, on_devices);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_CLEANUP, on_cleanup);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_REGISTER, on_register);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_DEREGISTER, on_deregister);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_DEVICE_ACTION, on_device_action);
	pl_ipc_server_handle(server, PL_MSG_STONITHD_LEVEL, on_level);
	return true;
}

void
stonithd_server_stop(void)
{
	if (server)
		pl_ipc_server_free(server);
	server = NULL;
}
