// The byte scanners of Text/: numbers, IP addresses and JSON skipping, on edge cases.

@testable import AQEngine
import XCTest

final class TextScannerTests: XCTestCase {
    private func with<T>(_ text: String, _ body: (Bytes) -> T) -> T {
        var text = text
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    func testIntegers() {
        XCTAssertEqual(with("-9223372036854775808") { NumberText.integer($0) }, Int64.min)
        XCTAssertEqual(with("+42") { NumberText.integer($0) }, 42)
        XCTAssertNil(with("9223372036854775808") { NumberText.integer($0) })
        XCTAssertNil(with(" 1") { NumberText.integer($0) })
        XCTAssertNil(with("-") { NumberText.integer($0) })
        XCTAssertEqual(with(" 7\t") { ByteText.integer($0) }, 7)
    }

    func testDoubles() {
        XCTAssertEqual(with("-2E-4") { NumberText.double($0) }, -2e-4)
        XCTAssertEqual(with(".5") { NumberText.double($0) }, 0.5)
        XCTAssertEqual(with("5.") { NumberText.double($0) }, 5)
        XCTAssertNil(with("1e") { NumberText.double($0) })
        XCTAssertNil(with("inf") { NumberText.double($0) })
        XCTAssertEqual(with("-Infinity") { NumberText.double($0, special: true) }, -.infinity)
        XCTAssertEqual(with("NaN") { NumberText.double($0, special: true) }?.isNaN, true)
        XCTAssertNil(with("- inf") { NumberText.double($0, special: true) })
        XCTAssertNil(with("infinit") { NumberText.double($0, special: true) })
    }

    func testIPAddresses() {
        XCTAssertEqual(with("10.1.2.3") { IPAddress.parse($0) }?.low, 0x0A01_0203)
        XCTAssertNil(with("10.01.2.3") { IPAddress.parse($0) })
        XCTAssertEqual(with("10.01.2.003") { IPAddress.parse($0, leadingZeros: true) }?.low, 0x0A01_0203)
        XCTAssertNil(with("10.1.2.0003") { IPAddress.parse($0, leadingZeros: true) })
        XCTAssertNil(with("256.1.2.3") { IPAddress.parse($0) })
        XCTAssertNil(with("1.2.3") { IPAddress.parse($0) })
        XCTAssertEqual(with("fe80::1%eth0") { IPAddress.parse($0) }, with("fe80::1") { IPAddress.parse($0) })
        XCTAssertNil(with("1::2::3") { IPAddress.parse($0) })
        XCTAssertEqual(with("::ffff:192.168.0.1") { IPAddress.parse($0)?.isPrivate }, true)
        XCTAssertEqual(with("::ffff:192.168.0.1") { IPAddress.parse($0)?.isPrivateOrIBMService }, false)
        XCTAssertEqual(with("166.9.0.1") { IPAddress.parse($0)?.isPrivateOrIBMService }, true)
        XCTAssertEqual(with("166.9.0.1") { IPAddress.parse($0)?.isPrivate }, false)
        XCTAssertEqual(with("fd00::1") { IPAddress.parse($0)?.isPrivateOrIBMService }, true)
    }

    func testJSONSkipping() {
        func fast(_ s: String) -> Int? { with(s) { p in var i = 0; return JSONSkip.skipFast(p, &i) ? i : nil } }
        func strict(_ s: String) -> Int? { with(s) { p in var i = 0; return JSONSkip.skipValue(p, &i, depth: 0) ? i : nil } }
        XCTAssertEqual(fast(#"{"a":"}\"]","b":[1,2]} tail"#), 22)
        XCTAssertNil(fast(#"{"a":[}"#))
        XCTAssertEqual(fast("-1.5e3,"), 6)
        XCTAssertNil(fast("tru"))
        let deep = String(repeating: "[", count: 70) + "{}" + String(repeating: "]", count: 70)
        XCTAssertEqual(fast(deep), deep.utf8.count)
        let crossed = String(repeating: "[", count: 70) + "{" + String(repeating: "]", count: 71)
        XCTAssertNil(fast(crossed))
        XCTAssertEqual(strict(#"{"a": [1, true, null]}"#), 22)
        XCTAssertNil(strict("[1,]"))
    }
}
