/// A syntax problem in a Pebble template, with the character offset where it starts.
public struct TemplateSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// Offset in characters (Unicode scalars) from the start of the template.
    public let offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}

/// Structural checks of Pebble templates: delimiters, brackets, strings and block tags balance.
///
/// This is what flow validation needs before an expression is ever evaluated; the full parser builds on it.
public enum TemplateSyntax {
    /// Block tags and the tags that may appear inside them before their end tag.
    static let blocks: [String: (end: String, middle: Set<String>)] = [
        "if": ("endif", ["elseif", "else"]),
        "for": ("endfor", ["else"]),
        "macro": ("endmacro", []),
        "block": ("endblock", []),
        "filter": ("endfilter", []),
        "autoescape": ("endautoescape", []),
        "parallel": ("endparallel", []),
        "cache": ("endcache", []),
        "embed": ("endembed", []),
    ]
    static let verbatimTags: [String: String] = ["raw": "endraw", "verbatim": "endverbatim"]
    static let simpleTags: Set<String> = ["set", "import", "include", "extends", "flush", "from"]

    /// True when the text contains anything Pebble would interpret.
    public static func containsTemplate(_ text: String) -> Bool {
        text.contains("{{") || text.contains("{%") || text.contains("{#")
    }

    /// Every structural problem in `template`, in order; empty when it is well formed.
    public static func check(_ template: String) -> [TemplateSyntaxError] {
        let chars = Array(template.unicodeScalars)
        var errors: [TemplateSyntaxError] = []
        var openBlocks: [(name: String, offset: Int)] = []
        var index = 0
        while index + 1 < chars.count {
            guard chars[index] == "{", ["{", "%", "#"].contains(chars[index + 1]) else {
                index += 1
                continue
            }
            let start = index
            let kind = chars[index + 1]
            if kind == "#" {
                guard let end = find(["#", "}"], in: chars, from: index + 2) else {
                    errors.append(.init(message: "the comment `{#` is never closed with `#}`", offset: start))
                    return errors
                }
                index = end + 2
                continue
            }
            let closer: Unicode.Scalar = kind == "{" ? "}" : "%"
            switch scanExpression(chars, from: index + 2, closer: closer) {
            case .failure(let error):
                errors.append(error)
                return errors
            case .success(let (bodyRange, next)):
                index = next
                var body = String(String.UnicodeScalarView(chars[bodyRange])).trimmingWhitespace()
                if body.hasPrefix("-") { body.removeFirst() }
                if body.hasSuffix("-") { body.removeLast() }
                body = body.trimmingWhitespace()
                if kind == "{" {
                    if body.isEmpty { errors.append(.init(message: "the expression `{{ }}` is empty", offset: start)) }
                    continue
                }
                let name = String(body.prefix { $0.isLetter || $0 == "_" })
                if let end = verbatimTags[name] {
                    guard let close = findTag(end, in: chars, from: index) else {
                        errors.append(.init(message: "`{% \(name) %}` is never closed with `{% \(end) %}`", offset: start))
                        return errors
                    }
                    index = close
                } else if blocks[name] != nil {
                    openBlocks.append((name, start))
                } else if let open = openBlocks.last, blocks[open.name]?.middle.contains(name) == true {
                    continue
                } else if let opener = blocks.first(where: { $0.value.end == name })?.key {
                    if openBlocks.last?.name == opener {
                        openBlocks.removeLast()
                    } else if let open = openBlocks.last {
                        errors.append(
                            .init(
                                message: "`{% \(name) %}` closes `{% \(opener) %}`, but the innermost open tag is `{% \(open.name) %}`", offset: start
                            ))
                    } else {
                        errors.append(.init(message: "`{% \(name) %}` has no matching `{% \(opener) %}`", offset: start))
                    }
                } else if name == "else" || name == "elseif" {
                    errors.append(.init(message: "`{% \(name) %}` is outside any `{% if %}` or `{% for %}`", offset: start))
                } else if !simpleTags.contains(name) {
                    errors.append(.init(message: "unknown tag `{% \(name.isEmpty ? body : name) %}`", offset: start))
                }
            }
        }
        for open in openBlocks.reversed() {
            let end = blocks[open.name]?.end ?? "end"
            errors.append(.init(message: "`{% \(open.name) %}` is never closed with `{% \(end) %}`", offset: open.offset))
        }
        return errors
    }

    /// Scans an expression body for its closing delimiter, honouring strings and brackets.
    static func scanExpression(
        _ chars: [Unicode.Scalar],
        from begin: Int,
        closer: Unicode.Scalar
    ) -> Result<(Range<Int>, Int), TemplateSyntaxError> {
        let opener = closer == "}" ? "{{" : "{%"
        let closing = closer == "}" ? "}}" : "%}"
        var brackets: [(Unicode.Scalar, Int)] = []
        var index = begin
        while index < chars.count {
            let char = chars[index]
            if char == "'" || char == "\"" {
                let quoteStart = index
                index += 1
                while index < chars.count, chars[index] != char {
                    if chars[index] == "\\" { index += 1 }
                    index += 1
                }
                guard index < chars.count else {
                    return .failure(.init(message: "a string literal starting with \(char) is never closed", offset: quoteStart))
                }
                index += 1
                continue
            }
            if char == closer, index + 1 < chars.count, chars[index + 1] == "}" {
                if brackets.isEmpty { return .success((begin..<index, index + 2)) }
                // The closing delimiter arrived while a bracket was open: that bracket is the mistake.
                if let open = brackets.last, open.0 != "{" {
                    return .failure(.init(message: "`\(open.0)` is never closed in the expression", offset: open.1))
                }
            }
            switch char {
            case "(", "[", "{":
                brackets.append((char, index))
            case ")", "]", "}":
                let expected: Unicode.Scalar = char == ")" ? "(" : char == "]" ? "[" : "{"
                guard let last = brackets.last, last.0 == expected else {
                    return .failure(.init(message: "`\(char)` has no matching `\(expected)` in the expression", offset: index))
                }
                brackets.removeLast()
            default:
                break
            }
            index += 1
        }
        if let open = brackets.last {
            return .failure(.init(message: "`\(open.0)` is never closed in the expression", offset: open.1))
        }
        return .failure(.init(message: "`\(opener)` is never closed with `\(closing)`", offset: begin - 2))
    }

    static func find(_ pair: [Unicode.Scalar], in chars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        while index + 1 < chars.count {
            if chars[index] == pair[0], chars[index + 1] == pair[1] { return index }
            index += 1
        }
        return nil
    }

    /// The offset just after `{% name %}` (with optional whitespace control), searching from `start`.
    static func findTag(_ name: String, in chars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        while let open = find(["{", "%"], in: chars, from: index) {
            guard let close = find(["%", "}"], in: chars, from: open + 2) else { return nil }
            var body = String(String.UnicodeScalarView(chars[(open + 2)..<close])).trimmingWhitespace()
            if body.hasPrefix("-") { body.removeFirst() }
            if body.hasSuffix("-") { body.removeLast() }
            if body.trimmingWhitespace() == name { return close + 2 }
            index = close + 2
        }
        return nil
    }
}

extension String {
    package func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
