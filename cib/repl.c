/*
 * repl.c - replication of paceline-cib over paceline-membership's group "cib" (the messages:
 * include/paceline/msg/cib-peer.def through the peer layer, peer.h; docs/design/cib.md for
 * the protocol and its state machine):
 *
 *   - a local client's update is broadcast; every replica, the sender too, applies it on
 *     delivery, in the group's total order; the sender answers its client (pending requests
 *     are keyed by request id; only deliveries from this very process, nodeid + pid, match);
 *   - on every configuration change of the group the replicas freeze (SYNCING: updates
 *     delivered are held, clients wait), exchange VERSION (version + digest); the newest CIB
 *     (cib_wire_elect) is broadcast (one SYNC message) by its holder unless every digest already
 *     matches; then held updates are applied in order and the node serves clients (ACTIVE);
 *   - every PL_CIB_DIGEST_MS (60 s) a replica broadcasts CHECK; on its delivery every ACTIVE
 *     replica notes its version + digest at that point of the stream and broadcasts them
 *     (DIGEST); a replica whose noted state differs from a peer's asks for a RESYNC, which
 *     runs the same exchange again.
 *
 * Without paceline-membership (not reachable at start) the daemon runs standalone: updates
 * are applied directly, logged once; it retries every PL_CIB_MEMBERSHIP_RETRY_MS (2 s) and
 * joins (with a join sync) once the membership daemon is there.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cib_daemon.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "wire.h"

#define GROUP "cib"

enum repl_state { REPL_SYNCING, REPL_ACTIVE };

struct member {
	uint32_t nodeid, pid;
	bool have;
	bool known;	  /* its status section is the cluster's (see status_known) */
	bool behind;	  /* it was still in an earlier round, holding updates, at this freeze */
	uint32_t held_id; /* then: which updates (held_hash, 30 bits) */
	struct pl_cib_version v;
	char digest[65];
};

struct held { /* an UPDATE delivered while SYNCING, applied after the sync */
	uint32_t nodeid, pid;
	size_t len;
	unsigned char payload[];
};

static struct pl_membership *memb;
static struct pl_peer *peer;
static enum repl_state state = REPL_ACTIVE;
static uint32_t my_nodeid, my_pid;
static uint64_t view;
static uint32_t round_no;
static struct member members[PL_MEMBERSHIP_MAX_NODES];
static unsigned n_members;
static int winner = -1;
/* Is our status section the cluster's? Not after a start that joined the group at once:
 * cib.xml gives the configuration and num_updates, never the status. It becomes the
 * cluster's after any sync round (everyone then holds the winner's) or when we served alone. */
static bool status_known;
/* Updates held since an earlier round that did not finish (a stuck round started again, or a
 * new view during a sync): delivered before this round's freeze point, never applied by
 * anyone (every replica of that round held them). They are applied after this round only
 * when every member holds exactly the same ones (keep_held: all behind, equal held_id, as
 * after a RESYNC among the same members); otherwise some member never had them (it joined,
 * or comes from another partition) and the copy it ends with lacks them, so every member
 * drops them, and the replica whose client sent one answers it with 75: an update is
 * applied everywhere or nowhere, and its client hears which. */
static unsigned held_before_round;
static bool behind, keep_held;
static GQueue held = G_QUEUE_INIT;
static uint64_t held_hash = 1469598103934665603ull; /* FNV-1a over the held updates
							  * (sender, payload), in order */
/* A local client's update between its broadcast and its delivery here: who waits, and its
 * input as parsed at submit (the same text every replica parses), so that the sender does
 * not parse it a second time. */
struct pending_req {
	struct cib_waiter w;
	xmlDoc *doc;
};
static GHashTable *pending; /* request id -> struct pending_req */
static uint32_t next_req = 1;
static uint64_t sync_started_ms;
static uint64_t check_key, check_seq; /* the last CHECK delivered, and ours sent */
static struct pl_cib_version check_version;
static char check_digest[65]; /* monotonic start of the current round */

#define SYNC_STUCK_MS 10000 /* a round not done by then is started again (RESYNC) */

bool
cib_repl_active(void)
{
	return state == REPL_ACTIVE;
}

/* Send a message of `kind` to the group, fields by cib-peer.def's signature, through the
 * connection's ordered queue (membership_client.h): the main loop never waits for
 * paceline-membership, messages leave in the order sent (batched while one is in flight),
 * and a failure to send is logged by the queue. */
#define SEND(e, kind, ...)                                                                     \
	send_logged(                                                                           \
	    pl_membership_queue_peer(memb, GROUP, peer, NULL, NULL, (e), (kind), __VA_ARGS__), \
	    (kind), (e))

static bool
send_logged(bool ok, enum pl_peer_kind kind, const struct pl_error *e)
{
	if (!ok)
		log_warnx("sending %s to group %s: %s", pl_peer_name(kind), GROUP, e->text);
	return ok;
}

static uint64_t
fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void
apply_update(const struct pl_peer_msg *m)
{
	struct pending_req *pr = NULL;
	struct cib_waiter *w = NULL;
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *doc = NULL;
	uint32_t req_id, op, flags;
	int64_t when;
	const char *section, *xpath, *input, *origin, *client, *user;

	pl_peer_unpack(
	    m, &req_id, &op, &flags, &when, &section, &xpath, &input, &origin, &client, &user);
	if (m->nodeid == my_nodeid && m->pid == my_pid &&
	    (pr = g_hash_table_lookup(pending, GUINT_TO_POINTER(req_id))) != NULL) {
		w = &pr->w;
		doc = pr->doc;
		pr->doc = NULL;
	}
	if (doc == NULL && *input != '\0' &&
	    (doc = pl_xml_parse_string(input, "update", &e)) == NULL) {
		/* Checked by the sender before broadcast: a replica can only get here by a bug. */
		log_warnx("update %u from node %u does not parse: %s", req_id, m->nodeid, e.text);
		if (w != NULL)
			cib_server_reply(w, PL_EXIT_DATAERR, e.text, NULL, NULL);
	} else {
		struct cib_update u = {
			.op = op,
			.flags = flags,
			.section = *section ? section : NULL,
			.xpath = *xpath ? xpath : NULL,
			.input = doc ? xmlDocGetRootElement(doc) : NULL,
			.origin = origin,
			.client = client,
			.user = user,
			.when = when,
		};
		cib_core_update(&u, w);
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (w != NULL)
		g_hash_table_remove(pending, GUINT_TO_POINTER(req_id));
}

/* The waiter of an update that was not applied anywhere (it could not be broadcast, or every
 * replica dropped it after a sync round) hears why. */
static void
fail_pending(uint32_t req_id, const struct pl_error *e)
{
	struct pending_req *pr = g_hash_table_lookup(pending, GUINT_TO_POINTER(req_id));

	if (pr == NULL)
		return;
	log_warnx("update %u of a local client not applied: %s", req_id, e->text);
	cib_server_reply(&pr->w, e->code != 0 ? e->code : PL_EXIT_ERROR, e->text, NULL, NULL);
	g_hash_table_remove(pending, GUINT_TO_POINTER(req_id));
}

static void
on_update_sent(struct pl_membership *m, const struct pl_error *e, void *arg)
{
	(void)m;
	if (e != NULL && pending != NULL)
		fail_pending((uint32_t)(uintptr_t)arg, e);
}

void
cib_repl_submit(
    const struct cib_update *u, const char *input_text, xmlDoc *doc, const struct cib_waiter *w)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pending_req *pr;
	uint32_t req_id;

	if (memb == NULL) {
		cib_core_update(u, w);
		if (doc != NULL)
			xmlFreeDoc(doc);
		return;
	}
	req_id = next_req++;
	if (next_req == 0)
		next_req = 1;
	pr = XNEW(struct pending_req);
	pr->w = *w;
	pr->doc = doc;
	g_hash_table_insert(pending, GUINT_TO_POINTER(req_id), pr);
	if (!pl_membership_queue_peer(memb, GROUP, peer, on_update_sent, (void *)(uintptr_t)req_id,
		&e, PL_PEER_CIB_UPDATE, req_id, (uint32_t)u->op, (uint32_t)u->flags,
		(int64_t)time(NULL), u->section ? u->section : "", u->xpath ? u->xpath : "",
		input_text ? input_text : "", u->origin, u->client, u->user))
		fail_pending(req_id, &e);
}

/* ---- join sync ---- */

static void
finish_sync(const char *how)
{
	struct pl_cib_version v;

	state = REPL_ACTIVE;
	status_known = true;
	cib_core_version(&v);
	log_info("sync of view %016llx round %u done (%s): CIB %ld.%ld.%ld, %u update(s) held",
	    (unsigned long long)view, round_no, how, v.admin_epoch, v.epoch, v.num_updates,
	    g_queue_get_length(&held));
	while (!g_queue_is_empty(&held) && state == REPL_ACTIVE) {
		struct held *h = g_queue_pop_head(&held);
		struct pl_peer_msg m = { .kind = PL_PEER_CIB_UPDATE,
			.def = pl_peer_def(PL_PEER_CIB_UPDATE),
			.nodeid = h->nodeid,
			.pid = h->pid,
			.payload = h->payload,
			.len = h->len };

		apply_update(&m);
		free(h);
	}
	if (g_queue_is_empty(&held))
		held_hash = 1469598103934665603ull;
	cib_server_resume();
}

static void
start_round(void)
{
	struct pl_cib_version v;
	struct pl_error e = PL_ERROR_INIT;
	char digest[65];

	behind = state == REPL_SYNCING && !g_queue_is_empty(&held);
	held_before_round = behind ? g_queue_get_length(&held) : 0;
	keep_held = false;
	state = REPL_SYNCING;
	sync_started_ms = pl_mono_ms();
	winner = -1;
	for (unsigned i = 0; i < n_members; i++)
		members[i].have = false;
	cib_core_version(&v);
	cib_core_digest(digest);
	log_info("sync round %u of view %016llx (%u member(s)): offering %ld.%ld.%ld", round_no,
	    (unsigned long long)view, n_members, v.admin_epoch, v.epoch, v.num_updates);
	SEND(&e, PL_PEER_CIB_VERSION, view, round_no, (uint64_t)v.admin_epoch, (uint64_t)v.epoch,
	    (uint64_t)v.num_updates, digest,
	    (uint32_t)status_known | (behind ? 2u | (uint32_t)(held_hash % 0x3fffffffu) << 2 : 0u));
}

static int
member_index(uint32_t nodeid, uint32_t pid)
{
	for (unsigned i = 0; i < n_members; i++)
		if (members[i].nodeid == nodeid && members[i].pid == pid)
			return (int)i;
	return -1;
}

static void
decide(void)
{
	struct pl_cib_version v[PL_MEMBERSHIP_MAX_NODES];
	uint32_t ids[PL_MEMBERSHIP_MAX_NODES];
	bool known[PL_MEMBERSHIP_MAX_NODES];
	bool same = true;

	for (unsigned i = 0; i < n_members; i++) {
		v[i] = members[i].v;
		ids[i] = members[i].nodeid;
		/* a replica still behind an earlier round counts as not known: its copy lacks
		 * what the others applied before this freeze */
		known[i] = members[i].known && !members[i].behind;
	}
	winner = (int)cib_wire_elect(v, known, ids, n_members);
	keep_held = true;
	for (unsigned i = 0; i < n_members; i++)
		if (!members[i].behind || members[i].held_id != members[0].held_id)
			keep_held = false;
	for (unsigned i = 0; i < n_members; i++)
		if (strcmp(members[i].digest, members[winner].digest) != 0 ||
		    pl_cib_version_cmp(&members[i].v, &members[winner].v) != 0 ||
		    members[i].known != members[winner].known || members[i].behind)
			same = false;
	if (same) {
		finish_sync("all replicas equal");
		return;
	}
	log_info("newest CIB %ld.%ld.%ld is node %u's", members[winner].v.admin_epoch,
	    members[winner].v.epoch, members[winner].v.num_updates, members[winner].nodeid);
	if (members[winner].nodeid == my_nodeid && members[winner].pid == my_pid) {
		char *text = cib_core_dump();
		struct pl_error e = PL_ERROR_INIT;

		/* A failure is retried by the next configuration change or the stuck timer. */
		SEND(&e, PL_PEER_CIB_SYNC, view, round_no, text);
		free(text);
	}
}

static void
on_cib_version(const struct pl_peer_msg *m, void *arg)
{
	int i = member_index(m->nodeid, m->pid);
	uint64_t v_view, a, ep, n;
	uint32_t round;
	const char *digest;
	struct pl_cib_version v;
	uint32_t known;

	(void)arg;
	pl_peer_unpack(m, &v_view, &round, &a, &ep, &n, &digest, &known);
	if (v_view != view || round != round_no || i < 0 || state != REPL_SYNCING ||
	    strlen(digest) != 64 || !cib_wire_version(a, ep, n, &v))
		return; /* from an earlier configuration or round */
	members[i].have = true;
	members[i].known = (known & 1) != 0;
	members[i].behind = (known & 2) != 0;
	members[i].held_id = known >> 2;
	members[i].v = v;
	memcpy(members[i].digest, digest, 65);
	for (unsigned k = 0; k < n_members; k++)
		if (!members[k].have)
			return;
	decide();
}

/* Every member drops the updates it held since an earlier round (see keep_held); ours answer
 * their clients. */
static void
drop_held_before_round(void)
{
	struct pl_error e = PL_ERROR_INIT;
	unsigned n = 0, ours = 0;

	pl_error_set(&e, PL_EXIT_TEMPFAIL,
	    "update not applied: the membership of the CIB replicas changed while it waited "
	    "for a sync round; try again");
	for (; held_before_round > 0 && !g_queue_is_empty(&held); held_before_round--, n++) {
		struct held *h = g_queue_pop_head(&held);

		if (h->nodeid == my_nodeid && h->pid == my_pid) {
			struct pl_peer_msg m = { .kind = PL_PEER_CIB_UPDATE,
				.def = pl_peer_def(PL_PEER_CIB_UPDATE),
				.payload = h->payload,
				.len = h->len };
			uint32_t req_id, op, flags;
			int64_t when;
			const char *section, *xpath, *input, *origin, *client, *user;

			if (pl_peer_unpack(&m, &req_id, &op, &flags, &when, &section, &xpath,
				&input, &origin, &client, &user)) {
				fail_pending(req_id, &e);
				ours++;
			}
		}
		free(h);
	}
	log_warnx("dropped %u update(s) held since an earlier sync round (%u of this node, "
		  "answered 75): not every member holds them",
	    n, ours);
}

static void
on_cib_sync(const struct pl_peer_msg *m, void *arg)
{
	char digest[65];
	uint64_t s_view;
	uint32_t round;
	const char *text;

	(void)arg;
	pl_peer_unpack(m, &s_view, &round, &text);
	if (state != REPL_SYNCING || winner < 0 || s_view != view || round != round_no ||
	    members[winner].nodeid != m->nodeid || members[winner].pid != m->pid)
		return;
	cib_core_digest(digest);
	if (held_before_round > 0 && !keep_held)
		drop_held_before_round();
	if (m->nodeid == my_nodeid && m->pid == my_pid)
		finish_sync("sent ours");
	else if (strcmp(digest, members[winner].digest) == 0 &&
	    pl_cib_version_cmp(&members[winner].v, &members[member_index(my_nodeid, my_pid)].v) == 0 &&
	    (status_known || !members[winner].known))
		finish_sync("ours was equal");
	else {
		int rc = cib_core_sync(text);

		finish_sync(rc == 0 ? "took the newest copy" : "copy refused, kept ours");
	}
}

static uint64_t
view_of(const struct pl_membership_member *mm, unsigned n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a over the sorted (nodeid, pid) list */

	for (unsigned i = 0; i < n; i++) {
		uint32_t w[2] = { mm[i].nodeid, mm[i].pid };

		h = fnv(h, w, sizeof(w));
	}
	return h;
}

static int
cmp_member(const void *a, const void *b)
{
	const struct pl_membership_member *x = a, *y = b;

	if (x->nodeid != y->nodeid)
		return x->nodeid < y->nodeid ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void
on_group_change(struct pl_membership *m, const char *group, const struct pl_membership_member *mem,
    unsigned n, const struct pl_membership_member *joined, unsigned nj,
    const struct pl_membership_member *left, unsigned nl, void *arg)
{
	struct pl_membership_member sorted[PL_MEMBERSHIP_MAX_NODES];

	(void)m, (void)joined, (void)arg;
	if (strcmp(group, GROUP) != 0)
		return;
	for (unsigned i = 0; i < nl; i++)
		pl_peer_forget(peer, left[i].nodeid, left[i].pid);
	if (n > PL_MEMBERSHIP_MAX_NODES)
		n = PL_MEMBERSHIP_MAX_NODES;
	memcpy(sorted, mem, n * sizeof(*mem));
	qsort(sorted, n, sizeof(*sorted), cmp_member);
	n_members = n;
	for (unsigned i = 0; i < n; i++) {
		members[i].nodeid = sorted[i].nodeid;
		members[i].pid = sorted[i].pid;
	}
	view = view_of(sorted, n);
	round_no = 0;
	log_info("group %s: %u member(s), %u joined, %u left", GROUP, n, nj, nl);
	start_round();
}

static void
on_cib_update(const struct pl_peer_msg *m, void *arg)
{
	(void)arg;
	if (state == REPL_SYNCING) {
		struct held *h = xmalloc(sizeof(*h) + m->len);

		h->nodeid = m->nodeid;
		h->pid = m->pid;
		h->len = m->len;
		memcpy(h->payload, m->payload, m->len);
		g_queue_push_tail(&held, h);
		held_hash = fnv(held_hash, &h->nodeid, sizeof(h->nodeid));
		held_hash = fnv(held_hash, &h->pid, sizeof(h->pid));
		held_hash = fnv(held_hash, h->payload, h->len);
	} else
		apply_update(m);
}

/* Every replica that is ACTIVE here is at the same point of the stream: note the state and
 * tell it. */
static void
on_cib_check(const struct pl_peer_msg *m, void *arg)
{
	struct pl_error e = PL_ERROR_INIT;
	uint64_t key;

	(void)arg;
	pl_peer_unpack(m, &key);
	if (state != REPL_ACTIVE) {
		check_key = 0;
		return;
	}
	check_key = key;
	cib_core_version(&check_version);
	cib_core_digest(check_digest);
	SEND(&e, PL_PEER_CIB_DIGEST, key, (uint64_t)check_version.admin_epoch,
	    (uint64_t)check_version.epoch, (uint64_t)check_version.num_updates, check_digest);
}

static void
on_cib_digest(const struct pl_peer_msg *m, void *arg)
{
	struct pl_error e = PL_ERROR_INIT;
	uint64_t key, a, ep, n;
	const char *digest;
	struct pl_cib_version v;

	(void)arg;
	pl_peer_unpack(m, &key, &a, &ep, &n, &digest);
	if (!cib_wire_version(a, ep, n, &v))
		return;
	if (state == REPL_ACTIVE && check_key != 0 && key == check_key &&
	    (pl_cib_version_cmp(&check_version, &v) != 0 || strcmp(check_digest, digest) != 0) &&
	    m->nodeid < my_nodeid) {
		/* One side asks (the higher node id), so a divergence costs one round. */
		log_warnx("CIB %ld.%ld.%ld differs from node %u's %ld.%ld.%ld at the same "
			  "point: asking for a resync",
		    check_version.admin_epoch, check_version.epoch, check_version.num_updates,
		    m->nodeid, v.admin_epoch, v.epoch, v.num_updates);
		check_key = 0;
		SEND(&e, PL_PEER_CIB_RESYNC, view);
	}
}

static void
on_cib_resync(const struct pl_peer_msg *m, void *arg)
{
	uint64_t r_view;

	(void)arg;
	pl_peer_unpack(m, &r_view);
	if (r_view == view) {
		round_no++;
		start_round();
	}
}

static void
on_deliver(struct pl_membership *m, const char *group, uint32_t nodeid, uint32_t pid,
    const void *data, size_t len, void *arg)
{
	(void)m, (void)arg;
	if (strcmp(group, GROUP) == 0)
		pl_peer_receive(peer, nodeid, pid, data, len); /* checked, counted, logged */
}

static void
on_disconnected(struct pl_membership *m, void *arg)
{
	(void)m, (void)arg;
	/* Our copy may miss updates from now on: exit, the launcher restarts us, we resync. */
	fatalx("lost the connection to paceline-membership");
}

static gboolean
digest_tick(gpointer arg)
{
	struct pl_error e = PL_ERROR_INIT;

	(void)arg;
	if (state != REPL_ACTIVE)
		return G_SOURCE_CONTINUE;
	SEND(&e, PL_PEER_CIB_CHECK, ((uint64_t)my_nodeid << 32) | (uint32_t)++check_seq);
	return G_SOURCE_CONTINUE;
}

/* A round that does not finish (a member never answered, a SYNC could not be sent) is
 * started again by everyone: RESYNC is delivered at the same point on every member. */
static gboolean
stuck_tick(gpointer arg)
{
	struct pl_error e = PL_ERROR_INIT;

	(void)arg;
	if (state == REPL_SYNCING && n_members > 0 && pl_mono_ms() - sync_started_ms > SYNC_STUCK_MS) {
		log_warnx("sync round %u of view %016llx not done after %d ms: starting it again",
		    round_no, (unsigned long long)view, SYNC_STUCK_MS);
		sync_started_ms = pl_mono_ms();
		SEND(&e, PL_PEER_CIB_RESYNC, view);
	}
	return G_SOURCE_CONTINUE;
}

static void
pending_free(gpointer p)
{
	struct pending_req *pr = p;

	if (pr->doc != NULL)
		xmlFreeDoc(pr->doc);
	free(pr);
}

static bool
repl_connect(int timeout_ms, struct pl_error *e)
{
	static const struct pl_membership_ops ops = {
		.deliver = on_deliver,
		.group_change = on_group_change,
		.disconnected = on_disconnected,
	};
	struct pl_membership_status st;
	const char *ms = getenv("PL_CIB_DIGEST_MS");

	memb = pl_membership_connect(timeout_ms, e);
	if (memb == NULL)
		return false;
	if (!pl_membership_status(memb, &st, e))
		fatalx("paceline-membership status: %s", e->text);
	my_nodeid = st.nodeid;
	my_pid = (uint32_t)getpid();
	pl_membership_attach(memb, NULL, &ops, NULL);
	state = REPL_SYNCING; /* serve nobody before the first sync */
	if (!pl_membership_join(memb, GROUP, e))
		fatalx("joining group %s: %s", GROUP, e->text);
	g_timeout_add(ms != NULL && atoi(ms) > 0 ? (guint)atoi(ms) : 60000, digest_tick, NULL);
	g_timeout_add(SYNC_STUCK_MS / 4, stuck_tick, NULL);
	log_info("replicating through group %s as node %u", GROUP, my_nodeid);
	return true;
}

/* Standalone because paceline-membership was absent at start: keep trying, so that a
 * replica started before it (or restarted while it restarts) does not stay alone. */
static gboolean
retry_tick(gpointer arg)
{
	struct pl_error e = PL_ERROR_INIT;

	(void)arg;
	if (!repl_connect(100, &e))
		return G_SOURCE_CONTINUE;
	log_notice("paceline-membership reachable now: leaving standalone mode");
	return G_SOURCE_REMOVE;
}

void
cib_repl_start(void)
{
	struct pl_error e = PL_ERROR_INIT;
	const char *to = getenv("PL_CIB_MEMBERSHIP_TIMEOUT_MS");
	const char *retry = getenv("PL_CIB_MEMBERSHIP_RETRY_MS");

	peer = pl_peer_new(PL_SVC_CIB, PL_MEMBERSHIP_PEER_FRAME_MAX, NULL);
	pl_peer_handle(peer, PL_PEER_CIB_UPDATE, on_cib_update);
	pl_peer_handle(peer, PL_PEER_CIB_VERSION, on_cib_version);
	pl_peer_handle(peer, PL_PEER_CIB_SYNC, on_cib_sync);
	pl_peer_handle(peer, PL_PEER_CIB_CHECK, on_cib_check);
	pl_peer_handle(peer, PL_PEER_CIB_DIGEST, on_cib_digest);
	pl_peer_handle(peer, PL_PEER_CIB_RESYNC, on_cib_resync);
	pending = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, pending_free);
	if (repl_connect(to != NULL ? atoi(to) : 2000, &e))
		return;
	log_notice("paceline-membership not reachable (%s): running standalone, without "
		   "replication, until it is",
	    e.text);
	status_known = true; /* serving alone: our status is the cluster's */
	g_timeout_add(retry != NULL && atoi(retry) > 0 ? (guint)atoi(retry) : 2000, retry_tick, NULL);
}

void
cib_repl_stop(void)
{
	if (memb != NULL) {
		pl_membership_disconnect(memb); /* logs how many group messages carried ours */
		memb = NULL;
	}
	while (!g_queue_is_empty(&held))
		free(g_queue_pop_head(&held));
	/* as before the start (a test starts again in the same process) */
	state = REPL_ACTIVE;
	status_known = behind = keep_held = false;
	held_before_round = n_members = 0;
	held_hash = 1469598103934665603ull;
	winner = -1;
	if (pending != NULL)
		g_hash_table_destroy(pending);
	pending = NULL;
	pl_peer_free(peer);
	peer = NULL;
}
