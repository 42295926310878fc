// IP address functions for audit logs: is_ip(s), is_private_ip(s) (RFC 1918, RFC 4193
// fc00::/7, loopback 127/8 and ::1), ip_in_cidr(s, cidr), for IPv4 and IPv6. A string that
// is not an address gives false; a malformed CIDR is an error. Addresses are read by
// `IPAddress`; a dictionary column (source_ip) is classified once per distinct address.

import AQSyntax

/// A network `address/prefix`.
struct IPPrefix {
    var address: IPAddress
    var prefix: Int

    static func parse(_ text: String) -> IPPrefix? {
        var text = text
        return text.withUTF8 { buffer -> IPPrefix? in
            let s = UnsafeRawBufferPointer(buffer)
            let slash = s.firstIndex(of: UInt8(ascii: "/")) ?? s.count
            guard let address = IPAddress.parse(UnsafeRawBufferPointer(rebasing: s[0..<slash]), leadingZeros: true) else { return nil }
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

    func contains(_ a: IPAddress) -> Bool {
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
        "is_ip": [predicate("is_ip") { IPAddress.parse($0, leadingZeros: true) != nil }],
        "is_private_ip": [predicate("is_private_ip") { IPAddress.parse($0, leadingZeros: true)?.isPrivate ?? false }],
        "ip_in_cidr": [
            Overload([.varchar, .varchar], .boolean) { args, n, fc in
                let (values, validity) = try FunctionKernels.strings(args, n, fc, name: "ip_in_cidr", zero: false) { rest in
                    let text = FunctionKernels.stringValue(rest[0]) ?? ""
                    guard let network = IPPrefix.parse(text) else {
                        throw ExecutionError.invalidArgument(function: "ip_in_cidr", message: "invalid CIDR '\(text)'",
                                                             range: fc.range)
                    }
                    return { s in IPAddress.parse(s, leadingZeros: true).map(network.contains) ?? false }
                }
                return .booleans(values, validity)
            },
        ],
    ]

    static func predicate(_ name: String, _ test: @escaping (UnsafeRawBufferPointer) -> Bool) -> Overload {
        Overload([.varchar], .boolean) { args, n, fc in
            let (values, validity) = try StringKernels.map(args[0].stringValues(), validity: args[0].effectiveValidity,
                                                           count: n, zero: false, context: fc.execution, memo: (name, [])) { test($0) }
            return .booleans(values, validity)
        }
    }
}
