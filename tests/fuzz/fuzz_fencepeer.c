/* fuzz_fencepeer.c - what paceline-stonithd receives from the other fencers: frames of the
 * membership group `stonithd` through lib/ipc's peer decoder and stonithd/peer.c (REQUEST,
 * QUERY_REPLY, EXEC, EXEC_DONE, RESULT of include/paceline/msg/stonithd-peer.def), each
 * decoded message handed to the request state machine (stonithd_core) of node 1 in a 3-node
 * group, as stonithd/io.c does.
 *
 * Input: [u8 mode][records...].
 *   mode bit 0 clear: raw frames, each [u8 sender 0..3][u16 length, network order][bytes];
 *   mode bit 0 set: structured records, each [u8 type][u8 n][n bytes]: type % 8 is a
 *     REQUEST, QUERY_REPLY, EXEC, EXEC_DONE or RESULT from node 2 or 3 (ids of ops that exist
 *     or not, targets and devices known or not, executors outside the group, any rc), encoded
 *     by stonithd_peer_send into valid frames; 5 a local request (node 1 is the origin);
 *     6 the agent run here ends (rc from the input); 7 a membership change (a subset holding
 *     node 1).
 *   mode bit 1: a topology of two levels for every target, else none (each capable device).
 *   Time moves on between records (deadlines fire). Node 1's own messages come back to it
 *   through the decoder after each record, as the group delivers them.
 * PL_FUZZ_DUMP=FILE appends the frames structured records became, as raw records.
 * Oracle: no crash or sanitizer report; everything node 1 sends encodes; every result it
 * reports has its strings and a known outcome; every agent run names its device, action
 * and target. */
#include <string.h>

#include "paceline/peer.h"
#include "paceline/xalloc.h"
#include "core.h"
#include "fuzz.h"
#include "outbox.h"
#include "peer.h"


struct world {
	struct stonithd *s;
	struct pl_peer *enc, *dec;
	uint64_t now;
	bool topology;
	uint64_t ids[8]; /* op ids seen (requests), newest last */
	unsigned n_ids;
	uint64_t exec_id; /* the agent run here, 0 none */
	char exec_device[32];
	struct fuzz_outbox out; /* frames node 1 sent, delivered back after the current input */
};

static struct world w;
static const char *const names[] = { "n1", "n2", "n3" };

static void
remember(uint64_t id)
{
	if (w.n_ids == 8)
		memmove(w.ids, w.ids + 1, 7 * sizeof(w.ids[0])), w.n_ids--;
	w.ids[w.n_ids++] = id;
}

static void
op_send(void *arg, const struct stonithd_msg *m)
{
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	FUZZ_CHECK(stonithd_peer_send(w.enc, fuzz_outbox_put, &w.out, m, &err));
}

static size_t
op_capable(void *arg, const char *target, const char *action, char ***out)
{
	(void)arg, (void)action;
	*out = NULL;
	if (strcmp(target, "n1") == 0)
		return 0;
	*out = xcalloc(2, sizeof(char *));
	(*out)[0] = xstrdup("fence-a");
	(*out)[1] = xstrdup("fence-b");
	return 2;
}

static size_t
op_levels(void *arg, const char *target, char **levels[STONITHD_MAX_LEVELS],
    size_t n_dev[STONITHD_MAX_LEVELS])
{
	(void)arg, (void)target;
	if (!w.topology)
		return 0;
	levels[0] = xcalloc(1, sizeof(char *));
	levels[0][0] = xstrdup("fence-b");
	n_dev[0] = 1;
	levels[1] = xcalloc(2, sizeof(char *));
	levels[1][0] = xstrdup("fence-a");
	levels[1][1] = xstrdup("fence-c");
	n_dev[1] = 2;
	return 2;
}

static void
op_exec(void *arg, uint64_t id, const char *device, const char *action, const char *target,
    uint32_t timeout_ms)
{
	(void)arg, (void)action, (void)target, (void)timeout_ms;
	FUZZ_CHECK(device != NULL && action != NULL && target != NULL);
	w.exec_id = id;
	snprintf(w.exec_device, sizeof(w.exec_device), "%s", device);
}

static void
op_result(void *arg, const struct stonithd_result *r)
{
	(void)arg;
	FUZZ_CHECK(r->target && r->action && r->client && r->origin && r->delegate && r->device &&
	    r->reason);
	FUZZ_CHECK(r->rc <= STONITHD_RC_ORIGIN);
	FUZZ_CHECK(strlen(stonithd_rc_name(r->rc)) > 0);
}

static const char *
op_node_name(void *arg, uint32_t nodeid)
{
	(void)arg;
	return nodeid >= 1 && nodeid <= 3 ? names[nodeid - 1] : "";
}

static uint64_t
op_wall_ms(void *arg)
{
	(void)arg;
	return 1700000000000ull + w.now;
}

static void
op_log(void *arg, int level, const char *line)
{
	(void)arg, (void)level, (void)line;
}

static const struct stonithd_ops ops = {
	.send = op_send,
	.capable = op_capable,
	.levels = op_levels,
	.exec = op_exec,
	.result = op_result,
	.node_name = op_node_name,
	.wall_ms = op_wall_ms,
	.log = op_log,
};

static void
deliver(struct stonithd_msg *m, void *arg)
{
	(void)arg;
	if (m->type == STONITHD_MSG_REQUEST)
		remember(m->id);
	stonithd_recv(w.s, m, w.now);
}

static void
advance(uint64_t ms)
{
	uint64_t dl;

	w.now += ms;
	while ((dl = stonithd_next_deadline(w.s)) != UINT64_MAX && dl <= w.now) {
		stonithd_tick(w.s, w.now);
		fuzz_outbox_flush(&w.out, w.dec);
	}
}

/* Mostly a known name, else whatever the input says. */
static const char *
pick(const uint8_t **p, size_t *n, const char *const *known, unsigned nk, char *buf)
{
	uint32_t k = fuzz_number(p, n) % (nk + 1);

	return k < nk ? known[k] : fuzz_field(p, n, buf, 16);
}

static uint64_t
op_id(const uint8_t **p, size_t *n)
{
	uint32_t k = fuzz_number(p, n);

	if (k % 4 != 3 && w.n_ids > 0)
		return w.ids[k % w.n_ids];
	return (uint64_t)(k % 4) << 32 | fuzz_number(p, n);
}

static bool
feed_frame(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	uint32_t sender = *(const uint32_t *)arg;
	const char *dump = getenv("PL_FUZZ_DUMP");

	(void)err;
	if (dump != NULL) {
		FILE *f = fopen(dump, "ab");
		uint8_t hdr[3] = { (uint8_t)(sender - 1), (uint8_t)(len >> 8), (uint8_t)len };

		if (f != NULL) {
			fwrite(hdr, 1, 3, f);
			fwrite(frame, 1, len, f);
			fclose(f);
		}
	}
	pl_peer_receive(w.dec, sender, 100 + sender, frame, len);
	return true;
}

static void
structured(uint8_t type, const uint8_t *p, size_t n)
{
	static const char *const devices[] = { "fence-a", "fence-b", "fence-c" };
	static const char *const actions[] = { "reboot", "off", "on" };
	struct pl_error err = PL_ERROR_INIT;
	struct stonithd_msg m = { .type = (enum stonithd_msg_type)(1 + type % 8) };
	uint32_t sender = 2 + (type >> 7);
	char b[8][16];
	const char *devs[3];

	switch (type % 8) {
	case 5: {
		const char *target = pick(&p, &n, names, 3, b[0]);
		const char *action = pick(&p, &n, actions, 3, b[1]);
		uint32_t timeout = fuzz_number(&p, &n) % 200000, flags = fuzz_number(&p, &n) & 3;
		uint64_t id = stonithd_fence(
		    w.s, target, action, "fuzz", timeout, flags, fuzz_number(&p, &n) % 5000, w.now);
		if (id != 0)
			remember(id);
		return;
	}
	case 6:
		if (w.exec_id != 0) {
			uint64_t id = w.exec_id;
			w.exec_id = 0;
			stonithd_exec_done(w.s, id, (int)(fuzz_number(&p, &n) % 3) - 1,
			    fuzz_field(&p, &n, b[0], 16), w.now);
		}
		return;
	case 7: {
		uint32_t nodes[3], k = 0, mask = fuzz_number(&p, &n) | 1;
		for (uint32_t i = 1; i <= 3; i++)
			if ((mask >> (i - 1)) & 1)
				nodes[k++] = i;
		stonithd_members(w.s, nodes, k, w.now);
		return;
	}
	}
	m.id = op_id(&p, &n);
	switch (m.type) {
	case STONITHD_MSG_REQUEST:
		m.target = pick(&p, &n, names, 3, b[0]);
		m.action = pick(&p, &n, actions, 3, b[1]);
		m.client = fuzz_field(&p, &n, b[2], 16);
		m.timeout_ms = fuzz_number(&p, &n) % 200000;
		m.flags = fuzz_number(&p, &n) & 3;
		m.id = (uint64_t)sender << 32 | (fuzz_number(&p, &n) % 16);
		m.delay_ms = fuzz_number(&p, &n) % 5000;
		break;
	case STONITHD_MSG_QUERY_REPLY:
		m.n_devices = fuzz_number(&p, &n) % 4;
		for (size_t i = 0; i < m.n_devices; i++)
			devs[i] = pick(&p, &n, devices, 3, b[i]);
		m.devices = (char **)devs;
		break;
	case STONITHD_MSG_EXEC:
		m.executor = fuzz_number(&p, &n) % 5;
		m.device = pick(&p, &n, devices, 3, b[0]);
		m.action = pick(&p, &n, actions, 3, b[1]);
		m.target = pick(&p, &n, names, 3, b[2]);
		m.timeout_ms = fuzz_number(&p, &n) % 200000;
		break;
	case STONITHD_MSG_EXEC_DONE:
		m.device = pick(&p, &n, devices, 3, b[0]);
		m.rc = (int)(fuzz_number(&p, &n) % 4) - 1;
		m.reason = fuzz_field(&p, &n, b[1], 16);
		break;
	default: /* RESULT */
		m.rc = (int)(fuzz_number(&p, &n) % 7) - 1;
		m.reason = fuzz_field(&p, &n, b[0], 16);
		m.device = pick(&p, &n, devices, 3, b[1]);
		m.delegate = pick(&p, &n, names, 3, b[2]);
		m.completed_ms = fuzz_number(&p, &n);
		m.ran_as = fuzz_number(&p, &n) % 2 ? m.id : op_id(&p, &n);
		break;
	}
	/* a message the encoder refuses is not a finding: the raw mode covers the decoder */
	(void)stonithd_peer_send(w.enc, feed_frame, &sender, &m, &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t all[3] = { 1, 2, 3 };
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++, size--;
	memset(&w, 0, sizeof(w));
	w.topology = (mode & 2) != 0;
	w.now = 1000;
	w.s = stonithd_new(1, &ops, NULL);
	w.enc = pl_peer_new(PL_SVC_STONITHD, 512, NULL);
	w.dec = stonithd_peer_new(512, deliver, NULL);
	stonithd_members(w.s, all, 3, w.now);
	while (size >= 3) {
		size_t len;

		if (mode & 1) {
			len = data[1];
			if (len > size - 2)
				len = size - 2;
			structured(data[0], data + 2, len);
			data += 2 + len;
			size -= 2 + len;
		} else {
			len = (size_t)data[1] << 8 | data[2];
			if (len > size - 3)
				len = size - 3;
			pl_peer_receive(w.dec, 1 + data[0] % 4, 100 + 1 + data[0] % 4, data + 3, len);
			data += 3 + len;
			size -= 3 + len;
		}
		fuzz_outbox_flush(&w.out, w.dec);
		advance(1 + (len % 7) * 400);
	}
	advance(600000);
	fuzz_outbox_flush(&w.out, w.dec);
	if (getenv("PL_FUZZ_DEBUG"))
		fprintf(stderr, "end: %zu active\n", stonithd_active(w.s));
	stonithd_free(w.s);
	pl_peer_free(w.dec);
	pl_peer_free(w.enc);
	fuzz_outbox_flush(&w.out, NULL);
	return 0;
}
