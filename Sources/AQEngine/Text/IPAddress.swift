// IP addresses read from bytes: an IPv4 dotted quad (each part ≤ 255, leading zeros where asked) or
// IPv6 text (RFC 4291: `::` once, an IPv4 tail, a `%zone`), as 32 or 128 bits. The one
// address reader of the log mappers and the IP functions.

struct IPAddress: Equatable {
    var isV6: Bool
    var high: UInt64
    var low: UInt64

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`).
    var mappedV4: IPAddress? {
        guard isV6, high == 0, low >> 32 == 0xFFFF else { return nil }
        return IPAddress(isV6: false, high: 0, low: low & 0xFFFF_FFFF)
    }

    /// The address `s` holds, or nil when it is not one. With `leadingZeros`, an IPv4 part
    /// may be written with leading zeros (`1.2.3.04`), as the IP functions accept; the log
    /// mappers refuse them, as inet_pton does.
    static func parse(_ s: Bytes, leadingZeros: Bool = false) -> IPAddress? {
        guard !s.isEmpty, s.count <= 64 else { return nil }
        if ByteText.contains(s, 0x3A) { return parseV6(s, leadingZeros: leadingZeros) }
        return parseV4(s, 0, s.count, leadingZeros: leadingZeros).map { IPAddress(isV6: false, high: 0, low: UInt64($0)) }
    }

    /// A dotted quad in `s[from..<to]`.
    static func parseV4(_ s: Bytes, _ from: Int, _ to: Int, leadingZeros: Bool) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        var i = from
        while i < to {
            let c = s[i]
            i += 1
            if c == 0x2E {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                continue
            }
            let d = c &- 0x30
            guard d < 10, digits < 3 else { return nil }
            guard leadingZeros || !(digits == 1 && part == 0) else { return nil }
            part = part * 10 + UInt32(d)
            digits += 1
            guard part <= 255 else { return nil }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    /// IPv6 text; a zone (`fe80::1%eth0`) does not change the address.
    static func parseV6(_ s: Bytes, leadingZeros: Bool) -> IPAddress? {
        let end = ByteText.firstIndex(s, 0x25) ?? s.count
        var gap: Int?
        var i = 0
        if end >= 2, s[0] == 0x3A, s[1] == 0x3A {
            gap = 0
            i = 2
        } else if end >= 1, s[0] == 0x3A {
            return nil
        }
        var written: [UInt16] = []
        written.reserveCapacity(8)
        while i < end {
            // An embedded IPv4 address at the end.
            var j = i
            var sawDot = false
            while j < end, s[j] != 0x3A { if s[j] == 0x2E { sawDot = true }; j += 1 }
            if sawDot {
                guard j == end, let v4 = parseV4(s, i, end, leadingZeros: leadingZeros) else { return nil }
                written.append(UInt16(v4 >> 16))
                written.append(UInt16(v4 & 0xFFFF))
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
            written.append(UInt16(group))
            if i < end {
                guard s[i] == 0x3A else { return nil }
                i += 1
                if i < end, s[i] == 0x3A {
                    guard gap == nil else { return nil }
                    gap = written.count
                    i += 1
                } else if i == end {
                    return nil
                }
            }
            if written.count > 8 { return nil }
        }
        if let gap {
            guard written.count < 8 else { return nil }
            written.insert(contentsOf: [UInt16](repeating: 0, count: 8 - written.count), at: gap)
        }
        guard written.count == 8 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for k in 0..<4 { high = high << 16 | UInt64(written[k]) }
        for k in 4..<8 { low = low << 16 | UInt64(written[k]) }
        return IPAddress(isV6: true, high: high, low: low)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// The first byte of an IPv4 address and the second.
    private var v4Prefix: (UInt64, UInt64) { (low >> 24, (low >> 16) & 0xFF) }

    /// RFC 1918, loopback, RFC 4193 (fc00::/7), ::1; an IPv4-mapped address by its IPv4 part.
    var isPrivate: Bool {
        if let v4 = mappedV4 { return v4.isPrivate }
        if !isV6 {
            let (a, b) = v4Prefix
            return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)
        }
        return high >> 57 == 0x7E || (high == 0 && low == 1)  // fc00::/7, ::1
    }

    /// Private (without reading IPv4-mapped addresses), or in IBM Cloud's private service
    /// networks 166.8.0.0/14 and 161.26.0.0/16.
    var isPrivateOrIBMService: Bool {
        if !isV6 {
            let (a, b) = v4Prefix
            if (a == 166 && b >= 8 && b <= 11) || (a == 161 && b == 26) { return true }
            return isPrivate
        }
        return mappedV4 == nil && isPrivate
    }
}
