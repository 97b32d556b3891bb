/*
 * main.c - paceline-membership: reads paceline.conf and the authkey, binds the UDP
 * socket of this node's ring0_addr, and drives the Totem state machine (totem_srp.h) from
 * one GLib main loop: datagrams in, timers, datagrams out (sealed by membership_crypto), ring
 * deliveries to the process groups and configuration changes to quorum and clients.
 *
 *	paceline-membership [-V] [-l LOGFILE] [-f CONF] [-k AUTHKEY] [-n NODEID] [-s STATEDIR] [-F]
 * Environment: PL_CONF, PL_AUTHKEY, PL_NODEID, PL_STATE_DIR (same meanings), PL_IPC_PREFIX.
 * The key file: -k, else PL_AUTHKEY, else totem.keyfile, else /etc/paceline/authkey.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/daemon.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "membership.h"

struct membership_daemon membership_daemon;

/* ---- ring sequence number, persisted so ring ids never repeat ---- */

static char *
ringseq_path(void)
{
	return xasprintf("%s/ringseq_%u", membership_daemon.state_dir, membership_daemon.nodeid);
}

static uint64_t
ringseq_load(void)
{
	char *path = ringseq_path();
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			log_warnx("%s: unreadable ring sequence number, ignored", path);
		fclose(f);
	}
	free(path);
	return v;
}

static void
ringseq_store(void *arg, uint64_t seq)
{
	char *path = ringseq_path(), *text = xasprintf("%llu\n", (unsigned long long)seq);
	struct pl_error e = PL_ERROR_INIT;

	(void)arg;
	if (pl_write_file_atomic(path, text, strlen(text), 0644, 0, &e) != 0)
		log_warnx("cannot store the ring sequence number: %s", e.text);
	free(text);
	free(path);
}

/* Which node am I: -n/PL_NODEID, else the first ring0_addr this host can bind. */
static bool
find_self(uint32_t want, struct pl_error *err)
{
	for (unsigned i = 0; i < membership_daemon.conf.n_nodes && !want; i++) {
		const struct membership_node *n = &membership_daemon.conf.nodes[i];
		int fd = socket(n->sa[0].ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && bind(fd, (const struct sockaddr *)&n->sa[0], n->salen[0]) == 0)
			want = n->nodeid;
		if (fd >= 0)
			close(fd);
	}
	membership_daemon.self = want ? membership_conf_node(&membership_daemon.conf, want) : NULL;
	if (!membership_daemon.self) {
		if (want)
			pl_error_set(err, PL_EXIT_CONFIG, "%s: nodeid %u is not in the nodelist",
			    membership_daemon.conf.path, want);
		else
			pl_error_set(err, PL_EXIT_CONFIG,
			    "%s: no ring0_addr of the nodelist is an address of this host "
			    "(or use -n NODEID)",
			    membership_daemon.conf.path);
		return false;
	}
	membership_daemon.nodeid = want;
	return true;
}

/* ---- timers ---- */

#define quorum_changed membership_quorum_changed

static gboolean
on_timer(gpointer data)
{
	uint64_t now = pl_mono_ms();

	(void)data;
	membership_daemon.timer = 0;
	membership_daemon.timer_at = 0;
	membership_links_tick(membership_daemon.links, now);
	totem_tick(membership_daemon.totem, now);
	if (membership_quorum_tick(&membership_daemon.quorum, now))
		quorum_changed("last_man_standing_window passed");
	membership_reschedule();
	return G_SOURCE_REMOVE;
}

void
membership_reschedule(void)
{
	uint64_t at = totem_next_deadline(membership_daemon.totem), now = pl_mono_ms();
	uint64_t la = membership_links_deadline(membership_daemon.links);
	uint64_t qa = membership_quorum_deadline(&membership_daemon.quorum);

	at = la < at ? la : at;
	at = qa < at ? qa : at;
	if (at == membership_daemon.timer_at && membership_daemon.timer)
		return;
	if (membership_daemon.timer)
		g_source_remove(membership_daemon.timer);
	membership_daemon.timer = 0;
	membership_daemon.timer_at = at;
	if (at == UINT64_MAX)
		return;
	membership_daemon.timer = g_timeout_add(at > now ? (guint)(at - now) : 0, on_timer, NULL);
}

/* ---- the ring's callbacks ---- */

static bool stopping;
static guint nodeinfo_retry;

/* This node's expected votes to the ring after a change (the exchange of quorum.h); a full
 * ring queue is retried every 100 ms, or the members would wait for it until the next change. */
static gboolean
send_nodeinfo(gpointer data)
{
	const struct membership_quorum *q = &membership_daemon.quorum;

	(void)data;
	if (membership_qctl_send(MEMBERSHIP_QCTL_NODEINFO,
		(uint16_t)((q->quorate ? MEMBERSHIP_QCTL_F_QUORATE : 0) |
		    (q->c.device_votes ? MEMBERSHIP_QCTL_F_QDEVICE : 0) |
		    membership_daemon.qdevice_flags),
		q->expected) == 0) {
		nodeinfo_retry = 0;
		membership_reschedule();
		return G_SOURCE_REMOVE;
	}
	if (!nodeinfo_retry) {
		log_warnx("cannot send this node's expected votes (ring queue full): retrying");
		nodeinfo_retry = g_timeout_add(100, send_nodeinfo, NULL);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

void
membership_send_nodeinfo(void)
{
	if (membership_daemon.n_members > 1 && !nodeinfo_retry)
		send_nodeinfo(NULL);
}

void
membership_quorum_changed(const char *why)
{
	const struct membership_quorum *q = &membership_daemon.quorum;

	log_notice("%s: %s (votes %u of expected %u, quorum %u%s)", why,
	    q->quorate ? "This node is within the primary component and will provide service."
		       : "This node is within the non-primary component and will NOT provide any "
			 "services.",
	    q->total, q->expected, q->quorum, q->tie_broken ? ", tie broken by ATB" : "");
	/* else the end of the exchange, or the arbiter's answer, tells the clients */
	if (!q->syncing && !membership_qdevice_net_pending())
		membership_ipc_quorum_event();
}

/* Quorum control messages travel in ring order, so every member applies them at the same
 * point: u8 MEMBERSHIP_QCTL_MAGIC, u8 kind, u16 flags, u32 value. */
int
membership_qctl_send(uint8_t kind, uint16_t flags, uint32_t value)
{
	uint8_t m[8] = { MEMBERSHIP_QCTL_MAGIC, kind, (uint8_t)(flags >> 8), (uint8_t)flags,
		(uint8_t)(value >> 24), (uint8_t)(value >> 16), (uint8_t)(value >> 8),
		(uint8_t)value };

	return totem_send(membership_daemon.totem, m, sizeof(m), pl_mono_ms());
}

static void
qctl_deliver(uint32_t sender, const uint8_t *m, size_t len)
{
	struct membership_quorum *q = &membership_daemon.quorum;
	uint32_t v;

	if (len != 8) {
		log_warnx("malformed quorum control message from node %u dropped", sender);
		return;
	}
	v = (uint32_t)m[4] << 24 | (uint32_t)m[5] << 16 | (uint32_t)m[6] << 8 | m[7];
	switch (m[1]) {
	case MEMBERSHIP_QCTL_EXPECTED:
		log_notice("node %u sets expected votes to %u", sender, v);
		if (membership_quorum_set_expected(q, v))
			quorum_changed("expected votes changed");
		break;
	case MEMBERSHIP_QCTL_LEAVE:
		if (membership_quorum_leave(q, sender))
			log_notice("node %u leaves cleanly: expected votes down to %u", sender,
			    q->expected);
		if (sender == membership_daemon.nodeid && stopping) {
			totem_leave(membership_daemon.totem, pl_mono_ms());
			pl_daemon_quit();
		}
		break;
	case MEMBERSHIP_QCTL_NODEINFO: {
		bool syncing = q->syncing;
		for (unsigned i = 0; i < membership_daemon.conf.n_nodes; i++)
			if (membership_daemon.conf.nodes[i].nodeid == sender)
				membership_daemon.node_qdevice[i] = (uint16_t)(m[2] << 8 | m[3]);
		if (membership_quorum_nodeinfo(q, sender, v, m[3] & MEMBERSHIP_QCTL_F_QUORATE))
			quorum_changed("expected votes agreed");
		else if (syncing && !q->syncing && !membership_qdevice_net_pending())
			membership_ipc_quorum_event(); /* the one event of this change */
		break;
	}
	default: log_warnx("unknown quorum control message %u from node %u", m[1], sender);
	}
}

static void
on_deliver(void *arg, uint32_t sender, const uint8_t *data, size_t len)
{
	(void)arg;
	if (len >= 1 && data[0] == MEMBERSHIP_QCTL_MAGIC)
		qctl_deliver(sender, data, len);
	else
		membership_groups_deliver(membership_daemon.groups, sender, data, len);
}

static void
log_members(const char *what, const uint32_t *ids, unsigned n)
{
	char buf[1024];
	size_t off = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < n && off < sizeof(buf) - 16; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, " %u", ids[i]);
	log_info("%s:%s", what, n ? buf : " none");
}

static void
on_confchg(void *arg, enum totem_conf_type type, const struct totem_ring_id *ring,
    const uint32_t *members, unsigned n)
{
	uint32_t joined[TOTEM_MAX_NODES], left[TOTEM_MAX_NODES];
	unsigned nj = 0, nl = 0;

	(void)arg;
	if (type != TOTEM_CONF_REGULAR)
		return;
	for (unsigned i = 0; i < n; i++) {
		bool was = false;
		for (unsigned k = 0; k < membership_daemon.n_members && !was; k++)
			was = membership_daemon.members[k] == members[i];
		if (!was)
			joined[nj++] = members[i];
	}
	for (unsigned k = 0; k < membership_daemon.n_members; k++) {
		bool is = false;
		for (unsigned i = 0; i < n && !is; i++)
			is = membership_daemon.members[k] == members[i];
		if (!is)
			left[nl++] = membership_daemon.members[k];
	}
	membership_daemon.ring = *ring;
	memcpy(membership_daemon.members, members, n * sizeof(uint32_t));
	membership_daemon.n_members = n;
	log_notice("A new membership (%u:%llu) was formed. Members joined: %u left: %u", ring->rep,
	    (unsigned long long)ring->seq, nj, nl);
	log_members("Members", members, n);
	if (nl)
		log_members("Members left", left, nl);
	if (nj)
		log_members("Members joined", joined, nj);
	/* While the members' expected votes are exchanged (a few ms), and the quorum device's
	 * arbiter answers for the new ring, clients hear nothing: they get one quorum event with
	 * the new members and the agreed answer when it ends. */
	{
		bool was = membership_daemon.quorum.quorate;
		if (membership_daemon.conf.device)
			membership_qdevice_net_ring();
		membership_quorum_update(&membership_daemon.quorum, members, n, pl_mono_ms());
		if (membership_daemon.quorum.quorate != was)
			quorum_changed("membership changed");
		else if (!membership_daemon.quorum.syncing && !membership_qdevice_net_pending())
			membership_ipc_quorum_event();
	}
	if (nodeinfo_retry)
		g_source_remove(nodeinfo_retry);
	nodeinfo_retry = 0;
	if (n > 1)
		send_nodeinfo(NULL);
	membership_groups_confchg(membership_daemon.groups, members, n);
}

static int
groups_send(void *arg, const uint8_t *payload, size_t len)
{
	(void)arg;
	return totem_send(membership_daemon.totem, payload, len, pl_mono_ms());
}

static void
groups_deliver(
    void *arg, const char *group, uint32_t nodeid, uint32_t pid, const uint8_t *data, size_t len)
{
	(void)arg;
	membership_ipc_deliver(group, nodeid, pid, data, len);
}

static void
groups_change(void *arg, const char *group, const struct membership_member *m, unsigned n,
    const struct membership_member *j, unsigned nj, const struct membership_member *l, unsigned nl)
{
	(void)arg;
	membership_ipc_group_change(group, m, n, j, nj, l, nl);
}

/* ---- start-up and stop, on the daemon skeleton (include/paceline/daemon.h) ---- */

static const char *conf_path;
static const char *key_path;
static const char *nid;
static bool foreground;

static gboolean
on_stop_timeout(gpointer data)
{
	(void)data;
	log_warnx("the clean leave was not delivered within 2 s; leaving anyway");
	totem_leave(membership_daemon.totem, pl_mono_ms());
	pl_daemon_quit();
	return G_SOURCE_REMOVE;
}

/* SIGTERM/SIGINT: a planned leave, so the others re-form at once instead of timing out.
 * With allow_downscale the others first learn, in ring order, that this leave is clean. */
static void
membership_stop(void)
{
	log_info("leaving the ring and stopping");
	if (membership_daemon.conf.allow_downscale &&
	    totem_get_state(membership_daemon.totem) == TOTEM_OPERATIONAL &&
	    membership_daemon.n_members > 1 &&
	    membership_qctl_send(MEMBERSHIP_QCTL_LEAVE, 0, membership_daemon.nodeid) == 0) {
		stopping = true;
		g_timeout_add(2000, on_stop_timeout, NULL);
		membership_reschedule();
		return;
	}
	totem_leave(membership_daemon.totem, pl_mono_ms());
	pl_daemon_quit();
}

static bool
membership_option(int ch, const char *arg)
{
	switch (ch) {
	case 'k': key_path = arg; return true;
	case 'n': nid = arg; return true;
	case 'F': foreground = true; return true;
	}
	return false;
}

static bool
membership_start(struct pl_error *err)
{
	struct totem_params tp;
	static const struct totem_ops ops = { .send = membership_net_send,
		.deliver = on_deliver,
		.confchg = on_confchg,
		.ring_seq_store = ringseq_store };
	static const struct membership_groups_ops gops = {
		.send = groups_send, .deliver = groups_deliver, .change = groups_change
	};
	uint8_t *key = NULL, *device_key;
	size_t keylen = 0, device_keylen;

	conf_path = pl_daemon_config();
	foreground = foreground || pl_daemon_foreground();
	membership_daemon.state_dir = xstrdup(pl_daemon_state_dir());
	if (foreground) { /* -F, as -f: stderr, never syslog */
		log_set_stderr(true);
		log_set_timestamp(true);
		log_set_syslog(false, NULL);
	}
	if (membership_conf_load(conf_path, &membership_daemon.conf, err) && !key_path)
		key_path = membership_daemon.conf.keyfile ? membership_daemon.conf.keyfile
							  : "/etc/paceline/authkey";
	if (!pl_error_isset(err) && membership_daemon.conf.device)
		membership_qdevice_net_tls_open();
	if (pl_error_isset(err) || !find_self(nid ? (uint32_t)strtoul(nid, NULL, 10) : 0, err) ||
	    !membership_key_load(key_path, &key, &keylen, err) ||
	    !(membership_daemon.crypto = membership_crypto_new(
		  key, keylen, membership_daemon.conf.cipher, membership_daemon.conf.hash, err))) {
		free(key);
		return false;
	}
	device_key = key; /* the quorum device authenticates with the cluster key too */
	device_keylen = keylen;
	if (g_mkdir_with_parents(membership_daemon.state_dir, 0700) != 0)
		log_warn("cannot create %s", membership_daemon.state_dir);
	if (!membership_net_open(err) || !membership_ipc_start(err)) {
		free(device_key);
		return false;
	}
	{
		const struct membership_conf *c = &membership_daemon.conf;
		struct membership_quorum_conf qc;
		memset(&qc, 0, sizeof(qc));
		qc.n_nodes = c->n_nodes;
		for (unsigned i = 0; i < c->n_nodes; i++) {
			qc.nodeids[i] = c->nodes[i].nodeid;
			qc.votes[i] = c->nodes[i].votes;
		}
		qc.expected_votes = c->expected_votes;
		qc.two_node = c->two_node;
		qc.wait_for_all = c->wait_for_all;
		qc.last_man_standing = c->last_man_standing;
		qc.lms_window_ms = c->lms_window;
		qc.auto_tie_breaker = c->auto_tie_breaker;
		qc.atb_mode = (enum membership_atb_mode)c->atb_mode;
		qc.n_atb_list = c->n_atb_list;
		memcpy(qc.atb_list, c->atb_list, sizeof(qc.atb_list));
		qc.allow_downscale = c->allow_downscale;
		qc.device_votes = c->device ? c->device_votes : 0;
		qc.device_master_wins = c->device && c->device_master_wins;
		membership_quorum_init(&membership_daemon.quorum, &qc);
		membership_qdevice_init(&membership_daemon.qdevice, c->device_timeout);
	}
	memset(&tp, 0, sizeof(tp));
	tp.cluster = membership_daemon.conf.cluster_id;
	tp.token_ms = membership_daemon.conf.token_effective;
	tp.token_retransmit_ms = membership_daemon.conf.token_retransmit;
	tp.hold_ms = membership_daemon.conf.hold;
	tp.join_ms = membership_daemon.conf.join;
	tp.consensus_ms = membership_daemon.conf.consensus;
	tp.merge_ms = membership_daemon.conf.merge;
	tp.max_messages = membership_daemon.conf.max_messages;
	tp.window_size = membership_daemon.conf.window_size;
	tp.max_queue = 4096;
	{
		uint32_t ids[TOTEM_MAX_NODES];
		for (unsigned i = 0; i < membership_daemon.conf.n_nodes; i++)
			ids[i] = membership_daemon.conf.nodes[i].nodeid;
		membership_daemon.groups =
		    membership_groups_new(membership_daemon.nodeid, &gops, NULL);
		membership_daemon.totem = totem_new(membership_daemon.nodeid, ids,
		    membership_daemon.conf.n_nodes, &tp, &ops, NULL, ringseq_load(), pl_wall_ms());
	}
	log_notice("node %u (%s, %s port %u) starting: token %u ms, consensus %u ms, %u nodes, %s, "
		   "transport %s, %u link(s), link_mode %s",
	    membership_daemon.nodeid, membership_daemon.self->name, membership_daemon.self->addr[0],
	    membership_daemon.conf.port, tp.token_ms, tp.consensus_ms, membership_daemon.conf.n_nodes,
	    membership_daemon.conf.cipher ? "encrypted" : "authenticated",
	    membership_transport_name(membership_daemon.conf.transport),
	    membership_daemon.conf.n_links,
	    membership_link_mode_name(membership_daemon.conf.link_mode));
	totem_start(membership_daemon.totem, pl_mono_ms());
	membership_reschedule();
	if (membership_daemon.conf.device)
		membership_qdevice_net_start(device_key, device_keylen);
	free(device_key);
	return true;
}

static void
membership_cleanup(void)
{
	membership_qdevice_net_stop();
	membership_ipc_stop();
	if (membership_daemon.totem != NULL)
		totem_free(membership_daemon.totem);
	if (membership_daemon.groups != NULL)
		membership_groups_free(membership_daemon.groups);
	if (membership_daemon.crypto != NULL)
		membership_crypto_free(membership_daemon.crypto);
	membership_qdevice_net_tls_close();
	membership_net_close();
	membership_conf_free(&membership_daemon.conf);
	free(membership_daemon.state_dir);
}

int
main(int argc, char **argv)
{
	static const struct pl_daemon membership = {
		.role = "membership",
		.usage =
		    "  -k AUTHKEY             key file (PL_AUTHKEY, totem.keyfile, "
		    "/etc/paceline/authkey)\n"
		    "  -n NODEID              this node's id (PL_NODEID; default: by address)\n"
		    "  -F                     the same as -f\n"
		    "ring sequence files in <state root>/membership (-S)\n"
		    "environment: PL_IPC_PREFIX\n",
		.shortopts = "k:n:F",
		.option = membership_option,
		.start = membership_start,
		.stop = membership_stop,
		.cleanup = membership_cleanup,
	};

	for (unsigned l = 0; l < MEMBERSHIP_MAX_LINKS; l++)
		membership_daemon.fd[l] = membership_daemon.gfd[l] = -1;
	key_path = getenv("PL_AUTHKEY") && *getenv("PL_AUTHKEY") ? getenv("PL_AUTHKEY") : NULL;
	nid = getenv("PL_NODEID");
	return pl_daemon_main(&membership, argc, argv);
}
