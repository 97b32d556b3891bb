/*
 * server.c - see server.h. Each request of lrmd.def has one handler here; lib/ipc's dispatcher
 * has already checked type, direction, privilege, length and signature. Results of operations
 * go to the client that asked and to every subscribed client (crmd), as LRMD_RESULT events.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agents.h"
#include "paceline/buf.h"
#include "paceline/exitcode.h"
#include "paceline/ipc.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "rsc.h"
#include "server.h"

#define SUB_RESULTS 0x1 /* subscription bit: every operation result */

struct lrmd_client {
	uint32_t id;
	struct pl_ipc_client *c;
	unsigned md_pending; /* meta-data requests not answered yet */
};

/* Meta-data requests one client may have running at once: each may start a root-owned agent
 * process (identical requests share one, agents.c). A controller asks them one at a time. */
#define LRMD_METADATA_PER_CLIENT 4

static struct pl_ipc_server *server;
static GHashTable *clients; /* id -> struct lrmd_client */
static uint32_t next_client_id = 1;

static struct lrmd_client *
client_of(struct pl_ipc_client *c)
{
	return pl_ipc_client_user(c);
}

static bool
client_accept(struct pl_ipc_client *c, void *arg)
{
	struct lrmd_client *lc = XNEW(struct lrmd_client);

	(void)arg;
	lc->id = next_client_id++;
	if (next_client_id == 0)
		next_client_id = 1;
	lc->c = c;
	pl_ipc_client_set_user(c, lc);
	g_hash_table_insert(clients, GUINT_TO_POINTER(lc->id), lc);
	log_debug("client %u connected (pid %d, uid %d)", lc->id, (int)pl_ipc_client_pid(c),
	    (int)pl_ipc_client_uid(c));
	return true;
}

static void
client_destroyed(struct pl_ipc_client *c, void *arg)
{
	struct lrmd_client *lc = client_of(c);

	(void)arg;
	if (lc == NULL)
		return;
	log_debug("client %u disconnected", lc->id);
	g_hash_table_remove(clients, GUINT_TO_POINTER(lc->id));
	pl_ipc_client_set_user(c, NULL);
	lrmd_rsc_client_gone(lc->id);
	free(lc);
}

/* --- results --- */

static void
result_send(const struct lrmd_result *r)
{
	const struct lrmd_action *a = r->act;
	struct pl_pack p = PL_PACK_INIT;
	struct lrmd_client *owner;

	if (server == NULL)
		return;
	pl_msg_pack(&p, PL_MSG_LRMD_RESULT, r->rsc->id, a->action,
	    r->op->user_data != NULL ? r->op->user_data : "",
	    a->exit_reason != NULL ? a->exit_reason : "", a->output != NULL ? a->output : "",
	    a->interval_ms, r->op->call_id, (int32_t)a->rc, (int32_t)a->status,
	    (uint64_t)r->op->started_wall_ms, (uint32_t)a->exec_ms, (uint32_t)r->op->queue_ms);
	pl_ipc_broadcast(server, SUB_RESULTS, PL_MSG_LRMD_RESULT, &p);
	owner = g_hash_table_lookup(clients, GUINT_TO_POINTER(r->op->client_id));
	if (owner != NULL && !(pl_ipc_client_subscriptions(owner->c) & SUB_RESULTS))
		pl_ipc_event(owner->c, PL_MSG_LRMD_RESULT, &p);
	pl_pack_free(&p);
}

/* --- handlers --- */

static void
params_from_kv(struct pl_lrmd_params *p, const char **kv)
{
	for (const char **k = kv; k != NULL && k[0] != NULL; k += 2)
		pl_lrmd_params_set(p, k[0], k[1]);
}

static void
on_exec(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct lrmd_exec_req req;
	struct pl_lrmd_params params = PL_LRMD_PARAMS_INIT, meta = PL_LRMD_PARAMS_INIT;
	const char **kv_params = NULL, **kv_meta = NULL;
	uint32_t np, nm, call_id;
	struct pl_error err = PL_ERROR_INIT;
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	memset(&req, 0, sizeof(req));
	pl_msg_unpack(msg, PL_MSG_LRMD_EXEC, &req.rsc_id, &req.rclass, &req.provider, &req.type,
	    &req.action, &req.interval_ms, &req.timeout_ms, &req.start_delay_ms, &req.flags,
	    &kv_params, &np, &kv_meta, &nm, &req.user_data);
	params_from_kv(&params, kv_params);
	params_from_kv(&meta, kv_meta);
	req.params = &params;
	req.meta = &meta;
	req.client_id = client_of(c)->id;
	call_id = lrmd_rsc_exec(&req, &err);
	pl_msg_pack(&p, PL_MSG_LRMD_EXEC_REPLY, (int32_t)err.code, call_id, err.text);
	pl_ipc_reply(c, msg->call_id, PL_MSG_LRMD_EXEC_REPLY, err.code, &p);
	if (pl_error_isset(&err))
		log_warnx("client %u: %s", client_of(c)->id, err.text);
	pl_pack_free(&p);
	free(kv_params);
	free(kv_meta);
	pl_lrmd_params_free(&params);
	pl_lrmd_params_free(&meta);
}

static void
on_subscribe(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct pl_pack p = PL_PACK_INIT;

	(void)arg;
	pl_ipc_client_subscribe(c, SUB_RESULTS);
	pl_msg_pack(&p, PL_MSG_LRMD_SUBSCRIBE_REPLY, (int32_t)0);
	pl_ipc_reply(c, msg->call_id, PL_MSG_LRMD_SUBSCRIBE_REPLY, 0, &p);
	pl_pack_free(&p);
}

static void
reply_code(
    struct pl_ipc_client *c, uint32_t call_id, enum pl_msg_type type, int code, const char *text)
{
	struct pl_pack p = PL_PACK_INIT;

	pl_msg_pack(&p, type, (int32_t)code, text);
	pl_ipc_reply(c, call_id, type, code, &p);
	pl_pack_free(&p);
}

static void
on_cancel(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *rsc, *action;
	uint32_t interval;
	char text[512];

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_LRMD_CANCEL, &rsc, &action, &interval);
	if (lrmd_rsc_cancel(rsc, action, interval)) {
		reply_code(c, msg->call_id, PL_MSG_LRMD_CANCEL_REPLY, PL_EXIT_OK, "");
		return;
	}
	snprintf(text, sizeof(text), "resource '%s' has no recurring %s with interval %ums", rsc,
	    action, interval);
	reply_code(c, msg->call_id, PL_MSG_LRMD_CANCEL_REPLY, PL_EXIT_NOSUCH, text);
}

static void
on_remove(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *rsc;
	char text[512];

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_LRMD_REMOVE, &rsc);
	if (lrmd_rsc_remove(rsc)) {
		reply_code(c, msg->call_id, PL_MSG_LRMD_REMOVE_REPLY, PL_EXIT_OK, "");
		return;
	}
	snprintf(text, sizeof(text), "no resource '%s'", rsc);
	reply_code(c, msg->call_id, PL_MSG_LRMD_REMOVE_REPLY, PL_EXIT_NOSUCH, text);
}

static void
xml_attr(struct pl_buf *b, const char *name, const char *value)
{
	pl_buf_addf(b, " %s=\"", name);
	lrmd_xml_escape(b, value != NULL ? value : "");
	pl_buf_addc(b, '"');
}

static gint
history_cmp(gconstpointer a, gconstpointer b)
{
	const struct lrmd_history *x = a, *y = b;
	int c = strcmp(x->action, y->action);

	return c != 0 ? c : (x->interval_ms > y->interval_ms) - (x->interval_ms < y->interval_ms);
}

static void
history_rsc(struct pl_buf *b, const struct lrmd_rsc *rsc)
{
	GList *ops = g_list_sort(g_hash_table_get_values(rsc->history), history_cmp);

	pl_buf_add(b, "  <resource");
	xml_attr(b, "id", rsc->id);
	xml_attr(b, "class", rsc->rclass);
	if (rsc->provider != NULL)
		xml_attr(b, "provider", rsc->provider);
	xml_attr(b, "type", rsc->type);
	pl_buf_add(b, ">\n");
	for (GList *l = ops; l != NULL; l = l->next) {
		const struct lrmd_history *h = l->data;

		pl_buf_add(b, "    <op");
		xml_attr(b, "operation", h->action);
		pl_buf_addf(b, " interval=\"%u\" call-id=\"%u\" rc-code=\"%d\" op-status=\"%d\"",
		    h->interval_ms, h->call_id, h->rc, h->status);
		if (h->exit_reason != NULL)
			xml_attr(b, "exit-reason", h->exit_reason);
		if (h->user_data != NULL)
			xml_attr(b, "user-data", h->user_data);
		pl_buf_addf(b,
		    " last-run=\"%" PRIu64 "\" last-rc-change=\"%" PRIu64 "\""
		    " exec-time=\"%" PRIu64 "\" queue-time=\"%" PRIu64 "\" recurring=\"%d\"/>\n",
		    h->last_run_ms / 1000, h->last_rc_change_ms / 1000, h->exec_ms, h->queue_ms,
		    h->recurring_active ? 1 : 0);
	}
	pl_buf_add(b, "  </resource>\n");
	g_list_free(ops);
}

static void
on_history(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *rsc_id;
	struct pl_buf b = PL_BUF_INIT;
	struct pl_pack p = PL_PACK_INIT;
	int code = PL_EXIT_OK;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_LRMD_HISTORY, &rsc_id);
	pl_buf_add(&b, "<lrmd_history>\n");
	if (*rsc_id != '\0') {
		struct lrmd_rsc *rsc = lrmd_rsc_find(rsc_id);

		if (rsc != NULL)
			history_rsc(&b, rsc);
		else
			code = PL_EXIT_NOSUCH;
	} else {
		GList *all = lrmd_rsc_all();

		for (GList *l = all; l != NULL; l = l->next)
			history_rsc(&b, l->data);
		g_list_free(all);
	}
	pl_buf_add(&b, "</lrmd_history>\n");
	pl_msg_pack(&p, PL_MSG_LRMD_HISTORY_REPLY, (int32_t)code, pl_buf_str(&b));
	pl_ipc_reply(c, msg->call_id, PL_MSG_LRMD_HISTORY_REPLY, code, &p);
	pl_pack_free(&p);
	pl_buf_free(&b);
}

static void
on_list(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *what, *rclass, *provider;
	char **names = NULL;
	struct pl_pack p = PL_PACK_INIT;
	char text[256] = "";
	int code = PL_EXIT_OK;

	(void)arg;
	pl_msg_unpack(msg, PL_MSG_LRMD_LIST, &what, &rclass, &provider);
	if (strcmp(what, "classes") == 0)
		names = lrmd_agents_classes();
	else if (strcmp(what, "providers") == 0)
		names = lrmd_agents_providers();
	else if (strcmp(what, "agents") == 0 && *rclass != '\0')
		names = lrmd_agents_list(rclass, provider);
	else {
		code = PL_EXIT_INVALID_PARAM;
		snprintf(text, sizeof(text),
		    "cannot list '%s' (classes, providers, or agents of a class)", what);
	}
	pl_msg_pack(&p, PL_MSG_LRMD_LIST_REPLY, (int32_t)code, text, (const char *const *)names);
	pl_ipc_reply(c, msg->call_id, PL_MSG_LRMD_LIST_REPLY, code, &p);
	pl_pack_free(&p);
	g_strfreev(names);
}

struct md_wait {
	uint32_t client_id;
	uint32_t call_id;
};

static void
metadata_ready(const char *xml, int rc, int status, const char *reason, void *arg)
{
	struct md_wait *w = arg;
	struct lrmd_client *lc = g_hash_table_lookup(clients, GUINT_TO_POINTER(w->client_id));
	struct pl_pack p = PL_PACK_INIT;

	if (lc != NULL) {
		lc->md_pending--;
		pl_msg_pack(&p, PL_MSG_LRMD_METADATA_REPLY, (int32_t)rc, (int32_t)status,
		    reason != NULL ? reason : "", xml != NULL ? xml : "");
		pl_ipc_reply(lc->c, w->call_id, PL_MSG_LRMD_METADATA_REPLY, xml != NULL ? 0 : rc, &p);
		pl_pack_free(&p);
	}
	free(w);
}

static void
on_metadata(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	const char *rclass, *provider, *type;
	struct lrmd_client *lc = client_of(c);
	struct md_wait *w;

	(void)arg;
	if (lc->md_pending >= LRMD_METADATA_PER_CLIENT) {
		log_warnx("client pid %d (uid %d): meta-data request refused: %u already running",
		    (int)pl_ipc_client_pid(c), (int)pl_ipc_client_uid(c), lc->md_pending);
		pl_ipc_reply_status(c, msg->call_id, PL_EXIT_TEMPFAIL,
		    "too many meta-data requests in progress for this client (at most %d at once)",
		    LRMD_METADATA_PER_CLIENT);
		return;
	}
	lc->md_pending++;
	w = XNEW(struct md_wait);
	pl_msg_unpack(msg, PL_MSG_LRMD_METADATA, &rclass, &provider, &type);
	w->client_id = lc->id;
	w->call_id = msg->call_id;
	lrmd_agents_metadata(rclass, *provider != '\0' ? provider : NULL, type, metadata_ready, w);
}

/* Open descriptors; without_pidfds leaves out the pidfds GLib holds for child watches. */
static unsigned
count_fds(bool without_pidfds)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	unsigned n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[300], target[64];
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		if (without_pidfds) {
			snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
			len = readlink(path, target, sizeof(target) - 1);
			if (len > 0) {
				target[len] = '\0';
				if (strcmp(target, "anon_inode:[pidfd]") == 0)
					continue;
			}
		}
		n++;
	}
	if (d != NULL) {
		closedir(d);
		n--; /* the directory itself */
	}
	return n;
}

static unsigned long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long kb = 0;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %lu", &kb) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kb;
}

static void
on_stats(struct pl_ipc_client *c, const struct pl_ipc_msg *msg, void *arg)
{
	struct lrmd_stats st;
	struct pl_pack p = PL_PACK_INIT;
	char v[9][32];
	const char *kv[19];
	int i = 0;

	(void)arg;
	lrmd_rsc_stats(&st);
	snprintf(v[0], 32, "%" PRIu64, st.ops_run);
	snprintf(v[1], 32, "%" PRIu64, st.recurring_runs);
	snprintf(v[2], 32, "%" PRIu64, st.late_max_ms);
	snprintf(v[3], 32, "%" PRIu64, st.recurring_runs ? st.late_total_ms / st.recurring_runs : 0);
	snprintf(v[4], 32, "%u", st.resources);
	snprintf(v[5], 32, "%u", st.recurring);
	snprintf(v[6], 32, "%u", count_fds(false));
	snprintf(v[7], 32, "%lu", rss_kb());
	/* fds counts everything open; without the pipes and child-watch pidfds of agents
	 * running right now it is the daemon's own use, which must not grow (leak checks). */
	snprintf(v[8], 32, "%u", count_fds(true) - st.agent_fds);
	const char *names[] = { "ops_run", "recurring_runs", "late_max_ms", "late_avg_ms",
		"resources", "recurring", "fds", "rss_kb", "fds_idle" };
	for (int k = 0; k < 9; k++) {
		kv[i++] = names[k];
		kv[i++] = v[k];
	}
	kv[i] = NULL;
	pl_msg_pack(&p, PL_MSG_LRMD_STATS_REPLY, (const char *const *)kv);
	pl_ipc_reply(c, msg->call_id, PL_MSG_LRMD_STATS_REPLY, 0, &p);
	pl_pack_free(&p);
}

bool
lrmd_server_start(struct pl_error *err)
{
	static const struct pl_ipc_server_ops ops = { client_accept, client_destroyed };

	clients = g_hash_table_new(g_direct_hash, g_direct_equal);
	lrmd_rsc_init(result_send);
	server = pl_ipc_server_new(PL_SVC_LRMD, NULL, &ops, NULL, err);
	if (server == NULL)
		return false;
	pl_ipc_server_handle(server, PL_MSG_LRMD_EXEC, on_exec);
	pl_ipc_server_handle(server, PL_MSG_LRMD_SUBSCRIBE, on_subscribe);
	pl_ipc_server_handle(server, PL_MSG_LRMD_CANCEL, on_cancel);
	pl_ipc_server_handle(server, PL_MSG_LRMD_REMOVE, on_remove);
	pl_ipc_server_handle(server, PL_MSG_LRMD_HISTORY, on_history);
	pl_ipc_server_handle(server, PL_MSG_LRMD_LIST, on_list);
	pl_ipc_server_handle(server, PL_MSG_LRMD_METADATA, on_metadata);
	pl_ipc_server_handle(server, PL_MSG_LRMD_STATS, on_stats);
	log_info("serving %s", pl_ipc_server_name(server));
	return true;
}

void
lrmd_server_stop(void)
{
	struct pl_ipc_server *s = server;

	/* Clients' destroyed hooks cancel their ops while the server is freed: results of
	 * those must not be sent through it. */
	server = NULL;
	if (s != NULL)
		pl_ipc_server_free(s);
	if (clients != NULL)
		g_hash_table_destroy(clients);
	clients = NULL;
}
