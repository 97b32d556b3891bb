/*
 * crm_rule - tell whether rules of the CIB's constraints are in effect now or at a date (-d),
 * as Pacemaker 2.1.5's crm_rule does: for each -r RULE, "Rule R is still in effect" (0),
 * "satisfies conditions" (0, a date_spec), "is expired" (110), "has not yet taken effect"
 * (111), or "Could not determine whether rule R is in effect: WHY" (105 not found, 3 when
 * the rule is not one date expression that can be checked). The exit code is the last
 * rule's. The CIB comes from -X (text, or stdin with "-") or the CIB source (CIB_file,
 * CIB_shadow, the daemon); the date expression is evaluated by lib/pengine, as the
 * scheduler evaluates it.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#include "paceline/exitcode.h"
#include "paceline/iso8601.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"

static struct {
	gboolean check;
	char *xml_text;
	char *date;
	char **rules;
} opt;

static GOptionEntry mode_entries[] = {
	{ "check", 'c', 0, G_OPTION_ARG_NONE, &opt.check, "Check whether a rule is in effect", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry data_entries[] = {
	{ "xml-text", 'X', 0, G_OPTION_ARG_STRING, &opt.xml_text,
	    "Use argument for XML (or stdin if '-')", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry addl_entries[] = {
	{ "date", 'd', 0, G_OPTION_ARG_STRING, &opt.date,
	    "Whether the rule is in effect on a given date", NULL },
	{ "rule", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &opt.rules,
	    "The ID of the rule to check (may be specified multiple times)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* Descendants of root named `name`, depth first, into out (at most max); returns the count
 * (which may exceed max). */
static size_t
find_all(xmlNode *root, const char *name, const char *id, xmlNode **out, size_t max)
{
	size_t n = 0;
	for (xmlNode *c = pl_xml_first_child(root, NULL); c != NULL;
	     c = pl_xml_next_sibling(c, NULL)) {
		if (pl_xml_is(c, name) && (id == NULL || g_strcmp0(pl_xml_attr(c, "id"), id) == 0)) {
			if (n < max)
				out[n] = c;
			n++;
		}
		size_t k = find_all(c, name, id, n < max ? out + n : NULL, n < max ? max - n : 0);
		n += k;
	}
	return n;
}

/* Check one rule; returns the exit code and sets *why for the ones that cannot be checked. */
static int
check_rule(xmlNode *constraints, const char *id, struct pl_time when, const char **why)
{
	xmlNode *rule, *expr[2];

	*why = NULL;
	size_t n = constraints ? find_all(constraints, "rule", id, &rule, 1) : 0;
	if (n == 0) {
		*why = "Rule not found";
		return PL_EXIT_NOSUCH;
	}
	if (n > 1) {
		*why = "Found more than one rule with matching ID";
		return PL_EXIT_DATAERR; /* the schema prevents it */
	}
	n = find_all(rule, "date_expression", NULL, expr, 2);
	if (n != 1) {
		*why = n == 0 ? "Rule does not have a date expression"
			      : "Rule has more than one date expression";
		return PL_EXIT_UNIMPLEMENT_FEATURE;
	}
	const char *op = pl_xml_attr(expr[0], "operation");
	if (g_strcmp0(op, "date_spec") == 0) {
		xmlNode *spec = pl_xml_first_child(expr[0], "date_spec");
		if (spec == NULL || pl_xml_attr(spec, "years") == NULL ||
		    pl_xml_attr(spec, "moon") != NULL) {
			*why =
			    "Rule must either not use date_spec, or use date_spec with years= but "
			    "not moon=";
			return PL_EXIT_UNIMPLEMENT_FEATURE;
		}
	}
	/* Pacemaker logs a start or end that does not parse (the expression then lacks it) */
	static const char *const times[] = { "start", "end" };
	for (int i = 0; i < 2; i++) {
		const char *v = pl_xml_attr(expr[0], times[i]);
		struct pl_time ignored;
		struct pl_error err = PL_ERROR_INIT;
		if (v != NULL && !pl_time_parse(v, &ignored, &err))
			fprintf(stderr, "crm_rule \terror: %s\n", err.text);
	}
	switch (pl_date_expr_check(expr[0], when)) {
	case PL_DATE_WITHIN:
	case PL_DATE_OK: return PL_EXIT_OK;
	case PL_DATE_BEFORE: return PL_EXIT_NOT_YET_IN_EFFECT;
	case PL_DATE_AFTER: return PL_EXIT_EXPIRED;
	default: *why = "Error parsing rule"; return PL_EXIT_INDETERMINATE;
	}
}

static void
report(struct tool *t, const char *id, int rc, bool date_spec, const char *why)
{
	if (t->format == TOOL_FMT_XML) {
		xmlNode *n = pl_xml_add_child(tool_xml_result(t), "rule-check");
		pl_xml_set_attr(n, "rule-id", id);
		pl_xml_set_attr_int(n, "rc", rc);
	}
	if (why != NULL) {
		tool_error(t, "Could not determine whether rule %s is in effect: %s", id, why);
		return;
	}
	if (t->format != TOOL_FMT_TEXT)
		return;
	switch (rc) {
	case PL_EXIT_OK:
		fprintf(t->out, "Rule %s %s\n", id,
		    date_spec ? "satisfies conditions" : "is still in effect");
		break;
	case PL_EXIT_EXPIRED: fprintf(t->out, "Rule %s is expired\n", id); break;
	case PL_EXIT_NOT_YET_IN_EFFECT:
		fprintf(t->out, "Rule %s has not yet taken effect\n", id);
		break;
	}
}

static bool
has_fencing_device(const xmlNode *n)
{
	for (const xmlNode *c = pl_xml_first_child(n, NULL); c != NULL;
	     c = pl_xml_next_sibling(c, NULL))
		if ((pl_xml_is(c, "primitive") && g_strcmp0(pl_xml_attr(c, "class"), "stonith") == 0) ||
		    has_fencing_device(c))
			return true;
	return false;
}

/* Pacemaker's crm_rule unpacks the whole CIB first and so logs what unpacking finds wrong
 * with fencing: enabled (the default) without any fencing device. */
static void
warn_fencing(xmlNode *root)
{
	xmlNode *conf = pl_xml_first_child(root, "configuration");
	const char *enabled = NULL;
	for (xmlNode *set =
		 pl_xml_first_child(pl_xml_first_child(conf, "crm_config"), "cluster_property_set");
	     set != NULL && enabled == NULL; set = pl_xml_next_sibling(set, "cluster_property_set"))
		for (xmlNode *nv = pl_xml_first_child(set, "nvpair"); nv != NULL;
		     nv = pl_xml_next_sibling(nv, "nvpair"))
			if (g_strcmp0(pl_xml_attr(nv, "name"), "stonith-enabled") == 0) {
				enabled = pl_xml_attr(nv, "value");
				break;
			}
	if (enabled != NULL &&
	    (g_ascii_strcasecmp(enabled, "false") == 0 || g_ascii_strcasecmp(enabled, "no") == 0 ||
		g_ascii_strcasecmp(enabled, "off") == 0 || g_ascii_strcasecmp(enabled, "n") == 0 ||
		strcmp(enabled, "0") == 0))
		return;
	if (has_fencing_device(pl_xml_first_child(conf, "resources")))
		return;
	fprintf(stderr,
	    "crm_rule \terror: Resource start-up disabled since no STONITH resources "
	    "have been defined\n"
	    "crm_rule \terror: Either configure some or disable STONITH with the "
	    "stonith-enabled option\n"
	    "crm_rule \terror: NOTE: Clusters with shared data need STONITH to ensure "
	    "data integrity\n");
}

static bool
is_date_spec(xmlNode *constraints, const char *id)
{
	xmlNode *rule, *expr;
	if (constraints == NULL || find_all(constraints, "rule", id, &rule, 1) != 1 ||
	    find_all(rule, "date_expression", NULL, &expr, 1) != 1)
		return false;
	return g_strcmp0(pl_xml_attr(expr, "operation"), "date_spec") == 0;
}

int
main(int argc, char **argv)
{
	struct tool t = { .name = "crm_rule", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };
	GOptionContext *ctx = g_option_context_new(NULL);
	struct pl_error err = PL_ERROR_INIT;
	struct pl_time when;
	xmlDoc *doc = NULL;
	int rc;

	g_option_context_set_summary(ctx, "evaluate rules from the Pacemaker configuration");
	tool_add_group(
	    ctx, "modes", "Modes (mutually exclusive):", "Show modes of operation", mode_entries);
	tool_add_group(ctx, "data", "Data:", "Show data options", data_entries);
	tool_add_group(
	    ctx, "additional", "Additional Options:", "Show additional options", addl_entries);
	rc = tool_parse(&t, ctx, NULL, &argc, &argv);
	g_option_context_free(ctx);
	if (rc >= 0)
		return rc;

	if (!opt.check) {
		tool_error(&t, "crm_rule: No mode operation given");
		return tool_finish(&t, PL_EXIT_USAGE);
	}
	if (opt.rules == NULL) {
		tool_error(&t, "crm_rule: --check requires use of --rule=");
		return tool_finish(&t, PL_EXIT_USAGE);
	}
	if (opt.date == NULL) {
		when = pl_time_now();
	} else if (!pl_time_parse(opt.date, &when, &err)) {
		fprintf(stderr, "crm_rule \terror: %s\n", err.text);
		tool_error(&t, "crm_rule: Invalid date specified: '%s'", opt.date);
		return tool_finish(&t, PL_EXIT_DATAERR);
	}
	if (opt.xml_text != NULL) {
		doc = tool_xml_read(&t, opt.xml_text);
		if (doc == NULL) {
			if (strcmp(opt.xml_text, "-") == 0)
				tool_error(&t, "crm_rule: Couldn't parse input from STDIN\n\n");
			else
				tool_error(&t, "crm_rule: Couldn't parse input string: %s\n\n",
				    opt.xml_text);
			return tool_finish(&t, PL_EXIT_DATAERR);
		}
	} else {
		struct tool_cib *src = tool_cib_open("crm_rule", 30000, &err);
		if (src != NULL) {
			doc = tool_cib_fetch(src, &err);
			tool_cib_close(src);
		}
		if (doc == NULL) {
			tool_error(&t, "crm_rule: %s", err.text);
			return tool_finish(&t, err.code ? err.code : PL_EXIT_ERROR);
		}
	}
	xmlNode *root = pl_xml_root(doc);
	xmlNode *conf = pl_xml_first_child(root, "configuration");
	warn_fencing(root);
	xmlNode *constraints =
	    pl_xml_is(root, "cib") ? pl_xml_first_child(conf, "constraints") : NULL;
	for (char **id = opt.rules; *id != NULL; id++) {
		const char *why;
		rc = check_rule(constraints, *id, when, &why);
		report(&t, *id, rc, is_date_spec(constraints, *id), why);
	}
	xmlFreeDoc(doc);
	g_strfreev(opt.rules);
	return tool_finish(&t, rc);
}
