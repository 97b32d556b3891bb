/*
 * sup.h - the launcher's supervisor as a pure state machine: no fork, no signals, no clock, no
 * main loop. Inputs are "start", "a child exited", "time passed" (tick) and "stop"; outputs go
 * through the ops (spawn, signal, probe, node state). The daemon (main.c) and the simulated
 * clock of the unit tests drive the very same code.
 *
 * The node (one stack of daemons):
 *
 *   start        every row READY or SKIPPED          stop requested (SIGTERM), a STOP_NODE
 *     |        +----------------------------+         child died, or a child crash-looped
 *     v        |                            v              |
 *  +----------+                        +---------+         v       +----------+  all children
 *  | STARTING |----------------------->| RUNNING |------------------>| STOPPING |-----down------> STOPPED
 *  +----------+    (same triggers) ------------------------------->+----------+               (ops->node_state)
 *   rows start one by one, each when the one before is READY;
 *   STOPPING stops them one by one in reverse order
 *
 * One child (one row of table.h):
 *
 *           optional and not installed
 *   DOWN -------------------------------> SKIPPED
 *    |  its turn (STARTING) / backoff over
 *    v
 *  STARTING --probe answers--> READY
 *    |  not ready within start_timeout: SIGKILL (its exit counts as a death)
 *    |
 *    +-- exits --+-- exits ---+
 *                v            |
 *            (a death)  <-----+
 *      death = STOP_NODE, or exit code 100      -> node STOPPING (reason logged once)
 *      deaths_max deaths within window_ms       -> node STOPPING ("crash loop")
 *      a row before it died within min_uptime_ms, or is not up (it died because of that one):
 *                                                  -> BACKOFF 0 ms, not counted as a death
 *      otherwise                                -> BACKOFF: respawn after 0 ms if it had been up
 *                                                  min_uptime_ms or more, else after backoff,
 *                                                  which doubles per early death up to backoff_max
 *  READY/STARTING --node stopping, its turn--> STOPPING (SIGTERM; SIGKILL after the row's
 *                                                         stop timeout) --exits--> DOWN
 *  BACKOFF --node stopping--> DOWN
 */
#ifndef LAUNCHER_SUP_H
#define LAUNCHER_SUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "table.h"

#define LAUNCHER_EXIT_FATAL 100 /* a child exiting with this is not respawned (as Pacemaker) */
#define LAUNCHER_DEATHS_CAP 64	/* most deaths remembered per child */

enum launcher_node_state {
	LAUNCHER_NODE_INIT = 0,
	LAUNCHER_NODE_STARTING,
	LAUNCHER_NODE_RUNNING,
	LAUNCHER_NODE_STOPPING,
	LAUNCHER_NODE_STOPPED,
};

enum launcher_child_state {
	LAUNCHER_CHILD_DOWN = 0,
	LAUNCHER_CHILD_SKIPPED,
	LAUNCHER_CHILD_STARTING,
	LAUNCHER_CHILD_READY,
	LAUNCHER_CHILD_BACKOFF,
	LAUNCHER_CHILD_STOPPING,
};

/* How the stack stopped (the launcher's exit code follows from it). */
enum launcher_stop_cause {
	LAUNCHER_STOP_NONE = 0,
	LAUNCHER_STOP_REQUESTED,  /* SIGTERM / SIGINT: exit 0 */
	LAUNCHER_STOP_NODE_LOST,  /* a STOP_NODE child died (membership lost): exit 1 */
	LAUNCHER_STOP_CRASH_LOOP, /* throttling gave up, or exit code 100: exit 100 */
};

struct launcher_tunables {
	uint32_t start_timeout_ms; /* not ready this long after spawn: SIGKILL (60000) */
	uint32_t min_uptime_ms;	   /* a death sooner after start is early (10000) */
	uint32_t backoff_first_ms; /* respawn delay after the first early death (1000) */
	uint32_t backoff_max_ms;   /* the doubling stops here (30000) */
	uint32_t deaths_max;	   /* this many deaths of one child ... (5) */
	uint32_t window_ms;	   /* ... within this window stop the stack (60000) */
	uint32_t probe_ms;	   /* readiness probe period (50) */
	uint32_t stop_timeout_ms;  /* if nonzero, replaces every row's stop timeout (tests) */
};

void launcher_tunables_default(struct launcher_tunables *t);

struct launcher_sup_ops {
	/* Start the row's program: its pid, or -1 with errno set (counted as a death). */
	pid_t (*spawn)(void *arg, const struct launcher_child_def *def);
	void (*signal)(void *arg, pid_t pid, int sig);
	/* Does the row's readiness check pass now (its IPC service accepts a connection)? */
	bool (*probe)(void *arg, const struct launcher_child_def *def);
	/* Has this process ended, though its exit is not delivered yet? (a daemon's exit may be
	 * seen before the exit of the daemon whose loss made it exit) */
	bool (*gone)(void *arg, pid_t pid);
	/* Is the row's binary installed? Asked once, for optional rows. */
	bool (*installed)(void *arg, const struct launcher_child_def *def);
	/* The node changed state; `reason` is set from STOPPING on ("" while running). */
	void (*node_state)(void *arg, enum launcher_node_state st, const char *reason);
};

struct launcher_child {
	const struct launcher_child_def *def;
	enum launcher_child_state state;
	pid_t pid;	      /* 0 when not running */
	uint64_t started_ms;  /* last spawn */
	uint64_t ready_ms;    /* last time it became READY */
	bool was_ready;	      /* READY since the last spawn */
	uint64_t deadline_ms; /* STARTING: start timeout; BACKOFF: respawn; STOPPING: SIGKILL */
	uint64_t probe_ms;    /* STARTING: next readiness probe */
	bool killed;	      /* SIGKILL sent for the current deadline */
	uint32_t restarts;    /* respawns since the launcher started */
	uint32_t backoff_ms;  /* delay of the next early death */
	uint64_t deaths[LAUNCHER_DEATHS_CAP]; /* times of recent deaths (ring) */
	uint32_t ndeaths, death_head;
	uint64_t last_death_ms; /* its last death (0: none) */
	char last_exit[64];	/* "killed by signal 9", "exited with code 1", "" */
};

struct launcher_sup {
	const struct launcher_sup_ops *ops;
	void *arg;
	struct launcher_tunables t;
	struct launcher_child *child;
	size_t n;
	enum launcher_node_state state;
	enum launcher_stop_cause cause;
	char reason[256]; /* why the stack stops / stopped, one line */
	uint64_t started_ms;
};

void launcher_sup_init(struct launcher_sup *s, const struct launcher_child_def *defs, size_t n,
    const struct launcher_tunables *t, const struct launcher_sup_ops *ops, void *arg);
void launcher_sup_free(struct launcher_sup *s);

void launcher_sup_start(struct launcher_sup *s, uint64_t now);
/* A child process ended (waitpid status). false: not one of ours. */
bool launcher_sup_exited(struct launcher_sup *s, pid_t pid, int wstatus, uint64_t now);
/* Deadlines and probes due by `now`. */
void launcher_sup_tick(struct launcher_sup *s, uint64_t now);
/* Stop the stack in reverse order (ignored once stopping). */
void launcher_sup_stop(struct launcher_sup *s, const char *reason, uint64_t now);
/* When the next tick is due (UINT64_MAX: nothing pending). */
uint64_t launcher_sup_next_wakeup(const struct launcher_sup *s);

const char *launcher_node_state_name(enum launcher_node_state st);
const char *launcher_child_state_name(enum launcher_child_state st);
/* The exit code the launcher should end with. */
int launcher_sup_exit_code(const struct launcher_sup *s);

#endif
