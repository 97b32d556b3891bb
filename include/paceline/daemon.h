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
 * Common options: -V/--verbose (debug logging), -l/--logfile FILE, --syslog FACILITY,
 * -h/--help. Daemons always run in the foreground; the launcher supervises them.
 * Exit codes: 0 after an orderly stop, 64 for a usage error, the error's code when start fails.
 */
#ifndef PACELINE_DAEMON_H
#define PACELINE_DAEMON_H

#include <getopt.h>
#include <stdbool.h>

#include <glib.h>

struct pl_error;

struct pl_daemon {
	const char *role;		/* log tag, and the binary is paceline-<role> */
	const char *usage;		/* help lines for the daemon's own options and environment */
	const char *shortopts;		/* the daemon's own getopt letters, e.g. "R:" (or NULL) */
	const struct option *longopts;	/* its own long options, {0}-terminated (or NULL) */
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
void pl_daemon_quit(void);		/* ends the main loop */
GMainLoop *pl_daemon_loop(void);

#endif
