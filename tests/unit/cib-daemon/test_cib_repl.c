/*
 * test_cib_repl.c - paceline-cib's replication (cib/repl.c) alone: the daemon's core, its IPC
 * server and paceline-membership are replaced by fakes, and the test plays the other
 * replicas: it delivers their messages (encoded by the peer layer, as they would be) and ours
 * (captured from the fake send queue) in one total order, as the group would.
 *
 * What it proves (issue 17: updates held across sync rounds): an update held from an earlier
 * round is applied after the next round only when every member holds it too; otherwise it is
 * applied nowhere and its client is answered with an error, never left in silence; and an
 * update that cannot be broadcast is answered with the error at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cib_daemon.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#define DIGEST "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* ---- what the fakes saw ---- */
static struct {
	struct pl_membership_ops ops;
	void *ops_arg;
	/* our messages "sent" to the group, in order, not yet delivered */
	struct out {
		uint8_t *data;
		size_t len;
	} out[256];
	unsigned n_out;
	int send_fail; /* the next queue_peer's callback fails with this code */
	/* the core */
	unsigned applied; /* cib_core_update calls */
	uint32_t applied_call[64];
	unsigned replies; /* cib_server_reply calls */
	int reply_rc[64];
	uint32_t reply_call[64];
	unsigned syncs, resumes;
	long num_updates;
} fk;

static struct pl_membership *fake_memb = (struct pl_membership *)&fk;

/* ---- fake paceline-membership client ---- */
struct pl_membership *
pl_membership_connect(int timeout_ms, struct pl_error *err)
{
	(void)timeout_ms, (void)err;
	return fake_memb;
}

bool
pl_membership_status(struct pl_membership *m, struct pl_membership_status *st, struct pl_error *err)
{
	(void)m, (void)err;
	memset(st, 0, sizeof(*st));
	st->nodeid = 1;
	return true;
}

void
pl_membership_attach(
    struct pl_membership *m, GMainContext *ctx, const struct pl_membership_ops *ops, void *arg)
{
	(void)m, (void)ctx;
	fk.ops = *ops;
	fk.ops_arg = arg;
}

bool
pl_membership_join(struct pl_membership *m, const char *group, struct pl_error *err)
{
	(void)m, (void)err;
	assert_string_equal(group, "cib");
	return true;
}

void
pl_membership_disconnect(struct pl_membership *m)
{
	(void)m;
}

static bool
capture(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	(void)arg, (void)err;
	assert_true(fk.n_out < 256);
	fk.out[fk.n_out].data = xmemdup(frame, len);
	fk.out[fk.n_out].len = len;
	fk.n_out++;
	return true;
}

bool
pl_membership_queue_peer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    pl_membership_sent_fn cb, void *arg, struct pl_error *err, enum pl_peer_kind kind, ...)
{
	va_list ap;
	bool ok;

	assert_string_equal(group, "cib");
	va_start(ap, kind);
	if (fk.send_fail != 0) { /* the daemon refuses it: nothing reaches the group */
		struct pl_error e = PL_ERROR_INIT;

		pl_error_set(&e, fk.send_fail, "refused by the fake");
		fk.send_fail = 0;
		va_end(ap);
		if (cb != NULL)
			cb(m, &e, arg);
		return true;
	}
	ok = pl_peer_vsend(pp, capture, NULL, err, kind, ap);
	va_end(ap);
	if (ok && cb != NULL)
		cb(m, NULL, arg);
	return ok;
}

/* The waiting send of earlier versions (to run this test against them). */
bool
pl_membership_send_peer(struct pl_membership *m, const char *group, struct pl_peer *pp,
    struct pl_error *err, enum pl_peer_kind kind, ...)
{
	va_list ap;
	bool ok;

	(void)m;
	assert_string_equal(group, "cib");
	if (fk.send_fail != 0) {
		pl_error_set(err, fk.send_fail, "refused by the fake");
		fk.send_fail = 0;
		return false;
	}
	va_start(ap, kind);
	ok = pl_peer_vsend(pp, capture, NULL, err, kind, ap);
	va_end(ap);
	return ok;
}

/* ---- fake core and server ---- */
void
cib_core_update(const struct cib_update *u, const struct cib_waiter *w)
{
	assert_non_null(u->input);
	assert_string_equal((const char *)u->input->name, "node_state");
	fk.applied_call[fk.applied++] = w != NULL ? w->call_id : 0;
	fk.num_updates++;
	if (w != NULL)
		cib_server_reply(w, 0, "", NULL, NULL);
}

void
cib_core_version(struct pl_cib_version *v)
{
	v->admin_epoch = 0;
	v->epoch = 5;
	v->num_updates = fk.num_updates;
}

void
cib_core_digest(char out[65])
{
	memcpy(out, DIGEST, 65);
}

char *
cib_core_dump(void)
{
	return xstrdup("<cib/>");
}

int
cib_core_sync(const char *text)
{
	(void)text;
	fk.syncs++;
	return 0;
}

void
cib_server_reply(const struct cib_waiter *w, int rc, const char *text, const char *output,
    const struct pl_cib_version *v)
{
	(void)text, (void)output, (void)v;
	fk.reply_call[fk.replies] = w->call_id;
	fk.reply_rc[fk.replies++] = rc;
}

void
cib_server_resume(void)
{
	fk.resumes++;
}

/* ---- the other replicas and the group ---- */
static struct pl_peer *enc; /* encodes what the other nodes send */
static uint8_t frame_buf[8192];
static size_t frame_len;

static bool
capture_one(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	(void)arg, (void)err;
	assert_true(len <= sizeof(frame_buf));
	memcpy(frame_buf, frame, len);
	frame_len = len;
	return true;
}

/* Deliver a message of `kind` from node (nodeid, pid). */
static void
from_peer(uint32_t nodeid, uint32_t pid, enum pl_peer_kind kind, ...)
{
	struct pl_error e = PL_ERROR_INIT;
	va_list ap;

	va_start(ap, kind);
	assert_true(pl_peer_vsend(enc, capture_one, NULL, &e, kind, ap));
	va_end(ap);
	fk.ops.deliver(fake_memb, "cib", nodeid, pid, frame_buf, frame_len, fk.ops_arg);
}

/* Deliver our oldest message not delivered yet; its kind. */
static uint32_t
from_us(void)
{
	struct out o;
	uint32_t kind;

	assert_true(fk.n_out > 0);
	o = fk.out[0];
	memmove(fk.out, fk.out + 1, --fk.n_out * sizeof(fk.out[0]));
	kind = (uint32_t)o.data[8] << 24 | (uint32_t)o.data[9] << 16 | (uint32_t)o.data[10] << 8 |
	    o.data[11];
	fk.ops.deliver(fake_memb, "cib", 1, (uint32_t)getpid(), o.data, o.len, fk.ops_arg);
	free(o.data);
	return kind;
}

/* The flags field of our last VERSION not delivered yet (what a replica holding exactly the
 * same updates would send too). */
static uint32_t
our_version_flags(uint64_t *view, uint32_t *round)
{
	for (unsigned i = fk.n_out; i-- > 0;) {
		struct pl_peer *dec = pl_peer_new(PL_SVC_CIB, PL_MEMBERSHIP_PEER_FRAME_MAX, NULL);
		struct pl_peer_msg m = { .kind = PL_PEER_CIB_VERSION,
			.def = pl_peer_def(PL_PEER_CIB_VERSION),
			.payload = fk.out[i].data + PL_PEER_HDR_LEN,
			.len = fk.out[i].len - PL_PEER_HDR_LEN };
		uint64_t a, ep, n;
		const char *digest;
		uint32_t flags;

		pl_peer_free(dec);
		if (fk.out[i].data[11] != (PL_PEER_CIB_VERSION & 0xff))
			continue;
		assert_true(pl_peer_unpack(&m, view, round, &a, &ep, &n, &digest, &flags));
		return flags;
	}
	fail_msg("no VERSION sent");
	return 0;
}

static void
group(unsigned n, const uint32_t *nodeids, const uint32_t *pids)
{
	struct pl_membership_member mem[8];

	for (unsigned i = 0; i < n; i++)
		mem[i] = (struct pl_membership_member){ nodeids[i], pids[i], "n" };
	fk.ops.group_change(fake_memb, "cib", mem, n, NULL, 0, NULL, 0, fk.ops_arg);
}

/* A client's update on this node: call id `call`. */
static void
submit(uint32_t call)
{
	struct cib_waiter w = { .client_id = 7, .call_id = call };
	struct cib_update u = { .op = PL_CIB_OP_MODIFY,
		.section = "status",
		.origin = "n1",
		.client = "test",
		.user = "root" };

	const char *text = "<node_state id=\"x\"/>";

	/* the input as the server parsed it (odd calls) or not (even): the same either way */
	cib_repl_submit(&u, text, call % 2 ? pl_xml_parse_string(text, "t", NULL) : NULL, &w);
}

static bool
applied(uint32_t call)
{
	for (unsigned i = 0; i < fk.applied; i++)
		if (fk.applied_call[i] == call)
			return true;
	return false;
}

/* The answer call got: its rc, or -1 when it has none (silence). */
static int
answer_of(uint32_t call)
{
	int rc = -1;

	for (unsigned i = 0; i < fk.replies; i++)
		if (fk.reply_call[i] == call) {
			assert_int_equal(rc, -1); /* answered once */
			rc = fk.reply_rc[i];
		}
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < fk.n_out; i++)
		free(fk.out[i].data);
	memset(&fk, 0, sizeof(fk));
	enc = pl_peer_new(PL_SVC_CIB, PL_MEMBERSHIP_PEER_FRAME_MAX, NULL);
	cib_repl_start();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cib_repl_stop();
	pl_peer_free(enc);
	for (unsigned i = 0; i < fk.n_out; i++)
		free(fk.out[i].data);
	fk.n_out = 0;
	return 0;
}

static const uint32_t ids2[] = { 1, 2 }, ids3[] = { 1, 2, 3 };
static uint32_t pids2[2], pids3[3];

/* Every member's VERSION for the round we offered in (ours first, then node k's with
 * flags[k]); returns that round's view. */
static uint64_t
versions(unsigned n, const uint32_t *flags)
{
	uint64_t view;
	uint32_t round;

	our_version_flags(&view, &round);
	assert_int_equal(from_us(), PL_PEER_CIB_VERSION);
	for (unsigned k = 1; k < n; k++)
		from_peer(ids3[k], pids3[k], PL_PEER_CIB_VERSION, view, round, (uint64_t)0,
		    (uint64_t)5, (uint64_t)0, DIGEST, flags[k]);
	return view;
}

static uint64_t held_view; /* the view of hold_one's round */

/* Round 0 of {1, 2} does not finish (node 2 never answers); our client's update 41 is
 * delivered meanwhile and held. */
static void
hold_one(void)
{
	pids2[0] = pids3[0] = (uint32_t)getpid();
	pids2[1] = pids3[1] = 200;
	pids3[2] = 300;
	group(2, ids2, pids2);
	our_version_flags(&held_view, &(uint32_t){ 0 });
	assert_int_equal(from_us(), PL_PEER_CIB_VERSION);
	assert_false(cib_repl_active());
	submit(41);
	assert_int_equal(from_us(), PL_PEER_CIB_UPDATE);
	assert_false(applied(41));
	assert_int_equal(answer_of(41), -1);
}

/* The flags of a member holding exactly what we hold (node 2, in the same rounds as us). */
static uint32_t
same_held(void)
{
	uint64_t view;
	uint32_t round, flags = our_version_flags(&view, &round);

	assert_true(flags & 2); /* we are behind */
	return flags;
}

/* The defect: node 3 joins from elsewhere with the same CIB (its status known, holding
 * nothing); it wins, and its copy equals ours. Update 41, held since round 0, is not in its
 * copy: it was dropped without a word before; now it is applied nowhere and answered 75. */
static void
test_held_winner_equal(void **state)
{
	uint32_t flags[3];
	uint64_t view;

	(void)state;
	hold_one();
	group(3, ids3, pids3);
	flags[1] = same_held();
	flags[2] = 1;
	view = versions(3, flags);
	assert_false(cib_repl_active());
	from_peer(3, 300, PL_PEER_CIB_SYNC, view, 0u, "<cib/>");
	assert_true(cib_repl_active());
	assert_int_equal(fk.syncs, 1); /* same digest, but its status is the cluster's */
	assert_false(applied(41));
	assert_int_equal(answer_of(41), PL_EXIT_TEMPFAIL);
	assert_true(fk.resumes > 0);
}

/* Node 3 joins fresh (status unknown, holding nothing) while {1, 2} hold update 41: we win
 * and node 3 takes our frozen copy, without 41. Applying 41 on nodes 1 and 2 only (as before)
 * left node 3 diverged until the periodic check; now nobody applies it and its client hears. */
static void
test_held_joiner(void **state)
{
	uint32_t flags[3];

	(void)state;
	hold_one();
	group(3, ids3, pids3);
	flags[1] = same_held();
	flags[2] = 0;
	versions(3, flags);
	assert_int_equal(from_us(), PL_PEER_CIB_SYNC); /* ours, the newest (lowest node id) */
	assert_true(cib_repl_active());
	assert_false(applied(41));
	assert_int_equal(answer_of(41), PL_EXIT_TEMPFAIL);
}

/* A stuck round started again among the same members: every member holds update 41, so it
 * is applied after the round, once, and answered 0. */
static void
test_held_resync(void **state)
{
	uint32_t flags[2];

	(void)state;
	hold_one();
	from_peer(2, 200, PL_PEER_CIB_RESYNC, held_view); /* round 1, same members */
	flags[1] = same_held();
	versions(2, flags);
	assert_int_equal(from_us(), PL_PEER_CIB_SYNC);
	assert_true(cib_repl_active());
	assert_true(applied(41));
	assert_int_equal(fk.applied, 1);
	assert_int_equal(answer_of(41), 0);
}

/* An update paceline-membership refuses to send is answered with the refusal at once. */
static void
test_send_refused(void **state)
{
	uint32_t flags[2] = { 0, 0 };

	(void)state;
	pids3[0] = (uint32_t)getpid();
	pids3[1] = 200;
	group(2, ids3, pids3);
	versions(2, flags);
	assert_true(cib_repl_active()); /* all equal: no copy moves */
	fk.send_fail = PL_EXIT_TEMPFAIL;
	submit(42);
	assert_int_equal(fk.n_out, 0);
	assert_int_equal(answer_of(42), PL_EXIT_TEMPFAIL);
	submit(43);
	assert_int_equal(from_us(), PL_PEER_CIB_UPDATE);
	assert_true(applied(43));
	assert_int_equal(answer_of(43), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_held_winner_equal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_joiner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_resync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_refused, setup, teardown),
	};

	log_set_level(PL_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
