/*
 * test_pack.c - the payload encoding: round trips of every field type, rejection of every
 * malformed field, truncation and corruption of valid payloads, and the message table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/ipc.h"
#include "paceline/msgdefs.h"
#include "paceline/pack.h"

/* Append raw bytes to a writer (to build malformed payloads). */
static void
raw(struct pl_pack *p, const void *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		pl_pack_u32(p, 0);
		p->len -= 4;
		p->data[p->len++] = ((const uint8_t *)data)[i];
	}
}

static void
raw_u32(struct pl_pack *p, uint32_t v)
{
	pl_pack_u32(p, v);
}

static void
test_roundtrip_scalars(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	uint32_t u;
	uint64_t U;
	int32_t i;
	int64_t I;

	(void)state;
	pl_pack_u32(&p, 0xdeadbeef);
	pl_pack_u64(&p, 0x0123456789abcdefULL);
	pl_pack_i32(&p, -5);
	pl_pack_i64(&p, INT64_MIN);
	assert_int_equal(p.len, 24);
	/* network byte order */
	assert_int_equal(p.data[0], 0xde);
	assert_int_equal(p.data[4], 0x01);
	assert_int_equal(p.data[11], 0xef);
	assert_true(pl_pack_check("uUiI", p.data, p.len, NULL));
	pl_unpack_init(&r, p.data, p.len);
	assert_true(pl_unpack(&r, "uUiI", &u, &U, &i, &I));
	assert_true(pl_unpack_end(&r));
	assert_int_equal(u, 0xdeadbeef);
	assert_true(U == 0x0123456789abcdefULL);
	assert_int_equal(i, -5);
	assert_true(I == INT64_MIN);
	pl_pack_free(&p);
}

static void
test_roundtrip_strings(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	const char *const v[] = { "a", "", "ccc", NULL };
	const char *const kv[] = { "k1", "v1", "k2", "", NULL };
	const char *s, *x, *e, *n;
	const char **av, **akv;
	const void *b;
	size_t bn, sl;
	uint32_t na, nk;
	const uint8_t blob[] = { 0, 1, 0, 2 };

	(void)state;
	pl_pack(&p, "sxbaks", "hello", "<cib/>", blob, sizeof(blob), v, kv, (const char *)NULL);
	pl_pack_str(&p, "");
	assert_true(pl_pack_check("sxbakss", p.data, p.len, NULL));
	pl_unpack_init(&r, p.data, p.len);
	assert_true(pl_unpack(&r, "sxbak", &s, &x, &b, &bn, &av, &na, &akv, &nk));
	assert_true(pl_unpack_strl(&r, &n, &sl));
	assert_true(pl_unpack_str(&r, &e));
	assert_true(pl_unpack_end(&r));
	assert_string_equal(s, "hello");
	assert_string_equal(x, "<cib/>");
	assert_int_equal(bn, 4);
	assert_memory_equal(b, blob, 4);
	assert_int_equal(na, 3);
	assert_string_equal(av[0], "a");
	assert_string_equal(av[1], "");
	assert_string_equal(av[2], "ccc");
	assert_null(av[3]);
	assert_int_equal(nk, 2);
	assert_string_equal(akv[0], "k1");
	assert_string_equal(akv[1], "v1");
	assert_string_equal(akv[2], "k2");
	assert_string_equal(akv[3], "");
	assert_null(akv[4]);
	assert_string_equal(n, ""); /* NULL packs as "" */
	assert_int_equal(sl, 0);
	assert_string_equal(e, "");
	/* zero copy: decoded strings point into the payload */
	assert_true((const uint8_t *)s > p.data && (const uint8_t *)s < p.data + p.len);
	free(av);
	free(akv);
	pl_pack_free(&p);
}

static void
test_strn_stops_at_nul(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	const char *s;

	(void)state;
	pl_pack_strn(&p, "ab\0cd", 5);
	pl_unpack_init(&r, p.data, p.len);
	assert_true(pl_unpack_str(&r, &s));
	assert_true(pl_unpack_end(&r));
	assert_string_equal(s, "ab");
	pl_pack_free(&p);
}

/* Expect pl_pack_check to fail with `needle` in the error text. */
static void
expect_reject(const char *sig, const struct pl_pack *p, const char *needle)
{
	struct pl_error err = PL_ERROR_INIT;

	assert_false(pl_pack_check(sig, p->data, p->len, &err));
	assert_int_equal(err.code, 76);
	if (strstr(err.text, needle) == NULL)
		fail_msg("error '%s' does not mention '%s'", err.text, needle);
}

static void
test_reject_integers(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	uint8_t three[3] = { 1, 2, 3 };

	(void)state;
	raw(&p, three, 3);
	expect_reject("u", &p, "integer runs past the end");
	pl_pack_reset(&p);
	pl_pack_u32(&p, 1);
	expect_reject("U", &p, "integer runs past the end");
	expect_reject("uu", &p, "field 2 at offset 4");
	pl_pack_free(&p);
}

static void
test_reject_strings(void **state)
{
	struct pl_pack p = PL_PACK_INIT;

	(void)state;
	/* length past the end */
	raw_u32(&p, 10);
	raw(&p, "abc", 4);
	expect_reject("s", &p, "string runs past the end");
	expect_reject("x", &p, "string runs past the end");
	/* huge length */
	pl_pack_reset(&p);
	raw_u32(&p, 0xffffffff);
	raw(&p, "abc", 4);
	expect_reject("s", &p, "string runs past the end");
	/* no room for the terminating NUL */
	pl_pack_reset(&p);
	raw_u32(&p, 3);
	raw(&p, "abc", 3);
	expect_reject("s", &p, "string runs past the end");
	/* not NUL-terminated */
	pl_pack_reset(&p);
	raw_u32(&p, 3);
	raw(&p, "abcd", 4);
	expect_reject("s", &p, "not NUL-terminated");
	/* inner NUL */
	pl_pack_reset(&p);
	raw_u32(&p, 3);
	raw(&p, "a\0c", 4);
	expect_reject("s", &p, "contains a NUL byte");
	/* length word itself truncated */
	pl_pack_reset(&p);
	raw(&p, "ab", 2);
	expect_reject("s", &p, "runs past the end");
	pl_pack_free(&p);
}

static void
test_reject_blob_and_arrays(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	const char **v;
	uint32_t n;

	(void)state;
	raw_u32(&p, 5);
	raw(&p, "abcd", 4);
	expect_reject("b", &p, "blob runs past the end");
	/* array count larger than the payload can hold */
	pl_pack_reset(&p);
	raw_u32(&p, 1000000000);
	pl_pack_str(&p, "x");
	expect_reject("a", &p, "count is larger than the payload");
	pl_unpack_init(&r, p.data, p.len);
	assert_false(pl_unpack_strv(&r, &v, &n)); /* no huge allocation either */
	assert_non_null(v);
	assert_null(v[0]);
	assert_int_equal(n, 0);
	free(v);
	/* an element is malformed */
	pl_pack_reset(&p);
	raw_u32(&p, 2);
	pl_pack_str(&p, "ok");
	raw_u32(&p, 2);
	raw(&p, "b\0\0", 3);
	expect_reject("a", &p, "contains a NUL byte");
	/* key without value */
	pl_pack_reset(&p);
	raw_u32(&p, 1);
	pl_pack_str(&p, "key");
	pl_pack_str(&p, "");
	assert_true(pl_pack_check("k", p.data, p.len, NULL));
	p.len -= 5;
	expect_reject("k", &p, "count is larger than the payload");
	pl_pack_free(&p);
}

static void
test_reject_leftover_and_sig(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_true(pl_pack_check("", NULL, 0, NULL));
	pl_pack_u32(&p, 7);
	expect_reject("", &p, "bytes left over");
	pl_pack_u32(&p, 8);
	expect_reject("u", &p, "bytes left over");
	assert_false(pl_pack_check("uz", p.data, p.len, &err));
	assert_int_equal(err.code, 70);
	assert_non_null(strstr(err.text, "invalid payload signature"));
	assert_false(pl_sig_valid(NULL));
	assert_true(pl_sig_valid("uUiIsxbak"));
	pl_pack_free(&p);
}

static void
test_sticky_error(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_unpack r;
	struct pl_error err = PL_ERROR_INIT;
	uint32_t u = 99;
	const char *s = NULL;

	(void)state;
	pl_pack_u32(&p, 1);
	pl_unpack_init(&r, p.data, p.len);
	assert_true(pl_unpack_u32(&r, &u));
	assert_false(pl_unpack_str(&r, &s));
	assert_string_equal(s, ""); /* a safe zero value */
	assert_false(pl_unpack_u32(&r, &u));
	assert_int_equal(u, 0);
	assert_true(pl_unpack_failed(&r));
	assert_false(pl_unpack_end(&r));
	pl_unpack_error(&r, &err);
	assert_string_equal(
	    err.text, "field 2 at offset 4 of 4: length runs past the end of the payload");
	pl_pack_free(&p);
}

/* Every truncation of a valid payload is rejected; random corruption never reads out of bounds. */
static void
test_truncation_and_corruption(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	const char *const v[] = { "x", "yy", NULL };
	const char *const kv[] = { "a", "b", NULL };
	const char *sig = "uUsxbaki";
	uint8_t *copy;

	(void)state;
	pl_pack(&p, sig, (uint32_t)1, (uint64_t)2, "three", "<x/>", "blob", (size_t)4, v, kv,
	    (int32_t)-1);
	assert_true(pl_pack_check(sig, p.data, p.len, NULL));
	for (size_t n = 0; n < p.len; n++) {
		/* exact-size copies so that ASan catches any read past the end */
		copy = malloc(n ? n : 1);
		memcpy(copy, p.data, n);
		assert_false(pl_pack_check(sig, copy, n, NULL));
		free(copy);
	}
	srand(42);
	copy = malloc(p.len);
	for (int round = 0; round < 20000; round++) {
		memcpy(copy, p.data, p.len);
		for (int k = 0; k < 1 + rand() % 3; k++)
			copy[rand() % p.len] = (uint8_t)rand();
		(void)pl_pack_check(sig, copy, p.len, NULL);
	}
	free(copy);
	pl_pack_free(&p);
}

static void
test_table(void **state)
{
	(void)state;
	assert_null(pl_msg_def(PL_MSG_NONE));
	assert_null(pl_msg_def(PL_MSG_TYPE_LIMIT));
	assert_null(pl_msg_def(0x01ff)); /* a hole in echo's range */
	assert_null(pl_msg_def(0xffffffffu));
	assert_string_equal(pl_msg_name(PL_MSG_ECHO_REQ), "ECHO_REQ");
	assert_string_equal(pl_msg_name(9999), "unknown");
	assert_string_equal(pl_service_name(PL_SVC_ECHO), "echo");
	assert_string_equal(pl_service_name(PL_SVC_LRMD), "lrmd");
	assert_int_equal(pl_service_maxlen(PL_SVC_ECHO), PL_MSG_UNBOUNDED);
	for (unsigned t = 1; t < PL_MSG_TYPE_LIMIT; t++) {
		const struct pl_msg_def *d = pl_msg_def(t);

		if (d == NULL)
			continue;
		assert_int_equal(d->type, t);
		assert_true(d->name[0] != '\0');
		if (!pl_sig_valid(d->sig))
			fail_msg("%s has an invalid signature \"%s\"", d->name, d->sig);
		assert_true(d->service > PL_SVC_NONE && d->service < PL_SVC_COUNT);
		assert_int_equal(PL_MSG_SERVICE_OF(t), d->service);
		assert_true(d->dir >= PL_DIR_REQ && d->dir <= PL_DIR_EVENT);
		if (d->sig[0] != '\0' && d->maxlen == 0)
			fail_msg("%s carries fields but has MAXLEN 0", d->name);
	}
}

/* Typed payloads: packed and unpacked by the table's signature. */
static void
test_msg_pack_unpack(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_error e = PL_ERROR_INIT;
	const char *names[] = { "a", "b", NULL }, **got = NULL, *text = NULL;
	uint32_t seq = 0, n = 0;
	int32_t code = 0;

	(void)state;
	pl_msg_pack(&p, PL_MSG_ECHO_REQ, (uint32_t)42, "hi");
	assert_true(pl_pack_check(pl_msg_def(PL_MSG_ECHO_REQ)->sig, p.data, p.len, NULL));
	m.type = PL_MSG_ECHO_REQ;
	m.def = pl_msg_def(PL_MSG_ECHO_REQ);
	m.payload = p.data;
	m.len = p.len;
	assert_true(pl_msg_unpack(&m, PL_MSG_ECHO_REQ, &seq, &text));
	assert_int_equal(seq, 42);
	assert_string_equal(text, "hi");
	/* the wrong type: refused without touching the outputs */
	seq = 7;
	assert_false(pl_msg_unpack(&m, PL_MSG_ECHO_REPLY, &seq, &text));
	assert_int_equal(seq, 7);
	pl_msg_unpack_error(&m, PL_MSG_ECHO_REPLY, &e);
	assert_int_equal(e.code, 76);
	assert_non_null(strstr(e.text, "expected ECHO_REPLY, got ECHO_REQ"));
	/* truncated: refused, and the error says where */
	m.len--;
	assert_false(pl_msg_unpack(&m, PL_MSG_ECHO_REQ, &seq, &text));
	pl_error_clear(&e);
	pl_msg_unpack_error(&m, PL_MSG_ECHO_REQ, &e);
	assert_non_null(strstr(e.text, "malformed ECHO_REQ: "));
	/* arrays, and the status reply ("s") */
	pl_pack_reset(&p);
	pl_msg_pack(&p, PL_MSG_LRMD_LIST_REPLY, (int32_t)3, "err", names);
	assert_true(
	    pl_msg_unpack_payload(PL_MSG_LRMD_LIST_REPLY, p.data, p.len, &code, &text, &got, &n));
	assert_int_equal(code, 3);
	assert_int_equal(n, 2);
	assert_string_equal(got[1], "b");
	free(got);
	pl_pack_reset(&p);
	pl_msg_pack(&p, PL_MSG_NONE, "status text");
	assert_true(pl_msg_unpack_payload(PL_MSG_NONE, p.data, p.len, &text));
	assert_string_equal(text, "status text");
	pl_pack_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_scalars),
		cmocka_unit_test(test_roundtrip_strings),
		cmocka_unit_test(test_strn_stops_at_nul),
		cmocka_unit_test(test_reject_integers),
		cmocka_unit_test(test_reject_strings),
		cmocka_unit_test(test_reject_blob_and_arrays),
		cmocka_unit_test(test_reject_leftover_and_sig),
		cmocka_unit_test(test_sticky_error),
		cmocka_unit_test(test_truncation_and_corruption),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_msg_pack_unpack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
