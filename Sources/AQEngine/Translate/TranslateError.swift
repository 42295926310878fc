// A part of a statement that has no ClickHouse form: which part, and why.

import AQSyntax

public enum TranslateError: Diagnostic, Sendable {
    case untranslatable(part: String, reason: String, range: SourceRange)

    public var message: String {
        switch self {
        case .untranslatable(let part, let reason, _):
            return "cannot translate \(part) to ClickHouse: \(reason)"
        }
    }

    public var range: SourceRange? {
        switch self {
        case .untranslatable(_, _, let r): return r
        }
    }
}
