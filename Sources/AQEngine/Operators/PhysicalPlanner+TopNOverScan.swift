// Top-N straight over a table scan, ordered first by a stored integer or time column (the
// "latest 20 events" query): chunks are read best-first by their zone maps, and once the
// top-N holds its rows, chunks that cannot beat the last of them are skipped unread. Rows
// carry their position in the table as a last sort key, so ties still resolve in table
// order although chunks are read out of order.

extension PhysicalPlanner {
    /// The operators for `topN` over `input`, or nil when the pattern does not apply.
    func topNOverScan(_ input: LogicalPlan, keys: [BoundSortKey], limit: Int, offset: Int) -> PhysicalOperator? {
        guard let first = keys.first, !first.nullsFirst, case .column(let k, _) = first.expr.kind else { return nil }
        let scan: LogicalScan
        let scanIndex: Int
        var projection: [BoundExpr]?
        switch input {
        case .scan(let s):
            scan = s
            scanIndex = k
        case .project(.scan(let s), let expressions, _):
            guard k < expressions.count, case .column(let j, _) = expressions[k].kind else { return nil }
            scan = s
            scanIndex = j
            projection = expressions
        default:
            return nil
        }
        guard scanIndex < scan.columns.count else { return nil }
        let table = scan.table
        let column = scan.columns[scanIndex]
        guard table.columns[column].type.isInt64Backed, table.chunkCount > 1,
              !ExpressionWalker.containsSubquery(first.expr) else { return nil }

        let scanOperator = PhysicalScan(scan, context, rowIDs: true)
        var top: PhysicalOperator = scanOperator
        var width = scan.width
        if let projection {
            let rowID = BoundExpr(.column(index: width, name: "rowid"), type: .integer)
            top = PhysicalProjection(scanOperator, expressions: projection + [rowID], context)
            width = projection.count
        }
        let rowIDKey = BoundSortKey(expr: BoundExpr(.column(index: width, name: "rowid"), type: .integer),
                                    descending: false, nullsFirst: false)
        let topN = PhysicalTopN(top, keys: keys + [rowIDKey], limit: limit, offset: offset, context, hiddenRowID: true)

        let descending = first.descending
        let best = (0..<table.chunkCount).map {
            KeyWords.best(table.zoneMaps.zone(table, column: column, chunk: $0), descending: descending)
        }
        scanOperator.chunkOrder = (0..<best.count).sorted { best[$0] != best[$1] ? best[$0] < best[$1] : $0 < $1 }
        scanOperator.skipChunk = { [weak topN] chunk in
            guard let boundary = topN?.boundaryWord else { return false }
            return best[chunk] > boundary
        }
        return topN
    }
}
