/*
 * test_totem_wire.c - Totem packet encoding: every packet type survives a round trip, and
 * every malformed field is rejected with its reason before anything trusts it. A mutation
 * loop (flipped bytes, truncations) must never crash the decoder (run under ASan too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "totem_wire.h"

#define CLUSTER 7

static size_t
enc(const struct totem_pkt *p, uint8_t *buf)
{
	return totem_encode(p, buf);
}

static enum totem_drop
dec_fail(const uint8_t *buf, size_t len)
{
	struct totem_pkt p;
	enum totem_drop why = TOTEM_DROP_COUNT_MAX;

	assert_int_equal(totem_decode(buf, len, CLUSTER, &p, &why), -1);
	return why;
}

static void
dec_ok(const uint8_t *buf, size_t len, struct totem_pkt *p)
{
	enum totem_drop why;

	assert_int_equal(totem_decode(buf, len, CLUSTER, p, &why), 0);
}

static struct totem_pkt
token_pkt(void)
{
	struct totem_pkt p = { .type = TOTEM_PKT_ORF_TOKEN, .sender = 3, .cluster = CLUSTER };

	p.u.token.ring.rep = 1;
	p.u.token.ring.seq = 0x100000002ull;
	p.u.token.token_seq = 99;
	p.u.token.seq = 50;
	p.u.token.aru = 40;
	p.u.token.aru_id = 2;
	p.u.token.fcc = 12;
	p.u.token.done = 1;
	p.u.token.gc = 30;
	p.u.token.rot_min = 35;
	p.u.token.rtr_count = 2;
	p.u.token.rtr[0] = 41;
	p.u.token.rtr[1] = 45;
	return p;
}

static const uint8_t payload[5] = { 'h', 'e', 'l', 'l', 'o' };

static struct totem_pkt
mcast_pkt(void)
{
	struct totem_pkt p = { .type = TOTEM_PKT_MCAST, .sender = 2, .cluster = CLUSTER };
	struct totem_mcast *m = &p.u.mcast;

	m->ring.rep = 1;
	m->ring.seq = 8;
	m->seq = 17;
	m->origin_ring = m->ring;
	m->origin_seq = 17;
	m->origin_sender = 2;
	m->msg_id = 5;
	m->frag_idx = 1;
	m->frag_count = 3;
	m->data_len = sizeof(payload);
	m->data = payload;
	return p;
}

static struct totem_pkt
join_pkt(void)
{
	struct totem_pkt p = { .type = TOTEM_PKT_JOIN, .sender = 2, .cluster = CLUSTER };
	struct totem_join *j = &p.u.join;

	j->incarnation = 1234567890123ull;
	j->join_seq = 4;
	j->ring_seq = 77;
	j->proc_count = 3;
	j->proc[0] = 1;
	j->proc[1] = 2;
	j->proc[2] = 9;
	j->fail_count = 1;
	j->fail[0] = 9;
	return p;
}

static struct totem_pkt
commit_pkt(void)
{
	struct totem_pkt p = { .type = TOTEM_PKT_COMMIT, .sender = 1, .cluster = CLUSTER };
	struct totem_commit *c = &p.u.commit;

	c->ring.rep = 1;
	c->ring.seq = 78;
	c->stage = 1;
	c->count = 2;
	c->e[0].nodeid = 1;
	c->e[0].old_ring.rep = 1;
	c->e[0].old_ring.seq = 77;
	c->e[0].old_aru = 10;
	c->e[0].old_high = 12;
	c->e[0].filled = 1;
	c->e[1].nodeid = 2;
	return p;
}

static void
test_token_round_trip(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt in = token_pkt(), out;
	size_t len = enc(&in, buf);

	(void)state;
	assert_int_equal(len, TOTEM_HDR_LEN + 12 + 8 + 4 * 7 + 4 + 2 * 4);
	assert_int_equal(buf[0], 0x50); /* network byte order: magic first, high byte first */
	assert_int_equal(buf[1], 0x4c);
	dec_ok(buf, len, &out);
	assert_int_equal(out.type, TOTEM_PKT_ORF_TOKEN);
	assert_int_equal(out.sender, 3);
	assert_int_equal(out.u.token.ring.seq, 0x100000002ull);
	assert_int_equal(out.u.token.token_seq, 99);
	assert_int_equal(out.u.token.seq, 50);
	assert_int_equal(out.u.token.aru, 40);
	assert_int_equal(out.u.token.aru_id, 2);
	assert_int_equal(out.u.token.fcc, 12);
	assert_int_equal(out.u.token.done, 1);
	assert_int_equal(out.u.token.gc, 30);
	assert_int_equal(out.u.token.rot_min, 35);
	assert_int_equal(out.u.token.rtr_count, 2);
	assert_int_equal(out.u.token.rtr[1], 45);
}

static void
test_mcast_round_trip(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt in = mcast_pkt(), out;
	size_t len = enc(&in, buf);

	(void)state;
	dec_ok(buf, len, &out);
	assert_int_equal(out.u.mcast.seq, 17);
	assert_int_equal(out.u.mcast.msg_id, 5);
	assert_int_equal(out.u.mcast.frag_idx, 1);
	assert_int_equal(out.u.mcast.frag_count, 3);
	assert_int_equal(out.u.mcast.data_len, 5);
	assert_memory_equal(out.u.mcast.data, "hello", 5);
	/* a recovery message carries another ring as its origin */
	in.u.mcast.flags = TOTEM_MCAST_RECOVERY;
	in.u.mcast.origin_ring.seq = 3;
	in.u.mcast.origin_seq = 400;
	len = enc(&in, buf);
	dec_ok(buf, len, &out);
	assert_int_equal(out.u.mcast.origin_ring.seq, 3);
	assert_int_equal(out.u.mcast.origin_seq, 400);
}

static void
test_join_commit_merge_ack_round_trip(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt in = join_pkt(), out;
	size_t len;

	(void)state;
	len = enc(&in, buf);
	dec_ok(buf, len, &out);
	assert_int_equal(out.u.join.incarnation, 1234567890123ull);
	assert_int_equal(out.u.join.proc_count, 3);
	assert_int_equal(out.u.join.proc[2], 9);
	assert_int_equal(out.u.join.fail[0], 9);

	in = commit_pkt();
	len = enc(&in, buf);
	assert_int_equal(len, TOTEM_HDR_LEN + 16 + 2 * 28);
	dec_ok(buf, len, &out);
	assert_int_equal(out.u.commit.count, 2);
	assert_int_equal(out.u.commit.e[0].old_ring.seq, 77);
	assert_int_equal(out.u.commit.e[0].old_high, 12);
	assert_int_equal(out.u.commit.e[0].filled, 1);
	assert_int_equal(out.u.commit.e[1].filled, 0);

	in.type = TOTEM_PKT_MERGE;
	in.u.merge.ring.rep = 4;
	in.u.merge.ring.seq = 9;
	len = enc(&in, buf);
	dec_ok(buf, len, &out);
	assert_int_equal(out.u.merge.ring.rep, 4);

	in.type = TOTEM_PKT_TOKEN_ACK;
	in.u.ack.ring.rep = 4;
	in.u.ack.ring.seq = 9;
	in.u.ack.token_seq = 1ull << 40;
	len = enc(&in, buf);
	dec_ok(buf, len, &out);
	assert_int_equal(out.u.ack.token_seq, 1ull << 40);

	in.type = TOTEM_PKT_TOKEN_WANTED;
	in.u.wanted.ring.rep = 5;
	in.u.wanted.ring.seq = 1ull << 36;
	len = enc(&in, buf);
	assert_int_equal(len, TOTEM_HDR_LEN + 12);
	dec_ok(buf, len, &out);
	assert_int_equal(out.type, TOTEM_PKT_TOKEN_WANTED);
	assert_int_equal(out.u.wanted.ring.rep, 5);
	assert_int_equal(out.u.wanted.ring.seq, 1ull << 36);
}

/* Patch a big-endian field at off in a copy and expect a rejection for why. */
static void
expect_patch(
    const uint8_t *orig, size_t len, size_t off, unsigned width, uint64_t v, enum totem_drop why)
{
	uint8_t b[TOTEM_MAX_PACKET];

	memcpy(b, orig, len);
	for (unsigned i = 0; i < width; i++)
		b[off + i] = (uint8_t)(v >> (8 * (width - 1 - i)));
	assert_string_equal(totem_drop_name(dec_fail(b, len)), totem_drop_name(why));
}

static void
test_header_rejections(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt in = join_pkt();
	struct totem_pkt out;
	enum totem_drop why;
	size_t len = enc(&in, buf);

	(void)state;
	assert_int_equal(dec_fail(buf, 0), TOTEM_DROP_SHORT);
	assert_int_equal(dec_fail(buf, TOTEM_HDR_LEN - 1), TOTEM_DROP_SHORT);
	assert_int_equal(dec_fail(buf, TOTEM_MAX_PACKET + 1), TOTEM_DROP_LENGTH);
	expect_patch(buf, len, 0, 2, 0x4c50, TOTEM_DROP_MAGIC);
	expect_patch(buf, len, 2, 1, 2, TOTEM_DROP_VERSION);
	expect_patch(buf, len, 3, 1, 0, TOTEM_DROP_TYPE);
	expect_patch(buf, len, 3, 1, 10, TOTEM_DROP_TYPE);
	expect_patch(buf, len, 4, 4, 0, TOTEM_DROP_SENDER);
	expect_patch(buf, len, 8, 4, CLUSTER + 1, TOTEM_DROP_CLUSTER);
	assert_int_equal(totem_decode(buf, len, CLUSTER + 1, &out, &why), -1);
	assert_int_equal(why, TOTEM_DROP_CLUSTER);
	/* every truncation of a valid packet is rejected */
	for (size_t l = TOTEM_HDR_LEN; l < len; l++)
		dec_fail(buf, l);
}

static void
test_token_rejections(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET + 8];
	struct totem_pkt in = token_pkt();
	size_t len = enc(&in, buf);
	const size_t b = TOTEM_HDR_LEN; /* body offsets: ring 0, token_seq 12, seq 20, aru 24 */

	(void)state;
	expect_patch(buf, len, b + 0, 4, 0, TOTEM_DROP_FIELD);	 /* ring rep 0 */
	expect_patch(buf, len, b + 4, 8, 0, TOTEM_DROP_FIELD);	 /* ring seq 0 */
	expect_patch(buf, len, b + 12, 8, 0, TOTEM_DROP_FIELD);	 /* token_seq 0 */
	expect_patch(buf, len, b + 24, 4, 51, TOTEM_DROP_FIELD); /* aru > seq */
	expect_patch(buf, len, b + 40, 4, 51, TOTEM_DROP_FIELD); /* gc > seq */
	expect_patch(buf, len, b + 44, 4, 51, TOTEM_DROP_FIELD); /* rot_min > seq */
	expect_patch(buf, len, b + 48, 2, TOTEM_MAX_RTR + 1, TOTEM_DROP_COUNT);
	expect_patch(buf, len, b + 48, 2, 3, TOTEM_DROP_LENGTH); /* count vs size */
	expect_patch(buf, len, b + 52, 4, 0, TOTEM_DROP_FIELD);	 /* rtr seq 0 */
	expect_patch(buf, len, b + 56, 4, 51, TOTEM_DROP_FIELD); /* rtr seq > seq */
	buf[len] = 0;
	assert_int_equal(dec_fail(buf, len + 1), TOTEM_DROP_LENGTH); /* trailing byte */
}

static void
test_mcast_rejections(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET + 8];
	struct totem_pkt in = mcast_pkt();
	size_t len = enc(&in, buf);
	const size_t b = TOTEM_HDR_LEN; /* seq 12, flags 16, data_len 18, origin ring 20,
					 * origin seq 32, origin sender 36, msg_id 40, idx 44, count 46 */

	(void)state;
	expect_patch(buf, len, b + 12, 4, 0, TOTEM_DROP_FIELD);	   /* seq 0 */
	expect_patch(buf, len, b + 16, 1, 0x80, TOTEM_DROP_FIELD); /* unknown flag */
	expect_patch(buf, len, b + 18, 2, 6, TOTEM_DROP_LENGTH);   /* data_len vs size */
	expect_patch(buf, len, b + 18, 2, TOTEM_MAX_FRAG_DATA + 1, TOTEM_DROP_LENGTH);
	expect_patch(buf, len, b + 24, 8, 9, TOTEM_DROP_FIELD);	 /* origin ring != ring */
	expect_patch(buf, len, b + 32, 4, 18, TOTEM_DROP_FIELD); /* origin seq != seq */
	expect_patch(buf, len, b + 36, 4, 0, TOTEM_DROP_FIELD);	 /* origin sender 0 */
	expect_patch(buf, len, b + 44, 2, 3, TOTEM_DROP_FRAG);	 /* idx == count */
	expect_patch(buf, len, b + 46, 2, 0, TOTEM_DROP_FRAG);	 /* count 0 */
	buf[len] = 0;
	assert_int_equal(dec_fail(buf, len + 1), TOTEM_DROP_LENGTH);
}

/* A PACKED message: whole small messages, each u16 length + bytes, exactly filling data. */
static void
test_packed(void **state)
{
	static const uint8_t good[] = { 0, 2, 'h', 'i', 0, 1, '!' };
	static const uint8_t zero[] = { 0, 0, 0, 1, '!' };
	static const uint8_t over[] = { 0, 9, 'h', 'i' };
	static const uint8_t odd[] = { 0, 2, 'h', 'i', 0 };
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt in = mcast_pkt(), out;
	size_t len;

	(void)state;
	in.u.mcast.flags = TOTEM_MCAST_PACKED;
	in.u.mcast.frag_idx = 0;
	in.u.mcast.frag_count = 1;
	in.u.mcast.data = good;
	in.u.mcast.data_len = sizeof(good);
	len = enc(&in, buf);
	dec_ok(buf, len, &out);
	assert_int_equal(out.u.mcast.flags, TOTEM_MCAST_PACKED);
	in.u.mcast.data = zero;
	in.u.mcast.data_len = sizeof(zero);
	assert_int_equal(dec_fail(buf, enc(&in, buf)), TOTEM_DROP_LENGTH);
	in.u.mcast.data = over;
	in.u.mcast.data_len = sizeof(over);
	assert_int_equal(dec_fail(buf, enc(&in, buf)), TOTEM_DROP_LENGTH);
	in.u.mcast.data = odd;
	in.u.mcast.data_len = sizeof(odd);
	assert_int_equal(dec_fail(buf, enc(&in, buf)), TOTEM_DROP_LENGTH);
	in.u.mcast.data = good;
	in.u.mcast.data_len = sizeof(good);
	in.u.mcast.frag_count = 2;
	assert_int_equal(dec_fail(buf, enc(&in, buf)), TOTEM_DROP_FRAG);
}

static void
test_join_rejections(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt in = join_pkt();
	size_t len = enc(&in, buf);
	const size_t b = TOTEM_HDR_LEN; /* proc_count 20, fail_count 22, lists 24 */

	(void)state;
	expect_patch(buf, len, b + 20, 2, TOTEM_MAX_NODES + 1, TOTEM_DROP_COUNT);
	expect_patch(buf, len, b + 22, 2, TOTEM_MAX_NODES + 1, TOTEM_DROP_COUNT);
	expect_patch(buf, len, b + 20, 2, 2, TOTEM_DROP_LENGTH);
	expect_patch(buf, len, b + 24, 4, 0, TOTEM_DROP_NODEID); /* nodeid 0 */
	expect_patch(buf, len, b + 28, 4, 1, TOTEM_DROP_NODEID); /* duplicate */
	expect_patch(buf, len, b + 32, 4, 2, TOTEM_DROP_NODEID); /* unsorted */
	expect_patch(buf, len, b + 36, 4, 0, TOTEM_DROP_NODEID); /* fail list nodeid 0 */
}

static void
test_commit_rejections(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET];
	struct totem_pkt in = commit_pkt();
	size_t len = enc(&in, buf);
	const size_t b = TOTEM_HDR_LEN; /* stage 12, count 14, entries at 16 (28 bytes) */

	(void)state;
	expect_patch(buf, len, b + 4, 8, 0, TOTEM_DROP_FIELD);	/* ring seq 0 */
	expect_patch(buf, len, b + 12, 1, 3, TOTEM_DROP_FIELD); /* stage */
	expect_patch(buf, len, b + 14, 2, 0, TOTEM_DROP_COUNT);
	expect_patch(buf, len, b + 14, 2, TOTEM_MAX_NODES + 1, TOTEM_DROP_COUNT);
	expect_patch(buf, len, b + 14, 2, 1, TOTEM_DROP_LENGTH);
	expect_patch(buf, len, b + 16 + 28, 4, 1, TOTEM_DROP_NODEID); /* entries unsorted */
	expect_patch(buf, len, b + 16 + 24, 1, 2, TOTEM_DROP_FIELD);  /* filled 2 */
	expect_patch(buf, len, b + 16 + 16, 4, 13, TOTEM_DROP_FIELD); /* old_aru > old_high */
	expect_patch(buf, len, b + 0, 4, 2, TOTEM_DROP_FIELD);	      /* rep not lowest */
}

static void
test_merge_ack_rejections(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET + 8];
	struct totem_pkt in = { .type = TOTEM_PKT_MERGE, .sender = 1, .cluster = CLUSTER };
	size_t len;

	(void)state;
	in.u.merge.ring.rep = 1;
	len = enc(&in, buf);
	buf[len] = 0;
	assert_int_equal(dec_fail(buf, len + 1), TOTEM_DROP_LENGTH);
	assert_int_equal(dec_fail(buf, len - 1), TOTEM_DROP_SHORT);
	expect_patch(buf, len, TOTEM_HDR_LEN, 4, 0, TOTEM_DROP_FIELD);
	in.type = TOTEM_PKT_TOKEN_ACK;
	len = enc(&in, buf);
	assert_int_equal(dec_fail(buf, len - 1), TOTEM_DROP_SHORT);
	expect_patch(buf, len, TOTEM_HDR_LEN, 4, 0, TOTEM_DROP_FIELD);
	in.type = TOTEM_PKT_TOKEN_WANTED;
	in.u.wanted.ring.rep = 1;
	len = enc(&in, buf);
	buf[len] = 0;
	assert_int_equal(dec_fail(buf, len + 1), TOTEM_DROP_LENGTH);
	assert_int_equal(dec_fail(buf, len - 1), TOTEM_DROP_SHORT);
	expect_patch(buf, len, TOTEM_HDR_LEN, 4, 0, TOTEM_DROP_FIELD);
}

/* The link probes (links.h): round trip, and a link number out of range is refused. */
static void
test_link_probes(void **state)
{
	uint8_t buf[TOTEM_MAX_PACKET + 8];
	struct totem_pkt in = { .type = TOTEM_PKT_LINK_PING, .sender = 2, .cluster = CLUSTER }, out;
	size_t len;

	(void)state;
	in.u.probe.link = 7;
	in.u.probe.stamp = 0x0102030405060708ull;
	len = enc(&in, buf);
	assert_int_equal(len, TOTEM_HDR_LEN + 12);
	dec_ok(buf, len, &out);
	assert_int_equal(out.type, TOTEM_PKT_LINK_PING);
	assert_int_equal(out.u.probe.link, 7);
	assert_true(out.u.probe.stamp == in.u.probe.stamp);
	in.type = TOTEM_PKT_LINK_PONG;
	len = enc(&in, buf);
	dec_ok(buf, len, &out);
	assert_int_equal(out.type, TOTEM_PKT_LINK_PONG);
	assert_int_equal(dec_fail(buf, len - 1), TOTEM_DROP_SHORT);
	buf[len] = 0;
	assert_int_equal(dec_fail(buf, len + 1), TOTEM_DROP_LENGTH);
	expect_patch(buf, len, TOTEM_HDR_LEN, 1, 8, TOTEM_DROP_FIELD);
}

/* Random corruption of valid packets: decode or reject, never read out of bounds. */
static void
test_mutations(void **state)
{
	struct totem_pkt pk[4] = { token_pkt(), mcast_pkt(), join_pkt(), commit_pkt() };
	uint64_t rng = 88172645463325252ull;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		uint8_t buf[TOTEM_MAX_PACKET], *copy;
		struct totem_pkt out;
		enum totem_drop why;
		size_t len = enc(&pk[round % 4], buf), cut;
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		buf[rng % len] ^= (uint8_t)(rng >> 32);
		cut = (rng >> 40) % 4 == 0 ? (rng >> 20) % (len + 1) : len;
		copy = malloc(cut ? cut : 1); /* exact size: ASan sees any over-read */
		memcpy(copy, buf, cut);
		if (totem_decode(copy, cut, CLUSTER, &out, &why) == 0 && out.type == TOTEM_PKT_MCAST)
			assert_true(out.u.mcast.data + out.u.mcast.data_len <= copy + cut);
		free(copy);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_round_trip),
		cmocka_unit_test(test_mcast_round_trip),
		cmocka_unit_test(test_join_commit_merge_ack_round_trip),
		cmocka_unit_test(test_header_rejections),
		cmocka_unit_test(test_token_rejections),
		cmocka_unit_test(test_mcast_rejections),
		cmocka_unit_test(test_packed),
		cmocka_unit_test(test_join_rejections),
		cmocka_unit_test(test_commit_rejections),
		cmocka_unit_test(test_merge_ack_rejections),
		cmocka_unit_test(test_link_probes),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
