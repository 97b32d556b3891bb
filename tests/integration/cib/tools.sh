#!/bin/sh
# cibadmin, crm_diff and crm_verify on CIB_file: Pacemaker's exit codes for each kind of
# request (recorded from Pacemaker 2.1.5's tools on the same inputs), the file left unchanged
# by rejected updates, and crm_diff patches applied by cibadmin -P (crmsh's commit path).
set -u
bin=${PL_BIN:?}
export PACELINE_SCHEMA_DIR=${PL_TEST_SRCDIR:?}/schemas
dir=$(mktemp -d /tmp/pl-cib-tools.XXXXXX)
trap 'rm -rf "$dir"' EXIT
fails=0

check() {	# check WANT_RC DESCRIPTION COMMAND...
	want=$1; what=$2; shift 2
	"$@" >"$dir/out" 2>"$dir/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit $got, want $want"; sed 's/^/  | /' "$dir/err"
		fails=$((fails + 1))
	fi
}

unset CIB_file
check 102 "cibadmin without CIB_file is not connected" "$bin/cibadmin" -Q
check 102 "crm_verify -L without CIB_file" "$bin/crm_verify" -L
check 1 "crm_verify without a source" "$bin/crm_verify"

"$bin/cibadmin" --empty > "$dir/cib.xml" || fails=$((fails + 1))
export CIB_file=$dir/cib.xml
P='<primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>'
check 0 "create" "$bin/cibadmin" -C -o resources -X "$P"
check 108 "create an existing id" "$bin/cibadmin" -C -o resources -X "$P"
grep -q '<failed>' "$dir/out" || { echo "FAIL: no <failed> report"; fails=$((fails + 1)); }
check 105 "create without a section is a modify of a missing object" \
	"$bin/cibadmin" -C -X '<primitive id="z" class="ocf" provider="heartbeat" type="Dummy"/>'
check 0 "modify" "$bin/cibadmin" -M -X '<primitive id="a" description="web"/>'
check 105 "modify a missing object" "$bin/cibadmin" -M -X '<primitive id="q"/>'
cp "$CIB_file" "$dir/before"
check 78 "schema violation" "$bin/cibadmin" -M -X '<primitive id="a" cnt="cnt++"/>'
grep -q 'does not conform to the configured schema' "$dir/err" ||
	{ echo "FAIL: schema error not said"; fails=$((fails + 1)); }
# as Pacemaker's: the numbered CIB and 'Call failed'; -V adds where (element, line, why)
check 78 "schema violation, -V" "$bin/cibadmin" -V -M -X '<primitive id="a" cnt="cnt++"/>'
grep -q 'element primitive id="a", line [0-9]*: Invalid attribute cnt' "$dir/err" ||
	{ echo "FAIL: schema error (-V) names no element and line"; fails=$((fails + 1)); }
cmp -s "$CIB_file" "$dir/before" || { echo "FAIL: rejected update changed the file"; fails=$((fails + 1)); }
check 0 "query a section" "$bin/cibadmin" -Q -o resources
grep -q 'description="web"' "$dir/out" || { echo "FAIL: query output"; fails=$((fails + 1)); }
check 105 "query a missing xpath" "$bin/cibadmin" -Q -A "//nope"
check 0 "node paths" "$bin/cibadmin" -Q -A "//primitive" -e
grep -qx "/cib/configuration/resources/primitive\[@id='a'\]" "$dir/out" || { echo "FAIL: -e"; fails=$((fails + 1)); }
check 0 "delete a missing object is not an error" "$bin/cibadmin" -D -X '<primitive id="nope"/>'
check 107 "erase without --force" "$bin/cibadmin" -E
check 0 "bump" "$bin/cibadmin" -B
check 107 "upgrade without --force" "$bin/cibadmin" --upgrade
check 0 "upgrade" "$bin/cibadmin" --upgrade --force
grep -q 'validate-with="pacemaker-3.9"' "$CIB_file" || { echo "FAIL: upgrade"; fails=$((fails + 1)); }
check 103 "replace with an older CIB" "$bin/cibadmin" -R -X \
	'<cib validate-with="pacemaker-3.9" epoch="0" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration></cib>'
# Pacemaker 2.1.5 works on the whole CIB when -o names no section
check 0 "unknown scope means the whole CIB" "$bin/cibadmin" -Q -o bogus

# crmsh's commit path: crm_diff --no-version | cibadmin -p -P
cp "$CIB_file" "$dir/old.xml"
sed 's#<constraints/>#<constraints><rsc_location id="l1" rsc="a" node="n1" score="10"/></constraints>#' \
	"$dir/old.xml" > "$dir/new.xml"
check 1 "crm_diff finds a difference" "$bin/crm_diff" --no-version -o "$dir/old.xml" -n "$dir/new.xml"
cp "$dir/out" "$dir/patch.xml"
check 0 "crm_diff of equal files" "$bin/crm_diff" -o "$dir/old.xml" -n "$dir/old.xml"
check 0 "cibadmin -P" sh -c "'$bin/cibadmin' -p -P < '$dir/patch.xml'"
check 0 "the patched constraint is there" "$bin/cibadmin" -Q -A "//rsc_location[@id='l1']"
cp "$dir/old.xml" "$dir/v-old.xml"
sed 's/epoch="[0-9]*"/epoch="99"/' "$dir/new.xml" > "$dir/v-new.xml"
"$bin/crm_diff" -o "$dir/v-old.xml" -n "$dir/v-new.xml" > "$dir/vpatch.xml"
check 103 "a versioned patch from an older version is refused" "$bin/cibadmin" -P -x "$dir/vpatch.xml"
sed 's/epoch="[0-9]*"/epoch="0"/' "$dir/old.xml" > "$dir/older.xml"
CIB_file=$dir/older.xml check 1 "a versioned patch ahead of the CIB needs a resync" \
	"$bin/cibadmin" -P -x "$dir/vpatch.xml"
check 0 "crm_diff applies its own patch" "$bin/crm_diff" -o "$dir/old.xml" -p "$dir/patch.xml"
grep -q 'id="l1"' "$dir/out" || { echo "FAIL: crm_diff -p output"; fails=$((fails + 1)); }
check 65 "crm_diff with malformed input" "$bin/crm_diff" -o "$dir/old.xml" -N '<cib'

# crm_verify
cat > "$dir/ok.xml" <<'XML'
<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes/><resources/><constraints/>
  </configuration>
  <status/>
</cib>
XML
check 0 "crm_verify on a valid CIB" "$bin/crm_verify" -x "$dir/ok.xml"
sed 's/value="false"/value="true"/' "$dir/ok.xml" > "$dir/nostonith.xml"
check 78 "crm_verify without STONITH devices" "$bin/crm_verify" -V -x "$dir/nostonith.xml"
grep -q "Resource start-up disabled since no STONITH resources have been defined" "$dir/err" ||
	{ echo "FAIL: STONITH message"; fails=$((fails + 1)); }
grep -q "crm_verify: Errors found during check: config not valid" "$dir/err" ||
	{ echo "FAIL: summary line"; fails=$((fails + 1)); }
check 78 "crm_verify with a schema error" "$bin/crm_verify" -X '<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources><primitive id="x"/></resources><constraints/></configuration></cib>'
check 78 "crm_verify --output-as=xml" "$bin/crm_verify" --output-as=xml -x "$dir/nostonith.xml"
grep -q '<status code="78" message="Invalid configuration"/>' "$dir/out" ||
	{ echo "FAIL: --output-as=xml"; fails=$((fails + 1)); }
check 0 "crm_verify -p" sh -c "'$bin/crm_verify' -p < '$dir/ok.xml'"
CIB_file=$dir/ok.xml check 0 "crm_verify -L with CIB_file" "$bin/crm_verify" -L

[ "$fails" -eq 0 ] && echo "all CIB tool checks passed"
exit "$fails"
