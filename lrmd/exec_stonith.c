/*
 * exec_stonith.c - resources of class stonith (fence devices), as Pacemaker's executor runs
 * them: the device itself belongs to paceline-stonithd, which reads it from the CIB and
 * fences with it; here a start checks the device answers (the agent's monitor action) and
 * marks it started, a stop marks it stopped, a probe reports whether it was started, and a
 * recurring monitor runs the agent's monitor action again. Agents of both families:
 * fence-agents (key=value lines on stdin) from $PL_FENCE_AGENT_DIR or /usr/sbin, and
 * cluster-glue plugins through its `stonith` command ($PL_STONITH_CMD or /usr/sbin/stonith).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "exec.h"
#include "paceline/buf.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

static GHashTable *started; /* rsc id -> (nothing): devices started on this node */

extern char **environ;

static void
mark(const char *rsc, bool on)
{
	if (started == NULL)
		started = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	if (on)
		g_hash_table_add(started, xstrdup(rsc));
	else
		g_hash_table_remove(started, rsc);
}

static void
stonith_child_done(struct pl_child *c, void *arg)
{
	struct lrmd_action *a = arg;

	a->running = false;
	a->exec_ms = c->elapsed_ms;
	free(a->exit_reason);
	a->exit_reason = NULL;
	if (c->killed) {
		a->rc = PL_OCF_ERR_GENERIC;
		a->status = PL_LRMD_CANCELLED;
	} else if (c->timed_out) {
		a->rc = PL_OCF_ERR_GENERIC;
		a->status = PL_LRMD_TIMED_OUT;
		a->exit_reason = xasprintf("fence agent %s timed out", a->type);
	} else if (!c->exited || c->exit_code != 0) {
		const char *err = pl_buf_str(&c->out[1]);
		size_t n = strcspn(err, "\n");
		a->rc = PL_OCF_ERR_GENERIC;
		a->status = PL_LRMD_DONE;
		a->exit_reason = xasprintf("fence agent %s monitor failed%s%.*s", a->type,
		    n ? ": " : "", (int)(n > 200 ? 200 : n), err);
	} else {
		a->rc = PL_OCF_SUCCESS;
		a->status = PL_LRMD_DONE;
	}
	if (a->status == PL_LRMD_DONE)
		mark(a->rsc_id, a->rc == PL_OCF_SUCCESS || strcmp(a->action, "start") != 0);
	pl_child_clear(c);
	a->done(a, a->done_arg);
}

/* The agent's monitor action (the device answers). */
static void
run_monitor(struct lrmd_action *a)
{
	const char *dir = getenv("PL_FENCE_AGENT_DIR"), *cmd = getenv("PL_STONITH_CMD");
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	struct pl_buf in = { 0 };
	bool glue = strncmp(a->type, "fence_", 6) != 0;
	char *input = NULL;

	if (strchr(a->type, '.') || (!glue && strchr(a->type, '/'))) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
		    "invalid fence agent name %s", a->type);
		g_ptr_array_free(argv, TRUE);
		return;
	}
	if (glue) {
		g_ptr_array_add(argv, g_strdup(cmd && *cmd ? cmd : "/usr/sbin/stonith"));
		g_ptr_array_add(argv, g_strdup("-t"));
		g_ptr_array_add(argv, g_strdup(a->type));
		for (size_t i = 0; i < a->params.n; i++)
			if (strncmp(a->params.name[i], "pcmk_", 5) != 0)
				g_ptr_array_add(argv,
				    g_strdup_printf("%s=%s", a->params.name[i], a->params.value[i]));
		g_ptr_array_add(argv, g_strdup("-S"));
	} else {
		g_ptr_array_add(
		    argv, g_strdup_printf("%s/%s", dir && *dir ? dir : "/usr/sbin", a->type));
		pl_buf_add(&in, "action=monitor\n");
		for (size_t i = 0; i < a->params.n; i++)
			if (strncmp(a->params.name[i], "pcmk_", 5) != 0 &&
			    strchr(a->params.value[i], '\n') == NULL)
				pl_buf_addf(&in, "%s=%s\n", a->params.name[i], a->params.value[i]);
		input = pl_buf_steal(&in);
	}
	g_ptr_array_add(argv, NULL);
	if (access(g_ptr_array_index(argv, 0), X_OK) != 0) {
		lrmd_exec_finish_later(a, PL_OCF_ERR_INSTALLED, PL_LRMD_NOT_INSTALLED,
		    "fence agent %s not found (%s)", a->type, (char *)g_ptr_array_index(argv, 0));
	} else if (!pl_child_spawn_input(&a->child, (char **)argv->pdata, environ, input,
		       input ? strlen(input) : 0,
		       a->timeout_ms ? a->timeout_ms : lrmd_conf.default_timeout_ms,
		       lrmd_conf.kill_grace_ms, lrmd_conf.output_max, stonith_child_done, a)) {
		lrmd_exec_finish_later(
		    a, PL_OCF_ERR_GENERIC, PL_LRMD_ERROR, "cannot run fence agent %s", a->type);
	}
	free(input);
	g_ptr_array_free(argv, TRUE);
}

void
lrmd_stonith_start(struct lrmd_action *a)
{
	bool is_started = started && g_hash_table_contains(started, a->rsc_id);

	if (strcmp(a->action, "stop") == 0) {
		mark(a->rsc_id, false);
		lrmd_exec_finish_later(a, PL_OCF_SUCCESS, PL_LRMD_DONE, NULL);
	} else if (strcmp(a->action, "monitor") == 0 && (a->interval_ms == 0 || !is_started)) {
		/* a probe: the device is "running" here once started */
		lrmd_exec_finish_later(
		    a, is_started ? PL_OCF_SUCCESS : PL_OCF_NOT_RUNNING, PL_LRMD_DONE, NULL);
	} else if (strcmp(a->action, "start") == 0 || strcmp(a->action, "monitor") == 0) {
		run_monitor(a);
	} else {
		lrmd_exec_finish_later(a, PL_OCF_ERR_UNIMPLEMENTED, PL_LRMD_NOT_SUPPORTED,
		    "fence devices have no %s action", a->action);
	}
}

void
lrmd_stonith_clear(void)
{
	if (started)
		g_hash_table_destroy(started);
	started = NULL;
}
