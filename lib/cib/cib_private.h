/*
 * cib_private.h - what the files of lib/cib share: thin names over include/paceline/xml.h
 * for the element and attribute access used everywhere here, plus the few helpers xml.h
 * does not have (Pacemaker-style path resolution, shallow copies).
 */
#ifndef CIB_PRIVATE_H
#define CIB_PRIVATE_H

#include <stdbool.h>
#include <string.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/exitcode.h"
#include "paceline/xml.h"

struct pl_cib {
	xmlDoc *doc;
	bool validate;
	bool known_valid; /* the document passed a full validation (or only status changed since) */
};

/* Element helpers (over xml.h). */
static inline bool
cib_is_elem(const xmlNode *n)
{
	return n != NULL && n->type == XML_ELEMENT_NODE;
}
static inline const char *
cib_name(const xmlNode *n)
{
	return (const char *)n->name;
}
static inline bool
cib_name_is(const xmlNode *n, const char *name)
{
	return pl_xml_is(n, name);
}
static inline const char *
cib_attr(const xmlNode *n, const char *name)
{
	return cib_is_elem(n) ? pl_xml_attr(n, name) : NULL;
}
static inline void
cib_set_attr(xmlNode *n, const char *name, const char *value)
{
	pl_xml_set_attr(n, name, value);
}
static inline void
cib_set_attr_long(xmlNode *n, const char *name, long value)
{
	pl_xml_set_attr_int(n, name, value);
}
static inline void
cib_unset_attr(xmlNode *n, const char *name)
{
	pl_xml_unset_attr(n, name);
}
static inline xmlNode *
cib_first_elem(const xmlNode *n)
{
	return n ? pl_xml_first_child(n, NULL) : NULL;
}
static inline xmlNode *
cib_next_elem(const xmlNode *n)
{
	return pl_xml_next_sibling(n, NULL);
}
#define CIB_FOR_EACH_CHILD(parent, c) \
	for (xmlNode *c = cib_first_elem(parent); c != NULL; c = cib_next_elem(c))
static inline xmlNode *
cib_child(const xmlNode *n, const char *name)
{
	return n ? pl_xml_first_child(n, name) : NULL;
}
static inline xmlNode *
cib_copy(const xmlNode *n)
{
	return pl_xml_copy(n, NULL);
}
xmlNode *pl__cib_child_by_id(const xmlNode *n, const char *name, const char *id);
xmlNode *pl__cib_copy_shallow(const xmlNode *n); /* element + attributes */
void pl__cib_copy_attrs(xmlNode *dst, const xmlNode *src);
/* Pacemaker's element path: /cib/configuration/resources/primitive[@id='x']. */
char *pl__cib_element_path(const xmlNode *n);
xmlNode *pl__cib_resolve_path(xmlNode *root, const char *path);
static inline xmlDoc *
cib_parse_string(const char *text, const char *what, struct pl_error *e)
{
	return pl_xml_parse_string(text, what, e);
}
static inline xmlDoc *
cib_parse_file(const char *path, struct pl_error *e)
{
	return pl_xml_parse_file(path, e);
}
static inline char *
cib_dump(const xmlNode *n, bool formatted)
{
	return pl_xml_dump(n, formatted);
}

/* The section element of root for a cibadmin -o name, creating it when create is set. */
xmlNode *pl__cib_section(xmlNode *root, const char *section, bool create);
xmlNode *pl__cib_empty_root(void); /* the cibadmin --empty skeleton */
/* Validate a document whose root is a <status> against the status schema (cib_schema.c). */
int pl__cib_validate_status(xmlDoc *status_doc, struct pl_error *e);
long pl__cib_attr_long(const xmlNode *n, const char *name, long dflt);


/* The first element child of haystack with needle's name and, when needle has an id, that
 * id (Pacemaker's pcmk__xe_match, as its patches match children). cib_diff.c. */
xmlNode *pl__cib_first_match(const xmlNode *haystack, const xmlNode *needle);
/* cib_diff.c pieces, for patches built from what an in-place update changed (cib_undo.c). */
xmlNode *pl__cib_diff_begin(const xmlNode *old_root, const xmlNode *new_root, bool with_version);
xmlNode *pl__cib_diff_finish(
    xmlNode *patch, const xmlNode *old_root, const xmlNode *new_root, bool with_version);
void pl__cib_diff_modify(xmlNode *patch, const xmlNode *old, const xmlNode *nw, bool skip_version);
void pl__cib_diff_create_child(xmlNode *patch, const xmlNode *child, int position);
/*
 * cib_undo.c: an update applied in place on the live document. Every change goes through the
 * log first (touch before an element's attributes change, added after a child is linked in);
 * rollback puts the document back exactly as it was (attribute order included); patch builds
 * the v2 patchset of what changed by visiting only the changed elements and their ancestors,
 * the same changes pl_cib_diff_create would find between the old and the new document.
 */
struct cib_undo;
struct cib_undo *cib_undo_new(void);
void cib_undo_touch(struct cib_undo *u, xmlNode *n);
void cib_undo_added(struct cib_undo *u, xmlNode *n);
void cib_undo_rollback(struct cib_undo *u);
void cib_undo_free(struct cib_undo *u); /* the changes stay */
xmlNode *cib_undo_patch(const struct cib_undo *u, xmlNode *root, bool with_version);
/* The versioned patchset from cib_undo_patch(u, root, false)'s result (taken over, may be
 * NULL) once the counters are set: the same as cib_undo_patch(u, root, true), built once. */
xmlNode *cib_undo_patch_versioned(const struct cib_undo *u, xmlNode *changes, xmlNode *root);
/* The deepest level (root = 1) an added subtree reaches, 0 when nothing was added. */
size_t cib_undo_added_depth(const struct cib_undo *u);
/* cib_xpath.c: the matches of an XPath (a node-set of elements), bounded in cost: an
 * expression that would run longer than 2 s gives PL_EXIT_TIMEOUT. NULL with e set. */
struct _xmlXPathObject;
struct _xmlXPathObject *cib_xpath_select(xmlDoc *doc, const char *xpath, struct pl_error *e);

#endif
