#!/usr/bin/env python3
"""Runs sqllogictest files against the aq binary and reports the pass rate.

    python3 Tests/slt/run_slt.py [--aq .build/release/aq] [--dir ../shared/slt/tests]
                                 [--files PATTERN] [--failures N] [--json FILE]
                                 [--engine aq|duckdb]

The files are read where they are (they are not part of this repository). Each file runs
through `aq --format csv` with a script on standard input: its records in order, each
followed by a marker `SELECT '@@mark@@'`. aq stops a script at the first error, so after an
error the next process starts by replaying the statements that succeeded before it, then
goes on with the record after the failed one.

A record passes when: `statement ok` ran without error; `statement error` failed; a `query`
gave the expected values (sort modes nosort/rowsort/valuesort, `N values hashing to H`,
numbers compared to 1e-6 relative, NULL as `NULL`, '' as `(empty)`, booleans as 1/0 like the
files). `skipif aq` / `onlyif <other engine>` records are left out, as are files that
`require` an extension; every other record counts, unsupported directives included, as
failures. `loop` / `foreach` bodies run once per value, each a record.

SQLite's own files are run as DuckDB's runner runs them (docs/conformance.md): first
`SET integer_division = true`, and `skipif` / `onlyif postgresql` apply to the engine under
test.

`--engine duckdb` runs the same records through DuckDB's Python client instead (one
connection per file, record after record), with values written the way aq's CSV writes
them, and checks them with the same rules: DuckDB's rate on the same records, for comparison.
"""
import argparse
import collections
import datetime
import glob
import hashlib
import json
import os
import re
import subprocess
import sys

MARK = "@@mark@@"
ENGINE = "aq"


class Record:
    def __init__(self, kind, sql, line, types="", sort="nosort", expected=None, error_text=None):
        self.kind, self.sql, self.line = kind, sql, line
        self.types, self.sort, self.expected, self.error_text = types, sort, expected, error_text
        self.tag = ""     # a loop's values, for a record expanded from a loop body


def is_sqlite_origin(path):
    """Whether a file comes from SQLite's own corpus (the local name says so)."""
    return os.path.basename(path).startswith("sqlite")


# What DuckDB's runner does for SQLite's own files, applied here to every engine: `/`
# between integers truncates as in SQLite, and `skipif` / `onlyif postgresql` speak of the
# engine under test too (a PostgreSQL-like engine: strict GROUP BY, AS before aliases).
SQLITE_SETUP = ["SET integer_division = true"]
SQLITE_ALSO_NAMED = "postgresql"

# `foreach name <group>`: the groups of type names DuckDB's runner knows.
FOREACH_GROUPS = {
    "<signed>": ["tinyint", "smallint", "integer", "bigint", "hugeint"],
    "<unsigned>": ["utinyint", "usmallint", "uinteger", "ubigint", "uhugeint"],
}
FOREACH_GROUPS["<integral>"] = FOREACH_GROUPS["<signed>"] + FOREACH_GROUPS["<unsigned>"]
FOREACH_GROUPS["<numeric>"] = FOREACH_GROUPS["<integral>"] + ["float", "double"]
FOREACH_GROUPS["<alltypes>"] = FOREACH_GROUPS["<numeric>"] + ["bool", "interval", "varchar"]


def substitute(text, name, value):
    """`{name}` (and the older `${name}`) replaced by a loop's value; `a,b` names take
    `x,y` values pairwise."""
    names, values = name.split(","), value.split(",")
    if len(names) != len(values):
        names, values = [name], [value]
    for n, v in zip(names, values):
        text = text.replace("${" + n + "}", v).replace("{" + n + "}", v)
    return text


def expand_loop(frame):
    """The records of a `loop` / `foreach` body, once per value."""
    out = []
    for value in frame["values"]:
        for r in frame["records"]:
            copy = Record(r.kind, substitute(r.sql, frame["name"], value), r.line, r.types, r.sort,
                          r.expected, r.error_text)
            copy.tag = (r.tag + " " if r.tag else "") + f"{frame['name']}={value}"
            out.append(copy)
    return out


def parse_file(path):
    """Records of a file, and how many were left out for other engines. `loop` and
    `foreach` bodies are expanded as DuckDB's runner does: one record per iteration."""
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    own_names = {ENGINE} | ({SQLITE_ALSO_NAMED} if is_sqlite_origin(path) else set())
    records, skipped = [], 0
    top_records = records
    loops = []            # open loop frames, innermost last
    skip_mode = 0         # `mode skip` ... `mode unskip`
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i].rstrip("\r")
        if not line.strip() or line.startswith("#"):
            i += 1
            continue
        words = line.split()
        start = i + 1
        skip = False
        while words and words[0] in ("skipif", "onlyif"):
            engine = words[1] if len(words) > 1 else ""
            if (words[0] == "skipif" and engine in own_names) or (words[0] == "onlyif" and engine not in own_names):
                skip = True
            i += 1
            line = lines[i].rstrip("\r") if i < n else ""
            words = line.split()
        if not words:
            continue
        head = words[0]
        if head == "require":
            # `require no_alternative_verify` and the like are DuckDB's own test switches;
            # an extension aq does not have makes the whole file moot.
            if len(words) > 1 and words[1] not in ("no_alternative_verify", "vector_size"):
                return [], 0, "requires " + " ".join(words[1:])
            i += 1
            continue
        if head == "halt":
            if not skip:
                break
            i += 1
            continue
        if head in ("statement", "query"):
            i += 1
            body = []
            while i < n and lines[i].strip() and lines[i].strip() != "----":
                body.append(lines[i].rstrip("\r"))
                i += 1
            expected = None
            if i < n and lines[i].strip() == "----":
                i += 1
                expected = []
                while i < n and lines[i].strip() != "":
                    expected.append(lines[i].rstrip("\r"))
                    i += 1
            sql = "\n".join(body).strip()
            if skip or skip_mode:
                skipped += 1
                continue
            if head == "statement":
                kind = "statement_error" if len(words) > 1 and words[1] == "error" else "statement_ok"
                records.append(Record(kind, sql, start, expected=None,
                                      error_text="\n".join(expected or [])))
            else:
                types = words[1] if len(words) > 1 else ""
                sort = words[2] if len(words) > 2 else "nosort"
                records.append(Record("query", sql, start, types, sort, expected or []))
            continue
        if head in ("loop", "foreach", "concurrentloop", "concurrentforeach") and not skip and len(words) > 2:
            if head.endswith("loop"):
                try:
                    values = [str(v) for v in range(int(words[2]), int(words[3]))]
                except (ValueError, IndexError):
                    values = None
            else:
                values = []
                for w in words[2:]:
                    values.extend(FOREACH_GROUPS.get(w.lower(), [w]))
            if values is not None:
                loops.append({"name": words[1], "values": values, "records": []})
                records = loops[-1]["records"]
                i += 1
                continue
        if head == "endloop" and not skip and loops:
            expanded = expand_loop(loops.pop())
            records = loops[-1]["records"] if loops else top_records
            records.extend(expanded)
            i += 1
            continue
        if head == "mode" and len(words) > 1 and words[1] in ("skip", "unskip"):
            skip_mode += 1 if words[1] == "skip" else -1
            i += 1
            continue
        # hash-threshold, other modes and other directives: not statements of aq's.
        if head in ("hash-threshold", "mode"):
            i += 1
            continue
        if not skip and not skip_mode:
            records.append(Record("unsupported", line, start))
        i += 1
    while loops:  # a loop the file never closes: its body once, as written
        body = loops.pop()["records"]
        records = loops[-1]["records"] if loops else top_records
        records.extend(body)
    return top_records, skipped, None


def parse_csv(text):
    """CSV rows as lists of values; an unquoted empty field is None, a quoted one ''."""
    rows, row, field, quoted, i, n = [], [], [], False, 0, len(text)
    in_quotes = False
    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    field.append('"')
                    i += 1
                else:
                    in_quotes = False
            else:
                field.append(c)
        elif c == '"':
            in_quotes, quoted = True, True
        elif c == ",":
            row.append("".join(field) if (field or quoted) else None)
            field, quoted = [], False
        elif c == "\n":
            row.append("".join(field) if (field or quoted) else None)
            rows.append(row)
            row, field, quoted = [], [], False
        elif c != "\r":
            field.append(c)
        i += 1
    if field or quoted or row:
        row.append("".join(field) if (field or quoted) else None)
        rows.append(row)
    return rows


def normalize(value, type_char, sqlite_style):
    if value is None:
        return "NULL"
    if value == "":
        return "(empty)"
    if value == "true":
        return "1"
    if value == "false":
        return "0"
    if sqlite_style and type_char == "R":
        try:
            return "%.3f" % float(value)
        except ValueError:
            return value
    if sqlite_style and type_char == "I":
        try:
            f = float(value)
            if f == int(f) and "." in value:
                return str(int(f))
        except ValueError:
            pass
    return value


def same_value(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def check_query(record, out_rows, sqlite_style):
    """None when the output matches the record, else a short reason."""
    if not out_rows:
        return "no output"
    header, rows = out_rows[0], out_rows[1:]
    types = record.types
    values_rows = []
    for r in rows:
        values_rows.append([normalize(v, types[k] if k < len(types) else "T", sqlite_style)
                            for k, v in enumerate(r)])
    if types and values_rows and len(values_rows[0]) != len(types):
        return f"expected {len(types)} columns, got {len(values_rows[0])}"
    if record.sort == "rowsort":
        values_rows.sort(key=lambda r: [str(v) for v in r])
    flat = [v for r in values_rows for v in r]
    if record.sort == "valuesort":
        flat.sort()
    exp = record.expected
    m = re.match(r"^(\d+) values hashing to ([0-9a-f]+)$", exp[0]) if len(exp) == 1 else None
    if m:
        count, digest = int(m.group(1)), m.group(2)
        if len(flat) != count:
            return f"expected {count} values, got {len(flat)}"
        h = hashlib.md5(("\n".join(flat) + "\n").encode()).hexdigest() if flat else hashlib.md5(b"").hexdigest()
        return None if h == digest else "hash differs"
    expected = []
    for line in exp:
        expected.extend(line.split("\t") if "\t" in line else [line])
    if record.sort == "rowsort" and types:
        width = len(types)
        if width and len(expected) % width == 0:
            erows = [expected[k:k + width] for k in range(0, len(expected), width)]
            erows.sort(key=lambda r: [str(v) for v in r])
            expected = [v for r in erows for v in r]
    if record.sort == "valuesort":
        expected.sort()
    if len(expected) != len(flat):
        return f"expected {len(expected)} values, got {len(flat)}"
    for a, b in zip(flat, expected):
        b = {"true": "1", "false": "0"}.get(b, b)
        if not same_value(a, b):
            return f"got {a!r}, expected {b!r}"
    return None


def run_aq(aq, script, timeout):
    try:
        p = subprocess.run([aq, "--format", "csv"], input=script.encode(), capture_output=True,
                           timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -1, "", "timeout"


def first_error(stderr):
    """The error line of aq's standard error (which also carries LOAD/CREATE messages)."""
    lines = stderr.strip().splitlines()
    for line in lines:
        if re.match(r"^(line \d+, column \d+|error|aq:)", line):
            return line[:160]
    return (lines or ["?"])[-1][:160]


def statement_text(sql):
    sql = sql.strip()
    return sql if sql.endswith(";") else sql + ";"


def run_file(aq, path, timeout):
    records, skipped, reason = parse_file(path)
    sqlite_style = is_sqlite_origin(path)
    results = []          # (record, passed, reason)
    # statements that succeeded, replayed after a failure (first the file's setup)
    replay = list(SQLITE_SETUP) if sqlite_style else []
    k = 0
    mark = f"SELECT '{MARK}' AS m;"
    while k < len(records):
        if records[k].kind == "unsupported":
            results.append((records[k], False, "unsupported directive"))
            k += 1
            continue
        batch = []
        j = k
        while j < len(records) and records[j].kind != "unsupported":
            batch.append(records[j])
            j += 1
        script = "\n".join(statement_text(s) for s in replay)
        script += ("\n" if script else "") + mark + "\n"
        for r in batch:
            script += statement_text(r.sql) + "\n" + mark + "\n"
        code, out, err = run_aq(aq, script, timeout)
        chunks = out.split(MARK + "\n")
        # chunks[0] is the replay's output and the first marker's header; chunk i + 1 is
        # record i's output followed by the header line of the marker after it.
        if len(chunks) < 2:
            for r in batch:
                results.append((r, False, "replay failed: " + first_error(err)))
            k = j
            continue
        outputs = []
        for c in chunks[1:-1]:
            text = c[:-3] if c.endswith("\nm\n") else ("" if c == "m\n" else c)
            outputs.append(text)
        done = min(len(outputs), len(batch))
        for idx in range(done):
            r = batch[idx]
            text = outputs[idx]
            if r.kind == "statement_ok":
                results.append((r, True, None))
                replay.append(r.sql)
            elif r.kind == "statement_error":
                results.append((r, False, "expected an error"))
            else:
                rows = parse_csv(text + "\n") if text else []
                why = check_query(r, rows, sqlite_style)
                results.append((r, why is None, why))
        if done < len(batch):
            r = batch[done]
            if r.kind == "statement_error":
                results.append((r, True, None))
            else:
                results.append((r, False, "error: " + first_error(err)))
            k = k + done + 1
        else:
            k = j
    return results, skipped, reason


def duckdb_text(value):
    """A DuckDB value written as aq's CSV writes it (None stays None: NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join("NULL" if v is None else duckdb_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"'{k}': " + ("NULL" if v is None else duckdb_text(v))
                               for k, v in value.items()) + "}"
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, datetime.timedelta):
        # DuckDB writes an interval as "24 days 04:48:00".
        seconds = value.seconds + value.microseconds / 1e6
        clock = "%02d:%02d:%s" % (seconds // 3600, seconds % 3600 // 60,
                                  ("%09.6f" % (seconds % 60)).rstrip("0").rstrip("."))
        days = f"{value.days} day{'s' if abs(value.days) != 1 else ''} " if value.days else ""
        return days + clock
    if isinstance(value, (datetime.datetime, datetime.time)) and value.microsecond:
        return str(value).rstrip("0")
    return str(value)


def duckdb_rows(con, record):
    """Runs a record; a query's header and rows as text, each value cast to VARCHAR by
    DuckDB itself (the text its command line shows), None for NULL."""
    query = re.match(r"\s*(\(|SELECT|WITH|VALUES|FROM|TABLE)\b", record.sql, re.I)
    if record.kind != "query" or not query:
        con.execute(record.sql)
        header = [d[0] for d in (con.description or [])]
        rows = con.fetchall() if con.description else []  # drained, so the next record can run
        return header, [[duckdb_text(v) for v in row] for row in rows]
    rel = con.sql(record.sql)
    if rel is None:
        return [], []
    text = rel.project(", ".join(f"CAST(#{k + 1} AS VARCHAR)" for k in range(len(rel.columns))))
    return list(rel.columns), [list(row) for row in text.fetchall()]


def run_file_duckdb(path, timeout):
    """The records of one file through DuckDB's Python client: (record, passed, reason)."""
    import threading
    import duckdb
    records, skipped, reason = parse_file(path)
    sqlite_style = is_sqlite_origin(path)
    con = duckdb.connect()
    for statement in SQLITE_SETUP if sqlite_style else []:
        con.execute(statement)
    results = []
    for r in records:
        if r.kind == "unsupported":
            results.append((r, False, "unsupported directive"))
            continue
        timer = threading.Timer(timeout, con.interrupt)
        timer.start()
        try:
            header, rows = duckdb_rows(con, r)
            error = None
        except Exception as e:  # any DuckDB error is the record's error
            error = str(e).splitlines()[0][:160] if str(e) else type(e).__name__
        finally:
            timer.cancel()
        if r.kind == "statement_ok":
            results.append((r, error is None, None if error is None else "error: " + error))
        elif r.kind == "statement_error":
            results.append((r, error is not None, None if error is not None else "expected an error"))
        elif error is not None:
            results.append((r, False, "error: " + error))
        else:
            out = [header] + rows
            why = check_query(r, out, sqlite_style)
            results.append((r, why is None, why))
    con.close()
    return results, skipped, reason


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--aq", default=os.path.join(here, "..", "..", ".build", "release", "aq"))
    ap.add_argument("--dir", default=os.path.join(here, "..", "..", "..", "shared", "slt", "tests"))
    ap.add_argument("--files", default="*.test")
    ap.add_argument("--failures", type=int, default=0, help="print the first N failures")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--json", help="write every failure to this file")
    ap.add_argument("--engine", choices=("aq", "duckdb"), default="aq",
                    help="run the records through aq (default) or DuckDB's Python client")
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.dir, args.files)))
    if not files:
        sys.exit(f"no .test files in {args.dir}")
    total = passed = 0
    failures = []
    per_file = []
    for f in files:
        if args.engine == "duckdb":
            results, skipped, reason = run_file_duckdb(f, args.timeout)
        else:
            results, skipped, reason = run_file(args.aq, f, args.timeout)
        name = os.path.basename(f)
        if reason:
            per_file.append((name, 0, 0, reason))
            continue
        ok = sum(1 for _, p, _ in results if p)
        total += len(results)
        passed += ok
        per_file.append((name, ok, len(results), ""))
        for r, p, why in results:
            if not p:
                failures.append({"file": name, "line": r.line, "loop": r.tag, "sql": r.sql[:300], "why": why})
    for name, ok, n, reason in per_file:
        print(f"{ok:5d}/{n:<5d} {name} {reason}")
    causes = collections.Counter(re.sub(r"'[^']*'|\d+", "…", (x["why"] or ""))[:70] for x in failures)
    print("\nfailures by cause:")
    for cause, count in causes.most_common(25):
        print(f"{count:6d}  {cause}")
    for x in failures[: args.failures]:
        where = f"{x['file']}:{x['line']}" + (f" [{x['loop']}]" if x["loop"] else "")
        print(f"\n{where}: {x['why']}\n  {x['sql']}")
    if args.json:
        json.dump(failures, open(args.json, "w"), indent=1)
    rate = 100.0 * passed / total if total else 0.0
    print(f"\n{passed} passed, {total - passed} failed")
    print(f"pass rate: {rate:.1f}% of {total} records in {len(files)} files")


if __name__ == "__main__":
    main()
