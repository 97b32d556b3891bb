#!/bin/sh
# Record Pacemaker's crm_error output for every case in tests/data/crm_error/cases.args
# (run where Debian's pacemaker-cli-utils is installed; the result is checked in as a fact).
#   tests/tools/crm_error_record.sh > tests/data/crm_error/cases.expected
set -u
here=$(cd "$(dirname "$0")/../data/crm_error" && pwd)
while IFS= read -r args; do
	printf '### %s\n' "$args"
	eval "crm_error $args" 2>/dev/null
	printf '### rc=%s\n' "$?"
done < "$here/cases.args"
