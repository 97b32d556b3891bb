/*
 * memb.c - paceline-attrd's side of paceline-membership: the node's identity and the
 * nodelist, the "attrd" group (configuration changes and messages, in agreed order, handed to
 * the core), and sending the peer messages of attrd-peer.def (decoded by peer.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrd.h"
#include "peer.h"
#include "paceline/daemon.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/mtime.h"
#include "paceline/pack.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"

#define GROUP "attrd"

static struct pl_membership *memb;
static struct pl_peer *peers;
static struct pl_membership_status *status; /* the nodelist, refreshed at group changes */
static char self[256];
static uint32_t self_id;

const char *
attrd_self(void)
{
	return self;
}

uint32_t
attrd_self_id(void)
{
	return self_id;
}

static void
refresh_status(void)
{
	struct pl_error err = PL_ERROR_INIT;

	if (!pl_membership_status(memb, status, &err))
		log_warnx("membership status: %s", err.text);
}

uint32_t
attrd_node_id(const char *host)
{
	for (unsigned i = 0; i < status->n_nodes; i++)
		if (strcmp(status->nodes[i].name, host) == 0)
			return status->nodes[i].nodeid;
	return 0;
}

bool
attrd_node_alive(const char *host)
{
	refresh_status();
	for (unsigned i = 0; i < status->n_nodes; i++)
		if (strcmp(status->nodes[i].name, host) == 0)
			return status->nodes[i].member;
	return false;
}

/* ---- messages ---------------------------------------------------------------------------- */

struct update_sent {
	attrd_sent_fn sent;
	void *arg;
};

static void
on_update_sent(struct pl_membership *m, const struct pl_error *err, void *arg)
{
	struct update_sent *us = arg;

	(void)m;
	us->sent(err, us->arg);
	free(us);
}

bool
attrd_memb_send_update(
    const struct attrd_update *u, attrd_sent_fn sent, void *arg, struct pl_error *err)
{
	struct update_sent *us = XNEW(struct update_sent);

	us->sent = sent;
	us->arg = arg;
	if (!pl_membership_queue_peer(memb, GROUP, peers, on_update_sent, us, err,
		PL_PEER_ATTRD_UPDATE, u->host, u->name, u->value ? u->value : "",
		u->set ? u->set : "", u->dampen_ms, u->flags)) {
		free(us);
		return false;
	}
	return true;
}

void
attrd_memb_send_sync(uint64_t hash, bool fresh, const struct attrd_entry *v, size_t n)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;

	attrd_peer_pack_entries(&p, v, n);
	if (!pl_membership_queue_peer(memb, GROUP, peers, NULL, NULL, &err, PL_PEER_ATTRD_SYNC,
		hash, (uint32_t)fresh, (const void *)p.data, p.len))
		log_warnx("cannot send this node's attributes to the group: %s", err.text);
	pl_pack_free(&p);
}

/* ---- the group --------------------------------------------------------------------------- */

static void
on_group_change(struct pl_membership *mb, const char *group,
    const struct pl_membership_member *members, unsigned n, const struct pl_membership_member *joined,
    unsigned nj, const struct pl_membership_member *left, unsigned nl, void *arg)
{
	struct attrd_member *mem = xcalloc(n ? n : 1, sizeof(*mem));
	struct attrd_member *gone = xcalloc(nl ? nl : 1, sizeof(*gone));

	(void)mb, (void)joined, (void)arg;
	if (strcmp(group, GROUP) != 0) {
		free(mem);
		free(gone);
		return;
	}
	for (unsigned i = 0; i < nl; i++) {
		pl_peer_forget(peers, left[i].nodeid, left[i].pid);
		gone[i].nodeid = left[i].nodeid;
		gone[i].host = left[i].name;
	}
	for (unsigned i = 0; i < n; i++) {
		mem[i].nodeid = members[i].nodeid;
		mem[i].host = members[i].name;
	}
	log_info("group: %u member(s), %u joined, %u left", n, nj, nl);
	attrd_core_group_change(attrd_the_core(), mem, n, gone, nl, nj > 0);
	free(mem);
	free(gone);
}

static void
on_deliver(struct pl_membership *mb, const char *group, uint32_t nodeid, uint32_t pid,
    const void *data, size_t len, void *arg)
{
	(void)mb, (void)arg;
	if (strcmp(group, GROUP) == 0)
		pl_peer_receive(peers, nodeid, pid, data, len);
}

/* The ring's members changed (the quorum event carries them): a node that left the ring
 * loses the values its attrd kept when it left the group first (a clean stop). */
static uint32_t ring[PL_MEMBERSHIP_MAX_NODES];
static unsigned n_ring;

static void
on_quorum(struct pl_membership *mb, bool quorate, uint32_t expected, uint32_t total,
    uint32_t quorum, const uint32_t *members, unsigned n, void *arg)
{
	(void)quorate, (void)expected, (void)total, (void)quorum, (void)arg;
	for (unsigned i = 0; i < n_ring; i++) {
		bool still = false;

		for (unsigned k = 0; k < n && !still; k++)
			still = members[k] == ring[i];
		if (!still && ring[i] != self_id) {
			const char *name = pl_membership_node_name(mb, ring[i]);

			if (name != NULL && name[0] != '\0')
				attrd_core_node_lost(attrd_the_core(), name);
		}
	}
	n_ring = n < PL_MEMBERSHIP_MAX_NODES ? n : PL_MEMBERSHIP_MAX_NODES;
	memcpy(ring, members, n_ring * sizeof(*ring));
}

static void
on_memb_gone(struct pl_membership *mb, void *arg)
{
	(void)mb, (void)arg;
	fatalx("lost the connection to paceline-membership");
}

bool
attrd_memb_start(int wait_ms, struct pl_error *err)
{
	static const struct pl_membership_ops ops = {
		.deliver = on_deliver,
		.group_change = on_group_change,
		.quorum = on_quorum,
		.disconnected = on_memb_gone,
	};
	uint64_t deadline = pl_mono_ms() + (uint64_t)wait_ms;

	status = XNEW(struct pl_membership_status);
	for (;;) {
		pl_error_clear(err);
		memb = pl_membership_connect(1000, err);
		if (memb != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (memb == NULL || !pl_membership_status(memb, status, err))
		return false;
	self_id = status->nodeid;
	for (unsigned i = 0; i < status->n_nodes && n_ring < PL_MEMBERSHIP_MAX_NODES; i++)
		if (status->nodes[i].member)
			ring[n_ring++] = status->nodes[i].nodeid;
	snprintf(self, sizeof(self), "%s", pl_membership_node_name(memb, self_id));
	attrd_core_created();
	peers = attrd_peer_new(PL_MEMBERSHIP_PEER_FRAME_MAX, attrd_the_core());
	pl_membership_attach(memb, NULL, &ops, NULL);
	return pl_membership_quorum_subscribe(memb, err) && pl_membership_join(memb, GROUP, err);
}

void
attrd_memb_close(void)
{
	if (memb != NULL)
		pl_membership_disconnect(memb);
	memb = NULL;
	if (peers != NULL)
		pl_peer_free(peers);
	peers = NULL;
	free(status);
	status = NULL;
}
