/*
 * server.c - paceline-cib's local IPC front end (include/paceline/msg/cib.def). lib/ipc's
 * dispatcher has already checked type, direction, privilege (updates: root or haclient),
 * length and signature; here the fields are checked for meaning (operation, section, XML)
 * before anything reaches the core.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cib_daemon.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#define SUB_NOTIFY 0x1 /* subscription bit: CIB_NOTIFY */

static struct pl_ipc_server *server;
static unsigned n_subscribers;		       /* no subscriber: no patchset is serialized */
static GQueue waiting_requests = G_QUEUE_INIT; /* struct held_request, during a sync */

/* A request that arrived while a join sync ran, served when it is over. */
struct held_request {
	uint64_t client_id;
	enum pl_msg_type type;
	uint32_t call_id;
	size_t len;
	unsigned char payload[];
};

static bool
hold_if_syncing(struct pl_ipc_client *c, const struct pl_ipc_msg *msg)
{
	struct held_request *h;

	if (cib_repl_active())
		return false;
	h = xmalloc(sizeof(*h) + msg->len);
	h->client_id = pl_ipc_client_id(c);
	h->type = msg->type;
	h->call_id = msg->call_id;
	h->len = msg->len;
	memcpy(h->payload, msg->payload, msg->len);
	g_queue_push_tail(&waiting_requests, h);
	return true;
}

/* A decoded request (pointers into the message). */
struct request {
	uint32_t op, flags;
	const char *section, *xpath, *input, *client;
	xmlDoc *doc; /* input parsed, or NULL */
};

/* Answer a query or an update: error text, output XML, version (lib/ipc sends a large
 * answer in pieces). One over the message limit is replaced by an error saying so. */
static void
reply_now(struct pl_ipc_client *c, uint32_t call_id, enum pl_msg_type type, int rc,
    const char *text, const char *output, const struct pl_cib_version *v)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_cib_version zero = { 0, 0, 0 };

	if (v == NULL)
		v = &zero;
	pl_msg_pack(&p, type, text != NULL ? text : "", output != NULL ? output : "",
	    (uint64_t)v->admin_epoch, (uint64_t)v->epoch, (uint64_t)v->num_updates);
	if (p.len > pl_msg_effective_limit(pl_msg_def(type)->maxlen)) {
		char *t = xasprintf("the answer (%zu bytes) exceeds the message limit (%zu bytes, "
				    "%s): query a section (-o) or an XPath (-A), or raise it",
		    p.len, pl_msg_effective_limit(pl_msg_def(type)->maxlen), PL_MSG_LIMIT_ENV);

		log_warnx("%s", t);
		pl_pack_reset(&p);
		pl_msg_pack(&p, type, t, "", (uint64_t)v->admin_epoch, (uint64_t)v->epoch,
		    (uint64_t)v->num_updates);
		free(t);
		rc = PL_EXIT_ERROR;
	}
	pl_ipc_reply(c, call_id, type, rc, &p);
	pl_pack_free(&p);
}

static void
server_reply(const struct cib_waiter *w, int rc, const char *text, const char *output,
    const struct pl_cib_version *v, void *arg)
{
	(void)arg;
	cib_server_reply(w, rc, text, output, v);
}

void
cib_server_reply(const struct cib_waiter *w, int rc, const char *text, const char *output,
    const struct pl_cib_version *v)
{
	struct pl_ipc_client *c;

	if (server == NULL || (c = pl_ipc_server_find_client(server, w->client_id)) == NULL)
		return;
	reply_now(c, w->call_id, PL_MSG_CIB_UPDATE_REPLY, rc, text, output, v);
}

static void
server_notify(const struct pl_cib_version *v, const char *origin, const char *client, uint32_t op,
    const xmlNode *patchset, void *arg)
{
	(void)arg;
	struct pl_pack p = PL_PACK_INIT;
	char *xml;

	if (server == NULL || n_subscribers == 0)
		return;
	xml = pl_xml_dump(patchset, false);
	if (strlen(xml) + 4096 > pl_msg_effective_limit(pl_msg_def(PL_MSG_CIB_NOTIFY)->maxlen)) {
		free(xml); /* over the message limit: subscribers re-query */
		xml = xstrdup("<diff format=\"2\" truncated=\"true\"/>");
	}
	pl_msg_pack(&p, PL_MSG_CIB_NOTIFY, (uint64_t)v->admin_epoch, (uint64_t)v->epoch,
	    (uint64_t)v->num_updates, origin, client, op, xml);
	free(xml);
	pl_ipc_broadcast(server, SUB_NOTIFY, PL_MSG_CIB_NOTIFY, &p);
	pl_pack_free(&p);
}

/* Decode and check a request; on failure answer it and return false. */
static bool
request_decode(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, enum pl_msg_type rtype,
    struct request *r)
{
	struct pl_error e = PL_ERROR_INIT;
	const char **opts = NULL;
	uint32_t nopts = 0;

	memset(r, 0, sizeof(*r));
	r->client = "unknown";
	if (!pl_msg_unpack(msg, msg->type, &r->op, &r->flags, &r->section, &r->xpath, &r->input,
		&opts, &nopts)) { /* CIB_QUERY or CIB_UPDATE: the same fields */
		free(opts);
		reply_now(c, msg->call_id, rtype, PL_EXIT_PROTOCOL, "malformed request", NULL, NULL);
		return false;
	}
	for (uint32_t i = 0; i < nopts; i++)
		if (strcmp(opts[2 * i], "client") == 0 && *opts[2 * i + 1] != '\0')
			r->client = opts[2 * i + 1];
	free(opts);
	if (*r->section == '\0')
		r->section = NULL;
	if (*r->xpath == '\0')
		r->xpath = NULL;
	if (r->op > PL_CIB_OP_APPLY_PATCH ||
	    (msg->type == PL_MSG_CIB_QUERY) != (r->op == PL_CIB_OP_QUERY)) {
		reply_now(c, msg->call_id, rtype, PL_EXIT_USAGE,
		    msg->type == PL_MSG_CIB_QUERY ? "a query must be a query operation"
						  : "unknown or read-only operation in an update",
		    NULL, NULL);
		return false;
	}
	if (r->section != NULL && !pl_cib_section_valid(r->section)) {
		char *t = xasprintf("invalid section '%s'", r->section);

		reply_now(c, msg->call_id, rtype, PL_EXIT_USAGE, t, NULL, NULL);
		free(t);
		return false;
	}
	/* The sync flag is the replicas' own (a peer's whole CIB taken as is). */
	r->flags &= ~(uint32_t)PL_CIB_F_SYNC;
	if (*r->input != '\0') {
		r->doc = pl_xml_parse_string(r->input, "input", &e);
		if (r->doc == NULL) {
			reply_now(c, msg->call_id, rtype, PL_EXIT_DATAERR, e.text, NULL, NULL);
			return false;
		}
	}
	return true;
}

/* The name of a local client's user (its uid as a number when it has no name). */
static const char *
client_user(struct pl_ipc_client *c)
{
	static char buf[64];
	struct passwd *pw = getpwuid(pl_ipc_client_uid(c));
	if (pw != NULL)
		snprintf(buf, sizeof(buf), "%s", pw->pw_name);
	else
		snprintf(buf, sizeof(buf), "%u", (unsigned)pl_ipc_client_uid(c));
	return buf;
}

static void
on_query(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct request r;
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_version v;
	xmlNode *out = NULL;
	char *xml = NULL;
	int rc;

	(void)arg;
	if (hold_if_syncing(c, msg))
		return;
	if (!request_decode(c, msg, PL_MSG_CIB_QUERY_REPLY, &r))
		return;
	struct pl_cib_request req = { .op = PL_CIB_OP_QUERY,
		.section = r.section,
		.xpath = r.xpath,
		.flags = r.flags,
		.input = r.doc ? xmlDocGetRootElement(r.doc) : NULL };
	/* the whole CIB or a section: serialized in place, without the copy cib_core_query
	 * makes (a third of the time on a 10 MB CIB); a missing section takes the generic
	 * path, which words its error */
	const char *user = client_user(c);
	bool acl = cib_core_acl_applies(user);
	if (!acl && r.xpath == NULL && r.flags == 0 && r.doc == NULL &&
	    (xml = cib_core_dump_section(r.section)) != NULL) {
		rc = 0;
	} else {
		rc = cib_core_query(&req, &out, &e);
		if (rc == 0 && acl)
			rc = cib_core_acl_filter(user, &out, &e);
	}
	cib_core_version(&v);
	if (out != NULL) {
		xml = pl_xml_dump(out, false);
		xmlFreeNode(out);
	}
	reply_now(c, msg->call_id, PL_MSG_CIB_QUERY_REPLY, rc, rc != 0 ? e.text : "", xml, &v);
	free(xml);
	if (r.doc != NULL)
		xmlFreeDoc(r.doc);
}

/* What the daemon keeps per connection: the sender's user name for the update-user stamp,
 * looked up once (a lookup reads /etc/passwd: once per update it was a measurable part of a
 * status write), and whether it receives notifications. */
struct client_state {
	char *user;
	bool subscribed;
};

static struct client_state *
client_state(struct pl_ipc_client *c)
{
	struct client_state *st = pl_ipc_client_user(c);

	if (st == NULL) {
		struct passwd *pw = getpwuid(pl_ipc_client_uid(c));

		st = XNEW(struct client_state);
		st->user = pw != NULL ? xstrdup(pw->pw_name)
				      : xasprintf("%u", (unsigned)pl_ipc_client_uid(c));
		pl_ipc_client_set_user(c, st);
	}
	return st;
}

static void
on_destroyed(struct pl_ipc_client *c, void *arg)
{
	struct client_state *st = pl_ipc_client_user(c);

	(void)arg;
	if (st == NULL)
		return;
	if (st->subscribed)
		n_subscribers--;
	free(st->user);
	free(st);
	pl_ipc_client_set_user(c, NULL);
}

static void
on_update(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct request r;
	struct cib_waiter w;

	(void)arg;
	if (hold_if_syncing(c, msg))
		return;
	if (!request_decode(c, msg, PL_MSG_CIB_UPDATE_REPLY, &r))
		return;
	struct cib_update u = {
		.op = r.op,
		.flags = r.flags,
		.section = r.section,
		.xpath = r.xpath,
		.input = r.doc ? xmlDocGetRootElement(r.doc) : NULL,
		.origin = cib_core_node(),
		.client = r.client,
		.user = client_state(c)->user,
		.when = 0,
	};
	if (cib_core_acl_applies(u.user)) {
		struct pl_error e = PL_ERROR_INIT;
		int rc = cib_core_acl_check(&u, &e);
		if (rc != 0) {
			log_info("%s by %s refused by the ACLs", u.client ? u.client : "a client",
			    u.user);
			reply_now(c, msg->call_id, PL_MSG_CIB_UPDATE_REPLY, rc, e.text, NULL, NULL);
			if (r.doc != NULL)
				xmlFreeDoc(r.doc);
			return;
		}
	}
	w.client_id = pl_ipc_client_id(c);
	w.call_id = msg->call_id;
	cib_repl_submit(&u, r.input, &w);
	if (r.doc != NULL)
		xmlFreeDoc(r.doc);
}

static void
on_subscribe(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_cib_version v;
	uint32_t on = 0;
	struct client_state *st = client_state(c);

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_CIB_SUBSCRIBE, &on);
	pl_ipc_client_subscribe(c, on ? SUB_NOTIFY : 0);
	if (on && !st->subscribed)
		n_subscribers++;
	else if (!on && st->subscribed)
		n_subscribers--;
	st->subscribed = on != 0;
	cib_core_version(&v);
	pl_msg_pack(&p, PL_MSG_CIB_SUBSCRIBE_REPLY, (uint64_t)v.admin_epoch, (uint64_t)v.epoch,
	    (uint64_t)v.num_updates);
	pl_ipc_reply(c, msg->call_id, PL_MSG_CIB_SUBSCRIBE_REPLY, 0, &p);
	pl_pack_free(&p);
	log_debug("client pid %d %s notifications", (int)pl_ipc_client_pid(c),
	    on ? "subscribed to" : "unsubscribed from");
}

const struct cib_core_ops cib_server_core_ops = { .reply = server_reply, .notify = server_notify };

void
cib_server_resume(void)
{
	while (!g_queue_is_empty(&waiting_requests) && cib_repl_active()) {
		struct held_request *h = g_queue_pop_head(&waiting_requests);
		struct pl_ipc_client *c =
		    server ? pl_ipc_server_find_client(server, h->client_id) : NULL;
		struct pl_ipc_msg m = PL_IPC_MSG_INIT;

		if (c != NULL) {
			m.type = h->type;
			m.def = pl_msg_def(h->type);
			m.call_id = h->call_id;
			m.payload = h->payload;
			m.len = h->len;
			if (h->type == PL_MSG_CIB_QUERY)
				on_query(c, &m, NULL);
			else
				on_update(c, &m, NULL);
		}
		free(h);
	}
}

bool
cib_server_start(struct pl_error *e)
{
	static const struct pl_ipc_server_ops ops = { .destroyed = on_destroyed };

	server = pl_ipc_server_new(PL_SVC_CIB, NULL, &ops, NULL, e);
	if (server == NULL)
		return false;
	pl_ipc_server_handle(server, PL_MSG_CIB_QUERY, on_query);
	pl_ipc_server_handle(server, PL_MSG_CIB_UPDATE, on_update);
	pl_ipc_server_handle(server, PL_MSG_CIB_SUBSCRIBE, on_subscribe);
	return true;
}

void
cib_server_stop(void)
{
	if (server != NULL)
		pl_ipc_server_free(server);
	server = NULL;
	while (!g_queue_is_empty(&waiting_requests))
		free(g_queue_pop_head(&waiting_requests));
}
