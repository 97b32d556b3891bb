/*
 * test_totem_sim.c - the Totem protocol core on a simulated network: fixed scenarios
 * (formation, crash, restart, partition, heal, fragmentation under loss) and thousands of
 * seeded random ones, each followed by the invariant check of sim_check().
 *
 *	TOTEM_SIM_SEED=N     run only random scenario N, and dump its history on failure
 *	TOTEM_SIM_COUNT=N    how many random scenarios (default 2000)
 *	TOTEM_SIM_FIRST=N    the first seed (default 1)
 *	TOTEM_SIM_LINK_SEED=N / TOTEM_SIM_LINK_COUNT=N   the same for the link scenarios (100)
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

/* Time until n more deliveries are recorded (every node of an n-node ring), in 1 ms steps. */
static uint64_t
delivery_latency(struct sim *s, uint64_t before, unsigned n)
{
	uint64_t t0 = sim_now(s);

	while (sim_deliveries(s) < before + n && sim_now(s) - t0 < 2000)
		sim_run(s, 1);
	return sim_now(s) - t0;
}

/* An idle ring's representative holds the token (hold_ms, capped at token / (4 x members)).
 * A member that sends then asks for it (TOKEN_WANTED): its message is delivered within a
 * few packet delays, not after the rest of the hold. The representative's own sends always
 * released it. The nudge is rate-limited (one per token received), a nudge naming another
 * ring or from a non-member is dropped, and a busy ring sends none. */
static void
test_token_wanted(void **state)
{
	struct totem_params p = params;
	struct sim *s;
	uint64_t worst = 0, total = 0;
	unsigned trials = 0;

	(void)state;
	p.token_ms = 2000; /* hold cap 2000 / (4 x 3) = 166 ms: far above a few packet delays */
	p.token_retransmit_ms = 400;
	p.consensus_ms = 2400;
	p.hold_ms = 300;
	s = sim_new(3, 11, &p);
	for (unsigned i = 0; i < 3; i++)
		sim_start(s, i);
	assert_true(sim_run_until_stable(s, 10000));
	for (int k = 0; k < 30; k++) {
		unsigned from = 1 + (unsigned)k % 2; /* nodes 2 and 3: never the representative */
		uint64_t before, took;
		sim_run(s, 500 + sim_rand(s) % 300); /* idle: the representative holds */
		before = sim_deliveries(s);
		assert_true(sim_send(s, from, 64));
		took = delivery_latency(s, before, 3);
		worst = took > worst ? took : worst;
		total += took;
		trials++;
	}
	print_message("idle ring, member send: delivered everywhere in %llu ms worst, %.1f ms mean "
		      "(hold %u ms); nudges sent %llu, heard %llu\n",
	    (unsigned long long)worst, (double)total / trials, 166,
	    (unsigned long long)(totem_get_stats(sim_totem(s, 1))->nudges_sent +
		totem_get_stats(sim_totem(s, 2))->nudges_sent),
	    (unsigned long long)totem_get_stats(sim_totem(s, 0))->nudges_heard);
	assert_true(worst <= 10);
	assert_true(totem_get_stats(sim_totem(s, 0))->nudges_heard > 0);

	/* a busy ring: messages every millisecond from a member; the token never idles, so the
	 * member sends (almost) no nudge, and never more than one per token it received */
	{
		const struct totem_stats *st = totem_get_stats(sim_totem(s, 2));
		uint64_t n0 = st->nudges_sent, t0 = st->tokens;
		for (int k = 0; k < 500; k++) {
			sim_send(s, 2, 100);
			sim_run(s, 1);
		}
		assert_true(st->nudges_sent - n0 <= 1);
		assert_true(st->tokens - t0 > 100);
	}

	/* forged or stale nudges: another ring's id, or a sender outside the ring, are dropped */
	{
		struct totem *rep = sim_totem(s, 0);
		struct totem_pkt pk = { .type = TOTEM_PKT_TOKEN_WANTED, .sender = 2, .cluster = 42 };
		uint8_t buf[TOTEM_MAX_PACKET];
		uint64_t drops = totem_get_stats(rep)->drops[TOTEM_DROP_STATE];
		uint64_t strangers = totem_get_stats(rep)->drops[TOTEM_DROP_SENDER];
		size_t len;
		assert_true(sim_run_until_stable(s, 5000));
		sim_run(s, 500);
		totem_members(rep, &pk.u.wanted.ring, NULL);
		pk.u.wanted.ring.seq++;
		len = totem_encode(&pk, buf);
		totem_recv(rep, buf, len, sim_now(s));
		assert_int_equal(totem_get_stats(rep)->drops[TOTEM_DROP_STATE], drops + 1);
		pk.u.wanted.ring.seq--;
		pk.sender = 9; /* not a configured node at all */
		len = totem_encode(&pk, buf);
		totem_recv(rep, buf, len, sim_now(s));
		assert_int_equal(totem_get_stats(rep)->drops[TOTEM_DROP_SENDER], strangers + 1);
	}
	check_ok(s, false);
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

/* ---- links below the ring ---- */

static uint64_t
rings_installed(struct sim *s, unsigned n)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < n; i++)
		if (sim_alive(s, i))
			r += totem_get_stats(sim_totem(s, i))->rings;
	return r;
}

static void
cut_link_all(struct sim *s, unsigned n, unsigned link, bool cut)
{
	for (unsigned a = 0; a < n; a++)
		for (unsigned b = 0; b < n; b++)
			if (a != b)
				sim_cut_link(s, link, a, b, cut);
}

/* Run ms while every node sends; returns the longest time no delivery happened. */
static uint64_t
stream(struct sim *s, unsigned n, uint64_t ms)
{
	uint64_t end = sim_now(s) + ms, last = sim_now(s), d0 = sim_deliveries(s), gap = 0;

	while (sim_now(s) < end) {
		sim_send(s, (unsigned)(sim_rand(s) % n), 16 + (size_t)(sim_rand(s) % 200));
		sim_run(s, 5);
		if (sim_deliveries(s) != d0) {
			d0 = sim_deliveries(s);
			last = sim_now(s);
		} else if (sim_now(s) - last > gap) {
			gap = sim_now(s) - last;
		}
	}
	return gap;
}

/* Two links: cut link 0, then bring it back, then cut link 1: no membership change, every
 * message delivered, traffic stalls less than a token timeout; then cut both links of one
 * node: a node failure, detected as fast as with one link. Every mode, unicast and group. */
static void
test_links_failover(void **state)
{
	(void)state;
	for (int mode = 0; mode < 3; mode++) {
		for (int group = 0; group < 2; group++) {
			struct sim *s = sim_new(3, 100 + (uint64_t)mode, &params);
			uint32_t m[TOTEM_MAX_NODES];
			uint64_t rings, gap, t0, detected = 0;
			sim_set_links(s, 2, (enum membership_links_mode)mode, group);
			for (unsigned i = 0; i < 3; i++)
				sim_start(s, i);
			assert_true(sim_run_until_stable(s, 10000));
			stream(s, 3, 500);
			assert_true(membership_links_up(sim_links(s, 0), 2, 0));
			assert_true(membership_links_up(sim_links(s, 0), 2, 1));
			rings = rings_installed(s, 3);
			cut_link_all(s, 3, 0, true);
			gap = stream(s, 3, 3 * params.token_ms);
			print_message("mode %d%s: link 0 cut, longest stall %llu ms (token %u)\n",
			    mode, group ? " group" : "", (unsigned long long)gap, params.token_ms);
			assert_true(gap < params.token_ms);
			assert_false(membership_links_up(sim_links(s, 0), 2, 0));
			assert_int_equal(rings_installed(s, 3), rings);
			cut_link_all(s, 3, 0, false);
			stream(s, 3, 2 * params.token_ms);
			assert_true(membership_links_up(sim_links(s, 1), 3, 0)); /* back in use */
			cut_link_all(s, 3, 1, true);
			gap = stream(s, 3, 3 * params.token_ms);
			assert_true(gap < params.token_ms);
			assert_int_equal(rings_installed(s, 3), rings);
			assert_true(sim_run_until_stable(s, 5000));
			check_ok(s, true);
			/* both links of node 3 (link 1 is cut already) */
			t0 = sim_now(s);
			for (unsigned a = 0; a < 2; a++) {
				sim_cut_link(s, 0, a, 2, true);
				sim_cut_link(s, 0, 2, a, true);
			}
			while (sim_now(s) - t0 < 5000) {
				sim_run(s, 1);
				if (members_of(s, 0, m) == 2 && members_of(s, 1, m) == 2 &&
				    totem_get_state(sim_totem(s, 0)) == TOTEM_OPERATIONAL) {
					detected = sim_now(s) - t0;
					break;
				}
			}
			assert_true(detected > 0);
			assert_true(detected <= params.token_ms + 100);
			check_ok(s, false);
			sim_free(s);
		}
	}
}

/* Seeded link faults: 2-5 nodes, 2-3 links, every mode; links cut one way or both ways,
 * flapping, while one link (chosen per scenario) always works. With no packet loss there is
 * never a membership change; with loss and duplicates the invariants still hold. */
static bool
link_scenario(uint64_t seed, bool verbose, struct pl_buf *err)
{
	struct sim *s = sim_new(2, seed, &params);
	struct totem_params scaled = params;
	struct sim_net net = { 0 };
	unsigned n, links, safe;
	uint64_t rings;
	bool ok, lossy;

	n = 2 + (unsigned)(sim_rand(s) % 4);
	sim_free(s);
	scaled.token_ms += 100 * (n - 2);
	s = sim_new(n, seed, &scaled);
	links = 2 + (unsigned)(sim_rand(s) % 2);
	safe = (unsigned)(sim_rand(s) % links);
	lossy = sim_rand(s) % 3 == 0;
	net.loss = lossy ? 0.02 : 0;
	net.dup = lossy ? 0.02 : 0;
	net.max_delay_ms = 1 + (uint32_t)(sim_rand(s) % 5);
	sim_set_net(s, &net);
	{
		bool group = sim_rand(s) % 2;
		enum membership_links_mode mode = (enum membership_links_mode)(sim_rand(s) % 3);
		sim_set_links(s, links, mode, group);
		if (verbose)
			fprintf(stderr, "%u nodes, %u links (link %u safe), mode %d%s, %s\n", n,
			    links, safe, mode, group ? " group" : "", lossy ? "lossy" : "no loss");
	}
	for (unsigned i = 0; i < n; i++)
		sim_start(s, i);
	if (!sim_run_until_stable(s, 20000)) {
		pl_buf_addf(err, "no ring formed\n");
		sim_free(s);
		return false;
	}
	rings = rings_installed(s, n);
	for (int a = 0; a < 12; a++) {
		unsigned k = (unsigned)(sim_rand(s) % links), x = (unsigned)(sim_rand(s) % n),
			 y = (unsigned)(sim_rand(s) % n);
		uint64_t r = sim_rand(s) % 100;
		if (verbose)
			fprintf(stderr, "t=%llu: link %u %u->%u r=%llu rings %llu\n",
			    (unsigned long long)sim_now(s), k, x, y, (unsigned long long)r,
			    (unsigned long long)rings_installed(s, n));
		if (k != safe && x != y) {
			if (r < 40) {
				sim_cut_link(s, k, x, y, true); /* asymmetric */
			} else if (r < 70) {
				sim_cut_link(s, k, x, y, true);
				sim_cut_link(s, k, y, x, true);
			} else if (r < 85) {
				cut_link_all(s, n, k, true); /* flapping: down and up */
				stream(s, n, 50 + sim_rand(s) % 400);
				cut_link_all(s, n, k, false);
			} else {
				cut_link_all(s, n, k, false);
			}
		}
		stream(s, n, 100 + sim_rand(s) % 600);
	}
	sim_heal(s);
	ok = sim_run_until_stable(s, 30000);
	if (!ok)
		pl_buf_addf(err, "not stable 30 s after the heal\n");
	if (ok && !lossy && rings_installed(s, n) != rings) {
		pl_buf_addf(err, "membership changed although link %u always worked\n", safe);
		ok = false;
	}
	if (ok)
		ok = sim_check(s, true, err);
	if (!ok && verbose)
		sim_dump(s);
	sim_free(s);
	return ok;
}

static void
test_links_random(void **state)
{
	const char *one = getenv("TOTEM_SIM_LINK_SEED");
	const char *cnt = getenv("TOTEM_SIM_LINK_COUNT");
	unsigned count = cnt ? (unsigned)strtoul(cnt, NULL, 10) : 100, failures = 0;

	(void)state;
	for (unsigned seed = one ? (unsigned)strtoul(one, NULL, 10) : 1;
	     one ? seed == strtoul(one, NULL, 10) : seed <= count; seed++) {
		struct pl_buf err = PL_BUF_INIT;
		if (!link_scenario(seed, one != NULL, &err)) {
			fprintf(stderr, "FAILED link seed %u (rerun: TOTEM_SIM_LINK_SEED=%u): %s",
			    seed, seed, pl_buf_str(&err));
			failures++;
		}
		pl_buf_free(&err);
	}
	assert_int_equal(failures, 0);
}

/* ---- random scenarios ---- */

static uint64_t total_deliveries, total_sent, total_nudges;

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
	/* the nudge's rate limit: one per token received (and per ring entered) */
	for (unsigned i = 0; i < n; i++) {
		const struct totem_stats *st;
		if (!sim_alive(s, i))
			continue;
		st = totem_get_stats(sim_totem(s, i));
		if (st->nudges_sent > st->tokens + st->rings + 1) {
			pl_buf_addf(err, "node %u sent %llu nudges for %llu tokens\n", i + 1,
			    (unsigned long long)st->nudges_sent, (unsigned long long)st->tokens);
			ok = false;
		}
		total_nudges += st->nudges_heard;
	}
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
	    "%u random scenarios, %u failed (%llu messages sent, %llu deliveries checked, %llu "
	    "held tokens released by a nudge)\n",
	    count, failures, (unsigned long long)total_sent, (unsigned long long)total_deliveries,
	    (unsigned long long)total_nudges);
	assert_int_equal(failures, 0);
	if (count >= 100)
		assert_true(total_nudges > 0); /* the random runs do exercise the nudge */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_ring),
		cmocka_unit_test(test_crash_detect),
		cmocka_unit_test(test_leave),
		cmocka_unit_test(test_token_wanted),
		cmocka_unit_test(test_restart_rejoins),
		cmocka_unit_test(test_partition_heal),
		cmocka_unit_test(test_fragmentation_lossy),
		cmocka_unit_test(test_checker_catches_violations),
		cmocka_unit_test(test_links_failover),
		cmocka_unit_test(test_links_random),
		cmocka_unit_test(test_random_scenarios),
	};

	log_init("test");
	log_set_level(getenv("TOTEM_SIM_DEBUG") ? PL_LOG_DEBUG : PL_LOG_WARNING);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
