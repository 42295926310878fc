#!/usr/bin/env python3
"""The engine benchmark: the same generated rows and queries in aq and in DuckDB, one
thread each, in one run.

    swift build -c release --product aq-bench
    python3 bench/engine_vs_duckdb.py [--rows 10000000] [--runs 5] [--aq-bench PATH] [--aq-threads 1]

DuckDB builds the rows with SQL from the same formulas as Sources/aq-bench/BenchData.swift,
so both hold identical tables; each query's result is compared between the two. DuckDB runs
on one thread; aq on `--aq-threads` (default 1). Prints a
Markdown table: aq and DuckDB medians (of --runs after a warm-up), the ratio aq / DuckDB
(below 1: aq is faster) and whether the answers agree.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

import duckdb

BUILD = """
CREATE TABLE bench AS
WITH g AS (
  SELECT i,
         (i * 2654435761) % 4294967296 AS x,
         ((i + 1) * 2246822519) % 4294967296 AS y
  FROM range({rows}) t(i))
SELECT TIMESTAMP '2024-03-04 00:00:00' + to_microseconds(i * 500000 + (x % 1000) * 1000) AS time,
       ['pull','pull_layer','push','push_layer','delete','list','auth','config','scan','other'][x % 10 + 1] AS action,
       'ns' || (y % 8) || '/app' || (y % 40) AS repository,
       '10.' || ((y % 1000000) // 65536) || '.' || ((y % 1000000) // 256 % 256) || '.' || (y % 1000000 % 256) AS source_ip,
       'user' || (x // 16 % 1200) AS actor,
       CASE WHEN x % 33 = 0 THEN 403 ELSE 200 END AS status
FROM g ORDER BY i;
CREATE TABLE lookup AS SELECT 'user' || k AS actor, 'team' || (k % 20) AS owner FROM range(1000) t(k);
"""


def text(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if hasattr(v, "isoformat") and not isinstance(v, str):
        s = v.isoformat(sep=" ")
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        return s
    return str(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--aq-bench", default=".build/release/aq-bench")
    ap.add_argument("--aq-threads", type=int, default=1)
    args = ap.parse_args()

    aq = subprocess.run([args.aq_bench, "--rows", str(args.rows), "--runs", str(args.runs),
                         "--threads", str(args.aq_threads)],
                        capture_output=True, text=True)
    if aq.returncode != 0:
        sys.exit("aq-bench failed: " + aq.stderr)
    aq_results = {}
    for line in aq.stdout.splitlines():
        o = json.loads(line)
        aq_results[o["name"]] = o

    con = duckdb.connect()
    con.execute("SET threads=1")
    t0 = time.perf_counter()
    con.execute(BUILD.format(rows=args.rows))
    print(f"rows: {args.rows:,}; generated in aq {aq_results['generate']['seconds']:.2f} s, "
          f"in DuckDB {time.perf_counter() - t0:.2f} s; DuckDB {duckdb.__version__}, threads=1; "
          f"aq threads={args.aq_threads}\n")
    print("| query | aq (ms) | DuckDB (ms) | aq / DuckDB | same answer |")
    print("|---|---:|---:|---:|---|")
    ratios = []
    for name, o in aq_results.items():
        if name == "generate":
            continue
        if "error" in o:
            print(f"| {name} | error: {o['error']} | | | |")
            continue
        sql = o["sql"]
        times = []
        rows = None
        for run in range(args.runs + 1):
            t = time.perf_counter()
            rows = con.execute(sql).fetchall()
            if run:
                times.append(time.perf_counter() - t)
        duck = statistics.median(times)
        ddb_text = "\n".join(",".join(text(v) for v in r) for r in rows)
        same = "yes" if ddb_text == o["result"] else "NO"
        ratio = o["median_s"] / duck
        ratios.append(ratio)
        print(f"| {name} | {o['median_s'] * 1000:.1f} | {duck * 1000:.1f} | {ratio:.2f} | {same} |")
    if ratios:
        print(f"\ngeometric mean of aq / DuckDB: {statistics.geometric_mean(ratios):.2f}")


if __name__ == "__main__":
    main()
