/* test_bad_input.c - inputs that once crashed or misled the scheduler (issue 17: 6, 7, 11):
 * each is refused with an error naming the element and attribute, or ignored as Pacemaker
 * does with a line saying so; none may crash. Runs through pl_pengine_run_text, the path
 * crm_simulate and paceline-pengine take; the last test checks that path's streamed status
 * against the same document read as one tree (issue 14). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"

#define NODE_STATE(n)                                                               \
	"<node_state id=\"" n "\" uname=\"" n "\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\">"

/* Two nodes, r1 stopped, `rsc` added to the resources, `lrm` and `extra` to the status. */
static char *
cib(const char *rsc, const char *lrm, const char *extra)
{
	return xasprintf(
	    "<cib have-quorum=\"true\"><configuration><crm_config>"
	    "<cluster_property_set id=\"c\"><nvpair id=\"s\" name=\"stonith-enabled\" "
	    "value=\"false\"/></cluster_property_set></crm_config><nodes>"
	    "<node id=\"node1\" uname=\"node1\"/><node id=\"node2\" uname=\"node2\"/></nodes>"
	    "<resources><primitive id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	    "%s</resources><constraints/></configuration><status>" NODE_STATE(
		"node1") "<lrm "
			 "id=\"l1\"><lrm_resources>%s</lrm_resources></lrm></"
			 "node_state>" NODE_STATE("node2") "</node_state>%s</status></cib>",
	    rsc, lrm, extra);
}

struct outcome {
	int code;	 /* 0 = scheduled */
	char text[1024]; /* the error, or the summary + input errors */
};

static struct outcome
run(char *text)
{
	struct outcome o = { 0, "" };
	struct pl_pengine_opts opts = { .now = 1700000000 };
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = NULL;
	struct pl_pengine_run *r =
	    pl_pengine_run_text(text, strlen(text), "t.xml", &opts, &doc, &err);
	free(text);
	if (r == NULL) {
		o.code = err.code;
		snprintf(o.text, sizeof(o.text), "%s", err.text);
		return o;
	}
	struct pl_buf b = PL_BUF_INIT;
	pl_pengine_summary_text(r, &b);
	snprintf(o.text, sizeof(o.text), "%s%s", pl_buf_str(&b), pl_pengine_input_errors(r));
	pl_buf_free(&b);
	pl_pengine_free(r);
	xmlFreeDoc(doc);
	return o;
}

static void
expect_in(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("expected \"%s\" in:\n%s", want, text);
}

/* 6: status entries without their id are ignored (Pacemaker exits 0) and named */
static void
test_status_entry_without_id(void **state)
{
	(void)state;
	struct outcome o = run(cib("",
	    "<lrm_resource class=\"ocf\" provider=\"heartbeat\" "
	    "type=\"Dummy\"><lrm_rsc_op id=\"x\" operation=\"start\" interval=\"0\" rc-code=\"0\" "
	    "op-status=\"0\" call-id=\"1\" transition-key=\"1:1:0:x\"/></lrm_resource>",
	    "<node_state uname=\"node3\" in_ccm=\"true\" crmd=\"online\"/>"));
	assert_int_equal(o.code, 0);
	expect_in(o.text, "Start");
	expect_in(o.text, "<lrm_resource> on node node1 has no id attribute");
	expect_in(o.text, "<node_state uname=node3> has no id attribute");
	/* also through the tree path (pl_pengine_run) */
	char *t = cib("", "<lrm_resource/>", "<node_state/>");
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = xmlReadMemory(t, (int)strlen(t), "t", NULL, 0);
	struct pl_pengine_opts opts = { .now = 1700000000 };
	struct pl_pengine_run *r = pl_pengine_run(doc, &opts, &err);
	assert_non_null(r);
	expect_in(pl_pengine_input_errors(r), "<node_state> has no id attribute");
	pl_pengine_free(r);
	xmlFreeDoc(doc);
	free(t);
}

/* 7: a clone-max far beyond any cluster is refused, not allocated */
static void
test_clone_max_limit(void **state)
{
	(void)state;
	struct outcome o =
	    run(cib("<clone id=\"c1\"><meta_attributes id=\"m\"><nvpair id=\"m1\" "
		    "name=\"clone-max\" value=\"100000000\"/></meta_attributes><primitive id=\"d\" "
		    "class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone>",
		"", ""));
	assert_int_equal(o.code, PL_EXIT_CONFIG);
	expect_in(o.text, "clone c1: meta-attribute clone-max=\"100000000\" exceeds the limit");
	o = run(cib(
	    "<clone id=\"c2\"><meta_attributes id=\"m\"><nvpair id=\"m1\" "
	    "name=\"clone-node-max\" value=\"99999999999\"/></meta_attributes><primitive id=\"d\" "
	    "class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone>",
	    "", ""));
	assert_int_equal(o.code, PL_EXIT_CONFIG);
	expect_in(o.text, "clone c2: meta-attribute clone-node-max");
	/* an ordinary count is fine */
	o = run(cib("<clone id=\"c3\"><meta_attributes id=\"m\"><nvpair id=\"m1\" "
		    "name=\"clone-max\" value=\"2\"/></meta_attributes><primitive id=\"d\" "
		    "class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone>",
	    "", ""));
	assert_int_equal(o.code, 0);
	expect_in(o.text, "Start      d:1");
}

/* 11: the status section is found by the parser, not by searching the text */
static void
test_status_found_by_parser(void **state)
{
	(void)state;
	struct outcome o =
	    run(cib("<!-- copy of </configuration><status> kept here -->"
		    "<primitive id=\"r2\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\" "
		    "description=\"&lt;status &gt; &lt;/status&gt;\"/>",
		"<lrm_resource id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"r1_last\" operation=\"start\" interval=\"0\" rc-code=\"0\" "
		"op-status=\"0\" call-id=\"2\" transition-key=\"1:1:0:x\"/></lrm_resource>",
		""));
	assert_int_equal(o.code, 0);
	expect_in(o.text, "Start      r2");
	assert_null(strstr(o.text, "r1 ")); /* r1's history (after the comment) was read */
	/* malformed XML inside the status is an error with its place, not a silent cut */
	o = run(cib("", "<lrm_resource id=\"r1\">", ""));
	assert_int_equal(o.code, PL_EXIT_DATAERR);
	expect_in(o.text, "t.xml:1:");
	expect_in(o.text, "malformed XML");
	/* and after an orphan's definition was copied from an earlier node_state (the run
	 * holds nodes of the document until it is freed: fuzz_pengine found this) */
	o = run(cib("",
	    "<lrm_resource id=\"gone\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
	    "<lrm_rsc_op id=\"g\" operation=\"start\" interval=\"0\" rc-code=\"0\" "
	    "op-status=\"0\" call-id=\"1\" transition-key=\"1:1:0:x\"/></lrm_resource>",
	    "<node_state id=\"node3\" id=\"node3\"/>"));
	assert_int_equal(o.code, PL_EXIT_DATAERR);
	expect_in(o.text, "redefined");
	/* a DOCTYPE is refused */
	char *t = cib("", "", "");
	o = run(xasprintf("<!DOCTYPE cib [<!ENTITY e \"x\">]>%s", t));
	free(t);
	assert_int_equal(o.code, PL_EXIT_DATAERR);
	expect_in(o.text, "DOCTYPE");
}

/* The status section read from text (stream.c: arena trees, one node_state at a time) gives
 * the model the same document read as one tree gives: decoded entities, transient
 * attributes, failures. (crm_mon's fail count and ticket sections read the status tree,
 * which a streamed run does not keep: crm_mon parses the CIB as one tree.) */
static void
render(struct pl_pengine_run *r, struct pl_buf *b)
{
	struct pl_mon_opts mo = { .show = PL_MON_NODES | PL_MON_RESOURCES | PL_MON_ATTRIBUTES |
		    PL_MON_FAILURES,
		.inactive = true,
		.now = 1700000000 };
	pl_pengine_summary_text(r, b);
	pl_pengine_status_text(r, false, b);
	pl_pengine_mon_text(r, &mo, b);
}

static void
test_status_stream_equals_tree(void **state)
{
	(void)state;
	char *t = cib("<primitive id=\"r&amp;2\" class=\"ocf\" provider=\"heartbeat\" "
		      "type=\"Dummy\"/>",
	    "<lrm_resource id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
	    "<lrm_rsc_op id=\"r1_last_failure_0\" operation_key=\"r1_start_0\" "
	    "operation=\"start\" interval=\"0\" rc-code=\"1\" op-status=\"0\" call-id=\"2\" "
	    "transition-key=\"1:1:0:x\" exit-reason=\"a &amp; b &lt;c&gt; &#x41;\" "
	    "last-rc-change=\"1699999000\"/></lrm_resource>"
	    "<lrm_resource id=\"r&amp;2\" class=\"ocf\" provider=\"heartbeat\" "
	    "type=\"Dummy\"><lrm_rsc_op id=\"x2\" operation=\"start\" interval=\"0\" "
	    "rc-code=\"0\" op-status=\"0\" call-id=\"3\" transition-key=\"2:1:0:x\"/>"
	    "</lrm_resource>",
	    "<tickets><ticket_state id=\"t1\" granted=\"true\"/></tickets>");
	/* transient attributes of node1 (fail count) go into its node_state */
	char *at = strstr(t, "<lrm id=\"l1\">");
	assert_non_null(at);
	char *full = xasprintf("%.*s<transient_attributes id=\"node1\"><instance_attributes "
			       "id=\"s1\"><nvpair id=\"f\" name=\"fail-count-r1#start_0\" "
			       "value=\"INFINITY\"/><nvpair id=\"g\" name=\"site\" "
			       "value=\"x&amp;y\"/></instance_attributes></transient_attributes>%s",
	    (int)(at - t), t, at);
	free(t);
	struct pl_pengine_opts opts = { .now = 1700000000 };
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *sdoc = NULL;
	struct pl_pengine_run *streamed =
	    pl_pengine_run_text(full, strlen(full), "t.xml", &opts, &sdoc, &err);
	assert_non_null(streamed);
	xmlDoc *doc = xmlReadMemory(full, (int)strlen(full), "t", NULL, 0);
	struct pl_pengine_run *tree = pl_pengine_run(doc, &opts, &err);
	assert_non_null(tree);
	struct pl_buf a = PL_BUF_INIT, b = PL_BUF_INIT;
	render(streamed, &a);
	render(tree, &b);
	assert_string_equal(pl_buf_str(&a), pl_buf_str(&b));
	expect_in(pl_buf_str(&a), "a & b <c> A"); /* the exit reason, decoded */
	expect_in(pl_buf_str(&a), "r&2");	  /* an id with an entity */
	expect_in(pl_buf_str(&a), "site");	  /* a transient attribute */
	expect_in(pl_buf_str(&a), "x&y");
	expect_in(pl_buf_str(&a), "Recover    r1       ( node1 -> node2 )"); /* its fail count */
	pl_buf_free(&a);
	pl_buf_free(&b);
	pl_pengine_free(streamed);
	pl_pengine_free(tree);
	xmlFreeDoc(sdoc);
	xmlFreeDoc(doc);
	free(full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_entry_without_id),
		cmocka_unit_test(test_clone_max_limit),
		cmocka_unit_test(test_status_found_by_parser),
		cmocka_unit_test(test_status_stream_equals_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
