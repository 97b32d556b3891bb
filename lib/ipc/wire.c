/*
 * wire.c - what server and client share: service names, the wire header, buffer sizes, the
 * check of outgoing messages, and the received-message helpers.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "ipc_int.h"

/* A node that names its services with a prefix may record it in PL_IPC_PREFIX_FILE, for the
 * programs started without its environment: pcs runs the tools with LC_ALL and CIB_file only.
 * One line of [A-Za-z0-9_.-], at most 64 characters; anything else is ignored. */
static bool
prefix_from_file(char *buf, size_t len)
{
	FILE *f = fopen(PL_IPC_PREFIX_FILE, "r");
	size_t n;

	if (f == NULL)
		return false;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	n = strlen(buf);
	if (n == 0 || n > 64 ||
	    strspn(buf,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789_.-") != n)
		return false;
	return true;
}

char *
pl_ipc_service_name(enum pl_service svc)
{
	const char *prefix = getenv(PL_IPC_PREFIX_ENV);
	char buf[80];

	if (prefix == NULL || *prefix == '\0')
		prefix = prefix_from_file(buf, sizeof(buf)) ? buf : "paceline";
	return xasprintf("%s-%s", prefix, pl_service_name(svc));
}

void
pl__ipc_hdr_fill(struct pl_ipc_hdr *h, enum pl_msg_type type, uint32_t call_id, int code,
    size_t len, size_t total, size_t offset)
{
	memset(h, 0, sizeof(*h));
	h->qb.id = (int32_t)type;
	h->qb.size = (int32_t)(sizeof(*h) + len);
	h->qb.error = code;
	h->version = PL_IPC_PROTOCOL_VERSION;
	h->type = type;
	h->call_id = call_id;
	h->payload_len = (uint32_t)len;
	h->total_len = (uint32_t)total;
	h->offset = (uint32_t)offset;
}

size_t
pl__ipc_buffer_size(enum pl_service svc)
{
	(void)svc;
	return PL_IPC_RING_SIZE;
}

size_t
pl__ipc_type_limit(enum pl_msg_type type)
{
	const struct pl_msg_def *d;

	if (type == PL_MSG_NONE)
		return PL_IPC_STATUS_MAXLEN;
	d = pl_msg_def(type);
	return d != NULL ? pl_msg_effective_limit(d->maxlen) : 0;
}

bool
pl__ipc_check_out(enum pl_service svc, enum pl_msg_type type, enum pl_msg_dir dir,
    const void *payload, size_t len, struct pl_error *err)
{
	static const char *const dirs[] = { "?", "request", "reply", "event" };
	const struct pl_msg_def *def;

	if (type == PL_MSG_NONE && dir == PL_DIR_REPLY) {
		/* The generic status reply: one string. */
		if (len > PL_IPC_STATUS_MAXLEN) {
			pl_error_set(err, IPC_RC_SOFTWARE, "status reply of %zu bytes exceeds %d",
			    len, PL_IPC_STATUS_MAXLEN);
			return false;
		}
		return pl_pack_check("s", payload, len, err);
	}
	def = pl_msg_def(type);
	if (def == NULL) {
		pl_error_set(err, IPC_RC_SOFTWARE, "unknown message type %u", (unsigned)type);
		return false;
	}
	if (def->service != svc || def->dir != dir) {
		pl_error_set(err, IPC_RC_SOFTWARE, "%s is not a %s of paceline-%s", def->name,
		    dirs[dir], pl_service_name(svc));
		return false;
	}
	if (len > pl_msg_effective_limit(def->maxlen)) {
		pl_error_set(err, PL_EXIT_DATAERR,
		    "%s of %zu bytes exceeds the limit of %zu bytes "
		    "(%s)",
		    def->name, len, pl_msg_effective_limit(def->maxlen),
		    def->maxlen < pl_msg_limit() ? "its MAXLEN" : PL_MSG_LIMIT_ENV);
		return false;
	}
	if (!pl_pack_check(def->sig, payload, len, err)) {
		pl_error_prefix(err, "%s payload does not match \"%s\": ", def->name, def->sig);
		err->code = IPC_RC_SOFTWARE;
		return false;
	}
	return true;
}

void
pl_ipc_msg_clear(struct pl_ipc_msg *m)
{
	if (m == NULL)
		return;
	free(m->owned);
	memset(m, 0, sizeof(*m));
}

void
pl_ipc_msg_unpack(const struct pl_ipc_msg *m, struct pl_unpack *r)
{
	pl_unpack_init(r, m->payload, m->len);
}

const char *
pl_ipc_msg_status_text(const struct pl_ipc_msg *m)
{
	struct pl_unpack r;
	const char *s;

	if (m == NULL || m->type != PL_MSG_NONE || m->payload == NULL)
		return "";
	pl_unpack_init(&r, m->payload, m->len);
	return pl_unpack_str(&r, &s) ? s : "";
}

const char *
pl_ipc_reject_name(enum pl_ipc_reject why)
{
	static const char *const names[PL_IPC_REJ_COUNT] = {
		[PL_IPC_REJ_FRAMING] = "framing",
		[PL_IPC_REJ_VERSION] = "version",
		[PL_IPC_REJ_TYPE] = "type",
		[PL_IPC_REJ_SERVICE] = "service",
		[PL_IPC_REJ_DIR] = "direction",
		[PL_IPC_REJ_PRIV] = "privilege",
		[PL_IPC_REJ_LENGTH] = "length",
		[PL_IPC_REJ_SIG] = "signature",
		[PL_IPC_REJ_HANDLER] = "handler",
	};

	return (unsigned)why < PL_IPC_REJ_COUNT ? names[why] : "unknown";
}

/* The signature of a type; the status reply's is "s". Aborts on an unknown type: the caller
 * names a type of the table, so anything else is a programming error. */
static const char *
sig_of(enum pl_msg_type type)
{
	const struct pl_msg_def *d;

	if (type == PL_MSG_NONE)
		return "s";
	d = pl_msg_def(type);
	if (d == NULL)
		fatalx("ipc: no message type %u in the table", (unsigned)type);
	return d->sig;
}

void
pl_msg_pack(struct pl_pack *p, enum pl_msg_type type, ...)
{
	va_list ap;

	va_start(ap, type);
	pl_vpack(p, sig_of(type), ap);
	va_end(ap);
}

static bool
vunpack(enum pl_msg_type type, const void *payload, size_t len, va_list ap)
{
	struct pl_unpack r;

	pl_unpack_init(&r, payload, len);
	return pl_vunpack(&r, sig_of(type), ap) && pl_unpack_end(&r);
}

bool
pl_msg_unpack(const struct pl_ipc_msg *m, enum pl_msg_type type, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, type);
	if (m->type != type) {
		/* Not this type: leave the outputs alone but fail (arrays stay untouched). */
		va_end(ap);
		return false;
	}
	ok = vunpack(type, m->payload, m->len, ap);
	va_end(ap);
	return ok;
}

bool
pl_msg_unpack_payload(enum pl_msg_type type, const void *payload, size_t len, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, len);
	ok = vunpack(type, payload, len, ap);
	va_end(ap);
	return ok;
}

void
pl_msg_unpack_error(const struct pl_ipc_msg *m, enum pl_msg_type type, struct pl_error *err)
{
	const char *name = type == PL_MSG_NONE ? "status reply" : pl_msg_name(type);

	if (m->type != type) {
		pl_error_set(err, IPC_RC_PROTOCOL, "expected %s, got %s", name,
		    m->type == PL_MSG_NONE ? "a status reply" : pl_msg_name(m->type));
		return;
	}
	if (pl_pack_check(sig_of(type), m->payload, m->len, err))
		pl_error_set(err, IPC_RC_PROTOCOL, "%s decoded with other arguments", name);
	pl_error_prefix(err, "malformed %s: ", name);
	err->code = IPC_RC_PROTOCOL;
}
