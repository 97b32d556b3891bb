/*
 * cib_ops.c - the CIB operations (query, create, modify, replace, delete, erase, bump, apply
 * patch) with Pacemaker's semantics, and the one place where an update is committed:
 * version rule, counters, stamps, schema validation, patchset, swap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <glib.h>
#include <libxml/xpath.h>

#include "paceline/score.h"
#include "paceline/xalloc.h"
#include "cib_private.h"

/* ---- merging (Pacemaker's modify) ------------------------------------------------------ */

bool
pl_cib_expand_increment(xmlNode *target, const char *name, const char *value)
{
	size_t nl = strlen(name);
	const char *op;
	int add = 1;

	if (value == NULL || strncmp(value, name, nl) != 0)
		return false;
	op = value + nl;
	if (strcmp(op, "++") == 0)
		add = 1;
	else if (strncmp(op, "+=", 2) != 0 || !pl_score_parse_strict(op + 2, &add, NULL))
		return false;
	/* Scores saturate (score.h); a missing or unparsable current value counts as 0. */
	cib_set_attr_long(target, name, pl_score_add(pl_score_parse(cib_attr(target, name)), add));
	return true;
}

static xmlNode *
match_child(const xmlNode *parent, const xmlNode *like)
{
	return pl__cib_child_by_id(parent, cib_name(like), cib_attr(like, "id"));
}

/* Merge update's attributes and children into target (children matched by name + id). With
 * an undo log (an update in place), every change is logged before it is made; an attribute
 * set to the value it has is no change. */
static void
merge_into(xmlNode *target, const xmlNode *update, struct cib_undo *undo)
{
	for (const xmlAttr *a = update->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		const char *v = a->children ? (const char *)a->children->content : "";

		if (undo != NULL) {
			const char *cur = cib_attr(target, name);

			/* (an increment "name++" may equal the current text and still change it) */
			if (cur != NULL && strcmp(cur, v) == 0 && strncmp(v, name, strlen(name)) != 0)
				continue;
			cib_undo_touch(undo, target);
		}
		if (!pl_cib_expand_increment(target, name, v))
			cib_set_attr(target, name, v);
	}
	CIB_FOR_EACH_CHILD (update, uc) {
		xmlNode *tc = match_child(target, uc);

		if (tc != NULL)
			merge_into(tc, uc, undo);
		else {
			tc = xmlAddChild(target, cib_copy(uc));
			if (undo != NULL)
				cib_undo_added(undo, tc);
		}
	}
}

static bool
same_id(const xmlNode *tree, const xmlNode *like)
{
	const char *want = cib_attr(like, "id"), *have;

	if (want == NULL)
		return true;
	have = cib_attr(tree, "id");
	return have != NULL && strcmp(want, have) == 0;
}

/* First element (pre-order from tree itself) with update's name and id: merge into it. */
static bool
update_child(xmlNode *tree, const xmlNode *update, struct cib_undo *undo)
{
	if (strcmp(cib_name(tree), cib_name(update)) == 0 && same_id(tree, update)) {
		merge_into(tree, update, undo);
		return true;
	}
	CIB_FOR_EACH_CHILD (tree, c)
		if (update_child(c, update, undo))
			return true;
	return false;
}

static bool
attrs_match(const xmlNode *tree, const xmlNode *like)
{
	for (const xmlAttr *a = like->properties; a != NULL; a = a->next) {
		const char *want = a->children ? (const char *)a->children->content : "";
		const char *have = cib_attr(tree, (const char *)a->name);

		if (have == NULL || strcmp(want, have) != 0)
			return false;
	}
	return true;
}

/* First element below (or at, if may_be_root) tree matching like: replace it with a copy of
 * like, or delete it (delete_only, where every attribute given must match). */
static bool
replace_child(xmlNode *tree, const xmlNode *like, bool delete_only, bool may_be_root)
{
	if (may_be_root && strcmp(cib_name(tree), cib_name(like)) == 0 && same_id(tree, like) &&
	    (!delete_only || attrs_match(tree, like))) {
		if (delete_only) {
			xmlUnlinkNode(tree);
			xmlFreeNode(tree);
		} else {
			xmlNode *n = cib_copy(like);

			xmlReplaceNode(tree, n);
			xmlFreeNode(tree);
		}
		return true;
	}
	for (xmlNode *c = cib_first_elem(tree), *next; c != NULL; c = next) {
		next = cib_next_elem(c);
		if (replace_child(c, like, delete_only, true))
			return true;
	}
	return false;
}

/* ---- operations on the working copy ------------------------------------------------------ */

struct op_ctx {
	const struct pl_cib_request *req;
	xmlDoc *doc;	       /* the working copy, or the live document with undo */
	struct cib_undo *undo; /* an update in place (only a modify): its log */
	xmlNode *output;
	bool manage_counters;
	struct pl_cib_version before; /* version of the CIB before the operation */
	struct pl_error *e;
};

static xmlNode *
root_of(struct op_ctx *c)
{
	return xmlDocGetRootElement(c->doc);
}

static int
no_section(struct op_ctx *c)
{
	pl_error_set(c->e, PL_EXIT_NOSUCH, "section '%s' is not present in the CIB", c->req->section);
	return PL_EXIT_NOSUCH;
}

static int
op_query_section(struct op_ctx *c)
{
	xmlNode *s = pl__cib_section(root_of(c), c->req->section, false);

	if (s == NULL)
		return no_section(c);
	c->output = (c->req->flags & PL_CIB_F_NO_CHILDREN) ? pl__cib_copy_shallow(s) : cib_copy(s);
	return 0;
}

/* Run an XPath within its cost bound (cib_xpath.c); NULL with e set when it does not compile,
 * selects no elements or runs too long. */
static xmlXPathObject *
run_xpath(xmlDoc *doc, const char *xpath, struct pl_error *e)
{
	return cib_xpath_select(doc, xpath, e);
}

static int
xpath_count(const xmlXPathObject *r)
{
	return r->nodesetval ? r->nodesetval->nodeNr : 0;
}

static int
op_query_xpath(struct op_ctx *c)
{
	xmlXPathObject *r = run_xpath(c->doc, c->req->xpath, c->e);
	int n;
	bool shallow = c->req->flags & PL_CIB_F_NO_CHILDREN;

	if (r == NULL)
		return c->e->code;
	n = xpath_count(r);
	if (n == 0) {
		xmlXPathFreeObject(r);
		pl_error_set(c->e, PL_EXIT_NOSUCH, "no element matches XPath %s", c->req->xpath);
		return PL_EXIT_NOSUCH;
	}
	if (n > 1)
		c->output = xmlNewNode(NULL, (const xmlChar *)"xpath-query");
	for (int i = 0; i < n; i++) {
		xmlNode *m = r->nodesetval->nodeTab[i], *copy;

		if (m->type == XML_ATTRIBUTE_NODE || m->type == XML_TEXT_NODE)
			m = m->parent;
		if (!cib_is_elem(m))
			continue;
		copy = shallow ? pl__cib_copy_shallow(m) : cib_copy(m);
		if (n == 1)
			c->output = copy;
		else
			xmlAddChild(c->output, copy);
	}
	xmlXPathFreeObject(r);
	return 0;
}

static int
op_xpath_update(struct op_ctx *c)
{
	const struct pl_cib_request *req = c->req;
	xmlXPathObject *r = run_xpath(c->doc, req->xpath, c->e);
	bool all = req->flags & PL_CIB_F_ALL_MATCHES;
	int n, rc = 0;

	if (r == NULL)
		return c->e->code;
	n = xpath_count(r);
	if (n == 0) {
		xmlXPathFreeObject(r);
		if (req->op == PL_CIB_OP_DELETE)
			return 0; /* already gone, as Pacemaker */
		pl_error_set(c->e, PL_EXIT_NOSUCH, "no element matches XPath %s", req->xpath);
		return PL_EXIT_NOSUCH;
	}
	/* The first match, or every match. Deletes and replaces go in reverse document order, so a
	 * match inside another is handled before its ancestor is freed. */
	int last = all ? n - 1 : 0;
	bool reverse = req->op == PL_CIB_OP_DELETE || req->op == PL_CIB_OP_REPLACE;

	for (int k = 0; k <= last; k++) {
		xmlNode *m = r->nodesetval->nodeTab[reverse ? last - k : k];

		if (!cib_is_elem(m))
			continue;
		switch (req->op) {
		case PL_CIB_OP_DELETE:
			if (m == xmlDocGetRootElement(c->doc)) {
				pl_error_set(
				    c->e, PL_EXIT_USAGE, "refusing to delete the <cib> element");
				rc = PL_EXIT_USAGE;
				goto out;
			}
			xmlUnlinkNode(m);
			xmlFreeNode(m);
			break;
		case PL_CIB_OP_MODIFY:
			if (!update_child(m, req->input, NULL)) {
				if (!(req->flags & PL_CIB_F_ALLOW_CREATE)) {
					pl_error_set(c->e, PL_EXIT_NOSUCH,
					    "no <%s> to modify below %s", cib_name(req->input),
					    req->xpath);
					rc = PL_EXIT_NOSUCH;
					goto out;
				}
				xmlAddChild(m, cib_copy(req->input));
			}
			break;
		case PL_CIB_OP_CREATE: xmlAddChild(m, cib_copy(req->input)); break;
		case PL_CIB_OP_REPLACE:
			if (m == xmlDocGetRootElement(c->doc)) {
				xmlDocSetRootElement(c->doc, cib_copy(req->input));
				xmlFreeNode(m);
			} else {
				xmlReplaceNode(m, cib_copy(req->input));
				xmlFreeNode(m);
			}
			break;
		default: break;
		}
	}
out:
	xmlXPathFreeObject(r);
	return rc;
}

static xmlNode *
failed_output(const xmlNode *input, const char *op, const char *reason)
{
	xmlNode *f = xmlNewNode(NULL, (const xmlChar *)"failed");
	xmlNode *u = xmlNewChild(f, NULL, (const xmlChar *)"failed_update", NULL);

	if (cib_attr(input, "id"))
		cib_set_attr(u, "id", cib_attr(input, "id"));
	cib_set_attr(u, "object_type", cib_name(input));
	cib_set_attr(u, "operation", op);
	cib_set_attr(u, "reason", reason);
	xmlAddChild(u, cib_copy(input));
	return f;
}

static int
op_modify(struct op_ctx *c)
{
	const struct pl_cib_request *req = c->req;
	/* A missing section is created first, as Pacemaker does (cibadmin -M -o acls on a CIB
	 * without <acls>); the in-place path never gets here without the section. */
	xmlNode *obj = pl__cib_section(root_of(c), req->section, c->undo == NULL);

	if (obj == NULL)
		return no_section(c);
	if (update_child(obj, req->input, c->undo))
		return 0;
	if (req->flags & PL_CIB_F_ALLOW_CREATE) {
		xmlNode *n = xmlAddChild(obj, cib_copy(req->input));

		if (c->undo != NULL)
			cib_undo_added(c->undo, n);
		return 0;
	}
	pl_error_set(c->e, PL_EXIT_NOSUCH, "no <%s%s%s%s> to modify in %s", cib_name(req->input),
	    cib_attr(req->input, "id") ? " id=\"" : "",
	    cib_attr(req->input, "id") ? cib_attr(req->input, "id") : "",
	    cib_attr(req->input, "id") ? "\"" : "", req->section ? req->section : "the CIB");
	return PL_EXIT_NOSUCH;
}

static int
add_object(struct op_ctx *c, xmlNode *obj, const xmlNode *item)
{
	if (match_child(obj, item) != NULL) {
		const char *id = cib_attr(item, "id");

		pl_error_set(c->e, PL_EXIT_EXISTS, "<%s%s%s%s> already exists in %s", cib_name(item),
		    id ? " id=\"" : "", id ? id : "", id ? "\"" : "", c->req->section);
		if (c->output == NULL)
			c->output = failed_output(item, "cib_create", "File exists");
		return PL_EXIT_EXISTS;
	}
	xmlAddChild(obj, cib_copy(item));
	return 0;
}

static int
op_create(struct op_ctx *c)
{
	const struct pl_cib_request *req = c->req;
	xmlNode *obj;
	int rc = 0;

	/* Without a section Pacemaker treats a create as a modify. */
	if (req->section == NULL)
		return op_modify(c);
	obj = pl__cib_section(root_of(c), req->section, true);
	if (obj == NULL)
		return no_section(c);
	if (strcmp(cib_name(req->input), cib_name(obj)) == 0) {
		CIB_FOR_EACH_CHILD (req->input, item) {
			int r = add_object(c, obj, item);

			if (r != 0 && rc == 0)
				rc = r;
		}
		return rc;
	}
	return add_object(c, obj, req->input);
}

static bool
whole_cib(const struct pl_cib_request *req)
{
	return (req->section == NULL || strcmp(req->section, "cib") == 0) &&
	    cib_name_is(req->input, "cib");
}

/* A whole <cib> given to replace one section: that section of it replaces ours, as Pacemaker
 * (pcs sends its edited CIB with --replace --scope configuration); nothing when it has none. */
static int
replace_section_from_cib(struct op_ctx *c)
{
	xmlNode *root = root_of(c);
	xmlNode *mine = pl__cib_section(root, c->req->section, false);
	xmlNode *theirs = pl__cib_section((xmlNode *)c->req->input, c->req->section, false);

	if (theirs == NULL)
		return 0;
	if (mine == NULL) {
		mine = pl__cib_section(root, c->req->section, true);
		if (mine == NULL)
			return no_section(c);
	}
	xmlReplaceNode(mine, cib_copy(theirs));
	xmlFreeNode(mine);
	return 0;
}

static int
op_replace(struct op_ctx *c)
{
	const struct pl_cib_request *req = c->req;
	xmlNode *root = root_of(c), *obj;

	if (whole_cib(req)) {
		struct pl_cib_version cur, repl;

		pl_cib_xml_version(root, &cur);
		pl_cib_xml_version(req->input, &repl);
		if (req->flags & PL_CIB_F_SYNC)
			c->manage_counters = false; /* the peer's copy, version and all */
		else if (pl_cib_version_cmp(&repl, &cur) < 0) { /* num_updates too, as Pacemaker */
			pl_error_set(c->e, PL_EXIT_OLD,
			    "Update was older than existing configuration: replacement "
			    "%ld.%ld.%ld is older than the current %ld.%ld.%ld",
			    repl.admin_epoch, repl.epoch, repl.num_updates, cur.admin_epoch,
			    cur.epoch, cur.num_updates);
			return PL_EXIT_OLD;
		}
		xmlDocSetRootElement(c->doc, cib_copy(req->input));
		xmlFreeNode(root);
		return 0;
	}
	if (cib_name_is(req->input, "cib"))
		return replace_section_from_cib(c);
	obj = pl__cib_section(root, req->section, false);
	if (obj == NULL)
		return no_section(c);
	if (strcmp(cib_name(obj), cib_name(req->input)) == 0 && same_id(obj, req->input)) {
		if (obj == root) {
			xmlDocSetRootElement(c->doc, cib_copy(req->input));
		} else
			xmlReplaceNode(obj, cib_copy(req->input));
		xmlFreeNode(obj);
		return 0;
	}
	if (replace_child(obj, req->input, false, false))
		return 0;
	pl_error_set(c->e, PL_EXIT_NOSUCH, "no <%s%s%s%s> to replace in %s", cib_name(req->input),
	    cib_attr(req->input, "id") ? " id=\"" : "",
	    cib_attr(req->input, "id") ? cib_attr(req->input, "id") : "",
	    cib_attr(req->input, "id") ? "\"" : "", req->section ? req->section : "the CIB");
	return PL_EXIT_NOSUCH;
}

static int
op_delete(struct op_ctx *c)
{
	const struct pl_cib_request *req = c->req;
	xmlNode *obj = pl__cib_section(root_of(c), req->section, false);

	if (obj == NULL)
		return no_section(c);
	if (req->section != NULL && strcmp(cib_name(req->input), cib_name(obj)) == 0) {
		CIB_FOR_EACH_CHILD (req->input, item)
			replace_child(obj, item, true, false);
		return 0;
	}
	/* Nothing matching is not an error: the object is already gone. */
	replace_child(obj, req->input, true, obj != root_of(c));
	return 0;
}

static int
op_erase(struct op_ctx *c)
{
	xmlNode *old = root_of(c), *fresh;

	if (!(c->req->flags & PL_CIB_F_FORCE)) {
		pl_error_set(c->e, PL_EXIT_USAGE,
		    "The supplied command is considered dangerous.  To "
		    "prevent accidental destruction of the cluster, the --force flag is "
		    "required in order to proceed.");
		return PL_EXIT_USAGE;
	}
	fresh = pl__cib_empty_root();
	pl__cib_copy_attrs(fresh, old);
	cib_set_attr_long(fresh, "admin_epoch", pl__cib_attr_long(old, "admin_epoch", 0) + 1);
	xmlDocSetRootElement(c->doc, fresh);
	xmlFreeNode(old);
	return 0;
}

static int
op_bump(struct op_ctx *c)
{
	xmlNode *root = root_of(c);

	cib_set_attr_long(root, "epoch", pl__cib_attr_long(root, "epoch", 0) + 1);
	return 0;
}

static int
op_patch(struct op_ctx *c)
{
	const xmlNode *patch = c->req->input;
	xmlNode *ver = cib_child(patch, "version");

	if (!cib_name_is(patch, "diff")) {
		pl_error_set(c->e, PL_EXIT_DATAERR, "a patch must be a <diff> element, not <%s>",
		    cib_name(patch));
		return PL_EXIT_DATAERR;
	}
	/* As Pacemaker's cibadmin -P: a versioned patch must start from the current version and
	 * takes the CIB to its target; the result is then counted like any other update. One
	 * whose target is its source is refused as old, as Pacemaker does (a crm_diff of two
	 * files of the same version); the patchsets lib/cib makes itself always apply. */
	if (ver != NULL && cib_child(ver, "source") != NULL && cib_child(ver, "target") != NULL) {
		struct pl_cib_version from, to, cur;

		pl_cib_xml_version(cib_child(ver, "source"), &from);
		pl_cib_xml_version(cib_child(ver, "target"), &to);
		pl_cib_xml_version(root_of(c), &cur);
		if (pl_cib_version_cmp(&to, &from) == 0 && pl_cib_version_cmp(&cur, &from) == 0) {
			pl_error_set(c->e, PL_EXIT_OLD,
			    "Update was older than existing configuration: the patch does not "
			    "change the version (%ld.%ld.%ld)",
			    from.admin_epoch, from.epoch, from.num_updates);
			return PL_EXIT_OLD;
		}
	}
	return pl_cib_diff_apply(root_of(c), patch, c->e);
}

static int
run_op(struct op_ctx *c)
{
	const struct pl_cib_request *req = c->req;

	if (req->section != NULL && req->xpath == NULL && !pl_cib_section_valid(req->section)) {
		pl_error_set(c->e, PL_EXIT_USAGE,
		    "unknown section '%s' (valid: configuration, nodes, "
		    "resources, constraints, crm_config, rsc_defaults, op_defaults, acls, "
		    "fencing-topology, tags, alerts, status)",
		    req->section);
		return PL_EXIT_USAGE;
	}
	switch (req->op) {
	case PL_CIB_OP_QUERY: return req->xpath ? op_query_xpath(c) : op_query_section(c);
	case PL_CIB_OP_ERASE: return op_erase(c);
	case PL_CIB_OP_BUMP: return op_bump(c);
	default: break;
	}
	if (req->op == PL_CIB_OP_DELETE && req->xpath != NULL)
		return op_xpath_update(c);
	if (req->input == NULL || !cib_is_elem(req->input)) {
		pl_error_set(c->e, PL_EXIT_USAGE, "this operation needs XML input");
		return PL_EXIT_USAGE;
	}
	if (req->op == PL_CIB_OP_APPLY_PATCH)
		return op_patch(c);
	if (req->xpath != NULL)
		return op_xpath_update(c);
	switch (req->op) {
	case PL_CIB_OP_CREATE: return op_create(c);
	case PL_CIB_OP_MODIFY: return op_modify(c);
	case PL_CIB_OP_REPLACE: return op_replace(c);
	case PL_CIB_OP_DELETE: return op_delete(c);
	default: break;
	}
	pl_error_set(c->e, PL_EXIT_USAGE, "unknown CIB operation %d", (int)req->op);
	return PL_EXIT_USAGE;
}

/* ---- committing ---------------------------------------------------------------------------- */

/* Root attributes whose change is not a configuration change. */
static bool
volatile_root_attr(const char *name)
{
	static const char *const names[] = {
		"admin_epoch",
		"epoch",
		"num_updates",
		"cib-last-written",
		"update-origin",
		"update-client",
		"update-user",
		"have-quorum",
		"dc-uuid",
		"no-quorum-panic",
		"execution-date",
		NULL,
	};

	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static bool
patch_changes_config(const xmlNode *patch)
{
	CIB_FOR_EACH_CHILD (patch, ch) {
		const char *path = cib_attr(ch, "path");
		const char *op = cib_attr(ch, "operation");

		if (!cib_name_is(ch, "change") || path == NULL || op == NULL)
			continue;
		if (strncmp(path, "/cib/configuration", 18) == 0)
			return true;
		if (strcmp(path, "/cib") != 0)
			continue;
		if (strcmp(op, "create") == 0) {
			xmlNode *what = cib_first_elem(ch);

			if (what && !cib_name_is(what, "status"))
				return true;
		}
		/* A change of the root's own attributes (validate-with, crm_feature_set, ...) is
		 * not one: Pacemaker 2.1.5 counts it in num_updates. */
	}
	return false;
}

/* Does the patch change only the status section (and the counters)? */
static bool
patch_status_only(const xmlNode *patch)
{
	CIB_FOR_EACH_CHILD (patch, ch) {
		const char *path = cib_attr(ch, "path"), *op = cib_attr(ch, "operation");

		if (!cib_name_is(ch, "change") || path == NULL || op == NULL)
			continue;
		if (strncmp(path, "/cib/status", 11) == 0 && (path[11] == '\0' || path[11] == '/'))
			continue;
		if (strcmp(path, "/cib") != 0)
			return false;
		if (strcmp(op, "create") == 0) {
			if (!cib_name_is(cib_first_elem(ch), "status"))
				return false;
		} else if (strcmp(op, "modify") == 0) {
			CIB_FOR_EACH_CHILD (cib_child(ch, "change-list"), a)
				if (cib_attr(a, "name") && !volatile_root_attr(cib_attr(a, "name")))
					return false;
		} else
			return false;
	}
	return true;
}

/*
 * Validate what a status-only patch can have made invalid, on a status known to be valid.
 * The status schema ("status" in schemas/pacemaker-3.rng, pacemaker-3-status.rng) leaves every
 * attribute value free text, requires no child, imposes no order and gives each element name
 * one meaning; only lrm_resource (id) and lrm_rsc_op (id, operation) require attributes, and
 * only lrm_resources is limited (one per lrm). So a change of attribute values, a delete or a
 * move keeps the status valid, and what is checked is a skeleton: <status> and, down to each
 * created element and each element that lost an attribute, every ancestor with all its element
 * children as shallow copies (names and attributes: counts stay right), the created subtrees
 * whole. It is valid exactly when the whole status is, and its size does not grow with a
 * node's history. A change that cannot be located checks the whole status. (Should the status
 * schema constrain more, this must check more; tests/unit/cib test_status_validation holds
 * the cases.)
 */
struct skeleton {
	xmlNode *status, *root; /* the status, and its skeleton copy */
	GHashTable *copy;	/* element of the status -> its copy in the skeleton */
	GHashTable *expanded;	/* elements whose children are in the skeleton */
	GHashTable *deep;	/* elements copied whole */
};

/* The skeleton copy of n (the status or an element inside it), adding its ancestors' children. */
static xmlNode *
skeleton_of(struct skeleton *sk, xmlNode *n)
{
	xmlNode *copy = g_hash_table_lookup(sk->copy, n), *parent;

	if (copy != NULL)
		return copy;
	parent = skeleton_of(sk, n->parent);
	if (!g_hash_table_contains(sk->expanded, n->parent)) {
		g_hash_table_add(sk->expanded, n->parent);
		CIB_FOR_EACH_CHILD (n->parent, c) {
			xmlNode *sc = pl__cib_copy_shallow(c);

			xmlAddChild(parent, sc);
			g_hash_table_insert(sk->copy, c, sc);
		}
	}
	return g_hash_table_lookup(sk->copy, n);
}

/* Put n into the skeleton: whole (a created element) or as a shallow copy. */
static void
skeleton_add(struct skeleton *sk, xmlNode *n, bool whole)
{
	xmlNode *sc;

	for (xmlNode *a = n; a != sk->status; a = a->parent)
		if (g_hash_table_contains(sk->deep, a))
			return; /* inside a subtree copied whole already */
	sc = skeleton_of(sk, n);
	if (whole) {
		xmlNode *d = cib_copy(n);

		xmlReplaceNode(sc, d);
		xmlFreeNode(sc);
		g_hash_table_insert(sk->copy, n, d);
		g_hash_table_add(sk->deep, n);
	}
}

/* The position-th element child of parent. */
static xmlNode *
nth_child(xmlNode *parent, long position)
{
	long i = 0;

	CIB_FOR_EACH_CHILD (parent, c)
		if (i++ == position)
			return c;
	return NULL;
}

/* Does the change need a check: a create, or a modify that unsets an attribute? */
static bool
change_needs_check(const xmlNode *ch, const char *op)
{
	if (strcmp(op, "create") == 0)
		return true;
	if (strcmp(op, "modify") != 0)
		return false;
	CIB_FOR_EACH_CHILD (cib_child((xmlNode *)ch, "change-list"), ca) {
		const char *aop = cib_attr(ca, "operation");

		if (aop != NULL && strcmp(aop, "unset") == 0)
			return true;
	}
	return false;
}

/* Locate what a change in the status made that must be checked (into the skeleton); false
 * when it cannot be located. */
static bool
skeleton_change(
    struct skeleton *sk, xmlNode *new_root, const xmlNode *ch, const char *path, const char *op)
{
	xmlNode *target = pl__cib_resolve_path(new_root, path), *a = target;


	while (a != NULL && a != sk->status)
		a = a->parent;
	if (a == NULL)
		return false; /* not found, or not in the status */
	if (strcmp(op, "create") == 0) {
		xmlNode *what = cib_first_elem(ch), *made;

		made = nth_child(target, pl__cib_attr_long(ch, "position", -1));
		if (what == NULL || made == NULL || strcmp(cib_name(what), cib_name(made)) != 0)
			return false;
		skeleton_add(sk, made, true);
	} else if (target != sk->status && change_needs_check(ch, op)) {
		skeleton_add(sk, target, false); /* a modify that lost an attribute */
	}
	return true; /* attribute values, deletes, moves: nothing to check */
}

static int
validate_status_changes(xmlNode *new_root, const xmlNode *patch, struct pl_error *e)
{
	xmlNode *status = cib_child(new_root, "status");
	struct skeleton sk;
	xmlDoc *tmp;
	bool whole = false, any = false;
	int rc = 0;

	CIB_FOR_EACH_CHILD (patch, ch) {
		const char *path = cib_attr(ch, "path"), *op = cib_attr(ch, "operation");

		if (cib_name_is(ch, "change") && path != NULL && op != NULL &&
		    strcmp(path, "/cib") != 0 && change_needs_check(ch, op))
			any = true;
	}
	if (status == NULL || !any)
		return 0; /* values, deletes, moves only (the common case): nothing to check */
	sk.status = status;
	sk.root = pl__cib_copy_shallow(status);
	sk.copy = g_hash_table_new(g_direct_hash, g_direct_equal);
	sk.expanded = g_hash_table_new(g_direct_hash, g_direct_equal);
	sk.deep = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_insert(sk.copy, status, sk.root);
	CIB_FOR_EACH_CHILD (patch, ch) {
		const char *path = cib_attr(ch, "path"), *op = cib_attr(ch, "operation");

		if (!cib_name_is(ch, "change") || path == NULL || op == NULL ||
		    strcmp(path, "/cib") == 0)
			continue;
		if (!skeleton_change(&sk, new_root, ch, path, op)) {
			whole = true;
			break;
		}
	}
	if (whole) {
		xmlFreeNode(sk.root);
		sk.root = cib_copy(status);
	}
	if (whole || sk.root->children != NULL) {
		tmp = xmlNewDoc((const xmlChar *)"1.0");
		xmlDocSetRootElement(tmp, sk.root);
		rc = pl__cib_validate_status(tmp, e);
		xmlFreeDoc(tmp);
	} else
		xmlFreeNode(sk.root);
	g_hash_table_destroy(sk.copy);
	g_hash_table_destroy(sk.expanded);
	g_hash_table_destroy(sk.deep);
	return rc;
}

static void
stamp(xmlNode *root, const struct pl_cib_request *req)
{
	time_t now = req->when ? (time_t)req->when : time(NULL);
	char buf[64];
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm);
	cib_set_attr(root, "cib-last-written", buf);
	if (req->origin)
		cib_set_attr(root, "update-origin", req->origin);
	cib_set_attr(root, "update-client", req->client);
	if (req->user)
		cib_set_attr(root, "update-user", req->user);
}

/* Can the update run in place with an undo log? A modify of an existing section or of the
 * whole CIB (no XPath): it only sets attributes and appends children, which the log covers.
 * Everything else works on a copy of the document. */
static bool
in_place(const struct pl_cib *cib, const struct pl_cib_request *req)
{
	xmlNode *root = pl_cib_root(cib);

	if (req->op != PL_CIB_OP_MODIFY || req->xpath != NULL || !cib_is_elem(req->input) ||
	    root == NULL || !cib_name_is(root, "cib"))
		return false;
	if (req->section == NULL)
		return true;
	return pl_cib_section_valid(req->section) &&
	    pl__cib_section(root, req->section, false) != NULL;
}

/* pl_cib_perform for an update in place: the same checks, versions, stamps, validation and
 * patchset as the copy path below, with a rollback instead of dropping the copy. */
static int
perform_in_place(
    struct pl_cib *cib, const struct pl_cib_request *req, xmlNode **patchset, struct pl_error *e)
{
	struct op_ctx c = { .req = req, .manage_counters = true, .e = e };
	struct pl_cib_version old_v, mid_v;
	xmlNode *root = pl_cib_root(cib), *changes = NULL;
	bool status_only;
	int rc;

	c.doc = cib->doc;
	c.undo = cib_undo_new();
	pl_cib_xml_version(root, &old_v);
	c.before = old_v;
	cib_undo_touch(c.undo, root); /* the counters and stamps change below */
	rc = run_op(&c);
	if (rc != 0)
		goto fail;
	if (cib_undo_added_depth(c.undo) > PL_XML_MAX_DEPTH) {
		pl_error_set(e, PL_EXIT_DATAERR,
		    "the update would nest the CIB deeper than %d levels", PL_XML_MAX_DEPTH);
		rc = PL_EXIT_DATAERR;
		goto fail;
	}
	pl_cib_xml_version(root, &mid_v);
	if (mid_v.admin_epoch < old_v.admin_epoch ||
	    (mid_v.admin_epoch == old_v.admin_epoch && mid_v.epoch < old_v.epoch)) {
		pl_error_set(e, PL_EXIT_OLD,
		    "Update was older than existing configuration: "
		    "%ld.%ld.%ld would replace %ld.%ld.%ld",
		    mid_v.admin_epoch, mid_v.epoch, mid_v.num_updates, old_v.admin_epoch,
		    old_v.epoch, old_v.num_updates);
		rc = PL_EXIT_OLD;
		goto fail;
	}
	changes = cib_undo_patch(c.undo, root, false);
	if (changes == NULL && pl_cib_version_cmp(&old_v, &mid_v) == 0) {
		cib_undo_rollback(c.undo); /* nothing changed: no new version */
		cib_undo_free(c.undo);
		return 0;
	}
	status_only = cib->known_valid && changes != NULL && patch_status_only(changes) &&
	    pl_cib_schema_supported(cib_attr(root, "validate-with"));
	if (changes != NULL && patch_changes_config(changes)) {
		cib_set_attr_long(root, "epoch", mid_v.epoch + 1);
		cib_set_attr_long(root, "num_updates", 0);
		if (req->client != NULL)
			stamp(root, req);
	} else
		cib_set_attr_long(root, "num_updates", mid_v.num_updates + 1);
	if (cib->validate) {
		rc = status_only ? validate_status_changes(root, changes, e)
				 : pl_cib_validate(c.doc, e);
		if (rc != 0) {
			pl_error_prefix(e, "Update does not conform to the configured schema: ");
			goto fail;
		}
	}
	cib->known_valid = cib->validate;
	if (patchset)
		*patchset = cib_undo_patch_versioned(c.undo, changes, root);
	else
		xmlFreeNode(changes);
	cib_undo_free(c.undo);
	return 0;
fail:
	xmlFreeNode(changes);
	cib_undo_rollback(c.undo);
	cib_undo_free(c.undo);
	return rc;
}

int
pl_cib_perform(struct pl_cib *cib, const struct pl_cib_request *req, xmlNode **output,
    xmlNode **patchset, struct pl_error *e)
{
	struct op_ctx c = { .req = req, .manage_counters = true, .e = e };
	struct pl_cib_version old_v, mid_v;
	xmlNode *old_root = pl_cib_root(cib), *new_root, *changes;
	bool status_only;
	int rc;

	if (output)
		*output = NULL;
	if (patchset)
		*patchset = NULL;
	if (req->op == PL_CIB_OP_QUERY) {
		c.doc = cib->doc;
		rc = run_op(&c);
		if (output)
			*output = c.output;
		else
			xmlFreeNode(c.output);
		return rc;
	}
	if (in_place(cib, req))
		return perform_in_place(cib, req, patchset, e);

	c.doc = xmlCopyDoc(cib->doc, 1);
	pl_cib_xml_version(old_root, &c.before);
	rc = run_op(&c);
	if (rc != 0)
		goto fail;
	new_root = xmlDocGetRootElement(c.doc);
	if (new_root == NULL || !cib_name_is(new_root, "cib")) {
		pl_error_set(e, PL_EXIT_DATAERR, "the update would leave no <cib> element");
		rc = PL_EXIT_DATAERR;
		goto fail;
	}
	/* The root is matched by its name and id everywhere (diffs, replication): an id added,
	 * changed or removed would turn every replica's patch into a replace of the root. */
	if (g_strcmp0(cib_attr(old_root, "id"), cib_attr(new_root, "id")) != 0) {
		pl_error_set(e, PL_EXIT_DATAERR, "the update would change the id of the <cib> element");
		rc = PL_EXIT_DATAERR;
		goto fail;
	}
	/* Each input is within the parser's depth limit, but one placed deep inside the CIB may
	 * not leave it so: such a CIB could not be loaded again (and recursion needs the bound). */
	if (pl_xml_depth(new_root) > PL_XML_MAX_DEPTH) {
		pl_error_set(e, PL_EXIT_DATAERR,
		    "the update would nest the CIB deeper than %d levels", PL_XML_MAX_DEPTH);
		rc = PL_EXIT_DATAERR;
		goto fail;
	}

	pl_cib_xml_version(old_root, &old_v);
	pl_cib_xml_version(new_root, &mid_v);
	if (c.manage_counters &&
	    (mid_v.admin_epoch < old_v.admin_epoch ||
		(mid_v.admin_epoch == old_v.admin_epoch && mid_v.epoch < old_v.epoch))) {
		pl_error_set(e, PL_EXIT_OLD,
		    "Update was older than existing configuration: "
		    "%ld.%ld.%ld would replace %ld.%ld.%ld",
		    mid_v.admin_epoch, mid_v.epoch, mid_v.num_updates, old_v.admin_epoch,
		    old_v.epoch, old_v.num_updates);
		rc = PL_EXIT_OLD;
		goto fail;
	}

	changes = pl_cib_diff_create(old_root, new_root, false);
	if (changes == NULL && pl_cib_version_cmp(&old_v, &mid_v) == 0) {
		xmlFreeDoc(c.doc); /* nothing changed: no new version */
		return 0;
	}
	/* Status-only updates (most of them in a running cluster) on a document known to be valid
	 * need only the changed node states checked. */
	status_only = cib->known_valid && changes != NULL && patch_status_only(changes) &&
	    pl_cib_schema_supported(cib_attr(new_root, "validate-with"));
	if (c.manage_counters) {
		bool config = changes != NULL && patch_changes_config(changes);

		if (config) {
			cib_set_attr_long(new_root, "epoch", mid_v.epoch + 1);
			cib_set_attr_long(new_root, "num_updates", 0);
			if (req->client != NULL)
				stamp(new_root, req);
		} else
			cib_set_attr_long(new_root, "num_updates", mid_v.num_updates + 1);
	}
	if (cib->validate) {
		rc = status_only ? validate_status_changes(new_root, changes, e)
				 : pl_cib_validate(c.doc, e);
		if (rc != 0) {
			xmlFreeNode(changes);
			pl_error_prefix(e, "Update does not conform to the configured schema: ");
			goto fail;
		}
	}
	xmlFreeNode(changes);
	cib->known_valid = cib->validate;
	if (patchset)
		*patchset = pl_cib_diff_create(old_root, new_root, true);
	xmlFreeDoc(cib->doc);
	cib->doc = c.doc;
	if (output)
		*output = c.output;
	else
		xmlFreeNode(c.output);
	return 0;
fail:
	xmlFreeDoc(c.doc);
	if (output)
		*output = c.output;
	else
		xmlFreeNode(c.output);
	return rc;
}
