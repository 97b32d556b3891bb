/*
 * qdevice_net.c - paceline-membership's connection to the quorum device's arbiter
 * (paceline-qnetd; corosync-qdevice's model net, inside the membership daemon): connect,
 * authenticate with the cluster key, report every configuration change, heartbeat, and feed
 * the vote (qdevice.h decides whether it counts) into the quorum calculator.
 *
 *   IDLE --connect--> CONNECTING --TCP up, PREINIT--> PREINIT --reply: clear--> HELLO
 *     ^                                              | reply: TLS (tls.h)     ^
 *     |                                              +---> TLS --handshake----+
 *     |                                   HELLO --CHALLENGE, INIT--> INIT
 *     |                                                                         |
 *     +---- closed, refused, no reply within timeout (retry after 1 s) ----  INIT_REPLY ok
 *                                                                               v
 *                                       READY: MEMBERSHIP after each change, HEARTBEAT every
 *                                       timeout/3, VOTE in (acknowledged at once when new)
 *
 * After a configuration change the quorum event to clients waits (at most sync_timeout) for
 * the arbiter's answer for the new ring, so clients see the new members and the new quorum
 * together, as corosync's sync does; the quorum computed meanwhile never counts the device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"
#include "conn.h"
#include "heuristics.h"
#include "membership.h"
#include "tls.h"

enum qd_state { QD_IDLE = 0, QD_CONNECTING, QD_PREINIT, QD_TLS, QD_HELLO, QD_INIT, QD_READY };

static struct {
	enum qd_state state;
	struct qnetd_conn *conn;
	struct pl_peer *pp;
	uint8_t *key;
	size_t keylen;
	uint8_t cnonce[QNETD_NONCE_LEN];
	struct qnetd_tls *tls;	      /* this node's certificate database, when TLS may be used */
	enum qnetd_tls_mode tls_mode; /* effective: off without a database (tls: on) */
	guint retry, hb, lease, connect_to, sync_to, heur_timer;
	enum membership_heur heur_result;  /* the last run's */
	enum membership_heur heur_sent;	   /* the last regular result the arbiter has */
	enum membership_heur heur_kind[3]; /* the last result of each kind (HEUR_*) */
	uint64_t last_reply;
	uint64_t connected_wall, reply_wall, poll_wall; /* wall ms, for -s */
	bool pending; /* a change waits for the arbiter's answer */
	bool warned;  /* one warning per outage */
	bool counted; /* the device's votes counted, last time we looked */
} Q;

static const char *
state_name(enum qd_state s)
{
	static const char *const n[] = { "idle", "connecting", "preinit", "tls", "hello", "init",
		"ready" };
	return n[s];
}

static void connect_now(void);

/* ---- the vote into the calculator ---- */

static gboolean on_lease(gpointer data);

static void
release_pending(const char *why)
{
	if (!Q.pending)
		return;
	Q.pending = false;
	if (Q.sync_to)
		g_source_remove(Q.sync_to);
	Q.sync_to = 0;
	log_debug("quorum device: the change's quorum event goes out (%s)", why);
	if (!membership_daemon.quorum.syncing)
		membership_ipc_quorum_event();
}

/* The vote into the calculator; true if quorate changed (the caller reports it). A change of
 * this node's device flags goes to the others in a NODEINFO, except during a configuration
 * change, whose own NODEINFO (sent after the calculator has the new members) carries them. */
static bool
apply_vote_as(bool announce)
{
	uint64_t now = pl_mono_ms(), at;
	bool counts = membership_qdevice_counts(&membership_daemon.qdevice, now), changed;
	uint16_t flags =
	    (uint16_t)((membership_daemon.qdevice.connected ? MEMBERSHIP_QCTL_F_QDEVICE_ALIVE : 0) |
		(counts ? MEMBERSHIP_QCTL_F_QDEVICE_VOTE : 0) |
		(membership_daemon.conf.device_master_wins ? MEMBERSHIP_QCTL_F_QDEVICE_MW : 0));

	if (counts != Q.counted)
		log_notice("quorum device: %s its %u vote(s)",
		    counts ? "casting" : "no longer casting", membership_daemon.conf.device_votes);
	Q.counted = counts;
	Q.poll_wall = pl_wall_ms();
	changed = membership_quorum_device(&membership_daemon.quorum, counts);
	if (flags != membership_daemon.qdevice_flags) { /* the others show it (quorumtool -s) */
		membership_daemon.qdevice_flags = flags;
		if (announce)
			membership_send_nodeinfo();
	}
	if (Q.lease)
		g_source_remove(Q.lease);
	Q.lease = 0;
	at = membership_qdevice_deadline(&membership_daemon.qdevice, now);
	if (at != UINT64_MAX)
		Q.lease = g_timeout_add((guint)(at > now ? at - now : 0) + 1, on_lease, NULL);
	return changed;
}

static bool
apply_vote(void)
{
	return apply_vote_as(true);
}

static void
update_vote(void)
{
	if (apply_vote())
		membership_quorum_changed("quorum device vote changed");
}

static gboolean
on_lease(gpointer data)
{
	(void)data;
	Q.lease = 0;
	update_vote();
	return G_SOURCE_REMOVE;
}

bool
membership_qdevice_net_pending(void)
{
	return Q.pending;
}

/* ---- connection ---- */

static void
drop(const char *why)
{
	bool was = Q.state == QD_READY;

	if (Q.conn)
		qnetd_conn_free(Q.conn);
	Q.conn = NULL;
	if (Q.hb)
		g_source_remove(Q.hb);
	if (Q.connect_to)
		g_source_remove(Q.connect_to);
	Q.hb = Q.connect_to = 0;
	if (was || !Q.warned)
		log_warnx("quorum device: arbiter %s port %u: %s%s",
		    membership_daemon.conf.device_host, membership_daemon.conf.device_port, why,
		    was ? "" : " (retrying every second, said once)");
	Q.warned = true;
	Q.state = QD_IDLE;
	membership_qdevice_connected(&membership_daemon.qdevice, false);
	update_vote();
	release_pending("arbiter lost");
}

static gboolean
on_retry(gpointer data)
{
	(void)data;
	Q.retry = 0;
	connect_now();
	return G_SOURCE_REMOVE;
}

static void
drop_and_retry(const char *why, unsigned ms)
{
	drop(why);
	if (!Q.retry)
		Q.retry = g_timeout_add(ms, on_retry, NULL);
}

static bool
send_msg(enum pl_peer_kind kind, ...)
{
	struct pl_error err = PL_ERROR_INIT;
	va_list ap;
	bool ok;

	va_start(ap, kind);
	ok = pl_peer_vsend(Q.pp, qnetd_conn_send_frame, Q.conn, &err, kind, ap);
	va_end(ap);
	if (!ok)
		log_warnx("quorum device: cannot send %s: %s", pl_peer_name(kind), err.text);
	return ok;
}

static uint8_t *
ids_blob(const uint32_t *ids, unsigned n)
{
	uint8_t *b = xmalloc(4 * (size_t)n + 1);

	for (unsigned i = 0; i < n; i++) {
		b[4 * i] = (uint8_t)(ids[i] >> 24);
		b[4 * i + 1] = (uint8_t)(ids[i] >> 16);
		b[4 * i + 2] = (uint8_t)(ids[i] >> 8);
		b[4 * i + 3] = (uint8_t)ids[i];
	}
	return b;
}

static void
send_membership(void)
{
	uint8_t *b;

	if (Q.state != QD_READY || !membership_daemon.n_members)
		return;
	b = ids_blob(membership_daemon.members, membership_daemon.n_members);
	send_msg(PL_PEER_QNETD_MEMBERSHIP,
	    membership_qdevice_stamp(&membership_daemon.qdevice, pl_mono_ms()),
	    membership_daemon.qdevice.vote_seq, membership_daemon.ring.rep,
	    (uint64_t)membership_daemon.ring.seq, (const void *)b,
	    (size_t)membership_daemon.n_members * 4);
	free(b);
}

/* ---- heuristics (heuristics.h): their result goes to the arbiter ---- */

enum { HEUR_MEMBERSHIP = 0, HEUR_REGULAR = 1, HEUR_CONNECT = 2 }; /* (connect: 0 on the wire) */

static void
on_heuristics_done(enum membership_heur r, void *arg)
{
	uint32_t kind = GPOINTER_TO_UINT(arg);

	if (r != Q.heur_result)
		log_notice("quorum device: heuristics %s", membership_heur_name(r));
	Q.heur_result = r;
	Q.heur_kind[kind] = r;
	if (Q.state != QD_READY)
		return;
	if (kind == HEUR_REGULAR && r == Q.heur_sent)
		return;
	send_msg(PL_PEER_QNETD_HEURISTICS,
	    membership_qdevice_stamp(&membership_daemon.qdevice, pl_mono_ms()),
	    membership_daemon.qdevice.vote_seq, (uint32_t)r,
	    (uint32_t)(kind == HEUR_REGULAR ? HEUR_REGULAR : HEUR_MEMBERSHIP));
	Q.heur_sent = r;
	if (kind != HEUR_REGULAR)
		send_membership(); /* the ring, ranked with this result */
}

/* Tell the arbiter this node's ring: after the membership heuristics when they are on (so
 * the arbiter ranks the new partition with their result, as corosync-qdevice does). */
static void
report_ring(uint32_t timeout_ms, uint32_t kind)
{
	if (Q.state != QD_READY)
		return;
	if (!membership_daemon.conf.device_heur_mode) {
		send_membership();
		return;
	}
	membership_heuristics_run(timeout_ms, on_heuristics_done, GUINT_TO_POINTER(kind));
}

static gboolean
on_heuristics_timer(gpointer data)
{
	(void)data;
	if (Q.state == QD_READY && !membership_heuristics_running()) /* never cut a membership run */
		membership_heuristics_run(membership_daemon.conf.device_heur_timeout,
		    on_heuristics_done, GUINT_TO_POINTER(HEUR_REGULAR));
	return G_SOURCE_CONTINUE;
}

static void
send_heartbeat(void)
{
	send_msg(PL_PEER_QNETD_HEARTBEAT,
	    membership_qdevice_stamp(&membership_daemon.qdevice, pl_mono_ms()),
	    membership_daemon.qdevice.vote_seq);
}

static gboolean
on_heartbeat(gpointer data)
{
	(void)data;
	if (pl_mono_ms() >= Q.last_reply + membership_daemon.conf.device_timeout) {
		Q.hb = 0;
		drop_and_retry("no reply within the timeout", 1000);
		return G_SOURCE_REMOVE;
	}
	send_heartbeat();
	return G_SOURCE_CONTINUE;
}

static void
on_challenge(const struct pl_peer_msg *m, void *arg)
{
	const void *snonce;
	size_t len;
	uint32_t ids[TOTEM_MAX_NODES];
	uint8_t *b;
	const struct membership_conf *c = &membership_daemon.conf;

	(void)arg;
	pl_peer_unpack(m, &snonce, &len);
	if (Q.state != QD_HELLO || len != QNETD_NONCE_LEN) {
		Q.state = QD_IDLE; /* dropped after the frame (on_frame) */
		return;
	}
	if (qnetd_conn_tls(Q.conn)) /* the certificates authenticated both ends */
		qnetd_record_key(qnetd_conn_record(Q.conn), (const uint8_t *)QNETD_TLS_RECORD_KEY,
		    strlen(QNETD_TLS_RECORD_KEY), Q.cnonce, snonce);
	else
		qnetd_record_key(qnetd_conn_record(Q.conn), Q.key, Q.keylen, Q.cnonce, snonce);
	for (unsigned i = 0; i < c->n_nodes; i++)
		ids[i] = c->nodes[i].nodeid;
	b = ids_blob(ids, c->n_nodes);
	send_msg(PL_PEER_QNETD_INIT, (uint32_t)c->device_algorithm, (uint32_t)c->device_tb_mode,
	    c->device_tb_node, c->device_timeout, (uint32_t)(c->device_keep_active ? 1 : 0),
	    (const void *)b, (size_t)c->n_nodes * 4);
	free(b);
	Q.state = QD_INIT;
}

static void
on_init_reply(const struct pl_peer_msg *m, void *arg)
{
	uint32_t status;
	const char *why;

	(void)arg;
	pl_peer_unpack(m, &status, &why);
	if (Q.state != QD_INIT) {
		Q.state = QD_IDLE;
		return;
	}
	if (status != 0) {
		log_err("quorum device: the arbiter refused this node: %s", why);
		Q.state = QD_IDLE;
		return;
	}
	Q.state = QD_READY;
	Q.warned = false;
	Q.last_reply = pl_mono_ms();
	if (Q.connect_to)
		g_source_remove(Q.connect_to);
	Q.connect_to = 0;
	log_notice("quorum device: connected to the arbiter %s port %u (%s, %s)",
	    membership_daemon.conf.device_host, membership_daemon.conf.device_port,
	    membership_daemon.conf.device_algorithm ? "lms" : "ffsplit",
	    qnetd_conn_tls(Q.conn) ? "TLS, certificates verified" : "cluster key");
	membership_qdevice_connected(&membership_daemon.qdevice, true);
	Q.hb = g_timeout_add(membership_daemon.conf.device_timeout / 3, on_heartbeat, NULL);
	Q.connected_wall = pl_wall_ms();
	report_ring(membership_daemon.conf.device_heur_timeout, HEUR_CONNECT);
}

static void
on_vote(const struct pl_peer_msg *m, void *arg)
{
	uint32_t vote, seq, rep, echo, had = membership_daemon.qdevice.vote_seq;
	uint64_t rseq;

	(void)arg;
	pl_peer_unpack(m, &vote, &seq, &rep, &rseq, &echo);
	if (Q.state != QD_READY || vote > MEMBERSHIP_QDEVICE_NACK) {
		Q.state = QD_IDLE;
		return;
	}
	Q.last_reply = pl_mono_ms();
	Q.reply_wall = pl_wall_ms();
	membership_qdevice_vote(
	    &membership_daemon.qdevice, (enum membership_qdevice_vote)vote, seq, rep, rseq, echo);
	if (membership_daemon.qdevice.vote_seq != had) {
		log_info("quorum device: the arbiter says %s for ring %u.%llx",
		    vote == 1	    ? "ACK"
			: vote == 2 ? "NACK"
				    : "wait",
		    rep, (unsigned long long)rseq);
		send_heartbeat(); /* acknowledge at once: the arbiter may wait for it */
	}
	update_vote();
	if (vote != MEMBERSHIP_QDEVICE_WAIT && rep == membership_daemon.ring.rep &&
	    rseq == membership_daemon.ring.seq)
		release_pending("the arbiter answered");
}

static bool
on_frame(struct qnetd_conn *c, const uint8_t *frame, size_t len, void *arg)
{
	(void)c;
	(void)arg;
	if (!pl_peer_receive(Q.pp, 0, 0, frame, len) || Q.state == QD_IDLE) {
		drop_and_retry("protocol error or refused", 10000);
		return false;
	}
	return true;
}

static void
on_closed(struct qnetd_conn *c, const char *why, void *arg)
{
	(void)c;
	(void)arg;
	drop_and_retry(why, 1000);
}

static bool
send_hello(void)
{
	const struct membership_conf *mc = &membership_daemon.conf;

	Q.state = QD_HELLO;
	qnetd_random(Q.cnonce, sizeof(Q.cnonce));
	return send_msg(PL_PEER_QNETD_HELLO, (uint32_t)QNETD_PROTOCOL,
	    mc->cluster_name ? mc->cluster_name : "", membership_daemon.nodeid,
	    (const void *)Q.cnonce, (size_t)QNETD_NONCE_LEN);
}

/* The arbiter's TLS mode: both ends decide alike (tls.h). */
static void
on_preinit_reply(const struct pl_peer_msg *m, void *arg)
{
	uint32_t mode;
	const char *why;
	enum qnetd_tls_outcome o;

	(void)arg;
	pl_peer_unpack(m, &mode);
	if (Q.state != QD_PREINIT || mode > QNETD_TLS_REQUIRED) {
		Q.state = QD_IDLE;
		return;
	}
	o = qnetd_tls_decide(Q.tls_mode, (enum qnetd_tls_mode)mode, &why);
	if (o == QNETD_TLS_REFUSE) {
		if (!Q.warned)
			log_err("quorum device: arbiter %s refused: %s (tls: %s here, -s %s there)",
			    membership_daemon.conf.device_host, why, qnetd_tls_mode_name(Q.tls_mode),
			    qnetd_tls_mode_name((enum qnetd_tls_mode)mode));
		Q.state = QD_IDLE;
		return;
	}
	if (o == QNETD_TLS_USE && !Q.tls) { /* tls: required without a certificate (said) */
		Q.state = QD_IDLE;
		return;
	}
	if (o == QNETD_TLS_USE) {
		Q.state = QD_TLS;
		qnetd_conn_start_tls(Q.conn, Q.tls);
		return;
	}
	(void)send_hello();
}

static bool
on_secured(struct qnetd_conn *c, void *arg)
{
	(void)c;
	(void)arg;
	log_debug("quorum device: TLS established with %s", membership_daemon.conf.device_host);
	return send_hello();
}

static bool
on_connected(struct qnetd_conn *c, void *arg)
{
	const struct membership_conf *mc = &membership_daemon.conf;

	(void)c;
	(void)arg;
	Q.state = QD_PREINIT;
	return send_msg(PL_PEER_QNETD_PREINIT, (uint32_t)QNETD_PROTOCOL, (uint32_t)Q.tls_mode,
	    mc->cluster_name ? mc->cluster_name : "");
}

static const struct qnetd_conn_ops ops = {
	.connected = on_connected, .frame = on_frame, .secured = on_secured, .closed = on_closed
};

static gboolean
on_connect_timeout(gpointer data)
{
	(void)data;
	Q.connect_to = 0;
	drop_and_retry("no answer within connect_timeout", 1000);
	return G_SOURCE_REMOVE;
}

static void
connect_now(void)
{
	char why[256];
	int fd = qnetd_connect_start(membership_daemon.conf.device_host,
	    membership_daemon.conf.device_port, why, sizeof(why));

	if (fd < 0) {
		drop_and_retry(why, 1000);
		return;
	}
	Q.state = QD_CONNECTING;
	Q.conn = qnetd_conn_new(fd, true, membership_daemon.conf.device_host, &ops, NULL);
	Q.connect_to =
	    g_timeout_add(membership_daemon.conf.device_connect_timeout, on_connect_timeout, NULL);
}

/* ---- the daemon's entry points ---- */

/* Before any other use of NSS (the ring's crypto), so that the database is NSS's own.
 * tls: on uses TLS when this node has its certificate; without a database it is the cluster
 * key, said once. tls: required without a usable database is said as an error: the arbiter
 * refuses every connection then (PREINIT says required, the handshake cannot complete). */
void
membership_qdevice_net_tls_open(void)
{
	const struct membership_conf *c = &membership_daemon.conf;
	char why[512], *f = xasprintf("%s/cert9.db", c->device_nssdb);
	bool have = g_file_test(f, G_FILE_TEST_EXISTS);

	free(f);
	Q.tls_mode = (enum qnetd_tls_mode)c->device_tls;
	if (Q.tls_mode == QNETD_TLS_OFF)
		return;
	if (!have)
		snprintf(why, sizeof(why), "%s: no certificate database", c->device_nssdb);
	else if ((Q.tls = qnetd_tls_open(c->device_nssdb, false, why, sizeof(why))) != NULL) {
		log_info("quorum device: TLS %s with the certificate in %s",
		    qnetd_tls_mode_name(Q.tls_mode), c->device_nssdb);
		return;
	}
	if (Q.tls_mode == QNETD_TLS_REQUIRED) {
		log_err("quorum device: tls: required, but %s: no connection can succeed", why);
		return;
	}
	(have ? log_warnx : log_info)(
	    "quorum device: TLS not used (%s): the cluster key authenticates the device", why);
	Q.tls_mode = QNETD_TLS_OFF;
}

void
membership_qdevice_net_start(const uint8_t *key, size_t keylen)
{
	Q.key = xmalloc(keylen);
	memcpy(Q.key, key, keylen);
	Q.keylen = keylen;
	Q.pp = pl_peer_new(PL_SVC_QNETD, QNETD_RECORD_MAX, NULL);
	pl_peer_handle(Q.pp, PL_PEER_QNETD_PREINIT_REPLY, on_preinit_reply);
	pl_peer_handle(Q.pp, PL_PEER_QNETD_CHALLENGE, on_challenge);
	pl_peer_handle(Q.pp, PL_PEER_QNETD_INIT_REPLY, on_init_reply);
	pl_peer_handle(Q.pp, PL_PEER_QNETD_VOTE, on_vote);
	/* (membership_daemon.qdevice was set up before the ring started: it knows our ring) */
	log_notice("quorum device: model net, arbiter %s port %u, %s, %u vote(s), timeout %u ms, "
		   "sync_timeout %u ms",
	    membership_daemon.conf.device_host, membership_daemon.conf.device_port,
	    membership_daemon.conf.device_algorithm ? "lms" : "ffsplit",
	    membership_daemon.conf.device_votes, membership_daemon.conf.device_timeout,
	    membership_daemon.conf.device_sync_timeout);
	if (membership_daemon.conf.device_heur_mode) {
		const struct membership_conf *c = &membership_daemon.conf;
		membership_heuristics_setup(
		    c->device_exec_name, c->device_exec_cmd, c->device_n_execs);
		log_notice("quorum device: heuristics %s, %u command(s), timeout %u ms, "
			   "sync_timeout %u ms%s",
		    c->device_heur_mode == 1 ? "on" : "sync", c->device_n_execs,
		    c->device_heur_timeout, c->device_heur_sync_timeout,
		    c->device_heur_mode == 1 ? ", every interval" : "");
		if (c->device_heur_mode == 1)
			Q.heur_timer =
			    g_timeout_add(c->device_heur_interval, on_heuristics_timer, NULL);
	}
	connect_now();
}

static gboolean
on_sync_timeout(gpointer data)
{
	(void)data;
	Q.sync_to = 0;
	log_warnx("quorum device: no answer for the new ring within sync_timeout");
	release_pending("sync_timeout");
	return G_SOURCE_REMOVE;
}

void
membership_qdevice_net_ring(void)
{
	membership_qdevice_ring(
	    &membership_daemon.qdevice, membership_daemon.ring.rep, membership_daemon.ring.seq);
	if (Q.state == QD_READY && !Q.pending) {
		Q.pending = true;
		Q.sync_to =
		    g_timeout_add(membership_daemon.conf.device_sync_timeout, on_sync_timeout, NULL);
	}
	(void)apply_vote_as(false); /* the caller compares quorum before and after the change */
	report_ring(membership_daemon.conf.device_heur_sync_timeout, HEUR_MEMBERSHIP);
}

const char *
membership_qdevice_net_state(void)
{
	return state_name(Q.state);
}

void
membership_qdevice_net_stop(void)
{
	if (Q.conn)
		qnetd_conn_free(Q.conn);
	Q.conn = NULL;
	for (guint *t = &Q.retry; t <= &Q.heur_timer; t++)
		if (*t)
			g_source_remove(*t);
	Q.retry = Q.hb = Q.lease = Q.connect_to = Q.sync_to = Q.heur_timer = 0;
	membership_heuristics_stop();
	if (Q.pp)
		pl_peer_free(Q.pp);
	Q.pp = NULL;
	free(Q.key);
	Q.key = NULL;
}

void
membership_qdevice_net_tls_close(void)
{
	qnetd_tls_close(Q.tls);
	Q.tls = NULL;
}

/* ---- status: corosync-qdevice-tool -s's text (paceline-qdevice-tool) ---- */

static void
wall_text(GString *out, const char *label, uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[32];

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	g_string_append_printf(out, "%s%s", label, ms ? buf : "(never)");
}

static const char *
net_state_text(void)
{
	switch (Q.state) {
	case QD_IDLE: return "Waiting for connect";
	case QD_CONNECTING: return "Connecting";
	case QD_PREINIT: return "Waiting for preinit reply";
	case QD_TLS: return "Starting TLS";
	case QD_HELLO:
	case QD_INIT: return "Waiting for init reply";
	case QD_READY: break;
	}
	return "Connected";
}

void
membership_qdevice_net_status(GString *out, bool verbose)
{
	const struct membership_conf *c = &membership_daemon.conf;
	const struct membership_quorum *q = &membership_daemon.quorum;
	bool heur = c->device_heur_mode != 0;

	g_string_append(out, "Qdevice information\n-------------------\n");
	g_string_append_printf(out, "Model:\t\t\tNet\nNode ID:\t\t%u\n", membership_daemon.nodeid);
	if (verbose)
		g_string_append_printf(out, "HB interval:\t\t%ums\nSync HB interval:\t%ums\n",
		    c->device_timeout, c->device_sync_timeout);
	g_string_append(out, "Configured node list:\n");
	for (unsigned i = 0; i < c->n_nodes; i++)
		g_string_append_printf(out, "    %u\tNode ID = %u\n", i, c->nodes[i].nodeid);
	if (verbose) {
		g_string_append_printf(out, "Heuristics:\t\t%s\n",
		    c->device_heur_mode == 1	   ? "Enabled"
			: c->device_heur_mode == 2 ? "Enabled only on sync"
						   : "Disabled");
		g_string_append_printf(out, "Ring ID:\t\t%x.%llx\n", membership_daemon.ring.rep,
		    (unsigned long long)membership_daemon.ring.seq);
	}
	g_string_append(out, "Membership node list:\t");
	for (unsigned i = 0; i < membership_daemon.n_members; i++)
		g_string_append_printf(out, "%s%u", i ? ", " : "", membership_daemon.members[i]);
	g_string_append_c(out, '\n');
	if (verbose) {
		g_string_append_printf(
		    out, "Quorate:\t\t%s\nQuorum node list:\n", q->quorate ? "Yes" : "No");
		for (unsigned i = 0; i < membership_daemon.n_members; i++)
			g_string_append_printf(out, "    %u\tNode ID = %u, State = member\n", i,
			    membership_daemon.members[i]);
		g_string_append_printf(out, "Expected votes:\t\t%u\n", q->expected);
		wall_text(out, "Last poll call:\t\t", Q.poll_wall);
		g_string_append(out, Q.counted ? " (cast vote)\n" : " (no vote)\n");
	}
	g_string_append(out, "\nQdevice-net information\n----------------------\n");
	g_string_append_printf(out, "Cluster name:\t\t%s\nQNetd host:\t\t%s:%u\n",
	    c->cluster_name ? c->cluster_name : "", c->device_host, c->device_port);
	if (verbose)
		g_string_append_printf(out,
		    "Connect timeout:\t%ums\nHB interval:\t\t%ums\nVQ vote timer "
		    "interval:\t%ums\nTLS:\t\t\t%s\n",
		    c->device_connect_timeout, c->device_timeout / 3, c->device_timeout / 2,
		    Q.tls_mode == QNETD_TLS_REQUIRED ? "Required"
			: Q.tls_mode == QNETD_TLS_ON ? "Supported"
						     : "Unsupported");
	g_string_append_printf(
	    out, "Algorithm:\t\t%s\n", c->device_algorithm ? "LMS" : "Fifty-Fifty split");
	if (c->device_tb_mode == 2)
		g_string_append_printf(
		    out, "Tie-breaker:\t\tNode with node ID %u\n", c->device_tb_node);
	else
		g_string_append_printf(out, "Tie-breaker:\t\tNode with %s node ID\n",
		    c->device_tb_mode == 1 ? "highest" : "lowest");
	if (verbose)
		g_string_append_printf(out, "KAP Tie-breaker:\t%s\nPoll timer running:\t%s\n",
		    c->device_keep_active ? "Enabled" : "Disabled",
		    Q.state != QD_READY ? "No"
			: Q.counted	? "Yes (cast vote)"
					: "Yes");
	g_string_append_printf(out, "State:\t\t\t%s\n", net_state_text());
	if (heur && verbose)
		g_string_append_printf(out,
		    "Heuristics result:\t%s (regular: %s, membership: %s, connect: %s)\n",
		    membership_heur_name(Q.heur_result),
		    membership_heur_name(Q.heur_kind[HEUR_REGULAR]),
		    membership_heur_name(Q.heur_kind[HEUR_MEMBERSHIP]),
		    membership_heur_name(Q.heur_kind[HEUR_CONNECT]));
	else if (heur)
		g_string_append_printf(
		    out, "Heuristics result:\t%s\n", membership_heur_name(Q.heur_result));
	if (verbose) {
		g_string_append_printf(out, "TLS active:\t\t%s\n",
		    Q.conn && qnetd_conn_tls(Q.conn) ? "Yes (client certificate sent)" : "No");
		if (Q.state == QD_READY) {
			wall_text(out, "Connected since:\t", Q.connected_wall);
			wall_text(out, "\nEcho reply received:\t", Q.reply_wall);
			g_string_append_c(out, '\n');
		}
	}
}
