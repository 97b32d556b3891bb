/*
 * main.c - paceline-lrmd: the local resource daemon. Runs resource agents for crmd, tools and
 * tests over local IPC (server.c), with queues and recurring monitors (rsc.c) and the executor
 * (exec.c, on lib/common's pl_child). Everything it touches is redirectable for tests: OCF_ROOT, PL_LSB_DIR,
 * PL_IPC_PREFIX (the IPC name), -R/PL_RUN_DIR (HA_RSCTMP of the agents). It runs on the daemon
 * skeleton (include/paceline/daemon.h).
 *
 * On SIGTERM/SIGINT it cancels every operation (killing running agents with their process
 * groups), waits for them, and exits 0. It does not stop resources: that is crmd's decision.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agents.h"
#include "exec.h"
#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "rsc.h"
#include "server.h"

static uint64_t stop_deadline;

static gboolean
stop_poll(gpointer arg)
{
	struct lrmd_stats st;

	(void)arg;
	lrmd_rsc_stats(&st);
	if (st.running == 0 || pl_mono_ms() > stop_deadline) {
		if (st.running > 0)
			log_warnx("exiting with %u agent(s) still running", st.running);
		pl_daemon_quit();
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

/* Cancel every operation (killing running agents with their groups) and wait for them. */
static void
lrmd_stop(void)
{
	log_info("cancelling every operation");
	stop_deadline = pl_mono_ms() + lrmd_conf.kill_grace_ms + 2000;
	lrmd_server_stop();
	lrmd_rsc_shutdown();
	g_timeout_add(20, stop_poll, NULL);
}

static bool
lrmd_start(struct pl_error *err)
{
	/* Agents start in "/", never in whatever directory launched the daemon. */
	if (chdir("/") < 0)
		fatal("cannot change to /");
	/* a run directory given (-R, PL_RUN_DIR): agents keep their state in DIR/rsctmp */
	if (pl_daemon_run_dir_given()) {
		const char *arg = pl_daemon_run_dir();
		char *dir, *tmp;

		if (mkdir(arg, 0755) != 0 && errno != EEXIST) {
			pl_error_set(
			    err, PL_EXIT_CANTCREAT, "run directory %s: %s", arg, strerror(errno));
			return false;
		}
		if ((dir = realpath(arg, NULL)) == NULL) {
			pl_error_set(
			    err, PL_EXIT_CANTCREAT, "run directory %s: %s", arg, strerror(errno));
			return false;
		}
		tmp = xasprintf("%s/rsctmp", dir);
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			log_warn("cannot create %s", tmp);
		setenv("HA_RSCTMP", tmp, 1);
		free(tmp);
		free(dir);
	}
	lrmd_conf_init();
	if (!lrmd_server_start(err))
		return false;
	log_info("started (OCF_ROOT %s)", lrmd_conf.ocf_root);
	return true;
}

static void
lrmd_cleanup(void)
{
	lrmd_rsc_shutdown();
	lrmd_agents_cache_clear();
	lrmd_stonith_clear();
	lrmd_conf_free();
}

int
main(int argc, char **argv)
{
	static const struct pl_daemon lrmd = {
		.role = "lrmd",
		.usage =
		    "with -R DIR (or PL_RUN_DIR), agents keep their state in DIR/rsctmp "
		    "(HA_RSCTMP)\n"
		    "environment: OCF_ROOT, PL_LSB_DIR, PL_IPC_PREFIX, PL_LRMD_KILL_GRACE_MS\n",
		.start = lrmd_start,
		.stop = lrmd_stop,
		.cleanup = lrmd_cleanup,
	};

	return pl_daemon_main(&lrmd, argc, argv);
}
