/*
 * launcher.h - what the files of paceline-launcher share inside the daemon: the supervisor it
 * drives (sup.h), how children are spawned (spawn.c), the status server (server.c), systemd
 * notification (notify.c) and the --status client (status.c).
 */
#ifndef LAUNCHER_LAUNCHER_H
#define LAUNCHER_LAUNCHER_H

#include <stdbool.h>
#include <sys/types.h>

#include "paceline/error.h"
#include "sup.h"

#define LAUNCHER_DEFAULT_RUN_DIR "/run/paceline"
#define LAUNCHER_LAST_STOP_FILE	 "launcher.last-stop" /* in the run dir */

/* spawn.c: the accounts children run as and how they are started. */
struct launcher_spawn {
	char *daemon_dir; /* where paceline-<name> binaries live */
	bool drop;	  /* switch hacluster rows to hc_uid/hc_gid */
	uid_t hc_uid;
	gid_t hc_gid;
};
/* Decide the accounts: root drops hacluster rows to hacluster:haclient unless all_root (a
 * warning); not root runs everything as itself. false + err when hacluster/haclient is missing. */
bool launcher_spawn_init(
    struct launcher_spawn *sp, const char *daemon_dir, bool all_root, struct pl_error *err);
/* <state root>/<row's name> for every row (each daemon keeps its files in <root>/<role>),
 * owned by the row's user. */
void launcher_spawn_prepare_dirs(const struct launcher_spawn *sp, const char *state_dir);
pid_t launcher_spawn_child(const struct launcher_spawn *sp, const struct launcher_child_def *def);
bool launcher_spawn_installed(const struct launcher_spawn *sp, const struct launcher_child_def *def);
/* The daemon directory: next to this program when it holds paceline-membership (a build
 * tree), else the install directory. Caller frees. */
char *launcher_default_daemon_dir(void);

/* server.c: LAUNCHER_STATUS / LAUNCHER_CHILD over local IPC. */
bool launcher_server_start(struct launcher_sup *sup, struct pl_error *err);
void launcher_server_stop(void);

/* notify.c: sd_notify(3) by hand ($NOTIFY_SOCKET), a no-op without systemd. */
void launcher_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* status.c: paceline-launcher --status. Returns the exit code. */
int launcher_status_main(void);

#endif
