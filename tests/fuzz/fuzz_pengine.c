/* fuzz_pengine.c - CIB XML through lib/pengine as crm_simulate -S takes it: the text path
 * (configuration parsed, status streamed), simulated execution, every text and the graph. */
#include <stdlib.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_opts o = { .now = 1700000000, .simulate = true, .show_scores = true };
	struct pl_buf out = PL_BUF_INIT;
	xmlDoc *doc = NULL;
	struct pl_pengine_run *run;
	int total, disabled, blocked;

	run = pl_pengine_run_text((const char *)data, size, "fuzz.xml", &o, &doc, &err);
	if (run != NULL) {
		pl_pengine_status_text(run, false, &out);
		pl_pengine_summary_text(run, &out);
		pl_pengine_exec_text(run, &out);
		pl_pengine_status_text(run, true, &out);
		pl_pengine_scores_text(run, &out);
		pl_pengine_rsc_counts(run, &total, &disabled, &blocked);
		free(pl_pengine_graph_xml(run));
		free(pl_pengine_graph_dot(run));
		pl_pengine_free(run);
	} else {
		FUZZ_CHECK(err.code != 0 && err.text[0] != '\0'); /* refused: says why */
	}
	pl_buf_free(&out);
	if (doc)
		xmlFreeDoc(doc);
	return 0;
}
