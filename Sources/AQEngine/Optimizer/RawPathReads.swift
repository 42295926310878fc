// Reading JSON paths in the scan: `json_extract_string(raw, '$.a.b')` and
// `json_extract(raw, '$.a.b')` over a scanned JSON column kept with sub-columns become a
// column of the scan (`LogicalScan.paths`). Where a chunk has a sub-column of the path the
// query reads typed values instead of parsing each record; elsewhere the scan reads the path
// from the chunk's compressed text itself (on each worker, only for the chunks its filters
// leave), without building a vector of the text. Applies to the expressions of a projection
// or aggregate over a scan (through the filters between them) and to the scan's own filters;
// EXPLAIN shows the paths on the scan's line: `sub-columns=[…]` for those some chunk keeps
// as a sub-column, `text-paths=[…]` for those read from the text only.

public struct RawPathReads: OptimizerPass {
    public let name = "raw_paths"

    public init() {}

    public func run(_ plan: LogicalPlan, context: ExecutionContext) -> LogicalPlan {
        plan.transformUp { node in
            switch node {
            case .project, .aggregate:
                guard let input = node.inputs.first, var scan = RawPathReads.scan(under: input),
                      !scan.table.paths.isEmpty else { return node }
                let rewrite = { (e: BoundExpr) in RawPathReads.rewrite(e, &scan) }
                let top = node.mapExpressions(rewrite)
                let chain = RawPathReads.rewriteChain(input, rewrite)
                guard !scan.paths.isEmpty else { return node }
                return top.mapInputs { _ in RawPathReads.replaceScan(chain, with: scan) }
            default:
                return node
            }
        }
    }

    /// The scan under a run of filters.
    static func scan(under plan: LogicalPlan) -> LogicalScan? {
        switch plan {
        case .scan(let s): return s
        case .filter(let input, _): return scan(under: input)
        default: return nil
        }
    }

    /// The filters' predicates and the scan's filters rewritten.
    static func rewriteChain(_ plan: LogicalPlan, _ f: (BoundExpr) -> BoundExpr) -> LogicalPlan {
        switch plan {
        case .filter(let input, let predicate): return .filter(rewriteChain(input, f), predicate: f(predicate))
        case .scan:
            return plan.mapExpressions(f)
        default: return plan
        }
    }

    static func replaceScan(_ plan: LogicalPlan, with scan: LogicalScan) -> LogicalPlan {
        switch plan {
        case .filter(let input, let predicate): return .filter(replaceScan(input, with: scan), predicate: predicate)
        case .scan(let old):
            var s = scan
            s.filters = old.filters
            return .scan(s)
        default: return plan
        }
    }

    /// `e` with each JSON call on a path of a column kept with sub-columns replaced by a
    /// column of `scan`'s paths (added to `scan.paths` when new).
    static func rewrite(_ e: BoundExpr, _ scan: inout LogicalScan) -> BoundExpr {
        e.rewrite { call in
            guard case .call(let function, let arguments) = call.kind, arguments.count == 2,
                  function.name == "json_extract_string" || function.name == "json_extract",
                  let column = scannedColumn(arguments[0], scan),
                  case .constant(.varchar(let text)) = arguments[1].kind,
                  case .success(let path) = JSONPath.parse(text), path.fallback == nil else { return call }
            var keys: [[UInt8]] = []
            for step in path.steps {
                guard case .key(let key) = step else { return call }
                keys.append(key)
            }
            let keyPath = JSONKeyPath(keys: keys)
            guard !keys.isEmpty else { return call }
            let read = ScanPath(column: column, path: keyPath, asString: function.name == "json_extract_string")
            guard read.type == call.type else { return call }
            let k = scan.paths.firstIndex(of: read) ?? {
                scan.paths.append(read)
                return scan.paths.count - 1
            }()
            return BoundExpr(.column(index: scan.columns.count + k, name: read.name(scan.table)), type: call.type, range: call.range)
        }
    }

    /// The table column (one with JSON sub-columns) that `e` reads as it is: a column
    /// of the scan, maybe cast to VARCHAR.
    static func scannedColumn(_ e: BoundExpr, _ scan: LogicalScan) -> Int? {
        switch e.kind {
        case .column(let index, _):
            guard index < scan.columns.count else { return nil }
            let column = scan.columns[index]
            return scan.table.paths[column] != nil ? column : nil
        case .cast(let inner, _):
            return e.type == .varchar || e.type == .json ? scannedColumn(inner, scan) : nil
        default:
            return nil
        }
    }
}
