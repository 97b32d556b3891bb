/*
 * pack.c - the payload encoding of IPC messages: a writer into a growable buffer and a
 * bounds-checked reader (see include/paceline/pack.h for the wire format).
 *
 * The reader never reads past data + len: every length is compared with the bytes left
 * before it is used, and counts of arrays are bounded by the smallest possible encoding of
 * their items, so a hostile count cannot make us allocate more than the payload justifies.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "paceline/pack.h"
#include "paceline/xalloc.h"
#include "ipc_int.h"

/* Smallest encoding of one string: length word + terminating NUL. */
#define STR_MIN 5u

/* ---- writer ---- */

static uint8_t *
grow(struct pl_pack *p, size_t n)
{
	uint8_t *at;

	if (n > SIZE_MAX - p->len)
		fatalx("pack: payload size overflow");
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 64;

		while (cap < p->len + n)
			cap = cap > SIZE_MAX / 2 ? p->len + n : cap * 2;
		p->data = xrealloc(p->data, cap);
		p->cap = cap;
	}
	at = p->data + p->len;
	p->len += n;
	return at;
}

void
pl_pack_u32(struct pl_pack *p, uint32_t v)
{
	uint32_t be = htonl(v);

	memcpy(grow(p, 4), &be, 4);
}

void
pl_pack_u64(struct pl_pack *p, uint64_t v)
{
	pl_pack_u32(p, (uint32_t)(v >> 32));
	pl_pack_u32(p, (uint32_t)v);
}

void
pl_pack_i32(struct pl_pack *p, int32_t v)
{
	pl_pack_u32(p, (uint32_t)v);
}

void
pl_pack_i64(struct pl_pack *p, int64_t v)
{
	pl_pack_u64(p, (uint64_t)v);
}

static void
pack_len(struct pl_pack *p, size_t n)
{
	if (n > UINT32_MAX - 1)
		fatalx("pack: field of %zu bytes does not fit the encoding", n);
	pl_pack_u32(p, (uint32_t)n);
}

void
pl_pack_strn(struct pl_pack *p, const char *s, size_t n)
{
	uint8_t *at;

	if (s == NULL)
		n = 0;
	else
		n = strnlen(s, n);
	pack_len(p, n);
	at = grow(p, n + 1);
	if (n > 0)
		memcpy(at, s, n);
	at[n] = '\0';
}

void
pl_pack_str(struct pl_pack *p, const char *s)
{
	pl_pack_strn(p, s, s ? strlen(s) : 0);
}

void
pl_pack_xml(struct pl_pack *p, const char *xml)
{
	pl_pack_str(p, xml);
}

void
pl_pack_blob(struct pl_pack *p, const void *data, size_t n)
{
	pack_len(p, n);
	if (n > 0)
		memcpy(grow(p, n), data, n);
}

static size_t
vec_len(const char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

void
pl_pack_strv(struct pl_pack *p, const char *const *v)
{
	size_t n = vec_len(v);

	pack_len(p, n);
	for (size_t i = 0; i < n; i++)
		pl_pack_str(p, v[i]);
}

void
pl_pack_kv(struct pl_pack *p, const char *const *kv)
{
	size_t n = vec_len(kv);

	if (n % 2 != 0)
		fatalx("pack: key/value list with a key and no value ('%s')", kv[n - 1]);
	pack_len(p, n / 2);
	for (size_t i = 0; i < n; i++)
		pl_pack_str(p, kv[i]);
}

void
pl_pack(struct pl_pack *p, const char *sig, ...)
{
	va_list ap;

	va_start(ap, sig);
	pl_vpack(p, sig, ap);
	va_end(ap);
}

void
pl_vpack(struct pl_pack *p, const char *sig, va_list ap)
{
	const void *blob;
	size_t n;

	for (const char *c = sig; *c; c++) {
		switch (*c) {
		case 'u': pl_pack_u32(p, va_arg(ap, uint32_t)); break;
		case 'U': pl_pack_u64(p, va_arg(ap, uint64_t)); break;
		case 'i': pl_pack_i32(p, va_arg(ap, int32_t)); break;
		case 'I': pl_pack_i64(p, va_arg(ap, int64_t)); break;
		case 's': pl_pack_str(p, va_arg(ap, const char *)); break;
		case 'x': pl_pack_xml(p, va_arg(ap, const char *)); break;
		case 'b':
			blob = va_arg(ap, const void *);
			n = va_arg(ap, size_t);
			pl_pack_blob(p, blob, n);
			break;
		case 'a': pl_pack_strv(p, va_arg(ap, const char *const *)); break;
		case 'k': pl_pack_kv(p, va_arg(ap, const char *const *)); break;
		default: fatalx("pack: unknown signature letter '%c' in \"%s\"", *c, sig);
		}
	}
}

void
pl_pack_reset(struct pl_pack *p)
{
	p->len = 0;
}

void
pl_pack_free(struct pl_pack *p)
{
	free(p->data);
	p->data = NULL;
	p->len = p->cap = 0;
}

/* ---- reader ---- */

void
pl_unpack_init(struct pl_unpack *r, const void *data, size_t len)
{
	r->data = data;
	r->len = data != NULL ? len : 0;
	r->off = 0;
	r->field = 0;
	r->why = NULL;
	r->why_off = 0;
}

static bool
fail(struct pl_unpack *r, const char *why)
{
	if (r->why == NULL) {
		r->why = why;
		r->why_off = r->off;
	}
	return false;
}

static size_t
left(const struct pl_unpack *r)
{
	return r->len - r->off;
}

static bool
take(struct pl_unpack *r, void *out, size_t n, const char *why)
{
	if (r->why != NULL)
		return false;
	if (left(r) < n)
		return fail(r, why);
	memcpy(out, r->data + r->off, n);
	r->off += n;
	return true;
}

bool
pl_unpack_u32(struct pl_unpack *r, uint32_t *v)
{
	uint32_t be;

	if (!take(r, &be, 4, "integer runs past the end of the payload")) {
		*v = 0;
		return false;
	}
	*v = ntohl(be);
	r->field++;
	return true;
}

bool
pl_unpack_u64(struct pl_unpack *r, uint64_t *v)
{
	uint32_t be[2];

	if (!take(r, be, 8, "integer runs past the end of the payload")) {
		*v = 0;
		return false;
	}
	*v = ((uint64_t)ntohl(be[0]) << 32) | ntohl(be[1]);
	r->field++;
	return true;
}

bool
pl_unpack_i32(struct pl_unpack *r, int32_t *v)
{
	uint32_t u;
	bool ok = pl_unpack_u32(r, &u);

	*v = (int32_t)u;
	return ok;
}

bool
pl_unpack_i64(struct pl_unpack *r, int64_t *v)
{
	uint64_t u;
	bool ok = pl_unpack_u64(r, &u);

	*v = (int64_t)u;
	return ok;
}

/* A length word followed by that many bytes; no field count (callers count). */
static bool
raw_len(struct pl_unpack *r, uint32_t *n, size_t extra, const char *why)
{
	uint32_t be;

	if (!take(r, &be, 4, "length runs past the end of the payload"))
		return false;
	*n = ntohl(be);
	if ((size_t)*n > left(r) || left(r) - *n < extra) {
		r->off -= 4; /* report the offset of the field */
		return fail(r, why);
	}
	return true;
}

static bool
raw_str(struct pl_unpack *r, const char **s, size_t *len)
{
	uint32_t n;
	const char *p;

	*s = "";
	if (len)
		*len = 0;
	if (!raw_len(r, &n, 1, "string runs past the end of the payload"))
		return false;
	p = (const char *)r->data + r->off;
	if (p[n] != '\0') {
		r->off -= 4;
		return fail(r, "string is not NUL-terminated");
	}
	if (memchr(p, '\0', n) != NULL) {
		r->off -= 4;
		return fail(r, "string contains a NUL byte");
	}
	r->off += (size_t)n + 1;
	*s = p;
	if (len)
		*len = n;
	return true;
}

bool
pl_unpack_strl(struct pl_unpack *r, const char **s, size_t *len)
{
	if (!raw_str(r, s, len))
		return false;
	r->field++;
	return true;
}

bool
pl_unpack_str(struct pl_unpack *r, const char **s)
{
	return pl_unpack_strl(r, s, NULL);
}

bool
pl_unpack_xml(struct pl_unpack *r, const char **xml)
{
	return pl_unpack_strl(r, xml, NULL);
}

bool
pl_unpack_blob(struct pl_unpack *r, const void **data, size_t *n)
{
	uint32_t len;

	*data = NULL;
	*n = 0;
	if (!raw_len(r, &len, 0, "blob runs past the end of the payload"))
		return false;
	*data = r->data + r->off;
	*n = len;
	r->off += len;
	r->field++;
	return true;
}

bool
pl_unpack_count(struct pl_unpack *r, uint32_t *n, unsigned strings_per_item)
{
	uint32_t be;

	*n = 0;
	if (!take(r, &be, 4, "count runs past the end of the payload"))
		return false;
	*n = ntohl(be);
	/* Each item needs at least STR_MIN bytes per string: bound the count by what is left. */
	if ((uint64_t)*n * STR_MIN * strings_per_item > left(r)) {
		r->off -= 4;
		*n = 0;
		return fail(r, "count is larger than the payload can hold");
	}
	return true;
}

static bool
unpack_vec(struct pl_unpack *r, const char ***v, uint32_t *count, unsigned per)
{
	uint32_t n;
	const char **vec;

	*v = NULL;
	if (count)
		*count = 0;
	if (!pl_unpack_count(r, &n, per)) {
		*v = xcalloc(1, sizeof(char *));
		return false;
	}
	vec = xcalloc((size_t)n * per + 1, sizeof(char *));
	for (size_t i = 0; i < (size_t)n * per; i++) {
		if (!raw_str(r, &vec[i], NULL)) {
			vec[0] = NULL;
			*v = vec;
			return false;
		}
	}
	vec[(size_t)n * per] = NULL;
	*v = vec;
	if (count)
		*count = n;
	r->field++;
	return true;
}

bool
pl_unpack_strv(struct pl_unpack *r, const char ***v, uint32_t *n)
{
	return unpack_vec(r, v, n, 1);
}

bool
pl_unpack_kv(struct pl_unpack *r, const char ***kv, uint32_t *npairs)
{
	return unpack_vec(r, kv, npairs, 2);
}

bool
pl_unpack(struct pl_unpack *r, const char *sig, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, sig);
	ok = pl_vunpack(r, sig, ap);
	va_end(ap);
	return ok;
}

bool
pl_vunpack(struct pl_unpack *r, const char *sig, va_list ap)
{
	bool ok = true;

	for (const char *c = sig; *c; c++) {
		switch (*c) {
		case 'u': ok = pl_unpack_u32(r, va_arg(ap, uint32_t *)) && ok; break;
		case 'U': ok = pl_unpack_u64(r, va_arg(ap, uint64_t *)) && ok; break;
		case 'i': ok = pl_unpack_i32(r, va_arg(ap, int32_t *)) && ok; break;
		case 'I': ok = pl_unpack_i64(r, va_arg(ap, int64_t *)) && ok; break;
		case 's':
		case 'x': ok = pl_unpack_str(r, va_arg(ap, const char **)) && ok; break;
		case 'b': {
			const void **d = va_arg(ap, const void **);
			size_t *n = va_arg(ap, size_t *);

			ok = pl_unpack_blob(r, d, n) && ok;
			break;
		}
		case 'a':
		case 'k': {
			const char ***v = va_arg(ap, const char ***);
			uint32_t *n = va_arg(ap, uint32_t *);

			ok = unpack_vec(r, v, n, *c == 'a' ? 1 : 2) && ok;
			break;
		}
		default: fatalx("unpack: unknown signature letter '%c' in \"%s\"", *c, sig);
		}
	}
	return ok && r->why == NULL;
}

bool
pl_unpack_failed(const struct pl_unpack *r)
{
	return r->why != NULL;
}

bool
pl_unpack_end(struct pl_unpack *r)
{
	if (r->why != NULL)
		return false;
	if (left(r) != 0)
		return fail(r, "bytes left over after the last field");
	return true;
}

void
pl_unpack_error(const struct pl_unpack *r, struct pl_error *err)
{
	if (r->why == NULL)
		pl_error_clear(err);
	else
		pl_error_set(err, IPC_RC_PROTOCOL, "field %u at offset %zu of %zu: %s",
		    r->field + 1, r->why_off, r->len, r->why);
}

bool
pl_sig_valid(const char *sig)
{
	if (sig == NULL)
		return false;
	return sig[strspn(sig, "uUiIsxbak")] == '\0';
}

bool
pl_pack_check(const char *sig, const void *payload, size_t len, struct pl_error *err)
{
	struct pl_unpack r;
	uint32_t n;
	const char *s;
	const void *b;
	size_t bn;

	if (!pl_sig_valid(sig)) {
		pl_error_set(
		    err, IPC_RC_SOFTWARE, "invalid payload signature \"%s\"", sig ? sig : "(null)");
		return false;
	}
	pl_unpack_init(&r, payload, len);
	for (const char *c = sig; *c && r.why == NULL; c++) {
		switch (*c) {
		case 'u':
		case 'i': pl_unpack_u32(&r, &n); break;
		case 'U':
		case 'I': {
			uint64_t u;

			pl_unpack_u64(&r, &u);
			break;
		}
		case 's':
		case 'x': pl_unpack_str(&r, &s); break;
		case 'b': pl_unpack_blob(&r, &b, &bn); break;
		case 'a':
		case 'k': {
			/* Walk the strings without allocating a pointer array. */
			unsigned per = *c == 'a' ? 1 : 2;

			if (!pl_unpack_count(&r, &n, per))
				break;
			for (uint64_t i = 0; i < (uint64_t)n * per && r.why == NULL; i++)
				raw_str(&r, &s, NULL);
			if (r.why == NULL)
				r.field++;
			break;
		}
		}
	}
	if (!pl_unpack_end(&r)) {
		pl_unpack_error(&r, err);
		return false;
	}
	return true;
}
