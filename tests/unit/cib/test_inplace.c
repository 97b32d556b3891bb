/* test_inplace.c - a modify runs in place on the live document with an undo log
 * (lib/cib/cib_undo.c). Every seeded random modify (status and configuration, new and
 * existing elements, increments, schema refusals, version refusals, no-ops; 1500 of them) is
 * run twice:
 * in place (section form) and through the copy path (the same modify in XPath form, which
 * copies the document and diffs the two copies). Both must give the same exit code, the
 * same document byte for byte, the same versioned patchset; a refusal must leave the CIB
 * exactly as it was. */
#include "cib_test.h"

static unsigned long rng_state;

static unsigned
rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

/* One random modify: its section, the same target as an XPath, and the input XML. */
struct mod {
	const char *section, *xpath;
	char xml[2048];
};

static void
random_status(struct mod *m)
{
	static const char *const joins[] = { "member", "down", "pending", "banned" };
	unsigned node = 1 + rnd(4), n = 0;
	size_t len = sizeof(m->xml);
	char *p = m->xml;

	m->section = "status";
	m->xpath = "/cib/status";
	n = (unsigned)snprintf(p, len, "<node_state id=\"%u\"", node);
	if (rnd(2))
		n += (unsigned)snprintf(p + n, len - n, " uname=\"n%u\"", node);
	if (rnd(2))
		n += (unsigned)snprintf(p + n, len - n, " join=\"%s\"", joins[rnd(4)]);
	if (rnd(2))
		n += (unsigned)snprintf(p + n, len - n, " crm-debug-origin=\"u%u\"", rnd(3));
	if (rnd(8) == 0)
		n += (unsigned)snprintf(p + n, len - n, " in_ccm=\"%s\"", rnd(2) ? "true" : "maybe?");
	n += (unsigned)snprintf(p + n, len - n, ">");
	if (rnd(2)) {
		unsigned rsc = rnd(3);

		n += (unsigned)snprintf(p + n, len - n,
		    "<lrm id=\"%u\"><lrm_resources><lrm_resource id=\"r%u\" class=\"ocf\" "
		    "provider=\"heartbeat\" type=\"Dummy\"><lrm_rsc_op id=\"r%u_last_0\" "
		    "operation=\"%s\" call-id=\"%u\" rc-code=\"%u\"%s/></lrm_resource>"
		    "</lrm_resources></lrm>",
		    node, rsc, rsc, rnd(2) ? "start" : "monitor", rnd(50), rnd(8),
		    rnd(10) == 0 ? " bogus-attr-missing-op=\"x\" operation-missing=\"\"" : "");
	}
	if (rnd(3) == 0)
		n += (unsigned)snprintf(p + n, len - n,
		    "<transient_attributes id=\"%u\"><instance_attributes id=\"status-%u\">"
		    "<nvpair id=\"status-%u-fail\" name=\"fail-count\" value=\"%s\"/>"
		    "</instance_attributes></transient_attributes>",
		    node, node, node, rnd(2) ? "value++" : "3");
	snprintf(p + n, len - n, "</node_state>");
}

static void
random_config(struct mod *m)
{
	unsigned k = rnd(6);

	if (k == 0) {
		m->section = NULL; /* the whole CIB: root attributes */
		m->xpath = "/cib";
		snprintf(m->xml, sizeof(m->xml), "<cib %s/>",
		    rnd(4) == 0 ? "epoch=\"1\"" : (rnd(2) ? "dc-uuid=\"2\"" : "have-quorum=\"1\""));
		return;
	}
	m->section = "resources";
	m->xpath = "/cib/configuration/resources";
	if (k == 1)
		snprintf(m->xml, sizeof(m->xml), "<primitive id=\"%c\" class=\"%s\"/>",
		    'a' + rnd(3), rnd(5) ? "ocf" : "bogus");
	else if (k == 2)
		snprintf(m->xml, sizeof(m->xml),
		    "<primitive id=\"a\"><meta_attributes id=\"a-meta\"><nvpair id=\"a-meta-prio\" "
		    "name=\"priority\" value=\"%s\"/></meta_attributes></primitive>",
		    rnd(2) ? "value++" : "7");
	else
		snprintf(m->xml, sizeof(m->xml), "<primitive id=\"%c\" description=\"d%u\"/>",
		    'a' + rnd(3), rnd(3));
}

static char *
dump_or_null(xmlNode *n)
{
	return n ? pl_xml_dump(n, false) : strdup("(none)");
}

static void
run_both(struct pl_cib *a, struct pl_cib *b, const struct mod *m, unsigned flags, int *codes)
{
	struct pl_error ea = PL_ERROR_INIT, eb = PL_ERROR_INIT;
	xmlDoc *in = xml_from(m->xml);
	struct pl_cib_request ra = { .op = PL_CIB_OP_MODIFY,
		.section = m->section,
		.flags = flags,
		.client = "test",
		.origin = "n1",
		.user = "root",
		.when = 1 };
	struct pl_cib_request rb = ra;
	xmlNode *pa = NULL, *pb = NULL;
	char *before = cib_text(a), *ta, *tb, *da, *db;
	int rca, rcb;

	ra.input = rb.input = xmlDocGetRootElement(in);
	rb.section = NULL;
	rb.xpath = m->xpath;
	rca = pl_cib_perform(a, &ra, NULL, &pa, &ea);
	rcb = pl_cib_perform(b, &rb, NULL, &pb, &eb);
	ta = cib_text(a);
	tb = cib_text(b);
	da = dump_or_null(pa);
	db = dump_or_null(pb);
	if (rca != rcb || strcmp(ta, tb) != 0 || strcmp(da, db) != 0)
		fail_msg("input %s (section %s): in place rc %d, copy rc %d\n"
			 "in place: %s\npatch %s\ncopy:     %s\npatch %s",
		    m->xml, m->section ? m->section : "-", rca, rcb, ta, da, tb, db);
	if (rca != 0)
		assert_string_equal(before, ta); /* refused: exactly as it was */
	codes[rca == 0 ? 0 : rca == 78 ? 1 : 2]++;
	free(before);
	free(ta);
	free(tb);
	free(da);
	free(db);
	xmlFreeNode(pa);
	xmlFreeNode(pb);
	xmlFreeDoc(in);
}

static void
test_random_modifies(void **state)
{
	struct pl_cib *a = cib_from(BASE_CIB), *b = cib_from(BASE_CIB);
	int codes[3] = { 0, 0, 0 }; /* applied, schema refusals, other refusals */

	(void)state;
	rng_state = 20261203;
	for (int i = 0; i < 1500; i++) {
		struct mod m;

		if (rnd(3) == 0)
			random_config(&m);
		else
			random_status(&m);
		run_both(a, b, &m, rnd(2) ? PL_CIB_F_ALLOW_CREATE : 0, codes);
	}
	/* The run exercised every outcome. */
	assert_true(codes[0] > 500);
	assert_true(codes[1] > 10);
	assert_true(codes[2] > 10);
	pl_cib_free(a);
	pl_cib_free(b);
}

/* A refused update that had added children and changed attributes at several levels (root
 * counters included) leaves the document byte for byte as it was, attribute order too. */
static void
test_rollback_exact(void **state)
{
	struct pl_cib *cib = cib_from(BASE_CIB);
	struct pl_error e = PL_ERROR_INIT;
	char *before = cib_text(cib), *after;
	const char *bad = "<status><node_state id=\"1\" join=\"down\" zz=\"1\" uname=\"x\">"
			  "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"b\"><lrm_rsc_op "
			  "id=\"b_last_0\" call-id=\"2\"/></lrm_resource></lrm_resources></lrm>"
			  "</node_state><node_state id=\"9\"/></status>";

	(void)state;
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "status", NULL, bad, 0, NULL, &e), 78);
	after = cib_text(cib);
	assert_string_equal(before, after);
	free(after);
	/* an update that changes nothing: no new version, same text */
	assert_int_equal(cib_do(cib, PL_CIB_OP_MODIFY, "status", NULL,
			     "<node_state id=\"1\" uname=\"n1\"/>", 0, NULL, &e),
	    0);
	after = cib_text(cib);
	assert_string_equal(before, after);
	free(after);
	free(before);
	pl_cib_free(cib);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_modifies),
		cmocka_unit_test(test_rollback_exact),
	};

	cib_test_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
