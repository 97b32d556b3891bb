/*
 * cib_undo.c - an update applied in place, with an undo log. Copying the whole document
 * for every update and diffing the two copies made each status update cost in proportion
 * to the CIB; here the update changes the live document, the log remembers what it takes to
 * go back (the attributes of each element before its first change, each child added), and
 * the patchset is built from the log by visiting only what changed and its ancestors.
 *
 *   touch(n)  before n's attributes change: keep n's attributes (once per element)
 *   added(n)  after n was linked in: on rollback, unlink and free it
 *   rollback  undo in reverse order: the document is byte for byte what it was
 *   patch     pre-order over the changed elements, like cib_diff.c's walk: a modify for an
 *             element whose attributes differ, a create for an added child at its position
 */
#include <stdlib.h>
#include <glib.h>

#include "paceline/xalloc.h"
#include "cib_private.h"

enum { MARK_PATH = 1, MARK_ADDED = 2 };

struct mark {
	unsigned flags;
	xmlNode *orig; /* attributes before the first change (touched elements) */
};

struct entry {
	xmlNode *node;
	bool added; /* else touched */
};

struct cib_undo {
	GArray *log;	   /* struct entry, in the order of the changes */
	GHashTable *marks; /* xmlNode * -> struct mark *: changed elements and their ancestors */
};

static void
mark_free(gpointer p)
{
	struct mark *m = p;

	if (m->orig != NULL)
		xmlFreeNode(m->orig);
	free(m);
}

struct cib_undo *
cib_undo_new(void)
{
	struct cib_undo *u = XNEW(struct cib_undo);

	u->log = g_array_new(false, false, sizeof(struct entry));
	u->marks = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, mark_free);
	return u;
}

void
cib_undo_free(struct cib_undo *u)
{
	if (u == NULL)
		return;
	g_array_free(u->log, true);
	g_hash_table_destroy(u->marks);
	free(u);
}

static struct mark *
mark_of(struct cib_undo *u, xmlNode *n)
{
	struct mark *m = g_hash_table_lookup(u->marks, n);

	if (m == NULL) {
		m = XNEW(struct mark);
		g_hash_table_insert(u->marks, n, m);
	}
	return m;
}

/* n and its ancestors are on the path the patch walks down. */
static void
mark_path(struct cib_undo *u, xmlNode *n)
{
	for (; cib_is_elem(n); n = n->parent) {
		struct mark *m = mark_of(u, n);

		if (m->flags & MARK_PATH)
			return;
		m->flags |= MARK_PATH;
	}
}

void
cib_undo_touch(struct cib_undo *u, xmlNode *n)
{
	struct mark *m = mark_of(u, n);
	struct entry e = { n, false };

	if (m->orig != NULL)
		return;
	m->orig = pl__cib_copy_shallow(n);
	g_array_append_val(u->log, e);
	mark_path(u, n);
}

void
cib_undo_added(struct cib_undo *u, xmlNode *n)
{
	struct entry e = { n, true };

	mark_of(u, n)->flags |= MARK_ADDED;
	g_array_append_val(u->log, e);
	mark_path(u, n);
}

/* Give n back the attributes of orig, in orig's order (a merge only appends new ones). */
static void
restore_attrs(xmlNode *n, const xmlNode *orig)
{
	for (xmlAttr *a = n->properties, *next; a != NULL; a = next) {
		next = a->next;
		if (cib_attr(orig, (const char *)a->name) == NULL)
			xmlRemoveProp(a);
	}
	for (const xmlAttr *a = orig->properties; a != NULL; a = a->next) {
		const char *v = a->children ? (const char *)a->children->content : "";
		const char *cur = cib_attr(n, (const char *)a->name);

		if (cur == NULL || strcmp(cur, v) != 0)
			cib_set_attr(n, (const char *)a->name, v);
	}
}

void
cib_undo_rollback(struct cib_undo *u)
{
	for (guint i = u->log->len; i-- > 0;) {
		struct entry *e = &g_array_index(u->log, struct entry, i);

		if (e->added) {
			xmlUnlinkNode(e->node);
			xmlFreeNode(e->node);
		} else
			restore_attrs(
			    e->node, ((struct mark *)g_hash_table_lookup(u->marks, e->node))->orig);
	}
	g_array_set_size(u->log, 0);
	g_hash_table_remove_all(u->marks);
}

static void
emit(const struct cib_undo *u, xmlNode *patch, xmlNode *n, bool with_version)
{
	const struct mark *m = g_hash_table_lookup(u->marks, n);
	bool is_root = n->parent == NULL || n->parent->type != XML_ELEMENT_NODE;
	int p = 0;

	if (m->orig != NULL)
		pl__cib_diff_modify(patch, m->orig, n, is_root && !with_version);
	/* positions count comments too, as patches do (cib_diff.c) */
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		const struct mark *cm;

		if (c->type == XML_COMMENT_NODE)
			p++;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		cm = g_hash_table_lookup(u->marks, c);
		if (cm != NULL && (cm->flags & MARK_ADDED))
			pl__cib_diff_create_child(patch, c, p);
		else if (cm != NULL)
			emit(u, patch, c, with_version);
		p++;
	}
}

xmlNode *
cib_undo_patch(const struct cib_undo *u, xmlNode *root, bool with_version)
{
	const struct mark *rm = g_hash_table_lookup(u->marks, root);
	const xmlNode *old_root = rm != NULL && rm->orig != NULL ? rm->orig : root;
	xmlNode *patch = pl__cib_diff_begin(old_root, root, with_version);

	if (rm != NULL)
		emit(u, patch, root, with_version);
	return pl__cib_diff_finish(patch, old_root, root, with_version);
}

xmlNode *
cib_undo_patch_versioned(const struct cib_undo *u, xmlNode *changes, xmlNode *root)
{
	const struct mark *rm = g_hash_table_lookup(u->marks, root);
	const xmlNode *old_root = rm != NULL && rm->orig != NULL ? rm->orig : root;
	xmlNode *patch = pl__cib_diff_begin(old_root, root, true);

	/* The root's modify comes first (pre-order), now with the counters. */
	if (rm != NULL && rm->orig != NULL)
		pl__cib_diff_modify(patch, rm->orig, root, false);
	if (changes != NULL) {
		xmlNode *first = cib_first_elem(changes);
		const char *path = cib_attr(first, "path"), *op = cib_attr(first, "operation");

		if (path != NULL && op != NULL && strcmp(path, "/cib") == 0 &&
		    strcmp(op, "modify") == 0) {
			xmlUnlinkNode(first);
			xmlFreeNode(first);
		}
		while (changes->children != NULL) {
			xmlNode *c = changes->children;

			xmlUnlinkNode(c);
			xmlAddChild(patch, c);
		}
		xmlFreeNode(changes);
	}
	return pl__cib_diff_finish(patch, old_root, root, true);
}

size_t
cib_undo_added_depth(const struct cib_undo *u)
{
	size_t max = 0;

	for (guint i = 0; i < u->log->len; i++) {
		const struct entry *e = &g_array_index(u->log, struct entry, i);
		size_t d;

		if (!e->added)
			continue;
		d = pl_xml_depth(e->node);
		for (const xmlNode *a = e->node->parent; cib_is_elem(a); a = a->parent)
			d++;
		if (d > max)
			max = d;
	}
	return max;
}
