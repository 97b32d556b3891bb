/* test_xml_limits.c - hostile XML is refused at the parser (issue 17, defects 1-3): a DOCTYPE
 * (entities, billion laughs) with its line, nesting past PL_XML_MAX_DEPTH with the element's
 * name and line; nesting at the limit parses, and every tree walk copes with it. */
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
#include "paceline/mtime.h"
#include "paceline/xml.h"

/* <e><e>...</e></e>, `levels` deep, the innermost on line 2. */
static char *
nested(int levels, const char *name)
{
	struct pl_buf b = PL_BUF_INIT;

	for (int i = 0; i < levels; i++)
		pl_buf_addf(&b, "%s<%s id=\"n%d\">", i == levels - 1 ? "\n" : "", name, i);
	for (int i = 0; i < levels; i++)
		pl_buf_addf(&b, "</%s>", name);
	return pl_buf_steal(&b);
}

static void
test_depth_at_limit_parses(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char *text = nested(PL_XML_MAX_DEPTH, "rule");
	xmlDoc *doc = pl_xml_parse_string(text, "deep.xml", &err);

	(void)state;
	assert_non_null(doc);
	assert_int_equal(pl_xml_depth(pl_xml_root(doc)), PL_XML_MAX_DEPTH);
	/* the walks over such a tree: copy, dump, path of the innermost element */
	xmlDoc *copy = pl_xml_copy_doc(pl_xml_root(doc));
	assert_int_equal(pl_xml_depth(pl_xml_root(copy)), PL_XML_MAX_DEPTH);
	free(pl_xml_dump(pl_xml_root(copy), true));
	xmlFreeDoc(copy);
	free(text);
	xmlFreeDoc(doc);
}

static void
test_depth_past_limit_refused(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char *text = nested(PL_XML_MAX_DEPTH + 1, "rule");

	(void)state;
	assert_null(pl_xml_parse_string(text, "deep.xml", &err));
	assert_int_equal(err.code, PL_EXIT_DATAERR);
	assert_string_equal(err.text,
	    "deep.xml:2: refused XML: element <rule> is nested deeper "
	    "than 256 levels");
	free(text);
}

static void
test_very_deep_refused_fast(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char *text = nested(100000, "a");
	uint64_t t0 = pl_mono_ms();

	(void)state;
	assert_null(pl_xml_parse_string(text, "deep.xml", &err));
	assert_true(pl_mono_ms() - t0 < 1000);
	assert_non_null(strstr(err.text, "nested deeper than 256 levels"));
	free(text);
}

static void
test_doctype_refused(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *text = "<?xml version=\"1.0\"?>\n<!DOCTYPE cib [\n<!ENTITY e \"x\">\n]>\n"
			   "<cib><configuration description=\"&e;\"/></cib>\n";

	(void)state;
	assert_null(pl_xml_parse_string(text, "input", &err));
	assert_int_equal(err.code, PL_EXIT_DATAERR);
	assert_non_null(strstr(err.text,
	    "input:2: refused XML: document type declarations are "
	    "not accepted (<!DOCTYPE cib>)"));
	/* an external one too */
	pl_error_clear(&err);
	assert_null(pl_xml_parse_string("<!DOCTYPE cib SYSTEM \"cib.dtd\"><cib/>", "x", &err));
	assert_non_null(strstr(err.text, "DOCTYPE"));
}

static void
test_billion_laughs_refused_fast(void **state)
{
	struct pl_buf b = PL_BUF_INIT;
	struct pl_error err = PL_ERROR_INIT;
	uint64_t t0;

	(void)state;
	pl_buf_add(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE q [\n<!ENTITY l0 \"lol\">\n");
	for (int i = 1; i < 30; i++) {
		pl_buf_addf(&b, "<!ENTITY l%d \"", i);
		for (int k = 0; k < 10; k++)
			pl_buf_addf(&b, "&l%d;", i - 1);
		pl_buf_add(&b, "\">\n");
	}
	pl_buf_add(&b, "]>\n<q a=\"&l29;\">&l29;</q>\n");
	t0 = pl_mono_ms();
	assert_null(pl_xml_parse_string(pl_buf_str(&b), "laughs", &err));
	assert_true(pl_mono_ms() - t0 < 100);
	assert_non_null(strstr(err.text, "DOCTYPE"));
	pl_buf_free(&b);
}

static void
test_undeclared_entity_refused(void **state)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_null(pl_xml_parse_string("<cib a=\"&e;\"/>", "x", &err));
	assert_int_equal(err.code, PL_EXIT_DATAERR);
	/* the five predefined ones and character references stay */
	xmlDoc *doc = pl_xml_parse_string("<cib a=\"&lt;&amp;&#65;\"/>", "x", &err);
	assert_non_null(doc);
	assert_string_equal(pl_xml_attr(pl_xml_root(doc), "a"), "<&A");
	xmlFreeDoc(doc);
}

static void
test_depth_of(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc =
	    pl_xml_parse_string("<a><b><c/></b><b/><d><e><f><g/></f></e></d><h/></a>", "x", &err);

	(void)state;
	assert_int_equal(pl_xml_depth(pl_xml_root(doc)), 5);
	assert_int_equal(pl_xml_depth(pl_xml_first_child(pl_xml_root(doc), "b")), 2);
	assert_int_equal(pl_xml_depth(NULL), 0);
	xmlFreeDoc(doc);
}

/* The parser context is reused by each thread after a clean parse (lib/common/xml.c): the
 * refusals still hold on a reused one, a context that refused is not reused in a bad state,
 * and line numbers restart with each document. */
static void
test_reused_context(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc;
	char *deep = nested(PL_XML_MAX_DEPTH + 1, "e");

	(void)state;
	for (int i = 0; i < 3; i++) {
		doc = pl_xml_parse_string("<a>\n<b/>\n</a>", "x", &err);
		assert_non_null(doc);
		assert_int_equal(pl_xml_line(pl_xml_first_child(xmlDocGetRootElement(doc), "b")), 2);
		xmlFreeDoc(doc);
		assert_null(pl_xml_parse_string("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "x", &err));
		assert_non_null(strstr(err.text, "DOCTYPE"));
		doc = pl_xml_parse_string("<c/>", "x", &err);
		assert_non_null(doc);
		xmlFreeDoc(doc);
		assert_null(pl_xml_parse_string(deep, "x", &err));
		assert_non_null(strstr(err.text, "nested deeper"));
		assert_null(pl_xml_parse_string("<a><b></a>", "x", &err));
		assert_non_null(strstr(err.text, "x:1"));
	}
	free(deep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depth_at_limit_parses),
		cmocka_unit_test(test_depth_past_limit_refused),
		cmocka_unit_test(test_very_deep_refused_fast),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_billion_laughs_refused_fast),
		cmocka_unit_test(test_undeclared_entity_refused),
		cmocka_unit_test(test_depth_of),
		cmocka_unit_test(test_reused_context),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
