/*
 * pack.h - the payload encoding of every IPC message (see msgdefs.h for the signature letters).
 *
 * Encoding, field by field, all integers in network byte order, no padding, no alignment:
 *	u  uint32        4 bytes          U  uint64   8 bytes
 *	i  int32         4 bytes (two's)  I  int64    8 bytes
 *	s  string        uint32 len, len bytes (no NUL among them), then one NUL byte
 *	x  XML text      encoded exactly like s
 *	b  blob          uint32 len, len bytes (anything)
 *	a  string array  uint32 count, then count strings (s)
 *	k  key/values    uint32 count, then count pairs of strings (key, value)
 *
 * Strings carry their terminating NUL on the wire so that a decoded string is a pointer into
 * the received message, NUL-terminated, without a copy; the reader checks that the byte after
 * the string is NUL and that no NUL comes before it.
 *
 * Writer:  struct pl_pack p = PL_PACK_INIT; pl_pack_u32(&p, seq); pl_pack_str(&p, text);
 *          ... send p.data, p.len ...; pl_pack_free(&p);
 *       or pl_pack(&p, "us", seq, text);
 * Reader:  struct pl_unpack r; pl_unpack_init(&r, payload, len);
 *          pl_unpack(&r, "us", &seq, &text)  or  pl_unpack_u32(&r, &seq) && pl_unpack_str(&r, &text)
 *          then pl_unpack_end(&r) (true when no error and everything was consumed).
 * A reader error is sticky: once a field fails, every later getter fails too and stores a zero
 * value (0, "" or NULL), so handlers can read several fields and check once at the end.
 * Decoded pointers (s, x, b, and the strings of a and k) point into the payload: they live as
 * long as the message buffer. Arrays (a, k) allocate a NULL-terminated pointer array the
 * caller frees with free().
 */
#ifndef PACELINE_PACK_H
#define PACELINE_PACK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/error.h"

/* ---- writer ---- */

struct pl_pack {
	uint8_t *data;
	size_t len;
	size_t cap;
};

#define PL_PACK_INIT       \
	{                  \
		NULL, 0, 0 \
	}

void pl_pack_u32(struct pl_pack *p, uint32_t v);
void pl_pack_u64(struct pl_pack *p, uint64_t v);
void pl_pack_i32(struct pl_pack *p, int32_t v);
void pl_pack_i64(struct pl_pack *p, int64_t v);
void pl_pack_str(struct pl_pack *p, const char *s);	       /* NULL packs as "" */
void pl_pack_strn(struct pl_pack *p, const char *s, size_t n); /* stops at a NUL within n */
void pl_pack_xml(struct pl_pack *p, const char *xml);	       /* NULL packs as "" */
void pl_pack_blob(struct pl_pack *p, const void *data, size_t n);
void pl_pack_strv(struct pl_pack *p, const char *const *v); /* NULL-terminated; NULL = empty */
/* kv is NULL-terminated "key", "value", "key", "value", ..., NULL; NULL = empty. */
void pl_pack_kv(struct pl_pack *p, const char *const *kv);
/*
 * Append fields by signature. Arguments per letter (exact types, varargs are not converted):
 *	u uint32_t   U uint64_t   i int32_t   I int64_t   s, x const char *
 *	b const void *, size_t    a, k const char *const * (NULL-terminated as above)
 * An unknown letter is a programming error: the process aborts.
 */
void pl_pack(struct pl_pack *p, const char *sig, ...);
void pl_vpack(struct pl_pack *p, const char *sig, va_list ap);
void pl_pack_reset(struct pl_pack *p); /* length 0, keeps the memory */
void pl_pack_free(struct pl_pack *p);

/* ---- reader ---- */

struct pl_unpack {
	const uint8_t *data;
	size_t len;
	size_t off;	 /* bytes consumed */
	unsigned field;	 /* fields decoded so far (for messages) */
	const char *why; /* NULL, or what went wrong (static text) */
	size_t why_off;	 /* offset of the field that failed */
};

void pl_unpack_init(struct pl_unpack *r, const void *data, size_t len);
bool pl_unpack_u32(struct pl_unpack *r, uint32_t *v);
bool pl_unpack_u64(struct pl_unpack *r, uint64_t *v);
bool pl_unpack_i32(struct pl_unpack *r, int32_t *v);
bool pl_unpack_i64(struct pl_unpack *r, int64_t *v);
bool pl_unpack_str(struct pl_unpack *r, const char **s);
bool pl_unpack_strl(struct pl_unpack *r, const char **s, size_t *len);
bool pl_unpack_xml(struct pl_unpack *r, const char **xml);
bool pl_unpack_blob(struct pl_unpack *r, const void **data, size_t *n);
/* The count of an a or k field, checked against the bytes left (to iterate by hand). */
bool pl_unpack_count(struct pl_unpack *r, uint32_t *n, unsigned strings_per_item);
bool pl_unpack_strv(struct pl_unpack *r, const char ***v, uint32_t *n);	    /* free(*v) */
bool pl_unpack_kv(struct pl_unpack *r, const char ***kv, uint32_t *npairs); /* free(*kv) */
/*
 * Decode fields by signature. Arguments per letter:
 *	u uint32_t *   U uint64_t *   i int32_t *   I int64_t *   s, x const char **
 *	b const void **, size_t *     a, k const char ***, uint32_t *   (free(*v) even on failure)
 * true when every field decoded; it does not require the end (call pl_unpack_end).
 */
bool pl_unpack(struct pl_unpack *r, const char *sig, ...);
bool pl_vunpack(struct pl_unpack *r, const char *sig, va_list ap);
bool pl_unpack_end(struct pl_unpack *r); /* no error and nothing left */
bool pl_unpack_failed(const struct pl_unpack *r);
/* Describe the failure: "field 2 at offset 8: string runs past the end of the payload". */
void pl_unpack_error(const struct pl_unpack *r, struct pl_error *err);

/* Is `sig` made only of known letters? */
bool pl_sig_valid(const char *sig);
/* Does the payload match `sig` exactly (every field well-formed, nothing left over)? */
bool pl_pack_check(const char *sig, const void *payload, size_t len, struct pl_error *err);

#endif
