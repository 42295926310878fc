// One column of one row group as a Parquet column chunk: definition levels (every column is
// OPTIONAL), values plain or — for strings — through a dictionary page, pages of about
// 1 MiB, each compressed on its own, and the chunk's min / max / NULL count.

struct ParquetColumnEncoder {
    let column: ParquetColumnSchema
    let type: DataType
    let compression: PageCompression

    /// A page holds about this many bytes of values before the next one starts.
    static let pageBytes = 1 << 20
    /// A string chunk keeps its dictionary while it has at most this many distinct values
    /// and they take at most `dictionaryBytes`.
    static let dictionaryLimit = 1 << 16
    static let dictionaryBytes = 4 << 20
    /// Longer min / max values are left out of the statistics.
    static let statisticsLimit = 128

    static func schema(name: String, type: DataType) -> ParquetColumnSchema {
        switch type {
        case .boolean: return ParquetColumnSchema(name: name, physical: .boolean, logical: .none)
        case .integer: return ParquetColumnSchema(name: name, physical: .int64, logical: .integer64)
        case .double: return ParquetColumnSchema(name: name, physical: .double, logical: .none)
        case .date: return ParquetColumnSchema(name: name, physical: .int32, logical: .date)
        case .timestamp: return ParquetColumnSchema(name: name, physical: .int64, logical: .timestampNanosUTC)
        case .varchar, .json, .interval, .null, .list:
            // A list goes out as its text (`[1, 2]`) until lists are written as Parquet LISTs.
            return ParquetColumnSchema(name: name, physical: .byteArray, logical: .string)
        }
    }

    /// Appends the chunk to `out` (which starts at file offset `base`) and returns its metadata.
    func encode(_ vectors: [Vector], base: Int64, into out: inout [UInt8]) throws -> ParquetColumnChunkMetadata {
        var levels: [UInt32] = []
        let rows = vectors.reduce(0) { $0 + $1.count }
        levels.reserveCapacity(rows)
        for v in vectors {
            for i in 0..<v.count { levels.append(v.isNull(i) ? 0 : 1) }
        }
        let nullCount = Int64(levels.count - levels.reduce(0) { $0 + Int($1) })
        switch column.physical {
        case .byteArray:
            return try encodeStrings(vectors, levels: levels, nullCount: nullCount, base: base, into: &out)
        default:
            var values = PlainValues(physical: column.physical)
            for v in vectors { values.append(v) }
            var statistics = ParquetStatistics(nullCount: nullCount, min: values.minBytes, max: values.maxBytes)
            if values.count == 0 { statistics.min = nil; statistics.max = nil }
            let start = base + Int64(out.count)
            var uncompressed: Int64 = 0
            var valueStart = 0
            try forEachPage(levels: levels, bytesPerValue: values.width) { rowRange, valueCount in
                var body: [UInt8] = []
                values.write(valueStart..<(valueStart + valueCount), into: &body)
                valueStart += valueCount
                uncompressed += try writeDataPage(levels: levels[rowRange], values: body, encoding: .plain, into: &out)
            }
            return ParquetColumnChunkMetadata(column: column, encodings: [.plain, .rle], codec: compression.codec,
                                              valueCount: Int64(rows), uncompressedSize: uncompressed,
                                              compressedSize: base + Int64(out.count) - start,
                                              dataPageOffset: start, dictionaryPageOffset: nil, statistics: statistics)
        }
    }

    // MARK: - Strings

    /// The chunk's strings as codes into a dictionary of its own, or nil as soon as the
    /// dictionary outgrows its limits (the chunk is then written plain).
    private func dictionaryCodes(_ vectors: [Vector], rows: Int) -> (StringDictionary, [UInt32])? {
        let dictionary = StringDictionary()
        var codes: [UInt32] = []
        codes.reserveCapacity(rows)
        var remapOf: ObjectIdentifier?
        var remap: [UInt32] = []
        // Too many distinct values, too many bytes, or mostly distinct values (a dictionary
        // would then only add its indices).
        func tooBig(final: Bool = false) -> Bool {
            dictionary.count > ParquetColumnEncoder.dictionaryLimit
                || dictionary.heap.bytes.count + 4 * dictionary.count > ParquetColumnEncoder.dictionaryBytes
                || ((final || codes.count >= 4096) && codes.count >= 64 && dictionary.count * 2 > codes.count)
        }
        for v in vectors {
            switch v.storage {
            case .string(.dictionary(let source, let sourceDictionary)):
                if remapOf != ObjectIdentifier(sourceDictionary) {
                    remapOf = ObjectIdentifier(sourceDictionary)
                    remap = [UInt32](repeating: UInt32.max, count: sourceDictionary.count)
                }
                for i in 0..<v.count where !v.isNull(i) {
                    let code = Int(source[i])
                    if code >= remap.count { remap += [UInt32](repeating: UInt32.max, count: code + 1 - remap.count) }
                    if remap[code] == UInt32.max {
                        remap[code] = sourceDictionary.withBytes(source[i]) { dictionary.code(for: $0) }
                    }
                    codes.append(remap[code])
                }
            case .string(.flat(let heap)):
                for i in 0..<v.count where !v.isNull(i) {
                    codes.append(heap.withBytes(i) { dictionary.code(for: $0) })
                }
            default:
                for i in 0..<v.count where !v.isNull(i) {
                    codes.append(dictionary.code(for: v.text(at: i) ?? ""))
                }
            }
            if tooBig() { return nil }
        }
        return tooBig(final: true) ? nil : (dictionary, codes)
    }

    private func encodeStrings(_ vectors: [Vector], levels: [UInt32], nullCount: Int64, base: Int64,
                               into out: inout [UInt8]) throws -> ParquetColumnChunkMetadata {
        guard let (dictionary, codes) = dictionaryCodes(vectors, rows: levels.count) else {
            return try encodePlainStrings(vectors, levels: levels, nullCount: nullCount, base: base, into: &out)
        }
        let statistics = ParquetStatistics(nullCount: nullCount, min: stringBound(dictionary, smallest: true),
                                           max: stringBound(dictionary, smallest: false))
        let start = base + Int64(out.count)
        var page: [UInt8] = []
        page.reserveCapacity(dictionary.heap.bytes.count + 4 * dictionary.count)
        for code in 0..<UInt32(dictionary.count) { dictionary.withBytes(code) { appendPlainString($0, to: &page) } }
        var uncompressed = try writePage(page, header: { compressed in
            ParquetPageHeader.dictionary(valueCount: dictionary.count, uncompressed: page.count, compressed: compressed)
        }, into: &out)
        let dataStart = base + Int64(out.count)
        let bitWidth = max(1, RLEHybridEncoder.bitWidth(for: max(0, dictionary.count - 1)))
        var valueStart = 0
        try forEachPage(levels: levels, bytesPerValue: 4) { rowRange, valueCount in
            let pageCodes = codes[valueStart..<(valueStart + valueCount)]
            valueStart += valueCount
            var body: [UInt8] = [UInt8(bitWidth)]
            RLEHybridEncoder.encode(Array(pageCodes), bitWidth: bitWidth, into: &body)
            uncompressed += try writeDataPage(levels: levels[rowRange], values: body, encoding: .rleDictionary, into: &out)
        }
        return ParquetColumnChunkMetadata(column: column, encodings: [.plain, .rle, .rleDictionary],
                                          codec: compression.codec, valueCount: Int64(levels.count),
                                          uncompressedSize: uncompressed,
                                          compressedSize: base + Int64(out.count) - start,
                                          dataPageOffset: dataStart, dictionaryPageOffset: start,
                                          statistics: statistics)
    }

    /// Strings with too many distinct values: PLAIN pages (length, bytes) of about
    /// `pageBytes`, written straight from the vectors, min and max found on the way.
    private func encodePlainStrings(_ vectors: [Vector], levels: [UInt32], nullCount: Int64, base: Int64,
                                    into out: inout [UInt8]) throws -> ParquetColumnChunkMetadata {
        let start = base + Int64(out.count)
        var uncompressed: Int64 = 0
        var body: [UInt8] = []
        var pageLevels: [UInt32] = []
        var minimum: [UInt8]?
        var maximum: [UInt8]?
        func flush() throws {
            uncompressed += try writeDataPage(levels: pageLevels[...], values: body, encoding: .plain, into: &out)
            body.removeAll(keepingCapacity: true)
            pageLevels.removeAll(keepingCapacity: true)
        }
        for v in vectors {
            for i in 0..<v.count {
                if v.isNull(i) {
                    pageLevels.append(0)
                    continue
                }
                pageLevels.append(1)
                let add: (UnsafeRawBufferPointer) -> Void = { bytes in
                    self.appendPlainString(bytes, to: &body)
                    if minimum.map({ bytes.lexicographicallyPrecedes($0) }) ?? true { minimum = Array(bytes) }
                    if maximum.map({ $0.lexicographicallyPrecedes(bytes) }) ?? true { maximum = Array(bytes) }
                }
                switch v.storage {
                case .string(let strings): strings.withBytes(i, add)
                default:
                    var text = v.text(at: i) ?? ""
                    text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
                }
                if body.count >= ParquetColumnEncoder.pageBytes { try flush() }
            }
        }
        if !pageLevels.isEmpty || uncompressed == 0 { try flush() }
        let limit = ParquetColumnEncoder.statisticsLimit
        let statistics = ParquetStatistics(nullCount: nullCount, min: minimum.flatMap { $0.count <= limit ? $0 : nil },
                                           max: maximum.flatMap { $0.count <= limit ? $0 : nil })
        return ParquetColumnChunkMetadata(column: column, encodings: [.plain, .rle], codec: compression.codec,
                                          valueCount: Int64(levels.count), uncompressedSize: uncompressed,
                                          compressedSize: base + Int64(out.count) - start, dataPageOffset: start,
                                          dictionaryPageOffset: nil, statistics: statistics)
    }

    /// The smallest or largest string of the dictionary (bytes compared unsigned), if short enough.
    private func stringBound(_ dictionary: StringDictionary, smallest: Bool) -> [UInt8]? {
        guard dictionary.count > 0 else { return nil }
        var best: [UInt8] = dictionary.withBytes(0) { Array($0) }
        for code in 1..<UInt32(dictionary.count) {
            let better: Bool = dictionary.withBytes(code) { candidate in
                let less = candidate.lexicographicallyPrecedes(best)
                return smallest ? less : (!less && !candidate.elementsEqual(best))
            }
            if better { best = dictionary.withBytes(code) { Array($0) } }
        }
        return best.count <= ParquetColumnEncoder.statisticsLimit ? best : nil
    }

    private func appendPlainString(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let n = UInt32(bytes.count)
        out.append(UInt8(n & 0xFF)); out.append(UInt8(n >> 8 & 0xFF))
        out.append(UInt8(n >> 16 & 0xFF)); out.append(UInt8(n >> 24))
        out.append(contentsOf: bytes)
    }

    // MARK: - Pages

    /// Splits the rows into pages of about `pageBytes`: calls `body` with each page's rows
    /// and how many of them hold a value. A chunk with no rows still gets one (empty) page.
    private func forEachPage(levels: [UInt32], bytesPerValue: Int,
                             _ body: (Range<Int>, Int) throws -> Void) throws {
        let rowsPerPage = max(1, ParquetColumnEncoder.pageBytes / max(1, bytesPerValue))
        var start = 0
        repeat {
            let end = min(levels.count, start + rowsPerPage)
            var valueCount = 0
            for i in start..<end { valueCount += Int(levels[i]) }
            try body(start..<end, valueCount)
            start = end
        } while start < levels.count
    }

    /// A v1 data page: definition levels (length-prefixed RLE), then the values.
    private func writeDataPage(levels: ArraySlice<UInt32>, values: [UInt8], encoding: ParquetEncoding,
                               into out: inout [UInt8]) throws -> Int64 {
        var page: [UInt8] = [0, 0, 0, 0]
        RLEHybridEncoder.encode(Array(levels), bitWidth: 1, into: &page)
        let n = UInt32(page.count - 4)
        page[0] = UInt8(n & 0xFF); page[1] = UInt8(n >> 8 & 0xFF)
        page[2] = UInt8(n >> 16 & 0xFF); page[3] = UInt8(n >> 24)
        page.append(contentsOf: values)
        return try writePage(page, header: { compressed in
            ParquetPageHeader.data(valueCount: levels.count, encoding: encoding, uncompressed: page.count,
                                   compressed: compressed)
        }, into: &out)
    }

    /// Compresses a page and appends its header and body; returns the uncompressed size
    /// (header included, as Parquet counts it).
    private func writePage(_ page: [UInt8], header: (Int) -> [UInt8], into out: inout [UInt8]) throws -> Int64 {
        guard let compressed = compression.compress(page) else { throw ExportError.compressionFailed(compression.rawValue) }
        let head = header(compressed.count)
        out.append(contentsOf: head)
        out.append(contentsOf: compressed)
        return Int64(head.count + page.count)
    }
}
