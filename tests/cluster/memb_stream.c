/*
 * memb_stream.c - a test client for the cluster tests: joins GROUP, sends "NODEID COUNTER"
 * every INTERVAL ms, and writes every delivery ("D NODEID:PID COUNTER MONO_MS", the last the
 * monotonic clock at delivery, for the benchmarks) and group change
 * ("C nodeid ...") to OUTFILE in the order received. Stops on SIGTERM or when the daemon
 * goes away.
 *
 *	memb_stream GROUP OUTFILE INTERVAL_MS
 */
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/log.h"
#include "paceline/membership_client.h"

static FILE *out;
static GMainLoop *loop;
static struct pl_membership *m;
static const char *group;
static uint32_t me, counter;

static void
on_deliver(struct pl_membership *mb, const char *g, uint32_t nodeid, uint32_t pid, const void *data,
    size_t len, void *arg)
{
	(void)mb;
	(void)g;
	(void)nodeid;
	(void)pid;
	(void)arg;
	fprintf(out, "D %.*s %lld\n", (int)len, (const char *)data,
	    (long long)(g_get_monotonic_time() / 1000));
}

static void
on_change(struct pl_membership *mb, const char *g, const struct pl_membership_member *mem,
    unsigned n, const struct pl_membership_member *j, unsigned nj,
    const struct pl_membership_member *l, unsigned nl, void *arg)
{
	(void)mb;
	(void)g;
	(void)j;
	(void)nj;
	(void)l;
	(void)nl;
	(void)arg;
	fprintf(out, "C");
	for (unsigned i = 0; i < n; i++)
		fprintf(out, " %u", mem[i].nodeid);
	fprintf(out, "\n");
}

static void
on_gone(struct pl_membership *mb, void *arg)
{
	(void)mb;
	(void)arg;
	g_main_loop_quit(loop);
}

static gboolean
tick(gpointer arg)
{
	struct pl_error err = PL_ERROR_INIT;
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "%u:%d %u", me, (int)getpid(), counter + 1);

	(void)arg;
	if (pl_membership_send_async(m, group, msg, (size_t)n, NULL, NULL, &err))
		counter++;
	return G_SOURCE_CONTINUE;
}

static gboolean
on_term(gpointer arg)
{
	(void)arg;
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_membership_status st;
	struct pl_membership_ops ops = {
		.deliver = on_deliver, .group_change = on_change, .disconnected = on_gone
	};

	log_init("memb_stream");
	log_set_level(PL_LOG_ERR);
	if (argc != 4) {
		fprintf(stderr, "usage: memb_stream GROUP OUTFILE INTERVAL_MS\n");
		return 64;
	}
	group = argv[1];
	out = fopen(argv[2], "a");
	if (!out)
		return 1;
	setvbuf(out, NULL, _IOLBF, 0);
	m = pl_membership_connect(5000, &err);
	if (!m || !pl_membership_status(m, &st, &err) || !pl_membership_join(m, group, &err)) {
		fprintf(stderr, "memb_stream: %s\n", err.text);
		return 1;
	}
	me = st.nodeid;
	loop = g_main_loop_new(NULL, FALSE);
	pl_membership_attach(m, NULL, &ops, NULL);
	g_timeout_add((guint)strtoul(argv[3], NULL, 10), tick, NULL);
	g_unix_signal_add(SIGTERM, on_term, NULL);
	g_main_loop_run(loop);
	fclose(out);
	return 0;
}
