/*
 * peer.h - the request protocol's messages of the "stonithd" group
 * (include/paceline/msg/stonithd-peer.def: REQUEST, QUERY_REPLY, EXEC, EXEC_DONE, RESULT) on
 * lib/ipc's peer layer: encoded from and decoded to struct stonithd_msg (core.h). Used by
 * io.c and by the fuzz harness tests/fuzz/fuzz_fencepeer.c, so both run the same decoding.
 * CLEANUP and HISTORY_SYNC are io.c's own (pl_peer_handle on the decoder returned here).
 */
#ifndef STONITHD_PEER_H
#define STONITHD_PEER_H

#include <stddef.h>

#include "core.h"
#include "paceline/peer.h"

/* Each complete, checked message, its sender in m->from (valid during the call). */
typedef void (*stonithd_peer_fn)(struct stonithd_msg *m, void *arg);

/* A decoder for frames of up to frame_max bytes (one decoder per process). */
struct pl_peer *stonithd_peer_new(size_t frame_max, stonithd_peer_fn fn, void *arg);
/* Encode m into frames handed to send (false, with err, when it could not be sent). */
bool stonithd_peer_send(struct pl_peer *pp, pl_peer_send_fn send, void *send_arg,
    const struct stonithd_msg *m, struct pl_error *err);

#endif
