/*
 * client.c - the client side of paceline-cib's messages (cib.def) on lib/ipc: synchronous
 * calls for the tools, notifications for subscribers. See include/paceline/cib_client.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/cib_client.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/mtime.h"
#include "paceline/pack.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#define CALL_TIMEOUT_MS 30000

struct pl_cib_conn {
	struct pl_ipc_conn *conn;
	char *client;
};

struct pl_cib_conn *
pl_cib_connect(int timeout_ms, const char *client, struct pl_error *err)
{
	struct pl_ipc_conn *ic = pl_ipc_connect(PL_SVC_CIB, timeout_ms, err);
	struct pl_cib_conn *c;

	if (ic == NULL)
		return NULL;
	c = XNEW(struct pl_cib_conn);
	c->conn = ic;
	c->client = xstrdup(client != NULL ? client : "unknown");
	return c;
}

void
pl_cib_disconnect(struct pl_cib_conn *c)
{
	if (c == NULL)
		return;
	pl_ipc_disconnect(c->conn);
	free(c->client);
	free(c);
}

struct pl_ipc_conn *
pl_cib_ipc(struct pl_cib_conn *c)
{
	return c->conn;
}

void
pl_cib_output_free(xmlNode *output)
{
	if (output != NULL)
		xmlFreeDoc(output->doc);
}

static void
version_of(uint64_t a, uint64_t e, uint64_t n, struct pl_cib_version *v)
{
	if (v == NULL)
		return;
	v->admin_epoch = (long)a;
	v->epoch = (long)e;
	v->num_updates = (long)n;
}

int
pl_cib_call(struct pl_cib_conn *c, const struct pl_cib_request *req, int timeout_ms,
    xmlNode **output, struct pl_cib_version *version, struct pl_error *err)
{
	bool query = req->op == PL_CIB_OP_QUERY;
	enum pl_msg_type type = query ? PL_MSG_CIB_QUERY : PL_MSG_CIB_UPDATE;
	enum pl_msg_type rtype = query ? PL_MSG_CIB_QUERY_REPLY : PL_MSG_CIB_UPDATE_REPLY;
	const char *opts[] = { "client", c->client, NULL };
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	const char *text = "", *xml = "";
	uint64_t a = 0, e = 0, n = 0;
	char *input = req->input != NULL ? pl_xml_dump(req->input, false) : NULL;
	struct pl_error local = PL_ERROR_INIT;
	bool ok;
	int rc;

	if (err == NULL)
		err = &local; /* the caller wants the code only */
	if (output != NULL)
		*output = NULL;
	pl_msg_pack(&p, type, (uint32_t)req->op, (uint32_t)req->flags,
	    req->section != NULL ? req->section : "", req->xpath != NULL ? req->xpath : "",
	    input != NULL ? input : "", (const char *const *)opts);
	free(input);
	ok = pl_ipc_call(
	    c->conn, type, &p, rtype, timeout_ms > 0 ? timeout_ms : CALL_TIMEOUT_MS, &reply, err);
	pl_pack_free(&p);
	if (!ok && reply.type != rtype) {
		pl_ipc_msg_clear(&reply);
		return err->code != 0 ? err->code : PL_EXIT_ERROR;
	}
	rc = ok ? 0 : err->code;
	if (!pl_msg_unpack(&reply, rtype, &text, &xml, &a, &e, &n)) {
		pl_ipc_msg_clear(&reply);
		pl_error_clear(err);
		pl_error_set(err, PL_EXIT_PROTOCOL, "paceline-cib sent a malformed reply");
		return PL_EXIT_PROTOCOL;
	}
	if (rc != 0 && *text != '\0') {
		pl_error_clear(err);
		pl_error_set(err, rc, "%s", text);
	}
	version_of(a, e, n, version);
	if (output != NULL && *xml != '\0') {
		struct pl_error pe = PL_ERROR_INIT;
		xmlDoc *d = pl_xml_parse_string(xml, "paceline-cib reply", &pe);

		if (d == NULL) {
			pl_ipc_msg_clear(&reply);
			pl_error_clear(err);
			pl_error_set(
			    err, PL_EXIT_PROTOCOL, "paceline-cib sent malformed XML: %s", pe.text);
			return PL_EXIT_PROTOCOL;
		}
		*output = xmlDocGetRootElement(d);
	}
	pl_ipc_msg_clear(&reply);
	return rc;
}

int
pl_cib_subscribe(struct pl_cib_conn *c, bool on, struct pl_cib_version *start, struct pl_error *err)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_msg reply = PL_IPC_MSG_INIT;
	uint64_t a = 0, e = 0, n = 0;
	struct pl_error local = PL_ERROR_INIT;
	bool ok;

	if (err == NULL)
		err = &local;
	pl_msg_pack(&p, PL_MSG_CIB_SUBSCRIBE, (uint32_t)(on ? 1 : 0));
	ok = pl_ipc_call(c->conn, PL_MSG_CIB_SUBSCRIBE, &p, PL_MSG_CIB_SUBSCRIBE_REPLY,
	    CALL_TIMEOUT_MS, &reply, err);
	pl_pack_free(&p);
	if (ok) {
		if (!pl_msg_unpack(&reply, PL_MSG_CIB_SUBSCRIBE_REPLY, &a, &e, &n)) {
			pl_error_set(err, PL_EXIT_PROTOCOL, "paceline-cib sent a malformed reply");
			ok = false;
		}
		version_of(a, e, n, start);
	}
	pl_ipc_msg_clear(&reply);
	return ok ? 0 : err->code;
}

void
pl_cib_notify_clear(struct pl_cib_notify *n)
{
	free(n->origin);
	free(n->client);
	if (n->patchset != NULL)
		xmlFreeDoc(n->patchset);
	memset(n, 0, sizeof(*n));
}

bool
pl_cib_notify_decode(const struct pl_ipc_msg *ev, struct pl_cib_notify *n)
{
	struct pl_error pe = PL_ERROR_INIT;
	const char *origin, *client, *xml;
	uint64_t a, e, nu;
	uint32_t op;

	memset(n, 0, sizeof(*n));
	if (!pl_msg_unpack(ev, PL_MSG_CIB_NOTIFY, &a, &e, &nu, &origin, &client, &op, &xml))
		return false;
	version_of(a, e, nu, &n->version);
	n->patchset = pl_xml_parse_string(xml, "patchset", &pe);
	if (n->patchset == NULL)
		return false;
	n->origin = xstrdup(origin);
	n->client = xstrdup(client);
	n->op = op;
	return true;
}

bool
pl_cib_next_notify(
    struct pl_cib_conn *c, int timeout_ms, struct pl_cib_notify *n, struct pl_error *err)
{
	struct pl_ipc_msg ev = PL_IPC_MSG_INIT;
	bool ok;

	if (!pl_ipc_wait_event_type(c->conn, PL_MSG_CIB_NOTIFY, timeout_ms, &ev, err))
		return false;
	ok = pl_cib_notify_decode(&ev, n);
	pl_ipc_msg_clear(&ev);
	if (!ok)
		pl_error_set(err, PL_EXIT_PROTOCOL, "malformed notification from the CIB");
	return ok;
}

struct async_update {
	struct pl_cib_conn *c;
	pl_cib_done_fn done;
	void *arg;
};

static void
async_reply(
    struct pl_ipc_conn *conn, const struct pl_ipc_msg *reply, const struct pl_error *err, void *arg)
{
	struct async_update *a = arg;
	const char *text = "", *xml = "";
	uint64_t ae = 0, e = 0, n = 0;
	struct pl_cib_version v;
	int rc = err != NULL ? (err->code != 0 ? err->code : PL_EXIT_ERROR) : 0;

	(void)conn;
	if (reply != NULL && reply->type == PL_MSG_CIB_UPDATE_REPLY) {
		if (pl_msg_unpack(reply, PL_MSG_CIB_UPDATE_REPLY, &text, &xml, &ae, &e, &n)) {
			version_of(ae, e, n, &v);
			a->done(a->c, rc,
			    rc != 0 && *text == '\0' && err != NULL ? err->text : text, &v, a->arg);
		} else {
			a->done(a->c, PL_EXIT_PROTOCOL, "paceline-cib sent a malformed reply", NULL,
			    a->arg);
		}
	} else {
		a->done(a->c, rc, err != NULL ? err->text : "", NULL, a->arg);
	}
	free(a);
}

bool
pl_cib_update_async(struct pl_cib_conn *c, const struct pl_cib_request *req, int timeout_ms,
    pl_cib_done_fn done, void *arg, struct pl_error *err)
{
	const char *opts[] = { "client", c->client, NULL };
	struct pl_pack p = PL_PACK_INIT;
	char *input = req->input != NULL ? pl_xml_dump(req->input, false) : NULL;
	struct async_update *a;
	uint32_t id;

	if (req->op == PL_CIB_OP_QUERY) {
		free(input);
		pl_error_set(err, PL_EXIT_USAGE, "pl_cib_update_async: a query is not an update");
		return false;
	}
	a = XNEW(struct async_update);
	a->c = c;
	a->done = done;
	a->arg = arg;
	pl_msg_pack(&p, PL_MSG_CIB_UPDATE, (uint32_t)req->op, (uint32_t)req->flags,
	    req->section != NULL ? req->section : "", req->xpath != NULL ? req->xpath : "",
	    input != NULL ? input : "", (const char *const *)opts);
	free(input);
	id = pl_ipc_call_async(c->conn, PL_MSG_CIB_UPDATE, &p, PL_MSG_CIB_UPDATE_REPLY,
	    timeout_ms > 0 ? timeout_ms : CALL_TIMEOUT_MS, async_reply, a, err);
	pl_pack_free(&p);
	if (id == 0) {
		free(a);
		return false;
	}
	return true;
}
