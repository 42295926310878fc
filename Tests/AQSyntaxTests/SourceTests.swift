import XCTest
@testable import AQSyntax

final class SourceTests: XCTestCase {
    func testLocationCountsCharactersNotBytes() {
        let source = Source("SELECT 'é'\n  FROM x")
        XCTAssertEqual(source.location(of: 0), SourceLocation(line: 1, column: 1))
        // 'é' is two bytes; the quote after it is column 10.
        XCTAssertEqual(source.location(of: 10), SourceLocation(line: 1, column: 10))
        XCTAssertEqual(source.location(of: 14), SourceLocation(line: 2, column: 3))
        XCTAssertEqual(source.lineText(2), "  FROM x")
    }

    func testNearestName() {
        XCTAssertEqual(nearestName(to: "sourceip", in: ["source_ip", "actor", "time"]), "source_ip")
        XCTAssertNil(nearestName(to: "zzzzzz", in: ["source_ip", "actor"]))
    }
}
