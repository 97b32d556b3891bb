/*
 * crm_resource.h - what the files of crm_resource share: the options, the CIB source (a file
 * through CIB_file / CIB_shadow, or the local paceline-cib), the unpacked status, and the
 * output (Pacemaker 2.1.5's text, or <pacemaker-result> with --output-as=xml).
 *
 *	main.c         options, checks, dispatch to one command
 *	rsc_cib.c      the CIB source (tools/common/tool.h): read, update (modify/delete)
 *	rsc_out.c      text and XML output, errors with their exit codes
 *	rsc_attr.c     --get/--set/--delete-parameter (--meta, --utilization)
 *	rsc_cons.c     --constraints and --stack
 *	rsc_move.c     --move, --ban, --clear (--expired), --delete
 *	rsc_show.c     --list, --list-raw, --query-xml(-raw), --locate, --why, --list-operations
 *	rsc_agents.c   standards, providers, agents, metadata, --validate and --force-*
 *	rsc_ctl.c      --cleanup, --refresh, --fail, --wait, --restart (the controller)
 */
#ifndef CRM_RESOURCE_H
#define CRM_RESOURCE_H

#include <stdbool.h>
#include <stdio.h>
#include <glib.h>
#include <libxml/tree.h>

#include "paceline/cib.h"
#include "paceline/error.h"

struct pl_pengine_run;
struct pl_cib_conn;

struct rsc_opts {
	const char *cmd; /* the command's long name ("list", "locate", ...) */
	char *cmd_arg;	 /* its argument (--get-parameter NAME, --list-agents STD, ...) */
	char *rsc, *node, *value, *set_name, *nvpair_id, *rsc_type, *lifetime;
	char *cls, *provider, *agent, *operation, *interval, *timeout;
	char *attr_set_type; /* instance_attributes, meta_attributes, utilization */
	gboolean force, quiet, promoted, expired, recursive, all;
	char **extra; /* NAME=VALUE words after the options (--digests, --validate) */
};
extern struct rsc_opts opt;

/* ---- rsc_cib.c ---- */
struct tool_cib;
struct rsc_cib {
	struct tool_cib *src;	  /* tools/common's CIB source: CIB_file, CIB_shadow or daemon */
	struct pl_cib *stdin_cib; /* CIB_file=-: read from standard input, never written */
	xmlDoc *doc;		  /* the CIB as last read (a private copy for src) */
	struct pl_pengine_run *run;
};
extern struct rsc_cib cib;
/* Open the CIB source; 0 or an exit code with the message printed. */
int rsc_cib_open(void);
void rsc_cib_close(void);
xmlNode *rsc_cib_root(void);
/* The configuration element of a resource id (primitive, group, clone, master, bundle). */
xmlNode *rsc_cib_find_rsc(const char *id);
/* Apply one operation on a section; 0 or an exit code (err set). */
int rsc_cib_update(enum pl_cib_op op, const char *section, xmlNode *input, struct pl_error *err);
/* The unpacked status (run once, again after an update); prints Pacemaker's unpack errors
 * the first time (stonith enabled without a stonith resource). NULL when it cannot run. */
struct pl_pengine_run *rsc_status(void);

/* ---- rsc_out.c: over tools/common's prologue and output (tool.h) ---- */
struct tool;
extern struct tool rsc_tool;
bool out_xml(void);
/* where text output goes (stdout or --output-to) */
FILE *out_stream(void);
/* the <pacemaker-result> being built (XML mode) */
xmlNode *out_root(void);
/* a line of text output (stdout; nothing in XML mode) */
void out_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* a line on stderr, in both modes */
void out_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record why the command fails (printed by out_finish as "crm_resource: MESSAGE"); returns rc. */
int out_fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the result and return rc. A failure prints the recorded message, then, unless
 * bare (usage errors), "Error performing operation: TEXT"; XML ends with <status>. */
int out_finish(int rc, bool bare);

/* ---- the commands: each returns the exit code ---- */
int rsc_cmd_get_param(void);
int rsc_cmd_set_param(void);
int rsc_cmd_delete_param(void);
int rsc_cmd_constraints(void);
int rsc_cmd_move(void);
int rsc_cmd_ban(void);
int rsc_cmd_clear(void);
int rsc_cmd_delete(void);
int rsc_cmd_list(void);
int rsc_cmd_list_raw(void);
int rsc_cmd_query_xml(void);
int rsc_cmd_locate(void);
int rsc_cmd_why(void);
int rsc_cmd_list_ops(void);
int rsc_cmd_digests(void);
int rsc_cmd_list_standards(void);
int rsc_cmd_list_providers(void);
int rsc_cmd_list_agents(void);
int rsc_cmd_list_alternatives(void);
int rsc_cmd_metadata(void);
int rsc_cmd_agent_action(void);
int rsc_cmd_cleanup(void);
int rsc_cmd_refresh(void);
int rsc_cmd_fail(void);
int rsc_cmd_wait(void);
int rsc_cmd_restart(void);

/* rsc_show.c: "Resource 'X' not found" (105) when id does not name a resource */
int rsc_require(const char *id);

#endif
