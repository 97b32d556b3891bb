/*
 * cib-load - concurrent persistent clients of paceline-cib, the way crmd and attrd write:
 * each client keeps one connection and sends its updates back to back, each waiting for its
 * acknowledgement. Prints the acknowledged updates per second over all clients.
 *
 *	cib-load [-c CLIENTS] [-n UPDATES] [-m status|config] [-w WINDOW] [-a ACKFILE] [-p PREFIX]
 *
 * -w WINDOW (default 1): updates in flight per client (pl_cib_update_async on a main loop,
 * as a daemon writes); 1 is a synchronous pl_cib_call per update.
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
#include "paceline/ipc.h"
#include "paceline/mtime.h"
#include "paceline/xml.h"

static int
run_client(unsigned id, unsigned n, bool status, const char *prefix, int ackfd)
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
			snprintf(xml, sizeof(xml),
			    "<node_state id=\"%s-%u\" uname=\"%s-%u\" "
			    "in_ccm=\"true\" crmd=\"online\" join=\"member\" "
			    "expected=\"member\" crm-debug-origin=\"u%u\"/>",
			    prefix, id, prefix, id, i);
		} else {
			req.section = "resources";
			snprintf(xml, sizeof(xml),
			    "<primitive id=\"%s-%u\" class=\"ocf\" "
			    "provider=\"heartbeat\" type=\"Dummy\" description=\"u%u\"/>",
			    prefix, id, i);
		}
		req.op = i == 0 ? PL_CIB_OP_CREATE : PL_CIB_OP_MODIFY;
		doc = pl_xml_parse_string(xml, "update", &e);
		req.input = xmlDocGetRootElement(doc);
		rc = pl_cib_call(c, &req, 30000, NULL, &v, &e);
		xmlFreeDoc(doc);
		if (rc == PL_EXIT_EXISTS && i == 0)
			continue; /* a second run: the object is there */
		if (rc != 0) {
			if (ackfd < 0)
				fprintf(stderr, "cib-load: client %u update %u: %s\n", id, i, e.text);
			pl_cib_disconnect(c);
			return ackfd < 0 ? 1 : 0;
		}
		if (ackfd >= 0 && i > 0) {
			int len = snprintf(xml, sizeof(xml), "%s %u %u %ld.%ld.%ld\n",
			    status ? "status" : "config", id, i, v.admin_epoch, v.epoch,
			    v.num_updates);

			if (write(ackfd, xml, (size_t)len) != len)
				return 1;
		}
	}
	pl_cib_disconnect(c);
	return 0;
}

struct window {
	struct pl_cib_conn *c;
	unsigned id, n, sent, done, in_flight;
	bool status, failed;
	const char *prefix;
	int ackfd;
	GMainLoop *loop;
};

static bool send_next(struct window *w);

static void
on_done(struct pl_cib_conn *c, int rc, const char *text, const struct pl_cib_version *v, void *arg)
{
	struct window *w = arg;
	char line[128];

	(void)c;
	w->in_flight--;
	w->done++;
	if (rc != 0) {
		if (w->ackfd < 0)
			fprintf(stderr, "cib-load: client %u: %s\n", w->id, text);
		w->failed = true;
	} else if (w->ackfd >= 0 && v != NULL) {
		int len = snprintf(line, sizeof(line), "%s %u %u %ld.%ld.%ld\n",
		    w->status ? "status" : "config", w->id, w->done, v->admin_epoch, v->epoch,
		    v->num_updates);

		if (write(w->ackfd, line, (size_t)len) != len)
			w->failed = true;
	}
	if (w->failed || (w->sent >= w->n && w->in_flight == 0)) {
		if (w->in_flight == 0)
			g_main_loop_quit(w->loop);
		return;
	}
	send_next(w);
}

static bool
send_next(struct window *w)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_request req = { .op = PL_CIB_OP_MODIFY };
	char xml[512];
	xmlDoc *doc;
	bool ok;

	if (w->sent >= w->n)
		return true;
	w->sent++;
	if (w->status) {
		req.section = "status";
		snprintf(xml, sizeof(xml),
		    "<node_state id=\"%s-%u\" uname=\"%s-%u\" "
		    "in_ccm=\"true\" crmd=\"online\" crm-debug-origin=\"u%u\"/>",
		    w->prefix, w->id, w->prefix, w->id, w->sent);
	} else {
		req.section = "resources";
		snprintf(xml, sizeof(xml), "<primitive id=\"%s-%u\" description=\"u%u\"/>",
		    w->prefix, w->id, w->sent);
	}
	doc = pl_xml_parse_string(xml, "update", &e);
	req.input = xmlDocGetRootElement(doc);
	ok = pl_cib_update_async(w->c, &req, 30000, on_done, w, &e);
	xmlFreeDoc(doc);
	if (!ok) {
		fprintf(stderr, "cib-load: client %u: %s\n", w->id, e.text);
		w->failed = true;
		return false;
	}
	w->in_flight++;
	return true;
}

/* A client with `window` updates in flight: the object is created synchronously first. */
static int
run_window(unsigned id, unsigned n, bool status, const char *prefix, int ackfd, unsigned window)
{
	static const struct pl_ipc_conn_ops ops = { 0 };
	struct window w = { .id = id, .n = n, .status = status, .prefix = prefix, .ackfd = ackfd };
	int rc = run_client(id, 0, status, prefix, -1); /* creates the object */

	if (rc != 0)
		return rc;
	struct pl_error e = PL_ERROR_INIT;

	w.c = pl_cib_connect(10000, "cib-load", &e);
	if (w.c == NULL) {
		fprintf(stderr, "cib-load: client %u: %s\n", id, e.text);
		return 1;
	}
	w.loop = g_main_loop_new(NULL, false);
	pl_ipc_conn_attach(pl_cib_ipc(w.c), NULL, &ops, NULL);
	for (unsigned i = 0; i < window && send_next(&w); i++)
		;
	if (w.in_flight > 0)
		g_main_loop_run(w.loop);
	g_main_loop_unref(w.loop);
	pl_cib_disconnect(w.c);
	return w.failed && ackfd < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	unsigned clients = 4, n = 500, window = 1;
	bool status = true;
	const char *ackfile = NULL, *prefix = "load";
	int opt, ackfd = -1, failed = 0;
	uint64_t t0;

	while ((opt = getopt(argc, argv, "c:n:m:w:a:p:h")) != -1) {
		switch (opt) {
		case 'c': clients = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': n = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'm': status = strcmp(optarg, "config") != 0; break;
		case 'w': window = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'a': ackfile = optarg; break;
		case 'p': prefix = optarg; break;
		default:
			fprintf(stderr,
			    "usage: cib-load [-c CLIENTS] [-n UPDATES] "
			    "[-m status|config] [-w WINDOW] [-a ACKFILE] [-p PREFIX]\n");
			return opt == 'h' ? 0 : 64;
		}
	}
	if (clients == 0 || n == 0 || window == 0)
		return 64;
	if (ackfile != NULL && (ackfd = open(ackfile, O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0) {
		perror(ackfile);
		return 1;
	}
	t0 = pl_mono_us();
	for (unsigned i = 0; i < clients; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(window > 1 ? run_window(i, n, status, prefix, ackfd, window)
					 : run_client(i, n, status, prefix, ackfd));
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
	printf("%s: %u clients x %u updates (window %u) in %.2f s: %.0f updates/s\n",
	    status ? "status" : "config", clients, n, window, secs, clients * n / secs);
	return 0;
}
