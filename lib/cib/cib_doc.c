/*
 * cib_doc.c - the CIB document: creating, adopting and parsing it, its version, and the
 * sections cibadmin -o names.
 */
#include <stdlib.h>

#include "paceline/xalloc.h"
#include "cib_private.h"

static const char *const config_sections[] = {
	"crm_config",
	"nodes",
	"resources",
	"constraints",
	"rsc_defaults",
	"op_defaults",
	"fencing-topology",
	"acls",
	"tags",
	"alerts",
	NULL,
};

static const struct {
	const char *name, *xpath;
} sections[] = {
	{ "cib", "/cib" },
	{ "configuration", "/cib/configuration" },
	{ "status", "/cib/status" },
	{ "crm_config", "/cib/configuration/crm_config" },
	{ "nodes", "/cib/configuration/nodes" },
	{ "resources", "/cib/configuration/resources" },
	{ "constraints", "/cib/configuration/constraints" },
	{ "rsc_defaults", "/cib/configuration/rsc_defaults" },
	{ "op_defaults", "/cib/configuration/op_defaults" },
	{ "fencing-topology", "/cib/configuration/fencing-topology" },
	{ "acls", "/cib/configuration/acls" },
	{ "tags", "/cib/configuration/tags" },
	{ "alerts", "/cib/configuration/alerts" },
};

const char *
pl_cib_section_xpath(const char *section)
{
	if (section == NULL)
		return "/cib";
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strcmp(sections[i].name, section) == 0)
			return sections[i].xpath;
	return NULL;
}

bool
pl_cib_section_valid(const char *section)
{
	return pl_cib_section_xpath(section) != NULL;
}

xmlNode *
pl__cib_section(xmlNode *root, const char *section, bool create)
{
	xmlNode *conf, *s;

	if (section == NULL || strcmp(section, "cib") == 0)
		return root;
	if (strcmp(section, "status") == 0) {
		s = cib_child(root, "status");
		if (s == NULL && create)
			s = xmlNewChild(root, NULL, (const xmlChar *)"status", NULL);
		return s;
	}
	if (!pl_cib_section_valid(section))
		return NULL;
	conf = cib_child(root, "configuration");
	if (conf == NULL) {
		if (!create)
			return NULL;
		conf = xmlNewNode(NULL, (const xmlChar *)"configuration");
		if (cib_first_elem(root) != NULL)
			xmlAddPrevSibling(cib_first_elem(root), conf);
		else
			xmlAddChild(root, conf);
	}
	if (strcmp(section, "configuration") == 0)
		return conf;
	s = cib_child(conf, section);
	if (s == NULL && create)
		s = xmlNewChild(conf, NULL, (const xmlChar *)section, NULL);
	return s;
}

/* The skeleton Pacemaker's cibadmin --empty prints. */
static xmlNode *
empty_root(void)
{
	xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"cib");
	xmlNode *conf;

	cib_set_attr(root, "crm_feature_set", PL_CIB_FEATURE_SET);
	cib_set_attr(root, "validate-with", "pacemaker-3.9");
	cib_set_attr(root, "epoch", "1");
	cib_set_attr(root, "num_updates", "0");
	cib_set_attr(root, "admin_epoch", "0");
	conf = xmlNewChild(root, NULL, (const xmlChar *)"configuration", NULL);
	for (int i = 0; i < 4; i++)
		xmlNewChild(conf, NULL, (const xmlChar *)config_sections[i], NULL);
	xmlNewChild(root, NULL, (const xmlChar *)"status", NULL);
	return root;
}

xmlNode *
pl__cib_empty_root(void)
{
	return empty_root();
}

static struct pl_cib *
wrap(xmlDoc *doc)
{
	struct pl_cib *cib = XNEW(struct pl_cib);

	cib->doc = doc;
	cib->validate = true;
	return cib;
}

struct pl_cib *
pl_cib_new_empty(void)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");

	xmlDocSetRootElement(doc, empty_root());
	return wrap(doc);
}

struct pl_cib *
pl_cib_adopt(xmlDoc *doc, struct pl_error *e)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	static const char *const counters[] = { "admin_epoch", "epoch", "num_updates" };

	if (root == NULL || !cib_name_is(root, "cib")) {
		pl_error_set(e, PL_EXIT_DATAERR, "the document's root element is <%s>, not <cib>",
		    root ? cib_name(root) : "(none)");
		xmlFreeDoc(doc);
		return NULL;
	}
	for (int i = 0; i < 3; i++) {
		const char *v = cib_attr(root, counters[i]);
		char *end;

		if (v == NULL) {
			cib_set_attr(root, counters[i], "0");
			continue;
		}
		if (*v == '\0' || strtol(v, &end, 10) < 0 || *end != '\0') {
			pl_error_set(e, PL_EXIT_DATAERR,
			    "line %ld: <cib %s=\"%s\">: not a version number", xmlGetLineNo(root),
			    counters[i], v);
			xmlFreeDoc(doc);
			return NULL;
		}
	}
	return wrap(doc);
}

struct pl_cib *
pl_cib_parse_file(const char *path, struct pl_error *e)
{
	xmlDoc *doc = cib_parse_file(path, e);
	struct pl_cib *cib;

	if (doc == NULL)
		return NULL;
	cib = pl_cib_adopt(doc, e);
	if (cib == NULL)
		pl_error_prefix(e, "%s: ", path);
	return cib;
}

struct pl_cib *
pl_cib_parse_string(const char *text, struct pl_error *e)
{
	xmlDoc *doc = cib_parse_string(text, "input", e);

	return doc ? pl_cib_adopt(doc, e) : NULL;
}

void
pl_cib_free(struct pl_cib *cib)
{
	if (cib == NULL)
		return;
	xmlFreeDoc(cib->doc);
	free(cib);
}

xmlDoc *
pl_cib_doc(const struct pl_cib *cib)
{
	return cib->doc;
}

xmlNode *
pl_cib_root(const struct pl_cib *cib)
{
	return xmlDocGetRootElement(cib->doc);
}

void
pl_cib_xml_version(const xmlNode *root, struct pl_cib_version *v)
{
	v->admin_epoch = pl__cib_attr_long(root, "admin_epoch", 0);
	v->epoch = pl__cib_attr_long(root, "epoch", 0);
	v->num_updates = pl__cib_attr_long(root, "num_updates", 0);
}

void
pl_cib_get_version(const struct pl_cib *cib, struct pl_cib_version *v)
{
	pl_cib_xml_version(pl_cib_root(cib), v);
}

int
pl_cib_version_cmp(const struct pl_cib_version *a, const struct pl_cib_version *b)
{
	if (a->admin_epoch != b->admin_epoch)
		return a->admin_epoch < b->admin_epoch ? -1 : 1;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if (a->num_updates != b->num_updates)
		return a->num_updates < b->num_updates ? -1 : 1;
	return 0;
}

void
pl_cib_set_validation(struct pl_cib *cib, bool on)
{
	cib->validate = on;
}
