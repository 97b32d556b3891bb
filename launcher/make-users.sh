#!/bin/sh
# make-users.sh - run by `cmake --install`: the group haclient and the user hacluster that
# cib, attrd, pengine and crmd run as, created when missing (as Debian's pacemaker package
# does). Only as root, and never touching an existing account.
[ "$(id -u)" = 0 ] || { echo "make-users: not root: not creating hacluster/haclient" >&2; exit 0; }
[ -n "${DESTDIR:-}" ] && exit 0	# packaging into a staging directory: the package does it
getent group haclient > /dev/null || groupadd -r haclient
getent passwd hacluster > /dev/null ||
	useradd -r -g haclient -d /var/lib/paceline -s /usr/sbin/nologin -c "cluster user" hacluster
