/*
 * simulate_xml.c - crm_simulate --output-as=xml, as Pacemaker 2.1.5 writes it:
 *
 *	<pacemaker-result api-version request>
 *	  <cluster_status> <nodes/> <resources/> </cluster_status>
 *	  <modifications quorum= watchdog=>   modify_node, modify_ticket, inject_spec, inject_attr
 *	  <allocations>                       node_weight, promotion_score (-s)
 *	  <utilizations>                      capacity, utilization (-U)
 *	  <actions>                           rsc_action, node_action: the transition summary
 *	  <transition>                        rsc_action, pseudo_action, cluster_action,
 *	                                      fencing_action: the simulated execution (-S)
 *	  <revised_cluster_status>            as cluster_status, after it (-S)
 *	  <status code message/>              (tool_finish)
 *
 * Each section is made from the same lines the text output prints (the library's one
 * rendering of each), so the two formats never disagree: a line's fields become the
 * element's attributes.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xml.h"
#include "simulate_xml.h"

static xmlNode *
add(xmlNode *parent, const char *name)
{
	return pl_xml_add_child(parent, name);
}

static void
set(xmlNode *x, const char *name, const char *value)
{
	if (value)
		pl_xml_set_attr(x, name, value);
}

/* The line's text after "  * " (or the line itself), NULL for blank lines. */
static const char *
item(const char *line)
{
	while (*line == ' ')
		line++;
	if (!strncmp(line, "* ", 2))
		line += 2;
	return *line ? line : NULL;
}

/* The non-empty strings of a split line (at most max), pointers into `parts`. */
static int
words(gchar **parts, gchar **w, int max)
{
	int n = 0;
	for (gchar **p = parts; *p; p++)
		if (**p) {
			if (n == max)
				return max + 1; /* more than expected: no shape matches */
			w[n++] = *p;
		}
	return n;
}

/* ---- cluster_status / revised_cluster_status ---- */

void
sim_xml_status(xmlNode *result, const char *element, struct pl_pengine_run *run)
{
	struct pl_mon_opts mo = { .show = PL_MON_NODES | PL_MON_RESOURCES, .inactive = true };
	struct pl_buf b = PL_BUF_INIT;
	pl_pengine_mon_xml(run, &mo, &b);
	xmlNode *st = add(result, element);
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_memory(b.s, b.len, "status", &err);
	pl_buf_free(&b);
	if (doc == NULL)
		return;
	for (xmlNode *c = pl_xml_first_child(pl_xml_root(doc), NULL); c;
	     c = pl_xml_next_sibling(c, NULL))
		if (pl_xml_is(c, "nodes") || pl_xml_is(c, "resources"))
			xmlAddChild(st, xmlDocCopyNode(c, result->doc, 1));
	xmlFreeDoc(doc);
}

/* ---- modifications ---- */

static bool
take(const char **s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(*s, prefix, n))
		return false;
	*s += n;
	return true;
}

void
sim_xml_modifications(xmlNode *result, const char *text)
{
	xmlNode *m = add(result, "modifications");
	gchar **lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		const char *s = item(*l);
		if (s == NULL)
			continue;
		if (take(&s, "Setting quorum: ")) {
			set(m, "quorum", s);
		} else if (take(&s, "Setting watchdog: ")) {
			set(m, "watchdog", s);
		} else if (take(&s, "Bringing node ")) {
			gchar *n = g_strndup(s, strcspn(s, " "));
			xmlNode *x = add(m, "modify_node");
			set(x, "action", "Online");
			set(x, "node", n);
			g_free(n);
		} else if (take(&s, "Taking node ")) {
			gchar *n = g_strndup(s, strcspn(s, " "));
			xmlNode *x = add(m, "modify_node");
			set(x, "action", "Offline");
			set(x, "node", n);
			g_free(n);
		} else if (take(&s, "Failing node ")) {
			xmlNode *x = add(m, "modify_node");
			set(x, "action", "Failing");
			set(x, "node", s);
		} else if (take(&s, "Granting ticket ") || take(&s, "Revoking ticket ") ||
		    take(&s, "Making ticket ") || take(&s, "Activating ticket ")) {
			const char *verb = item(*l);
			const char *action = verb[0] == 'G' ? "Granting"
			    : verb[0] == 'R'		    ? "Revoking"
			    : verb[0] == 'M'		    ? "Standby"
							    : "Activating";
			gchar *tk = g_strndup(s, strcspn(s, " "));
			xmlNode *x = add(m, "modify_ticket");
			set(x, "action", action);
			set(x, "ticket", tk);
			g_free(tk);
		} else if (take(&s, "Injecting attribute ")) {
			/* NAME=VALUE into /node_state 'NODE' */
			const char *into = strstr(s, " into ");
			const char *eq = strchr(s, '=');
			if (into == NULL || eq == NULL || eq > into)
				continue;
			gchar *name = g_strndup(s, (gsize)(eq - s));
			gchar *value = g_strndup(eq + 1, (gsize)(into - eq - 1));
			const char *path = into + 6;
			const char *q = strstr(path, " '");
			gchar *p = q ? g_strndup(path, (gsize)(q - path)) : g_strdup(path);
			gchar *node = q ? g_strndup(q + 2, strcspn(q + 2, "'")) : NULL;
			xmlNode *x = add(m, "inject_attr");
			set(x, "name", name);
			set(x, "value", value);
			set(x, "node_path", p);
			set(x, "cib_node", node);
			g_free(name);
			g_free(value);
			g_free(p);
			g_free(node);
		} else if (take(&s, "Injecting ")) {
			const char *end = strstr(s, " into the configuration");
			gchar *spec = end ? g_strndup(s, (gsize)(end - s)) : g_strdup(s);
			set(add(m, "inject_spec"), "spec", spec);
			g_free(spec);
		}
	}
	g_strfreev(lines);
}

/* ---- allocations ---- */

void
sim_xml_scores(xmlNode *result, const char *text)
{
	xmlNode *a = add(result, "allocations");
	gchar **lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		const char *s = item(*l);
		if (s == NULL)
			continue;
		/* FUNCTION: RSC allocation score on NODE: SCORE */
		const char *fn_end = strstr(s, ": ");
		const char *alloc = strstr(s, " allocation score on ");
		const char *promo = strstr(s, " promotion score on ");
		const char *colon = strrchr(s, ':');
		if (alloc && fn_end && fn_end < alloc && colon > alloc) {
			gchar *fn = g_strndup(s, (gsize)(fn_end - s));
			gchar *rsc = g_strndup(fn_end + 2, (gsize)(alloc - fn_end - 2));
			const char *node = alloc + strlen(" allocation score on ");
			gchar *nd = g_strndup(node, (gsize)(colon - node));
			xmlNode *x = add(a, "node_weight");
			set(x, "function", fn);
			set(x, "node", nd);
			set(x, "score", colon + 2);
			set(x, "id", rsc);
			g_free(fn);
			g_free(rsc);
			g_free(nd);
		} else if (promo && colon > promo) {
			/* RSC promotion score on NODE: SCORE ("none" when not placed) */
			gchar *rsc = g_strndup(s, (gsize)(promo - s));
			const char *node = promo + strlen(" promotion score on ");
			gchar *nd = g_strndup(node, (gsize)(colon - node));
			xmlNode *x = add(a, "promotion_score");
			set(x, "id", rsc);
			set(x, "score", colon + 2);
			if (strcmp(nd, "none"))
				set(x, "node", nd);
			g_free(rsc);
			g_free(nd);
		}
	}
	g_strfreev(lines);
}

/* ---- utilizations ---- */

/* "cpu=8 memory=512" as <cpu>8</cpu><memory>512</memory> */
static void
util_values(xmlNode *x, const char *s)
{
	gchar **kv = g_strsplit(s, " ", -1);
	for (gchar **p = kv; *p; p++) {
		char *eq = strchr(*p, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		xmlNewTextChild(x, NULL, BAD_CAST * p, BAD_CAST(eq + 1));
	}
	g_strfreev(kv);
}

void
sim_xml_utilization(xmlNode *result, const char *text)
{
	xmlNode *u = add(result, "utilizations");
	gchar **lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		const char *s = item(*l);
		if (s == NULL)
			continue;
		const char *cap = strstr(s, " capacity:");
		const char *use = strstr(s, " utilization on ");
		const char *fn_end = strstr(s, ": ");
		if (cap && fn_end &&
		    (!strncmp(s, "Original: ", 10) || !strncmp(s, "Remaining: ", 11))) {
			/* Original|Remaining: NODE capacity: k=v ... */
			gchar *comment = g_strndup(s, (gsize)(fn_end - s));
			gchar *node = g_strndup(fn_end + 2, (gsize)(cap - fn_end - 2));
			xmlNode *x = add(u, "capacity");
			set(x, "node", node);
			set(x, "comment", comment);
			util_values(x, cap + strlen(" capacity:"));
			g_free(comment);
			g_free(node);
		} else if (use && fn_end && fn_end < use) {
			/* FUNCTION: RSC utilization on NODE: k=v ... */
			const char *node = use + strlen(" utilization on ");
			const char *colon = strchr(node, ':');
			if (colon == NULL)
				continue;
			gchar *fn = g_strndup(s, (gsize)(fn_end - s));
			gchar *rsc = g_strndup(fn_end + 2, (gsize)(use - fn_end - 2));
			gchar *nd = g_strndup(node, (gsize)(colon - node));
			xmlNode *x = add(u, "utilization");
			set(x, "resource", rsc);
			set(x, "node", nd);
			set(x, "function", fn);
			util_values(x, colon + 1);
			g_free(fn);
			g_free(rsc);
			g_free(nd);
		}
	}
	g_strfreev(lines);
}

/* ---- actions (the transition summary) ---- */

static bool
is_role(const char *s)
{
	return !strcmp(s, "Stopped") || !strcmp(s, "Started") || !strcmp(s, "Unpromoted") ||
	    !strcmp(s, "Promoted") || !strcmp(s, "Unknown");
}

/* The parenthesised part, by the shapes Pacemaker prints (and the verb, where one shape
 * stands for two: "NODE" is where a start goes or a stop leaves, else a restart's node). */
static void
summary_where(xmlNode *x, const char *verb, gchar **w, int n)
{
	bool start = !strcmp(verb, "Start"), stop = !strcmp(verb, "Stop");
	bool recover = !strcmp(verb, "Recover");
	if (n == 1) {
		set(x, start || stop || recover ? "node" : "source", w[0]);
	} else if (n == 2 && is_role(w[0])) {
		set(x, "role", w[0]);
		set(x, stop ? "node" : "source", w[1]);
	} else if (n == 3 && !strcmp(w[1], "->")) {
		set(x, "source", w[0]);
		set(x, "dest", w[2]);
	} else if (n == 4 && !strcmp(w[1], "->") && is_role(w[0]) && is_role(w[2])) {
		set(x, "role", w[0]);
		set(x, "next-role", w[2]);
		set(x, !strcmp(w[0], "Stopped") ? "dest" : "source", w[3]);
	} else if (n == 4 && !strcmp(w[1], "->")) {
		set(x, "source", w[0]);
		set(x, "dest", w[2]);
		set(x, "role", w[3]);
	} else if (n == 5 && !strcmp(w[2], "->")) {
		set(x, "role", w[0]);
		set(x, "source", w[1]);
		set(x, "next-role", w[3]);
		set(x, "dest", w[4]);
	}
}

void
sim_xml_actions(xmlNode *result, const char *text)
{
	xmlNode *a = add(result, "actions");
	gchar **lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		const char *s = item(*l);
		if (s == NULL)
			continue;
		if (!strncmp(s, "Fence (", 7)) {
			/* Fence (OP) NODE 'REASON' */
			const char *close = strchr(s, ')');
			const char *q = strchr(s, '\'');
			if (close == NULL || q == NULL)
				continue;
			gchar *task = g_strndup(s, (gsize)(close + 1 - s));
			gchar *node = g_strstrip(g_strndup(close + 1, (gsize)(q - close - 1)));
			gchar *reason = g_strndup(q + 1, strcspn(q + 1, "'"));
			xmlNode *x = add(a, "node_action");
			set(x, "task", task);
			set(x, "node", node);
			set(x, "reason", reason);
			g_free(task);
			g_free(node);
			g_free(reason);
			continue;
		}
		/* VERB RSC ( WHERE )  [due to REASON [(blocked)] | blocked] */
		const char *open = strstr(s, " ( "), *close = strstr(s, " )");
		if (open == NULL || close == NULL || close < open)
			continue;
		gchar **head = g_strsplit_set(s, " ", -1);
		gchar *verb = NULL, *rsc = NULL;
		for (gchar **p = head; *p; p++) {
			if (**p == '\0')
				continue;
			if (verb == NULL)
				verb = *p;
			else if (rsc == NULL)
				rsc = *p;
		}
		if (verb == NULL || rsc == NULL) {
			g_strfreev(head);
			continue;
		}
		xmlNode *x = add(a, "rsc_action");
		gchar *action = g_ascii_strdown(verb, -1);
		set(x, "action", action);
		g_free(action);
		set(x, "resource", rsc);
		gchar *where = g_strndup(open + 3, (gsize)(close - open - 3));
		gchar **parts = g_strsplit(g_strstrip(where), " ", -1);
		gchar *w[8];
		int n = words(parts, w, 8);
		summary_where(x, verb, w, n);
		const char *tail = close + 2;
		while (*tail == ' ')
			tail++;
		if (!strncmp(tail, "due to ", 7)) {
			tail += 7;
			size_t len = strlen(tail);
			bool blocked = len >= 10 && !strcmp(tail + len - 10, " (blocked)");
			gchar *reason = g_strndup(tail, blocked ? len - 10 : len);
			set(x, "reason", reason);
			if (blocked)
				set(x, "blocked", "true");
			g_free(reason);
		} else if (!strcmp(tail, "blocked")) {
			set(x, "blocked", "true");
		}
		g_strfreev(parts);
		g_free(where);
		g_strfreev(head);
	}
	g_strfreev(lines);
}

/* ---- transition (the simulated execution) ---- */

void
sim_xml_transition(xmlNode *result, const char *text)
{
	xmlNode *t = add(result, "transition");
	gchar **lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++) {
		const char *s = item(*l);
		if (s == NULL)
			continue;
		if (take(&s, "Pseudo action:")) {
			while (*s == ' ')
				s++;
			set(add(t, "pseudo_action"), "task", s);
		} else if (take(&s, "Fencing ")) {
			/* NODE (OP) */
			const char *open = strrchr(s, '(');
			if (open == NULL)
				continue;
			gchar *node = g_strstrip(g_strndup(s, (gsize)(open - s)));
			gchar *op = g_strndup(open + 1, strcspn(open + 1, ")"));
			xmlNode *x = add(t, "fencing_action");
			set(x, "target", node);
			set(x, "op", op);
			g_free(node);
			g_free(op);
		} else if (take(&s, "Cluster action:")) {
			/* TASK [for RSC] on NODE */
			gchar **parts = g_strsplit(s, " ", -1);
			gchar *w[8];
			int n = words(parts, w, 8);
			xmlNode *x = add(t, "cluster_action");
			if (n >= 1)
				set(x, "task", w[0]);
			if (n >= 5 && !strcmp(w[1], "for")) {
				set(x, "node", w[4]);
				set(x, "id", w[2]);
			} else if (n >= 3) {
				set(x, "node", w[2]);
			}
			g_strfreev(parts);
		} else if (take(&s, "Resource action:")) {
			/* RSC TASK[=INTERVAL] on NODE */
			gchar **w = g_strsplit(s, " ", -1);
			gchar *f[5];
			int n = words(w, f, 5);
			if (n == 4) {
				xmlNode *x = add(t, "rsc_action");
				set(x, "resource", f[0]);
				const char *eq = strchr(f[1], '=');
				gchar *op = eq ? g_strndup(f[1], (gsize)(eq - f[1])) : g_strdup(f[1]);
				set(x, "op", op);
				set(x, "node", f[3]);
				if (eq)
					set(x, "interval", eq + 1);
				g_free(op);
			}
			g_strfreev(w);
		}
	}
	g_strfreev(lines);
}
