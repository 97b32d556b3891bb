/*
 * exitcode.h - Pacemaker's exit codes (crm_exit_t of Pacemaker 2.1.5) as PL_EXIT_*, with the
 * same names ("CRM_EX_NOSUCH") and descriptions ("No such object") that `crm_error -n -X`
 * prints, so that scripts written for Pacemaker's tools read our exit statuses unchanged.
 *
 * The table is defined once (PL_EXIT_TABLE); tests/data/crm_error/ holds Pacemaker's own
 * output the table is checked against.
 */
#ifndef PACELINE_EXITCODE_H
#define PACELINE_EXITCODE_H

#include <stdbool.h>
#include <stddef.h>

/* X(SUFFIX, value, description): PL_EXIT_SUFFIX = value, Pacemaker name CRM_EX_SUFFIX. */
#define PL_EXIT_TABLE(X)                                                     \
	X(OK, 0, "OK")                                                       \
	X(ERROR, 1, "Error occurred")                                        \
	X(INVALID_PARAM, 2, "Invalid parameter")                             \
	X(UNIMPLEMENT_FEATURE, 3, "Unimplemented")                           \
	X(INSUFFICIENT_PRIV, 4, "Insufficient privileges")                   \
	X(NOT_INSTALLED, 5, "Not installed")                                 \
	X(NOT_CONFIGURED, 6, "Not configured")                               \
	X(NOT_RUNNING, 7, "Not running")                                     \
	X(PROMOTED, 8, "Promoted")                                           \
	X(FAILED_PROMOTED, 9, "Failed in promoted role")                     \
	X(USAGE, 64, "Incorrect usage")                                      \
	X(DATAERR, 65, "Invalid data given")                                 \
	X(NOINPUT, 66, "Input file not available")                           \
	X(NOUSER, 67, "User does not exist")                                 \
	X(NOHOST, 68, "Host does not exist")                                 \
	X(UNAVAILABLE, 69, "Necessary service unavailable")                  \
	X(SOFTWARE, 70, "Internal software bug")                             \
	X(OSERR, 71, "Operating system error occurred")                      \
	X(OSFILE, 72, "System file not available")                           \
	X(CANTCREAT, 73, "Cannot create output file")                        \
	X(IOERR, 74, "I/O error occurred")                                   \
	X(TEMPFAIL, 75, "Temporary failure, try again")                      \
	X(PROTOCOL, 76, "Protocol violated")                                 \
	X(NOPERM, 77, "Insufficient privileges")                             \
	X(CONFIG, 78, "Invalid configuration")                               \
	X(FATAL, 100, "Fatal error occurred, will not respawn")              \
	X(PANIC, 101, "System panic required")                               \
	X(DISCONNECT, 102, "Not connected")                                  \
	X(OLD, 103, "Update was older than existing configuration")          \
	X(DIGEST, 104, "Digest mismatch")                                    \
	X(NOSUCH, 105, "No such object")                                     \
	X(QUORUM, 106, "Quorum required")                                    \
	X(UNSAFE, 107, "Operation not safe")                                 \
	X(EXISTS, 108, "Requested item already exists")                      \
	X(MULTIPLE, 109, "Multiple items match request")                     \
	X(EXPIRED, 110, "Requested item has expired")                        \
	X(NOT_YET_IN_EFFECT, 111, "Requested item is not yet in effect")     \
	X(INDETERMINATE, 112, "Could not determine status")                  \
	X(UNSATISFIED, 113, "Not applicable under current conditions")       \
	X(TIMEOUT, 124, "Timeout occurred")                                  \
	X(DEGRADED, 190, "Service is active but might fail soon")            \
	X(DEGRADED_PROMOTED, 191, "Service is promoted but might fail soon") \
	X(NONE, 193, "No exit status available")

#define PL__EXIT_ENUM(suffix, value, text) PL_EXIT_##suffix = value,
enum pl_exit {
	PL_EXIT_TABLE(PL__EXIT_ENUM) PL_EXIT_MAX = 255, /* not an exit status; Pacemaker's CRM_EX_MAX */
};
#undef PL__EXIT_ENUM

/* "CRM_EX_NOSUCH"; "CRM_EX_UNKNOWN" for a value outside the table (as Pacemaker). */
const char *pl_exit_name(int code);
/* "No such object"; "Unknown exit status" outside the table, and, as Pacemaker 2.1.5 does,
 * "Error occurred" for 255 (CRM_EX_MAX). */
const char *pl_exit_str(int code);
bool pl_exit_known(int code);
/* The table in ascending order, for listings: *n gets the number of entries. */
struct pl_exit_entry {
	int code;
	const char *name;
	const char *text;
};
const struct pl_exit_entry *pl_exit_table(size_t *n);
/* Reverse lookup by name ("CRM_EX_NOSUCH" or "NOSUCH"); -1 if unknown. */
int pl_exit_by_name(const char *name);

/*
 * Pacemaker's function return codes, only for crm_error's compatibility modes (Paceline code
 * reports errors with struct pl_error instead). Names are "Unknown" outside the tables.
 *   standard (crm_error -r): 0, errno values > 0, pcmk_rc_* values -1033..-1001;
 *   legacy (crm_error without -X/-r): |rc| is 0, an errno, or a pcmk_err_* value 201..217.
 * Descriptions of errno values come from strerror(), as Pacemaker's do.
 */
#define PL_RC_MIN (-1033)
const char *pl_rc_name(int rc);
const char *pl_rc_str(int rc);
const char *pl_legacy_rc_name(int rc);
const char *pl_legacy_rc_str(int rc);

#endif
