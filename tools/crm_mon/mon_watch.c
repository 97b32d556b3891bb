/*
 * mon_watch.c - crm_mon's long-running modes: the interactive terminal view and the
 * --output-to follower (HTML page kept fresh). Both redraw when the CIB changes, never by
 * polling: live, on paceline-cib's change notifications (one re-query per burst); with
 * CIB_file, on inotify events for the file (it is usually replaced by rename).
 *
 *	wait ──(notification | file event)──> redraw (coalesced in an idle callback)
 *	  └──(key)──> toggle a section / option, redraw; q quits
 *	  └──(daemon gone)──> show "Connection to the CIB lost", exit 102 after a key or 10 s
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include "paceline/cib_client.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "crm_mon.h"

struct watch {
	struct mon *m;
	GMainLoop *loop;
	bool tty;  /* interactive: draw on the terminal, read keys */
	bool help; /* the key help is shown instead of the status */
	guint redraw_id;
	int ino_fd;
	int rc;
	struct termios saved;
	bool saved_ok;
};

static const struct {
	char key;
	unsigned bits; /* PL_MON_* toggled, or 0 for an option */
	const char *what;
} keys[] = {
	{ 'c', PL_MON_TICKETS, "tickets" },
	{ 'f', PL_MON_FAILCOUNTS, "fail counts" },
	{ 'n', 0, "group resources by node" },
	{ 'o', PL_MON_OPERATIONS, "operation history" },
	{ 'r', 0, "inactive resources" },
	{ 't', 0, "operation timing details" },
	{ 'A', PL_MON_ATTRIBUTES, "node attributes" },
	{ 'L', PL_MON_BANS, "negative location constraints" },
	{ 'D', PL_MON_SUMMARY, "cluster summary" },
	{ 'R', 0, "more details (instance ids)" },
	{ 'j', 0, "pending operations" },
	{ 'b', 0, "brief" },
};

static bool
key_on(const struct mon *m, char k)
{
	switch (k) {
	case 'n': return m->opts.by_node;
	case 'r': return m->opts.inactive;
	case 't': return m->opts.timing;
	case 'R': return m->opts.details;
	case 'j': return m->opts.pending;
	case 'b': return m->opts.brief;
	default: break;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].key == k)
			return (m->opts.show & keys[i].bits) == keys[i].bits;
	return false;
}

static void
draw(struct watch *w)
{
	struct pl_buf out = PL_BUF_INIT;
	struct pl_error err = PL_ERROR_INIT;
	if (w->help) {
		pl_buf_add(&out, "Display option change mode\n\n");
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			pl_buf_addf(&out, "%c %c: \t%s\n", key_on(w->m, keys[i].key) ? '*' : ' ',
			    keys[i].key, keys[i].what);
		pl_buf_add(&out, "\nToggle fields via field letter, type any other key to return\n");
	} else {
		xmlDoc *doc = mon_read_cib(w->m, &err);
		if (doc == NULL) {
			pl_buf_addf(&out, "crm_mon: %s\n", err.text);
			if (err.code == PL_EXIT_DISCONNECT) {
				w->rc = PL_EXIT_DISCONNECT;
				if (!w->tty)
					g_main_loop_quit(w->loop);
			}
		} else {
			if (mon_render(w->m, doc, &out, &err) != 0)
				pl_buf_addf(&out, "crm_mon: %s\n", err.text);
			xmlFreeDoc(doc);
		}
	}
	if (w->tty) {
		/* home, clear, then the text with CR-LF (the terminal is in raw mode) */
		fputs("\033[H\033[2J", stdout);
		for (const char *p = pl_buf_str(&out); *p; p++) {
			if (*p == '\n')
				fputc('\r', stdout);
			fputc(*p, stdout);
		}
		fflush(stdout);
	} else if (w->m->output_to) {
		FILE *f;
		char *tmp = g_strdup_printf("%s.tmp", w->m->output_to);
		if ((f = fopen(tmp, "w")) == NULL || fputs(pl_buf_str(&out), f) < 0 ||
		    fclose(f) != 0 || rename(tmp, w->m->output_to) != 0)
			fprintf(stderr, "crm_mon: cannot write %s: %s\n", w->m->output_to,
			    strerror(errno));
		g_free(tmp);
	}
	pl_buf_free(&out);
}

static gboolean
redraw_cb(gpointer arg)
{
	struct watch *w = arg;
	w->redraw_id = 0;
	draw(w);
	return G_SOURCE_REMOVE;
}

static void
schedule(struct watch *w)
{
	if (w->redraw_id == 0)
		w->redraw_id = g_idle_add(redraw_cb, w);
}

static void
on_event(struct pl_ipc_conn *c, const struct pl_ipc_msg *ev, void *arg)
{
	struct pl_cib_notify n;
	(void)c;
	if (pl_cib_notify_decode(ev, &n)) {
		pl_cib_notify_clear(&n);
		schedule(arg);
	}
}

static void
on_disconnect(struct pl_ipc_conn *c, void *arg)
{
	struct watch *w = arg;
	(void)c;
	if (w->tty) {
		fputs("\033[H\033[2Jcrm_mon: Connection to the CIB lost\r\n", stdout);
		fflush(stdout);
	}
	w->rc = PL_EXIT_DISCONNECT;
	g_main_loop_quit(w->loop);
}

static gboolean
on_key(gint fd, GIOCondition cond, gpointer arg)
{
	struct watch *w = arg;
	char k;
	(void)cond;
	ssize_t n = read(fd, &k, 1);
	if (n <= 0 || k == 'q' || k == 'Q' || k == 3 /* ^C */) {
		g_main_loop_quit(w->loop);
		return G_SOURCE_REMOVE;
	}
	if (k == '?') {
		w->help = !w->help;
		draw(w);
		return G_SOURCE_CONTINUE;
	}
	struct pl_mon_opts *o = &w->m->opts;
	switch (k) {
	case 'n': o->by_node = !o->by_node; break;
	case 'r': o->inactive = !o->inactive; break;
	case 't':
		o->timing = !o->timing;
		if (o->timing)
			o->show |= PL_MON_OPERATIONS;
		break;
	case 'R': o->details = !o->details; break;
	case 'j': o->pending = !o->pending; break;
	case 'b': o->brief = !o->brief; break;
	default:
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (keys[i].key == k && keys[i].bits)
				o->show ^= keys[i].bits;
		if (!w->help) /* any other key: back to the status */
			break;
	}
	draw(w);
	return G_SOURCE_CONTINUE;
}

/* events in the CIB file's directory: only those naming the file itself count (our own
 * --output-to file may live there too) */
static gboolean
on_file(gint fd, GIOCondition cond, gpointer arg)
{
	struct watch *w = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	char *base = g_path_get_basename(w->m->file);
	ssize_t n;
	(void)cond;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->len && !strcmp(ev->name, base))
				schedule(w);
			p += sizeof(*ev) + ev->len;
		}
	}
	g_free(base);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_signal(gpointer arg)
{
	g_main_loop_quit(((struct watch *)arg)->loop);
	return G_SOURCE_CONTINUE;
}

/* Change sources: the CIB daemon's notifications, or the CIB_file's directory. */
static bool
watch_changes(struct watch *w, struct pl_error *err)
{
	const char *file = w->m->file;
	if (file) {
		char *dir = g_path_get_dirname(file);
		w->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (w->ino_fd < 0 ||
		    inotify_add_watch(
			w->ino_fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE) < 0) {
			pl_error_set(err, PL_EXIT_OSERR, "cannot watch %s: %s", dir, strerror(errno));
			g_free(dir);
			return false;
		}
		g_free(dir);
		g_unix_fd_add(w->ino_fd, G_IO_IN, on_file, w);
		return true;
	}
	if (w->m->conn == NULL && (w->m->conn = pl_cib_connect(5000, "crm_mon", err)) == NULL)
		return false;
	static const struct pl_ipc_conn_ops ops = { on_event, on_disconnect };
	if (pl_cib_subscribe(w->m->conn, true, NULL, err) != 0)
		return false;
	pl_ipc_conn_attach(pl_cib_ipc(w->m->conn), NULL, &ops, w);
	return true;
}

static int
run(struct mon *m, bool tty)
{
	struct watch w = { .m = m, .tty = tty, .ino_fd = -1 };
	struct pl_error err = PL_ERROR_INIT;
	w.loop = g_main_loop_new(NULL, false);
	if (!watch_changes(&w, &err)) {
		fprintf(stderr, "crm_mon: %s\n",
		    err.code == PL_EXIT_DISCONNECT
			? "Connection to cluster failed: Connection refused"
			: err.text);
		g_main_loop_unref(w.loop);
		return err.code ? err.code : PL_EXIT_ERROR;
	}
	if (tty && tcgetattr(STDIN_FILENO, &w.saved) == 0) {
		struct termios raw = w.saved;
		raw.c_lflag &= ~(ICANON | ECHO | ISIG);
		raw.c_oflag &= ~OPOST;
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		w.saved_ok = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
		g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP, on_key, &w);
		fputs("\033[?1049h", stdout); /* the alternate screen, as curses programs do */
	}
	g_unix_signal_add(SIGINT, on_signal, &w);
	g_unix_signal_add(SIGTERM, on_signal, &w);
	draw(&w);
	if (w.rc == 0)
		g_main_loop_run(w.loop);
	if (tty) {
		fputs("\033[?1049l", stdout);
		fflush(stdout);
		if (w.saved_ok)
			tcsetattr(STDIN_FILENO, TCSANOW, &w.saved);
	}
	if (w.ino_fd >= 0)
		close(w.ino_fd);
	g_main_loop_unref(w.loop);
	return w.rc;
}

int
mon_interactive(struct mon *m)
{
	return run(m, true);
}

int
mon_follow(struct mon *m)
{
	return run(m, false);
}
