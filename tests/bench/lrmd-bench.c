/*
 * lrmd-bench.c - operations per second of a trivial agent, four ways:
 *	bare	posix_spawn + waitpid of the agent, nothing else (the floor)
 *	core	the executor in-process (queues, environment, process group, pipes, GLib)
 *	ipc	through paceline-lrmd, one operation at a time (request, reply, result event)
 *	par	through paceline-lrmd, R resources at once (throughput on this machine)
 * Usage: lrmd-bench MODE COUNT OCF_ROOT PROVIDER TYPE [RESOURCES]
 * Prints one line: "MODE ops=N seconds=S ops_per_s=X us_per_op=Y".
 *
 * And a helper for tests/integration/lrmd/scale.sh, over one connection:
 *	lrmd-bench many ACTION COUNT OCF_ROOT PROVIDER TYPE STATEDIR [INTERVAL_MS]
 * runs ACTION on resources s0..s{COUNT-1} (parameter state=STATEDIR/sI) in parallel and checks
 * every rc is 0; with INTERVAL_MS it queues detached recurring ops and waits for their first
 * results.
 *	lrmd-bench watch MILLISECONDS
 * subscribes to every result and prints one line per result for that long (tests of the
 * subscription: "RSC ACTION INTERVAL rc=RC status=STATUS user=USER_DATA reason=REASON").
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <glib.h>

#include "exec.h"
#include "paceline/error.h"
#include "paceline/log.h"
#include "paceline/lrmd_client.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "rsc.h"

extern char **environ;

static double
self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	    ru.ru_stime.tv_usec / 1e6;
}

/* Wall time per op, and this process's own CPU per op (agents' CPU is not included). */
static void
report(const char *mode, long n, uint64_t t0)
{
	double s = (double)(pl_mono_us() - t0) / 1e6;

	printf("%s ops=%ld seconds=%.3f ops_per_s=%.0f us_per_op=%.1f self_cpu_us_per_op=%.1f\n",
	    mode, n, s, n / s, s * 1e6 / n, self_cpu_s() * 1e6 / n);
}

static int
bare(long n, const char *path)
{
	char *argv[] = { (char *)path, "monitor", NULL };
	uint64_t t0 = pl_mono_us();

	for (long i = 0; i < n; i++) {
		pid_t pid;
		int st;

		if (posix_spawn(&pid, path, NULL, NULL, argv, environ) != 0 ||
		    waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 1;
	}
	report("bare", n, t0);
	return 0;
}

static long core_left;

static void
core_result(const struct lrmd_result *r)
{
	if (r->act->rc != 0 || r->act->status != PL_LRMD_DONE)
		fprintf(stderr, "core: rc %d status %d\n", r->act->rc, r->act->status);
	core_left--;
}

static int
core(long n, const char *provider, const char *type)
{
	struct pl_error err = PL_ERROR_INIT;
	struct lrmd_exec_req req = { "b", "ocf", provider, type, "monitor", 0, 20000, 0, NULL, NULL,
		NULL, 0, 0 };
	uint64_t t0 = pl_mono_us();

	lrmd_conf_init();
	lrmd_rsc_init(core_result);
	for (long i = 0; i < n; i++) {
		core_left = 1;
		if (lrmd_rsc_exec(&req, &err) == 0)
			return 1;
		while (core_left > 0)
			g_main_context_iteration(NULL, true);
	}
	report("core", n, t0);
	return 0;
}

static int
ipc(long n, const char *provider, const char *type)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_lrmd *l = pl_lrmd_connect(5000, &err);
	struct pl_lrmd_params params = PL_LRMD_PARAMS_INIT;
	struct pl_lrmd_op op = { "b", "ocf", provider, type, "monitor", 0, 20000, 0, 0, &params,
		NULL, NULL };
	const char *kv = getenv("BENCH_PARAM"); /* "name=value": one instance parameter */

	if (kv != NULL && strchr(kv, '=') != NULL) {
		char *name = xstrndup(kv, (size_t)(strchr(kv, '=') - kv));

		pl_lrmd_params_set(&params, name, strchr(kv, '=') + 1);
		free(name);
	}
	struct pl_lrmd_result res;
	uint64_t t0 = pl_mono_us();

	if (l == NULL) {
		fprintf(stderr, "%s\n", err.text);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (!pl_lrmd_exec_wait(l, &op, 30000, &res, &err) || res.rc != 0) {
			fprintf(stderr, "ipc: %s\n", err.text);
			return 1;
		}
		pl_lrmd_result_clear(&res);
	}
	report("ipc", n, t0);
	pl_lrmd_disconnect(l);
	pl_lrmd_params_free(&params);
	return 0;
}

static int
par(long n, long nrsc, const char *provider, const char *type)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_lrmd *l = pl_lrmd_connect(5000, &err);
	struct pl_lrmd_result res;
	uint64_t t0 = pl_mono_us();
	long sent = 0, got = 0;

	if (l == NULL) {
		fprintf(stderr, "%s\n", err.text);
		return 1;
	}
	/* Keep every resource busy: one op in flight per resource. */
	for (; sent < nrsc && sent < n; sent++) {
		char id[32];
		struct pl_lrmd_op op = { id, "ocf", provider, type, "monitor", 0, 20000, 0, 0, NULL,
			NULL, NULL };

		snprintf(id, sizeof(id), "p%ld", sent % nrsc);
		if (pl_lrmd_exec(l, &op, &err) == 0)
			return 1;
	}
	while (got < n) {
		if (!pl_lrmd_next_result(l, 30000, &res, &err)) {
			fprintf(stderr, "par: %s\n", err.text);
			return 1;
		}
		got++;
		if (sent < n) {
			struct pl_lrmd_op op = { res.rsc_id, "ocf", provider, type, "monitor", 0,
				20000, 0, 0, NULL, NULL, NULL };

			if (pl_lrmd_exec(l, &op, &err) == 0)
				return 1;
			sent++;
		}
		pl_lrmd_result_clear(&res);
	}
	report("par", n, t0);
	pl_lrmd_disconnect(l);
	return 0;
}

static int
many(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_lrmd *l;
	struct pl_lrmd_result res;
	const char *action = argv[2], *provider = argv[5], *type = argv[6], *dir = argv[7];
	long n = atol(argv[3]), bad = 0;
	uint32_t interval = argc > 8 ? (uint32_t)atol(argv[8]) : 0;
	GHashTable *calls = g_hash_table_new(g_direct_hash, g_direct_equal);

	setenv("OCF_ROOT", argv[4], 1);
	if ((l = pl_lrmd_connect(30000, &err)) == NULL) {
		fprintf(stderr, "%s\n", err.text);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		struct pl_lrmd_params params = PL_LRMD_PARAMS_INIT;
		char id[32], *state;
		struct pl_lrmd_op op = { id, "ocf", provider, type, action, interval, 20000, 0,
			interval > 0 ? PL_LRMD_EXEC_DETACHED : 0, &params, NULL, NULL };
		uint32_t call;

		snprintf(id, sizeof(id), "s%ld", i);
		state = xasprintf("%s/%s", dir, id);
		pl_lrmd_params_set(&params, "state", state);
		call = pl_lrmd_exec(l, &op, &err);
		free(state);
		pl_lrmd_params_free(&params);
		if (call == 0) {
			fprintf(stderr, "%s %s: %s\n", action, id, err.text);
			return 1;
		}
		g_hash_table_add(calls, GUINT_TO_POINTER(call));
	}
	while (g_hash_table_size(calls) > 0) {
		if (!pl_lrmd_next_result(l, 60000, &res, &err)) {
			fprintf(stderr, "%s: %u results missing: %s\n", action,
			    g_hash_table_size(calls), err.text);
			return 1;
		}
		if (g_hash_table_remove(calls, GUINT_TO_POINTER(res.call_id)) && res.rc != 0) {
			fprintf(stderr, "%s %s: rc %d (%s)\n", action, res.rsc_id, res.rc,
			    pl_lrmd_status_name(res.status));
			bad++;
		}
		pl_lrmd_result_clear(&res);
	}
	g_hash_table_destroy(calls);
	pl_lrmd_disconnect(l);
	return bad == 0 ? 0 : 1;
}

static int
watch(long ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_lrmd *l = pl_lrmd_connect(30000, &err);
	struct pl_lrmd_result res;
	uint64_t deadline = pl_deadline((uint64_t)ms);

	if (l == NULL || !pl_lrmd_subscribe(l, &err)) {
		fprintf(stderr, "%s\n", err.text);
		return 1;
	}
	printf("subscribed\n");
	fflush(stdout);
	while (pl_deadline_left(deadline) > 0) {
		if (!pl_lrmd_next_result(l, (int)pl_deadline_left(deadline), &res, &err))
			break;
		printf("%s %s %u rc=%d status=%d user=%s reason=%s\n", res.rsc_id, res.action,
		    res.interval_ms, res.rc, res.status, res.user_data, res.exit_reason);
		fflush(stdout);
		pl_lrmd_result_clear(&res);
	}
	pl_lrmd_disconnect(l);
	return 0;
}

int
main(int argc, char **argv)
{
	long n;
	char *path;

	if (argc == 3 && strcmp(argv[1], "watch") == 0) {
		log_init("lrmd-bench");
		return watch(atol(argv[2]));
	}
	if (argc < 6) {
		fprintf(
		    stderr, "usage: lrmd-bench bare|core|ipc|par COUNT OCF_ROOT PROVIDER TYPE [RESOURCES]\n");
		return 64;
	}
	log_init("lrmd-bench");
	log_set_level(PL_LOG_WARNING);
	if (strcmp(argv[1], "many") == 0)
		return argc >= 8 ? many(argc, argv) : 64;
	n = atol(argv[2]);
	setenv("OCF_ROOT", argv[3], 1);
	path = xasprintf("%s/resource.d/%s/%s", argv[3], argv[4], argv[5]);
	if (strcmp(argv[1], "bare") == 0)
		return bare(n, path);
	if (strcmp(argv[1], "core") == 0)
		return core(n, argv[4], argv[5]);
	if (strcmp(argv[1], "ipc") == 0)
		return ipc(n, argv[4], argv[5]);
	if (strcmp(argv[1], "par") == 0)
		return par(n, argc > 6 ? atol(argv[6]) : 8, argv[4], argv[5]);
	return 64;
}
