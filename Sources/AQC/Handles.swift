// The C API's handles: numbers, not pointers. A handle maps to its object in one table; a
// closed or finalized handle is taken out and its number never given again, so a stale or
// NULL handle is found out (AQ_MISUSE), never followed.

import AQEngine
import AQSyntax
#if canImport(Glibc)
import Glibc
#endif

/// Live objects behind the C API's handles.
final class HandleTable: @unchecked Sendable {
    private var objects: [UInt: AnyObject] = [:]
    private var next: UInt = 1
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }

    /// A new handle for `object`. Handles are multiples of 16 so they look like aligned pointers.
    func add(_ object: AnyObject) -> OpaquePointer? {
        locked {
            let id = next
            next += 1
            objects[id] = object
            return OpaquePointer(bitPattern: id << 4)
        }
    }

    func object<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) -> T? {
        guard let handle else { return nil }
        let id = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle))) >> 4
        return locked { objects[id] as? T }
    }

    @discardableResult
    func remove(_ handle: OpaquePointer?) -> AnyObject? {
        guard let handle else { return nil }
        let id = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle))) >> 4
        return locked { objects.removeValue(forKey: id) }
    }
}

let handles = HandleTable()

/// An error as the C API reports it: a code, a message and a position, with the message
/// kept as a C string for as long as the handle holds the error.
final class CError {
    private(set) var code: Int32 = AQ_OK
    private(set) var line: Int32 = 0
    private(set) var column: Int32 = 0
    private var text: UnsafeMutablePointer<CChar>? = strdup("")

    deinit { free(text) }

    var message: UnsafePointer<CChar>? { UnsafePointer(text) }

    func clear() { set(code: AQ_OK, message: "", line: 0, column: 0) }

    func set(code: Int32, message: String, line: Int32, column: Int32) {
        free(text)
        text = strdup(message)
        self.code = code
        self.line = line
        self.column = column
    }

    /// Records `error` and returns its code.
    @discardableResult
    func record(_ error: Error) -> Int32 {
        var line: Int32 = 0, column: Int32 = 0
        let diagnostic: (any Diagnostic)? = (error as? AQError)?.diagnostic ?? (error as? any Diagnostic)
        if let error = error as? AQError, let location = error.location {
            line = Int32(clamping: location.line)
            column = Int32(clamping: location.column)
        }
        let code: Int32
        if case .cancelled? = diagnostic as? ExecutionError {
            code = AQ_INTERRUPT
        } else if case .limitExceeded? = diagnostic as? ExecutionError {
            code = AQ_LIMIT
        } else if case .databaseClosed? = diagnostic as? APIError {
            code = AQ_MISUSE
        } else if case .parameterCount? = diagnostic as? APIError {
            code = AQ_RANGE
        } else {
            code = AQ_ERROR
        }
        set(code: code, message: diagnostic?.message ?? "\(error)", line: line, column: column)
        return code
    }

    /// Records a misuse and returns AQ_MISUSE (or `code`).
    @discardableResult
    func misuse(_ message: String, code: Int32 = AQ_MISUSE) -> Int32 {
        set(code: code, message: message, line: 0, column: 0)
        return code
    }
}

// Result codes and types, as in include/aq.h.
let AQ_OK: Int32 = 0
let AQ_ERROR: Int32 = 1
let AQ_MISUSE: Int32 = 21
let AQ_RANGE: Int32 = 25
let AQ_INTERRUPT: Int32 = 9
let AQ_LIMIT: Int32 = 18
let AQ_ROW: Int32 = 100
let AQ_DONE: Int32 = 101

/// The message for a call made with a NULL or stale handle.
let staleHandle = "not an open handle (NULL, closed or finalized)"
/// Returned by the error functions for a handle that is not open.
let staleHandleText: UnsafeMutablePointer<CChar>? = strdup(staleHandle)
