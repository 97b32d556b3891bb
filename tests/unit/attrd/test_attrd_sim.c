/*
 * test_attrd_sim.c - attrd's core (attrd/core.h) under a seeded simulator: N nodes, a group
 * that delivers every partition's messages in one agreed order (messages of a configuration
 * are delivered to its members before the next configuration is installed), a virtual clock
 * for the dampening timers, and a CIB (host, name) -> value that the writer's writes change
 * when they complete (some fail and are retried).
 *
 * Random steps: updates from any member for any host (set, delete, with dampening, private),
 * partitions and heals, node crashes (state lost, the node leaves the ring) and attrd
 * restarts (state lost, the node stays), timers firing, writes completing. Checked always:
 * at most one writer per partition, only the writer writes. Checked after the faults stop and
 * everything is delivered: every node holds the same values, one writer, every value that is
 * not private is in the CIB with its value, a crashed node's values are gone everywhere (CIB
 * included), and a node that joined holds every value.
 *
 *	ATTRD_SIM_SEED=N   run only seed N, with the cores' log lines on stderr
 *	ATTRD_SIM_COUNT=N  how many random seeds (default 3000; 1000 under AddressSanitizer, which
 *	                   makes each seed about 30 times slower)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "core.h"

#define NMAX 5

enum { M_UPDATE, M_SYNC };

struct msg {
	int kind;
	uint32_t sender;
	struct attrd_update u; /* strings owned */
	uint64_t hash;
	bool fresh;
	struct attrd_entry *v; /* owned */
	size_t n;
};

struct timer {
	unsigned node;
	char *name; /* NULL = retry */
	uint64_t at;
};

struct write {
	unsigned node;
	uint64_t id;
	struct attrd_entry *v;
	size_t n;
	unsigned incarnation;
};

struct node {
	struct attrd_core *core;
	unsigned idx;
	char host[16];
	bool up;    /* node in the ring */
	bool attrd; /* attrd running and in the group */
	unsigned part;
	unsigned incarnation;
};

struct sim {
	unsigned n;
	struct node nodes[NMAX];
	GQueue *queue[NMAX]; /* per partition id: pending group messages */
	GPtrArray *timers;
	GPtrArray *writes;
	GHashTable *cib; /* "host\nname" -> value */
	uint64_t now;
	uint32_t rng;
	bool verbose;
	char violation[256];
	struct attrd_ops ops;
};

static struct sim *S;

static uint32_t
rnd(struct sim *s, uint32_t n)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return n ? s->rng % n : 0;
}

static void
violate(struct sim *s, const char *what)
{
	if (s->violation[0] == '\0')
		snprintf(s->violation, sizeof(s->violation), "%s", what);
}

static char *
dup_or_null(const char *x)
{
	return x != NULL ? g_strdup(x) : NULL;
}

static struct attrd_entry *
entries_copy(const struct attrd_entry *v, size_t n)
{
	struct attrd_entry *c = g_new0(struct attrd_entry, n ? n : 1);

	for (size_t i = 0; i < n; i++) {
		c[i] = v[i];
		c[i].host = g_strdup(v[i].host);
		c[i].name = g_strdup(v[i].name);
		c[i].value = dup_or_null(v[i].value);
		c[i].set = dup_or_null(v[i].set);
	}
	return c;
}

static void
entries_free(struct attrd_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		g_free((char *)v[i].host);
		g_free((char *)v[i].name);
		g_free((char *)v[i].value);
		g_free((char *)v[i].set);
	}
	g_free(v);
}

static void
msg_free(struct msg *m)
{
	g_free((char *)m->u.host);
	g_free((char *)m->u.name);
	g_free((char *)m->u.value);
	g_free((char *)m->u.set);
	entries_free(m->v, m->n);
	g_free(m);
}

/* ---- ops: arg is the node ---- */

static void
op_send_sync(void *arg, uint64_t hash, bool fresh, const struct attrd_entry *v, size_t n)
{
	struct node *nd = arg;
	struct msg *m = g_new0(struct msg, 1);

	m->kind = M_SYNC;
	m->sender = nd->idx + 1;
	m->hash = hash;
	m->fresh = fresh;
	m->v = entries_copy(v, n);
	m->n = n;
	g_queue_push_tail(S->queue[nd->part], m);
}

static void
op_timer(void *arg, const char *name, uint32_t ms)
{
	struct node *nd = arg;

	for (unsigned i = 0; i < S->timers->len; i++) {
		struct timer *t = S->timers->pdata[i];

		if (t->node == nd->idx && g_strcmp0(t->name, name) == 0) {
			g_ptr_array_remove_index(S->timers, i);
			g_free(t->name);
			g_free(t);
			break;
		}
	}
	if (ms > 0) {
		struct timer *t = g_new0(struct timer, 1);

		t->node = nd->idx;
		t->name = dup_or_null(name);
		t->at = S->now + ms;
		g_ptr_array_add(S->timers, t);
	}
}

static bool
op_write(void *arg, uint64_t id, const struct attrd_entry *v, size_t n)
{
	struct node *nd = arg;
	struct write *w = g_new0(struct write, 1);

	if (!attrd_core_is_writer(nd->core))
		violate(S, "a node that is not the writer writes");
	for (unsigned i = 0; i < S->n; i++) {
		struct node *o = &S->nodes[i];

		if (o != nd && o->attrd && o->part == nd->part && attrd_core_is_writer(o->core))
			violate(S, "two writers in one partition");
	}
	w->node = nd->idx;
	w->id = id;
	w->v = entries_copy(v, n);
	w->n = n;
	w->incarnation = nd->incarnation;
	g_ptr_array_add(S->writes, w);
	return true;
}

static char *
cib_key(const char *host, const char *name)
{
	return g_strdup_printf("%s\n%s", host, name);
}

static void
op_clear_host(void *arg, const char *host)
{
	GHashTableIter it;
	gpointer k, p;
	char *prefix = g_strdup_printf("%s\n", host);

	(void)arg;
	g_hash_table_iter_init(&it, S->cib);
	while (g_hash_table_iter_next(&it, &k, &p))
		if (g_str_has_prefix(k, prefix))
			g_hash_table_iter_remove(&it);
	g_free(prefix);
}

static bool
op_node_alive(void *arg, const char *host)
{
	struct node *nd = arg;

	/* in the asker's ring: up, and in its partition */
	for (unsigned i = 0; i < S->n; i++)
		if (strcmp(S->nodes[i].host, host) == 0)
			return S->nodes[i].up && S->nodes[i].part == nd->part;
	return false;
}

static void
op_log(void *arg, const char *line)
{
	struct node *nd = arg;

	if (S->verbose)
		fprintf(stderr, "[%6llu] %s: %s\n", (unsigned long long)S->now, nd->host, line);
}

static const char *names[] = { "pingd", "fail-count-a", "master-r", "standby", "x" };

/* ---- the group ---- */

static void
deliver(struct sim *s, unsigned part, struct msg *m)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct node *nd = &s->nodes[i];

		if (!nd->attrd || nd->part != part)
			continue;
		if (m->kind == M_UPDATE)
			attrd_core_update(nd->core, &m->u);
		else
			attrd_core_sync(nd->core, m->sender, m->hash, m->fresh, m->v, m->n);
	}
}

static void
flush(struct sim *s, unsigned part)
{
	struct msg *m;

	while ((m = g_queue_pop_head(s->queue[part])) != NULL) {
		deliver(s, part, m);
		msg_free(m);
	}
}

/* Install the configuration of every partition: old messages first (virtual synchrony). */
static void
reconfigure(struct sim *s, const bool *was_member_of_part_before, const unsigned *old_part)
{
	for (unsigned p = 0; p < NMAX; p++) {
		struct attrd_member mem[NMAX], left[NMAX];
		size_t n = 0, nl = 0;
		bool joins = false;

		for (unsigned i = 0; i < s->n; i++) {
			struct node *nd = &s->nodes[i];

			if (nd->attrd && nd->part == p) {
				mem[n].nodeid = i + 1;
				mem[n].host = nd->host;
				n++;
			}
		}
		if (n == 0)
			continue;
		/* who left and who joined, from the point of view of the partition's old members */
		for (unsigned i = 0; i < s->n; i++) {
			struct node *nd = &s->nodes[i];
			bool now_in = nd->attrd && nd->part == p;

			if (was_member_of_part_before[i] && old_part[i] == p && !now_in) {
				left[nl].nodeid = i + 1;
				left[nl].host = nd->host;
				nl++;
			}
			if (now_in && !(was_member_of_part_before[i] && old_part[i] == p))
				joins = true;
		}
		if (nl == 0 && !joins)
			continue;
		for (unsigned i = 0; i < s->n; i++) {
			struct node *nd = &s->nodes[i];

			if (nd->attrd && nd->part == p)
				attrd_core_group_change(nd->core, mem, n, left, nl, joins);
		}
		/* a node that left the ring: its values are gone at once, everywhere */
		for (size_t l = 0; l < nl; l++)
			for (unsigned i = 0; i < s->n; i++) {
				struct node *nd = &s->nodes[i];

				if (!nd->attrd || nd->part != p || op_node_alive(nd, left[l].host))
					continue;
				for (unsigned k = 0; k < G_N_ELEMENTS(names); k++)
					if (attrd_core_value(nd->core, names[k], left[l].host) != NULL)
						violate(s, "a leaving node's value survived");
			}
	}
}

static void
snapshot(struct sim *s, bool *member, unsigned *part)
{
	for (unsigned i = 0; i < s->n; i++) {
		member[i] = s->nodes[i].attrd;
		part[i] = s->nodes[i].part;
	}
	for (unsigned p = 0; p < NMAX; p++)
		flush(s, p);
}

/* The membership's ring changed: every running attrd hears of the nodes that left its ring
 * (paceline-membership's quorum event, attrd/memb.c), after the group's change. */
static void
ring_change(struct sim *s, const bool *up_before, const unsigned *part_before)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct node *nd = &s->nodes[i];

		if (!nd->attrd)
			continue;
		for (unsigned j = 0; j < s->n; j++) {
			struct node *o = &s->nodes[j];
			bool was = up_before[j] && part_before[j] == part_before[i];
			bool now = o->up && o->part == nd->part;

			if (j == i || !was || now)
				continue;
			attrd_core_node_lost(nd->core, o->host);
			for (unsigned k = 0; k < G_N_ELEMENTS(names); k++)
				if (attrd_core_state(nd->core) == ATTRD_ST_STABLE &&
				    attrd_core_value(nd->core, names[k], o->host) != NULL)
					violate(s, "a value of a node that left the ring survived");
		}
	}
}

static void
node_start(struct sim *s, unsigned i)
{
	struct node *nd = &s->nodes[i];

	nd->core = attrd_core_new(nd->host, i + 1, &s->ops, nd);
	nd->attrd = true;
	nd->incarnation++;
}

static void
node_stop(struct sim *s, unsigned i)
{
	struct node *nd = &s->nodes[i];

	for (unsigned k = 0; k < s->timers->len;) {
		struct timer *t = s->timers->pdata[k];

		if (t->node == i) {
			g_ptr_array_remove_index(s->timers, k);
			g_free(t->name);
			g_free(t);
		} else {
			k++;
		}
	}
	attrd_core_free(nd->core);
	nd->core = NULL;
	nd->attrd = false;
}

/* ---- steps ---- */


static void
step_update(struct sim *s)
{
	unsigned from = rnd(s, s->n);
	struct node *nd = &s->nodes[from];
	struct msg *m;
	char value[16];

	if (!nd->attrd)
		return;
	m = g_new0(struct msg, 1);
	m->kind = M_UPDATE;
	m->sender = from + 1;
	m->u.host = g_strdup(s->nodes[rnd(s, s->n)].host);
	m->u.name = g_strdup(names[rnd(s, G_N_ELEMENTS(names))]);
	snprintf(value, sizeof(value), "%u", rnd(s, 5));
	m->u.value = rnd(s, 5) == 0 ? NULL : g_strdup(value);
	m->u.flags = ATTRD_U_VALUE;
	if (rnd(s, 4) == 0) {
		m->u.dampen_ms = 1000 * rnd(s, 3);
		m->u.flags |= rnd(s, 2) ? ATTRD_U_DELAY : 0;
	}
	if (strcmp(m->u.name, "x") == 0)
		m->u.flags |= ATTRD_U_PRIVATE;
	if (rnd(s, 20) == 0) {
		g_free((char *)m->u.name);
		m->u.name = g_strdup("fail-count-.*");
		m->u.flags |= ATTRD_U_PATTERN | (rnd(s, 2) ? ATTRD_U_ALL_HOSTS : 0);
	}
	g_queue_push_tail(s->queue[nd->part], m);
}

static void
step_topology(struct sim *s)
{
	bool member[NMAX];
	unsigned part[NMAX];
	unsigned i = rnd(s, s->n);
	struct node *nd = &s->nodes[i];

	bool up[NMAX];

	snapshot(s, member, part);
	for (unsigned k = 0; k < s->n; k++)
		up[k] = s->nodes[k].up;
	switch (rnd(s, 4)) {
	case 0: /* crash, stop cleanly or start the node */
		if (nd->up && nd->attrd && rnd(s, 2) == 0) {
			/* clean stop: attrd leaves the group first, then the node the ring */
			node_stop(s, i);
			reconfigure(s, member, part);
			snapshot(s, member, part);
			nd->up = false;
		} else if (nd->up) {
			nd->up = false;
			if (nd->attrd)
				node_stop(s, i);
		} else {
			nd->up = true;
			node_start(s, i);
		}
		break;
	case 1: /* attrd restarts (killed -9, respawned) */
		if (nd->attrd) {
			node_stop(s, i);
			reconfigure(s, member, part);
			snapshot(s, member, part);
			node_start(s, i);
		}
		break;
	case 2: /* move the node to another partition */ nd->part = rnd(s, 3); break;
	default: /* heal everything */
		for (unsigned k = 0; k < s->n; k++)
			s->nodes[k].part = 0;
		break;
	}
	reconfigure(s, member, part);
	ring_change(s, up, part);
}

static void
finish_write(struct sim *s, unsigned k, int rc)
{
	struct write *w = s->writes->pdata[k];
	struct node *nd = &s->nodes[w->node];

	g_ptr_array_remove_index(s->writes, k);
	if (nd->attrd && nd->incarnation == w->incarnation) {
		if (rc == 0)
			for (size_t i = 0; i < w->n; i++) {
				char *key = cib_key(w->v[i].host, w->v[i].name);

				if (w->v[i].value != NULL)
					g_hash_table_replace(s->cib, key, g_strdup(w->v[i].value));
				else {
					g_hash_table_remove(s->cib, key);
					g_free(key);
				}
			}
		attrd_core_write_done(nd->core, w->id, rc);
	}
	entries_free(w->v, w->n);
	g_free(w);
}

static bool
fire_timer(struct sim *s, bool all)
{
	for (unsigned k = 0; k < s->timers->len; k++) {
		struct timer *t = s->timers->pdata[k];

		if (all || t->at <= s->now) {
			struct node *nd = &s->nodes[t->node];
			char *name = t->name;

			if (s->now < t->at)
				s->now = t->at;
			g_ptr_array_remove_index(s->timers, k);
			g_free(t);
			attrd_core_timer(nd->core, name);
			g_free(name);
			return true;
		}
	}
	return false;
}

static void
step(struct sim *s)
{
	unsigned r = rnd(s, 100);

	s->now += rnd(s, 300);
	if (r < 45) {
		step_update(s);
	} else if (r < 52) {
		step_topology(s);
	} else if (r < 75) {
		unsigned p = rnd(s, NMAX);
		struct msg *m = g_queue_pop_head(s->queue[p]);

		if (m != NULL) {
			deliver(s, p, m);
			msg_free(m);
		}
	} else if (r < 90) {
		/* in the order they were sent: the CIB applies updates in one total order (a former
		 * writer's late write landing after its successor's full write was the simulator's
		 * artefact behind the rare "value differs in the CIB", 4 seeds in 30000) */
		if (s->writes->len > 0)
			finish_write(s, 0, rnd(s, 8) == 0 ? 1 : 0);
	} else {
		fire_timer(s, false);
	}
}

/* Heal, start everything, deliver everything, let every timer and write finish. */
static void
quiesce(struct sim *s)
{
	bool member[NMAX];
	unsigned part[NMAX];

	snapshot(s, member, part);
	for (unsigned i = 0; i < s->n; i++) {
		s->nodes[i].part = 0;
		if (!s->nodes[i].up) {
			s->nodes[i].up = true;
			node_start(s, i);
		}
	}
	reconfigure(s, member, part);
	for (unsigned guard = 0; guard < 100000; guard++) {
		bool busy = false;

		for (unsigned p = 0; p < NMAX; p++)
			if (!g_queue_is_empty(s->queue[p])) {
				flush(s, p);
				busy = true;
			}
		if (s->writes->len > 0) {
			finish_write(s, 0, 0);
			busy = true;
		} else if (!busy && s->timers->len > 0) {
			fire_timer(s, true);
			busy = true;
		}
		if (!busy)
			return;
	}
	violate(s, "no quiescence");
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct attrd_entry *a = x, *b = y;
	int c = strcmp(a->host, b->host);

	return c ? c : strcmp(a->name, b->name);
}

static void
check_converged(struct sim *s)
{
	struct attrd_entry *ref = NULL, *v;
	size_t nref = 0, n;
	unsigned writers = 0;

	for (unsigned i = 0; i < s->n; i++) {
		struct node *nd = &s->nodes[i];

		if (attrd_core_state(nd->core) != ATTRD_ST_STABLE)
			violate(s, "a node still syncing");
		writers += attrd_core_is_writer(nd->core);
		n = attrd_core_dump(nd->core, &v);
		qsort(v, n, sizeof(*v), entry_cmp);
		if (i == 0) {
			ref = v;
			nref = n;
			continue;
		}
		if (n != nref)
			violate(s, "nodes hold different numbers of values");
		for (size_t k = 0; k < n && k < nref; k++)
			if (entry_cmp(&v[k], &ref[k]) != 0 || strcmp(v[k].value, ref[k].value) != 0)
				violate(s, "nodes hold different values");
		free(v);
	}
	if (writers != 1)
		violate(s, "not exactly one writer");
	for (size_t k = 0; k < nref; k++) {
		char *key = cib_key(ref[k].host, ref[k].name);
		const char *in_cib = g_hash_table_lookup(s->cib, key);

		g_free(key);
		if (ref[k].private_) {
			if (in_cib != NULL)
				violate(s, "a private attribute reached the CIB");
		} else if (in_cib == NULL || strcmp(in_cib, ref[k].value) != 0) {
			violate(s, "a value is missing from the CIB or differs there");
		}
	}
	free(ref);
}

static void
sim_free(struct sim *s)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->nodes[i].core != NULL)
			node_stop(s, i);
	for (unsigned p = 0; p < NMAX; p++)
		g_queue_free_full(s->queue[p], (GDestroyNotify)msg_free);
	while (s->writes->len > 0) {
		struct write *w = g_ptr_array_steal_index(s->writes, 0);

		entries_free(w->v, w->n);
		g_free(w);
	}
	g_ptr_array_free(s->writes, true);
	g_ptr_array_free(s->timers, true);
	g_hash_table_destroy(s->cib);
	g_free(s);
}

static struct sim *
sim_new(uint32_t seed, unsigned n, bool verbose)
{
	struct sim *s = g_new0(struct sim, 1);
	bool member[NMAX] = { false };
	unsigned part[NMAX] = { 0 };

	S = s;
	s->n = n;
	s->rng = seed * 2654435761u + 1;
	s->verbose = verbose;
	s->ops = (struct attrd_ops){ op_send_sync, op_timer, op_write, op_clear_host, op_node_alive,
		op_log };
	s->timers = g_ptr_array_new();
	s->writes = g_ptr_array_new();
	s->cib = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (unsigned p = 0; p < NMAX; p++)
		s->queue[p] = g_queue_new();
	for (unsigned i = 0; i < n; i++) {
		snprintf(s->nodes[i].host, sizeof(s->nodes[i].host), "node%u", i + 1);
		s->nodes[i].idx = i;
		s->nodes[i].up = true;
		node_start(s, i);
	}
	reconfigure(s, member, part);
	return s;
}

static const char *
run_seed(uint32_t seed, bool verbose)
{
	static char why[300];
	struct sim *s = sim_new(seed, 2 + seed % 4, verbose);
	bool gone[NMAX] = { false };
	unsigned steps = 30 + rnd(s, 120);

	for (unsigned k = 0; k < steps && s->violation[0] == '\0'; k++)
		step(s);
	/* which hosts are down at the end of the faults: their values must be gone */
	for (unsigned i = 0; i < s->n; i++)
		gone[i] = !s->nodes[i].up;
	/* bring them back, but first settle without them so the leave takes effect */
	{
		bool member[NMAX];
		unsigned part[NMAX];

		snapshot(s, member, part);
		for (unsigned i = 0; i < s->n; i++)
			s->nodes[i].part = 0;
		reconfigure(s, member, part);
		snapshot(s, member, part);
		for (unsigned i = 0; i < s->n; i++)
			if (gone[i]) {
				s->nodes[i].up = true;
				node_start(s, i);
			}
		reconfigure(s, member, part);
	}
	quiesce(s);
	check_converged(s);
	snprintf(why, sizeof(why), "%s", s->violation);
	sim_free(s);
	return why;
}

/* A value set on one node is on every node and in the CIB; dampening batches writes. */
static void
test_basic(void **state)
{
	struct sim *s = sim_new(1, 3, getenv("ATTRD_SIM_SEED") != NULL);
	struct attrd_update u = { "node2", "pingd", "100", NULL, 5000, ATTRD_U_VALUE };
	uint64_t writes;

	(void)state;
	quiesce(s);
	for (unsigned i = 0; i < 100; i++) {
		char v[16];
		struct msg *m = g_new0(struct msg, 1);

		snprintf(v, sizeof(v), "%u", i);
		m->kind = M_UPDATE;
		m->u = u;
		m->u.host = g_strdup(u.host);
		m->u.name = g_strdup(u.name);
		m->u.value = g_strdup(v);
		g_queue_push_tail(s->queue[0], m);
	}
	writes = attrd_core_writes(s->nodes[0].core);
	quiesce(s);
	for (unsigned i = 0; i < 3; i++)
		assert_string_equal(attrd_core_value(s->nodes[i].core, "pingd", "node2"), "99");
	assert_string_equal(g_hash_table_lookup(s->cib, "node2\npingd"), "99");
	/* 100 updates within the delay: one CIB write */
	assert_int_equal(attrd_core_writes(s->nodes[0].core) - writes, 1);
	assert_string_equal(s->violation, "");
	sim_free(s);
}

/* The writer's attrd is killed: the next node writes, nothing is lost, and the restarted
 * attrd gets every value back (its own included). */
static void
test_writer_restart(void **state)
{
	struct sim *s = sim_new(2, 3, getenv("ATTRD_SIM_SEED") != NULL);
	bool member[NMAX];
	unsigned part[NMAX];
	struct msg *m = g_new0(struct msg, 1);

	(void)state;
	m->kind = M_UPDATE;
	m->u.host = g_strdup("node1");
	m->u.name = g_strdup("a");
	m->u.value = g_strdup("1");
	m->u.flags = ATTRD_U_VALUE;
	g_queue_push_tail(s->queue[0], m);
	quiesce(s);
	assert_true(attrd_core_is_writer(s->nodes[0].core));
	snapshot(s, member, part);
	node_stop(s, 0);
	reconfigure(s, member, part);
	assert_true(attrd_core_is_writer(s->nodes[1].core));
	assert_string_equal(attrd_core_value(s->nodes[1].core, "a", "node1"), "1");
	snapshot(s, member, part);
	node_start(s, 0);
	reconfigure(s, member, part);
	quiesce(s);
	assert_string_equal(attrd_core_value(s->nodes[0].core, "a", "node1"), "1");
	assert_string_equal(g_hash_table_lookup(s->cib, "node1\na"), "1");
	assert_string_equal(s->violation, "");
	sim_free(s);
}

/* A node that leaves the ring loses its transient values, in memory and in the CIB. */
static void
test_node_leaves(void **state)
{
	struct sim *s = sim_new(3, 3, getenv("ATTRD_SIM_SEED") != NULL);
	bool member[NMAX];
	unsigned part[NMAX];
	struct msg *m = g_new0(struct msg, 1);

	(void)state;
	m->kind = M_UPDATE;
	m->u.host = g_strdup("node3");
	m->u.name = g_strdup("a");
	m->u.value = g_strdup("1");
	m->u.flags = ATTRD_U_VALUE;
	g_queue_push_tail(s->queue[0], m);
	quiesce(s);
	assert_non_null(g_hash_table_lookup(s->cib, "node3\na"));
	snapshot(s, member, part);
	s->nodes[2].up = false;
	node_stop(s, 2);
	reconfigure(s, member, part);
	assert_null(attrd_core_value(s->nodes[0].core, "a", "node3"));
	assert_null(g_hash_table_lookup(s->cib, "node3\na"));
	sim_free(s);
}

static void
push_update(struct sim *s, const char *host, const char *name, const char *value, uint32_t flags)
{
	struct msg *m = g_new0(struct msg, 1);

	m->kind = M_UPDATE;
	m->u.host = g_strdup(host);
	m->u.name = g_strdup(name);
	m->u.value = dup_or_null(value);
	m->u.flags = flags;
	g_queue_push_tail(s->queue[0], m);
}

/* crmd's fail counts: "value++" counts up on every node alike, INFINITY saturates; a pattern
 * delete (crm_resource --cleanup) removes every operation's count of the resource. */
static void
test_increment_and_pattern(void **state)
{
	struct sim *s = sim_new(4, 2, getenv("ATTRD_SIM_SEED") != NULL);

	(void)state;
	push_update(s, "node1", "fail-count-d#monitor_1000", "value++", ATTRD_U_VALUE);
	push_update(s, "node1", "fail-count-d#monitor_1000", "value++", ATTRD_U_VALUE);
	push_update(s, "node1", "fail-count-d#start_0", "value+=999999", ATTRD_U_VALUE);
	push_update(s, "node1", "fail-count-d#start_0", "value++", ATTRD_U_VALUE);
	push_update(s, "node2", "fail-count-e#stop_0", "INFINITY", ATTRD_U_VALUE);
	quiesce(s);
	for (unsigned i = 0; i < 2; i++) {
		assert_string_equal(
		    attrd_core_value(s->nodes[i].core, "fail-count-d#monitor_1000", "node1"), "2");
		assert_string_equal(
		    attrd_core_value(s->nodes[i].core, "fail-count-d#start_0", "node1"), "INFINITY");
	}
	push_update(s, "node1", "^fail-count-d#", NULL, ATTRD_U_VALUE | ATTRD_U_PATTERN);
	quiesce(s);
	assert_null(attrd_core_value(s->nodes[1].core, "fail-count-d#monitor_1000", "node1"));
	assert_null(attrd_core_value(s->nodes[1].core, "fail-count-d#start_0", "node1"));
	assert_null(g_hash_table_lookup(s->cib, "node1\nfail-count-d#start_0"));
	assert_string_equal(g_hash_table_lookup(s->cib, "node2\nfail-count-e#stop_0"), "INFINITY");
	assert_string_equal(s->violation, "");
	sim_free(s);
}

/* A clean stop: attrd leaves the group while its node is still in the ring (the launcher
 * stops it before membership), so the others keep its values as for a restart; when the node
 * then leaves the ring they go, from every attrd and from the CIB. (Before, they stayed.) */
static void
test_clean_stop(void **state)
{
	struct sim *s = sim_new(5, 3, getenv("ATTRD_SIM_SEED") != NULL);
	bool member[NMAX], up[NMAX];
	unsigned part[NMAX];

	(void)state;
	push_update(s, "node3", "shutdown", "12345", ATTRD_U_VALUE);
	quiesce(s);
	assert_string_equal(g_hash_table_lookup(s->cib, "node3\nshutdown"), "12345");
	snapshot(s, member, part);
	for (unsigned k = 0; k < s->n; k++)
		up[k] = s->nodes[k].up;
	node_stop(s, 2); /* attrd first: node3 still in the ring */
	reconfigure(s, member, part);
	assert_string_equal(attrd_core_value(s->nodes[0].core, "shutdown", "node3"), "12345");
	s->nodes[2].up = false; /* then membership: node3 leaves the ring */
	ring_change(s, up, part);
	for (unsigned i = 0; i < 2; i++)
		assert_null(attrd_core_value(s->nodes[i].core, "shutdown", "node3"));
	assert_null(g_hash_table_lookup(s->cib, "node3\nshutdown"));
	assert_string_equal(s->violation, "");
	sim_free(s);
}

/* A delete made on one side of a partition survives the heal even when the CIB copy that wins
 * the heal is the other side's, which still holds the value: the deletion is a tombstone in the
 * merged view, and the writer writes it again. (Before, the deletion was forgotten once
 * written, and the other side's copy brought the value back into the CIB.) */
static void
test_partition_delete(void **state)
{
	struct sim *s = sim_new(6, 3, getenv("ATTRD_SIM_SEED") != NULL);
	bool member[NMAX];
	unsigned part[NMAX];

	(void)state;
	push_update(s, "node1", "pingd", "100", ATTRD_U_VALUE);
	quiesce(s);
	/* node3 on its own; node1's side deletes node1's value and writes the deletion */
	snapshot(s, member, part);
	s->nodes[2].part = 1;
	reconfigure(s, member, part);
	push_update(s, "node1", "pingd", NULL, ATTRD_U_VALUE); /* on node1's side */
	for (unsigned guard = 0;
	     guard < 100 && (s->writes->len > 0 || !g_queue_is_empty(s->queue[0])); guard++) {
		flush(s, 0);
		if (s->writes->len > 0)
			finish_write(s, 0, 0);
	}
	assert_null(g_hash_table_lookup(s->cib, "node1\npingd"));
	assert_null(attrd_core_value(s->nodes[1].core, "pingd", "node1"));
	/* the heal: the CIB copy that wins is one from before the deletion (node3's side, where
	 * node1's values were kept by a ring event late to come or a clear that failed) */
	g_hash_table_replace(s->cib, g_strdup("node1\npingd"), g_strdup("100"));
	quiesce(s);
	for (unsigned i = 0; i < 3; i++)
		assert_null(attrd_core_value(s->nodes[i].core, "pingd", "node1"));
	assert_null(g_hash_table_lookup(s->cib, "node1\npingd"));
	assert_string_equal(s->violation, "");
	sim_free(s);
}

static void
test_random(void **state)
{
	const char *one = getenv("ATTRD_SIM_SEED");
	const char *count = getenv("ATTRD_SIM_COUNT");
#ifdef __SANITIZE_ADDRESS__
	unsigned n = count ? (unsigned)atoi(count) : 1000, failed = 0;
#else
	unsigned n = count ? (unsigned)atoi(count) : 3000, failed = 0;
#endif

	(void)state;
	if (one != NULL) {
		const char *why = run_seed((uint32_t)atoi(one), true);

		if (why[0] != '\0')
			fail_msg("seed %s: %s", one, why);
		return;
	}
	for (unsigned seed = 1; seed <= n; seed++) {
		const char *why = run_seed(seed, false);

		if (why[0] != '\0') {
			if (failed++ < 5)
				fprintf(stderr, "seed %u: %s\n", seed, why);
		}
	}
	if (failed > 0)
		fail_msg("%u of %u seeds failed (rerun one with ATTRD_SIM_SEED=N)", failed, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_writer_restart),
		cmocka_unit_test(test_node_leaves),
		cmocka_unit_test(test_increment_and_pattern),
		cmocka_unit_test(test_clean_stop),
		cmocka_unit_test(test_partition_delete),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
