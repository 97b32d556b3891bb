/*
 * main.c - paceline-cib: the Cluster Information Base daemon. Holds the CIB (core.c), serves
 * it over local IPC (server.c), persists it under <state dir>/cib (PL_STATE_DIR or
 * --state-dir, default /var/lib/paceline), replicates updates through paceline-membership
 * (repl.c; standalone without it) and acknowledges an update only once it is on disk.
 *
 * On SIGTERM/SIGINT it stops accepting requests, waits for the last write, answers every
 * waiting client and exits 0.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <libxml/parser.h>

#include "cib_daemon.h"
#include "paceline/log.h"

#define DEFAULT_STATE_DIR "/var/lib/paceline"

static GMainLoop *loop;

static void
usage(FILE *f)
{
	fprintf(f, "usage: paceline-cib [-d] [-l LOGFILE] [-s FACILITY] [-S STATEDIR]\n"
	    "  -d, --debug           debug logging\n"
	    "  -l, --logfile FILE    also log to FILE\n"
	    "  -s, --syslog FAC      also log to syslog with facility FAC\n"
	    "  -S, --state-dir DIR   keep the CIB in DIR/cib (default $PL_STATE_DIR or "
	    DEFAULT_STATE_DIR ")\n"
	    "environment: PL_STATE_DIR, PL_IPC_PREFIX, PL_NODE_NAME (update-origin),\n"
	    "  PL_CIB_DIGEST_MS (divergence check period, 60000),\n"
	    "  PL_CIB_MEMBERSHIP_TIMEOUT_MS (wait for paceline-membership at start, 2000),\n"
	    "  PL_CIB_MEMBERSHIP_RETRY_MS (standalone: retry period, 2000)\n");
}

static gboolean
on_signal(gpointer arg)
{
	(void)arg;
	log_info("shutting down");
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "logfile", required_argument, NULL, 'l' },
		{ "syslog", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pl_error err = PL_ERROR_INIT;
	const char *state_dir = getenv("PL_STATE_DIR");
	int ch;

	log_init("cib");
	while ((ch = getopt_long(argc, argv, "dl:s:S:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			log_set_debug(true);
			break;
		case 'l':
			if (!log_set_file(optarg))
				fatal("cannot open log file %s", optarg);
			break;
		case 's':
			if (!log_set_syslog(true, optarg))
				fatalx("unknown syslog facility '%s'", optarg);
			break;
		case 'S':
			state_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 64;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 64;
	}
	if (state_dir == NULL || *state_dir == '\0')
		state_dir = DEFAULT_STATE_DIR;
	signal(SIGPIPE, SIG_IGN);
	loop = g_main_loop_new(NULL, false);
	cib_core_init(state_dir);
	if (!cib_server_start(&err))
		fatalx("%s", err.text);
	cib_repl_start();
	g_unix_signal_add(SIGTERM, on_signal, NULL);
	g_unix_signal_add(SIGINT, on_signal, NULL);
	log_info("started (state in %s/cib, node %s)", state_dir, cib_core_node());
	g_main_loop_run(loop);
	cib_repl_stop();
	cib_core_shutdown();	/* answers the waiting clients, so before the server stops */
	cib_server_stop();
	g_main_loop_unref(loop);
	xmlCleanupParser();
	log_info("stopped");
	return 0;
}
