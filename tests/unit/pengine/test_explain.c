/* test_explain.c - pl_pengine_explain names the sources that decide a resource's place:
 * location constraint ids, stickiness, fail counts against migration-threshold,
 * colocations, node state, target-role and a blocked start with its reason. */
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
#include "paceline/xml.h"

#define NODE(n, extra)                                                                 \
	"<node id=\"" n "\" uname=\"" n "\"><instance_attributes id=\"a" n "\">" extra \
	"</instance_attributes></node>"
#define STATE(n, lrm)                                                                \
	"<node_state id=\"" n "\" uname=\"" n "\" in_ccm=\"true\" crmd=\"online\" "  \
	"join=\"member\" expected=\"member\"><lrm id=\"l" n "\"><lrm_resources>" lrm \
	"</lrm_resources></lrm></node_state>"
#define PRIM(id, meta)                                                                  \
	"<primitive id=\"" id "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">" \
	"<meta_attributes id=\"" id "-m\">" meta "</meta_attributes></primitive>"
#define RUNNING(r, rc)                                                                    \
	"<lrm_resource id=\"" r "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">" \
	"<lrm_rsc_op id=\"" r "_last\" operation=\"start\" interval=\"0\" rc-code=\"0\" " \
	"op-status=\"0\" call-id=\"2\" transition-key=\"1:1:0:x\"/>"                      \
	"<lrm_rsc_op id=\"" r "_mon\" operation=\"monitor\" interval=\"10000\" "          \
	"rc-code=\"" rc "\" op-status=\"0\" call-id=\"3\" transition-key=\"2:1:0:x\"/>"   \
	"</lrm_resource>"

/* three nodes (node3 on standby); `attrs1` are node1's transient attributes */
static char *
explain(const char *rsc, const char *cons, const char *lrm1, const char *attrs1, const char *id)
{
	char *cib = xasprintf(
	    "<cib have-quorum=\"true\"><configuration><crm_config><cluster_property_set id=\"c\">"
	    "<nvpair id=\"s\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
	    "</crm_config><nodes>" NODE("node1", "")
		NODE(
		    "node2", "") NODE("node3", "<nvpair id=\"sb\" name=\"standby\" value=\"on\"/>") "</nodes><resources>%s</resources><constraints>%s</constraints></configuration>"
												    "<status><node_state id=\"node1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
												    "join=\"member\" expected=\"member\"><transient_attributes id=\"t1\">"
												    "<instance_attributes id=\"t1a\">%s</instance_attributes></transient_attributes>"
												    "<lrm id=\"l1\"><lrm_resources>%s</lrm_resources></lrm></node_state>" STATE(
													"node2",
													"") STATE("node3",
													"") "</status></cib>",
	    rsc, cons, attrs1, lrm1);
	struct pl_error e = PL_ERROR_INIT;
	struct pl_pengine_opts o = { .now = 1700000000 };
	struct pl_buf b = PL_BUF_INIT;
	xmlDoc *d = pl_xml_parse_string(cib, "test", &e);
	assert_non_null(d);
	struct pl_pengine_run *r = pl_pengine_run(d, &o, &e);
	assert_non_null(r);
	bool found = pl_pengine_explain(r, id, &b);
	pl_pengine_free(r);
	xmlFreeDoc(d);
	free(cib);
	if (!found) {
		pl_buf_free(&b);
		return NULL;
	}
	return pl_buf_steal(&b);
}

static void
expect(const char *got, const char *want)
{
	if (got == NULL || strstr(got, want) == NULL)
		fail_msg("expected \"%s\" in:\n%s", want, got ? got : "(no explanation)");
}

static void
test_location_and_stickiness(void **state)
{
	(void)state;
	char *s = explain(PRIM("r1", "<nvpair id=\"st\" name=\"resource-stickiness\" value=\"50\"/>"),
	    "<rsc_location id=\"prefer-2\" rsc=\"r1\" node=\"node2\" score=\"100\"/>",
	    RUNNING("r1", "0"), "", "r1");
	expect(s, "r1 (ocf:pacemaker:Dummy): running on node1, moves to node2");
	expect(s, "node1: 50 = stickiness +50");
	expect(s, "node2: 100 = location prefer-2 +100 <- chosen");
	expect(s, "node3: not available (standby)");
	free(s);
}

static void
test_failures_and_ban(void **state)
{
	(void)state;
	char *s = explain(PRIM("r1", "<nvpair id=\"mt\" name=\"migration-threshold\" value=\"2\"/>"),
	    "<rsc_location id=\"ban\" rsc=\"r1\" node=\"node2\" score=\"-INFINITY\"/>",
	    RUNNING("r1", "1"),
	    "<nvpair id=\"fc\" name=\"fail-count-r1#monitor_10000\" value=\"2\"/>", "r1");
	expect(s, "running on node1, stops");
	expect(s, "node1: -INFINITY = fail count 2 reached migration-threshold 2");
	expect(s, "node2: -INFINITY = location ban -INFINITY");
	free(s);
}

static void
test_disabled_colocation_and_blocked(void **state)
{
	(void)state;
	char *s = explain(PRIM("r1", "<nvpair id=\"tr\" name=\"target-role\" value=\"Stopped\"/>"),
	    "", "", "", "r1");
	expect(s, "stopped, stays stopped");
	expect(s, "disabled: target-role=Stopped");
	free(s);
	/* r2 must be with r1, which cannot run: r2 has nowhere to go */
	s = explain(PRIM("r1", "<nvpair id=\"tr\" name=\"target-role\" value=\"Stopped\"/>")
			PRIM("r2", ""),
	    "<rsc_colocation id=\"with-r1\" rsc=\"r2\" with-rsc=\"r1\" score=\"INFINITY\"/>", "",
	    "", "r2");
	expect(s, "node1: -INFINITY = colocation with-r1 with r1 (elsewhere) -INFINITY");
	free(s);
	/* r2 starts after r1, which cannot start: its start is blocked, and the reason said */
	s = explain(PRIM("r1", "<nvpair id=\"tr\" name=\"target-role\" value=\"Stopped\"/>")
			PRIM("r2", ""),
	    "<rsc_order id=\"r1-then-r2\" first=\"r1\" then=\"r2\" kind=\"Mandatory\"/>", "", "",
	    "r2");
	expect(s, "would start on node1 but cannot");
	expect(s, "its start on node1 is blocked: unrunnable r1 start");
	free(s);
	assert_null(explain(PRIM("r1", ""), "", "", "", "nosuch"));
}

static void
test_group(void **state)
{
	(void)state;
	char *s = explain("<group id=\"g\">" PRIM("m1", "") PRIM("m2", "") "</group>",
	    "<rsc_location id=\"on-m2\" rsc=\"m2\" node=\"node2\" score=\"30\"/>"
	    "<rsc_location id=\"on-g\" rsc=\"g\" node=\"node2\" score=\"20\"/>",
	    "", "", "g");
	expect(s, "g (group): stopped, starts on node2");
	expect(s, "location on-m2 on m2 +30");
	expect(s, "location on-g +20");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_location_and_stickiness),
		cmocka_unit_test(test_failures_and_ban),
		cmocka_unit_test(test_disabled_colocation_and_blocked),
		cmocka_unit_test(test_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
