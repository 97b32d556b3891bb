/*
 * mship.h - the state of the paceline-membership daemon, shared by its files:
 * mship_main.c (start-up, sockets, timers, the ring's callbacks) and mship_ipc.c (the local
 * client API over lib/ipc).
 */
#ifndef PACELINE_MSHIP_H
#define PACELINE_MSHIP_H

#include <glib.h>
#include <stdint.h>

#include "paceline/ipc.h"
#include "mship_conf.h"
#include "mship_crypto.h"
#include "mship_groups.h"
#include "mship_quorum.h"
#include "totem_srp.h"

#define MSHIP_SUB_QUORUM 1u	/* IPC subscription bit: quorum events */

struct mshipd {
	struct mship_conf conf;
	const struct mship_node *self;
	uint32_t nodeid;
	char *state_dir;
	struct totem *totem;
	struct mship_crypto *crypto;
	int fd;
	guint timer;
	uint64_t timer_at;
	struct pl_ipc_server *ipc;
	struct mship_groups *groups;
	struct mship_quorum quorum;
	struct totem_ring_id ring;
	uint32_t members[TOTEM_MAX_NODES];
	unsigned n_members;
	uint64_t auth_drops;
};

extern struct mshipd mshipd;

void mship_reschedule(void);
/* mship_ipc.c */
bool mship_ipc_start(struct pl_error *err);
void mship_ipc_stop(void);
void mship_ipc_quorum_event(void);
void mship_ipc_deliver(const char *group, uint32_t nodeid, uint32_t pid, const uint8_t *data,
		       size_t len);
void mship_ipc_group_change(const char *group, const struct mship_member *members, unsigned n,
			    const struct mship_member *joined, unsigned nj,
			    const struct mship_member *left, unsigned nl);

#endif
