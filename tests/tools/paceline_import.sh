#!/bin/sh
# paceline-import: Heartbeat's ha.cf/authkeys/haresources and pm_crmgen CSV templates.
# - the tutorial configurations become a paceline.conf that paceline-membership accepts, a
#   0400 key and a CIB that crm_verify accepts; every directive is in the report with its line;
# - Debian's own sample ha.cf/authkeys (heartbeat package, read only) are reported line by line;
# - CSV templates become CIB XML that crm_verify accepts and that is the same tree crmsh
#   builds from the crm file we write (when crmsh is installed); Shift_JIS reads as UTF-8;
# - bad inputs: a clear error naming file, line (and column), exit 65, nothing written.
set -u
bin=${PL_BIN:?}
src=${PL_TEST_SRCDIR:?}
data=$src/tests/data/import
imp=$bin/paceline-import
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() { # expect_rc WANT GOT WHAT
	[ "$1" = "$2" ] || fail "$3: exit $2, expected $1"
}
has() { # has FILE TEXT WHAT
	grep -qF -- "$2" "$1" || { fail "$3: no '$2' in:"; sed 's/^/    /' "$1" | head -20; }
}
keys() { cp "$data/$1.authkeys" "$tmp/$1.authkeys"; chmod 600 "$tmp/$1.authkeys"; }
keys crc
keys sha1

# --- Heartbeat, crm mode (the first tutorial): config only -------------------------------
"$imp" heartbeat -o "$tmp/crm" "$data/crm-yes.ha.cf" "$tmp/crc.authkeys" >"$tmp/out" 2>"$tmp/rep"
expect_rc 0 $? "crm-yes import"
has "$tmp/crm/paceline.conf" "token: 30000" "deadtime 30 -> token"
has "$tmp/crm/paceline.conf" "mcastport: 694" "udpport"
has "$tmp/crm/paceline.conf" "two_node: 1" "two nodes"
has "$tmp/rep" "crm-yes.ha.cf:4: translated: keepalive 2" "keepalive reported with its line"
has "$tmp/rep" "crm-yes.ha.cf:9: note: bcast eth1 eth2" "bcast reported with its line"
has "$tmp/rep" "crc.authkeys:1: note: auth 1 is crc" "crc said to authenticate nothing"
[ "$(stat -c %a "$tmp/crm/authkey")" = 400 ] || fail "authkey mode is not 0400"
[ "$(stat -c %s "$tmp/crm/authkey")" = 256 ] || fail "authkey is not 256 bytes"
[ -e "$tmp/crm/cib.xml" ] && fail "a CIB written without haresources"
lines=$(grep -cvE '^[[:space:]]*(#|$)' "$data/crm-yes.ha.cf")
said=$(grep -c 'crm-yes.ha.cf:[0-9]' "$tmp/rep")
[ "$said" -ge "$lines" ] || fail "$lines directives but only $said reported with a line"

# --- Heartbeat v1 with haresources (the second tutorial) ----------------------------------
"$imp" heartbeat -o "$tmp/v1" "$data/v1.ha.cf" "$tmp/sha1.authkeys" "$data/v1.haresources" \
	>"$tmp/out" 2>"$tmp/rep"
expect_rc 0 $? "v1 import"
has "$tmp/rep" "v1.ha.cf:14: not translated: serial" "serial reported"
has "$tmp/rep" "v1.ha.cf:13: not translated: apiauth" "apiauth reported"
has "$tmp/rep" "v1.ha.cf:9: translated: auto_failback on" "auto_failback"
has "$tmp/v1/paceline.conf" "syslog_facility: local0" "logfacility"
has "$tmp/v1/cib.xml" 'type="IPaddr2"' "IP address -> IPaddr2"
has "$tmp/v1/cib.xml" 'name="directory" value="/srv/www"' "Filesystem arguments"
has "$tmp/v1/cib.xml" '<group id="group_alice">' "a group per line"
has "$tmp/v1/cib.xml" 'name="promotable" value="true"' "drbddisk -> promotable clone"
has "$tmp/v1/cib.xml" 'rsc_location id="location-group_alice-alice" rsc="group_alice" node="alice" score="100"' \
	"location preference for the line's node"
has "$tmp/v1/cib.xml" 'attribute="pingd"' "ping rule"
"$bin/crm_verify" -x "$tmp/v1/cib.xml" >"$tmp/verify" 2>&1 || { fail "crm_verify refuses the v1 CIB"; cat "$tmp/verify"; }
# nothing overwritten without --force
"$imp" heartbeat -o "$tmp/v1" "$data/v1.ha.cf" "$tmp/sha1.authkeys" >/dev/null 2>"$tmp/rep"
expect_rc 108 $? "existing output without --force"
# a dry run writes nothing
"$imp" heartbeat --dry-run -o "$tmp/dry" "$data/v1.ha.cf" "$tmp/sha1.authkeys" >"$tmp/out" 2>/dev/null
expect_rc 0 $? "dry run"
[ -e "$tmp/dry" ] && fail "dry run wrote $tmp/dry"
has "$tmp/out" "==> $tmp/dry/paceline.conf" "dry run prints the files"

# --- bad Heartbeat input --------------------------------------------------------------------
cp "$data/crc.authkeys" "$tmp/open.authkeys"; chmod 644 "$tmp/open.authkeys"
"$imp" heartbeat -o "$tmp/bad" "$data/crm-yes.ha.cf" "$tmp/open.authkeys" >/dev/null 2>"$tmp/rep"
expect_rc 65 $? "mode 0644 authkeys"
has "$tmp/rep" "mode 0644" "authkeys mode named"
[ -e "$tmp/bad" ] && fail "output written despite an error"
printf 'auth 3\n1 sha1\n' >"$tmp/k"; chmod 600 "$tmp/k"
"$imp" heartbeat -o "$tmp/bad" "$data/crm-yes.ha.cf" "$tmp/k" >/dev/null 2>"$tmp/rep"
expect_rc 65 $? "bad authkeys"
has "$tmp/rep" "k:2: error: sha1 takes a key" "sha1 without its key"
printf 'deadtime soon\nbcast eth0\n' >"$tmp/bad.cf"
"$imp" heartbeat -o "$tmp/bad" "$tmp/bad.cf" "$tmp/crc.authkeys" >/dev/null 2>"$tmp/rep"
expect_rc 65 $? "bad ha.cf"
has "$tmp/rep" "bad.cf:1: error: deadtime: 'soon' is not a time" "bad time named"
has "$tmp/rep" "no 'node' directive" "missing nodes"
"$imp" heartbeat "$tmp/none.cf" "$tmp/crc.authkeys" >/dev/null 2>"$tmp/rep"
expect_rc 65 $? "missing ha.cf"
has "$tmp/rep" "none.cf: error:" "missing file named"

# --- Debian's sample files (package heartbeat, read only; never started) -------------------
doc=/usr/share/doc/heartbeat
if [ ! -f "$doc/ha.cf.gz" ] && command -v apt-get >/dev/null 2>&1; then
	(cd "$tmp" && apt-get download heartbeat >/dev/null 2>&1 &&
		dpkg -x heartbeat_*.deb "$tmp/pkg" >/dev/null 2>&1)
	doc=$tmp/pkg/usr/share/doc/heartbeat
fi
if [ -f "$doc/ha.cf.gz" ]; then
	zcat "$doc/ha.cf.gz" >"$tmp/sample.cf"
	cp "$doc/authkeys" "$tmp/sample.authkeys"; chmod 600 "$tmp/sample.authkeys"
	"$imp" heartbeat -o "$tmp/s" "$tmp/sample.cf" "$tmp/sample.authkeys" >/dev/null 2>"$tmp/rep"
	expect_rc 65 $? "Debian's sample as shipped (no nodes, no auth line)"
	has "$tmp/rep" "no 'node' directive" "sample: no nodes"
	has "$tmp/rep" "no 'auth N' line" "sample authkeys: all commented out"
	for d in logfacility auto_failback; do
		n=$(grep -n "^$d" "$tmp/sample.cf" | cut -d: -f1)
		has "$tmp/rep" "sample.cf:$n:" "sample: $d reported at line $n"
	done
	# the same files completed as the sample's comments say
	printf 'node ken3\nnode kathy\nbcast eth0\n' >>"$tmp/sample.cf"
	printf 'auth 1\n1 sha1 HI!\n' >>"$tmp/sample.authkeys"
	"$imp" heartbeat -o "$tmp/s" "$tmp/sample.cf" "$tmp/sample.authkeys" >/dev/null 2>"$tmp/rep"
	expect_rc 0 $? "Debian's sample completed"
	has "$tmp/s/paceline.conf" "name: kathy" "sample nodes"
else
	echo "skip: Debian's heartbeat sample files are not available"
fi

# --- pm_crmgen CSV --------------------------------------------------------------------------
for f in slides-primitive active-standby promotable; do
	"$imp" crmgen --xml -o "$tmp/$f.xml" "$data/$f.csv" 2>"$tmp/rep"
	expect_rc 0 $? "crmgen --xml $f"
	"$imp" crmgen "$data/$f.csv" >"$tmp/$f.crm" 2>/dev/null
	expect_rc 0 $? "crmgen --crm $f"
	"$bin/crm_verify" -x "$tmp/$f.xml" >"$tmp/verify" 2>&1 ||
		{ fail "crm_verify refuses $f"; cat "$tmp/verify"; }
	if command -v crm >/dev/null 2>&1 && [ -d /usr/lib/ocf/resource.d/heartbeat ]; then
		printf '<cib validate-with="pacemaker-3.9" admin_epoch="0" epoch="1" num_updates="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>\n' >"$tmp/$f.crmsh.xml"
		CIB_file=$tmp/$f.crmsh.xml timeout 60 crm configure load update "$tmp/$f.crm" \
			>/dev/null 2>&1 || fail "crmsh refuses the crm file of $f"
		python3 "$src/tests/tools/cib_config_equal.py" "$tmp/$f.xml" "$tmp/$f.crmsh.xml" ||
			fail "$f: our CIB is not what crmsh makes of our crm file"
	fi
done
has "$tmp/slides-primitive.crm" 'primitive prmIpWWW ocf:heartbeat:IPaddr' "slides primitive"
has "$tmp/slides-primitive.crm" 'op monitor timeout="60s" interval="10s" on-fail="restart"' "slides ops"
has "$tmp/slides-primitive.xml" 'name="cidr_netmask" value="24"' "slides params"
# crm_mon shows the imported primitive (Paceline's, and Pacemaker's as the oracle if installed)
for mon in "$bin/crm_mon" /usr/sbin/crm_mon; do
	[ -x "$mon" ] || continue
	CIB_file=$tmp/slides-primitive.xml "$mon" -1 -r >"$tmp/mon" 2>&1 || fail "$mon on the slides CIB"
	has "$tmp/mon" "prmIpWWW" "$mon shows the slides primitive"
	has "$tmp/mon" "(ocf:heartbeat:IPaddr)" "$mon shows its agent"
	CIB_file=$tmp/active-standby.xml "$mon" -1 -r >"$tmp/mon" 2>&1 || fail "$mon on the active/standby CIB"
	has "$tmp/mon" "Resource Group: grpWWW" "$mon shows the group"
	has "$tmp/mon" "Clone Set: clnPing [prmPing]" "$mon shows the ping clone"
done
has "$tmp/active-standby.crm" 'rule -INFINITY: not_defined default_ping_set or default_ping_set lt 100' "pingd rule"
has "$tmp/active-standby.crm" 'colocation rsc_colocation-grpWWW-clnPing-1 INFINITY: grpWWW clnPing' "pingd colocation"
has "$tmp/active-standby.crm" 'order rsc_order-clnPing-grpWWW-1 0: clnPing grpWWW symmetrical=false' "pingd order"
has "$tmp/active-standby.crm" 'rule -INFINITY: #uname eq node01' "STONITH kept off its own node"

# Shift_JIS: the same sheet with Japanese text, saved by Excel on Japanese Windows
if command -v iconv >/dev/null 2>&1; then
	{ echo '#表-1 クラスタ設定（日本語のコメント）,,,,,,'; cat "$data/active-standby.csv"; } |
		iconv -f UTF-8 -t SHIFT_JIS >"$tmp/sjis.csv"
	"$imp" crmgen "$tmp/sjis.csv" >"$tmp/sjis.crm" 2>"$tmp/rep"
	expect_rc 0 $? "Shift_JIS sheet"
	has "$tmp/rep" "Shift_JIS text" "encoding said"
	sed 1d "$tmp/sjis.crm" >"$tmp/a"; sed 1d "$tmp/active-standby.crm" >"$tmp/b"
	cmp -s "$tmp/a" "$tmp/b" || fail "the Shift_JIS sheet reads differently from UTF-8"
fi

# bad CSV: errors name line and column; everything is listed; nothing is written
cat >"$tmp/bad.csv" <<'EOF'
,resources,,
,,resourceItem,id
,,group,grpA
,,widget,prmB
,primitive,,
,P,,
,,id,class,type
,colocation,,
,,rsc,with-rsc,score
,,grpA,nosuch,INFINITY
,bogus,,
EOF
"$imp" crmgen -o "$tmp/bad.out" "$tmp/bad.csv" >/dev/null 2>"$tmp/rep"
expect_rc 65 $? "bad CSV"
has "$tmp/rep" "bad.csv:4:C: error: unknown resource kind 'widget'" "bad kind at line:column"
has "$tmp/rep" "bad.csv:7: error: the table has no 'provider' column" "missing column"
has "$tmp/rep" "bad.csv:10:D: error: resource 'nosuch' is not in the resources table" "unknown resource"
has "$tmp/rep" "bad.csv:11:B: error: unknown table 'bogus'" "unknown table"
has "$tmp/rep" "bad.csv:3: error: 'grpA' holds no resource" "empty group"
[ -e "$tmp/bad.out" ] && fail "output written despite errors"
printf ',property,,\n,,name,value\n,,"unterminated,x\n' >"$tmp/q.csv"
"$imp" crmgen "$tmp/q.csv" >/dev/null 2>"$tmp/rep"
expect_rc 65 $? "unterminated quote"
has "$tmp/rep" "q.csv:3: error: a quoted field opened here is never closed" "quote"
printf ',property,,\n,,name,value\n,,a\200\377,b\n' >"$tmp/enc.csv"
"$imp" crmgen "$tmp/enc.csv" >/dev/null 2>"$tmp/rep"
expect_rc 65 $? "undecodable bytes"
has "$tmp/rep" "enc.csv:3: error: neither UTF-8 nor Shift_JIS" "encoding error with its line"
"$imp" crmgen >/dev/null 2>&1
expect_rc 64 $? "no CSV"
"$imp" frobnicate x >/dev/null 2>&1
expect_rc 64 $? "unknown source"

[ $fails = 0 ] && echo "ok: paceline-import"
exit $fails
