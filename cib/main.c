/*
 * main.c - paceline-cib: the Cluster Information Base daemon. Holds the CIB (core.c), serves
 * it over local IPC (server.c), persists it under <state root>/cib (the skeleton's -S,
 * PL_STATE_DIR, default /var/lib/paceline), replicates updates through paceline-membership
 * (repl.c; standalone without it) and acknowledges an update only once it is on disk.
 *
 * Runs on the daemon skeleton (include/paceline/daemon.h). On SIGTERM/SIGINT it stops
 * accepting requests, waits for the last write, answers every waiting client and exits 0.
 */
#include <stdlib.h>

#include <libxml/parser.h>

#include "cib_daemon.h"
#include "paceline/daemon.h"
#include "paceline/log.h"

static bool
cib_start(struct pl_error *err)
{
	const char *state_dir = pl_daemon_state_root(); /* the CIB lives in <root>/cib */

	if (!cib_core_init(state_dir, &cib_server_core_ops, err))
		return false;
	if (!cib_server_start(err))
		return false;
	cib_repl_start();
	log_info("started (state in %s/cib, node %s)", state_dir, cib_core_node());
	return true;
}

static void
cib_cleanup(void)
{
	cib_repl_stop();
	cib_core_shutdown(); /* answers the waiting clients, so before the server stops */
	cib_server_stop();
	xmlCleanupParser();
}

int
main(int argc, char **argv)
{
	static const struct pl_daemon cib = {
		.role = "cib",
		.usage = "the CIB is kept in <state root>/cib (-S)\n"
			 "environment: PL_STATE_DIR, PL_IPC_PREFIX, PL_NODE_NAME (update-origin),\n"
			 "  PL_CIB_DIGEST_MS (divergence check period, 60000),\n"
			 "  PL_CIB_MEMBERSHIP_TIMEOUT_MS (wait for paceline-membership at start, "
			 "2000),\n"
			 "  PL_CIB_MEMBERSHIP_RETRY_MS (standalone: retry period, 2000)\n",
		.start = cib_start,
		.cleanup = cib_cleanup,
	};

	return pl_daemon_main(&cib, argc, argv);
}
