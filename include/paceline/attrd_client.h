/*
 * attrd_client.h - talking to paceline-attrd (messages in include/paceline/msg/attrd.def):
 * what attrd_updater, crm_attribute -l reboot and crmd use.
 *
 *	struct pl_attrd_update u = { .name = "pingd", .value = "100", .flags = PL_ATTRD_VALUE };
 *	rc = pl_attrd_update(NULL, &u, 5000, &err);	// 0, 102 no daemon, 105 unknown node, ...
 *
 * An update is answered once attrd has broadcast it to every node's attrd (it is then applied
 * everywhere in the same order); the CIB is written after the attribute's dampening.
 */
#ifndef PACELINE_ATTRD_CLIENT_H
#define PACELINE_ATTRD_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "paceline/error.h"

/* Flags of an update (the same bits travel between nodes). */
#define PL_ATTRD_VALUE	   (1u << 0) /* set the value ("" or NULL deletes it) */
#define PL_ATTRD_DELAY	   (1u << 1) /* set the attribute's dampening */
#define PL_ATTRD_PRIVATE   (1u << 2) /* a new attribute is never written to the CIB */
#define PL_ATTRD_PATTERN   (1u << 3) /* name is a regular expression */
#define PL_ATTRD_UTIL	   (1u << 4) /* a new attribute is a utilization attribute */
#define PL_ATTRD_REFRESH   (1u << 5) /* write every value to the CIB again */
#define PL_ATTRD_ALL_HOSTS (1u << 6) /* with PATTERN: on every node */

struct pl_attrd_update {
	const char *host;  /* NULL or "": this node */
	const char *name;  /* or the pattern */
	const char *value; /* NULL: delete */
	const char *set;   /* NULL: status-<nodeid> */
	uint32_t dampen_ms;
	uint32_t flags;
};

struct pl_attrd;
/* Connect within timeout_ms; NULL with err 102 when the daemon is absent. */
struct pl_attrd *pl_attrd_connect(int timeout_ms, struct pl_error *err);
void pl_attrd_disconnect(struct pl_attrd *a);
struct pl_ipc_conn *pl_attrd_ipc(struct pl_attrd *a);

/* One update; a NULL connection connects for this call only. 0 or an exit code (err set). */
int pl_attrd_update(
    struct pl_attrd *a, const struct pl_attrd_update *u, int timeout_ms, struct pl_error *err);
/* The values of name: on host (NULL: this node) or on every node (all). *kv receives a
 * NULL-terminated host, value, host, value, ... array of copies (free with
 * pl_attrd_kv_free). 0, 105 when attrd does not know the attribute, or another code. */
int pl_attrd_query(struct pl_attrd *a, const char *name, const char *host, bool all, int timeout_ms,
    char ***kv, struct pl_error *err);
void pl_attrd_kv_free(char **kv);

/* Without waiting for the answer (crmd on its main loop): false when not sent. */
bool pl_attrd_update_nowait(
    struct pl_attrd *a, const struct pl_attrd_update *u, struct pl_error *err);

#endif
