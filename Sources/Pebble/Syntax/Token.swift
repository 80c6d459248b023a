/// A position in a template: 1-based line and column, and the offset in Unicode scalars.
struct SourcePosition: Sendable, Hashable {
    let line: Int
    let column: Int
    let offset: Int

    static let start = SourcePosition(line: 1, column: 1, offset: 0)
}

/// Literal text or the source of an embedded expression, in an interpolated string.
enum InterpolationPart: Sendable, Equatable {
    case text(String)
    case expression(String, SourcePosition)
}

/// One lexical token of a template.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case text(String)
        /// `{{`, with `-` whitespace control when `trim` is set.
        case printOpen(trim: Bool)
        case printClose(trim: Bool)
        case tagOpen(trim: Bool)
        case tagClose(trim: Bool)
        case name(String)
        case integer(Int64)
        case decimal(Double)
        case string(String)
        /// A double-quoted string with `#{expression}` parts (Pebble's string interpolation).
        case interpolated([InterpolationPart])
        /// Operators and punctuation: `+`, `??`, `(`, `,` …
        case symbol(String)
        case end
    }

    let kind: Kind
    let position: SourcePosition

    var describe: String {
        switch kind {
        case .text: "text"
        case .printOpen: "`{{`"
        case .printClose: "`}}`"
        case .tagOpen: "`{%`"
        case .tagClose: "`%}`"
        case .name(let name): "`\(name)`"
        case .integer(let value): "`\(value)`"
        case .decimal(let value): "`\(value)`"
        case .string(let value): "the string '\(value)'"
        case .interpolated: "an interpolated string"
        case .symbol(let symbol): "`\(symbol)`"
        case .end: "the end of the template"
        }
    }
}
