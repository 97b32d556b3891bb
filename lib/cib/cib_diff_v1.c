/*
 * cib_diff_v1.c - Pacemaker's v1 patch format, the one its crm_diff writes when the original
 * document's crm_feature_set is missing or not above 3.0.8, and applies when a patch has no
 * format or format="1":
 *
 *   <diff crm_feature_set= format="1" digest=>
 *     <diff-removed admin_epoch= epoch= num_updates=>   the old counters
 *       <cib ...>   old's changed attributes; children that changed, a removed subtree
 *                   copied whole with __crm_diff_marker__="removed:top"
 *     <diff-added ...>   the new counters
 *       <cib ...>   all of new's root attributes; a changed element with all its attributes,
 *                   an added subtree copied whole with __crm_diff_marker__="added:top"
 *
 * Children are matched as Pacemaker's pcmk__xml_match does without exactness: an element by
 * name and id (the first of its name when it has no id), a comment by its text (any case)
 * wherever it is. Positions are no part of the format: a move alone is no change, and an
 * applied addition goes to the end of its parent. Applying removes the removed side's
 * subtrees, then sets the added side's attributes (each removed
 * first, so the element takes the patch's attribute order) and appends its subtrees; comments
 * are never removed or changed, and a comment that is new outside an added subtree is only
 * reported (Pacemaker logs "Could not locate"). As in Pacemaker 2.1.5, the removed side's
 * attributes are not removed (see remove_side).
 */
#include <string.h>
#include <strings.h>

#include "cib_private.h"

#define V1_MARKER "__crm_diff_marker__"

static const char *const v1_counters[] = { "admin_epoch", "epoch", "num_updates" };

bool
pl_cib_attr_filtered(const char *name)
{
	static const char *const names[] = { "crm-debug-origin", "cib-last-written",
		"update-origin", "update-client", "update-user" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static bool
same_casei(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

/* Pacemaker's pcmk__xml_match(haystack, needle, false). */
static xmlNode *
v1_match(const xmlNode *haystack, const xmlNode *needle)
{
	if (haystack == NULL)
		return NULL;
	if (needle->type == XML_COMMENT_NODE) {
		for (xmlNode *c = haystack->children; c != NULL; c = c->next)
			if (c->type == XML_COMMENT_NODE &&
			    same_casei((const char *)c->content, (const char *)needle->content))
				return c;
		return NULL;
	}
	return pl__cib_first_match(haystack, needle);
}

/* The element and comment children, as Pacemaker walks them (text skipped). */
static xmlNode *
v1_first(const xmlNode *n)
{
	xmlNode *c = n ? n->children : NULL;

	while (c != NULL && c->type != XML_ELEMENT_NODE && c->type != XML_COMMENT_NODE)
		c = c->next;
	return c;
}

static xmlNode *
v1_next(const xmlNode *n)
{
	xmlNode *c = n->next;

	while (c != NULL && c->type != XML_ELEMENT_NODE && c->type != XML_COMMENT_NODE)
		c = c->next;
	return c;
}

/* dst takes src's attributes, then (with was) those of was that src lost: Pacemaker's change
 * tracking keeps a removed attribute, at the end, until the patch is made. */
static void
set_all_attrs(xmlNode *dst, const xmlNode *src, const xmlNode *was)
{
	for (xmlAttr *a = src->properties; a != NULL; a = a->next)
		cib_set_attr(dst, (const char *)a->name, cib_attr(src, (const char *)a->name));
	for (xmlAttr *a = was ? was->properties : NULL; a != NULL; a = a->next)
		if (cib_attr(src, (const char *)a->name) == NULL)
			cib_set_attr(
			    dst, (const char *)a->name, cib_attr(was, (const char *)a->name));
}

/* Pacemaker's subtract_xml_object: what left has that right lacks, appended to parent. The
 * removed side (left old, full false) keeps only the changed attributes and the id; the added
 * side (left new, full) all the attributes of an element that changed or has changes below
 * it, the id first, with those it lost (right's, as the change tracking still holds them). */
static xmlNode *
subtract(xmlNode *parent, const xmlNode *left, const xmlNode *right, bool full, bool *changed,
    const char *marker)
{
	xmlNode *diff;
	bool any = false;

	if (left->type == XML_COMMENT_NODE) {
		if (right == NULL ||
		    !same_casei((const char *)left->content, (const char *)right->content)) {
			*changed = true;
			return xmlAddChild(parent, xmlCopyNode((xmlNode *)left, 1));
		}
		return NULL;
	}
	if (right == NULL) {
		xmlNode *copy = xmlAddChild(parent, xmlCopyNode((xmlNode *)left, 1));

		cib_set_attr(copy, V1_MARKER, marker);
		*changed = true;
		return copy;
	}
	if (!same_casei(cib_name(left), cib_name(right)))
		return NULL;
	diff = xmlNewChild(parent, NULL, BAD_CAST cib_name(left), NULL);
	for (xmlAttr *a = left->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		const char *lv = cib_attr(left, name), *rv = cib_attr(right, name);

		if (strcmp(name, "id") == 0) {
			cib_set_attr(diff, "id", lv);
			continue;
		}
		if (pl_cib_attr_filtered(name))
			continue;
		if (rv != NULL && strcmp(lv, rv) == 0)
			continue;
		any = true;
		if (!full)
			cib_set_attr(diff, name, lv);
	}
	for (const xmlNode *c = v1_first(left); c != NULL; c = v1_next(c)) {
		bool child_changed = false;

		subtract(diff, c, v1_match(right, c), full, &child_changed, marker);
		any = any || child_changed;
	}
	if (!any) {
		xmlUnlinkNode(diff);
		xmlFreeNode(diff);
		return NULL;
	}
	if (full)
		set_all_attrs(diff, left, right);
	*changed = true;
	return diff;
}

static xmlNode *
child_or_new(xmlNode *parent, const char *name)
{
	xmlNode *c = cib_child(parent, name);

	return c ? c : xmlNewChild(parent, NULL, BAD_CAST name, NULL);
}

/* Pacemaker's xml_repair_v1_diff: the counters on both sides, the old ones on the removed
 * <cib> (all of them when the configuration changed, else num_updates), every attribute of
 * new's root (and those it lost, still tracked) on the added <cib>. */
static void
repair(xmlNode *patch, const xmlNode *old_root, const xmlNode *new_root, bool config_changed)
{
	xmlNode *side = child_or_new(patch, "diff-removed");
	xmlNode *cib = child_or_new(side, "cib");

	for (int i = 0; i < 3; i++) {
		const char *v = cib_attr(old_root, v1_counters[i]);

		if (v == NULL)
			continue;
		cib_set_attr(side, v1_counters[i], v);
		if (config_changed || i == 2)
			cib_set_attr(cib, v1_counters[i], v);
	}
	side = child_or_new(patch, "diff-added");
	cib = child_or_new(side, "cib");
	for (int i = 0; i < 3; i++)
		if (cib_attr(new_root, v1_counters[i]) != NULL)
			cib_set_attr(side, v1_counters[i], cib_attr(new_root, v1_counters[i]));
	set_all_attrs(cib, new_root, old_root);
}

xmlNode *
pl_cib_diff_v1_create(
    const xmlNode *old_root, const xmlNode *new_root, const char *feature_set, bool config_changed)
{
	xmlNode *patch = xmlNewNode(NULL, BAD_CAST "diff");
	xmlNode *removed = xmlNewChild(patch, NULL, BAD_CAST "diff-removed", NULL);
	xmlNode *added = xmlNewChild(patch, NULL, BAD_CAST "diff-added", NULL);
	bool dummy = false;

	cib_set_attr(patch, "crm_feature_set", feature_set);
	subtract(removed, old_root, new_root, false, &dummy, "removed:top");
	subtract(added, new_root, old_root, true, &dummy, "added:top");
	if (removed->children == NULL && added->children == NULL) {
		xmlFreeNode(patch);
		return NULL;
	}
	repair(patch, old_root, new_root, config_changed);
	cib_set_attr(patch, "format", "1");
	return patch;
}

bool
pl_cib_diff_is_v1(const xmlNode *patch)
{
	const char *fmt = cib_attr(patch, "format");

	return fmt == NULL || strcmp(fmt, "1") == 0;
}

/* The counters of a v1 patch's side: its <cib>, else the side itself; missing ones keep
 * what dflt holds (Pacemaker's xml_patch_versions). */
static void
side_version(const xmlNode *patch, const char *side, long v[3])
{
	const xmlNode *s = cib_child(patch, side);
	const xmlNode *c = cib_child(s, "cib");

	if (c == NULL)
		c = s;
	for (int i = 0; i < 3 && c != NULL; i++)
		v[i] = pl__cib_attr_long(c, v1_counters[i], v[i]);
}

int
pl_cib_diff_v1_check_version(const xmlNode *root, const xmlNode *patch, struct pl_error *e)
{
	long cur[3], del[3], add[3];
	bool changed = false;

	for (int i = 0; i < 3; i++) {
		cur[i] = pl__cib_attr_long(root, v1_counters[i], 0);
		if (cur[i] < 0)
			cur[i] = 0;
		del[i] = cur[i];
		add[i] = cur[i] + (i == 2);
	}
	if (cib_child(patch, "diff-removed") == NULL || cib_child(patch, "diff-added") == NULL) {
		pl_error_set(e, PL_EXIT_DATAERR, "a v1 patch needs <diff-removed> and <diff-added>");
		return PL_EXIT_DATAERR;
	}
	side_version(patch, "diff-removed", del);
	side_version(patch, "diff-added", add);
	for (int i = 0; i < 3; i++) {
		if (cur[i] < del[i]) {
			pl_error_set(e, PL_EXIT_DIGEST,
			    "the patch applies to %ld.%ld.%ld but the CIB is at %ld.%ld.%ld",
			    del[0], del[1], del[2], cur[0], cur[1], cur[2]);
			return PL_EXIT_DIGEST;
		}
		if (cur[i] > del[i]) {
			pl_error_set(e, PL_EXIT_OLD,
			    "the patch applies to %ld.%ld.%ld but the CIB is at %ld.%ld.%ld",
			    del[0], del[1], del[2], cur[0], cur[1], cur[2]);
			return PL_EXIT_OLD;
		}
	}
	for (int i = 0; i < 3; i++)
		changed = changed || add[i] > del[i];
	if (!changed) {
		pl_error_set(e, PL_EXIT_OLD,
		    "the patch does not move the version on from %ld.%ld.%ld", cur[0], cur[1],
		    cur[2]);
		return PL_EXIT_OLD;
	}
	return 0;
}

/* Pacemaker 2.1.5's process_v1_removals: the subtrees marked removed:top go; attributes stay
 * (its removal of the listed attributes has no effect: an attribute removed by the patch
 * survives, and the digest check then refuses the result), comments too. */
static void
remove_side(xmlNode *target, const xmlNode *patch)
{
	if (target == NULL || patch == NULL || target->type != XML_ELEMENT_NODE)
		return;
	if (!same_casei(cib_name(target), cib_name(patch)) ||
	    !same_casei(cib_attr(target, "id"), cib_attr(patch, "id")))
		return;
	if (same_casei(cib_attr(patch, V1_MARKER), "removed:top") && target->parent != NULL &&
	    target->parent->type == XML_ELEMENT_NODE) {
		xmlUnlinkNode(target);
		xmlFreeNode(target);
		return;
	}
	for (xmlNode *c = v1_first(target), *next; c != NULL; c = next) {
		next = v1_next(c);
		remove_side(c, v1_match(patch, c));
	}
}

/* Pacemaker's process_v1_additions. Counts in *lost what it could not place. */
static void
add_side(xmlNode *parent, xmlNode *target, const xmlNode *patch, int *lost)
{
	if (patch == NULL || (parent == NULL && target == NULL))
		return;
	if (target == NULL) {
		if (same_casei(cib_attr(patch, V1_MARKER), "added:top") &&
		    patch->type == XML_ELEMENT_NODE)
			xmlAddChild(parent, xmlCopyNode((xmlNode *)patch, 1));
		else
			(*lost)++;
		return;
	}
	if (target->type != XML_ELEMENT_NODE || patch->type != XML_ELEMENT_NODE)
		return; /* a comment matched by its text: nothing to change */
	if (!same_casei(cib_name(target), cib_name(patch)) ||
	    !same_casei(cib_attr(target, "id"), cib_attr(patch, "id")))
		return;
	for (xmlAttr *a = patch->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;

		cib_unset_attr(target, name); /* the patch's order */
		cib_set_attr(target, name, cib_attr(patch, name));
	}
	for (const xmlNode *c = v1_first(patch); c != NULL; c = v1_next(c))
		add_side(target, v1_match(target, c), c, lost);
}

static void
purge_markers(xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	cib_unset_attr(n, V1_MARKER);
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		purge_markers(c);
}

int
pl_cib_diff_v1_apply(xmlNode *root, const xmlNode *patch, struct pl_error *e)
{
	int lost = 0;

	if (!cib_name_is(patch, "diff") || !pl_cib_diff_is_v1(patch)) {
		pl_error_set(e, PL_EXIT_DATAERR, "not a v1 patch (<diff format=\"1\">)");
		return PL_EXIT_DATAERR;
	}
	remove_side(root, v1_first(cib_child(patch, "diff-removed")));
	add_side(NULL, root, v1_first(cib_child(patch, "diff-added")), &lost);
	purge_markers(root);
	if (lost > 0)
		pl_error_set(
		    e, 0, "%d added node(s) of the patch had no place in the document", lost);
	return 0;
}
