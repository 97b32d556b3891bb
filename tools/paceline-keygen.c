/*
 * paceline-keygen - write the cluster's shared key (like corosync-keygen): 256 random bytes
 * from /dev/urandom, mode 0400, written to a temporary file and renamed into place.
 *
 *	paceline-keygen [-k FILE]      default /etc/paceline/authkey (or $PL_AUTHKEY)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/error.h"
#include "paceline/exitcode.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"

#define KEY_BYTES 256

static int
fail(const char *what, const char *path)
{
	fprintf(stderr, "paceline-keygen: %s %s: %s\n", what, path, strerror(errno));
	return PL_EXIT_CANTCREAT;
}

int
main(int argc, char **argv)
{
	const char *path = getenv("PL_AUTHKEY") ? getenv("PL_AUTHKEY") : "/etc/paceline/authkey";
	unsigned char key[KEY_BYTES];
	struct pl_error e = PL_ERROR_INIT;
	int fd, opt;
	ssize_t n;

	while ((opt = getopt(argc, argv, "k:h")) != -1) {
		if (opt == 'k') {
			path = optarg;
		} else {
			fprintf(stderr, "usage: paceline-keygen [-k FILE]\n");
			return opt == 'h' ? 0 : PL_EXIT_USAGE;
		}
	}
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, key, sizeof(key))) != (ssize_t)sizeof(key))
		return fail("cannot read", "/dev/urandom");
	close(fd);
	if (pl_write_file_atomic(path, key, sizeof(key), 0400, 0, &e) != 0) {
		fprintf(stderr, "paceline-keygen: %s\n", e.text);
		return e.code;
	}
	printf("Wrote %d-byte key to %s (mode 0400). Copy it to every node.\n", KEY_BYTES, path);
	return 0;
}
