/*
 * cib-load - concurrent persistent clients of paceline-cib, the way crmd and attrd write:
 * each client keeps one connection and sends its updates back to back, each waiting for its
 * acknowledgement. Prints the acknowledged updates per second over all clients.
 *
 *	cib-load [-c CLIENTS] [-n UPDATES] [-m status|config] [-a ACKFILE] [-p PREFIX]
 *
 * status: client i modifies <node_state id="PREFIX-i"> in the status section (a new
 *   attribute value each time), as crmd records operation results;
 * config: client i modifies <primitive id="PREFIX-i"> (its description), each one a
 *   configuration change that is durable before its acknowledgement.
 * With -a, every acknowledged update appends "mode client seq admin_epoch.epoch.num_updates"
 * to ACKFILE (O_APPEND, one line per write), for crash tests. Exits 1 when an update fails
 * and ACKFILE is not given (with it, a failure ends that client quietly: the daemon died).
 * Used by tests/bench/cib-write.sh and tests/integration/cib-daemon/daemon.sh.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paceline/cib.h"
#include "paceline/cib_client.h"
#include "paceline/exitcode.h"
#include "paceline/mtime.h"
#include "paceline/xml.h"

static int run_client(unsigned id, unsigned n, bool status, const char *prefix, int ackfd)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_conn *c = pl_cib_connect(10000, "cib-load", &e);
	struct pl_cib_version v;
	char xml[512];

	if (c == NULL) {
		fprintf(stderr, "cib-load: client %u: %s\n", id, e.text);
		return 1;
	}
	for (unsigned i = 0; i <= n; i++) {
		struct pl_cib_request req = { .op = PL_CIB_OP_MODIFY };
		xmlDoc *doc;
		int rc;

		if (status) {
			req.section = "status";
			snprintf(xml, sizeof(xml), "<node_state id=\"%s-%u\" uname=\"%s-%u\" "
				 "in_ccm=\"true\" crmd=\"online\" join=\"member\" "
				 "expected=\"member\" crm-debug-origin=\"u%u\"/>",
				 prefix, id, prefix, id, i);
		} else {
			req.section = "resources";
			snprintf(xml, sizeof(xml), "<primitive id=\"%s-%u\" class=\"ocf\" "
				 "provider=\"heartbeat\" type=\"Dummy\" description=\"u%u\"/>",
				 prefix, id, i);
		}
		req.op = i == 0 ? PL_CIB_OP_CREATE : PL_CIB_OP_MODIFY;
		doc = pl_xml_parse_string(xml, "update", &e);
		req.input = xmlDocGetRootElement(doc);
		rc = pl_cib_call(c, &req, 30000, NULL, &v, &e);
		xmlFreeDoc(doc);
		if (rc == PL_EXIT_EXISTS && i == 0)
			continue;	/* a second run: the object is there */
		if (rc != 0) {
			if (ackfd < 0)
				fprintf(stderr, "cib-load: client %u update %u: %s\n", id, i, e.text);
			pl_cib_disconnect(c);
			return ackfd < 0 ? 1 : 0;
		}
		if (ackfd >= 0 && i > 0) {
			int len = snprintf(xml, sizeof(xml), "%s %u %u %ld.%ld.%ld\n",
					   status ? "status" : "config", id, i, v.admin_epoch,
					   v.epoch, v.num_updates);

			if (write(ackfd, xml, (size_t)len) != len)
				return 1;
		}
	}
	pl_cib_disconnect(c);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned clients = 4, n = 500;
	bool status = true;
	const char *ackfile = NULL, *prefix = "load";
	int opt, ackfd = -1, failed = 0;
	uint64_t t0;

	while ((opt = getopt(argc, argv, "c:n:m:a:p:h")) != -1) {
		switch (opt) {
		case 'c': clients = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': n = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'm': status = strcmp(optarg, "config") != 0; break;
		case 'a': ackfile = optarg; break;
		case 'p': prefix = optarg; break;
		default:
			fprintf(stderr, "usage: cib-load [-c CLIENTS] [-n UPDATES] "
				"[-m status|config] [-a ACKFILE] [-p PREFIX]\n");
			return opt == 'h' ? 0 : 64;
		}
	}
	if (clients == 0 || n == 0)
		return 64;
	if (ackfile != NULL && (ackfd = open(ackfile, O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0) {
		perror(ackfile);
		return 1;
	}
	t0 = pl_mono_us();
	for (unsigned i = 0; i < clients; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(run_client(i, n, status, prefix, ackfd));
		if (pid < 0) {
			perror("fork");
			return 1;
		}
	}
	for (unsigned i = 0; i < clients; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	double secs = (double)(pl_mono_us() - t0) / 1e6;

	if (failed) {
		fprintf(stderr, "cib-load: %d of %u clients failed\n", failed, clients);
		return 1;
	}
	printf("%s: %u clients x %u updates in %.2f s: %.0f updates/s\n",
	       status ? "status" : "config", clients, n, secs, clients * n / secs);
	return 0;
}
