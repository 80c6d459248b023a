/// What the library filters share: input checks that name the filter, and Java `String` semantics.
///
/// Pebble and Kestra filters run on Java strings, whose operations compare UTF-16 code units exactly. Swift's `String`
/// compares `Character`s (grapheme clusters, with canonical equivalence), so `"\r\n".contains("\n")` is false in Swift
/// and true in Java. The helpers here work on Unicode scalars instead: exact like Java, and never splitting a character
/// in half the way a UTF-16 index can.
enum FilterSupport {
    // MARK: - Input checks

    static func mismatch(_ filter: String, expects expected: String, got value: PebbleValue) -> PebbleError {
        PebbleError(.evaluation, "`\(filter)` expects \(expected), but got \(value.typeName)")
    }

    /// The input of a filter that casts it to `String` in Pebble (`(String) input`): only strings are accepted.
    static func string(_ value: PebbleValue, for filter: String) throws -> String {
        guard case .string(let text) = value else { throw mismatch(filter, expects: "a string", got: value) }
        return text
    }

    /// The input of a filter that calls `input.toString()` in Pebble: strings, numbers and booleans are accepted and
    /// printed as Java prints them; lists and maps are refused rather than printed as Java's `[a, b]`.
    static func text(_ value: PebbleValue, for filter: String) throws -> String {
        switch value {
        case .string(let text): return text
        case .int, .double, .bool: return value.rendered
        case .null, .list, .map: throw mismatch(filter, expects: "a string", got: value)
        }
    }

    /// A numeric argument read as Java's `Number.intValue()` does: whole numbers as they are, decimals truncated.
    static func integer(_ value: PebbleValue, argument: String, for filter: String) throws -> Int {
        switch value {
        case .int(let number): return Int(clamping: number)
        case .double(let number):
            if number.isNaN { return 0 }
            if number >= 9.2e18 { return Int.max }
            if number <= -9.2e18 { return Int.min }
            return Int(number.rounded(.towardZero))
        default:
            throw PebbleError(.evaluation, "the `\(argument)` argument of `\(filter)` must be a number, but got \(value.typeName)")
        }
    }

    /// Refuses text that would grow past `limit` characters (an `indent(1000000000)` must not exhaust memory).
    static func checkSize(_ size: Int, for filter: String, limit: Int = 10_000_000) throws {
        guard size <= limit else {
            throw PebbleError(.limit, "`\(filter)` would produce \(size) characters, more than the \(limit) allowed")
        }
    }

    // MARK: - Java string semantics on Unicode scalars

    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// `String.indexOf(needle, from)`: the first exact occurrence at or after `start`.
    static func indexOf(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int = 0) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        let last = haystack.count - needle.count
        var index = max(start, 0)
        while index <= last {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// `String.lastIndexOf(needle)`: the last exact occurrence.
    static func lastIndexOf(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }

    /// How many times `needle` occurs in `text`, without overlaps.
    static func occurrences(of needle: String, in text: String) -> Int {
        let haystack = scalars(text)
        let pattern = scalars(needle)
        guard !pattern.isEmpty else { return haystack.count + 1 }
        var count = 0
        var index = 0
        while let found = indexOf(pattern, in: haystack, from: index) {
            count += 1
            index = found + pattern.count
        }
        return count
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        indexOf(scalars(needle), in: scalars(text)) != nil
    }

    /// `String.replace(target, replacement)`: every exact occurrence, left to right. An empty target inserts the
    /// replacement between every two characters and at both ends, as Java does (between scalars here, not UTF-16 units).
    static func replace(_ text: String, _ target: String, with replacement: String) -> String {
        let haystack = scalars(text)
        let needle = scalars(target)
        let insert = scalars(replacement)
        var output: [Unicode.Scalar] = []
        if needle.isEmpty {
            output.reserveCapacity(haystack.count + (haystack.count + 1) * insert.count)
            output.append(contentsOf: insert)
            for scalar in haystack {
                output.append(scalar)
                output.append(contentsOf: insert)
            }
            return string(output)
        }
        var index = 0
        while let found = indexOf(needle, in: haystack, from: index) {
            output.append(contentsOf: haystack[index..<found])
            output.append(contentsOf: insert)
            index = found + needle.count
        }
        output.append(contentsOf: haystack[index...])
        return string(output)
    }

    /// `String.trim()`: strips every character up to U+0020 (spaces and control characters) from both ends.
    static func trim(_ text: String) -> String {
        let all = scalars(text)
        guard let first = all.firstIndex(where: { $0.value > 0x20 }), let last = all.lastIndex(where: { $0.value > 0x20 }) else {
            return ""
        }
        return string(all[first...last])
    }

    /// `Character.isWhitespace`: Unicode space separators except the non-breaking ones, plus the ASCII controls
    /// TAB, LF, VT, FF, CR and the file/group/record/unit separators.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x1F: return true
        case 0x00A0, 0x2007, 0x202F: return false
        default:
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    /// `Character.toTitleCase(char)`: the one-character title-case mapping, or the character itself when the full
    /// mapping would need several (Java's `char` version has no multi-character results: `ß` stays `ß`).
    static func titlecase(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let mapped = scalar.properties.titlecaseMapping.unicodeScalars
        return mapped.count == 1 ? Array(mapped) : [scalar]
    }

    /// `String.toLowerCase()`, including the final-sigma rule Java applies (`ΟΔΟΣ` → `οδος`) and Swift's
    /// per-character mapping does not.
    static func lowercased(_ text: String) -> String {
        let all = scalars(text)
        var output = String.UnicodeScalarView()
        for (index, scalar) in all.enumerated() {
            if scalar == "\u{03A3}" && isFinalSigma(all, at: index) {
                output.append("\u{03C2}")
            } else {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(output)
    }

    private static func isFinalSigma(_ all: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0 && all[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, all[before].properties.isCased else { return false }
        var after = index + 1
        while after < all.count && all[after].properties.isCaseIgnorable { after += 1 }
        return !(after < all.count && all[after].properties.isCased)
    }

    /// Compares two strings as Java's `String.compareTo` does: by UTF-16 code units.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
    }

    /// What Java's `String.valueOf(object)` prints: `null`, `[a, b]` for lists, `{k=v, k2=v2}` for maps.
    /// Used where Pebble appends values to a `StringBuilder` (the `join` filter).
    static func javaString(_ value: PebbleValue) -> String {
        switch value {
        case .null: return "null"
        case .list(let items): return "[" + items.map(javaString).joined(separator: ", ") + "]"
        case .map(let map): return "{" + map.pairs.map { "\($0.key)=\(javaString($0.value))" }.joined(separator: ", ") + "}"
        default: return value.rendered
        }
    }
}
