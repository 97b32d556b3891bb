/*
 * peer.c - the "attrd" group's messages (see peer.h): decoded by lib/ipc's peer layer
 * (magic, version, kind, lengths, signature), then the sync blob field by field here; every
 * malformed message is dropped with one log line naming its sender.
 */
#include <stdlib.h>

#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "peer.h"

static void
on_update(const struct pl_peer_msg *m, void *arg)
{
	struct attrd_update u;

	pl_peer_unpack(m, &u.host, &u.name, &u.value, &u.set, &u.dampen_ms, &u.flags);
	if (u.set[0] == '\0')
		u.set = NULL;
	u.flags &= ~(uint32_t)ATTRD_U_LOST; /* the core's own input, never a peer's */
	attrd_core_update(arg, &u);
}

static void
on_sync(const struct pl_peer_msg *m, void *arg)
{
	uint64_t hash;
	uint32_t fresh, n = 0, bits;
	const void *blob;
	size_t len;
	struct pl_unpack r;
	struct attrd_entry *v;
	bool ok = true;

	pl_peer_unpack(m, &hash, &fresh, &blob, &len);
	pl_unpack_init(&r, blob, len);
	if (!pl_unpack_count(&r, &n, 4)) {
		log_warnx("dropping a malformed sync message from node %u", m->nodeid);
		return;
	}
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (uint32_t i = 0; i < n && ok; i++) {
		ok = pl_unpack_str(&r, &v[i].host) && pl_unpack_str(&r, &v[i].name) &&
		    pl_unpack_str(&r, &v[i].value) && pl_unpack_str(&r, &v[i].set) &&
		    pl_unpack_u32(&r, &v[i].dampen_ms) && pl_unpack_u32(&r, &bits);
		v[i].private_ = (bits & 1u) != 0;
		v[i].util = (bits & 2u) != 0;
		if (v[i].set != NULL && v[i].set[0] == '\0')
			v[i].set = NULL;
	}
	if (!ok || !pl_unpack_end(&r)) {
		struct pl_error err = PL_ERROR_INIT;

		pl_unpack_error(&r, &err);
		log_warnx("dropping a malformed sync message from node %u: %s", m->nodeid, err.text);
		free(v);
		return;
	}
	attrd_core_sync(arg, m->nodeid, hash, fresh != 0, v, n);
	free(v);
}

struct pl_peer *
attrd_peer_new(size_t frame_max, struct attrd_core *core)
{
	struct pl_peer *pp = pl_peer_new(PL_SVC_ATTRD, frame_max, core);

	pl_peer_handle(pp, PL_PEER_ATTRD_UPDATE, on_update);
	pl_peer_handle(pp, PL_PEER_ATTRD_SYNC, on_sync);
	return pp;
}

void
attrd_peer_pack_entries(struct pl_pack *p, const struct attrd_entry *v, size_t n)
{
	pl_pack_u32(p, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		pl_pack_str(p, v[i].host);
		pl_pack_str(p, v[i].name);
		pl_pack_str(p, v[i].value ? v[i].value : "");
		pl_pack_str(p, v[i].set ? v[i].set : "");
		pl_pack_u32(p, v[i].dampen_ms);
		pl_pack_u32(p, (uint32_t)((v[i].private_ ? 1u : 0u) | (v[i].util ? 2u : 0u)));
	}
}
