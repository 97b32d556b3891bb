/* fuzz_cibwire.c - the frames paceline-cib replicas exchange through the membership group,
 * as they arrive: lib/ipc's peer decoder (include/paceline/peer.h) with the CIB's kinds, a
 * small frame size so that messages come in pieces from several senders.
 *
 * Input: a sequence of frames, each [u8 sender 0..3][u16 length, network order][bytes].
 * Oracle: every frame is accepted or counted under exactly one reason, and a message handed
 * to a handler matches its kind's signature (the decoder promised to check it). */
#include <string.h>

#include "paceline/pack.h"
#include "paceline/peer.h"
#include "fuzz.h"

static uint64_t handled;

static void
on_any(const struct pl_peer_msg *m, void *arg)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	FUZZ_CHECK(m->def != NULL && m->def->service == PL_SVC_CIB);
	FUZZ_CHECK(pl_pack_check(m->def->sig, m->payload, m->len, &err));
	handled++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_peer *pp = pl_peer_new(PL_SVC_CIB, 256, NULL);
	uint64_t frames = 0, accepted = 0, rejected = 0;

	for (unsigned k = PL_SVC_CIB << 8; k < (PL_SVC_CIB + 1u) << 8; k++)
		if (pl_peer_def(k) != NULL && pl_peer_def(k)->service == PL_SVC_CIB)
			pl_peer_handle(pp, (enum pl_peer_kind)k, on_any);
	handled = 0;
	while (size >= 3) {
		unsigned sender = data[0] % 4;
		size_t len = (size_t)data[1] << 8 | data[2];

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		frames++;
		if (pl_peer_receive(pp, 1 + sender, 100 + sender, data, len))
			accepted++;
		data += len;
		size -= len;
	}
	for (int why = 0; why < PL_PEER_REJ_COUNT; why++)
		rejected += pl_peer_rejects(pp, (enum pl_peer_reject)why);
	FUZZ_CHECK(handled == pl_peer_delivered(pp));
	FUZZ_CHECK(accepted + rejected >= frames);
	pl_peer_free(pp);
	return 0;
}
