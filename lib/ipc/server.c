/*
 * server.c - the server side of Paceline IPC: a libqb service in a GLib main context, one
 * state per client, and THE dispatch function every received request goes through.
 *
 * Checks, in order, before any handler runs (docs/design/ipc.md):
 *   framing (header size sane and consistent)  -> dropped connection
 *   protocol version, known type, this service, a request, sender privilege,
 *   payload <= MAXLEN, payload matches the signature, a handler exists
 *                                              -> status reply with the reason, counted
 * Replies and events travel on libqb's event channel (one ordered stream the client can poll).
 * When that channel is full, messages wait in a bounded per-client backlog retried from a
 * timer; a client that lets the backlog exceed its bound, or reads nothing for
 * BACKLOG_STALL_MS, is dropped: the server never blocks on a slow client.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "ipc_int.h"

/* Rejections logged per client before the log is thinned to one line per REJECT_LOG_EVERY. */
#define REJECT_LOG_FIRST  10
#define REJECT_LOG_EVERY  100
/* Backlog of a client whose event channel is full: bounds and retry pace. */
#define BACKLOG_MAX_MSGS  10000
#define BACKLOG_MIN_BYTES (8u << 20)
#define BACKLOG_LARGE	  4
#define BACKLOG_STALL_MS  10000
#define BACKLOG_RETRY_MS  5

struct pl_ipc_server {
	enum pl_service svc;
	char *name;
	GMainContext *ctx;
	qb_ipcs_service_t *qbs;
	struct pl_ipc_server_ops ops;
	void *arg;
	size_t bufsize;
	pl_ipc_handler_fn handlers[256]; /* by the low byte of the type */
	GList *clients;
	GHashTable *by_id; /* client id -> struct pl_ipc_client * */
	uint64_t next_id;
	unsigned nclients;
	uint64_t rejects[PL_IPC_REJ_COUNT]; /* atomic: tests read them from other threads */
	uint64_t dropped_events;
	bool stopping;
	uint8_t *rx; /* private copy of the message being dispatched (bufsize) */
	bool rx_busy;
	GHashTable *per_uid; /* uid -> connections accepted and not yet destroyed */
	unsigned user_limit; /* per uid other than root; 0: no limit */
	uint64_t refused_limit;
};

struct pl_ipc_client {
	struct pl_ipc_server *srv;
	uint64_t id;
	qb_ipcs_connection_t *conn;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	bool privileged;
	bool accepted;
	uint32_t subs;
	void *user;
	bool dropping;
	bool closed; /* libqb disconnected it (connection_closed ran) */
	guint drop_source;
	uint64_t rejected;
	GQueue backlog;		/* struct queued: messages waiting for room in the channel */
	size_t backlog_bytes;	/* bytes not yet sent */
	size_t backlog_largest; /* the largest message queued since the backlog was empty */
	GSource *backlog_timer;
	guint backlog_timer_ms;
	uint64_t backlog_progress; /* monotonic ms of the last successful send */
	/* The request being received in pieces (rx_total != 0), or skipped after a rejection */
	uint8_t *rx_buf;
	uint32_t rx_total, rx_have, rx_call, rx_type;
	bool rx_skip;
};

/* A message waiting for room in the event channel, whole; `sent` bytes of it went out. */
struct queued {
	enum pl_msg_type type;
	uint32_t call_id;
	int code;
	size_t total;
	size_t sent;
	uint8_t data[];
};

static void rx_clear(struct pl_ipc_client *cl);

/* ---- privilege ---- */

static gid_t haclient_gid;
static bool haclient_known;

static void
resolve_haclient(void)
{
	static GOnce once = G_ONCE_INIT;

	if (g_once_init_enter(&once.retval)) {
		struct group *gr = getgrnam("haclient");

		if (gr != NULL) {
			haclient_gid = gr->gr_gid;
			haclient_known = true;
		} else {
			log_info("ipc: group haclient does not exist: only root may send "
				 "privileged requests");
		}
		g_once_init_leave(&once.retval, GINT_TO_POINTER(1));
	}
}

/* Root, or primary or supplementary member of haclient (resolved once, at connect). */
static bool
is_privileged(uid_t uid, gid_t gid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	gid_t groups[256];
	int n = 256;

	if (uid == 0)
		return true;
	resolve_haclient();
	if (!haclient_known)
		return false;
	if (gid == haclient_gid)
		return true;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return false;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == haclient_gid)
			return true;
	return false;
}

/* ---- sending ---- */

static void backlog_clear(struct pl_ipc_client *cl);

static gboolean
drop_now(gpointer p)
{
	struct pl_ipc_client *cl = p;
	qb_ipcs_connection_t *conn = cl->conn;
	GMainContext *prev = pl__ipc_glue_enter(cl->srv->ctx);

	cl->drop_source = 0;
	/*
	 * libqb may have disconnected it meanwhile (the client hung up): disconnecting twice
	 * releases the connection twice. Our reference keeps cl alive until the unref, where
	 * destroyed (and the client state with it) may run.
	 */
	if (!cl->closed)
		qb_ipcs_disconnect(conn);
	qb_ipcs_connection_unref(conn);
	pl__ipc_glue_leave(prev);
	return G_SOURCE_REMOVE;
}

void
pl_ipc_client_drop(struct pl_ipc_client *cl, const char *reason)
{
	GSource *src;

	if (cl->dropping)
		return;
	cl->dropping = true;
	backlog_clear(cl);
	rx_clear(cl);
	log_warnx("ipc: %s: dropping client pid %d (uid %d): %s", cl->srv->name, (int)cl->pid,
	    (int)cl->uid, reason);
	/* Not from inside libqb's dispatch of this connection: from the loop, holding a ref. */
	qb_ipcs_connection_ref(cl->conn);
	src = g_idle_source_new();
	g_source_set_priority(src, G_PRIORITY_HIGH);
	g_source_set_callback(src, drop_now, cl, NULL);
	cl->drop_source = g_source_attach(src, cl->srv->ctx);
	g_source_unref(src);
}

static void
backlog_timer_stop(struct pl_ipc_client *cl)
{
	if (cl->backlog_timer != NULL) {
		g_source_destroy(cl->backlog_timer);
		g_source_unref(cl->backlog_timer);
		cl->backlog_timer = NULL;
	}
}

static void
backlog_clear(struct pl_ipc_client *cl)
{
	struct queued *q;

	while ((q = g_queue_pop_head(&cl->backlog)) != NULL)
		free(q);
	cl->backlog_bytes = 0;
	backlog_timer_stop(cl);
}

/*
 * Send the frames of one message from `*off` until it is complete (1), the channel is full
 * (0, *off tells how far it got) or sending failed (-1, the client is dropped).
 */
static int
send_frames(struct pl_ipc_client *cl, enum pl_msg_type type, uint32_t call_id, int code,
    const uint8_t *payload, size_t total, size_t *off)
{
	do {
		size_t n = total - *off < PL_IPC_PIECE_MAX ? total - *off : PL_IPC_PIECE_MAX;
		struct pl_ipc_hdr h;
		struct iovec iov[2];
		ssize_t rc;

		pl__ipc_hdr_fill(&h, type, call_id, code, n, total, *off);
		iov[0].iov_base = &h;
		iov[0].iov_len = sizeof(h);
		iov[1].iov_base = (void *)(payload != NULL ? payload + *off : NULL);
		iov[1].iov_len = n;
		rc = qb_ipcs_event_sendv(cl->conn, iov, n > 0 ? 2 : 1);
		if (rc == -EAGAIN || rc == -ENOBUFS)
			return 0;
		if (rc != (ssize_t)(sizeof(h) + n)) {
			char why[160];

			__atomic_add_fetch(&cl->srv->dropped_events, 1, __ATOMIC_RELAXED);
			snprintf(why, sizeof(why), "sending %s failed: %s",
			    type ? pl_msg_name(type) : "status reply",
			    strerror(rc < 0 ? (int)-rc : EIO));
			pl_ipc_client_drop(cl, why);
			return -1;
		}
		*off += n;
		cl->backlog_progress = pl_mono_ms();
	} while (*off < total);
	return 1;
}

/* Send what waits, in order, until the channel is full again. false: the client was dropped. */
static bool
backlog_flush(struct pl_ipc_client *cl)
{
	struct queued *q;

	while ((q = g_queue_peek_head(&cl->backlog)) != NULL) {
		size_t before = q->sent;
		int rc = send_frames(cl, q->type, q->call_id, q->code, q->data, q->total, &q->sent);

		if (rc < 0)
			return false;
		cl->backlog_bytes -= q->sent - before;
		if (rc == 0)
			return true;
		g_queue_pop_head(&cl->backlog);
		free(q);
	}
	return true;
}

static gboolean backlog_retry(gpointer p);

/* Retry every BACKLOG_RETRY_MS, or every millisecond while a message in pieces is going out
 * (each retry moves one or two frames). */
static void
backlog_arm(struct pl_ipc_client *cl)
{
	struct queued *q = g_queue_peek_head(&cl->backlog);
	guint ms = q != NULL && q->total > PL_IPC_PIECE_MAX ? 1 : BACKLOG_RETRY_MS;

	if (q == NULL) {
		backlog_timer_stop(cl);
		return;
	}
	if (cl->backlog_timer != NULL && cl->backlog_timer_ms == ms)
		return;
	backlog_timer_stop(cl);
	cl->backlog_timer = g_timeout_source_new(ms);
	cl->backlog_timer_ms = ms;
	g_source_set_callback(cl->backlog_timer, backlog_retry, cl, NULL);
	g_source_attach(cl->backlog_timer, cl->srv->ctx);
}

static gboolean
backlog_retry(gpointer p)
{
	struct pl_ipc_client *cl = p;
	GMainContext *prev = pl__ipc_glue_enter(cl->srv->ctx);
	bool alive = backlog_flush(cl);

	pl__ipc_glue_leave(prev);
	if (alive && !g_queue_is_empty(&cl->backlog) &&
	    pl_mono_ms() - cl->backlog_progress > BACKLOG_STALL_MS) {
		char why[160];

		snprintf(why, sizeof(why),
		    "it read nothing for %d s (%u messages, %zu bytes "
		    "waiting)",
		    BACKLOG_STALL_MS / 1000, g_queue_get_length(&cl->backlog), cl->backlog_bytes);
		pl_ipc_client_drop(cl, why);
	}
	if (!alive || cl->backlog_timer == NULL)
		return G_SOURCE_REMOVE; /* a drop cleared the backlog and this timer */
	if (!g_queue_is_empty(&cl->backlog)) {
		struct queued *q = g_queue_peek_head(&cl->backlog);
		guint want = q->total > PL_IPC_PIECE_MAX ? 1 : BACKLOG_RETRY_MS;

		if (want == cl->backlog_timer_ms)
			return G_SOURCE_CONTINUE;
	}
	/* Done, or the pace changes: this source ends, backlog_arm starts the right one. */
	g_source_unref(cl->backlog_timer);
	cl->backlog_timer = NULL;
	backlog_arm(cl);
	return G_SOURCE_REMOVE;
}

/*
 * Queue the rest of a message (from `sent`). Bound: BACKLOG_MAX_MSGS messages, and
 * BACKLOG_MIN_BYTES plus BACKLOG_LARGE times the largest message waiting: a handler may
 * answer with a few messages of any size at once, a client may not let them pile up.
 */
static bool
backlog_add(struct pl_ipc_client *cl, enum pl_msg_type type, uint32_t call_id, int code,
    const void *payload, size_t total, size_t sent)
{
	size_t largest = total > cl->backlog_largest ? total : cl->backlog_largest;
	size_t limit = BACKLOG_MIN_BYTES + BACKLOG_LARGE * largest;
	struct queued *q;

	if (g_queue_get_length(&cl->backlog) >= BACKLOG_MAX_MSGS ||
	    cl->backlog_bytes + (total - sent) > limit) {
		char why[160];

		__atomic_add_fetch(&cl->srv->dropped_events, 1, __ATOMIC_RELAXED);
		snprintf(why, sizeof(why),
		    "it does not read its messages (%u messages, %zu bytes "
		    "waiting)",
		    g_queue_get_length(&cl->backlog), cl->backlog_bytes);
		pl_ipc_client_drop(cl, why);
		return false;
	}
	/* Keep the whole payload (offsets stay those of the message), sent part included. */
	q = xmalloc(sizeof(*q) + total);
	q->type = type;
	q->call_id = call_id;
	q->code = code;
	q->total = total;
	q->sent = sent;
	if (total > 0)
		memcpy(q->data, payload, total);
	if (g_queue_is_empty(&cl->backlog)) {
		cl->backlog_progress = pl_mono_ms();
		cl->backlog_largest = 0;
	}
	if (total > cl->backlog_largest)
		cl->backlog_largest = total;
	g_queue_push_tail(&cl->backlog, q);
	cl->backlog_bytes += total - sent;
	backlog_arm(cl);
	return true;
}

static bool
send_msg(struct pl_ipc_client *cl, enum pl_msg_type type, uint32_t call_id, int code,
    const void *payload, size_t len)
{
	size_t off = 0;
	int rc;

	if (cl->dropping)
		return false;
	/* Keep the order: nothing overtakes what already waits. */
	if (!g_queue_is_empty(&cl->backlog)) {
		if (!backlog_flush(cl))
			return false;
		if (!g_queue_is_empty(&cl->backlog))
			return backlog_add(cl, type, call_id, code, payload, len, 0);
	}
	rc = send_frames(cl, type, call_id, code, payload, len, &off);
	if (rc == 0)
		return backlog_add(cl, type, call_id, code, payload, len, off);
	return rc > 0;
}

bool
pl_ipc_reply(struct pl_ipc_client *cl, uint32_t call_id, enum pl_msg_type type, int code,
    const struct pl_pack *payload)
{
	struct pl_error err = PL_ERROR_INIT;
	const void *data = payload ? payload->data : NULL;
	size_t len = payload ? payload->len : 0;

	if (!pl__ipc_check_out(cl->srv->svc, type, PL_DIR_REPLY, data, len, &err)) {
		log_err("ipc: %s: not sending reply: %s", cl->srv->name, err.text);
		return false;
	}
	return send_msg(cl, type, call_id, code, data, len);
}

bool
pl_ipc_reply_status(struct pl_ipc_client *cl, uint32_t call_id, int code, const char *fmt, ...)
{
	struct pl_pack p = PL_PACK_INIT;
	char text[PL_IPC_STATUS_MAXLEN - 8];
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pl_pack_str(&p, text);
	ok = pl_ipc_reply(cl, call_id, PL_MSG_NONE, code, &p);
	pl_pack_free(&p);
	return ok;
}

bool
pl_ipc_event(struct pl_ipc_client *cl, enum pl_msg_type type, const struct pl_pack *payload)
{
	struct pl_error err = PL_ERROR_INIT;
	const void *data = payload ? payload->data : NULL;
	size_t len = payload ? payload->len : 0;

	if (!pl__ipc_check_out(cl->srv->svc, type, PL_DIR_EVENT, data, len, &err)) {
		log_err("ipc: %s: not sending event: %s", cl->srv->name, err.text);
		return false;
	}
	return send_msg(cl, type, 0, 0, data, len);
}

unsigned
pl_ipc_broadcast(
    struct pl_ipc_server *s, uint32_t mask, enum pl_msg_type type, const struct pl_pack *payload)
{
	struct pl_error err = PL_ERROR_INIT;
	const void *data = payload ? payload->data : NULL;
	size_t len = payload ? payload->len : 0;
	unsigned sent = 0;

	if (!pl__ipc_check_out(s->svc, type, PL_DIR_EVENT, data, len, &err)) {
		log_err("ipc: %s: not broadcasting: %s", s->name, err.text);
		return 0;
	}
	/* Drops are deferred, so the list does not change under us. */
	for (GList *l = s->clients; l != NULL; l = l->next) {
		struct pl_ipc_client *cl = l->data;

		if ((cl->subs & mask) != 0 && send_msg(cl, type, 0, 0, data, len))
			sent++;
	}
	return sent;
}

/* ---- the dispatch ---- */

static void reject(struct pl_ipc_client *cl, enum pl_ipc_reject why, uint32_t call_id, int code,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
reject(struct pl_ipc_client *cl, enum pl_ipc_reject why, uint32_t call_id, int code,
    const char *fmt, ...)
{
	struct pl_ipc_server *s = cl->srv;
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&s->rejects[why], 1, __ATOMIC_RELAXED);
	cl->rejected++;
	if (cl->rejected <= REJECT_LOG_FIRST || cl->rejected % REJECT_LOG_EVERY == 0)
		log_warnx("ipc: %s: rejected message from client pid %d (uid %d): %s: %s%s",
		    s->name, (int)cl->pid, (int)cl->uid, pl_ipc_reject_name(why), text,
		    cl->rejected == REJECT_LOG_FIRST ? " (further rejections of this client "
						       "are logged once per 100)"
						     : "");
	if (why == PL_IPC_REJ_FRAMING)
		pl_ipc_client_drop(cl, "broken message framing");
	else
		pl_ipc_reply_status(cl, call_id, code, "%s rejected the message: %s", s->name, text);
}

/* The message being received in pieces, or the rest of a rejected one being skipped. */
static void
rx_clear(struct pl_ipc_client *cl)
{
	free(cl->rx_buf);
	cl->rx_buf = NULL;
	cl->rx_have = cl->rx_total = 0;
	cl->rx_call = 0;
	cl->rx_type = 0;
	cl->rx_skip = false;
}

/* A frame whose header passed framing: a piece of the message in progress. false: broken. */
static bool
rx_continue(struct pl_ipc_client *cl, const struct pl_ipc_hdr *h, const uint8_t *piece)
{
	if (h->offset == 0 || h->offset != cl->rx_have || h->total_len != cl->rx_total ||
	    h->call_id != cl->rx_call || h->type != cl->rx_type)
		return false;
	if (!cl->rx_skip)
		memcpy(cl->rx_buf + h->offset, piece, h->payload_len);
	cl->rx_have += h->payload_len;
	return true;
}

/* Signature, handler, and the handler's call, on a whole payload. */
static void
dispatch_whole(struct pl_ipc_client *cl, const struct pl_ipc_hdr *h, const struct pl_msg_def *def,
    const uint8_t *payload, size_t len)
{
	struct pl_ipc_server *s = cl->srv;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg msg;

	if (!pl_pack_check(def->sig, payload, len, &err)) {
		reject(cl, PL_IPC_REJ_SIG, h->call_id, IPC_RC_PROTOCOL,
		    "%s payload does not match \"%s\": %s", def->name, def->sig, err.text);
		return;
	}
	if (s->handlers[h->type & 0xff] == NULL) {
		reject(cl, PL_IPC_REJ_HANDLER, h->call_id, IPC_RC_UNIMPLEMENTED,
		    "%s is not handled here", def->name);
		return;
	}
	log_trace("ipc", "%s: %s call %u from pid %d, %zu bytes", s->name, def->name, h->call_id,
	    (int)cl->pid, len);
	msg = (struct pl_ipc_msg){ .type = h->type,
		.def = def,
		.call_id = h->call_id,
		.flags = h->flags,
		.code = 0,
		.payload = payload,
		.len = len,
		.owned = NULL };
	s->handlers[h->type & 0xff](cl, &msg, s->arg);
}

static void
dispatch(struct pl_ipc_client *cl, const void *data, size_t size)
{
	struct pl_ipc_server *s = cl->srv;
	const struct pl_msg_def *def;
	struct pl_ipc_hdr h;
	const uint8_t *payload;
	size_t limit;

	/* libqb hands us the size from the header; the ring holds at most bufsize bytes. */
	if (size < sizeof(h) || size > s->bufsize) {
		reject(cl, PL_IPC_REJ_FRAMING, 0, IPC_RC_PROTOCOL,
		    "message size %zu outside %zu..%zu", size, sizeof(h), s->bufsize);
		return;
	}
	memcpy(&h, data, sizeof(h));
	payload = (const uint8_t *)data + sizeof(h);
	if ((size_t)h.qb.size != size || h.payload_len != size - sizeof(h) ||
	    h.qb.id != (int32_t)h.type || h.offset > h.total_len ||
	    h.payload_len > h.total_len - h.offset || (h.payload_len == 0 && h.total_len != 0)) {
		reject(cl, PL_IPC_REJ_FRAMING, 0, IPC_RC_PROTOCOL,
		    "inconsistent header (size %d, piece %u at %u of %u, id %d, type %u)",
		    h.qb.size, h.payload_len, h.offset, h.total_len, h.qb.id, h.type);
		return;
	}
	/* The next piece of a message in progress (or of one being skipped). */
	if (cl->rx_total != 0) {
		if (!rx_continue(cl, &h, payload)) {
			reject(cl, PL_IPC_REJ_FRAMING, 0, IPC_RC_PROTOCOL,
			    "piece at %u of %u (type %u, call %u) does not continue the message "
			    "in progress (%u of %u)",
			    h.offset, h.total_len, h.type, h.call_id, cl->rx_have, cl->rx_total);
			return;
		}
		if (cl->rx_have < cl->rx_total)
			return;
		if (!cl->rx_skip) {
			uint8_t *buf = cl->rx_buf;

			cl->rx_buf = NULL;
			h.payload_len = cl->rx_total;
			rx_clear(cl);
			dispatch_whole(cl, &h, pl_msg_def(h.type), buf, h.payload_len);
			free(buf);
		} else {
			rx_clear(cl);
		}
		return;
	}
	if (h.offset != 0) {
		reject(cl, PL_IPC_REJ_FRAMING, 0, IPC_RC_PROTOCOL,
		    "piece at %u of %u without a first piece", h.offset, h.total_len);
		return;
	}
	/* A new message: everything but the signature is decided on its first frame. If it is
	 * rejected, the rest of its pieces are skipped. */
	if (h.payload_len < h.total_len) {
		cl->rx_total = h.total_len;
		cl->rx_have = h.payload_len;
		cl->rx_call = h.call_id;
		cl->rx_type = h.type;
		cl->rx_skip = true;
	}
	if (h.version != PL_IPC_PROTOCOL_VERSION) {
		reject(cl, PL_IPC_REJ_VERSION, h.call_id, IPC_RC_PROTOCOL,
		    "protocol version %u, expected %u", h.version, PL_IPC_PROTOCOL_VERSION);
		return;
	}
	def = pl_msg_def(h.type);
	if (def == NULL) {
		reject(cl, PL_IPC_REJ_TYPE, h.call_id, IPC_RC_PROTOCOL, "unknown message type %u",
		    h.type);
		return;
	}
	if (def->service != s->svc) {
		reject(cl, PL_IPC_REJ_SERVICE, h.call_id, IPC_RC_PROTOCOL,
		    "%s belongs to service %s", def->name, pl_service_name(def->service));
		return;
	}
	if (def->dir != PL_DIR_REQ) {
		reject(cl, PL_IPC_REJ_DIR, h.call_id, IPC_RC_PROTOCOL, "%s is not a request",
		    def->name);
		return;
	}
	if (def->priv == PL_PRIV_WRITE && !cl->privileged) {
		reject(cl, PL_IPC_REJ_PRIV, h.call_id, IPC_RC_INSUFFICIENT_PRIV,
		    "%s requires root or group haclient (uid %d)", def->name, (int)cl->uid);
		return;
	}
	limit = pl_msg_effective_limit(def->maxlen);
	if (h.total_len > limit) {
		reject(cl, PL_IPC_REJ_LENGTH, h.call_id, IPC_RC_PROTOCOL,
		    "%s payload of %u bytes exceeds its limit of %zu (%s)", def->name, h.total_len,
		    limit, def->maxlen < pl_msg_limit() ? "MAXLEN" : PL_MSG_LIMIT_ENV);
		return;
	}
	if (h.payload_len == h.total_len) {
		dispatch_whole(cl, &h, def, payload, h.payload_len);
		return;
	}
	if (s->handlers[h.type & 0xff] == NULL) {
		reject(cl, PL_IPC_REJ_HANDLER, h.call_id, IPC_RC_UNIMPLEMENTED,
		    "%s is not handled here", def->name);
		return;
	}
	/* Accepted so far: collect the pieces (a private copy, as for a single frame). */
	cl->rx_skip = false;
	cl->rx_buf = xmalloc(h.total_len);
	memcpy(cl->rx_buf, payload, h.payload_len);
}

/* ---- libqb service callbacks ---- */

static int32_t
on_accept(qb_ipcs_connection_t *conn, uid_t uid, gid_t gid)
{
	struct pl_ipc_server *s = qb_ipcs_connection_service_context_get(conn);
	struct pl_ipc_client *cl;
	struct qb_ipcs_connection_stats st;

	if (s == NULL || s->stopping)
		return -ESHUTDOWN;
	cl = XNEW(struct pl_ipc_client);
	cl->srv = s;
	cl->id = ++s->next_id;
	cl->conn = conn;
	cl->uid = uid;
	cl->gid = gid;
	cl->pid = qb_ipcs_connection_stats_get(conn, &st, 0) == 0 ? st.client_pid : 0;
	cl->privileged = is_privileged(uid, gid);
	/* The per-user limit: every connection costs rings in /dev/shm and daemon memory, so a
	 * user may not open them without bound (root is not limited). */
	if (uid != 0 && s->user_limit != 0 &&
	    GPOINTER_TO_UINT(g_hash_table_lookup(s->per_uid, GUINT_TO_POINTER(uid))) >=
		s->user_limit) {
		__atomic_add_fetch(&s->refused_limit, 1, __ATOMIC_RELAXED);
		log_warnx("ipc: %s: refused client pid %d (uid %d): the user already has %u "
			  "connections, the limit (%s)",
		    s->name, (int)cl->pid, (int)uid, s->user_limit, PL_IPC_USER_LIMIT_ENV);
		free(cl);
		return -EUSERS;
	}
	/* libqb grants the larger of the client's and our buffer size: a client asking for more
	 * would make us allocate its rings (3 x size in /dev/shm) for nothing. */
	if (qb_ipcs_connection_get_buffer_size(conn) > (int32_t)s->bufsize) {
		log_warnx(
		    "ipc: %s: refused client pid %d (uid %d): it asks for an IPC buffer of %d "
		    "bytes, the service uses %zu",
		    s->name, (int)cl->pid, (int)uid, qb_ipcs_connection_get_buffer_size(conn),
		    s->bufsize);
		free(cl);
		return -EMSGSIZE;
	}
	qb_ipcs_context_set(conn, cl);
	if (s->ops.accept != NULL && !s->ops.accept(cl, s->arg)) {
		log_info("ipc: %s: refused client pid %d (uid %d)", s->name, (int)cl->pid, (int)uid);
		qb_ipcs_context_set(conn, NULL);
		free(cl);
		return -EACCES;
	}
	/* Only the client's own user may open its shared-memory rings. */
	qb_ipcs_connection_auth_set(conn, uid, gid, 0600);
	cl->accepted = true;
	g_hash_table_insert(s->per_uid, GUINT_TO_POINTER(uid),
	    GUINT_TO_POINTER(
		GPOINTER_TO_UINT(g_hash_table_lookup(s->per_uid, GUINT_TO_POINTER(uid))) + 1));
	return 0;
}

static void
on_created(qb_ipcs_connection_t *conn)
{
	struct pl_ipc_client *cl = qb_ipcs_context_get(conn);
	struct qb_ipcs_connection_stats st;

	if (cl == NULL)
		return;
	if (cl->pid == 0 && qb_ipcs_connection_stats_get(conn, &st, 0) == 0)
		cl->pid = st.client_pid;
	cl->srv->clients = g_list_prepend(cl->srv->clients, cl);
	g_hash_table_insert(cl->srv->by_id, &cl->id, cl);
	__atomic_add_fetch(&cl->srv->nclients, 1, __ATOMIC_RELAXED);
	log_debug("ipc: %s: client pid %d (uid %d%s) connected", cl->srv->name, (int)cl->pid,
	    (int)cl->uid, cl->privileged ? ", privileged" : "");
}

static int32_t
on_msg(qb_ipcs_connection_t *conn, void *data, size_t size)
{
	struct pl_ipc_client *cl = qb_ipcs_context_get(conn);

	if (cl == NULL || cl->dropping)
		return 0;
	/* A client that talks probably reads too: give its backlog a chance first. */
	if (!g_queue_is_empty(&cl->backlog) && !backlog_flush(cl))
		return 0;
	/*
	 * libqb hands us a pointer into the shared-memory ring, which the client can still write:
	 * check and handle a private copy, or a client could change the payload between the
	 * signature check and the handler. The header's size is bounded first; the ring is
	 * mapped so that a buffer-sized read from any message start stays inside it.
	 */
	if (size < sizeof(struct pl_ipc_hdr) || size > cl->srv->bufsize) {
		dispatch(cl, NULL, size); /* rejected on framing without reading */
		return 0;
	}
	if (!cl->srv->rx_busy) {
		cl->srv->rx_busy = true;
		memcpy(cl->srv->rx, data, size);
		dispatch(cl, cl->srv->rx, size);
		cl->srv->rx_busy = false;
	} else {
		/* a handler iterated the loop and we came back in: do not reuse the buffer */
		void *copy = xmemdup(data, size);

		dispatch(cl, copy, size);
		free(copy);
	}
	return 0;
}

static int32_t
on_closed(qb_ipcs_connection_t *conn)
{
	struct pl_ipc_client *cl = qb_ipcs_context_get(conn);

	if (cl != NULL) {
		/* Nothing may be sent any more; a pending drop must not disconnect again. */
		cl->closed = true;
		cl->dropping = true;
		backlog_clear(cl);
	}
	return 0;
}

static void
on_destroyed(qb_ipcs_connection_t *conn)
{
	struct pl_ipc_client *cl = qb_ipcs_context_get(conn);
	struct pl_ipc_server *s;

	if (cl == NULL)
		return;
	s = cl->srv;
	qb_ipcs_context_set(conn, NULL);
	if (g_list_find(s->clients, cl) != NULL) {
		s->clients = g_list_remove(s->clients, cl);
		g_hash_table_remove(s->by_id, &cl->id);
		__atomic_sub_fetch(&s->nclients, 1, __ATOMIC_RELAXED);
	}
	if (cl->drop_source != 0) {
		/* The drop's reference keeps conn alive, so this only happens if it already ran. */
		GSource *src = g_main_context_find_source_by_id(s->ctx, cl->drop_source);

		if (src != NULL)
			g_source_destroy(src);
	}
	backlog_clear(cl);
	rx_clear(cl);
	if (cl->accepted) {
		unsigned n =
		    GPOINTER_TO_UINT(g_hash_table_lookup(s->per_uid, GUINT_TO_POINTER(cl->uid)));

		if (n > 1)
			g_hash_table_insert(
			    s->per_uid, GUINT_TO_POINTER(cl->uid), GUINT_TO_POINTER(n - 1));
		else
			g_hash_table_remove(s->per_uid, GUINT_TO_POINTER(cl->uid));
	}
	log_debug("ipc: %s: client pid %d gone", s->name, (int)cl->pid);
	if (cl->accepted && s->ops.destroyed != NULL)
		s->ops.destroyed(cl, s->arg);
	free(cl);
}

static struct qb_ipcs_service_handlers service_handlers = {
	.connection_accept = on_accept,
	.connection_created = on_created,
	.msg_process = on_msg,
	.connection_closed = on_closed,
	.connection_destroyed = on_destroyed,
};

/* ---- server life cycle ---- */

static unsigned
user_limit_default(void)
{
	const char *env = getenv(PL_IPC_USER_LIMIT_ENV);
	char *end;
	unsigned long v;

	if (env == NULL || *env == '\0')
		return PL_IPC_USER_LIMIT_DEFAULT;
	v = strtoul(env, &end, 10);
	if (*end != '\0' || v > 1000000) {
		log_warnx("ipc: ignoring %s=%s (not a number of connections)",
		    PL_IPC_USER_LIMIT_ENV, env);
		return PL_IPC_USER_LIMIT_DEFAULT;
	}
	return (unsigned)v;
}

void
pl_ipc_server_set_user_limit(struct pl_ipc_server *s, unsigned max)
{
	s->user_limit = max;
}

uint64_t
pl_ipc_server_refused_user_limit(const struct pl_ipc_server *s)
{
	return __atomic_load_n(&s->refused_limit, __ATOMIC_RELAXED);
}

struct pl_ipc_server *
pl_ipc_server_new(enum pl_service svc, GMainContext *ctx, const struct pl_ipc_server_ops *ops,
    void *arg, struct pl_error *err)
{
	struct pl_ipc_server *s;
	GMainContext *prev;
	int32_t rc;

	if (svc <= PL_SVC_NONE || svc >= PL_SVC_COUNT) {
		pl_error_set(err, IPC_RC_SOFTWARE, "no such IPC service %d", (int)svc);
		return NULL;
	}
	s = XNEW(struct pl_ipc_server);
	s->svc = svc;
	s->name = pl_ipc_service_name(svc);
	s->ctx = ctx != NULL ? g_main_context_ref(ctx) : g_main_context_ref(g_main_context_default());
	if (ops != NULL)
		s->ops = *ops;
	s->arg = arg;
	s->bufsize = pl__ipc_buffer_size(svc);
	s->by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	s->per_uid = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->user_limit = user_limit_default();
	s->rx = xmalloc(s->bufsize);
	resolve_haclient();

	s->qbs = qb_ipcs_create(s->name, 0, QB_IPC_NATIVE, &service_handlers);
	if (s->qbs == NULL) {
		pl_error_set(err, IPC_RC_ERROR, "cannot create IPC service %s: %s", s->name,
		    strerror(errno));
		goto fail;
	}
	qb_ipcs_service_context_set(s->qbs, s);
	qb_ipcs_poll_handlers_set(s->qbs, &pl__ipc_poll_handlers);
	qb_ipcs_enforce_buffer_size(s->qbs, (uint32_t)s->bufsize);
	prev = pl__ipc_glue_enter(s->ctx);
	rc = qb_ipcs_run(s->qbs);
	pl__ipc_glue_leave(prev);
	if (rc != 0) {
		pl_error_set(err, IPC_RC_ERROR, "cannot start IPC service %s: %s%s", s->name,
		    strerror(-rc), rc == -EADDRINUSE ? " (is another instance running?)" : "");
		/* libqb released the service itself when qb_ipcs_run failed. */
		s->qbs = NULL;
		goto fail;
	}
	log_info("ipc: serving %s", s->name);
	return s;
fail:
	free(s->rx);
	g_hash_table_destroy(s->per_uid);
	g_hash_table_destroy(s->by_id);
	g_main_context_unref(s->ctx);
	free(s->name);
	free(s);
	return NULL;
}

void
pl_ipc_server_handle(struct pl_ipc_server *s, enum pl_msg_type type, pl_ipc_handler_fn fn)
{
	const struct pl_msg_def *def = pl_msg_def(type);

	if (def == NULL || def->service != s->svc || def->dir != PL_DIR_REQ)
		fatalx("ipc: %s: cannot handle %s: not a request of this service", s->name,
		    pl_msg_name(type));
	s->handlers[type & 0xff] = fn;
}

void
pl_ipc_server_free(struct pl_ipc_server *s)
{
	GList *pending = NULL;
	GMainContext *prev;

	if (s == NULL)
		return;
	s->stopping = true;
	prev = pl__ipc_glue_enter(s->ctx);
	/* Pending drops hold connection references: release them before the service goes.
	 * Releasing one may destroy its client (and change the list): walk a copy. */
	for (GList *l = s->clients; l != NULL; l = l->next)
		if (((struct pl_ipc_client *)l->data)->drop_source != 0)
			pending = g_list_prepend(pending, l->data);
	for (GList *l = pending; l != NULL; l = l->next) {
		struct pl_ipc_client *cl = l->data;

		if (cl->drop_source != 0) {
			GSource *src = g_main_context_find_source_by_id(s->ctx, cl->drop_source);

			cl->drop_source = 0;
			if (src != NULL)
				g_source_destroy(src);
			qb_ipcs_connection_unref(cl->conn); /* may free cl */
		}
	}
	g_list_free(pending);
	qb_ipcs_destroy(s->qbs);
	pl__ipc_glue_leave(prev);
	log_info("ipc: stopped serving %s", s->name);
	g_list_free(s->clients);
	g_hash_table_destroy(s->by_id);
	g_hash_table_destroy(s->per_uid);
	free(s->rx);
	g_main_context_unref(s->ctx);
	free(s->name);
	free(s);
}

const char *
pl_ipc_server_name(const struct pl_ipc_server *s)
{
	return s->name;
}

unsigned
pl_ipc_server_clients(const struct pl_ipc_server *s)
{
	return __atomic_load_n(&s->nclients, __ATOMIC_RELAXED);
}

uint64_t
pl_ipc_server_rejects(const struct pl_ipc_server *s, enum pl_ipc_reject why)
{
	if ((unsigned)why >= PL_IPC_REJ_COUNT)
		return 0;
	return __atomic_load_n(&s->rejects[why], __ATOMIC_RELAXED);
}

uint64_t
pl_ipc_server_dropped_events(const struct pl_ipc_server *s)
{
	return __atomic_load_n(&s->dropped_events, __ATOMIC_RELAXED);
}

/* ---- client accessors ---- */

uid_t
pl_ipc_client_uid(const struct pl_ipc_client *c)
{
	return c->uid;
}
gid_t
pl_ipc_client_gid(const struct pl_ipc_client *c)
{
	return c->gid;
}
pid_t
pl_ipc_client_pid(const struct pl_ipc_client *c)
{
	return c->pid;
}
bool
pl_ipc_client_privileged(const struct pl_ipc_client *c)
{
	return c->privileged;
}
void *
pl_ipc_client_user(const struct pl_ipc_client *c)
{
	return c->user;
}
void
pl_ipc_client_set_user(struct pl_ipc_client *c, void *user)
{
	c->user = user;
}
void
pl_ipc_client_subscribe(struct pl_ipc_client *c, uint32_t mask)
{
	c->subs = mask;
}
uint32_t
pl_ipc_client_subscriptions(const struct pl_ipc_client *c)
{
	return c->subs;
}
struct pl_ipc_server *
pl_ipc_client_server(const struct pl_ipc_client *c)
{
	return c->srv;
}
uint64_t
pl_ipc_client_id(const struct pl_ipc_client *c)
{
	return c->id;
}

void
pl_ipc_server_foreach(
    struct pl_ipc_server *s, void (*fn)(struct pl_ipc_client *c, void *arg), void *arg)
{
	/* Drops are deferred, so fn may drop clients while we walk the list. */
	for (GList *l = s->clients; l != NULL; l = l->next) {
		struct pl_ipc_client *cl = l->data;

		if (!cl->dropping)
			fn(cl, arg);
	}
}

struct pl_ipc_client *
pl_ipc_server_find_client(struct pl_ipc_server *s, uint64_t id)
{
	struct pl_ipc_client *cl = g_hash_table_lookup(s->by_id, &id);

	return cl != NULL && !cl->dropping ? cl : NULL;
}

/* Tests only: the libqb connection of a client. */
qb_ipcs_connection_t *
pl__ipc_client_conn(struct pl_ipc_client *c)
{
	return c->conn;
}

/* Tests only: send raw bytes to a client, unchecked (to exercise the client's checks). */
ssize_t
pl__ipc_event_raw(struct pl_ipc_client *c, const void *msg, size_t len)
{
	return qb_ipcs_event_send(c->conn, msg, len);
}
