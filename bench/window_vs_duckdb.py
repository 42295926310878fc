#!/usr/bin/env python3
"""Window functions: aq against DuckDB (threads=1) on the same events, in one run.

    python3 /work/shared/bench/gen.py --out DATA --events 1000000 --seed 7
    swift build -c release --product aq
    python3 bench/window_vs_duckdb.py DATA [--aq .build/release/aq] [--runs 5]
        [--aq-threads 1,2] [--duckdb-threads 1,2]

DuckDB builds `events` with the shared duckdb_ingest.sql (once, kept in DATA.duckdb and opened
read-only); aq loads the same directory. Each
query is timed inside its process (aq's `.timer`, DuckDB around execute and fetch): one
warm-up, then the median of --runs. The queries end in a small aggregate so that printing
does not count; the answers are compared. Each aq thread count runs in its own process,
each DuckDB thread count on the same connection, all in one run. Prints a Markdown table
of the times and of each aq time over each DuckDB time.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import duckdb

QUERIES = [
    ("first event per IP (row_number, QUALIFY)",
     "SELECT count(*), min(time), max(time) FROM (SELECT source_ip, time FROM events "
     "QUALIFY row_number() OVER (PARTITION BY source_ip ORDER BY time) = 1)"),
    ("latest event per repository (row_number DESC, QUALIFY)",
     "SELECT count(*), min(time), max(time) FROM (SELECT repository, time FROM events "
     "QUALIFY row_number() OVER (PARTITION BY repository ORDER BY time DESC) = 1)"),
    ("first time per IP on every row (min over the partition)",
     "SELECT count(f), min(f), max(f) FROM (SELECT min(time) OVER (PARTITION BY source_ip) AS f FROM events)"),
    ("previous event per repository (lag)",
     "SELECT count(prev), min(prev), max(prev) FROM (SELECT lag(time) OVER (PARTITION BY repository ORDER BY time) AS prev "
     "FROM events)"),
    ("events per actor in the hour before (RANGE 1h)",
     "SELECT sum(c), max(c) FROM (SELECT count(*) OVER (PARTITION BY actor ORDER BY time "
     "RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW) AS c FROM events)"),
]


def text(v):
    if v is None:
        return "NULL"
    if hasattr(v, "isoformat") and not isinstance(v, str):
        s = v.isoformat(sep=" ")
        return s.rstrip("0").rstrip(".") if "." in s else s
    return str(v)


def duckdb_times(data, runs, ingest, threads):
    db = data.rstrip("/") + ".duckdb"
    if not os.path.exists(db):
        con = duckdb.connect(db + ".tmp")
        con.execute("SET enable_progress_bar = false")
        con.execute("SET VARIABLE data_dir = ?", [data])
        con.execute(open(ingest).read())
        con.close()
        os.replace(db + ".tmp", db)
    con = duckdb.connect(db, read_only=True)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET threads = {threads}")
    out = []
    for _, sql in QUERIES:
        con.execute(sql).fetchall()
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            rows = con.execute(sql).fetchall()
            times.append(time.perf_counter() - t)
        out.append((statistics.median(times), [text(v) for v in rows[0]]))
    return out


def aq_times(aq, data, runs, threads=None):
    out = []
    for _, sql in QUERIES:
        script = (f"SET threads = {threads};\n" if threads else "") + ".timer on\n" + "".join(sql + ";\n" for _ in range(runs + 1))
        p = subprocess.run([aq, "--load", data, "--format", "csv"], input=script, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("aq failed: " + p.stderr)
        # `.timer` writes to standard error (standard output carries only data).
        times = [float(m) for m in re.findall(r"Run Time: real ([0-9.]+) s", p.stdout + p.stderr)]
        lines = [l for l in p.stdout.splitlines() if l and not l.startswith("Run Time")]
        answer = lines[1].split(",") if len(lines) > 1 else []
        out.append((statistics.median(times[1:]), answer))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--aq", default=".build/release/aq")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--aq-threads", default="", help="comma-separated SET threads for aq (default: its own)")
    ap.add_argument("--duckdb-threads", default="1", help="comma-separated DuckDB thread counts")
    ap.add_argument("--ingest", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "../../shared/bench/duckdb_ingest.sql"))
    args = ap.parse_args()
    data = os.path.abspath(args.data)
    duck_threads = [int(t) for t in args.duckdb_threads.split(",") if t]
    aq_threads = [int(t) for t in args.aq_threads.split(",") if t] or [None]
    d = {t: duckdb_times(data, args.runs, args.ingest, t) for t in duck_threads}
    a = {t: aq_times(args.aq, data, args.runs, t) for t in aq_threads}
    aq_name = lambda t: "aq" if t is None else f"aq t={t}"
    head = [aq_name(t) + " (s)" for t in aq_threads] + [f"DuckDB t={t} (s)" for t in duck_threads]
    ratios = [f"{aq_name(at)} / DuckDB t={dt}" for at in aq_threads for dt in duck_threads]
    print("| query | " + " | ".join(head + ratios) + " | same answer |")
    print("|---|" + "---:|" * (len(head) + len(ratios)) + "---|")
    # DuckDB's Python client returns times to the microsecond; aq's carry nanoseconds.
    micro = lambda v: re.sub(r"(\.\d{6})\d+$", r"\1", v.strip('"'))
    for q, (name, _) in enumerate(QUERIES):
        cells = [f"{a[t][q][0]:.3f}" for t in aq_threads] + [f"{d[t][q][0]:.3f}" for t in duck_threads]
        cells += [f"{a[at][q][0] / d[dt][q][0]:.2f}" for at in aq_threads for dt in duck_threads]
        answers = [[micro(x) for x in a[t][q][1]] for t in aq_threads] + [[micro(x) for x in d[t][q][1]] for t in duck_threads]
        same = all(x == answers[0] for x in answers)
        print(f"| {name} | " + " | ".join(cells) + f" | {'yes' if same else 'no: ' + str(answers)} |")


if __name__ == "__main__":
    main()
