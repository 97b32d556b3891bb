/*
 * msgdefs.c - the message table built from include/paceline/msg/all.def, indexed by number,
 * and the service names. Everything lib/ipc checks about a message comes from here.
 */
#include <stddef.h>
#include <stdlib.h>

#include "paceline/msgdefs.h"

/* Every number lies in its service's range (a duplicate number is an initializer given
 * twice below: -Woverride-init, an error with -Werror). */
#define PL_MSG(svc, num, name, dir, priv, sig, maxlen)                              \
	_Static_assert(PL_MSG_SERVICE_OF(num) == PL_SVC_##svc && ((num)&0xff) != 0, \
	    #name " has a number outside the range of " #svc);
#include "paceline/msg/all.def"

static const struct pl_msg_def msg_table[PL_MSG_TYPE_LIMIT] = {
#define PL_MSG(svc, num, name, dir, priv, sig, maxlen) \
	[num] = { PL_MSG_##name, #name, PL_SVC_##svc, PL_DIR_##dir, PL_PRIV_##priv, sig, maxlen },
#include "paceline/msg/all.def"
};

static const char *const service_names[PL_SVC_COUNT] = {
	[PL_SVC_NONE] = "none",
	[PL_SVC_ECHO] = "echo",
	[PL_SVC_MEMBERSHIP] = "membership",
	[PL_SVC_CIB] = "cib",
	[PL_SVC_PENGINE] = "pengine",
	[PL_SVC_CRMD] = "crmd",
	[PL_SVC_LRMD] = "lrmd",
	[PL_SVC_STONITHD] = "stonithd",
	[PL_SVC_ATTRD] = "attrd",
	[PL_SVC_LAUNCHER] = "launcher",
	[PL_SVC_QNETD] = "qnetd",
};

const struct pl_msg_def *
pl_msg_def(unsigned type)
{
	if (type == PL_MSG_NONE || type >= PL_MSG_TYPE_LIMIT || msg_table[type].name == NULL)
		return NULL;
	return &msg_table[type];
}

const char *
pl_msg_name(unsigned type)
{
	const struct pl_msg_def *d = pl_msg_def(type);

	return d ? d->name : "unknown";
}

const char *
pl_service_name(enum pl_service svc)
{
	if ((unsigned)svc >= PL_SVC_COUNT)
		return "unknown";
	return service_names[svc];
}

unsigned
pl_service_maxlen(enum pl_service svc)
{
	unsigned max = 0;

	for (unsigned t = (unsigned)svc << 8; t < ((unsigned)svc + 1) << 8; t++)
		if (t < PL_MSG_TYPE_LIMIT && msg_table[t].name != NULL && msg_table[t].maxlen > max)
			max = msg_table[t].maxlen;
	return max;
}

static size_t msg_limit;

size_t
pl_msg_limit(void)
{
	const char *env;
	char *end;
	unsigned long long v;

	if (msg_limit != 0)
		return msg_limit;
	msg_limit = PL_MSG_LIMIT_DEFAULT;
	env = getenv(PL_MSG_LIMIT_ENV);
	if (env == NULL || *env == '\0')
		return msg_limit;
	v = strtoull(env, &end, 10);
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	default: break;
	}
	if (*end == '\0' && v > 0 && v <= 0xffffffffull)
		msg_limit = (size_t)v;
	return msg_limit;
}

void
pl_msg_set_limit(size_t bytes)
{
	msg_limit = bytes > 0xffffffffu ? 0xffffffffu : bytes;
}

size_t
pl_msg_effective_limit(unsigned maxlen)
{
	size_t lim = pl_msg_limit();

	return maxlen < lim ? maxlen : lim;
}
