/* cib_test.h - helpers shared by the lib/cib unit tests: a small valid CIB, running
 * operations from strings, and comparing documents. */
#ifndef CIB_TEST_H
#define CIB_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "paceline/cib.h"
#include "paceline/xml.h"

#define BASE_CIB                                                                                \
	"<cib validate-with=\"pacemaker-3.7\" epoch=\"3\" num_updates=\"5\" admin_epoch=\"0\" " \
	"crm_feature_set=\"3.16.1\">"                                                           \
	"<configuration><crm_config><cluster_property_set id=\"opts\">"                         \
	"<nvpair id=\"opts-stonith\" name=\"stonith-enabled\" value=\"false\"/>"                \
	"</cluster_property_set></crm_config>"                                                  \
	"<nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes>"             \
	"<resources>"                                                                           \
	"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"              \
	"<meta_attributes id=\"a-meta\"><nvpair id=\"a-meta-prio\" name=\"priority\" "          \
	"value=\"1\"/>"                                                                         \
	"</meta_attributes>"                                                                    \
	"<operations><op id=\"a-mon\" name=\"monitor\" interval=\"10s\"/></operations>"         \
	"</primitive>"                                                                          \
	"<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"             \
	"</resources>"                                                                          \
	"<constraints><rsc_location id=\"loc-a\" rsc=\"a\" node=\"n1\" "                        \
	"score=\"100\"/></constraints>"                                                         \
	"</configuration>"                                                                      \
	"<status><node_state id=\"1\" uname=\"n1\" in_ccm=\"true\" crmd=\"online\" "            \
	"join=\"member\" "                                                                      \
	"expected=\"member\"/></status></cib>"

static inline void
cib_test_env(void)
{
	const char *src = getenv("PL_TEST_SRCDIR");
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s/schemas", src ? src : ".");
	setenv("PACELINE_SCHEMA_DIR", buf, 1);
}

static inline struct pl_cib *
cib_from(const char *text)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib *cib = pl_cib_parse_string(text, &e);

	if (cib == NULL)
		fail_msg("parse: %s", e.text);
	return cib;
}

static inline char *
cib_text(const struct pl_cib *cib)
{
	return pl_xml_dump(pl_cib_root(cib), false);
}

static inline xmlDoc *
xml_from(const char *text)
{
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *d = pl_xml_parse_string(text, "test", &e);

	if (d == NULL)
		fail_msg("parse: %s", e.text);
	return d;
}

/* Run an operation with XML input given as text (NULL for none). */
static inline int
cib_do(struct pl_cib *cib, enum pl_cib_op op, const char *section, const char *xpath,
    const char *input, unsigned flags, xmlNode **out, struct pl_error *e)
{
	struct pl_cib_request req = { .op = op, .section = section, .xpath = xpath, .flags = flags };
	xmlDoc *in = input ? xml_from(input) : NULL;
	int rc;

	req.input = in ? xmlDocGetRootElement(in) : NULL;
	rc = pl_cib_perform(cib, &req, out, NULL, e);
	xmlFreeDoc(in);
	return rc;
}

static inline void
assert_version(const struct pl_cib *cib, long a, long e, long n)
{
	struct pl_cib_version v;

	pl_cib_get_version(cib, &v);
	assert_int_equal(v.admin_epoch, a);
	assert_int_equal(v.epoch, e);
	assert_int_equal(v.num_updates, n);
}

#endif
