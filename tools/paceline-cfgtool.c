/*
 * paceline-cfgtool - the local node's links and ring (corosync-cfgtool's output shape).
 *
 *	paceline-cfgtool -s      per link: this node's address, then every node's link state
 *	                         (localhost / connected / disconnected), as corosync-cfgtool -s;
 *	                         then the ring (id, state, members) and the packet counters
 *	paceline-cfgtool -s -b   the brief form: per link one digit per node (3 = connected,
 *	                         1 = configured but not connected, n = this node); exit 1 when
 *	                         any link to a node of the nodelist is down
 *	paceline-cfgtool -n      per node: reachable or not, and each link's state and round trip
 * Exit: 0, 1 on error or (-b) a link down; 102 when the daemon is not running.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"

static const struct pl_membership_link *
find_link(const struct pl_membership_links *lk, uint32_t nodeid, unsigned link)
{
	for (unsigned i = 0; i < lk->n; i++)
		if (lk->l[i].nodeid == nodeid && lk->l[i].link == link)
			return &lk->l[i];
	return NULL;
}

static int
show_links(const struct pl_membership_status *st, const struct pl_membership_links *lk, bool brief)
{
	int rc = 0;

	printf("Local node ID %u, transport %s\n", st->nodeid, lk->transport);
	for (unsigned k = 0; k < lk->n_links; k++) {
		if (!lk->local[k][0])
			continue;
		printf("LINK ID %u udp\n", k);
		printf("\taddr\t= %s\n", lk->local[k]);
		if (lk->group[k][0])
			printf("\tgroup\t= %s\n", lk->group[k]);
		if (brief)
			printf("\tstatus\t= ");
		else
			printf("\tstatus:\n");
		for (unsigned i = 0; i < st->n_nodes; i++) {
			uint32_t id = st->nodes[i].nodeid;
			const struct pl_membership_link *l = find_link(lk, id, k);
			if (!l && id != st->nodeid)
				continue;
			if (!l) {
				if (brief)
					putchar('n');
				else
					printf("\t\tnodeid: %10u:\tlocalhost\n", id);
				continue;
			}
			if (!l->up)
				rc = 1;
			if (brief)
				putchar(l->up ? '3' : '1');
			else
				printf("\t\tnodeid: %10u:\t%s\n", id,
				    l->up ? "connected" : "disconnected");
		}
		if (brief)
			putchar('\n');
	}
	return rc;
}

static void
show_ring(const struct pl_membership_status *st)
{
	unsigned members = 0;

	for (unsigned i = 0; i < st->n_nodes; i++)
		members += st->nodes[i].member;
	printf("RING\n");
	printf("\tring\t= %u.%llx\n", st->ring_rep, (unsigned long long)st->ring_seq);
	printf("\tstatus\t= ring %s, %u of %u nodes in the ring\n", st->state, members, st->n_nodes);
	for (unsigned i = 0; i < st->n_nodes; i++)
		printf("\t\tnodeid: %10u:\t%s\n", st->nodes[i].nodeid,
		    st->nodes[i].nodeid == st->nodeid ? "localhost"
			: st->nodes[i].member	      ? "member"
						      : "not a member");
	printf("COUNTERS\n");
	for (unsigned i = 0; i < st->n_counters; i++)
		printf("\t%-18s = %llu\n", st->counters[i].name,
		    (unsigned long long)st->counters[i].value);
}

static void
show_nodes(const struct pl_membership_status *st, const struct pl_membership_links *lk)
{
	printf("Local node ID %u, transport %s\n", st->nodeid, lk->transport);
	for (unsigned i = 0; i < st->n_nodes; i++) {
		uint32_t id = st->nodes[i].nodeid;
		bool any = false;
		if (id == st->nodeid)
			continue;
		for (unsigned k = 0; k < lk->n_links; k++) {
			const struct pl_membership_link *l = find_link(lk, id, k);
			any |= l && l->up;
		}
		printf("nodeid: %u %s\n", id, any ? "reachable" : "unreachable");
		for (unsigned k = 0; k < lk->n_links; k++) {
			const struct pl_membership_link *l = find_link(lk, id, k);
			if (!l)
				continue;
			/* corosync-cfgtool -n's line, then Paceline's own figures */
			printf("   LINK: %u udp (%s->%s) enabled%s mtu: %u rtt: %u ms sent: %llu "
			       "received: %llu down: %llu times\n",
			    k, lk->local[k], l->remote, l->up ? " connected" : "", 8000, l->rtt_ms,
			    (unsigned long long)l->tx, (unsigned long long)l->rx,
			    (unsigned long long)l->downs);
		}
		printf("\n");
	}
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_membership_status st;
	static struct pl_membership_links lk;
	struct pl_membership *m;
	int opt, mode = 0, rc = 0;
	bool brief = false;

	log_init("cfgtool");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "snbh")) != -1) {
		switch (opt) {
		case 's':
		case 'n': mode = opt; break;
		case 'b': brief = true; break;
		default:
			fprintf(stderr, "usage: paceline-cfgtool -s [-b] | -n\n");
			return opt == 'h' ? 0 : PL_EXIT_USAGE;
		}
	}
	if (!mode) {
		fprintf(stderr, "usage: paceline-cfgtool -s [-b] | -n\n");
		return PL_EXIT_USAGE;
	}
	m = pl_membership_connect(2000, &err);
	if (!m || !pl_membership_status(m, &st, &err) || !pl_membership_links(m, &lk, &err)) {
		fprintf(stderr, "Could not get the ring status: %s\n", err.text);
		pl_membership_disconnect(m);
		return err.code == PL_EXIT_DISCONNECT ? PL_EXIT_DISCONNECT : PL_EXIT_ERROR;
	}
	if (mode == 'n') {
		show_nodes(&st, &lk);
	} else {
		rc = show_links(&st, &lk, brief);
		if (!brief)
			show_ring(&st);
		else
			rc = rc ? 1 : 0;
		if (!brief)
			rc = 0;
	}
	pl_membership_disconnect(m);
	return rc;
}
