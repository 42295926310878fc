// Parser tests: statements as S-expressions (golden strings), operator precedence, names
// that are keywords elsewhere, and the byte ranges of nodes.

import XCTest
@testable import AQSyntax

final class ParserTests: XCTestCase {
    private func check(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(parseDump(text), expected, file: file, line: line)
    }

    // MARK: - SELECT

    func testSelectClauses() {
        check("SELECT time, action FROM events", "(select (time action) (from events))")
        check("select distinct a from t where b group by a having count(*) > 1",
              "(select distinct (a) (from t) (where b) (group-by a) (having (> (call count *) 1)))")
        check("SELECT ALL a", "(select (a))")
        // Trailing commas, as DuckDB allows them.
        check("SELECT a, b, FROM t", "(select (a b) (from t))")
        check("SELECT (SELECT a, ), 1,", "(select ((subquery (select (a))) 1))")
        check("SELECT 1 AS one, 2 two, 3 AS \"Three\", 4 AS from",
              "(select ((as 1 one) (as 2 two) (as 3 \"Three\") (as 4 from)))")
        check("SELECT a FROM t GROUP BY ALL ORDER BY a DESC NULLS FIRST, b ASC, c NULLS LAST LIMIT 10 OFFSET 5",
              "(query (select (a) (from t) (group-by all)) (order-by (a desc nulls-first) b (c asc nulls-last)) (limit 10) (offset 5))")
        check("SELECT a FROM t GROUP BY 1, 2 OFFSET 3 LIMIT 4",
              "(query (select (a) (from t) (group-by 1 2)) (limit 4) (offset 3))")
        check("SELECT * EXCLUDE (a, b), t.*, u.* EXCLUDE c FROM t",
              "(select ((* exclude a b) t.* (u.* exclude c)) (from t))")
    }

    func testFromAndJoins() {
        check("SELECT 1 FROM events e LEFT JOIN allowlist AS a ON e.source_ip = a.ip",
              "(select (1) (from (left-join (as events e) (as allowlist a) (= e.source_ip a.ip))))")
        check("SELECT 1 FROM a INNER JOIN b ON x LEFT OUTER JOIN c ON y CROSS JOIN d",
              "(select (1) (from (cross-join (left-join (inner-join a b x) c y) d)))")
        // The comma binds looser than JOIN.
        check("SELECT 1 FROM a, b JOIN c ON x",
              "(select (1) (from (cross-join a (inner-join b c x))))")
        check("SELECT 1 FROM (a JOIN b ON x) CROSS JOIN (c AS d LEFT JOIN (e CROSS JOIN f) ON y)",
              "(select (1) (from (cross-join (inner-join a b x) (left-join (as c d) (cross-join e f) y))))")
        check("SELECT 1 FROM (SELECT 1) AS s(x, y), (VALUES (1)) v, (SELECT 2)",
              "(select (1) (from (cross-join (cross-join (subquery (select (1)) s (x y)) (subquery (values (1)) v)) (subquery (select (2))))))")
    }

    func testSetOperationsAndParenthesizedQueries() {
        // INTERSECT binds tighter than UNION and EXCEPT, which are left-associative.
        check("SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4",
              "(except (union-all (select (1)) (intersect (select (2)) (select (3)))) (select (4)))")
        check("SELECT 1 UNION DISTINCT SELECT 2 EXCEPT ALL SELECT 3 INTERSECT ALL SELECT 4",
              "(except-all (union (select (1)) (select (2))) (intersect-all (select (3)) (select (4))))")
        check("(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2) ORDER BY 1",
              "(query (union (nested (query (select (1)) (order-by 1) (limit 1))) (nested (select (2)))) (order-by 1))")
        check("VALUES (1, 'a'), (2, 'b')", "(values (1 'a') (2 'b'))")
        check("VALUES (1), (2),", "(values (1) (2))")
    }

    func testWith() {
        check("WITH a(x, y) AS (SELECT 1, 2), b AS (SELECT * FROM a) SELECT * FROM b",
              "(query (with (a (x y) (select (1 2))) (b (select (*) (from a)))) (select (*) (from b)))")
    }

    // MARK: - Expressions

    func testPrecedence() {
        check("SELECT a + 1 * 2 - 3", "(select ((- (+ a (* 1 2)) 3)))")
        check("SELECT NOT a = b AND c OR d", "(select ((or (and (not (= a b)) c) d)))")
        check("SELECT a OR b AND c", "(select ((or a (and b c))))")
        check("SELECT NOT NOT a", "(select ((not (not a))))")
        check("SELECT a || b = c", "(select ((= (|| a b) c)))")
        check("SELECT a + b || c", "(select ((|| (+ a b) c)))")
        check("SELECT x // 2 % 3 / 4", "(select ((/ (% (// x 2) 3) 4)))")
        check("SELECT -a * b", "(select ((* (- a) b)))")
        check("SELECT 2 * 3 ^ 2 ** 4, -2^2", "(select ((* 2 (call power (call power 3 2) 4)) (call power (- 2) 2)))")
        check("SELECT a IN (), a NOT IN ()", "(select ((in a ()) (not-in a ())))")
        check("SELECT -a::int", "(select ((- (cast a int))))")
        check("SELECT a::int + 1", "(select ((+ (cast a int) 1)))")
        check("SELECT 1 - -1, -2 * 3, +4, - 1.5", "(select ((- 1 (- 1)) (* (- 2) 3) (+ 4) (- 1.5)))")
        check("SELECT (a + b) * c", "(select ((* (+ a b) c)))")
        check("SELECT a = b = c", "(select ((= (= a b) c)))")
        check("SELECT a BETWEEN 1 AND 2 AND b", "(select ((and (between a 1 2) b)))")
        check("SELECT NOT a BETWEEN 1 + 1 AND 2 || 'x'", "(select ((not (between a (+ 1 1) (|| 2 'x')))))")
        check("SELECT a = 1 IS NOT NULL", "(select ((is-not-null (= a 1))))")
        check("SELECT a LIKE 'x' || '%' AND b", "(select ((and (like a (|| 'x' '%')) b)))")
    }

    func testPredicates() {
        check("SELECT a IS NULL, a IS NOT NULL, a IS TRUE, a IS NOT FALSE, a IS UNKNOWN, a IS NOT UNKNOWN",
              "(select ((is-null a) (is-not-null a) (is-true a) (is-not-false a) (is-null a) (is-not-null a)))")
        check("SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b + 1",
              "(select ((is-distinct-from a b) (is-not-distinct-from a (+ b 1))))")
        check("SELECT a IN (1, 2), a NOT IN ('x'), a IN (SELECT b FROM t), a NOT IN (VALUES (1))",
              "(select ((in a (1 2)) (not-in a ('x')) (in a (select (b) (from t))) (not-in a (values (1)))))")
        check("SELECT a NOT BETWEEN 1 AND 2",  "(select ((not-between a 1 2)))")
        check("SELECT a LIKE 'x%' ESCAPE '!', a NOT ILIKE 'y', a ILIKE b",
              "(select ((like a 'x%' (escape '!')) (not-ilike a 'y') (ilike a b)))")
        check("SELECT EXISTS (SELECT 1), NOT EXISTS (SELECT 2), (SELECT 3)",
              "(select ((exists (select (1))) (not (exists (select (2)))) (subquery (select (3)))))")
        check("SELECT ((SELECT 1) UNION (SELECT 2))",
              "(select ((subquery (union (nested (select (1))) (nested (select (2)))))))")
    }

    func testCaseAndCast() {
        check("SELECT CASE WHEN a THEN 'x' WHEN b THEN 'y' ELSE 'z' END, CASE a WHEN 1 THEN 2 END",
              "(select ((case (when a 'x') (when b 'y') (else 'z')) (case a (when 1 2))))")
        check("SELECT CAST(a AS VARCHAR(20)), TRY_CAST(b AS DOUBLE PRECISION), c::timestamp with time zone, d::DECIMAL(10, 2)",
              "(select ((cast a varchar(20)) (try-cast b \"double precision\") (cast c \"timestamp with time zone\") (cast d decimal(10,2))))")
        check("SELECT a::bigint::varchar", "(select ((cast (cast a bigint) varchar)))")
    }

    func testFunctionCalls() {
        check("SELECT count(*), count(DISTINCT actor), now(), coalesce(a, b, 'c')",
              "(select ((call count *) (call count distinct actor) (call now) (call coalesce a b 'c')))")
        check("SELECT count(*) FILTER (WHERE success = false) AS failures, sum(x) FILTER (x > 1)",
              "(select ((as (call count * (filter (= success false))) failures) (call sum x (filter (> x 1)))))")
        check("SELECT string_agg(x, ',' ORDER BY y DESC, z) FILTER (WHERE x > 1)",
              "(select ((call string_agg x ',' (order-by (y desc) z) (filter (> x 1)))))")
        check("SELECT Lower(\"Name\"), \"My Func\"(1), left(s, 2)",
              "(select ((call lower \"Name\") (call \"My Func\" 1) (call left s 2)))")
    }

    func testLiterals() {
        check("SELECT 1, 1.5, .5, 1e3, 'it''s', '', NULL, TRUE, false",
              "(select (1 1.5 .5 1e3 'it''s' '' null true false))")
        check("SELECT 30s, 15m, 1h, 7d, 2w, 100ms, 5us, 1ns, ago(7d)",
              "(select ((duration 30 s) (duration 15 m) (duration 1 h) (duration 7 d) (duration 2 w) (duration 100 ms) (duration 5 us) (duration 1 ns) (call ago (duration 7 d))))")
        check("SELECT TIMESTAMP '2024-04-12 08:00:00', DATE '2024-04-12'",
              "(select ((timestamp '2024-04-12 08:00:00') (date '2024-04-12')))")
        check("SELECT INTERVAL '15 minutes', INTERVAL 15 MINUTE, INTERVAL '1' DAYS, INTERVAL 1.5 hour, INTERVAL (a) second",
              "(select ((interval '15 minutes') (interval 15 minute) (interval '1' day) (interval 1.5 hour) (interval a second)))")
        // A word after an interval's string is a unit only if it names one; else an alias.
        check("SELECT INTERVAL '1 day' d", "(select ((as (interval '1 day') d)))")
        check("SELECT time - INTERVAL '1 hour'", "(select ((- time (interval '1 hour'))))")
        check("SELECT -9223372036854775808", "(select ((- 9223372036854775808)))")
    }

    func testKeywordsThatAreNames() {
        check("SELECT time, action, format, status, error, session, source_ip, tag, raw, service, region, account, network, user FROM events",
              "(select (time action format status error session source_ip tag raw service region account network user) (from events))")
        check("SELECT date, timestamp, interval, filter, first, last, values, table, zone FROM t",
              "(select (date timestamp interval filter first last values table zone) (from t))")
        check("SELECT e.date FROM events AS e WHERE date > '2024-01-01' AND interval = 1 ORDER BY first NULLS LAST, last",
              "(query (select (e.date) (from (as events e)) (where (and (> date '2024-01-01') (= interval 1)))) (order-by (first asc nulls-last) last))")
        check("SELECT count(*) filter FROM t", "(select ((as (call count *) filter)) (from t))")
        check("SELECT t.select, \"select\" FROM t", "(select (t.select \"select\") (from t))")
        check("SELECT Source_IP, \"Source_IP\" FROM Events", "(select (source_ip \"Source_IP\") (from events))")
    }

    // MARK: - Other statements

    func testDataDefinitionAndLoad() {
        check("CREATE TABLE IF NOT EXISTS t (a INTEGER NOT NULL, b VARCHAR(20) NULL, c DOUBLE PRECISION)",
              "(create-table t if-not-exists ((a integer not-null) (b varchar(20)) (c \"double precision\")))")
        check("create or replace table t as select 1", "(create-table t or-replace (as (select (1))))")
        check("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, n INT DEFAULT 1 + 2 NULL, unique INT)",
              "(create-table t ((id integer primary-key) (name text not-null unique) (n int (default (+ 1 2))) (unique int)))")
        check("SELECT * FROM range(3) r (i), generate_series(1, 2)",
              "(select (*) (from (cross-join (table-function (call range 3) r (i)) (table-function (call generate_series 1 2)))))")
        check("SELECT x FROM t AS u (x, y)", "(select (x) (from (subquery (select (*) (from t)) u (x y))))")
        check("CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b), UNIQUE (b))",
              "(create-table t ((a int) (b int) (primary-key a b) (unique b)))")
        check("SET default_null_order = 'nulls_first'; SET SESSION x TO nulls_last; SET GLOBAL y = -1.5; RESET z",
              "(set default_null_order 'nulls_first')\n(set x 'nulls_last')\n(set y '-1.5')\n(reset z)")
        check("CREATE TABLE t AS (SELECT 1) UNION ALL (SELECT 2)",
              "(create-table t (as (union-all (nested (select (1))) (nested (select (2))))))")
        check("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')", "(insert t (a b) (values (1 'x') (2 'y')))")
        check("INSERT INTO t SELECT * FROM u", "(insert t (select (*) (from u)))")
        check("INSERT INTO t (SELECT 1)", "(insert t (nested (select (1))))")
        check("INSERT INTO t VALUES (1) ORDER BY 1", "(insert t (query (values (1)) (order-by 1)))")
        check("DROP TABLE t; DROP TABLE IF EXISTS \"T\"", "(drop-table t)\n(drop-table \"T\" if-exists)")
        check("SHOW TABLES; DESCRIBE events", "(show-tables)\n(describe events)")
        check("EXPLAIN SELECT 1", "(explain (select (1)))")
        check("LOAD 'logs/*.json'; LOAD 'a.csv' AS allowlist; LOAD 'x' FORMAT CloudTrail; LOAD 'y' AS t FORMAT 'CSV'",
              "(load 'logs/*.json')\n(load 'a.csv' (as allowlist))\n(load 'x' (format cloudtrail))\n(load 'y' (as t) (format csv))")
    }

    func testScriptsAndEmptyStatements() {
        check("SELECT 1; SELECT 2;", "(select (1))\n(select (2))")
        check("SELECT 1; SELECT 2", "(select (1))\n(select (2))")
        check(";; -- only a comment\n; /* and another */", "")
        check("", "")
        check("-- leading\nSELECT 1 -- trailing", "(select (1))")
    }

    // MARK: - Ranges

    func testStatementRangesExcludeTheSemicolon() {
        let text = "  SELECT 1 ;\n-- c\nSELECT 2"
        let source = Source(text)
        let ranges = parseStatements(text).map { source.text($0.range) }
        XCTAssertEqual(ranges, ["SELECT 1", "SELECT 2"])
    }

    func testExpressionRangesCoverTheirText() {
        let text = "SELECT a + b * 2, count(*) FILTER (WHERE x), CAST(a AS INT), (1), x IS NOT NULL, "
            + "a BETWEEN 1 AND 2, - 5, t.c, a::varchar(3), CASE WHEN a THEN b END, a NOT IN (1, 2), "
            + "INTERVAL 1 DAY, 'str', EXISTS (SELECT 1)"
        let source = Source(text)
        XCTAssertEqual(selectExprs(text).map { source.text($0.range) },
                       ["a + b * 2", "count(*) FILTER (WHERE x)", "CAST(a AS INT)", "(1)", "x IS NOT NULL",
                        "a BETWEEN 1 AND 2", "- 5", "t.c", "a::varchar(3)", "CASE WHEN a THEN b END",
                        "a NOT IN (1, 2)", "INTERVAL 1 DAY", "'str'", "EXISTS (SELECT 1)"])
    }

    func testNodeRanges() {
        let text = "WITH w AS (SELECT 1) SELECT x FROM t AS u JOIN (SELECT 2) s ON true WHERE y ORDER BY x LIMIT 3"
        let source = Source(text)
        guard let statement = parseStatements(text).first, case .query(let query) = statement.kind,
              case .select(let select) = query.body, let from = select.from,
              case .join(_, let left, let right, _, _) = from else {
            return XCTFail("unexpected shape")
        }
        XCTAssertEqual(source.text(query.range), text)
        XCTAssertEqual(source.text(select.range), "SELECT x FROM t AS u JOIN (SELECT 2) s ON true WHERE y")
        XCTAssertEqual(source.text(from.range), "t AS u JOIN (SELECT 2) s ON true")
        XCTAssertEqual(source.text(left.range), "t AS u")
        XCTAssertEqual(source.text(right.range), "(SELECT 2) s")
        XCTAssertEqual(source.text(query.with[0].query.range), "SELECT 1")
        XCTAssertEqual(query.with[0].name.range, SourceRange(start: 5, end: 6))
    }

    func testIdentifiersFoldUnlessQuoted() {
        let exprs = selectExprs("SELECT ÉVÉNEMENT, \"MiXed\"\"q\", Plain")
        let names = exprs.compactMap { e -> Identifier? in
            if case .column(let parts) = e.kind { return parts.first }
            return nil
        }
        XCTAssertEqual(names.map(\.name), ["événement", "MiXed\"q", "plain"])
        XCTAssertEqual(names.map(\.quoted), [false, true, false])
    }

    func testLiteralValues() {
        let exprs = selectExprs("SELECT 'a''b', 42, 2.5e1, 90m, TIMESTAMP 'x''y'")
        let literals = exprs.compactMap { e -> Literal? in
            if case .literal(let l) = e.kind { return l }
            return nil
        }
        XCTAssertEqual(literals, [.string("a'b"), .integer("42"), .double("2.5e1"),
                                  .duration(value: 90, unit: .minutes),
                                  .typed(TypeName(name: "timestamp", range: SourceRange(start: 31, end: 40)), "x'y")])
    }
}
