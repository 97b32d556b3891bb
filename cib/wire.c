/*
 * wire.c - helpers for the replicas' messages (see wire.h) and the join-sync election.
 * Pure functions: unit-tested in tests/unit/cib-daemon/test_cib_wire.c.
 */
#include <limits.h>

#include "wire.h"

bool
cib_wire_version(uint64_t admin_epoch, uint64_t epoch, uint64_t num_updates, struct pl_cib_version *v)
{
	if (admin_epoch > (uint64_t)LONG_MAX || epoch > (uint64_t)LONG_MAX ||
	    num_updates > (uint64_t)LONG_MAX)
		return false;
	v->admin_epoch = (long)admin_epoch;
	v->epoch = (long)epoch;
	v->num_updates = (long)num_updates;
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
