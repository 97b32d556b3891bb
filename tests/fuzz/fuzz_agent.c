/* fuzz_agent.c - what agents print: meta-data XML (parsed as every consumer does), the
 * "ocf-exit-reason:" line taken from stderr, and the meta-data lrmd synthesises from an LSB
 * script's INIT INFO block, which must always be well-formed XML whatever the script says. */
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/xml.h"
#include "agents.h"
#include "exec.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_memory((const char *)data, size, "meta-data", &err);
	char *text, *reason, *md;

	if (doc)
		xmlFreeDoc(doc);
	text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	reason = lrmd_parse_exit_reason(text);
	if (reason != NULL)
		FUZZ_CHECK(strchr(reason, '\n') == NULL);
	free(reason);
	md = lrmd_agents_lsb_metadata("fuzz", text);
	if (md != NULL) {
		pl_error_clear(&err);
		doc = pl_xml_parse_string(md, "synthesised meta-data", &err);
		if (doc == NULL)
			fprintf(stderr, "%s\n", err.text);
		FUZZ_CHECK(doc != NULL);
		xmlFreeDoc(doc);
		free(md);
	}
	free(text);
	return 0;
}
