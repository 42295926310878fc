// libFuzzer targets for the log readers: the input is a log file's bytes, loaded into a new
// database. `FUZZ_READER` (set by scripts/fuzz.sh at build time through -D) picks the reader:
// JSON (format detected), CSV (read as the Alibaba formats' CSV exports), or gzip (the input
// inflated: a gzip header is put in front when it has none, so the fuzzer works on the
// deflate stream). Built and run by scripts/fuzz.sh, never by `swift build`.

import AQEngine

/// A gzip member header: magic, deflate, no flags, no time, no extra flags, unknown OS.
private let gzipHeader: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let database = Database()
    database.settings.memoryLimit = 256 << 20
    #if FUZZ_CSV
    for format in ["acr_audit", "acr_event_line"] {
        _ = try? Database().load(bytes: bytes, name: "fuzz.csv", format: format)
    }
    #elseif FUZZ_GZIP
    if !bytes.starts(with: [0x1F, 0x8B]) { bytes = gzipHeader + bytes }
    _ = try? database.load(bytes: bytes, name: "fuzz.json.gz")
    #else
    _ = try? database.load(bytes: bytes, name: "fuzz.json")
    #endif
    _ = try? database.query("SELECT count(*), count(DISTINCT raw), max(time) FROM events")
    return 0
}
