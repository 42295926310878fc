#!/bin/sh
# Runs the test suite under AddressSanitizer and ThreadSanitizer (SwiftPM's --sanitize), each
# in a build folder of its own so the ordinary build is not touched.
#
#     scripts/sanitize.sh [address|thread|both] [FILTER]
#
# FILTER is passed to `swift test --filter` (default: every test). A finding makes the
# test run fail with the sanitizer's report; the exit status is the tests'.
set -eu
cd "$(dirname "$0")/.."
WHICH=${1:-both}
FILTER=${2:-}
run() { # sanitizer
    echo "== swift test --sanitize=$1 ${FILTER:+--filter $FILTER}"
    # TSan cannot follow libdispatch's and Foundation's own synchronization everywhere;
    # halt_on_error keeps the first report readable.
    TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1} ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
        swift test --build-path ".build/sanitize-$1" --sanitize="$1" -j 2 ${FILTER:+--filter "$FILTER"}
}
case $WHICH in
address) run address ;;
thread) run thread ;;
both) run address; run thread ;;
*) echo "usage: scripts/sanitize.sh [address|thread|both] [FILTER]" >&2; exit 2 ;;
esac
