/*
 * test_crmd_fsm.c - one controller driven by hand through its ops: the DC's own transition
 * engine step by step (dispatch, results, failures, probes, timeouts, fencing refused,
 * fail counts, recompute on change), and the node side (actions from the DC only,
 * results sent back, shutdown only when the DC says so).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paceline/log.h>
#include <paceline/xalloc.h>

#include "fsm.h"

struct rec {
	int pengine_requests;
	uint64_t pengine_ref;
	int execs;
	struct crmd_rsc_action last_exec;
	int records;
	struct crmd_op_result last_record;
	bool last_record_had_req;
	int fail_counts;
	int clears;
	int sends;
	struct crmd_msg last_sent;
	int last_result_status; /* of the last ACTION_RESULT sent */
	char last_result_key[64];
	int result_sends;
	bool stopped;
	int cancels;
	char cancelled[64]; /* "rsc action interval" of the last lrmd cancel */
	int forgets;
	char forgotten[64]; /* "node rsc" of the last cib_forget */
};

static void
r_forget(void *arg, uint32_t node, const char *rsc)
{
	struct rec *r = arg;

	r->forgets++;
	snprintf(r->forgotten, sizeof(r->forgotten), "%u %s", node, rsc ? rsc : "(all)");
}

static void
r_cancel(void *arg, const char *rsc, const char *action, uint32_t interval_ms)
{
	struct rec *r = arg;

	r->cancels++;
	snprintf(r->cancelled, sizeof(r->cancelled), "%s %s %u", rsc, action, interval_ms);
}

static void
r_send(void *arg, const struct crmd_msg *m)
{
	struct rec *r = arg;

	r->sends++;
	r->last_sent.type = m->type;
	r->last_sent.to = m->to;
	r->last_sent.id = m->id;
	if (m->type == CRMD_MSG_ACTION_RESULT) {
		r->last_result_status = m->u.result.status;
		snprintf(r->last_result_key, sizeof(r->last_result_key), "%s",
		    m->u.result.transition_key ? m->u.result.transition_key : "");
		r->result_sends++;
	}
}

static void
r_exec(void *arg, const struct crmd_rsc_action *a)
{
	struct rec *r = arg;

	r->execs++;
	crmd_rsc_action_clear(&r->last_exec);
	crmd_rsc_action_copy(&r->last_exec, a);
}

static void
r_record(void *arg, uint32_t node, const struct crmd_rsc_action *req, const struct crmd_op_result *o)
{
	struct rec *r = arg;

	(void)node;
	r->records++;
	r->last_record_had_req = req != NULL;
	crmd_op_result_clear(&r->last_record);
	crmd_op_result_copy(&r->last_record, o);
}

static void
r_fail(void *arg, uint32_t node, const char *rsc, const char *action, uint32_t interval,
    uint64_t now_s)
{
	struct rec *r = arg;

	(void)node, (void)rsc, (void)action, (void)interval, (void)now_s;
	r->fail_counts++;
}

static void
r_clear(void *arg, uint32_t node, const char *rsc, const char *action, uint32_t interval)
{
	struct rec *r = arg;

	(void)node, (void)rsc, (void)interval;
	assert_null(action);
	r->clears++;
}

static void
r_pe(void *arg, uint64_t ref)
{
	struct rec *r = arg;

	r->pengine_requests++;
	r->pengine_ref = ref;
}

static void
r_stopped(void *arg)
{
	((struct rec *)arg)->stopped = true;
}

static void
r_log(void *arg, int level, const char *line)
{
	(void)arg, (void)level;
	if (getenv("CRMD_TEST_LOG"))
		fprintf(stderr, "%s\n", line);
}

static const struct crmd_ops rec_ops = {
	.send = r_send,
	.lrmd_exec = r_exec,
	.lrmd_cancel = r_cancel,
	.cib_record_op = r_record,
	.cib_forget = r_forget,
	.cib_fail_count = r_fail,
	.cib_clear_fail_count = r_clear,
	.pengine_request = r_pe,
	.stopped = r_stopped,
	.log = r_log,
};

#define OP(id, op, rc, extra)                                                           \
	"<rsc_op id=\"" #id "\" operation=\"" op "\" operation_key=\"r_" op "_0\" "     \
	"on_node=\"n1\" on_node_uuid=\"1\"><primitive id=\"r\" class=\"ocf\" "          \
	"provider=\"pacemaker\" type=\"Dummy\"/><attributes CRM_meta_timeout=\"1000\" " \
	"CRM_meta_op_target_rc=\"" #rc "\" " extra "/></rsc_op>"

static struct crmd *
lone_dc(struct rec *r)
{
	struct crmd_options o;
	struct crmd *c;
	struct crmd_member me = { 1, "n1", true };

	memset(r, 0, sizeof(*r));
	crmd_default_options(&o);
	o.recheck_ms = 0;
	c = crmd_new(1, "n1", 1000, &o, &rec_ops, r);
	crmd_start(c, 0);
	crmd_membership(c, &me, 1, 1, true, 0); /* alone and complete: DC at once */
	assert_true(crmd_is_dc(c));
	assert_int_equal(crmd_get_state(c), CRMD_S_POLICY_ENGINE);
	assert_int_equal(r->pengine_requests, 1);
	return c;
}

/* A result for the last action run; its strings must outlive re-entrant calls. */
static struct crmd_op_result
result_of(const struct rec *r, int rc, int status)
{
	static char rsc[64], action[64];

	snprintf(rsc, sizeof(rsc), "%s", r->last_exec.rsc_id);
	snprintf(action, sizeof(action), "%s", r->last_exec.action);
	struct crmd_op_result o = {
		.rsc_id = rsc,
		.rclass = "ocf",
		.provider = "pacemaker",
		.type = "Dummy",
		.action = action,
		.interval_ms = r->last_exec.interval_ms,
		.transition_key = "",
		.exit_reason = "",
		.op_digest = "",
		.op_restart_digest = "",
		.call_id = 7,
		.rc = rc,
		.status = status,
	};
	return o;
}

static void
done(struct crmd *c, struct rec *r)
{
	crmd_free(c);
	crmd_rsc_action_clear(&r->last_exec);
	crmd_op_result_clear(&r->last_record);
}

/* A chain probe -> start: each dispatched once, in order, results recorded with the request. */
static void
test_dc_runs_graph(void **state)
{
	struct rec r;
	struct crmd *c = lone_dc(&r);
	const char *g = "<transition_graph transition_id=\"0\" cluster-delay=\"1s\">"
			"<synapse id=\"0\"><action_set>" OP(1, "monitor", 7,
			    "") "</action_set></synapse>"
				"<synapse id=\"1\"><action_set>" OP(2, "start", 0,
				    "p=\"1\"") "</action_set>"
					       "<inputs><trigger><rsc_op "
					       "id=\"1\"/></trigger></inputs></synapse>"
					       "</transition_graph>";

	(void)state;
	crmd_pe_graph(c, r.pengine_ref + 1, g, 1); /* an answer to another question: ignored */
	assert_int_equal(crmd_get_state(c), CRMD_S_POLICY_ENGINE);
	crmd_pe_graph(c, r.pengine_ref, g, 1);
	assert_int_equal(crmd_get_state(c), CRMD_S_TRANSITION);
	assert_int_equal(r.execs, 1);
	assert_string_equal(r.last_exec.action, "monitor");
	assert_string_equal(r.last_exec.transition_key, "1:0:7:1");
	struct crmd_op_result o = result_of(&r, PL_OCF_NOT_RUNNING, PL_LRMD_DONE);
	crmd_lrmd_result(c, &o, 2);
	assert_int_equal(r.records, 1);
	assert_true(r.last_record_had_req);
	assert_string_equal(r.last_record.transition_key, "1:0:7:1");
	assert_int_equal(r.execs, 2);
	assert_string_equal(r.last_exec.action, "start");
	assert_string_equal(pl_lrmd_params_get(&r.last_exec.params, "p"), "1");
	o = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	crmd_lrmd_result(c, &o, 4);
	assert_int_equal(crmd_get_state(c), CRMD_S_IDLE);
	assert_int_equal(r.fail_counts, 0);
	assert_int_equal(r.pengine_requests, 1);
	crmd_cib_changed(c, 5); /* any change: compute again */
	assert_int_equal(r.pengine_requests, 2);
	done(c, &r);
}

/* A one-action graph that lrmd may answer at once or later: answered until it is done. */
static void
answer_until_idle(struct crmd *c, struct rec *r)
{
	for (int i = 0; i < 3 && crmd_get_state(c) == CRMD_S_TRANSITION; i++) {
		struct crmd_op_result o = result_of(r, PL_OCF_SUCCESS, PL_LRMD_DONE);
		o.transition_key = r->last_exec.transition_key;
		crmd_lrmd_result(c, &o, 2 + (uint64_t)i);
	}
	assert_int_equal(crmd_get_state(c), CRMD_S_IDLE);
}

/* A cancel (a promotion cancels the Unpromoted monitor) is confirmed, and leaves no record
 * of its own: the cancelled monitor's record goes (its CANCELLED result), and Pacemaker's
 * controller never writes an operation="cancel" entry. It did here (r_cancel_11000), a
 * record the scheduler and crm_mon then read as part of the resource's history. */
static void
test_cancel_leaves_no_record(void **state)
{
	struct rec r;
	struct crmd *c = lone_dc(&r);
	const char *g = "<transition_graph transition_id=\"0\" cluster-delay=\"1s\">"
			"<synapse id=\"0\"><action_set>"
			"<rsc_op id=\"1\" operation=\"cancel\" operation_key=\"r_monitor_11000\" "
			"on_node=\"n1\" on_node_uuid=\"1\"><primitive id=\"r\" class=\"ocf\" "
			"provider=\"pacemaker\" type=\"Stateful\"/><attributes "
			"CRM_meta_interval=\"11000\" CRM_meta_operation=\"monitor\" "
			"CRM_meta_timeout=\"1000\"/></rsc_op></action_set></synapse>"
			"</transition_graph>";

	(void)state;
	crmd_pe_graph(c, r.pengine_ref, g, 1);
	assert_int_equal(r.cancels, 1);
	assert_string_equal(r.cancelled, "r monitor 11000");
	answer_until_idle(c, &r); /* however it went (at once or through lrmd) */
	assert_true(r.records == 0 || strcmp(r.last_record.action, "cancel") != 0);
	done(c, &r);
}

/* A delete (an orphan's history, cluster.fencing's st-null) forgets the resource on its
 * node and writes no operation="delete" record: such a record is history again, for which
 * the scheduler asks another delete, and the DC ran a graph a millisecond, each aborted by
 * the record of the last (a start waiting behind them never ran). */
static void
test_delete_leaves_no_record(void **state)
{
	struct rec r;
	struct crmd *c = lone_dc(&r);
	const char *g = "<transition_graph transition_id=\"0\" cluster-delay=\"1s\">"
			"<synapse id=\"0\"><action_set>"
			"<rsc_op id=\"1\" operation=\"delete\" operation_key=\"r_delete_0\" "
			"on_node=\"n1\" on_node_uuid=\"1\"><primitive id=\"r\" class=\"stonith\" "
			"type=\"null\"/><attributes CRM_meta_timeout=\"1000\"/></rsc_op>"
			"</action_set></synapse></transition_graph>";

	(void)state;
	crmd_pe_graph(c, r.pengine_ref, g, 1);
	answer_until_idle(c, &r);
	assert_true(r.forgets >= 1);
	assert_string_equal(r.forgotten, "1 r");
	assert_true(r.records == 0 || strcmp(r.last_record.action, "delete") != 0);
	done(c, &r);
}

/* A cancel whose graph does not name the cancelled operation (CRM_meta_operation, as this
 * project's scheduler once wrote it): the operation comes from its key, r_monitor_4000.
 * Before, lrmd was asked to cancel "" and the monitor ran on: after a promotion the
 * Unpromoted monitor answered "promoted", failed, and recovery looped (cts.sh -p). */
static void
test_cancel_from_key(void **state)
{
	struct rec r;
	struct crmd *c = lone_dc(&r);
	const char *g = "<transition_graph transition_id=\"0\" cluster-delay=\"1s\">"
			"<synapse id=\"0\"><action_set>"
			"<rsc_op id=\"1\" operation=\"cancel\" operation_key=\"r_monitor_4000\" "
			"on_node=\"n1\" on_node_uuid=\"1\"><primitive id=\"r\" class=\"ocf\" "
			"provider=\"pacemaker\" type=\"Stateful\"/><attributes "
			"CRM_meta_interval=\"4000\" CRM_meta_timeout=\"1000\"/></rsc_op>"
			"</action_set></synapse></transition_graph>";

	(void)state;
	crmd_pe_graph(c, r.pengine_ref, g, 1);
	assert_int_equal(r.cancels, 1);
	assert_string_equal(r.cancelled, "r monitor 4000");
	done(c, &r);
}

/* A failed start: fail-count, graph aborted, recomputed; a probe finding the resource
 * running is unexpected (recompute) but no failure. */
static void
test_failures(void **state)
{
	struct rec r;
	struct crmd *c = lone_dc(&r);
	const char *g =
	    "<transition_graph transition_id=\"0\">"
	    "<synapse id=\"0\"><action_set>" OP(1, "start", 0,
		"") "</action_set></synapse>"
		    "<synapse id=\"1\"><action_set>" OP(2, "monitor", 0,
			"CRM_meta_interval=\"1000\"") "</action_set><inputs><trigger><rsc_op "
						      "id=\"1\"/></trigger></inputs></synapse>"
						      "</transition_graph>";

	(void)state;
	crmd_pe_graph(c, r.pengine_ref, g, 1);
	struct crmd_op_result o = result_of(&r, PL_OCF_ERR_GENERIC, PL_LRMD_DONE);
	crmd_lrmd_result(c, &o, 2);
	assert_int_equal(r.fail_counts, 1);
	assert_int_equal(r.execs, 1); /* the monitor never goes */
	assert_int_equal(r.pengine_requests, 2);
	assert_int_equal(crmd_get_state(c), CRMD_S_POLICY_ENGINE);

	const char *probe =
	    "<transition_graph transition_id=\"0\"><synapse id=\"0\"><action_set>" OP(
		1, "monitor", 7, "") "</action_set></synapse></transition_graph>";
	crmd_pe_graph(c, r.pengine_ref, probe, 3);
	o = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE); /* found running */
	crmd_lrmd_result(c, &o, 4);
	assert_int_equal(r.fail_counts, 1);
	assert_int_equal(r.pengine_requests, 3);

	/* a recurring monitor failing later, outside any graph */
	crmd_pe_graph(c, r.pengine_ref, "<transition_graph transition_id=\"0\"/>", 5);
	assert_int_equal(crmd_get_state(c), CRMD_S_IDLE);
	o = result_of(&r, PL_OCF_NOT_RUNNING, PL_LRMD_DONE);
	o.action = "monitor";
	o.interval_ms = 1000;
	o.target_rc = 0;
	crmd_lrmd_result(c, &o, 6);
	assert_int_equal(r.fail_counts, 2);
	assert_int_equal(r.pengine_requests, 4);
	done(c, &r);
}

/* Not confirmed within timeout + cluster-delay: timed out, recorded, counted, aborted. */
static void
test_timeout(void **state)
{
	struct rec r;
	struct crmd *c = lone_dc(&r);
	const char *g = "<transition_graph transition_id=\"0\" cluster-delay=\"500ms\">"
			"<synapse id=\"0\"><action_set>" OP(
			    1, "start", 0, "") "</action_set></synapse></transition_graph>";

	(void)state;
	crmd_pe_graph(c, r.pengine_ref, g, 100);
	assert_int_equal(crmd_next_deadline(c), 100 + 1000 + 500);
	crmd_tick(c, 1599);
	assert_int_equal(r.records, 0);
	crmd_tick(c, 1600);
	assert_int_equal(r.records, 1);
	assert_int_equal(r.last_record.status, PL_LRMD_TIMED_OUT);
	assert_int_equal(r.fail_counts, 1);
	assert_int_equal(r.pengine_requests, 2);
	struct crmd_op_result o = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	crmd_lrmd_result(c, &o, 1700); /* the late result is still recorded */
	assert_int_equal(r.records, 2);
	done(c, &r);
}

/* Fencing is refused (no stonithd): the action fails, what depends on it never runs. */
static void
test_stonith_refused_and_events(void **state)
{
	struct rec r;
	struct crmd *c = lone_dc(&r);
	const char *g =
	    "<transition_graph transition_id=\"0\">"
	    "<synapse id=\"0\"><action_set><crm_event id=\"1\" operation=\"clear_failcount\" "
	    "operation_key=\"r_clear_failcount_0\" on_node=\"n1\" on_node_uuid=\"1\">"
	    "<primitive id=\"r\"/></crm_event></action_set></synapse>"
	    "<synapse id=\"1\"><action_set><crm_event id=\"2\" operation=\"stonith\" "
	    "operation_key=\"stonith-n1-reboot\" on_node=\"n1\" on_node_uuid=\"1\"/>"
	    "</action_set></synapse>"
	    "<synapse id=\"2\"><action_set>" OP(3, "start", 0,
		"") "</action_set>"
		    "<inputs><trigger><crm_event id=\"2\"/></trigger></inputs></synapse>"
		    "</transition_graph>";

	(void)state;
	crmd_pe_graph(c, r.pengine_ref, g, 1);
	assert_int_equal(r.clears, 1);
	assert_int_equal(r.execs, 0);
	assert_int_equal(r.pengine_requests, 2); /* the failure asks for a new graph */
	done(c, &r);
}

/* stonith-max-attempts: failed fencing is asked again until the target has failed that many
 * times; then the graph ends with no new one until a change (a CIB change) asks; a success
 * resets the count. */
static int fences;
static uint64_t fence_ref;
static uint32_t fence_delay;

static void
r_fence(void *arg, const char *target, const char *action, uint32_t delay_ms, uint64_t ref)
{
	(void)arg;
	fence_delay = delay_ms;
	assert_string_equal(target, "n2");
	assert_string_equal(action, "reboot");
	fences++;
	fence_ref = ref;
}

static void
test_stonith_max_attempts(void **state)
{
	struct rec r;
	struct crmd_ops ops = rec_ops;
	struct crmd_options o;
	struct crmd_member me = { 1, "n1", true };
	const char *g =
	    "<transition_graph transition_id=\"0\">"
	    "<synapse id=\"0\"><action_set><crm_event id=\"1\" operation=\"stonith\" "
	    "operation_key=\"stonith-n2-reboot\" on_node=\"n2\" on_node_uuid=\"2\">"
	    "<attributes CRM_meta_priority_fencing_delay=\"15\" "
	    "CRM_meta_stonith_action=\"reboot\"/>"
	    "</crm_event></action_set></synapse>"
	    "<synapse id=\"1\"><action_set>" OP(3, "start", 0,
		"") "</action_set>"
		    "<inputs><trigger><crm_event id=\"1\"/></trigger></inputs></synapse>"
		    "</transition_graph>";
	uint64_t now = 1;

	(void)state;
	memset(&r, 0, sizeof(r));
	ops.fence = r_fence;
	fences = 0;
	crmd_default_options(&o);
	o.recheck_ms = 0;
	o.stonith_max_attempts = 3;
	struct crmd *c = crmd_new(1, "n1", 1000, &o, &ops, &r);
	crmd_start(c, 0);
	crmd_membership(c, &me, 1, 1, true, 0);
	assert_int_equal(r.pengine_requests, 1);
	for (int attempt = 1; attempt <= 3; attempt++) {
		crmd_pe_graph(c, r.pengine_ref, g, now);
		assert_int_equal(fences, attempt);
		assert_int_equal(fence_delay, 15000); /* the graph's priority-fencing-delay */
		crmd_fence_result(c, fence_ref, "n2", "reboot", false, NULL, now);
		assert_int_equal(crmd_fence_failures(c, "n2"), attempt);
		assert_int_equal(r.execs, 0); /* the start waits for the fencing */
		now += 5000;		      /* past the retry hold */
		crmd_tick(c, now);
		if (attempt < 3)
			assert_int_equal(r.pengine_requests, attempt + 1);
	}
	/* the third failure: no new graph by itself, however long we wait */
	assert_int_equal(r.pengine_requests, 3);
	crmd_tick(c, now + 600000);
	assert_int_equal(r.pengine_requests, 3);
	assert_int_equal(crmd_get_state(c), CRMD_S_IDLE);
	/* a change asks once more; a success resets the count */
	crmd_cib_changed(c, now + 600001);
	assert_int_equal(r.pengine_requests, 4);
	crmd_pe_graph(c, r.pengine_ref, g, now + 600002);
	assert_int_equal(fences, 4);
	crmd_fence_result(c, fence_ref, "n2", "reboot", true, "n1", now + 600003);
	assert_int_equal(crmd_fence_failures(c, "n2"), 0);
	assert_int_equal(r.execs, 1);
	done(c, &r);
}

/* The node side: actions only from its DC; results back to it; SHUTDOWN only from it. */
static struct crmd *
follower(struct rec *r)
{
	struct crmd_options o;
	struct crmd_member m[2] = { { 1, "n1", true }, { 2, "n2", true } };
	struct crmd_msg msg;

	memset(r, 0, sizeof(*r));
	crmd_default_options(&o);
	struct crmd *c = crmd_new(2, "n2", 2000, &o, &rec_ops, r);
	crmd_start(c, 0);
	crmd_membership(c, m, 2, 2, true, 0);
	memset(&msg, 0, sizeof(msg));
	msg.type = CRMD_MSG_VOTE;
	msg.from = 1;
	msg.id = r->last_sent.id;
	msg.u.vote.members_hash = crmd_members_hash((uint32_t[]){ 1, 2 }, 2);
	msg.u.vote.start_ms = 1000;
	crmd_recv(c, &msg, 1);
	assert_int_equal(crmd_dc(c), 1);
	return c;
}

static void
send_action(struct crmd *c, const char *action, const char *key, const char *after, uint64_t t)
{
	struct crmd_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.type = CRMD_MSG_ACTION;
	msg.from = 1;
	msg.u.action = (struct crmd_rsc_action){ .rsc_id = "r",
		.rclass = "ocf",
		.provider = "pacemaker",
		.type = "Dummy",
		.action = (char *)action,
		.cancel_action = "",
		.transition_key = (char *)key };
	if (after)
		pl_lrmd_params_set(&msg.u.action.meta, "paceline_after", after);
	crmd_recv(c, &msg, t);
	pl_lrmd_params_free(&msg.u.action.meta);
}

/* A chained action (the DC sent a restart's start with its stop): the node runs it when the
 * stop succeeds, without the agent seeing the chaining; when the stop fails it is reported
 * not run (cancelled) and never runs. */
static void
test_node_chained(void **state)
{
	struct rec r;
	struct crmd *c = follower(&r);
	struct crmd_op_result res;

	(void)state;
	send_action(c, "stop", "1:0:0:1", NULL, 2);
	send_action(c, "start", "2:0:0:1", "1:0:0:1", 2);
	assert_int_equal(r.execs, 1); /* the stop only */
	assert_string_equal(r.last_exec.action, "stop");
	res = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	crmd_lrmd_result(c, &res, 3);
	assert_int_equal(r.execs, 2);
	assert_string_equal(r.last_exec.action, "start");
	assert_string_equal(r.last_exec.transition_key, "2:0:0:1");
	assert_null(pl_lrmd_params_get(&r.last_exec.meta, "paceline_after"));
	res = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	crmd_lrmd_result(c, &res, 4);

	send_action(c, "stop", "3:0:0:1", NULL, 5);
	send_action(c, "start", "4:0:0:1", "3:0:0:1", 5);
	send_action(c, "monitor", "7:0:0:1", "4:0:0:1", 5); /* after the start */
	assert_int_equal(r.execs, 3);
	int sends = r.sends;
	res = result_of(&r, PL_OCF_ERR_GENERIC, PL_LRMD_DONE); /* the stop fails */
	crmd_lrmd_result(c, &res, 6);
	assert_int_equal(r.execs, 3);	      /* neither the start nor its monitor runs */
	assert_int_equal(r.sends, sends + 3); /* the stop's result, two not run */
	assert_int_equal(r.last_sent.type, CRMD_MSG_ACTION_RESULT);
	assert_int_equal(r.last_result_status, PL_LRMD_CANCELLED);

	/* the stop's result came before the start's message: run at once */
	send_action(c, "stop", "5:0:0:1", NULL, 7);
	res = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	crmd_lrmd_result(c, &res, 8);
	send_action(c, "start", "6:0:0:1", "5:0:0:1", 9);
	assert_int_equal(r.execs, 5);
	assert_string_equal(r.last_exec.action, "start");
	done(c, &r);
}

/* A new DC found a start pending in the join history and issues it again (Pacemaker's
 * scheduler does, corpus 696 and 726) while this node's lrmd still runs it: it is not run a
 * second time (cluster.crmd: "busy started 2 times"); the one result answers the later
 * request under its key, and what was chained after that key runs after it. */
static void
test_node_adopts_start_in_flight(void **state)
{
	struct rec r;
	struct crmd *c = follower(&r);
	struct crmd_op_result res;

	(void)state;
	send_action(c, "start", "4:1:0:1", NULL, 2); /* the first DC's start */
	assert_int_equal(r.execs, 1);
	send_action(c, "start", "2:7:0:1", NULL, 3); /* the same start asked again */
	send_action(c, "monitor", "3:7:0:1", "2:7:0:1", 3);
	assert_int_equal(r.execs, 1);
	int sends = r.result_sends;
	res = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	res.transition_key = "4:1:0:1";
	crmd_lrmd_result(c, &res, 4);
	assert_int_equal(r.result_sends, sends + 1); /* to the DC, under its own key */
	assert_string_equal(r.last_result_key, "2:7:0:1");
	assert_int_equal(r.execs, 2); /* the chained monitor, not the start again */
	assert_string_equal(r.last_exec.action, "monitor");
	res = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	crmd_lrmd_result(c, &res, 5);
	send_action(c, "start", "5:8:0:1", NULL, 6); /* once done, a start runs again */
	assert_int_equal(r.execs, 3);
	done(c, &r);
}

static void
test_node_side(void **state)
{
	struct rec r;
	struct crmd_options o;
	struct crmd_member m[2] = { { 1, "n1", true }, { 2, "n2", true } };
	struct crmd_msg msg;

	(void)state;
	memset(&r, 0, sizeof(r));
	crmd_default_options(&o);
	struct crmd *c = crmd_new(2, "n2", 2000, &o, &rec_ops, &r);
	crmd_start(c, 0);
	crmd_membership(c, m, 2, 2, true, 0);
	assert_int_equal(crmd_get_state(c), CRMD_S_ELECTION);
	assert_int_equal(r.last_sent.type, CRMD_MSG_VOTE);
	uint64_t eid = r.last_sent.id;
	memset(&msg, 0, sizeof(msg));
	msg.type = CRMD_MSG_VOTE;
	msg.from = 1;
	msg.id = eid;
	msg.u.vote.members_hash = crmd_members_hash((uint32_t[]){ 1, 2 }, 2);
	msg.u.vote.start_ms = 1000; /* older: it wins */
	crmd_recv(c, &msg, 1);
	assert_int_equal(crmd_get_state(c), CRMD_S_NOT_DC);
	assert_int_equal(crmd_dc(c), 1);

	memset(&msg, 0, sizeof(msg));
	msg.type = CRMD_MSG_ACTION;
	msg.from = 3; /* not the DC */
	msg.u.action = (struct crmd_rsc_action){ .rsc_id = "r",
		.rclass = "ocf",
		.provider = "pacemaker",
		.type = "Dummy",
		.action = "start",
		.cancel_action = "",
		.transition_key = "1:0:0:1" };
	crmd_recv(c, &msg, 2);
	assert_int_equal(r.execs, 0);
	msg.from = 1;
	crmd_recv(c, &msg, 3);
	assert_int_equal(r.execs, 1);
	struct crmd_op_result res = result_of(&r, PL_OCF_SUCCESS, PL_LRMD_DONE);
	crmd_lrmd_result(c, &res, 4);
	assert_int_equal(r.last_sent.type, CRMD_MSG_ACTION_RESULT);
	assert_int_equal(r.last_sent.to, 1);
	assert_int_equal(r.records, 0); /* the DC writes it */

	memset(&msg, 0, sizeof(msg));
	msg.type = CRMD_MSG_SHUTDOWN;
	msg.from = 3;
	crmd_recv(c, &msg, 5);
	assert_false(r.stopped);
	msg.from = 1;
	crmd_recv(c, &msg, 6);
	assert_true(r.stopped);
	assert_int_equal(crmd_get_state(c), CRMD_S_STOPPED);
	done(c, &r);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(crmd_state_name(CRMD_S_IDLE), "S_IDLE");
	assert_string_equal(crmd_state_name(CRMD_S_TRANSITION), "S_TRANSITION_ENGINE");
	assert_string_equal(crmd_state_name((enum crmd_state)99), "S_UNKNOWN");
	assert_string_equal(crmd_msg_name(CRMD_MSG_JOIN_CONFIRM), "join-confirm");
	assert_string_equal(crmd_join_name(CRMD_JOIN_MEMBER), "member");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dc_runs_graph),
		cmocka_unit_test(test_cancel_leaves_no_record),
		cmocka_unit_test(test_cancel_from_key),
		cmocka_unit_test(test_delete_leaves_no_record),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_stonith_refused_and_events),
		cmocka_unit_test(test_stonith_max_attempts),
		cmocka_unit_test(test_node_side),
		cmocka_unit_test(test_node_chained),
		cmocka_unit_test(test_node_adopts_start_in_flight),
		cmocka_unit_test(test_names),
	};

	log_init("crmd-test");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
