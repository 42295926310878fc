// The investigation scripts shipped in `examples/`: each runs over the shipped logs and its whole
// output must read exactly as its golden file `Tests/golden/examples/NAME.out`. The goldens are
// re-recorded only when asked for, with `AQ_RECORD_GOLDEN=1 swift test --filter ExampleScriptTests`.

import XCTest
import AQShell

final class ExampleScriptTests: XCTestCase {
    static var root: String {
        let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3)
        return parts.joined(separator: "/")
    }

    static var goldenDirectory: String { root + "/Tests/golden/examples" }

    var recording: Bool { getenv("AQ_RECORD_GOLDEN").map { String(cString: $0) == "1" } ?? false }

    /// Runs not with their defaults: golden name → script and parameters.
    static let parameterRuns: [(golden: String, script: String, params: [String])] = [
        ("image-history--repo-data-dbt-models", "image-history.aq", ["repo=data/dbt-models", "tag=latest"]),
        ("failures--burst-1", "failures.aq", ["burst=1"]),
        ("new-public-ips--since-2024-03-16", "new-public-ips.aq", ["since=2024-03-16"]),
        ("actor-activity--alice", "actor-activity.aq", ["actor=%alice.martin%", "since=2024-03-04"]),
    ]

    func testEveryExampleScriptMatchesItsGoldenOutput() throws {
        let examples = ExampleScriptTests.root + "/examples"
        let scripts = FileSystem.listDirectory(examples).filter { !$0.isDirectory && $0.name.hasSuffix(".aq") }
            .map(\.name).sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 10, "examples/*.aq")
        for script in scripts {
            try check(golden: String(script.dropLast(3)), script: script, params: [])
        }
    }

    func testExampleScriptsWithParameters() throws {
        for run in ExampleScriptTests.parameterRuns {
            try check(golden: run.golden, script: run.script, params: run.params)
        }
    }

    /// The defaults and a `--param` give different answers (the parameter reaches the query).
    func testAParameterChangesTheAnswer() throws {
        let dir = ExampleScriptTests.goldenDirectory
        guard let plain = read(dir + "/image-history.out"),
              let other = read(dir + "/image-history--repo-data-dbt-models.out") else {
            return XCTFail("image-history goldens missing; record them with AQ_RECORD_GOLDEN=1")
        }
        XCTAssertTrue(plain.contains("mobile/push-gateway"))
        XCTAssertFalse(other.contains("mobile/push-gateway"))
        XCTAssertTrue(other.contains("data/dbt-models"))
    }

    private func check(golden: String, script: String, params: [String]) throws {
        let examples = ExampleScriptTests.root + "/examples"
        let arguments = ["run", examples + "/" + script, "--load", examples + "/logs"]
            + params.flatMap { ["--param", $0] }
        let result = try runAQ(arguments, timeout: 180)
        XCTAssertEqual(result.status, 0, "\(golden): \(result.stderr)")
        XCTAssertEqual(result.stderr, "", golden)
        XCTAssertTrue(result.stdout.hasPrefix("loaded 2,566 rows into events from 134 files"), golden)
        let actual = withoutLoadTiming(result.stdout)
        let path = ExampleScriptTests.goldenDirectory + "/" + golden + ".out"
        if recording {
            XCTAssertTrue(write(actual, to: path), "cannot write \(path)")
            return
        }
        guard let expected = read(path) else {
            return XCTFail("\(golden): no \(path); record it with AQ_RECORD_GOLDEN=1")
        }
        if actual != expected {
            XCTFail("\(golden): the output changed (re-record with AQ_RECORD_GOLDEN=1 if intended)\n"
                    + "expected:\n\(expected)actual:\n\(actual)")
        }
    }

    /// The load message ends with how long loading took (`… in 1.2 s`); goldens keep the rest.
    private func withoutLoadTiming(_ output: String) -> String {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices where lines[i].hasPrefix("loaded ") {
            if let cut = lines[i].range(of: " in ", options: .backwards) {
                lines[i] = String(lines[i][..<cut.lowerBound])
            }
        }
        return lines.joined(separator: "\n")
    }

    private func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func write(_ text: String, to path: String) -> Bool {
        guard let f = fopen(path, "wb") else { return false }
        defer { fclose(f) }
        let bytes = Array(text.utf8)
        return fwrite(bytes, 1, bytes.count, f) == bytes.count
    }
}
