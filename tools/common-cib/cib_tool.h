/*
 * cib_tool.h - what cibadmin, crm_diff and crm_verify share: reading XML input (-x / -X / -p),
 * working on CIB_file, printing XML, and Pacemaker's texts for exit codes.
 */
#ifndef PACELINE_CIB_TOOL_H
#define PACELINE_CIB_TOOL_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/error.h"

/* Exactly one of file, string, from_stdin gives the text; NULL with e set on failure. */
char *cibtool_read_text(const char *file, const char *string, bool from_stdin, struct pl_error *e);
/* Parse text into a document (line numbers kept); NULL with e set (65) when malformed. */
xmlDoc *cibtool_parse(const char *text, const char *what, struct pl_error *e);
/* Print an element formatted, as Pacemaker's tools do (two-space indentation). */
void cibtool_print(const xmlNode *n);
/* Pacemaker's text for an exit code ("No such device or address" for 105, ...). */
const char *cibtool_rc_text(int rc);

#endif
