/// Parses JSON text into ``PebbleValue``s, keeping object key order as Jackson does (for `fromJson`, `is json`, jq).
///
/// Written by hand rather than with Foundation so integers stay integers, key order survives, and nesting is bounded.
struct JSONReader {
    static let maximumDepth = 256

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0

    static func parse(_ text: String) throws(PebbleError) -> PebbleValue {
        var reader = JSONReader(scalars: Array(text.unicodeScalars))
        reader.skipWhitespace()
        let value = try reader.parseValue()
        reader.skipWhitespace()
        guard reader.index == reader.scalars.count else { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private func error(_ message: String) -> PebbleError {
        PebbleError(.evaluation, "invalid JSON at character \(index + 1): \(message)")
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func skipWhitespace() {
        while let char = current, char == " " || char == "\n" || char == "\r" || char == "\t" { index += 1 }
    }

    private mutating func expect(_ word: String, _ value: PebbleValue) throws(PebbleError) -> PebbleValue {
        for scalar in word.unicodeScalars {
            guard current == scalar else { throw error("expected `\(word)`") }
            index += 1
        }
        return value
    }

    private mutating func parseValue() throws(PebbleError) -> PebbleValue {
        guard let char = current else { throw error("expected a value, but the text ended") }
        switch char {
        case "{", "[":
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
            return char == "{" ? try parseObject() : try parseArray()
        case "\"": return .string(try parseString())
        case "t": return try expect("true", .bool(true))
        case "f": return try expect("false", .bool(false))
        case "n": return try expect("null", .null)
        default: return try parseNumber()
        }
    }

    private mutating func parseObject() throws(PebbleError) -> PebbleValue {
        index += 1
        var map = PebbleMap()
        skipWhitespace()
        if current == "}" {
            index += 1
            return .map(map)
        }
        while true {
            skipWhitespace()
            guard current == "\"" else { throw error("expected a quoted key") }
            let key = try parseString()
            skipWhitespace()
            guard current == ":" else { throw error("expected `:` after a key") }
            index += 1
            skipWhitespace()
            map[key] = try parseValue()
            skipWhitespace()
            if current == "," {
                index += 1
                continue
            }
            guard current == "}" else { throw error("expected `,` or `}`") }
            index += 1
            return .map(map)
        }
    }

    private mutating func parseArray() throws(PebbleError) -> PebbleValue {
        index += 1
        var items: [PebbleValue] = []
        skipWhitespace()
        if current == "]" {
            index += 1
            return .list(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            if current == "," {
                index += 1
                continue
            }
            guard current == "]" else { throw error("expected `,` or `]`") }
            index += 1
            return .list(items)
        }
    }

    private mutating func parseString() throws(PebbleError) -> String {
        index += 1
        var text = ""
        while let char = current {
            index += 1
            switch char {
            case "\"": return text
            case "\\":
                guard let escaped = current else { throw error("unfinished escape") }
                index += 1
                switch escaped {
                case "n": text += "\n"
                case "t": text += "\t"
                case "r": text += "\r"
                case "b": text += "\u{08}"
                case "f": text += "\u{0C}"
                case "u":
                    guard index + 4 <= scalars.count, let code = UInt32(String(String.UnicodeScalarView(scalars[index..<index + 4])), radix: 16)
                    else {
                        throw error("bad \\u escape")
                    }
                    index += 4
                    if let scalar = Unicode.Scalar(code) { text.unicodeScalars.append(scalar) }
                default: text.unicodeScalars.append(escaped)
                }
            default:
                text.unicodeScalars.append(char)
            }
        }
        throw error("a string is never closed")
    }

    private mutating func parseNumber() throws(PebbleError) -> PebbleValue {
        let start = index
        while let char = current, "+-0123456789.eE".unicodeScalars.contains(char) { index += 1 }
        let text = String(String.UnicodeScalarView(scalars[start..<index]))
        guard !text.isEmpty else { throw error("unexpected `\(current.map(String.init) ?? "")`") }
        if let integer = Int64(text) { return .int(integer) }
        if let double = Double(text), double.isFinite { return .double(double) }
        throw error("`\(text)` is not a number")
    }
}

extension PebbleValue {
    /// Reads JSON text, keeping integers integral and object keys in order.
    public static func fromJSON(_ text: String) throws(PebbleError) -> PebbleValue {
        try JSONReader.parse(text)
    }
}
