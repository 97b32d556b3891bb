/*
 * test_graph.c - the transition graph parser and its pure execution (crmd/graph.h):
 * every graph of the scheduler corpus (Pacemaker's expected graphs, ../shared) parses and
 * runs to completion with each action dispatched exactly once, within batch-limit;
 * errors name what was wrong; timeouts, failures and aborts behave as the controller needs.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <paceline/error.h>
#include <paceline/file.h>
#include <paceline/xalloc.h>

#include "graph.h"

#define ACT(id, op, node)                                                                          \
	"<rsc_op id=\"" #id "\" operation=\"" op "\" operation_key=\"r_" op "_0\" on_node=\"" node \
	"\" on_node_uuid=\"1\"><primitive id=\"r\" class=\"ocf\" provider=\"pacemaker\" "          \
	"type=\"Dummy\"/><attributes CRM_meta_timeout=\"20000\" p=\"v\"/></rsc_op>"

static const char chain[] =
    "<transition_graph cluster-delay=\"60s\" stonith-timeout=\"60s\" transition_id=\"3\">"
    "<synapse id=\"0\"><action_set>" ACT(1, "stop",
	"n1") "</action_set><inputs/></synapse>"
	      "<synapse id=\"1\"><action_set>" ACT(2, "start",
		  "n2") "</action_set>"
			"<inputs><trigger><rsc_op id=\"1\"/></trigger></inputs></synapse>"
			"<synapse id=\"2\"><action_set><pseudo_event id=\"3\" "
			"operation=\"running\" "
			"operation_key=\"g_running_0\"/></action_set>"
			"<inputs><trigger><rsc_op id=\"2\"/></trigger></inputs></synapse>"
			"</transition_graph>";

static struct graph *
parse_ok(const char *xml)
{
	struct pl_error err = PL_ERROR_INIT;
	struct graph *g = graph_parse(xml, strlen(xml), &err);

	if (!g)
		fail_msg("%s", err.text);
	return g;
}

static void
test_parse_chain(void **state)
{
	struct graph *g = parse_ok(chain);

	(void)state;
	assert_int_equal(g->transition_id, 3);
	assert_int_equal(g->cluster_delay_ms, 60000);
	assert_int_equal(g->n_synapses, 3);
	assert_int_equal(g->n_actions, 3);
	const struct graph_action *a = &g->actions[graph_find(g, 2)];
	assert_string_equal(a->operation, "start");
	assert_string_equal(a->on_node, "n2");
	assert_string_equal(a->rsc.rsc_id, "r");
	assert_string_equal(a->rsc.type, "Dummy");
	assert_int_equal(a->timeout_ms, 20000);
	assert_string_equal(pl_lrmd_params_get(&a->rsc.params, "p"), "v");
	assert_string_equal(pl_lrmd_params_get(&a->rsc.meta, "timeout"), "20000");
	assert_null(pl_lrmd_params_get(&a->rsc.params, "CRM_meta_timeout"));
	assert_int_equal(g->synapses[1].n_inputs, 1);
	assert_int_equal(graph_find(g, 99), -1);
	graph_free(g);
}

static void
test_run_chain(void **state)
{
	struct graph *g = parse_ok(chain);
	size_t out[8];

	(void)state;
	assert_int_equal(graph_ready(g, 0, out, 8), 1); /* only the stop */
	assert_int_equal(g->actions[out[0]].id, 1);
	assert_int_equal(graph_ready(g, 0, out, 8), 0); /* nothing twice */
	assert_true(graph_done(g, out[0], GRAPH_A_CONFIRMED));
	assert_false(graph_done(g, out[0], GRAPH_A_CONFIRMED)); /* a duplicate result */
	assert_int_equal(graph_ready(g, 10, out, 8), 1);
	assert_int_equal(g->actions[out[0]].deadline, 10 + 20000 + 60000);
	assert_true(graph_done(g, out[0], GRAPH_A_CONFIRMED));
	assert_int_equal(graph_ready(g, 0, out, 8), 1); /* the pseudo action */
	assert_int_equal(g->actions[out[0]].kind, GRAPH_PSEUDO);
	assert_true(graph_done(g, out[0], GRAPH_A_CONFIRMED));
	assert_true(graph_finished(g));
	assert_true(graph_complete(g));
	graph_free(g);
}

static void
test_timeout_and_failure_abort(void **state)
{
	struct graph *g = parse_ok(chain);
	size_t out[8];

	(void)state;
	assert_int_equal(graph_ready(g, 0, out, 8), 1);
	assert_int_equal(graph_next_deadline(g), 80000);
	assert_int_equal(graph_expire(g, 79999, out, 8), 0);
	assert_int_equal(graph_expire(g, 80000, out, 8), 1);
	assert_int_equal(g->actions[out[0]].state, GRAPH_A_TIMED_OUT);
	assert_true(g->aborted);
	assert_int_equal(graph_ready(g, 0, out, 8), 0);
	assert_true(graph_finished(g));
	assert_false(graph_complete(g));
	graph_free(g);

	g = parse_ok(chain);
	assert_int_equal(graph_ready(g, 0, out, 8), 1);
	graph_abort(g); /* a new event: what runs finishes, nothing new */
	assert_false(graph_finished(g));
	assert_true(graph_done(g, out[0], GRAPH_A_CONFIRMED));
	assert_int_equal(graph_ready(g, 0, out, 8), 0);
	assert_true(graph_finished(g));
	graph_free(g);
}

static void
expect_error(const char *xml, const char *needle)
{
	struct pl_error err = PL_ERROR_INIT;
	struct graph *g = graph_parse(xml, strlen(xml), &err);

	assert_null(g);
	assert_int_not_equal(err.code, 0);
	if (!strstr(err.text, needle))
		fail_msg("error '%s' lacks '%s'", err.text, needle);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	expect_error("<transition_graph", "transition graph");
	expect_error("<cib/>", "expected <transition_graph>");
	expect_error("<transition_graph><synapse id=\"4\"><action_set>" ACT(1, "start",
			 "n1") "</action_set><inputs><trigger><rsc_op id=\"7\"/></trigger></inputs>"
			       "</synapse></transition_graph>",
	    "action 7, which is not in the graph");
	expect_error("<transition_graph><synapse id=\"0\"><action_set>" ACT(1, "start",
			 "n1") "</action_set></synapse><synapse id=\"1\"><action_set>" ACT(1,
			 "stop", "n1") "</action_set></synapse></transition_graph>",
	    "action 1 appears twice");
	expect_error("<transition_graph><synapse id=\"0\"><action_set><rsc_op id=\"1\" "
		     "operation=\"start\"/></action_set></synapse></transition_graph>",
	    "has no <primitive>");
	expect_error("<transition_graph><synapse id=\"0\"><action_set><rsc_op operation=\"s\">"
		     "<primitive id=\"r\"/></rsc_op></action_set></synapse></transition_graph>",
	    "valid id");
	expect_error("<transition_graph cluster-delay=\"soon\"/>", "cluster-delay");
	expect_error("<transition_graph><synapse id=\"0\"><action_set/></synapse>"
		     "</transition_graph>",
	    "synapse 0 has no action");
	expect_error("<transition_graph><synapse id=\"0\"><action_set>"
		     "<foo id=\"1\" operation=\"x\"/></action_set></synapse></transition_graph>",
	    "unknown action element <foo>");
}

/* batch-limit 2 over five independent starts; migration-limit 1 per node */
static void
test_limits(void **state)
{
	char xml[8192];
	size_t len = 0, out[16];

	(void)state;
	len += (size_t)snprintf(xml + len, sizeof(xml) - len,
	    "<transition_graph transition_id=\"0\" batch-limit=\"2\" "
	    "migration-limit=\"1\">");
	for (int i = 0; i < 5; i++)
		len += (size_t)snprintf(xml + len, sizeof(xml) - len,
		    "<synapse id=\"%d\" priority=\"%d\"><action_set><rsc_op id=\"%d\" "
		    "operation=\"%s\" operation_key=\"k\" on_node=\"n1\" on_node_uuid=\"1\">"
		    "<primitive id=\"r%d\"/></rsc_op></action_set><inputs/></synapse>",
		    i, i, i, i < 2 ? "migrate_to" : "start", i);
	snprintf(xml + len, sizeof(xml) - len, "</transition_graph>");
	struct graph *g = parse_ok(xml);
	size_t n = graph_ready(g, 0, out, 16);
	assert_int_equal(n, 2);			    /* batch-limit */
	assert_int_equal(g->actions[out[0]].id, 4); /* highest priority first */
	int migrations = 0;
	for (size_t i = 0; i < n; i++)
		migrations += g->actions[out[i]].migration;
	assert_true(migrations <= 1);
	size_t total = n;
	while (!graph_finished(g)) {
		for (size_t i = 0; i < g->n_actions; i++)
			if (g->actions[i].state == GRAPH_A_IN_FLIGHT) {
				graph_done(g, i, GRAPH_A_CONFIRMED);
				break;
			}
		n = graph_ready(g, 0, out, 16);
		total += n;
		assert_true(g->in_flight <= 2);
	}
	assert_int_equal(total, 5);
	assert_true(graph_complete(g));
	graph_free(g);
}

/* Run a graph with results in a seeded random order; each action exactly once. */
static void
run_random(struct graph *g, unsigned seed, const char *name)
{
	size_t *out = xcalloc(g->n_actions + 1, sizeof(*out));
	unsigned *count = xcalloc(g->n_actions + 1, sizeof(*count));
	size_t *flight = xcalloc(g->n_actions + 1, sizeof(*flight));
	size_t nf = 0;

	g->batch_limit = 3;
	for (;;) {
		size_t n = graph_ready(g, 0, out, g->n_actions);

		for (size_t i = 0; i < n; i++) {
			if (++count[out[i]] > 1)
				fail_msg(
				    "%s: action %d dispatched twice", name, g->actions[out[i]].id);
			flight[nf++] = out[i];
		}
		if (!nf)
			break;
		seed = seed * 1103515245u + 12345u;
		size_t pick = (seed >> 8) % nf;
		assert_true(graph_done(g, flight[pick], GRAPH_A_CONFIRMED));
		flight[pick] = flight[--nf];
	}
	if (!graph_complete(g))
		fail_msg("%s: graph did not complete", name);
	for (size_t i = 0; i < g->n_actions; i++)
		if (count[i] != 1)
			fail_msg(
			    "%s: action %d dispatched %u times", name, g->actions[i].id, count[i]);
	free(out);
	free(count);
	free(flight);
}

static void
test_scheduler_corpus(void **state)
{
	const char *src = getenv("PL_TEST_SRCDIR");
	char dir[4096];
	DIR *d;
	struct dirent *e;
	unsigned n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/../shared/conformance/scheduler/exp", src ? src : ".");
	if (!(d = opendir(dir))) {
		print_message("no scheduler corpus at %s: skipped\n", dir);
		skip();
	}
	while ((e = readdir(d))) {
		char path[8192];
		struct pl_error err = PL_ERROR_INIT;
		size_t len;

		if (!strstr(e->d_name, ".exp"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		char *xml = pl_read_file(path, &len, &err);
		if (!xml)
			fail_msg("%s", err.text);
		struct graph *g = graph_parse(xml, len, &err);
		if (!g)
			fail_msg("%s: %s", e->d_name, err.text);
		run_random(g, n, e->d_name);
		graph_free(g);
		free(xml);
		n++;
	}
	closedir(d);
	print_message("%u graphs of the scheduler corpus parsed and run\n", n);
	assert_true(n > 500);
}

/* 1000 resources on 3 nodes (probes, start, monitor: 5000 actions) parse and run fast. */
static void
test_large_graph(void **state)
{
	size_t cap = 4 << 20, len = 0;
	char *xml = xmalloc(cap);
	int id = 0, syn = 0;
	struct timespec t0, t1;

	(void)state;
	len += (size_t)snprintf(xml + len, cap - len, "<transition_graph transition_id=\"1\">");
	for (int r = 0; r < 1000; r++) {
		int probes[3], start;

		for (int n = 0; n < 3; n++) {
			probes[n] = id++;
			len += (size_t)snprintf(xml + len, cap - len,
			    "<synapse id=\"%d\"><action_set><rsc_op id=\"%d\" "
			    "operation=\"monitor\" "
			    "operation_key=\"r%d_monitor_0\" on_node=\"n%d\" on_node_uuid=\"%d\">"
			    "<primitive id=\"r%d\" class=\"ocf\" provider=\"pacemaker\" "
			    "type=\"Dummy\"/>"
			    "<attributes CRM_meta_op_target_rc=\"7\" CRM_meta_timeout=\"20000\"/>"
			    "</rsc_op></action_set><inputs/></synapse>",
			    syn++, probes[n], r, n, n + 1, r);
		}
		start = id++;
		len += (size_t)snprintf(xml + len, cap - len,
		    "<synapse id=\"%d\"><action_set><rsc_op id=\"%d\" operation=\"start\" "
		    "operation_key=\"r%d_start_0\" on_node=\"n%d\" on_node_uuid=\"%d\">"
		    "<primitive id=\"r%d\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>"
		    "</rsc_op></action_set><inputs><trigger><rsc_op id=\"%d\"/></trigger>"
		    "<trigger><rsc_op id=\"%d\"/></trigger><trigger><rsc_op id=\"%d\"/></trigger>"
		    "</inputs></synapse>",
		    syn++, start, r, r % 3, r % 3 + 1, r, probes[0], probes[1], probes[2]);
		len += (size_t)snprintf(xml + len, cap - len,
		    "<synapse id=\"%d\"><action_set><rsc_op id=\"%d\" operation=\"monitor\" "
		    "operation_key=\"r%d_monitor_10000\" on_node=\"n%d\" on_node_uuid=\"%d\">"
		    "<primitive id=\"r%d\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>"
		    "<attributes CRM_meta_interval=\"10000\"/></rsc_op></action_set><inputs>"
		    "<trigger><rsc_op id=\"%d\"/></trigger></inputs></synapse>",
		    syn++, id++, r, r % 3, r % 3 + 1, r, start);
	}
	snprintf(xml + len, cap - len, "</transition_graph>");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct graph *g = parse_ok(xml);
	assert_int_equal(g->n_actions, 5000);
	run_random(g, 7, "large");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("5000-action graph parsed and run in %.1f ms\n", ms);
#if defined(__SANITIZE_ADDRESS__)
	assert_true(ms < 60000); /* sanitizers are slow; the check is the normal build's */
#else
	assert_true(ms < 5000); /* linear: ~100 ms; generous for a loaded machine */
#endif
	graph_free(g);
	free(xml);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_chain),
		cmocka_unit_test(test_run_chain),
		cmocka_unit_test(test_timeout_and_failure_abort),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_scheduler_corpus),
		cmocka_unit_test(test_large_graph),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
