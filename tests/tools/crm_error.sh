#!/bin/sh
# Golden test: our crm_error must print exactly what Pacemaker 2.1.5's printed (recorded in
# tests/data/crm_error/cases.expected by crm_error_record.sh) and exit with the same status,
# for every argument list in cases.args: exit codes (-X), return codes (-r), legacy codes,
# listings, names, XML output, unparsable and out-of-range arguments, bad options.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
data="$src/tests/data/crm_error"
[ -x "$bin/crm_error" ] || { echo "crm_error not built"; exit 1; }
out=$(mktemp); trap 'rm -f "$out"' EXIT
# Run as plain "crm_error" so that the XML request attribute reads the same.
PATH="$bin:$PATH"
while IFS= read -r args; do
	printf '### %s\n' "$args"
	eval "crm_error $args" 2>/dev/null
	printf '### rc=%s\n' "$?"
done < "$data/cases.args" > "$out"
if ! diff -u "$data/cases.expected" "$out"; then
	echo "crm_error: output differs from Pacemaker 2.1.5's (see diff above)"
	exit 1
fi
# Each listing on its own, byte for byte.
for f in "-l -X:list-X.txt" "-n -l -X:list-n-X.txt" "-l:list.txt" "-n -l:list-n.txt" \
	 "-l -r:list-r.txt" "-n -l -r:list-n-r.txt"; do
	# shellcheck disable=SC2086
	crm_error ${f%%:*} | cmp -s - "$data/${f#*:}" || { echo "crm_error ${f%%:*} differs"; exit 1; }
done
# Errors go to stderr with the program name.
crm_error --output-as=bogus 1 2>&1 >/dev/null | grep -q "^crm_error: Error creating output format bogus: Unknown output format$" \
	|| { echo "bad --output-as message"; exit 1; }
crm_error -Z 2>&1 >/dev/null | grep -q "^crm_error: Unknown option -Z$" || { echo "bad option message"; exit 1; }
echo "crm_error: all cases match"
