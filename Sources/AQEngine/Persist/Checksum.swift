// CRC-32 (the zlib / PNG / gzip polynomial) of a section, from zlib: hardware-speed on
// the machines aq runs on, already linked for gzip logs, and what the file's readers in
// other languages have at hand. It catches the damage a disk or a copy does (flipped bits,
// bursts, a block of zeros); it is not a defence against a crafted file — the reader's
// bounds checks are.

import CZlib

enum Checksum {
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CZlib.crc32(0, nil, 0)
        var at = 0
        while at < bytes.count {
            let n = min(bytes.count - at, 1 << 30)
            if let base = bytes.baseAddress {
                crc = CZlib.crc32(crc, base.advanced(by: at).assumingMemoryBound(to: UInt8.self), uInt(n))
            }
            at += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { crc32($0) } }
}
