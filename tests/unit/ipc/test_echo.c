/*
 * test_echo.c - lib/ipc over real libqb IPC: the ECHO service runs in a thread with its own
 * GMainContext, the tests are its clients (in this thread or in forked children).
 * Service names are unique per run (PL_IPC_PREFIX). Waits poll a condition with a deadline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <qb/qbipcc.h>

#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "../../../lib/ipc/ipc_int.h"
#include "echo_service.h"

#define WAIT_MS 5000

static struct {
	GMainContext *ctx;
	GMainLoop *loop;
	GThread *thread;
	struct pl_ipc_server *srv;
	struct echo_stats st;
	char prefix[64];
	GMutex log_lock;
	GString *log; /* warnings logged (any thread) */
} S;

/* ---- helpers ---- */

static void
log_hook(enum pl_log_level level, const char *line, void *arg)
{
	if (level > PL_LOG_WARNING)
		return;
	g_mutex_lock(&S.log_lock);
	g_string_append(S.log, line);
	g_string_append_c(S.log, '\n');
	g_mutex_unlock(&S.log_lock);
}

static bool
log_contains(const char *needle)
{
	bool found;

	g_mutex_lock(&S.log_lock);
	found = strstr(S.log->str, needle) != NULL;
	g_mutex_unlock(&S.log_lock);
	return found;
}

static gpointer
server_main(gpointer p)
{
	g_main_context_push_thread_default(S.ctx);
	g_main_loop_run(S.loop);
	g_main_context_pop_thread_default(S.ctx);
	return NULL;
}

/* Run fn(arg) in the server thread and wait for it. */
struct invoke {
	void (*fn)(void *);
	void *arg;
	int done;
};

static gboolean
invoke_cb(gpointer p)
{
	struct invoke *iv = p;

	iv->fn(iv->arg);
	__atomic_store_n(&iv->done, 1, __ATOMIC_RELEASE);
	return G_SOURCE_REMOVE;
}

static void
in_server(void (*fn)(void *), void *arg)
{
	struct invoke iv = { fn, arg, 0 };
	uint64_t deadline = pl_deadline(WAIT_MS);

	g_main_context_invoke(S.ctx, invoke_cb, &iv);
	while (!__atomic_load_n(&iv.done, __ATOMIC_ACQUIRE) && pl_deadline_left(deadline) > 0)
		g_usleep(200);
	assert_true(iv.done);
}

/* Poll a condition on an unsigned counter with a deadline. */
static bool
wait_count(const unsigned *counter, unsigned want)
{
	uint64_t deadline = pl_deadline(WAIT_MS);

	while (__atomic_load_n(counter, __ATOMIC_RELAXED) < want) {
		if (pl_deadline_left(deadline) == 0)
			return false;
		g_usleep(500);
	}
	return true;
}

static bool
wait_rejects(enum pl_ipc_reject why, uint64_t want)
{
	uint64_t deadline = pl_deadline(WAIT_MS);

	while (pl_ipc_server_rejects(S.srv, why) < want) {
		if (pl_deadline_left(deadline) == 0)
			return false;
		g_usleep(500);
	}
	return true;
}

/* Iterate a client-side context until *flag is set or the deadline passes. */
static bool
iterate_until(GMainContext *ctx, const int *flag, int want)
{
	uint64_t deadline = pl_deadline(WAIT_MS);

	while (*flag < want && pl_deadline_left(deadline) > 0)
		g_main_context_iteration(ctx, FALSE) || (g_usleep(100), 0);
	return *flag >= want;
}

static struct pl_ipc_conn *
connect_ok(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);

	if (c == NULL)
		fail_msg("connect: %s", err.text);
	return c;
}

static bool
echo_once(struct pl_ipc_conn *c, uint32_t seq, const char *text)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	uint32_t rseq = 0;
	const char *rtext = NULL;
	bool ok;

	pl_pack(&p, "us", seq, text);
	ok = pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 2000, &m, &err);
	pl_pack_free(&p);
	if (!ok) {
		print_message("echo call failed: %d %s\n", err.code, err.text);
		pl_ipc_msg_clear(&m);
		return false;
	}
	pl_ipc_msg_unpack(&m, &r);
	ok = pl_unpack(&r, "us", &rseq, &rtext) && pl_unpack_end(&r) && rseq == seq &&
	    strcmp(rtext, text) == 0 && m.type == PL_MSG_ECHO_REPLY && m.call_id != 0;
	pl_ipc_msg_clear(&m);
	return ok;
}

/* Send raw bytes: a header for `type` with the given payload (call id 4242), then wait for
 * the answer. Returns its code (>= 0) with its text, -errno when the send failed, -1 when
 * no answer came (text says why). */
static int
raw_call(struct pl_ipc_conn *c, uint32_t type, uint16_t version, const void *payload, size_t len,
    char *text, size_t textlen)
{
	struct pl_ipc_hdr *h = xcalloc(1, sizeof(*h) + len);
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	ssize_t rc;
	int code;

	pl__ipc_hdr_fill(h, type, 4242, 0, len, len, 0);
	h->version = version;
	if (len > 0)
		memcpy(h + 1, payload, len);
	rc = pl__ipc_send_raw(c, h, sizeof(*h) + len);
	free(h);
	if (rc < 0)
		return (int)rc;
	if (!pl__ipc_wait_reply(c, 4242, "raw request", 2000, &m, &err)) {
		snprintf(text, textlen, "%s", err.text);
		return -1;
	}
	code = m.code;
	snprintf(text, textlen, "%s", pl_ipc_msg_status_text(&m));
	pl_ipc_msg_clear(&m);
	return code;
}

/* ---- setup ---- */

static int
group_setup(void **state)
{
	struct pl_error err = PL_ERROR_INIT;

	log_init("test_ipc");
	S.log = g_string_new("");
	log_set_hook(log_hook, NULL);
	snprintf(S.prefix, sizeof(S.prefix), "plt%d-%llu", (int)getpid(),
	    (unsigned long long)pl_mono_us());
	setenv(PL_IPC_PREFIX_ENV, S.prefix, 1);
	S.ctx = g_main_context_new();
	S.loop = g_main_loop_new(S.ctx, FALSE);
	S.srv = echo_server_start(S.ctx, &S.st, &err);
	if (S.srv == NULL) {
		fprintf(stderr, "cannot start the echo server: %s\n", err.text);
		return -1;
	}
	S.thread = g_thread_new("echo-server", server_main, NULL);
	return 0;
}

static void
stop_server(void *arg)
{
	pl_ipc_server_free(S.srv);
	S.srv = NULL;
	g_main_loop_quit(S.loop);
}

static int
group_teardown(void **state)
{
	if (S.thread != NULL) {
		in_server(stop_server, NULL);
		g_thread_join(S.thread);
	}
	g_main_loop_unref(S.loop);
	g_main_context_unref(S.ctx);
	log_set_hook(NULL, NULL);
	g_string_free(S.log, TRUE);
	return 0;
}

/* ---- tests ---- */

static void
test_roundtrip(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	uint32_t id1, id2;

	(void)state;
	assert_true(pl_ipc_connected(c));
	assert_true(echo_once(c, 7, "hello"));
	assert_true(echo_once(c, 8, ""));
	/* call ids: each request its own, echoed in the reply */
	pl_pack(&p, "us", (uint32_t)1, "a");
	assert_true(pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 2000, &m, &err));
	id1 = m.call_id;
	pl_ipc_msg_clear(&m);
	assert_true(pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 2000, &m, &err));
	id2 = m.call_id;
	pl_ipc_msg_clear(&m);
	assert_true(id1 != 0 && id2 == id1 + 1);
	/* a large payload, up to MAXLEN */
	{
		char *big = xmalloc(65536 - 9 + 1);

		memset(big, 'x', 65536 - 9);
		big[65536 - 9] = '\0';
		assert_true(echo_once(c, 9, big));
		free(big);
	}
	/* expecting the wrong reply type is a protocol error */
	assert_false(pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_NONE, 2000, &m, &err));
	assert_int_equal(err.code, 76);
	assert_non_null(strstr(err.text, "instead of a status reply"));
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
}

struct inflight {
	int done;
	int bad;
	uint32_t seq_of[1000];
};

static void
inflight_cb(
    struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct inflight *in = arg;
	struct pl_unpack r;
	uint32_t seq;
	const char *text;

	if (err != NULL || reply == NULL) {
		in->bad++;
	} else {
		pl_ipc_msg_unpack(reply, &r);
		if (!pl_unpack(&r, "us", &seq, &text) || seq >= 1000 ||
		    in->seq_of[seq] != reply->call_id || strcmp(text, "inflight") != 0)
			in->bad++;
	}
	in->done++;
}

static void
test_many_in_flight(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	GMainContext *ctx = g_main_context_new();
	struct inflight in = { 0 };
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;

	(void)state;
	pl_ipc_conn_attach(c, ctx, NULL, NULL);
	/* 1000 requests before reading any reply: more than the event channel holds, so the
	 * server's backlog must keep them in order rather than drop us. */
	for (uint32_t i = 0; i < 1000; i++) {
		pl_pack_reset(&p);
		pl_pack(&p, "us", i, "inflight");
		in.seq_of[i] = pl_ipc_call_async(
		    c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 5000, inflight_cb, &in, &err);
		if (in.seq_of[i] == 0)
			fail_msg("call %u: %s", i, err.text);
	}
	/* a synchronous call in the middle: the async replies before it are queued, not lost */
	assert_true(echo_once(c, 5000, "sync"));
	assert_true(iterate_until(ctx, &in.done, 1000));
	assert_int_equal(in.bad, 0);
	assert_true(pl_ipc_connected(c));
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	g_main_context_unref(ctx);
}

struct evcount {
	int events;
	int disconnected;
	char last[64];
};

static void
ev_cb(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	struct evcount *e = arg;
	struct pl_unpack r;
	const char *text;

	pl_ipc_msg_unpack(ev, &r);
	if (ev->type == PL_MSG_ECHO_EVENT && pl_unpack(&r, "s", &text))
		snprintf(e->last, sizeof(e->last), "%s", text);
	e->events++;
}

static void
disc_cb(struct pl_ipc_conn *c, void *arg)
{
	((struct evcount *)arg)->disconnected++;
}

static void
test_events_to_subscribers_only(void **state)
{
	static const struct pl_ipc_conn_ops ops = { ev_cb, disc_cb };
	struct pl_ipc_conn *sub = connect_ok(), *other = connect_ok(), *shouter = connect_ok();
	struct pl_ipc_conn *async_sub = connect_ok();
	GMainContext *ctx = g_main_context_new();
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	struct evcount ec = { 0 };
	const char *text;

	(void)state;
	assert_true(pl_ipc_call(sub, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, &m, &err));
	assert_string_equal(pl_ipc_msg_status_text(&m), "subscribed");
	pl_ipc_msg_clear(&m);
	pl_ipc_conn_attach(async_sub, ctx, &ops, &ec);
	assert_true(
	    pl_ipc_call(async_sub, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, NULL, &err));

	pl_pack_str(&p, "news");
	assert_true(pl_ipc_call(shouter, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, &m, &err));
	assert_string_equal(pl_ipc_msg_status_text(&m), "sent to 2 subscribers");
	pl_ipc_msg_clear(&m);

	/* the subscriber gets it (blocking style) */
	assert_true(pl_ipc_wait_event(sub, WAIT_MS, &m, &err));
	assert_int_equal(m.type, PL_MSG_ECHO_EVENT);
	assert_int_equal(m.call_id, 0);
	pl_ipc_msg_unpack(&m, &r);
	assert_true(pl_unpack(&r, "s", &text));
	assert_string_equal(text, "news");
	pl_ipc_msg_clear(&m);
	/* ... and the attached one through its callback */
	assert_true(iterate_until(ctx, &ec.events, 1));
	assert_string_equal(ec.last, "news");

	/* waiting for another type keeps the event queued, in order, for the next wait */
	pl_pack_reset(&p);
	pl_pack_str(&p, "second");
	assert_true(pl_ipc_call(shouter, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, &m, &err));
	pl_ipc_msg_clear(&m);
	assert_false(pl_ipc_wait_event_type(sub, PL_MSG_ECHO_REPLY, 200, &m, &err));
	assert_int_equal(err.code, 124);
	assert_non_null(strstr(err.text, "ECHO_REPLY"));
	assert_true(pl_ipc_wait_event_type(sub, PL_MSG_ECHO_EVENT, WAIT_MS, &m, &err));
	pl_ipc_msg_unpack(&m, &r);
	assert_true(pl_unpack(&r, "s", &text));
	assert_string_equal(text, "second");
	pl_ipc_msg_clear(&m);
	assert_true(iterate_until(ctx, &ec.events, 2));

	/* the others do not: replies and events share one ordered stream, so after a round
	 * trip that started after the shout, an event would already be there */
	assert_true(echo_once(other, 1, "x"));
	assert_false(pl_ipc_wait_event(other, 0, &m, &err));
	assert_int_equal(err.code, 124);
	assert_true(echo_once(shouter, 1, "x"));
	assert_false(pl_ipc_wait_event(shouter, 0, &m, &err));

	pl_pack_free(&p);
	pl_ipc_disconnect(sub);
	pl_ipc_disconnect(other);
	pl_ipc_disconnect(shouter);
	pl_ipc_disconnect(async_sub);
	assert_int_equal(ec.disconnected, 0); /* our own disconnect is not news */
	g_main_context_unref(ctx);
}

/*
 * Events are handed over in the order the daemon sent them, even when a callback makes a
 * synchronous call that reads (and keeps) some of them while newer ones arrive after it:
 * the group-membership clients (cib, attrd, crmd) depend on it, since a view change
 * delivered after the messages of that view makes them ignore those messages.
 */
struct ordered {
	struct pl_ipc_conn *sub, *shouter;
	char seen[8][16];
	int n;
};

static void
shout(struct pl_ipc_conn *c, const char *text)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;

	pl_pack_str(&p, text);
	if (!pl_ipc_call(c, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, NULL, &err))
		fail_msg("shout %s: %s", text, err.text);
	pl_pack_free(&p);
}

static void
ordered_cb(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	struct ordered *o = arg;
	struct pl_unpack r;
	const char *text;

	(void)c;
	pl_ipc_msg_unpack(ev, &r);
	if (ev->type != PL_MSG_ECHO_EVENT || !pl_unpack(&r, "s", &text) || o->n >= 8)
		return;
	snprintf(o->seen[o->n++], sizeof(o->seen[0]), "%s", text);
	if (strcmp(text, "first") == 0) {
		/* "second" arrives before the reply of this call (kept), "third" after it */
		shout(o->shouter, "second");
		assert_true(echo_once(o->sub, 7, "inside"));
		shout(o->shouter, "third");
	}
}

static void
test_events_in_order_across_calls(void **state)
{
	static const struct pl_ipc_conn_ops ops = { ordered_cb, NULL };
	GMainContext *ctx = g_main_context_new();
	struct pl_error err = PL_ERROR_INIT;
	struct ordered o = { .sub = connect_ok(), .shouter = connect_ok() };

	(void)state;
	pl_ipc_conn_attach(o.sub, ctx, &ops, &o);
	assert_true(pl_ipc_call(o.sub, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, NULL, &err));
	shout(o.shouter, "first");
	assert_true(iterate_until(ctx, &o.n, 3));
	assert_string_equal(o.seen[0], "first");
	assert_string_equal(o.seen[1], "second");
	assert_string_equal(o.seen[2], "third");
	/* and once more with the kept event still queued when the next one is read */
	shout(o.shouter, "fourth");
	assert_true(iterate_until(ctx, &o.n, 4));
	assert_string_equal(o.seen[3], "fourth");
	pl_ipc_disconnect(o.sub);
	pl_ipc_disconnect(o.shouter);
	g_main_context_unref(ctx);
}

static void
test_absent_service(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char name[128], want[256];
	uint64_t t0;
	struct pl_ipc_conn *c;

	(void)state;
	snprintf(name, sizeof(name), "%s-absent", S.prefix);
	setenv(PL_IPC_PREFIX_ENV, name, 1);
	t0 = pl_mono_ms();
	c = pl_ipc_connect(PL_SVC_ECHO, 5000, &err);
	setenv(PL_IPC_PREFIX_ENV, S.prefix, 1);
	assert_null(c);
	assert_int_equal(err.code, 102);
	snprintf(want, sizeof(want), "Could not connect to %s-echo: ", name);
	assert_memory_equal(err.text, want, strlen(want));
	assert_non_null(strstr(err.text, "(is the daemon running?)"));
	assert_true(pl_mono_ms() - t0 < 1000); /* fails fast, not at the timeout */
}

static void
test_oversized(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	uint64_t before = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_LENGTH);
	char text[512];
	char *big = xmalloc(300000);
	int rc;

	(void)state;
	memset(big, 'y', 299999);
	big[299999] = '\0';
	/* over MAXLEN through the API: refused before it leaves */
	pl_pack_str(&p, big);
	assert_int_equal(pl_ipc_send(c, PL_MSG_ECHO_SHOUT, &p, &err), 0);
	assert_int_equal(err.code, 65);
	assert_non_null(strstr(err.text,
	    "ECHO_SHOUT of 300004 bytes exceeds the limit of 4096 "
	    "bytes (its MAXLEN)"));
	/* over MAXLEN on the wire (within the buffer): rejected by the server, counted */
	pl_pack_reset(&p);
	big[5000] = '\0';
	pl_pack_str(&p, big);
	rc = raw_call(
	    c, PL_MSG_ECHO_SHOUT, PL_IPC_PROTOCOL_VERSION, p.data, p.len, text, sizeof(text));
	assert_int_equal(rc, 76);
	assert_non_null(strstr(text, "ECHO_SHOUT payload of 5005 bytes exceeds its limit of 4096"));
	assert_true(wait_rejects(PL_IPC_REJ_LENGTH, before + 1));
	/* bigger than the IPC buffer: libqb refuses to send it at all */
	rc = raw_call(c, PL_MSG_ECHO_REQ, PL_IPC_PROTOCOL_VERSION, big, 299999, text, sizeof(text));
	assert_int_equal(rc, -EMSGSIZE);
	/* the connection and the server survive */
	assert_true(echo_once(c, 3, "still here"));
	/* a hostile client asking libqb for a larger buffer (libqb would grant the larger of
	 * both sizes) is refused at connect */
	{
		char *name = pl_ipc_service_name(PL_SVC_ECHO);
		qb_ipcc_connection_t *q = qb_ipcc_connect(name, 4 << 20);

		assert_null(q);
		assert_true(log_contains(
		    "it asks for an IPC buffer of 4194304 bytes, the service uses 131072"));
		free(name);
	}
	assert_true(echo_once(c, 4, "still here"));
	free(big);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
}

static void
test_malformed_payload(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	struct pl_pack p = PL_PACK_INIT;
	uint64_t before = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_SIG);
	uint64_t framing = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_FRAMING);
	char text[512], pid[32];
	int rc;

	(void)state;
	/* ECHO_REQ is "us": send only a string */
	pl_pack_str(&p, "no sequence number");
	rc = raw_call(c, PL_MSG_ECHO_REQ, PL_IPC_PROTOCOL_VERSION, p.data, p.len, text, sizeof(text));
	assert_int_equal(rc, 76);
	assert_non_null(strstr(text, "ECHO_REQ payload does not match \"us\""));
	assert_true(wait_rejects(PL_IPC_REJ_SIG, before + 1));
	/* logged once, as a warning naming the client's pid and the reason */
	snprintf(pid, sizeof(pid), "client pid %d", (int)getpid());
	assert_true(log_contains(pid));
	assert_true(log_contains("signature: ECHO_REQ payload does not match"));
	/* a string with an inner NUL */
	pl_pack_reset(&p);
	pl_pack(&p, "us", (uint32_t)1, "abc");
	p.data[9] = '\0';
	rc = raw_call(c, PL_MSG_ECHO_REQ, PL_IPC_PROTOCOL_VERSION, p.data, p.len, text, sizeof(text));
	assert_int_equal(rc, 76);
	assert_non_null(strstr(text, "contains a NUL byte"));
	assert_true(wait_rejects(PL_IPC_REJ_SIG, before + 2));
	/* the connection survives */
	assert_true(echo_once(c, 5, "survived"));
	assert_int_equal(pl_ipc_server_rejects(S.srv, PL_IPC_REJ_FRAMING), framing);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
}

static void
test_unknown_type_version_direction(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	struct pl_pack p = PL_PACK_INIT;
	char text[512];
	int rc;

	(void)state;
	rc = raw_call(c, 9999, PL_IPC_PROTOCOL_VERSION, NULL, 0, text, sizeof(text));
	assert_int_equal(rc, 76);
	assert_non_null(strstr(text, "unknown message type 9999"));
	assert_true(wait_rejects(PL_IPC_REJ_TYPE, 1));

	rc = raw_call(c, PL_MSG_ECHO_SUBSCRIBE, 1, NULL, 0, text, sizeof(text));
	assert_int_equal(rc, 76);
	assert_non_null(strstr(text, "protocol version 1, expected 2"));
	assert_true(wait_rejects(PL_IPC_REJ_VERSION, 1));

	pl_pack_str(&p, "event as request");
	rc = raw_call(
	    c, PL_MSG_ECHO_EVENT, PL_IPC_PROTOCOL_VERSION, p.data, p.len, text, sizeof(text));
	assert_int_equal(rc, 76);
	assert_non_null(strstr(text, "ECHO_EVENT is not a request"));
	assert_true(wait_rejects(PL_IPC_REJ_DIR, 1));

	/* a request of another service, when the table has one */
	for (unsigned t = 1; t < PL_MSG_TYPE_LIMIT; t++) {
		const struct pl_msg_def *d = pl_msg_def(t);

		if (d == NULL || d->service == PL_SVC_ECHO)
			continue;
		rc = raw_call(c, t, PL_IPC_PROTOCOL_VERSION, NULL, 0, text, sizeof(text));
		assert_int_equal(rc, 76);
		assert_non_null(strstr(text, "belongs to service"));
		assert_true(wait_rejects(PL_IPC_REJ_SERVICE, 1));
		break;
	}
	assert_true(echo_once(c, 6, "survived"));
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
}

static void
test_broken_framing_drops(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_hdr h;
	unsigned gone = __atomic_load_n(&S.st.destroyed, __ATOMIC_RELAXED);
	uint64_t before = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_FRAMING);

	(void)state;
	pl__ipc_hdr_fill(&h, PL_MSG_ECHO_SUBSCRIBE, 1, 0, 0, 0, 0);
	h.payload_len = 100; /* disagrees with the size */
	assert_int_equal(pl__ipc_send_raw(c, &h, sizeof(h)), sizeof(h));
	assert_true(wait_rejects(PL_IPC_REJ_FRAMING, before + 1));
	assert_true(wait_count(&S.st.destroyed, gone + 1));
	/* the client notices */
	assert_false(pl_ipc_call(c, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, NULL, &err));
	assert_int_equal(err.code, 102);
	assert_false(pl_ipc_connected(c));
	pl_ipc_disconnect(c);
	/* too short to hold a header */
	c = connect_ok();
	assert_int_equal(pl__ipc_send_raw(c, &h, 20), 20);
	assert_true(wait_rejects(PL_IPC_REJ_FRAMING, before + 2));
	pl_ipc_disconnect(c);
	/* a header claiming more than the buffer holds */
	c = connect_ok();
	pl__ipc_hdr_fill(&h, PL_MSG_ECHO_SUBSCRIBE, 1, 0, 0, 0, 0);
	h.qb.size = 1000000;
	h.payload_len = 1000000 - sizeof(h);
	assert_int_equal(pl__ipc_send_raw(c, &h, sizeof(h)), sizeof(h));
	assert_true(wait_rejects(PL_IPC_REJ_FRAMING, before + 3));
	assert_true(log_contains("message size 1000000 outside 48..131072"));
	pl_ipc_disconnect(c);
	/* the server serves the next client */
	c = connect_ok();
	assert_true(echo_once(c, 1, "after framing errors"));
	pl_ipc_disconnect(c);
	assert_true(log_contains("broken message framing"));
}

/* In a forked child: become nobody, then try a WRITE request and a refused connect. */
static int
child_unprivileged(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct passwd *pw = getpwnam("nobody");
	struct pl_ipc_conn *c;

	if (pw == NULL || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0)
		return 10;
	c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);
	if (c == NULL)
		return 11;
	if (!echo_once(c, 1, "nobody may echo")) /* PRIV ANY */
		return 12;
	pl_pack_str(&p, "nobody shouts");
	if (pl_ipc_call(c, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, NULL, &err))
		return 13;
	if (err.code != 4 || strstr(err.text, "requires root or group haclient") == NULL)
		return 14;
	if (!echo_once(c, 2, "still connected"))
		return 15;
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return 0;
}

static int
child_refused(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct passwd *pw = getpwnam("nobody");
	struct pl_ipc_conn *c;

	if (pw == NULL || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0)
		return 10;
	c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);
	if (c != NULL)
		return 20;
	if (err.code != 102)
		return 21;
	if (strstr(err.text, "connection refused by the daemon") == NULL) {
		fprintf(stderr, "refused: %s\n", err.text);
		return 22;
	}
	return 0;
}

/* As nobody: the per-user limit (3 here) refuses the 4th connection with a clear error, and
 * a connection closed makes room again. */
static int
child_user_limit(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct passwd *pw = getpwnam("nobody");
	struct pl_ipc_conn *c[4];
	uint64_t deadline;

	if (pw == NULL || setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0)
		return 10;
	for (int i = 0; i < 3; i++)
		if ((c[i] = pl_ipc_connect(PL_SVC_ECHO, 2000, &err)) == NULL)
			return 20 + i;
	c[3] = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);
	if (c[3] != NULL)
		return 30;
	if (err.code != 75 || strstr(err.text, "limit of connections per user") == NULL) {
		fprintf(stderr, "over the limit: %d %s\n", err.code, err.text);
		return 31;
	}
	pl_ipc_disconnect(c[0]);
	deadline = pl_deadline(3000);
	while ((c[0] = pl_ipc_connect(PL_SVC_ECHO, 2000, &err)) == NULL) {
		if (pl_deadline_left(deadline) == 0)
			return 40;
		g_usleep(10000);
	}
	for (int i = 0; i < 3; i++)
		pl_ipc_disconnect(c[i]);
	return 0;
}

static int
run_child(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		log_set_hook(NULL, NULL);
		_exit(fn());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void
test_privilege(void **state)
{
	uint64_t before = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_PRIV);

	(void)state;
	if (geteuid() != 0 || getpwnam("nobody") == NULL)
		skip();
	assert_int_equal(run_child(child_unprivileged), 0);
	assert_int_equal(pl_ipc_server_rejects(S.srv, PL_IPC_REJ_PRIV), before + 1);
	/* the accept hook can refuse a client */
	echo_server_refuse_uid((int)getpwnam("nobody")->pw_uid);
	assert_int_equal(run_child(child_refused), 0);
	echo_server_refuse_uid(-1);
	/* the per-user connection limit */
	{
		uint64_t refused = pl_ipc_server_refused_user_limit(S.srv);

		pl_ipc_server_set_user_limit(S.srv, 3);
		assert_int_equal(run_child(child_user_limit), 0);
		pl_ipc_server_set_user_limit(S.srv, PL_IPC_USER_LIMIT_DEFAULT);
		assert_true(pl_ipc_server_refused_user_limit(S.srv) >= refused + 1);
		assert_true(log_contains("the user already has 3 connections, the limit "
					 "(PL_IPC_MAX_CLIENTS_PER_USER)"));
	}
}

/* A child floods requests without reading replies, then is killed mid-stream. */
static int
child_flood(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);

	if (c == NULL)
		return 30;
	pl_pack(&p, "us", (uint32_t)1, "flood flood flood flood flood flood flood flood");
	for (;;)
		pl_ipc_send(c, PL_MSG_ECHO_REQ, &p, &err);
}

static void
test_client_killed_mid_stream(void **state)
{
	unsigned gone = __atomic_load_n(&S.st.destroyed, __ATOMIC_RELAXED);
	unsigned reqs = __atomic_load_n(&S.st.requests, __ATOMIC_RELAXED);
	struct pl_ipc_conn *c = connect_ok();
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	if (pid == 0) {
		log_set_hook(NULL, NULL);
		_exit(child_flood());
	}
	assert_true(pid > 0);
	/* once it is well into the stream, kill it */
	assert_true(wait_count(&S.st.requests, reqs + 2000));
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_true(wait_count(&S.st.destroyed, gone + 1));
	/* the server is undisturbed: an existing and a new client are served */
	assert_true(echo_once(c, 1, "after the kill"));
	pl_ipc_disconnect(c);
	c = connect_ok();
	assert_true(echo_once(c, 2, "new client"));
	pl_ipc_disconnect(c);
}


/* ---- a second, misbehaving server (same thread, another name) ---- */

static struct pl_ipc_server *srv2;
static char prefix2[96];

static void
silent_handler(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	/* never answers */
}

/* Sends malformed messages, one good event, then a malformed reply. */
static void
evil_subscribe(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	struct {
		struct pl_ipc_hdr h;
		uint8_t payload[64];
	} m;

	memset(&m, 0, sizeof(m));
	/* an event whose payload does not match "s" */
	pl__ipc_hdr_fill(&m.h, PL_MSG_ECHO_EVENT, 0, 0, 3, 3, 0);
	pl__ipc_event_raw(c, &m, sizeof(m.h) + 3);
	/* an unknown type */
	pl__ipc_hdr_fill(&m.h, 7777, 0, 0, 0, 0, 0);
	pl__ipc_event_raw(c, &m, sizeof(m.h));
	/* a request sent to the client */
	pl__ipc_hdr_fill(&m.h, PL_MSG_ECHO_SUBSCRIBE, 0, 0, 0, 0, 0);
	pl__ipc_event_raw(c, &m, sizeof(m.h));
	/* a header that lies about the size */
	pl__ipc_hdr_fill(&m.h, PL_MSG_ECHO_EVENT, 0, 0, 60, 60, 0);
	pl__ipc_event_raw(c, &m, sizeof(m.h) + 10);
	/* a good event */
	pl_pack_str(&p, "good");
	pl_ipc_event(c, PL_MSG_ECHO_EVENT, &p);
	pl_pack_free(&p);
	/* the reply: ECHO_REPLY "us" with a payload that is not */
	pl__ipc_hdr_fill(&m.h, PL_MSG_ECHO_REPLY, msg->call_id, 0, 2, 2, 0);
	pl__ipc_event_raw(c, &m, sizeof(m.h) + 2);
}

/* libqb disconnects the client (as on a hang-up) before our deferred drop runs. */
static gboolean
qb_disconnect_first(gpointer p)
{
	qb_ipcs_connection_t *conn = p;

	qb_ipcs_disconnect(conn);
	qb_ipcs_connection_unref(conn);
	return G_SOURCE_REMOVE;
}

static void
drop_and_hangup(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	qb_ipcs_connection_t *conn = pl__ipc_client_conn(c);
	GSource *src = g_idle_source_new();

	pl_ipc_client_drop(c, "test: dropped while hanging up");
	qb_ipcs_connection_ref(conn);
	g_source_set_priority(src, G_PRIORITY_HIGH - 100); /* before the drop */
	g_source_set_callback(src, qb_disconnect_first, conn, NULL);
	g_source_attach(src, g_main_context_get_thread_default());
	g_source_unref(src);
}

static void
start_srv2(void *arg)
{
	struct pl_error err = PL_ERROR_INIT;

	snprintf(prefix2, sizeof(prefix2), "%s-two", S.prefix);
	setenv(PL_IPC_PREFIX_ENV, prefix2, 1);
	srv2 = pl_ipc_server_new(PL_SVC_ECHO, S.ctx, NULL, NULL, &err);
	setenv(PL_IPC_PREFIX_ENV, S.prefix, 1);
	if (srv2 != NULL) {
		pl_ipc_server_handle(srv2, PL_MSG_ECHO_REQ, silent_handler);
		pl_ipc_server_handle(srv2, PL_MSG_ECHO_SUBSCRIBE, evil_subscribe);
		pl_ipc_server_handle(srv2, PL_MSG_ECHO_SHOUT, drop_and_hangup);
	}
}

static void
stop_srv2(void *arg)
{
	pl_ipc_server_free(srv2);
	srv2 = NULL;
}

static struct pl_ipc_conn *
connect_srv2(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c;

	setenv(PL_IPC_PREFIX_ENV, prefix2, 1);
	c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);
	setenv(PL_IPC_PREFIX_ENV, S.prefix, 1);
	if (c == NULL)
		fail_msg("connect to the second server: %s", err.text);
	return c;
}

struct asyncres {
	int done;
	int code;
	bool had_reply;
};

static void
async_cb(struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct asyncres *a = arg;

	a->code = err ? err->code : 0;
	a->had_reply = reply != NULL;
	a->done++;
}

static void
test_timeouts_and_server_gone(void **state)
{
	static const struct pl_ipc_conn_ops ops = { ev_cb, disc_cb };
	GMainContext *ctx = g_main_context_new();
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct asyncres a1 = { 0 }, a2 = { 0 };
	struct evcount ec = { 0 };
	struct pl_ipc_conn *c;
	uint64_t t0;

	(void)state;
	in_server(start_srv2, NULL);
	assert_non_null(srv2);
	c = connect_srv2();
	pl_pack(&p, "us", (uint32_t)1, "anyone?");
	/* synchronous: 124 at the deadline */
	t0 = pl_mono_ms();
	assert_false(pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 200, NULL, &err));
	assert_int_equal(err.code, 124);
	assert_non_null(strstr(err.text, "did not answer ECHO_REQ within 200 ms"));
	assert_true(pl_mono_ms() - t0 >= 200 && pl_mono_ms() - t0 < 2000);
	/* asynchronous without attach: refused */
	assert_int_equal(
	    pl_ipc_call_async(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 100, async_cb, &a1, &err),
	    0);
	pl_ipc_conn_attach(c, ctx, &ops, &ec);
	/* asynchronous: 124 from the timer */
	assert_true(pl_ipc_call_async(
			c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 100, async_cb, &a1, &err) != 0);
	/* and one without a timeout, pending when the server goes away */
	assert_true(pl_ipc_call_async(
			c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 0, async_cb, &a2, &err) != 0);
	assert_true(iterate_until(ctx, &a1.done, 1));
	assert_int_equal(a1.code, 124);
	assert_false(a1.had_reply);
	assert_int_equal(a2.done, 0);

	in_server(stop_srv2, NULL);
	assert_true(iterate_until(ctx, &ec.disconnected, 1));
	assert_int_equal(a2.done, 1);
	assert_int_equal(a2.code, 102);
	assert_false(pl_ipc_connected(c));
	assert_false(pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 200, NULL, &err));
	assert_int_equal(err.code, 102);
	assert_int_equal(pl_ipc_send(c, PL_MSG_ECHO_REQ, &p, &err), 0);
	assert_int_equal(err.code, 102);
	pl_ipc_disconnect(c);
	pl_pack_free(&p);
	g_main_context_unref(ctx);
}

static void
test_client_checks_server_messages(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_unpack r;
	struct pl_ipc_conn *c;
	const char *text;

	(void)state;
	in_server(start_srv2, NULL);
	assert_non_null(srv2);
	c = connect_srv2();
	assert_false(pl_ipc_call(c, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, NULL, &err));
	assert_int_equal(err.code, 76);
	assert_non_null(strstr(err.text, "sent a malformed answer to ECHO_SUBSCRIBE"));
	/* of the five events only the good one comes through */
	assert_true(pl_ipc_wait_event(c, 2000, &m, &err));
	pl_ipc_msg_unpack(&m, &r);
	assert_true(pl_unpack(&r, "s", &text));
	assert_string_equal(text, "good");
	pl_ipc_msg_clear(&m);
	assert_false(pl_ipc_wait_event(c, 0, &m, &err));
	assert_int_equal(pl_ipc_conn_rejects(c), 5);
	assert_true(log_contains("dropped a malformed message from the daemon"));
	assert_true(pl_ipc_connected(c));
	pl_ipc_disconnect(c);
	in_server(stop_srv2, NULL);
}

static void
test_slow_subscriber_dropped(void **state)
{
	struct pl_ipc_conn *slow = connect_ok(), *shouter = connect_ok();
	unsigned gone = __atomic_load_n(&S.st.destroyed, __ATOMIC_RELAXED);
	uint64_t dropped = pl_ipc_server_dropped_events(S.srv);
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	char *text = xmalloc(4000);
	unsigned i;

	(void)state;
	assert_true(pl_ipc_call(slow, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, NULL, &err));
	memset(text, 'e', 3999);
	text[3999] = '\0';
	pl_pack_str(&p, text);
	/* 8 MiB of backlog at most: the slow subscriber must be dropped within 3000 shouts,
	 * while every shout is answered promptly */
	for (i = 0; i < 3000 && __atomic_load_n(&S.st.destroyed, __ATOMIC_RELAXED) == gone; i++)
		if (!pl_ipc_call(shouter, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, NULL, &err))
			fail_msg("shout %u: %s", i, err.text);
	assert_true(wait_count(&S.st.destroyed, gone + 1));
	assert_true(pl_ipc_server_dropped_events(S.srv) > dropped);
	assert_true(log_contains("does not read its messages"));
	assert_true(echo_once(shouter, 1, "server still fine"));
	pl_ipc_disconnect(slow);
	pl_ipc_disconnect(shouter);
	pl_pack_free(&p);
	free(text);
}

/* A daemon that accepted the socket but never answers (stopped): the connect times out. */
static void
test_connect_timeout(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char name[128];
	int ready[2];
	pid_t pid;
	char b;
	uint64_t t0;
	struct pl_ipc_conn *c;
	int status;

	(void)state;
	snprintf(name, sizeof(name), "%s-hung", S.prefix);
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		struct pl_ipc_server *s;

		log_set_hook(NULL, NULL);
		setenv(PL_IPC_PREFIX_ENV, name, 1);
		s = pl_ipc_server_new(PL_SVC_ECHO, NULL, NULL, NULL, &err);
		if (write(ready[1], s ? "y" : "n", 1) != 1)
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	assert_true(pid > 0);
	close(ready[1]);
	assert_int_equal(read(ready[0], &b, 1), 1);
	close(ready[0]);
	assert_int_equal(b, 'y');
	setenv(PL_IPC_PREFIX_ENV, name, 1);
	t0 = pl_mono_ms();
	c = pl_ipc_connect(PL_SVC_ECHO, 300, &err);
	/* more attempts than the daemon's listen backlog holds: each still ends at its deadline */
	for (int i = 0; i < 12 && c == NULL; i++) {
		struct pl_error e2 = PL_ERROR_INIT;
		uint64_t t1 = pl_mono_ms();

		c = pl_ipc_connect(PL_SVC_ECHO, 50, &e2);
		if (pl_mono_ms() - t1 > 2000)
			fail_msg("connect attempt %d took %llu ms", i,
			    (unsigned long long)(pl_mono_ms() - t1));
		if (e2.code != 102)
			fail_msg("connect attempt %d: %d %s", i, e2.code, e2.text);
	}
	setenv(PL_IPC_PREFIX_ENV, S.prefix, 1);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_null(c);
	assert_int_equal(err.code, 102);
	assert_non_null(strstr(err.text, "no answer within the connect timeout"));
	assert_true(pl_mono_ms() - t0 >= 290);
}

static void
test_deferred_reply(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;
	unsigned orphans = __atomic_load_n(&S.st.late_orphans, __ATOMIC_RELAXED);
	unsigned reqs;

	(void)state;
	/* answered later, by id */
	assert_true(echo_once(c, 11, "later"));
	/* the client leaves before the answer: the server finds nobody and does not crash */
	pl_pack(&p, "us", (uint32_t)12, "later");
	reqs = __atomic_load_n(&S.st.requests, __ATOMIC_RELAXED);
	assert_true(pl_ipc_send(c, PL_MSG_ECHO_REQ, &p, &err) != 0);
	assert_true(wait_count(&S.st.requests, reqs + 1)); /* received, answer pending */
	pl_ipc_disconnect(c);
	assert_true(wait_count(&S.st.late_orphans, orphans + 1));
	c = connect_ok();
	assert_true(echo_once(c, 13, "after the orphan"));
	pl_ipc_disconnect(c);
	pl_pack_free(&p);
}

static void
test_reject_log_thinned(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	uint64_t before = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_TYPE);
	char text[256];

	(void)state;
	for (int i = 0; i < 15; i++)
		assert_int_equal(
		    raw_call(c, 8888, PL_IPC_PROTOCOL_VERSION, NULL, 0, text, sizeof(text)), 76);
	assert_true(wait_rejects(PL_IPC_REJ_TYPE, before + 15));
	assert_true(log_contains("further rejections of this client are logged once per 100"));
	assert_true(echo_once(c, 1, "still served"));
	pl_ipc_disconnect(c);
}

/* Random types, versions and payloads with valid framing: every one is answered (a status
 * reply for the rejected ones), the counters add up, the connection and server survive. */
static void
test_fuzz_dispatch(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	uint64_t before = 0, after = 0;
	unsigned answered = 0, ok = 0;
	uint8_t payload[300];
	char text[512];

	(void)state;
	for (int w = 0; w < PL_IPC_REJ_COUNT; w++)
		before += pl_ipc_server_rejects(S.srv, (enum pl_ipc_reject)w);
	srand(7);
	for (int i = 0; i < 2000; i++) {
		uint32_t type = rand() % 2 ? (uint32_t)(0x100 + rand() % 8)
					   : (uint32_t)(rand() % (PL_MSG_TYPE_LIMIT + 3));
		uint16_t version =
		    rand() % 50 == 0 ? PL_IPC_PROTOCOL_VERSION + 1 : PL_IPC_PROTOCOL_VERSION;
		size_t len = (size_t)(rand() % 3 == 0 ? 0 : rand() % (int)sizeof(payload));
		int rc;

		if (type == PL_MSG_ECHO_SHOUT)
			type = PL_MSG_ECHO_EVENT; /* keep the broadcast out of it */
		for (size_t k = 0; k < len; k++)
			payload[k] = (uint8_t)rand();
		/* sometimes a well-formed string, to get past the signature check now and then */
		if (len >= 10 && rand() % 4 == 0) {
			uint32_t n = htonl((uint32_t)(len - 5));

			memcpy(payload, &n, 4);
			memset(payload + 4, 'z', len - 5);
			payload[len - 1] = '\0';
		}
		rc = raw_call(c, type, version, payload, len, text, sizeof(text));
		if (rc < 0)
			fail_msg(
			    "message %d (type %u, %zu bytes): no answer: %s", i, type, len, text);
		answered++;
		ok += rc == 0;
	}
	for (int w = 0; w < PL_IPC_REJ_COUNT; w++)
		after += pl_ipc_server_rejects(S.srv, (enum pl_ipc_reject)w);
	assert_int_equal(answered, 2000);
	assert_int_equal(after - before, 2000 - ok);
	assert_true(pl_ipc_connected(c));
	assert_true(echo_once(c, 1, "after the fuzz"));
	pl_ipc_disconnect(c);
}

/* The accept hook refuses this process (any uid): 102, a clear text, nothing leaked. */
static void
test_refused_connect(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c;
	unsigned accepted = __atomic_load_n(&S.st.accepted, __ATOMIC_RELAXED);

	(void)state;
	echo_server_refuse_uid((int)geteuid());
	c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);
	echo_server_refuse_uid(-1);
	assert_null(c);
	assert_int_equal(err.code, 102);
	assert_non_null(strstr(err.text, "connection refused by the daemon"));
	assert_int_equal(__atomic_load_n(&S.st.accepted, __ATOMIC_RELAXED), accepted);
	c = connect_ok();
	assert_true(echo_once(c, 1, "accepted again"));
	pl_ipc_disconnect(c);
}

static void
test_second_instance_refused(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_server *again;

	(void)state;
	/* same name as the running server: not started (nothing gets attached to the default
	 * context used here), a clear error */
	again = pl_ipc_server_new(PL_SVC_ECHO, NULL, NULL, NULL, &err);
	assert_null(again);
	assert_int_equal(err.code, 1);
	assert_non_null(strstr(err.text, "cannot start IPC service"));
	assert_non_null(strstr(err.text, "Address already in use (is another instance running?)"));
}

/* A daemon killed with SIGKILL under a connected client: the next call says 102 (and the
 * client does not die of SIGPIPE). */
static void
test_server_killed(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_conn *c;
	char name[128];
	int ready[2];
	pid_t pid;
	char b;
	int status;

	(void)state;
	snprintf(name, sizeof(name), "%s-killed", S.prefix);
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	if (pid == 0) {
		GMainLoop *loop = g_main_loop_new(NULL, FALSE);
		struct pl_ipc_server *s;

		log_set_hook(NULL, NULL);
		setenv(PL_IPC_PREFIX_ENV, name, 1);
		s = echo_server_start(NULL, NULL, &err);
		if (write(ready[1], s ? "y" : "n", 1) != 1)
			_exit(1);
		g_main_loop_run(loop);
		_exit(0);
	}
	assert_true(pid > 0);
	close(ready[1]);
	assert_int_equal(read(ready[0], &b, 1), 1);
	close(ready[0]);
	assert_int_equal(b, 'y');
	setenv(PL_IPC_PREFIX_ENV, name, 1);
	c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);
	setenv(PL_IPC_PREFIX_ENV, S.prefix, 1);
	assert_non_null(c);
	assert_true(echo_once(c, 1, "alive"));
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	pl_pack(&p, "us", (uint32_t)2, "anyone?");
	assert_false(pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 2000, NULL, &err));
	assert_int_equal(err.code, 102);
	assert_false(pl_ipc_connected(c));
	assert_int_equal(pl_ipc_send(c, PL_MSG_ECHO_REQ, &p, &err), 0);
	assert_int_equal(err.code, 102);
	pl_ipc_disconnect(c);
	pl_pack_free(&p);
}

/* Closing a connection from inside its own callbacks (event, reply) is safe. */
struct closer {
	struct pl_ipc_conn *c;
	int calls;
	int failed_after; /* completions of calls that were pending at the close */
};

static void
close_on_event(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	struct closer *cl = arg;

	cl->calls++;
	pl_ipc_disconnect(c);
	cl->c = NULL;
}

static void
close_on_reply(
    struct pl_ipc_conn *c, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct closer *cl = arg;

	if (cl->c == NULL) { /* completed by the close below */
		if (err != NULL && err->code == 102)
			cl->failed_after++;
		return;
	}
	cl->calls++;
	cl->c = NULL;
	pl_ipc_disconnect(c);
}

static void
test_close_inside_callbacks(void **state)
{
	static const struct pl_ipc_conn_ops ops = { close_on_event, NULL };
	GMainContext *ctx = g_main_context_new();
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct closer cl = { 0 };
	struct pl_ipc_conn *shouter = connect_ok();

	(void)state;
	/* an event callback closes its connection while more events are queued */
	cl.c = connect_ok();
	pl_ipc_conn_attach(cl.c, ctx, &ops, &cl);
	assert_true(pl_ipc_call(cl.c, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, NULL, &err));
	pl_pack_str(&p, "bye");
	for (int i = 0; i < 5; i++)
		assert_true(
		    pl_ipc_call(shouter, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, NULL, &err));
	assert_true(iterate_until(ctx, &cl.calls, 1));
	for (int i = 0; i < 20; i++)
		g_main_context_iteration(ctx, FALSE);
	assert_int_equal(cl.calls, 1);

	/* a reply callback closes its connection while other calls are pending */
	memset(&cl, 0, sizeof(cl));
	cl.c = connect_ok();
	pl_ipc_conn_attach(cl.c, ctx, NULL, NULL);
	pl_pack_reset(&p);
	pl_pack(&p, "us", (uint32_t)1, "first");
	assert_true(pl_ipc_call_async(cl.c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 2000,
			close_on_reply, &cl, &err) != 0);
	pl_pack_reset(&p);
	pl_pack(&p, "us", (uint32_t)2, "later");
	for (int i = 0; i < 3; i++)
		assert_true(pl_ipc_call_async(cl.c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 2000,
				close_on_reply, &cl, &err) != 0);
	assert_true(iterate_until(ctx, &cl.calls, 1));
	assert_int_equal(cl.failed_after, 3);
	for (int i = 0; i < 20; i++)
		g_main_context_iteration(ctx, FALSE);
	assert_int_equal(cl.calls, 1);

	pl_ipc_disconnect(shouter);
	pl_pack_free(&p);
	g_main_context_unref(ctx);
}

struct census {
	unsigned n;
	unsigned privileged;
	bool ids_ok;
};

static void
count_client(struct pl_ipc_client *c, void *arg)
{
	struct census *cs = arg;

	cs->n++;
	cs->privileged += pl_ipc_client_privileged(c);
	if (pl_ipc_server_find_client(S.srv, pl_ipc_client_id(c)) != c || pl_ipc_client_pid(c) <= 0)
		cs->ids_ok = false;
}

static void
take_census(void *arg)
{
	struct census *cs = arg;

	pl_ipc_server_foreach(S.srv, count_client, arg);
	if (pl_ipc_server_find_client(S.srv, 0) != NULL)
		cs->ids_ok = false;
}

static void
test_foreach_and_find(void **state)
{
	struct pl_ipc_conn *a = connect_ok(), *b = connect_ok();
	struct census cs = { 0, 0, true };

	(void)state;
	in_server(take_census, &cs);
	assert_int_equal(cs.n, pl_ipc_server_clients(S.srv));
	assert_true(cs.n >= 2);
	assert_true(cs.ids_ok);
	if (geteuid() == 0)
		assert_int_equal(cs.privileged, cs.n);
	pl_ipc_disconnect(a);
	pl_ipc_disconnect(b);
}

/* A client dropped by us and hung up (libqb disconnects it) before the drop runs: the
 * connection is released once, not twice. */
static void
test_drop_after_hangup(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_conn *c;

	(void)state;
	in_server(start_srv2, NULL);
	assert_non_null(srv2);
	for (int i = 0; i < 3; i++) {
		c = connect_srv2();
		pl_pack_reset(&p);
		pl_pack_str(&p, "x");
		assert_false(pl_ipc_call(c, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, NULL, &err));
		assert_int_equal(err.code, 102);
		pl_ipc_disconnect(c);
	}
	assert_true(log_contains("test: dropped while hanging up"));
	/* still serving */
	c = connect_srv2();
	{
		uint64_t deadline = pl_deadline(WAIT_MS);

		while (pl_ipc_server_clients(srv2) != 1 && pl_deadline_left(deadline) > 0)
			g_usleep(500);
		assert_int_equal(pl_ipc_server_clients(srv2), 1); /* the three are gone */
	}
	pl_ipc_disconnect(c);
	in_server(stop_srv2, NULL);
	pl_pack_free(&p);
}

/* Stop a server while drops are pending: one client only dropped, one dropped and already
 * disconnected by libqb (its last reference is the drop's). */
static void
drop_one(struct pl_ipc_client *c, void *arg)
{
	int *n = arg;

	pl_ipc_client_drop(c, "test: dropped just before the server stops");
	if ((*n)++ == 0)
		qb_ipcs_disconnect(pl__ipc_client_conn(c));
}

static void
drop_all_then_stop(void *arg)
{
	int n = 0;

	pl_ipc_server_foreach(srv2, drop_one, &n);
	pl_ipc_server_free(srv2);
	srv2 = NULL;
}

static void
test_free_with_pending_drops(void **state)
{
	struct pl_ipc_conn *a, *b;
	struct pl_error err = PL_ERROR_INIT;
	uint64_t deadline;

	(void)state;
	in_server(start_srv2, NULL);
	assert_non_null(srv2);
	a = connect_srv2();
	b = connect_srv2();
	deadline = pl_deadline(WAIT_MS);
	while (pl_ipc_server_clients(srv2) != 2 && pl_deadline_left(deadline) > 0)
		g_usleep(500);
	assert_int_equal(pl_ipc_server_clients(srv2), 2);
	in_server(drop_all_then_stop, NULL);
	assert_null(srv2);
	assert_false(pl_ipc_call(a, PL_MSG_ECHO_REQ, NULL, PL_MSG_ECHO_REPLY, 2000, NULL, &err));
	assert_false(pl_ipc_call(b, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, NULL, &err));
	assert_int_equal(err.code, 102);
	pl_ipc_disconnect(a);
	pl_ipc_disconnect(b);
}

/* Messages larger than a ring travel in pieces, both ways, and arrive whole; the rings stay
 * small; the configurable limit refuses with a clear error; a rejected large request has its
 * remaining pieces skipped; a piece out of sequence breaks the framing. */
static char *
bulk_doc(size_t len, unsigned seed)
{
	char *d = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		d[i] = (char)('a' + (i * 13 + seed) % 26);
	d[len] = '\0';
	return d;
}

static void
test_large_messages(void **state)
{
	struct pl_ipc_conn *c = connect_ok();
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT, ev = PL_IPC_MSG_INIT;
	size_t len = 5 * 1024 * 1024 + 7;
	char *doc = bulk_doc(len, 1), text[512];
	const char *got;
	uint64_t before = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_LENGTH);
	uint64_t framing = pl_ipc_server_rejects(S.srv, PL_IPC_REJ_FRAMING);

	(void)state;
	/* 5 MB out and back, twice as an event first, then as the reply */
	pl_msg_pack(&p, PL_MSG_ECHO_BULK, (uint32_t)2, doc);
	assert_true(
	    pl_ipc_call(c, PL_MSG_ECHO_BULK, &p, PL_MSG_ECHO_BULK_REPLY, 20000, &reply, &err));
	assert_true(pl_msg_unpack(&reply, PL_MSG_ECHO_BULK_REPLY, &got));
	assert_int_equal(strlen(got), len);
	assert_memory_equal(got, doc, len);
	pl_ipc_msg_clear(&reply);
	for (int i = 0; i < 2; i++) {
		assert_true(pl_ipc_wait_event(c, 5000, &ev, &err));
		assert_true(pl_msg_unpack(&ev, PL_MSG_ECHO_BULK_EVENT, &got));
		assert_int_equal(strlen(got), len);
		assert_memory_equal(got, doc, len);
		pl_ipc_msg_clear(&ev);
	}
	/* small calls still work in between */
	assert_true(echo_once(c, 11, "small after large"));
	/* the configurable limit: refused by the sender, with the reason */
	pl_msg_set_limit(1024 * 1024);
	assert_int_equal(pl_ipc_send(c, PL_MSG_ECHO_BULK, &p, &err), 0);
	assert_int_equal(err.code, 65);
	assert_non_null(strstr(err.text, "exceeds the limit of 1048576 bytes (PL_MSG_LIMIT)"));
	/* ... and by the server, which skips the rest of the pieces: a first piece announcing
	 * 5 MB, then one more piece; the next call is answered normally */
	{
		struct pl_ipc_hdr *h = xcalloc(1, sizeof(*h) + 1000);

		pl__ipc_hdr_fill(h, PL_MSG_ECHO_BULK, 4242, 0, 1000, len, 0);
		assert_int_equal(pl__ipc_send_raw(c, h, sizeof(*h) + 1000), sizeof(*h) + 1000);
		assert_true(pl__ipc_wait_reply(c, 4242, "raw", 2000, &reply, &err));
		assert_int_equal(reply.code, 76);
		snprintf(text, sizeof(text), "%s", pl_ipc_msg_status_text(&reply));
		assert_non_null(strstr(text, "exceeds its limit of 1048576 (PL_MSG_LIMIT)"));
		pl_ipc_msg_clear(&reply);
		assert_true(wait_rejects(PL_IPC_REJ_LENGTH, before + 1));
		pl__ipc_hdr_fill(h, PL_MSG_ECHO_BULK, 4242, 0, 1000, len, 1000);
		assert_int_equal(pl__ipc_send_raw(c, h, sizeof(*h) + 1000), sizeof(*h) + 1000);
		pl_msg_set_limit(PL_MSG_LIMIT_DEFAULT);
		/* the server is still skipping that message: finish it */
		for (size_t off = 2000; off < len; off += 1000) {
			size_t n = len - off < 1000 ? len - off : 1000;

			pl__ipc_hdr_fill(h, PL_MSG_ECHO_BULK, 4242, 0, n, len, off);
			while (pl__ipc_send_raw(c, h, sizeof(*h) + n) == -EAGAIN)
				g_usleep(50);
		}
		assert_true(echo_once(c, 12, "after a skipped message"));
		/* a piece that does not continue anything: framing, the connection is dropped */
		pl__ipc_hdr_fill(h, PL_MSG_ECHO_BULK, 4243, 0, 1000, len, 5000);
		assert_int_equal(pl__ipc_send_raw(c, h, sizeof(*h) + 1000), sizeof(*h) + 1000);
		assert_true(wait_rejects(PL_IPC_REJ_FRAMING, framing + 1));
		assert_true(log_contains("without a first piece"));
		free(h);
	}
	pl_ipc_disconnect(c);
	pl_pack_free(&p);
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_many_in_flight),
		cmocka_unit_test(test_events_to_subscribers_only),
		cmocka_unit_test(test_events_in_order_across_calls),
		cmocka_unit_test(test_absent_service),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_large_messages),
		cmocka_unit_test(test_malformed_payload),
		cmocka_unit_test(test_unknown_type_version_direction),
		cmocka_unit_test(test_broken_framing_drops),
		cmocka_unit_test(test_privilege),
		cmocka_unit_test(test_client_killed_mid_stream),
		cmocka_unit_test(test_timeouts_and_server_gone),
		cmocka_unit_test(test_client_checks_server_messages),
		cmocka_unit_test(test_slow_subscriber_dropped),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_deferred_reply),
		cmocka_unit_test(test_reject_log_thinned),
		cmocka_unit_test(test_fuzz_dispatch),
		cmocka_unit_test(test_refused_connect),
		cmocka_unit_test(test_second_instance_refused),
		cmocka_unit_test(test_server_killed),
		cmocka_unit_test(test_close_inside_callbacks),
		cmocka_unit_test(test_foreach_and_find),
		cmocka_unit_test(test_drop_after_hangup),
		cmocka_unit_test(test_free_with_pending_drops),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
