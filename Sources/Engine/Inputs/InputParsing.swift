import FlowModel
import Foundation
import Pebble
import Synchronization

/// Why one input's value was refused; the resolver wraps ``detail`` in Kestra's message
/// ``Invalid input for `<id>`, <detail>, but received `<value>` `` (KESTRA.md §2.4).
struct InputProblem: Error {
    let detail: String

    init(_ detail: String) {
        self.detail = detail
    }

    /// Kestra's message when a parser other than `Integer`/`Float`/URI fails (`FlowInputOutput.parseType`).
    static func expected(_ type: InputType, _ raw: PebbleValue, _ cause: String) -> InputProblem {
        InputProblem("Expected `\(type.rawValue)` but received `\(raw.javaString)` with errors:\n```\n\(cause)\n```")
    }
}

/// Kestra's `FlowInputOutput.parseType`: turns submitted text (or a YAML-typed default) into the value of an input type,
/// with Java's parsing rules (KESTRA.md §2.2).
enum InputParsing {
    /// Kestra's URI check, verbatim from `FlowInputOutput.URI_PATTERN`.
    static let uriPattern = #"^[a-z]+:\/\/(?:www\.)?[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b(?:[-a-zA-Z0-9()@:%_\+.~#?&\/=]*)$"#
    /// Kestra's e-mail check, verbatim from `EmailInput.EMAIL_PATTERN` (the empty text passes).
    static let emailPattern = #"^$|^[a-zA-Z0-9_!#$%&’*+/=?`{|}~^.-]+@[a-zA-Z0-9.-]+$"#

    static func parse(_ raw: PebbleValue, as type: InputType, itemType: InputType?) throws(InputProblem) -> PebbleValue {
        switch type {
        case .string, .secret, .select, .email:
            return .string(text(raw))
        case .int:
            if case .int(let number) = raw, let value = Int32(exactly: number) { return .int(Int64(value)) }
            return .int(Int64(try javaInteger(text(raw))))
        case .float:
            let value: Float
            switch raw {
            case .double(let number): value = Float(number)
            case .int(let number): value = Float(number)
            default: value = try javaFloat(text(raw))
            }
            return .double(double(value))
        case .bool:
            if case .bool = raw { return raw }
            // Boolean.valueOf: anything but a case-insensitive `true` is false, never an error.
            return .bool(text(raw).lowercased() == "true")
        case .datetime:
            do { return .string(try JavaInstant.parse(text(raw)).text) } catch { throw .expected(type, raw, error.message) }
        case .date:
            do { return .string(try JavaLocalDate.parse(text(raw)).text) } catch { throw .expected(type, raw, error.message) }
        case .time:
            do { return .string(try JavaLocalTime.parse(text(raw)).isoText) } catch { throw .expected(type, raw, error.message) }
        case .duration:
            do { return .string(JavaDuration.text(try JavaDuration.parse(text(raw)))) } catch { throw .expected(type, raw, error.message) }
        case .file:
            let uri = text(raw)
            guard uri.range(of: "^[a-zA-Z][a-zA-Z0-9+.-]*:", options: .regularExpression) != nil else {
                throw InputProblem("it must be the `kestra://` URI of an uploaded file")
            }
            return .string(uri)
        case .json:
            guard case .string(let json) = raw else { return raw }
            do { return try PebbleValue.fromJSON(json) } catch { throw .expected(type, raw, error.message) }
        case .yaml:
            guard case .string(let yaml) = raw else { return raw }
            return try YAMLValue.parse(yaml, raw: raw)
        case .uri:
            let uri = text(raw)
            guard JavaPattern.matches(uriPattern, uri) == true else { throw InputProblem("Expected `URI` but received `\(uri)`") }
            return .string(uri)
        case .array, .multiselect:
            return try list(raw, as: type, itemType: itemType)
        case .form:
            return raw
        }
    }

    /// A JSON array (or a YAML list default) with every element parsed as `itemType`.
    static func list(_ raw: PebbleValue, as type: InputType, itemType: InputType?) throws(InputProblem) -> PebbleValue {
        var items: [PebbleValue]
        switch raw {
        case .list(let values):
            items = values
        default:
            let parsed: PebbleValue
            do { parsed = try PebbleValue.fromJSON(text(raw)) } catch { throw .expected(type, raw, error.message) }
            guard case .list(let values) = parsed else {
                throw .expected(type, raw, "a JSON array is expected, but the text is a JSON \(parsed.typeName)")
            }
            items = values
        }
        // MULTISELECT is a List<String>: its elements are compared with the option values as text.
        let elementType = itemType ?? (type == .multiselect ? .string : nil)
        if let elementType, elementType != .string {
            items = try items.map { (element: PebbleValue) throws(InputProblem) -> PebbleValue in
                do {
                    return try parse(element, as: elementType, itemType: nil)
                } catch {
                    throw InputProblem("Unable to parse array element as `\(elementType.rawValue)` on `\(element.javaString)`")
                }
            }
        }
        if type == .multiselect { items = items.map { .string(text($0)) } }
        return .list(items)
    }

    /// The value as Java's `String.valueOf` prints it, which is the text itself for text.
    static func text(_ raw: PebbleValue) -> String {
        raw.stringValue ?? raw.javaString
    }

    /// `Integer.valueOf`: an optional sign and decimal digits that fit in 32 bits.
    static func javaInteger(_ text: String) throws(InputProblem) -> Int32 {
        guard let value = Int32(text) else { throw InputProblem("For input string: \"\(text)\"") }
        return value
    }

    /// `Float.valueOf`: surrounding control characters and spaces trimmed, `NaN`, `Infinity`, decimals with an
    /// optional exponent and `f`/`d` suffix, and hexadecimal floats.
    static func javaFloat(_ text: String) throws(InputProblem) -> Float {
        // String.trim: control characters and spaces (code points up to U+0020) at both ends.
        let scalars = Array(text.unicodeScalars)
        let start = scalars.firstIndex { $0.value > 32 } ?? scalars.endIndex
        let end = scalars.lastIndex { $0.value > 32 }.map { $0 + 1 } ?? start
        let trimmed = String(String.UnicodeScalarView(scalars[start..<end]))
        guard !trimmed.isEmpty else { throw InputProblem("empty String") }
        let grammar =
            #"^[+-]?(NaN|Infinity|(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?)$"#
        guard trimmed.range(of: grammar, options: .regularExpression) != nil else {
            throw InputProblem("For input string: \"\(trimmed)\"")
        }
        if trimmed.hasSuffix("NaN") { return .nan }
        if trimmed.hasSuffix("Infinity") { return trimmed.hasPrefix("-") ? -.infinity : .infinity }
        // Past NaN and Infinity, the grammar only lets a type suffix end the text with one of these letters.
        var number = trimmed
        if let last = number.last, "fFdD".contains(last) { number.removeLast() }
        guard let value = Float(number) else { throw InputProblem("For input string: \"\(trimmed)\"") }
        return value
    }

    /// A `Float` stored as the `Double` with the same shortest decimal digits, as Jackson writes a float (`1.1`, not
    /// `1.100000023841858`).
    static func double(_ value: Float) -> Double {
        Double(String(describing: value)) ?? Double(value)
    }

    /// `Float.toString`, for bounds in messages (`10.0`, `1.5`).
    static func javaFloatText(_ value: Float) -> String {
        PebbleValue.double(double(value)).rendered
    }
}

/// Java's `Pattern.matches`: the whole text must match, with ICU standing in for `java.util.regex`.
enum JavaPattern {
    /// Compiled patterns by their text: a flow's validators are checked on every form shown, and compiling one cost more
    /// than the rest of its input's resolution. Bounded; emptied when full.
    private static let compiled = Mutex<[String: NSRegularExpression]>([:])

    /// Nil when the pattern does not compile.
    static func matches(_ pattern: String, _ text: String) -> Bool? {
        guard let regex = compile(pattern) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }

    private static func compile(_ pattern: String) -> NSRegularExpression? {
        if let regex = compiled.withLock({ $0[pattern] }) { return regex }
        guard let regex = try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z") else { return nil }
        compiled.withLock { table in
            if table.count >= 1_000 { table.removeAll(keepingCapacity: true) }
            table[pattern] = regex
        }
        return regex
    }
}

/// YAML text to a value, typed as Jackson's YAML mapper types scalars: null, booleans, integers and decimals when
/// written plain, text otherwise.
enum YAMLValue {
    static func parse(_ text: String, raw: PebbleValue) throws(InputProblem) -> PebbleValue {
        let document = YAMLComposer().compose(text)
        if let problem = document.problems.first {
            throw .expected(.yaml, raw, "\(problem.message) (line \(problem.location.line), column \(problem.location.column))")
        }
        guard let root = document.root else { return .null }
        return value(root)
    }

    static func value(_ node: YAMLNode) -> PebbleValue {
        switch node {
        case .scalar(let scalar): scalarValue(scalar)
        case .sequence(let items, _): .list(items.map(value))
        case .mapping(let entries, _): .map(PebbleMap(entries.map { ($0.key.value, value($0.value)) }))
        }
    }

    static func scalarValue(_ scalar: YAMLScalar) -> PebbleValue {
        let text = scalar.value
        if let tag = scalar.tag, tag.hasSuffix(":str") || tag == "!!str" { return .string(text) }
        guard scalar.style == .plain else { return .string(text) }
        if scalar.isNull { return .null }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if text.range(of: #"^[-+]?[0-9]+$"#, options: .regularExpression) != nil {
            return Int64(text).map(PebbleValue.int) ?? Double(text).map(PebbleValue.double) ?? .string(text)
        }
        if text.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
            let number = Double(text)
        {
            return .double(number)
        }
        return .string(text)
    }
}

extension PebbleValue {
    /// A flow file's value (a `defaults`, a bound) as a template value.
    init(_ value: FlowValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .int(Int64(number))
        case .double(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .list(let items): self = .list(items.map(PebbleValue.init))
        case .map(let entries): self = .map(PebbleMap(entries.map { ($0.key, PebbleValue($0.value)) }))
        }
    }
}
