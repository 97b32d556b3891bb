/*
 * paceline-cfgtool - the local node's ring status (like corosync-cfgtool -s).
 *
 *	paceline-cfgtool -s      local node id, ring address, ring id and state, members,
 *	                         packet counters (dropped per reason: auth, short, length, ...)
 * Exit: 0, 1 on error (102 when the daemon is not running).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_membership_status st;
	struct pl_membership *m;
	unsigned members = 0;
	int opt, status = 0;

	log_init("cfgtool");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "sh")) != -1) {
		if (opt == 's') {
			status = 1;
		} else {
			fprintf(stderr, "usage: paceline-cfgtool -s\n");
			return opt == 'h' ? 0 : PL_EXIT_USAGE;
		}
	}
	if (!status) {
		fprintf(stderr, "usage: paceline-cfgtool -s\n");
		return PL_EXIT_USAGE;
	}
	m = pl_membership_connect(2000, &err);
	if (!m || !pl_membership_status(m, &st, &err)) {
		fprintf(stderr, "Could not get the ring status: %s\n", err.text);
		pl_membership_disconnect(m);
		return err.code == PL_EXIT_DISCONNECT ? PL_EXIT_DISCONNECT : PL_EXIT_ERROR;
	}
	for (unsigned i = 0; i < st.n_nodes; i++)
		members += st.nodes[i].member;
	printf("Local node ID %u, transport udpu\n", st.nodeid);
	printf("RING ID 0\n");
	printf("\tid\t= %s\n", pl_membership_node_name(m, st.nodeid));
	printf("\tring\t= %u.%llx\n", st.ring_rep, (unsigned long long)st.ring_seq);
	printf("\tstatus\t= ring %s, %u of %u nodes in the ring\n", st.state, members, st.n_nodes);
	for (unsigned i = 0; i < st.n_nodes; i++)
		printf("\t\tnodeid: %10u:\t%s\n", st.nodes[i].nodeid,
		    st.nodes[i].nodeid == st.nodeid ? "localhost"
			: st.nodes[i].member	    ? "connected"
						    : "disconnected");
	printf("COUNTERS\n");
	for (unsigned i = 0; i < st.n_counters; i++)
		printf("\t%-18s = %llu\n", st.counters[i].name,
		    (unsigned long long)st.counters[i].value);
	pl_membership_disconnect(m);
	return 0;
}
