/*
 * test_qnetd_sim.c - the quorum device's decision (qnetd/algo.h, the arbiter) and vote
 * (membership/qdevice.h, each node) with each node's votequorum calculator
 * (membership/quorum.h), in a seeded simulator: clusters of 2-6 nodes, ffsplit or lms, every
 * tie-breaker; random partitions, nodes cut from or back to the arbiter, node crashes and
 * restarts, arbiter messages delayed 1-60 ms and lost while cut; in a third of the seeds each
 * node runs heuristics (quorum.device.heuristics) whose result passes or fails at random and
 * changes now and then, reported to the arbiter, which ranks partitions by their score; in a
 * quarter of them master_wins makes the ring casting the device's vote quorate by itself.
 *
 * Checked at every instant: no two live rings (rings whose members all still are in them)
 * are quorate at once, and the nodes counting the device's vote are all in one ring. Checked
 * after the network settles: the partition the algorithm prefers holds the vote, and no other.
 * A few fixed cases first (2 nodes + arbiter, 4 nodes even split). 1000 seeds (300 under
 * AddressSanitizer); QNETD_SIM_SEEDS=N for more, QNETD_SIM_SEED=S (QNETD_SIM_DEBUG=1) for one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo.h"
#include "qdevice.h"
#include "quorum.h"

#define N_MAX	6
#define TIMEOUT 2000 /* quorum.device.timeout */
#define TOKEN	1000
#define MSG_MAX 4096

enum mtype { M_CONNECT, M_MEMB, M_HB, M_HEUR, M_VOTE };

struct msg {
	uint64_t at;
	enum mtype type;
	int node;	/* the node it is from or to */
	uint32_t epoch; /* the node's connection */
	uint32_t stamp, acked;
	enum qnetd_vote vote;
	uint32_t seq;
	struct qnetd_ring ring;
	uint32_t members[N_MAX];
	unsigned n_members;
	enum qnetd_heuristics heur;
};

struct node {
	uint32_t id;
	bool alive;
	int group;  /* the network partition it is in */
	bool reach; /* can talk to the arbiter */
	struct qnetd_ring ring;
	uint32_t members[N_MAX];
	unsigned n_members;
	bool ring_pending;
	uint64_t ring_at;
	struct qnetd_ring next_ring;
	uint32_t next_members[N_MAX];
	unsigned next_n;
	struct membership_quorum q;
	struct membership_qdevice d;
	bool connecting;
	uint32_t epoch;
	uint64_t last_reply, next_hb;
	uint32_t echo;	       /* arbiter side: last stamp received from this node */
	uint64_t last_at[2];   /* delivery time of the last message to / from the arbiter */
	uint32_t broken_epoch; /* lost a message: nothing more goes through (until reconnect) */
	enum qnetd_heuristics heur; /* this node's heuristics result (undefined: none run) */
};

static struct sim {
	unsigned n;
	struct node nodes[N_MAX];
	struct qnetd_cluster c;
	struct msg msgs[MSG_MAX];
	unsigned n_msgs;
	uint64_t now;
	uint64_t ring_counter;
	uint32_t seed, case_seed;
	unsigned quorate_checks;
} S;

static uint32_t
rnd(void)
{
	S.seed = S.seed * 1103515245u + 12345u;
	return (S.seed >> 8) & 0xffffff;
}

static void
post(enum mtype t, int node, uint32_t epoch, const struct msg *m)
{
	struct msg *x;

	if (S.n_msgs == MSG_MAX)
		return; /* a lost message: the protocol copes */
	x = &S.msgs[S.n_msgs++];
	*x = m ? *m : (struct msg){ 0 };
	x->type = t;
	x->node = node;
	x->epoch = epoch;
	x->at = S.now + 1 + rnd() % 60;
	{ /* TCP: one direction of one connection keeps its order */
		uint64_t *last = &S.nodes[node].last_at[t == M_VOTE];
		if (x->at < *last)
			x->at = *last;
		*last = x->at;
	}
}

static void
apply_device(struct node *x)
{
	membership_quorum_device(&x->q, x->alive && membership_qdevice_counts(&x->d, S.now));
}

/* ---- arbiter ---- */

static void
arbiter_send_votes(bool all)
{
	for (unsigned i = 0; i < S.n; i++) {
		struct qnetd_node *a = qnetd_cluster_node(&S.c, S.nodes[i].id);
		struct msg m = { 0 };
		if (!a || !a->connected || (!all && a->vote_seq == S.nodes[i].d.vote_seq))
			continue;
		m.vote = a->vote;
		m.seq = a->vote_seq;
		m.ring = a->vote_ring;
		m.stamp = S.nodes[i].echo;
		post(M_VOTE, (int)i, S.nodes[i].epoch, &m);
	}
}

static void
arbiter_decide(void)
{
	qnetd_cluster_expire(&S.c, S.now);
	if (qnetd_cluster_decide(&S.c, S.now))
		arbiter_send_votes(false);
}

static void
arbiter_recv(const struct msg *m)
{
	struct node *x = &S.nodes[m->node];
	uint32_t cfg[N_MAX];

	if (m->epoch != x->epoch || !x->alive)
		return; /* a closed connection */
	x->echo = m->type == M_CONNECT ? 0 : m->stamp > x->echo ? m->stamp : x->echo;
	switch (m->type) {
	case M_CONNECT:
		for (unsigned i = 0; i < S.n; i++)
			cfg[i] = S.nodes[i].id;
		qnetd_cluster_connect(&S.c, x->id, cfg, S.n, TIMEOUT * 3 / 2, S.now);
		break;
	case M_HEUR: qnetd_cluster_heuristics(&S.c, x->id, m->heur, S.now); break;
	case M_MEMB:
		qnetd_cluster_membership(&S.c, x->id, &m->ring, m->members, m->n_members, S.now);
		qnetd_cluster_heard(&S.c, x->id, m->acked, S.now);
		break;
	case M_HB: {
		struct qnetd_node *a = qnetd_cluster_node(&S.c, x->id);
		struct msg r = { 0 };
		qnetd_cluster_heard(&S.c, x->id, m->acked, S.now);
		arbiter_decide();
		if (a && a->connected) { /* the heartbeat's reply: the current vote */
			r.vote = a->vote;
			r.seq = a->vote_seq;
			r.ring = a->vote_ring;
			r.stamp = x->echo;
			post(M_VOTE, m->node, x->epoch, &r);
		}
		return;
	}
	default: return;
	}
	arbiter_decide();
}

/* ---- nodes ---- */

static void
node_send_memb(struct node *x)
{
	struct msg m = { 0 };

	m.ring = x->ring;
	memcpy(m.members, x->members, sizeof(m.members));
	m.n_members = x->n_members;
	m.stamp = membership_qdevice_stamp(&x->d, S.now);
	m.acked = x->d.vote_seq;
	post(M_MEMB, (int)(x - S.nodes), x->epoch, &m);
}

static void
node_send_heur(struct node *x)
{
	struct msg m = { 0 };

	m.heur = x->heur;
	post(M_HEUR, (int)(x - S.nodes), x->epoch, &m);
}

static void
node_disconnect(struct node *x)
{
	membership_qdevice_connected(&x->d, false);
	x->connecting = false;
	x->epoch++;
	if (x->broken_epoch == x->epoch)
		x->broken_epoch = 0;
	apply_device(x);
}

static void
node_recv(const struct msg *m)
{
	struct node *x = &S.nodes[m->node];
	uint32_t had;

	if (m->epoch != x->epoch || !x->alive || !x->d.connected)
		return;
	x->last_reply = S.now;
	had = x->d.vote_seq;
	membership_qdevice_vote(&x->d, (enum membership_qdevice_vote)m->vote, m->seq, m->ring.rep,
	    m->ring.seq, m->stamp);
	apply_device(x);
	if (x->d.vote_seq != had) { /* acknowledge at once (the arbiter may wait to move it) */
		struct msg a = { 0 };
		a.stamp = membership_qdevice_stamp(&x->d, S.now);
		a.acked = x->d.vote_seq;
		post(M_HB, m->node, x->epoch, &a);
	}
}

static void
node_tick(struct node *x)
{
	if (!x->alive)
		return;
	if (x->ring_pending && S.now >= x->ring_at) {
		x->ring_pending = false;
		x->ring = x->next_ring;
		memcpy(x->members, x->next_members, sizeof(x->members));
		x->n_members = x->next_n;
		membership_qdevice_ring(&x->d, x->ring.rep, x->ring.seq);
		membership_quorum_update(&x->q, x->members, x->n_members, S.now);
		for (unsigned i = 0; i < x->n_members; i++) /* the expected-votes exchange */
			membership_quorum_nodeinfo(&x->q, x->members[i], x->q.expected, false);
		apply_device(x);
		if (x->d.connected)
			node_send_memb(x);
	}
	if (!x->d.connected && x->reach) { /* connect, then report the ring at once */
		membership_qdevice_connected(&x->d, true);
		x->last_reply = S.now;
		x->next_hb = S.now + TIMEOUT / 3;
		post(M_CONNECT, (int)(x - S.nodes), x->epoch, NULL);
		if (x->heur != QNETD_HEUR_UNDEFINED)
			node_send_heur(x);
		if (x->n_members)
			node_send_memb(x);
	}
	if (x->d.connected && S.now >= x->last_reply + TIMEOUT)
		node_disconnect(x); /* no answer within the timeout */
	if (x->d.connected && S.now >= x->next_hb) {
		struct msg m = { 0 };
		m.stamp = membership_qdevice_stamp(&x->d, S.now);
		m.acked = x->d.vote_seq;
		post(M_HB, (int)(x - S.nodes), x->epoch, &m);
		x->next_hb = S.now + TIMEOUT / 3;
	}
	apply_device(x);
}

/* New rings for every group whose members changed; members learn it after ~ a token. */
static void
form_rings(void)
{
	for (int g = 0; g < N_MAX; g++) {
		uint32_t ids[N_MAX];
		unsigned n = 0;
		bool same = true;
		struct qnetd_ring r;
		for (unsigned i = 0; i < S.n; i++)
			if (S.nodes[i].alive && S.nodes[i].group == g)
				ids[n++] = S.nodes[i].id;
		if (!n)
			continue;
		for (unsigned i = 0; i < S.n && same; i++) {
			struct node *x = &S.nodes[i];
			if (!x->alive || x->group != g)
				continue;
			same = !x->ring_pending && x->n_members == n &&
			    memcmp(x->members, ids, n * sizeof(*ids)) == 0;
		}
		if (same)
			continue;
		r.rep = ids[0];
		r.seq = ++S.ring_counter;
		for (unsigned i = 0; i < S.n; i++) {
			struct node *x = &S.nodes[i];
			if (!x->alive || x->group != g)
				continue;
			x->ring_pending = true;
			x->ring_at = S.now + TOKEN + rnd() % 300;
			x->next_ring = r;
			memcpy(x->next_members, ids, n * sizeof(*ids));
			x->next_n = n;
		}
	}
}

/* ---- invariants ---- */

static bool
ring_live(const struct node *x)
{
	for (unsigned k = 0; k < x->n_members; k++) {
		const struct node *y = &S.nodes[x->members[k] - 1];
		if (!y->alive || !qnetd_ring_eq(&y->ring, &x->ring))
			return false;
	}
	return x->n_members > 0;
}

static void
check_safety(void)
{
	const struct node *q = NULL, *v = NULL;

	for (unsigned i = 0; i < S.n; i++) {
		const struct node *x = &S.nodes[i];
		if (!x->alive || !x->n_members)
			continue;
		if (membership_qdevice_counts(&x->d, S.now)) {
			if (v && !qnetd_ring_eq(&v->ring, &x->ring) && ring_live(v) && ring_live(x))
				fail_msg("seed %u t=%llu: nodes %u and %u count the device vote in "
					 "two live rings",
				    S.case_seed, (unsigned long long)S.now, v->id, x->id);
			v = x;
		}
		if (!x->q.quorate || !ring_live(x))
			continue;
		S.quorate_checks++;
		if (q && !qnetd_ring_eq(&q->ring, &x->ring))
			fail_msg("seed %u t=%llu: two quorate live rings (nodes %u and %u)",
			    S.case_seed, (unsigned long long)S.now, q->id, x->id);
		q = x;
	}
}

/* A group's rank, most significant first: ffsplit members, score, connected nodes; lms score,
 * connected nodes, members (algo.h). The score: connected + heuristics passed - failed. */
static void
group_keys(int g, unsigned k[3])
{
	unsigned size = 0, conn = 0, score = 0;

	for (unsigned i = 0; i < S.n; i++) {
		const struct node *x = &S.nodes[i];
		if (!x->alive || x->group != g)
			continue;
		size++;
		if (!x->reach)
			continue;
		conn++;
		score += 1 + (x->heur == QNETD_HEUR_PASS) - (x->heur == QNETD_HEUR_FAIL);
	}
	if (S.c.algorithm == QNETD_ALGO_LMS) {
		k[0] = score, k[1] = conn, k[2] = size;
	} else {
		k[0] = size, k[1] = score, k[2] = conn;
	}
}

static int
keys_cmp(const unsigned a[3], const unsigned b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] > b[i] ? 1 : -1;
	return 0;
}

/* After settling: the preferred partition among those the arbiter hears holds the vote. */
static void
check_settled(void)
{
	int best = -1;
	unsigned best_k[3] = { 0, 0, 0 };
	uint32_t best_tb = 0;

	for (int g = 0; g < N_MAX; g++) {
		unsigned size = 0, conn = 0, k[3];
		uint32_t lo = 0, hi = 0;
		bool tbn = false, better;
		for (unsigned i = 0; i < S.n; i++) {
			const struct node *x = &S.nodes[i];
			if (!x->alive || x->group != g)
				continue;
			size++;
			conn += x->reach;
			lo = lo ? lo : x->id;
			hi = x->id;
			tbn |= S.c.tb_mode == QNETD_TB_NODE && x->id == S.c.tb_node;
		}
		if (!conn || (S.c.algorithm == QNETD_ALGO_FFSPLIT && 2 * size < S.n))
			continue;
		group_keys(g, k);
		{
			uint32_t tb = S.c.tb_mode == QNETD_TB_HIGHEST ? hi : lo;
			int c = keys_cmp(k, best_k);
			if (S.c.tb_mode == QNETD_TB_NODE)
				tb = tbn ? 0 : lo + 1000;
			better = best < 0 || c > 0 ||
			    (c == 0 &&
				(S.c.tb_mode == QNETD_TB_HIGHEST ? tb > best_tb : tb < best_tb));
			if (better) {
				best = g;
				memcpy(best_k, k, sizeof(best_k));
				best_tb = tb;
			}
		}
	}
	if (getenv("QNETD_SIM_DEBUG")) {
		for (unsigned i = 0; i < S.n; i++) {
			const struct node *x = &S.nodes[i];
			const struct qnetd_node *a = qnetd_cluster_node(&S.c, x->id);
			fprintf(stderr,
			    "node %u alive %d group %d reach %d ring %u.%llu n %u conn %d "
			    "vote %d/%u ring %u.%llu lease %lld | arb conn %d ring %u.%llu vote %s "
			    "holding %d\n",
			    x->id, x->alive, x->group, x->reach, x->ring.rep,
			    (unsigned long long)x->ring.seq, x->n_members, x->d.connected, x->d.vote,
			    x->d.vote_seq, x->d.vote_rep, (unsigned long long)x->d.vote_seq_ring,
			    (long long)(x->d.lease_until - S.now), a ? a->connected : -1,
			    a ? a->ring.rep : 0, a ? (unsigned long long)a->ring.seq : 0ull,
			    a ? qnetd_vote_name(a->vote) : "-", a ? a->holding : -1);
		}
		fprintf(stderr, "holder %d %u.%llu\n", S.c.has_holder, S.c.holder.rep,
		    (unsigned long long)S.c.holder.seq);
	}
	/* lms and keep_active keep the vote on a partition that ties with the best */
	if (S.c.keep_active && best >= 0) {
		for (unsigned i = 0; i < S.n; i++) {
			const struct node *x = &S.nodes[i];
			unsigned k[3];
			if (!x->alive || !x->reach || !membership_qdevice_counts(&x->d, S.now))
				continue;
			group_keys(x->group, k);
			if (keys_cmp(k, best_k) == 0)
				best = x->group;
			break;
		}
	}
	for (unsigned i = 0; i < S.n; i++) {
		const struct node *x = &S.nodes[i];
		bool want = x->alive && x->reach && x->group == best;
		if (!x->alive)
			continue;
		if (membership_qdevice_counts(&x->d, S.now) != want)
			fail_msg(
			    "seed %u (%s, tb %d, %u nodes): settled, node %u (group %d) %s the "
			    "vote, best group %d",
			    S.case_seed, qnetd_algorithm_name(S.c.algorithm), S.c.tb_mode, S.n,
			    x->id, x->group, want ? "lacks" : "holds", best);
	}
}

/* ---- driver ---- */

static void
setup(unsigned n, enum qnetd_algorithm a, enum qnetd_tb_mode tb, uint32_t tb_node, uint32_t seed)
{
	struct membership_quorum_conf qc;

	unsigned checks = S.quorate_checks;

	memset(&S, 0, sizeof(S));
	S.quorate_checks = checks;
	S.case_seed = seed;
	S.n = n;
	S.seed = seed;
	qnetd_cluster_init(&S.c, a, tb, tb_node, seed % 7 < 3);
	memset(&qc, 0, sizeof(qc));
	qc.n_nodes = n;
	for (unsigned i = 0; i < n; i++) {
		qc.nodeids[i] = i + 1;
		qc.votes[i] = 1;
	}
	qc.device_votes = a == QNETD_ALGO_LMS ? n - 1 : 1;
	qc.device_master_wins = seed % 4 == 1; /* the one ring holding the vote is quorate */
	for (unsigned i = 0; i < n; i++) {
		struct node *x = &S.nodes[i];
		x->id = i + 1;
		x->alive = true;
		x->reach = true;
		x->epoch = 1;
		membership_quorum_init(&x->q, &qc);
		membership_qdevice_init(&x->d, TIMEOUT);
	}
	form_rings();
}

/* Run until `until`, delivering messages and ticking nodes every 10 ms. */
static void
run(uint64_t until)
{
	while (S.now < until) {
		S.now += 10;
		for (;;) { /* in time order, and in sending order within a time */
			unsigned k, first = S.n_msgs;
			struct msg m;
			struct node *x;
			for (k = 0; k < S.n_msgs; k++)
				if (S.msgs[k].at <= S.now &&
				    (first == S.n_msgs || S.msgs[k].at < S.msgs[first].at))
					first = k;
			if (first == S.n_msgs)
				break;
			m = S.msgs[first];
			x = &S.nodes[m.node];
			memmove(
			    &S.msgs[first], &S.msgs[first + 1], (S.n_msgs - first - 1) * sizeof(m));
			S.n_msgs--;
			if (!x->reach)
				x->broken_epoch = m.epoch; /* TCP: a gap breaks the stream */
			if (x->broken_epoch == m.epoch)
				continue;
			if (m.type == M_VOTE)
				node_recv(&m);
			else
				arbiter_recv(&m);
		}
		for (unsigned i = 0; i < S.n; i++)
			node_tick(&S.nodes[i]);
		arbiter_decide();
		check_safety();
	}
}

static void
partition(const int *groups, const bool *reach)
{
	for (unsigned i = 0; i < S.n; i++) {
		S.nodes[i].group = groups[i];
		S.nodes[i].reach = reach[i];
	}
	form_rings();
}

static bool
quorate(unsigned id)
{
	return S.nodes[id - 1].q.quorate;
}

static void
test_two_nodes(void **state)
{
	(void)state;
	for (int side = 0; side < 2; side++) {
		for (int a = 0; a < 2; a++) {
			const int g[] = { 0, 1 };
			bool r[] = { side == 0, side == 1 };
			setup(2, (enum qnetd_algorithm)a, QNETD_TB_LOWEST, 0, 7);
			run(5000);
			assert_true(quorate(1) && quorate(2));
			assert_int_equal(S.nodes[0].q.total, 3);
			partition(g, r);
			run(S.now + 10000);
			/* whichever side the arbiter reaches keeps quorum, the other loses it */
			assert_int_equal(quorate(1), side == 0);
			assert_int_equal(quorate(2), side == 1);
		}
	}
	{ /* both reach the arbiter: the tie-breaker (lowest) decides */
		const int g[] = { 0, 1 };
		const bool r[] = { true, true };
		setup(2, QNETD_ALGO_FFSPLIT, QNETD_TB_LOWEST, 0, 9);
		run(5000);
		partition(g, r);
		run(S.now + 10000);
		assert_true(quorate(1));
		assert_false(quorate(2));
	}
	{ /* arbiter gone, then a node: 2 of 3 votes, then 1 of 3 (corosync's documented case) */
		const int g[] = { 0, 0 };
		const bool r[] = { false, false };
		setup(2, QNETD_ALGO_FFSPLIT, QNETD_TB_LOWEST, 0, 11);
		run(5000);
		partition(g, r);
		run(S.now + 10000);
		assert_true(quorate(1) && quorate(2));
		S.nodes[1].alive = false;
		form_rings();
		run(S.now + 5000);
		assert_false(quorate(1));
	}
}

static void
test_four_even_split(void **state)
{
	const int g[] = { 0, 0, 1, 1 };
	const bool r[] = { true, true, true, true };

	(void)state;
	setup(4, QNETD_ALGO_FFSPLIT, QNETD_TB_HIGHEST, 0, 13);
	run(5000);
	assert_int_equal(S.nodes[0].q.expected, 5);
	partition(g, r);
	run(S.now + 10000);
	assert_false(quorate(1) || quorate(2));
	assert_true(quorate(3) && quorate(4)); /* the highest node id is on that side */
	{ /* lms: the last node standing keeps quorum with the arbiter's 3 votes */
		const int g1[] = { 0, 1, 2, 3 };
		const bool r1[] = { false, false, true, false };
		setup(4, QNETD_ALGO_LMS, QNETD_TB_LOWEST, 0, 15);
		run(5000);
		partition(g1, r1);
		run(S.now + 10000);
		assert_true(quorate(3));
		assert_false(quorate(1) || quorate(2) || quorate(4));
	}
}

/* Heuristics decide an even split before the tie-breaker (corosync-qdevice(8)'s score). */
static void
test_heuristics(void **state)
{
	(void)state;
	for (int a = 0; a < 2; a++) { /* 2 nodes, both reach the arbiter: node 1's fail */
		const int g[] = { 0, 1 };
		const bool r[] = { true, true };
		setup(2, (enum qnetd_algorithm)a, QNETD_TB_LOWEST, 0, 17);
		S.nodes[0].heur = QNETD_HEUR_FAIL;
		S.nodes[1].heur = QNETD_HEUR_PASS;
		run(5000);
		assert_true(quorate(1) && quorate(2));
		partition(g, r);
		run(S.now + 10000);
		assert_false(quorate(1)); /* the tie-breaker (lowest) alone would pick node 1 */
		assert_true(quorate(2));
	}
	{ /* 4 nodes split 2 / 2: the half with more passed heuristics, then a change moves it */
		const int g[] = { 0, 0, 1, 1 };
		const bool r[] = { true, true, true, true };
		setup(4, QNETD_ALGO_FFSPLIT, QNETD_TB_LOWEST, 0, 19);
		for (unsigned i = 0; i < 4; i++)
			S.nodes[i].heur = i == 0 ? QNETD_HEUR_FAIL : QNETD_HEUR_PASS;
		run(5000);
		partition(g, r);
		run(S.now + 10000);
		assert_true(quorate(3) && quorate(4));
		assert_false(quorate(1) || quorate(2));
		S.nodes[0].heur = QNETD_HEUR_PASS; /* now 1 2 tie with 3 4: keep_active (off */
		S.nodes[2].heur = QNETD_HEUR_FAIL; /* for this seed) or not, 3 4 now score lower */
		node_send_heur(&S.nodes[0]);
		node_send_heur(&S.nodes[2]);
		run(S.now + 10000);
		assert_true(quorate(1) && quorate(2));
		assert_false(quorate(3) || quorate(4));
	}
}

static void
one_seed(uint32_t seed)
{
	unsigned n = 2 + seed % 5;
	enum qnetd_algorithm a = (enum qnetd_algorithm)(seed / 5 % 2);
	enum qnetd_tb_mode tb = (enum qnetd_tb_mode)(seed / 10 % 3);
	int g[N_MAX];
	bool r[N_MAX];

	bool heuristics = seed % 3 == 0;

	setup(n, a, tb, 1 + seed % n, seed);
	if (heuristics)
		for (unsigned i = 0; i < n; i++)
			S.nodes[i].heur = rnd() % 2 ? QNETD_HEUR_PASS : QNETD_HEUR_FAIL;
	run(4000);
	for (unsigned step = 0; step < 12; step++) {
		unsigned groups = 1 + rnd() % 3;
		if (heuristics && rnd() % 3 == 0) { /* a node's heuristics change their result */
			struct node *x = &S.nodes[rnd() % n];
			x->heur = x->heur == QNETD_HEUR_PASS ? QNETD_HEUR_FAIL : QNETD_HEUR_PASS;
			if (x->alive && x->d.connected)
				node_send_heur(x);
		}
		for (unsigned i = 0; i < n; i++) {
			g[i] = (int)(rnd() % groups);
			r[i] = rnd() % 4 != 0;
		}
		if (rnd() % 5 == 0) { /* a crash or a restart */
			struct node *x = &S.nodes[rnd() % n];
			x->alive = !x->alive;
			if (!x->alive)
				node_disconnect(x);
			else {
				struct membership_quorum_conf qc = x->q.c;
				membership_quorum_init(&x->q, &qc);
				membership_qdevice_init(&x->d, TIMEOUT);
				x->n_members = 0;
				x->ring_pending = false;
				x->ring.rep = 0;
				x->ring.seq = 0;
			}
		}
		partition(g, r);
		run(S.now + rnd() % 6000);
	}
	run(S.now + 4 * TIMEOUT + 2 * TOKEN);
	check_settled();
}

static void
test_random(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
	unsigned seeds = 300; /* the sanitizer build: the same code, fewer seeds, CI stays short */
#else
	unsigned seeds = 1000;
#endif
	const char *e = getenv("QNETD_SIM_SEEDS");

	(void)state;
	if (e && *e)
		seeds = (unsigned)strtoul(e, NULL, 10);
	e = getenv("QNETD_SIM_SEED");
	if (e && *e) {
		one_seed((uint32_t)strtoul(e, NULL, 10));
		return;
	}
	for (uint32_t s = 1; s <= seeds; s++)
		one_seed(s);
	print_message("%u seeds, %u quorate-ring checks\n", seeds, S.quorate_checks);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_nodes),
		cmocka_unit_test(test_four_even_split),
		cmocka_unit_test(test_heuristics),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
