/* test_acl.c - the CIB's ACLs (lib/cib/cib_acl.c) as Pacemaker 2.1.5 applies them: who they
 * apply to, what a query shows (read, write implies read, deny wins, ids kept, nothing
 * readable = refused), and which updates are within a user's write permissions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "paceline/cib.h"
#include "paceline/error.h"
#include "paceline/xml.h"

static const char *cib_text =
    "<cib epoch='1' num_updates='0' admin_epoch='0'><configuration><crm_config>"
    "<cluster_property_set id='o'><nvpair id='o-acl' name='enable-acl' value='true'/>"
    "</cluster_property_set></crm_config><nodes/><resources>"
    "<primitive id='d' class='ocf' provider='heartbeat' type='Dummy'>"
    "<meta_attributes id='d-meta'><nvpair id='d-tr' name='target-role' value='Started'/>"
    "</meta_attributes></primitive></resources><constraints/><acls>"
    "<acl_target id='reader'><role id='r-read'/></acl_target>"
    "<acl_role id='r-read'><acl_permission id='p1' kind='read' xpath='/cib'/>"
    "<acl_permission id='p2' kind='write' xpath=\"//nvpair[@name='target-role']\"/></acl_role>"
    "<acl_target id='meta'><role id='r-meta'/></acl_target>"
    "<acl_role id='r-meta'><acl_permission id='p3' kind='read' object-type='meta_attributes'/>"
    "</acl_role>"
    "<acl_target id='crook'><role id='r-deny'/></acl_target>"
    "<acl_role id='r-deny'><acl_permission id='p4' kind='deny' xpath='/cib'/></acl_role>"
    "</acls></configuration><status/></cib>";

static xmlDoc *
doc(void)
{
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *d = pl_xml_parse_string(cib_text, "t", &e);
	assert_non_null(d);
	return d;
}

static void
test_who(void **state)
{
	(void)state;
	xmlDoc *d = doc();
	assert_false(pl_cib_acl_required("root"));
	assert_false(pl_cib_acl_required("hacluster"));
	assert_false(pl_cib_acl_required(NULL));
	assert_true(pl_cib_acl_enabled(pl_xml_root(d), "reader"));
	assert_false(pl_cib_acl_enabled(pl_xml_root(d), "root"));
	xmlFreeDoc(d);
}

static void
test_read(void **state)
{
	(void)state;
	xmlDoc *d = doc();
	xmlNode *root = pl_xml_root(d);
	xmlDoc *seen = pl_cib_acl_filtered_copy(root, root, "reader");
	assert_non_null(seen); /* read /cib: everything */
	char *all = pl_xml_dump(pl_xml_root(seen), false);
	assert_non_null(strstr(all, "target-role"));
	free(all);
	xmlFreeDoc(seen);
	assert_null(pl_cib_acl_filtered_copy(root, root, "crook"));  /* deny /cib */
	assert_null(pl_cib_acl_filtered_copy(root, root, "nobody")); /* no ACLs */
	seen = pl_cib_acl_filtered_copy(root, root, "meta");	     /* only meta_attributes */
	assert_non_null(seen);
	char *text = pl_xml_dump(pl_xml_root(seen), false);
	assert_null(strstr(text, "epoch"));	      /* stripped from <cib> */
	assert_non_null(strstr(text, "id=\"d\""));    /* ids kept on the way */
	assert_null(strstr(text, "Dummy"));	      /* the primitive's other attributes not */
	assert_non_null(strstr(text, "target-role")); /* what is readable */
	assert_null(strstr(text, "enable-acl"));
	free(text);
	xmlFreeDoc(seen);
	xmlFreeDoc(d);
}

static int
update(const char *user, const char *from, const char *to)
{
	xmlDoc *d = doc(), *n = doc();
	xmlChar *s = NULL;
	int len;
	xmlDocDumpMemory(n, &s, &len);
	char *changed = g_strdup((const char *)s);
	xmlFree(s);
	xmlFreeDoc(n);
	char *p = strstr(changed, from);
	assert_non_null(p);
	GString *g = g_string_new(NULL);
	g_string_append_len(g, changed, p - changed);
	g_string_append(g, to);
	g_string_append(g, p + strlen(from));
	struct pl_error e = PL_ERROR_INIT;
	n = pl_xml_parse_string(g->str, "t2", &e);
	assert_non_null(n);
	int rc = pl_cib_acl_check_update(pl_xml_root(d), pl_xml_root(n), user, false, NULL);
	g_string_free(g, TRUE);
	g_free(changed);
	xmlFreeDoc(n);
	xmlFreeDoc(d);
	return rc;
}

static void
test_write(void **state)
{
	(void)state;
	/* write on target-role: allowed; anything else: the default denies */
	assert_int_equal(update("reader", "value=\"Started\"", "value=\"Stopped\""), 0);
	assert_int_equal(update("reader", "value=\"true\"", "value=\"false\""), 4);
	assert_int_equal(
	    update("reader", "<constraints/>",
		"<constraints><rsc_location id=\"l\" rsc=\"d\" node=\"n\" score=\"1\"/>"
		"</constraints>"),
	    4);
	assert_int_equal(update("crook", "value=\"Started\"", "value=\"Stopped\""), 4);
	assert_int_equal(update("nobody", "value=\"Started\"", "value=\"Stopped\""), 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
