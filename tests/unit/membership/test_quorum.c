/*
 * test_quorum.c - the quorum calculator (membership/quorum.h) against votequorum(5)'s
 * documented behaviour: majority, two_node, wait_for_all, votes, last_man_standing (the
 * 8 -> 5 -> 3 -> 2 chain of the man page, and 2 -> 1 with auto_tie_breaker),
 * auto_tie_breaker lowest/highest/list, allow_downscale, expected votes at run time, the
 * expected-votes exchange after a change; then seeded random partitions of clusters of
 * 2-7 nodes, every node with its own calculator, checking that no two partitions are ever
 * quorate at once (TOTEM_QUORUM_SEEDS=N for more).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorum.h"

static struct membership_quorum_conf
conf(unsigned n)
{
	struct membership_quorum_conf c;

	memset(&c, 0, sizeof(c));
	c.n_nodes = n;
	for (unsigned i = 0; i < n; i++) {
		c.nodeids[i] = i + 1;
		c.votes[i] = 1;
	}
	c.lms_window_ms = 10000;
	return c;
}

/* A configuration of ids on q, then every member's expected votes (the exchange). */
static void
ring(struct membership_quorum *q, const uint32_t *ids, unsigned n, uint64_t now)
{
	membership_quorum_update(q, ids, n, now);
	for (unsigned i = 0; i < n; i++)
		membership_quorum_nodeinfo(q, ids[i], q->expected, false);
}

#define RING(q, now, ...)                                               \
	do {                                                            \
		const uint32_t ids_[] = { __VA_ARGS__ };                \
		ring((q), ids_, sizeof(ids_) / sizeof(ids_[0]), (now)); \
	} while (0)

static void
test_majority(void **state)
{
	struct membership_quorum q;
	struct membership_quorum_conf c = conf(3);

	(void)state;
	membership_quorum_init(&q, &c);
	assert_int_equal(q.expected, 3);
	assert_int_equal(q.quorum, 2);
	RING(&q, 0, 1, 2, 3);
	assert_true(q.quorate);
	RING(&q, 0, 1, 2);
	assert_true(q.quorate);
	RING(&q, 0, 1); /* the lone node of a 1|2 split */
	assert_false(q.quorate);
	assert_int_equal(q.expected, 3); /* never lowered by itself */

	/* votes: node 1 has 3 of 5 */
	c = conf(3);
	c.votes[0] = 3;
	membership_quorum_init(&q, &c);
	assert_int_equal(q.expected, 5);
	RING(&q, 0, 1);
	assert_true(q.quorate);
	RING(&q, 0, 2, 3);
	assert_false(q.quorate);
	assert_int_equal(membership_quorum_votes(&q, 1), 3);

	/* configured expected_votes, raised to the votes present */
	c = conf(3);
	c.expected_votes = 2;
	membership_quorum_init(&q, &c);
	assert_int_equal(q.quorum, 2);
	RING(&q, 0, 1, 2, 3);
	assert_int_equal(q.expected, 3);
	assert_int_equal(q.highest_expected, 3);
}

static void
test_two_node_wait_for_all(void **state)
{
	struct membership_quorum q;
	struct membership_quorum_conf c = conf(2);

	(void)state;
	c.two_node = c.wait_for_all = true;
	membership_quorum_init(&q, &c);
	assert_int_equal(q.quorum, 1);
	assert_true(membership_quorum_flags(&q) & MEMBERSHIP_QFLAG_TWO_NODE);
	RING(&q, 0, 1);
	assert_false(q.quorate); /* has not seen both yet */
	assert_true(membership_quorum_flags(&q) & MEMBERSHIP_QFLAG_WAITING);
	RING(&q, 0, 1, 2);
	assert_true(q.quorate);
	RING(&q, 0, 1);
	assert_true(q.quorate); /* two_node: one survivor keeps it */

	c = conf(5);
	c.wait_for_all = true;
	membership_quorum_init(&q, &c);
	RING(&q, 0, 1, 2, 3, 4);
	assert_false(q.quorate); /* wait_for_all */
	RING(&q, 0, 1, 2, 3, 4, 5);
	RING(&q, 0, 1, 2, 3);
	assert_true(q.quorate);
}

/* votequorum(5)'s example chain: 8 nodes, LMS, 8 -> 5 -> 3 -> 2, then 1 with ATB only. */
static void
test_last_man_standing(void **state)
{
	struct membership_quorum q;
	struct membership_quorum_conf c = conf(8);
	uint64_t now = 1000;

	(void)state;
	c.last_man_standing = true;
	for (int atb = 0; atb < 2; atb++) {
		c.auto_tie_breaker = atb;
		membership_quorum_init(&q, &c);
		assert_true(membership_quorum_flags(&q) & MEMBERSHIP_QFLAG_LMS);
		RING(&q, now, 1, 2, 3, 4, 5, 6, 7, 8);
		assert_true(q.quorate);
		assert_int_equal(membership_quorum_deadline(&q), now + 10000);
		now += 20000;
		assert_false(membership_quorum_tick(&q, now)); /* all there: nothing to do */
		RING(&q, now, 1, 2, 3, 4, 5);		       /* 3 die */
		assert_true(q.quorate);
		assert_int_equal(q.expected, 8);
		assert_int_equal(q.quorum, 5);
		assert_false(membership_quorum_tick(&q, now + 9999)); /* window not over */
		now += 10000;
		assert_true(membership_quorum_tick(&q, now));
		assert_int_equal(q.expected, 5);
		assert_int_equal(q.quorum, 3);
		RING(&q, now, 1, 2, 3); /* 2 more die */
		assert_true(q.quorate);
		now += 10000;
		assert_true(membership_quorum_tick(&q, now));
		assert_int_equal(q.expected, 3);
		assert_int_equal(q.quorum, 2);
		RING(&q, now, 2, 3); /* 1 more: 1 was the lowest */
		assert_true(q.quorate);
		now += 10000;
		assert_true(membership_quorum_tick(&q, now));
		assert_int_equal(q.expected, 2);
		assert_int_equal(q.quorum, 2);
		/* one more failure: only ATB keeps the lowest of {2, 3} */
		RING(&q, now, 3);
		assert_false(q.quorate);
		membership_quorum_init(&q, &c);
		RING(&q, now, 1, 2, 3, 4, 5, 6, 7, 8);
		RING(&q, now, 2, 3, 4, 5, 6); /* 3 die */
		now += 10000;
		membership_quorum_tick(&q, now);
		RING(&q, now, 2, 3, 4);
		now += 10000;
		membership_quorum_tick(&q, now);
		RING(&q, now, 2, 3);
		now += 10000;
		membership_quorum_tick(&q, now);
		RING(&q, now, 2);
		assert_int_equal(q.quorate, atb); /* 2 is the lowest of the survivors {2, 3} */
		if (atb) {
			assert_true(q.tie_broken);
			assert_int_equal(membership_quorum_tie_breaker(&q), 2);
		}
	}
	/* a change within the window starts it again; not quorate: no recalculation */
	membership_quorum_init(&q, &c);
	RING(&q, 0, 1, 2, 3, 4, 5, 6, 7, 8);
	RING(&q, 100, 1, 2, 3, 4, 5, 6);
	RING(&q, 5000, 1, 2, 3, 4, 5);
	assert_false(membership_quorum_tick(&q, 10100));
	assert_true(membership_quorum_tick(&q, 15000));
	assert_int_equal(q.expected, 5);
	RING(&q, 20000, 1, 2);
	assert_false(q.quorate);
	assert_false(membership_quorum_tick(&q, 40000));
	assert_int_equal(q.expected, 5);
}

static void
test_auto_tie_breaker(void **state)
{
	struct membership_quorum a, b;
	struct membership_quorum_conf c = conf(4);

	(void)state;
	c.auto_tie_breaker = true;
	/* lowest (default): the half with node 1 */
	membership_quorum_init(&a, &c);
	membership_quorum_init(&b, &c);
	RING(&a, 0, 1, 2);
	RING(&b, 0, 3, 4);
	assert_true(a.quorate);
	assert_true(a.tie_broken);
	assert_false(b.quorate);
	assert_true(membership_quorum_flags(&a) & MEMBERSHIP_QFLAG_ATB);
	/* 1 | 3: no tie, the majority rules */
	RING(&a, 0, 1);
	RING(&b, 0, 2, 3, 4);
	assert_false(a.quorate);
	assert_true(b.quorate);
	/* highest */
	c.atb_mode = MEMBERSHIP_ATB_HIGHEST;
	membership_quorum_init(&a, &c);
	membership_quorum_init(&b, &c);
	RING(&a, 0, 1, 2);
	RING(&b, 0, 3, 4);
	assert_false(a.quorate);
	assert_true(b.quorate);
	/* a list: the first listed node wins */
	c.atb_mode = MEMBERSHIP_ATB_LIST;
	c.n_atb_list = 2;
	c.atb_list[0] = 3;
	c.atb_list[1] = 1;
	membership_quorum_init(&a, &c);
	membership_quorum_init(&b, &c);
	RING(&a, 0, 1, 4);
	RING(&b, 0, 2, 3);
	assert_false(a.quorate);
	assert_true(b.quorate);
	/* two nodes, ATB instead of two_node: exactly one side */
	c = conf(2);
	c.auto_tie_breaker = true;
	c.two_node = true; /* ignored with ATB, as corosync */
	membership_quorum_init(&a, &c);
	membership_quorum_init(&b, &c);
	assert_false(membership_quorum_flags(&a) & MEMBERSHIP_QFLAG_TWO_NODE);
	RING(&a, 0, 1, 2);
	assert_true(a.quorate);
	RING(&a, 0, 1);
	RING(&b, 0, 2);
	assert_true(a.quorate);
	assert_false(b.quorate);
	/* odd: 2 | 3 of 5 is no tie */
	c = conf(5);
	c.auto_tie_breaker = true;
	membership_quorum_init(&a, &c);
	RING(&a, 0, 1, 2);
	assert_false(a.quorate);
}

static void
test_expected_and_downscale(void **state)
{
	struct membership_quorum q;
	struct membership_quorum_conf c = conf(3);

	(void)state;
	membership_quorum_init(&q, &c);
	RING(&q, 0, 1);
	assert_false(q.quorate);
	assert_true(membership_quorum_set_expected(&q, 1)); /* corosync-quorumtool -e 1 */
	assert_true(q.quorate);
	assert_int_equal(q.quorum, 1);
	membership_quorum_set_expected(&q, 10);
	assert_false(q.quorate);
	RING(&q, 0, 1, 2, 3);
	assert_int_equal(q.expected, 10); /* stays until lowered */
	membership_quorum_set_expected(&q, 2);
	assert_int_equal(q.expected, 3); /* never below the votes present */

	/* allow_downscale: clean leaves lower expected, down to the configured value */
	c = conf(5);
	c.expected_votes = 3;
	c.allow_downscale = true;
	membership_quorum_init(&q, &c);
	RING(&q, 0, 1, 2, 3, 4, 5);
	assert_int_equal(q.expected, 5);
	assert_true(membership_quorum_leave(&q, 5));
	RING(&q, 0, 1, 2, 3, 4);
	assert_int_equal(q.expected, 4);
	membership_quorum_leave(&q, 4);
	RING(&q, 0, 1, 2, 3);
	membership_quorum_leave(&q, 3);
	RING(&q, 0, 1, 2);
	assert_int_equal(q.expected, 3); /* the floor */
	assert_true(q.quorate);
	c.allow_downscale = false;
	membership_quorum_init(&q, &c);
	RING(&q, 0, 1, 2, 3, 4, 5);
	assert_false(membership_quorum_leave(&q, 5));
}

/* The exchange: a node that lowered its expected votes cannot make newcomers quorate before
 * their higher value is known, and the highest value wins. */
static void
test_exchange(void **state)
{
	struct membership_quorum q;
	struct membership_quorum_conf c = conf(5);
	const uint32_t m[] = { 3, 4, 5 }, m2[] = { 3, 4 };

	(void)state;
	membership_quorum_init(&q, &c);
	RING(&q, 0, 1, 2, 3, 4, 5);
	RING(&q, 0, 3);
	membership_quorum_set_expected(&q, 1); /* node 3 alone, told -e 1 */
	assert_true(q.quorate);
	membership_quorum_update(&q, m2, 2, 0); /* 4 (expected 5) joins */
	assert_true(q.syncing);
	assert_true(q.quorate); /* was quorate, still is by its own value (2 of 2) */
	membership_quorum_nodeinfo(&q, 4, 5, false);
	assert_int_equal(q.expected, 5);
	assert_false(q.quorate); /* 3 of 5 needed */
	membership_quorum_nodeinfo(&q, 3, 2, false);
	assert_false(q.syncing);
	assert_false(q.quorate);
	assert_int_equal(q.quorum, 3);

	/* a newcomer partition does not become quorate before the exchange ends */
	membership_quorum_init(&q, &c);
	membership_quorum_update(&q, m, 3, 0);
	assert_false(q.quorate);
	membership_quorum_nodeinfo(&q, 3, 5, false);
	membership_quorum_nodeinfo(&q, 4, 5, false);
	assert_false(q.quorate);
	membership_quorum_nodeinfo(&q, 5, 5, false);
	assert_true(q.quorate);

	/* wait_for_all: a node joining a quorate partition stops waiting */
	c.wait_for_all = true;
	membership_quorum_init(&q, &c);
	membership_quorum_update(&q, m, 3, 0);
	membership_quorum_nodeinfo(&q, 3, 5, false);
	membership_quorum_nodeinfo(&q, 5, 5, false);
	membership_quorum_nodeinfo(&q, 4, 5, false);
	assert_false(q.quorate); /* has not seen all 5 */
	membership_quorum_update(&q, m2, 2, 0);
	membership_quorum_init(&q, &c);
	membership_quorum_update(&q, m, 3, 0);
	membership_quorum_nodeinfo(&q, 4, 5, true);
	membership_quorum_nodeinfo(&q, 5, 5, true);
	membership_quorum_nodeinfo(&q, 3, 5, false);
	assert_false(q.waiting);
	assert_true(q.quorate);
}

/* ---- random partitions: never two quorate partitions ---- */

struct world {
	unsigned n;
	struct membership_quorum q[8];
	unsigned group[8]; /* partition of each node */
	uint64_t now, rng;
};

static uint64_t
rnd(struct world *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static void
check(struct world *w, uint64_t seed, const char *when)
{
	int quorate_group = -1;

	for (unsigned i = 0; i < w->n; i++) {
		if (!w->q[i].quorate)
			continue;
		if (quorate_group >= 0 && (unsigned)quorate_group != w->group[i]) {
			for (unsigned k = 0; k < w->n; k++) {
				const struct membership_quorum *q = &w->q[k];
				fprintf(stderr,
				    "node %u group %u: members %u expected %u total %u quorum %u "
				    "quorate %d syncing %d waiting %d tie %d tb %u votes %u atb "
				    "%d/%d\n",
				    k + 1, w->group[k], q->n_members, q->expected, q->total,
				    q->quorum, q->quorate, q->syncing, q->waiting, q->tie_broken,
				    membership_quorum_tie_breaker(q), q->c.votes[k],
				    q->c.auto_tie_breaker, q->c.atb_mode);
			}
			fail_msg("seed %llu: %s: partitions %d and %u both quorate",
			    (unsigned long long)seed, when, quorate_group, w->group[i]);
		}
		quorate_group = (int)w->group[i];
	}
}

/* A new partitioning: every group forms a ring; the exchange runs interleaved. */
static void
repartition(struct world *w, uint64_t seed, unsigned n_groups)
{
	uint32_t members[8][8];
	unsigned nm[8] = { 0 };

	for (unsigned i = 0; i < w->n; i++) {
		w->group[i] = (unsigned)(rnd(w) % n_groups);
		members[w->group[i]][nm[w->group[i]]++] = i + 1;
	}
	for (unsigned i = 0; i < w->n; i++)
		membership_quorum_update(&w->q[i], members[w->group[i]], nm[w->group[i]], w->now);
	check(w, seed, "after a change");
	/* node i's value reaches every member of its group, in one ring order per group */
	{
		uint32_t sent[8];
		bool was_quorate[8];
		for (unsigned i = 0; i < w->n; i++) {
			sent[i] = w->q[i].expected;
			was_quorate[i] = w->q[i].quorate;
		}
		for (unsigned k = 0; k < w->n; k++) {
			for (unsigned i = 0; i < w->n; i++) {
				if (w->group[i] != w->group[k])
					continue;
				membership_quorum_nodeinfo(&w->q[i], k + 1, sent[k], was_quorate[k]);
				check(w, seed, "during the exchange");
			}
		}
	}
}

static void
test_random_partitions(void **state)
{
	const char *env = getenv("TOTEM_QUORUM_SEEDS");
	unsigned seeds = env ? (unsigned)strtoul(env, NULL, 10) : 3000;

	(void)state;
	for (uint64_t seed = 1; seed <= seeds; seed++) {
		struct world w;
		struct membership_quorum_conf c;

		memset(&w, 0, sizeof(w));
		w.rng = seed * 0x9E3779B97F4A7C15ull | 1;
		w.n = 2 + (unsigned)(rnd(&w) % 6);
		c = conf(w.n);
		c.wait_for_all = rnd(&w) % 2;
		c.auto_tie_breaker = rnd(&w) % 2;
		c.atb_mode = (enum membership_atb_mode)(rnd(&w) % 3);
		c.n_atb_list = 1 + (unsigned)(rnd(&w) % w.n);
		for (unsigned i = 0; i < c.n_atb_list; i++)
			c.atb_list[i] = 1 + (uint32_t)(rnd(&w) % w.n);
		if (rnd(&w) % 3 == 0)
			c.votes[rnd(&w) % w.n] = 1 + (uint32_t)(rnd(&w) % 3);
		if (rnd(&w) % 4 == 0) { /* never below the nodes' votes: that is a split brain */
			c.expected_votes = (uint32_t)(rnd(&w) % 3);
			for (unsigned i = 0; i < w.n; i++)
				c.expected_votes += c.votes[i];
		}
		for (unsigned i = 0; i < w.n; i++)
			membership_quorum_init(&w.q[i], &c);
		for (int step = 0; step < 30; step++) {
			repartition(&w, seed, 1 + (unsigned)(rnd(&w) % 3));
			w.now += rnd(&w) % 20000;
			for (unsigned i = 0; i < w.n; i++)
				membership_quorum_tick(&w.q[i], w.now);
			check(&w, seed, "after time passed");
		}
	}
}

/* LMS shrinking one crash at a time, then a split of the survivors: one side at most, and
 * the expected side (all survivors while they are a majority of the recalculated expected
 * votes, or ATB's) keeps quorum every time. */
static void
test_random_lms(void **state)
{
	const char *env = getenv("TOTEM_QUORUM_SEEDS");
	unsigned seeds = env ? (unsigned)strtoul(env, NULL, 10) : 3000;

	(void)state;
	for (uint64_t seed = 1; seed <= seeds; seed++) {
		struct world w;
		struct membership_quorum_conf c;
		uint32_t alive[8];
		unsigned na;

		memset(&w, 0, sizeof(w));
		w.rng = seed * 0x9E3779B97F4A7C15ull | 1;
		w.n = 3 + (unsigned)(rnd(&w) % 5);
		c = conf(w.n);
		c.last_man_standing = true;
		c.wait_for_all = true;
		c.auto_tie_breaker = rnd(&w) % 2;
		c.atb_mode = (enum membership_atb_mode)(rnd(&w) % 2);
		for (unsigned i = 0; i < w.n; i++) {
			membership_quorum_init(&w.q[i], &c);
			alive[i] = i + 1;
		}
		na = w.n;
		for (unsigned i = 0; i < na; i++)
			ring(&w.q[alive[i] - 1], alive, na, w.now);
		while (na > 2) {
			unsigned victim = (unsigned)(rnd(&w) % na);
			membership_quorum_init(&w.q[alive[victim] - 1], &c); /* crashed */
			alive[victim] = alive[--na];
			for (unsigned i = 0; i < na; i++) /* sorted, as rings are */
				for (unsigned k = i + 1; k < na; k++)
					if (alive[k] < alive[i]) {
						uint32_t t = alive[i];
						alive[i] = alive[k];
						alive[k] = t;
					}
			for (unsigned i = 0; i < na; i++) {
				ring(&w.q[alive[i] - 1], alive, na, w.now);
				if (!w.q[alive[i] - 1].quorate)
					fail_msg("seed %llu: LMS survivors (%u) lost quorum",
					    (unsigned long long)seed, na);
			}
			w.now += 10001;
			for (unsigned i = 0; i < na; i++)
				membership_quorum_tick(&w.q[alive[i] - 1], w.now);
		}
		/* the last two split (ATB decides) or one more dies */
		for (unsigned i = 0; i < w.n; i++)
			w.group[i] = 100 + i; /* the dead: never quorate, own groups */
		w.group[alive[0] - 1] = 0;
		w.group[alive[1] - 1] = 1;
		ring(&w.q[alive[0] - 1], &alive[0], 1, w.now);
		ring(&w.q[alive[1] - 1], &alive[1], 1, w.now);
		check(&w, seed, "LMS final split");
		if (c.auto_tie_breaker && !w.q[alive[0] - 1].quorate && !w.q[alive[1] - 1].quorate)
			fail_msg("seed %llu: ATB split 1|1 left no side quorate",
			    (unsigned long long)seed);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_majority),
		cmocka_unit_test(test_two_node_wait_for_all),
		cmocka_unit_test(test_last_man_standing),
		cmocka_unit_test(test_auto_tie_breaker),
		cmocka_unit_test(test_expected_and_downscale),
		cmocka_unit_test(test_exchange),
		cmocka_unit_test(test_random_partitions),
		cmocka_unit_test(test_random_lms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
