import Foundation

/// A jq interpreter for Kestra's `jq` filter, which runs jackson-jq in jq 1.6 mode. This file reads programs:
/// tokens, then a tree of ``Jq/Node``s; `JqInterpreter.swift` evaluates them.
enum Jq {
    /// A syntax or runtime error at a position of the program (0-based, in Unicode scalars).
    struct Failure: Error {
        let message: String
        let position: Int
        /// What `try … catch` hands to the handler: the argument of `error(…)`, or the message.
        let value: PebbleValue

        init(_ message: String, at position: Int, value: PebbleValue? = nil) {
            self.message = message
            self.position = position
            self.value = value ?? .string(message)
        }
    }

    /// A resource limit was hit; unlike ``Failure`` it cannot be caught by `try` or `?`.
    struct LimitExceeded: Error {
        let message: String
    }

    static let maximumProgramLength = 10_000
    static let maximumNesting = 64
}

// MARK: - Tokens

extension Jq {
    struct Token {
        enum Kind {
            case identifier(String)
            case keyword(String)
            /// `.name`
            case field(String)
            /// `$name`
            case variable(String)
            case number(PebbleValue)
            case string([StringPart])
            /// `@base64`
            case format(String)
            case symbol(String)
            case end
        }

        let kind: Kind
        let position: Int

        var symbol: String? {
            if case .symbol(let text) = kind { return text }
            return nil
        }

        var keyword: String? {
            if case .keyword(let text) = kind { return text }
            return nil
        }
    }

    enum StringPart {
        case literal(String)
        case interpolation([Token], position: Int)
    }

    static let keywords: Set<String> = [
        "def", "as", "if", "then", "elif", "else", "end", "reduce", "foreach", "try", "catch", "label", "import", "include", "and", "or",
        "__loc__",
    ]

    /// Splits a program into tokens; string interpolations `\(…)` are lexed into nested token lists.
    struct Lexer {
        let text: [Unicode.Scalar]
        var index = 0
        var depth = 0

        init(_ program: String) {
            text = Array(program.unicodeScalars)
        }

        static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" }
        static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || ("0"..."9").contains(c) }

        var current: Unicode.Scalar? { index < text.count ? text[index] : nil }

        func peek(_ offset: Int) -> Unicode.Scalar? { index + offset < text.count ? text[index + offset] : nil }

        /// Tokens up to the end, or up to the `)` that closes an interpolation when `untilClosingParen`.
        mutating func tokens(untilClosingParen: Bool = false) throws(Failure) -> [Token] {
            var result: [Token] = []
            var parens = 0
            while true {
                skipSpaceAndComments()
                guard let c = current else {
                    if untilClosingParen { throw Failure("unterminated string interpolation", at: index) }
                    result.append(Token(kind: .end, position: index))
                    return result
                }
                let start = index
                if untilClosingParen {
                    if c == "(" { parens += 1 }
                    if c == ")" {
                        if parens == 0 {
                            index += 1
                            result.append(Token(kind: .end, position: start))
                            return result
                        }
                        parens -= 1
                    }
                }
                if c == "\"" {
                    result.append(Token(kind: .string(try string()), position: start))
                } else if c == "." && peek(1).map(Lexer.isIdentifierStart) == true {
                    index += 1
                    result.append(Token(kind: .field(identifier()), position: start))
                } else if c == "." && peek(1) == "." {
                    index += 2
                    result.append(Token(kind: .symbol(".."), position: start))
                } else if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
                    result.append(Token(kind: .number(try number()), position: start))
                } else if c == "$" && peek(1).map(Lexer.isIdentifierStart) == true {
                    index += 1
                    result.append(Token(kind: .variable(identifier()), position: start))
                } else if c == "@" && peek(1).map(Lexer.isIdentifierStart) == true {
                    index += 1
                    result.append(Token(kind: .format(identifier()), position: start))
                } else if Lexer.isIdentifierStart(c) {
                    let name = identifier()
                    result.append(Token(kind: Jq.keywords.contains(name) ? .keyword(name) : .identifier(name), position: start))
                } else {
                    result.append(Token(kind: .symbol(try symbol()), position: start))
                }
            }
        }

        mutating func skipSpaceAndComments() {
            while let c = current {
                if c == " " || c == "\t" || c == "\n" || c == "\r" {
                    index += 1
                } else if c == "#" {
                    while let d = current, d != "\n" { index += 1 }
                } else {
                    return
                }
            }
        }

        mutating func identifier() -> String {
            var name = ""
            while let c = current, Lexer.isIdentifierPart(c) || (c == ":" && peek(1) == ":" && peek(2).map(Lexer.isIdentifierStart) == true) {
                if c == ":" {
                    name += "::"
                    index += 2
                } else {
                    name.unicodeScalars.append(c)
                    index += 1
                }
            }
            return name
        }

        mutating func number() throws(Failure) -> PebbleValue {
            let start = index
            var text = ""
            while let c = current, ("0"..."9").contains(c) {
                text.unicodeScalars.append(c)
                index += 1
            }
            if current == "." {
                text += "."
                index += 1
                while let c = current, ("0"..."9").contains(c) {
                    text.unicodeScalars.append(c)
                    index += 1
                }
            }
            if let c = current, c == "e" || c == "E" {
                var exponent = "e"
                var probe = index + 1
                if probe < self.text.count, self.text[probe] == "+" || self.text[probe] == "-" {
                    exponent.unicodeScalars.append(self.text[probe])
                    probe += 1
                }
                var digits = 0
                while probe < self.text.count, ("0"..."9").contains(self.text[probe]) {
                    exponent.unicodeScalars.append(self.text[probe])
                    probe += 1
                    digits += 1
                }
                if digits > 0 {
                    text += exponent
                    index = probe
                }
            }
            guard let value = Double(text.hasPrefix(".") ? "0" + text : (text.hasSuffix(".") ? text + "0" : text)) else {
                throw Failure("invalid number literal \(text)", at: start)
            }
            return Jq.number(value)
        }

        mutating func symbol() throws(Failure) -> String {
            for candidate in ["?//", "//=", "|=", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">=", "//"] {
                let scalars = Array(candidate.unicodeScalars)
                if index + scalars.count <= text.count, Array(text[index..<(index + scalars.count)]) == scalars {
                    index += scalars.count
                    return candidate
                }
            }
            let c = text[index]
            guard ".[]{}()|,:;=<>+-*/%?$".unicodeScalars.contains(c) else {
                throw Failure("unexpected character '\(c)'", at: index)
            }
            index += 1
            return String(c)
        }

        /// A string literal with its escapes and interpolations.
        mutating func string() throws(Failure) -> [StringPart] {
            let start = index
            index += 1
            var parts: [StringPart] = []
            var literal = ""
            while true {
                guard let c = current else { throw Failure("unterminated string", at: start) }
                index += 1
                if c == "\"" { break }
                guard c == "\\" else {
                    literal.unicodeScalars.append(c)
                    continue
                }
                guard let escape = current else { throw Failure("unterminated string", at: start) }
                index += 1
                switch escape {
                case "\"": literal += "\""
                case "\\": literal += "\\"
                case "/": literal += "/"
                case "b": literal += "\u{08}"
                case "f": literal += "\u{0C}"
                case "n": literal += "\n"
                case "r": literal += "\r"
                case "t": literal += "\t"
                case "u":
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), current == "\\", peek(1) == "u" {
                        index += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) }
                    }
                    literal.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                case "(":
                    if !literal.isEmpty { parts.append(.literal(literal)) }
                    literal = ""
                    depth += 1
                    defer { depth -= 1 }
                    guard depth <= Jq.maximumNesting else { throw Failure("string interpolations nested too deeply", at: index) }
                    let position = index
                    parts.append(.interpolation(try tokens(untilClosingParen: true), position: position))
                default:
                    throw Failure("invalid escape '\\\(escape)' in string", at: index - 2)
                }
            }
            if !literal.isEmpty || parts.isEmpty { parts.append(.literal(literal)) }
            return parts
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let c = current, let digit = Int(String(c), radix: 16) else { throw Failure("invalid \\u escape in string", at: index) }
                value = value * 16 + UInt32(digit)
                index += 1
            }
            return value
        }
    }

    /// jackson-jq's `JsonNodeUtils.asNumericNode`: integral values become integers.
    static func number(_ value: Double) -> PebbleValue {
        if value.isFinite, value.rounded(.towardZero) == value, abs(value) < 9.2e18 { return .int(Int64(value)) }
        return .double(value)
    }
}

// MARK: - Syntax tree

extension Jq {
    final class Node {
        indirect enum Kind {
            case identity
            case recurseAll
            case literal(PebbleValue)
            case string([StringNodePart], format: String?)
            case format(String)
            case index(Node, Node)
            case slice(Node, Node?, Node?)
            case iterate(Node)
            case optional(Node)
            case array(Node?)
            case object([(key: Node, value: Node)])
            case pipe(Node, Node)
            case comma(Node, Node)
            case binary(String, Node, Node)
            case and(Node, Node)
            case or(Node, Node)
            case alternative(Node, Node)
            case negate(Node)
            case variable(String)
            case bind(Node, Pattern, Node)
            case reduce(Node, Pattern, Node, Node)
            case foreach(Node, Pattern, Node, Node, Node?)
            case ifThen([(Node, Node)], Node?)
            case tryCatch(Node, Node?)
            case call(String, [Node])
            case assign(String, Node, Node)
        }

        let kind: Kind
        let position: Int

        init(_ kind: Kind, at position: Int) {
            self.kind = kind
            self.position = position
        }
    }

    enum StringNodePart {
        case literal(String)
        case interpolation(Node)
    }

    /// The target of `as`: `$x`, `[$a, $b]`, `{key: $v, $name, (expr): […]}`.
    indirect enum Pattern {
        case variable(String)
        case array([Pattern])
        /// Each entry: the key, the variable it binds as a whole (`$name`), the pattern its value is matched against.
        case object([(key: Node, variable: String?, pattern: Pattern?)])
    }
}

// MARK: - Parser

extension Jq {
    /// Recursive descent over jq 1.6's grammar, from the loosest operator to the tightest:
    /// `|`, `,`, `//`, assignments, `or`, `and`, comparisons, `+ -`, `* / %`, unary `-`, postfix terms.
    struct Parser {
        let tokens: [Token]
        var index = 0
        var depth = 0
        let stack = StackGuard()

        init(tokens: [Token]) {
            self.tokens = tokens
        }

        static func parse(_ program: String) throws(Failure) -> Node {
            var lexer = Lexer(program)
            var parser = Parser(tokens: try lexer.tokens())
            let node = try parser.parsePipe()
            guard case .end = parser.current.kind else { throw parser.unexpected() }
            return node
        }

        var current: Token { tokens[min(index, tokens.count - 1)] }

        func unexpected(_ expected: String? = nil) -> Failure {
            let found: String
            switch current.kind {
            case .end: found = "end of the program"
            case .identifier(let name), .keyword(let name): found = "'\(name)'"
            case .field(let name): found = "'.\(name)'"
            case .variable(let name): found = "'$\(name)'"
            case .number(let value): found = "'\(value.rendered)'"
            case .string: found = "a string"
            case .format(let name): found = "'@\(name)'"
            case .symbol(let text): found = "'\(text)'"
            }
            return Failure("syntax error: unexpected \(found)" + (expected.map { ", expected \($0)" } ?? ""), at: current.position)
        }

        mutating func advance() { index += 1 }

        mutating func take(_ symbol: String) -> Bool {
            if current.symbol == symbol {
                advance()
                return true
            }
            return false
        }

        mutating func expect(_ symbol: String) throws(Failure) {
            guard take(symbol) else { throw unexpected("'\(symbol)'") }
        }

        mutating func expectKeyword(_ keyword: String) throws(Failure) {
            guard current.keyword == keyword else { throw unexpected("'\(keyword)'") }
            advance()
        }

        mutating func nested<T>(_ body: (inout Parser) throws(Failure) -> T) throws(Failure) -> T {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Jq.maximumNesting, stack.hasRoom else { throw Failure("the program is nested too deeply", at: current.position) }
            return try body(&self)
        }

        mutating func parsePipe() throws(Failure) -> Node {
            try nested { (parser: inout Parser) throws(Failure) -> Node in
                if parser.current.keyword == "def" {
                    throw Failure("function definitions (def) are not supported", at: parser.current.position)
                }
                let left = try parser.parseComma()
                if parser.current.symbol == "|" {
                    let position = parser.current.position
                    parser.advance()
                    return Node(.pipe(left, try parser.parsePipe()), at: position)
                }
                return left
            }
        }

        mutating func parseComma() throws(Failure) -> Node {
            var left = try parseAlternative()
            while current.symbol == "," {
                let position = current.position
                advance()
                left = Node(.comma(left, try parseAlternative()), at: position)
            }
            return left
        }

        mutating func parseAlternative() throws(Failure) -> Node {
            let left = try parseAssignment()
            if current.symbol == "//" {
                let position = current.position
                advance()
                return Node(.alternative(left, try nested { (p: inout Parser) throws(Failure) in try p.parseAlternative() }), at: position)
            }
            return left
        }

        mutating func parseAssignment() throws(Failure) -> Node {
            let left = try parseOr()
            if let op = current.symbol, ["=", "|=", "+=", "-=", "*=", "/=", "%=", "//="].contains(op) {
                let position = current.position
                advance()
                return Node(.assign(op, left, try nested { (p: inout Parser) throws(Failure) in try p.parseAlternative() }), at: position)
            }
            return left
        }

        mutating func parseOr() throws(Failure) -> Node {
            var left = try parseAnd()
            while current.keyword == "or" {
                let position = current.position
                advance()
                left = Node(.or(left, try parseAnd()), at: position)
            }
            return left
        }

        mutating func parseAnd() throws(Failure) -> Node {
            var left = try parseComparison()
            while current.keyword == "and" {
                let position = current.position
                advance()
                left = Node(.and(left, try parseComparison()), at: position)
            }
            return left
        }

        mutating func parseComparison() throws(Failure) -> Node {
            let left = try parseAdditive()
            if let op = current.symbol, ["==", "!=", "<", "<=", ">", ">="].contains(op) {
                let position = current.position
                advance()
                let node = Node(.binary(op, left, try parseAdditive()), at: position)
                if let next = current.symbol, ["==", "!=", "<", "<=", ">", ">="].contains(next) { throw unexpected() }
                return node
            }
            return left
        }

        mutating func parseAdditive() throws(Failure) -> Node {
            var left = try parseMultiplicative()
            while let op = current.symbol, op == "+" || op == "-" {
                let position = current.position
                advance()
                left = Node(.binary(op, left, try parseMultiplicative()), at: position)
            }
            return left
        }

        mutating func parseMultiplicative() throws(Failure) -> Node {
            var left = try parseUnary()
            while let op = current.symbol, op == "*" || op == "/" || op == "%" {
                let position = current.position
                advance()
                left = Node(.binary(op, left, try parseUnary()), at: position)
            }
            return left
        }

        mutating func parseUnary() throws(Failure) -> Node {
            if current.symbol == "-" {
                let position = current.position
                advance()
                return Node(.negate(try nested { (p: inout Parser) throws(Failure) in try p.parseUnary() }), at: position)
            }
            return try parsePostfix(allowBinding: true)
        }

        /// A term and its suffixes: `.name`, `."name"`, `[…]`, `?`, and `as $x | …`.
        mutating func parsePostfix(allowBinding: Bool) throws(Failure) -> Node {
            var term = try parsePrimary()
            while true {
                switch current.kind {
                case .field(let name):
                    term = Node(.index(term, Node(.literal(.string(name)), at: current.position)), at: current.position)
                    advance()
                case .symbol("."):
                    let position = current.position
                    advance()
                    if case .string(let parts) = current.kind {
                        let key = try stringNode(parts, format: nil, at: current.position)
                        advance()
                        term = Node(.index(term, key), at: position)
                    } else if current.symbol == "[" {
                        term = try parseBracketSuffix(term)
                    } else {
                        throw unexpected("a field name")
                    }
                case .symbol("["):
                    term = try parseBracketSuffix(term)
                case .symbol("?"):
                    term = Node(.optional(term), at: current.position)
                    advance()
                case .keyword("as") where allowBinding:
                    let position = current.position
                    advance()
                    let pattern = try parsePattern()
                    try expect("|")
                    return Node(.bind(term, pattern, try parsePipe()), at: position)
                default:
                    return term
                }
            }
        }

        mutating func parseBracketSuffix(_ term: Node) throws(Failure) -> Node {
            let position = current.position
            try expect("[")
            if take("]") { return Node(.iterate(term), at: position) }
            if take(":") {
                let to = try parsePipe()
                try expect("]")
                return Node(.slice(term, nil, to), at: position)
            }
            let first = try parsePipe()
            if take(":") {
                if take("]") { return Node(.slice(term, first, nil), at: position) }
                let to = try parsePipe()
                try expect("]")
                return Node(.slice(term, first, to), at: position)
            }
            try expect("]")
            return Node(.index(term, first), at: position)
        }

        mutating func stringNode(_ parts: [StringPart], format: String?, at position: Int) throws(Failure) -> Node {
            var nodes: [StringNodePart] = []
            for part in parts {
                switch part {
                case .literal(let text): nodes.append(.literal(text))
                case .interpolation(let tokens, let start):
                    var parser = Parser(tokens: tokens)
                    parser.depth = depth + 1
                    guard parser.depth <= Jq.maximumNesting else { throw Failure("the program is nested too deeply", at: start) }
                    let node = try parser.parsePipe()
                    guard case .end = parser.current.kind else { throw parser.unexpected("')'") }
                    nodes.append(.interpolation(node))
                }
            }
            if format == nil, nodes.count == 1, case .literal(let text) = nodes[0] {
                return Node(.literal(.string(text)), at: position)
            }
            return Node(.string(nodes, format: format), at: position)
        }

        mutating func parsePrimary() throws(Failure) -> Node {
            let token = current
            let position = token.position
            switch token.kind {
            case .symbol("."):
                advance()
                if case .string(let parts) = current.kind {
                    let key = try stringNode(parts, format: nil, at: current.position)
                    advance()
                    return Node(.index(Node(.identity, at: position), key), at: position)
                }
                return Node(.identity, at: position)
            case .symbol(".."):
                advance()
                return Node(.recurseAll, at: position)
            case .field(let name):
                advance()
                return Node(.index(Node(.identity, at: position), Node(.literal(.string(name)), at: position)), at: position)
            case .number(let value):
                advance()
                return Node(.literal(value), at: position)
            case .string(let parts):
                advance()
                return try stringNode(parts, format: nil, at: position)
            case .format(let name):
                advance()
                if case .string(let parts) = current.kind {
                    advance()
                    return try stringNode(parts, format: name, at: position)
                }
                return Node(.format(name), at: position)
            case .variable(let name):
                advance()
                return Node(.variable(name), at: position)
            case .symbol("("):
                advance()
                let inner = try parsePipe()
                try expect(")")
                return inner
            case .symbol("["):
                advance()
                if take("]") { return Node(.array(nil), at: position) }
                let inner = try parsePipe()
                try expect("]")
                return Node(.array(inner), at: position)
            case .symbol("{"):
                advance()
                return try parseObject(at: position)
            case .keyword("if"):
                advance()
                return try nested { (p: inout Parser) throws(Failure) in try p.parseIf(at: position) }
            case .keyword("try"):
                advance()
                let body = try nested { (p: inout Parser) throws(Failure) in try p.parsePostfix(allowBinding: false) }
                var handler: Node?
                if current.keyword == "catch" {
                    advance()
                    handler = try nested { (p: inout Parser) throws(Failure) in try p.parsePostfix(allowBinding: false) }
                }
                return Node(.tryCatch(body, handler), at: position)
            case .keyword("reduce"), .keyword("foreach"):
                advance()
                let isReduce = token.keyword == "reduce"
                let source = try nested { (p: inout Parser) throws(Failure) in try p.parsePostfix(allowBinding: false) }
                try expectKeyword("as")
                let name = try parsePattern()
                try expect("(")
                let initial = try parsePipe()
                try expect(";")
                let update = try parsePipe()
                var extract: Node?
                if !isReduce, take(";") { extract = try parsePipe() }
                try expect(")")
                return Node(isReduce ? .reduce(source, name, initial, update) : .foreach(source, name, initial, update, extract), at: position)
            case .keyword("def"):
                throw Failure("function definitions (def) are not supported", at: position)
            case .keyword(let word) where word == "label" || word == "import" || word == "include" || word == "__loc__":
                throw Failure("'\(word)' is not supported", at: position)
            case .identifier(let name):
                advance()
                switch name {
                case "true": return Node(.literal(.bool(true)), at: position)
                case "false": return Node(.literal(.bool(false)), at: position)
                case "null": return Node(.literal(.null), at: position)
                default: break
                }
                var arguments: [Node] = []
                if take("(") {
                    repeat {
                        arguments.append(try parsePipe())
                    } while take(";")
                    try expect(")")
                }
                return Node(.call(name, arguments), at: position)
            default:
                throw unexpected()
            }
        }

        mutating func parsePattern() throws(Failure) -> Pattern {
            try nested { (parser: inout Parser) throws(Failure) -> Pattern in
                switch parser.current.kind {
                case .variable(let name):
                    parser.advance()
                    return .variable(name)
                case .symbol("["):
                    parser.advance()
                    var elements: [Pattern] = []
                    repeat {
                        elements.append(try parser.parsePattern())
                    } while parser.take(",")
                    try parser.expect("]")
                    return .array(elements)
                case .symbol("{"):
                    parser.advance()
                    var entries: [(key: Node, variable: String?, pattern: Pattern?)] = []
                    repeat {
                        let position = parser.current.position
                        switch parser.current.kind {
                        case .variable(let name):
                            parser.advance()
                            let nested = parser.take(":") ? try parser.parsePattern() : nil
                            entries.append((Node(.literal(.string(name)), at: position), name, nested))
                        case .identifier(let name), .keyword(let name):
                            parser.advance()
                            try parser.expect(":")
                            entries.append((Node(.literal(.string(name)), at: position), nil, try parser.parsePattern()))
                        case .string(let parts):
                            parser.advance()
                            let key = try parser.stringNode(parts, format: nil, at: position)
                            try parser.expect(":")
                            entries.append((key, nil, try parser.parsePattern()))
                        case .symbol("("):
                            parser.advance()
                            let key = try parser.parsePipe()
                            try parser.expect(")")
                            try parser.expect(":")
                            entries.append((key, nil, try parser.parsePattern()))
                        default:
                            throw parser.unexpected("an object pattern entry")
                        }
                    } while parser.take(",")
                    try parser.expect("}")
                    return .object(entries)
                default:
                    throw parser.unexpected("'$name', '[' or '{' after 'as'")
                }
            }
        }

        mutating func parseIf(at position: Int) throws(Failure) -> Node {
            var branches: [(Node, Node)] = []
            let condition = try parsePipe()
            try expectKeyword("then")
            branches.append((condition, try parsePipe()))
            var otherwise: Node?
            while true {
                if current.keyword == "elif" {
                    advance()
                    let condition = try parsePipe()
                    try expectKeyword("then")
                    branches.append((condition, try parsePipe()))
                } else if current.keyword == "else" {
                    advance()
                    otherwise = try parsePipe()
                    try expectKeyword("end")
                    break
                } else {
                    // jq 1.6 requires `else`; accepting its absence (as jq 1.7 does) only adds programs.
                    try expectKeyword("end")
                    break
                }
            }
            return Node(.ifThen(branches, otherwise), at: position)
        }

        /// `{a: 1, "b c": 2, (.k): 3, $v, d}`.
        mutating func parseObject(at position: Int) throws(Failure) -> Node {
            var entries: [(key: Node, value: Node)] = []
            if take("}") { return Node(.object(entries), at: position) }
            repeat {
                let keyPosition = current.position
                let key: Node
                var shorthand: Node?
                switch current.kind {
                case .identifier(let name), .keyword(let name):
                    advance()
                    key = Node(.literal(.string(name)), at: keyPosition)
                    shorthand = Node(.index(Node(.identity, at: keyPosition), key), at: keyPosition)
                case .variable(let name):
                    advance()
                    key = Node(.literal(.string(name)), at: keyPosition)
                    shorthand = Node(.variable(name), at: keyPosition)
                case .string(let parts):
                    advance()
                    key = try stringNode(parts, format: nil, at: keyPosition)
                    shorthand = Node(.index(Node(.identity, at: keyPosition), key), at: keyPosition)
                case .format(let name):
                    advance()
                    guard case .string(let parts) = current.kind else { throw unexpected("a string after '@\(name)'") }
                    advance()
                    key = try stringNode(parts, format: name, at: keyPosition)
                    shorthand = Node(.index(Node(.identity, at: keyPosition), key), at: keyPosition)
                case .number(let value):
                    throw Failure("Cannot use number (\(value.rendered)) as object key", at: keyPosition)
                case .symbol("("):
                    advance()
                    key = try parsePipe()
                    try expect(")")
                default:
                    throw unexpected("an object key")
                }
                if take(":") {
                    var value = try nested { (p: inout Parser) throws(Failure) in try p.parseAlternative() }
                    while current.symbol == "|" {
                        let pipePosition = current.position
                        advance()
                        value = Node(.pipe(value, try nested { (p: inout Parser) throws(Failure) in try p.parseAlternative() }), at: pipePosition)
                    }
                    entries.append((key, value))
                } else if let shorthand {
                    entries.append((key, shorthand))
                } else {
                    throw unexpected("':'")
                }
            } while take(",")
            try expect("}")
            return Node(.object(entries), at: position)
        }
    }
}

// MARK: - Stack guard

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Jq {
    /// Refuses to recurse when the current thread's stack is nearly used up, whatever its size (Swift concurrency threads
    /// have small stacks, and debug builds use large frames), so a deep program fails with an error instead of crashing.
    struct StackGuard {
        /// The lowest address recursion may reach; nil when the platform does not tell.
        let limit: UInt?
        static let margin: UInt = 160 * 1024

        init() {
            var marker: UInt8 = 0
            let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
            if let bottom = StackGuard.stackBottom(), bottom < here {
                limit = bottom + StackGuard.margin
            } else {
                // Unknown stack: allow 256 KiB below this point, which every thread Swift runs code on has.
                limit = here > 256 * 1024 ? here - 256 * 1024 : nil
            }
        }

        static func stackBottom() -> UInt? {
            #if os(Linux)
                // pthread_getattr_np is a GNU extension the Glibc module does not import; look it up at run time.
                typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
                guard let symbol = dlsym(nil, "pthread_getattr_np") else { return nil }
                let getAttributes = unsafeBitCast(symbol, to: GetAttributes.self)
                var attributes = pthread_attr_t()
                guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
                defer { pthread_attr_destroy(&attributes) }
                var address: UnsafeMutableRawPointer?
                var size = 0
                guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
                return UInt(bitPattern: address)
            #elseif canImport(Darwin)
                let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
                return top - UInt(pthread_get_stacksize_np(pthread_self()))
            #else
                return nil
            #endif
        }

        /// True while there is room to go deeper.
        var hasRoom: Bool {
            guard let limit else { return true }
            var marker: UInt8 = 0
            return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > limit
        }
    }
}
