// EXPLAIN CLICKHOUSE and the translator: names qualified as aq resolves them, aq's
// semantics written out, parameters, TIMELINE / SUMMARY, the DDL, and untranslatable parts.
// (Tests/clickhouse/check_clickhouse.py runs the translations in chDB against aq's answers.)

import XCTest
@testable import AQEngine
@testable import AQSyntax

final class ClickHouseTranslationTests: XCTestCase {
    func translate(_ sql: String) throws -> String {
        try Database().translateToClickHouse(Source(sql))
    }

    func testColumnsAreQualifiedAndAliasesKeptForOrderBy() throws {
        let sql = try translate("SELECT coalesce(actor, '(anonymous)') AS actor, count(*) AS n FROM events WHERE actor IS NULL GROUP BY ALL ORDER BY actor, n DESC")
        XCTAssertEqual(sql, """
            SELECT coalesce(events.actor, '(anonymous)') AS actor, count() AS n
            FROM events
            WHERE (events.actor IS NULL)
            GROUP BY ALL
            ORDER BY actor ASC NULLS LAST, n DESC NULLS LAST
            SETTINGS join_use_nulls = 1, function_json_value_return_type_allow_nullable = 1, function_json_value_return_type_allow_complex = 1;

            """)
    }

    func testSemanticsMadeExplicit() throws {
        let sql = try translate("SELECT 7 // 2 AS q, CAST(1.5 AS INTEGER) AS r, x'' FROM (SELECT 1 AS a UNION SELECT 2) s ORDER BY a".replacingOccurrences(of: ", x''", with: ""))
        XCTAssertTrue(sql.contains("intDiv(7, 2) AS q"), sql)
        XCTAssertTrue(sql.contains("toInt64(roundBankers(toFloat64(1.5))) AS r"), sql)
        XCTAssertTrue(sql.contains("UNION DISTINCT"), sql)
        let union = try translate("SELECT 1 AS a UNION ALL SELECT 2 ORDER BY a LIMIT 1")
        XCTAssertEqual(union, """
            SELECT * FROM (
            SELECT 1 AS a
            UNION ALL
            SELECT 2
            ) AS _u
            ORDER BY a ASC NULLS LAST
            LIMIT 1
            SETTINGS join_use_nulls = 1, function_json_value_return_type_allow_nullable = 1, function_json_value_return_type_allow_complex = 1;

            """)
        XCTAssertTrue(try translate("SELECT * FROM events WHERE time > ago(7d) AND source_ip LIKE 'a\\%'").contains(
            "(events.time > (now64(9, 'UTC') - INTERVAL 7 DAY)) AND (events.source_ip LIKE 'a\\\\\\\\%')"))
    }

    func testParametersAndSetVariable() throws {
        let sql = try translate("SET VARIABLE repo = coalesce(getvariable('repo'), 'web/cms'); SELECT count(*) FROM events WHERE repository = $repo AND tag = $tag")
        XCTAssertTrue(sql.hasPrefix("-- $repo = coalesce({repo:Nullable(String)}, toString('web/cms'))\n\n"), sql)
        XCTAssertTrue(sql.contains("(events.repository = (coalesce({repo:Nullable(String)}, toString('web/cms'))))"), sql)
        XCTAssertTrue(sql.contains("(events.tag = {tag:String})"), sql)
    }

    func testTimelineAndSummaryAreTheirSelects() throws {
        let timeline = try translate("TIMELINE repository = 'web/cms' SINCE 30d LIMIT 5")
        XCTAssertTrue(timeline.hasPrefix("SELECT events.time AS time, events.provider AS provider"), timeline)
        XCTAssertTrue(timeline.contains("WHERE ((events.repository = 'web/cms')) AND events.time >= (now64(9, 'UTC') - INTERVAL 30 DAY)\nORDER BY time ASC NULLS LAST\nLIMIT 5"), timeline)
        let summary = try translate("SUMMARY tag = 'v1'")
        XCTAssertTrue(summary.contains("UNION ALL\nSELECT 'total' AS action"), summary)
        XCTAssertTrue(summary.contains("ORDER BY summary_order ASC, events DESC, action ASC NULLS LAST"), summary)
    }

    func testWindowsAndAggregates() throws {
        let sql = try translate("""
            SELECT lag(digest) OVER (PARTITION BY tag ORDER BY time) AS prev,
                   count(*) OVER (PARTITION BY actor ORDER BY time RANGE BETWEEN 1h PRECEDING AND CURRENT ROW) AS n,
                   string_agg(DISTINCT network, ', ' ORDER BY network) AS networks
            FROM events
            """)
        XCTAssertTrue(sql.contains("lagInFrame(toNullable(events.digest), 1, NULL) OVER (PARTITION BY events.tag ORDER BY events.time ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"), sql)
        XCTAssertTrue(sql.contains("ORDER BY intDiv(toUnixTimestamp64Nano(events.time), 1000000) ASC NULLS LAST RANGE BETWEEN 3600000 PRECEDING AND CURRENT ROW"), sql)
        XCTAssertTrue(sql.contains("if(count(events.network) = 0, NULL, arrayStringConcat(arraySort(groupUniqArray(events.network)), ', '))"), sql)
    }

    func testUntranslatablePartsAreNamed() {
        func message(_ sql: String) -> String {
            do {
                return try translate(sql)
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message("SELECT median(status) FROM events"), """
            line 1, column 8: cannot translate median() to ClickHouse: ClickHouse's median is not exact; aq does not translate it
              SELECT median(status) FROM events
                     ^~~~~~~~~~~~~~
            """)
        XCTAssertTrue(message("LOAD 'x'").hasPrefix("line 1, column 1: cannot translate LOAD to ClickHouse: ClickHouse loads logs with INSERT"))
        XCTAssertTrue(message("SELECT * FROM range(3)").contains("cannot translate table function range() to ClickHouse"))
        XCTAssertTrue(message("SELECT bar(1, 0, 2) FROM events").contains("cannot translate bar() to ClickHouse: aq has no ClickHouse form of this function"))
    }

    func testExplainClickHouseAndTheDDL() throws {
        let db = Database()
        try db.query("""
            CREATE TABLE events (time TIMESTAMP, provider VARCHAR, action VARCHAR, repository VARCHAR, status INTEGER, success BOOLEAN);
            INSERT INTO events VALUES (TIMESTAMP '2024-03-04 10:00:00', 'aws', 'pull', 'a/b', NULL, true);
            """)
        let explain = try db.query("EXPLAIN CLICKHOUSE SELECT count(*) FROM events")
        XCTAssertEqual(explain.columns.map(\.name), ["clickhouse"])
        XCTAssertEqual(explain.rows.first, [.varchar("SELECT count()")])
        let ddl = try db.query("EXPLAIN CLICKHOUSE DDL 's3://bucket/export/*.parquet'").rows.map { row -> String in
            if case .varchar(let line) = row[0] { return line }
            return ""
        }.joined(separator: "\n")
        XCTAssertEqual(ddl, """
            CREATE TABLE events
            (
                time DateTime64(9, 'UTC'),
                provider LowCardinality(String),
                action LowCardinality(String),
                repository LowCardinality(String),
                status Nullable(Int64),
                success Bool
            )
            ENGINE = MergeTree
            PARTITION BY toYYYYMM(ifNull(time, toDateTime64(0, 9, 'UTC')))
            ORDER BY (action, repository, time)
            SETTINGS allow_nullable_key = 1;

            INSERT INTO events
            SELECT time, provider, action, repository, status, success
            FROM s3('s3://bucket/export/*.parquet', Parquet);
            """)
    }
}
