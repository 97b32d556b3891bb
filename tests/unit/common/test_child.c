/* test_child.c - pl_child: exit code and captured output, the output bound, a spawn error,
 * a timeout that ends the whole process group (SIGTERM, then SIGKILL for one that ignores it),
 * and pl_child_kill. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/child.h"
#include "paceline/mtime.h"

static char *envp[] = { "PATH=/usr/bin:/bin", NULL };

static void
done(struct pl_child *c, void *arg)
{
	(void)c;
	*(bool *)arg = true;
}

/* Run the main loop until done, with a deadline (a hang fails the test). */
static void
run(struct pl_child *c, const char *script, uint32_t timeout_ms, uint32_t grace_ms, size_t max)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	bool finished = false;
	uint64_t deadline = pl_mono_ms() + 10000;

	memset(c, 0, sizeof(*c));
	assert_true(pl_child_spawn(c, argv, envp, timeout_ms, grace_ms, max, done, &finished));
	while (!finished && pl_mono_ms() < deadline)
		g_main_context_iteration(NULL, TRUE);
	assert_true(finished);
}

static void
test_exit_and_output(void **state)
{
	struct pl_child c;

	(void)state;
	run(&c, "echo out; echo err >&2; exit 3", 0, 100, 1024);
	assert_true(c.exited);
	assert_int_equal(c.exit_code, 3);
	assert_false(c.timed_out);
	assert_string_equal(pl_buf_str(&c.out[0]), "out\n");
	assert_string_equal(pl_buf_str(&c.out[1]), "err\n");
	pl_child_clear(&c);

	run(&c, "printf 0123456789", 0, 100, 4); /* the bound: 4 bytes kept, 6 dropped */
	assert_string_equal(pl_buf_str(&c.out[0]), "0123");
	assert_int_equal(c.dropped[0], 6);
	pl_child_clear(&c);
}

static void
test_spawn_error(void **state)
{
	struct pl_child c;
	char *argv[] = { "/nonexistent/program", NULL };
	bool finished = false;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_false(pl_child_spawn(&c, argv, envp, 0, 100, 64, done, &finished));
	assert_int_equal(c.spawn_errno, ENOENT);
	assert_false(finished);
	pl_child_clear(&c);
}

static void
test_timeout_kills_group(void **state)
{
	char pidfile[] = "/tmp/pl-childtest-XXXXXX";
	char script[256];
	struct pl_child c;
	int fd = mkstemp(pidfile), grandchild = 0;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	/* the leader ignores SIGTERM and leaves a grandchild: both must be gone */
	snprintf(script, sizeof(script),
	    "trap '' TERM; sleep 30 & echo $! > %s; while :; do sleep 0.05; done", pidfile);
	run(&c, script, 200, 200, 64);
	assert_true(c.timed_out);
	assert_false(c.exited);
	assert_int_equal(c.term_signal, SIGKILL);
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &grandchild), 1);
	fclose(f);
	unlink(pidfile);
	uint64_t deadline = pl_mono_ms() + 5000; /* reaped by init: poll */
	while (kill(grandchild, 0) == 0 && pl_mono_ms() < deadline)
		usleep(10000);
	assert_int_equal(kill(grandchild, 0), -1);
	pl_child_clear(&c);
}

static void
test_kill(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "sleep 30", NULL };
	struct pl_child c;
	bool finished = false;
	uint64_t deadline = pl_mono_ms() + 10000;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_true(pl_child_spawn(&c, argv, envp, 0, 1000, 64, done, &finished));
	pl_child_kill(&c);
	while (!finished && pl_mono_ms() < deadline)
		g_main_context_iteration(NULL, TRUE);
	assert_true(finished);
	assert_true(c.killed);
	assert_int_equal(c.term_signal, SIGTERM);
	pl_child_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_and_output),
		cmocka_unit_test(test_spawn_error),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_kill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
