/*
 * compat.h - what paceline-compat's files share (compat.c dispatches by program name).
 */
#ifndef COMPAT_H
#define COMPAT_H

#include <glib.h>

#define COMPAT_PCMK_VERSION "2.1.5" /* the Pacemaker the shells are told they run */
#ifndef COMPAT_VERSION
#define COMPAT_VERSION "0"
#endif

/* corosync-cmapctl: the keys pcs reads, from the configuration and the membership */
int compat_cmapctl(int argc, char **argv);

#endif
