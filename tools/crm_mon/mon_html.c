/*
 * mon_html.c - crm_mon --output-as=html: a status page (not written yet).
 */
#include "crm_mon.h"

void mon_html(struct mon *m, struct pl_pengine_run *run, struct pl_buf *out)
{
	pl_pengine_mon_text(run, &m->opts, out);
}
