/*
 * core_sync.c - see core.h: configuration changes, the writer, and the sync that makes every
 * member hold the same values after a join (every member sends its view, every member merges
 * the same views the same way).
 */
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "paceline/xalloc.h"

uint64_t
attrd_members_hash(const struct attrd_member *members, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	uint32_t *ids = xcalloc(n ? n : 1, sizeof(uint32_t));

	for (size_t i = 0; i < n; i++)
		ids[i] = members[i].nodeid;
	/* order-free: sort the ids first */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			uint32_t t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		h ^= ids[i];
		h *= 1099511628211ULL;
	}
	free(ids);
	return h;
}

void
attrd__members_clear(struct attrd_core *c)
{
	for (size_t i = 0; i < c->n_members; i++)
		free((char *)c->members[i].host);
	free(c->members);
	c->members = NULL;
	c->n_members = 0;
}

static void
entries_free(struct attrd_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)v[i].host);
		free((char *)v[i].name);
		free((char *)v[i].value);
		free((char *)v[i].set);
	}
	free(v);
}

void
attrd__syncs_clear(struct attrd_core *c)
{
	if (c->syncs == NULL)
		return;
	for (size_t i = 0; i < c->n_members; i++) {
		free(c->syncs[i].host);
		entries_free(c->syncs[i].v, c->syncs[i].n);
	}
	free(c->syncs);
	c->syncs = NULL;
}

/* Forget every value of host, tombstones included; true when there was any. */
static bool
drop_host(struct attrd_core *c, const char *host)
{
	GHashTableIter it;
	gpointer k, p;
	bool any = false;

	g_hash_table_iter_init(&it, c->attrs);
	while (g_hash_table_iter_next(&it, &k, &p))
		any |= g_hash_table_remove(((struct attrd_attr *)p)->values, host);
	return any;
}

static bool
is_member_host(const struct attrd_core *c, const char *host)
{
	for (size_t i = 0; i < c->n_members; i++)
		if (strcmp(c->members[i].host, host) == 0)
			return true;
	return false;
}

static void
sync_start(struct attrd_core *c)
{
	struct attrd_entry *v;
	size_t n;

	attrd__syncs_clear(c);
	c->syncs = xcalloc(c->n_members, sizeof(*c->syncs));
	for (size_t i = 0; i < c->n_members; i++) {
		c->syncs[i].nodeid = c->members[i].nodeid;
		c->syncs[i].host = xstrdup(c->members[i].host);
	}
	c->state = ATTRD_ST_SYNC;
	n = attrd__view(c, &v, true);
	c->ops->send_sync(c->arg, c->hash, c->fresh, v, n);
	free(v);
}

void
attrd_core_group_change(struct attrd_core *c, const struct attrd_member *members, size_t n,
    const struct attrd_member *left, size_t nl, bool joins)
{
	bool was_writer = c->writer;
	uint32_t low = UINT32_MAX;

	attrd__syncs_clear(c);
	attrd__members_clear(c);
	c->members = xcalloc(n ? n : 1, sizeof(*c->members));
	for (size_t i = 0; i < n; i++) {
		c->members[i].nodeid = members[i].nodeid;
		c->members[i].host = xstrdup(members[i].host);
		if (members[i].nodeid < low)
			low = members[i].nodeid;
	}
	c->n_members = n;
	c->hash = attrd_members_hash(members, n);
	c->writer = low == c->self_id;
	if (c->writer != was_writer)
		attrd__log(c, "%s the writer", c->writer ? "now" : "no longer");
	for (size_t i = 0; i < nl; i++) {
		if (is_member_host(c, left[i].host) || c->ops->node_alive(c->arg, left[i].host))
			continue; /* attrd restarting there: its values stay */
		attrd__log(c, "node %s left: clearing its transient attributes", left[i].host);
		drop_host(c, left[i].host);
		if (c->writer)
			c->ops->clear_host(c->arg, left[i].host);
	}
	if (joins || c->state == ATTRD_ST_SYNC) {
		sync_start(c);
		return;
	}
	if (c->writer && !was_writer) {
		attrd__dirty_all(c);
		attrd__write_now(c);
	}
}

void
attrd__host_lost(struct attrd_core *c, const char *host)
{
	if (is_member_host(c, host) || !drop_host(c, host))
		return; /* its attrd is in the group (the node is back), or nothing was kept */
	attrd__log(c, "node %s left the ring: clearing its transient attributes", host);
	if (c->writer)
		c->ops->clear_host(c->arg, host);
}

void
attrd_core_node_lost(struct attrd_core *c, const char *host)
{
	struct attrd_update u = { .host = host, .name = "", .flags = ATTRD_U_LOST };

	attrd_core_update(c, &u); /* queued during a sync, as an update delivered then */
}

static struct attrd_sync_in *
sync_slot(struct attrd_core *c, uint32_t nodeid)
{
	for (size_t i = 0; c->syncs != NULL && i < c->n_members; i++)
		if (c->syncs[i].nodeid == nodeid)
			return &c->syncs[i];
	return NULL;
}

static void
merge_entries(GHashTable *attrs, const struct attrd_sync_in *s, const struct attrd_core *c,
    bool own_only, const bool *authoritative)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct attrd_entry *e = &s->v[i];
		struct attrd_attr *a;
		bool skip = false;

		if (own_only) {
			if (strcmp(e->host, s->host) != 0)
				continue;
		} else {
			for (size_t m = 0; m < c->n_members; m++)
				if (authoritative[m] && strcmp(c->members[m].host, e->host) == 0)
					skip = true;
			if (skip)
				continue;
		}
		a = attrd__attr_add(attrs, e->name, e->set, e->dampen_ms, e->private_, e->util);
		attrd__value_put(a, e->host, e->value);
	}
}

/* Every member's view is in: the same merge on every node (core.h). */
static void
sync_finish(struct attrd_core *c)
{
	GHashTable *attrs = attrd__attrs_new();
	bool *auth = xcalloc(c->n_members, sizeof(bool));
	const struct attrd_sync_in *base = NULL;

	for (size_t i = 0; i < c->n_members; i++) {
		const struct attrd_sync_in *s = sync_slot(c, c->members[i].nodeid);

		auth[i] = !s->fresh;
		if (!s->fresh && (base == NULL || s->nodeid < base->nodeid))
			base = s;
	}
	if (base != NULL)
		merge_entries(attrs, base, c, false, auth);
	/* members' own values, in node id order so attribute definitions agree everywhere */
	for (uint32_t done = 0, last = 0; done < c->n_members; done++) {
		const struct attrd_sync_in *next = NULL;

		for (size_t i = 0; i < c->n_members; i++) {
			const struct attrd_sync_in *s = &c->syncs[i];

			if ((done == 0 || s->nodeid > last) &&
			    (next == NULL || s->nodeid < next->nodeid))
				next = s;
		}
		if (next == NULL)
			break;
		last = next->nodeid;
		if (!next->fresh)
			merge_entries(attrs, next, c, true, auth);
	}
	free(auth);
	attrd__dirty_all(c); /* cancels the timers of the old attributes */
	g_hash_table_destroy(c->attrs);
	c->attrs = attrs;
	attrd__dirty_all(c);
	attrd__syncs_clear(c);
	c->state = ATTRD_ST_STABLE;
	c->fresh = false;
	attrd__log(c, "sync done: %u attribute(s), %u queued update(s)",
	    g_hash_table_size(c->attrs), g_queue_get_length(c->queue));
	while (!g_queue_is_empty(c->queue)) {
		struct attrd_update *u = g_queue_pop_head(c->queue);

		attrd_core_update(c, u);
		attrd__update_free(u);
	}
	attrd__write_now(c);
}

void
attrd_core_sync(struct attrd_core *c, uint32_t sender, uint64_t hash, bool fresh,
    const struct attrd_entry *v, size_t n)
{
	struct attrd_sync_in *s;

	if (c->state != ATTRD_ST_SYNC || hash != c->hash)
		return; /* from an older configuration */
	if ((s = sync_slot(c, sender)) == NULL || s->got)
		return;
	s->got = true;
	s->fresh = fresh;
	s->n = n;
	s->v = xcalloc(n ? n : 1, sizeof(*s->v));
	for (size_t i = 0; i < n; i++) {
		s->v[i] = v[i];
		s->v[i].host = xstrdup(v[i].host);
		s->v[i].name = xstrdup(v[i].name);
		s->v[i].value = v[i].value ? xstrdup(v[i].value) : NULL;
		s->v[i].set = v[i].set ? xstrdup(v[i].set) : NULL;
	}
	for (size_t i = 0; i < c->n_members; i++)
		if (!c->syncs[i].got)
			return;
	sync_finish(c);
}
