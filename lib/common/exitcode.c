/*
 * exitcode.c - names and descriptions of Pacemaker's exit codes (see include/paceline/exitcode.h).
 * One table, generated from PL_EXIT_TABLE; lookups are a linear scan of 43 entries.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "paceline/exitcode.h"

#define PL__EXIT_ENTRY(suffix, value, text) { value, "CRM_EX_" #suffix, text },
static const struct pl_exit_entry exit_table[] = { PL_EXIT_TABLE(PL__EXIT_ENTRY) };
#undef PL__EXIT_ENTRY

#define EXIT_TABLE_LEN (sizeof(exit_table) / sizeof(exit_table[0]))

static const struct pl_exit_entry *
exit_lookup(int code)
{
	for (size_t i = 0; i < EXIT_TABLE_LEN; i++)
		if (exit_table[i].code == code)
			return &exit_table[i];
	return NULL;
}

const char *
pl_exit_name(int code)
{
	const struct pl_exit_entry *e = exit_lookup(code);

	return e != NULL ? e->name : "CRM_EX_UNKNOWN";
}

const char *
pl_exit_str(int code)
{
	const struct pl_exit_entry *e = exit_lookup(code);

	if (e != NULL)
		return e->text;
	/* Pacemaker 2.1.5 describes CRM_EX_MAX like CRM_EX_ERROR (crm_error -X 255). */
	return code == PL_EXIT_MAX ? "Error occurred" : "Unknown exit status";
}

bool
pl_exit_known(int code)
{
	return exit_lookup(code) != NULL;
}

const struct pl_exit_entry *
pl_exit_table(size_t *n)
{
	if (n != NULL)
		*n = EXIT_TABLE_LEN;
	return exit_table;
}

int
pl_exit_by_name(const char *name)
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

/* Pacemaker's legacy and standard return codes, for crm_error (see exitcode.h). */

struct rc_entry {
	int rc;
	const char *name;
	const char *text;
};

/* The errno values Pacemaker 2.1.5 knows by name (crm_error -n -l lists exactly these). */
#define ERRNO_NAMES(E)                                                                              \
	E(EPERM)                                                                                    \
	E(ENOENT)                                                                                   \
	E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN) E(       \
	    ENOMEM) E(EACCES) E(EFAULT) E(ENOTBLK) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR) \
	    E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC) E(      \
		ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EDEADLOCK) E(ENAMETOOLONG)  \
		E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENOMSG) E(EIDRM) E(ECHRNG) E(EL2NSYNC)  \
		    E(EL3HLT) E(EL3RST) E(EUNATCH) E(EL2HLT) E(EBADE) E(EBADR) E(EXFULL) E(         \
			EBADRQC) E(EBADSLT) E(ENOSTR) E(ENODATA) E(ETIME) E(ENOSR) E(ENONET)        \
			E(ENOPKG) E(EREMOTE) E(ENOLINK) E(ECOMM) E(EPROTO) E(EMULTIHOP) E(EBADMSG)  \
			    E(EOVERFLOW) E(ENOTUNIQ) E(EBADFD) E(EREMCHG) E(ELIBACC) E(ELIBBAD) E(  \
				ELIBSCN) E(ELIBMAX) E(ELIBEXEC) E(EILSEQ) E(ERESTART) E(ESTRPIPE)   \
				E(EUSERS) E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE)     \
				    E(ENOPROTOOPT) E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT) E(         \
					EOPNOTSUPP) E(EPFNOSUPPORT) E(EAFNOSUPPORT) E(EADDRINUSE)   \
					E(EADDRNOTAVAIL) E(ENETDOWN) E(ENETUNREACH)                 \
					    E(ENETRESET) E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS)   \
						E(EISCONN) E(ENOTCONN) E(ESHUTDOWN) E(ETIMEDOUT)    \
						    E(ECONNREFUSED)                                 \
							E(EHOSTDOWN) E(EHOSTUNREACH) E(EALREADY)    \
							    E(EINPROGRESS) E(ESTALE) E(EUCLEAN)     \
								E(EISNAM) E(EREMOTEIO) E(EDQUOT)    \
								    E(ENOMEDIUM) E(EMEDIUMTYPE)     \
									E(ECANCELED) E(ENOKEY)      \
									    E(EKEYEXPIRED)          \
										E(EKEYREVOKED)      \
										    E(EKEYREJECTED)

#define ERRNO_ENTRY(e) { e, #e, NULL },
static const struct rc_entry errno_table[] = { ERRNO_NAMES(ERRNO_ENTRY) };
#undef ERRNO_ENTRY

static const struct rc_entry pcmk_rc_table[] = {
	{ -1001, "pcmk_rc_error", "Error" },
	{ -1002, "pcmk_rc_unknown_format", "Unknown output format" },
	{ -1003, "pcmk_rc_bad_nvpair", "Bad name/value pair given" },
	{ -1004, "pcmk_rc_already", "Already in requested state" },
	{ -1005, "pcmk_rc_node_unknown", "Node not found" },
	{ -1006, "pcmk_rc_multiple", "Resource active on multiple nodes" },
	{ -1007, "pcmk_rc_cib_corrupt", "Could not parse on-disk configuration" },
	{ -1008, "pcmk_rc_cib_save", "Could not save new configuration to disk" },
	{ -1009, "pcmk_rc_cib_backup", "Could not archive previous configuration" },
	{ -1010, "pcmk_rc_cib_modified", "On-disk configuration was manually modified" },
	{ -1011, "pcmk_rc_diff_resync", "Application of update diff failed, requesting full refresh" },
	{ -1012, "pcmk_rc_diff_failed", "Application of update diff failed" },
	{ -1013, "pcmk_rc_old_data", "Update was older than existing configuration" },
	{ -1014, "pcmk_rc_transform_failed", "Schema transform failed" },
	{ -1015, "pcmk_rc_schema_unchanged", "Schema is already the latest available" },
	{ -1016, "pcmk_rc_schema_validation", "Update does not conform to the configured schema" },
	{ -1017, "pcmk_rc_no_quorum", "Operation requires quorum" },
	{ -1018, "pcmk_rc_ipc_unauthorized", "IPC server is blocked by unauthorized process" },
	{ -1019, "pcmk_rc_ipc_unresponsive", "IPC server is unresponsive" },
	{ -1020, "pcmk_rc_ipc_pid_only",
	    "IPC server process is active but not accepting connections" },
	{ -1021, "pcmk_rc_op_unsatisfied", "Not applicable under current conditions" },
	{ -1022, "pcmk_rc_undetermined", "Result undetermined" },
	{ -1023, "pcmk_rc_before_range", "Result occurs before given range" },
	{ -1024, "pcmk_rc_within_range", "Result occurs within given range" },
	{ -1025, "pcmk_rc_after_range", "Result occurs after given range" },
	{ -1026, "pcmk_rc_no_output", "Output message produced no output" },
	{ -1027, "pcmk_rc_no_input", "Input file not available" },
	{ -1028, "pcmk_rc_underflow", "Value too small to be stored in data type" },
	{ -1029, "pcmk_rc_dot_error", "Error writing dot(1) file" },
	{ -1030, "pcmk_rc_graph_error", "Error writing graph file" },
	{ -1031, "pcmk_rc_invalid_transition", "Cluster simulation produced invalid transition" },
	{ -1032, "pcmk_rc_unpack_error", "Unable to parse CIB XML" },
	{ -1033, "pcmk_rc_duplicate_id", "Two or more XML elements have the same ID" },
};

/* Legacy pcmk_err_* codes; 211 has a description but no name in Pacemaker 2.1.5. */
static const struct rc_entry legacy_table[] = {
	{ 201, "pcmk_err_generic", "Error" },
	{ 202, "pcmk_err_no_quorum", "Operation requires quorum" },
	{ 203, "pcmk_err_schema_validation", "Update does not conform to the configured schema" },
	{ 204, "pcmk_err_transform_failed", "Schema transform failed" },
	{ 205, "pcmk_err_old_data", "Update was older than existing configuration" },
	{ 206, "pcmk_err_diff_failed", "Application of update diff failed" },
	{ 207, "pcmk_err_diff_resync", "Application of update diff failed, requesting full refresh" },
	{ 208, "pcmk_err_cib_modified", "On-disk configuration was manually modified" },
	{ 209, "pcmk_err_cib_backup", "Could not archive previous configuration" },
	{ 210, "pcmk_err_cib_save", "Could not save new configuration to disk" },
	{ 211, "Unknown", "Schema is already the latest available" },
	{ 212, "pcmk_err_cib_corrupt", "Could not parse on-disk configuration" },
	{ 213, "pcmk_err_multiple", "Resource active on multiple nodes" },
	{ 214, "pcmk_err_node_unknown", "Node not found" },
	{ 215, "pcmk_err_already", "Already in requested state" },
	{ 216, "pcmk_err_bad_nvpair", "Bad name/value pair given" },
	{ 217, "pcmk_err_unknown_format", "Unknown output format" },
};

#define LEN(t) (sizeof(t) / sizeof((t)[0]))

static const struct rc_entry *
rc_lookup(const struct rc_entry *t, size_t n, int rc)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].rc == rc)
			return &t[i];
	return NULL;
}

const char *
pl_rc_name(int rc)
{
	const struct rc_entry *e;

	if (rc == 0)
		return "pcmk_rc_ok";
	e = rc > 0 ? rc_lookup(errno_table, LEN(errno_table), rc)
		   : rc_lookup(pcmk_rc_table, LEN(pcmk_rc_table), rc);
	return e != NULL ? e->name : "Unknown";
}

const char *
pl_rc_str(int rc)
{
	const struct rc_entry *e;

	if (rc == 0)
		return "OK";
	if (rc > 0)
		return strerror(rc);
	e = rc_lookup(pcmk_rc_table, LEN(pcmk_rc_table), rc);
	return e != NULL ? e->text : "Error";
}

/* Legacy codes are negated errno values: the sign does not matter (|INT_MIN| stays negative). */
static int
legacy_abs(int rc)
{
	return rc < 0 && rc != INT_MIN ? -rc : rc;
}

const char *
pl_legacy_rc_name(int rc)
{
	const struct rc_entry *e;

	rc = legacy_abs(rc);
	if (rc == 0)
		return "pcmk_rc_ok";
	e = rc_lookup(errno_table, LEN(errno_table), rc);
	if (e == NULL)
		e = rc_lookup(legacy_table, LEN(legacy_table), rc);
	return e != NULL ? e->name : "Unknown";
}

const char *
pl_legacy_rc_str(int rc)
{
	const struct rc_entry *e;

	rc = legacy_abs(rc);
	if (rc < 0)
		return "Error";
	e = rc_lookup(legacy_table, LEN(legacy_table), rc);
	return e != NULL ? e->text : pl_rc_str(rc);
}
