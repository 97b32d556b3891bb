/*
 * paceline-quorumtool - quorum and membership (corosync-quorumtool's output shape).
 *
 *	paceline-quorumtool -s     quorum, votequorum and membership information
 *	paceline-quorumtool -l     membership information only
 *	paceline-quorumtool -e N   set expected votes (every member applies it in ring order);
 *	                           refused when it would cost the cluster its quorum
 *	-i                         (with -l) show node ids only, no names
 * Exit: -s: 0 quorate, 2 not quorate; 1 on error (as corosync-quorumtool).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paceline/log.h"
#include "paceline/membership_client.h"

static uint32_t counter(const struct pl_membership_status *st, const char *name, uint32_t def);

/* corosync-quorumtool's Qdevice column: Alive / Vote / MasterWins, or NR (not registered) */
static const char *
qdevice_text(uint32_t f, char *buf, size_t len)
{
	if (!(f & PL_MEMBERSHIP_QDEVICE_CONFIGURED))
		return "NR";
	snprintf(buf, len, "%s,%s,%s", f & PL_MEMBERSHIP_QDEVICE_ALIVE ? "A" : "NA",
	    f & PL_MEMBERSHIP_QDEVICE_VOTE ? "V" : "NV", f & PL_MEMBERSHIP_QDEVICE_MW ? "MW" : "NMW");
	return buf;
}

static void
membership(const struct pl_membership_status *st, bool names)
{
	bool qd = st->flags & PL_MEMBERSHIP_FLAG_QDEVICE;
	char buf[32];

	printf("\nMembership information\n----------------------\n");
	printf(qd ? "    Nodeid      Votes    Qdevice Name\n" : "    Nodeid      Votes Name\n");
	for (unsigned i = 0; i < st->n_nodes; i++) {
		const struct pl_membership_node *n = &st->nodes[i];
		if (!n->member)
			continue;
		printf("%10u %10u ", n->nodeid, n->votes);
		if (qd)
			printf("%10s ", qdevice_text(n->qdevice, buf, sizeof(buf)));
		printf("%s%s\n", names ? n->name : "", n->nodeid == st->nodeid ? " (local)" : "");
	}
	if (qd)
		printf("%10u %10u %10s Qdevice\n", 0u, counter(st, "qdevice_votes", 1), "");
}

static uint32_t
counter(const struct pl_membership_status *st, const char *name, uint32_t def)
{
	for (unsigned i = 0; i < st->n_counters; i++)
		if (strcmp(st->counters[i].name, name) == 0)
			return (uint32_t)st->counters[i].value;
	return def;
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_membership_status st;
	struct pl_membership *m;
	int opt, mode = 0;
	unsigned long expected = 0;
	char *end;
	bool names = true;
	unsigned nodes = 0;
	time_t now = time(NULL);

	log_init("quorumtool");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "slihpaHe:")) != -1) {
		switch (opt) {
		case 's': mode = 's'; break;
		case 'e':
			mode = 'e';
			expected = strtoul(optarg, &end, 10);
			if (*end || end == optarg || expected == 0 || expected > 65535) {
				fprintf(stderr,
				    "paceline-quorumtool: -e %s: not a number of votes "
				    "(1-65535)\n",
				    optarg);
				return 1;
			}
			break;
		case 'l': mode = 'l'; break;
		case 'i': names = false; break;
		case 'p': /* machine-parsable (corosync-quorumtool -p): the same columns */
		case 'a':
		case 'H': break;
		default:
			fprintf(stderr, "usage: paceline-quorumtool -s | -l [-i] | -e EXPECTED\n");
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
	if (mode == 'e') {
		bool ok = pl_membership_set_expected(m, (uint32_t)expected, &err);
		if (!ok)
			fprintf(stderr, "Unable to set expected votes: %s\n", err.text);
		pl_membership_disconnect(m);
		return ok ? 0 : 1;
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
		printf("Highest expected: %u\n", counter(&st, "highest_expected", st.expected_votes));
		printf("Total votes:      %u\n", st.total_votes);
		printf("Quorum:           %-3u%s\n", st.quorum, st.quorate ? "" : "Activity blocked");
		/* corosync-quorumtool's order; WaitingForAll is Paceline's */
		printf("Flags:            %s%s%s%s%s%s%s%s\n",
		    st.flags & PL_MEMBERSHIP_FLAG_TWO_NODE ? "2Node " : "",
		    st.quorate ? "Quorate " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_WAIT_FOR_ALL ? "WaitForAll " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_LMS ? "LastManStanding " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_ATB ? "AutoTieBreaker " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_ALLOW_DOWNSCALE ? "AllowDownscale " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_QDEVICE ? "Qdevice " : "",
		    st.flags & PL_MEMBERSHIP_FLAG_WAITING ? "WaitingForAll " : "");
	}
	membership(&st, names);
	pl_membership_disconnect(m);
	if (mode == 's')
		return st.quorate ? 0 : 2;
	return 0;
}
