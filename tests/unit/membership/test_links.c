/*
 * test_links.c - the links layer (membership/links.h) alone: link state from probes (up after
 * pong_count pongs, down after ping_timeout without one, late pongs ignored, a probe for a
 * link that is not configured dropped), the link each mode picks, every link when no link is
 * up, and re-sent packets on every link.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "links.h"

struct sent {
	unsigned link;
	uint32_t to;
	uint8_t type;
	uint64_t stamp;
};

static struct sent log_[256];
static unsigned n_log;

static void
xmit(void *arg, unsigned link, uint32_t to, const uint8_t *pkt, size_t len)
{
	(void)arg;
	if (n_log < 256) {
		struct totem_pkt p;
		enum totem_drop why;
		log_[n_log].link = link;
		log_[n_log].to = to;
		log_[n_log].type = pkt[3];
		log_[n_log].stamp = 0;
		if ((pkt[3] == TOTEM_PKT_LINK_PING || pkt[3] == TOTEM_PKT_LINK_PONG) &&
		    totem_decode(pkt, len, 42, &p, &why) == 0)
			log_[n_log].stamp = p.u.probe.stamp;
		n_log++;
	}
}

static const struct membership_links_ops ops = { .xmit = xmit };

static struct membership_links *
two_links(enum membership_links_mode mode, bool group)
{
	struct membership_links_params p;
	const uint32_t nodes[] = { 1, 2, 3 };

	memset(&p, 0, sizeof(p));
	p.cluster = 42;
	p.mode = mode;
	p.group_send = group;
	p.n_links = 2;
	for (unsigned k = 0; k < 2; k++) {
		p.configured[k] = true;
		p.priority[k] = 1;
		p.ping_interval_ms[k] = 100;
		p.ping_timeout_ms[k] = 250;
		p.pong_count[k] = 2;
	}
	n_log = 0;
	return membership_links_new(1, nodes, 3, &p, &ops, NULL);
}

/* A pong from node `from` on link k for a ping stamped `stamp`. */
static bool
pong(struct membership_links *l, uint32_t from, unsigned k, uint64_t stamp, uint64_t now)
{
	struct totem_pkt p = { .type = TOTEM_PKT_LINK_PONG, .sender = from, .cluster = 42 };
	uint8_t buf[TOTEM_MAX_PACKET];
	size_t len;

	p.u.probe.link = (uint8_t)k;
	p.u.probe.stamp = stamp;
	len = totem_encode(&p, buf);
	return membership_links_recv(l, k, buf, len, now);
}

static void
bring_up(struct membership_links *l, uint64_t *now)
{
	for (int i = 0; i < 2; i++) {
		membership_links_tick(l, *now);
		for (uint32_t n = 2; n <= 3; n++)
			for (unsigned k = 0; k < 2; k++)
				pong(l, n, k, *now, *now + 1);
		*now += 100;
	}
}

/* one ring packet (a fake token of a given seq, to one node or to all) */
static void
send_pkt(struct membership_links *l, uint32_t to, uint8_t marker)
{
	uint8_t pkt[80];

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x50;
	pkt[1] = 0x4c;
	pkt[2] = 1;
	pkt[3] = TOTEM_PKT_MCAST;
	pkt[20] = marker;
	n_log = 0;
	membership_links_send(l, to, pkt, sizeof(pkt));
}

static void
test_probe_state(void **state)
{
	struct membership_links *l = two_links(MEMBERSHIP_LINKS_PASSIVE, false);
	uint64_t now = 1000;

	(void)state;
	membership_links_tick(l, now);
	assert_int_equal(n_log, 4); /* a ping per node per link */
	assert_int_equal(log_[0].type, TOTEM_PKT_LINK_PING);
	assert_int_equal(membership_links_deadline(l), now + 100);
	assert_true(pong(l, 2, 0, now, now + 2));
	assert_false(membership_links_up(l, 2, 0)); /* one pong of two */
	assert_true(pong(l, 2, 0, now, now + 3));
	assert_true(membership_links_up(l, 2, 0));
	assert_false(membership_links_up(l, 2, 1));
	/* late pong (older than ping_timeout) does not count */
	assert_true(pong(l, 2, 1, now, now + 300));
	assert_true(pong(l, 2, 1, now, now + 301));
	assert_false(membership_links_up(l, 2, 1));
	/* a pong on a link that is not the one it names: dropped */
	{
		struct totem_pkt p = { .type = TOTEM_PKT_LINK_PONG, .sender = 2, .cluster = 42 };
		uint8_t buf[TOTEM_MAX_PACKET];
		size_t len;
		p.u.probe.link = 0;
		p.u.probe.stamp = now + 300;
		len = totem_encode(&p, buf);
		assert_true(membership_links_recv(l, 1, buf, len, now + 310));
		assert_false(membership_links_up(l, 2, 1));
	}
	/* no pong for ping_timeout: down */
	membership_links_tick(l, now + 3 + 250);
	assert_true(membership_links_up(l, 2, 0));
	membership_links_tick(l, now + 3 + 251);
	assert_false(membership_links_up(l, 2, 0));
	/* a ping is answered on its link with its stamp */
	{
		struct totem_pkt p = { .type = TOTEM_PKT_LINK_PING, .sender = 3, .cluster = 42 };
		uint8_t buf[TOTEM_MAX_PACKET];
		size_t len;
		p.u.probe.link = 1;
		p.u.probe.stamp = 777;
		len = totem_encode(&p, buf);
		n_log = 0;
		assert_true(membership_links_recv(l, 1, buf, len, now));
		assert_int_equal(n_log, 1);
		assert_int_equal(log_[0].type, TOTEM_PKT_LINK_PONG);
		assert_int_equal(log_[0].link, 1);
		assert_int_equal(log_[0].to, 3);
		assert_true(log_[0].stamp == 777);
	}
	membership_links_free(l);
}

static void
test_modes(void **state)
{
	uint64_t now = 1000;
	struct membership_links *l;

	(void)state;
	/* passive: one link (the lowest of equal priority); nothing up yet: both links */
	l = two_links(MEMBERSHIP_LINKS_PASSIVE, false);
	send_pkt(l, 2, 1);
	assert_int_equal(n_log, 2);
	bring_up(l, &now);
	send_pkt(l, 2, 2);
	assert_int_equal(n_log, 1);
	assert_int_equal(log_[0].link, 0);
	assert_int_equal(log_[0].to, 2);
	send_pkt(l, 0, 3); /* every node: once per node */
	assert_int_equal(n_log, 2);
	/* the same packet again to node 2 (a re-sent token): every link */
	send_pkt(l, 2, 4);
	send_pkt(l, 2, 4);
	assert_int_equal(n_log, 2);
	/* a message for every node sent again: every link, every node */
	send_pkt(l, 0, 3);
	assert_int_equal(n_log, 4);
	/* link 0 to node 2 goes down: link 1 */
	membership_links_tick(l, now + 1000);
	assert_false(membership_links_up(l, 2, 0));
	membership_links_free(l);

	/* active: every up link */
	l = two_links(MEMBERSHIP_LINKS_ACTIVE, false);
	now = 1000;
	bring_up(l, &now);
	send_pkt(l, 3, 5);
	assert_int_equal(n_log, 2);
	membership_links_free(l);

	/* rr: the links in turn */
	l = two_links(MEMBERSHIP_LINKS_RR, false);
	now = 1000;
	bring_up(l, &now);
	send_pkt(l, 3, 6);
	assert_int_equal(n_log, 1);
	{
		unsigned first = log_[0].link;
		send_pkt(l, 3, 7);
		assert_int_equal(n_log, 1);
		assert_int_not_equal(log_[0].link, first);
	}
	membership_links_free(l);

	/* group send (transport udp): one packet per link to the group */
	l = two_links(MEMBERSHIP_LINKS_PASSIVE, true);
	now = 1000;
	bring_up(l, &now);
	send_pkt(l, 0, 8);
	assert_int_equal(n_log, 1);
	assert_int_equal(log_[0].to, 0);
	assert_int_equal(log_[0].link, 0);
	send_pkt(l, 2, 9); /* one node: unicast */
	assert_int_equal(n_log, 1);
	assert_int_equal(log_[0].to, 2);
	membership_links_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_state),
		cmocka_unit_test(test_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
