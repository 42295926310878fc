#!/usr/bin/env bash
# Builds libaqc.so, compiles the C test program against include/aq.h and runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build --product aqc
lib="$(swift build --show-bin-path)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cc="$(command -v cc || command -v clang)"
"$cc" -std=c11 -Wall -Werror -I include examples/c/aq_test.c -L "$lib" -laqc -Wl,-rpath,"$lib" -o "$out/aq_test"
"$out/aq_test" examples/logs
"$cc" -std=c11 -Wall -Werror -I include examples/c/pulls.c -L "$lib" -laqc -Wl,-rpath,"$lib" -o "$out/pulls"
"$out/pulls" examples/logs pull | head -1 | grep -q $'\t'
