/*
 * cib_acl.c - the CIB's access control lists, evaluated as Pacemaker 2.1.5 does (cib.h):
 * which parts of the CIB a user may read, and whether a change is within what it may write.
 *
 * The user's permissions are the acl_permission (kind read/write/deny) and legacy
 * read/write/deny entries of its acl_target (or acl_user), of the acl_roles it references
 * (role/role_ref), and of the acl_groups of groups it belongs to, in document order. Each
 * selects elements by xpath, by reference (id) with an optional object-type and attribute,
 * or by object-type. Applied to a document, every selected element carries the permission's
 * bit; an element is readable when it (or an ancestor, first match walking up) is readable
 * or writable and not denied. ACLs apply only when enable-acl is true and the user is
 * neither root nor hacluster.
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <libxml/xpath.h>

#include "paceline/cib.h"
#include "paceline/exitcode.h"
#include "paceline/xml.h"

enum { ACL_READ = 1, ACL_WRITE = 2, ACL_DENY = 4 };

struct acl {
	unsigned mode;
	char *xpath;
};

bool
pl_cib_acl_required(const char *user)
{
	return user != NULL && *user != '\0' && strcmp(user, "root") != 0 &&
	    strcmp(user, "hacluster") != 0;
}

static bool
is_true(const char *s)
{
	return s != NULL &&
	    (strcasecmp(s, "true") == 0 || strcasecmp(s, "on") == 0 || strcasecmp(s, "yes") == 0 ||
		strcasecmp(s, "y") == 0 || strcmp(s, "1") == 0);
}

bool
pl_cib_acl_enabled(const xmlNode *cib_root, const char *user)
{
	if (!pl_cib_acl_required(user))
		return false;
	const xmlNode *crm =
	    pl_xml_first_child(pl_xml_first_child(cib_root, "configuration"), "crm_config");
	for (const xmlNode *set = pl_xml_first_child(crm, "cluster_property_set"); set != NULL;
	     set = pl_xml_next_sibling(set, "cluster_property_set"))
		for (const xmlNode *nv = pl_xml_first_child(set, "nvpair"); nv != NULL;
		     nv = pl_xml_next_sibling(nv, "nvpair"))
			if (g_strcmp0(pl_xml_attr(nv, "name"), "enable-acl") == 0)
				return is_true(pl_xml_attr(nv, "value"));
	return false;
}

static bool
user_in_group(const char *user, const char *group)
{
	struct group *g = getgrnam(group);
	struct passwd *pw = getpwnam(user);
	if (g == NULL)
		return false;
	if (pw != NULL && pw->pw_gid == g->gr_gid)
		return true;
	for (char **m = g->gr_mem; m != NULL && *m != NULL; m++)
		if (strcmp(*m, user) == 0)
			return true;
	return false;
}

static void
add_acl(GPtrArray *acls, const xmlNode *e, unsigned mode)
{
	const char *tag = pl_xml_attr(e, "object-type"), *ref = pl_xml_attr(e, "reference");
	const char *xpath = pl_xml_attr(e, "xpath"), *attr = pl_xml_attr(e, "attribute");
	if (tag == NULL)
		tag = pl_xml_attr(e, "tag");
	if (ref == NULL)
		ref = pl_xml_attr(e, "ref");
	if (tag == NULL && ref == NULL && xpath == NULL)
		return;
	struct acl *a = g_new0(struct acl, 1);
	a->mode = mode;
	if (xpath != NULL)
		a->xpath = g_strdup(xpath);
	else if (ref != NULL && attr != NULL)
		a->xpath = g_strdup_printf("//%s[@id='%s' and @%s]", tag ? tag : "*", ref, attr);
	else if (ref != NULL)
		a->xpath = g_strdup_printf("//%s[@id='%s']", tag ? tag : "*", ref);
	else if (attr != NULL)
		a->xpath = g_strdup_printf("//%s[@%s]", tag, attr);
	else
		a->xpath = g_strdup_printf("//%s", tag);
	g_ptr_array_add(acls, a);
}

static void
parse_entry(const xmlNode *top, const xmlNode *entry, GPtrArray *acls, int depth)
{
	for (const xmlNode *c = pl_xml_first_child(entry, NULL); c != NULL;
	     c = pl_xml_next_sibling(c, NULL)) {
		const char *tag = pl_xml_name(c);
		if (strcmp(tag, "acl_permission") == 0 && pl_xml_attr(c, "kind") != NULL)
			tag = pl_xml_attr(c, "kind");
		if (strcmp(tag, "role") == 0 || strcmp(tag, "role_ref") == 0) {
			const char *ref = pl_xml_attr(c, "id");
			for (const xmlNode *r = pl_xml_first_child(top, "acl_role");
			     r != NULL && ref != NULL && depth < 16;
			     r = pl_xml_next_sibling(r, "acl_role"))
				if (g_strcmp0(pl_xml_attr(r, "id"), ref) == 0) {
					parse_entry(top, r, acls, depth + 1);
					break;
				}
		} else if (strcmp(tag, "read") == 0) {
			add_acl(acls, c, ACL_READ);
		} else if (strcmp(tag, "write") == 0) {
			add_acl(acls, c, ACL_WRITE);
		} else if (strcmp(tag, "deny") == 0) {
			add_acl(acls, c, ACL_DENY);
		}
	}
}

static void
acl_free(gpointer p)
{
	struct acl *a = p;
	g_free(a->xpath);
	g_free(a);
}

/* The user's permissions in document order; an empty array when it has none. */
static GPtrArray *
unpack(const xmlNode *cib_root, const char *user)
{
	GPtrArray *acls = g_ptr_array_new_with_free_func(acl_free);
	const xmlNode *top =
	    pl_xml_first_child(pl_xml_first_child(cib_root, "configuration"), "acls");
	for (const xmlNode *c = pl_xml_first_child(top, NULL); c != NULL;
	     c = pl_xml_next_sibling(c, NULL)) {
		const char *tag = pl_xml_name(c);
		const char *id =
		    pl_xml_attr(c, "name") ? pl_xml_attr(c, "name") : pl_xml_attr(c, "id");
		if (id == NULL)
			continue;
		if ((strcmp(tag, "acl_target") == 0 || strcmp(tag, "acl_user") == 0) &&
		    strcmp(id, user) == 0)
			parse_entry(top, c, acls, 0);
		else if (strcmp(tag, "acl_group") == 0 && user_in_group(user, id))
			parse_entry(top, c, acls, 0);
	}
	return acls;
}

/* Element -> mode bits, for the elements of doc the permissions select. */
static GHashTable *
apply(xmlDoc *doc, GPtrArray *acls)
{
	GHashTable *flags = g_hash_table_new(g_direct_hash, g_direct_equal);
	xmlXPathContext *ctx = xmlXPathNewContext(doc);
	for (unsigned i = 0; i < acls->len; i++) {
		struct acl *a = g_ptr_array_index(acls, i);
		xmlXPathObject *r = xmlXPathEvalExpression((const xmlChar *)a->xpath, ctx);
		if (r != NULL && r->nodesetval != NULL)
			for (int k = 0; k < r->nodesetval->nodeNr; k++) {
				xmlNode *n = r->nodesetval->nodeTab[k];
				if (n->type != XML_ELEMENT_NODE)
					continue;
				unsigned m = GPOINTER_TO_UINT(g_hash_table_lookup(flags, n));
				g_hash_table_insert(flags, n, GUINT_TO_POINTER(m | a->mode));
			}
		xmlXPathFreeObject(r);
	}
	xmlXPathFreeContext(ctx);
	return flags;
}

static bool
mode_allows(unsigned have, unsigned want)
{
	if (have & ACL_DENY)
		return false;
	if ((have & want) == want)
		return true;
	return (want & ACL_READ) && (have & ACL_WRITE);
}

static unsigned
flags_of(GHashTable *flags, const xmlNode *n)
{
	return GPOINTER_TO_UINT(g_hash_table_lookup(flags, n));
}

/* Strip what is not readable below n (ids stay); false when nothing under n is readable
 * (n is then removed). */
static bool
purge(GHashTable *flags, xmlNode *n)
{
	if (mode_allows(flags_of(flags, n), ACL_READ))
		return true;
	for (xmlAttr *a = n->properties; a != NULL;) {
		xmlAttr *next = a->next;
		if (strcmp((const char *)a->name, "id") != 0)
			xmlRemoveProp(a);
		a = next;
	}
	bool readable = false;
	for (xmlNode *c = n->children; c != NULL;) {
		xmlNode *next = c->next;
		if (c->type == XML_ELEMENT_NODE)
			readable |= purge(flags, c);
		c = next;
	}
	if (!readable) {
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
	return readable;
}

xmlDoc *
pl_cib_acl_filtered_copy(const xmlNode *cib_root, const xmlNode *what, const char *user)
{
	GPtrArray *acls = unpack(cib_root, user);
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *target = xmlDocCopyNode((xmlNode *)what, doc, 1);
	xmlDocSetRootElement(doc, target);
	GHashTable *flags = apply(doc, acls);
	bool whole_denied = acls->len == 0;
	xmlXPathContext *ctx = xmlXPathNewContext(doc);

	for (unsigned i = 0; i < acls->len && !whole_denied; i++) {
		struct acl *a = g_ptr_array_index(acls, i);
		if (a->mode != ACL_DENY)
			continue;
		xmlXPathObject *r = xmlXPathEvalExpression((const xmlChar *)a->xpath, ctx);
		/* collect first: purging frees nodes the node set points to */
		GPtrArray *hits = g_ptr_array_new();
		if (r != NULL && r->nodesetval != NULL)
			for (int k = 0; k < r->nodesetval->nodeNr; k++)
				if (r->nodesetval->nodeTab[k]->type == XML_ELEMENT_NODE)
					g_ptr_array_add(hits, r->nodesetval->nodeTab[k]);
		xmlXPathFreeObject(r);
		for (unsigned k = 0; k < hits->len && !whole_denied; k++) {
			xmlNode *m = g_ptr_array_index(hits, k);
			bool is_root = m == xmlDocGetRootElement(doc);
			/* a purged ancestor may have freed m already: check it is still attached */
			bool attached = false;
			for (xmlNode *p = m; p != NULL; p = p->parent)
				if (p == (xmlNode *)doc)
					attached = true;
			if (attached && !purge(flags, m) && is_root)
				whole_denied = true;
		}
		g_ptr_array_free(hits, TRUE);
	}
	xmlXPathFreeContext(ctx);
	if (!whole_denied && xmlDocGetRootElement(doc) != NULL &&
	    !purge(flags, xmlDocGetRootElement(doc)))
		whole_denied = true;
	g_hash_table_destroy(flags);
	g_ptr_array_free(acls, TRUE);
	if (whole_denied || xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* ---- writes ---- */

struct check {
	GHashTable *flags;     /* the permissions applied to the current CIB */
	GHashTable *new_flags; /* ... and to the updated one (for new elements) */
	const char *user;
	bool has_acls;
	void (*trace)(const char *fn, const char *text);
	bool denied;
};

/* Pacemaker's element path: /cib/configuration/resources/primitive[@id='x'] */
static void
element_path(GString *b, const xmlNode *n)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return;
	element_path(b, n->parent);
	g_string_append_printf(b, "/%s", (const char *)n->name);
	if (pl_xml_attr(n, "id") != NULL)
		g_string_append_printf(b, "[@id='%s']", pl_xml_attr(n, "id"));
}

/* May the user write n (an attribute of it when name is set)? `anchor` is the element of
 * the current CIB whose flags (and ancestors') decide: n itself, or for a new element its
 * nearest existing ancestor. */
static bool
check_write(struct check *c, const xmlNode *n, const xmlNode *anchor, const char *name)
{
	GString *path = g_string_new(NULL);
	bool ok = false;
	element_path(path, n);
	if (name != NULL)
		g_string_append_printf(path, "[@%s]", name);
	if (!c->has_acls) {
		char *t = g_strdup_printf(
		    "User '%s' without ACLs denied read/write access to %s", c->user, path->str);
		c->trace("pcmk__check_acl", t);
		g_free(t);
	} else {
		const char *who = "Default ";
		for (const xmlNode *p = anchor; p != NULL && p->type == XML_ELEMENT_NODE;
		     p = p->parent) {
			unsigned f = flags_of(c->flags, p);
			if (mode_allows(f, ACL_WRITE)) {
				ok = true;
				break;
			}
			if (f & ACL_DENY) {
				who = p != n ? "Parent " : "";
				break;
			}
		}
		if (!ok) {
			char *t = g_strdup_printf("%sACL denies user '%s' read/write access to %s",
			    who, c->user, path->str);
			c->trace("pcmk__check_acl", t);
			g_free(t);
		}
	}
	g_string_free(path, TRUE);
	if (!ok)
		c->denied = true;
	return ok;
}

static const xmlNode *
match_child(const xmlNode *old_parent, const xmlNode *n)
{
	const char *id = pl_xml_attr(n, "id");
	for (const xmlNode *o = pl_xml_first_child(old_parent, NULL); o != NULL;
	     o = pl_xml_next_sibling(o, NULL))
		if (strcmp(pl_xml_name(o), pl_xml_name(n)) == 0 &&
		    g_strcmp0(pl_xml_attr(o, "id"), id) == 0)
			return o;
	return NULL;
}

static bool
version_attr(const xmlNode *n, const char *name)
{
	static const char *const v[] = { "admin_epoch", "epoch", "num_updates", "cib-last-written",
		"update-origin", "update-client", "update-user", "have-quorum", "dc-uuid",
		"crm_feature_set", NULL };
	if (n->parent == NULL || n->parent->type != XML_DOCUMENT_NODE)
		return false;
	for (int i = 0; v[i]; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

/* A new element, as Pacemaker's creation check: one with nothing but an id is scaffolding,
 * implicitly allowed; otherwise it must be writable where it lands (the permissions applied
 * to the new document), else it is refused. Its children are new too. */
static void
created(struct check *c, const xmlNode *k)
{
	const char *id = pl_xml_attr(k, "id") ? pl_xml_attr(k, "id") : "<unset>";
	bool scaffolding = true;
	char *t;

	for (xmlAttr *a = k->properties; a != NULL; a = a->next)
		scaffolding = scaffolding && strcmp((const char *)a->name, "id") == 0;
	if (scaffolding) {
		t = g_strdup_printf("Creation of <%s> scaffolding with id=\"%s\" is implicitly "
				    "allowed",
		    pl_xml_name(k), id);
		c->trace("pcmk__apply_creation_acl", t);
		g_free(t);
	} else {
		GHashTable *old = c->flags;
		bool ok;

		c->flags = c->new_flags;
		ok = check_write(c, k, k, NULL);
		c->flags = old;
		t = g_strdup_printf("ACLs %s creation of <%s> with id=\"%s\"",
		    ok ? "allow" : "disallow", pl_xml_name(k), id);
		c->trace("pcmk__apply_creation_acl", t);
		g_free(t);
		if (!ok)
			return;
	}
	for (const xmlNode *ch = pl_xml_first_child(k, NULL); ch != NULL;
	     ch = pl_xml_next_sibling(ch, NULL))
		created(c, ch);
}

static void
compare(struct check *c, const xmlNode *o, const xmlNode *n, bool versions)
{
	/* attributes set or changed, then removed */
	for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		if (!versions && version_attr(n, name))
			continue;
		if (g_strcmp0(pl_xml_attr(o, name), pl_xml_attr(n, name)) != 0)
			check_write(c, n, o, name);
	}
	for (xmlAttr *a = o->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		if (!versions && version_attr(o, name))
			continue;
		if (pl_xml_attr(n, name) == NULL)
			check_write(c, o, o, NULL); /* Pacemaker names the element for a removal */
	}
	for (const xmlNode *k = pl_xml_first_child(n, NULL); k != NULL;
	     k = pl_xml_next_sibling(k, NULL)) {
		const xmlNode *ok = match_child(o, k);
		if (ok != NULL) {
			compare(c, ok, k, versions);
			continue;
		}
		if (!c->has_acls) { /* Pacemaker meets the denial while setting the id */
			GString *path = g_string_new(NULL);
			element_path(path, o);
			char *t = g_strdup_printf("User '%s' without ACLs denied read/write access "
						  "to %s/%s[@id]",
			    c->user, path->str, pl_xml_name(k));
			c->trace("pcmk__check_acl", t);
			g_free(t);
			t = g_strdup_printf("Creation of <%s> scaffolding with id=\"<unset>\" is "
					    "implicitly allowed",
			    pl_xml_name(k));
			c->trace("pcmk__apply_creation_acl", t);
			g_free(t);
			g_string_free(path, TRUE);
			c->denied = true;
			continue;
		}
		created(c, k);
	}
	for (const xmlNode *k = pl_xml_first_child(o, NULL); k != NULL;
	     k = pl_xml_next_sibling(k, NULL))
		if (match_child(n, k) == NULL)
			check_write(c, k, k, NULL);
}

static void
no_trace(const char *fn, const char *text)
{
	(void)fn, (void)text;
}

int
pl_cib_acl_check_update(const xmlNode *old_root, const xmlNode *new_root, const char *user,
    bool versions, void (*trace)(const char *fn, const char *text))
{
	GPtrArray *acls = unpack(old_root, user);
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *copy = xmlDocCopyNode((xmlNode *)old_root, doc, 1);
	xmlDocSetRootElement(doc, copy);
	struct check c = { apply(doc, acls), apply(new_root->doc, acls), user, acls->len > 0,
		trace ? trace : no_trace, false };
	compare(&c, copy, new_root, versions);
	g_hash_table_destroy(c.flags);
	g_hash_table_destroy(c.new_flags);
	g_ptr_array_free(acls, TRUE);
	xmlFreeDoc(doc);
	return c.denied ? PL_EXIT_INSUFFICIENT_PRIV : 0;
}
