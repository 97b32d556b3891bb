/*
 * test_tool.c - the tools' shared prologue, XML results and CIB source (tools/common/tool.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tool.h"

#include "paceline/cib.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"

static char tmpdir[64];

static char *
slurp(const char *path)
{
	char *text = NULL;
	gsize len;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return NULL;
	return text;
}

static int
parse(struct tool *t, int argc, const char **args)
{
	char **argv = xcalloc((size_t)argc + 1, sizeof(char *));
	GOptionContext *ctx = g_option_context_new(NULL);
	int rc;

	for (int i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	rc = tool_parse(t, ctx, NULL, &argc, &argv);
	g_option_context_free(ctx);
	free(argv);
	return rc;
}

static void
test_xml_result_with_errors(void **state)
{
	struct tool t = { .name = "t", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };
	char *out = xasprintf("%s/out.xml", tmpdir);
	char *to = xasprintf("--output-to=%s", out);
	const char *args[] = { "t", "--output-as=xml", to, "-V", "-V" };
	char *text;

	(void)state;
	assert_int_equal(parse(&t, 5, args), -1);
	assert_int_equal(t.format, TOOL_FMT_XML);
	assert_int_equal(t.verbose, 2);
	tool_error(&t, "error: something went %s\n", "wrong");
	pl_xml_add_child(tool_xml_result(&t), "thing");
	assert_int_equal(tool_finish(&t, PL_EXIT_NOSUCH), PL_EXIT_NOSUCH);
	text = slurp(out);
	assert_non_null(text);
	assert_non_null(strstr(text,
	    "<pacemaker-result api-version=\"2.25\" request=\"t "
	    "--output-as=xml"));
	assert_non_null(strstr(text, "  <thing/>\n  <status code=\"105\" message=\""));
	assert_non_null(strstr(text, "<error>error: something went wrong</error>"));
	free(text);
	free(to);
	free(out);
}

static void
test_bad_format_and_text_only(void **state)
{
	struct tool t = { .name = "t", .formats = TOOL_FMT_TEXT | TOOL_FMT_XML };
	struct tool only = { .name = "only" };
	const char *bad[] = { "t", "--output-as=yaml" };
	const char *xml[] = { "only", "--output-as=xml" };
	const char *unknown[] = { "t", "--no-such-option" };

	(void)state;
	assert_int_equal(parse(&t, 2, bad), PL_EXIT_ERROR);
	assert_int_equal(parse(&only, 2, xml), PL_EXIT_ERROR);
	assert_int_equal(parse(&t, 2, unknown), PL_EXIT_USAGE);
}

static void
test_version(void **state)
{
	struct tool t = { .name = "t" };
	const char *args[] = { "t", "-$" };

	(void)state;
	assert_int_equal(parse(&t, 2, args), PL_EXIT_OK);
}

static char *
write_cib(const char *name)
{
	struct pl_cib *cib = pl_cib_new_empty();
	char *path = xasprintf("%s/%s", tmpdir, name);
	char *text = pl_xml_dump(pl_cib_root(cib), true);

	assert_true(g_file_set_contents(path, text, -1, NULL));
	free(text);
	pl_cib_free(cib);
	return path;
}

static int
create_dummy(struct tool_cib *src, struct pl_error *e)
{
	xmlDoc *in = pl_xml_new_doc("primitive");
	xmlNode *p = xmlDocGetRootElement(in);
	struct pl_cib_request req = { .op = PL_CIB_OP_CREATE, .section = "resources", .input = p };
	xmlNode *out = NULL;
	int rc;

	pl_xml_set_attr(p, "id", "d1");
	pl_xml_set_attr(p, "class", "ocf");
	pl_xml_set_attr(p, "provider", "pacemaker");
	pl_xml_set_attr(p, "type", "Dummy");
	rc = tool_cib_call(src, &req, &out, e);
	tool_cib_output_free(src, out);
	xmlFreeDoc(in);
	return rc;
}

static void
test_file_source_writes_back_and_rejects_cleanly(void **state)
{
	struct pl_error e = PL_ERROR_INIT;
	char *path = write_cib("file.xml");
	struct tool_cib *src;
	char *before, *after;
	xmlDoc *copy;

	(void)state;
	setenv("CIB_file", path, 1);
	src = tool_cib_open("test", 1000, &e);
	assert_non_null(src);
	assert_int_equal(tool_cib_kind(src), TOOL_CIB_FILE);
	assert_string_equal(tool_cib_path(src), path);
	assert_int_equal(create_dummy(src, &e), 0);
	before = slurp(path);
	assert_non_null(strstr(before, "id=\"d1\""));
	/* the same id again is refused and the file stays byte for byte as it was */
	assert_int_equal(create_dummy(src, &e), PL_EXIT_EXISTS);
	after = slurp(path);
	assert_string_equal(before, after);
	copy = tool_cib_fetch(src, &e);
	assert_non_null(copy);
	assert_string_equal((const char *)xmlDocGetRootElement(copy)->name, "cib");
	xmlFreeDoc(copy);
	tool_cib_close(src);
	unsetenv("CIB_file");
	free(before);
	free(after);
	free(path);
}

static void
test_shadow_source(void **state)
{
	struct pl_error e = PL_ERROR_INIT;
	char *path = write_cib("shadow.mine");
	char *expect;
	struct tool_cib *src;

	(void)state;
	unsetenv("CIB_file");
	setenv("CIB_shadow_dir", tmpdir, 1);
	setenv("CIB_shadow", "mine", 1);
	expect = tool_shadow_path("mine");
	assert_string_equal(expect, path);
	src = tool_cib_open("test", 1000, &e);
	assert_non_null(src);
	assert_int_equal(tool_cib_kind(src), TOOL_CIB_SHADOW);
	assert_int_equal(create_dummy(src, &e), 0);
	tool_cib_close(src);
	setenv("CIB_shadow", "absent", 1);
	assert_null(tool_cib_open("test", 1000, &e));
	assert_int_not_equal(e.code, 0);
	unsetenv("CIB_shadow");
	unsetenv("CIB_shadow_dir");
	free(expect);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_result_with_errors),
		cmocka_unit_test(test_bad_format_and_text_only),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_file_source_writes_back_and_rejects_cleanly),
		cmocka_unit_test(test_shadow_source),
	};
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pl-tool-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (rc == 0) {
		char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		if (system(cmd) != 0)
			rc = 1;
		free(cmd);
	}
	return rc;
}
