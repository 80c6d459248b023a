/// An ISO-8601 duration in the form Java's `Duration.parse` accepts (`PT5M`, `P1DT2H`, `PT0.5S`).
///
/// Java (and so Kestra) rejects years, months and weeks because they have no fixed length; so do we.
public struct ISODuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Whole seconds, possibly negative.
    public let seconds: Int64
    /// Nanoseconds added to `seconds`, 0 ..< 1_000_000_000.
    public let nanoseconds: Int32
    /// The text the author wrote.
    public let text: String

    public var totalSeconds: Double { Double(seconds) + Double(nanoseconds) / 1e9 }
    public var description: String { text }

    public static func < (lhs: ISODuration, rhs: ISODuration) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    public static func == (lhs: ISODuration, rhs: ISODuration) -> Bool {
        lhs.seconds == rhs.seconds && lhs.nanoseconds == rhs.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }

    /// Parses `[-+]P[nD][T[nH][nM][n[.f]S]]`, case-insensitive; nil when the text is not such a duration.
    public init?(_ text: String) {
        var chars = Array(text.uppercased().unicodeScalars)
        var sign: Int64 = 1
        if let first = chars.first, first == "-" || first == "+" {
            if first == "-" { sign = -1 }
            chars.removeFirst()
        }
        guard chars.first == "P" else { return nil }
        chars.removeFirst()
        var index = 0
        var inTime = false
        var sawComponent = false
        var sawTimeComponent = false
        var total: Int64 = 0
        var nanos: Int64 = 0
        var lastUnitRank = -1
        while index < chars.count {
            if chars[index] == "T" {
                guard !inTime else { return nil }
                inTime = true
                index += 1
                continue
            }
            var numberSign: Int64 = 1
            if chars[index] == "-" || chars[index] == "+" {
                numberSign = chars[index] == "-" ? -1 : 1
                index += 1
            }
            var digits = ""
            while index < chars.count, ("0"..."9").contains(chars[index]) {
                digits.unicodeScalars.append(chars[index])
                index += 1
            }
            var fraction = ""
            if index < chars.count, chars[index] == "." || chars[index] == "," {
                index += 1
                while index < chars.count, ("0"..."9").contains(chars[index]) {
                    fraction.unicodeScalars.append(chars[index])
                    index += 1
                }
                guard fraction.count <= 9 else { return nil }
            }
            guard !digits.isEmpty, index < chars.count, let amount = Int64(digits) else { return nil }
            let unit = chars[index]
            index += 1
            let (rank, multiplier): (Int, Int64)
            switch (unit, inTime) {
            case ("D", false): (rank, multiplier) = (0, 86_400)
            case ("H", true): (rank, multiplier) = (1, 3_600)
            case ("M", true): (rank, multiplier) = (2, 60)
            case ("S", true): (rank, multiplier) = (3, 1)
            default: return nil
            }
            guard rank > lastUnitRank, fraction.isEmpty || unit == "S" else { return nil }
            lastUnitRank = rank
            let (product, overflow) = amount.multipliedReportingOverflow(by: multiplier)
            guard !overflow else { return nil }
            total += numberSign * product
            if !fraction.isEmpty {
                let padded = fraction + String(repeating: "0", count: 9 - fraction.count)
                nanos += numberSign * (Int64(padded) ?? 0)
            }
            sawComponent = true
            if inTime { sawTimeComponent = true }
        }
        guard sawComponent, !inTime || sawTimeComponent else { return nil }
        total *= sign
        nanos *= sign
        let carry = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
        self.seconds = total + carry
        self.nanoseconds = Int32(nanos - carry * 1_000_000_000)
        self.text = text
    }
}
