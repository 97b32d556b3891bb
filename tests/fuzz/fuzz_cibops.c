/* fuzz_cibops.c - cibadmin's file mode through lib/cib: the input is the XML of one request
 * (create, modify, replace, delete, apply-patch; section or XPath chosen by its first byte)
 * applied to a small valid CIB with validation on; then a diff round trip (the patchset of
 * an applied update must apply to the old CIB and give the new one). */
#include <stdlib.h>
#include <string.h>

#include "paceline/cib.h"
#include "paceline/error.h"
#include "paceline/xml.h"
#include "fuzz.h"

static const char base[] =
    "<cib validate-with=\"pacemaker-3.7\" epoch=\"5\" num_updates=\"1\" admin_epoch=\"0\">"
    "<configuration><crm_config><cluster_property_set id=\"o\"><nvpair id=\"o-s\" "
    "name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config>"
    "<nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes><resources>"
    "<primitive id=\"d\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"><operations>"
    "<op id=\"d-m\" name=\"monitor\" interval=\"10s\"/></operations></primitive>"
    "<group id=\"g\"><primitive id=\"g1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "</group></resources><constraints><rsc_location id=\"l\" rsc=\"d\" node=\"n1\" "
    "score=\"10\"/></constraints></configuration><status><node_state id=\"1\" uname=\"n1\" "
    "in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/></status></cib>";

static const char *const sections[] = { NULL, "configuration", "resources", "constraints", "nodes",
	"crm_config", "status", "op_defaults" };
static const char *const xpaths[] = { "//primitive[@id='d']", "//resources", "/cib/status",
	"//*[@id='g']", "//op", "//nvpair" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_cib *cib;
	xmlDoc *in;
	xmlNode *out = NULL, *patch = NULL;
	uint8_t sel;
	int rc;

	if (size < 1)
		return 0;
	sel = data[0];
	in = pl_xml_parse_memory((const char *)data + 1, size - 1, "input", &err);
	if (in == NULL)
		return 0;
	cib = pl_cib_parse_string(base, &err);
	FUZZ_CHECK(cib != NULL);
	struct pl_cib_request req = {
		.op = (enum pl_cib_op)(PL_CIB_OP_CREATE + sel % 4),
		.input = pl_xml_root(in),
		.flags = (sel >> 5) & (PL_CIB_F_ALLOW_CREATE | PL_CIB_F_ALL_MATCHES),
	};
	if (sel & 0x80)
		req.xpath = xpaths[(sel >> 2) % 6];
	else
		req.section = sections[(sel >> 2) % 8];
	if (pl_xml_is(pl_xml_root(in), "diff"))
		req.op = PL_CIB_OP_APPLY_PATCH;
	xmlDoc *before = xmlCopyDoc(pl_cib_doc(cib), 1);
	rc = pl_cib_perform(cib, &req, &out, &patch, &err);
	FUZZ_CHECK(rc == 0 || err.text[0] != '\0');
	if (rc == 0 && patch != NULL) {
		/* the patchset replays on the old CIB */
		struct pl_error perr = PL_ERROR_INIT;
		xmlNode *old = xmlDocGetRootElement(before);

		FUZZ_CHECK(pl_cib_diff_apply(old, patch, &perr) == 0);
		FUZZ_CHECK(pl_cib_diff_create(old, pl_cib_root(cib), false) == NULL);
	}
	if (rc == 0) {
		/* what was accepted serializes and parses back */
		char *text = pl_xml_dump(pl_cib_root(cib), false);
		xmlDoc *again = pl_xml_parse_string(text, "again", &err);

		FUZZ_CHECK(again != NULL);
		xmlFreeDoc(again);
		free(text);
	}
	xmlFreeNode(out);
	xmlFreeNode(patch);
	xmlFreeDoc(before);
	pl_cib_free(cib);
	xmlFreeDoc(in);
	return 0;
}
