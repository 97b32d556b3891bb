/*
 * main.c - paceline-qnetd: the arbiter of the quorum device (corosync-qnetd's role). It runs
 * on a machine outside the clusters it serves, listens on TCP (default port 5403) and lends
 * each cluster's device vote to one partition at a time (algo.h: ffsplit, lms). A node proves
 * it belongs to its cluster with the cluster's authkey (record.h), which the arbiter keeps as
 * <keydir>/<cluster_name>.key.
 *
 *	paceline-qnetd [-f] [-V] [-L ADDRESS] [-p PORT] [-d KEYDIR] [-s on|off|required]
 * TLS (tls.h): -s as corosync-qnetd's; the certificates in KEYDIR/nssdb
 * (paceline-qnetd-certutil -i).
 * Environment: PL_QNETD_KEYDIR (default /etc/paceline/qnetd), PL_IPC_PREFIX (status socket).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/daemon.h"
#include "paceline/log.h"
#include "qnetd.h"

static struct qnetd_server_conf conf = { .port = QNETD_DEFAULT_PORT, .tls = QNETD_TLS_ON };

static bool
qnetd_option(int ch, const char *arg)
{
	char *end;
	unsigned long v;

	switch (ch) {
	case 'L': conf.listen = arg; return true;
	case 'd': conf.keydir = arg; return true;
	case 's':
		if (!qnetd_tls_parse(arg, &conf.tls)) {
			fprintf(stderr, "paceline-qnetd: -s %s: not on, off or required\n", arg);
			return false;
		}
		return true;
	case 'p':
		v = strtoul(arg, &end, 10);
		if (*end || end == arg || v == 0 || v > 65535) {
			fprintf(stderr, "paceline-qnetd: -p %s: not a port number (1-65535)\n", arg);
			return false;
		}
		conf.port = (unsigned)v;
		return true;
	}
	return false;
}

static bool
qnetd_start(struct pl_error *err)
{
	if (!conf.keydir)
		conf.keydir = getenv("PL_QNETD_KEYDIR") && *getenv("PL_QNETD_KEYDIR")
		    ? getenv("PL_QNETD_KEYDIR")
		    : "/etc/paceline/qnetd";
	if (pl_daemon_foreground()) {
		log_set_stderr(true);
		log_set_timestamp(true);
		log_set_syslog(false, NULL);
	}
	return qnetd_server_start(&conf, err);
}

static void
qnetd_cleanup(void)
{
	qnetd_server_stop();
}

int
main(int argc, char **argv)
{
	static const struct pl_daemon qnetd = {
		.role = "qnetd",
		.usage = "  -L ADDRESS             listen on this address only (default: all)\n"
			 "  -p PORT                TCP port (default 5403)\n"
			 "  -d KEYDIR              cluster keys, KEYDIR/<cluster_name>.key "
			 "(PL_QNETD_KEYDIR, /etc/paceline/qnetd)\n"
			 "  -s on|off|required     TLS with the certificates in KEYDIR/nssdb "
			 "(default on: offered when they exist)\n"
			 "environment: PL_IPC_PREFIX (the status socket of paceline-qnetd-tool)\n",
		.shortopts = "L:p:d:s:",
		.option = qnetd_option,
		.start = qnetd_start,
		.cleanup = qnetd_cleanup,
	};

	return pl_daemon_main(&qnetd, argc, argv);
}
