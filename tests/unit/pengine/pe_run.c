/* pe_run.c - see pe_run.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "pe_run.h"

char *
pe_run_render(const char *cib, enum pe_run_view view)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_pengine_opts o = { .now = 1700000000, .simulate = true };
	struct pl_buf b = PL_BUF_INIT;
	xmlDoc *d = pl_xml_parse_string(cib, "test", &e);
	struct pl_pengine_run *r;

	assert_non_null(d);
	r = pl_pengine_run(d, &o, &e);
	assert_non_null(r);
	if (view == PE_RUN_EXEC)
		pl_pengine_exec_text(r, &b);
	else if (view == PE_RUN_STATUS)
		pl_pengine_status_text(r, false, &b);
	else
		pl_pengine_summary_text(r, &b);
	pl_pengine_free(r);
	xmlFreeDoc(d);
	return pl_buf_steal(&b);
}
