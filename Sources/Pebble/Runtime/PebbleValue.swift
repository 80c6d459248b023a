import Foundation

/// A value inside a Pebble evaluation: what contexts hold, expressions compute and filters transform.
public indirect enum PebbleValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// Pebble's integers are Java `long`s.
    case int(Int64)
    case double(Double)
    case string(String)
    case list([PebbleValue])
    case map(PebbleMap)

    public var isNull: Bool { self == .null }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var listValue: [PebbleValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var mapValue: PebbleMap? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// The name of the value's type in messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .list: "list"
        case .map: "map"
        }
    }

    /// What `{{ value }}` prints, as Kestra's JsonWriter does: null prints nothing, maps and lists print as compact JSON,
    /// decimals as Java's `Double.toString` (`1.0`, `1.0E10`).
    public var rendered: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): JavaNumberFormat.double(value)
        case .string(let value): value
        case .list, .map: jsonWithoutNullEntries
        }
    }

    /// Compact JSON as Jackson writes it (no spaces, keys in insertion order).
    public var json: String {
        var output = ""
        writeJSON(into: &output)
        return output
    }

    /// What Java's `toString` prints, which Pebble's `~` and `+` use: `[1, a]` and `{a=1}` rather than JSON.
    public var javaString: String {
        switch self {
        case .null: "null"
        case .list(let items): "[" + items.map(\.javaString).joined(separator: ", ") + "]"
        case .map(let map): "{" + map.pairs.map { "\($0.key)=\($0.value.javaString)" }.joined(separator: ", ") + "}"
        default: rendered
        }
    }

    /// JSON with null map entries dropped, as Kestra's JsonWriter prints maps (its mapper excludes nulls).
    var jsonWithoutNullEntries: String {
        var output = ""
        writeJSON(into: &output, dropNullEntries: true)
        return output
    }

    func writeJSON(into output: inout String, dropNullEntries: Bool = false) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value): output += value.isFinite ? JavaNumberFormat.double(value) : "\"\(JavaNumberFormat.double(value))\""
        case .string(let value): JSONText.writeString(value, into: &output)
        case .list(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.writeJSON(into: &output, dropNullEntries: dropNullEntries)
            }
            output += "]"
        case .map(let map):
            output += "{"
            var first = true
            for (key, value) in map.pairs where !(dropNullEntries && value == .null) {
                if !first { output += "," }
                first = false
                JSONText.writeString(key, into: &output)
                output += ":"
                value.writeJSON(into: &output, dropNullEntries: dropNullEntries)
            }
            output += "}"
        }
    }

    /// Kestra's truthiness for `If`, `Fail` and `runIf`: the rendered text is false when it is `false`, `0`, `-0` or empty
    /// (TruthUtils in Kestra core).
    public static func isTruthy(rendered text: String) -> Bool {
        let trimmed = text.trimmingWhitespace()
        return !(trimmed.isEmpty || trimmed == "false" || trimmed == "0" || trimmed == "-0")
    }
}

/// A map that keeps the order keys were inserted in, as Java's LinkedHashMap and Jackson do.
public struct PebbleMap: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var storage: [String: PebbleValue] = [:]

    public init() {}

    public init(_ pairs: [(String, PebbleValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> PebbleValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var values: [PebbleValue] { keys.map { storage[$0]! } }
    public var pairs: [(key: String, value: PebbleValue)] { keys.map { ($0, storage[$0]!) } }

    public static func == (lhs: PebbleMap, rhs: PebbleMap) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

extension PebbleValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: PebbleValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, PebbleValue)...) { self = .map(PebbleMap(elements)) }
    public init(nilLiteral: ()) { self = .null }
}

/// JSON string escaping as Jackson does it: quotes, backslashes and control characters; `/` and non-ASCII stay as they are.
enum JSONText {
    static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    output += String(format: "\\u%04X", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

/// Number formatting that matches Java, so rendered numbers read the same as in Kestra.
enum JavaNumberFormat {
    /// Java's `Double.toString`: plain notation for 10⁻³ ≤ |d| < 10⁷, otherwise `d.dddE±n`; always a fractional part.
    static func double(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest digits that round-trip, like Java; only the layout differs.
        let (negative, digits, exponent) = decompose(value)
        let sign = negative ? "-" : ""
        let magnitude = abs(value)
        if magnitude >= 1e-3, magnitude < 1e7 {
            if exponent >= 0 {
                let integerDigits = exponent + 1
                let padded = digits.count < integerDigits ? digits + String(repeating: "0", count: integerDigits - digits.count) : digits
                let integerPart = String(padded.prefix(integerDigits))
                let fraction = String(padded.dropFirst(integerDigits))
                return sign + integerPart + "." + (fraction.isEmpty ? "0" : fraction)
            }
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
        }
        let fraction = digits.dropFirst()
        return sign + String(digits.prefix(1)) + "." + (fraction.isEmpty ? "0" : String(fraction)) + "E" + String(exponent)
    }

    /// Sign, significant digits without leading/trailing zeros, and the decimal exponent of the first digit.
    static func decompose(_ value: Double) -> (Bool, String, Int) {
        var text = abs(value).description.lowercased()
        var exponent = 0
        if let e = text.firstIndex(of: "e") {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        return (value < 0, digits, pointPosition - 1 + exponent)
    }
}
