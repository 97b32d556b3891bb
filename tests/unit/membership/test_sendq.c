/*
 * test_sendq.c - the ordered send queue of a membership connection (lib/membership/sendq.h)
 * in a seeded simulation: messages of every size (whole, and cut in pieces) pushed at random,
 * some from the done callbacks themselves; the simulated daemon answers the group message in
 * flight at random with "taken" (then it is delivered to a receiving pl_peer, as the group
 * would), 75 (ring full: waited out), another error, or fails it at once. Checked: nothing is
 * delivered out of order or twice, every message is reported exactly once and in push order,
 * taken <=> delivered, each error reaches the messages it failed with its own code, batches
 * happen. Some messages come through the caller's own encoder (pl_sendq_push_encoded, as
 * crmd and stonithd send); one that fails, hands over nothing or exceeds the limit is queued
 * not at all. PL_SENDQ_ROUNDS=N runs longer by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"
#include "sendq.h"

#define MAX_MSGS 200000

static struct sim {
	struct pl_sendq *q;
	struct pl_peer *enc, *dec;
	/* the group message in flight, as the daemon got it */
	uint8_t *flight;
	size_t flight_len;
	bool in_flight, timer;
	int answer_code;      /* the code of the answer being given (0: taken) */
	int immediate_code;   /* transmit fails at once with this (0: it does not) */
	uint32_t next_seq;    /* pushed so far */
	uint32_t done_next;   /* the seq the next done must carry */
	int result[MAX_MSGS]; /* -1 pending, 0 taken, else the error code */
	bool delivered[MAX_MSGS];
	int64_t last_delivered;
	uint64_t transmits, deliveries;
	unsigned push_from_done;
	bool no_push_from_done;
} sim;

/* pl_sendq_push with the fields as arguments; the message's seq is the done argument. */
static bool
qpush(struct pl_sendq *q, struct pl_peer *pp, pl_sendq_done_fn done, uint32_t seq,
    struct pl_error *err, enum pl_peer_kind kind, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, kind);
	ok = pl_sendq_push(q, "g", pp, done, (void *)(uintptr_t)seq, err, kind, ap);
	va_end(ap);
	return ok;
}

/* A daemon's own encoder (as crmd_peer_send): a bulk message through pl_peer_send. */
struct bulk {
	uint64_t seq;
	const char *doc;
	bool fail_after_first; /* hand one frame over, then fail */
	bool no_frame;	       /* succeed without any frame */
};

static bool
count_frame(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	(void)frame, (void)len, (void)err;
	++*(unsigned *)arg;
	return true;
}

static bool
encode_bulk(pl_peer_send_fn send, void *send_arg, void *arg, struct pl_error *err)
{
	struct bulk *b = arg;
	unsigned frames = 0;

	if (b->no_frame)
		return true;
	if (b->fail_after_first) {
		assert_true(pl_peer_send(sim.enc, count_frame, &frames, err, PL_PEER_ECHO_BULK,
		    b->seq, b->doc)); /* the frames the message would have */
		assert_true(frames > 1);
		static const uint8_t junk[] = { 1, 2, 3 };
		assert_true(send(junk, sizeof(junk), send_arg, err));
		pl_error_set(err, PL_EXIT_DATAERR, "encoder failed");
		return false;
	}
	return pl_peer_send(sim.enc, send, send_arg, err, PL_PEER_ECHO_BULK, b->seq, b->doc);
}

static bool
transmit(const char *group, const void *data, size_t len, void *arg, struct pl_error *err)
{
	(void)arg;
	assert_string_equal(group, "g");
	assert_false(sim.in_flight); /* one at a time */
	sim.transmits++;
	if (sim.immediate_code != 0) {
		sim.answer_code = sim.immediate_code;
		pl_error_set(err, sim.immediate_code, "transmit failed");
		return false;
	}
	assert_true(len <= 600);
	sim.flight = xmemdup(data, len);
	sim.flight_len = len;
	sim.in_flight = true;
	return true;
}

static void
schedule(unsigned ms, void *arg)
{
	(void)arg;
	assert_true(ms >= 1 && ms <= 64);
	assert_false(sim.timer);
	sim.timer = true;
}

static void push_one(void);

static void
on_done(const struct pl_error *err, void *arg)
{
	uint32_t seq = (uint32_t)(uintptr_t)arg;

	assert_int_equal(seq, sim.done_next); /* reported once, in push order */
	sim.done_next++;
	assert_int_equal(sim.result[seq], -1);
	sim.result[seq] = err == NULL ? 0 : err->code;
	if (err != NULL)
		assert_int_equal(err->code, sim.answer_code); /* its own error, not another */
	if (!sim.no_push_from_done && rand() % 20 == 0 && sim.next_seq < MAX_MSGS - 1) {
		sim.push_from_done++;
		push_one();
	}
}

static void
on_ping(const struct pl_peer_msg *m, void *arg)
{
	uint32_t seq;
	const char *text;

	(void)arg;
	assert_true(pl_peer_unpack(m, &seq, &text));
	assert_true((int64_t)seq > sim.last_delivered); /* in order, never twice */
	sim.last_delivered = seq;
	sim.delivered[seq] = true;
	sim.deliveries++;
}

static void
on_bulk(const struct pl_peer_msg *m, void *arg)
{
	uint64_t seq;
	const char *doc;

	(void)arg;
	assert_true(pl_peer_unpack(m, &seq, &doc));
	assert_true((int64_t)seq > sim.last_delivered);
	assert_int_equal(strlen(doc), 100 + seq % 700);
	sim.last_delivered = (int64_t)seq;
	sim.delivered[seq] = true;
	sim.deliveries++;
}

static void
push_one(void)
{
	struct pl_error err = PL_ERROR_INIT;
	uint32_t seq = sim.next_seq++;
	bool ok;

	sim.result[seq] = -1;
	if (rand() % 4 == 0) { /* several pieces of at most 300 bytes */
		char doc[1000];
		size_t n = 100 + seq % 700;

		memset(doc, 'a' + seq % 26, n);
		doc[n] = '\0';
		if (rand() % 2 == 0) {
			ok = qpush(sim.q, sim.enc, on_done, seq, &err, PL_PEER_ECHO_BULK,
			    (uint64_t)seq, doc);
		} else { /* the same message through the caller's encoder */
			struct bulk b = { .seq = seq, .doc = doc };

			ok = pl_sendq_push_encoded(
			    sim.q, "g", encode_bulk, &b, on_done, (void *)(uintptr_t)seq, &err);
		}
	} else {
		ok = qpush(sim.q, sim.enc, on_done, seq, &err, PL_PEER_ECHO_PING, seq, "ping");
	}
	assert_true(ok);
}

/* The simulated daemon answers the group message in flight. */
static void
answer(int code)
{
	struct pl_error err = PL_ERROR_INIT;
	uint8_t *data = sim.flight;
	size_t len = sim.flight_len;

	sim.in_flight = false;
	sim.flight = NULL;
	sim.answer_code = code;
	if (code == 0)
		pl_peer_receive(sim.dec, 1, 100, data, len); /* the group delivers it */
	pl_error_set(&err, code, "answer %d", code);
	pl_sendq_answer(sim.q, code == 0 ? NULL : &err);
	free(data);
}

static void
fire_timer(void)
{
	sim.timer = false;
	pl_sendq_retry(sim.q);
}

static const struct pl_sendq_ops ops = { transmit, schedule };

static void
sim_start(size_t limit, unsigned give_up_ms)
{
	free(sim.flight);
	pl_peer_free(sim.enc);
	pl_peer_free(sim.dec);
	memset(&sim, 0, sizeof(sim));
	sim.last_delivered = -1;
	sim.q = pl_sendq_new(600, limit, give_up_ms, &ops, NULL);
	sim.enc = pl_peer_new(PL_SVC_ECHO, 300, NULL);
	sim.dec = pl_peer_new(PL_SVC_ECHO, 300, NULL);
	pl_peer_handle(sim.dec, PL_PEER_ECHO_PING, on_ping);
	pl_peer_handle(sim.dec, PL_PEER_ECHO_BULK, on_bulk);
}

static void
sim_stop(void)
{
	pl_sendq_free(sim.q);
	sim.q = NULL;
}

static void
test_random(void **state)
{
	const char *env = getenv("PL_SENDQ_ROUNDS");
	unsigned rounds = env ? (unsigned)atoi(env) : 20000;
	uint64_t failed = 0, taken = 0;

	(void)state;
	for (unsigned seed = 1; seed <= 5; seed++) {
		srand(seed);
		sim_start((size_t)1 << 30, 200);
		for (unsigned r = 0; r < rounds && sim.next_seq < MAX_MSGS - 10; r++) {
			int pick = rand() % 100;

			sim.immediate_code = rand() % 200 == 0 ? 102 : 0;
			if (pick < 45) {
				for (int k = rand() % 4; k >= 0; k--)
					push_one();
			} else if (pick < 85 && sim.in_flight) {
				answer(0);
			} else if (pick < 93 && sim.in_flight) {
				answer(PL_EXIT_TEMPFAIL);
			} else if (pick < 97 && sim.in_flight) {
				answer(200 + rand() % 50); /* a distinct error each time */
			} else if (sim.timer) {
				fire_timer();
			}
			assert_false(sim.in_flight && sim.timer);
		}
		/* drain: the daemon takes everything from now on */
		sim.immediate_code = 0;
		while (sim.in_flight || sim.timer)
			sim.in_flight ? answer(0) : fire_timer();
		assert_true(pl_sendq_empty(sim.q));
		assert_int_equal(sim.done_next, sim.next_seq); /* every message reported */
		for (uint32_t s = 0; s < sim.next_seq; s++) {
			assert_int_not_equal(sim.result[s], -1);
			/* taken <=> delivered: nothing lost, nothing reported lost that arrived */
			assert_int_equal(sim.result[s] == 0, sim.delivered[s]);
			if (sim.result[s] == 0)
				taken++;
			else
				failed++;
		}
		/* only abandoned pieces of failed messages are dropped by the receiver */
		for (int why = 0; why < PL_PEER_REJ_COUNT; why++)
			if (why != PL_PEER_REJ_PIECE)
				assert_int_equal(
				    pl_peer_rejects(sim.dec, (enum pl_peer_reject)why), 0);
		assert_true(sim.transmits < sim.next_seq); /* batches happened */
		assert_true(sim.push_from_done > 0);
		print_message("seed %u: %u messages in %llu group messages, %llu delivered\n", seed,
		    sim.next_seq, (unsigned long long)sim.transmits,
		    (unsigned long long)sim.deliveries);
		sim_stop();
	}
	assert_true(failed > 0 && taken > failed);
}

/* A ring that stays full: waited out with growing pauses, then every message fails with 75,
 * in order; a push over the limit is refused at once. */
static bool
send_gone(const char *group, const void *data, size_t len, void *arg, struct pl_error *err)
{
	(void)group, (void)data, (void)len, (void)arg;
	pl_error_set(err, PL_EXIT_DISCONNECT, "gone");
	return false;
}

static void
test_give_up_and_limit(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	unsigned answers = 0;

	(void)state;
	srand(7);
	sim_start(2000, 100);
	sim.no_push_from_done = true;
	for (int i = 0; i < 5; i++)
		push_one();
	while (sim.done_next < 5) {
		if (sim.in_flight) {
			answer(PL_EXIT_TEMPFAIL);
			answers++;
		} else {
			assert_true(sim.timer);
			fire_timer();
		}
	}
	/* 1+2+4+8+16+32+64 >= 100 ms: 8 answers of 75, the last one fails them */
	assert_int_equal(answers, 8);
	for (int i = 0; i < 5; i++)
		assert_int_equal(sim.result[i], PL_EXIT_TEMPFAIL);
	assert_int_equal(sim.deliveries, 0);

	/* the limit: 2000 bytes of pings (about 40 bytes each) queued behind one in flight */
	push_one();
	assert_true(sim.in_flight);
	while ((sim.result[sim.next_seq] = -1) != 0 &&
	    qpush(sim.q, sim.enc, on_done, sim.next_seq, &err, PL_PEER_ECHO_PING, sim.next_seq,
		"ping"))
		sim.next_seq++;
	assert_int_equal(err.code, PL_EXIT_TEMPFAIL);
	assert_non_null(strstr(err.text, "limit 2000"));
	while (sim.in_flight)
		answer(0);
	assert_int_equal(sim.done_next, sim.next_seq);
	assert_int_equal(sim.last_delivered, (int64_t)sim.next_seq - 1);
	assert_true(sim.transmits < sim.next_seq);

	/* a flush with one in flight and the daemon gone: everything reported 102 in order, the
	 * late answer to what was in flight ignored, the queue usable again */
	for (int i = 0; i < 3; i++)
		push_one();
	sim.answer_code = PL_EXIT_DISCONNECT;
	pl_error_set(&err, PL_EXIT_DISCONNECT, "gone");
	pl_sendq_flush(sim.q, send_gone, NULL, &err);
	assert_int_equal(sim.done_next, sim.next_seq);
	assert_true(sim.in_flight);
	sim.in_flight = false;
	free(sim.flight);
	sim.flight = NULL;
	pl_sendq_answer(sim.q, NULL); /* the stale answer */
	push_one();
	assert_true(sim.in_flight);
	answer(0);
	assert_int_equal(sim.result[sim.next_seq - 1], 0);
	sim_stop();
}

/* An encoder that fails or hands over nothing queues nothing; one whose frames exceed the
 * limit is refused whole, never in part. */
static void
test_encoded_refusals(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char doc[1000];
	struct bulk b = { .seq = 1, .doc = doc };

	(void)state;
	sim_start(500, 100);
	sim.no_push_from_done = true;
	memset(doc, 'x', 799);
	doc[799] = '\0';

	b.fail_after_first = true;
	assert_false(pl_sendq_push_encoded(sim.q, "g", encode_bulk, &b, on_done, NULL, &err));
	assert_int_equal(err.code, PL_EXIT_DATAERR);
	assert_true(pl_sendq_empty(sim.q));
	assert_false(sim.in_flight);

	b.fail_after_first = false;
	b.no_frame = true;
	pl_error_clear(&err);
	assert_false(pl_sendq_push_encoded(sim.q, "g", encode_bulk, &b, on_done, NULL, &err));
	assert_int_equal(err.code, PL_EXIT_SOFTWARE);
	assert_true(pl_sendq_empty(sim.q));

	/* one ping in flight, then 800 bytes of bulk over the 500-byte limit: refused whole */
	sim.result[0] = -1;
	sim.next_seq = 1;
	assert_true(qpush(sim.q, sim.enc, on_done, 0, &err, PL_PEER_ECHO_PING, 0u, "ping"));
	assert_true(sim.in_flight);
	b.no_frame = false;
	pl_error_clear(&err);
	assert_false(pl_sendq_push_encoded(sim.q, "g", encode_bulk, &b, on_done, NULL, &err));
	assert_int_equal(err.code, PL_EXIT_TEMPFAIL);
	answer(0);
	assert_true(pl_sendq_empty(sim.q));
	assert_int_equal(sim.deliveries, 1);

	/* alone it goes (the limit binds only behind queued messages), in pieces, delivered whole */
	sim.result[1] = -1;
	sim.next_seq = 2;
	b.seq = 1;
	memset(doc, 'a' + 1 % 26, 100 + 1 % 700);
	doc[100 + 1 % 700] = '\0';
	assert_true(
	    pl_sendq_push_encoded(sim.q, "g", encode_bulk, &b, on_done, (void *)(uintptr_t)1, &err));
	while (sim.in_flight)
		answer(0);
	assert_int_equal(sim.result[1], 0);
	assert_int_equal(sim.deliveries, 2);
	assert_int_equal(sim.last_delivered, 1);
	sim_stop();
}

/* pl_sendq_flush's synchronous sender: delivers at once, or fails from frame fail_at on. */
static unsigned flushed, fail_at = ~0u;

static bool
send_now(const char *group, const void *data, size_t len, void *arg, struct pl_error *err)
{
	(void)arg;
	assert_string_equal(group, "g");
	if (flushed++ >= fail_at) {
		pl_error_set(err, PL_EXIT_IOERR, "send failed");
		return false;
	}
	pl_peer_receive(sim.dec, 1, 100, data, len);
	return true;
}

/* A clean stop: the group message in flight is done with the given error first (order kept),
 * everything behind it goes out synchronously, frame by frame, and is done with its outcome;
 * a failing piece fails its whole message and the next message still goes. */
static void
test_flush(void **state)
{
	struct pl_error err = PL_ERROR_INIT, gone = PL_ERROR_INIT;

	(void)state;
	srand(11);
	sim_start(100000, 100);
	sim.no_push_from_done = true;
	pl_error_set(&gone, PL_EXIT_DISCONNECT, "gone");
	for (int i = 0; i < 6; i++) /* 0 in flight, 1..5 queued behind it */
		push_one();
	assert_true(sim.in_flight);
	assert_int_equal(sim.transmits, 1);
	sim.answer_code = PL_EXIT_DISCONNECT;
	flushed = 0;
	fail_at = ~0u;
	pl_sendq_flush(sim.q, send_now, NULL, &gone);
	assert_true(pl_sendq_empty(sim.q));
	assert_int_equal(sim.done_next, 6);
	assert_int_equal(sim.result[0], PL_EXIT_DISCONNECT);
	for (int i = 1; i < 6; i++) {
		assert_int_equal(sim.result[i], 0);
		assert_true(sim.delivered[i]);
	}
	assert_false(sim.delivered[0]);
	/* the late answer to what was in flight is ignored; the queue works again */
	sim.in_flight = false;
	free(sim.flight);
	sim.flight = NULL;
	pl_sendq_answer(sim.q, NULL);
	push_one();
	assert_true(sim.in_flight);
	answer(0);
	assert_int_equal(sim.result[6], 0);

	/* nothing in flight, a failure on the second frame: a bulk cut in pieces fails whole,
	 * the next message still goes */
	char doc[1000];
	memset(doc, 'z', 799); /* three pieces; never delivered, so any length */
	doc[799] = '\0';
	sim.result[7] = sim.result[8] = -1;
	sim.next_seq = 9;
	sim.immediate_code = PL_EXIT_TEMPFAIL; /* transmit refuses: it waits out 75 */
	assert_true(qpush(sim.q, sim.enc, on_done, 7, &err, PL_PEER_ECHO_BULK, (uint64_t)7, doc));
	assert_true(qpush(sim.q, sim.enc, on_done, 8, &err, PL_PEER_ECHO_PING, 8u, "ping"));
	assert_true(sim.timer);
	sim.timer = false;
	sim.answer_code = PL_EXIT_IOERR;
	flushed = 0;
	fail_at = 1;
	pl_sendq_flush(sim.q, send_now, NULL, &gone);
	assert_int_equal(sim.result[7], PL_EXIT_IOERR);
	assert_false(sim.delivered[7]);
	assert_int_equal(flushed, 3); /* piece 1 sent, piece 2 failed, the rest skipped, the ping */
	assert_int_equal(sim.result[8], PL_EXIT_IOERR); /* fail_at: every later frame fails */
	assert_true(pl_sendq_empty(sim.q));
	sim_stop();
}

static int
teardown(void **state)
{
	(void)state;
	free(sim.flight);
	pl_peer_free(sim.enc);
	pl_peer_free(sim.dec);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_give_up_and_limit),
		cmocka_unit_test(test_encoded_refusals),
		cmocka_unit_test(test_flush),
	};

	log_set_level(PL_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, teardown);
}
