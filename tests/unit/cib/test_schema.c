/* test_schema.c - the project's RelaxNG schema: the documents users write validate, each
 * class of mistake is refused with the element and its line. */
#include "cib_test.h"
#include "paceline/xalloc.h"

static int
validate_text(const char *text, struct pl_error *e)
{
	xmlDoc *d = xml_from(text);
	int rc = pl_cib_validate(d, e);

	xmlFreeDoc(d);
	return rc;
}

#define HEAD(v) "<cib validate-with=\"" v "\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\">\n"
#define CONF(resources, constraints)                                                             \
	"<configuration>\n<crm_config/>\n<nodes>\n<node id=\"1\" uname=\"n1\"/>\n</nodes>\n"     \
	"<resources>\n" resources "</resources>\n<constraints>\n" constraints "</constraints>\n" \
	"</configuration>\n</cib>"

/* A configuration using most of what users write. */
static const char full[] = HEAD(
    "pacemaker-3.9") "<configuration>"
		     "<crm_config><cluster_property_set id=\"cib-bootstrap-options\">"
		     "<nvpair id=\"o1\" name=\"stonith-enabled\" "
		     "value=\"true\"/></cluster_property_set></crm_config>"
		     "<nodes><node id=\"1\" uname=\"n1\"><instance_attributes id=\"n1-ia\">"
		     "<nvpair id=\"n1-ia-1\" name=\"site\" value=\"a\"/></instance_attributes>"
		     "<utilization id=\"n1-u\"><nvpair id=\"n1-u-1\" name=\"cpu\" "
		     "value=\"4\"/></utilization></node>"
		     "<node id=\"2\" uname=\"n2\" type=\"member\"/></nodes>"
		     "<resources>"
		     "<primitive id=\"fence1\" class=\"stonith\" type=\"fence_xvm\"/>"
		     "<template id=\"tmpl\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		     "<primitive id=\"from-tmpl\" template=\"tmpl\"/>"
		     "<primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\">"
		     "<instance_attributes id=\"ip-ia\"><nvpair id=\"ip-ia-1\" name=\"ip\" "
		     "value=\"10.0.0.1\"/>"
		     "</instance_attributes><meta_attributes id=\"ip-ma\">"
		     "<nvpair id=\"ip-ma-1\" name=\"target-role\" "
		     "value=\"Started\"/></meta_attributes>"
		     "<operations><op id=\"ip-mon\" name=\"monitor\" interval=\"10s\" "
		     "timeout=\"20s\" on-fail=\"restart\"/>"
		     "<op id=\"ip-start\" name=\"start\" interval=\"0\" "
		     "role=\"Started\"/></operations></primitive>"
		     "<group id=\"g\"><primitive id=\"g1\" class=\"systemd\" type=\"httpd\"/>"
		     "<primitive id=\"g2\" class=\"lsb\" type=\"foo\"/></group>"
		     "<clone id=\"cl\"><meta_attributes id=\"cl-ma\"><nvpair id=\"cl-ma-1\" "
		     "name=\"promotable\" "
		     "value=\"true\"/></meta_attributes><primitive id=\"st\" class=\"ocf\" "
		     "provider=\"pacemaker\" "
		     "type=\"Stateful\"/></clone>"
		     "<bundle id=\"bu\"><podman image=\"img\" replicas=\"2\"/><network "
		     "control-port=\"3121\">"
		     "<port-mapping id=\"bu-p\" port=\"80\"/></network><storage><storage-mapping "
		     "id=\"bu-s\" "
		     "source-dir=\"/a\" target-dir=\"/b\"/></storage>"
		     "<primitive id=\"bu-rsc\" class=\"ocf\" provider=\"heartbeat\" "
		     "type=\"apache\"/></bundle>"
		     "</resources>"
		     "<constraints>"
		     "<rsc_location id=\"l1\" rsc=\"ip\" node=\"n1\" score=\"INFINITY\"/>"
		     "<rsc_location id=\"l2\" rsc=\"g\"><rule id=\"l2-r\" score=\"-INFINITY\" "
		     "boolean-op=\"or\">"
		     "<expression id=\"l2-e\" attribute=\"#uname\" operation=\"eq\" value=\"n2\"/>"
		     "<date_expression id=\"l2-d\" operation=\"date_spec\"><date_spec id=\"l2-ds\" "
		     "hours=\"9-17\"/>"
		     "</date_expression></rule></rsc_location>"
		     "<rsc_colocation id=\"c1\" rsc=\"g\" with-rsc=\"ip\" score=\"INFINITY\" "
		     "rsc-role=\"Started\"/>"
		     "<rsc_order id=\"ord1\" first=\"ip\" then=\"g\" kind=\"Mandatory\" "
		     "first-action=\"start\"/>"
		     "<rsc_order id=\"ord2\"><resource_set id=\"o2-s1\" sequential=\"false\">"
		     "<resource_ref id=\"ip\"/><resource_ref id=\"g\"/></resource_set>"
		     "<resource_set id=\"o2-s2\" role=\"Promoted\"><resource_ref "
		     "id=\"cl\"/></resource_set></rsc_order>"
		     "<rsc_ticket id=\"t1\" rsc=\"g\" ticket=\"T\" loss-policy=\"stop\"/>"
		     "</constraints>"
		     "<rsc_defaults><meta_attributes id=\"rd\"><nvpair id=\"rd-1\" "
		     "name=\"resource-stickiness\" "
		     "value=\"100\"/></meta_attributes></rsc_defaults>"
		     "<op_defaults><meta_attributes id=\"od\"><nvpair id=\"od-1\" name=\"timeout\" "
		     "value=\"60s\"/>"
		     "</meta_attributes></op_defaults>"
		     "<fencing-topology><fencing-level id=\"fl1\" target=\"n1\" index=\"1\" "
		     "devices=\"fence1\"/>"
		     "</fencing-topology>"
		     "<tags><tag id=\"tag1\"><obj_ref id=\"ip\"/></tag></tags>"
		     "<acls><acl_target id=\"alice\"><role id=\"ro\"/></acl_target>"
		     "<acl_role id=\"ro\"><acl_permission id=\"ro-1\" kind=\"read\" "
		     "xpath=\"/cib\"/></acl_role></acls>"
		     "<alerts><alert id=\"al\" path=\"/bin/true\"><recipient id=\"al-r\" "
		     "value=\"x\"/></alert></alerts>"
		     "</configuration>"
		     "<status><node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\">"
		     "<transient_attributes id=\"1\"><instance_attributes id=\"s-1\">"
		     "<nvpair id=\"s-1-1\" name=\"x\" "
		     "value=\"1\"/></instance_attributes></transient_attributes>"
		     "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"ip\" class=\"ocf\" "
		     "type=\"IPaddr2\">"
		     "<lrm_rsc_op id=\"ip_last_0\" operation=\"start\" call-id=\"3\" "
		     "rc-code=\"0\"/>"
		     "</lrm_resource></lrm_resources></lrm></node_state>"
		     "<tickets><ticket_state id=\"T\" granted=\"true\"/></tickets></status></cib>";

static void
test_valid(void **state)
{
	struct pl_error e = PL_ERROR_INIT;
	char buf[sizeof(full) + 64];

	(void)state;
	if (validate_text(full, &e) != 0)
		fail_msg("%s", e.text);
	/* Every supported 3.x schema name. */
	for (int minor = 0; minor <= 9; minor++) {
		char v[32];
		const char *p = strstr(full, "pacemaker-3.9");

		snprintf(v, sizeof(v), "pacemaker-3.%d", minor);
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - full), full, v,
		    p + strlen("pacemaker-3.9"));
		assert_int_equal(validate_text(buf, &e), 0);
	}
	assert_true(pl_cib_schema_supported("pacemaker-3.0"));
	assert_true(pl_cib_schema_supported("pacemaker-2.10"));
	assert_true(pl_cib_schema_supported("pacemaker-1.0"));
	assert_false(pl_cib_schema_supported("pacemaker-1.1"));
	assert_false(pl_cib_schema_supported("pacemaker-3.10"));
	assert_int_equal(pl_cib_schema_index("pacemaker-1.2"), 1);
	assert_string_equal(pl_cib_schema_name(pl_cib_schema_latest()), "pacemaker-3.9");
	assert_false(pl_cib_schema_supported("pacemaker-3.x"));
	assert_false(pl_cib_schema_supported(NULL));
}

static void
expect_invalid(const char *doc, const char *must_contain)
{
	struct pl_error e = PL_ERROR_INIT;

	assert_int_equal(validate_text(doc, &e), 78);
	if (strstr(e.text, must_contain) == NULL)
		fail_msg("'%s' not in '%s'", must_contain, e.text);
}

static void
test_invalid(void **state)
{
	(void)state;
	/* Element and line are named. */
	expect_invalid(HEAD("pacemaker-3.7")
			   CONF("<primitive id=\"a\" class=\"ocf\" type=\"x\"/>\n", ""),
	    "line 8");
	expect_invalid(HEAD("pacemaker-3.7")
			   CONF("<primitive id=\"a\" class=\"bogus\" type=\"x\"/>\n", ""),
	    "primitive");
	expect_invalid(HEAD("pacemaker-3.7")
			   CONF("<primitive id=\"a\" class=\"lsb\" type=\"x\" foo=\"1\"/>\n", ""),
	    "foo");
	expect_invalid(
	    HEAD("pacemaker-3.7") CONF("<primitive class=\"lsb\" type=\"x\"/>\n", ""), "primitive");
	expect_invalid(HEAD("pacemaker-3.7")
			   CONF("<primitive id=\"a\" class=\"lsb\" type=\"x\"/>\n",
			       "<rsc_location id=\"l\" rsc=\"a\" node=\"n1\" score=\"high\"/>\n"),
	    "rsc_location");
	expect_invalid(HEAD("pacemaker-3.7")
			   CONF("<primitive id=\"a\" class=\"lsb\" type=\"x\"/>\n",
			       "<rsc_location id=\"l\" rsc=\"ghost\" node=\"n1\" score=\"1\"/>\n"),
	    "ghost");
	expect_invalid(HEAD("pacemaker-3.7")
			   CONF("<primitive id=\"a\" class=\"lsb\" type=\"x\"/>\n",
			       "<rsc_colocation id=\"a\" rsc=\"a\" with-rsc=\"a\" score=\"1\"/>\n"),
	    "rsc_colocation");
	expect_invalid(HEAD("pacemaker-3.7")
			   CONF("<primitive id=\"a\" class=\"lsb\" type=\"x\"/>\n",
			       "<rsc_colocation id=\"c\" rsc=\"a\" with-rsc=\"a\" score=\"1\" "
			       "rsc-role=\"Boss\"/>\n"),
	    "rsc_colocation");
	expect_invalid(HEAD("pacemaker-3.7") CONF(
			   "<primitive id=\"a\" class=\"lsb\" type=\"x\">"
			   "<operations><op id=\"o\" name=\"monitor\"/></operations></primitive>\n",
			   ""),
	    "op");
	expect_invalid(HEAD("pacemaker-3.7") CONF("<group id=\"g\"/>\n", ""), "group");
	expect_invalid(HEAD("pacemaker-3.7") "<configuration><nodes/><resources/><constraints/>"
					     "</configuration></cib>",
	    "crm_config");
	expect_invalid("<cib validate-with=\"pacemaker-3.7\"><configuration><crm_config/><nodes/>"
		       "<resources/><constraints/></configuration></cib>",
	    "cib");
	expect_invalid(HEAD("pacemaker-3.10") CONF("", ""), "pacemaker-3.10");
	expect_invalid(HEAD("bogus") CONF("", ""), "bogus");
}

#define TAGS "<tags><tag id=\"t\"><obj_ref id=\"a\"/></tag></tags>\n"
#define CONF_EXTRA(resources, extra)                                                         \
	"<configuration>\n<crm_config/>\n<nodes/>\n<resources>\n" resources "</resources>\n" \
	"<constraints/>\n" extra "</configuration>\n</cib>"
#define PRIM   "<primitive id=\"a\" class=\"lsb\" type=\"x\"/>\n"
#define ACL_V1 "<acls><acl_user id=\"u\"><read id=\"r\" xpath=\"/cib\"/></acl_user></acls>\n"
#define ACL_V2                                                                          \
	"<acls><acl_target id=\"u\"><role id=\"ro\"/></acl_target><acl_role id=\"ro\">" \
	"<acl_permission id=\"p\" kind=\"read\" xpath=\"/cib\"/></acl_role></acls>\n"
#define OP_REQUIRES                                                                             \
	"<primitive id=\"a\" class=\"lsb\" type=\"x\"><operations><op id=\"o\" name=\"start\" " \
	"interval=\"0\"><instance_attributes id=\"oi\"><nvpair id=\"on\" name=\"requires\" "    \
	"value=\"quorum\"/></instance_attributes></op></operations></primitive>\n"

/* Each schema version has the syntax of its Pacemaker release: tags since 1.3, ACLs in the
 * first syntax until 1.3 and the second since 2.0, "requires" in operations until 2.10. */
static void
test_versions(void **state)
{
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	assert_int_equal(validate_text(HEAD("pacemaker-1.2") CONF_EXTRA(PRIM, TAGS), &e), 78);
	assert_int_equal(validate_text(HEAD("pacemaker-1.3") CONF_EXTRA(PRIM, TAGS), &e), 0);
	assert_int_equal(validate_text(HEAD("pacemaker-3.9") CONF_EXTRA(PRIM, TAGS), &e), 0);
	assert_int_equal(validate_text(HEAD("pacemaker-1.0") CONF_EXTRA(PRIM, ACL_V1), &e), 78);
	assert_int_equal(validate_text(HEAD("pacemaker-1.3") CONF_EXTRA(PRIM, ACL_V1), &e), 0);
	assert_int_equal(validate_text(HEAD("pacemaker-1.3") CONF_EXTRA(PRIM, ACL_V2), &e), 78);
	assert_int_equal(validate_text(HEAD("pacemaker-2.0") CONF_EXTRA(PRIM, ACL_V1), &e), 78);
	assert_int_equal(validate_text(HEAD("pacemaker-2.0") CONF_EXTRA(PRIM, ACL_V2), &e), 0);
	assert_int_equal(validate_text(HEAD("pacemaker-2.10") CONF_EXTRA(OP_REQUIRES, ""), &e), 0);
	assert_int_equal(validate_text(HEAD("pacemaker-3.0") CONF_EXTRA(OP_REQUIRES, ""), &e), 78);
	assert_int_equal(validate_text(HEAD("pacemaker-next") CONF_EXTRA(PRIM, ""), &e), 0);
	assert_int_equal(validate_text(HEAD("none") CONF_EXTRA(OP_REQUIRES, ACL_V1), &e), 0);
}

static size_t
count_of(const char *text, const char *what)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, what)) != NULL; p++)
		n++;
	return n;
}

/* No validate-with: every schema is tried (what each finds printed on the echo stream) and
 * the document ends as validate-with="none", as Pacemaker's. With located, each message
 * starts with the document's file and the line (Pacemaker's crm_simulate), else not (the CIB
 * manager's copy has no name). */
static void
check_unnamed(bool located)
{
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *d = xml_from("<cib epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\">\n" CONF_EXTRA(
	    "<primitive id=\"a\" class=\"lsb\" type=\"x\" foo=\"1\"/>\n", ""));
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	xmlChar *vw;
	char *prefix;

	xmlFree((xmlChar *)d->URL); /* the parser's name for the text */
	d->URL = xmlStrdup((const xmlChar *)"cib-x.xml");
	pl_cib_schema_set_echo(fp, located);
	assert_int_equal(pl_cib_validate(d, &e), 0);
	pl_cib_schema_set_echo(NULL, false);
	fclose(fp);
	vw = xmlGetProp(xmlDocGetRootElement(d), (const xmlChar *)"validate-with");
	assert_string_equal((const char *)vw, "none");
	xmlFree(vw);
	/* once per schema, in libxml2's words */
	assert_int_equal(count_of(text,
			     "element primitive: Relax-NG validity error : "
			     "Invalid attribute foo for element primitive"),
	    (size_t)pl_cib_schema_count());
	prefix = xasprintf("cib-x.xml:%ld: element primitive: ",
	    xmlGetLineNo(pl_xml_find_id(xmlDocGetRootElement(d), "primitive", "a")));
	assert_int_equal(count_of(text, prefix), located ? count_of(text, "element primitive: ") : 0);
	free(prefix);
	free(text);
	xmlFreeDoc(d);
}

static void
test_unnamed(void **state)
{
	(void)state;
	check_unnamed(false);
	check_unnamed(true);
}

static void
test_all_messages(void **state)
{
	xmlDoc *d =
	    xml_from(HEAD("pacemaker-3.7") CONF("<primitive id=\"a\" class=\"ocf\" type=\"x\"/>\n",
		"<rsc_location id=\"l\" rsc=\"ghost\" node=\"n1\" score=\"1\"/>\n"));
	char *all = NULL;

	(void)state;
	assert_int_equal(pl_cib_validate_all(d, &all), 78);
	assert_non_null(all);
	assert_non_null(strchr(all, '\n')); /* more than one message */
	free(all);
	xmlFreeDoc(d);
	/* validate-with="none" is not validated. */
	d = xml_from(HEAD("none") "<configuration/></cib>");
	assert_int_equal(pl_cib_validate_all(d, &all), 0);
	xmlFreeDoc(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_all_messages),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_unnamed),
	};
	int rc;

	cib_test_env();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	pl_cib_schema_cleanup();
	return rc;
}
