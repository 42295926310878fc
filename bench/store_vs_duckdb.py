#!/usr/bin/env python3
"""The saved store's figures in one run (docs/performance.md, "Saved stores"): file size per
event, SAVE against the load, `aq FILE -c "SELECT count(*) FROM events"` against DuckDB opening
its own database of the same table and counting (both whole processes, with hyperfine, in
interleaved rounds; Python's own start with `import duckdb` measured beside them, as no DuckDB
command-line binary is installed), and the twelve benchmark queries on the opened store
against a freshly loaded database (`.timer on` inside each process, median of --runs after a
warm-up run, the two processes in alternating rounds; each process first loads allowlist.csv as
`allowlist`, which on the opened store also reads its rows).

    python3 bench/store_vs_duckdb.py DATA_DIR --work /tmp/DIR [--aq .build/release/aq]
                                     [--rounds 3] [--runs 5] [--steps save,open,queries]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

TOOLS = os.environ.get("BENCH_TOOLS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../shared/bench"))  # BENCH_TOOLS: elsewhere
sys.path.insert(0, TOOLS)
import compare_duckdb as cd  # noqa: E402  (timer parsing, the queries' text, the allowlist)


def duckdb_database(data, path):
    if os.path.exists(path):
        return
    import duckdb
    con = duckdb.connect(path)
    con.execute("SET VARIABLE data_dir = ?", [data])
    con.execute(open(os.path.join(TOOLS, "duckdb_ingest.sql")).read())
    con.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--work", required=True)
    ap.add_argument("--aq", default=".build/release/aq")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--steps", default="save,open,queries")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    store = os.path.join(a.work, "events.aqdb")
    duck = os.path.join(a.work, "events.duckdb")
    steps = a.steps.split(",")

    if "save" in steps or not os.path.exists(store):
        if os.path.exists(store):
            os.remove(store)
        out = subprocess.run([a.aq, "--load", a.data, "-c", "SAVE '%s'" % store], capture_output=True, text=True)
        text = out.stdout + out.stderr
        load_s = re.search(r"loaded [\d,]+ rows into events .*? in ([\d.]+) (m?s)", text)
        save_s = re.search(r"saved .* in ([\d.]+) (m?s)", text)
        sec = lambda m: float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
        rows = int(subprocess.run([a.aq, store, "--format", "csv", "-c", "SELECT count(*) AS n FROM events"],
                                  capture_output=True, text=True).stdout.split()[-1])
        size = os.path.getsize(store)
        print("store: %d bytes, %d rows, %.1f bytes/row; load %.2f s, SAVE %.2f s, SAVE/load %.3f"
              % (size, rows, size / rows, sec(load_s), sec(save_s), sec(save_s) / sec(load_s)))
    duckdb_database(a.data, duck)

    if "open" in steps:
        count = "SELECT count(*) FROM events"
        cmds = ["%s %s -c '%s'" % (a.aq, store, count),
                "python3 -c \"import duckdb; print(duckdb.connect('%s', read_only=True).execute('%s').fetchall())\"" % (duck, count),
                "python3 -c 'import duckdb'"]
        for r in range(a.rounds):
            js = os.path.join(a.work, "open-%d.json" % r)
            subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", "10", "--export-json", js] + cmds,
                           capture_output=True, text=True, check=True)
            res = json.load(open(js))["results"]
            aq, dk, py = (x["median"] for x in res)
            print("round %d: aq open+count %.3f s, duckdb (python) %.3f s, python+import %.3f s; "
                  "aq/duckdb %.2f, aq/(duckdb - python) %.2f" % (r + 1, aq, dk, py, aq / dk, aq / max(1e-9, dk - py)))

    if "queries" in steps:
        queries = [(os.path.basename(p)[:3], cd.sql_statement(open(p).read()))
                   for p in sorted(os.path.join(TOOLS, "queries", f) for f in os.listdir(os.path.join(TOOLS, "queries")))]
        script = ".timer on\n" + "".join((q + "\n") * (1 + a.runs) for _, q in queries)
        allow = "LOAD '%s' AS allowlist;\n" % cd.ALLOWLIST
        times = {"loaded": {}, "opened": {}}
        cpus = {"loaded": {}, "opened": {}}   # user + system CPU of the process over each run
        for r in range(a.rounds):
            for kind in (["opened", "loaded"] if r % 2 else ["loaded", "opened"]):
                argv = [a.aq] + (["--load", a.data] if kind == "loaded" else [store]) + ["--format", "csv"]
                res = subprocess.run(argv, input=allow + script, capture_output=True, text=True)
                vals = cd.timer_values({"out": res.stdout, "err": res.stderr})[1:]   # after the allowlist's LOAD
                cpu = [float(u) + float(y) for u, y in
                       re.findall(r"Run Time: real [\d.]+ s user ([\d.]+) s sys ([\d.]+) s", res.stderr)][1:]
                for k, (name, _) in enumerate(queries):
                    mine = vals[k * (1 + a.runs) + 1:(k + 1) * (1 + a.runs)]
                    times[kind].setdefault(name, []).append(statistics.median(mine))
                    if len(cpu) == len(vals):
                        cpus[kind].setdefault(name, []).append(statistics.median(cpu[k * (1 + a.runs) + 1:(k + 1) * (1 + a.runs)]))
        print("query  loaded ms  opened ms  opened/loaded   (median of rounds, each the median of %d runs)" % a.runs)
        for name, _ in queries:
            lo = statistics.median(times["loaded"][name])
            op = statistics.median(times["opened"][name])
            print("%s   %8.1f   %8.1f   %5.2f   rounds: %s" % (name, lo * 1e3, op * 1e3, op / lo,
                  " ".join("%.2f" % (o / l) for o, l in zip(times["opened"][name], times["loaded"][name]))))
        if cpus["loaded"] and cpus["opened"]:
            print("query  loaded CPU ms  opened CPU ms  opened/loaded   (user + system of the process, all threads)")
            for name, _ in queries:
                lo = statistics.median(cpus["loaded"][name])
                op = statistics.median(cpus["opened"][name])
                print("%s   %8.1f   %8.1f   %5.2f   rounds: %s" % (name, lo * 1e3, op * 1e3, op / max(lo, 1e-9),
                      " ".join("%.2f" % (o / max(l, 1e-9)) for o, l in zip(cpus["opened"][name], cpus["loaded"][name]))))


if __name__ == "__main__":
    main()
