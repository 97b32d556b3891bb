/*
 * crypto.c - HMAC and AES-CBC of membership datagrams with NSS (see crypto.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <nss.h>
#include <pk11pub.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "crypto.h"

struct membership_crypto {
	enum membership_cipher cipher;
	enum membership_hash hash;
	PK11SlotInfo *slot;
	PK11SymKey *mac_key;
	PK11SymKey *enc_key;
	CK_MECHANISM_TYPE mac_mech;
	unsigned mac_len;
};

bool
membership_key_load(const char *path, uint8_t **key, size_t *len, struct pl_error *err)
{
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	int fd =
	    open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK); /* a FIFO must not block */

	if (fd < 0) {
		pl_error_set(err, errno == ENOENT ? PL_EXIT_NOINPUT : PL_EXIT_NOPERM,
		    "cannot open the key file %s: %s (create it with paceline-keygen)", path,
		    strerror(errno));
		return false;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		pl_error_set(err, PL_EXIT_CONFIG, "key file %s is not a regular file", path);
		close(fd);
		return false;
	}
	if (st.st_mode & 077) {
		pl_error_set(err, PL_EXIT_CONFIG,
		    "key file %s is readable or writable by group or others (mode %04o); "
		    "it must be mode 0400 (chmod 0400 %s)",
		    path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return false;
	}
	if (st.st_size < 16 || st.st_size > 4096) {
		pl_error_set(err, PL_EXIT_CONFIG, "key file %s has %lld bytes; it needs 16 to 4096",
		    path, (long long)st.st_size);
		close(fd);
		return false;
	}
	buf = xmalloc((size_t)st.st_size);
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		pl_error_set(err, PL_EXIT_IOERR, "cannot read the key file %s", path);
		free(buf);
		return false;
	}
	*key = buf;
	*len = (size_t)n;
	return true;
}

static PK11SymKey *
import(PK11SlotInfo *slot, CK_MECHANISM_TYPE mech, CK_ATTRIBUTE_TYPE op, const uint8_t *k, size_t len)
{
	SECItem item = { siBuffer, (unsigned char *)k, (unsigned)len };

	return PK11_ImportSymKey(slot, mech, PK11_OriginUnwrap, op, &item, NULL);
}

struct membership_crypto *
membership_crypto_new(const uint8_t *key, size_t len, enum membership_cipher cipher,
    enum membership_hash hash, struct pl_error *err)
{
	static const CK_MECHANISM_TYPE macs[] = { CKM_SHA256_HMAC, CKM_SHA_1_HMAC, CKM_SHA384_HMAC,
		CKM_SHA512_HMAC };
	static const unsigned mac_lens[] = { 32, 20, 48, 64 };
	struct membership_crypto *c;

	if (!NSS_IsInitialized() && NSS_NoDB_Init(NULL) != SECSuccess) {
		pl_error_set(
		    err, PL_EXIT_SOFTWARE, "cannot initialise NSS (error %d)", PORT_GetError());
		return NULL;
	}
	c = XNEW(struct membership_crypto);
	c->cipher = cipher;
	c->hash = hash;
	c->mac_mech = macs[hash];
	c->mac_len = mac_lens[hash];
	c->slot = PK11_GetBestSlot(c->mac_mech, NULL);
	if (c->slot)
		c->mac_key = import(c->slot, c->mac_mech, CKA_SIGN, key, len);
	if (c->mac_key && cipher != MEMBERSHIP_CIPHER_NONE) {
		uint8_t material[4096 + 16], digest[32];
		static const unsigned klen[] = { 0, 16, 24, 32 };
		memcpy(material, key, len);
		memcpy(material + len, "paceline-enc", 12);
		if (PK11_HashBuf(SEC_OID_SHA256, digest, material, (PRInt32)(len + 12)) ==
		    SECSuccess) {
			PK11SlotInfo *s = PK11_GetBestSlot(CKM_AES_CBC_PAD, NULL);
			if (s) {
				c->enc_key =
				    import(s, CKM_AES_CBC_PAD, CKA_ENCRYPT, digest, klen[cipher]);
				PK11_FreeSlot(s);
			}
		}
		if (!c->enc_key) {
			pl_error_set(err, PL_EXIT_SOFTWARE, "cannot set up AES with NSS (error %d)",
			    PORT_GetError());
			membership_crypto_free(c);
			return NULL;
		}
	}
	if (!c->mac_key) {
		pl_error_set(err, PL_EXIT_SOFTWARE, "cannot set up the HMAC with NSS (error %d)",
		    PORT_GetError());
		membership_crypto_free(c);
		return NULL;
	}
	return c;
}

void
membership_crypto_free(struct membership_crypto *c)
{
	if (!c)
		return;
	if (c->mac_key)
		PK11_FreeSymKey(c->mac_key);
	if (c->enc_key)
		PK11_FreeSymKey(c->enc_key);
	if (c->slot)
		PK11_FreeSlot(c->slot);
	free(c);
}

static bool
mac(struct membership_crypto *c, const uint8_t *in, size_t len, uint8_t *out)
{
	SECItem noparam = { siBuffer, NULL, 0 };
	PK11Context *ctx = PK11_CreateContextBySymKey(c->mac_mech, CKA_SIGN, c->mac_key, &noparam);
	unsigned outlen = 0;
	bool ok;

	if (!ctx)
		return false;
	ok = PK11_DigestBegin(ctx) == SECSuccess &&
	    PK11_DigestOp(ctx, in, (unsigned)len) == SECSuccess &&
	    PK11_DigestFinal(ctx, out, &outlen, 64) == SECSuccess && outlen == c->mac_len;
	PK11_DestroyContext(ctx, PR_TRUE);
	return ok;
}

size_t
membership_crypto_seal(struct membership_crypto *c, const uint8_t *in, size_t len, uint8_t *out)
{
	size_t off = 4;

	out[0] = 1;
	out[1] = (uint8_t)c->cipher;
	out[2] = (uint8_t)c->hash;
	out[3] = 0;
	if (c->cipher != MEMBERSHIP_CIPHER_NONE) {
		SECItem iv = { siBuffer, out + 4, 16 };
		unsigned int clen = 0;
		if (PK11_GenerateRandom(out + 4, 16) != SECSuccess)
			return 0;
		off += 16;
		if (PK11_Encrypt(c->enc_key, CKM_AES_CBC_PAD, &iv, out + off, &clen,
			(unsigned)(len + 16), in, (unsigned)len) != SECSuccess)
			return 0;
		off += clen;
	} else {
		memcpy(out + off, in, len);
		off += len;
	}
	if (!mac(c, out, off, out + off))
		return 0;
	return off + c->mac_len;
}

long
membership_crypto_open(struct membership_crypto *c, const uint8_t *in, size_t len, uint8_t *out)
{
	uint8_t want[64];
	size_t body;
	unsigned diff = 0;

	if (len < 4 + c->mac_len || in[0] != 1 || in[1] != c->cipher || in[2] != c->hash || in[3])
		return -1;
	body = len - c->mac_len;
	if (!mac(c, in, body, want))
		return -1;
	for (unsigned i = 0; i < c->mac_len; i++)
		diff |= want[i] ^ in[body + i];
	if (diff)
		return -1;
	if (c->cipher != MEMBERSHIP_CIPHER_NONE) {
		SECItem iv = { siBuffer, (unsigned char *)in + 4, 16 };
		unsigned int plen = 0;
		if (body < 4 + 16 + 16)
			return -1;
		if (PK11_Decrypt(c->enc_key, CKM_AES_CBC_PAD, &iv, out, &plen, (unsigned)len,
			in + 20, (unsigned)(body - 20)) != SECSuccess)
			return -1;
		return plen;
	}
	memcpy(out, in + 4, body - 4);
	return (long)(body - 4);
}
