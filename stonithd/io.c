/*
 * io.c - paceline-stonithd's connections: the core's ops (peer messages over the membership
 * group `stonithd`, agents, results), the CIB (devices reloaded on every configuration
 * change), the one timer at the core's next deadline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>

#include "agents.h"
#include "history.h"
#include "paceline/buf.h"
#include "paceline/cib_client.h"
#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/mtime.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "peer.h"
#include "stonithd.h"

#define GROUP	       "stonithd"
#define CIB_CLIENT     "stonithd"
#define CIB_TIMEOUT_MS 30000
#define RELOAD_MS      200 /* coalesce bursts of configuration changes */

static struct {
	struct stonithd *core;
	struct pl_membership *memb;
	struct pl_cib_conn *cib;
	struct pl_peer *peers;
	uint32_t nodeid;
	char name[256];
	struct stonithd_config cfg;
	struct stonithd_device **manual; /* registered by hand, kept across reloads */
	size_t n_manual;
	struct stonithd_level *level_changes; /* stonith_admin -r/-d, applied after reloads */
	size_t n_level_changes;
	guint timer, reload;
	bool in_group;
} io;

static uint64_t
now_ms(void)
{
	return pl_mono_ms();
}

static void input_done(void);

static gboolean
on_timer(gpointer arg)
{
	(void)arg;
	io.timer = 0;
	stonithd_tick(io.core, now_ms());
	input_done();
	return G_SOURCE_REMOVE;
}

static void
input_done(void)
{
	uint64_t dl, now = now_ms();

	if (io.timer)
		g_source_remove(io.timer);
	io.timer = 0;
	if (io.core == NULL || (dl = stonithd_next_deadline(io.core)) == UINT64_MAX)
		return;
	io.timer = g_timeout_add(dl > now ? (guint)(dl - now) : 0, on_timer, NULL);
}

/* ---- peer messages ------------------------------------------------------------------ */

static bool
encode_msg(pl_peer_send_fn send, void *send_arg, void *arg, struct pl_error *err)
{
	return stonithd_peer_send(io.peers, send, send_arg, arg, err);
}

/* Queued (lib/membership's ordered queue): the main loop never waits for paceline-membership,
 * and messages sent in a burst leave together in a batch. */
static void
op_send(void *arg, const struct stonithd_msg *m)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	if (!pl_membership_queue_encoded(io.memb, GROUP, encode_msg, (void *)m, NULL, NULL, &err))
		log_warnx("cannot send %s: %s", stonithd_msg_name(m->type), err.text);
}

static void
deliver(struct stonithd_msg *m, void *arg)
{
	(void)arg;
	stonithd_recv(io.core, m, now_ms());
	input_done();
}

static void
on_cleanup(const struct pl_peer_msg *pm, void *arg)
{
	uint64_t id;
	const char *target;

	(void)arg;
	pl_peer_unpack(pm, &id, &target);
	log_notice("fencing history of %s cleaned up (asked by %s)",
	    *target ? target : "every node", pl_membership_node_name(io.memb, pm->nodeid));
	history_cleanup(target);
}

static void
on_history_sync(const struct pl_peer_msg *pm, void *arg)
{
	const char *xml;
	int n;

	(void)arg;
	pl_peer_unpack(pm, &xml);
	if (pm->nodeid == io.nodeid)
		return;
	n = history_merge(xml);
	if (n > 0)
		log_info("fencing history: %d entr%s learnt from %s", n, n == 1 ? "y" : "ies",
		    pl_membership_node_name(io.memb, pm->nodeid));
}

/* Nodes joined: the member with the lowest id among those already here sends its history. */
static void
sync_history(const struct pl_membership_member *members, unsigned n,
    const struct pl_membership_member *joined, unsigned nj)
{
	uint32_t lowest = 0;
	struct pl_buf b = { 0 };
	struct pl_error err = PL_ERROR_INIT;

	for (unsigned i = 0; i < n; i++) {
		bool is_new = false;
		for (unsigned j = 0; j < nj && !is_new; j++)
			is_new = joined[j].nodeid == members[i].nodeid;
		if (!is_new && (lowest == 0 || members[i].nodeid < lowest))
			lowest = members[i].nodeid;
	}
	if (lowest != io.nodeid || history_count() == 0)
		return;
	history_xml(NULL, &b);
	if (!pl_membership_queue_peer(io.memb, GROUP, io.peers, NULL, NULL, &err,
		PL_PEER_STONITHD_HISTORY_SYNC, pl_buf_str(&b)))
		log_warnx("cannot send the fencing history to the nodes that joined: %s", err.text);
	pl_buf_free(&b);
}

/* ---- the core's ops ----------------------------------------------------------------- */

static struct stonithd_device *
device_by_id(const char *id)
{
	struct stonithd_device *d = devices_find(&io.cfg, id);

	for (size_t i = 0; d == NULL && i < io.n_manual; i++)
		if (strcmp(io.manual[i]->id, id) == 0)
			d = io.manual[i];
	return d;
}

char **
stonithd_io_devices(const char *target, size_t *n)
{
	char **v = xcalloc(io.cfg.n_devices + io.n_manual + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < io.cfg.n_devices + io.n_manual; i++) {
		struct stonithd_device *d =
		    i < io.cfg.n_devices ? io.cfg.devices[i] : io.manual[i - io.cfg.n_devices];
		if (target && *target ? devices_can_fence(d, target) : d->allowed)
			v[(*n)++] = xstrdup(d->id);
	}
	return v;
}

static size_t
op_capable(void *arg, const char *target, const char *action, char ***out)
{
	size_t n;

	(void)arg;
	(void)action;
	*out = stonithd_io_devices(target, &n);
	return n;
}

static size_t
op_levels(void *arg, const char *target, char **levels[STONITHD_MAX_LEVELS],
    size_t n_dev[STONITHD_MAX_LEVELS])
{
	(void)arg;
	return devices_levels_for(&io.cfg, target, levels, n_dev, STONITHD_MAX_LEVELS);
}

struct exec_ctx {
	uint64_t id;
	char *device;
	int rc;
	char *reason;
};

/* From the loop, never from inside the core's exec op (an agent that cannot start answers
 * at once). */
static gboolean
exec_done_idle(gpointer arg)
{
	struct exec_ctx *x = arg;

	if (io.core) {
		stonithd_exec_done(io.core, x->id, x->rc == 0 ? 0 : 1, x->reason, now_ms());
		input_done();
	}
	free(x->device);
	free(x->reason);
	free(x);
	return G_SOURCE_REMOVE;
}

static void
exec_done(void *arg, int rc, const char *output, const char *reason)
{
	struct exec_ctx *x = arg;

	(void)output;
	log_info("device %s finished: rc=%d%s%s", x->device, rc, *reason ? " " : "", reason);
	x->rc = rc;
	x->reason = xstrdup(reason);
	g_idle_add(exec_done_idle, x);
}

static void
op_exec(void *arg, uint64_t id, const char *device, const char *action, const char *target,
    uint32_t timeout_ms)
{
	struct stonithd_device *d = device_by_id(device);
	struct exec_ctx *x;
	uint32_t delay = 0, tmo = timeout_ms;

	(void)arg;
	x = XNEW(struct exec_ctx);
	x->id = id;
	x->device = xstrdup(device);
	if (d == NULL) {
		exec_done(x, -1, "", "the device is not registered on this node");
		return;
	}
	if (strcmp(action, "on") != 0) {
		delay = devices_delay_base(d, target);
		if (d->delay_max_ms > delay)
			delay +=
			    (uint32_t)g_random_int_range(0, (gint32)(d->delay_max_ms - delay + 1));
	}
	if (d->action_timeout_ms && d->action_timeout_ms < tmo)
		tmo = d->action_timeout_ms;
	if (delay >= tmo)
		delay = tmo / 2;
	agents_start(d, devices_agent_action(d, action), target, tmo - delay, delay, exec_done, x);
}

static gboolean
fenced_exit(gpointer arg)
{
	(void)arg;
	/* 100: the launcher does not respawn us and stops this node's whole stack */
	exit(PL_EXIT_FATAL);
}

static void
op_result(void *arg, const struct stonithd_result *r)
{
	(void)arg;
	history_add(r);
	stonithd_server_result(r);
	/* fence-reaction: this node was fenced (or confirmed down) and still runs */
	if (r->rc == STONITHD_RC_OK && strcasecmp(r->target, io.name) == 0 &&
	    strcmp(r->action, "on") != 0) {
		log_err("this node was fenced (%s by %s, asked by %s): fence-reaction=%s, stopping "
			"the cluster stack here%s",
		    r->action, *r->delegate ? r->delegate : "?", r->origin,
		    io.cfg.fence_reaction ? io.cfg.fence_reaction : "stop",
		    io.cfg.fence_reaction && strcmp(io.cfg.fence_reaction, "panic") == 0
			? " (panic: the host is not rebooted by Paceline)"
			: "");
		g_timeout_add(200, fenced_exit, NULL);
	}
}

static const char *
op_node_name(void *arg, uint32_t nodeid)
{
	(void)arg;
	return io.memb ? pl_membership_node_name(io.memb, nodeid) : "";
}

static uint64_t
op_wall_ms(void *arg)
{
	(void)arg;
	return pl_wall_ms();
}

/* ---- the CIB ------------------------------------------------------------------------ */

static void
list_done(void *arg, int rc, const char *output, const char *reason)
{
	char *id = arg;
	struct stonithd_device *d = device_by_id(id);

	if (d && rc == 0) {
		for (size_t i = 0; i < d->n_listed; i++)
			free(d->listed[i]);
		free(d->listed);
		d->listed = NULL;
		d->n_listed = 0;
		/* fence-agents print "port,alias" lines; cluster-glue one name a line */
		for (const char *p = output; *p;) {
			size_t len = strcspn(p, "\n");
			size_t w = strcspn(p, ", \t\n");
			if (w > 0) {
				d->listed = xreallocarray(d->listed, d->n_listed + 1, sizeof(char *));
				d->listed[d->n_listed++] = xstrndup(p, w);
			}
			p += len + (p[len] ? 1 : 0);
		}
		d->listed_valid = true;
		log_info("device %s lists %zu node(s)", id, d->n_listed);
	} else if (d) {
		log_warnx("device %s: list failed (%s)", id, reason);
	}
	free(id);
}

static void
list_dynamic(void)
{
	for (size_t i = 0; i < io.cfg.n_devices; i++) {
		struct stonithd_device *d = io.cfg.devices[i];
		if (d->allowed && d->check == STONITHD_CHECK_DYNAMIC)
			agents_start(d, "list", NULL, 20000, 0, list_done, xstrdup(d->id));
	}
}

static void
reload(void)
{
	struct pl_cib_request req = { .op = PL_CIB_OP_QUERY };
	struct pl_error err = PL_ERROR_INIT;
	struct stonithd_config cfg = { 0 };
	xmlNode *out = NULL;
	xmlDoc *doc;

	if (pl_cib_call(io.cib, &req, CIB_TIMEOUT_MS, &out, NULL, &err) != 0 || out == NULL) {
		log_warnx("cannot read the CIB: %s", err.text);
		return;
	}
	doc = pl_xml_copy_doc(out);
	pl_cib_output_free(out);
	devices_load(&cfg, doc, io.name);
	xmlFreeDoc(doc);
	/* keep what dynamic lists said of devices that did not change type */
	for (size_t i = 0; i < cfg.n_devices; i++) {
		struct stonithd_device *old = devices_find(&io.cfg, cfg.devices[i]->id);
		if (old && old->listed_valid && strcmp(old->type, cfg.devices[i]->type) == 0) {
			cfg.devices[i]->listed = old->listed;
			cfg.devices[i]->n_listed = old->n_listed;
			cfg.devices[i]->listed_valid = true;
			old->listed = NULL;
			old->n_listed = 0;
		}
	}
	devices_clear(&io.cfg);
	io.cfg = cfg;
	for (size_t i = 0; i < io.n_level_changes; i++)
		devices_level_apply(&io.cfg, &io.level_changes[i]);
	if (io.core)
		stonithd_set_concurrent(io.core, io.cfg.concurrent);
	log_info("configuration: %zu device(s), %zu topology level(s), stonith-enabled=%s",
	    io.cfg.n_devices, io.cfg.n_levels, io.cfg.enabled ? "true" : "false");
	list_dynamic();
}

static gboolean
reload_now(gpointer arg)
{
	(void)arg;
	io.reload = 0;
	reload();
	return G_SOURCE_REMOVE;
}

static bool
touches_config(const struct pl_cib_notify *n)
{
	xmlNode *root = n->patchset ? xmlDocGetRootElement(n->patchset) : NULL;

	if (root == NULL || pl_xml_attr(root, "truncated"))
		return true;
	PL_XML_FOREACH_CHILD(root, "change", ch)
	{
		const char *path = pl_xml_attr(ch, "path");
		if (path == NULL || strncmp(path, "/cib/status", 11) != 0)
			return true;
	}
	return false;
}

static void
on_cib_event(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	struct pl_cib_notify n;

	(void)c;
	(void)arg;
	if (ev->type != PL_MSG_CIB_NOTIFY || !pl_cib_notify_decode(ev, &n))
		return;
	if (touches_config(&n) && io.reload == 0)
		io.reload = g_timeout_add(RELOAD_MS, reload_now, NULL);
	pl_cib_notify_clear(&n);
}

static void
on_cib_gone(struct pl_ipc_conn *c, void *arg)
{
	(void)c;
	(void)arg;
	fatalx("lost the connection to paceline-cib");
}

/* ---- membership --------------------------------------------------------------------- */

static void
on_group_change(struct pl_membership *mb, const char *group,
    const struct pl_membership_member *members, unsigned n, const struct pl_membership_member *joined,
    unsigned nj, const struct pl_membership_member *left, unsigned nl, void *arg)
{
	uint32_t ids[STONITHD_MAX_MEMBERS];
	size_t k = 0;

	(void)mb;
	(void)arg;
	if (strcmp(group, GROUP) != 0)
		return;
	for (unsigned i = 0; i < nl; i++) {
		pl_peer_forget(io.peers, left[i].nodeid, left[i].pid);
		log_notice("%s left the fencing group", left[i].name ? left[i].name : "?");
	}
	for (unsigned i = 0; i < n && k < STONITHD_MAX_MEMBERS; i++) {
		bool dup = false;
		for (size_t j = 0; j < k && !dup; j++)
			dup = ids[j] == members[i].nodeid;
		if (!dup)
			ids[k++] = members[i].nodeid;
	}
	io.in_group = true;
	stonithd_members(io.core, ids, k, now_ms());
	input_done();
	if (nj > 0)
		sync_history(members, n, joined, nj);
}

static void
on_deliver(struct pl_membership *mb, const char *group, uint32_t nodeid, uint32_t pid,
    const void *data, size_t len, void *arg)
{
	(void)mb;
	(void)arg;
	if (strcmp(group, GROUP) == 0)
		pl_peer_receive(io.peers, nodeid, pid, data, len);
}

static void
on_memb_gone(struct pl_membership *mb, void *arg)
{
	(void)mb;
	(void)arg;
	fatalx("lost the connection to paceline-membership");
}

/* ---- requests from server.c --------------------------------------------------------- */

uint64_t
stonithd_io_fence(const char *target, const char *action, const char *client, uint32_t timeout_ms,
    uint32_t flags, uint32_t delay_ms, struct pl_error *err)
{
	uint64_t id;

	if (strcmp(action, "reboot") != 0 && strcmp(action, "off") != 0 && strcmp(action, "on") != 0) {
		pl_error_set(
		    err, PL_EXIT_USAGE, "unknown fencing action '%s' (reboot, off or on)", action);
		return 0;
	}
	if (*target == '\0') {
		pl_error_set(err, PL_EXIT_USAGE, "no target node given");
		return 0;
	}
	id = stonithd_fence(io.core, target, action, client,
	    timeout_ms ? timeout_ms : io.cfg.timeout_ms, flags, delay_ms, now_ms());
	input_done();
	if (id == 0)
		pl_error_set(err, PL_EXIT_DISCONNECT,
		    "this node's fencer has not joined the fencing group yet");
	return id;
}

bool
stonithd_io_register(const char *id, const char *type, const char **kv, size_t n, struct pl_error *err)
{
	if (*id == '\0' || *type == '\0') {
		pl_error_set(err, PL_EXIT_USAGE, "a device needs an id and an agent");
		return false;
	}
	stonithd_io_deregister(id, NULL);
	io.manual = xreallocarray(io.manual, io.n_manual + 1, sizeof(*io.manual));
	io.manual[io.n_manual++] = devices_new(id, type, kv, n, false);
	log_notice("device %s (%s) registered by hand", id, type);
	return true;
}

bool
stonithd_io_deregister(const char *id, struct pl_error *err)
{
	for (size_t i = 0; i < io.n_manual; i++)
		if (strcmp(io.manual[i]->id, id) == 0) {
			devices_free_device(io.manual[i]);
			io.manual[i] = io.manual[--io.n_manual];
			log_notice("device %s deregistered", id);
			return true;
		}
	if (err)
		pl_error_set(err, PL_EXIT_NOSUCH,
		    devices_find(&io.cfg, id) ? "device %s comes from the CIB: remove it there"
					      : "no device %s is registered",
		    id);
	return false;
}

bool
stonithd_io_level(const char *spec, uint32_t index, const char *const *devices, size_t n, bool add,
    struct pl_error *err)
{
	struct stonithd_level lv;

	if (add ? (index < 1 || index > STONITHD_MAX_LEVELS) : index > STONITHD_MAX_LEVELS) {
		pl_error_set(err, PL_EXIT_SOFTWARE, "Invalid argument");
		return false;
	}
	if ((add && n == 0) || !devices_level_parse(spec, index, devices, add ? n : 0, &lv)) {
		log_info("fencing level %u for '%s': nothing to %s", index, spec,
		    add ? "register" : "remove");
		return true;
	}
	size_t removed = devices_level_apply(&io.cfg, &lv);
	/* later reloads of the CIB keep it: replace an earlier change of the same level */
	for (size_t i = 0; i < io.n_level_changes;) {
		struct stonithd_level *c = &io.level_changes[i];
		if (devices_level_same_target(c, &lv) && (index == 0 || c->index == index)) {
			devices_level_free(c);
			io.level_changes[i] = io.level_changes[--io.n_level_changes];
			continue;
		}
		i++;
	}
	io.level_changes =
	    xreallocarray(io.level_changes, io.n_level_changes + 1, sizeof(*io.level_changes));
	io.level_changes[io.n_level_changes++] = lv;
	if (add)
		log_notice("fencing level %u for %s registered by hand (%zu device%s)", index, spec,
		    n, n == 1 ? "" : "s");
	else
		log_notice("fencing level%s %u for %s removed by hand (%zu)", index ? "" : "s",
		    index, spec, removed);
	return true;
}

struct pending_arg {
	const char *target;
	struct pl_buf *out;
};

static void
pending_one(void *arg, const struct stonithd_result *r)
{
	struct pending_arg *a = arg;

	if (a->target == NULL || *a->target == '\0' || strcmp(a->target, r->target) == 0)
		history_xml_pending(r, a->out);
}

void
stonithd_io_history(const char *target, struct pl_buf *out)
{
	struct pending_arg a = { target, out };

	pl_buf_add(out, "<fence-history>\n");
	history_xml_events(target, out);
	if (io.core)
		stonithd_pending(io.core, pending_one, &a);
	pl_buf_add(out, "</fence-history>\n");
}

bool
stonithd_io_cleanup_history(const char *target, struct pl_error *err)
{
	return pl_membership_queue_peer(io.memb, GROUP, io.peers, NULL, NULL, err,
	    PL_PEER_STONITHD_CLEANUP, (uint64_t)0, target);
}

bool
stonithd_io_device_action(const char *id, const char *action,
    void (*done)(void *arg, int rc, const char *output, const char *reason), void *arg,
    struct pl_error *err)
{
	struct stonithd_device *d = device_by_id(id);

	if (d == NULL) {
		pl_error_set(err, PL_EXIT_NOSUCH, "no device %s is registered on this node", id);
		return false;
	}
	agents_start(d, action, NULL, io.cfg.timeout_ms ? io.cfg.timeout_ms : 60000, 0, done, arg);
	return true;
}

/* ---- start and stop ----------------------------------------------------------------- */

static bool
connect_all(int wait_ms, struct pl_error *err)
{
	static const struct pl_ipc_conn_ops cops = { .event = on_cib_event,
		.disconnected = on_cib_gone };
	struct pl_membership_status *st = XNEW(struct pl_membership_status);
	uint64_t deadline = pl_mono_ms() + (uint64_t)wait_ms;
	struct pl_cib_version v;
	bool ok = false;

	for (;;) {
		pl_error_clear(err);
		io.memb = pl_membership_connect(1000, err);
		if (io.memb != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (io.memb == NULL || !pl_membership_status(io.memb, st, err)) {
		pl_error_prefix(err, "paceline-membership: ");
		goto out;
	}
	io.nodeid = st->nodeid;
	snprintf(io.name, sizeof(io.name), "%s", pl_membership_node_name(io.memb, st->nodeid));
	for (;;) {
		pl_error_clear(err);
		io.cib = pl_cib_connect(1000, CIB_CLIENT, err);
		if (io.cib != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (io.cib == NULL || pl_cib_subscribe(io.cib, true, &v, err) != 0) {
		pl_error_prefix(err, "paceline-cib: ");
		goto out;
	}
	pl_ipc_conn_attach(pl_cib_ipc(io.cib), NULL, &cops, NULL);
	ok = true;
out:
	free(st);
	return ok;
}

bool
stonithd_io_start(int wait_ms, struct pl_error *err)
{
	static const struct stonithd_ops ops = {
		.send = op_send,
		.capable = op_capable,
		.levels = op_levels,
		.exec = op_exec,
		.result = op_result,
		.node_name = op_node_name,
		.wall_ms = op_wall_ms,
	};
	static const struct pl_membership_ops mops = {
		.deliver = on_deliver,
		.group_change = on_group_change,
		.disconnected = on_memb_gone,
	};
	char *dir;

	if (!connect_all(wait_ms, err))
		return false;
	dir = xstrdup(pl_daemon_state_dir());
	history_open(dir);
	free(dir);
	reload();
	io.peers = stonithd_peer_new(PL_MEMBERSHIP_PEER_FRAME_MAX, deliver, NULL);
	pl_peer_handle(io.peers, PL_PEER_STONITHD_CLEANUP, on_cleanup);
	pl_peer_handle(io.peers, PL_PEER_STONITHD_HISTORY_SYNC, on_history_sync);
	io.core = stonithd_new(io.nodeid, &ops, NULL);
	stonithd_set_concurrent(io.core, io.cfg.concurrent);
	log_notice("node %s (id %u): fencer starting", io.name, io.nodeid);
	pl_membership_attach(io.memb, NULL, &mops, NULL);
	if (!pl_membership_join(io.memb, GROUP, err)) {
		pl_error_prefix(err, "paceline-membership: ");
		return false;
	}
	return true;
}

void
stonithd_io_cleanup(void)
{
	if (io.timer)
		g_source_remove(io.timer);
	if (io.reload)
		g_source_remove(io.reload);
	io.timer = io.reload = 0;
	stonithd_free(io.core);
	io.core = NULL;
	if (io.cib)
		pl_cib_disconnect(io.cib);
	io.cib = NULL;
	if (io.memb)
		pl_membership_disconnect(io.memb);
	io.memb = NULL;
	if (io.peers)
		pl_peer_free(io.peers);
	io.peers = NULL;
	devices_clear(&io.cfg);
	for (size_t i = 0; i < io.n_manual; i++)
		devices_free_device(io.manual[i]);
	free(io.manual);
	for (size_t i = 0; i < io.n_level_changes; i++)
		devices_level_free(&io.level_changes[i]);
	free(io.level_changes);
	io.level_changes = NULL;
	io.n_level_changes = 0;
	io.manual = NULL;
	io.n_manual = 0;
	history_close();
}
