/*
 * status.c - `paceline-launcher --status`: asks the running launcher (launcher.def) and
 * prints the node's state and one line per child. When no launcher answers it says so, with
 * the reason the stack last stopped for (the launcher leaves it in its run directory).
 * Exit codes: 0 running, 1 starting or stopping, 102 not running.
 */
#include <stdio.h>
#include <stdlib.h>

#include "launcher.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/xalloc.h"

static void
duration(char *buf, size_t len, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (ms == 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%llu.%01llus", (unsigned long long)s,
		    (unsigned long long)(ms % 1000) / 100);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)s / 60,
		    (unsigned long long)s % 60);
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)s / 3600,
		    (unsigned long long)(s / 60) % 60);
}

static int
not_running(const struct pl_error *err)
{
	const char *run = getenv("PL_RUN_DIR");
	char *path = xasprintf(
	    "%s/%s", run && *run ? run : LAUNCHER_DEFAULT_RUN_DIR, LAUNCHER_LAST_STOP_FILE);
	char line[512];
	FILE *f = fopen(path, "r");

	printf("paceline-launcher is not running (%s)\n", err->text);
	if (f != NULL) {
		if (fgets(line, sizeof(line), f) != NULL)
			printf("last stop: %s", line);
		fclose(f);
	}
	free(path);
	return PL_EXIT_DISCONNECT;
}

static bool
print_child(struct pl_ipc_conn *c, uint32_t i, struct pl_error *err)
{
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	const char *name, *binary, *state, *last;
	int32_t pid;
	uint32_t restarts;
	uint64_t up, respawn;
	char ups[32], pids[16];
	bool ok;

	pl_msg_pack(&p, PL_MSG_LAUNCHER_CHILD, i);
	ok = pl_ipc_call(c, PL_MSG_LAUNCHER_CHILD, &p, PL_MSG_LAUNCHER_CHILD_REPLY, 5000, &m, err);
	pl_pack_free(&p);
	if (ok) {
		ok = pl_msg_unpack(&m, PL_MSG_LAUNCHER_CHILD_REPLY, &name, &binary, &state, &pid,
		    &restarts, &up, &respawn, &last);
		if (!ok)
			pl_msg_unpack_error(&m, PL_MSG_LAUNCHER_CHILD_REPLY, err);
	}
	if (ok) {
		duration(ups, sizeof(ups), up);
		snprintf(pids, sizeof(pids), pid > 0 ? "%d" : "-", (int)pid);
		printf("  %-11s %-9s %-8s %8u  %-8s %s", name, state, pids, restarts, ups,
		    *last ? last : "-");
		if (respawn > 0)
			printf(" (respawn in %llu ms)", (unsigned long long)respawn);
		if (*state == 's' && state[1] == 'k')
			printf(" (%s not installed)", binary);
		printf("\n");
	}
	pl_ipc_msg_clear(&m);
	return ok;
}

int
launcher_status_main(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_LAUNCHER, 2000, &err);
	const char *state, *reason;
	uint32_t pid, n;
	uint64_t up;
	char ups[32];
	int rc;

	if (c == NULL)
		return not_running(&err);
	if (!pl_ipc_call(
		c, PL_MSG_LAUNCHER_STATUS, NULL, PL_MSG_LAUNCHER_STATUS_REPLY, 5000, &m, &err))
		goto fail;
	if (!pl_msg_unpack(&m, PL_MSG_LAUNCHER_STATUS_REPLY, &state, &reason, &pid, &up, &n)) {
		pl_msg_unpack_error(&m, PL_MSG_LAUNCHER_STATUS_REPLY, &err);
		goto fail;
	}
	duration(ups, sizeof(ups), up);
	printf("paceline-launcher (pid %u, up %s): stack %s%s%s\n", pid, ups, state,
	    *reason ? ": " : "", reason);
	rc = state[0] == 'r' ? 0 : 1;
	pl_ipc_msg_clear(&m);
	printf("  %-11s %-9s %-8s %8s  %-8s %s\n", "child", "state", "pid", "restarts", "uptime",
	    "last exit");
	for (uint32_t i = 0; i < n; i++)
		if (!print_child(c, i, &err))
			goto fail;
	pl_ipc_disconnect(c);
	return rc;
fail:
	pl_ipc_msg_clear(&m);
	pl_ipc_disconnect(c);
	fprintf(stderr, "paceline-launcher --status: %s\n", err.text);
	return err.code ? err.code : PL_EXIT_ERROR;
}
