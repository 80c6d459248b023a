import FlowModel

/// Java's `DateTimeParseException` message for a text that `Instant.parse`, `LocalDate.parse`, `LocalTime.parse` or
/// `Duration.parse` refused, so input errors read as Kestra's do.
struct JavaParseError: Error {
    let message: String

    /// Java abbreviates the echoed text to 64 characters.
    static func quoted(_ text: String) -> String {
        let utf16 = Array(text.utf16)
        guard utf16.count > 64 else { return text }
        return String(decoding: utf16[..<64], as: UTF16.self) + "..."
    }

    static func atIndex(_ text: String, _ index: Int) -> JavaParseError {
        JavaParseError(message: "Text '\(quoted(text))' could not be parsed at index \(index)")
    }

    static func unparsed(_ text: String, _ index: Int) -> JavaParseError {
        JavaParseError(message: "Text '\(quoted(text))' could not be parsed, unparsed text found at index \(index)")
    }

    static func resolving(_ text: String, _ reason: String) -> JavaParseError {
        JavaParseError(message: "Text '\(quoted(text))' could not be parsed: \(reason)")
    }
}

/// A `java.time.LocalDate`: parsed with `ISO_LOCAL_DATE` in strict mode, printed as `toString` does.
struct JavaLocalDate: Comparable {
    let year: Int
    let month: Int
    let day: Int

    static func < (lhs: JavaLocalDate, rhs: JavaLocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static let monthNames = [
        "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
    ]

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `LocalDate.parse(text)`.
    static func parse(_ text: String) throws(JavaParseError) -> JavaLocalDate {
        var cursor = JavaCursor(text)
        let fields = try cursor.date()
        try cursor.finish()
        return try resolve(fields, text: text)
    }

    static func resolve(_ fields: (year: Int, month: Int, day: Int), text: String) throws(JavaParseError) -> JavaLocalDate {
        guard (-999_999_999...999_999_999).contains(fields.year) else {
            throw .resolving(text, "Invalid value for Year (valid values -999999999 - 999999999): \(fields.year)")
        }
        guard (1...12).contains(fields.month) else {
            throw .resolving(text, "Invalid value for MonthOfYear (valid values 1 - 12): \(fields.month)")
        }
        guard (1...31).contains(fields.day) else {
            throw .resolving(text, "Invalid value for DayOfMonth (valid values 1 - 28/31): \(fields.day)")
        }
        if fields.day > length(ofMonth: fields.month, year: fields.year) {
            if fields.month == 2 && fields.day == 29 {
                throw .resolving(text, "Invalid date 'February 29' as '\(fields.year)' is not a leap year")
            }
            throw .resolving(text, "Invalid date '\(monthNames[fields.month - 1]) \(fields.day)'")
        }
        return JavaLocalDate(year: fields.year, month: fields.month, day: fields.day)
    }

    /// `LocalDate.toString()`: `yyyy-MM-dd`, with a sign and more digits outside 0000–9999.
    var text: String {
        JavaLocalDate.yearText(year) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    static func yearText(_ year: Int) -> String {
        if year > 9999 { return "+" + String(year) }
        if year < 0 { return "-" + pad(-year, 4) }
        return pad(year, 4)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    var epochDay: Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``epochDay``.
    init(epochDay: Int) {
        let shifted = epochDay + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPosition = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPosition + 2) / 5 + 1
        let month = monthPosition < 10 ? monthPosition + 3 : monthPosition - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}

/// A `java.time.LocalTime`: parsed with `ISO_LOCAL_TIME` in strict mode.
struct JavaLocalTime: Comparable {
    let hour: Int
    let minute: Int
    let second: Int
    let nano: Int

    static func < (lhs: JavaLocalTime, rhs: JavaLocalTime) -> Bool {
        (lhs.hour, lhs.minute, lhs.second, lhs.nano) < (rhs.hour, rhs.minute, rhs.second, rhs.nano)
    }

    /// `LocalTime.parse(text)`: `HH:mm[:ss[.fffffffff]]`.
    static func parse(_ text: String) throws(JavaParseError) -> JavaLocalTime {
        var cursor = JavaCursor(text)
        let hour = try cursor.digits(2)
        try cursor.literal(":")
        let minute = try cursor.digits(2)
        var second = 0
        var nano = 0
        // `[:ss[.f]]` is optional: a colon without two digits after it leaves the colon unparsed.
        let mark = cursor.index
        if cursor.peek(":") {
            cursor.index += 1
            if let value = try? cursor.digits(2) {
                second = value
                nano = cursor.fraction()
            } else {
                cursor.index = mark
            }
        }
        try cursor.finish()
        guard (0...23).contains(hour) else { throw .resolving(text, "Invalid value for HourOfDay (valid values 0 - 23): \(hour)") }
        guard (0...59).contains(minute) else { throw .resolving(text, "Invalid value for MinuteOfHour (valid values 0 - 59): \(minute)") }
        guard (0...59).contains(second) else { throw .resolving(text, "Invalid value for SecondOfMinute (valid values 0 - 59): \(second)") }
        return JavaLocalTime(hour: hour, minute: minute, second: second, nano: nano)
    }

    /// `LocalTime.toString()`: seconds only when not zero, the fraction in groups of three digits.
    var text: String {
        var result = pad(hour, 2) + ":" + pad(minute, 2)
        if second > 0 || nano > 0 {
            result += ":" + pad(second, 2)
            if nano > 0 { result += "." + fractionInGroups(nano) }
        }
        return result
    }

    /// `ISO_LOCAL_TIME` formatting, as Jackson writes a `LocalTime`: seconds always, the fraction without trailing zeros.
    var isoText: String {
        var result = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if nano > 0 {
            var digits = pad(nano, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            result += "." + digits
        }
        return result
    }
}

/// A `java.time.Instant`: parsed as `Instant.parse` does on Java 21 (`ISO_INSTANT`, offsets allowed, case-insensitive).
struct JavaInstant: Comparable {
    let seconds: Int64
    let nano: Int

    static func < (lhs: JavaInstant, rhs: JavaInstant) -> Bool {
        (lhs.seconds, lhs.nano) < (rhs.seconds, rhs.nano)
    }

    /// `Instant.parse(text)`. With `secondsOptional` (for `after`/`before` bounds, which Jackson reads leniently) the
    /// seconds may be left out.
    static func parse(_ text: String, secondsOptional: Bool = false) throws(JavaParseError) -> JavaInstant {
        var cursor = JavaCursor(text)
        let date = try cursor.date()
        guard cursor.peek("T") || cursor.peek("t") else { throw .atIndex(text, cursor.index) }
        cursor.index += 1
        var hour = try cursor.digits(2)
        try cursor.literal(":")
        let minute = try cursor.digits(2)
        var second = 0
        var nano = 0
        if secondsOptional && !cursor.peek(":") {
            second = 0
        } else {
            try cursor.literal(":")
            second = try cursor.digits(2)
            nano = cursor.fraction()
        }
        let offset = try cursor.offset()
        try cursor.finish()
        // Java turns any invalid field into a failure at the start of the instant, index 0.
        var days = 0
        if hour == 24 && minute == 0 && second == 0 && nano == 0 {
            hour = 0
            days = 1
        } else if hour == 23 && minute == 59 && second == 60 {
            second = 59
        }
        guard (1...12).contains(date.month), (1...JavaLocalDate.length(ofMonth: date.month, year: date.year)).contains(date.day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { throw .atIndex(text, 0) }
        let day = JavaLocalDate(year: date.year, month: date.month, day: date.day).epochDay + days
        let seconds = Int64(day) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return JavaInstant(seconds: seconds, nano: nano)
    }

    /// `Instant.toString()` (`ISO_INSTANT`): UTC, `Z`, the fraction in groups of three digits only when not zero.
    var text: String {
        let day = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(day) * 86_400)
        let date = JavaLocalDate(epochDay: day)
        var result = date.text + "T" + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if nano > 0 { result += "." + fractionInGroups(nano) }
        return result + "Z"
    }
}

/// Java's `Duration` as text: `Duration.parse` via ``ISODuration`` and `Duration.toString` (`P1D` prints as `PT24H`).
enum JavaDuration {
    static func parse(_ text: String) throws(JavaParseError) -> ISODuration {
        guard let duration = ISODuration(text) else { throw JavaParseError(message: "Text cannot be parsed to a Duration") }
        return duration
    }

    static func text(_ duration: ISODuration) -> String {
        let seconds = duration.seconds
        let nanos = Int64(duration.nanoseconds)
        if seconds == 0 && nanos == 0 { return "PT0S" }
        var effective = seconds
        if seconds < 0 && nanos > 0 { effective += 1 }
        let hours = effective / 3600
        let minutes = (effective % 3600) / 60
        let secs = effective % 60
        var result = "PT"
        if hours != 0 { result += "\(hours)H" }
        if minutes != 0 { result += "\(minutes)M" }
        if secs == 0 && nanos == 0 && result.count > 2 { return result }
        if seconds < 0 && nanos > 0 {
            result += secs == 0 ? "-0" : "\(secs)"
        } else {
            result += "\(secs)"
        }
        if nanos > 0 {
            var digits = String(seconds < 0 ? 2 * 1_000_000_000 - nanos : nanos + 1_000_000_000)
            while digits.hasSuffix("0") { digits.removeLast() }
            digits.removeFirst()
            result += "." + digits
        }
        return result + "S"
    }
}

/// A position in a text being parsed the way `DateTimeFormatter` does, with Java's UTF-16 indices for messages.
private struct JavaCursor {
    let text: String
    let units: [UInt16]
    var index = 0

    init(_ text: String) {
        self.text = text
        self.units = Array(text.utf16)
    }

    func peek(_ character: Character) -> Bool {
        index < units.count && units[index] == character.utf16.first!
    }

    mutating func literal(_ character: Character) throws(JavaParseError) {
        guard peek(character) else { throw .atIndex(text, index) }
        index += 1
    }

    func isDigit(at position: Int) -> Bool {
        position < units.count && (48...57).contains(units[position])
    }

    /// Exactly `count` ASCII digits (`appendValue(field, count)`).
    mutating func digits(_ count: Int) throws(JavaParseError) -> Int {
        var value = 0
        for offset in 0..<count {
            guard isDigit(at: index + offset) else { throw .atIndex(text, index) }
            value = value * 10 + Int(units[index + offset] - 48)
        }
        index += count
        return value
    }

    /// `ISO_LOCAL_DATE`: a four-digit year (or a signed longer one), `-MM-dd`.
    mutating func date() throws(JavaParseError) -> (year: Int, month: Int, day: Int) {
        let start = index
        var sign = 0
        if index < units.count, units[index] == 43 || units[index] == 45 {  // + or -
            sign = units[index] == 43 ? 1 : -1
            index += 1
        }
        var count = 0
        var year = 0
        while count < 10, isDigit(at: index + count) {
            year = year * 10 + Int(units[index + count] - 48)
            count += 1
        }
        // SignStyle.EXCEEDS_PAD, strict: exactly four digits unsigned, a `+` only for more than four.
        let valid = sign == 0 ? count == 4 : (sign > 0 ? count > 4 : count >= 4)
        guard valid else {
            index = start
            throw .atIndex(text, start)
        }
        index += count
        try literal("-")
        let month = try digits(2)
        try literal("-")
        let day = try digits(2)
        return (sign < 0 ? -year : year, month, day)
    }

    /// `appendFraction(NANO_OF_SECOND, 0, 9, true)`: an optional `.` and up to nine digits.
    mutating func fraction() -> Int {
        guard peek(".") else { return 0 }
        index += 1
        var nano = 0
        var count = 0
        while count < 9, isDigit(at: index) {
            nano = nano * 10 + Int(units[index] - 48)
            index += 1
            count += 1
        }
        for _ in count..<9 { nano *= 10 }
        return nano
    }

    /// `appendOffsetId()`: `Z` (any case) or `+HH:MM[:ss]`, at most ±18:00; the offset in seconds.
    mutating func offset() throws(JavaParseError) -> Int {
        if peek("Z") || peek("z") {
            index += 1
            return 0
        }
        let start = index
        guard index < units.count, units[index] == 43 || units[index] == 45 else { throw .atIndex(text, index) }
        let sign = units[index] == 43 ? 1 : -1
        index += 1
        do {
            let hours = try digits(2)
            try literal(":")
            let minutes = try digits(2)
            var seconds = 0
            if peek(":"), isDigit(at: index + 1), isDigit(at: index + 2) {
                index += 1
                seconds = try digits(2)
            }
            guard hours <= 18, minutes <= 59, seconds <= 59, hours < 18 || (minutes == 0 && seconds == 0) else {
                throw JavaParseError.atIndex(text, start)
            }
            return sign * (hours * 3600 + minutes * 60 + seconds)
        } catch {
            index = start
            throw .atIndex(text, start)
        }
    }

    func finish() throws(JavaParseError) {
        guard index == units.count else { throw .unparsed(text, index) }
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Nanoseconds as Java prints them in `toString`: three, six or nine digits, whichever is enough.
private func fractionInGroups(_ nano: Int) -> String {
    if nano % 1_000_000 == 0 { return pad(nano / 1_000_000, 3) }
    if nano % 1000 == 0 { return pad(nano / 1000, 6) }
    return pad(nano, 9)
}
