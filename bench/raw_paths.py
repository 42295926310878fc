#!/usr/bin/env python3
"""JSON paths on `raw`, aq against DuckDB in one run: a path aq keeps as a sub-column and one it
reads from the compressed text, each as a query timed inside the process (aq: `.timer on`
after loading DATA; DuckDB: the database compare_duckdb.py builds, threads=1). Medians of
--runs after a warm-up.

    python3 bench/raw_paths.py DATA --aq .build/release/aq --duckdb-db WORK/duckdb_….duckdb
"""
import argparse, re, statistics, subprocess, time

QUERIES = {
    # A path kept as a sub-column (as in q10).
    "shredded": "SELECT json_extract_string(raw, '$.userIdentity.sessionContext.sessionIssuer.userName') AS r, "
                "count(*) AS n FROM events WHERE provider = 'aws' GROUP BY 1 ORDER BY n DESC, r",
    # A path that is not (an id: one value a record), read from the text.
    "text": "SELECT count(DISTINCT json_extract_string(raw, '$.eventID')) AS n FROM events WHERE provider = 'aws'",
}


def aq_times(aq, data, sql, runs):
    script = ".timer on\n" + (sql + ";\n") * (runs + 1)
    out = subprocess.run([aq, "--load", data], input=script, capture_output=True, text=True, timeout=3600)
    text = out.stdout + out.stderr
    times = []
    for m in re.finditer(r"real\s+([0-9.]+)\s*(ms|s|µs|us)?", text):
        v = float(m.group(1))
        unit = m.group(2) or "s"
        times.append(v / 1000 if unit == "ms" else v / 1e6 if unit in ("µs", "us") else v)
    if len(times) < runs + 1:
        raise SystemExit("aq printed no times:\n" + text[-2000:])
    return times[-runs:], text


def duck_times(db, sql, runs):
    import duckdb
    con = duckdb.connect(db, read_only=True)
    con.execute("SET threads = 1")
    con.execute(sql).fetchall()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - t)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--aq", required=True)
    ap.add_argument("--duckdb-db", required=True)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    for name, sql in QUERIES.items():
        d = statistics.median(duck_times(a.duckdb_db, sql, a.runs))
        q, _ = aq_times(a.aq, a.data, sql, a.runs)
        q = statistics.median(q)
        print("%-9s aq %8.1f ms   DuckDB(threads=1) %8.1f ms   aq/DuckDB %.3f" % (name, q * 1000, d * 1000, q / d))


if __name__ == "__main__":
    main()
