import Foundation

// A port of `java.time.format.DateTimeFormatter` for the pattern letters of `DateTimeFormatterBuilder.appendPattern`
// and the predefined ISO / RFC formatters, so `date('dd MMM yyyy')` prints what Kestra prints rather than what ICU
// would (ICU and Java disagree on `u`, `e`, `Y`, `XXX` for zero, `SSS` rounding, week numbering, and more).

extension JavaTime {
    /// The temporal fields patterns can print and parse (`ChronoField`, `WeekFields`, `IsoFields`).
    enum Field: String, Sendable {
        case era = "Era"
        case yearOfEra = "YearOfEra"
        case year = "Year"
        case quarter = "QuarterOfYear"
        case month = "MonthOfYear"
        case dayOfMonth = "DayOfMonth"
        case dayOfYear = "DayOfYear"
        case dayOfWeek = "DayOfWeek"
        case alignedWeekOfMonth = "AlignedWeekOfMonth"
        case amPm = "AmPmOfDay"
        case hourOfDay = "HourOfDay"
        case clockHourOfDay = "ClockHourOfDay"
        case hourOfAmPm = "HourOfAmPm"
        case clockHourOfAmPm = "ClockHourOfAmPm"
        case minute = "MinuteOfHour"
        case second = "SecondOfMinute"
        case nano = "NanoOfSecond"
        case milliOfDay = "MilliOfDay"
        case nanoOfDay = "NanoOfDay"
        case modifiedJulianDay = "ModifiedJulianDay"
        case localizedDayOfWeek = "DayOfWeek[WeekFields]"
        case weekOfMonth = "WeekOfMonth[WeekFields]"
        case weekOfWeekBasedYear = "WeekOfWeekBasedYear[WeekFields]"
        case weekBasedYear = "WeekBasedYear[WeekFields]"
        case isoWeekOfWeekBasedYear = "WeekOfWeekBasedYear"
        case isoWeekBasedYear = "WeekBasedYear"
    }

    enum SignStyle: Sendable {
        case normal, notNegative, exceedsPad
    }

    /// One printer-parser of a formatter (`DateTimeFormatterBuilder`'s inner classes).
    indirect enum Element: Sendable {
        case literal(String)
        case number(Field, min: Int, max: Int, sign: SignStyle)
        /// Two digits of a year, parsed relative to 2000 (`yy`, `YY`).
        case reduced(Field)
        case fraction(min: Int, max: Int, decimalPoint: Bool)
        /// `fixedEnglish`: the RFC 1123 texts, which ignore the locale.
        case text(Field, TextStyle, standalone: Bool, fixedEnglish: Bool)
        /// An `OffsetIdPrinterParser` pattern index (`+HH`, `+HHmm`, `+HH:mm`, `+HHMM`, `+HH:MM`, `+HHMMss`, `+HH:MM:ss`…).
        case offset(type: Int, zeroText: String)
        case localizedOffset(full: Bool)
        /// `VV`: the zone id, offsets included.
        case zoneId
        /// ISO's `appendZoneRegionId`: prints only a region id; with an offset zone the enclosing optional part is dropped.
        case zoneRegionId
        case zoneText(full: Bool, generic: Bool)
        /// `B`: English day periods (`in the morning`, `noon`…).
        case dayPeriod(TextStyle)
        case instant
        case optional([Element])
        case pad(Element, width: Int)
        case caseSensitive(Bool)
        case lenient(Bool)
    }

    static let offsetPatterns = ["+HH", "+HHmm", "+HH:mm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss", "+HHMMSS", "+HH:MM:SS"]

    /// A compiled formatter: its elements and whether it resolves strictly (ISO) or smartly (patterns, RFC).
    struct Formatter: Sendable {
        let elements: [Element]
        let strictResolver: Bool
    }
}

// MARK: - Pattern compilation

extension JavaTime.Formatter {
    typealias Element = JavaTime.Element
    typealias Failure = JavaTime.Failure

    /// `DateTimeFormatter.ofPattern(pattern)` (`DateTimeFormatterBuilder.parsePattern`), with Java's error messages.
    static func ofPattern(_ pattern: String) throws(Failure) -> JavaTime.Formatter {
        let chars = Array(pattern)
        var stack: [[Element]] = [[]]
        var pendingPad: Int?
        var pos = 0
        func append(_ element: Element) {
            if let width = pendingPad {
                stack[stack.count - 1].append(.pad(element, width: width))
                pendingPad = nil
            } else {
                stack[stack.count - 1].append(element)
            }
        }
        func isLetter(_ c: Character) -> Bool { ("A"..."Z").contains(c) || ("a"..."z").contains(c) }
        while pos < chars.count {
            var cur = chars[pos]
            if isLetter(cur) {
                var start = pos
                pos += 1
                while pos < chars.count, chars[pos] == cur { pos += 1 }
                var count = pos - start
                if cur == "p" {
                    var pad = 0
                    if pos < chars.count, isLetter(chars[pos]) {
                        pad = count
                        cur = chars[pos]
                        start = pos
                        pos += 1
                        while pos < chars.count, chars[pos] == cur { pos += 1 }
                        count = pos - start
                    }
                    if pad == 0 { throw Failure("Pad letter 'p' must be followed by valid pad pattern: \(pattern)") }
                    pendingPad = pad
                }
                for element in try elements(forLetter: cur, count: count) { append(element) }
            } else if cur == "'" {
                let start = pos
                pos += 1
                while pos < chars.count {
                    if chars[pos] == "'" {
                        if pos + 1 < chars.count, chars[pos + 1] == "'" {
                            pos += 1
                        } else {
                            break
                        }
                    }
                    pos += 1
                }
                if pos >= chars.count { throw Failure("Pattern ends with an incomplete string literal: \(pattern)") }
                let literal = String(chars[(start + 1)..<pos])
                append(.literal(literal.isEmpty ? "'" : literal.replacingOccurrences(of: "''", with: "'")))
                pos += 1
            } else if cur == "[" {
                stack.append([])
                pos += 1
            } else if cur == "]" {
                guard stack.count > 1, let inner = stack.popLast() else {
                    throw Failure("Pattern invalid as it contains ] without previous [")
                }
                append(.optional(inner))
                pos += 1
            } else if cur == "{" || cur == "}" || cur == "#" {
                throw Failure("Pattern includes reserved character: '\(cur)'")
            } else {
                append(.literal(String(cur)))
                pos += 1
            }
        }
        while stack.count > 1, let inner = stack.popLast() { stack[stack.count - 1].append(.optional(inner)) }
        return JavaTime.Formatter(elements: stack[0], strictResolver: false)
    }

    // DateTimeFormatterBuilder.parseField and the zone/offset/week letters of parsePattern.
    private static func elements(forLetter letter: Character, count: Int) throws(Failure) -> [Element] {
        func tooMany() -> Failure { Failure("Too many pattern letters: \(letter)") }
        func text(_ field: JavaTime.Field, standalone: Bool = false) throws(Failure) -> Element {
            switch count {
            case 1, 2, 3: return .text(field, .short, standalone: standalone, fixedEnglish: false)
            case 4: return .text(field, .full, standalone: standalone, fixedEnglish: false)
            case 5: return .text(field, .narrow, standalone: standalone, fixedEnglish: false)
            default: throw tooMany()
            }
        }
        func valueOrText(_ field: JavaTime.Field, standalone: Bool) throws(Failure) -> Element {
            switch count {
            case 1: return .number(field, min: 1, max: 19, sign: .normal)
            case 2: return .number(field, min: 2, max: 2, sign: .notNegative)
            default: return try text(field, standalone: standalone)
            }
        }
        func oneOrTwo(_ field: JavaTime.Field) throws(Failure) -> Element {
            switch count {
            case 1: return .number(field, min: 1, max: 19, sign: .normal)
            case 2: return .number(field, min: 2, max: 2, sign: .notNegative)
            default: throw tooMany()
            }
        }
        func year(_ field: JavaTime.Field) -> Element {
            if count == 2 { return .reduced(field) }
            return .number(field, min: count, max: 19, sign: count < 4 ? .normal : .exceedsPad)
        }
        switch letter {
        case "G": return [try text(.era)]
        case "y": return [year(.yearOfEra)]
        case "u": return [year(.year)]
        case "Q": return [try valueOrText(.quarter, standalone: false)]
        case "q": return [try valueOrText(.quarter, standalone: true)]
        case "M": return [try valueOrText(.month, standalone: false)]
        case "L": return [try valueOrText(.month, standalone: true)]
        case "E": return [try text(.dayOfWeek)]
        case "e":
            if count <= 2 { return [.number(.localizedDayOfWeek, min: count, max: count, sign: .notNegative)] }
            return [try text(.dayOfWeek)]
        case "c":
            if count == 1 { return [.number(.localizedDayOfWeek, min: 1, max: 1, sign: .notNegative)] }
            if count == 2 { throw Failure("Invalid pattern \"cc\"") }
            return [try text(.dayOfWeek, standalone: true)]
        case "a":
            guard count == 1 else { throw tooMany() }
            return [.text(.amPm, .short, standalone: false, fixedEnglish: false)]
        case "S":
            guard count <= 9 else { throw Failure("Minimum width must be from 0 to 9 inclusive but was \(count)") }
            return [.fraction(min: count, max: count, decimalPoint: false)]
        case "F":
            // ALIGNED_WEEK_OF_MONTH since JDK 20 (JDK-8169833); Kestra runs on Java 21.
            guard count == 1 else { throw tooMany() }
            return [.number(.alignedWeekOfMonth, min: 1, max: 19, sign: .normal)]
        case "d": return [try oneOrTwo(.dayOfMonth)]
        case "h": return [try oneOrTwo(.clockHourOfAmPm)]
        case "H": return [try oneOrTwo(.hourOfDay)]
        case "k": return [try oneOrTwo(.clockHourOfDay)]
        case "K": return [try oneOrTwo(.hourOfAmPm)]
        case "m": return [try oneOrTwo(.minute)]
        case "s": return [try oneOrTwo(.second)]
        case "D":
            switch count {
            case 1: return [.number(.dayOfYear, min: 1, max: 19, sign: .normal)]
            case 2, 3: return [.number(.dayOfYear, min: count, max: 3, sign: .notNegative)]
            default: throw tooMany()
            }
        case "g": return [.number(.modifiedJulianDay, min: count, max: 19, sign: .normal)]
        case "A": return [.number(.milliOfDay, min: count, max: 19, sign: .notNegative)]
        case "n": return [.number(.nano, min: count, max: 19, sign: .notNegative)]
        case "N": return [.number(.nanoOfDay, min: count, max: 19, sign: .notNegative)]
        case "z":
            guard count <= 4 else { throw tooMany() }
            return [.zoneText(full: count == 4, generic: false)]
        case "V":
            guard count == 2 else { throw Failure("Pattern letter count must be 2: V") }
            return [.zoneId]
        case "v":
            guard count == 1 || count == 4 else { throw Failure("Wrong number of  pattern letters: v") }
            return [.zoneText(full: count == 4, generic: true)]
        case "Z":
            switch count {
            case 1, 2, 3: return [.offset(type: 3, zeroText: "+0000")]
            case 4: return [.localizedOffset(full: true)]
            case 5: return [.offset(type: 6, zeroText: "Z")]
            default: throw tooMany()
            }
        case "O":
            guard count == 1 || count == 4 else { throw Failure("Pattern letter count must be 1 or 4: O") }
            return [.localizedOffset(full: count == 4)]
        case "X":
            guard count <= 5 else { throw tooMany() }
            return [.offset(type: count + (count == 1 ? 0 : 1), zeroText: "Z")]
        case "x":
            guard count <= 5 else { throw tooMany() }
            let zero = count == 1 ? "+00" : (count % 2 == 0 ? "+0000" : "+00:00")
            return [.offset(type: count + (count == 1 ? 0 : 1), zeroText: zero)]
        case "W":
            guard count == 1 else { throw tooMany() }
            return [.number(.weekOfMonth, min: 1, max: 1, sign: .notNegative)]
        case "w":
            guard count <= 2 else { throw tooMany() }
            return [.number(.weekOfWeekBasedYear, min: count, max: 2, sign: .notNegative)]
        case "Y":
            if count == 2 { return [.reduced(.weekBasedYear)] }
            return [.number(.weekBasedYear, min: count, max: 19, sign: count < 4 ? .normal : .exceedsPad)]
        case "B":
            switch count {
            case 1: return [.dayPeriod(.short)]
            case 4: return [.dayPeriod(.full)]
            case 5: return [.dayPeriod(.narrow)]
            default: throw Failure("Wrong number of pattern letters: B")
            }
        default:
            throw Failure("Unknown pattern letter: \(letter)")
        }
    }
}

// MARK: - Predefined formatters

extension JavaTime.Formatter {
    private static let localDate: [Element] = [
        .number(.year, min: 4, max: 10, sign: .exceedsPad), .literal("-"), .number(.month, min: 2, max: 2, sign: .notNegative),
        .literal("-"), .number(.dayOfMonth, min: 2, max: 2, sign: .notNegative),
    ]
    private static let localTime: [Element] = [
        .number(.hourOfDay, min: 2, max: 2, sign: .notNegative), .literal(":"), .number(.minute, min: 2, max: 2, sign: .notNegative),
        .optional([
            .literal(":"), .number(.second, min: 2, max: 2, sign: .notNegative), .optional([.fraction(min: 0, max: 9, decimalPoint: true)]),
        ]),
    ]
    private static let offsetId = Element.offset(type: 6, zeroText: "Z")
    private static let localDateTime: [Element] = [.caseSensitive(false)] + localDate + [.literal("T")] + localTime
    private static let offsetDateTime: [Element] = localDateTime + [.lenient(true), offsetId, .lenient(false)]
    private static let regionSuffix = Element.optional([.literal("["), .caseSensitive(true), .zoneRegionId, .literal("]")])

    static let isoLocalDate = JavaTime.Formatter(elements: localDate, strictResolver: true)
    static let isoLocalDateTime = JavaTime.Formatter(elements: localDateTime, strictResolver: true)
    static let isoZonedDateTime = JavaTime.Formatter(elements: offsetDateTime + [regionSuffix], strictResolver: true)

    /// Kestra's named formats (`AbstractDate.FORMATTERS`), the custom ones compiled from their patterns.
    static func named(_ name: String) -> JavaTime.Formatter? {
        switch name {
        case "iso": try? ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
        case "iso_sec": try? ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
        case "sql": try? ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
        // Spelled `sql_seq` in Kestra (not `sql_sec`).
        case "sql_seq": try? ofPattern("yyyy-MM-dd HH:mm:ss")
        case "iso_date_time":
            JavaTime.Formatter(elements: localDateTime + [.optional([offsetId, regionSuffix])], strictResolver: true)
        case "iso_date": JavaTime.Formatter(elements: [.caseSensitive(false)] + localDate + [.optional([offsetId])], strictResolver: true)
        case "iso_time": JavaTime.Formatter(elements: [.caseSensitive(false)] + localTime + [.optional([offsetId])], strictResolver: true)
        case "iso_local_date": isoLocalDate
        case "iso_instant": JavaTime.Formatter(elements: [.caseSensitive(false), .instant], strictResolver: true)
        case "iso_local_date_time": isoLocalDateTime
        case "iso_local_time": JavaTime.Formatter(elements: localTime, strictResolver: true)
        case "iso_offset_time": JavaTime.Formatter(elements: [.caseSensitive(false)] + localTime + [offsetId], strictResolver: true)
        case "iso_ordinal_date":
            JavaTime.Formatter(
                elements: [
                    .caseSensitive(false), .number(.year, min: 4, max: 10, sign: .exceedsPad), .literal("-"),
                    .number(.dayOfYear, min: 3, max: 3, sign: .notNegative), .optional([offsetId]),
                ], strictResolver: true)
        case "iso_week_date":
            JavaTime.Formatter(
                elements: [
                    .caseSensitive(false), .number(.isoWeekBasedYear, min: 4, max: 10, sign: .exceedsPad), .literal("-W"),
                    .number(.isoWeekOfWeekBasedYear, min: 2, max: 2, sign: .notNegative), .literal("-"),
                    .number(.dayOfWeek, min: 1, max: 1, sign: .notNegative), .optional([offsetId]),
                ], strictResolver: true)
        case "iso_zoned_date_time": isoZonedDateTime
        case "rfc_1123_date_time":
            JavaTime.Formatter(
                elements: [
                    .caseSensitive(false), .lenient(true),
                    .optional([.text(.dayOfWeek, .short, standalone: false, fixedEnglish: true), .literal(", ")]),
                    .number(.dayOfMonth, min: 1, max: 2, sign: .notNegative), .literal(" "),
                    .text(.month, .short, standalone: false, fixedEnglish: true), .literal(" "),
                    .number(.year, min: 4, max: 4, sign: .notNegative), .literal(" "),
                    .number(.hourOfDay, min: 2, max: 2, sign: .notNegative), .literal(":"),
                    .number(.minute, min: 2, max: 2, sign: .notNegative),
                    .optional([.literal(":"), .number(.second, min: 2, max: 2, sign: .notNegative)]), .literal(" "),
                    .offset(type: 3, zeroText: "GMT"),
                ], strictResolver: false)
        // DateTimeFormatter.ofLocalizedDateTime(style) for en_US on Java 21 (CLDR 42, narrow no-break space before AM/PM).
        case "full": try? ofPattern("EEEE, MMMM d, y 'at' h:mm:ss\u{202F}a zzzz")
        case "long": try? ofPattern("MMMM d, y 'at' h:mm:ss\u{202F}a z")
        case "medium": try? ofPattern("MMM d, y, h:mm:ss\u{202F}a")
        case "short": try? ofPattern("M/d/yy, h:mm\u{202F}a")
        default: nil
        }
    }

    /// `AbstractDate.formatter`: a named format, a localized style, or a pattern.
    static func forName(_ format: String) throws(Failure) -> JavaTime.Formatter {
        if let named = named(format) { return named }
        return try ofPattern(format)
    }
}

// MARK: - Printing

extension JavaTime.Formatter {
    /// Prints `dateTime` (already in the zone to print in).
    func format(_ dateTime: JavaTime.ZonedDateTime, locale: JavaTime.DateLocale) throws(Failure) -> String {
        var output = ""
        _ = try JavaTime.Printer(dateTime: dateTime, locale: locale).print(elements, into: &output)
        return output
    }
}

extension JavaTime {
    struct Printer {
        let dateTime: ZonedDateTime
        let locale: DateLocale

        /// Prints the elements; false when an element has nothing to print (its optional section is then dropped).
        func print(_ elements: [Element], into output: inout String) throws(Failure) -> Bool {
            for element in elements {
                switch element {
                case .literal(let text): output += text
                case .caseSensitive, .lenient: break
                case .optional(let inner):
                    var section = ""
                    if try print(inner, into: &section) { output += section }
                case .pad(let inner, let width):
                    var section = ""
                    guard try print([inner], into: &section) else { return false }
                    if section.count > width {
                        throw Failure("Cannot print as output of \(section.count) characters exceeds pad width of \(width)")
                    }
                    output += String(repeating: " ", count: width - section.count) + section
                case .number(let field, let min, let max, let sign):
                    output += try number(value(field), field: field, min: min, max: max, sign: sign)
                case .reduced(let field):
                    let value = abs(value(field)) % 100
                    output += JavaTime.twoDigits(Int(value))
                case .fraction(let min, let max, let decimalPoint):
                    output += fraction(dateTime.nano, min: min, max: max, decimalPoint: decimalPoint)
                case .text(let field, let style, let standalone, let fixedEnglish):
                    output += text(field, style, standalone: standalone, fixedEnglish: fixedEnglish)
                case .offset(let type, let zeroText):
                    output += JavaTime.Printer.offset(dateTime.offset, type: type, zeroText: zeroText)
                case .localizedOffset(let full):
                    output += JavaTime.Printer.localizedOffset(dateTime.offset, full: full)
                case .zoneId: output += dateTime.zone.id
                case .zoneRegionId:
                    if dateTime.zone.isOffset { return false }
                    output += dateTime.zone.id
                case .zoneText(let full, let generic): output += zoneText(full: full, generic: generic)
                case .dayPeriod(let style): output += Printer.dayPeriod(dateTime.local.time, style)
                case .instant: output += try instant()
                }
            }
            return true
        }

        func value(_ field: Field) -> Int64 {
            let date = dateTime.local.date
            let time = dateTime.local.time
            switch field {
            case .era: return date.year >= 1 ? 1 : 0
            case .yearOfEra: return date.year >= 1 ? date.year : 1 - date.year
            case .year: return date.year
            case .quarter: return Int64((date.month - 1) / 3 + 1)
            case .month: return Int64(date.month)
            case .dayOfMonth: return Int64(date.day)
            case .dayOfYear: return Int64(date.dayOfYear)
            case .dayOfWeek: return Int64(date.dayOfWeek)
            case .alignedWeekOfMonth: return Int64((date.day - 1) / 7 + 1)
            case .amPm: return Int64(time.hour / 12)
            case .hourOfDay: return Int64(time.hour)
            case .clockHourOfDay: return Int64(time.hour == 0 ? 24 : time.hour)
            case .hourOfAmPm: return Int64(time.hour % 12)
            case .clockHourOfAmPm: return Int64(time.hour % 12 == 0 ? 12 : time.hour % 12)
            case .minute: return Int64(time.minute)
            case .second: return Int64(time.second)
            case .nano: return Int64(time.nano)
            case .milliOfDay: return time.nanoOfDay / 1_000_000
            case .nanoOfDay: return time.nanoOfDay
            case .modifiedJulianDay: return date.epochDay + 40587
            case .localizedDayOfWeek: return Int64(Weeks(locale).localizedDayOfWeek(date))
            case .weekOfMonth: return Int64(Weeks(locale).weekOfMonth(date))
            case .weekOfWeekBasedYear: return Int64(Weeks(locale).weekOfWeekBasedYear(date))
            case .weekBasedYear: return Weeks(locale).weekBasedYear(date)
            case .isoWeekOfWeekBasedYear: return Int64(Weeks.iso.weekOfWeekBasedYear(date))
            case .isoWeekBasedYear: return Weeks.iso.weekBasedYear(date)
            }
        }

        /// `NumberPrinterParser.format`.
        func number(_ value: Int64, field: Field, min: Int, max: Int, sign: SignStyle) throws(Failure) -> String {
            let digits = String(value.magnitude)
            if digits.count > max {
                throw Failure("Field \(field.rawValue) cannot be printed as the value \(value) exceeds the maximum print width of \(max)")
            }
            var output = ""
            if value >= 0 {
                if sign == .exceedsPad, min < 19, digits.count > min { output += "+" }
            } else {
                if sign == .notNegative {
                    throw Failure("Field \(field.rawValue) cannot be printed as the value \(value) cannot be negative according to the SignStyle")
                }
                output += "-"
            }
            if digits.count < min { output += String(repeating: "0", count: min - digits.count) }
            return output + digits
        }

        /// `FractionPrinterParser.format`: trailing zeros dropped down to `min`, truncated (never rounded) to `max`.
        func fraction(_ nano: Int, min: Int, max: Int, decimalPoint: Bool) -> String {
            if nano == 0 {
                guard min > 0 else { return "" }
                return (decimalPoint ? "." : "") + String(repeating: "0", count: min)
            }
            var digits = String(nano)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            let scale = Swift.min(Swift.max(digits.count, min), max)
            if digits.count < scale { digits += String(repeating: "0", count: scale - digits.count) }
            return (decimalPoint ? "." : "") + String(digits.prefix(scale))
        }

        func text(_ field: Field, _ style: TextStyle, standalone: Bool, fixedEnglish: Bool) -> String {
            let names: [String]
            let index: Int
            let textLocale = fixedEnglish ? DateLocale.english : locale
            switch field {
            case .month:
                names = textLocale.months(style, standalone: standalone)
                index = dateTime.local.date.month - 1
            case .dayOfWeek:
                names = textLocale.days(style, standalone: standalone)
                index = dateTime.local.date.dayOfWeek - 1
            case .amPm:
                names = textLocale.amPm(style)
                index = dateTime.local.time.hour / 12
            case .era:
                names = textLocale.eras(style)
                index = dateTime.local.date.year >= 1 ? 1 : 0
            default:
                names = textLocale.quarters(style)
                index = (dateTime.local.date.month - 1) / 3
            }
            return index < names.count ? names[index] : String(index + 1)
        }

        /// `OffsetIdPrinterParser.format`.
        static func offset(_ seconds: Int, type: Int, zeroText: String) -> String {
            if seconds == 0 { return zeroText }
            let absolute = abs(seconds)
            let hours = absolute / 3600
            let minutes = absolute / 60 % 60
            let secs = absolute % 60
            let colon = offsetPatterns[type].contains(":")
            var output = (seconds < 0 ? "-" : "+") + JavaTime.twoDigits(hours)
            if type >= 3 || (type >= 1 && minutes > 0) {
                output += (colon ? ":" : "") + JavaTime.twoDigits(minutes)
                if type == 7 || type == 8 || (type >= 5 && secs > 0) {
                    output += (colon ? ":" : "") + JavaTime.twoDigits(secs)
                }
            }
            return output
        }

        /// `LocalizedOffsetIdPrinterParser.format`: `GMT`, `GMT+8`, `GMT+08:00`.
        static func localizedOffset(_ seconds: Int, full: Bool) -> String {
            if seconds == 0 { return "GMT" }
            let absolute = abs(seconds)
            let hours = absolute / 3600
            let minutes = absolute / 60 % 60
            let secs = absolute % 60
            var output = "GMT" + (seconds < 0 ? "-" : "+")
            if full {
                output += JavaTime.twoDigits(hours) + ":" + JavaTime.twoDigits(minutes)
                if secs != 0 { output += ":" + JavaTime.twoDigits(secs) }
            } else {
                output += String(hours)
                if minutes != 0 || secs != 0 {
                    output += ":" + JavaTime.twoDigits(minutes)
                    if secs != 0 { output += ":" + JavaTime.twoDigits(secs) }
                }
            }
            return output
        }

        /// `DayPeriodPrinterParser.format` with CLDR's English periods, by minute of day.
        static func dayPeriod(_ time: LocalTime, _ style: TextStyle) -> String {
            let minute = time.hour * 60 + time.minute
            switch minute {
            case 0: return style == .narrow ? "mi" : "midnight"
            case 720: return style == .narrow ? "n" : "noon"
            case 360..<720: return "in the morning"
            case 721..<1080: return "in the afternoon"
            case 1080..<1260: return "in the evening"
            default: return "at night"
            }
        }

        static let dayPeriodTexts = ["in the afternoon", "in the morning", "in the evening", "midnight", "at night", "noon", "mi", "n"]

        /// `ZoneTextPrinterParser.format`: offsets print their id, regions their name, or their id when Java has no name.
        func zoneText(full: Bool, generic: Bool) -> String {
            let zone = dateTime.zone
            if zone.isOffset { return zone.id }
            guard let names = JavaTime.zoneNames[zone.id], names.count == 6 else { return zone.id }
            let base = generic ? 4 : (zone.isDaylightSaving(atEpochSecond: dateTime.epochSecond) ? 2 : 0)
            return names[base + (full ? 1 : 0)]
        }

        /// `InstantPrinterParser.format` for ISO_INSTANT: UTC, fraction in groups of three digits.
        func instant() throws(Failure) -> String {
            let utc = try ZonedDateTime.ofInstant(epochSecond: dateTime.epochSecond, nano: dateTime.nano, zone: .utcOffset)
            let utcPrinter = Printer(dateTime: utc, locale: locale)
            var output = ""
            let elements: [Element] = [
                .number(.year, min: 4, max: 10, sign: .exceedsPad), .literal("-"), .number(.month, min: 2, max: 2, sign: .notNegative),
                .literal("-"), .number(.dayOfMonth, min: 2, max: 2, sign: .notNegative), .literal("T"),
                .number(.hourOfDay, min: 2, max: 2, sign: .notNegative), .literal(":"), .number(.minute, min: 2, max: 2, sign: .notNegative),
                .literal(":"), .number(.second, min: 2, max: 2, sign: .notNegative),
            ]
            _ = try utcPrinter.print(elements, into: &output)
            let nano = utc.nano
            if nano > 0 {
                if nano % 1_000_000 == 0 {
                    output += "." + String(String(nano / 1_000_000 + 1000).dropFirst())
                } else if nano % 1000 == 0 {
                    output += "." + String(String(nano / 1000 + 1_000_000).dropFirst())
                } else {
                    output += "." + String(String(nano + 1_000_000_000).dropFirst())
                }
            }
            return output + "Z"
        }
    }

    /// Week numbering of `java.time.temporal.WeekFields` for a first day of week and minimal days in the first week.
    struct Weeks {
        let firstDayOfWeek: Int
        let minimalDays: Int

        static let iso = Weeks(firstDayOfWeek: 1, minimalDays: 4)

        init(firstDayOfWeek: Int, minimalDays: Int) {
            self.firstDayOfWeek = firstDayOfWeek
            self.minimalDays = minimalDays
        }

        init(_ locale: DateLocale) {
            self.init(firstDayOfWeek: locale.firstDayOfWeek, minimalDays: locale.minimalDays)
        }

        func localizedDayOfWeek(_ date: LocalDate) -> Int { Int(JavaTime.floorMod(Int64(date.dayOfWeek - firstDayOfWeek), 7)) + 1 }

        func startOfWeekOffset(_ day: Int, _ dow: Int) -> Int {
            let weekStart = Int(JavaTime.floorMod(Int64(day - dow), 7))
            return weekStart + 1 > minimalDays ? 7 - weekStart : -weekStart
        }

        func computeWeek(_ offset: Int, _ day: Int) -> Int { (7 + offset + (day - 1)) / 7 }

        func weekOfMonth(_ date: LocalDate) -> Int {
            computeWeek(startOfWeekOffset(date.day, localizedDayOfWeek(date)), date.day)
        }

        func weekOfWeekBasedYear(_ date: LocalDate) -> Int {
            var date = date
            for _ in 0..<2 {
                let doy = date.dayOfYear
                let offset = startOfWeekOffset(doy, localizedDayOfWeek(date))
                let week = computeWeek(offset, doy)
                if week == 0 {
                    // In the last week of the previous year: recompute from its last day.
                    date = LocalDate(epochDay: date.epochDay - Int64(doy))
                    continue
                }
                if week > 50 {
                    let newYearWeek = computeWeek(offset, date.lengthOfYear + minimalDays)
                    if week >= newYearWeek { return week - newYearWeek + 1 }
                }
                return week
            }
            return 1
        }

        func weekBasedYear(_ date: LocalDate) -> Int64 {
            let doy = date.dayOfYear
            let offset = startOfWeekOffset(doy, localizedDayOfWeek(date))
            let week = computeWeek(offset, doy)
            if week == 0 { return date.year - 1 }
            let newYearWeek = computeWeek(offset, date.lengthOfYear + minimalDays)
            return week >= newYearWeek ? date.year + 1 : date.year
        }

        /// The date of a day (localized day-of-week, 1 = first day) in a week of a week-based year.
        func date(weekBasedYear year: Int64, week: Int64, localizedDay: Int64) throws(Failure) -> LocalDate {
            let january1 = try LocalDate.of(year, 1, 1)
            let offset = startOfWeekOffset(1, localizedDayOfWeek(january1))
            guard (1...53).contains(week) else { throw Failure("Invalid value for week of week-based-year: \(week)") }
            let dayOfYear = 7 * week - 6 - Int64(offset) + (localizedDay - 1)
            let date = try january1.plusDays(dayOfYear - 1)
            guard weekBasedYear(date) == year else {
                throw Failure("Invalid value for week of week-based-year: week \(week) is not in \(year)")
            }
            return date
        }
    }
}
