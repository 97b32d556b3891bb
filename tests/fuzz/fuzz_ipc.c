/* fuzz_ipc.c - local IPC payloads of every message type: the first two bytes pick the type
 * (any value, so unknown types too), the rest is the payload. The dispatcher's checks run as
 * in lib/ipc/server.c (type known, request direction, MAXLEN, signature); a payload they
 * accept must then decode field by field to its end, and its XML fields are parsed as the
 * daemons do. Framing, privilege and oversize against running daemons: fuzz_ipc_live. */
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/msgdefs.h"
#include "paceline/pack.h"
#include "paceline/xml.h"
#include "fuzz.h"

static void
decode_all(const struct pl_msg_def *def, const uint8_t *p, size_t len)
{
	struct pl_unpack r;
	struct pl_error err = PL_ERROR_INIT;

	pl_unpack_init(&r, p, len);
	for (const char *s = def->sig; *s; s++) {
		uint32_t u32, n;
		uint64_t u64;
		int32_t i32;
		int64_t i64;
		const char *str, **v;
		const void *blob;
		size_t bl;
		bool ok = false;

		switch (*s) {
		case 'u': ok = pl_unpack_u32(&r, &u32); break;
		case 'U': ok = pl_unpack_u64(&r, &u64); break;
		case 'i': ok = pl_unpack_i32(&r, &i32); break;
		case 'I': ok = pl_unpack_i64(&r, &i64); break;
		case 's': ok = pl_unpack_str(&r, &str); break;
		case 'x':
			ok = pl_unpack_xml(&r, &str);
			if (ok && *str) {
				xmlDoc *d = pl_xml_parse_string(str, "payload", &err);

				if (d)
					xmlFreeDoc(d);
				pl_error_clear(&err);
			}
			break;
		case 'b': ok = pl_unpack_blob(&r, &blob, &bl); break;
		case 'a':
			v = NULL;
			ok = pl_unpack_strv(&r, &v, &n);
			free(v);
			break;
		case 'k':
			v = NULL;
			ok = pl_unpack_kv(&r, &v, &n);
			free(v);
			break;
		default: FUZZ_CHECK(!"unknown signature letter in the table");
		}
		FUZZ_CHECK(ok);
	}
	FUZZ_CHECK(pl_unpack_end(&r));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	const struct pl_msg_def *def;

	if (size < 2)
		return 0;
	def = pl_msg_def((unsigned)data[0] << 8 | data[1]);
	if (def == NULL) {
		/* mostly a known type: the first known type at or after the one the bytes name */
		for (unsigned t = ((unsigned)data[0] << 8 | data[1]) % PL_MSG_TYPE_LIMIT, n = 0;
		     def == NULL && n < PL_MSG_TYPE_LIMIT; n++)
			def = pl_msg_def((t + n) % PL_MSG_TYPE_LIMIT);
		if (def == NULL)
			return 0;
	}
	data += 2;
	size -= 2;
	if (size > def->maxlen)
		return 0; /* the dispatcher rejects it before looking */
	if (!pl_pack_check(def->sig, data, size, &err)) {
		FUZZ_CHECK(err.text[0] != '\0');
		return 0;
	}
	decode_all(def, data, size);
	return 0;
}
