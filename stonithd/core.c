/*
 * core.c - fencing requests (see core.h for the state machine). Every node keeps every
 * request it saw in `ops`, created when REQUEST is delivered; only the origin decides (which
 * level, which device, which node runs it) and only the origin sends RESULT, so the result is
 * one message at one place of the group's order and every node reports the same thing once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define QUERY_WAIT_MS 5000  /* members that do not answer the query in this long are skipped */
#define EXEC_SLACK_MS 10000 /* beyond the agent's own timeout, before O gives up on a node */

struct reply {
	uint32_t node;
	bool replied;
	char **devices;
	size_t n_devices;
};

struct op {
	uint64_t id;
	uint32_t origin;
	char *target, *action, *client;
	uint32_t timeout_ms, flags;
	enum stonithd_op_state state;
	uint64_t merged_into;
	bool running_here;    /* this node runs an agent for it */
	bool queried;	      /* the origin has every answer (or waited long enough) */
	uint64_t delay_until; /* the origin runs no device before (priority-fencing-delay) */
	/* the origin's bookkeeping */
	uint64_t deadline, query_deadline, exec_deadline;
	struct reply replies[STONITHD_MAX_MEMBERS];
	size_t n_replies;
	char **levels[STONITHD_MAX_LEVELS];
	size_t n_dev[STONITHD_MAX_LEVELS];
	size_t n_levels, level, dev;
	uint32_t tried[STONITHD_MAX_MEMBERS]; /* nodes that failed the current device */
	size_t n_tried;
	uint32_t executor;
	char *device, *delegate, *reason;
};

struct stonithd {
	uint32_t me;
	const struct stonithd_ops *ops;
	void *arg;
	uint32_t members[STONITHD_MAX_MEMBERS];
	size_t n_members;
	uint32_t counter;
	bool serial; /* concurrent-fencing=false: one request at a time runs from here */
	struct op **ops_v;
	size_t n_ops;
};

static void slog(struct stonithd *s, int level, const char *fmt, ...) PL_PRINTF(3, 4);

static void
slog(struct stonithd *s, int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (s->ops->log)
		s->ops->log(s->arg, level, line);
	else
		log_emit(level, "%s", line);
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
op_free(struct op *o)
{
	for (size_t i = 0; i < o->n_replies; i++)
		free_list(o->replies[i].devices, o->replies[i].n_devices);
	for (size_t i = 0; i < o->n_levels; i++)
		free_list(o->levels[i], o->n_dev[i]);
	free(o->target);
	free(o->action);
	free(o->client);
	free(o->device);
	free(o->delegate);
	free(o->reason);
	free(o);
}

static struct op *
op_find(struct stonithd *s, uint64_t id)
{
	for (size_t i = 0; i < s->n_ops; i++)
		if (s->ops_v[i]->id == id)
			return s->ops_v[i];
	return NULL;
}

static void
op_remove(struct stonithd *s, struct op *o)
{
	for (size_t i = 0; i < s->n_ops; i++)
		if (s->ops_v[i] == o) {
			s->ops_v[i] = s->ops_v[--s->n_ops];
			break;
		}
	op_free(o);
}

static const char *
name_of(struct stonithd *s, uint32_t node)
{
	const char *n = node && s->ops->node_name ? s->ops->node_name(s->arg, node) : "";
	return n ? n : "";
}

static bool
is_member(const struct stonithd *s, uint32_t node)
{
	for (size_t i = 0; i < s->n_members; i++)
		if (s->members[i] == node)
			return true;
	return false;
}

const char *
stonithd_rc_name(enum stonithd_rc rc)
{
	switch (rc) {
	case STONITHD_RC_OK: return "OK";
	case STONITHD_RC_FAILED: return "Error occurred";
	case STONITHD_RC_NODEVICE: return "No such device";
	case STONITHD_RC_TIMEOUT: return "Timeout occurred";
	case STONITHD_RC_ORIGIN: return "Origin left";
	}
	return "unknown";
}

const char *
stonithd_msg_name(enum stonithd_msg_type t)
{
	static const char *names[] = { "?", "REQUEST", "QUERY_REPLY", "EXEC", "EXEC_DONE", "RESULT" };
	return t >= 1 && t <= STONITHD_MSG_RESULT ? names[t] : "?";
}

struct stonithd *
stonithd_new(uint32_t me, const struct stonithd_ops *ops, void *arg)
{
	struct stonithd *s = XNEW(struct stonithd);

	s->me = me;
	s->ops = ops;
	s->arg = arg;
	/* op ids stay unique across restarts of this node's fencer: start from the clock */
	s->counter = ops->wall_ms ? (uint32_t)ops->wall_ms(arg) : 0;
	return s;
}

void
stonithd_free(struct stonithd *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n_ops; i++)
		op_free(s->ops_v[i]);
	free(s->ops_v);
	free(s);
}

size_t
stonithd_active(const struct stonithd *s)
{
	return s->n_ops;
}

size_t
stonithd_pending(struct stonithd *s, stonithd_pending_fn fn, void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_ops; i++) {
		const struct op *o = s->ops_v[i];
		if (o->state == STONITHD_OP_DONE)
			continue;
		struct stonithd_result r = {
			.id = o->id,
			.target = o->target,
			.action = o->action,
			.client = o->client,
			.origin = name_of(s, o->origin),
			.delegate = "",
			.device = o->device ? o->device : "",
			.reason = "",
		};
		fn(arg, &r);
		n++;
	}
	return n;
}

/* Report an op's end here (and of the ops merged into it), then forget them. */
static void send_result(struct stonithd *s, struct op *o, enum stonithd_rc rc, const char *reason);

static void
op_end(struct stonithd *s, struct op *o, enum stonithd_rc rc, const char *delegate,
    const char *device, const char *reason, uint64_t completed_ms, uint64_t ran_as)
{
	struct stonithd_result r = {
		.id = o->id,
		.target = o->target,
		.action = o->action,
		.client = o->client,
		.origin = name_of(s, o->origin),
		.delegate = delegate ? delegate : "",
		.device = device ? device : "",
		.rc = rc,
		.reason = reason ? reason : "",
		.completed_ms = completed_ms,
		.ran_as = ran_as ? ran_as : o->id,
	};
	uint64_t id = o->id;

	slog(s, rc == STONITHD_RC_OK ? PL_LOG_NOTICE : PL_LOG_ERR,
	    "%s of %s (op %016llx, asked by %s on %s): %s%s%s%s%s", o->action, o->target,
	    (unsigned long long)o->id, o->client, r.origin, stonithd_rc_name(rc),
	    *r.delegate ? " by " : "", r.delegate, *r.reason ? ": " : "", r.reason);
	o->state = STONITHD_OP_DONE;
	s->ops->result(s->arg, &r);
	/* requests this node merged into it end the same way, by a RESULT of their own */
	for (size_t i = 0; i < s->n_ops; i++) {
		struct op *m = s->ops_v[i];
		if (m->state == STONITHD_OP_MERGED && m->merged_into == id && m->origin == s->me) {
			free(m->device);
			free(m->delegate);
			m->device = xstrdup(r.device);
			m->delegate = xstrdup(r.delegate);
			m->merged_into = r.ran_as;
			m->state = STONITHD_OP_DONE; /* nothing more to do but wait for RESULT */
			send_result(s, m, rc, reason);
		}
	}
	op_remove(s, o);
}

/* The origin ends the op for everyone. */
static void
send_result(struct stonithd *s, struct op *o, enum stonithd_rc rc, const char *reason)
{
	struct stonithd_msg m = {
		.type = STONITHD_MSG_RESULT,
		.id = o->id,
		.rc = rc,
		.reason = reason ? reason : "",
		.device = o->device ? o->device : "",
		.delegate = o->delegate ? o->delegate : "",
		.completed_ms = s->ops->wall_ms ? s->ops->wall_ms(s->arg) : 0,
		.ran_as = o->merged_into ? o->merged_into : o->id,
	};
	o->deadline = UINT64_MAX; /* nothing more to do here until RESULT comes back */
	o->query_deadline = o->exec_deadline = 0;
	o->executor = 0;
	s->ops->send(s->arg, &m);
}

uint64_t
stonithd_fence(struct stonithd *s, const char *target, const char *action, const char *client,
    uint32_t timeout_ms, uint32_t flags, uint32_t delay_ms, uint64_t now_ms)
{
	struct stonithd_msg m = {
		.type = STONITHD_MSG_REQUEST,
		.target = target,
		.action = action,
		.client = client,
		.timeout_ms = timeout_ms ? timeout_ms : 60000,
		.flags = flags,
		.delay_ms = delay_ms,
	};

	(void)now_ms;
	if (!is_member(s, s->me))
		return 0;
	if (++s->counter == 0)
		s->counter = 1;
	m.id = (uint64_t)s->me << 32 | s->counter;
	s->ops->send(s->arg, &m);
	return m.id;
}

/* Devices any member reported, in order of first report (members by nodeid). */
static void
plan_levels(struct stonithd *s, struct op *o)
{
	char **lv[STONITHD_MAX_LEVELS];
	size_t nd[STONITHD_MAX_LEVELS];
	size_t n = s->ops->levels ? s->ops->levels(s->arg, o->target, lv, nd) : 0;

	if (n > 0) {
		for (size_t i = 0; i < n && i < STONITHD_MAX_LEVELS; i++) {
			o->levels[i] = lv[i];
			o->n_dev[i] = nd[i];
		}
		o->n_levels = n;
		return;
	}
	/* no topology: each device anyone can use is a level of its own, sorted by name */
	char **all = NULL;
	size_t n_all = 0;
	for (size_t r = 0; r < o->n_replies; r++)
		for (size_t d = 0; d < o->replies[r].n_devices; d++) {
			const char *dev = o->replies[r].devices[d];
			bool seen = false;
			for (size_t k = 0; k < n_all && !seen; k++)
				seen = strcmp(all[k], dev) == 0;
			if (!seen) {
				all = xreallocarray(all, n_all + 1, sizeof(*all));
				all[n_all++] = xstrdup(dev);
			}
		}
	for (size_t i = 1; i < n_all; i++)
		for (size_t j = i; j > 0 && strcmp(all[j - 1], all[j]) > 0; j--) {
			char *t = all[j];
			all[j] = all[j - 1];
			all[j - 1] = t;
		}
	for (size_t i = 0; i < n_all && o->n_levels < STONITHD_MAX_LEVELS; i++) {
		o->levels[o->n_levels] = xcalloc(1, sizeof(char *));
		o->levels[o->n_levels][0] = all[i];
		o->n_dev[o->n_levels++] = 1;
		all[i] = NULL;
	}
	free_list(all, n_all);
}

static bool
has_device(const struct reply *r, const char *dev)
{
	for (size_t i = 0; i < r->n_devices; i++)
		if (strcmp(r->devices[i], dev) == 0)
			return true;
	return false;
}

/* A member that has dev and has not failed it yet; the target itself only as a last
 * resort, when allowed, except for unfencing ("on"), which the target runs first when it
 * has the device (fabric agents such as fence_scsi register the target's own key, as
 * Pacemaker runs their "on" on the target). 0 when none. */
static uint32_t
pick_executor(struct stonithd *s, struct op *o, const char *dev)
{
	uint32_t self = 0, other = 0;
	bool unfence = strcmp(o->action, "on") == 0;

	for (size_t i = 0; i < o->n_replies; i++) {
		const struct reply *r = &o->replies[i];
		bool tried = false;
		if (!r->replied || !is_member(s, r->node) || !has_device(r, dev))
			continue;
		for (size_t t = 0; t < o->n_tried && !tried; t++)
			tried = o->tried[t] == r->node;
		if (tried)
			continue;
		if (strcmp(name_of(s, r->node), o->target) == 0) {
			if (unfence)
				return r->node;
			self = r->node;
			continue;
		}
		if (other == 0)
			other = r->node;
	}
	if (other != 0)
		return other;
	return (o->flags & STONITHD_F_ALLOW_SELF) || unfence ? self : 0;
}

/* The origin: run the current device of the current level somewhere, or move on. */
static void
advance(struct stonithd *s, struct op *o, uint64_t now_ms)
{
	while (o->level < o->n_levels) {
		if (o->dev >= o->n_dev[o->level]) { /* the whole level succeeded */
			send_result(s, o, STONITHD_RC_OK, "");
			return;
		}
		const char *dev = o->levels[o->level][o->dev];
		uint32_t ex = pick_executor(s, o, dev);
		if (ex != 0) {
			struct stonithd_msg m = {
				.type = STONITHD_MSG_EXEC,
				.id = o->id,
				.executor = ex,
				.device = dev,
				.action = o->action,
				.target = o->target,
				.timeout_ms =
				    o->deadline > now_ms ? (uint32_t)(o->deadline - now_ms) : 1000,
			};
			free(o->device);
			o->device = xstrdup(dev);
			o->executor = ex;
			o->exec_deadline = now_ms + m.timeout_ms + EXEC_SLACK_MS;
			slog(s, PL_LOG_INFO, "%s of %s: level %zu, device %s on %s", o->action,
			    o->target, o->level + 1, dev, name_of(s, ex));
			s->ops->send(s->arg, &m);
			return;
		}
		slog(s, PL_LOG_WARNING, "%s of %s: level %zu failed (device %s: no node left to try)",
		    o->action, o->target, o->level + 1, dev);
		o->level++;
		o->dev = 0;
		o->n_tried = 0;
	}
	send_result(s, o, o->n_levels == 0 ? STONITHD_RC_NODEVICE : STONITHD_RC_FAILED,
	    o->n_levels == 0 ? "no fence device can fence this node" : o->reason);
}

static bool
query_complete(const struct stonithd *s, const struct op *o)
{
	for (size_t i = 0; i < o->n_replies; i++)
		if (!o->replies[i].replied && is_member(s, o->replies[i].node))
			return false;
	return true;
}

/* An op of this origin that is running devices (and not yet ended by its RESULT). */
static bool
origin_busy(const struct stonithd *s)
{
	for (size_t i = 0; i < s->n_ops; i++) {
		const struct op *o = s->ops_v[i];
		if (o->origin == s->me && o->state == STONITHD_OP_EXEC &&
		    o->deadline != UINT64_MAX && !(o->flags & STONITHD_F_MANUAL))
			return true;
	}
	return false;
}

static void
start_exec(struct stonithd *s, struct op *o, uint64_t now_ms)
{
	o->state = STONITHD_OP_EXEC;
	plan_levels(s, o);
	advance(s, o, now_ms);
}

static void
maybe_pick(struct stonithd *s, struct op *o, uint64_t now_ms, bool force)
{
	if (o->origin != s->me || o->state != STONITHD_OP_QUERY || o->queried)
		return;
	if (!force && !query_complete(s, o))
		return;
	o->queried = true;
	o->query_deadline = 0;
	if (o->delay_until > now_ms) {
		slog(s, PL_LOG_NOTICE, "%s of %s: waiting %llu ms first (priority-fencing-delay)",
		    o->action, o->target, (unsigned long long)(o->delay_until - now_ms));
		return;
	}
	o->delay_until = 0;
	if (s->serial && origin_busy(s)) {
		slog(s, PL_LOG_INFO,
		    "%s of %s waits for the fencing in progress "
		    "(concurrent-fencing=false)",
		    o->action, o->target);
		return;
	}
	start_exec(s, o, now_ms);
}

/* concurrent-fencing=false: when nothing runs from here, the oldest queried op goes. */
static void
run_waiting(struct stonithd *s, uint64_t now_ms)
{
	while (s->serial && !origin_busy(s)) {
		struct op *next = NULL;
		for (size_t i = 0; i < s->n_ops; i++) {
			struct op *o = s->ops_v[i];
			if (o->origin == s->me && o->state == STONITHD_OP_QUERY && o->queried &&
			    o->deadline != UINT64_MAX && o->delay_until <= now_ms &&
			    (next == NULL || o->id < next->id))
				next = o;
		}
		if (next == NULL)
			return;
		start_exec(s, next, now_ms);
	}
}

void
stonithd_set_concurrent(struct stonithd *s, bool concurrent)
{
	s->serial = !concurrent;
}

static void
on_request(struct stonithd *s, const struct stonithd_msg *m, uint64_t now_ms)
{
	struct op *o = XNEW(struct op);

	o->id = m->id;
	o->origin = m->from;
	o->target = xstrdup(m->target);
	o->action = xstrdup(m->action);
	o->client = xstrdup(m->client);
	o->timeout_ms = m->timeout_ms;
	o->flags = m->flags;
	o->state = STONITHD_OP_QUERY;
	s->ops_v = xreallocarray(s->ops_v, s->n_ops + 1, sizeof(*s->ops_v));
	s->ops_v[s->n_ops++] = o;
	slog(s, PL_LOG_NOTICE, "client %s on %s asks to %s %s (op %016llx)", o->client,
	    name_of(s, o->origin), o->action, o->target, (unsigned long long)o->id);

	if (o->flags & STONITHD_F_MANUAL) {
		o->state = STONITHD_OP_EXEC;
		if (o->origin == s->me) {
			o->delegate = xstrdup("a human"); /* as Pacemaker records a confirmation */
			o->device = xstrdup("manual");
			send_result(s, o, STONITHD_RC_OK, "manually confirmed");
		}
		return;
	}
	for (size_t i = 0; o->origin == s->me && i + 1 < s->n_ops; i++) {
		struct op *a = s->ops_v[i];
		if ((a->state == STONITHD_OP_QUERY || a->state == STONITHD_OP_EXEC) &&
		    !(a->flags & STONITHD_F_MANUAL) && strcmp(a->target, o->target) == 0 &&
		    strcmp(a->action, o->action) == 0) {
			o->state = STONITHD_OP_MERGED;
			o->merged_into = a->id;
			slog(s, PL_LOG_INFO, "op %016llx merged into %016llx (same %s of %s)",
			    (unsigned long long)o->id, (unsigned long long)a->id, o->action,
			    o->target);
			return;
		}
	}
	if (o->origin == s->me) {
		for (size_t i = 0; i < s->n_members && i < STONITHD_MAX_MEMBERS; i++)
			o->replies[o->n_replies++].node = s->members[i];
		o->delay_until = m->delay_ms ? now_ms + m->delay_ms : 0;
		o->deadline = now_ms + m->delay_ms + o->timeout_ms;
		o->query_deadline = now_ms + QUERY_WAIT_MS;
	}
	/* every node tells the origin what it can use */
	struct stonithd_msg r = { .type = STONITHD_MSG_QUERY_REPLY, .id = o->id };
	r.n_devices = s->ops->capable(s->arg, o->target, o->action, &r.devices);
	s->ops->send(s->arg, &r);
	free_list(r.devices, r.n_devices);
}

static void
on_query_reply(struct stonithd *s, const struct stonithd_msg *m, uint64_t now_ms)
{
	struct op *o = op_find(s, m->id);

	if (o == NULL || o->origin != s->me || o->state != STONITHD_OP_QUERY)
		return;
	for (size_t i = 0; i < o->n_replies; i++) {
		struct reply *r = &o->replies[i];
		if (r->node != m->from || r->replied)
			continue;
		r->replied = true;
		r->devices = xcalloc(m->n_devices + 1, sizeof(char *));
		for (size_t d = 0; d < m->n_devices; d++)
			r->devices[d] = xstrdup(m->devices[d]);
		r->n_devices = m->n_devices;
	}
	maybe_pick(s, o, now_ms, false);
}

static void
on_exec(struct stonithd *s, const struct stonithd_msg *m)
{
	struct op *o = op_find(s, m->id);

	if (m->executor != s->me || o == NULL || o->state == STONITHD_OP_DONE)
		return;
	o->running_here = true;
	free(o->device);
	o->device = xstrdup(m->device);
	slog(s, PL_LOG_NOTICE, "running %s of %s with %s for %s", m->action, m->target, m->device,
	    name_of(s, o->origin));
	s->ops->exec(s->arg, o->id, m->device, m->action, m->target, m->timeout_ms);
}

static void
device_failed(struct stonithd *s, struct op *o, const char *why, uint64_t now_ms)
{
	if (o->n_tried < STONITHD_MAX_MEMBERS)
		o->tried[o->n_tried++] = o->executor;
	free(o->reason);
	o->reason = xstrdup(why);
	o->executor = 0;
	o->exec_deadline = 0;
	advance(s, o, now_ms);
}

static void
on_exec_done(struct stonithd *s, const struct stonithd_msg *m, uint64_t now_ms)
{
	struct op *o = op_find(s, m->id);

	if (o == NULL || o->origin != s->me || o->state != STONITHD_OP_EXEC ||
	    o->executor != m->from || o->device == NULL || strcmp(o->device, m->device) != 0)
		return;
	if (m->rc != 0) {
		slog(s, PL_LOG_WARNING, "%s of %s with %s on %s failed: %s", o->action, o->target,
		    m->device, name_of(s, m->from), m->reason);
		device_failed(s, o, m->reason, now_ms);
		return;
	}
	free(o->delegate);
	o->delegate = xstrdup(name_of(s, m->from));
	o->executor = 0;
	o->exec_deadline = 0;
	o->dev++;
	o->n_tried = 0;
	advance(s, o, now_ms);
}

static void
on_result(struct stonithd *s, const struct stonithd_msg *m)
{
	struct op *o = op_find(s, m->id);

	if (o == NULL || o->origin != m->from)
		return; /* not ours to end, or ended already */
	op_end(s, o, (enum stonithd_rc)m->rc, m->delegate, m->device, m->reason, m->completed_ms,
	    m->ran_as);
}

void
stonithd_recv(struct stonithd *s, const struct stonithd_msg *m, uint64_t now_ms)
{
	switch (m->type) {
	case STONITHD_MSG_REQUEST:
		if (op_find(s, m->id) == NULL && (m->id >> 32) == m->from)
			on_request(s, m, now_ms);
		break;
	case STONITHD_MSG_QUERY_REPLY: on_query_reply(s, m, now_ms); break;
	case STONITHD_MSG_EXEC: on_exec(s, m); break;
	case STONITHD_MSG_EXEC_DONE: on_exec_done(s, m, now_ms); break;
	case STONITHD_MSG_RESULT: on_result(s, m); break;
	}
	run_waiting(s, now_ms);
}

void
stonithd_exec_done(struct stonithd *s, uint64_t id, int rc, const char *reason, uint64_t now_ms)
{
	struct op *o = op_find(s, id);
	struct stonithd_msg m = { .type = STONITHD_MSG_EXEC_DONE, .id = id, .rc = rc };

	(void)now_ms;
	if (o == NULL || !o->running_here)
		return; /* ended meanwhile (timeout, origin left): nothing waits for it */
	o->running_here = false;
	m.reason = reason ? reason : "";
	/* the device is the one the origin asked for; the origin checks it */
	m.device = o->device ? o->device : "";
	s->ops->send(s->arg, &m);
}

void
stonithd_members(struct stonithd *s, const uint32_t *nodes, size_t n, uint64_t now_ms)
{
	s->n_members = 0;
	for (size_t i = 0; i < n && i < STONITHD_MAX_MEMBERS; i++)
		s->members[s->n_members++] = nodes[i];
	for (size_t i = 0; i < s->n_ops;) {
		struct op *o = s->ops_v[i];
		if (!is_member(s, o->origin)) {
			/* every node ends it here, at the same point of the stream */
			op_end(s, o, STONITHD_RC_ORIGIN, NULL, o->device, "the node that asked left",
			    s->ops->wall_ms ? s->ops->wall_ms(s->arg) : 0, 0);
			i = 0;
			continue;
		}
		i++;
	}
	for (size_t i = 0; i < s->n_ops; i++) {
		struct op *o = s->ops_v[i];
		if (o->origin != s->me)
			continue;
		if (o->state == STONITHD_OP_QUERY)
			maybe_pick(s, o, now_ms, false);
		else if (o->state == STONITHD_OP_EXEC && o->executor && !is_member(s, o->executor))
			device_failed(s, o, "the node running the device left", now_ms);
	}
	run_waiting(s, now_ms);
}

uint64_t
stonithd_next_deadline(const struct stonithd *s)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < s->n_ops; i++) {
		const struct op *o = s->ops_v[i];
		if (o->origin != s->me || o->state == STONITHD_OP_DONE)
			continue;
		if (o->deadline && o->deadline < t)
			t = o->deadline;
		if (o->query_deadline && o->query_deadline < t)
			t = o->query_deadline;
		if (o->exec_deadline && o->exec_deadline < t)
			t = o->exec_deadline;
		if (o->delay_until && o->queried && o->state == STONITHD_OP_QUERY &&
		    o->deadline != UINT64_MAX && o->delay_until < t)
			t = o->delay_until;
	}
	return t;
}

void
stonithd_tick(struct stonithd *s, uint64_t now_ms)
{
	for (size_t i = 0; i < s->n_ops; i++) {
		struct op *o = s->ops_v[i];
		if (o->origin != s->me || o->deadline == UINT64_MAX)
			continue;
		if (o->state == STONITHD_OP_MERGED)
			continue;
		if (o->deadline && now_ms >= o->deadline) {
			send_result(s, o, STONITHD_RC_TIMEOUT, "the request's timeout passed");
		} else if (o->query_deadline && now_ms >= o->query_deadline) {
			maybe_pick(s, o, now_ms, true);
		} else if (o->exec_deadline && now_ms >= o->exec_deadline) {
			device_failed(s, o, "the node running the device did not answer", now_ms);
		} else if (o->delay_until && now_ms >= o->delay_until && o->queried &&
		    o->state == STONITHD_OP_QUERY && !(s->serial && origin_busy(s))) {
			o->delay_until = 0;
			start_exec(s, o, now_ms);
		}
	}
	run_waiting(s, now_ms);
}
