/*
 * fsm.h - the controller (paceline-crmd) as a pure state machine: no sockets, no clock, no
 * event loop. Inputs are membership configurations, decoded peer messages, local results
 * (lrmd, cib, pengine) and the passing of time; outputs go through ops (peer messages, CIB
 * writes, lrmd requests, pengine requests, log lines). The daemon (crmd/main.c, server.c)
 * and the seeded simulator of tests/unit/crmd drive the very same code.
 *
 *                  crmd_start() and the first configuration
 *                                   |
 *   membership knows every node here | a node missing
 *            +----------------------+----------------------+
 *            v                                             v
 *      +-----------+   dc-deadtime passed, a vote,   +-----------+
 *  +-->| ELECTION  |<--- or every node arrived ------|  PENDING  |
 *  |   +-----------+                                 +-----------+
 *  |     |       | every vote in and this node wins
 *  |     |       +-------------------------------+
 *  |     | every vote in (or the                 v
 *  |     | winner's offer for this         +-------------+ offer join to every member,
 *  |     | election): another wins         | INTEGRATION | collect requests, sync the
 *  |     v                                 +-------------+ newest CIB
 *  |   +-----------+                              | every request in (or join-timeout)
 *  |   |  NOT_DC   | takes the offer,             v
 *  |   | runs what | confirms with its     +-------------+ ack each node, write each
 *  |   | DC sends  | lrmd history          |  FINALIZE   | confirmed history to status
 *  |   +-----------+                       +-------------+
 *  |     | shutdown asked                         | every confirmation in (or timeout)
 *  |     v                                        v
 *  |   +-----------+                       +-------------+  relevant change  +-------------+
 *  |   | STOPPING  | asks the DC again     |    IDLE     |------------------>|POLICY_ENGINE|
 *  |   +-----------+ until let go          +-------------+<- stale / failed -+-------------+
 *  |     | SHUTDOWN from the DC                   ^                                | graph
 *  |     v                                        | complete, or aborted and       v
 *  |   +-----------+                              | drained                 +-------------+
 *  |   |  STOPPED  | ops->stopped: exit           +-------------------------| TRANSITION  |
 *  |   +-----------+                                                        +-------------+
 *  |
 *  +-- from any state but STOPPED: a new configuration of the crmd group in which a
 *      controller joined or the DC is gone (controllers that only left, the DC settled:
 *      marked down, no election), a vote with a higher election id, an election that does
 *      not complete, no join offer in time.
 *
 * The DC states are INTEGRATION, FINALIZE, IDLE, POLICY_ENGINE and TRANSITION. A DC that is
 * asked to shut down marks itself; its last graph ends with do_shutdown for itself.
 *
 * Election: each member sends one vote per election id (its crmd start time, whether it was
 * DC, its nodeid, and a hash of the configuration it votes in). Once a node holds a vote from
 * every member of the configuration for the current id, it computes the winner; everyone
 * holding the same votes computes the same winner (a former DC first, then the oldest crmd,
 * then the lowest nodeid), so two DCs that meet after a partition heal keep one.
 */
#ifndef PACELINE_CRMD_FSM_H
#define PACELINE_CRMD_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <paceline/lrmd_client.h> /* pl_lrmd_params, OCF rc and op-status values */

enum crmd_state {
	CRMD_S_STARTING = 1,
	CRMD_S_PENDING, /* waiting for a missing node or for dc-deadtime */
	CRMD_S_ELECTION,
	CRMD_S_NOT_DC,	      /* follows a DC (joined or joining) */
	CRMD_S_INTEGRATION,   /* DC: join offered, collecting requests */
	CRMD_S_FINALIZE,      /* DC: join acknowledged, collecting confirmations */
	CRMD_S_IDLE,	      /* DC: nothing to do */
	CRMD_S_POLICY_ENGINE, /* DC: graph asked of pengine */
	CRMD_S_TRANSITION,    /* DC: executing a graph */
	CRMD_S_STOPPING,      /* shutdown asked: resources move away, then leave */
	CRMD_S_STOPPED,	      /* the daemon may exit */
};

/* Join state of a node as the DC sees it (node_state join="..."). */
enum crmd_join {
	CRMD_JOIN_DOWN = 0,
	CRMD_JOIN_PENDING,    /* offered */
	CRMD_JOIN_INTEGRATED, /* request received */
	CRMD_JOIN_FINALIZED,  /* acknowledged, confirmation awaited */
	CRMD_JOIN_MEMBER,     /* confirmed */
	CRMD_JOIN_NACKED,     /* refused (join id mismatch, too late) */
};

/* CIB version triple; the newest CIB has the greatest (admin_epoch, epoch, num_updates). */
struct crmd_cib_version {
	uint32_t admin_epoch;
	uint32_t epoch;
	uint32_t num_updates;
};

#define CRMD_RC_PENDING 193 /* rc-code of a pending operation (op-status -1) */

/* One resource operation result, as lrmd reports it and as lrm_rsc_op records it. */
struct crmd_op_result {
	char *rsc_id;
	char *rclass;	/* the resource's agent (lrm_resource class/provider/type) */
	char *provider; /* "" unless ocf */
	char *type;
	char *action; /* start stop monitor ... */
	uint32_t interval_ms;
	char *transition_key; /* "action:transition:target-rc:dc-nodeid", "" if none */
	char *exit_reason;    /* "" when none */
	char *op_digest;      /* "" when unknown (the daemon fills these) */
	char *op_restart_digest;
	uint32_t call_id;
	int rc;			 /* enum pl_ocf_rc */
	int status;		 /* enum pl_lrmd_status */
	int target_rc;		 /* what the graph expected (-1 unknown) */
	uint64_t last_rc_change; /* wall clock seconds, 0 = unknown (now) */
	uint64_t run_wall_ms;
	uint32_t exec_ms;
	uint32_t queue_ms;
};

/* One resource action to run (from a graph's rsc_op, sent to the node that runs it). */
struct crmd_rsc_action {
	char *rsc_id; /* the id lrmd knows (long id for clone instances) */
	char *rclass;
	char *provider;
	char *type;
	char *action;	     /* operation, "cancel" cancels action/interval below */
	char *cancel_action; /* for "cancel": the recurring op's name (CRM_meta_operation) */
	uint32_t interval_ms;
	uint32_t timeout_ms;
	uint32_t start_delay_ms;
	int target_rc;
	char *transition_key;
	struct pl_lrmd_params params; /* instance attributes (no CRM_meta_) */
	struct pl_lrmd_params meta;   /* CRM_meta_* with the prefix removed */
};

/* ---------------------------- peer messages (decoded) ---------------------------- */

/* Every message the controllers exchange over the membership group `crmd`. crmd-daemon
 * encodes them through the inter-node message table; this state machine sees decoded
 * structs only. */
enum crmd_msg_type {
	CRMD_MSG_VOTE = 1,	/* all: my vote in election `id` */
	CRMD_MSG_JOIN_OFFER,	/* DC -> node: join round `id` */
	CRMD_MSG_JOIN_REQUEST,	/* node -> DC: I take the offer; my CIB version */
	CRMD_MSG_JOIN_ACK,	/* DC -> node: accepted (or not) into round `id` */
	CRMD_MSG_JOIN_CONFIRM,	/* node -> DC: here is my resource history */
	CRMD_MSG_ACTION,	/* DC -> node: run (or cancel) this resource action */
	CRMD_MSG_ACTION_RESULT, /* node -> DC: an operation's result */
	CRMD_MSG_SHUTDOWN_REQ,	/* node -> DC: I want to leave */
	CRMD_MSG_SHUTDOWN,	/* DC -> node: your resources are gone, leave now */
	CRMD_MSG_REFRESH,	/* any -> node: forget resource history (cleanup) */
	CRMD_MSG_TYPE_MAX,
};

struct crmd_vote {
	uint64_t members_hash; /* crmd_members_hash() of the voter's configuration */
	uint64_t start_ms;     /* the voter crmd's start (wall clock): older wins */
	bool was_dc;	       /* the voter was DC when the election began */
};

struct crmd_msg {
	enum crmd_msg_type type;
	uint32_t from; /* sender nodeid (set by the receiving daemon) */
	uint32_t to;   /* destination nodeid, 0 = every crmd */
	uint64_t id;   /* election id (VOTE) or join id (JOIN_*) */
	union {
		struct crmd_vote vote;	     /* VOTE */
		struct crmd_cib_version cib; /* JOIN_REQUEST */
		bool accepted;		     /* JOIN_ACK */
		struct {		     /* JOIN_CONFIRM */
			struct crmd_op_result *ops;
			size_t n;
		} history;
		struct crmd_rsc_action action; /* ACTION */
		struct crmd_op_result result;  /* ACTION_RESULT */
		char *rsc_id;		       /* REFRESH: NULL = every resource */
	} u;
};

/* Frees what a decoded message owns (strings, history), not the struct itself. */
void crmd_msg_clear(struct crmd_msg *m);

/* ------------------------------------ ops ------------------------------------ */

/* The node_state the DC writes for a node (Pacemaker's node_state attributes). */
struct crmd_node_state {
	uint32_t nodeid;
	const char *name;
	bool in_ccm;
	bool crmd_online;      /* crmd="online" / "offline" */
	enum crmd_join join;   /* down, pending, member, banned (NACKED) */
	bool expected_up;      /* expected="member" / "down" */
	bool expected_unknown; /* leave expected as the CIB has it */
	bool shutdown;	       /* the node asked to leave (its "shutdown" attribute) */
};

struct crmd_ops {
	/* a peer message; m->to = 0 for every crmd (this one excluded) */
	void (*send)(void *arg, const struct crmd_msg *m);

	/* CIB, local: its version now; sync from another node's (newer) CIB, answered by
	 * crmd_cib_synced(). */
	void (*cib_version)(void *arg, struct crmd_cib_version *v);
	void (*cib_sync_from)(void *arg, uint32_t nodeid);
	/* CIB writes (asynchronous, fire and forget: a lost write is repaired by the next
	 * join, which rewrites every member's history). The DC is the one writer of operation
	 * results (each node sends it its results); a node without a DC records its own. */
	void (*cib_record_op)(void *arg, uint32_t nodeid, const struct crmd_rsc_action *req,
	    const struct crmd_op_result *r); /* req NULL when unknown */
	/* join: the node's lrm section becomes this history (results the node gets after
	 * it sent the history reach the DC later, in order, as ACTION_RESULTs). Actions
	 * still running are in it as pending: status PL_LRMD_PENDING, rc CRMD_RC_PENDING,
	 * call_id 0 (Pacemaker's record-pending: op-status="-1" rc-code="193"). */
	void (*cib_replace_history)(
	    void *arg, uint32_t nodeid, const struct crmd_op_result *ops, size_t n);
	void (*cib_node_state)(void *arg, const struct crmd_node_state *ns);
	/* the DC: dc-uuid, have-quorum (and dc-version, cluster-infrastructure) */
	void (*cib_dc_info)(void *arg, uint32_t dc_nodeid, bool have_quorum);
	/* a failure: fail-count-<rsc>#<op>_<interval> grows (the daemon applies
	 * start-failure-is-fatal) and last-failure = now_s (0: the daemon's clock) */
	void (*cib_fail_count)(void *arg, uint32_t nodeid, const char *rsc_id, const char *action,
	    uint32_t interval_ms, uint64_t now_s);
	/* action NULL (interval 0): every fail-count and last-failure of the resource */
	void (*cib_clear_fail_count)(void *arg, uint32_t nodeid, const char *rsc_id,
	    const char *action, uint32_t interval_ms);
	/* forget a resource's history in the status section (NULL = all resources) */
	void (*cib_forget)(void *arg, uint32_t nodeid, const char *rsc_id);

	/* lrmd, local: run or cancel; results come back through crmd_lrmd_result(). */
	void (*lrmd_exec)(void *arg, const struct crmd_rsc_action *a);
	void (*lrmd_cancel)(void *arg, const char *rsc_id, const char *action, uint32_t interval_ms);
	void (*lrmd_forget)(void *arg, const char *rsc_id); /* NULL = all */
	/* every last result lrmd holds (its history); the ops implementation allocates the
	 * array and its strings, the caller frees them with crmd_op_results_free(). */
	size_t (*lrmd_history)(void *arg, struct crmd_op_result **out);

	/* stonithd, local (optional: NULL refuses fencing): fence target (action reboot, off
	 * or on) after delay_ms (the graph's priority-fencing-delay); answered by
	 * crmd_fence_result(ref). */
	void (*fence)(
	    void *arg, const char *target, const char *action, uint32_t delay_ms, uint64_t ref);

	/* pengine: compute a graph from the current CIB; answered by crmd_pe_graph(ref). */
	void (*pengine_request)(void *arg, uint64_t ref);

	/* optional: state changes (for crmadmin -S), the end of STOPPING, log lines */
	void (*state_changed)(void *arg, enum crmd_state from, enum crmd_state to);
	void (*stopped)(void *arg);
	void (*log)(void *arg, int level, const char *line); /* NULL: log_emit */
	/* optional: the wall clock in seconds (last-failure, a graph's recheck-by) */
	uint64_t (*wall_s)(void *arg);
};

/* Cluster options the controller uses (crm_config; defaults as Pacemaker's). */
struct crmd_options {
	uint32_t dc_deadtime_ms;	 /* 20000: wait this long for a missing node at start */
	uint32_t election_timeout_ms;	 /* 2000: re-vote when an election does not complete */
	uint32_t join_timeout_ms;	 /* 5000: integration/finalisation give up on a node */
	uint32_t cluster_delay_ms;	 /* 60000 unless the graph says otherwise */
	uint32_t recheck_ms;		 /* cluster-recheck-interval, 0 = off (900000) */
	uint32_t shutdown_escalation_ms; /* 1200000: a shutting-down node leaves anyway */
	uint32_t batch_limit;		 /* in-flight actions when the graph has none, 0 = any */
	int32_t migration_limit;	 /* in-flight migrations per node when the graph has
					 * none, -1 = any (set by crmd_default_options) */
	uint32_t stonith_max_attempts;	 /* 10: failed fencings of a target before the DC
					 * stops asking by itself (te_fence.c) */
};

/* A member of the current configuration (membership's view, crmd group included). */
struct crmd_member {
	uint32_t nodeid;
	const char *name; /* uname */
	bool crmd;	  /* its crmd is in the crmd group */
};

struct crmd;

struct crmd *crmd_new(uint32_t my_nodeid, const char *my_name, uint64_t start_ms,
    const struct crmd_options *opt, const struct crmd_ops *ops, void *arg);
void crmd_free(struct crmd *c);
void crmd_set_options(struct crmd *c, const struct crmd_options *opt);
void crmd_default_options(struct crmd_options *opt);

/* ---- inputs ----
 * now_ms everywhere is a monotonic clock in milliseconds (the daemon's g_get_monotonic_time
 * / 1000; the simulator's virtual time); the wall clock only comes through ops->wall_s. */
void crmd_start(struct crmd *c, uint64_t now_ms);
/* A new configuration: every member node (this one included), how many nodes are
 * expected (configured; fewer crmd members than this means one is missing), quorum. */
void crmd_membership(struct crmd *c, const struct crmd_member *members, size_t n, size_t expected,
    bool quorate, uint64_t now_ms);
void crmd_recv(struct crmd *c, const struct crmd_msg *m, uint64_t now_ms);
void crmd_lrmd_result(struct crmd *c, const struct crmd_op_result *r, uint64_t now_ms);
/* graph_xml NULL: pengine failed (the DC retries on the next event or recheck) */
void crmd_pe_graph(struct crmd *c, uint64_t ref, const char *graph_xml, uint64_t now_ms);
void crmd_cib_synced(struct crmd *c, bool ok, uint64_t now_ms);
/* A fencing request ended (ref: the one given to ops->fence, 0 for fencing someone else
 * asked for; delegate: the node that ran the device). On success the DC records the target
 * as fenced (node_state down, its resource history cleared) before the graph goes on (when
 * the target was the DC itself, the delegate records it, as Pacemaker's controller does); a
 * failure fails the graph action (the next graph asks again). */
void crmd_fence_result(struct crmd *c, uint64_t ref, const char *target, const char *action,
    bool ok, const char *delegate, uint64_t now_ms);
/* How many times the fencing of target failed since its last success (this DC's count). */
uint32_t crmd_fence_failures(const struct crmd *c, const char *target);
/* The CIB changed in a way the scheduler cares about (configuration, status written by
 * someone else, a tool's cleanup): the DC aborts the graph and recomputes. */
void crmd_cib_changed(struct crmd *c, uint64_t now_ms);
/* The local CIB may lack results this DC wrote: it was replaced by a peer replica's copy
 * (the CIB's own sync round, e.g. after a partition heals, at any moment of a join too), or
 * a status write of ours was not applied (the CIB answered "try again"). Once the DC has
 * written a history of this join (FINALIZE or later), it elects again (it stays DC) and its
 * join rewrites every member's resource history from lrmd before any transition, as
 * Pacemaker's controller does after a CIB replace; in INTEGRATION nothing is needed (the
 * histories come after). */
void crmd_cib_replaced(struct crmd *c, uint64_t now_ms);
/* Another node's controller wrote the status section (the CIB notification's client is a
 * controller, its origin that node). The DC is the one writer: such a write is a former DC's,
 * sent before it lost the role and held by its replica through the sync round of the heal,
 * and it lands after this DC's join (CTS seed 301: node_state of n2 and n3 written offline
 * and dc-uuid n1 after the merged DC n3 wrote them, the scheduler then started everything on
 * n1). Handled as crmd_cib_replaced; an unknown node name (the CIB's node name is not the
 * membership's) changes nothing. */
void crmd_cib_written_by(struct crmd *c, const char *node, uint64_t now_ms);
/* Local requests (signals, tools). */
void crmd_shutdown(struct crmd *c, uint64_t now_ms);
void crmd_refresh(struct crmd *c, uint32_t nodeid, const char *rsc_id, uint64_t now_ms);
/* crm_resource --fail: a made-up failed "asyncmon" result of the resource (agent class,
 * provider, type) on nodeid, as Pacemaker's controller fakes one. This node's own result
 * goes the way of every result (to the DC, or recorded here without one); the DC takes one
 * for another node as that node's. False (nothing done) when nodeid is neither this node
 * nor one the DC here can speak for. */
bool crmd_fail_resource(struct crmd *c, uint32_t nodeid, const char *rsc_id, const char *rclass,
    const char *provider, const char *type, uint64_t now_ms);
/* Time: the earliest time crmd_tick has work (UINT64_MAX = none); tick fires what is due. */
uint64_t crmd_next_deadline(const struct crmd *c);
void crmd_tick(struct crmd *c, uint64_t now_ms);

/* ---- queries ---- */
enum crmd_state crmd_get_state(const struct crmd *c);
const char *crmd_state_name(enum crmd_state s); /* "S_IDLE", as crmadmin -S prints */
const char *crmd_msg_name(enum crmd_msg_type t);
const char *crmd_join_name(enum crmd_join j); /* "member", "down", ... */
bool crmd_is_dc(const struct crmd *c);
uint32_t crmd_dc(const struct crmd *c); /* the DC this node follows, 0 = none */
enum crmd_join crmd_node_join(const struct crmd *c, uint32_t nodeid); /* DC's view */
uint64_t crmd_members_hash(const uint32_t *sorted_nodeids, size_t n);

/* ---- helpers shared with the daemon ---- */
void crmd_op_result_copy(struct crmd_op_result *dst, const struct crmd_op_result *src);
void crmd_op_result_clear(struct crmd_op_result *r);
void crmd_op_results_free(struct crmd_op_result *v, size_t n);
void crmd_rsc_action_copy(struct crmd_rsc_action *dst, const struct crmd_rsc_action *src);
void crmd_rsc_action_clear(struct crmd_rsc_action *a);

#endif
