/*
 * cib_upgrade.c - moving a CIB to the newest schema, as Pacemaker 2.1.5's update_validation
 * does with transformations on (cibadmin --upgrade, and the tools that upgrade in memory
 * before scheduling):
 *
 *   start at the document's schema (the first one when it names none Pacemaker knows)
 *   for each schema, oldest to newest:
 *     not valid -> if one was valid already: stop there; else try the next
 *     valid     -> the best so far; newest stable (3.9): stop
 *                  next schema is across a syntax change (1.3 -> 2.0, 2.10 -> 3.0) and the
 *                  document is not readily valid for it: transform, validate, go on there
 *                  otherwise: "also valid for" the next, go on there
 *
 * The two transformations are written here in C from what Pacemaker's upgrade-1.3.xsl and
 * upgrade-2.10*.xsl are documented and observed to do:
 * - 1.3 -> 2.0: ACLs in the second syntax (acl_user -> acl_target, role_ref -> role,
 *   read/write/deny -> acl_permission kind=..., a user's own entries -> an "auto-<user>" role).
 * - 2.10 -> 3.0: an operation's "requires" name/value pair is dropped (only start/promote
 *   count: there it becomes the resource's meta attribute); a set referenced with id-ref whose
 *   original disappeared is replaced by a renamed copy of the original.
 * Every step is reported through the caller's log function with Pacemaker's wording.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "paceline/xalloc.h"
#include "cib_private.h"

#define IDX_1_3	 2
#define IDX_2_0	 3
#define IDX_2_10 13
#define IDX_3_0	 14

static void
say(const struct pl_cib_upgrade_log *log, const char *fn, const char *level, const char *fmt, ...)
{
	va_list ap;
	char *text;

	if (log == NULL || log->say == NULL)
		return;
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	log->say(log->arg, fn, level, text);
	free(text);
}

/* A line the transformation itself prints (Pacemaker's xsl:message go to stderr as is). */
static void
note(const struct pl_cib_upgrade_log *log, const char *fmt, ...)
{
	va_list ap;

	if (log == NULL || log->raw == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(log->raw, fmt, ap);
	va_end(ap);
	fputc('\n', log->raw);
}

static bool
valid_as(xmlDoc *doc, int which, const struct pl_cib_upgrade_log *log, bool silent)
{
	char *msgs = NULL;
	int rc = pl_cib_validate_as(doc, which, silent ? NULL : &msgs);

	if (rc != 0 && msgs != NULL && log != NULL && log->raw != NULL && log->echo_errors)
		fprintf(log->raw, "%s\n", msgs);
	free(msgs);
	return rc == 0;
}

/* ---- 1.3 -> 2.0: the ACL syntax ---------------------------------------------------------- */

static xmlNode *
new_elem(const char *name)
{
	return xmlNewNode(NULL, (const xmlChar *)name);
}

static xmlNode *
acl_v1_entry(const xmlNode *old, const struct pl_cib_upgrade_log *log)
{
	xmlNode *p = new_elem("acl_permission");
	const char *ref = cib_attr(old, "ref"), *tag = cib_attr(old, "tag");
	const char *attr = cib_attr(old, "attribute"), *xpath = cib_attr(old, "xpath");

	if (cib_attr(old, "id"))
		cib_set_attr(p, "id", cib_attr(old, "id"));
	cib_set_attr(p, "kind", cib_name(old));
	if (ref != NULL) {
		cib_set_attr(p, "reference", ref);
		if (attr != NULL)
			note(log,
			    "ACLs: @attribute cannot accompany @ref for upgrade-1.3.xsl "
			    "purposes, ignoring");
	} else if (tag != NULL) {
		cib_set_attr(p, "object-type", tag);
		if (attr != NULL) {
			note(log,
			    "ACLs: @attribute (with @tag) handling generalized a bit for "
			    "upgrade-1.3.xsl purposes");
			cib_set_attr(p, "attribute", attr);
		}
	} else if (attr != NULL) {
		char *x = xasprintf("%s[@%s]", xpath ? xpath : "", attr);

		note(log,
		    "ACLs: @attribute (with @xpath) handling generalized a bit for "
		    "upgrade-1.3.xsl purposes");
		cib_set_attr(p, "xpath", x);
		free(x);
	} else if (xpath != NULL)
		cib_set_attr(p, "xpath", xpath);
	return p;
}

static bool
is_v1_entry(const xmlNode *n)
{
	return cib_name_is(n, "read") || cib_name_is(n, "write") || cib_name_is(n, "deny");
}

static void
copy_attrs(xmlNode *to, const xmlNode *from)
{
	for (xmlAttr *a = from->properties; a != NULL; a = a->next)
		cib_set_attr(to, (const char *)a->name, cib_attr(from, (const char *)a->name));
}

static void
upgrade_acls_1_3(xmlNode *root, const struct pl_cib_upgrade_log *log)
{
	xmlNode *acls = cib_child(cib_child(root, "configuration"), "acls");
	xmlNode *next;

	for (xmlNode *n = cib_first_elem(acls); n != NULL; n = next) {
		next = cib_next_elem(n);
		if (cib_name_is(n, "acl_user")) {
			bool refs = false, entries = false;
			xmlNode *t = new_elem("acl_target"), *role = NULL;

			copy_attrs(t, n);
			CIB_FOR_EACH_CHILD (n, c) {
				refs = refs || cib_name_is(c, "role_ref");
				entries = entries || is_v1_entry(c);
			}
			if (refs || !entries) {
				CIB_FOR_EACH_CHILD (n, c) {
					if (cib_name_is(c, "role_ref")) {
						xmlNode *r = xmlAddChild(t, new_elem("role"));
						copy_attrs(r, c);
					} else if (is_v1_entry(c))
						xmlAddChild(t, acl_v1_entry(c, log));
				}
			} else {
				char *id =
				    xasprintf("auto-%s", cib_attr(n, "id") ? cib_attr(n, "id") : "");

				cib_set_attr(xmlAddChild(t, new_elem("role")), "id", id);
				role = new_elem("acl_role");
				cib_set_attr(role, "id", id);
				free(id);
				CIB_FOR_EACH_CHILD (n, c)
					if (is_v1_entry(c))
						xmlAddChild(role, acl_v1_entry(c, log));
			}
			xmlAddPrevSibling(n, t);
			if (role != NULL)
				xmlAddPrevSibling(n, role);
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		} else if (cib_name_is(n, "acl_role")) {
			xmlNode *c2;

			for (xmlNode *c = cib_first_elem(n); c != NULL; c = c2) {
				c2 = cib_next_elem(c);
				if (!is_v1_entry(c))
					continue;
				xmlAddPrevSibling(c, acl_v1_entry(c, log));
				xmlUnlinkNode(c);
				xmlFreeNode(c);
			}
		}
	}
}

/* ---- 2.10 -> 3.0 --------------------------------------------------------------------------- */

static xmlNode *
find_id(xmlNode *n, const char *id)
{
	if (!cib_is_elem(n))
		return NULL;
	if (g_strcmp0(cib_attr(n, "id"), id) == 0)
		return n;
	CIB_FOR_EACH_CHILD (n, c) {
		xmlNode *f = find_id(c, id);
		if (f != NULL)
			return f;
	}
	return NULL;
}

/* A start or promote operation's "requires": its whole set becomes a meta_attributes set of
 * the resource, renamed "_2TO3_<set id>" (Pacemaker's upgrade-2.10), holding that pair. */
static void
move_requires_to_meta(xmlNode *prim, const xmlNode *set, const xmlNode *nv)
{
	char *id = xasprintf("_2TO3_%s", cib_attr(set, "id") ? cib_attr(set, "id") : "");
	xmlNode *meta = NULL;

	CIB_FOR_EACH_CHILD (prim, c)
		if (cib_name_is(c, "meta_attributes") && g_strcmp0(cib_attr(c, "id"), id) == 0)
			meta = c;
	if (meta == NULL) {
		meta = xmlAddChild(prim, new_elem("meta_attributes"));
		cib_set_attr(meta, "id", id);
	}
	free(id);
	xmlAddChild(meta, xmlCopyNode((xmlNode *)nv, 1));
}

static void
upgrade_op_requires(xmlNode *prim, xmlNode *op, const struct pl_cib_upgrade_log *log)
{
	const char *name = cib_attr(op, "name");
	bool counts = g_strcmp0(name, "start") == 0 || g_strcmp0(name, "promote") == 0;
	xmlNode *next_set;

	for (xmlNode *set = cib_first_elem(op); set != NULL; set = next_set) {
		xmlNode *next_nv;
		bool had = false;
		const char *label;

		next_set = cib_next_elem(set);
		if (!cib_name_is(set, "instance_attributes") && !cib_name_is(set, "meta_attributes"))
			continue;
		for (xmlNode *nv = cib_first_elem(set); nv != NULL; nv = next_nv) {
			next_nv = cib_next_elem(nv);
			if (!cib_name_is(nv, "nvpair") ||
			    g_strcmp0(cib_attr(nv, "name"), "requires") != 0)
				continue;
			had = true;
			/* Pacemaker's labels: "Resources-operation instance_attributes: " for an
			 * instance_attributes set, "Resources-operation: " for a meta_attributes one;
			 * a start or promote operation's instance_attributes pair is announced as
			 * moved but dropped, as upgrade-2.10 does */
			label = cib_name_is(set, "instance_attributes") ? " instance_attributes" : "";
			if (counts) {
				note(log,
				    "DEBUG: Resources-operation%s: %s (rsc=%s, meta=%s): moving "
				    "requires "
				    "under %smeta_attributes as requires unless already defined "
				    "there "
				    "for matching start|promote",
				    label, cib_attr(op, "id"), cib_attr(prim, "id"),
				    cib_attr(set, "id"), *label ? "per-resource-" : "");
				if (!*label)
					move_requires_to_meta(prim, set, nv);
			} else {
				note(log,
				    "INFO: Resources-operation%s: %s (rsc=%s, meta=%s): dropping "
				    "requires",
				    label, cib_attr(op, "id"), cib_attr(prim, "id"),
				    cib_attr(set, "id"));
				note(log,
				    "INFO: Resources-operation%s: ... only start/promote "
				    "operation taken into account",
				    label);
			}
			xmlUnlinkNode(nv);
			xmlFreeNode(nv);
		}
		if (had && cib_first_elem(set) == NULL) {
			xmlUnlinkNode(set);
			xmlFreeNode(set);
		}
	}
}

static void
upgrade_ops(xmlNode *n, const struct pl_cib_upgrade_log *log)
{
	CIB_FOR_EACH_CHILD (n, c) {
		if (cib_name_is(c, "primitive") || cib_name_is(c, "template")) {
			CIB_FOR_EACH_CHILD (cib_child(c, "operations"), op)
				if (cib_name_is(op, "op"))
					upgrade_op_requires(c, op, log);
		} else
			upgrade_ops(c, log);
	}
}

/* A renamed copy of a set whose original the upgrade removed: the set's id prefixed with
 * "_cibtr-2_", its children's with "__cibtr-2_<set id>__" (Pacemaker's names). */
static xmlNode *
renamed_copy(const xmlNode *orig)
{
	xmlNode *copy = xmlCopyNode((xmlNode *)orig, 1);
	const char *sid = cib_attr(orig, "id");
	char *id = xasprintf("_cibtr-2_%s", sid);

	cib_set_attr(copy, "id", id);
	free(id);
	CIB_FOR_EACH_CHILD (copy, c)
		if (cib_attr(c, "id") != NULL) {
			char *cid = xasprintf("__cibtr-2_%s__%s", sid, cib_attr(c, "id"));
			cib_set_attr(c, "id", cid);
			free(cid);
		}
	return copy;
}

static void
restore_id_refs(
    xmlNode *n, xmlNode *root, const xmlNode *old_root, const struct pl_cib_upgrade_log *log)
{
	xmlNode *next;

	for (xmlNode *c = cib_first_elem(n); c != NULL; c = next) {
		const char *ref = cib_attr(c, "id-ref");

		next = cib_next_elem(c);
		if (ref != NULL && cib_attr(c, "id") == NULL && find_id(root, ref) == NULL) {
			xmlNode *orig = find_id((xmlNode *)old_root, ref);

			if (orig != NULL && cib_name_is(orig, cib_name(c))) {
				note(log,
				    "DEBUG: %s: original element pointed to with @id-ref (%s) "
				    "disappeared during upgrade",
				    cib_name(c), ref);
				xmlNode *copy = renamed_copy(orig);
				xmlAddPrevSibling(c, copy);
				xmlUnlinkNode(c);
				xmlFreeNode(c);
				continue;
			}
		}
		restore_id_refs(c, root, old_root, log);
	}
}

static xmlDoc *
transform(xmlDoc *doc, int from, const struct pl_cib_upgrade_log *log)
{
	xmlDoc *out = xmlCopyDoc(doc, 1);
	xmlNode *root = xmlDocGetRootElement(out);

	if (from == IDX_1_3) {
		upgrade_acls_1_3(root, log);
		cib_set_attr(root, "validate-with", pl_cib_schema_name(IDX_2_0));
		return out;
	}
	say(log, "apply_upgrade", "debug",
	    "Upgrading pacemaker-2.10-style configuration, pre-upgrade phase with "
	    "upgrade-2.10-enter.xsl");
	say(log, "apply_upgrade", "debug",
	    "Upgrading pacemaker-2.10-style configuration, main phase with upgrade-2.10.xsl");
	upgrade_ops(cib_child(cib_child(root, "configuration"), "resources"), log);
	say(log, "apply_upgrade", "debug",
	    "Upgrading pacemaker-2.10-style configuration, post-upgrade phase with "
	    "upgrade-2.10-leave.xsl");
	restore_id_refs(cib_child(root, "configuration"), root,
	    cib_child(xmlDocGetRootElement(doc), "configuration"), log);
	cib_set_attr(root, "validate-with", pl_cib_schema_name(IDX_3_0));
	return out;
}

/* ---- the walk ------------------------------------------------------------------------------ */

static const char *
xsl_of(int i)
{
	return i == IDX_1_3 ? "upgrade-1.3.xsl" : i == IDX_2_10 ? "upgrade-2.10.xsl" : NULL;
}

int
pl_cib_upgrade(xmlDoc **docp, const struct pl_cib_upgrade_log *log, int *from, int *to)
{
	xmlNode *root = xmlDocGetRootElement(*docp);
	const char *claimed = cib_attr(root, "validate-with");
	int start = pl_cib_schema_index(claimed), lpc, best = -1, next = -1;
	int max = pl_cib_schema_latest();

	if (from)
		*from = start;
	if (start < 0) {
		say(log, "update_validation", "debug", "Unknown validation schema");
		lpc = 0;
	} else
		lpc = start;
	if (start > max) /* pacemaker-next: nothing newer */
		lpc = start;
	while (lpc <= max || (lpc == start && start > max)) {
		bool ok;

		say(log, "update_validation", "debug", "Testing '%s' validation (%d of %d)",
		    pl_cib_schema_name(lpc), lpc, pl_cib_schema_count());
		ok = valid_as(*docp, lpc, log, false);
		if (!ok) {
			if (next != -1) {
				say(log, "update_validation", "info",
				    "Configuration not valid for schema: %s",
				    pl_cib_schema_name(next));
				next = -1;
			} else
				say(log, "update_validation", "trace", "%s validation failed",
				    pl_cib_schema_name(lpc));
			if (best >= 0)
				break;
			lpc++;
			continue;
		}
		if (next != -1) {
			say(log, "update_validation", "debug", "Configuration valid for schema: %s",
			    pl_cib_schema_name(next));
			next = -1;
		}
		best = lpc;
		if (lpc >= max) {
			say(log, "update_validation", "trace", "Stopping at %s",
			    pl_cib_schema_name(lpc));
			break;
		}
		next = lpc + 1;
		if (xsl_of(lpc) == NULL || valid_as(*docp, next, log, true)) {
			say(log, "update_validation", "debug",
			    "%s-style configuration is also valid for %s", pl_cib_schema_name(lpc),
			    pl_cib_schema_name(next));
			lpc = next;
			continue;
		}
		say(log, "update_validation", "debug",
		    "Upgrading %s-style configuration to %s with %s", pl_cib_schema_name(lpc),
		    pl_cib_schema_name(next), xsl_of(lpc));
		xmlDoc *up = transform(*docp, lpc, log);
		if (valid_as(up, next, log, false)) {
			say(log, "update_validation", "info", "Transformation %s successful",
			    xsl_of(lpc));
			xmlFreeDoc(*docp);
			*docp = up;
			best = lpc = next;
		} else {
			say(log, "update_validation", "error",
			    "Transformation %s did not produce a valid configuration", xsl_of(lpc));
			xmlFreeDoc(up);
			lpc++;
		}
		next = -1;
	}
	if (to)
		*to = best;
	if (best < 0) {
		if (log && log->raw)
			fprintf(log->raw,
			    "Cannot upgrade configuration (claiming schema %s) to at least %s "
			    "because it does not validate with any schema from %s to %s\n",
			    claimed ? claimed : "<unset>", pl_cib_schema_name(IDX_3_0),
			    start < 0 ? "unknown" : pl_cib_schema_name(start),
			    pl_cib_schema_name(max));
		return PL_EXIT_CONFIG;
	}
	if (best > start) {
		say(log, "update_validation", "info", "Transformed the configuration from %s to %s",
		    start < 0 ? "unknown" : pl_cib_schema_name(start), pl_cib_schema_name(best));
		cib_set_attr(xmlDocGetRootElement(*docp), "validate-with", pl_cib_schema_name(best));
	}
	return 0;
}
