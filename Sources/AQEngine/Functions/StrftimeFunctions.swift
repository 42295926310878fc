// strftime(t, format): a time as text, with DuckDB's format codes. The format is parsed
// once per call site into literal pieces and fields; an unknown code is an error.

import AQSyntax

enum StrftimeFunctions {
    static let all: [String: [Overload]] = [
        "strftime": [
            Overload([.timestamp, .varchar], .varchar) { args, n, fc in try strftime(args[0], args[1], 1, n, fc, isDate: false) },
            Overload([.date, .varchar], .varchar) { args, n, fc in try strftime(args[0], args[1], 1, n, fc, isDate: true) },
            Overload([.varchar, .timestamp], .varchar) { args, n, fc in try strftime(args[1], args[0], 0, n, fc, isDate: false) },
        ],
    ]

    enum Piece: Equatable {
        case literal([UInt8])
        /// A field: its code and whether `%-` asked for no padding.
        case field(UInt8, unpadded: Bool)
    }

    static let codes = Set("aAwudbhBmyYHIpMSfgnzZjUWVGcxXT%".utf8)
    static let unpaddable = Set("dmyHIMSj".utf8)

    static func parse(_ format: String, _ fc: FunctionContext) throws -> [Piece] {
        let f = Array(format.utf8)
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var i = 0
        func fail(_ message: String) -> ExecutionError {
            .invalidArgument(function: "strftime", message: message, range: fc.range)
        }
        while i < f.count {
            guard f[i] == UInt8(ascii: "%") else { literal.append(f[i]); i += 1; continue }
            guard i + 1 < f.count else { throw fail("the format ends with '%'") }
            var code = f[i + 1]
            var unpadded = false
            i += 2
            if code == UInt8(ascii: "-") {
                guard i < f.count, unpaddable.contains(f[i]) else {
                    throw fail("unknown format code '%-\(i < f.count ? String(UnicodeScalar(f[i])) : "")'")
                }
                code = f[i]
                unpadded = true
                i += 1
            }
            guard codes.contains(code) else { throw fail("unknown format code '%\(String(UnicodeScalar(code)))'") }
            if code == UInt8(ascii: "%") { literal.append(code); continue }
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
            pieces.append(.field(code, unpadded: unpadded))
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    static func strftime(_ times: Vector, _ formats: Vector, _ formatIndex: Int, _ n: Int, _ fc: FunctionContext,
                         isDate: Bool) throws -> Vector {
        let t = try times.int64Values()
        let validity = Validity.and(times.effectiveValidity, formats.effectiveValidity)
        var writer = StringVectorWriter(capacity: n, bytes: n * 20)
        var buffer: [UInt8] = []
        var cache: (String, [Piece])?
        let constant = FunctionKernels.constantString(fc, formatIndex)
        if let constant { cache = (constant, try parse(constant, fc)) }
        let formatStrings = constant == nil ? try formats.stringValues() : nil
        try validity.withView { vv in
            for i in 0..<n {
                guard vv.isValid(i) else { writer.appendNull(); continue }
                // As DuckDB: an infinite time is written as itself, whatever the format.
                if TimeMath.isInfinite(t[i], date: isDate) {
                    writer.append(bytes: Array((isDate ? TimeMath.formatDate(t[i]) : TimeMath.formatTimestamp(t[i])).utf8))
                    continue
                }
                let pieces: [Piece]
                if let formatStrings {
                    let text = formatStrings.string(i)
                    if let cache, cache.0 == text { pieces = cache.1 } else { pieces = try parse(text, fc); cache = (text, pieces) }
                } else {
                    pieces = cache?.1 ?? []
                }
                buffer.removeAll(keepingCapacity: true)
                format(isDate ? TimeFunctions.Parts(days: t[i]) : TimeFunctions.Parts(t[i]), pieces, into: &buffer)
                writer.append(bytes: buffer)
            }
        }
        return writer.build(.varchar)
    }

    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    static func format(_ p: TimeFunctions.Parts, _ pieces: [Piece], into out: inout [UInt8]) {
        let weekday = Int((p.days + 4).modulo(7))  // Sunday = 0
        let yday = p.days - TimeMath.daysFromCivil(year: p.year, month: 1, day: 1)  // 0-based
        func number(_ v: Int64, _ width: Int, _ unpadded: Bool) {
            var digits: [UInt8] = []
            ValueFormat.appendInteger(v, to: &digits)
            if !unpadded, v >= 0 { for _ in digits.count..<max(width, digits.count) { out.append(UInt8(ascii: "0")) } }
            out.append(contentsOf: digits)
        }
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.append(contentsOf: bytes)
            case .field(let code, let unpadded):
                switch code {
                case UInt8(ascii: "a"): out.append(contentsOf: dayNames[weekday].prefix(3).utf8)
                case UInt8(ascii: "A"): out.append(contentsOf: dayNames[weekday].utf8)
                case UInt8(ascii: "w"): number(Int64(weekday), 1, true)
                case UInt8(ascii: "u"): number(Int64(weekday == 0 ? 7 : weekday), 1, true)
                case UInt8(ascii: "d"): number(p.day, 2, unpadded)
                case UInt8(ascii: "b"), UInt8(ascii: "h"): out.append(contentsOf: monthNames[Int(p.month) - 1].prefix(3).utf8)
                case UInt8(ascii: "B"): out.append(contentsOf: monthNames[Int(p.month) - 1].utf8)
                case UInt8(ascii: "m"): number(p.month, 2, unpadded)
                case UInt8(ascii: "y"): number(p.year.modulo(100), 2, unpadded)
                case UInt8(ascii: "Y"): number(p.year, 4, false)
                case UInt8(ascii: "H"): number(p.seconds / 3600, 2, unpadded)
                case UInt8(ascii: "I"):
                    let h = p.seconds / 3600 % 12
                    number(h == 0 ? 12 : h, 2, unpadded)
                case UInt8(ascii: "p"): out.append(contentsOf: (p.seconds / 3600 < 12 ? "AM" : "PM").utf8)
                case UInt8(ascii: "M"): number(p.seconds / 60 % 60, 2, unpadded)
                case UInt8(ascii: "S"): number(p.seconds % 60, 2, unpadded)
                case UInt8(ascii: "f"): number(p.nanoseconds / 1000, 6, false)
                case UInt8(ascii: "g"): number(p.nanoseconds / 1_000_000, 3, false)
                case UInt8(ascii: "n"): number(p.nanoseconds, 9, false)
                case UInt8(ascii: "z"): out.append(contentsOf: "+00".utf8)
                case UInt8(ascii: "Z"): break
                case UInt8(ascii: "j"): number(yday + 1, 3, unpadded)
                case UInt8(ascii: "U"): number((yday + 7 - Int64(weekday)) / 7, 2, false)
                case UInt8(ascii: "W"): number((yday + 7 - Int64((weekday + 6) % 7)) / 7, 2, false)
                case UInt8(ascii: "V"): number(isoWeek(p.days).week, 2, false)
                case UInt8(ascii: "G"): number(isoWeek(p.days).year, 4, false)
                case UInt8(ascii: "c"):
                    format(p, [.field(UInt8(ascii: "x"), unpadded: false), .literal([32]), .field(UInt8(ascii: "X"), unpadded: false)],
                           into: &out)
                case UInt8(ascii: "x"):
                    number(p.year, 4, false); out.append(UInt8(ascii: "-"))
                    number(p.month, 2, false); out.append(UInt8(ascii: "-"))
                    number(p.day, 2, false)
                case UInt8(ascii: "X"), UInt8(ascii: "T"):
                    number(p.seconds / 3600, 2, false); out.append(UInt8(ascii: ":"))
                    number(p.seconds / 60 % 60, 2, false); out.append(UInt8(ascii: ":"))
                    number(p.seconds % 60, 2, false)
                default: break
                }
            }
        }
    }

    /// ISO 8601 week number and week-based year of a day.
    static func isoWeek(_ days: Int64) -> (year: Int64, week: Int64) {
        let isoWeekday = (days + 3).modulo(7)  // Monday = 0
        let thursday = days - isoWeekday + 3
        let (year, _, _) = TimeMath.civilFromDays(thursday)
        let jan1 = TimeMath.daysFromCivil(year: year, month: 1, day: 1)
        return (year, (thursday - jan1) / 7 + 1)
    }
}
