/*
 * cib_xpath.c - XPath selection with a bound on its cost, so that one expensive expression
 * (a count of every descendant of every ancestor of every element runs for minutes on a
 * 6,000-element CIB) cannot hold the daemon and every other client.
 *
 * libxml2 2.9.14 (Debian 12) counts XPath operations (xmlXPathContext.opLimit), but one
 * operation costs time in proportion to the document (node-set merges), so no operation
 * count is a time bound on its own. Two stages:
 *
 *   expression --in process, budget of (10^8 / elements) ops, clamped--> result (nearly all)
 *        | budget exceeded
 *        v
 *   fork(): the child evaluates the same expression on its copy-on-write image of the
 *   document and writes the matches' element numbers (pre-order) to a pipe; the parent waits
 *   at most CIB_XPATH_TIMEOUT_MS, then kills it: PL_EXIT_TIMEOUT, "simplify the expression".
 *
 * Matches are reported as elements (an attribute or text match stands for its element), as
 * the operations use them.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "paceline/mtime.h"
#include "paceline/xalloc.h"
#include "cib_private.h"

#define CIB_XPATH_TIMEOUT_MS 2000

/* The elements of doc in pre-order (iterative). */
static xmlNode **
number_elements(xmlDoc *doc, size_t *count)
{
	xmlNode *root = xmlDocGetRootElement(doc), **tab = NULL;
	size_t n = 0, cap = 0;

	*count = 0;
	if (root == NULL)
		return NULL;
	for (xmlNode *e = root; e != NULL;) {
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			tab = xreallocarray(tab, cap, sizeof(*tab));
		}
		tab[n++] = e;
		xmlNode *next = pl_xml_first_child(e, NULL);

		while (next == NULL && e != NULL && e != root) {
			next = pl_xml_next_sibling(e, NULL);
			if (next == NULL)
				e = e->parent;
		}
		e = next;
	}
	*count = n;
	return tab;
}

static xmlNode *
as_element(xmlNode *m)
{
	if (m != NULL && (m->type == XML_ATTRIBUTE_NODE || m->type == XML_TEXT_NODE))
		m = m->parent;
	return cib_is_elem(m) ? m : NULL;
}

static void
silent(void *data, xmlErrorPtr err)
{
	(void)data;
	(void)err; /* the caller words the error */
}

/* Evaluate with an operation limit (0: none). *limited when the limit stopped it. */
static xmlXPathObject *
eval(xmlDoc *doc, const char *xpath, unsigned long limit, bool *limited)
{
	xmlXPathContext *ctx = xmlXPathNewContext(doc);
	xmlXPathObject *r;

	ctx->error = silent;
	ctx->opLimit = limit;
	r = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	*limited = r == NULL && limit != 0 && ctx->opCount >= limit;
	xmlXPathFreeContext(ctx);
	return r;
}

static bool
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
	}
	return true;
}

/* The child: status 0 with the element numbers on fd, 2 = not a node-set, 1 = failed. */
static void __attribute__((noreturn)) child_eval(xmlDoc *doc, const char *xpath, int fd)
{
	size_t n;
	xmlNode **tab = number_elements(doc, &n);
	GHashTable *pos = g_hash_table_new(g_direct_hash, g_direct_equal);
	bool limited;
	xmlXPathObject *r;

	alarm(CIB_XPATH_TIMEOUT_MS / 1000 + 2); /* should the parent be gone */
	for (size_t i = 0; i < n; i++)
		g_hash_table_insert(pos, tab[i], (gpointer)(uintptr_t)(i + 1));
	r = eval(doc, xpath, 0, &limited);
	if (r == NULL)
		_exit(1);
	if (r->type != XPATH_NODESET)
		_exit(2);
	for (int i = 0; r->nodesetval != NULL && i < r->nodesetval->nodeNr; i++) {
		xmlNode *m = as_element(r->nodesetval->nodeTab[i]);
		uint32_t k = m ? (uint32_t)(uintptr_t)g_hash_table_lookup(pos, m) : 0;

		if (k != 0 && !write_all(fd, &k, sizeof(k)))
			_exit(1);
	}
	_exit(0);
}

static void
kill_child(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Read the child's answer within the deadline; -1 on timeout, else its exit status. */
static int
collect(pid_t pid, int fd, GArray *out)
{
	uint64_t deadline = pl_mono_ms() + CIB_XPATH_TIMEOUT_MS;
	char buf[4096];
	size_t have = 0;
	int status;

	for (;;) {
		uint64_t now = pl_mono_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (now >= deadline) {
			kill_child(pid);
			return -1;
		}
		int pr = poll(&p, 1, (int)(deadline - now));

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue; /* the deadline check above ends it */
		ssize_t r = read(fd, buf + have, sizeof(buf) - have);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		size_t whole = have - have % sizeof(uint32_t);

		g_array_append_vals(out, buf, (guint)(whole / sizeof(uint32_t)));
		memmove(buf, buf + whole, have - whole);
		have -= whole;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static xmlXPathObject *
eval_in_child(xmlDoc *doc, const char *xpath, struct pl_error *e)
{
	GArray *idx = g_array_new(false, false, sizeof(uint32_t));
	xmlXPathObject *r = NULL;
	int fds[2], st;
	pid_t pid;

	if (pipe(fds) != 0 || (pid = fork()) < 0)
		abort(); /* out of processes or descriptors: as out of memory */
	if (pid == 0) {
		close(fds[0]);
		child_eval(doc, xpath, fds[1]);
	}
	close(fds[1]);
	st = collect(pid, fds[0], idx);
	close(fds[0]);
	if (st == 0) {
		size_t n;
		xmlNode **tab = number_elements(doc, &n);

		r = xmlXPathNewNodeSet(NULL);
		for (guint i = 0; i < idx->len; i++) {
			uint32_t k = g_array_index(idx, uint32_t, i);

			if (k >= 1 && k <= n)
				xmlXPathNodeSetAdd(r->nodesetval, tab[k - 1]);
		}
		free(tab);
	} else if (st < 0) {
		pl_error_set(e, PL_EXIT_TIMEOUT,
		    "XPath expression exceeded its time bound of %d ms "
		    "and was stopped; simplify it: %s",
		    CIB_XPATH_TIMEOUT_MS, xpath);
	} else if (st == 2) {
		pl_error_set(
		    e, PL_EXIT_USAGE, "XPath expression does not select elements: %s", xpath);
	} else {
		pl_error_set(e, PL_EXIT_USAGE, "invalid XPath expression: %s", xpath);
	}
	g_array_free(idx, true);
	return r;
}

static unsigned long
budget_for(xmlDoc *doc)
{
	size_t n = 0;
	unsigned long b;

	free(number_elements(doc, &n));
	b = 100000000UL / (n + 1);
	return b < 20000 ? 20000 : b > 2000000 ? 2000000 : b;
}

xmlXPathObject *
cib_xpath_select(xmlDoc *doc, const char *xpath, struct pl_error *e)
{
	bool limited = false;
	xmlXPathObject *r = eval(doc, xpath, budget_for(doc), &limited);

	if (r == NULL && limited)
		return eval_in_child(doc, xpath, e);
	if (r == NULL) {
		pl_error_set(e, PL_EXIT_USAGE, "invalid XPath expression: %s", xpath);
		return NULL;
	}
	if (r->type != XPATH_NODESET) {
		xmlXPathFreeObject(r);
		pl_error_set(
		    e, PL_EXIT_USAGE, "XPath expression does not select elements: %s", xpath);
		return NULL;
	}
	return r;
}

int
pl_cib_xpath_paths(struct pl_cib *cib, const char *xpath, void (*each)(const char *path, void *arg),
    void *arg, struct pl_error *e)
{
	xmlXPathObject *r = cib_xpath_select(cib->doc, xpath, e);

	if (r == NULL)
		return e->code;
	for (int i = 0; r->nodesetval != NULL && i < r->nodesetval->nodeNr; i++) {
		xmlNode *m = r->nodesetval->nodeTab[i];
		char *path;

		if (!cib_is_elem(m))
			continue;
		path = pl__cib_element_path(m);
		each(path, arg);
		free(path);
	}
	xmlXPathFreeObject(r);
	return 0;
}
