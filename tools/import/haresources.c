/*
 * haresources.c - Heartbeat v1's resource file into CIB resources.
 *
 * Each line is "NODE RESOURCE..." (a backslash continues it): the resources start in order
 * on NODE, their preferred node, and move together. A line becomes a group of primitives
 * (a lone resource stays a primitive) with a location preference for NODE. A resource is
 *
 *	a.b.c.d[/bits[/nic[/broadcast]]]   or IPaddr::... / IPaddr2::...  ocf:heartbeat:IPaddr2
 *	Filesystem::DEVICE::DIR::FSTYPE[::OPTIONS]                          ocf:heartbeat:Filesystem
 *	drbddisk[::RESOURCE]              a promotable ocf:linbit:drbd clone the group follows
 *	apache::CONF, LVM::VG, MailTo::ADDR[::SUBJECT], Delay::START[::STOP], IPsrcaddr::IP,
 *	SendArp::IP/NIC, Xinetd::SERVICE, Raid1::CONF::DEV                  their OCF agents
 *	NAME                              an init script or systemd unit (lsb:NAME / systemd:NAME)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/error.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"
#include "import.h"

/* Positional arguments of the Heartbeat scripts that have an OCF agent of the same job. */
static const struct {
	const char *script, *agent, *params[4];
} scripts[] = {
	{ "Filesystem", "Filesystem", { "device", "directory", "fstype", "options" } },
	{ "apache", "apache", { "configfile" } },
	{ "LVM", "LVM", { "volgrpname" } },
	{ "MailTo", "MailTo", { "email", "subject" } },
	{ "Delay", "Delay", { "startdelay", "stopdelay" } },
	{ "IPsrcaddr", "IPsrcaddr", { "ipaddress" } },
	{ "Xinetd", "Xinetd", { "service" } },
	{ "Raid1", "Raid1", { "raidconf", "raiddev" } },
};

struct hr {
	const char *path;
	struct import_cfg *cfg;
	struct import_report *r;
	long line;
};

/* A fresh id made of BASE: BASE, BASE_2, BASE_3 ... */
static char *
unique_id(struct import_cfg *c, const char *base)
{
	char *id = xstrdup(base);

	import_sanitize_id(id);
	for (int n = 2; import_rsc_find(c, id) != NULL; n++) {
		char *next = xasprintf("%s_%d", base, n);

		free(id);
		id = next;
		import_sanitize_id(id);
	}
	return id;
}

static struct import_rsc *
primitive(struct hr *h, const char *base, const char *cls, const char *provider, const char *type)
{
	char *id = unique_id(h->cfg, base);
	struct import_rsc *p = import_rsc_add(h->cfg, IMPORT_PRIMITIVE, id, h->line);
	struct import_op *mon;

	free(id);
	p->cls = xstrdup(cls);
	p->provider = xstrdup(provider);
	p->type = xstrdup(type);
	mon = import_op_add(p, "monitor");
	import_nv_set(&mon->attrs, "interval", strcmp(cls, "ocf") == 0 ? "10s" : "15s");
	import_nv_set(&mon->attrs, "timeout", "20s");
	return p;
}

/* IPaddr's address spec: a.b.c.d[/bits[/nic[/broadcast]]] */
static struct import_rsc *
ip_resource(struct hr *h, const char *spec)
{
	char *s = xstrdup(spec), *parts[4] = { 0 }, *save = NULL, *base;
	int n = 0;
	struct import_rsc *p;

	for (char *t = strtok_r(s, "/", &save); t && n < 4; t = strtok_r(NULL, "/", &save))
		parts[n++] = t;
	if (n == 0 || !import_is_ipv4(parts[0])) {
		import_say(h->r, IMPORT_ERR, h->path, h->line, -1,
		    "'%s' is not an IPv4 address "
		    "spec (a.b.c.d[/bits[/nic[/broadcast]]])",
		    spec);
		free(s);
		return NULL;
	}
	base = xasprintf("IPaddr2_%s", parts[0]);
	p = primitive(h, base, "ocf", "heartbeat", "IPaddr2");
	free(base);
	import_nv_set(&p->params, "ip", parts[0]);
	if (parts[1])
		import_nv_set(&p->params, "cidr_netmask", parts[1]);
	if (parts[2])
		import_nv_set(&p->params, "nic", parts[2]);
	if (parts[3])
		import_nv_set(&p->params, "broadcast", parts[3]);
	free(s);
	return p;
}

/* drbddisk: a promotable DRBD clone; the line's group runs with and after its promoted side. */
static char *
drbd_resource(struct hr *h, const char *res)
{
	char *base = xasprintf("drbd_%s", res), *ms_base = xasprintf("ms_drbd_%s", res), *ms_id;
	struct import_rsc *p = primitive(h, base, "ocf", "linbit", "drbd"), *ms;
	char *pid = xstrdup(p->id);

	import_nv_set(&p->params, "drbd_resource", res);
	import_op_add(p, "monitor"); /* a second monitor for the promoted role */
	p = import_rsc_find(h->cfg, pid);
	import_nv_set(&p->ops[0].attrs, "role", "Unpromoted");
	import_nv_set(&p->ops[0].attrs, "interval", "29s");
	import_nv_set(&p->ops[1].attrs, "role", "Promoted");
	import_nv_set(&p->ops[1].attrs, "interval", "31s");
	import_nv_set(&p->ops[1].attrs, "timeout", "20s");
	ms_id = unique_id(h->cfg, ms_base);
	ms = import_rsc_add(h->cfg, IMPORT_MS, ms_id, h->line);
	import_nv_set(&ms->meta, "promoted-max", "1");
	import_nv_set(&ms->meta, "clone-max", "2");
	import_nv_set(&ms->meta, "notify", "true");
	import_rsc_add_child(h->cfg, import_rsc_find(h->cfg, ms_id), pid);
	import_say(h->r, IMPORT_NOTE, h->path, h->line, -1,
	    "drbddisk::%s: a promotable clone "
	    "%s of ocf:linbit:drbd (drbd-utils' agent); the rest of the line runs with its "
	    "promoted side, after the promotion",
	    res, ms_id);
	free(base), free(ms_base), free(pid);
	return ms_id;
}

static struct import_rsc *
script_resource(struct hr *h, const char *name, char **args, int n)
{
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		struct import_rsc *p;
		char *base;

		if (strcmp(name, scripts[i].script) != 0)
			continue;
		if (n > 4 || (n > 0 && scripts[i].params[n - 1] == NULL)) {
			import_say(h->r, IMPORT_ERR, h->path, h->line, -1,
			    "%s takes at most %d "
			    "arguments, not %d",
			    name, n > 4 ? 4 : n - 1, n);
			return NULL;
		}
		/* Filesystem_srv_www (its mount point), apache_1, LVM_vg0 ... */
		base = xasprintf("%s_%s", name,
		    n == 0 ? "1" : args[n > 1 ? 1 : 0] + (args[n > 1 ? 1 : 0][0] == '/'));
		p = primitive(h, base, "ocf", "heartbeat", scripts[i].agent);
		free(base);
		for (int k = 0; k < n; k++)
			import_nv_set(&p->params, scripts[i].params[k], args[k]);
		return p;
	}
	return NULL;
}

/* A service without arguments: an init script if there is one, else a systemd unit. */
static struct import_rsc *
service(struct hr *h, const char *name)
{
	char path[512];
	bool lsb, unit;

	snprintf(path, sizeof(path), "/etc/init.d/%s", name);
	lsb = access(path, X_OK) == 0;
	snprintf(path, sizeof(path), "/lib/systemd/system/%s.service", name);
	unit = access(path, R_OK) == 0;
	if (!lsb && !unit)
		import_say(h->r, IMPORT_NOTE, h->path, h->line, -1,
		    "%s: no init script or systemd "
		    "unit of that name on this machine: made lsb:%s, as Heartbeat would run "
		    "/etc/init.d/%s",
		    name, name, name);
	return primitive(h, name, lsb || !unit ? "lsb" : "systemd", NULL, name);
}

static bool
known_script(const char *name)
{
	for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
		if (strcmp(name, scripts[i].script) == 0)
			return true;
	return false;
}

/* "a.b.c.d" or "a.b.c.d/..." */
static bool
looks_like_ip(const char *spec)
{
	size_t len = strcspn(spec, "/");
	char *head = xstrndup(spec, len);
	bool ip = import_is_ipv4(head);

	free(head);
	return ip;
}

/* One resource spec; the id it became (a primitive, or the drbd clone), or NULL. */
static char *
resource(struct hr *h, const char *spec)
{
	char *s = xstrdup(spec), *args[8], *name = s, *sep, *id = NULL;
	int n = 0;
	struct import_rsc *p = NULL;

	while ((sep = strstr(n == 0 ? name : args[n - 1], "::")) != NULL && n < 8) {
		*sep = '\0';
		args[n++] = sep + 2;
	}
	if (n == 0 && looks_like_ip(name)) {
		p = ip_resource(h, name);
	} else if (!strcmp(name, "IPaddr") || !strcmp(name, "IPaddr2")) {
		if (n != 1)
			import_say(h->r, IMPORT_ERR, h->path, h->line, -1,
			    "%s takes one argument "
			    "(a.b.c.d[/bits[/nic[/broadcast]]])",
			    name);
		else
			p = ip_resource(h, args[0]);
	} else if (!strcmp(name, "drbddisk")) {
		id = drbd_resource(h, n > 0 ? args[0] : "all");
	} else if (!strcmp(name, "SendArp") && n == 1 && strchr(args[0], '/')) {
		char *nic = strchr(args[0], '/');

		*nic++ = '\0';
		p = primitive(h, "SendArp", "ocf", "heartbeat", "SendArp");
		import_nv_set(&p->params, "ip", args[0]);
		import_nv_set(&p->params, "nic", nic);
	} else if (known_script(name)) {
		p = script_resource(h, name, args, n);
	} else if (n == 0) {
		p = service(h, name);
	} else {
		import_say(h->r, IMPORT_SKIP, h->path, h->line, -1,
		    "%s: a Heartbeat resource "
		    "script with arguments whose meaning is not known here: not translated; "
		    "add it as a primitive with its OCF agent's parameter names",
		    spec);
	}
	if (p != NULL)
		id = xstrdup(p->id);
	free(s);
	return id;
}

static void
line_to_cfg(struct hr *h, char **tok, int n, const char *const *ping, size_t n_ping)
{
	char *ids[64], *grp = NULL, *ms = NULL, *top;
	int m = 0;

	for (int i = 1; i < n && m < 64; i++) {
		char *id = resource(h, tok[i]);
		struct import_rsc *rsc = id ? import_rsc_find(h->cfg, id) : NULL;

		if (rsc && rsc->kind == IMPORT_MS && ms != NULL) {
			import_say(h->r, IMPORT_NOTE, h->path, h->line, -1,
			    "%s: a second DRBD "
			    "resource on one line: the group follows only the first (%s)",
			    tok[i], ms);
			free(id);
		} else if (rsc && rsc->kind == IMPORT_MS)
			ms = id;
		else if (id)
			ids[m++] = id;
	}
	if (m == 0) {
		free(ms);
		return;
	}
	if (m > 1) {
		char *base = xasprintf("group_%s", tok[0]);
		struct import_rsc *g;

		grp = unique_id(h->cfg, base);
		free(base);
		g = import_rsc_add(h->cfg, IMPORT_GROUP, grp, h->line);
		(void)g;
		for (int i = 0; i < m; i++)
			import_rsc_add_child(h->cfg, import_rsc_find(h->cfg, grp), ids[i]);
	}
	top = grp ? grp : ids[0];
	{
		char *lid = xasprintf("location-%s-%s", top, tok[0]);
		struct import_location *l;

		import_sanitize_id(lid);
		l = import_location_add(h->cfg, lid, top);
		l->node = xstrdup(tok[0]);
		l->score = xstrdup("100");
		free(lid);
		if (n_ping > 0) {
			struct import_rule *ru;

			lid = xasprintf("location-%s-ping", top);
			l = import_location_add(h->cfg, lid, top);
			free(lid);
			ru = import_rule_add(l, "-INFINITY");
			ru->bool_op = xstrdup("or");
			import_expr_add(ru, "pingd", "not_defined", NULL);
			import_expr_add(ru, "pingd", "lte", "0");
		}
	}
	if (ms) {
		char *cid = xasprintf("colocation-%s-with-%s", top, ms);
		char *oid = xasprintf("order-%s-then-%s", ms, top);
		struct import_colocation *k = import_colocation_add(h->cfg, cid, "INFINITY", top, ms);
		struct import_order *o = import_order_add(h->cfg, oid, "INFINITY", ms, top);

		k->with_role = xstrdup("Promoted");
		o->first_action = xstrdup("promote");
		o->then_action = xstrdup("start");
		free(cid), free(oid), free(ms);
	}
	import_say(h->r, IMPORT_INFO, h->path, h->line, -1, "%s: %s %s on %s by preference", tok[0],
	    grp ? "group" : "resource", top, tok[0]);
	free(grp);
	for (int i = 0; i < m; i++)
		free(ids[i]);
}

static void
ping_clone(struct hr *h, const char *const *ping, size_t n_ping)
{
	struct pl_buf hosts = PL_BUF_INIT;
	struct import_rsc *p, *c;

	for (size_t i = 0; i < n_ping; i++)
		pl_buf_addf(&hosts, "%s%s", i ? " " : "", ping[i]);
	h->line = 0;
	p = primitive(h, "ping", "ocf", "pacemaker", "ping");
	import_nv_set(&p->params, "host_list", pl_buf_str(&hosts));
	import_nv_set(&p->params, "multiplier", "100");
	import_nv_set(&p->params, "dampen", "5s");
	import_nv_set(&p->ops[0].attrs, "timeout", "60s");
	c = import_rsc_add(h->cfg, IMPORT_CLONE, "ping-clone", 0);
	(void)c;
	import_rsc_add_child(h->cfg, import_rsc_find(h->cfg, "ping-clone"), "ping");
	pl_buf_free(&hosts);
}

bool
import_haresources(const char *path, struct import_cfg *c, const char *const *ping, size_t n_ping,
    struct import_report *r)
{
	struct pl_error err = PL_ERROR_INIT;
	size_t text_len = 0;
	char *text = pl_read_file(path, &text_len, &err);
	struct hr h = { path, c, r, 0 };
	int errs = r->counts[IMPORT_ERR];
	long line = 0;
	struct pl_buf joined = PL_BUF_INIT;

	if (text == NULL) {
		import_say(r, IMPORT_ERR, path, 0, -1, "%s", err.text);
		return false;
	}
	if (!import_text_check(path, text, text_len, r)) {
		free(text);
		return false;
	}
	if (n_ping > 0)
		ping_clone(&h, ping, n_ping);
	for (char *l = text, *next; l != NULL; l = next) {
		char *tok[64], *ts = NULL, *hash;
		size_t len;
		int n = 0;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if ((hash = strchr(l, '#')))
			*hash = '\0';
		len = strlen(l);
		if (joined.len == 0)
			h.line = line;
		if (len > 0 && l[len - 1] == '\\') {
			l[len - 1] = ' ';
			pl_buf_add(&joined, l);
			continue;
		}
		pl_buf_add(&joined, l);
		for (char *t = strtok_r(joined.s, " \t\r", &ts); t && n < 64;
		     t = strtok_r(NULL, " \t\r", &ts))
			tok[n++] = t;
		if (n == 1)
			import_say(r, IMPORT_ERR, path, h.line, -1,
			    "node %s has no resources on "
			    "this line",
			    tok[0]);
		else if (n > 1)
			line_to_cfg(&h, tok, n, ping, n_ping);
		pl_buf_truncate(&joined, 0);
	}
	pl_buf_free(&joined);
	free(text);
	return r->counts[IMPORT_ERR] == errs;
}
