/*
 * child.c - see child.h. Uses posix_spawn (vfork speed, exec errors reported to the parent)
 * with the child made leader of a new process group, so a timeout can kill everything the
 * agent started. GLib's child watch reaps the leader; output pipes are read as they fill so an
 * agent never blocks on a full pipe, and drained once more when the leader is gone (a daemon
 * the agent left behind may hold them open forever, so EOF is not waited for).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "paceline/child.h"
#include "paceline/log.h"
#include "paceline/mtime.h"

/* Read what is there; true once the stream is finished (fd closed, set to -1). */
static bool
child_read(struct pl_child *c, int i)
{
	char chunk[4096];

	for (;;) {
		ssize_t n = read(c->fd[i], chunk, sizeof(chunk));
		if (n > 0) {
			size_t room =
			    c->out[i].len < c->output_max ? c->output_max - c->out[i].len : 0;
			size_t take = (size_t)n < room ? (size_t)n : room;
			if (take > 0)
				pl_buf_addn(&c->out[i], chunk, take);
			c->dropped[i] += (size_t)n - take;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false;
		/* EOF or a real error: this stream is finished. */
		close(c->fd[i]);
		c->fd[i] = -1;
		return true;
	}
}

static gboolean
child_fd_ready(gint fd, GIOCondition cond, gpointer arg)
{
	struct pl_child *c = arg;
	int i = (fd == c->fd[0]) ? 0 : 1;

	(void)cond;
	if (!child_read(c, i))
		return G_SOURCE_CONTINUE;
	c->fd_src[i] = 0;
	return G_SOURCE_REMOVE;
}

static void
child_signal_group(struct pl_child *c, int sig)
{
	/* The group id is the leader's pid; while any member lives the kernel does not reuse
	 * it, so signalling after the leader was reaped reaches only the leftovers. */
	if (kill(-c->pid, sig) < 0 && errno != ESRCH)
		log_warn("cannot send signal %d to process group %d", sig, (int)c->pid);
}

static gboolean
child_grace_over(gpointer arg)
{
	struct pl_child *c = arg;

	c->grace_src = 0;
	log_debug("process group %d still alive after %ums grace: SIGKILL", (int)c->pid, c->grace_ms);
	child_signal_group(c, SIGKILL);
	return G_SOURCE_REMOVE;
}

static void
child_terminate(struct pl_child *c)
{
	child_signal_group(c, SIGTERM);
	if (c->grace_src == 0)
		c->grace_src = g_timeout_add(c->grace_ms, child_grace_over, c);
}

static gboolean
child_timeout(gpointer arg)
{
	struct pl_child *c = arg;

	c->timer_src = 0;
	c->timed_out = true;
	child_terminate(c);
	return G_SOURCE_REMOVE;
}

void
pl_child_kill(struct pl_child *c)
{
	if (c->watch_src == 0 || c->killed || c->timed_out)
		return;
	c->killed = true;
	if (c->timer_src != 0) {
		g_source_remove(c->timer_src);
		c->timer_src = 0;
	}
	child_terminate(c);
}

static void
child_exited(GPid pid, gint wstatus, gpointer arg)
{
	struct pl_child *c = arg;

	(void)pid;
	c->watch_src = 0;
	c->elapsed_ms = pl_mono_ms() - c->started_ms;
	if (WIFEXITED(wstatus)) {
		c->exited = true;
		c->exit_code = WEXITSTATUS(wstatus);
	} else if (WIFSIGNALED(wstatus)) {
		c->term_signal = WTERMSIG(wstatus);
	}
	if (c->timer_src != 0) {
		g_source_remove(c->timer_src);
		c->timer_src = 0;
	}
	if (c->grace_src != 0) {
		g_source_remove(c->grace_src);
		c->grace_src = 0;
	}
	/* A timed-out or killed agent loses what it left behind, at once. */
	if (c->timed_out || c->killed)
		child_signal_group(c, SIGKILL);
	for (int i = 0; i < 2; i++) {
		if (c->fd[i] < 0)
			continue;
		g_source_remove(c->fd_src[i]);
		c->fd_src[i] = 0;
		if (!child_read(c, i)) {
			close(c->fd[i]);
			c->fd[i] = -1;
		}
	}
	g_spawn_close_pid(c->pid);
	c->done(c, c->arg);
}

bool
pl_child_spawn(struct pl_child *c, char *const argv[], char *const envp[], uint32_t timeout_ms,
    uint32_t grace_ms, size_t output_max, pl_child_done_fn done, void *arg)
{
	return pl_child_spawn_input(
	    c, argv, envp, NULL, 0, timeout_ms, grace_ms, output_max, done, arg);
}

/* stdin from a pipe holding `input` whole (written before the child starts, so it must fit
 * the pipe's buffer), or /dev/null when input is NULL. */
static int
input_pipe(const char *input, size_t len)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(p[1], input, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(p[0]);
			close(p[1]);
			return -E2BIG;
		}
		input += n;
		len -= (size_t)n;
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, 0);
	return p[0];
}

bool
pl_child_spawn_input(struct pl_child *c, char *const argv[], char *const envp[], const char *input,
    size_t input_len, uint32_t timeout_ms, uint32_t grace_ms, size_t output_max,
    pl_child_done_fn done, void *arg)
{
	int pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, pin = -1;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, defaults;
	int rc;

	memset(c, 0, sizeof(*c));
	c->fd[0] = c->fd[1] = -1;
	c->output_max = output_max;
	c->grace_ms = grace_ms;
	c->done = done;
	c->arg = arg;

	if (pipe2(pout, O_CLOEXEC | O_NONBLOCK) < 0 || pipe2(perr, O_CLOEXEC | O_NONBLOCK) < 0) {
		c->spawn_errno = errno;
		if (pout[0] >= 0) {
			close(pout[0]);
			close(pout[1]);
		}
		return false;
	}
	/* The child's ends must block like any ordinary stdout. */
	fcntl(pout[1], F_SETFL, 0);
	fcntl(perr[1], F_SETFL, 0);
	if (input != NULL && (pin = input_pipe(input, input_len)) < 0) {
		c->spawn_errno = -pin;
		close(pout[0]);
		close(pout[1]);
		close(perr[0]);
		close(perr[1]);
		return false;
	}

	posix_spawn_file_actions_init(&fa);
	if (pin >= 0)
		posix_spawn_file_actions_adddup2(&fa, pin, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);

	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigfillset(&defaults);
	sigdelset(&defaults, SIGKILL);
	sigdelset(&defaults, SIGSTOP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &defaults);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at,
	    POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
		POSIX_SPAWN_USEVFORK);

	c->started_ms = pl_mono_ms();
	rc = posix_spawn(&c->pid, argv[0], &fa, &at, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(pout[1]);
	close(perr[1]);
	if (pin >= 0)
		close(pin);
	if (rc != 0) {
		c->spawn_errno = rc;
		close(pout[0]);
		close(perr[0]);
		return false;
	}

	c->fd[0] = pout[0];
	c->fd[1] = perr[0];
	for (int i = 0; i < 2; i++)
		c->fd_src[i] =
		    g_unix_fd_add(c->fd[i], G_IO_IN | G_IO_HUP | G_IO_ERR, child_fd_ready, c);
	c->watch_src = g_child_watch_add(c->pid, child_exited, c);
	if (timeout_ms > 0)
		c->timer_src = g_timeout_add(timeout_ms, child_timeout, c);
	return true;
}

void
pl_child_clear(struct pl_child *c)
{
	pl_buf_free(&c->out[0]);
	pl_buf_free(&c->out[1]);
}
