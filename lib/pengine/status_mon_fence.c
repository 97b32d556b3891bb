/*
 * status_mon_fence.c - crm_mon's fencing sections from the fencer's history (opts.fence_history,
 * fetched by crm_mon from paceline-stonithd), as Pacemaker 2.1.5 prints them:
 *
 *	Failed Fencing Actions:        failed events (PL_MON_FENCE_FAILED), after the failed
 *	                               resource actions
 *	Pending Fencing Actions:       the events still running, when successful ones are not
 *	                               asked for (PL_MON_FENCE_PENDING alone), at the end
 *	Fencing History:               every event that did not fail (PL_MON_FENCE_WORKED)
 *
 * "last failed at" unless every fencing section is shown (crm_mon -m2, -m3, -I fencing);
 * XML carries one <fence_history> with every event whenever any fencing section is on.
 * The fencer's reason for a failure stays in its log and history file: Pacemaker's fencer
 * reports none for an agent that failed or a missing device, so neither view shows one.
 * stonith_admin --history prints the same events in their technical form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "paceline/buf.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "status_mon.h"

static bool
status_is(xmlNode *e, const char *what)
{
	const char *s = pl_xml_attr(e, "status");
	return s && strcmp(s, what) == 0;
}

static unsigned long long
completed(xmlNode *e)
{
	const char *v = pl_xml_attr(e, "completed-ms");
	return v ? strtoull(v, NULL, 10) : 0;
}

static const char *
attr_or(xmlNode *e, const char *name, const char *dflt)
{
	const char *v = pl_xml_attr(e, name);
	return v && *v ? v : dflt;
}

char *
pl_pengine_fence_time(unsigned long long ms)
{
	char buf[64], z[8];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(z, sizeof(z), "%z", &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	if (tm.tm_gmtoff == 0)
		return xasprintf("%sZ", buf);
	return xasprintf("%s %.3s:%s", buf, z, z + 3);
}

static int
by_completion(const void *a, const void *b)
{
	xmlNode *x = *(xmlNode *const *)a, *y = *(xmlNode *const *)b;
	bool px = status_is(x, "pending"), py = status_is(y, "pending");
	unsigned long long cx = completed(x), cy = completed(y);

	if (px != py)
		return px ? -1 : 1;
	return cx > cy ? -1 : cx < cy ? 1 : 0;
}

GPtrArray *
pl_pengine_fence_sorted(xmlNode *history)
{
	GPtrArray *v = g_ptr_array_new();

	/* the fencer lists the ended ones oldest first: reversed, equal times stay newest first */
	for (xmlNode *e = history ? history->children : NULL; e; e = e->next)
		if (e->type == XML_ELEMENT_NODE && pl_xml_is(e, "fence_event"))
			g_ptr_array_insert(v, 0, e);
	g_ptr_array_sort(v, by_completion); /* stable in GLib (a merge sort) */
	return v;
}

static bool
same_attr(xmlNode *a, xmlNode *b, const char *name)
{
	const char *x = pl_xml_attr(a, name), *y = pl_xml_attr(b, name);
	return x && y && strcasecmp(x, y) == 0;
}

/* A failed event: the node that ran a later success of the same action against the same
 * target (the same node as the failed one preferably), or NULL. */
static const char *
later_succeeded(GPtrArray *sorted, xmlNode *e)
{
	const char *found = NULL, *mine = attr_or(e, "delegate", NULL);

	for (guint i = 0; i < sorted->len; i++) {
		xmlNode *p = g_ptr_array_index(sorted, i);
		const char *d = attr_or(p, "delegate", NULL);
		if (p == e)
			break;
		if (!status_is(p, "success") || d == NULL || !same_attr(p, e, "target") ||
		    !same_attr(p, e, "action") || completed(p) <= completed(e))
			continue;
		if (mine == NULL || strcasecmp(mine, d) == 0)
			return d;
		if (found == NULL)
			found = d;
	}
	return found;
}

static const char *
action_text(const char *a)
{
	if (a && strcmp(a, "off") == 0)
		return "turning off";
	if (a && strcmp(a, "on") == 0)
		return "unfencing";
	return a ? a : "";
}

char *
pl_pengine_fence_text(GPtrArray *sorted, xmlNode *e, bool full, bool technical)
{
	bool ok = status_is(e, "success"), pending = status_is(e, "pending");
	/* Pacemaker's fencer names the node that did it for a success only */
	const char *delegate = ok ? attr_or(e, "delegate", NULL) : NULL;
	const char *later = !ok && !pending && sorted ? later_succeeded(sorted, e) : NULL;
	char *when = pending ? NULL : pl_pengine_fence_time(completed(e));
	struct pl_buf b = PL_BUF_INIT;

	pl_buf_addf(&b, "%s of %s", action_text(pl_xml_attr(e, "action")), attr_or(e, "target", ""));
	if (!technical) {
		if (delegate)
			pl_buf_addf(&b, " by %s", delegate);
		pl_buf_addf(&b, " for %s@%s", attr_or(e, "client", ""), attr_or(e, "origin", ""));
		if (!full)
			pl_buf_add(&b, " last");
	}
	pl_buf_addf(&b, " %s", pending ? "pending" : ok ? "successful" : "failed");
	if (technical) {
		pl_buf_add(&b, ": ");
		if (delegate)
			pl_buf_addf(&b, "delegate=%s, ", delegate);
		pl_buf_addf(
		    &b, "client=%s, origin=%s", attr_or(e, "client", ""), attr_or(e, "origin", ""));
		if (when)
			pl_buf_addf(&b, ", %s='%s'",
			    full     ? "completed"
				: ok ? "last-successful"
				     : "last-failed",
			    when);
	} else if (when) {
		pl_buf_addf(&b, " at %s", when);
	}
	if (later)
		pl_buf_addf(&b, " (a later attempt from %s succeeded)", later);
	free(when);
	char *s = xstrdup(pl_buf_str(&b));
	pl_buf_free(&b);
	return s;
}

static bool
target_shown(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *e)
{
	const char *t = pl_xml_attr(e, "target");

	(void)ws;
	return o->only_node == NULL || strcmp(o->only_node, "*") == 0 ||
	    (t && strcasecmp(o->only_node, t) == 0);
}

static void
list_text(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out, GPtrArray *v,
    const char *header, int which)
{
	bool full = (o->show & PL_MON_FENCE_ALL) == PL_MON_FENCE_ALL, any = false;

	for (guint i = 0; i < v->len; i++) {
		xmlNode *e = g_ptr_array_index(v, i);
		bool failed = status_is(e, "failed"), pending = status_is(e, "pending");
		if (!target_shown(ws, o, e))
			continue;
		if (which == 1 && !failed) /* failed only */
			continue;
		if (which == 2 && failed) /* everything that did not fail */
			continue;
		if (which == 3 && !pending) /* pending: they come first; stop at the first end */
			break;
		if (!any)
			pl_buf_addf(out, "%s%s:\n", out->len ? "\n" : "", header);
		any = true;
		char *line = pl_pengine_fence_text(v, e, full, false);
		pl_buf_addf(out, "  * %s\n", line);
		free(line);
	}
}

void
mon_fence_failed_text(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	if (o->fence_history == NULL || !(o->show & PL_MON_FENCE_FAILED))
		return;
	GPtrArray *v = pl_pengine_fence_sorted(o->fence_history);
	list_text(ws, o, out, v, "Failed Fencing Actions", 1);
	g_ptr_array_free(v, true);
}

void
mon_fence_history_text(struct pengine_ws *ws, const struct pl_mon_opts *o, struct pl_buf *out)
{
	if (o->fence_history == NULL)
		return;
	GPtrArray *v = pl_pengine_fence_sorted(o->fence_history);
	if (o->show & PL_MON_FENCE_WORKED)
		list_text(ws, o, out, v, "Fencing History", 2);
	else if (o->show & PL_MON_FENCE_PENDING)
		list_text(ws, o, out, v, "Pending Fencing Actions", 3);
	g_ptr_array_free(v, true);
}

void
mon_fence_xml(struct pengine_ws *ws, const struct pl_mon_opts *o, xmlNode *root)
{
	if (o->fence_history == NULL || !(o->show & PL_MON_FENCE_ALL))
		return;
	GPtrArray *v = pl_pengine_fence_sorted(o->fence_history);
	xmlNode *h = NULL;
	for (guint i = 0; i < v->len; i++) {
		xmlNode *e = g_ptr_array_index(v, i);
		bool ok = status_is(e, "success"), pending = status_is(e, "pending");
		if (!target_shown(ws, o, e))
			continue;
		if (h == NULL)
			h = pl_xml_add_child(root, "fence_history");
		xmlNode *x = pl_xml_add_child(h, "fence_event");
		static const char *const attrs[] = { "action", "target", "client", "origin", NULL };
		for (const char *const *a = attrs; *a; a++)
			pl_xml_set_attr(x, *a, attr_or(e, *a, ""));
		pl_xml_set_attr(x, "status", pending ? "pending" : ok ? "success" : "failed");
		if (pending)
			pl_xml_set_attr(x, "extended-status", "0");
		if (ok && attr_or(e, "delegate", NULL))
			pl_xml_set_attr(x, "delegate", attr_or(e, "delegate", NULL));
		if (!pending) {
			char *when = pl_pengine_fence_time(completed(e));
			pl_xml_set_attr(x, "completed", when);
			free(when);
		}
	}
	g_ptr_array_free(v, true);
}
