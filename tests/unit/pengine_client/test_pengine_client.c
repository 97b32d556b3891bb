/*
 * test_pengine_client.c - lib/pengine_client's encoding: requests match PENGINE_COMPUTE's
 * signature and MAXLEN exactly at the limit, a CIB one byte over is refused with a sentence,
 * replies round-trip, status replies become errors with their code, malformed replies give 76.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paceline/error.h"
#include "paceline/ipc.h"
#include "paceline/pack.h"
#include "paceline/pengine_client.h"

static void
test_request_roundtrip(void **state)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_request rq = { -5, 7 };
	struct pl_unpack r;
	uint32_t flags;
	int64_t now;
	const char *cib;

	(void)state;
	assert_true(pl_pengine_request_pack(&p, "<cib/>", &rq, &err));
	assert_true(pl_pack_check(pl_msg_def(PL_MSG_PENGINE_COMPUTE)->sig, p.data, p.len, &err));
	pl_unpack_init(&r, p.data, p.len);
	assert_true(pl_unpack(&r, "uIx", &flags, &now, &cib));
	assert_true(pl_unpack_end(&r));
	assert_int_equal(flags, 7);
	assert_int_equal(now, -5);
	assert_string_equal(cib, "<cib/>");
	pl_pack_free(&p);

	/* no options, no CIB: zeros and "" (the daemon then answers "not a CIB") */
	assert_true(pl_pengine_request_pack(&p, NULL, NULL, &err));
	pl_unpack_init(&r, p.data, p.len);
	assert_true(pl_unpack(&r, "uIx", &flags, &now, &cib));
	assert_int_equal(flags, 0);
	assert_int_equal(now, 0);
	assert_string_equal(cib, "");
	pl_pack_free(&p);
}

static void
test_request_limit(void **state)
{
	size_t max;
	char *big;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	pl_msg_set_limit(16777216); /* the configurable message limit bounds the CIB */
	max = pl_pengine_cib_max();
	big = malloc(max + 2);
	assert_int_equal(max, 16777216 - 17);
	memset(big, 'x', max + 1);
	big[max + 1] = '\0';
	assert_false(pl_pengine_request_pack(&p, big, NULL, &err));
	assert_int_equal(err.code, 2);
	assert_non_null(strstr(err.text, "exceeds paceline-pengine's limit of 16777199 bytes"));
	assert_int_equal(p.len, 0);

	big[max] = '\0'; /* exactly the limit: fits MAXLEN to the byte */
	pl_error_clear(&err);
	assert_true(pl_pengine_request_pack(&p, big, NULL, &err));
	assert_int_equal(p.len, 16777216);
	pl_pack_free(&p);
	free(big);
	pl_msg_set_limit(PL_MSG_LIMIT_DEFAULT);
}

static struct pl_ipc_msg
msg_of(enum pl_msg_type type, int code, const struct pl_pack *p)
{
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;

	m.type = type;
	m.def = pl_msg_def(type);
	m.code = code;
	m.call_id = 1;
	m.payload = p->data;
	m.len = p->len;
	return m;
}

static void
test_result_roundtrip(void **state)
{
	struct pl_pengine_result in = { 42, "<transition_graph/>", " * Start a\n", "clones\n", "" };
	struct pl_pengine_result out = PL_PENGINE_RESULT_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m;

	(void)state;
	pl_pengine_result_pack(&p, &in);
	assert_true(
	    pl_pack_check(pl_msg_def(PL_MSG_PENGINE_COMPUTE_REPLY)->sig, p.data, p.len, &err));
	m = msg_of(PL_MSG_PENGINE_COMPUTE_REPLY, 0, &p);
	assert_true(pl_pengine_result_decode(&m, &out, &err));
	assert_int_equal(out.transition, 42);
	assert_string_equal(out.graph, in.graph);
	assert_string_equal(out.summary, in.summary);
	assert_string_equal(out.warnings, in.warnings);
	assert_string_equal(out.input_path, "");
	pl_pengine_result_clear(&out);
	assert_null(out.graph);
	pl_pengine_result_clear(&out); /* twice is harmless */
	pl_pack_free(&p);
}

static void
test_status_reply(void **state)
{
	struct pl_pengine_result out = PL_PENGINE_RESULT_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m;

	(void)state;
	pl_pack(&p, "s", "CIB:5:3: malformed XML: error parsing attribute name");
	m = msg_of(PL_MSG_NONE, 65, &p);
	m.def = NULL;
	assert_false(pl_pengine_result_decode(&m, &out, &err));
	assert_int_equal(err.code, 65);
	assert_string_equal(err.text, "CIB:5:3: malformed XML: error parsing attribute name");
	assert_null(out.graph);

	/* a status reply with code 0 carries no transition: a protocol error */
	pl_error_clear(&err);
	m.code = 0;
	assert_false(pl_pengine_result_decode(&m, &out, &err));
	assert_int_equal(err.code, 76);
	pl_pack_free(&p);
}

static void
test_malformed_reply(void **state)
{
	struct pl_pengine_result out = PL_PENGINE_RESULT_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m;

	(void)state;
	pl_pack(&p, "ux", (uint32_t)1, "<transition_graph/>"); /* three strings missing */
	m = msg_of(PL_MSG_PENGINE_COMPUTE_REPLY, 0, &p);
	assert_false(pl_pengine_result_decode(&m, &out, &err));
	assert_int_equal(err.code, 76);
	assert_non_null(strstr(err.text, "malformed PENGINE_COMPUTE_REPLY"));
	assert_null(out.graph);

	/* the reply of another request */
	pl_error_clear(&err);
	m = msg_of(PL_MSG_PENGINE_STATS_REPLY, 0, &p);
	assert_false(pl_pengine_result_decode(&m, &out, &err));
	assert_int_equal(err.code, 76);
	assert_non_null(strstr(err.text, "PENGINE_STATS_REPLY"));
	pl_pack_free(&p);
}

static void
test_table(void **state)
{
	const struct pl_msg_def *d = pl_msg_def(PL_MSG_PENGINE_COMPUTE);

	(void)state;
	assert_int_equal(d->service, PL_SVC_PENGINE);
	assert_int_equal(d->priv, PL_PRIV_WRITE);
	assert_int_equal(pl_msg_def(PL_MSG_PENGINE_STATS)->priv, PL_PRIV_ANY);
	assert_int_equal(pl_service_maxlen(PL_SVC_PENGINE), PL_MSG_UNBOUNDED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_roundtrip),
		cmocka_unit_test(test_request_limit),
		cmocka_unit_test(test_result_roundtrip),
		cmocka_unit_test(test_status_reply),
		cmocka_unit_test(test_malformed_reply),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
