#!/usr/bin/env bash
# cts.sh - cluster fault runs in the spirit of Pacemaker's CTS (issue 17).
#
# Three nodes (scripts/demo up: each node's whole stack under paceline-launcher, stonith off,
# no-quorum-policy=stop), four Dummy resources (d1, d2 and a group g of g1, g2) with 2 s
# monitors. Then a seeded random sequence of faults, each followed by the checks:
#
#   kill      kill -9 of one daemon (membership, cib, lrmd, pengine or crmd) on one node
#             (membership: the launcher stops the node's stack, then it is started again)
#   crash     kill -9 of a whole node (every process of its namespace); `boot` brings it back
#   partition one node cut off from the other two; `heal` joins them again
#   loss      20-40 % packet loss on one node for a few seconds, a CIB write meanwhile
#   rscfail   a resource's state disappears where it runs (its monitor fails: recovery)
#   config    an acknowledged configuration update, sometimes a location preference that
#             moves a resource (the scheduler's decision the cluster must reach)
#   attrd     node attributes updated from every node of the quorate partition (attrd_updater,
#             20 updates each, in the background) while attrd is killed -9 on one node or on
#             the writer (the lowest node id of the partition)
#
# Safety, checked at every poll while the cluster settles (a failure stops the run):
#   S1 no resource active on two nodes of one quorate membership (ground truth: the Dummy
#      agents' state files in each node's /run/rsctmp, not what the CIB says)
#   S2 no daemon died unexpectedly: every death the launchers respawned is one this run caused
#      (or follows one: the launcher restarts a daemon's dependents); no crash loop
# Convergence, within BOUND seconds of each step (default 90):
#   C1 every live node sees the members of its partition
#   C2 one DC per partition: every member's controller names the same DC, a member
#   C3 every resource active exactly once, on a node of the quorate partition (the minority
#      stopped what it ran), where a location preference put it when that node is up
#   C4 every replica of the quorate partition returns the same CIB (cibadmin -Q, byte for byte)
#   C5 every acknowledged configuration update made in a quorate partition is in that CIB
#   C6 (after an attrd step) no acknowledged attribute update lost: every node of the partition
#      holds, for each updating node, its last acknowledged value or a later one it attempted
#      (an update attrd broadcast but could not answer before it died), and so does the CIB
#
# With -p (or PL_CTS_PROMOTABLE=1) a promotable clone ms of ocf:paceline:Stateful (3 s Promoted
# and 4 s Unpromoted monitors) runs too, and rscfail may hit it; then also:
#   S1p never two promoted instances in one quorate membership (the agents' role files)
#   C3p an instance on every node of the quorate partition, none outside, one promoted
#   Q   once converged the cluster is quiet: no node's s_last_0 record changes in 4 s (a
#       loop of cancel-and-promote, or any other, would rewrite it)
#
# Usage (root): tests/cluster/cts.sh [-s SEED] [-n STEPS] [-b BOUND] [-k KIND,...] [-p]
#   SEED: the fault sequence (default: PL_CTS_SEED, else random; printed first; the same seed
#   gives the same sequence of faults). ctest runs the short variant (cluster.cts: seed 23, 6
#   steps, PL_CTS_SEED and PL_CTS_STEPS); a long
#   run by hand: tests/cluster/cts.sh -n 60. Exit 0: every invariant held; 1: one broke (the
#   step, the seed and the evidence are printed; node logs are kept in $PL_HARNESS_LOGS);
#   77: not root or no network namespaces. -k (or PL_CTS_KINDS, spaces) draws the faults from
#   these kinds only (a kind listed twice is drawn twice as often), e.g. -k attrd,kill.
set -u
export LC_ALL=C
SRC=${PL_TEST_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export PL_HARNESS_NAME=${PL_HARNESS_NAME:-plcts} PL_DEMO_SKIP_BUILD=1
export PL_HARNESS_LOGS=${PL_HARNESS_LOGS:-/tmp/plcts-logs}
. "$SRC/tests/cluster/harness.sh"
DEMO=$SRC/scripts/demo

seed=${PL_CTS_SEED:-$(( $(date +%s%N) % 100000 ))} steps=${PL_CTS_STEPS:-12} bound=90
kinds_all="kill kill crash partition loss rscfail config config attrd"
kinds_pick=${PL_CTS_KINDS:-$kinds_all}
promo=${PL_CTS_PROMOTABLE:-}
while getopts "s:n:b:k:p" o; do
	case $o in
	s) seed=$OPTARG ;;
	n) steps=$OPTARG ;;
	b) bound=$OPTARG ;;
	k) kinds_pick=${OPTARG//,/ } ;;
	p) promo=1 ;;
	*) echo "usage: $0 [-s SEED] [-n STEPS] [-b BOUND_S] [-k KIND,...] [-p]" >&2; exit 64 ;;
	esac
done
for k in $kinds_pick; do
	case " $kinds_all " in *" $k "*) ;; *) echo "cts: no fault kind '$k' (kinds: $kinds_all)" >&2; exit 64 ;; esac
done
harness_require_root_netns
[ -x "${PL_BIN:-$SRC/build/bin}/paceline-crmd" ] || { echo "SKIP: paceline-crmd not built"; exit 77; }
RANDOM=$seed
N=3
RSCS="d1 d2 g1 g2"
t_start=$(date +%s)
echo "cts: seed $seed, $steps steps, bound ${bound}s (reproduce: $0 -s $seed -n $steps${promo:+ -p})"

# ---- state of the run -------------------------------------------------------------------
declare -A up=([1]=1 [2]=1 [3]=1)	# node booted (not crashed)
side=""				# partition: the isolated node, or empty
declare -A expected_kills=()	# "node daemon" -> kill -9 this run made
declare -A log_from=([1]=0 [2]=0 [3]=0)	# launcher log lines already judged (a crashed node's)
declare -A pref=()		# resource -> node a location constraint prefers
attr_nodes=""			# nodes whose attrd_updater loop ran in the last attrd step
acked=""			# ids of acknowledged configuration updates
step_no=0 checks=0 polls=0 kinds=""

say() { echo "[$(date +%T) +$(( $(date +%s) - t_start ))s] $*"; }
nx() { "$DEMO" exec "$1" "${@:2}"; }
qnx() { timeout 20 "$DEMO" exec "$1" "${@:2}" 2> /dev/null; }

live_nodes() { local i; for i in 1 2 3; do [ "${up[$i]}" = 1 ] && echo "$i"; done; }
# the quorate partition's live nodes (the side with 2 of 3 votes; nobody when it lost them)
quorate_nodes() {
	local i l=()
	for i in $(live_nodes); do [ "$i" != "$side" ] && l+=("$i"); done
	[ "${#l[@]}" -ge 2 ] && echo "${l[@]}"
}
partition_of() { # partition_of I: the live nodes I can talk to
	local i
	if [ -n "$side" ] && [ "$1" = "$side" ]; then echo "$1"; return; fi
	for i in $(live_nodes); do [ "$i" != "$side" ] && echo "$i"; done
}

evidence() {
	local i
	echo "---- evidence (seed $seed, step $step_no) ----"
	for i in $(live_nodes); do
		echo "== n$i: launcher"; qnx "$i" paceline-launcher --status
		echo "== n$i: crm_mon -1"; qnx "$i" crm_mon -1 | head -30
		echo "== n$i: state files: $(ls "$(harness_node_dir "$i")/run/rsctmp" 2> /dev/null | tr '\n' ' ')"
	done
}
broke() { say "INVARIANT BROKEN: $*"; evidence; say "cts: FAILED at step $step_no (seed $seed)"; exit 1; }

# ---- what is true ---------------------------------------------------------------------------
running_on() { # running_on RSC: live nodes whose /run holds RSC's state file
	local i
	for i in $(live_nodes); do
		[ -f "$(harness_node_dir "$i")/run/rsctmp/paceline-Dummy-$1.state" ] && echo "$i"
	done
}

# the promotable clone's instance s: where it runs, and where it is promoted (role file)
stateful_file() { echo "$(harness_node_dir "$1")/run/rsctmp/paceline-Stateful-s.state"; }
s_running_on() { local i; for i in $(live_nodes); do [ -f "$(stateful_file "$i")" ] && echo "$i"; done; }
s_promoted_on() {
	local i
	for i in $(live_nodes); do
		[ "$(cat "$(stateful_file "$i").role" 2> /dev/null)" = promoted ] && echo "$i"
	done
}

# S2: deaths the launchers logged that this run did not cause
unexpected_deaths() {
	local i log line d
	for i in 1 2 3; do
		log=$(harness_node_dir "$i")/log/launcher.out
		[ -f "$log" ] || continue
		tail -n +"$((log_from[$i] + 1))" "$log" | grep -E "(killed by signal|exited with code).*respawning|crash loop" | grep -v "following " |
			while read -r line; do
				d=$(grep -oE '[a-z]+ (killed by signal|exited with code)' <<< "$line" | awk '{print $1; exit}')
				case $line in
				*"crash loop"*) echo "n$i: $line" ;;
				*"killed by signal 9 ("* | *"exited with code 1 "*)
					[ -n "${expected_kills["$i $d"]:-}" ] || echo "n$i: $line" ;;
				*) echo "n$i: $line" ;;
				esac
			done
	done
}

# What each live node's membership says now: quorate or not, and its members' node ids.
declare -A view_q=() view_m=()
snapshot_views() {
	local i out
	for i in $(live_nodes); do
		out=$(qnx "$i" paceline-quorumtool -s)
		view_q[$i]=$(awk '/^Quorate:/ {print $2}' <<< "$out")
		view_m[$i]=" $(awk '/^Membership information/ {m = 1} m && $1 ~ /^[0-9]+$/ {printf "%s ", $1}' <<< "$out")"
	done
}

# S1: two nodes running the same resource must not both be in one quorate view (each quorate
# and a member of the other's). Without fencing the two sides of a split may overlap for a
# moment while the one that lost quorum stops (Pacemaker's without fencing too): that is not
# a violation, only two nodes of the same quorate membership are. The views are taken before
# and after the state files are read; a pair counts only when both show it (a split between
# the two readings is not an overlap inside one membership).
together() { # together A B: in one quorate membership in view_q/view_m
	[ "${view_q[$1]:-}" = Yes ] && [ "${view_q[$2]:-}" = Yes ] || return 1
	case "${view_m[$1]:-}" in *" $2 "*) ;; *) return 1 ;; esac
	case "${view_m[$2]:-}" in *" $1 "*) ;; *) return 1 ;; esac
}
check_safety() {
	local r a b pairs="" still=""
	declare -A on=()
	snapshot_views
	for r in $RSCS; do on[$r]=$(running_on "$r" | tr '\n' ' '); done
	for r in $RSCS; do
		for a in ${on[$r]}; do
			for b in ${on[$r]}; do
				[ "$a" -lt "$b" ] && together "$a" "$b" && pairs="$pairs $r:$a:$b"
			done
		done
	done
	if [ -n "$pairs" ]; then
		snapshot_views
		for p in $pairs; do
			IFS=: read -r r a b <<< "$p"
			together "$a" "$b" && still="$still $r on n$a and n$b;"
		done
		[ -z "$still" ] || broke "S1: active twice in one quorate membership:$still"
	fi
	if [ -n "$promo" ]; then
		pairs=""
		local pr; pr=$(s_promoted_on | tr '\n' ' ')
		for a in $pr; do for b in $pr; do
			[ "$a" -lt "$b" ] && together "$a" "$b" && pairs="$pairs $a:$b"
		done; done
		if [ -n "$pairs" ]; then
			snapshot_views
			for p in $pairs; do
				IFS=: read -r a b <<< "$p"
				together "$a" "$b" && broke "S1p: s promoted on n$a and n$b in one quorate membership"
			done
		fi
	fi
	local u; u=$(unexpected_deaths)
	[ -z "$u" ] || broke "S2: unexpected daemon death: $u"
}

members_ok() { # C1 (on the views check_safety just took)
	local i want got
	for i in $(live_nodes); do
		want=$(partition_of "$i" | wc -l)
		got=$(wc -w <<< "${view_m[$i]:-}")
		[ "$got" = "$want" ] || { why="C1: n$i sees $got members, expected $want"; return 1; }
	done
}
dc_ok() { # C2
	local i j dc first
	for i in $(live_nodes); do
		first=""
		for j in $(partition_of "$i"); do
			dc=$(qnx "$j" crmadmin -D -q)
			[ -n "$dc" ] || { why="C2: n$j's controller names no DC"; return 1; }
			[ -z "$first" ] && first=$dc
			[ "$dc" = "$first" ] || { why="C2: n$j says DC $dc, another member says $first"; return 1; }
		done
		partition_of "$i" | grep -qx "${first#n}" || { why="C2: DC $first is not in n$i's partition"; return 1; }
	done
}
rsc_ok() { # C3
	local r on q p
	q=" $(quorate_nodes) "
	[ "$q" = "  " ] && return 0	# nothing may run without quorum: S1 covers it
	for r in $RSCS; do
		on=$(running_on "$r" | tr '\n' ' ')
		[ "$(wc -w <<< "$on")" = 1 ] || { why="C3: $r active on nodes [ $on]"; return 1; }
		case $q in *" ${on% } "*) ;; *) why="C3: $r active on n${on% }, outside the quorate partition"; return 1 ;; esac
		p=${pref[$r]:-}
		if [ -n "$p" ] && [ "${up[$p]}" = 1 ] && [ "$p" != "$side" ] && [ "${on% }" != "$p" ]; then
			why="C3: $r on n${on% }, the location preference says n$p"; return 1
		fi
	done
	# a group's members run together
	[ "$(running_on g1)" = "$(running_on g2)" ] || { why="C3: group g split: g1 on $(running_on g1), g2 on $(running_on g2)"; return 1; }
	[ -n "$promo" ] || return 0
	on=" $(s_running_on | tr '\n' ' ')"
	[ "$on" = "$q" ] || { why="C3p: s runs on [$on], the quorate partition is [$q]"; return 1; }
	on=$(s_promoted_on | tr '\n' ' ')
	[ "$(wc -w <<< "$on")" = 1 ] || { why="C3p: s promoted on [ $on]"; return 1; }
	case $q in *" ${on% } "*) ;; *) why="C3p: s promoted on n${on% }, outside the quorate partition"; return 1 ;; esac
}
# Q: a converged cluster is quiet: s's last operation stays what it is on every node
s_last_calls() {
	local i
	for i in $(quorate_nodes); do
		qnx "$i" cibadmin -Q -o status | grep 'id="s_last_0"' | sed -n 's/.*on_node="\([^"]*\)".*call-id="\([0-9]*\)".*/\1:\2/p' | sort | tr '\n' ' '
		return
	done
}
quiet_ok() {
	local before after
	before=$(s_last_calls)
	sleep 4
	after=$(s_last_calls)
	[ "$before" = "$after" ] || broke "Q: s's operations go on in a converged cluster: [$before] -> [$after]"
}
cib_ok() { # C4 + C5
	local i first="" sum id q
	q=$(quorate_nodes)
	[ -n "$q" ] || return 0
	for i in $q; do
		qnx "$i" cibadmin -Q > "$tmp/cib.$i" || { why="C4: n$i's cibadmin -Q failed"; return 1; }
		sum=$(md5sum < "$tmp/cib.$i")
		[ -z "$first" ] && first=$sum
		[ "$sum" = "$first" ] || { why="C4: n$i's CIB differs from another replica's ($(grep -o 'epoch="[0-9]*" num_updates="[0-9]*"' "$tmp/cib.$i" | head -1))"; return 1; }
	done
	for id in $acked; do
		grep -q "id=\"$id\"" "$tmp/cib.$i" || { why="C5: acknowledged update $id lost"; return 1; }
	done
}
converged() {
	polls=$((polls + 1))
	check_safety
	members_ok && dc_ok && rsc_ok && cib_ok
}
settle() {
	local t0; t0=$(date +%s)
	why=""
	while ! converged; do
		[ $(( $(date +%s) - t0 )) -ge "$bound" ] && broke "not converged within ${bound}s: $why"
		last_why=$why
		sleep 0.5
	done
	why=${last_why:-}; last_why=""
	checks=$((checks + 1))
	say "  converged in $(( $(date +%s) - t0 ))s (${polls} polls so far)${why:+; waited for: $why}"
	if [ -n "$promo" ] && [ -n "$(quorate_nodes)" ]; then
		quiet_ok
		say "  quiet: s promoted on n$(s_promoted_on | tr '\n' ' ')"
	fi
}

# ---- faults ---------------------------------------------------------------------------------
# pick WORD...: one of them into $P, from the run's seeded RANDOM. Never in $(...): a subshell's
# RANDOM does not advance ours, and bash reseeds it there, so the sequence would not reproduce.
pick() { local a=("$@"); P=${a[$((RANDOM % ${#a[@]}))]}; }
launcher_pid_of() { # launcher_pid_of I DAEMON
	qnx "$1" paceline-launcher --status | awk -v c="$2" '$1 == c && $3 ~ /^[0-9]+$/ { print $3 }'
}
cib_write() { # cib_write I: an acknowledged configuration update made on node I
	local id="cts-$step_no-$RANDOM"
	if qnx "$1" cibadmin -C -o crm_config -X \
		"<cluster_property_set id=\"$id\"><nvpair id=\"$id-v\" name=\"$id\" value=\"$step_no\"/></cluster_property_set>" > /dev/null; then
		case " $(quorate_nodes) " in *" $1 "*) acked="$acked $id" ;; esac
		say "  update $id acknowledged by n$1"
	else
		say "  update $id on n$1 not acknowledged (rc $?)"
	fi
}

f_kill() {
	local i d pid
	pick $(live_nodes); i=$P; pick membership cib lrmd pengine crmd crmd cib; d=$P
	pid=$(launcher_pid_of "$i" "$d")
	[ -n "$pid" ] || { say "kill: no $d on n$i"; return; }
	say "step $step_no: kill -9 $d (pid $pid) on n$i"
	expected_kills["$i $d"]=1
	# crmd exits (code 1) when it loses cib, lrmd or pengine, as Pacemaker's controller does;
	# the launcher usually says "following", not always (its window is short)
	case $d in cib | lrmd | pengine) expected_kills["$i crmd"]=1 ;; esac
	# the fencer exits too when it loses the CIB (seen with cts.sh -p -s 101: code 1 after
	# "lost the connection to paceline-cib"), as Pacemaker's fencer does
	[ "$d" = cib ] && expected_kills["$i stonithd"]=1
	kill -KILL "$pid"
	if [ "$d" = membership ]; then
		# the launcher stops the node's stack and exits 1 (docs/design/launcher.md): the
		# node is down until systemd would start the unit again
		wait_for 60 harness__no_pids "$i" || broke "n$i's stack did not stop after membership died"
		up[$i]=0
		log_from[$i]=$(wc -l < "$(harness_node_dir "$i")/log/launcher.out")
		settle
		step_no=$((step_no + 1))
		say "step $step_no: restart n$i's stack (as systemd restarts paceline.service)"
		"$DEMO" start "$i" > /dev/null || broke "n$i did not start"
		up[$i]=1
		return
	fi
	local w; pick $(quorate_nodes); w=$P
	[ -n "$w" ] && cib_write "$w"
}
f_crash() {
	local i
	[ "$(live_nodes | wc -l)" = 3 ] && [ -z "$side" ] || { f_kill; return; }
	pick 1 2 3; i=$P
	say "step $step_no: crash node n$i"
	"$DEMO" kill "$i" > /dev/null
	up[$i]=0
	# its launcher may have seen a daemon die of the same SIGKILL before dying itself
	log_from[$i]=$(wc -l < "$(harness_node_dir "$i")/log/launcher.out")
	settle
	step_no=$((step_no + 1))
	say "step $step_no: boot n$i"
	"$DEMO" start "$i" > /dev/null || broke "n$i did not boot"
	up[$i]=1
}
f_partition() {
	local i
	[ "$(live_nodes | wc -l)" = 3 ] || { f_kill; return; }
	pick 1 2 3; i=$P
	say "step $step_no: partition n$i | the others"
	harness_partition "$i|$(live_nodes | grep -vx "$i" | tr '\n' ' ')" || broke "partition failed"
	side=$i
	settle
	pick $(quorate_nodes); cib_write "$P"
	step_no=$((step_no + 1))
	say "step $step_no: heal"
	harness_heal
	side=""
}
f_loss() {
	local i p
	pick $(live_nodes); i=$P; pick 20 30 40; p=$P
	say "step $step_no: ${p}% packet loss on n$i for 4 s"
	harness_loss "$i" "$p" || { say "  loss unsupported here"; return; }
	pick $(live_nodes); cib_write "$P"
	sleep 4
	harness_loss "$i" 0
}
f_rscfail() {
	local r on
	if [ -n "$promo" ] && [ $((RANDOM % 3)) = 0 ]; then
		pick $(s_running_on); on=$P
		[ -n "$on" ] || { f_kill; return; }
		say "step $step_no: s's state lost on n$on$([ "$(s_promoted_on)" = "$on" ] && echo ' (promoted)') (its monitor fails)"
		rm -f "$(stateful_file "$on")" "$(stateful_file "$on").role"
		return
	fi
	pick $RSCS; r=$P; on=$(running_on "$r" | head -1)
	[ -n "$on" ] || { f_kill; return; }
	say "step $step_no: $r's state lost on n$on (its monitor fails)"
	rm -f "$(harness_node_dir "$on")/run/rsctmp/paceline-Dummy-$r.state"
}
f_config() {
	local r n w
	pick $(quorate_nodes); w=$P
	if [ $((RANDOM % 2)) = 0 ]; then
		pick d1 d2; r=$P; pick 1 2 3; n=$P
		say "step $step_no: prefer n$n for $r"
		if qnx "$w" cibadmin -R -o constraints -X "<rsc_location id=\"pref-$r\" rsc=\"$r\" node=\"n$n\" score=\"500\"/>" > /dev/null ||
			qnx "$w" cibadmin -C -o constraints -X "<rsc_location id=\"pref-$r\" rsc=\"$r\" node=\"n$n\" score=\"500\"/>" > /dev/null; then
			pref[$r]=$n
		else
			say "  constraint not acknowledged"
		fi
	else
		say "step $step_no: configuration update"
		cib_write "$w"
	fi
}

# attrd_updater -Q's value of NAME for host HOST as node I's attrd holds it ("" when unknown)
attr_of() { qnx "$1" attrd_updater -n "$2" -Q -N "$3" | sed -n 's/.* value="\(.*\)"$/\1/p'; }
attr_ok() { # attr_ok NAME: C6 on every node of the quorate partition and in its CIB
	local j i v last max
	for j in $attr_nodes; do
		last=$(awk '$2 == "ok" {v = $1} END {print v}' "$tmp/attr.$j")
		max=$(awk 'END {print $1}' "$tmp/attr.$j")
		[ -n "$last" ] || continue
		for i in $(quorate_nodes); do
			v=$(attr_of "$i" "$1" "n$j")
			[ -n "$v" ] && [ "$v" -ge "$last" ] && [ "$v" -le "$max" ] ||
				{ why="C6: n$i's attrd holds $1[n$j]='$v', last acknowledged $last (attempted up to $max)"; return 1; }
		done
		v=$(qnx "$i" crm_attribute -t status -N "n$j" -n "$1" -G -q)
		[ -n "$v" ] && [ "$v" -ge "$last" ] && [ "$v" -le "$max" ] ||
			{ why="C6: the CIB holds $1[n$j]='$v', last acknowledged $last"; return 1; }
	done
}
f_attrd() {
	local name="cts-a$step_no" i w j q pid
	q=$(quorate_nodes)
	[ -n "$q" ] || { f_kill; return; }
	w=$(tr ' ' '\n' <<< "$q" | sort -n | head -1)
	if [ $((RANDOM % 2)) = 0 ]; then i=$w; else pick $q; i=$P; fi
	pid=$(launcher_pid_of "$i" attrd)
	[ -n "$pid" ] || { say "attrd: no attrd on n$i"; return; }
	say "step $step_no: updates of $name from n${q// /, n} while attrd (pid $pid) is killed -9 on n$i$([ "$i" = "$w" ] && echo ' (the writer)')"
	attr_nodes=$q
	for j in $q; do
		: > "$tmp/attr.$j"
		(for v in $(seq 1 20); do
			if timeout 20 "$DEMO" exec "$j" attrd_updater -n "$name" -U "$v" > /dev/null 2>&1; then
				echo "$v ok"
			else
				echo "$v failed"
			fi
		done >> "$tmp/attr.$j") &
	done
	sleep 0.$((RANDOM % 5))
	expected_kills["$i attrd"]=1
	expected_kills["$i crmd"]=1	# the launcher may restart what follows attrd
	kill -KILL "$pid"
	wait
	say "  acknowledged: $(for j in $q; do printf 'n%s %s/20 ' "$j" "$(grep -c ' ok$' "$tmp/attr.$j")"; done)"
	local t0; t0=$(date +%s)
	until attr_ok "$name"; do
		[ $(( $(date +%s) - t0 )) -ge "$bound" ] && broke "not converged within ${bound}s: $why"
		sleep 0.5
	done
	checks=$((checks + 1))
	say "  C6: every acknowledged value of $name held by every node and the CIB ($(( $(date +%s) - t0 ))s)"
}

# ---- the run --------------------------------------------------------------------------------
tmp=$(mktemp -d /tmp/plcts.XXXXXX)
harness_lock 900 || exit 1
trap '"$DEMO" down > /dev/null 2>&1; rm -rf "$tmp"' EXIT
"$DEMO" down > /dev/null 2>&1
"$DEMO" up 3 | head -1 | sed 's/^/cts: /' || { echo "cts: the cluster did not start"; exit 1; }
nx 1 cibadmin -C -o crm_config -X '<cluster_property_set id="cts-opts"><nvpair id="cts-st" name="stonith-enabled" value="false"/><nvpair id="cts-nq" name="no-quorum-policy" value="stop"/></cluster_property_set>' > /dev/null ||
	broke "cannot configure the cluster"
mon='<operations><op id="ID-mon" name="monitor" interval="2s"/></operations>'
nx 1 cibadmin -C -o resources -X "<primitive id=\"d1\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">${mon//ID/d1}</primitive>" > /dev/null &&
	nx 1 cibadmin -C -o resources -X "<primitive id=\"d2\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">${mon//ID/d2}</primitive>" > /dev/null &&
	nx 1 cibadmin -C -o resources -X "<group id=\"g\"><primitive id=\"g1\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">${mon//ID/g1}</primitive><primitive id=\"g2\" class=\"ocf\" provider=\"paceline\" type=\"Dummy\">${mon//ID/g2}</primitive></group>" > /dev/null ||
	broke "cannot configure the resources"
if [ -n "$promo" ]; then
	nx 1 cibadmin -C -o resources -X '<clone id="ms"><meta_attributes id="ms-m"><nvpair id="ms-p" name="promotable" value="true"/></meta_attributes><primitive id="s" class="ocf" provider="paceline" type="Stateful"><operations><op id="s-mp" name="monitor" interval="3s" role="Promoted"/><op id="s-mu" name="monitor" interval="4s" role="Unpromoted"/></operations></primitive></clone>' > /dev/null ||
		broke "cannot configure the promotable clone"
fi
say "configured d1 d2 g(g1 g2)${promo:+ ms(s, promotable)}"
settle
while [ "$step_no" -lt "$steps" ]; do
	step_no=$((step_no + 1))
	pick $kinds_pick; k=$P
	kinds="$kinds $k"
	"f_$k"
	settle
done
say "cts: PASSED seed $seed: $step_no steps ($(tr ' ' '\n' <<< "$kinds" | grep . | sort | uniq -c | awk 'NF {printf "%s %s, ", $1, $2}' | sed 's/, $//')), $checks convergence checks, $polls invariant polls, $(wc -w <<< "$acked") acknowledged updates kept, in $(( $(date +%s) - t_start )) s"
