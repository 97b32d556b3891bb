/* test_upgrade.c - pl_cib_upgrade: Pacemaker's walk over the schemas and its two syntax
 * transformations (1.3 -> 2.0 ACLs, 2.10 -> 3.0 operation "requires"), the log it gives, and
 * the refusals (a document valid with no schema from its own on, one already newest). */
#include "cib_test.h"

#define CONF(extra)                                                                              \
	"<configuration><crm_config/><nodes/><resources>"                                        \
	"<primitive id=\"d1\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/></resources>" \
	"<constraints/>" extra "</configuration><status/></cib>"
#define HEAD(v) "<cib validate-with=\"" v "\" epoch=\"3\" num_updates=\"1\" admin_epoch=\"0\">"

struct said {
	GString *log;
};

static void
say(void *arg, const char *fn, const char *level, const char *text)
{
	struct said *s = arg;

	g_string_append_printf(s->log, "%s %s: %s\n", fn, level, text);
}

static xmlNode *
find(xmlNode *n, const char *name, const char *id)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	if (strcmp((const char *)n->name, name) == 0 &&
	    (id == NULL || g_strcmp0(pl_xml_attr(n, "id"), id) == 0))
		return n;
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		xmlNode *f = find(c, name, id);
		if (f != NULL)
			return f;
	}
	return NULL;
}

static int
upgrade(xmlDoc **d, GString *log, int *from, int *to)
{
	struct said s = { log };
	struct pl_cib_upgrade_log l = { say, &s, NULL, false };

	return pl_cib_upgrade(d, &l, from, to);
}

static void
test_acls_1_3(void **state)
{
	xmlDoc *d = xml_from(HEAD("pacemaker-1.3") CONF(
	    "<acls><acl_user id=\"u1\"><role_ref id=\"r\"/></acl_user>"
	    "<acl_user id=\"u2\"><write id=\"w\" tag=\"primitive\"/><deny id=\"n\" ref=\"d1\"/>"
	    "</acl_user><acl_role id=\"r\"><read id=\"rd\" xpath=\"/cib\" attribute=\"epoch\"/>"
	    "</acl_role></acls>"));
	GString *log = g_string_new(NULL);
	int from, to;
	xmlNode *root, *n;

	(void)state;
	assert_int_equal(upgrade(&d, log, &from, &to), 0);
	assert_string_equal(pl_cib_schema_name(from), "pacemaker-1.3");
	assert_string_equal(pl_cib_schema_name(to), "pacemaker-3.9");
	root = xmlDocGetRootElement(d);
	assert_string_equal(pl_xml_attr(root, "validate-with"), "pacemaker-3.9");
	assert_null(find(root, "acl_user", NULL));
	n = find(root, "acl_target", "u1");
	assert_non_null(n);
	assert_non_null(find(n, "role", "r"));
	/* a user's own entries become the role auto-<user> */
	assert_non_null(find(find(root, "acl_target", "u2"), "role", "auto-u2"));
	n = find(root, "acl_role", "auto-u2");
	assert_non_null(n);
	assert_string_equal(pl_xml_attr(find(n, "acl_permission", "w"), "object-type"), "primitive");
	assert_string_equal(pl_xml_attr(find(n, "acl_permission", "n"), "reference"), "d1");
	assert_string_equal(pl_xml_attr(find(n, "acl_permission", "n"), "kind"), "deny");
	n = find(find(root, "acl_role", "r"), "acl_permission", "rd");
	assert_string_equal(pl_xml_attr(n, "xpath"), "/cib[@epoch]");
	assert_non_null(strstr(log->str,
	    "Upgrading pacemaker-1.3-style configuration to "
	    "pacemaker-2.0 with upgrade-1.3.xsl"));
	assert_non_null(strstr(log->str,
	    "Transformed the configuration from pacemaker-1.3 to "
	    "pacemaker-3.9"));
	assert_int_equal(pl_cib_validate_as(d, pl_cib_schema_latest(), NULL), 0);
	g_string_free(log, TRUE);
	xmlFreeDoc(d);
}

static void
test_ops_2_10(void **state)
{
	xmlDoc *d =
	    xml_from(HEAD("pacemaker-2.10") "<configuration><crm_config/><nodes/><resources>"
					    "<primitive id=\"r\" class=\"ocf\" "
					    "provider=\"heartbeat\" type=\"Dummy\"><operations>"
					    "<op id=\"r-start\" name=\"start\" "
					    "interval=\"0\"><meta_attributes id=\"sm\">"
					    "<nvpair id=\"sm-req\" name=\"requires\" "
					    "value=\"quorum\"/></meta_attributes></op>"
					    "<op id=\"r-mon\" name=\"monitor\" "
					    "interval=\"10s\"><instance_attributes id=\"mi\">"
					    "<nvpair id=\"mi-req\" name=\"requires\" "
					    "value=\"nothing\"/></instance_attributes></op>"
					    "</operations></primitive></resources><constraints/></"
					    "configuration><status/></cib>");
	GString *log = g_string_new(NULL);
	int from, to;
	xmlNode *root;

	(void)state;
	/* 3.0 refuses "requires" in an operation: the walk must transform */
	assert_int_not_equal(pl_cib_validate_as(d, pl_cib_schema_index("pacemaker-3.0"), NULL), 0);
	assert_int_equal(upgrade(&d, log, &from, &to), 0);
	root = xmlDocGetRootElement(d);
	assert_null(find(root, "nvpair", "mi-req"));
	assert_null(find(root, "instance_attributes", "mi")); /* emptied: gone */
	assert_non_null(find(find(root, "meta_attributes", "_2TO3_sm"), "nvpair", "sm-req"));
	assert_null(find(find(root, "op", "r-start"), "meta_attributes", NULL));
	assert_non_null(strstr(log->str, "with upgrade-2.10.xsl"));
	assert_non_null(strstr(log->str, "post-upgrade phase with upgrade-2.10-leave.xsl"));
	assert_string_equal(pl_xml_attr(root, "validate-with"), "pacemaker-3.9");
	g_string_free(log, TRUE);
	xmlFreeDoc(d);
}

/* Nothing newer to reach; nothing valid to start from; an unknown claim starts from 1.0. */
static void
test_limits(void **state)
{
	GString *log = g_string_new(NULL);
	int from, to;
	xmlDoc *d = xml_from(HEAD("pacemaker-3.9") CONF(""));

	(void)state;
	assert_int_equal(upgrade(&d, log, &from, &to), 0);
	assert_int_equal(from, to);
	assert_non_null(strstr(log->str, "Stopping at pacemaker-3.9"));
	xmlFreeDoc(d);

	g_string_truncate(log, 0);
	d = xml_from(HEAD(
	    "pacemaker-1.2") "<configuration><crm_config/><nodes/><resources/><constraints>"
			     "<rsc_order id=\"o\" first=\"x\" then=\"y\" first-action=\"break\"/>"
			     "</constraints></configuration><status/></cib>");
	assert_int_equal(upgrade(&d, log, &from, &to), 78);
	assert_int_equal(to, -1);
	assert_string_equal(pl_xml_attr(xmlDocGetRootElement(d), "validate-with"), "pacemaker-1.2");
	assert_non_null(strstr(log->str, "pacemaker-3.9 validation failed"));
	xmlFreeDoc(d);

	g_string_truncate(log, 0);
	d = xml_from(HEAD("pacemaker-9999.0") CONF(""));
	assert_int_equal(upgrade(&d, log, &from, &to), 78); /* validate-with names no schema */
	assert_int_equal(from, -1);
	assert_non_null(strstr(log->str, "Unknown validation schema"));
	assert_non_null(strstr(log->str, "Testing 'pacemaker-1.0' validation (0 of"));
	xmlFreeDoc(d);

	/* 1.2 with tags: invalid for 1.2, valid from 1.3 on */
	g_string_truncate(log, 0);
	d = xml_from(HEAD("pacemaker-1.2") CONF("<tags/>"));
	assert_int_equal(upgrade(&d, log, &from, &to), 0);
	assert_string_equal(pl_cib_schema_name(to), "pacemaker-3.9");
	assert_non_null(strstr(log->str, "pacemaker-1.2 validation failed"));
	assert_non_null(strstr(log->str,
	    "pacemaker-1.3-style configuration is also valid for "
	    "pacemaker-2.0"));
	xmlFreeDoc(d);
	g_string_free(log, TRUE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acls_1_3),
		cmocka_unit_test(test_ops_2_10),
		cmocka_unit_test(test_limits),
	};
	int rc;

	cib_test_env();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	pl_cib_schema_cleanup();
	return rc;
}
