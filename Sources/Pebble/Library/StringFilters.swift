import Crypto
import Foundation

/// Filters on text: Pebble's core ones (`upper`, `trim`, `split`, `default`, …) and Kestra's (`slugify`, `indent`,
/// `substringBefore`, `replace` with `regexp`, …), following io.pebbletemplates' `extension/core/*Filter.java` and
/// Kestra's `core/runners/pebble/filters/*.java`.
///
/// As in Pebble, a `null` input gives `null` for almost every filter, so `{{ missing ?? null | upper }}` prints nothing.
enum StringFilters {
    static let all: [PebbleFilter] = [
        upper, lower, title, capitalize, trim, abbreviate, replace, slugify,
        substringBefore, substringBeforeLast, substringAfter, substringAfterLast, startsWith, endsWith,
        indent, nindent, escapeChar, urlencode, urldecode, base64encode, base64decode,
        sha1, sha256, sha512, md5, split, defaultValue,
    ]

    // MARK: - Case and whitespace

    static let upper = PebbleFilter("upper") { input, _, _ in
        guard input != .null else { return .null }
        return .string(try FilterSupport.text(input, for: "upper").uppercased())
    }

    static let lower = PebbleFilter("lower") { input, _, _ in
        guard input != .null else { return .null }
        return .string(FilterSupport.lowercased(try FilterSupport.text(input, for: "lower")))
    }

    /// Title-cases the first character after each whitespace and leaves the rest alone (`TEST TEST` stays as it is).
    static let title = PebbleFilter("title") { input, _, _ in
        guard input != .null else { return .null }
        var output: [Unicode.Scalar] = []
        var capitalizeNext = true
        for scalar in try FilterSupport.string(input, for: "title").unicodeScalars {
            if FilterSupport.isWhitespace(scalar) {
                capitalizeNext = true
                output.append(scalar)
            } else if capitalizeNext {
                output.append(contentsOf: FilterSupport.titlecase(scalar))
                capitalizeNext = false
            } else {
                output.append(scalar)
            }
        }
        return .string(FilterSupport.string(output))
    }

    /// Title-cases the first non-whitespace character only.
    static let capitalize = PebbleFilter("capitalize") { input, _, _ in
        guard input != .null else { return .null }
        let all = FilterSupport.scalars(try FilterSupport.string(input, for: "capitalize"))
        guard let first = all.firstIndex(where: { !FilterSupport.isWhitespace($0) }) else { return .string(FilterSupport.string(all)) }
        return .string(FilterSupport.string(all[..<first] + FilterSupport.titlecase(all[first]) + all[(first + 1)...]))
    }

    static let trim = PebbleFilter("trim") { input, _, _ in
        guard input != .null else { return .null }
        return .string(FilterSupport.trim(try FilterSupport.string(input, for: "trim")))
    }

    /// `abbreviate(length)`: cuts to `length` characters, the last three replaced by `...`. Pebble's quirks are kept:
    /// a text exactly `length` long is still cut (`'abcdef' | abbreviate(6)` is `abc...`), texts of three characters
    /// or fewer never are, and a `length` of three or less cuts without dots.
    static let abbreviate = PebbleFilter("abbreviate", arguments: ["length"]) { input, arguments, _ in
        guard input != .null else { return .null }
        let all = FilterSupport.scalars(try FilterSupport.string(input, for: "abbreviate"))
        guard let length = try arguments.int("length", for: "abbreviate") else {
            throw PebbleError(.evaluation, "`abbreviate` needs the `length` argument, for example abbreviate(10)")
        }
        guard length >= 0 else { throw PebbleError(.evaluation, "`abbreviate` expects a `length` of 0 or more, but got \(length)") }
        let maxWidth = Int(clamping: length)
        if all.count < maxWidth || all.count <= 3 { return input }
        if maxWidth <= 3 { return .string(FilterSupport.string(all.prefix(maxWidth))) }
        return .string(FilterSupport.string(all.prefix(maxWidth - 3)) + "...")
    }

    // MARK: - Replacing and slugs

    /// Kestra's `replace(pairs, regexp=false)`: every key of the map is replaced by its value, in the map's order;
    /// with `regexp=true` the keys are regular expressions and `$1` refers to groups. Lists and maps are processed
    /// element by element (Kestra's `ReplaceFilter.processMap/processList`); numbers and booleans become text.
    static let replace = PebbleFilter("replace", arguments: ["replace_pairs", "regexp"]) { input, arguments, _ in
        guard input != .null else { return .null }
        guard let pairsArgument = arguments["replace_pairs"], pairsArgument != .null else {
            throw PebbleError(.evaluation, "`replace` needs a map of replacements, for example replace({'old': 'new'})")
        }
        guard case .map(let pairs) = pairsArgument else {
            throw PebbleError(.evaluation, "`replace` expects a map of replacements, but got \(pairsArgument.typeName)")
        }
        let useRegex: Bool
        switch arguments["regexp"] {
        case nil: useRegex = false
        case .bool(let flag): useRegex = flag
        case let other?: throw PebbleError(.evaluation, "the `regexp` argument of `replace` must be true or false, but got \(other.typeName)")
        }
        var replacements: [(target: String, replacement: String, regex: NSRegularExpression?)] = []
        for (key, value) in pairs.pairs {
            guard value != .null else { throw PebbleError(.evaluation, "`replace` has no replacement for `\(key)`: its value is null") }
            let replacement = try FilterSupport.text(value, for: "replace")
            replacements.append((key, replacement, useRegex ? try regex(key, for: "replace") : nil))
        }
        return try transformStrings(input, filter: "replace") { text in
            var data = text
            for (target, replacement, regex) in replacements {
                if let regex {
                    let range = NSRange(data.startIndex..<data.endIndex, in: data)
                    data = regex.stringByReplacingMatches(in: data, options: [], range: range, withTemplate: replacement)
                } else {
                    data = FilterSupport.replace(data, target, with: replacement)
                }
            }
            return data
        }
    }

    /// Kestra's `Slugify.of`: whitespace becomes `-`, accents are stripped (NFD), anything but ASCII letters, digits,
    /// `_` and `-` is dropped, `_` becomes `-`, runs of `-` collapse, one `-` is trimmed from each end, then lowercase.
    static let slugify = PebbleFilter("slugify") { input, _, _ in
        guard input != .null else { return .null }
        let text = try FilterSupport.text(input, for: "slugify")
        let dashed = FilterSupport.string(
            text.unicodeScalars.map { [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r"].contains($0) ? "-" : $0 }
        )
        var slug: [Unicode.Scalar] = []
        for scalar in dashed.decomposedStringWithCanonicalMapping.unicodeScalars {
            guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" else {
                continue
            }
            let kept: Unicode.Scalar = scalar == "_" ? "-" : scalar
            if kept == "-", slug.last == "-" { continue }
            slug.append(kept)
        }
        if slug.first == "-" { slug.removeFirst() }
        if slug.last == "-" { slug.removeLast() }
        return .string(FilterSupport.string(slug).lowercased())
    }

    // MARK: - Substrings (Apache Commons StringUtils)

    static let substringBefore = substringFilter("substringBefore") { text, separator in
        // StringUtils.substringBefore: null separator → text; empty separator → ""; not found → text.
        guard !text.isEmpty, let separator else { return text }
        guard !separator.isEmpty else { return [] }
        guard let position = FilterSupport.indexOf(separator, in: text) else { return text }
        return Array(text[..<position])
    }

    static let substringBeforeLast = substringFilter("substringBeforeLast") { text, separator in
        guard !text.isEmpty, let separator, !separator.isEmpty else { return text }
        guard let position = FilterSupport.lastIndexOf(separator, in: text) else { return text }
        return Array(text[..<position])
    }

    static let substringAfter = substringFilter("substringAfter") { text, separator in
        guard !text.isEmpty else { return text }
        guard let separator, let position = FilterSupport.indexOf(separator, in: text) else { return [] }
        return Array(text[(position + separator.count)...])
    }

    static let substringAfterLast = substringFilter("substringAfterLast") { text, separator in
        guard !text.isEmpty else { return text }
        guard let separator, !separator.isEmpty, let position = FilterSupport.lastIndexOf(separator, in: text),
            position != text.count - separator.count
        else { return [] }
        return Array(text[(position + separator.count)...])
    }

    private static func substringFilter(
        _ name: String,
        _ cut: @escaping @Sendable (_ text: [Unicode.Scalar], _ separator: [Unicode.Scalar]?) -> [Unicode.Scalar]
    ) -> PebbleFilter {
        PebbleFilter(name, arguments: ["separator"]) { input, arguments, _ in
            guard input != .null else { return .null }
            let text = try FilterSupport.text(input, for: name)
            guard let separatorArgument = arguments["separator"] else {
                throw PebbleError(.evaluation, "`\(name)` needs the `separator` argument, for example \(name)('.')")
            }
            let separator = separatorArgument == .null ? nil : FilterSupport.scalars(try FilterSupport.text(separatorArgument, for: name))
            return .string(FilterSupport.string(cut(FilterSupport.scalars(text), separator)))
        }
    }

    // MARK: - Tests on text

    static let startsWith = affixFilter("startsWith", FilterSupport.hasPrefix)
    static let endsWith = affixFilter("endsWith", FilterSupport.hasSuffix)

    /// Kestra's `StartsWithFilter`/`EndsWithFilter` call `input.toString()` without a null check: a null input fails.
    private static func affixFilter(_ name: String, _ test: @escaping @Sendable (String, String) -> Bool) -> PebbleFilter {
        PebbleFilter(name, arguments: ["value"]) { input, arguments, _ in
            let text = try FilterSupport.text(input, for: name)
            guard let value = arguments["value"], value != .null else {
                throw PebbleError(.evaluation, "`\(name)` needs the text to look for, for example \(name)('abc')")
            }
            return .bool(test(text, try FilterSupport.text(value, for: name)))
        }
    }

    // MARK: - Indentation (Kestra's AbstractIndent)

    static let indent = indentFilter("indent", newlineFirst: false)
    static let nindent = indentFilter("nindent", newlineFirst: true)

    /// `indent(amount, prefix=' ')` indents every line but the first; `nindent` starts with a line break and indents
    /// every line. The line break is the first kind found among `\r\n`, `\n\r`, `\n`, `\r`.
    private static func indentFilter(_ name: String, newlineFirst: Bool) -> PebbleFilter {
        PebbleFilter(name, arguments: ["amount", "prefix"]) { input, arguments, _ in
            guard input != .null else { return .null }
            let text = try FilterSupport.text(input, for: name)
            if text.isEmpty { return .string(text) }
            guard let amount = try arguments.int("amount", for: name) else {
                throw PebbleError(.evaluation, "`\(name)` needs the `amount` of indentation, for example \(name)(2)")
            }
            guard amount >= 0 else { throw PebbleError(.evaluation, "`\(name)` expects an `amount` of 0 or more, but got \(amount)") }
            let prefix = try arguments.string("prefix", for: name) ?? " "
            let count = Int(clamping: amount)
            let newline = lineSeparator(of: text)
            let lines = FilterSupport.occurrences(of: newline, in: text) + (newlineFirst ? 1 : 0)
            let added = [lines, count, prefix.unicodeScalars.count].reduce((1, false)) { product, factor in
                let next = product.0.multipliedReportingOverflow(by: factor)
                return (next.partialValue, product.1 || next.overflow)
            }
            try FilterSupport.checkSize(added.1 ? Int.max : added.0, for: name)
            let source = newlineFirst ? newline + text : text
            return .string(FilterSupport.replace(source, newline, with: newline + String(repeating: prefix, count: count)))
        }
    }

    private static func lineSeparator(of text: String) -> String {
        for candidate in ["\r\n", "\n\r", "\n", "\r"] where FilterSupport.contains(text, candidate) { return candidate }
        return "\n"
    }

    // MARK: - Escaping and encoding

    /// Kestra's `escapeChar(type)`: `single` escapes `'` as `\'`, `double` escapes `"` as `\"`, `shell` turns `'` into
    /// `'\''`. The type is case-insensitive; lists and maps are processed element by element.
    static let escapeChar = PebbleFilter("escapeChar", arguments: ["type"]) { input, arguments, _ in
        guard input != .null else { return .null }
        guard let typeArgument = arguments["type"] else {
            throw PebbleError(.evaluation, "`escapeChar` needs the `type` argument: 'single', 'double' or 'shell'")
        }
        let (target, replacement): (String, String)
        switch typeArgument.stringValue?.lowercased() {
        case "single": (target, replacement) = ("'", "\\'")
        case "double": (target, replacement) = ("\"", "\\\"")
        case "shell": (target, replacement) = ("'", "'\\''")
        default:
            throw PebbleError(.evaluation, "`escapeChar` expects the type 'single', 'double' or 'shell', but got \(describe(typeArgument))")
        }
        return try transformStrings(input, filter: "escapeChar") { FilterSupport.replace($0, target, with: replacement) }
    }

    /// Java's `URLEncoder.encode(text, UTF-8)`: letters, digits and `.-*_` stay, space becomes `+`, the rest `%XX`.
    static let urlencode = PebbleFilter("urlencode") { input, _, _ in
        guard input != .null else { return .null }
        var output = ""
        for byte in try FilterSupport.string(input, for: "urlencode").utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "_"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): output += "+"
            default: output += "%" + hexDigits(byte, uppercase: true)
            }
        }
        return .string(output)
    }

    /// Java's `URLDecoder.decode(text, UTF-8)`: `+` is a space, runs of `%XX` are decoded together as UTF-8 (invalid
    /// sequences become U+FFFD), and a malformed escape is an error.
    static let urldecode = PebbleFilter("urldecode") { input, _, _ in
        guard input != .null else { return .null }
        let all = FilterSupport.scalars(try FilterSupport.string(input, for: "urldecode"))
        var output = String.UnicodeScalarView()
        var index = 0
        while index < all.count {
            switch all[index] {
            case "+":
                output.append(" ")
                index += 1
            case "%":
                var bytes: [UInt8] = []
                while index + 2 < all.count, all[index] == "%" {
                    // Integer.parseInt(…, 16) accepts a sign, as Int(_:radix:) does; a negative value is refused.
                    guard let value = Int(FilterSupport.string(all[(index + 1)...(index + 2)]), radix: 16), value >= 0 else {
                        throw PebbleError(.evaluation, "`urldecode` found an invalid escape `\(FilterSupport.string(all[index...(index + 2)]))`")
                    }
                    bytes.append(UInt8(truncatingIfNeeded: value))
                    index += 3
                }
                if index < all.count, all[index] == "%" {
                    throw PebbleError(.evaluation, "`urldecode` found an incomplete escape `\(FilterSupport.string(all[index...]))` at the end")
                }
                output.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars)
            default:
                output.append(all[index])
                index += 1
            }
        }
        return .string(String(output))
    }

    static let base64encode = PebbleFilter("base64encode") { input, _, _ in
        guard input != .null else { return .null }
        return .string(Data(try FilterSupport.text(input, for: "base64encode").utf8).base64EncodedString())
    }

    /// Java's strict `Base64.getDecoder()`: padding is optional, anything outside the alphabet (spaces, line breaks)
    /// is an error; the bytes are read as UTF-8 with U+FFFD for invalid sequences.
    static let base64decode = PebbleFilter("base64decode") { input, _, _ in
        guard input != .null else { return .null }
        let text = try FilterSupport.string(input, for: "base64decode")
        guard let bytes = decodeBase64(Array(text.utf8)) else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw PebbleError(.evaluation, "`base64decode` expects Base64 text, but got `\(shown)`")
        }
        return .string(String(decoding: bytes, as: UTF8.self))
    }

    // MARK: - Hashes (lowercase hex of the UTF-8 bytes)

    static let sha1 = hashFilter("sha1") { Insecure.SHA1.hash(data: $0).map { $0 } }
    static let sha256 = hashFilter("sha256") { SHA256.hash(data: $0).map { $0 } }
    static let sha512 = hashFilter("sha512") { SHA512.hash(data: $0).map { $0 } }
    static let md5 = hashFilter("md5") { Insecure.MD5.hash(data: $0).map { $0 } }

    private static func hashFilter(_ name: String, _ digest: @escaping @Sendable (Data) -> [UInt8]) -> PebbleFilter {
        PebbleFilter(name) { input, _, _ in
            guard input != .null else { return .null }
            let text = try FilterSupport.string(input, for: name)
            return .string(digest(Data(text.utf8)).map { hexDigits($0, uppercase: false) }.joined())
        }
    }

    // MARK: - Split and default

    /// Java's `String.split(delimiter, limit)`: the delimiter is a regular expression; without a limit (or 0) trailing
    /// empty strings are dropped, a negative limit keeps them, a positive one caps the number of parts.
    static let split = PebbleFilter("split", arguments: ["delimiter", "limit"]) { input, arguments, _ in
        guard input != .null else { return .null }
        let text = try FilterSupport.string(input, for: "split")
        guard let delimiter = try arguments.string("delimiter", for: "split") else {
            throw PebbleError(.evaluation, "`split` needs a delimiter, for example split(',')")
        }
        let limit = try arguments["limit"].flatMap { $0 == .null ? nil : try FilterSupport.integer($0, argument: "limit", for: "split") } ?? 0
        return .list(javaSplit(text, regex: try regex(delimiter, for: "split"), limit: limit).map(PebbleValue.string))
    }

    /// Pebble's `default(value)`: the value when the input is null, a blank string (Java `trim()` leaves nothing),
    /// an empty list or an empty map; otherwise the input. An undefined input reaches the filter as null.
    static let defaultValue = PebbleFilter("default", arguments: ["default"]) { input, arguments, _ in
        switch input {
        case .null: return arguments["default"] ?? .null
        case .string(let text) where FilterSupport.trim(text).isEmpty: return arguments["default"] ?? .null
        case .list(let items) where items.isEmpty: return arguments["default"] ?? .null
        case .map(let map) where map.isEmpty: return arguments["default"] ?? .null
        default: return input
        }
    }

    // MARK: - Helpers

    /// Applies `transform` to a string, or to every string, number and boolean inside a list or map (keeping nulls).
    static func transformStrings(_ value: PebbleValue, filter: String, _ transform: (String) throws -> String) throws -> PebbleValue {
        switch value {
        case .null: return .null
        case .string(let text): return .string(try transform(text))
        case .int, .double, .bool: return .string(try transform(value.rendered))
        case .list(let items): return .list(try items.map { try transformStrings($0, filter: filter, transform) })
        case .map(let map):
            var output = PebbleMap()
            for (key, item) in map.pairs { output[key] = try transformStrings(item, filter: filter, transform) }
            return .map(output)
        }
    }

    static func regex(_ pattern: String, for filter: String) throws -> NSRegularExpression {
        do {
            // Java accepts the empty pattern (it matches between characters); ICU needs it spelled as an empty group.
            return try NSRegularExpression(pattern: pattern.isEmpty ? "(?:)" : pattern)
        } catch {
            throw PebbleError(.evaluation, "`\(filter)` got an invalid regular expression `\(pattern)`")
        }
    }

    /// `Pattern.split(input, limit)` from the JDK, over UTF-16 offsets as NSRegularExpression reports them.
    static func javaSplit(_ text: String, regex: NSRegularExpression, limit: Int) -> [String] {
        let source = text as NSString
        var parts: [String] = []
        var index = 0
        let limited = limit > 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            let range = match.range
            if !limited || parts.count < limit - 1 {
                // A zero-width match at the very beginning never yields a leading empty string.
                if index == 0 && range.location == 0 && range.length == 0 { continue }
                parts.append(source.substring(with: NSRange(location: index, length: range.location - index)))
                index = range.location + range.length
            } else if parts.count == limit - 1 {
                parts.append(source.substring(from: index))
                index = range.location + range.length
            }
        }
        if index == 0 { return [text] }
        if !limited || parts.count < limit { parts.append(source.substring(from: index)) }
        if limit == 0 {
            while let last = parts.last, last.isEmpty { parts.removeLast() }
        }
        return parts
    }

    /// The JDK's basic Base64 decoder (`Base64.Decoder.decode0`), including where it refuses input.
    static func decodeBase64(_ source: [UInt8]) -> [UInt8]? {
        if source.isEmpty { return [] }
        if source.count < 2 { return nil }
        var output: [UInt8] = []
        var bits = 0
        var shift = 18
        var index = 0
        while index < source.count {
            let byte = source[index]
            index += 1
            guard let value = base64Value(byte) else {
                guard byte == UInt8(ascii: "=") else { return nil }
                // "xx=" must be followed by a second "=", and "=" cannot start a unit.
                if shift == 6 && (index == source.count || source[index] != UInt8(ascii: "=")) || shift == 18 { return nil }
                if shift == 6 { index += 1 }
                break
            }
            bits |= value << shift
            shift -= 6
            if shift < 0 {
                output += [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
                shift = 18
                bits = 0
            }
        }
        switch shift {
        case 6: output.append(UInt8(truncatingIfNeeded: bits >> 16))
        case 0: output += [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8)]
        case 12: return nil
        default: break
        }
        return index < source.count ? nil : output
    }

    private static func base64Value(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(byte - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }

    static func hexDigits(_ byte: UInt8, uppercase: Bool) -> String {
        let digits = Array(uppercase ? "0123456789ABCDEF" : "0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    private static func describe(_ value: PebbleValue) -> String {
        if case .string(let text) = value { return "'\(text)'" }
        return value.typeName
    }
}
