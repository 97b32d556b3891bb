/*
 * qnetd.h - paceline-qnetd, the quorum device's arbiter: what its files share.
 * main.c (options, start-up on the daemon skeleton), server.c (listener, clients, clusters).
 */
#ifndef PACELINE_QNETD_H
#define PACELINE_QNETD_H

#include <stdbool.h>

#include "paceline/error.h"
#include "algo.h"
#include "conn.h"
#include "record.h"
#include "tls.h"

struct qnetd_server_conf {
	const char *listen; /* address, NULL or "": every address */
	unsigned port;
	const char *keydir; /* <keydir>/<cluster name>.key: each cluster's authkey; <keydir>/nssdb */
	enum qnetd_tls_mode tls; /* -s (on) */
};

bool qnetd_server_start(const struct qnetd_server_conf *conf, struct pl_error *err);
void qnetd_server_stop(void);

#endif
