/*
 * server.c - paceline-qnetd's service: the TCP listener, one client per node connection,
 * the protocol's handshake and messages (msg/qnetd-peer.def, through one pl_peer decoder),
 * and the clusters, each with its decision (algo.h). A status request over local IPC answers
 * in corosync-qnetd-tool -l's shape.
 *
 * Client states: PREINIT (nothing yet) -> [TLS (handshake) ->] HELLO (TLS settled) -> INIT
 * (challenge sent, session key set) -> READY (accepted into its cluster); REFUSED accepts
 * nothing more (its reply is on the way, the node closes). A message out of its state, a bad record or a frame the decoder
 * rejects closes the connection, with one log line saying why.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>

#include "paceline/buf.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"
#include "qnetd.h"

enum qnetd_client_state {
	QNETD_CL_PREINIT = 0,
	QNETD_CL_TLS,
	QNETD_CL_HELLO,
	QNETD_CL_INIT,
	QNETD_CL_READY,
	QNETD_CL_REFUSED
};

struct qnetd_entry; /* one cluster */

struct qnetd_client {
	struct qnetd_conn *conn;
	uint32_t id;
	enum qnetd_client_state state;
	char name[128]; /* the cluster's */
	uint32_t nodeid;
	uint8_t cnonce[QNETD_NONCE_LEN];
	uint8_t *key;
	size_t keylen;
	char *cn; /* under TLS: the certificate's common name (the cluster it is for) */
	struct qnetd_entry *entry;
	uint32_t echo;	   /* last stamp received */
	uint32_t sent_seq; /* the last vote number sent */
	uint32_t timeout_ms;
	bool doomed;
	const char *doom_why;
	char config_text[256];
	enum qnetd_heuristics heur[2]; /* the last membership and regular results */
	char addr[80];
	uint64_t since; /* connected at (ms) */
};

struct qnetd_entry {
	char *name;
	struct qnetd_cluster c;
	bool initialised;
};

static struct {
	int lfd;
	guint lwatch, tick;
	GHashTable *clusters; /* name -> struct qnetd_entry */
	GHashTable *clients;  /* id -> struct qnetd_client */
	struct pl_peer *pp;
	struct pl_ipc_server *ipc;
	uint32_t next_id;
	struct qnetd_server_conf conf;
	enum qnetd_tls_mode tls_mode; /* effective: off when no certificate database */
	struct qnetd_tls *tls;
	uint64_t auth_failures;
} S;

/* ---- sending ---- */

static void
send_vote(struct qnetd_client *cl)
{
	struct qnetd_node *n = qnetd_cluster_node(&cl->entry->c, cl->nodeid);
	struct pl_error err = PL_ERROR_INIT;

	if (!n || !n->connected)
		return;
	if (!pl_peer_send(S.pp, qnetd_conn_send_frame, cl->conn, &err, PL_PEER_QNETD_VOTE,
		(uint32_t)n->vote, n->vote_seq, n->vote_ring.rep, n->vote_ring.seq, cl->echo))
		log_warnx(
		    "cluster %s node %u: cannot send its vote: %s", cl->name, cl->nodeid, err.text);
	cl->sent_seq = n->vote_seq;
}

/* Decide for one cluster and send every changed vote (one log line per change). */
static void
decide(struct qnetd_entry *e)
{
	GHashTableIter it;
	gpointer k, v;

	qnetd_cluster_expire(&e->c, pl_mono_ms());
	if (!qnetd_cluster_decide(&e->c, pl_mono_ms()))
		return;
	g_hash_table_iter_init(&it, S.clients);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct qnetd_client *cl = v;
		struct qnetd_node *n;
		if (cl->entry != e || cl->state != QNETD_CL_READY || cl->doomed)
			continue;
		n = qnetd_cluster_node(&e->c, cl->nodeid);
		if (!n || n->vote_seq == cl->sent_seq)
			continue;
		log_notice("cluster %s node %u: vote %s for ring %u.%llx", e->name, cl->nodeid,
		    qnetd_vote_name(n->vote), n->vote_ring.rep, (unsigned long long)n->vote_ring.seq);
		send_vote(cl);
	}
}

/* ---- clients ---- */

static void
client_free(struct qnetd_client *cl, const char *why)
{
	if (cl->state == QNETD_CL_READY && cl->entry) {
		/* (a connection replaced by a newer one of its node has no entry any more) */
		log_notice("cluster %s node %u (%s) disconnected: %s", cl->name, cl->nodeid,
		    cl->addr, why ? why : "closed");
		qnetd_cluster_disconnect(&cl->entry->c, cl->nodeid);
	} else if (why)
		log_info("client %s: closed before it was accepted: %s", cl->addr, why);
	pl_peer_forget(S.pp, cl->nodeid, cl->id);
	qnetd_conn_free(cl->conn);
	free(cl->key);
	free(cl->cn);
	{
		struct qnetd_entry *e = cl->entry;
		g_hash_table_remove(S.clients, GUINT_TO_POINTER(cl->id));
		if (e)
			decide(e);
	}
}

static void
doom(struct qnetd_client *cl, const char *why)
{
	if (!cl->doomed) {
		cl->doomed = true;
		cl->doom_why = why;
	}
}

static struct qnetd_client *
client_of(const struct pl_peer_msg *m)
{
	return g_hash_table_lookup(S.clients, GUINT_TO_POINTER(m->pid));
}

/* The cluster key: <keydir>/<cluster name>.key */
static bool
cluster_name_ok(const char *name)
{
	if (!*name || strlen(name) > 100 || name[0] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return true;
}

/* The first message: TLS or not (tls.h's table), answered in clear. */
static void
on_preinit(const struct pl_peer_msg *m, void *arg)
{
	struct qnetd_client *cl = client_of(m);
	uint32_t version, mode;
	const char *name, *why;
	struct pl_error err = PL_ERROR_INIT;
	enum qnetd_tls_outcome o;

	(void)arg;
	pl_peer_unpack(m, &version, &mode, &name);
	if (cl->state != QNETD_CL_PREINIT)
		return doom(cl, "PREINIT out of order");
	if (version != QNETD_PROTOCOL)
		return doom(cl, "unsupported protocol version");
	if (mode > QNETD_TLS_REQUIRED)
		return doom(cl, "malformed PREINIT (TLS mode)");
	if (cluster_name_ok(name)) /* as the node says: for the log until its HELLO */
		snprintf(cl->name, sizeof(cl->name), "%s", name);
	if (!pl_peer_send(S.pp, qnetd_conn_send_frame, cl->conn, &err, PL_PEER_QNETD_PREINIT_REPLY,
		(uint32_t)S.tls_mode))
		return doom(cl, "cannot send the PREINIT reply");
	o = qnetd_tls_decide((enum qnetd_tls_mode)mode, S.tls_mode, &why);
	if (o == QNETD_TLS_REFUSE) {
		log_warnx("client %s (cluster %s) refused: %s (node tls: %s, arbiter -s %s)",
		    cl->addr, cluster_name_ok(name) ? name : "?", why,
		    qnetd_tls_mode_name((enum qnetd_tls_mode)mode), qnetd_tls_mode_name(S.tls_mode));
		cl->state = QNETD_CL_REFUSED; /* the node reads the reply, decides the same, closes */
		return;
	}
	if (o == QNETD_TLS_USE) {
		cl->state = QNETD_CL_TLS;
		qnetd_conn_start_tls(cl->conn, S.tls);
	} else
		cl->state = QNETD_CL_HELLO;
}

static bool
on_secured(struct qnetd_conn *c, void *arg)
{
	struct qnetd_client *cl = arg;

	cl->cn = qnetd_conn_peer_cn(c);
	cl->state = QNETD_CL_HELLO;
	log_debug(
	    "client %s: TLS established, certificate CN=%s", cl->addr, cl->cn ? cl->cn : "(none)");
	return true;
}

static void
on_hello(const struct pl_peer_msg *m, void *arg)
{
	struct qnetd_client *cl = client_of(m);
	uint32_t version, nodeid;
	const char *name;
	const void *nonce;
	size_t nlen;
	uint8_t snonce[QNETD_NONCE_LEN];
	char why[512], *path;
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	pl_peer_unpack(m, &version, &name, &nodeid, &nonce, &nlen);
	if (cl->state == QNETD_CL_REFUSED)
		return;
	if (cl->state != QNETD_CL_HELLO)
		return doom(cl, "HELLO out of order");
	if (version != QNETD_PROTOCOL)
		return doom(cl, "unsupported protocol version");
	if (nlen != QNETD_NONCE_LEN || nodeid == 0 || !cluster_name_ok(name))
		return doom(cl, "malformed HELLO (nonce, node id or cluster name)");
	if (qnetd_conn_tls(cl->conn)) { /* the certificate names the cluster, not a key file */
		if (!cl->cn || strcmp(cl->cn, name) != 0) {
			log_warnx("client %s (cluster %s node %u) refused: its certificate is for "
				  "cluster '%s'",
			    cl->addr, name, nodeid, cl->cn ? cl->cn : "(no common name)");
			return doom(cl, NULL);
		}
		cl->keylen = strlen(QNETD_TLS_RECORD_KEY);
		cl->key = (uint8_t *)xstrdup(QNETD_TLS_RECORD_KEY);
	} else {
		path = xasprintf("%s/%s.key", S.conf.keydir, name);
		cl->key = qnetd_key_load(path, &cl->keylen, why, sizeof(why));
		free(path);
	}
	if (!cl->key) { /* nodes retry every second: said once a minute per cluster */
		static char last[128];
		static uint64_t last_at;
		bool again = strcmp(last, name) == 0 && pl_mono_ms() < last_at + 60000;
		(again ? log_debug : log_warnx)(
		    "client %s (cluster %s node %u) refused: no key for "
		    "this cluster: %s",
		    cl->addr, name, nodeid, why);
		if (!again) {
			snprintf(last, sizeof(last), "%s", name);
			last_at = pl_mono_ms();
		}
		return doom(cl, NULL);
	}
	snprintf(cl->name, sizeof(cl->name), "%s", name);
	cl->nodeid = nodeid;
	memcpy(cl->cnonce, nonce, QNETD_NONCE_LEN);
	qnetd_random(snonce, sizeof(snonce));
	/* The challenge still travels without a MAC; everything after it has one. */
	if (!pl_peer_send(S.pp, qnetd_conn_send_frame, cl->conn, &err, PL_PEER_QNETD_CHALLENGE,
		(const void *)snonce, (size_t)QNETD_NONCE_LEN))
		return doom(cl, "cannot send the challenge");
	qnetd_record_key(qnetd_conn_record(cl->conn), cl->key, cl->keylen, cl->cnonce, snonce);
	cl->state = QNETD_CL_INIT;
}

static const char *
init_refusal(struct qnetd_entry *e, uint32_t algo, uint32_t tb, uint32_t tb_node)
{
	if (algo > QNETD_ALGO_LMS)
		return "unknown algorithm";
	if (tb > QNETD_TB_NODE)
		return "unknown tie-breaker";
	if (e->initialised && (e->c.algorithm != (enum qnetd_algorithm)algo))
		return "algorithm differs from the other nodes of this cluster";
	if (e->initialised && (e->c.tb_mode != (enum qnetd_tb_mode)tb || e->c.tb_node != tb_node))
		return "tie-breaker differs from the other nodes of this cluster";
	return NULL;
}

static void
on_init(const struct pl_peer_msg *m, void *arg)
{
	struct qnetd_client *cl = client_of(m);
	uint32_t algo, tb, tb_node, timeout, flags, ids[QNETD_MAX_NODES];
	const uint8_t *blob;
	size_t blen;
	unsigned n;
	struct qnetd_entry *e;
	const char *refuse;
	struct pl_error err = PL_ERROR_INIT;
	size_t off = 0;

	(void)arg;
	pl_peer_unpack(m, &algo, &tb, &tb_node, &timeout, &flags, &blob, &blen);
	if (cl->state == QNETD_CL_REFUSED)
		return;
	if (cl->state != QNETD_CL_INIT)
		return doom(cl, "INIT out of order");
	if (blen % 4 || blen / 4 > QNETD_MAX_NODES || blen == 0 || timeout < 100 || timeout > 3600000)
		return doom(cl, "malformed INIT (nodelist or timeout)");
	n = (unsigned)(blen / 4);
	for (unsigned i = 0; i < n; i++)
		ids[i] = (uint32_t)blob[4 * i] << 24 | (uint32_t)blob[4 * i + 1] << 16 |
		    (uint32_t)blob[4 * i + 2] << 8 | blob[4 * i + 3];
	e = g_hash_table_lookup(S.clusters, cl->name);
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->name = xstrdup(cl->name);
		g_hash_table_insert(S.clusters, e->name, e);
	}
	if ((refuse = init_refusal(e, algo, tb, tb_node)) != NULL) {
		log_warnx(
		    "cluster %s node %u (%s) refused: %s", cl->name, cl->nodeid, cl->addr, refuse);
		(void)pl_peer_send(S.pp, qnetd_conn_send_frame, cl->conn, &err,
		    PL_PEER_QNETD_INIT_REPLY, (uint32_t)1, refuse);
		cl->state = QNETD_CL_REFUSED;
		return;
	}
	if (!e->initialised) {
		qnetd_cluster_init(
		    &e->c, (enum qnetd_algorithm)algo, (enum qnetd_tb_mode)tb, tb_node, flags & 1);
		e->initialised = true;
	}
	{ /* a node connected twice: the newer connection wins */
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, S.clients);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			struct qnetd_client *o = v;
			if (o != cl && o->entry == e && o->nodeid == cl->nodeid &&
			    o->state == QNETD_CL_READY) {
				o->state = QNETD_CL_REFUSED; /* it no longer touches the cluster */
				o->entry = NULL;
				doom(o, "replaced by a newer connection of the same node");
			}
		}
	}
	if (!qnetd_cluster_connect(&e->c, cl->nodeid, ids, n, timeout + timeout / 2, pl_mono_ms())) {
		(void)pl_peer_send(S.pp, qnetd_conn_send_frame, cl->conn, &err,
		    PL_PEER_QNETD_INIT_REPLY, (uint32_t)1, "too many nodes in this cluster");
		cl->state = QNETD_CL_REFUSED;
		return;
	}
	cl->entry = e;
	cl->timeout_ms = timeout;
	cl->state = QNETD_CL_READY;
	cl->sent_seq = qnetd_cluster_node(&e->c, cl->nodeid)->vote_seq;
	for (unsigned i = 0; i < n; i++)
		off += (size_t)snprintf(cl->config_text + off, sizeof(cl->config_text) - off,
		    "%s%u", i ? ", " : "", ids[i]);
	(void)pl_peer_send(
	    S.pp, qnetd_conn_send_frame, cl->conn, &err, PL_PEER_QNETD_INIT_REPLY, (uint32_t)0, "");
	log_notice("cluster %s node %u (%s) connected: %s, tie-breaker %s, timeout %u ms", cl->name,
	    cl->nodeid, cl->addr, qnetd_algorithm_name(e->c.algorithm),
	    e->c.tb_mode == QNETD_TB_HIGHEST	? "highest"
		: e->c.tb_mode == QNETD_TB_NODE ? "node id"
						: "lowest",
	    timeout);
	decide(e);
}

static void
on_membership(const struct pl_peer_msg *m, void *arg)
{
	struct qnetd_client *cl = client_of(m);
	uint32_t stamp, acked, rep, ids[QNETD_MAX_NODES];
	uint64_t seq;
	const uint8_t *blob;
	size_t blen;
	struct qnetd_ring r;

	(void)arg;
	pl_peer_unpack(m, &stamp, &acked, &rep, &seq, &blob, &blen);
	if (cl->state != QNETD_CL_READY)
		return doom(cl, "MEMBERSHIP before INIT");
	if (blen % 4 || blen / 4 > QNETD_MAX_NODES || blen == 0)
		return doom(cl, "malformed MEMBERSHIP (member list)");
	for (size_t i = 0; i < blen / 4; i++)
		ids[i] = (uint32_t)blob[4 * i] << 24 | (uint32_t)blob[4 * i + 1] << 16 |
		    (uint32_t)blob[4 * i + 2] << 8 | blob[4 * i + 3];
	r.rep = rep;
	r.seq = seq;
	cl->echo = stamp > cl->echo ? stamp : cl->echo;
	log_info("cluster %s node %u: membership %u.%llx, %zu node(s)", cl->name, cl->nodeid, rep,
	    (unsigned long long)seq, blen / 4);
	qnetd_cluster_membership(
	    &cl->entry->c, cl->nodeid, &r, ids, (unsigned)(blen / 4), pl_mono_ms());
	qnetd_cluster_heard(&cl->entry->c, cl->nodeid, acked, pl_mono_ms());
	decide(cl->entry);
	send_vote(cl); /* the answer for this ring (even when it is still "wait") */
}

static void
on_heartbeat(const struct pl_peer_msg *m, void *arg)
{
	struct qnetd_client *cl = client_of(m);
	uint32_t stamp, acked;

	(void)arg;
	pl_peer_unpack(m, &stamp, &acked);
	if (cl->state != QNETD_CL_READY)
		return doom(cl, "HEARTBEAT before INIT");
	cl->echo = stamp > cl->echo ? stamp : cl->echo;
	qnetd_cluster_heard(&cl->entry->c, cl->nodeid, acked, pl_mono_ms());
	decide(cl->entry);
	send_vote(cl); /* the reply renews the node's lease */
}

static void
on_heuristics(const struct pl_peer_msg *m, void *arg)
{
	struct qnetd_client *cl = client_of(m);
	uint32_t stamp, acked, result, kind;
	struct qnetd_node *n;

	(void)arg;
	pl_peer_unpack(m, &stamp, &acked, &result, &kind);
	if (cl->state != QNETD_CL_READY)
		return doom(cl, "HEURISTICS before INIT");
	if (result > QNETD_HEUR_FAIL || kind > 1)
		return doom(cl, "malformed HEURISTICS (result or kind)");
	cl->heur[kind] = (enum qnetd_heuristics)result;
	cl->echo = stamp > cl->echo ? stamp : cl->echo;
	n = qnetd_cluster_node(&cl->entry->c, cl->nodeid);
	if (n && n->heuristics != (enum qnetd_heuristics)result)
		log_info("cluster %s node %u: heuristics %s", cl->name, cl->nodeid,
		    qnetd_heuristics_name((enum qnetd_heuristics)result));
	qnetd_cluster_heuristics(
	    &cl->entry->c, cl->nodeid, (enum qnetd_heuristics)result, pl_mono_ms());
	qnetd_cluster_heard(&cl->entry->c, cl->nodeid, acked, pl_mono_ms());
	decide(cl->entry);
	send_vote(cl);
}

static bool
on_frame(struct qnetd_conn *c, const uint8_t *frame, size_t len, void *arg)
{
	struct qnetd_client *cl = arg;

	(void)c;
	if (!pl_peer_receive(S.pp, cl->nodeid, cl->id, frame, len))
		doom(cl, "malformed or unexpected message");
	if (cl->doomed) {
		client_free(cl, cl->doom_why);
		return false;
	}
	return true;
}

static void
on_closed(struct qnetd_conn *c, const char *why, void *arg)
{
	struct qnetd_client *cl = arg;

	(void)c;
	if (strstr(why, "authentication") || strncmp(why, "TLS:", 4) == 0) {
		S.auth_failures++;
		log_warnx("client %s (cluster %s) refused: %s", cl->addr,
		    cl->name[0] ? cl->name : "?", why);
		client_free(cl, NULL);
		return;
	}
	client_free(cl, why);
}

static const struct qnetd_conn_ops client_ops = {
	.frame = on_frame, .secured = on_secured, .closed = on_closed
};

static gboolean
on_accept(gint fd, GIOCondition cond, gpointer data)
{
	struct sockaddr_storage sa;
	socklen_t sl = sizeof(sa);
	int cfd;
	struct qnetd_client *cl;
	char host[64] = "?";

	(void)fd;
	(void)cond;
	(void)data;
	cfd = accept4(S.lfd, (struct sockaddr *)&sa, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("accept");
		return G_SOURCE_CONTINUE;
	}
	cl = xcalloc(1, sizeof(*cl));
	cl->id = ++S.next_id ? S.next_id : ++S.next_id;
	cl->since = pl_mono_ms();
	if (sa.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(cl->addr, sizeof(cl->addr), "%s:%u", host, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&sa;
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(cl->addr, sizeof(cl->addr), "%s:%u", host, ntohs(s4->sin_port));
	}
	cl->conn = qnetd_conn_new(cfd, false, cl->addr, &client_ops, cl);
	g_hash_table_insert(S.clients, GUINT_TO_POINTER(cl->id), cl);
	log_debug("client %s connected", cl->addr);
	return G_SOURCE_CONTINUE;
}

/* Every 100 ms: nodes silent for 1.5 x their timeout are gone; the clusters decide again.
 * A client that never finished its handshake is dropped after 30 s. */
static gboolean
on_tick(gpointer data)
{
	GHashTableIter it;
	gpointer k, v;

	(void)data;
	for (bool again = true; again;) { /* doomed clients (replaced, refused) go now */
		again = false;
		g_hash_table_iter_init(&it, S.clients);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			struct qnetd_client *cl = v;
			if (cl->doomed ||
			    (cl->state != QNETD_CL_READY && pl_mono_ms() > cl->since + 30000)) {
				client_free(
				    cl, cl->doomed ? cl->doom_why : "no handshake within 30 s");
				again = true;
				break;
			}
		}
	}
	g_hash_table_iter_init(&it, S.clusters);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct qnetd_entry *e = v;
		unsigned before = qnetd_cluster_connected(&e->c);
		if (qnetd_cluster_expire(&e->c, pl_mono_ms()) &&
		    qnetd_cluster_connected(&e->c) < before)
			log_notice("cluster %s: %u node(s) silent past their timeout, counted gone",
			    e->name, before - qnetd_cluster_connected(&e->c));
		decide(e);
	}
	return G_SOURCE_CONTINUE;
}

/* ---- status (paceline-qnetd-tool) ---- */

/* corosync-qnetd-tool -l's text: tabs and field names as corosync-qnetd 3.0.3 prints them */
static bool
has_clients(const struct qnetd_entry *e)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, S.clients);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct qnetd_client *cl = v;
		if (cl->entry == e && cl->state == QNETD_CL_READY)
			return true;
	}
	return false;
}

/* (a cluster without connected nodes is not listed, as corosync-qnetd forgets it) */
static void
status_cluster(GString *out, struct qnetd_entry *e, bool verbose)
{
	GHashTableIter it;
	gpointer k, v;

	if (!has_clients(e))
		return;

	g_string_append_printf(out, "Cluster \"%s\":\n", e->name);
	g_string_append_printf(out, "    Algorithm:\t\t%s%s\n", qnetd_algorithm_name(e->c.algorithm),
	    e->c.algorithm == QNETD_ALGO_FFSPLIT && e->c.keep_active ? " (KAP Tie-breaker)" : "");
	if (e->c.tb_mode == QNETD_TB_NODE)
		g_string_append_printf(out, "    Tie-breaker:\tNode with ID %u\n", e->c.tb_node);
	else
		g_string_append_printf(out, "    Tie-breaker:\tNode with %s node ID\n",
		    e->c.tb_mode == QNETD_TB_HIGHEST ? "highest" : "lowest");
	g_hash_table_iter_init(&it, S.clients);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct qnetd_client *cl = v;
		struct qnetd_node *n;
		if (cl->entry != e || cl->state != QNETD_CL_READY)
			continue;
		n = qnetd_cluster_node(&e->c, cl->nodeid);
		g_string_append_printf(out, "    Node ID %u:\n", cl->nodeid);
		g_string_append_printf(out, "        Client address:\t\t%s\n",
		    strncmp(cl->addr, "::ffff:", 7) == 0 ? cl->addr + 7 : cl->addr);
		if (verbose)
			g_string_append_printf(
			    out, "        HB interval:\t\t%ums\n", cl->timeout_ms / 3);
		g_string_append_printf(out, "        Configured node list:\t%s\n", cl->config_text);
		if (n && n->has_ring) {
			if (verbose)
				g_string_append_printf(out, "        Ring ID:\t\t%x.%llx\n",
				    n->ring.rep, (unsigned long long)n->ring.seq);
			g_string_append(out, "        Membership node list:\t");
			for (unsigned i = 0; i < n->n_members; i++)
				g_string_append_printf(out, "%s%u", i ? ", " : "", n->members[i]);
			g_string_append_c(out, '\n');
		}
		if (n && verbose)
			g_string_append_printf(out,
			    "        Heuristics:\t\t%s (membership: %s, regular: %s)\n",
			    qnetd_heuristics_name(n->heuristics),
			    qnetd_heuristics_name(cl->heur[0]), qnetd_heuristics_name(cl->heur[1]));
		else if (n && n->heuristics != QNETD_HEUR_UNDEFINED)
			g_string_append_printf(out, "        Heuristics:\t\t%s\n",
			    qnetd_heuristics_name(n->heuristics));
		if (verbose)
			g_string_append(out,
			    qnetd_conn_tls(cl->conn)
				? "        TLS active:\t\tYes (client certificate verified)\n"
				: "        TLS active:\t\tNo\n");
		if (n)
			g_string_append_printf(out, "        Vote:\t\t\t%s (%s)\n",
			    n->vote_seq == cl->sent_seq ? "No change" : qnetd_vote_name(n->vote),
			    qnetd_vote_name(n->vote));
	}
}

/* corosync-qnetd-tool -s: the listener, TLS, how many clients and clusters are connected */
static void
status_summary(GString *out, bool verbose)
{
	GHashTableIter it;
	gpointer k, v;
	unsigned clients = 0, clusters = 0;
	GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);

	g_hash_table_iter_init(&it, S.clients);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct qnetd_client *cl = v;
		if (cl->state != QNETD_CL_READY || !cl->entry)
			continue;
		clients++;
		if (g_hash_table_add(seen, cl->entry))
			clusters++;
	}
	g_hash_table_destroy(seen);
	g_string_append_printf(out, "QNetd address:\t\t\t%s:%u\n",
	    S.conf.listen && *S.conf.listen ? S.conf.listen : "*", S.conf.port);
	g_string_append_printf(out, "TLS:\t\t\t\t%s\n",
	    S.tls_mode == QNETD_TLS_REQUIRED ? "Required"
		: S.tls_mode == QNETD_TLS_ON ? "Supported"
					     : "Unsupported");
	g_string_append_printf(
	    out, "Connected clients:\t\t%u\nConnected clusters:\t\t%u\n", clients, clusters);
	if (verbose)
		g_string_append_printf(out, "Maximum send/receive size:\t%u/%u bytes\n",
		    (unsigned)QNETD_RECORD_MAX, (unsigned)QNETD_RECORD_MAX);
}

static void
on_status(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *filter;
	uint32_t verbose;
	GString *out = g_string_new(NULL);
	struct pl_pack p = PL_PACK_INIT;
	GHashTableIter it;
	gpointer k, v;
	GList *names = NULL;

	(void)arg;
	if (!pl_msg_unpack(msg, PL_MSG_QNETD_STATUS, &filter, &verbose)) {
		pl_ipc_reply_status(c, msg->call_id, 76, "malformed status request");
		g_string_free(out, TRUE);
		return;
	}
	if (verbose & 2)
		status_summary(out, verbose & 1);
	else {
		g_hash_table_iter_init(&it, S.clusters);
		while (g_hash_table_iter_next(&it, &k, &v))
			names = g_list_insert_sorted(names, k, (GCompareFunc)strcmp);
		for (GList *l = names; l; l = l->next)
			if (!*filter || strcmp(filter, l->data) == 0)
				status_cluster(
				    out, g_hash_table_lookup(S.clusters, l->data), verbose & 1);
		g_list_free(names);
	}
	pl_msg_pack(&p, PL_MSG_QNETD_STATUS_REPLY, out->str);
	pl_ipc_reply(c, msg->call_id, PL_MSG_QNETD_STATUS_REPLY, 0, &p);
	pl_pack_free(&p);
	g_string_free(out, TRUE);
}

/* ---- start, stop ---- */

static void
entry_free(gpointer p)
{
	struct qnetd_entry *e = p;

	free(e->name);
	free(e);
}

/* TLS as -s asks: "on" offers it when KEYDIR/nssdb holds the arbiter's certificate, and says
 * once why not otherwise; "required" without it cannot start. */
static bool
tls_start(struct pl_error *err)
{
	char why[512], *db = xasprintf("%s/nssdb", S.conf.keydir), *f = xasprintf("%s/cert9.db", db);
	bool have = g_file_test(f, G_FILE_TEST_EXISTS);

	free(f);
	S.tls_mode = S.conf.tls;
	if (S.tls_mode != QNETD_TLS_OFF) {
		if (!have)
			snprintf(why, sizeof(why),
			    "%s: no certificate database (paceline-qnetd-certutil -i)", db);
		else
			S.tls = qnetd_tls_open(db, true, why, sizeof(why));
		if (!S.tls && S.tls_mode == QNETD_TLS_REQUIRED) {
			pl_error_set(err, 78, "-s required: %s", why);
			free(db);
			return false;
		}
		if (!S.tls) {
			(have ? log_warnx : log_info)(
			    "TLS not offered: %s; nodes authenticate with the cluster key", why);
			S.tls_mode = QNETD_TLS_OFF;
		}
	}
	free(db);
	return true;
}

bool
qnetd_server_start(const struct qnetd_server_conf *conf, struct pl_error *err)
{
	struct sockaddr_in6 sa6;
	int one = 1, zero = 0;

	S.conf = *conf;
	S.clusters = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, entry_free);
	S.clients = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free);
	S.pp = pl_peer_new(PL_SVC_QNETD, QNETD_RECORD_MAX, NULL);
	pl_peer_handle(S.pp, PL_PEER_QNETD_PREINIT, on_preinit);
	pl_peer_handle(S.pp, PL_PEER_QNETD_HELLO, on_hello);
	pl_peer_handle(S.pp, PL_PEER_QNETD_INIT, on_init);
	pl_peer_handle(S.pp, PL_PEER_QNETD_MEMBERSHIP, on_membership);
	pl_peer_handle(S.pp, PL_PEER_QNETD_HEARTBEAT, on_heartbeat);
	pl_peer_handle(S.pp, PL_PEER_QNETD_HEURISTICS, on_heuristics);
	S.lfd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (S.lfd < 0) {
		pl_error_set(err, 71, "socket: %s", strerror(errno));
		return false;
	}
	(void)setsockopt(S.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	(void)setsockopt(S.lfd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	memset(&sa6, 0, sizeof(sa6));
	sa6.sin6_family = AF_INET6;
	sa6.sin6_port = htons((uint16_t)conf->port);
	if (conf->listen && *conf->listen) {
		struct in_addr a4;
		if (inet_pton(AF_INET6, conf->listen, &sa6.sin6_addr) != 1) {
			if (inet_pton(AF_INET, conf->listen, &a4) != 1) {
				pl_error_set(
				    err, 64, "-l %s: not an IPv4 or IPv6 address", conf->listen);
				return false;
			}
			sa6.sin6_addr.s6_addr[10] = sa6.sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sa6.sin6_addr.s6_addr[12], &a4, 4);
		}
	}
	if (bind(S.lfd, (struct sockaddr *)&sa6, sizeof(sa6)) != 0 || listen(S.lfd, 64) != 0) {
		pl_error_set(err, 71, "cannot listen on %s port %u: %s",
		    conf->listen && *conf->listen ? conf->listen : "*", conf->port, strerror(errno));
		return false;
	}
	if (!tls_start(err))
		return false;
	S.lwatch = g_unix_fd_add(S.lfd, G_IO_IN, on_accept, NULL);
	S.tick = g_timeout_add(100, on_tick, NULL);
	if (!(S.ipc = pl_ipc_server_new(PL_SVC_QNETD, NULL, NULL, NULL, err)))
		return false;
	pl_ipc_server_handle(S.ipc, PL_MSG_QNETD_STATUS, on_status);
	if (!g_file_test(conf->keydir, G_FILE_TEST_IS_DIR))
		log_warnx("%s: no such directory: every node will be refused until it holds "
			  "<cluster_name>.key (the cluster's authkey, mode 0400)",
		    conf->keydir);
	log_notice("listening on %s port %u, cluster keys in %s, TLS %s",
	    conf->listen && *conf->listen ? conf->listen : "*", conf->port, conf->keydir,
	    qnetd_tls_mode_name(S.tls_mode));
	return true;
}

void
qnetd_server_stop(void)
{
	GHashTableIter it;
	gpointer k, v;

	if (S.ipc)
		pl_ipc_server_free(S.ipc);
	S.ipc = NULL;
	if (S.clients) {
		g_hash_table_iter_init(&it, S.clients);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			struct qnetd_client *cl = v;
			qnetd_conn_free(cl->conn);
			free(cl->key);
			free(cl->cn);
		}
		g_hash_table_destroy(S.clients);
		S.clients = NULL;
	}
	if (S.clusters)
		g_hash_table_destroy(S.clusters);
	S.clusters = NULL;
	if (S.pp)
		pl_peer_free(S.pp);
	S.pp = NULL;
	if (S.lwatch)
		g_source_remove(S.lwatch);
	if (S.tick)
		g_source_remove(S.tick);
	S.lwatch = S.tick = 0;
	qnetd_tls_close(S.tls);
	S.tls = NULL;
	if (S.lfd > 0)
		close(S.lfd);
	S.lfd = -1;
}
