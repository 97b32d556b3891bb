/*
 * test_msg_numbers.c - message numbers are stable: every message of the tables
 * (include/paceline/msg/all.def) must appear in tests/unit/ipc/msg-numbers.golden with the
 * same number, and every line of the golden list must still be in the tables.
 *
 * A message added to a .def file: append its line to the golden list (the failure prints it).
 * A number that changed: put it back; numbers are the wire protocol and never change.
 * A message removed: mark its line "retired" (its number is never reused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paceline/msgdefs.h"
#include "paceline/peer.h"

struct entry {
	char table[8];
	char name[64];
	unsigned num;
	bool retired; /* "retired" after the number: removed, number never reused */
};

static struct entry golden[1024];
static unsigned n_golden;

static void
load_golden(void)
{
	const char *src = getenv("PL_TEST_SRCDIR");
	char path[4096], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/unit/ipc/msg-numbers.golden", src ? src : ".");
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("cannot open %s (PL_TEST_SRCDIR unset?)", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		struct entry *e = &golden[n_golden];

		if (line[0] == '#' || line[0] == '\n')
			continue;
		char word[16] = "";

		if (sscanf(line, "%7s %63s %x %15s", e->table, e->name, &e->num, word) < 3)
			fail_msg("%s: malformed line: %s", path, line);
		e->retired = strcmp(word, "retired") == 0;
		if (++n_golden == sizeof(golden) / sizeof(golden[0]))
			fail_msg("%s: too many lines", path);
	}
	fclose(f);
}

static const struct entry *
find_golden(const char *table, const char *name)
{
	for (unsigned i = 0; i < n_golden; i++)
		if (strcmp(golden[i].table, table) == 0 && strcmp(golden[i].name, name) == 0)
			return &golden[i];
	return NULL;
}

static unsigned
check_table(const char *table, const char *(*name_of)(unsigned num), unsigned *seen)
{
	unsigned bad = 0;

	for (unsigned num = 1; num < PL_MSG_TYPE_LIMIT; num++) {
		const char *name = name_of(num);
		const struct entry *g;

		if (name == NULL)
			continue;
		(*seen)++;
		g = find_golden(table, name);
		if (g == NULL) {
			print_error("%s %s 0x%04x is not in msg-numbers.golden: append this line\n",
			    table, name, num);
			bad++;
		} else if (g->num != num) {
			print_error("%s %s is 0x%04x, was 0x%04x: message numbers never change\n",
			    table, name, num, g->num);
			bad++;
		}
	}
	return bad;
}

static const char *
local_name(unsigned num)
{
	const struct pl_msg_def *d = pl_msg_def(num);

	return d ? d->name : NULL;
}

static const char *
peer_name(unsigned num)
{
	const struct pl_peer_def *d = pl_peer_def(num);

	return d ? d->name : NULL;
}

static void
test_numbers_stable(void **state)
{
	unsigned bad = 0, seen = 0;

	(void)state;
	load_golden();
	bad += check_table("local", local_name, &seen);
	bad += check_table("peer", peer_name, &seen);
	for (unsigned i = 0; i < n_golden; i++) {
		const char *name = strcmp(golden[i].table, "peer") == 0 ? peer_name(golden[i].num)
									: local_name(golden[i].num);

		if (golden[i].retired && name == NULL)
			continue;
		if (name == NULL || strcmp(name, golden[i].name) != 0) {
			print_error("%s %s 0x%04x of msg-numbers.golden is gone or renamed (now "
				    "\"%s\"): a number is never reused; keep the line\n",
			    golden[i].table, golden[i].name, golden[i].num, name ? name : "nothing");
			bad++;
		}
	}
	if (bad)
		fail_msg("%u message number problem(s), see above", bad);
	(void)seen;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
