/*
 * history.c - see history.h. The file is the XML history_xml() prints, read back at start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/file.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

struct entry {
	uint64_t id;
	char *target, *action, *client, *origin, *delegate, *device, *reason;
	int rc;
	uint64_t completed_ms;
};

static struct entry *entries;
static size_t n_entries;
static char *path;

static void
entry_clear(struct entry *e)
{
	free(e->target);
	free(e->action);
	free(e->client);
	free(e->origin);
	free(e->delegate);
	free(e->device);
	free(e->reason);
}

static void
push(const struct entry *e)
{
	if (n_entries == HISTORY_MAX) {
		entry_clear(&entries[0]);
		memmove(entries, entries + 1, (n_entries - 1) * sizeof(*entries));
		n_entries--;
	}
	entries = xreallocarray(entries, n_entries + 1, sizeof(*entries));
	entries[n_entries++] = *e;
}

static void
esc(struct pl_buf *b, const char *name, const char *v)
{
	pl_buf_addf(b, " %s=\"", name);
	for (const char *p = v ? v : ""; *p; p++) {
		switch (*p) {
		case '<': pl_buf_add(b, "&lt;"); break;
		case '>': pl_buf_add(b, "&gt;"); break;
		case '&': pl_buf_add(b, "&amp;"); break;
		case '"': pl_buf_add(b, "&quot;"); break;
		case '\n': pl_buf_add(b, "&#10;"); break;
		default: pl_buf_addc(b, *p);
		}
	}
	pl_buf_addc(b, '"');
}

void
history_xml_pending(const struct stonithd_result *r, struct pl_buf *out)
{
	pl_buf_addf(out, "  <fence_event id=\"%016llx\"", (unsigned long long)r->id);
	esc(out, "target", r->target);
	esc(out, "action", r->action);
	esc(out, "client", r->client);
	esc(out, "origin", r->origin);
	pl_buf_add(out, " status=\"pending\"/>\n");
}

void
history_xml(const char *target, struct pl_buf *out)
{
	pl_buf_add(out, "<fence-history>\n");
	history_xml_events(target, out);
	pl_buf_add(out, "</fence-history>\n");
}

void
history_xml_events(const char *target, struct pl_buf *out)
{
	for (size_t i = 0; i < n_entries; i++) {
		const struct entry *e = &entries[i];
		if (target && *target && strcmp(target, e->target) != 0)
			continue;
		pl_buf_addf(out, "  <fence_event id=\"%016llx\"", (unsigned long long)e->id);
		esc(out, "target", e->target);
		esc(out, "action", e->action);
		esc(out, "client", e->client);
		esc(out, "origin", e->origin);
		esc(out, "delegate", e->delegate);
		esc(out, "device", e->device);
		pl_buf_addf(
		    out, " rc=\"%d\" status=\"%s\"", e->rc, e->rc == 0 ? "success" : "failed");
		esc(out, "exit-reason", e->reason);
		pl_buf_addf(out, " completed-ms=\"%llu\"/>\n", (unsigned long long)e->completed_ms);
	}
}

static void
save(void)
{
	struct pl_buf b = { 0 };
	struct pl_error err = PL_ERROR_INIT;

	if (path == NULL)
		return;
	history_xml(NULL, &b);
	if (pl_write_file_atomic(path, pl_buf_str(&b), strlen(pl_buf_str(&b)), 0600, 0, &err) != 0)
		log_warnx("cannot save the fencing history: %s", err.text);
	pl_buf_free(&b);
}

static char *
dup_attr(xmlNode *x, const char *name)
{
	const char *v = pl_xml_attr(x, name);
	return xstrdup(v ? v : "");
}

void
history_open(const char *dir)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		log_warn("cannot create %s", dir);
	path = xasprintf("%s/history.xml", dir);
	if (access(path, F_OK) != 0)
		return;
	doc = pl_xml_parse_file(path, &err);
	if (doc == NULL || !pl_xml_is(pl_xml_root(doc), "fence-history")) {
		char *bad = xasprintf("%s.bad", path);
		log_warnx("fencing history %s is unreadable (%s): set aside as %s", path,
		    doc ? "not a fence-history" : err.text, bad);
		rename(path, bad);
		free(bad);
		if (doc)
			xmlFreeDoc(doc);
		return;
	}
	PL_XML_FOREACH_CHILD(pl_xml_root(doc), "fence_event", x)
	{
		struct entry e = { 0 };
		const char *v;
		e.id = (v = pl_xml_attr(x, "id")) ? strtoull(v, NULL, 16) : 0;
		e.target = dup_attr(x, "target");
		e.action = dup_attr(x, "action");
		e.client = dup_attr(x, "client");
		e.origin = dup_attr(x, "origin");
		e.delegate = dup_attr(x, "delegate");
		e.device = dup_attr(x, "device");
		e.reason = dup_attr(x, "exit-reason");
		e.rc = (v = pl_xml_attr(x, "rc")) ? atoi(v) : 1;
		e.completed_ms = (v = pl_xml_attr(x, "completed-ms")) ? strtoull(v, NULL, 10) : 0;
		push(&e);
	}
	xmlFreeDoc(doc);
	log_info("fencing history: %zu entries from %s", n_entries, path);
}

void
history_close(void)
{
	for (size_t i = 0; i < n_entries; i++)
		entry_clear(&entries[i]);
	free(entries);
	entries = NULL;
	n_entries = 0;
	free(path);
	path = NULL;
}

void
history_add(const struct stonithd_result *r)
{
	struct entry e = {
		.id = r->id,
		.target = xstrdup(r->target),
		.action = xstrdup(r->action),
		.client = xstrdup(r->client),
		.origin = xstrdup(r->origin),
		.delegate = xstrdup(r->delegate),
		.device = xstrdup(r->device),
		.reason = xstrdup(r->reason),
		.rc = (int)r->rc,
		.completed_ms = r->completed_ms,
	};
	push(&e);
	save();
}

void
history_cleanup(const char *target)
{
	size_t k = 0;

	for (size_t i = 0; i < n_entries; i++) {
		if (target == NULL || *target == '\0' || strcmp(entries[i].target, target) == 0)
			entry_clear(&entries[i]);
		else
			entries[k++] = entries[i];
	}
	n_entries = k;
	save();
}

static int
cmp_completed(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->completed_ms < y->completed_ms ? -1 : x->completed_ms > y->completed_ms;
}

int
history_merge(const char *xml)
{
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_string(xml, "peer history", &err);
	int added = 0;

	if (doc == NULL || !pl_xml_is(pl_xml_root(doc), "fence-history")) {
		log_warnx("a peer's fencing history is malformed: %s",
		    doc ? "not a fence-history" : err.text);
		if (doc)
			xmlFreeDoc(doc);
		return -1;
	}
	PL_XML_FOREACH_CHILD(pl_xml_root(doc), "fence_event", x)
	{
		const char *v = pl_xml_attr(x, "id");
		uint64_t id = v ? strtoull(v, NULL, 16) : 0;
		bool known = false;
		for (size_t i = 0; i < n_entries && !known; i++)
			known = entries[i].id == id;
		if (known || id == 0)
			continue;
		struct entry e = { 0 };
		e.id = id;
		e.target = dup_attr(x, "target");
		e.action = dup_attr(x, "action");
		e.client = dup_attr(x, "client");
		e.origin = dup_attr(x, "origin");
		e.delegate = dup_attr(x, "delegate");
		e.device = dup_attr(x, "device");
		e.reason = dup_attr(x, "exit-reason");
		e.rc = (v = pl_xml_attr(x, "rc")) ? atoi(v) : 1;
		e.completed_ms = (v = pl_xml_attr(x, "completed-ms")) ? strtoull(v, NULL, 10) : 0;
		push(&e);
		added++;
	}
	xmlFreeDoc(doc);
	if (added > 0) {
		qsort(entries, n_entries, sizeof(*entries), cmp_completed);
		save();
	}
	return added;
}

size_t
history_count(void)
{
	return n_entries;
}
