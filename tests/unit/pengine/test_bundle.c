/* test_bundle.c - bundles scheduled end to end on a three-node CIB: replicas placed like clone
 * instances (one a node), the IP and connection with their container, the bundled primitive
 * on its guest node, a replica that cannot be placed, replicas-per-host, a promotable
 * bundle's promotion and a disabled bundle. Expected lines are Pacemaker 2.1.5's
 * (Debian's crm_simulate on the same CIBs). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/xalloc.h"
#include "pengine_run.h"

/* a bundle "web" of `docker` attributes wrapping Dummy "httpd" on node1..node3 */
static char *
run(const char *docker, const char *bundle_meta, const char *cons, enum pengine_run_view view)
{
	char *cib = xasprintf(
	    "<cib have-quorum=\"1\" dc-uuid=\"1\"><configuration><crm_config>"
	    "<cluster_property_set id=\"o\"><nvpair id=\"o1\" name=\"stonith-enabled\" "
	    "value=\"false\"/></cluster_property_set></crm_config><nodes>"
	    "<node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/>"
	    "<node id=\"3\" uname=\"node3\"/></nodes><resources><bundle id=\"web\">%s"
	    "<docker image=\"pcmk:http\" %s/><network ip-range-start=\"192.168.122.131\" "
	    "control-port=\"3121\"/><primitive class=\"ocf\" id=\"httpd\" provider=\"pacemaker\" "
	    "type=\"Dummy\"><operations><op id=\"m\" interval=\"15s\" name=\"monitor\"/>"
	    "</operations></primitive></bundle></resources><constraints>%s</constraints>"
	    "</configuration><status>"
	    "<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
	    "join=\"member\" expected=\"member\"/>"
	    "<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" "
	    "join=\"member\" expected=\"member\"/>"
	    "<node_state id=\"3\" uname=\"node3\" in_ccm=\"true\" crmd=\"online\" "
	    "join=\"member\" expected=\"member\"/></status></cib>",
	    bundle_meta, docker, cons);
	char *s = pengine_run_render(cib, view), *w = s;

	free(cib);
	for (char *p = s; *p; p++) /* squash runs of spaces */
		if (!(*p == ' ' && (p[1] == ' ' || w == s || w[-1] == ' ')))
			*w++ = *p;
	*w = '\0';
	return s;
}

static void
expect_in(const char *got, const char *want)
{
	if (strstr(got, want) == NULL)
		fail_msg("expected \"%s\" in:\n%s", want, got);
}

static void
expect_not_in(const char *got, const char *unwanted)
{
	if (strstr(got, unwanted) != NULL)
		fail_msg("did not expect \"%s\" in:\n%s", unwanted, got);
}

static void
test_start(void **state)
{
	(void)state;
	char *s = run("replicas=\"3\"", "", "", PENGINE_RUN_SUMMARY);
	expect_in(s, "* Start web-ip-192.168.122.131 ( node1 )");
	expect_in(s, "* Start web-docker-0 ( node1 )");
	expect_in(s, "* Start web-0 ( node1 )");
	expect_in(s, "* Start httpd:0 ( web-0 )");
	expect_in(s, "* Start web-docker-2 ( node3 )");
	expect_in(s, "* Start httpd:2 ( web-2 )");
	free(s);
	/* the order Pacemaker runs it in: IP, container, connection, then the instance */
	s = run("replicas=\"1\"", "", "", PENGINE_RUN_EXEC);
	char *ip = strstr(s, "web-ip-192.168.122.131 start on node1");
	char *ct = strstr(s, "web-docker-0 start on node1");
	char *rm = strstr(s, "web-0 start on node1");
	char *in = strstr(s, "httpd:0 start on web-0");
	assert_true(ip && ct && rm && in);
	assert_true(ip < ct && ct < rm && rm < in);
	expect_in(s, "Pseudo action: web-clone_running_0");
	free(s);
}

static void
test_too_many_replicas(void **state)
{
	(void)state;
	/* one container a node: the fourth cannot be placed, its connection and instance
	 * are placed with their starts blocked */
	char *s = run("replicas=\"4\"", "", "", PENGINE_RUN_SUMMARY);
	expect_in(s, "* Start web-3 ( node1 ) due to unrunnable web-docker-3 start (blocked)");
	expect_in(s, "* Start httpd:3 ( web-3 ) due to unrunnable web-docker-3 start (blocked)");
	expect_not_in(s, "Start web-docker-3");
	free(s);
	/* two a node: all four start */
	s = run("replicas=\"4\" replicas-per-host=\"2\"", "", "", PENGINE_RUN_SUMMARY);
	expect_in(s, "* Start web-docker-3 ( node1 )");
	expect_in(s, "* Start httpd:3 ( web-3 )");
	free(s);
}

static void
test_promotable(void **state)
{
	(void)state;
	char *s = run("replicas=\"3\" promoted-max=\"1\"", "",
	    "<rsc_location id=\"l\" rsc=\"web\" role=\"Promoted\" node=\"web-1\" score=\"100\"/>",
	    PENGINE_RUN_SUMMARY);
	expect_in(s, "* Promote httpd:1 ( Stopped -> Promoted web-1 )");
	expect_in(s, "* Start httpd:0 ( web-0 )");
	free(s);
}

static void
test_ban_and_disabled(void **state)
{
	(void)state;
	char *s = run("replicas=\"3\"", "",
	    "<rsc_location id=\"l\" rsc=\"web\" node=\"node1\" score=\"-INFINITY\"/>",
	    PENGINE_RUN_SUMMARY);
	expect_in(s, "* Start web-docker-0 ( node2 )");
	expect_not_in(s, "( node1 )\n");
	free(s);
	s = run("replicas=\"3\"",
	    "<meta_attributes id=\"wm\"><nvpair id=\"wt\" name=\"target-role\" "
	    "value=\"Stopped\"/></meta_attributes>",
	    "", PENGINE_RUN_SUMMARY);
	expect_not_in(s, "Start");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_too_many_replicas),
		cmocka_unit_test(test_promotable),
		cmocka_unit_test(test_ban_and_disabled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
