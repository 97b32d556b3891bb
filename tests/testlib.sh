# testlib.sh - what every shell test repeats (sourced): a failure counter and polling with a
# deadline (never a fixed sleep).
#   fail MSG...            print "FAIL: MSG" and count it in $fails
#   wait_for SECONDS CMD...  poll CMD every 50 ms until it succeeds (0) or SECONDS pass (1)
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
wait_for() {
	_end=$(($(date +%s) + $1)); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
	return 0
}
