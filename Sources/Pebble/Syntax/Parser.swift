/// Parses tokens into nodes and expressions, following Pebble's operator precedences (CoreExtension) and Kestra's
/// additions (`??` and `???` at 120, Kestra's Extension.java).
struct Parser {
    private let tokens: [Token]
    private let source: [Unicode.Scalar]
    private var index = 0
    private var depth = 0
    /// Operators in the current `{{ }}` or tag; left-associative chains build trees as deep as they are long.
    private var operators = 0
    static let maximumDepth = 64
    static let maximumOperators = 512

    static let binaryPrecedence: [String: Int] = [
        "or": 10, "and": 15, "is": 20, "contains": 20, "in": 20, "==": 30, "equals": 30, "!=": 30, ">": 30, "<": 30, ">=": 30,
        "<=": 30, "+": 40, "-": 40, "*": 60, "/": 60, "%": 60, "|": 100, "~": 110, "..": 120, "??": 120, "???": 120,
        "isIn": 20,
    ]
    /// Names that are literals or operators, which `set` cannot assign.
    static let reservedWords: Set<String> = ["true", "false", "null", "none", "and", "or", "not", "is", "in", "contains", "equals", "isIn"]
    static let unaryPrecedence = 500

    init(tokens: [Token], source: String) {
        self.tokens = tokens
        self.source = Array(source.unicodeScalars)
    }

    static func parse(_ template: String) throws(PebbleError) -> [Node] {
        var parser = Parser(tokens: try Lexer.tokenize(template), source: template)
        let (nodes, end) = try parser.parseNodes(until: [])
        if let end { throw parser.error("`{% \(end) %}` has no matching opening tag", at: parser.tokens[parser.index - 1].position) }
        return nodes
    }

    private var current: Token { tokens[min(index, tokens.count - 1)] }

    /// Whether the tag opening at the current token is `raw`, whose trim markers Kestra ignores: it swaps raw blocks
    /// for placeholders before Pebble lexes (VariableRenderer's RAW_PATTERN). Pebble's own `verbatim` honours them.
    private var nextTagIsRaw: Bool {
        tokens[safe: index + 1]?.kind == .name("raw")
    }

    private func error(_ message: String, at position: SourcePosition) -> PebbleError {
        PebbleError(.syntax, message, line: position.line, column: position.column, offset: position.offset)
    }

    private mutating func next() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    private func isName(_ name: String) -> Bool { current.kind == .name(name) }

    private mutating func expect(symbol: String, _ what: String) throws(PebbleError) {
        guard isSymbol(symbol) else { throw error("expected \(what), but found \(current.describe)", at: current.position) }
        _ = next()
    }

    private mutating func expectName(_ what: String) throws(PebbleError) -> (String, SourcePosition) {
        guard case .name(let name) = current.kind else {
            throw error("expected \(what), but found \(current.describe)", at: current.position)
        }
        let position = current.position
        _ = next()
        return (name, position)
    }

    private mutating func expectTagClose() throws(PebbleError) -> Bool {
        guard case .tagClose(let trim) = current.kind else {
            throw error("expected `%}`, but found \(current.describe)", at: current.position)
        }
        _ = next()
        return trim
    }

    // MARK: - Nodes

    /// Parses nodes until one of the `ends` tag names; returns the nodes and the end tag met (its `%}` not yet read).
    ///
    /// `trimLeading` is set when the tag before the body ended with `-%}`, which trims the body's leading whitespace.
    private mutating func parseNodes(until ends: Set<String>, trimLeading: Bool = false) throws(PebbleError) -> ([Node], String?) {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw error("blocks nest deeper than \(Self.maximumDepth) levels", at: current.position)
        }
        var nodes: [Node] = []
        var trimNext = trimLeading
        while true {
            let token = current
            switch token.kind {
            case .end:
                return (nodes, nil)
            case .text(var text):
                _ = next()
                if trimNext { text = String(text.drop { $0.isWhitespace }) }
                trimNext = false
                if case .printOpen(true) = current.kind { text = String(text.reversed().drop { $0.isWhitespace }.reversed()) }
                if case .tagOpen(true) = current.kind, !nextTagIsRaw {
                    text = String(text.reversed().drop { $0.isWhitespace }.reversed())
                }
                if !text.isEmpty { nodes.append(.text(text)) }
            case .printOpen:
                _ = next()
                operators = 0
                let start = current.position
                if case .printClose = current.kind { throw error("the expression `{{ }}` is empty", at: token.position) }
                let expression = try parseExpression()
                guard case .printClose(let trim) = current.kind else {
                    throw error("expected `}}` to end the expression, but found \(current.describe)", at: current.position)
                }
                let sourceText = String(String.UnicodeScalarView(source[start.offset..<current.position.offset])).trimmingWhitespace()
                _ = next()
                trimNext = trim
                nodes.append(.print(expression, source: "{{ \(sourceText) }}"))
            case .tagOpen:
                _ = next()
                operators = 0
                let (name, _) = try expectName("a tag name such as if, for or set")
                if ends.contains(name) {
                    return (nodes, name)
                }
                let (node, trim) = try parseTag(name, at: token.position)
                trimNext = trim
                if let node { nodes.append(node) }
            default:
                throw error("unexpected \(token.describe)", at: token.position)
            }
        }
    }

    private mutating func parseTag(_ name: String, at position: SourcePosition) throws(PebbleError) -> (Node?, Bool) {
        switch name {
        case "if":
            var branches: [(Expression, [Node])] = []
            var condition = try parseExpression()
            var otherwise: [Node]?
            var trim = try expectTagClose()
            while true {
                let (body, end) = try parseNodes(until: ["elseif", "else", "endif"], trimLeading: trim)
                guard let end else { throw error("`{% if %}` is never closed with `{% endif %}`", at: position) }
                if otherwise != nil {
                    guard end == "endif" else {
                        throw error("expected `{% endif %}` after `{% else %}`, but found `{% \(end) %}`", at: current.position)
                    }
                    otherwise = body
                    return (.conditional(branches: branches, otherwise: otherwise), try expectTagClose())
                }
                branches.append((condition, body))
                switch end {
                case "elseif":
                    condition = try parseExpression()
                    trim = try expectTagClose()
                case "else":
                    trim = try expectTagClose()
                    otherwise = []
                default:
                    return (.conditional(branches: branches, otherwise: nil), try expectTagClose())
                }
            }
        case "for":
            // Pebble's for takes one variable; a map's entries expose `.key` and `.value`.
            let (value, _) = try expectName("a loop variable name")
            let key: String? = nil
            guard isName("in") else { throw error("expected `in` in the for tag, but found \(current.describe)", at: current.position) }
            _ = next()
            let iterable = try parseExpression()
            let trimBody = try expectTagClose()
            let (body, end) = try parseNodes(until: ["else", "endfor"], trimLeading: trimBody)
            guard let end else { throw error("`{% for %}` is never closed with `{% endfor %}`", at: position) }
            var otherwise: [Node]?
            if end == "else" {
                let trimElse = try expectTagClose()
                let (elseBody, close) = try parseNodes(until: ["endfor"], trimLeading: trimElse)
                guard close != nil else { throw error("`{% for %}` is never closed with `{% endfor %}`", at: position) }
                otherwise = elseBody
            }
            return (.loop(key: key, value: value, iterable: iterable, body: body, otherwise: otherwise), try expectTagClose())
        case "set":
            let (variable, variablePosition) = try expectName("a variable name")
            if Self.reservedWords.contains(variable.lowercased()) {
                throw error("Can not assign a value to \(variable)", at: variablePosition)
            }
            try expect(symbol: "=", "`=` in the set tag")
            let value = try parseExpression()
            return (.assign(name: variable, value: value), try expectTagClose())
        case "raw", "verbatim":
            let trimStart = try expectTagClose()
            var text = ""
            if case .text(let raw) = current.kind {
                text = raw
                _ = next()
            }
            guard case .tagOpen(let trimEnd) = current.kind else { throw error("`{% \(name) %}` is never closed", at: position) }
            _ = next()
            _ = try expectName("end\(name)")
            let trimAfter = try expectTagClose()
            guard name == "verbatim" else { return (.text(text), false) }
            if trimStart { text = String(text.drop { $0.isWhitespace }) }
            if trimEnd { text = String(text.reversed().drop { $0.isWhitespace }.reversed()) }
            return (.text(text), trimAfter)
        case "elseif", "else", "endif", "endfor", "endraw", "endverbatim":
            let opener = name == "endfor" ? "for" : name.hasPrefix("end") ? String(name.dropFirst(3)) : "if"
            throw error("`{% \(name) %}` has no matching `{% \(opener) %}`", at: position)
        default:
            let known = ["if", "elseif", "else", "endif", "for", "endfor", "set", "raw", "endraw", "verbatim", "endverbatim"]
            var message = "unknown tag `\(name)`"
            if let suggestion = closest(to: name, among: known) { message += "; did you mean `\(suggestion)`?" }
            throw error(message + (message.hasSuffix("?") ? " " : "; ") + "Gatehouse supports if, for, set and raw", at: position)
        }
    }

    // MARK: - Expressions

    mutating func parseExpression() throws(PebbleError) -> Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("the expression nests deeper than \(Self.maximumDepth) levels", at: current.position) }
        let condition = try parseBinary(minimum: 0)
        guard isSymbol("?") else { return condition }
        _ = next()
        let whenTrue = try parseExpression()
        try expect(symbol: ":", "`:` in the conditional expression")
        let whenFalse = try parseExpression()
        return .conditional(condition, whenTrue, whenFalse)
    }

    /// The binary operator at the current token, if any (word operators included; `not in` and `is not` handled here).
    private func binaryOperator() -> String? {
        switch current.kind {
        case .symbol(let symbol) where Self.binaryPrecedence[symbol] != nil: return symbol
        case .name(let name) where ["or", "and", "is", "contains", "in", "equals", "isIn"].contains(name): return name
        case .name("not"):
            if case .name("in") = tokens[safe: index + 1]?.kind { return "not in" }
            return nil
        default: return nil
        }
    }

    private mutating func parseBinary(minimum: Int) throws(PebbleError) -> Expression {
        var left = try parseUnary()
        while let op = binaryOperator() {
            let precedence = Self.binaryPrecedence[op == "not in" ? "in" : op] ?? 0
            guard precedence >= minimum else { break }
            let position = current.position
            operators += 1
            guard operators <= Self.maximumOperators else {
                throw error("the expression has more than \(Self.maximumOperators) operators; split it up", at: position)
            }
            _ = next()
            if op == "not in" { _ = next() }
            switch op {
            case "|":
                let (name, namePosition) = try expectName("a filter name after `|`")
                let arguments = isSymbol("(") ? try parseArguments() : ArgumentList()
                left = .filter(left, name, arguments, namePosition)
            case "is":
                var negated = false
                if isName("not") {
                    negated = true
                    _ = next()
                }
                let (name, namePosition) = try expectName("a test name such as defined, null or empty after `is`")
                let arguments = isSymbol("(") ? try parseArguments() : ArgumentList()
                left = .test(left, name, negated: negated, arguments, namePosition)
            default:
                let right = try parseBinary(minimum: precedence + 1)
                left = .binary(op == "equals" ? "==" : op, left, right, position)
            }
        }
        return left
    }

    private mutating func parseUnary() throws(PebbleError) -> Expression {
        let position = current.position
        if isName("not") || isSymbol("-") || isSymbol("+") {
            let op = isName("not") ? "not" : (isSymbol("-") ? "-" : "+")
            _ = next()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw error("the expression nests deeper than \(Self.maximumDepth) levels", at: position) }
            let operand = try parseBinary(minimum: Self.unaryPrecedence)
            return .unary(op, operand, position)
        }
        return try parsePostfix(try parsePrimary())
    }

    private mutating func parsePrimary() throws(PebbleError) -> Expression {
        let token = next()
        switch token.kind {
        case .integer(let value): return .literal(.int(value))
        case .decimal(let value): return .literal(.double(value))
        case .string(let value): return .literal(.string(value))
        case .interpolated(let parts):
            // "a #{x} b" is the concatenation of its parts, as Pebble compiles it.
            var expression: Expression?
            for part in parts {
                let piece: Expression
                switch part {
                case .text(let text): piece = .literal(.string(text))
                case .expression(let source, let position): piece = try Self.parseEmbedded(source, at: position)
                }
                expression = expression.map { .binary("~", $0, piece, token.position) } ?? piece
            }
            return .binary("~", .literal(.string("")), expression ?? .literal(.string("")), token.position)
        case .name(let name):
            // Pebble's keywords ignore case: TRUE, False and NULL are literals too.
            switch name.lowercased() {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null", "none": return .literal(.null)
            default:
                if isSymbol("(") { return .call(name, try parseArguments(), token.position) }
                return .variable(name, token.position)
            }
        case .symbol("("):
            let inner = try parseExpression()
            try expect(symbol: ")", "`)`")
            return inner
        case .symbol("["):
            var items: [Expression] = []
            while !isSymbol("]") {
                items.append(try parseExpression())
                guard isSymbol(",") else { break }
                _ = next()
            }
            try expect(symbol: "]", "`,` or `]` in the list")
            return .list(items)
        case .symbol("{"):
            var entries: [(Expression, Expression)] = []
            while !isSymbol("}") {
                let key = try parseExpression()
                try expect(symbol: ":", "`:` after a map key")
                entries.append((key, try parseExpression()))
                guard isSymbol(",") else { break }
                _ = next()
            }
            try expect(symbol: "}", "`,` or `}` in the map")
            return .map(entries)
        default:
            throw error("expected a value, a variable or `(`, but found \(token.describe)", at: token.position)
        }
    }

    private mutating func parsePostfix(_ base: Expression) throws(PebbleError) -> Expression {
        var expression = base
        while true {
            if isSymbol(".") {
                let position = current.position
                _ = next()
                switch current.kind {
                case .name(let name):
                    _ = next()
                    expression = .attribute(expression, name, position)
                default:
                    throw error("expected an attribute name after `.`, but found \(current.describe)", at: current.position)
                }
            } else if isSymbol("[") {
                let position = current.position
                _ = next()
                let key = try parseExpression()
                try expect(symbol: "]", "`]`")
                expression = .subscripted(expression, key, position)
            } else {
                return expression
            }
        }
    }

    /// Parses the expression inside a `#{…}` interpolation.
    static func parseEmbedded(_ source: String, at position: SourcePosition) throws(PebbleError) -> Expression {
        do throws(PebbleError) {
            let nodes = try Parser.parse("{{ \(source) }}")
            guard nodes.count == 1, case .print(let expression, _) = nodes[0] else {
                throw PebbleError(.syntax, "the interpolation `#{\(source)}` must hold one expression")
            }
            return expression
        } catch {
            throw PebbleError(
                .syntax, "in the interpolation `#{\(source)}`: \(error.message)", line: position.line, column: position.column,
                offset: position.offset)
        }
    }

    private mutating func parseArguments() throws(PebbleError) -> ArgumentList {
        try expect(symbol: "(", "`(`")
        var arguments = ArgumentList()
        while !isSymbol(")") {
            if case .name(let name) = current.kind, tokens[safe: index + 1]?.kind == .symbol("=") {
                _ = next()
                _ = next()
                arguments.named.append((name, try parseExpression()))
            } else {
                guard arguments.named.isEmpty else {
                    throw error("a positional argument cannot follow a named one", at: current.position)
                }
                arguments.positional.append(try parseExpression())
            }
            guard isSymbol(",") else { break }
            _ = next()
        }
        try expect(symbol: ")", "`,` or `)` in the arguments")
        return arguments
    }

    private func closest(to name: String, among names: [String]) -> String? {
        Suggestions.closest(to: name, among: names)
    }
}
