/*
 * tls.c - NSS's SSL library for the quorum device's connections (see tls.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <cert.h>
#include <nss.h>
#include <pk11pub.h>
#include <plstr.h>
#include <prerror.h>
#include <prio.h>
#include <private/pprio.h>
#include <secerr.h>
#include <ssl.h>
#include <sslerr.h>

#include "paceline/xalloc.h"
#include "tls.h"

struct qnetd_tls {
	NSSInitContext *nss;
	char *pin; /* DB/pwdfile.txt (corosync's tools protect their databases with one) */
	bool server;
	CERTCertificate *cert; /* the arbiter's (server) */
	SECKEYPrivateKey *key;
	PRFileDesc *model; /* SSL options shared by every connection of this end */
};

static const char *const mode_names[] = { "off", "on", "required" };

/* NSS asks for the database's password with the pin argument given along: ours is the
 * content of pwdfile.txt (NULL: none, so no password can be given). */
static char *
pin_of(PK11SlotInfo *slot, PRBool retry, void *arg)
{
	(void)slot;
	return retry || !arg ? NULL : PL_strdup(arg);
}

static char *
read_pin(const char *dbdir)
{
	char *path = xasprintf("%s/pwdfile.txt", dbdir), *text = NULL;
	gsize len;

	if (g_file_get_contents(path, &text, &len, NULL)) {
		text[strcspn(text, "\r\n")] = '\0';
		char *pin = xstrdup(text);
		g_free(text);
		free(path);
		return pin;
	}
	free(path);
	return NULL;
}

const char *
qnetd_tls_mode_name(enum qnetd_tls_mode mode)
{
	return mode <= QNETD_TLS_REQUIRED ? mode_names[mode] : "?";
}

bool
qnetd_tls_parse(const char *s, enum qnetd_tls_mode *mode)
{
	for (int i = 0; i <= QNETD_TLS_REQUIRED; i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*mode = (enum qnetd_tls_mode)i;
			return true;
		}
	return false;
}

enum qnetd_tls_outcome
qnetd_tls_decide(enum qnetd_tls_mode node, enum qnetd_tls_mode arbiter, const char **why)
{
	*why = NULL;
	if (node == QNETD_TLS_OFF && arbiter == QNETD_TLS_REQUIRED) {
		*why = "the arbiter requires TLS and the node has tls: off (or no certificate "
		       "database)";
		return QNETD_TLS_REFUSE;
	}
	if (node == QNETD_TLS_REQUIRED && arbiter == QNETD_TLS_OFF) {
		*why = "the node requires TLS (tls: required) and the arbiter does not offer it "
		       "(-s off, or no certificate database)";
		return QNETD_TLS_REFUSE;
	}
	return node != QNETD_TLS_OFF && arbiter != QNETD_TLS_OFF ? QNETD_TLS_USE : QNETD_TLS_CLEAR;
}

const char *
qnetd_tls_error(void)
{
	static char text[256];
	PRErrorCode e = PR_GetError();
	const char *name = PR_ErrorToName(e), *what = NULL;

	switch (e) { /* the ones a wrong setup gives, in words */
	case SEC_ERROR_UNKNOWN_ISSUER:
	case SEC_ERROR_UNTRUSTED_ISSUER:
	case SEC_ERROR_BAD_SIGNATURE: /* another CA of the same name */
		what = "the peer's certificate is not issued by a trusted CA";
		break;
	case SSL_ERROR_BAD_CERT_ALERT:
	case SSL_ERROR_UNKNOWN_CA_ALERT: what = "the peer refused this end's certificate"; break;
	case SSL_ERROR_BAD_CERT_DOMAIN:
		what = "the arbiter's certificate is not for " QNETD_TLS_SERVER_CN;
		break;
	case SSL_ERROR_NO_CERTIFICATE:
	case SSL_ERROR_HANDSHAKE_FAILURE_ALERT: what = "no client certificate"; break;
	case SEC_ERROR_EXPIRED_CERTIFICATE: what = "the certificate has expired"; break;
	case SSL_ERROR_RX_RECORD_TOO_LONG: what = "the peer does not speak TLS"; break;
	}
	snprintf(text, sizeof(text), "TLS: %s%s%s", name ? name : "error", what ? ": " : "",
	    what ? what : "");
	return text;
}

struct qnetd_tls *
qnetd_tls_open(const char *dbdir, bool server, char *why, size_t whylen)
{
	struct qnetd_tls *t = xcalloc(1, sizeof(*t));
	char *cfg = xasprintf("sql:%s", dbdir);
	PRFileDesc *raw;

	t->server = server;
	t->pin = read_pin(dbdir);
	t->nss = NSS_InitContext(cfg, "", "", "", NULL, NSS_INIT_READONLY | NSS_INIT_NOROOTINIT);
	PK11_SetPasswordFunc(pin_of);
	free(cfg);
	if (!t->nss) {
		snprintf(why, whylen, "%s: cannot open the certificate database: %s", dbdir,
		    qnetd_tls_error());
		free(t->pin);
		free(t);
		return NULL;
	}
	if (server) {
		t->cert = PK11_FindCertFromNickname(QNETD_TLS_SERVER_NICK, NULL);
		t->key = t->cert ? PK11_FindKeyByAnyCert(t->cert, t->pin) : NULL;
		if (!t->key) {
			snprintf(why, whylen,
			    "%s: no certificate \"%s\" with its key (paceline-qnetd-certutil -i; a "
			    "database with a password needs it in pwdfile.txt)",
			    dbdir, QNETD_TLS_SERVER_NICK);
			qnetd_tls_close(t);
			return NULL;
		}
		if (SSL_ConfigServerSessionIDCache(64, 0, 0, NULL) != SECSuccess) {
			snprintf(why, whylen, "session cache: %s", qnetd_tls_error());
			qnetd_tls_close(t);
			return NULL;
		}
	} else {
		CERTCertificate *c = PK11_FindCertFromNickname(QNETD_TLS_CLIENT_NICK, NULL);
		SECKEYPrivateKey *k = c ? PK11_FindKeyByAnyCert(c, t->pin) : NULL;
		if (k)
			SECKEY_DestroyPrivateKey(k);
		if (c)
			CERT_DestroyCertificate(c);
		if (!k) {
			snprintf(why, whylen,
			    "%s: no certificate \"%s\" with its key (paceline-qnetd-certutil -r, "
			    "-M or -m; a database with a password needs it in pwdfile.txt)",
			    dbdir, QNETD_TLS_CLIENT_NICK);
			qnetd_tls_close(t);
			return NULL;
		}
	}
	/* A model socket carries the options every connection copies. */
	raw = PR_NewTCPSocket();
	t->model = raw ? SSL_ImportFD(NULL, raw) : NULL;
	if (!t->model || SSL_OptionSet(t->model, SSL_SECURITY, PR_TRUE) != SECSuccess ||
	    SSL_OptionSet(t->model, SSL_ENABLE_FDX, PR_TRUE) != SECSuccess ||
	    SSL_OptionSet(t->model, SSL_HANDSHAKE_AS_SERVER, server) != SECSuccess ||
	    SSL_OptionSet(t->model, SSL_HANDSHAKE_AS_CLIENT, !server) != SECSuccess ||
	    (server &&
		(SSL_OptionSet(t->model, SSL_REQUEST_CERTIFICATE, PR_TRUE) != SECSuccess ||
		    SSL_OptionSet(t->model, SSL_REQUIRE_CERTIFICATE, SSL_REQUIRE_ALWAYS) != SECSuccess ||
		    SSL_ConfigServerCert(t->model, t->cert, t->key, NULL, 0) != SECSuccess))) {
		snprintf(why, whylen, "SSL setup: %s", qnetd_tls_error());
		if (!t->model && raw)
			PR_Close(raw);
		qnetd_tls_close(t);
		return NULL;
	}
	return t;
}

void
qnetd_tls_close(struct qnetd_tls *t)
{
	if (!t)
		return;
	if (t->model)
		PR_Close(t->model);
	if (t->key)
		SECKEY_DestroyPrivateKey(t->key);
	if (t->cert)
		CERT_DestroyCertificate(t->cert);
	if (t->server)
		SSL_ShutdownServerSessionIDCache();
	if (t->nss)
		NSS_ShutdownContext(t->nss);
	free(t->pin);
	free(t);
}

bool
qnetd_tls_is_server(const struct qnetd_tls *t)
{
	return t->server;
}

void *
qnetd_tls_wrap(struct qnetd_tls *t, int fd, char *why, size_t whylen)
{
	PRFileDesc *raw = PR_ImportTCPSocket(fd), *ssl;
	PRSocketOptionData nb = { .option = PR_SockOpt_Nonblocking, .value.non_blocking = PR_TRUE };

	if (!raw) {
		snprintf(why, whylen, "cannot import the socket: %s", qnetd_tls_error());
		return NULL;
	}
	(void)PR_SetSocketOption(raw, &nb);
	if (!(ssl = SSL_ImportFD(t->model, raw))) {
		snprintf(why, whylen, "SSL_ImportFD: %s", qnetd_tls_error());
		PR_Close(raw);
		return NULL;
	}
	if (SSL_SetPKCS11PinArg(ssl, t->pin) != SECSuccess ||
	    (!t->server &&
		(SSL_SetURL(ssl, QNETD_TLS_SERVER_CN) != SECSuccess ||
		    SSL_GetClientAuthDataHook(ssl, NSS_GetClientAuthData,
			(void *)QNETD_TLS_CLIENT_NICK) != SECSuccess)) ||
	    SSL_ResetHandshake(ssl, t->server) != SECSuccess) {
		snprintf(why, whylen, "SSL setup: %s", qnetd_tls_error());
		PR_Close(ssl);
		return NULL;
	}
	return ssl;
}

char *
qnetd_tls_peer_cn(void *ssl)
{
	CERTCertificate *c = SSL_PeerCertificate(ssl);
	char *cn, *out = NULL;

	if (!c)
		return NULL;
	if ((cn = CERT_GetCommonName(&c->subject)) != NULL) {
		out = xstrdup(cn);
		PORT_Free(cn);
	}
	CERT_DestroyCertificate(c);
	return out;
}
