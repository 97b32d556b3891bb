/*
 * test_totem_sim.c - the Totem protocol core on a simulated network: fixed scenarios
 * (formation, crash, restart, partition, heal, fragmentation under loss) and thousands of
 * seeded random ones, each followed by the invariant check of sim_check().
 *
 *	TOTEM_SIM_SEED=N     run only random scenario N, and dump its history on failure
 *	TOTEM_SIM_COUNT=N    how many random scenarios (default 2000)
 *	TOTEM_SIM_FIRST=N    the first seed (default 1)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "sim.h"

static const struct totem_params params = {
	.cluster = 42,
	.token_ms = 300,
	.token_retransmit_ms = 70,
	.hold_ms = 50,
	.join_ms = 20,
	.consensus_ms = 360,
	.merge_ms = 150,
	.max_messages = 17,
	.window_size = 50,
	.max_queue = 256,
};

static void
check_ok(struct sim *s, bool final)
{
	struct pl_buf err = PL_BUF_INIT;

	if (!sim_check(s, final, &err)) {
		sim_dump(s);
		fail_msg("invariant broken: %s", pl_buf_str(&err));
	}
	pl_buf_free(&err);
}

static unsigned
members_of(struct sim *s, unsigned node, uint32_t *m)
{
	return sim_members(s, node, m);
}

static struct sim *
formed(unsigned n, uint64_t seed)
{
	struct sim *s = sim_new(n, seed, &params);

	for (unsigned i = 0; i < n; i++)
		sim_start(s, i);
	assert_true(sim_run_until_stable(s, 10000));
	return s;
}

static void
test_form_ring(void **state)
{
	struct sim *s = formed(3, 1);
	uint32_t m[TOTEM_MAX_NODES];

	(void)state;
	assert_int_equal(members_of(s, 0, m), 3);
	assert_int_equal(m[0], 1);
	assert_int_equal(m[2], 3);
	for (int i = 0; i < 30; i++)
		assert_true(sim_send(s, (unsigned)i % 3, 40 + (size_t)i));
	assert_true(sim_run_until_stable(s, 5000));
	assert_int_equal(sim_deliveries(s), 90);
	assert_true(totem_get_stats(sim_totem(s, 0))->packed > 0); /* 10 queued at once */
	check_ok(s, true);
	sim_free(s);
}

/* kill -9 of one node: the others install a two-node ring within token + a few joins. */
static void
test_crash_detect(void **state)
{
	struct sim *s = formed(3, 2);
	uint32_t m[TOTEM_MAX_NODES];
	uint64_t t0, detected = 0;

	(void)state;
	sim_run(s, 1000);
	t0 = sim_now(s);
	sim_crash(s, 2);
	while (sim_now(s) - t0 < 5000) {
		sim_run(s, 1);
		if (members_of(s, 0, m) == 2 && members_of(s, 1, m) == 2 &&
		    totem_get_state(sim_totem(s, 0)) == TOTEM_OPERATIONAL &&
		    totem_get_state(sim_totem(s, 1)) == TOTEM_OPERATIONAL) {
			detected = sim_now(s) - t0;
			break;
		}
	}
	print_message("crash detected after %llu ms (token %u ms)\n", (unsigned long long)detected,
	    params.token_ms);
	assert_true(detected > 0);
	assert_true(detected <= params.token_ms + 100);
	assert_int_equal(m[0], 1);
	assert_int_equal(m[1], 2);
	check_ok(s, false);
	sim_free(s);
}

/* A planned leave: the others re-form without waiting for the token timeout. */
static void
test_leave(void **state)
{
	struct sim *s = formed(3, 7);
	uint32_t m[TOTEM_MAX_NODES];
	uint64_t t0, took = 0;

	(void)state;
	sim_run(s, 500);
	t0 = sim_now(s);
	totem_leave(sim_totem(s, 1), sim_now(s));
	sim_crash(s, 1);
	while (sim_now(s) - t0 < 5000) {
		sim_run(s, 1);
		if (members_of(s, 0, m) == 2 && members_of(s, 2, m) == 2 &&
		    totem_get_state(sim_totem(s, 0)) == TOTEM_OPERATIONAL &&
		    totem_get_state(sim_totem(s, 2)) == TOTEM_OPERATIONAL) {
			took = sim_now(s) - t0;
			break;
		}
	}
	print_message("planned leave: new ring after %llu ms (token %u ms)\n",
	    (unsigned long long)took, params.token_ms);
	assert_true(took > 0 && took < params.token_ms / 2);
	assert_int_equal(m[0], 1);
	assert_int_equal(m[1], 3);
	check_ok(s, false);
	sim_free(s);
}

static void
test_restart_rejoins(void **state)
{
	struct sim *s = formed(3, 3);
	uint32_t m[TOTEM_MAX_NODES];

	(void)state;
	sim_crash(s, 1);
	assert_true(sim_run_until_stable(s, 10000));
	assert_int_equal(members_of(s, 0, m), 2);
	sim_start(s, 1);
	assert_true(sim_run_until_stable(s, 10000));
	assert_int_equal(members_of(s, 1, m), 3);
	check_ok(s, true);
	sim_free(s);
}

static void
test_partition_heal(void **state)
{
	struct sim *s = formed(3, 4);
	uint32_t m[TOTEM_MAX_NODES];
	const unsigned groups[3] = { 0, 1, 1 };

	(void)state;
	sim_partition(s, groups);
	for (int i = 0; i < 20; i++)
		sim_send(s, (unsigned)i % 3, 100);
	assert_true(sim_run_until_stable(s, 10000));
	assert_int_equal(members_of(s, 0, m), 1);
	assert_int_equal(members_of(s, 1, m), 2);
	assert_int_equal(m[0], 2);
	sim_heal(s);
	for (int i = 0; i < 20; i++)
		sim_send(s, (unsigned)i % 3, 100);
	assert_true(sim_run_until_stable(s, 10000));
	assert_int_equal(members_of(s, 0, m), 3);
	check_ok(s, true);
	sim_free(s);
}

/* Large messages (up to 60 KiB, 50 fragments) over a lossy, reordering, duplicating net. */
static void
test_fragmentation_lossy(void **state)
{
	struct sim *s = formed(4, 5);
	const struct sim_net net = { .loss = 0.1, .dup = 0.05, .max_delay_ms = 8 };

	(void)state;
	sim_set_net(s, &net);
	for (int i = 0; i < 40; i++)
		assert_true(sim_send(s, (unsigned)i % 4, 16 + (size_t)(i * 1543) % 60000));
	assert_true(sim_run_until_stable(s, 60000));
	assert_int_equal(sim_deliveries(s), 160);
	check_ok(s, true);
	sim_free(s);
}

/* The checker itself must catch a duplicate and a reordering (a check that cannot fail is
 * no check). */
static void
test_checker_catches_violations(void **state)
{
	struct pl_buf err = PL_BUF_INIT;

	(void)state;
	for (int how = 1; how <= 2; how++) {
		struct sim *s = formed(3, 6);
		for (int i = 0; i < 10; i++)
			assert_true(sim_send(s, (unsigned)i % 3, 32));
		assert_true(sim_run_until_stable(s, 5000));
		assert_true(sim_check(s, true, &err));
		assert_true(sim_tamper(s, how));
		assert_false(sim_check(s, true, &err));
		assert_non_null(strstr(pl_buf_str(&err), how == 1 ? "twice" : "disagree"));
		pl_buf_truncate(&err, 0);
		sim_free(s);
	}
	pl_buf_free(&err);
}

/* ---- random scenarios ---- */

static uint64_t total_deliveries, total_sent;

static bool
scenario(uint64_t seed, bool verbose, struct pl_buf *err)
{
	struct sim *s;
	struct sim_net net = { 0 };
	struct totem_params scaled = params;
	static const double losses[] = { 0, 0, 0.01, 0.05, 0.2 };
	static const double dups[] = { 0, 0.02, 0.1 };
	static const uint32_t delays[] = { 1, 3, 10, 25 };
	unsigned n, actions, mode;
	uint64_t r;
	bool ok;

	s = sim_new(2, seed, &params); /* only to draw the shape from the seed's stream */
	n = 2 + (unsigned)(sim_rand(s) % 4);
	sim_free(s);
	/* like corosync's token_coefficient: more members, longer rotations */
	scaled.token_ms += 100 * (n - 2);
	s = sim_new(n, seed, &scaled);
	net.loss = losses[sim_rand(s) % 5];
	net.dup = dups[sim_rand(s) % 3];
	net.max_delay_ms = delays[sim_rand(s) % 4];
	mode = (unsigned)(sim_rand(s) % 3); /* 0 plain, 1 flapping + heavy, 2 one-way cuts */
	sim_set_net(s, &net);
	for (unsigned i = 0; i < n; i++) {
		sim_start(s, i);
		sim_run(s, sim_rand(s) % 200);
	}
	actions = 3 + (unsigned)(sim_rand(s) % 8);
	for (unsigned a = 0; a < actions; a++) {
		uint64_t span = 100 + sim_rand(s) % 1500;
		unsigned victim = (unsigned)(sim_rand(s) % n);
		for (uint64_t t = 0; t < span; t += (mode == 1 ? 5 : 20)) {
			unsigned from = (unsigned)(sim_rand(s) % n);
			r = sim_rand(s) % 100;
			if (r < (mode == 1 ? 90 : 40))
				sim_send(s, from,
				    16 + (size_t)(r < 3 ? sim_rand(s) % 9000 : sim_rand(s) % 300));
			if (r < 2) /* a burst: packed into shared packets */
				for (int b = 0; b < 10; b++)
					sim_send(s, from, 16 + (size_t)(sim_rand(s) % 200));
			sim_run(s, mode == 1 ? 5 : 20);
		}
		r = sim_rand(s) % 100;
		if (mode == 1 && r < 50) {
			/* flapping: a short partition, then back */
			unsigned g[SIM_MAX_NODES];
			for (unsigned i = 0; i < n; i++)
				g[i] = (unsigned)(sim_rand(s) % 2);
			sim_partition(s, g);
			sim_run(s, 20 + sim_rand(s) % 400);
			sim_heal(s);
		} else if (mode == 2 && r < 40) {
			unsigned to = (unsigned)(sim_rand(s) % n);
			if (to != victim)
				sim_cut(s, victim, to, true); /* one direction only */
		} else if (mode == 2 && r < 50) {
			sim_crash(s, victim);
			sim_wipe_disk(s, victim);
			sim_start(s, victim);
		} else if (r < 25) {
			unsigned alive = 0;
			for (unsigned i = 0; i < n; i++)
				alive += sim_alive(s, i);
			if (alive > 1 && sim_alive(s, victim)) {
				if (sim_rand(s) % 2) /* a planned stop rather than a crash */
					totem_leave(sim_totem(s, victim), sim_now(s));
				sim_crash(s, victim);
			}
		} else if (r < 45) {
			sim_start(s, victim);
		} else if (r < 65) {
			unsigned g[SIM_MAX_NODES];
			for (unsigned i = 0; i < n; i++)
				g[i] = (unsigned)(sim_rand(s) % 2);
			sim_partition(s, g);
		} else if (r < 85) {
			sim_heal(s);
		}
	}
	/* the end: heal, bring some back, and everything must converge */
	sim_heal(s);
	net.loss = net.loss > 0.05 ? 0.05 : net.loss;
	sim_set_net(s, &net);
	for (unsigned i = 0; i < n; i++)
		if (sim_rand(s) % 2)
			sim_start(s, i);
	ok = sim_run_until_stable(s, 60000);
	if (!ok) {
		pl_buf_addf(err, "no single stable ring 60 s after the heal\n");
	} else {
		for (unsigned i = 0; i < n; i++)
			sim_send(s, i, 64);
		ok = sim_run_until_stable(s, 30000);
		if (!ok)
			pl_buf_addf(err, "final messages not delivered within 30 s\n");
	}
	if (ok)
		ok = sim_check(s, true, err);
	else
		sim_check(s, false, err);
	if (!ok && verbose)
		sim_dump(s);
	total_deliveries += sim_deliveries(s);
	total_sent += sim_sent(s);
	sim_free(s);
	return ok;
}

static void
test_random_scenarios(void **state)
{
	const char *one = getenv("TOTEM_SIM_SEED");
	const char *cnt = getenv("TOTEM_SIM_COUNT");
	const char *first_s = getenv("TOTEM_SIM_FIRST");
	unsigned count = cnt ? (unsigned)strtoul(cnt, NULL, 10) : 2000, failures = 0;
	unsigned first = first_s ? (unsigned)strtoul(first_s, NULL, 10) : 1;

	(void)state;
	if (one) {
		struct pl_buf err = PL_BUF_INIT;
		uint64_t seed = strtoull(one, NULL, 10);
		bool ok = scenario(seed, true, &err);
		if (!ok)
			fail_msg("seed %llu: %s", (unsigned long long)seed, pl_buf_str(&err));
		pl_buf_free(&err);
		return;
	}
	for (unsigned seed = first; seed < first + count; seed++) {
		struct pl_buf err = PL_BUF_INIT;
		if (!scenario(seed, false, &err)) {
			fprintf(stderr, "FAILED seed %u (rerun: TOTEM_SIM_SEED=%u): %s", seed, seed,
			    pl_buf_str(&err));
			failures++;
		}
		pl_buf_free(&err);
	}
	print_message(
	    "%u random scenarios, %u failed (%llu messages sent, %llu deliveries checked)\n", count,
	    failures, (unsigned long long)total_sent, (unsigned long long)total_deliveries);
	assert_int_equal(failures, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_ring),
		cmocka_unit_test(test_crash_detect),
		cmocka_unit_test(test_leave),
		cmocka_unit_test(test_restart_rejoins),
		cmocka_unit_test(test_partition_heal),
		cmocka_unit_test(test_fragmentation_lossy),
		cmocka_unit_test(test_checker_catches_violations),
		cmocka_unit_test(test_random_scenarios),
	};

	log_init("test");
	log_set_level(getenv("TOTEM_SIM_DEBUG") ? PL_LOG_DEBUG : PL_LOG_WARNING);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
