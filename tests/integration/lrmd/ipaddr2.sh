#!/bin/sh
# resource-agents' IPaddr2, unmodified, through paceline-lrmd: adds and removes an address on
# a veth interface inside a network namespace this test creates (the host's network is never
# touched: the daemon, the agent and every check run inside the namespace).
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "needs root for a network namespace"; exit 77; }
command -v ip >/dev/null || { echo "needs iproute2"; exit 77; }
[ -x "$OCF_ROOT/resource.d/heartbeat/IPaddr2" ] || { echo "resource-agents not installed"; exit 77; }

ns=pl-lrmd-$$
ip netns add "$ns" || { echo "cannot create a network namespace"; exit 77; }
cleanup_extra='ip netns del "$ns" 2>/dev/null'
in_ns="ip netns exec $ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add pl-veth0 type veth peer name pl-veth1 || { echo "no veth support"; exit 77; }
ip -n "$ns" addr add 10.213.0.1/24 dev pl-veth0
ip -n "$ns" link set pl-veth0 up
ip -n "$ns" link set pl-veth1 up

start_daemon
vip="-r vip -c ocf -P heartbeat -T IPaddr2 -k ip=10.213.0.50 -k cidr_netmask=24 -k nic=pl-veth0"
has_vip() { ip -n "$ns" -br addr show dev pl-veth0 | grep -q '10\.213\.0\.50/24'; }

# shellcheck disable=SC2086
run_op 7 $vip -a monitor
# shellcheck disable=SC2086
run_op 0 $vip -a start -t 20s
has_vip || fail "10.213.0.50 not on pl-veth0 after start"
# shellcheck disable=SC2086
run_op 0 $vip -a monitor -i 1s
# shellcheck disable=SC2086
run_op 0 $vip -a stop
has_vip && fail "10.213.0.50 still on pl-veth0 after stop"
# shellcheck disable=SC2086
run_op 7 $vip -a monitor
# The host never saw the address.
ip -br addr | grep -q '10\.213\.0\.50' && fail "the address leaked to the host"
# A wrong interface is a configuration error with a reason.
run_op 6 -r vip2 -c ocf -P heartbeat -T IPaddr2 -k ip=10.213.0.51 -k cidr_netmask=24 -k nic=nosuchnic -a start
grep -q 'exit-reason:' "$tmp/out" || fail "no exit reason for a wrong nic: $(cat "$tmp/out")"
finish lrmd-ipaddr2
