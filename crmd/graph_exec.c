/*
 * graph_exec.c - running a parsed transition graph, purely: firing synapses whose inputs are
 * complete (within batch-limit and migration-limit, higher priority first), confirming,
 * failing and timing out actions, aborting. te.c does the I/O.
 */
#include <stdlib.h>
#include <string.h>

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

static bool
action_over(const struct graph_action *a)
{
	return a->state >= GRAPH_A_CONFIRMED;
}

static bool
synapse_ready(const struct graph *g, const struct graph_synapse *s)
{
	if (s->fired)
		return false;
	for (size_t i = 0; i < s->n_inputs; i++)
		if (g->actions[s->inputs[i]].state != GRAPH_A_CONFIRMED)
			return false;
	return true;
}

/* In-flight migrations whose target is node. */
static int
migrations_on(const struct graph *g, const char *node)
{
	int n = 0;

	for (size_t i = 0; i < g->n_actions; i++) {
		const struct graph_action *a = &g->actions[i];

		if (a->migration && a->state == GRAPH_A_IN_FLIGHT && strcmp(a->on_node, node) == 0)
			n++;
	}
	return n;
}

/* Real (non-pseudo) actions of a synapse, and whether it holds a migration limited now. */
static bool
synapse_fits(const struct graph *g, const struct graph_synapse *s, size_t busy)
{
	size_t real = 0;

	for (size_t i = 0; i < s->n_actions; i++) {
		const struct graph_action *a = &g->actions[s->actions[i]];

		if (a->kind == GRAPH_PSEUDO)
			continue;
		real++;
		if (a->migration && g->migration_limit >= 0 &&
		    migrations_on(g, a->on_node) >= g->migration_limit)
			return false;
	}
	/* a synapse always fits into an idle graph, or nothing would ever run */
	return real == 0 || g->batch_limit <= 0 || busy == 0 ||
	       busy + real <= (size_t)g->batch_limit;
}

static size_t
fire(struct graph *g, struct graph_synapse *s, uint64_t now, size_t *out, size_t n, size_t max)
{
	s->fired = true;
	for (size_t i = 0; i < s->n_actions && n < max; i++) {
		struct graph_action *a = &g->actions[s->actions[i]];
		uint64_t t = (uint64_t)a->timeout_ms + a->rsc.start_delay_ms + g->cluster_delay_ms;

		if (a->kind == GRAPH_CRM_EVENT && strcmp(a->operation, "stonith") == 0)
			t = (uint64_t)g->stonith_timeout_ms + g->cluster_delay_ms;
		a->state = GRAPH_A_IN_FLIGHT;
		a->deadline = now + t;
		g->in_flight++;
		out[n++] = s->actions[i];
	}
	return n;
}

size_t
graph_ready(struct graph *g, uint64_t now, size_t *out, size_t max)
{
	size_t n = 0;

	if (g->aborted)
		return 0;
	for (;;) {
		struct graph_synapse *best = NULL;
		size_t busy = 0;

		for (size_t i = 0; i < g->n_actions; i++)
			if (g->actions[i].state == GRAPH_A_IN_FLIGHT &&
			    g->actions[i].kind != GRAPH_PSEUDO)
				busy++;
		for (size_t i = 0; i < g->n_synapses; i++) {
			struct graph_synapse *s = &g->synapses[i];

			if (synapse_ready(g, s) && synapse_fits(g, s, busy) &&
			    (!best || s->priority > best->priority))
				best = s;
		}
		if (!best || n + best->n_actions > max)
			return n;
		n = fire(g, best, now, out, n, max);
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
	if (state == GRAPH_A_CONFIRMED) {
		g->n_confirmed++;
	} else {
		if (state == GRAPH_A_FAILED)
			g->n_failed++;
		else
			g->n_timed_out++;
		g->aborted = true;
	}
	s->done = true;
	for (size_t i = 0; i < s->n_actions; i++)
		if (!action_over(&g->actions[s->actions[i]]))
			s->done = false;
	return true;
}

size_t
graph_expire(struct graph *g, uint64_t now, size_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n_actions && n < max; i++)
		if (g->actions[i].state == GRAPH_A_IN_FLIGHT && g->actions[i].deadline <= now) {
			graph_done(g, i, GRAPH_A_TIMED_OUT);
			out[n++] = i;
		}
	return n;
}

uint64_t
graph_next_deadline(const struct graph *g)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < g->n_actions; i++)
		if (g->actions[i].state == GRAPH_A_IN_FLIGHT && g->actions[i].deadline < t)
			t = g->actions[i].deadline;
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
	if (g->in_flight > 0)
		return false;
	if (g->aborted)
		return true;
	for (size_t i = 0; i < g->n_synapses; i++)
		if (synapse_ready(g, &g->synapses[i]))
			return false;
	return true;
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
