/// A position in a flow file, 1-based like compilers and editors expect.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let start = SourceLocation(line: 1, column: 1)

    public var description: String { "\(line):\(column)" }
}

/// How bad a problem is: errors make a flow unusable, warnings point at traps.
public enum Severity: String, Sendable, Codable, Comparable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
}

/// One problem found in a flow file: where it is, the property path, and what would be right.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let severity: Severity
    /// The property path inside the flow, for example `tasks[2].retry.interval`; empty for the document itself.
    public let path: String
    public let message: String

    public init(file: String, location: SourceLocation, severity: Severity, path: String, message: String) {
        self.file = file
        self.line = location.line
        self.column = location.column
        self.severity = severity
        self.path = path
        self.message = message
    }

    public var location: SourceLocation { SourceLocation(line: line, column: column) }

    /// The compiler convention (`file:line:col: error: message`) that editors and CI logs understand.
    public var description: String {
        let position = path.isEmpty ? "" : " (at \(path))"
        return "\(file):\(line):\(column): \(severity.rawValue): \(message)\(position)"
    }
}
