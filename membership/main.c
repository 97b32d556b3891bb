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

struct membership_daemon membership_daemon = { .fd = -1 };

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

/* ---- network ---- */

static void
net_send(void *arg, uint32_t to, const uint8_t *pkt, size_t len)
{
	uint8_t sealed[TOTEM_MAX_PACKET + MEMBERSHIP_SEAL_OVERHEAD];
	size_t slen = membership_crypto_seal(membership_daemon.crypto, pkt, len, sealed);

	(void)arg;
	if (slen == 0) {
		log_warnx("cannot seal a packet (NSS)");
		return;
	}
	for (unsigned i = 0; i < membership_daemon.conf.n_nodes; i++) {
		const struct membership_node *n = &membership_daemon.conf.nodes[i];
		if (n == membership_daemon.self || (to != 0 && n->nodeid != to))
			continue;
		if (sendto(membership_daemon.fd, sealed, slen, MSG_DONTWAIT,
			(const struct sockaddr *)&n->sa, n->salen) < 0 &&
		    errno != EAGAIN && errno != ECONNREFUSED)
			log_trace("net", "sendto node %u: %s", n->nodeid, strerror(errno));
	}
}

static gboolean
on_socket(gint fd, GIOCondition cond, gpointer data)
{
	uint8_t buf[TOTEM_MAX_PACKET + MEMBERSHIP_SEAL_OVERHEAD], plain[sizeof(buf)];

	(void)cond;
	(void)data;
	for (int i = 0; i < 256; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		long pl;
		if (n < 0)
			break;
		pl = membership_crypto_open(membership_daemon.crypto, buf, (size_t)n, plain);
		if (pl < 0) {
			membership_daemon.auth_drops++;
			totem_count_drop(membership_daemon.totem, TOTEM_DROP_AUTH);
			continue;
		}
		totem_recv(membership_daemon.totem, plain, (size_t)pl, pl_mono_ms());
	}
	membership_reschedule();
	return G_SOURCE_CONTINUE;
}

static bool
net_open(struct pl_error *err)
{
	int fd = socket(
	    membership_daemon.self->sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int sz = 4 << 20;

	if (fd < 0) {
		pl_error_set(err, PL_EXIT_OSERR, "socket: %s", strerror(errno));
		return false;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (bind(fd, (const struct sockaddr *)&membership_daemon.self->sa,
		membership_daemon.self->salen) < 0) {
		pl_error_set(err, PL_EXIT_OSERR, "cannot bind %s port %u (node %u): %s",
		    membership_daemon.self->addr, membership_daemon.conf.port,
		    membership_daemon.nodeid, strerror(errno));
		close(fd);
		return false;
	}
	membership_daemon.fd = fd;
	g_unix_fd_add(fd, G_IO_IN, on_socket, NULL);
	return true;
}

/* Which node am I: -n/PL_NODEID, else the first ring0_addr this host can bind. */
static bool
find_self(uint32_t want, struct pl_error *err)
{
	for (unsigned i = 0; i < membership_daemon.conf.n_nodes && !want; i++) {
		const struct membership_node *n = &membership_daemon.conf.nodes[i];
		int fd = socket(n->sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && bind(fd, (const struct sockaddr *)&n->sa, n->salen) == 0)
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

static gboolean
on_timer(gpointer data)
{
	(void)data;
	membership_daemon.timer = 0;
	membership_daemon.timer_at = 0;
	totem_tick(membership_daemon.totem, pl_mono_ms());
	membership_reschedule();
	return G_SOURCE_REMOVE;
}

void
membership_reschedule(void)
{
	uint64_t at = totem_next_deadline(membership_daemon.totem), now = pl_mono_ms();

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

static void
on_deliver(void *arg, uint32_t sender, const uint8_t *data, size_t len)
{
	(void)arg;
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
	if (membership_quorum_update(&membership_daemon.quorum, n))
		log_notice("%s (votes %u of expected %u, quorum %u)",
		    membership_daemon.quorum.quorate
			? "This node is within the primary component and will provide service."
			: "This node is within the non-primary component and will NOT provide any "
			  "services.",
		    membership_daemon.quorum.total, membership_daemon.quorum.expected,
		    membership_daemon.quorum.quorum);
	membership_groups_confchg(membership_daemon.groups, members, n);
	membership_ipc_quorum_event();
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

/* SIGTERM/SIGINT: a planned leave, so the others re-form at once instead of timing out. */
static void
membership_stop(void)
{
	log_info("leaving the ring and stopping");
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
	static const struct totem_ops ops = { .send = net_send,
		.deliver = on_deliver,
		.confchg = on_confchg,
		.ring_seq_store = ringseq_store };
	static const struct membership_groups_ops gops = {
		.send = groups_send, .deliver = groups_deliver, .change = groups_change
	};
	uint8_t *key = NULL;
	size_t keylen = 0;

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
	if (pl_error_isset(err) || !find_self(nid ? (uint32_t)strtoul(nid, NULL, 10) : 0, err) ||
	    !membership_key_load(key_path, &key, &keylen, err) ||
	    !(membership_daemon.crypto = membership_crypto_new(
		  key, keylen, membership_daemon.conf.cipher, membership_daemon.conf.hash, err))) {
		free(key);
		return false;
	}
	free(key);
	if (g_mkdir_with_parents(membership_daemon.state_dir, 0700) != 0)
		log_warn("cannot create %s", membership_daemon.state_dir);
	if (!net_open(err) || !membership_ipc_start(err))
		return false;
	membership_quorum_init(&membership_daemon.quorum, membership_daemon.conf.n_nodes,
	    membership_daemon.conf.expected_votes, membership_daemon.conf.two_node,
	    membership_daemon.conf.wait_for_all);
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
	log_notice("node %u (%s, %s port %u) starting: token %u ms, consensus %u ms, %u nodes, %s",
	    membership_daemon.nodeid, membership_daemon.self->name, membership_daemon.self->addr,
	    membership_daemon.conf.port, tp.token_ms, tp.consensus_ms, membership_daemon.conf.n_nodes,
	    membership_daemon.conf.cipher ? "encrypted" : "authenticated");
	totem_start(membership_daemon.totem, pl_mono_ms());
	membership_reschedule();
	return true;
}

static void
membership_cleanup(void)
{
	membership_ipc_stop();
	if (membership_daemon.totem != NULL)
		totem_free(membership_daemon.totem);
	if (membership_daemon.groups != NULL)
		membership_groups_free(membership_daemon.groups);
	if (membership_daemon.crypto != NULL)
		membership_crypto_free(membership_daemon.crypto);
	if (membership_daemon.fd != -1)
		close(membership_daemon.fd);
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

	key_path = getenv("PL_AUTHKEY") && *getenv("PL_AUTHKEY") ? getenv("PL_AUTHKEY") : NULL;
	nid = getenv("PL_NODEID");
	return pl_daemon_main(&membership, argc, argv);
}
