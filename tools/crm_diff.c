/*
 * crm_diff - compare two XML documents and print the patch (Pacemaker's v2 patchset, or its
 * v1 format for an original whose feature set is older than 3.0.9; exit 1 when they differ,
 * 0 when equal), or apply a patchset to a document (print the result), with Pacemaker's
 * options: -o/-O original, -n/-N new, -p patch, -u/--no-version, -c/--cib, -s/--stdin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <libxml/parser.h>

#include "paceline/cib.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "common-cib/cib_tool.h"

static bool verbose; /* -V */

static void
usage(FILE *out)
{
	fprintf(out,
	    "crm_diff - compare or patch XML files\n"
	    "Usage: crm_diff original_xml operation [options]\n"
	    "Original XML:\n"
	    " -o, --original=value\t\tXML is contained in the named file\n"
	    " -O, --original-string=value\tXML is contained in the supplied string\n"
	    "Operation:\n"
	    " -n, --new=value\t\tCompare the original XML to the contents of the named file\n"
	    " -N, --new-string=value\t\tCompare the original XML with the supplied string\n"
	    " -p, --patch=value\t\tPatch the original XML with the contents of the named file\n"
	    "Additional options:\n"
	    " -c, --cib\t\tCompare/patch the inputs as a CIB (includes version details)\n"
	    " -s, --stdin\t\tRead the second document from stdin\n"
	    " -u, --no-version\tGenerate the difference without version details\n");
}

static xmlDoc *
load(const char *file, const char *string, bool from_stdin, const char *which)
{
	struct pl_error e = PL_ERROR_INIT;
	/* "-" names standard input, as crmsh passes it (crm_diff -o FILE -n -) */
	if (file != NULL && strcmp(file, "-") == 0) {
		file = NULL;
		from_stdin = true;
	}
	char *text = cibtool_read_text(file, string, from_stdin, &e);
	xmlDoc *doc;

	if (text == NULL) {
		/* Pacemaker's line, then what was wrong and where */
		fprintf(stderr, "Could not parse the %s XML fragment\ncrm_diff: %s\n", which, e.text);
		exit(PL_EXIT_DATAERR);
	}
	doc = cibtool_parse(text, file ? file : "string", &e);
	free(text);
	if (doc == NULL) {
		/* Pacemaker's line, then what was wrong and where */
		fprintf(stderr, "Could not parse the %s XML fragment\ncrm_diff: %s\n", which, e.text);
		exit(PL_EXIT_DATAERR);
	}
	return doc;
}

/* --no-version: a v2 patch loses its <version>, a v1 patch the counters of its two sides
 * and of their <cib>s. */
static void
strip_version(xmlNode *patch)
{
	static const char *const counters[] = { "admin_epoch", "epoch", "num_updates" };
	xmlNode *v = pl_xml_first_child(patch, "version");

	if (v != NULL) {
		xmlUnlinkNode(v);
		xmlFreeNode(v);
	}
	PL_XML_FOREACH_CHILD(patch, NULL, side)
	for (size_t i = 0; i < 3; i++) {
		xmlUnsetProp(side, BAD_CAST counters[i]);
		xmlUnsetProp(pl_xml_first_child(side, "cib"), BAD_CAST counters[i]);
	}
}

/* Whether a change of the v2 patch marks root/configuration dirty in Pacemaker's change
 * tracking (is_config_change): a change at or below it, a child created in it or under it, a
 * move below it (a move marks the moved node's parent), a deletion whose path names it. */
static bool
config_changed(const xmlNode *patch, const char *root_name)
{
	char *prefix = g_strdup_printf("/%s/configuration", root_name);
	size_t len = strlen(prefix);
	bool found = false;

	for (const xmlNode *ch = pl_xml_first_child(patch, "change"); ch != NULL && !found;
	     ch = pl_xml_next_sibling(ch, "change")) {
		const char *op = pl_xml_attr(ch, "operation"), *path = pl_xml_attr(ch, "path");
		bool below, at;

		if (op == NULL || path == NULL)
			continue;
		if (strcmp(op, "delete") == 0) {
			found = strstr(path, "/cib/configuration") != NULL;
			continue;
		}
		at = strncmp(path, prefix, len) == 0 && path[len] == '\0';
		below = strncmp(path, prefix, len) == 0 && (path[len] == '/' || path[len] == '[');
		if (strcmp(op, "create") == 0 && !at && !below) {
			const xmlNode *child = pl_xml_first_child(ch, NULL);
			char *created =
			    g_strdup_printf("%s/%s", path, child ? (const char *)child->name : "");

			at = strcmp(created, prefix) == 0;
			g_free(created);
		}
		found = below || (at && strcmp(op, "move") != 0);
	}
	g_free(prefix);
	return found;
}

/* Pacemaker's generate_patch: with --no-version the new document takes the original's
 * counters first (so they are no change) and the patch loses its <version>; with --cib,
 * attribute order is not a change and the patch carries the new document's digest. An
 * original whose feature set is missing or not above 3.0.8 gets Pacemaker's v1 patch instead
 * (always with a digest). Exit 1 when the
 * documents differ, 0 when they do not. */
static int
generate(xmlNode *a, xmlNode *b, bool as_cib, bool no_version)
{
	static const char *const counters[] = { "admin_epoch", "epoch", "num_updates" };
	unsigned opts =
	    PL_CIB_DIFF_VERSION | PL_CIB_DIFF_FIRST_MATCH | (as_cib ? 0 : PL_CIB_DIFF_ATTR_MOVES);
	const char *fs = pl_xml_attr(a, "crm_feature_set");
	bool v1 = fs == NULL || !cibtool_feature_set_at_least(fs, 3, 0, 9);
	xmlNode *patch;

	if (no_version)
		for (size_t i = 0; i < 3; i++) {
			const char *v = pl_xml_attr(a, counters[i]);

			if (v != NULL)
				pl_xml_set_attr(b, counters[i], v);
		}
	patch = pl_cib_diff_create_full(a, b, opts);
	if (patch == NULL || pl_xml_first_child(patch, "change") == NULL) {
		if (patch != NULL)
			xmlFreeNode(patch);
		return PL_EXIT_OK;
	}
	if (v1) {
		bool config = config_changed(patch, (const char *)b->name);

		xmlFreeNode(patch);
		patch = pl_cib_diff_v1_create(a, b, PL_CIB_FEATURE_SET, config);
		if (patch == NULL)
			return PL_EXIT_OK;
	}
	if (no_version)
		strip_version(patch);
	if (as_cib || v1) {
		char digest[33];

		cibtool_digest(b, fs, digest);
		pl_xml_set_attr(patch, "digest", digest);
	}
	cibtool_print(patch);
	xmlFreeNode(patch);
	return 1;
}

static long long
counter(const xmlNode *n, const char *name)
{
	long long v = 0;

	if (!pl_xml_attr_int(n, name, 0, &v, NULL) || v < 0)
		v = 0;
	return v;
}

/* False when the patch starts from root's version and no counter of its target is above
 * its source's: Pacemaker refuses such a patch as old (a diff of two files of one version). */
static bool
version_changes(const xmlNode *root, const xmlNode *patch)
{
	static const char *const counters[] = { "admin_epoch", "epoch", "num_updates" };
	const xmlNode *ver = pl_xml_first_child(patch, "version");
	const xmlNode *src = pl_xml_first_child(ver, "source");
	const xmlNode *dst = pl_xml_first_child(ver, "target");
	bool changed = false;

	if (ver == NULL || src == NULL || dst == NULL)
		return true;
	for (size_t i = 0; i < 3; i++) {
		long long cur = counter(root, counters[i]);

		if (cur != counter(src, counters[i]))
			return true; /* pl_cib_diff_apply says how it differs */
		if (counter(dst, counters[i]) > cur)
			changed = true;
	}
	return changed;
}

/* Pacemaker's apply_patch: the versions are checked only with --cib; a digest in the patch
 * must be that of the result. A patch without a format or format="1" is applied as v1.
 * Prints the result. */
static int
apply(xmlDoc *doc, xmlNode *patch, bool as_cib)
{
	struct pl_error e = PL_ERROR_INIT;
	xmlNode *root = xmlDocGetRootElement(doc);
	const char *digest = pl_xml_attr(patch, "digest");
	int rc;

	if (!as_cib) {
		xmlNode *v = pl_xml_first_child(patch, "version");

		if (v != NULL) {
			xmlUnlinkNode(v);
			xmlFreeNode(v);
		}
	}
	if (pl_cib_diff_is_v1(patch)) {
		rc = as_cib ? pl_cib_diff_v1_check_version(root, patch, &e) : 0;
		if (rc == 0)
			rc = pl_cib_diff_v1_apply(root, patch, &e);
		if (rc == 0 && e.text[0] != '\0' && verbose)
			fprintf(stderr, "crm_diff: %s\n", e.text); /* Pacemaker logs it */
	} else if (as_cib && !version_changes(root, patch)) {
		fprintf(stderr,
		    "Could not apply patch: Update was older than existing configuration\n");
		return PL_EXIT_OLD;
	} else
		rc = pl_cib_diff_apply(root, patch, &e);
	if (rc == 0 && digest != NULL) {
		char got[33];

		cibtool_digest(root, pl_xml_attr(root, "crm_feature_set"), got);
		if (strcmp(got, digest) != 0) {
			fprintf(stderr, "Could not apply patch: Application of update diff failed\n");
			return 1;
		}
	}
	if (rc == PL_EXIT_OLD) {
		fprintf(stderr,
		    "Could not apply patch: Update was older than existing configuration\n");
		return rc;
	}
	if (rc == PL_EXIT_DIGEST) {
		fprintf(stderr,
		    "Could not apply patch: Application of update diff failed, requesting "
		    "full refresh\n");
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "Could not apply patch: Application of update diff failed\n");
		fprintf(stderr, "crm_diff: %s\n", e.text);
		return 1;
	}
	cibtool_print(root);
	return PL_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, '?' },
		{ "version", no_argument, NULL, '$' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "original", required_argument, NULL, 'o' },
		{ "original-string", required_argument, NULL, 'O' },
		{ "new", required_argument, NULL, 'n' },
		{ "new-string", required_argument, NULL, 'N' },
		{ "patch", required_argument, NULL, 'p' },
		{ "cib", no_argument, NULL, 'c' },
		{ "stdin", no_argument, NULL, 's' },
		{ "no-version", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *orig_file = NULL, *orig_str = NULL, *new_file = NULL, *new_str = NULL;
	const char *patch_file = NULL;
	bool as_cib = false, from_stdin = false, no_version = false;
	xmlDoc *a, *b;
	int c, rc;

	while ((c = getopt_long(argc, argv, "?$Vo:O:n:N:p:csu", longopts, NULL)) != -1) {
		switch (c) {
		case '?':
			if (optopt != 0) {
				usage(stderr);
				return PL_EXIT_USAGE;
			}
			usage(stdout);
			return PL_EXIT_OK;
		case '$':
			printf("Paceline crm_diff 0.1 (Pacemaker 2.1.5 compatible)\n");
			return PL_EXIT_OK;
		case 'V': verbose = true; break;
		case 'o': orig_file = optarg; break;
		case 'O': orig_str = optarg; break;
		case 'n': new_file = optarg; break;
		case 'N': new_str = optarg; break;
		case 'p': patch_file = optarg; break;
		case 'c': as_cib = true; break;
		case 's': from_stdin = true; break;
		case 'u': no_version = true; break;
		default: usage(stderr); return PL_EXIT_USAGE;
		}
	}
	if (as_cib && no_version) {
		fprintf(stderr, "error: -u/--no-version incompatible with -c/--cib\n");
		return PL_EXIT_USAGE;
	}
	if (from_stdin) {
		/* Pacemaker's --stdin: both documents from standard input, one after the other
		 * (each read to its end, so the second is empty unless stdin is a terminal) */
		fprintf(stderr, "Input first XML fragment:");
		a = load(NULL, NULL, true, "first");
		fprintf(stderr, "Input second XML fragment:");
		b = load(NULL, NULL, true, "second");
		rc = generate(xmlDocGetRootElement(a), xmlDocGetRootElement(b), as_cib, no_version);
		xmlFreeDoc(a);
		xmlFreeDoc(b);
		return rc;
	}
	if (orig_file == NULL && orig_str == NULL) {
		fprintf(
		    stderr, "crm_diff: Required option --original or --original-string missing\n");
		return PL_EXIT_USAGE;
	}
	a = load(orig_file, orig_str, false, "first");
	if (patch_file != NULL) {
		xmlDoc *p = load(patch_file, NULL, false, "second");

		rc = apply(a, xmlDocGetRootElement(p), as_cib);
		xmlFreeDoc(p);
		xmlFreeDoc(a);
		return rc;
	}
	if (new_file == NULL && new_str == NULL) {
		fprintf(stderr, "Could not parse the second XML fragment\n");
		xmlFreeDoc(a);
		return PL_EXIT_DATAERR;
	}
	b = load(new_file, new_str, false, "second");
	rc = generate(xmlDocGetRootElement(a), xmlDocGetRootElement(b), as_cib, no_version);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	return rc;
}
