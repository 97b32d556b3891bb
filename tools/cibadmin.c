/*
 * cibadmin - query and edit the CIB, with Pacemaker's options, output and exit codes.
 *
 * Without CIB_file it sends the operation to the local paceline-cib (lib/cib's client.c) and
 * reports, as Pacemaker's cibadmin does when no cluster is running, that it cannot connect
 * (exit 102) when the daemon is absent. With CIB_file=/path/cib.xml the whole operation
 * happens in this process and the file is rewritten atomically.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "paceline/cib.h"
#include "paceline/cib_client.h"
#include "paceline/exitcode.h"
#include "paceline/xml.h"
#include "paceline/xalloc.h"
#include "common-cib/cib_tool.h"
#include "tool.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "cibadmin - query and edit the Paceline (Pacemaker-compatible) configuration\n"
	    "Usage: cibadmin <command> [options]\n"
	    "Commands:\n"
	    " -Q, --query\t\tQuery the contents of the CIB\n"
	    " -E, --erase\t\tErase the contents of the whole CIB (needs --force)\n"
	    " -B, --bump\t\tIncrease the CIB's epoch value by 1\n"
	    " -C, --create\t\tCreate an object in the CIB (fails if it already exists)\n"
	    " -M, --modify\t\tFind an object in the CIB and update it (-c creates it if missing)\n"
	    " -P, --patch\t\tApply an XML diff (see crm_diff(8))\n"
	    " -R, --replace\t\tRecursively replace an object in the CIB\n"
	    " -D, --delete\t\tDelete the first object whose name and attributes all match\n"
	    " -d, --delete-all\tWith --xpath, delete every match instead of the first\n"
	    " -a, --empty\t\tOutput an empty CIB\n"
	    " -u, --upgrade\t\tUpgrade a pacemaker-3.x configuration to the latest schema (needs "
	    "--force)\n"
	    "Additional options:\n"
	    " -f, --force\n"
	    " -t, --timeout=value\tSeconds to wait for the daemon (default 30)\n"
	    " -U, --user=value\tAct as this user (accepted)\n"
	    " -s, --sync-call\tWait for the call to complete (always the case here)\n"
	    " -l, --local\t\tCommand takes effect locally\n"
	    " -c, --allow-create\tAllow the target of --modify to be created\n"
	    " -n, --no-children\tWhen querying, do not include children\n"
	    "Data:\n"
	    " -X, --xml-text=value\tXML from the supplied string\n"
	    " -x, --xml-file=value\tXML from the named file\n"
	    " -p, --xml-pipe\t\tXML from stdin\n"
	    " -o, --scope=value\tLimit to a section: configuration, nodes, resources, "
	    "constraints,\n"
	    "\t\t\tcrm_config, rsc_defaults, op_defaults, acls, fencing-topology, tags, alerts, "
	    "status\n"
	    " -A, --xpath=value\tA valid XPath to use instead of --scope\n"
	    " -e, --node-path\tWith XPath queries, print the path of each match\n"
	    "Environment: CIB_file=/path/cib.xml works on that file instead of the cluster.\n");
}

enum {
	CMD_NONE,
	CMD_QUERY,
	CMD_ERASE,
	CMD_BUMP,
	CMD_CREATE,
	CMD_MODIFY,
	CMD_PATCH,
	CMD_REPLACE,
	CMD_DELETE,
	CMD_EMPTY,
	CMD_UPGRADE,
	CMD_MD5,
	CMD_MD5_VERSIONED
};

struct opts {
	int cmd;
	bool force, allow_create, no_children, delete_all, node_path, from_stdin;
	int timeout_s, verbose;
	const char *scope, *xpath, *xml_text, *xml_file, *empty_schema;
};

static void
set_cmd(struct opts *o, int cmd)
{
	if (o->cmd != CMD_NONE && o->cmd != cmd) {
		fprintf(stderr, "cibadmin: only one command may be given\n");
		exit(PL_EXIT_USAGE);
	}
	o->cmd = cmd;
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, '?' },
		{ "version", no_argument, NULL, '$' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "upgrade", no_argument, NULL, 'u' },
		{ "query", no_argument, NULL, 'Q' },
		{ "erase", no_argument, NULL, 'E' },
		{ "bump", no_argument, NULL, 'B' },
		{ "create", no_argument, NULL, 'C' },
		{ "modify", no_argument, NULL, 'M' },
		{ "patch", no_argument, NULL, 'P' },
		{ "replace", no_argument, NULL, 'R' },
		{ "delete", no_argument, NULL, 'D' },
		{ "delete-all", no_argument, NULL, 'd' },
		{ "empty", optional_argument, NULL, 'a' },
		{ "md5-sum", no_argument, NULL, '5' },
		{ "md5-sum-versioned", no_argument, NULL, '6' },
		{ "force", no_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'U' },
		{ "sync-call", no_argument, NULL, 's' },
		{ "local", no_argument, NULL, 'l' },
		{ "allow-create", no_argument, NULL, 'c' },
		{ "no-children", no_argument, NULL, 'n' },
		{ "xml-text", required_argument, NULL, 'X' },
		{ "xml-file", required_argument, NULL, 'x' },
		{ "xml-pipe", no_argument, NULL, 'p' },
		{ "scope", required_argument, NULL, 'o' },
		{ "xpath", required_argument, NULL, 'A' },
		{ "node-path", no_argument, NULL, 'e' },
		{ "node", required_argument, NULL, 'N' },
		{ "show-access", optional_argument, NULL, 'S' },
		{ "score", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "?$VuQEBCMPRDda::56ft:U:slcnX:x:po:A:eN:S::w", longopts,
		    NULL)) != -1) {
		switch (c) {
		case '?':
			if (optopt != 0) {
				usage(stderr);
				exit(PL_EXIT_USAGE);
			}
			usage(stdout);
			exit(PL_EXIT_OK);
		case '$':
			printf("Paceline cibadmin 0.1 (Pacemaker 2.1.5 compatible)\n");
			exit(PL_EXIT_OK);
		case 't': o->timeout_s = atoi(optarg); break;
		case 'V': o->verbose++; break;
		case 'U':
		case 's':
		case 'l':
		case 'N':
		case 'S':
		case 'w': break;
		case 'u': set_cmd(o, CMD_UPGRADE); break;
		case '5': set_cmd(o, CMD_MD5); break;
		case '6': set_cmd(o, CMD_MD5_VERSIONED); break;
		case 'Q': set_cmd(o, CMD_QUERY); break;
		case 'E': set_cmd(o, CMD_ERASE); break;
		case 'B': set_cmd(o, CMD_BUMP); break;
		case 'C': set_cmd(o, CMD_CREATE); break;
		case 'M': set_cmd(o, CMD_MODIFY); break;
		case 'P': set_cmd(o, CMD_PATCH); break;
		case 'R': set_cmd(o, CMD_REPLACE); break;
		case 'D': set_cmd(o, CMD_DELETE); break;
		case 'd':
			set_cmd(o, CMD_DELETE);
			o->delete_all = true;
			break;
		case 'a':
			set_cmd(o, CMD_EMPTY);
			o->empty_schema = optarg;
			/* Pacemaker also takes the schema as the next word: --empty pacemaker-3.2 */
			if (optarg == NULL && optind < argc && argv[optind][0] != '-')
				o->empty_schema = argv[optind++];
			break;
		case 'f': o->force = true; break;
		case 'c': o->allow_create = true; break;
		case 'n': o->no_children = true; break;
		case 'X': o->xml_text = optarg; break;
		case 'x': o->xml_file = optarg; break;
		case 'p': o->from_stdin = true; break;
		case 'o': o->scope = optarg; break;
		case 'A': o->xpath = optarg; break;
		case 'e': o->node_path = true; break;
		default: usage(stderr); exit(PL_EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cibadmin: unexpected argument '%s'\n", argv[optind]);
		exit(PL_EXIT_USAGE);
	}
	if (o->cmd == CMD_NONE) {
		fprintf(stderr, "cibadmin: Must specify a command option\n");
		usage(stderr);
		exit(PL_EXIT_USAGE);
	}
}

static int verbosity;

/* Pacemaker prints only its "Call failed" line. lib/cib's detail (what exactly, where)
 * follows it, except for the refusals whose output scripts compare with Pacemaker's
 * (permission, schema, older, no such object, exists): those show it with -V (a schema
 * refusal also shows the rejected document, numbered). */
static int
fail(int rc, const char *detail)
{
	bool plain = rc == PL_EXIT_INSUFFICIENT_PRIV || rc == PL_EXIT_CONFIG || rc == PL_EXIT_OLD ||
	    rc == PL_EXIT_NOSUCH || rc == PL_EXIT_EXISTS;

	fprintf(stderr, "Call failed: %s\n", cibtool_rc_text(rc));
	if ((verbosity > 0 || !plain) && detail != NULL && *detail != '\0')
		fprintf(stderr, "cibadmin: %s\n", detail);
	return rc;
}

/* Does the CIB name the user in its ACLs at all (acl_target or the older acl_user)? */
static bool
user_has_acls(const xmlNode *root, const char *user)
{
	const xmlNode *acls = pl_xml_first_child(pl_xml_first_child(root, "configuration"), "acls");

	for (const xmlNode *t = pl_xml_first_child(acls, NULL); t != NULL && user != NULL;
	     t = pl_xml_next_sibling(t, NULL))
		if ((pl_xml_is(t, "acl_target") || pl_xml_is(t, "acl_user")) &&
		    (g_strcmp0(pl_xml_attr(t, "id"), user) == 0 ||
			g_strcmp0(pl_xml_attr(t, "name"), user) == 0))
			return true;
	return false;
}

/* A create refused to a user the ACLs do not name: Pacemaker answers with the object it
 * could not add (on stdout), as lib/cib does for an object that exists. */
static void
print_failed_create(const xmlNode *root, const xmlNode *input, int rc)
{
	if (input == NULL || rc != PL_EXIT_INSUFFICIENT_PRIV ||
	    user_has_acls(root, getenv("CIB_user")))
		return;
	xmlNode *failed = xmlNewNode(NULL, (const xmlChar *)"failed");
	xmlNode *u = xmlNewChild(failed, NULL, (const xmlChar *)"failed_update", NULL);

	if (pl_xml_attr(input, "id") != NULL)
		pl_xml_set_attr(u, "id", pl_xml_attr(input, "id"));
	pl_xml_set_attr(u, "object_type", (const char *)input->name);
	pl_xml_set_attr(u, "operation", "cib_create");
	pl_xml_set_attr(u, "reason", cibtool_rc_text(rc));
	xmlAddChild(u, xmlCopyNode((xmlNode *)input, 1));
	cibtool_print(failed);
	xmlFreeNode(failed);
}

static void
print_path(const char *path, void *arg)
{
	printf("%s\n", path);
	++*(int *)arg;
}

/* -e: the path of each match, in the user's process, bounded like every XPath
 * (pl_cib_xpath_paths); 105 when nothing matches, as Pacemaker. */
static int
node_paths(struct pl_cib *cib, const char *xpath)
{
	struct pl_error e = PL_ERROR_INIT;
	int n = 0, rc = pl_cib_xpath_paths(cib, xpath, print_path, &n, &e);

	if (rc != 0)
		return fail(rc, e.text);
	if (n == 0)
		return fail(PL_EXIT_NOSUCH, NULL); /* Pacemaker prints the failure too */
	return PL_EXIT_OK;
}

/* --md5-sum / --md5-sum-versioned of the XML given with -X, -x or -p (no CIB needed). */
static int
md5_sum(const struct opts *o)
{
	struct pl_error e = PL_ERROR_INIT;
	if (o->xml_file == NULL && o->xml_text == NULL && !o->from_stdin) {
		fprintf(stderr, "Please supply XML to process with -X, -x or -p\n");
		return PL_EXIT_USAGE;
	}
	char *text = cibtool_read_text(o->xml_file, o->xml_text, o->from_stdin, &e);
	xmlDoc *doc = text ? cibtool_parse(text, "input", &e) : NULL;
	free(text);
	if (doc == NULL) {
		fprintf(stderr, "cibadmin: Couldn't parse input: %s\n", e.text);
		return e.code ? e.code : PL_EXIT_DATAERR;
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	const char *fs = pl_xml_attr(root, "crm_feature_set");
	char sum[33];

	/* Pacemaker writes the label on stderr and the digest on stdout */
	if (o->cmd == CMD_MD5) {
		cibtool_digest(root, NULL, sum);
		fprintf(stderr, "Digest: ");
	} else {
		cibtool_digest(root, fs, sum);
		fprintf(stderr, "Versioned (%s) digest: ", fs ? fs : "(null)");
	}
	fflush(stderr);
	printf("%s\n", sum);
	xmlFreeDoc(doc);
	return PL_EXIT_OK;
}

/* Pacemaker's log lines of the upgrade, when PCMK_trace_functions names the function. */
static void
upgrade_say(void *arg, const char *fn, const char *level, const char *text)
{
	const char *want = getenv("PCMK_trace_functions");
	char **fns;

	(void)arg;
	if (want == NULL || *want == '\0')
		return;
	fns = g_strsplit(want, ",", -1);
	for (char **f = fns; *f != NULL; f++)
		if (strcmp(g_strstrip(*f), fn) == 0) {
			fprintf(stderr, "%s \t%s: %s\n", fn, level, text);
			break;
		}
	g_strfreev(fns);
}

static bool
same_section(const xmlNode *a, const xmlNode *b)
{
	xmlBuffer *x = xmlBufferCreate(), *y = xmlBufferCreate();
	bool same;

	if (x == NULL || y == NULL)
		abort();
	if (a != NULL)
		xmlNodeDump(x, a->doc, (xmlNode *)a, 0, 0);
	if (b != NULL)
		xmlNodeDump(y, b->doc, (xmlNode *)b, 0, 0);
	same = strcmp((const char *)xmlBufferContent(x), (const char *)xmlBufferContent(y)) == 0;
	xmlBufferFree(x);
	xmlBufferFree(y);
	return same;
}

/* --upgrade: the document moved to the newest schema it validates with (lib/cib's
 * pl_cib_upgrade, Pacemaker's walk and transformations). *result is NULL when nothing is to
 * be done. Counters as Pacemaker 2.1.5 leaves them: admin_epoch + 1, and epoch 2 with
 * num_updates 0 when the transformation changed the configuration, else epoch 1 with
 * num_updates 2. */
static int
upgrade(const struct opts *o, struct pl_cib *cib, xmlDoc **result)
{
	/* the transformations' notes and the schemas' complaints only with -V, as Pacemaker */
	struct pl_cib_upgrade_log log = { upgrade_say, NULL, o->verbose > 0 ? stderr : NULL,
		o->verbose > 0 };
	xmlDoc *d = xmlCopyDoc(pl_cib_doc(cib), 1);
	int from, to, rc = pl_cib_upgrade(&d, &log, &from, &to);
	xmlNode *root;
	struct pl_cib_version v;

	*result = NULL;
	if (rc != 0) {
		xmlFreeDoc(d);
		return rc;
	}
	if (to <= from) {
		xmlFreeDoc(d);
		return 0;
	}
	root = xmlDocGetRootElement(d);
	pl_cib_xml_version(pl_cib_root(cib), &v);
	bool changed = !same_section(pl_xml_first_child(pl_cib_root(cib), "configuration"),
	    pl_xml_first_child(root, "configuration"));
	pl_xml_set_attr_int(root, "admin_epoch", v.admin_epoch + 1);
	pl_xml_set_attr_int(root, "epoch", changed ? 2 : 1);
	pl_xml_set_attr_int(root, "num_updates", changed ? 0 : 2);
	*result = d;
	return 0;
}

/* An update of a file refused by the schema: Pacemaker shows the document it would have
 * written, numbered, before its "Call failed". */
static void
show_rejected(struct pl_cib *cib, const struct pl_cib_request *req)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib *trial = pl_cib_adopt(xmlCopyDoc(pl_cib_doc(cib), 1), &e);
	xmlNode *out = NULL;

	if (trial == NULL)
		return;
	pl_cib_set_validation(trial, false);
	if (pl_cib_perform(trial, req, &out, NULL, &e) == 0) {
		xmlBuffer *b = xmlBufferCreate();
		int line = 0;

		if (b == NULL)
			abort();
		xmlNodeDump(b, pl_cib_doc(trial), pl_cib_root(trial), 0, 1);
		xmlBufferCCat(b, "\n");
		char **lines = g_strsplit((const char *)xmlBufferContent(b), "\n", -1);
		for (char **l = lines; *l != NULL; l++)
			fprintf(stderr, "%4d %s\n", ++line, *l);
		g_strfreev(lines);
		xmlBufferFree(b);
	}
	if (out != NULL)
		xmlFreeNode(out);
	pl_cib_free(trial);
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_request req = { 0 };
	const char *path = getenv("CIB_file");
	const char *shadow = getenv("CIB_shadow");
	char *shadow_path = NULL;
	struct pl_cib *cib = NULL;
	struct pl_cib_conn *conn = NULL;
	int timeout_ms;
	xmlDoc *input = NULL;
	xmlNode *out = NULL;
	int rc;

	parse_args(argc, argv, &o);
	verbosity = o.verbose;
	pl_cib_schema_set_echo(stderr, false); /* a CIB without validate-with: what each schema finds */
	/* Pacemaker's order: a shadow named in the environment wins over CIB_file */
	if (shadow != NULL && *shadow != '\0')
		path = shadow_path = tool_shadow_path(shadow);
	if (o.cmd == CMD_EMPTY) {
		struct pl_cib *empty = pl_cib_new_empty();

		if (o.empty_schema)
			xmlSetProp(pl_cib_root(empty), (const xmlChar *)"validate-with",
			    (const xmlChar *)o.empty_schema);
		cibtool_print(pl_cib_root(empty));
		pl_cib_free(empty);
		return PL_EXIT_OK;
	}
	/* Pacemaker works on the whole CIB when the scope names no section */
	if (o.scope != NULL && !pl_cib_section_valid(o.scope))
		o.scope = NULL;
	if (o.cmd == CMD_MD5 || o.cmd == CMD_MD5_VERSIONED)
		return md5_sum(&o);
	if ((o.cmd == CMD_ERASE || o.cmd == CMD_UPGRADE) && !o.force) {
		fprintf(stderr,
		    "The supplied command is considered dangerous.  To prevent accidental "
		    "destruction of the cluster, the --force flag is required in order to "
		    "proceed.\n");
		return PL_EXIT_UNSAFE;
	}
	if (o.cmd == CMD_CREATE || o.cmd == CMD_MODIFY || o.cmd == CMD_PATCH ||
	    o.cmd == CMD_REPLACE || (o.cmd == CMD_DELETE && o.xpath == NULL)) {
		char *text = cibtool_read_text(o.xml_file, o.xml_text, o.from_stdin, &e);

		if (text == NULL) {
			fprintf(stderr, "cibadmin: %s\n", e.text);
			return e.code;
		}
		/* repaired like Pacemaker's (an unclosed element is closed); said with -V */
		struct pl_error repaired = PL_ERROR_INIT;

		input = pl_xml_parse_memory_recover(text, strlen(text),
		    o.xml_file	       ? o.xml_file
			: o.from_stdin ? "stdin"
				       : "input",
		    &e, &repaired);
		free(text);
		if (input != NULL && repaired.code != 0 && o.verbose > 0)
			fprintf(stderr, "cibadmin: repaired input: %s\n", repaired.text);
		if (input == NULL) {
			fprintf(stderr, "cibadmin: Couldn't parse input: %s\n", e.text);
			return e.code;
		}
	}
	timeout_ms = o.timeout_s > 0 ? o.timeout_s * 1000 : 30000;
	if (path == NULL || *path == '\0') {
		conn = pl_cib_connect(timeout_ms < 5000 ? timeout_ms : 5000, "cibadmin", &e);
		if (conn == NULL) {
			fprintf(stderr,
			    "Could not connect to the CIB: Transport endpoint is not "
			    "connected\nInit failed, could not perform requested operations\n");
			xmlFreeDoc(input);
			return PL_EXIT_DISCONNECT;
		}
		/* -e and --upgrade look at the document here: fetch a copy. */
		if ((o.cmd == CMD_QUERY && o.node_path && o.xpath != NULL) || o.cmd == CMD_UPGRADE) {
			struct pl_cib_request q = { .op = PL_CIB_OP_QUERY };
			xmlNode *whole = NULL;

			rc = pl_cib_call(conn, &q, timeout_ms, &whole, NULL, &e);
			if (rc == 0 && whole != NULL) {
				xmlDoc *d = whole->doc;

				cib = pl_cib_adopt(d, &e);
			}
			if (cib == NULL) {
				fail(rc != 0 ? rc : PL_EXIT_ERROR, e.text);
				pl_cib_disconnect(conn);
				xmlFreeDoc(input);
				return rc != 0 ? rc : PL_EXIT_ERROR;
			}
		}
	} else
		cib = pl_cib_parse_file(path, &e);
	if (cib == NULL && conn == NULL) {
		fprintf(stderr,
		    "Could not connect to the CIB: %s\nInit failed, could not perform "
		    "requested operations\ncibadmin: %s\n",
		    e.code == PL_EXIT_NOINPUT ? "No such device or address" : "Invalid data given",
		    e.text);
		xmlFreeDoc(input);
		return e.code == PL_EXIT_NOINPUT ? PL_EXIT_NOSUCH : e.code;
	}

	if (o.cmd == CMD_QUERY && o.node_path && o.xpath != NULL) {
		rc = node_paths(cib, o.xpath);
		pl_cib_free(cib);
		pl_cib_disconnect(conn);
		return rc;
	}

	req.section = o.scope;
	req.xpath = o.xpath;
	req.input = input ? xmlDocGetRootElement(input) : NULL;
	if (o.no_children)
		req.flags |= PL_CIB_F_NO_CHILDREN;
	if (o.allow_create)
		req.flags |= PL_CIB_F_ALLOW_CREATE;
	if (o.delete_all)
		req.flags |= PL_CIB_F_ALL_MATCHES;
	if (o.force)
		req.flags |= PL_CIB_F_FORCE;
	switch (o.cmd) {
	case CMD_QUERY: req.op = PL_CIB_OP_QUERY; break;
	case CMD_ERASE: req.op = PL_CIB_OP_ERASE; break;
	case CMD_BUMP: req.op = PL_CIB_OP_BUMP; break;
	case CMD_UPGRADE: {
		xmlDoc *up = NULL;

		rc = upgrade(&o, cib, &up);
		if (rc != 0 || up == NULL) {
			if (rc != 0)
				fprintf(stderr, "Call failed: %s\n", cibtool_rc_text(rc));
			pl_cib_free(cib);
			pl_cib_disconnect(conn);
			return rc;
		}
		if (conn == NULL) { /* a file: written as the upgrade left it */
			struct pl_cib *done = pl_cib_adopt(up, &e);

			rc = done ? tool_cib_save_file(path, done, true, &e) : PL_EXIT_ERROR;
			if (rc != 0)
				fail(rc, e.text);
			pl_cib_free(done);
			pl_cib_free(cib);
			return rc;
		}
		input =
		    up; /* live: the whole upgraded CIB replaces the daemon's (newer admin_epoch) */
		req.input = xmlDocGetRootElement(input);
		req.op = PL_CIB_OP_REPLACE;
		break;
	}
	case CMD_CREATE: req.op = PL_CIB_OP_CREATE; break;
	case CMD_MODIFY: req.op = PL_CIB_OP_MODIFY; break;
	case CMD_PATCH: req.op = PL_CIB_OP_APPLY_PATCH; break;
	case CMD_REPLACE: req.op = PL_CIB_OP_REPLACE; break;
	default: req.op = PL_CIB_OP_DELETE; break;
	}

	if (conn != NULL) {
		rc = pl_cib_call(conn, &req, timeout_ms, &out, NULL, &e);
		if (out != NULL) {
			cibtool_print(out);
			pl_cib_output_free(out);
		}
		/* lib/ipc's codes for a lost daemon and a timeout are Pacemaker's too. */
	} else {
		rc = tool_cib_perform_file(cib, &req, &out, &e);
		if (rc == PL_EXIT_CONFIG && req.op != PL_CIB_OP_QUERY &&
		    strstr(e.text, "conform to the configured schema") != NULL) {
			show_rejected(cib, &req);
			if (o.verbose == 0)
				e.text[0] = '\0'; /* the reasons with -V; Pacemaker logs them */
		}
		if (rc == 0 && req.op != PL_CIB_OP_QUERY)
			rc = tool_cib_save_file(path, cib, true, &e); /* in place, as pcs -f needs */
		if (out != NULL) {
			cibtool_print(out);
			xmlFreeNode(out);
		}
	}
	if (rc != 0) {
		fail(rc, e.text);
		if (conn == NULL && req.op == PL_CIB_OP_CREATE)
			print_failed_create(pl_cib_root(cib), req.input, rc);
		/* Pacemaker's cibadmin exits 1 when a patch needs a resync (lib/cib says 104). */
		if (rc == PL_EXIT_DIGEST)
			rc = PL_EXIT_ERROR;
	}
	xmlFreeDoc(input);
	pl_cib_free(cib);
	pl_cib_disconnect(conn);
	free(shadow_path);
	pl_cib_schema_cleanup();
	xmlCleanupParser();
	return rc;
}
