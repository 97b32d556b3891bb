/*
 * server.c - paceline-crmd's local IPC (include/paceline/msg/crmd.def): the tools' door.
 * lib/ipc has checked type, direction, privilege, length and signature before a handler
 * runs. A question about another node's controller (crmadmin -S NODE) is asked over the
 * `crmd` group and answered when that node replies (or after a timeout); the client is kept
 * by id, never by pointer, while it waits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crmd.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define CRMD_REFRESH_FAILED_ONLY 1u

static struct pl_ipc_server *srv;

static const char *
dc_name(void)
{
	uint32_t dc = crmd_dc(crmd_io_fsm());

	return dc ? crmd_io_node_name(dc) : "";
}

static void
reply_state(
    struct pl_ipc_client *c, uint32_t call_id, const char *node, uint32_t nodeid, const char *state)
{
	struct pl_pack p = PL_PACK_INIT;

	pl_msg_pack(&p, PL_MSG_CRMD_STATE_REPLY, node, nodeid, state, dc_name(),
	    (uint32_t)crmd_io_quorate(), crmd_io_name());
	pl_ipc_reply(c, call_id, PL_MSG_CRMD_STATE_REPLY, 0, &p);
	pl_pack_free(&p);
}

struct waiting {
	uint64_t client;
	uint32_t call_id;
	uint32_t nodeid;
	char *node;
};

static void
state_answered(const char *state, void *arg)
{
	struct waiting *w = arg;
	struct pl_ipc_client *c = srv ? pl_ipc_server_find_client(srv, w->client) : NULL;

	if (c != NULL) {
		if (state != NULL)
			reply_state(c, w->call_id, w->node, w->nodeid, state);
		else
			pl_ipc_reply_status(c, w->call_id, PL_EXIT_TIMEOUT,
			    "the controller on %s did not answer", w->node);
	}
	free(w->node);
	free(w);
}

static void
on_state(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *node;
	uint32_t id;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_CRMD_STATE, &node); /* checked by the dispatcher */
	if (*node == '\0' || strcmp(node, crmd_io_name()) == 0) {
		reply_state(c, msg->call_id, crmd_io_name(), crmd_io_nodeid(),
		    crmd_state_name(crmd_get_state(crmd_io_fsm())));
		return;
	}
	if ((id = crmd_io_node_id(node)) == 0) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_NOSUCH, "no node named '%s'", node);
		return;
	}
	struct waiting *w = XNEW(struct waiting);

	w->client = pl_ipc_client_id(c);
	w->call_id = msg->call_id;
	w->nodeid = id;
	w->node = xstrdup(node);
	crmd_io_ask_state(id, state_answered, w);
}

static void
on_nodes(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct crmd_node_view v[CRMD_MAX_NODES];
	unsigned n = crmd_io_nodes(v, CRMD_MAX_NODES);
	const char *ids[CRMD_MAX_NODES + 1], *names[CRMD_MAX_NODES + 1], *states[CRMD_MAX_NODES + 1];
	char idbuf[CRMD_MAX_NODES][16];
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	for (unsigned i = 0; i < n; i++) {
		snprintf(idbuf[i], sizeof(idbuf[i]), "%u", v[i].nodeid);
		ids[i] = idbuf[i];
		names[i] = v[i].name;
		states[i] = v[i].member ? "member" : "lost";
	}
	ids[n] = names[n] = states[n] = NULL;
	pl_msg_pack(&p, PL_MSG_CRMD_NODES_REPLY, (uint32_t)crmd_io_quorate(), ids, names, states);
	pl_ipc_reply(c, msg->call_id, PL_MSG_CRMD_NODES_REPLY, 0, &p);
	pl_pack_free(&p);
}

static void
on_refresh(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *rsc, *node;
	uint32_t flags, id = 0;
	int rc;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_CRMD_REFRESH, &rsc, &node, &flags);
	if (*node != '\0' && (id = crmd_io_node_id(node)) == 0) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_NOSUCH, "No node named '%s'", node);
		return;
	}
	rc = crmd_io_refresh(*rsc ? rsc : NULL, id, (flags & CRMD_REFRESH_FAILED_ONLY) != 0, &err);
	if (rc != 0)
		pl_ipc_reply_status(c, msg->call_id, rc, "%s", err.text);
	else
		pl_ipc_reply_status(c, msg->call_id, 0, "ok");
}

static void
on_shutdown(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *node;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_CRMD_SHUTDOWN, &node);
	if (*node != '\0' && strcmp(node, crmd_io_name()) != 0) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_UNIMPLEMENT_FEATURE,
		    "ask the controller on %s (only the local node can be shut down "
		    "from here)",
		    node);
		return;
	}
	crmd_io_shutdown();
	pl_ipc_reply_status(c, msg->call_id, 0, "shutdown of %s requested", crmd_io_name());
}

static void
on_fail(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *rsc, *node, *rclass, *provider, *type;
	int rc;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_CRMD_FAIL, &rsc, &node, &rclass, &provider, &type);
	rc = crmd_io_fail(rsc, node, rclass, provider, type, &err);
	if (rc != 0)
		pl_ipc_reply_status(c, msg->call_id, rc, "%s", err.text);
	else
		pl_ipc_reply_status(c, msg->call_id, 0, "ok");
}

static void
on_remove_node(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_error err = PL_ERROR_INIT;
	const char *node;
	int rc;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_CRMD_REMOVE_NODE, &node);
	rc = crmd_io_remove_node(node, &err);
	if (rc != 0)
		pl_ipc_reply_status(c, msg->call_id, rc, "%s", err.text);
	else
		pl_ipc_reply_status(c, msg->call_id, 0, "ok");
}

bool
crmd_server_start(struct pl_error *err)
{
	srv = pl_ipc_server_new(PL_SVC_CRMD, NULL, NULL, NULL, err);
	if (srv == NULL)
		return false;
	pl_ipc_server_handle(srv, PL_MSG_CRMD_STATE, on_state);
	pl_ipc_server_handle(srv, PL_MSG_CRMD_NODES, on_nodes);
	pl_ipc_server_handle(srv, PL_MSG_CRMD_REFRESH, on_refresh);
	pl_ipc_server_handle(srv, PL_MSG_CRMD_SHUTDOWN, on_shutdown);
	pl_ipc_server_handle(srv, PL_MSG_CRMD_REMOVE_NODE, on_remove_node);
	pl_ipc_server_handle(srv, PL_MSG_CRMD_FAIL, on_fail);
	return true;
}

void
crmd_server_stop(void)
{
	if (srv)
		pl_ipc_server_free(srv);
	srv = NULL;
}
