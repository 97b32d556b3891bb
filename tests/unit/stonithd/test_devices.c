/*
 * test_devices.c - stonithd's configuration (devices.c) and history (history.c) without a
 * daemon: devices read from a CIB (top level, clone; pcmk_* parameters kept from the agent),
 * where a device may run (lib/pengine's location scores: -INFINITY and an asymmetric
 * cluster), which targets a device can fence, the topology levels by name, pattern and node
 * attribute in index order, and a history that is bounded, persisted, read back and merged.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "devices.h"
#include "history.h"
#include "paceline/buf.h"
#include "paceline/error.h"
#include "paceline/log.h"
#include "paceline/xml.h"

/* the CIB, in three pieces around the two places a test adds to it */
static const char *cib_head =
    "<cib validate-with=\"pacemaker-3.9\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\">"
    "<configuration><crm_config><cluster_property_set id=\"o\">"
    "<nvpair id=\"o1\" name=\"stonith-timeout\" value=\"90s\"/>"
    "<nvpair id=\"o2\" name=\"stonith-action\" value=\"poweroff\"/>";
static const char *cib_mid =
    "</cluster_property_set></crm_config>"
    "<nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\">"
    "<instance_attributes id=\"n2-ia\"><nvpair id=\"n2-rack\" name=\"rack\" value=\"r2\"/>"
    "</instance_attributes></node><node id=\"3\" uname=\"n3\"/></nodes>"
    "<resources>"
    "<primitive id=\"ipmi\" class=\"stonith\" type=\"fence_ipmilan\"><instance_attributes id=\"i\">"
    "<nvpair id=\"i1\" name=\"ip\" value=\"10.0.0.1\"/>"
    "<nvpair id=\"i2\" name=\"pcmk_host_map\" value=\"n1:port1;n2=port2\"/>"
    "<nvpair id=\"i3\" name=\"pcmk_delay_max\" value=\"10s\"/>"
    "<nvpair id=\"i4\" name=\"pcmk_reboot_action\" value=\"off\"/>"
    "</instance_attributes></primitive>"
    "<clone id=\"fencing\"><primitive id=\"st-null\" class=\"stonith\" type=\"null\">"
    "<instance_attributes id=\"s\"><nvpair id=\"s1\" name=\"hostlist\" value=\"n1 n2 n3\"/>"
    "</instance_attributes></primitive></clone>"
    "<primitive id=\"d\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\"/>"
    "</resources>"
    "<constraints><rsc_location id=\"l1\" rsc=\"ipmi\" node=\"n2\" score=\"-INFINITY\"/>";
static const char *cib_tail =
    "</constraints>"
    "<fencing-topology>"
    "<fencing-level id=\"f2\" target=\"n1\" index=\"2\" devices=\"st-null\"/>"
    "<fencing-level id=\"f1\" target=\"n1\" index=\"1\" devices=\"ipmi,st-null\"/>"
    "<fencing-level id=\"f3\" target-pattern=\"^n[23]$\" index=\"1\" devices=\"st-null\"/>"
    "<fencing-level id=\"f4\" target-attribute=\"rack\" target-value=\"r2\" index=\"2\" "
    "devices=\"ipmi\"/>"
    "</fencing-topology>"
    "</configuration><status/></cib>";

static xmlDoc *
cib(const char *extra_opt, const char *extra_constraint)
{
	char buf[8192];
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *d;

	snprintf(buf, sizeof(buf), "%s%s%s%s%s", cib_head, extra_opt, cib_mid, extra_constraint,
	    cib_tail);
	d = pl_xml_parse_string(buf, "test cib", &err);
	assert_non_null(d);
	return d;
}

static void
test_devices_from_cib(void **state)
{
	struct stonithd_config c1 = { 0 }, c2 = { 0 };
	xmlDoc *d = cib("", "");
	struct stonithd_device *ipmi, *null;

	(void)state;
	devices_load(&c1, d, "n1");
	devices_load(&c2, d, "n2");
	assert_int_equal(c1.n_devices, 2);
	assert_int_equal(c1.timeout_ms, 90000);
	assert_string_equal(c1.action, "off");
	ipmi = devices_find(&c1, "ipmi");
	null = devices_find(&c1, "st-null");
	assert_non_null(ipmi);
	assert_non_null(null);
	assert_false(ipmi->glue);
	assert_true(null->glue);
	/* pcmk_* stay ours: the agent gets ip only */
	assert_int_equal(ipmi->n_params, 1);
	assert_string_equal(ipmi->names[0], "ip");
	assert_int_equal(ipmi->delay_max_ms, 10000);
	assert_string_equal(devices_agent_action(ipmi, "reboot"), "off");
	/* host map: static list of n1 n2, ports mapped */
	assert_int_equal(ipmi->check, STONITHD_CHECK_STATIC);
	assert_true(devices_can_fence(ipmi, "n1"));
	assert_true(devices_can_fence(ipmi, "n2"));
	assert_false(devices_can_fence(ipmi, "n3"));
	assert_string_equal(devices_port(ipmi, "n2"), "port2");
	assert_string_equal(devices_port(ipmi, "n3"), "n3");
	/* pcmk_delay_base per node (two-node clusters), with a default */
	{
		const char *kv[] = { "pcmk_delay_base", "n1:0s;n2:10s;3s" };
		struct stonithd_device *dd = devices_new("dd", "fence_x", kv, 1, false);
		assert_int_equal(devices_delay_base(dd, "n1"), 0);
		assert_int_equal(devices_delay_base(dd, "n2"), 10000);
		assert_int_equal(devices_delay_base(dd, "n3"), 3000);
		devices_free_device(dd);
	}
	/* no host list: dynamic, able until the list says otherwise */
	assert_int_equal(null->check, STONITHD_CHECK_DYNAMIC);
	assert_true(devices_can_fence(null, "n3"));
	/* -INFINITY on n2: not allowed there, so n2 never offers it */
	assert_true(ipmi->allowed);
	assert_false(devices_find(&c2, "ipmi")->allowed);
	assert_false(devices_can_fence(devices_find(&c2, "ipmi"), "n1"));
	assert_true(devices_find(&c2, "st-null")->allowed);
	devices_clear(&c1);
	devices_clear(&c2);
	xmlFreeDoc(d);
}

static void
test_asymmetric(void **state)
{
	struct stonithd_config c = { 0 };
	xmlDoc *d = cib("<nvpair id=\"o3\" name=\"symmetric-cluster\" value=\"false\"/>",
	    "<rsc_location id=\"l2\" rsc=\"fencing\" node=\"n3\" score=\"10\"/>");

	(void)state;
	devices_load(&c, d, "n3");
	assert_false(devices_find(&c, "ipmi")->allowed);   /* no constraint for it on n3 */
	assert_true(devices_find(&c, "st-null")->allowed); /* its clone is allowed on n3 */
	devices_clear(&c);
	xmlFreeDoc(d);
}

static size_t
levels(struct stonithd_config *c, const char *target, char *out[9][4], size_t n_dev[9])
{
	char **lv[9];
	size_t n = devices_levels_for(c, target, lv, n_dev, 9);

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n_dev[i] && k < 4; k++)
			out[i][k] = lv[i][k];
		free(lv[i]);
	}
	return n;
}

static void
test_topology(void **state)
{
	struct stonithd_config c = { 0 };
	xmlDoc *d = cib("", "");
	char *lv[9][4] = { { 0 } };
	size_t nd[9], n;

	(void)state;
	devices_load(&c, d, "n1");
	n = levels(&c, "n1", lv, nd);
	assert_int_equal(n, 2); /* by index, not document order */
	assert_int_equal(nd[0], 2);
	assert_string_equal(lv[0][0], "ipmi");
	assert_string_equal(lv[0][1], "st-null");
	assert_string_equal(lv[1][0], "st-null");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nd[i]; k++)
			free(lv[i][k]);
	/* n2: the pattern (index 1) and its rack attribute (index 2) */
	n = levels(&c, "n2", lv, nd);
	assert_int_equal(n, 2);
	assert_string_equal(lv[0][0], "st-null");
	assert_string_equal(lv[1][0], "ipmi");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nd[i]; k++)
			free(lv[i][k]);
	assert_int_equal(levels(&c, "n4", lv, nd), 0);
	devices_clear(&c);
	xmlFreeDoc(d);
}

static struct stonithd_result
result(uint64_t id, const char *target, int rc, uint64_t when)
{
	struct stonithd_result r = {
		.id = id,
		.target = target,
		.action = "reboot",
		.client = "crmd",
		.origin = "n1",
		.delegate = "n2",
		.device = "ipmi",
		.rc = (enum stonithd_rc)rc,
		.reason = rc ? "agent <failed> & \"said so\"" : "",
		.completed_ms = when,
	};
	return r;
}

static void
test_history(void **state)
{
	char dir[] = "/tmp/pl-stonithd-hist.XXXXXX";
	struct pl_buf b = { 0 }, other = { 0 };
	struct stonithd_result r;
	char *path;

	(void)state;
	assert_non_null(mkdtemp(dir));
	history_open(dir);
	for (uint64_t i = 1; i <= HISTORY_MAX + 20; i++) {
		r = result(i, i % 2 ? "n1" : "n2", (int)(i % 3 == 0), 1000 * i);
		history_add(&r);
	}
	assert_int_equal(history_count(), HISTORY_MAX); /* the oldest went first */
	history_xml("n1", &b);
	assert_non_null(strstr(
	    pl_buf_str(&b), "exit-reason=\"agent &lt;failed&gt; &amp; &quot;said so&quot;\""));
	assert_null(strstr(pl_buf_str(&b), "id=\"0000000000000001\"")); /* dropped by the bound */
	pl_buf_free(&b);
	history_close();
	/* read back after a restart */
	history_open(dir);
	assert_int_equal(history_count(), HISTORY_MAX);
	history_cleanup("n2");
	assert_int_equal(history_count(), HISTORY_MAX / 2);
	/* merging another node's history adds only what is new, in time order */
	history_xml(NULL, &other);
	assert_int_equal(history_merge(pl_buf_str(&other)), 0);
	pl_buf_free(&other);
	assert_int_equal(history_merge("<fence-history><fence_event id=\"00000002ffffffff\" "
				       "target=\"n3\" action=\"off\" rc=\"0\" completed-ms=\"5\"/>"
				       "</fence-history>"),
	    1);
	assert_int_equal(history_merge("<not-history/>"), -1);
	history_xml("n3", &b);
	assert_non_null(strstr(pl_buf_str(&b), "action=\"off\""));
	pl_buf_free(&b);
	history_close();
	/* a corrupt file is set aside, not used */
	path = malloc(strlen(dir) + 32);
	sprintf(path, "%s/history.xml", dir);
	FILE *f = fopen(path, "w");
	fputs("<fence-history><fence_event", f);
	fclose(f);
	history_open(dir);
	assert_int_equal(history_count(), 0);
	history_close();
	strcat(path, ".bad");
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	sprintf(path, "%s/history.xml", dir);
	unlink(path);
	rmdir(dir);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devices_from_cib),
		cmocka_unit_test(test_asymmetric),
		cmocka_unit_test(test_topology),
		cmocka_unit_test(test_history),
	};

	log_init("stonithd-test");
	log_set_level(PL_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
