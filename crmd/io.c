/*
 * io.c - paceline-crmd's I/O around the pure controller (fsm.h): membership (the ring, quorum
 * and the `crmd` group, whose messages are the peer table's, peer.c), paceline-pengine, the
 * one timer, and the ops table that cibio.c and lrmio.c complete. Also the answers the IPC
 * server needs: the node list, a peer's state, refresh/cleanup and node removal.
 *
 * Time: the state machine gets monotonic milliseconds; wall clock only for the start stamp
 * in votes and for what the CIB records.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "attrdio.h"
#include "io.h"
#include "paceline/cib.h"
#include "paceline/cib_client.h"
#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/mtime.h"
#include "paceline/pengine_client.h"
#include "paceline/xalloc.h"
#include "peer.h"
#include "status.h"

#define GROUP		   "crmd"
#define PENGINE_TIMEOUT_MS 120000
#define STATE_QUERY_MS	   5000

struct crmd_io io;
static struct pl_peer *peers;

uint64_t
io_now(void)
{
	return pl_mono_ms();
}

char *
io_node_id_str(uint32_t nodeid)
{
	return xasprintf("%" PRIu32, nodeid);
}

/* ---- deferral and the timer --------------------------------------------------------- */

struct deferred {
	void (*fn)(void *arg);
	void *arg;
};

static gboolean
run_deferred(gpointer p)
{
	struct deferred *d = p;

	d->fn(d->arg);
	free(d);
	return G_SOURCE_REMOVE;
}

void
io_defer(void (*fn)(void *arg), void *arg)
{
	struct deferred *d = XNEW(struct deferred);

	d->fn = fn;
	d->arg = arg;
	g_idle_add(run_deferred, d);
}

static gboolean
on_timer(gpointer p)
{
	(void)p;
	io.timer = 0;
	if (io.fsm != NULL) {
		crmd_tick(io.fsm, io_now());
		io_input_done();
	}
	return G_SOURCE_REMOVE;
}

void
io_input_done(void)
{
	uint64_t dl, now = io_now();

	if (io.timer != 0)
		g_source_remove(io.timer);
	io.timer = 0;
	if (io.fsm == NULL || (dl = crmd_next_deadline(io.fsm)) == UINT64_MAX)
		return;
	io.timer = g_timeout_add(dl > now ? (guint)(dl - now) : 0, on_timer, NULL);
}

/* ---- membership --------------------------------------------------------------------- */

static struct crmd_node_view *
view_of(uint32_t nodeid)
{
	for (unsigned i = 0; i < io.n_nodes; i++)
		if (io.nodes[i].nodeid == nodeid)
			return &io.nodes[i];
	if (io.n_nodes < CRMD_MAX_NODES) {
		struct crmd_node_view *v = &io.nodes[io.n_nodes++];

		memset(v, 0, sizeof(*v));
		v->nodeid = nodeid;
		snprintf(v->name, sizeof(v->name), "%s",
		    io.memb ? pl_membership_node_name(io.memb, nodeid) : "");
		return v;
	}
	return NULL;
}

/* Give the state machine the configuration, when it differs from the last one given. */
static void
configuration_changed(void)
{
	struct crmd_member m[CRMD_MAX_NODES];
	GString *key = g_string_new(NULL);
	size_t n = 0;

	for (unsigned i = 0; i < io.n_nodes; i++) {
		const struct crmd_node_view *v = &io.nodes[i];

		if (!v->member)
			continue;
		m[n].nodeid = v->nodeid;
		m[n].name = v->name;
		m[n].crmd = v->crmd;
		g_string_append_printf(key, "%u%s,", v->nodeid, v->crmd ? "c" : "");
		n++;
	}
	g_string_append_printf(key, "q%d", io.quorate);
	if (io.last_view && strcmp(io.last_view, key->str) == 0) {
		g_string_free(key, TRUE);
		return;
	}
	free(io.last_view);
	io.last_view = g_string_free(key, FALSE);
	log_info("configuration: %zu member(s) of %u, %s [%s]", n, io.n_nodes,
	    io.quorate ? "quorate" : "without quorum", io.last_view);
	crmd_membership(io.fsm, m, n, io.n_nodes, io.quorate, io_now());
	io_input_done();
}

static void
on_group_change(struct pl_membership *mb, const char *group,
    const struct pl_membership_member *members, unsigned n, const struct pl_membership_member *joined,
    unsigned nj, const struct pl_membership_member *left, unsigned nl, void *arg)
{
	(void)mb;
	(void)joined;
	(void)nj;
	(void)arg;
	if (strcmp(group, GROUP) != 0)
		return;
	for (unsigned i = 0; i < nl; i++)
		pl_peer_forget(peers, left[i].nodeid, left[i].pid);
	for (unsigned i = 0; i < io.n_nodes; i++)
		io.nodes[i].crmd = false;
	for (unsigned i = 0; i < n; i++) {
		struct crmd_node_view *v = view_of(members[i].nodeid);

		if (v == NULL)
			continue;
		v->crmd = true;
		if (!io.have_ring)
			v->member = true; /* until the first quorum event names the ring */
	}
	configuration_changed();
}

static void
on_quorum(struct pl_membership *mb, bool quorate, uint32_t expected, uint32_t total,
    uint32_t quorum, const uint32_t *members, unsigned n, void *arg)
{
	(void)mb;
	(void)expected;
	(void)total;
	(void)quorum;
	(void)arg;
	io.quorate = quorate;
	io.have_ring = true;
	for (unsigned i = 0; i < io.n_nodes; i++)
		io.nodes[i].member = false;
	for (unsigned i = 0; i < n; i++) {
		struct crmd_node_view *v = view_of(members[i]);

		if (v != NULL)
			v->member = true;
	}
	configuration_changed();
}

static void
on_deliver(struct pl_membership *mb, const char *group, uint32_t nodeid, uint32_t pid,
    const void *data, size_t len, void *arg)
{
	(void)mb;
	(void)arg;
	if (strcmp(group, GROUP) == 0)
		pl_peer_receive(peers, nodeid, pid, data, len);
}

static void
on_memb_gone(struct pl_membership *mb, void *arg)
{
	(void)mb;
	(void)arg;
	fatalx("lost the connection to paceline-membership");
}

/* ---- peer messages ------------------------------------------------------------------ */

struct peer_out {
	const struct crmd_msg *m;
	const char *state;
};

static bool
encode_msg(pl_peer_send_fn send, void *send_arg, void *arg, struct pl_error *err)
{
	struct peer_out *o = arg;

	return crmd_peer_send(peers, send, send_arg, o->m, o->state, err);
}

/* Queued (lib/membership's ordered queue): the main loop never waits for paceline-membership,
 * and messages sent in a burst (a transition's actions) leave together in a batch. */
static void
peer_send(const struct crmd_msg *m, const char *state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct peer_out o = { m, state };

	if (!pl_membership_queue_encoded(io.memb, GROUP, encode_msg, &o, NULL, NULL, &err))
		log_warnx("cannot send %s to %s: %s",
		    m->type < CRMD_MSG_TYPE_MAX ? crmd_msg_name(m->type) : "state",
		    m->to ? crmd_io_node_name(m->to) : "every controller", err.text);
}

/* pending crmadmin -S NODE questions, by request number */
struct state_query {
	uint64_t id;
	uint32_t nodeid;
	guint timer;
	void (*done)(const char *state, void *arg);
	void *arg;
};
static GHashTable *queries; /* id -> struct state_query */
static uint64_t next_query = 1;

static void
query_finish(uint64_t id, const char *state)
{
	struct state_query *q = g_hash_table_lookup(queries, &id);

	if (q == NULL)
		return;
	if (q->timer)
		g_source_remove(q->timer);
	q->done(state, q->arg);
	g_hash_table_remove(queries, &id);
}

static void
on_peer(struct crmd_peer_msg *pm, void *arg)
{
	struct crmd_msg *m = &pm->m;

	(void)arg;
	if (m->to != 0 && m->to != io.nodeid)
		return;
	if (m->to == 0 && m->from == io.nodeid)
		return; /* our own broadcast, delivered back by the group */
	if ((int)m->type == CRMD_PEER_STATE_QUERY) {
		struct crmd_msg a = { .type = (enum crmd_msg_type)CRMD_PEER_STATE_ANSWER,
			.to = m->from,
			.id = m->id };

		peer_send(&a, crmd_state_name(crmd_get_state(io.fsm)));
		return;
	}
	if ((int)m->type == CRMD_PEER_STATE_ANSWER) {
		query_finish(m->id, pm->state);
		return;
	}
	log_debug("received %s from %s", crmd_msg_name(m->type), crmd_io_node_name(m->from));
	crmd_recv(io.fsm, m, io_now());
	io_input_done();
}

static gboolean
query_timeout(gpointer p)
{
	struct state_query *q = p;

	q->timer = 0;
	query_finish(q->id, NULL);
	return G_SOURCE_REMOVE;
}

void
crmd_io_ask_state(uint32_t nodeid, void (*done)(const char *state, void *arg), void *arg)
{
	struct state_query *q = XNEW(struct state_query);
	struct crmd_msg m = { .type = (enum crmd_msg_type)CRMD_PEER_STATE_QUERY, .to = nodeid };

	q->id = next_query++;
	q->nodeid = nodeid;
	q->done = done;
	q->arg = arg;
	q->timer = g_timeout_add(STATE_QUERY_MS, query_timeout, q);
	g_hash_table_insert(queries, &q->id, q);
	m.id = q->id;
	peer_send(&m, NULL);
}

/* ---- pengine ------------------------------------------------------------------------ */

static void
on_graph(const struct pl_pengine_result *res, const struct pl_error *err, void *arg)
{
	uint64_t ref = (uint64_t)(uintptr_t)arg;

	if (res == NULL)
		log_warnx("pengine could not compute transition %" PRIu64 ": %s", ref,
		    err ? err->text : "?");
	else
		log_info(
		    "pengine computed transition %u (request %" PRIu64 ")", res->transition, ref);
	if (io.fsm) {
		crmd_pe_graph(io.fsm, ref, res ? res->graph : NULL, io_now());
		io_input_done();
	}
}

static void
pengine_failed(void *arg)
{
	on_graph(NULL, NULL, arg);
}

/* The scheduler reads the CIB once every result recorded so far is in it. */
static void
pengine_ask(void *arg)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pengine_request rq = PL_PENGINE_REQUEST_INIT;
	char *cib = cibio_query_text(&err);

	if (cib == NULL) {
		log_warnx("cannot read the CIB for pengine: %s", err.text);
		pengine_failed(arg);
		return;
	}
	if (io.pe == NULL ||
	    pl_pengine_compute_async(io.pe, cib, &rq, PENGINE_TIMEOUT_MS, on_graph, arg, &err) == 0) {
		log_warnx("cannot ask pengine: %s", io.pe ? err.text : "not connected");
		pengine_failed(arg);
	}
	free(cib);
}

static void
op_pe_request(void *arg, uint64_t ref)
{
	(void)arg;
	cibio_when_flushed(pengine_ask, (void *)(uintptr_t)ref);
}

static void
on_pe_gone(struct pl_ipc_conn *c, void *arg)
{
	(void)c;
	(void)arg;
	fatalx("lost the connection to paceline-pengine");
}

/* ---- the rest of the ops ------------------------------------------------------------ */

static void
op_send(void *arg, const struct crmd_msg *m)
{
	(void)arg;
	peer_send(m, NULL);
}

static void
op_state_changed(void *arg, enum crmd_state from, enum crmd_state to)
{
	(void)arg;
	io.state = to;
	log_notice("state transition %s -> %s", crmd_state_name(from), crmd_state_name(to));
}

static uint64_t
op_wall_s(void *arg)
{
	(void)arg;
	return (uint64_t)pl_wall_s();
}

static void
op_stopped(void *arg)
{
	(void)arg;
	log_notice("controller stopped");
	pl_daemon_quit();
}

/* ---- start and stop ----------------------------------------------------------------- */

static bool
connect_membership(int wait_ms, struct pl_error *err)
{
	struct pl_membership_status *st = XNEW(struct pl_membership_status);
	uint64_t deadline = pl_mono_ms() + (uint64_t)wait_ms;
	bool ok = false;

	for (;;) {
		pl_error_clear(err);
		io.memb = pl_membership_connect(1000, err);
		if (io.memb != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (io.memb == NULL || !pl_membership_status(io.memb, st, err))
		goto out;
	io.nodeid = st->nodeid;
	snprintf(io.name, sizeof(io.name), "%s", pl_membership_node_name(io.memb, st->nodeid));
	io.n_nodes = 0;
	for (unsigned i = 0; i < st->n_nodes && i < CRMD_MAX_NODES; i++) {
		struct crmd_node_view *v = &io.nodes[io.n_nodes++];

		memset(v, 0, sizeof(*v));
		v->nodeid = st->nodes[i].nodeid;
		snprintf(v->name, sizeof(v->name), "%s", st->nodes[i].name);
	}
	io.quorate = st->quorate;
	ok = true;
out:
	free(st);
	return ok;
}

static bool
connect_pengine(int wait_ms, struct pl_error *err)
{
	static const struct pl_ipc_conn_ops ops = { .disconnected = on_pe_gone };
	uint64_t deadline = pl_mono_ms() + (uint64_t)wait_ms;

	for (;;) {
		pl_error_clear(err);
		io.pe = pl_ipc_connect(PL_SVC_PENGINE, 1000, err);
		if (io.pe != NULL || pl_mono_ms() >= deadline)
			break;
		g_usleep(100000);
	}
	if (io.pe == NULL)
		return false;
	pl_ipc_conn_attach(io.pe, NULL, &ops, NULL);
	return true;
}

bool
crmd_io_start(int wait_ms, struct pl_error *err)
{
	static struct crmd_ops ops;
	static const struct pl_membership_ops mops = {
		.deliver = on_deliver,
		.group_change = on_group_change,
		.quorum = on_quorum,
		.disconnected = on_memb_gone,
	};

	crmd_default_options(&io.opt);
	io.start_fatal = true;
	queries = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, free);
	if (!connect_membership(wait_ms, err)) {
		pl_error_prefix(err, "paceline-membership: ");
		return false;
	}
	if (!cibio_connect(wait_ms, err)) {
		pl_error_prefix(err, "paceline-cib: ");
		return false;
	}
	cibio_write_nodes();
	if (!lrmio_connect(wait_ms, err)) {
		pl_error_prefix(err, "paceline-lrmd: ");
		return false;
	}
	if (!connect_pengine(wait_ms, err)) {
		pl_error_prefix(err, "paceline-pengine: ");
		return false;
	}
	ops.send = op_send;
	ops.pengine_request = op_pe_request;
	ops.state_changed = op_state_changed;
	ops.stopped = op_stopped;
	ops.wall_s = op_wall_s;
	cibio_fill_ops(&ops);
	lrmio_fill_ops(&ops);
	fenceio_fill_ops(&ops);
	fenceio_start();
	peers = crmd_peer_new(PL_MEMBERSHIP_MSG_MAX, on_peer, NULL);
	io.state = CRMD_S_STARTING;
	io.fsm = crmd_new(io.nodeid, io.name, pl_wall_ms(), &io.opt, &ops, NULL);
	log_notice("node %s (id %u): controller starting", io.name, io.nodeid);
	crmd_start(io.fsm, io_now());
	io_input_done();
	/* events from here on: the group's membership and messages, quorum */
	pl_membership_attach(io.memb, NULL, &mops, NULL);
	if (!pl_membership_join(io.memb, GROUP, err) ||
	    !pl_membership_quorum_subscribe(io.memb, err)) {
		pl_error_prefix(err, "paceline-membership: ");
		return false;
	}
	return true;
}

void
crmd_io_shutdown(void)
{
	if (io.fsm == NULL || io.stopping) {
		pl_daemon_quit();
		return;
	}
	io.stopping = true;
	log_notice("shutdown requested: moving resources away first");
	crmd_shutdown(io.fsm, io_now());
	io_input_done();
}

void
crmd_io_cleanup(void)
{
	if (io.timer)
		g_source_remove(io.timer);
	io.timer = 0;
	if (io.fsm)
		crmd_free(io.fsm);
	io.fsm = NULL;
	if (io.pe)
		pl_ipc_disconnect(io.pe);
	io.pe = NULL;
	lrmio_close();
	fenceio_close();
	attrdio_close();
	cibio_close();
	if (io.memb)
		pl_membership_disconnect(io.memb);
	io.memb = NULL;
	if (peers)
		pl_peer_free(peers);
	peers = NULL;
	if (queries)
		g_hash_table_destroy(queries);
	queries = NULL;
	free(io.last_view);
	io.last_view = NULL;
}

/* ---- queries and requests for the IPC server ---------------------------------------- */

struct crmd *
crmd_io_fsm(void)
{
	return io.fsm;
}
uint32_t
crmd_io_nodeid(void)
{
	return io.nodeid;
}
const char *
crmd_io_name(void)
{
	return io.name;
}
bool
crmd_io_quorate(void)
{
	return io.quorate;
}

unsigned
crmd_io_nodes(struct crmd_node_view *out, unsigned max)
{
	unsigned n = io.n_nodes < max ? io.n_nodes : max;

	memcpy(out, io.nodes, n * sizeof(*out));
	return n;
}

const char *
crmd_io_node_name(uint32_t nodeid)
{
	for (unsigned i = 0; i < io.n_nodes; i++)
		if (io.nodes[i].nodeid == nodeid)
			return io.nodes[i].name;
	return "";
}

uint32_t
crmd_io_node_id(const char *name)
{
	for (unsigned i = 0; i < io.n_nodes; i++)
		if (strcmp(io.nodes[i].name, name) == 0)
			return io.nodes[i].nodeid;
	return 0;
}

/* Does rsc (NULL = any) have failures (a fail count or a failure record) on node? */
static bool
has_failures(uint32_t nodeid, const char *rsc)
{
	char *id = io_node_id_str(nodeid), *x, *v;
	bool yes;

	x = crmd_status_failcount_xpath(id, rsc);
	v = cibio_query_value(x, "name");
	yes = v != NULL;
	free(v);
	free(x);
	if (!yes) {
		x = crmd_status_failure_xpath(id, rsc);
		v = cibio_query_value(x, "id");
		yes = v != NULL;
		free(v);
		free(x);
	}
	free(id);
	return yes;
}

/* A tool's change is written under the tool's name, so that every controller (the DC above
 * all) sees it as a change to act on, as it would see crm_resource's own in Pacemaker. */
static int
tool_delete(const char *xpath, struct pl_error *err)
{
	static struct pl_cib_conn *tool;
	struct pl_cib_request req = {
		.op = PL_CIB_OP_DELETE, .xpath = xpath, .flags = PL_CIB_F_ALL_MATCHES
	};
	int rc;

	if (tool == NULL && (tool = pl_cib_connect(5000, "crm_resource", err)) == NULL)
		return err->code ? err->code : PL_EXIT_DISCONNECT;
	rc = pl_cib_call(tool, &req, 30000, NULL, NULL, err);
	if (rc == PL_EXIT_NOSUCH) {
		pl_error_clear(err);
		rc = 0;
	}
	if (rc == PL_EXIT_DISCONNECT) {
		pl_cib_disconnect(tool);
		tool = NULL;
	}
	return rc;
}

int
crmd_io_refresh(const char *rsc, uint32_t nodeid, bool failed_only, struct pl_error *err)
{
	unsigned done = 0;
	int rc = 0;

	if (io.fsm == NULL) {
		pl_error_set(err, PL_EXIT_DISCONNECT, "the controller is not running yet");
		return PL_EXIT_DISCONNECT;
	}
	for (unsigned i = 0; i < io.n_nodes && rc == 0; i++) {
		uint32_t id = io.nodes[i].nodeid;
		char *sid, *x;

		if (nodeid != 0 && id != nodeid)
			continue;
		if (failed_only && !has_failures(id, rsc))
			continue;
		log_notice("%s of %s on %s", failed_only ? "cleanup" : "refresh",
		    rsc ? rsc : "every resource", io.nodes[i].name);
		/* the node forgets first (lrmd), then the CIB: the DC reprobes */
		crmd_refresh(io.fsm, id, rsc, io_now());
		sid = io_node_id_str(id);
		attrdio_clear_fail_count(io.nodes[i].name, rsc, NULL, 0);
		x = crmd_status_failcount_xpath(sid, rsc);
		rc = tool_delete(x, err);
		free(x);
		if (rc == 0) {
			x = crmd_status_lrm_rsc_xpath(sid, rsc);
			rc = tool_delete(x, err);
			free(x);
		}
		free(sid);
		done++;
	}
	io_input_done();
	if (rc != 0)
		return rc;
	if (done == 0 && !failed_only) {
		pl_error_set(err, PL_EXIT_NOSUCH, "no such node");
		return PL_EXIT_NOSUCH;
	}
	return 0;
}

int
crmd_io_fail(const char *rsc, const char *node, const char *rclass, const char *provider,
    const char *type, struct pl_error *err)
{
	uint32_t id = crmd_io_node_id(node);
	bool done;

	if (io.fsm == NULL) {
		pl_error_set(err, PL_EXIT_DISCONNECT, "the controller is not running yet");
		return PL_EXIT_DISCONNECT;
	}
	if (id == 0) {
		pl_error_set(err, PL_EXIT_NOSUCH, "Node %s not found", node);
		return PL_EXIT_NOSUCH;
	}
	done = crmd_fail_resource(io.fsm, id, rsc, rclass, provider, type, io_now());
	io_input_done();
	if (!done) {
		uint32_t dc = crmd_dc(io.fsm);

		pl_error_set(err, PL_EXIT_DISCONNECT,
		    "the failure of %s on %s can be recorded by the controller of %s or by the DC "
		    "(%s); ask one of those",
		    rsc, node, node, dc ? crmd_io_node_name(dc) : "none yet");
		return PL_EXIT_DISCONNECT;
	}
	return 0;
}

int
crmd_io_remove_node(const char *name, struct pl_error *err)
{
	uint32_t id = crmd_io_node_id(name);
	char *sid, *x;

	for (unsigned i = 0; i < io.n_nodes; i++)
		if (io.nodes[i].nodeid == id && io.nodes[i].member) {
			pl_error_set(
			    err, PL_EXIT_UNSAFE, "node %s is still a member of the cluster", name);
			return PL_EXIT_UNSAFE;
		}
	x = xasprintf("/cib/configuration/nodes/node[@uname='%s']", name);
	cibio_update(PL_CIB_OP_DELETE, PL_CIB_F_ALL_MATCHES, NULL, x, NULL, "delete node entry");
	free(x);
	x = xasprintf("/cib/status/node_state[@uname='%s']", name);
	cibio_update(PL_CIB_OP_DELETE, PL_CIB_F_ALL_MATCHES, NULL, x, NULL, "delete node status");
	free(x);
	if (id != 0) {
		sid = io_node_id_str(id);
		x = xasprintf("/cib/status/node_state[@id='%s']", sid);
		cibio_update(
		    PL_CIB_OP_DELETE, PL_CIB_F_ALL_MATCHES, NULL, x, NULL, "delete node status");
		free(x);
		free(sid);
	}
	log_notice("node %s removed from the CIB", name);
	return 0;
}
