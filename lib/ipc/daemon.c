/*
 * daemon.c - the skeleton every daemon runs (see include/paceline/daemon.h): common options,
 * logging, the main loop, signals, an orderly stop. Written once so that every daemon answers
 * -V/-l/--syslog/-h the same way and stops the same way.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define OPT_SYSLOG 0x100	/* long-only option */

static const struct option common_longopts[] = {
	{ "verbose", no_argument, NULL, 'V' },
	{ "logfile", required_argument, NULL, 'l' },
	{ "syslog", required_argument, NULL, OPT_SYSLOG },
	{ "help", no_argument, NULL, 'h' },
};
#define N_COMMON (sizeof(common_longopts) / sizeof(common_longopts[0]))

static GMainLoop *loop;
static const struct pl_daemon *daemon_def;
static bool stopping;

GMainLoop *pl_daemon_loop(void) { return loop; }

void pl_daemon_quit(void)
{
	if (loop != NULL)
		g_main_loop_quit(loop);
}

static void usage(const struct pl_daemon *d, FILE *f)
{
	fprintf(f, "usage: paceline-%s [options]\n"
		"  -V, --verbose          debug logging\n"
		"  -l, --logfile FILE     also log to FILE\n"
		"      --syslog FACILITY  also log to syslog (daemon, local0 ... local7)\n"
		"  -h, --help             this text\n"
		"%s", d->role, d->usage != NULL ? d->usage : "");
}

static gboolean on_signal(gpointer arg)
{
	(void)arg;
	if (stopping)
		return G_SOURCE_CONTINUE;
	stopping = true;
	log_info("shutting down");
	if (daemon_def->stop != NULL)
		daemon_def->stop();
	else
		pl_daemon_quit();
	return G_SOURCE_CONTINUE;
}

/* The common options followed by the daemon's own, as getopt_long wants them. */
static struct option *merge_longopts(const struct option *own)
{
	size_t n = 0;
	struct option *all;

	while (own != NULL && own[n].name != NULL)
		n++;
	all = xcalloc(N_COMMON + n + 1, sizeof(*all));
	memcpy(all, common_longopts, sizeof(common_longopts));
	if (n > 0)
		memcpy(all + N_COMMON, own, n * sizeof(*own));
	return all;
}

/* 0 to go on, or the exit code (-1: done, exit 0). Errors return rather than exit, so that
 * nothing allocated here is left behind. */
static int parse_options(const struct pl_daemon *d, int argc, char **argv)
{
	struct option *longopts = merge_longopts(d->longopts);
	char *shortopts = xasprintf("Vl:h%s", d->shortopts != NULL ? d->shortopts : "");
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'V':
			log_set_debug(true);
			break;
		case 'l':
			if (!log_set_file(optarg)) {
				log_warn("cannot open log file %s", optarg);
				rc = PL_EXIT_ERROR;
			}
			break;
		case OPT_SYSLOG:
			if (!log_set_syslog(true, optarg)) {
				log_warnx("unknown syslog facility '%s'", optarg);
				rc = PL_EXIT_ERROR;
			}
			break;
		case 'h':
			usage(d, stdout);
			rc = -1;
			break;
		case '?':
			usage(d, stderr);
			rc = PL_EXIT_USAGE;
			break;
		default:
			if (d->option == NULL || !d->option(ch, optarg)) {
				usage(d, stderr);
				rc = PL_EXIT_USAGE;
			}
		}
	}
	if (rc == 0 && optind != argc) {
		fprintf(stderr, "paceline-%s: unexpected argument '%s'\n", d->role, argv[optind]);
		usage(d, stderr);
		rc = PL_EXIT_USAGE;
	}
	free(shortopts);
	free(longopts);
	return rc;
}

int pl_daemon_main(const struct pl_daemon *d, int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	int rc;

	daemon_def = d;
	log_init(d->role);
	rc = parse_options(d, argc, argv);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	signal(SIGPIPE, SIG_IGN);
	loop = g_main_loop_new(NULL, false);
	if (!d->start(&err)) {
		log_err("%s", err.text);
		rc = err.code != 0 ? err.code : PL_EXIT_ERROR;
	} else {
		g_unix_signal_add(SIGTERM, on_signal, NULL);
		g_unix_signal_add(SIGINT, on_signal, NULL);
		g_main_loop_run(loop);
	}
	if (d->cleanup != NULL)
		d->cleanup();
	g_main_loop_unref(loop);
	loop = NULL;
	if (rc == 0)
		log_info("stopped");
	return rc;
}
