/*
 * child.h - run one program in its own process group on the GLib main loop: output captured
 * up to a bound, a timeout that sends SIGTERM to the whole group and SIGKILL after a grace,
 * and one callback when it is over. Knows nothing about agents: lrmd runs resource agents with
 * it, stonithd fence agents, the launcher the daemons.
 *
 *	spawned --(leader exits)--------------------------------> done (exit code / signal)
 *	   |
 *	   +--(timeout)--> SIGTERM group --(grace, or leader exits)--> SIGKILL group --> done (timed out)
 *	   |
 *	   +--(pl_child_kill)--> same as timeout, reported as killed
 */
#ifndef PACELINE_CHILD_H
#define PACELINE_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <glib.h>

#include "paceline/buf.h"

struct pl_child;
typedef void (*pl_child_done_fn)(struct pl_child *c, void *arg);

struct pl_child {
	/* outcome, valid in the done callback */
	bool exited; /* exit_code is valid */
	int exit_code;
	int term_signal;      /* when killed by a signal, else 0 */
	bool timed_out;	      /* the timeout fired */
	bool killed;	      /* pl_child_kill() ended it */
	int spawn_errno;      /* posix_spawn failed with this (no child ran) */
	struct pl_buf out[2]; /* stdout, stderr: at most output_max bytes each */
	size_t dropped[2];    /* bytes beyond the bound, read and discarded */
	uint64_t started_ms;  /* monotonic */
	uint64_t elapsed_ms;

	/* private */
	pid_t pid;
	int fd[2];
	guint fd_src[2];
	guint watch_src;
	guint timer_src;
	guint grace_src;
	size_t output_max;
	uint32_t grace_ms;
	pl_child_done_fn done;
	void *arg;
};

/*
 * Start argv[0] (an absolute path) with envp; stdin is /dev/null, every other descriptor is
 * closed. Returns false, with c->spawn_errno set and no callback, when nothing could be
 * started. timeout_ms 0 means no timeout.
 */
bool pl_child_spawn(struct pl_child *c, char *const argv[], char *const envp[], uint32_t timeout_ms,
    uint32_t grace_ms, size_t output_max, pl_child_done_fn done, void *arg);

/*
 * The same with `input` (input_len bytes) on the child's stdin, as fence agents read their
 * key=value lines. The input must fit a pipe's buffer (64 KiB on Linux): larger fails with
 * spawn_errno E2BIG. input NULL: stdin is /dev/null.
 */
bool pl_child_spawn_input(struct pl_child *c, char *const argv[], char *const envp[],
    const char *input, size_t input_len, uint32_t timeout_ms, uint32_t grace_ms, size_t output_max,
    pl_child_done_fn done, void *arg);

/* End it early (SIGTERM to the group, SIGKILL after the grace); the callback still runs. */
void pl_child_kill(struct pl_child *c);

/* Free the captured output (after the callback, or for a child that never started). */
void pl_child_clear(struct pl_child *c);

#endif
