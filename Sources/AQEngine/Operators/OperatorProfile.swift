// EXPLAIN ANALYZE: each operator the planner builds is wrapped to count the rows it returns
// and the time spent in it; the plan is printed with those figures, the time an operator
// spent waiting on its inputs not counted as its own.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One built operator's figures, with the operators built for its inputs.
final class ProfileNode {
    let plan: LogicalPlan
    var children: [ProfileNode] = []
    var rows = 0
    var batches = 0
    /// Time in `next()`, inputs included.
    var nanoseconds: Int64 = 0
    /// The operator, when it can say how it ran.
    var described: DescribesRun?

    init(plan: LogicalPlan) { self.plan = plan }

    var ownNanoseconds: Int64 { nanoseconds - children.reduce(0) { $0 + $1.nanoseconds } }

    /// The plan lines with figures. Inputs that run inside this operator's pipeline (a
    /// morsel chain, a fused top-N scan) have no operator of their own and no figures.
    func lines(indent: Int, into out: inout [String]) {
        let pad = String(repeating: "  ", count: indent)
        let ms = Double(ownNanoseconds) / 1e6
        let ran = described?.howItRan.map { ": " + $0 } ?? ""
        out.append(pad + plan.explainHeader + "  (rows=\(rows), time=" + ProfileNode.format(ms) + " ms" + ran + ")")
        if !ProfileNode.operatorPerInput(children, plan) {
            // A pipeline: its chain has no operators of its own, but a join's build input in
            // it does (matched by its plan line).
            var builds = children
            for input in plan.inputs { ProfileNode.pipelined(input, indent: indent + 1, builds: &builds, into: &out) }
        } else {
            for child in children { child.lines(indent: indent + 1, into: &out) }
        }
    }

    /// Whether each input of `plan` got an operator of its own (`children`, in order).
    private static func operatorPerInput(_ children: [ProfileNode], _ plan: LogicalPlan) -> Bool {
        let inputs = plan.inputs
        guard !children.isEmpty, children.count == inputs.count else { return false }
        return zip(children, inputs).allSatisfy { $0.plan.explainHeader == $1.explainHeader }
    }

    private static func pipelined(_ plan: LogicalPlan, indent: Int, builds: inout [ProfileNode],
                                  into out: inout [String]) {
        if let k = builds.firstIndex(where: { $0.plan.explainHeader == plan.explainHeader }) {
            let build = builds.remove(at: k)
            build.lines(indent: indent, into: &out)
            return
        }
        out.append(String(repeating: "  ", count: indent) + plan.explainHeader + "  (in the pipeline above)")
        for input in plan.inputs { pipelined(input, indent: indent + 1, builds: &builds, into: &out) }
    }

    /// Milliseconds with two decimals.
    static func format(_ ms: Double) -> String {
        let hundredths = Int((Swift.max(0, ms) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}

/// An operator that chooses how to run as it runs (on how many threads, in which way): it
/// says so after its figures in EXPLAIN ANALYZE.
protocol DescribesRun: AnyObject {
    /// What it did, nil before it ran.
    var howItRan: String? { get }
}

/// Builds the profile tree while the planner recurses.
final class OperatorProfiler {
    private(set) var roots: [ProfileNode] = []
    private var stack: [ProfileNode] = []

    func begin(_ plan: LogicalPlan) -> ProfileNode {
        let node = ProfileNode(plan: plan)
        if let parent = stack.last { parent.children.append(node) } else { roots.append(node) }
        stack.append(node)
        return node
    }

    func end() { stack.removeLast() }
}

/// Counts what an operator returns and the time spent in it.
final class ProfiledOperator: PhysicalOperator {
    private let input: PhysicalOperator
    private let node: ProfileNode

    var types: [DataType] { input.types }

    init(_ input: PhysicalOperator, _ node: ProfileNode) {
        self.input = input
        self.node = node
        node.described = input as? DescribesRun
    }

    func next() throws -> Batch? {
        let start = ProfiledOperator.now()
        defer { node.nanoseconds += ProfiledOperator.now() - start }
        guard let batch = try input.next() else { return nil }
        node.rows += batch.count
        node.batches += 1
        return batch
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
