/*
 * net.c - the sockets of paceline-membership, one set per link: a UDP socket bound to this
 * node's ringN_addr (sends, and receives unicast), and with transport udp a second one bound
 * to the link's multicast group or broadcast address (receives group sends). Every datagram
 * is sealed (crypto.h) on the way out and opened on the way in; the links layer (links.h)
 * chooses the link of each packet and answers link probes, the rest goes to the ring.
 */
#include <errno.h>
#include <glib-unix.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/mtime.h"
#include "membership.h"

#define D membership_daemon

/* The packet the ring is sending now, sealed once for every link and node it goes to. */
static const uint8_t *sending;
static uint8_t sealed_now[TOTEM_MAX_PACKET + MEMBERSHIP_SEAL_OVERHEAD];
static size_t sealed_now_len;

static void
xmit(void *arg, unsigned link, uint32_t to, const uint8_t *pkt, size_t len)
{
	uint8_t buf[TOTEM_MAX_PACKET + MEMBERSHIP_SEAL_OVERHEAD];
	const uint8_t *out = buf;
	size_t olen;
	const struct sockaddr *sa;
	socklen_t salen;

	(void)arg;
	if (link >= MEMBERSHIP_MAX_LINKS || D.fd[link] < 0)
		return;
	if (pkt == sending) {
		out = sealed_now;
		olen = sealed_now_len;
	} else if ((olen = membership_crypto_seal(D.crypto, pkt, len, buf)) == 0) {
		log_warnx("cannot seal a packet (NSS)");
		return;
	}
	if (to == 0) {
		sa = (const struct sockaddr *)&D.group_sa[link];
		salen = D.group_salen[link];
	} else {
		const struct membership_node *n = membership_conf_node(&D.conf, to);
		if (!n || !n->addr[link])
			return;
		sa = (const struct sockaddr *)&n->sa[link];
		salen = n->salen[link];
	}
	if (sendto(D.fd[link], out, olen, MSG_DONTWAIT, sa, salen) < 0 && errno != EAGAIN &&
	    errno != ECONNREFUSED)
		log_trace("net", "link %u: sendto node %u: %s", link, to, strerror(errno));
}

void
membership_net_send(void *arg, uint32_t to, const uint8_t *pkt, size_t len)
{
	(void)arg;
	sealed_now_len = membership_crypto_seal(D.crypto, pkt, len, sealed_now);
	if (sealed_now_len == 0) {
		log_warnx("cannot seal a packet (NSS)");
		return;
	}
	sending = pkt;
	membership_links_send(D.links, to, pkt, len);
	sending = NULL;
}

static void
link_change(void *arg, uint32_t nodeid, unsigned link, bool up)
{
	(void)arg;
	log_notice("link %u to node %u is %s", link, nodeid, up ? "up" : "down");
}

static gboolean
on_socket(gint fd, GIOCondition cond, gpointer data)
{
	uint8_t buf[TOTEM_MAX_PACKET + MEMBERSHIP_SEAL_OVERHEAD], plain[sizeof(buf)];
	unsigned link = GPOINTER_TO_UINT(data);

	(void)cond;
	for (int i = 0; i < 256; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		uint64_t now;
		long pl;
		if (n < 0)
			break;
		pl = membership_crypto_open(D.crypto, buf, (size_t)n, plain);
		if (pl < 0) {
			D.auth_drops++;
			totem_count_drop(D.totem, TOTEM_DROP_AUTH);
			continue;
		}
		/* our own group sends come back (broadcast): not for us */
		if (pl >= 8 &&
		    ((uint32_t)plain[4] << 24 | (uint32_t)plain[5] << 16 | (uint32_t)plain[6] << 8 |
			plain[7]) == D.nodeid)
			continue;
		now = pl_mono_ms();
		if (!membership_links_recv(D.links, link, plain, (size_t)pl, now))
			totem_recv(D.totem, plain, (size_t)pl, now);
	}
	membership_reschedule();
	return G_SOURCE_CONTINUE;
}

static int
udp_socket(int family, struct pl_error *err)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;
	int sz = 4 << 20;

	if (fd < 0) {
		pl_error_set(err, PL_EXIT_OSERR, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return fd;
}

/* The interface (index, IPv4 broadcast address) that holds a local address. */
static bool
local_iface(const struct sockaddr_storage *sa, unsigned *ifindex, struct sockaddr_in *bcast)
{
	struct ifaddrs *ifa = NULL;
	bool found = false;

	if (getifaddrs(&ifa) != 0)
		return false;
	for (struct ifaddrs *i = ifa; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != sa->ss_family)
			continue;
		if (sa->ss_family == AF_INET
			? ((const struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr !=
			    ((const struct sockaddr_in *)sa)->sin_addr.s_addr
			: memcmp(&((const struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
			      &((const struct sockaddr_in6 *)sa)->sin6_addr, 16) != 0)
			continue;
		found = true;
		*ifindex = if_nametoindex(i->ifa_name);
		memset(bcast, 0, sizeof(*bcast));
		if (sa->ss_family == AF_INET && (i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr)
			memcpy(bcast, i->ifa_broadaddr, sizeof(*bcast));
	}
	freeifaddrs(ifa);
	return found;
}

/* transport udp: where group sends go, and the socket that receives them. */
static bool
open_group(unsigned l, struct pl_error *err)
{
	const struct membership_link *lk = &D.conf.links[l];
	const struct sockaddr_storage *self = &D.self->sa[l];
	struct sockaddr_in bcast;
	unsigned ifindex = 0;
	int fd, one = 1, ttl = lk->ttl, zero = 0;

	if (!local_iface(self, &ifindex, &bcast)) {
		pl_error_set(err, PL_EXIT_OSERR, "link %u: %s is not an address of this host", l,
		    D.self->addr[l]);
		return false;
	}
	if (lk->broadcast) {
		if (self->ss_family != AF_INET || bcast.sin_family != AF_INET ||
		    bcast.sin_addr.s_addr == htonl(INADDR_ANY) ||
		    bcast.sin_addr.s_addr == ((const struct sockaddr_in *)self)->sin_addr.s_addr) {
			pl_error_set(err, PL_EXIT_CONFIG,
			    "link %u: broadcast: the interface of %s has no IPv4 broadcast address "
			    "(ip addr ... brd +)",
			    l, D.self->addr[l]);
			return false;
		}
		bcast.sin_port = htons(lk->port);
		memcpy(&D.group_sa[l], &bcast, sizeof(bcast));
		D.group_salen[l] = sizeof(bcast);
		setsockopt(D.fd[l], SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	} else {
		D.group_sa[l] = lk->mcast_sa;
		D.group_salen[l] = lk->mcast_salen;
		if (self->ss_family == AF_INET) {
			struct in_addr ia = ((const struct sockaddr_in *)self)->sin_addr;
			setsockopt(D.fd[l], IPPROTO_IP, IP_MULTICAST_IF, &ia, sizeof(ia));
			setsockopt(D.fd[l], IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
			setsockopt(D.fd[l], IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero));
		} else {
			setsockopt(
			    D.fd[l], IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex));
			setsockopt(D.fd[l], IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl));
			setsockopt(D.fd[l], IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero));
		}
	}
	getnameinfo((const struct sockaddr *)&D.group_sa[l], D.group_salen[l], D.group_addr[l],
	    sizeof(D.group_addr[l]), NULL, 0, NI_NUMERICHOST);
	if ((fd = udp_socket(self->ss_family, err)) < 0)
		return false;
	D.gfd[l] = fd;
	if (bind(fd, (const struct sockaddr *)&D.group_sa[l], D.group_salen[l]) < 0) {
		pl_error_set(err, PL_EXIT_OSERR, "link %u: cannot bind %s port %u: %s", l,
		    D.group_addr[l], lk->port, strerror(errno));
		return false;
	}
	if (!lk->broadcast) {
		int rc;
		if (self->ss_family == AF_INET) {
			struct ip_mreqn mr = {
				.imr_multiaddr = ((const struct sockaddr_in *)&lk->mcast_sa)->sin_addr,
				.imr_address = ((const struct sockaddr_in *)self)->sin_addr,
				.imr_ifindex = (int)ifindex
			};
			rc = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
		} else {
			struct ipv6_mreq mr = {
				.ipv6mr_multiaddr =
				    ((const struct sockaddr_in6 *)&lk->mcast_sa)->sin6_addr,
				.ipv6mr_interface = ifindex
			};
			rc = setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr));
		}
		if (rc < 0) {
			pl_error_set(err, PL_EXIT_OSERR, "link %u: cannot join group %s: %s", l,
			    D.group_addr[l], strerror(errno));
			return false;
		}
	}
	g_unix_fd_add(fd, G_IO_IN, on_socket, GUINT_TO_POINTER(l));
	return true;
}

bool
membership_net_open(struct pl_error *err)
{
	static const struct membership_links_ops lops = { .xmit = xmit, .change = link_change };
	struct membership_links_params lp;
	uint32_t ids[TOTEM_MAX_NODES];

	memset(&lp, 0, sizeof(lp));
	lp.cluster = D.conf.cluster_id;
	lp.mode = (enum membership_links_mode)D.conf.link_mode;
	lp.group_send = D.conf.transport == MEMBERSHIP_TRANSPORT_UDP;
	lp.n_links = D.conf.n_links;
	for (unsigned l = 0; l < MEMBERSHIP_MAX_LINKS; l++)
		D.fd[l] = D.gfd[l] = -1;
	for (unsigned l = 0; l < D.conf.n_links; l++) {
		const struct membership_link *lk = &D.conf.links[l];
		int fd;
		if (!lk->configured)
			continue;
		lp.configured[l] = true;
		lp.priority[l] = lk->priority;
		lp.ping_interval_ms[l] = lk->ping_interval;
		lp.ping_timeout_ms[l] = lk->ping_timeout;
		lp.pong_count[l] = lk->pong_count;
		if ((fd = udp_socket(D.self->sa[l].ss_family, err)) < 0)
			return false;
		D.fd[l] = fd;
		if (bind(fd, (const struct sockaddr *)&D.self->sa[l], D.self->salen[l]) < 0) {
			pl_error_set(err, PL_EXIT_OSERR,
			    "link %u: cannot bind %s port %u (node %u): %s", l, D.self->addr[l],
			    lk->port, D.nodeid, strerror(errno));
			return false;
		}
		g_unix_fd_add(fd, G_IO_IN, on_socket, GUINT_TO_POINTER(l));
		if (lp.group_send && !open_group(l, err))
			return false;
	}
	for (unsigned i = 0; i < D.conf.n_nodes; i++)
		ids[i] = D.conf.nodes[i].nodeid;
	D.links = membership_links_new(D.nodeid, ids, D.conf.n_nodes, &lp, &lops, NULL);
	return true;
}

void
membership_net_close(void)
{
	for (unsigned l = 0; l < MEMBERSHIP_MAX_LINKS; l++) {
		if (D.fd[l] >= 0)
			close(D.fd[l]);
		if (D.gfd[l] >= 0)
			close(D.gfd[l]);
		D.fd[l] = D.gfd[l] = -1;
	}
	membership_links_free(D.links);
	D.links = NULL;
}
