/*
 * log.c - the logging sink shared by every process (see include/paceline/log.h).
 *
 * One formatted line per call; the line is built once and written to each enabled
 * destination with a single write so that concurrent writers do not interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "paceline/log.h"

#define LOG_LINE_MAX 4096
#define TRACE_MAX    16

static struct {
	char role[32];
	enum pl_log_level level;
	bool to_stderr;
	bool to_syslog;
	bool timestamp;
	int facility;
	int file_fd;
	char trace[TRACE_MAX][32];
	int ntrace;
	bool trace_all;
	pl_log_hook hook;
	void *hook_arg;
} lg = { "paceline", PL_LOG_INFO, true, false, true, LOG_DAEMON, -1, { { 0 } }, 0, false, NULL, NULL };

static const char *const level_names[] = {
	[PL_LOG_ERR] = "error",
	[PL_LOG_WARNING] = "warning",
	[PL_LOG_NOTICE] = "notice",
	[PL_LOG_INFO] = "info",
	[PL_LOG_DEBUG] = "debug",
	[PL_LOG_TRACE] = "trace",
};

static const struct {
	const char *name;
	int value;
} facilities[] = {
	{ "daemon", LOG_DAEMON },
	{ "user", LOG_USER },
	{ "auth", LOG_AUTH },
	{ "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 },
	{ "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 },
};

static void
trace_from_env(void)
{
	const char *env = getenv("PL_TRACE");
	char copy[256], *save = NULL, *tok;

	if (env == NULL)
		return;
	snprintf(copy, sizeof(copy), "%s", env);
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		log_trace_enable(tok);
}

void
log_init(const char *role)
{
	const char *dbg = getenv("PL_DEBUG");

	snprintf(lg.role, sizeof(lg.role), "%s", role);
	if (dbg != NULL &&
	    (strcmp(dbg, "1") == 0 || strcmp(dbg, "yes") == 0 || strcmp(dbg, "on") == 0))
		lg.level = PL_LOG_DEBUG;
	trace_from_env();
}

const char *
log_role(void)
{
	return lg.role;
}
void
log_set_level(enum pl_log_level level)
{
	lg.level = level;
}
enum pl_log_level
log_get_level(void)
{
	return lg.level;
}
void
log_set_debug(bool on)
{
	lg.level = on ? PL_LOG_DEBUG : PL_LOG_INFO;
}
void
log_set_stderr(bool on)
{
	lg.to_stderr = on;
}
void
log_set_timestamp(bool on)
{
	lg.timestamp = on;
}
void
log_set_hook(pl_log_hook hook, void *arg)
{
	lg.hook = hook;
	lg.hook_arg = arg;
}

bool
log_set_syslog(bool on, const char *facility)
{
	size_t i;

	if (!on) {
		if (lg.to_syslog)
			closelog();
		lg.to_syslog = false;
		return true;
	}
	if (facility != NULL) {
		for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
			if (strcmp(facilities[i].name, facility) == 0)
				break;
		if (i == sizeof(facilities) / sizeof(facilities[0]))
			return false;
		lg.facility = facilities[i].value;
	}
	openlog(lg.role, LOG_PID | LOG_NDELAY, lg.facility);
	lg.to_syslog = true;
	return true;
}

bool
log_set_file(const char *path)
{
	int fd = -1;

	if (path != NULL) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd == -1)
			return false;
	}
	if (lg.file_fd != -1)
		close(lg.file_fd);
	lg.file_fd = fd;
	return true;
}

void
log_trace_enable(const char *category)
{
	if (strcmp(category, "all") == 0) {
		lg.trace_all = true;
		return;
	}
	if (lg.ntrace < TRACE_MAX)
		snprintf(lg.trace[lg.ntrace++], sizeof(lg.trace[0]), "%s", category);
}

bool
log_trace_enabled(const char *category)
{
	int i;

	if (lg.trace_all)
		return true;
	for (i = 0; i < lg.ntrace; i++)
		if (strcmp(lg.trace[i], category) == 0)
			return true;
	return false;
}

void
log_close(void)
{
	log_set_syslog(false, NULL);
	log_set_file(NULL);
	lg.hook = NULL;
}

static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere left to report a failing log sink */
		p += w;
		n -= (size_t)w;
	}
}

static void
emit_line(enum pl_log_level level, const char *msg)
{
	char line[LOG_LINE_MAX + 128], stamp[48] = "";
	struct timeval tv;
	struct tm tm;
	int n;

	if (lg.hook != NULL)
		lg.hook(level, msg, lg.hook_arg);
	if (lg.timestamp) {
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		n = (int)strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(stamp + n, sizeof(stamp) - (size_t)n, ".%03ld ", (long)(tv.tv_usec / 1000));
	}
	n = snprintf(line, sizeof(line), "%s%s[%ld]: %s: %s\n", stamp, lg.role, (long)getpid(),
	    level_names[level], msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (lg.to_stderr)
		write_all(STDERR_FILENO, line, (size_t)n);
	if (lg.file_fd != -1)
		write_all(lg.file_fd, line, (size_t)n);
	if (lg.to_syslog)
		syslog(level > PL_LOG_DEBUG ? LOG_DEBUG : (int)level, "%s: %s", level_names[level],
		    msg);
}

void
log_vemit(enum pl_log_level level, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];
	int saved = errno;
	char *nl;

	if (level > lg.level && level != PL_LOG_TRACE)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* One event, one line: a newline inside a message would forge a second entry. */
	for (nl = strchr(msg, '\n'); nl != NULL; nl = strchr(nl, '\n'))
		*nl = ' ';
	emit_line(level, msg);
	errno = saved;
}

void
log_emit(enum pl_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(level, fmt, ap);
	va_end(ap);
}

#define LOG_FN(name, level)                \
	void name(const char *fmt, ...)    \
	{                                  \
		va_list ap;                \
		va_start(ap, fmt);         \
		log_vemit(level, fmt, ap); \
		va_end(ap);                \
	}

LOG_FN(log_err, PL_LOG_ERR)
LOG_FN(log_warnx, PL_LOG_WARNING)
LOG_FN(log_notice, PL_LOG_NOTICE)
LOG_FN(log_info, PL_LOG_INFO)
LOG_FN(log_debug, PL_LOG_DEBUG)

static void
vlog_errno(enum pl_log_level level, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_emit(level, "%s: %s", msg, strerror(saved));
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_errno(PL_LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_trace_emit(const char *category, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_emit(PL_LOG_TRACE, "[%s] %s", category, msg);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_errno(PL_LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(PL_LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
