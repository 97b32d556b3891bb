#!/bin/sh
# Hostile XML through paceline-cib and the tools in file mode (issue 17, defects 1-4):
#  - 100,000 nested elements via cibadmin -C: refused (65), daemon alive, CIB version unchanged;
#    the same through crm_verify, crm_diff, crm_simulate (nested <rule>s), cibadmin file mode;
#  - a DOCTYPE with an internal entity used in replace and create: refused, CIB unchanged;
#  - billion laughs as a query document: refused in well under a second;
#  - an expensive XPath: stopped at its bound (124), and another client is served meanwhile
#    within the bound; a cheap XPath on the same CIB still answers;
#  - 256 levels (the limit) of nested rules still go through every tool;
#  - a cib.xml matching its digest but failing the schema is reported at load with the repair.
set -u
bin=${PL_BIN:?}
[ -x "$bin/paceline-cib" ] && [ -x "$bin/cibadmin" ] || { echo "paceline-cib not built"; exit 77; }
command -v python3 >/dev/null || { echo "python3 needed"; exit 77; }

tmp=$(mktemp -d /tmp/pl-hostile.XXXXXX)
chmod 755 "$tmp"
export PL_IPC_PREFIX="pl-hostile-$$" PL_STATE_DIR="$tmp/state" PL_NODE_NAME=node1
export PL_CIB_MEMBERSHIP_TIMEOUT_MS=200
unset CIB_file
daemon_pid=""
cleanup() {
	if [ -n "$daemon_pid" ]; then
		kill "$daemon_pid" 2>/dev/null
		wait "$daemon_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../../testlib.sh"
expect() {
	_want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	_rc=$?
	[ "$_rc" = "$_want" ] || fail "$* exited $_rc, expected $_want: $(head -3 "$tmp/err")"
}
expect_err() { grep -q "$1" "$tmp/err" || fail "expected '$1' in: $(head -3 "$tmp/err")"; }
ms() { date +%s%3N; }
version() { "$bin/cibadmin" -Q -n 2>/dev/null | sed -n 's/.*epoch="\([0-9]*\)".*num_updates="\([0-9]*\)".*admin_epoch="\([0-9]*\)".*/\3.\1.\2/p'; }

python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
n = 100000
def w(name, text): open(d + "/" + name, "w").write(text)
w("deep.xml", '<primitive id="deep" class="ocf" provider="heartbeat" type="Dummy">' +
  "<a>" * n + "</a>" * n + "</primitive>")
cib = ('<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0">'
       '<configuration><crm_config/><nodes><node id="1" uname="n1"/></nodes><resources>'
       '<primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/></resources>'
       '<constraints><rsc_location id="l" rsc="d"><rule id="r0" score="10" boolean-op="and">\n'
       '%s</rule></rsc_location></constraints></configuration><status/></cib>\n')
def rules(k):
    return ("".join('<rule id="r%d" score="1" boolean-op="and">' % i for i in range(1, k)) +
            '<expression id="e" attribute="#uname" operation="eq" value="n1"/>' + "</rule>" * (k - 1))
w("deeprules.xml", cib % rules(n))
w("limitrules.xml", cib % rules(256 - 5))	# cib/configuration/constraints/rsc_location = 4
ent = '<?xml version="1.0"?>\n<!DOCTYPE primitive [\n<!ENTITY e "x">\n]>\n'
w("entity-create.xml", ent + '<primitive id="e1" class="ocf" provider="heartbeat" type="Dummy" description="&e;"/>\n')
w("entity-replace.xml", ent.replace("primitive", "resources") +
  '<resources><primitive id="d" class="ocf" provider="heartbeat" type="&e;"/></resources>\n')
laughs = '<?xml version="1.0"?>\n<!DOCTYPE cib [\n<!ENTITY l0 "lollollollollollollollollollol">\n'
for i in range(1, 12):
    laughs += '<!ENTITY l%d "%s">\n' % (i, ("&l%d;" % (i - 1)) * 10)
w("laughs.xml", laughs + ']>\n<cib><status a="&l11;">&l11;</status></cib>\n')
big = ('<resources><primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/>' + "".join('<primitive id="p%d" class="ocf" provider="heartbeat" type="Dummy">'
       '<instance_attributes id="i%d"><nvpair id="n%d" name="a" value="b"/></instance_attributes>'
       '</primitive>' % (i, i, i) for i in range(2000)) + '</resources>')
w("big.xml", big)
PY

# --- tools in file mode ---
for t in "crm_verify -x $tmp/deeprules.xml" "crm_simulate -x $tmp/deeprules.xml -S" \
	 "crm_diff -o $tmp/deeprules.xml -n $tmp/limitrules.xml"; do
	"$bin"/$t >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" != 0 ] && [ "$rc" -lt 128 ] || fail "$t exited $rc"
	expect_err "deeprules.xml:[0-9]*:.*[Dd]epth\|deeprules.xml:[0-9]*:.*nested deeper"
done
expect 65 env CIB_file="$tmp/deeprules.xml" "$bin/cibadmin" -Q
expect_err "nested deeper than 256 levels"
cp "$tmp/limitrules.xml" "$tmp/file.xml"
expect 65 env CIB_file="$tmp/file.xml" "$bin/cibadmin" -C -o resources -x "$tmp/deep.xml"
expect 65 env CIB_file="$tmp/file.xml" "$bin/cibadmin" -C -o resources -x "$tmp/entity-create.xml"
expect_err "DOCTYPE"
cmp -s "$tmp/file.xml" "$tmp/limitrules.xml" || fail "file-mode CIB changed by refused updates"
# at the limit: everything still works
expect 0 "$bin/crm_simulate" -x "$tmp/limitrules.xml" -S
expect 0 "$bin/crm_diff" -o "$tmp/limitrules.xml" -n "$tmp/limitrules.xml"
expect 0 env CIB_file="$tmp/limitrules.xml" "$bin/cibadmin" -Q
"$bin/crm_verify" -x "$tmp/limitrules.xml" >"$tmp/out" 2>"$tmp/err"
[ $? -lt 128 ] || fail "crm_verify crashed on 256 levels"

# --- through the daemon ---
"$bin/paceline-cib" -V -l "$tmp/cib.log" 2>>"$tmp/cib.err" &
daemon_pid=$!
wait_for 10 "$bin/cibadmin" -Q -o status || { fail "daemon did not start"; exit 1; }
expect 0 "$bin/cibadmin" -C -o resources -X '<primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/>'
v0=$(version)
expect 65 "$bin/cibadmin" -C -o resources -x "$tmp/deep.xml"
expect_err "refused XML: element <a> is nested deeper than 256 levels"
expect 65 "$bin/cibadmin" -C -o resources -x "$tmp/entity-create.xml"
expect_err "document type declarations are not accepted"
expect 65 "$bin/cibadmin" -R -o resources -x "$tmp/entity-replace.xml"
t0=$(ms)
expect 65 "$bin/cibadmin" -C -o status -x "$tmp/laughs.xml"
t1=$(ms)
[ $((t1 - t0)) -lt 1000 ] || fail "billion laughs took $((t1 - t0)) ms"
kill -0 "$daemon_pid" 2>/dev/null || fail "paceline-cib died"
[ "$(version)" = "$v0" ] || fail "CIB version moved from $v0 to $(version)"
expect 0 "$bin/cibadmin" -Q -o resources
grep -q 'id="d"' "$tmp/out" || fail "resource d lost"
grep -q 'description=\|id="deep"\|id="e1"' "$tmp/out" && fail "a refused object is in the CIB"
# a create deep inside the CIB may not push it past the limit either
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
def rules(k, p):
    return ("".join('<rule id="%s%d" score="1" boolean-op="and">' % (p, i) for i in range(k)) +
            '<expression id="%se" attribute="#uname" operation="eq" value="n1"/>' % p + "</rule>" * k)
open(d + "/half.xml", "w").write('<rsc_location id="half" rsc="d" >' + rules(200, "h") + '</rsc_location>')
open(d + "/half2.xml", "w").write(rules(200, "k"))
PY
expect 0 "$bin/cibadmin" -C -o constraints -x "$tmp/half.xml"
v1=$(version)
expect 65 "$bin/cibadmin" -C --xpath "//rule[@id='h199']" -x "$tmp/half2.xml"
expect_err "the update would nest the CIB deeper than 256 levels"
[ "$(version)" = "$v1" ] || fail "CIB version moved from $v1 to $(version)"
expect 0 "$bin/cibadmin" -R -o resources -x "$tmp/big.xml"

# --- expensive XPath: bounded, and the daemon serves others meanwhile ---
t0=$(ms)
"$bin/cibadmin" -Q --xpath '//*[count(ancestor-or-self::*//*) > 1]' >"$tmp/xp.out" 2>"$tmp/xp.err" &
xp_pid=$!
sleep 0.2
"$bin/cibadmin" -Q -o nodes >/dev/null 2>&1 || fail "a plain query failed during the expensive XPath"
wait "$xp_pid"
rc=$?
t1=$(ms)
[ "$rc" = 124 ] || fail "expensive XPath exited $rc, expected 124: $(head -2 "$tmp/xp.err")"
grep -q "time bound" "$tmp/xp.err" || fail "expensive XPath message: $(head -2 "$tmp/xp.err")"
[ $((t1 - t0)) -lt 6000 ] || fail "expensive XPath took $((t1 - t0)) ms"
expect 0 "$bin/cibadmin" -Q --xpath "//nvpair[@id='n1999']"
grep -q 'id="n1999"' "$tmp/out" || fail "cheap XPath did not answer"
# -e (the path of each match) evaluates in cibadmin's own process, on a copy fetched from
# the daemon or on CIB_file: bounded the same way, with the same errors
t0=$(ms)
expect 124 "$bin/cibadmin" -Q -e --xpath '//*[count(ancestor-or-self::*//*) > 1]'
t1=$(ms)
expect_err "time bound"
expect_err "Timeout occurred"
[ $((t1 - t0)) -lt 6000 ] || fail "expensive XPath with -e took $((t1 - t0)) ms"
expect 0 "$bin/cibadmin" -Q -e --xpath "//nvpair[@id='n1999']"
grep -qx "/cib/configuration/resources/.*nvpair\[@id='n1999'\]" "$tmp/out" || fail "-e path: $(cat "$tmp/out")"
expect 64 "$bin/cibadmin" -Q -e --xpath '//['
expect_err "invalid XPath expression"
expect 105 "$bin/cibadmin" -Q -e --xpath '//nothing-like-this'
"$bin/cibadmin" -Q >"$tmp/whole.xml"
expect 124 env CIB_file="$tmp/whole.xml" "$bin/cibadmin" -Q -e --xpath '//*[count(ancestor-or-self::*//*) > 1]'
kill -0 "$daemon_pid" 2>/dev/null || fail "paceline-cib died"

# --- defect 10: a cib.xml that matches its digest but fails the schema: loud at load ---
kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=""
store=$PL_STATE_DIR/cib
cat >"$store/cib.xml" <<'CIB'
<cib validate-with="pacemaker-3.7" epoch="9" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources><primitive id="bad" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="bad-m" name="monitor" interval="10s"/></operations></primitive><bogus id="x"/></resources><constraints/></configuration></cib>
CIB
sha256sum "$store/cib.xml" | cut -c1-64 >"$store/cib.xml.sig"
rm -f "$store"/cib-*.raw* 2>/dev/null
: >"$tmp/cib.log"
"$bin/paceline-cib" -V -l "$tmp/cib.log" 2>>"$tmp/cib.err" &
daemon_pid=$!
wait_for 10 "$bin/cibadmin" -Q -o status || { fail "daemon did not start on an invalid CIB"; exit 1; }
grep -q "does NOT conform to its schema" "$tmp/cib.log" || fail "no schema error at load: $(tail -3 "$tmp/cib.log")"
grep -q "cibadmin -R -x cib.xml" "$tmp/cib.log" || fail "no repair advice at load"
expect 78 "$bin/cibadmin" -M -X '<primitive id="bad" description="x"/>'
"$bin/cibadmin" -Q >"$tmp/fixed.xml"
sed -i 's|<bogus id="x"/>||' "$tmp/fixed.xml"
expect 0 "$bin/cibadmin" -R -x "$tmp/fixed.xml"
expect 0 "$bin/cibadmin" -M -X '<primitive id="bad" description="x"/>'

[ "$fails" = 0 ] && echo "hostile xml: all checks passed"
exit "$fails"
