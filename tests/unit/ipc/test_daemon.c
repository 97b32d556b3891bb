/*
 * test_daemon.c - the daemon skeleton: option handling and exit codes, a failing start, an
 * orderly stop on SIGTERM through the daemon's stop hook, the shared paths (-c, -S, -R and
 * their environment variables) and paceline.conf's logging section (each run in a forked child, because
 * pl_daemon_main owns the process: logging, signals, the main loop).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/log.h"

static int seen_x; /* value of the daemon's own option -x */
static bool fail_start;
static int stop_calls;

static bool
t_option(int ch, const char *arg)
{
	if (ch != 'x')
		return false;
	seen_x = atoi(arg);
	return seen_x > 0;
}

static gboolean
raise_term(gpointer arg)
{
	(void)arg;
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGTERM); /* a second signal must not call stop again */
	return G_SOURCE_REMOVE;
}

static gboolean
finish_stop(gpointer arg)
{
	(void)arg;
	pl_daemon_quit();
	return G_SOURCE_REMOVE;
}

static bool
t_start(struct pl_error *err)
{
	if (fail_start) {
		pl_error_set(err, 78, "cannot start: configuration is wrong");
		return false;
	}
	g_idle_add(raise_term, NULL);
	return true;
}

static void
t_stop(void)
{
	stop_calls++;
	g_timeout_add(10, finish_stop, NULL); /* an asynchronous orderly stop */
}

static void
t_cleanup(void)
{
	/* Exit codes carry what the child saw: after a run, the stop hook ran exactly once; after
	 * a failed start, never. */
	if (stop_calls != (fail_start ? 0 : 1) || seen_x != 7)
		_exit(99);
}

static const struct option t_longopts[] = { { "ex", required_argument, NULL, 'x' }, { 0, 0, 0, 0 } };
static const struct pl_daemon t_daemon = {
	.role = "testd",
	.usage = "  -x N\n",
	.shortopts = "x:",
	.longopts = t_longopts,
	.option = t_option,
	.start = t_start,
	.stop = t_stop,
	.cleanup = t_cleanup,
};

/* Run pl_daemon_main in a child with these arguments; its exit status. */
static int
run(bool fail, const char *a1, const char *a2)
{
	char *argv[] = { "paceline-testd", (char *)a1, (char *)a2, NULL };
	int argc = a1 == NULL ? 1 : a2 == NULL ? 2 : 3;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int devnull = open("/dev/null", 1);

		dup2(devnull, 1);
		dup2(devnull, 2);
		fail_start = fail;
		_exit(pl_daemon_main(&t_daemon, argc, argv));
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
test_options(void **state)
{
	(void)state;
	assert_int_equal(run(false, "-h", NULL), 0);
	assert_int_equal(run(false, "--bogus", NULL), 64);
	assert_int_equal(run(false, "-x", "0"), 64); /* the daemon's hook refused it */
	assert_int_equal(run(false, "-x", "7"), 0);
	assert_int_equal(run(false, "--ex=7", "extra"), 64); /* no positional arguments */
	assert_int_equal(run(false, "--syslog", "nonsense"), 1);
	assert_int_equal(run(false, "-l", "/nonexistent-dir/x.log"), 1);
}

static void
test_stop_and_failure(void **state)
{
	(void)state;
	assert_int_equal(run(false, "--ex=7", "-V"), 0); /* SIGTERM -> stop hook -> quit -> 0 */
	assert_int_equal(run(true, "--ex=7", NULL), 78); /* start's error code is the exit code */
}

static char expect_state[256], expect_conf[320];

static gboolean
quit_now(gpointer arg)
{
	(void)arg;
	pl_daemon_quit();
	return G_SOURCE_REMOVE;
}

static bool
p_start(struct pl_error *err)
{
	if (strcmp(pl_daemon_state_dir(), expect_state) != 0 ||
	    strcmp(pl_daemon_config(), expect_conf) != 0 || !pl_daemon_run_dir_given() ||
	    strcmp(pl_daemon_run_dir(), "/tmp/run-x") != 0) {
		pl_error_set(err, 3, "paths: %s %s %s", pl_daemon_state_dir(), pl_daemon_config(),
		    pl_daemon_run_dir());
		return false;
	}
	log_notice("paths ok");
	g_idle_add(quit_now, NULL);
	return true;
}

static const struct pl_daemon p_daemon = { .role = "testd", .start = p_start };

static int
run_paths(char **argv, int argc)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int devnull = open("/dev/null", 1);

		dup2(devnull, 1);
		dup2(devnull, 2);
		_exit(pl_daemon_main(&p_daemon, argc, argv));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
test_paths_and_logging(void **state)
{
	char dir[] = "/tmp/pl-daemontest-XXXXXX", conf[300], logf[300], cmd[400];
	char *argv1[] = { "paceline-testd", "-R", "/tmp/run-x", NULL };
	char *argv2[] = { "paceline-testd", "-S", "/x/root", "--config", conf, "-R", "/tmp/run-x",
		NULL };
	FILE *f;
	char line[512];
	bool found = false;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/paceline.conf", dir);
	snprintf(logf, sizeof(logf), "%s/daemon.log", dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "logging {\n\tto_syslog: no\n\tto_logfile: yes\n\tlogfile: %s\n}\n", logf);
	fclose(f);

	/* from the environment: state root + role, config */
	setenv("PL_STATE_DIR", "/env/root", 1);
	setenv("PL_CONF", conf, 1);
	snprintf(expect_state, sizeof(expect_state), "/env/root/testd");
	snprintf(expect_conf, sizeof(expect_conf), "%s", conf);
	assert_int_equal(run_paths(argv1, 3), 0);
	/* the logging section was applied: the daemon's line is in the file */
	f = fopen(logf, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		found = found || (strstr(line, "testd") != NULL && strstr(line, "paths ok") != NULL);
	fclose(f);
	assert_true(found);

	/* options win over the environment */
	unsetenv("PL_CONF");
	snprintf(expect_state, sizeof(expect_state), "/x/root/testd");
	assert_int_equal(run_paths(argv2, 7), 0);
	snprintf(expect_state, sizeof(expect_state), "/elsewhere/testd");
	assert_int_equal(run_paths(argv2, 7), 3); /* the check itself can fail */
	unsetenv("PL_STATE_DIR");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_stop_and_failure),
		cmocka_unit_test(test_paths_and_logging),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
