/*
 * exitcode.c - names and descriptions of Pacemaker's exit codes (see include/paceline/exitcode.h).
 * One table, generated from PL_EXIT_TABLE; lookups are a linear scan of 43 entries.
 */
#include <string.h>

#include "paceline/exitcode.h"

#define PL__EXIT_ENTRY(suffix, value, text) { value, "CRM_EX_" #suffix, text },
static const struct pl_exit_entry exit_table[] = {
	PL_EXIT_TABLE(PL__EXIT_ENTRY)
};
#undef PL__EXIT_ENTRY

#define EXIT_TABLE_LEN (sizeof(exit_table) / sizeof(exit_table[0]))

static const struct pl_exit_entry *exit_lookup(int code)
{
	for (size_t i = 0; i < EXIT_TABLE_LEN; i++)
		if (exit_table[i].code == code)
			return &exit_table[i];
	return NULL;
}

const char *pl_exit_name(int code)
{
	const struct pl_exit_entry *e = exit_lookup(code);

	return e != NULL ? e->name : "CRM_EX_UNKNOWN";
}

const char *pl_exit_str(int code)
{
	const struct pl_exit_entry *e = exit_lookup(code);

	if (e != NULL)
		return e->text;
	/* Pacemaker 2.1.5 describes CRM_EX_MAX like CRM_EX_ERROR (crm_error -X 255). */
	return code == PL_EXIT_MAX ? "Error occurred" : "Unknown exit status";
}

bool pl_exit_known(int code)
{
	return exit_lookup(code) != NULL;
}

const struct pl_exit_entry *pl_exit_table(size_t *n)
{
	if (n != NULL)
		*n = EXIT_TABLE_LEN;
	return exit_table;
}

int pl_exit_by_name(const char *name)
{
	if (name == NULL)
		return -1;
	if (strncmp(name, "CRM_EX_", 7) == 0)
		name += 7;
	for (size_t i = 0; i < EXIT_TABLE_LEN; i++)
		if (strcmp(exit_table[i].name + 7, name) == 0)
			return exit_table[i].code;
	return -1;
}
