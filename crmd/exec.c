/*
 * exec.c - the node side of transitions: run what the DC asks through lrmd, record each
 * result in this node's status section (as Pacemaker's controllers do) and send it back to
 * the DC that asked (and to the current DC when that is another one). Also the DC's
 * permission to shut down and resource refresh (cleanup).
 */
#include <stdlib.h>
#include <string.h>

#include <paceline/log.h>
#include <paceline/xalloc.h>

#include "fsm_int.h"

static struct crmd_local_op *
local_find(struct crmd *c, const char *rsc, const char *action, uint32_t interval)
{
	for (size_t i = 0; i < c->n_local; i++) {
		struct crmd_local_op *o = &c->local[i];

		if (strcmp(o->req.rsc_id, rsc) == 0 && strcmp(o->req.action, action) == 0 &&
		    o->req.interval_ms == interval)
			return o;
	}
	return NULL;
}

static void
local_remove(struct crmd *c, struct crmd_local_op *o)
{
	size_t i = (size_t)(o - c->local);

	crmd_rsc_action_clear(&o->req);
	free(o->adopted_key);
	c->local[i] = c->local[--c->n_local];
}

static void
send_result(struct crmd *c, uint32_t requester, const struct crmd_op_result *r)
{
	struct crmd_msg m;
	uint32_t dc = crmd_dc(c);

	memset(&m, 0, sizeof(m));
	m.u.result = *r; /* shallow: r stays the caller's */
	if (requester)
		crmd_send(c, CRMD_MSG_ACTION_RESULT, requester, 0, &m);
	if (dc && dc != requester) {
		m.u.result = *r;
		crmd_send(c, CRMD_MSG_ACTION_RESULT, dc, 0, &m);
	}
}

/* A result this controller reports itself for an action (no lrmd record behind it; reason
 * is not written to: the result type's field is not const). */
static void
own_result(struct crmd *c, const struct crmd_rsc_action *a, uint32_t requester, int rc, int status,
    char *reason)
{
	struct crmd_op_result r = {
		.rsc_id = a->rsc_id,
		.rclass = a->rclass,
		.provider = a->provider,
		.type = a->type,
		.action = a->action,
		.interval_ms = a->interval_ms,
		.transition_key = a->transition_key,
		.exit_reason = reason,
		.op_digest = "",
		.op_restart_digest = "",
		.rc = rc,
		.status = status,
		.target_rc = a->target_rc,
		.last_rc_change = c->ops.wall_s ? c->ops.wall_s(c->arg) : 0,
	};

	send_result(c, requester, &r);
}

/* An action that lrmd answers at once (cancel, delete): report success ourselves. */
static void
immediate_result(struct crmd *c, const struct crmd_rsc_action *a, uint32_t requester)
{
	own_result(c, a, requester, PL_OCF_SUCCESS, PL_LRMD_DONE, "");
}

/* ---- chained actions (te.c dispatch_chained): run after another action here ---- */

static void
remember_result(struct crmd *c, const char *key, bool ok)
{
	size_t i = c->n_recent++ % CRMD_RECENT;

	free(c->recent[i].key);
	c->recent[i].key = xstrdup(key);
	c->recent[i].ok = ok;
}

/* 1: the action with that key succeeded here, 0: it did not, -1: no result yet */
static int
recent_result(const struct crmd *c, const char *key)
{
	for (size_t i = 0; i < CRMD_RECENT && i < c->n_recent; i++)
		if (c->recent[i].key && strcmp(c->recent[i].key, key) == 0)
			return c->recent[i].ok;
	return -1;
}

static bool
running_key(const struct crmd *c, const char *key)
{
	for (size_t i = 0; i < c->n_local; i++)
		if ((c->local[i].req.transition_key &&
			strcmp(c->local[i].req.transition_key, key) == 0) ||
		    (c->local[i].adopted_key && strcmp(c->local[i].adopted_key, key) == 0))
			return true;
	for (size_t i = 0; i < c->n_parked; i++)
		if (c->parked[i].req.transition_key &&
		    strcmp(c->parked[i].req.transition_key, key) == 0)
			return true;
	return false;
}

static void release_parked(struct crmd *c, const char *key, bool ok);

/* The action it followed failed: it is not run (nor what follows it); the DC settles it
 * without a record. */
static void
not_run(struct crmd *c, const struct crmd_rsc_action *a, uint32_t requester, const char *after)
{
	crmd_logf(c, PL_LOG_NOTICE, "%s_%s_%u not run: %s did not succeed", a->rsc_id, a->action,
	    a->interval_ms, after);
	own_result(c, a, requester, PL_OCF_ERR_GENERIC, PL_LRMD_CANCELLED,
	    "not run: the action it follows failed");
	if (a->transition_key && *a->transition_key) {
		remember_result(c, a->transition_key, false);
		release_parked(c, a->transition_key, false);
	}
}

/* a without its CRMD_AFTER_META entry (the agent never sees it) */
static void
copy_without_after(struct crmd_rsc_action *dst, const struct crmd_rsc_action *a)
{
	struct pl_lrmd_params meta = PL_LRMD_PARAMS_INIT;

	crmd_rsc_action_copy(dst, a);
	for (size_t i = 0; i < dst->meta.n; i++)
		if (strcmp(dst->meta.name[i], CRMD_AFTER_META) != 0)
			pl_lrmd_params_set(&meta, dst->meta.name[i], dst->meta.value[i]);
	pl_lrmd_params_free(&dst->meta);
	dst->meta = meta;
}

/* Actions parked after the one with this key: run them, or report them not run. */
static void
release_parked(struct crmd *c, const char *key, bool ok)
{
	for (size_t i = 0; i < c->n_parked;) {
		struct crmd_local_op o = c->parked[i];

		if (strcmp(o.after, key) != 0) {
			i++;
			continue;
		}
		c->parked[i] = c->parked[--c->n_parked];
		if (ok)
			crmd_exec_local(c, &o.req, o.requester);
		else
			not_run(c, &o.req, o.requester, o.after);
		crmd_rsc_action_clear(&o.req);
		free(o.after);
		i = 0; /* running may have changed the list */
	}
}

/* The same one-shot operation asked again while lrmd runs it: a new DC that found it
 * pending in the join history (Pacemaker's scheduler issues a pending start again). Running
 * it a second time would start the resource twice; its result answers both requests. */
void (*crmd_adopt_hook)(const struct crmd *c, const struct crmd_rsc_action *a);

static void
adopt(struct crmd *c, struct crmd_local_op *o, const struct crmd_rsc_action *a, uint32_t requester)
{
	crmd_logf(c, PL_LOG_NOTICE,
	    "%s_%s_%u (%s) is already running here (%s): its result answers both", a->rsc_id,
	    a->action, a->interval_ms, a->transition_key ? a->transition_key : "",
	    o->req.transition_key ? o->req.transition_key : "");
	o->adopted_key = xstrdup(a->transition_key ? a->transition_key : "");
	o->adopted_requester = requester;
	if (crmd_adopt_hook)
		crmd_adopt_hook(c, a);
}

void
crmd_exec_local(struct crmd *c, const struct crmd_rsc_action *a, uint32_t requester)
{
	struct crmd_local_op *o;
	const char *after = pl_lrmd_params_get(&a->meta, CRMD_AFTER_META);

	if (after != NULL) {
		struct crmd_rsc_action plain;
		int done = recent_result(c, after);

		copy_without_after(&plain, a);
		if (done < 0 && running_key(c, after)) {
			c->parked = xreallocarray(c->parked, c->n_parked + 1, sizeof(*c->parked));
			c->parked[c->n_parked++] = (struct crmd_local_op){
				.req = plain, .requester = requester, .after = xstrdup(after)
			};
			return;
		}
		if (done == 0)
			not_run(c, &plain, requester, after);
		else /* succeeded, or unknown here (run it: the DC sent it) */
			crmd_exec_local(c, &plain, requester);
		crmd_rsc_action_clear(&plain);
		return;
	}

	if (strcmp(a->action, "cancel") == 0) {
		if (c->ops.lrmd_cancel)
			c->ops.lrmd_cancel(c->arg, a->rsc_id, a->cancel_action, a->interval_ms);
		if ((o = local_find(c, a->rsc_id, a->cancel_action, a->interval_ms)))
			local_remove(c, o);
		immediate_result(c, a, requester);
		return;
	}
	if (strcmp(a->action, "delete") == 0) {
		if (c->ops.lrmd_forget)
			c->ops.lrmd_forget(c->arg, a->rsc_id);
		if (c->ops.cib_forget)
			c->ops.cib_forget(c->arg, c->me, a->rsc_id);
		immediate_result(c, a, requester);
		return;
	}
	o = local_find(c, a->rsc_id, a->action, a->interval_ms);
	if (o && a->interval_ms == 0 && !o->adopted_key) {
		adopt(c, o, a, requester);
		return;
	}
	if (o)
		local_remove(c, o);
	c->local = xreallocarray(c->local, c->n_local + 1, sizeof(*c->local));
	o = &c->local[c->n_local++];
	*o = (struct crmd_local_op){ .requester = requester };
	crmd_rsc_action_copy(&o->req, a);
	c->ops.lrmd_exec(c->arg, a);
}

void
crmd_exec_result(struct crmd *c, const struct crmd_op_result *res)
{
	struct crmd_local_op *o = local_find(c, res->rsc_id, res->action, res->interval_ms);
	struct crmd_op_result r = *res;
	struct crmd_rsc_action req;
	bool have_req = false;
	uint32_t requester = 0, adopted_requester = 0;
	char *key = NULL, *adopted_key = NULL;

	if (res->status == PL_LRMD_PENDING)
		return; /* record-pending is not kept */
	if (o &&
	    (!res->transition_key || !*res->transition_key ||
		strcmp(res->transition_key, o->req.transition_key) == 0)) {
		/* take what is needed first: sending may re-enter and change c->local */
		key = xstrdup(o->req.transition_key);
		r.target_rc = o->req.target_rc;
		requester = o->requester;
		adopted_key = o->adopted_key;
		adopted_requester = o->adopted_requester;
		o->adopted_key = NULL;
		crmd_rsc_action_copy(&req, &o->req);
		have_req = true;
		/* a one-shot op is over; a recurring one keeps reporting (its first result
		 * confirmed the action) */
		if (res->interval_ms == 0)
			local_remove(c, o);
		else
			o->requester = 0;
	}
	r.transition_key = key ? key : res->transition_key ? res->transition_key : "";
	if (!requester && !crmd_dc(c) && c->ops.cib_record_op)
		c->ops.cib_record_op(c->arg, c->me, have_req ? &req : NULL, &r);
	if (adopted_key) {
		/* the first requester (a former DC) hears its own key; the one that asked
		 * again, and the DC, the later one */
		struct crmd_msg m;

		memset(&m, 0, sizeof(m));
		m.u.result = r;
		if (requester && requester != adopted_requester && requester != crmd_dc(c))
			crmd_send(c, CRMD_MSG_ACTION_RESULT, requester, 0, &m);
		r.transition_key = adopted_key;
		send_result(c, adopted_requester, &r);
		r.transition_key = key;
	} else {
		send_result(c, requester, &r);
	}
	if (have_req && res->interval_ms == 0 && *r.transition_key) {
		bool ok = r.status == PL_LRMD_DONE && r.rc == r.target_rc;

		remember_result(c, r.transition_key, ok);
		release_parked(c, r.transition_key, ok);
		if (adopted_key && *adopted_key) {
			remember_result(c, adopted_key, ok);
			release_parked(c, adopted_key, ok);
		}
	}
	if (have_req)
		crmd_rsc_action_clear(&req);
	free(key);
	free(adopted_key);
}

static void
refresh(struct crmd *c, const char *rsc)
{
	crmd_logf(c, PL_LOG_NOTICE, "refresh of %s: forgetting its history",
	    rsc ? rsc : "every resource");
	if (c->ops.lrmd_forget)
		c->ops.lrmd_forget(c->arg, rsc);
	if (c->ops.cib_forget)
		c->ops.cib_forget(c->arg, c->me, rsc);
	for (size_t i = 0; i < c->n_local;) {
		if (!rsc || strcmp(c->local[i].req.rsc_id, rsc) == 0)
			local_remove(c, &c->local[i]);
		else
			i++;
	}
	for (size_t i = 0; i < c->n_parked;) {
		if (!rsc || strcmp(c->parked[i].req.rsc_id, rsc) == 0) {
			crmd_rsc_action_clear(&c->parked[i].req);
			free(c->parked[i].after);
			c->parked[i] = c->parked[--c->n_parked];
		} else {
			i++;
		}
	}
	if (crmd_dc_state(c->state))
		crmd_te_request(c, "resource refresh");
}

void
crmd_exec_recv(struct crmd *c, const struct crmd_msg *m)
{
	bool from_dc = m->from == crmd_dc(c) && m->from != 0;

	switch (m->type) {
	case CRMD_MSG_ACTION:
		if (!from_dc) {
			crmd_logf(c, PL_LOG_WARNING,
			    "action %s from %u, which is not the DC: ignored",
			    m->u.action.transition_key ? m->u.action.transition_key : "?", m->from);
			return;
		}
		crmd_exec_local(c, &m->u.action, m->from);
		break;
	case CRMD_MSG_SHUTDOWN:
		if (!from_dc)
			return;
		crmd_logf(c, PL_LOG_NOTICE, "the DC lets this node leave");
		crmd_change_state(c, CRMD_S_STOPPED);
		break;
	case CRMD_MSG_REFRESH: refresh(c, m->u.rsc_id); break;
	default: break;
	}
}
