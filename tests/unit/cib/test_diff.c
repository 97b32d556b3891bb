/* test_diff.c - v2 patchsets: create/apply round trips over many kinds of change, the
 * version checks, patches printed by Pacemaker's crm_diff, and malformed patches. */
#include "cib_test.h"

/* Same element names, attributes (in any order) and children (in order). */
static bool
same_tree(const xmlNode *a, const xmlNode *b)
{
	const xmlNode *ca, *cb;
	size_t na = 0, nb = 0;

	if (strcmp((const char *)a->name, (const char *)b->name) != 0)
		return false;
	for (const xmlAttr *x = a->properties; x; x = x->next, na++) {
		const char *va = pl_xml_attr(a, (const char *)x->name);
		const char *vb = pl_xml_attr(b, (const char *)x->name);

		if (vb == NULL || strcmp(va, vb) != 0)
			return false;
	}
	for (const xmlAttr *x = b->properties; x; x = x->next)
		nb++;
	if (na != nb)
		return false;
	ca = pl_xml_first_child(a, NULL);
	cb = pl_xml_first_child(b, NULL);
	for (; ca && cb; ca = pl_xml_next_sibling(ca, NULL), cb = pl_xml_next_sibling(cb, NULL))
		if (!same_tree(ca, cb))
			return false;
	return ca == NULL && cb == NULL;
}

static void
round_trip(const char *old_text, const char *new_text, bool with_version)
{
	xmlDoc *old = xml_from(old_text), *nw = xml_from(new_text);
	xmlNode *patch =
	    pl_cib_diff_create(xmlDocGetRootElement(old), xmlDocGetRootElement(nw), with_version);
	struct pl_error e = PL_ERROR_INIT;
	char *want, *got;

	assert_non_null(patch);
	assert_int_equal(pl_cib_diff_apply(xmlDocGetRootElement(old), patch, &e), 0);
	want = pl_xml_dump(xmlDocGetRootElement(nw), false);
	got = pl_xml_dump(xmlDocGetRootElement(old), false);
	if (!with_version) {
		/* Without versions the counters are not carried: compare the rest. */
		xmlNode *a = xmlDocGetRootElement(old), *b = xmlDocGetRootElement(nw);

		pl_xml_set_attr(a, "epoch", pl_xml_attr(b, "epoch"));
		pl_xml_set_attr(a, "num_updates", pl_xml_attr(b, "num_updates"));
		pl_xml_set_attr(a, "admin_epoch", pl_xml_attr(b, "admin_epoch"));
		free(got);
		got = pl_xml_dump(a, false);
	}
	if (!same_tree(xmlDocGetRootElement(old), xmlDocGetRootElement(nw)))
		assert_string_equal(want, got);
	free(want);
	free(got);
	xmlFreeNode(patch);
	xmlFreeDoc(old);
	xmlFreeDoc(nw);
}

#define V(e)                                                                      \
	"<cib validate-with=\"pacemaker-3.7\" admin_epoch=\"0\" epoch=\"" e "\" " \
	"num_updates=\"0\">"

static const char *const variants[] = {
	/* 0: the base */
	V("1") "<configuration><crm_config/><nodes/><resources>"
	       "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "<primitive id=\"c\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "</resources><constraints/></configuration><status/></cib>",
	/* 1: attribute set, unset, and a new child */
	V("2") "<configuration><crm_config/><nodes/><resources>"
	       "<primitive id=\"a\" class=\"ocf\" type=\"Stateful\" provider=\"pacemaker\"/>"
	       "<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\" "
	       "description=\"x\"/>"
	       "<primitive id=\"c\" class=\"lsb\" type=\"Dummy\"/>"
	       "</resources><constraints><rsc_order id=\"o\" first=\"a\" then=\"b\"/></constraints>"
	       "</configuration><status/></cib>",
	/* 2: deletes and a reordering */
	V("3") "<configuration><crm_config/><nodes/><resources>"
	       "<primitive id=\"c\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "</resources><constraints/></configuration><status/></cib>",
	/* 3: full reversal plus insertions between */
	V("4") "<configuration><crm_config/><nodes/><resources>"
	       "<primitive id=\"x\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "<primitive id=\"c\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "<primitive id=\"y\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "</resources><constraints/></configuration><status/></cib>",
	/* 4: deep changes below a moved element, id-less elements, status */
	V("5") "<configuration><crm_config><cluster_property_set id=\"o\">"
	       "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
	       "</crm_config><nodes/><resources>"
	       "<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
	       "<operations><op id=\"b-m\" name=\"monitor\" "
	       "interval=\"10s\"/></operations></primitive>"
	       "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	       "</resources><constraints/></configuration>"
	       "<status><node_state "
	       "id=\"1\"><lrm><lrm_resources/></lrm></node_state></status></cib>",
	/* 5: sections removed */
	V("6") "<configuration><crm_config/><nodes/><resources/><constraints/></configuration></"
	       "cib>",
};

static void
test_round_trips(void **state)
{
	size_t n = sizeof(variants) / sizeof(variants[0]);

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (i != j) {
				round_trip(variants[i], variants[j], true);
				round_trip(variants[i], variants[j], false);
			}
}

static void
test_equal_is_null(void **state)
{
	xmlDoc *a = xml_from(variants[0]), *b = xml_from(variants[0]);

	(void)state;
	assert_null(pl_cib_diff_create(xmlDocGetRootElement(a), xmlDocGetRootElement(b), true));
	assert_null(pl_cib_diff_create(xmlDocGetRootElement(a), xmlDocGetRootElement(b), false));
	xmlFreeDoc(a);
	xmlFreeDoc(b);
}

static void
test_patch_shape(void **state)
{
	xmlDoc *a = xml_from(variants[0]), *b = xml_from(variants[1]);
	xmlNode *p = pl_cib_diff_create(xmlDocGetRootElement(a), xmlDocGetRootElement(b), false);
	xmlNode *first;

	(void)state;
	assert_null(pl_xml_first_child(p, "version")); /* --no-version */
	first = pl_xml_first_child(p, "change");
	assert_non_null(first);
	/* The root's version change is not in an unversioned patch. */
	PL_XML_FOREACH_CHILD(p, "change", ch)
	assert_string_not_equal(pl_xml_attr(ch, "path"), "/cib");
	xmlFreeNode(p);
	p = pl_cib_diff_create(xmlDocGetRootElement(a), xmlDocGetRootElement(b), true);
	assert_non_null(pl_xml_first_child(p, "version"));
	assert_string_equal(
	    pl_xml_attr(pl_xml_first_child(pl_xml_first_child(p, "version"), "target"), "epoch"),
	    "2");
	xmlFreeNode(p);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
}

/* A patch exactly as Pacemaker 2.1.5's crm_diff printed it. */
static const char pacemaker_patch[] =
    "<diff format=\"2\"><version>"
    "<source admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\"/>"
    "<target admin_epoch=\"0\" epoch=\"2\" num_updates=\"0\"/></version>"
    "<change operation=\"delete\" "
    "path=\"/cib/configuration/resources/primitive[@id=&apos;b&apos;]\"/>"
    "<change operation=\"modify\" path=\"/cib\"><change-list>"
    "<change-attr name=\"epoch\" operation=\"set\" value=\"2\"/></change-list>"
    "<change-result><cib validate-with=\"pacemaker-3.7\" admin_epoch=\"0\" epoch=\"2\" "
    "num_updates=\"0\"/></change-result></change>"
    "<change operation=\"modify\" "
    "path=\"/cib/configuration/resources/primitive[@id=&apos;a&apos;]\">"
    "<change-list><change-attr name=\"description\" operation=\"set\" value=\"1\"/>"
    "<change-attr name=\"provider\" operation=\"unset\"/></change-list>"
    "<change-result><primitive id=\"a\" class=\"ocf\" type=\"Dummy\" description=\"1\"/>"
    "</change-result></change>"
    "<change operation=\"create\" path=\"/cib/configuration/constraints\" position=\"0\">"
    "<rsc_location id=\"l1\" rsc=\"a\" node=\"n1\" score=\"10\"/></change>"
    "</diff>";

static void
test_pacemaker_patch(void **state)
{
	xmlDoc *a = xml_from(variants[0]), *p = xml_from(pacemaker_patch);
	struct pl_error e = PL_ERROR_INIT;
	xmlNode *root = xmlDocGetRootElement(a), *prim;

	(void)state;
	assert_int_equal(pl_cib_diff_apply(root, xmlDocGetRootElement(p), &e), 0);
	assert_null(pl_xml_find_id(root, "primitive", "b"));
	prim = pl_xml_find_id(root, "primitive", "a");
	assert_string_equal(pl_xml_attr(prim, "description"), "1");
	assert_null(pl_xml_attr(prim, "provider"));
	assert_non_null(pl_xml_find_id(root, "rsc_location", "l1"));
	assert_string_equal(pl_xml_attr(root, "epoch"), "2");
	/* Applying it again: the CIB is now newer than the patch's source. */
	assert_int_equal(pl_cib_diff_apply(root, xmlDocGetRootElement(p), &e), 103);
	xmlFreeDoc(a);
	xmlFreeDoc(p);
}

static void
test_version_mismatch(void **state)
{
	xmlDoc *a = xml_from(variants[0]), *b = xml_from(variants[1]), *c = xml_from(variants[0]);
	xmlNode *p = pl_cib_diff_create(xmlDocGetRootElement(a), xmlDocGetRootElement(b), true);
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	/* The CIB is older than the patch's source: a resync is needed (104). */
	pl_xml_set_attr(xmlDocGetRootElement(c), "epoch", "0");
	assert_int_equal(pl_cib_diff_apply(xmlDocGetRootElement(c), p, &e), 104);
	xmlFreeNode(p);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	xmlFreeDoc(c);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"<diff format=\"1\"/>",
		"<nodiff format=\"2\"/>",
		"<diff format=\"2\"><change path=\"/cib\"/></diff>",
		"<diff format=\"2\"><change operation=\"explode\" path=\"/cib\"/></diff>",
		"<diff format=\"2\"><change operation=\"create\" path=\"/cib/nope\" position=\"0\">"
		"<x/></change></diff>",
		"<diff format=\"2\"><change operation=\"create\" path=\"/cib\"/></diff>",
		"<diff format=\"2\"><change operation=\"delete\" path=\"/cib\"/></diff>",
		"<diff format=\"2\"><change operation=\"modify\" "
		"path=\"/cib/x[@id='unterminated]\"/></diff>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xmlDoc *a = xml_from(variants[0]), *p = xml_from(bad[i]);
		struct pl_error e = PL_ERROR_INIT;

		assert_int_not_equal(
		    pl_cib_diff_apply(xmlDocGetRootElement(a), xmlDocGetRootElement(p), &e), 0);
		assert_true(strlen(e.text) > 0);
		xmlFreeDoc(a);
		xmlFreeDoc(p);
	}
}

/* crm_diff's tracking (comments, attribute order): what Pacemaker 2.1.5's crm_diff prints for a
 * pair with a moved comment, a changed comment, attributes reordered and a moved element,
 * and applying it gives the new document exactly (attribute order and comments included). */
static void
test_comments_and_order(void **state)
{
	static const char old_text[] =
	    "<cib crm_feature_set=\"3.16.1\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">"
	    "<configuration><!--move me--><crm_config/><!--drop me-->"
	    "<resources><!--edit me--><primitive id=\"a\" class=\"ocf\" type=\"D\"/>"
	    "<primitive id=\"b\"/><primitive id=\"c\"/></resources></configuration></cib>";
	static const char new_text[] =
	    "<cib crm_feature_set=\"3.16.1\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">"
	    "<configuration><crm_config/>"
	    "<resources><!--edited--><primitive id=\"a\" type=\"D\" class=\"ocf\"/>"
	    "<primitive id=\"c\"/><primitive id=\"b\"/></resources><!--move me-->"
	    "</configuration></cib>";
	static const char *const want[] = {
		"delete /cib/configuration/comment 0",
		"delete /cib/configuration/comment 1",
		"delete /cib/configuration/resources/comment 0",
		"create /cib/configuration/resources 0",
		"modify /cib/configuration/resources/primitive[@id='a'] -",
		"move /cib/configuration/resources/primitive[@id='c'] 2",
		"move /cib/configuration/resources/primitive[@id='b'] 3",
		"create /cib/configuration 2",
	};
	xmlDoc *a = xml_from(old_text), *b = xml_from(new_text);
	xmlNode *p = pl_cib_diff_create_full(xmlDocGetRootElement(a), xmlDocGetRootElement(b),
	    PL_CIB_DIFF_VERSION | PL_CIB_DIFF_ATTR_MOVES);
	struct pl_error e = PL_ERROR_INIT;
	size_t n = 0;
	char *got, *expect;

	(void)state;
	assert_non_null(p);
	for (xmlNode *c = pl_xml_first_child(p, "change"); c; c = pl_xml_next_sibling(c, "change")) {
		char line[256];
		const char *pos = pl_xml_attr(c, "position");

		snprintf(line, sizeof(line), "%s %s %s", pl_xml_attr(c, "operation"),
		    pl_xml_attr(c, "path"), pos ? pos : "-");
		assert_true(n < sizeof(want) / sizeof(want[0]));
		assert_string_equal(line, want[n]);
		n++;
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	/* Without attribute moves (the CIB manager's view) the reordered primitive is no change. */
	xmlFreeNode(p);
	p = pl_cib_diff_create(xmlDocGetRootElement(a), xmlDocGetRootElement(b), true);
	for (xmlNode *c = pl_xml_first_child(p, "change"); c; c = pl_xml_next_sibling(c, "change"))
		assert_string_not_equal(pl_xml_attr(c, "operation"), "modify");
	xmlFreeNode(p);
	p = pl_cib_diff_create_full(xmlDocGetRootElement(a), xmlDocGetRootElement(b),
	    PL_CIB_DIFF_VERSION | PL_CIB_DIFF_ATTR_MOVES);
	/* the patch does not change the version: apply it without its <version> */
	{
		xmlNode *v = pl_xml_first_child(p, "version");

		xmlUnlinkNode(v);
		xmlFreeNode(v);
	}
	assert_int_equal(pl_cib_diff_apply(xmlDocGetRootElement(a), p, &e), 0);
	got = pl_xml_dump(xmlDocGetRootElement(a), false);
	expect = pl_xml_dump(xmlDocGetRootElement(b), false);
	assert_string_equal(got, expect);
	free(got);
	free(expect);
	xmlFreeNode(p);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
}

/* Through pl_cib_perform: a patch that would break the schema leaves the CIB unchanged. */
static void
test_perform_patch(void **state)
{
	struct pl_cib *cib = cib_from(variants[0]);
	struct pl_error e = PL_ERROR_INIT;
	char *before = cib_text(cib), *after;
	const char *bad = "<diff format=\"2\"><change operation=\"create\" "
			  "path=\"/cib/configuration/resources\" position=\"0\">"
			  "<primitive id=\"q\"/></change></diff>";
	const char *good = "<diff format=\"2\"><change operation=\"create\" "
			   "path=\"/cib/configuration/resources\" position=\"0\">"
			   "<primitive id=\"q\" class=\"lsb\" type=\"q\"/></change></diff>";

	(void)state;
	cib_test_env();
	assert_int_equal(cib_do(cib, PL_CIB_OP_APPLY_PATCH, NULL, NULL, bad, 0, NULL, &e), 78);
	after = cib_text(cib);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(cib_do(cib, PL_CIB_OP_APPLY_PATCH, NULL, NULL, good, 0, NULL, &e), 0);
	assert_version(cib, 0, 2, 0);
	assert_non_null(pl_xml_find_id(pl_cib_root(cib), "primitive", "q"));
	free(before);
	pl_cib_free(cib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_equal_is_null),
		cmocka_unit_test(test_patch_shape),
		cmocka_unit_test(test_pacemaker_patch),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_perform_patch),
		cmocka_unit_test(test_comments_and_order),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	pl_cib_schema_cleanup();
	return rc;
}
