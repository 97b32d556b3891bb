#!/bin/sh
# Differential test: the argument lists of tests/data/crm_ticket/cases.args run in order on
# one CIB file (an rsc_ticket for T and for A), once with Pacemaker 2.1.5's
# /usr/sbin/crm_ticket and once with ours; each step must print the same and exit the same,
# and the CIB must end the same (the ticket states; times of last-granted aside).
# Skips (77) without Pacemaker's crm_ticket.
set -u
src=${PL_TEST_SRCDIR:?}; bin=${PL_BIN:?}
ref=${PL_REF_CRM_TICKET:-/usr/sbin/crm_ticket}
[ -x "$bin/crm_ticket" ] || { echo "crm_ticket not built"; exit 1; }
if [ ! -x "$ref" ] || ! "$ref" --version 2>/dev/null | grep -q '^Pacemaker 2\.1\.5'; then
	echo "no Pacemaker 2.1.5 crm_ticket at $ref: skipped"
	exit 77
fi
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cat > "$dir/start.xml" <<'XML'
<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="3" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config/>
    <nodes/>
    <resources>
      <primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_ticket id="t1" rsc="d" ticket="T" loss-policy="stop"/>
      <rsc_ticket id="t2" rsc="d" ticket="A"/>
    </constraints>
  </configuration>
  <status/>
</cib>
XML
run() { # PROGRAM CIB: every case, output and status
	cp "$dir/start.xml" "$2"
	while IFS= read -r args; do
		echo "### crm_ticket $args"
		eval "CIB_file=$2 $1 $args" 2>&1
		echo "rc=$?"
	done < "$src/tests/data/crm_ticket/cases.args" |
		sed -E "s/'[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} [0-9]{4}'/'TIME'/g; s/last-granted=\"[0-9]+\"/last-granted=\"T\"/"
	grep -A6 '<tickets' "$2" | sed -E 's/last-granted="[0-9]+"/last-granted="T"/'
}
run "$ref" "$dir/ref.xml" > "$dir/ref.out"
run "$bin/crm_ticket" "$dir/our.xml" > "$dir/our.out"
if ! diff -u "$dir/ref.out" "$dir/our.out"; then
	echo "crm_ticket: differs from Pacemaker's (see above)"
	exit 1
fi
# Listings of many tickets come in Pacemaker's (hash table) order.
for q in -l -L -w -q -c; do
	a=$(CIB_file="$src/tests/data/crm_ticket/many.xml" "$ref" $q 2>&1)
	b=$(CIB_file="$src/tests/data/crm_ticket/many.xml" "$bin/crm_ticket" $q 2>&1)
	[ "$a" = "$b" ] || { echo "crm_ticket $q on many.xml differs:"; echo "$a"; echo "---"; echo "$b"; exit 1; }
done
echo "crm_ticket: $(grep -c . "$src/tests/data/crm_ticket/cases.args") steps as Pacemaker's"
