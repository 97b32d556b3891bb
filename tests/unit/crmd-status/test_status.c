/*
 * test_status.c - crmd/status.c: operation keys and transition keys round-trip, failures are
 * judged against the transition key's target rc, records carry Pacemaker's attributes and
 * ids (RSC_last_0, RSC_monitor_1000, RSC_last_failure_0), fail counts use Pacemaker's names,
 * digests match lib/pengine's, and a node's lrm section is rebuilt from its lrmd history.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paceline/error.h"
#include "paceline/xml.h"
#include "status.h"

static void
test_op_key(void **state)
{
	char *k, *rsc, *act;
	uint32_t iv;

	(void)state;
	k = crmd_op_key("my_rsc", "monitor", 1000);
	assert_string_equal(k, "my_rsc_monitor_1000");
	assert_true(crmd_op_key_parse(k, &rsc, &act, &iv));
	assert_string_equal(rsc, "my_rsc");
	assert_string_equal(act, "monitor");
	assert_int_equal(iv, 1000);
	free(k);
	free(rsc);
	free(act);
	assert_true(crmd_op_key_parse("vm_1_migrate_to_0", &rsc, &act, &iv));
	assert_string_equal(rsc, "vm_1");
	assert_string_equal(act, "migrate_to");
	free(rsc);
	free(act);
	assert_false(crmd_op_key_parse("nointerval", &rsc, &act, &iv));
	assert_false(crmd_op_key_parse("a_start_x", &rsc, &act, &iv));
	assert_false(crmd_op_key_parse("start_0", &rsc, &act, &iv));
}

static void
test_transition_key(void **state)
{
	char *k = crmd_transition_key(3, 17, 7, "abc-def"), *uuid;
	int a, t, rc;

	(void)state;
	assert_string_equal(k, "3:17:7:abc-def");
	assert_true(crmd_transition_key_parse(k, &a, &t, &rc, &uuid));
	assert_int_equal(a, 3);
	assert_int_equal(t, 17);
	assert_int_equal(rc, 7);
	assert_string_equal(uuid, "abc-def");
	free(uuid);
	free(k);
	assert_false(crmd_transition_key_parse("3:17:7:", NULL, NULL, NULL, NULL));
	assert_false(crmd_transition_key_parse("x", NULL, NULL, NULL, NULL));
	assert_false(crmd_transition_key_parse(NULL, NULL, NULL, NULL, NULL));
}

static void
test_failed(void **state)
{
	struct crmd_op_record r = { .rsc_id = "d", .action = "monitor", .transition_key = "1:1:7:u" };

	(void)state;
	r.rc = 7;
	assert_false(crmd_op_failed(&r)); /* probe: not running, expected */
	r.rc = 0;
	assert_false(crmd_op_failed(&r)); /* probe: running is information */
	r.rc = 1;
	assert_true(crmd_op_failed(&r));
	r.action = "start";
	r.transition_key = "1:1:0:u";
	r.rc = 0;
	assert_false(crmd_op_failed(&r));
	r.op_status = 2; /* timed out */
	assert_true(crmd_op_failed(&r));
	r.op_status = 0;
	r.action = "monitor";
	r.interval_ms = 1000;
	r.rc = 7;
	assert_true(crmd_op_failed(&r)); /* a recurring monitor finding it stopped */
	r.op_status = 1;
	assert_false(crmd_op_failed(&r)); /* cancelled */
	r.op_status = 0;
	r.rc = 190;
	assert_false(crmd_op_failed(&r)); /* degraded */
}

static const struct crmd_op_record start_ok = {
	.rsc_id = "d",
	.rclass = "ocf",
	.provider = "paceline",
	.type = "Dummy",
	.action = "start",
	.transition_key = "3:1:0:uuid-1",
	.rc = 0,
	.op_status = 0,
	.call_id = 12,
	.exit_reason = "",
	.last_rc_change = 1700000000,
	.exec_ms = 15,
	.queue_ms = 1,
	.node = "n1",
	.op_digest = "f2317cad3d54cec5d7d7aa7d0bf35cf8",
};

static void
test_op_update(void **state)
{
	xmlDoc *doc = pl_xml_new_doc("x");
	xmlNode *ns = crmd_status_op_update(doc, "1", "n1", &start_ok);
	char *s = pl_xml_dump(ns, false);

	(void)state;
	assert_string_equal(s,
	    "<node_state id=\"1\" uname=\"n1\" crm-debug-origin=\"do_update_resource\">"
	    "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"d\" type=\"Dummy\" class=\"ocf\" "
	    "provider=\"paceline\">"
	    "<lrm_rsc_op id=\"d_last_0\" operation_key=\"d_start_0\" operation=\"start\" "
	    "crm-debug-origin=\"do_update_resource\" crm_feature_set=\"3.16.2\" "
	    "transition-key=\"3:1:0:uuid-1\" transition-magic=\"0:0;3:1:0:uuid-1\" "
	    "exit-reason=\"\" "
	    "on_node=\"n1\" call-id=\"12\" rc-code=\"0\" op-status=\"0\" interval=\"0\" "
	    "last-rc-change=\"1700000000\" exec-time=\"15\" queue-time=\"1\" "
	    "op-digest=\"f2317cad3d54cec5d7d7aa7d0bf35cf8\"/>"
	    "</lrm_resource></lrm_resources></lrm></node_state>");
	free(s);
	xmlFreeNode(ns);

	/* a failed recurring monitor: its own record and the last failure */
	struct crmd_op_record mon = start_ok;
	mon.action = "monitor";
	mon.interval_ms = 1000;
	mon.rc = 7;
	mon.transition_key = "4:1:0:uuid-1";
	ns = crmd_status_op_update(doc, "1", "n1", &mon);
	xmlNode *res = pl_xml_first_child(
	    pl_xml_first_child(pl_xml_first_child(ns, "lrm"), "lrm_resources"), "lrm_resource");
	assert_int_equal(pl_xml_count_children(res, "lrm_rsc_op"), 2);
	assert_string_equal(pl_xml_id(pl_xml_first_child(res, NULL)), "d_monitor_1000");
	xmlNode *lf = pl_xml_next_sibling(pl_xml_first_child(res, NULL), NULL);
	assert_string_equal(pl_xml_id(lf), "d_last_failure_0");
	assert_string_equal(pl_xml_attr(lf, "operation_key"), "d_monitor_1000");
	assert_string_equal(pl_xml_attr(lf, "transition-magic"), "0:7;4:1:0:uuid-1");
	xmlFreeNode(ns);
	xmlFreeDoc(doc);
}

static void
test_failcount(void **state)
{
	xmlDoc *doc = pl_xml_new_doc("x");
	xmlNode *ns, *set, *nv;
	char *v;

	(void)state;
	ns = crmd_status_failcount_update(doc, "2", "d", "monitor", 1000, "3", 1700000100);
	set = pl_xml_first_child(
	    pl_xml_first_child(ns, "transient_attributes"), "instance_attributes");
	assert_string_equal(pl_xml_id(set), "status-2");
	nv = pl_xml_first_child(set, "nvpair");
	assert_string_equal(pl_xml_id(nv), "status-2-fail-count-d.monitor_1000");
	assert_string_equal(pl_xml_attr(nv, "name"), "fail-count-d#monitor_1000");
	assert_string_equal(pl_xml_attr(nv, "value"), "3");
	nv = pl_xml_next_sibling(nv, "nvpair");
	assert_string_equal(pl_xml_attr(nv, "name"), "last-failure-d#monitor_1000");
	assert_string_equal(pl_xml_attr(nv, "value"), "1700000100");
	xmlFreeNode(ns);
	xmlFreeDoc(doc);

	v = crmd_failcount_next(NULL, "monitor", true);
	assert_string_equal(v, "1");
	free(v);
	v = crmd_failcount_next("4", "monitor", true);
	assert_string_equal(v, "5");
	free(v);
	v = crmd_failcount_next("INFINITY", "monitor", true);
	assert_string_equal(v, "INFINITY");
	free(v);
	v = crmd_failcount_next(NULL, "start", true);
	assert_string_equal(v, "INFINITY");
	free(v);
	v = crmd_failcount_next("1", "start", false);
	assert_string_equal(v, "2");
	free(v);
	v = crmd_failcount_next(NULL, "stop", false);
	assert_string_equal(v, "INFINITY");
	free(v);
}

static void
test_digest(void **state)
{
	struct pl_lrmd_params p = PL_LRMD_PARAMS_INIT;
	char a[33], b[33];

	(void)state;
	/* no parameters: Pacemaker's digest of " <parameters/>\n" */
	crmd_op_digest(&p, 0, 20000, a);
	assert_string_equal(a, "f2317cad3d54cec5d7d7aa7d0bf35cf8");
	pl_lrmd_params_set(&p, "CRM_meta_timeout", "20000");
	crmd_op_digest(&p, 0, 20000, b);
	assert_string_equal(a, b); /* meta attributes do not count */
	crmd_op_digest(&p, 10000, 20000, b);
	assert_string_not_equal(a, b); /* a recurring op's timeout does */
	pl_lrmd_params_set(&p, "state", "/x");
	crmd_op_digest(&p, 0, 20000, b);
	assert_string_not_equal(a, b);
	pl_lrmd_params_free(&p);
}

/* op-force-restart from an agent's meta-data, as Pacemaker 2.1.5 records it, and the
 * op-restart-digest of only those parameters (checked against a record of its corpus). */
static void
test_restart_digest(void **state)
{
	const char *md11 = "<resource-agent name=\"Dummy\"><parameters>"
			   "<parameter name=\"state\" unique=\"1\"/>"
			   "<parameter name=\"passwd\" reloadable=\"1\"/>"
			   "<parameter name=\"fake\" reloadable=\"true\"/>"
			   "<parameter name=\"op_sleep\"/></parameters><actions>"
			   "<action name=\"start\"/><action name=\"reload-agent\"/>"
			   "<action name=\"reload\"/></actions></resource-agent>";
	const char *legacy = "<resource-agent name=\"X\"><parameters>"
			     "<parameter name=\"state\" unique=\"1\"/>"
			     "<parameter name=\"fake\"/></parameters><actions>"
			     "<action name=\"reload\"/></actions></resource-agent>";
	const char *none = "<resource-agent name=\"Y\"><parameters>"
			   "<parameter name=\"a\"/></parameters><actions>"
			   "<action name=\"start\"/></actions></resource-agent>";
	const char *all_reload =
	    "<resource-agent name=\"Z\"><parameters>"
	    "<parameter name=\"a\" reloadable=\"1\"/></parameters>"
	    "<actions><action name=\"reload-agent\"/></actions></resource-agent>";
	struct pl_lrmd_params p = PL_LRMD_PARAMS_INIT;
	char *l;
	char a[33], b[33];

	(void)state;
	l = crmd_restart_list(md11, strlen(md11));
	assert_string_equal(l, "  state op_sleep  "); /* reload-agent: not reloadable */
	crmd_restart_digest(&p, l, a);
	assert_string_equal(a, "f2317cad3d54cec5d7d7aa7d0bf35cf8"); /* none set */
	pl_lrmd_params_set(&p, "fake", "1");
	crmd_restart_digest(&p, l, b);
	assert_string_equal(a, b); /* a reloadable parameter is not in it */
	pl_lrmd_params_set(&p, "op_sleep", "2");
	crmd_restart_digest(&p, l, b);
	assert_string_not_equal(a, b);
	free(l);
	l = crmd_restart_list(legacy, strlen(legacy));
	assert_string_equal(l, "  state  "); /* legacy reload: the unique ones */
	free(l);
	assert_null(crmd_restart_list(none, strlen(none))); /* cannot reload: nothing recorded */
	l = crmd_restart_list(all_reload, strlen(all_reload));
	assert_string_equal(l, "");
	free(l);
	assert_null(crmd_restart_list("<x", 2));
	pl_lrmd_params_free(&p);
	/* Pacemaker's record in the corpus (restart-with-extra-op-params.xml) */
	pl_lrmd_params_set(&p, "passwd", "whatever");
	pl_lrmd_params_set(&p, "fake", "foo");
	crmd_restart_digest(&p, "  envfile op_sleep passwd state  ", a);
	assert_string_equal(a, "5de129d7fe42dbcfe537f2c63b1921b6");
	crmd_op_digest(&p, 0, 20000, a);
	assert_string_equal(a, "457016173e548c394dcf3896e3066412");
	pl_lrmd_params_free(&p);
	/* which reload the controller runs for the graph's reload-agent */
	assert_string_equal(crmd_reload_action(md11, strlen(md11)), "reload-agent");
	assert_string_equal(crmd_reload_action(legacy, strlen(legacy)), "reload");
	assert_null(crmd_reload_action(none, strlen(none)));
	assert_null(crmd_reload_action("<x", 2));
}

/* A reload is recorded as Pacemaker's controller records it: done -> start, failed ->
 * monitor (both as the resource's last operation). */
static void
test_reload_recorded(void **state)
{
	xmlDoc *doc = pl_xml_new_doc("x");
	struct crmd_op_record r = start_ok;
	xmlNode *ns, *op;

	(void)state;
	r.action = "reload-agent";
	assert_string_equal(crmd_status_recorded_action(&r), "start");
	ns = crmd_status_op_update(doc, "1", "n1", &r);
	op = pl_xml_first_child(
	    pl_xml_first_child(
		pl_xml_first_child(pl_xml_first_child(ns, "lrm"), "lrm_resources"), "lrm_resource"),
	    "lrm_rsc_op");
	assert_string_equal(pl_xml_id(op), "d_last_0");
	assert_string_equal(pl_xml_attr(op, "operation"), "start");
	assert_string_equal(pl_xml_attr(op, "operation_key"), "d_start_0");
	xmlFreeNode(ns);
	r.action = "reload";
	r.rc = 1;
	assert_string_equal(crmd_status_recorded_action(&r), "monitor");
	r.rc = 0;
	r.op_status = PL_LRMD_TIMED_OUT;
	assert_string_equal(crmd_status_recorded_action(&r), "monitor");
	r.op_status = PL_LRMD_PENDING;
	assert_string_equal(crmd_status_recorded_action(&r), "reload");
	r.action = "stop";
	r.op_status = PL_LRMD_DONE;
	assert_string_equal(crmd_status_recorded_action(&r), "stop");
	xmlFreeDoc(doc);
}

static void
test_from_history(void **state)
{
	const char *hist =
	    "<lrmd_history>\n"
	    "  <resource id=\"d\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">\n"
	    "    <op operation=\"monitor\" interval=\"0\" call-id=\"3\" rc-code=\"7\" "
	    "op-status=\"0\" exit-reason=\"\" user-data=\"2:0:7:u\" last-run=\"10\" "
	    "last-rc-change=\"10\" exec-time=\"5\" queue-time=\"0\" recurring=\"0\"/>\n"
	    "    <op operation=\"monitor\" interval=\"1000\" call-id=\"5\" rc-code=\"0\" "
	    "op-status=\"0\" exit-reason=\"\" user-data=\"4:1:0:u\" last-run=\"12\" "
	    "last-rc-change=\"11\" exec-time=\"5\" queue-time=\"0\" recurring=\"1\"/>\n"
	    "    <op operation=\"monitor\" interval=\"5000\" call-id=\"2\" rc-code=\"0\" "
	    "op-status=\"1\" exit-reason=\"\" user-data=\"\" last-run=\"12\" last-rc-change=\"11\" "
	    "exec-time=\"5\" queue-time=\"0\" recurring=\"0\"/>\n"
	    "    <op operation=\"start\" interval=\"0\" call-id=\"4\" rc-code=\"0\" "
	    "op-status=\"0\" exit-reason=\"\" user-data=\"3:1:0:u\" last-run=\"11\" "
	    "last-rc-change=\"11\" exec-time=\"7\" queue-time=\"0\" recurring=\"0\"/>\n"
	    "  </resource>\n"
	    "</lrmd_history>\n";
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_new_doc("x");
	xmlNode *lrm = crmd_status_lrm_from_history(doc, "1", "n1", hist, &err), *res, *op;

	(void)state;
	assert_non_null(lrm);
	res = pl_xml_first_child(pl_xml_first_child(lrm, "lrm_resources"), "lrm_resource");
	assert_string_equal(pl_xml_attr(res, "provider"), "paceline");
	assert_int_equal(pl_xml_count_children(res, "lrm_rsc_op"), 2);
	op = pl_xml_first_child(res, NULL);
	assert_string_equal(pl_xml_id(op), "d_monitor_1000");
	op = pl_xml_next_sibling(op, NULL);
	assert_string_equal(pl_xml_id(op), "d_last_0");
	assert_string_equal(pl_xml_attr(op, "operation_key"), "d_start_0");
	assert_string_equal(pl_xml_attr(op, "call-id"), "4");
	assert_string_equal(pl_xml_attr(op, "crm-debug-origin"), "build_active_RAs");
	xmlFreeNode(lrm);

	assert_null(crmd_status_lrm_from_history(doc, "1",
	    "n1", "<lrmd_history><resource id=\"d\"><op operation=\"start\" interval=\"x\"/></resource></lrmd_history>",
	    &err));
	assert_non_null(strstr(err.text, "malformed op of resource 'd'"));
	pl_error_clear(&err);
	assert_null(crmd_status_lrm_from_history(doc, "1", "n1", "<other/>", &err));
	pl_error_clear(&err);
	assert_null(crmd_status_lrm_from_history(doc, "1", "n1", "<lrmd_history", &err));
	pl_error_clear(&err);
	xmlFreeDoc(doc);
}

static void
test_pending_is_last(void **state)
{
	struct crmd_op_record recs[2] = { start_ok, start_ok };
	xmlDoc *doc = pl_xml_new_doc("x");
	xmlNode *lrm, *op;

	(void)state;
	recs[0].action = "monitor";
	recs[0].rc = 7;
	recs[0].call_id = 5;
	recs[1].op_status = -1;
	recs[1].rc = 193;
	recs[1].call_id = 0; /* start under way */
	lrm = crmd_status_lrm(doc, "1", recs, 2);
	op = pl_xml_first_child(pl_xml_first_child(pl_xml_first_child(lrm, NULL), NULL), NULL);
	assert_string_equal(pl_xml_attr(op, "operation"), "start");
	assert_string_equal(pl_xml_attr(op, "call-id"), "-1");
	assert_string_equal(pl_xml_attr(op, "op-status"), "-1");
	assert_null(pl_xml_next_sibling(op, NULL)); /* pending is no failure */
	xmlFreeNode(lrm);
	xmlFreeDoc(doc);
}

static void
test_xpaths(void **state)
{
	char *x;

	(void)state;
	x = crmd_status_lrm_rsc_xpath("2", "d");
	assert_string_equal(
	    x, "/cib/status/node_state[@id='2']/lrm/lrm_resources/lrm_resource[@id='d']");
	free(x);
	x = crmd_status_lrm_rsc_xpath(NULL, "d");
	assert_string_equal(x, "/cib/status/node_state/lrm/lrm_resources/lrm_resource[@id='d']");
	free(x);
	x = crmd_status_failcount_xpath(NULL, "d");
	assert_non_null(strstr(x, "starts-with(@name,'fail-count-d#')"));
	free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_op_key),
		cmocka_unit_test(test_transition_key),
		cmocka_unit_test(test_failed),
		cmocka_unit_test(test_op_update),
		cmocka_unit_test(test_failcount),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_restart_digest),
		cmocka_unit_test(test_reload_recorded),
		cmocka_unit_test(test_from_history),
		cmocka_unit_test(test_pending_is_last),
		cmocka_unit_test(test_xpaths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
