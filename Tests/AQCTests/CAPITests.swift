// The C API called from Swift: handles, binding, stepping, errors, misuse.

import XCTest
@testable import AQC

final class CAPITests: XCTestCase {
    private func text(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) } }

    private func open() -> OpaquePointer? {
        var db: OpaquePointer?
        XCTAssertEqual(aq_open(&db), AQ_OK)
        return db
    }

    func testQueryWithParametersStepsRows() {
        let db = open()
        defer { _ = aq_close(db) }
        XCTAssertEqual(aq_exec(db, "CREATE TABLE t (name VARCHAR, n INTEGER, x DOUBLE, ok BOOLEAN); "
                                 + "INSERT INTO t VALUES ('it''s', 1, 1.5, true), ('b', NULL, 2.5, false), (NULL, 3, NULL, NULL)"), AQ_OK)
        var st: OpaquePointer?
        XCTAssertEqual(aq_prepare(db, "SELECT name, n, x, ok FROM t WHERE n >= ? OR name = $2 ORDER BY n", &st), AQ_OK)
        XCTAssertEqual(aq_bind_parameter_count(st), 2)
        XCTAssertEqual(aq_bind_int64(st, 1, 2), AQ_OK)
        XCTAssertEqual(aq_bind_text(st, 2, "it's"), AQ_OK)
        XCTAssertEqual(aq_step(st), AQ_ROW)
        XCTAssertEqual(aq_column_count(st), 4)
        XCTAssertEqual(text(aq_column_name(st, 0)), "name")
        XCTAssertEqual(aq_column_type(st, 1), 2)
        XCTAssertEqual(text(aq_column_text(st, 0)), "it's")
        XCTAssertEqual(aq_column_int64(st, 1), 1)
        XCTAssertEqual(aq_column_double(st, 2), 1.5)
        XCTAssertEqual(aq_column_int64(st, 3), 1)
        XCTAssertEqual(aq_step(st), AQ_ROW)
        XCTAssertEqual(aq_column_is_null(st, 0), 1)
        XCTAssertNil(aq_column_text(st, 0))
        XCTAssertEqual(aq_column_int64(st, 1), 3)
        XCTAssertEqual(aq_step(st), AQ_DONE)
        XCTAssertEqual(aq_step(st), AQ_DONE)
        // Re-run with another value.
        XCTAssertEqual(aq_reset(st), AQ_OK)
        XCTAssertEqual(aq_bind_int64(st, 1, 100), AQ_OK)
        XCTAssertEqual(aq_bind_null(st, 2), AQ_OK)
        XCTAssertEqual(aq_step(st), AQ_DONE)
        XCTAssertEqual(aq_finalize(st), AQ_OK)
    }

    func testErrorsCarryPositions() {
        let db = open()
        defer { _ = aq_close(db) }
        var st: OpaquePointer?
        XCTAssertEqual(aq_prepare(db, "SELECT\n  nosuch FROM (SELECT 1 AS a)", &st), AQ_OK)
        XCTAssertEqual(aq_step(st), AQ_ERROR)
        XCTAssertEqual(text(aq_stmt_errmsg(st))?.hasPrefix("unknown column 'nosuch'") ?? false, true,
                       text(aq_stmt_errmsg(st)) ?? "")
        XCTAssertEqual(aq_stmt_error_line(st), 2)
        XCTAssertEqual(aq_stmt_error_column(st), 3)
        XCTAssertEqual(aq_finalize(st), AQ_OK)
        XCTAssertEqual(aq_prepare(db, "SELEC 1", &st), AQ_ERROR)
        XCTAssertNil(st)
        XCTAssertEqual(aq_error_line(db), 1)
        XCTAssertEqual(aq_error_column(db), 1)
    }

    func testMisuseIsAnErrorNotACrash() {
        XCTAssertEqual(aq_open(nil), AQ_MISUSE)
        XCTAssertEqual(aq_exec(nil, "SELECT 1"), AQ_MISUSE)
        XCTAssertEqual(aq_step(nil), AQ_MISUSE)
        XCTAssertEqual(text(aq_errmsg(nil)), staleHandle)
        let db = open()
        XCTAssertEqual(aq_exec(db, nil), AQ_ERROR)
        var st: OpaquePointer?
        XCTAssertEqual(aq_prepare(db, "SELECT ? + 1", &st), AQ_OK)
        XCTAssertEqual(aq_bind_int64(st, 2, 1), AQ_RANGE)
        XCTAssertEqual(aq_bind_int64(st, 0, 1), AQ_RANGE)
        // Unbound parameter.
        XCTAssertEqual(aq_step(st), AQ_ERROR)
        XCTAssertEqual(text(aq_stmt_errmsg(st)), "no value given for parameter $1")
        XCTAssertEqual(aq_reset(st), AQ_OK)
        // Wrong type: a string where a number is added.
        XCTAssertEqual(aq_bind_text(st, 1, "x"), AQ_OK)
        XCTAssertEqual(aq_step(st), AQ_ERROR)
        XCTAssertEqual(aq_column_int64(st, 0), 0)
        XCTAssertNil(aq_column_text(st, 7))
        XCTAssertEqual(aq_close(db), AQ_OK)
        // The statement of a closed database.
        XCTAssertEqual(aq_reset(st), AQ_OK)
        XCTAssertEqual(aq_bind_int64(st, 1, 1), AQ_OK)
        XCTAssertEqual(aq_step(st), AQ_MISUSE)
        XCTAssertEqual(text(aq_stmt_errmsg(st)), "the database is closed")
        XCTAssertEqual(aq_finalize(st), AQ_OK)
        // Closed and finalized handles.
        XCTAssertEqual(aq_finalize(st), AQ_MISUSE)
        XCTAssertEqual(aq_step(st), AQ_MISUSE)
        XCTAssertEqual(aq_close(db), AQ_MISUSE)
        XCTAssertEqual(aq_exec(db, "SELECT 1"), AQ_MISUSE)
        aq_interrupt(db)
        aq_cancel(st)
    }

    func testLimitsAndLoadBytes() {
        let db = open()
        defer { _ = aq_close(db) }
        let csv = "time,operation,repository,actor\n2024-05-01T10:00:00Z,pull,payments/api,alice\n"
        let bytes = Array(csv.utf8)
        // An unknown format is an error naming the input.
        XCTAssertEqual(aq_load_bytes(db, bytes, bytes.count, "upload.csv", "nosuch"), AQ_ERROR)
        XCTAssertEqual(aq_set_limits(db, -1, -1, 2), AQ_OK)
        var st: OpaquePointer?
        XCTAssertEqual(aq_prepare(db, "SELECT * FROM range(10)", &st), AQ_OK)
        XCTAssertEqual(aq_step(st), AQ_LIMIT)
        XCTAssertEqual(text(aq_stmt_errmsg(st)), "result row limit of 2 exceeded")
        XCTAssertEqual(aq_finalize(st), AQ_OK)
        XCTAssertEqual(aq_exec(db, "SELECT 1"), AQ_OK)
    }
}
