/*
 * main.c - paceline-attrd: node attributes, replicated to every node's attrd through the
 * membership group "attrd" and written to the CIB status section by one writer
 * (docs/design/attrd.md). This file: the daemon skeleton (include/paceline/daemon.h), the
 * core's ops and its timers; memb.c, cibio.c and server.c do the I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "attrd.h"
#include "paceline/daemon.h"
#include "paceline/error.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"

#define START_WAIT_MS 60000 /* for paceline-membership and paceline-cib to answer */

static struct attrd_core *core;
static GHashTable *timers; /* attribute name ("" = retry) -> GSource id */

struct attrd_core *
attrd_the_core(void)
{
	return core;
}

static gboolean
on_timer(gpointer p)
{
	char *name = p;

	g_hash_table_steal(timers, name);
	if (core != NULL)
		attrd_core_timer(core, name[0] != '\0' ? name : NULL);
	free(name);
	return G_SOURCE_REMOVE;
}

static void
op_timer(void *arg, const char *name, uint32_t ms)
{
	const char *key = name != NULL ? name : "";
	gpointer old_key, id;

	(void)arg;
	if (g_hash_table_lookup_extended(timers, key, &old_key, &id)) {
		g_hash_table_steal(timers, key);
		g_source_remove(GPOINTER_TO_UINT(id));
		free(old_key);
	}
	if (ms > 0) {
		char *k = xstrdup(key);

		g_hash_table_insert(timers, k, GUINT_TO_POINTER(g_timeout_add(ms, on_timer, k)));
	}
}

static void
op_send_sync(void *arg, uint64_t hash, bool fresh, const struct attrd_entry *v, size_t n)
{
	(void)arg;
	attrd_memb_send_sync(hash, fresh, v, n);
}

static bool
op_write(void *arg, uint64_t id, const struct attrd_entry *v, size_t n)
{
	(void)arg;
	return attrd_cib_write(id, v, n);
}

static void
op_clear_host(void *arg, const char *host)
{
	(void)arg;
	attrd_cib_clear_host(host);
}

static bool
op_node_alive(void *arg, const char *host)
{
	(void)arg;
	return attrd_node_alive(host);
}

static void
op_log(void *arg, const char *line)
{
	(void)arg;
	log_notice("%s", line);
}

const struct attrd_ops attrd_daemon_ops = {
	.send_sync = op_send_sync,
	.timer = op_timer,
	.write = op_write,
	.clear_host = op_clear_host,
	.node_alive = op_node_alive,
	.log = op_log,
};

void
attrd_core_created(void)
{
	core = attrd_core_new(attrd_self(), attrd_self_id(), &attrd_daemon_ops, NULL);
}

static bool
attrd_start(struct pl_error *err)
{
	timers = g_hash_table_new(g_str_hash, g_str_equal);
	if (!attrd_cib_connect(START_WAIT_MS, err)) {
		pl_error_prefix(err, "paceline-cib: ");
		return false;
	}
	if (!attrd_memb_start(START_WAIT_MS, err)) {
		pl_error_prefix(err, "paceline-membership: ");
		return false;
	}
	if (!attrd_server_start(err))
		return false;
	log_notice("node %s (id %u): attribute manager started", attrd_self(), attrd_self_id());
	return true;
}

static void
attrd_cleanup(void)
{
	GHashTableIter it;
	gpointer k, id;

	attrd_server_stop();
	if (timers != NULL) {
		g_hash_table_iter_init(&it, timers);
		while (g_hash_table_iter_next(&it, &k, &id)) {
			g_source_remove(GPOINTER_TO_UINT(id));
			free(k);
		}
		g_hash_table_destroy(timers);
		timers = NULL;
	}
	attrd_core_free(core);
	core = NULL;
	attrd_memb_close();
	attrd_cib_close();
}

int
main(int argc, char **argv)
{
	static const struct pl_daemon attrd = {
		.role = "attrd",
		.usage = "environment: PL_IPC_PREFIX\n",
		.start = attrd_start,
		.cleanup = attrd_cleanup,
	};

	return pl_daemon_main(&attrd, argc, argv);
}
