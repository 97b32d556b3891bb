/*
 * attr_tool.h - what crm_attribute and attrd_updater share: one CIB source (CIB_file, or the
 * local paceline-cib), the node name -> id lookup, the local node's name, and Pacemaker's
 * text and XML result output (--output-as).
 */
#ifndef PACELINE_ATTR_TOOL_H
#define PACELINE_ATTR_TOOL_H

#include <stdbool.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/cib_client.h"
#include "paceline/error.h"

/* ---- the CIB ---- */

struct attrtool_cib {
	const char *file;	/* CIB_file ("-" is standard input), or NULL: the daemon */
	struct pl_cib *cib;	/* file mode: the whole document */
	struct pl_cib_conn *conn; /* daemon mode */
	xmlNode *queried;	/* daemon mode: the last query's <cib> */
};

/* Open the CIB source. 0, or an exit code with e set (102 no daemon, 66 no file ...). */
int attrtool_cib_open(struct attrtool_cib *c, const char *client, struct pl_error *e);
/* The current <cib> (queried again after each update in daemon mode); NULL with e set. */
xmlNode *attrtool_cib_root(struct attrtool_cib *c, struct pl_error *e);
/* Perform an update; in file mode the file is rewritten. 0 or an exit code with e set. */
int attrtool_cib_update(struct attrtool_cib *c, const struct pl_cib_request *req, struct pl_error *e);
void attrtool_cib_close(struct attrtool_cib *c);

/* The id of the node named uname (nodes section, then status); NULL when unknown. */
const char *attrtool_node_id(xmlNode *cib, const char *uname);
/* This node's name: $PL_NODE_NAME, the membership's name for this node, or uname -n. */
const char *attrtool_local_node(void);

/* ---- output ---- */

enum attrtool_format { ATTRTOOL_TEXT, ATTRTOOL_XML };

struct attrtool_out {
	enum attrtool_format format;
	const char *tool;
	char *request; /* the command line, for <pacemaker-result request=...> */
	xmlDoc *doc;   /* XML mode: the result being built */
	char **errors; /* XML mode: error lines */
	unsigned n_errors;
};

/* false when --output-as names an unknown format (message printed). */
bool attrtool_out_init(struct attrtool_out *o, const char *tool, const char *format, int argc,
    char **argv);
/* An <attribute> element (XML), or "scope=S  name=N value=V" / V (quiet). */
void attrtool_out_attr(struct attrtool_out *o, const char *scope, const char *name,
    const char *value, const char *host, bool quiet);
/* A line of extra XML: a new child of the result with these attribute pairs (NULL-ended). */
xmlNode *attrtool_out_node(struct attrtool_out *o, const char *element, ...);
/* "TOOL: text" on stderr (text) or in <errors> (XML). */
void attrtool_out_error(struct attrtool_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Finish (XML: print the document with the status) and return rc. */
int attrtool_out_finish(struct attrtool_out *o, int rc);

/* Pacemaker's errno-style text of an exit code in "Error performing operation: ..." */
const char *attrtool_rc_text(int rc);

#endif
