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

/* Compare two candidates: configuration (admin_epoch, epoch) first, then a status section
 * that is the cluster's over one just loaded from disk, then num_updates. */
static int
candidate_cmp(
    const struct pl_cib_version *a, bool a_known, const struct pl_cib_version *b, bool b_known)
{
	struct pl_cib_version ca = *a, cb = *b;

	ca.num_updates = cb.num_updates = 0;
	if (pl_cib_version_cmp(&ca, &cb) != 0)
		return pl_cib_version_cmp(&ca, &cb);
	if (a_known != b_known)
		return a_known ? 1 : -1;
	return pl_cib_version_cmp(a, b);
}

size_t
cib_wire_elect(const struct pl_cib_version *v, const bool *known, const uint32_t *nodeid, size_t n)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++) {
		int c = candidate_cmp(&v[i], known[i], &v[best], known[best]);

		if (c > 0 || (c == 0 && nodeid[i] < nodeid[best]))
			best = i;
	}
	return best;
}
