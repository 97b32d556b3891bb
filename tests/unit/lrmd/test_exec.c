/*
 * test_exec.c - running agents for real: exit codes and reasons, the environment the agent
 * sees, timeouts that kill the whole process group, bounded output, missing agents, classes
 * that cannot run here.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "exec.h"
#include "helpers.h"
#include "paceline/mtime.h"

struct run {
	bool done;
	int calls;
};

static void
on_done(struct lrmd_action *a, void *arg)
{
	struct run *r = arg;

	(void)a;
	r->done = true;
	r->calls++;
}

static struct lrmd_action *
run_action(const char *rclass, const char *type, const char *action, uint32_t timeout_ms,
    uint32_t wait_ms, struct lrmd_action *a)
{
	struct run r = { false, 0 };

	if (a == NULL)
		a = lrmd_action_new("rsc1", rclass, "test", type, action, 0, timeout_ms);
	lrmd_exec_start(a, on_done, &r);
	assert_true(helper_run_until(&r.done, wait_ms));
	/* exactly once */
	for (int i = 0; i < 20; i++)
		g_main_context_iteration(NULL, false);
	assert_int_equal(r.calls, 1);
	return a;
}

static int
setup(void **state)
{
	*state = helper_root_new();
	return 0;
}

static int
teardown(void **state)
{
	helper_root_free(*state);
	return 0;
}

static void
test_exit_codes(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;

	helper_agent(root, "rc", "exit ${OCF_RESKEY_rc:-0}");
	int codes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 190, 191 };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char v[16];

		a = lrmd_action_new("r", "ocf", "test", "rc", "monitor", 0, 5000);
		snprintf(v, sizeof(v), "%d", codes[i]);
		pl_lrmd_params_set(&a->params, "rc", v);
		run_action(NULL, NULL, NULL, 0, 5000, a);
		assert_int_equal(a->status, PL_LRMD_DONE);
		assert_int_equal(a->rc, codes[i]);
		lrmd_action_free(a);
	}
	a = lrmd_action_new("r", "ocf", "test", "rc", "monitor", 0, 5000);
	pl_lrmd_params_set(&a->params, "rc", "42");
	run_action(NULL, NULL, NULL, 0, 5000, a);
	assert_int_equal(a->status, PL_LRMD_DONE);
	assert_int_equal(a->rc, PL_OCF_ERR_GENERIC);
	assert_non_null(strstr(a->exit_reason, "42"));
	lrmd_action_free(a);
}

static void
test_reason_and_output(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;

	helper_agent(root, "why",
	    "echo hello; echo ocf-exit-reason:first >&2;"
	    " echo 'ocf-exit-reason:disk on fire' >&2; exit 6");
	a = run_action("ocf", "why", "start", 5000, 5000, NULL);
	assert_int_equal(a->rc, 6);
	assert_int_equal(a->status, PL_LRMD_DONE);
	assert_string_equal(a->exit_reason, "disk on fire");
	assert_string_equal(a->output, "hello\n");
	lrmd_action_free(a);
}

static void
test_agent_sees_env(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;

	helper_agent(root, "env", "[ \"$1\" = start ] || exit 3; env | grep -E '^OCF_' | sort");
	a = lrmd_action_new("myrsc", "ocf", "test", "env", "start", 0, 4000);
	pl_lrmd_params_set(&a->params, "state", "/tmp/x y");
	pl_lrmd_params_set(&a->meta, "clone-node-max", "1");
	run_action(NULL, NULL, NULL, 0, 5000, a);
	assert_int_equal(a->rc, 0);
	assert_non_null(strstr(a->output, "OCF_RESKEY_state=/tmp/x y\n"));
	assert_non_null(strstr(a->output, "OCF_RESKEY_CRM_meta_clone_node_max=1\n"));
	assert_non_null(strstr(a->output, "OCF_RESKEY_CRM_meta_timeout=4000\n"));
	assert_non_null(strstr(a->output, "OCF_RESKEY_CRM_meta_interval=0\n"));
	assert_non_null(strstr(a->output, "OCF_RESOURCE_INSTANCE=myrsc\n"));
	assert_non_null(strstr(a->output, "OCF_RESOURCE_PROVIDER=test\n"));
	assert_non_null(strstr(a->output, "OCF_RESOURCE_TYPE=env\n"));
	assert_non_null(strstr(a->output, "OCF_ROOT="));
	lrmd_action_free(a);
}

/* A hung agent with helpers, one of which ignores SIGTERM: at the timeout every process of
 * its group is gone, and the result says "timed out". */
static void
test_timeout_kills_group(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;
	uint64_t t0;
	int pgid;

	helper_agent(root, "hang",
	    "sleep 1000 & sh -c 'trap \"\" TERM; sleep 1000; sleep 1000' &"
	    " trap '' TERM; echo started; sleep 1000; sleep 1000");
	a = lrmd_action_new("h", "ocf", "test", "hang", "start", 0, 300);
	t0 = pl_mono_ms();
	run_action(NULL, NULL, NULL, 0, 5000, a);
	pgid = a->child.pid;
	assert_int_equal(a->status, PL_LRMD_TIMED_OUT);
	assert_int_equal(a->rc, PL_OCF_ERR_GENERIC);
	assert_non_null(strstr(a->exit_reason, "timed out after 300ms"));
	/* timeout + grace (300 ms each), not much more */
	assert_true(pl_mono_ms() - t0 >= 300);
	assert_true(pl_mono_ms() - t0 < 3000);
	/* orphans are reaped by init; wait until none of the group is alive */
	for (int i = 0; i < 200 && helper_group_alive(pgid) > 0; i++)
		usleep(10000);
	assert_int_equal(helper_group_alive(pgid), 0);
	lrmd_action_free(a);
}

/* An agent that honours SIGTERM ends before the grace. */
static void
test_timeout_sigterm(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;
	uint64_t t0;

	helper_agent(root, "slow", "exec sleep 1000");
	lrmd_conf.kill_grace_ms = 5000;
	a = lrmd_action_new("s", "ocf", "test", "slow", "monitor", 0, 200);
	t0 = pl_mono_ms();
	run_action(NULL, NULL, NULL, 0, 5000, a);
	assert_int_equal(a->status, PL_LRMD_TIMED_OUT);
	assert_true(pl_mono_ms() - t0 < 2000);
	lrmd_action_free(a);
}

static void
test_output_bound(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;

	helper_agent(root, "chatty",
	    "head -c 1000000 /dev/zero | tr '\\0' x; "
	    "head -c 500000 /dev/zero | tr '\\0' y >&2; echo ocf-exit-reason:lost >&2; exit 0");
	lrmd_conf.output_max = 1000;
	a = run_action("ocf", "chatty", "start", 10000, 10000, NULL);
	assert_int_equal(a->status, PL_LRMD_DONE);
	assert_int_equal(a->rc, 0);
	assert_int_equal(strlen(a->output), 1000);
	assert_null(a->exit_reason); /* it was beyond the bound */
	lrmd_action_free(a);
}

/* A daemon the agent leaves behind, holding stdout open, does not keep the action open. */
static void
test_daemonised_child(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;
	uint64_t t0 = pl_mono_ms();
	int pgid;

	helper_agent(root, "daemon", "sleep 30 & echo ok; exit 0");
	a = run_action("ocf", "daemon", "start", 10000, 5000, NULL);
	assert_int_equal(a->rc, 0);
	assert_string_equal(a->output, "ok\n");
	assert_true(pl_mono_ms() - t0 < 2000);
	pgid = a->child.pid;
	kill(-pgid, SIGKILL);
	lrmd_action_free(a);
}

static void
test_killed_by_signal(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;

	helper_agent(root, "crash", "kill -SEGV $$");
	a = run_action("ocf", "crash", "start", 5000, 5000, NULL);
	assert_int_equal(a->status, PL_LRMD_ERROR);
	assert_int_equal(a->rc, PL_OCF_ERR_GENERIC);
	assert_non_null(strstr(a->exit_reason, "signal 11"));
	lrmd_action_free(a);
}

static void
test_not_installed(void **state)
{
	const char *root = *state;
	char *p = NULL;
	struct lrmd_action *a;

	a = run_action("ocf", "NoSuchAgent", "start", 5000, 5000, NULL);
	assert_int_equal(a->rc, PL_OCF_ERR_INSTALLED);
	assert_int_equal(a->status, PL_LRMD_NOT_INSTALLED);
	assert_non_null(strstr(a->exit_reason, "not found"));
	lrmd_action_free(a);

	helper_agent(root, "noexec", "exit 0");
	p = g_strdup_printf("%s/resource.d/test/noexec", root);
	chmod(p, 0644);
	g_free(p);
	a = run_action("ocf", "noexec", "start", 5000, 5000, NULL);
	assert_int_equal(a->rc, PL_OCF_ERR_INSTALLED);
	assert_int_equal(a->status, PL_LRMD_NOT_INSTALLED);
	lrmd_action_free(a);

	a = run_action("ocf", "../../../bin/true", "start", 5000, 5000, NULL);
	assert_int_equal(a->status, PL_LRMD_NOT_INSTALLED);
	lrmd_action_free(a);
}

static void
test_other_classes(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;

	/* stonith (exec_stonith.c): a missing agent cannot start; a probe says not running
	 * until a start (the agent's monitor action) succeeded, and running after it */
	setenv("PL_FENCE_AGENT_DIR", root, 1);
	a = run_action("stonith", "fence_x", "start", 5000, 5000, NULL);
	assert_int_equal(a->status, PL_LRMD_NOT_INSTALLED);
	assert_non_null(strstr(a->exit_reason, "fence_x"));
	lrmd_action_free(a);
	a = run_action("stonith", "fence_x", "monitor", 5000, 5000, NULL);
	assert_int_equal(a->status, PL_LRMD_DONE);
	assert_int_equal(a->rc, PL_OCF_NOT_RUNNING);
	lrmd_action_free(a);
	if (getenv("PL_TEST_SRCDIR")) {
		char *dir = g_strdup_printf("%s/agents", getenv("PL_TEST_SRCDIR"));
		char *rec = g_strdup_printf("%s/fence.log", root);
		setenv("PL_FENCE_AGENT_DIR", dir, 1);
		setenv("PL_FENCE_RECORD", rec, 1); /* the dummy's record, not /run/paceline's */
		g_free(dir);
		g_free(rec);
		a = run_action("stonith", "fence_paceline_dummy", "start", 5000, 5000, NULL);
		assert_int_equal(a->status, PL_LRMD_DONE);
		assert_int_equal(a->rc, PL_OCF_SUCCESS);
		lrmd_action_free(a);
		a = run_action("stonith", "fence_paceline_dummy", "monitor", 5000, 5000, NULL);
		assert_int_equal(a->rc, PL_OCF_SUCCESS); /* the probe finds it started */
		lrmd_action_free(a);
		a = run_action("stonith", "fence_paceline_dummy", "stop", 5000, 5000, NULL);
		assert_int_equal(a->rc, PL_OCF_SUCCESS);
		lrmd_action_free(a);
		a = run_action("stonith", "fence_paceline_dummy", "monitor", 5000, 5000, NULL);
		assert_int_equal(a->rc, PL_OCF_NOT_RUNNING);
		lrmd_action_free(a);
	}
	unsetenv("PL_FENCE_AGENT_DIR");
	unsetenv("PL_FENCE_RECORD");

	a = run_action("nonsense", "x", "start", 5000, 5000, NULL);
	assert_int_equal(a->status, PL_LRMD_NOT_SUPPORTED);
	lrmd_action_free(a);

	/* systemd where it does not run */
	setenv("PL_SYSTEMD_RUNDIR", "/nonexistent/pl-test", 1);
	a = run_action("systemd", "ssh", "start", 5000, 5000, NULL);
	assert_int_equal(a->rc, PL_OCF_ERR_INSTALLED);
	assert_int_equal(a->status, PL_LRMD_NOT_INSTALLED);
	assert_non_null(strstr(a->exit_reason, "systemd is not running"));
	lrmd_action_free(a);
	a = run_action("systemd", "ssh", "stop", 5000, 5000, NULL);
	assert_int_equal(a->rc, PL_OCF_SUCCESS);
	lrmd_action_free(a);

	/* service: an LSB script when there is one */
	helper_lsb(root, "svc", "case $1 in status) exit 3;; start) exit 0;; *) exit 3;; esac");
	a = run_action("service", "svc", "monitor", 5000, 5000, NULL);
	assert_int_equal(a->status, PL_LRMD_DONE);
	assert_int_equal(a->rc, PL_OCF_NOT_RUNNING);
	lrmd_action_free(a);
	a = run_action("lsb", "svc", "start", 5000, 5000, NULL);
	assert_int_equal(a->rc, PL_OCF_SUCCESS);
	lrmd_action_free(a);
	a = run_action("service", "nosvc", "start", 5000, 5000, NULL);
	assert_int_equal(a->status, PL_LRMD_NOT_INSTALLED);
	lrmd_action_free(a);
	unsetenv("PL_SYSTEMD_RUNDIR");
}

static void
test_cancel(void **state)
{
	const char *root = *state;
	struct lrmd_action *a;
	struct run r = { false, 0 };

	helper_agent(root, "slow2", "exec sleep 1000");
	a = lrmd_action_new("c", "ocf", "test", "slow2", "monitor", 0, 10000);
	lrmd_exec_start(a, on_done, &r);
	for (int i = 0; i < 10; i++)
		g_main_context_iteration(NULL, false);
	lrmd_exec_cancel(a);
	assert_true(helper_run_until(&r.done, 3000));
	assert_int_equal(a->status, PL_LRMD_CANCELLED);
	lrmd_action_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reason_and_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_agent_sees_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kills_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_sigterm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemonised_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_by_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_installed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
