/*
 * fsm_int.h - the controller state machine's insides, shared by fsm.c (inputs, state
 * changes, membership), election.c, join.c and te.c (transition engine). Not for the daemon.
 */
#ifndef PACELINE_CRMD_FSM_INT_H
#define PACELINE_CRMD_FSM_INT_H

#include "fsm.h"
#include "graph.h"

#define CRMD_NEVER	    UINT64_MAX
#define CRMD_FENCE_RETRY_MS 2000 /* after a failed fencing, before the next graph */

/* Every node this controller has heard of (members or not). */
struct crmd_peer {
	uint32_t nodeid;
	char *name;
	bool member; /* in the current configuration (in_ccm) */
	bool crmd;   /* its crmd is in the crmd group */
	/* election */
	bool has_vote;
	struct crmd_vote vote;
	bool heard;	     /* a vote of the current id arrived (any configuration) */
	uint64_t heard_hash; /* its members_hash */
	uint64_t last_heard; /* when its last vote arrived (or the configuration came) */
	/* DC's view of its join */
	enum crmd_join join;
	struct crmd_cib_version cib;
	bool expected_up;
	bool expected_known; /* this DC set expected_up (join, shutdown, fencing): a node lost
			      * before it ever joined this DC keeps what the CIB says (so a
			      * crashed former DC stays expected up, hence unclean, and is
			      * fenced) */
	bool shutdown;	     /* asked to leave */
	uint64_t crmd_left;  /* when its crmd left while the node stayed (0: no) */
};

/* Failed fencing of one target, counted by the DC (te_fence.c). */
struct crmd_fence_fail {
	char *target;
	uint32_t count;
};

/* An operation this node runs for a DC: who asked, to send the result back. */
struct crmd_local_op {
	struct crmd_rsc_action req;
	uint32_t requester; /* the DC that sent it (0: none, e.g. refresh) */
	char *after;	    /* parked: run once the action with this transition key succeeds */
	/* the same operation asked again while it runs (a new DC re-issuing a start it found
	 * pending): answered by this run's result under its own key, never run twice */
	char *adopted_key;
	uint32_t adopted_requester;
};

/* An ACTION's meta entry naming the transition key of the action on the same node it must
 * follow (te.c dispatch_chained); taken off before the agent runs. */
#define CRMD_AFTER_META "paceline_after"
#define CRMD_RECENT	16 /* results remembered for actions that come after them */

struct crmd {
	uint32_t me;
	char *my_name;
	uint64_t start_ms;
	struct crmd_options opt;
	struct crmd_ops ops;
	void *arg;

	enum crmd_state state;
	uint64_t now; /* time of the input being handled */

	struct crmd_peer *peers;
	size_t n_peers;
	uint64_t members_hash; /* of the crmd members */
	size_t n_crmd;	       /* crmd members */
	size_t expected;
	bool quorate;
	bool have_config;
	uint64_t pending_deadline; /* PENDING: dc-deadtime */

	/* election */
	uint64_t election_id;
	bool dc_candidate; /* was DC when the current election began */
	uint64_t election_deadline;
	uint32_t elections_failed; /* elections in a row that ended without a winner */
	uint32_t dc;		   /* the DC this node follows (itself when DC) */

	/* join, DC side */
	uint64_t join_id;
	uint32_t join_seq;
	uint64_t join_deadline;
	uint64_t join_started;	   /* when the current round was offered */
	uint64_t reoffer_deadline; /* offer the round again to who has not confirmed */
	bool syncing;
	/* join, node side */
	uint64_t offered_join;	 /* the join id of the offer taken */
	bool joined;		 /* confirmed to the current DC */
	uint64_t offer_deadline; /* NOT_DC: no offer by then -> re-elect */

	/* transition engine (DC) */
	bool need_pe;
	uint64_t pengine_ref;
	int transition_seq;
	struct graph *graph;	/* the running or draining graph */
	uint32_t graph_dc_join; /* unused */
	uint64_t recheck_deadline;
	uint64_t recheck_by;	 /* the last graph's recheck-by, monotonic ms (NEVER) */
	uint64_t hold_deadline;	 /* no transition before: a member's crmd is restarting */
	uint64_t fence_retry_at; /* a fencing failed: the next graph waits until then (0: no) */
	struct crmd_fence_fail *fence_fails; /* per target (stonith-max-attempts) */
	size_t n_fence_fails;
	bool fence_stop; /* a target failed too often: this graph ends without a new one */

	/* operations this node runs for a DC */
	struct crmd_local_op *local;
	size_t n_local;
	struct crmd_local_op *parked; /* chained actions waiting for the one they follow */
	size_t n_parked;
	struct {
		char *key; /* transition key of a recent result, and whether it succeeded */
		bool ok;
	} recent[CRMD_RECENT];
	size_t n_recent; /* results remembered so far (ring) */

	/* shutdown */
	bool shutdown_requested;
	bool shutdown_sent;
	uint64_t shutdown_deadline;
	uint64_t shutdown_resend; /* STOPPING: ask the DC again then (lost request) */
};

/* Tests only: called with every graph as it ends (te.c), so a simulator can check that every
 * action of it was confirmed, failed or timed out. NULL in the daemon. */
extern void (*crmd_graph_end_hook)(const struct crmd *c, const struct graph *g);
/* Tests only: called when a node takes an action as answered by the run already under way
 * (exec.c adopt), the dispatch a simulator does not see as an lrmd exec. NULL in the daemon. */
extern void (*crmd_adopt_hook)(const struct crmd *c, const struct crmd_rsc_action *a);

/* fsm.c */
void crmd_change_state(struct crmd *c, enum crmd_state to);
void crmd_logf(struct crmd *c, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct crmd_peer *crmd_peer(struct crmd *c, uint32_t nodeid);
struct crmd_peer *crmd_peer_by_name(struct crmd *c, const char *name);
void crmd_send(struct crmd *c, enum crmd_msg_type type, uint32_t to, uint64_t id, struct crmd_msg *m);
bool crmd_dc_state(enum crmd_state s);
void crmd_write_node_state(struct crmd *c, const struct crmd_peer *p);
void crmd_shutdown_ask(struct crmd *c);
void crmd_shutdown_self(struct crmd *c);

/* election.c */
void crmd_election_start(struct crmd *c, bool bump);
void crmd_election_vote(struct crmd *c, const struct crmd_msg *m);
void crmd_election_tick(struct crmd *c);

/* te_fence.c: true when target has now failed stonith-max-attempts times */
bool crmd_fence_count_failure(struct crmd *c, const char *target);
void crmd_fence_count_reset(struct crmd *c, const char *target);
void crmd_fence_counts_free(struct crmd *c);

/* join.c */
void crmd_join_start(struct crmd *c);
void crmd_join_dc_recv(struct crmd *c, const struct crmd_msg *m);
void crmd_join_node_recv(struct crmd *c, const struct crmd_msg *m);
void crmd_join_tick(struct crmd *c);
void crmd_join_cib_synced(struct crmd *c, bool ok);
void crmd_join_node_gone(struct crmd *c, struct crmd_peer *p);

/* te.c */
void crmd_te_kick(struct crmd *c);		       /* DC: request, run, or finish a graph */
void crmd_te_request(struct crmd *c, const char *why); /* something changed: recompute */
void crmd_te_graph(struct crmd *c, uint64_t ref, const char *xml);
void crmd_te_result(struct crmd *c, uint32_t node, const struct crmd_op_result *r);
void crmd_te_history(struct crmd *c, uint32_t node, const struct crmd_op_result *ops, size_t n);
void crmd_te_tick(struct crmd *c);
uint64_t crmd_te_deadline(const struct crmd *c);
void crmd_te_drop(struct crmd *c); /* DC role lost: stop dispatching */
void crmd_te_node_lost(struct crmd *c, uint32_t nodeid);
void crmd_te_fenced(struct crmd *c, uint64_t ref, const char *target, const char *action, bool ok,
    const char *delegate);
/* node side */
void crmd_exec_recv(struct crmd *c, const struct crmd_msg *m);
void crmd_exec_local(struct crmd *c, const struct crmd_rsc_action *a, uint32_t requester);
void crmd_exec_result(struct crmd *c, const struct crmd_op_result *r);

#endif
