import Foundation

/// Kestra's `number` filter (`io.kestra.core.runners.pebble.filters.NumberFilter`, built on commons-lang's `NumberUtils`)
/// and Pebble's `numberFormat` (`NumberFormatFilter`, a `java.text.DecimalFormat`; Kestra's `ExtensionCustomizer`
/// registers it as `numberFormat` instead of Pebble's `numberformat`).
///
/// Java distinguishes Integer, Long, Float, Double, BigInteger and BigDecimal; a ``PebbleValue`` has 64-bit integers and
/// doubles, so whole results become `.int` and the others `.double`, and values neither can hold are refused.
enum NumberFilters {
    static let all: [PebbleFilter] = [number, numberFormat]

    static let number = PebbleFilter("number", arguments: ["type"]) { input, arguments, _ in
        guard input != .null else { return .null }
        guard case .string(let text) = input else {
            throw PebbleError(.evaluation, "`number` filter can only be applied to a string, but got \(input.typeName)")
        }
        let type = try arguments.string("type", for: "number") ?? ""
        do {
            switch type {
            case "INT": return .int(try JavaNumbers.decode(text, bits: 32))
            case "LONG": return .int(try JavaNumbers.decode(text, bits: 64))
            case "FLOAT": return .double(try JavaNumbers.float(text))
            case "DOUBLE": return .double(try JavaNumbers.double(text))
            case "BIGDECIMAL": return try JavaNumbers.bigDecimal(text)
            case "BIGINTEGER": return .int(try JavaNumbers.bigInteger(text))
            // Any other type, and none, auto-detects (NumberUtils.createNumber).
            default: return try JavaNumbers.createNumber(text)
            }
        } catch let error as JavaNumbers.Failure {
            let expected = type.isEmpty ? "a number" : "a number of type \(type)"
            throw PebbleError(.evaluation, "`number` filter: cannot read '\(text)' as \(expected): \(error.message)")
        }
    }

    static let numberFormat = PebbleFilter("numberFormat", arguments: ["format"]) { input, arguments, _ in
        guard input != .null else { return .null }
        let formatter: JavaDecimalFormat
        if let pattern = try arguments.string("format", for: "numberFormat") {
            do throws(JavaDecimalFormat.PatternError) {
                formatter = try JavaDecimalFormat(pattern: pattern)
            } catch {
                throw PebbleError(.evaluation, "`numberFormat` filter: invalid DecimalFormat pattern: \(error.message)")
            }
        } else {
            formatter = .standard
        }
        switch input {
        case .int(let value): return .string(formatter.format(value))
        case .double(let value): return .string(formatter.format(value))
        default:
            throw PebbleError(.evaluation, "`numberFormat` filter: the input has to be a number, but got \(input.typeName)")
        }
    }
}

/// Java's number parsing as `NumberUtils` uses it: `Integer.decode`, `Long.decode`, `Float.valueOf`, `Double.valueOf`,
/// `new BigDecimal`, `NumberUtils.createBigInteger` and `NumberUtils.createNumber`.
enum JavaNumbers {
    struct Failure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// `Integer.decode` (bits 32) / `Long.decode` (bits 64): sign, then `0x`, `0X` or `#` for hexadecimal, a leading `0`
    /// for octal (so "010" is 8).
    static func decode(_ text: String, bits: Int) throws(Failure) -> Int64 {
        let chars = Array(text.unicodeScalars)
        guard !chars.isEmpty else { throw Failure("Zero length string") }
        var index = 0
        var negative = false
        if chars[0] == "-" {
            negative = true
            index = 1
        } else if chars[0] == "+" {
            index = 1
        }
        var radix: UInt64 = 10
        if hasPrefix(chars, "0x", at: index) || hasPrefix(chars, "0X", at: index) {
            radix = 16
            index += 2
        } else if hasPrefix(chars, "#", at: index) {
            radix = 16
            index += 1
        } else if hasPrefix(chars, "0", at: index) && chars.count > index + 1 {
            radix = 8
            index += 1
        }
        if hasPrefix(chars, "-", at: index) || hasPrefix(chars, "+", at: index) { throw Failure("Sign character in wrong position") }
        let magnitude = try unsigned(chars[index...], radix: radix, text: text)
        let limit = UInt64(1) << UInt64(bits - 1)
        guard negative ? magnitude <= limit : magnitude < limit else {
            throw Failure("value out of range for a \(bits == 32 ? "32" : "64")-bit integer")
        }
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    private static func hasPrefix(_ chars: [Unicode.Scalar], _ prefix: String, at index: Int) -> Bool {
        let scalars = Array(prefix.unicodeScalars)
        guard index + scalars.count <= chars.count else { return false }
        return Array(chars[index..<(index + scalars.count)]) == scalars
    }

    private static func unsigned(_ digits: ArraySlice<Unicode.Scalar>, radix: UInt64, text: String) throws(Failure) -> UInt64 {
        guard !digits.isEmpty else { throw Failure("For input string: \"\(text)\"") }
        var value: UInt64 = 0
        for scalar in digits {
            let digit: UInt64
            // Character.digit: any Unicode decimal digit, and ASCII letters above ten.
            switch scalar {
            case "a"..."z": digit = UInt64(scalar.value - 97 + 10)
            case "A"..."Z": digit = UInt64(scalar.value - 65 + 10)
            default:
                guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else {
                    throw Failure("For input string: \"\(text)\"")
                }
                digit = UInt64(value)
            }
            guard digit < radix else { throw Failure("For input string: \"\(text)\"") }
            let (product, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = product.addingReportingOverflow(digit)
            if overflow1 || overflow2 { throw Failure("value out of range for a 64-bit integer") }
            value = sum
        }
        return value
    }

    /// `NumberUtils.createBigInteger`: like `decode`, without a size limit in Java; here it has to fit 64 bits.
    static func bigInteger(_ text: String) throws(Failure) -> Int64 {
        let chars = Array(text.unicodeScalars)
        guard !chars.isEmpty else { throw Failure("Zero length BigInteger") }
        var pos = 0
        var negate = false
        if chars[0] == "-" {
            negate = true
            pos = 1
        } else if chars[0] == "+" {
            pos = 1
        }
        var radix: UInt64 = 10
        if hasPrefix(chars, "0x", at: pos) || hasPrefix(chars, "0X", at: pos) {
            radix = 16
            pos += 2
        } else if hasPrefix(chars, "#", at: pos) {
            radix = 16
            pos += 1
        } else if hasPrefix(chars, "0", at: pos) && chars.count > pos + 1 {
            radix = 8
            pos += 1
        }
        // new BigInteger(String, radix) takes its own sign.
        var rest = chars[pos...]
        if let first = rest.first, first == "-" || first == "+" {
            if first == "-" { negate.toggle() }
            rest = rest.dropFirst()
        }
        let magnitude: UInt64
        do {
            magnitude = try unsigned(rest, radix: radix, text: text)
        } catch {
            if error.message.contains("range") { throw Failure("\(text) does not fit in a 64-bit integer") }
            throw error
        }
        guard negate ? magnitude <= UInt64(Int64.max) + 1 : magnitude <= UInt64(Int64.max) else {
            throw Failure("\(text) does not fit in a 64-bit integer")
        }
        return negate ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// The decimal grammar of `Double.valueOf` / `Float.valueOf` (`FloatingDecimal.readJavaFormatString`): surrounding
    /// whitespace and control characters ignored, `NaN`, `Infinity`, hexadecimal `0x1.8p1`, an optional `f`/`d` suffix.
    static func javaFloatText(_ text: String) throws(Failure) -> String {
        // String.trim(): characters up to U+0020 are dropped at both ends.
        var chars = Array(text.unicodeScalars.drop(while: { $0.value <= 32 }))
        while let last = chars.last, last.value <= 32 { chars.removeLast() }
        guard !chars.isEmpty else { throw Failure("empty String") }
        var sign = ""
        if chars[0] == "+" || chars[0] == "-" {
            sign = chars[0] == "-" ? "-" : ""
            chars.removeFirst()
        }
        let body = String(String.UnicodeScalarView(chars))
        if body == "NaN" { return "nan" }
        if body == "Infinity" { return sign + "inf" }
        if let last = chars.last, "fFdD".unicodeScalars.contains(last) { chars.removeLast() }
        let number = String(String.UnicodeScalarView(chars))
        if number.hasPrefix("0x") || number.hasPrefix("0X") {
            guard number.contains("p") || number.contains("P"), Double(number) != nil else { throw Failure("For input string: \"\(text)\"") }
            return sign + number
        }
        // digits [. digits] [e [sign] digits], at least one digit in the significand
        var i = 0
        var significandDigits = 0
        while i < chars.count, ("0"..."9").contains(chars[i]) {
            i += 1
            significandDigits += 1
        }
        if i < chars.count, chars[i] == "." {
            i += 1
            while i < chars.count, ("0"..."9").contains(chars[i]) {
                i += 1
                significandDigits += 1
            }
        }
        guard significandDigits > 0 else { throw Failure("For input string: \"\(text)\"") }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            var exponentDigits = 0
            while i < chars.count, ("0"..."9").contains(chars[i]) {
                i += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { throw Failure("For input string: \"\(text)\"") }
        }
        guard i == chars.count else { throw Failure("For input string: \"\(text)\"") }
        return sign + number
    }

    static func double(_ text: String) throws(Failure) -> Double {
        guard let value = Double(try javaFloatText(text)) else { throw Failure("For input string: \"\(text)\"") }
        return value
    }

    /// `Float.valueOf`, widened to the double with the same shortest digits (`12.3f` renders `12.3`, as in Java).
    static func float(_ text: String) throws(Failure) -> Double {
        guard let value = Float(try javaFloatText(text)) else { throw Failure("For input string: \"\(text)\"") }
        return Double(value.description) ?? Double(value)
    }

    /// `new BigDecimal(text)`: a whole number without point or exponent that fits 64 bits stays an integer.
    static func bigDecimal(_ input: String) throws(Failure) -> PebbleValue {
        guard !input.allSatisfy({ $0.isWhitespace }) else { throw Failure("A blank string is not a valid number") }
        // BigDecimal reads any Unicode decimal digit.
        let text = String(
            String.UnicodeScalarView(
                input.unicodeScalars.map { scalar in
                    guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return scalar }
                    return Unicode.Scalar(UInt8(48 + Int(value)))
                }))
        if text.trimmingCharacters(in: .whitespaces).hasPrefix("--") { throw Failure("\(text) is not a valid number.") }
        // BigDecimal: [sign] (digits [. [digits]] | . digits) [e [sign] digits], no whitespace.
        let chars = Array(text.unicodeScalars)
        var i = 0
        if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
        var digits = 0
        var plain = true
        while i < chars.count, ("0"..."9").contains(chars[i]) {
            i += 1
            digits += 1
        }
        if i < chars.count, chars[i] == "." {
            plain = false
            i += 1
            while i < chars.count, ("0"..."9").contains(chars[i]) {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { throw Failure("Character array is missing \"exponent\" mark 'e' or 'E'.") }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            plain = false
            i += 1
            if i < chars.count, chars[i] == "+" || chars[i] == "-" { i += 1 }
            var exponentDigits = 0
            while i < chars.count, ("0"..."9").contains(chars[i]) {
                i += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { throw Failure("No exponent digits.") }
        }
        guard i == chars.count else {
            throw Failure("Character \(chars[i]) is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark.")
        }
        if plain, let whole = Int64(text) { return .int(whole) }
        guard let value = Double(text), value.isFinite else { throw Failure("\(text) is outside the range of a double") }
        if value == 0 && text.contains(where: { ("1"..."9").contains($0) }) { throw Failure("\(text) is too small for a double") }
        return .double(value)
    }

    /// `NumberUtils.createNumber` (commons-lang 3): hexadecimal prefixes, an optional type suffix (`L`, `F`, `D`),
    /// otherwise the smallest of Integer, Long, BigInteger or Float, Double, BigDecimal that holds the value.
    static func createNumber(_ text: String) throws(Failure) -> PebbleValue {
        if text.allSatisfy({ $0.isWhitespace }) { throw Failure("A blank string is not a valid number") }
        let chars = Array(text.unicodeScalars)
        let length = chars.count
        let offset = chars[0] == "+" || chars[0] == "-" ? 1 : 0
        var prefixLength = 0
        for prefix in ["0x", "0X", "#"] where hasPrefix(chars, prefix, at: offset) {
            prefixLength = prefix.count + offset
            break
        }
        if prefixLength > 0 {
            var firstSignificant: Unicode.Scalar = "0"
            var i = prefixLength
            while i < length {
                firstSignificant = chars[i]
                if firstSignificant != "0" { break }
                prefixLength += 1
                i += 1
            }
            let hexDigits = length - prefixLength
            if hexDigits > 16 || (hexDigits == 16 && firstSignificant > "7") { return .int(try bigInteger(text)) }
            if hexDigits > 8 || (hexDigits == 8 && firstSignificant > "7") { return .int(try decode(text, bits: 64)) }
            return .int(try decode(text, bits: 32))
        }
        let lastChar = chars[length - 1]
        let decPos = chars.firstIndex(of: ".") ?? -1
        let ePos = chars.firstIndex(of: "e") ?? -1
        let bigEPos = chars.firstIndex(of: "E") ?? -1
        let expPos = ePos + bigEPos + 1  // as commons-lang computes it: assumes at most one of the two
        let requestType = !(lastChar.properties.numericType == .decimal) && lastChar != "."
        let invalid = Failure("\(text) is not a valid number.")
        func substring(_ from: Int, _ to: Int) throws(Failure) -> String {
            guard from >= 0, to <= length, from <= to else { throw invalid }
            return String(String.UnicodeScalarView(chars[from..<to]))
        }
        let hasSign = chars[0] == "-" || chars[0] == "+"
        func mantissa(_ stop: Int) throws(Failure) -> String { try substring(hasSign ? 1 : 0, stop) }
        let mant: String
        var dec: String?
        if decPos > -1 {
            if expPos > -1 {
                if expPos <= decPos || expPos > length { throw invalid }
                dec = try substring(decPos + 1, expPos)
            } else {
                dec = try substring(decPos + 1, requestType ? length - 1 : length)
            }
            mant = try mantissa(decPos)
        } else {
            if expPos > -1 {
                if expPos > length { throw invalid }
                mant = try mantissa(expPos)
            } else {
                mant = try mantissa(requestType ? length - 1 : length)
            }
            dec = nil
        }
        func allZeros(_ s: String?) -> Bool {
            guard let s else { return true }
            return !s.isEmpty && s.allSatisfy { $0 == "0" }
        }
        let isZero = allZeros(mant) && allZeros(dec)
        if requestType {
            let exp = expPos > -1 && expPos < length - 1 ? try substring(expPos + 1, length - 1) : nil
            let numeric = try substring(0, length - 1)
            func isDigits(_ s: Substring) -> Bool { !s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal } }
            switch lastChar {
            case "l", "L":
                guard dec == nil, exp == nil,
                    (numeric.hasPrefix("-") && isDigits(numeric.dropFirst())) || isDigits(Substring(numeric))
                else { throw invalid }
                if let value = try? decode(numeric, bits: 64) { return .int(value) }
                return .int(try bigInteger(numeric))
            case "f", "F", "d", "D":
                if lastChar == "f" || lastChar == "F", let value = try? float(text), !(value.isInfinite || (value == 0 && !isZero)) {
                    return .double(value)
                }
                if let value = try? double(text), !(value.isInfinite || (value == 0 && !isZero)) { return .double(value) }
                if let value = try? bigDecimal(numeric) { return value }
                throw invalid
            default:
                throw invalid
            }
        }
        let exp = expPos > -1 && expPos < length - 1 ? try substring(expPos + 1, length) : nil
        if dec == nil && exp == nil {
            if let value = try? decode(text, bits: 32) { return .int(value) }
            if let value = try? decode(text, bits: 64) { return .int(value) }
            return .int(try bigInteger(text))
        }
        // Float, Double or BigDecimal: all become the double of the text, unless it is out of a double's range.
        if let value = try? double(text), !(value.isInfinite || (value == 0 && !isZero)) { return .double(value) }
        return try bigDecimal(text)
    }
}
