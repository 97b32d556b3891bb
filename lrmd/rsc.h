/*
 * rsc.h - resources and their operations: one queue per resource (its operations run one at a
 * time, in order), resources in parallel, recurring operations rescheduled here, cancel, and
 * the last result of each operation kept for a restarted client.
 *
 * Life cycle of an operation (lrmd_op):
 *
 *	          lrmd_rsc_exec
 *	               |
 *	   start-delay v  (timer)
 *	  +--------> DELAYED ---------+
 *	  |                           v
 *	  |   recurring: due     +--> QUEUED  (behind the resource's running op)
 *	  |   (timer, from the   |      |  resource idle
 *	  |    planned start)    |      v
 *	  |                      |   RUNNING  (agent in its process group; timeout)
 *	  |                      |      |  agent done / timed out / failed to run
 *	  |                      |      v
 *	  |                      |   DONE --> history updated; result sent (recurring:
 *	  |                      |      |     first result and every change of rc/status,
 *	  |                      |      |     or every run with PL_LRMD_EXEC_REPORT_ALL)
 *	  +--- WAITING <---------+------+ recurring and not cancelled
 *	                                | one-shot, or cancelled: freed
 *
 *	cancel (client, or a stop of the resource) from DELAYED, WAITING or QUEUED ends the op
 *	with status "cancelled" at once; from RUNNING it kills the agent's process group first.
 */
#ifndef LRMD_RSC_H
#define LRMD_RSC_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "exec.h"

enum lrmd_op_state {
	LRMD_OP_DELAYED,
	LRMD_OP_WAITING,
	LRMD_OP_QUEUED,
	LRMD_OP_RUNNING,
	LRMD_OP_DONE,
};

struct lrmd_rsc;

struct lrmd_op {
	struct lrmd_rsc *rsc;
	struct lrmd_action *act;
	uint32_t call_id;
	uint32_t client_id; /* who asked (0: nobody in particular) */
	char *user_data;    /* opaque to lrmd, returned with every result (crmd's transition key) */
	uint32_t start_delay_ms;
	uint32_t flags; /* PL_LRMD_EXEC_* */
	enum lrmd_op_state state;
	bool cancelled;
	uint64_t planned_ms;   /* monotonic time this run was due */
	uint64_t queued_at_ms; /* monotonic time it entered the queue */
	uint64_t queue_ms;     /* time the last run waited in the queue */
	uint64_t started_wall_ms;
	bool reported; /* a recurring op's first result was sent */
	int last_rc, last_status;
	guint timer;
};

/* The last result of one operation (action + interval) of a resource. */
struct lrmd_history {
	char *action;
	uint32_t interval_ms;
	uint32_t call_id;
	int rc;
	int status;
	char *exit_reason;
	char *user_data;
	uint64_t last_run_ms;	    /* wall clock, ms */
	uint64_t last_rc_change_ms; /* wall clock, ms */
	uint64_t exec_ms;
	uint64_t queue_ms;
	bool recurring_active; /* a recurring op that is still scheduled */
};

struct lrmd_rsc {
	char *id;
	char *rclass;
	char *provider;
	char *type;
	GQueue queue; /* struct lrmd_op *, QUEUED */
	struct lrmd_op *running;
	GList *recurring;    /* struct lrmd_op *, every scheduled recurring op */
	GList *delayed;	     /* one-shot ops waiting for their start-delay */
	GHashTable *history; /* "action:interval" -> struct lrmd_history */
	bool removing;	     /* forget it once its running agent is gone */
};

/* What a client is told when an operation ends. */
struct lrmd_result {
	const struct lrmd_op *op;
	const struct lrmd_rsc *rsc;
	const struct lrmd_action *act;
	bool changed; /* recurring: rc/status differ from the last run */
};
typedef void (*lrmd_result_fn)(const struct lrmd_result *r);

/* Where results go (the daemon sends them to clients). */
void lrmd_rsc_init(lrmd_result_fn fn);
void lrmd_rsc_shutdown(void); /* cancels and frees everything */

#define LRMD_NAME_MAX	   255 /* resource id, class, provider, type, action */
#define LRMD_USER_DATA_MAX 4096

struct lrmd_exec_req {
	const char *rsc_id, *rclass, *provider, *type, *action;
	uint32_t interval_ms, timeout_ms, start_delay_ms;
	const struct pl_lrmd_params *params, *meta;
	const char *user_data;
	uint32_t client_id;
	uint32_t flags; /* PL_LRMD_EXEC_* */
};

/* Queue an operation; returns its call id (> 0), or 0 with err set when the request is
 * malformed (empty ids, recurring action that is not a monitor, ...). A recurring operation
 * that already exists (same action and interval) is replaced. */
uint32_t lrmd_rsc_exec(const struct lrmd_exec_req *req, struct pl_error *err);

/* Cancel the recurring op rsc/action/interval; false when there is none. */
bool lrmd_rsc_cancel(const char *rsc_id, const char *action, uint32_t interval_ms);
/* A client disconnected: cancel the recurring ops it owns (except detached ones). */
void lrmd_rsc_client_gone(uint32_t client_id);
/* Forget a resource: cancel all its operations and drop its history; false if unknown. */
bool lrmd_rsc_remove(const char *rsc_id);

struct lrmd_rsc *lrmd_rsc_find(const char *rsc_id);
/* Every resource, sorted by id (free the list with g_list_free). */
GList *lrmd_rsc_all(void);

/* Counters for tests and the stats request. */
struct lrmd_stats {
	uint64_t ops_run; /* agent runs finished */
	uint64_t recurring_runs;
	uint64_t late_max_ms; /* recurring runs: start - planned start, worst */
	uint64_t late_total_ms;
	uint32_t resources;
	uint32_t recurring; /* scheduled recurring ops */
	uint32_t running;
	uint32_t agent_fds; /* output pipes of running agents, open right now */
};
void lrmd_rsc_stats(struct lrmd_stats *s);
void lrmd_rsc_stats_reset(void);

#endif
