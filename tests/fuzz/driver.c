/*
 * driver.c - a small mutation fuzzer around LLVMFuzzerTestOneInput, for builds without
 * libFuzzer (gcc, the ASan build of scripts/test) and for ctest's bounded smoke run.
 *
 *   fuzz_SURFACE [-t SECONDS] [-n RUNS] [-s SEED] [-c CRASHDIR] [-q] SEED_FILE_OR_DIR...
 *
 * Every seed runs once as given (so tests/fuzz/crashes/SURFACE/ are regression inputs), then
 * random mutations of the seeds run until the time or run budget is spent: bit flips, random
 * and boundary bytes, deletions, duplications, splices of two seeds, truncations and
 * insertions of tokens that matter to the surfaces (XML markup, numbers, separators).
 * Before a crash ends the process (signal, abort, a sanitizer's report) the input is written
 * to CRASHDIR/crash-<surface>-<seed>-<run>, replayable as a seed. Prints one line of counts.
 */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

struct input {
	uint8_t *data;
	size_t len;
};

static struct input *seeds;
static size_t n_seeds;
static const uint8_t *cur;
static size_t cur_len;
static char crash_path[4096];

static const char *const tokens[] = {
	"<",
	">",
	"/>",
	"</",
	"=\"",
	"\"",
	"'",
	"&",
	"&amp;",
	"&e;",
	"&#0;",
	"&#xFFFF;",
	"<!--",
	"-->",
	"<![CDATA[",
	"]]>",
	"<?xml version=\"1.0\"?>",
	"<!DOCTYPE x [<!ENTITY e \"x\">]>",
	"xmlns:x=\"u\"",
	" id=\"",
	" id=\"\"",
	"<rule id=\"r\" score=\"INFINITY\">",
	"<expression ",
	"<op name=\"monitor\" interval=\"0\"/>",
	"<nvpair name=\"n\" value=\"v\"/>",
	"<node_state ",
	"<lrm_rsc_op ",
	"<primitive ",
	"<clone ",
	"<group ",
	"INFINITY",
	"-INFINITY",
	"+INFINITY",
	"0",
	"-1",
	"4294967295",
	"18446744073709551615",
	"99999999999999999999",
	"1e308",
	"nan",
	"PT1M",
	"P",
	"R5/",
	"{",
	"}",
	":",
	"\n",
	"\r\n",
	"\t",
	" ",
	"\xff",
	"\xc0\x80",
	"\0",
	"totem {\n",
	"nodelist {\n",
	"node {\n",
	"quorum {\n",
	"ring0_addr: ",
	"nodeid: ",
	"### BEGIN INIT INFO\n",
	"### END INIT INFO\n",
	"# Provides:",
	"ocf-exit-reason:",
};

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	/* xorshift64*: reproducible from -s */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd() % n);
}

static void
add_seed(const uint8_t *data, size_t len)
{
	seeds = realloc(seeds, (n_seeds + 1) * sizeof(*seeds));
	seeds[n_seeds].data = malloc(len + 1);
	if (seeds == NULL || seeds[n_seeds].data == NULL)
		abort();
	memcpy(seeds[n_seeds].data, data, len);
	seeds[n_seeds].len = len;
	n_seeds++;
}

static void
load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;

	if (f == NULL || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (64 << 20)) {
		if (f)
			fclose(f);
		return;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		abort();
	if (fread(buf, 1, (size_t)st.st_size, f) == (size_t)st.st_size)
		add_seed(buf, (size_t)st.st_size);
	free(buf);
	fclose(f);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file, or every regular file of a directory in name order (reproducible). */
static void
load(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (stat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		load_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (names == NULL || asprintf(&names[n], "%s/%s", path, e->d_name) < 0)
			abort();
		n++;
	}
	closedir(d);
	if (n == 0)
		return;
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		load_file(names[i]);
		free(names[i]);
	}
	free(names);
}

/* Async-signal-safe: write the input that is running, then let the crash proceed. */
static void
save_current(void)
{
	int fd;

	if (crash_path[0] == '\0' || cur == NULL)
		return;
	fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		size_t off = 0;

		while (off < cur_len) {
			ssize_t w = write(fd, cur + off, cur_len - off);

			if (w <= 0)
				break;
			off += (size_t)w;
		}
		close(fd);
		(void)!write(2, "fuzz: crashing input saved to ", 30);
		(void)!write(2, crash_path, strlen(crash_path));
		(void)!write(2, "\n", 1);
	}
	crash_path[0] = '\0';
}

static void
on_crash(int sig)
{
	save_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static void
mutate_once(uint8_t **buf, size_t *len, size_t *cap)
{
	size_t l = *len;
	uint8_t *b;

	if (*cap < l + 4096) {
		*cap = l + 4096;
		*buf = realloc(*buf, *cap);
		if (*buf == NULL)
			abort();
	}
	b = *buf;
	switch (below(9)) {
	case 0: /* flip a bit */
		if (l)
			b[below(l)] ^= (uint8_t)(1u << below(8));
		break;
	case 1: { /* a random or boundary byte */
		static const uint8_t edge[] = { 0, 0x7f, 0x80, 0xff, '<', '>', '"', '&', '\n', ' ' };

		if (l)
			b[below(l)] = below(2) ? (uint8_t)rnd() : edge[below(sizeof(edge))];
		break;
	}
	case 2: { /* delete a range */
		size_t at = below(l + 1), n = below(l - at + 1) % 64;

		memmove(b + at, b + at + n, l - at - n);
		*len = l - n;
		break;
	}
	case 3: { /* duplicate a range (grows nesting, repeats elements) */
		size_t at = below(l + 1), n = below(l - at + 1) % 512;

		if (l + n > *cap)
			break;
		memmove(b + at + n, b + at, l - at);
		*len = l + n;
		break;
	}
	case 4: { /* insert a token */
		const char *t = tokens[below(sizeof(tokens) / sizeof(tokens[0]))];
		size_t n = strlen(t) ? strlen(t) : 1, at = below(l + 1);

		memmove(b + at + n, b + at, l - at);
		memcpy(b + at, t, n);
		*len = l + n;
		break;
	}
	case 5: { /* splice a piece of another seed */
		const struct input *o = &seeds[below(n_seeds)];
		size_t from = below(o->len + 1), n = below(o->len - from + 1) % 1024,
		       at = below(l + 1);

		memmove(b + at + n, b + at, l - at);
		memcpy(b + at, o->data + from, n);
		*len = l + n;
		break;
	}
	case 6: /* truncate */ *len = below(l + 1); break;
	case 7: { /* overwrite with a number's digits */
		char num[24];
		int n = snprintf(num, sizeof(num), "%" PRId64, (int64_t)rnd() >> below(64));
		size_t at = below(l + 1);

		if (at + (size_t)n <= l)
			memcpy(b + at, num, (size_t)n);
		break;
	}
	default: { /* swap two bytes */
		if (l > 1) {
			size_t i = below(l), j = below(l);
			uint8_t t = b[i];

			b[i] = b[j];
			b[j] = t;
		}
		break;
	}
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
run_one(
    const uint8_t *data, size_t len, const char *dir, const char *name, uint64_t seed, uint64_t run)
{
	cur = data;
	cur_len = len;
	if (dir != NULL)
		snprintf(crash_path, sizeof(crash_path), "%s/crash-%s-%" PRIu64 "-%" PRIu64, dir,
		    name, seed, run);
	LLVMFuzzerTestOneInput(data, len);
	cur = NULL;
}

int
main(int argc, char **argv)
{
	double seconds = 10, t0;
	uint64_t max_runs = UINT64_MAX, seed = (uint64_t)time(NULL), runs = 0;
	const char *crash_dir = NULL, *name = strrchr(argv[0], '/');
	bool quiet = false;
	int opt;
	uint8_t *buf = NULL;
	size_t cap = 0;

	name = name ? name + 1 : argv[0];
	while ((opt = getopt(argc, argv, "t:n:s:c:q")) != -1) {
		switch (opt) {
		case 't': seconds = atof(optarg); break;
		case 'n': max_runs = strtoull(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'c': crash_dir = optarg; break;
		case 'q': quiet = true; break;
		default:
			fprintf(stderr,
			    "usage: %s [-t SECONDS] [-n RUNS] [-s SEED] [-c CRASHDIR] "
			    "[-q] SEED_FILE_OR_DIR...\n",
			    name);
			return 64;
		}
	}
	for (int i = optind; i < argc; i++)
		load(argv[i]);
	if (n_seeds == 0)
		add_seed((const uint8_t *)"", 0);
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGILL, on_crash);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(save_current);
	t0 = now_s();
	/* the seeds as they are: the regression inputs among them must pass */
	for (size_t i = 0; i < n_seeds; i++, runs++)
		run_one(seeds[i].data, seeds[i].len, crash_dir, name, seed, runs);
	while (runs < max_runs && now_s() - t0 < seconds) {
		const struct input *s = &seeds[below(n_seeds)];
		size_t len = s->len, k = 1 + below(4);

		if (cap < len + 4096) {
			cap = len + 4096;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
		memcpy(buf, s->data, len);
		for (size_t m = 0; m < k; m++)
			mutate_once(&buf, &len, &cap);
		run_one(buf, len, crash_dir, name, seed, runs);
		runs++;
	}
	if (!quiet || runs > 0)
		printf("%s: seed %" PRIu64 ": %zu seeds, %" PRIu64 " inputs in %.1f s, no crash\n",
		    name, seed, n_seeds, runs, now_s() - t0);
	free(buf);
	for (size_t i = 0; i < n_seeds; i++)
		free(seeds[i].data);
	free(seeds);
	return 0;
}
