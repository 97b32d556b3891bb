/*
 * ipc_live.c - hostile local clients against a running daemon, through lib/ipc's real
 * transport and dispatcher: per message type (every type of every service, replies and
 * events too) a well-formed payload for its signature, then mutated: random bytes,
 * truncated, extended, oversized (past MAXLEN, up to the buffer), a header that disagrees
 * with the size, a wrong protocol version; with -u, the same from a second process running as
 * that uid (wrong privilege for write requests). A connection the daemon drops (framing) is
 * reopened. At the end the daemon must still answer a well-formed request of its own.
 *
 *   ipc_live SERVICE [-n MESSAGES] [-s SEED] [-u UID]
 *   SERVICE: cib or pengine (lrmd runs agents as root: only with -u, unprivileged)
 * Prints one line of counts; exit 0 when the daemon survived.
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "paceline/error.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/msgdefs.h"
#include "paceline/pack.h"
#include "../../lib/ipc/ipc_int.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A plausible payload for a signature (hostile values, well-formed encoding). */
static void
fill(struct pl_pack *p, const char *sig)
{
	static const char *const strs[] = { "", "resources", "//*", "status", "ocf", "Dummy",
		"heartbeat", "../../etc/passwd", "monitor", "<primitive id=\"f\"/>", "<cib/>",
		"<a><a><a/></a></a>" };
	const char *kv[] = { "client", "fuzz", NULL };
	const char *v[] = { "a", "b", NULL };

	for (; *sig; sig++) {
		switch (*sig) {
		case 'u': pl_pack_u32(p, (uint32_t)rnd() % 16); break;
		case 'U': pl_pack_u64(p, rnd() % 4); break;
		case 'i': pl_pack_i32(p, (int32_t)(rnd() % 7) - 3); break;
		case 'I': pl_pack_i64(p, (int64_t)(rnd() % 1000)); break;
		case 's': pl_pack_str(p, strs[rnd() % 12]); break;
		case 'x': pl_pack_xml(p, strs[9 + rnd() % 3]); break;
		case 'b': pl_pack_blob(p, "abc", 3); break;
		case 'a': pl_pack_strv(p, v); break;
		case 'k': pl_pack_kv(p, kv); break;
		}
	}
}

struct counts {
	uint64_t sent, reconnects, well_formed, mutated;
};

static struct pl_ipc_conn *
conn(enum pl_service svc)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(svc, 2000, &err);

	if (c == NULL) {
		fprintf(stderr, "ipc_live: %s\n", err.text);
		exit(1);
	}
	return c;
}

static void
hammer(enum pl_service svc, uint64_t n, struct counts *k)
{
	struct pl_ipc_conn *c = conn(svc);
	size_t cap = PL_IPC_FRAME_MAX;
	uint8_t *buf = malloc(cap);

	if (buf == NULL)
		abort();
	for (uint64_t i = 0; i < n; i++) {
		/* a number in some service's range; most ranges start dense from 1 */
		unsigned type = (1 + (unsigned)(rnd() % (PL_SVC_COUNT - 1))) << 8 |
		    (1 + (unsigned)(rnd() % 32));
		const struct pl_msg_def *def = pl_msg_def(type);
		struct pl_pack p = PL_PACK_INIT;
		struct pl_ipc_hdr h;
		size_t len;

		if (def == NULL)
			continue;
		/* destructive writes on a test daemon are fine; erasing it every time is dull */
		fill(&p, def->sig);
		len = p.len;
		if (len > cap - sizeof(h))
			len = cap - sizeof(h);
		memcpy(buf + sizeof(h), p.data, len);
		pl_pack_free(&p);
		pl__ipc_hdr_fill(&h, type, (uint32_t)i + 1, 0, len, len, 0);
		switch (rnd() % 8) {
		case 0: /* as is */ k->well_formed++; break;
		case 1: /* random bytes */
			for (size_t j = 0; j < len; j++)
				if (rnd() % 4 == 0)
					buf[sizeof(h) + j] = (uint8_t)rnd();
			break;
		case 2: /* truncated */ len = len ? (size_t)(rnd() % len) : 0; break;
		case 3: { /* extended */
			size_t more = rnd() % 64;

			for (size_t j = 0; j < more; j++)
				buf[sizeof(h) + len + j] = (uint8_t)rnd();
			len += more;
			break;
		}
		case 4: { /* oversized: past MAXLEN, within the buffer */
			size_t want = def->maxlen + 1 + rnd() % 4096;

			if (want > cap - sizeof(h) - 64)
				want = cap - sizeof(h) - 64;
			memset(buf + sizeof(h) + len, 'A', want > len ? want - len : 0);
			len = want;
			break;
		}
		case 5: /* header disagrees with the size */
			pl__ipc_hdr_fill(&h, type, (uint32_t)i + 1, 0, len, len, 0);
			h.payload_len += 1 + (uint32_t)(rnd() % 100);
			memcpy(buf, &h, sizeof(h));
			k->mutated++;
			k->sent++;
			if (pl__ipc_send_raw(c, buf, sizeof(h) + len) < 0 || !pl_ipc_connected(c)) {
				pl_ipc_disconnect(c);
				c = conn(svc);
				k->reconnects++;
			}
			continue;
		case 6: /* wrong version */
			pl__ipc_hdr_fill(&h, type, (uint32_t)i + 1, 0, len, len, 0);
			h.version ^= (uint16_t)(1 + rnd() % 0xfffe);
			break;
		default: /* a random type number */
			h.type = (uint32_t)rnd() % 65536;
			h.qb.id = (int32_t)h.type;
			break;
		}
		if (h.payload_len != len) {
			uint16_t ver = h.version;
			uint32_t t = h.type;

			pl__ipc_hdr_fill(&h, type, (uint32_t)i + 1, 0, len, len, 0);
			h.version = ver;
			h.type = t;
			h.qb.id = (int32_t)t;
		}
		memcpy(buf, &h, sizeof(h));
		k->mutated += (h.version != PL_IPC_PROTOCOL_VERSION || h.type != type) ? 1 : 0;
		k->sent++;
		if (pl__ipc_send_raw(c, buf, sizeof(h) + len) < 0) {
			pl_ipc_disconnect(c);
			c = conn(svc);
			k->reconnects++;
		}
		/* read what came back, so the daemon's replies never fill the ring */
		for (;;) {
			struct pl_ipc_msg ev;
			struct pl_error err = PL_ERROR_INIT;

			if (!pl_ipc_wait_event(c, 0, &ev, &err)) {
				if (err.code == PL_EXIT_DISCONNECT) {
					pl_ipc_disconnect(c);
					c = conn(svc);
					k->reconnects++;
				}
				break;
			}
			pl_ipc_msg_clear(&ev);
		}
	}
	free(buf);
	pl_ipc_disconnect(c);
}

static bool
alive(enum pl_service svc)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_ipc_conn *c = pl_ipc_connect(svc, 5000, &err);
	struct pl_ipc_msg reply;
	struct pl_pack p = PL_PACK_INIT;
	bool ok;

	if (c == NULL)
		return false;
	memset(&reply, 0, sizeof(reply));
	if (svc == PL_SVC_CIB) {
		const char *kv[] = { "client", "ipc_live", NULL };

		pl_pack(&p, "uussxk", (uint32_t)0, (uint32_t)0, "nodes", "", "", kv);
		ok = pl_ipc_call(
		    c, PL_MSG_CIB_QUERY, &p, PL_MSG_CIB_QUERY_REPLY, 10000, &reply, &err);
	} else if (svc == PL_SVC_PENGINE) {
		ok = pl_ipc_call(
		    c, PL_MSG_PENGINE_STATS, NULL, PL_MSG_PENGINE_STATS_REPLY, 10000, &reply, &err);
	} else {
		ok = pl_ipc_connected(c);
	}
	if (!ok)
		fprintf(stderr, "ipc_live: the daemon did not answer: %s\n", err.text);
	pl_ipc_msg_clear(&reply);
	pl_pack_free(&p);
	pl_ipc_disconnect(c);
	return ok;
}

int
main(int argc, char **argv)
{
	uint64_t n = 2000;
	long uid = -1;
	enum pl_service svc;
	struct counts k = { 0 };
	int opt;

	log_set_level(PL_LOG_ERR); /* the daemon's refusals, one per message: expected */
	if (argc < 2) {
		fprintf(stderr, "usage: ipc_live cib|pengine|lrmd [-n N] [-s SEED] [-u UID]\n");
		return 64;
	}
	if (strcmp(argv[1], "cib") == 0)
		svc = PL_SVC_CIB;
	else if (strcmp(argv[1], "pengine") == 0)
		svc = PL_SVC_PENGINE;
	else if (strcmp(argv[1], "lrmd") == 0)
		svc = PL_SVC_LRMD;
	else
		return 64;
	optind = 2;
	while ((opt = getopt(argc, argv, "n:s:u:")) != -1) {
		switch (opt) {
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 's': rng = strtoull(optarg, NULL, 10) * 2654435761ULL + 1; break;
		case 'u': uid = atol(optarg); break;
		default: return 64;
		}
	}
	if (svc == PL_SVC_LRMD && uid < 0) {
		fprintf(stderr, "ipc_live: lrmd only with -u (its requests run agents as root)\n");
		return 64;
	}
	if (uid >= 0) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			if (setgroups(0, NULL) != 0 || setgid((gid_t)uid) != 0 ||
			    setuid((uid_t)uid) != 0) {
				perror("ipc_live: setuid");
				_exit(1);
			}
			hammer(svc, n, &k);
			printf("ipc_live %s as uid %ld: %" PRIu64 " messages (%" PRIu64
			       " well-formed, "
			       "%" PRIu64 " with broken headers), %" PRIu64 " reconnects\n",
			    argv[1], uid, k.sent, k.well_formed, k.mutated, k.reconnects);
			fflush(stdout);
			_exit(0);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 1;
		if (svc == PL_SVC_LRMD)
			return alive(svc) ? 0 : 1;
		memset(&k, 0, sizeof(k));
	}
	hammer(svc, n, &k);
	printf("ipc_live %s: %" PRIu64 " messages (%" PRIu64 " well-formed, %" PRIu64 " with "
	       "broken headers), %" PRIu64 " reconnects\n",
	    argv[1], k.sent, k.well_formed, k.mutated, k.reconnects);
	return alive(svc) ? 0 : 1;
}
