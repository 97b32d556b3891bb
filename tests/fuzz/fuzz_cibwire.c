/* fuzz_cibwire.c - the messages paceline-cib replicas exchange (cib/wire.c), as they arrive
 * from the membership group. Oracle: a decoded message re-encodes to bytes that decode and
 * re-encode identically; an UPDATE's input XML is parsed as cib/repl.c does. */
#include <string.h>

#include "paceline/error.h"
#include "paceline/xml.h"
#include "wire.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	struct cib_wire m, m2;
	struct pl_pack p = PL_PACK_INIT, p2 = PL_PACK_INIT;

	if (!cib_wire_decode(data, size, &m, &err)) {
		FUZZ_CHECK(err.text[0] != '\0');
		return 0;
	}
	if (m.kind == CIB_WIRE_UPDATE && m.input != NULL && *m.input != '\0') {
		xmlDoc *d = pl_xml_parse_string(m.input, "update", &err);

		if (d)
			xmlFreeDoc(d);
	}
	cib_wire_encode(&p, &m);
	FUZZ_CHECK(cib_wire_decode(p.data, p.len, &m2, &err));
	cib_wire_encode(&p2, &m2);
	FUZZ_CHECK(p.len == p2.len && memcmp(p.data, p2.data, p.len) == 0);
	pl_pack_free(&p);
	pl_pack_free(&p2);
	return 0;
}
