/*
 * crm_ticket - show and change the tickets of a multi-site cluster as Pacemaker 2.1.5's
 * crm_ticket does: queries (-l info, -L details, -w ids, -q state XML, -c rsc_ticket
 * constraints), commands (-g grant, -r revoke, -s standby, -a activate), attributes (-G with
 * -d default, -S with -v, -D) and -C to forget a ticket's state. Granting, revoking and
 * cleaning up a granted ticket need --force (exit 4 and Pacemaker's warning otherwise).
 *
 * Tickets are those named by rsc_ticket constraints and those with a <ticket_state> in the
 * status section; a ticket's state lives in /cib/status/tickets/ticket_state[@id]. The CIB
 * comes from the shared CIB source (CIB_file, CIB_shadow or paceline-cib); listings follow
 * Pacemaker's order (a GLib string hash table, filled status first, then constraints).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tool.h"

#include "paceline/exitcode.h"
#include "paceline/xml.h"

static struct {
	char cmd; /* the last command option given */
	char *ticket, *get_attr, *set_attr, *del_attr, *value, *deflt, *set_name, *nvpair;
	gboolean force, quiet;
} opt;

static gboolean
set_cmd(const char *name, const char *value, gpointer data, GError **err)
{
	(void)data, (void)err;
	/* long names map to their short letters */
	static const struct {
		const char *lng;
		char c;
	} map[] = { { "info", 'l' }, { "details", 'L' }, { "raw", 'w' }, { "query-xml", 'q' },
		{ "constraints", 'c' }, { "grant", 'g' }, { "revoke", 'r' }, { "standby", 's' },
		{ "activate", 'a' }, { "get-attr", 'G' }, { "set-attr", 'S' },
		{ "delete-attr", 'D' }, { "cleanup", 'C' } };
	char c = name[1] == '-' ? 0 : name[1];
	for (size_t i = 0; c == 0 && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(name + 2, map[i].lng) == 0)
			c = map[i].c;
	opt.cmd = c;
	char **slot = c == 'G' ? &opt.get_attr
	    : c == 'S'	       ? &opt.set_attr
	    : c == 'D'	       ? &opt.del_attr
			       : NULL;
	if (slot != NULL) {
		g_free(*slot);
		*slot = g_strdup(value);
	}
	return TRUE;
}

#define CMD(l, s, desc)                                                                \
	{                                                                              \
		l, s, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_cmd, desc, NULL \
	}
#define ATTR_CMD(l, s, desc)                                               \
	{                                                                  \
		l, s, 0, G_OPTION_ARG_CALLBACK, set_cmd, desc, "ATTRIBUTE" \
	}

static GOptionEntry query_entries[] = {
	CMD("info", 'l', "Display the information of ticket(s)"),
	CMD("details", 'L', "Display the details of ticket(s)"),
	CMD("raw", 'w', "Display the IDs of ticket(s)"),
	CMD("query-xml", 'q', "Query the XML of ticket(s)"),
	CMD("constraints", 'c', "Display the rsc_ticket constraints that apply to ticket(s)"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry command_entries[] = {
	CMD("grant", 'g', "Grant a ticket to this cluster site"),
	CMD("revoke", 'r', "Revoke a ticket from this cluster site"),
	CMD("standby", 's', "Tell this cluster site this ticket is standby"),
	CMD("activate", 'a', "Tell this cluster site this ticket is active"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry advanced_entries[] = {
	ATTR_CMD("get-attr", 'G', "Display the named attribute for a ticket"),
	ATTR_CMD("set-attr", 'S', "Set the named attribute for a ticket"),
	ATTR_CMD("delete-attr", 'D', "Delete the named attribute for a ticket"),
	CMD("cleanup", 'C', "Delete all state of a ticket at this cluster site"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry additional_entries[] = {
	{ "attr-value", 'v', 0, G_OPTION_ARG_STRING, &opt.value, "Attribute value to use with -S",
	    "VALUE" },
	{ "default", 'd', 0, G_OPTION_ARG_STRING, &opt.deflt,
	    "(Advanced) Default attribute value to display if none is found (for use with -G)",
	    "VALUE" },
	{ "force", 'f', 0, G_OPTION_ARG_NONE, &opt.force,
	    "(Advanced) Force the action to be performed", NULL },
	{ "ticket", 't', 0, G_OPTION_ARG_STRING, &opt.ticket, "Ticket ID", "ID" },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static GOptionEntry deprecated_entries[] = {
	{ "set-name", 'n', 0, G_OPTION_ARG_STRING, &opt.set_name,
	    "(Advanced) ID of the instance_attributes object to change", "ID" },
	{ "nvpair", 'i', 0, G_OPTION_ARG_STRING, &opt.nvpair,
	    "(Advanced) ID of the nvpair object to change/delete", "ID" },
	{ "quiet", 'Q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Print only the value on stdout", NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* ---- the tickets of a CIB ---- */

struct ticket {
	char *id;
	bool granted, standby;
	long long last_granted; /* -1: never */
	GHashTable *state;	/* attribute -> value of its ticket_state (id excluded) */
};

static void
ticket_free(void *p)
{
	struct ticket *t = p;
	g_hash_table_destroy(t->state);
	g_free(t->id);
	g_free(t);
}

/* Pacemaker's tables of tickets and of a ticket's state: its listings show that table order,
 * so ours use the same hash (tool_pcmk_str_hash). */
#define str_hash31 tool_pcmk_str_hash

static struct ticket *
ticket_get(GHashTable *tickets, const char *id)
{
	struct ticket *t = g_hash_table_lookup(tickets, id);
	if (t == NULL) {
		t = g_new0(struct ticket, 1);
		t->id = g_strdup(id);
		t->last_granted = -1;
		t->state = g_hash_table_new_full(str_hash31, g_str_equal, g_free, g_free);
		g_hash_table_insert(tickets, g_strdup(id), t);
	}
	return t;
}

static bool
is_true(const char *s)
{
	return s != NULL &&
	    (strcasecmp(s, "true") == 0 || strcasecmp(s, "on") == 0 || strcasecmp(s, "yes") == 0 ||
		strcasecmp(s, "y") == 0 || strcmp(s, "1") == 0);
}

static xmlNode *
section(xmlDoc *doc, const char *parent, const char *name)
{
	xmlNode *root = pl_xml_root(doc);
	return pl_xml_first_child(pl_xml_first_child(root, parent), name);
}

static GHashTable *
load_tickets(xmlDoc *doc)
{
	GHashTable *tickets = g_hash_table_new_full(str_hash31, g_str_equal, g_free, ticket_free);
	xmlNode *states =
	    pl_xml_first_child(pl_xml_first_child(pl_xml_root(doc), "status"), "tickets");

	for (xmlNode *s = pl_xml_first_child(states, "ticket_state"); s != NULL;
	     s = pl_xml_next_sibling(s, "ticket_state")) {
		const char *id = pl_xml_attr(s, "id");
		if (id == NULL)
			continue;
		struct ticket *t = ticket_get(tickets, id);
		for (xmlAttr *a = s->properties; a != NULL; a = a->next) {
			const char *name = (const char *)a->name;
			if (strcmp(name, "id") == 0)
				continue;
			g_hash_table_replace(
			    t->state, g_strdup(name), g_strdup(pl_xml_attr(s, name)));
		}
		t->granted = is_true(pl_xml_attr(s, "granted"));
		t->standby = is_true(pl_xml_attr(s, "standby"));
		if (pl_xml_attr(s, "last-granted") != NULL)
			t->last_granted = strtoll(pl_xml_attr(s, "last-granted"), NULL, 10);
	}
	for (xmlNode *c =
		 pl_xml_first_child(section(doc, "configuration", "constraints"), "rsc_ticket");
	     c != NULL; c = pl_xml_next_sibling(c, "rsc_ticket"))
		if (pl_xml_attr(c, "id") != NULL && pl_xml_attr(c, "ticket") != NULL)
			ticket_get(tickets, pl_xml_attr(c, "ticket"));
	return tickets;
}

/* ---- queries ---- */

static char *
epoch_text(long long when)
{
	time_t t = (time_t)when;
	struct tm tm;
	char buf[64];
	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm);
	return g_strdup(buf);
}

static void
print_ticket(FILE *out, const struct ticket *t, bool raw, bool details)
{
	if (raw) {
		fprintf(out, "%s\n", t->id);
		return;
	}
	fprintf(out, "%s\t%s %s", t->id, t->granted ? "granted" : "revoked",
	    t->standby ? "[standby]" : "         ");
	if (details && g_hash_table_size(t->state) > 0) {
		GHashTableIter it;
		gpointer k, v;
		int n = 0;
		fprintf(out, " (");
		g_hash_table_iter_init(&it, t->state);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			fprintf(out, "%s%s=", n++ ? ", " : "", (char *)k);
			if (strcmp(k, "last-granted") == 0 || strcmp(k, "last-grant") == 0) {
				char *s = epoch_text(strtoll(v, NULL, 10));
				fprintf(out, "'%s'", s);
				g_free(s);
			} else {
				fprintf(out, "%s", (char *)v);
			}
		}
		fprintf(out, ")\n");
		return;
	}
	if (t->last_granted > -1) {
		char *s = epoch_text(t->last_granted);
		fprintf(out, " last-granted='%s'", s);
		g_free(s);
	}
	fprintf(out, "\n");
}

/* The elements an XML query answers with: one as itself, several in <xpath-query>. */
static int
print_matches(struct tool *t, const char *title, GPtrArray *m, const char *what)
{
	if (m->len == 0) {
		tool_error(t, "crm_ticket: Could not %s: No such device or address", what);
		return PL_EXIT_NOSUCH;
	}
	char *text;
	if (m->len == 1) {
		text = pl_xml_dump(g_ptr_array_index(m, 0), true);
	} else {
		xmlDoc *d = pl_xml_new_doc("xpath-query");
		for (unsigned i = 0; i < m->len; i++)
			xmlAddChild(pl_xml_root(d), xmlDocCopyNode(g_ptr_array_index(m, i), d, 1));
		text = pl_xml_dump(pl_xml_root(d), true);
		xmlFreeDoc(d);
	}
	fprintf(t->out, "%s XML:\n\n%s", title, text);
	if (*text && text[strlen(text) - 1] != '\n')
		fputc('\n', t->out);
	free(text);
	return PL_EXIT_OK;
}

static int
query_state(struct tool *t, xmlDoc *doc)
{
	GPtrArray *m = g_ptr_array_new();
	xmlNode *states = section(doc, "status", "tickets");
	if (opt.ticket == NULL) {
		if (states != NULL)
			g_ptr_array_add(m, states);
	} else {
		for (xmlNode *s = pl_xml_first_child(states, "ticket_state"); s != NULL;
		     s = pl_xml_next_sibling(s, "ticket_state"))
			if (g_strcmp0(pl_xml_attr(s, "id"), opt.ticket) == 0)
				g_ptr_array_add(m, s);
	}
	int rc = print_matches(t, "State", m, "query ticket XML");
	g_ptr_array_free(m, TRUE);
	return rc;
}

static int
query_constraints(struct tool *t, xmlDoc *doc)
{
	GPtrArray *m = g_ptr_array_new();
	for (xmlNode *c =
		 pl_xml_first_child(section(doc, "configuration", "constraints"), "rsc_ticket");
	     c != NULL; c = pl_xml_next_sibling(c, "rsc_ticket"))
		if (opt.ticket == NULL || g_strcmp0(pl_xml_attr(c, "ticket"), opt.ticket) == 0)
			g_ptr_array_add(m, c);
	int rc = print_matches(t, "Constraints", m, "show ticket constraints");
	g_ptr_array_free(m, TRUE);
	return rc;
}

/* ---- changes ---- */

static void
warn_ticket(FILE *out, const char *id, bool grant)
{
	if (grant) {
		fprintf(out,
		    "This command cannot help you verify whether '%s' has been already granted "
		    "elsewhere.\n",
		    id);
	} else {
		fprintf(out,
		    "Revoking '%s' can trigger the specified 'loss-policy'(s) relating to '%s'.\n\n"
		    "You can check that with:\ncrm_ticket --ticket %s --constraints\n\n"
		    "Otherwise before revoking '%s', you may want to make '%s' standby with:\n"
		    "crm_ticket --ticket %s --standby\n\n",
		    id, id, id, id, id, id);
	}
	fprintf(out,
	    "If you really want to %s '%s' %s this site now, and you know what you are doing,\n"
	    "please specify --force.\n",
	    grant ? "grant" : "revoke", id, grant ? "to" : "from");
}

static xmlNode *
find_state(xmlDoc *doc, const char *id)
{
	for (xmlNode *s = pl_xml_first_child(section(doc, "status", "tickets"), "ticket_state");
	     s != NULL; s = pl_xml_next_sibling(s, "ticket_state"))
		if (g_strcmp0(pl_xml_attr(s, "id"), id) == 0)
			return s;
	return NULL;
}

static int
modify_state(struct tool_cib *src, xmlDoc *doc, const struct ticket *tk, const char *set_name,
    const char *set_value, const char *del_name, struct pl_error *err)
{
	xmlNode *cur = find_state(doc, opt.ticket);
	struct pl_cib_request req = { .section = "status" };
	xmlDoc *in;
	xmlNode *state;
	int rc;

	if (cur == NULL && set_name == NULL)
		return PL_EXIT_OK;
	if (cur != NULL) {
		in = xmlNewDoc((const xmlChar *)"1.0");
		state = xmlDocCopyNode(cur, in, 1);
		xmlDocSetRootElement(in, state);
		req.op = PL_CIB_OP_REPLACE;
	} else {
		in = pl_xml_new_doc("status");
		state =
		    pl_xml_add_child(pl_xml_add_child(pl_xml_root(in), "tickets"), "ticket_state");
		pl_xml_set_attr(state, "id", opt.ticket);
		req.op = PL_CIB_OP_MODIFY;
	}
	if (del_name != NULL)
		pl_xml_unset_attr(state, del_name);
	if (set_name != NULL) {
		pl_xml_set_attr(state, set_name, set_value);
		if (strcasecmp(set_name, "granted") == 0 && (tk == NULL || !tk->granted) &&
		    is_true(set_value))
			pl_xml_set_attr_int(state, "last-granted", (long long)time(NULL));
	}
	req.input = pl_xml_root(in);
	rc = tool_cib_call(src, &req, NULL, err);
	xmlFreeDoc(in);
	return rc;
}

static int
cleanup_state(struct tool *t, struct tool_cib *src, xmlDoc *doc, struct pl_error *err)
{
	xmlNode *cur = find_state(doc, opt.ticket);
	if (cur == NULL)
		return PL_EXIT_OK;
	struct pl_cib_request req = { .op = PL_CIB_OP_DELETE, .section = "status" };
	xmlDoc *in = pl_xml_new_doc("ticket_state");
	pl_xml_set_attr(pl_xml_root(in), "id", opt.ticket);
	req.input = pl_xml_root(in);
	int rc = tool_cib_call(src, &req, NULL, err);
	xmlFreeDoc(in);
	if (rc == 0)
		fprintf(t->out, "Cleaned up %s\n", opt.ticket);
	return rc;
}

static int
run(struct tool *t, struct tool_cib *src, xmlDoc *doc)
{
	GHashTable *tickets = load_tickets(doc);
	struct ticket *tk = opt.ticket ? g_hash_table_lookup(tickets, opt.ticket) : NULL;
	struct pl_error err = PL_ERROR_INIT;
	int rc = PL_EXIT_OK;

	switch (opt.cmd) {
	case 'l':
	case 'L':
	case 'w':
		if (opt.ticket != NULL) {
			if (tk == NULL) {
				tool_error(t, "crm_ticket: No such ticket '%s'", opt.ticket);
				rc = PL_EXIT_NOSUCH;
			} else {
				print_ticket(t->out, tk, opt.cmd == 'w', opt.cmd == 'L');
			}
		} else {
			GHashTableIter it;
			gpointer k, v;
			g_hash_table_iter_init(&it, tickets);
			while (g_hash_table_iter_next(&it, &k, &v))
				print_ticket(t->out, v, opt.cmd == 'w', opt.cmd == 'L');
		}
		break;
	case 'q': rc = query_state(t, doc); break;
	case 'c': rc = query_constraints(t, doc); break;
	case 'G': {
		const char *v = tk ? g_hash_table_lookup(tk->state, opt.get_attr) : NULL;
		if (v == NULL)
			v = opt.deflt;
		if (v != NULL)
			fprintf(t->out, "%s\n", v);
		else
			rc = PL_EXIT_NOSUCH;
		break;
	}
	case 'C':
		if (!opt.force && tk == NULL) {
			tool_error(t, "crm_ticket: No such ticket '%s'", opt.ticket);
			rc = PL_EXIT_NOSUCH;
		} else if (!opt.force && tk->granted) {
			warn_ticket(t->out, opt.ticket, false);
			rc = PL_EXIT_INSUFFICIENT_PRIV;
		} else if ((rc = cleanup_state(t, src, doc, &err)) != 0) {
			tool_error(t, "crm_ticket: Could not clean up ticket: %s", err.text);
		}
		break;
	default: { /* g r s a S D */
		const char *name = NULL, *value = NULL, *del = NULL;
		switch (opt.cmd) {
		case 'g': name = "granted", value = "true"; break;
		case 'r': name = "granted", value = "false"; break;
		case 's': name = "standby", value = "true"; break;
		case 'a': name = "standby", value = "false"; break;
		case 'S': name = opt.set_attr, value = opt.value; break;
		default: del = opt.del_attr; break;
		}
		bool touches_granted = (name && strcasecmp(name, "granted") == 0) ||
		    (del && strcasecmp(del, "granted") == 0);
		if (!opt.force && touches_granted) {
			warn_ticket(t->out, opt.ticket, name != NULL && is_true(value));
			tool_error(t, "crm_ticket: Ticket modification not allowed");
			rc = PL_EXIT_INSUFFICIENT_PRIV;
		} else if ((rc = modify_state(src, doc, tk, name, value, del, &err)) != 0) {
			tool_error(t, "crm_ticket: Could not modify ticket: %s", err.text);
		}
		break;
	}
	}
	g_hash_table_destroy(tickets);
	return rc;
}

int
main(int argc, char **argv)
{
	struct tool t = { .name = "crm_ticket", .formats = TOOL_FMT_TEXT };
	GOptionContext *ctx = g_option_context_new(NULL);
	struct pl_error err = PL_ERROR_INIT;
	int rc;

	g_option_context_set_summary(ctx,
	    "Perform tasks related to cluster tickets\n\n"
	    "Allows ticket attributes to be queried, modified and "
	    "deleted.");
	tool_add_group(ctx, "queries", "Queries:", "Show queries", query_entries);
	tool_add_group(ctx, "commands", "Commands:", "Show command options", command_entries);
	tool_add_group(
	    ctx, "advanced", "Advanced Options:", "Show advanced options", advanced_entries);
	tool_add_group(ctx, "additional", "Additional Options:", "Show additional options",
	    additional_entries);
	tool_add_group(ctx, "deprecated", "Deprecated Options:", "Show deprecated options",
	    deprecated_entries);
	rc = tool_parse(&t, ctx, NULL, &argc, &argv);
	g_option_context_free(ctx);
	if (rc >= 0)
		return rc;

	if (opt.cmd == 0) {
		tool_error(&t, "crm_ticket: Must supply a command");
		return tool_finish(&t, PL_EXIT_USAGE);
	}
	if (opt.ticket == NULL && strchr("grsaSDCG", opt.cmd) != NULL) {
		tool_error(&t, "crm_ticket: Must supply ticket ID with -t");
		return tool_finish(&t, opt.cmd == 'G' ? PL_EXIT_NOSUCH : PL_EXIT_USAGE);
	}
	if (opt.cmd == 'S' && opt.value == NULL) {
		tool_error(&t, "crm_ticket: Must supply value with -v for -S %s", opt.set_attr);
		return tool_finish(&t, PL_EXIT_USAGE);
	}
	struct tool_cib *src = tool_cib_open("crm_ticket", 30000, &err);
	xmlDoc *doc = src ? tool_cib_fetch(src, &err) : NULL;
	if (doc == NULL) {
		tool_error(&t, "crm_ticket: Could not connect to the CIB: %s", err.text);
		tool_cib_close(src);
		return tool_finish(&t, err.code ? err.code : PL_EXIT_ERROR);
	}
	rc = run(&t, src, doc);
	xmlFreeDoc(doc);
	tool_cib_close(src);
	return tool_finish(&t, rc);
}
