/*
 * stream.c - reading a CIB from text in one pass with libxml2's SAX2 push parser.
 *
 * Everything outside <status> becomes a libxml2 tree as usual (libxml2's own SAX2 handlers).
 * Once <status> starts after <configuration>, the configuration is complete: the begin hook
 * unpacks it, and each <node_state> of the status is then built as a small read-only tree in
 * an arena (no malloc per element or attribute, no text nodes), handed to
 * pengine_unpack_node_state and dropped: the status section, nearly all of a large CIB, costs
 * the parse and nothing more. <tickets> is built the same way and copied. The arena trees are
 * ordinary xmlNodes for readers (pl_xml_attr, children, line numbers) and for
 * pl_xml_copy, but must never be modified or freed with xmlFreeNode.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "pengine_private.h"

#define ARENA_CHUNK (256 * 1024)
#define PUSH_CHUNK  (256 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	char data[];
};

static void *
arena_raw(struct pengine_stream *s, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	struct arena_chunk *c = s->arena;
	if (c == NULL || c->used + size > c->cap) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		struct arena_chunk *n = xmalloc(sizeof(*n) + cap);
		n->next = c;
		n->used = 0;
		n->cap = cap;
		s->arena = c = n;
	}
	void *p = c->data + c->used;
	c->used += size;
	return p;
}

static void *
arena_alloc(struct pengine_stream *s, size_t size)
{
	return memset(arena_raw(s, size), 0, size);
}

/* Drop every tree built so far; the newest chunk is kept for the next node_state. */
static void
arena_reset(struct pengine_stream *s)
{
	struct arena_chunk *c = s->arena;
	if (c == NULL)
		return;
	struct arena_chunk *rest = c->next;
	c->next = NULL;
	c->used = 0;
	while (rest) {
		struct arena_chunk *n = rest->next;
		free(rest);
		rest = n;
	}
}

static void
arena_free(struct pengine_stream *s)
{
	arena_reset(s);
	free(s->arena);
	s->arena = NULL;
}

static struct pengine_stream *
stream_of(void *ctx)
{
	return ((xmlParserCtxt *)ctx)->_private;
}

/* Stop the parse with our own message (the first error wins). */
static void
refuse(xmlParserCtxt *ctxt, const char *message)
{
	struct pengine_stream *s = ctxt->_private;
	if (!s->error_seen) {
		s->error_seen = true;
		s->refused = true;
		s->line = ctxt->input ? ctxt->input->line : 0;
		snprintf(s->message, sizeof(s->message), "%s", message);
	}
	xmlStopParser(ctxt);
}

static void
capture_error(void *ctx, xmlErrorPtr e)
{
	struct pengine_stream *s = stream_of(ctx);
	if (s->error_seen || e == NULL || e->level < XML_ERR_ERROR)
		return;
	s->error_seen = true;
	s->line = e->line;
	s->column = e->int2;
	snprintf(s->message, sizeof(s->message), "%s", e->message ? e->message : "parse error");
	size_t n = strlen(s->message);
	while (n > 0 && (s->message[n - 1] == '\n' || s->message[n - 1] == ' '))
		s->message[--n] = '\0';
}

/* A DOCTYPE is refused before its internal subset is read: no entity is ever declared. */
static void
refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	refuse(ctx, "a CIB must not have a DOCTYPE (document type declarations are refused)");
}

/* An element of the status section as an arena node with its attributes (values decoded by
 * the parser: XML_PARSE_NOENT with no DTD replaces only the predefined and character
 * references). */
static xmlNode *
arena_element(struct pengine_stream *s, xmlParserCtxt *ctxt, const xmlChar *name, int nb_attributes,
    const xmlChar **attributes)
{
	xmlNode *n = arena_alloc(s, sizeof(*n));
	n->type = XML_ELEMENT_NODE;
	n->name = name; /* the parser's dictionary: lives as long as the parser */
	int line = ctxt->input ? ctxt->input->line : 0;
	n->line = line < USHRT_MAX ? (unsigned short)line : USHRT_MAX;
	if (line >= USHRT_MAX)
		n->psvi = (void *)(intptr_t)line; /* as lib/common/xml.c: read by pl_xml_line */
	xmlAttr *prev = NULL;
	for (int i = 0; i < nb_attributes; i++) {
		const xmlChar **a = attributes + 5 * i; /* localname, prefix, URI, value, end */
		size_t len = (size_t)(a[4] - a[3]);
		xmlAttr *at = arena_alloc(s, sizeof(*at));
		xmlNode *text = arena_alloc(s, sizeof(*text));
		char *value = arena_raw(s, len + 1);
		memcpy(value, a[3], len);
		value[len] = '\0';
		at->type = XML_ATTRIBUTE_NODE;
		at->name = a[0];
		at->parent = n;
		at->children = at->last = text;
		text->type = XML_TEXT_NODE;
		text->name = xmlStringText;
		text->content = (xmlChar *)value;
		text->parent = (xmlNode *)at;
		if (prev) {
			prev->next = at;
			at->prev = prev;
		} else {
			n->properties = at;
		}
		prev = at;
	}
	return n;
}

static void
start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
    int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
    const xmlChar **attributes)
{
	xmlParserCtxt *ctxt = ctx;
	struct pengine_stream *s = ctxt->_private;
	int depth = s->depth++;
	if (depth >= PL_XML_MAX_DEPTH) {
		char msg[200];
		snprintf(msg, sizeof(msg), "element <%.64s> is nested deeper than %d levels",
		    (const char *)localname, PL_XML_MAX_DEPTH);
		refuse(ctxt, msg);
		return;
	}
	if (s->mode == STREAM_TREE) {
		if (depth == 1 && !strcmp((const char *)localname, "status") && s->have_cfg) {
			s->mode = STREAM_STATUS;
			s->at_status = true;
			s->begin(s, ctxt->myDoc);
			return;
		}
		xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
		    nb_attributes, nb_defaulted, attributes);
		if (ctxt->node && ctxt->input && ctxt->input->line >= USHRT_MAX)
			ctxt->node->psvi = (void *)(intptr_t)ctxt->input->line;
		return;
	}
	if (s->mode != STREAM_STATUS)
		return;
	/* in the status section: node_state and tickets subtrees are built, the rest skipped */
	if (depth == 2) {
		if (strcmp((const char *)localname, "node_state") &&
		    strcmp((const char *)localname, "tickets"))
			return;
		s->cur = s->top = arena_element(s, ctxt, localname, nb_attributes, attributes);
		return;
	}
	if (depth < 2 || s->cur == NULL)
		return;
	xmlNode *n = arena_element(s, ctxt, localname, nb_attributes, attributes);
	xmlNode *p = s->cur;
	n->parent = p;
	if (p->last) {
		p->last->next = n;
		n->prev = p->last;
	} else {
		p->children = n;
	}
	p->last = n;
	s->cur = n;
}

static void
end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxt *ctxt = ctx;
	struct pengine_stream *s = ctxt->_private;
	int depth = --s->depth;
	if (s->mode == STREAM_TREE) {
		xmlSAX2EndElementNs(ctx, localname, prefix, uri);
		if (depth == 1 && !strcmp((const char *)localname, "configuration"))
			s->have_cfg = true;
		return;
	}
	if (s->mode != STREAM_STATUS)
		return;
	if (depth == 1) { /* </status>: what follows is not read, as before */
		s->mode = STREAM_AFTER;
		return;
	}
	if (s->cur == NULL || depth < 2)
		return;
	if (depth > 2) {
		s->cur = s->cur->parent;
		return;
	}
	xmlNode *top = s->top;
	s->cur = s->top = NULL;
	s->element(s, top);
	arena_reset(s);
}

/* Text, comments and the like belong to the tree outside the status section only. */
static void
characters(void *ctx, const xmlChar *ch, int len)
{
	if (stream_of(ctx)->mode == STREAM_TREE)
		xmlSAX2Characters(ctx, ch, len);
}

static void
cdata_block(void *ctx, const xmlChar *ch, int len)
{
	if (stream_of(ctx)->mode == STREAM_TREE)
		xmlSAX2CDataBlock(ctx, ch, len);
}

static void
comment(void *ctx, const xmlChar *value)
{
	if (stream_of(ctx)->mode == STREAM_TREE)
		xmlSAX2Comment(ctx, value);
}

static void
processing_instruction(void *ctx, const xmlChar *target, const xmlChar *data)
{
	if (stream_of(ctx)->mode == STREAM_TREE)
		xmlSAX2ProcessingInstruction(ctx, target, data);
}

xmlDoc *
pengine_stream_parse(struct pengine_stream *s, const char *buf, size_t len)
{
	xmlSAXHandler sax;
	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = start_element;
	sax.endElementNs = end_element;
	sax.characters = characters;
	sax.ignorableWhitespace = characters;
	sax.cdataBlock = cdata_block;
	sax.comment = comment;
	sax.processingInstruction = processing_instruction;
	sax.internalSubset = refuse_doctype;
	sax.serror = capture_error;
	sax.error = NULL;
	sax.warning = NULL;
	xmlParserCtxt *ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, s->name);
	if (ctxt == NULL)
		abort(); /* out of memory */
	xmlCtxtUseOptions(ctxt,
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		XML_PARSE_NOENT);
	ctxt->_private = s;
	ctxt->linenumbers = 1;
	size_t off = 0;
	do {
		size_t n = len - off > PUSH_CHUNK ? PUSH_CHUNK : len - off;
		if (xmlParseChunk(ctxt, buf + off, (int)n, off + n == len) != 0 && !s->error_seen)
			s->error_seen = true;
		off += n;
	} while (off < len && !s->error_seen && !ctxt->disableSAX);
	if (!ctxt->wellFormed && !s->error_seen) {
		s->error_seen = true;
		snprintf(s->message, sizeof(s->message), "parse error");
	}
	xmlDoc *doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	arena_free(s);
	if (s->error_seen && doc) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}
