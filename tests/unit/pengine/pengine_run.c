/* pengine_run.c - see pengine_run.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "pengine_run.h"

char *
pengine_run_render(const char *cib, enum pengine_run_view view)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_pengine_opts o = { .now = 1700000000, .simulate = true };
	struct pl_buf b = PL_BUF_INIT;
	xmlDoc *d = pl_xml_parse_string(cib, "test", &e);
	struct pl_pengine_run *r;

	assert_non_null(d);
	r = pl_pengine_run(d, &o, &e);
	assert_non_null(r);
	if (view == PENGINE_RUN_EXEC)
		pl_pengine_exec_text(r, &b);
	else if (view == PENGINE_RUN_STATUS)
		pl_pengine_status_text(r, false, &b);
	else
		pl_pengine_summary_text(r, &b);
	pl_pengine_free(r);
	xmlFreeDoc(d);
	return pl_buf_steal(&b);
}
