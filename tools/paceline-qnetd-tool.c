/*
 * paceline-qnetd-tool - the status of a running paceline-qnetd, in corosync-qnetd-tool's
 * options, output and exit codes (installed as corosync-qnetd-tool too: pcs qdevice status
 * runs it).
 *
 *	paceline-qnetd-tool -l [-v] [-c CLUSTER]   every cluster's nodes, rings, heuristics, votes
 *	paceline-qnetd-tool -s [-v]                the listener, TLS, clients and clusters
 * Exit: 0; 1 usage; 3 when the daemon cannot be reached ("... (is QNetd running?)", which pcs
 * looks for) or does not answer. -p PATH is accepted and ignored (the socket is found by
 * PL_IPC_PREFIX); -H (shut the daemon down) is not offered: stop the service instead.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "paceline/ipc.h"
#include "paceline/log.h"

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-Hhlsv] [-c cluster_name] [-p qnetd_ipc_socket_path]\n", prog);
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_conn *c;
	const char *cluster = "", *text, *prog = strrchr(argv[0], '/');
	int opt, mode = 0;
	uint32_t flags = 0;

	prog = prog ? prog + 1 : argv[0];
	log_init("qnetd-tool");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "Hhlsvc:p:")) != -1) {
		switch (opt) {
		case 'l': mode = 'l'; break;
		case 's': mode = 's'; break;
		case 'v': flags |= 1; break;
		case 'c': cluster = optarg; break;
		case 'p': break;
		case 'H':
			fprintf(stderr,
			    "%s: -H is not supported: stop the paceline-qnetd service\n", prog);
			return 1;
		default: usage(prog); return 1;
		}
	}
	if (!mode || optind < argc) {
		usage(prog);
		return 1;
	}
	if (mode == 's')
		flags |= 2;
	c = pl_ipc_connect(PL_SVC_QNETD, 2000, &err);
	if (!c) {
		fprintf(stderr, "%s: Can't connect to qnetd socket (is QNetd running?): %s\n", prog,
		    err.text);
		return 3;
	}
	pl_msg_pack(&p, PL_MSG_QNETD_STATUS, cluster, flags);
	if (!pl_ipc_call(c, PL_MSG_QNETD_STATUS, &p, PL_MSG_QNETD_STATUS_REPLY, 5000, &m, &err) ||
	    !pl_msg_unpack(&m, PL_MSG_QNETD_STATUS_REPLY, &text)) {
		fprintf(stderr, "%s: Can't get QNetd status: %s\n", prog, err.text);
		pl_pack_free(&p);
		pl_ipc_msg_clear(&m);
		pl_ipc_disconnect(c);
		return 3;
	}
	fputs(text, stdout);
	pl_pack_free(&p);
	pl_ipc_msg_clear(&m);
	pl_ipc_disconnect(c);
	return 0;
}
