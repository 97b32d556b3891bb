/*
 * ipc.c - the local client API of paceline-membership over lib/ipc (messages in
 * include/paceline/msg/membership.def): status, group join/leave/send with deliveries and
 * member changes as events, quorum events. A client that disconnects leaves its groups.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "membership.h"

struct client {
	char **groups;
	unsigned n_groups;
};

static bool
client_in(const struct client *cl, const char *group)
{
	for (unsigned i = 0; cl && i < cl->n_groups; i++)
		if (strcmp(cl->groups[i], group) == 0)
			return true;
	return false;
}

/* A blob of u32 values in network byte order (the "b" fields of membership.def): n * 4
 * bytes, caller frees. */
static uint32_t *
blob_u32(const uint32_t *v, unsigned n)
{
	uint32_t *tmp = xcalloc(n ? n : 1, 4);

	for (unsigned i = 0; i < n; i++)
		tmp[i] = htonl(v[i]);
	return tmp;
}

/* Members as (nodeid, pid) records: n * 8 bytes, caller frees. */
static uint32_t *
blob_members(const struct membership_member *m, unsigned n)
{
	uint32_t *tmp = xcalloc(n ? 2 * n : 1, 4);

	for (unsigned i = 0; i < n; i++) {
		tmp[2 * i] = htonl(m[i].nodeid);
		tmp[2 * i + 1] = htonl(m[i].pid);
	}
	return tmp;
}

/* The quorum device flags of nodelist entry i: ours as they are, the others' as their last
 * NODEINFO said. */
static uint32_t
qdevice_flags_of(unsigned i)
{
	if (membership_daemon.conf.nodes[i].nodeid != membership_daemon.nodeid)
		return membership_daemon.node_qdevice[i];
	return membership_daemon.qdevice_flags |
	    (membership_daemon.conf.device ? MEMBERSHIP_QCTL_F_QDEVICE : 0u);
}

static void
on_status(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const struct membership_quorum *q = &membership_daemon.quorum;
	struct pl_pack p = PL_PACK_INIT;
	uint32_t nodes[3 * TOTEM_MAX_NODES];
	const char *names[TOTEM_MAX_NODES + 1];
	uint32_t flags = membership_quorum_flags(q);

	(void)arg;
	for (unsigned i = 0; i < membership_daemon.conf.n_nodes; i++) {
		bool on = false;
		for (unsigned k = 0; k < membership_daemon.n_members && !on; k++)
			on = membership_daemon.members[k] == membership_daemon.conf.nodes[i].nodeid;
		nodes[3 * i] = membership_daemon.conf.nodes[i].nodeid;
		nodes[3 * i + 1] = membership_daemon.conf.nodes[i].votes;
		/* bit 0: a member; bits 8-15: its quorum device flags (MEMBERSHIP_QCTL_F_*) */
		nodes[3 * i + 2] = on ? 1u | qdevice_flags_of(i) << 8 : 0;
		names[i] = membership_daemon.conf.nodes[i].name;
	}
	names[membership_daemon.conf.n_nodes] = NULL;
	{
		const struct totem_stats *ts = totem_get_stats(membership_daemon.totem);
		char vals[TOTEM_DROP_COUNT_MAX + 14][24];
		const char *kv[2 * (TOTEM_DROP_COUNT_MAX + 14) + 1];
		unsigned k = 0, v = 0;
		uint32_t *nodes_blob = blob_u32(nodes, 3 * membership_daemon.conf.n_nodes);
#define COUNTER(name, value)                                                             \
	do {                                                                             \
		snprintf(vals[v], sizeof(vals[v]), "%llu", (unsigned long long)(value)); \
		kv[k++] = (name);                                                        \
		kv[k++] = vals[v++];                                                     \
	} while (0)
		for (int d = 0; d < TOTEM_DROP_COUNT_MAX; d++)
			COUNTER(totem_drop_name((enum totem_drop)d), ts->drops[d]);
		COUNTER("tokens", ts->tokens);
		COUNTER("token_retransmits", ts->token_retransmits);
		COUNTER("mcast_sent", ts->mcast_sent);
		COUNTER("mcast_retransmits", ts->mcast_retransmits);
		COUNTER("packed", ts->packed);
		COUNTER("delivered", ts->delivered);
		COUNTER("rings", ts->rings);
		COUNTER("nudges_sent", ts->nudges_sent);
		COUNTER("nudges_heard", ts->nudges_heard);
		COUNTER("group_malformed", membership_groups_malformed(membership_daemon.groups));
		COUNTER("highest_expected", q->highest_expected);
		COUNTER("tie_breaker", q->c.auto_tie_breaker ? membership_quorum_tie_breaker(q) : 0);
		COUNTER("qdevice_votes", q->c.device_votes);
#undef COUNTER
		kv[k] = NULL;
		pl_msg_pack(&p, PL_MSG_MEMBERSHIP_STATUS_REPLY, membership_daemon.nodeid,
		    membership_daemon.ring.rep, (uint64_t)membership_daemon.ring.seq,
		    totem_state_name(totem_get_state(membership_daemon.totem)),
		    (uint32_t)q->quorate, q->expected, q->total, q->quorum, flags,
		    (const void *)nodes_blob, (size_t)membership_daemon.conf.n_nodes * 12,
		    (const char *const *)names, (const char *const *)kv);
		free(nodes_blob);
	}
	pl_ipc_reply(c, msg->call_id, PL_MSG_MEMBERSHIP_STATUS_REPLY, 0, &p);
	pl_pack_free(&p);
}

/* paceline-qdevice-tool -s: the quorum device client's state (status 2: none configured) */
static void
on_qdevice_status(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	uint32_t verbose;
	struct pl_pack p = PL_PACK_INIT;
	GString *out;

	(void)arg;
	if (!pl_msg_unpack(msg, PL_MSG_MEMBERSHIP_QDEVICE_STATUS, &verbose)) {
		pl_ipc_reply_status(c, msg->call_id, 76, "malformed quorum device status request");
		return;
	}
	if (!membership_daemon.conf.device) {
		pl_ipc_reply_status(c, msg->call_id, 2, "no quorum device configured");
		return;
	}
	out = g_string_new(NULL);
	membership_qdevice_net_status(out, verbose != 0);
	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_QDEVICE_STATUS_REPLY, out->str);
	pl_ipc_reply(c, msg->call_id, PL_MSG_MEMBERSHIP_QDEVICE_STATUS_REPLY, 0, &p);
	pl_pack_free(&p);
	g_string_free(out, TRUE);
}

static void
on_links(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const struct membership_conf *conf = &membership_daemon.conf;
	struct membership_link_status st[TOTEM_MAX_NODES * MEMBERSHIP_MAX_LINKS];
	const char *local[MEMBERSHIP_MAX_LINKS + 1], *group[MEMBERSHIP_MAX_LINKS + 1], **remote;
	uint8_t *rec;
	unsigned n = membership_links_status(
	    membership_daemon.links, st, TOTEM_MAX_NODES * MEMBERSHIP_MAX_LINKS);
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	for (unsigned l = 0; l < conf->n_links; l++) {
		local[l] = membership_daemon.self->addr[l] ? membership_daemon.self->addr[l] : "";
		group[l] = membership_daemon.gfd[l] >= 0 ? membership_daemon.group_addr[l] : "";
	}
	local[conf->n_links] = group[conf->n_links] = NULL;
	rec = xcalloc(n ? n : 1, 40);
	remote = xcalloc(n + 1, sizeof(*remote));
	for (unsigned i = 0; i < n; i++) {
		const struct membership_node *nd = membership_conf_node(conf, st[i].nodeid);
		remote[i] = nd && nd->addr[st[i].link] ? nd->addr[st[i].link] : "";
		uint32_t v[4] = { htonl(st[i].nodeid), htonl(st[i].link), htonl(st[i].up),
			htonl(st[i].rtt_ms) };
		uint64_t w[3] = { st[i].tx, st[i].rx, st[i].downs };
		memcpy(rec + 40 * i, v, 16);
		for (unsigned k = 0; k < 3; k++)
			for (unsigned b = 0; b < 8; b++)
				rec[40 * i + 16 + 8 * k + b] = (uint8_t)(w[k] >> (56 - 8 * b));
	}
	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_LINKS_REPLY, membership_transport_name(conf->transport),
	    membership_link_mode_name(conf->link_mode), (const char *const *)local,
	    (const char *const *)group, (const void *)rec, (size_t)n * 40,
	    (const char *const *)remote);
	free(rec);
	free(remote);
	pl_ipc_reply(c, msg->call_id, PL_MSG_MEMBERSHIP_LINKS_REPLY, 0, &p);
	pl_pack_free(&p);
}

/* corosync-quorumtool -e: refused when the new value would cost this partition its quorum
 * (as votequorum does); otherwise sent through the ring so every member applies it at the
 * same point. */
static void
on_set_expected(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const struct membership_quorum *q = &membership_daemon.quorum;
	uint32_t v, eff, quorum;

	(void)arg;
	if (!pl_msg_unpack(msg, PL_MSG_MEMBERSHIP_SET_EXPECTED, &v))
		return;
	eff = v > q->total ? v : q->total;
	quorum = q->c.two_node && !q->c.auto_tie_breaker && eff == 2 ? 1 : eff / 2 + 1;
	if (v == 0 || quorum > q->total) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_INVALID_PARAM,
		    "expected votes %u would need %u votes for quorum; %u are present", v, quorum,
		    q->total);
		return;
	}
	if (totem_get_state(membership_daemon.totem) != TOTEM_OPERATIONAL ||
	    membership_qctl_send(MEMBERSHIP_QCTL_EXPECTED, 0, v) != 0) {
		pl_ipc_reply_status(
		    c, msg->call_id, PL_EXIT_TEMPFAIL, "the ring is not operational; try again");
		return;
	}
	pl_ipc_reply_status(c, msg->call_id, 0, "expected votes %u sent to the ring", v);
	membership_reschedule();
}

static bool
group_arg(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, const char **group,
    const void **data, size_t *len)
{
	if (data ? !pl_msg_unpack(msg, PL_MSG_MEMBERSHIP_SEND, group, data, len)
		 : !pl_msg_unpack(msg, msg->type, group)) /* JOIN, LEAVE: "s" */
		return false;
	if (!**group || strlen(*group) > MEMBERSHIP_GROUP_NAME_MAX) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_INVALID_PARAM,
		    "group name must have 1 to %d bytes", MEMBERSHIP_GROUP_NAME_MAX);
		return false;
	}
	return true;
}

static struct client *
client_of(struct pl_ipc_client *c)
{
	struct client *cl = pl_ipc_client_user(c);

	if (!cl) {
		cl = XNEW(struct client);
		pl_ipc_client_set_user(c, cl);
	}
	return cl;
}

static void
on_join(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct client *cl = client_of(c);
	const char *group;

	(void)arg;
	if (!group_arg(c, msg, &group, NULL, NULL))
		return;
	if (client_in(cl, group)) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_EXISTS, "already in group %s", group);
		return;
	}
	if (membership_groups_join(
		membership_daemon.groups, group, (uint32_t)pl_ipc_client_pid(c)) != 0) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_TEMPFAIL, "ring queue full, try again");
		return;
	}
	cl->groups = xreallocarray(cl->groups, cl->n_groups + 1, sizeof(char *));
	cl->groups[cl->n_groups++] = xstrdup(group);
	pl_ipc_reply_status(c, msg->call_id, 0, "joined %s", group);
	membership_reschedule();
}

static void
leave(struct client *cl, unsigned i, uint32_t pid)
{
	if (membership_groups_leave(membership_daemon.groups, cl->groups[i], pid) != 0)
		log_warnx("leave of group %s not queued (ring queue full)", cl->groups[i]);
	free(cl->groups[i]);
	cl->groups[i] = cl->groups[--cl->n_groups];
}

static void
on_leave(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct client *cl = client_of(c);
	const char *group;

	(void)arg;
	if (!group_arg(c, msg, &group, NULL, NULL))
		return;
	for (unsigned i = 0; i < cl->n_groups; i++) {
		if (strcmp(cl->groups[i], group) == 0) {
			leave(cl, i, (uint32_t)pl_ipc_client_pid(c));
			pl_ipc_reply_status(c, msg->call_id, 0, "left %s", group);
			membership_reschedule();
			return;
		}
	}
	pl_ipc_reply_status(c, msg->call_id, PL_EXIT_NOSUCH, "not in group %s", group);
}

static void
on_send(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct client *cl = client_of(c);
	const char *group;
	const void *data;
	size_t len;

	(void)arg;
	if (!group_arg(c, msg, &group, &data, &len))
		return;
	if (!client_in(cl, group)) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_NOSUCH, "join group %s first", group);
		return;
	}
	/* The group header (8 bytes and the name) travels inside Totem's largest message: say
	 * so, instead of "queue full" forever (peer.h's frames leave room for it). */
	if (len + 8 + strlen(group) > TOTEM_MAX_MSG) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_DATAERR,
		    "message of %zu bytes does not "
		    "fit a group message (%d bytes with the group header)",
		    len, TOTEM_MAX_MSG);
		return;
	}
	if (membership_groups_send(
		membership_daemon.groups, group, (uint32_t)pl_ipc_client_pid(c), data, len) != 0) {
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_TEMPFAIL, "ring queue full, try again");
		return;
	}
	pl_ipc_reply_status(c, msg->call_id, 0, "queued");
	membership_reschedule();
}

static void
quorum_pack(struct pl_pack *p)
{
	const struct membership_quorum *q = &membership_daemon.quorum;

	uint32_t *ids = blob_u32(membership_daemon.members, membership_daemon.n_members);

	pl_msg_pack(p, PL_MSG_MEMBERSHIP_QUORUM, (uint32_t)q->quorate, q->expected, q->total,
	    q->quorum, (uint64_t)membership_daemon.ring.seq, (const void *)ids,
	    (size_t)membership_daemon.n_members * 4);
	free(ids);
}

static void
on_subscribe_quorum(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	pl_ipc_client_subscribe(c, pl_ipc_client_subscriptions(c) | MEMBERSHIP_SUB_QUORUM);
	pl_ipc_reply_status(c, msg->call_id, 0, "subscribed");
	quorum_pack(&p);
	pl_ipc_event(c, PL_MSG_MEMBERSHIP_QUORUM, &p);
	pl_pack_free(&p);
}

void
membership_ipc_quorum_event(void)
{
	struct pl_pack p = PL_PACK_INIT;

	quorum_pack(&p);
	pl_ipc_broadcast(membership_daemon.ipc, MEMBERSHIP_SUB_QUORUM, PL_MSG_MEMBERSHIP_QUORUM, &p);
	pl_pack_free(&p);
}

/* Events go to the clients in the group; the client list is small (one per daemon). */
static struct pl_ipc_client **clients;
static unsigned n_clients;

static void
fanout(const char *group, enum pl_msg_type type, struct pl_pack *p)
{
	for (unsigned i = 0; i < n_clients; i++)
		if (client_in(pl_ipc_client_user(clients[i]), group))
			pl_ipc_event(clients[i], type, p);
}

void
membership_ipc_deliver(
    const char *group, uint32_t nodeid, uint32_t pid, const uint8_t *data, size_t len)
{
	struct pl_pack p = PL_PACK_INIT;

	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_DELIVER, group, nodeid, pid, data, len);
	fanout(group, PL_MSG_MEMBERSHIP_DELIVER, &p);
	pl_pack_free(&p);
}

void
membership_ipc_group_change(const char *group, const struct membership_member *members, unsigned n,
    const struct membership_member *joined, unsigned nj, const struct membership_member *left,
    unsigned nl)
{
	struct pl_pack p = PL_PACK_INIT;

	uint32_t *bm = blob_members(members, n), *bj = blob_members(joined, nj),
		 *bl = blob_members(left, nl);

	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_GROUP_CHANGE, group, (uint64_t)membership_daemon.ring.seq,
	    (const void *)bm, (size_t)n * 8, (const void *)bj, (size_t)nj * 8, (const void *)bl,
	    (size_t)nl * 8);
	free(bm);
	free(bj);
	free(bl);
	fanout(group, PL_MSG_MEMBERSHIP_GROUP_CHANGE, &p);
	pl_pack_free(&p);
}

static bool
on_accept(struct pl_ipc_client *c, void *arg)
{
	(void)arg;
	clients = xreallocarray(clients, n_clients + 1, sizeof(*clients));
	clients[n_clients++] = c;
	return true;
}

static void
on_destroyed(struct pl_ipc_client *c, void *arg)
{
	struct client *cl = pl_ipc_client_user(c);

	(void)arg;
	for (unsigned i = 0; i < n_clients; i++) {
		if (clients[i] == c) {
			clients[i] = clients[--n_clients];
			break;
		}
	}
	if (!cl)
		return;
	while (cl->n_groups)
		leave(cl, 0, (uint32_t)pl_ipc_client_pid(c));
	free(cl->groups);
	free(cl);
	pl_ipc_client_set_user(c, NULL);
	membership_reschedule();
}

bool
membership_ipc_start(struct pl_error *err)
{
	static const struct pl_ipc_server_ops ops = { .accept = on_accept, .destroyed = on_destroyed };

	membership_daemon.ipc = pl_ipc_server_new(PL_SVC_MEMBERSHIP, NULL, &ops, NULL, err);
	if (!membership_daemon.ipc)
		return false;
	pl_ipc_server_handle(membership_daemon.ipc, PL_MSG_MEMBERSHIP_STATUS, on_status);
	pl_ipc_server_handle(membership_daemon.ipc, PL_MSG_MEMBERSHIP_JOIN, on_join);
	pl_ipc_server_handle(membership_daemon.ipc, PL_MSG_MEMBERSHIP_LEAVE, on_leave);
	pl_ipc_server_handle(membership_daemon.ipc, PL_MSG_MEMBERSHIP_SEND, on_send);
	pl_ipc_server_handle(
	    membership_daemon.ipc, PL_MSG_MEMBERSHIP_SUBSCRIBE_QUORUM, on_subscribe_quorum);
	pl_ipc_server_handle(membership_daemon.ipc, PL_MSG_MEMBERSHIP_LINKS, on_links);
	pl_ipc_server_handle(
	    membership_daemon.ipc, PL_MSG_MEMBERSHIP_QDEVICE_STATUS, on_qdevice_status);
	pl_ipc_server_handle(membership_daemon.ipc, PL_MSG_MEMBERSHIP_SET_EXPECTED, on_set_expected);
	return true;
}

void
membership_ipc_stop(void)
{
	if (membership_daemon.ipc)
		pl_ipc_server_free(membership_daemon.ipc);
	membership_daemon.ipc = NULL;
	free(clients);
	clients = NULL;
	n_clients = 0;
}
