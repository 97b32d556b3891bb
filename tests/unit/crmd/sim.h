/*
 * sim.h - a seeded simulated cluster for the controller core (crmd/fsm.h): N controllers in
 * one process, a virtual clock, a network that loses, delays and reorders messages,
 * partitions, crmd crashes (lrmd survives), node crashes (everything goes), slow agents,
 * failing monitors, a fake lrmd per node, one CIB status store and a small fake scheduler
 * (sim_pe.c) that answers with real transition graph XML.
 *
 * Invariants checked while it runs (a violation is recorded with the time and stops the run):
 *  - at most one DC among the controllers that hold the same configuration;
 *  - no action of a graph is dispatched twice; every graph that ends has each of its
 *    dispatched actions confirmed, failed or timed out;
 *  - when a DC finishes a join, every result in the lrmd of each member is in the CIB.
 * sim_converged() checks liveness after the faults stop: one DC, idle, everyone joined,
 * each resource running exactly once.
 */
#ifndef PACELINE_CRMD_SIM_H
#define PACELINE_CRMD_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsm.h"

#define SIM_MAX_NODES 7
#define SIM_MAX_RSC   8

struct sim;
struct sim_cib;

struct sim_faults {
	double loss;	       /* probability a message in flight across a configuration
				 * change is lost (none is lost within one) */
	uint32_t max_delay_ms; /* delivery delay uniform in [1, max_delay_ms] */
	double slow_agent;     /* probability an action takes longer than its timeout */
	uint32_t agent_ms;     /* normal action duration, uniform in [1, agent_ms] */
};

struct sim *sim_new(unsigned n_nodes, unsigned n_rsc, uint64_t seed);
void sim_free(struct sim *s);
uint64_t sim_rand(struct sim *s);
uint64_t sim_now(const struct sim *s);
void sim_set_faults(struct sim *s, const struct sim_faults *f);
void sim_set_verbose(struct sim *s, bool on);
/* Lost election messages: a VOTE is lost with probability p, within a configuration too. */
void sim_set_vote_loss(struct sim *s, double p);
/* A lost group message: the next configuration delivered to `viewer` shows `node`'s crmd as
 * running (crmd) or not, whatever it is; the others get the true one. */
void sim_skew_view(struct sim *s, unsigned viewer, unsigned node, bool crmd);
/* A slow node: its join confirmations take ms longer to arrive (node -1: none). */
void sim_slow_join(struct sim *s, int node, uint32_t ms);

void sim_start(struct sim *s, unsigned node);	   /* node (and crmd) up */
void sim_crash_crmd(struct sim *s, unsigned node); /* lrmd keeps running */
void sim_restart_crmd(struct sim *s, unsigned node);
void sim_crash_node(struct sim *s, unsigned node); /* resources gone with it */
/* lrmd dies and is respawned: its history and recurring monitors are gone, the resources
 * keep running; crmd exits with it and is started again (as under the launcher) */
void sim_restart_lrmd(struct sim *s, unsigned node);
bool sim_node_up(const struct sim *s, unsigned node);
bool sim_crmd_up(const struct sim *s, unsigned node);
void sim_partition(struct sim *s, const unsigned *group); /* group[i] per node */
void sim_heal(struct sim *s);
void sim_fail_resource(struct sim *s, unsigned node, unsigned rsc); /* its monitor fails */
void sim_shutdown(struct sim *s, unsigned node); /* ask the node's crmd to leave */
void sim_run(struct sim *s, uint64_t ms);

/* The CIB's own replica sync: the status store becomes a copy taken earlier (another
 * replica's, e.g. from the other side of a partition) and every controller hears that its
 * CIB was replaced (crmd_cib_replaced, then crmd_cib_changed, as paceline-crmd passes a
 * replica sync on). The copy stays the caller's. */
void sim_cib_sync(struct sim *s, const struct sim_cib *copy);
struct sim_cib *sim_cib_snapshot(const struct sim *s); /* free with sim_cib_free */
/* A former DC's late status write (held by its replica through the sync round of a heal):
 * the status store becomes the copy (that controller's stale view overwrote what the DC
 * wrote) and every controller hears that writer's controller wrote the status section. */
void sim_cib_stale_write(struct sim *s, const struct sim_cib *copy, unsigned writer);
/* "" when every invariant held, else what broke (first violation). */
const char *sim_violation(const struct sim *s);
/* After a quiet period: one DC, idle, all joined, every resource running once. */
bool sim_converged(struct sim *s, char *why, size_t len);
struct crmd *sim_crmd(struct sim *s, unsigned node);
uint32_t sim_node_id(const struct sim *s, unsigned node);
int sim_fails(const struct sim *s, unsigned node, const char *rsc); /* its fail count */
/* Checker self-test: drop one CIB entry of a node whose lrmd holds it, then check. */
bool sim_tamper_cib(struct sim *s);
void sim_check_history(struct sim *s, unsigned dc_node);
void sim_dump(struct sim *s);
uint64_t sim_stat(const struct sim *s, const char *what); /* "dispatched", "elections", "starts",
							    * "unmonitored", "chained" */

/* sim_pe.c: the fake scheduler and the CIB status store */
struct sim_cib *sim_cib_new(void);
void sim_cib_free(struct sim_cib *cib);
void sim_cib_record(struct sim_cib *cib, uint32_t node, const struct crmd_op_result *r);
void sim_cib_replace(struct sim_cib *cib, uint32_t node, const struct crmd_op_result *v, size_t n);
void sim_cib_forget(struct sim_cib *cib, uint32_t node, const char *rsc);
struct sim_cib *sim_cib_copy(const struct sim_cib *cib);
void sim_cib_fail_count(struct sim_cib *cib, uint32_t node, const char *rsc);
int sim_cib_fails(const struct sim_cib *cib, uint32_t node, const char *rsc);
void sim_cib_set_shutdown(struct sim_cib *cib, uint32_t node, bool on);
/* call id recorded for node/rsc/action/interval, -1 if none */
long sim_cib_call(const struct sim_cib *cib, uint32_t node, const char *rsc, const char *action,
    uint32_t interval);
bool sim_cib_drop_one(
    struct sim_cib *cib, uint32_t node, const char *rsc, const char *action, uint32_t interval);
/* A graph for the DC that sees `online` nodes (ids, names "nodeN"); caller frees. */
char *sim_pe_graph(const struct sim_cib *cib, const uint32_t *online, size_t n_online,
    unsigned n_rsc, int transition);

#endif
