/*
 * corosync_cpgbench.c - the reference side of tests/bench/membership-throughput.sh: the same
 * measurement as paceline-cpgbench, against Debian's corosync through libcpg (agreed-order
 * cpg_mcast_joined, counting this process's messages delivered back). Built by the script
 * only when libcpg's headers are installed.
 *	corosync_cpgbench [-1] SECONDS SIZE...
 * -1: one message in flight at a time (the next is sent when this one came back): the mean
 * round trip to the agreed delivery, as paceline-cpgbench -w 1.
 */
#include <corosync/cpg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static unsigned long long own;
static unsigned int my_nodeid;

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
deliver(cpg_handle_t h, const struct cpg_name *g, uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	(void)h;
	(void)g;
	(void)msg;
	(void)len;
	if (nodeid == my_nodeid && pid == (uint32_t)getpid())
		own++;
}

int
main(int argc, char **argv)
{
	cpg_callbacks_t cb = { .cpg_deliver_fn = deliver };
	struct cpg_name group = { .length = 8 };
	cpg_handle_t h;
	int one = argc > 1 && strcmp(argv[1], "-1") == 0;
	unsigned secs;

	argv += one;
	argc -= one;
	secs = argc > 1 ? (unsigned)atoi(argv[1]) : 5;

	memcpy(group.value, "cpgbench", 8);
	if (cpg_initialize(&h, &cb) != CS_OK || cpg_join(h, &group) != CS_OK ||
	    cpg_local_get(h, &my_nodeid) != CS_OK) {
		fprintf(stderr, "corosync_cpgbench: cannot use cpg (is corosync running?)\n");
		return 1;
	}
	for (int a = 2; a < argc; a++) {
		size_t size = strtoul(argv[a], NULL, 10);
		char *buf = calloc(1, size);
		struct iovec iov = { buf, size };
		unsigned long long sent = 0;
		double t0 = now(), t_last = t0, end = t0 + secs;

		own = 0;
		while (now() < end) {
			cs_error_t rc = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1);
			if (rc == CS_OK)
				sent++;
			if (one)
				while (own < sent && now() < end + 30)
					cpg_dispatch(h, CS_DISPATCH_ONE);
			else
				cpg_dispatch(h, rc == CS_ERR_TRY_AGAIN ? CS_DISPATCH_ONE : CS_DISPATCH_ALL);
		}
		while (own < sent && now() < end + 30)
			cpg_dispatch(h, CS_DISPATCH_ONE);
		t_last = now();
		printf("%8llu messages delivered %8zu bytes each %7.3f s %11.1f msg/s %9.3f MB/s\n",
		    own, size, t_last - t0, own / (t_last - t0),
		    own * (double)size / (t_last - t0) / 1e6);
		fflush(stdout);
		free(buf);
	}
	cpg_finalize(h);
	return 0;
}
