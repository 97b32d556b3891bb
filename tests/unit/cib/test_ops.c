/* test_ops.c - every CIB operation with Pacemaker's semantics and exit codes, the version
 * rules, stamps, and that a rejected update leaves the CIB byte-for-byte unchanged. */
#include "cib_test.h"

static int
setup(void **state)
{
	cib_test_env();
	*state = cib_from(BASE_CIB);
	return 0;
}

static int
teardown(void **state)
{
	pl_cib_free(*state);
	return 0;
}

/* Run a failing update and check the code and that nothing changed. */
static void
expect_rejected(struct pl_cib *cib, enum pl_cib_op op, const char *section, const char *xpath,
    const char *input, unsigned flags, int code)
{
	struct pl_error e = PL_ERROR_INIT;
	char *before = cib_text(cib), *after;
	xmlNode *out = NULL;

	assert_int_equal(cib_do(cib, op, section, xpath, input, flags, &out, &e), code);
	assert_int_equal(e.code, code);
	assert_true(strlen(e.text) > 0);
	after = cib_text(cib);
	assert_string_equal(before, after);
	free(before);
	free(after);
	xmlFreeNode(out);
}

static void
test_query(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;
	xmlNode *out = NULL;

	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, NULL, NULL, NULL, 0, &out, &e), 0);
	assert_string_equal((const char *)out->name, "cib");
	xmlFreeNode(out);
	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, "resources", NULL, NULL, 0, &out, &e), 0);
	assert_string_equal((const char *)out->name, "resources");
	assert_int_equal(pl_xml_count_children(out, "primitive"), 2);
	xmlFreeNode(out);
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_QUERY, "resources", NULL, NULL, PL_CIB_F_NO_CHILDREN, &out, &e), 0);
	assert_null(out->children);
	xmlFreeNode(out);
	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, "status", NULL, NULL, 0, &out, &e), 0);
	assert_string_equal((const char *)out->name, "status");
	xmlFreeNode(out);
	/* XPath: one match is the element, several are wrapped in <xpath-query>. */
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_QUERY, NULL, "//primitive[@id='b']", NULL, 0, &out, &e), 0);
	assert_string_equal(pl_xml_id(out), "b");
	xmlFreeNode(out);
	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, NULL, "//primitive", NULL, 0, &out, &e), 0);
	assert_string_equal((const char *)out->name, "xpath-query");
	assert_int_equal(pl_xml_count_children(out, "primitive"), 2);
	xmlFreeNode(out);
	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, NULL, "//nope", NULL, 0, &out, &e), 105);
	assert_null(out);
	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, "tags", NULL, NULL, 0, &out, &e), 105);
	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, "bogus", NULL, NULL, 0, &out, &e), 64);
	assert_int_equal(cib_do(cib, PL_CIB_OP_QUERY, NULL, "//[", NULL, 0, &out, &e), 64);
}

static void
test_create(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;
	xmlNode *out = NULL;

	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_CREATE, "resources", NULL,
		"<primitive id=\"c\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>", 0,
		NULL, &e),
	    0);
	assert_non_null(pl_xml_find_id(pl_cib_root(cib), "primitive", "c"));
	assert_version(cib, 0, 4, 0);
	/* A section element as input adds each child. */
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_CREATE, "constraints", NULL,
		"<constraints><rsc_order id=\"o1\" first=\"a\" then=\"b\"/>"
		"<rsc_colocation id=\"c1\" rsc=\"b\" with-rsc=\"a\" score=\"INFINITY\"/>"
		"</constraints>",
		0, NULL, &e),
	    0);
	assert_non_null(pl_xml_find_id(pl_cib_root(cib), "rsc_colocation", "c1"));
	/* A missing optional section is created. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_CREATE, "tags", NULL,
			     "<tag id=\"t1\"><obj_ref id=\"a\"/></tag>", 0, NULL, &e),
	    0);
	/* An existing id: 108 and the <failed> report Pacemaker prints. */
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_CREATE, "resources", NULL,
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>", 0,
		&out, &e),
	    108);
	assert_non_null(out);
	assert_string_equal((const char *)out->name, "failed");
	xmlFreeNode(out);
	expect_rejected(cib, PL_CIB_OP_CREATE, "resources", NULL,
	    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>", 0, 108);
	/* Without a section, Pacemaker treats create as modify: unknown object is 105. */
	expect_rejected(
	    cib, PL_CIB_OP_CREATE, NULL, NULL, "<primitive id=\"zz\" class=\"ocf\"/>", 0, 105);
}

static void
test_modify(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;
	xmlNode *a;

	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, NULL, NULL,
			     "<nvpair id=\"a-meta-prio\" value=\"5\"/>", 0, NULL, &e),
	    0);
	a = pl_xml_find_id(pl_cib_root(cib), "nvpair", "a-meta-prio");
	assert_string_equal(pl_xml_attr(a, "value"), "5");
	assert_string_equal(pl_xml_attr(a, "name"), "priority"); /* merged, not replaced */
	assert_version(cib, 0, 4, 0);
	/* Increments: value++ and value+=N on the current value. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "resources", NULL,
			     "<nvpair id=\"a-meta-prio\" value=\"value++\"/>", 0, NULL, &e),
	    0);
	assert_string_equal(
	    pl_xml_attr(pl_xml_find_id(pl_cib_root(cib), "nvpair", "a-meta-prio"), "value"), "6");
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "resources", NULL,
			     "<nvpair id=\"a-meta-prio\" value=\"value+=10\"/>", 0, NULL, &e),
	    0);
	assert_string_equal(
	    pl_xml_attr(pl_xml_find_id(pl_cib_root(cib), "nvpair", "a-meta-prio"), "value"), "16");
	/* Children are merged by id; new ones are added. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "resources", NULL,
			     "<primitive id=\"b\"><meta_attributes id=\"b-meta\">"
			     "<nvpair id=\"b-tr\" name=\"target-role\" value=\"Stopped\"/>"
			     "</meta_attributes></primitive>",
			     0, NULL, &e),
	    0);
	assert_non_null(pl_xml_find_id(pl_cib_root(cib), "nvpair", "b-tr"));
	/* Missing target: 105, unless allowed to create. */
	expect_rejected(cib, PL_CIB_OP_MODIFY, "resources", NULL, "<primitive id=\"zz\"/>", 0, 105);
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_MODIFY, "resources", NULL,
		"<primitive id=\"zz\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>",
		PL_CIB_F_ALLOW_CREATE, NULL, &e),
	    0);
	assert_non_null(pl_xml_find_id(pl_cib_root(cib), "primitive", "zz"));
	/* XPath modify. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, NULL, "//primitive[@id='b']",
			     "<primitive description=\"via xpath\"/>", 0, NULL, &e),
	    0);
	assert_string_equal(
	    pl_xml_attr(pl_xml_find_id(pl_cib_root(cib), "primitive", "b"), "description"),
	    "via xpath");
}

static void
test_increment(void **state)
{
	xmlDoc *d = xml_from("<x v=\"999990\" w=\"INFINITY\"/>");
	xmlNode *x = xmlDocGetRootElement(d);

	(void)state;
	assert_true(pl_cib_expand_increment(x, "v", "v+=100"));
	assert_string_equal(pl_xml_attr(x, "v"), "1000000"); /* saturates at INFINITY */
	assert_true(pl_cib_expand_increment(x, "w", "w++"));
	assert_string_equal(pl_xml_attr(x, "w"), "1000000");
	assert_true(pl_cib_expand_increment(x, "new", "new++"));
	assert_string_equal(pl_xml_attr(x, "new"), "1"); /* missing counts as 0 */
	assert_false(pl_cib_expand_increment(x, "v", "other++"));
	assert_false(pl_cib_expand_increment(x, "v", "v+=abc"));
	assert_false(pl_cib_expand_increment(x, "v", "42"));
	xmlFreeDoc(d);
}

static void
test_replace(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;
	xmlNode *b;

	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_REPLACE, "resources", NULL,
		"<primitive id=\"b\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\"/>", 0,
		NULL, &e),
	    0);
	b = pl_xml_find_id(pl_cib_root(cib), "primitive", "b");
	assert_string_equal(pl_xml_attr(b, "type"), "Stateful");
	/* A whole section. */
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_REPLACE, "constraints", NULL, "<constraints/>", 0, NULL, &e), 0);
	assert_null(pl_xml_find_id(pl_cib_root(cib), "rsc_location", "loc-a"));
	expect_rejected(cib, PL_CIB_OP_REPLACE, "resources", NULL, "<primitive id=\"zz\"/>", 0, 105);
	/* The whole CIB: an older one is refused (103), a newer one accepted and counted. */
	expect_rejected(cib, PL_CIB_OP_REPLACE, NULL, NULL,
	    "<cib validate-with=\"pacemaker-3.7\" epoch=\"1\" num_updates=\"0\" "
	    "admin_epoch=\"0\"><configuration><crm_config/><nodes/><resources/>"
	    "<constraints/></configuration><status/></cib>",
	    0, 103);
	assert_int_equal(cib_do(cib, PL_CIB_OP_REPLACE, NULL, NULL,
			     "<cib validate-with=\"pacemaker-3.7\" epoch=\"30\" num_updates=\"0\" "
			     "admin_epoch=\"1\"><configuration><crm_config/><nodes/><resources/>"
			     "<constraints/></configuration><status/></cib>",
			     0, NULL, &e),
	    0);
	assert_version(cib, 1, 31, 0);
	/* A sync takes a peer's copy as it is, even older, but never an invalid one. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_REPLACE, NULL, NULL,
			     "<cib validate-with=\"pacemaker-3.7\" epoch=\"7\" num_updates=\"3\" "
			     "admin_epoch=\"0\"><configuration><crm_config/><nodes/><resources/>"
			     "<constraints/></configuration><status/></cib>",
			     PL_CIB_F_SYNC, NULL, &e),
	    0);
	assert_version(cib, 0, 7, 3);
	expect_rejected(cib, PL_CIB_OP_REPLACE, NULL, NULL,
	    "<cib validate-with=\"pacemaker-3.7\" epoch=\"9\" num_updates=\"0\" "
	    "admin_epoch=\"0\"><configuration><nodes/></configuration></cib>",
	    PL_CIB_F_SYNC, 78);
}

static void
test_delete(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;

	/* Every attribute given must match. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_DELETE, NULL, NULL,
			     "<op id=\"a-mon\" name=\"monitor\" interval=\"20s\"/>", 0, NULL, &e),
	    0);
	assert_non_null(pl_xml_find_id(pl_cib_root(cib), "op", "a-mon"));
	assert_version(cib, 0, 3, 5); /* nothing changed: no new version */
	assert_int_equal(cib_do(cib, PL_CIB_OP_DELETE, NULL, NULL,
			     "<op id=\"a-mon\" name=\"monitor\" interval=\"10s\"/>", 0, NULL, &e),
	    0);
	assert_null(pl_xml_find_id(pl_cib_root(cib), "op", "a-mon"));
	assert_version(cib, 0, 4, 0);
	/* Already gone is not an error (Pacemaker: 0). */
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_DELETE, NULL, NULL, "<primitive id=\"zz\"/>", 0, NULL, &e), 0);
	assert_int_equal(cib_do(cib, PL_CIB_OP_DELETE, NULL, "//nope", NULL, 0, NULL, &e), 0);
	/* XPath: first match, or all. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_DELETE, NULL, "//nvpair", NULL, 0, NULL, &e), 0);
	assert_non_null(pl_xml_find_id(pl_cib_root(cib), "nvpair", "a-meta-prio"));
	assert_null(pl_xml_find_id(pl_cib_root(cib), "nvpair", "opts-stonith"));
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_DELETE, NULL, "//nvpair", NULL, PL_CIB_F_ALL_MATCHES, NULL, &e), 0);
	assert_null(pl_xml_find_id(pl_cib_root(cib), "nvpair", NULL));
	expect_rejected(cib, PL_CIB_OP_DELETE, NULL, "/cib", NULL, 0, 64);
	/* Nested matches (a primitive and its operations) are all deleted safely (the constraint
	 * too: a dangling reference would be a schema error). */
	assert_int_equal(cib_do(cib, PL_CIB_OP_DELETE, NULL, "//resources//* | //constraints/*",
			     NULL, PL_CIB_F_ALL_MATCHES, NULL, &e),
	    0);
	assert_null(pl_xml_first_child(pl_xml_find_id(pl_cib_root(cib), "resources", NULL), NULL));
	/* Replacing nested matches keeps the outer replacement. */
	if (cib_do(cib, PL_CIB_OP_REPLACE, NULL, "//configuration | //crm_config",
		"<configuration><crm_config/><nodes/><resources/><constraints/></configuration>",
		PL_CIB_F_ALL_MATCHES, NULL, &e) != 0)
		fail_msg("%s", e.text);
	assert_null(pl_xml_find_id(pl_cib_root(cib), "node", NULL));
}

static void
test_erase_bump(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;

	assert_int_equal(cib_do(cib, PL_CIB_OP_BUMP, NULL, NULL, NULL, 0, NULL, &e), 0);
	assert_version(cib, 0, 4, 6); /* as Pacemaker: epoch + 1, counted as an update */
	expect_rejected(cib, PL_CIB_OP_ERASE, NULL, NULL, NULL, 0, 64);
	assert_int_equal(cib_do(cib, PL_CIB_OP_ERASE, NULL, NULL, NULL, PL_CIB_F_FORCE, NULL, &e), 0);
	assert_version(cib, 1, 5, 0); /* admin_epoch + 1, then a configuration change */
	assert_null(pl_xml_find_id(pl_cib_root(cib), "primitive", NULL));
	assert_string_equal(pl_xml_attr(pl_cib_root(cib), "validate-with"), "pacemaker-3.7");
}

static void
test_versions(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;

	/* Status change: num_updates only. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "status", NULL,
			     "<node_state id=\"1\" join=\"down\"/>", 0, NULL, &e),
	    0);
	assert_version(cib, 0, 3, 6);
	/* Configuration change: epoch + 1, num_updates 0. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, NULL, NULL,
			     "<nvpair id=\"opts-stonith\" value=\"true\"/>", 0, NULL, &e),
	    0);
	assert_version(cib, 0, 4, 0);
	/* admin_epoch moves only when set. */
	assert_int_equal(
	    cib_do(cib, PL_CIB_OP_MODIFY, NULL, NULL, "<cib admin_epoch=\"7\"/>", 0, NULL, &e), 0);
	assert_version(cib, 7, 4, 1);
	/* Backwards is refused. */
	expect_rejected(cib, PL_CIB_OP_MODIFY, NULL, NULL, "<cib epoch=\"2\"/>", 0, 103);
	expect_rejected(
	    cib, PL_CIB_OP_MODIFY, NULL, NULL, "<cib admin_epoch=\"6\" epoch=\"99\"/>", 0, 103);
}

static void
test_stamps_and_patchset(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *in = xml_from("<nvpair id=\"a-meta-prio\" value=\"9\"/>");
	struct pl_cib_request req = { .op = PL_CIB_OP_MODIFY,
		.input = xmlDocGetRootElement(in),
		.origin = "n1",
		.client = "cibadmin",
		.user = "root",
		.when = 1700000000 };
	xmlNode *patch = NULL, *root;

	assert_int_equal(pl_cib_perform(cib, &req, NULL, &patch, &e), 0);
	root = pl_cib_root(cib);
	assert_string_equal(pl_xml_attr(root, "update-origin"), "n1");
	assert_string_equal(pl_xml_attr(root, "update-client"), "cibadmin");
	assert_string_equal(pl_xml_attr(root, "update-user"), "root");
	assert_non_null(pl_xml_attr(root, "cib-last-written"));
	assert_non_null(strstr(pl_xml_attr(root, "cib-last-written"), "2023")); /* req.when */
	assert_non_null(patch);
	assert_string_equal(pl_xml_attr(patch, "format"), "2");
	assert_non_null(pl_xml_first_child(patch, "version"));
	xmlFreeNode(patch);
	xmlFreeDoc(in);
}

static void
test_schema_rejects(void **state)
{
	struct pl_cib *cib = *state;

	/* Unknown attribute (what Pacemaker's schema refuses too). */
	expect_rejected(
	    cib, PL_CIB_OP_MODIFY, NULL, NULL, "<primitive id=\"a\" cnt=\"cnt++\"/>", 0, 78);
	/* Missing required attributes. */
	expect_rejected(cib, PL_CIB_OP_CREATE, "resources", NULL, "<primitive id=\"bad\"/>", 0, 78);
	/* Unknown class, role, invalid score, dangling reference, duplicate id. */
	expect_rejected(cib, PL_CIB_OP_CREATE, "resources", NULL,
	    "<primitive id=\"c\" class=\"bogus\" type=\"x\"/>", 0, 78);
	expect_rejected(cib, PL_CIB_OP_CREATE, "constraints", NULL,
	    "<rsc_location id=\"l2\" rsc=\"a\" role=\"Boss\" node=\"n1\" score=\"1\"/>", 0, 78);
	expect_rejected(cib, PL_CIB_OP_CREATE, "constraints", NULL,
	    "<rsc_location id=\"l2\" rsc=\"a\" node=\"n1\" score=\"lots\"/>", 0, 78);
	expect_rejected(cib, PL_CIB_OP_CREATE, "constraints", NULL,
	    "<rsc_location id=\"l2\" rsc=\"ghost\" node=\"n1\" score=\"1\"/>", 0, 78);
	expect_rejected(cib, PL_CIB_OP_CREATE, "constraints", NULL,
	    "<rsc_location id=\"b\" rsc=\"a\" node=\"n1\" score=\"1\"/>", 0, 78);
	/* Without validation the same update passes. */
	pl_cib_set_validation(cib, false);
	{
		struct pl_error e = PL_ERROR_INIT;

		assert_int_equal(cib_do(cib, PL_CIB_OP_CREATE, "resources", NULL,
				     "<primitive id=\"bad\"/>", 0, NULL, &e),
		    0);
	}
}

/* Status-only updates check just the node states they change, on a document known to be
 * valid; a document not known to be valid is checked whole. */
static void
test_status_validation(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;
	const char *good =
	    "<node_state id=\"1\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"a\" "
	    "class=\"ocf\" type=\"Dummy\"><lrm_rsc_op id=\"a_last_0\" operation=\"start\" "
	    "call-id=\"1\" rc-code=\"0\"/></lrm_resource></lrm_resources></lrm></node_state>";
	const char *bad =
	    "<node_state id=\"1\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"b\">"
	    "<lrm_rsc_op id=\"b_last_0\" call-id=\"2\"/></lrm_resource></lrm_resources>"
	    "</lrm></node_state>";

	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "status", NULL, good, 0, NULL, &e), 0);
	/* Known valid now: the next status update takes the short path, and still refuses an
	 * lrm_rsc_op without its operation. */
	expect_rejected(cib, PL_CIB_OP_MODIFY, "status", NULL, bad, 0, 78);
	assert_int_equal(cib_do(cib, PL_CIB_OP_CREATE, "status", NULL,
			     "<node_state id=\"2\" uname=\"n2\"/>", 0, NULL, &e),
	    0);
	/* What the short path checks (a skeleton of what changed, cib_ops.c): new values of
	 * existing attributes need nothing; new elements, counts and removed attributes are
	 * checked in their place. */
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "status", NULL,
			     "<node_state id=\"1\" crmd=\"online\"><lrm id=\"1\"><lrm_resources>"
			     "<lrm_resource id=\"a\"><lrm_rsc_op id=\"a_last_0\" rc-code=\"7\"/>"
			     "</lrm_resource></lrm_resources></lrm></node_state>",
			     0, NULL, &e),
	    0);
	expect_rejected(cib, PL_CIB_OP_MODIFY, "status", NULL,
	    "<node_state id=\"1\"><lrm id=\"1\"><lrm_resources><lrm_resource id=\"a\">"
	    "<lrm_rsc_op id=\"a_monitor_10000\" call-id=\"3\"/></lrm_resource></lrm_resources>"
	    "</lrm></node_state>",
	    0, 78);
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "status", NULL,
			     "<node_state id=\"1\"><lrm id=\"1\"><lrm_resources><lrm_resource "
			     "id=\"a\"><lrm_rsc_op id=\"a_monitor_10000\" operation=\"monitor\" "
			     "call-id=\"3\"/></lrm_resource></lrm_resources></lrm></node_state>",
			     0, NULL, &e),
	    0);
	/* one lrm_resources per lrm: a second one is refused, though valid alone */
	expect_rejected(cib, PL_CIB_OP_CREATE, NULL, "/cib/status/node_state[@id='1']/lrm",
	    "<lrm_resources/>", 0, 78);
	/* an operation that loses its required attribute */
	expect_rejected(cib, PL_CIB_OP_REPLACE, "status", NULL,
	    "<lrm_rsc_op id=\"a_last_0\" call-id=\"1\" rc-code=\"0\"/>", 0, 78);
	assert_int_equal(cib_do(cib, PL_CIB_OP_DELETE, NULL,
			     "/cib/status/node_state[@id='1']//lrm_rsc_op[@id='a_monitor_10000']",
			     NULL, 0, NULL, &e),
	    0);
	/* A document with a broken configuration (validation was off) is checked whole again,
	 * even for a status update. */
	pl_cib_set_validation(cib, false);
	assert_int_equal(cib_do(cib, PL_CIB_OP_CREATE, "resources", NULL,
			     "<primitive id=\"broken\"/>", 0, NULL, &e),
	    0);
	pl_cib_set_validation(cib, true);
	expect_rejected(
	    cib, PL_CIB_OP_MODIFY, "status", NULL, "<node_state id=\"1\" join=\"down\"/>", 0, 78);
}

static void
test_bad_input(void **state)
{
	struct pl_cib *cib = *state;
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_request req = { .op = PL_CIB_OP_MODIFY };

	assert_int_equal(pl_cib_perform(cib, &req, NULL, NULL, &e), 64);
	assert_null(pl_cib_parse_string("<notcib/>", &e));
	assert_int_equal(e.code, 65);
	assert_null(pl_cib_parse_string("<cib epoch=\"x\"/>", &e));
	assert_null(pl_cib_parse_string("<cib", &e));
	assert_int_equal(e.code, 65);
	expect_rejected(cib, PL_CIB_OP_APPLY_PATCH, NULL, NULL, "<primitive id=\"a\"/>", 0, 65);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modify, setup, teardown),
		cmocka_unit_test(test_increment),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase_bump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stamps_and_patchset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_rejects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	pl_cib_schema_cleanup();
	return rc;
}
