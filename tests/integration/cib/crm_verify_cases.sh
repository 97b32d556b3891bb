#!/bin/sh
# Hand-written CIBs, one per kind of mistake (tests/data/crm_verify-cases/), each with the exit
# code Pacemaker 2.1.5's crm_verify gave for it (tests/data/crm_verify-cases.tsv): ours must
# give the same.
set -u
src=${PL_TEST_SRCDIR:?}
bin=${PL_BIN:?}
export PACELINE_SCHEMA_DIR=$src/schemas
total=0 same=0
while IFS="$(printf '\t')" read -r name want; do
	case $name in '#'*|'') continue ;; esac
	total=$((total + 1))
	"$bin/crm_verify" -x "$src/tests/data/crm_verify-cases/$name.xml" >/dev/null 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		same=$((same + 1))
	else
		echo "DIFFERENT: $name (Pacemaker $want, ours $got)"
		"$bin/crm_verify" -VV -x "$src/tests/data/crm_verify-cases/$name.xml" 2>&1 | sed 's/^/  | /'
	fi
done < "$src/tests/data/crm_verify-cases.tsv"
echo "crm_verify agrees with Pacemaker 2.1.5 on $same/$total hand-written cases"
[ "$total" -gt 0 ] && [ "$same" -eq "$total" ]
