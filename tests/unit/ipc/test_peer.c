/*
 * test_peer.c - messages between nodes (include/paceline/peer.h): encode/decode round trips,
 * pieces and their reassembly per sender, every drop reason, and a fuzz/mutation run of the
 * decoder (random frames, truncations, bit flips, shuffled pieces; run under ASan/UBSan by
 * scripts/test). PL_PEER_FUZZ_ROUNDS=N runs a longer fuzz by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"

/* Frames "sent": kept in order, like a group would deliver them. */
struct wire {
	unsigned n;
	struct {
		uint8_t *data;
		size_t len;
	} f[4096];
	int fail_at; /* frame index whose send fails (-1: none) */
};

static bool
capture(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	struct wire *w = arg;

	if ((int)w->n == w->fail_at) {
		pl_error_set(err, PL_EXIT_TEMPFAIL, "queue full");
		return false;
	}
	assert_true(w->n < 4096);
	w->f[w->n].data = xmalloc(len ? len : 1);
	memcpy(w->f[w->n].data, frame, len);
	w->f[w->n].len = len;
	w->n++;
	return true;
}

static void
wire_clear(struct wire *w)
{
	for (unsigned i = 0; i < w->n; i++)
		free(w->f[i].data);
	w->n = 0;
	w->fail_at = -1;
}

/* What the handlers saw. */
static struct {
	unsigned pings, bulks, empties, lists;
	uint32_t seq, from;
	char text[64];
	uint64_t bulk_seq;
	size_t bulk_len;
	uint32_t bulk_sum;
} seen;

static void
on_ping(const struct pl_peer_msg *m, void *arg)
{
	uint32_t seq;
	const char *text;

	assert_ptr_equal(arg, &seen);
	assert_true(pl_peer_unpack(m, &seq, &text));
	seen.pings++;
	seen.seq = seq;
	seen.from = m->nodeid;
	strncpy(seen.text, text, sizeof(seen.text) - 1);
}

static void
on_bulk(const struct pl_peer_msg *m, void *arg)
{
	uint64_t seq;
	const char *doc;

	(void)arg;
	assert_true(pl_peer_unpack(m, &seq, &doc));
	seen.bulks++;
	seen.bulk_seq = seq;
	seen.bulk_len = strlen(doc);
	seen.bulk_sum = 0;
	for (size_t i = 0; doc[i]; i++)
		seen.bulk_sum = seen.bulk_sum * 31 + (uint8_t)doc[i];
}

static void
on_empty(const struct pl_peer_msg *m, void *arg)
{
	(void)arg;
	assert_int_equal(m->len, 0);
	seen.empties++;
}

static void
on_list(const struct pl_peer_msg *m, void *arg)
{
	const char **names = NULL, **kv = NULL;
	uint32_t nn = 0, nkv = 0;

	(void)arg;
	assert_true(pl_peer_unpack(m, &names, &nn, &kv, &nkv));
	seen.lists++;
	free(names);
	free(kv);
}

static struct pl_peer *
new_peer(size_t frame_max)
{
	struct pl_peer *pp = pl_peer_new(PL_SVC_ECHO, frame_max, &seen);

	pl_peer_handle(pp, PL_PEER_ECHO_PING, on_ping);
	pl_peer_handle(pp, PL_PEER_ECHO_BULK, on_bulk);
	pl_peer_handle(pp, PL_PEER_ECHO_EMPTY, on_empty);
	pl_peer_handle(pp, PL_PEER_ECHO_LIST, on_list);
	memset(&seen, 0, sizeof(seen));
	return pp;
}

static uint64_t
all_rejects(const struct pl_peer *pp)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < PL_PEER_REJ_COUNT; i++)
		n += pl_peer_rejects(pp, (enum pl_peer_reject)i);
	return n;
}

static char *
make_doc(size_t len, unsigned seed)
{
	char *d = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		d[i] = (char)('a' + (i * 7 + seed) % 26);
	d[len] = '\0';
	return d;
}

static uint32_t
doc_sum(const char *doc)
{
	uint32_t s = 0;

	for (size_t i = 0; doc[i]; i++)
		s = s * 31 + (uint8_t)doc[i];
	return s;
}

static int
setup(void **state)
{
	(void)state;
	log_set_level(PL_LOG_ERR); /* one warning per drop: thousands in the fuzz */
	return 0;
}

static void
test_table(void **state)
{
	(void)state;
	assert_null(pl_peer_def(0));
	assert_null(pl_peer_def(0x01ff));
	assert_null(pl_peer_def(0xffffffffu));
	assert_string_equal(pl_peer_name(PL_PEER_ECHO_PING), "ECHO_PING");
	assert_string_equal(pl_peer_name(PL_PEER_CIB_UPDATE), "CIB_UPDATE");
	assert_int_equal(PL_PEER_CIB_UPDATE, 0x0301);
	for (unsigned k = 1; k < PL_MSG_TYPE_LIMIT; k++) {
		const struct pl_peer_def *d = pl_peer_def(k);

		if (d == NULL)
			continue;
		assert_int_equal(d->kind, k);
		assert_int_equal(PL_MSG_SERVICE_OF(k), d->service);
		if (!pl_sig_valid(d->sig))
			fail_msg("%s has an invalid signature \"%s\"", d->name, d->sig);
		if (d->sig[0] != '\0' && d->maxlen == 0)
			fail_msg("%s carries fields but has MAXLEN 0", d->name);
	}
}

static void
test_roundtrip(void **state)
{
	struct pl_peer *pp = new_peer(1024);
	struct wire *w = xcalloc(1, sizeof(*w));
	struct pl_error e = PL_ERROR_INIT;
	const char *names[] = { "a", "bb", NULL }, *kv[] = { "k", "v", NULL };

	(void)state;
	w->fail_at = -1;
	assert_true(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_PING, (uint32_t)7, "hello"));
	assert_true(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_EMPTY));
	assert_true(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_LIST, names, kv));
	assert_int_equal(w->n, 3);
	for (unsigned i = 0; i < w->n; i++)
		assert_true(pl_peer_receive(pp, 2, 100, w->f[i].data, w->f[i].len));
	assert_int_equal(seen.pings, 1);
	assert_int_equal(seen.seq, 7);
	assert_int_equal(seen.from, 2);
	assert_string_equal(seen.text, "hello");
	assert_int_equal(seen.empties, 1);
	assert_int_equal(seen.lists, 1);
	assert_int_equal(pl_peer_delivered(pp), 3);
	assert_int_equal(all_rejects(pp), 0);
	wire_clear(w);
	free(w);
	pl_peer_free(pp);
}

/* A large message in pieces, interleaved with another sender's, reassembled per sender. */
static void
test_pieces(void **state)
{
	struct pl_peer *pp = new_peer(1000);
	struct wire *a = xcalloc(1, sizeof(*a)), *b = xcalloc(1, sizeof(*b));
	struct pl_error e = PL_ERROR_INIT;
	char *doc_a = make_doc(100000, 1), *doc_b = make_doc(30000, 2);
	unsigned ia = 0, ib = 0;

	(void)state;
	a->fail_at = b->fail_at = -1;
	assert_true(pl_peer_send(pp, capture, a, &e, PL_PEER_ECHO_BULK, (uint64_t)1, doc_a));
	assert_true(pl_peer_send(pp, capture, b, &e, PL_PEER_ECHO_BULK, (uint64_t)2, doc_b));
	assert_true(a->n > 100);
	for (unsigned i = 0; i < a->n; i++)
		assert_true(a->f[i].len <= 1000);
	while (ia < a->n || ib < b->n) {
		if (ia < a->n)
			assert_true(pl_peer_receive(pp, 1, 10, a->f[ia].data, a->f[ia].len)), ia++;
		if (ib < b->n && ia % 3 == 0)
			assert_true(pl_peer_receive(pp, 2, 20, b->f[ib].data, b->f[ib].len)), ib++;
		if (ia == a->n && ib < b->n)
			assert_true(pl_peer_receive(pp, 2, 20, b->f[ib].data, b->f[ib].len)), ib++;
	}
	assert_int_equal(seen.bulks, 2);
	assert_int_equal(all_rejects(pp), 0);
	/* the last one completed was whichever finished last; check both by sending again */
	memset(&seen, 0, sizeof(seen));
	for (unsigned i = 0; i < a->n; i++)
		pl_peer_receive(pp, 1, 10, a->f[i].data, a->f[i].len);
	assert_int_equal(seen.bulk_len, 100000);
	assert_int_equal(seen.bulk_sum, doc_sum(doc_a));
	assert_int_equal(seen.bulk_seq, 1);

	/* A sender that gives up midway (send failed): its next message replaces the partial,
	 * counted once as abandoned. */
	wire_clear(a);
	a->fail_at = 5;
	assert_false(pl_peer_send(pp, capture, a, &e, PL_PEER_ECHO_BULK, (uint64_t)3, doc_a));
	assert_int_equal(e.code, PL_EXIT_TEMPFAIL);
	for (unsigned i = 0; i < a->n; i++)
		assert_true(pl_peer_receive(pp, 1, 10, a->f[i].data, a->f[i].len));
	wire_clear(a);
	assert_true(pl_peer_send(pp, capture, a, &e, PL_PEER_ECHO_PING, (uint32_t)9, "after"));
	assert_true(pl_peer_receive(pp, 1, 10, a->f[0].data, a->f[0].len));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_PIECE), 1);
	assert_int_equal(seen.seq, 9);

	/* A member that leaves midway: forgotten, not counted; a piece after that is. */
	wire_clear(a);
	assert_true(pl_peer_send(pp, capture, a, &e, PL_PEER_ECHO_BULK, (uint64_t)4, doc_b));
	assert_true(pl_peer_receive(pp, 3, 30, a->f[0].data, a->f[0].len));
	pl_peer_forget(pp, 3, 30);
	assert_false(pl_peer_receive(pp, 3, 30, a->f[1].data, a->f[1].len));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_PIECE), 2);

	wire_clear(a);
	wire_clear(b);
	free(a);
	free(b);
	free(doc_a);
	free(doc_b);
	pl_peer_free(pp);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Each drop reason, by a frame built to fail exactly that check. */
static void
test_rejects(void **state)
{
	struct pl_peer *pp = new_peer(4096);
	struct wire *w = xcalloc(1, sizeof(*w));
	struct pl_error e = PL_ERROR_INIT;
	uint8_t f[64];
	char *big;

	(void)state;
	w->fail_at = -1;
	assert_true(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_PING, (uint32_t)1, "x"));
	assert_false(pl_peer_receive(pp, 1, 1, w->f[0].data, 10));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_SHORT), 1);

	memcpy(f, w->f[0].data, w->f[0].len);
	put32(f, 0x12345678);
	assert_false(pl_peer_receive(pp, 1, 1, f, w->f[0].len));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_MAGIC), 1);

	memcpy(f, w->f[0].data, w->f[0].len);
	put32(f + 4, 2);
	assert_false(pl_peer_receive(pp, 1, 1, f, w->f[0].len));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_VERSION), 1);

	memcpy(f, w->f[0].data, w->f[0].len);
	put32(f + 8, 0x01ff);
	assert_false(pl_peer_receive(pp, 1, 1, f, w->f[0].len));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_KIND), 1);

	memcpy(f, w->f[0].data, w->f[0].len);
	put32(f + 8, PL_PEER_CIB_RESYNC);
	assert_false(pl_peer_receive(pp, 1, 1, f, w->f[0].len));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_SERVICE), 1);

	memcpy(f, w->f[0].data, w->f[0].len);
	put32(f + 12, 5000); /* total above ECHO_PING's 4096 */
	assert_false(pl_peer_receive(pp, 1, 1, f, w->f[0].len));
	memcpy(f, w->f[0].data, w->f[0].len);
	put32(f + 16, (uint32_t)w->f[0].len); /* offset past the total */
	assert_false(pl_peer_receive(pp, 1, 1, f, w->f[0].len));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_LENGTH), 2);

	memcpy(f, w->f[0].data, w->f[0].len);
	f[w->f[0].len - 1] = 'y'; /* the string's NUL */
	assert_false(pl_peer_receive(pp, 1, 1, f, w->f[0].len) && seen.pings);
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_SIG), 1);
	assert_int_equal(seen.pings, 0);

	/* No handler: a second peer without ECHO_LIST. */
	{
		struct pl_peer *p2 = pl_peer_new(PL_SVC_ECHO, 4096, &seen);

		wire_clear(w);
		assert_true(pl_peer_send(p2, capture, w, &e, PL_PEER_ECHO_LIST, NULL, NULL));
		assert_false(pl_peer_receive(p2, 1, 1, w->f[0].data, w->f[0].len));
		assert_int_equal(pl_peer_rejects(p2, PL_PEER_REJ_HANDLER), 1);
		pl_peer_free(p2);
	}

	/* The sender's side: a payload over the limit is refused with 65 and a clear text. */
	big = make_doc(5000, 0);
	assert_false(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_PING, (uint32_t)1, big));
	assert_int_equal(e.code, PL_EXIT_DATAERR);
	assert_non_null(strstr(e.text, "ECHO_PING of 5009 bytes exceeds the limit of 4096"));
	pl_msg_set_limit(10000);
	free(big);
	big = make_doc(20000, 0);
	assert_false(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_BULK, (uint64_t)1, big));
	assert_non_null(strstr(e.text, PL_MSG_LIMIT_ENV));
	pl_msg_set_limit(PL_MSG_LIMIT_DEFAULT);
	assert_false(pl_peer_send(pp, capture, w, &e, PL_PEER_CIB_RESYNC, (uint64_t)1));
	assert_int_equal(e.code, PL_EXIT_SOFTWARE);
	free(big);
	wire_clear(w);
	free(w);
	pl_peer_free(pp);
}

/* Batches: frames that end their message back to back in one group message are handled
 * one by one, in order; a frame that does not end its message takes the rest; bytes after a
 * frame that are not a frame are dropped without losing the frames before them. */
static void
test_batch(void **state)
{
	struct pl_peer *pp = new_peer(1000);
	struct wire *w = xcalloc(1, sizeof(*w));
	struct pl_error e = PL_ERROR_INIT;
	char *doc = make_doc(2500, 3);
	uint8_t buf[8192];
	size_t len = 0;
	unsigned last;

	(void)state;
	w->fail_at = -1;
	memset(&seen, 0, sizeof(seen));
	/* BULK in 3 frames, then 3 PINGs: [piece 1] [piece 2] [piece 3 + ping 1 + ping 2 + ping 3] */
	assert_true(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_BULK, (uint64_t)5, doc));
	last = w->n;
	assert_int_equal(last, 3);
	for (uint32_t i = 1; i <= 3; i++)
		assert_true(pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_PING, i, "batched"));
	assert_false(pl_peer_frame_ends_message(w->f[0].data, w->f[0].len));
	assert_false(pl_peer_frame_ends_message(w->f[1].data, w->f[1].len));
	for (unsigned i = 2; i < w->n; i++) {
		assert_true(pl_peer_frame_ends_message(w->f[i].data, w->f[i].len));
		memcpy(buf + len, w->f[i].data, w->f[i].len);
		len += w->f[i].len;
	}
	assert_true(pl_peer_receive(pp, 4, 40, w->f[0].data, w->f[0].len));
	assert_true(pl_peer_receive(pp, 4, 40, w->f[1].data, w->f[1].len));
	assert_int_equal(seen.bulks, 0);
	assert_true(pl_peer_receive(pp, 4, 40, buf, len));
	assert_int_equal(seen.bulks, 1);
	assert_int_equal(seen.bulk_sum, doc_sum(doc));
	assert_int_equal(seen.pings, 3);
	assert_int_equal(seen.seq, 3); /* the last one handled last */
	assert_int_equal(pl_peer_delivered(pp), 4);
	assert_int_equal(all_rejects(pp), 0);

	/* garbage after two whole frames: both handled, the rest counted once */
	len = 0;
	for (unsigned i = last; i < last + 2; i++) {
		memcpy(buf + len, w->f[i].data, w->f[i].len);
		len += w->f[i].len;
	}
	memcpy(buf + len, "garbage-garbage-garbage", 23);
	assert_false(pl_peer_receive(pp, 4, 40, buf, len + 23));
	assert_int_equal(seen.pings, 5);
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_MAGIC), 1);
	assert_int_equal(all_rejects(pp), 1);
	wire_clear(w);
	free(w);
	free(doc);
	pl_peer_free(pp);
}

/* The fuzz: valid messages mutated (bit flips, truncation, extension, header fields set to
 * edge values), pieces dropped, duplicated and reordered, and pure random frames, from a
 * few senders. Nothing may crash or leak (ASan), every frame is either accepted or counted
 * exactly once, and every delivered message decoded by its own signature. */
static void
test_fuzz(void **state)
{
	const char *env = getenv("PL_PEER_FUZZ_ROUNDS");
	unsigned rounds = env ? (unsigned)atoi(env) : 20000;
	struct pl_peer *pp = new_peer(300);
	struct wire *w = xcalloc(1, sizeof(*w));
	struct pl_error e = PL_ERROR_INIT;
	uint8_t buf[400];
	uint64_t frames = 0, accepted = 0;
	char *doc = make_doc(3000, 5);
	const char *names[] = { "n1", "n2", NULL }, *kv[] = { "a", "b", "c", "d", NULL };

	(void)state;
	srand(12345);
	w->fail_at = -1;
	for (unsigned round = 0; round < rounds; round++) {
		unsigned pick = (unsigned)rand() % 5;
		uint32_t node = 1 + (uint32_t)rand() % 3;

		wire_clear(w);
		switch (pick) {
		case 0:
			pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_PING, (uint32_t)round, "fuzz");
			break;
		case 1:
			pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_BULK, (uint64_t)round,
			    doc + rand() % 3000);
			break;
		case 2: pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_EMPTY); break;
		case 3: pl_peer_send(pp, capture, w, &e, PL_PEER_ECHO_LIST, names, kv); break;
		default: { /* random bytes, sometimes behind a valid header prefix */
			size_t len = (size_t)rand() % sizeof(buf);

			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)rand();
			if (len >= 20 && rand() % 2) {
				put32(buf, PL_PEER_MAGIC);
				put32(buf + 4, PL_PEER_VERSION);
				put32(buf + 8, 0x0100 + (uint32_t)rand() % 6);
				if (rand() % 2)
					put32(buf + 12, (uint32_t)(len - 20));
				if (rand() % 2)
					put32(buf + 16, 0);
			}
			capture(buf, len, w, &e);
		}
		}
		for (unsigned i = 0; i < w->n; i++) {
			uint8_t *f = w->f[i].data;
			size_t len = w->f[i].len;
			int mut = rand() % 10;
			uint8_t copy[400];
			uint64_t before = all_rejects(pp);

			if (len > sizeof(copy))
				len = sizeof(copy);
			memcpy(copy, f, len);
			if (mut == 0 && len > 0)
				copy[rand() % len] ^= (uint8_t)(1u << (rand() % 8));
			else if (mut == 1 && len > 0)
				len = (size_t)rand() % len; /* truncated */
			else if (mut == 2 && len + 8 <= sizeof(copy))
				len += (size_t)rand() % 8; /* trailing bytes */
			else if (mut == 3 && len >= 20)
				put32(copy + 12 + 4 * (rand() % 2),
				    rand() % 2 ? 0xffffffffu : (uint32_t)rand());
			else if (mut == 4)
				continue; /* piece lost */
			frames++;
			if (pl_peer_receive(pp, node, 7, copy, len))
				accepted++;
			else
				assert_true(all_rejects(pp) > before);
			if (mut == 5 && i > 0) /* duplicated */
				frames++, accepted += pl_peer_receive(pp, node, 7, copy, len);
		}
		if (rand() % 50 == 0)
			pl_peer_forget(pp, node, 7);
	}
	/* Every frame was either accepted or dropped (abandoned partials count extra). */
	assert_true(accepted + all_rejects(pp) >= frames);
	assert_true(pl_peer_delivered(pp) > rounds / 5);
	assert_true(seen.pings > 0 && seen.bulks > 0 && seen.empties > 0 && seen.lists > 0);
	print_message("fuzz: %u rounds, %llu frames, %llu accepted, %llu delivered, %llu "
		      "dropped\n",
	    rounds, (unsigned long long)frames, (unsigned long long)accepted,
	    (unsigned long long)pl_peer_delivered(pp), (unsigned long long)all_rejects(pp));
	wire_clear(w);
	free(w);
	free(doc);
	pl_peer_free(pp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
