# two_node_lib.sh - sourced by the two-node launcher tests (test_fencing_2node.sh,
# test_fencing_admin.sh) after harness.sh: a fresh two-node cluster (quorum two_node: 1,
# token 1000, each stack under paceline-launcher) and `x I CMD...` to run a tool in node I.
#   two_node_prepare            namespaces up (on a fresh $PL_HARNESS_DIR), key and configuration
#   two_node_start [ENV=VALUE...] the launchers, the assignments added to their environment;
#                               returns once both controllers are online (fail otherwise)
# Needs BIN and fail() from the caller.
x() { local i=$1; shift; harness_exec "$i" env PATH="$BIN:$PATH" TZ=UTC "$@"; }
two_node__online() { [ "$(x 1 cibadmin -Q -o status 2> /dev/null | grep -o 'crmd="online"' | wc -l)" -ge 2 ]; }
two_node_prepare() {
	local i d
	harness_down > /dev/null 2>&1
	harness_up 2 > /dev/null || fail "harness up"
	"$BIN/paceline-keygen" -k "$PL_HARNESS_DIR/authkey" > /dev/null || fail "keygen"
	for i in 1 2; do
		d=$(harness_node_dir $i)/etc
		{
			printf 'totem {\n\tcluster_name: %s\n\ttoken: 1000\n}\n' "$PL_HARNESS_NAME"
			harness_nodelist 2
			printf 'quorum {\n\tprovider: corosync_votequorum\n\ttwo_node: 1\n}\n'
			printf 'logging {\n\tto_syslog: no\n\tto_stderr: yes\n\ttimestamp: on\n}\n'
		} > "$d/paceline.conf"
		install -m 0400 "$PL_HARNESS_DIR/authkey" "$d/authkey"
	done
}
two_node_start() {
	local i args=""
	getent passwd hacluster > /dev/null && getent group haclient > /dev/null || args=--all-root
	for i in 1 2; do
		# shellcheck disable=SC2086
		harness_start $i --name launcher env PATH="$BIN:$PATH" "$@" "$BIN/paceline-launcher" -d "$BIN" $args > /dev/null
	done
	wait_for 60 two_node__online || fail "the two controllers did not join"
}
