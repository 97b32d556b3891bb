/*
 * sim_pe.c - the simulator's CIB status store and its fake scheduler: one primitive per
 * resource, probes where its state is unknown, stickiness, stop-then-start recovery,
 * migration-threshold 3, shutdown of nodes that asked. Enough to drive the transition engine
 * with real graph XML; Pacemaker's scheduler itself is paceline-pengine's business.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paceline/xalloc.h>

#include "sim.h"

struct cib_entry {
	uint32_t node;
	char *rsc, *action;
	uint32_t interval;
	long call;
	int rc, status;
	uint64_t seq;
};

struct sim_cib {
	struct cib_entry *e;
	size_t n;
	uint64_t seq;
	struct {
		uint32_t node;
		char *rsc;
		int count;
	} * fail;
	size_t n_fail;
	uint32_t shutdown[SIM_MAX_NODES + 1];
	size_t n_shutdown;
};

struct sim_cib *
sim_cib_new(void)
{
	return XNEW(struct sim_cib);
}

static void
entry_clear(struct cib_entry *x)
{
	free(x->rsc);
	free(x->action);
}

void
sim_cib_free(struct sim_cib *cib)
{
	for (size_t i = 0; i < cib->n; i++)
		entry_clear(&cib->e[i]);
	for (size_t i = 0; i < cib->n_fail; i++)
		free(cib->fail[i].rsc);
	free(cib->e);
	free(cib->fail);
	free(cib);
}

static struct cib_entry *
find(const struct sim_cib *cib, uint32_t node, const char *rsc, const char *action, uint32_t interval)
{
	for (size_t i = 0; i < cib->n; i++) {
		struct cib_entry *x = &cib->e[i];

		if (x->node == node && x->interval == interval && strcmp(x->rsc, rsc) == 0 &&
		    strcmp(x->action, action) == 0)
			return x;
	}
	return NULL;
}

static void
upsert(struct sim_cib *cib, uint32_t node, const struct crmd_op_result *r, bool unused)
{
	struct cib_entry *x = find(cib, node, r->rsc_id, r->action, r->interval_ms);

	(void)unused;
	if (!x) {
		cib->e = xreallocarray(cib->e, cib->n + 1, sizeof(*cib->e));
		x = &cib->e[cib->n++];
		x->node = node;
		x->rsc = xstrdup(r->rsc_id);
		x->action = xstrdup(r->action);
		x->interval = r->interval_ms;
	}
	x->call = r->call_id;
	x->rc = r->rc;
	x->status = r->status;
	x->seq = ++cib->seq;
}

void
sim_cib_record(struct sim_cib *cib, uint32_t node, const struct crmd_op_result *r)
{
	upsert(cib, node, r, false);
}

static void
remove_at(struct sim_cib *cib, size_t i)
{
	entry_clear(&cib->e[i]);
	cib->e[i] = cib->e[--cib->n];
}

void
sim_cib_replace(struct sim_cib *cib, uint32_t node, const struct crmd_op_result *v, size_t n)
{
	sim_cib_forget(cib, node, NULL);
	for (size_t i = 0; i < n; i++)
		upsert(cib, node, &v[i], false);
}

struct sim_cib *
sim_cib_copy(const struct sim_cib *cib)
{
	struct sim_cib *d = XNEW(struct sim_cib);

	*d = *cib;
	d->e = xreallocarray(NULL, cib->n ? cib->n : 1, sizeof(*d->e));
	for (size_t i = 0; i < cib->n; i++) {
		d->e[i] = cib->e[i];
		d->e[i].rsc = xstrdup(cib->e[i].rsc);
		d->e[i].action = xstrdup(cib->e[i].action);
	}
	d->fail = xreallocarray(NULL, cib->n_fail ? cib->n_fail : 1, sizeof(*d->fail));
	for (size_t i = 0; i < cib->n_fail; i++) {
		d->fail[i] = cib->fail[i];
		d->fail[i].rsc = xstrdup(cib->fail[i].rsc);
	}
	return d;
}

void
sim_cib_forget(struct sim_cib *cib, uint32_t node, const char *rsc)
{
	for (size_t i = 0; i < cib->n;)
		if (cib->e[i].node == node && (!rsc || strcmp(cib->e[i].rsc, rsc) == 0))
			remove_at(cib, i);
		else
			i++;
}

static int *
fail_slot(struct sim_cib *cib, uint32_t node, const char *rsc)
{
	for (size_t i = 0; i < cib->n_fail; i++)
		if (cib->fail[i].node == node && strcmp(cib->fail[i].rsc, rsc) == 0)
			return &cib->fail[i].count;
	cib->fail = xreallocarray(cib->fail, cib->n_fail + 1, sizeof(*cib->fail));
	cib->fail[cib->n_fail].node = node;
	cib->fail[cib->n_fail].rsc = xstrdup(rsc);
	cib->fail[cib->n_fail].count = 0;
	return &cib->fail[cib->n_fail++].count;
}

void
sim_cib_fail_count(struct sim_cib *cib, uint32_t node, const char *rsc)
{
	(*fail_slot(cib, node, rsc))++;
}

void
sim_cib_set_shutdown(struct sim_cib *cib, uint32_t node, bool on)
{
	for (size_t i = 0; i < cib->n_shutdown; i++)
		if (cib->shutdown[i] == node) {
			if (!on)
				cib->shutdown[i] = cib->shutdown[--cib->n_shutdown];
			return;
		}
	if (on && cib->n_shutdown <= SIM_MAX_NODES)
		cib->shutdown[cib->n_shutdown++] = node;
}

static bool
shutting_down(const struct sim_cib *cib, uint32_t node)
{
	for (size_t i = 0; i < cib->n_shutdown; i++)
		if (cib->shutdown[i] == node)
			return true;
	return false;
}

long
sim_cib_call(const struct sim_cib *cib, uint32_t node, const char *rsc, const char *action,
    uint32_t interval)
{
	const struct cib_entry *x = find(cib, node, rsc, action, interval);

	if (x && x->status == -1)
		return LONG_MAX; /* a newer run of it is pending */
	return x ? x->call : -1;
}

bool
sim_cib_drop_one(
    struct sim_cib *cib, uint32_t node, const char *rsc, const char *action, uint32_t interval)
{
	struct cib_entry *x = find(cib, node, rsc, action, interval);

	if (!x)
		return false;
	remove_at(cib, (size_t)(x - cib->e));
	return true;
}

/* ------------------------------ the fake scheduler ------------------------------ */

enum rstate { R_UNKNOWN, R_STOPPED, R_RUNNING, R_MONITORED, R_FAILED };

static enum rstate
rsc_state(const struct sim_cib *cib, uint32_t node, const char *rsc)
{
	const struct cib_entry *last = NULL, *mon = NULL;

	for (size_t i = 0; i < cib->n; i++) {
		const struct cib_entry *x = &cib->e[i];

		if (x->node != node || strcmp(x->rsc, rsc) != 0 || x->call <= 0)
			continue;
		if (!last || x->call > last->call) /* lrmd's order, as Pacemaker's */
			last = x;
		if (x->interval && (!mon || x->call > mon->call))
			mon = x;
	}
	/* a timeout the DC recorded (no call id) is the latest if written after it */
	for (size_t i = 0; i < cib->n; i++) {
		const struct cib_entry *x = &cib->e[i];

		if (x->node == node && strcmp(x->rsc, rsc) == 0 && x->call <= 0 &&
		    (!last || x->seq > last->seq))
			last = x;
	}
	if (!last)
		return R_UNKNOWN;
	if (last->status == -1)
		return R_FAILED; /* pending: under way, stop it to know */
	bool ok = last->status == 0 && last->rc == 0;
	if (strcmp(last->action, "stop") == 0)
		return ok ? R_STOPPED : R_FAILED;
	if (strcmp(last->action, "monitor") == 0 && last->interval == 0)
		return ok ? R_RUNNING : last->status == 0 && last->rc == 7 ? R_STOPPED : R_FAILED;
	if (!ok)
		return R_FAILED;
	return mon == last ? R_MONITORED : R_RUNNING;
}

int
sim_cib_fails(const struct sim_cib *cib, uint32_t node, const char *rsc)
{
	for (size_t i = 0; i < cib->n_fail; i++)
		if (cib->fail[i].node == node && strcmp(cib->fail[i].rsc, rsc) == 0)
			return cib->fail[i].count;
	return 0;
}

struct gw {
	FILE *f;
	int next_id;
	int syn;
};

/* One synapse with one action; inputs are action ids (pseudo when negative... no: kinds). */
static int
emit(struct gw *w, const char *kind, const char *op, const char *rsc, uint32_t interval,
    uint32_t node, int target_rc, const int *inputs, size_t n_in)
{
	int id = w->next_id++;

	fprintf(w->f, "  <synapse id=\"%d\">\n    <action_set>\n", w->syn++);
	if (strcmp(kind, "pseudo_event") == 0)
		fprintf(w->f,
		    "      <pseudo_event id=\"%d\" operation=\"%s\" operation_key=\"%s_%s_0\">"
		    "\n        <attributes CRM_meta_timeout=\"200\"/>\n      </pseudo_event>\n",
		    id, op, rsc, op);
	else if (strcmp(kind, "crm_event") == 0)
		fprintf(w->f,
		    "      <crm_event id=\"%d\" operation=\"%s\" operation_key=\"%s-node%u\" "
		    "on_node=\"node%u\" on_node_uuid=\"%u\"/>\n",
		    id, op, op, node, node, node);
	else
		fprintf(w->f,
		    "      <rsc_op id=\"%d\" operation=\"%s\" operation_key=\"%s_%s_%u\" "
		    "on_node=\"node%u\" on_node_uuid=\"%u\">\n"
		    "        <primitive id=\"%s\" class=\"ocf\" provider=\"pacemaker\" "
		    "type=\"Dummy\"/>\n        <attributes CRM_meta_timeout=\"200\" "
		    "CRM_meta_interval=\"%u\" CRM_meta_op_target_rc=\"%d\" state=\"/run/%s\"/>\n"
		    "      </rsc_op>\n",
		    id, op, rsc, op, interval, node, node, rsc, interval, target_rc, rsc);
	fprintf(w->f, "    </action_set>\n    <inputs>\n");
	for (size_t i = 0; i < n_in; i++)
		fprintf(w->f, "      <trigger><rsc_op id=\"%d\"/></trigger>\n", inputs[i]);
	fprintf(w->f, "    </inputs>\n  </synapse>\n");
	return id;
}

/* Actions for one resource; the ids of its stops per node go to stops_on. */
static void
plan_rsc(struct gw *w, const struct sim_cib *cib, const uint32_t *online, size_t n, const char *rsc,
    unsigned ri, int stops_on[][SIM_MAX_RSC], size_t *n_stops)
{
	enum rstate st[SIM_MAX_NODES];
	int before[2 * SIM_MAX_NODES], nb = 0;
	long target = -1;
	uint32_t elig[SIM_MAX_NODES];
	size_t ne = 0;

	for (size_t i = 0; i < n; i++) {
		st[i] = rsc_state(cib, online[i], rsc);
		if (!shutting_down(cib, online[i]) && sim_cib_fails(cib, online[i], rsc) < 3)
			elig[ne++] = online[i];
	}
	for (size_t i = 0; i < n && target < 0; i++)
		if ((st[i] == R_RUNNING || st[i] == R_MONITORED) &&
		    !shutting_down(cib, online[i]) && sim_cib_fails(cib, online[i], rsc) < 3)
			target = online[i];
	if (target < 0 && ne)
		target = elig[ri % ne];
	for (size_t i = 0; i < n; i++)
		if (st[i] == R_UNKNOWN)
			before[nb++] = emit(w, "rsc_op", "monitor", rsc, 0, online[i], 7, NULL, 0);
	for (size_t i = 0; i < n; i++) {
		bool stop = st[i] == R_FAILED ||
		    ((st[i] == R_RUNNING || st[i] == R_MONITORED) && online[i] != target);
		if (!stop)
			continue;
		int id = emit(w, "rsc_op", "stop", rsc, 0, online[i], 0, NULL, 0);
		before[nb++] = id;
		stops_on[i][n_stops[i]++] = id;
	}
	if (target < 0)
		return;
	size_t t = 0;
	while (online[t] != (uint32_t)target)
		t++;
	if (st[t] == R_MONITORED)
		return;
	if (st[t] != R_RUNNING) {
		int start = emit(w, "rsc_op", "start", rsc, 0, online[t], 0, before, (size_t)nb);
		int run = emit(w, "pseudo_event", "running", rsc, 0, 0, 0, &start, 1);
		emit(w, "rsc_op", "monitor", rsc, 1000, online[t], 0, &run, 1);
	} else {
		emit(w, "rsc_op", "monitor", rsc, 1000, online[t], 0, before, (size_t)nb);
	}
}

char *
sim_pe_graph(
    const struct sim_cib *cib, const uint32_t *online, size_t n, unsigned n_rsc, int transition)
{
	struct gw w = { NULL, 0, 0 };
	char *buf = NULL;
	size_t len = 0;
	int stops_on[SIM_MAX_NODES][SIM_MAX_RSC];
	size_t n_stops[SIM_MAX_NODES] = { 0 };

	w.f = open_memstream(&buf, &len);
	fprintf(w.f,
	    "<transition_graph cluster-delay=\"100ms\" stonith-timeout=\"60s\" "
	    "failed-stop-offset=\"INFINITY\" failed-start-offset=\"INFINITY\" "
	    "transition_id=\"%d\" batch-limit=\"3\">\n",
	    transition);
	for (unsigned r = 0; r < n_rsc; r++) {
		char rsc[16];

		snprintf(rsc, sizeof(rsc), "rsc%u", r);
		plan_rsc(&w, cib, online, n, rsc, r, stops_on, n_stops);
	}
	for (size_t i = 0; i < n; i++)
		if (shutting_down(cib, online[i]))
			emit(&w, "crm_event", "do_shutdown", "", 0, online[i], 0, stops_on[i],
			    n_stops[i]);
	fprintf(w.f, "</transition_graph>\n");
	fclose(w.f);
	return buf;
}
