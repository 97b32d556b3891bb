/*
 * cib_diff.c - Pacemaker's v2 patchset format (<diff format="2">, what crm_diff prints and
 * cibadmin -P applies): computing the patch between two trees and applying one.
 *
 * Children are matched by element name and id (id-less elements: the k-th id-less sibling of
 * the same name matches the k-th, or with PL_CIB_DIFF_FIRST_MATCH the first of its name, as
 * Pacemaker's crm_diff). Changes come in the order Pacemaker emits them: deletes
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

/* Pacemaker's <version>: the counters of both roots as they are written, "1" when missing. */
static void
add_version(xmlNode *patch, const xmlNode *old_root, const xmlNode *new_root)
{
	xmlNode *ver = xmlNewChild(patch, NULL, (const xmlChar *)"version", NULL);
	const xmlNode *roots[2] = { old_root, new_root };
	static const char *const which[2] = { "source", "target" };
	static const char *const fields[3] = { "admin_epoch", "epoch", "num_updates" };

	for (int i = 0; i < 2; i++) {
		xmlNode *n = xmlNewChild(ver, NULL, (const xmlChar *)which[i], NULL);

		for (int f = 0; f < 3; f++) {
			const char *v = cib_attr(roots[i], fields[f]);

			/* A counter the new root lacks is its old value (Pacemaker keeps a removed
			 * attribute, marked deleted, until the patch is made). */
			if (v == NULL && i == 1)
				v = cib_attr(old_root, fields[f]);

			cib_set_attr(n, fields[f], v ? v : "1");
		}
	}
}

/*
 * Computing a patch follows Pacemaker's change tracking (xml_calculate_changes): a first
 * pass marks the new tree, a second emits the changes in pre-order of the new tree.
 *
 *   mark(old, new)   attributes are compared at emission; each child of old is looked up in
 *                    new (elements by name and id, comments by text at the same position):
 *                    found -> mark the pair, missing -> a delete (comments with their
 *                    position), and the old child no longer counts for positions (SKIP);
 *                    each child of new is looked up in old: missing -> CREATED (and SKIP),
 *                    found at another position (counting what is not SKIP) -> MOVED, and
 *                    the one of the two that jumped forward stops counting (SKIP)
 *   emit(new)        CREATED: a create at its index, nothing below; else a modify when
 *                    attributes differ, the children, then a move when MOVED
 *
 * Comments are tracked like elements; text nodes are not. The lookups by name and id take
 * the first match, as Pacemaker's do (an id-less element matches the first of its name).
 */
enum { F_SKIP = 1, F_CREATED = 2, F_MOVED = 4, F_PROCESSED = 8 };

struct dctx {
	GHashTable *flags;   /* node -> F_* */
	GHashTable *partner; /* new element -> the old element it was compared with */
	GHashTable *index;   /* parent -> (name[\x01id] -> first matching child), wide parents */
	xmlNode *patch, *dels;
	unsigned opts;
};

static bool
tracked(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE || n->type == XML_COMMENT_NODE;
}

#define FOR_EACH_TRACKED(parent, c)                                   \
	for (xmlNode *c = (parent)->children; c != NULL; c = c->next) \
		if (tracked(c))

static unsigned
flags_of(const struct dctx *d, const xmlNode *n)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(d->flags, n));
}

static void
flag(struct dctx *d, const xmlNode *n, unsigned f)
{
	g_hash_table_insert(d->flags, (gpointer)n, GUINT_TO_POINTER(flags_of(d, n) | f));
}

/* Tracked siblings before n, not counting those with a flag of mask. */
static int
position(const struct dctx *d, const xmlNode *n, unsigned mask)
{
	int p = 0;

	for (const xmlNode *s = n->prev; s != NULL; s = s->prev)
		if (tracked(s) && (mask == 0 || !(flags_of(d, s) & mask)))
			p++;
	return p;
}

static const char *
comment_text(const xmlNode *n)
{
	return n->content ? (const char *)n->content : "";
}

/* A comment matches a comment of the same text (any case) at the same position. */
static xmlNode *
match_comment(const struct dctx *d, const xmlNode *haystack, const xmlNode *needle)
{
	int want = position(d, needle, F_SKIP);

	FOR_EACH_TRACKED(haystack, c)
	{
		int at = position(d, c, F_SKIP);

		if (at < want)
			continue;
		if (at > want)
			return NULL;
		if (flags_of(d, c) & F_SKIP)
			continue;
		if (c->type == XML_COMMENT_NODE &&
		    g_ascii_strcasecmp(comment_text(c), comment_text(needle)) == 0)
			return c;
		return NULL;
	}
	return NULL;
}

static char *
index_key(const char *name, const char *id)
{
	return id ? xasprintf("%s\x01%s", name, id) : xstrdup(name);
}

/* The k-th id-less element child of haystack named as needle, needle being the k-th of its
 * parent (without PL_CIB_DIFF_FIRST_MATCH). */
static xmlNode *
match_ordinal(const xmlNode *haystack, const xmlNode *needle)
{
	int k = 0;

	for (const xmlNode *s = needle->prev; s != NULL; s = s->prev)
		if (s->type == XML_ELEMENT_NODE && cib_attr(s, "id") == NULL &&
		    strcmp(cib_name(s), cib_name(needle)) == 0)
			k++;
	CIB_FOR_EACH_CHILD (haystack, c)
		if (cib_attr(c, "id") == NULL && strcmp(cib_name(c), cib_name(needle)) == 0 &&
		    k-- == 0)
			return c;
	return NULL;
}

xmlNode *
pl__cib_first_match(const xmlNode *haystack, const xmlNode *needle)
{
	const char *id = cib_attr(needle, "id");

	CIB_FOR_EACH_CHILD (haystack, c) {
		const char *cid = cib_attr(c, "id");

		if (strcmp(cib_name(c), cib_name(needle)) == 0 &&
		    (id == NULL || (cid != NULL && strcmp(cid, id) == 0)))
			return c;
	}
	return NULL;
}

/* The first element child of haystack with needle's name and, when needle has an id, id
 * (indexed beyond 16 children). */
static xmlNode *
match_element(struct dctx *d, const xmlNode *haystack, const xmlNode *needle)
{
	const char *id = cib_attr(needle, "id");
	GHashTable *idx = g_hash_table_lookup(d->index, haystack);
	int n = 0;

	if (id == NULL && !(d->opts & PL_CIB_DIFF_FIRST_MATCH))
		return match_ordinal(haystack, needle);

	if (idx == NULL) {
		CIB_FOR_EACH_CHILD (haystack, c)
			n++;
		if (n <= 16)
			return pl__cib_first_match(haystack, needle);
		idx = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
		CIB_FOR_EACH_CHILD (haystack, c) {
			const char *cid = cib_attr(c, "id");
			char *k = index_key(cib_name(c), NULL);

			if (!g_hash_table_contains(idx, k))
				g_hash_table_insert(idx, k, c);
			else
				free(k);
			if (cid != NULL) {
				k = index_key(cib_name(c), cid);
				if (!g_hash_table_contains(idx, k))
					g_hash_table_insert(idx, k, c);
				else
					free(k);
			}
		}
		g_hash_table_insert(d->index, (gpointer)haystack, idx);
	}
	{
		char *k = index_key(cib_name(needle), id);
		xmlNode *m = g_hash_table_lookup(idx, k);

		free(k);
		return m;
	}
}

static xmlNode *
match(struct dctx *d, const xmlNode *haystack, const xmlNode *needle)
{
	if (needle->type == XML_COMMENT_NODE)
		return match_comment(d, haystack, needle);
	return match_element(d, haystack, needle);
}

static char *
node_path(const xmlNode *n)
{
	char *parent, *r;

	if (n->type == XML_ELEMENT_NODE)
		return pl__cib_element_path(n);
	parent = pl__cib_element_path(n->parent);
	r = xasprintf("%s/comment", parent);
	free(parent);
	return r;
}

static xmlNode *
new_change(xmlNode *patch, const char *op, const xmlNode *node_for_path, const char *path)
{
	xmlNode *ch = xmlNewChild(patch, NULL, (const xmlChar *)"change", NULL);
	char *p = path ? xstrdup(path) : node_path(node_for_path);

	cib_set_attr(ch, "operation", op);
	cib_set_attr(ch, "path", p);
	free(p);
	return ch;
}

static void
record_delete(struct dctx *d, const xmlNode *old_child, const xmlNode *new_parent)
{
	char *parent = pl__cib_element_path(new_parent);
	const char *id = cib_attr(old_child, "id");
	char *path = old_child->type == XML_COMMENT_NODE ? xasprintf("%s/comment", parent)
	    : id != NULL ? xasprintf("%s/%s[@id='%s']", parent, cib_name(old_child), id)
			 : xasprintf("%s/%s", parent, cib_name(old_child));
	xmlNode *ch = new_change(d->dels, "delete", NULL, path);

	if (old_child->type == XML_COMMENT_NODE)
		cib_set_attr_long(ch, "position", position(d, old_child, F_SKIP));
	free(path);
	free(parent);
}

static void
mark(struct dctx *d, const xmlNode *old, const xmlNode *nw)
{
	if (flags_of(d, nw) & F_PROCESSED)
		return;
	flag(d, nw, F_PROCESSED);
	g_hash_table_insert(d->partner, (gpointer)nw, (gpointer)old);

	FOR_EACH_TRACKED(old, oc)
	{
		xmlNode *nc = match(d, nw, oc);

		if (nc != NULL) {
			mark(d, oc, nc);
		} else {
			record_delete(d, oc, nw);
			flag(d, oc, F_SKIP);
		}
	}
	FOR_EACH_TRACKED(nw, nc)
	{
		xmlNode *oc = match(d, old, nc);

		if (oc == NULL) {
			flag(d, nc, F_SKIP | F_CREATED);
		} else {
			int p_new = position(d, nc, F_SKIP), p_old = position(d, oc, F_SKIP);

			if (p_new != p_old) {
				flag(d, nc, F_MOVED);
				flag(d, p_old > p_new ? oc : nc, F_SKIP);
			}
		}
	}
}

static const char *
attr_value(const xmlAttr *a)
{
	return a->children && a->children->content ? (const char *)a->children->content : "";
}

static xmlAttr *
attr_at(const xmlNode *n, const char *name, int *index)
{
	int i = 0;

	for (xmlAttr *a = n->properties; a != NULL; a = a->next, i++)
		if (strcmp((const char *)a->name, name) == 0) {
			*index = i;
			return a;
		}
	return NULL;
}

/* Which attributes of nw changed (dirty[i] for the i-th), and which of old's are gone:
 * values set or changed, attributes that are new and, with attribute moves tracked, those
 * whose position changed (Pacemaker's rule: the one that jumped forward stops counting). */
static bool
diff_attrs(
    const xmlNode *old, const xmlNode *nw, bool skip_version, bool moves, bool *dirty, bool *gone)
{
	int n_old = 0, n_new = 0, i = 0;
	bool any = false, *skip_old, *skip_new;

	for (xmlAttr *a = old->properties; a != NULL; a = a->next)
		n_old++;
	for (xmlAttr *a = nw->properties; a != NULL; a = a->next)
		n_new++;
	skip_old = xcalloc((size_t)n_old + 1, sizeof(bool));
	skip_new = xcalloc((size_t)n_new + 1, sizeof(bool));
	for (int k = 0; k < n_new; k++)
		dirty[k] = true; /* created until found in old */
	for (xmlAttr *a = old->properties; a != NULL; a = a->next, i++) {
		const char *name = (const char *)a->name;
		int j;
		xmlAttr *b = attr_at(nw, name, &j);

		gone[i] = false;
		if (b == NULL) {
			gone[i] = !(skip_version && is_version_attr(name));
			any = any || gone[i];
			continue;
		}
		dirty[j] = false;
		if (strcmp(attr_value(a), attr_value(b)) != 0) {
			dirty[j] = true;
		} else if (moves) {
			int p_old = 0, p_new = 0;

			for (int k = 0; k < i; k++)
				p_old += !skip_old[k];
			for (int k = 0; k < j; k++)
				p_new += !skip_new[k];
			if (p_old != p_new) {
				dirty[j] = true;
				if (p_old > p_new)
					skip_old[i] = true;
				else
					skip_new[j] = true;
			}
		}
	}
	i = 0;
	for (xmlAttr *b = nw->properties; b != NULL; b = b->next, i++) {
		if (skip_version && is_version_attr((const char *)b->name))
			dirty[i] = false;
		any = any || dirty[i];
	}
	free(skip_old);
	free(skip_new);
	return any;
}

/* The modify change of nw against old, when an attribute differs: the change-list (nw's
 * changed attributes in its order, then old's removed ones) and, as change-result, nw
 * without children (without the version attributes when skip_version). */
static void
emit_modify(xmlNode *patch, const xmlNode *old, const xmlNode *nw, bool skip_version, bool moves)
{
	int n_old = 0, n_new = 0, i = 0;
	bool *dirty, *gone;
	xmlNode *ch, *list, *res, *s;

	for (xmlAttr *a = old->properties; a != NULL; a = a->next)
		n_old++;
	for (xmlAttr *a = nw->properties; a != NULL; a = a->next)
		n_new++;
	dirty = xcalloc((size_t)n_new + 1, sizeof(bool));
	gone = xcalloc((size_t)n_old + 1, sizeof(bool));
	if (!diff_attrs(old, nw, skip_version, moves, dirty, gone)) {
		free(dirty);
		free(gone);
		return;
	}
	ch = new_change(patch, "modify", nw, NULL);
	list = xmlNewChild(ch, NULL, (const xmlChar *)"change-list", NULL);
	for (xmlAttr *b = nw->properties; b != NULL; b = b->next, i++) {
		xmlNode *ca;

		if (!dirty[i])
			continue;
		ca = xmlNewChild(list, NULL, (const xmlChar *)"change-attr", NULL);
		cib_set_attr(ca, "name", (const char *)b->name);
		cib_set_attr(ca, "operation", "set");
		cib_set_attr(ca, "value", attr_value(b));
	}
	i = 0;
	for (xmlAttr *a = old->properties; a != NULL; a = a->next, i++) {
		xmlNode *ca;

		if (!gone[i])
			continue;
		ca = xmlNewChild(list, NULL, (const xmlChar *)"change-attr", NULL);
		cib_set_attr(ca, "name", (const char *)a->name);
		cib_set_attr(ca, "operation", "unset");
	}
	res = xmlNewChild(ch, NULL, (const xmlChar *)"change-result", NULL);
	s = pl__cib_copy_shallow(nw);
	if (skip_version) {
		cib_unset_attr(s, "admin_epoch");
		cib_unset_attr(s, "epoch");
		cib_unset_attr(s, "num_updates");
	}
	xmlAddChild(res, s);
	free(dirty);
	free(gone);
}

void
pl__cib_diff_modify(xmlNode *patch, const xmlNode *old, const xmlNode *nw, bool skip_version)
{
	emit_modify(patch, old, nw, skip_version, false);
}

/* The create change of child (an element or a comment), the position-th tracked child of its
 * parent. */
void
pl__cib_diff_create_child(xmlNode *patch, const xmlNode *child, int position)
{
	xmlNode *ch = new_change(patch, "create", child->parent, NULL);

	cib_set_attr_long(ch, "position", position);
	xmlAddChild(ch, xmlCopyNode((xmlNode *)child, 1));
}

static void
emit(struct dctx *d, const xmlNode *nw)
{
	unsigned f = flags_of(d, nw);
	const xmlNode *old;

	if (f & F_CREATED) {
		pl__cib_diff_create_child(d->patch, nw, position(d, nw, 0));
		return;
	}
	old = g_hash_table_lookup(d->partner, nw);
	if (nw->type == XML_ELEMENT_NODE && old != NULL) {
		bool is_root = nw->parent == NULL || nw->parent->type != XML_ELEMENT_NODE;

		emit_modify(d->patch, old, nw, is_root && !(d->opts & PL_CIB_DIFF_VERSION),
		    (d->opts & PL_CIB_DIFF_ATTR_MOVES) != 0);
	}
	FOR_EACH_TRACKED(nw, c)
	emit(d, c);
	if (f & F_MOVED) {
		xmlNode *ch = new_change(d->patch, "move", nw, NULL);

		cib_set_attr_long(ch, "position", position(d, nw, 0));
	}
}

static void
free_index(gpointer p)
{
	g_hash_table_destroy(p);
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
pl_cib_diff_create_full(const xmlNode *old_root, const xmlNode *new_root, unsigned opts)
{
	bool with_version = (opts & PL_CIB_DIFF_VERSION) != 0;
	xmlNode *patch = pl__cib_diff_begin(old_root, new_root, with_version);
	xmlNode *first_change;
	struct dctx d;

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
	d.flags = g_hash_table_new(g_direct_hash, g_direct_equal);
	d.partner = g_hash_table_new(g_direct_hash, g_direct_equal);
	d.index = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_index);
	d.patch = patch;
	d.dels = xmlNewNode(NULL, (const xmlChar *)"deletes");
	d.opts = opts;
	mark(&d, old_root, new_root);
	emit(&d, new_root);
	/* Deletes come first, in the order they were found (pre-order of the old tree). */
	first_change = pl_xml_first_child(patch, "change");
	while (d.dels->children != NULL) {
		xmlNode *del = d.dels->children;

		xmlUnlinkNode(del);
		if (first_change != NULL)
			xmlAddPrevSibling(first_change, del);
		else
			xmlAddChild(patch, del);
	}
	xmlFreeNode(d.dels);
	g_hash_table_destroy(d.flags);
	g_hash_table_destroy(d.partner);
	g_hash_table_destroy(d.index);
	return pl__cib_diff_finish(patch, old_root, new_root, with_version);
}

xmlNode *
pl_cib_diff_create(const xmlNode *old_root, const xmlNode *new_root, bool with_version)
{
	return pl_cib_diff_create_full(old_root, new_root, with_version ? PL_CIB_DIFF_VERSION : 0);
}

/* ---- applying ------------------------------------------------------------------------------ */

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

/*
 * Applying follows Pacemaker's apply_v2_patchset: deletes and modifies take effect in the
 * patch's order; creates and moves are collected (a moved node goes to the end of its
 * siblings meanwhile) and then done in the order of their positions, each at the index it
 * names among its parent's tracked children (elements and comments).
 */
static int
tracked_index(const xmlNode *n)
{
	int p = 0;

	for (const xmlNode *s = n->prev; s != NULL; s = s->prev)
		if (s->type == XML_ELEMENT_NODE || s->type == XML_COMMENT_NODE)
			p++;
	return p;
}

/* The tracked child of parent at index pos, NULL past the end. */
static xmlNode *
child_at(const xmlNode *parent, int pos)
{
	for (xmlNode *c = parent->children; c != NULL; c = c->next)
		if ((c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE) &&
		    tracked_index(c) == pos)
			return c;
	return NULL;
}

/* The node a change's path names: an element path, or one ending in /comment (the first
 * comment of the parent, or the one at position when position >= 0). */
static xmlNode *
resolve_target(xmlNode *root, const char *path, long position)
{
	size_t len = strlen(path);
	xmlNode *n = pl__cib_resolve_path(root, path), *parent;
	char *ppath;

	if (n != NULL || len < 9 || strcmp(path + len - 8, "/comment") != 0)
		return n;
	ppath = xstrndup(path, len - 8);
	parent = pl__cib_resolve_path(root, ppath);
	free(ppath);
	if (parent == NULL)
		return NULL;
	for (xmlNode *c = parent->children; c != NULL; c = c->next)
		if (c->type == XML_COMMENT_NODE && (position < 0 || tracked_index(c) == position))
			return c;
	return NULL;
}

struct deferred {
	const xmlNode *change;
	xmlNode *target;
	long position;
	guint order; /* in the patch: equal positions keep it (Pacemaker's sort is stable) */
	bool create;
};

static gint
by_position(gconstpointer a, gconstpointer b)
{
	const struct deferred *x = a, *y = b;

	if (x->position != y->position)
		return x->position < y->position ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static void
modify_attrs(xmlNode *target, const xmlNode *ch)
{
	xmlNode *result = cib_first_elem(cib_child(ch, "change-result"));
	xmlNode *list = cib_child(ch, "change-list");

	if (result != NULL) {
		/* Pacemaker replaces every attribute with the result's, in the result's order. */
		while (target->properties != NULL)
			xmlRemoveProp(target->properties);
		pl__cib_copy_attrs(target, result);
		return;
	}
	CIB_FOR_EACH_CHILD (list, a) {
		const char *name = cib_attr(a, "name"), *aop = cib_attr(a, "operation");

		if (name == NULL || aop == NULL)
			continue;
		if (strcmp(aop, "set") == 0)
			cib_set_attr(target, name, cib_attr(a, "value") ? cib_attr(a, "value") : "");
		else if (strcmp(aop, "unset") == 0)
			cib_unset_attr(target, name);
	}
}

/* The node a create carries: its first element or comment. */
static const xmlNode *
created_node(const xmlNode *ch)
{
	for (const xmlNode *c = ch->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE)
			return c;
	return NULL;
}

static int
apply_change(xmlNode *root, const xmlNode *ch, GArray *later, struct pl_error *e)
{
	const char *op = cib_attr(ch, "operation");
	const char *path = cib_attr(ch, "path");
	const char *pos = cib_attr(ch, "position");
	long line = xmlGetLineNo((xmlNode *)ch);
	bool is_delete = op != NULL && strcmp(op, "delete") == 0;
	xmlNode *target;

	if (op == NULL || path == NULL) {
		pl_error_set(
		    e, PL_EXIT_DATAERR, "patch line %ld: <change> without operation or path", line);
		return PL_EXIT_DATAERR;
	}
	target = resolve_target(root, path, is_delete && pos ? strtol(pos, NULL, 10) : -1);
	if (target == NULL) {
		if (is_delete)
			return 0; /* already gone */
		pl_error_set(
		    e, PL_EXIT_NOSUCH, "patch line %ld: %s: no element at %s", line, op, path);
		return PL_EXIT_NOSUCH;
	}
	if (is_delete) {
		if (target == root) {
			pl_error_set(e, PL_EXIT_DATAERR,
			    "patch line %ld: refusing to delete the root", line);
			return PL_EXIT_DATAERR;
		}
		xmlUnlinkNode(target);
		xmlFreeNode(target);
	} else if (strcmp(op, "modify") == 0) {
		if (target->type != XML_ELEMENT_NODE) {
			pl_error_set(e, PL_EXIT_DATAERR, "patch line %ld: modify of a comment", line);
			return PL_EXIT_DATAERR;
		}
		modify_attrs(target, ch);
	} else if (strcmp(op, "create") == 0 || strcmp(op, "move") == 0) {
		struct deferred d = { ch, target, pos ? strtol(pos, NULL, 10) : 0, later->len,
			op[0] == 'c' };

		if (d.create && created_node(ch) == NULL) {
			pl_error_set(
			    e, PL_EXIT_DATAERR, "patch line %ld: create without an element", line);
			return PL_EXIT_DATAERR;
		}
		if (!d.create) {
			if (target == root || pos == NULL) {
				pl_error_set(e, PL_EXIT_DATAERR, "patch line %ld: bad move of %s",
				    line, path);
				return PL_EXIT_DATAERR;
			}
			/* meanwhile after its last sibling */
			if (target->parent->last != target)
				xmlAddNextSibling(target->parent->last, target);
		}
		g_array_append_val(later, d);
	} else {
		pl_error_set(e, PL_EXIT_DATAERR, "patch line %ld: unknown operation '%s'", line, op);
		return PL_EXIT_DATAERR;
	}
	return 0;
}

static void
apply_deferred(const struct deferred *d)
{
	if (d->create) {
		xmlNode *child = xmlCopyNode((xmlNode *)created_node(d->change), 1);
		xmlNode *at = child_at(d->target, (int)d->position);

		if (at != NULL)
			xmlAddPrevSibling(at, child);
		else
			xmlAddChild(d->target, child);
	} else {
		xmlNode *n = d->target, *at;
		long cur = tracked_index(n), p = d->position;

		if (p == cur)
			return;
		if (p > cur)
			p++; /* skip itself */
		at = child_at(n->parent, (int)p);
		if (at != NULL)
			xmlAddPrevSibling(at, n);
		else if (n->parent->last != n)
			xmlAddNextSibling(n->parent->last, n);
	}
}

int
pl_cib_diff_apply(xmlNode *root, const xmlNode *patch, struct pl_error *e)
{
	const char *fmt = cib_attr(patch, "format");
	xmlNode *ver = cib_child(patch, "version");
	GArray *later;
	int rc;

	/* Pacemaker's CIB manager applies v1 patches too (crm_diff writes them for CIBs without
	 * a recent feature set, pcs pipes them to cibadmin --patch): versions checked first */
	if (cib_name_is(patch, "diff") && pl_cib_diff_is_v1(patch)) {
		rc = pl_cib_diff_v1_check_version(root, patch, e);
		return rc != 0 ? rc : pl_cib_diff_v1_apply(root, patch, e);
	}
	if (!cib_name_is(patch, "diff") || fmt == NULL || strcmp(fmt, "2") != 0) {
		pl_error_set(e, PL_EXIT_DATAERR,
		    "only v2 patchsets (<diff format=\"2\">) can be "
		    "applied");
		return PL_EXIT_DATAERR;
	}
	if (ver != NULL && (rc = check_version(root, ver, e)) != 0)
		return rc;
	later = g_array_new(false, false, sizeof(struct deferred));
	CIB_FOR_EACH_CHILD (patch, ch) {
		if (!cib_name_is(ch, "change"))
			continue;
		if ((rc = apply_change(root, ch, later, e)) != 0) {
			g_array_free(later, true);
			return rc;
		}
	}
	g_array_sort(later, by_position);
	for (guint i = 0; i < later->len; i++)
		apply_deferred(&g_array_index(later, struct deferred, i));
	g_array_free(later, true);
	if (ver != NULL && cib_child(ver, "target") != NULL) {
		xmlNode *t = cib_child(ver, "target");
		static const char *const names[] = { "admin_epoch", "epoch", "num_updates" };

		for (int i = 0; i < 3; i++)
			if (cib_attr(t, names[i]))
				cib_set_attr(root, names[i], cib_attr(t, names[i]));
	}
	return 0;
}
