/*
 * main.c - paceline-pengine: the policy engine daemon. A thin wrapper around lib/pengine:
 * crmd sends a CIB over local IPC (server.c), gets the numbered transition graph back.
 * Optionally keeps the last N inputs on disk (inputs.c) for post-mortems, as Pacemaker's
 * pe-input series. Redirectable for tests: PL_IPC_PREFIX (the IPC name), PL_STATE_DIR.
 *
 * Runs on the daemon skeleton (include/paceline/daemon.h). On SIGTERM/SIGINT it stops serving
 * and exits 0; a request being computed finishes first (the loop is single-threaded).
 */
#include <stdio.h>
#include <stdlib.h>

#include "inputs.h"
#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "server.h"

#define DEFAULT_STATE_DIR "/var/lib/paceline"

static struct pengine_inputs inputs;
static char *inputs_dir;
static unsigned inputs_max;

static bool
parse_max(const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *s == '-' || *end != '\0' || v > 1000000) {
		fprintf(stderr,
		    "paceline-pengine: --inputs-max: '%s' is not a number from 0 to 1000000\n", s);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

static bool
pengine_option(int ch, const char *arg)
{
	switch (ch) {
	case 'i':
		free(inputs_dir);
		inputs_dir = xstrdup(arg);
		return true;
	case 'n': return parse_max(arg, &inputs_max);
	}
	return false;
}

static bool
pengine_start(struct pl_error *err)
{
	if (inputs_dir == NULL)
		inputs_dir = xstrdup(pl_daemon_state_dir()); /* <state root>/pengine */
	if (!pengine_inputs_open(&inputs, inputs_dir, inputs_max, err))
		return false;
	if (!pengine_server_start(&inputs, err))
		return false;
	if (inputs_max > 0)
		log_info("started (saving the last %u inputs in %s)", inputs_max, inputs_dir);
	else
		log_info("started (inputs not saved)");
	return true;
}

static void
pengine_cleanup(void)
{
	pengine_server_stop();
	pengine_inputs_close(&inputs);
	free(inputs_dir);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "inputs-dir", required_argument, NULL, 'i' },
		{ "inputs-max", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pl_daemon pengine = {
		.role = "pengine",
		.usage =
		    "  -i, --inputs-dir DIR   where to save inputs (default <state root>/pengine)\n"
		    "  -n, --inputs-max N     keep the last N inputs as DIR/pe-input-K.xml "
		    "(default 0: off)\n"
		    "environment: PL_IPC_PREFIX, PL_STATE_DIR\n",
		.shortopts = "i:n:",
		.longopts = opts,
		.option = pengine_option,
		.start = pengine_start,
		.cleanup = pengine_cleanup,
	};

	return pl_daemon_main(&pengine, argc, argv);
}
