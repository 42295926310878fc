// aq_bind_* … aq_column_*: a prepared statement through the C API, stepped row by row.

import AQEngine
import AQSyntax
#if canImport(Glibc)
import Glibc
#endif

/// What an aq_statement handle stands for: the prepared statement, its bound values, and,
/// once stepped, its rows and the current row.
final class CStatement {
    let prepared: PreparedStatement
    let error = CError()
    /// Parameter slots by index - 1: `$1` … `$n`, then each `$name` in order.
    let slots: [String]
    var bound: [String: Value] = [:]
    var rows: Rows?
    var batch: Batch?
    var row = -1
    var done = false
    /// C strings of the current row's text values, by column; freed at the next step.
    var texts: [Int: UnsafeMutablePointer<CChar>] = [:]
    lazy var names: [UnsafeMutablePointer<CChar>?] = (rows?.columns ?? []).map { strdup($0.name) }

    init(_ prepared: PreparedStatement) {
        self.prepared = prepared
        let positional = prepared.parameterNames.compactMap { Int($0) }.max() ?? 0
        slots = (0..<positional).map { String($0 + 1) } + prepared.parameterNames.filter { Int($0) == nil }
    }

    deinit {
        clearTexts()
        for name in names { free(name) }
    }

    func clearTexts() {
        for (_, text) in texts { free(text) }
        texts = [:]
    }

    func reset() {
        rows?.cancel()
        rows = nil
        batch = nil
        row = -1
        done = false
        clearTexts()
        for name in names { free(name) }
        names = []
    }

    /// The current row's column `c`, or nil when there is no row or no such column.
    func vector(_ c: Int) -> Vector? {
        guard let batch, row >= 0, row < batch.count, c >= 0, c < batch.columns.count else { return nil }
        return batch.columns[c]
    }
}

private func statement(_ handle: OpaquePointer?) -> CStatement? { handles.object(handle, as: CStatement.self) }

@_cdecl("aq_finalize")
public func aq_finalize(_ handle: OpaquePointer?) -> Int32 {
    guard handle != nil else { return AQ_OK }
    guard let st = handles.remove(handle) as? CStatement else { return AQ_MISUSE }
    st.reset()
    return AQ_OK
}

@_cdecl("aq_cancel")
public func aq_cancel(_ handle: OpaquePointer?) {
    statement(handle)?.rows?.cancel()
}

@_cdecl("aq_bind_parameter_count")
public func aq_bind_parameter_count(_ handle: OpaquePointer?) -> Int32 {
    Int32(statement(handle)?.slots.count ?? 0)
}

@_cdecl("aq_bind_parameter_index")
public func aq_bind_parameter_index(_ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> Int32 {
    guard let st = statement(handle), let name else { return 0 }
    var key = String(cString: name).lowercased()
    if key.hasPrefix("$") { key.removeFirst() }
    return st.slots.firstIndex(of: key).map { Int32($0 + 1) } ?? 0
}

private func bind(_ handle: OpaquePointer?, _ index: Int32, _ value: Value) -> Int32 {
    guard let st = statement(handle) else { return AQ_MISUSE }
    guard index >= 1, Int(index) <= st.slots.count else {
        return st.error.misuse("parameter index \(index) is not in 1 to \(st.slots.count)", code: AQ_RANGE)
    }
    if st.rows != nil { st.reset() }
    st.bound[st.slots[Int(index) - 1]] = value
    st.error.clear()
    return AQ_OK
}

@_cdecl("aq_bind_null")
public func aq_bind_null(_ handle: OpaquePointer?, _ index: Int32) -> Int32 { bind(handle, index, .null) }

@_cdecl("aq_bind_int64")
public func aq_bind_int64(_ handle: OpaquePointer?, _ index: Int32, _ value: Int64) -> Int32 {
    bind(handle, index, .integer(value))
}

@_cdecl("aq_bind_double")
public func aq_bind_double(_ handle: OpaquePointer?, _ index: Int32, _ value: Double) -> Int32 {
    bind(handle, index, .double(value))
}

@_cdecl("aq_bind_bool")
public func aq_bind_bool(_ handle: OpaquePointer?, _ index: Int32, _ value: Int32) -> Int32 {
    bind(handle, index, .boolean(value != 0))
}

@_cdecl("aq_bind_text")
public func aq_bind_text(_ handle: OpaquePointer?, _ index: Int32, _ value: UnsafePointer<CChar>?) -> Int32 {
    bind(handle, index, value.map { .varchar(String(cString: $0)) } ?? .null)
}

@_cdecl("aq_clear_bindings")
public func aq_clear_bindings(_ handle: OpaquePointer?) -> Int32 {
    guard let st = statement(handle) else { return AQ_MISUSE }
    st.reset()
    st.bound = [:]
    return AQ_OK
}

@_cdecl("aq_reset")
public func aq_reset(_ handle: OpaquePointer?) -> Int32 {
    guard let st = statement(handle) else { return AQ_MISUSE }
    st.reset()
    st.error.clear()
    return AQ_OK
}

@_cdecl("aq_step")
public func aq_step(_ handle: OpaquePointer?) -> Int32 {
    guard let st = statement(handle) else { return AQ_MISUSE }
    st.clearTexts()
    if st.done { return AQ_DONE }
    do {
        if st.rows == nil {
            st.rows = try st.prepared.query(st.bound)
        }
        guard let rows = st.rows else { return AQ_DONE }
        st.row += 1
        while st.batch == nil || st.row >= (st.batch?.count ?? 0) {
            guard let next = try rows.nextBatch() else {
                st.batch = nil
                st.done = true
                st.error.clear()
                return AQ_DONE
            }
            st.batch = next
            st.row = 0
        }
        return AQ_ROW
    } catch {
        st.batch = nil
        st.done = true
        return st.error.record(error)
    }
}

@_cdecl("aq_column_count")
public func aq_column_count(_ handle: OpaquePointer?) -> Int32 {
    Int32(statement(handle)?.rows?.columns.count ?? 0)
}

@_cdecl("aq_column_name")
public func aq_column_name(_ handle: OpaquePointer?, _ column: Int32) -> UnsafePointer<CChar>? {
    guard let st = statement(handle), column >= 0, Int(column) < st.names.count else { return nil }
    return UnsafePointer(st.names[Int(column)])
}

@_cdecl("aq_column_type")
public func aq_column_type(_ handle: OpaquePointer?, _ column: Int32) -> Int32 {
    guard let st = statement(handle), let columns = st.rows?.columns, column >= 0, Int(column) < columns.count else {
        return 0
    }
    switch columns[Int(column)].type {
    case .null: return 0
    case .boolean: return 1
    case .integer: return 2
    case .double: return 3
    case .varchar: return 4
    case .date: return 5
    case .timestamp: return 6
    case .interval: return 7
    case .json: return 8
    case .list: return 9
    }
}

@_cdecl("aq_column_is_null")
public func aq_column_is_null(_ handle: OpaquePointer?, _ column: Int32) -> Int32 {
    guard let st = statement(handle), let v = st.vector(Int(column)) else { return 1 }
    return v.isNull(st.row) ? 1 : 0
}

@_cdecl("aq_column_int64")
public func aq_column_int64(_ handle: OpaquePointer?, _ column: Int32) -> Int64 {
    guard let st = statement(handle), let v = st.vector(Int(column)), !v.isNull(st.row) else { return 0 }
    switch v.storage {
    case .int64(let values): return values[st.row]
    case .boolean(let values): return values[st.row] ? 1 : 0
    case .double(let values): return Int64(exactly: values[st.row].rounded(.towardZero)) ?? 0
    default: return 0
    }
}

@_cdecl("aq_column_double")
public func aq_column_double(_ handle: OpaquePointer?, _ column: Int32) -> Double {
    guard let st = statement(handle), let v = st.vector(Int(column)), !v.isNull(st.row) else { return 0 }
    switch v.storage {
    case .double(let values): return values[st.row]
    case .int64(let values): return Double(values[st.row])
    case .boolean(let values): return values[st.row] ? 1 : 0
    default: return 0
    }
}

@_cdecl("aq_column_text")
public func aq_column_text(_ handle: OpaquePointer?, _ column: Int32) -> UnsafePointer<CChar>? {
    guard let st = statement(handle), let v = st.vector(Int(column)), !v.isNull(st.row) else { return nil }
    let c = Int(column)
    if let text = st.texts[c] { return UnsafePointer(text) }
    let made: UnsafeMutablePointer<CChar>?
    if case .string(let strings) = v.storage {
        made = strings.withBytes(st.row) { bytes -> UnsafeMutablePointer<CChar>? in
            let out = malloc(bytes.count + 1)?.assumingMemoryBound(to: CChar.self)
            if let out {
                if let base = bytes.baseAddress { memcpy(out, base, bytes.count) }
                out[bytes.count] = 0
            }
            return out
        }
    } else {
        made = strdup(v.value(at: st.row).text ?? "")
    }
    guard let made else { return nil }
    st.texts[c] = made
    return UnsafePointer(made)
}

@_cdecl("aq_stmt_errmsg")
public func aq_stmt_errmsg(_ handle: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let st = statement(handle) else { return UnsafePointer(staleHandleText) }
    return st.error.message
}

@_cdecl("aq_stmt_error_line")
public func aq_stmt_error_line(_ handle: OpaquePointer?) -> Int32 { statement(handle)?.error.line ?? 0 }

@_cdecl("aq_stmt_error_column")
public func aq_stmt_error_column(_ handle: OpaquePointer?) -> Int32 { statement(handle)?.error.column ?? 0 }
