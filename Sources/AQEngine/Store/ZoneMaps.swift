// Zone maps: the smallest and largest value of each chunk of an integer, date or timestamp
// column, computed the first time a scan asks, so that range filters and ORDER BY … LIMIT
// can skip whole chunks (log rows arrive roughly in time order).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one chunk of one column holds.
enum ZoneMap: Equatable {
    /// Every row is NULL.
    case allNull
    /// Non-NULL values lie in `min…max`; `hasNull` says whether some rows are NULL.
    case range(min: Int64, max: Int64, hasNull: Bool)
}

/// The zone maps of one table. Chunks never change once appended, so an entry stays valid
/// until the table is truncated. Scans on several threads share it behind a lock.
final class ZoneMaps: @unchecked Sendable {
    private var columns: [Int: [ZoneMap?]] = [:]
    /// A pthread mutex (which ThreadSanitizer understands) guarding `columns`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func reset() {
        pthread_mutex_lock(mutex)
        columns = [:]
        pthread_mutex_unlock(mutex)
    }

    /// The zone map of chunk `chunk` of `column`, or nil when the column is not stored as integers.
    func zone(_ table: Table, column: Int, chunk: Int) -> ZoneMap? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return ZoneMaps.zone(&columns, table, column: column, chunk: chunk)
    }

    private static func zone(_ columns: inout [Int: [ZoneMap?]], _ table: Table, column: Int, chunk: Int) -> ZoneMap? {
        if let known = columns[column], chunk < known.count, let zone = known[chunk] { return zone }
        let chunkCount = table.chunkCount
        let chunks = table.storedChunks
        guard chunk < chunks.count, column < table.columns.count,
              case .vector(let vector) = chunks[chunk].columns[column],
              case .int64(let values) = vector.storage else { return nil }
        let zone = ZoneMaps.compute(values, vector.validity)
        // Modified in place: copying the column's entries per chunk would be quadratic.
        let known = columns[column]?.count ?? 0
        if known < chunkCount {
            columns[column, default: []].append(contentsOf: repeatElement(nil, count: chunkCount - known))
        }
        columns[column, default: []][chunk] = zone
        return zone
    }

    private static func compute(_ values: [Int64], _ validity: Validity?) -> ZoneMap {
        var lo = Int64.max, hi = Int64.min
        var sawNull = false, sawValue = false
        values.withUnsafeBufferPointer { p in
            if let validity {
                for i in 0..<p.count {
                    if validity.isValid(i) {
                        lo = Swift.min(lo, p[i])
                        hi = Swift.max(hi, p[i])
                        sawValue = true
                    } else {
                        sawNull = true
                    }
                }
            } else {
                for x in p {
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                }
                sawValue = !p.isEmpty
            }
        }
        return sawValue ? .range(min: lo, max: hi, hasNull: sawNull) : .allNull
    }
}
