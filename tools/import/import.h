/*
 * import.h - paceline-import: bring a Heartbeat or pm_crmgen configuration over in one step.
 *
 * Both importers fill one model of a cluster configuration (struct import_cfg: nodes,
 * properties, resource defaults, resources, constraints); two emitters turn that model into a
 * crm shell file (what `crm configure load update` reads) and into CIB XML (what
 * `cibadmin --replace --xml-file` loads), so the two outputs never disagree.
 *
 * Every input line is accounted for in a report (struct import_report): a note per directive
 * or row that was translated, changed or left out, each with its file and line (and column
 * for CSV), so nothing is dropped silently.
 *
 *	heartbeat:  ha.cf + authkeys (+ haresources) -> paceline.conf, authkey, CIB
 *	crmgen:     pm_crmgen CSV template             -> crm file or CIB XML
 */
#ifndef PACELINE_IMPORT_H
#define PACELINE_IMPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "paceline/buf.h"

/* ---- the report ------------------------------------------------------------------------- */

enum import_level {
	IMPORT_INFO, /* translated, said for the record */
	IMPORT_NOTE, /* translated with a change of meaning the user should know */
	IMPORT_SKIP, /* not translated, with the reason */
	IMPORT_ERR,  /* the input is wrong: nothing is written */
};

struct import_report {
	struct pl_buf text;
	int counts[IMPORT_ERR + 1];
};

void import_say(struct import_report *r, enum import_level lvl, const char *file, long line,
    int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void import_vsay(struct import_report *r, enum import_level lvl, const char *file, long line,
    int col, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
void import_report_free(struct import_report *r);

/* ---- the configuration model ------------------------------------------------------------ */

struct import_nv {
	char *name;
	char *value;
};

struct import_nvlist {
	struct import_nv *v;
	size_t n;
};

void import_nv_set(struct import_nvlist *l, const char *name, const char *value);
const char *import_nv_get(const struct import_nvlist *l, const char *name);

enum import_rsc_kind { IMPORT_PRIMITIVE, IMPORT_GROUP, IMPORT_CLONE, IMPORT_MS };

struct import_op {
	char *name;		    /* start, monitor, stop, promote ... */
	struct import_nvlist attrs; /* interval, timeout, on-fail, role ... */
};

struct import_rsc {
	enum import_rsc_kind kind;
	char *id;
	char *cls, *provider, *type; /* primitives */
	struct import_nvlist params, meta, util;
	struct import_op *ops;
	size_t n_ops;
	char **children; /* ids, in order (groups, clones) */
	size_t n_children;
	char *parent; /* id of the group/clone holding it, or NULL */
	long line;    /* where it was defined, for messages */
};

struct import_expr {
	char *attr, *op, *value; /* value NULL for defined / not_defined */
};

struct import_rule {
	char *score;
	char *role;    /* NULL = any */
	char *bool_op; /* "and" / "or" (NULL with one expression) */
	struct import_expr *exprs;
	size_t n_exprs;
};

struct import_location {
	char *id, *rsc;
	char *node, *score;	   /* the simple form: prefer node with score */
	struct import_rule *rules; /* or rules */
	size_t n_rules;
};

struct import_colocation {
	char *id, *score, *rsc, *rsc_role, *with, *with_role;
};

struct import_order {
	char *id, *score, *first, *first_action, *then, *then_action, *symmetrical;
};

struct import_node {
	char *uname, *type;
	struct import_nvlist attrs, util;
};

struct import_cfg {
	struct import_node *nodes;
	size_t n_nodes;
	struct import_nvlist props, rsc_defaults;
	struct import_rsc *rscs; /* definition order; children refer to ids */
	size_t n_rscs;
	struct import_location *locs;
	size_t n_locs;
	struct import_colocation *colocs;
	size_t n_colocs;
	struct import_order *orders;
	size_t n_orders;
};

struct import_rsc *import_rsc_add(
    struct import_cfg *c, enum import_rsc_kind kind, const char *id, long line);
struct import_rsc *import_rsc_find(const struct import_cfg *c, const char *id);
void import_rsc_add_child(struct import_cfg *c, struct import_rsc *parent, const char *child);
struct import_op *import_op_add(struct import_rsc *r, const char *name);
struct import_node *import_node_get(struct import_cfg *c, const char *uname);
struct import_location *import_location_add(struct import_cfg *c, const char *id, const char *rsc);
struct import_rule *import_rule_add(struct import_location *l, const char *score);
void import_expr_add(struct import_rule *r, const char *attr, const char *op, const char *value);
struct import_colocation *import_colocation_add(
    struct import_cfg *c, const char *id, const char *score, const char *rsc, const char *with);
struct import_order *import_order_add(
    struct import_cfg *c, const char *id, const char *score, const char *first, const char *then);
bool import_cfg_empty(const struct import_cfg *c);
void import_cfg_free(struct import_cfg *c);

/* Emitters (emit_crm.c, emit_xml.c): append to out. */
void import_emit_crm(const struct import_cfg *c, const char *origin, struct pl_buf *out);
void import_emit_xml(const struct import_cfg *c, struct pl_buf *out);

/* ---- the importers ----------------------------------------------------------------------- */

struct import_files {
	char *conf;	       /* paceline.conf text, or NULL */
	bool want_key;	       /* write a fresh authkey */
	struct import_cfg cfg; /* the CIB to load */
};

/* heartbeat.c: ha.cf + authkeys (+ haresources); false when an error was reported. */
bool import_heartbeat(const char *hacf, const char *authkeys, const char *haresources,
    struct import_files *out, struct import_report *r);
/* haresources.c: the v1 resource file into the model; ping hosts gate every group. */
bool import_haresources(const char *path, struct import_cfg *c, const char *const *ping_hosts,
    size_t n_ping, struct import_report *r);
/* crmgen.c: a pm_crmgen CSV template into the model. */
bool import_crmgen(const char *path, struct import_cfg *c, struct import_report *r);

/* csv.c: a whole CSV file as rows of fields, decoded to UTF-8 (UTF-8 or Shift_JIS input). */
struct import_csv_row {
	long line; /* the line the row starts on */
	char **f;
	size_t n;
};

struct import_csv {
	struct import_csv_row *rows;
	size_t n;
	const char *encoding; /* "UTF-8" or "Shift_JIS" */
};

bool import_csv_read(const char *path, struct import_csv *csv, struct import_report *r);
void import_csv_free(struct import_csv *csv);
const char *import_csv_col(int col, char buf[8]); /* 0 -> "A", 26 -> "AA" */

/* true if text is UTF-8 without control characters (tab, CR, LF allowed); else an error
 * naming the line. Everything an importer reads passes here before it can reach a CIB. */
bool import_text_check(const char *path, const char *text, size_t len, struct import_report *r);

/* Small string helpers shared by the importers. */
char *import_trim(char *s);
bool import_is_ipv4(const char *s);
void import_sanitize_id(char *s); /* make a string a valid XML id (letters, digits, _ - .) */

#endif
