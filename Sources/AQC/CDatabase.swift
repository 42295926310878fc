// aq_open … aq_set_limits: a database through the C API.

import AQEngine
import AQSyntax
#if canImport(Glibc)
import Glibc
#endif

/// What an aq_database handle stands for.
final class CDatabase {
    let database = Database()
    let error = CError()
}

private func database(_ handle: OpaquePointer?) -> CDatabase? { handles.object(handle, as: CDatabase.self) }

@_cdecl("aq_open")
public func aq_open(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guard let out else { return AQ_MISUSE }
    out.pointee = handles.add(CDatabase())
    return AQ_OK
}

@_cdecl("aq_close")
public func aq_close(_ handle: OpaquePointer?) -> Int32 {
    guard handle != nil else { return AQ_OK }
    guard let db = handles.remove(handle) as? CDatabase else { return AQ_MISUSE }
    db.database.close()
    return AQ_OK
}

@_cdecl("aq_interrupt")
public func aq_interrupt(_ handle: OpaquePointer?) {
    database(handle)?.database.interrupt()
}

/// Runs `body` for an open database handle, recording its error.
private func call(_ handle: OpaquePointer?, _ body: (CDatabase) throws -> Void) -> Int32 {
    guard let db = database(handle) else { return AQ_MISUSE }
    do {
        try body(db)
        db.error.clear()
        return AQ_OK
    } catch {
        return db.error.record(error)
    }
}

@_cdecl("aq_exec")
public func aq_exec(_ handle: OpaquePointer?, _ sql: UnsafePointer<CChar>?) -> Int32 {
    call(handle) { db in
        guard let sql else { throw AQError(APIError.noStatement, source: Source("")) }
        try db.database.execute(Source(String(cString: sql))) { _ in }
    }
}

@_cdecl("aq_load")
public func aq_load(_ handle: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ format: UnsafePointer<CChar>?) -> Int32 {
    call(handle) { db in
        guard let path else { throw ExecutionError.io(path: "(NULL)", message: "no path given", range: nil) }
        try db.database.load(path: String(cString: path), format: format.map { String(cString: $0) })
    }
}

@_cdecl("aq_load_bytes")
public func aq_load_bytes(_ handle: OpaquePointer?, _ bytes: UnsafeRawPointer?, _ count: Int,
                          _ name: UnsafePointer<CChar>?, _ format: UnsafePointer<CChar>?) -> Int32 {
    call(handle) { db in
        let buffer = bytes.map { UnsafeRawBufferPointer(start: $0, count: max(0, count)) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        try db.database.load(bytes: buffer, name: name.map { String(cString: $0) } ?? "memory",
                             format: format.map { String(cString: $0) })
    }
}

@_cdecl("aq_set_limits")
public func aq_set_limits(_ handle: OpaquePointer?, _ memory: Int64, _ seconds: Double, _ rows: Int64) -> Int32 {
    call(handle) { db in
        db.database.limits = Limits(memory: memory < 0 ? nil : Int(memory), time: seconds < 0 ? nil : seconds,
                                    resultRows: rows < 0 ? nil : Int(rows))
    }
}

@_cdecl("aq_errmsg")
public func aq_errmsg(_ handle: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let db = database(handle) else { return UnsafePointer(staleHandleText) }
    return db.error.message
}

@_cdecl("aq_error_line")
public func aq_error_line(_ handle: OpaquePointer?) -> Int32 { database(handle)?.error.line ?? 0 }

@_cdecl("aq_error_column")
public func aq_error_column(_ handle: OpaquePointer?) -> Int32 { database(handle)?.error.column ?? 0 }

@_cdecl("aq_prepare")
public func aq_prepare(_ handle: OpaquePointer?, _ sql: UnsafePointer<CChar>?,
                       _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    guard let out else { return AQ_MISUSE }
    return call(handle) { db in
        guard let sql else { throw AQError(APIError.noStatement, source: Source("")) }
        let prepared = try db.database.prepare(String(cString: sql))
        out.pointee = handles.add(CStatement(prepared))
    }
}
