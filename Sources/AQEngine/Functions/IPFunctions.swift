// IP address functions for audit logs: is_ip(s), is_private_ip(s) (RFC 1918, RFC 4193
// fc00::/7, loopback 127/8 and ::1), ip_in_cidr(s, cidr), for IPv4 and IPv6. A string that
// is not an address gives false; a malformed CIDR is an error. Addresses are parsed over
// bytes; a dictionary column (source_ip) is classified once per distinct address.

import AQSyntax

/// An IPv4 or IPv6 address: 32 or 128 bits, high bits first.
struct IPValue: Equatable {
    var isV6: Bool
    var high: UInt64
    var low: UInt64

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`).
    var mappedV4: IPValue? {
        guard isV6, high == 0, low >> 32 == 0xFFFF else { return nil }
        return IPValue(isV6: false, high: 0, low: low & 0xFFFF_FFFF)
    }

    static func parse(_ s: UnsafeRawBufferPointer) -> IPValue? {
        guard !s.isEmpty, s.count <= 64 else { return nil }
        if s.contains(UInt8(ascii: ":")) { return parseV6(s) }
        return parseV4(s, 0, s.count).map { IPValue(isV6: false, high: 0, low: UInt64($0)) }
    }

    /// Dotted quad in `s[from..<to]`.
    static func parseV4(_ s: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var i = from
        while i < to {
            var octet: UInt32 = 0
            var digits = 0
            while i < to, s[i] &- 48 < 10 {
                octet = octet * 10 + UInt32(s[i] - 48)
                digits += 1
                i += 1
                if digits > 3 { return nil }
            }
            guard digits > 0, octet <= 255 else { return nil }
            value = value << 8 | octet
            octets += 1
            if i < to {
                guard s[i] == UInt8(ascii: "."), octets < 4 else { return nil }
                i += 1
                guard i < to else { return nil }
            }
        }
        return octets == 4 ? value : nil
    }

    static func parseV6(_ s: UnsafeRawBufferPointer) -> IPValue? {
        var end = s.count
        // A zone (`fe80::1%eth0`) does not change the address.
        if let percent = s.firstIndex(of: UInt8(ascii: "%")) { end = percent }
        var groups: [UInt16] = []
        var gap: Int?
        var i = 0
        if end >= 2, s[0] == UInt8(ascii: ":"), s[1] == UInt8(ascii: ":") {
            gap = 0
            i = 2
        } else if end >= 1, s[0] == UInt8(ascii: ":") {
            return nil
        }
        while i < end {
            // An embedded IPv4 address at the end.
            var j = i
            var sawDot = false
            while j < end, s[j] != UInt8(ascii: ":") { if s[j] == UInt8(ascii: ".") { sawDot = true }; j += 1 }
            if sawDot {
                guard j == end, let v4 = parseV4(s, i, end) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                i = end
                break
            }
            var group: UInt32 = 0
            var digits = 0
            while i < end, let h = hexValue(s[i]) {
                group = group << 4 | h
                digits += 1
                i += 1
                if digits > 4 { return nil }
            }
            guard digits > 0 else { return nil }
            groups.append(UInt16(group))
            if i < end {
                guard s[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                if i < end, s[i] == UInt8(ascii: ":") {
                    guard gap == nil else { return nil }
                    gap = groups.count
                    i += 1
                } else if i == end {
                    return nil
                }
            }
            if groups.count > 8 { return nil }
        }
        if let gap {
            guard groups.count < 8 else { return nil }
            groups.insert(contentsOf: [UInt16](repeating: 0, count: 8 - groups.count), at: gap)
        }
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for k in 0..<4 { high = high << 16 | UInt64(groups[k]) }
        for k in 4..<8 { low = low << 16 | UInt64(groups[k]) }
        return IPValue(isV6: true, high: high, low: low)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 65...70: return UInt32(c - 55)
        case 97...102: return UInt32(c - 87)
        default: return nil
        }
    }

    var isPrivate: Bool {
        if let v4 = mappedV4 { return v4.isPrivate }
        if !isV6 {
            let a = low >> 24, b = (low >> 16) & 0xFF
            return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
        }
        return high >> 57 == 0x7E || (high == 0 && low == 1)  // fc00::/7, ::1
    }
}

/// A network `address/prefix`.
struct IPPrefix {
    var address: IPValue
    var prefix: Int

    static func parse(_ text: String) -> IPPrefix? {
        var text = text
        return text.withUTF8 { buffer -> IPPrefix? in
            let s = UnsafeRawBufferPointer(buffer)
            let slash = s.firstIndex(of: UInt8(ascii: "/")) ?? s.count
            guard let address = IPValue.parse(UnsafeRawBufferPointer(rebasing: s[0..<slash])) else { return nil }
            let bits = address.isV6 ? 128 : 32
            var prefix = bits
            if slash < s.count {
                let digits = s[(slash + 1)...]
                guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0 &- 48 < 10 }) else { return nil }
                prefix = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
                guard prefix <= bits else { return nil }
            }
            return IPPrefix(address: address, prefix: prefix)
        }
    }

    func contains(_ a: IPValue) -> Bool {
        var a = a
        if a.isV6 != address.isV6 {
            guard !address.isV6, let v4 = a.mappedV4 else { return false }
            a = v4
        }
        if !address.isV6 {
            let mask: UInt64 = prefix == 0 ? 0 : (0xFFFF_FFFF << UInt64(32 - prefix)) & 0xFFFF_FFFF
            return a.low & mask == address.low & mask
        }
        let highMask: UInt64 = prefix >= 64 ? ~0 : (prefix == 0 ? 0 : ~0 << UInt64(64 - prefix))
        let lowMask: UInt64 = prefix <= 64 ? 0 : (prefix == 128 ? ~0 : ~0 << UInt64(128 - prefix))
        return a.high & highMask == address.high & highMask && a.low & lowMask == address.low & lowMask
    }
}

enum IPFunctions {
    static let all: [String: [Overload]] = [
        "is_ip": [predicate("is_ip") { IPValue.parse($0) != nil }],
        "is_private_ip": [predicate("is_private_ip") { IPValue.parse($0)?.isPrivate ?? false }],
        "ip_in_cidr": [
            Overload([.varchar, .varchar], .boolean) { args, n, fc in
                let (values, validity) = try FunctionKernels.strings(args, n, fc, name: "ip_in_cidr", zero: false) { rest in
                    let text = FunctionKernels.stringValue(rest[0]) ?? ""
                    guard let network = IPPrefix.parse(text) else {
                        throw ExecutionError.invalidArgument(function: "ip_in_cidr", message: "invalid CIDR '\(text)'",
                                                             range: fc.range)
                    }
                    return { s in IPValue.parse(s).map(network.contains) ?? false }
                }
                return .booleans(values, validity)
            },
        ],
    ]

    static func predicate(_ name: String, _ test: @escaping (UnsafeRawBufferPointer) -> Bool) -> Overload {
        Overload([.varchar], .boolean) { args, n, fc in
            let (values, validity) = try StringKernels.map(try args[0].stringValues(), validity: args[0].effectiveValidity,
                                                           count: n, zero: false, context: fc.execution, memo: (name, [])) { test($0) }
            return .booleans(values, validity)
        }
    }
}

/// Functions about values themselves.
enum MiscFunctions {
    static let all: [String: [Overload]] = [
        "typeof": [
            Overload([.varchar], .varchar, anyType: true) { args, n, _ in
                Vector.constant(.varchar(args[0].type.description), type: .varchar, count: n)
            },
        ],
    ]
}
