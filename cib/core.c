/*
 * core.c - the CIB of paceline-cib: loaded at start from <state dir>/cib, updated by
 * pl_cib_perform, persisted by lib/cib's writer thread (the main loop never waits on fsync).
 * It reports through the callbacks given to cib_core_init (answers, notifications), so it runs
 * and is tested without the IPC server.
 *
 * The write path (docs/design/cib.md, "Durability"):
 * - a configuration update (one that changes admin_epoch or epoch) is acknowledged only once
 *   a write that contains it has completed: kill -9 never loses an acknowledged one;
 * - a status-only update (only num_updates moves: the status section itself is not persisted)
 *   is acknowledged at once, even behind a configuration update still being written, and
 *   written soon after (within LAZY_WRITE_MS), in order, by the same writer with the same
 *   digest: a crash loses at most those last num_updates (and the version such an answer
 *   showed may then go back to the last durable configuration; the status is rebuilt);
 * - group commit: one write is in flight at a time; every update applied while it runs is
 *   covered by the next one, which starts as soon as it ends (at once when a configuration
 *   update waits, after LAZY_WRITE_MS otherwise). Each write is one copy of the document
 *   without its status section, made when the write starts, not one per update.
 *
 * Sequence numbers: every applied update gets the next one (last_seq); the write in flight
 * covers inflight_seq, and durable_seq is the newest one known on disk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>

#include "cib_daemon.h"
#include "paceline/exitcode.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

#define LAZY_WRITE_MS 50 /* a status-only change reaches the disk within this (plus a write) */

struct waiting {
	struct cib_waiter w;
	uint64_t seq; /* needs this update on disk */
	int rc;
	char *text;
	char *output;
	struct pl_cib_version v;
};

static struct pl_cib *cib;
static struct pl_cib_writer *writer;
static struct pl_cib_store_opts store;
static struct cib_core_ops ops;
static char *store_dir;
static char node_name[256];
static GQueue waiters = G_QUEUE_INIT; /* struct waiting, in sequence order */
static uint64_t last_seq, last_config_seq, inflight_seq, durable_seq;
static bool inflight;
static guint writer_watch, lazy_timer;
static struct cib_core_stats stats;

const char *
cib_core_node(void)
{
	return node_name;
}

void
cib_core_version(struct pl_cib_version *v)
{
	pl_cib_get_version(cib, v);
}

void
cib_core_get_stats(struct cib_core_stats *out)
{
	*out = stats;
	out->pending = last_seq - durable_seq;
}

static void
waiting_answer_free(struct waiting *wt)
{
	free(wt->text);
	free(wt->output);
	free(wt);
}

static void
waiting_answer(struct waiting *wt, int rc, const char *text)
{
	if (ops.reply != NULL)
		ops.reply(&wt->w, rc, text != NULL ? text : wt->text, wt->output, &wt->v, ops.arg);
	waiting_answer_free(wt);
}

/* Hand the writer the document as it is now, covering every update so far. */
static void
write_start(void)
{
	if (lazy_timer != 0) {
		g_source_remove(lazy_timer);
		lazy_timer = 0;
	}
	if (inflight || last_seq <= durable_seq)
		return;
	inflight = true;
	inflight_seq = last_seq;
	stats.writes++;
	pl_cib_writer_submit(writer, pl_cib_root(cib));
}

static gboolean
on_lazy_timer(gpointer arg)
{
	(void)arg;
	lazy_timer = 0;
	write_start();
	return G_SOURCE_REMOVE;
}

/* More to write: now when someone waits for it, after LAZY_WRITE_MS when only status moved. */
static void
write_schedule(void)
{
	if (inflight || last_seq <= durable_seq)
		return;
	if (!g_queue_is_empty(&waiters) || last_config_seq > durable_seq)
		write_start();
	else if (lazy_timer == 0)
		lazy_timer = g_timeout_add(LAZY_WRITE_MS, on_lazy_timer, NULL);
}

/* The write in flight finished: answer every waiter it covers, start the next one. */
static gboolean
on_writer(gint fd, GIOCondition cond, gpointer arg)
{
	char buf[64];
	struct pl_error e = PL_ERROR_INIT;
	int rc;

	(void)cond;
	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if (!inflight)
		return G_SOURCE_CONTINUE;
	rc = pl_cib_writer_last_result(writer, NULL, &e);
	inflight = false;
	if (rc == 0 && inflight_seq > durable_seq)
		durable_seq = inflight_seq;
	if (rc != 0)
		stats.write_errors++;
	while (!g_queue_is_empty(&waiters) &&
	    ((struct waiting *)g_queue_peek_head(&waiters))->seq <= inflight_seq) {
		struct waiting *wt = g_queue_pop_head(&waiters);
		char *text = NULL;

		if (rc != 0)
			text = xasprintf("the update was applied but could not be saved: %s", e.text);
		waiting_answer(wt, rc != 0 ? PL_EXIT_IOERR : wt->rc, text);
		free(text);
	}
	if (rc != 0 && last_seq == inflight_seq) {
		/* nothing newer: retry later rather than spin on a full disk */
		if (lazy_timer == 0)
			lazy_timer = g_timeout_add(1000, on_lazy_timer, NULL);
		return G_SOURCE_CONTINUE;
	}
	write_schedule();
	return G_SOURCE_CONTINUE;
}

int
cib_core_query(const struct pl_cib_request *req, xmlNode **out, struct pl_error *e)
{
	return pl_cib_perform(cib, req, out, NULL, e);
}

bool
cib_core_acl_applies(const char *user)
{
	return pl_cib_acl_enabled(pl_cib_root(cib), user);
}

int
cib_core_acl_filter(const char *user, xmlNode **out, struct pl_error *e)
{
	if (*out == NULL)
		return 0;
	xmlDoc *seen = pl_cib_acl_filtered_copy(pl_cib_root(cib), *out, user);
	xmlFreeNode(*out);
	*out = NULL;
	if (seen == NULL) {
		pl_error_set(e, PL_EXIT_INSUFFICIENT_PRIV, "Permission denied");
		return PL_EXIT_INSUFFICIENT_PRIV;
	}
	*out = xmlCopyNode(xmlDocGetRootElement(seen), 1);
	xmlFreeDoc(seen);
	return 0;
}

int
cib_core_acl_check(const struct cib_update *u, struct pl_error *e)
{
	struct pl_cib_request req = {
		.op = (enum pl_cib_op)u->op,
		.section = u->section,
		.xpath = u->xpath,
		.input = u->input,
		.flags = u->flags,
	};
	struct pl_cib *trial = pl_cib_adopt(xmlCopyDoc(pl_cib_doc(cib), 1), e);
	xmlNode *out = NULL;
	int rc;

	if (trial == NULL)
		return PL_EXIT_ERROR;
	rc = pl_cib_perform(trial, &req, &out, NULL, e);
	if (out != NULL)
		xmlFreeNode(out);
	if (rc == 0 &&
	    pl_cib_acl_check_update(pl_cib_root(cib), pl_cib_root(trial), u->user,
		req.op == PL_CIB_OP_REPLACE && req.section == NULL && req.xpath == NULL, NULL) != 0) {
		pl_error_set(e, PL_EXIT_INSUFFICIENT_PRIV, "Permission denied");
		rc = PL_EXIT_INSUFFICIENT_PRIV;
	}
	pl_cib_free(trial);
	return rc == PL_EXIT_INSUFFICIENT_PRIV ? rc : 0; /* other refusals: the real apply says */
}

static const char *
op_name(uint32_t op)
{
	static const char *const names[] = { "query", "create", "modify", "replace", "delete",
		"erase", "bump", "apply-patch" };

	return op < G_N_ELEMENTS(names) ? names[op] : "unknown";
}

void
cib_core_update(const struct cib_update *u, const struct cib_waiter *w)
{
	struct pl_cib_request req = {
		.op = (enum pl_cib_op)u->op,
		.section = u->section,
		.xpath = u->xpath,
		.input = u->input,
		.flags = u->flags,
		.origin = u->origin,
		.client = u->client,
		.user = u->user,
		.when = u->when,
	};
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_version before, v;
	xmlNode *out = NULL, *patch = NULL;
	struct waiting *wt;
	int rc;

	pl_cib_get_version(cib, &before);
	rc = pl_cib_perform(cib, &req, &out, &patch, &e);
	pl_cib_get_version(cib, &v);
	if (rc != 0)
		log_info("%s from %s/%s refused (%d): %s", op_name(u->op), u->origin, u->client, rc,
		    e.text);
	else if (patch != NULL)
		log_debug("%s from %s/%s applied: now %ld.%ld.%ld", op_name(u->op), u->origin,
		    u->client, v.admin_epoch, v.epoch, v.num_updates);
	wt = XNEW(struct waiting);
	if (w != NULL)
		wt->w = *w;
	wt->rc = rc;
	wt->text = xstrdup(rc != 0 ? e.text : "");
	wt->output = out != NULL ? pl_xml_dump(out, false) : NULL;
	wt->v = v;
	if (out != NULL)
		xmlFreeNode(out);
	if (patch != NULL) {
		/* Only a configuration change moves admin_epoch or epoch (pl_cib_perform bumps
		 * epoch for one); anything else changed the status and num_updates only. */
		bool config = before.admin_epoch != v.admin_epoch || before.epoch != v.epoch;

		wt->seq = ++last_seq;
		if (config) {
			last_config_seq = last_seq;
			stats.config_updates++;
		} else {
			wt->seq = 0; /* answered now: status never waits for the disk */
			stats.status_updates++;
		}
		if (ops.notify != NULL)
			ops.notify(&v, u->origin, u->client, u->op, patch, ops.arg);
		xmlFreeNode(patch);
	} else {
		/* Nothing new to write, but the configuration the client saw may not be on
		 * disk yet. */
		wt->seq = last_config_seq;
	}
	if (w == NULL || wt->seq <= durable_seq || rc != 0) {
		if (w != NULL)
			waiting_answer(wt, wt->rc, NULL);
		else
			waiting_answer_free(wt);
	} else {
		g_queue_push_tail(&waiters, wt);
	}
	write_schedule();
}

static void
node_name_init(void)
{
	const char *env = getenv("PL_NODE_NAME");

	if (env != NULL && *env != '\0')
		snprintf(node_name, sizeof(node_name), "%s", env);
	else if (gethostname(node_name, sizeof(node_name) - 1) != 0)
		snprintf(node_name, sizeof(node_name), "localhost");
	node_name[sizeof(node_name) - 1] = '\0';
}

/* A cib.xml whose digest matches (so it was written whole) may still fail the schema: edited
 * and re-signed by hand, or written by a version with another schema. It is used as it is (it
 * is the newest configuration there is), but every update would then be refused with 78, so
 * say so at load, at error level, with the first violation and how to repair it. */
static void
warn_if_invalid(const char *from)
{
	struct pl_error e = PL_ERROR_INIT;

	if (pl_cib_validate(pl_cib_doc(cib), &e) == 0)
		return;
	log_err("the CIB loaded from %s does NOT conform to its schema (validate-with=\"%s\"): %s",
	    from != NULL ? from : "memory",
	    pl_xml_attr(pl_cib_root(cib), "validate-with")
		? pl_xml_attr(pl_cib_root(cib), "validate-with")
		: "",
	    e.text);
	log_err(
	    "until it is repaired every update is refused (exit 78, \"Update does not conform "
	    "to the configured schema\"); to repair: 'crm_verify -L -V' lists every violation, "
	    "then 'cibadmin -Q > cib.xml', correct the file until 'crm_verify -x cib.xml' passes, "
	    "and 'cibadmin -R -x cib.xml' replaces the whole CIB");
}

bool
cib_core_init(const char *state_dir, const struct cib_core_ops *o, struct pl_error *err)
{
	struct pl_error e = PL_ERROR_INIT;
	char *used = NULL;
	struct pl_cib_version v;

	node_name_init();
	ops = o != NULL ? *o : (struct cib_core_ops){ 0 };
	last_seq = last_config_seq = inflight_seq = durable_seq = 0;
	inflight = false;
	memset(&stats, 0, sizeof(stats));
	if (mkdir(state_dir, 0750) != 0 && errno != EEXIST) {
		pl_error_set(err, PL_EXIT_CANTCREAT, "cannot create state directory %s: %s",
		    state_dir, strerror(errno));
		return false;
	}
	store_dir = xasprintf("%s/cib", state_dir);
	if (mkdir(store_dir, 0750) != 0 && errno != EEXIST) {
		pl_error_set(
		    err, PL_EXIT_CANTCREAT, "cannot create %s: %s", store_dir, strerror(errno));
		free(store_dir);
		store_dir = NULL;
		return false;
	}
	store.dir = store_dir;
	cib = pl_cib_store_load(&store, &used, &e);
	if (cib == NULL) {
		if (e.code != PL_EXIT_NOSUCH) {
			pl_error_set(
			    err, e.code, "cannot load the CIB from %s: %s", store_dir, e.text);
			free(store_dir);
			store_dir = NULL;
			return false;
		}
		log_info("no CIB in %s (%s): starting with an empty one", store_dir, e.text);
		cib = pl_cib_new_empty();
	}
	/* The file holds no status section (it is rebuilt by the cluster): start an empty one. */
	if (pl_xml_first_child(pl_cib_root(cib), "status") == NULL)
		pl_xml_add_child(pl_cib_root(cib), "status");
	pl_cib_get_version(cib, &v);
	log_info("CIB %ld.%ld.%ld loaded from %s", v.admin_epoch, v.epoch, v.num_updates,
	    used != NULL ? used : "nowhere (empty)");
	warn_if_invalid(used);
	free(used);
	writer = pl_cib_writer_start(&store);
	writer_watch = g_unix_fd_add(pl_cib_writer_notify_fd(writer), G_IO_IN, on_writer, NULL);
	return true;
}

/* Wait for the write in flight (if any) and account for it. */
static void
write_wait(void)
{
	pl_cib_writer_flush(writer);
	on_writer(pl_cib_writer_notify_fd(writer), G_IO_IN, NULL);
}

void
cib_core_shutdown(void)
{
	if (writer != NULL) {
		/* a clean stop writes what was acknowledged without a write (status) */
		write_wait();
		if (last_seq > durable_seq) {
			write_start();
			write_wait();
		}
		if (lazy_timer != 0)
			g_source_remove(lazy_timer);
		lazy_timer = 0;
		g_source_remove(writer_watch);
		pl_cib_writer_stop(writer);
		writer = NULL;
	}
	while (!g_queue_is_empty(&waiters))
		waiting_answer(g_queue_pop_head(&waiters), PL_EXIT_ERROR, "paceline-cib stopped");
	pl_cib_free(cib);
	cib = NULL;
	free(store_dir);
	store_dir = NULL;
	pl_cib_schema_cleanup();
}

void
cib_core_digest(char out[65])
{
	pl_cib_digest_all(pl_cib_root(cib), out);
}

char *
cib_core_dump(void)
{
	return pl_xml_dump(pl_cib_root(cib), false);
}

char *
cib_core_dump_section(const char *section)
{
	const char *path = pl_cib_section_xpath(section); /* "/cib/configuration/nodes" */
	xmlNode *n = pl_cib_root(cib);

	if (path == NULL || strncmp(path, "/cib", 4) != 0)
		return NULL;
	for (path += 4; n != NULL && *path == '/';) {
		const char *name = path + 1;
		size_t len = strcspn(name, "/");
		xmlNode *ch;

		for (ch = n->children; ch != NULL; ch = ch->next)
			if (ch->type == XML_ELEMENT_NODE && strlen((const char *)ch->name) == len &&
			    strncmp((const char *)ch->name, name, len) == 0)
				break;
		n = ch;
		path = name + len;
	}
	return n != NULL ? pl_xml_dump(n, false) : NULL;
}

int
cib_core_sync(const char *text)
{
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_string(text, "peer CIB", &e);
	struct pl_cib_request req = { .op = PL_CIB_OP_REPLACE, .flags = PL_CIB_F_SYNC };
	xmlNode *patch = NULL;
	struct pl_cib_version v;
	int rc;

	if (doc == NULL) {
		log_warnx("the peer's CIB does not parse: %s", e.text);
		return e.code;
	}
	req.input = xmlDocGetRootElement(doc);
	rc = pl_cib_perform(cib, &req, NULL, &patch, &e);
	xmlFreeDoc(doc);
	if (rc != 0) {
		log_warnx("the peer's CIB was refused (%d): %s", rc, e.text);
		return rc;
	}
	pl_cib_get_version(cib, &v);
	log_info("took the peer's CIB: now %ld.%ld.%ld", v.admin_epoch, v.epoch, v.num_updates);
	if (patch != NULL) {
		last_config_seq = ++last_seq; /* a peer's whole CIB: written at once */
		if (ops.notify != NULL)
			ops.notify(&v, "sync", "paceline-cib", PL_CIB_OP_REPLACE, patch, ops.arg);
		xmlFreeNode(patch);
		write_schedule();
	}
	return 0;
}
