/// A Kestra-style execution id: 128 random bits written as 22 base62 characters (`0-9A-Za-z`).
///
/// Kestra's FriendlyId drops leading zeros, so its ids are sometimes shorter; Gatehouse always pads to 22 characters
/// and accepts the shorter form when parsing, so ids from either system are valid here.
package struct ExecutionID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The id as written in URLs, logs and the database.
    package let rawValue: String

    /// The number of characters in a generated id; 62^22 is the smallest power of 62 above 2^128.
    package static let length = 22

    /// The base62 digits in value order, as Kestra's FriendlyId uses them.
    package static let alphabet: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// Parses an existing id; returns nil unless it is 1 to 22 base62 characters.
    package init?(_ text: String) {
        guard (1...Self.length).contains(text.count), text.allSatisfy({ Self.isBase62($0) }) else { return nil }
        rawValue = text
    }

    private init(unchecked text: String) {
        rawValue = text
    }

    /// Creates a new id from 128 bits of `generator`; the first `next()` gives the high 64 bits, the second the low ones.
    package static func generate(using generator: inout some RandomNumberGenerator) -> ExecutionID {
        let high: UInt64 = generator.next()
        let low: UInt64 = generator.next()
        return ExecutionID(unchecked: encode(high: high, low: low))
    }

    /// Creates a new id from the system's cryptographically secure random number generator.
    package static func generate() -> ExecutionID {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ExecutionID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not an execution id: expected 1 to 22 characters from 0-9, A-Z and a-z"
            )
        }
        self = id
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // MARK: - Base62

    /// Writes the 128-bit number `high:low` in base62, most significant digit first, padded with "0" to 22 digits.
    private static func encode(high: UInt64, low: UInt64) -> String {
        var high = high
        var low = low
        var digits = [Character](repeating: "0", count: length)
        for position in stride(from: length - 1, through: 0, by: -1) {
            // Long division of the two 64-bit limbs by 62; the remainder of the high limb is below 62, so the
            // full-width division of the low limb cannot overflow.
            let highRemainder: UInt64
            (high, highRemainder) = high.quotientAndRemainder(dividingBy: 62)
            let lowRemainder: UInt64
            (low, lowRemainder) = UInt64(62).dividingFullWidth((high: highRemainder, low: low))
            digits[position] = alphabet[Int(lowRemainder)]
        }
        return String(digits)
    }

    private static func isBase62(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(ascii)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ascii)
    }
}
