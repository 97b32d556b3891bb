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
 * - 2.10 -> 3.0: cluster options with old names renamed (stonith_enabled -> stonith-enabled),
 *   moved to rsc_defaults/op_defaults (default-resource-stickiness, is-managed-default,
 *   default-action-timeout) or dropped (expected-quorum-votes, ...); node type normal ->
 *   member; primitives' fencing options renamed (pcmk_*_cmd -> pcmk_*_action, a "port:"
 *   pcmk_arg_map -> pcmk_host_argument), isolation* -> target-role=Stopped, a -INFINITY
 *   resource-failure-stickiness -> migration-threshold=1; an operation's "requires"
 *   name/value pair is dropped (only start/promote count: there, from a meta_attributes set,
 *   it becomes the resource's meta attribute); a set referenced with id-ref whose original
 *   disappeared is replaced by a renamed copy of the original. A 2.x document holding any of
 *   the old names is transformed even when our 3.0 schema would take it, as Pacemaker's
 *   schema refuses them. Not done: rsc_colocation's score-attribute (refused by 2.10 too).
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

static bool in_case_of(const char *list, const char *value);

/* upgrade-2.10's resource attribute tables (primitives and templates only). */
struct attr_map {
	const char *what, *with, *in_case_of, *redefined_as, *extra, *severity;
};
static const struct attr_map rsc_meta_map[] = {
	{ "isolation", "target-role", NULL, "Stopped",
	    "i.e. resource at hand disabled; isolation wrappers obsoleted with bundle resources",
	    "WARNING" },
	{ "isolation-host", "target-role", NULL, "Stopped",
	    "i.e. resource at hand disabled; isolation wrappers obsoleted with bundle resources",
	    "WARNING" },
	{ "isolation-instance", "target-role", NULL, "Stopped",
	    "i.e. resource at hand disabled; isolation wrappers obsoleted with bundle resources",
	    "WARNING" },
	{ "isolation-wrapper", "target-role", NULL, "Stopped",
	    "i.e. resource at hand disabled; isolation wrappers obsoleted with bundle resources",
	    "WARNING" },
	{ "resource-failure-stickiness", "migration-threshold", "-INFINITY", "1", NULL, "DEBUG" },
	{ "resource-failure-stickiness", "", NULL, NULL,
	    "migration-threshold can be configured instead", "INFO" },
	{ "resource_failure_stickiness", "migration-threshold", "-INFINITY", "1", NULL, "DEBUG" },
	{ "resource_failure_stickiness", "", NULL, NULL,
	    "migration-threshold can be configured instead", "INFO" },
};
static const struct attr_map rsc_instance_map[] = {
	{ "pcmk_list_cmd", "pcmk_list_action", NULL, NULL, NULL, "DEBUG" },
	{ "pcmk_monitor_cmd", "pcmk_monitor_action", NULL, NULL, NULL, "DEBUG" },
	{ "pcmk_off_cmd", "pcmk_off_action", NULL, NULL, NULL, "DEBUG" },
	{ "pcmk_on_cmd", "pcmk_on_action", NULL, NULL, NULL, "DEBUG" },
	{ "pcmk_reboot_cmd", "pcmk_reboot_action", NULL, NULL, NULL, "DEBUG" },
	{ "pcmk_status_cmd", "pcmk_status_action", NULL, NULL, NULL, "DEBUG" },
};

static const struct attr_map *
attr_entry(const struct attr_map *map, size_t n, const xmlNode *nv)
{
	const char *name = cib_attr(nv, "name"), *value = cib_attr(nv, "value");

	for (size_t i = 0; name && i < n; i++)
		if (strcmp(map[i].what, name) == 0 && in_case_of(map[i].in_case_of, value))
			return &map[i];
	return NULL;
}

/* A primitive's instance_attributes: the fencing options' old names renamed; pcmk_arg_map
 * kept as pcmk_host_argument when it is one "port:" mapping, else dropped. */
static void
upgrade_rsc_instance(xmlNode *set, const struct pl_cib_upgrade_log *log)
{
	xmlNode *next;

	for (xmlNode *nv = cib_first_elem(set); nv != NULL; nv = next) {
		const char *id = cib_attr(nv, "id") ? cib_attr(nv, "id") : "";
		const char *value = cib_attr(nv, "value");
		const struct attr_map *m;

		next = cib_next_elem(nv);
		if (!cib_name_is(nv, "nvpair"))
			continue;
		if (g_strcmp0(cib_attr(nv, "name"), "pcmk_arg_map") == 0) {
			if (value && g_str_has_prefix(value, "port:") && strchr(value, ',') == NULL) {
				char *rest = xstrdup(value + 5);

				note(log,
				    "DEBUG: Resource instance_attributes: %s: renaming "
				    "pcmk_arg_map as "
				    "pcmk_host_argument for matching port: prefix that will, "
				    "meanwhile, "
				    "get dropped",
				    id);
				cib_set_attr(nv, "name", "pcmk_host_argument");
				cib_set_attr(nv, "value", rest);
				free(rest);
			} else {
				note(log, "DEBUG: Resource instance_attributes: %s: dropping pcmk_arg_map",
				    id);
				xmlUnlinkNode(nv);
				xmlFreeNode(nv);
			}
			continue;
		}
		m = attr_entry(rsc_instance_map, G_N_ELEMENTS(rsc_instance_map), nv);
		if (m == NULL)
			continue;
		note(log, "DEBUG: Resource instance_attributes: %s: renaming %s as %s", id, m->what,
		    m->with);
		cib_set_attr(nv, "name", m->with);
	}
}

/* A primitive's meta_attributes: isolation* become target-role=Stopped, a -INFINITY
 * resource-failure-stickiness migration-threshold=1, other values of it are dropped. Of the
 * pairs renamed in one set only the first stays, as upgrade-2.10 leaves it. */
static void
upgrade_rsc_meta(xmlNode *rsc, xmlNode *set, const struct pl_cib_upgrade_log *log)
{
	bool renamed = false;
	xmlNode *next;

	for (xmlNode *nv = cib_first_elem(set); nv != NULL; nv = next) {
		const struct attr_map *m;
		const char *rid = cib_attr(rsc, "id") ? cib_attr(rsc, "id") : "";
		const char *sid = cib_attr(set, "id") ? cib_attr(set, "id") : "";

		next = cib_next_elem(nv);
		if (!cib_name_is(nv, "nvpair") ||
		    (m = attr_entry(rsc_meta_map, G_N_ELEMENTS(rsc_meta_map), nv)) == NULL)
			continue;
		if (*m->with == '\0') {
			note(log, "%s: Resource meta_attributes: %s (meta=%s): dropping %s",
			    m->severity, rid, sid, m->what);
		} else {
			note(log,
			    "%s: Resource meta_attributes: %s (meta=%s): renaming %s as %s%s%s%s%s",
			    m->severity, rid, sid, m->what, m->with,
			    m->redefined_as ? ", redefined as " : "",
			    m->redefined_as ? m->redefined_as : "",
			    m->in_case_of ? ", for matching " : "",
			    m->in_case_of ? m->in_case_of : "");
		}
		if (m->extra)
			note(log, "%s: Resource meta_attributes: ... %s", m->severity, m->extra);
		if (*m->with != '\0' && !renamed) {
			renamed = true;
			cib_set_attr(nv, "name", m->with);
			if (m->redefined_as)
				cib_set_attr(nv, "value", m->redefined_as);
			continue;
		}
		xmlUnlinkNode(nv);
		xmlFreeNode(nv);
	}
}

static void
upgrade_resources(xmlNode *n, const struct pl_cib_upgrade_log *log)
{
	CIB_FOR_EACH_CHILD (n, c) {
		if (cib_name_is(c, "primitive") || cib_name_is(c, "template")) {
			xmlNode *next;

			for (xmlNode *part = cib_first_elem(c); part != NULL; part = next) {
				bool had = cib_first_elem(part) != NULL;

				next = cib_next_elem(part);
				if (cib_name_is(part, "instance_attributes"))
					upgrade_rsc_instance(part, log);
				else if (cib_name_is(part, "meta_attributes"))
					upgrade_rsc_meta(c, part, log);
				else if (cib_name_is(part, "operations")) {
					CIB_FOR_EACH_CHILD (part, op)
						if (cib_name_is(op, "op"))
							upgrade_op_requires(c, op, log);
					continue;
				} else
					continue;
				if (had && cib_first_elem(part) == NULL) {
					xmlUnlinkNode(part);
					xmlFreeNode(part);
				}
			}
		} else
			upgrade_resources(c, log);
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

/* upgrade-2.10's cluster options (Pacemaker's 3.0 schema refuses the old names): renamed in
 * place, moved to rsc_defaults or op_defaults under a new name unless defined there already,
 * or dropped; in_case_of limits the entry to those values ('|'-separated), redefined_as
 * replaces the value. Entries are tried in order, the first that applies wins. */
struct opt_map {
	const char *what, *with, *where, *in_case_of, *redefined_as, *extra;
};
static const struct opt_map cluster_opts[] = {
	{ "cluster-infrastructure", "", NULL,
	    "heartbeat|openais|classic openais|classic openais (with plugin)|cman", NULL,
	    "corosync (2+) infrastructure can be used instead, though the value is not of "
	    "significance" },
	{ "cluster_recheck_interval", "cluster-recheck-interval", NULL, NULL, NULL, NULL },
	{ "dc_deadtime", "dc-deadtime", NULL, NULL, NULL, NULL },
	{ "default-action-timeout", "timeout", "op_defaults", NULL, NULL, NULL },
	{ "default_action_timeout", "timeout", "op_defaults", NULL, NULL, NULL },
	{ "default-migration-threshold", "", NULL, NULL, NULL,
	    "migration-threshold in rsc_defaults can be configured instead" },
	{ "default_migration_threshold", "", NULL, NULL, NULL,
	    "migration-threshold in rsc_defaults can be configured instead" },
	{ "default-resource-stickiness", "resource-stickiness", "rsc_defaults", NULL, NULL, NULL },
	{ "default_resource_stickiness", "resource-stickiness", "rsc_defaults", NULL, NULL, NULL },
	{ "default-resource-failure-stickiness", "migration-threshold", "rsc_defaults", "-INFINITY",
	    "1", NULL },
	{ "default-resource-failure-stickiness", "", NULL, NULL, NULL,
	    "migration-threshold in rsc_defaults can be configured instead" },
	{ "default_resource_failure_stickiness", "migration-threshold", "rsc_defaults", "-INFINITY",
	    "1", NULL },
	{ "default_resource_failure_stickiness", "", NULL, NULL, NULL,
	    "migration-threshold in rsc_defaults can be configured instead" },
	{ "election_timeout", "election-timeout", NULL, NULL, NULL, NULL },
	{ "expected-quorum-votes", "", NULL, NULL, NULL,
	    "corosync (2+) infrastructure tracks quorum on its own" },
	{ "is-managed-default", "is-managed", "rsc_defaults", NULL, NULL, NULL },
	{ "is_managed_default", "is-managed", "rsc_defaults", NULL, NULL, NULL },
	{ "no_quorum_policy", "no-quorum-policy", NULL, NULL, NULL, NULL },
	{ "notification-agent", "", NULL, NULL, NULL, "standalone alerts can be configured instead" },
	{ "notification-recipient", "", NULL, NULL, NULL,
	    "standalone alerts can be configured instead" },
	{ "remove_after_stop", "remove-after-stop", NULL, NULL, NULL, NULL },
	{ "shutdown_escalation", "shutdown-escalation", NULL, NULL, NULL, NULL },
	{ "startup_fencing", "startup-fencing", NULL, NULL, NULL, NULL },
	{ "stonith_action", "stonith-action", NULL, NULL, NULL, NULL },
	{ "stonith_enabled", "stonith-enabled", NULL, NULL, NULL, NULL },
	{ "stop_orphan_actions", "stop-orphan-actions", NULL, NULL, NULL, NULL },
	{ "stop_orphan_resources", "stop-orphan-resources", NULL, NULL, NULL, NULL },
	{ "symmetric_cluster", "symmetric-cluster", NULL, NULL, NULL, NULL },
	{ "transition_idle_timeout", "cluster-delay", NULL, NULL, NULL, NULL },
};

static bool
in_case_of(const char *list, const char *value)
{
	bool found = false;
	char **v;

	if (list == NULL)
		return true;
	v = g_strsplit(list, "|", -1);
	for (char **p = v; *p != NULL; p++)
		found = found || g_strcmp0(*p, value) == 0;
	g_strfreev(v);
	return found;
}

static const struct opt_map *
cluster_opt(const xmlNode *nv)
{
	const char *name = cib_attr(nv, "name"), *value = cib_attr(nv, "value");

	for (size_t i = 0; name && i < sizeof(cluster_opts) / sizeof(cluster_opts[0]); i++)
		if (strcmp(cluster_opts[i].what, name) == 0 &&
		    in_case_of(cluster_opts[i].in_case_of, value))
			return &cluster_opts[i];
	return NULL;
}

/* Old resource attribute names under primitives and templates (any depth). */
static bool
rsc_needs_transform(const xmlNode *n)
{
	CIB_FOR_EACH_CHILD (n, c) {
		if (!cib_name_is(c, "primitive") && !cib_name_is(c, "template")) {
			if (rsc_needs_transform(c))
				return true;
			continue;
		}
		CIB_FOR_EACH_CHILD (c, set)
			CIB_FOR_EACH_CHILD (set, nv) {
				if (!cib_name_is(nv, "nvpair"))
					continue;
				if (cib_name_is(set, "meta_attributes") &&
				    attr_entry(rsc_meta_map, G_N_ELEMENTS(rsc_meta_map), nv))
					return true;
				if (cib_name_is(set, "instance_attributes") &&
				    (g_strcmp0(cib_attr(nv, "name"), "pcmk_arg_map") == 0 ||
					attr_entry(
					    rsc_instance_map, G_N_ELEMENTS(rsc_instance_map), nv)))
					return true;
			}
	}
	return false;
}

/* Whether a 2.x document holds what only upgrade-2.10 can bring into a 3.x schema (the old
 * cluster option and resource attribute names, a node of type "normal"): Pacemaker's 3.0 schema refuses those, so
 * its walk transforms such a document rather than calling it "also valid for" 3.0. */
static bool
needs_2_10_transform(xmlDoc *doc)
{
	xmlNode *conf = cib_child(xmlDocGetRootElement(doc), "configuration");

	CIB_FOR_EACH_CHILD (cib_child(conf, "crm_config"), set)
		CIB_FOR_EACH_CHILD (set, nv)
			if (cib_name_is(nv, "nvpair") && cluster_opt(nv) != NULL)
				return true;
	CIB_FOR_EACH_CHILD (cib_child(conf, "nodes"), n)
		if (g_strcmp0(cib_attr(n, "type"), "normal") == 0)
			return true;
	return rsc_needs_transform(cib_child(conf, "resources"));
}

/* The meta_attributes set of rsc_defaults or op_defaults a moved option goes to: the
 * section's first, else a new "_2TO3_-rsc-defaults" / "_2TO3_-op-defaults" (the section
 * appended to the configuration when missing). */
static xmlNode *
defaults_set(xmlNode *conf, const char *section)
{
	xmlNode *sec = cib_child(conf, section), *set;
	char *id;

	if (sec == NULL) {
		/* new sections at the end, op_defaults before a new rsc_defaults (Pacemaker's) */
		xmlNode *rd = cib_child(conf, "rsc_defaults");
		xmlNode *rds = cib_child(rd, "meta_attributes");

		if (strcmp(section, "op_defaults") == 0 && rds != NULL &&
		    g_strcmp0(cib_attr(rds, "id"), "_2TO3_-rsc-defaults") == 0)
			sec = xmlAddPrevSibling(rd, new_elem(section));
		else
			sec = xmlAddChild(conf, new_elem(section));
	}
	if ((set = cib_child(sec, "meta_attributes")) != NULL)
		return set;
	set = xmlAddChild(sec, new_elem("meta_attributes"));
	id = xasprintf(
	    "_2TO3_-%s", strcmp(section, "rsc_defaults") == 0 ? "rsc-defaults" : "op-defaults");
	cib_set_attr(set, "id", id);
	free(id);
	return set;
}

static bool
defined_in(xmlNode *conf, const char *section, const char *name)
{
	CIB_FOR_EACH_CHILD (cib_child(conf, section), set)
		CIB_FOR_EACH_CHILD (set, nv)
			if (g_strcmp0(cib_attr(nv, "name"), name) == 0)
				return true;
	return false;
}

static void
upgrade_cluster_opts(xmlNode *conf, const struct pl_cib_upgrade_log *log)
{
	CIB_FOR_EACH_CHILD (cib_child(conf, "crm_config"), set) {
		xmlNode *next;

		for (xmlNode *nv = cib_first_elem(set); nv != NULL; nv = next) {
			const struct opt_map *m = cib_name_is(nv, "nvpair") ? cluster_opt(nv) : NULL;
			const char *id = cib_attr(nv, "id") ? cib_attr(nv, "id") : "";

			next = cib_next_elem(nv);
			if (m == NULL)
				continue;
			if (*m->with == '\0') {
				if (m->in_case_of)
					note(log, "INFO: Cluster properties: %s: dropping %s for matching %s",
					    id, m->what, m->in_case_of);
				else
					note(log, "INFO: Cluster properties: %s: dropping %s", id,
					    m->what);
				note(log, "INFO: Cluster properties: ... %s", m->extra);
			} else if (m->where == NULL) {
				note(log, "DEBUG: Cluster properties: %s: renaming %s as %s", id,
				    m->what, m->with);
				cib_set_attr(nv, "name", m->with);
				continue;
			} else {
				if (m->redefined_as)
					note(log,
					    "DEBUG: Cluster properties: %s: moving %s under %s as "
					    "%s "
					    "unless already defined there, redefined as %s, for "
					    "matching %s",
					    id, m->what, m->where, m->with, m->redefined_as,
					    m->in_case_of);
				else
					note(log,
					    "DEBUG: Cluster properties: %s: moving %s under %s as "
					    "%s "
					    "unless already defined there",
					    id, m->what, m->where, m->with);
				if (!defined_in(conf, m->where, m->with)) {
					xmlNode *moved = xmlCopyNode(nv, 1);

					cib_set_attr(moved, "name", m->with);
					if (m->redefined_as)
						cib_set_attr(moved, "value", m->redefined_as);
					xmlAddChild(defaults_set(conf, m->where), moved);
				}
			}
			xmlUnlinkNode(nv);
			xmlFreeNode(nv);
		}
	}
}

static void
upgrade_node_types(xmlNode *conf, const struct pl_cib_upgrade_log *log)
{
	CIB_FOR_EACH_CHILD (cib_child(conf, "nodes"), n)
		if (cib_name_is(n, "node") && g_strcmp0(cib_attr(n, "type"), "normal") == 0) {
			note(log,
			    "DEBUG: Cluster node: %s (id=%s): keeping type as type, redefined as "
			    "member, for matching normal",
			    cib_attr(n, "uname") ? cib_attr(n, "uname") : "",
			    cib_attr(n, "id") ? cib_attr(n, "id") : "");
			cib_set_attr(n, "type", "member");
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
	upgrade_cluster_opts(cib_child(root, "configuration"), log);
	upgrade_node_types(cib_child(root, "configuration"), log);
	upgrade_resources(cib_child(cib_child(root, "configuration"), "resources"), log);
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
		if (xsl_of(lpc) == NULL ||
		    (valid_as(*docp, next, log, true) &&
			!(lpc == IDX_2_10 && needs_2_10_transform(*docp)))) {
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
