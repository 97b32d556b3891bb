/*
 * daemon.c - the skeleton every daemon runs (see include/paceline/daemon.h): common options,
 * logging, the main loop, signals, an orderly stop. Written once so that every daemon answers
 * -V/-l/--syslog/-h the same way and stops the same way.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "paceline/conf.h"
#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define OPT_SYSLOG 0x100 /* long-only option */

static const struct option common_longopts[] = {
	{ "verbose", no_argument, NULL, 'V' },
	{ "logfile", required_argument, NULL, 'l' },
	{ "syslog", required_argument, NULL, OPT_SYSLOG },
	{ "foreground", no_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "state-dir", required_argument, NULL, 'S' },
	{ "run-dir", required_argument, NULL, 'R' },
	{ "help", no_argument, NULL, 'h' },
};
#define COMMON_SHORTOPTS "Vl:fc:S:R:h"

#define DEFAULT_CONFIG	   "/etc/paceline/paceline.conf"
#define DEFAULT_STATE_ROOT "/var/lib/paceline"
#define DEFAULT_RUN_DIR	   "/run/paceline"
#define N_COMMON	   (sizeof(common_longopts) / sizeof(common_longopts[0]))

static GMainLoop *loop;
static const struct pl_daemon *daemon_def;
static bool stopping;
static struct {
	char *config, *state_root, *state_dir, *run_dir;
	bool run_dir_given, foreground, verbose;
} paths;

const char *
pl_daemon_config(void)
{
	return paths.config;
}
const char *
pl_daemon_state_root(void)
{
	return paths.state_root;
}
const char *
pl_daemon_state_dir(void)
{
	return paths.state_dir;
}
const char *
pl_daemon_run_dir(void)
{
	return paths.run_dir;
}
bool
pl_daemon_run_dir_given(void)
{
	return paths.run_dir_given;
}
bool
pl_daemon_foreground(void)
{
	return paths.foreground;
}

static void
free_paths(void)
{
	free(paths.config);
	free(paths.state_root);
	free(paths.state_dir);
	free(paths.run_dir);
	memset(&paths, 0, sizeof(paths));
}

static void
set_path(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/* paceline.conf's `logging` section, when the file exists; errors are warnings here (the
 * daemons that read the rest of the file report them properly). */
static void
apply_logging(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_conf_node *conf;
	const struct pl_conf_node *l;
	const char *v;
	bool to_syslog = true, to_stderr = false, to_logfile = false, timestamp = false, debug;

	if (access(paths.config, F_OK) != 0)
		return;
	conf = pl_conf_parse_file(paths.config, &err);
	if (conf == NULL) {
		log_warnx("logging settings not applied: %s", err.text);
		return;
	}
	l = pl_conf_section(conf, "logging");
	if (l != NULL) {
		if (!pl_conf_get_bool(l, "to_syslog", true, &to_syslog, &err) ||
		    !pl_conf_get_bool(l, "to_stderr", false, &to_stderr, &err) ||
		    !pl_conf_get_bool(l, "to_logfile", false, &to_logfile, &err) ||
		    !pl_conf_get_bool(l, "timestamp", false, &timestamp, &err))
			log_warnx("logging settings: %s", err.text);
		v = pl_conf_get(l, "debug");
		debug = v != NULL &&
		    (strcmp(v, "on") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "trace") == 0);
		if (debug && !paths.verbose)
			log_set_debug(true);
		if (!paths.foreground) {
			log_set_timestamp(timestamp);
			if (to_stderr)
				log_set_stderr(true);
			if (to_syslog &&
			    !log_set_syslog(true,
				pl_conf_get(l, "syslog_facility") != NULL
				    ? pl_conf_get(l, "syslog_facility")
				    : "daemon"))
				log_warnx("%s: logging: unknown syslog_facility '%s'", paths.config,
				    pl_conf_get(l, "syslog_facility"));
		}
		v = pl_conf_get(l, "logfile");
		if (to_logfile && v != NULL && !log_set_file(v))
			log_warn("cannot open the log file %s", v);
	}
	pl_conf_free(conf);
}

GMainLoop *
pl_daemon_loop(void)
{
	return loop;
}

void
pl_daemon_quit(void)
{
	if (loop != NULL)
		g_main_loop_quit(loop);
}

static void
usage(const struct pl_daemon *d, FILE *f)
{
	fprintf(f,
	    "usage: paceline-%s [options]\n"
	    "  -V, --verbose          debug logging\n"
	    "  -l, --logfile FILE     also log to FILE\n"
	    "      --syslog FACILITY  also log to syslog (daemon, local0 ... local7)\n"
	    "  -f, --foreground       log to stderr with timestamps, not to syslog\n"
	    "  -c, --config FILE      paceline.conf ($PL_CONF, " DEFAULT_CONFIG ")\n"
	    "  -S, --state-dir DIR    state root, this daemon's files in DIR/%s\n"
	    "                         ($PL_STATE_DIR, " DEFAULT_STATE_ROOT ")\n"
	    "  -R, --run-dir DIR      run root ($PL_RUN_DIR, " DEFAULT_RUN_DIR ")\n"
	    "  -h, --help             this text\n"
	    "%s",
	    d->role, d->role, d->usage != NULL ? d->usage : "");
}

static gboolean
on_signal(gpointer arg)
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
static struct option *
merge_longopts(const struct option *own)
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
static int
parse_options(const struct pl_daemon *d, int argc, char **argv)
{
	struct option *longopts = merge_longopts(d->longopts);
	char *shortopts = xasprintf(COMMON_SHORTOPTS "%s", d->shortopts != NULL ? d->shortopts : "");
	int ch, rc = 0;

	while (rc == 0 && (ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'V':
			log_set_debug(true);
			paths.verbose = true;
			break;
		case 'f': paths.foreground = true; break;
		case 'c': set_path(&paths.config, optarg); break;
		case 'S': set_path(&paths.state_root, optarg); break;
		case 'R':
			set_path(&paths.run_dir, optarg);
			paths.run_dir_given = true;
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

int
pl_daemon_main(const struct pl_daemon *d, int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	int rc;

	daemon_def = d;
	log_init(d->role);
	paths.config = xstrdup(env_or("PL_CONF", DEFAULT_CONFIG));
	paths.state_root = xstrdup(env_or("PL_STATE_DIR", DEFAULT_STATE_ROOT));
	paths.run_dir_given = getenv("PL_RUN_DIR") != NULL && *getenv("PL_RUN_DIR") != '\0';
	paths.run_dir = xstrdup(env_or("PL_RUN_DIR", DEFAULT_RUN_DIR));
	rc = parse_options(d, argc, argv);
	if (rc != 0) {
		free_paths();
		return rc < 0 ? 0 : rc;
	}
	paths.state_dir = xasprintf("%s/%s", paths.state_root, d->role);
	if (paths.foreground) {
		log_set_stderr(true);
		log_set_timestamp(true);
	}
	apply_logging();
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
	free_paths();
	return rc;
}
