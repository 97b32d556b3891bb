/*
 * cib_xml.c - the XML helpers lib/cib needs beyond xml.h: Pacemaker-style path resolution,
 * id-matched child lookup and shallow copies.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include "paceline/xalloc.h"
#include "cib_private.h"

long
pl__cib_attr_long(const xmlNode *n, const char *name, long dflt)
{
	const char *v = cib_attr(n, name);
	char *end;
	long r;

	if (v == NULL || *v == '\0')
		return dflt;
	errno = 0;
	r = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return dflt;
	return r;
}

xmlNode *
pl__cib_child_by_id(const xmlNode *n, const char *name, const char *id)
{
	CIB_FOR_EACH_CHILD (n, c) {
		const char *cid;

		if (strcmp(cib_name(c), name) != 0)
			continue;
		cid = cib_attr(c, "id");
		if (id == NULL || (cid != NULL && strcmp(cid, id) == 0))
			return c;
	}
	return NULL;
}

xmlNode *
pl__cib_copy_shallow(const xmlNode *n)
{
	xmlNode *c = xmlNewNode(NULL, n->name);

	/* a new element: the attributes are appended in one pass (pl__cib_copy_attrs looks
	 * each one up first, quadratic in their number) */
	if (n->properties != NULL && (c->properties = xmlCopyPropList(c, n->properties)) == NULL)
		abort(); /* only fails when out of memory */
	return c;
}

void
pl__cib_copy_attrs(xmlNode *dst, const xmlNode *src)
{
	for (const xmlAttr *a = src->properties; a != NULL; a = a->next) {
		const char *v = a->children != NULL ? (const char *)a->children->content : "";

		xmlSetProp(dst, a->name, (const xmlChar *)(v ? v : ""));
	}
}

char *
pl__cib_element_path(const xmlNode *n)
{
	char *parent, *r;
	const char *id;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return xstrdup("");
	parent = pl__cib_element_path(n->parent);
	id = cib_attr(n, "id");
	if (id != NULL)
		r = xasprintf("%s/%s[@id='%s']", parent, cib_name(n), id);
	else
		r = xasprintf("%s/%s", parent, cib_name(n));
	free(parent);
	return r;
}

/* One step of a path: "name" or "name[@id='x']" (or with double quotes). */
static bool
parse_step(const char *step, size_t len, char *name, size_t nsz, char *id, size_t isz, bool *has_id)
{
	const char *br = memchr(step, '[', len);
	size_t nl = br ? (size_t)(br - step) : len;

	if (nl == 0 || nl >= nsz)
		return false;
	memcpy(name, step, nl);
	name[nl] = '\0';
	*has_id = false;
	if (br != NULL) {
		const char *p = br + 1, *end = step + len;
		char q;
		const char *s;

		if (end - p < 7 || strncmp(p, "@id=", 4) != 0)
			return false;
		p += 4;
		q = *p++;
		if (q != '\'' && q != '"')
			return false;
		s = p;
		while (p < end && *p != q)
			p++;
		if (p >= end || (size_t)(p - s) >= isz || p + 2 != end || p[1] != ']')
			return false;
		memcpy(id, s, (size_t)(p - s));
		id[p - s] = '\0';
		*has_id = true;
	}
	return true;
}

xmlNode *
pl__cib_resolve_path(xmlNode *root, const char *path)
{
	xmlNode *cur = NULL;
	const char *p = path;
	char name[256], id[512];
	bool has_id;

	if (p == NULL || *p != '/')
		return NULL;
	while (*p == '/') {
		const char *s = ++p;
		size_t len;
		char quote = 0;

		while (*p != '\0' && (quote || *p != '/')) {
			if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '\'' || *p == '"'))
				quote = *p;
			p++;
		}
		len = (size_t)(p - s);
		if (!parse_step(s, len, name, sizeof(name), id, sizeof(id), &has_id))
			return NULL;
		if (cur == NULL) {
			if (strcmp(cib_name(root), name) != 0)
				return NULL;
			if (has_id &&
			    (cib_attr(root, "id") == NULL || strcmp(cib_attr(root, "id"), id) != 0))
				return NULL;
			cur = root;
		} else {
			cur = pl__cib_child_by_id(cur, name, has_id ? id : NULL);
			if (cur == NULL)
				return NULL;
		}
	}
	return *p == '\0' ? cur : NULL;
}
