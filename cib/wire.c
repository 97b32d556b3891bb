/*
 * wire.c - encoding of the replicas' messages (see wire.h) and the join-sync election.
 * Pure functions: unit-tested in tests/unit/cib/test_cib_wire.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/exitcode.h"
#include "wire.h"

static void
pack_version(struct pl_pack *p, const struct pl_cib_version *v)
{
	pl_pack_u64(p, (uint64_t)v->admin_epoch);
	pl_pack_u64(p, (uint64_t)v->epoch);
	pl_pack_u64(p, (uint64_t)v->num_updates);
}

void
cib_wire_encode(struct pl_pack *p, const struct cib_wire *m)
{
	pl_pack_u32(p, CIB_WIRE_MAGIC);
	pl_pack_u32(p, CIB_WIRE_FORMAT);
	pl_pack_u32(p, m->kind);
	switch (m->kind) {
	case CIB_WIRE_UPDATE:
		pl_pack(p, "uuuIssxsss", m->req_id, m->op, m->flags, m->when, m->section,
			m->xpath, m->input, m->origin, m->client, m->user);
		break;
	case CIB_WIRE_VERSION:
		pl_pack(p, "Uu", m->view, m->round);
		pack_version(p, &m->version);
		pl_pack_str(p, m->digest);
		break;
	case CIB_WIRE_SYNC:
		pl_pack(p, "Uuuub", m->view, m->round, m->index, m->count, m->piece, m->piece_len);
		break;
	case CIB_WIRE_DIGEST:
		pl_pack_u64(p, m->view);
		pack_version(p, &m->version);
		pl_pack_str(p, m->digest);
		break;
	case CIB_WIRE_RESYNC:
	case CIB_WIRE_CHECK:
		pl_pack_u64(p, m->view);
		break;
	default:
		abort();
	}
}

static bool
unpack_version(struct pl_unpack *r, struct pl_cib_version *v)
{
	uint64_t a = 0, e = 0, n = 0;
	bool ok = pl_unpack(r, "UUU", &a, &e, &n);

	if (a > (uint64_t)LONG_MAX || e > (uint64_t)LONG_MAX || n > (uint64_t)LONG_MAX)
		return false;
	v->admin_epoch = (long)a;
	v->epoch = (long)e;
	v->num_updates = (long)n;
	return ok;
}

bool
cib_wire_decode(const void *data, size_t len, struct cib_wire *m, struct pl_error *e)
{
	struct pl_unpack r;
	uint32_t magic = 0, version = 0;
	bool ok;

	memset(m, 0, sizeof(*m));
	pl_unpack_init(&r, data, len);
	if (!pl_unpack(&r, "uuu", &magic, &version, &m->kind)) {
		pl_error_set(e, PL_EXIT_PROTOCOL, "cib message too short (%zu bytes)", len);
		return false;
	}
	if (magic != CIB_WIRE_MAGIC || version != CIB_WIRE_FORMAT) {
		pl_error_set(e, PL_EXIT_PROTOCOL, "cib message with magic %#x version %u "
			     "(expected %#x version %u)", magic, version, CIB_WIRE_MAGIC,
			     CIB_WIRE_FORMAT);
		return false;
	}
	switch (m->kind) {
	case CIB_WIRE_UPDATE:
		ok = pl_unpack(&r, "uuuIssxsss", &m->req_id, &m->op, &m->flags, &m->when,
			       &m->section, &m->xpath, &m->input, &m->origin, &m->client, &m->user);
		break;
	case CIB_WIRE_VERSION:
		ok = pl_unpack(&r, "Uu", &m->view, &m->round) && unpack_version(&r, &m->version) &&
		     pl_unpack_str(&r, &m->digest);
		break;
	case CIB_WIRE_SYNC:
		ok = pl_unpack(&r, "Uuuub", &m->view, &m->round, &m->index, &m->count, &m->piece,
			       &m->piece_len) && m->count > 0 && m->index < m->count;
		break;
	case CIB_WIRE_DIGEST:
		ok = pl_unpack_u64(&r, &m->view) && unpack_version(&r, &m->version) &&
		     pl_unpack_str(&r, &m->digest);
		break;
	case CIB_WIRE_RESYNC:
	case CIB_WIRE_CHECK:
		ok = pl_unpack_u64(&r, &m->view);
		break;
	default:
		pl_error_set(e, PL_EXIT_PROTOCOL, "cib message of unknown kind %u", m->kind);
		return false;
	}
	if (!ok || !pl_unpack_end(&r)) {
		if (pl_unpack_failed(&r))
			pl_unpack_error(&r, e);
		else
			pl_error_set(e, PL_EXIT_PROTOCOL, "cib message of kind %u malformed",
				     m->kind);
		return false;
	}
	return true;
}

size_t
cib_wire_elect(const struct pl_cib_version *v, const uint32_t *nodeid, size_t n)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++) {
		int c = pl_cib_version_cmp(&v[i], &v[best]);

		if (c > 0 || (c == 0 && nodeid[i] < nodeid[best]))
			best = i;
	}
	return best;
}
