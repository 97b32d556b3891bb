/*
 * record.c - framing and authentication of the quorum device protocol (see record.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "record.h"

static void
mac(const struct qnetd_record *r, uint64_t no, const uint8_t *lenbuf, const void *frame, size_t len,
    uint8_t out[QNETD_RECORD_MAC])
{
	GHmac *h;
	uint8_t nb[8];
	gsize n = QNETD_RECORD_MAC;

	if (!r->keyed) {
		memset(out, 0, QNETD_RECORD_MAC);
		return;
	}
	for (int i = 0; i < 8; i++)
		nb[i] = (uint8_t)(no >> (56 - 8 * i));
	h = g_hmac_new(G_CHECKSUM_SHA256, r->key, sizeof(r->key));
	g_hmac_update(h, nb, sizeof(nb));
	g_hmac_update(h, lenbuf, 4);
	g_hmac_update(h, frame, len);
	g_hmac_get_digest(h, out, &n);
	g_hmac_unref(h);
}

void
qnetd_record_key(struct qnetd_record *r, const uint8_t *authkey, size_t keylen,
    const uint8_t *cnonce, const uint8_t *snonce)
{
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, authkey, keylen);
	gsize n = sizeof(r->key);

	g_hmac_update(h, (const guchar *)"paceline-qnetd", 14);
	g_hmac_update(h, cnonce, QNETD_NONCE_LEN);
	g_hmac_update(h, snonce, QNETD_NONCE_LEN);
	g_hmac_get_digest(h, r->key, &n);
	g_hmac_unref(h);
	r->keyed = true;
}

void
qnetd_record_seal(struct qnetd_record *r, const void *frame, size_t len, GByteArray *out)
{
	uint8_t lb[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
		(uint8_t)len };
	uint8_t m[QNETD_RECORD_MAC];

	mac(r, r->send_no++, lb, frame, len, m);
	g_byte_array_append(out, lb, 4);
	g_byte_array_append(out, frame, (guint)len);
	g_byte_array_append(out, m, sizeof(m));
}

int
qnetd_record_open(struct qnetd_record *r, const GByteArray *in, const uint8_t **frame, size_t *len,
    size_t *used, const char **why)
{
	uint8_t m[QNETD_RECORD_MAC];
	uint8_t diff = 0;
	size_t n;

	if (in->len < 4)
		return 0;
	n = (size_t)in->data[0] << 24 | (size_t)in->data[1] << 16 | (size_t)in->data[2] << 8 |
	    in->data[3];
	if (n > QNETD_RECORD_MAX || n == 0) {
		*why = "record length out of range";
		return -1;
	}
	if (in->len < 4 + n + QNETD_RECORD_MAC)
		return 0;
	mac(r, r->recv_no, in->data, in->data + 4, n, m);
	for (size_t i = 0; i < QNETD_RECORD_MAC; i++) /* constant time */
		diff |= (uint8_t)(m[i] ^ in->data[4 + n + i]);
	if (diff) {
		*why = "record authentication failed (wrong cluster key?)";
		return -1;
	}
	r->recv_no++;
	*frame = in->data + 4;
	*len = n;
	*used = 4 + n + QNETD_RECORD_MAC;
	return 1;
}

void
qnetd_random(uint8_t *buf, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t k = getrandom(buf + off, n - off, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			fatal("getrandom");
		off += (size_t)k;
	}
}

uint8_t *
qnetd_key_load(const char *path, size_t *len, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	uint8_t *key;
	ssize_t k;

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 16 || st.st_size > 4096) {
		snprintf(why, whylen, "%s: not a regular file of 16 to 4096 bytes", path);
		close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		snprintf(why, whylen, "%s: readable by group or others (chmod 0400)", path);
		close(fd);
		return NULL;
	}
	key = xmalloc((size_t)st.st_size);
	k = read(fd, key, (size_t)st.st_size);
	close(fd);
	if (k != st.st_size) {
		snprintf(why, whylen, "%s: short read", path);
		free(key);
		return NULL;
	}
	*len = (size_t)k;
	return key;
}
