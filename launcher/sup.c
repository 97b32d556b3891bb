/*
 * sup.c - the supervisor state machine (sup.h). Every child state change goes through
 * child_set(), every node state change through node_set(), each logged once there.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "sup.h"

void
launcher_tunables_default(struct launcher_tunables *t)
{
	t->start_timeout_ms = 60000;
	t->min_uptime_ms = 10000;
	t->backoff_first_ms = 1000;
	t->backoff_max_ms = 30000;
	t->deaths_max = 5;
	t->window_ms = 60000;
	t->probe_ms = 50;
	t->stop_timeout_ms = 0;
}

const char *
launcher_node_state_name(enum launcher_node_state st)
{
	switch (st) {
	case LAUNCHER_NODE_INIT: return "init";
	case LAUNCHER_NODE_STARTING: return "starting";
	case LAUNCHER_NODE_RUNNING: return "running";
	case LAUNCHER_NODE_STOPPING: return "stopping";
	case LAUNCHER_NODE_STOPPED: return "stopped";
	}
	return "?";
}

const char *
launcher_child_state_name(enum launcher_child_state st)
{
	switch (st) {
	case LAUNCHER_CHILD_DOWN: return "down";
	case LAUNCHER_CHILD_SKIPPED: return "skipped";
	case LAUNCHER_CHILD_STARTING: return "starting";
	case LAUNCHER_CHILD_READY: return "ready";
	case LAUNCHER_CHILD_BACKOFF: return "backoff";
	case LAUNCHER_CHILD_STOPPING: return "stopping";
	}
	return "?";
}

int
launcher_sup_exit_code(const struct launcher_sup *s)
{
	switch (s->cause) {
	case LAUNCHER_STOP_NONE:
	case LAUNCHER_STOP_REQUESTED: return 0;
	case LAUNCHER_STOP_NODE_LOST: return 1;
	case LAUNCHER_STOP_CRASH_LOOP: return LAUNCHER_EXIT_FATAL;
	}
	return 1;
}

void
launcher_sup_init(struct launcher_sup *s, const struct launcher_child_def *defs, size_t n,
    const struct launcher_tunables *t, const struct launcher_sup_ops *ops, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->arg = arg;
	s->t = *t;
	s->n = n;
	s->child = xcalloc(n, sizeof(*s->child));
	for (size_t i = 0; i < n; i++) {
		s->child[i].def = &defs[i];
		s->child[i].backoff_ms = t->backoff_first_ms;
	}
}

void
launcher_sup_free(struct launcher_sup *s)
{
	free(s->child);
	s->child = NULL;
}

static void
node_set(struct launcher_sup *s, enum launcher_node_state st)
{
	if (s->state == st)
		return;
	s->state = st;
	if (st == LAUNCHER_NODE_STOPPED)
		log_notice("node stack stopped: %s", s->reason);
	else if (st != LAUNCHER_NODE_STOPPING) /* stopping is logged with its reason */
		log_info("node stack %s", launcher_node_state_name(st));
	s->ops->node_state(s->arg, st, s->reason);
}

static void
child_set(struct launcher_child *c, enum launcher_child_state st)
{
	if (c->state != st)
		log_debug("%s: %s -> %s", c->def->name, launcher_child_state_name(c->state),
		    launcher_child_state_name(st));
	c->state = st;
}

static uint32_t
stop_timeout(const struct launcher_sup *s, const struct launcher_child *c)
{
	return s->t.stop_timeout_ms ? s->t.stop_timeout_ms : c->def->stop_timeout_ms;
}

static void
describe_exit(char *buf, size_t len, int wstatus)
{
	if (WIFEXITED(wstatus))
		snprintf(buf, len, "exited with code %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(wstatus),
		    strsignal(WTERMSIG(wstatus)));
	else
		snprintf(buf, len, "ended (status 0x%x)", wstatus);
}

static void stop_next(struct launcher_sup *s, uint64_t now);

/* Begin stopping the stack (the first reason wins). */
static void begin_stop(struct launcher_sup *s, enum launcher_stop_cause cause, uint64_t now,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void
begin_stop(struct launcher_sup *s, enum launcher_stop_cause cause, uint64_t now, const char *fmt, ...)
{
	va_list ap;

	if (s->state == LAUNCHER_NODE_STOPPING || s->state == LAUNCHER_NODE_STOPPED)
		return;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	s->cause = cause;
	if (cause == LAUNCHER_STOP_REQUESTED)
		log_notice("stopping the node's stack: %s", s->reason);
	else
		log_err("stopping the node's stack: %s", s->reason);
	node_set(s, LAUNCHER_NODE_STOPPING);
	/* Rows waiting to be respawned are not running: drop them now, or their (past)
	 * respawn deadlines would keep waking the loop while later rows stop. */
	for (size_t i = 0; i < s->n; i++)
		if (s->child[i].state == LAUNCHER_CHILD_BACKOFF)
			child_set(&s->child[i], LAUNCHER_CHILD_DOWN);
	stop_next(s, now);
}

/* ---- starting ---- */

static void record_death(struct launcher_sup *s, struct launcher_child *c, uint64_t now);

static void
spawn(struct launcher_sup *s, struct launcher_child *c, uint64_t now)
{
	pid_t pid = s->ops->spawn(s->arg, c->def);

	if (pid < 0) {
		snprintf(c->last_exit, sizeof(c->last_exit), "could not be started: %s",
		    strerror(errno));
		log_warnx("%s: %s", c->def->name, c->last_exit);
		c->pid = 0;
		c->started_ms = now;
		c->was_ready = false;
		record_death(s, c, now);
		return;
	}
	c->pid = pid;
	c->started_ms = now;
	c->killed = false;
	c->was_ready = false;
	log_info("%s started (pid %d)", c->def->name, (int)pid);
	if (c->def->ready_svc == PL_SVC_NONE) {
		c->ready_ms = now;
		c->was_ready = true;
		child_set(c, LAUNCHER_CHILD_READY);
		return;
	}
	c->deadline_ms = now + s->t.start_timeout_ms;
	c->probe_ms = now; /* probe at the next tick */
	child_set(c, LAUNCHER_CHILD_STARTING);
}

/* STARTING: start the first row that is not up yet, once every row before it is. */
static void
advance(struct launcher_sup *s, uint64_t now)
{
	if (s->state != LAUNCHER_NODE_STARTING)
		return;
	for (size_t i = 0; i < s->n; i++) {
		struct launcher_child *c = &s->child[i];

		if (c->state == LAUNCHER_CHILD_READY || c->state == LAUNCHER_CHILD_SKIPPED)
			continue;
		if (c->state != LAUNCHER_CHILD_DOWN)
			return; /* starting, or waiting to be respawned */
		if (c->def->optional && !s->ops->installed(s->arg, c->def)) {
			log_notice("%s: %s is not installed: skipped (optional)", c->def->name,
			    c->def->binary);
			child_set(c, LAUNCHER_CHILD_SKIPPED);
			continue;
		}
		spawn(s, c, now);
		if (c->state != LAUNCHER_CHILD_READY || s->state != LAUNCHER_NODE_STARTING)
			return;
	}
	node_set(s, LAUNCHER_NODE_RUNNING);
}

void
launcher_sup_start(struct launcher_sup *s, uint64_t now)
{
	if (s->state != LAUNCHER_NODE_INIT)
		return;
	s->started_ms = now;
	node_set(s, LAUNCHER_NODE_STARTING);
	advance(s, now);
}

/* ---- deaths ---- */

/* An unexpected death (or a failed spawn): stop the node, or respawn with throttling. */
/*
 * The row before c that died lately or is not up, or NULL. A daemon exits when a daemon it
 * talks to goes away (crmd when pengine does, as Pacemaker's controller does); such a death
 * follows from that one and must not count towards c's own crash loop.
 */
static const struct launcher_child *
cause_before(const struct launcher_sup *s, const struct launcher_child *c, uint64_t now)
{
	for (const struct launcher_child *o = s->child; o < c; o++) {
		if (o->state == LAUNCHER_CHILD_BACKOFF || o->state == LAUNCHER_CHILD_STARTING)
			return o;
		if (o->last_death_ms > 0 && now - o->last_death_ms < s->t.min_uptime_ms)
			return o;
		if (o->pid > 0 && s->ops->gone(s->arg, o->pid))
			return o;
	}
	return NULL;
}

static void
record_death(struct launcher_sup *s, struct launcher_child *c, uint64_t now)
{
	uint64_t up = now - c->started_ms;
	uint32_t recent = 0, delay;
	const struct launcher_child *cause;

	if (s->state == LAUNCHER_NODE_STOPPING) {
		child_set(c, LAUNCHER_CHILD_DOWN);
		stop_next(s, now);
		return;
	}
	if (c->def->death == LAUNCHER_DEATH_STOP_NODE) {
		child_set(c, LAUNCHER_CHILD_DOWN);
		begin_stop(s, LAUNCHER_STOP_NODE_LOST, now, "%s lost: %s %s", c->def->name,
		    c->def->binary, c->last_exit);
		return;
	}
	if (strcmp(c->last_exit, "exited with code 100") == 0) {
		child_set(c, LAUNCHER_CHILD_DOWN);
		begin_stop(s, LAUNCHER_STOP_CRASH_LOOP, now,
		    "%s exited with code 100 (fatal: not respawned)", c->def->name);
		return;
	}
	cause = cause_before(s, c, now);
	c->last_death_ms = now > 0 ? now : 1;
	if (cause != NULL) {
		c->deadline_ms = now;
		child_set(c, LAUNCHER_CHILD_BACKOFF);
		log_warnx("%s %s after %llu ms up, following %s: respawning at once (not counted)",
		    c->def->name, c->last_exit, (unsigned long long)up, cause->def->name);
		return;
	}
	c->deaths[c->death_head] = now;
	c->death_head = (c->death_head + 1) % LAUNCHER_DEATHS_CAP;
	if (c->ndeaths < LAUNCHER_DEATHS_CAP)
		c->ndeaths++;
	for (uint32_t i = 0; i < c->ndeaths; i++)
		if (now - c->deaths[i] < s->t.window_ms)
			recent++;
	if (recent >= s->t.deaths_max) {
		child_set(c, LAUNCHER_CHILD_DOWN);
		begin_stop(s, LAUNCHER_STOP_CRASH_LOOP, now,
		    "%s died %u times within %u s (last: %s): crash loop", c->def->name, recent,
		    s->t.window_ms / 1000, c->last_exit);
		return;
	}
	/* Early: it never answered, or it did not last. */
	if (!c->was_ready || up < s->t.min_uptime_ms) {
		delay = c->backoff_ms;
		c->backoff_ms = c->backoff_ms * 2 < s->t.backoff_max_ms ? c->backoff_ms * 2
									: s->t.backoff_max_ms;
	} else {
		delay = 0;
		c->backoff_ms = s->t.backoff_first_ms;
	}
	c->deadline_ms = now + delay;
	child_set(c, LAUNCHER_CHILD_BACKOFF);
	log_warnx("%s %s after %llu ms up: respawning in %u ms (%u deaths in the last %u s)",
	    c->def->name, c->last_exit, (unsigned long long)up, delay, recent, s->t.window_ms / 1000);
}

bool
launcher_sup_exited(struct launcher_sup *s, pid_t pid, int wstatus, uint64_t now)
{
	struct launcher_child *c = NULL;

	for (size_t i = 0; i < s->n && c == NULL; i++)
		if (s->child[i].pid == pid && pid > 0)
			c = &s->child[i];
	if (c == NULL)
		return false;
	describe_exit(c->last_exit, sizeof(c->last_exit), wstatus);
	c->pid = 0;
	if (c->state == LAUNCHER_CHILD_STOPPING) {
		log_info("%s stopped (%s) after %llu ms", c->def->name, c->last_exit,
		    (unsigned long long)(now - c->deadline_ms + stop_timeout(s, c)));
		child_set(c, LAUNCHER_CHILD_DOWN);
		stop_next(s, now);
		return true;
	}
	record_death(s, c, now);
	advance(s, now);
	return true;
}

/* ---- time ---- */

void
launcher_sup_tick(struct launcher_sup *s, uint64_t now)
{
	for (size_t i = 0; i < s->n; i++) {
		struct launcher_child *c = &s->child[i];

		switch (c->state) {
		case LAUNCHER_CHILD_STARTING:
			if (c->killed)
				break;
			if (now >= c->probe_ms) {
				if (s->ops->probe(s->arg, c->def)) {
					c->ready_ms = now;
					c->was_ready = true;
					child_set(c, LAUNCHER_CHILD_READY);
					log_info("%s ready (pid %d, %llu ms after start)",
					    c->def->name, (int)c->pid,
					    (unsigned long long)(now - c->started_ms));
					break;
				}
				c->probe_ms = now + s->t.probe_ms;
			}
			if (now >= c->deadline_ms) {
				log_warnx("%s (pid %d) not answering %u ms after start: SIGKILL",
				    c->def->name, (int)c->pid, s->t.start_timeout_ms);
				c->killed = true;
				s->ops->signal(s->arg, c->pid, SIGKILL);
			}
			break;
		case LAUNCHER_CHILD_BACKOFF:
			if (now >= c->deadline_ms && s->state != LAUNCHER_NODE_STOPPING &&
			    s->state != LAUNCHER_NODE_STOPPED) {
				c->restarts++;
				spawn(s, c, now);
			}
			break;
		case LAUNCHER_CHILD_STOPPING:
			if (!c->killed && now >= c->deadline_ms) {
				log_warnx("%s (pid %d) still running %u ms after SIGTERM: SIGKILL",
				    c->def->name, (int)c->pid, stop_timeout(s, c));
				c->killed = true;
				s->ops->signal(s->arg, c->pid, SIGKILL);
			}
			break;
		default: break;
		}
	}
	advance(s, now);
}

uint64_t
launcher_sup_next_wakeup(const struct launcher_sup *s)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < s->n; i++) {
		const struct launcher_child *c = &s->child[i];
		uint64_t t = UINT64_MAX;

		switch (c->state) {
		case LAUNCHER_CHILD_STARTING:
			if (!c->killed)
				t = c->probe_ms < c->deadline_ms ? c->probe_ms : c->deadline_ms;
			break;
		case LAUNCHER_CHILD_BACKOFF: t = c->deadline_ms; break;
		case LAUNCHER_CHILD_STOPPING:
			if (!c->killed)
				t = c->deadline_ms;
			break;
		default: break;
		}
		if (t < next)
			next = t;
	}
	return next;
}

/* ---- stopping ---- */

/* Stop the last row still running; STOPPED once none is. One child at a time. */
static void
stop_next(struct launcher_sup *s, uint64_t now)
{
	for (size_t i = s->n; i-- > 0;) {
		struct launcher_child *c = &s->child[i];

		switch (c->state) {
		case LAUNCHER_CHILD_DOWN:
		case LAUNCHER_CHILD_SKIPPED: continue;
		case LAUNCHER_CHILD_BACKOFF: child_set(c, LAUNCHER_CHILD_DOWN); continue;
		case LAUNCHER_CHILD_STOPPING: return;
		case LAUNCHER_CHILD_STARTING:
		case LAUNCHER_CHILD_READY:
			log_info("stopping %s (pid %d)", c->def->name, (int)c->pid);
			child_set(c, LAUNCHER_CHILD_STOPPING);
			c->deadline_ms = now + stop_timeout(s, c);
			c->killed = false;
			s->ops->signal(s->arg, c->pid, SIGTERM);
			return;
		}
	}
	node_set(s, LAUNCHER_NODE_STOPPED);
}

void
launcher_sup_stop(struct launcher_sup *s, const char *reason, uint64_t now)
{
	if (s->state == LAUNCHER_NODE_INIT) {
		snprintf(s->reason, sizeof(s->reason), "%s", reason);
		s->cause = LAUNCHER_STOP_REQUESTED;
		node_set(s, LAUNCHER_NODE_STOPPED);
		return;
	}
	begin_stop(s, LAUNCHER_STOP_REQUESTED, now, "%s", reason);
}
