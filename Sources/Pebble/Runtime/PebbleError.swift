/// Why a template could not be parsed or rendered, and where in the template.
public struct PebbleError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The template text is malformed.
        case syntax
        /// A name is not defined (Kestra renders with strict variables).
        case undefined
        /// An unknown filter, function or test.
        case unknown
        /// A value of the wrong type, a bad argument, a failed conversion.
        case evaluation
        /// Too deep, too long, too big: refused rather than evaluated for ever.
        case limit
    }

    public let kind: Kind
    public let message: String
    /// 1-based line and column in the template.
    public let line: Int
    public let column: Int
    /// Offset in Unicode scalars from the start of the template, so callers can map it into a larger file.
    public let offset: Int

    public init(_ kind: Kind, _ message: String, line: Int = 0, column: Int = 0, offset: Int = 0) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String {
        line > 0 ? "\(message) (line \(line), column \(column))" : message
    }

    /// The same error placed at a position, unless it already has one.
    func located(at position: SourcePosition) -> PebbleError {
        line > 0 ? self : PebbleError(kind, message, line: position.line, column: position.column, offset: position.offset)
    }
}
