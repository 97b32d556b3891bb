/*
 * msgdefs.c - the message table built from include/paceline/msg/<service>.def, indexed by type,
 * and the service names. Everything lib/ipc checks about a message comes from here.
 */
#include <stddef.h>

#include "paceline/msgdefs.h"

static const struct pl_msg_def msg_table[PL_MSG_COUNT] = {
#define PL_MSG(svc, name, dir, priv, sig, maxlen)                                   \
	[PL_MSG_##name] = { PL_MSG_##name, #name, PL_SVC_##svc, PL_DIR_##dir,       \
			    PL_PRIV_##priv, sig, maxlen },
#include "paceline/msg/echo.def"
#include "paceline/msg/membership.def"
#include "paceline/msg/cib.def"
#include "paceline/msg/pengine.def"
#include "paceline/msg/crmd.def"
#include "paceline/msg/lrmd.def"
#include "paceline/msg/stonithd.def"
#include "paceline/msg/attrd.def"
#include "paceline/msg/launcher.def"
#undef PL_MSG
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
};

const struct pl_msg_def *pl_msg_def(unsigned type)
{
	if (type == PL_MSG_NONE || type >= PL_MSG_COUNT)
		return NULL;
	return &msg_table[type];
}

const char *pl_msg_name(unsigned type)
{
	const struct pl_msg_def *d = pl_msg_def(type);

	return d ? d->name : "unknown";
}

const char *pl_service_name(enum pl_service svc)
{
	if ((unsigned)svc >= PL_SVC_COUNT)
		return "unknown";
	return service_names[svc];
}

unsigned pl_service_maxlen(enum pl_service svc)
{
	unsigned max = 0;

	for (unsigned t = 1; t < PL_MSG_COUNT; t++)
		if (msg_table[t].service == svc && msg_table[t].maxlen > max)
			max = msg_table[t].maxlen;
	return max;
}
