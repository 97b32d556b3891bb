/*
 * peer.h - the wire encoding of the messages controllers exchange in membership's `crmd`
 * group (struct crmd_msg of fsm.h), plus the daemon's own state query. Fixed widths, network
 * byte order (lib/ipc's pack.h), a version word first; every field is checked while decoding
 * and a message must be consumed exactly, so a malformed packet is dropped (and logged once
 * by the caller) before the state machine sees it. Membership has already authenticated it.
 *
 * Encoding (pack.h letters): u version, u type, u to, U id, then per type:
 *   VOTE "UUu"  JOIN_REQUEST "uuu"  JOIN_ACK "u"  JOIN_CONFIRM u n + n results
 *   ACTION action  ACTION_RESULT result  REFRESH "us" (has, rsc)  others: nothing
 *   STATE_QUERY: nothing   STATE_REPLY "s" (the controller's state name)
 */
#ifndef CRMD_PEER_H
#define CRMD_PEER_H

#include <stdbool.h>
#include <stddef.h>

#include "fsm.h"
#include "paceline/pack.h"

#define CRMD_PEER_VERSION 1

/* The daemon's own peer messages, after the state machine's (crmadmin -S NODE). */
enum {
	CRMD_PEER_STATE_QUERY = 100,	/* id = the asker's request number */
	CRMD_PEER_STATE_REPLY,
};

/* A decoded peer message: the state machine's, or one of the daemon's own. */
struct crmd_peer_msg {
	struct crmd_msg m;		/* m.type may be CRMD_PEER_STATE_* */
	char *state;			/* STATE_REPLY */
};

void crmd_peer_encode(struct pl_pack *p, const struct crmd_msg *m, const char *state);
/* false with err (which field, where) on a malformed message. */
bool crmd_peer_decode(const void *data, size_t len, struct crmd_peer_msg *out,
		      struct pl_error *err);
void crmd_peer_clear(struct crmd_peer_msg *pm);

#endif
