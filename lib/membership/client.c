/*
 * client.c - the client of paceline-membership (include/paceline/membership_client.h) on
 * lib/ipc: requests as calls, deliveries / group changes / quorum as events.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/xalloc.h"
#include "sendq.h"

#define CALL_MS		 5000
/* The ordered queue (sendq.h): a full ring queue is waited out this long, then the message
 * fails with 75; at most this much is queued (a push beyond it is refused with 75). */
#define QUEUE_GIVE_UP_MS 30000
#define QUEUE_LIMIT	 ((size_t)256 * 1024 * 1024)

struct pl_membership {
	struct pl_ipc_conn *c;
	struct pl_membership_ops ops;
	void *arg;
	GMainContext *ctx;  /* attached to, for the queue's retry timer */
	struct pl_sendq *q; /* made by the first pl_membership_queue_peer */
	GSource *retry;
	struct pl_membership_status st; /* node names, refreshed at connect and by status */
};

static uint32_t
be32(const void *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return ntohl(v);
}

const char *
pl_membership_node_name(struct pl_membership *m, uint32_t nodeid)
{
	for (unsigned i = 0; i < m->st.n_nodes; i++)
		if (m->st.nodes[i].nodeid == nodeid)
			return m->st.nodes[i].name;
	return "";
}

bool
pl_membership_status(struct pl_membership *m, struct pl_membership_status *st, struct pl_error *err)
{
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *state, **names = NULL, **kv = NULL;
	const void *nodes;
	size_t nlen;
	uint32_t quorate, nnames = 0, nkv = 0;
	bool ok;

	if (!pl_ipc_call(m->c, PL_MSG_MEMBERSHIP_STATUS, NULL, PL_MSG_MEMBERSHIP_STATUS_REPLY,
		CALL_MS, &reply, err)) {
		pl_ipc_msg_clear(&reply);
		return false;
	}
	memset(st, 0, sizeof(*st));
	ok = pl_msg_unpack(&reply, PL_MSG_MEMBERSHIP_STATUS_REPLY, &st->nodeid, &st->ring_rep,
		 &st->ring_seq, &state, &quorate, &st->expected_votes, &st->total_votes,
		 &st->quorum, &st->flags, &nodes, &nlen, &names, &nnames, &kv, &nkv) &&
	    nlen % 12 == 0 && nlen / 12 == nnames && nnames <= PL_MEMBERSHIP_MAX_NODES;
	if (ok) {
		snprintf(st->state, sizeof(st->state), "%s", state);
		st->quorate = quorate != 0;
		st->n_nodes = nnames;
		for (unsigned i = 0; i < nnames; i++) {
			const uint8_t *rec = (const uint8_t *)nodes + 12 * i;
			st->nodes[i].nodeid = be32(rec);
			st->nodes[i].votes = be32(rec + 4);
			st->nodes[i].member = (be32(rec + 8) & 1) != 0;
			st->nodes[i].qdevice = be32(rec + 8) >> 8 & 0xff;
			snprintf(st->nodes[i].name, sizeof(st->nodes[i].name), "%s", names[i]);
		}
		for (uint32_t i = 0; i < nkv && st->n_counters < 48; i++) {
			snprintf(st->counters[st->n_counters].name, sizeof(st->counters[0].name),
			    "%s", kv[2 * i]);
			st->counters[st->n_counters++].value = strtoull(kv[2 * i + 1], NULL, 10);
		}
		m->st = *st;
	} else {
		pl_error_set(
		    err, PL_EXIT_PROTOCOL, "malformed status reply from paceline-membership");
	}
	free(names);
	free(kv);
	pl_ipc_msg_clear(&reply);
	return ok;
}

struct pl_membership *
pl_membership_connect(int timeout_ms, struct pl_error *err)
{
	struct pl_membership *m;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_MEMBERSHIP, timeout_ms, err);
	struct pl_membership_status st;

	if (!c)
		return NULL;
	m = XNEW(struct pl_membership);
	m->c = c;
	if (!pl_membership_status(m, &st, err)) {
		pl_membership_disconnect(m);
		return NULL;
	}
	return m;
}

static bool send_group_message(
    const char *group, const void *data, size_t len, void *arg, struct pl_error *err);

void
pl_membership_disconnect(struct pl_membership *m)
{
	if (!m)
		return;
	if (m->q != NULL) {
		struct pl_error err = PL_ERROR_INIT;
		struct pl_sendq_stats st;

		/* what the main loop had no time to send goes now (a daemon's last words) */
		pl_error_set(&err, PL_EXIT_DISCONNECT,
		    "disconnected from paceline-membership before its answer (it may have been "
		    "sent)");
		pl_sendq_flush(m->q, send_group_message, m, &err);
		pl_sendq_get_stats(m->q, &st); /* the batching ratio, for the benchmarks */
		log_info("sent %llu queued message(s) in %llu group message(s)",
		    (unsigned long long)st.messages, (unsigned long long)st.transmits);
	}
	pl_ipc_disconnect(m->c);
	if (m->retry != NULL) {
		g_source_destroy(m->retry);
		g_source_unref(m->retry);
	}
	pl_sendq_free(m->q);
	free(m);
}

static bool
simple_call(struct pl_membership *m, enum pl_msg_type type, struct pl_pack *p, struct pl_error *err)
{
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	bool ok = pl_ipc_call(m->c, type, p, PL_MSG_NONE, CALL_MS, &reply, err);

	pl_ipc_msg_clear(&reply);
	return ok;
}

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

bool
pl_membership_links(struct pl_membership *m, struct pl_membership_links *out, struct pl_error *err)
{
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *transport, *mode, **local = NULL, **group = NULL, **remote = NULL;
	const void *blob;
	size_t blen;
	uint32_t nlocal = 0, ngroup = 0, nremote = 0;
	bool ok;

	if (!pl_ipc_call(m->c, PL_MSG_MEMBERSHIP_LINKS, NULL, PL_MSG_MEMBERSHIP_LINKS_REPLY,
		CALL_MS, &reply, err)) {
		pl_ipc_msg_clear(&reply);
		return false;
	}
	memset(out, 0, sizeof(*out));
	ok = pl_msg_unpack(&reply, PL_MSG_MEMBERSHIP_LINKS_REPLY, &transport, &mode, &local,
		 &nlocal, &group, &ngroup, &blob, &blen, &remote, &nremote) &&
	    nlocal == ngroup && nremote == blen / 40 && nlocal <= PL_MEMBERSHIP_MAX_LINKS &&
	    blen % 40 == 0 && blen / 40 <= PL_MEMBERSHIP_MAX_NODES * PL_MEMBERSHIP_MAX_LINKS;
	if (ok) {
		snprintf(out->transport, sizeof(out->transport), "%s", transport);
		snprintf(out->link_mode, sizeof(out->link_mode), "%s", mode);
		out->n_links = nlocal;
		for (unsigned k = 0; k < nlocal; k++) {
			snprintf(out->local[k], sizeof(out->local[k]), "%s", local[k]);
			snprintf(out->group[k], sizeof(out->group[k]), "%s", group[k]);
		}
		out->n = (unsigned)(blen / 40);
		for (unsigned i = 0; i < out->n; i++) {
			const uint8_t *r = (const uint8_t *)blob + 40 * i;
			out->l[i].nodeid = be32(r);
			out->l[i].link = be32(r + 4);
			out->l[i].up = be32(r + 8) != 0;
			out->l[i].rtt_ms = be32(r + 12);
			out->l[i].tx = be64(r + 16);
			out->l[i].rx = be64(r + 24);
			out->l[i].downs = be64(r + 32);
			snprintf(out->l[i].remote, sizeof(out->l[i].remote), "%s", remote[i]);
		}
	} else {
		pl_error_set(err, PL_EXIT_PROTOCOL, "malformed links reply from paceline-membership");
	}
	free(local);
	free(group);
	free(remote);
	pl_ipc_msg_clear(&reply);
	return ok;
}

bool
pl_membership_set_expected(struct pl_membership *m, uint32_t expected, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	bool ok;

	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_SET_EXPECTED, expected);
	ok = simple_call(m, PL_MSG_MEMBERSHIP_SET_EXPECTED, &p, err);
	pl_pack_free(&p);
	return ok;
}

bool
pl_membership_join(struct pl_membership *m, const char *group, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	bool ok;

	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_JOIN, group);
	ok = simple_call(m, PL_MSG_MEMBERSHIP_JOIN, &p, err);
	pl_pack_free(&p);
	return ok;
}

bool
pl_membership_leave(struct pl_membership *m, const char *group, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	bool ok;

	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_LEAVE, group);
	ok = simple_call(m, PL_MSG_MEMBERSHIP_LEAVE, &p, err);
	pl_pack_free(&p);
	return ok;
}

bool
pl_membership_send(
    struct pl_membership *m, const char *group, const void *data, size_t len, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	bool ok;

	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_SEND, group, data, len);
	ok = simple_call(m, PL_MSG_MEMBERSHIP_SEND, &p, err);
	pl_pack_free(&p);
	return ok;
}

/* One frame of a peer message; a full ring queue (75) is waited out, up to PEER_SEND_MS:
 * the pieces of a large message must go out back to back. */
#define PEER_SEND_MS 30000

struct peer_out {
	struct pl_membership *m;
	const char *group;
};

static bool
send_frame(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	struct peer_out *o = arg;
	struct timespec pause = { 0, 1000000 }; /* 1 ms, doubling to 64 ms */
	long waited_ms = 0;

	for (;;) {
		pl_error_clear(err);
		if (pl_membership_send(o->m, o->group, frame, len, err))
			return true;
		if (err == NULL || err->code != PL_EXIT_TEMPFAIL || waited_ms >= PEER_SEND_MS)
			return false;
		nanosleep(&pause, NULL);
		waited_ms += pause.tv_nsec / 1000000;
		if (pause.tv_nsec < 64000000)
			pause.tv_nsec *= 2;
	}
}

/* One group message, synchronously, a full ring waited out (pl_sendq_flush's sender). */
static bool
send_group_message(const char *group, const void *data, size_t len, void *arg, struct pl_error *err)
{
	struct peer_out o = { arg, group };

	return send_frame(data, len, &o, err);
}

static bool queue_vpeer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    pl_membership_sent_fn cb, void *arg, struct pl_error *err, enum pl_peer_kind kind, va_list ap);

bool
pl_membership_send_peer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    struct pl_error *err, enum pl_peer_kind kind, ...)
{
	struct peer_out o = { m, group };
	struct pl_error local = PL_ERROR_INIT;
	va_list ap;
	bool ok;

	va_start(ap, kind);
	if (m->q != NULL && !pl_sendq_empty(m->q)) /* behind what is queued, never before it */
		ok = queue_vpeer(m, group, pp, NULL, NULL, err ? err : &local, kind, ap);
	else
		ok = pl_peer_vsend(pp, send_frame, &o, err ? err : &local, kind, ap);
	va_end(ap);
	return ok;
}

/* ---- the ordered queue (sendq.h) on this connection ---- */

static void
on_queue_sent(
    struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct pl_membership *m = arg;

	(void)c;
	(void)reply;
	pl_sendq_answer(m->q, err);
}

static bool
queue_transmit(const char *group, const void *data, size_t len, void *arg, struct pl_error *err)
{
	struct pl_membership *m = arg;
	struct pl_pack p = PL_PACK_INIT;
	uint32_t id;

	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_SEND, group, data, len);
	id = pl_ipc_call_async(
	    m->c, PL_MSG_MEMBERSHIP_SEND, &p, PL_MSG_NONE, QUEUE_GIVE_UP_MS, on_queue_sent, m, err);
	pl_pack_free(&p);
	return id != 0;
}

static gboolean
queue_retry(gpointer arg)
{
	struct pl_membership *m = arg;

	g_source_unref(m->retry);
	m->retry = NULL;
	pl_sendq_retry(m->q);
	return G_SOURCE_REMOVE;
}

static void
queue_schedule(unsigned ms, void *arg)
{
	struct pl_membership *m = arg;

	if (m->retry != NULL)
		return;
	m->retry = g_timeout_source_new(ms);
	g_source_set_callback(m->retry, queue_retry, m, NULL);
	g_source_attach(m->retry, m->ctx);
}

struct queued {
	struct pl_membership *m;
	pl_membership_sent_fn cb;
	void *arg;
};

static void
on_queued_done(const struct pl_error *err, void *arg)
{
	struct queued *qd = arg;

	if (qd->cb != NULL)
		qd->cb(qd->m, err, qd->arg);
	free(qd);
}

/* The connection's queue (made on first use); NULL with err when not attached to a loop. */
static struct pl_sendq *
queue_of(struct pl_membership *m, struct pl_error *err)
{
	static const struct pl_sendq_ops ops = { queue_transmit, queue_schedule };

	if (m->ctx == NULL) {
		pl_error_set(err, PL_EXIT_SOFTWARE,
		    "queued send on a membership connection not attached to a main loop");
		return NULL;
	}
	if (m->q == NULL)
		m->q = pl_sendq_new(
		    PL_MEMBERSHIP_PEER_FRAME_MAX, QUEUE_LIMIT, QUEUE_GIVE_UP_MS, &ops, m);
	return m->q;
}

/* The done callback's context for a message queued with cb (NULL without). */
static struct queued *
queued_new(struct pl_membership *m, pl_membership_sent_fn cb, void *arg)
{
	struct queued *qd;

	if (cb == NULL)
		return NULL;
	qd = XNEW(struct queued);
	qd->m = m;
	qd->cb = cb;
	qd->arg = arg;
	return qd;
}

static bool
queue_vpeer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    pl_membership_sent_fn cb, void *arg, struct pl_error *err, enum pl_peer_kind kind, va_list ap)
{
	struct pl_sendq *q = queue_of(m, err);
	struct queued *qd;

	if (q == NULL)
		return false;
	qd = queued_new(m, cb, arg);
	if (!pl_sendq_push(q, group, pp, qd ? on_queued_done : NULL, qd, err, kind, ap)) {
		free(qd);
		return false;
	}
	return true;
}

bool
pl_membership_queue_encoded(struct pl_membership *m, const char *group, pl_peer_encode_fn encode,
    void *encode_arg, pl_membership_sent_fn cb, void *arg, struct pl_error *err)
{
	struct pl_error local = PL_ERROR_INIT;
	struct pl_sendq *q = queue_of(m, err ? err : &local);
	struct queued *qd;

	if (q == NULL)
		return false;
	qd = queued_new(m, cb, arg);
	if (!pl_sendq_push_encoded(
		q, group, encode, encode_arg, qd ? on_queued_done : NULL, qd, err ? err : &local)) {
		free(qd);
		return false;
	}
	return true;
}

bool
pl_membership_queue_peer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    pl_membership_sent_fn cb, void *arg, struct pl_error *err, enum pl_peer_kind kind, ...)
{
	struct pl_error local = PL_ERROR_INIT;
	va_list ap;
	bool ok;

	va_start(ap, kind);
	ok = queue_vpeer(m, group, pp, cb, arg, err ? err : &local, kind, ap);
	va_end(ap);
	return ok;
}

struct sent_ctx {
	struct pl_membership *m;
	pl_membership_sent_fn cb;
	void *arg;
};

static void
on_sent(struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct sent_ctx *s = arg;

	(void)c;
	(void)reply;
	if (s->cb)
		s->cb(s->m, err, s->arg);
	free(s);
}

bool
pl_membership_send_async(struct pl_membership *m, const char *group, const void *data, size_t len,
    pl_membership_sent_fn cb, void *arg, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct sent_ctx *s = XNEW(struct sent_ctx);
	uint32_t id;

	s->m = m;
	s->cb = cb;
	s->arg = arg;
	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_SEND, group, data, len);
	id = pl_ipc_call_async(
	    m->c, PL_MSG_MEMBERSHIP_SEND, &p, PL_MSG_NONE, CALL_MS, on_sent, s, err);
	pl_pack_free(&p);
	if (!id)
		free(s);
	return id != 0;
}

bool
pl_membership_quorum_subscribe(struct pl_membership *m, struct pl_error *err)
{
	return simple_call(m, PL_MSG_MEMBERSHIP_SUBSCRIBE_QUORUM, NULL, err);
}

static struct pl_membership_member *
members(struct pl_membership *m, const void *blob, size_t len, unsigned *n)
{
	struct pl_membership_member *v = xcalloc(len / 8 + 1, sizeof(*v));

	*n = (unsigned)(len / 8);
	for (unsigned i = 0; i < *n; i++) {
		v[i].nodeid = be32((const uint8_t *)blob + 8 * i);
		v[i].pid = be32((const uint8_t *)blob + 8 * i + 4);
		v[i].name = pl_membership_node_name(m, v[i].nodeid);
	}
	return v;
}

static void
handle_event(struct pl_membership *m, const struct pl_ipc_msg *ev)
{
	if (ev->type == PL_MSG_MEMBERSHIP_DELIVER) {
		const char *group;
		uint32_t nodeid, pid;
		const void *data;
		size_t len;
		if (pl_msg_unpack(ev, PL_MSG_MEMBERSHIP_DELIVER, &group, &nodeid, &pid, &data, &len) &&
		    m->ops.deliver)
			m->ops.deliver(m, group, nodeid, pid, data, len, m->arg);
	} else if (ev->type == PL_MSG_MEMBERSHIP_GROUP_CHANGE) {
		const char *group;
		uint64_t seq;
		const void *b1, *b2, *b3;
		size_t l1, l2, l3;
		if (pl_msg_unpack(ev, PL_MSG_MEMBERSHIP_GROUP_CHANGE, &group, &seq, &b1, &l1, &b2,
			&l2, &b3, &l3) &&
		    m->ops.group_change && l1 % 8 == 0 && l2 % 8 == 0 && l3 % 8 == 0) {
			unsigned n, nj, nl;
			struct pl_membership_member *a = members(m, b1, l1, &n),
						    *j = members(m, b2, l2, &nj),
						    *l = members(m, b3, l3, &nl);
			m->ops.group_change(m, group, a, n, j, nj, l, nl, m->arg);
			free(a);
			free(j);
			free(l);
		}
	} else if (ev->type == PL_MSG_MEMBERSHIP_QUORUM) {
		uint32_t q, e, t, quorum, ids[PL_MEMBERSHIP_MAX_NODES];
		uint64_t seq;
		const void *b;
		size_t l;
		if (pl_msg_unpack(ev, PL_MSG_MEMBERSHIP_QUORUM, &q, &e, &t, &quorum, &seq, &b, &l) &&
		    l % 4 == 0 && l / 4 <= PL_MEMBERSHIP_MAX_NODES && m->ops.quorum) {
			for (size_t i = 0; i < l / 4; i++)
				ids[i] = be32((const uint8_t *)b + 4 * i);
			m->ops.quorum(m, q != 0, e, t, quorum, ids, (unsigned)(l / 4), m->arg);
		}
	}
}

static void
on_event(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	(void)c;
	handle_event(arg, ev);
}

static void
on_disconnected(struct pl_ipc_conn *c, void *arg)
{
	struct pl_membership *m = arg;

	(void)c;
	if (m->ops.disconnected)
		m->ops.disconnected(m, m->arg);
}

void
pl_membership_set_ops(struct pl_membership *m, const struct pl_membership_ops *ops, void *arg)
{
	m->ops = *ops;
	m->arg = arg;
}

void
pl_membership_attach(
    struct pl_membership *m, GMainContext *ctx, const struct pl_membership_ops *ops, void *arg)
{
	static const struct pl_ipc_conn_ops conn_ops = { on_event, on_disconnected };

	pl_membership_set_ops(m, ops, arg);
	m->ctx = ctx != NULL ? ctx : g_main_context_default();
	pl_ipc_conn_attach(m->c, ctx, &conn_ops, m);
}

bool
pl_membership_dispatch(struct pl_membership *m, int timeout_ms, struct pl_error *err)
{
	struct pl_ipc_msg ev = PL_IPC_MSG_INIT;

	if (!pl_ipc_wait_event(m->c, timeout_ms, &ev, err))
		return false;
	handle_event(m, &ev);
	pl_ipc_msg_clear(&ev);
	return true;
}
