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
/* Pacemaker's MD5 digest of n (32 hex digits): with feature_set NULL or before 3.0.5 the
 * on-disk form (" " + the XML without formatting + newline), else the versioned form (the XML
 * without formatting, without crm-debug-origin, cib-last-written and update-*). */
void cibtool_digest(const xmlNode *n, const char *feature_set, char out[33]);
/* Whether the dotted feature set fs is at least major.minor.patch (false when it does not
 * parse). Digests use the newer form from 3.0.5 on, crm_diff writes v2 patches from 3.0.9. */
bool cibtool_feature_set_at_least(const char *fs, int major, int minor, int patch);
/* Pacemaker's text for an exit code ("No such device or address" for 105, ...). */
const char *cibtool_rc_text(int rc);

#endif
