/*
 * core.h - paceline-stonithd's fencing requests as a pure state machine: no sockets, no
 * clock, no processes. Inputs are requests, decoded peer messages (delivered by the
 * `stonithd` group in the same total order on every node, the sender's own included),
 * agent results, membership changes and the passing of time; outputs go through ops
 * (broadcast a peer message, run an agent here, report a final result, log). The daemon
 * (server.c, io.c) and the seeded simulator of tests/unit/stonithd drive the same code.
 *
 * One request, as every node sees it (O = the origin, the node that was asked):
 *
 *   O: stonithd_fence() --REQUEST--> every node creates the op (same place in the stream)
 *                                          |
 *          each node answers QUERY_REPLY   v   (the devices here able to fence the target)
 *                                    +-----------+
 *                                    |   QUERY   |-- O has an identical op active:
 *                                    +-----------+   MERGED; when that one ends, O sends
 *                                                    this one's RESULT with its outcome
 *                   O: every member  |
 *                   replied (or the  v
 *                   query timed out) +-----------+  O picks the level (topology, or one
 *                      +------------>|   EXEC    |  "level" per capable device), then for
 *                      |             +-----------+  each device of it a node that has it
 *                      |  next device   |  O: EXEC --> that node runs the agent
 *                      +----------------+  EXEC_DONE <-- rc
 *                      |  a device failed (after trying it on every node that has it):
 *                      |  next level; none left --> RESULT failed
 *                      v
 *      every device of the level succeeded --> RESULT ok --> every node: DONE, reported once
 *
 * Endings: RESULT (sent by O only), the op's deadline at O (RESULT timeout), or O leaving
 * the group: every node ends the op as failed at the same point of the stream without a
 * message. A success is only ever sent after EXEC_DONE rc 0 for every device of one level.
 * A node fences itself (runs a device whose target it is) only when no other node has a
 * capable device and the request carries STONITHD_F_ALLOW_SELF.
 */
#ifndef STONITHD_CORE_H
#define STONITHD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STONITHD_F_ALLOW_SELF 0x1u /* the target may fence itself as a last resort */
#define STONITHD_F_MANUAL     0x2u /* a manual confirmation: success with no agent run */

#define STONITHD_MAX_LEVELS  9
#define STONITHD_MAX_MEMBERS 64

enum stonithd_op_state {
	STONITHD_OP_QUERY = 1, /* waiting for the members' capable devices */
	STONITHD_OP_EXEC,      /* running a level, device after device */
	STONITHD_OP_MERGED,    /* rides on an identical op */
	STONITHD_OP_DONE,
};

/* Outcome of a request (Pacemaker's history states: done / failed). */
enum stonithd_rc {
	STONITHD_RC_OK = 0,
	STONITHD_RC_FAILED = 1,	  /* every device that could have fenced failed */
	STONITHD_RC_NODEVICE = 2, /* no device anywhere can fence the target */
	STONITHD_RC_TIMEOUT = 3,  /* the request's deadline passed */
	STONITHD_RC_ORIGIN = 4,	  /* the origin left before the end */
};

/* The decoded peer messages (stonithd-peer.def encodes them). */
enum stonithd_msg_type {
	STONITHD_MSG_REQUEST = 1,
	STONITHD_MSG_QUERY_REPLY,
	STONITHD_MSG_EXEC,
	STONITHD_MSG_EXEC_DONE,
	STONITHD_MSG_RESULT,
};

struct stonithd_msg {
	enum stonithd_msg_type type;
	uint32_t from; /* the sender (set by the receiver) */
	uint64_t id;   /* the op: origin nodeid << 32 | origin's counter */
	/* REQUEST */
	const char *target, *action, *client;
	uint32_t timeout_ms, flags, delay_ms;
	/* QUERY_REPLY: the sender's capable devices */
	char **devices;
	size_t n_devices;
	/* EXEC / EXEC_DONE: executor, device; EXEC_DONE / RESULT: rc, reason */
	uint32_t executor;
	const char *device;
	int rc;
	const char *reason;
	/* RESULT: when (wall ms, stamped by the origin), who did it (name of the executor),
	 * and the op whose devices ran (another one when this request was merged into it) */
	uint64_t completed_ms;
	const char *delegate;
	uint64_t ran_as;
};

/* A finished request, as every node reports it (history, clients). */
struct stonithd_result {
	uint64_t id;
	const char *target, *action, *client;
	const char *origin;   /* node name that asked */
	const char *delegate; /* node that ran the last device ("" when none) */
	const char *device;   /* last device tried ("" when none) */
	enum stonithd_rc rc;
	const char *reason;
	uint64_t completed_ms; /* wall clock */
	uint64_t ran_as;       /* the op whose devices ran (id, or the op it was merged into) */
};

struct stonithd_ops {
	/* broadcast to the stonithd group (delivered to this node too, in order) */
	void (*send)(void *arg, const struct stonithd_msg *m);
	/* the devices on this node that can fence target (allocated, freed by the core) */
	size_t (*capable)(void *arg, const char *target, const char *action, char ***out);
	/* the topology: levels for target, each a list of devices; returns the number of
	 * levels (0: none configured, every capable device is tried in turn) */
	size_t (*levels)(void *arg, const char *target, char **levels[STONITHD_MAX_LEVELS],
	    size_t n_dev[STONITHD_MAX_LEVELS]);
	/* run device's action against target here; answered by stonithd_exec_done(id) */
	void (*exec)(void *arg, uint64_t id, const char *device, const char *action,
	    const char *target, uint32_t timeout_ms);
	/* a request ended (on every node, once) */
	void (*result)(void *arg, const struct stonithd_result *r);
	const char *(*node_name)(void *arg, uint32_t nodeid); /* "" unknown */
	uint64_t (*wall_ms)(void *arg);
	void (*log)(void *arg, int level, const char *line); /* NULL: log_emit */
};

struct stonithd;

struct stonithd *stonithd_new(uint32_t me, const struct stonithd_ops *ops, void *arg);
void stonithd_free(struct stonithd *s);
/* The group's members now (this node included), in any order. */
void stonithd_members(struct stonithd *s, const uint32_t *nodes, size_t n, uint64_t now_ms);
/* A local request: broadcasts REQUEST; returns its id (0 if refused: not in the group). */
/* delay_ms: the origin waits this long after the request before running a device
 * (priority-fencing-delay, stonith_admin --delay); the request's timeout is counted after it. */
uint64_t stonithd_fence(struct stonithd *s, const char *target, const char *action,
    const char *client, uint32_t timeout_ms, uint32_t flags, uint32_t delay_ms, uint64_t now_ms);
void stonithd_recv(struct stonithd *s, const struct stonithd_msg *m, uint64_t now_ms);
void stonithd_exec_done(struct stonithd *s, uint64_t id, int rc, const char *reason, uint64_t now_ms);
/* concurrent-fencing (default true): false runs one request of this origin at a time
 * (the others wait, queried, in the order they were asked; their deadlines still run). */
void stonithd_set_concurrent(struct stonithd *s, bool concurrent);
uint64_t stonithd_next_deadline(const struct stonithd *s); /* UINT64_MAX: none */
void stonithd_tick(struct stonithd *s, uint64_t now_ms);
size_t stonithd_active(const struct stonithd *s); /* ops not ended */
/* Every request this node saw that has not ended (its history's "pending" entries): fn gets
 * id, target, action, client and origin (the rest empty); returns how many. */
typedef void (*stonithd_pending_fn)(void *arg, const struct stonithd_result *r);
size_t stonithd_pending(struct stonithd *s, stonithd_pending_fn fn, void *arg);
const char *stonithd_rc_name(enum stonithd_rc rc);
const char *stonithd_msg_name(enum stonithd_msg_type t);

#endif
