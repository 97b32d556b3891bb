/*
 * peer.h - the messages of the "attrd" group (include/paceline/msg/attrd-peer.def) on lib/ipc's
 * peer layer (include/paceline/peer.h): one decoder whose handlers hand every checked message
 * to a core (core.h), and the packing of a sync message's entries. Used by memb.c and by the
 * fuzz harness tests/fuzz/fuzz_attrdpeer.c, so both run the very same decoding.
 */
#ifndef ATTRD_PEER_H
#define ATTRD_PEER_H

#include <stddef.h>

#include "core.h"
#include "paceline/pack.h"
#include "paceline/peer.h"

/* A decoder for frames of up to frame_max bytes: UPDATE and SYNC go to core. */
struct pl_peer *attrd_peer_new(size_t frame_max, struct attrd_core *core);
/* A sync message's blob: u32 count, then per entry host, name, value ("" deleted), set (""
 * default), dampening ms, bits (1 private, 2 utilization). */
void attrd_peer_pack_entries(struct pl_pack *p, const struct attrd_entry *v, size_t n);

#endif
