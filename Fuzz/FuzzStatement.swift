// libFuzzer target: statement text through the lexer, parser, binder and optimizer. Each
// query-like statement of the input is bound and optimized (as EXPLAIN does) against a small
// database with an `events` table. Only recursive WITH queries run (they are evaluated while
// binding); a statement still going after `interruptAfter` seconds is interrupted as Ctrl-C
// does, so the fuzzer's own timeout catches only statements an interrupt does not reach.
// Built and run by scripts/fuzz.sh, never by `swift build`.

import AQEngine
import AQSyntax
import Dispatch

private let interruptAfter = 3.0

private let database: Database = {
    let db = Database()
    _ = try? db.query("""
        CREATE TABLE t (a INTEGER, b VARCHAR, c DOUBLE, d TIMESTAMP, e BOOLEAN);
        INSERT INTO t VALUES (1, 'x', 1.5, TIMESTAMP '2024-01-01 00:00:00', true), (NULL, NULL, NULL, NULL, NULL);
        CREATE VIEW v AS SELECT a, b FROM t;
        """)
    let record = #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"ecr.amazonaws.com","eventName":"BatchGetImage","requestParameters":{"repositoryName":"ns/app","imageIds":[{"imageTag":"v1"}]},"eventID":"e1"}"#
    _ = try? db.load(bytes: Array(record.utf8), name: "seed.jsonl")
    return db
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatement(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let source = Source(bytes: bytes)
    for parsed in Parser.parseScript(source) {
        guard case .statement(let statement) = parsed else { continue }
        switch statement.kind {
        case .query, .timeline, .summary:
            let text = String(decoding: bytes[statement.range.start..<min(statement.range.end, bytes.count)], as: UTF8.self)
            let watchdog = DispatchWorkItem { database.interrupt() }
            DispatchQueue.global().asyncAfter(deadline: .now() + interruptAfter, execute: watchdog)
            _ = try? database.query("EXPLAIN " + text)
            watchdog.cancel()
        default:
            continue
        }
    }
    return 0
}
