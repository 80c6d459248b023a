import Engine
import Foundation

/// The one-line `name=value` summary of an execution's inputs on the history page, SECRET values as ******.
/// Stored inputs are nearly always a flat object of plain strings, integers and booleans; those are read by a scan of
/// their bytes. Anything else (escapes, fractions, nested values) goes through JSONSerialization, which was half of
/// the history rows' CPU when every row took that path; both give the same text.
enum InputsSummary {
    static let limit = 120

    static func text(_ stored: String) -> String { summary(flatPairs(stored) ?? parsedPairs(stored)) }

    static func summary(_ pairs: [(String, String)]) -> String {
        let text = pairs.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
        return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// The general path: any JSON document.
    static func parsedPairs(_ stored: String) -> [(String, String)] {
        guard let object = HistoryExport.redacted(stored) as? [String: Any] else { return [] }
        return object.map { key, value in (key, value as? String ?? HistoryExport.jsonText(value)) }
    }

    /// The fast path: a flat object whose strings have no escapes and whose numbers are integers; nil for anything else.
    static func flatPairs(_ stored: String) -> [(String, String)]? {
        var stored = stored
        return stored.withUTF8 { bytes -> [(String, String)]? in
            if bytes.contains(UInt8(ascii: "\\")) { return nil }
            var scanner = Scanner(bytes: bytes)
            guard scanner.skip(UInt8(ascii: "{")) else { return nil }
            var pairs: [(String, String)] = []
            if scanner.skip(UInt8(ascii: "}")) { return scanner.atEnd ? pairs : nil }
            repeat {
                guard let key = scanner.string(), scanner.skip(UInt8(ascii: ":")), let value = scanner.scalar() else { return nil }
                pairs.append((key, SecretInputCipher.isSealed(value) ? SecretMasker.replacement : value))
            } while scanner.skip(UInt8(ascii: ","))
            return scanner.skip(UInt8(ascii: "}")) && scanner.atEnd && Set(pairs.map(\.0)).count == pairs.count ? pairs : nil
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return index == bytes.count
            }
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func skip(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string without escapes (the caller made sure there are none).
        mutating func string() -> String? {
            guard skip(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] < 0x20 { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        /// A string, `true`, `false`, `null` or an integer, as the summary shows it.
        mutating func scalar() -> String? {
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "\"") { return string() }
            let start = index
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}")].contains(bytes[index]), bytes[index] > 0x20 { index += 1 }
            let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if ["true", "false", "null"].contains(word) { return word }
            return Self.isPlainInteger(word) ? word : nil
        }

        /// Integers JSONSerialization writes back unchanged: no sign but `-`, no leading zeros, short enough for Int.
        static func isPlainInteger(_ word: String) -> Bool {
            let digits = word.hasPrefix("-") ? word.dropFirst() : Substring(word)
            guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return false }
            return digits == "0" || digits.first != "0"
        }
    }
}
