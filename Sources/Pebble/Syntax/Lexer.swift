/// Splits a template into text and the tokens of its `{{ }}` and `{% %}` parts, as Pebble's lexer does.
struct Lexer {
    private let chars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private var tokens: [Token] = []
    private var brackets: [(Unicode.Scalar, SourcePosition)] = []
    /// Set by `-#}`: the text after a comment loses its leading whitespace.
    private var trimFollowingText = false

    static let symbols = [
        "???", "??", "==", "!=", "<=", ">=", "..", "+", "-", "*", "/", "%", "~", "<", ">", "|", "?", ":", "=", ".", ",", "(", ")",
        "[", "]", "{", "}",
    ]

    init(_ template: String) {
        chars = Array(template.unicodeScalars)
    }

    static func tokenize(_ template: String) throws(PebbleError) -> [Token] {
        var lexer = Lexer(template)
        try lexer.run()
        return lexer.tokens
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column, offset: index) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    private func starts(with text: String) -> Bool {
        var offset = 0
        for scalar in text.unicodeScalars {
            guard peek(offset) == scalar else { return false }
            offset += 1
        }
        return true
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < chars.count {
            if chars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    private func error(_ message: String, at position: SourcePosition) -> PebbleError {
        PebbleError(.syntax, message, line: position.line, column: position.column, offset: position.offset)
    }

    private mutating func run() throws(PebbleError) {
        var text = ""
        var textStart = position
        func flush(_ lexer: inout Lexer) {
            if lexer.trimFollowingText {
                text = String(text.drop { $0.isWhitespace })
                lexer.trimFollowingText = false
            }
            if !text.isEmpty { lexer.tokens.append(Token(kind: .text(text), position: textStart)) }
            text = ""
        }
        while index < chars.count {
            if chars[index] == "{", let next = peek(1), next == "{" || next == "%" || next == "#" {
                flush(&self)
                let start = position
                if next == "#" {
                    advance(2)
                    // `{#-` and `-#}` trim like the other delimiters.
                    if peek() == "-", let last = tokens.last, case .text(let before) = last.kind {
                        tokens[tokens.count - 1] = Token(
                            kind: .text(String(before.reversed().drop { $0.isWhitespace }.reversed())), position: last.position)
                    }
                    while index < chars.count, !starts(with: "#}") { advance() }
                    guard index < chars.count else { throw error("the comment `{#` is never closed with `#}`", at: start) }
                    trimFollowingText = index > 0 && chars[index - 1] == "-"
                    advance(2)
                } else {
                    try lexCode(print: next == "{")
                }
                textStart = position
                continue
            }
            text.unicodeScalars.append(chars[index])
            advance()
        }
        flush(&self)
        tokens.append(Token(kind: .end, position: position))
    }

    /// Lexes one `{{ … }}` or `{% … %}` part, and a `raw`/`verbatim` block's content as text.
    private mutating func lexCode(print: Bool) throws(PebbleError) {
        let start = position
        advance(2)
        var trim = false
        // `{{-5}}` prints -5: in Pebble a trim marker after `{{` needs whitespace behind it.
        if peek() == "-", !print || peek(1).map({ $0.properties.isWhitespace }) == true {
            trim = true
            advance()
        }
        tokens.append(Token(kind: print ? .printOpen(trim: trim) : .tagOpen(trim: trim), position: start))
        let firstToken = tokens.count
        brackets.removeAll()
        let closer: Unicode.Scalar = print ? "}" : "%"
        while true {
            while let char = peek(), char.properties.isWhitespace { advance() }
            guard let char = peek() else {
                if let (bracket, where_) = brackets.last {
                    throw error("`\(bracket)` is never closed", at: where_)
                }
                throw error(print ? "`{{` is never closed with `}}`" : "`{%` is never closed with `%}`", at: start)
            }
            let closesHere = (char == closer && peek(1) == "}") || (char == "-" && peek(1) == closer && peek(2) == "}")
            if closesHere, let (bracket, opened) = brackets.last, bracket != "{" {
                throw error("`\(bracket)` is never closed before `\(print ? "}}" : "%}")`", at: opened)
            }
            if brackets.isEmpty {
                let closePosition = position
                if char == "-", peek(1) == closer, peek(2) == "}" {
                    advance(3)
                    tokens.append(Token(kind: print ? .printClose(trim: true) : .tagClose(trim: true), position: closePosition))
                    break
                }
                if char == closer, peek(1) == "}" {
                    advance(2)
                    tokens.append(Token(kind: print ? .printClose(trim: false) : .tagClose(trim: false), position: closePosition))
                    break
                }
            }
            try lexToken()
        }
        if !print, case .name(let name) = tokens[safe: firstToken]?.kind, name == "raw" || name == "verbatim",
            tokens.count == firstToken + 2
        {
            try lexVerbatim(end: name == "raw" ? "endraw" : "endverbatim", openedAt: start)
        }
    }

    private mutating func lexVerbatim(end: String, openedAt start: SourcePosition) throws(PebbleError) {
        let textStart = position
        var text = ""
        while index < chars.count {
            if starts(with: "{%") {
                var probe = 2
                if peek(probe) == "-" { probe += 1 }
                while let char = peek(probe), char.properties.isWhitespace { probe += 1 }
                var word = ""
                while let char = peek(probe), char.properties.isAlphabetic {
                    word.unicodeScalars.append(char)
                    probe += 1
                }
                if word == end {
                    tokens.append(Token(kind: .text(text), position: textStart))
                    try lexCode(print: false)
                    return
                }
            }
            text.unicodeScalars.append(chars[index])
            advance()
        }
        let opened = end == "endraw" ? "raw" : "verbatim"
        throw error("`{% \(opened) %}` is never closed with `{% \(end) %}`", at: start)
    }

    /// A string literal. As in Pebble, the only escape is the string's own quote (`\'` or `\"`); any other backslash
    /// stays as written, and double-quoted strings interpolate `#{expression}`.
    private mutating func lexString(quote: Unicode.Scalar, start: SourcePosition) throws(PebbleError) {
        advance()
        var parts: [InterpolationPart] = []
        var value = ""
        while true {
            guard let next = peek() else { throw error("a string literal starting with \(quote) is never closed", at: start) }
            if next == quote {
                advance()
                break
            }
            if next == "\\", peek(1) == quote {
                value.unicodeScalars.append(quote)
                advance(2)
                continue
            }
            if quote == "\"", next == "#", peek(1) == "{" {
                let expressionStart = position
                advance(2)
                var depth = 0
                var source = ""
                var inQuote: Unicode.Scalar?
                while true {
                    guard let inner = peek() else { throw error("the interpolation `#{` is never closed with `}`", at: expressionStart) }
                    if let open = inQuote {
                        if inner == open { inQuote = nil }
                    } else if inner == "'" {
                        inQuote = inner
                    } else if inner == "{" {
                        depth += 1
                    } else if inner == "}" {
                        if depth == 0 { break }
                        depth -= 1
                    } else if inner == "\"" {
                        throw error("the interpolation `#{` is never closed with `}`", at: expressionStart)
                    }
                    source.unicodeScalars.append(inner)
                    advance()
                }
                advance()
                if !value.isEmpty { parts.append(.text(value)) }
                value = ""
                parts.append(.expression(source, expressionStart))
                continue
            }
            value.unicodeScalars.append(next)
            advance()
        }
        if parts.isEmpty {
            tokens.append(Token(kind: .string(value), position: start))
        } else {
            if !value.isEmpty { parts.append(.text(value)) }
            tokens.append(Token(kind: .interpolated(parts), position: start))
        }
    }

    private mutating func lexToken() throws(PebbleError) {
        let start = position
        let char = chars[index]
        if char.properties.isAlphabetic || char == "_" {
            var name = ""
            while let next = peek(), next.properties.isAlphabetic || next == "_" || ("0"..."9").contains(next) {
                name.unicodeScalars.append(next)
                advance()
            }
            tokens.append(Token(kind: .name(name), position: start))
            return
        }
        if ("0"..."9").contains(char) {
            var digits = ""
            while let next = peek(), ("0"..."9").contains(next) {
                digits.unicodeScalars.append(next)
                advance()
            }
            if peek() == ".", let after = peek(1), ("0"..."9").contains(after) {
                digits += "."
                advance()
                while let next = peek(), ("0"..."9").contains(next) {
                    digits.unicodeScalars.append(next)
                    advance()
                }
                guard let value = Double(digits) else { throw error("`\(digits)` is not a number", at: start) }
                tokens.append(Token(kind: .decimal(value), position: start))
            } else {
                guard let value = Int64(digits) else { throw error("the number `\(digits)` is too large", at: start) }
                // Java's long suffix, which Pebble accepts: `10L`.
                if peek() == "L" || peek() == "l", !(peek(1).map { $0.properties.isAlphabetic || ("0"..."9").contains($0) } ?? false) {
                    advance()
                }
                tokens.append(Token(kind: .integer(value), position: start))
            }
            return
        }
        if char == "'" || char == "\"" {
            try lexString(quote: char, start: start)
            return
        }
        for symbol in Self.symbols where starts(with: symbol) {
            switch symbol {
            case "(", "[", "{":
                brackets.append((char, start))
            case ")", "]", "}":
                let expected: Unicode.Scalar = symbol == ")" ? "(" : symbol == "]" ? "[" : "{"
                guard let last = brackets.last, last.0 == expected else {
                    throw error("`\(symbol)` has no matching `\(expected)`", at: start)
                }
                brackets.removeLast()
            default:
                break
            }
            advance(symbol.unicodeScalars.count)
            tokens.append(Token(kind: .symbol(symbol), position: start))
            return
        }
        throw error("unexpected character `\(char)`", at: start)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
