/*
 * status_mon_xml.c - crm_mon --output-as=xml (not written yet).
 */
#include "status_mon.h"

void pl_pengine_mon_xml(struct pl_pengine_run *run, const struct pl_mon_opts *o, struct pl_buf *out)
{
	(void)run; (void)o;
	pl_buf_add(out, "<pacemaker-result/>\n");
}
