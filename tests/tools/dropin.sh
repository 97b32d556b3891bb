#!/bin/sh
# The drop-in install (component dropin, or -DPL_DROPIN=ON) in a private mount namespace: /usr and /etc become
# overlays (the host's Pacemaker is untouched), `cmake --install` puts Paceline at /usr, and
# the names crmsh and pcs run must then be Paceline's: pacemaker-controld version and the
# daemons' metadata, corosync-cmapctl, crm_resource's agent lists; then Debian's pcs and
# crmsh (when installed) build a configuration on a file (-f / CIB_file) with our tools.
# Needs root, unshare and overlayfs; skips (77) otherwise.
set -u
src=${PL_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${PL_TEST_BINDIR:-$src/build}
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
	echo "needs root and unshare: skipped"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/inner.sh" <<'INNER'
set -u
tmp=$1 build=$2
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$tmp/u" "$tmp/w" "$tmp/eu" "$tmp/ew"
mount --make-rprivate / 2>/dev/null
mount -t overlay overlay -o "lowerdir=/usr,upperdir=$tmp/u,workdir=$tmp/w" /usr || { echo "no overlayfs: skipped"; exit 77; }
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/eu,workdir=$tmp/ew" /etc || { echo "no overlayfs: skipped"; exit 77; }
{ cmake --install "$build" --prefix /usr && cmake --install "$build" --prefix /usr --component dropin; } >"$tmp/install.log" 2>&1 ||
	{ tail "$tmp/install.log"; fail "cmake --install"; }

v=$(/usr/lib/pacemaker/pacemaker-controld version | awk '{print $3}')
[ "$v" = 2.1.5 ] || fail "pacemaker-controld version: third word '$v'"
/usr/lib/pacemaker/pacemaker-controld version | grep -q paceline || fail "pacemaker-controld is not Paceline's"
for d in based:enable-acl controld:dc-deadtime schedulerd:stonith-enabled fenced:pcmk_host_list; do
	/usr/lib/pacemaker/pacemaker-${d%%:*} metadata >"$tmp/md.xml" || fail "pacemaker-${d%%:*} metadata"
	xmllint --noout "$tmp/md.xml" || fail "pacemaker-${d%%:*} metadata is not XML"
	grep -q "<parameter name=\"${d#*:}\">" "$tmp/md.xml" || fail "pacemaker-${d%%:*} metadata lacks ${d#*:}"
done
[ -f /usr/share/pacemaker/pacemaker-3.9.rng ] || fail "no schema at /usr/share/pacemaker"
printf 'totem {\n\tcluster_name: dropin\n}\nnodelist {\n\tnode {\n\t\tname: n1\n\t\tnodeid: 1\n\t}\n\tnode {\n\t\tname: n2\n\t\tnodeid: 2\n\t}\n}\n' >"$tmp/c.conf"
PL_CONF=$tmp/c.conf corosync-cmapctl nodelist | grep -qx 'nodelist.node.1.name (str) = n2' || fail "corosync-cmapctl nodelist"
PL_CONF=$tmp/c.conf corosync-cmapctl -g totem.cluster_name | grep -qx 'totem.cluster_name (str) = dropin' || fail "corosync-cmapctl -g"
crm_resource --list-ocf-providers | grep -qx paceline || fail "crm_resource --list-ocf-providers lacks paceline"
crm_resource --show-metadata ocf:paceline:Dummy | grep -q '<resource-agent' || fail "crm_resource --show-metadata"
echo "ok: drop-in names answer as Paceline"

cd "$tmp"
if command -v pcs >/dev/null; then
	pcs -f pcs.xml resource create d1 ocf:paceline:Dummy op monitor interval=20s || fail "pcs resource create"
	pcs -f pcs.xml resource create vip ocf:paceline:Dummy --group web || fail "pcs resource create --group"
	pcs -f pcs.xml property set stonith-enabled=false || fail "pcs property set"
	CIB_file=pcs.xml crm_resource -r d1 -q >/dev/null || fail "pcs -f did not create d1"
	CIB_file=pcs.xml crm_resource -r vip --locate >/dev/null 2>&1
	[ "$(CIB_file=pcs.xml crm_resource -r web -q 2>/dev/null | grep -c '<group id="web"')" = 1 ] || fail "pcs -f did not create group web"
	echo "ok: pcs -f resource create, group, property set"
fi
if command -v crm >/dev/null; then
	cp pcs.xml crm.xml 2>/dev/null || cibadmin --empty >crm.xml
	CIB_file=$tmp/crm.xml crm configure primitive d2 ocf:paceline:Dummy op monitor interval=30s || fail "crm configure primitive"
	CIB_file=$tmp/crm.xml crm configure show d2 >show.txt 2>&1; grep -q 'primitive d2 ocf:paceline:Dummy' show.txt || fail "crm configure show d2"
	CIB_file=$tmp/crm.xml crm_resource -r d2 -q >/dev/null || fail "crm did not create d2"
	echo "ok: crm configure primitive and show"
fi
INNER
unshare -m sh "$tmp/inner.sh" "$tmp" "$build"
