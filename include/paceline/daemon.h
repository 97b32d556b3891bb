/*
 * daemon.h - the one skeleton every Paceline daemon runs (after Postfix's *_server_main):
 * logging set-up and the common options, the GLib main loop, SIGTERM/SIGINT handling and an
 * orderly stop. A daemon supplies its own options and four hooks:
 *
 *	static const struct pl_daemon lrmd = {
 *		.role = "lrmd", .shortopts = "R:", .longopts = opts, .usage = "  -R DIR ...\n",
 *		.option = lrmd_option, .start = lrmd_start, .stop = lrmd_stop,
 *		.cleanup = lrmd_cleanup,
 *	};
 *	int main(int argc, char **argv) { return pl_daemon_main(&lrmd, argc, argv); }
 *
 * Common options, one meaning each in every daemon:
 *   -V/--verbose          debug logging
 *   -l/--logfile FILE     also log to FILE
 *   --syslog FACILITY     also log to syslog
 *   -f/--foreground       log to stderr (with timestamps), never to syslog (daemons always run
 *                         in the foreground: the launcher supervises them)
 *   -c/--config FILE      paceline.conf (default $PL_CONF, /etc/paceline/paceline.conf)
 *   -S/--state-dir DIR    the state root (default $PL_STATE_DIR, /var/lib/paceline); each
 *                         daemon keeps its files in DIR/<role> (pl_daemon_state_dir())
 *   -R/--run-dir DIR      the run root (default $PL_RUN_DIR, /run/paceline)
 *   -h/--help
 * Before start, the skeleton applies paceline.conf's `logging` section when the file exists
 * (to_stderr, to_syslog + syslog_facility, to_logfile + logfile, debug, timestamp); -f
 * overrides to_syslog/to_stderr, -V and -l add to it. Option hooks only record values: any
 * check, mkdir or file access belongs in start, which can fail with an error.
 * Exit codes: 0 after an orderly stop, 64 for a usage error, the error's code when start fails.
 */
#ifndef PACELINE_DAEMON_H
#define PACELINE_DAEMON_H

#include <getopt.h>
#include <stdbool.h>

#include <glib.h>

struct pl_error;

struct pl_daemon {
	const char *role;	       /* log tag, and the binary is paceline-<role> */
	const char *usage;	       /* help lines for the daemon's own options and environment */
	const char *shortopts;	       /* the daemon's own getopt letters, e.g. "R:" (or NULL) */
	const struct option *longopts; /* its own long options, {0}-terminated (or NULL) */
	/* One of the daemon's own options. false: a usage error (the hook says why on stderr). */
	bool (*option)(int ch, const char *arg);
	/* After option parsing, with the main loop created: open and start serving. */
	bool (*start)(struct pl_error *err);
	/* SIGTERM/SIGINT: begin an orderly stop and call pl_daemon_quit() once done (at once or
	 * later from the loop). NULL: quit at once. Called once; later signals are ignored. */
	void (*stop)(void);
	/* After the main loop has returned: release everything. */
	void (*cleanup)(void);
};

int pl_daemon_main(const struct pl_daemon *d, int argc, char **argv);

/* The paths every daemon shares, valid from the start hook on. */
const char *pl_daemon_config(void);	/* paceline.conf */
const char *pl_daemon_state_root(void); /* -S, $PL_STATE_DIR, /var/lib/paceline */
const char *pl_daemon_state_dir(void);	/* <state root>/<role>, not created */
const char *pl_daemon_run_dir(void);	/* -R, $PL_RUN_DIR, /run/paceline */
bool pl_daemon_run_dir_given(void);	/* by -R or $PL_RUN_DIR (not the default) */
bool pl_daemon_foreground(void);	/* -f */
void pl_daemon_quit(void);		/* ends the main loop */
GMainLoop *pl_daemon_loop(void);

#endif
