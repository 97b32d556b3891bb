/*
 * peer.c - messages between nodes (include/paceline/peer.h): the kind table, the encoder that
 * cuts a payload into frames, and the one checked decoder with per-sender reassembly.
 * Pure: no I/O of its own (frames go out through a callback), unit- and fuzz-tested in
 * tests/unit/ipc/test_peer.c.
 */
#include <arpa/inet.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/peer.h"
#include "paceline/xalloc.h"

#define PL_PEER_MSG(svc, num, name, sig, maxlen)                                    \
	_Static_assert(PL_MSG_SERVICE_OF(num) == PL_SVC_##svc && ((num)&0xff) != 0, \
	    #name " has a kind outside the range of " #svc);
#include "paceline/msg/all.def"

static const struct pl_peer_def peer_table[PL_MSG_TYPE_LIMIT] = {
#define PL_PEER_MSG(svc, num, name, sig, maxlen) \
	[num] = { PL_PEER_##name, #name, PL_SVC_##svc, sig, maxlen },
#include "paceline/msg/all.def"
};

const struct pl_peer_def *
pl_peer_def(unsigned kind)
{
	if (kind == PL_PEER_NONE || kind >= PL_MSG_TYPE_LIMIT || peer_table[kind].name == NULL)
		return NULL;
	return &peer_table[kind];
}

const char *
pl_peer_name(unsigned kind)
{
	const struct pl_peer_def *d = pl_peer_def(kind);

	return d ? d->name : "unknown";
}

const char *
pl_peer_reject_name(enum pl_peer_reject why)
{
	static const char *const names[PL_PEER_REJ_COUNT] = {
		[PL_PEER_REJ_SHORT] = "short",
		[PL_PEER_REJ_MAGIC] = "magic",
		[PL_PEER_REJ_VERSION] = "version",
		[PL_PEER_REJ_KIND] = "kind",
		[PL_PEER_REJ_SERVICE] = "service",
		[PL_PEER_REJ_LENGTH] = "length",
		[PL_PEER_REJ_HANDLER] = "handler",
		[PL_PEER_REJ_PIECE] = "piece",
		[PL_PEER_REJ_SIG] = "signature",
	};

	return (unsigned)why < PL_PEER_REJ_COUNT ? names[why] : "unknown";
}

/* A sender's message being reassembled. */
struct partial {
	uint32_t kind;
	uint32_t total;
	uint32_t have;
	uint8_t *buf;
};

struct pl_peer {
	enum pl_service svc;
	size_t frame_max;
	void *arg;
	pl_peer_handler_fn handlers[256]; /* by the low byte of the kind */
	GHashTable *partials;		  /* (nodeid << 32 | pid) -> struct partial */
	uint64_t rejects[PL_PEER_REJ_COUNT];
	uint64_t delivered;
};

static void
partial_free(gpointer p)
{
	struct partial *pa = p;

	free(pa->buf);
	free(pa);
}

static guint
sender_hash(gconstpointer k)
{
	return g_int64_hash(k);
}

struct pl_peer *
pl_peer_new(enum pl_service svc, size_t frame_max, void *arg)
{
	struct pl_peer *pp = XNEW(struct pl_peer);

	if (frame_max <= PL_PEER_HDR_LEN)
		fatalx("peer: frame size %zu too small", frame_max);
	pp->svc = svc;
	pp->frame_max = frame_max;
	pp->arg = arg;
	pp->partials = g_hash_table_new_full(sender_hash, g_int64_equal, free, partial_free);
	return pp;
}

void
pl_peer_free(struct pl_peer *pp)
{
	if (pp == NULL)
		return;
	g_hash_table_destroy(pp->partials);
	free(pp);
}

void
pl_peer_handle(struct pl_peer *pp, enum pl_peer_kind kind, pl_peer_handler_fn fn)
{
	const struct pl_peer_def *d = pl_peer_def(kind);

	if (d == NULL || d->service != pp->svc)
		fatalx("peer: %s: cannot handle kind %#x: not one of this service",
		    pl_service_name(pp->svc), (unsigned)kind);
	pp->handlers[kind & 0xff] = fn;
}

uint64_t
pl_peer_rejects(const struct pl_peer *pp, enum pl_peer_reject why)
{
	return (unsigned)why < PL_PEER_REJ_COUNT ? pp->rejects[why] : 0;
}

uint64_t
pl_peer_delivered(const struct pl_peer *pp)
{
	return pp->delivered;
}

static uint64_t
sender_key(uint32_t nodeid, uint32_t pid)
{
	return (uint64_t)nodeid << 32 | pid;
}

void
pl_peer_forget(struct pl_peer *pp, uint32_t nodeid, uint32_t pid)
{
	uint64_t key = sender_key(nodeid, pid);

	g_hash_table_remove(pp->partials, &key);
}

static bool drop(struct pl_peer *pp, enum pl_peer_reject why, uint32_t nodeid, uint32_t pid,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static bool
drop(struct pl_peer *pp, enum pl_peer_reject why, uint32_t nodeid, uint32_t pid, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	uint64_t total = 0;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pp->rejects[why]++;
	for (unsigned i = 0; i < PL_PEER_REJ_COUNT; i++)
		total += pp->rejects[i];
	log_warnx("peer: %s: dropped a message from node %u pid %u: %s: %s (%llu dropped)",
	    pl_service_name(pp->svc), nodeid, pid, pl_peer_reject_name(why), text,
	    (unsigned long long)total);
	return false;
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

/* The whole payload is here: signature, then the handler. */
static void
deliver(struct pl_peer *pp, const struct pl_peer_def *d, uint32_t nodeid, uint32_t pid,
    const void *payload, size_t len)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_peer_msg m;

	if (!pl_pack_check(d->sig, payload, len, &err)) {
		drop(pp, PL_PEER_REJ_SIG, nodeid, pid, "%s payload does not match \"%s\": %s",
		    d->name, d->sig, err.text);
		return;
	}
	m = (struct pl_peer_msg){
		.kind = d->kind, .def = d, .nodeid = nodeid, .pid = pid, .payload = payload, .len = len
	};
	pp->delivered++;
	pp->handlers[d->kind & 0xff](&m, pp->arg);
}

static bool receive_frame(
    struct pl_peer *pp, uint32_t nodeid, uint32_t pid, const uint8_t *f, size_t len);

/* Where the frame at f ends: a frame that ends its message (offset + piece = total) may be
 * followed by another one in the same group message (a batch); any other frame, or one whose
 * header cannot be read, takes the rest. */
static size_t
frame_end(const uint8_t *f, size_t len)
{
	uint32_t total, off;

	if (len < PL_PEER_HDR_LEN || get32(f) != PL_PEER_MAGIC || get32(f + 4) != PL_PEER_VERSION)
		return len;
	total = get32(f + 12);
	off = get32(f + 16);
	if (off > total || len - PL_PEER_HDR_LEN <= (size_t)(total - off))
		return len;
	return PL_PEER_HDR_LEN + (size_t)(total - off);
}

bool
pl_peer_frame_ends_message(const void *frame, size_t len)
{
	const uint8_t *f = frame;

	return len >= PL_PEER_HDR_LEN && get32(f + 16) <= get32(f + 12) &&
	    len - PL_PEER_HDR_LEN == (size_t)(get32(f + 12) - get32(f + 16));
}

bool
pl_peer_receive(struct pl_peer *pp, uint32_t nodeid, uint32_t pid, const void *data, size_t len)
{
	const uint8_t *f = data;
	bool ok = true;

	do {
		size_t n = frame_end(f, len);

		ok &= receive_frame(pp, nodeid, pid, f, n);
		f += n;
		len -= n;
	} while (len > 0);
	return ok;
}

static bool
receive_frame(struct pl_peer *pp, uint32_t nodeid, uint32_t pid, const uint8_t *f, size_t len)
{
	const struct pl_peer_def *d;
	uint32_t magic, version, kind, total, off;
	size_t piece;
	uint64_t key = sender_key(nodeid, pid);
	struct partial *pa;

	if (len < PL_PEER_HDR_LEN)
		return drop(pp, PL_PEER_REJ_SHORT, nodeid, pid, "frame of %zu bytes, header is %u",
		    len, PL_PEER_HDR_LEN);
	magic = get32(f);
	version = get32(f + 4);
	kind = get32(f + 8);
	total = get32(f + 12);
	off = get32(f + 16);
	piece = len - PL_PEER_HDR_LEN;
	if (magic != PL_PEER_MAGIC)
		return drop(pp, PL_PEER_REJ_MAGIC, nodeid, pid, "magic %#x, expected %#x", magic,
		    PL_PEER_MAGIC);
	if (version != PL_PEER_VERSION)
		return drop(pp, PL_PEER_REJ_VERSION, nodeid, pid, "version %u, expected %u",
		    version, PL_PEER_VERSION);
	d = pl_peer_def(kind);
	if (d == NULL)
		return drop(pp, PL_PEER_REJ_KIND, nodeid, pid, "unknown kind %#x", kind);
	if (d->service != pp->svc)
		return drop(pp, PL_PEER_REJ_SERVICE, nodeid, pid, "%s belongs to service %s",
		    d->name, pl_service_name(d->service));
	if (total > pl_msg_effective_limit(d->maxlen))
		return drop(pp, PL_PEER_REJ_LENGTH, nodeid, pid,
		    "%s of %u bytes exceeds its limit of %zu", d->name, total,
		    pl_msg_effective_limit(d->maxlen));
	if (off > total || piece > total - off)
		return drop(pp, PL_PEER_REJ_LENGTH, nodeid, pid,
		    "%s piece of %zu bytes at offset %u runs past its total of %u", d->name, piece,
		    off, total);
	if (pp->handlers[kind & 0xff] == NULL)
		return drop(pp, PL_PEER_REJ_HANDLER, nodeid, pid, "%s is not handled here", d->name);
	pa = g_hash_table_lookup(pp->partials, &key);
	if (off == 0) {
		if (pa != NULL) {
			drop(pp, PL_PEER_REJ_PIECE, nodeid, pid, "%s abandoned at %u of %u bytes",
			    pl_peer_name(pa->kind), pa->have, pa->total);
			g_hash_table_remove(pp->partials, &key);
		}
		if (piece == total) { /* the common case: whole in one frame */
			deliver(pp, d, nodeid, pid, f + PL_PEER_HDR_LEN, piece);
			return true;
		}
		if (piece == 0)
			return drop(
			    pp, PL_PEER_REJ_PIECE, nodeid, pid, "%s: empty first piece", d->name);
		pa = XNEW(struct partial);
		pa->kind = kind;
		pa->total = total;
		pa->buf = xmalloc(total);
		g_hash_table_insert(pp->partials, g_memdup2(&key, sizeof(key)), pa);
	} else if (pa == NULL || pa->kind != kind || pa->total != total || pa->have != off ||
	    piece == 0) {
		if (pa != NULL)
			g_hash_table_remove(pp->partials, &key);
		return drop(pp, PL_PEER_REJ_PIECE, nodeid, pid,
		    "%s piece at offset %u of %u does not continue a message", d->name, off, total);
	}
	memcpy(pa->buf + off, f + PL_PEER_HDR_LEN, piece);
	pa->have += (uint32_t)piece;
	if (pa->have == pa->total) {
		uint8_t *buf = pa->buf;

		pa->buf = NULL;
		g_hash_table_remove(pp->partials, &key);
		deliver(pp, d, nodeid, pid, buf, total);
		free(buf);
	}
	return true;
}

bool
pl_peer_unpack(const struct pl_peer_msg *m, ...)
{
	struct pl_unpack r;
	va_list ap;
	bool ok;

	pl_unpack_init(&r, m->payload, m->len);
	va_start(ap, m);
	ok = pl_vunpack(&r, m->def->sig, ap);
	va_end(ap);
	return ok && pl_unpack_end(&r);
}

bool
pl_peer_vsend(struct pl_peer *pp, pl_peer_send_fn fn, void *fn_arg, struct pl_error *err,
    enum pl_peer_kind kind, va_list ap)
{
	const struct pl_peer_def *d = pl_peer_def(kind);
	struct pl_pack p = PL_PACK_INIT;
	size_t step = pp->frame_max - PL_PEER_HDR_LEN, off = 0;
	uint8_t *frame;
	bool ok = true;

	if (d == NULL || d->service != pp->svc) {
		pl_error_set(err, PL_EXIT_SOFTWARE, "peer kind %#x is not one of service %s",
		    (unsigned)kind, pl_service_name(pp->svc));
		return false;
	}
	pl_vpack(&p, d->sig, ap);
	if (p.len > pl_msg_effective_limit(d->maxlen)) {
		pl_error_set(err, PL_EXIT_DATAERR,
		    "%s of %zu bytes exceeds the limit of %zu "
		    "bytes (%s)",
		    d->name, p.len, pl_msg_effective_limit(d->maxlen),
		    d->maxlen < pl_msg_limit() ? "its MAXLEN" : PL_MSG_LIMIT_ENV);
		pl_pack_free(&p);
		return false;
	}
	frame = xmalloc(PL_PEER_HDR_LEN + (p.len < step ? p.len : step));
	do {
		size_t n = p.len - off < step ? p.len - off : step;
		uint32_t h[5] = { htonl(PL_PEER_MAGIC), htonl(PL_PEER_VERSION), htonl(kind),
			htonl((uint32_t)p.len), htonl((uint32_t)off) };

		memcpy(frame, h, sizeof(h));
		if (n > 0)
			memcpy(frame + PL_PEER_HDR_LEN, p.data + off, n);
		ok = fn(frame, PL_PEER_HDR_LEN + n, fn_arg, err);
		off += n;
	} while (ok && off < p.len);
	free(frame);
	pl_pack_free(&p);
	return ok;
}

bool
pl_peer_send(struct pl_peer *pp, pl_peer_send_fn fn, void *fn_arg, struct pl_error *err,
    enum pl_peer_kind kind, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, kind);
	ok = pl_peer_vsend(pp, fn, fn_arg, err, kind, ap);
	va_end(ap);
	return ok;
}
