#!/bin/sh
# Paceline's own agents: meta-data valid against our OCF schema (and the installed
# resource-agents' agents valid against it too, so the schema is not a private dialect),
# behaviour of Dummy/Stateful/fence_paceline_dummy. (Debian's ocf-tester: ocf-tester.sh.)
set -u
src=${PL_TEST_SRCDIR:?}
agents=$src/agents
rng=$agents/ocf-meta-data.rng
tmp=$(mktemp -d /tmp/pl-lrmd-agents.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export OCF_ROOT=${OCF_ROOT:-/usr/lib/ocf}
export HA_RSCTMP=$tmp
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() { # want cmd...
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"; got=$?
	[ "$got" = "$want" ] || fail "$* -> rc $got, want $want ($(cat "$tmp/err"))"
}

command -v xmllint >/dev/null || { echo "xmllint missing"; exit 77; }

# 1. meta-data validates against our schema.
for a in Dummy Stateful; do
	"$agents/$a" meta-data >"$tmp/md.xml" || fail "$a meta-data rc $?"
	xmllint --noout --relaxng "$rng" "$tmp/md.xml" 2>"$tmp/err" || fail "$a meta-data: $(cat "$tmp/err")"
done
"$agents/fence_paceline_dummy" -o metadata >"$tmp/md.xml" || fail "fence metadata rc $?"
xmllint --noout --relaxng "$rng" "$tmp/md.xml" 2>"$tmp/err" || fail "fence metadata: $(cat "$tmp/err")"
printf 'action=metadata\n' | "$agents/fence_paceline_dummy" >"$tmp/md2.xml"
cmp -s "$tmp/md.xml" "$tmp/md2.xml" || fail "fence metadata differs between stdin and -o"

# The schema must reject what is wrong, or it checks nothing.
"$agents/Dummy" meta-data | sed 's/<actions>/<actions><action name="explode"\/>/' >"$tmp/bad.xml"
xmllint --noout --relaxng "$rng" "$tmp/bad.xml" 2>/dev/null && fail "schema accepted an unknown action"
"$agents/Dummy" meta-data | sed 's/timeout="20s"/timeout="soon"/' >"$tmp/bad.xml"
xmllint --noout --relaxng "$rng" "$tmp/bad.xml" 2>/dev/null && fail "schema accepted a bad timeout"

# Installed agents (resource-agents, fence-agents) are valid against it as well.
for f in "$OCF_ROOT"/resource.d/heartbeat/Dummy "$OCF_ROOT"/resource.d/heartbeat/IPaddr2 /usr/sbin/fence_dummy; do
	[ -x "$f" ] || continue
	case $f in */fence_*) "$f" -o metadata ;; *) "$f" meta-data ;; esac >"$tmp/md.xml" 2>/dev/null
	xmllint --noout --relaxng "$rng" "$tmp/md.xml" 2>"$tmp/err" || fail "$f meta-data: $(cat "$tmp/err")"
done

# 2. Dummy behaviour.
st=$tmp/d.state
export OCF_RESOURCE_INSTANCE=d1 OCF_RESKEY_state=$st
expect_rc 7 "$agents/Dummy" monitor
expect_rc 0 "$agents/Dummy" start
expect_rc 0 "$agents/Dummy" monitor
expect_rc 0 "$agents/Dummy" start
expect_rc 0 "$agents/Dummy" stop
expect_rc 7 "$agents/Dummy" monitor
expect_rc 0 "$agents/Dummy" stop
expect_rc 0 "$agents/Dummy" migrate_from
expect_rc 0 "$agents/Dummy" monitor
expect_rc 0 "$agents/Dummy" migrate_to
expect_rc 7 "$agents/Dummy" monitor
expect_rc 3 "$agents/Dummy" frobnicate
OCF_RESKEY_fail_start=6 expect_rc 6 "$agents/Dummy" start
grep -q '^ocf-exit-reason:failure requested' "$tmp/err" || fail "fail_start prints no exit reason"
OCF_RESKEY_op_sleep=x expect_rc 6 "$agents/Dummy" start
expect_rc 0 "$agents/Dummy" start
export OCF_RESKEY_fail_monitor_after=2
expect_rc 0 "$agents/Dummy" monitor
expect_rc 0 "$agents/Dummy" monitor
expect_rc 1 "$agents/Dummy" monitor
grep -q 'monitor call 3' "$tmp/err" || fail "failing monitor reason missing"
unset OCF_RESKEY_fail_monitor_after
OCF_RESKEY_fail_stop=1 expect_rc 1 "$agents/Dummy" stop
expect_rc 0 "$agents/Dummy" stop

# 3. Stateful behaviour.
export OCF_RESOURCE_INSTANCE=s1 OCF_RESKEY_state=$tmp/s.state OCF_RESKEY_set_promotion=false
expect_rc 7 "$agents/Stateful" monitor
expect_rc 1 "$agents/Stateful" promote
expect_rc 0 "$agents/Stateful" start
expect_rc 0 "$agents/Stateful" monitor
expect_rc 0 "$agents/Stateful" promote
expect_rc 8 "$agents/Stateful" monitor
expect_rc 0 "$agents/Stateful" demote
expect_rc 0 "$agents/Stateful" monitor
OCF_RESKEY_fail_promote=1 expect_rc 1 "$agents/Stateful" promote
expect_rc 0 "$agents/Stateful" stop
expect_rc 7 "$agents/Stateful" monitor
unset OCF_RESOURCE_INSTANCE OCF_RESKEY_state OCF_RESKEY_set_promotion

# 4. fence_paceline_dummy: stdin protocol, records, power state.
rec=$tmp/fence.log
fence() { printf '%s\n' "$@" "record_file=$rec" "state_dir=$tmp/fence" | "$agents/fence_paceline_dummy"; }
fence action=status port=n1 >/dev/null; [ $? = 0 ] || fail "fence status of a fresh port is not on"
fence action=off plug=n1 nodename=n1; [ $? = 0 ] || fail "fence off"
fence action=status port=n1 >/dev/null; [ $? = 2 ] || fail "fence status after off is not 2"
fence action=reboot port=n2 "fail_actions=reboot" 2>/dev/null; [ $? = 1 ] || fail "requested failure not reported"
fence action=on port=n1; [ $? = 0 ] || fail "fence on"
fence action=off 2>/dev/null; [ $? = 1 ] || fail "off without a port accepted"
[ "$(fence action=list hosts=n1,n2)" = "$(printf 'n1,\nn2,')" ] || fail "fence list"
fence action=monitor; [ $? = 0 ] || fail "fence monitor"
[ "$(wc -l <"$rec")" -eq 8 ] || fail "fence record has $(wc -l <"$rec") lines, want 8"
grep -q 'action=off port=n1 nodename=n1 result=ok' "$rec" || fail "fence record misses the off request"
grep -q 'action=reboot port=n2 nodename= result=failed' "$rec" || fail "fence record misses the failed reboot"

[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "agents: all checks passed"
