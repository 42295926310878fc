// json_extract_string(json, path) and json_extract(json, path), read over the bytes of each
// document without building a tree (see JSONReader). A path is parsed once per call site;
// text that is not JSON on the way to the path gives NULL rather than an error, since a
// column of raw log records may hold anything.

import AQSyntax

enum JSONFunctions {
    static let all: [String: [Overload]] = [
        "json_extract_string": [
            Overload([.varchar, .varchar], .varchar) { args, n, fc in try extract(args, n, fc, asString: true) },
        ],
        "json_extract": [
            Overload([.varchar, .varchar], .json) { args, n, fc in try extract(args, n, fc, asString: false) },
        ],
        "json_valid": [
            Overload([.varchar], .boolean) { args, n, fc in
                let (values, validity) = try StringKernels.map(args[0].stringValues(), validity: args[0].effectiveValidity,
                                                               count: n, zero: false, context: fc.execution,
                                                               memo: ("json_valid", [])) { JSONReader.isValid($0) }
                return .booleans(values, validity)
            },
        ],
    ]

    static func path(_ value: Value, _ function: String, _ fc: FunctionContext) throws -> JSONPath {
        switch JSONPath.parse(FunctionKernels.stringValue(value) ?? "") {
        case .success(let p): return p
        case .failure(let e): throw ExecutionError.invalidArgument(function: function, message: e.message, range: fc.range)
        }
    }

    static func extract(_ args: [Vector], _ n: Int, _ fc: FunctionContext, asString: Bool) throws -> Vector {
        let name = asString ? "json_extract_string" : "json_extract"
        return try FunctionKernels.stringsToString(args, n, fc, name: name, type: asString ? .varchar : .json) { rest in
            let p = try path(rest[0], name, fc)
            return { document, out in
                guard let r = p.find(in: document) else { return false }
                let value = UnsafeRawBufferPointer(rebasing: document[r])
                return asString ? appendString(value, into: &out) : appendJSON(value, into: &out)
            }
        }
    }

    /// json_extract_string's result: a string decoded, `null` as NULL, anything else as
    /// its minified JSON text.
    static func appendString(_ value: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard let first = value.first else { return false }
        if first == UInt8(ascii: "\"") { return JSONReader.decodeString(value, into: &out) }
        if first == UInt8(ascii: "n") { return false }
        JSONReader.appendMinified(value, into: &out)
        return true
    }

    /// json_extract's result: the value's minified JSON text (`null` stays JSON null).
    static func appendJSON(_ value: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        JSONReader.appendMinified(value, into: &out)
        return true
    }
}
