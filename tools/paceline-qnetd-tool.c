/*
 * paceline-qnetd-tool - the status of a running paceline-qnetd (corosync-qnetd-tool's shape).
 *
 *	paceline-qnetd-tool -l [-v] [-c CLUSTER]   every cluster's nodes, rings and votes
 *	paceline-qnetd-tool -s                     a one-line summary (clusters, clients)
 * Exit: 0, 1 on error (no daemon: "Can't connect to QNetd"), 64 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "paceline/ipc.h"
#include "paceline/log.h"

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_conn *c;
	const char *cluster = "", *text;
	int opt, mode = 0;
	uint32_t verbose = 0;

	log_init("qnetd-tool");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "lsvc:h")) != -1) {
		switch (opt) {
		case 'l': mode = 'l'; break;
		case 's': mode = 's'; break;
		case 'v': verbose = 1; break;
		case 'c': cluster = optarg; break;
		default:
			fprintf(stderr, "usage: paceline-qnetd-tool -l [-v] [-c CLUSTER] | -s\n");
			return opt == 'h' ? 0 : 64;
		}
	}
	if (!mode) {
		fprintf(stderr, "usage: paceline-qnetd-tool -l [-v] [-c CLUSTER] | -s\n");
		return 64;
	}
	c = pl_ipc_connect(PL_SVC_QNETD, 2000, &err);
	if (!c) {
		fprintf(stderr, "Can't connect to QNetd: %s\n", err.text);
		return 1;
	}
	pl_msg_pack(&p, PL_MSG_QNETD_STATUS, cluster, verbose);
	if (!pl_ipc_call(c, PL_MSG_QNETD_STATUS, &p, PL_MSG_QNETD_STATUS_REPLY, 5000, &m, &err) ||
	    !pl_msg_unpack(&m, PL_MSG_QNETD_STATUS_REPLY, &text)) {
		fprintf(stderr, "Can't get QNetd status: %s\n", err.text);
		pl_pack_free(&p);
		pl_ipc_msg_clear(&m);
		pl_ipc_disconnect(c);
		return 1;
	}
	if (mode == 'l')
		fputs(text, stdout);
	else {
		unsigned clusters = 0, nodes = 0;
		for (const char *s = text; (s = strstr(s, "Cluster \"")) != NULL; s++)
			clusters++;
		for (const char *s = text; (s = strstr(s, "    Node ID ")) != NULL; s++)
			nodes++;
		printf(
		    "QNetd address:\t\t\t*\nConnected clients:\t\t%u\nConnected clusters:\t\t%u\n",
		    nodes, clusters);
	}
	pl_pack_free(&p);
	pl_ipc_msg_clear(&m);
	pl_ipc_disconnect(c);
	return 0;
}
