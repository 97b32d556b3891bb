/*
 * agents.c - see agents.h. Everything a run needs (argv, stdin) is built when it starts, so
 * a configuration reload that frees the device meanwhile changes nothing for it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agents.h"
#include "paceline/buf.h"
#include "paceline/child.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"

#define OUTPUT_MAX (256 * 1024)
#define GRACE_MS   2000

struct agents_run {
	char *id;
	char **argv;
	char *input; /* NULL: glue plugins take nothing on stdin */
	uint32_t tries_left;
	uint64_t deadline;
	bool fencing; /* a fencing action: failures are retried */
	struct pl_child child;
	bool running;
	guint timer;
	agents_done_fn done;
	void *arg;
};

extern char **environ;

const char *
agents_dir(void)
{
	const char *d = getenv("PL_FENCE_AGENT_DIR");
	return d && *d ? d : "/usr/sbin";
}

const char *
agents_stonith_cmd(void)
{
	const char *c = getenv("PL_STONITH_CMD");
	return c && *c ? c : "/usr/sbin/stonith";
}

static void
run_free(struct agents_run *r)
{
	if (r->timer)
		g_source_remove(r->timer);
	for (char **a = r->argv; a && *a; a++)
		free(*a);
	free(r->argv);
	free(r->input);
	free(r->id);
	free(r);
}

static void spawn(struct agents_run *r);

static gboolean
retry_now(gpointer arg)
{
	struct agents_run *r = arg;

	r->timer = 0;
	spawn(r);
	return G_SOURCE_REMOVE;
}

static void
child_done(struct pl_child *c, void *arg)
{
	struct agents_run *r = arg;
	char reason[512] = "";
	const char *out;
	int rc;

	r->running = false;
	out = pl_buf_str(&c->out[0]);
	if (c->exited) {
		rc = c->exit_code;
		if (rc != 0) {
			const char *err = pl_buf_str(&c->out[1]);
			size_t n = strcspn(err, "\n");
			snprintf(reason, sizeof(reason), "%s exited with %d%s%.*s", r->argv[0], rc,
			    n ? ": " : "", (int)(n > 300 ? 300 : n), err);
		}
	} else {
		rc = -1;
		snprintf(reason, sizeof(reason), "%s %s", r->argv[0],
		    c->timed_out ? "timed out" : "was killed");
	}
	if (rc != 0 && r->fencing && r->tries_left > 0 && pl_mono_ms() + 1000 < r->deadline) {
		r->tries_left--;
		log_warnx("device %s: %s; trying again", r->id, reason);
		pl_child_clear(c);
		r->timer = g_timeout_add(1000, retry_now, r);
		return;
	}
	r->done(r->arg, rc, out, reason);
	pl_child_clear(c);
	run_free(r);
}

static void
spawn(struct agents_run *r)
{
	uint64_t now = pl_mono_ms();
	uint32_t left = r->deadline > now ? (uint32_t)(r->deadline - now) : 1;

	if (!pl_child_spawn_input(&r->child, r->argv, environ, r->input,
		r->input ? strlen(r->input) : 0, left, GRACE_MS, OUTPUT_MAX, child_done, r)) {
		char reason[512];
		snprintf(reason, sizeof(reason), "cannot run %s: %s", r->argv[0],
		    strerror(r->child.spawn_errno));
		r->done(r->arg, -1, "", reason);
		run_free(r);
		return;
	}
	r->running = true;
}

static gboolean
delay_over(gpointer arg)
{
	struct agents_run *r = arg;

	r->timer = 0;
	spawn(r);
	return G_SOURCE_REMOVE;
}

static void
argv_push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 2, sizeof(**v));
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

static const char *
glue_action(const char *action)
{
	if (strcmp(action, "reboot") == 0)
		return "reset";
	return action;
}

void
agents_start(const struct stonithd_device *d, const char *action, const char *target,
    uint32_t timeout_ms, uint32_t delay_ms, agents_done_fn done, void *arg)
{
	struct agents_run *r = XNEW(struct agents_run);
	size_t n = 0;

	r->id = xstrdup(d->id);
	r->done = done;
	r->arg = arg;
	r->fencing = strcmp(action, "reboot") == 0 || strcmp(action, "off") == 0 ||
	    strcmp(action, "on") == 0;
	r->tries_left = r->fencing ? d->retries : 0;
	if (d->glue) {
		argv_push(&r->argv, &n, xstrdup(agents_stonith_cmd()));
		argv_push(&r->argv, &n, xstrdup("-t"));
		argv_push(&r->argv, &n, xstrdup(d->type));
		for (size_t i = 0; i < d->n_params; i++)
			argv_push(&r->argv, &n, xasprintf("%s=%s", d->names[i], d->values[i]));
		if (strcmp(action, "list") == 0) {
			argv_push(&r->argv, &n, xstrdup("-l"));
		} else if (strcmp(action, "monitor") == 0 || strcmp(action, "status") == 0) {
			argv_push(&r->argv, &n, xstrdup("-S"));
		} else {
			argv_push(&r->argv, &n, xstrdup("-T"));
			argv_push(&r->argv, &n, xstrdup(glue_action(action)));
			argv_push(&r->argv, &n, xstrdup(target ? target : ""));
		}
	} else {
		struct pl_buf in = { 0 };
		argv_push(&r->argv, &n, xasprintf("%s/%s", agents_dir(), d->type));
		pl_buf_addf(&in, "action=%s\n", action);
		if (target) {
			const char *port = devices_port(d, target);
			pl_buf_addf(&in, "port=%s\nplug=%s\nnodename=%s\n", port, port, target);
		}
		for (size_t i = 0; i < d->n_params; i++)
			if (strchr(d->values[i], '\n') == NULL)
				pl_buf_addf(&in, "%s=%s\n", d->names[i], d->values[i]);
		r->input = pl_buf_steal(&in);
	}
	r->deadline = pl_mono_ms() + delay_ms + (timeout_ms ? timeout_ms : 60000);
	if (delay_ms > 0) {
		log_info(
		    "device %s: waiting %u ms before %s (pcmk_delay_*)", d->id, delay_ms, action);
		r->timer = g_timeout_add(delay_ms, delay_over, r);
	} else {
		spawn(r); /* a failure to start is reported through done at once */
	}
}
