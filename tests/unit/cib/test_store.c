/* test_store.c - persistence: write/load, the status section is not persisted, a torn or
 * corrupt cib.xml is detected, moved aside and the newest valid backup used, an interrupted
 * write is completed, the backup ring is bounded, and the writer thread. */
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cib_test.h"

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pl-cib-store-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	cib_test_env();
	return 0;
}

static int
teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[512];

	(void)state;
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

static bool
exists(const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static int
count_prefix(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0 &&
		    strstr(de->d_name, ".sig") == NULL)
			n++;
	closedir(d);
	return n;
}

static void
write_version(struct pl_cib_store_opts *o, struct pl_cib *cib, long epoch)
{
	struct pl_error e = PL_ERROR_INIT;

	pl_xml_set_attr_int(pl_cib_root(cib), "epoch", epoch);
	assert_int_equal(pl_cib_store_write(o, pl_cib_root(cib), &e), 0);
}

static long
loaded_epoch(struct pl_cib_store_opts *o, char **used)
{
	struct pl_error e = PL_ERROR_INIT;
	struct pl_cib *cib = pl_cib_store_load(o, used, &e);
	struct pl_cib_version v;

	if (cib == NULL)
		return -1;
	pl_cib_get_version(cib, &v);
	pl_cib_free(cib);
	return v.epoch;
}

static void
test_round_trip(void **state)
{
	struct pl_cib_store_opts o = { .dir = dir };
	struct pl_cib *cib = cib_from(BASE_CIB), *back;
	struct pl_error e = PL_ERROR_INIT;
	char *used = NULL, d1[65], d2[65];

	(void)state;
	assert_int_equal(pl_cib_store_write(&o, pl_cib_root(cib), &e), 0);
	assert_true(exists("cib.xml"));
	assert_true(exists("cib.xml.sig"));
	back = pl_cib_store_load(&o, &used, &e);
	assert_non_null(back);
	assert_non_null(strstr(used, "cib.xml"));
	/* Everything but the status section. */
	assert_null(pl_xml_first_child(pl_cib_root(back), "status"));
	assert_non_null(pl_xml_find_id(pl_cib_root(back), "primitive", "a"));
	pl_cib_digest(pl_cib_root(cib), d1);
	pl_cib_digest(pl_cib_root(back), d2);
	assert_string_equal(d1, d2);
	assert_int_equal(strlen(d1), 64);
	free(used);
	pl_cib_free(back);
	pl_cib_free(cib);
}

static void
test_corrupt_uses_backup(void **state)
{
	struct pl_cib_store_opts o = { .dir = dir };
	struct pl_cib *cib = cib_from(BASE_CIB);
	char p[512], *used = NULL;
	int fd;

	(void)state;
	write_version(&o, cib, 10);
	write_version(&o, cib, 11);
	write_version(&o, cib, 12);
	assert_int_equal(loaded_epoch(&o, NULL), 12);
	/* Flip bytes in the middle of cib.xml (a torn or damaged write). */
	snprintf(p, sizeof(p), "%s/cib.xml", dir);
	fd = open(p, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "XXXX", 4, 40), 4);
	close(fd);
	assert_int_equal(loaded_epoch(&o, &used), 11); /* the newest valid backup */
	assert_non_null(strstr(used, "cib-"));
	assert_false(exists("cib.xml"));		       /* moved aside ... */
	assert_int_equal(count_prefix("cib.xml.corrupt-"), 1); /* ... and kept */
	free(used);
	/* A truncated file is detected the same way (12 was lost to the corruption above, and
	 * with no cib.xml in place the write of 13 kept no new backup). */
	write_version(&o, cib, 13);
	assert_int_equal(truncate(p, 20), 0);
	assert_int_equal(loaded_epoch(&o, NULL), 11);
	assert_int_equal(count_prefix("cib.xml.corrupt-"), 2); /* both kept */
	pl_cib_free(cib);
}

static void
test_no_copy_at_all(void **state)
{
	struct pl_cib_store_opts o = { .dir = dir };
	struct pl_error e = PL_ERROR_INIT;

	(void)state;
	assert_null(pl_cib_store_load(&o, NULL, &e));
	assert_int_equal(e.code, 105);
}

static void
test_interrupted_write(void **state)
{
	struct pl_cib_store_opts o = { .dir = dir };
	struct pl_cib *cib = cib_from(BASE_CIB);
	char a[512], b[512];

	(void)state;
	write_version(&o, cib, 20);
	write_version(&o, cib, 21);
	/* Simulate a crash after the .sig rename but before the cib.xml rename: put the old
	 * cib.xml back and leave the new file as cib.xml.tmp. */
	snprintf(a, sizeof(a), "%s/cib.xml", dir);
	snprintf(b, sizeof(b), "%s/cib.xml.tmp", dir);
	assert_int_equal(rename(a, b), 0);
	snprintf(a, sizeof(a), "%s/cib-0.xml", dir); /* the epoch 20 copy */
	snprintf(b, sizeof(b), "%s/cib.xml", dir);
	assert_int_equal(link(a, b), 0);
	assert_int_equal(loaded_epoch(&o, NULL), 21); /* the write is completed */
	assert_false(exists("cib.xml.tmp"));
	pl_cib_free(cib);
}

static void
test_backup_ring(void **state)
{
	struct pl_cib_store_opts o = { .dir = dir, .backups = 3 };
	struct pl_cib *cib = cib_from(BASE_CIB);

	(void)state;
	for (long i = 1; i <= 8; i++)
		write_version(&o, cib, i);
	assert_int_equal(count_prefix("cib-"), 3);
	assert_int_equal(loaded_epoch(&o, NULL), 8);
	pl_cib_free(cib);
}

static void
test_writer_thread(void **state)
{
	struct pl_cib_store_opts o = { .dir = dir };
	struct pl_cib *cib = cib_from(BASE_CIB);
	struct pl_cib_writer *w = pl_cib_writer_start(&o);
	struct pl_cib_version v;
	struct pl_error e = PL_ERROR_INIT;
	char byte;

	(void)state;
	for (long i = 1; i <= 20; i++) {
		pl_xml_set_attr_int(pl_cib_root(cib), "epoch", i);
		pl_cib_writer_submit(w, pl_cib_root(cib));
	}
	pl_cib_writer_flush(w);
	assert_int_equal(pl_cib_writer_last_result(w, &v, &e), 0);
	assert_int_equal(v.epoch, 20); /* the newest always ends up on disk */
	assert_true(read(pl_cib_writer_notify_fd(w), &byte, 1) == 1);
	pl_cib_writer_stop(w);
	assert_int_equal(loaded_epoch(&o, NULL), 20);
	/* A directory that cannot be written: the failure is reported, not fatal. */
	o.dir = "/proc/pl-cib-nonexistent";
	w = pl_cib_writer_start(&o);
	pl_cib_writer_submit(w, pl_cib_root(cib));
	pl_cib_writer_flush(w);
	assert_int_not_equal(pl_cib_writer_last_result(w, NULL, &e), 0);
	assert_true(strlen(e.text) > 0);
	pl_cib_writer_stop(w);
	pl_cib_free(cib);
}

/* kill -9 of a writer at any moment: a child writes versions 1, 2, 3 ... and reports each
 * finished write on a pipe; the parent kills it after k reports (so usually in the middle of
 * write k + 1) and the loader must find a valid copy of version k or newer. */
static void
test_kill_during_writes(void **state)
{
	struct pl_cib_store_opts o = { .dir = dir, .backups = 4 };

	(void)state;
	for (int k = 1; k <= 12; k++) {
		int fds[2];
		pid_t pid;
		char byte;
		long got;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct pl_cib *cib = cib_from(BASE_CIB);

			close(fds[0]);
			for (long epoch = 1000L * k;; epoch++) {
				struct pl_error e = PL_ERROR_INIT;

				pl_xml_set_attr_int(pl_cib_root(cib), "epoch", epoch);
				if (pl_cib_store_write(&o, pl_cib_root(cib), &e) != 0)
					_exit(1);
				if (write(fds[1], "w", 1) != 1)
					_exit(1);
			}
		}
		close(fds[1]);
		for (int i = 0; i < k; i++)
			assert_int_equal(read(fds[0], &byte, 1), 1);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(fds[0]);
		got = loaded_epoch(&o, NULL);
		assert_true(got >= 1000L * k + k - 1); /* the k-th finished write or a later one */
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_uses_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_copy_at_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupted_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill_during_writes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
