/*
 * paceline-lrmd-exec - run resource agent actions through paceline-lrmd (or, with --local,
 * through the same executor in this process), and query the daemon.
 *
 *	paceline-lrmd-exec -r ID -c ocf -P heartbeat -T Dummy -a start -k state=/tmp/x -t 20s
 *
 * prints the result (rc, status, exit reason, timing) and exits with the agent's rc; 102 when
 * the daemon cannot be reached, 124 when no result came in time, 64 on a usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "exec.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/interval.h"
#include "paceline/log.h"
#include "paceline/lrmd_client.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "rsc.h"

enum mode {
	M_EXEC,
	M_CANCEL,
	M_REMOVE,
	M_HISTORY,
	M_CLASSES,
	M_PROVIDERS,
	M_AGENTS,
	M_METADATA,
	M_STATS
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: paceline-lrmd-exec -r ID -c CLASS [-P PROVIDER] -T TYPE -a ACTION [options]\n"
	    "       paceline-lrmd-exec --cancel -r ID -a ACTION -i INTERVAL\n"
	    "       paceline-lrmd-exec --remove -r ID | --history [-r ID] | --stats\n"
	    "       paceline-lrmd-exec --list-classes | --list-providers | --list-agents "
	    "CLASS[:PROVIDER]\n"
	    "       paceline-lrmd-exec --metadata -c CLASS [-P PROVIDER] -T TYPE\n"
	    "options:\n"
	    "  -k, --param NAME=VALUE   instance parameter (repeatable)\n"
	    "  -m, --meta NAME=VALUE    meta attribute (repeatable)\n"
	    "  -t, --timeout TIME       action timeout (\"20s\", \"500ms\", \"2min\"; default "
	    "20s)\n"
	    "  -i, --interval TIME      recurring interval (monitor)\n"
	    "  -d, --start-delay TIME   wait before the first run\n"
	    "  -w, --wait TIME          how long to wait for the result (default: timeout + 10s)\n"
	    "  -u, --user-data TEXT     opaque text returned with the result\n"
	    "      --detach             a recurring op keeps running after this tool exits\n"
	    "      --report-all         a recurring op reports every run, not only changes\n"
	    "      --no-wait            queue the operation and exit at once\n"
	    "      --output             print the agent's standard output\n"
	    "      --local              run the agent in this process, without paceline-lrmd\n"
	    "  -q, --quiet              print nothing, only exit with the rc\n");
}

/* Pacemaker's time syntax ("20s", "500ms", "2min", "PT20S"; a bare number is seconds). */
static bool
parse_ms(const char *s, uint32_t *ms, struct pl_error *err)
{
	uint64_t v;

	if (!pl_interval_parse_ms(s, &v, err))
		return false;
	if (v > UINT32_MAX) {
		pl_error_set(err, PL_EXIT_USAGE, "time '%s' is longer than 49 days", s);
		return false;
	}
	*ms = (uint32_t)v;
	return true;
}

static bool
add_kv(struct pl_lrmd_params *p, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *name;

	if (eq == NULL || eq == arg)
		return false;
	name = xstrndup(arg, (size_t)(eq - arg));
	pl_lrmd_params_set(p, name, eq + 1);
	free(name);
	return true;
}

static bool quiet, show_output;

static int
print_result(const char *rsc, const char *action, uint32_t interval, uint32_t call_id, int rc,
    int status, const char *reason, const char *output, uint64_t exec_ms, uint64_t queue_ms)
{
	if (quiet)
		return rc;
	printf("%s_%s_%u (call %u): rc=%d (%s) status=%s exec-time=%" G_GUINT64_FORMAT
	       "ms queue-time=%" G_GUINT64_FORMAT "ms\n",
	    rsc, action, interval, call_id, rc, pl_ocf_rc_name(rc), pl_lrmd_status_name(status),
	    exec_ms, queue_ms);
	if (reason != NULL && *reason != '\0')
		printf("exit-reason: %s\n", reason);
	if (show_output && output != NULL && *output != '\0')
		fputs(output, stdout);
	return rc;
}

/* --- local mode: the executor in this process --- */

static struct {
	uint32_t call_id;
	bool done;
	int rc;
} local;

static void
local_result(const struct lrmd_result *r)
{
	if (r->op->call_id != local.call_id || local.done)
		return;
	local.done = true;
	local.rc = print_result(r->rsc->id, r->act->action, r->act->interval_ms, r->op->call_id,
	    r->act->rc, r->act->status, r->act->exit_reason, r->act->output, r->act->exec_ms,
	    r->op->queue_ms);
}

static int
run_local(const struct pl_lrmd_op *op, uint32_t wait_ms)
{
	struct lrmd_exec_req req = { op->rsc_id, op->rclass, op->provider, op->type, op->action,
		op->interval_ms, op->timeout_ms, op->start_delay_ms, op->params, op->meta,
		op->user_data, 0, 0 };
	struct pl_error err = PL_ERROR_INIT;
	uint64_t deadline = pl_deadline(wait_ms);

	lrmd_conf_init();
	lrmd_rsc_init(local_result);
	local.call_id = lrmd_rsc_exec(&req, &err);
	if (local.call_id == 0) {
		fprintf(stderr, "paceline-lrmd-exec: %s\n", err.text);
		return err.code;
	}
	while (!local.done && pl_deadline_left(deadline) > 0)
		g_main_context_iteration(NULL, true);
	lrmd_rsc_shutdown();
	while (g_main_context_iteration(NULL, false))
		;
	if (!local.done) {
		fprintf(stderr, "paceline-lrmd-exec: no result within %ums\n", wait_ms);
		return PL_EXIT_TIMEOUT;
	}
	return local.rc;
}

static int
fail(const struct pl_error *err)
{
	fprintf(stderr, "paceline-lrmd-exec: %s\n", err->text);
	return err->code != 0 ? err->code : PL_EXIT_ERROR;
}

static int
print_list(char **v, const struct pl_error *err)
{
	if (v == NULL)
		return fail(err);
	for (char **p = v; *p != NULL; p++)
		printf("%s\n", *p);
	pl_lrmd_strv_free(v);
	return 0;
}

/* Everything that talks to paceline-lrmd: one request, its answer printed. */
static int
run_remote(enum mode mode, struct pl_lrmd_op *op, char *agents_arg, bool no_wait, uint32_t wait_ms)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_lrmd_result res;
	struct pl_lrmd *l;
	int rc = 0;

	l = pl_lrmd_connect(10000, &err);
	if (l == NULL)
		return fail(&err);
	switch (mode) {
	case M_EXEC:
		if (no_wait) {
			uint32_t id = pl_lrmd_exec(l, op, &err);

			rc = id != 0 ? 0 : fail(&err);
			if (id != 0 && !quiet)
				printf("call %u queued\n", id);
			break;
		}
		if (!pl_lrmd_exec_wait(l, op, (int)wait_ms, &res, &err)) {
			rc = fail(&err);
			break;
		}
		rc = print_result(res.rsc_id, res.action, res.interval_ms, res.call_id, res.rc,
		    res.status, res.exit_reason, res.output, res.exec_ms, res.queue_ms);
		pl_lrmd_result_clear(&res);
		break;
	case M_CANCEL:
		rc = pl_lrmd_cancel(l, op->rsc_id, op->action, op->interval_ms, &err) ? 0
										      : fail(&err);
		break;
	case M_REMOVE: rc = pl_lrmd_remove(l, op->rsc_id, &err) ? 0 : fail(&err); break;
	case M_HISTORY: {
		char *xml = pl_lrmd_history(l, op->rsc_id, &err);

		if (xml == NULL) {
			rc = fail(&err);
			break;
		}
		fputs(xml, stdout);
		free(xml);
		break;
	}
	case M_CLASSES: rc = print_list(pl_lrmd_list(l, "classes", NULL, NULL, &err), &err); break;
	case M_PROVIDERS:
		rc = print_list(pl_lrmd_list(l, "providers", NULL, NULL, &err), &err);
		break;
	case M_AGENTS: {
		char *colon = strchr(agents_arg, ':');

		if (colon != NULL)
			*colon++ = '\0';
		rc = print_list(pl_lrmd_list(l, "agents", agents_arg, colon, &err), &err);
		break;
	}
	case M_METADATA: {
		char *xml = pl_lrmd_metadata(l, op->rclass, op->provider, op->type, &err);

		if (xml == NULL) {
			rc = fail(&err);
			break;
		}
		fputs(xml, stdout);
		free(xml);
		break;
	}
	case M_STATS: {
		struct pl_lrmd_params st = PL_LRMD_PARAMS_INIT;

		if (!pl_lrmd_stats(l, &st, &err)) {
			rc = fail(&err);
			break;
		}
		for (size_t i = 0; i < st.n; i++)
			printf("%s=%s\n", st.name[i], st.value[i]);
		pl_lrmd_params_free(&st);
		break;
	}
	}
	pl_lrmd_disconnect(l);
	return rc;
}

int
main(int argc, char **argv)
{
	enum {
		O_CANCEL = 256,
		O_REMOVE,
		O_HISTORY,
		O_CLASSES,
		O_PROVIDERS,
		O_AGENTS,
		O_METADATA,
		O_STATS,
		O_DETACH,
		O_REPORT_ALL,
		O_NOWAIT,
		O_OUTPUT,
		O_LOCAL
	};
	static const struct option opts[] = {
		{ "rsc", required_argument, NULL, 'r' },
		{ "class", required_argument, NULL, 'c' },
		{ "provider", required_argument, NULL, 'P' },
		{ "type", required_argument, NULL, 'T' },
		{ "action", required_argument, NULL, 'a' },
		{ "param", required_argument, NULL, 'k' },
		{ "meta", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "start-delay", required_argument, NULL, 'd' },
		{ "wait", required_argument, NULL, 'w' },
		{ "user-data", required_argument, NULL, 'u' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "cancel", no_argument, NULL, O_CANCEL },
		{ "remove", no_argument, NULL, O_REMOVE },
		{ "history", no_argument, NULL, O_HISTORY },
		{ "list-classes", no_argument, NULL, O_CLASSES },
		{ "list-providers", no_argument, NULL, O_PROVIDERS },
		{ "list-agents", required_argument, NULL, O_AGENTS },
		{ "metadata", no_argument, NULL, O_METADATA },
		{ "stats", no_argument, NULL, O_STATS },
		{ "detach", no_argument, NULL, O_DETACH },
		{ "report-all", no_argument, NULL, O_REPORT_ALL },
		{ "no-wait", no_argument, NULL, O_NOWAIT },
		{ "output", no_argument, NULL, O_OUTPUT },
		{ "local", no_argument, NULL, O_LOCAL },
		{ NULL, 0, NULL, 0 },
	};
	struct pl_lrmd_params params = PL_LRMD_PARAMS_INIT, meta = PL_LRMD_PARAMS_INIT;
	struct pl_lrmd_op op;
	struct pl_error err = PL_ERROR_INIT;
	enum mode mode = M_EXEC;
	char *agents_arg = NULL;
	uint32_t wait_ms = 0;
	bool no_wait = false, use_local = false;
	int ch, rc = 0;

	memset(&op, 0, sizeof(op));
	log_init("lrmd-exec");
	log_set_level(PL_LOG_WARNING);
	while ((ch = getopt_long(argc, argv, "r:c:P:T:a:k:m:t:i:d:w:u:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': op.rsc_id = optarg; break;
		case 'c': op.rclass = optarg; break;
		case 'P': op.provider = optarg; break;
		case 'T': op.type = optarg; break;
		case 'a': op.action = optarg; break;
		case 'u': op.user_data = optarg; break;
		case 'q': quiet = true; break;
		case 'k':
		case 'm':
			if (!add_kv(ch == 'k' ? &params : &meta, optarg)) {
				fprintf(stderr,
				    "paceline-lrmd-exec: -%c needs NAME=VALUE, not '%s'\n", ch,
				    optarg);
				return PL_EXIT_USAGE;
			}
			break;
		case 't':
		case 'i':
		case 'd':
		case 'w': {
			uint32_t *dst = ch == 't' ? &op.timeout_ms
			    : ch == 'i'		  ? &op.interval_ms
			    : ch == 'd'		  ? &op.start_delay_ms
						  : &wait_ms;

			if (!parse_ms(optarg, dst, &err)) {
				fprintf(stderr, "paceline-lrmd-exec: -%c: %s\n", ch, err.text);
				return PL_EXIT_USAGE;
			}
			break;
		}
		case O_CANCEL: mode = M_CANCEL; break;
		case O_REMOVE: mode = M_REMOVE; break;
		case O_HISTORY: mode = M_HISTORY; break;
		case O_CLASSES: mode = M_CLASSES; break;
		case O_PROVIDERS: mode = M_PROVIDERS; break;
		case O_AGENTS:
			mode = M_AGENTS;
			agents_arg = optarg;
			break;
		case O_METADATA: mode = M_METADATA; break;
		case O_STATS: mode = M_STATS; break;
		case O_DETACH: op.flags |= PL_LRMD_EXEC_DETACHED; break;
		case O_REPORT_ALL: op.flags |= PL_LRMD_EXEC_REPORT_ALL; break;
		case O_NOWAIT: no_wait = true; break;
		case O_OUTPUT: show_output = true; break;
		case O_LOCAL: use_local = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return PL_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "paceline-lrmd-exec: unexpected argument '%s'\n", argv[optind]);
		return PL_EXIT_USAGE;
	}
	op.params = &params;
	op.meta = &meta;
	if (wait_ms == 0)
		wait_ms = (op.timeout_ms != 0 ? op.timeout_ms : 20000) + op.start_delay_ms + 10000;

	if ((mode == M_EXEC &&
		(op.rsc_id == NULL || op.rclass == NULL || op.type == NULL || op.action == NULL)) ||
	    (mode == M_CANCEL && (op.rsc_id == NULL || op.action == NULL)) ||
	    (mode == M_REMOVE && op.rsc_id == NULL) ||
	    (mode == M_METADATA && (op.rclass == NULL || op.type == NULL))) {
		fprintf(stderr, "paceline-lrmd-exec: missing option (see --help)\n");
		return PL_EXIT_USAGE;
	}
	if (use_local) {
		if (mode != M_EXEC || (op.interval_ms > 0 && (op.flags & PL_LRMD_EXEC_DETACHED))) {
			fprintf(stderr, "paceline-lrmd-exec: --local runs one operation only\n");
			return PL_EXIT_USAGE;
		}
		rc = run_local(&op, wait_ms);
		goto out;
	}

	rc = run_remote(mode, &op, agents_arg, no_wait, wait_ms);
out:
	pl_lrmd_params_free(&params);
	pl_lrmd_params_free(&meta);
	return rc;
}
