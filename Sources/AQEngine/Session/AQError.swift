// An error of any stage, with the source it refers to, so it can render itself.

import AQSyntax

/// The error type of the public API: a diagnostic (parse, bind or execution) and the
/// statement text it points into.
public struct AQError: Error, CustomStringConvertible {
    public let diagnostic: any Diagnostic
    public let source: Source

    public init(_ diagnostic: any Diagnostic, source: Source) {
        self.diagnostic = diagnostic
        self.source = source
    }

    public var message: String { diagnostic.message }

    /// Line and column (1-based) of the error, when it has a position.
    public var location: SourceLocation? {
        diagnostic.range.map { source.location(of: $0.start) }
    }

    /// `line 3, column 17: message`, the line, and a caret under the column.
    public var description: String { source.render(diagnostic) }
}
