#!/usr/bin/env bash
# test_demo.sh - the README's demo in its short mode (scripts/demo check): three nodes under
# paceline-launcher, the virtual IP + web server group, the node serving killed, and the
# service must answer from another node. Skips (77) without root or without paceline-crmd.
set -u
export PL_HARNESS_NAME=pldemoci PL_DEMO_SKIP_BUILD=1
exec "${PL_TEST_SRCDIR:?}/scripts/demo" check
