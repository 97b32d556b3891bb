/*
 * conf.c - read paceline.conf for the membership daemon (see conf.h), with the
 * parser of lib/common: this file only knows which keys exist, their ranges and defaults.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "paceline/conf.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "conf.h"
#include "quorum.h"

static const char *const top_keys[] = { "totem", "nodelist", "quorum", "logging", "system",
	"resources", "nozzle", NULL };
static const char *const totem_keys[] = { "version", "cluster_name", "token", "token_coefficient",
	"token_retransmit", "token_retransmits_before_loss_const", "token_warning", "hold", "join",
	"send_join", "consensus", "merge", "downcheck", "fail_recv_const", "seqno_unchanged_const",
	"max_messages", "window_size", "transport", "crypto_cipher", "crypto_hash", "crypto_model",
	"secauth", "interface", "ip_version", "netmtu", "config_version", "clear_node_high_bit",
	"threads", "nodeid", "link_mode", "keyfile", "key", "block_unlisted_ips",
	"heartbeat_failures_allowed", "max_network_delay", "miss_count_const",
	"knet_pmtud_interval", "knet_mtu", "knet_compression_model", "knet_compression_level",
	"knet_compression_threshold", NULL };
static const char *const iface_keys[] = { "ringnumber", "linknumber", "bindnetaddr", "mcastaddr",
	"mcastport", "ttl", "broadcast", "knet_link_priority", "knet_ping_interval",
	"knet_ping_timeout", "knet_pong_count", "knet_ping_precision", "knet_transport", NULL };
static const char *const node_keys[] = { "ring0_addr", "ring1_addr", "ring2_addr", "ring3_addr",
	"ring4_addr", "ring5_addr", "ring6_addr", "ring7_addr", "name", "nodeid", "quorum_votes",
	NULL };
static const char *const quorum_keys[] = { "provider", "expected_votes", "two_node", "wait_for_all",
	"last_man_standing", "last_man_standing_window", "auto_tie_breaker",
	"auto_tie_breaker_node", "allow_downscale", "expected_votes_tracking", "device", NULL };
static const char *const device_keys[] = { "model", "votes", "timeout", "sync_timeout", "net",
	"heuristics", "master_wins", NULL };
static const char *const device_net_keys[] = { "host", "port", "algorithm", "tie_breaker", "tls",
	"connect_timeout", "force_ip_version", "keep_active_partition_tie_breaker", NULL };
static const char *const logging_keys[] = { "to_syslog", "to_logfile", "to_stderr", "logfile",
	"syslog_facility", "debug", "timestamp", "fileline", "function_name", "logger_subsys",
	"syslog_priority", "logfile_priority", NULL };

/* corosync keys Paceline accepts but does not act on: said once, with the location. */
static const char *const noop_keys[] = { "token_warning", "send_join", "downcheck",
	"fail_recv_const", "seqno_unchanged_const", "crypto_model", "secauth", "ip_version",
	"netmtu", "clear_node_high_bit", "threads", "bindnetaddr", "knet_ping_precision",
	"block_unlisted_ips", "heartbeat_failures_allowed", "max_network_delay", "miss_count_const",
	"knet_pmtud_interval", "knet_mtu", "knet_compression_model", "knet_compression_level",
	"knet_compression_threshold", "expected_votes_tracking", "fileline", "function_name",
	"logger_subsys", "syslog_priority", "logfile_priority", "key", NULL };

/* Unknown names warn, with their location; corosync does the same for most keys. */
static void
warn_unknown(const struct pl_conf_node *sec, const char *const *allowed)
{
	PL_CONF_FOREACH_CHILD(sec, c)
	{
		bool known = false;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strcmp(*a, c->name) == 0;
		for (const char *const *a = noop_keys; known && *a; a++)
			if (strcmp(*a, c->name) == 0)
				log_warnx("%s:%d: %s: accepted for corosync compatibility, no "
					  "effect in Paceline",
				    c->file, c->line, c->name);
		if (!known)
			log_warnx("%s:%d: unknown %s '%s' in section '%s' ignored", c->file,
			    c->line, pl_conf_is_section(c) ? "section" : "key", c->name,
			    sec->name[0] ? sec->name : "(top)");
	}
}

static bool
get_u32(const struct pl_conf_node *s, const char *key, uint64_t min, uint64_t max, const char *unit,
    uint32_t def, uint32_t *out, struct pl_error *err)
{
	uint64_t v;

	if (!pl_conf_get_uint(s, key, min, max, unit, def, &v, err))
		return false;
	*out = (uint32_t)v;
	return true;
}

static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h ? h : 1;
}

/* One totem.interface section: the settings of one link. */
static bool
parse_interface(
    const struct pl_conf_node *i, struct membership_conf *c, bool *seen, struct pl_error *err)
{
	static const char *const knet_transports[] = { "udp", "sctp", NULL };
	const struct pl_conf_node *ln = pl_conf_key(i, "linknumber"), *n;
	struct membership_link *lk;
	uint32_t num, v;
	int idx;

	warn_unknown(i, iface_keys);
	if (!ln)
		ln = pl_conf_key(i, "ringnumber");
	if (!get_u32(i, ln ? ln->name : "linknumber", 0, MEMBERSHIP_MAX_LINKS - 1, NULL, 0, &num, err))
		return false;
	if (seen[num]) {
		pl_conf_error_set(err, ln ? ln : i, "interface: link %u is configured twice", num);
		return false;
	}
	seen[num] = true;
	lk = &c->links[num];
	if (!get_u32(i, "mcastport", 1, 65535, NULL, 5405, &v, err))
		return false;
	lk->port = (uint16_t)v;
	if (!get_u32(i, "ttl", 0, 255, NULL, 1, &v, err))
		return false;
	lk->ttl = (uint8_t)v;
	if (!get_u32(i, "knet_link_priority", 0, 255, NULL, 1, &v, err))
		return false;
	lk->priority = (uint8_t)v;
	if (!get_u32(i, "knet_pong_count", 1, 255, NULL, 2, &lk->pong_count, err) ||
	    !get_u32(i, "knet_ping_interval", 1, 600000, "milliseconds", 0, &lk->ping_interval, err) ||
	    !get_u32(i, "knet_ping_timeout", 1, 600000, "milliseconds", 0, &lk->ping_timeout, err))
		return false;
	if (!pl_conf_get_enum(i, "knet_transport", knet_transports, 0, &idx, err))
		return false;
	if (idx != 0) {
		pl_conf_error_set(err, pl_conf_key(i, "knet_transport"),
		    "knet_transport: sctp is not supported by Paceline (udp only)");
		return false;
	}
	if (!pl_conf_get_bool(i, "broadcast", false, &lk->broadcast, err))
		return false;
	n = pl_conf_key(i, "mcastaddr");
	if (n && lk->broadcast) {
		pl_conf_error_set(err, n, "mcastaddr: not with broadcast: yes (one or the other)");
		return false;
	}
	if ((n || lk->broadcast) && c->transport != MEMBERSHIP_TRANSPORT_UDP) {
		pl_conf_error_set(err, n ? n : pl_conf_key(i, "broadcast"),
		    "%s: only with transport: udp (the transport is %s)",
		    n ? "mcastaddr" : "broadcast", membership_transport_name(c->transport));
		return false;
	}
	if (n) {
		struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICHOST },
				*res = NULL;
		bool mc = false;
		if (getaddrinfo(n->value, NULL, &hints, &res) == 0 && res) {
			if (res->ai_family == AF_INET)
				mc = IN_MULTICAST(ntohl(
				    ((const struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr));
			else if (res->ai_family == AF_INET6)
				mc = IN6_IS_ADDR_MULTICAST(
				    &((const struct sockaddr_in6 *)res->ai_addr)->sin6_addr);
		}
		if (res)
			freeaddrinfo(res);
		if (!mc) {
			pl_conf_error_set(
			    err, n, "mcastaddr: '%s' is not a multicast address", n->value);
			return false;
		}
		lk->mcastaddr = xstrdup(n->value);
	}
	return true;
}

static bool
parse_totem(const struct pl_conf_node *t, struct membership_conf *c, struct pl_error *err)
{
	static const char *const transports[] = { "knet", "udpu", "udp", NULL };
	static const char *const link_modes[] = { "passive", "active", "rr", NULL };
	static const char *const ciphers[] = { "none", "aes128", "aes192", "aes256", NULL };
	static const char *const hashes[] = { "sha256", "sha1", "sha384", "sha512", "none", "md5",
		NULL };
	const struct pl_conf_node *n;
	int idx;
	bool seen[MEMBERSHIP_MAX_LINKS] = { false };

	if (t)
		warn_unknown(t, totem_keys);
	n = pl_conf_key(t, "cluster_name");
	c->cluster_name = xstrdup(n ? n->value : "paceline");
	c->cluster_name_set = n != NULL;
	n = pl_conf_key(t, "keyfile");
	c->keyfile = n ? xstrdup(n->value) : NULL;
	c->cluster_id = name_hash(c->cluster_name);
	if (!get_u32(t, "token", 10, 600000, "milliseconds", 3000, &c->token, err) ||
	    !get_u32(t, "token_coefficient", 0, 600000, "milliseconds", 650, &c->token_coefficient,
		err) ||
	    !get_u32(t, "token_retransmits_before_loss_const", 1, 100, NULL, 4,
		&c->retransmits_before_loss, err) ||
	    !get_u32(t, "join", 1, 600000, "milliseconds", 50, &c->join, err) ||
	    !get_u32(t, "merge", 1, 600000, "milliseconds", 200, &c->merge, err) ||
	    !get_u32(t, "max_messages", 1, 1000, NULL, 17, &c->max_messages, err) ||
	    !get_u32(t, "window_size", 1, 10000, NULL, 50, &c->window_size, err))
		return false;
	if (!pl_conf_get_enum(t, "transport", transports, 0, &idx, err))
		return false;
	c->transport = (enum membership_transport)idx;
	if (!pl_conf_get_enum(t, "link_mode", link_modes, 0, &idx, err))
		return false;
	c->link_mode = (enum membership_link_mode)idx;
	if (!pl_conf_get_enum(t, "crypto_cipher", ciphers, 0, &idx, err))
		return false;
	c->cipher = (enum membership_cipher)idx;
	if (!pl_conf_get_enum(t, "crypto_hash", hashes, 0, &idx, err))
		return false;
	if (idx >= 4) {
		n = pl_conf_key(t, "crypto_hash");
		log_warnx(
		    "%s:%d: crypto_hash: %s: Paceline always authenticates packets; using sha256",
		    n->file, n->line, n->value);
		idx = 0;
	}
	c->hash = (enum membership_hash)idx;
	for (unsigned l = 0; l < MEMBERSHIP_MAX_LINKS; l++) {
		c->links[l].port = 5405;
		c->links[l].priority = 1;
		c->links[l].ttl = 1;
		c->links[l].pong_count = 2;
	}
	PL_CONF_FOREACH_SECTION(t, "interface", i)
	{
		if (!parse_interface(i, c, seen, err))
			return false;
	}
	c->port = c->links[0].port;
	return true;
}

/* Timeouts that depend on the node count, as corosync computes them. */
static bool
derive_timeouts(const struct pl_conf_node *t, struct membership_conf *c, struct pl_error *err)
{
	c->token_effective = c->token;
	if (c->n_nodes >= 3)
		c->token_effective += (c->n_nodes - 2) * c->token_coefficient;
	if (!get_u32(t, "token_retransmit", 30, 600000, "milliseconds",
		(uint32_t)(c->token_effective / (c->retransmits_before_loss + 0.2)),
		&c->token_retransmit, err))
		return false;
	if (!get_u32(t, "hold", 0, 600000, "milliseconds",
		c->token_retransmit * 8 / 10 > 10 ? c->token_retransmit * 8 / 10 - 10 : 0, &c->hold,
		err))
		return false;
	if (!get_u32(t, "consensus", 1, 6000000, "milliseconds", c->token_effective * 12 / 10,
		&c->consensus, err))
		return false;
	if (pl_conf_key(t, "consensus") && c->consensus < c->token_effective * 12 / 10)
		log_warnx("%s: consensus %u ms is below 1.2 x token (%u ms)", c->path, c->consensus,
		    c->token_effective * 12 / 10);
	return true;
}

static bool
resolve(struct membership_node *nd, unsigned link, uint16_t port, const struct pl_conf_node *at,
    struct pl_error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res = NULL;
	char ps[8];
	int rc;

	snprintf(ps, sizeof(ps), "%u", port);
	rc = getaddrinfo(nd->addr[link], ps, &hints, &res);
	if (rc != 0 || !res) {
		pl_conf_error_set(err, at, "%s: cannot resolve '%s': %s", at->name, nd->addr[link],
		    gai_strerror(rc));
		return false;
	}
	memcpy(&nd->sa[link], res->ai_addr, res->ai_addrlen);
	nd->salen[link] = res->ai_addrlen;
	freeaddrinfo(res);
	return true;
}

/* ringN_addr of one node; every node must have the links the first node has. */
static bool
parse_node_links(const struct pl_conf_node *s, struct membership_conf *c,
    struct membership_node *nd, struct pl_error *err)
{
	for (unsigned l = 0; l < MEMBERSHIP_MAX_LINKS; l++) {
		char key[16];
		const struct pl_conf_node *a;

		snprintf(key, sizeof(key), "ring%u_addr", l);
		a = pl_conf_key(s, key);
		if (c->n_nodes == 1)
			c->links[l].configured = a != NULL;
		if (!a && c->links[l].configured) {
			pl_conf_error_set(err, s,
			    "node %u has no %s (node %u has: every node needs the same links)",
			    nd->nodeid, key, c->nodes[0].nodeid);
			return false;
		}
		if (a && !c->links[l].configured) {
			pl_conf_error_set(err, a,
			    "%s: node %u has no link %u (every node needs the same links)", key,
			    c->nodes[0].nodeid, l);
			return false;
		}
		if (!a)
			continue;
		nd->addr[l] = xstrdup(a->value);
		if (!resolve(nd, l, c->links[l].port, a, err))
			return false;
		if (l + 1 > c->n_links)
			c->n_links = l + 1;
	}
	return true;
}

static bool
parse_nodelist(const struct pl_conf_node *root, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *nl = pl_conf_section(root, "nodelist");

	if (!nl) {
		pl_error_set(
		    err, PL_EXIT_CONFIG, "%s: no nodelist section (Paceline needs one)", c->path);
		return false;
	}
	warn_unknown(nl, (const char *const[]){ "node", NULL });
	PL_CONF_FOREACH_SECTION(nl, "node", s)
	{
		struct membership_node *nd;
		const struct pl_conf_node *nm = pl_conf_key(s, "name");
		uint32_t id;

		warn_unknown(s, node_keys);
		if (!pl_conf_key(s, "ring0_addr")) {
			pl_conf_error_set(err, s, "node without ring0_addr");
			return false;
		}
		if (!pl_conf_key(s, "nodeid")) {
			pl_conf_error_set(
			    err, s, "node without nodeid (Paceline needs explicit ids)");
			return false;
		}
		if (!get_u32(s, "nodeid", 1, UINT32_MAX, NULL, 0, &id, err))
			return false;
		if (c->n_nodes == 64) {
			pl_conf_error_set(err, s, "more than 64 nodes");
			return false;
		}
		for (unsigned i = 0; i < c->n_nodes; i++) {
			if (c->nodes[i].nodeid == id) {
				pl_conf_error_set(
				    err, pl_conf_key(s, "nodeid"), "nodeid: %u used twice", id);
				return false;
			}
			if (nm && strcmp(c->nodes[i].name, nm->value) == 0) {
				pl_conf_error_set(err, nm, "name: '%s' used twice", nm->value);
				return false;
			}
		}
		c->nodes = xreallocarray(c->nodes, c->n_nodes + 1, sizeof(*c->nodes));
		nd = &c->nodes[c->n_nodes++];
		memset(nd, 0, sizeof(*nd));
		nd->nodeid = id;
		nd->name = xstrdup(nm ? nm->value : pl_conf_key(s, "ring0_addr")->value);
		if (!get_u32(s, "quorum_votes", 0, 1000, NULL, 1, &nd->votes, err) ||
		    !parse_node_links(s, c, nd, err))
			return false;
	}
	if (c->n_nodes == 0) {
		pl_conf_error_set(err, nl, "nodelist has no node");
		return false;
	}
	return true;
}

/* Per-link defaults that depend on the token, the multicast groups, and the interface
 * sections that name a link no node has. */
static bool
derive_links(const struct pl_conf_node *t, struct membership_conf *c, struct pl_error *err)
{
	PL_CONF_FOREACH_SECTION(t, "interface", i)
	{
		const struct pl_conf_node *ln = pl_conf_key(i, "linknumber");
		unsigned long num;
		if (!ln)
			ln = pl_conf_key(i, "ringnumber");
		num = ln ? strtoul(ln->value, NULL, 10) : 0;
		if (num < MEMBERSHIP_MAX_LINKS && !c->links[num].configured) {
			pl_conf_error_set(err, ln ? ln : i,
			    "interface: link %lu has no ring%lu_addr in the nodelist", num, num);
			return false;
		}
	}
	for (unsigned l = 0; l < c->n_links; l++) {
		struct membership_link *lk = &c->links[l];
		if (!lk->configured)
			continue;
		/* corosync: one of the pair from the token when only the other is set */
		if (!lk->ping_interval)
			lk->ping_interval = lk->ping_timeout
			    ? lk->ping_timeout / 2
			    : c->token_effective / (lk->pong_count * 2);
		if (!lk->ping_timeout)
			lk->ping_timeout = lk->ping_interval * 2 > c->token_effective / lk->pong_count
			    ? lk->ping_interval * 2
			    : c->token_effective / lk->pong_count;
		if (!lk->ping_interval)
			lk->ping_interval = 1;
		if (lk->ping_timeout <= lk->ping_interval) {
			pl_error_set(err, PL_EXIT_CONFIG,
			    "%s: link %u: knet_ping_timeout (%u ms) must be above "
			    "knet_ping_interval "
			    "(%u ms)",
			    c->path, l, lk->ping_timeout, lk->ping_interval);
			return false;
		}
		if (c->transport == MEMBERSHIP_TRANSPORT_UDP && !lk->broadcast) {
			struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				.ai_flags = AI_NUMERICHOST },
					*res = NULL;
			char ps[8];
			if (!lk->mcastaddr) /* corosync's rule: derived from cluster_name */
				lk->mcastaddr = xasprintf("239.192.%u.%u",
				    (c->cluster_id >> 8) & 0xff, c->cluster_id & 0xff);
			snprintf(ps, sizeof(ps), "%u", lk->port);
			if (getaddrinfo(lk->mcastaddr, ps, &hints, &res) != 0 || !res) {
				pl_error_set(err, PL_EXIT_CONFIG, "%s: link %u: bad mcastaddr '%s'",
				    c->path, l, lk->mcastaddr);
				return false;
			}
			memcpy(&lk->mcast_sa, res->ai_addr, res->ai_addrlen);
			lk->mcast_salen = res->ai_addrlen;
			freeaddrinfo(res);
			if (lk->mcast_sa.ss_family != c->nodes[0].sa[l].ss_family) {
				pl_error_set(err, PL_EXIT_CONFIG,
				    "%s: link %u: mcastaddr %s and ring%u_addr %s are not of the "
				    "same "
				    "address family",
				    c->path, l, lk->mcastaddr, l, c->nodes[0].addr[l]);
				return false;
			}
		}
	}
	return true;
}

/* auto_tie_breaker_node: lowest | highest | a space-separated list of node ids. */
static bool
parse_atb_node(const struct pl_conf_node *n, struct membership_conf *c, struct pl_error *err)
{
	const char *p;

	if (!n || strcmp(n->value, "lowest") == 0) {
		c->atb_mode = MEMBERSHIP_ATB_LOWEST;
		return true;
	}
	if (strcmp(n->value, "highest") == 0) {
		c->atb_mode = MEMBERSHIP_ATB_HIGHEST;
		return true;
	}
	c->atb_mode = MEMBERSHIP_ATB_LIST;
	for (p = n->value; *p;) {
		char *end;
		unsigned long v;
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		v = strtoul(p, &end, 10);
		if (end == p || v == 0 || v > UINT32_MAX ||
		    (*end && *end != ' ' && *end != '\t' && *end != ',')) {
			pl_conf_error_set(err,
			    n, "auto_tie_breaker_node: '%s' is not lowest, highest or a list of node ids",
			    n->value);
			return false;
		}
		if (!membership_conf_node(c, (uint32_t)v)) {
			pl_conf_error_set(
			    err, n, "auto_tie_breaker_node: node %lu is not in the nodelist", v);
			return false;
		}
		if (c->n_atb_list < 64)
			c->atb_list[c->n_atb_list++] = (uint32_t)v;
		p = end;
	}
	if (!c->n_atb_list) {
		pl_conf_error_set(err, n, "auto_tie_breaker_node: empty");
		return false;
	}
	return true;
}

/* quorum.device.net.tie_breaker: lowest | highest | a node id of the nodelist */
static bool
parse_tie_breaker(const struct pl_conf_node *n, struct membership_conf *c, struct pl_error *err)
{
	char *end;
	unsigned long v;

	if (!n || strcmp(n->value, "lowest") == 0)
		return true;
	if (strcmp(n->value, "highest") == 0) {
		c->device_tb_mode = 1;
		return true;
	}
	v = strtoul(n->value, &end, 10);
	if (end == n->value || *end || v == 0 || v > UINT32_MAX) {
		pl_conf_error_set(
		    err, n, "tie_breaker: '%s' is not lowest, highest or a node id", n->value);
		return false;
	}
	if (!membership_conf_node(c, (uint32_t)v)) {
		pl_conf_error_set(err, n, "tie_breaker: node %lu is not in the nodelist", v);
		return false;
	}
	c->device_tb_mode = 2;
	c->device_tb_node = (uint32_t)v;
	return true;
}

/* quorum { device { model: net ... net { host ... } } } as corosync-qdevice reads it */
/* quorum.device.heuristics, corosync-qdevice(8)'s keys, limits and defaults: commands run on
 * connect, after each configuration change and (mode on) every interval; all must exit 0 in
 * time for "pass". */
static bool
parse_heuristics(const struct pl_conf_node *h, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *k = pl_conf_key(h, "mode");

	c->device_heur_mode = 0;
	if (k && strcmp(k->value, "on") == 0)
		c->device_heur_mode = 1;
	else if (k && strcmp(k->value, "sync") == 0)
		c->device_heur_mode = 2;
	else if (k && strcmp(k->value, "off") != 0) {
		pl_conf_error_set(err, k, "heuristics mode: '%s' is not on, sync or off", k->value);
		return false;
	}
	if (!get_u32(h, "timeout", 1000, 120000, "milliseconds",
		c->device_timeout / 2 < 1000 ? 1000 : c->device_timeout / 2,
		&c->device_heur_timeout, err) ||
	    !get_u32(h, "sync_timeout", 1000, 120000, "milliseconds",
		c->device_sync_timeout / 2 < 1000 ? 1000 : c->device_sync_timeout / 2,
		&c->device_heur_sync_timeout, err) ||
	    !get_u32(h, "interval", 1000, 3600000, "milliseconds",
		c->device_timeout * 3 > 3600000 ? 3600000 : c->device_timeout * 3,
		&c->device_heur_interval, err))
		return false;
	PL_CONF_FOREACH_CHILD(h, e)
	{
		char **argv = NULL;
		GError *ge = NULL;
		if (strncmp(e->name, "exec_", 5) != 0) {
			if (strcmp(e->name, "mode") && strcmp(e->name, "timeout") &&
			    strcmp(e->name, "sync_timeout") && strcmp(e->name, "interval"))
				log_warnx("%s:%d: unknown key '%s' in section 'heuristics' ignored",
				    e->file, e->line, e->name);
			continue;
		}
		if (pl_conf_is_section(e) || !e->name[5]) {
			pl_conf_error_set(err, e, "%s: exec_NAME takes a command line", e->name);
			return false;
		}
		if (c->device_n_execs == MEMBERSHIP_MAX_HEURISTICS) {
			pl_conf_error_set(err, e, "%s: more than %d exec_ commands", e->name,
			    MEMBERSHIP_MAX_HEURISTICS);
			return false;
		}
		if (!g_shell_parse_argv(e->value, NULL, &argv, &ge)) {
			pl_conf_error_set(err, e, "%s: cannot split '%s' into arguments: %s",
			    e->name, e->value, ge->message);
			g_error_free(ge);
			return false;
		}
		if (argv[0][0] != '/') { /* corosync runs them with execv: no PATH search */
			pl_conf_error_set(err, e,
			    "%s: '%s' is not an absolute path (commands run without a PATH search)",
			    e->name, argv[0]);
			g_strfreev(argv);
			return false;
		}
		g_strfreev(argv);
		c->device_exec_name[c->device_n_execs] = xstrdup(e->name + 5);
		c->device_exec_cmd[c->device_n_execs++] = xstrdup(e->value);
	}
	if (c->device_heur_mode && !c->device_n_execs) {
		log_warnx("%s:%d: heuristics mode %s without any exec_ command: heuristics off",
		    h->file, h->line, c->device_heur_mode == 1 ? "on" : "sync");
		c->device_heur_mode = 0;
	}
	return true;
}

static bool
parse_device(const struct pl_conf_node *d, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *m = pl_conf_key(d, "model"), *net, *k;
	uint32_t sum = 0, port;

	warn_unknown(d, device_keys);
	if (!m) {
		pl_conf_error_set(err, d, "quorum.device: model is required (model: net)");
		return false;
	}
	if (strcmp(m->value, "net") != 0) {
		pl_conf_error_set(
		    err, m, "quorum.device.model: '%s' is not supported (only net)", m->value);
		return false;
	}
	net = pl_conf_section(d, "net");
	if (!net) {
		pl_conf_error_set(
		    err, d, "quorum.device: model net needs a net { host: ... } section");
		return false;
	}
	warn_unknown(net, device_net_keys);
	/* votequorum's master_wins: a node casting the device's vote is quorate whatever the
	 * node votes; safe here since the arbiter lends the vote to one ring at a time */
	if (!pl_conf_get_bool(d, "master_wins", false, &c->device_master_wins, err))
		return false;
	if (!(k = pl_conf_key(net, "host")) || !*k->value) {
		pl_conf_error_set(err, k ? k : net, "quorum.device.net: host is required");
		return false;
	}
	c->device_host = xstrdup(k->value);
	if ((k = pl_conf_key(net, "algorithm")) != NULL) {
		if (strcmp(k->value, "lms") == 0)
			c->device_algorithm = 1;
		else if (strcmp(k->value, "ffsplit") != 0) {
			pl_conf_error_set(err, k, "algorithm: '%s' is not ffsplit or lms", k->value);
			return false;
		}
	}
	c->device_tls = 1; /* on: TLS when this node has its certificate (qnetd/tls.h) */
	if ((k = pl_conf_key(net, "tls")) != NULL) {
		if (strcmp(k->value, "off") == 0)
			c->device_tls = 0;
		else if (strcmp(k->value, "required") == 0)
			c->device_tls = 2;
		else if (strcmp(k->value, "on") != 0) {
			pl_conf_error_set(err, k, "tls: '%s' is not on, off or required", k->value);
			return false;
		}
	}
	{ /* corosync-qdevice's database lives beside its configuration: so does this one */
		const char *env = getenv("PL_QDEVICE_NSSDB");
		char *dir = g_path_get_dirname(c->path ? c->path : "/etc/paceline/paceline.conf");
		free(c->device_nssdb);
		c->device_nssdb = env && *env ? xstrdup(env) : xasprintf("%s/qdevice/net/nssdb", dir);
		g_free(dir);
	}
	if ((k = pl_conf_key(net, "force_ip_version")) != NULL)
		log_warnx("%s:%d: force_ip_version: accepted for corosync compatibility, no effect "
			  "in Paceline (the host's addresses are tried in order)",
		    k->file, k->line);
	for (unsigned i = 0; i < c->n_nodes; i++)
		sum += c->nodes[i].votes;
	if (!parse_tie_breaker(pl_conf_key(net, "tie_breaker"), c, err) ||
	    !get_u32(d, "votes", 1, 65535, NULL, c->device_algorithm == 1 && sum > 1 ? sum - 1 : 1,
		&c->device_votes, err) ||
	    !get_u32(d, "timeout", 500, 3600000, "milliseconds", 10000, &c->device_timeout, err) ||
	    !get_u32(d, "sync_timeout", 500, 3600000, "milliseconds", 30000,
		&c->device_sync_timeout, err) ||
	    !get_u32(net, "port", 1, 65535, NULL, 5403, &port, err) ||
	    !get_u32(net, "connect_timeout", 100, 3600000, "milliseconds",
		c->device_timeout / 5 * 4, &c->device_connect_timeout, err) ||
	    !pl_conf_get_bool(
		net, "keep_active_partition_tie_breaker", true, &c->device_keep_active, err))
		return false;
	if ((k = pl_conf_section(d, "heuristics")) != NULL && !parse_heuristics(k, c, err))
		return false;
	if (c->device_algorithm == 0 && c->device_votes != 1 && pl_conf_key(d, "votes")) {
		pl_conf_error_set(err, pl_conf_key(d, "votes"),
		    "votes: the ffsplit algorithm needs exactly 1 device vote (found %u)",
		    c->device_votes);
		return false;
	}
	if (!c->cluster_name_set) { /* corosync-qdevice's rule too */
		pl_conf_error_set(err, d,
		    "quorum.device: model net needs totem.cluster_name (the arbiter tells the "
		    "clusters it serves apart by it)");
		return false;
	}
	c->device_port = (uint16_t)port;
	c->device = true;
	return true;
}

static bool
parse_quorum(const struct pl_conf_node *q, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *p;

	c->lms_window = 10000;
	if (!q)
		return true;
	warn_unknown(q, quorum_keys);
	p = pl_conf_key(q, "provider");
	if (p && strcmp(p->value, "corosync_votequorum") != 0 && strcmp(p->value, "votequorum") != 0) {
		pl_conf_error_set(err, p, "provider: '%s' is not votequorum", p->value);
		return false;
	}
	if ((p = pl_conf_section(q, "device")) != NULL && !parse_device(p, c, err))
		return false;
	c->votequorum = pl_conf_key(q, "provider") != NULL;
	if (!get_u32(q, "expected_votes", 1, 65535, NULL, 0, &c->expected_votes, err) ||
	    !pl_conf_get_bool(q, "two_node", false, &c->two_node, err) ||
	    !pl_conf_get_bool(q, "last_man_standing", false, &c->last_man_standing, err) ||
	    !get_u32(q, "last_man_standing_window", 1, 3600000, "milliseconds", 10000,
		&c->lms_window, err) ||
	    !pl_conf_get_bool(q, "auto_tie_breaker", false, &c->auto_tie_breaker, err) ||
	    !pl_conf_get_bool(q, "allow_downscale", false, &c->allow_downscale, err) ||
	    !parse_atb_node(pl_conf_key(q, "auto_tie_breaker_node"), c, err))
		return false;
	if (c->device && c->two_node) { /* corosync's rule */
		pl_conf_error_set(err, pl_conf_key(q, "two_node"),
		    "two_node and a quorum device cannot be configured at the same time (remove "
		    "two_node: the device breaks the tie)");
		return false;
	}
	if (c->device && c->auto_tie_breaker) {
		pl_conf_error_set(err, pl_conf_key(q, "auto_tie_breaker"),
		    "auto_tie_breaker and a quorum device cannot be configured at the same time");
		return false;
	}
	if (c->two_node && c->auto_tie_breaker) { /* corosync's rule */
		log_warnx("%s:%d: two_node and auto_tie_breaker are not compatible: two_node is "
			  "disabled",
		    pl_conf_key(q, "two_node")->file, pl_conf_key(q, "two_node")->line);
		c->two_node = false;
	}
	if (!pl_conf_get_bool(q, "wait_for_all", c->two_node, &c->wait_for_all, err))
		return false;
	c->wait_for_all_set = pl_conf_key(q, "wait_for_all") != NULL;
	if (c->two_node && c->n_nodes != 2 && !c->expected_votes) {
		pl_conf_error_set(err, pl_conf_key(q, "two_node"),
		    "two_node: needs exactly 2 nodes in the nodelist (found %u)", c->n_nodes);
		return false;
	}
	for (unsigned i = 0; c->last_man_standing && i < c->n_nodes; i++) {
		if (c->nodes[i].votes != 1) {
			pl_conf_error_set(err, pl_conf_key(q, "last_man_standing"),
			    "last_man_standing: needs one vote per node (node %u has %u)",
			    c->nodes[i].nodeid, c->nodes[i].votes);
			return false;
		}
	}
	return true;
}

static bool
parse_logging(const struct pl_conf_node *l, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *n;

	if (l)
		warn_unknown(l, logging_keys);
	if (!pl_conf_get_bool(l, "to_syslog", true, &c->to_syslog, err) ||
	    !pl_conf_get_bool(l, "to_logfile", false, &c->to_logfile, err) ||
	    !pl_conf_get_bool(l, "to_stderr", false, &c->to_stderr, err) ||
	    !pl_conf_get_bool(l, "timestamp", false, &c->timestamp, err))
		return false;
	n = pl_conf_key(l, "debug");
	if (n && strcmp(n->value, "trace") == 0)
		c->debug = true;
	else if (!pl_conf_get_bool(l, "debug", false, &c->debug, err))
		return false;
	n = pl_conf_key(l, "logfile");
	c->logfile = n ? xstrdup(n->value) : NULL;
	if (c->to_logfile && !c->logfile) {
		pl_conf_error_set(
		    err, pl_conf_key(l, "to_logfile"), "to_logfile: yes without logfile");
		return false;
	}
	n = pl_conf_key(l, "syslog_facility");
	c->syslog_facility = xstrdup(n ? n->value : "daemon");
	return true;
}

static bool
parse_tree(const struct pl_conf_node *root, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *t = pl_conf_section(root, "totem");

	warn_unknown(root, top_keys);
	return parse_totem(t, c, err) && parse_nodelist(root, c, err) && derive_timeouts(t, c, err) &&
	    derive_links(t, c, err) && parse_quorum(pl_conf_section(root, "quorum"), c, err) &&
	    parse_logging(pl_conf_section(root, "logging"), c, err);
}

bool
membership_conf_parse_string(
    const char *text, const char *name, struct membership_conf *c, struct pl_error *err)
{
	struct pl_conf_node *root = pl_conf_parse_string(text, name, err);
	bool ok;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(name);
	if (!root)
		return false;
	ok = parse_tree(root, c, err);
	pl_conf_free(root);
	return ok;
}

bool
membership_conf_load(const char *path, struct membership_conf *c, struct pl_error *err)
{
	struct pl_conf_node *root = pl_conf_parse_file(path, err);
	bool ok;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	if (!root)
		return false;
	ok = parse_tree(root, c, err);
	pl_conf_free(root);
	return ok;
}

void
membership_conf_free(struct membership_conf *c)
{
	for (unsigned i = 0; i < c->n_nodes; i++) {
		free(c->nodes[i].name);
		for (unsigned l = 0; l < MEMBERSHIP_MAX_LINKS; l++)
			free(c->nodes[i].addr[l]);
	}
	for (unsigned l = 0; l < MEMBERSHIP_MAX_LINKS; l++)
		free(c->links[l].mcastaddr);
	free(c->nodes);
	free(c->path);
	free(c->cluster_name);
	free(c->logfile);
	free(c->syslog_facility);
	free(c->keyfile);
	free(c->device_host);
	free(c->device_nssdb);
	for (unsigned i = 0; i < c->device_n_execs; i++) {
		free(c->device_exec_name[i]);
		free(c->device_exec_cmd[i]);
	}
	memset(c, 0, sizeof(*c));
}

const struct membership_node *
membership_conf_node(const struct membership_conf *c, uint32_t nodeid)
{
	for (unsigned i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].nodeid == nodeid)
			return &c->nodes[i];
	return NULL;
}

const char *
membership_transport_name(enum membership_transport t)
{
	return t == MEMBERSHIP_TRANSPORT_UDP ? "udp"
	    : t == MEMBERSHIP_TRANSPORT_UDPU ? "udpu"
					     : "knet";
}

const char *
membership_link_mode_name(enum membership_link_mode m)
{
	return m == MEMBERSHIP_LINK_ACTIVE ? "active" : m == MEMBERSHIP_LINK_RR ? "rr" : "passive";
}
