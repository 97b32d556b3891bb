/*
 * conf.c - read paceline.conf for the membership daemon (see conf.h), with the
 * parser of lib/common: this file only knows which keys exist, their ranges and defaults.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/conf.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "conf.h"

static const char *const top_keys[] = { "totem", "nodelist", "quorum", "logging", "system",
	"resources", "nozzle", NULL };
static const char *const totem_keys[] = { "version", "cluster_name", "token", "token_coefficient",
	"token_retransmit", "token_retransmits_before_loss_const", "token_warning", "hold", "join",
	"send_join", "consensus", "merge", "downcheck", "fail_recv_const", "seqno_unchanged_const",
	"max_messages", "window_size", "transport", "crypto_cipher", "crypto_hash", "crypto_model",
	"secauth", "interface", "ip_version", "netmtu", "config_version", "clear_node_high_bit",
	"threads", "nodeid", "link_mode", "keyfile", "key", NULL };
static const char *const iface_keys[] = { "ringnumber", "linknumber", "bindnetaddr", "mcastaddr",
	"mcastport", "ttl", "broadcast", NULL };
static const char *const node_keys[] = { "ring0_addr", "name", "nodeid", "quorum_votes", NULL };
static const char *const quorum_keys[] = { "provider", "expected_votes", "two_node", "wait_for_all",
	"last_man_standing", "last_man_standing_window", "auto_tie_breaker", NULL };
static const char *const logging_keys[] = { "to_syslog", "to_logfile", "to_stderr", "logfile",
	"syslog_facility", "debug", "timestamp", "fileline", "function_name", "logger_subsys",
	"syslog_priority", "logfile_priority", NULL };

/* corosync keys Paceline accepts but does not act on: said once, with the location. */
static const char *const noop_keys[] = { "token_warning", "send_join", "downcheck",
	"fail_recv_const", "seqno_unchanged_const", "crypto_model", "secauth", "ip_version", "netmtu",
	"clear_node_high_bit", "threads", "link_mode", "ttl", "broadcast", "last_man_standing",
	"last_man_standing_window", "auto_tie_breaker", "quorum_votes", "fileline", "function_name",
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

static bool
parse_totem(const struct pl_conf_node *t, struct membership_conf *c, struct pl_error *err)
{
	static const char *const transports[] = { "udpu", "udp", "knet", NULL };
	static const char *const ciphers[] = { "none", "aes128", "aes192", "aes256", NULL };
	static const char *const hashes[] = { "sha256", "sha1", "sha384", "sha512", "none", "md5",
		NULL };
	const struct pl_conf_node *n;
	int idx;
	uint32_t port;

	if (t)
		warn_unknown(t, totem_keys);
	n = pl_conf_key(t, "cluster_name");
	c->cluster_name = xstrdup(n ? n->value : "paceline");
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
	if (idx == 2)
		log_warnx("%s: transport knet is corosync's; Paceline uses udpu", c->path);
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
	port = 5405;
	PL_CONF_FOREACH_SECTION(t, "interface", i)
	{
		warn_unknown(i, iface_keys);
		if (!get_u32(i, "mcastport", 1, 65535, NULL, 5405, &port, err))
			return false;
	}
	c->port = (uint16_t)port;
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
resolve(struct membership_node *nd, uint16_t port, const struct pl_conf_node *at, struct pl_error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res = NULL;
	char ps[8];
	int rc;

	snprintf(ps, sizeof(ps), "%u", port);
	rc = getaddrinfo(nd->addr, ps, &hints, &res);
	if (rc != 0 || !res) {
		pl_conf_error_set(
		    err, at, "ring0_addr: cannot resolve '%s': %s", nd->addr, gai_strerror(rc));
		return false;
	}
	memcpy(&nd->sa, res->ai_addr, res->ai_addrlen);
	nd->salen = res->ai_addrlen;
	freeaddrinfo(res);
	return true;
}

static bool
parse_nodelist(const struct pl_conf_node *root, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *nl = pl_conf_section(root, "nodelist");

	if (!nl) {
		pl_error_set(
		    err, PL_EXIT_CONFIG, "%s: no nodelist section (udpu needs one)", c->path);
		return false;
	}
	warn_unknown(nl, (const char *const[]){ "node", NULL });
	PL_CONF_FOREACH_SECTION(nl, "node", s)
	{
		struct membership_node *nd;
		const struct pl_conf_node *a = pl_conf_key(s, "ring0_addr");
		const struct pl_conf_node *nm = pl_conf_key(s, "name");
		uint32_t id;

		warn_unknown(s, node_keys);
		if (!a) {
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
		nd->addr = xstrdup(a->value);
		nd->name = xstrdup(nm ? nm->value : a->value);
		if (!resolve(nd, c->port, a, err))
			return false;
	}
	if (c->n_nodes == 0) {
		pl_conf_error_set(err, nl, "nodelist has no node");
		return false;
	}
	return true;
}

static bool
parse_quorum(const struct pl_conf_node *q, struct membership_conf *c, struct pl_error *err)
{
	const struct pl_conf_node *p;

	if (!q)
		return true;
	warn_unknown(q, quorum_keys);
	p = pl_conf_key(q, "provider");
	if (p && strcmp(p->value, "corosync_votequorum") != 0 && strcmp(p->value, "votequorum") != 0) {
		pl_conf_error_set(err, p, "provider: '%s' is not votequorum", p->value);
		return false;
	}
	c->votequorum = p != NULL;
	if (!get_u32(q, "expected_votes", 1, 65535, NULL, 0, &c->expected_votes, err) ||
	    !pl_conf_get_bool(q, "two_node", false, &c->two_node, err) ||
	    !pl_conf_get_bool(q, "wait_for_all", c->two_node, &c->wait_for_all, err))
		return false;
	c->wait_for_all_set = pl_conf_key(q, "wait_for_all") != NULL;
	if (c->two_node && c->n_nodes != 2 && !c->expected_votes) {
		pl_conf_error_set(err, pl_conf_key(q, "two_node"),
		    "two_node: needs exactly 2 nodes in the nodelist (found %u)", c->n_nodes);
		return false;
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
	return parse_totem(t, c, err) && parse_nodelist(root, c, err) &&
	    derive_timeouts(t, c, err) && parse_quorum(pl_conf_section(root, "quorum"), c, err) &&
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
		free(c->nodes[i].addr);
	}
	free(c->nodes);
	free(c->path);
	free(c->cluster_name);
	free(c->logfile);
	free(c->syslog_facility);
	free(c->keyfile);
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
