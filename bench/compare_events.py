#!/usr/bin/env python3
"""Checks aq's `events` against DuckDB's reference ingest, row for row, on a directory that
gen.py wrote: every column but `raw` (and `raw`'s eventID through json_extract_string), as
multisets of rows.

    python3 bench/compare_events.py DATA_DIR [--aq .build/release/aq] [--sql ../shared/bench/duckdb_ingest.sql]

Prints the row counts, up to five differing rows (column index, DuckDB's value, aq's) and the
number of rows that differ; exits 1 when any does.
"""
import argparse
import csv
import io
import subprocess
import sys

import duckdb

COLUMNS = ("time, provider, format, service, operation, action, registry, region, namespace, repository, "
           "tag, digest, actor, session, actor_type, account, credential, source_ip, network, user_agent, "
           "status, success, error, request_id, event_id, json_extract_string(raw, '$.eventID') AS raw_event_id")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("--aq", default=".build/release/aq")
    ap.add_argument("--sql", default="../shared/bench/duckdb_ingest.sql")
    a = ap.parse_args()

    con = duckdb.connect()
    con.execute("SET VARIABLE data_dir = ?", [a.data_dir])
    con.execute(open(a.sql).read())
    duck_columns = COLUMNS.replace("time,", "strftime(time, '%Y-%m-%d %H:%M:%S.%n') AS time,", 1)

    def text(v):
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    duck = sorted("\x1f".join(text(x) for x in r)
                  for r in con.execute("SELECT " + duck_columns + " FROM events").fetchall())

    out = subprocess.run([a.aq, "--load", a.data_dir, "-c", "SELECT " + COLUMNS + " FROM events", "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "time")
    aq = []
    for r in rows[header + 1:]:
        t = r[0]
        # aq drops trailing zeros of the fraction, as DuckDB prints; compare at nanoseconds.
        if "." in t:
            whole, fraction = t.split(".")
            t = whole + "." + fraction.ljust(9, "0")
        elif t:
            t += ".000000000"
        aq.append("\x1f".join([t] + r[1:]))
    aq.sort()

    print("rows: DuckDB %d, aq %d" % (len(duck), len(aq)))
    differing = 0
    for d, q in zip(duck, aq):
        if d != q:
            differing += 1
            if differing <= 5:
                print([(i, x, y) for i, (x, y) in enumerate(zip(d.split("\x1f"), q.split("\x1f"))) if x != y])
    differing += abs(len(duck) - len(aq))
    print("rows that differ: %d" % differing)
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
