# verdicts.sh - sourced by the crm_verify verdict tests: the corpus location and one comparison
# loop. Sets src, bin, corpus and PACELINE_SCHEMA_DIR; exits 77 when the corpus is absent.
src=${PL_TEST_SRCDIR:?}
bin=${PL_BIN:?}
# ../shared from the repository root; worktrees (one level deeper) look one level further up.
corpus=$src/../shared/conformance/scheduler/xml
[ -d "$corpus" ] || corpus=$src/../../shared/conformance/scheduler/xml
[ -d "$corpus" ] || { echo "no corpus at ../shared/conformance/scheduler/xml: skipped"; exit 77; }
export PACELINE_SCHEMA_DIR=$src/schemas

# compare_verdicts DIR VERDICTS KNOWN WHAT: run crm_verify -x DIR/NAME.xml for every "NAME<TAB>RC"
# line of VERDICTS and compare exit codes with Pacemaker's. Names listed in KNOWN are reported
# but do not count as failures. Prints "WHAT: same/total"; fails on any other difference.
compare_verdicts() {
	_dir=$1 _verdicts=$2 _known=$3 _what=$4
	_total=0 _same=0 _unexpected=0
	while IFS="$(printf '\t')" read -r _name _want _; do
		case $_name in '#'*|'') continue ;; esac
		_total=$((_total + 1))
		_got=0
		"$bin/crm_verify" -x "$_dir/$_name.xml" >/dev/null 2>&1 || _got=$?
		if [ "$_got" = "$_want" ]; then
			_same=$((_same + 1))
		elif grep -qx "$_name" "$_known"; then
			echo "known difference: $_name (Pacemaker $_want, ours $_got)"
		else
			echo "DIFFERENT: $_name (Pacemaker $_want, ours $_got)"
			_unexpected=$((_unexpected + 1))
		fi
	done < "$_verdicts"
	echo "$_what: $_same/$_total"
	[ "$_total" -gt 0 ] && [ "$_unexpected" -eq 0 ]
}
