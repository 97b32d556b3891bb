#!/bin/sh
# Signatures live in the tables only (include/paceline/msg/*.def): daemons, tools and client
# libraries pack and unpack with pl_msg_pack/pl_msg_unpack (local IPC) or pl_peer_send/
# pl_peer_unpack (between nodes), never with a copy of a signature string. This test fails
# when pl_pack/pl_unpack/pl_pack_check is called with a string literal outside lib/ipc and
# the tests.
set -eu
src=${PL_TEST_SRCDIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
cd "$src"
hits=$(grep -rnE 'pl_(pack|unpack|pack_check)\([^,]*, *"' --include='*.c' --include='*.h' \
	. 2>/dev/null | grep -vE '^\./(lib/ipc/|tests/|build[^/]*/|include/paceline/pack\.h)' || true)
if [ -n "$hits" ]; then
	echo "signature string literals outside the message tables (use pl_msg_pack/pl_msg_unpack):"
	echo "$hits"
	exit 1
fi
echo "no signature literals outside lib/ipc and tests"
