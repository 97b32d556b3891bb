/*
 * xml.h - small, fast helpers over libxml2 for the CIB and everything else that reads XML.
 *
 * Parsing keeps line numbers (also past 65535) and never touches the network; a malformed
 * document gives one error sentence "NAME:LINE:COLUMN: malformed XML: <libxml2's message>"
 * with code PL_EXIT_DATAERR (65, what Pacemaker's cibadmin gives for unparsable XML input).
 * The document's URL is the name given to the parser, so later errors about any node can say
 * "NAME:LINE: /cib/configuration/.../primitive[@id='x']: ..." (pl_xml_error_set).
 *
 * Attribute reads are allocation-free: pl_xml_attr returns a pointer into the tree, valid until
 * that attribute is changed or the tree is freed.
 *
 *	xmlDoc *doc = pl_xml_parse_file("cib.xml", &err);
 *	PL_XML_FOREACH_CHILD(resources, "primitive", rsc)
 *		printf("%s\n", pl_xml_id(rsc));
 *	xmlFreeDoc(doc);
 */
#ifndef PACELINE_XML_H
#define PACELINE_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <libxml/tree.h>

struct pl_error;

/* Parsing. NULL with err set on failure (PL_EXIT_NOINPUT for an unreadable file,
 * PL_EXIT_DATAERR for malformed XML). Free the result with xmlFreeDoc. `name` is used in
 * messages and becomes doc->URL; NULL means "<string>".
 *
 * Every parse refuses, with PL_EXIT_DATAERR and the line:
 *  - a document type declaration (<!DOCTYPE ...>): CIB XML never has one, and its entities
 *    are how one small document expands to gigabytes ("billion laughs") or smuggles an
 *    entity reference into an attribute; refused as soon as it is seen, before any of it
 *    is expanded;
 *  - elements nested deeper than PL_XML_MAX_DEPTH (the root is level 1): everything that walks
 *    a tree (copies, diffs, schema validation, rule evaluation) may then recurse safely. A CIB
 *    nests about 12 levels; 256 is libxml2's own default limit, which XML_PARSE_HUGE (needed
 *    for big status sections) would otherwise lift. */
#define PL_XML_MAX_DEPTH 256
xmlDoc *pl_xml_parse_file(const char *path, struct pl_error *err);
xmlDoc *pl_xml_parse_memory(const char *buf, size_t len, const char *name, struct pl_error *err);
xmlDoc *pl_xml_parse_string(const char *text, const char *name, struct pl_error *err);
/* As pl_xml_parse_memory, but a malformed document is repaired as libxml2's recover mode does
 * (Pacemaker parses its tools' input so: an unclosed element is closed); *repaired tells what
 * was wrong (code 0 when nothing). Doctypes and excessive depth are still refused. */
xmlDoc *pl_xml_parse_memory_recover(
    const char *buf, size_t len, const char *name, struct pl_error *err, struct pl_error *repaired);

/* Levels of elements in the tree under node (node itself is 1; 0 for NULL). Iterative. */
size_t pl_xml_depth(const xmlNode *node);

/* Building. */
xmlDoc *pl_xml_new_doc(const char *root_name); /* a document with an empty root element */
xmlNode *pl_xml_add_child(xmlNode *parent, const char *name); /* appended last */

/* Names. pl_xml_is: an element named `name` (any element when name is NULL). */
bool pl_xml_is(const xmlNode *node, const char *name);
const char *pl_xml_name(const xmlNode *node);

/* Attributes. pl_xml_attr returns a pointer into the tree or NULL if absent; no allocation. */
const char *pl_xml_attr(const xmlNode *node, const char *name);
static inline const char *
pl_xml_id(const xmlNode *node)
{
	return pl_xml_attr(node, "id");
}
void pl_xml_set_attr(xmlNode *node, const char *name, const char *value); /* NULL value unsets */
void pl_xml_set_attr_int(xmlNode *node, const char *name, long long value);
bool pl_xml_unset_attr(xmlNode *node, const char *name); /* true if it was present */
/* Integer attribute: absent -> *out = def, true; present but not an integer within
 * [LLONG_MIN, LLONG_MAX] (surrounding spaces allowed) -> false with err naming the node. */
bool pl_xml_attr_int(
    const xmlNode *node, const char *name, long long def, long long *out, struct pl_error *err);
/* Time attribute (interval="10s", timeout="PT1M"; see interval.h): absent -> *ms = def, true;
 * invalid -> false with err "NAME:LINE: PATH: attribute interval='10x': invalid interval ...". */
bool pl_xml_attr_interval_ms(
    const xmlNode *node, const char *name, uint64_t def, uint64_t *ms, struct pl_error *err);
/* Score attribute (include/paceline/score.h, strict): absent -> def; invalid -> false with err
 * "NAME:LINE: PATH: attribute score='x': invalid score 'x': expected ...". */
bool pl_xml_attr_score(
    const xmlNode *node, const char *name, int def, int *out, struct pl_error *err);

/* Navigation over element children; name NULL means any element. Comments, text etc. are
 * skipped. The FOREACH body must not unlink `child` (take the next sibling first for that). */
xmlNode *pl_xml_first_child(const xmlNode *parent, const char *name);
xmlNode *pl_xml_next_sibling(const xmlNode *node, const char *name);
xmlNode *pl_xml_root(const xmlDoc *doc);
size_t pl_xml_count_children(const xmlNode *parent, const char *name);

#define PL_XML_FOREACH_CHILD(parent, name, child)                                  \
	for (xmlNode *child = pl_xml_first_child((parent), (name)); child != NULL; \
	     child = pl_xml_next_sibling(child, (name)))

/* Lookup by id, depth-first from root (root included); element name NULL means any. */
xmlNode *pl_xml_find_id(const xmlNode *root, const char *name, const char *id);
/* For big documents: a table id -> element over the subtree, built in one pass. Keys point into
 * the tree (valid until the tree changes); the first element with an id wins, the number of
 * later duplicates goes to *duplicates when not NULL. Free with g_hash_table_destroy. */
GHashTable *pl_xml_index_ids(const xmlNode *root, size_t *duplicates);

/* Location for messages. pl_xml_line: 0 if unknown (built in memory). pl_xml_path: xmalloc'd
 * "/cib/configuration/resources/primitive[@id='x']" (a position "[2]" for ambiguous elements
 * without id). pl_xml_doc_name: the parser's name for the document or "<memory>". */
long pl_xml_line(const xmlNode *node);
char *pl_xml_path(const xmlNode *node);
const char *pl_xml_doc_name(const xmlNode *node);
/* err = "NAME:LINE: PATH: message" (NAME: PATH: when the line is unknown). */
void pl_xml_error_set(struct pl_error *err, int code, const xmlNode *node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Output and copies. Dumps are xmalloc'd, without XML declaration; pretty ones are indented
 * by two spaces a level and end with a newline. */
char *pl_xml_dump(const xmlNode *node, bool pretty);
xmlNode *pl_xml_copy(const xmlNode *node, xmlDoc *into); /* deep copy, not linked anywhere */
xmlDoc *pl_xml_copy_doc(const xmlNode *node);		 /* deep copy as a new doc's root */

#endif
