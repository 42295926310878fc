// Reading client addresses for the `network` column: is a text an IP address, and is it a
// private one (RFC 1918, RFC 4193, loopback) or in IBM Cloud's private service networks.

enum IPAddress {
    /// A dotted-quad IPv4 address (no leading zeros, each part ≤ 255).
    static func ipv4(_ p: Bytes) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        for c in p {
            if c == 0x2E {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                continue
            }
            let d = c &- 0x30
            guard d < 10, digits < 3, !(digits == 1 && part == 0) else { return nil }
            part = part * 10 + UInt32(d)
            digits += 1
            guard part <= 255 else { return nil }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    /// An IPv6 address (RFC 4291 text, `::` once, an IPv4 tail, a `%zone`), as 8 groups.
    static func ipv6(_ p: Bytes) -> [UInt16]? {
        var text = p
        if let percent = ByteText.firstIndex(p, 0x25) { text = ByteText.slice(p, 0, percent) }
        guard text.count >= 2, ByteText.contains(text, 0x3A) else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var i = 0
        let n = text.count
        if text[0] == 0x3A {
            guard text[1] == 0x3A else { return nil }
            sawGap = true
            i = 2
        }
        while i < n {
            // An IPv4 tail: the last group, written with '.'.
            let rest = ByteText.slice(text, i, n)
            if !ByteText.contains(rest, 0x3A), ByteText.contains(rest, 0x2E) {
                guard let v4 = ipv4(rest) else { return nil }
                let groups = [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                if sawGap { tail += groups } else { head += groups }
                i = n
                break
            }
            var value: UInt32 = 0
            var digits = 0
            while i < n, let h = hexDigit(text[i]) {
                value = value << 4 | UInt32(h)
                digits += 1
                i += 1
            }
            guard digits >= 1, digits <= 4 else { return nil }
            if sawGap { tail.append(UInt16(value)) } else { head.append(UInt16(value)) }
            if i == n { break }
            guard text[i] == 0x3A else { return nil }
            i += 1
            if i < n, text[i] == 0x3A {
                guard !sawGap else { return nil }
                sawGap = true
                i += 1
            } else if i == n {
                return nil
            }
        }
        let total = head.count + tail.count
        if sawGap {
            guard total <= 7 else { return nil }
            return head + [UInt16](repeating: 0, count: 8 - total) + tail
        }
        return total == 8 ? head : nil
    }

    @inline(__always)
    private static func hexDigit(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    static func isIP(_ p: Bytes) -> Bool { ipv4(p) != nil || ipv6(p) != nil }

    /// RFC 1918, loopback, RFC 4193 (fc00::/7), ::1 — and IBM's 166.8.0.0/14 and 161.26.0.0/16.
    static func isPrivateOrIBMService(_ p: Bytes) -> Bool {
        if let v = ipv4(p) {
            let a = v >> 24, b = (v >> 16) & 0xFF
            if a == 10 || a == 127 { return true }
            if a == 172, b >= 16, b <= 31 { return true }
            if a == 192, b == 168 { return true }
            if a == 166, b >= 8, b <= 11 { return true }
            if a == 161, b == 26 { return true }
            return false
        }
        if let g = ipv6(p) {
            if g[0] & 0xFE00 == 0xFC00 { return true }
            if g[0..<7].allSatisfy({ $0 == 0 }), g[7] == 1 { return true }
        }
        return false
    }
}
