/*
 * main.c - paceline-pengine: the policy engine daemon. A thin wrapper around lib/pengine:
 * crmd sends a CIB over local IPC (server.c), gets the numbered transition graph back.
 * Optionally keeps the last N inputs on disk (inputs.c) for post-mortems, as Pacemaker's
 * pe-input series. Redirectable for tests: PL_IPC_PREFIX (the IPC name), PL_STATE_DIR.
 *
 * It always runs in the foreground (the launcher supervises it; -f is accepted for
 * Pacemaker-style command lines). On SIGTERM/SIGINT it stops serving and exits 0; a request
 * being computed finishes first (the loop is single-threaded).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "inputs.h"
#include "paceline/error.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "server.h"

#define DEFAULT_STATE_DIR "/var/lib/paceline"

static GMainLoop *loop;

static void usage(FILE *f)
{
	fprintf(f, "usage: paceline-pengine [-f] [-V] [-l LOGFILE] [-s FACILITY] [-i DIR] [-n N]\n"
		"  -f, --foreground       run in the foreground (always; for compatibility)\n"
		"  -V, --verbose          debug logging\n"
		"  -l, --logfile FILE     also log to FILE\n"
		"  -s, --syslog FAC       also log to syslog with facility FAC\n"
		"  -i, --inputs-dir DIR   where to save inputs (default $PL_STATE_DIR/pengine,\n"
		"                         PL_STATE_DIR defaulting to " DEFAULT_STATE_DIR ")\n"
		"  -n, --inputs-max N     keep the last N inputs as DIR/pe-input-K.xml (default 0: off)\n"
		"environment: PL_IPC_PREFIX, PL_STATE_DIR\n");
}

static gboolean on_signal(gpointer arg)
{
	(void)arg;
	log_info("shutting down");
	g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

static unsigned parse_max(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *s == '-' || *end != '\0' || v > 1000000) {
		fprintf(stderr, "paceline-pengine: --inputs-max: '%s' is not a number from 0 to 1000000\n", s);
		exit(64);
	}
	return (unsigned)v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "logfile", required_argument, NULL, 'l' },
		{ "syslog", required_argument, NULL, 's' },
		{ "inputs-dir", required_argument, NULL, 'i' },
		{ "inputs-max", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pl_error err = PL_ERROR_INIT;
	struct pengine_inputs inputs;
	char *dir = NULL;
	unsigned max = 0;
	int ch;

	log_init("pengine");
	while ((ch = getopt_long(argc, argv, "fVl:s:i:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			break;
		case 'V':
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
		case 'i':
			free(dir);
			dir = xstrdup(optarg);
			break;
		case 'n':
			max = parse_max(optarg);
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
	if (dir == NULL) {
		const char *state = getenv("PL_STATE_DIR");

		dir = xasprintf("%s/pengine", state && *state ? state : DEFAULT_STATE_DIR);
	}
	signal(SIGPIPE, SIG_IGN);
	if (!pengine_inputs_open(&inputs, dir, max, &err))
		fatalx("%s", err.text);
	loop = g_main_loop_new(NULL, false);
	if (!pengine_server_start(&inputs, &err))
		fatalx("%s", err.text);
	g_unix_signal_add(SIGTERM, on_signal, NULL);
	g_unix_signal_add(SIGINT, on_signal, NULL);
	if (max > 0)
		log_info("started (saving the last %u inputs in %s)", max, dir);
	else
		log_info("started (inputs not saved)");
	g_main_loop_run(loop);
	pengine_server_stop();
	pengine_inputs_close(&inputs);
	free(dir);
	g_main_loop_unref(loop);
	log_info("stopped");
	return 0;
}
