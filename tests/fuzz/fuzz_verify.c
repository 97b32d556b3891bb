/* fuzz_verify.c - crm_verify's path: parse, RelaxNG validation with every message, then the
 * scheduler and its checks (pl_pengine_verify) on whatever parsed into a CIB. */
#include <stdlib.h>

#include "paceline/cib.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_memory((const char *)data, size, "fuzz.xml", &err);
	struct pl_pengine_verify_result res;
	char *messages = NULL;

	if (doc == NULL) {
		FUZZ_CHECK(err.code != 0 && err.text[0] != '\0');
		return 0;
	}
	pl_cib_validate_all(doc, &messages);
	free(messages);
	struct pl_pengine_opts o = { 0 };
	struct pl_pengine_run *run = pl_pengine_run(doc, &o, &err);
	if (run == NULL) { /* not a CIB the scheduler can read: said so */
		FUZZ_CHECK(err.code != 0 && err.text[0] != '\0');
		xmlFreeDoc(doc);
		return 0;
	}
	pl_pengine_verify(run, &res);
	for (size_t i = 0; i < res.n_msgs; i++)
		FUZZ_CHECK(res.msgs[i].text != NULL);
	pl_pengine_verify_result_free(&res);
	pl_pengine_free(run);
	xmlFreeDoc(doc);
	return 0;
}
