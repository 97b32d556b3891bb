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

static xmlDoc *doc;
static GString *failure;

bool
out_xml(void)
{
	return opt.output_as && !strcmp(opt.output_as, "xml");
}

xmlNode *
out_root(void)
{
	if (doc == NULL) {
		doc = pl_xml_new_doc("pacemaker-result");
		pl_xml_set_attr(xmlDocGetRootElement(doc), "api-version", "2.25");
		pl_xml_set_attr(xmlDocGetRootElement(doc), "request", opt.request);
	}
	return xmlDocGetRootElement(doc);
}

void
out_info(const char *fmt, ...)
{
	va_list ap;

	if (out_xml())
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void
out_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
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

static void
print_doc(void)
{
	xmlBuffer *b = xmlBufferCreate();

	xmlNodeDump(b, doc, xmlDocGetRootElement(doc), 0, 1);
	printf("%s\n", (const char *)xmlBufferContent(b));
	xmlBufferFree(b);
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
	if (out_xml()) {
		xmlNode *st = pl_xml_add_child(out_root(), "status");

		pl_xml_set_attr_int(st, "code", rc);
		pl_xml_set_attr(st, "message", pl_exit_str(rc));
		if (msg->len) {
			xmlNode *errs = pl_xml_add_child(st, "errors");
			xmlNode *e = pl_xml_add_child(errs, "error");
			GString *t = g_string_new("crm_resource: ");

			g_string_append(t, msg->str);
			xmlNodeAddContent(e, (const xmlChar *)t->str);
			g_string_free(t, TRUE);
		}
		print_doc();
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (msg->len) {
		out_err("crm_resource: %s", msg->str);
	}
	g_string_free(msg, TRUE);
	if (failure)
		g_string_free(failure, TRUE);
	failure = NULL;
	fflush(stdout);
	return rc;
}
