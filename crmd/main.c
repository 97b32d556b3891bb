/*
 * main.c - paceline-crmd, the controller: DC election, join, transition execution, results
 * recorded in the CIB status section. The logic is crmd_core (fsm.h, pure, simulated in
 * tests/unit/crmd); this daemon connects it to paceline-membership (group `crmd`), the CIB,
 * lrmd and pengine (io.c, cibio.c, lrmio.c) and serves the tools (server.c).
 *
 * Runs on the daemon skeleton (daemon.h). Start order: membership, cib, lrmd, pengine must be
 * up (each waited for up to --wait seconds), then the IPC server answers: a client that can
 * connect knows the controller is ready. SIGTERM: a clean shutdown (resources move away,
 * then the controller leaves); a second SIGTERM-free stop comes from the state machine.
 * Fencing: a graph's fence actions go to the local paceline-stonithd (fenceio.c); the DC
 * records a fenced node as down before recovery goes on.
 */
#include <stdio.h>
#include <stdlib.h>

#include "crmd.h"
#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/log.h"

static int wait_s = 30;

static bool
crmd_option(int ch, const char *arg)
{
	char *end;
	long v;

	switch (ch) {
	case 'f': return true; /* always in the foreground; accepted for Pacemaker-style lines */
	case 'w':
		v = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || v < 0 || v > 3600) {
			fprintf(stderr,
			    "paceline-crmd: --wait: '%s' is not a number of seconds "
			    "from 0 to 3600\n",
			    arg);
			return false;
		}
		wait_s = (int)v;
		return true;
	}
	return false;
}

static bool
crmd_start_hook(struct pl_error *err)
{
	if (!crmd_io_start(wait_s * 1000, err))
		return false;
	if (!crmd_server_start(err))
		return false;
	log_info("started: serving the tools");
	return true;
}

static void
crmd_stop_hook(void)
{
	crmd_io_shutdown();
}

static void
crmd_cleanup_hook(void)
{
	crmd_server_stop();
	crmd_io_cleanup();
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pl_daemon crmd = {
		.role = "crmd",
		.usage = "  -f, --foreground       accepted for compatibility (always in the "
			 "foreground)\n"
			 "  -w, --wait SECONDS     wait this long for membership, cib, lrmd and "
			 "pengine\n"
			 "                         at start (default 30)\n"
			 "environment: PL_IPC_PREFIX\n",
		.shortopts = "fw:",
		.longopts = opts,
		.option = crmd_option,
		.start = crmd_start_hook,
		.stop = crmd_stop_hook,
		.cleanup = crmd_cleanup_hook,
	};

	return pl_daemon_main(&crmd, argc, argv);
}
