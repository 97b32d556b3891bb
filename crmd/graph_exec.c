/*
 * graph_exec.c - running a parsed transition graph, purely: firing synapses whose inputs are
 * complete (within batch-limit and migration-limit, higher priority first), confirming,
 * failing and timing out actions, aborting. te.c does the I/O.
 *
 * Each synapse counts the inputs it still waits for; a confirmed action lowers the count of
 * the synapses waiting on it, and a synapse at zero enters a heap ordered by priority. The
 * in-flight actions are kept in a list. Work per result is proportional to what it unblocks,
 * so graphs of thousands of actions run in linear time.
 */
#include <stdlib.h>
#include <string.h>

#include <paceline/xalloc.h>

#include "graph.h"

static const char *const astate_names[] = {
	[GRAPH_A_PENDING] = "pending",
	[GRAPH_A_IN_FLIGHT] = "in flight",
	[GRAPH_A_CONFIRMED] = "confirmed",
	[GRAPH_A_FAILED] = "failed",
	[GRAPH_A_TIMED_OUT] = "timed out",
};

const char *
graph_astate_name(enum graph_astate s)
{
	return s <= GRAPH_A_TIMED_OUT ? astate_names[s] : "unknown";
}

/* ------------------------------- the ready heap ------------------------------- */

static bool
before(const struct graph *g, size_t a, size_t b)
{
	const struct graph_synapse *x = &g->synapses[a], *y = &g->synapses[b];

	return x->priority != y->priority ? x->priority > y->priority : a < b;
}

static void
heap_push(struct graph *g, size_t si)
{
	size_t i = g->n_heap++;

	while (i > 0 && before(g, si, g->heap[(i - 1) / 2])) {
		g->heap[i] = g->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	g->heap[i] = si;
}

static size_t
heap_pop(struct graph *g)
{
	size_t top = g->heap[0], last = g->heap[--g->n_heap], i = 0;

	for (;;) {
		size_t l = 2 * i + 1, m = i;
		size_t cur = last;

		if (l < g->n_heap && before(g, g->heap[l], cur)) {
			m = l;
			cur = g->heap[l];
		}
		if (l + 1 < g->n_heap && before(g, g->heap[l + 1], cur))
			m = l + 1;
		if (m == i)
			break;
		g->heap[i] = g->heap[m];
		i = m;
	}
	if (g->n_heap)
		g->heap[i] = last;
	return top;
}

void
graph_prepare(struct graph *g)
{
	g->dependents = xcalloc(g->n_actions + 1, sizeof(*g->dependents));
	g->n_dependents = xcalloc(g->n_actions + 1, sizeof(*g->n_dependents));
	g->waiting = xcalloc(g->n_synapses + 1, sizeof(*g->waiting));
	g->heap = xcalloc(g->n_synapses + 1, sizeof(*g->heap));
	g->flight = xcalloc(g->n_actions + 1, sizeof(*g->flight));
	for (size_t si = 0; si < g->n_synapses; si++) {
		const struct graph_synapse *s = &g->synapses[si];

		for (size_t k = 0; k < s->n_inputs; k++) {
			size_t a = s->inputs[k];

			g->dependents[a] =
			    xreallocarray(g->dependents[a], g->n_dependents[a] + 1, sizeof(size_t));
			g->dependents[a][g->n_dependents[a]++] = si;
		}
		g->waiting[si] = s->n_inputs;
		if (!s->n_inputs)
			heap_push(g, si);
	}
}

void
graph_free_exec(struct graph *g)
{
	for (size_t i = 0; g->dependents && i < g->n_actions; i++)
		free(g->dependents[i]);
	free(g->dependents);
	free(g->n_dependents);
	free(g->waiting);
	free(g->heap);
	free(g->flight);
}

/* --------------------------------- execution --------------------------------- */

/* In-flight migrations whose target is node. */
static int
migrations_on(const struct graph *g, const char *node)
{
	int n = 0;

	for (size_t i = 0; i < g->n_flight; i++) {
		const struct graph_action *a = &g->actions[g->flight[i]];

		if (a->migration && strcmp(a->on_node, node) == 0)
			n++;
	}
	return n;
}

enum fit { FITS, BATCH_FULL, MIGRATION_FULL };

static enum fit
synapse_fits(const struct graph *g, const struct graph_synapse *s)
{
	size_t real = 0;

	for (size_t i = 0; i < s->n_actions; i++) {
		const struct graph_action *a = &g->actions[s->actions[i]];

		if (a->kind == GRAPH_PSEUDO)
			continue;
		real++;
		if (a->migration && g->migration_limit >= 0 &&
		    migrations_on(g, a->on_node) >= g->migration_limit)
			return MIGRATION_FULL;
	}
	/* a synapse always fits into an idle graph, or nothing would ever run */
	if (real == 0 || g->batch_limit <= 0 || g->busy == 0 ||
	    g->busy + real <= (size_t)g->batch_limit)
		return FITS;
	return BATCH_FULL;
}

static size_t
fire(struct graph *g, struct graph_synapse *s, uint64_t now, size_t *out, size_t n)
{
	s->fired = true;
	for (size_t i = 0; i < s->n_actions; i++) {
		struct graph_action *a = &g->actions[s->actions[i]];
		uint64_t t = (uint64_t)a->timeout_ms + a->rsc.start_delay_ms + g->cluster_delay_ms;

		if (a->kind == GRAPH_CRM_EVENT && strcmp(a->operation, "stonith") == 0)
			t = (uint64_t)g->stonith_timeout_ms + g->cluster_delay_ms;
		a->state = GRAPH_A_IN_FLIGHT;
		a->deadline = now + t;
		g->in_flight++;
		if (a->kind != GRAPH_PSEUDO)
			g->busy++;
		g->flight[g->n_flight++] = s->actions[i];
		out[n++] = s->actions[i];
	}
	return n;
}

size_t
graph_ready(struct graph *g, uint64_t now, size_t *out, size_t max)
{
	size_t n = 0, n_deferred = 0;
	size_t *deferred;

	if (g->aborted || !g->n_heap)
		return 0;
	deferred = xcalloc(g->n_heap + 1, sizeof(*deferred));
	while (g->n_heap) {
		size_t si = g->heap[0];
		struct graph_synapse *s = &g->synapses[si];
		enum fit f;

		if (n + s->n_actions > max)
			break;
		f = synapse_fits(g, s);
		if (f == BATCH_FULL)
			break;
		heap_pop(g);
		if (f == MIGRATION_FULL)
			deferred[n_deferred++] = si;
		else
			n = fire(g, s, now, out, n);
	}
	for (size_t i = 0; i < n_deferred; i++)
		heap_push(g, deferred[i]);
	free(deferred);
	return n;
}

size_t
graph_chain(struct graph *g, size_t idx, uint64_t now, size_t *out, size_t max)
{
	const struct graph_action *a = &g->actions[idx];
	size_t n = 0;

	if (g->aborted || a->state != GRAPH_A_IN_FLIGHT || a->kind != GRAPH_RSC_OP)
		return 0;
	for (size_t i = 0; i < g->n_dependents[idx] && n < max; i++) {
		if (g->batch_limit > 0 && g->busy + 1 > (size_t)g->batch_limit)
			break;
		size_t si = g->dependents[idx][i];
		struct graph_synapse *s = &g->synapses[si];

		if (s->fired || g->waiting[si] != 1 || s->n_actions != 1)
			continue;
		const struct graph_action *b = &g->actions[s->actions[0]];
		if (b->kind != GRAPH_RSC_OP || b->migration || strcmp(b->on_node, a->on_node) != 0 ||
		    strcmp(b->operation, "cancel") == 0 || strcmp(b->operation, "delete") == 0)
			continue;
		n = fire(g, s, now, out, n);
	}
	return n;
}

static void
flight_remove(struct graph *g, size_t idx)
{
	for (size_t i = 0; i < g->n_flight; i++)
		if (g->flight[i] == idx) {
			g->flight[i] = g->flight[--g->n_flight];
			return;
		}
}

bool
graph_done(struct graph *g, size_t idx, enum graph_astate state)
{
	if (idx >= g->n_actions || state < GRAPH_A_CONFIRMED)
		return false;
	struct graph_action *a = &g->actions[idx];
	struct graph_synapse *s = &g->synapses[a->synapse];

	if (a->state != GRAPH_A_IN_FLIGHT)
		return false;
	a->state = state;
	g->in_flight--;
	if (a->kind != GRAPH_PSEUDO)
		g->busy--;
	flight_remove(g, idx);
	if (state == GRAPH_A_CONFIRMED) {
		g->n_confirmed++;
		for (size_t i = 0; i < g->n_dependents[idx]; i++) {
			size_t si = g->dependents[idx][i];

			if (--g->waiting[si] == 0 && !g->synapses[si].fired)
				heap_push(g, si);
		}
	} else {
		if (state == GRAPH_A_FAILED)
			g->n_failed++;
		else
			g->n_timed_out++;
		g->aborted = true;
	}
	s->done = true;
	for (size_t i = 0; i < s->n_actions; i++)
		if (g->actions[s->actions[i]].state < GRAPH_A_CONFIRMED)
			s->done = false;
	return true;
}

size_t
graph_expire(struct graph *g, uint64_t now, size_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n_flight && n < max;) {
		size_t idx = g->flight[i];

		if (g->actions[idx].deadline <= now) {
			graph_done(g, idx, GRAPH_A_TIMED_OUT); /* swaps the list: stay at i */
			out[n++] = idx;
		} else {
			i++;
		}
	}
	return n;
}

uint64_t
graph_next_deadline(const struct graph *g)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < g->n_flight; i++)
		if (g->actions[g->flight[i]].deadline < t)
			t = g->actions[g->flight[i]].deadline;
	return t;
}

void
graph_abort(struct graph *g)
{
	g->aborted = true;
}

bool
graph_finished(const struct graph *g)
{
	return g->in_flight == 0 && (g->aborted || g->n_heap == 0);
}

bool
graph_complete(const struct graph *g)
{
	if (g->in_flight > 0 || g->aborted)
		return false;
	for (size_t i = 0; i < g->n_synapses; i++)
		if (!g->synapses[i].done)
			return false;
	return true;
}
