/*
 * core.c - the CIB of paceline-cib: loaded at start from <state dir>/cib, updated by
 * pl_cib_perform, persisted by lib/cib's writer thread (the main loop never waits on fsync),
 * and the rule that makes kill -9 safe: an update is acknowledged only once a write that
 * contains it has completed.
 *
 * Durability bookkeeping: every submit to the writer gets a sequence number, and its version
 * is remembered. When the writer reports a finished write of version V, the newest submit of
 * version V (and so every earlier one, since a write holds the whole document) is durable.
 * Waiters of updates carry the sequence number they need.
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

struct submitted {
	uint64_t seq;
	struct pl_cib_version v;
};

struct waiting {
	struct cib_waiter w;
	uint64_t seq;		/* needs this submit on disk */
	int rc;
	char *text;
	char *output;
	struct pl_cib_version v;
};

static struct pl_cib *cib;
static struct pl_cib_writer *writer;
static struct pl_cib_store_opts store;
static char *store_dir;
static char node_name[256];
static GQueue submits = G_QUEUE_INIT;	/* struct submitted, oldest first, not yet durable */
static GQueue waiters = G_QUEUE_INIT;	/* struct waiting, in sequence order */
static uint64_t next_seq = 1, durable_seq;
static guint writer_watch;

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

static void
waiting_answer(struct waiting *wt, int rc, const char *text)
{
	cib_server_reply(&wt->w, rc, text != NULL ? text : wt->text, wt->output, &wt->v);
	free(wt->text);
	free(wt->output);
	free(wt);
}

/* The writer finished one or more writes: answer every waiter it covers. */
static gboolean
on_writer(gint fd, GIOCondition cond, gpointer arg)
{
	char buf[64];
	struct pl_cib_version written;
	struct pl_error e = PL_ERROR_INIT;
	int rc;
	uint64_t upto = 0;

	(void)cond;
	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	rc = pl_cib_writer_last_result(writer, &written, &e);
	for (GList *l = submits.tail; l != NULL; l = l->prev) {
		struct submitted *s = l->data;

		if (pl_cib_version_cmp(&s->v, &written) == 0) {
			upto = s->seq;
			break;
		}
	}
	while (!g_queue_is_empty(&submits) &&
	       ((struct submitted *)g_queue_peek_head(&submits))->seq <= upto)
		free(g_queue_pop_head(&submits));
	if (upto > durable_seq)
		durable_seq = upto;
	while (!g_queue_is_empty(&waiters) &&
	       ((struct waiting *)g_queue_peek_head(&waiters))->seq <= upto) {
		struct waiting *wt = g_queue_pop_head(&waiters);
		char *text = NULL;

		if (rc != 0)
			text = xasprintf("the update was applied but could not be saved: %s",
					 e.text);
		waiting_answer(wt, rc != 0 ? PL_EXIT_IOERR : wt->rc, text);
		free(text);
	}
	return G_SOURCE_CONTINUE;
}

static uint64_t
submit(void)
{
	struct submitted *s = XNEW(struct submitted);

	s->seq = next_seq++;
	pl_cib_get_version(cib, &s->v);
	g_queue_push_tail(&submits, s);
	pl_cib_writer_submit(writer, pl_cib_root(cib));
	return s->seq;
}

int
cib_core_query(const struct pl_cib_request *req, xmlNode **out, struct pl_error *e)
{
	return pl_cib_perform(cib, req, out, NULL, e);
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
		.op = (enum pl_cib_op)u->op, .section = u->section, .xpath = u->xpath,
		.input = u->input, .flags = u->flags, .origin = u->origin, .client = u->client,
		.user = u->user, .when = u->when,
	};
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib_version v;
	xmlNode *out = NULL, *patch = NULL;
	struct waiting *wt;
	int rc;

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
		wt->seq = submit();
		cib_server_notify(&v, u->origin, u->client, u->op, patch);
		xmlFreeNode(patch);
	} else {
		/* Nothing new to write, but what the client saw may not be on disk yet. */
		wt->seq = next_seq - 1;
	}
	if (w == NULL) {
		free(wt->text);
		free(wt->output);
		free(wt);
		return;
	}
	if (wt->seq <= durable_seq || rc != 0)
		waiting_answer(wt, wt->rc, NULL);
	else
		g_queue_push_tail(&waiters, wt);
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
		pl_xml_attr(pl_cib_root(cib), "validate-with") ? pl_xml_attr(pl_cib_root(cib),
		"validate-with") : "", e.text);
	log_err("until it is repaired every update is refused (exit 78, \"Update does not conform "
		"to the configured schema\"); to repair: 'crm_verify -L -V' lists every violation, "
		"then 'cibadmin -Q > cib.xml', correct the file until 'crm_verify -x cib.xml' passes, "
		"and 'cibadmin -R -x cib.xml' replaces the whole CIB");
}

void
cib_core_init(const char *state_dir)
{
	struct pl_error e = PL_ERROR_INIT;
	char *used = NULL;
	struct pl_cib_version v;

	node_name_init();
	if (mkdir(state_dir, 0750) != 0 && errno != EEXIST)
		fatal("cannot create state directory %s", state_dir);
	store_dir = xasprintf("%s/cib", state_dir);
	if (mkdir(store_dir, 0750) != 0 && errno != EEXIST)
		fatal("cannot create %s", store_dir);
	store.dir = store_dir;
	cib = pl_cib_store_load(&store, &used, &e);
	if (cib == NULL) {
		if (e.code != PL_EXIT_NOSUCH)
			fatalx("cannot load the CIB from %s: %s", store_dir, e.text);
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
}

void
cib_core_shutdown(void)
{
	if (writer != NULL) {
		pl_cib_writer_flush(writer);
		on_writer(pl_cib_writer_notify_fd(writer), G_IO_IN, NULL);
		g_source_remove(writer_watch);
		pl_cib_writer_stop(writer);
		writer = NULL;
	}
	while (!g_queue_is_empty(&waiters))
		waiting_answer(g_queue_pop_head(&waiters), PL_EXIT_ERROR, "paceline-cib stopped");
	g_queue_clear_full(&submits, free);
	pl_cib_free(cib);
	cib = NULL;
	free(store_dir);
	pl_cib_schema_cleanup();
}

void
cib_core_digest(char out[65])
{
	pl_cib_digest(pl_cib_root(cib), out);
}

char *
cib_core_dump(void)
{
	return pl_xml_dump(pl_cib_root(cib), false);
}

char *
cib_core_dump_section(const char *section)
{
	const char *path = pl_cib_section_xpath(section);	/* "/cib/configuration/nodes" */
	xmlNode *n = pl_cib_root(cib);

	if (path == NULL || strncmp(path, "/cib", 4) != 0)
		return NULL;
	for (path += 4; n != NULL && *path == '/'; ) {
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
		submit();
		cib_server_notify(&v, "sync", "paceline-cib", PL_CIB_OP_REPLACE, patch);
		xmlFreeNode(patch);
	}
	return 0;
}
