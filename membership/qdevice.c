/*
 * qdevice.c - the vote this node may count from the quorum device (see qdevice.h).
 */
#include <string.h>

#include "qdevice.h"

void
membership_qdevice_init(struct membership_qdevice *d, uint32_t timeout_ms)
{
	memset(d, 0, sizeof(*d));
	d->timeout_ms = timeout_ms;
}

void
membership_qdevice_connected(struct membership_qdevice *d, bool up)
{
	d->connected = up;
	d->vote = MEMBERSHIP_QDEVICE_WAIT;
	d->vote_seq = 0; /* a new connection (maybe a new arbiter) numbers its votes anew */
	d->lease_until = 0;
}

void
membership_qdevice_ring(struct membership_qdevice *d, uint32_t rep, uint64_t seq)
{
	d->ring_rep = rep;
	d->ring_seq = seq;
}

uint32_t
membership_qdevice_stamp(struct membership_qdevice *d, uint64_t now)
{
	d->stamp++;
	d->stamp_at[d->stamp % MEMBERSHIP_QDEVICE_STAMPS] = now;
	return d->stamp;
}

void
membership_qdevice_vote(struct membership_qdevice *d, enum membership_qdevice_vote v, uint32_t seq,
    uint32_t rep, uint64_t ring_seq, uint32_t echo)
{
	uint64_t lease;

	if (!d->connected || seq < d->vote_seq)
		return;
	/* An echo we never sent, or one too old to remember, gives no lease. */
	if (echo == 0 || echo > d->stamp || d->stamp - echo >= MEMBERSHIP_QDEVICE_STAMPS)
		lease = 0;
	else
		lease = d->stamp_at[echo % MEMBERSHIP_QDEVICE_STAMPS] + d->timeout_ms;
	if (seq != d->vote_seq || v != d->vote || rep != d->vote_rep || ring_seq != d->vote_seq_ring)
		d->lease_until = 0; /* a new decision: its lease starts with this answer */
	d->vote = v;
	d->vote_seq = seq;
	d->vote_rep = rep;
	d->vote_seq_ring = ring_seq;
	if (lease > d->lease_until)
		d->lease_until = lease;
}

bool
membership_qdevice_counts(const struct membership_qdevice *d, uint64_t now)
{
	return d->connected && d->vote == MEMBERSHIP_QDEVICE_ACK && d->vote_rep == d->ring_rep &&
	    d->vote_seq_ring == d->ring_seq && now < d->lease_until;
}

uint64_t
membership_qdevice_deadline(const struct membership_qdevice *d, uint64_t now)
{
	return membership_qdevice_counts(d, now) ? d->lease_until : UINT64_MAX;
}
