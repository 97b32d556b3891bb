/*
 * pengine_it.c - the client side of the paceline-pengine integration tests (daemon.sh drives
 * it). Subcommands, each exiting 0 when its check holds:
 *
 *   compare FILE [NOW]  the daemon's graph, summary and warnings equal lib/pengine's in-process
 *                       result for the same CIB, byte for byte (prints the transition number)
 *   async FILE          the same through pl_pengine_compute_async on a GLib main loop
 *   call FILE           one request; prints "code N: text" and exits with the code
 *   unpriv FILE         as user nobody (forked, setuid): refused with code 4 (77 when not root)
 *   killed FILE PID     the daemon (PID, stopped by this command) is killed while the request
 *                       waits: the asynchronous call ends with 102
 *   absent              the daemon is absent: 102 within one second
 *   stats               prints the daemon's counters as key=value lines
 */
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <libxml/tree.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/ipc.h"
#include "paceline/mtime.h"
#include "paceline/pengine.h"
#include "paceline/pengine_client.h"
#include "paceline/xalloc.h"

static char *
slurp(const char *path)
{
	gchar *text = NULL;
	GError *e = NULL;
	char *out;

	if (!g_file_get_contents(path, &text, NULL, &e)) {
		fprintf(stderr, "%s\n", e->message);
		exit(66);
	}
	out = xstrdup(text);
	g_free(text);
	return out;
}

static struct pl_ipc_conn *
connect_or_die(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_PENGINE, 5000, &err);

	if (c == NULL) {
		printf("code %d: %s\n", err.code, err.text);
		exit(err.code);
	}
	return c;
}

static bool
same(const char *what, const char *a, const char *b)
{
	size_t i = 0;

	if (strcmp(a, b) == 0)
		return true;
	while (a[i] && a[i] == b[i])
		i++;
	printf("%s differs at byte %zu (daemon %zu bytes, in-process %zu bytes)\n", what, i,
	    strlen(a), strlen(b));
	return false;
}

/* lib/pengine in this process: what the daemon must reproduce. */
static bool
expected(const char *cib, long long now, char **graph, char **summary, char **warn)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_opts o = { 0 };
	struct pl_buf s = PL_BUF_INIT;
	struct pl_pengine_run *run;
	xmlDoc *doc = NULL;

	o.now = now;
	run = pl_pengine_run_text(cib, strlen(cib), "in-process", &o, &doc, &err);
	if (run == NULL) {
		printf("in-process run failed: %s\n", err.text);
		return false;
	}
	*graph = pl_pengine_graph_xml(run);
	pl_pengine_summary_text(run, &s);
	*summary = xstrdup(pl_buf_str(&s));
	*warn = xstrdup(pl_pengine_warnings(run));
	pl_buf_free(&s);
	pl_pengine_free(run);
	xmlFreeDoc(doc);
	return true;
}

static int
check_result(const char *cib, long long now, const struct pl_pengine_result *res)
{
	char *g, *s, *w;
	bool ok;

	if (!expected(cib, now, &g, &s, &w))
		return 1;
	ok = same("graph", res->graph, g) & same("summary", res->summary, s) &
	    same("warnings", res->warnings, w);
	if (strstr(res->graph, "<transition_graph") == NULL) {
		printf("the graph is no transition graph\n");
		ok = false;
	}
	printf("transition %u: %zu bytes of graph%s%s\n", res->transition, strlen(res->graph),
	    *res->input_path ? ", input saved in " : "", res->input_path);
	for (char *l = strtok(s, "\n"); l; l = strtok(NULL, "\n"))
		printf("summary: %s\n", l);
	free(g);
	free(s);
	free(w);
	return ok ? 0 : 1;
}

static int
cmd_compare(const char *file, long long now)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_request rq = PL_PENGINE_REQUEST_INIT;
	struct pl_pengine_result res = PL_PENGINE_RESULT_INIT;
	struct pl_ipc_conn *c = connect_or_die();
	char *cib = slurp(file);
	int rc;

	rq.now = now;
	if (!pl_pengine_compute(c, cib, &rq, 0, &res, &err)) {
		printf("code %d: %s\n", err.code, err.text);
		rc = err.code ? err.code : 1;
	} else
		rc = check_result(cib, now, &res);
	pl_pengine_result_clear(&res);
	pl_ipc_disconnect(c);
	free(cib);
	return rc;
}

struct async_state {
	GMainLoop *loop;
	const char *cib;
	int rc;
};

static void
async_done(const struct pl_pengine_result *res, const struct pl_error *err, void *arg)
{
	struct async_state *st = arg;

	if (res == NULL) {
		printf("code %d: %s\n", err->code, err->text);
		st->rc = err->code ? err->code : 1;
	} else
		st->rc = check_result(st->cib, 0, res);
	g_main_loop_quit(st->loop);
}

static int
cmd_async(const char *file)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = connect_or_die();
	struct async_state st = { g_main_loop_new(NULL, false), slurp(file), 99 };

	pl_ipc_conn_attach(c, NULL, NULL, NULL);
	if (pl_pengine_compute_async(c, st.cib, NULL, 30000, async_done, &st, &err) == 0) {
		printf("code %d: %s\n", err.code, err.text);
		return 1;
	}
	g_main_loop_run(st.loop);
	g_main_loop_unref(st.loop);
	pl_ipc_disconnect(c);
	free((char *)st.cib);
	return st.rc;
}

struct killed_state {
	GMainLoop *loop;
	pid_t pid;
	int code;
};

static void
killed_done(const struct pl_pengine_result *res, const struct pl_error *err, void *arg)
{
	struct killed_state *st = arg;

	st->code = res ? 0 : err->code;
	if (err)
		printf("code %d: %s\n", err->code, err->text);
	g_main_loop_quit(st->loop);
}

static gboolean
kill_daemon(gpointer arg)
{
	struct killed_state *st = arg;

	kill(st->pid, SIGKILL);
	return G_SOURCE_REMOVE;
}

static int
cmd_killed(const char *file, pid_t pid)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = connect_or_die();
	struct killed_state st = { g_main_loop_new(NULL, false), pid, -1 };
	char *cib = slurp(file);

	pl_ipc_conn_attach(c, NULL, NULL, NULL);
	kill(pid, SIGSTOP); /* the request waits unread, as if the engine were busy */
	if (pl_pengine_compute_async(c, cib, NULL, 30000, killed_done, &st, &err) == 0) {
		printf("code %d: %s\n", err.code, err.text);
		return 1;
	}
	g_timeout_add(100, kill_daemon, &st);
	g_main_loop_run(st.loop);
	g_main_loop_unref(st.loop);
	pl_ipc_disconnect(c);
	free(cib);
	return st.code == 102 ? 0 : 1;
}

static int
cmd_call(const char *file)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_result res = PL_PENGINE_RESULT_INIT;
	struct pl_ipc_conn *c = connect_or_die();
	char *cib = slurp(file);
	int rc = 0;

	if (pl_pengine_compute(c, cib, NULL, 0, &res, &err))
		printf("code 0: transition %u%s%s\n", res.transition,
		    *res.input_path ? ", input saved in " : "", res.input_path);
	else {
		printf("code %d: %s\n", err.code, err.text);
		rc = err.code;
	}
	pl_pengine_result_clear(&res);
	pl_ipc_disconnect(c);
	free(cib);
	return rc;
}

static int
cmd_unpriv(const char *file)
{
	struct passwd *pw = getpwnam("nobody");
	pid_t pid;
	int status;

	if (geteuid() != 0 || pw == NULL) {
		printf("not root or no user nobody: skipped\n");
		return 77;
	}
	if ((pid = fork()) == 0) {
		if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0)
			_exit(71);
		_exit(cmd_call(file));
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 4) {
		printf("nobody's request: expected code 4, got status %d\n", status);
		return 1;
	}
	return 0;
}

static int
cmd_absent(void)
{
	struct pl_error err = PL_ERROR_INIT;
	uint64_t t0 = pl_mono_ms(), ms;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_PENGINE, 5000, &err);

	ms = pl_mono_ms() - t0;
	if (c != NULL) {
		printf("connected to a daemon that should be absent\n");
		pl_ipc_disconnect(c);
		return 1;
	}
	printf("code %d in %llu ms: %s\n", err.code, (unsigned long long)ms, err.text);
	return err.code == 102 && ms < 1000 ? 0 : 1;
}

static int
cmd_stats(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = connect_or_die();
	char **kv = pl_pengine_stats(c, 0, &err);

	pl_ipc_disconnect(c);
	if (kv == NULL) {
		printf("code %d: %s\n", err.code, err.text);
		return err.code ? err.code : 1;
	}
	for (char **p = kv; p[0] && p[1]; p += 2)
		printf("%s=%s\n", p[0], p[1]);
	pl_pengine_stats_free(kv);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "compare") == 0)
		return cmd_compare(argv[2], argc > 3 ? atoll(argv[3]) : 0);
	if (argc == 3 && strcmp(argv[1], "async") == 0)
		return cmd_async(argv[2]);
	if (argc == 3 && strcmp(argv[1], "call") == 0)
		return cmd_call(argv[2]);
	if (argc == 3 && strcmp(argv[1], "unpriv") == 0)
		return cmd_unpriv(argv[2]);
	if (argc == 4 && strcmp(argv[1], "killed") == 0)
		return cmd_killed(argv[2], (pid_t)atol(argv[3]));
	if (argc == 2 && strcmp(argv[1], "absent") == 0)
		return cmd_absent();
	if (argc == 2 && strcmp(argv[1], "stats") == 0)
		return cmd_stats();
	fprintf(
	    stderr, "usage: pengine_it compare|async|call|unpriv FILE | killed FILE PID | absent | stats\n");
	return 64;
}
