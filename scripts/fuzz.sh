#!/bin/sh
# Fuzzes aq with libFuzzer (swiftc -sanitize=fuzzer, Linux): statement text (lexer, parser,
# binder, optimizer), the log readers (JSON, CSV, gzip) and the store file reader, each for
# SECONDS (default 60).
#
#     scripts/fuzz.sh [SECONDS] [TARGET…]      targets: statement json csv gzip store (default: all)
#
# AQSyntax and AQEngine are built with the fuzzer's coverage and AddressSanitizer in
# .build/fuzz (the ordinary build is not touched), the targets in Fuzz/ are linked against
# them, and each runs over a corpus seeded from the tests (Tests/sql, Tests/fixtures,
# examples/logs) and kept in .build/fuzz/corpus/TARGET between runs. A crash leaves
# .build/fuzz/crash-TARGET-* (the input); make it a regression test before fixing it.
# Leak reports are off: objects the targets keep for the whole run are reported as leaks;
# memory that grows run after run is caught by -rss_limit_mb. Prints, per target, the executions, the time and whether it found a crash.
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-statement json csv gzip store}
BUILD=${AQ_FUZZ_BUILD:-.build/fuzz}
mkdir -p "$BUILD/bin"

swift build --build-path "$BUILD" --target AQEngine -j 2 \
    -Xswiftc -sanitize=fuzzer -Xswiftc -sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp >"$BUILD/build.log" 2>&1 \
    || { tail -30 "$BUILD/build.log"; exit 1; }
DEBUG=$(swift build --build-path "$BUILD" --show-bin-path)
MODULES="$DEBUG/Modules"
[ -d "$MODULES" ] || MODULES="$DEBUG"
OBJECTS=$(ls "$DEBUG"/AQSyntax.build/*.o "$DEBUG"/AQEngine.build/*.o)

link() { # name, source, defines…
    name=$1; src=$2; shift 2
    swiftc -sanitize=fuzzer -sanitize=address -parse-as-library -g "$@" \
        -I "$MODULES" -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap \
        -Xcc -fmodule-map-file=Sources/CZstd/module.modulemap \
        "$src" $OBJECTS -lz -lzstd -o "$BUILD/bin/fuzz-$name" >"$BUILD/link-$name.log" 2>&1 \
        || { grep -v 'ld.gold: warning' "$BUILD/link-$name.log" | tail -30; exit 1; }
}

seed() { # target
    corpus="$BUILD/corpus/$1"
    mkdir -p "$corpus"
    [ -n "$(ls -A "$corpus")" ] && return 0
    case $1 in
    statement)
        # Every query of the SQL tests, one file each.
        n=0
        for f in Tests/sql/*.test; do
            awk 'BEGIN{RS=""} /^(query|statement)/ { sub(/^[^\n]*\n/, ""); sub(/\n----.*$/, ""); print; print "\x01" }' "$f" \
                | awk -v dir="$corpus" -v base="$(basename "$f" .test)" 'BEGIN{RS="\x01\n"} NF { n++; print > (dir "/" base "-" n ".sql"); close(dir "/" base "-" n ".sql") }'
        done ;;
    json) cp Tests/fixtures/seeds/*.json* "$corpus/"; cp examples/logs/ibm/*.jsonl "$corpus/" ;;
    csv) cp Tests/fixtures/seeds/*.csv "$corpus/"; cp examples/logs/alibaba/eventline/eventline_web_cms_latest.csv "$corpus/" ;;
    gzip)
        for f in Tests/fixtures/seeds/*.json*; do gzip -c "$f" >"$corpus/$(basename "$f").gz"; done ;;
    store)
        # Small stores written by the ordinary build's aq (swift build --product aq first).
        aq=$(swift build --show-bin-path)/aq
        "$aq" --load examples/logs/ibm -c "SAVE '$corpus/ibm.aqdb'" >/dev/null
        "$aq" -c "CREATE TABLE t (a INTEGER PRIMARY KEY, l VARCHAR[], d DOUBLE, i INTERVAL DEFAULT INTERVAL 1 DAY);
                  INSERT INTO t VALUES (1, ['x', NULL], 2.5, NULL), (2, NULL, NULL, INTERVAL 2 DAY);
                  CREATE VIEW v AS SELECT a FROM t; SAVE '$corpus/types.aqdb'" >/dev/null ;;
    esac
}

for target in $TARGETS; do
    case $target in
    statement) link statement Fuzz/FuzzStatement.swift ;;
    json) link json Fuzz/FuzzLogReader.swift ;;
    csv) link csv Fuzz/FuzzLogReader.swift -D FUZZ_CSV ;;
    gzip) link gzip Fuzz/FuzzLogReader.swift -D FUZZ_GZIP ;;
    store) link store Fuzz/FuzzStoreReader.swift ;;
    *) echo "unknown target '$target' (statement, json, csv, gzip, store)" >&2; exit 2 ;;
    esac
    seed "$target"
    log="$BUILD/fuzz-$target.log"
    status=0
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$BUILD/bin/fuzz-$target" "$BUILD/corpus/$target" -max_total_time="$SECONDS_EACH" -max_len=65536 \
        -rss_limit_mb=4096 -timeout=20 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$BUILD/crash-$target-" \
        >"$log" 2>&1 || status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    if [ "$status" -eq 0 ]; then result="no crash"; else result="CRASH (exit $status; see $log)"; fi
    echo "$target: $runs executions in ${SECONDS_EACH}s, $result"
done
