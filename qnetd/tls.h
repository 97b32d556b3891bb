/*
 * tls.h - TLS of the quorum device protocol through NSS's SSL library, corosync-qnetd's
 * model: certificates in an NSS database made by paceline-qnetd-certutil (the arbiter's CA
 * signs the arbiter's certificate "QNetd Cert", CN=Qnetd Server, and each cluster's "Cluster
 * Cert", CN=<cluster name>). The arbiter requires a client certificate issued by its CA and
 * checks its CN against the cluster the node names; the node checks the arbiter's chain
 * against the CA in its database and its name (Qnetd Server).
 *
 * A database may have a password: it is read from pwdfile.txt in the database's directory, as
 * corosync's tools keep it (so databases made by corosync-qnetd-certutil work unchanged).
 *
 * Both ends announce their mode first, in clear (PREINIT); the outcome is the same pure
 * function on both sides (qnetd_tls_decide), then the stream is TLS from its next byte.
 *
 *	node \ arbiter	off	on	required
 *	off		clear	clear	refused
 *	on		clear	TLS	TLS
 *	required	refused	TLS	TLS
 *
 * A side configured "on" whose database is missing counts as "off" (said once in its log):
 * the cluster-key mode stays the default where nobody made certificates.
 */
#ifndef PACELINE_QNETD_TLS_H
#define PACELINE_QNETD_TLS_H

#include <stdbool.h>
#include <stddef.h>

enum qnetd_tls_mode { QNETD_TLS_OFF = 0, QNETD_TLS_ON, QNETD_TLS_REQUIRED };

#define QNETD_TLS_SERVER_NICK "QNetd Cert"
#define QNETD_TLS_SERVER_CN   "Qnetd Server"
#define QNETD_TLS_CLIENT_NICK "Cluster Cert"

enum qnetd_tls_outcome { QNETD_TLS_CLEAR = 0, QNETD_TLS_USE, QNETD_TLS_REFUSE };

/* The outcome of both modes; on refusal *why names the side that requires what. */
enum qnetd_tls_outcome qnetd_tls_decide(
    enum qnetd_tls_mode node, enum qnetd_tls_mode arbiter, const char **why);
/* "off", "on", "required" -> mode; false for anything else. */
bool qnetd_tls_parse(const char *s, enum qnetd_tls_mode *mode);
const char *qnetd_tls_mode_name(enum qnetd_tls_mode mode);

struct qnetd_tls;

/* Open the NSS database dbdir (read-only) for one end: the arbiter (server: its certificate
 * and key must be there) or a node (its cluster certificate). NULL with why on failure. */
struct qnetd_tls *qnetd_tls_open(const char *dbdir, bool server, char *why, size_t whylen);
void qnetd_tls_close(struct qnetd_tls *t);
bool qnetd_tls_is_server(const struct qnetd_tls *t);

/* For conn.c: wrap the connected socket fd in an SSL layer of t's end (the PRFileDesc, which
 * owns fd from then on, as a void *); NULL with why. */
void *qnetd_tls_wrap(struct qnetd_tls *t, int fd, char *why, size_t whylen);
/* The peer certificate's common name (NULL: none), to free(). */
char *qnetd_tls_peer_cn(void *ssl);
/* The last NSS/NSPR error as text ("SEC_ERROR_UNKNOWN_ISSUER: ..."). */
const char *qnetd_tls_error(void);

#endif
