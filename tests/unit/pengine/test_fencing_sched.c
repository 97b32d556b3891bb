/* test_fencing_sched.c - the scheduler's fencing decisions that reach the controller through
 * the graph: unfencing ("on" before the probes and starts of a node never unfenced, none once
 * #node-unfenced is set) and priority-fencing-delay (the lost node running the top priority
 * gets the delay, the others 0, none when the option is unset). */
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

#define ONLINE(n, extra)                                                            \
	"<node_state id=\"" n "\" uname=\"" n "\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\">" extra "</node_state>"
#define LOST(n, extra)                                                                \
	"<node_state id=\"" n "\" uname=\"" n "\" in_ccm=\"false\" crmd=\"offline\" " \
	"join=\"down\" expected=\"member\">" extra "</node_state>"
#define RUNNING(r)                                                                             \
	"<lrm><lrm_resources><lrm_resource id=\"" r "\" class=\"ocf\" provider=\"heartbeat\" " \
	"type=\"Dummy\"><lrm_rsc_op id=\"" r "_last\" operation=\"start\" interval=\"0\" "     \
	"rc-code=\"0\" op-status=\"0\" call-id=\"2\" transition-key=\"1:1:0:x\"/>"             \
	"</lrm_resource></lrm_resources></lrm>"
#define UNFENCED(n)                                                              \
	"<transient_attributes id=\"" n "\"><instance_attributes id=\"t" n "\">" \
	"<nvpair id=\"u" n "\" name=\"#node-unfenced\" value=\"1700000000\"/>"   \
	"</instance_attributes></transient_attributes>"

/* Summary and graph of a two-node CIB (quorum ignored, as two_node clusters run). */
static void
schedule(const char *options, const char *resources, const char *status, char **summary, char **graph)
{
	char *cib = xasprintf(
	    "<cib have-quorum=\"false\"><configuration><crm_config><cluster_property_set id=\"c\">"
	    "<nvpair id=\"q\" name=\"no-quorum-policy\" value=\"ignore\"/>%s"
	    "</cluster_property_set></crm_config><nodes><node id=\"n1\" uname=\"n1\"/>"
	    "<node id=\"n2\" uname=\"n2\"/></nodes><resources>%s</resources><constraints/>"
	    "</configuration><status>%s</status></cib>",
	    options, resources, status);
	struct pl_error e = PL_ERROR_INIT;
	struct pl_pengine_opts o = { .now = 1700000000 };
	struct pl_buf b = PL_BUF_INIT;
	xmlDoc *d = pl_xml_parse_string(cib, "test", &e);

	assert_non_null(d);
	struct pl_pengine_run *r = pl_pengine_run(d, &o, &e);
	assert_non_null(r);
	pl_pengine_summary_text(r, &b);
	*summary = pl_buf_steal(&b);
	*graph = pl_pengine_graph_xml(r);
	pl_pengine_free(r);
	xmlFreeDoc(d);
	free(cib);
}

#define FABRIC                                                                           \
	"<primitive id=\"scsi\" class=\"stonith\" type=\"fence_scsi\"><meta_attributes " \
	"id=\"sm\"><nvpair id=\"sp\" name=\"provides\" value=\"unfencing\"/>"            \
	"</meta_attributes></primitive><primitive id=\"d\" class=\"ocf\" "               \
	"provider=\"heartbeat\" type=\"Dummy\"/>"

static void
test_unfencing(void **state)
{
	char *s, *g;

	(void)state;
	schedule("", FABRIC, ONLINE("n1", "") ONLINE("n2", ""), &s, &g);
	assert_non_null(strstr(s, "Fence (on) n1 'required by scsi monitor'"));
	assert_non_null(strstr(s, "Fence (on) n2 'required by scsi monitor'"));
	assert_non_null(strstr(g, "operation_key=\"stonith-n1-on\""));
	assert_non_null(strstr(g, "CRM_meta_stonith_action=\"on\""));
	free(s);
	free(g);
	/* unfenced already: nothing to do */
	schedule("", FABRIC, ONLINE("n1", UNFENCED("n1")) ONLINE("n2", UNFENCED("n2")), &s, &g);
	assert_null(strstr(s, "Fence (on)"));
	assert_null(strstr(g, "-on\""));
	free(s);
	free(g);
	/* without a device that provides unfencing: none either */
	schedule("",
	    "<primitive id=\"scsi\" class=\"stonith\" type=\"fence_scsi\"/>"
	    "<primitive id=\"d\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>",
	    ONLINE("n1", "") ONLINE("n2", ""), &s, &g);
	assert_null(strstr(s, "Fence (on)"));
	free(s);
	free(g);
}

#define PRIO(id, p)                                                                     \
	"<primitive id=\"" id "\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" \
	"<meta_attributes id=\"" id "m\"><nvpair id=\"" id "p\" name=\"priority\" "     \
	"value=\"" p "\"/></meta_attributes></primitive>"
#define DEV   "<primitive id=\"f\" class=\"stonith\" type=\"fence_dummy\"/>"
#define DELAY "<nvpair id=\"pd\" name=\"priority-fencing-delay\" value=\"15s\"/>"

static void
test_priority_delay(void **state)
{
	char *s, *g;

	(void)state;
	/* the lost node n2 runs the more important resource: its fencing waits 15 s */
	schedule(DELAY, DEV PRIO("big", "10") PRIO("small", "1"),
	    ONLINE("n1", RUNNING("small")) LOST("n2", RUNNING("big")), &s, &g);
	assert_non_null(strstr(s, "Fence (reboot) n2"));
	assert_non_null(strstr(g, "CRM_meta_priority_fencing_delay=\"15\""));
	free(s);
	free(g);
	/* the survivor runs it: no delay for fencing n2 (but the field, 0) */
	schedule(DELAY, DEV PRIO("big", "10") PRIO("small", "1"),
	    ONLINE("n1", RUNNING("big")) LOST("n2", RUNNING("small")), &s, &g);
	assert_non_null(strstr(g, "CRM_meta_priority_fencing_delay=\"0\""));
	free(s);
	free(g);
	/* the option unset: no field */
	schedule("", DEV PRIO("big", "10") PRIO("small", "1"),
	    ONLINE("n1", RUNNING("small")) LOST("n2", RUNNING("big")), &s, &g);
	assert_non_null(strstr(s, "Fence (reboot) n2"));
	assert_null(strstr(g, "priority_fencing_delay"));
	free(s);
	free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unfencing),
		cmocka_unit_test(test_priority_delay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
