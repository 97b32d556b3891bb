/*
 * test_stonithd_sim.c - the seeded simulator of stonithd's request core (stonithd/core.h):
 * N nodes whose cores exchange messages through one totally ordered group (every member
 * receives every message at the same place, the sender too), agents that succeed or fail
 * after a random time, random requests (some allowing self-fencing, some manual), crashes
 * and rejoins that change the group at a point of the stream, a fencing topology for some
 * targets. After each run is drained, it checks:
 *   1. no success was reported that did not happen: an OK result (other than a manual
 *      confirmation) means every device of one level of the target succeeded for that op;
 *   2. every request ends with exactly one result on every node that saw it and stayed up,
 *      and all of them report the same outcome;
 *   3. a node never ran a device against itself unless the request allowed it.
 * PL_SIM_SEEDS=N runs more seeds (default 2000, under a second); PL_SIM_SEED=N one seed,
 * PL_SIM_TRACE=1 prints its messages and log lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define MAX_NODES 5
#define N_DEVICES 4
#define MAX_OPS	  4096

struct sim;

struct node {
	struct sim *sim;
	uint32_t id;
	char name[8];
	bool up;
	uint64_t up_seq; /* the group's stream as this incarnation sees it starts here */
	struct stonithd *core;
	bool has_dev[N_DEVICES];
	uint64_t running; /* concurrent-fencing=false: the op it sent EXEC for, until RESULT */
};

struct qmsg {
	bool config; /* a membership change instead of a message */
	uint64_t seq;
	uint32_t members[MAX_NODES];
	size_t n_members;
	uint32_t from;
	struct stonithd_msg m;
	char **devices;
	size_t n_devices;
	char *target, *action, *client, *device, *reason, *delegate;
};

struct exec {
	uint32_t node;
	uint64_t id, when;
	bool ok;
	char device[16], target[8];
};

struct oprec {
	uint64_t id;
	char target[8];
	uint32_t flags;
	bool seen[MAX_NODES + 1];   /* the node created the op (saw REQUEST) */
	int results[MAX_NODES + 1]; /* results reported per node */
	int rc[MAX_NODES + 1];
	uint64_t ran_as;	/* the op whose devices ran */
	uint64_t not_before;	/* asked at + its delay: no device runs earlier */
	bool ok_dev[N_DEVICES]; /* devices that succeeded for it */
};

struct sim {
	uint64_t rng, now, seq;
	int n;
	struct node nodes[MAX_NODES + 1];
	struct qmsg *q;
	size_t nq, qcap;
	struct exec *ex;
	size_t nex;
	struct oprec ops[MAX_OPS];
	size_t nops;
	bool dev_broken[N_DEVICES];
	bool topo[MAX_NODES + 1];  /* the target has levels: [dev0] then [dev1 dev2] */
	uint32_t hosts[N_DEVICES]; /* bit i: the device can fence node i */
	int failures;
	bool serial; /* concurrent-fencing=false on every node */
};

static uint32_t
rnd(struct sim *s, uint32_t n)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return n ? (uint32_t)(s->rng % n) : 0;
}

static struct oprec *
oprec(struct sim *s, uint64_t id, bool create)
{
	for (size_t i = 0; i < s->nops; i++)
		if (s->ops[i].id == id)
			return &s->ops[i];
	if (!create || s->nops == MAX_OPS)
		return NULL;
	memset(&s->ops[s->nops], 0, sizeof(s->ops[0]));
	s->ops[s->nops].id = id;
	return &s->ops[s->nops++];
}

static const char *dev_names[N_DEVICES] = { "dev0", "dev1", "dev2", "dev3" };

static int
dev_index(const char *d)
{
	for (int i = 0; i < N_DEVICES; i++)
		if (strcmp(dev_names[i], d) == 0)
			return i;
	return -1;
}

static int
node_of(const char *name)
{
	return name[0] == 'n' ? atoi(name + 1) : 0;
}

/* ---- ops ---- */

static void
op_send(void *arg, const struct stonithd_msg *m)
{
	struct node *nd = arg;
	struct sim *s = nd->sim;
	struct qmsg *q;

	if (s->nq == s->qcap) {
		s->qcap = s->qcap ? 2 * s->qcap : 64;
		s->q = xreallocarray(s->q, s->qcap, sizeof(*s->q));
	}
	/* invariant 5: a delayed request runs no device before its delay is over */
	if (m->type == STONITHD_MSG_REQUEST && m->delay_ms) {
		struct oprec *o = oprec(s, m->id, true);
		if (o)
			o->not_before = s->now + m->delay_ms;
	}
	if (m->type == STONITHD_MSG_EXEC) {
		struct oprec *o = oprec(s, m->id, false);
		if (o && s->now < o->not_before) {
			fprintf(stderr,
			    "invariant 5: op %llx runs a device %llu ms before its delay ends\n",
			    (unsigned long long)m->id, (unsigned long long)(o->not_before - s->now));
			s->failures++;
		}
	}
	/* invariant 4: without concurrent fencing an origin runs one request at a time */
	if (s->serial && m->type == STONITHD_MSG_EXEC) {
		if (nd->running && nd->running != m->id) {
			fprintf(stderr, "invariant 4: %s runs op %llx while %llx is not ended\n",
			    nd->name, (unsigned long long)m->id, (unsigned long long)nd->running);
			s->failures++;
		}
		nd->running = m->id;
	}
	if (m->type == STONITHD_MSG_RESULT && nd->running == m->id)
		nd->running = 0;
	q = &s->q[s->nq++];
	memset(q, 0, sizeof(*q));
	q->seq = ++s->seq;
	q->from = nd->id;
	q->m = *m;
	q->target = xstrdup(m->target);
	q->action = xstrdup(m->action);
	q->client = xstrdup(m->client);
	q->device = xstrdup(m->device);
	q->reason = xstrdup(m->reason);
	q->delegate = xstrdup(m->delegate);
	q->m.target = q->target;
	q->m.action = q->action;
	q->m.client = q->client;
	q->m.device = q->device;
	q->m.reason = q->reason;
	q->m.delegate = q->delegate;
	q->devices = xcalloc(m->n_devices + 1, sizeof(char *));
	for (size_t i = 0; i < m->n_devices; i++)
		q->devices[i] = xstrdup(m->devices[i]);
	q->n_devices = m->n_devices;
	q->m.devices = q->devices;
}

static size_t
op_capable(void *arg, const char *target, const char *action, char ***out)
{
	struct node *nd = arg;
	int t = node_of(target);
	size_t n = 0;

	(void)action;
	*out = xcalloc(N_DEVICES + 1, sizeof(char *));
	for (int d = 0; d < N_DEVICES; d++)
		if (nd->has_dev[d] && (nd->sim->hosts[d] & (1u << t)))
			(*out)[n++] = xstrdup(dev_names[d]);
	return n;
}

static size_t
op_levels(void *arg, const char *target, char **levels[STONITHD_MAX_LEVELS],
    size_t n_dev[STONITHD_MAX_LEVELS])
{
	struct node *nd = arg;
	int t = node_of(target);

	if (t < 1 || t > nd->sim->n || !nd->sim->topo[t])
		return 0;
	levels[0] = xcalloc(2, sizeof(char *));
	levels[0][0] = xstrdup("dev0");
	n_dev[0] = 1;
	levels[1] = xcalloc(3, sizeof(char *));
	levels[1][0] = xstrdup("dev1");
	levels[1][1] = xstrdup("dev2");
	n_dev[1] = 2;
	return 2;
}

static void
op_exec(void *arg, uint64_t id, const char *device, const char *action, const char *target,
    uint32_t timeout_ms)
{
	struct node *nd = arg;
	struct sim *s = nd->sim;
	struct exec *e;
	struct oprec *o = oprec(s, id, false);
	int d = dev_index(device);

	(void)action;
	(void)timeout_ms;
	if (strcmp(target, nd->name) == 0 && !(o && (o->flags & STONITHD_F_ALLOW_SELF))) {
		fprintf(stderr, "invariant 3: %s fences itself without leave (op %llx)\n", nd->name,
		    (unsigned long long)id);
		s->failures++;
	}
	if (d < 0 || !nd->has_dev[d]) {
		fprintf(stderr, "%s asked to run %s it does not have\n", nd->name, device);
		s->failures++;
	}
	s->ex = xreallocarray(s->ex, s->nex + 1, sizeof(*s->ex));
	e = &s->ex[s->nex++];
	memset(e, 0, sizeof(*e));
	e->node = nd->id;
	e->id = id;
	e->when = s->now + 10 + rnd(s, 3000);
	e->ok = d >= 0 && !s->dev_broken[d] && rnd(s, 10) != 0;
	snprintf(e->device, sizeof(e->device), "%s", device);
	snprintf(e->target, sizeof(e->target), "%s", target);
}

static void
op_result(void *arg, const struct stonithd_result *r)
{
	struct node *nd = arg;
	struct oprec *o = oprec(nd->sim, r->id, true);

	if (o == NULL)
		return;
	o->results[nd->id]++;
	o->rc[nd->id] = r->rc;
	o->ran_as = r->ran_as;
}

static const char *
op_node_name(void *arg, uint32_t id)
{
	struct node *nd = arg;
	return id >= 1 && (int)id <= nd->sim->n ? nd->sim->nodes[id].name : "";
}

/* The wall clock runs 1000 times faster than the monotonic one here: the simulator asks for
 * fencing far more often than once a millisecond, and a restarted fencer numbers its ops
 * from the wall clock (unique as long as it asks less often than that). */
static uint64_t
op_wall(void *arg)
{
	struct node *nd = arg;
	return nd->sim->now * 1000;
}

static void
op_log(void *arg, int level, const char *line)
{
	struct node *nd = arg;

	(void)level;
	if (getenv("PL_SIM_TRACE"))
		fprintf(stderr, "%6llu n%u: %s\n", (unsigned long long)nd->sim->now, nd->id, line);
}

static const struct stonithd_ops sim_ops = {
	.send = op_send,
	.capable = op_capable,
	.levels = op_levels,
	.exec = op_exec,
	.result = op_result,
	.node_name = op_node_name,
	.wall_ms = op_wall,
	.log = op_log,
};

/* ---- the group ---- */

static void
qmsg_clear(struct qmsg *q)
{
	for (size_t i = 0; i < q->n_devices; i++)
		free(q->devices[i]);
	free(q->devices);
	free(q->target);
	free(q->action);
	free(q->client);
	free(q->device);
	free(q->reason);
	free(q->delegate);
}

static void
members_now(struct sim *s, uint32_t *ids, size_t *n)
{
	*n = 0;
	for (int i = 1; i <= s->n; i++)
		if (s->nodes[i].up)
			ids[(*n)++] = (uint32_t)i;
}

static void
enqueue_config(struct sim *s)
{
	if (s->nq == s->qcap) {
		s->qcap = s->qcap ? 2 * s->qcap : 64;
		s->q = xreallocarray(s->q, s->qcap, sizeof(*s->q));
	}
	memset(&s->q[s->nq], 0, sizeof(s->q[0]));
	s->q[s->nq].config = true;
	s->q[s->nq].seq = ++s->seq;
	/* the group as it is now: a crash and a quick restart are two changes */
	members_now(s, s->q[s->nq].members, &s->q[s->nq].n_members);
	s->nq++;
}

/* Deliver the oldest queued item to every node up now. */
static void
deliver_one(struct sim *s)
{
	struct qmsg q = s->q[0];

	memmove(s->q, s->q + 1, (s->nq - 1) * sizeof(*s->q));
	s->nq--;
	if (getenv("PL_SIM_TRACE"))
		fprintf(stderr, "%6llu deliver %s from n%u op %llx\n", (unsigned long long)s->now,
		    q.config ? "CONFIG" : stonithd_msg_name(q.m.type), q.from,
		    (unsigned long long)q.m.id);
	for (int i = 1; i <= s->n; i++) {
		struct node *nd = &s->nodes[i];
		if (!nd->up || q.seq < nd->up_seq)
			continue; /* sent before this incarnation joined */
		if (q.config) {
			bool in = false;
			for (size_t k = 0; k < q.n_members; k++)
				in = in || q.members[k] == (uint32_t)i;
			if (in) /* a node that is up again only sees the configurations with it */
				stonithd_members(nd->core, q.members, q.n_members, s->now);
			continue;
		}
		q.m.from = q.from;
		if (q.m.type == STONITHD_MSG_REQUEST) {
			struct oprec *o = oprec(s, q.m.id, true);
			if (o) {
				size_t before = stonithd_active(nd->core);
				snprintf(o->target, sizeof(o->target), "%s", q.m.target);
				o->flags = q.m.flags;
				stonithd_recv(nd->core, &q.m, s->now);
				/* created here (a manual op may end within the same call) */
				if (stonithd_active(nd->core) > before || o->results[i] > 0)
					o->seen[i] = true;
				continue;
			}
		}
		stonithd_recv(nd->core, &q.m, s->now);
	}
	qmsg_clear(&q);
}

static void
finish_exec(struct sim *s, size_t k)
{
	struct exec e = s->ex[k];
	struct node *nd = &s->nodes[e.node];

	s->ex[k] = s->ex[--s->nex];
	if (!nd->up)
		return; /* died with its agent */
	if (e.ok) {
		struct oprec *o = oprec(s, e.id, false);
		int d = dev_index(e.device);
		if (o && d >= 0)
			o->ok_dev[d] = true;
	}
	stonithd_exec_done(nd->core, e.id, e.ok ? 0 : 1, e.ok ? "" : "agent failed", s->now);
}

static void
node_up(struct sim *s, int i)
{
	struct node *nd = &s->nodes[i];

	s->now++; /* a restart takes time: its op ids differ from the last incarnation's */
	nd->up = true;
	nd->core = stonithd_new((uint32_t)i, &sim_ops, nd);
	nd->running = 0;
	stonithd_set_concurrent(nd->core, !s->serial);
	enqueue_config(s);
	nd->up_seq = s->seq;
}

static void
node_down(struct sim *s, int i)
{
	struct node *nd = &s->nodes[i];

	nd->up = false;
	stonithd_free(nd->core);
	nd->core = NULL;
	/* what it saw and did not finish does not count any more */
	for (size_t k = 0; k < s->nops; k++)
		s->ops[k].seen[i] = false;
	enqueue_config(s);
}

static void
random_request(struct sim *s)
{
	int i = 1 + (int)rnd(s, (uint32_t)s->n), t = 1 + (int)rnd(s, (uint32_t)s->n);
	uint32_t flags = 0;

	if (!s->nodes[i].up)
		return;
	if (rnd(s, 4) == 0)
		flags |= STONITHD_F_ALLOW_SELF;
	if (rnd(s, 15) == 0)
		flags |= STONITHD_F_MANUAL;
	stonithd_fence(s->nodes[i].core, s->nodes[t].name, rnd(s, 3) ? "reboot" : "off", "sim",
	    1000 + rnd(s, 20000), flags, rnd(s, 4) == 0 ? rnd(s, 3000) : 0, s->now);
}

static uint64_t
next_tick(struct sim *s)
{
	uint64_t t = UINT64_MAX;

	for (int i = 1; i <= s->n; i++)
		if (s->nodes[i].up) {
			uint64_t d = stonithd_next_deadline(s->nodes[i].core);
			if (d < t)
				t = d;
		}
	return t;
}

static void
run_ticks(struct sim *s)
{
	for (int i = 1; i <= s->n; i++)
		if (s->nodes[i].up)
			stonithd_tick(s->nodes[i].core, s->now);
}

static void
step(struct sim *s, bool chaos)
{
	uint32_t r = rnd(s, 100);

	if (chaos && r < 8) {
		random_request(s);
	} else if (chaos && r < 10) {
		int i = 1 + (int)rnd(s, (uint32_t)s->n);
		uint32_t ids[MAX_NODES];
		size_t n;
		members_now(s, ids, &n);
		if (s->nodes[i].up && n > 1)
			node_down(s, i);
		else if (!s->nodes[i].up)
			node_up(s, i);
	} else if (s->nq > 0 && r < 70) {
		s->now += rnd(s, 5);
		deliver_one(s);
	} else if (s->nex > 0) {
		size_t k = 0;
		for (size_t j = 1; j < s->nex; j++)
			if (s->ex[j].when < s->ex[k].when)
				k = j;
		if (s->ex[k].when > s->now)
			s->now = s->ex[k].when;
		finish_exec(s, k);
	} else {
		uint64_t t = next_tick(s);
		if (t != UINT64_MAX && s->nq == 0) {
			if (t > s->now)
				s->now = t;
			run_ticks(s);
		} else if (s->nq > 0) {
			deliver_one(s);
		} else {
			s->now += 100;
		}
	}
}

static bool
quiet(struct sim *s)
{
	if (s->nq > 0 || s->nex > 0)
		return false;
	for (int i = 1; i <= s->n; i++)
		if (s->nodes[i].up && stonithd_active(s->nodes[i].core) > 0)
			return false;
	return true;
}

static void
check(struct sim *s, uint64_t seed)
{
	for (size_t k = 0; k < s->nops; k++) {
		struct oprec *o = &s->ops[k];
		int rc = -1;
		for (int i = 1; i <= s->n; i++) {
			if (!s->nodes[i].up || !o->seen[i])
				continue;
			if (o->results[i] == 0 && !quiet(s))
				continue; /* reported once, as not settled */
			if (o->results[i] != 1) {
				fprintf(stderr,
				    "seed %llu: invariant 2: op %llx ended %d times on n%d\n",
				    (unsigned long long)seed, (unsigned long long)o->id,
				    o->results[i], i);
				s->failures++;
			}
			if (rc >= 0 && o->rc[i] != rc) {
				fprintf(stderr,
				    "seed %llu: invariant 2: op %llx: n%d says %d, another %d\n",
				    (unsigned long long)seed, (unsigned long long)o->id, i,
				    o->rc[i], rc);
				s->failures++;
			}
			rc = o->rc[i];
			if (o->rc[i] == STONITHD_RC_OK && !(o->flags & STONITHD_F_MANUAL)) {
				int t = node_of(o->target);
				struct oprec *ran = oprec(s, o->ran_as, false);
				bool ok;
				if (ran == NULL)
					ran = o;
				if (strcmp(ran->target, o->target) != 0) {
					fprintf(stderr,
					    "seed %llu: op %llx merged into another target's op\n",
					    (unsigned long long)seed, (unsigned long long)o->id);
					s->failures++;
				}
				/* merged: the op that ran must have succeeded */
				if (t >= 1 && t <= s->n && s->topo[t])
					ok = ran->ok_dev[0] || (ran->ok_dev[1] && ran->ok_dev[2]);
				else
					ok = ran->ok_dev[0] || ran->ok_dev[1] || ran->ok_dev[2] ||
					    ran->ok_dev[3];
				if (!ok) {
					fprintf(stderr,
					    "seed %llu: invariant 1: op %llx (%s) reported OK on "
					    "n%d "
					    "without a successful level\n",
					    (unsigned long long)seed, (unsigned long long)o->id,
					    o->target, i);
					s->failures++;
				}
			}
		}
	}
}

static int
run_seed(uint64_t seed, int *ok_results)
{
	struct sim *s = XNEW(struct sim);
	int failures;

	s->rng = seed * 2654435761u + 1;
	s->n = 2 + (int)rnd(s, MAX_NODES - 1);
	s->serial = rnd(s, 2) == 0;
	for (int d = 0; d < N_DEVICES; d++) {
		s->dev_broken[d] = rnd(s, 4) == 0;
		s->hosts[d] = (uint32_t)rnd(s, 1u << (s->n + 1)) | (d == 0 ? 0x3eu : 0);
	}
	for (int i = 1; i <= s->n; i++) {
		struct node *nd = &s->nodes[i];
		nd->sim = s;
		nd->id = (uint32_t)i;
		snprintf(nd->name, sizeof(nd->name), "n%d", i);
		for (int d = 0; d < N_DEVICES; d++)
			nd->has_dev[d] = rnd(s, 3) != 0;
		s->topo[i] = rnd(s, 3) == 0;
		node_up(s, i);
	}
	for (int k = 0; k < 400; k++)
		step(s, true);
	/* drain: no more chaos; time runs until every op has ended */
	for (int k = 0; k < 200000 && !quiet(s); k++)
		step(s, false);
	if (!quiet(s)) {
		fprintf(
		    stderr, "seed %llu: the simulation did not settle\n", (unsigned long long)seed);
		s->failures++;
	}
	check(s, seed);
	for (size_t k = 0; k < s->nops; k++)
		for (int i = 1; i <= s->n; i++)
			if (s->ops[k].results[i] && s->ops[k].rc[i] == STONITHD_RC_OK)
				(*ok_results)++;
	failures = s->failures;
	for (int i = 1; i <= s->n; i++)
		stonithd_free(s->nodes[i].core);
	for (size_t k = 0; k < s->nq; k++)
		qmsg_clear(&s->q[k]);
	free(s->q);
	free(s->ex);
	free(s);
	return failures;
}

static void
test_sim(void **state)
{
	const char *e = getenv("PL_SIM_SEEDS"), *one = getenv("PL_SIM_SEED");
	int seeds = e ? atoi(e) : 2000, failures = 0, ok = 0;

	(void)state;
	for (int seed = one ? atoi(one) : 1; seed <= (one ? atoi(one) : seeds); seed++)
		failures += run_seed((uint64_t)seed, &ok);
	printf("%d seeds, %d successful results reported, %d invariant failures\n", seeds, ok,
	    failures);
	assert_int_equal(failures, 0);
	assert_true(ok > 0); /* the runs did fence something */
}

/* A broken core that reported success without running anything would be caught. */
static void
test_checker_catches_fake_success(void **state)
{
	struct sim *s = XNEW(struct sim);

	(void)state;
	s->n = 2;
	s->nodes[1].up = s->nodes[2].up = true;
	s->nops = 1;
	s->ops[0].id = 1;
	snprintf(s->ops[0].target, sizeof(s->ops[0].target), "n2");
	s->ops[0].seen[1] = true;
	s->ops[0].results[1] = 1;
	s->ops[0].rc[1] = STONITHD_RC_OK;
	check(s, 0);
	assert_int_equal(s->failures, 1);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_catches_fake_success),
		cmocka_unit_test(test_sim),
	};

	log_init("stonithd-sim");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
