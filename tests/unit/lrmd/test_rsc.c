/*
 * test_rsc.c - operation queues: one resource's operations never overlap, different
 * resources run in parallel, recurring monitors keep their rhythm (scheduled from the planned
 * start), results are reported on change, cancel, stop cancels recurring ops, history.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "paceline/error.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "rsc.h"

struct seen {
	char rsc[64], action[32];
	uint32_t interval, call_id;
	int rc, status;
};

static struct seen results[512];
static int nresults;

static void
collect(const struct lrmd_result *r)
{
	struct seen *s;

	if (nresults >= (int)(sizeof(results) / sizeof(results[0])))
		return;
	s = &results[nresults++];
	snprintf(s->rsc, sizeof(s->rsc), "%s", r->rsc->id);
	snprintf(s->action, sizeof(s->action), "%s", r->act->action);
	s->interval = r->act->interval_ms;
	s->call_id = r->op->call_id;
	s->rc = r->act->rc;
	s->status = r->act->status;
}

static int
count(const char *rsc, const char *action, int status)
{
	int n = 0;

	for (int i = 0; i < nresults; i++)
		if (strcmp(results[i].rsc, rsc) == 0 && strcmp(results[i].action, action) == 0 &&
		    (status == 99 || results[i].status == status))
			n++;
	return n;
}

static bool flag_false;

static void
spin(uint32_t ms)
{
	helper_run_until(&flag_false, ms);
}

static bool
wait_results(int n, uint32_t ms)
{
	uint64_t end = pl_mono_ms() + ms;

	while (nresults < n && pl_mono_ms() < end)
		if (!g_main_context_iteration(NULL, false))
			g_usleep(1000);
	return nresults >= n;
}

static uint32_t
exec(const char *rsc, const char *type, const char *action, uint32_t interval, const char *k,
    const char *v)
{
	struct pl_lrmd_params params = PL_LRMD_PARAMS_INIT;
	struct pl_error err = PL_ERROR_INIT;
	struct lrmd_exec_req req = { rsc, "ocf", "test", type, action, interval, 5000, 0, &params,
		NULL, "key-1", 7, 0 };
	uint32_t id;

	if (k != NULL)
		pl_lrmd_params_set(&params, k, v);
	id = lrmd_rsc_exec(&req, &err);
	pl_lrmd_params_free(&params);
	assert_false(pl_error_isset(&err));
	assert_true(id > 0);
	return id;
}

static int
setup(void **state)
{
	*state = helper_root_new();
	nresults = 0;
	lrmd_rsc_stats_reset();
	lrmd_rsc_init(collect);
	/* Appends "B action" and "E action" around a pause to $OCF_RESKEY_log. */
	helper_agent(*state, "marker",
	    "echo \"B $1\" >>\"$OCF_RESKEY_log\"; sleep 0.1;"
	    " echo \"E $1\" >>\"$OCF_RESKEY_log\"; exit 0");
	/* rc from a file, default 0 */
	helper_agent(
	    *state, "filerc", "[ -f \"$OCF_RESKEY_f\" ] && exit $(cat \"$OCF_RESKEY_f\"); exit 0");
	helper_agent(*state, "slowmon", "sleep 0.05; exit 0");
	return 0;
}

static int
teardown(void **state)
{
	lrmd_rsc_shutdown();
	spin(100);
	lrmd_rsc_shutdown();
	helper_root_free(*state);
	return 0;
}

static void
test_serialised(void **state)
{
	char *log = xasprintf("%s/m.log", (char *)*state), *text = NULL;
	uint64_t t0 = pl_mono_ms();

	exec("a", "marker", "start", 0, "log", log);
	exec("a", "marker", "monitor", 0, "log", log);
	exec("a", "marker", "stop", 0, "log", log);
	assert_true(wait_results(3, 5000));
	assert_true(g_file_get_contents(log, &text, NULL, NULL));
	assert_string_equal(text, "B start\nE start\nB monitor\nE monitor\nB stop\nE stop\n");
	assert_true(pl_mono_ms() - t0 >= 300);
	/* in request order */
	assert_string_equal(results[0].action, "start");
	assert_string_equal(results[2].action, "stop");
	g_free(text);
	free(log);
}

static void
test_parallel(void **state)
{
	uint64_t t0 = pl_mono_ms();

	for (int i = 0; i < 8; i++) {
		char id[16], *log = xasprintf("%s/p%d.log", (char *)*state, i);

		snprintf(id, sizeof(id), "r%d", i);
		exec(id, "marker", "start", 0, "log", log);
		free(log);
	}
	assert_true(wait_results(8, 5000));
	/* 8 x 100 ms one after another would be 800 ms */
	assert_true(pl_mono_ms() - t0 < 600);
	for (int i = 0; i < 8; i++)
		assert_int_equal(results[i].rc, 0);
}

static void
test_recurring_reports_changes(void **state)
{
	char *f = xasprintf("%s/rc", (char *)*state);
	struct lrmd_stats st;
	struct lrmd_rsc *rsc;
	struct lrmd_history *h;

	exec("m", "filerc", "monitor", 50, "f", f);
	assert_true(wait_results(1, 2000));
	assert_int_equal(results[0].rc, 0);
	spin(300);
	lrmd_rsc_stats(&st);
	assert_true(st.recurring_runs >= 4);
	assert_int_equal(nresults, 1); /* unchanged: not reported again */
	assert_true(g_file_set_contents(f, "7", -1, NULL));
	assert_true(wait_results(2, 2000));
	assert_int_equal(results[1].rc, 7);
	assert_int_equal(results[1].status, PL_LRMD_DONE);
	assert_int_equal(results[1].call_id, results[0].call_id);
	spin(200);
	assert_int_equal(nresults, 2);
	rsc = lrmd_rsc_find("m");
	h = g_hash_table_lookup(rsc->history, "monitor:50");
	assert_non_null(h);
	assert_int_equal(h->rc, 7);
	assert_true(h->recurring_active);
	assert_string_equal(h->user_data, "key-1");
	assert_true(lrmd_rsc_cancel("m", "monitor", 50));
	assert_true(wait_results(3, 2000));
	assert_int_equal(results[2].status, PL_LRMD_CANCELLED);
	assert_false(h->recurring_active);
	lrmd_rsc_stats(&st);
	assert_int_equal(st.recurring, 0);
	assert_false(lrmd_rsc_cancel("m", "monitor", 50));
	assert_false(lrmd_rsc_cancel("nobody", "monitor", 50));
	free(f);
}

static void
test_recurring_report_all(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct lrmd_exec_req req = { "all", "ocf", "test", "filerc", "monitor", 50, 5000, 0, NULL,
		NULL, NULL, 0, PL_LRMD_EXEC_REPORT_ALL };

	(void)state;
	assert_true(lrmd_rsc_exec(&req, &err) > 0);
	assert_true(wait_results(4, 2000)); /* unchanged results reported too */
	for (int i = 0; i < 4; i++)
		assert_int_equal(results[i].rc, 0);
	assert_true(lrmd_rsc_cancel("all", "monitor", 50));
}

/* 100 ms monitors of an agent that takes 50 ms: scheduled from the planned start they run
 * 10 times a second; scheduled from completion it would be 6-7. */
static void
test_recurring_no_drift(void **state)
{
	struct lrmd_stats st;
	uint64_t t0 = pl_mono_ms();

	(void)state;
	exec("d", "slowmon", "monitor", 100, NULL, NULL);
	spin(2050);
	lrmd_rsc_stats(&st);
	assert_true(st.recurring_runs >= 19);
	assert_true(st.recurring_runs <= 22);
	assert_true(pl_mono_ms() - t0 < 3000);
	/* every run started close to its planned time */
	assert_true(st.late_max_ms < 60);
	assert_true(lrmd_rsc_cancel("d", "monitor", 100));
}

static void
test_stop_cancels_recurring(void **state)
{
	char *log = xasprintf("%s/s.log", (char *)*state);

	exec("s", "filerc", "monitor", 1000, NULL, NULL);
	exec("s", "filerc", "monitor", 2000, NULL, NULL);
	assert_true(wait_results(2, 2000));
	exec("s", "marker", "stop", 0, "log", log);
	assert_true(wait_results(5, 2000));
	assert_int_equal(count("s", "monitor", PL_LRMD_CANCELLED), 2);
	assert_int_equal(count("s", "stop", PL_LRMD_DONE), 1);
	assert_int_equal(lrmd_rsc_find("s")->recurring, NULL);
	free(log);
}

static void
test_cancel_running(void **state)
{
	(void)state;
	helper_agent(*state, "hang", "exec sleep 100");
	exec("h", "hang", "monitor", 1000, NULL, NULL);
	spin(50);
	assert_true(lrmd_rsc_cancel("h", "monitor", 1000));
	assert_true(wait_results(1, 3000));
	assert_int_equal(results[0].status, PL_LRMD_CANCELLED);
	assert_null(lrmd_rsc_find("h")->running);
}

static void
test_start_delay_and_remove(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct lrmd_exec_req req = { "sd", "ocf", "test", "filerc", "start", 0, 5000, 200, NULL,
		NULL, NULL, 0, 0 };
	uint64_t t0 = pl_mono_ms();

	(void)state;
	assert_true(lrmd_rsc_exec(&req, &err) > 0);
	assert_true(wait_results(1, 2000));
	assert_true(pl_mono_ms() - t0 >= 200);
	assert_true(lrmd_rsc_remove("sd"));
	assert_null(lrmd_rsc_find("sd"));
	assert_false(lrmd_rsc_remove("sd"));
}

static void
test_bad_requests(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct lrmd_exec_req req = { "x", "ocf", NULL, "Dummy", "start", 0, 0, 0, NULL, NULL, NULL,
		0, 0 };

	(void)state;
	assert_int_equal(lrmd_rsc_exec(&req, &err), 0);
	assert_non_null(strstr(err.text, "provider"));
	pl_error_clear(&err);
	req.provider = "heartbeat";
	req.interval_ms = 1000;
	assert_int_equal(lrmd_rsc_exec(&req, &err), 0);
	assert_non_null(strstr(err.text, "recurring"));
	pl_error_clear(&err);
	{
		char longid[300];

		memset(longid, 'r', sizeof(longid) - 1);
		longid[sizeof(longid) - 1] = '\0';
		req.rsc_id = longid;
		req.interval_ms = 0;
		assert_int_equal(lrmd_rsc_exec(&req, &err), 0);
		assert_non_null(strstr(err.text, "limited"));
		pl_error_clear(&err);
	}
	req.rsc_id = "";
	req.interval_ms = 0;
	assert_int_equal(lrmd_rsc_exec(&req, &err), 0);
	assert_null(lrmd_rsc_find("x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_serialised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parallel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recurring_reports_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recurring_report_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recurring_no_drift, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_cancels_recurring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_delay_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
