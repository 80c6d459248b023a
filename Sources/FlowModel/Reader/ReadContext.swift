import Pebble

/// Collects the diagnostics of one file while the reader walks it.
final class ReadContext {
    let file: String
    /// The file's lines, to place problems found inside a scalar's value.
    let lines: [Substring]
    private(set) var diagnostics: [Diagnostic] = []
    /// Every task id seen so far, for the flow-wide uniqueness rule.
    var taskIDs: [(id: String, location: SourceLocation, path: String)] = []
    /// Where each input's `dependsOn` key and its listed input names are written, by input path, for precise errors.
    var dependencyLocations: [String: (key: SourceLocation, names: [SourceLocation])] = [:]

    init(file: String, text: String = "") {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func error(_ location: SourceLocation, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .error, path: path, message: message))
    }

    func warning(_ location: SourceLocation, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .warning, path: path, message: message))
    }

    /// Reports a Pebble syntax error in a scalar at its own line and column in the file.
    func checkTemplate(_ scalar: YAMLScalar, path: String) {
        guard TemplateSyntax.containsTemplate(scalar.value) else { return }
        for problem in TemplateSyntax.check(scalar.value) {
            let location = fileLocation(of: problem.offset, in: scalar)
            var message = "invalid expression in `\(Path.lastComponent(path))`: \(problem.message)"
            if location == nil { message += " (at character \(problem.offset + 1) of the value)" }
            error(location ?? scalar.location, path, message)
        }
    }

    /// Where the `offset`-th character of a scalar's value stands in the file, when the value maps onto the text
    /// one to one: single-line plain and quoted scalars without escapes, and literal (`|`) blocks.
    func fileLocation(of offset: Int, in scalar: YAMLScalar) -> SourceLocation? {
        let value = Array(scalar.value.unicodeScalars)
        guard offset <= value.count else { return nil }
        switch scalar.style {
        case .plain, .singleQuoted, .doubleQuoted:
            guard !scalar.value.contains("\n"), scalar.style != .doubleQuoted || !scalar.value.contains("\\"),
                scalar.style != .singleQuoted || !scalar.value.contains("'")
            else { return nil }
            // A written line that is longer than the value means folding or escapes changed it: do not guess.
            guard let line = lines[safe: scalar.location.line - 1] else { return nil }
            let quote = scalar.style == .plain ? 0 : 1
            let start = scalar.location.column - 1 + quote
            let written = Array(line.unicodeScalars)
            guard start + value.count <= written.count, Array(written[start..<(start + value.count)]) == value else { return nil }
            return SourceLocation(line: scalar.location.line, column: scalar.location.column + quote + offset)
        case .literal:
            let before = value[..<offset]
            let lineIndex = before.filter { $0 == "\n" }.count
            let column = before.count - (before.lastIndex(of: "\n").map { $0 + 1 } ?? 0)
            // The block's content starts on the line after the `|` indicator, at the block's indentation.
            let fileLine = scalar.location.line + 1 + lineIndex
            guard let text = lines[safe: fileLine - 1] else { return nil }
            let indentation = text.unicodeScalars.prefix { $0 == " " }.count
            return SourceLocation(line: fileLine, column: indentation + column + 1)
        case .folded:
            return nil
        }
    }
}

/// Property paths as people write them: `tasks[2].retry.interval`.
enum Path {
    static func child(_ parent: String, _ name: String) -> String {
        parent.isEmpty ? name : "\(parent).\(name)"
    }

    static func index(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }

    static func lastComponent(_ path: String) -> String {
        var last = Substring(path.split(separator: ".").last ?? Substring(path))
        while let bracket = last.lastIndex(of: "["), last.hasSuffix("]") {
            let head = last[..<bracket]
            if head.isEmpty { break }
            last = head
        }
        return String(last)
    }
}
