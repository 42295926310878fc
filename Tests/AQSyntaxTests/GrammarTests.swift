// The grammar file and the parser agree: every production of grammar/aq.ebnf appears, with
// the same right-hand side, as the first doc line of a function in Sources/AQSyntax, and
// every production written in a doc comment is in the grammar.

import XCTest
import Foundation
@testable import AQSyntax

final class GrammarTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whitespace runs collapsed to one space.
    private func normalize(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    /// The grammar's text with `(* … *)` comments removed (quoted text and `? … ?` kept).
    private func grammarWithoutComments() throws -> String {
        let text = try String(contentsOf: Self.root.appendingPathComponent("grammar/aq.ebnf"), encoding: .utf8)
        var out = ""
        var chars = Array(text)[...]
        while let c = chars.first {
            if c == "(" && chars.dropFirst().first == "*" {
                chars = chars.dropFirst(2)
                while !chars.isEmpty && !(chars.first == "*" && chars.dropFirst().first == ")") { chars = chars.dropFirst() }
                chars = chars.dropFirst(2)
                out.append(" ")
                continue
            }
            out.append(c)
            chars = chars.dropFirst()
            if c == "\"" || c == "'" || c == "?" {
                while let d = chars.first {
                    out.append(d)
                    chars = chars.dropFirst()
                    if d == c { break }
                }
            }
        }
        return out
    }

    /// Productions of the grammar: name → right-hand side, in order.
    private func grammarProductions() throws -> [(String, String)] {
        var productions: [(String, String)] = []
        var current = ""
        var inQuote: Character?
        for c in try grammarWithoutComments() {
            if let q = inQuote {
                current.append(c)
                if c == q { inQuote = nil }
            } else if c == "\"" || c == "'" || c == "?" {
                current.append(c)
                inQuote = c
            } else if c == ";" {
                let parts = current.split(separator: "=", maxSplits: 1)
                XCTAssertEqual(parts.count, 2, "not a production: \(current)")
                if parts.count == 2 {
                    productions.append((normalize(String(parts[0])), normalize(String(parts[1]))))
                }
                current = ""
            } else {
                current.append(c)
            }
        }
        XCTAssertEqual(normalize(current), "", "text after the last production")
        return productions
    }

    /// Productions written as doc comments (`/// name -> rule`, continued on following `///`
    /// lines up to a blank doc line) in the sources of AQSyntax: name → right-hand side.
    private func documentedProductions() throws -> [String: [String]] {
        let folder = Self.root.appendingPathComponent("Sources/AQSyntax")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        var found: [String: [String]] = [:]
        let start = try NSRegularExpression(pattern: #"^\s*/// ([a-z_]+) -> (.*)$"#)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            var open: (String, String)?
            func close() {
                if let (name, rhs) = open { found[name, default: []].append(normalize(rhs)) }
                open = nil
            }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                let ns = line as NSString
                if let m = start.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) {
                    close()
                    open = (ns.substring(with: m.range(at: 1)), ns.substring(with: m.range(at: 2)))
                    continue
                }
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if open != nil, trimmed.hasPrefix("///"), trimmed.count > 3 {
                    open!.1 += " " + trimmed.dropFirst(3)
                } else {
                    close()
                }
            }
            close()
        }
        return found
    }

    func testEveryProductionHasItsFunction() throws {
        let grammar = try grammarProductions()
        let documented = try documentedProductions()
        XCTAssertGreaterThan(grammar.count, 50)
        for (name, rhs) in grammar {
            guard let docs = documented[name] else {
                XCTFail("grammar production '\(name)' has no function documented with '/// \(name) -> …'")
                continue
            }
            XCTAssertEqual(docs, [rhs], "production '\(name)' differs between grammar/aq.ebnf and its doc comment")
        }
        let names = Set(grammar.map(\.0))
        for name in documented.keys where !names.contains(name) {
            XCTFail("doc comment production '\(name)' is missing from grammar/aq.ebnf")
        }
    }

    func testEveryReferencedRuleIsDefined() throws {
        let grammar = try grammarProductions()
        let names = Set(grammar.map(\.0))
        XCTAssertEqual(names.count, grammar.count, "a production is defined twice")
        for (name, rhs) in grammar {
            // Drop quoted text and descriptions, then look at the lower-case words left.
            var bare = ""
            var inQuote: Character?
            for c in rhs {
                if let q = inQuote {
                    if c == q { inQuote = nil }
                } else if c == "\"" || c == "'" || c == "?" {
                    inQuote = c
                } else {
                    bare.append(c)
                }
            }
            for word in bare.split(whereSeparator: { !($0.isLetter || $0 == "_") }) {
                let word = String(word)
                guard word.first?.isLowercase == true else { continue }
                XCTAssertTrue(names.contains(word), "'\(word)' used in '\(name)' is not defined")
            }
        }
    }

    func testReservedWordsListedInTheGrammarAreTheReservedKeywords() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("grammar/aq.ebnf"), encoding: .utf8)
        guard let start = text.range(of: "The reserved keywords are "),
              let end = text.range(of: ".", range: start.upperBound..<text.endIndex) else {
            return XCTFail("the grammar does not list the reserved keywords")
        }
        let listed = Set(text[start.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).map(String.init))
        let reserved = Set(Keyword.allCases.filter(\.isReserved).map(\.rawValue))
        XCTAssertEqual(listed, reserved)
    }
}
