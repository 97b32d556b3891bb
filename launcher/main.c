/*
 * main.c - paceline-launcher: what `systemctl start paceline` runs. Reads paceline.conf,
 * then starts the node's daemons in the order of its table (table.h), each once the one
 * before answers on its IPC, supervises them (respawn with crash-loop throttling, or stop
 * the node) and stops them in reverse order on SIGTERM. The decisions are the supervisor's
 * (sup.h, pure); this file is its I/O: fork/exec (spawn.c), child watches, one timer for the
 * next deadline, IPC probes, the status service (server.c) and systemd notification.
 *
 *	paceline-launcher [common options] [-d DAEMON_DIR] [--all-root] [tunables]
 *	paceline-launcher --status
 *
 * The common options (-c CONF, -S STATE_ROOT, -R RUN_ROOT, -V, -l, -f ...) are the skeleton's;
 * the paths chosen are passed on to every child as PL_CONF, PL_STATE_DIR and PL_RUN_DIR, so
 * the whole stack uses the same ones. PL_IPC_PREFIX and the rest of the environment pass
 * unchanged.
 * Exit codes: 0 after a requested stop, 1 when membership was lost, 100 after a crash loop,
 * 78 for a bad paceline.conf, 67 when user hacluster is missing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launcher.h"
#include "paceline/conf.h"
#include "paceline/daemon.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"

#define OPT_ALL_ROOT 0x180 /* long-only; 0x100 is the skeleton's --syslog */
#define OPT_TUNABLE  0x200 /* + index into tunable_opts */

static struct {
	char *daemon_dir;
	bool all_root;
	struct launcher_tunables t;
	struct launcher_spawn sp;
	struct launcher_sup sup;
	bool sup_ready;
	guint timer;
	int exit_code;
} L;

static const struct {
	const char *name;
	size_t off;
} tunable_opts[] = {
	{ "start-timeout", offsetof(struct launcher_tunables, start_timeout_ms) },
	{ "min-uptime", offsetof(struct launcher_tunables, min_uptime_ms) },
	{ "backoff", offsetof(struct launcher_tunables, backoff_first_ms) },
	{ "backoff-max", offsetof(struct launcher_tunables, backoff_max_ms) },
	{ "deaths-max", offsetof(struct launcher_tunables, deaths_max) },
	{ "window", offsetof(struct launcher_tunables, window_ms) },
	{ "probe", offsetof(struct launcher_tunables, probe_ms) },
	{ "stop-timeout", offsetof(struct launcher_tunables, stop_timeout_ms) },
};
#define N_TUNABLES (sizeof(tunable_opts) / sizeof(tunable_opts[0]))

static const char *
run_dir(void)
{
	return pl_daemon_run_dir();
}

/* ---- the supervisor's ops ---- */

static void rearm(void);

static void
on_child_exit(GPid pid, gint wstatus, gpointer arg)
{
	(void)arg;
	g_spawn_close_pid(pid);
	if (L.sup_ready)
		launcher_sup_exited(&L.sup, pid, wstatus, pl_mono_ms());
	rearm();
}

static pid_t
op_spawn(void *arg, const struct launcher_child_def *def)
{
	pid_t pid = launcher_spawn_child(&L.sp, def);

	(void)arg;
	if (pid > 0)
		g_child_watch_add(pid, on_child_exit, NULL);
	return pid;
}

static void
op_signal(void *arg, pid_t pid, int sig)
{
	(void)arg;
	if (pid > 0 && kill(pid, sig) != 0 && errno != ESRCH)
		log_warn("cannot send signal %d to pid %d", sig, (int)pid);
}

static bool
op_probe(void *arg, const struct launcher_child_def *def)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(def->ready_svc, 200, &err);

	(void)arg;
	if (c == NULL)
		return false;
	pl_ipc_disconnect(c);
	return true;
}

static bool
op_gone(void *arg, pid_t pid)
{
	siginfo_t info;

	(void)arg;
	memset(&info, 0, sizeof(info));
	/* WNOWAIT: look without reaping; the child watch reaps it and delivers its exit. */
	return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    info.si_pid == pid;
}

static bool
op_installed(void *arg, const struct launcher_child_def *def)
{
	(void)arg;
	return launcher_spawn_installed(&L.sp, def);
}

static void
save_last_stop(const char *reason)
{
	char *path = xasprintf("%s/%s", run_dir(), LAUNCHER_LAST_STOP_FILE);
	char when[32];
	time_t now = time(NULL);
	FILE *f;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (g_mkdir_with_parents(run_dir(), 0755) != 0 || (f = fopen(path, "w")) == NULL) {
		log_warn("cannot write %s", path);
	} else {
		fprintf(f, "%s %s\n", when, reason);
		fclose(f);
	}
	free(path);
}

static void
op_node_state(void *arg, enum launcher_node_state st, const char *reason)
{
	size_t ready = 0;

	(void)arg;
	switch (st) {
	case LAUNCHER_NODE_RUNNING:
		for (size_t i = 0; i < L.sup.n; i++)
			ready += L.sup.child[i].state == LAUNCHER_CHILD_READY;
		launcher_notify("READY=1\nSTATUS=running: %zu daemons", ready);
		break;
	case LAUNCHER_NODE_STOPPING:
		launcher_notify("STOPPING=1\nSTATUS=stopping: %s", reason);
		break;
	case LAUNCHER_NODE_STOPPED:
		save_last_stop(reason);
		L.exit_code = launcher_sup_exit_code(&L.sup);
		pl_daemon_quit();
		break;
	default: break;
	}
}

static const struct launcher_sup_ops sup_ops = {
	.spawn = op_spawn,
	.signal = op_signal,
	.probe = op_probe,
	.gone = op_gone,
	.installed = op_installed,
	.node_state = op_node_state,
};

/* ---- the one timer: the supervisor's next deadline ---- */

static gboolean
on_timer(gpointer arg)
{
	(void)arg;
	L.timer = 0;
	launcher_sup_tick(&L.sup, pl_mono_ms());
	rearm();
	return G_SOURCE_REMOVE;
}

static void
rearm(void)
{
	uint64_t next, now = pl_mono_ms();

	if (L.timer != 0)
		g_source_remove(L.timer);
	L.timer = 0;
	if (!L.sup_ready || L.sup.state == LAUNCHER_NODE_STOPPED)
		return;
	next = launcher_sup_next_wakeup(&L.sup);
	if (next == UINT64_MAX)
		return;
	L.timer = g_timeout_add(next > now ? (guint)(next - now) : 0, on_timer, NULL);
}

/* ---- the daemon skeleton's hooks ---- */

static bool
parse_ms(const char *name, const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *arg == '-' || *end != '\0' || errno != 0 || v > UINT32_MAX) {
		fprintf(stderr, "paceline-launcher: --%s: '%s' is not a number\n", name, arg);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool
launcher_option(int ch, const char *arg)
{
	switch (ch) {
	case 'd':
		free(L.daemon_dir);
		L.daemon_dir = xstrdup(arg);
		return true;
	case OPT_ALL_ROOT: L.all_root = true; return true;
	}
	if (ch >= OPT_TUNABLE && ch < OPT_TUNABLE + (int)N_TUNABLES) {
		size_t i = (size_t)(ch - OPT_TUNABLE);
		return parse_ms(
		    tunable_opts[i].name, arg, (uint32_t *)((char *)&L.t + tunable_opts[i].off));
	}
	return false;
}

/* paceline.conf must parse; the launcher reads only what it logs (the daemons read the rest). */
static bool
check_conf(struct pl_error *err)
{
	struct pl_conf_node *root = pl_conf_parse_file(pl_daemon_config(), err);
	const char *name;
	size_t nodes = 0;

	if (root == NULL)
		return false;
	name = pl_conf_get(
	    pl_conf_section(root, "totem") ? pl_conf_section(root, "totem") : root, "cluster_name");
	PL_CONF_FOREACH_SECTION(root, "nodelist", nl)
	PL_CONF_FOREACH_SECTION(nl, "node", n)
	nodes++;
	log_notice("starting the node's stack: cluster '%s', %zu nodes in %s, daemons from %s",
	    name ? name : "(unnamed)", nodes, pl_daemon_config(), L.daemon_dir);
	pl_conf_free(root);
	return true;
}

static bool
launcher_start(struct pl_error *err)
{
	struct pl_ipc_conn *other;
	struct pl_error e = PL_ERROR_INIT;

	if (L.daemon_dir == NULL)
		L.daemon_dir = launcher_default_daemon_dir();
	if (!check_conf(err))
		return false;
	other = pl_ipc_connect(PL_SVC_LAUNCHER, 200, &e);
	if (other != NULL) {
		pl_ipc_disconnect(other);
		pl_error_set(
		    err, PL_EXIT_EXISTS, "another paceline-launcher is running on this node");
		return false;
	}
	if (!launcher_spawn_init(&L.sp, L.daemon_dir, L.all_root, err))
		return false;
	/* the children use the paths this launcher was given */
	setenv("PL_CONF", pl_daemon_config(), 1);
	setenv("PL_STATE_DIR", pl_daemon_state_root(), 1);
	if (pl_daemon_run_dir_given())
		setenv("PL_RUN_DIR", pl_daemon_run_dir(), 1);
	launcher_spawn_prepare_dirs(&L.sp, pl_daemon_state_root());
	launcher_sup_init(&L.sup, launcher_children, launcher_nchildren, &L.t, &sup_ops, NULL);
	L.sup_ready = true;
	if (!launcher_server_start(&L.sup, err))
		return false;
	launcher_sup_start(&L.sup, pl_mono_ms());
	rearm();
	return true;
}

static void
launcher_stop(void)
{
	launcher_sup_stop(&L.sup, "shutdown requested", pl_mono_ms());
	rearm();
}

static void
launcher_cleanup(void)
{
	if (L.timer != 0)
		g_source_remove(L.timer);
	launcher_server_stop();
	if (L.sup_ready)
		launcher_sup_free(&L.sup);
	free(L.sp.daemon_dir);
	free(L.daemon_dir);
}

int
main(int argc, char **argv)
{
	static struct option opts[2 + N_TUNABLES + 1];
	static char usage[2048];
	static const struct pl_daemon launcher = {
		.role = "launcher",
		.usage = usage,
		.shortopts = "d:",
		.longopts = opts,
		.option = launcher_option,
		.start = launcher_start,
		.stop = launcher_stop,
		.cleanup = launcher_cleanup,
	};
	struct launcher_tunables def;
	int rc;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--status") == 0 || strcmp(argv[i], "-s") == 0) {
			log_init("launcher");
			return launcher_status_main();
		}
	opts[0] = (struct option){ "daemon-dir", required_argument, NULL, 'd' };
	opts[1] = (struct option){ "all-root", no_argument, NULL, OPT_ALL_ROOT };
	for (size_t i = 0; i < N_TUNABLES; i++)
		opts[2 + i] = (struct option){ tunable_opts[i].name, required_argument, NULL,
			OPT_TUNABLE + (int)i };
	launcher_tunables_default(&def);
	snprintf(usage, sizeof(usage),
	    "  -d, --daemon-dir DIR   where the paceline-* daemons are (default: beside this\n"
	    "                         program if they are there, else " PL_INSTALL_DAEMON_DIR ")\n"
	    "      --all-root         run every daemon as root (tests; default: cib, attrd,\n"
	    "                         pengine and crmd run as hacluster:haclient)\n"
	    "  -s, --status           print the state of the running launcher and its daemons\n"
	    "tunables (milliseconds, or a count):\n"
	    "      --start-timeout MS a daemon not answering this long after start is killed (%u)\n"
	    "      --min-uptime MS    a death sooner after start is early: respawn throttled (%u)\n"
	    "      --backoff MS       delay after the first early death, doubling (%u)\n"
	    "      --backoff-max MS   ... up to this (%u)\n"
	    "      --deaths-max N     this many deaths of one daemon ... (%u)\n"
	    "      --window MS        ... within this window stop the node's stack (%u)\n"
	    "      --probe MS         readiness probe period (%u)\n"
	    "      --stop-timeout MS  SIGKILL this long after SIGTERM (default: per daemon)\n"
	    "the daemons get the same paceline.conf, state and run roots (PL_CONF, PL_STATE_DIR,\n"
	    "PL_RUN_DIR) and the rest of the environment (PL_IPC_PREFIX, OCF_ROOT, ...)\n",
	    def.start_timeout_ms, def.min_uptime_ms, def.backoff_first_ms, def.backoff_max_ms,
	    def.deaths_max, def.window_ms, def.probe_ms);
	L.t = def;
	rc = pl_daemon_main(&launcher, argc, argv);
	return rc != 0 ? rc : L.exit_code;
}
