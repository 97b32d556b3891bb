/*
 * attr_tool.c - see attr_tool.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "attr_tool.h"
#include "paceline/buf.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"


/* ---- the CIB ---- */

int
attrtool_cib_open(struct attrtool_cib *c, const char *client, struct pl_error *e)
{
	memset(c, 0, sizeof(*c));
	if ((c->src = tool_cib_open(client, 5000, e)) == NULL)
		return e->code ? e->code : PL_EXIT_DISCONNECT;
	c->daemon = tool_cib_kind(c->src) == TOOL_CIB_DAEMON;
	return 0;
}

xmlNode *
attrtool_cib_root(struct attrtool_cib *c, struct pl_error *e)
{
	if (c->doc == NULL && (c->doc = tool_cib_fetch(c->src, e)) == NULL)
		return NULL;
	return xmlDocGetRootElement(c->doc);
}

int
attrtool_cib_update(struct attrtool_cib *c, const struct pl_cib_request *req, struct pl_error *e)
{
	int rc = tool_cib_call(c->src, req, NULL, e);

	if (c->doc != NULL)
		xmlFreeDoc(c->doc);
	c->doc = NULL;
	return rc;
}

void
attrtool_cib_close(struct attrtool_cib *c)
{
	if (c->doc != NULL)
		xmlFreeDoc(c->doc);
	if (c->src != NULL)
		tool_cib_close(c->src);
	memset(c, 0, sizeof(*c));
}

static xmlNode *
child_with(xmlNode *parent, const char *element, const char *attr, const char *value)
{
	for (xmlNode *n = pl_xml_first_child(parent, element); n != NULL;
	     n = pl_xml_next_sibling(n, element)) {
		const char *v = pl_xml_attr(n, attr);

		if (v != NULL && strcmp(v, value) == 0)
			return n;
	}
	return NULL;
}

const char *
attrtool_node_id(xmlNode *cib, const char *uname)
{
	xmlNode *conf = pl_xml_first_child(cib, "configuration");
	xmlNode *nodes = conf ? pl_xml_first_child(conf, "nodes") : NULL;
	xmlNode *status = pl_xml_first_child(cib, "status");
	xmlNode *n;

	if (nodes != NULL && (n = child_with(nodes, "node", "uname", uname)) != NULL)
		return pl_xml_id(n);
	if (status != NULL && (n = child_with(status, "node_state", "uname", uname)) != NULL)
		return pl_xml_id(n);
	return NULL;
}

const char *
attrtool_local_node(void)
{
	static struct utsname u;
	const char *env = getenv("PL_NODE_NAME");

	if (env != NULL && env[0] != '\0')
		return env;
	if (uname(&u) != 0)
		return "localhost";
	return u.nodename;
}

/* ---- output ---- */

void
attrtool_out_attr(struct tool *t, const char *scope, const char *name, const char *value,
    const char *host, bool quiet)
{
	if (t->format == TOOL_FMT_XML) {
		xmlNode *n = pl_xml_add_child(tool_xml_result(t), "attribute");

		pl_xml_set_attr(n, "name", name);
		pl_xml_set_attr(n, "value", value);
		if (scope != NULL)
			pl_xml_set_attr(n, "scope", scope);
		if (host != NULL)
			pl_xml_set_attr(n, "host", host);
		return;
	}
	if (quiet)
		fprintf(t->out, "%s\n", value);
	else if (scope != NULL)
		fprintf(t->out, "scope=%s  name=%s value=%s\n", scope, name, value);
	else
		fprintf(t->out, "name=\"%s\" host=\"%s\" value=\"%s\"\n", name, host ? host : "",
		    value);
}

void
attrtool_error(struct tool *t, const char *fmt, ...)
{
	char *text;
	va_list ap;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	tool_error(t, "%s: %s", t->name, text);
	free(text);
}

const char *
attrtool_rc_text(int rc)
{
	switch (rc) {
	case PL_EXIT_NOSUCH: return "No such device or address";
	case PL_EXIT_DISCONNECT: return "Transport endpoint is not connected";
	case PL_EXIT_INSUFFICIENT_PRIV: return "Permission denied";
	case PL_EXIT_PROTOCOL: return "No message of desired type";
	case PL_EXIT_USAGE: return "Invalid argument";
	case PL_EXIT_MULTIPLE: return "Name not unique on network";
	case PL_EXIT_EXISTS: return "File exists";
	case PL_EXIT_CONFIG: return "Update does not conform to the configured schema";
	case PL_EXIT_TIMEOUT: return "Timer expired";
	default: return pl_exit_str(rc);
	}
}
