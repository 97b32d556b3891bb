/*
 * cib_store.c - the CIB on disk: <dir>/cib.xml (no status section) + cib.xml.sig (hex
 * SHA-256 of the file's bytes), written crash-safely, with numbered backups, and loaded with
 * the digest checked; plus a writer thread so the daemon's main loop never waits on fsync.
 *
 * Write order (each step durable before the next):
 *   cib.xml.tmp + cib.xml.sig.tmp written and fsynced
 *   old cib.xml/.sig hard-linked as cib-<N>.xml/.sig (N counts up; the oldest beyond the ring
 *   size are removed), cib.last = N
 *   rename sig.tmp -> cib.xml.sig, rename tmp -> cib.xml, fsync(dir)
 * A crash between the two renames leaves a new .sig beside the old cib.xml: the loader sees
 * the mismatch, finds cib.xml.tmp matching the new .sig and completes the rename.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>

#include "paceline/file.h"
#include "paceline/log.h"
#include "paceline/xalloc.h"
#include "cib_private.h"

#define DEFAULT_BACKUPS 10

static void
sha256_hex(const char *data, size_t len, char out[65])
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);

	g_checksum_update(ck, (const guchar *)data, (gssize)len);
	snprintf(out, 65, "%s", g_checksum_get_string(ck));
	g_checksum_free(ck);
}

/* A copy of what is persisted: the root and every child but the status section (which the
 * cluster rebuilds, and which is most of a running cluster's CIB: not worth copying). */
static xmlNode *
persisted_copy(const xmlNode *root)
{
	xmlNode *copy = xmlDocCopyNode((xmlNode *)root, NULL, 2); /* element + attributes */

	if (copy == NULL)
		abort();
	for (xmlNode *ch = root->children; ch != NULL; ch = ch->next) {
		if (ch->type == XML_ELEMENT_NODE && cib_name_is(ch, "status"))
			continue;
		xmlAddChild(copy, cib_copy(ch));
	}
	return copy;
}

/* The bytes persisted for a CIB: formatted XML without the status section. */
static char *
persisted_text(const xmlNode *root)
{
	xmlNode *copy = persisted_copy(root);
	char *text;

	text = cib_dump(copy, true);
	xmlFreeNode(copy);
	return text;
}

void
pl_cib_digest(const xmlNode *root, char out[65])
{
	char *text = persisted_text(root);

	sha256_hex(text, strlen(text), out);
	free(text);
}

void
pl_cib_digest_all(const xmlNode *root, char out[65])
{
	char *text = pl_xml_dump(root, false);

	sha256_hex(text, strlen(text), out);
	free(text);
}

static char *
path_in(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int
write_file_sync(const char *path, const char *data, size_t len, struct pl_error *e)
{
	return pl_write_file_sync(path, data, len, 0600, e);
}

static void
fsync_dir(const char *dir)
{
	struct pl_error e = PL_ERROR_INIT;

	if (pl_fsync_dir(dir, &e) != 0)
		log_warnx("cib: %s", e.text);
}

static long
read_last(const char *dir)
{
	char *p = path_in(dir, "cib.last");
	FILE *f = fopen(p, "r");
	long n = -1;

	free(p);
	if (f != NULL) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* Keep the current pair as backup N (hard links: the current file stays in place). */
static void
keep_backup(const char *dir, unsigned ring)
{
	char *cur = path_in(dir, "cib.xml"), *cursig = path_in(dir, "cib.xml.sig");
	long n = read_last(dir) + 1;
	char *b, *bs, *last, num[32];
	struct pl_error e = PL_ERROR_INIT;

	if (access(cur, F_OK) != 0)
		goto out_nofile;
	b = xasprintf("%s/cib-%ld.xml", dir, n);
	bs = xasprintf("%s/cib-%ld.xml.sig", dir, n);
	unlink(b);
	unlink(bs);
	if (link(cur, b) != 0)
		log_warn("cib: cannot keep backup %s", b);
	if (access(cursig, F_OK) == 0 && link(cursig, bs) != 0)
		log_warn("cib: cannot keep backup %s", bs);
	free(b);
	free(bs);
	if (n >= (long)ring) {
		char *old = xasprintf("%s/cib-%ld.xml", dir, n - (long)ring);
		char *olds = xasprintf("%s/cib-%ld.xml.sig", dir, n - (long)ring);

		unlink(old);
		unlink(olds);
		free(old);
		free(olds);
	}
	snprintf(num, sizeof(num), "%ld\n", n);
	/* Only names the next backup: replaced atomically, not worth an fsync of its own (the
	 * directory fsync after the CIB's renames covers the rename; losing it to a crash only
	 * restarts the numbering). */
	last = path_in(dir, "cib.last");
	if (pl_write_file_atomic(last, num, strlen(num), 0600, PL_WRITE_NOSYNC, &e) != 0)
		log_warnx("cib: %s", e.text);
	free(last);
out_nofile:
	free(cur);
	free(cursig);
}

int
pl_cib_store_write(const struct pl_cib_store_opts *o, const xmlNode *root, struct pl_error *e)
{
	char *text = persisted_text(root);
	char digest[65], sigline[80];
	char *xml = path_in(o->dir, "cib.xml"), *sig = path_in(o->dir, "cib.xml.sig");
	char *xtmp = path_in(o->dir, "cib.xml.tmp"), *stmp = path_in(o->dir, "cib.xml.sig.tmp");
	int rc;

	if (mkdir(o->dir, 0750) != 0 && errno != EEXIST) {
		pl_error_set(e, PL_EXIT_CANTCREAT, "%s: cannot create directory: %s", o->dir,
		    strerror(errno));
		rc = PL_EXIT_CANTCREAT;
		goto out;
	}
	sha256_hex(text, strlen(text), digest);
	snprintf(sigline, sizeof(sigline), "%s\n", digest);
	if ((rc = write_file_sync(xtmp, text, strlen(text), e)) != 0)
		goto out;
	if ((rc = write_file_sync(stmp, sigline, strlen(sigline), e)) != 0) {
		unlink(xtmp);
		goto out;
	}
	keep_backup(o->dir, o->backups ? o->backups : DEFAULT_BACKUPS);
	if (rename(stmp, sig) != 0 || rename(xtmp, xml) != 0) {
		pl_error_set(e, PL_EXIT_IOERR, "%s: rename failed: %s", xml, strerror(errno));
		rc = PL_EXIT_IOERR;
		goto out;
	}
	fsync_dir(o->dir);
out:
	free(text);
	free(xml);
	free(sig);
	free(xtmp);
	free(stmp);
	return rc;
}

static char *
slurp(const char *path, size_t *len)
{
	gchar *data = NULL;
	gsize l = 0;
	char *r;

	if (!g_file_get_contents(path, &data, &l, NULL))
		return NULL;
	r = xmemdup(data, l + 1);
	r[l] = '\0';
	g_free(data);
	*len = l;
	return r;
}

enum check { CHECK_OK, CHECK_MISSING, CHECK_NOSIG, CHECK_BAD };

/* Does file's digest match sigfile? */
static enum check
check_pair(const char *file, const char *sigfile, char **text)
{
	size_t len, slen;
	char *data = slurp(file, &len), *sig;
	char digest[65];
	enum check r;

	*text = NULL;
	if (data == NULL)
		return CHECK_MISSING;
	sig = slurp(sigfile, &slen);
	if (sig == NULL) {
		*text = data;
		return CHECK_NOSIG;
	}
	sha256_hex(data, len, digest);
	r = (slen >= 64 && strncmp(sig, digest, 64) == 0) ? CHECK_OK : CHECK_BAD;
	free(sig);
	if (r == CHECK_OK)
		*text = data;
	else
		free(data);
	return r;
}

static struct pl_cib *
parse_text(const char *text, const char *what, struct pl_error *e)
{
	xmlDoc *doc = cib_parse_string(text, what, e);

	return doc ? pl_cib_adopt(doc, e) : NULL;
}

static int
cmp_desc(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

static struct pl_cib *
load_backup(const char *dir, char **used, struct pl_error *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long *nums = NULL;
	size_t n = 0;
	struct pl_cib *cib = NULL;

	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		long num;
		char tail[8];

		if (sscanf(de->d_name, "cib-%ld.xm%1[l]%1s", &num, tail, tail + 2) == 2 &&
		    strlen(de->d_name) == (size_t)snprintf(NULL, 0, "cib-%ld.xml", num)) {
			nums = xreallocarray(nums, n + 1, sizeof(*nums));
			nums[n++] = num;
		}
	}
	closedir(d);
	if (n > 1)
		qsort(nums, n, sizeof(*nums), cmp_desc);
	for (size_t i = 0; i < n && cib == NULL; i++) {
		char *f = xasprintf("%s/cib-%ld.xml", dir, nums[i]);
		char *s = xasprintf("%s.sig", f);
		char *text;
		enum check c = check_pair(f, s, &text);

		if (c == CHECK_OK || c == CHECK_NOSIG) {
			struct pl_error pe = PL_ERROR_INIT;

			cib = parse_text(text, f, &pe);
			if (cib == NULL)
				log_warnx("cib: backup %s is unusable: %s", f, pe.text);
			else {
				log_notice("cib: using backup %s", f);
				if (used)
					*used = xstrdup(f);
			}
		} else
			log_warnx("cib: backup %s does not match its digest, skipped", f);
		free(text);
		free(f);
		free(s);
	}
	free(nums);
	if (cib == NULL)
		pl_error_set(e, PL_EXIT_NOSUCH, "%s: no valid CIB (cib.xml nor any backup)", dir);
	return cib;
}

static void
move_aside(const char *file, const char *why)
{
	char *aside = xasprintf("%s.corrupt-%ld", file, (long)time(NULL));

	/* Never overwrite an earlier copy kept aside in the same second. */
	for (int i = 1; access(aside, F_OK) == 0; i++) {
		free(aside);
		aside = xasprintf("%s.corrupt-%ld.%d", file, (long)time(NULL), i);
	}

	if (rename(file, aside) == 0)
		log_warnx("cib: %s %s; moved aside as %s", file, why, aside);
	else
		log_warn("cib: %s %s; cannot move it aside", file, why);
	free(aside);
}

struct pl_cib *
pl_cib_store_load(const struct pl_cib_store_opts *o, char **used, struct pl_error *e)
{
	char *xml = path_in(o->dir, "cib.xml"), *sig = path_in(o->dir, "cib.xml.sig");
	char *xtmp = path_in(o->dir, "cib.xml.tmp");
	char *text = NULL;
	struct pl_cib *cib = NULL;
	enum check c;

	if (used)
		*used = NULL;
	c = check_pair(xml, sig, &text);
	if (c == CHECK_BAD || c == CHECK_MISSING) {
		/* A crash between the two renames: the new file is still cib.xml.tmp. */
		char *tt;

		if (check_pair(xtmp, sig, &tt) == CHECK_OK) {
			log_notice("cib: completing an interrupted write of %s", xml);
			if (rename(xtmp, xml) == 0) {
				fsync_dir(o->dir);
				c = CHECK_OK;
				text = tt;
				tt = NULL;
			}
		}
		free(tt);
	}
	if (c == CHECK_NOSIG)
		log_warnx("cib: %s has no digest file %s; using it unchecked", xml, sig);
	if (c == CHECK_OK || c == CHECK_NOSIG) {
		struct pl_error pe = PL_ERROR_INIT;

		cib = parse_text(text, xml, &pe);
		if (cib == NULL)
			move_aside(xml, pe.text);
		else if (used)
			*used = xstrdup(xml);
	} else if (c == CHECK_BAD)
		move_aside(xml, "does not match its digest (torn or edited by hand)");
	free(text);
	if (cib == NULL)
		cib = load_backup(o->dir, used, e);
	free(xml);
	free(sig);
	free(xtmp);
	return cib;
}

/* ---- writer thread ------------------------------------------------------------------------- */

struct pl_cib_writer {
	struct pl_cib_store_opts opts;
	char *dir;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	xmlNode *pending; /* newest document not yet being written */
	bool busy, stop;
	int last_rc;
	struct pl_error last_error;
	struct pl_cib_version last_version;
	int pipe[2];
};

static void *
writer_main(void *arg)
{
	struct pl_cib_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		xmlNode *doc;
		struct pl_error e = PL_ERROR_INIT;
		struct pl_cib_version v;
		int rc;
		char byte = 1;

		while (w->pending == NULL && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->pending == NULL && w->stop)
			break;
		doc = w->pending;
		w->pending = NULL;
		w->busy = true;
		pthread_mutex_unlock(&w->lock);

		rc = pl_cib_store_write(&w->opts, doc, &e);
		pl_cib_xml_version(doc, &v);
		xmlFreeNode(doc);
		if (rc != 0)
			log_warnx("cib: writing %ld.%ld.%ld failed: %s", v.admin_epoch, v.epoch,
			    v.num_updates, e.text);

		pthread_mutex_lock(&w->lock);
		w->busy = false;
		w->last_rc = rc;
		w->last_error = e;
		w->last_version = v;
		pthread_cond_broadcast(&w->cond);
		if (write(w->pipe[1], &byte, 1) < 0 && errno != EAGAIN)
			log_warn("cib: writer notification");
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct pl_cib_writer *
pl_cib_writer_start(const struct pl_cib_store_opts *o)
{
	struct pl_cib_writer *w = XNEW(struct pl_cib_writer);

	w->dir = xstrdup(o->dir);
	w->opts = *o;
	w->opts.dir = w->dir;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pipe2(w->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		fatal("cib: pipe");
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		fatalx("cib: cannot start the writer thread");
	return w;
}

void
pl_cib_writer_submit(struct pl_cib_writer *w, const xmlNode *root)
{
	xmlNode *copy = persisted_copy(root);

	pthread_mutex_lock(&w->lock);
	if (w->pending != NULL)
		xmlFreeNode(w->pending); /* superseded before it was written */
	w->pending = copy;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
pl_cib_writer_flush(struct pl_cib_writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->pending != NULL || w->busy)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

int
pl_cib_writer_notify_fd(const struct pl_cib_writer *w)
{
	return w->pipe[0];
}

int
pl_cib_writer_last_result(struct pl_cib_writer *w, struct pl_cib_version *written, struct pl_error *e)
{
	int rc;

	pthread_mutex_lock(&w->lock);
	rc = w->last_rc;
	if (written)
		*written = w->last_version;
	if (e)
		*e = w->last_error;
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void
pl_cib_writer_stop(struct pl_cib_writer *w)
{
	if (w == NULL)
		return;
	pl_cib_writer_flush(w);
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	close(w->pipe[0]);
	close(w->pipe[1]);
	free(w->dir);
	free(w);
}
