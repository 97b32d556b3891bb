/*
 * notify.c - the sd_notify(3) protocol by hand: one datagram of "KEY=value" lines to the
 * AF_UNIX socket named by $NOTIFY_SOCKET ('@' = abstract namespace). Without the variable
 * (foreground, no systemd) it does nothing; no libsystemd dependency.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "launcher.h"
#include "paceline/log.h"

void
launcher_notify(const char *fmt, ...)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	char msg[512];
	size_t plen;
	va_list ap;
	int fd;

	if (path == NULL || *path == '\0')
		return;
	plen = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || plen >= sizeof(sa.sun_path)) {
		log_warnx("NOTIFY_SOCKET '%s' is not a socket path: not notifying systemd", path);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, plen);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
		(socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen)) < 0)
		log_warn("cannot notify systemd on %s", path);
	if (fd >= 0)
		close(fd);
}
