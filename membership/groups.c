/*
 * groups.c - closed process groups over the ring (see groups.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "groups.h"

enum { KIND_JOIN = 1, KIND_LEAVE = 2, KIND_MSG = 3, KIND_ANNOUNCE = 4 };

struct entry {
	char group[MEMBERSHIP_GROUP_NAME_MAX + 1];
	uint32_t nodeid;
	uint32_t pid;
};

struct membership_groups {
	uint32_t me;
	struct membership_groups_ops ops;
	void *arg;
	struct entry *known; /* members as the ordered stream says */
	unsigned n_known;
	struct entry *local; /* this node's members, for announces */
	unsigned n_local;
	struct entry *reported; /* what the clients were last told */
	unsigned n_reported;
	/* after a configuration change: rebuilding from announces until every member's came */
	bool syncing;
	bool announce_pending; /* the ring's queue was full: announce at the next chance */
	uint32_t expect[64];
	unsigned n_expect;
	uint64_t malformed;
};

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}
static void
put32(uint8_t *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b + 2, v & 0xffff);
}
static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}
static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)get16(b) << 16 | get16(b + 2);
}

struct membership_groups *
membership_groups_new(uint32_t my_nodeid, const struct membership_groups_ops *ops, void *arg)
{
	struct membership_groups *g = XNEW(struct membership_groups);

	g->me = my_nodeid;
	g->ops = *ops;
	g->arg = arg;
	return g;
}

void
membership_groups_free(struct membership_groups *g)
{
	if (!g)
		return;
	free(g->known);
	free(g->local);
	free(g->reported);
	free(g);
}

uint64_t
membership_groups_malformed(const struct membership_groups *g)
{
	return g->malformed;
}

static int
find(const struct entry *v, unsigned n, const char *group, uint32_t nodeid, uint32_t pid)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i].nodeid == nodeid && v[i].pid == pid && strcmp(v[i].group, group) == 0)
			return (int)i;
	return -1;
}

static int
cmp_member(const void *a, const void *b)
{
	const struct membership_member *x = a, *y = b;

	if (x->nodeid != y->nodeid)
		return x->nodeid < y->nodeid ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

unsigned
membership_groups_members(
    struct membership_groups *g, const char *group, struct membership_member *out, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g->n_known && n < max; i++) {
		if (strcmp(g->known[i].group, group) == 0) {
			out[n].nodeid = g->known[i].nodeid;
			out[n].pid = g->known[i].pid;
			n++;
		}
	}
	qsort(out, n, sizeof(*out), cmp_member);
	return n;
}

static unsigned
collect(const struct entry *v, unsigned n, const char *group, struct membership_member *out,
    unsigned max)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n && k < max; i++) {
		if (strcmp(v[i].group, group) == 0) {
			out[k].nodeid = v[i].nodeid;
			out[k].pid = v[i].pid;
			k++;
		}
	}
	qsort(out, k, sizeof(*out), cmp_member);
	return k;
}

static bool
has_member(const struct membership_member *v, unsigned n, const struct membership_member *m)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i].nodeid == m->nodeid && v[i].pid == m->pid)
			return true;
	return false;
}

static void
flush_group(struct membership_groups *g, const char *group)
{
	struct membership_member now[256], before[256], joined[256], left[256];
	unsigned n = collect(g->known, g->n_known, group, now, 256);
	unsigned nb = collect(g->reported, g->n_reported, group, before, 256);
	unsigned nj = 0, nl = 0;

	for (unsigned i = 0; i < n; i++)
		if (!has_member(before, nb, &now[i]))
			joined[nj++] = now[i];
	for (unsigned i = 0; i < nb; i++)
		if (!has_member(now, n, &before[i]))
			left[nl++] = before[i];
	if (g->ops.change && (nj || nl))
		g->ops.change(g->arg, group, now, n, joined, nj, left, nl);
}

/* Tell the clients what changed since they were last told, group by group; never during
 * the re-synchronisation after a configuration change, so that every node reports the
 * same member lists at the same point of the ordered stream. */
static void
flush(struct membership_groups *g)
{
	if (g->syncing)
		return;
	for (unsigned i = 0; i < g->n_known + g->n_reported; i++) {
		const char *group =
		    i < g->n_known ? g->known[i].group : g->reported[i - g->n_known].group;
		bool seen = false;
		for (unsigned k = 0; k < i && !seen; k++)
			seen = strcmp(k < g->n_known ? g->known[k].group
						     : g->reported[k - g->n_known].group,
				   group) == 0;
		if (!seen)
			flush_group(g, group);
	}
	free(g->reported);
	g->reported = g->n_known ? xmemdup(g->known, g->n_known * sizeof(*g->known)) : NULL;
	g->n_reported = g->n_known;
}

static void
known_add(struct membership_groups *g, const char *group, uint32_t nodeid, uint32_t pid)
{
	if (find(g->known, g->n_known, group, nodeid, pid) >= 0)
		return;
	g->known = xreallocarray(g->known, g->n_known + 1, sizeof(*g->known));
	snprintf(g->known[g->n_known].group, sizeof(g->known[0].group), "%s", group);
	g->known[g->n_known].nodeid = nodeid;
	g->known[g->n_known].pid = pid;
	g->n_known++;
}

static void
known_del(struct membership_groups *g, unsigned idx)
{
	g->known[idx] = g->known[--g->n_known];
}

static void announce(struct membership_groups *g);

static int
send_simple(struct membership_groups *g, int kind, const char *group, uint32_t pid,
    const uint8_t *data, size_t len)
{
	size_t glen = strlen(group), total = 8 + glen + len;
	uint8_t *buf;
	int rc;

	if (g->announce_pending) {
		announce(g); /* the announce goes first: the synchronisation waits for it */
		if (g->announce_pending)
			return -1;
	}
	if (glen == 0 || glen > MEMBERSHIP_GROUP_NAME_MAX)
		return -1;
	buf = xmalloc(total);
	buf[0] = 1;
	buf[1] = (uint8_t)kind;
	put16(buf + 2, (uint16_t)glen);
	put32(buf + 4, pid);
	memcpy(buf + 8, group, glen);
	if (len)
		memcpy(buf + 8 + glen, data, len);
	rc = g->ops.send(g->arg, buf, total);
	free(buf);
	return rc;
}

int
membership_groups_join(struct membership_groups *g, const char *group, uint32_t pid)
{
	if (find(g->local, g->n_local, group, g->me, pid) < 0) {
		g->local = xreallocarray(g->local, g->n_local + 1, sizeof(*g->local));
		snprintf(g->local[g->n_local].group, sizeof(g->local[0].group), "%s", group);
		g->local[g->n_local].nodeid = g->me;
		g->local[g->n_local].pid = pid;
		g->n_local++;
	}
	return send_simple(g, KIND_JOIN, group, pid, NULL, 0);
}

int
membership_groups_leave(struct membership_groups *g, const char *group, uint32_t pid)
{
	int i = find(g->local, g->n_local, group, g->me, pid);

	if (i >= 0)
		g->local[i] = g->local[--g->n_local];
	return send_simple(g, KIND_LEAVE, group, pid, NULL, 0);
}

int
membership_groups_send(
    struct membership_groups *g, const char *group, uint32_t pid, const uint8_t *data, size_t len)
{
	return send_simple(g, KIND_MSG, group, pid, data, len);
}

static void
announce(struct membership_groups *g)
{
	size_t cap = 4, off = 4;
	uint8_t *buf;

	for (unsigned i = 0; i < g->n_local; i++)
		cap += 6 + strlen(g->local[i].group);
	buf = xmalloc(cap);
	buf[0] = 1;
	buf[1] = KIND_ANNOUNCE;
	put16(buf + 2, (uint16_t)g->n_local);
	for (unsigned i = 0; i < g->n_local; i++) {
		size_t glen = strlen(g->local[i].group);
		put16(buf + off, (uint16_t)glen);
		put32(buf + off + 2, g->local[i].pid);
		memcpy(buf + off + 6, g->local[i].group, glen);
		off += 6 + glen;
	}
	g->announce_pending = g->ops.send(g->arg, buf, off) != 0;
	if (g->announce_pending)
		log_warnx("membership: group announce not queued (ring queue full), will retry");
	free(buf);
}

static void
on_announce(struct membership_groups *g, uint32_t sender, const uint8_t *p, size_t len)
{
	uint16_t count = get16(p + 2);
	size_t off = 4;
	struct entry *list = xcalloc(count ? count : 1, sizeof(*list));

	for (unsigned i = 0; i < count; i++) {
		uint16_t glen;
		if (len - off < 6 || (glen = get16(p + off)) == 0 ||
		    glen > MEMBERSHIP_GROUP_NAME_MAX || len - off - 6 < glen) {
			g->malformed++;
			free(list);
			return;
		}
		list[i].nodeid = sender;
		list[i].pid = get32(p + off + 2);
		memcpy(list[i].group, p + off + 6, glen);
		list[i].group[glen] = 0;
		off += 6 + glen;
	}
	if (off != len) {
		g->malformed++;
		free(list);
		return;
	}
	/* the announce is the whole truth about its sender */
	for (unsigned i = 0; i < g->n_known;) {
		if (g->known[i].nodeid == sender &&
		    find(list, count, g->known[i].group, sender, g->known[i].pid) < 0)
			known_del(g, i);
		else
			i++;
	}
	for (unsigned i = 0; i < count; i++)
		known_add(g, list[i].group, sender, list[i].pid);
	free(list);
	if (g->syncing) {
		for (unsigned i = 0; i < g->n_expect; i++)
			if (g->expect[i] == sender)
				g->expect[i] = g->expect[--g->n_expect];
		if (g->n_expect == 0)
			g->syncing = false;
	}
	flush(g);
}

void
membership_groups_deliver(struct membership_groups *g, uint32_t sender, const uint8_t *p, size_t len)
{
	char group[MEMBERSHIP_GROUP_NAME_MAX + 1];
	uint16_t glen;
	uint32_t pid;
	int i;

	if (g->announce_pending)
		announce(g); /* deliveries free room in the ring's queue */
	if (len < 4 || p[0] != 1) {
		g->malformed++;
		return;
	}
	if (p[1] == KIND_ANNOUNCE) {
		on_announce(g, sender, p, len);
		return;
	}
	glen = get16(p + 2);
	if (len < 8 || glen == 0 || glen > MEMBERSHIP_GROUP_NAME_MAX || len - 8 < glen ||
	    memchr(p + 8, 0, glen) || p[1] < KIND_JOIN || p[1] > KIND_MSG) {
		g->malformed++;
		return;
	}
	pid = get32(p + 4);
	memcpy(group, p + 8, glen);
	group[glen] = 0;
	switch (p[1]) {
	case KIND_JOIN:
		known_add(g, group, sender, pid);
		flush(g);
		break;
	case KIND_LEAVE:
		i = find(g->known, g->n_known, group, sender, pid);
		if (i >= 0)
			known_del(g, (unsigned)i);
		flush(g);
		break;
	case KIND_MSG:
		if (g->ops.deliver)
			g->ops.deliver(g->arg, group, sender, pid, p + 8 + glen, len - 8 - glen);
		break;
	}
}

/* A regular configuration: forget everything and rebuild from every member's announce,
 * so that nodes coming from different partitions end with the same lists. */
void
membership_groups_confchg(struct membership_groups *g, const uint32_t *members, unsigned n)
{
	g->n_known = 0;
	g->syncing = true;
	g->n_expect = n > 64 ? 64 : n;
	memcpy(g->expect, members, g->n_expect * sizeof(uint32_t));
	announce(g);
}
