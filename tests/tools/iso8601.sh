#!/bin/sh
# Differential test: for every argument list in tests/data/iso8601/cases.args (dates in each
# form, quirks of Pacemaker's grammar, durations, periods, output modifiers, -E, bad input),
# our iso8601 must print what Pacemaker 2.1.5's /usr/sbin/iso8601 prints, on stdout and stderr,
# and exit with the same status, in three time zones (zone-less times are local).
# The detail line of a parse error is "iso8601 error: WHY" here and "(function) error: WHY"
# there; both read as "error: WHY". Skips (77) without Pacemaker's iso8601.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
ref=${PL_REF_ISO8601:-/usr/sbin/iso8601}
[ -x "$bin/iso8601" ] || { echo "iso8601 not built"; exit 1; }
if [ ! -x "$ref" ] || ! "$ref" --version 2>/dev/null | grep -q '^Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 iso8601 at $ref: skipped"
	exit 77
fi
run() { # PROGRAM TZ ARGS...
	p=$1 tz=$2; shift 2
	TZ=$tz PCMK_stderr=1 "$p" "$@" 2>&1
	echo "rc=$?"
}
norm() { sed -E 's/^(\([a-z_]+\)|iso8601) *	?error:/error:/'; }
n=0 bad=0
for tz in UTC Europe/Paris America/New_York; do
	while IFS= read -r args; do
		n=$((n + 1))
		a=$(eval "run $ref $tz $args" | norm)
		b=$(eval "run $bin/iso8601 $tz $args" | norm)
		if [ "$a" != "$b" ]; then
			bad=$((bad + 1))
			echo "### TZ=$tz iso8601 $args"
			printf '%s\n' "$a" >/tmp/iso8601.ref.$$; printf '%s\n' "$b" >/tmp/iso8601.our.$$
			diff /tmp/iso8601.ref.$$ /tmp/iso8601.our.$$
			rm -f /tmp/iso8601.ref.$$ /tmp/iso8601.our.$$
		fi
	done < "$src/tests/data/iso8601/cases.args"
done
echo "iso8601: $n cases, $bad differ from Pacemaker's"
[ "$bad" -eq 0 ]
