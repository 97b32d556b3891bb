/*
 * graph.h - a transition graph (paceline-pengine's answer, in Pacemaker's format) and its
 * pure execution: which actions may be dispatched now, what confirms or fails them, what a
 * timeout or an abort does. No I/O: the transition engine (te.c) dispatches what
 * graph_ready() returns and feeds results back with graph_done().
 *
 *   <transition_graph cluster-delay="60s" stonith-timeout="60s" transition_id="0"
 *                     batch-limit=".." migration-limit="..">
 *     <synapse id="0" priority="..">
 *       <action_set> <rsc_op|pseudo_event|crm_event id=".." operation=".." operation_key=".."
 *                         on_node=".." on_node_uuid="..">
 *                      <primitive id class provider type long-id/> <attributes .../>
 *       </action_set>
 *       <inputs> <trigger> <rsc_op id=".."/> </trigger> ... </inputs>
 *     </synapse>
 *   </transition_graph>
 *
 * An action's life:  PENDING --(its synapse's inputs all confirmed; within the batch and
 * migration limits)--> IN_FLIGHT --> CONFIRMED | FAILED | TIMED_OUT. A synapse fires once,
 * so an action is dispatched at most once. An aborted graph fires nothing more; it is over
 * when nothing is in flight.
 */
#ifndef PACELINE_CRMD_GRAPH_H
#define PACELINE_CRMD_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsm.h"

struct pl_error;

enum graph_kind { GRAPH_RSC_OP = 1, GRAPH_PSEUDO, GRAPH_CRM_EVENT };

enum graph_astate {
	GRAPH_A_PENDING = 0,
	GRAPH_A_IN_FLIGHT,
	GRAPH_A_CONFIRMED,
	GRAPH_A_FAILED,
	GRAPH_A_TIMED_OUT,
};

struct graph_action {
	int id;
	enum graph_kind kind;
	char *operation; /* start, stop, monitor, stonith, do_shutdown, ... */
	char *key;	 /* operation_key */
	char *on_node;	 /* "" for pseudo actions */
	char *on_node_uuid;
	struct crmd_rsc_action rsc; /* rsc_op: what to run (transition_key set at dispatch) */
	uint32_t timeout_ms;	    /* CRM_meta_timeout */
	bool migration;		    /* migrate_to / migrate_from */
	size_t synapse;
	enum graph_astate state;
	uint64_t deadline; /* IN_FLIGHT: when it times out */
};

struct graph_synapse {
	int id;
	int priority;
	size_t *actions; /* indexes into graph.actions */
	size_t n_actions;
	size_t *inputs; /* indexes of the actions it waits for */
	size_t n_inputs;
	bool fired;
	bool done; /* every action of it is over */
};

struct graph {
	int transition_id;
	uint32_t cluster_delay_ms;
	uint32_t stonith_timeout_ms;
	int batch_limit;     /* in-flight non-pseudo actions, 0 = no limit */
	int migration_limit; /* in-flight migrations per node, -1 = no limit */
	bool has_batch_limit, has_migration_limit; /* given by the graph */
	long long recheck_by; /* wall clock s: compute again by then (0 = none) */
	struct graph_synapse *synapses;
	size_t n_synapses;
	struct graph_action *actions;
	size_t n_actions;
	/* execution indexes (graph_prepare): synapses waiting on each action, how many inputs
	 * each synapse still waits for, the ready synapses (a heap by priority), in flight */
	size_t **dependents;
	size_t *n_dependents;
	size_t *waiting;
	size_t *heap;
	size_t n_heap;
	size_t *flight;
	size_t n_flight;
	size_t busy; /* real (non-pseudo) actions in flight */
	long *by_id; /* action id -> index, -1 if none */
	size_t n_by_id;
	bool aborted;
	size_t in_flight; /* actions IN_FLIGHT (pseudo ones never stay there) */
	size_t n_confirmed, n_failed, n_timed_out;
};

/* Parse a graph; NULL with err saying what was wrong and where (line, element id). */
struct graph *graph_parse(const char *xml, size_t len, struct pl_error *err);
void graph_free(struct graph *g);

/* Build the execution indexes (graph_parse does it). */
void graph_prepare(struct graph *g);
void graph_free_exec(struct graph *g);

/* The action with that id, or -1. */
long graph_find(const struct graph *g, int action_id);

/* Fire every synapse whose inputs are complete, within the limits (higher priority first);
 * store the indexes of the actions now IN_FLIGHT (at most max) and return their count.
 * now + timeout + cluster-delay becomes each action's deadline. */
size_t graph_ready(struct graph *g, uint64_t now, size_t *out, size_t max);
/* Synapses that wait only for the in-flight resource action idx and run one resource action
 * on the same node fire now too (at most max, within the batch-limit): the node runs them
 * when idx succeeds (crmd_exec_local, CRMD_AFTER_META), which saves a round through the DC
 * (a restart's stop then start). idx's failure aborts the graph; the node then reports them
 * not run. */
size_t graph_chain(struct graph *g, size_t idx, uint64_t now, size_t *out, size_t max);
/* An in-flight action is over (state CONFIRMED, FAILED or TIMED_OUT). A failure aborts the
 * graph. false if the action was not in flight (a duplicate or late result). */
bool graph_done(struct graph *g, size_t idx, enum graph_astate state);
/* Time every in-flight action past its deadline out; their indexes go to out. */
size_t graph_expire(struct graph *g, uint64_t now, size_t *out, size_t max);
uint64_t graph_next_deadline(const struct graph *g);
void graph_abort(struct graph *g);
/* Nothing in flight and nothing more will fire (all done, or aborted, or stuck). */
bool graph_finished(const struct graph *g);
/* Finished with every synapse done and no failure. */
bool graph_complete(const struct graph *g);
const char *graph_astate_name(enum graph_astate s);

#endif
