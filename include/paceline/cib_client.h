/*
 * cib_client.h - talking to paceline-cib (messages in include/paceline/msg/cib.def).
 *
 *	struct pl_cib_conn *c = pl_cib_connect(5000, "cibadmin", &err);	// NULL, 102: no daemon
 *	struct pl_cib_request req = { .op = PL_CIB_OP_MODIFY, .input = node };
 *	rc = pl_cib_call(c, &req, 30000, &output, &version, &err);	// 0 or the exit code
 *
 * A query is answered by the local replica. Any other operation is answered once it has been
 * applied (with replication: delivered in the group's total order and applied here) and is
 * durable. The request's origin/client/user/when fields are ignored: the daemon stamps the
 * client name given to pl_cib_connect, its node and the sender's user (from its uid).
 * Reads need no privilege; updates need root or the haclient group (4 otherwise).
 * Requests and answers of any size travel whole (lib/ipc sends them in pieces), up to the
 * configurable message limit (PL_MSG_LIMIT, 256 MiB by default): over it, the request is
 * refused before it is sent, with 65 and a sentence naming the limit.
 */
#ifndef PACELINE_CIB_CLIENT_H
#define PACELINE_CIB_CLIENT_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/error.h"

struct pl_cib_conn;
struct pl_ipc_conn;

/* Connect to the local paceline-cib within timeout_ms (<= 0: 5000). NULL with err 102 when
 * the daemon is absent. `client` names the caller in update-client stamps and notifications. */
struct pl_cib_conn *pl_cib_connect(int timeout_ms, const char *client, struct pl_error *err);
void pl_cib_disconnect(struct pl_cib_conn *c);
struct pl_ipc_conn *pl_cib_ipc(struct pl_cib_conn *c); /* to attach to a main loop */

/* Perform req through the daemon, waiting at most timeout_ms (<= 0: 30000). Returns 0 or an
 * exit code (err set): the operation's (105, 108, 78, ...), 4 insufficient privileges,
 * 102 not connected, 124 timeout. *output (may be NULL) receives the query result or an
 * update's report (caller frees with xmlFreeDoc of its ->doc, or pl_cib_output_free);
 * *version (may be NULL) the CIB's version after the call. */
int pl_cib_call(struct pl_cib_conn *c, const struct pl_cib_request *req, int timeout_ms,
    xmlNode **output, struct pl_cib_version *version, struct pl_error *err);
void pl_cib_output_free(xmlNode *output);

/* An update without waiting, for daemons on a main loop (crmd, attrd): several may be in
 * flight on one connection; each completes once through done, from the loop, with rc 0 or
 * the exit code, the error text ("" on success) and the CIB's version after it (NULL when
 * none came: timeout, disconnect). Requires pl_ipc_conn_attach(pl_cib_ipc(c), ...) first.
 * req->op must not be a query. Returns false (err set, done not called) when it could not
 * be sent. */
typedef void (*pl_cib_done_fn)(struct pl_cib_conn *c, int rc, const char *text,
    const struct pl_cib_version *version, void *arg);
bool pl_cib_update_async(struct pl_cib_conn *c, const struct pl_cib_request *req, int timeout_ms,
    pl_cib_done_fn done, void *arg, struct pl_error *err);

/* Notifications: after pl_cib_subscribe (returns the version the stream starts from), every
 * applied update arrives as a CIB_NOTIFY event. */
struct pl_cib_notify {
	struct pl_cib_version version; /* after the update */
	char *origin;		       /* node the update came from */
	char *client;		       /* its client name */
	unsigned op;		       /* enum pl_cib_op */
	xmlDoc *patchset;	       /* the v2 patchset (<diff format="2">); one beyond the
					 * message limit arrives as <diff format="2"
					 * truncated="true"/>: query the CIB again */
};
int pl_cib_subscribe(
    struct pl_cib_conn *c, bool on, struct pl_cib_version *start, struct pl_error *err);
/* Wait at most timeout_ms for the next notification (no main loop). false on timeout (124)
 * or disconnect (102). */
bool pl_cib_next_notify(
    struct pl_cib_conn *c, int timeout_ms, struct pl_cib_notify *n, struct pl_error *err);
/* Decode a CIB_NOTIFY event received through an attached connection. */
struct pl_ipc_msg;
bool pl_cib_notify_decode(const struct pl_ipc_msg *ev, struct pl_cib_notify *n);
void pl_cib_notify_clear(struct pl_cib_notify *n);

#endif
