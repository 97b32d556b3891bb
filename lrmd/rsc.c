/*
 * rsc.c - see rsc.h: per-resource serialised queues, recurring operations scheduled from
 * their planned start (never from completion, so they do not drift), cancel, history.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "rsc.h"


static GHashTable *rscs; /* id -> struct lrmd_rsc */
static lrmd_result_fn result_fn;
static uint32_t next_call_id = 1;
static struct lrmd_stats stats;

static void op_run_due(struct lrmd_op *op);
static void rsc_kick(struct lrmd_rsc *rsc);

static void
history_free(gpointer p)
{
	struct lrmd_history *h = p;

	free(h->action);
	free(h->exit_reason);
	free(h->user_data);
	free(h);
}

static void
rsc_free(gpointer p)
{
	struct lrmd_rsc *rsc = p;

	free(rsc->id);
	free(rsc->rclass);
	free(rsc->provider);
	free(rsc->type);
	g_hash_table_destroy(rsc->history);
	free(rsc);
}

void
lrmd_rsc_init(lrmd_result_fn fn)
{
	result_fn = fn;
	if (rscs == NULL)
		rscs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, rsc_free);
}

struct lrmd_rsc *
lrmd_rsc_find(const char *rsc_id)
{
	return rscs != NULL ? g_hash_table_lookup(rscs, rsc_id) : NULL;
}

static gint
rsc_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(((const struct lrmd_rsc *)a)->id, ((const struct lrmd_rsc *)b)->id);
}

GList *
lrmd_rsc_all(void)
{
	return rscs != NULL ? g_list_sort(g_hash_table_get_values(rscs), rsc_cmp) : NULL;
}

static struct lrmd_rsc *
rsc_get(const struct lrmd_exec_req *req)
{
	struct lrmd_rsc *rsc = lrmd_rsc_find(req->rsc_id);

	if (rsc == NULL) {
		rsc = XNEW(struct lrmd_rsc);
		rsc->id = xstrdup(req->rsc_id);
		g_queue_init(&rsc->queue);
		rsc->history = g_hash_table_new_full(g_str_hash, g_str_equal, free, history_free);
		g_hash_table_insert(rscs, rsc->id, rsc);
	} else if (strcmp(rsc->rclass, req->rclass) != 0 || strcmp(rsc->type, req->type) != 0 ||
	    g_strcmp0(rsc->provider, req->provider) != 0) {
		/* The agent changed (a redefined resource): the new one applies from now. */
		log_info("resource %s is now %s:%s:%s", rsc->id, req->rclass,
		    req->provider != NULL ? req->provider : "", req->type);
	}
	free(rsc->rclass);
	free(rsc->provider);
	free(rsc->type);
	rsc->rclass = xstrdup(req->rclass);
	rsc->provider =
	    xstrdup(req->provider != NULL && *req->provider != '\0' ? req->provider : NULL);
	rsc->type = xstrdup(req->type);
	return rsc;
}

static void
op_free(struct lrmd_op *op)
{
	if (op->timer != 0)
		g_source_remove(op->timer);
	lrmd_action_free(op->act);
	free(op->user_data);
	free(op);
}

static void
history_record(struct lrmd_rsc *rsc, struct lrmd_op *op)
{
	const struct lrmd_action *a = op->act;
	char *key = xasprintf("%s:%u", a->action, a->interval_ms);
	struct lrmd_history *h = g_hash_table_lookup(rsc->history, key);
	uint64_t now = pl_wall_ms();

	if (h == NULL) {
		h = XNEW(struct lrmd_history);
		h->action = xstrdup(a->action);
		h->interval_ms = a->interval_ms;
		h->rc = -1;
		g_hash_table_insert(rsc->history, key, h);
	} else {
		free(key);
	}
	if (h->rc != a->rc || h->last_rc_change_ms == 0)
		h->last_rc_change_ms = op->started_wall_ms != 0 ? op->started_wall_ms : now;
	h->call_id = op->call_id;
	h->rc = a->rc;
	h->status = a->status;
	free(h->exit_reason);
	h->exit_reason = xstrdup(a->exit_reason);
	free(h->user_data);
	h->user_data = xstrdup(op->user_data);
	h->last_run_ms = op->started_wall_ms != 0 ? op->started_wall_ms : now;
	h->exec_ms = a->exec_ms;
	h->queue_ms = op->queue_ms;
	h->recurring_active = a->interval_ms > 0 && !op->cancelled && a->status != PL_LRMD_CANCELLED;
}

static void
op_report(struct lrmd_rsc *rsc, struct lrmd_op *op, bool changed)
{
	struct lrmd_result r = { op, rsc, op->act, changed };

	log_info("%s_%s_%u (call %u): %s, rc %d (%s)%s%s, %" PRIu64 "ms", rsc->id, op->act->action,
	    op->act->interval_ms, op->call_id, pl_lrmd_status_name(op->act->status), op->act->rc,
	    pl_ocf_rc_name(op->act->rc), op->act->exit_reason != NULL ? ": " : "",
	    op->act->exit_reason != NULL ? op->act->exit_reason : "", op->act->exec_ms);
	if (result_fn != NULL)
		result_fn(&r);
}

/* End an op that is not running (delayed, waiting or queued) as cancelled. */
static void
op_end_cancelled(struct lrmd_rsc *rsc, struct lrmd_op *op)
{
	if (op->timer != 0) {
		g_source_remove(op->timer);
		op->timer = 0;
	}
	if (op->state == LRMD_OP_QUEUED)
		g_queue_remove(&rsc->queue, op);
	if (op->state == LRMD_OP_DELAYED)
		rsc->delayed = g_list_remove(rsc->delayed, op);
	rsc->recurring = g_list_remove(rsc->recurring, op);
	lrmd_action_reset(op->act);
	op->act->rc = PL_OCF_ERR_GENERIC;
	op->act->status = PL_LRMD_CANCELLED;
	op->state = LRMD_OP_DONE;
	history_record(rsc, op);
	op_report(rsc, op, true);
	op_free(op);
}

/* Cancel op wherever it is; a running one ends through its done callback. */
static void
op_cancel(struct lrmd_rsc *rsc, struct lrmd_op *op)
{
	op->cancelled = true;
	if (op->state == LRMD_OP_RUNNING)
		lrmd_exec_cancel(op->act);
	else
		op_end_cancelled(rsc, op);
}

static gboolean
op_due(gpointer arg)
{
	struct lrmd_op *op = arg;

	op->timer = 0;
	op_run_due(op);
	return G_SOURCE_REMOVE;
}

/* Next run of a recurring op: the next multiple of its interval after its last planned
 * start that is still ahead (runs missed while the agent was slow are skipped, not queued). */
static void
op_schedule_next(struct lrmd_op *op)
{
	uint64_t now = pl_mono_ms(), next = op->planned_ms + op->act->interval_ms;

	if (next <= now)
		next += ((now - next) / op->act->interval_ms + 1) * op->act->interval_ms;
	op->planned_ms = next;
	op->state = LRMD_OP_WAITING;
	op->timer = g_timeout_add((guint)(next - now), op_due, op);
}

static void
op_done(struct lrmd_action *a, void *arg)
{
	struct lrmd_op *op = arg;
	struct lrmd_rsc *rsc = op->rsc;
	bool recurring = a->interval_ms > 0;
	bool changed = !op->reported || a->rc != op->last_rc || a->status != op->last_status;

	rsc->running = NULL;
	op->state = LRMD_OP_DONE;
	stats.ops_run++;
	history_record(rsc, op);

	if (!recurring || op->cancelled || a->status == PL_LRMD_CANCELLED) {
		rsc->recurring = g_list_remove(rsc->recurring, op);
		op_report(rsc, op, true);
		op_free(op);
	} else {
		/* Recurring: tell the client the first result and every change, no more
		 * (unless it asked for every run). */
		if (changed || (op->flags & PL_LRMD_EXEC_REPORT_ALL))
			op_report(rsc, op, true);
		else
			log_debug(
			    "%s_%s_%u: rc %d unchanged", rsc->id, a->action, a->interval_ms, a->rc);
		op->reported = true;
		op->last_rc = a->rc;
		op->last_status = a->status;
		op_schedule_next(op);
	}
	if (rsc->removing) {
		g_hash_table_remove(rscs, rsc->id);
		return;
	}
	rsc_kick(rsc);
}

static void
rsc_kick(struct lrmd_rsc *rsc)
{
	struct lrmd_op *op;
	uint64_t now;

	if (rsc->running != NULL || (op = g_queue_pop_head(&rsc->queue)) == NULL)
		return;
	now = pl_mono_ms();
	op->queue_ms = now - op->queued_at_ms;
	if (op->act->interval_ms > 0) {
		uint64_t late = now - op->planned_ms;

		stats.recurring_runs++;
		stats.late_total_ms += late;
		if (late > stats.late_max_ms)
			stats.late_max_ms = late;
	}
	op->state = LRMD_OP_RUNNING;
	op->started_wall_ms = pl_wall_ms();
	rsc->running = op;
	lrmd_exec_start(op->act, op_done, op);
}

static void
op_enqueue(struct lrmd_op *op)
{
	op->state = LRMD_OP_QUEUED;
	op->queued_at_ms = pl_mono_ms();
	g_queue_push_tail(&op->rsc->queue, op);
	rsc_kick(op->rsc);
}

static void
op_run_due(struct lrmd_op *op)
{
	if (op->state == LRMD_OP_DELAYED)
		op->rsc->delayed = g_list_remove(op->rsc->delayed, op);
	op_enqueue(op);
}

static struct lrmd_op *
rsc_find_recurring(struct lrmd_rsc *rsc, const char *action, uint32_t interval_ms)
{
	for (GList *l = rsc->recurring; l != NULL; l = l->next) {
		struct lrmd_op *op = l->data;

		if (op->act->interval_ms == interval_ms && strcmp(op->act->action, action) == 0 &&
		    !op->cancelled)
			return op;
	}
	return NULL;
}

static void
rsc_cancel_recurring(struct lrmd_rsc *rsc)
{
	GList *ops = g_list_copy(rsc->recurring);

	for (GList *l = ops; l != NULL; l = l->next)
		if (!((struct lrmd_op *)l->data)->cancelled)
			op_cancel(rsc, l->data);
	g_list_free(ops);
}

uint32_t
lrmd_rsc_exec(const struct lrmd_exec_req *req, struct pl_error *err)
{
	struct lrmd_rsc *rsc;
	struct lrmd_op *op, *old;

	if (req->rsc_id == NULL || *req->rsc_id == '\0' || req->rclass == NULL ||
	    *req->rclass == '\0' || req->type == NULL || *req->type == '\0' ||
	    req->action == NULL || *req->action == '\0') {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "operation request: resource id, class, type and action are required");
		return 0;
	}
	/* Bounded so that every result (these strings + 64 KiB of output) fits one event. */
	if (strlen(req->rsc_id) > LRMD_NAME_MAX || strlen(req->rclass) > LRMD_NAME_MAX ||
	    strlen(req->type) > LRMD_NAME_MAX || strlen(req->action) > LRMD_NAME_MAX ||
	    (req->provider != NULL && strlen(req->provider) > LRMD_NAME_MAX) ||
	    (req->user_data != NULL && strlen(req->user_data) > LRMD_USER_DATA_MAX)) {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "operation request: names are limited to %d "
		    "bytes and user data to %d",
		    LRMD_NAME_MAX, LRMD_USER_DATA_MAX);
		return 0;
	}
	if (strcmp(req->rclass, "ocf") == 0 && (req->provider == NULL || *req->provider == '\0')) {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "resource '%s': ocf resources need a provider", req->rsc_id);
		return 0;
	}
	if (req->interval_ms > 0 &&
	    (strcmp(req->action, "stop") == 0 || strcmp(req->action, "start") == 0)) {
		pl_error_set(err, PL_EXIT_INVALID_PARAM,
		    "resource '%s': %s cannot be recurring (interval %ums)", req->rsc_id,
		    req->action, req->interval_ms);
		return 0;
	}

	rsc = rsc_get(req);
	rsc->removing = false;
	/* A stop ends every recurring operation of the resource first: nothing may monitor a
	 * resource that is being stopped. */
	if (strcmp(req->action, "stop") == 0)
		rsc_cancel_recurring(rsc);
	if (req->interval_ms > 0 &&
	    (old = rsc_find_recurring(rsc, req->action, req->interval_ms)) != NULL)
		op_cancel(rsc, old);

	op = XNEW(struct lrmd_op);
	op->rsc = rsc;
	op->act = lrmd_action_new(rsc->id, rsc->rclass, rsc->provider, rsc->type, req->action,
	    req->interval_ms, req->timeout_ms);
	if (req->params != NULL)
		pl_lrmd_params_copy(&op->act->params, req->params);
	if (req->meta != NULL)
		pl_lrmd_params_copy(&op->act->meta, req->meta);
	op->call_id = next_call_id++;
	if (next_call_id == 0)
		next_call_id = 1;
	op->client_id = req->client_id;
	op->flags = req->flags;
	op->user_data = xstrdup(req->user_data);
	op->start_delay_ms = req->start_delay_ms;
	op->planned_ms = pl_mono_ms() + req->start_delay_ms;
	if (req->interval_ms > 0)
		rsc->recurring = g_list_append(rsc->recurring, op);
	log_debug("%s_%s_%u: call %u queued", rsc->id, req->action, req->interval_ms, op->call_id);
	if (req->start_delay_ms > 0) {
		op->state = LRMD_OP_DELAYED;
		if (req->interval_ms == 0)
			rsc->delayed = g_list_append(rsc->delayed, op);
		op->timer = g_timeout_add(req->start_delay_ms, op_due, op);
	} else {
		op_enqueue(op);
	}
	return op->call_id;
}

bool
lrmd_rsc_cancel(const char *rsc_id, const char *action, uint32_t interval_ms)
{
	struct lrmd_rsc *rsc = lrmd_rsc_find(rsc_id);
	struct lrmd_op *op;

	if (rsc == NULL || (op = rsc_find_recurring(rsc, action, interval_ms)) == NULL)
		return false;
	op_cancel(rsc, op);
	return true;
}

void
lrmd_rsc_client_gone(uint32_t client_id)
{
	GList *all = lrmd_rsc_all();

	for (GList *l = all; l != NULL; l = l->next) {
		struct lrmd_rsc *rsc = l->data;
		GList *ops = g_list_copy(rsc->recurring);

		for (GList *o = ops; o != NULL; o = o->next) {
			struct lrmd_op *op = o->data;

			if (op->client_id == client_id && !(op->flags & PL_LRMD_EXEC_DETACHED) &&
			    !op->cancelled) {
				log_info("%s_%s_%u: cancelled, its client is gone", rsc->id,
				    op->act->action, op->act->interval_ms);
				op_cancel(rsc, op);
			}
		}
		g_list_free(ops);
	}
	g_list_free(all);
}

static void
rsc_cancel_all(struct lrmd_rsc *rsc)
{
	struct lrmd_op *op;

	rsc_cancel_recurring(rsc);
	while (rsc->delayed != NULL)
		op_cancel(rsc, rsc->delayed->data);
	while ((op = g_queue_peek_head(&rsc->queue)) != NULL)
		op_cancel(rsc, op);
	if (rsc->running != NULL)
		op_cancel(rsc, rsc->running);
}

bool
lrmd_rsc_remove(const char *rsc_id)
{
	struct lrmd_rsc *rsc = lrmd_rsc_find(rsc_id);

	if (rsc == NULL)
		return false;
	rsc_cancel_all(rsc);
	if (rsc->running != NULL) {
		/* Its agent is being killed; the done callback must still find the resource, so
		 * only the history goes now and the resource record when the agent is gone. */
		log_info("resource %s removed while %s runs: agent killed", rsc->id,
		    rsc->running->act->action);
		g_hash_table_remove_all(rsc->history);
		rsc->removing = true;
		return true;
	}
	g_hash_table_remove(rscs, rsc_id);
	return true;
}

void
lrmd_rsc_shutdown(void)
{
	GList *all = lrmd_rsc_all();

	for (GList *l = all; l != NULL; l = l->next)
		rsc_cancel_all(l->data);
	g_list_free(all);
	/* Running agents end through the main loop; a daemon waits for them before this. */
	if (rscs != NULL) {
		GHashTableIter it;
		gpointer k, v;
		bool busy = false;

		g_hash_table_iter_init(&it, rscs);
		while (g_hash_table_iter_next(&it, &k, &v))
			busy |= ((struct lrmd_rsc *)v)->running != NULL;
		if (!busy) {
			g_hash_table_destroy(rscs);
			rscs = NULL;
		}
	}
}

void
lrmd_rsc_stats(struct lrmd_stats *s)
{
	GHashTableIter it;
	gpointer k, v;

	*s = stats;
	s->resources = rscs != NULL ? g_hash_table_size(rscs) : 0;
	s->recurring = 0;
	s->running = 0;
	s->agent_fds = 0;
	if (rscs == NULL)
		return;
	g_hash_table_iter_init(&it, rscs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct lrmd_rsc *rsc = v;

		s->recurring += g_list_length(rsc->recurring);
		s->running += rsc->running != NULL;
		if (rsc->running != NULL)
			s->agent_fds += (rsc->running->act->child.fd[0] >= 0) +
			    (rsc->running->act->child.fd[1] >= 0);
	}
}

void
lrmd_rsc_stats_reset(void)
{
	memset(&stats, 0, sizeof(stats));
}
