/*
 * table.h - the one data table of paceline-launcher: which daemons make a node's stack, in
 * which order they start, as whom they run, how the launcher knows each is ready and what the
 * death of each means. Everything the supervisor (sup.h) does per child comes from its row.
 */
#ifndef LAUNCHER_TABLE_H
#define LAUNCHER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/msgdefs.h"

enum launcher_user {
	LAUNCHER_USER_ROOT = 0,
	LAUNCHER_USER_HACLUSTER, /* user hacluster, group haclient (root with --all-root) */
};

enum launcher_death {
	LAUNCHER_DEATH_RESPAWN = 0, /* start it again, throttled when it crash-loops */
	LAUNCHER_DEATH_STOP_NODE,   /* the node cannot go on without it: stop the stack */
};

struct launcher_child_def {
	const char *name;   /* "cib": its name in logs and --status, its role, and its state
					 * directory <state root>/cib (made, owned by its user) */
	const char *binary; /* "paceline-cib", looked up in the daemon directory */
	enum launcher_user user;
	/* Ready once this IPC service accepts a connection (PL_SVC_NONE: as soon as spawned).
	 * The next row starts only then. */
	enum pl_service ready_svc;
	enum launcher_death death;
	bool optional;		  /* binary not installed: skipped with one log line */
	uint32_t stop_timeout_ms; /* SIGTERM, then SIGKILL after this long */
};

/* Rows in start order; shutdown runs them backwards (crmd first, membership last). */
extern const struct launcher_child_def launcher_children[];
extern const size_t launcher_nchildren;

/* The row of that name, or NULL. */
const struct launcher_child_def *launcher_child_def(const char *name);

#endif
