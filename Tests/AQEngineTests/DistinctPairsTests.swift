// count(DISTINCT)'s pairs by partition (`DistinctPairs`): each group's distinct values counted
// once at 1, 2 and 7 threads, across partitions and through compactions, and a count that
// stops when the statement is cancelled.

@testable import AQEngine
import XCTest

final class DistinctPairsTests: XCTestCase {
    private func context(threads: Int, _ token: CancellationToken = CancellationToken()) -> ExecutionContext {
        ExecutionContext(now: 0, cancellation: token, catalog: Catalog(), threads: threads)
    }

    /// Appends `rows` pairs over `groups` groups (with NULL rows) batch by batch, and the
    /// distinct values each group saw.
    private func fill(_ pairs: DistinctPairs, groups: Int, rows: Int, word: (Int) -> UInt64) -> [Set<UInt64>] {
        var expected = [Set<UInt64>](repeating: [], count: groups)
        var row = 0
        while row < rows {
            let n = Swift.min(2048, rows - row)
            var words = [UInt64](repeating: 0, count: 2 * n)
            var batchGroups = [Int32](repeating: 0, count: n)
            for k in 0..<n {
                let i = row + k
                let g = (i &* 7919) % groups
                batchGroups[k] = Int32(g)
                if i % 13 == 0 {
                    words[2 * k + 1] = 1
                } else {
                    words[2 * k] = word(i)
                    expected[g].insert(word(i))
                }
            }
            words.withUnsafeBufferPointer { w in
                batchGroups.withUnsafeBufferPointer { pairs.append(w.baseAddress!, stride: 2, nullOffset: 1, groups: $0) }
            }
            row += n
        }
        return expected
    }

    func testEachGroupsValuesCountOnceAcrossPartitionsAndThreads() throws {
        // 10,000 groups: three partitions, the last one partly used. Words of a small span
        // (packed with their group and radix sorted) and of the whole 64 bits (compared).
        let words: [(Int) -> UInt64] = [{ UInt64($0 % 37) }, { UInt64(bitPattern: Int64($0 % 5) &* 0x3FFF_FFFF_FFFF_FFFF) }]
        for word in words {
            for threads in [1, 2, 7] {
                for compactAt in [8, 1 << 16] {
                    let pairs = DistinctPairs(compactAt: compactAt)
                    let expected = fill(pairs, groups: 10_000, rows: 300_000, word: word)
                    let counts = try pairs.counts(groups: 10_000, context(threads: threads))
                    XCTAssertEqual(counts, expected.map { Int64($0.count) }, "threads \(threads), compact at \(compactAt)")
                }
            }
        }
    }

    func testCompactionKeepsMemoryNearTheDistinctPairs() throws {
        let pairs = DistinctPairs(compactAt: 64)
        let expected = fill(pairs, groups: 5, rows: 100_000, word: { UInt64($0 % 50) })
        XCTAssertLessThanOrEqual(pairs.count, 5 * 50 * 4)
        XCTAssertEqual(try pairs.counts(groups: 5, context(threads: 2)), expected.map { Int64($0.count) })
    }

    func testEmptyAndMoreGroupsThanPairs() throws {
        let pairs = DistinctPairs()
        XCTAssertEqual(try pairs.counts(groups: 0, nil), [])
        XCTAssertEqual(try pairs.counts(groups: 5000, context(threads: 2)), [Int64](repeating: 0, count: 5000))
        pairs.append(group: 4999, word: 7)
        pairs.append(group: 4999, word: 7)
        pairs.append(group: 3, word: 7)
        let counts = try pairs.counts(groups: 5000, nil)
        XCTAssertEqual(counts[4999], 1)
        XCTAssertEqual(counts[3], 1)
        XCTAssertEqual(counts.reduce(0, +), 2)
    }

    func testCountStopsWhenCancelled() {
        for threads in [1, 2, 7] {
            let pairs = DistinctPairs()
            _ = fill(pairs, groups: 20_000, rows: 50_000, word: { UInt64($0 % 11) })
            let token = CancellationToken()
            token.cancel()
            XCTAssertThrowsError(try pairs.counts(groups: 20_000, context(threads: threads, token))) { error in
                guard case ExecutionError.cancelled = error else { return XCTFail("\(error)") }
            }
        }
    }
}
