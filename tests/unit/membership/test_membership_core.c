/*
 * test_membership_core.c - the daemon's pure parts: paceline.conf meanings and defaults (corosync
 * 3.1.7's), errors with file:line, votequorum arithmetic, sealing and opening of datagrams
 * (tampering detected, key file mode enforced), and process groups derived from the ring.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/log.h"
#include "conf.h"
#include "crypto.h"
#include "groups.h"
#include "heuristics.h"
#include "quorum.h"

static const char *nodes3 = "nodelist {\n"
			    "	node {\n		ring0_addr: 127.0.0.1\n		name: "
			    "n1\n		nodeid: 1\n	}\n"
			    "	node {\n		ring0_addr: 127.0.0.2\n		name: "
			    "n2\n		nodeid: 2\n	}\n"
			    "	node {\n		ring0_addr: 127.0.0.3\n		name: "
			    "n3\n		nodeid: 3\n	}\n"
			    "}\n";

static bool
parse(const char *extra, struct membership_conf *c, struct pl_error *err)
{
	char *text;
	bool ok;

	if (asprintf(&text, "%s%s", extra, nodes3) < 0)
		abort();
	ok = membership_conf_parse_string(text, "paceline.conf", c, err);
	free(text);
	return ok;
}

static void
test_conf_defaults(void **state)
{
	struct membership_conf c;
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_true(parse("", &c, &err));
	assert_int_equal(c.token, 3000);
	assert_int_equal(c.token_coefficient, 650);
	assert_int_equal(c.token_effective, 3650); /* 3 nodes: + 1 x 650 */
	assert_int_equal(c.consensus, 4380);	   /* 1.2 x effective token */
	assert_int_equal(c.join, 50);
	assert_int_equal(c.merge, 200);
	assert_int_equal(c.max_messages, 17);
	assert_int_equal(c.window_size, 50);
	assert_int_equal(c.token_retransmit, 869); /* 3650 / 4.2 */
	assert_int_equal(c.port, 5405);
	assert_int_equal(c.n_nodes, 3);
	assert_string_equal(c.nodes[1].name, "n2");
	assert_int_equal(c.cipher, MEMBERSHIP_CIPHER_NONE);
	membership_conf_free(&c);

	assert_true(parse("totem {\n token: 1000\n token_coefficient: 0\n crypto_cipher: aes256\n"
			  " keyfile: /etc/corosync/authkey\n secauth: on\n"
			  " interface {\n  mcastport: 6000\n }\n}\n"
			  "quorum {\n provider: corosync_votequorum\n two_node: 1\n"
			  " expected_votes: 2\n}\n",
	    &c, &err));
	assert_int_equal(c.token_effective, 1000);
	assert_int_equal(c.consensus, 1200);
	assert_int_equal(c.port, 6000);
	assert_int_equal(c.cipher, MEMBERSHIP_CIPHER_AES256);
	assert_string_equal(c.keyfile, "/etc/corosync/authkey");
	assert_true(c.two_node);
	assert_true(c.wait_for_all); /* two_node implies it */
	membership_conf_free(&c);
}

static void
test_conf_errors(void **state)
{
	struct membership_conf c;
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_false(parse("totem {\n token: 3s\n}\n", &c, &err));
	assert_non_null(strstr(err.text, "paceline.conf:2"));
	assert_non_null(strstr(err.text, "token"));
	membership_conf_free(&c);
	pl_error_clear(&err);
	assert_false(parse("totem {\n crypto_cipher: rot13\n}\n", &c, &err));
	assert_non_null(strstr(err.text, "paceline.conf:2"));
	membership_conf_free(&c);
	pl_error_clear(&err);
	assert_false(
	    membership_conf_parse_string("nodelist {\n node {\n  ring0_addr: 127.0.0.1\n"
					 "  nodeid: 1\n }\n node {\n  ring0_addr: 127.0.0.2\n"
					 "  nodeid: 1\n }\n}\n",
		"p.conf", &c, &err));
	assert_non_null(strstr(err.text, "p.conf:8: nodeid: 1 used twice"));
	membership_conf_free(&c);
	pl_error_clear(&err);
	assert_false(parse("quorum {\n provider: other\n}\n", &c, &err));
	assert_non_null(strstr(err.text, "paceline.conf:2"));
	membership_conf_free(&c);
}

/* Links, transports and the quorum keys of votequorum(5). */
/* quorum.device.heuristics: corosync-qdevice(8)'s defaults, the verdict of a run */
static void
test_heuristics(void **state)
{
	struct membership_conf c;
	struct pl_error err = PL_ERROR_INIT;
	struct membership_heur_end e[3];
	int failed;

	(void)state;
	assert_true(membership_conf_parse_string(
	    "quorum {\n device {\n  model: net\n  timeout: 4000\n  master_wins: on\n"
	    "  net {\n   host: q\n  }\n"
	    "  heuristics {\n   mode: sync\n   exec_ping: /bin/ping -q -c 1 \"gw.example\"\n"
	    "   exec_file: /usr/bin/test -f /tmp/x\n  }\n }\n}\n"
	    "totem {\n cluster_name: web\n}\nnodelist {\n node {\n  ring0_addr: 127.0.0.1\n"
	    "  nodeid: 1\n }\n}\n",
	    "p.conf", &c, &err));
	assert_int_equal(c.device_heur_mode, 2);
	assert_true(c.device_master_wins);
	assert_int_equal(c.device_heur_timeout, 2000);	     /* timeout / 2 */
	assert_int_equal(c.device_heur_sync_timeout, 15000); /* sync_timeout / 2 */
	assert_int_equal(c.device_heur_interval, 12000);     /* 3 x timeout */
	assert_int_equal(c.device_n_execs, 2);
	assert_string_equal(c.device_exec_name[0], "ping");
	assert_string_equal(c.device_exec_cmd[0], "/bin/ping -q -c 1 \"gw.example\"");
	membership_conf_free(&c);
	/* mode on without commands: off (with a warning), as there is nothing to run */
	assert_true(membership_conf_parse_string(
	    "quorum {\n device {\n  model: net\n  net {\n   host: q\n  }\n"
	    "  heuristics {\n   mode: on\n  }\n }\n}\ntotem {\n cluster_name: web\n}\n"
	    "nodelist {\n node {\n  ring0_addr: 127.0.0.1\n  nodeid: 1\n }\n}\n",
	    "p.conf", &c, &err));
	assert_int_equal(c.device_heur_mode, 0);
	membership_conf_free(&c);

	memset(e, 0, sizeof(e));
	assert_int_equal(membership_heuristics_verdict(e, 0, &failed), MEMBERSHIP_HEUR_UNDEFINED);
	e[0].finished = e[1].finished = e[2].finished = true;
	assert_int_equal(membership_heuristics_verdict(e, 3, &failed), MEMBERSHIP_HEUR_PASS);
	e[1].status = 1 << 8; /* exited 1 */
	assert_int_equal(membership_heuristics_verdict(e, 3, &failed), MEMBERSHIP_HEUR_FAIL);
	assert_int_equal(failed, 1);
	e[1].status = 0;
	e[2].finished = false; /* killed at the timeout */
	assert_int_equal(membership_heuristics_verdict(e, 3, &failed), MEMBERSHIP_HEUR_FAIL);
	assert_int_equal(failed, 2);
	e[2].finished = true;
	e[2].status = 9; /* killed by a signal */
	assert_int_equal(membership_heuristics_verdict(e, 3, &failed), MEMBERSHIP_HEUR_FAIL);
}

static void
test_conf_links_quorum(void **state)
{
	struct membership_conf c;
	struct pl_error err = PL_ERROR_INIT;
	static const char *two_links =
	    "nodelist {\n node {\n  ring0_addr: 127.0.0.1\n  ring1_addr: 127.0.1.1\n"
	    "  nodeid: 1\n }\n node {\n  ring0_addr: 127.0.0.2\n  ring1_addr: 127.0.1.2\n"
	    "  nodeid: 2\n  quorum_votes: 2\n }\n}\n";
	char *text;

	(void)state;
	if (asprintf(&text,
		"totem {\n link_mode: active\n interface {\n  linknumber: 1\n"
		"  knet_link_priority: 5\n  mcastport: 5500\n }\n}\n"
		"quorum {\n provider: corosync_votequorum\n last_man_standing: 0\n"
		" auto_tie_breaker: 1\n auto_tie_breaker_node: 2 1\n}\n%s",
		two_links) < 0)
		abort();
	assert_true(membership_conf_parse_string(text, "p.conf", &c, &err));
	free(text);
	assert_int_equal(c.transport, MEMBERSHIP_TRANSPORT_KNET); /* corosync 3's default */
	assert_int_equal(c.link_mode, MEMBERSHIP_LINK_ACTIVE);
	assert_int_equal(c.n_links, 2);
	assert_true(c.links[1].configured);
	assert_int_equal(c.links[1].priority, 5);
	assert_int_equal(c.links[1].port, 5500);
	assert_int_equal(c.links[0].port, 5405);
	assert_string_equal(c.nodes[1].addr[1], "127.0.1.2");
	assert_int_equal(c.links[0].ping_interval, 750); /* token / (pong_count * 2) */
	assert_int_equal(c.links[0].ping_timeout, 1500); /* token / pong_count */
	assert_int_equal(c.nodes[1].votes, 2);
	assert_true(c.auto_tie_breaker);
	assert_int_equal(c.atb_mode, MEMBERSHIP_ATB_LIST);
	assert_int_equal(c.n_atb_list, 2);
	assert_int_equal(c.atb_list[0], 2);
	membership_conf_free(&c);

	/* udp: a derived multicast group, or broadcast */
	assert_true(parse("totem {\n transport: udp\n}\n", &c, &err));
	assert_int_equal(c.transport, MEMBERSHIP_TRANSPORT_UDP);
	assert_non_null(c.links[0].mcastaddr);
	assert_int_equal(strncmp(c.links[0].mcastaddr, "239.192.", 8), 0);
	membership_conf_free(&c);
	assert_true(
	    parse("totem {\n transport: udp\n interface {\n  broadcast: yes\n }\n}\n", &c, &err));
	assert_true(c.links[0].broadcast);
	membership_conf_free(&c);
	assert_true(parse("totem {\n transport: udp\n interface {\n  mcastaddr: 239.1.2.3\n"
			  " }\n}\nquorum {\n last_man_standing: 1\n"
			  " last_man_standing_window: 20000\n}\n",
	    &c, &err));
	assert_string_equal(c.links[0].mcastaddr, "239.1.2.3");
	assert_true(c.last_man_standing);
	assert_int_equal(c.lms_window, 20000);
	membership_conf_free(&c);

	/* the quorum device: corosync-qdevice's keys and defaults */
	assert_true(parse("quorum {\n device {\n  model: net\n  net {\n   host: arbiter.example\n"
			  "  }\n }\n}\ntotem {\n cluster_name: web\n}\n",
	    &c, &err));
	assert_true(c.device);
	assert_string_equal(c.device_host, "arbiter.example");
	assert_int_equal(c.device_votes, 1);
	assert_int_equal(c.device_timeout, 10000);
	assert_int_equal(c.device_sync_timeout, 30000);
	assert_int_equal(c.device_connect_timeout, 8000); /* 0.8 x timeout */
	assert_int_equal(c.device_port, 5403);
	assert_int_equal(c.device_algorithm, 0);
	assert_int_equal(c.device_tb_mode, 0);
	assert_true(c.device_keep_active); /* on, as corosync-qdevice 3.0.3 */
	assert_int_equal(c.device_tls, 1); /* on: TLS when the node has its certificate */
	assert_non_null(strstr(c.device_nssdb, "qdevice/net/nssdb"));
	membership_conf_free(&c);
	assert_true(
	    parse("quorum {\n device {\n  model: net\n  timeout: 4000\n  net {\n   host: q\n"
		  "   port: 5500\n   algorithm: lms\n   tie_breaker: 3\n   tls: off\n"
		  "   keep_active_partition_tie_breaker: off\n  }\n }\n}\n"
		  "totem {\n cluster_name: web\n}\n",
		&c, &err));
	assert_int_equal(c.device_votes, 2); /* lms: the nodes' votes - 1 */
	assert_int_equal(c.device_timeout, 4000);
	assert_int_equal(c.device_port, 5500);
	assert_int_equal(c.device_algorithm, 1);
	assert_int_equal(c.device_tb_mode, 2);
	assert_int_equal(c.device_tb_node, 3);
	assert_false(c.device_keep_active);
	assert_int_equal(c.device_tls, 0);
	membership_conf_free(&c);

	/* refused, with the place */
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "totem {\n transport: udp\n interface {\n  mcastaddr: 10.0.0.1\n }\n}\n",
		    "paceline.conf:4: mcastaddr: '10.0.0.1' is not a multicast" },
		{ "totem {\n interface {\n  mcastaddr: 239.1.1.1\n }\n}\n",
		    "paceline.conf:3: mcastaddr: only with transport: udp" },
		{ "totem {\n transport: udp\n interface {\n  broadcast: yes\n"
		  "  mcastaddr: 239.1.1.1\n }\n}\n",
		    "paceline.conf:5: mcastaddr: not with broadcast" },
		{ "totem {\n link_mode: fast\n}\n", "paceline.conf:2" },
		{ "totem {\n interface {\n  linknumber: 1\n }\n}\n",
		    "paceline.conf:3: interface: link 1 has no ring1_addr" },
		{ "totem {\n interface {\n  linknumber: 9\n }\n}\n", "paceline.conf:3" },
		{ "totem {\n interface {\n  knet_transport: sctp\n }\n}\n",
		    "paceline.conf:3: knet_transport: sctp is not supported" },
		{ "totem {\n interface {\n  linknumber: 0\n }\n interface {\n"
		  "  linknumber: 0\n }\n}\n",
		    "paceline.conf:6: interface: link 0 is configured twice" },
		{ "quorum {\n device {\n  model: net\n }\n}\n",
		    "paceline.conf:2: quorum.device: model net needs a net { host: ... } section" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n  }\n }\n}\n",
		    "paceline.conf:2: quorum.device: model net needs totem.cluster_name" },
		{ "quorum {\n device {\n  votes: 1\n }\n}\n",
		    "paceline.conf:2: quorum.device: model is required" },
		{ "quorum {\n device {\n  model: disk\n }\n}\n",
		    "paceline.conf:3: quorum.device.model: 'disk' is not supported" },
		{ "quorum {\n device {\n  model: net\n  net {\n   algorithm: lms\n  }\n }\n}\n",
		    "paceline.conf:4: quorum.device.net: host is required" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n   algorithm: 2nodelms\n"
		  "  }\n }\n}\n",
		    "paceline.conf:6: algorithm: '2nodelms' is not ffsplit or lms" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n   tie_breaker: 9\n"
		  "  }\n }\n}\n",
		    "paceline.conf:6: tie_breaker: node 9 is not in the nodelist" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n   tie_breaker: any\n"
		  "  }\n }\n}\n",
		    "paceline.conf:6: tie_breaker: 'any' is not lowest, highest or a node id" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n   tls: maybe\n"
		  "  }\n }\n}\n",
		    "paceline.conf:6: tls: 'maybe' is not on, off or required" },
		{ "quorum {\n device {\n  model: net\n  votes: 2\n  net {\n   host: q\n  }\n "
		  "}\n}\n",
		    "paceline.conf:4: votes: the ffsplit algorithm needs exactly 1 device vote" },
		{ "quorum {\n device {\n  model: net\n  timeout: 10\n  net {\n   host: q\n  }\n "
		  "}\n}\n",
		    "paceline.conf:4" },
		{ "quorum {\n two_node: 1\n device {\n  model: net\n  net {\n   host: q\n  }\n "
		  "}\n}\n"
		  "totem {\n cluster_name: web\n}\n",
		    "paceline.conf:2: two_node and a quorum device cannot be configured at the "
		    "same time" },
		{ "quorum {\n auto_tie_breaker: 1\n device {\n  model: net\n  net {\n   host: q\n"
		  "  }\n }\n}\ntotem {\n cluster_name: web\n}\n",
		    "paceline.conf:2: auto_tie_breaker and a quorum device cannot be configured" },
		{ "quorum {\n auto_tie_breaker: 1\n auto_tie_breaker_node: 1 9\n}\n",
		    "paceline.conf:3: auto_tie_breaker_node: node 9 is not in the nodelist" },
		{ "quorum {\n auto_tie_breaker_node: first\n}\n",
		    "paceline.conf:2: auto_tie_breaker_node: 'first'" },
		{ "quorum {\n last_man_standing_window: soon\n}\n", "paceline.conf:2" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n  }\n  heuristics {\n"
		  "   mode: always\n  }\n }\n}\n",
		    "paceline.conf:8: heuristics mode: 'always' is not on, sync or off" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n  }\n  heuristics {\n"
		  "   exec_ping: ping -c 1 gw\n  }\n }\n}\n",
		    "paceline.conf:8: exec_ping: 'ping' is not an absolute path" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n  }\n  heuristics {\n"
		  "   exec_x: /bin/test \"unclosed\n  }\n }\n}\n",
		    "paceline.conf:8: exec_x: cannot split" },
		{ "quorum {\n device {\n  model: net\n  net {\n   host: q\n  }\n  heuristics {\n"
		  "   timeout: 100\n  }\n }\n}\n",
		    "paceline.conf:8" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pl_error_clear(&err);
		assert_false(parse(bad[i].text, &c, &err));
		if (!strstr(err.text, bad[i].want))
			fail_msg("case %zu: got '%s', wanted '%s'", i, err.text, bad[i].want);
		membership_conf_free(&c);
	}
	/* a node without the links of the first */
	pl_error_clear(&err);
	assert_false(membership_conf_parse_string(
	    "nodelist {\n node {\n  ring0_addr: 127.0.0.1\n  ring1_addr: 127.0.1.1\n"
	    "  nodeid: 1\n }\n node {\n  ring0_addr: 127.0.0.2\n  nodeid: 2\n }\n}\n",
	    "p.conf", &c, &err));
	assert_non_null(strstr(err.text, "p.conf:7: node 2 has no ring1_addr"));
	membership_conf_free(&c);
	/* LMS needs one vote per node */
	pl_error_clear(&err);
	assert_false(membership_conf_parse_string("quorum {\n last_man_standing: 1\n}\n"
						  "nodelist {\n node {\n  ring0_addr: 127.0.0.1\n"
						  "  nodeid: 1\n  quorum_votes: 2\n }\n}\n",
	    "p.conf", &c, &err));
	assert_non_null(strstr(err.text, "p.conf:2: last_man_standing: needs one vote"));
	membership_conf_free(&c);
	pl_error_clear(&err);
}

static void
test_crypto(void **state)
{
	char path[] = "/tmp/test_membership_key.XXXXXX";
	uint8_t key[64], *k = NULL, sealed[256 + MEMBERSHIP_SEAL_OVERHEAD], out[512];
	const uint8_t msg[] = "the token goes round";
	size_t klen;
	struct pl_error err = PL_ERROR_INIT;
	int fd = mkstemp(path);

	(void)state;
	for (unsigned i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, key, sizeof(key)), sizeof(key));
	close(fd);
	chmod(path, 0440);
	assert_false(membership_key_load(path, &k, &klen, &err));
	assert_non_null(strstr(err.text, "mode 0440"));
	assert_non_null(strstr(err.text, "0400"));
	chmod(path, 0400);
	assert_true(membership_key_load(path, &k, &klen, &err));
	assert_int_equal(klen, sizeof(key));
	unlink(path);

	for (int cipher = MEMBERSHIP_CIPHER_NONE; cipher <= MEMBERSHIP_CIPHER_AES256; cipher++) {
		struct membership_crypto *c = membership_crypto_new(
		    k, klen, (enum membership_cipher)cipher, MEMBERSHIP_HASH_SHA256, &err);
		size_t n;
		assert_non_null(c);
		n = membership_crypto_seal(c, msg, sizeof(msg), sealed);
		assert_true(n > sizeof(msg));
		assert_int_equal(membership_crypto_open(c, sealed, n, out), sizeof(msg));
		assert_memory_equal(out, msg, sizeof(msg));
		if (cipher != MEMBERSHIP_CIPHER_NONE)
			assert_null(memmem(sealed, n, "token", 5)); /* really encrypted */
		for (size_t i = 0; i < n; i++) {		    /* any flipped bit is refused */
			sealed[i] ^= 0x10;
			assert_int_equal(membership_crypto_open(c, sealed, n, out), -1);
			sealed[i] ^= 0x10;
		}
		assert_int_equal(membership_crypto_open(c, sealed, n - 1, out), -1);
		membership_crypto_free(c);
	}
	/* another key does not open it */
	{
		struct membership_crypto *a = membership_crypto_new(
		    k, klen, MEMBERSHIP_CIPHER_NONE, MEMBERSHIP_HASH_SHA256, &err);
		struct membership_crypto *b;
		size_t n = membership_crypto_seal(a, msg, sizeof(msg), sealed);
		k[0] ^= 1;
		b = membership_crypto_new(
		    k, klen, MEMBERSHIP_CIPHER_NONE, MEMBERSHIP_HASH_SHA256, &err);
		assert_int_equal(membership_crypto_open(b, sealed, n, out), -1);
		membership_crypto_free(a);
		membership_crypto_free(b);
	}
	free(k);
}

/* Groups: two nodes' group layers fed the same ordered stream agree on members. */
struct gnode {
	struct membership_groups *g;
	uint8_t *queue[64];
	size_t qlen[64];
	unsigned nq;
	unsigned changes, delivered;
	struct membership_member last[16];
	unsigned nlast;
};

static int refuse_sends;

static int
g_send(void *arg, const uint8_t *p, size_t len)
{
	struct gnode *n = arg;

	if (refuse_sends > 0) {
		refuse_sends--;
		return -1;
	}
	n->queue[n->nq] = malloc(len);
	memcpy(n->queue[n->nq], p, len);
	n->qlen[n->nq++] = len;
	return 0;
}

static void
g_deliver(void *arg, const char *group, uint32_t nodeid, uint32_t pid, const uint8_t *data, size_t len)
{
	struct gnode *n = arg;

	(void)group;
	(void)nodeid;
	(void)pid;
	(void)data;
	(void)len;
	n->delivered++;
}

static void
g_change(void *arg, const char *group, const struct membership_member *m, unsigned cnt,
    const struct membership_member *j, unsigned nj, const struct membership_member *l, unsigned nl)
{
	struct gnode *n = arg;

	(void)group;
	(void)j;
	(void)nj;
	(void)l;
	(void)nl;
	n->changes++;
	n->nlast = cnt;
	memcpy(n->last, m, cnt * sizeof(*m));
}

/* the ring: every queued payload of both nodes delivered to both, node 1's first */
static void
g_flush(struct gnode *a, struct gnode *b, uint32_t ida, uint32_t idb)
{
	struct gnode *src[2] = { a, b };
	uint32_t ids[2] = { ida, idb };

	for (int s = 0; s < 2; s++) {
		for (unsigned i = 0; i < src[s]->nq; i++) {
			membership_groups_deliver(a->g, ids[s], src[s]->queue[i], src[s]->qlen[i]);
			membership_groups_deliver(b->g, ids[s], src[s]->queue[i], src[s]->qlen[i]);
			free(src[s]->queue[i]);
		}
		src[s]->nq = 0;
	}
}

static void
test_groups(void **state)
{
	static const struct membership_groups_ops ops = { g_send, g_deliver, g_change };
	struct gnode a = { 0 }, b = { 0 };
	uint32_t both[2] = { 1, 2 }, one[1] = { 1 };
	struct membership_member m[8];

	(void)state;
	a.g = membership_groups_new(1, &ops, &a);
	b.g = membership_groups_new(2, &ops, &b);
	/* a ring with no group member at all: an empty announce ends the synchronisation */
	membership_groups_confchg(a.g, one, 1);
	g_flush(&a, &b, 1, 2);
	assert_int_equal(membership_groups_members(a.g, "cib", m, 8), 0);
	membership_groups_join(a.g, "cib", 100);
	membership_groups_join(b.g, "cib", 200);
	membership_groups_send(b.g, "cib", 200, (const uint8_t *)"x", 1);
	g_flush(&a, &b, 1, 2);
	assert_int_equal(membership_groups_members(a.g, "cib", m, 8), 2);
	assert_int_equal(m[1].nodeid, 2);
	assert_int_equal(m[1].pid, 200);
	assert_int_equal(a.delivered, 1);
	assert_int_equal(b.delivered, 1);
	assert_int_equal(a.nlast, 2);
	/* node 2 goes away: node 1 removes its member once its own announce is delivered */
	a.changes = 0;
	membership_groups_confchg(a.g, one, 1);
	assert_int_equal(a.changes, 0); /* nothing reported mid-synchronisation */
	for (unsigned i = 0; i < a.nq; i++) {
		membership_groups_deliver(a.g, 1, a.queue[i], a.qlen[i]);
		free(a.queue[i]);
	}
	a.nq = 0;
	assert_int_equal(membership_groups_members(a.g, "cib", m, 8), 1);
	assert_int_equal(a.changes, 1);
	assert_int_equal(a.nlast, 1);
	/* it comes back (its state intact): announces restore both views */
	membership_groups_confchg(b.g, both, 2);
	membership_groups_confchg(a.g, both, 2);
	g_flush(&a, &b, 1, 2);
	assert_int_equal(membership_groups_members(a.g, "cib", m, 8), 2);
	assert_int_equal(membership_groups_members(b.g, "cib", m, 8), 2);
	assert_int_equal(a.nlast, 2); /* both report the same list */
	assert_int_equal(b.nlast, 2);
	/* the announce meets a full queue: it is retried before the next send, and the
	 * synchronisation completes */
	refuse_sends = 1;
	membership_groups_confchg(a.g, one, 1);
	assert_int_equal(a.nq, 0);
	assert_int_equal(membership_groups_send(a.g, "cib", 100, (const uint8_t *)"y", 1), 0);
	assert_int_equal(a.nq, 2); /* the announce, then the message */
	for (unsigned i = 0; i < a.nq; i++) {
		membership_groups_deliver(a.g, 1, a.queue[i], a.qlen[i]);
		free(a.queue[i]);
	}
	a.nq = 0;
	assert_int_equal(a.nlast, 1); /* node 2's member reported gone */
	/* malformed payloads are counted, not trusted */
	membership_groups_deliver(a.g, 2, (const uint8_t *)"\x01\x03\x00\xff\0\0\0\1", 8);
	membership_groups_deliver(a.g, 2, (const uint8_t *)"\x02", 1);
	assert_int_equal(membership_groups_malformed(a.g), 2);
	membership_groups_free(a.g);
	membership_groups_free(b.g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_defaults),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_links_quorum),
		cmocka_unit_test(test_heuristics),
		cmocka_unit_test(test_crypto),
		cmocka_unit_test(test_groups),
	};

	log_init("test");
	log_set_level(PL_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
