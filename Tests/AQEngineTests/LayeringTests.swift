// The folders of AQEngine form a stack (docs/architecture.md): a file may use the types of
// its own folder and of the folders below it, never of one above. This test reads the
// sources, finds where each top-level type is declared, and fails on any upward use.

import Foundation
import XCTest

final class LayeringTests: XCTestCase {
    /// Bottom to top; keep in step with the table in docs/architecture.md.
    static let stack = ["Types", "Text", "Store", "Runtime", "Ingest", "Persist", "Functions", "Plan", "Expressions",
                        "Binder", "Optimizer", "Operators", "Export", "Translate", "Session"]

    /// Upward uses not yet removed, as "Folder/File.swift uses Type". The test also fails
    /// when one of these no longer occurs, so the list only shrinks.
    static let knownUpwardUses: Set<String> = []

    func testEveryFolderIsInTheStack() throws {
        let folders = try Set(sourceFiles().map(\.folder))
        XCTAssertEqual(folders.subtracting(Self.stack), [], "add new folders to LayeringTests.stack and docs/architecture.md")
        XCTAssertEqual(Set(Self.stack).subtracting(folders), [], "a folder of the stack is gone")
    }

    func testNoFileUsesATypeFromAFolderAboveItsOwn() throws {
        let files = try sourceFiles()
        var home: [String: String] = [:]
        for file in files {
            for name in Self.topLevelTypes(in: file.text) where home[name] == nil { home[name] = file.folder }
        }
        let rank = Dictionary(uniqueKeysWithValues: Self.stack.enumerated().map { ($1, $0) })
        var found: Set<String> = []
        for file in files {
            guard let own = rank[file.folder] else { continue }
            for name in Self.identifiers(in: Self.code(of: file.text)) {
                guard let folder = home[name], let other = rank[folder], other > own else { continue }
                found.insert("\(file.folder)/\(file.name) uses \(name)")
            }
        }
        let unexpected = found.subtracting(Self.knownUpwardUses).sorted()
        XCTAssertEqual(unexpected, [], "these files reach up the stack; move the type down or the code up")
        let gone = Self.knownUpwardUses.subtracting(found).sorted()
        XCTAssertEqual(gone, [], "remove these from LayeringTests.knownUpwardUses")
    }

    /// The scanner itself: a use from below is reported, comments and strings are not code.
    func testTheScanSeesTypesAndIgnoresCommentsAndStrings() {
        XCTAssertEqual(Self.topLevelTypes(in: "public final class A {\n    struct Nested {}\n}\nenum B: Int {}\n"), ["A", "B"])
        let code = Self.code(of: "let x = Foo() // Bar\n/* Baz */ let s = \"Qux \\\"Q\\\"\"")
        XCTAssertEqual(Self.identifiers(in: code), ["Foo"])
    }

    // MARK: - Reading the sources

    struct SourceFile { var folder: String; var name: String; var text: String }

    func sourceFiles() throws -> [SourceFile] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/AQEngine").standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw XCTSkip("no sources at \(root.path)")
        }
        var files: [SourceFile] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = url.path.dropFirst(root.path.count + 1)
            guard let folder = relative.split(separator: "/").first, relative.contains("/") else { continue }
            files.append(SourceFile(folder: String(folder), name: url.lastPathComponent,
                                    text: try String(contentsOf: url, encoding: .utf8)))
        }
        XCTAssertGreaterThan(files.count, 50)
        return files
    }

    /// Names declared at the start of a line (so not nested): struct, class, enum, protocol,
    /// actor, typealias, after any attributes and modifiers. Private ones are not shared.
    static func topLevelTypes(in text: String) -> [String] {
        let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "actor", "typealias"]
        let modifiers: Set<Substring> = ["public", "internal", "package", "final", "indirect", "open"]
        var names: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let first = line.first, !first.isWhitespace else { continue }
            var words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "<" || $0 == "{" })[...]
            while let w = words.first, w.hasPrefix("@") || modifiers.contains(w) { words = words.dropFirst() }
            guard let kind = words.first, kinds.contains(kind), let name = words.dropFirst().first,
                  name.first?.isUppercase == true else { continue }
            names.append(String(name))
        }
        return names
    }

    /// The text with comments and string literals blanked out.
    static func code(of text: String) -> String {
        var out = "", chars = Array(text), i = 0
        while i < chars.count {
            let c = chars[i], next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "/" && next == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
            } else if c == "/" && next == "*" {
                i += 2
                while i + 1 < chars.count && !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
            } else if c == "\"" {
                i += 1
                while i < chars.count && chars[i] != "\"" && chars[i] != "\n" {
                    i += chars[i] == "\\" ? 2 : 1
                }
                i += 1
                out.append(" ")
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// Capitalized identifiers in code.
    static func identifiers(in code: String) -> Set<String> {
        var names: Set<String> = [], current = ""
        for c in code + " " {
            if c.isLetter || c.isNumber || c == "_" { current.append(c); continue }
            if let f = current.first, f.isUppercase { names.insert(current) }
            current = ""
        }
        return names
    }
}
