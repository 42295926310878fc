// Checks a plan's internal consistency: every column reference in range and of the type its
// input column has, conditions BOOLEAN, set operation inputs alike. Run after each pass.

import AQSyntax

/// A plan that does not hold together: a bug in the binder or a pass, reported as an error.
public struct PlanVerificationError: Diagnostic, Sendable {
    public var detail: String
    public var pass: String
    public var message: String { "internal error: the plan is inconsistent after \(pass): \(detail)" }
    public var range: SourceRange? { nil }
}

enum PlanVerifier {
    static func check(_ plan: LogicalPlan, after pass: String) throws {
        if let problem = problem(in: plan) { throw PlanVerificationError(detail: problem, pass: pass) }
    }

    /// The first inconsistency found, described, or nil.
    static func problem(in plan: LogicalPlan) -> String? {
        for input in plan.inputs {
            if let p = problem(in: input) { return p }
        }
        let inputSchema: [ColumnSchema]
        switch plan {
        case .scan(let scan):
            if let bad = scan.columns.first(where: { $0 < 0 || $0 >= scan.table.columns.count }) {
                return "scan of \(scan.table.name) reads column \(bad) of \(scan.table.columns.count)"
            }
            inputSchema = plan.schema
            for f in scan.filters where f.type != .boolean { return "scan filter \(f) is \(f.type)" }
        case .values(let rows, let schema):
            for row in rows {
                guard row.count == schema.count else { return "a VALUES row has \(row.count) of \(schema.count) values" }
                for (e, c) in zip(row, schema) where e.type != c.type {
                    return "VALUES column \(c.name) is \(c.type) but holds \(e.type)"
                }
            }
            inputSchema = []
        case .join(let l, let r, _, let condition):
            inputSchema = l.schema + r.schema
            if let c = condition, c.type != .boolean { return "join condition \(c) is \(c.type)" }
        case .filter(let x, let p):
            inputSchema = x.schema
            if p.type != .boolean { return "filter \(p) is \(p.type)" }
        case .aggregate(let x, let groups, let aggregates, let names):
            inputSchema = x.schema
            if names.count != groups.count + aggregates.count { return "aggregate names do not match its columns" }
        case .window(let x, let functions, let names):
            inputSchema = x.schema
            if names.count != functions.count { return "window names do not match its functions" }
            for f in functions {
                if let p = f.filter, p.type != .boolean { return "window filter \(p) is \(p.type)" }
            }
        case .unnest(let x, let lists, let names):
            inputSchema = x.schema
            if names.count != lists.count { return "unnest names do not match its lists" }
            for l in lists where l.type.listElement == nil && l.type != .null { return "unnest of \(l) is \(l.type)" }
        case .project(let x, let exprs, let names):
            inputSchema = x.schema
            if names.count != exprs.count { return "projection names do not match its columns" }
        case .unionAll(let inputs):
            inputSchema = []
            let types = inputs.first?.schema.map(\.type) ?? []
            for i in inputs where i.schema.map(\.type) != types { return "union inputs have different column types" }
        case .setDifference(let l, let r, _, _):
            inputSchema = []
            if l.schema.map(\.type) != r.schema.map(\.type) { return "set operation inputs have different column types" }
        default:
            inputSchema = plan.inputs.first?.schema ?? []
        }
        for e in plan.expressions {
            if let p = problem(in: e, over: inputSchema) { return p }
        }
        return nil
    }

    /// A column reference out of range or of the wrong type, or operands that disagree.
    static func problem(in expr: BoundExpr, over schema: [ColumnSchema]) -> String? {
        var found: String?
        expr.forEachNode { e in
            guard found == nil else { return }
            switch e.kind {
            case .column(let i, let name):
                if i < 0 || i >= schema.count {
                    found = "column \(name) (#\(i)) is out of range (\(schema.count) columns)"
                } else if schema[i].type != e.type {
                    found = "column \(name) (#\(i)) is typed \(e.type) but its input is \(schema[i].type)"
                }
            case .compare(_, let a, let b), .isDistinctFrom(let a, let b, _):
                if a.type != b.type { found = "\(e) compares \(a.type) with \(b.type)" }
            case .and(let xs), .or(let xs):
                if let x = xs.first(where: { $0.type != .boolean }) { found = "\(x) in AND/OR is \(x.type)" }
            default:
                break
            }
        }
        return found
    }
}
