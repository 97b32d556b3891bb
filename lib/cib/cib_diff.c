/*
 * cib_diff.c - Pacemaker's v2 patchset format (<diff format="2">, what crm_diff prints and
 * cibadmin -P applies): computing the patch between two trees and applying one.
 *
 * Children are matched by element name and id (id-less elements: the k-th id-less sibling of
 * the same name matches the k-th). Changes come in the order Pacemaker emits them: deletes
 * first, then a pre-order walk of the new tree with modifies, creates and moves; applying
 * them in order reproduces the new tree. Comments are not tracked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "paceline/xalloc.h"
#include "cib_private.h"

static bool
is_version_attr(const char *name)
{
	return strcmp(name, "admin_epoch") == 0 || strcmp(name, "epoch") == 0 ||
	    strcmp(name, "num_updates") == 0;
}

static void
add_version(xmlNode *patch, const xmlNode *old_root, const xmlNode *new_root)
{
	xmlNode *ver = xmlNewChild(patch, NULL, (const xmlChar *)"version", NULL);
	const xmlNode *roots[2] = { old_root, new_root };
	static const char *const which[2] = { "source", "target" };

	for (int i = 0; i < 2; i++) {
		struct pl_cib_version v;
		xmlNode *n = xmlNewChild(ver, NULL, (const xmlChar *)which[i], NULL);

		pl_cib_xml_version(roots[i], &v);
		cib_set_attr_long(n, "admin_epoch", v.admin_epoch);
		cib_set_attr_long(n, "epoch", v.epoch);
		cib_set_attr_long(n, "num_updates", v.num_updates);
	}
}

/* Key of a child for matching: name + id, or name + rank among id-less siblings of that name. */
static char *
match_key(const xmlNode *c, GHashTable *ranks)
{
	const char *id = cib_attr(c, "id");
	long rank;

	if (id != NULL)
		return xasprintf("%s\x01%s", cib_name(c), id);
	rank = GPOINTER_TO_SIZE(g_hash_table_lookup(ranks, cib_name(c)));
	g_hash_table_insert(ranks, (gpointer)cib_name(c), GSIZE_TO_POINTER(rank + 1));
	return xasprintf("%s\x02%ld", cib_name(c), rank);
}

/* Match each child of nw to a child of old (hash lookups, so wide sections stay linear);
 * returns an array indexed like nw's element children, NULL where nothing matches. */
static bool
same_key(const xmlNode *a, const xmlNode *b)
{
	const char *ia = cib_attr(a, "id"), *ib = cib_attr(b, "id");

	if (strcmp(cib_name(a), cib_name(b)) != 0 || (ia == NULL) != (ib == NULL))
		return false;
	return ia == NULL || strcmp(ia, ib) == 0;
}

/* Small lists (the common case deep in the tree): a linear scan without allocations beyond
 * the result. Id-less elements pair up in order, as with the keys below. */
static xmlNode **
match_small(const xmlNode *old, const xmlNode *nw, int nn, int no)
{
	xmlNode **m = xcalloc((size_t)nn + 1, sizeof(*m));
	xmlNode *olds[16];
	bool used[16] = { false };
	int i = 0, k = 0;

	CIB_FOR_EACH_CHILD (old, c)
		olds[k++] = c;
	CIB_FOR_EACH_CHILD (nw, c) {
		for (int j = 0; j < no; j++)
			if (!used[j] && same_key(olds[j], c)) {
				used[j] = true;
				m[i] = olds[j];
				break;
			}
		i++;
	}
	return m;
}

static xmlNode **
match_children(const xmlNode *old, const xmlNode *nw, int *n_new)
{
	GHashTable *by_key, *ranks;
	int nn = 0, no = 0;
	xmlNode **m;

	CIB_FOR_EACH_CHILD (nw, c)
		nn++;
	CIB_FOR_EACH_CHILD (old, c)
		no++;
	*n_new = nn;
	if (no <= 16)
		return match_small(old, nw, nn, no);
	by_key = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	ranks = g_hash_table_new(g_str_hash, g_str_equal);

	CIB_FOR_EACH_CHILD (old, c) {
		char *k = match_key(c, ranks);

		if (g_hash_table_contains(by_key, k))
			free(k); /* a duplicate id: the first one matches */
		else
			g_hash_table_insert(by_key, k, c);
	}
	g_hash_table_remove_all(ranks);
	m = xcalloc((size_t)nn + 1, sizeof(*m));
	nn = 0;
	CIB_FOR_EACH_CHILD (nw, c) {
		char *k = match_key(c, ranks);
		xmlNode *o = g_hash_table_lookup(by_key, k);

		if (o != NULL) {
			m[nn] = o;
			g_hash_table_remove(by_key, k); /* each old child matches once */
		}
		free(k);
		nn++;
	}
	g_hash_table_destroy(by_key);
	g_hash_table_destroy(ranks);
	return m;
}

static xmlNode *
new_change(xmlNode *patch, const char *op, const xmlNode *node_for_path, const char *path)
{
	xmlNode *ch = xmlNewChild(patch, NULL, (const xmlChar *)"change", NULL);
	char *p = path ? xstrdup(path) : pl__cib_element_path(node_for_path);

	cib_set_attr(ch, "operation", op);
	cib_set_attr(ch, "path", p);
	free(p);
	return ch;
}

/* Any attribute added, changed or removed? (no allocation) */
static bool
attrs_changed(const xmlNode *old, const xmlNode *nw, bool skip_version)
{
	size_t n_old = 0, n_new = 0;

	for (const xmlAttr *a = nw->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		const char *nv = a->children ? (const char *)a->children->content : "";
		const char *ov;

		if (skip_version && is_version_attr(name))
			continue;
		n_new++;
		ov = cib_attr(old, name);
		if (ov == NULL || strcmp(ov, nv ? nv : "") != 0)
			return true;
	}
	for (const xmlAttr *a = old->properties; a != NULL; a = a->next)
		if (!(skip_version && is_version_attr((const char *)a->name)))
			n_old++;
	return n_old != n_new;
}

static bool
attrs_differ(xmlNode *list, const xmlNode *old, const xmlNode *nw, bool skip_version)
{
	bool any = false;

	for (const xmlAttr *a = nw->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		const char *nv = a->children ? (const char *)a->children->content : "";
		const char *ov = cib_attr(old, name);
		xmlNode *ca;

		if (skip_version && is_version_attr(name))
			continue;
		if (ov != NULL && strcmp(ov, nv) == 0)
			continue;
		any = true;
		ca = xmlNewChild(list, NULL, (const xmlChar *)"change-attr", NULL);
		cib_set_attr(ca, "name", name);
		cib_set_attr(ca, "operation", "set");
		cib_set_attr(ca, "value", nv);
	}
	for (const xmlAttr *a = old->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		xmlNode *ca;

		if ((skip_version && is_version_attr(name)) || cib_attr(nw, name) != NULL)
			continue;
		any = true;
		ca = xmlNewChild(list, NULL, (const xmlChar *)"change-attr", NULL);
		cib_set_attr(ca, "name", name);
		cib_set_attr(ca, "operation", "unset");
	}
	return any;
}

/* The modify change of nw when its attributes differ from old's (nothing otherwise): the
 * change-list and, as change-result, nw without children (without the version attributes
 * when skip_version). Only old's attributes are read. */
void
pl__cib_diff_modify(xmlNode *patch, const xmlNode *old, const xmlNode *nw, bool skip_version)
{
	xmlNode *list, *ch, *res, *s;

	/* The change-list is only built for elements whose attributes differ. */
	if (!attrs_changed(old, nw, skip_version))
		return;
	list = xmlNewNode(NULL, (const xmlChar *)"change-list");
	if (!attrs_differ(list, old, nw, skip_version)) {
		xmlFreeNode(list);
		return;
	}
	ch = new_change(patch, "modify", nw, NULL);
	res = xmlNewChild(ch, NULL, (const xmlChar *)"change-result", NULL);
	xmlAddChild(ch, list);
	xmlUnlinkNode(res);
	xmlAddChild(ch, res);
	s = pl__cib_copy_shallow(nw);
	if (skip_version) {
		cib_unset_attr(s, "admin_epoch");
		cib_unset_attr(s, "epoch");
		cib_unset_attr(s, "num_updates");
	}
	xmlAddChild(res, s);
}

/* The create change of child, the position-th element child of its parent. */
void
pl__cib_diff_create_child(xmlNode *patch, const xmlNode *child, int position)
{
	xmlNode *ch = new_change(patch, "create", child->parent, NULL);

	cib_set_attr_long(ch, "position", position);
	xmlAddChild(ch, cib_copy(child));
}

/* One pass over matched pairs: deletes of unmatched old children go to dels (moved to the front
 * of the patch at the end), modifies, creates and moves to patch in pre-order of the new tree. */
static void
walk(xmlNode *patch, xmlNode *dels, const xmlNode *old, const xmlNode *nw, bool with_version)
{
	bool is_root = nw->parent == NULL || nw->parent->type != XML_ELEMENT_NODE;
	bool skip_version = is_root && !with_version;
	int nn, nl = 0, p = 0;
	xmlNode **m, **l;

	pl__cib_diff_modify(patch, old, nw, skip_version);

	/* Simulate the sibling list after deletes, then place each new child at its position. */
	m = match_children(old, nw, &nn);
	l = xcalloc((size_t)nn + 1, sizeof(*l));
	{
		GHashTable *matched = g_hash_table_new(g_direct_hash, g_direct_equal);

		for (int i = 0; i < nn; i++)
			if (m[i] != NULL)
				g_hash_table_add(matched, m[i]);
		CIB_FOR_EACH_CHILD (old, oc) {
			if (g_hash_table_contains(matched, oc))
				l[nl++] = oc;
			else
				new_change(dels, "delete", oc, NULL);
		}
		g_hash_table_destroy(matched);
	}
	CIB_FOR_EACH_CHILD (nw, nc) {
		xmlNode *o = m[p];

		if (o == NULL) {
			pl__cib_diff_create_child(patch, nc, p);
			memmove(&l[p + 1], &l[p], (size_t)(nl - p) * sizeof(*l));
			l[p] = NULL;
			nl++;
		} else {
			if (l[p] != o) {
				xmlNode *ch = new_change(patch, "move", nc, NULL);
				int at = p;

				cib_set_attr_long(ch, "position", p);
				while (at < nl && l[at] != o)
					at++;
				memmove(&l[p + 1], &l[p], (size_t)(at - p) * sizeof(*l));
				l[p] = o;
			}
			walk(patch, dels, o, nc, with_version);
		}
		p++;
	}
	free(l);
	free(m);
}

/* A patch with no change yet: the header, and the version element when with_version. */
xmlNode *
pl__cib_diff_begin(const xmlNode *old_root, const xmlNode *new_root, bool with_version)
{
	xmlNode *patch = xmlNewNode(NULL, (const xmlChar *)"diff");

	cib_set_attr(patch, "format", "2");
	if (with_version)
		add_version(patch, old_root, new_root);
	return patch;
}

/* The patch, or NULL (freed) when it holds no change and, with versions, the version is the
 * same. */
xmlNode *
pl__cib_diff_finish(
    xmlNode *patch, const xmlNode *old_root, const xmlNode *new_root, bool with_version)
{
	bool any = false;

	CIB_FOR_EACH_CHILD (patch, c)
		if (cib_name_is(c, "change"))
			any = true;
	if (!any && with_version) {
		struct pl_cib_version a, b;

		pl_cib_xml_version(old_root, &a);
		pl_cib_xml_version(new_root, &b);
		any = pl_cib_version_cmp(&a, &b) != 0;
	}
	if (!any) {
		xmlFreeNode(patch);
		return NULL;
	}
	return patch;
}

xmlNode *
pl_cib_diff_create(const xmlNode *old_root, const xmlNode *new_root, bool with_version)
{
	xmlNode *patch = pl__cib_diff_begin(old_root, new_root, with_version);
	xmlNode *dels, *first_change;

	if (strcmp(cib_name(old_root), cib_name(new_root)) != 0 ||
	    !cib_attr(old_root, "id") != !cib_attr(new_root, "id") ||
	    (cib_attr(old_root, "id") && strcmp(cib_attr(old_root, "id"), cib_attr(new_root, "id")))) {
		/* Different roots: nothing to match, the patch replaces the whole tree. */
		xmlNode *ch;

		new_change(patch, "delete", old_root, NULL);
		ch = new_change(patch, "create", NULL, "/");
		cib_set_attr(ch, "position", "0");
		xmlAddChild(ch, cib_copy(new_root));
		return patch;
	}
	dels = xmlNewNode(NULL, (const xmlChar *)"deletes");
	walk(patch, dels, old_root, new_root, with_version);
	/* Deletes come first, as Pacemaker emits them. */
	first_change = pl_xml_first_child(patch, "change");
	while (dels->children != NULL) {
		xmlNode *d = dels->children;

		xmlUnlinkNode(d);
		if (first_change != NULL)
			xmlAddPrevSibling(first_change, d);
		else
			xmlAddChild(patch, d);
	}
	xmlFreeNode(dels);
	return pl__cib_diff_finish(patch, old_root, new_root, with_version);
}

/* ---- applying ------------------------------------------------------------------------------ */

static void
insert_at(xmlNode *parent, xmlNode *child, long pos)
{
	xmlNode *at = cib_first_elem(parent);

	for (long i = 0; at != NULL && i < pos; i++)
		at = cib_next_elem(at);
	if (at != NULL)
		xmlAddPrevSibling(at, child);
	else
		xmlAddChild(parent, child);
}

static int
check_version(const xmlNode *root, const xmlNode *ver, struct pl_error *e)
{
	xmlNode *src = cib_child(ver, "source");
	struct pl_cib_version cur, from;
	int cmp;

	if (src == NULL)
		return 0;
	pl_cib_xml_version(root, &cur);
	pl_cib_xml_version(src, &from);
	cmp = pl_cib_version_cmp(&cur, &from);
	if (cmp == 0)
		return 0;
	if (cmp > 0) {
		pl_error_set(e, PL_EXIT_OLD,
		    "Update was older than existing configuration: the patch "
		    "applies to %ld.%ld.%ld but the CIB is at %ld.%ld.%ld",
		    from.admin_epoch, from.epoch, from.num_updates, cur.admin_epoch, cur.epoch,
		    cur.num_updates);
		return PL_EXIT_OLD;
	}
	pl_error_set(e, PL_EXIT_DIGEST,
	    "Application of an update diff failed, requesting a full "
	    "refresh: the patch applies to %ld.%ld.%ld but the CIB is at %ld.%ld.%ld",
	    from.admin_epoch, from.epoch, from.num_updates, cur.admin_epoch, cur.epoch,
	    cur.num_updates);
	return PL_EXIT_DIGEST;
}

static int
apply_change(xmlNode *root, const xmlNode *ch, struct pl_error *e)
{
	const char *op = cib_attr(ch, "operation");
	const char *path = cib_attr(ch, "path");
	const char *pos = cib_attr(ch, "position");
	xmlNode *target;

	if (op == NULL || path == NULL) {
		pl_error_set(e, PL_EXIT_DATAERR, "patch line %ld: <change> without operation or path",
		    xmlGetLineNo((xmlNode *)ch));
		return PL_EXIT_DATAERR;
	}
	target = pl__cib_resolve_path(root, path);
	if (target == NULL) {
		if (strcmp(op, "delete") == 0)
			return 0; /* already gone */
		pl_error_set(e, PL_EXIT_NOSUCH, "patch line %ld: %s: no element at %s",
		    xmlGetLineNo((xmlNode *)ch), op, path);
		return PL_EXIT_NOSUCH;
	}
	if (strcmp(op, "delete") == 0) {
		if (target == root) {
			pl_error_set(e, PL_EXIT_DATAERR,
			    "patch line %ld: refusing to delete the root",
			    xmlGetLineNo((xmlNode *)ch));
			return PL_EXIT_DATAERR;
		}
		xmlUnlinkNode(target);
		xmlFreeNode(target);
	} else if (strcmp(op, "modify") == 0) {
		xmlNode *list = cib_child(ch, "change-list");

		CIB_FOR_EACH_CHILD (list, a) {
			const char *name = cib_attr(a, "name"), *aop = cib_attr(a, "operation");

			if (name == NULL || aop == NULL)
				continue;
			if (strcmp(aop, "set") == 0)
				cib_set_attr(
				    target, name, cib_attr(a, "value") ? cib_attr(a, "value") : "");
			else if (strcmp(aop, "unset") == 0)
				cib_unset_attr(target, name);
		}
	} else if (strcmp(op, "create") == 0) {
		xmlNode *what = cib_first_elem(ch);

		if (what == NULL) {
			pl_error_set(e, PL_EXIT_DATAERR, "patch line %ld: create without an element",
			    xmlGetLineNo((xmlNode *)ch));
			return PL_EXIT_DATAERR;
		}
		insert_at(target, cib_copy(what), pos ? strtol(pos, NULL, 10) : 1L << 30);
	} else if (strcmp(op, "move") == 0) {
		xmlNode *parent = target->parent;

		if (target == root || pos == NULL) {
			pl_error_set(e, PL_EXIT_DATAERR, "patch line %ld: bad move of %s",
			    xmlGetLineNo((xmlNode *)ch), path);
			return PL_EXIT_DATAERR;
		}
		xmlUnlinkNode(target);
		insert_at(parent, target, strtol(pos, NULL, 10));
	} else {
		pl_error_set(e, PL_EXIT_DATAERR, "patch line %ld: unknown operation '%s'",
		    xmlGetLineNo((xmlNode *)ch), op);
		return PL_EXIT_DATAERR;
	}
	return 0;
}

int
pl_cib_diff_apply(xmlNode *root, const xmlNode *patch, struct pl_error *e)
{
	const char *fmt = cib_attr(patch, "format");
	xmlNode *ver = cib_child(patch, "version");
	int rc;

	if (!cib_name_is(patch, "diff") || fmt == NULL || strcmp(fmt, "2") != 0) {
		pl_error_set(e, PL_EXIT_DATAERR,
		    "only v2 patchsets (<diff format=\"2\">) can be "
		    "applied");
		return PL_EXIT_DATAERR;
	}
	if (ver != NULL && (rc = check_version(root, ver, e)) != 0)
		return rc;
	CIB_FOR_EACH_CHILD (patch, ch) {
		if (!cib_name_is(ch, "change"))
			continue;
		if ((rc = apply_change(root, ch, e)) != 0)
			return rc;
	}
	if (ver != NULL && cib_child(ver, "target") != NULL) {
		xmlNode *t = cib_child(ver, "target");
		static const char *const names[] = { "admin_epoch", "epoch", "num_updates" };

		for (int i = 0; i < 3; i++)
			if (cib_attr(t, names[i]))
				cib_set_attr(root, names[i], cib_attr(t, names[i]));
	}
	return 0;
}
