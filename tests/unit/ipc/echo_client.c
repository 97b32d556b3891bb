/*
 * echo_client.c - talk to echo_server by hand:
 *	echo_client TEXT [COUNT]	send TEXT COUNT times (default 1), print replies and the rate
 *	echo_client -s TEXT [COUNT]	shout TEXT to subscribers (COUNT times, printing the rate)
 *	echo_client -l			subscribe and print events until interrupted
 *	echo_client -c N		subscribe, count N events, print how long they took
 *	echo_client -b MB [COUNT]	send a document of MB megabytes (ECHO_BULK) COUNT times and
 *					print the round-trip time and rate (pieces both ways)
 * Exit code: 0, or the Pacemaker exit code of the failure (102 when the server is absent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/log.h"
#include "paceline/mtime.h"
#include "echo_service.h"

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_msg m = PL_IPC_MSG_INIT;
	struct pl_pack p = PL_PACK_INIT;
	struct pl_ipc_conn *c;

	log_init("echo_client");
	if (argc < 2) {
		fprintf(stderr, "usage: echo_client TEXT [COUNT] | -s TEXT | -l\n");
		return 64;
	}
	c = pl_ipc_connect(PL_SVC_ECHO, 2000, &err);
	if (c == NULL) {
		fprintf(stderr, "echo_client: %s\n", err.text);
		return err.code;
	}
	if (strcmp(argv[1], "-b") == 0 && argc > 2) {
		size_t len = (size_t)(strtod(argv[2], NULL) * 1e6);
		unsigned count = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1;
		char *doc = malloc(len + 1);
		uint64_t t0;
		const char *got;

		memset(doc, 'b', len);
		doc[len] = '\0';
		pl_msg_pack(&p, PL_MSG_ECHO_BULK, (uint32_t)0, doc);
		t0 = pl_mono_us();
		for (unsigned i = 0; i < count; i++) {
			if (!pl_ipc_call(
				c, PL_MSG_ECHO_BULK, &p, PL_MSG_ECHO_BULK_REPLY, 60000, &m, &err))
				goto fail;
			if (!pl_msg_unpack(&m, PL_MSG_ECHO_BULK_REPLY, &got) || strlen(got) != len) {
				fprintf(stderr, "echo_client: bulk reply differs\n");
				return 1;
			}
			pl_ipc_msg_clear(&m);
		}
		printf("%u round trips of %zu bytes: %.1f ms each, %.0f MB/s each way\n", count,
		    len, (double)(pl_mono_us() - t0) / 1000.0 / count,
		    (double)len * count / (double)(pl_mono_us() - t0) * 2);
		free(doc);
	} else if (strcmp(argv[1], "-c") == 0 && argc > 2) {
		unsigned want = (unsigned)strtoul(argv[2], NULL, 10), got = 0;
		uint64_t t0 = 0;

		if (!pl_ipc_call(c, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, &m, &err))
			goto fail;
		pl_ipc_msg_clear(&m);
		printf("subscribed\n");
		fflush(stdout);
		while (got < want) {
			if (!pl_ipc_wait_event(c, 10000, &m, &err))
				goto fail;
			if (got++ == 0)
				t0 = pl_mono_us();
			pl_ipc_msg_clear(&m);
		}
		printf("%u events, %.1f us apart\n", got,
		    got > 1 ? (double)(pl_mono_us() - t0) / (got - 1) : 0.0);
	} else if (strcmp(argv[1], "-l") == 0) {
		if (!pl_ipc_call(c, PL_MSG_ECHO_SUBSCRIBE, NULL, PL_MSG_NONE, 2000, &m, &err))
			goto fail;
		pl_ipc_msg_clear(&m);
		for (;;) {
			const char *text;

			if (!pl_ipc_wait_event(c, 60000, &m, &err)) {
				if (err.code == 124)
					continue;
				goto fail;
			}
			if (pl_msg_unpack(&m, PL_MSG_ECHO_EVENT, &text))
				printf("event: %s\n", text), fflush(stdout);
			pl_ipc_msg_clear(&m);
		}
	} else if (strcmp(argv[1], "-s") == 0 && argc > 2) {
		unsigned count = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1;
		uint64_t t0 = pl_mono_us();

		pl_pack_str(&p, argv[2]);
		for (unsigned i = 0; i < count; i++) {
			pl_ipc_msg_clear(&m);
			if (!pl_ipc_call(c, PL_MSG_ECHO_SHOUT, &p, PL_MSG_NONE, 2000, &m, &err))
				goto fail;
		}
		printf("%s\n", pl_ipc_msg_status_text(&m));
		if (count > 1)
			printf("%u shouts in %.3f s: %.1f us each\n", count,
			    (pl_mono_us() - t0) / 1e6, (double)(pl_mono_us() - t0) / count);
	} else {
		unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 1;
		uint64_t t0 = pl_mono_us();

		for (unsigned i = 0; i < count; i++) {
			uint32_t seq = 0;
			const char *text = "";

			pl_pack_reset(&p);
			pl_msg_pack(&p, PL_MSG_ECHO_REQ, (uint32_t)i, argv[1]);
			if (!pl_ipc_call(c, PL_MSG_ECHO_REQ, &p, PL_MSG_ECHO_REPLY, 2000, &m, &err))
				goto fail;
			pl_msg_unpack(&m, PL_MSG_ECHO_REPLY, &seq, &text);
			if (count == 1)
				printf("reply %u: %s\n", seq, text);
			pl_ipc_msg_clear(&m);
		}
		if (count > 1) {
			uint64_t us = pl_mono_us() - t0;

			printf("%u calls in %.3f s: %.1f us per round trip\n", count, us / 1e6,
			    (double)us / count);
		}
	}
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return 0;
fail:
	fprintf(stderr, "echo_client: %s\n", err.text);
	pl_ipc_msg_clear(&m);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return err.code;
}
