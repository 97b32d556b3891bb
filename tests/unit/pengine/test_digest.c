/* test_digest.c - operation digests: the MD5 of an operation's parameters equals the
 * op-digest values Pacemaker recorded in the scheduler corpus, and a changed definition
 * restarts a resource (a changed recurring monitor is rescheduled). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/pengine.h"
#include "paceline/xalloc.h"
#include "pengine_run.h"
#include "paceline/xml.h"

/* digest of name/value pairs given as NULL-terminated varargs */
static void
digest_of(char out[33], ...)
{
	GHashTable *p = g_hash_table_new(g_str_hash, g_str_equal);
	va_list ap;
	va_start(ap, out);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL)
		g_hash_table_insert(p, (char *)k, va_arg(ap, char *));
	va_end(ap);
	pl_pengine_params_digest(p, out);
	g_hash_table_destroy(p);
}

static void
test_recorded_digests(void **state)
{
	(void)state;
	char d[33];
	/* no parameters: the digest of most Dummy operations in the corpus */
	digest_of(d, NULL);
	assert_string_equal(d, "f2317cad3d54cec5d7d7aa7d0bf35cf8");
	/* a recurring monitor of a Dummy with the default timeout (1-a-then-bm-move-b) */
	digest_of(d, "CRM_meta_timeout", "20000", NULL);
	assert_string_equal(d, "4811cef7f7f94e3a35a70be7916cb2fd");
	/* parameters sorted by name whatever the insertion order (bnc-515172, Res_Pingd_Public) */
	digest_of(d, "name", "pingd_PUB", "multiplier", "500", "host_list",
	    "www.nu.nl www.xs4all.nl 192.168.2.20", "dampen", "5s", NULL);
	assert_string_equal(d, "58a24b574827c631954623f2e2f514bb");
	/* a recurring monitor with its own timeout (994, group_1-Filesystem_2_monitor_120000) */
	digest_of(d, "fstype", "reiserfs", "directory", "/home", "device", "/dev/drbd0",
	    "CRM_meta_timeout", "60000", NULL);
	assert_string_equal(d, "f4e8fa437a40c209b5aa6263721c7a8f");
	/* a secure digest (asymmetrical-order-restart, cesr104ipmi): secrets and pcmk_* left out */
	digest_of(d, "login", "admin", "ipaddr", "192.168.48.21", NULL);
	assert_string_equal(d, "d14015b540c7f9c28236b218d7e48232");
	/* one changed value changes the digest */
	digest_of(d, "login", "admin", "ipaddr", "192.168.48.22", NULL);
	assert_string_not_equal(d, "d14015b540c7f9c28236b218d7e48232");
}

#define OP(id, task, iv, call, rc, digest)                                                     \
	"<lrm_rsc_op id=\"" id "\" operation=\"" task "\" interval=\"" iv "\" call-id=\"" call \
	"\" rc-code=\"" rc "\" op-status=\"0\" crm_feature_set=\"3.16.0\" "                    \
	"transition-key=\"1:1:" rc ":x\" op-digest=\"" digest "\"/>"

/* r1 (a Dummy with a 10 s monitor) runs on node1 with the given digests recorded. */
static char *
run(const char *param, const char *start_digest, const char *mon_digest, bool exec)
{
	char *cib = xasprintf(
	    "<cib have-quorum=\"true\"><configuration><crm_config><cluster_property_set id=\"c\">"
	    "<nvpair id=\"s\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
	    "</crm_config><nodes><node id=\"node1\" uname=\"node1\"/></nodes><resources>"
	    "<primitive id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">%s"
	    "<operations><op id=\"m\" name=\"monitor\" interval=\"10s\"/></operations></primitive>"
	    "</resources><constraints/></configuration><status>"
	    "<node_state id=\"node1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
	    "join=\"member\" "
	    "expected=\"member\"><lrm id=\"l1\"><lrm_resources>"
	    "<lrm_resource id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" OP(
		"r1_last_0", "start", "0", "2", "0", "%s")
		OP("r1_monitor_10000", "monitor", "10000", "3", "0",
		    "%s") "</lrm_resource></lrm_resources></lrm><transient_attributes id=\"node1\">"
			  "<instance_attributes id=\"ta\"><nvpair id=\"fc\" "
			  "name=\"fail-count-r1#monitor_10000\" "
			  "value=\"1\"/></instance_attributes></transient_attributes></"
			  "node_state></status></cib>",
	    param, start_digest, mon_digest);
	char *out = pengine_run_render(cib, exec ? PENGINE_RUN_EXEC : PENGINE_RUN_SUMMARY);

	free(cib);
	return out;
}

#define NONE_DIGEST "f2317cad3d54cec5d7d7aa7d0bf35cf8"
#define MON_DIGEST  "4811cef7f7f94e3a35a70be7916cb2fd"

static void
test_unchanged_stays(void **state)
{
	(void)state;
	char *s = run("", NONE_DIGEST, MON_DIGEST, false);
	assert_null(strstr(s, "Restart"));
	free(s);
	s = run("", NONE_DIGEST, MON_DIGEST, true);
	assert_null(strstr(s, "r1")); /* nothing to do at all */
	free(s);
}

static void
test_changed_restarts(void **state)
{
	(void)state;
	/* a parameter was added since the start: the recorded digests no longer match */
	const char *p = "<instance_attributes id=\"ia\"><nvpair id=\"ia1\" name=\"state\" "
			"value=\"/x\"/></instance_attributes>";
	char *s = run(p, NONE_DIGEST, MON_DIGEST, false);
	assert_non_null(strstr(s, "Restart"));
	assert_non_null(strstr(s, "due to resource definition change"));
	free(s);
	s = run(p, NONE_DIGEST, MON_DIGEST, true);
	assert_non_null(strstr(s, "stop on node1"));
	assert_non_null(strstr(s, "start on node1"));
	assert_non_null(strstr(s, "monitor=10000 on node1"));
	/* the failures were of the old definition */
	assert_non_null(strstr(s, "clear_failcount for r1 on node1"));
	free(s);
	s = run("", NONE_DIGEST, MON_DIGEST, true);
	assert_null(strstr(s, "clear_failcount"));
	free(s);
}

static void
test_changed_monitor_rescheduled(void **state)
{
	(void)state;
	/* only the monitor's digest differs: no restart, the monitor runs again */
	char *s = run("", NONE_DIGEST, "00000000000000000000000000000000", false);
	assert_null(strstr(s, "Restart"));
	free(s);
	s = run("", NONE_DIGEST, "00000000000000000000000000000000", true);
	assert_null(strstr(s, "start on node1"));
	assert_non_null(strstr(s, "monitor=10000 on node1"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_digests),
		cmocka_unit_test(test_unchanged_stays),
		cmocka_unit_test(test_changed_restarts),
		cmocka_unit_test(test_changed_monitor_rescheduled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
