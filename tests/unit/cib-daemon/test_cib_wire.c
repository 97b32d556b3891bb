/*
 * test_cib_wire.c - the messages paceline-cib replicas exchange (cib/wire.c): every kind
 * round-trips; truncated, extended, foreign (magic, format) and unknown-kind messages are
 * refused; the join-sync election picks the highest version, ties to the lowest node id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "wire.h"

static void
roundtrip(const struct cib_wire *in, struct cib_wire *out, struct pl_pack *p)
{
	struct pl_error e = PL_ERROR_INIT;

	cib_wire_encode(p, in);
	assert_true(cib_wire_decode(p->data, p->len, out, &e));
	assert_int_equal(out->kind, in->kind);
	/* every strict prefix is refused */
	for (size_t n = 0; n < p->len; n++)
		assert_false(cib_wire_decode(p->data, n, out, &e));
	assert_true(cib_wire_decode(p->data, p->len, out, &e));
}

static void
test_update(void **state)
{
	struct cib_wire in = { .kind = CIB_WIRE_UPDATE, .req_id = 7, .op = PL_CIB_OP_MODIFY,
			       .flags = PL_CIB_F_ALLOW_CREATE, .when = 1700000000, .section = "resources",
			       .xpath = "", .input = "<primitive id=\"a\"/>", .origin = "n1",
			       .client = "cibadmin", .user = "root" }, out;
	struct pl_pack p = PL_PACK_INIT;

	(void)state;
	roundtrip(&in, &out, &p);
	assert_int_equal(out.req_id, 7);
	assert_int_equal(out.op, PL_CIB_OP_MODIFY);
	assert_int_equal(out.flags, PL_CIB_F_ALLOW_CREATE);
	assert_int_equal(out.when, 1700000000);
	assert_string_equal(out.section, "resources");
	assert_string_equal(out.xpath, "");
	assert_string_equal(out.input, "<primitive id=\"a\"/>");
	assert_string_equal(out.origin, "n1");
	assert_string_equal(out.client, "cibadmin");
	assert_string_equal(out.user, "root");
	/* one byte more: refused */
	pl_pack_u32(&p, 0);
	{
		struct pl_error e = PL_ERROR_INIT;

		assert_false(cib_wire_decode(p.data, p.len, &out, &e));
		assert_int_equal(e.code, 76);
	}
	pl_pack_free(&p);
}

static void
test_sync_version_digest_resync(void **state)
{
	const char *d = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct cib_wire v = { .kind = CIB_WIRE_VERSION, .view = 0x1122334455667788ull, .round = 3,
			      .version = { 1, 20, 300 }, .digest = d }, out;
	struct cib_wire s = { .kind = CIB_WIRE_SYNC, .view = 9, .round = 1, .index = 1,
			      .count = 2, .piece = "<cib", .piece_len = 4 };
	struct cib_wire g = { .kind = CIB_WIRE_DIGEST, .view = 77, .version = { 0, 5, 6 },
			      .digest = d };
	struct cib_wire c = { .kind = CIB_WIRE_CHECK, .view = 0x100000002ull };
	struct cib_wire r = { .kind = CIB_WIRE_RESYNC, .view = 42 };
	struct pl_pack p = PL_PACK_INIT;

	(void)state;
	roundtrip(&v, &out, &p);
	assert_true(out.view == 0x1122334455667788ull);
	assert_int_equal(out.round, 3);
	assert_int_equal(out.version.admin_epoch, 1);
	assert_int_equal(out.version.epoch, 20);
	assert_int_equal(out.version.num_updates, 300);
	assert_string_equal(out.digest, d);
	pl_pack_reset(&p);
	roundtrip(&s, &out, &p);
	assert_int_equal(out.index, 1);
	assert_int_equal(out.count, 2);
	assert_int_equal(out.piece_len, 4);
	assert_memory_equal(out.piece, "<cib", 4);
	pl_pack_reset(&p);
	roundtrip(&g, &out, &p);
	assert_int_equal(out.version.num_updates, 6);
	assert_true(out.view == 77);
	pl_pack_reset(&p);
	roundtrip(&c, &out, &p);
	assert_true(out.view == 0x100000002ull);
	pl_pack_reset(&p);
	roundtrip(&r, &out, &p);
	assert_true(out.view == 42);
	pl_pack_free(&p);
}

static void
test_refused(void **state)
{
	struct cib_wire r = { .kind = CIB_WIRE_RESYNC, .view = 1 }, out;
	struct cib_wire s = { .kind = CIB_WIRE_SYNC, .view = 9, .index = 2, .count = 2,
			      .piece = "x", .piece_len = 1 };
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	cib_wire_encode(&p, &r);
	p.data[0] ^= 0xff;			/* magic */
	assert_false(cib_wire_decode(p.data, p.len, &out, &e));
	p.data[0] ^= 0xff;
	p.data[7] = 2;				/* format 2 */
	assert_false(cib_wire_decode(p.data, p.len, &out, &e));
	p.data[7] = 1;
	p.data[11] = 99;			/* kind */
	assert_false(cib_wire_decode(p.data, p.len, &out, &e));
	pl_pack_reset(&p);
	cib_wire_encode(&p, &s);		/* index beyond count */
	assert_false(cib_wire_decode(p.data, p.len, &out, &e));
	pl_pack_free(&p);
}

static void
test_elect(void **state)
{
	struct pl_cib_version v[] = { { 0, 5, 1 }, { 0, 6, 0 }, { 0, 6, 0 }, { 0, 5, 9 } };
	uint32_t ids[] = { 1, 3, 2, 4 };
	struct pl_cib_version a[] = { { 0, 9, 9 }, { 1, 0, 0 } };
	uint32_t aids[] = { 1, 2 };
	struct pl_cib_version one[] = { { 0, 1, 0 } };

	(void)state;
	assert_int_equal(cib_wire_elect(v, ids, 4), 2);		/* 0.6.0, node 2 < node 3 */
	assert_int_equal(cib_wire_elect(a, aids, 2), 1);	/* admin_epoch first */
	assert_int_equal(cib_wire_elect(one, aids, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_sync_version_digest_resync),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_elect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
