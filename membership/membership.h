/*
 * membership.h - the state of the paceline-membership daemon, shared by its files:
 * main.c (start-up, sockets, timers, the ring's callbacks) and ipc.c (the local
 * client API over lib/ipc).
 */
#ifndef PACELINE_MEMBERSHIP_H
#define PACELINE_MEMBERSHIP_H

#include <glib.h>
#include <stdint.h>

#include "paceline/ipc.h"
#include "conf.h"
#include "crypto.h"
#include "groups.h"
#include "links.h"
#include "qdevice.h"
#include "quorum.h"
#include "totem_srp.h"

#define MEMBERSHIP_SUB_QUORUM 1u /* IPC subscription bit: quorum events */

struct membership_daemon {
	struct membership_conf conf;
	const struct membership_node *self;
	uint32_t nodeid;
	char *state_dir;
	struct totem *totem;
	struct membership_crypto *crypto;
	struct membership_links *links;
	int fd[MEMBERSHIP_MAX_LINKS];  /* per link: bound to ringN_addr, sends and unicast */
	int gfd[MEMBERSHIP_MAX_LINKS]; /* per link, transport udp: the multicast/broadcast group */
	struct sockaddr_storage group_sa[MEMBERSHIP_MAX_LINKS]; /* where group sends go */
	socklen_t group_salen[MEMBERSHIP_MAX_LINKS];
	char group_addr[MEMBERSHIP_MAX_LINKS][64];
	guint timer;
	uint64_t timer_at;
	struct pl_ipc_server *ipc;
	struct membership_groups *groups;
	struct membership_quorum quorum;
	struct totem_ring_id ring;
	uint32_t members[TOTEM_MAX_NODES];
	unsigned n_members;
	uint64_t auth_drops;
	struct membership_qdevice qdevice;	/* quorum.device: the vote this node may count */
	uint16_t qdevice_flags;			/* MEMBERSHIP_QCTL_F_QDEVICE_* as last sent */
	uint16_t node_qdevice[TOTEM_MAX_NODES]; /* per nodelist entry, from their NODEINFO */
};

extern struct membership_daemon membership_daemon;

void membership_reschedule(void);
/* net.c: the sockets of every link, sealing and opening of datagrams */
bool membership_net_open(struct pl_error *err);
void membership_net_close(void);
void membership_net_send(void *arg, uint32_t to, const uint8_t *pkt, size_t len);
/* main.c: a quorum control message in ring order (QCTL_*), sent through the ring */
#define MEMBERSHIP_QCTL_MAGIC	 0x51 /* first payload byte: not a groups.c version */
#define MEMBERSHIP_QCTL_EXPECTED 1
#define MEMBERSHIP_QCTL_LEAVE	 2
#define MEMBERSHIP_QCTL_NODEINFO 3 /* my expected votes, after each configuration change */
int membership_qctl_send(uint8_t kind, uint16_t flags, uint32_t value);
#define MEMBERSHIP_QCTL_F_QUORATE	1  /* NODEINFO: the sender was quorate */
#define MEMBERSHIP_QCTL_F_QDEVICE	2  /* ... has a quorum device configured */
#define MEMBERSHIP_QCTL_F_QDEVICE_ALIVE 4  /* ... connected to the arbiter */
#define MEMBERSHIP_QCTL_F_QDEVICE_VOTE	8  /* ... counting the device's votes */
#define MEMBERSHIP_QCTL_F_QDEVICE_MW	16 /* ... with master_wins */
/* main.c: report a quorum change (log line, and the clients' event unless one is held);
 * send this node's NODEINFO (expected votes, flags) through the ring now */
void membership_quorum_changed(const char *why);
void membership_send_nodeinfo(void);
/* qdevice_net.c: the connection to the quorum device's arbiter */
/* The quorum device's TLS database (qnetd/tls.h), before the ring's crypto touches NSS. */
void membership_qdevice_net_tls_open(void);
/* corosync-qdevice-tool -s's text (verbose: -v's) */
void membership_qdevice_net_status(GString *out, bool verbose);
/* Last, after the ring's crypto let go of NSS. */
void membership_qdevice_net_tls_close(void);
void membership_qdevice_net_start(const uint8_t *key, size_t keylen);
void membership_qdevice_net_stop(void);
void membership_qdevice_net_ring(void);	   /* after membership_daemon.ring/members changed */
bool membership_qdevice_net_pending(void); /* a change's quorum event waits for the arbiter */
const char *membership_qdevice_net_state(void);
/* ipc.c */
bool membership_ipc_start(struct pl_error *err);
void membership_ipc_stop(void);
void membership_ipc_quorum_event(void);
void membership_ipc_deliver(
    const char *group, uint32_t nodeid, uint32_t pid, const uint8_t *data, size_t len);
void membership_ipc_group_change(const char *group, const struct membership_member *members,
    unsigned n, const struct membership_member *joined, unsigned nj,
    const struct membership_member *left, unsigned nl);

#endif
