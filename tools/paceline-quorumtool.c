/*
 * paceline-quorumtool - quorum and membership (corosync-quorumtool's output shape).
 *
 *	paceline-quorumtool -s     quorum, votequorum and membership information
 *	paceline-quorumtool -l     membership information only
 *	-i                         (with -l) show node ids only, no names
 * Exit: -s: 0 quorate, 2 not quorate; 1 on error (as corosync-quorumtool).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "paceline/log.h"
#include "paceline/membership_client.h"

static void
membership(const struct pl_membership_status *st, bool names)
{
	printf("\nMembership information\n----------------------\n");
	printf("    Nodeid      Votes Name\n");
	for (unsigned i = 0; i < st->n_nodes; i++) {
		const struct pl_membership_node *n = &st->nodes[i];
		if (!n->member)
			continue;
		printf("%10u %10u %s%s\n", n->nodeid, n->votes, names ? n->name : "",
		    n->nodeid == st->nodeid ? " (local)" : "");
	}
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_membership_status st;
	struct pl_membership *m;
	int opt, mode = 0;
	bool names = true;
	unsigned nodes = 0;
	time_t now = time(NULL);

	log_init("quorumtool");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "slihpaH")) != -1) {
		switch (opt) {
		case 's': mode = 's'; break;
		case 'l': mode = 'l'; break;
		case 'i': names = false; break;
		case 'p': /* machine-parsable (corosync-quorumtool -p): the same columns */
		case 'a':
		case 'H': break;
		default:
			fprintf(stderr, "usage: paceline-quorumtool -s | -l [-i]\n");
			return opt == 'h' ? 0 : 1;
		}
	}
	if (!mode)
		mode = 's';
	m = pl_membership_connect(2000, &err);
	if (!m || !pl_membership_status(m, &st, &err)) {
		fprintf(stderr, "Cannot initialize QUORUM service: %s\n", err.text);
		pl_membership_disconnect(m);
		return 1;
	}
	for (unsigned i = 0; i < st.n_nodes; i++)
		nodes += st.nodes[i].member;
	if (mode == 's') {
		printf("Quorum information\n------------------\n");
		printf("Date:             %s", ctime(&now));
		printf("Quorum provider:  corosync_votequorum\n");
		printf("Nodes:            %u\n", nodes);
		printf("Node ID:          %u\n", st.nodeid);
		printf("Ring ID:          %u.%llx\n", st.ring_rep, (unsigned long long)st.ring_seq);
		printf("Quorate:          %s\n", st.quorate ? "Yes" : "No");
		printf("\nVotequorum information\n----------------------\n");
		printf("Expected votes:   %u\n", st.expected_votes);
		printf("Highest expected: %u\n", st.expected_votes);
		printf("Total votes:      %u\n", st.total_votes);
		printf("Quorum:           %u %s\n", st.quorum, st.quorate ? "" : "Activity blocked");
		printf("Flags:            %s%s%s%s\n", st.quorate ? "Quorate " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_TWO_NODE ? "2Node " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_WAIT_FOR_ALL ? "WaitForAll " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_WAITING ? "WaitingForAll " : "");
	}
	membership(&st, names);
	pl_membership_disconnect(m);
	if (mode == 's')
		return st.quorate ? 0 : 2;
	return 0;
}
