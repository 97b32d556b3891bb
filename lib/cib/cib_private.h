/*
 * cib_private.h - what the files of lib/cib share: small libxml2 helpers (kept here until
 * include/paceline/xml.h is on main, then switched) and the exit codes used.
 */
#ifndef CIB_PRIVATE_H
#define CIB_PRIVATE_H

#include <stdbool.h>
#include <string.h>
#include <libxml/tree.h>

#include "paceline/cib.h"

/* Pacemaker exit codes (the values of crm_exit_t) that the CIB returns. */
enum {
	CIB_EX_OK = 0,
	CIB_EX_ERROR = 1,
	CIB_EX_USAGE = 64,
	CIB_EX_DATAERR = 65,
	CIB_EX_NOINPUT = 66,
	CIB_EX_CANTCREAT = 73,
	CIB_EX_IOERR = 74,
	CIB_EX_PROTOCOL = 76,
	CIB_EX_CONFIG = 78,
	CIB_EX_OLD = 103,
	CIB_EX_DIGEST = 104,
	CIB_EX_NOSUCH = 105,
	CIB_EX_EXISTS = 108,
};

struct pl_cib {
	xmlDoc *doc;
	bool validate;
};

/* Element helpers. */
static inline bool cib_is_elem(const xmlNode *n) { return n != NULL && n->type == XML_ELEMENT_NODE; }
static inline const char *cib_name(const xmlNode *n) { return (const char *)n->name; }
static inline bool cib_name_is(const xmlNode *n, const char *name)
{
	return cib_is_elem(n) && strcmp((const char *)n->name, name) == 0;
}
/* Attribute value without copying (NULL when absent). */
const char *cib_attr(const xmlNode *n, const char *name);
void cib_set_attr(xmlNode *n, const char *name, const char *value);
void cib_set_attr_long(xmlNode *n, const char *name, long value);
void cib_unset_attr(xmlNode *n, const char *name);
xmlNode *cib_first_elem(const xmlNode *n);
xmlNode *cib_next_elem(const xmlNode *n);
#define CIB_FOR_EACH_CHILD(parent, c) \
	for (xmlNode *c = cib_first_elem(parent); c != NULL; c = cib_next_elem(c))
xmlNode *cib_child(const xmlNode *n, const char *name);
xmlNode *cib_child_by_id(const xmlNode *n, const char *name, const char *id);
int cib_elem_index(const xmlNode *n);	/* position among element siblings */
xmlNode *cib_copy(const xmlNode *n);	/* deep copy, no document */
xmlNode *cib_copy_shallow(const xmlNode *n);	/* element + attributes */
void cib_copy_attrs(xmlNode *dst, const xmlNode *src);
/* Pacemaker's element path: /cib/configuration/resources/primitive[@id='x']. */
char *cib_element_path(const xmlNode *n);
xmlNode *cib_resolve_path(xmlNode *root, const char *path);
/* Parse text into a document with line numbers; NULL and e set on failure. */
xmlDoc *cib_parse_string(const char *text, const char *what, struct pl_error *e);
xmlDoc *cib_parse_file(const char *path, struct pl_error *e);
/* Serialise n (formatted) into a new string. */
char *cib_dump(const xmlNode *n, bool formatted);

/* The section element of root for a cibadmin -o name, creating it when create is set. */
xmlNode *cib_section(xmlNode *root, const char *section, bool create);
xmlNode *cib__empty_root(void);	/* the cibadmin --empty skeleton */
long cib_attr_long(const xmlNode *n, const char *name, long dflt);

/* Score parsing ("INFINITY", "+INFINITY", "-INFINITY", integers, saturating). */
bool cib_parse_score(const char *s, long *out);
/* Interval/duration parsing as Pacemaker: "10", "10s", "5min", "1h", "100ms", ISO 8601 "PT5M". */
bool cib_parse_interval_ms(const char *s, long long *out);

#endif
