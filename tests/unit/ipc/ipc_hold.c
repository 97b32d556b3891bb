/*
 * ipc_hold.c - open N idle connections to a Paceline service and keep them until stdin closes
 * (tests/bench/ipc-memory.sh measures the daemon's /dev/shm and RSS per client with it; the
 * per-user connection limit test uses it too). Prints "connected N" (or the error and exits 1
 * at the first refused connection, after printing how many succeeded).
 * Usage: ipc_hold SERVICE N        (SERVICE: cib, lrmd, pengine, membership, echo)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/ipc.h"

int
main(int argc, char **argv)
{
	enum pl_service svc = PL_SVC_NONE;
	struct pl_ipc_conn **c;
	struct pl_error err = PL_ERROR_INIT;
	unsigned n, ok = 0;
	char buf[64];

	if (argc != 3) {
		fprintf(stderr, "usage: ipc_hold SERVICE N\n");
		return 64;
	}
	for (unsigned s = 1; s < PL_SVC_COUNT; s++)
		if (strcmp(argv[1], pl_service_name((enum pl_service)s)) == 0)
			svc = (enum pl_service)s;
	n = (unsigned)strtoul(argv[2], NULL, 10);
	if (svc == PL_SVC_NONE || n == 0) {
		fprintf(stderr, "ipc_hold: unknown service '%s' or bad count\n", argv[1]);
		return 64;
	}
	c = calloc(n, sizeof(*c));
	for (ok = 0; ok < n; ok++) {
		c[ok] = pl_ipc_connect(svc, 5000, &err);
		if (c[ok] == NULL)
			break;
	}
	printf("connected %u\n", ok);
	if (ok < n)
		printf("error %d: %s\n", err.code, err.text);
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	for (unsigned i = 0; i < ok; i++)
		pl_ipc_disconnect(c[i]);
	free(c);
	return ok < n ? 1 : 0;
}
