/* fuzz_verify.c - crm_verify's path: parse, RelaxNG validation with every message, then the
 * checks of lib/cib (pl_cib_verify) on whatever parsed. */
#include <stdlib.h>

#include "paceline/cib.h"
#include "paceline/error.h"
#include "paceline/xml.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_memory((const char *)data, size, "fuzz.xml", &err);
	struct pl_cib_verify_result res;
	char *messages = NULL;

	if (doc == NULL) {
		FUZZ_CHECK(err.code != 0 && err.text[0] != '\0');
		return 0;
	}
	pl_cib_validate_all(doc, &messages);
	free(messages);
	pl_cib_verify(pl_xml_root(doc), &res);
	for (size_t i = 0; i < res.n_msgs; i++)
		FUZZ_CHECK(res.msgs[i].text != NULL);
	pl_cib_verify_result_free(&res);
	xmlFreeDoc(doc);
	return 0;
}
