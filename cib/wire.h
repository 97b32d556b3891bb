/*
 * wire.h - what paceline-cib replicas exchange on the membership group "cib": the kinds are
 * declared once in include/paceline/msg/cib-peer.def and travel through the peer layer
 * (include/paceline/peer.h: one checked decoder, pieces for large messages). This file keeps
 * the CIB-specific helpers around them.
 *
 *	CIB_UPDATE   a client's update, applied by every replica in the group's order
 *	CIB_VERSION  join sync: "this is what I have" (version + digest)
 *	CIB_SYNC     join sync: the winner's whole CIB (one message; the peer layer cuts it)
 *	CIB_CHECK    periodic comparison: "everyone, tell your state at this point"
 *	CIB_DIGEST   the answer to CHECK
 *	CIB_RESYNC   divergence seen: sync again
 */
#ifndef CIB_WIRE_H
#define CIB_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/cib.h"
#include "paceline/peer.h"

/* A version from its three wire fields; false when one does not fit a long. */
bool cib_wire_version(
    uint64_t admin_epoch, uint64_t epoch, uint64_t num_updates, struct pl_cib_version *v);

/* The winner of a join sync among n versions: the highest (admin_epoch, epoch); at equal
 * configuration a replica whose status section is the cluster's (known: it has been through
 * a sync or served alone) over one that only loaded cib.xml (its num_updates comes from the
 * file but its status section is empty); then the highest num_updates; ties to the lowest
 * node id. Returns its index. */
size_t cib_wire_elect(
    const struct pl_cib_version *v, const bool *known, const uint32_t *nodeid, size_t n);

#endif
