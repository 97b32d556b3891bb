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

#define XML_API_VERSION "2.25" /* what Pacemaker 2.1.5 writes in <pacemaker-result> */

/* ---- the CIB ---- */

int
attrtool_cib_open(struct attrtool_cib *c, const char *client, struct pl_error *e)
{
	memset(c, 0, sizeof(*c));
	c->file = getenv("CIB_file");
	if (c->file != NULL && c->file[0] == '\0')
		c->file = NULL;
	if (c->file != NULL) {
		char *text;

		if (strcmp(c->file, "-") == 0)
			text = pl_read_stream(stdin, "standard input", NULL, e);
		else
			text = pl_read_file(c->file, NULL, e);
		if (text == NULL)
			return e->code ? e->code : PL_EXIT_NOINPUT;
		c->cib = pl_cib_parse_string(text, e);
		free(text);
		if (c->cib == NULL)
			return e->code ? e->code : PL_EXIT_DATAERR;
		return 0;
	}
	c->conn = pl_cib_connect(5000, client, e);
	return c->conn != NULL ? 0 : (e->code ? e->code : PL_EXIT_DISCONNECT);
}

xmlNode *
attrtool_cib_root(struct attrtool_cib *c, struct pl_error *e)
{
	struct pl_cib_request q = { .op = PL_CIB_OP_QUERY };

	if (c->cib != NULL)
		return pl_cib_root(c->cib);
	if (c->queried != NULL)
		return c->queried;
	if (pl_cib_call(c->conn, &q, 30000, &c->queried, NULL, e) != 0)
		return NULL;
	return c->queried;
}

int
attrtool_cib_update(struct attrtool_cib *c, const struct pl_cib_request *req, struct pl_error *e)
{
	int rc;

	if (c->cib != NULL) {
		rc = pl_cib_perform(c->cib, req, NULL, NULL, e);
		if (rc == 0 && strcmp(c->file, "-") != 0) {
			xmlBuffer *b = xmlBufferCreate();

			xmlNodeDump(b, pl_cib_doc(c->cib), pl_cib_root(c->cib), 0, 1);
			xmlBufferCCat(b, "\n");
			rc = pl_write_file_atomic(c->file, (const char *)xmlBufferContent(b),
			    (size_t)xmlBufferLength(b), 0644, 0, e);
			xmlBufferFree(b);
		}
		return rc;
	}
	if (c->queried != NULL) {
		pl_cib_output_free(c->queried);
		c->queried = NULL;
	}
	return pl_cib_call(c->conn, req, 30000, NULL, NULL, e);
}

void
attrtool_cib_close(struct attrtool_cib *c)
{
	if (c->queried != NULL)
		pl_cib_output_free(c->queried);
	if (c->conn != NULL)
		pl_cib_disconnect(c->conn);
	pl_cib_free(c->cib);
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

static char *
command_line(int argc, char **argv)
{
	struct pl_buf b = PL_BUF_INIT;

	for (int i = 0; i < argc; i++) {
		if (i > 0)
			pl_buf_addc(&b, ' ');
		if (strchr(argv[i], ' ') == NULL) {
			pl_buf_add(&b, argv[i]);
			continue;
		}
		pl_buf_addc(&b, '\'');
		pl_buf_add(&b, argv[i]);
		pl_buf_addc(&b, '\'');
	}
	return pl_buf_steal(&b);
}

bool
attrtool_out_init(
    struct attrtool_out *o, const char *tool, const char *format, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->tool = tool;
	if (format == NULL || strcmp(format, "text") == 0) {
		o->format = ATTRTOOL_TEXT;
	} else if (strcmp(format, "xml") == 0) {
		o->format = ATTRTOOL_XML;
		o->request = command_line(argc, argv);
		o->doc = pl_xml_new_doc("pacemaker-result");
		pl_xml_set_attr(pl_xml_root(o->doc), "api-version", XML_API_VERSION);
		pl_xml_set_attr(pl_xml_root(o->doc), "request", o->request);
	} else {
		fprintf(stderr, "%s: Invalid output format: %s\n", tool, format);
		return false;
	}
	return true;
}

void
attrtool_out_attr(struct attrtool_out *o, const char *scope, const char *name, const char *value,
    const char *host, bool quiet)
{
	if (o->format == ATTRTOOL_XML) {
		xmlNode *n = pl_xml_add_child(pl_xml_root(o->doc), "attribute");

		pl_xml_set_attr(n, "name", name);
		pl_xml_set_attr(n, "value", value);
		if (scope != NULL)
			pl_xml_set_attr(n, "scope", scope);
		if (host != NULL)
			pl_xml_set_attr(n, "host", host);
		return;
	}
	if (quiet)
		printf("%s\n", value);
	else if (scope != NULL)
		printf("scope=%s  name=%s value=%s\n", scope, name, value);
	else
		printf("name=\"%s\" host=\"%s\" value=\"%s\"\n", name, host ? host : "", value);
}

xmlNode *
attrtool_out_node(struct attrtool_out *o, const char *element, ...)
{
	xmlNode *n;
	va_list ap;
	const char *k;

	if (o->format != ATTRTOOL_XML)
		return NULL;
	n = pl_xml_add_child(pl_xml_root(o->doc), element);
	va_start(ap, element);
	while ((k = va_arg(ap, const char *)) != NULL)
		pl_xml_set_attr(n, k, va_arg(ap, const char *));
	va_end(ap);
	return n;
}

void
attrtool_out_error(struct attrtool_out *o, const char *fmt, ...)
{
	char *text;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (o->format == ATTRTOOL_XML) {
		o->errors = xreallocarray(o->errors, o->n_errors + 1, sizeof(char *));
		o->errors[o->n_errors++] = xasprintf("%s: %s", o->tool, text);
	} else {
		fprintf(stderr, "%s: %s\n", o->tool, text);
	}
	free(text);
}

int
attrtool_out_finish(struct attrtool_out *o, int rc)
{
	if (o->format == ATTRTOOL_XML) {
		xmlNode *st = pl_xml_add_child(pl_xml_root(o->doc), "status");
		char *text;

		pl_xml_set_attr_int(st, "code", rc);
		pl_xml_set_attr(st, "message", pl_exit_str(rc));
		if (o->n_errors > 0) {
			xmlNode *errs = pl_xml_add_child(st, "errors");

			for (unsigned i = 0; i < o->n_errors; i++) {
				xmlNode *e = pl_xml_add_child(errs, "error");

				xmlNodeAddContent(e, BAD_CAST o->errors[i]);
			}
		}
		text = pl_xml_dump(pl_xml_root(o->doc), true);
		fputs(text, stdout);
		free(text);
		xmlFreeDoc(o->doc);
	}
	for (unsigned i = 0; i < o->n_errors; i++)
		free(o->errors[i]);
	free(o->errors);
	free(o->request);
	memset(o, 0, sizeof(*o));
	return rc;
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
