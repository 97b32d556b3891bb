/*
 * record.h - the record layer of the quorum device protocol (node <-> paceline-qnetd, TCP),
 * shared by both ends. Each record carries one peer frame (paceline/peer.h, kinds of
 * msg/qnetd-peer.def):
 *
 *	u32 length of frame   frame   32-byte HMAC-SHA256
 *
 * The HMAC covers u64 record number (per direction, from 0) || u32 length || frame, keyed
 * with the session key; before the key exists (HELLO and CHALLENGE, which carry only the
 * nonces) it is all zeros and not checked. Session key = HMAC-SHA256(cluster key,
 * "paceline-qnetd" || client nonce || server nonce): both ends prove they hold the cluster
 * key (the node with INIT, the arbiter with INIT_REPLY), a recorded session cannot be
 * replayed (fresh nonces) and records cannot be dropped, reordered or replayed inside one
 * (the numbers). The contents are not secret (node ids and votes) and are not encrypted.
 */
#ifndef PACELINE_QNETD_RECORD_H
#define PACELINE_QNETD_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define QNETD_RECORD_MAC     32
#define QNETD_RECORD_MAX     65536 /* largest frame */
#define QNETD_NONCE_LEN	     32
#define QNETD_PROTOCOL	     1
#define QNETD_DEFAULT_PORT   5403
/* Under TLS the certificates authenticate both ends and TLS protects the stream; the records
 * keep their numbers and MACs, keyed with this public string instead of the cluster key. */
#define QNETD_TLS_RECORD_KEY "paceline-qnetd over TLS"

struct qnetd_record {
	bool keyed;
	uint8_t key[32];
	uint64_t send_no, recv_no;
};

/* Derive the session key from the cluster key and both nonces; later records are checked. */
void qnetd_record_key(struct qnetd_record *r, const uint8_t *authkey, size_t keylen,
    const uint8_t *cnonce, const uint8_t *snonce);
/* Append one record holding frame to out. */
void qnetd_record_seal(struct qnetd_record *r, const void *frame, size_t len, GByteArray *out);
/* The next complete record at the start of in: 1 with *frame and *len (valid until in changes)
 * and *used bytes to remove, 0 when more bytes are needed, -1 when the stream is bad (*why set). */
int qnetd_record_open(struct qnetd_record *r, const GByteArray *in, const uint8_t **frame,
    size_t *len, size_t *used, const char **why);
/* Fill buf with n random bytes (getrandom); aborts when the kernel cannot. */
void qnetd_random(uint8_t *buf, size_t n);
/* Read a key file: a regular file of 16..4096 bytes that group and others cannot read.
 * NULL with why on failure. */
uint8_t *qnetd_key_load(const char *path, size_t *len, char *why, size_t whylen);

#endif
