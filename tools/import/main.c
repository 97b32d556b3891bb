/*
 * main.c - paceline-import: one command per source of an old configuration.
 *
 *	paceline-import heartbeat [--dry-run] [--force] [-o DIR] HA_CF AUTHKEYS [HARESOURCES]
 *	paceline-import crmgen [--crm | --xml] [-o FILE] CSV
 *
 * The report (what each input line became, or why it did not) goes to standard error;
 * nothing is written when the input has an error. Exit codes: 0 done, 64 usage, 65 an
 * input error, 66 an input file missing, 73 an output not written, 108 an output exists
 * (heartbeat without --force).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "import.h"

#define KEY_BYTES 256

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: paceline-import heartbeat [--dry-run] [--force] [-o DIR] HA_CF "
	    "AUTHKEYS [HARESOURCES]\n"
	    "       paceline-import crmgen [--crm | --xml] [-o FILE] CSV\n\n"
	    "heartbeat: Heartbeat's ha.cf and authkeys (and a v1 haresources file) become\n"
	    "  DIR/paceline.conf, a new DIR/authkey (mode 0400) and, from haresources,\n"
	    "  DIR/cib.xml and DIR/cib.crm (default DIR /etc/paceline).\n"
	    "crmgen: a pm_crmgen CSV template (UTF-8 or Shift_JIS) becomes a crm shell file\n"
	    "  (--crm, the default: crm configure load update FILE) or a CIB (--xml:\n"
	    "  cibadmin --replace --xml-file FILE), on standard output or in FILE.\n"
	    "The report of what every input line became goes to standard error.\n");
}

/* Write DATA to PATH through a temporary file and a rename, so a reader never sees half. */
static bool
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	bool ok = fd >= 0 && fchmod(fd, mode) == 0 && write(fd, data, len) == (ssize_t)len &&
	    fsync(fd) == 0;

	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "paceline-import: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return ok;
}

static bool
random_key(unsigned char *key)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && read(fd, key, KEY_BYTES) == KEY_BYTES;

	if (fd >= 0)
		close(fd);
	return ok;
}

static int
finish_report(struct import_report *r)
{
	fputs(pl_buf_str(&r->text), stderr);
	fprintf(stderr,
	    "paceline-import: %d translated, %d with notes, %d not translated, "
	    "%d errors\n",
	    r->counts[IMPORT_INFO], r->counts[IMPORT_NOTE], r->counts[IMPORT_SKIP],
	    r->counts[IMPORT_ERR]);
	return r->counts[IMPORT_ERR] ? PL_EXIT_DATAERR : PL_EXIT_OK;
}

struct out_file {
	const char *name;
	char *data;
	size_t len;
	mode_t mode;
};

static int
heartbeat_write(const char *dir, bool force, struct out_file *files, int n)
{
	char *paths[4];
	int rc = PL_EXIT_OK;

	for (int i = 0; i < n; i++) {
		paths[i] = xasprintf("%s/%s", dir, files[i].name);
		if (!force && access(paths[i], F_OK) == 0) {
			fprintf(stderr,
			    "paceline-import: %s exists: not overwritten (--force "
			    "replaces it)\n",
			    paths[i]);
			rc = PL_EXIT_EXISTS;
		}
	}
	if (rc == PL_EXIT_OK && mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "paceline-import: cannot create %s: %s\n", dir, strerror(errno));
		rc = PL_EXIT_CANTCREAT;
	}
	for (int i = 0; i < n && rc == PL_EXIT_OK; i++) {
		if (!write_file(paths[i], files[i].data, files[i].len, files[i].mode))
			rc = PL_EXIT_CANTCREAT;
		else
			printf("wrote %s\n", paths[i]);
	}
	if (rc == PL_EXIT_OK)
		printf("\nNext: copy %s/paceline.conf and %s/authkey (mode 0400) to /etc/paceline/ "
		       "on every node%s\n",
		    dir, dir,
		    n > 2 ? "; once the cluster runs, load the "
			    "resources with: cibadmin --replace --xml-file cib.xml"
			  : ".");
	for (int i = 0; i < n; i++)
		free(paths[i]);
	return rc;
}

static int
cmd_heartbeat(int argc, char **argv)
{
	static const struct option opts[] = { { "dry-run", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *dir = "/etc/paceline";
	bool dry = false, force = false;
	struct import_files out = { 0 };
	struct import_report r = { 0 };
	unsigned char key[KEY_BYTES];
	struct out_file files[4];
	int opt, rc, n = 0;

	while ((opt = getopt_long(argc, argv, "no:fh", opts, NULL)) != -1) {
		if (opt == 'n')
			dry = true;
		else if (opt == 'f')
			force = true;
		else if (opt == 'o')
			dir = optarg;
		else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : PL_EXIT_USAGE;
		}
	}
	if (argc - optind < 2 || argc - optind > 3) {
		usage(stderr);
		return PL_EXIT_USAGE;
	}
	import_heartbeat(argv[optind], argv[optind + 1], argv[optind + 2], &out, &r);
	rc = finish_report(&r);
	if (rc == PL_EXIT_OK) {
		struct pl_buf xml = PL_BUF_INIT, crm = PL_BUF_INIT;

		files[n++] = (struct out_file){ "paceline.conf", out.conf, strlen(out.conf), 0644 };
		if (!random_key(key)) {
			fprintf(stderr, "paceline-import: cannot read /dev/urandom\n");
			rc = PL_EXIT_OSERR;
		}
		files[n++] = (struct out_file){ "authkey", (char *)key, KEY_BYTES, 0400 };
		if (argv[optind + 2] != NULL) {
			import_emit_xml(&out.cfg, &xml);
			import_emit_crm(&out.cfg, argv[optind + 2], &crm);
			files[n++] = (struct out_file){ "cib.xml", xml.s, xml.len, 0640 };
			files[n++] = (struct out_file){ "cib.crm", crm.s, crm.len, 0640 };
		}
		if (rc == PL_EXIT_OK && dry) {
			for (int i = 0; i < n; i++) {
				printf("==> %s/%s (mode %04o) <==\n", dir, files[i].name,
				    (unsigned)files[i].mode);
				if (strcmp(files[i].name, "authkey") == 0)
					printf("(%d random bytes, made when written)\n\n", KEY_BYTES);
				else
					printf("%s\n", files[i].data);
			}
		} else if (rc == PL_EXIT_OK) {
			rc = heartbeat_write(dir, force, files, n);
		}
		pl_buf_free(&xml);
		pl_buf_free(&crm);
	}
	free(out.conf);
	import_cfg_free(&out.cfg);
	import_report_free(&r);
	return rc;
}

static int
cmd_crmgen(int argc, char **argv)
{
	static const struct option opts[] = { { "crm", no_argument, NULL, 'c' },
		{ "xml", no_argument, NULL, 'x' }, { "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *outpath = NULL;
	bool xml = false;
	struct import_cfg cfg = { 0 };
	struct import_report r = { 0 };
	struct pl_buf text = PL_BUF_INIT;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "cxo:h", opts, NULL)) != -1) {
		if (opt == 'c' || opt == 'x')
			xml = opt == 'x';
		else if (opt == 'o')
			outpath = optarg;
		else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : PL_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return PL_EXIT_USAGE;
	}
	import_crmgen(argv[optind], &cfg, &r);
	rc = finish_report(&r);
	if (rc == PL_EXIT_OK) {
		if (xml)
			import_emit_xml(&cfg, &text);
		else
			import_emit_crm(&cfg, argv[optind], &text);
		if (outpath == NULL || strcmp(outpath, "-") == 0)
			fputs(pl_buf_str(&text), stdout);
		else if (!write_file(outpath, pl_buf_str(&text), text.len, 0644))
			rc = PL_EXIT_CANTCREAT;
	}
	pl_buf_free(&text);
	import_cfg_free(&cfg);
	import_report_free(&r);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "heartbeat"))
		return cmd_heartbeat(argc - 1, argv + 1);
	if (!strcmp(argv[1], "crmgen"))
		return cmd_crmgen(argc - 1, argv + 1);
	fprintf(stderr, "paceline-import: unknown source '%s' (heartbeat or crmgen)\n", argv[1]);
	return PL_EXIT_USAGE;
}
