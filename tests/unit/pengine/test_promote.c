/* test_promote.c - which instance of a promotable clone is promoted (promote.c), on small
 * CIBs whose outcomes were checked against Pacemaker 2.1.5's crm_simulate: promotion scores
 * from node attributes, role=Promoted locations, no score at all, a Promoted-role mandatory
 * colocation with a stopped resource, an Unpromoted-role colocation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_run.h"

/* one node's state: `attrs` are transient nvpairs, the instance "p" runs there unpromoted */
static char *
node_state(const char *n, const char *attrs)
{
	return xasprintf(
	    "<node_state id=\"%s\" uname=\"%s\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
	    "expected=\"member\"><transient_attributes id=\"%s\"><instance_attributes "
	    "id=\"%s-t\">%s</instance_attributes></transient_attributes><lrm id=\"%s\">"
	    "<lrm_resources><lrm_resource id=\"p\" class=\"ocf\" provider=\"pacemaker\" "
	    "type=\"Stateful\"><lrm_rsc_op id=\"p_last_0\" operation=\"start\" interval=\"0\" "
	    "rc-code=\"0\" op-status=\"0\" call-id=\"2\" transition-key=\"1:1:0:x\" "
	    "crm_feature_set=\"3.16.1\" op-digest=\"f2317cad3d54cec5d7d7aa7d0bf35cf8\"/>"
	    "</lrm_resource></lrm_resources></lrm></node_state>",
	    n, n, n, n, attrs, n);
}

/* the transition summary of clone "ms" of "p" on node1/node2, plus `rsc` and `cons` */
static char *
run(const char *rsc, const char *cons, const char *attrs1, const char *attrs2)
{
	char *n1 = node_state("node1", attrs1), *n2 = node_state("node2", attrs2);
	char *cib = xasprintf(
	    "<cib have-quorum=\"1\"><configuration><crm_config><cluster_property_set id=\"c\">"
	    "<nvpair id=\"s\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
	    "</crm_config><nodes><node id=\"node1\" uname=\"node1\"/><node id=\"node2\" "
	    "uname=\"node2\"/></nodes><resources><clone id=\"ms\"><meta_attributes id=\"ms-m\">"
	    "<nvpair id=\"ms-p\" name=\"promotable\" value=\"true\"/></meta_attributes>"
	    "<primitive id=\"p\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\"/>"
	    "</clone>%s</resources><constraints>%s</constraints></configuration><status>%s%s"
	    "</status></cib>",
	    rsc, cons, n1, n2);
	char *s = pengine_run_render(cib, PENGINE_RUN_SUMMARY), *w = s;
	for (char *p = s; *p; p++) /* squash runs of spaces */
		if (!(*p == ' ' && (p[1] == ' ' || w == s || w[-1] == ' ')))
			*w++ = *p;
	*w = '\0';
	free(cib);
	free(n1);
	free(n2);
	return s;
}

#define ATTR(n, v) "<nvpair id=\"a-" n "\" name=\"master-p\" value=\"" v "\"/>"
#define STOPPED_A                                                                  \
	"<primitive id=\"a\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">" \
	"<meta_attributes id=\"a-m\"><nvpair id=\"a-t\" name=\"target-role\" "     \
	"value=\"Stopped\"/></meta_attributes></primitive>"

static void
expect(char *got, const char *want, const char *absent)
{
	if (want && strstr(got, want) == NULL)
		fail_msg("expected \"%s\" in:\n%s", want, got);
	if (absent && strstr(got, absent) != NULL)
		fail_msg("did not expect \"%s\" in:\n%s", absent, got);
	free(got);
}

static void
test_promotion_score(void **state)
{
	(void)state;
	/* the higher master-p wins */
	expect(run("", "", ATTR("1", "5"), ATTR("2", "10")),
	    "* Promote p:1 ( Unpromoted -> Promoted node2 )", "p:0");
	/* no promotion score anywhere: priority -1, nothing is promoted */
	expect(run("", "", "", ""), NULL, "Promote");
}

static void
test_promoted_location(void **state)
{
	(void)state;
	/* a role=Promoted location breaks the tie */
	expect(run("",
		   "<rsc_location id=\"loc\" rsc=\"ms\" node=\"node1\" score=\"100\" "
		   "role=\"Promoted\"/>",
		   ATTR("1", "5"), ATTR("2", "5")),
	    "* Promote p:0 ( Unpromoted -> Promoted node1 )", "p:1");
}

static void
test_role_colocations(void **state)
{
	(void)state;
	/* Promoted with a resource that is stopped, mandatory: nobody is promoted */
	expect(run(STOPPED_A,
		   "<rsc_colocation id=\"col\" rsc=\"ms\" rsc-role=\"Promoted\" with-rsc=\"a\" "
		   "score=\"INFINITY\"/>",
		   ATTR("1", "5"), ATTR("2", "10")),
	    NULL, "Promote");
	/* Unpromoted with "a" (on node2): the instance there may not be promoted, the other
	 * is although its score is lower; the colocation does not move instances */
	expect(run("<primitive id=\"a\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>",
		   "<rsc_location id=\"loc\" rsc=\"a\" node=\"node2\" score=\"100\"/>"
		   "<rsc_colocation id=\"col\" rsc=\"ms\" rsc-role=\"Unpromoted\" with-rsc=\"a\" "
		   "score=\"INFINITY\"/>",
		   ATTR("1", "5"), ATTR("2", "10")),
	    "* Promote p:0 ( Unpromoted -> Promoted node1 )", "Stop");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_promotion_score),
		cmocka_unit_test(test_promoted_location),
		cmocka_unit_test(test_role_colocations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
