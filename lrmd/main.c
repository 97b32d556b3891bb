/*
 * main.c - paceline-lrmd: the local resource daemon. Runs resource agents for crmd, tools and
 * tests over local IPC (server.c), with queues and recurring monitors (rsc.c) and the executor
 * (exec.c, child.c). Everything it touches is redirectable for tests: OCF_ROOT, PL_LSB_DIR,
 * PL_IPC_PREFIX (the IPC name), --run-dir (HA_RSCTMP of the agents).
 *
 * On SIGTERM/SIGINT it cancels every operation (killing running agents with their process
 * groups), waits for them, and exits 0. It does not stop resources: that is crmd's decision.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>

#include "agents.h"
#include "exec.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "rsc.h"
#include "server.h"

static GMainLoop *loop;
static uint64_t stop_deadline;

static void
usage(FILE *f)
{
	fprintf(f, "usage: paceline-lrmd [-d] [-l LOGFILE] [-s FACILITY] [-R RUNDIR]\n"
	    "  -d, --debug          debug logging\n"
	    "  -l, --logfile FILE   also log to FILE\n"
	    "  -s, --syslog FAC     also log to syslog with facility FAC\n"
	    "  -R, --run-dir DIR    agents keep their state under DIR/rsctmp (HA_RSCTMP)\n"
	    "environment: OCF_ROOT, PL_LSB_DIR, PL_IPC_PREFIX, PL_LRMD_KILL_GRACE_MS\n");
}

static gboolean
stop_poll(gpointer arg)
{
	struct lrmd_stats st;

	(void)arg;
	lrmd_rsc_stats(&st);
	if (st.running == 0 || pl_mono_ms() > stop_deadline) {
		if (st.running > 0)
			log_warnx("exiting with %u agent(s) still running", st.running);
		g_main_loop_quit(loop);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
on_signal(gpointer arg)
{
	(void)arg;
	if (stop_deadline != 0)
		return G_SOURCE_CONTINUE;
	log_info("shutting down: cancelling every operation");
	stop_deadline = pl_mono_ms() + lrmd_conf.kill_grace_ms + 2000;
	lrmd_server_stop();
	lrmd_rsc_shutdown();
	g_timeout_add(20, stop_poll, NULL);
	return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "logfile", required_argument, NULL, 'l' },
		{ "syslog", required_argument, NULL, 's' },
		{ "run-dir", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pl_error err = PL_ERROR_INIT;
	int ch;

	log_init("lrmd");
	while ((ch = getopt_long(argc, argv, "dl:s:R:h", opts, NULL)) != -1) {
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
		case 'R': {
			char *dir, *tmp;

			mkdir(optarg, 0755);
			if ((dir = realpath(optarg, NULL)) == NULL)
				fatal("run directory %s", optarg);
			tmp = xasprintf("%s/rsctmp", dir);
			mkdir(tmp, 0755);
			setenv("HA_RSCTMP", tmp, 1);
			free(tmp);
			free(dir);
			break;
		}
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
	signal(SIGPIPE, SIG_IGN);
	/* Agents start in "/", never in whatever directory launched the daemon. */
	if (chdir("/") < 0)
		fatal("cannot change to /");
	lrmd_conf_init();
	loop = g_main_loop_new(NULL, false);
	if (!lrmd_server_start(&err))
		fatalx("%s", err.text);
	g_unix_signal_add(SIGTERM, on_signal, NULL);
	g_unix_signal_add(SIGINT, on_signal, NULL);
	log_info("started (OCF_ROOT %s)", lrmd_conf.ocf_root);
	g_main_loop_run(loop);
	lrmd_rsc_shutdown();
	lrmd_agents_cache_clear();
	lrmd_conf_free();
	g_main_loop_unref(loop);
	log_info("stopped");
	return 0;
}
