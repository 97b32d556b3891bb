/*
 * crm_diff - compare two XML documents and print the v2 patchset (exit 1 when they differ,
 * 0 when equal), or apply a patchset to a document (print the result), with Pacemaker's
 * options: -o/-O original, -n/-N new, -p patch, -u/--no-version, -c/--cib, -s/--stdin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "paceline/cib.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "common-cib/cib_tool.h"

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
		fprintf(stderr, "Could not parse the %s XML fragment\ncrm_diff: %s\n", which, e.text);
		exit(PL_EXIT_DATAERR);
	}
	doc = cibtool_parse(text, file ? file : "string", &e);
	free(text);
	if (doc == NULL) {
		fprintf(stderr, "Could not parse the %s XML fragment\ncrm_diff: %s\n", which, e.text);
		exit(PL_EXIT_DATAERR);
	}
	return doc;
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
		case 'V': break;
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
	if (orig_file == NULL && orig_str == NULL) {
		fprintf(
		    stderr, "crm_diff: Required option --original or --original-string missing\n");
		return PL_EXIT_USAGE;
	}
	a = load(orig_file, orig_str, false, "first");
	if (patch_file != NULL) {
		struct pl_error e = PL_ERROR_INIT;
		xmlDoc *p = load(patch_file, NULL, false, "second");
		xmlNode *patch = xmlDocGetRootElement(p);

		/* Outside --cib, versions are not checked: the patch's changes are what counts. */
		if (!as_cib) {
			xmlNode *v = patch->children;

			for (; v != NULL; v = v->next)
				if (v->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)v->name, "version") == 0) {
					xmlUnlinkNode(v);
					xmlFreeNode(v);
					break;
				}
		}
		rc = pl_cib_diff_apply(xmlDocGetRootElement(a), patch, &e);
		if (rc == 0)
			cibtool_print(xmlDocGetRootElement(a));
		else
			fprintf(stderr, "crm_diff: Could not apply patch: %s\n", e.text);
		xmlFreeDoc(p);
		xmlFreeDoc(a);
		return rc;
	}
	if (new_file == NULL && new_str == NULL && !from_stdin) {
		fprintf(stderr, "Could not parse the second XML fragment\n");
		xmlFreeDoc(a);
		return PL_EXIT_DATAERR;
	}
	b = load(new_file, new_str, from_stdin && new_file == NULL && new_str == NULL, "second");
	{
		xmlNode *patch = pl_cib_diff_create(
		    xmlDocGetRootElement(a), xmlDocGetRootElement(b), !no_version);

		rc = 0;
		if (patch != NULL) {
			bool any = false;

			for (xmlNode *ch = patch->children; ch; ch = ch->next)
				if (ch->type == XML_ELEMENT_NODE &&
				    strcmp((const char *)ch->name, "change") == 0)
					any = true;
			if (any) {
				cibtool_print(patch);
				rc = 1;
			}
			xmlFreeNode(patch);
		}
	}
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	return rc;
}
