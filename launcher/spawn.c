/*
 * spawn.c - starting one child of the stack: fork, a session of its own (so a terminal's ^C
 * reaches only the launcher, which then stops the children in order), SIGTERM when the
 * launcher dies (a stack without its supervisor must not linger), default signal handling,
 * stdin from /dev/null, stdout/stderr shared with the launcher (the journal, or the log the
 * launcher writes to), privileges dropped for the hacluster rows, then exec. An exec failure
 * is reported back through a close-on-exec pipe, so the supervisor sees ENOENT/EACCES as a
 * failed start rather than as a crash.
 *
 * Not pl_child (include/paceline/child.h, which runs agents): that one is posix_spawn, captures
 * the output into a buffer and owns the timeout and the SIGTERM/SIGKILL sequence. A daemon
 * must change user (initgroups/setgid/setuid, impossible with posix_spawn), get PDEATHSIG,
 * write to the launcher's own stderr, and the supervisor (sup.h) owns its kill sequence.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "launcher.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define HACLUSTER_USER	"hacluster"
#define HACLUSTER_GROUP "haclient"

extern char **environ;

char *
launcher_default_daemon_dir(void)
{
	char self[PATH_MAX], *dir, *probe;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		dir = g_path_get_dirname(self);
		probe = xasprintf("%s/paceline-membership", dir);
		if (access(probe, X_OK) == 0) {
			free(probe);
			return dir;
		}
		free(probe);
		g_free(dir);
	}
	return xstrdup(PL_INSTALL_DAEMON_DIR);
}

bool
launcher_spawn_init(
    struct launcher_spawn *sp, const char *daemon_dir, bool all_root, struct pl_error *err)
{
	struct passwd *pw;
	struct group *gr;

	memset(sp, 0, sizeof(*sp));
	sp->daemon_dir = xstrdup(daemon_dir);
	if (geteuid() != 0) {
		log_notice("not running as root: every daemon runs as uid %d", (int)geteuid());
		return true;
	}
	if (all_root) {
		log_warnx("--all-root: cib, attrd, pengine and crmd run as root instead "
			  "of " HACLUSTER_USER " (meant for tests)");
		return true;
	}
	pw = getpwnam(HACLUSTER_USER);
	gr = getgrnam(HACLUSTER_GROUP);
	if (pw == NULL || gr == NULL) {
		pl_error_set(err, PL_EXIT_NOUSER,
		    "%s %s does not exist (the install creates it: "
		    "cmake --install, or useradd -r -g haclient hacluster; "
		    "--all-root runs everything as root, for tests)",
		    pw == NULL ? "user" : "group", pw == NULL ? HACLUSTER_USER : HACLUSTER_GROUP);
		free(sp->daemon_dir);
		sp->daemon_dir = NULL;
		return false;
	}
	sp->drop = true;
	sp->hc_uid = pw->pw_uid;
	sp->hc_gid = gr->gr_gid;
	return true;
}

static bool
drops(const struct launcher_spawn *sp, const struct launcher_child_def *def)
{
	return sp->drop && def->user == LAUNCHER_USER_HACLUSTER;
}

void
launcher_spawn_prepare_dirs(const struct launcher_spawn *sp, const char *state_dir)
{
	if (g_mkdir_with_parents(state_dir, 0755) != 0)
		log_warn("cannot create %s", state_dir);
	for (size_t i = 0; i < launcher_nchildren; i++) {
		const struct launcher_child_def *def = &launcher_children[i];
		char *dir;

		dir = xasprintf("%s/%s", state_dir, def->name);
		if (mkdir(dir, 0750) != 0 && errno != EEXIST)
			log_warn("cannot create %s", dir);
		else if (drops(sp, def) && chown(dir, sp->hc_uid, sp->hc_gid) != 0)
			log_warn("cannot give %s to %s:%s", dir, HACLUSTER_USER, HACLUSTER_GROUP);
		free(dir);
	}
}

bool
launcher_spawn_installed(const struct launcher_spawn *sp, const struct launcher_child_def *def)
{
	char *path = xasprintf("%s/%s", sp->daemon_dir, def->binary);
	bool ok = access(path, X_OK) == 0;

	free(path);
	return ok;
}

/* In the forked child: never returns. Reports errno on `fd` when exec is impossible. */
static void __attribute__((noreturn)) child_exec(const struct launcher_spawn *sp,
    const struct launcher_child_def *def, const char *path, pid_t parent, int fd)
{
	char *argv[] = { (char *)path, NULL };
	sigset_t none;
	int e, devnull;

	setsid();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) /* the launcher died before prctl */
		_exit(PL_EXIT_ERROR);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0 && devnull != 0) {
		dup2(devnull, 0);
		close(devnull);
	}
	if (drops(sp, def) &&
	    (initgroups(HACLUSTER_USER, sp->hc_gid) != 0 || setgid(sp->hc_gid) != 0 ||
		setuid(sp->hc_uid) != 0))
		goto fail;
	execve(path, argv, environ);
fail:
	e = errno;
	if (write(fd, &e, sizeof(e)) < 0) {
		/* nothing left to tell anyone */
	}
	_exit(127);
}

pid_t
launcher_spawn_child(const struct launcher_spawn *sp, const struct launcher_child_def *def)
{
	char *path = xasprintf("%s/%s", sp->daemon_dir, def->binary);
	pid_t parent = getpid(), pid;
	int p[2], e = 0;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) != 0) {
		e = errno;
		free(path);
		errno = e;
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child_exec(sp, def, path, parent, p[1]);
	}
	e = errno;
	close(p[1]);
	free(path);
	if (pid < 0) {
		close(p[0]);
		errno = e;
		return -1;
	}
	do {
		n = read(p[0], &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n == (ssize_t)sizeof(e)) { /* exec (or the user switch) failed */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		errno = e;
		return -1;
	}
	return pid;
}
