/* fuzz_attrdpeer.c - what paceline-attrd receives from the other nodes' attrd: frames of the
 * membership group `attrd` through lib/ipc's peer decoder and attrd/peer.c (the kinds of
 * include/paceline/msg/attrd-peer.def), each decoded message handed to the attribute store
 * (attrd_core) of node 1 in a 3-node configuration, as attrd/memb.c does.
 *
 * Input: [u8 mode][records...].
 *   mode bit 0 clear: raw frames, each [u8 sender 0..3][u16 length, network order][bytes]
 *     (the decoder's checks, pieces from several senders);
 *   mode bit 0 set: structured records, each [u8 type][u8 n][n bytes]: type % 5 is
 *     0 an UPDATE, 1 a SYNC (entries with hostile fields: empty or unknown hosts, odd sets,
 *     patterns, deletions, huge delays), both encoded by pl_peer_send into valid frames from
 *     node 2 or 3; 2 a group change (members a subset holding node 1, with or without joins,
 *     nodes alive or not); 3 the CIB write in flight completes (ok or failed); 4 a timer fires.
 *   Setup: the group {1, 2, 3} forms and nodes 2 and 3 send their views (node 1 is the writer).
 * PL_FUZZ_DUMP=FILE appends the frames structured records became, as raw records (how the
 * raw seeds were made: a raw seed starts with mode byte 0).
 * Oracle: no crash or sanitizer report; the store is in a named state; every entry it holds
 * has a host and a name; every sync message it sends encodes (and comes back to it through
 * the decoder, as the group delivers it); node 1, always the lowest member, is the writer,
 * with one CIB write in flight at most. */
#include <string.h>

#include "paceline/pack.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"
#include "core.h"
#include "fuzz.h"
#include "outbox.h"
#include "peer.h"

#define MAX_TIMERS 8

struct world {
	struct attrd_core *c;
	struct pl_peer *enc; /* encodes what node 1 sends and the structured records */
	struct pl_peer *dec;
	struct attrd_member members[3];
	size_t n_members;
	uint64_t write_id;
	bool write_pending;
	char timers[MAX_TIMERS][64]; /* armed timers ("" = the retry timer) */
	unsigned n_timers;
	bool alive[4];
	struct fuzz_outbox out; /* frames node 1 sent, delivered back after the current input */
};

static struct world w;
static const char *const hosts[] = { "n1", "n2", "n3" };

static void
op_send_sync(void *arg, uint64_t hash, bool fresh, const struct attrd_entry *v, size_t n)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;

	(void)arg;
	attrd_peer_pack_entries(&p, v, n);
	FUZZ_CHECK(pl_peer_send(w.enc, fuzz_outbox_put, &w.out, &err, PL_PEER_ATTRD_SYNC, hash,
	    (uint32_t)fresh, (const void *)p.data, p.len));
	pl_pack_free(&p);
}

static void
op_timer(void *arg, const char *name, uint32_t ms)
{
	const char *key = name ? name : "";
	unsigned i;

	(void)arg;
	for (i = 0; i < w.n_timers && strcmp(w.timers[i], key) != 0; i++)
		;
	if (ms == 0 && i < w.n_timers)
		memmove(&w.timers[i], &w.timers[i + 1], (w.n_timers-- - i - 1) * sizeof(w.timers[0]));
	else if (ms > 0 && i == w.n_timers && w.n_timers < MAX_TIMERS)
		snprintf(w.timers[w.n_timers++], sizeof(w.timers[0]), "%s", key);
}

static bool
op_write(void *arg, uint64_t id, const struct attrd_entry *v, size_t n)
{
	(void)arg;
	FUZZ_CHECK(!w.write_pending); /* one write in flight at a time */
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(v[i].host != NULL && v[i].name != NULL);
	w.write_id = id;
	w.write_pending = true;
	return true;
}

static void
op_clear_host(void *arg, const char *host)
{
	(void)arg;
	FUZZ_CHECK(host != NULL);
}

static bool
op_node_alive(void *arg, const char *host)
{
	(void)arg;
	for (int i = 0; i < 3; i++)
		if (strcmp(host, hosts[i]) == 0)
			return w.alive[i + 1];
	return false;
}

static void
op_log(void *arg, const char *line)
{
	(void)arg, (void)line;
}

static const struct attrd_ops ops = {
	.send_sync = op_send_sync,
	.timer = op_timer,
	.write = op_write,
	.clear_host = op_clear_host,
	.node_alive = op_node_alive,
	.log = op_log,
};

/* A host: one of the nodes mostly, else whatever the input says (empty, unknown). */
static const char *
host(const uint8_t **p, size_t *n, char *buf, size_t size)
{
	uint32_t k = fuzz_number(p, n) % 5;

	return k < 3 ? hosts[k] : fuzz_field(p, n, buf, size);
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
group_change(uint8_t mask, bool joins)
{
	struct attrd_member left[3];
	size_t nl = 0, n = 0;
	struct attrd_member now[3];

	mask |= 1; /* node 1 is always a member: it is this node */
	for (uint32_t id = 1; id <= 3; id++) {
		bool in = (mask >> (id - 1)) & 1, was = false;
		for (size_t i = 0; i < w.n_members; i++)
			was = was || w.members[i].nodeid == id;
		if (in)
			now[n++] = (struct attrd_member){ id, hosts[id - 1] };
		else if (was) {
			left[nl++] = (struct attrd_member){ id, hosts[id - 1] };
			pl_peer_forget(w.dec, id, 100 + id);
		}
	}
	memcpy(w.members, now, sizeof(now));
	w.n_members = n;
	attrd_core_group_change(w.c, now, n, left, nl, joins);
}

static void
sync_from(uint32_t sender, uint64_t hash, bool fresh, const struct attrd_entry *v, size_t n)
{
	struct pl_pack p = PL_PACK_INIT;
	struct pl_error err = PL_ERROR_INIT;

	attrd_peer_pack_entries(&p, v, n);
	(void)pl_peer_send(w.enc, feed_frame, &sender, &err, PL_PEER_ATTRD_SYNC, hash,
	    (uint32_t)fresh, (const void *)p.data, p.len);
	pl_pack_free(&p);
}

static void
structured(uint8_t type, const uint8_t *p, size_t n)
{
	struct pl_error err = PL_ERROR_INIT;
	uint32_t sender = 2 + (type >> 7);
	char b[12][16];

	switch (type % 5) {
	case 0: {
		const char *h = host(&p, &n, b[0], 16), *name = fuzz_field(&p, &n, b[1], 16);
		const char *value = fuzz_field(&p, &n, b[2], 16), *set = fuzz_field(&p, &n, b[3], 16);
		uint32_t dampen = fuzz_number(&p, &n) % 3000, flags = fuzz_number(&p, &n) & 0x7f;

		(void)pl_peer_send(w.enc, feed_frame, &sender, &err, PL_PEER_ATTRD_UPDATE, h, name,
		    value, set, dampen, flags);
		break;
	}
	case 1: {
		struct attrd_entry v[3];
		size_t k = fuzz_number(&p, &n) % 4;
		bool fresh = fuzz_number(&p, &n) & 1;
		uint64_t hash = fuzz_number(&p, &n) % 2 ? attrd_members_hash(w.members, w.n_members)
							: fuzz_number(&p, &n);

		for (size_t i = 0; i < k; i++) {
			v[i].host = host(&p, &n, b[4 * i], 16);
			v[i].name = fuzz_field(&p, &n, b[4 * i + 1], 16);
			v[i].value =
			    fuzz_number(&p, &n) % 3 ? fuzz_field(&p, &n, b[4 * i + 2], 16) : NULL;
			v[i].set =
			    fuzz_number(&p, &n) % 2 ? fuzz_field(&p, &n, b[4 * i + 3], 16) : NULL;
			v[i].dampen_ms = fuzz_number(&p, &n) % 3000;
			v[i].private_ = fuzz_number(&p, &n) & 1;
			v[i].util = fuzz_number(&p, &n) & 1;
		}
		sync_from(sender, hash, fresh, v, k);
		break;
	}
	case 2: {
		uint32_t x = fuzz_number(&p, &n);
		w.alive[2] = (x >> 8) & 1;
		w.alive[3] = (x >> 9) & 1;
		group_change((uint8_t)(x & 7), (x >> 4) & 1);
		break;
	}
	case 3:
		if (w.write_pending) {
			w.write_pending = false;
			attrd_core_write_done(w.c, w.write_id, fuzz_number(&p, &n) % 3 == 0 ? 0 : -5);
		}
		break;
	default:
		if (w.n_timers > 0) {
			char name[64];
			unsigned i = fuzz_number(&p, &n) % w.n_timers;

			snprintf(name, sizeof(name), "%s", w.timers[i]);
			memmove(&w.timers[i], &w.timers[i + 1],
			    (w.n_timers-- - i - 1) * sizeof(w.timers[0]));
			attrd_core_timer(w.c, name[0] ? name : NULL);
		}
		break;
	}
}

static void
check_store(void)
{
	struct attrd_entry *v = NULL;
	size_t n = attrd_core_dump(w.c, &v);
	enum attrd_state st = attrd_core_state(w.c);

	FUZZ_CHECK(st == ATTRD_ST_STABLE || st == ATTRD_ST_SYNC);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(v[i].host != NULL && v[i].name != NULL);
	free(v);
	FUZZ_CHECK(attrd_core_is_writer(w.c)); /* node 1 is always the lowest member */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mode;
	uint64_t hash;

	if (size < 1)
		return 0;
	mode = data[0];
	data++, size--;
	memset(&w, 0, sizeof(w));
	w.alive[1] = w.alive[2] = w.alive[3] = true;
	w.c = attrd_core_new("n1", 1, &ops, NULL);
	w.enc = pl_peer_new(PL_SVC_ATTRD, 512, NULL);
	w.dec = attrd_peer_new(512, w.c);
	group_change(7, true);
	hash = attrd_members_hash(w.members, w.n_members);
	sync_from(2, hash, false, NULL, 0);
	sync_from(3, hash, false, NULL, 0);
	fuzz_outbox_flush(&w.out, w.dec);
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
		check_store();
	}
	if (getenv("PL_FUZZ_DEBUG")) {
		struct attrd_entry *v = NULL;
		size_t n = attrd_core_dump(w.c, &v);

		fprintf(stderr, "end: state %d, %zu entries, %llu writes\n",
		    (int)attrd_core_state(w.c), n, (unsigned long long)attrd_core_writes(w.c));
		free(v);
	}
	attrd_core_free(w.c);
	pl_peer_free(w.dec);
	pl_peer_free(w.enc);
	return 0;
}
