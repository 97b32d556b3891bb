/*
 * heartbeat.c - Heartbeat's ha.cf and authkeys into paceline.conf and a new authkey.
 *
 * Every ha.cf directive is translated, or reported with its line and the reason it is not:
 *
 *	node A B ...          nodelist (nodeid 1, 2, ... in order; ring0_addr = the name)
 *	bcast/ucast/mcast     the ring's transport (udpu over the nodelist today)
 *	udpport N             the ring's port
 *	deadtime T            totem token (the time after which a silent node is lost)
 *	warntime T            token_warning, as a share of the token (not acted on yet)
 *	keepalive T           nothing: the token circulates without pause
 *	initdead T            the dc-deadtime cluster property
 *	auto_failback         resource stickiness (with haresources)
 *	logfile/logfacility/debug/use_logd/debugfile   logging
 *	ping/ping_group       a ping clone and a rule that keeps resources off cut-off nodes
 *	crm                   nothing: Paceline is always Pacemaker-style
 *	serial, baud, stonith, stonith_host, watchdog, respawn, apiauth ...  reported
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "paceline/error.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"
#include "import.h"

struct hacf {
	const char *path;
	struct import_report *r;
	char **nodes;
	size_t n_nodes;
	long node_line;
	char **ping; /* hosts of ping and ping_group */
	size_t n_ping;
	unsigned port;
	long deadtime, warntime, initdead; /* ms, -1 = not set */
	long deadtime_line, warntime_line, initdead_line;
	const char *failback; /* "on", "off", "legacy" or NULL */
	long failback_line;
	bool crm;
	bool have_media;
	char *logfile, *facility;
	bool to_syslog, debug;
};

static bool
is_true(const char *v)
{
	return !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcasecmp(v, "true") ||
	    !strcasecmp(v, "y") || !strcmp(v, "1") || !strcasecmp(v, "respawn");
}

/* Heartbeat's times: seconds, or milliseconds with "ms"; fractions allowed. */
static long
parse_time(const char *v)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || d < 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		return (long)d;
	if (*end == '\0' || strcmp(end, "s") == 0)
		return (long)(d * 1000.0);
	return -1;
}

static void say(struct hacf *h, long line, enum import_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
say(struct hacf *h, long line, enum import_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	import_vsay(h->r, lvl, h->path, line, -1, fmt, ap);
	va_end(ap);
}

static void
add_str(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

static void
time_directive(struct hacf *h, long line, const char *d, const char *v, long *out)
{
	long ms = v ? parse_time(v) : -1;

	if (ms < 0) {
		say(h, line, IMPORT_ERR,
		    "%s: '%s' is not a time (seconds, or milliseconds "
		    "with ms)",
		    d, v ? v : "");
		return;
	}
	*out = ms;
}

/* The media directives: all become the one ring; what they meant in Heartbeat is said. */
static void
media(struct hacf *h, long line, char **tok, int n)
{
	h->have_media = true;
	if (!strcmp(tok[0], "bcast")) {
		struct pl_buf ifs = PL_BUF_INIT;

		for (int i = 1; i < n; i++)
			pl_buf_addf(&ifs, "%s%s", i > 1 ? " " : "", tok[i]);
		say(h, line, IMPORT_NOTE,
		    "bcast %s: the ring runs as UDP unicast (udpu) between "
		    "the nodes listed, over the interface that reaches them%s",
		    pl_buf_str(&ifs),
		    n > 2 ? "; one link only: more interfaces as redundant links are not "
			    "supported yet"
			  : "");
		pl_buf_free(&ifs);
	} else if (!strcmp(tok[0], "mcast")) {
		say(h, line, IMPORT_NOTE,
		    "mcast: the multicast group %s becomes a UDP unicast "
		    "ring (udpu) between the nodes listed: multicast is not supported yet",
		    n > 2 ? tok[2] : "?");
	} else {
		say(h, line, IMPORT_NOTE,
		    "ucast %s %s: the ring is UDP unicast (udpu) between "
		    "the nodes listed, found by name",
		    n > 1 ? tok[1] : "", n > 2 ? tok[2] : "");
	}
}

static void
logging(struct hacf *h, long line, char **tok, int n)
{
	const char *d = tok[0], *v = n > 1 ? tok[1] : "";

	if (!strcmp(d, "logfile")) {
		free(h->logfile);
		h->logfile = xstrdup(v);
		say(h, line, IMPORT_INFO, "logfile %s: logging { to_logfile: yes; logfile: %s }", v,
		    v);
	} else if (!strcmp(d, "debugfile")) {
		say(h, line, IMPORT_NOTE,
		    "debugfile %s: Paceline writes debug lines to the same "
		    "log as the rest (logging { debug: on } turns them on)",
		    v);
	} else if (!strcmp(d, "logfacility")) {
		h->to_syslog = strcmp(v, "none") != 0;
		free(h->facility);
		h->facility = h->to_syslog ? xstrdup(v) : NULL;
		say(h, line, IMPORT_INFO, "logfacility %s: logging { to_syslog: %s%s%s }", v,
		    h->to_syslog ? "yes; syslog_facility: " : "no", h->to_syslog ? v : "", "");
	} else if (!strcmp(d, "debug")) {
		h->debug = atoi(v) > 0;
		say(h, line, IMPORT_INFO, "debug %s: logging { debug: %s }", v,
		    h->debug ? "on" : "off");
	} else { /* use_logd */
		if (is_true(v))
			h->to_syslog = true;
		say(h, line, IMPORT_INFO, "use_logd %s: %s", v,
		    is_true(v)
			? "there is no logd: Paceline logs to syslog directly (to_syslog: yes)"
			: "nothing to do");
	}
}

static const struct {
	const char *name;
	const char *why;
} unsupported[] = {
	{ "serial", "Paceline has no serial links: the ring runs over the network only" },
	{ "baud", "Paceline has no serial links" },
	{ "stonith",
	    "Heartbeat v1 fencing: configure a fence device as a stonith primitive "
	    "(stonith_admin --list-installed) and set stonith-enabled=true" },
	{ "stonith_host",
	    "Heartbeat v1 fencing: configure a fence device as a stonith "
	    "primitive and set stonith-enabled=true" },
	{ "watchdog",
	    "use sbd and the stonith-watchdog-timeout property for watchdog "
	    "self-fencing" },
	{ "apiauth", "not needed: Paceline's IPC admits root and the haclient group" },
	{ "autojoin",
	    "nodes do not join by themselves: every node is listed in paceline.conf's "
	    "nodelist" },
	{ "hopfudge", "no equivalent: the ring has no hop count" },
	{ "realtime", "no equivalent: Paceline's daemons run at normal priority" },
	{ "rtprio", "no equivalent: Paceline's daemons run at normal priority" },
	{ "coredumps", "set core dumps with the service manager (LimitCORE=)" },
	{ "conn_logd_time", "there is no logd" },
	{ "compression", "no equivalent: messages are not compressed" },
	{ "compression_threshold", "no equivalent: messages are not compressed" },
	{ "traditional_compression", "no equivalent: messages are not compressed" },
	{ "msgfmt", "no equivalent: the wire format is fixed" },
	{ "max_rexmit_delay", "no equivalent: retransmission is by token" },
	{ "uuidfrom", "node ids come from the nodelist (nodeid)" },
	{ "memreserve", "no equivalent" },
	{ "deadping",
	    "not translated: the ping agent's own timeout and dampen parameters "
	    "decide when a ping node is unreachable" },
	{ "hbgenmethod", "no equivalent: ring ids are kept on disk by paceline-membership" },
	{ "enable_config_writes", "no equivalent" },
	{ "record_config_changes", "no equivalent" },
	{ "record_pengine_inputs", "the policy engine's inputs are kept by paceline-pengine" },
};

static void
directive(struct hacf *h, long line, char **tok, int n)
{
	const char *d = tok[0], *v = n > 1 ? tok[1] : NULL;

	if (!strcmp(d, "node")) {
		for (int i = 1; i < n; i++)
			add_str(&h->nodes, &h->n_nodes, tok[i]);
		if (h->node_line == 0)
			h->node_line = line;
		say(h, line, IMPORT_INFO, "node: nodelist (%d node%s)", n - 1, n == 2 ? "" : "s");
	} else if (!strcmp(d, "bcast") || !strcmp(d, "ucast") || !strcmp(d, "mcast")) {
		media(h, line, tok, n);
	} else if (!strcmp(d, "udpport")) {
		char *end;
		unsigned long p = v ? strtoul(v, &end, 10) : 0;

		if (v == NULL || *end != '\0' || p == 0 || p > 65535)
			say(h, line, IMPORT_ERR, "udpport: '%s' is not a port", v ? v : "");
		else
			h->port = (unsigned)p;
		say(h, line, IMPORT_INFO, "udpport %s: totem interface mcastport", v ? v : "");
	} else if (!strcmp(d, "deadtime")) {
		time_directive(h, line, d, v, &h->deadtime);
		h->deadtime_line = line;
		say(h, line, IMPORT_INFO,
		    "deadtime %s: totem token %ld ms (a node silent that "
		    "long is lost)",
		    v ? v : "", h->deadtime);
	} else if (!strcmp(d, "warntime")) {
		time_directive(h, line, d, v, &h->warntime);
		h->warntime_line = line;
	} else if (!strcmp(d, "initdead")) {
		time_directive(h, line, d, v, &h->initdead);
		h->initdead_line = line;
	} else if (!strcmp(d, "keepalive")) {
		say(h, line, IMPORT_INFO,
		    "keepalive %s: not needed: the token circulates without "
		    "pause, so liveness is seen continuously",
		    v ? v : "");
	} else if (!strcmp(d, "auto_failback") || !strcmp(d, "nice_failback")) {
		bool nice = !strcmp(d, "nice_failback");

		h->failback = v == NULL	       ? "legacy"
		    : !strcasecmp(v, "legacy") ? "legacy"
		    : is_true(v) != nice       ? "on"
					       : "off";
		h->failback_line = line;
	} else if (!strcmp(d, "crm") || !strcmp(d, "pacemaker")) {
		h->crm = v != NULL && is_true(v);
		say(h, line, IMPORT_INFO, "%s %s: %s", d, v ? v : "",
		    h->crm ? "Pacemaker-style cluster manager: how Paceline always runs"
			   : "v1 resource mode: haresources becomes CIB resources");
	} else if (!strcmp(d, "logfile") || !strcmp(d, "debugfile") || !strcmp(d, "logfacility") ||
	    !strcmp(d, "debug") || !strcmp(d, "use_logd")) {
		logging(h, line, tok, n);
	} else if (!strcmp(d, "ping") || !strcmp(d, "ping_group")) {
		for (int i = !strcmp(d, "ping") ? 1 : 2; i < n; i++)
			add_str(&h->ping, &h->n_ping, tok[i]);
		say(h, line, IMPORT_INFO,
		    "%s: host_list of the ping clone (ocf:pacemaker:ping); "
		    "resources keep off a node that reaches none of them",
		    d);
	} else if (!strcmp(d, "respawn")) {
		bool ipfail = n > 2 && strstr(tok[2], "ipfail") != NULL;

		say(h, line, ipfail ? IMPORT_INFO : IMPORT_SKIP, "respawn %s: %s",
		    n > 2 ? tok[2] : "",
		    ipfail ? "ipfail's job is done by the ping clone and its location rule"
			   : "Paceline does not run programs of its own accord: make it a resource "
			     "(ocf:heartbeat:anything) or a systemd unit");
	} else {
		for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
			if (!strcmp(d, unsupported[i].name)) {
				say(h, line, IMPORT_SKIP, "%s: %s", d, unsupported[i].why);
				return;
			}
		}
		say(h, line, IMPORT_SKIP,
		    "%s: unknown ha.cf directive (Heartbeat refuses it "
		    "too)",
		    d);
	}
}

/* ha.cf into h; false if it could not be read. */
static bool
read_hacf(struct hacf *h)
{
	struct pl_error err = PL_ERROR_INIT;
	size_t len;
	char *text = pl_read_file(h->path, &len, &err), *save = NULL;
	long line = 0;

	if (text == NULL) {
		import_say(h->r, IMPORT_ERR, h->path, 0, -1, "%s", err.text);
		return false;
	}
	if (!import_text_check(h->path, text, len, h->r)) {
		free(text);
		return false;
	}
	for (char *l = text, *next; l != NULL; l = next) {
		char *tok[64], *hash, *ts = NULL;
		int n = 0;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if ((hash = strchr(l, '#')))
			*hash = '\0';
		for (char *t = strtok_r(l, " \t\r", &ts); t && n < 64;
		     t = strtok_r(NULL, " \t\r", &ts))
			tok[n++] = t;
		if (n > 0)
			directive(h, line, tok, n);
	}
	(void)save;
	free(text);
	return true;
}

/* authkeys: refuse what Heartbeat refuses; say what the method meant. */
static bool
read_authkeys(const char *path, struct import_report *r)
{
	struct pl_error err = PL_ERROR_INIT;
	struct stat st;
	char *text, *methods[16] = { 0 };
	long line = 0, auth_line = 0;
	int auth = -1;
	bool ok = true;

	if (stat(path, &st) < 0) {
		import_say(r, IMPORT_ERR, path, 0, -1, "cannot read: %s", strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		import_say(r, IMPORT_ERR, path, 0, -1, "not a regular file");
		return false;
	}
	if (st.st_mode & 077) {
		import_say(r, IMPORT_ERR, path, 0, -1,
		    "mode %04o: the key is readable by others, "
		    "and Heartbeat refuses such a file too; chmod 600 %s first, and change "
		    "the secret if others may have read it",
		    (unsigned)(st.st_mode & 07777), path);
		return false;
	}
	if ((text = pl_read_file(path, NULL, &err)) == NULL) {
		import_say(r, IMPORT_ERR, path, 0, -1, "%s", err.text);
		return false;
	}
	for (char *l = text, *next; l != NULL; l = next) {
		char *tok[4], *ts = NULL, *hash;
		int n = 0;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if ((hash = strchr(l, '#')))
			*hash = '\0';
		for (char *t = strtok_r(l, " \t\r", &ts); t && n < 4;
		     t = strtok_r(NULL, " \t\r", &ts))
			tok[n++] = t;
		if (n == 0)
			continue;
		if (!strcmp(tok[0], "auth") && n == 2 && isdigit((unsigned char)*tok[1])) {
			auth = atoi(tok[1]);
			auth_line = line;
		} else if (isdigit((unsigned char)*tok[0]) && atoi(tok[0]) < 16 && n >= 2 &&
		    (!strcmp(tok[1], "crc") || !strcmp(tok[1], "sha1") || !strcmp(tok[1], "md5"))) {
			if ((strcmp(tok[1], "crc") != 0) != (n == 3)) {
				import_say(r, IMPORT_ERR, path, line, -1, "%s takes %s", tok[1],
				    n == 3 ? "no key" : "a key");
				ok = false;
			}
			methods[atoi(tok[0])] = xstrdup(tok[1]);
		} else {
			import_say(r, IMPORT_ERR, path, line, -1,
			    "expected 'auth N' or 'N crc|sha1|md5 "
			    "[KEY]', found '%s'",
			    tok[0]);
			ok = false;
		}
	}
	if (ok && (auth < 0 || auth >= 16 || methods[auth] == NULL)) {
		import_say(r, IMPORT_ERR, path, auth_line, -1,
		    auth < 0 ? "no 'auth N' line: "
			       "Heartbeat needs one to know which key signs"
			     : "'auth' names a key number that no line defines");
		ok = false;
	}
	if (ok && !strcmp(methods[auth], "crc"))
		import_say(r, IMPORT_NOTE, path, auth_line, -1,
		    "auth %d is crc: Heartbeat "
		    "checked packets for damage but did not authenticate them; Paceline "
		    "signs every packet (HMAC-SHA256) with a new random 256-byte key",
		    auth);
	else if (ok)
		import_say(r, IMPORT_NOTE, path, auth_line, -1,
		    "auth %d is %s: the old secret is "
		    "not reused; Paceline signs every packet (HMAC-SHA256) with a new random "
		    "256-byte key",
		    auth, methods[auth]);
	for (int i = 0; i < 16; i++)
		free(methods[i]);
	free(text);
	return ok;
}

static void
write_conf(const struct hacf *h, struct pl_buf *out)
{
	pl_buf_addf(out,
	    "# paceline.conf written by paceline-import from %s (Heartbeat).\n"
	    "# Copy it to /etc/paceline/paceline.conf on every node.\n\n",
	    h->path);
	pl_buf_add(out,
	    "totem {\n\tversion: 2\n\tcluster_name: paceline\n\ttransport: udpu\n"
	    "\tcrypto_hash: sha256\n\tcrypto_cipher: none\n");
	if (h->deadtime >= 0)
		pl_buf_addf(out, "\t# Heartbeat's deadtime\n\ttoken: %ld\n", h->deadtime);
	if (h->warntime >= 0 && h->deadtime > 0) {
		long pct = h->warntime * 100 / h->deadtime;

		pl_buf_addf(out,
		    "\t# Heartbeat's warntime, as a share of the token\n"
		    "\ttoken_warning: %ld\n",
		    pct < 1	   ? 1
			: pct > 99 ? 99
				   : pct);
	}
	if (h->port)
		pl_buf_addf(
		    out, "\tinterface {\n\t\tlinknumber: 0\n\t\tmcastport: %u\n\t}\n", h->port);
	pl_buf_add(out, "}\n\nnodelist {\n");
	for (size_t i = 0; i < h->n_nodes; i++)
		pl_buf_addf(out, "\tnode {\n\t\tname: %s\n\t\tnodeid: %zu\n\t\tring0_addr: %s\n\t}\n",
		    h->nodes[i], i + 1, h->nodes[i]);
	pl_buf_add(out, "}\n\nquorum {\n\tprovider: corosync_votequorum\n");
	if (h->n_nodes == 2)
		pl_buf_add(
		    out, "\t# two nodes: the survivor of a split keeps quorum\n\ttwo_node: 1\n");
	pl_buf_add(out, "}\n\nlogging {\n");
	pl_buf_addf(out, "\tto_syslog: %s\n", h->to_syslog ? "yes" : "no");
	if (h->to_syslog)
		pl_buf_addf(out, "\tsyslog_facility: %s\n", h->facility ? h->facility : "daemon");
	if (h->logfile)
		pl_buf_addf(out, "\tto_logfile: yes\n\tlogfile: %s\n", h->logfile);
	pl_buf_addf(out, "\tdebug: %s\n}\n", h->debug ? "on" : "off");
}

static void
hacf_free(struct hacf *h)
{
	for (size_t i = 0; i < h->n_nodes; i++)
		free(h->nodes[i]);
	free(h->nodes);
	for (size_t i = 0; i < h->n_ping; i++)
		free(h->ping[i]);
	free(h->ping);
	free(h->logfile);
	free(h->facility);
}

/* Cluster properties and defaults that ha.cf implies for the resources of haresources. */
static void
cib_options(struct hacf *h, struct import_cfg *c)
{
	char ms[32];

	import_nv_set(&c->props, "stonith-enabled", "false");
	say(h, 0, IMPORT_NOTE,
	    "no fencing device is configured: the CIB sets "
	    "stonith-enabled=false; add a fence device and turn it on for a real cluster");
	if (h->initdead >= 0) {
		snprintf(ms, sizeof(ms), "%lds", (h->initdead + 999) / 1000);
		import_nv_set(&c->props, "dc-deadtime", ms);
	}
	if (h->failback == NULL || !strcmp(h->failback, "legacy") || !strcmp(h->failback, "on")) {
		import_nv_set(&c->rsc_defaults, "resource-stickiness", "0");
		say(h, h->failback_line, IMPORT_INFO,
		    "auto_failback %s: resource-stickiness=0 "
		    "with a location preference of 100 for each line's node: resources move back "
		    "when it returns",
		    h->failback ? h->failback : "(default legacy)");
	} else {
		import_nv_set(&c->rsc_defaults, "resource-stickiness", "INFINITY");
		say(h, h->failback_line, IMPORT_INFO,
		    "auto_failback off: "
		    "resource-stickiness=INFINITY: resources stay where they run");
	}
}

bool
import_heartbeat(const char *hacf, const char *authkeys, const char *haresources,
    struct import_files *out, struct import_report *r)
{
	struct hacf h;
	struct pl_buf conf = PL_BUF_INIT;
	int errs = r->counts[IMPORT_ERR];

	memset(&h, 0, sizeof(h));
	h.path = hacf;
	h.r = r;
	h.deadtime = h.warntime = h.initdead = -1;
	h.to_syslog = true;
	if (read_hacf(&h)) {
		if (h.n_nodes == 0)
			say(&h, 0, IMPORT_ERR,
			    "no 'node' directive: list every node of the cluster "
			    "(node NAME, as uname -n prints it)");
		if (!h.have_media)
			say(&h, 0, IMPORT_ERR,
			    "no bcast, ucast or mcast directive: Heartbeat "
			    "would not start either");
		if (h.deadtime >= 0 && (h.deadtime < 10 || h.deadtime > 600000))
			say(&h, h.deadtime_line, IMPORT_ERR,
			    "deadtime %ld ms is outside the "
			    "token's range (10 ms to 600 s)",
			    h.deadtime);
		if (h.warntime >= 0)
			say(&h, h.warntime_line, IMPORT_INFO,
			    "warntime: token_warning, corosync's late-token "
			    "warning as a share of the token (accepted; paceline-membership does "
			    "not log late tokens yet)");
		if (h.initdead >= 0)
			say(&h, h.initdead_line, IMPORT_INFO,
			    "initdead: the dc-deadtime property (how long a "
			    "starting node waits for its peers)%s",
			    haresources ? "" : " - set it with crm_attribute -n dc-deadtime once the cluster runs");
		if (h.failback && !haresources)
			say(&h, h.failback_line, h.crm ? IMPORT_INFO : IMPORT_NOTE,
			    "auto_failback: "
			    "%s",
			    h.crm ? "ignored in crm mode, as Heartbeat did: the CIB's "
				    "resource-stickiness decides"
				  : "no haresources file given: nothing to "
				    "apply it to");
		if (h.crm && !haresources)
			say(&h, 0, IMPORT_NOTE,
			    "crm mode: the resources live in Heartbeat's CIB "
			    "(/var/lib/heartbeat/crm/cib.xml), Pacemaker's format: load it into "
			    "Paceline as it is (cibadmin --replace --xml-file FILE)");
	}
	read_authkeys(authkeys, r);
	if (haresources && r->counts[IMPORT_ERR] == errs) {
		cib_options(&h, &out->cfg);
		import_haresources(haresources, &out->cfg, (const char *const *)h.ping, h.n_ping, r);
	} else if (h.n_ping > 0 && !haresources) {
		say(&h, 0, IMPORT_NOTE,
		    "ping: no haresources file given, so no resource is tied "
		    "to the ping clone: add the clone and a location rule in the CIB");
	}
	if (r->counts[IMPORT_ERR] == errs) {
		write_conf(&h, &conf);
		out->conf = pl_buf_steal(&conf);
		out->want_key = true;
	}
	hacf_free(&h);
	return r->counts[IMPORT_ERR] == errs;
}
