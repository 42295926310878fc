// libFuzzer target for the store file reader: the input is a store file's bytes, decoded
// with the checksums not checked (so that mutations reach the decoder, whose bounds checks
// must refuse them), then every column of every chunk of what it accepts is unpacked and
// read, as a query would. Built and run by scripts/fuzz.sh, never by `swift build`.

import AQEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoreReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let contents = try? StoreFile.decode(bytes, path: "fuzz.aqdb", checksums: false) else { return 0 }
    for table in contents.tables {
        for chunk in 0..<table.chunkCount {
            for column in 0..<table.columns.count {
                guard let vector = table.vector(chunk: chunk, column: column) else { continue }
                for row in 0..<vector.count { _ = vector.value(at: row) }
            }
        }
    }
    return 0
}
