/*
 * test_cib_wire.c - the messages paceline-cib replicas exchange (cib-peer.def through the peer
 * layer, cib/wire.c): every kind round-trips with its fields; a CIB larger than a group
 * message goes as one SYNC in pieces and arrives whole; truncated and foreign frames are
 * dropped before a handler; versions that do not fit a long are refused; the join-sync
 * election picks the highest version, ties to the lowest node id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/xalloc.h"
#include "wire.h"

struct frames {
	unsigned n;
	uint8_t *f[64];
	size_t len[64];
};

static bool
capture(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	struct frames *fs = arg;

	(void)err;
	assert_true(fs->n < 64);
	fs->f[fs->n] = xmalloc(len);
	memcpy(fs->f[fs->n], frame, len);
	fs->len[fs->n++] = len;
	return true;
}

static void
frames_clear(struct frames *fs)
{
	for (unsigned i = 0; i < fs->n; i++)
		free(fs->f[i]);
	fs->n = 0;
}

static struct {
	unsigned updates, syncs, versions;
	uint32_t req_id, op, flags;
	int64_t when;
	char section[32], input[64], user[16];
	size_t sync_len;
	struct pl_cib_version v;
} got;

static void
on_update(const struct pl_peer_msg *m, void *arg)
{
	uint32_t req_id, op, flags;
	int64_t when;
	const char *section, *xpath, *input, *origin, *client, *user;

	(void)arg;
	assert_true(pl_peer_unpack(
	    m, &req_id, &op, &flags, &when, &section, &xpath, &input, &origin, &client, &user));
	got.updates++;
	got.req_id = req_id;
	got.op = op;
	got.flags = flags;
	got.when = when;
	strncpy(got.section, section, sizeof(got.section) - 1);
	strncpy(got.input, input, sizeof(got.input) - 1);
	strncpy(got.user, user, sizeof(got.user) - 1);
}

static void
on_sync(const struct pl_peer_msg *m, void *arg)
{
	uint64_t view;
	uint32_t round;
	const char *text;

	(void)arg;
	assert_true(pl_peer_unpack(m, &view, &round, &text));
	got.syncs++;
	got.sync_len = strlen(text);
}

static void
on_version(const struct pl_peer_msg *m, void *arg)
{
	uint64_t view, a, e, n;
	uint32_t round;
	const char *digest;
	uint32_t known;

	(void)arg;
	assert_true(pl_peer_unpack(m, &view, &round, &a, &e, &n, &digest, &known));
	got.versions++;
	if (!cib_wire_version(a, e, n, &got.v))
		got.v.epoch = -1;
}

static struct pl_peer *
new_peer(void)
{
	struct pl_peer *pp = pl_peer_new(PL_SVC_CIB, PL_MEMBERSHIP_PEER_FRAME_MAX, NULL);

	pl_peer_handle(pp, PL_PEER_CIB_UPDATE, on_update);
	pl_peer_handle(pp, PL_PEER_CIB_SYNC, on_sync);
	pl_peer_handle(pp, PL_PEER_CIB_VERSION, on_version);
	memset(&got, 0, sizeof(got));
	log_set_level(PL_LOG_ERR);
	return pp;
}

static void
test_update(void **state)
{
	struct pl_peer *pp = new_peer();
	struct frames fs = { 0 };
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	assert_true(pl_peer_send(pp, capture, &fs, &e, PL_PEER_CIB_UPDATE, (uint32_t)7,
	    (uint32_t)PL_CIB_OP_MODIFY, (uint32_t)PL_CIB_F_ALLOW_CREATE, (int64_t)1700000000,
	    "resources", "", "<primitive id=\"a\"/>", "n1", "cibadmin", "root"));
	assert_int_equal(fs.n, 1);
	/* every strict prefix is dropped before the handler */
	for (size_t n = 0; n < fs.len[0]; n++)
		assert_false(pl_peer_receive(pp, 1, 1, fs.f[0], n) && got.updates);
	assert_int_equal(got.updates, 0);
	assert_true(pl_peer_receive(pp, 1, 1, fs.f[0], fs.len[0]));
	assert_int_equal(got.updates, 1);
	assert_int_equal(got.req_id, 7);
	assert_int_equal(got.op, PL_CIB_OP_MODIFY);
	assert_int_equal(got.flags, PL_CIB_F_ALLOW_CREATE);
	assert_int_equal(got.when, 1700000000);
	assert_string_equal(got.section, "resources");
	assert_string_equal(got.input, "<primitive id=\"a\"/>");
	assert_string_equal(got.user, "root");
	frames_clear(&fs);
	pl_peer_free(pp);
}

/* A 3 MB CIB: one SYNC message, in pieces below the group's limit, delivered whole. */
static void
test_sync_large(void **state)
{
	struct pl_peer *pp = new_peer();
	struct frames fs = { 0 };
	struct pl_error e = PL_ERROR_INIT;
	size_t len = 3 * 1024 * 1024 + 17;
	char *cib = xmalloc(len + 1);

	(void)state;
	memset(cib, 'c', len);
	cib[len] = '\0';
	assert_true(
	    pl_peer_send(pp, capture, &fs, &e, PL_PEER_CIB_SYNC, (uint64_t)9, (uint32_t)1, cib));
	assert_int_equal(fs.n, 4);
	for (unsigned i = 0; i < fs.n; i++) {
		assert_true(fs.len[i] <= PL_MEMBERSHIP_PEER_FRAME_MAX);
		assert_true(pl_peer_receive(pp, 2, 5, fs.f[i], fs.len[i]));
		assert_int_equal(got.syncs, i + 1 == fs.n ? 1 : 0);
	}
	assert_int_equal(got.sync_len, len);
	frames_clear(&fs);
	free(cib);
	pl_peer_free(pp);
}

static void
test_version(void **state)
{
	struct pl_peer *pp = new_peer();
	struct frames fs = { 0 };
	struct pl_error e = PL_ERROR_INIT;
	const char *digest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	(void)state;
	assert_true(pl_peer_send(pp, capture, &fs, &e, PL_PEER_CIB_VERSION, (uint64_t)1,
	    (uint32_t)0, (uint64_t)1, (uint64_t)20, (uint64_t)300, digest, (uint32_t)1));
	assert_true(pl_peer_send(pp, capture, &fs, &e, PL_PEER_CIB_VERSION, (uint64_t)1,
	    (uint32_t)0, (uint64_t)1, UINT64_MAX, (uint64_t)300, digest, (uint32_t)0));
	assert_true(pl_peer_receive(pp, 2, 5, fs.f[0], fs.len[0]));
	assert_int_equal(got.v.admin_epoch, 1);
	assert_int_equal(got.v.epoch, 20);
	assert_int_equal(got.v.num_updates, 300);
	assert_true(pl_peer_receive(pp, 2, 5, fs.f[1], fs.len[1]));
	assert_int_equal(got.v.epoch, -1); /* does not fit a long: refused */
	assert_int_equal(got.versions, 2);
	/* a kind nobody handles here (CHECK) is dropped and counted */
	frames_clear(&fs);
	assert_true(pl_peer_send(pp, capture, &fs, &e, PL_PEER_CIB_CHECK, (uint64_t)5));
	assert_false(pl_peer_receive(pp, 2, 5, fs.f[0], fs.len[0]));
	assert_int_equal(pl_peer_rejects(pp, PL_PEER_REJ_HANDLER), 1);
	frames_clear(&fs);
	pl_peer_free(pp);
}

static void
test_elect(void **state)
{
	struct pl_cib_version v[] = { { 0, 5, 1 }, { 0, 6, 0 }, { 0, 6, 0 }, { 0, 5, 9 } };
	uint32_t ids[] = { 1, 3, 2, 4 };
	struct pl_cib_version a[] = { { 0, 9, 9 }, { 1, 0, 0 } };
	uint32_t aids[] = { 1, 2 };
	struct pl_cib_version one[] = { { 0, 1, 0 } };
	bool known[] = { true, true, true, true };
	/* a replica restarted from cib.xml (0.8.8, empty status) beside live ones */
	struct pl_cib_version r[] = { { 0, 8, 8 }, { 0, 8, 8 }, { 0, 8, 3 } };
	bool rk[] = { false, true, true };
	uint32_t rids[] = { 1, 2, 3 };
	/* ... but a newer configuration still wins, and without any live replica the version */
	struct pl_cib_version c[] = { { 0, 9, 0 }, { 0, 8, 20 } };
	bool ck[] = { false, true }, none[] = { false, false, false };

	(void)state;
	assert_int_equal(cib_wire_elect(v, known, ids, 4), 2);	/* 0.6.0, node 2 < node 3 */
	assert_int_equal(cib_wire_elect(a, known, aids, 2), 1); /* admin_epoch first */
	assert_int_equal(cib_wire_elect(one, known, aids, 1), 0);
	assert_int_equal(cib_wire_elect(r, rk, rids, 3), 1); /* live over loaded, then version */
	assert_int_equal(cib_wire_elect(c, ck, aids, 2), 0); /* configuration first */
	assert_int_equal(cib_wire_elect(c + 1, none, aids, 1), 0);
	assert_int_equal(cib_wire_elect(r, none, rids, 3), 0); /* all loaded: version, node id */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_sync_large),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_elect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
