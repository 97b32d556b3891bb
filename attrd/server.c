/*
 * server.c - paceline-attrd's local IPC front end: one handler per request of attrd.def
 * (lib/ipc's dispatcher has checked type, direction, privilege, length and signature).
 * An update is checked (known node, valid pattern), then broadcast to the group; every attrd,
 * this one included, applies it when the group delivers it. A query reads the local copy,
 * which every member holds whole.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrd.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

static struct pl_ipc_server *server;

static void
reply_update(struct pl_ipc_client *c, uint32_t call_id, int code, const char *text)
{
	struct pl_pack p = PL_PACK_INIT;

	pl_msg_pack(&p, PL_MSG_ATTRD_UPDATE_REPLY, (int32_t)code, text);
	pl_ipc_reply(c, call_id, PL_MSG_ATTRD_UPDATE_REPLY, code, &p);
	pl_pack_free(&p);
}

/* A client's update waits for paceline-membership to take it (the main loop does not). */
struct update_waiter {
	uint64_t client_id;
	uint32_t call_id;
	char name[128]; /* for the log */
};

static void
on_update_sent(const struct pl_error *err, void *arg)
{
	struct update_waiter *w = arg;
	struct pl_ipc_client *c = server ? pl_ipc_server_find_client(server, w->client_id) : NULL;

	if (err == NULL) {
		if (c != NULL) /* else the client left: nobody to answer */
			reply_update(c, w->call_id, 0, "");
	} else {
		log_warnx("cannot broadcast an update of %s: %s", w->name, err->text);
		if (c != NULL)
			reply_update(c, w->call_id, err->code ? err->code : PL_EXIT_ERROR, err->text);
	}
	free(w);
}

static void
on_update(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct update_waiter *w;
	struct attrd_update u;
	struct pl_error err = PL_ERROR_INIT;
	char text[512];

	(void)arg;
	pl_msg_unpack(
	    msg, PL_MSG_ATTRD_UPDATE, &u.host, &u.name, &u.value, &u.set, &u.dampen_ms, &u.flags);
	if (u.host[0] == '\0')
		u.host = attrd_self();
	if (u.set[0] == '\0')
		u.set = NULL;
	if (u.name[0] == '\0' && !(u.flags & ATTRD_U_REFRESH)) {
		reply_update(c, msg->call_id, PL_EXIT_USAGE, "no attribute name given");
		return;
	}
	if (attrd_node_id(u.host) == 0) {
		snprintf(text, sizeof(text), "node '%s' is not in the cluster's nodelist", u.host);
		reply_update(c, msg->call_id, PL_EXIT_NOSUCH, text);
		return;
	}
	if (u.flags & ATTRD_U_PATTERN) {
		regex_t re;

		if (regcomp(&re, u.name, REG_EXTENDED | REG_NOSUB) != 0) {
			snprintf(
			    text, sizeof(text), "'%s' is not a valid regular expression", u.name);
			reply_update(c, msg->call_id, PL_EXIT_USAGE, text);
			return;
		}
		regfree(&re);
	}
	w = XNEW(struct update_waiter);
	w->client_id = pl_ipc_client_id(c);
	w->call_id = msg->call_id;
	snprintf(w->name, sizeof(w->name), "%s", u.name);
	if (!attrd_memb_send_update(&u, on_update_sent, w, &err)) {
		on_update_sent(&err, w);
		return;
	}
	log_debug("update %s[%s]=%s from pid %d", u.name, u.host, u.value, (int)pl_ipc_client_pid(c));
}

static void
on_query(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *name, *host, **hosts, **values, **kv;
	uint32_t all;
	struct pl_pack p = PL_PACK_INIT;
	struct attrd_core *core = attrd_the_core();
	size_t n;
	int code = 0;
	char text[512] = "";

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_ATTRD_QUERY, &name, &host, &all);
	if (host[0] == '\0')
		host = attrd_self();
	n = attrd_core_values(core, name, &hosts, &values);
	kv = xcalloc(2 * n + 3, sizeof(char *));
	if (!attrd_core_known(core, name)) {
		code = PL_EXIT_NOSUCH;
		snprintf(text, sizeof(text), "attribute '%s' is not known", name);
	} else if (all) {
		for (size_t i = 0; i < n; i++) {
			kv[2 * i] = hosts[i];
			kv[2 * i + 1] = values[i];
		}
	} else {
		const char *v = attrd_core_value(core, name, host);

		kv[0] = host;
		kv[1] = v != NULL ? v : "";
	}
	pl_msg_pack(&p, PL_MSG_ATTRD_QUERY_REPLY, (int32_t)code, text, (const char *const *)kv);
	pl_ipc_reply(c, msg->call_id, PL_MSG_ATTRD_QUERY_REPLY, code, &p);
	pl_pack_free(&p);
	free(kv);
	free(hosts);
	free(values);
}

bool
attrd_server_start(struct pl_error *err)
{
	server = pl_ipc_server_new(PL_SVC_ATTRD, NULL, NULL, NULL, err);
	if (server == NULL)
		return false;
	pl_ipc_server_handle(server, PL_MSG_ATTRD_UPDATE, on_update);
	pl_ipc_server_handle(server, PL_MSG_ATTRD_QUERY, on_query);
	return true;
}

void
attrd_server_stop(void)
{
	if (server != NULL)
		pl_ipc_server_free(server);
	server = NULL;
}
