/// YAML text the way Kestra's `yaml` filter writes it: Jackson's YAML generator with `MINIMIZE_QUOTES`,
/// `INDENT_ARRAYS` (indicator indent 1, indent 2), no document marker and no line splitting, emitted by SnakeYAML.
///
/// Rather than approximate the layout, this is a small port of the parts of SnakeYAML's `Emitter` that such a
/// document goes through (block mappings and sequences, empty collections in flow style, and the choice between
/// plain, single-quoted, double-quoted and literal scalars), so that quirks come out the same, for example a map
/// inside a list starting on its own line:
///
///     items:
///      -
///       name: a
enum YAMLText {
    static func document(_ value: PebbleValue) -> String {
        var emitter = Emitter()
        emitter.node(value, inMapping: false, simpleKey: false)
        emitter.writeIndent()  // the end of the document
        return emitter.output
    }

    private enum Style {
        case plain, singleQuoted, doubleQuoted, literal
    }

    private struct Emitter {
        var output = ""
        var column = 0
        var whitespace = true
        var indention = true
        var indent: Int?
        var indents: [Int?] = []
        let bestIndent = 2
        let indicatorIndent = 1

        // MARK: Nodes

        mutating func node(_ value: PebbleValue, inMapping: Bool, simpleKey: Bool) {
            switch value {
            case .list(let items) where items.isEmpty: emptyCollection(open: "[", close: "]")
            case .map(let map) where map.isEmpty: emptyCollection(open: "{", close: "}")
            case .list(let items): blockSequence(items, inMapping: inMapping)
            case .map(let map): blockMapping(map)
            case .string(let text): scalar(text, requested: Self.requestedStyle(forValue: text), simpleKey: simpleKey)
            case .null, .bool, .int, .double: scalar(value == .null ? "null" : value.rendered, requested: .plain, simpleKey: simpleKey)
            }
        }

        mutating func emptyCollection(open: String, close: String) {
            writeIndicator(open, needWhitespace: true, whitespace: true)
            writeIndicator(close, needWhitespace: false)
        }

        mutating func blockSequence(_ items: [PebbleValue], inMapping: Bool) {
            increaseIndent(flow: false, indentless: inMapping && !indention)
            for item in items {
                writeIndent()
                writeWhitespace(indicatorIndent)
                writeIndicator("-", needWhitespace: true, indentation: true)
                node(item, inMapping: false, simpleKey: false)
            }
            popIndent()
        }

        mutating func blockMapping(_ map: PebbleMap) {
            increaseIndent(flow: false, indentless: false)
            for (key, value) in map.pairs {
                writeIndent()
                let style = Self.requestedStyle(forKey: key)
                let analysis = Analysis(key)
                if key.utf16.count < 128 && !analysis.isEmpty && !analysis.isMultiline {
                    scalar(key, requested: style, simpleKey: true)
                    writeIndicator(":", needWhitespace: false)
                } else {
                    // SnakeYAML's complex key: `? key` then `: value` on the next line.
                    writeIndicator("?", needWhitespace: true, indentation: true)
                    scalar(key, requested: style, simpleKey: false)
                    writeIndent()
                    writeIndicator(":", needWhitespace: true, indentation: true)
                }
                node(value, inMapping: true, simpleKey: false)
            }
            popIndent()
        }

        // MARK: Scalars

        /// Jackson's `YAMLGenerator.writeString` with `MINIMIZE_QUOTES`: empty → quoted, multi-line → literal,
        /// YAML 1.1 booleans/nulls and flow characters → quoted, anything else plain (SnakeYAML may still quote it).
        static func requestedStyle(forValue text: String) -> Style {
            if text.isEmpty || isReservedKeyword(text) { return .doubleQuoted }
            if text.unicodeScalars.contains("\n") { return .literal }
            return hasQuotableCharacter(text) ? .doubleQuoted : .plain
        }

        /// `StringQuotingChecker.needToQuoteName`: reserved words, anything that starts like a number, control characters.
        static func requestedStyle(forKey key: String) -> Style {
            guard let first = key.unicodeScalars.first else { return .doubleQuoted }
            if isReservedKeyword(key) || "0123456789-+.".unicodeScalars.contains(first) || key.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                return .doubleQuoted
            }
            return .plain
        }

        static func isReservedKeyword(_ text: String) -> Bool {
            text == "~"
                || [
                    "false", "False", "FALSE", "n", "N", "no", "No", "NO", "null", "Null", "NULL", "on", "On", "ON",
                    "off", "Off", "OFF", "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES",
                ].contains(text)
        }

        /// `StringQuotingChecker.valueHasQuotableChar`: `[]{},`, a `#` at the start or after a blank, a `:` at the end
        /// or before a blank.
        static func hasQuotableCharacter(_ text: String) -> Bool {
            let all = Array(text.unicodeScalars)
            for (index, scalar) in all.enumerated() {
                switch scalar {
                case "[", "]", "{", "}", ",": return true
                case "#" where index == 0 || all[index - 1] == " " || all[index - 1] == "\t": return true
                case ":" where index == all.count - 1 || all[index + 1] == " " || all[index + 1] == "\t": return true
                default: continue
                }
            }
            return false
        }

        /// SnakeYAML's `Emitter.chooseScalarStyle` for a block context.
        static func chooseStyle(_ requested: Style, _ analysis: Analysis, simpleKey: Bool) -> Style {
            switch requested {
            case .doubleQuoted, .singleQuoted: return requested
            case .plain:
                if !(simpleKey && (analysis.isEmpty || analysis.isMultiline)) && analysis.allowBlockPlain { return .plain }
            case .literal:
                if !simpleKey && analysis.allowBlock { return .literal }
                return .doubleQuoted
            }
            if analysis.allowSingleQuoted && !(simpleKey && analysis.isMultiline) { return .singleQuoted }
            return .doubleQuoted
        }

        mutating func scalar(_ text: String, requested: Style, simpleKey: Bool) {
            increaseIndent(flow: true, indentless: false)
            switch Self.chooseStyle(requested, Analysis(text), simpleKey: simpleKey) {
            case .plain: writePlain(text)
            case .singleQuoted: writeSingleQuoted(text)
            case .doubleQuoted: writeDoubleQuoted(text)
            case .literal: writeLiteral(text)
            }
            popIndent()
        }

        mutating func writePlain(_ text: String) {
            guard !text.isEmpty else { return }
            if !whitespace { write(" ") }
            whitespace = false
            indention = false
            write(text)
        }

        /// SnakeYAML's `writeSingleQuoted` without line splitting: quotes doubled, line breaks (U+0085, U+2028,
        /// U+2029 — a `\n` never gets here) written as breaks followed by the indentation.
        mutating func writeSingleQuoted(_ text: String) {
            writeIndicator("'", needWhitespace: true)
            let all = Array(text.unicodeScalars)
            var spaces = false
            var breaks = false
            var start = 0
            for end in 0...all.count {
                let scalar: Unicode.Scalar? = end < all.count ? all[end] : nil
                if spaces {
                    if scalar != " " {
                        write(FilterSupport.string(all[start..<end]))
                        start = end
                    }
                } else if breaks {
                    if scalar.map({ !Self.isLineBreak($0) }) ?? true {
                        if all[start] == "\n" { writeLineBreak() }
                        for lineBreak in all[start..<end] {
                            if lineBreak == "\n" { writeLineBreak() } else { writeLineBreak(String(lineBreak)) }
                        }
                        writeIndent()
                        start = end
                    }
                } else if scalar.map({ Self.isLineBreak($0) || $0 == " " || $0 == "'" }) ?? true, start < end {
                    write(FilterSupport.string(all[start..<end]))
                    start = end
                }
                if scalar == "'" {
                    write("''")
                    start = end + 1
                }
                if let scalar {
                    spaces = scalar == " "
                    breaks = Self.isLineBreak(scalar)
                }
            }
            writeIndicator("'", needWhitespace: false)
        }

        mutating func writeDoubleQuoted(_ text: String) {
            writeIndicator("\"", needWhitespace: true)
            var body = ""
            for scalar in text.unicodeScalars {
                if let escape = Self.escapes[scalar] {
                    body += "\\" + escape
                } else if (0x20...0x7E).contains(scalar.value) || Self.isPrintable(scalar) {
                    body.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    body += "\\x" + Self.hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    body += "\\u" + Self.hex(scalar.value, width: 4)
                } else {
                    body += "\\U" + Self.hex(scalar.value, width: 8)
                }
            }
            write(body)
            writeIndicator("\"", needWhitespace: false)
        }

        mutating func writeLiteral(_ text: String) {
            let all = Array(text.unicodeScalars)
            var hints = ""
            if let first = all.first, Self.isLineBreak(first) || first == " " { hints += String(bestIndent) }
            if let last = all.last, !Self.isLineBreak(last) {
                hints += "-"
            } else if all.count == 1 || Self.isLineBreak(all[all.count - 2]) {
                hints += "+"
            }
            writeIndicator("|" + hints, needWhitespace: true)
            writeLineBreak()
            var breaks = true
            var start = 0
            for end in 0...all.count {
                let scalar: Unicode.Scalar? = end < all.count ? all[end] : nil
                if breaks {
                    if scalar.map({ !Self.isLineBreak($0) }) ?? true {
                        for lineBreak in all[start..<end] {
                            if lineBreak == "\n" { writeLineBreak() } else { writeLineBreak(String(lineBreak)) }
                        }
                        if scalar != nil { writeIndent() }
                        start = end
                    }
                } else if scalar.map(Self.isLineBreak) ?? true {
                    write(FilterSupport.string(all[start..<end]))
                    if scalar == nil { writeLineBreak() }
                    start = end
                }
                if let scalar { breaks = Self.isLineBreak(scalar) }
            }
        }

        static let escapes: [Unicode.Scalar: String] = [
            "\0": "0", "\u{07}": "a", "\u{08}": "b", "\t": "t", "\n": "n", "\u{0B}": "v", "\u{0C}": "f", "\r": "r",
            "\u{1B}": "e", "\"": "\"", "\\": "\\", "\u{85}": "N", "\u{A0}": "_", "\u{2028}": "L", "\u{2029}": "P",
        ]

        static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\n" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
        }

        /// SnakeYAML's `StreamReader.isPrintable`.
        static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
            default: return false
            }
        }

        static func hex(_ value: UInt32, width: Int) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }

        // MARK: Writing

        mutating func increaseIndent(flow: Bool, indentless: Bool) {
            indents.append(indent)
            if let current = indent {
                if !indentless { indent = current + bestIndent }
            } else {
                indent = flow ? bestIndent : 0
            }
        }

        mutating func popIndent() {
            indent = indents.popLast() ?? nil
        }

        mutating func writeIndent() {
            let target = indent ?? 0
            if !indention || column > target || (column == target && !whitespace) { writeLineBreak() }
            writeWhitespace(target - column)
        }

        mutating func writeWhitespace(_ count: Int) {
            guard count > 0 else { return }
            whitespace = true
            write(String(repeating: " ", count: count))
        }

        mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, whitespace isWhitespace: Bool = false, indentation: Bool = false) {
            if !whitespace && needWhitespace { write(" ") }
            whitespace = isWhitespace
            indention = indention && indentation
            write(indicator)
        }

        mutating func writeLineBreak(_ text: String = "\n") {
            whitespace = true
            indention = true
            column = 0
            output += text
        }

        mutating func write(_ text: String) {
            output += text
            column += text.utf16.count
        }
    }

    /// SnakeYAML's `Emitter.analyzeScalar`, reduced to what the block-context style choice reads.
    private struct Analysis {
        var isEmpty = false
        var isMultiline = false
        var allowBlockPlain = true
        var allowSingleQuoted = true
        var allowBlock = true

        init(_ text: String) {
            let all = Array(text.unicodeScalars)
            guard !all.isEmpty else {
                isEmpty = true
                allowBlockPlain = false
                allowBlock = false
                return
            }
            let blanks: Set<Unicode.Scalar> = ["\0", " ", "\t", "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"]
            var blockIndicators = text.hasPrefix("---") || text.hasPrefix("...")
            var lineBreaks = false
            var specialCharacters = false
            var leadingSpace = false
            var leadingBreak = false
            var trailingSpace = false
            var trailingBreak = false
            var breakSpace = false
            var spaceBreak = false
            var previousSpace = false
            var previousBreak = false
            var precededByWhitespace = true
            var followedByWhitespace = all.count == 1 || blanks.contains(all[1])
            for (index, scalar) in all.enumerated() {
                if index == 0 {
                    if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(scalar) { blockIndicators = true }
                    if (scalar == "?" || scalar == ":" || scalar == "-") && followedByWhitespace { blockIndicators = true }
                } else if (scalar == ":" && followedByWhitespace) || (scalar == "#" && precededByWhitespace) {
                    blockIndicators = true
                }
                let isBreak = YAMLText.Emitter.isLineBreak(scalar)
                if isBreak { lineBreaks = true }
                if !(scalar == "\n" || (0x20...0x7E).contains(scalar.value)) {
                    let unicode =
                        scalar == "\u{85}" || (0xA0...0xD7FF).contains(scalar.value) || (0xE000...0xFFFD).contains(scalar.value)
                        || scalar.value >= 0x10000
                    if !unicode || scalar == "\u{FEFF}" { specialCharacters = true }
                }
                if scalar == " " {
                    if index == 0 { leadingSpace = true }
                    if index == all.count - 1 { trailingSpace = true }
                    if previousBreak { breakSpace = true }
                    previousSpace = true
                    previousBreak = false
                } else if isBreak {
                    if index == 0 { leadingBreak = true }
                    if index == all.count - 1 { trailingBreak = true }
                    if previousSpace { spaceBreak = true }
                    previousSpace = false
                    previousBreak = true
                } else {
                    previousSpace = false
                    previousBreak = false
                }
                precededByWhitespace = blanks.contains(scalar)
                followedByWhitespace = index + 2 >= all.count || blanks.contains(all[index + 2])
            }
            isMultiline = lineBreaks
            if leadingSpace || leadingBreak || trailingSpace || trailingBreak { allowBlockPlain = false }
            if trailingSpace { allowBlock = false }
            if breakSpace || spaceBreak || specialCharacters {
                allowBlockPlain = false
                allowSingleQuoted = false
            }
            if spaceBreak || specialCharacters { allowBlock = false }
            if lineBreaks || blockIndicators { allowBlockPlain = false }
        }
    }
}
