/* test_env.c - the environment of an agent, exit code mapping and exit reason parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exec.h"

static const char *
env_get(char **env, const char *name)
{
	size_t n = strlen(name);

	for (char **e = env; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int
env_count(char **env, const char *name)
{
	int c = 0;
	size_t n = strlen(name);

	for (char **e = env; *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			c++;
	return c;
}

static void
test_ocf_env(void **state)
{
	char *base[] = { "PATH=/usr/bin:/bin", "OCF_RESKEY_leak=1", "OCF_RESOURCE_INSTANCE=old",
		"HA_RSCTMP=/run/x", "PL_IPC_PREFIX=t", "PL_DEBUG=1", NULL };
	struct lrmd_action *a =
	    lrmd_action_new("vip", "ocf", "heartbeat", "IPaddr2", "monitor", 10000, 0);
	const char *bad;
	char **env;

	(void)state;
	lrmd_conf_init();
	free(lrmd_conf.ocf_root);
	lrmd_conf.ocf_root = strdup("/opt/ocf");
	pl_lrmd_params_set(&a->params, "ip", "10.0.0.5");
	pl_lrmd_params_set(&a->params, "cidr_netmask", "24");
	pl_lrmd_params_set(&a->params, "ip", "10.0.0.6"); /* replaces */
	pl_lrmd_params_set(&a->meta, "clone-max", "2");
	pl_lrmd_params_set(&a->meta, "timeout", "999"); /* the request's timeout wins */
	env = lrmd_env_build(a, base, &bad);
	assert_non_null(env);
	assert_string_equal(env_get(env, "PATH"), "/usr/bin:/bin");
	assert_string_equal(env_get(env, "HA_RSCTMP"), "/run/x");
	assert_null(env_get(env, "OCF_RESKEY_leak"));
	/* internal switches stay out; the IPC prefix passes so agents' tools reach this node */
	assert_null(env_get(env, "PL_DEBUG"));
	assert_string_equal(env_get(env, "PL_IPC_PREFIX"), "t");
	assert_int_equal(env_count(env, "OCF_RESOURCE_INSTANCE"), 1);
	assert_string_equal(env_get(env, "OCF_RESOURCE_INSTANCE"), "vip");
	assert_string_equal(env_get(env, "OCF_RESOURCE_TYPE"), "IPaddr2");
	assert_string_equal(env_get(env, "OCF_RESOURCE_PROVIDER"), "heartbeat");
	assert_string_equal(env_get(env, "OCF_ROOT"), "/opt/ocf");
	assert_string_equal(env_get(env, "OCF_FUNCTIONS_DIR"), "/opt/ocf/lib/heartbeat");
	assert_string_equal(env_get(env, "OCF_RA_VERSION_MAJOR"), "1");
	assert_string_equal(env_get(env, "OCF_RA_VERSION_MINOR"), "1");
	assert_string_equal(env_get(env, "OCF_RESKEY_ip"), "10.0.0.6");
	assert_int_equal(env_count(env, "OCF_RESKEY_ip"), 1);
	assert_string_equal(env_get(env, "OCF_RESKEY_cidr_netmask"), "24");
	assert_string_equal(env_get(env, "OCF_RESKEY_CRM_meta_clone_max"), "2");
	assert_int_equal(env_count(env, "OCF_RESKEY_CRM_meta_timeout"), 1);
	assert_string_equal(env_get(env, "OCF_RESKEY_CRM_meta_timeout"), "20000"); /* default */
	assert_string_equal(env_get(env, "OCF_RESKEY_CRM_meta_interval"), "10000");
	g_strfreev(env);

	/* An explicit timeout, and a probe (interval 0). */
	a->timeout_ms = 1234;
	a->interval_ms = 0;
	env = lrmd_env_build(a, base, &bad);
	assert_string_equal(env_get(env, "OCF_RESKEY_CRM_meta_timeout"), "1234");
	assert_string_equal(env_get(env, "OCF_RESKEY_CRM_meta_interval"), "0");
	g_strfreev(env);
	lrmd_action_free(a);
	lrmd_conf_free();
}

static void
test_bad_names(void **state)
{
	struct lrmd_action *a = lrmd_action_new("r", "ocf", "p", "T", "start", 0, 0);
	const char *bad = NULL;
	char *base[] = { NULL };

	(void)state;
	lrmd_conf_init();
	pl_lrmd_params_set(&a->params, "a=b", "x");
	assert_null(lrmd_env_build(a, base, &bad));
	assert_string_equal(bad, "a=b");
	pl_lrmd_params_free(&a->params);
	pl_lrmd_params_set(&a->meta, "has space", "x");
	assert_null(lrmd_env_build(a, base, &bad));
	assert_string_equal(bad, "has space");
	lrmd_action_free(a);
	lrmd_conf_free();
}

static void
test_lsb_env(void **state)
{
	struct lrmd_action *a = lrmd_action_new("web", "lsb", NULL, "apache2", "start", 0, 0);
	char *base[] = { "PATH=/bin", "OCF_RESKEY_x=1", NULL };
	const char *bad;
	char **env;

	(void)state;
	lrmd_conf_init();
	pl_lrmd_params_set(&a->params, "p", "v");
	env = lrmd_env_build(a, base, &bad);
	/* init scripts get the plain environment, nothing OCF */
	assert_string_equal(env[0], "PATH=/bin");
	assert_null(env[1]);
	g_strfreev(env);
	lrmd_action_free(a);
	lrmd_conf_free();
}

static void
test_ocf_exit_mapping(void **state)
{
	const char *why;

	(void)state;
	for (int rc = 0; rc <= 9; rc++) {
		assert_int_equal(lrmd_map_ocf_exit(rc, &why), rc);
		assert_null(why);
	}
	assert_int_equal(lrmd_map_ocf_exit(190, &why), 190);
	assert_int_equal(lrmd_map_ocf_exit(191, &why), 191);
	assert_int_equal(lrmd_map_ocf_exit(10, &why), PL_OCF_ERR_GENERIC);
	assert_non_null(why);
	assert_int_equal(lrmd_map_ocf_exit(127, &why), PL_OCF_ERR_GENERIC);
	assert_int_equal(lrmd_map_ocf_exit(192, &why), PL_OCF_ERR_GENERIC);
	assert_int_equal(lrmd_map_ocf_exit(255, &why), PL_OCF_ERR_GENERIC);
	assert_string_equal(pl_ocf_rc_name(7), "not running");
	assert_string_equal(pl_lrmd_status_name(PL_LRMD_TIMED_OUT), "timed out");
	assert_string_equal(pl_lrmd_status_name(PL_LRMD_NOT_INSTALLED), "not installed");
}

static void
test_lsb_exit_mapping(void **state)
{
	(void)state;
	/* status/monitor: LSB's status codes */
	assert_int_equal(lrmd_map_lsb_exit("monitor", 0), PL_OCF_SUCCESS);
	assert_int_equal(lrmd_map_lsb_exit("monitor", 1), PL_OCF_NOT_RUNNING);
	assert_int_equal(lrmd_map_lsb_exit("monitor", 2), PL_OCF_NOT_RUNNING);
	assert_int_equal(lrmd_map_lsb_exit("status", 3), PL_OCF_NOT_RUNNING);
	assert_int_equal(lrmd_map_lsb_exit("status", 4), PL_OCF_ERR_GENERIC);
	assert_int_equal(lrmd_map_lsb_exit("status", 150), PL_OCF_ERR_INSTALLED);
	assert_int_equal(lrmd_map_lsb_exit("status", 151), PL_OCF_ERR_PERM);
	/* other actions: LSB 0-7 equal OCF 0-7 */
	assert_int_equal(lrmd_map_lsb_exit("start", 0), PL_OCF_SUCCESS);
	assert_int_equal(lrmd_map_lsb_exit("start", 1), PL_OCF_ERR_GENERIC);
	assert_int_equal(lrmd_map_lsb_exit("start", 5), PL_OCF_ERR_INSTALLED);
	assert_int_equal(lrmd_map_lsb_exit("stop", 7), PL_OCF_NOT_RUNNING);
	assert_int_equal(lrmd_map_lsb_exit("start", 8), PL_OCF_ERR_GENERIC);
	assert_int_equal(lrmd_map_lsb_exit("start", 150), PL_OCF_ERR_GENERIC);
}

static void
test_exit_reason(void **state)
{
	char *r, big[2000];

	(void)state;
	assert_null(lrmd_parse_exit_reason(""));
	assert_null(lrmd_parse_exit_reason("some noise\nERROR: x\n"));
	assert_null(lrmd_parse_exit_reason("ocf-exit-reason:   \n"));
	r = lrmd_parse_exit_reason(
	    "noise\nocf-exit-reason:first\nmore\nocf-exit-reason:  the last one \t\nend");
	assert_string_equal(r, "the last one");
	free(r);
	/* only at the start of a line */
	r = lrmd_parse_exit_reason("x ocf-exit-reason:no\nocf-exit-reason:yes");
	assert_string_equal(r, "yes");
	free(r);
	/* bounded */
	memset(big, 'a', sizeof(big));
	memcpy(big, "ocf-exit-reason:", 16);
	big[sizeof(big) - 1] = '\0';
	r = lrmd_parse_exit_reason(big);
	assert_int_equal(strlen(r), LRMD_EXIT_REASON_MAX);
	free(r);
	/* control characters flattened */
	r = lrmd_parse_exit_reason("ocf-exit-reason:a\tb\r");
	assert_string_equal(r, "a b");
	free(r);
}

static void
test_agent_path(void **state)
{
	char *p;

	(void)state;
	lrmd_conf_init();
	free(lrmd_conf.ocf_root);
	lrmd_conf.ocf_root = strdup("/x");
	p = lrmd_agent_path("ocf", "heartbeat", "Dummy");
	assert_string_equal(p, "/x/resource.d/heartbeat/Dummy");
	free(p);
	p = lrmd_agent_path("lsb", NULL, "ssh");
	assert_string_equal(p, "/etc/init.d/ssh");
	free(p);
	/* no way out of the agent directories */
	assert_null(lrmd_agent_path("ocf", "heartbeat", "../../bin/sh"));
	assert_null(lrmd_agent_path("ocf", "..", "sh"));
	assert_null(lrmd_agent_path("ocf", NULL, "Dummy"));
	assert_null(lrmd_agent_path("lsb", NULL, ".."));
	assert_null(lrmd_agent_path("lsb", NULL, ""));
	assert_null(lrmd_agent_path("systemd", NULL, "ssh"));
	lrmd_conf_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ocf_env),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_lsb_env),
		cmocka_unit_test(test_ocf_exit_mapping),
		cmocka_unit_test(test_lsb_exit_mapping),
		cmocka_unit_test(test_exit_reason),
		cmocka_unit_test(test_agent_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
