/* test_schedule.c - the policy engine end to end on small CIBs: each constraint type, rules
 * (node attributes with types, dates), and history unpacking, checked on the transition
 * summary and the status view. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "pengine_run.h"
#include "paceline/xml.h"

#define NODE_STATE(n)                                                               \
	"<node_state id=\"" n "\" uname=\"" n "\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\">"
#define PRIM(id) "<primitive id=\"" id "\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
#define PROBED(r)                                                                         \
	"<lrm_resource id=\"" r "\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" \
	"<lrm_rsc_op id=\"" r                                                             \
	"_last\" operation=\"monitor\" interval=\"0\" rc-code=\"7\" op-status=\"0\" "     \
	"call-id=\"1\" transition-key=\"1:1:7:x\"/></lrm_resource>"

/* Two online nodes, stonith off; `rsc` and `cons` are inserted, `lrm1` is node1's history. */
static char *
run(const char *rsc, const char *cons, const char *lrm1, bool status)
{
	char *cib = xasprintf(
	    "<cib have-quorum=\"true\"><configuration><crm_config><cluster_property_set id=\"c\">"
	    "<nvpair id=\"s\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
	    "</crm_config><nodes><node id=\"node1\" uname=\"node1\"><instance_attributes id=\"a1\">"
	    "<nvpair id=\"a1r\" name=\"rack\" value=\"9\"/></instance_attributes></node>"
	    "<node id=\"node2\" uname=\"node2\"><instance_attributes id=\"a2\">"
	    "<nvpair id=\"a2r\" name=\"rack\" value=\"10\"/></instance_attributes></node></nodes>"
	    "<resources>%s</resources><constraints>%s</constraints></"
	    "configuration><status>" NODE_STATE(
		"node1") "<lrm "
			 "id=\"l1\"><lrm_resources>%s</lrm_resources></lrm></"
			 "node_state>" NODE_STATE("node2") "</node_state></status></cib>",
	    rsc, cons, lrm1);
	char *s = pengine_run_render(cib, status ? PENGINE_RUN_STATUS : PENGINE_RUN_SUMMARY), *w = s;

	free(cib);
	/* squash runs of spaces so expectations stay readable */
	for (char *p = s; *p; p++)
		if (!(*p == ' ' && (p[1] == ' ' || w == s || w[-1] == ' ')))
			*w++ = *p;
	*w = '\0';
	return s;
}

static void
expect(char *got, const char *want)
{
	if (strstr(got, want) == NULL)
		fail_msg("expected \"%s\" in:\n%s", want, got);
	free(got);
}

static void
test_location(void **state)
{
	(void)state;
	expect(run(PRIM("r1"), "<rsc_location id=\"l\" rsc=\"r1\" node=\"node2\" score=\"100\"/>",
		   "", false),
	    "* Start r1 ( node2 )");
	/* a ban keeps it off node1 even with stickiness there */
	expect(run(PRIM("r1"),
		   "<rsc_location id=\"l\" rsc=\"r1\" node=\"node1\" score=\"-INFINITY\"/>", "",
		   false),
	    "* Start r1 ( node2 )");
}

static void
test_rules(void **state)
{
	(void)state;
	/* integer comparison: 10 > 9 (a string comparison would say otherwise) */
	expect(run(PRIM("r1"),
		   "<rsc_location id=\"l\" rsc=\"r1\"><rule id=\"ru\" score=\"50\">"
		   "<expression id=\"e\" attribute=\"rack\" operation=\"gt\" value=\"9\" "
		   "type=\"integer\"/>"
		   "</rule></rsc_location>",
		   "", false),
	    "( node2 )");
	expect(run(PRIM("r1"),
		   "<rsc_location id=\"l\" rsc=\"r1\"><rule id=\"ru\" score=\"50\">"
		   "<expression id=\"e\" attribute=\"#uname\" operation=\"eq\" value=\"node2\"/>"
		   "</rule></rsc_location>",
		   "", false),
	    "( node2 )");
	/* an expired date range does not apply; node1 wins the tie by name */
	expect(run(PRIM("r1"),
		   "<rsc_location id=\"l\" rsc=\"r1\"><rule id=\"ru\" score=\"50\">"
		   "<date_expression id=\"d\" operation=\"lt\" end=\"2000-01-01\"/>"
		   "<expression id=\"e\" attribute=\"#uname\" operation=\"eq\" value=\"node2\"/>"
		   "</rule></rsc_location>",
		   "", false),
	    "( node1 )");
}

static void
test_rsc_expression(void **state)
{
	(void)state;
	/* rsc_defaults with a rule on the agent: only ocf:heartbeat resources are unmanaged */
	char *cib = xasprintf(
	    "<cib have-quorum=\"true\"><configuration><crm_config><cluster_property_set id=\"c\">"
	    "<nvpair id=\"s\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
	    "</crm_config><nodes><node id=\"node1\" uname=\"node1\"/></nodes><resources>" PRIM(
		"r1") "<primitive id=\"r2\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>"
		      "</resources><constraints/><rsc_defaults><meta_attributes id=\"m\"><rule "
		      "id=\"ru\" score=\"INFINITY\">"
		      "<rsc_expression id=\"e\" class=\"ocf\" provider=\"heartbeat\"/></rule>"
		      "<nvpair id=\"n\" name=\"is-managed\" "
		      "value=\"false\"/></meta_attributes></rsc_defaults>"
		      "</configuration><status>" NODE_STATE(
			  "node1") "</node_state></status></cib>");
	char *out = pengine_run_render(cib, PENGINE_RUN_STATUS);

	assert_non_null(strstr(out, "r1\t(ocf:heartbeat:Dummy):\t Stopped (unmanaged)"));
	assert_non_null(strstr(out, "r2\t(ocf:pacemaker:Dummy):\t Stopped\n"));
	free(out);
	free(cib);
}

static void
test_colocation(void **state)
{
	(void)state;
	char *s = run(PRIM("r1") PRIM("r2"),
	    "<rsc_location id=\"l\" rsc=\"r1\" node=\"node2\" score=\"10\"/>"
	    "<rsc_colocation id=\"c\" rsc=\"r2\" with-rsc=\"r1\" score=\"INFINITY\"/>",
	    "", false);
	assert_non_null(strstr(s, "* Start r1 ( node2 )"));
	expect(s, "* Start r2 ( node2 )");
	expect(run(PRIM("r1") PRIM("r2"),
		   "<rsc_location id=\"l\" rsc=\"r1\" node=\"node2\" score=\"10\"/>"
		   "<rsc_colocation id=\"c\" rsc=\"r2\" with-rsc=\"r1\" score=\"-INFINITY\"/>",
		   "", false),
	    "* Start r2 ( node1 )");
}

static void
test_ordering(void **state)
{
	(void)state;
	expect(run("<primitive id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		   "<meta_attributes id=\"m\"><nvpair id=\"t\" name=\"target-role\" "
		   "value=\"Stopped\"/>"
		   "</meta_attributes></primitive>" PRIM("r2"),
		   "<rsc_order id=\"o\" first=\"r1\" then=\"r2\" kind=\"Mandatory\"/>", "", false),
	    "* Start r2 ( node1 ) due to unrunnable r1 start (blocked)");
	/* optional ordering does not block */
	expect(run("<primitive id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		   "<meta_attributes id=\"m\"><nvpair id=\"t\" name=\"target-role\" "
		   "value=\"Stopped\"/>"
		   "</meta_attributes></primitive>" PRIM("r2"),
		   "<rsc_order id=\"o\" first=\"r1\" then=\"r2\" kind=\"Optional\"/>", "", false),
	    "* Start r2 ( node1 )\n");
}

#define STARTED(r, extra)                                                                 \
	"<lrm_resource id=\"" r "\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" \
	"<lrm_rsc_op id=\"" r                                                             \
	"_s\" operation=\"start\" interval=\"0\" rc-code=\"0\" op-status=\"0\" "          \
	"call-id=\"2\" transition-key=\"1:1:0:x\"/>" extra "</lrm_resource>"

static void
test_history(void **state)
{
	(void)state;
	expect(run(PRIM("r1"), "", STARTED("r1", ""), true),
	    "* r1\t(ocf:heartbeat:Dummy):\t Started node1");
	/* started and healthy: nothing to do (it stays by stickiness of the current node) */
	char *s = run(PRIM("r1"), "", STARTED("r1", ""), false);
	assert_null(strstr(s, "r1"));
	free(s);
	/* a failed recurring monitor: recover in place */
	expect(run(PRIM("r1"), "",
		   STARTED("r1",
		       "<lrm_rsc_op id=\"r1_m\" operation=\"monitor\" "
		       "interval=\"10000\" rc-code=\"7\" op-status=\"0\" call-id=\"3\" "
		       "transition-key=\"1:1:0:x\"/>"),
		   false),
	    "* Recover r1 ( node1 )");
	expect(run(PRIM("r1"), "",
		   STARTED("r1",
		       "<lrm_rsc_op id=\"r1_m\" operation=\"monitor\" "
		       "interval=\"10000\" rc-code=\"7\" op-status=\"0\" call-id=\"3\" "
		       "transition-key=\"1:1:0:x\"/>"),
		   true),
	    "FAILED node1");
	/* a later stop clears the failure */
	expect(run(PRIM("r1"), "",
		   STARTED("r1",
		       "<lrm_rsc_op id=\"r1_p\" operation=\"stop\" "
		       "interval=\"0\" rc-code=\"0\" op-status=\"0\" call-id=\"4\" "
		       "transition-key=\"1:1:0:x\"/>"),
		   true),
	    "Stopped");
}

static void
test_ticket(void **state)
{
	(void)state;
	/* no ticket_state at all: the ticket is not granted, the resource may not run */
	char *s =
	    run(PRIM("r1"), "<rsc_ticket id=\"t\" rsc=\"r1\" ticket=\"tA\" loss-policy=\"stop\"/>",
		STARTED("r1", ""), false);
	expect(s, "* Stop r1 ( node1 ) due to node availability");
	/* freeze: keeps running where it is */
	s = run(PRIM("r1"), "<rsc_ticket id=\"t\" rsc=\"r1\" ticket=\"tA\" loss-policy=\"freeze\"/>",
	    STARTED("r1", ""), false);
	assert_null(strstr(s, "r1"));
	free(s);
}

static void
test_clone(void **state)
{
	(void)state;
	const char *clone =
	    "<clone id=\"c\"><primitive id=\"p\" class=\"ocf\" provider=\"heartbeat\" "
	    "type=\"Dummy\"/></clone>";
	char *s = run(clone, "", "", false);
	assert_non_null(strstr(s, "* Start p:0 ( node1 )"));
	expect(s, "* Start p:1 ( node2 )");
	/* the history of "p" on node1 is instance 0's; the clone view groups by role */
	expect(run(clone, "", STARTED("p", ""), true),
	    "* Clone Set: c [p]:\n * Started: [ node1 ]\n * Stopped: [ node2 ]");
}

static void
test_utilization(void **state)
{
	(void)state;
	/* node capacities come from the <utilization> of the nodes; put them in via rsc config:
	 * with placement-strategy=utilization a resource needing more than any node has stays
	 * stopped (nodes without the attribute have no capacity for it) */
	char *cib = xasprintf(
	    "<cib have-quorum=\"true\"><configuration><crm_config><cluster_property_set id=\"c\">"
	    "<nvpair id=\"s\" name=\"stonith-enabled\" value=\"false\"/>"
	    "<nvpair id=\"p\" name=\"placement-strategy\" "
	    "value=\"utilization\"/></cluster_property_set>"
	    "</crm_config><nodes><node id=\"node1\" uname=\"node1\"><utilization id=\"u1\">"
	    "<nvpair id=\"u1c\" name=\"cpu\" value=\"1\"/></utilization></node>"
	    "<node id=\"node2\" uname=\"node2\"><utilization id=\"u2\">"
	    "<nvpair id=\"u2c\" name=\"cpu\" value=\"2\"/></utilization></node></nodes><resources>"
	    "<primitive id=\"big\" class=\"ocf\" provider=\"heartbeat\" "
	    "type=\"Dummy\"><utilization id=\"ub\">"
	    "<nvpair id=\"ubc\" name=\"cpu\" value=\"2\"/></utilization></primitive>"
	    "<primitive id=\"huge\" class=\"ocf\" provider=\"heartbeat\" "
	    "type=\"Dummy\"><utilization id=\"uh\">"
	    "<nvpair id=\"uhc\" name=\"cpu\" value=\"3\"/></utilization></primitive>"
	    "</resources><constraints/></configuration><status>" NODE_STATE(
		"node1") "</node_state>" NODE_STATE("node2") "</node_state></status></cib>");
	char *out = pengine_run_render(cib, PENGINE_RUN_SUMMARY);

	assert_non_null(strstr(out, "big"));
	assert_non_null(strstr(out, "( node2 )")); /* only node2 has 2 cpu */
	assert_null(strstr(out, "huge"));	   /* fits nowhere */
	free(out);
	free(cib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_rsc_expression),
		cmocka_unit_test(test_colocation),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_ticket),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_utilization),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
