#!/bin/sh
# The load benchmark: generated audit logs loaded by aq and by DuckDB (duckdb_ingest.sql), in
# one run, with time, peak memory and cores used; then aq's store size in bytes per event.
#
#   bench/load.sh [EVENTS] [DATA_DIR]        (defaults: 1000000, ../bench-data/gen_EVENTS_s7)
#
# Needs python3 with the duckdb package and the shared bench tools in ../shared/bench
# (BENCH_TOOLS to point elsewhere). The data (about 1.3 KB per event) is generated once, outside
# the repository, and kept.
set -eu
cd "$(dirname "$0")/.."
EVENTS=${1:-1000000}
DATA=${2:-../bench-data/gen_${EVENTS}_s7}
TOOLS=${BENCH_TOOLS:-../shared/bench}
if [ ! -d "$DATA" ]; then
    python3 "$TOOLS/gen.py" --out "$DATA" --events "$EVENTS" --seed 7
fi
swift build -c release --product aq
AQ=.build/release/aq
python3 "$TOOLS/compare_duckdb.py" "$DATA" --aq "$AQ" --steps load --load-runs 1
# aq alone, in process: throughput per core, peak memory, bytes per event with and without raw.
swift build -c release --product aq-loadbench
.build/release/aq-loadbench "$DATA"
