/* fuzz_conf.c - paceline.conf: the corosync.conf-syntax parser (lib/common/conf.c) and the
 * membership daemon's checks of its values (membership/conf.c). */
#include <dlfcn.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/conf.h"
#include "paceline/error.h"
#include "paceline/log.h"
#include "conf.h"
#include "fuzz.h"

/* Mutated addresses must never become DNS queries: names resolve as numeric only here. */
int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
	static int (*real)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
	struct addrinfo h = { 0 };

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "getaddrinfo");
	if (hints != NULL)
		h = *hints;
	h.ai_flags |= AI_NUMERICHOST | AI_NUMERICSERV;
	return real(node, service, &h, res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl_error err = PL_ERROR_INIT;
	struct pl_conf_node *root = pl_conf_parse_memory((const char *)data, size, "fuzz.conf", &err);
	char *text;
	static bool quiet;

	if (!quiet) { /* the daemon's warnings about unknown keys: not findings */
		log_set_level(PL_LOG_ERR - 1);
		quiet = true;
	}
	if (root == NULL)
		FUZZ_CHECK(err.code != 0 && err.text[0] != '\0');
	pl_conf_free(root);
	/* the daemon's reading of it (a string: stops at an inner NUL, as a file read would not) */
	text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	struct membership_conf c;

	memset(&c, 0, sizeof(c));
	pl_error_clear(&err);
	if (!membership_conf_parse_string(text, "fuzz.conf", &c, &err))
		FUZZ_CHECK(err.text[0] != '\0');
	membership_conf_free(&c);
	free(text);
	return 0;
}
