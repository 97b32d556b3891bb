/*
 * heuristics.h - quorum.device.heuristics (corosync-qdevice(8)): the exec_ commands run in
 * parallel, each killed at the run's timeout; the run passes when every command exits 0 in
 * time, and fails otherwise. The result goes to the arbiter, which ranks partitions by it
 * (qnetd/algo.h). The runner spawns and reaps on the GLib loop; the verdict is the pure
 * membership_heuristics_verdict.
 *
 *   IDLE --run(timeout)--> RUNNING --all exited, or the timeout (the rest killed)--> done(result)
 *     ^                      |  run again: the running commands are killed, no result
 *     +----------------------+
 */
#ifndef PACELINE_MEMBERSHIP_HEURISTICS_H
#define PACELINE_MEMBERSHIP_HEURISTICS_H

#include <stdbool.h>
#include <stdint.h>

/* The same numbers as qnetd's enum qnetd_heuristics (the wire's). */
enum membership_heur { MEMBERSHIP_HEUR_UNDEFINED = 0, MEMBERSHIP_HEUR_PASS, MEMBERSHIP_HEUR_FAIL };

/* One command's end: exited (wait status) or still running at the timeout. */
struct membership_heur_end {
	bool finished;
	int status;
};

/* Pass only when every command finished and exited 0; *failed: the first that did not. */
enum membership_heur membership_heuristics_verdict(
    const struct membership_heur_end *ends, unsigned n, int *failed);
const char *membership_heur_name(enum membership_heur h);

typedef void (*membership_heuristics_done_fn)(enum membership_heur result, void *arg);

/* The commands (exec_NAME's names and command lines, already checked by conf.c). */
void membership_heuristics_setup(char *const *names, char *const *cmds, unsigned n);
/* Start a run (a run in progress is cancelled: its commands killed, no result). */
void membership_heuristics_run(uint32_t timeout_ms, membership_heuristics_done_fn done, void *arg);
bool membership_heuristics_running(void);
/* Kill and reap whatever still runs (daemon stop). */
void membership_heuristics_stop(void);

#endif
