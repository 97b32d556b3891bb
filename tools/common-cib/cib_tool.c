/*
 * cib_tool.c - shared helpers of the CIB command-line tools (see cib_tool.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <libxml/parser.h>

#include "paceline/file.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "cib_tool.h"

char *
cibtool_read_text(const char *file, const char *string, bool from_stdin, struct pl_error *e)
{
	if (string != NULL)
		return xstrdup(string);
	if (from_stdin)
		return pl_read_stream(stdin, "standard input", NULL, e);
	if (file == NULL) {
		pl_error_set(e, PL_EXIT_USAGE, "no XML input given (use -x FILE, -X STRING or -p)");
		return NULL;
	}
	return pl_read_file(file, NULL, e);
}

xmlDoc *
cibtool_parse(const char *text, const char *what, struct pl_error *e)
{
	return pl_xml_parse_string(text, what, e);
}

/* Pacemaker's escaping of attribute values: the five XML entities (&apos; included), and
 * newline, carriage return and tab as the two-character "\\n", "\\r" and four spaces. */
static void
print_escaped(GString *b, const char *v)
{
	for (const char *p = v; *p; p++) {
		switch (*p) {
		case '<': g_string_append(b, "&lt;"); break;
		case '>': g_string_append(b, "&gt;"); break;
		case '&': g_string_append(b, "&amp;"); break;
		case '"': g_string_append(b, "&quot;"); break;
		case '\'': g_string_append(b, "&apos;"); break;
		case '\n': g_string_append(b, "\\n"); break;
		case '\r': g_string_append(b, "\\r"); break;
		case '\t': g_string_append(b, "    "); break;
		default: g_string_append_c(b, *p);
		}
	}
}

static void
print_node(GString *b, const xmlNode *n, int depth)
{
	if (n->type == XML_COMMENT_NODE) {
		g_string_append_printf(b, "%*s<!--%s-->\n", depth * 2, "", (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	g_string_append_printf(b, "%*s<%s", depth * 2, "", (const char *)n->name);
	for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
		xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
		g_string_append_printf(b, " %s=\"", (const char *)a->name);
		print_escaped(b, v ? (const char *)v : "");
		g_string_append_c(b, '"');
		xmlFree(v);
	}
	bool kids = false;
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		kids = kids || c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE;
	if (!kids) {
		g_string_append(b, "/>\n");
		return;
	}
	g_string_append(b, ">\n");
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		print_node(b, c, depth + 1);
	g_string_append_printf(b, "%*s</%s>\n", depth * 2, "", (const char *)n->name);
}

void
cibtool_print(const xmlNode *n)
{
	GString *b = g_string_new(NULL);
	print_node(b, n, 0);
	fputs(b->str, stdout);
	g_string_free(b, TRUE);
}

/* The text Pacemaker's digests hash: the XML without formatting; filtered, without the
 * attributes that record who changed what (they differ between nodes). */
static void
digest_text(GString *b, const xmlNode *n, bool filter)
{
	if (n->type == XML_COMMENT_NODE) {
		g_string_append_printf(b, "<!--%s-->", (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	g_string_append_printf(b, "<%s", (const char *)n->name);
	for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const char *v = pl_xml_attr(n, (const char *)a->name);

		if (filter && pl_cib_attr_filtered((const char *)a->name))
			continue;
		g_string_append_printf(b, " %s=\"", (const char *)a->name);
		for (const char *p = v ? v : ""; *p; p++) {
			switch (*p) {
			case '<': g_string_append(b, "&lt;"); break;
			case '>': g_string_append(b, "&gt;"); break;
			case '&': g_string_append(b, "&amp;"); break;
			case '"': g_string_append(b, "&quot;"); break;
			default: g_string_append_c(b, *p);
			}
		}
		g_string_append_c(b, '"');
	}
	bool kids = false;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		kids = kids || c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE;
	if (!kids) {
		g_string_append(b, "/>");
		return;
	}
	g_string_append_c(b, '>');
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		digest_text(b, c, filter);
	g_string_append_printf(b, "</%s>", (const char *)n->name);
}

bool
cibtool_feature_set_at_least(const char *fs, int major, int minor, int patch)
{
	int v[3] = { 0, 0, 0 }, want[3] = { major, minor, patch };

	if (sscanf(fs, "%d.%d.%d", &v[0], &v[1], &v[2]) < 1)
		return false;
	for (int i = 0; i < 3; i++)
		if (v[i] != want[i])
			return v[i] > want[i];
	return true;
}

void
cibtool_digest(const xmlNode *n, const char *feature_set, char out[33])
{
	bool v2 = feature_set != NULL && cibtool_feature_set_at_least(feature_set, 3, 0, 5);
	GString *b = g_string_new(v2 ? "" : " ");
	char *sum;

	digest_text(b, n, v2);
	if (!v2)
		g_string_append_c(b, '\n');
	sum = g_compute_checksum_for_string(G_CHECKSUM_MD5, b->str, (gssize)b->len);
	g_strlcpy(out, sum, 33);
	g_free(sum);
	g_string_free(b, TRUE);
}

const char *
cibtool_rc_text(int rc)
{
	switch (rc) {
	case 0: return "OK";
	case 1: return "Error occurred";
	case 4: return "Permission denied";
	case 64: return "Incorrect usage";
	case 65: return "Invalid data given";
	case 66: return "Input file not available";
	case 73: return "Can't create output file";
	case 74: return "Input/output error";
	case 76: return "Protocol not supported";
	case 78: return "Update does not conform to the configured schema";
	case 102: return "Transport endpoint is not connected";
	case 103: return "Update was older than existing configuration";
	case 104: return "Application of update diff failed, requesting full refresh";
	case 105: return "No such device or address";
	case 108: return "File exists";
	case 124: return "Timeout occurred";
	default: return "Error occurred";
	}
}
