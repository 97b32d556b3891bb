/*
 * sim.c - the simulated cluster of sim.h: event queue, network, fake lrmd per node, the
 * crmd ops, and the invariant checks.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paceline/log.h>
#include <paceline/xalloc.h>

#include "fsm_int.h"
#include "sim.h"

enum ev_type { EV_MSG = 1, EV_LRMD, EV_PE, EV_SYNC };

struct ev {
	uint64_t t, seq;
	enum ev_type type;
	unsigned node; /* destination */
	uint32_t inc;  /* destination incarnation (crmd for MSG/PE, lrmd for LRMD) */
	unsigned from;
	uint32_t from_inc;
	struct crmd_msg msg;	    /* EV_MSG (deep copy) */
	struct crmd_rsc_action act; /* EV_LRMD */
	int forced_rc;		    /* EV_LRMD: -1 or the rc to report (failed monitor) */
	uint64_t ref;		    /* EV_PE */
	uint64_t cfg;		    /* EV_MSG: configuration number when sent */
	bool fragile;		    /* EV_MSG: lost if the configuration changes meanwhile */
};

struct lrmd_rsc {
	bool running;
	bool monitored;
	uint64_t busy_until; /* lrmd runs one action of a resource at a time */
};

struct node {
	struct sim *sim;
	unsigned idx;
	uint32_t id;
	char name[16];
	bool up;
	struct crmd *c;
	uint32_t inc, lrmd_inc;
	unsigned part;
	uint64_t cfg; /* configuration number delivered to its crmd */
	struct lrmd_rsc rsc[SIM_MAX_RSC];
	struct crmd_op_result *hist; /* last result per rsc/action/interval */
	size_t n_hist;
	uint32_t call;
	uint64_t confirm_sent;	      /* when it last sent a join confirmation */
	uint64_t fifo[SIM_MAX_NODES]; /* last delivery time scheduled to each node */
};

struct dispatch {
	unsigned node;
	uint32_t inc;
	char key[64];
};

struct sim {
	uint64_t now, seq, rng;
	unsigned n, n_rsc;
	struct node nodes[SIM_MAX_NODES];
	struct ev **q;
	size_t nq, capq;
	struct sim_faults f;
	struct sim_cib *cib;
	uint64_t cfg_seq;
	struct dispatch *disp;
	size_t n_disp;
	char violation[512];
	bool verbose;
	uint64_t n_elections;
	uint64_t n_starts;  /* start actions handed to a fake lrmd */
	uint64_t n_chained; /* actions the DC sent chained after another (te.c) */
	double vote_loss;   /* a VOTE is lost with this probability, also within a configuration */
	int skew_viewer, skew_node; /* the next configuration at viewer shows node's crmd as */
	bool skew_crmd;		    /* skew_crmd (a lost group join or leave); -1: none */
	int slow_node;		    /* its JOIN_CONFIRMs take slow_ms longer (-1: none) */
	uint32_t slow_ms;
};

static struct sim *cur_sim; /* for the graph-end hook */

uint64_t
sim_rand(struct sim *s)
{
	uint64_t x = s->rng; /* xorshift64* */

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	s->rng = x;
	return x * 2685821657736338717ULL;
}

static double
frand(struct sim *s)
{
	return (double)(sim_rand(s) >> 11) / (double)(1ULL << 53);
}

uint64_t
sim_now(const struct sim *s)
{
	return s->now;
}

static void
violate(struct sim *s, const char *fmt, ...)
{
	va_list ap;
	size_t l;

	if (s->violation[0])
		return;
	l = (size_t)snprintf(s->violation, sizeof(s->violation), "t=%" PRIu64 "ms: ", s->now);
	va_start(ap, fmt);
	vsnprintf(s->violation + l, sizeof(s->violation) - l, fmt, ap);
	va_end(ap);
}

const char *
sim_violation(const struct sim *s)
{
	return s->violation;
}

/* ---------------------------------- event queue ---------------------------------- */

static bool
ev_before(const struct ev *a, const struct ev *b)
{
	return a->t != b->t ? a->t < b->t : a->seq < b->seq;
}

static void
push(struct sim *s, struct ev *e)
{
	size_t i;

	e->seq = s->seq++;
	if (s->nq == s->capq) {
		s->capq = s->capq ? 2 * s->capq : 64;
		s->q = xreallocarray(s->q, s->capq, sizeof(*s->q));
	}
	i = s->nq++;
	while (i > 0 && ev_before(e, s->q[(i - 1) / 2])) {
		s->q[i] = s->q[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->q[i] = e;
}

static struct ev *
pop(struct sim *s)
{
	struct ev *top = s->q[0], *last = s->q[--s->nq];
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, m = i;

		if (l < s->nq && ev_before(s->q[l], last))
			m = l;
		if (l + 1 < s->nq && ev_before(s->q[l + 1], m == i ? last : s->q[m]))
			m = l + 1;
		if (m == i)
			break;
		s->q[i] = s->q[m];
		i = m;
	}
	if (s->nq)
		s->q[i] = last;
	return top;
}

static void
ev_free(struct ev *e)
{
	crmd_msg_clear(&e->msg);
	crmd_rsc_action_clear(&e->act);
	free(e);
}

/* ------------------------------------ messages ------------------------------------ */

static void
msg_copy(struct crmd_msg *d, const struct crmd_msg *m)
{
	*d = *m;
	switch (m->type) {
	case CRMD_MSG_JOIN_CONFIRM:
		d->u.history.ops = xcalloc(m->u.history.n + 1, sizeof(struct crmd_op_result));
		for (size_t i = 0; i < m->u.history.n; i++)
			crmd_op_result_copy(&d->u.history.ops[i], &m->u.history.ops[i]);
		break;
	case CRMD_MSG_ACTION: crmd_rsc_action_copy(&d->u.action, &m->u.action); break;
	case CRMD_MSG_ACTION_RESULT: crmd_op_result_copy(&d->u.result, &m->u.result); break;
	case CRMD_MSG_REFRESH: d->u.rsc_id = m->u.rsc_id ? xstrdup(m->u.rsc_id) : NULL; break;
	default: break;
	}
}

static void
queue_msg(struct sim *s, struct node *from, unsigned to, const struct crmd_msg *m)
{
	struct node *d = &s->nodes[to];

	if (!d->c || d->part != from->part)
		return;
	if (m->type == CRMD_MSG_VOTE && s->vote_loss > 0 && frand(s) < s->vote_loss)
		return;
	struct ev *e = XNEW(struct ev);
	/* group messaging loses nothing within a configuration; what is in flight when the
	 * configuration changes may be lost */
	e->fragile = frand(s) < s->f.loss;
	e->cfg = s->cfg_seq;
	e->type = EV_MSG;
	e->t = s->now + 1 + (s->f.max_delay_ms ? sim_rand(s) % s->f.max_delay_ms : 0);
	if (m->type == CRMD_MSG_JOIN_CONFIRM && s->slow_node == (int)from->idx)
		e->t += s->slow_ms;
	if (e->t < from->fifo[to]) /* group messaging keeps each sender's order */
		e->t = from->fifo[to];
	from->fifo[to] = e->t;
	e->node = to;
	e->inc = d->inc;
	e->from = from->idx;
	e->from_inc = from->inc;
	msg_copy(&e->msg, m);
	push(s, e);
}

static void
record_dispatch(struct sim *s, struct node *dc, const char *key)
{
	for (size_t i = 0; i < s->n_disp; i++)
		if (s->disp[i].node == dc->idx && s->disp[i].inc == dc->inc &&
		    strcmp(s->disp[i].key, key) == 0) {
			violate(s, "node%u dispatched action %s twice", dc->id, key);
			return;
		}
	s->disp = xreallocarray(s->disp, s->n_disp + 1, sizeof(*s->disp));
	s->disp[s->n_disp].node = dc->idx;
	s->disp[s->n_disp].inc = dc->inc;
	snprintf(s->disp[s->n_disp].key, sizeof(s->disp[0].key), "%s", key);
	s->n_disp++;
}

static bool
was_dispatched(struct sim *s, struct node *dc, const char *key)
{
	for (size_t i = 0; i < s->n_disp; i++)
		if (s->disp[i].node == dc->idx && s->disp[i].inc == dc->inc &&
		    strcmp(s->disp[i].key, key) == 0)
			return true;
	return false;
}

static void
op_send(void *arg, const struct crmd_msg *m)
{
	struct node *n = arg;
	struct sim *s = n->sim;

	if (m->type == CRMD_MSG_ACTION)
		record_dispatch(s, n, m->u.action.transition_key);
	if (m->type == CRMD_MSG_ACTION && pl_lrmd_params_get(&m->u.action.meta, CRMD_AFTER_META))
		s->n_chained++;
	if (m->type == CRMD_MSG_JOIN_CONFIRM)
		n->confirm_sent = s->now;
	for (unsigned i = 0; i < s->n; i++)
		if (i != n->idx && (m->to == 0 || m->to == s->nodes[i].id))
			queue_msg(s, n, i, m);
}

/* ------------------------------------ fake lrmd ------------------------------------ */

static unsigned
rsc_index(const char *rsc)
{
	return (unsigned)atoi(rsc + 3) % SIM_MAX_RSC; /* "rscN" */
}

static void
hist_set(struct node *n, const struct crmd_op_result *r)
{
	for (size_t i = 0; i < n->n_hist; i++) {
		struct crmd_op_result *h = &n->hist[i];

		if (strcmp(h->rsc_id, r->rsc_id) == 0 && strcmp(h->action, r->action) == 0 &&
		    h->interval_ms == r->interval_ms) {
			crmd_op_result_clear(h);
			crmd_op_result_copy(h, r);
			return;
		}
	}
	n->hist = xreallocarray(n->hist, n->n_hist + 1, sizeof(*n->hist));
	crmd_op_result_copy(&n->hist[n->n_hist++], r);
}

static void
lrmd_schedule(struct node *n, const struct crmd_rsc_action *a, uint64_t after, int forced_rc)
{
	struct ev *e = XNEW(struct ev);

	e->type = EV_LRMD;
	e->t = n->sim->now + after;
	e->node = n->idx;
	e->inc = n->lrmd_inc;
	crmd_rsc_action_copy(&e->act, a);
	e->forced_rc = forced_rc;
	push(n->sim, e);
}

static void
op_lrmd_exec(void *arg, const struct crmd_rsc_action *a)
{
	struct node *n = arg;
	struct sim *s = n->sim;
	unsigned dc = 0;
	uint64_t d = 1 + (s->f.agent_ms ? sim_rand(s) % s->f.agent_ms : 0);

	if (sscanf(a->transition_key, "%*d:%*d:%*d:%u", &dc) == 1 && dc == n->id)
		record_dispatch(s, n, a->transition_key);
	if (strcmp(a->action, "monitor") == 0 && a->interval_ms)
		n->rsc[rsc_index(a->rsc_id)].monitored = true;
	if (strcmp(a->action, "start") == 0)
		s->n_starts++;
	if (frand(s) < s->f.slow_agent)
		d = a->timeout_ms + 100 + 1 + sim_rand(s) % 300; /* past timeout + delay */
	if (!a->interval_ms) {
		struct lrmd_rsc *r = &n->rsc[rsc_index(a->rsc_id)];

		if (r->busy_until > s->now)
			d += r->busy_until - s->now;
		r->busy_until = s->now + d;
	}
	lrmd_schedule(n, a, d, -1);
}

/* An action the node answers with the run under way (exec.c adopt): dispatched all the
 * same when the node is the DC that asked. */
static void
adopted(const struct crmd *c, const struct crmd_rsc_action *a)
{
	struct sim *s = cur_sim;
	unsigned dc = 0;

	for (unsigned i = 0; s && i < s->n; i++)
		if (s->nodes[i].c == c && sscanf(a->transition_key, "%*d:%*d:%*d:%u", &dc) == 1 &&
		    dc == s->nodes[i].id)
			record_dispatch(s, &s->nodes[i], a->transition_key);
}

static void
lrmd_complete(struct node *n, const struct ev *e)
{
	const struct crmd_rsc_action *a = &e->act;
	struct lrmd_rsc *r = &n->rsc[rsc_index(a->rsc_id)];
	struct crmd_op_result res = {
		.rsc_id = a->rsc_id,
		.rclass = a->rclass,
		.provider = a->provider,
		.type = a->type,
		.action = a->action,
		.interval_ms = a->interval_ms,
		.transition_key = a->transition_key,
		.exit_reason = "",
		.op_digest = "",
		.op_restart_digest = "",
		.status = PL_LRMD_DONE,
		.target_rc = a->target_rc,
		.last_rc_change = n->sim->now / 1000,
		.run_wall_ms = n->sim->now, /* the simulator's completion time */
	};

	if (strcmp(a->action, "start") == 0) {
		r->running = true;
	} else if (strcmp(a->action, "stop") == 0) {
		r->running = false;
		r->monitored = false;
	} else if (strcmp(a->action, "monitor") == 0 && a->interval_ms) {
		if (e->forced_rc < 0 && !r->monitored)
			return; /* cancelled (or stopped) meanwhile */
	}
	res.rc = r->running ? PL_OCF_SUCCESS : PL_OCF_NOT_RUNNING;
	if (strcmp(a->action, "stop") == 0)
		res.rc = PL_OCF_SUCCESS;
	if (e->forced_rc >= 0)
		res.rc = e->forced_rc;
	res.call_id = ++n->call;
	hist_set(n, &res);
	if (n->c)
		crmd_lrmd_result(n->c, &res, n->sim->now);
}

static void
op_lrmd_cancel(void *arg, const char *rsc, const char *action, uint32_t interval)
{
	struct node *n = arg;

	(void)action;
	(void)interval;
	n->rsc[rsc_index(rsc)].monitored = false;
}

static void
op_lrmd_forget(void *arg, const char *rsc)
{
	struct node *n = arg;

	for (size_t i = 0; i < n->n_hist;)
		if (!rsc || strcmp(n->hist[i].rsc_id, rsc) == 0) {
			crmd_op_result_clear(&n->hist[i]);
			n->hist[i] = n->hist[--n->n_hist];
		} else {
			i++;
		}
}

static size_t
op_lrmd_history(void *arg, struct crmd_op_result **out)
{
	struct node *n = arg;

	struct sim *s = n->sim;
	size_t k = n->n_hist;

	*out = xcalloc(n->n_hist + s->nq + 1, sizeof(**out));
	for (size_t i = 0; i < n->n_hist; i++)
		crmd_op_result_copy(&(*out)[i], &n->hist[i]);
	/* lrmd also knows what it is running: pending, as Pacemaker's record-pending */
	for (size_t i = 0; i < s->nq; i++) {
		const struct ev *e = s->q[i];

		if (e->type != EV_LRMD || e->node != n->idx || e->inc != n->lrmd_inc ||
		    e->act.interval_ms)
			continue;
		struct crmd_op_result r = {
			.rsc_id = e->act.rsc_id,
			.rclass = e->act.rclass,
			.provider = e->act.provider,
			.type = e->act.type,
			.action = e->act.action,
			.transition_key = e->act.transition_key,
			.rc = CRMD_RC_PENDING,
			.status = PL_LRMD_PENDING,
			.run_wall_ms = 0,
		};
		crmd_op_result_copy(&(*out)[k++], &r);
	}
	return k;
}

/* -------------------------------------- CIB -------------------------------------- */

static void
op_cib_version(void *arg, struct crmd_cib_version *v)
{
	struct node *n = arg;

	v->admin_epoch = 0;
	v->epoch = 10 + n->idx; /* different everywhere: joins sync */
	v->num_updates = 0;
}

static void
op_cib_sync_from(void *arg, uint32_t nodeid)
{
	struct node *n = arg;
	struct ev *e = XNEW(struct ev);

	(void)nodeid;
	e->type = EV_SYNC;
	e->t = n->sim->now + 1 + sim_rand(n->sim) % 5;
	e->node = n->idx;
	e->inc = n->inc;
	push(n->sim, e);
}

static void
op_cib_record_op(
    void *arg, uint32_t nodeid, const struct crmd_rsc_action *req, const struct crmd_op_result *r)
{
	struct node *n = arg;

	(void)req;
	sim_cib_record(n->sim->cib, nodeid, r);
}

static void
op_cib_replace(void *arg, uint32_t nodeid, const struct crmd_op_result *v, size_t k)
{
	struct node *n = arg;

	sim_cib_replace(n->sim->cib, nodeid, v, k);
}

static void
op_cib_node_state(void *arg, const struct crmd_node_state *ns)
{
	struct node *n = arg;

	sim_cib_set_shutdown(n->sim->cib, ns->nodeid, ns->shutdown);
}

static void
op_cib_fail_count(void *arg, uint32_t nodeid, const char *rsc, const char *action,
    uint32_t interval, uint64_t now_s)
{
	struct node *n = arg;

	(void)action;
	(void)interval;
	(void)now_s;
	sim_cib_fail_count(n->sim->cib, nodeid, rsc);
}

static void
op_cib_forget(void *arg, uint32_t nodeid, const char *rsc)
{
	struct node *n = arg;

	sim_cib_forget(n->sim->cib, nodeid, rsc);
}

/* ------------------------------------ pengine ------------------------------------ */

static void
op_pe_request(void *arg, uint64_t ref)
{
	struct node *n = arg;
	struct ev *e = XNEW(struct ev);

	e->type = EV_PE;
	e->t = n->sim->now + 1 + sim_rand(n->sim) % 5;
	e->node = n->idx;
	e->inc = n->inc;
	e->ref = ref;
	push(n->sim, e);
}

static void
pengine_answer(struct sim *s, struct node *n, uint64_t ref)
{
	uint32_t online[SIM_MAX_NODES];
	size_t k = 0;

	/* online as the scheduler reads node_state: a controller that has not confirmed its
	 * join to this DC is pending, and what it runs is not seen (fencing is off) */
	for (unsigned i = 0; i < s->n; i++)
		if (s->nodes[i].c && s->nodes[i].part == n->part &&
		    crmd_node_join(n->c, s->nodes[i].id) == CRMD_JOIN_MEMBER)
			online[k++] = s->nodes[i].id;
	char *xml = sim_pe_graph(s->cib, online, k, s->n_rsc, 0);
	crmd_pe_graph(n->c, ref, xml, s->now);
	free(xml);
}

/* ----------------------------------- the rest ----------------------------------- */

static void
op_state_changed(void *arg, enum crmd_state from, enum crmd_state to)
{
	struct node *n = arg;

	if (to == CRMD_S_ELECTION)
		n->sim->n_elections++;
	if (from == CRMD_S_FINALIZE && to == CRMD_S_IDLE)
		sim_check_history(n->sim, n->idx);
}

static void
op_log(void *arg, int level, const char *line)
{
	struct node *n = arg;

	if (n->sim->verbose)
		fprintf(stderr, "%6" PRIu64 " node%u/%u: %s\n", n->sim->now, n->id, n->inc, line);
	(void)level;
}

static const struct crmd_ops sim_ops = {
	.send = op_send,
	.cib_version = op_cib_version,
	.cib_sync_from = op_cib_sync_from,
	.cib_record_op = op_cib_record_op,
	.cib_replace_history = op_cib_replace,
	.cib_node_state = op_cib_node_state,
	.cib_fail_count = op_cib_fail_count,
	.cib_forget = op_cib_forget,
	.lrmd_exec = op_lrmd_exec,
	.lrmd_cancel = op_lrmd_cancel,
	.lrmd_forget = op_lrmd_forget,
	.lrmd_history = op_lrmd_history,
	.pengine_request = op_pe_request,
	.state_changed = op_state_changed,
	.log = op_log,
};

/* ---------------------------------- membership ---------------------------------- */

static void
check_one_dc(struct sim *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct node *a = &s->nodes[i];

		if (!a->c || !crmd_is_dc(a->c))
			continue;
		for (unsigned j = i + 1; j < s->n; j++) {
			struct node *b = &s->nodes[j];

			if (b->c && b->cfg == a->cfg && crmd_is_dc(b->c))
				violate(s, "node%u and node%u are both DC in configuration %" PRIu64,
				    a->id, b->id, a->cfg);
		}
	}
}

/* Deliver the configuration of every partition to its controllers. */
static void
deliver_membership(struct sim *s)
{
	for (unsigned p = 0; p < s->n; p++) {
		struct crmd_member m[SIM_MAX_NODES];
		size_t k = 0;

		for (unsigned i = 0; i < s->n; i++) {
			struct node *n = &s->nodes[i];

			if (n->up && n->part == p)
				m[k++] = (struct crmd_member){ n->id, n->name, n->c != NULL };
		}
		if (!k)
			continue;
		uint64_t cfg = ++s->cfg_seq;
		for (unsigned i = 0; i < s->n; i++) {
			struct node *n = &s->nodes[i];

			if (n->c && n->part == p) {
				struct crmd_member v[SIM_MAX_NODES];

				memcpy(v, m, k * sizeof(*m));
				if (s->skew_viewer == (int)i) {
					for (size_t j = 0; j < k; j++)
						if (v[j].nodeid == s->nodes[s->skew_node].id)
							v[j].crmd = s->skew_crmd;
					s->skew_viewer = -1;
				}
				n->cfg = cfg;
				crmd_membership(n->c, v, k, s->n, 2 * k > s->n, s->now);
			}
		}
	}
	check_one_dc(s);
}

static void
crmd_up(struct sim *s, struct node *n)
{
	struct crmd_options o;

	crmd_default_options(&o);
	o.dc_deadtime_ms = 400;
	o.election_timeout_ms = 150;
	o.join_timeout_ms = 200;
	o.recheck_ms = 3000;
	o.shutdown_escalation_ms = 20000;
	n->inc++;
	n->c = crmd_new(n->id, n->name, 1000000 + s->now * 10 + n->idx, &o, &sim_ops, n);
	sim_cib_set_shutdown(s->cib, n->id, false);
	crmd_start(n->c, s->now);
}

static void
crmd_down(struct node *n)
{
	crmd_free(n->c);
	n->c = NULL;
}

void
sim_start(struct sim *s, unsigned i)
{
	struct node *n = &s->nodes[i];

	if (!n->up) {
		n->up = true;
		n->lrmd_inc++;
	}
	if (!n->c)
		crmd_up(s, n);
	deliver_membership(s);
}

void
sim_crash_crmd(struct sim *s, unsigned i)
{
	if (!s->nodes[i].c)
		return;
	crmd_down(&s->nodes[i]);
	deliver_membership(s);
}

void
sim_restart_crmd(struct sim *s, unsigned i)
{
	if (!s->nodes[i].up || s->nodes[i].c)
		return;
	crmd_up(s, &s->nodes[i]);
	deliver_membership(s);
}

void
sim_crash_node(struct sim *s, unsigned i)
{
	struct node *n = &s->nodes[i];

	if (!n->up)
		return;
	if (n->c)
		crmd_down(n);
	n->up = false;
	n->lrmd_inc++; /* pending agent runs die with it */
	memset(n->rsc, 0, sizeof(n->rsc));
	op_lrmd_forget(n, NULL);
	deliver_membership(s);
}

void
sim_restart_lrmd(struct sim *s, unsigned i)
{
	struct node *n = &s->nodes[i];

	if (!n->up)
		return;
	if (n->c) /* crmd exits when it loses lrmd */
		crmd_down(n);
	n->lrmd_inc++;		 /* what lrmd was running dies with it */
	op_lrmd_forget(n, NULL); /* and so does its history; the resources keep running */
	for (unsigned k = 0; k < SIM_MAX_RSC; k++)
		n->rsc[k].monitored = false;
	deliver_membership(s);
	crmd_up(s, n);
	deliver_membership(s);
}

bool
sim_node_up(const struct sim *s, unsigned i)
{
	return s->nodes[i].up;
}

bool
sim_crmd_up(const struct sim *s, unsigned i)
{
	return s->nodes[i].c != NULL;
}

struct crmd *
sim_crmd(struct sim *s, unsigned i)
{
	return s->nodes[i].c;
}

uint32_t
sim_node_id(const struct sim *s, unsigned i)
{
	return s->nodes[i].id;
}

int
sim_fails(const struct sim *s, unsigned i, const char *rsc)
{
	return sim_cib_fails(s->cib, s->nodes[i].id, rsc);
}

void
sim_partition(struct sim *s, const unsigned *group)
{
	for (unsigned i = 0; i < s->n; i++)
		s->nodes[i].part = group[i];
	deliver_membership(s);
}

void
sim_heal(struct sim *s)
{
	unsigned g[SIM_MAX_NODES] = { 0 };

	sim_partition(s, g);
}

void
sim_fail_resource(struct sim *s, unsigned i, unsigned rsc)
{
	struct node *n = &s->nodes[i];
	struct lrmd_rsc *r = &n->rsc[rsc % SIM_MAX_RSC];
	char id[16];

	if (!n->up || !r->running || !r->monitored)
		return;
	r->running = false;
	snprintf(id, sizeof(id), "rsc%u", rsc);
	struct crmd_rsc_action a = { .rsc_id = id,
		.rclass = "ocf",
		.provider = "pacemaker",
		.type = "Dummy",
		.action = "monitor",
		.cancel_action = "",
		.interval_ms = 1000,
		.transition_key = "" };
	lrmd_schedule(n, &a, 1 + sim_rand(s) % 20, PL_OCF_NOT_RUNNING);
}

struct sim_cib *
sim_cib_snapshot(const struct sim *s)
{
	return sim_cib_copy(s->cib);
}

void
sim_cib_sync(struct sim *s, const struct sim_cib *copy)
{
	sim_cib_free(s->cib);
	s->cib = sim_cib_copy(copy);
	for (unsigned i = 0; i < s->n; i++)
		if (s->nodes[i].c) {
			crmd_cib_replaced(s->nodes[i].c, s->now);
			crmd_cib_changed(s->nodes[i].c, s->now);
		}
}

void
sim_cib_stale_write(struct sim *s, const struct sim_cib *copy, unsigned writer)
{
	sim_cib_free(s->cib);
	s->cib = sim_cib_copy(copy);
	for (unsigned i = 0; i < s->n; i++)
		if (s->nodes[i].c)
			crmd_cib_written_by(s->nodes[i].c, s->nodes[writer].name, s->now);
}

void
sim_shutdown(struct sim *s, unsigned i)
{
	if (s->nodes[i].c)
		crmd_shutdown(s->nodes[i].c, s->now);
}

/* ---------------------------------- the checks ---------------------------------- */

void
sim_check_history(struct sim *s, unsigned dc_idx)
{
	struct crmd *dc = s->nodes[dc_idx].c;

	for (unsigned i = 0; i < s->n; i++) {
		struct node *n = &s->nodes[i];

		if (!n->up || crmd_node_join(dc, n->id) != CRMD_JOIN_MEMBER)
			continue;
		for (size_t k = 0; k < n->n_hist; k++) {
			const struct crmd_op_result *h = &n->hist[k];

			/* later results reach the DC as messages, after the confirmation */
			if (h->run_wall_ms > n->confirm_sent)
				continue;
			if (sim_cib_call(s->cib, n->id, h->rsc_id, h->action, h->interval_ms) <
			    (long)h->call_id)
				violate(s,
				    "after node%u's join, node%u's result %s_%s_%u (call %u) "
				    "is not in the CIB",
				    s->nodes[dc_idx].id, n->id, h->rsc_id, h->action,
				    h->interval_ms, h->call_id);
		}
	}
}

bool
sim_tamper_cib(struct sim *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct node *n = &s->nodes[i];

		for (size_t k = 0; n->up && k < n->n_hist; k++)
			if (n->hist[k].run_wall_ms <= n->confirm_sent)
				return sim_cib_drop_one(s->cib, n->id, n->hist[k].rsc_id,
				    n->hist[k].action, n->hist[k].interval_ms);
	}
	return false;
}

static void
graph_end(const struct crmd *c, const struct graph *g)
{
	struct sim *s = cur_sim;
	struct node *dc = NULL;

	for (unsigned i = 0; i < s->n; i++)
		if (s->nodes[i].c == c)
			dc = &s->nodes[i];
	if (!dc)
		return;
	for (size_t i = 0; i < g->n_actions; i++) {
		const struct graph_action *a = &g->actions[i];
		bool sent = a->kind == GRAPH_RSC_OP && a->rsc.transition_key &&
		    *a->rsc.transition_key && was_dispatched(s, dc, a->rsc.transition_key);

		if (a->state == GRAPH_A_IN_FLIGHT)
			violate(s, "node%u: transition %d ended with action %d in flight", dc->id,
			    g->transition_id, a->id);
		if (sent && a->state < GRAPH_A_CONFIRMED)
			violate(s, "node%u: transition %d: action %d dispatched, never settled",
			    dc->id, g->transition_id, a->id);
		if (a->kind == GRAPH_RSC_OP && a->state == GRAPH_A_CONFIRMED && !sent)
			violate(s, "node%u: transition %d: action %d confirmed, never dispatched",
			    dc->id, g->transition_id, a->id);
	}
}

/* ----------------------------------- the world ----------------------------------- */

struct sim *
sim_new(unsigned n_nodes, unsigned n_rsc, uint64_t seed)
{
	struct sim *s = XNEW(struct sim);

	s->n = n_nodes > SIM_MAX_NODES ? SIM_MAX_NODES : n_nodes;
	s->n_rsc = n_rsc > SIM_MAX_RSC ? SIM_MAX_RSC : n_rsc;
	s->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	s->cib = sim_cib_new();
	s->f.max_delay_ms = 5;
	s->f.agent_ms = 20;
	s->skew_viewer = s->slow_node = -1;
	for (unsigned i = 0; i < s->n; i++) {
		struct node *n = &s->nodes[i];

		n->sim = s;
		n->idx = i;
		n->id = i + 1;
		snprintf(n->name, sizeof(n->name), "node%u", n->id);
	}
	cur_sim = s;
	crmd_graph_end_hook = graph_end;
	crmd_adopt_hook = adopted;
	return s;
}

void
sim_free(struct sim *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		crmd_down(&s->nodes[i]);
		op_lrmd_forget(&s->nodes[i], NULL);
		free(s->nodes[i].hist);
	}
	while (s->nq)
		ev_free(pop(s));
	free(s->q);
	free(s->disp);
	sim_cib_free(s->cib);
	if (cur_sim == s) {
		cur_sim = NULL;
		crmd_graph_end_hook = NULL;
		crmd_adopt_hook = NULL;
	}
	free(s);
}

void
sim_set_faults(struct sim *s, const struct sim_faults *f)
{
	s->f = *f;
}

void
sim_set_vote_loss(struct sim *s, double p)
{
	s->vote_loss = p;
}

void
sim_skew_view(struct sim *s, unsigned viewer, unsigned node, bool crmd)
{
	s->skew_viewer = (int)viewer;
	s->skew_node = (int)node;
	s->skew_crmd = crmd;
}

void
sim_slow_join(struct sim *s, int node, uint32_t ms)
{
	s->slow_node = node;
	s->slow_ms = ms;
}

void
sim_set_verbose(struct sim *s, bool on)
{
	s->verbose = on;
}

uint64_t
sim_stat(const struct sim *s, const char *what)
{
	if (strcmp(what, "dispatched") == 0)
		return s->n_disp;
	if (strcmp(what, "elections") == 0)
		return s->n_elections;
	if (strcmp(what, "starts") == 0)
		return s->n_starts;
	if (strcmp(what, "chained") == 0)
		return s->n_chained;
	if (strcmp(what, "unmonitored") == 0) { /* running resources without their monitor */
		uint64_t k = 0;

		for (unsigned i = 0; i < s->n; i++)
			for (unsigned r = 0; r < s->n_rsc; r++)
				k += s->nodes[i].up && s->nodes[i].rsc[r].running &&
				    !s->nodes[i].rsc[r].monitored;
		return k;
	}
	return 0;
}

static void
handle(struct sim *s, struct ev *e)
{
	struct node *n = &s->nodes[e->node];

	switch (e->type) {
	case EV_MSG:
		/* the sender's process must still be the one that sent it (virtual synchrony
		 * drops what a departed process had in flight); the receiver too */
		if (e->fragile && e->cfg != s->cfg_seq)
			break;
		if (n->c && n->inc == e->inc && s->nodes[e->from].c &&
		    s->nodes[e->from].inc == e->from_inc && s->nodes[e->from].part == n->part)
			crmd_recv(n->c, &e->msg, s->now);
		break;
	case EV_LRMD:
		if (n->up && n->lrmd_inc == e->inc)
			lrmd_complete(n, e);
		break;
	case EV_PE:
		if (n->c && n->inc == e->inc)
			pengine_answer(s, n, e->ref);
		break;
	case EV_SYNC:
		if (n->c && n->inc == e->inc)
			crmd_cib_synced(n->c, true, s->now);
		break;
	}
}

/* Controllers that reached STOPPED exit (their node stays up, without crmd). */
static void
reap_stopped(struct sim *s)
{
	bool any = false;

	for (unsigned i = 0; i < s->n; i++)
		if (s->nodes[i].c && crmd_get_state(s->nodes[i].c) == CRMD_S_STOPPED) {
			crmd_down(&s->nodes[i]);
			any = true;
		}
	if (any)
		deliver_membership(s);
}

void
sim_run(struct sim *s, uint64_t ms)
{
	uint64_t end = s->now + ms;

	cur_sim = s;
	while (!s->violation[0]) {
		uint64_t tq = s->nq ? s->q[0]->t : UINT64_MAX, td = UINT64_MAX;
		int tick = -1;

		for (unsigned i = 0; i < s->n; i++)
			if (s->nodes[i].c) {
				uint64_t d = crmd_next_deadline(s->nodes[i].c);

				if (d < td) {
					td = d;
					tick = (int)i;
				}
			}
		uint64_t t = td < tq ? td : tq;
		if (t == UINT64_MAX || t > end)
			break;
		if (t > s->now)
			s->now = t;
		if (td <= tq) {
			crmd_tick(s->nodes[tick].c, s->now);
		} else {
			struct ev *e = pop(s);

			handle(s, e);
			ev_free(e);
		}
		reap_stopped(s);
		check_one_dc(s);
	}
	if (s->now < end)
		s->now = end;
}

bool
sim_converged(struct sim *s, char *why, size_t len)
{
	struct node *dc = NULL;
	unsigned running[SIM_MAX_RSC] = { 0 };

	for (unsigned i = 0; i < s->n; i++) {
		struct node *n = &s->nodes[i];

		if (!n->c)
			continue;
		if (crmd_is_dc(n->c)) {
			if (dc) {
				snprintf(why, len, "two DCs: node%u and node%u", dc->id, n->id);
				return false;
			}
			dc = n;
		}
	}
	if (!dc) {
		snprintf(why, len, "no DC");
		return false;
	}
	if (crmd_get_state(dc->c) != CRMD_S_IDLE || dc->c->graph) {
		snprintf(why, len, "DC node%u in %s", dc->id, crmd_state_name(crmd_get_state(dc->c)));
		return false;
	}
	for (unsigned i = 0; i < s->n; i++) {
		struct node *n = &s->nodes[i];

		if (n->c && n != dc &&
		    (crmd_get_state(n->c) != CRMD_S_NOT_DC || !n->c->joined ||
			crmd_dc(n->c) != dc->id)) {
			snprintf(why, len, "node%u in %s, DC %u", n->id,
			    crmd_state_name(crmd_get_state(n->c)), crmd_dc(n->c));
			return false;
		}
		for (unsigned r = 0; r < s->n_rsc; r++)
			if (n->up && n->rsc[r].running)
				running[r]++;
	}
	for (unsigned r = 0; r < s->n_rsc; r++) {
		char id[16];
		bool somewhere = false;

		snprintf(id, sizeof(id), "rsc%u", r);
		for (unsigned i = 0; i < s->n; i++) /* migration-threshold 3 */
			if (s->nodes[i].c && sim_cib_fails(s->cib, s->nodes[i].id, id) < 3)
				somewhere = true;
		if (running[r] == 0 && !somewhere)
			continue;
		if (running[r] != 1) {
			snprintf(why, len, "rsc%u runs on %u nodes", r, running[r]);
			return false;
		}
	}
	return true;
}

void
sim_dump(struct sim *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct node *n = &s->nodes[i];

		fprintf(stderr, "node%u up=%d crmd=%s:", n->id, n->up,
		    n->c ? crmd_state_name(crmd_get_state(n->c)) : "-");
		for (unsigned r = 0; r < s->n_rsc; r++) {
			char id[16];

			snprintf(id, sizeof(id), "rsc%u", r);
			fprintf(stderr, " %s[run=%d mon=%d cib start=%ld stop=%ld probe=%ld]", id,
			    n->rsc[r].running, n->rsc[r].monitored,
			    sim_cib_call(s->cib, n->id, id, "start", 0),
			    sim_cib_call(s->cib, n->id, id, "stop", 0),
			    sim_cib_call(s->cib, n->id, id, "monitor", 0));
		}
		fprintf(stderr, "\n");
		for (size_t k = 0; k < n->n_hist; k++)
			fprintf(stderr, "   hist %s_%s_%u call %u rc %d\n", n->hist[k].rsc_id,
			    n->hist[k].action, n->hist[k].interval_ms, n->hist[k].call_id,
			    n->hist[k].rc);
	}
}
