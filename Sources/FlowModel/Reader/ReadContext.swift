import Pebble

/// Collects the diagnostics of one file while the reader walks it.
final class ReadContext {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Every task id seen so far, for the flow-wide uniqueness rule.
    var taskIDs: [(id: String, location: SourceLocation, path: String)] = []
    /// Where each input's `dependsOn` key and its listed input names are written, by input path, for precise errors.
    var dependencyLocations: [String: (key: SourceLocation, names: [SourceLocation])] = [:]

    init(file: String) {
        self.file = file
    }

    func error(_ location: SourceLocation, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .error, path: path, message: message))
    }

    func warning(_ location: SourceLocation, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .warning, path: path, message: message))
    }

    /// Reports structural problems of any Pebble template in `text`.
    func checkTemplate(_ text: String, at location: SourceLocation, path: String) {
        guard TemplateSyntax.containsTemplate(text) else { return }
        for problem in TemplateSyntax.check(text) {
            error(
                location, path,
                "invalid expression in `\(Path.lastComponent(path))`: \(problem.message) (at character \(problem.offset + 1) of the value)")
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
