/* test_verify.c - the crm_verify checks, run as crm_verify runs them (the scheduler on the
 * CIB, then pl_pengine_verify): each produces Pacemaker's message at the right level, and a
 * clean configuration produces none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"

static struct pl_pengine_verify_result
run(const char *text)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *d = pl_xml_parse_memory(text, strlen(text), "test", &err);
	assert_non_null(d);
	struct pl_pengine_opts o = { 0 };
	struct pl_pengine_run *run = pl_pengine_run(d, &o, &err);
	assert_non_null(run);
	struct pl_pengine_verify_result r;
	pl_pengine_verify(run, &r);
	pl_pengine_free(run);
	xmlFreeDoc(d);
	return r;
}

static bool
has(const struct pl_pengine_verify_result *r, enum pl_pengine_verify_level level, const char *text)
{
	for (size_t i = 0; i < r->n_msgs; i++)
		if (r->msgs[i].level == level && strstr(r->msgs[i].text, text) != NULL)
			return true;
	return false;
}

#define CIB(props, resources, constraints, status)                                              \
	"<cib validate-with=\"pacemaker-3.7\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\" " \
	"have-quorum=\"1\"><configuration><crm_config><cluster_property_set id=\"o\">" props    \
	"</cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/>"              \
	"<node id=\"2\" uname=\"n2\"/></nodes><resources>" resources                            \
	"</resources><constraints>" constraints "</constraints></configuration><status>" status \
	"</status></cib>"
#define NOSTONITH "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/>"
#define FENCE	  "<primitive id=\"f\" class=\"stonith\" type=\"fence_xvm\"/>"
#define UP(id, name)                                                                    \
	"<node_state id=\"" id "\" uname=\"" name "\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\"/>"

static void
test_clean(void **state)
{
	struct pl_pengine_verify_result r =
	    run(CIB(NOSTONITH, "<primitive id=\"a\" class=\"lsb\" type=\"x\"/>", "", UP("1", "n1")));

	(void)state;
	assert_int_equal(r.n_errors, 0);
	assert_int_equal(r.n_warnings, 0);
	pl_pengine_verify_result_free(&r);
}

static void
test_no_stonith(void **state)
{
	struct pl_pengine_verify_result r = run(CIB("", "", "", ""));

	(void)state;
	assert_true(has(&r, PL_VERIFY_ERROR,
	    "Resource start-up disabled since no STONITH resources have been defined"));
	assert_true(has(&r, PL_VERIFY_ERROR,
	    "Either configure some or disable STONITH with the stonith-enabled option"));
	assert_true(has(&r, PL_VERIFY_ERROR,
	    "NOTE: Clusters with shared data need STONITH to ensure data integrity"));
	pl_pengine_verify_result_free(&r);
	r = run(CIB("", FENCE, "", UP("1", "n1") UP("2", "n2")));
	assert_int_equal(r.n_errors + r.n_warnings, 0);
	pl_pengine_verify_result_free(&r);
}

static void
test_resources(void **state)
{
	struct pl_pengine_verify_result r = run(CIB(NOSTONITH,
	    "<primitive id=\"a\" class=\"lsb\" type=\"x\"><meta_attributes id=\"m\">"
	    "<nvpair id=\"m1\" name=\"target-role\" value=\"Promoted\"/></meta_attributes>"
	    "<operations><op id=\"m10\" name=\"monitor\" interval=\"10s\"/>"
	    "<op id=\"m10b\" name=\"monitor\" interval=\"10000ms\" role=\"Promoted\"/>"
	    "<op id=\"s\" name=\"stop\" interval=\"0\" on-fail=\"standby\"/>"
	    "<op id=\"bad\" name=\"monitor\" interval=\"soon\"/></operations></primitive>"
	    "<primitive id=\"b\" class=\"lsb\" type=\"x\"><meta_attributes id=\"mb\">"
	    "<nvpair id=\"mb1\" name=\"target-role\" "
	    "value=\"Bogus\"/></meta_attributes></primitive>",
	    "",
	    UP("1", "n1") "<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\" "
			  "join=\"member\" "
			  "expected=\"member\"><lrm id=\"2\"><lrm_resources><lrm_resource id=\"a\" "
			  "class=\"lsb\" "
			  "type=\"x\"><lrm_rsc_op id=\"a_last_0\" operation=\"start\" "
			  "call-id=\"2\" rc-code=\"0\"/>"
			  "</lrm_resource></lrm_resources></lrm></node_state>"));

	(void)state;
	assert_true(has(&r, PL_VERIFY_ERROR, "Operation m10b is duplicate of m10"));
	assert_true(has(&r, PL_VERIFY_ERROR,
	    "Ignoring 'target-role' for a because 'Promoted' only "
	    "makes sense for promotable clones"));
	assert_true(
	    has(&r, PL_VERIFY_ERROR, "Ignoring 'target-role' for b because 'Bogus' is not valid"));
	assert_true(has(&r, PL_VERIFY_ERROR, "Resetting 'on-fail' for a stop action"));
	assert_true(has(&r, PL_VERIFY_NOTE, "Using 0 instead of 'soon'"));
	pl_pengine_verify_result_free(&r);
}

static void
test_constraints(void **state)
{
	struct pl_pengine_verify_result r = run(CIB(
	    NOSTONITH, "<primitive id=\"a\" class=\"lsb\" type=\"x\"/><primitive id=\"b\" class=\"lsb\" type=\"x\"/>",
	    "<rsc_order id=\"o1\" first=\"a\" then=\"b\" kind=\"Sometimes\"/>"
	    "<rsc_order id=\"o2\" first=\"a\" then=\"b\" kind=\"Serialize\" symmetrical=\"true\"/>"
	    "<rsc_colocation id=\"c1\" rsc=\"a\" with-rsc=\"b\" score=\"1\" influence=\"maybe\"/>",
	    ""));

	(void)state;
	assert_true(has(&r, PL_VERIFY_ERROR, "Resetting 'kind' for constraint o1 to 'Mandatory'"));
	assert_true(has(&r, PL_VERIFY_WARNING, "Ignoring symmetrical for 'o2'"));
	assert_true(has(&r, PL_VERIFY_ERROR, "Constraint 'c1' has invalid value for influence"));
	pl_pengine_verify_result_free(&r);
}

static void
test_fencing_from_status(void **state)
{
	struct pl_pengine_verify_result r;

	(void)state;
	/* A lost peer that was expected up is fenced. */
	r = run(CIB("", FENCE, "",
	    UP("1", "n1") "<node_state id=\"2\" uname=\"n2\" in_ccm=\"false\" crmd=\"offline\" "
			  "join=\"member\" "
			  "expected=\"member\"/>"));
	assert_true(has(&r, PL_VERIFY_WARNING, "Scheduling node n2 for fencing"));
	assert_false(has(&r, PL_VERIFY_WARNING, "Scheduling node n1"));
	pl_pengine_verify_result_free(&r);
	/* A node that left cleanly is not. */
	r = run(CIB("", FENCE, "",
	    UP("1", "n1") "<node_state id=\"2\" uname=\"n2\" in_ccm=\"false\" crmd=\"offline\" "
			  "join=\"down\" "
			  "expected=\"down\"/>"));
	assert_int_equal(r.n_warnings, 0);
	pl_pengine_verify_result_free(&r);
	/* An unseen node is fenced at start-up, unless startup-fencing is off. */
	r = run(CIB("", FENCE, "", UP("1", "n1")));
	assert_true(has(&r, PL_VERIFY_WARNING, "Scheduling node n2 for fencing"));
	pl_pengine_verify_result_free(&r);
	r = run(CIB("<nvpair id=\"sf\" name=\"startup-fencing\" value=\"false\"/>", FENCE, "",
	    UP("1", "n1")));
	assert_int_equal(r.n_warnings, 0);
	pl_pengine_verify_result_free(&r);
	/* Without fencing: in the membership, expected up, controller gone. */
	r = run(CIB(NOSTONITH, "",
	    "", UP("1", "n1") "<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" join=\"member\" expected=\"member\"/>"));
	assert_true(has(&r, PL_VERIFY_WARNING, "Node n2 is unclean but cannot be fenced"));
	assert_true(has(&r, PL_VERIFY_WARNING,
	    "Resource functionality and data integrity cannot be "
	    "guaranteed"));
	pl_pengine_verify_result_free(&r);
	/* Without devices it cannot be fenced. */
	r = run(CIB("", "", "", UP("1", "n1")));
	assert_true(has(&r, PL_VERIFY_WARNING, "Node n2 is unclean but cannot be fenced"));
	pl_pengine_verify_result_free(&r);
}

static void
test_orphans(void **state)
{
	struct pl_pengine_verify_result r = run(CIB(NOSTONITH, "", "",
	    "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
	    "expected=\"member\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"gone\" "
	    "class=\"lsb\" "
	    "type=\"x\"><lrm_rsc_op id=\"gone_last_0\" operation=\"start\" call-id=\"2\" "
	    "rc-code=\"0\"/>"
	    "</lrm_resource><lrm_resource id=\"stopped\" class=\"lsb\" type=\"x\">"
	    "<lrm_rsc_op id=\"stopped_last_0\" operation=\"stop\" call-id=\"3\" rc-code=\"0\"/>"
	    "</lrm_resource></lrm_resources></lrm></node_state>"));

	(void)state;
	assert_true(has(&r, PL_VERIFY_WARNING, "Detected active orphan gone running on n1"));
	assert_false(has(&r, PL_VERIFY_WARNING, "stopped"));
	pl_pengine_verify_result_free(&r);
}

static void
test_status_checks(void **state)
{
	struct pl_pengine_verify_result r;

	(void)state;
	/* A resource still active on a node that went down cleanly: fence it. */
	r = run(CIB("", FENCE "<primitive id=\"a\" class=\"lsb\" type=\"x\"/>", "",
	    UP("1", "n1") "<node_state id=\"2\" uname=\"n2\" in_ccm=\"false\" crmd=\"offline\" "
			  "join=\"down\" "
			  "expected=\"down\"><lrm id=\"2\"><lrm_resources><lrm_resource id=\"a\" "
			  "class=\"lsb\" "
			  "type=\"x\"><lrm_rsc_op id=\"a_last_0\" operation=\"start\" "
			  "call-id=\"1\" rc-code=\"0\"/>"
			  "</lrm_resource></lrm_resources></lrm></node_state>"));
	assert_true(has(&r, PL_VERIFY_WARNING, "Scheduling node n2 for fencing"));
	pl_pengine_verify_result_free(&r);
	/* failure-timeout with a failed operation configured on-fail=block. */
	r = run(CIB(NOSTONITH,
	    "<primitive id=\"a\" class=\"lsb\" type=\"x\"><meta_attributes id=\"m\">"
	    "<nvpair id=\"m1\" name=\"failure-timeout\" value=\"60\"/></meta_attributes>"
	    "<operations><op id=\"s\" name=\"stop\" interval=\"0\" on-fail=\"block\"/></operations>"
	    "</primitive>",
	    "", UP("1", "n1")));
	assert_int_equal(r.n_warnings, 0); /* no failure recorded: nothing to say */
	pl_pengine_verify_result_free(&r);
	r = run(CIB(NOSTONITH,
	    "<primitive id=\"a\" class=\"lsb\" type=\"x\"><meta_attributes id=\"m\">"
	    "<nvpair id=\"m1\" name=\"failure-timeout\" value=\"60\"/></meta_attributes>"
	    "<operations><op id=\"s\" name=\"stop\" interval=\"0\" on-fail=\"block\"/></operations>"
	    "</primitive>",
	    "",
	    "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
	    "expected=\"member\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"a\" class=\"lsb\" "
	    "type=\"x\"><lrm_rsc_op id=\"a_last_failure_0\" operation=\"stop\" call-id=\"4\" "
	    "rc-code=\"1\" interval=\"0\"/></lrm_resource></lrm_resources></lrm></node_state>"));
	assert_true(has(&r, PL_VERIFY_WARNING,
	    "Ignoring failure timeout 60 for a because it conflicts with on-fail=block"));
	pl_pengine_verify_result_free(&r);
	/* A remote connection whose recurring monitor failed: the remote node is fenced; a
	 * connection that never started is not. */
#define REMOTE "<primitive id=\"rem\" class=\"ocf\" provider=\"pacemaker\" type=\"remote\"/>"
#define REMOTE_OP(task, interval, rc)                                                              \
	"<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "       \
	"expected=\"member\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"rem\" class=\"ocf\" " \
	"provider=\"pacemaker\" type=\"remote\"><lrm_rsc_op id=\"rem_last_failure_0\" "            \
	"operation=\"" task "\" call-id=\"4\" rc-code=\"" rc "\" interval=\"" interval             \
	"\"/></lrm_resource>"                                                                      \
	"</lrm_resources></lrm></node_state>" UP("2", "n2")
	r = run(CIB("", FENCE REMOTE, "", REMOTE_OP("monitor", "60000", "1")));
	assert_true(has(&r, PL_VERIFY_WARNING, "Scheduling node rem for fencing"));
	pl_pengine_verify_result_free(&r);
	r = run(CIB("", FENCE REMOTE, "", REMOTE_OP("start", "0", "1")));
	assert_false(has(&r, PL_VERIFY_WARNING, "Scheduling node rem"));
	pl_pengine_verify_result_free(&r);
	/* A resource recorded active on a remote node whose connection runs nowhere. */
#define ON_REMOTE                                                                                \
	"<node_state id=\"rem\" remote_node=\"true\" uname=\"rem\"><lrm "                        \
	"id=\"rem\"><lrm_resources>"                                                             \
	"<lrm_resource id=\"a\" class=\"lsb\" type=\"x\"><lrm_rsc_op id=\"a_last_0\" "           \
	"operation=\"start\" call-id=\"2\" rc-code=\"0\"/></lrm_resource></lrm_resources></lrm>" \
	"</node_state>"
	r = run(CIB("", FENCE REMOTE "<primitive id=\"a\" class=\"lsb\" type=\"x\"/>", "",
	    UP("1", "n1") UP("2", "n2") ON_REMOTE));
	assert_true(has(&r, PL_VERIFY_WARNING, "Scheduling node rem for fencing"));
	pl_pengine_verify_result_free(&r);
	/* ... but not while the connection runs. */
	r = run(CIB("", FENCE REMOTE "<primitive id=\"a\" class=\"lsb\" type=\"x\"/>", "",
	    "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
	    "expected=\"member\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"rem\" "
	    "class=\"ocf\" "
	    "provider=\"pacemaker\" type=\"remote\"><lrm_rsc_op id=\"rem_last_0\" "
	    "operation=\"start\" "
	    "call-id=\"4\" rc-code=\"0\"/></lrm_resource></lrm_resources></lrm></node_state>" UP(
		"2", "n2") ON_REMOTE));
	assert_false(has(&r, PL_VERIFY_WARNING, "Scheduling node rem"));
	pl_pengine_verify_result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_no_stonith),
		cmocka_unit_test(test_resources),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_fencing_from_status),
		cmocka_unit_test(test_orphans),
		cmocka_unit_test(test_status_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
