/*
 * table.c - the daemons of a node's stack (see table.h). The order is Pacemaker's: the
 * membership layer first, then the CIB every other daemon reads, fencing before anything that
 * may ask for it, the executor, node attributes, the scheduler, and the controller last, so
 * that it finds everything it talks to already answering. The stop timeouts leave crmd time
 * to move resources away and lrmd time to let running agents finish.
 */
#include <string.h>

#include "table.h"

const struct launcher_child_def launcher_children[] = {
	/* name        binary                 user                      ready when answering  on death                   optional stop timeout */
	{ "membership", "paceline-membership", LAUNCHER_USER_ROOT, PL_SVC_MEMBERSHIP,
	    LAUNCHER_DEATH_STOP_NODE, false, 10000 },
	{ "cib", "paceline-cib", LAUNCHER_USER_HACLUSTER, PL_SVC_CIB, LAUNCHER_DEATH_RESPAWN, false,
	    30000 },
	{ "stonithd", "paceline-stonithd", LAUNCHER_USER_ROOT, PL_SVC_STONITHD,
	    LAUNCHER_DEATH_RESPAWN, false, 30000 },
	{ "lrmd", "paceline-lrmd", LAUNCHER_USER_ROOT, PL_SVC_LRMD, LAUNCHER_DEATH_RESPAWN, false,
	    60000 },
	{ "attrd", "paceline-attrd", LAUNCHER_USER_HACLUSTER, PL_SVC_ATTRD, LAUNCHER_DEATH_RESPAWN,
	    true, 10000 },
	{ "pengine", "paceline-pengine", LAUNCHER_USER_HACLUSTER, PL_SVC_PENGINE,
	    LAUNCHER_DEATH_RESPAWN, false, 10000 },
	{ "crmd", "paceline-crmd", LAUNCHER_USER_HACLUSTER, PL_SVC_CRMD, LAUNCHER_DEATH_RESPAWN,
	    false, 300000 },
};

const size_t launcher_nchildren = sizeof(launcher_children) / sizeof(launcher_children[0]);

const struct launcher_child_def *
launcher_child_def(const char *name)
{
	for (size_t i = 0; i < launcher_nchildren; i++)
		if (strcmp(launcher_children[i].name, name) == 0)
			return &launcher_children[i];
	return NULL;
}
