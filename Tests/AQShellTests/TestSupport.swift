// Helpers shared by the shell's tests: results built from values, a session that records
// what it runs instead of running it.

import AQEngine
import Foundation
import XCTest
import AQSyntax
@testable import AQShell

/// A result with these columns and rows (one batch per `batchSize` rows).
func makeResult(_ columns: [(String, DataType)], _ rows: [[Value]], batchSize: Int = 2048) -> StatementResult {
    var batches: [Batch] = []
    var start = 0
    while start < rows.count || (rows.isEmpty && batches.isEmpty) {
        let end = min(start + batchSize, rows.count)
        var builders = columns.map { VectorBuilder(type: $0.1) }
        for row in rows[start..<end] {
            for (c, value) in row.enumerated() { builders[c].append(value) }
        }
        batches.append(Batch(columns: builders.map { $0.build() }, count: end - start))
        start = end
        if rows.isEmpty { break }
    }
    return StatementResult(columns: columns.map { ColumnSchema(name: $0.0, type: $0.1) }, batches: batches)
}

/// The text `format` writes for `result`.
func render(_ result: StatementResult, _ format: OutputFormat, limits: DisplayLimits = .unlimited) -> String {
    let sink = OutputSink.memory()
    format.write(result, to: sink, limits: limits)
    return sink.text
}

/// A session whose statements are recorded (with the line they start on and their file)
/// and answered by `answer`, writing to memory.
final class RecordingSession {
    struct Run: Equatable {
        var text: String
        var firstLine: Int
        var fileName: String?
    }

    let session: ShellSession
    let output: OutputSink
    let errors: OutputSink
    private(set) var runs: [Run] = []

    init(interactive: Bool = false, answer: @escaping (Source) throws -> StatementResult = { _ in StatementResult(message: "") }) {
        output = .memory()
        errors = .memory()
        session = ShellSession(output: output, errors: errors, interactive: interactive)
        session.execute = { [unowned self] source, onResult in
            let text = String(decoding: source.bytes, as: UTF8.self)
            self.runs.append(Run(text: text, firstLine: source.location(of: 0).line, fileName: source.fileName))
            try onResult(ResultStream(try answer(source)))
        }
    }
}

/// Lines typed at a reader, with what it was asked.
final class ScriptedReader: LineReader {
    private var inputs: [LineInput]
    private(set) var prompts: [String] = []
    private(set) var history: [String] = []
    let isInteractive: Bool

    init(_ inputs: [LineInput], interactive: Bool = true) {
        self.inputs = inputs
        self.isInteractive = interactive
    }

    func readLine(prompt: String, pending: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .end : inputs.removeFirst()
    }

    func addHistory(_ entry: String) { history.append(entry) }
}

/// A count from `Tests/fixtures/example-counts.json`, which DuckDB's reference ingest computed
/// from `examples/logs`: `exampleCount("rows")` or `exampleCount("by_provider", "ibm")`.
func exampleCount(_ key: String, _ part: String? = nil) throws -> Int {
    let here = "\(#filePath)"
    let root = here.range(of: "/Tests/").map { String(here[..<$0.lowerBound]) } ?? "."
    let data = try Data(contentsOf: URL(fileURLWithPath: root + "/Tests/fixtures/example-counts.json"))
    let counts = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let value = part.map { (counts?[key] as? [String: Int])?[$0] } ?? counts?[key] as? Int
    return try XCTUnwrap(value, "no count \(key) \(part ?? "") in example-counts.json")
}
