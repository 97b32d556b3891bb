/* fuzz_crmmon.c - crm_mon's rendering: a CIB (as CIB_file or the daemon gives it) through
 * lib/pengine's status-only unpacking, then the text, XML and HTML views with display options
 * chosen by the input (sections, -r, -n, -t, -R, pending, -b, --node, --resource), as
 * tools/crm_mon renders them.
 *
 * Input: [u8 options][u8 options][CIB XML], or a plain CIB (starting with '<': every section). Oracle: no crash or sanitizer report; a refused
 * CIB says why; the XML view is well-formed XML whose root is <pacemaker-result> (crm_mon's
 * XML goes to programs: pcs and crmsh parse it). */
#include <string.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "crm_mon.h"
#include "fuzz.h"

static const char *const names[] = { NULL, "n1", "node1", "rsc1", "g", "dummy", "node2" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_opts po = { .status_only = true, .now = 1700000000 };
	struct pl_pengine_run *run;
	struct mon m;
	struct pl_buf text = PL_BUF_INIT, xml = PL_BUF_INIT, html = PL_BUF_INIT;
	xmlDoc *doc, *out;
	uint8_t a, b;

	if (size < 2)
		return 0;
	if (data[0] == '<') {
		a = 1, b = 0;
	} else {
		a = data[0], b = data[1];
		data += 2, size -= 2;
	}
	doc = pl_xml_parse_memory((const char *)data, size, "fuzz.xml", &err);
	if (doc == NULL) {
		FUZZ_CHECK(err.code != 0 && err.text[0] != '\0');
		return 0;
	}
	run = pl_pengine_run(doc, &po, &err);
	if (run == NULL) {
		FUZZ_CHECK(err.code != 0 && err.text[0] != '\0'); /* refused: says why */
		xmlFreeDoc(doc);
		return 0;
	}
	memset(&m, 0, sizeof(m));
	m.format = MON_HTML;
	m.interval = 5;
	m.opts.show = (a & 1) ? ~0u : (unsigned)(a | b << 8) & 0x1fff;
	m.opts.inactive = a & 2;
	m.opts.by_node = a & 4;
	m.opts.timing = a & 8;
	m.opts.details = a & 16;
	m.opts.pending = a & 32;
	m.opts.brief = a & 64;
	m.opts.now = 1700000000;
	m.opts.only_node = names[(b >> 5) % 7];
	m.opts.only_rsc = names[(b >> 2) % 7 == 1 ? 3 : (b >> 2) % 7];
	m.opts.request = "crm_mon -1 --output-as=xml";
	pl_pengine_mon_text(run, &m.opts, &text);
	pl_pengine_mon_xml(run, &m.opts, &xml);
	mon_html(&m, run, &html);
	out = pl_xml_parse_memory(xml.s, xml.len, "crm_mon XML", &err);
	if (out == NULL)
		fprintf(stderr, "crm_mon XML does not parse: %s\n", err.text);
	FUZZ_CHECK(out != NULL);
	FUZZ_CHECK(strcmp((const char *)pl_xml_root(out)->name, "pacemaker-result") == 0);
	xmlFreeDoc(out);
	pl_buf_free(&text);
	pl_buf_free(&xml);
	pl_buf_free(&html);
	pl_pengine_free(run);
	xmlFreeDoc(doc);
	return 0;
}
