/*
 * cib_abandon - test helper: ask paceline-cib for the whole CIB (an answer of several MB,
 * which lib/ipc sends in pieces), read nothing of it, and disconnect: the daemon is left with
 * a reply in mid-flight for a client that is gone. Then ask again on a new connection and
 * print "total=N" (the whole answer's length). A daemon that keeps serving afterwards has
 * survived the abandoned stream.
 */
#include <stdio.h>
#include <string.h>

#include "paceline/cib.h"
#include "paceline/ipc.h"

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
	const char *text, *xml;
	uint64_t a, ep, nu;
	const char *none[] = { NULL };

	if (c == NULL)
		return fail("connect", &e);
	pl_msg_pack(&p, PL_MSG_CIB_QUERY, (uint32_t)PL_CIB_OP_QUERY, 0u, "", "", "", none);
	if (pl_ipc_send(c, PL_MSG_CIB_QUERY, &p, &e) == 0)
		return fail("send", &e);
	/* Wait until the daemon is sending (the first piece is here), then hang up. */
	if (!pl_ipc_wait_event(c, 100, &r, &e) && e.code != 124)
		return fail("waiting", &e);
	pl_ipc_msg_clear(&r);
	pl_ipc_disconnect(c);
	c = pl_ipc_connect(PL_SVC_CIB, 5000, &e);
	if (c == NULL)
		return fail("reconnect", &e);
	if (!pl_ipc_call(c, PL_MSG_CIB_QUERY, &p, PL_MSG_CIB_QUERY_REPLY, 30000, &r, &e))
		return fail("query", &e);
	if (!pl_msg_unpack(&r, PL_MSG_CIB_QUERY_REPLY, &text, &xml, &a, &ep, &nu))
		return fail("query answer malformed", NULL);
	printf("total=%zu\n", strlen(xml));
	pl_ipc_msg_clear(&r);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return 0;
}
