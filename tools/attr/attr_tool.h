/*
 * attr_tool.h - what crm_attribute and attrd_updater share on top of the tools' common layer
 * (tools/common/tool.h: option prologue, output, CIB source): a cached view of the CIB, the
 * node name -> id lookup, the local node's name, attribute output in Pacemaker's forms.
 */
#ifndef PACELINE_ATTR_TOOL_H
#define PACELINE_ATTR_TOOL_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/error.h"
#include "tool.h"

struct attrtool_cib {
	struct tool_cib *src;
	bool daemon; /* the local paceline-cib (not CIB_file / CIB_shadow) */
	xmlDoc *doc; /* the last fetched copy, dropped after each update */
};

/* Open the CIB source. 0, or an exit code with e set (102 no daemon, 66 no file ...). */
int attrtool_cib_open(struct attrtool_cib *c, const char *client, struct pl_error *e);
/* The current <cib>; NULL with e set. */
xmlNode *attrtool_cib_root(struct attrtool_cib *c, struct pl_error *e);
/* Perform an update (a file is rewritten). 0 or an exit code with e set. */
int attrtool_cib_update(struct attrtool_cib *c, const struct pl_cib_request *req, struct pl_error *e);
void attrtool_cib_close(struct attrtool_cib *c);

/* The id of the node named uname (nodes section, then status); NULL when unknown. */
const char *attrtool_node_id(xmlNode *cib, const char *uname);
/* This node's name: $PL_NODE_NAME, else uname -n. */
const char *attrtool_local_node(void);

/* An <attribute> element (XML), or "scope=S  name=N value=V" / V (quiet) as crm_attribute
 * prints it. */
void attrtool_out_attr(struct tool *t, const char *scope, const char *name, const char *value,
    const char *host, bool quiet);
/* "TOOL: text", on stderr (text) or in <errors> (XML). */
void attrtool_error(struct tool *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Pacemaker's errno-style text of an exit code in "Error performing operation: ..." */
const char *attrtool_rc_text(int rc);

#endif
