/*
 * test_cib_core.c - paceline-cib's core without the server: updates go in, answers and
 * notifications come out through the callbacks. Checks the write path: a status-only update
 * is answered at once and is on disk after a clean stop; a configuration update is answered
 * only after its write, and then is on disk; concurrent configuration updates share writes;
 * a status update issued behind an unwritten configuration is answered at once; refused updates are
 * answered at once; a write that fails (here: cib.xml.tmp cannot be created) answers its
 * configuration update with 74 and the next write succeeds; an unusable state directory is an
 * error, not an exit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cib_daemon.h"
#include "paceline/exitcode.h"
#include "paceline/mtime.h"
#include "paceline/xml.h"

struct answers {
	unsigned n, notified;
	int last_rc;
	struct pl_cib_version last_v;
	uint32_t last_call;
};

static void
on_reply(const struct cib_waiter *w, int rc, const char *text, const char *output,
    const struct pl_cib_version *v, void *arg)
{
	struct answers *a = arg;

	(void)text;
	(void)output;
	a->n++;
	a->last_rc = rc;
	a->last_call = w->call_id;
	if (v != NULL)
		a->last_v = *v;
}

static void
on_notify(const struct pl_cib_version *v, const char *origin, const char *client, uint32_t op,
    const xmlNode *patchset, void *arg)
{
	struct answers *a = arg;

	(void)v;
	(void)origin;
	(void)client;
	(void)op;
	assert_non_null(patchset);
	a->notified++;
}

static struct answers answers;
static const struct cib_core_ops ops = { on_reply, on_notify, &answers };
static char dir[64];
static bool created[8]; /* node_state i exists */

static int
setup(void **state)
{
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	memset(&answers, 0, sizeof(answers));
	memset(created, 0, sizeof(created));
	snprintf(dir, sizeof(dir), "/tmp/pl-cibcore-XXXXXX");
	assert_non_null(mkdtemp(dir));
	setenv("PL_NODE_NAME", "node1", 1);
	assert_true(cib_core_init(dir, &ops, &e));
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = NULL;

	(void)state;
	cib_core_shutdown();
	assert_true(asprintf(&cmd, "rm -rf %s", dir) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

static void
update(enum pl_cib_op op, const char *section, const char *xml, uint32_t call_id)
{
	struct pl_error e = PL_ERROR_INIT;
	xmlDoc *doc = pl_xml_parse_string(xml, "test", &e);
	struct cib_update u = { .op = op,
		.section = section,
		.origin = "node1",
		.client = "test",
		.user = "root",
		.when = 1 };
	struct cib_waiter w = { .client_id = 1, .call_id = call_id };

	assert_non_null(doc);
	u.input = xmlDocGetRootElement(doc);
	cib_core_update(&u, &w);
	xmlFreeDoc(doc);
}

static void
status_update(unsigned i, uint32_t call_id)
{
	char xml[256];

	snprintf(xml, sizeof(xml),
	    "<node_state id=\"%u\" uname=\"node%u\" in_ccm=\"true\" "
	    "crmd=\"online\" join=\"member\" expected=\"member\" "
	    "crm-debug-origin=\"call%u\"/>",
	    i, i, call_id);
	update(created[i % 8] ? PL_CIB_OP_MODIFY : PL_CIB_OP_CREATE, "status", xml, call_id);
	created[i % 8] = true;
}

static void
config_update(unsigned i, uint32_t call_id)
{
	char xml[256];

	snprintf(xml, sizeof(xml),
	    "<primitive id=\"r%u\" class=\"ocf\" provider=\"heartbeat\" "
	    "type=\"Dummy\"/>",
	    i);
	update(PL_CIB_OP_CREATE, "resources", xml, call_id);
}

static void
wait_answers(unsigned n)
{
	uint64_t deadline = pl_mono_ms() + 10000;

	while (answers.n < n && pl_mono_ms() < deadline)
		g_main_context_iteration(NULL, TRUE);
	assert_int_equal(answers.n, n);
}

/* The version in <dir>/cib/cib.xml. */
static void
disk_version(struct pl_cib_version *v)
{
	struct pl_error e = PL_ERROR_INIT;
	char *path = NULL;
	xmlDoc *doc;

	assert_true(asprintf(&path, "%s/cib/cib.xml", dir) > 0);
	doc = pl_xml_parse_file(path, &e);
	assert_non_null(doc);
	pl_cib_xml_version(xmlDocGetRootElement(doc), v);
	xmlFreeDoc(doc);
	free(path);
}

static void
test_config_after_write(void **state)
{
	struct pl_cib_version v, d;

	(void)state;
	config_update(1, 7);
	assert_int_equal(answers.n, 0); /* not before its write */
	assert_int_equal(answers.notified, 1);
	wait_answers(1);
	assert_int_equal(answers.last_rc, 0);
	assert_int_equal(answers.last_call, 7);
	cib_core_version(&v);
	disk_version(&d); /* acknowledged: on disk */
	assert_int_equal(pl_cib_version_cmp(&v, &d), 0);
}

static void
test_status_at_once(void **state)
{
	struct pl_cib_version v, d;
	struct cib_core_stats st;

	(void)state;
	config_update(1, 1);
	wait_answers(1);
	for (unsigned i = 0; i < 50; i++)
		status_update(1 + i % 3, 2 + i);
	assert_int_equal(answers.n, 51); /* every one answered before any write */
	cib_core_get_stats(&st);
	assert_int_equal(st.status_updates, 50);
	assert_true(st.pending > 0);
	cib_core_version(&v);
	assert_true(v.num_updates >= 50);
	cib_core_shutdown(); /* a clean stop writes them */
	disk_version(&d);
	assert_int_equal(pl_cib_version_cmp(&v, &d), 0);
	{ /* for the teardown's shutdown */
		struct pl_error e = PL_ERROR_INIT;

		assert_true(cib_core_init(dir, &ops, &e));
	}
}

static void
test_status_written_soon(void **state)
{
	struct pl_cib_version v, d;
	uint64_t deadline = pl_mono_ms() + 5000;

	(void)state;
	status_update(1, 1);
	assert_int_equal(answers.n, 1);
	cib_core_version(&v);
	for (;;) { /* written within LAZY_WRITE_MS plus a write, without a stop */
		struct cib_core_stats st;

		g_main_context_iteration(NULL, FALSE);
		cib_core_get_stats(&st);
		if (st.pending == 0 || pl_mono_ms() > deadline)
			break;
		usleep(2000);
	}
	disk_version(&d);
	assert_int_equal(pl_cib_version_cmp(&v, &d), 0);
}

static void
test_group_commit(void **state)
{
	struct cib_core_stats st;

	(void)state;
	for (unsigned i = 0; i < 40; i++)
		config_update(i, i + 1); /* all applied before the loop runs a write's end */
	wait_answers(40);
	cib_core_get_stats(&st);
	assert_int_equal(st.config_updates, 40);
	assert_true(st.writes <= 2); /* the first alone, the other 39 together */
	assert_int_equal(st.pending, 0);
}

static void
test_status_does_not_wait(void **state)
{
	(void)state;
	config_update(1, 1);
	status_update(1, 2); /* behind a configuration not yet on disk: still at once */
	assert_int_equal(answers.n, 1);
	assert_int_equal(answers.last_call, 2);
	wait_answers(2);
	assert_int_equal(answers.last_call, 1);
	update(PL_CIB_OP_MODIFY, "status", "<node_state id=\"1\" crm-debug-origin=\"call2\"/>", 3);
	assert_int_equal(answers.n, 3); /* changed nothing, configuration durable: at once */
}

static void
test_refused_at_once(void **state)
{
	(void)state;
	config_update(1, 1);
	wait_answers(1);
	config_update(1, 2); /* exists */
	assert_int_equal(answers.n, 2);
	assert_int_equal(answers.last_rc, PL_EXIT_EXISTS);
	update(PL_CIB_OP_MODIFY, "resources", "<primitive id=\"r1\" class=\"nope\"/>", 3);
	assert_int_equal(answers.n, 3);
	assert_int_not_equal(answers.last_rc, 0);
}

static void
test_write_failure(void **state)
{
	char blocker[128];
	struct pl_cib_version v, d;

	(void)state;
	snprintf(blocker, sizeof(blocker), "%s/cib/cib.xml.tmp", dir);
	assert_int_equal(mkdir(blocker, 0700), 0); /* the write cannot create its file */
	config_update(1, 1);
	wait_answers(1);
	assert_int_equal(answers.last_rc, PL_EXIT_IOERR);
	assert_int_equal(rmdir(blocker), 0);
	config_update(2, 2); /* the next write covers both */
	wait_answers(2);
	assert_int_equal(answers.last_rc, 0);
	cib_core_version(&v);
	disk_version(&d);
	assert_int_equal(pl_cib_version_cmp(&v, &d), 0);
}

static void
test_bad_state_dir(void **state)
{
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	assert_false(cib_core_init("/dev/null/x", &ops, &e));
	assert_int_equal(e.code, PL_EXIT_CANTCREAT);
	assert_non_null(strstr(e.text, "/dev/null/x"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_after_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_written_soon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_does_not_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
		cmocka_unit_test(test_bad_state_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
