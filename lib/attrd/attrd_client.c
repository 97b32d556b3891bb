/*
 * attrd_client.c - the client side of paceline-attrd's messages (attrd_client.h).
 */
#include <stdlib.h>
#include <string.h>

#include "paceline/attrd_client.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/xalloc.h"

struct pl_attrd {
	struct pl_ipc_conn *conn;
};

struct pl_attrd *
pl_attrd_connect(int timeout_ms, struct pl_error *err)
{
	struct pl_ipc_conn *c = pl_ipc_connect(PL_SVC_ATTRD, timeout_ms, err);
	struct pl_attrd *a;

	if (c == NULL)
		return NULL;
	a = XNEW(struct pl_attrd);
	a->conn = c;
	return a;
}

void
pl_attrd_disconnect(struct pl_attrd *a)
{
	if (a == NULL)
		return;
	pl_ipc_disconnect(a->conn);
	free(a);
}

struct pl_ipc_conn *
pl_attrd_ipc(struct pl_attrd *a)
{
	return a->conn;
}

static void
pack_update(struct pl_pack *p, const struct pl_attrd_update *u)
{
	pl_msg_pack(p, PL_MSG_ATTRD_UPDATE, u->host ? u->host : "", u->name ? u->name : "",
	    u->value ? u->value : "", u->set ? u->set : "", u->dampen_ms, u->flags);
}

int
pl_attrd_update(
    struct pl_attrd *a, const struct pl_attrd_update *u, int timeout_ms, struct pl_error *err)
{
	struct pl_attrd *own = NULL;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	int rc = 0;

	if (a == NULL && (a = own = pl_attrd_connect(timeout_ms, err)) == NULL)
		return err->code ? err->code : PL_EXIT_DISCONNECT;
	pack_update(&p, u);
	if (!pl_ipc_call(
		a->conn, PL_MSG_ATTRD_UPDATE, &p, PL_MSG_ATTRD_UPDATE_REPLY, timeout_ms, &m, err)) {
		int32_t code;
		const char *text;

		if (m.type == PL_MSG_ATTRD_UPDATE_REPLY &&
		    pl_msg_unpack(&m, PL_MSG_ATTRD_UPDATE_REPLY, &code, &text) && code != 0) {
			pl_error_clear(err);
			pl_error_set(err, code, "%s", text);
		}
		rc = err->code ? err->code : PL_EXIT_ERROR;
	}
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	pl_attrd_disconnect(own);
	return rc;
}

bool
pl_attrd_update_nowait(struct pl_attrd *a, const struct pl_attrd_update *u, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	uint32_t id;

	pack_update(&p, u);
	id = pl_ipc_send(a->conn, PL_MSG_ATTRD_UPDATE, &p, err);
	pl_pack_free(&p);
	return id != 0;
}

int
pl_attrd_query(struct pl_attrd *a, const char *name, const char *host, bool all, int timeout_ms,
    char ***kv, struct pl_error *err)
{
	struct pl_attrd *own = NULL;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	const char **pairs = NULL, *text;
	uint32_t n = 0;
	int32_t code;
	int rc = 0;

	*kv = NULL;
	if (a == NULL && (a = own = pl_attrd_connect(timeout_ms, err)) == NULL)
		return err->code ? err->code : PL_EXIT_DISCONNECT;
	pl_msg_pack(&p, PL_MSG_ATTRD_QUERY, name, host ? host : "", (uint32_t)all);
	if (!pl_ipc_call(
		a->conn, PL_MSG_ATTRD_QUERY, &p, PL_MSG_ATTRD_QUERY_REPLY, timeout_ms, &m, err) &&
	    m.type != PL_MSG_ATTRD_QUERY_REPLY) {
		rc = err->code ? err->code : PL_EXIT_ERROR;
	} else if (!pl_msg_unpack(&m, PL_MSG_ATTRD_QUERY_REPLY, &code, &text, &pairs, &n)) {
		pl_error_clear(err);
		pl_error_set(err, PL_EXIT_PROTOCOL, "malformed reply from paceline-attrd");
		rc = PL_EXIT_PROTOCOL;
	} else if (code != 0) {
		pl_error_clear(err);
		pl_error_set(err, code, "%s", text);
		rc = code;
	} else {
		*kv = xcalloc(2 * (size_t)n + 1, sizeof(char *));
		for (uint32_t i = 0; i < 2 * n; i++)
			(*kv)[i] = xstrdup(pairs[i]);
	}
	free(pairs);
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	pl_attrd_disconnect(own);
	return rc;
}

void
pl_attrd_kv_free(char **kv)
{
	for (char **k = kv; k != NULL && *k != NULL; k++)
		free(*k);
	free(kv);
}
