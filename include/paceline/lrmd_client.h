/*
 * lrmd_client.h - talking to paceline-lrmd, the local resource daemon: run resource agent
 * actions (ocf, lsb, systemd, service), recurring monitors, cancel them, read the operation
 * history and the agent catalogue.
 *
 * The vocabulary here (exit codes, execution status, parameter lists) is shared by the daemon
 * and its clients. Exit codes and execution status are kept apart, as in Pacemaker's CIB
 * (lrm_rsc_op rc-code and op-status): rc is what the agent said, status is whether it ran.
 * The numeric values are Pacemaker's, so crmd writes them into the CIB unchanged.
 */
#ifndef PACELINE_LRMD_CLIENT_H
#define PACELINE_LRMD_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pl_error;

/* OCF 1.1 exit codes (rc-code). Only these reach a client; anything else an agent returns is
 * reported as PL_OCF_ERR_GENERIC with an exit reason saying what it returned. */
enum pl_ocf_rc {
	PL_OCF_SUCCESS = 0,
	PL_OCF_ERR_GENERIC = 1,
	PL_OCF_ERR_ARGS = 2,
	PL_OCF_ERR_UNIMPLEMENTED = 3,
	PL_OCF_ERR_PERM = 4,
	PL_OCF_ERR_INSTALLED = 5,
	PL_OCF_ERR_CONFIGURED = 6,
	PL_OCF_NOT_RUNNING = 7,
	PL_OCF_RUNNING_PROMOTED = 8,
	PL_OCF_FAILED_PROMOTED = 9,
	PL_OCF_DEGRADED = 190,
	PL_OCF_DEGRADED_PROMOTED = 191,
};

/* Execution status (op-status), Pacemaker's numbering. */
enum pl_lrmd_status {
	PL_LRMD_PENDING = -1,	   /* queued or running */
	PL_LRMD_DONE = 0,	   /* the agent ran; rc says what it found */
	PL_LRMD_CANCELLED = 1,	   /* cancelled by a client or by a stop */
	PL_LRMD_TIMED_OUT = 2,	   /* killed (with its process group) at its timeout */
	PL_LRMD_NOT_SUPPORTED = 3, /* the class or action cannot be run here */
	PL_LRMD_ERROR = 4,	   /* it could not be run or died by a signal */
	PL_LRMD_NOT_INSTALLED = 7, /* the agent (or systemd) is not there */
};

const char *pl_ocf_rc_name(int rc);	     /* "ok", "not running", ... ; "unknown" */
const char *pl_lrmd_status_name(int status); /* "done", "timed out", ... */
bool pl_ocf_rc_valid(int rc);		     /* 0-9, 190, 191 */

/* An ordered list of name=value pairs (instance parameters, meta attributes). */
struct pl_lrmd_params {
	size_t n;
	char **name;
	char **value;
};
#define PL_LRMD_PARAMS_INIT   \
	{                     \
		0, NULL, NULL \
	}
/* Adds or replaces name. */
void pl_lrmd_params_set(struct pl_lrmd_params *p, const char *name, const char *value);
const char *pl_lrmd_params_get(const struct pl_lrmd_params *p, const char *name);
void pl_lrmd_params_copy(struct pl_lrmd_params *dst, const struct pl_lrmd_params *src);
bool pl_lrmd_params_equal(const struct pl_lrmd_params *a, const struct pl_lrmd_params *b);
void pl_lrmd_params_free(struct pl_lrmd_params *p);

/* ======================== client (lib/lrmd/lrmd_client.c) ======================== */

/* Flags of an operation request. */
#define PL_LRMD_EXEC_DETACHED \
	0x1 /* a recurring op survives its client's disconnect
					 * (by default they are cancelled with the client) */
#define PL_LRMD_EXEC_REPORT_ALL \
	0x2 /* a recurring op reports every run, not only its
					 * first result and changes */

/* One operation request. */
struct pl_lrmd_op {
	const char *rsc_id;
	const char *rclass;   /* ocf lsb systemd service stonith */
	const char *provider; /* ocf only */
	const char *type;
	const char *action;
	uint32_t interval_ms; /* > 0: recurring (monitor) */
	uint32_t timeout_ms;  /* 0: the daemon's default (20 s) */
	uint32_t start_delay_ms;
	uint32_t flags;			     /* PL_LRMD_EXEC_* */
	const struct pl_lrmd_params *params; /* may be NULL */
	const struct pl_lrmd_params *meta;   /* may be NULL */
	const char *user_data;		     /* returned with every result (crmd: transition key) */
};

/* The result of one run of an operation (an LRMD_RESULT event). */
struct pl_lrmd_result {
	char *rsc_id;
	char *action;
	char *user_data;
	char *exit_reason; /* "" when none */
	char *output;	   /* the agent's stdout (bounded), "" when none */
	uint32_t interval_ms;
	uint32_t call_id;
	int rc;		      /* enum pl_ocf_rc */
	int status;	      /* enum pl_lrmd_status */
	uint64_t run_wall_ms; /* wall clock when the agent started */
	uint32_t exec_ms;
	uint32_t queue_ms;
};
void pl_lrmd_result_clear(struct pl_lrmd_result *r);

struct pl_lrmd;
struct pl_ipc_conn;
struct pl_ipc_msg;

/* Connect to paceline-lrmd (honours PL_IPC_PREFIX). NULL with err (102) when it is absent. */
struct pl_lrmd *pl_lrmd_connect(int timeout_ms, struct pl_error *err);
void pl_lrmd_disconnect(struct pl_lrmd *l);
/* The underlying connection, to attach it to a main loop (pl_ipc_conn_attach) and receive
 * results as events; decode them with pl_lrmd_result_decode. */
struct pl_ipc_conn *pl_lrmd_conn(struct pl_lrmd *l);
bool pl_lrmd_result_decode(const struct pl_ipc_msg *ev, struct pl_lrmd_result *r);

/* Queue an operation; its call id (> 0), or 0 with err set. */
uint32_t pl_lrmd_exec(struct pl_lrmd *l, const struct pl_lrmd_op *op, struct pl_error *err);
/* Queue an operation and wait (at most wait_ms) for its first result. */
bool pl_lrmd_exec_wait(struct pl_lrmd *l, const struct pl_lrmd_op *op, int wait_ms,
    struct pl_lrmd_result *res, struct pl_error *err);
/* Without a main loop: the next result event (any op this client may see). */
bool pl_lrmd_next_result(
    struct pl_lrmd *l, int wait_ms, struct pl_lrmd_result *res, struct pl_error *err);
/* See every operation's results, whoever asked (crmd does). */
bool pl_lrmd_subscribe(struct pl_lrmd *l, struct pl_error *err);
/* Cancel a recurring op: false with err code 105 when there is none. */
bool pl_lrmd_cancel(struct pl_lrmd *l, const char *rsc_id, const char *action, uint32_t interval_ms,
    struct pl_error *err);
bool pl_lrmd_remove(struct pl_lrmd *l, const char *rsc_id, struct pl_error *err);
/* <lrmd_history> XML of one resource (NULL or "" = all); caller frees. */
char *pl_lrmd_history(struct pl_lrmd *l, const char *rsc_id, struct pl_error *err);
/* what: "classes", "providers" or "agents" (of rclass, and provider for ocf). NULL-terminated
 * list the caller frees with pl_lrmd_strv_free. */
char **pl_lrmd_list(struct pl_lrmd *l, const char *what, const char *rclass, const char *provider,
    struct pl_error *err);
void pl_lrmd_strv_free(char **v);
/* The agent's meta-data XML (cached by the daemon); caller frees. */
char *pl_lrmd_metadata(struct pl_lrmd *l, const char *rclass, const char *provider,
    const char *type, struct pl_error *err);
/* The daemon's counters as name/value pairs. */
bool pl_lrmd_stats(struct pl_lrmd *l, struct pl_lrmd_params *out, struct pl_error *err);

#endif
