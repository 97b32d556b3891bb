/*
 * core.h - paceline-attrd's node-attribute store as a pure state machine: no sockets, no
 * clock, no CIB. Inputs are what the "attrd" membership group delivers (updates and sync
 * messages, in agreed order, and configuration changes), timer expiries and the outcome of
 * CIB writes; outputs go through struct attrd_ops (send a sync, arm a timer, write to the
 * CIB, clear a node's transient attributes). The daemon (server.c, cibio.c, main.c) and the
 * seeded simulator of tests/unit/attrd drive this very code.
 *
 * Every node holds every value: a client's update is broadcast to the group and applied by
 * every member, the sender included, at its place in the agreed order, so members that saw
 * the same messages hold the same values. One member, the writer, puts them in the CIB.
 *
 *                 group change (members M, with joins)
 *     +----------------------------------------------------------+
 *     |                                                          |
 *     v          every member broadcasts SYNC(M's hash,          |
 *  +--------+    fresh?, its whole view)            +---------+  |
 *  |  SYNC  |-------------------------------------->|  SYNC   |--+
 *  | (wait) |  updates delivered meanwhile are     | complete|
 *  +--------+  queued, in order                    +---------+
 *     ^                                                 |  merge (same on every node):
 *     | group change with joins                         |  host H of M, not fresh: H's own view
 *     |                                                 |  any other host: the view of the
 *  +--------+   update: apply; the writer writes        |  lowest non-fresh member
 *  | STABLE |<------------------------------------------+  then the queued updates;
 *  +--------+   (after the attribute's dampening)          the writer writes everything
 *     |  ^
 *     +--+ group change without joins: a member that left and whose node is gone from the
 *          ring (ops->node_alive false) loses its values, the writer clears them in the CIB;
 *          one whose node stays keeps them until attrd_core_node_lost() (a clean stop)
 *
 *  writer = the member with the lowest node id (group membership is agreed: no votes).
 *  A member whose attrd restarted (fresh: it has seen no one else since it started) takes
 *  its own values from the others, so killing attrd loses nothing.
 *
 * Deletes are values: a deleted value stays as a tombstone (until its host leaves), travels in
 * the sync views and is written again by a new writer, so a delete made on one side of a
 * partition is not undone at the heal by a CIB copy from the other side that still holds the
 * value (the merged view is the writer's; a tombstone wins over an absence).
 *
 * Writes: one CIB update in flight at a time; values that change meanwhile go in the next
 * one (batching). An attribute with a dampening delay is written when no change came for the
 * delay (each change restarts its timer, as Pacemaker's attrd). A failed write is retried
 * after ATTRD_RETRY_MS. Private attributes are never written.
 */
#ifndef ATTRD_CORE_H
#define ATTRD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTRD_RETRY_MS 2000

/* Flags of an update: the bits of include/paceline/attrd_client.h. */
enum {
	ATTRD_U_VALUE = 1u << 0,     /* set the value (NULL or "" deletes it) */
	ATTRD_U_DELAY = 1u << 1,     /* set the dampening delay of the attribute */
	ATTRD_U_PRIVATE = 1u << 2,   /* a new attribute is never written to the CIB */
	ATTRD_U_PATTERN = 1u << 3,   /* name is a regular expression over known attributes */
	ATTRD_U_UTIL = 1u << 4,	     /* a new attribute is a utilization attribute */
	ATTRD_U_REFRESH = 1u << 5,   /* the writer writes every value again (attrd_updater -R) */
	ATTRD_U_ALL_HOSTS = 1u << 6, /* with PATTERN: on every host (crm_resource --cleanup) */
	ATTRD_U_LOST = 1u << 15	     /* internal, never on the wire: host's node left the ring */
};

struct attrd_update {
	const char *host; /* the node the value belongs to (never "") */
	const char *name;
	const char *value; /* NULL: delete */
	const char *set;   /* NULL: status-<nodeid> */
	uint32_t dampen_ms;
	uint32_t flags;
};

/* One value in a sync message or a CIB write. */
struct attrd_entry {
	const char *host;
	const char *name;
	const char *value; /* NULL: deleted (a write removes the nvpair) */
	const char *set;   /* NULL: the default set */
	uint32_t dampen_ms;
	bool private_, util;
};

struct attrd_member {
	uint32_t nodeid;
	const char *host;
};

struct attrd_ops {
	/* Broadcast this member's sync message for the configuration `hash`. */
	void (*send_sync)(
	    void *arg, uint64_t hash, bool fresh, const struct attrd_entry *v, size_t n);
	/* Arm (ms > 0, restarting it) or cancel (ms == 0) the timer of attribute `name`; name
	 * NULL is the retry timer. Expiry: attrd_core_timer(). */
	void (*timer)(void *arg, const char *name, uint32_t ms);
	/* Write these values to the CIB; completion: attrd_core_write_done(id, rc). false when
	 * it could not be started (retried later). */
	bool (*write)(void *arg, uint64_t id, const struct attrd_entry *v, size_t n);
	/* Remove host's transient attributes from the CIB (its node left). */
	void (*clear_host)(void *arg, const char *host);
	/* Is host's node still in the membership ring? (An attrd that left the group on a node
	 * that stays is restarting: its values are kept.) */
	bool (*node_alive)(void *arg, const char *host);
	/* One log line. */
	void (*log)(void *arg, const char *line);
};

enum attrd_state { ATTRD_ST_STABLE, ATTRD_ST_SYNC };

struct attrd_core;

struct attrd_core *attrd_core_new(
    const char *self, uint32_t self_id, const struct attrd_ops *ops, void *arg);
void attrd_core_free(struct attrd_core *c);

/* The group's new configuration (members sorted or not; self must be among them). */
void attrd_core_group_change(struct attrd_core *c, const struct attrd_member *members, size_t n,
    const struct attrd_member *left, size_t nl, bool joins);
void attrd_core_update(struct attrd_core *c, const struct attrd_update *u);
/* host's node left the membership ring. A member whose attrd left the group while its node
 * stayed (a restart, or the first step of a clean stop: attrd stops before membership) kept
 * its values; now they go, on every member, and the writer clears them in the CIB. Nothing
 * happens when host's attrd is a member. During a sync it is queued like an update. */
void attrd_core_node_lost(struct attrd_core *c, const char *host);
void attrd_core_sync(struct attrd_core *c, uint32_t sender, uint64_t hash, bool fresh,
    const struct attrd_entry *v, size_t n);
void attrd_core_timer(struct attrd_core *c, const char *name);
void attrd_core_write_done(struct attrd_core *c, uint64_t id, int rc);

/* Queries of the local copy. */
const char *attrd_core_value(const struct attrd_core *c, const char *name, const char *host);
bool attrd_core_known(const struct attrd_core *c, const char *name);
/* Every (host, value) of name, sorted by host; returns the count. Caller frees *hosts and
 * *values (the arrays, not the strings, which stay valid until the next input). */
size_t attrd_core_values(
    const struct attrd_core *c, const char *name, const char ***hosts, const char ***values);
/* Every live entry (not deleted), for checks: caller frees the array. */
size_t attrd_core_dump(const struct attrd_core *c, struct attrd_entry **out);

bool attrd_core_is_writer(const struct attrd_core *c);
enum attrd_state attrd_core_state(const struct attrd_core *c);
uint64_t attrd_core_writes(const struct attrd_core *c); /* CIB writes started */

/* The hash of a member list (order does not matter): the tag of sync messages. */
uint64_t attrd_members_hash(const struct attrd_member *members, size_t n);

#endif
