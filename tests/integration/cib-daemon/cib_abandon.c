/*
 * cib_abandon - test helper: ask paceline-cib for the whole CIB, which must be too large for
 * one reply (answer announced by length), fetch only the first piece, check that a piece of
 * an unknown query is refused, and disconnect with the rest unfetched. Prints
 * "total=N first=M". A daemon that keeps serving afterwards has survived the abandoned stream.
 */
#include <stdio.h>

#include "paceline/cib.h"
#include "paceline/ipc.h"
#include "paceline/pack.h"

static int
fail(const char *what, const struct pl_error *e)
{
	fprintf(stderr, "cib_abandon: %s: %s\n", what, e != NULL ? e->text : "unexpected answer");
	return 1;
}

int
main(void)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_CIB, 5000, &e);
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg r = PL_IPC_MSG_INIT;
	struct pl_unpack u;
	const char *text, *xml;
	const void *data;
	size_t n;
	uint64_t a, ep, nu, total = 0, offset;
	uint32_t query_id;
	const char *none[] = { NULL };

	if (c == NULL)
		return fail("connect", &e);
	pl_msg_pack(&p, PL_MSG_CIB_QUERY, (uint32_t)PL_CIB_OP_QUERY, 0u, "", "", "", none);
	if (!pl_ipc_call(c, PL_MSG_CIB_QUERY, &p, PL_MSG_CIB_QUERY_REPLY, 30000, &r, &e))
		return fail("query", &e);
	query_id = r.call_id;
	pl_ipc_msg_unpack(&r, &u);
	if (!pl_unpack(&u, "sxUUUU", &text, &xml, &a, &ep, &nu, &total) || total == 0 ||
	    *xml != '\0')
		return fail("query answer not announced by length", NULL);
	pl_ipc_msg_clear(&r);
	pl_pack_reset(&p);
	pl_msg_pack(&p, PL_MSG_CIB_QUERY_PIECE, query_id + 1000, (uint64_t)0);
	if (pl_ipc_call(c, PL_MSG_CIB_QUERY_PIECE, &p, PL_MSG_CIB_QUERY_PIECE_REPLY, 30000, &r, &e))
		return fail("a piece of an unknown query was served", NULL);
	pl_ipc_msg_clear(&r);
	pl_error_clear(&e);
	pl_pack_reset(&p);
	pl_msg_pack(&p, PL_MSG_CIB_QUERY_PIECE, query_id, (uint64_t)0);
	if (!pl_ipc_call(c, PL_MSG_CIB_QUERY_PIECE, &p, PL_MSG_CIB_QUERY_PIECE_REPLY, 30000, &r, &e))
		return fail("first piece", &e);
	pl_ipc_msg_unpack(&r, &u);
	if (!pl_unpack(&u, "Ub", &offset, &data, &n) || offset != 0 || n == 0 || n >= total)
		return fail("first piece malformed", NULL);
	printf("total=%llu first=%zu\n", (unsigned long long)total, n);
	pl_ipc_msg_clear(&r);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return 0;
}
