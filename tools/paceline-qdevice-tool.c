/*
 * paceline-qdevice-tool - the quorum device client's status on this node, in
 * corosync-qdevice-tool's options, output and exit codes (installed as corosync-qdevice-tool
 * too: pcs quorum device status runs it). The client lives in paceline-membership
 * (membership/qdevice_net.c), which answers.
 *
 *	paceline-qdevice-tool -s [-v]
 * Exit: 0; 1 usage; 3 when paceline-membership cannot be reached or runs no quorum device
 * ("... (is QDevice running?)"). -p PATH is accepted and ignored (the socket is found by
 * PL_IPC_PREFIX); -H (shut the client down) is not offered: remove quorum.device instead.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "paceline/ipc.h"
#include "paceline/log.h"

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-Hhsv] [-p qdevice_ipc_socket_path]\n", prog);
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_conn *c;
	const char *text, *prog = strrchr(argv[0], '/');
	int opt;
	bool status = false;
	uint32_t verbose = 0;

	prog = prog ? prog + 1 : argv[0];
	log_init("qdevice-tool");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "Hhsvp:")) != -1) {
		switch (opt) {
		case 's': status = true; break;
		case 'v': verbose = 1; break;
		case 'p': break;
		case 'H':
			fprintf(stderr,
			    "%s: -H is not supported: the quorum device client is part of "
			    "paceline-membership (remove quorum.device to stop it)\n",
			    prog);
			return 1;
		default: usage(prog); return 1;
		}
	}
	if (!status || optind < argc) {
		usage(prog);
		return 1;
	}
	c = pl_ipc_connect(PL_SVC_MEMBERSHIP, 2000, &err);
	if (!c) {
		fprintf(stderr, "%s: Can't connect to QDevice socket (is QDevice running?): %s\n",
		    prog, err.text);
		return 3;
	}
	pl_msg_pack(&p, PL_MSG_MEMBERSHIP_QDEVICE_STATUS, verbose);
	if (!pl_ipc_call(c, PL_MSG_MEMBERSHIP_QDEVICE_STATUS, &p,
		PL_MSG_MEMBERSHIP_QDEVICE_STATUS_REPLY, 5000, &m, &err) ||
	    !pl_msg_unpack(&m, PL_MSG_MEMBERSHIP_QDEVICE_STATUS_REPLY, &text)) {
		fprintf(stderr, "%s: Can't connect to QDevice socket (is QDevice running?): %s\n",
		    prog, err.text);
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
