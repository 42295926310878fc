// Taking rows out of a table: the rows of a loaded file that a later LOAD replaces
// (Database.replaceEarlierRows). Chunks wholly inside the removed rows are dropped, chunks
// wholly outside stay as they are (packed), and a chunk cut by an edge keeps its other rows,
// unpacked into vectors, as an INSERT's chunk is kept.

extension Table {
    /// Removes the rows of `ranges` (row numbers in table order; any order, empty ranges
    /// allowed); the rows after them move up. The path summaries are counted again, and the
    /// zone maps and key indexes rebuilt on first use. O(rows of the cut chunks + chunks).
    func removeRows(_ ranges: [Range<Int>]) {
        let ranges = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        guard !ranges.isEmpty else { return }
        var out: [StoredChunk] = []
        var start = 0
        var first = 0
        for chunk in storedChunks {
            let rows = start..<start + chunk.count
            start += chunk.count
            while first < ranges.count, ranges[first].upperBound <= rows.lowerBound { first += 1 }
            var kept: [Int32] = []
            var row = rows.lowerBound
            var i = first
            while i < ranges.count, ranges[i].lowerBound < rows.upperBound {
                for r in row..<max(row, ranges[i].lowerBound) { kept.append(Int32(r - rows.lowerBound)) }
                row = max(row, min(ranges[i].upperBound, rows.upperBound))
                i += 1
            }
            for r in row..<rows.upperBound { kept.append(Int32(r - rows.lowerBound)) }
            if kept.count == chunk.count {
                out.append(chunk)
            } else if !kept.isEmpty {
                let batch = Batch(columns: chunk.columns.map { $0.vector() ?? Vector.nulls(type: $0.type, count: chunk.count) },
                                  count: chunk.count)
                out.append(StoredChunk(batch.gather(kept)))
            }
        }
        restore(chunks: out, paths: Table.countedPaths(paths, in: out))
    }

    /// `paths` with each summary's chunks and rows counted again over `chunks` (a path no
    /// chunk holds any more keeps its dictionary and kinds, with no chunks).
    private static func countedPaths(_ paths: [Int: [JSONKeyPath: PathSummary]],
                                     in chunks: [StoredChunk]) -> [Int: [JSONKeyPath: PathSummary]] {
        var counted: [Int: [JSONKeyPath: PathSummary]] = [:]
        for (c, summaries) in paths {
            var chunksOf: [JSONKeyPath: Int] = [:]
            var rowsOf: [JSONKeyPath: Int] = [:]
            for chunk in chunks {
                guard case .text(_, _, let columnPaths) = chunk.columns[c] else { continue }
                for (path, column) in columnPaths {
                    chunksOf[path, default: 0] += 1
                    rowsOf[path, default: 0] += chunk.count - (column.present?.nullCount ?? 0)
                }
            }
            counted[c] = summaries.mapValues { s in
                PathSummary(path: s.path, dictionary: s.dictionary, chunks: chunksOf[s.path] ?? 0,
                            rows: rowsOf[s.path] ?? 0, kinds: s.kinds)
            }
        }
        return counted
    }
}
