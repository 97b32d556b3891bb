/*
 * heuristics.c - the quorum device's heuristics runner (see heuristics.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <glib.h>

#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "conf.h"
#include "heuristics.h"

struct child {
	GPid pid;
	guint watch;
	unsigned gen, idx;
};

static struct {
	char *const *names, *const *cmds;
	unsigned n;
	unsigned gen; /* numbers the runs: a late end of a cancelled run is ignored */
	bool running;
	unsigned pending;
	guint timer;
	struct membership_heur_end ends[MEMBERSHIP_MAX_HEURISTICS];
	struct child *children[MEMBERSHIP_MAX_HEURISTICS];
	membership_heuristics_done_fn done;
	void *arg;
} H;

enum membership_heur
membership_heuristics_verdict(const struct membership_heur_end *ends, unsigned n, int *failed)
{
	*failed = -1;
	for (unsigned i = 0; i < n; i++)
		if (!ends[i].finished || !WIFEXITED(ends[i].status) ||
		    WEXITSTATUS(ends[i].status) != 0) {
			*failed = (int)i;
			return MEMBERSHIP_HEUR_FAIL;
		}
	return n ? MEMBERSHIP_HEUR_PASS : MEMBERSHIP_HEUR_UNDEFINED;
}

const char *
membership_heur_name(enum membership_heur h)
{
	return h == MEMBERSHIP_HEUR_PASS ? "Pass"
	    : h == MEMBERSHIP_HEUR_FAIL	 ? "Fail"
					 : "Undefined";
}

void
membership_heuristics_setup(char *const *names, char *const *cmds, unsigned n)
{
	H.names = names;
	H.cmds = cmds;
	H.n = n;
}

bool
membership_heuristics_running(void)
{
	return H.running;
}

/* Kill this run's children still running; reap them now (they die at once on SIGKILL). */
static void
kill_children(void)
{
	for (unsigned i = 0; i < H.n; i++) {
		struct child *c = H.children[i];
		if (!c)
			continue;
		(void)kill(c->pid, SIGKILL);
		g_source_remove(c->watch);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		g_spawn_close_pid(c->pid);
		free(c);
		H.children[i] = NULL;
	}
	if (H.timer)
		g_source_remove(H.timer);
	H.timer = 0;
}

static void
finish(void)
{
	int failed;
	enum membership_heur r = membership_heuristics_verdict(H.ends, H.n, &failed);

	kill_children();
	H.running = false;
	if (r == MEMBERSHIP_HEUR_FAIL) {
		const struct membership_heur_end *e = &H.ends[failed];
		if (!e->finished)
			log_info("quorum device: heuristics fail: exec_%s did not finish in time "
				 "(killed)",
			    H.names[failed]);
		else if (WIFEXITED(e->status))
			log_info("quorum device: heuristics fail: exec_%s exited %d",
			    H.names[failed], WEXITSTATUS(e->status));
		else
			log_info("quorum device: heuristics fail: exec_%s killed by signal %d",
			    H.names[failed], WIFSIGNALED(e->status) ? WTERMSIG(e->status) : 0);
	}
	if (H.done)
		H.done(r, H.arg);
}

static void
on_child(GPid pid, gint status, gpointer data)
{
	struct child *c = data;

	(void)pid;
	g_spawn_close_pid(c->pid);
	H.children[c->idx] = NULL;
	if (c->gen == H.gen && H.running) {
		H.ends[c->idx].finished = true;
		H.ends[c->idx].status = status;
		if (--H.pending == 0) {
			free(c);
			finish();
			return;
		}
	}
	free(c);
}

static gboolean
on_timeout(gpointer data)
{
	(void)data;
	H.timer = 0;
	finish(); /* the unfinished ones fail the run */
	return G_SOURCE_REMOVE;
}

void
membership_heuristics_run(uint32_t timeout_ms, membership_heuristics_done_fn done, void *arg)
{
	if (H.running)
		kill_children();
	H.gen++;
	H.running = true;
	H.done = done;
	H.arg = arg;
	H.pending = 0;
	memset(H.ends, 0, sizeof(H.ends));
	for (unsigned i = 0; i < H.n; i++) {
		char **argv = NULL;
		GError *ge = NULL;
		GPid pid;
		if (!g_shell_parse_argv(H.cmds[i], NULL, &argv, &ge) ||
		    !g_spawn_async(NULL, argv, NULL,
			G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
			    G_SPAWN_STDERR_TO_DEV_NULL,
			NULL, NULL, &pid, &ge)) {
			log_warnx("quorum device: heuristics: exec_%s: %s", H.names[i],
			    ge ? ge->message : "cannot run it");
			if (ge)
				g_error_free(ge);
			g_strfreev(argv);
			H.ends[i].finished = true;
			H.ends[i].status = 127 << 8; /* as a shell says "not found" */
			continue;
		}
		g_strfreev(argv);
		H.children[i] = xcalloc(1, sizeof(struct child));
		H.children[i]->pid = pid;
		H.children[i]->gen = H.gen;
		H.children[i]->idx = i;
		H.children[i]->watch = g_child_watch_add(pid, on_child, H.children[i]);
		H.pending++;
	}
	if (!H.pending) {
		finish();
		return;
	}
	H.timer = g_timeout_add(timeout_ms, on_timeout, NULL);
}

void
membership_heuristics_stop(void)
{
	kill_children();
	H.running = false;
	H.done = NULL;
}
