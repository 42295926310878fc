// The optimizer: an ordered list of named passes over the logical plan, each of which can
// be switched off and is timed; a verifier checks the plan after every pass.

import AQSyntax
import Glibc

/// One rewrite of the logical plan. A pass never changes what the plan computes.
public protocol OptimizerPass: Sendable {
    /// A short name for `disabled` sets, timings and messages: `predicate_pushdown`.
    var name: String { get }
    func run(_ plan: LogicalPlan, context: ExecutionContext) throws -> LogicalPlan
}

public struct Optimizer: Sendable {
    /// The passes in the order they run. LIMIT / OFFSET numbers first, as every later pass
    /// reads them. Folding next so that pushdown sees simple
    /// predicates; pruning after pushdown so that scans keep the columns their filters read;
    /// the subquery passes last, when the plans of subqueries are final.
    public static let standardPasses: [any OptimizerPass] = [
        LimitConstants(), ConstantFolding(), PredicatePushdown(), RawPathReads(), FilterOrdering(), TopNRewrite(), WindowTopK(),
        ProjectionPruning(),
        SubqueryDecorrelation(), SubqueryPartitioning(), SemiJoinRewrite(),
    ]

    public var passes: [any OptimizerPass]
    /// Names of passes to skip.
    public var disabled: Set<String> = []
    /// Check the plan after every pass (cheap; a failure is an internal error, not a crash).
    public var verify = true

    public init(passes: [any OptimizerPass] = Optimizer.standardPasses) {
        self.passes = passes
    }

    /// Seconds each pass took in the last `optimize`, in order.
    public struct Timing: Sendable {
        public var pass: String
        public var seconds: Double
    }

    /// Runs the enabled passes over `plan` and over the plans of its subqueries.
    public func optimize(_ plan: LogicalPlan, context: ExecutionContext) throws -> LogicalPlan {
        var timings: [Timing] = []
        return try optimize(plan, context: context, timings: &timings)
    }

    public func optimize(_ plan: LogicalPlan, context: ExecutionContext, timings: inout [Timing]) throws -> LogicalPlan {
        if verify { try PlanVerifier.check(plan, after: "binding") }
        var plan = try optimizingSubqueries(plan, context: context, timings: &timings)
        for pass in passes where !disabled.contains(pass.name) {
            let start = Optimizer.clock()
            plan = try pass.run(plan, context: context)
            timings.append(Timing(pass: pass.name, seconds: Optimizer.clock() - start))
            if verify { try PlanVerifier.check(plan, after: pass.name) }
        }
        return plan
    }

    /// The plan with each subquery's own plan optimized.
    private func optimizingSubqueries(_ plan: LogicalPlan, context: ExecutionContext,
                                      timings: inout [Timing]) throws -> LogicalPlan {
        var failure: Error?
        var local: [Timing] = []
        let out = plan.transformUp { node in
            node.mapExpressions { expr in
                expr.rewrite { e in
                    guard failure == nil, case .subquery(let sub) = e.kind else { return e }
                    do {
                        let optimized = try optimize(sub.plan, context: context, timings: &local)
                        var copy = e
                        copy.kind = .subquery(sub.with(plan: optimized))
                        return copy
                    } catch {
                        failure = error
                        return e
                    }
                }
            }
        }
        timings += local
        if let failure { throw failure }
        return out
    }

    static func clock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
