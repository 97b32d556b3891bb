/*
 * attrd.h - what the parts of paceline-attrd around the pure core (core.h) share:
 *	memb.c    membership: the ring's nodes, the "attrd" group, the peer messages
 *	cibio.c   the writer's CIB updates (status section, Pacemaker's format)
 *	server.c  the local IPC front end (attrd.def)
 *	main.c    the daemon skeleton, the core's ops and its timers
 */
#ifndef ATTRD_ATTRD_H
#define ATTRD_ATTRD_H

#include <stdbool.h>
#include <stdint.h>

#include "core.h"
#include "paceline/error.h"

/* main.c */
struct attrd_core *attrd_the_core(void);
void attrd_core_created(void); /* memb.c, once the node's identity is known */
extern const struct attrd_ops attrd_daemon_ops;

/* memb.c */
bool attrd_memb_start(int wait_ms, struct pl_error *err);
void attrd_memb_close(void);
const char *attrd_self(void);
uint32_t attrd_self_id(void);
uint32_t attrd_node_id(const char *host); /* nodelist; 0 unknown */
bool attrd_node_alive(const char *host);  /* in the ring now */
/* Queue an update for the group without waiting: sent(err NULL) once paceline-membership
 * took it, sent(err) when it could not (later, from the main loop). false with err (sent not
 * called) when it cannot even be queued. */
typedef void (*attrd_sent_fn)(const struct pl_error *err, void *arg);
bool attrd_memb_send_update(
    const struct attrd_update *u, attrd_sent_fn sent, void *arg, struct pl_error *err);
void attrd_memb_send_sync(uint64_t hash, bool fresh, const struct attrd_entry *v, size_t n);

/* cibio.c */
bool attrd_cib_connect(int wait_ms, struct pl_error *err);
void attrd_cib_close(void);
bool attrd_cib_write(uint64_t id, const struct attrd_entry *v, size_t n);
void attrd_cib_clear_host(const char *host);

/* server.c */
bool attrd_server_start(struct pl_error *err);
void attrd_server_stop(void);

#endif
