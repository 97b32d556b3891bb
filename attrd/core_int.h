/*
 * core_int.h - what core.c and core_sync.c share (not for the daemon).
 */
#ifndef ATTRD_CORE_INT_H
#define ATTRD_CORE_INT_H

#include <glib.h>

#include "core.h"

struct attrd_value {
	char *value; /* NULL: deleted (a tombstone, kept until its host leaves) */
	bool dirty;  /* changed since the writer last wrote it */
};

struct attrd_attr {
	char *name;
	char *set; /* NULL: the default set */
	uint32_t dampen_ms;
	bool private_, util;
	bool timer_on;	    /* the writer's dampening timer runs */
	GHashTable *values; /* host -> struct attrd_value */
};

struct attrd_sync_in {
	bool got, fresh;
	uint32_t nodeid;
	char *host;
	struct attrd_entry *v; /* copies */
	size_t n;
};

struct attrd_core {
	char *self;
	uint32_t self_id;
	const struct attrd_ops *ops;
	void *arg;
	GHashTable *attrs; /* name -> struct attrd_attr */
	bool fresh;	   /* no merge done since start */
	bool writer;
	enum attrd_state state;
	struct attrd_member *members; /* copies (host strings owned) */
	size_t n_members;
	uint64_t hash;		      /* of the current configuration */
	struct attrd_sync_in *syncs;  /* one per member while in SYNC */
	GQueue *queue;		      /* updates delivered during SYNC */
	struct attrd_entry *inflight; /* the write in flight (copies) */
	size_t n_inflight;
	uint64_t inflight_id, next_write, writes;
	bool retry_on;
};

void attrd__log(struct attrd_core *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
GHashTable *attrd__attrs_new(void);
struct attrd_attr *attrd__attr_add(GHashTable *attrs, const char *name, const char *set,
    uint32_t dampen_ms, bool private_, bool util);
bool attrd__value_set(struct attrd_attr *a, const char *host, const char *value);
void attrd__value_put(struct attrd_attr *a, const char *host, const char *value);
/* Every value, tombstones (value NULL) too when asked: caller frees the array. */
size_t attrd__view(const struct attrd_core *c, struct attrd_entry **out, bool tombstones);
void attrd__host_lost(struct attrd_core *c, const char *host);
void attrd__dirty_all(struct attrd_core *c);
void attrd__write_now(struct attrd_core *c);
void attrd__update_free(struct attrd_update *u);
void attrd__members_clear(struct attrd_core *c);
void attrd__syncs_clear(struct attrd_core *c);

#endif
