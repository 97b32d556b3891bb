/*
 * test_qnetd_core.c - the quorum device's pieces one by one: the record layer (qnetd/record.h:
 * framing, the session key, tampering, replay, a wrong cluster key), the arbiter's decision
 * (qnetd/algo.h: ffsplit's half rule, the tie-breakers, lms's bigger partition, the vote moved
 * only after the holder gave it back, keep_active_partition_tie_breaker) and the votequorum
 * calculator with the device's votes (membership/quorum.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "algo.h"
#include "quorum.h"
#include "record.h"

static const uint8_t key[32] = "0123456789abcdef0123456789abcdef";

static void
test_record(void **state)
{
	struct qnetd_record a = { 0 }, b = { 0 }, evil = { 0 };
	uint8_t cn[QNETD_NONCE_LEN] = { 1 }, sn[QNETD_NONCE_LEN] = { 2 };
	GByteArray *wire = g_byte_array_new(), *copy;
	const uint8_t *frame;
	size_t len, used;
	const char *why = NULL;
	uint8_t other[32] = "another cluster's key, 32 bytes";

	(void)state;
	/* before the key: framing only */
	qnetd_record_seal(&a, "hello", 5, wire);
	assert_int_equal(qnetd_record_open(&b, wire, &frame, &len, &used, &why), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(frame, "hello", 5);
	g_byte_array_remove_range(wire, 0, (guint)used);
	/* partial records wait */
	qnetd_record_key(&a, key, sizeof(key), cn, sn);
	qnetd_record_key(&b, key, sizeof(key), cn, sn);
	qnetd_record_seal(&a, "vote", 4, wire);
	copy = g_byte_array_sized_new(wire->len);
	g_byte_array_append(copy, wire->data, wire->len - 1);
	assert_int_equal(qnetd_record_open(&b, copy, &frame, &len, &used, &why), 0);
	/* the whole record opens once */
	assert_int_equal(qnetd_record_open(&b, wire, &frame, &len, &used, &why), 1);
	assert_memory_equal(frame, "vote", 4);
	/* replayed: the record number moved on */
	assert_int_equal(qnetd_record_open(&b, wire, &frame, &len, &used, &why), -1);
	assert_non_null(strstr(why, "authentication"));
	g_byte_array_set_size(wire, 0);
	/* tampered */
	qnetd_record_seal(&a, "ACK!", 4, wire);
	wire->data[5] ^= 1;
	assert_int_equal(qnetd_record_open(&b, wire, &frame, &len, &used, &why), -1);
	/* another key: nothing opens */
	g_byte_array_set_size(wire, 0);
	qnetd_record_key(&evil, other, sizeof(other), cn, sn);
	evil.send_no = a.send_no;
	qnetd_record_seal(&evil, "ACK!", 4, wire);
	assert_int_equal(qnetd_record_open(&b, wire, &frame, &len, &used, &why), -1);
	/* a length out of range */
	g_byte_array_set_size(wire, 0);
	g_byte_array_append(wire, (const guint8 *)"\xff\xff\xff\xff", 4);
	assert_int_equal(qnetd_record_open(&b, wire, &frame, &len, &used, &why), -1);
	g_byte_array_unref(wire);
	g_byte_array_unref(copy);
}

static const uint32_t all4[] = { 1, 2, 3, 4 };

static void
report(struct qnetd_cluster *c, uint32_t id, uint32_t rep, uint64_t seq, const uint32_t *m, unsigned n)
{
	struct qnetd_ring r = { rep, seq };

	qnetd_cluster_membership(c, id, &r, m, n, 0);
}

static enum qnetd_vote
vote(struct qnetd_cluster *c, uint32_t id)
{
	return qnetd_cluster_node(c, id)->vote;
}

static void
ack_all(struct qnetd_cluster *c)
{
	for (unsigned i = 0; i < c->n_nodes; i++)
		qnetd_cluster_heard(c, c->nodes[i].nodeid, c->nodes[i].vote_seq, 0);
}

static void
test_ffsplit(void **state)
{
	struct qnetd_cluster c;
	const uint32_t a[] = { 1, 2 }, b[] = { 3, 4 }, one[] = { 1 }, three[] = { 2, 3, 4 };

	(void)state;
	for (int tb = 0; tb < 3; tb++) {
		qnetd_cluster_init(&c, QNETD_ALGO_FFSPLIT, (enum qnetd_tb_mode)tb, 3, false);
		for (uint32_t i = 1; i <= 4; i++)
			qnetd_cluster_connect(&c, i, all4, 4, 3000, 0);
		for (uint32_t i = 1; i <= 4; i++)
			report(&c, i, 1, 1, all4, 4);
		qnetd_cluster_decide(&c, 0);
		for (uint32_t i = 1; i <= 4; i++)
			assert_int_equal(vote(&c, i), QNETD_VOTE_ACK);
		/* 2 / 2: nodes 1 2 first; nothing moves until 3 and 4 report too */
		report(&c, 1, 1, 2, a, 2);
		report(&c, 2, 1, 2, a, 2);
		qnetd_cluster_decide(&c, 0);
		assert_int_equal(vote(&c, 1), QNETD_VOTE_WAIT); /* ring 1.1 is broken: released */
		report(&c, 3, 3, 2, b, 2);
		report(&c, 4, 3, 2, b, 2);
		qnetd_cluster_decide(&c, 0);
		/* lowest: 1 2 win; highest: 3 4; node 3: 3 4 */
		assert_int_equal(vote(&c, 1), tb == 0 ? QNETD_VOTE_ACK : QNETD_VOTE_NACK);
		assert_int_equal(vote(&c, 3), tb == 0 ? QNETD_VOTE_NACK : QNETD_VOTE_ACK);
	}
	/* 1 / 3: only the half or more may have it */
	qnetd_cluster_init(&c, QNETD_ALGO_FFSPLIT, QNETD_TB_LOWEST, 0, false);
	for (uint32_t i = 1; i <= 4; i++)
		qnetd_cluster_connect(&c, i, all4, 4, 3000, 0);
	report(&c, 1, 1, 5, one, 1);
	for (uint32_t i = 2; i <= 4; i++)
		report(&c, i, 2, 5, three, 3);
	qnetd_cluster_decide(&c, 0);
	assert_int_equal(vote(&c, 1), QNETD_VOTE_NACK);
	assert_int_equal(vote(&c, 2), QNETD_VOTE_ACK);
	/* node 2 3 4's side loses every connection: node 1 alone is still less than half */
	for (uint32_t i = 2; i <= 4; i++)
		qnetd_cluster_disconnect(&c, i);
	qnetd_cluster_decide(&c, 0);
	assert_int_equal(vote(&c, 1), QNETD_VOTE_NACK);
}

static void
test_lms_moves_after_release(void **state)
{
	struct qnetd_cluster c;
	const uint32_t one[] = { 1 }, two[] = { 2 }, big[] = { 2, 3, 4 };

	(void)state;
	qnetd_cluster_init(&c, QNETD_ALGO_LMS, QNETD_TB_LOWEST, 0, false);
	qnetd_cluster_connect(&c, 1, all4, 4, 3000, 0);
	qnetd_cluster_connect(&c, 2, all4, 4, 3000, 0);
	report(&c, 1, 1, 1, one, 1);
	report(&c, 2, 2, 1, two, 1);
	qnetd_cluster_decide(&c, 0);
	assert_int_equal(vote(&c, 1), QNETD_VOTE_ACK); /* lowest of two single nodes */
	assert_int_equal(vote(&c, 2), QNETD_VOTE_NACK);
	ack_all(&c);
	/* 3 and 4 come back and join node 2: the bigger partition must get it, but only after
	 * node 1 has given it back */
	qnetd_cluster_connect(&c, 3, all4, 4, 3000, 0);
	qnetd_cluster_connect(&c, 4, all4, 4, 3000, 0);
	for (uint32_t i = 2; i <= 4; i++)
		report(&c, i, 2, 2, big, 3);
	qnetd_cluster_decide(&c, 0);
	assert_int_equal(vote(&c, 1), QNETD_VOTE_NACK);
	assert_int_equal(vote(&c, 2), QNETD_VOTE_WAIT);
	qnetd_cluster_decide(&c, 0);
	assert_int_equal(vote(&c, 2), QNETD_VOTE_WAIT); /* still: node 1 has not acknowledged */
	ack_all(&c);
	qnetd_cluster_decide(&c, 0);
	assert_int_equal(vote(&c, 2), QNETD_VOTE_ACK);
	assert_int_equal(vote(&c, 4), QNETD_VOTE_ACK);
	assert_int_equal(vote(&c, 1), QNETD_VOTE_NACK);
	/* a silent holder is released by the arbiter's dead time, not before */
	qnetd_cluster_init(&c, QNETD_ALGO_LMS, QNETD_TB_LOWEST, 0, false);
	qnetd_cluster_connect(&c, 1, all4, 4, 3000, 0);
	report(&c, 1, 1, 1, one, 1);
	qnetd_cluster_decide(&c, 0);
	for (uint32_t i = 2; i <= 4; i++) {
		qnetd_cluster_connect(&c, i, all4, 4, 3000, 0);
		report(&c, i, 2, 2, big, 3);
	}
	qnetd_cluster_decide(&c, 0);
	assert_int_equal(vote(&c, 2), QNETD_VOTE_WAIT);
	assert_false(qnetd_cluster_expire(&c, 2999));
	assert_true(qnetd_cluster_expire(&c, 3000)); /* every node: none was heard since 0 */
}

static void
test_keep_active(void **state)
{
	struct qnetd_cluster c;
	const uint32_t a[] = { 1, 2 }, b[] = { 3, 4 };

	(void)state;
	for (int keep = 0; keep < 2; keep++) {
		qnetd_cluster_init(&c, QNETD_ALGO_FFSPLIT, QNETD_TB_LOWEST, 0, keep);
		qnetd_cluster_connect(&c, 3, all4, 4, 3000, 0);
		qnetd_cluster_connect(&c, 4, all4, 4, 3000, 0);
		report(&c, 3, 3, 1, b, 2);
		report(&c, 4, 3, 1, b, 2);
		qnetd_cluster_decide(&c, 0);
		assert_int_equal(vote(&c, 3), QNETD_VOTE_ACK);
		ack_all(&c);
		/* 1 2 reach the arbiter later: equal size, lower ids */
		qnetd_cluster_connect(&c, 1, all4, 4, 3000, 0);
		qnetd_cluster_connect(&c, 2, all4, 4, 3000, 0);
		report(&c, 1, 1, 1, a, 2);
		report(&c, 2, 1, 1, a, 2);
		qnetd_cluster_decide(&c, 0);
		ack_all(&c);
		qnetd_cluster_decide(&c, 0);
		/* corosync's default moves it back to the tie-breaker's side; keep_active does not */
		assert_int_equal(vote(&c, 3), keep ? QNETD_VOTE_ACK : QNETD_VOTE_NACK);
		assert_int_equal(vote(&c, 1), keep ? QNETD_VOTE_NACK : QNETD_VOTE_ACK);
	}
}

static void
test_quorum_device_votes(void **state)
{
	struct membership_quorum q;
	struct membership_quorum_conf c;
	const uint32_t both[] = { 1, 2 }, one[] = { 1 };

	(void)state;
	memset(&c, 0, sizeof(c));
	c.n_nodes = 2;
	c.nodeids[0] = 1;
	c.nodeids[1] = 2;
	c.votes[0] = c.votes[1] = 1;
	c.device_votes = 1;
	membership_quorum_init(&q, &c);
	assert_int_equal(q.expected, 3);
	assert_int_equal(q.quorum, 2);
	membership_quorum_update(&q, both, 2, 0);
	membership_quorum_nodeinfo(&q, 1, 3, false);
	membership_quorum_nodeinfo(&q, 2, 3, false);
	assert_true(q.quorate);
	assert_false(membership_quorum_device(&q, true)); /* 3 of 3: still quorate */
	assert_int_equal(q.total, 3);
	assert_true(membership_quorum_flags(&q) & MEMBERSHIP_QFLAG_QDEVICE_VOTE);
	membership_quorum_update(&q, one, 1, 10);
	assert_true(q.quorate); /* 1 + the device: 2 of 3 */
	assert_true(membership_quorum_device(&q, false));
	assert_false(q.quorate);
	assert_int_equal(q.total, 1);
	assert_true(membership_quorum_flags(&q) & MEMBERSHIP_QFLAG_QDEVICE);
}

/* master_wins: the node casting the device's vote is quorate whatever the node votes */
static void
test_master_wins(void **state)
{
	struct membership_quorum q;
	struct membership_quorum_conf c;
	const uint32_t one[] = { 1 };

	(void)state;
	memset(&c, 0, sizeof(c));
	c.n_nodes = 4;
	for (unsigned i = 0; i < 4; i++) {
		c.nodeids[i] = i + 1;
		c.votes[i] = 1;
	}
	c.device_votes = 1;
	c.device_master_wins = true;
	membership_quorum_init(&q, &c);
	membership_quorum_update(&q, one, 1, 0);
	assert_false(q.quorate); /* 1 of 5 */
	assert_true(membership_quorum_device(&q, true));
	assert_true(q.quorate); /* 2 of 5, but the master wins */
	assert_int_equal(q.total, 2);
	assert_true(membership_quorum_device(&q, false));
	assert_false(q.quorate);
	c.device_master_wins = false; /* without it: 2 of 5 is no quorum */
	membership_quorum_init(&q, &c);
	membership_quorum_update(&q, one, 1, 0);
	assert_false(membership_quorum_device(&q, true));
	assert_false(q.quorate);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_ffsplit),
		cmocka_unit_test(test_lms_moves_after_release),
		cmocka_unit_test(test_keep_active),
		cmocka_unit_test(test_quorum_device_votes),
		cmocka_unit_test(test_master_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
