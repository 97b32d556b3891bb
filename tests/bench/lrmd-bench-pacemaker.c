/*
 * lrmd-bench-pacemaker.c - the same sequential-operation measurement as lrmd-bench.c "ipc",
 * against Pacemaker 2.1.5's pacemaker-execd through its public client library (liblrmd), for
 * the ratio in tests/bench/lrmd-bench. Built by that script only where pacemaker-dev is
 * installed; Paceline itself never links Pacemaker.
 * Usage: lrmd-bench-pacemaker COUNT PROVIDER TYPE EXPECTED_RC [NAME=VALUE...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <crm/lrmd.h>
#include <crm/services.h>

static int want_call;
static int got_rc = -1;
static bool got;

static void
on_event(lrmd_event_data_t *ev)
{
	if (ev->type == lrmd_event_exec_complete && ev->call_id == want_call) {
		got_rc = ev->rc;
		got = true;
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	lrmd_t *l;
	long n;
	int want_rc;
	double t0, s;

	if (argc < 5) {
		fprintf(stderr,
		    "usage: lrmd-bench-pacemaker COUNT PROVIDER TYPE EXPECTED_RC [K=V...]\n");
		return 64;
	}
	n = atol(argv[1]);
	want_rc = atoi(argv[4]);
	l = lrmd_api_new();
	if (l->cmds->connect(l, "paceline-bench", NULL) != 0) {
		fprintf(stderr, "cannot connect to pacemaker-execd\n");
		return 102;
	}
	l->cmds->set_callback(l, on_event);
	if (l->cmds->register_rsc(l, "b", "ocf", argv[2], argv[3], lrmd_opt_none) != 0) {
		fprintf(stderr, "cannot register the resource\n");
		return 1;
	}
	t0 = now_s();
	for (long i = 0; i < n; i++) {
		lrmd_key_value_t *params = NULL;

		for (int k = 5; k < argc; k++) {
			char *eq = strchr(argv[k], '=');

			if (eq != NULL) {
				*eq = '\0';
				params = lrmd_key_value_add(params, argv[k], eq + 1);
				*eq = '=';
			}
		}
		got = false;
		want_call =
		    l->cmds->exec(l, "b", "monitor", NULL, 0, 20000, 0, lrmd_opt_none, params);
		if (want_call <= 0) {
			fprintf(stderr, "exec failed: %d\n", want_call);
			return 1;
		}
		while (!got)
			g_main_context_iteration(NULL, TRUE);
		if (got_rc != want_rc) {
			fprintf(stderr, "rc %d, want %d\n", got_rc, want_rc);
			return 1;
		}
	}
	s = now_s() - t0;
	printf("pacemaker-execd ops=%ld seconds=%.3f ops_per_s=%.0f us_per_op=%.1f\n", n, s, n / s,
	    s * 1e6 / n);
	l->cmds->unregister_rsc(l, "b", lrmd_opt_none);
	l->cmds->disconnect(l);
	lrmd_api_delete(l);
	return 0;
}
