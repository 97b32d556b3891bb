/*
 * log.h - one-line-per-event logging, tagged with the process role.
 *
 * Every line carries the role given to log_init() ("crmd", "cib", ...) and the pid.
 * Destinations: stderr (default), syslog (with a facility), and/or a file; any mix.
 * Levels follow syslog: errors and warnings always, info by default, debug when the debug
 * switch is on, trace per category (log_trace_enable("ipc"), or PL_TRACE=ipc,totem).
 *
 * Naming follows OpenBGPD: log_warn appends strerror(errno), log_warnx does not;
 * fatal/fatalx log and exit(1) (the launcher decides what happens next).
 */
#ifndef PACELINE_LOG_H
#define PACELINE_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum pl_log_level {
	PL_LOG_ERR = 3,
	PL_LOG_WARNING = 4,
	PL_LOG_NOTICE = 5,
	PL_LOG_INFO = 6,
	PL_LOG_DEBUG = 7,
	PL_LOG_TRACE = 8,
};

#define PL_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Start logging as `role` to stderr. Reads PL_DEBUG=1 and PL_TRACE=cat,cat from the environment. */
void log_init(const char *role);
const char *log_role(void);

void log_set_level(enum pl_log_level level); /* lines above this level are dropped */
enum pl_log_level log_get_level(void);
void log_set_debug(bool on); /* the debug switch: level DEBUG or INFO */
void log_set_stderr(bool on);
/* facility is a syslog name ("daemon", "local0" ... "local7", "user"); false if unknown. */
bool log_set_syslog(bool on, const char *facility);
/* Append to path (NULL closes the file). false with errno set if it cannot be opened. */
bool log_set_file(const char *path);
void log_set_timestamp(bool on);	     /* stderr/file lines start with a timestamp */
void log_trace_enable(const char *category); /* "all" enables every category */
bool log_trace_enabled(const char *category);
void log_close(void);

void log_emit(enum pl_log_level level, const char *fmt, ...) PL_PRINTF(2, 3);
void log_vemit(enum pl_log_level level, const char *fmt, va_list ap) PL_PRINTF(2, 0);

void log_err(const char *fmt, ...) PL_PRINTF(1, 2);   /* error level, no errno */
void log_warn(const char *fmt, ...) PL_PRINTF(1, 2);  /* warning + ": strerror(errno)" */
void log_warnx(const char *fmt, ...) PL_PRINTF(1, 2); /* warning */
void log_notice(const char *fmt, ...) PL_PRINTF(1, 2);
void log_info(const char *fmt, ...) PL_PRINTF(1, 2);
void log_debug(const char *fmt, ...) PL_PRINTF(1, 2);
void fatal(const char *fmt, ...) PL_PRINTF(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) PL_PRINTF(1, 2) __attribute__((noreturn));

/* Trace lines cost one branch when their category is off. */
void log_trace_emit(const char *category, const char *fmt, ...) PL_PRINTF(2, 3);
#define log_trace(category, ...)                               \
	do {                                                   \
		if (log_trace_enabled(category))               \
			log_trace_emit(category, __VA_ARGS__); \
	} while (0)

/* Tests: capture every formatted line (without timestamp) through a hook. NULL removes it. */
typedef void (*pl_log_hook)(enum pl_log_level level, const char *line, void *arg);
void log_set_hook(pl_log_hook hook, void *arg);

#endif
