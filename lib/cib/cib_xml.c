/*
 * cib_xml.c - the libxml2 helpers lib/cib uses: attribute access, element iteration, paths in
 * Pacemaker's form, parsing with line numbers, score and interval parsing.
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

const char *cib_attr(const xmlNode *n, const char *name)
{
	if (!cib_is_elem(n))
		return NULL;
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, name) == 0) {
			if (a->children != NULL && a->children->content != NULL)
				return (const char *)a->children->content;
			return "";
		}
	}
	return NULL;
}

void cib_set_attr(xmlNode *n, const char *name, const char *value)
{
	if (value == NULL)
		cib_unset_attr(n, name);
	else
		xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

void cib_set_attr_long(xmlNode *n, const char *name, long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", value);
	cib_set_attr(n, name, buf);
}

void cib_unset_attr(xmlNode *n, const char *name)
{
	xmlAttr *a = xmlHasProp(n, (const xmlChar *)name);

	if (a != NULL)
		xmlRemoveProp(a);
}

long cib_attr_long(const xmlNode *n, const char *name, long dflt)
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

xmlNode *cib_first_elem(const xmlNode *n)
{
	if (n == NULL)
		return NULL;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *cib_next_elem(const xmlNode *n)
{
	for (xmlNode *c = n->next; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}

xmlNode *cib_child(const xmlNode *n, const char *name)
{
	CIB_FOR_EACH_CHILD(n, c)
		if (strcmp(cib_name(c), name) == 0)
			return c;
	return NULL;
}

xmlNode *cib_child_by_id(const xmlNode *n, const char *name, const char *id)
{
	CIB_FOR_EACH_CHILD(n, c) {
		const char *cid;

		if (strcmp(cib_name(c), name) != 0)
			continue;
		cid = cib_attr(c, "id");
		if (id == NULL || (cid != NULL && strcmp(cid, id) == 0))
			return c;
	}
	return NULL;
}

int cib_elem_index(const xmlNode *n)
{
	int i = 0;

	for (const xmlNode *c = n->prev; c != NULL; c = c->prev)
		if (c->type == XML_ELEMENT_NODE)
			i++;
	return i;
}

xmlNode *cib_copy(const xmlNode *n)
{
	return xmlDocCopyNode((xmlNode *)n, NULL, 1);
}

xmlNode *cib_copy_shallow(const xmlNode *n)
{
	xmlNode *c = xmlNewNode(NULL, n->name);

	cib_copy_attrs(c, n);
	return c;
}

void cib_copy_attrs(xmlNode *dst, const xmlNode *src)
{
	for (const xmlAttr *a = src->properties; a != NULL; a = a->next) {
		const char *v = a->children != NULL ? (const char *)a->children->content : "";

		xmlSetProp(dst, a->name, (const xmlChar *)(v ? v : ""));
	}
}

char *cib_element_path(const xmlNode *n)
{
	char *parent, *r;
	const char *id;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return xstrdup("");
	parent = cib_element_path(n->parent);
	id = cib_attr(n, "id");
	if (id != NULL)
		r = xasprintf("%s/%s[@id='%s']", parent, cib_name(n), id);
	else
		r = xasprintf("%s/%s", parent, cib_name(n));
	free(parent);
	return r;
}

/* One step of a path: "name" or "name[@id='x']" (or with double quotes). */
static bool parse_step(const char *step, size_t len, char *name, size_t nsz, char *id,
		       size_t isz, bool *has_id)
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

xmlNode *cib_resolve_path(xmlNode *root, const char *path)
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
			if (has_id && (cib_attr(root, "id") == NULL ||
				       strcmp(cib_attr(root, "id"), id) != 0))
				return NULL;
			cur = root;
		} else {
			cur = cib_child_by_id(cur, name, has_id ? id : NULL);
			if (cur == NULL)
				return NULL;
		}
	}
	return *p == '\0' ? cur : NULL;
}

struct parse_errors {
	char first[512];
	int line;
	int count;
};

static void collect_error(void *arg, xmlErrorPtr err)
{
	struct parse_errors *pe = arg;

	if (pe->count++ == 0) {
		size_t l;

		snprintf(pe->first, sizeof(pe->first), "%s", err->message ? err->message : "?");
		l = strlen(pe->first);
		while (l > 0 && pe->first[l - 1] == '\n')
			pe->first[--l] = '\0';
		pe->line = err->line;
	}
}

static xmlDoc *parse_common(const char *text, int len, const char *path, const char *what,
			    struct pl_error *e)
{
	struct parse_errors pe = { "", 0, 0 };
	xmlParserCtxt *ctx = xmlNewParserCtxt();
	xmlDoc *doc;
	int opts = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_BIG_LINES;

	/* The structured handler is per thread in libxml2, so this is safe off the main loop. */
	xmlSetStructuredErrorFunc(&pe, collect_error);
	if (path != NULL)
		doc = xmlCtxtReadFile(ctx, path, NULL, opts);
	else
		doc = xmlCtxtReadMemory(ctx, text, len, what, NULL, opts);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(ctx);
	if (doc == NULL || pe.count > 0 || xmlDocGetRootElement(doc) == NULL) {
		if (pe.count > 0)
			pl_error_set(e, CIB_EX_DATAERR, "%s:%d: malformed XML: %s", what, pe.line,
				     pe.first);
		else if (doc == NULL && path != NULL && errno == ENOENT)
			pl_error_set(e, CIB_EX_NOINPUT, "%s: no such file", what);
		else
			pl_error_set(e, CIB_EX_DATAERR, "%s: no XML document found", what);
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

xmlDoc *cib_parse_string(const char *text, const char *what, struct pl_error *e)
{
	size_t len = strlen(text);

	if (len > INT_MAX) {
		pl_error_set(e, CIB_EX_DATAERR, "%s: input too large", what);
		return NULL;
	}
	return parse_common(text, (int)len, NULL, what, e);
}

xmlDoc *cib_parse_file(const char *path, struct pl_error *e)
{
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		pl_error_set(e, errno == ENOENT ? CIB_EX_NOINPUT : CIB_EX_IOERR, "%s: %s", path,
			     strerror(errno));
		return NULL;
	}
	fclose(f);
	return parse_common(NULL, 0, path, path, e);
}

char *cib_dump(const xmlNode *n, bool formatted)
{
	xmlBuffer *b = xmlBufferCreate();
	char *r;

	xmlNodeDump(b, n->doc, (xmlNode *)n, 0, formatted ? 1 : 0);
	r = xasprintf("%s%s", (const char *)xmlBufferContent(b), formatted ? "\n" : "");
	xmlBufferFree(b);
	return r;
}

bool cib_parse_score(const char *s, long *out)
{
	char *end;
	long long v;

	if (s == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (strcasecmp(s, "INFINITY") == 0 || strcasecmp(s, "+INFINITY") == 0) {
		*out = 1000000;
		return true;
	}
	if (strcasecmp(s, "-INFINITY") == 0) {
		*out = -1000000;
		return true;
	}
	if (strcmp(s, "red") == 0 || strcmp(s, "green") == 0 || strcmp(s, "yellow") == 0) {
		*out = 0;	/* node-health-* colours; resolved by the scheduler */
		return true;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno == ERANGE)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return false;
	if (v > 1000000)
		v = 1000000;
	if (v < -1000000)
		v = -1000000;
	*out = (long)v;
	return true;
}

/* ISO 8601 duration: PnYnMnDTnHnMnS (months 30 days, years 365 days, as Pacemaker). */
static bool parse_iso_duration(const char *s, long long *ms)
{
	bool in_time = false;
	long long total = 0;

	if (*s++ != 'P' || *s == '\0')
		return false;
	while (*s != '\0') {
		char *end;
		long long n;

		if (*s == 'T') {
			in_time = true;
			s++;
			continue;
		}
		n = strtoll(s, &end, 10);
		if (end == s)
			return false;
		switch (*end) {
		case 'Y': total += n * 365 * 86400000LL; break;
		case 'M': total += in_time ? n * 60000LL : n * 30 * 86400000LL; break;
		case 'W': total += n * 7 * 86400000LL; break;
		case 'D': total += n * 86400000LL; break;
		case 'H': total += n * 3600000LL; break;
		case 'S': total += n * 1000LL; break;
		default: return false;
		}
		s = end + 1;
	}
	*ms = total;
	return true;
}

bool cib_parse_interval_ms(const char *s, long long *out)
{
	char *end;
	double v;
	long long mult = 1000;

	if (s == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == 'P')
		return parse_iso_duration(s, out);
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno == ERANGE || v < 0)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end == '\0' || strcasecmp(end, "s") == 0 || strcasecmp(end, "sec") == 0)
		mult = 1000;
	else if (strcasecmp(end, "ms") == 0 || strcasecmp(end, "msec") == 0)
		mult = 1;
	else if (strcasecmp(end, "us") == 0 || strcasecmp(end, "usec") == 0) {
		*out = (long long)(v / 1000);
		return true;
	} else if (strcasecmp(end, "m") == 0 || strcasecmp(end, "min") == 0)
		mult = 60000;
	else if (strcasecmp(end, "h") == 0 || strcasecmp(end, "hr") == 0)
		mult = 3600000;
	else
		return false;
	*out = (long long)(v * (double)mult);
	return true;
}
