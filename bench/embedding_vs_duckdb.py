#!/usr/bin/env python3
"""The embedding benchmark: aq's Swift and C APIs against DuckDB's Python API, in one run.

    swift build -c release --product aq-embedbench && swift build -c release --product aqc
    python3 bench/embedding_vs_duckdb.py [--rows 1000000] [--runs 5] [--executions 1000]

Streams the same N rows (i INTEGER, actor VARCHAR, x DOUBLE, made by the same SQL in both
engines) out of each engine, reading every value, and times M lookups by a changing parameter
through a prepared statement and by re-running the text with the value written in. DuckDB
runs with its defaults, as aq does.
Prints a Markdown table (medians) for docs/performance.md.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(runs, body):
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = body()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "min_s": min(times), "rows": count}


def duckdb_results(rows, runs, executions):
    con = duckdb.connect()
    con.execute(f"CREATE TABLE s AS SELECT range AS i, 'actor' || (range % 1000) AS actor, range * 0.5 AS x FROM range({rows})")
    con.execute("CREATE TABLE small AS SELECT range AS i, 'actor' || range AS actor, range * 0.5 AS x FROM range(1000)")
    out = {}
    out["duckdb_fetchall"] = timed(runs, lambda: len(con.execute("SELECT i, actor, x FROM s").fetchall()))

    def numpy():
        columns = con.execute("SELECT i, actor, x FROM s").fetchnumpy()
        return len(columns["i"])
    out["duckdb_fetchnumpy"] = timed(runs, numpy)

    def prepared():
        return sum(len(con.execute("SELECT i, x FROM small WHERE actor = ?", [f"actor{k % 1000}"]).fetchall())
                   for k in range(executions))
    out["duckdb_prepared"] = timed(runs, prepared)

    def reparsed():
        return sum(len(con.execute(f"SELECT i, x FROM small WHERE actor = 'actor{k % 1000}'").fetchall())
                   for k in range(executions))
    out["duckdb_reparsed"] = timed(runs, reparsed)
    return out


def json_lines(text):
    return {o["name"]: o for o in (json.loads(line) for line in text.splitlines() if line.startswith("{"))}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--executions", type=int, default=1000)
    p.add_argument("--bin", default=None, help="release bin folder (default: swift build -c release --show-bin-path)")
    a = p.parse_args()
    bin_dir = a.bin or subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                                      capture_output=True, text=True, check=True).stdout.strip()
    results = {}
    out = subprocess.run([os.path.join(bin_dir, "aq-embedbench"), "--rows", str(a.rows), "--runs", str(a.runs),
                          "--executions", str(a.executions)], capture_output=True, text=True, check=True).stdout
    results.update({"swift_" + k: v for k, v in json_lines(out).items()})
    with tempfile.TemporaryDirectory() as work:
        exe = os.path.join(work, "embedding_stream")
        subprocess.run(["cc", "-O2", "-I", os.path.join(ROOT, "include"), os.path.join(ROOT, "bench", "embedding_stream.c"),
                        "-L", bin_dir, "-laqc", "-Wl,-rpath," + bin_dir, "-o", exe], check=True)
        out = subprocess.run([exe, str(a.rows), str(a.runs)], capture_output=True, text=True, check=True).stdout
        results.update(json_lines(out))
    results.update(duckdb_results(a.rows, a.runs, a.executions))

    def ms(name):
        return results[name]["median_s"] * 1000

    print(f"rows: {a.rows:,}, lookups: {a.executions:,}, runs: {a.runs} (medians)\n")
    print("| streaming every row | time | vs DuckDB fetchall | vs DuckDB fetchnumpy |")
    print("|---|---:|---:|---:|")
    for name, label in [("swift_stream_batches", "aq Swift, batches of columns"), ("swift_stream_rows", "aq Swift, `Row` values"),
                        ("c_step", "aq C, `aq_step` + `aq_column_*`"), ("duckdb_fetchall", "DuckDB Python, fetchall()"),
                        ("duckdb_fetchnumpy", "DuckDB Python, fetchnumpy()")]:
        print(f"| {label} | {ms(name):.1f} ms | {ms(name) / ms('duckdb_fetchall'):.2f} | {ms(name) / ms('duckdb_fetchnumpy'):.2f} |")
    print()
    print(f"| {a.executions:,} lookups by a parameter | total | per lookup |")
    print("|---|---:|---:|")
    for name, label in [("swift_prepared", "aq Swift, prepared once"), ("swift_reparsed", "aq Swift, text re-run"),
                        ("duckdb_prepared", "DuckDB Python, prepared (`?`)"), ("duckdb_reparsed", "DuckDB Python, text re-run")]:
        print(f"| {label} | {ms(name):.1f} ms | {ms(name) / a.executions * 1000:.0f} µs |")
    print()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
