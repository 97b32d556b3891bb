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
	PL_LRMD_PENDING = -1,		/* queued or running */
	PL_LRMD_DONE = 0,		/* the agent ran; rc says what it found */
	PL_LRMD_CANCELLED = 1,		/* cancelled by a client or by a stop */
	PL_LRMD_TIMED_OUT = 2,		/* killed (with its process group) at its timeout */
	PL_LRMD_NOT_SUPPORTED = 3,	/* the class or action cannot be run here */
	PL_LRMD_ERROR = 4,		/* it could not be run or died by a signal */
	PL_LRMD_NOT_INSTALLED = 7,	/* the agent (or systemd) is not there */
};

const char *pl_ocf_rc_name(int rc);		/* "ok", "not running", ... ; "unknown" */
const char *pl_lrmd_status_name(int status);	/* "done", "timed out", ... */
bool pl_ocf_rc_valid(int rc);			/* 0-9, 190, 191 */

/* An ordered list of name=value pairs (instance parameters, meta attributes). */
struct pl_lrmd_params {
	size_t n;
	char **name;
	char **value;
};
#define PL_LRMD_PARAMS_INIT { 0, NULL, NULL }
/* Adds or replaces name. */
void pl_lrmd_params_set(struct pl_lrmd_params *p, const char *name, const char *value);
const char *pl_lrmd_params_get(const struct pl_lrmd_params *p, const char *name);
void pl_lrmd_params_copy(struct pl_lrmd_params *dst, const struct pl_lrmd_params *src);
bool pl_lrmd_params_equal(const struct pl_lrmd_params *a, const struct pl_lrmd_params *b);
void pl_lrmd_params_free(struct pl_lrmd_params *p);

#endif
