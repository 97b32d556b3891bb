/* echo_service.c - handlers of the ECHO test service (see echo_service.h). */
#include <string.h>

#include "echo_service.h"

static int refuse_uid = -1;

void
echo_server_refuse_uid(int uid)
{
	__atomic_store_n(&refuse_uid, uid, __ATOMIC_RELAXED);
}

static bool
on_accept(struct pl_ipc_client *c, void *arg)
{
	struct echo_stats *st = arg;

	if (__atomic_load_n(&refuse_uid, __ATOMIC_RELAXED) == (int)pl_ipc_client_uid(c))
		return false;
	if (st)
		__atomic_add_fetch(&st->accepted, 1, __ATOMIC_RELAXED);
	return true;
}

static void
on_destroyed(struct pl_ipc_client *c, void *arg)
{
	struct echo_stats *st = arg;

	if (st)
		__atomic_add_fetch(&st->destroyed, 1, __ATOMIC_RELAXED);
}

/* "later": answer from a timer, looking the client up by id (it may be gone by then). */
struct later {
	struct pl_ipc_server *srv;
	uint64_t client;
	uint32_t call_id;
	uint32_t seq;
	struct echo_stats *st;
};

static gboolean
answer_later(gpointer p)
{
	struct later *l = p;
	struct pl_ipc_client *c = pl_ipc_server_find_client(l->srv, l->client);
	struct pl_pack pk = PL_PACK_INIT;

	if (c == NULL) {
		if (l->st)
			__atomic_add_fetch(&l->st->late_orphans, 1, __ATOMIC_RELAXED);
	} else {
		pl_msg_pack(&pk, PL_MSG_ECHO_REPLY, l->seq, "later");
		pl_ipc_reply(c, l->call_id, PL_MSG_ECHO_REPLY, 0, &pk);
		pl_pack_free(&pk);
	}
	return G_SOURCE_REMOVE;
}

static void
on_echo(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct echo_stats *st = arg;
	struct pl_pack p = PL_PACK_INIT;
	uint32_t seq;
	const char *text;

	if (st)
		__atomic_add_fetch(&st->requests, 1, __ATOMIC_RELAXED);
	pl_msg_unpack(msg, PL_MSG_ECHO_REQ, &seq, &text); /* checked by the dispatcher */
	if (strcmp(text, "later") == 0) {
		struct later *l = g_new0(struct later, 1);
		GSource *src = g_timeout_source_new(50);

		l->srv = pl_ipc_client_server(c);
		l->client = pl_ipc_client_id(c);
		l->call_id = msg->call_id;
		l->seq = seq;
		l->st = st;
		g_source_set_callback(src, answer_later, l, g_free);
		g_source_attach(src, g_main_context_get_thread_default());
		g_source_unref(src);
		return;
	}
	pl_msg_pack(&p, PL_MSG_ECHO_REPLY, seq, text);
	pl_ipc_reply(c, msg->call_id, PL_MSG_ECHO_REPLY, 0, &p);
	pl_pack_free(&p);
}

static void
on_subscribe(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	pl_ipc_client_subscribe(c, 1);
	pl_ipc_reply_status(c, msg->call_id, 0, "subscribed");
}

static void
on_shout(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	const char *text;
	unsigned n;

	pl_msg_unpack(msg, PL_MSG_ECHO_SHOUT, &text);
	pl_msg_pack(&p, PL_MSG_ECHO_EVENT, text);
	n = pl_ipc_broadcast(pl_ipc_client_server(c), 1, PL_MSG_ECHO_EVENT, &p);
	pl_pack_free(&p);
	pl_ipc_reply_status(c, msg->call_id, 0, "sent to %u subscribers", n);
}

static void
on_bulk(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	uint32_t events;
	const char *doc;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_ECHO_BULK, &events, &doc);
	if (events) {
		pl_msg_pack(&p, PL_MSG_ECHO_BULK_EVENT, doc);
		for (uint32_t i = 0; i < events; i++)
			pl_ipc_event(c, PL_MSG_ECHO_BULK_EVENT, &p);
		pl_pack_reset(&p);
	}
	pl_msg_pack(&p, PL_MSG_ECHO_BULK_REPLY, doc);
	pl_ipc_reply(c, msg->call_id, PL_MSG_ECHO_BULK_REPLY, 0, &p);
	pl_pack_free(&p);
}

struct pl_ipc_server *
echo_server_start(GMainContext *ctx, struct echo_stats *st, struct pl_error *err)
{
	static const struct pl_ipc_server_ops ops = { on_accept, on_destroyed };
	struct pl_ipc_server *s = pl_ipc_server_new(PL_SVC_ECHO, ctx, &ops, st, err);

	if (s == NULL)
		return NULL;
	pl_ipc_server_handle(s, PL_MSG_ECHO_REQ, on_echo);
	pl_ipc_server_handle(s, PL_MSG_ECHO_SUBSCRIBE, on_subscribe);
	pl_ipc_server_handle(s, PL_MSG_ECHO_SHOUT, on_shout);
	pl_ipc_server_handle(s, PL_MSG_ECHO_BULK, on_bulk);
	return s;
}
