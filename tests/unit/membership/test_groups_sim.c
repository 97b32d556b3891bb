/*
 * test_groups_sim.c - process groups (membership/groups.c) over the simulated Totem ring
 * (sim.c). Every node runs the groups layer as the daemon does (ring deliveries and regular
 * configurations in, payloads out through totem_send); local processes are modelled as
 * membership/ipc.c serves them: a process gets its group's events from its join request on.
 * One process is the group's "first member": at every view holding it, it sends a message at
 * once (as the cib's newest replica sends its copy after a join).
 *
 * Checked (virtual synchrony at joins):
 *   - every node delivers the same messages in the same order from its last ring
 *     configuration on, each with the same members known at that point of the stream (a
 *     node reports a view only when its list changed, so the reported views are compared at
 *     the end);
 *   - a process that joined reports a view holding itself, and the last view each node
 *     reports is the set of processes joined at the end;
 *   - the first member's message sent at view V is delivered by every member of V that
 *     stayed, after that member's first view holding itself.
 * Scenarios: two joins in one token rotation on a stable ring; three nodes booting 1 ms apart
 * (configurations 1 -> 2 -> 3) with a process joining at each start; then seeded random runs
 * (GROUPS_SIM_SEEDS=N, GROUPS_SIM_SEED=S for one).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "groups.h"
#include "sim.h"

#define GROUP "g"
#define MAXP  16

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

enum { E_RING = 1, E_VIEW, E_MSG };

struct gev {
	int type;
	uint32_t msg;
	unsigned n;
	struct membership_member m[MAXP];
};

struct hist {
	struct gev *ev;
	size_t n, cap;
};

struct gproc {
	unsigned node;
	uint32_t pid;
	bool joined; /* a join request made and no leave since */
	bool left;   /* it left at some point */
	bool first;  /* sends at every view that holds it */
	struct hist h;
};

struct echo {
	uint32_t msg;
	unsigned n;
	struct membership_member m[MAXP];
};

struct gnode {
	struct world *w;
	unsigned node;
};

struct world {
	struct sim *s;
	unsigned n;
	struct membership_groups *g[SIM_MAX_NODES];
	struct gnode gn[SIM_MAX_NODES];
	struct hist nh[SIM_MAX_NODES]; /* what each node's groups layer reported */
	struct gproc p[MAXP];
	unsigned np;
	struct echo *echo;
	size_t nechoes;
	uint32_t next_msg;
	char why[512]; /* the first violation */
};

static struct gev *
hist_add(struct hist *h, int type)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->ev = xreallocarray(h->ev, h->cap, sizeof(*h->ev));
	}
	memset(&h->ev[h->n], 0, sizeof(h->ev[0]));
	h->ev[h->n].type = type;
	return &h->ev[h->n++];
}

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Send one numbered message from process p; 0 when the ring's queue was full. */
static uint32_t
proc_send(struct world *w, struct gproc *p)
{
	uint8_t b[4];
	uint32_t id = w->next_msg + 1;

	put32(b, id);
	if (membership_groups_send(w->g[p->node], GROUP, p->pid, b, sizeof(b)) != 0)
		return 0;
	w->next_msg = id;
	return id;
}

static bool
view_has(const struct gev *e, const struct gproc *p)
{
	for (unsigned i = 0; i < e->n; i++)
		if (e->m[i].nodeid == p->node + 1 && e->m[i].pid == p->pid)
			return true;
	return false;
}

/* ---- the groups layer's callbacks (one node) ---- */

static int
g_send(void *arg, const uint8_t *payload, size_t len)
{
	struct gnode *gn = arg;

	return sim_send_raw(gn->w->s, gn->node, payload, len);
}

static void
g_deliver(void *arg, const char *group, uint32_t nodeid, uint32_t pid, const uint8_t *data, size_t len)
{
	struct gnode *gn = arg;
	struct world *w = gn->w;
	uint32_t id = len == 4 ? get32(data) : 0;

	(void)nodeid, (void)pid;
	if (strcmp(group, GROUP) != 0 || id == 0) {
		snprintf(w->why, sizeof(w->why), "node %u: a delivery of %zu bytes to group %s",
		    gn->node + 1, len, group);
		return;
	}
	{
		/* with the members known at this point of the stream: the same on every node */
		struct gev *e = hist_add(&w->nh[gn->node], E_MSG);
		e->msg = id;
		e->n = membership_groups_members(w->g[gn->node], GROUP, e->m, MAXP);
	}
	for (unsigned i = 0; i < w->np; i++)
		if (w->p[i].node == gn->node && w->p[i].joined)
			hist_add(&w->p[i].h, E_MSG)->msg = id;
}

static void
g_change(void *arg, const char *group, const struct membership_member *m, unsigned n,
    const struct membership_member *joined, unsigned nj, const struct membership_member *left,
    unsigned nl)
{
	struct gnode *gn = arg;
	struct world *w = gn->w;
	struct gev v = { .type = E_VIEW, .n = n > MAXP ? MAXP : n };

	(void)group, (void)joined, (void)nj, (void)left, (void)nl;
	memcpy(v.m, m, v.n * sizeof(*m));
	*hist_add(&w->nh[gn->node], E_VIEW) = v;
	for (unsigned i = 0; i < w->np; i++) {
		struct gproc *p = &w->p[i];
		if (p->node != gn->node || !p->joined)
			continue;
		*hist_add(&p->h, E_VIEW) = v;
		if (p->first && view_has(&v, p)) {
			uint32_t id = proc_send(w, p);
			struct echo *x;
			if (id == 0)
				continue; /* queue full: nothing promised */
			w->echo = xreallocarray(w->echo, w->nechoes + 1, sizeof(*w->echo));
			x = &w->echo[w->nechoes++];
			x->msg = id;
			x->n = v.n;
			memcpy(x->m, v.m, v.n * sizeof(v.m[0]));
		}
	}
}

/* ---- the simulator's application hooks ---- */

static void
app_start(void *arg, unsigned node)
{
	static const struct membership_groups_ops ops = { g_send, g_deliver, g_change };
	struct world *w = arg;

	membership_groups_free(w->g[node]);
	w->gn[node].w = w;
	w->gn[node].node = node;
	w->g[node] = membership_groups_new(node + 1, &ops, &w->gn[node]);
}

static void
app_deliver(void *arg, unsigned node, uint32_t sender, const uint8_t *data, size_t len)
{
	struct world *w = arg;

	membership_groups_deliver(w->g[node], sender, data, len);
}

static void
app_confchg(void *arg, unsigned node, const uint32_t *members, unsigned n)
{
	struct world *w = arg;
	struct gev *e = hist_add(&w->nh[node], E_RING);

	e->n = n > MAXP ? MAXP : n;
	for (unsigned i = 0; i < e->n; i++)
		e->m[i].nodeid = members[i];
	membership_groups_confchg(w->g[node], members, n);
}

static const struct sim_app_ops app_ops = { app_start, app_deliver, app_confchg };

static struct world *
world_new(unsigned n, uint64_t seed)
{
	struct world *w = XNEW(struct world);

	w->n = n;
	w->s = sim_new(n, seed, &params);
	sim_set_app(w->s, &app_ops, w);
	return w;
}

static void
world_free(struct world *w)
{
	sim_free(w->s);
	for (unsigned i = 0; i < w->n; i++) {
		membership_groups_free(w->g[i]);
		free(w->nh[i].ev);
	}
	for (unsigned i = 0; i < w->np; i++)
		free(w->p[i].h.ev);
	free(w->echo);
	free(w);
}

static struct gproc *
proc_add(struct world *w, unsigned node, bool first)
{
	struct gproc *p = &w->p[w->np++];

	p->node = node;
	p->pid = 100 + w->np;
	p->first = first;
	return p;
}

static void
proc_join(struct world *w, struct gproc *p)
{
	p->joined = true;
	assert_int_equal(membership_groups_join(w->g[p->node], GROUP, p->pid), 0);
}

static void
proc_leave(struct world *w, struct gproc *p)
{
	p->joined = false;
	p->left = true;
	assert_int_equal(membership_groups_leave(w->g[p->node], GROUP, p->pid), 0);
}

/* ---- the checks ---- */

static bool
ev_equal(const struct gev *a, const struct gev *b)
{
	if (a->type != b->type || a->msg != b->msg || a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (a->m[i].nodeid != b->m[i].nodeid || a->m[i].pid != b->m[i].pid)
			return false;
	return true;
}

static size_t
after_last_ring(const struct hist *h)
{
	size_t k = h->n;

	while (k > 0 && h->ev[k - 1].type != E_RING)
		k--;
	return k;
}

static bool
violation(struct world *w, const char *fmt, ...)
{
	va_list ap;

	if (w->why[0])
		return false;
	va_start(ap, fmt);
	vsnprintf(w->why, sizeof(w->why), fmt, ap);
	va_end(ap);
	return false;
}

/* Nodes compare from their last ring configuration on (a ring change re-synchronises the
 * groups; before the first join there is nothing else to compare). */
static bool
check(struct world *w)
{
	if (w->why[0])
		return false;
	/* every node delivers the same messages in the same order, each with the same members
	 * known at that point of the stream */
	for (unsigned i = 1; i < w->n; i++) {
		const struct hist *a = &w->nh[0], *b = &w->nh[i];
		size_t ka = after_last_ring(a), kb = after_last_ring(b), k = 0;

		for (;; ka++, kb++, k++) {
			while (ka < a->n && a->ev[ka].type != E_MSG)
				ka++;
			while (kb < b->n && b->ev[kb].type != E_MSG)
				kb++;
			if (ka == a->n || kb == b->n)
				break;
			if (!ev_equal(&a->ev[ka], &b->ev[kb]))
				return violation(w, "nodes 1 and %u differ at message %zu (m%u, m%u)",
				    i + 1, k, a->ev[ka].msg, b->ev[kb].msg);
		}
		if (ka != a->n || kb != b->n)
			return violation(
			    w, "nodes 1 and %u deliver different numbers of messages", i + 1);
	}
	for (unsigned i = 0; i < w->n; i++) {
		const struct hist *h = &w->nh[i];
		const struct gev *last = NULL;
		unsigned want = 0;

		for (size_t k = 0; k < h->n; k++)
			if (h->ev[k].type == E_VIEW)
				last = &h->ev[k];
		for (unsigned j = 0; j < w->np; j++)
			want += w->p[j].joined;
		if (want > 0 && (last == NULL || last->n != want))
			return violation(w, "node %u: last view has %u member(s), %u joined", i + 1,
			    last ? last->n : 0, want);
		for (unsigned j = 0; j < w->np; j++)
			if (w->p[j].joined && !view_has(last, &w->p[j]))
				return violation(w,
				    "node %u: process %u of node %u not in the last view", i + 1,
				    w->p[j].pid, w->p[j].node + 1);
	}
	/* the first member's message at view V reaches every member of V that stayed */
	for (size_t x = 0; x < w->nechoes; x++) {
		for (unsigned j = 0; j < w->np; j++) {
			struct gproc *q = &w->p[j];
			struct gev me = { .n = w->echo[x].n };
			bool in = false, member = false;

			memcpy(me.m, w->echo[x].m, me.n * sizeof(me.m[0]));
			if (q->left || !view_has(&me, q))
				continue;
			for (size_t k = 0; k < q->h.n && !in; k++) {
				if (q->h.ev[k].type == E_VIEW && view_has(&q->h.ev[k], q))
					member = true;
				in = member && q->h.ev[k].type == E_MSG &&
				    q->h.ev[k].msg == w->echo[x].msg;
			}
			if (!in)
				return violation(w,
				    "message %u, sent at a view of %u by the first member, "
				    "never delivered to member %u of node %u",
				    w->echo[x].msg, me.n, q->pid, q->node + 1);
		}
	}
	return true;
}

/* What each node reported: R<n> a ring of n nodes, V<n> a view of n members, m<id>. */
static void
dump(const struct world *w)
{
	for (unsigned i = 0; i < w->n; i++) {
		fprintf(stderr, "node %u:", i + 1);
		for (size_t k = 0; k < w->nh[i].n; k++) {
			const struct gev *e = &w->nh[i].ev[k];
			if (e->type == E_MSG)
				fprintf(stderr, " m%u", e->msg);
			else
				fprintf(stderr, " %s%u", e->type == E_RING ? "R" : "V", e->n);
		}
		fprintf(stderr, "\n");
	}
}

static void
assert_check(struct world *w)
{
	if (!check(w)) {
		dump(w);
		fail_msg("%s", w->why);
	}
}

/* ---- scenarios ---- */

/* A stable ring of 3; the first member is alone in the group; the two others join in the
 * same millisecond (one token rotation); everyone talks meanwhile. */
static void
test_two_joins_one_rotation(void **state)
{
	struct world *w = world_new(3, 1);
	struct gproc *a, *b, *c;

	(void)state;
	for (unsigned i = 0; i < 3; i++)
		sim_start(w->s, i);
	assert_true(sim_run_until_stable(w->s, 10000));
	a = proc_add(w, 0, true);
	b = proc_add(w, 1, false);
	c = proc_add(w, 2, false);
	proc_join(w, a);
	assert_true(sim_run_until_stable(w->s, 5000));
	proc_join(w, b);
	proc_join(w, c);
	assert_true(proc_send(w, a) != 0);
	sim_run(w->s, 1);
	assert_true(proc_send(w, b) != 0);
	assert_true(sim_run_until_stable(w->s, 5000));
	assert_check(w);
	/* the first member answered three views: itself, +1, +2 (or +2 at once) */
	assert_true(w->nechoes >= 2);
	for (unsigned i = 0; i < 3; i++)
		assert_true(w->p[i].h.n > 0);
	world_free(w);
}

/* The checker must catch what it is for: a joiner missing the first member's message, two
 * messages swapped on one node, a member missing from a node's last view. */
static void
test_checker_catches(void **state)
{
	(void)state;
	for (int how = 0; how < 3; how++) {
		struct world *w = world_new(3, 7);
		struct gproc *a, *b, *c;
		bool done = false;

		for (unsigned i = 0; i < 3; i++)
			sim_start(w->s, i);
		assert_true(sim_run_until_stable(w->s, 10000));
		a = proc_add(w, 0, true);
		b = proc_add(w, 1, false);
		c = proc_add(w, 2, false);
		proc_join(w, a);
		proc_join(w, b);
		proc_join(w, c);
		proc_send(w, b);
		proc_send(w, c);
		assert_true(sim_run_until_stable(w->s, 5000));
		assert_true(check(w));
		for (size_t k = 0; k < c->h.n && !done; k++) {
			struct gev *e = &c->h.ev[k], *n = k + 1 < c->h.n ? e + 1 : NULL;
			if (how == 0 && e->type == E_MSG && e->msg == w->echo[w->nechoes - 1].msg)
				e->msg = 999, done = true;
			if (how == 1 && e->type == E_MSG && n && n->type == E_MSG) {
				struct gev *x = &w->nh[2].ev[w->nh[2].n - 1], *y = x - 1;
				struct gev t = *x;
				*x = *y, *y = t, done = true;
			}
		}
		if (how == 2) {
			struct gev *v = &w->nh[1].ev[0];
			for (size_t k = 0; k < w->nh[1].n; k++)
				if (w->nh[1].ev[k].type == E_VIEW)
					v = &w->nh[1].ev[k];
			v->n--, done = true;
		}
		assert_true(done);
		assert_false(check(w));
		world_free(w);
	}
}

/* Three nodes booting 1 ms apart, a process joining on each at once: configurations
 * 1 -> 1 2 -> 1 2 3 in quick succession (or fewer). */
static void
test_boot_together(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct world *w = world_new(3, seed);

		for (unsigned i = 0; i < 3; i++) {
			struct gproc *p = proc_add(w, i, i == 0);
			sim_start(w->s, i);
			proc_join(w, p);
			sim_run(w->s, 1 + seed % 3);
		}
		assert_true(sim_run_until_stable(w->s, 10000));
		assert_check(w);
		assert_true(w->nechoes >= 1);
		world_free(w);
	}
}

/* Seeded random runs: 2-5 nodes, loss, duplication, reordering; staggered or stable start;
 * joins, sends and a few leaves at random times. */
static bool
random_run(uint64_t seed, char *why, size_t whylen)
{
	struct sim_net net;
	struct world *w;
	unsigned n;
	bool staggered, ok, stable_start = true;

	{
		struct sim *r = sim_new(1, seed, &params); /* the scenario's own choices */
		n = 2 + (unsigned)(sim_rand(r) % 4);
		staggered = sim_rand(r) % 2;
		net.loss = (double)(sim_rand(r) % 6) / 100.0;
		net.dup = (double)(sim_rand(r) % 3) / 100.0;
		net.max_delay_ms = 1 + (uint32_t)(sim_rand(r) % 4);
		sim_free(r);
	}
	w = world_new(n, seed);
	sim_set_net(w->s, &net);
	for (unsigned i = 0; i < n; i++) {
		proc_add(w, i, i == 0);
		if (i < 3 && n > 2)
			proc_add(w, i, false);
	}
	if (staggered) {
		stable_start = false;
		for (unsigned i = 0; i < n; i++) {
			sim_start(w->s, i);
			sim_run(w->s, sim_rand(w->s) % 5);
		}
	} else {
		for (unsigned i = 0; i < n; i++)
			sim_start(w->s, i);
		if (!sim_run_until_stable(w->s, 20000)) {
			snprintf(why, whylen, "ring did not form");
			world_free(w);
			return false;
		}
	}
	for (unsigned step = 0; step < 60; step++) {
		struct gproc *p = &w->p[sim_rand(w->s) % w->np];
		unsigned what = (unsigned)(sim_rand(w->s) % 10);

		if (!p->joined && !p->left && what < 6)
			proc_join(w, p);
		else if (p->joined && what == 9 && !p->first)
			proc_leave(w, p);
		else if (p->joined)
			proc_send(w, p);
		sim_run(w->s, sim_rand(w->s) % 8);
	}
	if (!sim_run_until_stable(w->s, 30000)) {
		snprintf(why, whylen, "no stable ring at the end");
		world_free(w);
		return false;
	}
	/* a ring change during the run (loss) re-synchronises the groups: compare from the
	 * last configuration on; the first member's messages are promised only in a stable ring */
	for (unsigned i = 0; i < n; i++)
		for (size_t k = 0; k < w->nh[i].n; k++)
			if (w->nh[i].ev[k].type == E_RING && k > 0 &&
			    w->nh[i].ev[k - 1].type != E_RING && stable_start)
				stable_start = false;
	if (!stable_start)
		w->nechoes = 0;
	ok = check(w);
	if (!ok && getenv("GROUPS_SIM_SEED"))
		dump(w);
	if (!ok)
		snprintf(why, whylen, "%s (n=%u staggered=%d loss=%.2f)", w->why, n, staggered,
		    net.loss);
	world_free(w);
	return ok;
}

static void
test_random(void **state)
{
	const char *one = getenv("GROUPS_SIM_SEED"), *count = getenv("GROUPS_SIM_SEEDS");
	uint64_t first = one ? strtoull(one, NULL, 10) : 1;
	uint64_t n = one ? 1 : count ? strtoull(count, NULL, 10) : 300;
	char why[600];

	(void)state;
	for (uint64_t seed = first; seed < first + n; seed++)
		if (!random_run(seed, why, sizeof(why)))
			fail_msg("seed %llu (GROUPS_SIM_SEED=%llu): %s", (unsigned long long)seed,
			    (unsigned long long)seed, why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_joins_one_rotation),
		cmocka_unit_test(test_checker_catches),
		cmocka_unit_test(test_boot_together),
		cmocka_unit_test(test_random),
	};

	log_init("test_groups_sim");
	log_set_level(PL_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
