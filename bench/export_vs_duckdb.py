#!/usr/bin/env python3
"""COPY events TO parquet: aq against DuckDB writing the same table, in one run.

    python3 bench/export_vs_duckdb.py DATA --aq .build/release/aq [--runs 3]

aq loads DATA (the load is not timed) and runs `COPY events TO … (FORMAT parquet, …)` with
`.timer on`, which reports the statement's own time. DuckDB gets the same table by reading
aq's uncompressed export into memory (not timed), then writes it with COPY … (FORMAT
parquet, COMPRESSION …), timed inside the process, with 1 and 2 threads. Prints the median
of --runs for each, and the file sizes side by side.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import duckdb


def aq_copy(aq, data, target, compression, runs):
    statements = []
    for i in range(runs):
        statements.append(f"COPY events TO '{target}.{i}' (FORMAT parquet, COMPRESSION {compression});")
    script = ".timer on\n" + "\n".join(statements) + "\n"
    p = subprocess.run([aq, "--load", data], input=script, capture_output=True, text=True, check=True)
    times = [float(m) for m in re.findall(r"Run Time: real ([0-9.]+)", p.stdout + p.stderr)]
    if len(times) != runs:
        sys.exit(f"aq printed {len(times)} times for {runs} runs:\n{p.stdout}\n{p.stderr}")
    return statistics.median(times), os.path.getsize(f"{target}.0")


def duck_copy(con, target, compression, threads, runs):
    con.execute(f"SET threads = {threads}")
    times = []
    for i in range(runs):
        start = time.perf_counter()
        con.execute(f"COPY events TO '{target}.{i}' (FORMAT parquet, COMPRESSION {compression})")
        times.append(time.perf_counter() - start)
    return statistics.median(times), os.path.getsize(f"{target}.0")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--aq", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aq-export-bench-") as work:
        source = os.path.join(work, "source.parquet")
        subprocess.run([args.aq, "--load", args.data, "-c",
                        f"COPY events TO '{source}' (FORMAT parquet, COMPRESSION uncompressed)"],
                       check=True, capture_output=True)
        con = duckdb.connect()
        con.execute(f"CREATE TABLE events AS SELECT * FROM '{source}'")
        rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
        print(f"{rows:,} rows, {len(con.execute('DESCRIBE events').fetchall())} columns")
        print(f"{'writer':<34} {'median s':>9} {'MB':>8} {'vs DuckDB 1 thread':>19}")
        results = {}
        for compression in ("gzip", "uncompressed"):
            d1 = duck_copy(con, os.path.join(work, f"duck1-{compression}"), compression, 1, args.runs)
            d2 = duck_copy(con, os.path.join(work, f"duck2-{compression}"), compression, 2, args.runs)
            a = aq_copy(args.aq, args.data, os.path.join(work, f"aq-{compression}"), compression, args.runs)
            results[compression] = (d1, d2, a)
            for name, (t, size) in ((f"DuckDB 1 thread, {compression}", d1), (f"DuckDB 2 threads, {compression}", d2),
                                    (f"aq, {compression}", a)):
                print(f"{name:<34} {t:>9.2f} {size / 1e6:>8.1f} {t / d1[0]:>12.2f} time, {size / d1[1]:.2f} size")
        for codec in ("snappy", "zstd"):
            t, size = duck_copy(con, os.path.join(work, f"duck1-{codec}"), codec, 1, args.runs)
            print(f"{'DuckDB 1 thread, ' + codec:<34} {t:>9.2f} {size / 1e6:>8.1f}")


if __name__ == "__main__":
    main()
