/*
 * crypto.h - authentication and encryption of every datagram, with NSS and the shared
 * key /etc/paceline/authkey.
 *
 * Sealed datagram:  u8 version (1)  u8 cipher  u8 hash  u8 0  [16-byte IV if cipher]
 *                   body (the Totem packet, AES-CBC encrypted if cipher)  HMAC (over all before)
 * The receiver checks the HMAC (constant time) before it decrypts or parses anything.
 * HMAC key: the key file's bytes. Encryption key: SHA-256(key file || "paceline-enc").
 */
#ifndef PACELINE_MEMBERSHIP_CRYPTO_H
#define PACELINE_MEMBERSHIP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "paceline/error.h"
#include "conf.h"

#define MEMBERSHIP_SEAL_OVERHEAD (4 + 16 + 16 + 64) /* header, IV, CBC padding, largest HMAC */

struct membership_crypto;

/* Read the key file: a regular file of 16..4096 bytes that group and others cannot read. */
bool membership_key_load(const char *path, uint8_t **key, size_t *len, struct pl_error *err);
struct membership_crypto *membership_crypto_new(const uint8_t *key, size_t len,
    enum membership_cipher cipher, enum membership_hash hash, struct pl_error *err);
void membership_crypto_free(struct membership_crypto *c);
/* out must hold len + MEMBERSHIP_SEAL_OVERHEAD. Returns the sealed length (0 on an NSS failure). */
size_t membership_crypto_seal(
    struct membership_crypto *c, const uint8_t *in, size_t len, uint8_t *out);
/* Returns the opened length into out (capacity len), or -1: not authentic or malformed. */
long membership_crypto_open(struct membership_crypto *c, const uint8_t *in, size_t len, uint8_t *out);

#endif
