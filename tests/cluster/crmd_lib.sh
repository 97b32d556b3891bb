# crmd_lib.sh - a Paceline node's full daemon set on the cluster harness (sourced after
# harness.sh), for the controller's tests and benchmarks. Until paceline-launcher exists,
# crmd_node_start starts the daemons in order itself: membership, cib, lrmd, pengine, crmd,
# each waited for. The launcher will replace crmd_node_start; the rest stays.
#
#   crmd_cluster_setup N [TOKEN_MS]   keys, paceline.conf, an OCF_ROOT with Paceline's agents
#   crmd_node_start I                 the node's daemons, in order; returns once crmd answers
#   crmd_start_crmd I                 only paceline-crmd (after a kill -9 of it)
#   cib I ARGS...                     cibadmin on node I
#   crmd_dc I                         the DC's name as node I sees it ("" when none)
#   crmd_where I RSC                  the node(s) where RSC is active, from node I's CIB
#   crmd_all_started I N              N resources started and none failed, per node I's CIB
set -u
: "${PL_BIN:?}"
CRMD_SRC=${PL_TEST_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

crmd_cluster_setup() {
	local n=$1 token=${2:-1000} i d
	"$PL_BIN/paceline-keygen" -k "$PL_HARNESS_DIR/authkey" > /dev/null || return 1
	for i in $(seq 1 "$n"); do
		d=$(harness_node_dir "$i")/etc
		{ printf 'totem {\n\tcluster_name: crmdtest\n\ttoken: %s\n}\n' "$token"; harness_nodelist "$n"; } > "$d/paceline.conf"
		install -m 0400 "$PL_HARNESS_DIR/authkey" "$d/authkey"
	done
	mkdir -p "$PL_HARNESS_DIR/ocf/resource.d"
	ln -sfn "$CRMD_SRC/agents" "$PL_HARNESS_DIR/ocf/resource.d/paceline"
	export OCF_ROOT=$PL_HARNESS_DIR/ocf
}

crmd__serving() { harness_exec "$1" "$PL_BIN/cibadmin" -Q -o status > /dev/null 2>&1; }
crmd__members() { harness_exec "$1" "$PL_BIN/paceline-quorumtool" -l > /dev/null 2>&1; }
crmd__answers() { harness_exec "$1" "$PL_BIN/crmadmin" -S "n$1" -q > /dev/null 2>&1; }

crmd_start_crmd() {
	local i=$1 log
	log=$(harness_node_dir "$i")/log
	harness_start "$i" --name crmd "$PL_BIN/paceline-crmd" ${CRMD_DEBUG:+-V} -l "$log/crmd.log" > /dev/null
	wait_for 30 crmd__answers "$i"
}

crmd_node_start() {
	local i=$1 log
	log=$(harness_node_dir "$i")/log
	harness_start "$i" "$PL_BIN/paceline-membership" -F > /dev/null
	wait_for 10 crmd__members "$i" || return 1
	harness_start "$i" --name cib "$PL_BIN/paceline-cib" -l "$log/cib.log" > /dev/null
	wait_for 20 crmd__serving "$i" || return 1
	harness_start "$i" --name lrmd "$PL_BIN/paceline-lrmd" -l "$log/lrmd.log" > /dev/null
	harness_start "$i" --name pengine "$PL_BIN/paceline-pengine" -l "$log/pengine.log" > /dev/null
	crmd_start_crmd "$i"
}

cib() { local i=$1; shift; harness_exec "$i" "$PL_BIN/cibadmin" "$@"; }

crmd_dc() { harness_exec "$1" "$PL_BIN/crmadmin" -D -q 2> /dev/null; }

crmd_where() { cib "$1" -Q 2> /dev/null | python3 "$CRMD_SRC/tests/cluster/crmd_status.py" where "$2"; }

crmd_all_started() {
	cib "$1" -Q 2> /dev/null | python3 "$CRMD_SRC/tests/cluster/crmd_status.py" started "$2"
}
