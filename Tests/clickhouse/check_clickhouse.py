#!/usr/bin/env python3
"""aq's exports and ClickHouse translations, checked end to end.

For the shipped example logs and for generated logs of all four formats:
  * COPY events TO parquet; the file reads back in DuckDB and pyarrow with the same rows
    and the right types (TIMESTAMP at nanoseconds in UTC, BIGINT, BOOLEAN, VARCHAR);
  * the table of EXPLAIN CLICKHOUSE DDL is created in chDB and loaded from the file;
  * every shipped investigation (examples/*.aq, default parameters) and every benchmark
    query (shared/bench/queries) runs in aq and, translated by `aq translate --to
    clickhouse`, in chDB: the same rows as multisets, timestamps at nanoseconds.

    python3 Tests/clickhouse/check_clickhouse.py --aq .build/debug/aq

Exit status 0 when everything agrees, 1 otherwise (each difference is printed).
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

import chdb  # noqa: F401  (chdb.session below)
import duckdb
import pyarrow.parquet as pq
from chdb import session as chdb_session

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def shared_dir():
    here = ROOT
    while True:
        candidate = os.path.join(here, "shared")
        if os.path.isdir(os.path.join(candidate, "bench")):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


# ---- statements ------------------------------------------------------------------------

def split_statements(text):
    """aq statements of a script, without comments-only pieces; `;` inside strings,
    quoted names and comments does not split."""
    out, cur, i, n = [], [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            cur.append(text[i:j])
            i = j
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            i = j
            continue
        if c in "'\"":
            j = i + 1
            while j < n:
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c == ";":
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    out.append("".join(cur))
    code = lambda s: "\n".join(l for l in s.splitlines() if not l.strip().startswith("--")).strip()
    return [s.strip() for s in out if code(s)]


def is_query(statement):
    body = "\n".join(l for l in statement.splitlines() if not l.strip().startswith("--")).strip()
    word = re.match(r"[A-Za-z(]+", body)
    return bool(word) and word.group(0).upper().lstrip("(") in ("SELECT", "WITH", "FROM", "TIMELINE", "SUMMARY", "VALUES", "")


# ---- values ----------------------------------------------------------------------------

TS = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|\+00(?::?00)?)?$")
NUM = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def ns_of(m):
    import datetime
    d = datetime.date.fromisoformat(m.group(1))
    days = (d - datetime.date(1970, 1, 1)).days
    secs = days * 86400 + int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4))
    frac = (m.group(5) or "").ljust(9, "0")
    return secs * 1_000_000_000 + int(frac)


def norm(v):
    if v is None:
        return ("null",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float)):
        return ("num", float("%.9g" % v))
    if isinstance(v, str):
        m = TS.match(v)
        if m:
            return ("ts", ns_of(m))
        if NUM.match(v):
            return ("num", float("%.9g" % float(v)))
        return ("str", v)
    return ("other", repr(v))


def multiset(rows):
    return sorted((tuple(norm(v) for v in r) for r in rows), key=repr)


def show_difference(a, b, limit=5):
    sa, sb = set(a), set(b)
    only_a = [r for r in a if r not in sb][:limit]
    only_b = [r for r in b if r not in sa][:limit]
    return f"      aq only: {only_a}\n      other only: {only_b}"


# ---- running aq ------------------------------------------------------------------------

class AQ:
    def __init__(self, binary, loads):
        self.binary = binary
        self.loads = loads

    def run(self, statements, fmt="json"):
        args = [self.binary]
        for path in self.loads:
            args += ["--load", path]
        args += ["-c", ";\n".join(statements) + ";", "--format", fmt]
        p = subprocess.run(args, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"aq failed ({p.returncode}): {p.stderr.strip()[-2000:]}")
        return p.stdout

    def rows(self, statements):
        out = self.run(statements).strip()
        if not out:
            return [], []
        last = out.splitlines()
        # The last statement's result: the JSON array that ends the output.
        start = max(i for i, line in enumerate(last) if line.startswith("["))
        data = json.loads("\n".join(last[start:]))
        names = list(data[0].keys()) if data else []
        return names, [list(r.values()) for r in data]


def translate(binary, script_path):
    p = subprocess.run([binary, "translate", "--to", "clickhouse", script_path], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"aq translate failed: {p.stderr.strip()}")
    return [c.strip() for c in p.stdout.split("\n\n") if c.strip()]


# ---- the checks ------------------------------------------------------------------------

class Checker:
    def __init__(self, aq_binary, work):
        self.aq_binary = aq_binary
        self.work = work
        self.failures = 0
        self.passed = 0

    def fail(self, what, detail=""):
        self.failures += 1
        print(f"FAIL {what}" + (f"\n{detail}" if detail else ""))

    def ok(self, what):
        self.passed += 1
        print(f"ok   {what}")

    def dataset(self, name, logs, allowlist):
        aq = AQ(self.aq_binary, [logs])
        target = os.path.join(self.work, name)
        os.makedirs(target, exist_ok=True)
        parquet = os.path.join(target, "events.parquet")
        ddl_csv = aq.run([f"COPY events TO '{parquet}' (FORMAT parquet)", f"EXPLAIN CLICKHOUSE DDL '{parquet}'"], fmt="csv")
        ddl = "\n".join(r["clickhouse"] for r in csv.DictReader(io.StringIO(ddl_csv)))
        self.check_parquet(name, aq, parquet)
        self.check_other_exports(name, aq, target)

        sess = chdb_session.Session(os.path.join(target, "chdb"))
        for statement in [s for s in ddl.split(";\n") if s.strip()]:
            sess.query(statement.rstrip(";"))
        aq_count = aq.rows(["SELECT count(*) AS n FROM events"])[1][0][0]
        ch_count = int(sess.query("SELECT count() FROM events", "CSV").bytes().decode().strip())
        if aq_count == ch_count:
            self.ok(f"{name}: chDB loaded {ch_count} rows with the generated DDL")
        else:
            self.fail(f"{name}: chDB has {ch_count} rows, aq {aq_count}")
        sess.query(f"CREATE TABLE allowlist ENGINE = Memory AS SELECT * FROM file('{allowlist}', CSVWithNames)")

        scripts = sorted(os.path.join(ROOT, "examples", f) for f in os.listdir(os.path.join(ROOT, "examples"))
                         if f.endswith(".aq"))
        bench = shared_dir()
        queries = sorted(os.path.join(bench, "bench", "queries", f) for f in os.listdir(os.path.join(bench, "bench", "queries"))) if bench else []
        for path in scripts:
            self.script(name, aq, sess, path, prefix=[])
        for path in queries:
            self.script(name, aq, sess, path, prefix=[f"LOAD '{allowlist}' AS allowlist"])
        sess.close()

    def check_parquet(self, name, aq, parquet):
        # raw as its text: the file must hold each record's exact text.
        names, rows = aq.rows(["SELECT * REPLACE (CAST(raw AS VARCHAR) AS raw) FROM events"])
        con = duckdb.connect()
        types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{parquet}')").fetchall())
        expected = {"time": "TIMESTAMP", "status": "BIGINT", "success": "BOOLEAN"}
        bad = [f"{c}: {t}" for c, t in types.items()
               if not t.startswith(expected.get(c, "VARCHAR"))]
        if bad or list(types) != names:
            self.fail(f"{name}: DuckDB reads the Parquet with other columns or types", "      " + ", ".join(bad))
        else:
            self.ok(f"{name}: DuckDB reads the Parquet's {len(types)} columns with the right types")
        select = ", ".join(f"epoch_ns({c})" if c == "time" else f'"{c}"' for c in names)
        back = con.execute(f"SELECT {select} FROM '{parquet}'").fetchall()
        mine = multiset(rows)
        theirs = sorted((tuple(("ts", v) if i == 0 and v is not None else norm(v) for i, v in enumerate(r)) for r in back), key=repr)
        if mine == theirs:
            self.ok(f"{name}: DuckDB reads back the same {len(back)} rows")
        else:
            self.fail(f"{name}: DuckDB reads back other rows", show_difference(mine, theirs))
        schema = pq.read_schema(parquet)
        arrow = {f.name: str(f.type) for f in schema}
        if arrow.get("time") == "timestamp[ns, tz=UTC]" and arrow.get("status") == "int64" and arrow.get("success") == "bool" \
                and arrow.get("actor") == "string" and pq.read_table(parquet).num_rows == len(rows):
            self.ok(f"{name}: pyarrow reads timestamp[ns, UTC], int64, bool, string and {len(rows)} rows")
        else:
            self.fail(f"{name}: pyarrow reads {arrow}")

    def check_other_exports(self, name, aq, target):
        """Hive partitions, CSV and JSON lines read back in DuckDB: the same rows per provider
        and day."""
        part, csv_path, json_path = (os.path.join(target, x) for x in ("part", "events.csv", "events.json"))
        aq.run([f"COPY (SELECT * EXCLUDE (raw), CAST(time AS DATE) AS day FROM events) TO '{part}' (FORMAT parquet, PARTITION_BY (provider, day))",
                f"COPY (SELECT * EXCLUDE (raw) FROM events) TO '{csv_path}' (FORMAT csv)",
                f"COPY (SELECT * EXCLUDE (raw) FROM events) TO '{json_path}' (FORMAT json)"], fmt="csv")
        _, expected = aq.rows(["SELECT provider, CAST(CAST(time AS DATE) AS VARCHAR) AS day, count(*) AS n, count(DISTINCT request_id) AS r, "
                               "count(status) AS s, count(*) FILTER (WHERE success) AS ok FROM events GROUP BY ALL"])
        con = duckdb.connect()
        for label, relation in (("Hive partitions", f"read_parquet('{part}/**/*.parquet', hive_partitioning = true)"),
                                ("CSV", f"read_csv('{csv_path}')"), ("JSON lines", f"read_json('{json_path}', format = 'newline_delimited')")):
            day = "CAST(day AS VARCHAR)" if label == "Hive partitions" else "CAST(CAST(time AS DATE) AS VARCHAR)"
            got = con.execute(f"SELECT provider, {day}, count(*), count(DISTINCT request_id), count(status), "
                              f"count(*) FILTER (WHERE success) FROM {relation} GROUP BY ALL").fetchall()
            if multiset(expected) == multiset(got):
                self.ok(f"{name}: DuckDB reads the {label} export with the same rows per provider and day")
            else:
                self.fail(f"{name}: DuckDB reads other rows from the {label} export",
                          show_difference(multiset(expected), multiset(got)))

    def script(self, name, aq, sess, path, prefix):
        label = f"{name}: {os.path.relpath(path, ROOT) if path.startswith(ROOT) else os.path.basename(path)}"
        with open(path) as f:
            statements = split_statements(f.read())
        try:
            chunks = translate(self.aq_binary, path)
        except RuntimeError as e:
            self.fail(label, f"      {e}")
            return
        if len(chunks) != len(statements):
            self.fail(label, f"      {len(statements)} statements, {len(chunks)} translated")
            return
        done = list(prefix)
        for i, (statement, chunk) in enumerate(zip(statements, chunks)):
            sql = "\n".join(l for l in chunk.splitlines() if not l.startswith("--")).strip().rstrip(";")
            params = {p: "\\N" for p in re.findall(r"\{(\w+):Nullable\(String\)\}", chunk)}
            if not is_query(statement):
                done.append(statement)
                if sql:
                    try:
                        sess.query(sql, "CSV", params=params)
                    except Exception as e:  # noqa: BLE001
                        self.fail(f"{label} statement {i + 1}", f"      chDB: {str(e)[:600]}\n      {sql}")
                        return
                continue
            try:
                names, rows = aq.rows(done + [statement])
            except RuntimeError as e:
                self.fail(f"{label} statement {i + 1}", f"      {e}")
                continue
            try:
                result = sess.query(sql, "JSONCompactEachRow", params=params).bytes().decode()
            except Exception as e:  # noqa: BLE001
                self.fail(f"{label} statement {i + 1}", f"      chDB: {str(e)[:600]}\n      {sql}")
                continue
            ch_rows = [json.loads(line) for line in result.splitlines() if line.strip()]
            a, b = multiset(rows), multiset(ch_rows)
            if a == b:
                self.ok(f"{label} statement {i + 1}: {len(rows)} rows")
            else:
                self.fail(f"{label} statement {i + 1}: aq {len(rows)} rows, chDB {len(ch_rows)}",
                          show_difference(a, b) + f"\n      {sql}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aq", default=os.path.join(ROOT, ".build", "debug", "aq"))
    parser.add_argument("--events", type=int, default=3000, help="records of generated logs (default 3000)")
    parser.add_argument("--only", help="run only scripts whose name contains this")
    args = parser.parse_args()
    shared = shared_dir()
    with tempfile.TemporaryDirectory(prefix="aq-clickhouse-") as work:
        checker = Checker(os.path.abspath(args.aq), work)
        allowlist = os.path.join(shared, "bench", "allowlist.csv") if shared else None
        checker.dataset("examples", os.path.join(ROOT, "examples", "logs"), allowlist)
        if shared:
            generated = os.path.join(work, "generated-logs")
            subprocess.run([sys.executable, os.path.join(shared, "bench", "gen.py"), "--out", generated,
                            "--events", str(args.events), "--seed", "7"], check=True, capture_output=True)
            checker.dataset("generated", generated, allowlist)
        print(f"{checker.passed} passed, {checker.failures} failed")
        return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
