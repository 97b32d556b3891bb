/* fuzz_totem.c - the Totem wire decoder (membership/totem_wire.c), the first thing a UDP
 * packet meets after its HMAC. Oracle: whatever decodes re-encodes (totem_encode aborts on a
 * packet breaking the decoder's rules) and decodes again to the same encoding. */
#include <string.h>

#include "totem_wire.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t enc[TOTEM_MAX_PACKET], enc2[TOTEM_MAX_PACKET];
	struct totem_pkt p, p2;
	enum totem_drop why;
	uint32_t cluster = 0;
	size_t n, n2;

	if (size >= 12) /* accept the packet's own cluster id half the time */
		cluster = (data[0] & 1) ? (uint32_t)data[8] << 24 | (uint32_t)data[9] << 16 |
			(uint32_t)data[10] << 8 | data[11]
					: 7;
	if (totem_decode(data, size, cluster, &p, &why) < 0)
		return 0;
	n = totem_encode(&p, enc);
	FUZZ_CHECK(n <= TOTEM_MAX_PACKET);
	FUZZ_CHECK(totem_decode(enc, n, cluster, &p2, &why) == 0);
	n2 = totem_encode(&p2, enc2);
	FUZZ_CHECK(n2 == n && memcmp(enc, enc2, n) == 0);
	return 0;
}
