/*
 * xml.c - parsing with line numbers and located errors, allocation-free attribute reads,
 * navigation, id lookup, paths for messages, dumps and copies (see include/paceline/xml.h).
 *
 * Unlike Pacemaker (which parses in libxml2's recovery mode and so silently "repairs" broken
 * input), a malformed document is rejected with the first error libxml2 reports.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/interval.h"
#include "paceline/score.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#define PARSE_OPTIONS                                                                  \
	(XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS | \
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* The first error libxml2 reports is the cause; later ones are usually consequences. */
struct parse_errors {
	bool seen;
	bool refused; /* our own limit (DOCTYPE, depth), not libxml2's: message says it all */
	int line;
	int column;
	char message[512];
};

static void
capture_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxt *ctxt = data; /* SAX callbacks get ctxt->userData, which is the context */
	struct parse_errors *pe = ctxt->_private;
	size_t n;

	if (pe->seen || e == NULL || e->level < XML_ERR_ERROR)
		return;
	pe->seen = true;
	pe->line = e->line;
	pe->column = e->int2;
	snprintf(pe->message, sizeof(pe->message), "%s", e->message ? e->message : "parse error");
	n = strlen(pe->message);
	while (n > 0 && (pe->message[n - 1] == '\n' || pe->message[n - 1] == ' '))
		pe->message[--n] = '\0';
}

/* Stop the parse at once with our own message (the first error wins, as with libxml2's). */
static void refuse(xmlParserCtxt *ctxt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
refuse(xmlParserCtxt *ctxt, const char *fmt, ...)
{
	struct parse_errors *pe = ctxt->_private;
	va_list ap;

	if (!pe->seen) {
		pe->seen = true;
		pe->refused = true;
		pe->line = ctxt->input != NULL ? ctxt->input->line : 0;
		pe->column = 0;
		va_start(ap, fmt);
		vsnprintf(pe->message, sizeof(pe->message), fmt, ap);
		va_end(ap);
	}
	xmlStopParser(ctxt);
}

/* Called when <!DOCTYPE NAME ...> has been read, before its internal subset (the entity
 * declarations) is parsed: nothing of it is ever expanded. */
static void
refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
	(void)external_id;
	(void)system_id;
	refuse(ctx,
	    "document type declarations are not accepted (<!DOCTYPE %s>): entities "
	    "could expand without bound; remove the declaration",
	    (const char *)name);
}

/* libxml2 keeps element lines in an unsigned short (65535 = "or later"); remember the real
 * line of later elements in the otherwise unused psvi pointer (read back by pl_xml_line). */
static void
start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
    int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
    const xmlChar **attributes)
{
	xmlParserCtxt *ctxt = ctx;

	if (ctxt->nodeNr >= PL_XML_MAX_DEPTH) {
		refuse(ctxt, "element <%s> is nested deeper than %d levels",
		    (const char *)localname, PL_XML_MAX_DEPTH);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
	    nb_defaulted, attributes);
	if (ctxt->node != NULL && ctxt->input != NULL && ctxt->input->line >= USHRT_MAX)
		ctxt->node->psvi = (void *)(intptr_t)ctxt->input->line;
}

static void
set_parse_error(struct pl_error *err, const char *name, const struct parse_errors *pe)
{
	if (pe->refused)
		pl_error_set(
		    err, PL_EXIT_DATAERR, "%s:%d: refused XML: %s", name, pe->line, pe->message);
	else if (pe->seen && pe->column > 0)
		pl_error_set(err, PL_EXIT_DATAERR, "%s:%d:%d: malformed XML: %s", name, pe->line,
		    pe->column, pe->message);
	else if (pe->seen)
		pl_error_set(
		    err, PL_EXIT_DATAERR, "%s:%d: malformed XML: %s", name, pe->line, pe->message);
	else
		pl_error_set(err, PL_EXIT_DATAERR, "%s: malformed XML", name);
}

static xmlDoc *
parse(const char *buf, size_t len, const char *name, struct pl_error *err, bool recover,
    struct pl_error *recovered)
{
	struct parse_errors pe = { 0 };
	xmlParserCtxt *ctxt;
	xmlDoc *doc;

	if (name == NULL)
		name = "<string>";
	if (len > INT_MAX) {
		pl_error_set(err, PL_EXIT_DATAERR, "%s: document too large (%zu bytes)", name, len);
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		abort();		   /* only fails when out of memory */
	ctxt->sax->serror = capture_error; /* keep libxml2 off stderr, remember the cause */
	ctxt->sax->initialized = XML_SAX2_MAGIC;
	ctxt->sax->startElementNs = start_element;
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->_private = &pe;
	ctxt->linenumbers = 1;
	doc = xmlCtxtReadMemory(
	    ctxt, buf, (int)len, name, NULL, PARSE_OPTIONS | (recover ? XML_PARSE_RECOVER : 0));
	if (doc != NULL && recover && !pe.refused && xmlDocGetRootElement(doc) != NULL) {
		if (!ctxt->wellFormed || pe.seen)
			set_parse_error(recovered, name, &pe); /* what was repaired */
	} else if (doc != NULL && (!ctxt->wellFormed || pe.seen)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (doc == NULL)
		set_parse_error(err, name, &pe);
	xmlFreeParserCtxt(ctxt);
	return doc;
}

xmlDoc *
pl_xml_parse_memory(const char *buf, size_t len, const char *name, struct pl_error *err)
{
	return parse(buf, len, name, err, false, NULL);
}

xmlDoc *
pl_xml_parse_memory_recover(
    const char *buf, size_t len, const char *name, struct pl_error *err, struct pl_error *repaired)
{
	return parse(buf, len, name, err, true, repaired);
}

xmlDoc *
pl_xml_parse_string(const char *text, const char *name, struct pl_error *err)
{
	return pl_xml_parse_memory(text, strlen(text), name, err);
}

xmlDoc *
pl_xml_parse_file(const char *path, struct pl_error *err)
{
	size_t len = 0;
	char *text = pl_read_file(path, &len, err);
	xmlDoc *doc;

	if (text == NULL)
		return NULL;
	doc = pl_xml_parse_memory(text, len, path, err);
	free(text);
	return doc;
}

size_t
pl_xml_depth(const xmlNode *node)
{
	size_t depth = 0, max = 0;
	const xmlNode *n = node;

	if (!pl_xml_is(node, NULL))
		return 0;
	depth = 1;
	max = 1;
	/* Pre-order walk keeping the level: down to a first child, else across, else up. */
	while (n != NULL) {
		xmlNode *c = pl_xml_first_child(n, NULL);

		if (c != NULL) {
			n = c;
			if (++depth > max)
				max = depth;
			continue;
		}
		while (n != NULL && n != node) {
			xmlNode *s = pl_xml_next_sibling(n, NULL);

			if (s != NULL) {
				n = s;
				break;
			}
			n = n->parent;
			depth--;
		}
		if (n == node)
			break;
	}
	return max;
}

xmlDoc *
pl_xml_new_doc(const char *root_name)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = xmlNewDocNode(doc, NULL, (const xmlChar *)root_name, NULL);

	xmlDocSetRootElement(doc, root);
	return doc;
}

xmlNode *
pl_xml_add_child(xmlNode *parent, const char *name)
{
	return xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
}

bool
pl_xml_is(const xmlNode *node, const char *name)
{
	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return false;
	return name == NULL || strcmp((const char *)node->name, name) == 0;
}

const char *
pl_xml_name(const xmlNode *node)
{
	return node != NULL ? (const char *)node->name : NULL;
}

static xmlAttr *
find_attr(const xmlNode *node, const char *name)
{
	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlAttr *a = node->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			return a;
	return NULL;
}

const char *
pl_xml_attr(const xmlNode *node, const char *name)
{
	xmlAttr *a = find_attr(node, name);

	if (a == NULL)
		return NULL;
	/* Parsed and xmlSetProp'd attributes hold exactly one text child. */
	if (a->children == NULL || a->children->content == NULL)
		return "";
	return (const char *)a->children->content;
}

void
pl_xml_set_attr(xmlNode *node, const char *name, const char *value)
{
	if (value == NULL)
		pl_xml_unset_attr(node, name);
	else
		xmlSetProp(node, (const xmlChar *)name, (const xmlChar *)value);
}

void
pl_xml_set_attr_int(xmlNode *node, const char *name, long long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", value);
	pl_xml_set_attr(node, name, text);
}

bool
pl_xml_unset_attr(xmlNode *node, const char *name)
{
	xmlAttr *a = find_attr(node, name);

	if (a == NULL)
		return false;
	xmlRemoveProp(a);
	return true;
}

static bool
parse_ll(const char *text, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || errno != 0)
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0')
		return false;
	*out = v;
	return true;
}

bool
pl_xml_attr_int(
    const xmlNode *node, const char *name, long long def, long long *out, struct pl_error *err)
{
	const char *text = pl_xml_attr(node, name);

	if (text == NULL) {
		*out = def;
		return true;
	}
	if (parse_ll(text, out))
		return true;
	pl_xml_error_set(
	    err, PL_EXIT_CONFIG, node, "attribute %s='%s' is not an integer", name, text);
	return false;
}

bool
pl_xml_attr_interval_ms(
    const xmlNode *node, const char *name, uint64_t def, uint64_t *ms, struct pl_error *err)
{
	struct pl_error ierr = PL_ERROR_INIT;
	const char *text = pl_xml_attr(node, name);

	if (text == NULL) {
		*ms = def;
		return true;
	}
	if (pl_interval_parse_ms(text, ms, &ierr))
		return true;
	pl_xml_error_set(err, PL_EXIT_CONFIG, node, "attribute %s='%s': %s", name, text, ierr.text);
	return false;
}

bool
pl_xml_attr_score(const xmlNode *node, const char *name, int def, int *out, struct pl_error *err)
{
	struct pl_error serr = PL_ERROR_INIT;
	const char *text = pl_xml_attr(node, name);

	if (text == NULL) {
		*out = def;
		return true;
	}
	if (pl_score_parse_strict(text, out, &serr))
		return true;
	pl_xml_error_set(err, PL_EXIT_CONFIG, node, "attribute %s='%s': %s", name, text, serr.text);
	return false;
}

xmlNode *
pl_xml_first_child(const xmlNode *parent, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (xmlNode *c = parent->children; c != NULL; c = c->next)
		if (pl_xml_is(c, name))
			return c;
	return NULL;
}

xmlNode *
pl_xml_next_sibling(const xmlNode *node, const char *name)
{
	if (node == NULL)
		return NULL;
	for (xmlNode *c = node->next; c != NULL; c = c->next)
		if (pl_xml_is(c, name))
			return c;
	return NULL;
}

xmlNode *
pl_xml_root(const xmlDoc *doc)
{
	return doc != NULL ? xmlDocGetRootElement(doc) : NULL;
}

size_t
pl_xml_count_children(const xmlNode *parent, const char *name)
{
	size_t n = 0;

	PL_XML_FOREACH_CHILD(parent, name, c)
	n++;
	return n;
}

/* Depth-first, iterative: CIBs nest shallowly, but status sections are wide and long. */
static xmlNode *
next_in_subtree(const xmlNode *root, const xmlNode *node)
{
	xmlNode *c = pl_xml_first_child(node, NULL);

	if (c != NULL)
		return c;
	for (; node != NULL && node != root; node = node->parent) {
		xmlNode *s = pl_xml_next_sibling(node, NULL);

		if (s != NULL)
			return s;
	}
	return NULL;
}

xmlNode *
pl_xml_find_id(const xmlNode *root, const char *name, const char *id)
{
	if (!pl_xml_is(root, NULL) || id == NULL)
		return NULL;
	for (const xmlNode *n = root; n != NULL; n = next_in_subtree(root, n)) {
		const char *nid = pl_xml_id(n);

		if (nid != NULL && strcmp(nid, id) == 0 && pl_xml_is(n, name))
			return (xmlNode *)n;
	}
	return NULL;
}

GHashTable *
pl_xml_index_ids(const xmlNode *root, size_t *duplicates)
{
	GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
	size_t dups = 0;

	if (pl_xml_is(root, NULL)) {
		for (const xmlNode *n = root; n != NULL; n = next_in_subtree(root, n)) {
			const char *id = pl_xml_id(n);

			if (id == NULL)
				continue;
			if (g_hash_table_contains(index, id))
				dups++;
			else
				g_hash_table_insert(index, (gpointer)id, (gpointer)n);
		}
	}
	if (duplicates != NULL)
		*duplicates = dups;
	return index;
}

long
pl_xml_line(const xmlNode *node)
{
	long line;

	if (node == NULL)
		return 0;
	if (node->type == XML_ELEMENT_NODE && node->line == USHRT_MAX && node->psvi != NULL)
		return (long)(intptr_t)node->psvi;
	line = xmlGetLineNo(node);
	return line > 0 ? line : 0;
}

/* "[2]" when a node without id shares its name with a sibling, so the path stays an XPath. */
static size_t
position_among_namesakes(const xmlNode *node, bool *ambiguous)
{
	size_t pos = 1;

	*ambiguous = pl_xml_next_sibling(node, (const char *)node->name) != NULL;
	for (const xmlNode *p = node->prev; p != NULL; p = p->prev)
		if (pl_xml_is(p, (const char *)node->name)) {
			pos++;
			*ambiguous = true;
		}
	return pos;
}

static void
add_path_step(struct pl_buf *b, const xmlNode *node)
{
	const char *id = pl_xml_id(node);
	bool ambiguous;
	size_t pos;

	pl_buf_addf(b, "/%s", (const char *)node->name);
	if (id != NULL) {
		pl_buf_addf(b, "[@id='%s']", id);
		return;
	}
	pos = position_among_namesakes(node, &ambiguous);
	if (ambiguous)
		pl_buf_addf(b, "[%zu]", pos);
}

static void
add_path(struct pl_buf *b, const xmlNode *node)
{
	if (node->parent != NULL && node->parent->type == XML_ELEMENT_NODE)
		add_path(b, node->parent);
	add_path_step(b, node);
}

char *
pl_xml_path(const xmlNode *node)
{
	struct pl_buf b = PL_BUF_INIT;

	if (!pl_xml_is(node, NULL))
		return xstrdup("/");
	add_path(&b, node);
	return pl_buf_steal(&b);
}

const char *
pl_xml_doc_name(const xmlNode *node)
{
	if (node == NULL || node->doc == NULL || node->doc->URL == NULL)
		return "<memory>";
	return (const char *)node->doc->URL;
}

void
pl_xml_error_set(struct pl_error *err, int code, const xmlNode *node, const char *fmt, ...)
{
	char msg[sizeof(err->text)];
	char *path;
	long line;
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	path = pl_xml_path(node);
	line = pl_xml_line(node);
	if (line > 0)
		pl_error_set(err, code, "%s:%ld: %s: %s", pl_xml_doc_name(node), line, path, msg);
	else
		pl_error_set(err, code, "%s: %s: %s", pl_xml_doc_name(node), path, msg);
	free(path);
}

char *
pl_xml_dump(const xmlNode *node, bool pretty)
{
	xmlBuffer *buf = xmlBufferCreate();
	char *out;

	if (buf == NULL)
		abort();
	if (node != NULL)
		xmlNodeDump(buf, node->doc, (xmlNode *)node, 0, pretty ? 1 : 0);
	if (pretty)
		xmlBufferCCat(buf, "\n");
	out = xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return out;
}

xmlNode *
pl_xml_copy(const xmlNode *node, xmlDoc *into)
{
	xmlNode *copy = xmlDocCopyNode((xmlNode *)node, into, 1);

	if (copy == NULL && node != NULL)
		abort(); /* only fails when out of memory */
	return copy;
}

xmlDoc *
pl_xml_copy_doc(const xmlNode *node)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");

	xmlDocSetRootElement(doc, pl_xml_copy(node, doc));
	if (node != NULL && node->doc != NULL && node->doc->URL != NULL)
		doc->URL = xmlStrdup(node->doc->URL);
	return doc;
}
