/*
 * conf.h - paceline.conf for paceline-membership: corosync.conf syntax and, key by key,
 * corosync 3.1.7's meanings and defaults (corosync.conf(5), votequorum(5)):
 *
 *	totem.token 3000, token_coefficient 650 (added per node beyond two when the nodelist has
 *	3+ nodes), token_retransmits_before_loss_const 4, token_retransmit token/(4+0.2),
 *	hold token_retransmit*0.8-10, join 50, consensus 1.2 x effective token, merge 200,
 *	max_messages 17, window_size 50, transport udpu (udp accepted, treated as udpu),
 *	crypto_cipher none|aes128|aes192|aes256, crypto_hash sha256 (sha1/sha384/sha512; "none"
 *	is refused in favour of sha256 with a warning: Paceline always authenticates packets),
 *	interface.mcastport 5405, keyfile (the authkey path unless -k / PL_AUTHKEY say otherwise).
 *	Keys of corosync that have no effect here are accepted with a warning naming them.
 *	nodelist.node { ring0_addr, name, nodeid }.
 *	quorum { provider: votequorum, expected_votes, two_node, wait_for_all }.
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

struct membership_node {
	uint32_t nodeid;
	char *name;
	char *addr;		    /* ring0_addr as written */
	struct sockaddr_storage sa; /* resolved, with the port */
	socklen_t salen;
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
	char *keyfile;	     /* totem.keyfile, NULL if absent */
	uint32_t cluster_id; /* hash of cluster_name, carried by every packet */
	uint32_t token;	     /* as configured */
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
	uint16_t port;
	struct membership_node *nodes;
	unsigned n_nodes;

	bool votequorum;
	uint32_t expected_votes; /* 0: the number of nodes */
	bool two_node;
	bool wait_for_all;
	bool wait_for_all_set;

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

#endif
