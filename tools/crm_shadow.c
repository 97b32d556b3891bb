/*
 * crm_shadow - work on a shadow copy of the CIB (a sandbox) as Pacemaker 2.1.5's crm_shadow
 * does: -c/-e/-r create a copy (of the active CIB, empty, or again from the active CIB),
 * -s switches to one, -C commits one to the active CIB (its configuration, or everything with
 * -a), -D deletes one, -w/-F/-p/-E/-d show which one is active, its file, its content, edit
 * it, or its changes against the active CIB (exit 1 when there are some).
 *
 * A shadow NAME is the file CIB_shadow_dir/shadow.NAME (tools/common's tool_shadow_path);
 * every tool works on it when CIB_shadow=NAME is set. The "active CIB" is the shared CIB
 * source with CIB_shadow ignored: CIB_file, else paceline-cib. Without -b the command runs
 * $SHELL with CIB_shadow set, as Pacemaker does; with -b it prints what to paste.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

#include "paceline/cib.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/xml.h"

static struct {
	char cmd;
	char *name;
	gboolean force, batch, all;
	char *validate_with;
} opt;

static gboolean
set_cmd(const char *name, const char *value, gpointer data, GError **err)
{
	(void)data, (void)err;
	static const struct {
		const char *lng;
		char c;
	} map[] = { { "which", 'w' }, { "display", 'p' }, { "edit", 'E' }, { "diff", 'd' },
		{ "file", 'F' }, { "create", 'c' }, { "create-empty", 'e' }, { "commit", 'C' },
		{ "delete", 'D' }, { "reset", 'r' }, { "switch", 's' } };
	char c = name[1] == '-' ? 0 : name[1];
	for (size_t i = 0; c == 0 && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name + 2, map[i].lng) == 0)
			c = map[i].c;
	opt.cmd = c;
	if (value != NULL) {
		g_free(opt.name);
		opt.name = g_strdup(value);
	}
	return TRUE;
}

#define QUERY(l, s, d)                                                              \
	{                                                                           \
		l, s, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_cmd, d, NULL \
	}
#define COMMAND(l, s, d)                                           \
	{                                                          \
		l, s, 0, G_OPTION_ARG_CALLBACK, set_cmd, d, "NAME" \
	}

static GOptionEntry query_entries[] = {
	QUERY("which", 'w', "Indicate the active shadow copy"),
	QUERY("display", 'p', "Display the contents of the active shadow copy"),
	QUERY("edit", 'E', "Edit the contents of the active shadow copy with your favorite $EDITOR"),
	QUERY("diff", 'd', "Display the changes in the active shadow copy"),
	QUERY("file", 'F', "Display the location of the active shadow copy file"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry command_entries[] = {
	COMMAND("create", 'c', "Create the named shadow copy of the active cluster configuration"),
	COMMAND("create-empty", 'e',
	    "Create the named shadow copy with an empty cluster configuration. Optional: "
	    "--validate-with"),
	COMMAND("commit", 'C', "Upload the contents of the named shadow copy to the cluster"),
	COMMAND("delete", 'D', "Delete the contents of the named shadow copy"),
	COMMAND("reset", 'r', "Recreate named shadow copy from the active cluster configuration"),
	COMMAND("switch", 's', "(Advanced) Switch to the named shadow copy"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry additional_entries[] = {
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt.force,
	    "(Advanced) Force the action to be performed", NULL },
	{ "batch", 'b', 0, G_OPTION_ARG_NONE, &opt.batch, "(Advanced) Don't spawn a new shell", NULL },
	{ "all", 'a', 0, G_OPTION_ARG_NONE, &opt.all,
	    "(Advanced) Upload entire CIB, including status, with --commit", NULL },
	{ "validate-with", 'v', 0, G_OPTION_ARG_STRING, &opt.validate_with,
	    "(Advanced) Create an older configuration version", "SCHEMA" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static const char dangerous[] =
    "The supplied command is considered dangerous.  To prevent accidental destruction of the "
    "cluster, the --force flag is required in order to proceed.";

/* The active CIB: the CIB source with any shadow ignored. */
static struct tool_cib *
open_active(struct pl_error *err)
{
	unsetenv("CIB_shadow");
	return tool_cib_open("crm_shadow", 30000, err);
}

static xmlDoc *
fetch_active(struct pl_error *err)
{
	struct tool_cib *src = open_active(err);
	xmlDoc *doc = src ? tool_cib_fetch(src, err) : NULL;
	tool_cib_close(src);
	return doc;
}

static int
write_doc(const char *path, xmlDoc *doc, struct pl_error *err)
{
	char *text = pl_xml_dump(pl_xml_root(doc), true);
	size_t n = strlen(text);
	int rc;
	if (n == 0 || text[n - 1] != '\n') {
		text = realloc(text, n + 2);
		if (text == NULL)
			abort();
		text[n++] = '\n';
		text[n] = '\0';
	}
	rc = pl_write_file_atomic(path, text, n, 0640, 0, err);
	free(text);
	return rc;
}

static void
setup(const char *name, bool do_switch)
{
	const char *prompt = getenv("PS1");
	const char *shell = getenv("SHELL");

	if (prompt != NULL && strstr(prompt, "cib-shadow") != NULL)
		return;
	printf("Setting up shadow instance\n");
	if (!opt.batch && shell != NULL) {
		char *ps1 = g_strdup_printf("shadow[%.40s] # ", name);
		setenv("PS1", ps1, 1);
		setenv("CIB_shadow", name, 1);
		printf("Type Ctrl-D to exit the crm_shadow shell\n");
		fflush(stdout);
		if (strstr(shell, "bash") != NULL)
			execl(shell, shell, "--norc", "--noprofile", (char *)NULL);
		else
			execl(shell, shell, (char *)NULL);
		fprintf(stderr, "Could not start %s: %s\n", shell, strerror(errno));
		g_free(ps1);
	} else if (do_switch) {
		printf("To switch to the named shadow instance, paste the following into your "
		       "shell:\n");
	} else {
		printf("A new shadow instance was created.  To begin using it paste the following "
		       "into your shell:\n");
	}
	printf("  CIB_shadow=%s ; export CIB_shadow\n", name);
}

static void
teardown(void)
{
	printf("Please remember to unset the CIB_shadow variable by pasting the following into "
	       "your shell:\n  unset CIB_shadow\n");
}

/* ---- --diff: the changes as Pacemaker logs a patchset ---- */

static void
print_created(const xmlNode *n, const char *pad, int depth, bool first, const char *path)
{
	xmlBuffer *b = xmlBufferCreate();
	xmlNode *copy = xmlCopyNode((xmlNode *)n, 2); /* element and attributes */
	xmlNodeDump(b, NULL, copy, 0, 0);
	xmlFreeNode(copy);
	char *open = g_strdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	bool kids = false;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		kids = kids || c->type == XML_ELEMENT_NODE;
	if (kids) { /* "<x a="1"/>" -> "<x a="1">" */
		size_t l = strlen(open);
		if (l >= 2 && open[l - 2] == '/')
			memmove(open + l - 2, open + l - 1, 2);
	}
	if (first)
		printf("++ %s:  %*s%s\n", path, depth * 2, "", open);
	else
		printf("++ %s%*s%s\n", pad, depth * 2, "", open);
	g_free(open);
	if (!kids)
		return;
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			print_created(c, pad, depth + 1, false, path);
	printf("++ %s%*s</%s>\n", pad, depth * 2, "", (const char *)n->name);
}

static void
print_version(const char *what, const xmlNode *v, const char *tail)
{
	printf("Diff: %s %s.%s.%s %s\n", what, pl_xml_attr(v, "admin_epoch") ?: "0",
	    pl_xml_attr(v, "epoch") ?: "0", pl_xml_attr(v, "num_updates") ?: "0", tail);
}

static int
show_diff(const char *path, struct pl_error *err)
{
	xmlDoc *active = fetch_active(err);
	struct pl_cib *shadow = active ? pl_cib_parse_file(path, err) : NULL;
	int rc = PL_EXIT_OK;

	if (shadow == NULL) {
		if (active != NULL)
			xmlFreeDoc(active);
		fprintf(stderr, "Could not access shadow instance '%s': %s\n", opt.name, err->text);
		return err->code ? err->code : PL_EXIT_ERROR;
	}
	xmlNode *patch = pl_cib_diff_create(pl_xml_root(active), pl_cib_root(shadow), true);
	if (patch != NULL) {
		xmlNode *ver = pl_xml_first_child(patch, "version");
		print_version(
		    "---", pl_xml_first_child(ver, "source"), pl_xml_attr(patch, "format") ?: "2");
		print_version("+++", pl_xml_first_child(ver, "target"),
		    pl_xml_attr(patch, "digest") ?: "(null)");
		for (xmlNode *ch = pl_xml_first_child(patch, "change"); ch != NULL;
		     ch = pl_xml_next_sibling(ch, "change")) {
			const char *op = pl_xml_attr(ch, "operation"), *xp = pl_xml_attr(ch, "path");
			if (g_strcmp0(op, "delete") == 0) {
				printf("-- %s\n", xp);
			} else if (g_strcmp0(op, "move") == 0) {
				printf("+~ %s moved to offset %s\n", xp, pl_xml_attr(ch, "position"));
			} else if (g_strcmp0(op, "create") == 0) {
				char *pad = g_strnfill(strlen(xp) + 3, ' ');
				for (xmlNode *c = ch->children; c != NULL; c = c->next)
					if (c->type == XML_ELEMENT_NODE)
						print_created(c, pad, 0, true, xp);
				g_free(pad);
			} else if (g_strcmp0(op, "modify") == 0) {
				GString *set = g_string_new(NULL), *unset = g_string_new(NULL);
				xmlNode *list = pl_xml_first_child(ch, "change-list");
				for (xmlNode *a = pl_xml_first_child(list, "change-attr");
				     a != NULL; a = pl_xml_next_sibling(a, "change-attr")) {
					const char *aop = pl_xml_attr(a, "operation");
					GString *s = g_strcmp0(aop, "unset") == 0 ? unset : set;
					g_string_append_printf(
					    s, "%s@%s", s->len ? ", " : "", pl_xml_attr(a, "name"));
					if (s == set)
						g_string_append_printf(
						    s, "=%s", pl_xml_attr(a, "value"));
				}
				if (set->len)
					printf("+  %s:  %s\n", xp, set->str);
				if (unset->len)
					printf("-- %s:  %s\n", xp, unset->str);
				g_string_free(set, TRUE);
				g_string_free(unset, TRUE);
			}
		}
		xmlFreeNode(patch);
		rc = PL_EXIT_ERROR; /* there are changes */
	}
	pl_cib_free(shadow);
	xmlFreeDoc(active);
	return rc;
}

/* ---- commands ---- */

static int
create(const char *path, bool empty, bool reset, struct pl_error *err)
{
	xmlDoc *doc;

	if (reset && access(path, F_OK) != 0) {
		fprintf(stderr, "Could not access shadow instance '%s': %s\n", opt.name,
		    strerror(errno));
		return PL_EXIT_NOSUCH;
	}
	if (!reset && !opt.force && access(path, F_OK) == 0) {
		fprintf(stderr,
		    "A shadow instance '%s' already exists.\n  To prevent accidental destruction "
		    "of the cluster, the --force flag is required in order to proceed.\n",
		    opt.name);
		return PL_EXIT_CANTCREAT;
	}
	if (empty) {
		struct pl_cib *cib = pl_cib_new_empty();
		const char *schema = opt.validate_with ? opt.validate_with : "pacemaker-3.9";
		pl_xml_set_attr(pl_cib_root(cib), "validate-with", schema);
		pl_xml_set_attr(pl_cib_root(cib), "epoch", "0");
		pl_xml_set_attr(pl_cib_root(cib), "num_updates", "0");
		pl_xml_set_attr(pl_cib_root(cib), "admin_epoch", "0");
		doc = xmlCopyDoc(pl_cib_doc(cib), 1);
		pl_cib_free(cib);
		printf("Created new %s configuration\n", schema);
	} else if ((doc = fetch_active(err)) == NULL) {
		fprintf(stderr, "Could not connect to the CIB manager: %s\n", err->text);
		return err->code ? err->code : PL_EXIT_ERROR;
	}
	int rc = write_doc(path, doc, err);
	xmlFreeDoc(doc);
	if (rc != 0) {
		int e = errno ? errno : EIO;
		fprintf(stderr, "Could not create the shadow instance '%s': %s\n", opt.name,
		    strerror(e));
		return e == ENOENT ? PL_EXIT_NOSUCH : PL_EXIT_CANTCREAT;
	}
	setup(opt.name, false);
	return PL_EXIT_OK;
}

static int
commit(const char *path, struct pl_error *err)
{
	struct pl_cib *shadow = pl_cib_parse_file(path, err);
	if (shadow == NULL) {
		fprintf(stderr, "Could not access shadow instance '%s': %s\n", opt.name,
		    access(path, F_OK) != 0 ? strerror(ENOENT) : err->text);
		return PL_EXIT_NOSUCH;
	}
	struct tool_cib *src = open_active(err);
	int rc;
	if (src == NULL) {
		rc = err->code ? err->code : PL_EXIT_ERROR;
	} else {
		struct pl_cib_request req = { .op = PL_CIB_OP_REPLACE };
		if (opt.all) {
			req.input = pl_cib_root(shadow);
		} else {
			req.section = "configuration";
			req.input = pl_xml_first_child(pl_cib_root(shadow), "configuration");
		}
		rc = tool_cib_call(src, &req, NULL, err);
		tool_cib_close(src);
	}
	pl_cib_free(shadow);
	if (rc != 0) {
		fprintf(stderr, "Could not commit shadow instance '%s' to the CIB: %s\n", opt.name,
		    err->text);
		return rc;
	}
	teardown();
	return PL_EXIT_OK;
}

static int
edit(const char *path)
{
	const char *editor = getenv("EDITOR");
	if (editor == NULL) {
		fprintf(stderr, "No value for EDITOR defined\n");
		return PL_EXIT_NOT_CONFIGURED;
	}
	char *cmd = g_strdup_printf("%s %s", editor, path);
	int st = system(cmd);
	g_free(cmd);
	if (st != 0) {
		fprintf(stderr, "Could not invoke EDITOR (%s %s): %s\n", editor, path,
		    strerror(errno ? errno : EIO));
		return PL_EXIT_OSFILE;
	}
	return PL_EXIT_OK;
}

static int
run(void)
{
	struct pl_error err = PL_ERROR_INIT;
	bool query = strchr("wpEdF", opt.cmd) != NULL;
	char *path;
	int rc;

	if (query) {
		const char *active = getenv("CIB_shadow");
		if (active == NULL || *active == '\0') {
			fprintf(stderr, "No active shadow configuration defined\n");
			return PL_EXIT_NOSUCH;
		}
		g_free(opt.name);
		opt.name = g_strdup(active);
	}
	path = tool_shadow_path(opt.name);
	if ((opt.cmd == 'C' || opt.cmd == 'D') && !opt.force) {
		fprintf(stderr, "%s\n", dangerous);
		free(path);
		return PL_EXIT_USAGE;
	}
	if (query && opt.cmd != 'w' && access(path, F_OK) != 0) {
		fprintf(stderr, "Could not access shadow instance '%s': %s\n", opt.name,
		    strerror(errno));
		free(path);
		return PL_EXIT_NOSUCH;
	}
	switch (opt.cmd) {
	case 'w':
		printf("%s\n", opt.name);
		rc = PL_EXIT_OK;
		break;
	case 'F':
		printf("%s\n", path);
		rc = PL_EXIT_OK;
		break;
	case 'p': {
		size_t n;
		char *text = pl_read_file(path, &n, &err);
		rc = text ? PL_EXIT_OK : PL_EXIT_NOSUCH;
		if (text != NULL)
			fwrite(text, 1, n, stdout);
		free(text);
		break;
	}
	case 'E': rc = edit(path); break;
	case 'd': rc = show_diff(path, &err); break;
	case 'c': rc = create(path, false, false, &err); break;
	case 'e': rc = create(path, true, false, &err); break;
	case 'r': rc = create(path, false, true, &err); break;
	case 's':
		if (access(path, F_OK) != 0) {
			fprintf(stderr, "Could not access shadow instance '%s': %s\n", opt.name,
			    strerror(errno));
			rc = PL_EXIT_NOSUCH;
		} else {
			setup(opt.name, true);
			rc = PL_EXIT_OK;
		}
		break;
	case 'C': rc = commit(path, &err); break;
	default: /* 'D' */
		if (unlink(path) != 0 && errno != ENOENT) {
			fprintf(stderr, "Could not remove shadow instance '%s': %s\n", opt.name,
			    strerror(errno));
			rc = PL_EXIT_ERROR;
		} else {
			teardown();
			rc = PL_EXIT_OK;
		}
		break;
	}
	free(path);
	return rc;
}

int
main(int argc, char **argv)
{
	struct tool t = { .name = "crm_shadow", .formats = TOOL_FMT_TEXT };
	GOptionContext *ctx = g_option_context_new(NULL);
	int rc;

	g_option_context_set_summary(ctx,
	    "perform Pacemaker configuration changes in a sandbox\n\n"
	    "This command sets up an environment in which configuration tools (cibadmin,\n"
	    "crm_resource, etc.) work offline instead of against a live cluster, allowing\n"
	    "changes to be previewed and tested for side-effects.");
	tool_add_group(ctx, "queries", "Queries:", "Show query options", query_entries);
	tool_add_group(ctx, "commands", "Commands:", "Show command options", command_entries);
	tool_add_group(ctx, "additional", "Additional Options:", "Show additional options",
	    additional_entries);
	rc = tool_parse(&t, ctx, NULL, &argc, &argv);
	if (rc < 0 && opt.cmd == 0) {
		char *help = g_option_context_get_help(ctx, TRUE, NULL);
		fputs(help, stderr);
		g_free(help);
		rc = tool_finish(&t, PL_EXIT_USAGE);
	}
	g_option_context_free(ctx);
	if (rc >= 0)
		return rc;
	fflush(stdout);
	rc = run();
	return tool_finish(&t, rc);
}
