/* echo_service.c - handlers of the ECHO test service (see echo_service.h). */
#include "echo_service.h"

static int refuse_uid = -1;

void echo_server_refuse_uid(int uid)
{
	refuse_uid = uid;
}

static bool on_accept(struct pl_ipc_client *c, void *arg)
{
	struct echo_stats *st = arg;

	if (refuse_uid >= 0 && (int)pl_ipc_client_uid(c) == refuse_uid)
		return false;
	if (st)
		__atomic_add_fetch(&st->accepted, 1, __ATOMIC_RELAXED);
	return true;
}

static void on_destroyed(struct pl_ipc_client *c, void *arg)
{
	struct echo_stats *st = arg;

	if (st)
		__atomic_add_fetch(&st->destroyed, 1, __ATOMIC_RELAXED);
}

static void on_echo(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct echo_stats *st = arg;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	uint32_t seq;
	const char *text;

	if (st)
		__atomic_add_fetch(&st->requests, 1, __ATOMIC_RELAXED);
	pl_ipc_msg_unpack(msg, &r);
	pl_unpack(&r, "us", &seq, &text);	/* the dispatcher checked the signature */
	pl_pack(&p, "us", seq, text);
	pl_ipc_reply(c, msg->call_id, PL_MSG_ECHO_REPLY, 0, &p);
	pl_pack_free(&p);
}

static void on_subscribe(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	pl_ipc_client_subscribe(c, 1);
	pl_ipc_reply_status(c, msg->call_id, 0, "subscribed");
}

static void on_shout(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	const char *text;
	unsigned n;

	pl_ipc_msg_unpack(msg, &r);
	pl_unpack_str(&r, &text);
	pl_pack_str(&p, text);
	n = pl_ipc_broadcast(pl_ipc_client_server(c), 1, PL_MSG_ECHO_EVENT, &p);
	pl_pack_free(&p);
	pl_ipc_reply_status(c, msg->call_id, 0, "sent to %u subscribers", n);
}

struct pl_ipc_server *echo_server_start(GMainContext *ctx, struct echo_stats *st,
					struct pl_error *err)
{
	static const struct pl_ipc_server_ops ops = { on_accept, on_destroyed };
	struct pl_ipc_server *s = pl_ipc_server_new(PL_SVC_ECHO, ctx, &ops, st, err);

	if (s == NULL)
		return NULL;
	pl_ipc_server_handle(s, PL_MSG_ECHO_REQ, on_echo);
	pl_ipc_server_handle(s, PL_MSG_ECHO_SUBSCRIBE, on_subscribe);
	pl_ipc_server_handle(s, PL_MSG_ECHO_SHOUT, on_shout);
	return s;
}
