/*
 * unpack_history.c - one resource's operation history on one node (lrm_rsc_op entries in
 * call-id order) into its role, failures, on-fail, active monitors; and the node's fail
 * counts.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "paceline/exitcode.h"
#include "paceline/lrmd_client.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"
#include "status_mon.h"

struct histop {
	xmlNode *x;
	int call_id;
	int pos;
	int transition;	  /* from the transition key, -1 when there is none */
	const char *uuid; /* the key's transition uuid, inside the key's text */
};

/* Pacemaker's order of a resource's history: by call-id; a pending operation (call-id -1)
 * is placed against a completed one of the same transition series by transition number
 * (the pending one last within one transition), else after every completed one. */
static int
histop_cmp(const void *a, const void *b)
{
	const struct histop *x = a, *y = b;
	if ((x->call_id < 0) != (y->call_id < 0) && x->uuid && y->uuid &&
	    !strcmp(x->uuid, y->uuid) && x->transition >= 0 && y->transition >= 0) {
		if (x->transition != y->transition)
			return x->transition < y->transition ? -1 : 1;
		return x->call_id < 0 ? 1 : -1;
	}
	int cx = x->call_id < 0 ? INT_MAX : x->call_id, cy = y->call_id < 0 ? INT_MAX : y->call_id;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->pos - y->pos;
}

static void
histop_key(struct histop *h)
{
	const char *key = pl_xml_attr(h->x, "transition-key");
	int act, tr, rc, used = 0;
	h->transition = -1;
	h->uuid = NULL;
	if (key && sscanf(key, "%d:%d:%d:%n", &act, &tr, &rc, &used) == 3 && used > 0) {
		h->transition = tr;
		h->uuid = key + used;
	}
}

static int
target_rc(xmlNode *op)
{
	const char *key = pl_xml_attr(op, "transition-key");
	int a, b, rc;
	if (key && sscanf(key, "%d:%d:%d:", &a, &b, &rc) == 3)
		return rc;
	return 0;
}

static struct pengine_opdef *
find_opdef(struct pengine_rsc *r, const char *task, long long interval)
{
	for (int i = 0; i < r->n_ops; i++)
		if (!strcmp(r->ops[i].name, task) && r->ops[i].interval_ms == interval)
			return &r->ops[i];
	return NULL;
}

void
pengine_add_running(struct pengine_rsc *r, struct pengine_node *n)
{
	for (int i = 0; i < r->n_running; i++)
		if (r->running[i] == n)
			return;
	r->running = xreallocarray(r->running, r->n_running + 1, sizeof(*r->running));
	r->running[r->n_running++] = n;
}

/* Keep a copy of a failed operation for crm_mon's "Failed Resource Actions" (once per
 * operation key and node, online nodes only, as Pacemaker lists them). */
static void
record_failed_op(struct pengine_ws *ws, struct pengine_node *n, struct pengine_rsc *r, xmlNode *op)
{
	const char *key = pl_xml_attr(op, "operation_key");
	if (key == NULL)
		key = pl_xml_id(op);
	if (!n->online)
		return;
	if (ws->failed_ops == NULL)
		ws->failed_ops = xmlNewDocNode(ws->doc, NULL, BAD_CAST "failed", NULL);
	for (xmlNode *x = ws->failed_ops->children; x; x = x->next)
		if (!g_strcmp0(pl_xml_attr(x, "operation_key") ? pl_xml_attr(x, "operation_key")
							       : pl_xml_id(x),
			key) &&
		    !g_strcmp0(pl_xml_attr(x, "on_node"), n->uname))
			return;
	xmlNode *c = pl_xml_copy(op, ws->doc);
	pl_xml_set_attr(c, "on_node", n->uname);
	pl_xml_set_attr(c, "rsc_id", r->id);
	xmlAddChild(ws->failed_ops, c);
}

/* A migration step, for migration_history.c to settle once every node's history is read */
static void
note_migration(struct pengine_ws *ws, struct pengine_rsc *r, struct pengine_rsc_node *pn,
    xmlNode *op, enum pengine_task tk, enum pengine_mig state)
{
	const char *peer =
	    pl_xml_attr(op, tk == TASK_MIGRATE_TO ? "migrate_target" : "migrate_source");
	if (peer == NULL)
		return;
	r->has_migration = true;
	if (tk == TASK_MIGRATE_TO) {
		pn->mig_to = state;
		pn->mig_to_later = false;
		pn->mig_to_change = 0;
		pl_xml_attr_int(op, "last-rc-change", 0, &pn->mig_to_change, NULL);
		pn->mig_peer = pengine_keep(ws, xstrdup(peer));
	} else {
		pn->mig_from = state;
		pn->mig_from_later = false;
		pn->mig_from_src = pengine_keep(ws, xstrdup(peer));
	}
}

void
pengine_unpack_history(
    struct pengine_ws *ws, struct pengine_node *n, struct pengine_rsc *r, xmlNode *lr)
{
	size_t cnt = pl_xml_count_children(lr, "lrm_rsc_op"), k = 0;
	struct histop *ops = xcalloc(cnt ? cnt : 1, sizeof(*ops));
	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
	{
		long long cid;
		if (!pl_xml_attr_int(op, "call-id", 0, &cid, NULL))
			cid = 0;
		ops[k].x = op;
		ops[k].call_id = (int)cid;
		ops[k].pos = (int)k;
		histop_key(&ops[k]);
		k++;
	}
	qsort(ops, k, sizeof(*ops), histop_cmp);
	struct pengine_rsc_node *pn = &r->pn[n->idx];
	/* recurring ops that still run: after the last start (or the last stop) */
	int start_i = -1, stop_i = -1;
	for (size_t i = 0; i < k; i++) {
		const char *t = pl_xml_attr(ops[i].x, "operation");
		long long rc = 0, iv = 0;
		pl_xml_attr_int(ops[i].x, "rc-code", 0, &rc, NULL);
		pl_xml_attr_int(ops[i].x, "interval", 0, &iv, NULL);
		if (t == NULL)
			continue;
		if (!strcmp(t, "start") || !strcmp(t, "migrate_from"))
			start_i = (int)i;
		else if (!strcmp(t, "stop"))
			stop_i = (int)i;
		else if (start_i <= stop_i && !strcmp(t, "monitor") && iv == 0 &&
		    (rc == PL_OCF_SUCCESS || rc == PL_OCF_RUNNING_PROMOTED))
			start_i = (int)i;
	}
	if (pn->hist_ops) /* a second history entry mapped onto the same instance */
		g_array_free(pn->hist_ops, true);
	if (pn->recurring)
		g_ptr_array_free(pn->recurring, true);
	pn->hist_ops = g_array_new(false, false, sizeof(long long));
	if (n->online) {
		for (size_t i = 0; i < k; i++) {
			long long iv = 0, st = 0;
			if (start_i < stop_i && (int)i <= stop_i)
				continue;
			if ((int)i < start_i)
				continue;
			pl_xml_attr_int(ops[i].x, "interval", 0, &iv, NULL);
			pl_xml_attr_int(ops[i].x, "op-status", 0, &st, NULL);
			const char *t = pl_xml_attr(ops[i].x, "operation");
			if (iv == 0 || st == -1 || t == NULL || strcmp(t, "monitor"))
				continue;
			g_array_append_val(pn->hist_ops, iv);
		}
	}
	enum pengine_role role = ROLE_UNKNOWN;
	bool failed = false, reset_remote = false;
	enum pengine_onfail onfail = ONFAIL_RESTART;
	pn->recurring = g_ptr_array_new_with_free_func(free);
	for (size_t i = 0; i < k; i++) {
		xmlNode *op = ops[i].x;
		const char *task = pl_xml_attr(op, "operation");
		long long rc = 0, status = 0;
		pl_xml_attr_int(op, "rc-code", 0, &rc, NULL);
		pl_xml_attr_int(op, "op-status", 0, &status, NULL);
		long long interval = 0; /* milliseconds in the history */
		pl_xml_attr_int(op, "interval", 0, &interval, NULL);
		if (task == NULL) {
			pengine_input_error(ws,
			    "status:%ld: <lrm_rsc_op id=%s> of %s on %s has no operation "
			    "attribute: entry ignored",
			    pl_xml_line(op), pl_xml_id(op) ? pl_xml_id(op) : "(none)", r->id,
			    n->uname);
			continue;
		}
		/* as Pacemaker remaps results: an executor "error" is judged by its result code
		 * against the expected one, and the degraded codes count as their healthy peers */
		if (status == 4)
			status = 0;
		if (rc == 190 || rc == 191) { /* listed among failures all the same */
			record_failed_op(ws, n, r, op);
			rc = rc == 190 ? 0 : 8;
		}
		enum pengine_task tk = pengine_task_parse(task);
		int expected = target_rc(op);
		bool probe = tk == TASK_MONITOR && interval == 0;
		if (tk == TASK_MONITOR && interval > 0) {
			if (pn->ever == NULL)
				pn->ever = g_array_new(false, false, sizeof(long long));
			g_array_append_val(pn->ever, interval);
		}
		if (probe && status != -1)
			pn->probed = true;
		if (status != PL_LRMD_PENDING && status != PL_LRMD_CANCELLED)
			pn->pending = NULL;
		if (status == PL_LRMD_PENDING || status == PL_LRMD_CANCELLED) { /* cancelled: ignored */
			if (status == PL_LRMD_PENDING && !probe && r->pending_task == NULL) {
				r->pending_task = pengine_keep(ws, xstrdup(task));
				r->pending_node = n;
			}
			if (status == PL_LRMD_PENDING) {
				pn->pending = tk == TASK_START	   ? "start"
				    : tk == TASK_STOP		   ? "stop"
				    : tk == TASK_PROMOTE	   ? "promote"
				    : tk == TASK_DEMOTE		   ? "demote"
				    : !strncmp(task, "migrate", 7) ? "migrate"
				    : probe			   ? "probe"
				    : tk == TASK_MONITOR	   ? "monitor"
								   : NULL;
				if (tk == TASK_MIGRATE_TO || tk == TASK_MIGRATE_FROM)
					note_migration(ws, r, pn, op, tk, PENGINE_MIG_PENDING);
				if (tk == TASK_MIGRATE_TO && role <= ROLE_STOPPED)
					role = ROLE_STARTED; /* still here until it completes */
				if (tk == TASK_START || tk == TASK_MIGRATE_FROM) {
					role = ROLE_STARTED;
					r->start_pending = true;
				} else if (tk == TASK_STOP) {
					role = ROLE_STARTED;
				} else if (tk == TASK_PROMOTE) {
					role = ROLE_PROMOTED;
				} else if (probe && role == ROLE_UNKNOWN) {
					pn->unknown_pending = true;
				}
			}
			continue;
		}
		bool done = status == PL_LRMD_DONE;
		bool ok = done &&
		    (rc == expected ||
			(probe &&
			    (rc == PL_OCF_NOT_RUNNING || rc == PL_OCF_SUCCESS ||
				rc == PL_OCF_RUNNING_PROMOTED)) ||
			(rc == PL_OCF_SUCCESS && expected == PL_OCF_SUCCESS));
		if (done && !probe && tk == TASK_MONITOR && rc == PL_OCF_NOT_RUNNING &&
		    expected == PL_OCF_NOT_RUNNING)
			ok = true;
		/* newer than a migration step: an operation but a monitor, or (for the target's
		 * state) a monitor that found it not running */
		bool not_running = tk == TASK_MONITOR && rc == PL_OCF_NOT_RUNNING;
		if ((tk != TASK_MONITOR && tk != TASK_NOTIFY) || not_running) {
			long long when = 0;
			pl_xml_attr_int(op, "last-rc-change", 0, &when, NULL);
			if (!not_running)
				pn->mig_to_later = pn->mig_to != PENGINE_MIG_NONE;
			pn->mig_from_later = pn->mig_from != PENGINE_MIG_NONE;
			if (tk != TASK_MIGRATE_FROM && when > pn->other_change)
				pn->other_change = when;
		}
		if (tk == TASK_MIGRATE_TO || tk == TASK_MIGRATE_FROM)
			note_migration(ws, r, pn, op, tk, ok ? PENGINE_MIG_OK : PENGINE_MIG_FAILED);
		if (ok) {
			if (probe || tk == TASK_MONITOR) {
				if (rc == PL_OCF_NOT_RUNNING) {
					role = ROLE_STOPPED;
					failed = false;
				} else if (rc == PL_OCF_RUNNING_PROMOTED) {
					role = ROLE_PROMOTED;
				} else if (role == ROLE_UNKNOWN || role == ROLE_STOPPED || probe) {
					role = ROLE_STARTED;
				}
				/* a monitor whose parameters changed is rescheduled: not counted as running */
				if (!probe &&
				    !(r->managed && !r->orphan && pengine_op_changed(ws, r, op))) {
					char *key = xasprintf("%s_%lld", task, interval);
					g_ptr_array_add(pn->recurring, key);
				}
			} else if (tk == TASK_START || tk == TASK_MIGRATE_FROM) {
				role = ROLE_STARTED;
				failed = false;
				g_ptr_array_set_size(pn->recurring, 0);
			} else if (tk == TASK_STOP || tk == TASK_MIGRATE_TO) {
				role = ROLE_STOPPED;
				failed = false;
				g_ptr_array_set_size(pn->recurring, 0);
			} else if (tk == TASK_PROMOTE) {
				role = ROLE_PROMOTED;
				g_ptr_array_set_size(pn->recurring, 0); /* role monitors restart */
			} else if (tk == TASK_DEMOTE) {
				role = ROLE_UNPROMOTED;
				g_ptr_array_set_size(pn->recurring, 0);
			}
			continue;
		}
		/* a failure; one older than failure-timeout is forgotten (unless it blocks) */
		struct pengine_opdef *od = find_opdef(r, task, interval);
		if (r->failure_timeout > 0 &&
		    !(od && od->on_fail_set && od->on_fail == ONFAIL_BLOCK)) {
			long long when = 0;
			if (!pl_xml_attr_int(op, "last-rc-change", 0, &when, NULL) || when == 0)
				pl_xml_attr_int(op, "last-run", 0, &when, NULL);
			if (when > 0 && when + r->failure_timeout <= ws->now.epoch) {
				pn->fail_expired = true;
				if (probe)
					pn->probed = false;
				continue;
			}
		}
		struct pengine_opdef *d = find_opdef(r, task, interval);
		if (d && !d->enabled && interval > 0)
			pn->fail_disabled = true; /* its fail count is cleared */

		bool set;
		enum pengine_onfail of =
		    d && d->on_fail_set ? d->on_fail : pengine_onfail_parse(NULL, &set);
		if (!(d && d->on_fail_set)) {
			if (tk == TASK_STOP)
				of = ws->stonith_enabled ? ONFAIL_FENCE : ONFAIL_BLOCK;
			else
				of = ONFAIL_RESTART;
		}
		/* a hard failure (not installed, invalid arguments, unimplemented): it may not
		 * run on this node any more (unless its failures are ignored) */
		bool lsb_status = tk == TASK_MONITOR && g_strcmp0(r->cls, "lsb") == 0;
		bool hard = !probe &&
		    (status == PL_LRMD_NOT_INSTALLED || rc == PL_OCF_ERR_INSTALLED ||
			(!lsb_status && /* an LSB status 2/3 is no hard failure */
			    (rc == PL_OCF_ERR_ARGS || rc == PL_OCF_ERR_UNIMPLEMENTED)));
		if (status == PL_LRMD_NOT_INSTALLED && of == ONFAIL_IGNORE)
			of = ONFAIL_RESTART; /* the executor found no agent: never ignored */
		record_failed_op(ws, n, r, op);
		if (rc == PL_OCF_ERR_ARGS || rc == PL_OCF_ERR_UNIMPLEMENTED) {
			/* a hard failure: Pacemaker bans the resource from the node and says so */
			const struct pengine_rsc *top = r; /* named as its clone, or bundle's */
			for (const struct pengine_rsc *p = r->parent; p; p = p->parent)
				if (p->kind == KIND_CLONE || p->kind == KIND_BUNDLE)
					top = p;
			char *name = top->kind == KIND_BUNDLE ? xasprintf("%s-clone", top->id)
							      : xstrdup(top->id);
			pengine_log(ws, "unpack_rsc_op", "error",
			    "Preventing %s from restarting on %s because of hard failure (%s)| "
			    "rc=%lld id=%s",
			    name, n->uname, mon_ocf_str((int)rc), rc, pl_xml_id(op));
			free(name);
		}
		if (of == ONFAIL_IGNORE) {
			if (role == ROLE_UNKNOWN || role == ROLE_STOPPED)
				role = ROLE_STARTED;
			r->failure_ignored = true;
			continue;
		}
		if (n->lost && ws->stonith_enabled) {
			/* fencing will settle it: the resource only counts as active there */
			if (role == ROLE_UNKNOWN || role == ROLE_STOPPED)
				role = ROLE_STARTED;
			continue;
		}
		onfail = of;
		failed = true;
		if (hard)
			pn->hard_ban = true;
		if (rc == PL_OCF_ERR_CONFIGURED) /* fatal: it may run nowhere */
			r->stop_on_fail = true;
		/* a remote connection's failure (not a probe's or a stop's) with the default
		 * on-fail and fencing: the remote node is fenced (Pacemaker's reset-remote) */
		reset_remote = r->is_remote_conn && !r->implicit && ws->stonith_enabled &&
		    !(d && d->on_fail_set) && tk != TASK_STOP && tk != TASK_START && !probe;
		if (tk == TASK_STOP || tk == TASK_START || tk == TASK_MONITOR ||
		    tk == TASK_PROMOTE || tk == TASK_DEMOTE || tk == TASK_MIGRATE_TO ||
		    tk == TASK_MIGRATE_FROM) /* a failed migration step leaves it active */
			if (!(probe && rc == PL_OCF_NOT_RUNNING))
				role = (rc == PL_OCF_NOT_RUNNING && tk == TASK_MONITOR && !probe)
				    ? ROLE_STARTED
				    : (role == ROLE_PROMOTED ? ROLE_PROMOTED : ROLE_STARTED);
	}
	if (role == ROLE_STARTED && r->parent && r->parent->promotable &&
	    (r->parent->kind != KIND_BUNDLE || r->bundled))
		role = ROLE_UNPROMOTED;
	pn->role = role;
	if (role != ROLE_UNKNOWN && role != ROLE_STOPPED) {
		pn->active = true;
		pengine_add_running(r, n);
		if (role > r->role)
			r->role = role;
	}
	/* the parameters changed since the last start: restart it there, or reload the agent
	 * when only parameters it can reload changed (reload.c) */
	enum pengine_definition def = PENGINE_DEF_SAME;
	if (pn->active && !failed && n->online && r->managed && !r->orphan && start_i >= 0)
		def = pengine_definition_check(ws, r, ops[start_i].x);
	if (def == PENGINE_DEF_RELOAD && !r->start_pending) {
		pn->reload = true;
		pn->fail_changed = true; /* its failures were of the old definition */
	} else if (def != PENGINE_DEF_SAME) {
		r->restart_due = true;
		pn->fail_changed = true; /* its failures were of the old definition */
		if (r->restart_reason == NULL)
			r->restart_reason = xstrdup("resource definition change");
	}
	if (failed && pn->active) {
		pn->failed = true;
		r->failed = true;
		r->reset_remote = r->reset_remote || reset_remote;
		if (onfail > r->on_fail)
			r->on_fail = onfail;
		if (onfail == ONFAIL_BLOCK || (onfail == ONFAIL_FENCE && !ws->stonith_enabled))
			r->blocked = true;
		if (onfail == ONFAIL_STOP)
			r->stop_on_fail = true;
		if (onfail == ONFAIL_FENCE && ws->stonith_enabled && n->online) {
			n->unclean = true;
			n->unclean_reason = pengine_keep(ws, xasprintf("%s failed there", r->id));
		}
	}
	free(ops);
}

void
pengine_unpack_failcounts(struct pengine_ws *ws, struct pengine_node *n)
{
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, n->attrs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *name = k;
		bool fc = !strncmp(name, "fail-count-", 11), lf = !strncmp(name, "last-failure-", 13);
		if (!fc && !lf)
			continue;
		char *rid = xstrdup(name + (fc ? 11 : 13));
		char *hash = strchr(rid, '#');
		if (hash)
			*hash = '\0';
		struct pengine_rsc *r = g_hash_table_lookup(ws->rsc_by_id, rid);
		struct pengine_rsc *c = g_hash_table_lookup(ws->clone_by_child, rid);
		free(rid);
		if (c && (r == NULL || r->kind != KIND_PRIMITIVE || r->parent != c)) {
			/* an anonymous clone's counts name the cloned primitive: they belong to the
			 * instance whose history is on this node */
			r = NULL;
			for (int i = 0; i < c->n_children && r == NULL; i++)
				if (c->children[i]->kind == KIND_PRIMITIVE &&
				    c->children[i]->pn[n->idx].lrm_name)
					r = c->children[i];
		}
		if (r == NULL || r->kind != KIND_PRIMITIVE)
			continue;
		if (fc)
			r->pn[n->idx].failcount =
			    pl_score_add(r->pn[n->idx].failcount, pl_score_parse(v));
		else {
			long long t = strtoll(v, NULL, 10);
			if (t > r->pn[n->idx].last_failure)
				r->pn[n->idx].last_failure = t;
		}
	}
}
