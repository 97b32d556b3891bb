/*
 * mon_watch.c - crm_mon's long-running modes (not written yet: one shot).
 */
#include "crm_mon.h"

int mon_interactive(struct mon *m)
{
	return mon_once(m);
}

int mon_follow(struct mon *m)
{
	return mon_once(m);
}
