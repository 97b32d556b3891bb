/*
 * cib_watch - test helper: subscribe to paceline-cib's notifications and print one line per
 * applied update ("A.E.N op client origin changes=K") until COUNT arrived (exit 0) or
 * TIMEOUT_MS passed (exit 124). Prints "subscribed A.E.N" first, so a test can wait for it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "paceline/cib_client.h"
#include "paceline/mtime.h"
#include "paceline/xml.h"

int
main(int argc, char **argv)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_conn *c;
	struct pl_cib_version v;
	uint64_t deadline;
	int count, got = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: cib_watch COUNT TIMEOUT_MS\n");
		return 64;
	}
	count = atoi(argv[1]);
	deadline = pl_deadline((uint64_t)atoi(argv[2]));
	if ((c = pl_cib_connect(5000, "cib_watch", &e)) == NULL ||
	    pl_cib_subscribe(c, true, &v, &e) != 0) {
		fprintf(stderr, "cib_watch: %s\n", e.text);
		return e.code;
	}
	printf("subscribed %ld.%ld.%ld\n", v.admin_epoch, v.epoch, v.num_updates);
	fflush(stdout);
	while (got < count) {
		struct pl_cib_notify n;
		size_t changes;

		if (!pl_cib_next_notify(c, (int)pl_deadline_left(deadline), &n, &e)) {
			fprintf(stderr, "cib_watch: %s\n", e.text);
			pl_cib_disconnect(c);
			return e.code;
		}
		changes = pl_xml_count_children(xmlDocGetRootElement(n.patchset), "change");
		printf("%ld.%ld.%ld op=%u client=%s origin=%s changes=%zu\n", n.version.admin_epoch,
		    n.version.epoch, n.version.num_updates, n.op, n.client, n.origin, changes);
		fflush(stdout);
		pl_cib_notify_clear(&n);
		got++;
	}
	pl_cib_disconnect(c);
	return 0;
}
