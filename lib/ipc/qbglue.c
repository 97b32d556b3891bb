/*
 * qbglue.c - libqb's server poll handlers on GLib: every descriptor libqb wants watched becomes
 * a GSource in the GMainContext of the server that asked, every job an idle source there.
 *
 * libqb's handlers carry no pointer to their service, so the context is a per-thread "current
 * context" that lib/ipc sets around every call into libqb (server start, each dispatch).
 * Descriptors map to their source in one table (descriptor numbers are unique per process).
 */
#include <poll.h>

#include "paceline/log.h"
#include "ipc_int.h"

struct fd_source {
	GSource src;
	gpointer tag;
	int32_t fd;
	qb_ipcs_dispatch_fn_t fn;
	void *data;
	GMainContext *ctx;
};

static __thread GMainContext *glue_ctx;
static GMutex fd_lock;
static GHashTable *fd_map; /* fd -> struct fd_source * (one reference) */

GMainContext *
pl__ipc_glue_enter(GMainContext *ctx)
{
	GMainContext *prev = glue_ctx;

	glue_ctx = ctx;
	return prev;
}

void
pl__ipc_glue_leave(GMainContext *prev)
{
	glue_ctx = prev;
}

static int
priority_of(enum qb_loop_priority p)
{
	switch (p) {
	case QB_LOOP_HIGH: return G_PRIORITY_HIGH;
	case QB_LOOP_LOW: return G_PRIORITY_LOW;
	default: return G_PRIORITY_DEFAULT;
	}
}

/* Take the table's entry for fd if it is `src` (or any, when src is NULL). */
static struct fd_source *
map_take(int32_t fd, struct fd_source *src)
{
	struct fd_source *fs = NULL;

	g_mutex_lock(&fd_lock);
	if (fd_map != NULL) {
		fs = g_hash_table_lookup(fd_map, GINT_TO_POINTER(fd));
		if (fs != NULL && (src == NULL || fs == src))
			g_hash_table_remove(fd_map, GINT_TO_POINTER(fd));
		else
			fs = NULL;
	}
	g_mutex_unlock(&fd_lock);
	return fs;
}

static gboolean
fd_dispatch(GSource *src, GSourceFunc cb, gpointer ud)
{
	struct fd_source *fs = (struct fd_source *)src;
	GIOCondition rev = g_source_query_unix_fd(src, fs->tag);
	GMainContext *prev;
	int32_t rc;

	if (rev == 0)
		return G_SOURCE_CONTINUE;
	prev = pl__ipc_glue_enter(fs->ctx);
	rc = fs->fn(fs->fd, (int32_t)rev, fs->data);
	pl__ipc_glue_leave(prev);
	if (rc < 0) {
		/* libqb is done with this descriptor (as its own loop would, drop the watch). */
		if (map_take(fs->fd, fs) == fs)
			g_source_unref(src);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs fd_funcs = { NULL, NULL, fd_dispatch, NULL, NULL, NULL };

static int32_t
glue_dispatch_add(
    enum qb_loop_priority p, int32_t fd, int32_t events, void *data, qb_ipcs_dispatch_fn_t fn)
{
	struct fd_source *fs = (struct fd_source *)g_source_new(&fd_funcs, sizeof(*fs));

	fs->fd = fd;
	fs->fn = fn;
	fs->data = data;
	fs->ctx = glue_ctx;
	fs->tag = g_source_add_unix_fd(&fs->src, fd, (GIOCondition)events);
	g_source_set_priority(&fs->src, priority_of(p));
	g_source_set_name(&fs->src, "qb-ipcs-fd");
	g_mutex_lock(&fd_lock);
	if (fd_map == NULL)
		fd_map = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (g_hash_table_contains(fd_map, GINT_TO_POINTER(fd))) {
		g_mutex_unlock(&fd_lock);
		log_warnx("ipc: descriptor %d is already watched", fd);
		g_source_unref(&fs->src);
		return -EEXIST;
	}
	g_hash_table_insert(fd_map, GINT_TO_POINTER(fd), fs);
	g_mutex_unlock(&fd_lock);
	g_source_attach(&fs->src, glue_ctx);
	return 0;
}

static int32_t
glue_dispatch_mod(
    enum qb_loop_priority p, int32_t fd, int32_t events, void *data, qb_ipcs_dispatch_fn_t fn)
{
	struct fd_source *fs;

	g_mutex_lock(&fd_lock);
	fs = fd_map ? g_hash_table_lookup(fd_map, GINT_TO_POINTER(fd)) : NULL;
	if (fs != NULL) {
		fs->fn = fn;
		fs->data = data;
		g_source_modify_unix_fd(&fs->src, fs->tag, (GIOCondition)events);
	}
	g_mutex_unlock(&fd_lock);
	return fs != NULL ? 0 : -ENOENT;
}

static int32_t
glue_dispatch_del(int32_t fd)
{
	struct fd_source *fs = map_take(fd, NULL);

	if (fs == NULL)
		return -ENOENT;
	g_source_destroy(&fs->src);
	g_source_unref(&fs->src);
	return 0;
}

struct job {
	void *data;
	qb_loop_job_dispatch_fn fn;
	GMainContext *ctx;
};

static gboolean
job_run(gpointer p)
{
	struct job *j = p;
	GMainContext *prev = pl__ipc_glue_enter(j->ctx);

	j->fn(j->data);
	pl__ipc_glue_leave(prev);
	return G_SOURCE_REMOVE;
}

static int32_t
glue_job_add(enum qb_loop_priority p, void *data, qb_loop_job_dispatch_fn fn)
{
	struct job *j = g_new(struct job, 1);
	GSource *src = g_idle_source_new();

	j->data = data;
	j->fn = fn;
	j->ctx = glue_ctx;
	g_source_set_priority(src, priority_of(p));
	g_source_set_callback(src, job_run, j, g_free);
	g_source_attach(src, glue_ctx);
	g_source_unref(src);
	return 0;
}

struct qb_ipcs_poll_handlers pl__ipc_poll_handlers = {
	.job_add = glue_job_add,
	.dispatch_add = glue_dispatch_add,
	.dispatch_mod = glue_dispatch_mod,
	.dispatch_del = glue_dispatch_del,
};
