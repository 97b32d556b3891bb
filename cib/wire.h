/*
 * wire.h - the messages paceline-cib replicas exchange on the membership group "cib".
 *
 * Explicit, versioned, fixed-width encoding (include/paceline/pack.h: integers in network
 * byte order, strings with a length): every message starts with
 *	u32 magic 0x50434942 ("PCIB"), u32 wire version (CIB_WIRE_FORMAT, 1), u32 kind
 * and the kind's fields follow. A message whose magic, version, kind or fields do not decode
 * exactly is dropped and counted, never trusted.
 *
 *	UPDATE   u32 request id, u32 op, u32 flags, i64 when, s section, s xpath, x input,
 *	         s origin, s client, s user                       (a client's update, in order)
 *	VERSION  u64 view, u32 round, u64 admin_epoch, u64 epoch, u64 num_updates, s digest
 *	                                                          (join sync: "this is what I have")
 *	SYNC     u64 view, u32 round, u32 index, u32 count, b piece   (the winner's whole CIB, in
 *	                                                          pieces below the group's limit)
 *	CHECK    u64 key                                          (periodic comparison: "everyone,
 *	                                                          tell your state at this point")
 *	DIGEST   u64 key, u64 admin_epoch, u64 epoch, u64 num_updates, s digest   (the answer)
 *	RESYNC   u64 view                                         (divergence seen: sync again)
 */
#ifndef CIB_WIRE_H
#define CIB_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "paceline/cib.h"
#include "paceline/error.h"
#include "paceline/pack.h"

#define CIB_WIRE_MAGIC 0x50434942u
#define CIB_WIRE_FORMAT 1u
#define CIB_WIRE_PIECE (768 * 1024)	/* SYNC piece size, below PL_MEMBERSHIP_MSG_MAX */

enum cib_wire_kind {
	CIB_WIRE_UPDATE = 1,
	CIB_WIRE_VERSION,
	CIB_WIRE_SYNC,
	CIB_WIRE_DIGEST,
	CIB_WIRE_RESYNC,
	CIB_WIRE_CHECK,
};

/* A decoded message; strings and blobs point into the received buffer. */
struct cib_wire {
	uint32_t kind;
	/* UPDATE */
	uint32_t req_id, op, flags;
	int64_t when;
	const char *section, *xpath, *input, *origin, *client, *user;
	/* VERSION, SYNC, DIGEST, RESYNC */
	uint64_t view;		/* VERSION, SYNC, RESYNC; the key of CHECK and DIGEST */
	uint32_t round, index, count;
	struct pl_cib_version version;
	const char *digest;
	const void *piece;
	size_t piece_len;
};

/* Encode m (by m->kind) into p (appended). */
void cib_wire_encode(struct pl_pack *p, const struct cib_wire *m);
/* Decode; false with e set when anything is wrong. */
bool cib_wire_decode(const void *data, size_t len, struct cib_wire *m, struct pl_error *e);

/* The winner of a join sync among n versions: the highest (admin_epoch, epoch, num_updates),
 * ties to the lowest node id. Returns its index. */
size_t cib_wire_elect(const struct pl_cib_version *v, const uint32_t *nodeid, size_t n);

#endif
