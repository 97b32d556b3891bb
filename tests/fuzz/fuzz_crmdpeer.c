/* fuzz_crmdpeer.c - what paceline-crmd receives from the other controllers: frames of the
 * membership group `crmd` through lib/ipc's peer decoder and crmd/peer.c (the kinds of
 * include/paceline/msg/crmd-peer.def), each decoded message then handed to the controller's
 * state machine (crmd_core) of node 1 in a 3-node configuration, as crmd/io.c does.
 *
 * Input: [u8 mode][records...].
 *   mode bit 0 clear: raw frames, each [u8 sender 0..3][u16 length, network order][bytes]
 *     (the decoder's checks, pieces from several senders);
 *   mode bit 0 set: structured records, each [u8 type][u8 sender][u8 n][n bytes], encoded
 *     by crmd_peer_send into valid frames: well-formed messages with hostile contents (join
 *     ids nobody offered, senders outside the membership, actions for unknown resources,
 *     results nobody asked for, histories with odd fields).
 *   mode bit 1: node 1 first wins its election and runs a join round (it is the DC), else
 *     node 2 is the DC and node 1 a member.
 *   Time moves on between records (timers fire: elections, join timeouts).
 * PL_FUZZ_DUMP=FILE writes the frames structured records became, as raw records (how the raw
 * seeds were made: a raw seed starts with mode byte 0 or 2).
 * Oracle: no crash or sanitizer report, the controller is in a named state, a DC follows
 * itself, and every message it sends encodes (crmd_peer_send accepts it). */
#include <string.h>

#include "paceline/pack.h"
#include "paceline/peer.h"
#include "fuzz.h"
#include "peer.h"

struct world {
	struct crmd *c;
	struct pl_peer *enc; /* encodes what node 1 sends and the structured records */
	uint64_t now;
	uint64_t vote_id, offer_id, pengine_ref;
	bool pengine_pending;
};

static struct world w;

static bool
discard_frame(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	(void)arg, (void)frame, (void)len, (void)err;
	return true;
}

static void
op_send(void *arg, const struct crmd_msg *m)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	if (m->type == CRMD_MSG_VOTE)
		w.vote_id = m->id;
	if (m->type == CRMD_MSG_JOIN_OFFER)
		w.offer_id = m->id;
	FUZZ_CHECK(crmd_peer_send(w.enc, discard_frame, NULL, m, NULL, &err));
}

static void
op_cib_version(void *arg, struct crmd_cib_version *v)
{
	(void)arg;
	v->admin_epoch = 0;
	v->epoch = 5;
	v->num_updates = 1;
}

static size_t
op_lrmd_history(void *arg, struct crmd_op_result **out)
{
	(void)arg;
	*out = NULL;
	return 0;
}

static void
op_pe_request(void *arg, uint64_t ref)
{
	(void)arg;
	w.pengine_ref = ref;
	w.pengine_pending = true;
}

static void
op_log(void *arg, int level, const char *line)
{
	(void)arg, (void)level, (void)line;
}

static uint64_t
op_wall_s(void *arg)
{
	(void)arg;
	return 1700000000 + w.now / 1000;
}

/* What the daemon does through the other ops does not feed back into the state machine. */
static void
op_sync_from(void *a, uint32_t n)
{
	(void)a, (void)n;
}
static void
op_record(void *a, uint32_t n, const struct crmd_rsc_action *q, const struct crmd_op_result *r)
{
	(void)a, (void)n, (void)q, (void)r;
}
static void
op_replace(void *a, uint32_t n, const struct crmd_op_result *o, size_t k)
{
	(void)a, (void)n, (void)o, (void)k;
}
static void
op_node_state(void *a, const struct crmd_node_state *ns)
{
	(void)a, (void)ns;
}
static void
op_dc_info(void *a, uint32_t dc, bool q)
{
	(void)a, (void)dc, (void)q;
}
static void
op_fail(void *a, uint32_t n, const char *r, const char *x, uint32_t i, uint64_t t)
{
	(void)a, (void)n, (void)r, (void)x, (void)i, (void)t;
}
static void
op_clear_fail(void *a, uint32_t n, const char *r, const char *x, uint32_t i)
{
	(void)a, (void)n, (void)r, (void)x, (void)i;
}
static void
op_forget(void *a, uint32_t n, const char *r)
{
	(void)a, (void)n, (void)r;
}
static void
op_exec(void *a, const struct crmd_rsc_action *x)
{
	(void)a, (void)x;
}
static void
op_cancel(void *a, const char *r, const char *x, uint32_t i)
{
	(void)a, (void)r, (void)x, (void)i;
}
static void
op_lrmd_forget(void *a, const char *r)
{
	(void)a, (void)r;
}

static const struct crmd_ops ops = {
	.send = op_send,
	.cib_sync_from = op_sync_from,
	.cib_record_op = op_record,
	.cib_replace_history = op_replace,
	.cib_node_state = op_node_state,
	.cib_dc_info = op_dc_info,
	.cib_fail_count = op_fail,
	.cib_clear_fail_count = op_clear_fail,
	.cib_forget = op_forget,
	.lrmd_exec = op_exec,
	.lrmd_cancel = op_cancel,
	.lrmd_forget = op_lrmd_forget,
	.cib_version = op_cib_version,
	.lrmd_history = op_lrmd_history,
	.pengine_request = op_pe_request,
	.log = op_log,
	.wall_s = op_wall_s,
};

static void
advance(uint64_t ms)
{
	uint64_t dl;

	w.now += ms;
	while ((dl = crmd_next_deadline(w.c)) != 0 && dl <= w.now)
		crmd_tick(w.c, w.now);
	if (w.pengine_pending) {
		w.pengine_pending = false;
		crmd_pe_graph(w.c, w.pengine_ref,
		    "<transition_graph cluster-delay=\"60s\" stonith-timeout=\"60s\" "
		    "failed-stop-offset=\"INFINITY\" failed-start-offset=\"INFINITY\" "
		    "transition_id=\"1\"/>",
		    w.now);
	}
}

static void
deliver(struct crmd_peer_msg *pm, void *arg)
{
	(void)arg;
	if (pm->m.type >= CRMD_MSG_VOTE && pm->m.type < CRMD_MSG_TYPE_MAX)
		crmd_recv(w.c, &pm->m, w.now);
}

/* Votes from 2 and 3 that lose to node 1, then their join requests and confirmations. */
static void
become_dc(struct pl_peer *dec)
{
	uint32_t ids[3] = { 1, 2, 3 };

	for (uint32_t n = 2; n <= 3; n++) {
		struct crmd_msg m = { .type = CRMD_MSG_VOTE, .id = w.vote_id };

		m.u.vote.members_hash = crmd_members_hash(ids, 3);
		m.u.vote.start_ms = 1000000 + n;
		m.from = n;
		crmd_recv(w.c, &m, w.now);
	}
	(void)dec;
	advance(10);
	for (uint32_t n = 2; n <= 3; n++) {
		struct crmd_msg m = { .type = CRMD_MSG_JOIN_REQUEST, .id = w.offer_id, .to = 1 };

		m.from = n;
		m.u.cib.epoch = 5;
		crmd_recv(w.c, &m, w.now);
	}
	advance(10);
	for (uint32_t n = 2; n <= 3; n++) {
		struct crmd_msg m = { .type = CRMD_MSG_JOIN_CONFIRM, .id = w.offer_id, .to = 1 };

		m.from = n;
		crmd_recv(w.c, &m, w.now);
	}
	advance(10);
}

/* Node 2 wins the election (it started first) and takes node 1 into its join round 77. */
static void
become_member(void)
{
	uint32_t ids[3] = { 1, 2, 3 };
	struct crmd_msg m = { .type = CRMD_MSG_VOTE };

	for (uint32_t n = 2; n <= 3; n++) {
		m = (struct crmd_msg){ .type = CRMD_MSG_VOTE, .id = w.vote_id, .from = n };
		m.u.vote.members_hash = crmd_members_hash(ids, 3);
		m.u.vote.start_ms = n == 2 ? 1000 : 3000000;
		crmd_recv(w.c, &m, w.now);
	}
	advance(10);
	m = (struct crmd_msg){ .type = CRMD_MSG_JOIN_OFFER, .id = 77, .from = 2, .to = 1 };
	crmd_recv(w.c, &m, w.now);
	advance(10);
	m = (struct crmd_msg){ .type = CRMD_MSG_JOIN_ACK, .id = 77, .from = 2, .to = 1 };
	m.u.accepted = true;
	crmd_recv(w.c, &m, w.now);
	advance(10);
	w.offer_id = 77;
}

/* One structured record into frames for the decoder. */
static bool
feed_frame(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	struct pl_peer *dec = arg;
	const char *dump = getenv("PL_FUZZ_DUMP");

	(void)err;
	if (dump != NULL) {
		FILE *f = fopen(dump, "ab");
		uint8_t hdr[3] = { 1, (uint8_t)(len >> 8), (uint8_t)len };

		if (f != NULL) {
			fwrite(hdr, 1, 3, f);
			fwrite(frame, 1, len, f);
			fclose(f);
		}
	}
	pl_peer_receive(dec, 2, 200, frame, len);
	return true;
}

static void
structured(struct pl_peer *dec, uint8_t type, const uint8_t *p, size_t n)
{
	struct pl_error err = PL_ERROR_INIT;
	struct crmd_msg m = { .type = (enum crmd_msg_type)(1 + type % (CRMD_MSG_TYPE_MAX - 1)) };
	char b[9][16];
	struct crmd_op_result r[2];

	memset(r, 0, sizeof(r));
	m.to = fuzz_number(&p, &n) % 5;
	m.id = fuzz_number(&p, &n) % 4 == 0 ? w.offer_id : fuzz_number(&p, &n);
	switch (m.type) {
	case CRMD_MSG_VOTE:
		m.id = fuzz_number(&p, &n) % 2 ? w.vote_id : m.id;
		m.u.vote.members_hash = fuzz_number(&p, &n);
		m.u.vote.start_ms = fuzz_number(&p, &n);
		m.u.vote.was_dc = fuzz_number(&p, &n) & 1;
		break;
	case CRMD_MSG_JOIN_REQUEST:
		m.u.cib.admin_epoch = fuzz_number(&p, &n) % 3;
		m.u.cib.epoch = fuzz_number(&p, &n) % 9;
		m.u.cib.num_updates = fuzz_number(&p, &n);
		break;
	case CRMD_MSG_JOIN_ACK: m.u.accepted = fuzz_number(&p, &n) & 1; break;
	case CRMD_MSG_JOIN_CONFIRM:
	case CRMD_MSG_ACTION_RESULT:
		for (int i = 0; i < 2; i++) {
			r[i].rsc_id = (char *)fuzz_field(&p, &n, b[0 + i * 4], 16);
			r[i].rclass = "ocf";
			r[i].provider = "paceline";
			r[i].type = "Dummy";
			r[i].action = (char *)fuzz_field(&p, &n, b[1 + i * 4], 16);
			r[i].transition_key = (char *)fuzz_field(&p, &n, b[2 + i * 4], 16);
			r[i].exit_reason = "";
			r[i].op_digest = (char *)fuzz_field(&p, &n, b[3 + i * 4], 16);
			r[i].op_restart_digest = "";
			r[i].interval_ms = fuzz_number(&p, &n) % 3 * 10000;
			r[i].call_id = fuzz_number(&p, &n);
			r[i].rc = (int)(fuzz_number(&p, &n) % 12) - 1;
			r[i].status = (int)(fuzz_number(&p, &n) % 9) - 1;
			r[i].target_rc = (int)(fuzz_number(&p, &n) % 10) - 1;
		}
		if (m.type == CRMD_MSG_JOIN_CONFIRM) {
			m.u.history.ops = r;
			m.u.history.n = fuzz_number(&p, &n) % 3;
		} else
			m.u.result = r[0];
		break;
	case CRMD_MSG_ACTION:
		m.u.action.rsc_id = (char *)fuzz_field(&p, &n, b[0], 16);
		m.u.action.rclass = "ocf";
		m.u.action.provider = "paceline";
		m.u.action.type = "Dummy";
		m.u.action.action = (char *)fuzz_field(&p, &n, b[1], 16);
		m.u.action.cancel_action = (char *)fuzz_field(&p, &n, b[2], 16);
		m.u.action.transition_key = (char *)fuzz_field(&p, &n, b[3], 16);
		m.u.action.interval_ms = fuzz_number(&p, &n) % 3 * 10000;
		m.u.action.timeout_ms = fuzz_number(&p, &n) % 100000;
		m.u.action.target_rc = (int)(fuzz_number(&p, &n) % 10) - 1;
		break;
	case CRMD_MSG_REFRESH:
		m.u.rsc_id = fuzz_number(&p, &n) & 1 ? (char *)fuzz_field(&p, &n, b[0], 16) : NULL;
		break;
	default: break;
	}
	/* a message the encoder refuses is not a finding: the raw mode covers the decoder */
	(void)crmd_peer_send(w.enc, feed_frame, dec, &m, NULL, &err);
	(void)r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crmd_options opt;
	struct crmd_member members[3] = { { 1, "n1", true }, { 2, "n2", true }, { 3, "n3", true } };
	struct pl_peer *dec;
	uint8_t mode;
	enum crmd_state st;

	if (size < 1)
		return 0;
	mode = data[0];
	data++, size--;
	memset(&w, 0, sizeof(w));
	crmd_default_options(&opt);
	w.enc = pl_peer_new(PL_SVC_CRMD, 512, NULL);
	dec = crmd_peer_new(512, deliver, NULL);
	/* node 1 started first (its vote wins) when it is to be the DC, last otherwise */
	w.c = crmd_new(1, "n1", (mode & 2) ? 1000000 : 2000000, &opt, &ops, NULL);
	crmd_start(w.c, w.now);
	crmd_membership(w.c, members, 3, 3, true, w.now);
	advance(1);
	if (mode & 2)
		become_dc(dec);
	else
		become_member();
	if (getenv("PL_FUZZ_DEBUG"))
		fprintf(stderr, "setup: %s, dc %u\n", crmd_state_name(crmd_get_state(w.c)),
		    crmd_dc(w.c));
	while (size >= 3) {
		size_t len;

		if (mode & 1) {
			len = data[2];
			if (len > size - 3)
				len = size - 3;
			structured(dec, data[0], data + 3, len);
		} else {
			len = (size_t)data[1] << 8 | data[2];
			if (len > size - 3)
				len = size - 3;
			pl_peer_receive(dec, 1 + data[0] % 4, 100 + data[0] % 4, data + 3, len);
		}
		data += 3 + len;
		size -= 3 + len;
		advance(1 + (len % 7) * 400);
		st = crmd_get_state(w.c);
		FUZZ_CHECK(strlen(crmd_state_name(st)) > 0);
		FUZZ_CHECK(!crmd_is_dc(w.c) || crmd_dc(w.c) == 1);
	}
	crmd_shutdown(w.c, w.now);
	advance(100000);
	crmd_free(w.c);
	pl_peer_free(dec);
	pl_peer_free(w.enc);
	return 0;
}
