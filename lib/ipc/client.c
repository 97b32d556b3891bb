/*
 * client.c - the client side of Paceline IPC: connect with a deadline, synchronous calls,
 * asynchronous calls and events through a GLib main context, and the client's checked
 * dispatch of everything the server sends (framing, version, type, service, direction,
 * length, signature).
 *
 * Everything the server sends (replies and events) arrives on libqb's event channel, in
 * order. A synchronous call reads that channel until its reply comes; what arrives before
 * it is queued and handed to the attached main loop (or pl_ipc_wait_event) afterwards.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <qb/qbipcc.h>

#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "ipc_int.h"

#define DEFAULT_CONNECT_MS 5000
#define SEND_RETRY_MS	   5000	  /* how long a full request channel may hold up a send */
#define MAX_PER_DISPATCH   64	  /* messages handled per wake-up, for fairness */
#define MAX_PENDING	   100000 /* messages kept while a synchronous call waits */

struct acall {
	struct pl_ipc_conn *c;
	uint32_t id;
	enum pl_msg_type req_type;
	enum pl_msg_type reply_type;
	pl_ipc_reply_fn cb;
	void *arg;
	GSource *timer;
};

struct pl_ipc_conn {
	enum pl_service svc;
	char *name;
	qb_ipcc_connection_t *qbc;
	int fd;
	size_t bufsize;
	uint8_t *buf;
	uint32_t next_call;
	bool connected;
	bool closing;  /* pl_ipc_disconnect called while busy: free when idle */
	unsigned busy; /* nesting depth of our own dispatch */
	uint64_t rejects;
	GQueue pending;	   /* received, not yet delivered (struct pl_ipc_msg *) */
	GHashTable *calls; /* call id -> struct acall * */
	/* The message being received in pieces (rx_total != 0), or skipped after a rejection;
	 * rx_buf has room for the header in front, as a delivered message's buffer does. */
	uint8_t *rx_buf;
	uint32_t rx_total, rx_have, rx_call, rx_type;
	int rx_code;
	bool rx_skip;
	GMainContext *ctx;
	GSource *fd_src;
	GSource *idle_src;
	struct pl_ipc_conn_ops ops;
	void *arg;
};

static void conn_lost(struct pl_ipc_conn *c);
static void schedule_pending(struct pl_ipc_conn *c);

/* ---- connect / disconnect ---- */

struct pl_ipc_conn *
pl_ipc_connect(enum pl_service svc, int timeout_ms, struct pl_error *err)
{
	struct pl_ipc_conn *c;
	uint64_t deadline;
	struct pollfd pfd;
	int fd = -1, rc;

	if (svc <= PL_SVC_NONE || svc >= PL_SVC_COUNT) {
		pl_error_set(err, IPC_RC_SOFTWARE, "no such IPC service %d", (int)svc);
		return NULL;
	}
	if (timeout_ms <= 0)
		timeout_ms = DEFAULT_CONNECT_MS;
	c = XNEW(struct pl_ipc_conn);
	c->svc = svc;
	c->name = pl_ipc_service_name(svc);
	c->bufsize = pl__ipc_buffer_size(svc);
	g_queue_init(&c->pending);
	c->calls = g_hash_table_new(g_direct_hash, g_direct_equal);

	c->qbc = qb_ipcc_connect_async(c->name, c->bufsize, &fd);
	if (c->qbc == NULL) {
		pl_error_set(err, IPC_RC_NOT_CONNECTED,
		    "Could not connect to %s: %s (is the daemon running?)", c->name, strerror(errno));
		goto fail;
	}
	/* The daemon accepted the socket; wait for its answer with a deadline. */
	deadline = pl_deadline((uint64_t)timeout_ms);
	pfd.fd = fd;
	pfd.events = POLLIN;
	do {
		rc = poll(&pfd, 1, (int)pl_deadline_left(deadline));
	} while (rc < 0 && errno == EINTR);
	if (rc <= 0) {
		pl_error_set(err, IPC_RC_NOT_CONNECTED,
		    "Could not connect to %s: %s (is the daemon running?)", c->name,
		    rc == 0 ? "no answer within the connect timeout" : strerror(errno));
		close(fd);
		qb_ipcc_disconnect(c->qbc);
		c->qbc = NULL;
		goto fail;
	}
	rc = qb_ipcc_connect_continue(c->qbc);
	if (rc != 0) {
		/* libqb has released the connection. */
		c->qbc = NULL;
		if (rc == -EUSERS)
			pl_error_set(err, PL_EXIT_TEMPFAIL,
			    "Could not connect to %s: this user "
			    "already holds the daemon's limit of connections per user "
			    "(%s; close some, or raise it)",
			    c->name, PL_IPC_USER_LIMIT_ENV);
		else
			pl_error_set(err, IPC_RC_NOT_CONNECTED,
			    "Could not connect to %s: %s (is the daemon running?)", c->name,
			    rc == -EACCES ? "connection refused by the daemon" : strerror(-rc));
		goto fail;
	}
	qb_ipcc_fd_get(c->qbc, &c->fd);
	c->bufsize = (size_t)qb_ipcc_get_buffer_size(c->qbc);
	c->buf = xmalloc(c->bufsize);
	c->connected = true;
	log_debug("ipc: connected to %s (buffer %zu bytes)", c->name, c->bufsize);
	return c;
fail:
	g_hash_table_destroy(c->calls);
	free(c->name);
	free(c);
	return NULL;
}

static void
detach(struct pl_ipc_conn *c)
{
	if (c->fd_src != NULL) {
		g_source_destroy(c->fd_src);
		g_source_unref(c->fd_src);
		c->fd_src = NULL;
	}
	if (c->idle_src != NULL) {
		g_source_destroy(c->idle_src);
		g_source_unref(c->idle_src);
		c->idle_src = NULL;
	}
}

static void
acall_free(struct acall *a)
{
	if (a->timer != NULL) {
		g_source_destroy(a->timer);
		g_source_unref(a->timer);
	}
	free(a);
}

/* Complete every outstanding asynchronous call with "not connected". */
static void
fail_calls(struct pl_ipc_conn *c, const char *why)
{
	struct pl_error err = PL_ERROR_INIT;
	GHashTableIter it;
	gpointer key, val;
	GList *calls = NULL;

	g_hash_table_iter_init(&it, c->calls);
	while (g_hash_table_iter_next(&it, &key, &val))
		calls = g_list_prepend(calls, val);
	g_hash_table_remove_all(c->calls);
	for (GList *l = calls; l != NULL; l = l->next) {
		struct acall *a = l->data;

		pl_error_set(&err, IPC_RC_NOT_CONNECTED, "%s call to %s failed: %s",
		    pl_msg_name(a->req_type), c->name, why);
		a->cb(c, NULL, &err, a->arg);
		acall_free(a);
	}
	g_list_free(calls);
}

static void
conn_free(struct pl_ipc_conn *c)
{
	struct pl_ipc_msg *m;

	while ((m = g_queue_pop_head(&c->pending)) != NULL) {
		pl_ipc_msg_clear(m);
		free(m);
	}
	g_hash_table_destroy(c->calls);
	if (c->ctx != NULL)
		g_main_context_unref(c->ctx);
	free(c->rx_buf);
	free(c->buf);
	free(c->name);
	free(c);
}

void
pl_ipc_disconnect(struct pl_ipc_conn *c)
{
	if (c == NULL || c->closing)
		return;
	c->closing = true;
	detach(c);
	c->busy++;
	fail_calls(c, "disconnected by the client");
	c->busy--;
	if (c->qbc != NULL) {
		qb_ipcc_disconnect(c->qbc);
		c->qbc = NULL;
	}
	c->connected = false;
	if (c->busy == 0)
		conn_free(c);
}

/* Leave our own dispatch; free the connection if it was closed meanwhile. */
static bool
unbusy(struct pl_ipc_conn *c)
{
	c->busy--;
	if (c->closing && c->busy == 0) {
		conn_free(c);
		return false;
	}
	return !c->closing;
}

bool
pl_ipc_connected(const struct pl_ipc_conn *c)
{
	return c != NULL && c->connected;
}

const char *
pl_ipc_conn_name(const struct pl_ipc_conn *c)
{
	return c->name;
}

uint64_t
pl_ipc_conn_rejects(const struct pl_ipc_conn *c)
{
	return c->rejects;
}

/* ---- sending ---- */

static uint32_t
send_req(struct pl_ipc_conn *c, enum pl_msg_type type, const struct pl_pack *payload,
    struct pl_error *err)
{
	const uint8_t *data = payload ? payload->data : NULL;
	size_t len = payload ? payload->len : 0, off = 0;
	struct pl_ipc_hdr h;
	struct iovec iov[2];
	uint32_t id;
	ssize_t rc = 0;
	bool sent = false;

	if (!c->connected) {
		pl_error_set(err, IPC_RC_NOT_CONNECTED, "Not connected to %s", c->name);
		return 0;
	}
	if (!pl__ipc_check_out(c->svc, type, PL_DIR_REQ, data, len, err)) {
		pl_error_prefix(err, "not sending to %s: ", c->name);
		return 0;
	}
	id = ++c->next_call;
	if (id == 0)
		id = ++c->next_call;
	/* One frame, or consecutive pieces of at most PL_IPC_PIECE_MAX bytes. */
	do {
		size_t n = len - off < PL_IPC_PIECE_MAX ? len - off : PL_IPC_PIECE_MAX;
		uint64_t deadline = 0;

		pl__ipc_hdr_fill(&h, type, id, 0, n, len, off);
		iov[0].iov_base = &h;
		iov[0].iov_len = sizeof(h);
		iov[1].iov_base = (void *)(data != NULL ? data + off : NULL);
		iov[1].iov_len = n;
		for (gulong pause_us = 5;; pause_us = pause_us < 1000 ? pause_us * 2 : 1000) {
			rc = qb_ipcc_sendv(c->qbc, iov, n > 0 ? 2 : 1);
			if (rc != -EAGAIN)
				break;
			/*
			 * The request ring has no room: the server has not yet taken the previous
			 * frame, or answered our previous request and has not yet released its
			 * ring space (libqb does that after the handler returns). Back off from a
			 * few microseconds to 1 ms, within a bound on no progress. There is no
			 * descriptor to wait on.
			 */
			if (deadline == 0)
				deadline = pl_deadline(SEND_RETRY_MS);
			else if (pl_deadline_left(deadline) == 0)
				break;
			g_usleep(pause_us);
		}
		if (rc != (ssize_t)(sizeof(h) + n))
			break;
		off += n;
		sent = off == len;
	} while (off < len);
	if (sent)
		return id;
	if (!qb_ipcc_is_connected(c->qbc)) {
		pl_error_set(err, IPC_RC_NOT_CONNECTED, "Lost connection to %s", c->name);
		conn_lost(c);
	} else if (rc == -EAGAIN) {
		pl_error_set(err, IPC_RC_TIMEOUT,
		    "Could not send %s to %s: the daemon is not "
		    "reading its requests",
		    pl_msg_name(type), c->name);
	} else {
		pl_error_set(err, IPC_RC_ERROR, "Could not send %s to %s: %s", pl_msg_name(type),
		    c->name, strerror(rc < 0 ? (int)-rc : EIO));
	}
	if (off > 0 && off < len) {
		/* The server holds a partial message it cannot finish: only a new connection
		 * can resynchronise. */
		pl_error_prefix(err, "(connection closed after a partial message) ");
		qb_ipcc_disconnect(c->qbc);
		c->qbc = NULL;
		conn_lost(c);
	}
	return 0;
}

uint32_t
pl_ipc_send(struct pl_ipc_conn *c, enum pl_msg_type type, const struct pl_pack *payload,
    struct pl_error *err)
{
	return send_req(c, type, payload, err);
}

ssize_t
pl__ipc_send_raw(struct pl_ipc_conn *c, const void *msg, size_t len)
{
	return qb_ipcc_send(c->qbc, msg, len);
}

/* ---- receiving: the client's checked dispatch ---- */

/* Framing of one received frame in c->buf (n bytes): header consistent with what arrived. */
static bool
check_frame(struct pl_ipc_conn *c, size_t n, struct pl_ipc_hdr *h, struct pl_error *err)
{
	if (n < sizeof(*h)) {
		pl_error_set(
		    err, IPC_RC_PROTOCOL, "message of %zu bytes is shorter than the header", n);
		return false;
	}
	memcpy(h, c->buf, sizeof(*h));
	if ((size_t)h->qb.size != n || h->payload_len != n - sizeof(*h) ||
	    h->qb.id != (int32_t)h->type || h->offset > h->total_len ||
	    h->payload_len > h->total_len - h->offset || (h->payload_len == 0 && h->total_len != 0)) {
		pl_error_set(err, IPC_RC_PROTOCOL,
		    "inconsistent header (received %zu bytes, size %d, "
		    "piece %u at %u of %u)",
		    n, h->qb.size, h->payload_len, h->offset, h->total_len);
		return false;
	}
	return true;
}

/* What a first frame says about its message: version, type, service, direction, length. */
static bool
check_first(struct pl_ipc_conn *c, const struct pl_ipc_hdr *h, struct pl_error *err)
{
	const struct pl_msg_def *def;

	if (h->version != PL_IPC_PROTOCOL_VERSION) {
		pl_error_set(err, IPC_RC_PROTOCOL, "protocol version %u, expected %u", h->version,
		    PL_IPC_PROTOCOL_VERSION);
		return false;
	}
	if (h->type == PL_MSG_NONE) {
		if (h->call_id == 0 || h->total_len > PL_IPC_STATUS_MAXLEN) {
			pl_error_set(err, IPC_RC_PROTOCOL, "malformed status reply");
			return false;
		}
		return true;
	}
	def = pl_msg_def(h->type);
	if (def == NULL) {
		pl_error_set(err, IPC_RC_PROTOCOL, "unknown message type %u", h->type);
		return false;
	}
	if (def->service != c->svc) {
		pl_error_set(err, IPC_RC_PROTOCOL, "%s belongs to service %s", def->name,
		    pl_service_name(def->service));
		return false;
	}
	if (def->dir == PL_DIR_REQ || (def->dir == PL_DIR_REPLY && h->call_id == 0)) {
		pl_error_set(err, IPC_RC_PROTOCOL, "%s is not a reply or an event", def->name);
		return false;
	}
	if (h->total_len > pl__ipc_type_limit(h->type)) {
		pl_error_set(err, IPC_RC_PROTOCOL, "%s payload of %u bytes exceeds its limit of %zu",
		    def->name, h->total_len, pl__ipc_type_limit(h->type));
		return false;
	}
	return true;
}

/* The whole payload against the signature. */
static bool
check_payload(enum pl_msg_type type, const uint8_t *payload, size_t len, struct pl_error *err)
{
	const struct pl_msg_def *def = pl_msg_def(type);

	if (type == PL_MSG_NONE) {
		if (!pl_pack_check("s", payload, len, err)) {
			pl_error_set(err, IPC_RC_PROTOCOL, "malformed status reply");
			return false;
		}
		return true;
	}
	if (!pl_pack_check(def->sig, payload, len, err)) {
		pl_error_prefix(err, "%s payload does not match \"%s\": ", def->name, def->sig);
		err->code = IPC_RC_PROTOCOL;
		return false;
	}
	return true;
}

static void
rx_clear(struct pl_ipc_conn *c)
{
	free(c->rx_buf);
	c->rx_buf = NULL;
	c->rx_total = c->rx_have = c->rx_call = c->rx_type = 0;
	c->rx_skip = false;
}

/*
 * Read one frame. 1: a whole message, *out filled (owned); 3: a piece of a message was taken
 * (more to come); 0: nothing within timeout_ms; -1: connection lost; 2: a message was rejected
 * (counted, logged); when it was a reply, *bad_call is its call id and err says why.
 */
static int
read_one(struct pl_ipc_conn *c, int timeout_ms, struct pl_ipc_msg *out, uint32_t *bad_call,
    struct pl_error *err)
{
	struct pl_ipc_hdr h;
	const uint8_t *piece = c->buf + sizeof(h);
	uint8_t *whole;
	ssize_t n;

	*bad_call = 0;
	if (!c->connected)
		return -1;
	n = qb_ipcc_event_recv(c->qbc, c->buf, c->bufsize, timeout_ms);
	if (n == -EAGAIN || n == -ETIMEDOUT)
		return qb_ipcc_is_connected(c->qbc) ? 0 : -1;
	if (n < 0)
		return -1;
	if (!check_frame(c, (size_t)n, &h, err))
		goto bad;
	if (c->rx_total != 0) { /* the next piece of the message in progress */
		if (h.offset == 0 || h.offset != c->rx_have || h.total_len != c->rx_total ||
		    h.call_id != c->rx_call || h.type != c->rx_type) {
			pl_error_set(err, IPC_RC_PROTOCOL,
			    "piece at %u of %u does not continue the "
			    "message in progress (%u of %u)",
			    h.offset, h.total_len, c->rx_have, c->rx_total);
			h.call_id = c->rx_skip ? 0 : c->rx_call;
			rx_clear(c);
			goto bad;
		}
		if (!c->rx_skip)
			memcpy(c->rx_buf + sizeof(h) + h.offset, piece, h.payload_len);
		c->rx_have += h.payload_len;
		if (c->rx_have < c->rx_total)
			return 3;
		if (c->rx_skip) {
			rx_clear(c);
			return 3;
		}
		whole = c->rx_buf;
		c->rx_buf = NULL;
		h.payload_len = c->rx_total;
		h.qb.error = c->rx_code;
		rx_clear(c);
	} else {
		if (h.offset != 0) {
			pl_error_set(err, IPC_RC_PROTOCOL,
			    "piece at %u of %u without a first piece", h.offset, h.total_len);
			goto bad;
		}
		if (h.payload_len < h.total_len) {
			c->rx_total = h.total_len;
			c->rx_have = h.payload_len;
			c->rx_call = h.call_id;
			c->rx_type = h.type;
			c->rx_code = h.qb.error;
			c->rx_skip = true;
		}
		if (!check_first(c, &h, err))
			goto bad;
		if (h.payload_len < h.total_len) {
			/* Collect the pieces; the signature is checked on the whole. */
			c->rx_skip = false;
			c->rx_buf = xmalloc(sizeof(h) + h.total_len);
			memcpy(c->rx_buf + sizeof(h), piece, h.payload_len);
			return 3;
		}
		whole = xmemdup(c->buf, (size_t)n);
	}
	if (!check_payload(h.type, whole + sizeof(h), h.payload_len, err)) {
		free(whole);
		goto bad;
	}
	memcpy(whole, &h, sizeof(h));
	out->owned = whole;
	out->type = h.type;
	out->def = pl_msg_def(h.type);
	out->call_id = h.call_id;
	out->flags = h.flags;
	out->code = h.qb.error;
	out->payload = whole + sizeof(h);
	out->len = h.payload_len;
	return 1;
bad:
	c->rejects++;
	log_warnx("ipc: %s: dropped a malformed message from the daemon: %s", c->name, err->text);
	if ((size_t)n >= sizeof(h) && h.call_id != 0)
		*bad_call = h.call_id;
	return 2;
}

static bool
is_event(const struct pl_ipc_msg *m)
{
	return m->def != NULL && m->def->dir == PL_DIR_EVENT;
}

/* Turn a reply into the caller's verdict: type as expected and code 0. */
static bool
judge_reply(struct pl_ipc_conn *c, const struct pl_ipc_msg *m, enum pl_msg_type req,
    enum pl_msg_type expect, struct pl_error *err)
{
	if (m->type != PL_MSG_NONE && m->type != expect) {
		pl_error_set(err, IPC_RC_PROTOCOL, "%s answered %s with %s instead of %s", c->name,
		    pl_msg_name(req), pl_msg_name(m->type),
		    expect ? pl_msg_name(expect) : "a status reply");
		return false;
	}
	if (m->code != 0) {
		if (m->type == PL_MSG_NONE && *pl_ipc_msg_status_text(m) != '\0')
			pl_error_set(err, m->code, "%s", pl_ipc_msg_status_text(m));
		else
			pl_error_set(err, m->code, "%s answered %s with error code %d", c->name,
			    pl_msg_name(req), m->code);
		return false;
	}
	return true;
}

/* Hand one received message to whoever waits for it (main-loop side). Consumes m. */
static void
deliver(struct pl_ipc_conn *c, struct pl_ipc_msg *m)
{
	struct pl_error err = PL_ERROR_INIT;
	struct acall *a;

	if (is_event(m)) {
		if (c->ops.event != NULL)
			c->ops.event(c, m, c->arg);
	} else if ((a = g_hash_table_lookup(c->calls, GUINT_TO_POINTER(m->call_id))) != NULL) {
		g_hash_table_remove(c->calls, GUINT_TO_POINTER(m->call_id));
		if (judge_reply(c, m, a->req_type, a->reply_type, &err))
			a->cb(c, m, NULL, a->arg);
		else
			a->cb(c, m, &err, a->arg);
		acall_free(a);
	} else if (m->code != 0) {
		/* A request sent without waiting was refused: say so once. */
		log_warnx("ipc: %s refused request %u: %s", c->name, m->call_id,
		    m->type == PL_MSG_NONE ? pl_ipc_msg_status_text(m) : pl_msg_name(m->type));
	} else {
		log_debug("ipc: %s: reply to call %u that nobody waits for", c->name, m->call_id);
	}
	pl_ipc_msg_clear(m);
	free(m);
}

/* A malformed reply to an asynchronous call fails that call now instead of at its timeout. */
static void
fail_bad_call(struct pl_ipc_conn *c, uint32_t id, const struct pl_error *err)
{
	struct acall *a = g_hash_table_lookup(c->calls, GUINT_TO_POINTER(id));

	if (a == NULL)
		return;
	g_hash_table_remove(c->calls, GUINT_TO_POINTER(id));
	a->cb(c, NULL, err, a->arg);
	acall_free(a);
}

static void
conn_lost(struct pl_ipc_conn *c)
{
	if (!c->connected)
		return;
	c->connected = false;
	log_warnx("ipc: lost connection to %s", c->name);
	if (c->fd_src != NULL) {
		g_source_destroy(c->fd_src);
		g_source_unref(c->fd_src);
		c->fd_src = NULL;
	}
	if (c->ctx != NULL) {
		/* Queued messages first, then the failures, then the news. */
		schedule_pending(c);
	}
}

static void
finish_lost(struct pl_ipc_conn *c)
{
	fail_calls(c, "lost connection");
	if (c->ops.disconnected != NULL && !c->closing)
		c->ops.disconnected(c, c->arg);
}

/* Hand over what a synchronous call kept, oldest first. A callback may make another call
 * that keeps more: those are newer, queued behind, and handed over in this same loop. */
static void
drain_pending(struct pl_ipc_conn *c)
{
	struct pl_ipc_msg *m;

	while (!c->closing && (m = g_queue_pop_head(&c->pending)) != NULL)
		deliver(c, m);
}

static gboolean
pending_run(gpointer p)
{
	struct pl_ipc_conn *c = p;

	g_source_unref(c->idle_src);
	c->idle_src = NULL;
	c->busy++;
	drain_pending(c);
	if (!c->closing && !c->connected)
		finish_lost(c);
	unbusy(c);
	return G_SOURCE_REMOVE;
}

static void
schedule_pending(struct pl_ipc_conn *c)
{
	if (c->ctx == NULL || c->idle_src != NULL || c->closing)
		return;
	c->idle_src = g_idle_source_new();
	g_source_set_priority(c->idle_src, G_PRIORITY_DEFAULT);
	g_source_set_callback(c->idle_src, pending_run, c, NULL);
	g_source_attach(c->idle_src, c->ctx);
}

static gboolean
fd_ready(gint fd, GIOCondition cond, gpointer p)
{
	struct pl_ipc_conn *c = p;
	struct pl_error err = PL_ERROR_INIT;
	uint32_t bad;
	int rc = 0;

	c->busy++;
	for (int i = 0; i < MAX_PER_DISPATCH && !c->closing && c->connected; i++) {
		struct pl_ipc_msg *m = XNEW(struct pl_ipc_msg);

		rc = read_one(c, 0, m, &bad, &err);
		if (rc != 1)
			free(m);
		if (rc == 1 && !g_queue_is_empty(&c->pending)) {
			/* Messages kept by a synchronous call (made by a callback of this very
			 * loop) are older than this one: they go first, so that every message is
			 * handed over in the order the daemon sent it. */
			g_queue_push_tail(&c->pending, m);
			drain_pending(c);
		} else if (rc == 1)
			deliver(c, m);
		else if (rc == 2 && bad != 0)
			fail_bad_call(c, bad, &err);
		else if (rc == 0 || rc == -1)
			break;
	}
	if (rc == -1 && !c->closing && c->connected) {
		conn_lost(c);
	}
	return unbusy(c) && c->connected ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void
pl_ipc_conn_attach(
    struct pl_ipc_conn *c, GMainContext *ctx, const struct pl_ipc_conn_ops *ops, void *arg)
{
	detach(c);
	if (c->ctx != NULL)
		g_main_context_unref(c->ctx);
	c->ctx = g_main_context_ref(ctx != NULL ? ctx : g_main_context_default());
	if (ops != NULL)
		c->ops = *ops;
	c->arg = arg;
	if (c->connected) {
		c->fd_src = g_unix_fd_source_new(c->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
		g_source_set_callback(c->fd_src, G_SOURCE_FUNC(fd_ready), c, NULL);
		g_source_attach(c->fd_src, c->ctx);
	}
	if (!g_queue_is_empty(&c->pending) || !c->connected)
		schedule_pending(c);
}

/* ---- calls ---- */

/*
 * A message read while waiting for something else. Attached: queue it for the main loop.
 * Not attached: no asynchronous calls exist, so a reply is nobody's (logged if it reports an
 * error, then dropped) and only events are kept, for pl_ipc_wait_event. The queue is bounded.
 */
static void
keep(struct pl_ipc_conn *c, struct pl_ipc_msg *m)
{
	struct pl_ipc_msg *copy;

	if (c->ctx == NULL && !is_event(m)) {
		deliver(c, xmemdup(m, sizeof(*m)));
		memset(m, 0, sizeof(*m));
		return;
	}
	if (g_queue_get_length(&c->pending) >= MAX_PENDING) {
		struct pl_ipc_msg *old = g_queue_pop_head(&c->pending);

		log_warnx("ipc: %s: more than %d unread messages, dropping the oldest (%s)",
		    c->name, MAX_PENDING, old->type ? pl_msg_name(old->type) : "status reply");
		pl_ipc_msg_clear(old);
		free(old);
	}
	copy = xmemdup(m, sizeof(*m));
	memset(m, 0, sizeof(*m));
	g_queue_push_tail(&c->pending, copy);
	schedule_pending(c);
}

/* Read until the reply to call `id` arrives; keep everything else for the main loop. */
bool
pl__ipc_wait_reply(struct pl_ipc_conn *c, uint32_t id, const char *what, int timeout_ms,
    struct pl_ipc_msg *out, struct pl_error *err)
{
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	uint64_t deadline;
	uint32_t bad;
	int rc;

	if (timeout_ms <= 0)
		timeout_ms = PL_IPC_DEFAULT_CALL_MS;
	deadline = pl_deadline((uint64_t)timeout_ms);
	for (;;) {
		uint64_t left = pl_deadline_left(deadline);

		if (left == 0) {
			pl_error_set(err, IPC_RC_TIMEOUT, "%s did not answer %s within %d ms",
			    c->name, what, timeout_ms);
			return false;
		}
		rc = read_one(c, (int)(left > 1000 ? 1000 : left), &m, &bad, err);
		if (rc == -1) {
			pl_error_set(err, IPC_RC_NOT_CONNECTED,
			    "Lost connection to %s while waiting "
			    "for the answer to %s",
			    c->name, what);
			conn_lost(c);
			return false;
		}
		if (rc == 2 && bad == id) {
			pl_error_prefix(err, "%s sent a malformed answer to %s: ", c->name, what);
			err->code = IPC_RC_PROTOCOL;
			return false;
		}
		/* A malformed reply to another (asynchronous) call: no callbacks from here,
		 * that call ends at its own timeout. */
		if (rc != 1)
			continue;
		if (!is_event(&m) && m.call_id == id) {
			*out = m;
			return true;
		}
		keep(c, &m);
	}
}

bool
pl_ipc_call(struct pl_ipc_conn *c, enum pl_msg_type type, const struct pl_pack *payload,
    enum pl_msg_type reply_type, int timeout_ms, struct pl_ipc_msg *reply, struct pl_error *err)
{
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	uint32_t id;
	bool ok;

	if (reply != NULL)
		memset(reply, 0, sizeof(*reply));
	id = send_req(c, type, payload, err);
	if (id == 0)
		return false;
	if (!pl__ipc_wait_reply(c, id, pl_msg_name(type), timeout_ms, &m, err))
		return false;
	ok = judge_reply(c, &m, type, reply_type, err);
	if (reply != NULL)
		*reply = m;
	else
		pl_ipc_msg_clear(&m);
	return ok;
}

static gboolean
acall_timeout(gpointer p)
{
	struct acall *a = p;
	struct pl_ipc_conn *c = a->c;
	struct pl_error err = PL_ERROR_INIT;

	g_source_unref(a->timer);
	a->timer = NULL;
	g_hash_table_remove(c->calls, GUINT_TO_POINTER(a->id));
	pl_error_set(&err, IPC_RC_TIMEOUT, "%s did not answer %s within the timeout", c->name,
	    pl_msg_name(a->req_type));
	c->busy++;
	a->cb(c, NULL, &err, a->arg);
	acall_free(a);
	unbusy(c);
	return G_SOURCE_REMOVE;
}

uint32_t
pl_ipc_call_async(struct pl_ipc_conn *c, enum pl_msg_type type, const struct pl_pack *payload,
    enum pl_msg_type reply_type, int timeout_ms, pl_ipc_reply_fn cb, void *arg, struct pl_error *err)
{
	struct acall *a;
	uint32_t id;

	if (c->ctx == NULL) {
		pl_error_set(err, IPC_RC_SOFTWARE,
		    "asynchronous call to %s on a connection that is "
		    "not attached to a main loop",
		    c->name);
		return 0;
	}
	id = send_req(c, type, payload, err);
	if (id == 0)
		return 0;
	a = XNEW(struct acall);
	a->c = c;
	a->id = id;
	a->req_type = type;
	a->reply_type = reply_type;
	a->cb = cb;
	a->arg = arg;
	if (timeout_ms > 0) {
		a->timer = g_timeout_source_new((guint)timeout_ms);
		g_source_set_callback(a->timer, acall_timeout, a, NULL);
		g_source_attach(a->timer, c->ctx);
	}
	g_hash_table_insert(c->calls, GUINT_TO_POINTER(id), a);
	return id;
}

static bool
wanted(const struct pl_ipc_msg *m, enum pl_msg_type type)
{
	return is_event(m) && (type == PL_MSG_NONE || m->type == type);
}

bool
pl_ipc_wait_event_type(struct pl_ipc_conn *c, enum pl_msg_type type, int timeout_ms,
    struct pl_ipc_msg *ev, struct pl_error *err)
{
	uint64_t deadline = pl_deadline(timeout_ms > 0 ? (uint64_t)timeout_ms : 0);
	struct pl_ipc_msg *m;
	uint32_t bad;
	int rc;

	memset(ev, 0, sizeof(*ev));
	for (GList *l = c->pending.head; l != NULL; l = l->next) {
		m = l->data;
		if (wanted(m, type)) {
			g_queue_delete_link(&c->pending, l);
			*ev = *m;
			free(m);
			return true;
		}
	}
	for (;;) {
		rc = read_one(c, (int)pl_deadline_left(deadline), ev, &bad, err);
		if (rc == 1 && wanted(ev, type))
			return true;
		if (rc == 1)
			keep(c, ev);
		if (rc == 3)
			continue; /* a piece: read on while the rest is there */
		if (rc == -1) {
			pl_error_set(err, IPC_RC_NOT_CONNECTED, "Lost connection to %s", c->name);
			conn_lost(c);
			return false;
		}
		if (pl_deadline_left(deadline) == 0) {
			pl_error_set(err, IPC_RC_TIMEOUT, "no %s from %s within %d ms",
			    type == PL_MSG_NONE ? "event" : pl_msg_name(type), c->name, timeout_ms);
			return false;
		}
	}
}

bool
pl_ipc_wait_event(struct pl_ipc_conn *c, int timeout_ms, struct pl_ipc_msg *ev, struct pl_error *err)
{
	return pl_ipc_wait_event_type(c, PL_MSG_NONE, timeout_ms, ev, err);
}
