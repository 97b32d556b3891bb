/*
 * conf.h - paceline.conf for paceline-membership: corosync.conf syntax and, key by key,
 * corosync 3.1.7's meanings and defaults (corosync.conf(5), votequorum(5)):
 *
 *	totem.token 3000, token_coefficient 650 (added per node beyond two when the nodelist has
 *	3+ nodes), token_retransmits_before_loss_const 4, token_retransmit token/(4+0.2),
 *	hold token_retransmit*0.8-10, join 50, consensus 1.2 x effective token, merge 200,
 *	max_messages 17, window_size 50, transport knet (default) | udpu | udp,
 *	crypto_cipher none|aes128|aes192|aes256, crypto_hash sha256 (sha1/sha384/sha512; "none"
 *	is refused in favour of sha256 with a warning: Paceline always authenticates packets),
 *	keyfile (the authkey path unless -k / PL_AUTHKEY say otherwise).
 *	Links (up to 8): nodelist.node { ring0_addr .. ring7_addr, name, nodeid, quorum_votes };
 *	every node has the same links. totem.link_mode passive (default) | active | rr;
 *	totem.interface { linknumber (ringnumber), mcastport 5405, mcastaddr, broadcast, ttl 1,
 *	knet_link_priority 1, knet_ping_interval token/(pong_count*2), knet_ping_timeout
 *	token/pong_count, knet_pong_count 2, knet_transport udp } per link.
 *	Transports: knet and udpu send unicast to each node on each link; udp sends a message
 *	for every node once, to the link's mcastaddr (default 239.192.x.y from cluster_name)
 *	or, with broadcast: yes, to the broadcast address of the link's subnet.
 *	Keys of corosync that have no effect here are accepted with a warning naming them.
 *	quorum { provider: votequorum, expected_votes, two_node, wait_for_all, last_man_standing,
 *	last_man_standing_window 10000, auto_tie_breaker, auto_tie_breaker_node lowest | highest
 *	| id list, allow_downscale, device { model: net, votes, timeout 10000, sync_timeout
 *	30000, net { host, port 5403, algorithm ffsplit | lms, tie_breaker lowest | highest | node
 *	id, connect_timeout, keep_active_partition_tie_breaker, tls off } } } (TLS is refused: the
 *	device authenticates with the cluster key; two_node and auto_tie_breaker are refused
 *	with a device, as corosync does).
 *	logging { to_syslog, to_logfile, to_stderr, logfile, syslog_facility, debug, timestamp }.
 *
 * Unknown keys warn (file:line); bad values are errors (file:line), and the daemon stops.
 */
#ifndef PACELINE_MEMBERSHIP_CONF_H
#define PACELINE_MEMBERSHIP_CONF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "paceline/error.h"

#define MEMBERSHIP_MAX_LINKS	  8
#define MEMBERSHIP_MAX_HEURISTICS 32 /* exec_ commands (corosync-qdevice's heuristics_max_execs) */

struct membership_node {
	uint32_t nodeid;
	char *name;
	uint32_t votes;			  /* quorum_votes, default 1 */
	char *addr[MEMBERSHIP_MAX_LINKS]; /* ringN_addr as written, NULL: no link N */
	struct sockaddr_storage sa[MEMBERSHIP_MAX_LINKS]; /* resolved, with the link's port */
	socklen_t salen[MEMBERSHIP_MAX_LINKS];
};

enum membership_transport {
	MEMBERSHIP_TRANSPORT_KNET = 0, /* unicast to each node on each link */
	MEMBERSHIP_TRANSPORT_UDPU,     /* the same */
	MEMBERSHIP_TRANSPORT_UDP       /* multicast (or broadcast) once per message */
};

enum membership_link_mode {
	MEMBERSHIP_LINK_PASSIVE = 0,
	MEMBERSHIP_LINK_ACTIVE,
	MEMBERSHIP_LINK_RR
};

struct membership_link {
	bool configured;  /* ringN_addr present (on every node) */
	uint16_t port;	  /* mcastport */
	uint8_t priority; /* knet_link_priority: passive mode uses the highest up link */
	uint8_t ttl;
	bool broadcast;	 /* udp: broadcast instead of multicast */
	char *mcastaddr; /* udp: the group (configured or derived) */
	struct sockaddr_storage mcast_sa;
	socklen_t mcast_salen;
	uint32_t ping_interval; /* ms */
	uint32_t ping_timeout;	/* ms */
	uint32_t pong_count;
};

enum membership_cipher {
	MEMBERSHIP_CIPHER_NONE = 0,
	MEMBERSHIP_CIPHER_AES128,
	MEMBERSHIP_CIPHER_AES192,
	MEMBERSHIP_CIPHER_AES256
};
enum membership_hash {
	MEMBERSHIP_HASH_SHA256 = 0,
	MEMBERSHIP_HASH_SHA1,
	MEMBERSHIP_HASH_SHA384,
	MEMBERSHIP_HASH_SHA512
};

struct membership_conf {
	char *path;
	char *cluster_name;
	bool cluster_name_set; /* given, not the default "paceline" */
	char *keyfile;	       /* totem.keyfile, NULL if absent */
	uint32_t cluster_id;   /* hash of cluster_name, carried by every packet */
	uint32_t token;	       /* as configured */
	uint32_t token_coefficient;
	uint32_t token_effective; /* token + (n-2) x coefficient for n >= 3 */
	uint32_t retransmits_before_loss;
	uint32_t token_retransmit;
	uint32_t hold;
	uint32_t join;
	uint32_t consensus;
	uint32_t merge;
	uint32_t max_messages;
	uint32_t window_size;
	enum membership_cipher cipher;
	enum membership_hash hash;
	uint16_t port; /* link 0's */
	enum membership_transport transport;
	enum membership_link_mode link_mode;
	struct membership_link links[MEMBERSHIP_MAX_LINKS];
	unsigned n_links; /* highest configured link + 1 */
	struct membership_node *nodes;
	unsigned n_nodes;

	bool votequorum;
	uint32_t expected_votes; /* 0: the number of nodes */
	bool two_node;
	bool wait_for_all;
	bool wait_for_all_set;
	bool last_man_standing;
	uint32_t lms_window;
	bool auto_tie_breaker;
	int atb_mode; /* enum membership_atb_mode (quorum.h) */
	unsigned n_atb_list;
	uint32_t atb_list[64];
	bool allow_downscale;

	/* quorum.device (model net): the arbiter paceline-qnetd, see qdevice.h */
	bool device;
	uint32_t device_votes;	      /* default: 1 with ffsplit, the nodes' votes - 1 with lms */
	uint32_t device_timeout;      /* heartbeat timeout, ms (10000) */
	uint32_t device_sync_timeout; /* wait for the arbiter after a change, ms (30000) */
	char *device_host;
	uint16_t device_port; /* 5403 */
	int device_algorithm; /* enum qnetd_algorithm: 0 ffsplit, 1 lms */
	int device_tb_mode;   /* enum qnetd_tb_mode: 0 lowest, 1 highest, 2 node id */
	uint32_t device_tb_node;
	bool device_keep_active;	 /* keep_active_partition_tie_breaker (on) */
	uint32_t device_connect_timeout; /* ms (0.8 x sync_timeout) */
	int device_tls;	    /* enum qnetd_tls_mode: 0 off, 1 on (default), 2 required */
	char *device_nssdb; /* PL_QDEVICE_NSSDB, else <configuration's directory>/qdevice/net/nssdb */
	bool device_master_wins;	   /* quorum.device.master_wins (off) */
	int device_heur_mode;		   /* heuristics: 0 off (default), 1 on, 2 sync */
	uint32_t device_heur_timeout;	   /* ms: timeout / 2 */
	uint32_t device_heur_sync_timeout; /* ms: sync_timeout / 2 */
	uint32_t device_heur_interval;	   /* ms: 3 x timeout (mode on) */
	unsigned device_n_execs;
	char *device_exec_name[MEMBERSHIP_MAX_HEURISTICS]; /* exec_NAME without "exec_" */
	char *device_exec_cmd[MEMBERSHIP_MAX_HEURISTICS];

	bool to_syslog, to_logfile, to_stderr, debug, timestamp;
	char *logfile;
	char *syslog_facility;
};

/* Parse and check; false with err (file:line) on any bad value. Warnings are logged. */
bool membership_conf_load(const char *path, struct membership_conf *c, struct pl_error *err);
bool membership_conf_parse_string(
    const char *text, const char *name, struct membership_conf *c, struct pl_error *err);
void membership_conf_free(struct membership_conf *c);
const struct membership_node *membership_conf_node(const struct membership_conf *c, uint32_t nodeid);
const char *membership_transport_name(enum membership_transport t);
const char *membership_link_mode_name(enum membership_link_mode m);

#endif
