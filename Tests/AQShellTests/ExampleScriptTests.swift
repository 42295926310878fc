import XCTest
import AQShell

/// The investigation scripts shipped in `examples/` run cleanly over the shipped logs.
final class ExampleScriptTests: XCTestCase {
    func testEveryExampleScriptRunsOverTheExampleLogs() throws {
        let here = "\(#filePath)"
        let root = here.range(of: "/Tests/").map { String(here[..<$0.lowerBound]) } ?? "."
        let examples = root + "/examples"
        let scripts = FileSystem.listDirectory(examples).filter { !$0.isDirectory && $0.name.hasSuffix(".aq") }
            .map(\.name).sorted()
        XCTAssertGreaterThanOrEqual(scripts.count, 3, "examples/*.aq")
        for script in scripts {
            let result = try runAQ(["--load", examples + "/logs", examples + "/" + script])
            XCTAssertEqual(result.status, 0, "\(script): \(result.stderr)")
            XCTAssertEqual(result.stderr, "", script)
            XCTAssertTrue(result.stdout.hasPrefix("loaded "), script)
            XCTAssertTrue(result.stdout.contains(" rows\n") || result.stdout.contains(" row\n"), script)
        }
    }
}
