/*
 * cib.h - the Cluster Information Base as a library: Pacemaker's CIB XML document, the
 * operations Pacemaker's CIB manager offers on it (query, create, modify, replace, delete,
 * erase, bump, apply a patch), its version rules, v2 patchsets (the XML `crm_diff` prints),
 * RelaxNG validation against the project's own schema, the configuration checks of
 * crm_verify, and crash-safe persistence (cib.xml + digest + numbered backups).
 *
 * Every operation works on a copy and swaps it in only when the whole update succeeded
 * (operation, version rule, schema): a rejected update leaves the CIB exactly as it was.
 * The library does no replication and no IPC; paceline-cib wraps it (docs/design/cib.md).
 */
#ifndef PACELINE_CIB_H
#define PACELINE_CIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <libxml/tree.h>

#include "paceline/error.h"

/* ---- the document ---------------------------------------------------------------------- */

struct pl_cib_version {
	long admin_epoch;
	long epoch;
	long num_updates;
};

struct pl_cib;

/* An empty CIB (configuration sections, empty status), validate-with="pacemaker-3.9". */
struct pl_cib *pl_cib_new_empty(void);
/* Take ownership of doc (freed on error). The root must be <cib>; missing version
 * attributes count as 0 and are written out. */
struct pl_cib *pl_cib_adopt(xmlDoc *doc, struct pl_error *e);
struct pl_cib *pl_cib_parse_file(const char *path, struct pl_error *e);
struct pl_cib *pl_cib_parse_string(const char *text, struct pl_error *e);
void pl_cib_free(struct pl_cib *cib);

xmlDoc *pl_cib_doc(const struct pl_cib *cib);
xmlNode *pl_cib_root(const struct pl_cib *cib);
void pl_cib_get_version(const struct pl_cib *cib, struct pl_cib_version *v);
/* Version of any <cib> element (missing attributes are 0). */
void pl_cib_xml_version(const xmlNode *cib_root, struct pl_cib_version *v);
/* <0, 0, >0 comparing (admin_epoch, epoch, num_updates) in that order. */
int pl_cib_version_cmp(const struct pl_cib_version *a, const struct pl_cib_version *b);
/* Validate every update against the schema named by validate-with (default on). */
void pl_cib_set_validation(struct pl_cib *cib, bool on);

/* Sections as cibadmin -o names them ("configuration", "nodes", "resources", "constraints",
 * "crm_config", "rsc_defaults", "op_defaults", "acls", "fencing-topology", "tags", "alerts",
 * "status"); NULL or "cib" is the whole document. NULL when the name is unknown. */
const char *pl_cib_section_xpath(const char *section);
bool pl_cib_section_valid(const char *section);
/* The path (Pacemaker's form, /cib/configuration/resources/primitive[@id='x']) of every
 * element an XPath selects, each passed to `each` in document order (cibadmin -e). Bounded as
 * every XPath here is (a costly expression is evaluated in a child process and stopped after
 * 2 s): 0, or 64 (does not compile or selects no elements) or 124 (stopped), e set. */
int pl_cib_xpath_paths(struct pl_cib *cib, const char *xpath,
    void (*each)(const char *path, void *arg), void *arg, struct pl_error *e);

/* ---- operations ------------------------------------------------------------------------ */

enum pl_cib_op {
	PL_CIB_OP_QUERY,
	PL_CIB_OP_CREATE,      /* add input under the section; 108 if the id exists there */
	PL_CIB_OP_MODIFY,      /* merge input into the element of the same name and id */
	PL_CIB_OP_REPLACE,     /* replace the element of the same name and id (or whole CIB) */
	PL_CIB_OP_DELETE,      /* delete the first element whose name and attributes match */
	PL_CIB_OP_ERASE,       /* empty configuration and status; admin_epoch + 1 */
	PL_CIB_OP_BUMP,	       /* epoch + 1 */
	PL_CIB_OP_APPLY_PATCH, /* input is a v2 patchset (<diff format="2">) */
};

enum pl_cib_flag {
	PL_CIB_F_NO_CHILDREN = 1 << 0,	/* query: elements without their children */
	PL_CIB_F_ALLOW_CREATE = 1 << 1, /* modify: create the target when missing (-c) */
	PL_CIB_F_ALL_MATCHES = 1 << 2,	/* xpath delete/modify: every match, not just the first */
	PL_CIB_F_FORCE = 1 << 3,	/* erase: required, as cibadmin --force */
	PL_CIB_F_SYNC = 1 << 4,		/* replace of the whole CIB from a peer's copy: taken as
					 * is (version included, may be older), still validated */
};

struct pl_cib_request {
	enum pl_cib_op op;
	const char *section;  /* cibadmin -o, NULL = whole CIB */
	const char *xpath;    /* cibadmin -A, instead of section */
	const xmlNode *input; /* the XML the operation works with (not consumed) */
	unsigned flags;	      /* enum pl_cib_flag */
	/* Stamps: when client is set, a configuration change also sets cib-last-written,
	 * update-origin, update-client and update-user (Pacemaker's file mode sets none). */
	const char *origin;
	const char *client;
	const char *user;
	/* Time for cib-last-written (seconds since the epoch); 0 = now. Replicas applying the
	 * same request must pass the sender's time so that they stay byte-identical. */
	long long when;
};

/* Perform req. Queries fill *output (a new node, caller frees with xmlFreeNode).
 * Updates fill *patchset (if non-NULL) with the v2 patchset of what changed, NULL when
 * nothing changed. Returns 0 or a PL_EXIT_* code with e set:
 *   64 usage (bad section, -E without force), 65 data error (malformed input or patch),
 *   78 schema violation, 103 older than the current version, 105 no such object,
 *   108 object exists, 104 patch does not apply to this version. */
int pl_cib_perform(struct pl_cib *cib, const struct pl_cib_request *req, xmlNode **output,
    xmlNode **patchset, struct pl_error *e);

/* Pacemaker's attribute increments: "value++" and "value+=N" (scores, saturating at
 * +/-INFINITY = 1000000) applied to target's current value (missing = 0). Returns true when
 * value was an increment and has been applied. */
bool pl_cib_expand_increment(xmlNode *target, const char *name, const char *value);

/* The feature set Paceline's CIB speaks: Pacemaker 2.1.5's, as Debian's build reports it. */
#define PL_CIB_FEATURE_SET "3.16.1"

/* ---- v2 patchsets ---------------------------------------------------------------------- */

/* The v2 patchset turning old into new (both <cib> roots, or any two elements of the same
 * name). with_version adds the <version> block and the version attributes; without it the
 * patch carries no versions (crm_diff --no-version). NULL when the documents are equal. */
xmlNode *pl_cib_diff_create(const xmlNode *old_root, const xmlNode *new_root, bool with_version);
/* The same with options: PL_CIB_DIFF_VERSION (with_version above) and PL_CIB_DIFF_ATTR_MOVES
 * (an attribute whose position changed counts as set, as crm_diff without --cib reports it;
 * the CIB manager, like Pacemaker's, ignores attribute order) and PL_CIB_DIFF_FIRST_MATCH (an
 * id-less element is compared with the first of its name, as Pacemaker's crm_diff does; such a
 * patch may not rebuild new when id-less siblings share a name, so the CIB manager, whose
 * patches replicas apply, matches the k-th id-less sibling of a name with the k-th). */
enum { PL_CIB_DIFF_VERSION = 1, PL_CIB_DIFF_ATTR_MOVES = 2, PL_CIB_DIFF_FIRST_MATCH = 4 };
xmlNode *pl_cib_diff_create_full(const xmlNode *old_root, const xmlNode *new_root, unsigned opts);
/* Apply patch to root in place (a v1 patch as pl_cib_diff_v1_apply after its version
 * check, without a digest check). A versioned patch must start from root's version (104
 * otherwise, 103 if it is older). Returns 0 or an exit code with e set; on error root may
 * be half-changed, so apply to a copy (pl_cib_perform does). */
int pl_cib_diff_apply(xmlNode *root, const xmlNode *patch, struct pl_error *e);

/* Pacemaker's filterable attributes, those that record who changed what and when
 * (crm-debug-origin, cib-last-written, update-origin, update-client, update-user): digests
 * leave them out and v1 patches do not compare them. */
bool pl_cib_attr_filtered(const char *name);

/* ---- v1 patches (lib/cib/cib_diff_v1.c) ------------------------------------------------ */

/* Pacemaker's v1 patch turning old into new (<diff format="1"> with <diff-removed> and
 * <diff-added>, crm_feature_set = the writer's feature_set), as its crm_diff writes for an
 * original whose feature set is missing or not above 3.0.8; config_changed (something at or
 * under /cib/configuration changed) puts all old counters on the removed <cib>. NULL when the
 * documents differ in no way the format records (moves and attribute order are not). */
xmlNode *pl_cib_diff_v1_create(
    const xmlNode *old_root, const xmlNode *new_root, const char *feature_set, bool config_changed);
/* A patch without a format, or format="1". */
bool pl_cib_diff_is_v1(const xmlNode *patch);
/* Pacemaker's version check of a v1 patch against root: 0, 103 (root is newer than the
 * patch's source, or the patch does not move the version on) or 104 (root is older). */
int pl_cib_diff_v1_check_version(const xmlNode *root, const xmlNode *patch, struct pl_error *e);
/* Apply a v1 patch to root in place (no version check). Returns 0, with e's text set when a
 * new node of the patch had no place (Pacemaker only logs that), or 65 for a non-v1 patch. */
int pl_cib_diff_v1_apply(xmlNode *root, const xmlNode *patch, struct pl_error *e);

/* ---- schema ---------------------------------------------------------------------------- */

/* Where the .rng files are: $PACELINE_SCHEMA_DIR, the installed directory, or the source
 * tree's schemas/ (for running from the build tree). */
const char *pl_cib_schema_dir(void);
/* The schemas Pacemaker 2.1.5 knows, oldest first: 0 "pacemaker-1.0", 1 "pacemaker-1.2", ...
 * 23 "pacemaker-3.9" (the latest, the target of upgrades), 24 "pacemaker-next". */
int pl_cib_schema_count(void);
const char *pl_cib_schema_name(int index);
/* index of a name (case-insensitive), -1 when unknown ("none" included) */
int pl_cib_schema_index(const char *validate_with);
int pl_cib_schema_latest(void);
/* true for the validate-with values a schema exists for (pl_cib_schema_index >= 0) */
bool pl_cib_schema_supported(const char *validate_with);
/* Validate doc against schema index; *messages (if given) receives every problem in
 * libxml2's wording ("element rsc_order: Relax-NG validity error : Invalid attribute ..."),
 * one per line. Returns 0 or 78. */
int pl_cib_validate_as(xmlDoc *doc, int index, char **messages);
/* Where the tries against every schema of a document without validate-with are printed
 * (Pacemaker's tools print them on stderr); NULL (the default) prints nothing. located puts
 * libxml2's "FILE:LINE: " first when the document was read from a file (Pacemaker's
 * crm_simulate validates the file it read; the CIB manager a copy without a name). */
void pl_cib_schema_set_echo(FILE *fp, bool located);
/* Validate doc against the schema named by its validate-with. Returns 0, 78 with the first
 * problem in e ("element primitive, line 12: ..."), or 78 for unknown schemas.
 * validate-with="none" passes (callers decide whether to warn); a document without
 * validate-with is tried against each schema and gets validate-with="none" (Pacemaker). */
int pl_cib_validate(xmlDoc *doc, struct pl_error *e);
/* Collect every validation message (one per line) into *messages (caller frees). */
int pl_cib_validate_all(xmlDoc *doc, char **messages);
void pl_cib_schema_cleanup(void);

/* ---- upgrades (lib/cib/cib_upgrade.c) ------------------------------------------------------ */

/* How an upgrade reports: say() gets Pacemaker's log lines (fn "update_validation" or
 * "apply_upgrade", level "trace"/"debug"/"info"/"error", the text); raw (if set) gets what
 * Pacemaker prints as is: the transformations' notes ("INFO: ...") and the final "Cannot
 * upgrade ..." line, and with echo_errors each failed validation's messages. */
struct pl_cib_upgrade_log {
	void (*say)(void *arg, const char *fn, const char *level, const char *text);
	void *arg;
	FILE *raw;
	bool echo_errors;
};
/* Upgrade *doc to the newest schema it reaches (pacemaker-3.9), as Pacemaker's
 * update_validation with transformations: the 1.3 -> 2.0 and 2.10 -> 3.0 syntax changes are
 * applied when needed (*doc may be replaced), validate-with names the result. *from gets the
 * index of the claimed schema (-1 unknown), *to the reached one. Returns 0, or 78 when the
 * document validates with no schema from its own to the newest (doc unchanged). */
int pl_cib_upgrade(xmlDoc **doc, const struct pl_cib_upgrade_log *log, int *from, int *to);

/* ---- crm_verify checks ----------------------------------------------------------------- */

/* ---- access control lists (cib_acl.c) ---------------------------------------------- */

/* ACLs apply to users other than root and hacluster ... */
bool pl_cib_acl_required(const char *user);
/* ... when the CIB's enable-acl option is true. */
bool pl_cib_acl_enabled(const xmlNode *cib_root, const char *user);
/* What user may read of `what` (an element of the CIB rooted at cib_root, or a copy of
 * one), as Pacemaker filters query results: unreadable attributes removed (ids kept),
 * elements with nothing readable below them removed. NULL when nothing at all is readable
 * (a user without ACLs, a deny on /cib): the query is refused (Permission denied). */
xmlDoc *pl_cib_acl_filtered_copy(const xmlNode *cib_root, const xmlNode *what, const char *user);
/* May user turn old_root into new_root? Every changed, added and removed attribute and
 * element is checked against the user's permissions on old_root (write, or an ancestor's;
 * deny wins; a new element with only an id is allowed). The version attributes of <cib>
 * count only when `versions` is set (a whole-CIB replace). Returns 0 or 4 (insufficient
 * privileges); `trace` (may be NULL) receives Pacemaker's trace texts with the name of the
 * Pacemaker function that logs them. */
int pl_cib_acl_check_update(const xmlNode *old_root, const xmlNode *new_root, const char *user,
    bool versions, void (*trace)(const char *fn, const char *text));

/* ---- persistence ----------------------------------------------------------------------- */

/*
 * <dir>/cib.xml (the CIB without its status section) + <dir>/cib.xml.sig (hex SHA-256 of
 * the file's bytes), written as temp files + fsync + rename + fsync(dir). Before the new
 * file replaces the old one, the old pair is kept as cib-<N>.xml(.sig), N counting up in a
 * ring of `backups` files (cib.last holds the last N).
 */
struct pl_cib_store_opts {
	const char *dir;
	unsigned backups; /* 0 = default (10) */
};

int pl_cib_store_write(
    const struct pl_cib_store_opts *o, const xmlNode *cib_root, struct pl_error *e);
/* Load the newest valid copy: cib.xml if its digest matches, otherwise (the bad file is
 * renamed cib.xml.corrupt-<time>, logged) the newest backup whose digest matches. Returns
 * NULL with e set (105) when there is no valid copy at all. *used (optional) receives the
 * file name that was loaded (caller frees). */
struct pl_cib *pl_cib_store_load(const struct pl_cib_store_opts *o, char **used, struct pl_error *e);

/* A writer thread so the main loop never waits on fsync: submit() queues a copy of the
 * document (a newer submit replaces a queued one not yet started), the thread writes it.
 * notify_fd() becomes readable after each write (read it to clear); last_result() tells
 * the outcome and version of the last finished write; flush() waits for the queue. */
struct pl_cib_writer;
struct pl_cib_writer *pl_cib_writer_start(const struct pl_cib_store_opts *o);
void pl_cib_writer_submit(struct pl_cib_writer *w, const xmlNode *cib_root);
void pl_cib_writer_flush(struct pl_cib_writer *w);
int pl_cib_writer_notify_fd(const struct pl_cib_writer *w);
int pl_cib_writer_last_result(
    struct pl_cib_writer *w, struct pl_cib_version *written, struct pl_error *e);
void pl_cib_writer_stop(struct pl_cib_writer *w); /* flushes, then joins */

/* Digest of a CIB as persisted (status removed), hex SHA-256 into out[65]. */
void pl_cib_digest(const xmlNode *cib_root, char out[65]);
/* The same over the whole document, status included (what replicas compare). */
void pl_cib_digest_all(const xmlNode *cib_root, char out[65]);

#endif
