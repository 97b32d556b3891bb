/*
 * peer.h - the state machine's peer messages (struct crmd_msg of fsm.h) on the inter-node
 * message table (include/paceline/msg/crmd-peer.def, lib/ipc's peer.h): one kind per message
 * type, sent to membership's `crmd` group, checked by lib/ipc's decoder before it is decoded
 * here. Plus the daemon's own state query (crmadmin -S NODE).
 */
#ifndef CRMD_PEER_H
#define CRMD_PEER_H

#include <stdbool.h>
#include <stddef.h>

#include "fsm.h"
#include "paceline/peer.h"

/* The daemon's own kinds, after the state machine's types. */
enum {
	CRMD_PEER_STATE_QUERY = 100, /* id = the asker's request number */
	CRMD_PEER_STATE_ANSWER,
};

/* A decoded peer message: the state machine's, or one of the daemon's own. */
struct crmd_peer_msg {
	struct crmd_msg m; /* m.type may be CRMD_PEER_STATE_*; m.from set */
	char *state;	   /* STATE_ANSWER */
};

typedef void (*crmd_peer_fn)(struct crmd_peer_msg *pm, void *arg);

/* A decoder for group `crmd` whose complete messages go to fn(pm, arg). */
struct pl_peer *crmd_peer_new(size_t frame_max, crmd_peer_fn fn, void *arg);
/* The kind and the fields of m (and state for STATE_ANSWER), through send. */
bool crmd_peer_send(struct pl_peer *pp, pl_peer_send_fn send, void *send_arg,
    const struct crmd_msg *m, const char *state, struct pl_error *err);
void crmd_peer_clear(struct crmd_peer_msg *pm);

/* The history blob of JOIN_CONFIRM (u32 count + results), exposed for the unit test. */
void crmd_peer_pack_history(struct pl_pack *p, const struct crmd_op_result *ops, size_t n);
bool crmd_peer_unpack_history(const void *data, size_t len, struct crmd_op_result **ops, size_t *n);

#endif
