/*
 * test_agents.c - the agent catalogue and the meta-data cache: lists are sorted and skip what
 * is not an agent, meta-data is asked once and again only when the agent file changes, LSB
 * meta-data comes from the script's INIT INFO block (escaped), failures say why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "agents.h"
#include "exec.h"
#include "helpers.h"
#include "paceline/xalloc.h"

struct md {
	bool done;
	char *xml;
	int rc, status;
	char *reason;
};

static void
md_cb(const char *xml, int rc, int status, const char *reason, void *arg)
{
	struct md *m = arg;

	m->done = true;
	m->xml = xstrdup(xml);
	m->rc = rc;
	m->status = status;
	m->reason = xstrdup(reason);
}

static void
md_get(const char *rclass, const char *provider, const char *type, struct md *m)
{
	memset(m, 0, sizeof(*m));
	lrmd_agents_metadata(rclass, provider, type, md_cb, m);
	assert_true(helper_run_until(&m->done, 5000));
}

static void
md_free(struct md *m)
{
	free(m->xml);
	free(m->reason);
}

static int
count_lines(const char *path)
{
	gchar *text = NULL;
	int n = 0;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	for (char *p = text; *p != '\0'; p++)
		n += *p == '\n';
	g_free(text);
	return n;
}

static int
setup(void **state)
{
	*state = helper_root_new();
	lrmd_agents_cache_clear();
	return 0;
}

static int
teardown(void **state)
{
	lrmd_agents_cache_clear();
	helper_root_free(*state);
	return 0;
}

static void
test_lists(void **state)
{
	const char *root = *state;
	char *p, **v;

	helper_agent(root, "Zeta", "exit 0");
	helper_agent(root, "Alpha", "exit 0");
	helper_agent(root, ".hidden", "exit 0");
	p = xasprintf("%s/resource.d/test/notexec", root);
	g_file_set_contents(p, "x", -1, NULL);
	free(p);
	p = xasprintf("%s/resource.d/other", root);
	mkdir(p, 0755);
	free(p);

	v = lrmd_agents_providers();
	assert_string_equal(v[0], "other");
	assert_string_equal(v[1], "test");
	assert_null(v[2]);
	g_strfreev(v);
	v = lrmd_agents_list("ocf", "test");
	assert_string_equal(v[0], "Alpha");
	assert_string_equal(v[1], "Zeta");
	assert_null(v[2]);
	g_strfreev(v);
	v = lrmd_agents_list("ocf", NULL);
	assert_string_equal(v[0], "test:Alpha");
	g_strfreev(v);
	v = lrmd_agents_list("ocf", "../..");
	assert_null(v[0]);
	g_strfreev(v);
	helper_lsb(root, "svc", "exit 0");
	v = lrmd_agents_list("lsb", NULL);
	assert_string_equal(v[0], "svc");
	g_strfreev(v);
	v = lrmd_agents_classes();
	assert_string_equal(v[0], "lsb");
	assert_string_equal(v[1], "ocf");
	g_strfreev(v);
}

static void
test_metadata_cached(void **state)
{
	const char *root = *state;
	char *log = xasprintf("%s/calls", root), *body, *path;
	struct md m;
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 1000, 0 } };

	body = xasprintf("echo called >>%s; echo '<resource-agent name=\"M\"><parameters/>"
			 "<actions/></resource-agent>'",
	    log);
	helper_agent(root, "M", body);
	md_get("ocf", "test", "M", &m);
	assert_int_equal(m.status, PL_LRMD_DONE);
	assert_non_null(strstr(m.xml, "<resource-agent name=\"M\">"));
	md_free(&m);
	md_get("ocf", "test", "M", &m);
	assert_non_null(m.xml);
	md_free(&m);
	assert_int_equal(count_lines(log), 1); /* the second answer came from the cache */

	/* a changed agent is asked again */
	path = xasprintf("%s/resource.d/test/M", root);
	utimensat(AT_FDCWD, path, ts, 0);
	md_get("ocf", "test", "M", &m);
	assert_non_null(m.xml);
	md_free(&m);
	assert_int_equal(count_lines(log), 2);
	free(path);
	free(body);
	free(log);
}

/* issue 17, defect 9: identical requests while the agent runs share that one run */
static void
test_metadata_merged(void **state)
{
	const char *root = *state;
	char *log = xasprintf("%s/calls", root), *body;
	struct md m[20];

	body = xasprintf("echo called >>%s; sleep 0.3; echo '<resource-agent name=\"S\">"
			 "<parameters/><actions/></resource-agent>'",
	    log);
	helper_agent(root, "S", body);
	for (int i = 0; i < 20; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		lrmd_agents_metadata("ocf", "test", "S", md_cb, &m[i]);
	}
	for (int i = 0; i < 20; i++) {
		assert_true(helper_run_until(&m[i].done, 5000));
		assert_non_null(m[i].xml);
		assert_non_null(strstr(m[i].xml, "<resource-agent name=\"S\">"));
		md_free(&m[i]);
	}
	assert_int_equal(count_lines(log), 1);
	free(body);
	free(log);
}

/* What a script's header holds becomes XML any parser takes (found by fuzz_agent). */
static void
test_lsb_metadata_bytes(void **state)
{
	char *xml = lrmd_agents_lsb_metadata("x",
	    "### BEGIN INIT INFO\n"
	    "# Short-Description: a\xc0\x80"
	    "b\x01"
	    "c\xef\xbf\xbe \xc3\xa9t\xc3\xa9\n"
	    "### END INIT INFO\n");

	(void)state;
	assert_non_null(
	    strstr(xml, "<shortdesc lang=\"en\">a??b?c??? \xc3\xa9t\xc3\xa9</shortdesc>"));
	free(xml);
}

static void
test_metadata_failures(void **state)
{
	const char *root = *state;
	struct md m;

	md_get("ocf", "test", "Absent", &m);
	assert_null(m.xml);
	assert_int_equal(m.rc, PL_OCF_ERR_INSTALLED);
	assert_int_equal(m.status, PL_LRMD_NOT_INSTALLED);
	md_free(&m);
	helper_agent(root, "Mute", "exit 0");
	md_get("ocf", "test", "Mute", &m);
	assert_null(m.xml);
	assert_non_null(strstr(m.reason, "no meta-data"));
	md_free(&m);
	helper_agent(root, "Broken", "echo ocf-exit-reason:cannot >&2; exit 1");
	md_get("ocf", "test", "Broken", &m);
	assert_null(m.xml);
	assert_int_equal(m.rc, 1);
	assert_string_equal(m.reason, "cannot");
	md_free(&m);
}

static void
test_lsb_metadata(void **state)
{
	const char *root = *state;
	struct md m;
	char *xml;

	helper_lsb(root, "web",
	    "### BEGIN INIT INFO\n# Provides: web\n"
	    "# Short-Description: Web <server> & co\n# Description: Serves \"pages\"\n"
	    "### END INIT INFO\nexit 0");
	md_get("lsb", NULL, "web", &m);
	assert_non_null(m.xml);
	assert_non_null(
	    strstr(m.xml, "<shortdesc lang=\"en\">Web &lt;server&gt; &amp; co</shortdesc>"));
	assert_non_null(strstr(m.xml, "<longdesc lang=\"en\">Serves &quot;pages&quot;</longdesc>"));
	md_free(&m);
	xml = lrmd_agents_lsb_metadata("plain", "#!/bin/sh\nexit 0\n");
	assert_non_null(strstr(xml, "<shortdesc lang=\"en\">plain</shortdesc>"));
	free(xml);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metadata_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metadata_merged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metadata_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lsb_metadata_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lsb_metadata, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
