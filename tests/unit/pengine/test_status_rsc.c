/*
 * test_status_rsc.c - crm_resource's questions to the unpacked status (pengine_rsc.h): names
 * resolve to resources, clone instances and a clone's primitive; where resources run and in
 * which role; per-node parameters from rules; stonith without a device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/pengine_rsc.h"
#include "paceline/xml.h"

#define OP(id, rsc, task, rc)                                                              \
	"<lrm_rsc_op id=\"" id "\" operation_key=\"" rsc "_" task "_0\" operation=\"" task \
	"\" transition-key=\"1:1:0:x\" transition-magic=\"0:" rc                           \
	";1:1:0:x\" call-id=\"1\" rc-code=\"" rc "\" op-status=\"0\" interval=\"0\"/>"

static const char cib[] =
    "<cib validate-with=\"pacemaker-3.9\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\">"
    "<configuration><crm_config/><nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/>"
    "</nodes><resources>"
    "<primitive id=\"web\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">"
    "<instance_attributes id=\"web-ia\"><nvpair id=\"web-ia-port\" name=\"port\" value=\"80\"/>"
    "</instance_attributes>"
    "<instance_attributes id=\"web-ia-n2\" score=\"10\"><rule id=\"web-r\" score=\"0\">"
    "<expression id=\"web-e\" attribute=\"#uname\" operation=\"eq\" value=\"n2\"/></rule>"
    "<nvpair id=\"web-ia-n2-port\" name=\"port\" value=\"8080\"/></instance_attributes></primitive>"
    "<group id=\"g\"><primitive id=\"a\" class=\"ocf\" provider=\"paceline\" "
    "type=\"Dummy\"/></group>"
    "<clone id=\"st-clone\"><meta_attributes id=\"stm\"><nvpair id=\"stm-p\" name=\"promotable\" "
    "value=\"true\"/></meta_attributes>"
    "<primitive id=\"st\" class=\"ocf\" provider=\"paceline\" type=\"Stateful\"/></clone>"
    "</resources><constraints/></configuration><status>"
    "<node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
    "expected=\"member\"><lrm id=\"1\"><lrm_resources>"
    "<lrm_resource id=\"web\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">" OP("web_last_0",
	"web", "start",
	"0") "</lrm_resource>"
	     "<lrm_resource id=\"st\" class=\"ocf\" provider=\"paceline\" type=\"Stateful\">" OP(
		 "st_last_0", "st", "promote",
		 "0") "</lrm_resource>"
		      "</lrm_resources></lrm></node_state>"
		      "<node_state id=\"2\" uname=\"n2\" in_ccm=\"true\" crmd=\"online\" "
		      "join=\"member\" "
		      "expected=\"member\"><lrm id=\"2\"><lrm_resources>"
		      "<lrm_resource id=\"st\" class=\"ocf\" provider=\"paceline\" "
		      "type=\"Stateful\">" OP("st_last_0", "st", "start",
			  "0") "</lrm_resource>"
			       "</lrm_resources></lrm></node_state></status></cib>";

static struct pl_pengine_run *
run_of(xmlDoc **d)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_pengine_opts o = { .now = 1700000000, .status_only = true };
	struct pl_pengine_run *r;

	*d = pl_xml_parse_string(cib, "test", &e);
	assert_non_null(*d);
	r = pl_pengine_run(*d, &o, &e);
	assert_non_null(r);
	return r;
}

static void
test_names(void **state)
{
	xmlDoc *d;
	struct pl_pengine_run *r = run_of(&d);

	(void)state;
	assert_int_equal(pl_pengine_rsc_kind(r, "web"), PL_RSC_PRIMITIVE);
	assert_int_equal(pl_pengine_rsc_kind(r, "g"), PL_RSC_GROUP);
	assert_int_equal(pl_pengine_rsc_kind(r, "st-clone"), PL_RSC_CLONE);
	/* the clone's primitive stands for the clone; an instance is itself */
	assert_int_equal(pl_pengine_rsc_kind(r, "st"), PL_RSC_CLONE);
	assert_int_equal(pl_pengine_rsc_kind(r, "st:1"), PL_RSC_PRIMITIVE);
	assert_int_equal(pl_pengine_rsc_kind(r, "nope"), PL_RSC_NONE);
	assert_string_equal(pl_pengine_rsc_top(r, "a"), "g");
	assert_string_equal(pl_pengine_rsc_parent(r, "st:0"), "st-clone");
	assert_null(pl_pengine_rsc_parent(r, "web"));
	assert_true(pl_pengine_rsc_promotable(r, "st:0"));
	assert_false(pl_pengine_rsc_promotable(r, "web"));
	assert_string_equal(pl_pengine_node_name(r, "2"), "n2");
	assert_null(pl_pengine_node_name(r, "n9"));
	assert_true(pl_pengine_stonith_unset(r)); /* stonith-enabled by default, no device */
	pl_pengine_free(r);
	xmlFreeDoc(d);
}

static void
test_where(void **state)
{
	xmlDoc *d;
	struct pl_pengine_run *r = run_of(&d);
	GArray *w;
	int promoted = 0;

	(void)state;
	w = pl_pengine_rsc_where(r, "web");
	assert_int_equal(w->len, 1);
	assert_string_equal(g_array_index(w, struct pl_rsc_where, 0).node, "n1");
	assert_false(g_array_index(w, struct pl_rsc_where, 0).promoted);
	g_array_free(w, true);
	w = pl_pengine_rsc_where(r, "a"); /* never started */
	assert_int_equal(w->len, 0);
	g_array_free(w, true);
	w = pl_pengine_rsc_where(r, "st-clone"); /* promoted on n1, started on n2 */
	assert_int_equal(w->len, 2);
	for (guint i = 0; i < w->len; i++) {
		struct pl_rsc_where *p = &g_array_index(w, struct pl_rsc_where, i);
		if (p->promoted) {
			promoted++;
			assert_string_equal(p->node, "n1");
		}
	}
	assert_int_equal(promoted, 1);
	g_array_free(w, true);
	pl_pengine_free(r);
	xmlFreeDoc(d);
}

static void
test_params_and_render(void **state)
{
	xmlDoc *d;
	struct pl_pengine_run *r = run_of(&d);
	GHashTable *p;
	struct pl_buf b = PL_BUF_INIT;

	(void)state;
	p = pl_pengine_rsc_node_params(r, "web", "n2"); /* the rule's set (score 10) first */
	assert_string_equal(g_hash_table_lookup(p, "port"), "8080");
	g_hash_table_destroy(p);
	p = pl_pengine_rsc_node_params(r, "web", "n1");
	assert_string_equal(g_hash_table_lookup(p, "port"), "80");
	g_hash_table_destroy(p);
	assert_null(pl_pengine_rsc_node_params(r, "g", "n1"));
	pl_pengine_rsc_text(r, "web", &b);
	assert_non_null(strstr(pl_buf_str(&b), "web\t(ocf:paceline:Dummy):\t Started n1"));
	pl_buf_free(&b);
	pl_pengine_rsc_list_text(r, &b);
	assert_true(g_str_has_prefix(pl_buf_str(&b), "Full List of Resources:\n"));
	pl_buf_free(&b);
	pl_pengine_free(r);
	xmlFreeDoc(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_where),
		cmocka_unit_test(test_params_and_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
