/*
 * lrmio.c - paceline-crmd and its local lrmd: the state machine's lrmd_* ops, results as
 * crmd_lrmd_result() inputs, the history a restarted controller or a new DC rebuilds from.
 *
 * lrmd knows a resource's id but results do not carry its agent, so the agent of every
 * resource crmd ran something on is kept here (and learnt again from the history after a
 * restart), as are the digests of the parameters each operation ran with (op-digest).
 * Recurring operations are detached: they survive a crash of crmd, which then finds them
 * in the history instead of restarting anything.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "io.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/lrmd_client.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "status.h"

struct agent {
	char *rclass, *provider, *type;
};

static GHashTable *agents;	    /* rsc id -> struct agent */
static GHashTable *digests;	    /* "rsc action interval" -> op-digest */
static GHashTable *restart_digests; /* "rsc action interval" -> op-restart-digest */
static GHashTable *restart_lists;   /* "class:provider:type" -> op-force-restart, NULL: none */
static GHashTable *reload_actions;  /* "class:provider:type" -> "reload-agent", "reload" */
static GHashTable *reload_mapped;   /* rsc ids running "reload" for the graph's reload-agent */

static void
agent_free(gpointer p)
{
	struct agent *a = p;

	free(a->rclass);
	free(a->provider);
	free(a->type);
	free(a);
}

static void
remember_agent(const char *rsc, const char *rclass, const char *provider, const char *type)
{
	struct agent *a = XNEW(struct agent);

	a->rclass = xstrdup(rclass ? rclass : "");
	a->provider = xstrdup(provider ? provider : "");
	a->type = xstrdup(type ? type : "");
	g_hash_table_replace(agents, xstrdup(rsc), a);
}

static char *
digest_key(const char *rsc, const char *action, uint32_t interval_ms)
{
	return xasprintf("%s %s %" PRIu32, rsc, action, interval_ms);
}

static void
fill_agent(struct crmd_op_result *r)
{
	struct agent *a = g_hash_table_lookup(agents, r->rsc_id);
	char *k = digest_key(r->rsc_id, r->action, r->interval_ms);
	const char *d = g_hash_table_lookup(digests, k);

	r->rclass = xstrdup(a ? a->rclass : "");
	r->provider = xstrdup(a ? a->provider : "");
	r->type = xstrdup(a ? a->type : "");
	r->op_digest = xstrdup(d ? d : "");
	d = g_hash_table_lookup(restart_digests, k);
	r->op_restart_digest = xstrdup(d ? d : "");
	free(k);
}

static int
target_of(const char *key)
{
	int target;

	return crmd_transition_key_parse(key, NULL, NULL, &target, NULL) ? target : -1;
}

/* ---- results ----------------------------------------------------------------------- */

static void
result_input(struct crmd_op_result *r)
{
	if (io.fsm != NULL) {
		crmd_lrmd_result(io.fsm, r, io_now());
		io_input_done();
	}
}

static void
on_lrmd_event(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	struct pl_lrmd_result res;
	struct crmd_op_result r;

	(void)c;
	(void)arg;
	if (!pl_lrmd_result_decode(ev, &res))
		return;
	if (!g_hash_table_contains(agents, res.rsc_id)) {
		/* an operation someone else ran (paceline-lrmd-exec): not the cluster's */
		pl_lrmd_result_clear(&res);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.rsc_id = xstrdup(res.rsc_id);
	r.action = xstrdup(res.action);
	if (strcmp(res.action, "reload") == 0 && g_hash_table_remove(reload_mapped, res.rsc_id)) {
		free(r.action); /* the graph's reload-agent, run as reload */
		r.action = xstrdup("reload-agent");
	}
	r.interval_ms = res.interval_ms;
	r.transition_key = xstrdup(res.user_data ? res.user_data : "");
	r.exit_reason = xstrdup(res.exit_reason ? res.exit_reason : "");
	r.call_id = res.call_id;
	r.rc = res.rc;
	r.status = res.status;
	r.target_rc = target_of(r.transition_key);
	r.run_wall_ms = res.run_wall_ms;
	r.last_rc_change = res.run_wall_ms ? res.run_wall_ms / 1000 : (uint64_t)pl_wall_s();
	r.exec_ms = res.exec_ms;
	r.queue_ms = res.queue_ms;
	fill_agent(&r);
	log_info("result of %s_%s_%u: %s (rc=%d, %s, %ums)", r.rsc_id, r.action, r.interval_ms,
	    pl_ocf_rc_name(r.rc), r.rc, pl_lrmd_status_name(r.status), r.exec_ms);
	pl_lrmd_result_clear(&res);
	result_input(&r);
	crmd_op_result_clear(&r);
}

static void
on_lrmd_gone(struct pl_ipc_conn *c, void *arg)
{
	(void)c;
	(void)arg;
	fatalx("lost the connection to paceline-lrmd");
}

/* A result made here (the request could not even be queued): delivered from the loop. */
static void
deferred_result(void *arg)
{
	struct crmd_op_result *r = arg;

	result_input(r);
	crmd_op_result_clear(r);
	free(r);
}

static void
synthesize(const struct crmd_rsc_action *a, const char *action, int rc, int status, const char *reason)
{
	struct crmd_op_result *r = XNEW(struct crmd_op_result);

	r->rsc_id = xstrdup(a->rsc_id);
	r->action = xstrdup(action);
	r->interval_ms = a->interval_ms;
	r->transition_key = xstrdup(a->transition_key ? a->transition_key : "");
	r->exit_reason = xstrdup(reason);
	r->rc = rc;
	r->status = status;
	r->target_rc = a->target_rc;
	r->last_rc_change = (uint64_t)pl_wall_s();
	r->run_wall_ms = pl_wall_ms();
	fill_agent(r);
	io_defer(deferred_result, r);
}

/* ---- ops --------------------------------------------------------------------------- */

/* The agent's op-force-restart list (crmd_restart_list), from its meta-data read once from
 * lrmd (which caches it too); NULL when the agent cannot reload or lrmd could not say. */
const char *
lrmio_restart_list(const char *rclass, const char *provider, const char *type)
{
	struct pl_error err = PL_ERROR_INIT;
	char *key, *md, *list;
	gpointer v;

	if (io.lrmd == NULL || rclass == NULL || type == NULL || strcmp(rclass, "ocf") != 0)
		return NULL; /* only OCF agents can reload */
	key = xasprintf("%s:%s:%s", rclass, provider ? provider : "", type);
	if (g_hash_table_lookup_extended(restart_lists, key, NULL, &v)) {
		free(key);
		return v;
	}
	md = pl_lrmd_metadata(io.lrmd, rclass, provider && *provider ? provider : NULL, type, &err);
	if (md == NULL) { /* asked once: a missing agent is not asked for every record */
		log_info("no meta-data for %s (%s): its operations get no op-restart-digest", key,
		    err.text);
		g_hash_table_replace(restart_lists, key, NULL);
		return NULL;
	}
	list = crmd_restart_list(md, strlen(md));
	const char *ra = crmd_reload_action(md, strlen(md));
	if (ra != NULL)
		g_hash_table_replace(reload_actions, xstrdup(key), (gpointer)ra);
	free(md);
	g_hash_table_replace(restart_lists, key, list);
	return list;
}

/* The graph says reload-agent (Pacemaker 2.1.5's scheduler always does); an agent that only
 * offers the older `reload` runs that, as Pacemaker's controller does. Its result is
 * reported under the graph's name. */
static const char *
agent_action(const struct crmd_rsc_action *a)
{
	char *key;
	const char *ra;

	if (strcmp(a->action, "reload-agent") != 0)
		return a->action;
	(void)lrmio_restart_list(a->rclass, a->provider, a->type); /* reads the meta-data */
	key = xasprintf("%s:%s:%s", a->rclass, a->provider ? a->provider : "", a->type);
	ra = g_hash_table_lookup(reload_actions, key);
	free(key);
	if (ra == NULL || strcmp(ra, "reload") != 0)
		return a->action;
	g_hash_table_add(reload_mapped, xstrdup(a->rsc_id));
	return "reload";
}

static void
op_lrmd_cancel(void *arg, const char *rsc, const char *action, uint32_t interval_ms)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	if (!pl_lrmd_cancel(io.lrmd, rsc, action, interval_ms, &err) && err.code != PL_EXIT_NOSUCH)
		log_warnx("cannot cancel %s_%s_%u: %s", rsc, action, interval_ms, err.text);
}

static void
op_lrmd_exec(void *arg, const struct crmd_rsc_action *a)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_lrmd_op op = { 0 };
	char digest[33], *k;

	(void)arg;
	if (strcmp(a->action, "cancel") == 0) {
		op_lrmd_cancel(arg, a->rsc_id, a->cancel_action, a->interval_ms);
		/* confirm the cancel action itself at once */
		synthesize(a, a->cancel_action, PL_OCF_SUCCESS, PL_LRMD_CANCELLED, "");
		return;
	}
	remember_agent(a->rsc_id, a->rclass, a->provider, a->type);
	crmd_op_digest(&a->params, a->interval_ms, a->timeout_ms, digest);
	k = digest_key(a->rsc_id, a->action, a->interval_ms);
	g_hash_table_replace(digests, xstrdup(k), xstrdup(digest));
	const char *rl = a->interval_ms ? NULL : lrmio_restart_list(a->rclass, a->provider, a->type);
	if (rl != NULL) {
		crmd_restart_digest(&a->params, rl, digest);
		g_hash_table_replace(restart_digests, k, xstrdup(digest));
	} else {
		g_hash_table_remove(restart_digests, k);
		free(k);
	}
	op.rsc_id = a->rsc_id;
	op.rclass = a->rclass;
	op.provider = a->provider && *a->provider ? a->provider : NULL;
	op.type = a->type;
	op.action = agent_action(a);
	op.interval_ms = a->interval_ms;
	op.timeout_ms = a->timeout_ms;
	op.start_delay_ms = a->start_delay_ms;
	op.flags = a->interval_ms > 0 ? PL_LRMD_EXEC_DETACHED : 0;
	op.params = &a->params;
	op.meta = &a->meta;
	op.user_data = a->transition_key;
	log_info("executing %s_%s_%u (%s)", a->rsc_id, a->action, a->interval_ms,
	    a->transition_key ? a->transition_key : "");
	if (pl_lrmd_exec(io.lrmd, &op, &err) == 0) {
		log_warnx(
		    "cannot execute %s_%s_%u: %s", a->rsc_id, a->action, a->interval_ms, err.text);
		synthesize(a, a->action, PL_OCF_ERR_GENERIC, PL_LRMD_ERROR, err.text);
	}
}

static void
op_lrmd_forget(void *arg, const char *rsc)
{
	struct pl_error err = PL_ERROR_INIT;
	GList *ids = NULL;

	(void)arg;
	if (rsc != NULL) {
		ids = g_list_prepend(ids, xstrdup(rsc));
	} else {
		GHashTableIter it;
		gpointer k;

		g_hash_table_iter_init(&it, agents);
		while (g_hash_table_iter_next(&it, &k, NULL))
			ids = g_list_prepend(ids, xstrdup(k));
	}
	for (GList *l = ids; l; l = l->next) {
		pl_error_clear(&err);
		if (!pl_lrmd_remove(io.lrmd, l->data, &err) && err.code != PL_EXIT_NOSUCH)
			log_warnx("cannot make lrmd forget %s: %s", (char *)l->data, err.text);
	}
	g_list_free_full(ids, free);
}

static bool
uattr(const xmlNode *n, const char *name, uint64_t *out)
{
	long long v;

	if (!pl_xml_attr_int(n, name, 0, &v, NULL) || v < 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

static size_t
op_lrmd_history(void *arg, struct crmd_op_result **out)
{
	struct pl_error err = PL_ERROR_INIT;
	char *text = pl_lrmd_history(io.lrmd, "", &err);
	xmlDoc *doc;
	size_t n = 0, cap = 16;
	struct crmd_op_result *v = xcalloc(cap, sizeof(*v));

	(void)arg;
	*out = v;
	if (text == NULL) {
		log_warnx("cannot read lrmd's history: %s", err.text);
		return 0;
	}
	doc = pl_xml_parse_string(text, "lrmd history", &err);
	free(text);
	if (doc == NULL) {
		log_warnx("lrmd's history: %s", err.text);
		return 0;
	}
	PL_XML_FOREACH_CHILD(pl_xml_root(doc), "resource", res)
	{
		const char *id = pl_xml_id(res);

		if (id == NULL)
			continue;
		remember_agent(id, pl_xml_attr(res, "class"), pl_xml_attr(res, "provider"),
		    pl_xml_attr(res, "type"));
		PL_XML_FOREACH_CHILD(res, "op", op)
		{
			struct crmd_op_result *r;
			uint64_t iv = 0, call = 0, lrc = 0, ex = 0, q = 0, run = 0;
			long long rc = 0, st = 0;
			const char *act = pl_xml_attr(op, "operation"), *rec;

			if (act == NULL || !uattr(op, "interval", &iv) ||
			    !uattr(op, "call-id", &call) ||
			    !pl_xml_attr_int(op, "rc-code", 0, &rc, NULL) ||
			    !pl_xml_attr_int(op, "op-status", 0, &st, NULL) ||
			    !uattr(op, "last-rc-change", &lrc) || !uattr(op, "exec-time", &ex) ||
			    !uattr(op, "queue-time", &q) || !uattr(op, "last-run", &run))
				continue;
			if (n == cap) {
				cap *= 2;
				v = xreallocarray(v, cap, sizeof(*v));
				*out = v;
			}
			r = &v[n++];
			memset(r, 0, sizeof(*r));
			r->rsc_id = xstrdup(id);
			r->action = xstrdup(act);
			r->interval_ms = (uint32_t)iv;
			r->transition_key = xstrdup(
			    pl_xml_attr(op, "user-data") ? pl_xml_attr(op, "user-data") : "");
			r->exit_reason = xstrdup(
			    pl_xml_attr(op, "exit-reason") ? pl_xml_attr(op, "exit-reason") : "");
			r->call_id = (uint32_t)call;
			r->rc = (int)rc;
			r->status = (int)st;
			/* a recurring op that is no longer scheduled is history, not activity */
			rec = pl_xml_attr(op, "recurring");
			if (iv > 0 && !(rec && strcmp(rec, "1") == 0) && r->status == PL_LRMD_DONE)
				r->status = PL_LRMD_CANCELLED;
			r->target_rc = target_of(r->transition_key);
			r->last_rc_change = lrc;
			r->run_wall_ms = run * 1000;
			r->exec_ms = (uint32_t)ex;
			r->queue_ms = (uint32_t)q;
			fill_agent(r);
		}
	}
	xmlFreeDoc(doc);
	return n;
}

void
lrmio_fill_ops(struct crmd_ops *ops)
{
	ops->lrmd_exec = op_lrmd_exec;
	ops->lrmd_cancel = op_lrmd_cancel;
	ops->lrmd_forget = op_lrmd_forget;
	ops->lrmd_history = op_lrmd_history;
}

bool
lrmio_connect(int wait_ms, struct pl_error *err)
{
	static const struct pl_ipc_conn_ops ops = { .event = on_lrmd_event,
		.disconnected = on_lrmd_gone };
	uint64_t deadline = pl_mono_ms() + (uint64_t)wait_ms;

	agents = g_hash_table_new_full(g_str_hash, g_str_equal, free, agent_free);
	digests = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	restart_digests = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	restart_lists = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	reload_actions = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	reload_mapped = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	for (;;) {
		pl_error_clear(err);
		io.lrmd = pl_lrmd_connect(1000, err);
		if (io.lrmd != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (io.lrmd == NULL || !pl_lrmd_subscribe(io.lrmd, err))
		return false;
	pl_ipc_conn_attach(pl_lrmd_conn(io.lrmd), NULL, &ops, NULL);
	return true;
}

void
lrmio_close(void)
{
	if (io.lrmd)
		pl_lrmd_disconnect(io.lrmd);
	io.lrmd = NULL;
	if (agents)
		g_hash_table_destroy(agents);
	if (digests)
		g_hash_table_destroy(digests);
	if (restart_digests)
		g_hash_table_destroy(restart_digests);
	if (restart_lists)
		g_hash_table_destroy(restart_lists);
	if (reload_actions)
		g_hash_table_destroy(reload_actions);
	if (reload_mapped)
		g_hash_table_destroy(reload_mapped);
	agents = digests = restart_digests = restart_lists = reload_actions = reload_mapped = NULL;
}
