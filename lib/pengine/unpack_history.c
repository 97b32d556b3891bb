/*
 * unpack_history.c - one resource's operation history on one node (lrm_rsc_op entries in
 * call-id order) into its role, failures, on-fail, active monitors; and the node's fail
 * counts.
 */
#include <errno.h>
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

/* One lrm_rsc_op, its attributes read in one pass (a large status holds millions). */
struct histop {
	xmlNode *x;
	const char *task; /* operation */
	long long call_id, rc, status, interval, last_rc_change, last_run;
	int expected; /* the rc the transition key expects */
	int pos;
	int transition;	  /* from the transition key, -1 when there is none */
	long long rc_change_order; /* last-rc-change, -1 when missing (ordering only) */
	const char *uuid; /* the key's transition uuid, inside the key's text */
};

/* An integer attribute as pl_xml_attr_int reads it: `def` when absent or not an integer. */
static long long
int_value(const char *text, long long def)
{
	if (text == NULL)
		return def;
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (end == text || errno != 0)
		return def;
	while (*end == ' ' || *end == '\t')
		end++;
	return *end == '\0' ? v : def;
}

/* "action:transition:target-rc:uuid" -> the expected rc (0 when unreadable, as sscanf's
 * "%d:%d:%d:" reads it: what follows the rc does not matter), the transition number and the
 * uuid (-1 and NULL unless the rc is followed by ':') */
static void
read_key(struct histop *h, const char *key)
{
	long v[3];
	const char *p = key;
	char *end;

	h->expected = 0;
	h->transition = -1;
	h->uuid = NULL;
	if (key == NULL)
		return;
	for (int field = 0; field < 3; field++) {
		v[field] = strtol(p, &end, 10);
		if (end == p || (field < 2 && *end != ':'))
			return;
		p = end + 1;
	}
	h->expected = (int)v[2];
	if (*end == ':') {
		h->transition = (int)v[1];
		h->uuid = end + 1;
	}
}

static void
read_op(struct histop *h, xmlNode *op)
{
	const char *call_id = NULL, *rc = NULL, *status = NULL, *interval = NULL, *key = NULL;
	const char *lrc = NULL, *lrun = NULL;
	h->x = op;
	h->task = NULL;
	for (xmlAttr *a = op->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		const char *v =
		    a->children && a->children->content ? (const char *)a->children->content : "";
		switch (name[0]) {
		case 'c':
			if (!strcmp(name, "call-id"))
				call_id = v;
			break;
		case 'r':
			if (!strcmp(name, "rc-code"))
				rc = v;
			break;
		case 'o':
			if (!strcmp(name, "op-status"))
				status = v;
			else if (!strcmp(name, "operation"))
				h->task = v;
			break;
		case 'i':
			if (!strcmp(name, "interval"))
				interval = v;
			break;
		case 't':
			if (!strcmp(name, "transition-key"))
				key = v;
			break;
		case 'l':
			if (!strcmp(name, "last-rc-change"))
				lrc = v;
			else if (!strcmp(name, "last-run"))
				lrun = v;
			break;
		default: break;
		}
	}
	h->call_id = int_value(call_id, 0);
	h->rc = int_value(rc, 0);
	h->status = int_value(status, 0);
	h->interval = int_value(interval, 0);
	h->last_rc_change = int_value(lrc, 0);
	h->rc_change_order = int_value(lrc, -1);
	h->last_run = int_value(lrun, 0);
	read_key(h, key);
}

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
	long long cx = x->call_id < 0 ? INT_MAX : x->call_id;
	long long cy = y->call_id < 0 ? INT_MAX : y->call_id;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	/* the same completed call (an operation and its failure record): the older change
	 * first, as Pacemaker orders them when both say when */
	if (x->call_id >= 0 && x->rc_change_order >= 0 && y->rc_change_order >= 0 &&
	    x->rc_change_order != y->rc_change_order)
		return x->rc_change_order < y->rc_change_order ? -1 : 1;
	return x->pos - y->pos;
}

/* the entries of a history, read, in histop_cmp's order (*k of them; the caller frees) */
static struct histop *
ordered_ops(xmlNode *lr, size_t *k)
{
	size_t cnt = pl_xml_count_children(lr, "lrm_rsc_op");
	struct histop *ops = xcalloc(cnt ? cnt : 1, sizeof(*ops));
	*k = 0;
	PL_XML_FOREACH_CHILD(lr, "lrm_rsc_op", op)
	{
		read_op(&ops[*k], op);
		ops[*k].call_id = (int)ops[*k].call_id; /* compared as an int, as always */
		ops[*k].pos = (int)*k;
		(*k)++;
	}
	qsort(ops, *k, sizeof(*ops), histop_cmp);
	return ops;
}

GPtrArray *
pengine_history_ordered(xmlNode *lr)
{
	size_t k = 0;
	struct histop *ops = ordered_ops(lr, &k);
	GPtrArray *a = g_ptr_array_sized_new((guint)k);
	for (size_t i = 0; i < k; i++)
		g_ptr_array_add(a, ops[i].x);
	free(ops);
	return a;
}

static struct pengine_opdef *
find_opdef(struct pengine_rsc *r, const char *task, long long interval)
{
	for (int i = 0; i < r->n_ops; i++)
		if (!strcmp(r->ops[i].name, task) && r->ops[i].interval_ms == interval)
			return &r->ops[i];
	return NULL;
}

static void
forget_recurring(struct pengine_rsc_node *pn)
{
	if (pn->recurring)
		g_ptr_array_set_size(pn->recurring, 0);
}

/* Two records of one call (the operation's and its last_failure): the one changed
 * earlier is superseded by the other. */
static bool
superseded(const struct histop *ops, size_t k, size_t i)
{
	long long ti = -1, tj = -1;
	pl_xml_attr_int(ops[i].x, "last-rc-change", -1, &ti, NULL);
	for (size_t j = 0; j < k; j++) {
		if (j == i || ops[j].call_id != ops[i].call_id || ops[i].call_id < 0 ||
		    g_strcmp0(pl_xml_attr(ops[j].x, "operation_key"),
			pl_xml_attr(ops[i].x, "operation_key")))
			continue;
		if (pl_xml_attr_int(ops[j].x, "last-rc-change", -1, &tj, NULL) && ti >= 0 && tj > ti)
			return true;
	}
	return false;
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
 * operation key and node, online nodes only, as Pacemaker lists them: entries of old
 * histories without an operation_key all count as one key per node). */
static void
record_failed_op(struct pengine_ws *ws, struct pengine_node *n, struct pengine_rsc *r, xmlNode *op)
{
	const char *key = pl_xml_attr(op, "operation_key");
	if (!n->online)
		return;
	if (ws->failed_ops == NULL)
		ws->failed_ops = xmlNewDocNode(ws->doc, NULL, BAD_CAST "failed", NULL);
	for (xmlNode *x = ws->failed_ops->children; x; x = x->next)
		if (!g_strcmp0(pl_xml_attr(x, "operation_key"), key) &&
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
	size_t k = 0;
	struct histop *ops = ordered_ops(lr, &k);
	struct pengine_rsc_node *pn = &r->pn[n->idx];
	/* recurring ops that still run: after the last start (or the last stop) */
	int start_i = -1, stop_i = -1;
	for (size_t i = 0; i < k; i++) {
		const char *t = ops[i].task;
		long long rc = ops[i].rc, iv = ops[i].interval;
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
	pn->hist_ops = NULL; /* both made when something goes in (most pairs have none) */
	pn->recurring = NULL;
	pn->history = true;
	if (n->online) {
		for (size_t i = 0; i < k; i++) {
			if (start_i < stop_i && (int)i <= stop_i)
				continue;
			if ((int)i < start_i)
				continue;
			long long iv = ops[i].interval, st = ops[i].status;
			const char *t = ops[i].task;
			if (iv == 0 || st == -1 || t == NULL || strcmp(t, "monitor"))
				continue;
			if (pn->hist_ops == NULL)
				pn->hist_ops = g_array_new(false, false, sizeof(long long));
			g_array_append_val(pn->hist_ops, iv);
		}
	}
	enum pengine_role role = ROLE_UNKNOWN;
	bool failed = false, reset_remote = false;
	enum pengine_onfail onfail = ONFAIL_RESTART;
	bool stop_here = false; /* on-fail stop for an agent not installed: this node only */
	for (size_t i = 0; i < k; i++) {
		xmlNode *op = ops[i].x;
		if (ops[i].rc != ops[i].expected && superseded(ops, k, i)) {
			/* a failure the same call's newer record overrides: listed only */
			record_failed_op(ws, n, r, op);
			continue;
		}
		const char *task = ops[i].task;
		long long rc = ops[i].rc, status = ops[i].status;
		long long interval = ops[i].interval; /* milliseconds in the history */
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
		int expected = ops[i].expected;
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
		if (ok && rc == PL_OCF_NOT_RUNNING && !probe && tk != TASK_MONITOR) {
			/* any other operation expected to find it not running (as Pacemaker
			 * remaps rc 7): stopped there, earlier failures forgotten */
			role = ROLE_STOPPED;
			failed = false;
			forget_recurring(pn);
			continue;
		}
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
					if (pn->recurring == NULL)
						pn->recurring = g_ptr_array_new_with_free_func(free);
					g_ptr_array_add(pn->recurring, key);
				}
			} else if (tk == TASK_START || tk == TASK_MIGRATE_FROM) {
				role = ROLE_STARTED;
				failed = false;
				forget_recurring(pn);
			} else if (tk == TASK_STOP || tk == TASK_MIGRATE_TO) {
				role = ROLE_STOPPED;
				failed = false;
				forget_recurring(pn);
			} else if (tk == TASK_PROMOTE) {
				role = ROLE_PROMOTED;
				/* a completed promotion clears an earlier failure, as a start
				 * does (colocation-influence) */
				if (onfail != ONFAIL_STOP && onfail != ONFAIL_FENCE &&
				    onfail != ONFAIL_STANDBY)
					failed = false;
				forget_recurring(pn); /* role monitors restart */
			} else if (tk == TASK_DEMOTE) {
				role = ROLE_UNPROMOTED;
				if (onfail == ONFAIL_DEMOTE) /* demoted as on-fail asked */
					failed = false;
				forget_recurring(pn);
			}
			continue;
		}
		/* a failure; one older than failure-timeout is forgotten (unless it blocks) */
		struct pengine_opdef *od = find_opdef(r, task, interval);
		/* a failure of an operation with on-fail=block: Pacemaker drops the resource's
		 * failure-timeout altogether ("conflicts with on-fail=block"), so its fail
		 * count is never cleared as expired (failcount-block) */
		if (od && od->on_fail_set && od->on_fail == ONFAIL_BLOCK && r->failure_timeout > 0)
			r->failure_timeout = 0;
		if (r->failure_timeout > 0) {
			long long when = ops[i].last_rc_change;
			if (when == 0)
				when = ops[i].last_run;
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
		/* a probe that found the agent missing (or its parameters invalid) says only
		 * that the resource cannot run there: not running, no failure listed, shown
		 * "Stopped (not installed)" (Pacemaker masks such probe failures; a bundled
		 * resource's still shows FAILED, though unlisted) */
		bool masked = probe &&
		    (status == PL_LRMD_NOT_INSTALLED || rc == PL_OCF_ERR_INSTALLED ||
			rc == PL_OCF_ERR_ARGS);
		if (masked && !r->bundled) {
			/* shown "(not installed)" only from an entry that names its node
			 * (on_node), as Pacemaker finds failed probes (promoted-demote) */
			if (pl_xml_attr(op, "on_node"))
				pn->probe_masked = rc ? (int)rc : PL_OCF_ERR_INSTALLED;
			pn->hard_ban = true;
			role = ROLE_STOPPED;
			continue;
		}

		bool set;
		enum pengine_onfail of =
		    d && d->on_fail_set ? d->on_fail : pengine_onfail_parse(NULL, &set);
		if (!(d && d->on_fail_set)) {
			if (tk == TASK_STOP)
				of = ws->stonith_enabled ? ONFAIL_FENCE : ONFAIL_BLOCK;
			else
				of = ONFAIL_RESTART;
		}
		/* a hard failure (invalid arguments, unimplemented) bans it from the node unless
		 * its failures are ignored; an agent not installed is stopped, unless on-fail
		 * blocks, or ignores a failure the agent reported (the executor finding no agent
		 * at all is never ignored), and banned */
		bool lsb_status = tk == TASK_MONITOR && g_strcmp0(r->cls, "lsb") == 0;
		bool hard = !lsb_status && /* an LSB status 2/3 is no hard failure */
		    (rc == PL_OCF_ERR_ARGS || rc == PL_OCF_ERR_PERM ||
			(rc == PL_OCF_ERR_UNIMPLEMENTED && !(interval > 0)));
		bool not_installed = status == PL_LRMD_NOT_INSTALLED || rc == PL_OCF_ERR_INSTALLED;
		bool of_here = not_installed &&
		    (of == ONFAIL_RESTART ||
			(of == ONFAIL_IGNORE && status == PL_LRMD_NOT_INSTALLED));
		if (of_here)
			of = ONFAIL_STOP; /* it cannot restart there */
		/* a resource inside a container (meta container=C) whose stop failed with the
		 * default on-fail: Pacemaker restarts the container and pretends the stop
		 * succeeded - stopped, shown "FAILED (failure ignored)" (container-3) */
		if (tk == TASK_STOP && !(d && d->on_fail_set) && !probe && !r->implicit &&
		    pengine_container_of(ws, r)) {
			record_failed_op(ws, n, r, op);
			role = ROLE_STOPPED;
			r->failure_ignored = true;
			r->failed = true;
			r->on_fail = ONFAIL_RESTART; /* its container restarts (guest.c) */
			failed = false;
			forget_recurring(pn);
			continue;
		}
		if (not_installed && of != ONFAIL_IGNORE)
			pn->hard_ban = true;
		if (!masked)
			record_failed_op(ws, n, r, op);
		if (hard) {
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
		if ((n->lost || n->unclean) && ws->stonith_enabled) {
			/* fencing will settle it: the resource only counts as active there */
			if (role == ROLE_UNKNOWN || role == ROLE_STOPPED)
				role = ROLE_STARTED;
			continue;
		}
		onfail = of;
		stop_here = of_here;
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
				    ? (role == ROLE_PROMOTED && of == ONFAIL_DEMOTE ? ROLE_PROMOTED
										   : ROLE_STARTED)
				    /* a failed demote leaves it unpromoted (it is recovered
				     * by a stop), promoted only when on-fail=block */
				    : tk == TASK_DEMOTE
				    ? (of == ONFAIL_BLOCK ? ROLE_PROMOTED : ROLE_STARTED)
				    : (role == ROLE_PROMOTED ? ROLE_PROMOTED : ROLE_STARTED);
	}
	/* a start's or monitor's last failure recorded with other parameters than the
	 * resource has now: its fail count is cleared there (Pacemaker, "resource parameters
	 * have changed"), whether or not a fail count is set */
	for (size_t i = 0; i < k && !pn->fail_expired && !r->orphan; i++) {
		const char *id = pl_xml_id(ops[i].x);
		if (id && strstr(id, "last_failure") && ops[i].task &&
		    (!strcmp(ops[i].task, "start") || !strcmp(ops[i].task, "monitor")) &&
		    pengine_op_changed(ws, r, ops[i].x))
			pn->fail_params = true;
	}
	/* started in a promotable clone (a member of its group too): unpromoted */
	bool in_promotable =
	    r->parent && r->parent->promotable && (r->parent->kind != KIND_BUNDLE || r->bundled);
	if (r->parent && r->parent->kind == KIND_GROUP && r->parent->parent &&
	    r->parent->parent->kind == KIND_CLONE && r->parent->parent->promotable)
		in_promotable = true;
	if (role == ROLE_STARTED && in_promotable)
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
		if (onfail == ONFAIL_STOP && !stop_here)
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
