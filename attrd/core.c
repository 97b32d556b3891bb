/*
 * core.c - see core.h: the attribute store, the writer and its batched CIB writes. The sync
 * at a configuration change (collect every member's view, merge) is in core_sync.c.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "paceline/xalloc.h"

static void
value_free(gpointer p)
{
	struct attrd_value *v = p;

	free(v->value);
	free(v);
}

static void
attr_free(gpointer p)
{
	struct attrd_attr *a = p;

	g_hash_table_destroy(a->values);
	free(a->name);
	free(a->set);
	free(a);
}

void
attrd__log(struct attrd_core *c, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (c->ops->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->ops->log(c->arg, line);
}

GHashTable *
attrd__attrs_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, NULL, attr_free);
}

struct attrd_attr *
attrd__attr_add(GHashTable *attrs, const char *name, const char *set, uint32_t dampen_ms,
    bool private_, bool util)
{
	struct attrd_attr *a = g_hash_table_lookup(attrs, name);

	if (a != NULL)
		return a;
	a = XNEW(struct attrd_attr);
	a->name = xstrdup(name);
	a->set = set != NULL && set[0] != '\0' ? xstrdup(set) : NULL;
	a->dampen_ms = dampen_ms;
	a->private_ = private_;
	a->util = util;
	a->values = g_hash_table_new_full(g_str_hash, g_str_equal, free, value_free);
	g_hash_table_insert(attrs, a->name, a);
	return a;
}

/* Set host's value (NULL deletes); true when it changed. */
bool
attrd__value_set(struct attrd_attr *a, const char *host, const char *value)
{
	struct attrd_value *v = g_hash_table_lookup(a->values, host);

	if (value != NULL && value[0] == '\0')
		value = NULL;
	if (v == NULL) {
		if (value == NULL)
			return false;
		v = XNEW(struct attrd_value);
		g_hash_table_insert(a->values, xstrdup(host), v);
	} else if ((v->value == NULL && value == NULL) ||
	    (v->value != NULL && value != NULL && strcmp(v->value, value) == 0)) {
		return false;
	}
	free(v->value);
	v->value = value != NULL ? xstrdup(value) : NULL;
	v->dirty = true;
	return true;
}

/* Set host's value as a merge found it: a deletion (NULL or "") is kept as a tombstone, so the
 * writer writes it again (the CIB copy that won a heal may still hold the value). */
void
attrd__value_put(struct attrd_attr *a, const char *host, const char *value)
{
	struct attrd_value *v = g_hash_table_lookup(a->values, host);

	if (value != NULL && value[0] == '\0')
		value = NULL;
	if (v == NULL) {
		v = XNEW(struct attrd_value);
		g_hash_table_insert(a->values, xstrdup(host), v);
	}
	free(v->value);
	v->value = value != NULL ? xstrdup(value) : NULL;
	v->dirty = true;
}

struct attrd_core *
attrd_core_new(const char *self, uint32_t self_id, const struct attrd_ops *ops, void *arg)
{
	struct attrd_core *c = XNEW(struct attrd_core);

	c->self = xstrdup(self);
	c->self_id = self_id;
	c->ops = ops;
	c->arg = arg;
	c->attrs = attrd__attrs_new();
	c->fresh = true;
	c->state = ATTRD_ST_STABLE;
	c->queue = g_queue_new();
	return c;
}

void
attrd__update_free(struct attrd_update *u)
{
	free((char *)u->host);
	free((char *)u->name);
	free((char *)u->value);
	free((char *)u->set);
	free(u);
}

static void
inflight_clear(struct attrd_core *c)
{
	for (size_t i = 0; i < c->n_inflight; i++) {
		free((char *)c->inflight[i].host);
		free((char *)c->inflight[i].name);
		free((char *)c->inflight[i].value);
		free((char *)c->inflight[i].set);
	}
	free(c->inflight);
	c->inflight = NULL;
	c->n_inflight = 0;
	c->inflight_id = 0;
}

void
attrd_core_free(struct attrd_core *c)
{
	if (c == NULL)
		return;
	g_hash_table_destroy(c->attrs);
	attrd__syncs_clear(c); /* first: it walks the members' slots */
	attrd__members_clear(c);
	g_queue_free_full(c->queue, (GDestroyNotify)attrd__update_free);
	inflight_clear(c);
	free(c->self);
	free(c);
}

/* ---- writing ---------------------------------------------------------------------------- */

/* Mark every value dirty (a new writer, a refresh, after a sync) and cancel the timers. */
void
attrd__dirty_all(struct attrd_core *c)
{
	GHashTableIter it, vit;
	gpointer k, p;

	g_hash_table_iter_init(&it, c->attrs);
	while (g_hash_table_iter_next(&it, &k, &p)) {
		struct attrd_attr *a = p;

		if (a->timer_on && c->ops->timer != NULL)
			c->ops->timer(c->arg, a->name, 0);
		a->timer_on = false;
		g_hash_table_iter_init(&vit, a->values);
		while (g_hash_table_iter_next(&vit, &k, &p))
			((struct attrd_value *)p)->dirty = true;
	}
}

static void
retry_arm(struct attrd_core *c)
{
	if (!c->retry_on) {
		c->retry_on = true;
		c->ops->timer(c->arg, NULL, ATTRD_RETRY_MS);
	}
}

/* The writer writes every dirty value of attributes whose dampening has run out, unless a
 * write is in flight (its completion calls here again) or a sync is going on. */
void
attrd__write_now(struct attrd_core *c)
{
	GHashTableIter it, vit;
	gpointer k, p;
	size_t n = 0, cap = 16;
	struct attrd_entry *v;

	if (!c->writer || c->inflight_id != 0 || c->state != ATTRD_ST_STABLE || c->retry_on)
		return;
	v = xcalloc(cap, sizeof(*v));
	g_hash_table_iter_init(&it, c->attrs);
	while (g_hash_table_iter_next(&it, &k, &p)) {
		struct attrd_attr *a = p;

		if (a->private_ || a->timer_on)
			continue;
		g_hash_table_iter_init(&vit, a->values);
		while (g_hash_table_iter_next(&vit, &k, &p)) {
			struct attrd_value *val = p;

			if (!val->dirty)
				continue;
			val->dirty = false;
			if (n == cap)
				v = xreallocarray(v, cap *= 2, sizeof(*v));
			v[n].host = xstrdup(k);
			v[n].name = xstrdup(a->name);
			v[n].value = val->value != NULL ? xstrdup(val->value) : NULL;
			v[n].set = a->set != NULL ? xstrdup(a->set) : NULL;
			v[n].dampen_ms = a->dampen_ms;
			v[n].util = a->util;
			v[n].private_ = false;
			n++;
		}
	}
	if (n == 0) {
		free(v);
		return;
	}
	c->inflight = v;
	c->n_inflight = n;
	c->inflight_id = ++c->next_write;
	c->writes++;
	if (!c->ops->write(c->arg, c->inflight_id, v, n))
		attrd_core_write_done(c, c->inflight_id, 1);
}

void
attrd_core_write_done(struct attrd_core *c, uint64_t id, int rc)
{
	if (id == 0 || id != c->inflight_id)
		return;
	for (size_t i = 0; i < c->n_inflight; i++) {
		const struct attrd_entry *e = &c->inflight[i];
		struct attrd_attr *a = g_hash_table_lookup(c->attrs, e->name);
		struct attrd_value *val = a ? g_hash_table_lookup(a->values, e->host) : NULL;

		/* a deletion written stays as a tombstone: a delete is a value, not an absence
		 * (core.h); it goes with its host */
		if (val != NULL && rc != 0)
			val->dirty = true;
	}
	if (rc != 0)
		attrd__log(c, "CIB write %llu of %zu value(s) failed (%d): retrying in %u ms",
		    (unsigned long long)id, c->n_inflight, rc, ATTRD_RETRY_MS);
	inflight_clear(c);
	if (rc != 0)
		retry_arm(c);
	else
		attrd__write_now(c);
}

void
attrd_core_timer(struct attrd_core *c, const char *name)
{
	if (name == NULL) {
		c->retry_on = false;
	} else {
		struct attrd_attr *a = g_hash_table_lookup(c->attrs, name);

		if (a == NULL)
			return;
		a->timer_on = false;
	}
	attrd__write_now(c);
}

/* ---- updates ---------------------------------------------------------------------------- */

#define SCORE_INFINITY 1000000

static long
score_of(const char *v)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "INFINITY") == 0 || strcmp(v, "+INFINITY") == 0)
		return SCORE_INFINITY;
	if (strcmp(v, "-INFINITY") == 0)
		return -SCORE_INFINITY;
	return strtol(v, NULL, 10);
}

/* Pacemaker's increments, "value++" and "value+=N", on the current value (missing = 0),
 * saturating at +/-INFINITY: the new value, or NULL when v is not an increment. */
static char *
expand_increment(const char *cur, const char *v)
{
	long n, sum;
	char buf[32];

	if (v == NULL)
		return NULL;
	if (strcmp(v, "value++") == 0)
		n = 1;
	else if (strncmp(v, "value+=", 7) == 0)
		n = score_of(v + 7);
	else
		return NULL;
	sum = score_of(cur) + n;
	if (sum >= SCORE_INFINITY)
		return xstrdup("INFINITY");
	if (sum <= -SCORE_INFINITY)
		return xstrdup("-INFINITY");
	snprintf(buf, sizeof(buf), "%ld", sum);
	return xstrdup(buf);
}

static void
apply_one(struct attrd_core *c, const struct attrd_update *u, const char *name, const char *host)
{
	struct attrd_attr *a = g_hash_table_lookup(c->attrs, name);
	bool changed = false;

	if (a == NULL) {
		if (!(u->flags & ATTRD_U_VALUE) || u->value == NULL || u->value[0] == '\0')
			return; /* deleting what does not exist */
		a = attrd__attr_add(c->attrs, name, u->set, u->dampen_ms,
		    (u->flags & ATTRD_U_PRIVATE) != 0, (u->flags & ATTRD_U_UTIL) != 0);
	}
	if ((u->flags & ATTRD_U_DELAY) && a->dampen_ms != u->dampen_ms) {
		GHashTableIter it;
		gpointer k, p;

		a->dampen_ms = u->dampen_ms;
		g_hash_table_iter_init(&it, a->values);
		while (g_hash_table_iter_next(&it, &k, &p))
			((struct attrd_value *)p)->dirty = true;
		changed = true;
	}
	if (u->flags & ATTRD_U_VALUE) {
		char *inc = expand_increment(attrd_core_value(c, name, host), u->value);

		changed |= attrd__value_set(a, host, inc != NULL ? inc : u->value);
		free(inc);
	}
	if (!changed || !c->writer || a->private_)
		return;
	if (a->dampen_ms > 0) {
		a->timer_on = true;
		c->ops->timer(c->arg, a->name, a->dampen_ms);
	} else {
		attrd__write_now(c);
	}
}

static void
apply_pattern(struct attrd_core *c, const struct attrd_update *u)
{
	regex_t re;
	GHashTableIter it;
	gpointer k, p;
	GPtrArray *names = g_ptr_array_new();

	if (regcomp(&re, u->name, REG_EXTENDED | REG_NOSUB) != 0) {
		attrd__log(c, "ignoring an update with the invalid pattern '%s'", u->name);
		g_ptr_array_free(names, true);
		return;
	}
	g_hash_table_iter_init(&it, c->attrs);
	while (g_hash_table_iter_next(&it, &k, &p))
		if (regexec(&re, k, 0, NULL, 0) == 0)
			g_ptr_array_add(names, xstrdup(k));
	regfree(&re);
	for (unsigned i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];

		if (u->flags & ATTRD_U_ALL_HOSTS) {
			const char **hosts, **values;
			size_t n = attrd_core_values(c, name, &hosts, &values);
			char **copy = xcalloc(n + 1, sizeof(char *));

			for (size_t j = 0; j < n; j++)
				copy[j] = xstrdup(hosts[j]);
			free(hosts);
			free(values);
			for (size_t j = 0; j < n; j++) {
				apply_one(c, u, name, copy[j]);
				free(copy[j]);
			}
			free(copy);
		} else {
			apply_one(c, u, name, u->host);
		}
		free(names->pdata[i]);
	}
	g_ptr_array_free(names, true);
}

static struct attrd_update *
update_copy(const struct attrd_update *u)
{
	struct attrd_update *q = XNEW(struct attrd_update);

	*q = *u;
	q->host = xstrdup(u->host);
	q->name = xstrdup(u->name);
	q->value = u->value != NULL ? xstrdup(u->value) : NULL;
	q->set = u->set != NULL ? xstrdup(u->set) : NULL;
	return q;
}

void
attrd_core_update(struct attrd_core *c, const struct attrd_update *u)
{
	if (c->state == ATTRD_ST_SYNC) {
		g_queue_push_tail(c->queue, update_copy(u));
		return;
	}
	if (u->flags & ATTRD_U_LOST) {
		attrd__host_lost(c, u->host);
		return;
	}
	if (u->flags & ATTRD_U_REFRESH) {
		if (c->writer) {
			attrd__log(c, "refresh: writing every value again");
			attrd__dirty_all(c);
			attrd__write_now(c);
		}
		return;
	}
	if (u->flags & ATTRD_U_PATTERN)
		apply_pattern(c, u);
	else
		apply_one(c, u, u->name, u->host);
}

/* ---- queries ---------------------------------------------------------------------------- */

const char *
attrd_core_value(const struct attrd_core *c, const char *name, const char *host)
{
	struct attrd_attr *a = g_hash_table_lookup(c->attrs, name);
	struct attrd_value *v = a ? g_hash_table_lookup(a->values, host) : NULL;

	return v != NULL ? v->value : NULL;
}

bool
attrd_core_known(const struct attrd_core *c, const char *name)
{
	return g_hash_table_lookup(c->attrs, name) != NULL;
}

static int
str_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

size_t
attrd_core_values(
    const struct attrd_core *c, const char *name, const char ***hosts, const char ***values)
{
	struct attrd_attr *a = g_hash_table_lookup(c->attrs, name);
	GHashTableIter it;
	gpointer k, p;
	size_t n = 0;

	*hosts = xcalloc(a ? g_hash_table_size(a->values) + 1 : 1, sizeof(char *));
	*values = xcalloc(a ? g_hash_table_size(a->values) + 1 : 1, sizeof(char *));
	if (a == NULL)
		return 0;
	g_hash_table_iter_init(&it, a->values);
	while (g_hash_table_iter_next(&it, &k, &p))
		if (((struct attrd_value *)p)->value != NULL)
			(*hosts)[n++] = k;
	qsort(*hosts, n, sizeof(char *), str_cmp);
	for (size_t i = 0; i < n; i++)
		(*values)[i] =
		    ((struct attrd_value *)g_hash_table_lookup(a->values, (*hosts)[i]))->value;
	return n;
}

size_t
attrd_core_dump(const struct attrd_core *c, struct attrd_entry **out)
{
	return attrd__view(c, out, false);
}

size_t
attrd__view(const struct attrd_core *c, struct attrd_entry **out, bool tombstones)
{
	GHashTableIter it, vit;
	gpointer k, p;
	size_t n = 0, cap = 16;
	struct attrd_entry *v = xcalloc(cap, sizeof(*v));

	g_hash_table_iter_init(&it, c->attrs);
	while (g_hash_table_iter_next(&it, &k, &p)) {
		struct attrd_attr *a = p;

		g_hash_table_iter_init(&vit, a->values);
		while (g_hash_table_iter_next(&vit, &k, &p)) {
			struct attrd_value *val = p;

			if (val->value == NULL && !tombstones)
				continue;
			if (n == cap)
				v = xreallocarray(v, cap *= 2, sizeof(*v));
			v[n].host = k;
			v[n].name = a->name;
			v[n].value = val->value;
			v[n].set = a->set;
			v[n].dampen_ms = a->dampen_ms;
			v[n].private_ = a->private_;
			v[n].util = a->util;
			n++;
		}
	}
	*out = v;
	return n;
}

bool
attrd_core_is_writer(const struct attrd_core *c)
{
	return c->writer;
}

enum attrd_state
attrd_core_state(const struct attrd_core *c)
{
	return c->state;
}

uint64_t
attrd_core_writes(const struct attrd_core *c)
{
	return c->writes;
}
