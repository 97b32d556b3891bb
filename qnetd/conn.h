/*
 * conn.h - one TCP connection of the quorum device protocol, on the GLib main loop: a
 * non-blocking socket, buffered output, records in and out (record.h). Both ends use it: the
 * arbiter (server.c) for each node, the node (membership/qdevice_net.c) for its arbiter.
 *
 * Callbacks may free the connection (qnetd_conn_free); they then return false and the
 * connection's code touches nothing more.
 */
#ifndef PACELINE_QNETD_CONN_H
#define PACELINE_QNETD_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paceline/error.h"
#include "record.h"

struct qnetd_conn;

struct qnetd_conn_ops {
	/* A non-blocking connect completed (client side). */
	bool (*connected)(struct qnetd_conn *c, void *arg);
	/* One authentic record's frame. */
	bool (*frame)(struct qnetd_conn *c, const uint8_t *frame, size_t len, void *arg);
	/* The TLS handshake completed (qnetd_conn_start_tls). */
	bool (*secured)(struct qnetd_conn *c, void *arg);
	/* The peer closed, the socket failed or a record was bad: the owner frees c. */
	void (*closed)(struct qnetd_conn *c, const char *why, void *arg);
};

/* Take fd (non-blocking); connecting: a connect() is in progress. */
struct qnetd_conn *qnetd_conn_new(
    int fd, bool connecting, const char *peer, const struct qnetd_conn_ops *ops, void *arg);
void qnetd_conn_free(struct qnetd_conn *c);
struct qnetd_record *qnetd_conn_record(struct qnetd_conn *c);
const char *qnetd_conn_peer(const struct qnetd_conn *c);
/* A pl_peer_send_fn: arg is the connection. */
bool qnetd_conn_send_frame(const void *frame, size_t len, void *arg, struct pl_error *err);
/* From the next byte after the output queued now, the stream is TLS (tls.h) with t's end;
 * ops->secured when the handshake is done. A failure comes as ops->closed with its reason. */
struct qnetd_tls;
void qnetd_conn_start_tls(struct qnetd_conn *c, struct qnetd_tls *t);
bool qnetd_conn_tls(const struct qnetd_conn *c);
/* The peer certificate's common name under TLS (NULL: none), to free(). */
char *qnetd_conn_peer_cn(const struct qnetd_conn *c);
/* Start a non-blocking TCP connect to host:port (numeric or a name, IPv4/IPv6); -1 with why. */
int qnetd_connect_start(const char *host, unsigned port, char *why, size_t whylen);

#endif
