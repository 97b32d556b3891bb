/*
 * outbox.h - what the harnessed node sends to its group, kept until the current input is
 * handled and then delivered back to it through its decoder, as the group delivers a
 * member's own messages (fuzz_attrdpeer.c, fuzz_fencepeer.c). Frames beyond FUZZ_OUTBOX_MAX
 * per input are dropped, as a full send queue would.
 */
#ifndef PL_FUZZ_OUTBOX_H
#define PL_FUZZ_OUTBOX_H

#include "paceline/peer.h"
#include "paceline/xalloc.h"

#define FUZZ_OUTBOX_MAX 256

struct fuzz_outbox {
	void *frame[FUZZ_OUTBOX_MAX];
	size_t len[FUZZ_OUTBOX_MAX];
	unsigned n;
};

/* A pl_peer_send_fn: arg is the outbox. */
static inline bool
fuzz_outbox_put(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	struct fuzz_outbox *ob = arg;

	(void)err;
	if (ob->n < FUZZ_OUTBOX_MAX) {
		ob->frame[ob->n] = xmemdup(frame, len);
		ob->len[ob->n++] = len;
	}
	return true;
}

/* Delivers the frames to dec as node 1 (pid 101) sent them; drops them without dec. */
static inline void
fuzz_outbox_flush(struct fuzz_outbox *ob, struct pl_peer *dec)
{
	for (unsigned i = 0; i < ob->n; i++) {
		if (dec != NULL)
			pl_peer_receive(dec, 1, 101, ob->frame[i], ob->len[i]);
		free(ob->frame[i]);
	}
	ob->n = 0;
}

#endif
