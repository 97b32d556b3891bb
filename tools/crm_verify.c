/*
 * crm_verify - check a CIB: schema validation against the project's RelaxNG schema, then the
 * policy engine run on it as Pacemaker's crm_verify runs its scheduler, reporting what it met
 * (pl_pengine_verify), with Pacemaker 2.1.5's messages and exit
 * codes: 0 valid, 78 errors or warnings found, 1 no usable input, 102 no cluster to ask (-L
 * without CIB_file when paceline-cib cannot be reached; with it running, -L checks its CIB).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "paceline/cib.h"
#include "paceline/cib_client.h"
#include "paceline/exitcode.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "common-cib/cib_tool.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "crm_verify - check a Pacemaker-compatible configuration for errors\n"
	    "Usage: crm_verify [options]\n"
	    "Data sources:\n"
	    " -L, --live-check\tCheck the configuration used by the running cluster (or CIB_file)\n"
	    " -x, --xml-file=value\tCheck the configuration in the named file\n"
	    " -X, --xml-text=value\tCheck the configuration in the supplied string\n"
	    " -p, --xml-pipe\t\tCheck the configuration piped in via stdin\n"
	    "Additional options:\n"
	    " -S, --save-xml=value\tSave verified XML to named file (most useful with -L)\n"
	    " -V, --verbose\t\tIncrease output (errors with -V, warnings with -VV)\n"
	    " -q, --quiet\t\tPrint nothing\n");
}

static bool xml_output;
static char *request;

/* --output-as=xml: Pacemaker's <pacemaker-result> with the exit status; messages stay on stderr. */
static int
finish(int rc)
{
	if (xml_output) {
		xmlChar *req = xmlEncodeSpecialChars(NULL, (const xmlChar *)request);

		printf("<pacemaker-result api-version=\"2.25\" request=\"%s\">\n"
		       "  <status code=\"%d\" message=\"%s\"/>\n</pacemaker-result>\n",
		    (const char *)req, rc, pl_exit_str(rc));
		xmlFree(req);
	}
	free(request);
	return rc;
}

static void
summary(int verbose, bool quiet, bool errors)
{
	if (quiet)
		return;
	if (errors)
		fprintf(stderr, "crm_verify: Errors found during check: config not valid\n");
	else
		fprintf(stderr, "crm_verify: Warnings found during check: config may not be valid\n");
	if (verbose == 0)
		fprintf(stderr, "-V may provide more details\n");
}

/* Every document against the schema it names (lib/cib has a grammar for each schema
 * Pacemaker 2.1.5 knows, pacemaker-1.0 to 3.9), as Pacemaker validates before its upgrade. */
static int
validate(xmlDoc *doc, char **messages)
{
	return pl_cib_validate_all(doc, messages);
}

/* -L without CIB_file: the running cluster's CIB from the local paceline-cib, as text;
 * NULL (message printed) when the daemon cannot be reached. */
static char *
live_cib(void)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_conn *c = pl_cib_connect(5000, "crm_verify", &e);
	struct pl_cib_request q = { .op = PL_CIB_OP_QUERY };
	xmlNode *out = NULL;
	char *text = NULL;

	if (c == NULL) {
		fprintf(stderr,
		    "crm_verify: Connection to cluster failed: Transport endpoint "
		    "is not connected\n");
		return NULL;
	}
	if (pl_cib_call(c, &q, 30000, &out, NULL, &e) == 0 && out != NULL)
		text = pl_xml_dump(out, false);
	else
		fprintf(stderr, "crm_verify: Connection to cluster failed: %s\n", e.text);
	pl_cib_output_free(out);
	pl_cib_disconnect(c);
	return text;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, '?' },
		{ "version", no_argument, NULL, '$' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "live-check", no_argument, NULL, 'L' },
		{ "xml-file", required_argument, NULL, 'x' },
		{ "xml-text", required_argument, NULL, 'X' },
		{ "xml-pipe", no_argument, NULL, 'p' },
		{ "save-xml", required_argument, NULL, 'S' },
		{ "output-as", required_argument, NULL, 'O' },
		{ "output-to", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *text_arg = NULL, *save = NULL;
	bool live = false, from_stdin = false, quiet = false;
	int verbose = 0, c, rc = 0;
	struct pl_error e = PL_ERROR_INIT;
	struct pl_pengine_verify_result res;
	char *text, *messages = NULL, *live_text = NULL;
	xmlDoc *doc;
	xmlNode *root;
	xmlChar *vw;
	bool errors = false, warnings = false;

	request = xstrdup("crm_verify");
	for (int i = 1; i < argc; i++) {
		char *r = xasprintf("%s %s", request, argv[i]);

		free(request);
		request = r;
	}
	while ((c = getopt_long(argc, argv, "?$VqLx:X:pS:DO:T:", longopts, NULL)) != -1) {
		switch (c) {
		case '?':
			if (optopt != 0) {
				usage(stderr);
				return PL_EXIT_USAGE;
			}
			usage(stdout);
			return PL_EXIT_OK;
		case '$':
			printf("Paceline crm_verify 0.1 (Pacemaker 2.1.5 compatible)\n");
			return PL_EXIT_OK;
		case 'V': verbose++; break;
		case 'q': quiet = true; break;
		case 'L': live = true; break;
		case 'x': file = optarg; break;
		case 'X': text_arg = optarg; break;
		case 'p': from_stdin = true; break;
		case 'S': save = optarg; break;
		case 'D': break;
		case 'O':
			if (strcmp(optarg, "xml") == 0)
				xml_output = true;
			else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "crm_verify: Invalid output format: %s\n", optarg);
				return PL_EXIT_USAGE;
			}
			break;
		case 'T':
			if (strcmp(optarg, "-") != 0 && freopen(optarg, "w", stdout) == NULL) {
				fprintf(stderr, "crm_verify: cannot write to %s\n", optarg);
				return PL_EXIT_CANTCREAT;
			}
			break;
		default: usage(stderr); return PL_EXIT_USAGE;
		}
	}
	if (live) {
		file = getenv("CIB_file");
		if (file == NULL || *file == '\0') {
			file = NULL;
			live_text = live_cib();
			if (live_text == NULL)
				return finish(PL_EXIT_DISCONNECT);
			text_arg = live_text;
		}
	}
	if (file == NULL && text_arg == NULL && !from_stdin) {
		fprintf(stderr,
		    "crm_verify: No configuration source specified.  Use --help for "
		    "usage information.\n");
		return finish(PL_EXIT_ERROR);
	}
	text = cibtool_read_text(file, text_arg, from_stdin, &e);
	free(live_text);
	if (text == NULL) {
		fprintf(stderr, "crm_verify: Couldn't parse input file: %s\ncrm_verify: %s\n",
		    file ? file : "stdin", e.text);
		return finish(PL_EXIT_ERROR);
	}
	doc = cibtool_parse(text, file ? file : from_stdin ? "stdin" : "input", &e);
	free(text);
	if (doc == NULL) {
		fprintf(stderr, "crm_verify: Couldn't parse input %s\ncrm_verify: %s\n",
		    file ? file : "string", e.text);
		return finish(PL_EXIT_ERROR);
	}
	root = xmlDocGetRootElement(doc);
	if (strcmp((const char *)root->name, "cib") != 0) {
		fprintf(stderr, "crm_verify: the input's root element is <%s>, not <cib>\n",
		    root->name);
		summary(verbose, quiet, true);
		xmlFreeDoc(doc);
		return finish(PL_EXIT_CONFIG);
	}

	vw = xmlGetProp(root, (const xmlChar *)"validate-with");
	if (vw != NULL && strcmp((const char *)vw, "none") == 0) {
		/* Pacemaker says so but does not count it as a problem. */
		if (!quiet)
			fprintf(stderr,
			    "Schema validation of configuration is disabled (enabling is "
			    "encouraged and prevents common misconfigurations)\n");
	} else if (validate(doc, &messages) != 0) {
		if (!quiet) {
			fprintf(stderr, "%s\n", messages ? messages : "the CIB does not validate");
			if (verbose > 0)
				fprintf(stderr, "error: CIB did not pass schema validation\n");
		}
		free(messages);
		xmlFree(vw);
		summary(verbose, quiet, true);
		xmlFreeDoc(doc);
		pl_cib_schema_cleanup();
		return finish(PL_EXIT_CONFIG);
	}
	xmlFree(vw);

	/* the scheduler, as crm_verify runs it: a CIB it cannot schedule is invalid */
	struct pl_pengine_opts po = { 0 };
	struct pl_pengine_run *run = pl_pengine_run(doc, &po, &e);
	if (run == NULL) {
		if (!quiet)
			fprintf(stderr, "crm_verify: %s\n", e.text);
		summary(verbose, quiet, true);
		xmlFreeDoc(doc);
		pl_cib_schema_cleanup();
		return finish(PL_EXIT_CONFIG);
	}
	pl_pengine_verify(run, &res);
	pl_pengine_free(run);
	for (size_t i = 0; i < res.n_msgs; i++) {
		const struct pl_pengine_verify_msg *m = &res.msgs[i];

		if (m->level == PL_VERIFY_ERROR) {
			errors = true;
			if (verbose >= 1 && !quiet)
				fprintf(stderr, "error: %s\n", m->text);
		} else {
			if (m->level == PL_VERIFY_WARNING)
				warnings = true;
			if (verbose >= 2 && !quiet)
				fprintf(stderr, "warning: %s\n", m->text);
		}
	}
	pl_pengine_verify_result_free(&res);
	if (save != NULL) {
		FILE *f = fopen(save, "w");

		if (f == NULL || xmlDocFormatDump(f, doc, 1) < 0)
			fprintf(stderr, "crm_verify: cannot save to %s\n", save);
		if (f)
			fclose(f);
	}
	if (errors || warnings) {
		summary(verbose, quiet, errors);
		rc = PL_EXIT_CONFIG;
	}
	xmlFreeDoc(doc);
	pl_cib_schema_cleanup();
	return finish(rc);
}
