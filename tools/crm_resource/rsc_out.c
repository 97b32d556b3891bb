/*
 * rsc_out.c - crm_resource's two output forms. Text goes to stdout line by line (errors to
 * stderr); XML is one <pacemaker-result> document printed at the end with its <status>, as
 * Pacemaker's formatted output does (informational lines are not part of it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "crm_resource.h"
#include "paceline/exitcode.h"
#include "paceline/xml.h"
#include "tool.h"

struct tool rsc_tool = { .name = "crm_resource", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };
static GString *failure;

bool
out_xml(void)
{
	return rsc_tool.format == TOOL_FMT_XML;
}

FILE *
out_stream(void)
{
	return rsc_tool.out ? rsc_tool.out : stdout;
}

xmlNode *
out_root(void)
{
	return tool_xml_result(&rsc_tool);
}

void
out_info(const char *fmt, ...)
{
	va_list ap;

	if (out_xml())
		return;
	va_start(ap, fmt);
	vfprintf(out_stream(), fmt, ap);
	va_end(ap);
	fputc('\n', out_stream());
}

void
out_err(const char *fmt, ...)
{
	va_list ap;

	fflush(out_stream());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
out_fail(int rc, const char *fmt, ...)
{
	va_list ap;

	if (failure == NULL)
		failure = g_string_new(NULL);
	else if (failure->len)
		g_string_append_c(failure, '\n');
	va_start(ap, fmt);
	g_string_append_vprintf(failure, fmt, ap);
	va_end(ap);
	return rc;
}

int
out_finish(int rc, bool bare)
{
	GString *msg = g_string_new(NULL);

	if (rc != PL_EXIT_OK) {
		if (failure && failure->len)
			g_string_append(msg, failure->str);
		/* usage errors carry their own explanation */
		if (!bare && !(rc == PL_EXIT_USAGE && msg->len))
			g_string_append_printf(msg, "%sError performing operation: %s",
			    msg->len ? "\n" : "", pl_exit_str(rc));
	}
	if (msg->len) {
		fflush(out_stream());
		tool_error(&rsc_tool, "crm_resource: %s", msg->str);
	}
	g_string_free(msg, TRUE);
	if (failure)
		g_string_free(failure, TRUE);
	failure = NULL;
	return tool_finish(&rsc_tool, rc);
}
