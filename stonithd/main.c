/*
 * main.c - paceline-stonithd, the fencer: fence devices from the CIB, fence agents of both
 * families (agents.c), fencing topology, requests from crmd and stonith_admin carried out
 * over the `stonithd` group (the pure core in core.c, simulated in tests/unit/stonithd), and
 * a bounded, persistent history (history.c). docs/design/stonithd.md.
 *
 * Runs on the daemon skeleton (daemon.h). Start: membership and cib must answer (waited for
 * up to --wait seconds), then the IPC server answers: a client that can connect knows the
 * fencer is ready. SIGTERM: stop at once (running agents are left to finish on their own).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/log.h"
#include "stonithd.h"

static int wait_s = 30;

static bool
stonithd_option(int ch, const char *arg)
{
	char *end;
	long v;

	if (ch != 'w')
		return false;
	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < 0 || v > 3600) {
		fprintf(stderr,
		    "paceline-stonithd: --wait: '%s' is not a number of seconds "
		    "from 0 to 3600\n",
		    arg);
		return false;
	}
	wait_s = (int)v;
	return true;
}

static bool
stonithd_start_hook(struct pl_error *err)
{
	if (chdir("/") < 0)
		fatal("cannot change to /");
	if (!stonithd_io_start(wait_s * 1000, err))
		return false;
	if (!stonithd_server_start(err))
		return false;
	log_info("started: serving fencing requests");
	return true;
}

static void
stonithd_cleanup_hook(void)
{
	stonithd_server_stop();
	stonithd_io_cleanup();
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pl_daemon stonithd = {
		.role = "stonithd",
		.usage =
		    "  -w, --wait SECONDS     wait this long for membership and cib at start "
		    "(default 30)\n"
		    "environment: PL_IPC_PREFIX, PL_FENCE_AGENT_DIR (fence_* agents, "
		    "/usr/sbin),\n"
		    "             PL_STONITH_CMD (cluster-glue's stonith, /usr/sbin/stonith)\n",
		.shortopts = "w:",
		.longopts = opts,
		.option = stonithd_option,
		.start = stonithd_start_hook,
		.cleanup = stonithd_cleanup_hook,
	};

	return pl_daemon_main(&stonithd, argc, argv);
}
