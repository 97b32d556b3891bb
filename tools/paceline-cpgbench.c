/*
 * paceline-cpgbench - group messaging throughput (like corosync's cpgbench): join a group,
 * send agreed-order messages as fast as the ring takes them for a while, count their
 * deliveries back to this node, print messages/s and MB/s per message size.
 *
 *	paceline-cpgbench [-s SIZE]... [-t SECONDS] [-g GROUP] [-w WINDOW]
 * Default sizes 64, 1024, 65536; 5 s each; group "cpgbench"; at most WINDOW (1024) messages
 * and 256 KiB sent but not yet delivered back.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/membership_client.h"
#include "paceline/mtime.h"
#include "paceline/xalloc.h"

struct bench {
	struct pl_membership *m;
	GMainLoop *loop;
	const char *group;
	uint8_t *buf;
	size_t size;
	unsigned window, win_eff, outstanding;
	bool sending, paused;
	uint64_t sent, own, busy;
	uint32_t me;
	uint64_t t_start, t_last;
};

static void pump(struct bench *b);

static void
on_sent(struct pl_membership *m, const struct pl_error *err, void *arg)
{
	struct bench *b = arg;

	(void)m;
	b->outstanding--;
	if (err) {
		b->sent--;
		if (err->code == PL_EXIT_TEMPFAIL) {
			b->busy++;
			b->paused = true;
		} else {
			fprintf(stderr, "paceline-cpgbench: send failed: %s\n", err->text);
			g_main_loop_quit(b->loop);
		}
	}
	pump(b);
}

static void
pump(struct bench *b)
{
	struct pl_error err = PL_ERROR_INIT;

	/* flow control on what is not delivered yet, not only on unanswered sends: the
	 * deliveries must never outrun this client's event buffer in the daemon */
	while (b->sending && !b->paused && b->sent - b->own < b->win_eff) {
		if (!pl_membership_send_async(b->m, b->group, b->buf, b->size, on_sent, b, &err)) {
			fprintf(stderr, "paceline-cpgbench: %s\n", err.text);
			g_main_loop_quit(b->loop);
			return;
		}
		b->outstanding++;
		b->sent++;
	}
}

static void
on_deliver(struct pl_membership *m, const char *group, uint32_t nodeid, uint32_t pid,
    const void *data, size_t len, void *arg)
{
	struct bench *b = arg;

	(void)m;
	(void)group;
	(void)data;
	(void)len;
	if (nodeid == b->me && pid == (uint32_t)getpid()) {
		b->own++;
		b->t_last = pl_mono_us();
		b->paused = false;
		pump(b);
		if (!b->sending && b->own >= b->sent && b->outstanding == 0)
			g_main_loop_quit(b->loop);
	}
}

static guint stop_id, giveup_id;

static gboolean
on_stop(gpointer arg)
{
	struct bench *b = arg;

	stop_id = 0;
	b->sending = false;
	if (b->own >= b->sent && b->outstanding == 0)
		g_main_loop_quit(b->loop);
	return G_SOURCE_REMOVE;
}

static gboolean
on_unpause(gpointer arg)
{
	struct bench *b = arg;

	b->paused = false;
	pump(b);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_giveup(gpointer arg)
{
	struct bench *b = arg;

	giveup_id = 0;
	fprintf(stderr, "paceline-cpgbench: %llu of %llu messages not delivered in time\n",
	    (unsigned long long)(b->sent - b->own), (unsigned long long)b->sent);
	g_main_loop_quit(b->loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_membership_status st;
	struct pl_membership_ops ops = { .deliver = on_deliver };
	struct bench b = { .group = "cpgbench", .window = 1024 };
	size_t sizes[16];
	unsigned nsizes = 0, seconds = 5;
	int opt;

	log_init("cpgbench");
	log_set_level(PL_LOG_ERR);
	while ((opt = getopt(argc, argv, "s:t:g:w:h")) != -1) {
		switch (opt) {
		case 's':
			if (nsizes < 16)
				sizes[nsizes++] = strtoul(optarg, NULL, 10);
			break;
		case 't': seconds = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'g': b.group = optarg; break;
		case 'w': b.window = (unsigned)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(
			    stderr, "usage: paceline-cpgbench [-s SIZE]... [-t SECONDS] [-g GROUP] [-w WINDOW]\n");
			return opt == 'h' ? 0 : PL_EXIT_USAGE;
		}
	}
	if (!nsizes) {
		sizes[0] = 64;
		sizes[1] = 1024;
		sizes[2] = 65536;
		nsizes = 3;
	}
	b.m = pl_membership_connect(2000, &err);
	if (!b.m || !pl_membership_status(b.m, &st, &err) || !pl_membership_join(b.m, b.group, &err)) {
		fprintf(stderr, "paceline-cpgbench: %s\n", err.text);
		return err.code ? err.code : 1;
	}
	b.me = st.nodeid;
	b.loop = g_main_loop_new(NULL, FALSE);
	pl_membership_attach(b.m, NULL, &ops, &b);
	g_timeout_add(2, on_unpause, &b);
	for (unsigned i = 0; i < nsizes; i++) {
		double secs;
		if (sizes[i] == 0 || sizes[i] > PL_MEMBERSHIP_MSG_MAX) {
			fprintf(stderr, "paceline-cpgbench: size %zu out of 1..%d\n", sizes[i],
			    PL_MEMBERSHIP_MSG_MAX);
			return PL_EXIT_USAGE;
		}
		b.size = sizes[i];
		b.buf = xrealloc(b.buf, b.size);
		memset(b.buf, 0xa5, b.size);
		b.sent = b.own = b.busy = 0;
		/* large messages: fewer in flight, so deliveries never outrun the event buffer */
		b.win_eff = 256 * 1024 / b.size > 2 ? (unsigned)(256 * 1024 / b.size) : 2;
		if (b.win_eff > b.window)
			b.win_eff = b.window;
		b.sending = true;
		b.paused = false;
		b.t_start = b.t_last = pl_mono_us();
		stop_id = g_timeout_add(seconds * 1000, on_stop, &b);
		giveup_id = g_timeout_add((seconds + 30) * 1000, on_giveup, &b);
		pump(&b);
		g_main_loop_run(b.loop);
		if (giveup_id)
			g_source_remove(giveup_id);
		if (stop_id)
			g_source_remove(stop_id);
		stop_id = giveup_id = 0;
		if (b.own < b.sent)
			return 1;
		secs = (double)(b.t_last - b.t_start) / 1e6;
		printf("%8llu messages delivered %8zu bytes each %7.3f s %11.1f msg/s %9.3f MB/s\n",
		    (unsigned long long)b.own, b.size, secs, secs > 0 ? b.own / secs : 0.0,
		    secs > 0 ? (double)b.own * b.size / secs / 1e6 : 0.0);
		fflush(stdout);
	}
	pl_membership_disconnect(b.m);
	free(b.buf);
	return 0;
}
