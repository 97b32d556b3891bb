/* test_conf.c - corosync.conf syntax: the tree, lookups, typed getters, every error's text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "paceline/conf.h"
#include "paceline/error.h"
#include "paceline/exitcode.h"

static const char good[] = "# Paceline test configuration\n"	 /* 1 */
			   "totem {\n"				 /* 2 */
			   "\tversion: 2\n"			 /* 3 */
			   "\ttoken: 3000\n"			 /* 4 */
			   "\tcluster_name:   web cluster  \n"	 /* 5 */
			   "\tinterface {\n"			 /* 6 */
			   "\t\tlinknumber: 0\n"		 /* 7 */
			   "\t}\n"				 /* 8 */
			   "\ttoken: 4000\n"			 /* 9: the last one wins */
			   "}\n"				 /* 10 */
			   "\n"					 /* 11 */
			   "nodelist {\n"			 /* 12 */
			   "  node {\n"				 /* 13 */
			   "    ring0_addr: fe80::1\n"		 /* 14 */
			   "    nodeid: 1\n"			 /* 15 */
			   "  }\n"				 /* 16 */
			   "  node {\n"				 /* 17 */
			   "    ring0_addr: 127.0.0.2\n"	 /* 18 */
			   "    nodeid: 2\n"			 /* 19 */
			   "    name: # not a comment\n"	 /* 20 */
			   "  }\n"				 /* 21 */
			   "}\n"				 /* 22 */
			   "quorum {\r\n"			 /* 23 */
			   "\tprovider: corosync_votequorum\r\n" /* 24 */
			   "\ttwo_node: on\r\n"			 /* 25 */
			   "\tempty:\r\n"			 /* 26 */
			   "}\r\n"				 /* 27 */
			   "totem {\n"		 /* 28: merged with the first for lookups */
			   "\tjoin: 50ms\n"	 /* 29 */
			   "\tconsensus: 3s\n"	 /* 30 */
			   "\tbad_bool: maybe\n" /* 31 */
			   "\ttransport: tcp\n"	 /* 32 */
			   "\tcount: 99999999999999999999\n" /* 33 */
			   "}";				     /* 34: no final newline */

static struct pl_conf_node *
parse_good(void)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_conf_node *root = pl_conf_parse_string(good, "paceline.conf", &err);

	if (root == NULL)
		fail_msg("%s", err.text);
	return root;
}

static void
expect_syntax_error(const char *text, const char *message)
{
	struct pl_error err = PL_ERROR_INIT;

	assert_null(pl_conf_parse_string(text, "paceline.conf", &err));
	assert_int_equal(err.code, PL_EXIT_CONFIG);
	assert_string_equal(err.text, message);
}

static void
test_tree(void **state)
{
	struct pl_conf_node *root = parse_good();
	const struct pl_conf_node *totem = pl_conf_section(root, "totem");
	const struct pl_conf_node *iface = pl_conf_section(totem, "interface");

	(void)state;
	assert_non_null(totem);
	assert_int_equal(totem->line, 2);
	assert_true(pl_conf_is_section(totem));
	assert_string_equal(pl_conf_get(totem, "version"), "2");
	assert_string_equal(pl_conf_get(totem, "token"), "4000");
	assert_int_equal(pl_conf_key(totem, "token")->line, 9);
	assert_string_equal(pl_conf_get(totem, "cluster_name"), "web cluster");
	assert_string_equal(pl_conf_get(iface, "linknumber"), "0");
	assert_ptr_equal(iface->parent, totem);
	assert_null(pl_conf_get(totem, "interface")); /* a section is not a key */
	assert_null(pl_conf_get(totem, "missing"));
	assert_string_equal(pl_conf_get(pl_conf_section(root, "quorum"), "empty"), "");
	assert_string_equal(
	    pl_conf_get(pl_conf_section(root, "quorum"), "provider"), "corosync_votequorum");
	assert_string_equal(root->file, "paceline.conf");
	assert_string_equal(iface->file, "paceline.conf");
	pl_conf_free(root);
}

static void
test_repeated_sections(void **state)
{
	struct pl_conf_node *root = parse_good();
	const struct pl_conf_node *nodelist = pl_conf_section(root, "nodelist");
	const char *addrs[3] = { 0 };
	size_t n = 0, sections = 0;

	(void)state;
	PL_CONF_FOREACH_SECTION(nodelist, "node", node)
	addrs[n++] = pl_conf_get(node, "ring0_addr");
	assert_int_equal(n, 2);
	assert_string_equal(addrs[0], "fe80::1"); /* the first ':' splits */
	assert_string_equal(addrs[1], "127.0.0.2");
	assert_string_equal(
	    pl_conf_get(pl_conf_next_section(pl_conf_section(nodelist, "node"), "node"), "name"),
	    "# not a comment");
	PL_CONF_FOREACH_SECTION(root, NULL, s)
	sections++;
	assert_int_equal(sections, 4);
	/* dotted lookups merge repeated sections; the last key wins */
	assert_string_equal(pl_conf_lookup(root, "totem.token")->value, "4000");
	assert_string_equal(pl_conf_lookup(root, "totem.join")->value, "50ms");
	assert_string_equal(pl_conf_lookup(root, "totem.interface.linknumber")->value, "0");
	assert_string_equal(pl_conf_lookup(root, "nodelist.node.nodeid")->value, "2");
	assert_null(pl_conf_lookup(root, "logging.debug"));
	pl_conf_free(root);
}

static void
test_getters(void **state)
{
	struct pl_conf_node *root = parse_good();
	const struct pl_conf_node *totem = pl_conf_section(root, "totem");
	const struct pl_conf_node *totem2 = pl_conf_next_section(totem, "totem");
	const char *const transports[] = { "udp", "udpu", "knet", NULL };
	struct pl_error err = PL_ERROR_INIT;
	uint64_t u = 0;
	bool b = false;
	int e = -1;

	(void)state;
	assert_true(pl_conf_get_uint(totem, "token", 1, UINT32_MAX, "milliseconds", 0, &u, &err));
	assert_int_equal(u, 4000);
	assert_true(pl_conf_get_uint(totem, "absent", 0, 10, NULL, 7, &u, &err));
	assert_int_equal(u, 7);
	assert_true(pl_conf_get_bool(pl_conf_section(root, "quorum"), "two_node", false, &b, &err));
	assert_true(b);
	assert_true(pl_conf_get_bool(totem, "absent", true, &b, &err));
	assert_true(b);
	assert_true(pl_conf_get_enum(totem2, "absent", transports, 2, &e, &err));
	assert_int_equal(e, 2);
	assert_true(pl_conf_get_time_ms(totem2, "join", 1, 0, &u, &err));
	assert_int_equal(u, 50);
	assert_true(pl_conf_get_time_ms(totem2, "consensus", 1, 0, &u, &err));
	assert_int_equal(u, 3000);
	assert_true(pl_conf_get_time_ms(totem, "token", 1, 0, &u, &err)); /* plain = ms */
	assert_int_equal(u, 4000);
	assert_true(pl_conf_get_time_ms(totem, "token", 1000, 0, &u, &err)); /* plain = s */
	assert_int_equal(u, 4000000);
	assert_false(pl_error_isset(&err));
	pl_conf_free(root);
}

static void
test_getter_errors(void **state)
{
	struct pl_conf_node *root = parse_good();
	const struct pl_conf_node *totem = pl_conf_section(root, "totem");
	const struct pl_conf_node *totem2 = pl_conf_next_section(totem, "totem");
	const char *const transports[] = { "udp", "udpu", "knet", NULL };
	struct pl_error err = PL_ERROR_INIT;
	uint64_t u = 42;
	bool b = true;
	int e = 5;

	(void)state;
	assert_false(pl_conf_get_uint(totem2, "consensus", 0, 100, "milliseconds", 0, &u, &err));
	assert_string_equal(
	    err.text, "paceline.conf:30: consensus: '3s' is not a number of milliseconds");
	assert_int_equal(err.code, PL_EXIT_CONFIG);
	assert_int_equal(u, 42);
	assert_false(pl_conf_get_uint(totem, "token", 1, 1000, "milliseconds", 0, &u, &err));
	assert_string_equal(
	    err.text, "paceline.conf:9: token: 4000 is out of range (1..1000 milliseconds)");
	assert_false(pl_conf_get_uint(totem, "version", 3, 9, NULL, 0, &u, &err));
	assert_string_equal(err.text, "paceline.conf:3: version: 2 is out of range (3..9)");
	assert_false(pl_conf_get_uint(totem2, "count", 0, UINT64_MAX, NULL, 0, &u, &err));
	assert_string_equal(
	    err.text, "paceline.conf:33: count: '99999999999999999999' is not a number");
	assert_false(pl_conf_get_bool(totem2, "bad_bool", false, &b, &err));
	assert_string_equal(err.text,
	    "paceline.conf:31: bad_bool: 'maybe' is not a boolean "
	    "(yes/no, on/off, true/false, 1/0)");
	assert_true(b);
	assert_false(pl_conf_get_enum(totem2, "transport", transports, 0, &e, &err));
	assert_string_equal(
	    err.text, "paceline.conf:32: transport: 'tcp' is not one of udp, udpu or knet");
	assert_int_equal(e, 5);
	assert_false(pl_conf_get_time_ms(totem2, "bad_bool", 1, 0, &u, &err));
	assert_string_equal(err.text,
	    "paceline.conf:31: bad_bool: invalid interval 'maybe': "
	    "expected a number with an optional unit (ms, s, min, h) or an ISO 8601 "
	    "duration");
	assert_false(pl_conf_get_time_ms(totem2, "count", 1, 0, &u, &err));
	assert_string_equal(err.text,
	    "paceline.conf:33: count: invalid interval "
	    "'99999999999999999999': too large");
	pl_conf_free(root);
}

static void
test_check_names(void **state)
{
	struct pl_conf_node *root = parse_good();
	const char *const top[] = { "totem", "nodelist", "quorum", NULL };
	const char *const quorum[] = { "provider", "two_node", NULL };
	struct pl_error err = PL_ERROR_INIT;

	(void)state;
	assert_true(pl_conf_check_names(root, top, &err));
	assert_false(pl_conf_check_names(pl_conf_section(root, "quorum"), quorum, &err));
	assert_string_equal(err.text, "paceline.conf:26: unknown key 'empty' in section 'quorum'");
	assert_false(pl_conf_check_names(root, quorum, &err));
	assert_string_equal(err.text, "paceline.conf:2: unknown section 'totem'");
	pl_conf_free(root);
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	expect_syntax_error("totem {\n  token: 1\n\n",
	    "paceline.conf:3: end of file inside section 'totem' opened at line 1");
	expect_syntax_error("a {\n b {\n  c: 1\n }\n",
	    "paceline.conf:4: end of file inside section 'a' opened at line 1");
	expect_syntax_error(
	    "a {\n b {\n", "paceline.conf:2: end of file inside section 'b' opened at line 2");
	expect_syntax_error("a {\n}\n}\n", "paceline.conf:3: '}' without an open section");
	expect_syntax_error("a {\n  token\n}\n",
	    "paceline.conf:2: expected 'key: value', 'name {' or '}' but found 'token'");
	expect_syntax_error("a {\n  token = 3\n}\n",
	    "paceline.conf:2: expected 'key: value' but found 'token = 3' "
	    "('key = value' is not corosync.conf syntax)");
	expect_syntax_error("a {\n  : 3\n}\n", "paceline.conf:2: empty key before ':'");
	expect_syntax_error("  {\n}\n", "paceline.conf:1: missing section name before '{'");
	expect_syntax_error("a { b: 1 }\n",
	    "paceline.conf:1: unexpected text 'b: 1 }' after '{' "
	    "(a section opens with 'name {' alone on its line)");
	expect_syntax_error("a {}\n",
	    "paceline.conf:1: unexpected text '}' after '{' "
	    "(a section opens with 'name {' alone on its line)");
	expect_syntax_error("a {\n} x\n",
	    "paceline.conf:2: unexpected text around '}' "
	    "(a section closes with '}' alone on its line)");
	expect_syntax_error("a {\n  to stderr: yes\n}\n",
	    "paceline.conf:2: invalid key name "
	    "'to stderr' (letters, digits, '_', '-', '.' and '/' only)");
	expect_syntax_error("my section {\n}\n",
	    "paceline.conf:1: invalid section name "
	    "'my section' (letters, digits, '_', '-', '.' and '/' only)");
}

static void
test_odd_inputs(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_conf_node *root;
	char deep[33 * 4 + 1] = "";

	(void)state;
	root = pl_conf_parse_string("", NULL, &err);
	assert_non_null(root);
	assert_null(root->children);
	assert_string_equal(root->file, "<string>");
	pl_conf_free(root);

	assert_null(pl_conf_parse_memory("a {\n\0}\n", 6, "bin.conf", &err));
	assert_string_equal(err.text, "bin.conf:2: NUL byte in the line (not a text file?)");

	for (int i = 0; i < 33; i++)
		strcat(deep, "a {\n");
	assert_null(pl_conf_parse_string(deep, "deep.conf", &err));
	assert_string_equal(err.text, "deep.conf:33: sections nested deeper than 32 levels");
}

static void
test_files(void **state)
{
	struct pl_error err = PL_ERROR_INIT;
	char path[] = "/tmp/pl_test_conf_XXXXXX";
	int fd = mkstemp(path);
	struct pl_conf_node *root;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "totem {\n", 8), 8);
	close(fd);
	assert_null(pl_conf_parse_file(path, &err));
	assert_true(strncmp(err.text, path, strlen(path)) == 0);
	assert_non_null(strstr(err.text, ":1: end of file inside section 'totem' opened at line 1"));
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "totem {\n}\n", 10), 10);
	close(fd);
	root = pl_conf_parse_file(path, &err);
	assert_non_null(root);
	pl_conf_free(root);
	unlink(path);
	assert_null(pl_conf_parse_file(path, &err));
	assert_int_equal(err.code, PL_EXIT_NOINPUT);
	assert_non_null(strstr(err.text, "No such file or directory"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_repeated_sections),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_getter_errors),
		cmocka_unit_test(test_check_names),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_odd_inputs),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
