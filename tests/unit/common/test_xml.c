/* test_xml.c - XML helpers: parse errors with location, attributes, navigation, ids, paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/score.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

static const char cib_text[] =
    "<cib epoch=\"3\">\n"					      /* 1 */
    "  <configuration>\n"					      /* 2 */
    "    <resources>\n"						      /* 3 */
    "      <primitive id=\"ip\" class=\"ocf\"/>\n"		      /* 4 */
    "      <!-- a comment -->\n"				      /* 5 */
    "      <group id=\"g\">\n"					      /* 6 */
    "        <primitive id=\"web\" interval=\"x1\"/>\n"		      /* 7 */
    "      </group>\n"						      /* 8 */
    "      <primitive id=\"db\"/>\n"				      /* 9 */
    "    </resources>\n"					      /* 10 */
    "    <constraints><rsc_location/><rsc_location/></constraints>\n" /* 11 */
    "  </configuration>\n"					      /* 12 */
    "</cib>\n";

static xmlDoc *
parse_cib(void)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_string(cib_text, "cib.xml", &err);

	assert_non_null(doc);
	assert_false(pl_error_isset(&err));
	return doc;
}

static void
test_parse_malformed(void **state)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_null(pl_xml_parse_string("<cib>\n  <a>\n  </b>\n</cib>\n", "bad.xml", &err));
	assert_int_equal(err.code, PL_EXIT_DATAERR);
	assert_non_null(strstr(err.text, "bad.xml:3:"));
	assert_non_null(strstr(err.text, "malformed XML"));
	assert_non_null(strstr(err.text, "mismatch"));

	pl_error_clear(&err);
	assert_null(pl_xml_parse_string("<cib>\n<a x=\"1>\n", NULL, &err));
	assert_int_equal(err.code, PL_EXIT_DATAERR);
	assert_true(strncmp(err.text, "<string>:", 9) == 0);

	pl_error_clear(&err);
	assert_null(pl_xml_parse_string("", "empty.xml", &err));
	assert_non_null(strstr(err.text, "empty.xml:1:"));
	assert_non_null(strstr(err.text, "empty"));

	pl_error_clear(&err);
	assert_null(pl_xml_parse_string("<a/><b/>", "two.xml", &err));
	assert_non_null(strstr(err.text, "two.xml:1:5: malformed XML: Extra content"));
}

static void
test_parse_file(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char path[] = "/tmp/pl_test_xml_XXXXXX";
	int fd = mkstemp(path);
	xmlDoc *doc;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, cib_text, sizeof(cib_text) - 1), (ssize_t)sizeof(cib_text) - 1);
	close(fd);
	doc = pl_xml_parse_file(path, &err);
	assert_non_null(doc);
	assert_string_equal(pl_xml_doc_name(pl_xml_root(doc)), path);
	xmlFreeDoc(doc);
	unlink(path);

	assert_null(pl_xml_parse_file(path, &err));
	assert_int_equal(err.code, PL_EXIT_NOINPUT);
	assert_non_null(strstr(err.text, path));
	assert_non_null(strstr(err.text, "No such file"));
}

static void
test_big_line_numbers(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	size_t lines = 70000;
	char *text = xmalloc(lines + 32);
	xmlDoc *doc;

	(void)state;
	strcpy(text, "<a>");
	memset(text + 3, '\n', lines);
	strcpy(text + 3 + lines, "<b id=\"x\"/></a>");
	doc = pl_xml_parse_string(text, "big.xml", &err);
	assert_non_null(doc);
	assert_int_equal(pl_xml_line(pl_xml_find_id(pl_xml_root(doc), "b", "x")), (long)lines + 1);
	xmlFreeDoc(doc);
	text[3 + lines + 11] = '\0'; /* cut after <b id="x"/> : unterminated <a> */
	assert_null(pl_xml_parse_string(text, "big.xml", &err));
	assert_non_null(strstr(err.text, "big.xml:70001:"));
	free(text);
}

static void
test_attributes(void **state)
{
	xmlDoc *doc = parse_cib();
	xmlNode *root = pl_xml_root(doc);
	const char *before;
	long long v;

	(void)state;
	assert_string_equal(pl_xml_attr(root, "epoch"), "3");
	assert_null(pl_xml_attr(root, "missing"));
	assert_null(pl_xml_attr(NULL, "epoch"));
	before = pl_xml_attr(root, "epoch");
	assert_ptr_equal(before, pl_xml_attr(root, "epoch")); /* a pointer into the tree */

	pl_xml_set_attr(root, "epoch", "4");
	assert_string_equal(pl_xml_attr(root, "epoch"), "4");
	pl_xml_set_attr(root, "odd", "a&b<c\"d");
	assert_string_equal(pl_xml_attr(root, "odd"), "a&b<c\"d");
	pl_xml_set_attr_int(root, "n", -42);
	assert_true(pl_xml_attr_int(root, "n", 0, &v, NULL));
	assert_int_equal(v, -42);
	assert_true(pl_xml_unset_attr(root, "n"));
	assert_false(pl_xml_unset_attr(root, "n"));
	pl_xml_set_attr(root, "odd", NULL);
	assert_null(pl_xml_attr(root, "odd"));
	xmlFreeDoc(doc);
}

static void
test_attr_int_errors(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = parse_cib();
	xmlNode *web = pl_xml_find_id(pl_xml_root(doc), NULL, "web");
	long long v = 7;

	(void)state;
	assert_true(pl_xml_attr_int(web, "absent", 99, &v, &err));
	assert_int_equal(v, 99);
	assert_false(pl_xml_attr_int(web, "interval", 0, &v, &err));
	assert_int_equal(err.code, PL_EXIT_CONFIG);
	assert_string_equal(err.text,
	    "cib.xml:7: /cib/configuration/resources/group[@id='g']"
	    "/primitive[@id='web']: attribute interval='x1' is not an integer");
	pl_xml_set_attr(web, "interval", "99999999999999999999");
	assert_false(pl_xml_attr_int(web, "interval", 0, &v, &err));
	pl_xml_set_attr(web, "interval", " 12 ");
	assert_true(pl_xml_attr_int(web, "interval", 0, &v, &err));
	assert_int_equal(v, 12);
	xmlFreeDoc(doc);
}

static void
test_attr_interval(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = parse_cib();
	xmlNode *web = pl_xml_find_id(pl_xml_root(doc), NULL, "web");
	uint64_t ms = 5;

	(void)state;
	assert_true(pl_xml_attr_interval_ms(web, "timeout", 20000, &ms, &err));
	assert_int_equal(ms, 20000);
	pl_xml_set_attr(web, "timeout", "PT1M");
	assert_true(pl_xml_attr_interval_ms(web, "timeout", 20000, &ms, &err));
	assert_int_equal(ms, 60000);
	assert_false(pl_xml_attr_interval_ms(web, "interval", 0, &ms, &err));
	assert_int_equal(err.code, PL_EXIT_CONFIG);
	assert_string_equal(err.text,
	    "cib.xml:7: /cib/configuration/resources/group[@id='g']"
	    "/primitive[@id='web']: attribute interval='x1': invalid interval 'x1': "
	    "expected a number with an optional unit (ms, s, min, h) or an ISO 8601 "
	    "duration");
	assert_int_equal(ms, 60000);
	xmlFreeDoc(doc);
}

static void
test_navigation(void **state)
{
	xmlDoc *doc = parse_cib();
	xmlNode *conf = pl_xml_first_child(pl_xml_root(doc), "configuration");
	xmlNode *rscs = pl_xml_first_child(conf, "resources");
	const char *seen[4] = { 0 };
	size_t n = 0;

	(void)state;
	assert_non_null(rscs);
	assert_null(pl_xml_first_child(conf, "nodes"));
	PL_XML_FOREACH_CHILD(rscs, "primitive", p)
	seen[n++] = pl_xml_id(p);
	assert_int_equal(n, 2);
	assert_string_equal(seen[0], "ip");
	assert_string_equal(seen[1], "db");
	assert_int_equal(pl_xml_count_children(rscs, NULL), 3); /* the comment is skipped */
	assert_int_equal(pl_xml_count_children(rscs, "group"), 1);
	assert_string_equal(
	    pl_xml_name(pl_xml_next_sibling(pl_xml_first_child(rscs, NULL), NULL)), "group");
	assert_true(pl_xml_is(rscs, "resources"));
	assert_false(pl_xml_is(rscs, "primitive"));
	assert_int_equal(pl_xml_line(rscs), 3);
	xmlFreeDoc(doc);
}

static void
test_find_and_index(void **state)
{
	xmlDoc *doc = parse_cib();
	xmlNode *root = pl_xml_root(doc);
	GHashTable *index;
	size_t dups = 99;
	xmlNode *web;

	(void)state;
	web = pl_xml_find_id(root, NULL, "web");
	assert_non_null(web);
	assert_int_equal(pl_xml_line(web), 7);
	assert_ptr_equal(pl_xml_find_id(root, "primitive", "db"), pl_xml_find_id(root, NULL, "db"));
	assert_null(pl_xml_find_id(root, "group", "db"));
	assert_null(pl_xml_find_id(root, NULL, "nope"));
	assert_null(pl_xml_find_id(pl_xml_find_id(root, NULL, "g"), NULL, "db")); /* outside */

	index = pl_xml_index_ids(root, &dups);
	assert_int_equal(g_hash_table_size(index), 4);
	assert_int_equal(dups, 0);
	assert_ptr_equal(g_hash_table_lookup(index, "web"), web);
	g_hash_table_destroy(index);

	pl_xml_set_attr(pl_xml_find_id(root, NULL, "db"), "id", "ip");
	index = pl_xml_index_ids(root, &dups);
	assert_int_equal(dups, 1);
	assert_int_equal(pl_xml_line(g_hash_table_lookup(index, "ip")), 4); /* first wins */
	g_hash_table_destroy(index);
	xmlFreeDoc(doc);
}

static void
test_paths(void **state)
{
	xmlDoc *doc = parse_cib();
	xmlNode *cons = pl_xml_first_child(pl_xml_first_child(pl_xml_root(doc), NULL), "constraints");
	xmlNode *second = pl_xml_next_sibling(pl_xml_first_child(cons, NULL), NULL);
	char *p;

	(void)state;
	p = pl_xml_path(second);
	assert_string_equal(p, "/cib/configuration/constraints/rsc_location[2]");
	free(p);
	p = pl_xml_path(pl_xml_root(doc));
	assert_string_equal(p, "/cib");
	free(p);
	xmlFreeDoc(doc);
}

static void
test_dump_and_copy(void **state)
{
	xmlDoc *doc = pl_xml_new_doc("cib");
	xmlNode *root = pl_xml_root(doc);
	xmlNode *child = pl_xml_add_child(root, "status");
	xmlDoc *copy;
	char *s;

	(void)state;
	pl_xml_set_attr(child, "x", "<&>");
	s = pl_xml_dump(root, false);
	assert_string_equal(s, "<cib><status x=\"&lt;&amp;&gt;\"/></cib>");
	free(s);
	s = pl_xml_dump(root, true);
	assert_string_equal(s, "<cib>\n  <status x=\"&lt;&amp;&gt;\"/>\n</cib>\n");
	free(s);

	copy = pl_xml_copy_doc(root);
	pl_xml_set_attr(child, "x", "changed");
	assert_string_equal(pl_xml_attr(pl_xml_first_child(pl_xml_root(copy), "status"), "x"), "<&>");
	xmlFreeDoc(copy);
	xmlFreeDoc(doc);

	doc = parse_cib();
	copy = pl_xml_copy_doc(pl_xml_find_id(pl_xml_root(doc), NULL, "g"));
	assert_string_equal(pl_xml_name(pl_xml_root(copy)), "group");
	assert_string_equal(pl_xml_doc_name(pl_xml_root(copy)), "cib.xml");
	xmlFreeDoc(copy);
	xmlFreeDoc(doc);
}

static void
test_error_without_line(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_new_doc("cib");

	(void)state;
	pl_xml_error_set(&err, PL_EXIT_CONFIG, pl_xml_root(doc), "bad %s", "thing");
	assert_string_equal(err.text, "<memory>: /cib: bad thing");
	xmlFreeDoc(doc);
}

/* A bad score is refused with the file, line and element it sits on. */
static void
test_attr_score(void **state)
{
	static const char cib[] =
	    "<cib>\n"
	    "  <constraints>\n"
	    "    <rsc_location id=\"l1\" rsc=\"a\" node=\"n1\" score=\"-INFINITY\"/>\n"
	    "    <rsc_location id=\"l2\" rsc=\"a\" node=\"n1\" score=\"lots\"/>\n"
	    "    <rsc_location id=\"l3\" rsc=\"a\" node=\"n1\" score=\" 12abc\"/>\n"
	    "  </constraints>\n"
	    "</cib>\n";
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_string(cib, "cib.xml", &err);
	xmlNode *root = pl_xml_root(doc);
	int score = 0;

	(void)state;
	assert_true(pl_xml_attr_score(pl_xml_find_id(root, NULL, "l1"), "score", 0, &score, &err));
	assert_int_equal(score, -PL_SCORE_INFINITY);
	assert_true(pl_xml_attr_score(pl_xml_find_id(root, NULL, "l1"), "absent", 7, &score, &err));
	assert_int_equal(score, 7);
	assert_false(pl_xml_attr_score(pl_xml_find_id(root, NULL, "l2"), "score", 0, &score, &err));
	assert_int_equal(err.code, PL_EXIT_CONFIG);
	assert_string_equal(err.text,
	    "cib.xml:4: /cib/constraints/rsc_location[@id='l2']: attribute score='lots': "
	    "invalid score 'lots': expected an integer, INFINITY, +INFINITY or -INFINITY");
	pl_error_clear(&err);
	assert_false(pl_xml_attr_score(pl_xml_find_id(root, NULL, "l3"), "score", 0, &score, &err));
	assert_non_null(strstr(err.text, "cib.xml:5: "));
	xmlFreeDoc(doc);
}

static void
test_score_strict(void **state)
{
	static const char *const good[] = { "0", "-5", "+12", " 42 ", "INFINITY", "+infinity",
		"-INFINITY", "99999999999" };
	static const char *const bad[] = { "", " ", "lots", "12abc", "1.5", "--1", "INF", "+" };
	struct pl_error err = PL_ERROR_INIT;
	int v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(pl_score_parse_strict(good[i], &v, NULL));
	assert_true(pl_score_parse_strict("99999999999", &v, NULL));
	assert_int_equal(v, PL_SCORE_INFINITY);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pl_error_clear(&err);
		assert_false(pl_score_parse_strict(bad[i], &v, &err));
		assert_int_equal(err.code, PL_EXIT_CONFIG);
		assert_non_null(strstr(err.text, "invalid score '"));
	}
	assert_false(pl_score_parse_strict(NULL, &v, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_attr_score),
		cmocka_unit_test(test_score_strict),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_big_line_numbers),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_attr_int_errors),
		cmocka_unit_test(test_attr_interval),
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_find_and_index),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_dump_and_copy),
		cmocka_unit_test(test_error_without_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
