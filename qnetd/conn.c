/*
 * conn.c - a TCP connection carrying quorum device records on the GLib loop (see conn.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <prerror.h>
#include <prio.h>
#include <ssl.h>

#include "paceline/xalloc.h"
#include "conn.h"
#include "tls.h"

struct qnetd_conn {
	int fd;
	bool connecting;
	guint in_watch;	 /* always, for reading */
	guint out_watch; /* while a connect is in progress or output waits */
	GByteArray *in, *out;
	struct qnetd_record rec;
	PRFileDesc *ssl;	    /* TLS: from the switch on, fd is read and written through it */
	struct qnetd_tls *tls_next; /* switch to TLS once the output in clear is written */
	bool handshaking;
	char *peer;
	const struct qnetd_conn_ops *ops;
	void *arg;
};

static gboolean on_in(gint fd, GIOCondition cond, gpointer data);
static gboolean on_out(gint fd, GIOCondition cond, gpointer data);

static void
want_out(struct qnetd_conn *c)
{
	if (c->handshaking)
		return; /* the handshake reads first; output waits for its end */
	if (!c->out_watch && (c->out->len || c->connecting || c->tls_next))
		c->out_watch = g_unix_fd_add(c->fd, G_IO_OUT, on_out, c);
}

struct qnetd_conn *
qnetd_conn_new(int fd, bool connecting, const char *peer, const struct qnetd_conn_ops *ops, void *arg)
{
	struct qnetd_conn *c = xcalloc(1, sizeof(*c));
	int one = 1;

	c->fd = fd;
	c->connecting = connecting;
	c->in = g_byte_array_new();
	c->out = g_byte_array_new();
	c->peer = xstrdup(peer);
	c->ops = ops;
	c->arg = arg;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->in_watch = g_unix_fd_add(fd, G_IO_IN, on_in, c);
	want_out(c);
	return c;
}

void
qnetd_conn_free(struct qnetd_conn *c)
{
	if (!c)
		return;
	if (c->in_watch)
		g_source_remove(c->in_watch);
	if (c->out_watch)
		g_source_remove(c->out_watch);
	if (c->ssl)
		PR_Close(c->ssl); /* closes fd */
	else
		close(c->fd);
	g_byte_array_unref(c->in);
	g_byte_array_unref(c->out);
	free(c->peer);
	free(c);
}

struct qnetd_record *
qnetd_conn_record(struct qnetd_conn *c)
{
	return &c->rec;
}

const char *
qnetd_conn_peer(const struct qnetd_conn *c)
{
	return c->peer;
}

/* Write what can be written now; false (and closed() called) on a socket error. */
static bool switch_tls(struct qnetd_conn *c);

static bool
flush(struct qnetd_conn *c)
{
	while (c->out->len && c->ssl) {
		PRInt32 k = PR_Write(c->ssl, c->out->data, (PRInt32)c->out->len);
		if (k < 0 && PR_GetError() == PR_WOULD_BLOCK_ERROR)
			return true;
		if (k <= 0) {
			c->ops->closed(c, qnetd_tls_error(), c->arg);
			return false;
		}
		g_byte_array_remove_range(c->out, 0, (guint)k);
	}
	while (c->out->len) {
		ssize_t k = send(c->fd, c->out->data, c->out->len, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (k <= 0) {
			c->ops->closed(c, strerror(errno), c->arg);
			return false;
		}
		g_byte_array_remove_range(c->out, 0, (guint)k);
	}
	return c->tls_next ? switch_tls(c) : true;
}

/* The clear part is written: from here the stream is TLS. */
static bool
switch_tls(struct qnetd_conn *c)
{
	char why[256];
	struct qnetd_tls *t = c->tls_next;

	c->tls_next = NULL;
	if (c->in->len) {
		c->ops->closed(c, "data in clear after the switch to TLS", c->arg);
		return false;
	}
	if (!(c->ssl = qnetd_tls_wrap(t, c->fd, why, sizeof(why)))) {
		c->ops->closed(c, why, c->arg);
		return false;
	}
	c->handshaking = true;
	if (!qnetd_tls_is_server(t) && SSL_ForceHandshake(c->ssl) != SECSuccess &&
	    PR_GetError() != PR_WOULD_BLOCK_ERROR) { /* the client speaks first */
		c->ops->closed(c, qnetd_tls_error(), c->arg);
		return false;
	}
	return true;
}

void
qnetd_conn_start_tls(struct qnetd_conn *c, struct qnetd_tls *t)
{
	c->tls_next = t;
	want_out(c); /* switched from the loop once the output in clear is out */
}

bool
qnetd_conn_tls(const struct qnetd_conn *c)
{
	return c->ssl != NULL;
}

char *
qnetd_conn_peer_cn(const struct qnetd_conn *c)
{
	return c->ssl ? qnetd_tls_peer_cn(c->ssl) : NULL;
}

bool
qnetd_conn_send_frame(const void *frame, size_t len, void *arg, struct pl_error *err)
{
	struct qnetd_conn *c = arg;

	(void)err;
	if (c->out->len > 4 * 1024 * 1024) { /* a peer that reads nothing: do not grow forever */
		pl_error_set(err, 75, "%s: output queue full", c->peer);
		return false;
	}
	qnetd_record_seal(&c->rec, frame, len, c->out);
	want_out(c); /* written from the loop: a send inside a callback never frees c under it */
	return true;
}

static bool
read_records(struct qnetd_conn *c)
{
	for (;;) {
		const uint8_t *frame;
		size_t len, used;
		const char *why = NULL;
		int r = qnetd_record_open(&c->rec, c->in, &frame, &len, &used, &why);
		if (r == 0)
			return true;
		if (r < 0) {
			c->ops->closed(c, why, c->arg);
			return false;
		}
		{
			uint8_t *copy = g_memdup2(frame, len);
			bool go;
			g_byte_array_remove_range(c->in, 0, (guint)used);
			go = c->ops->frame(c, copy, len, c->arg);
			g_free(copy);
			if (!go)
				return false;
		}
	}
}

static gboolean
on_out(gint fd, GIOCondition cond, gpointer data)
{
	struct qnetd_conn *c = data;

	(void)fd;
	(void)cond;
	if (c->connecting) {
		int e = 0;
		socklen_t el = sizeof(e);
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
			e = errno;
		if (e) {
			c->out_watch = 0;
			c->ops->closed(c, strerror(e), c->arg);
			return G_SOURCE_REMOVE;
		}
		c->connecting = false;
		if (c->ops->connected && !c->ops->connected(c, c->arg))
			return G_SOURCE_REMOVE; /* freed */
	}
	if (!flush(c))
		return G_SOURCE_REMOVE; /* freed */
	if (c->out->len && !c->handshaking)
		return G_SOURCE_CONTINUE;
	c->out_watch = 0;
	return G_SOURCE_REMOVE;
}

static bool
take_input(struct qnetd_conn *c, const uint8_t *buf, size_t k)
{
	g_byte_array_append(c->in, buf, (guint)k);
	if (c->in->len > QNETD_RECORD_MAX * 2 + 64) {
		c->in_watch = 0;
		c->ops->closed(c, "input too large", c->arg);
		return false;
	}
	return read_records(c);
}

/* Input through TLS: the handshake first, then everything NSS can decrypt now. */
static bool
tls_in(struct qnetd_conn *c)
{
	uint8_t buf[16384];

	if (c->handshaking) {
		if (SSL_ForceHandshake(c->ssl) != SECSuccess) {
			if (PR_GetError() == PR_WOULD_BLOCK_ERROR)
				return true;
			c->in_watch = 0;
			c->ops->closed(c, qnetd_tls_error(), c->arg);
			return false;
		}
		c->handshaking = false;
		if (c->ops->secured && !c->ops->secured(c, c->arg))
			return false; /* freed: c->in_watch was removed with it */
		want_out(c);
	}
	for (;;) {
		PRInt32 k = PR_Read(c->ssl, buf, sizeof(buf));
		if (k < 0 && PR_GetError() == PR_WOULD_BLOCK_ERROR)
			return true;
		if (k <= 0) {
			c->in_watch = 0;
			c->ops->closed(
			    c, k == 0 ? "connection closed by peer" : qnetd_tls_error(), c->arg);
			return false;
		}
		if (!take_input(c, buf, (size_t)k)) {
			return false;
		}
	}
}

static gboolean
on_in(gint fd, GIOCondition cond, gpointer data)
{
	struct qnetd_conn *c = data;
	uint8_t buf[16384];
	ssize_t k;

	(void)fd;
	(void)cond;
	if (c->connecting)
		return G_SOURCE_CONTINUE; /* on_out reports the connect's result */
	if (c->ssl)
		return tls_in(c) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
	k = recv(c->fd, buf, sizeof(buf), 0);
	if (k < 0 && (errno == EAGAIN || errno == EINTR || errno == EWOULDBLOCK))
		return G_SOURCE_CONTINUE;
	if (k <= 0) {
		c->in_watch = 0;
		c->ops->closed(c, k == 0 ? "connection closed by peer" : strerror(errno), c->arg);
		return G_SOURCE_REMOVE;
	}
	return take_input(c, buf, (size_t)k) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

int
qnetd_connect_start(const char *host, unsigned port, char *why, size_t whylen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char ps[16];
	int fd = -1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(ps, sizeof(ps), "%u", port);
	if ((rc = getaddrinfo(host, ps, &hints, &res)) != 0) {
		snprintf(why, whylen, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
			snprintf(why, whylen, "%s port %u: %s", host, port, strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}
