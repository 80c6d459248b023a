import Foundation

/// The parts of `java.time` that Kestra's date filters rely on, ported so dates render exactly as in Kestra:
/// ISO calendar arithmetic, zones (fixed offsets and tz regions), and `DateTimeFormatter` patterns.
///
/// Values are plain structs; every operation checks Java's ranges (years ±999,999,999) and throws
/// ``JavaTime/Failure`` rather than trapping on overflow.
enum JavaTime {
    /// Why a date could not be parsed, computed or printed; the filters prefix it with their name.
    struct Failure: Error, Equatable, Sendable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static let minimumYear: Int64 = -999_999_999
    static let maximumYear: Int64 = 999_999_999
    static let secondsPerDay: Int64 = 86_400
    static let nanosPerSecond: Int64 = 1_000_000_000

    /// Java's `Math.floorDiv` / `floorMod`.
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    static func adding(_ a: Int64, _ b: Int64) throws(Failure) -> Int64 {
        let (result, overflow) = a.addingReportingOverflow(b)
        if overflow { throw Failure("long overflow") }
        return result
    }

    static func multiplying(_ a: Int64, _ b: Int64) throws(Failure) -> Int64 {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw Failure("long overflow") }
        return result
    }
}

// MARK: - Local date and time

extension JavaTime {
    /// `java.time.LocalDate` in the proleptic ISO calendar.
    struct LocalDate: Hashable, Sendable {
        var year: Int64
        var month: Int
        var day: Int

        static func isLeap(_ year: Int64) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

        static func length(ofMonth month: Int, year: Int64) -> Int {
            switch month {
            case 2: isLeap(year) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        /// A checked date: the year in Java's range, the month and day valid for it.
        static func of(_ year: Int64, _ month: Int, _ day: Int) throws(Failure) -> LocalDate {
            guard year >= minimumYear, year <= maximumYear else {
                throw Failure("Invalid value for Year (valid values -999999999 - 999999999): \(year)")
            }
            guard (1...12).contains(month) else { throw Failure("Invalid value for MonthOfYear (valid values 1 - 12): \(month)") }
            guard (1...31).contains(day) else { throw Failure("Invalid value for DayOfMonth (valid values 1 - 28/31): \(day)") }
            guard day <= length(ofMonth: month, year: year) else {
                if day == 29 { throw Failure("Invalid date 'February 29' as '\(year)' is not a leap year") }
                throw Failure("Invalid date '\(monthNames[month - 1].uppercased()) \(day)'")
            }
            return LocalDate(year: year, month: month, day: day)
        }

        private static let monthNames = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]

        /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
        var epochDay: Int64 {
            let y = month <= 2 ? year - 1 : year
            let era = JavaTime.floorDiv(y, 400)
            let yoe = y - era * 400
            let m = Int64(month)
            let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146_097 + doe - 719_468
        }

        init(year: Int64, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }

        /// The date `epochDay` days after 1970-01-01; callers keep `epochDay` within Java's year range.
        init(epochDay: Int64) {
            let z = epochDay + 719_468
            let era = JavaTime.floorDiv(z, 146_097)
            let doe = z - era * 146_097
            let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
            let mp = (5 * doy + 2) / 153
            let d = doy - (153 * mp + 2) / 5 + 1
            let m = mp < 10 ? mp + 3 : mp - 9
            self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: Int(m), day: Int(d))
        }

        static let minimumEpochDay = LocalDate(year: minimumYear, month: 1, day: 1).epochDay
        static let maximumEpochDay = LocalDate(year: maximumYear, month: 12, day: 31).epochDay

        static func of(epochDay: Int64) throws(Failure) -> LocalDate {
            guard epochDay >= minimumEpochDay, epochDay <= maximumEpochDay else {
                throw Failure("Invalid value for EpochDay (valid values \(minimumEpochDay) - \(maximumEpochDay)): \(epochDay)")
            }
            return LocalDate(epochDay: epochDay)
        }

        var dayOfYear: Int {
            var total = day
            for m in 1..<month { total += LocalDate.length(ofMonth: m, year: year) }
            return total
        }

        var lengthOfYear: Int { LocalDate.isLeap(year) ? 366 : 365 }

        /// ISO day of week, Monday = 1 … Sunday = 7.
        var dayOfWeek: Int { Int(JavaTime.floorMod(epochDay + 3, 7)) + 1 }

        func plusDays(_ days: Int64) throws(Failure) -> LocalDate {
            try LocalDate.of(epochDay: try JavaTime.adding(epochDay, days))
        }

        /// `plusMonths`: the day is clamped to the end of the resulting month, as Java does.
        func plusMonths(_ months: Int64) throws(Failure) -> LocalDate {
            let current = try JavaTime.adding(try JavaTime.multiplying(year, 12), Int64(month - 1))
            let total = try JavaTime.adding(current, months)
            let newYear = JavaTime.floorDiv(total, 12)
            let newMonth = Int(JavaTime.floorMod(total, 12)) + 1
            guard newYear >= minimumYear, newYear <= maximumYear else {
                throw Failure("Invalid value for Year (valid values -999999999 - 999999999): \(newYear)")
            }
            return LocalDate(year: newYear, month: newMonth, day: min(day, LocalDate.length(ofMonth: newMonth, year: newYear)))
        }

        func plusYears(_ years: Int64) throws(Failure) -> LocalDate {
            let newYear = try JavaTime.adding(year, years)
            guard newYear >= minimumYear, newYear <= maximumYear else {
                throw Failure("Invalid value for Year (valid values -999999999 - 999999999): \(newYear)")
            }
            return LocalDate(year: newYear, month: month, day: min(day, LocalDate.length(ofMonth: month, year: newYear)))
        }
    }

    /// `java.time.LocalTime`.
    struct LocalTime: Hashable, Sendable {
        var hour: Int
        var minute: Int
        var second: Int
        var nano: Int

        static let midnight = LocalTime(hour: 0, minute: 0, second: 0, nano: 0)
        static let noon = LocalTime(hour: 12, minute: 0, second: 0, nano: 0)

        var secondOfDay: Int64 { Int64(hour * 3600 + minute * 60 + second) }
        var nanoOfDay: Int64 { secondOfDay * JavaTime.nanosPerSecond + Int64(nano) }

        init(hour: Int, minute: Int, second: Int, nano: Int) {
            self.hour = hour
            self.minute = minute
            self.second = second
            self.nano = nano
        }

        init(secondOfDay: Int64, nano: Int) {
            self.init(hour: Int(secondOfDay / 3600), minute: Int(secondOfDay / 60 % 60), second: Int(secondOfDay % 60), nano: nano)
        }
    }

    /// `java.time.LocalDateTime`.
    struct LocalDateTime: Hashable, Sendable {
        var date: LocalDate
        var time: LocalTime

        /// Seconds since the epoch if this local date-time were in UTC.
        var epochSecondAsUTC: Int64 { date.epochDay * JavaTime.secondsPerDay + time.secondOfDay }

        static func of(epochSecondAsUTC seconds: Int64, nano: Int) throws(Failure) -> LocalDateTime {
            let day = JavaTime.floorDiv(seconds, JavaTime.secondsPerDay)
            let secondOfDay = JavaTime.floorMod(seconds, JavaTime.secondsPerDay)
            return LocalDateTime(date: try LocalDate.of(epochDay: day), time: LocalTime(secondOfDay: secondOfDay, nano: nano))
        }

        /// Adds seconds and nanoseconds on the local time line (Java's `plusSeconds` / `plusNanos`).
        func plus(seconds: Int64, nanos: Int64) throws(Failure) -> LocalDateTime {
            let carry = JavaTime.floorDiv(Int64(time.nano) + JavaTime.floorMod(nanos, JavaTime.nanosPerSecond), JavaTime.nanosPerSecond)
            let nano = Int(JavaTime.floorMod(Int64(time.nano) + JavaTime.floorMod(nanos, JavaTime.nanosPerSecond), JavaTime.nanosPerSecond))
            var total = try JavaTime.adding(epochSecondAsUTC, seconds)
            total = try JavaTime.adding(total, JavaTime.floorDiv(nanos, JavaTime.nanosPerSecond))
            total = try JavaTime.adding(total, carry)
            return try LocalDateTime.of(epochSecondAsUTC: total, nano: nano)
        }
    }
}

// MARK: - Zones

extension JavaTime {
    /// `java.time.ZoneId`: a fixed `ZoneOffset` or a region whose rules come from the system tz database.
    struct Zone: Hashable, Sendable {
        enum Rules: Hashable, Sendable {
            case fixed(Int)
            case region(TimeZone)
        }

        let id: String
        let rules: Rules
        /// `ZoneOffset` (printed as an offset, never in `[…]`), as opposed to a `ZoneRegion`.
        let isOffset: Bool

        static let utcOffset = Zone(id: "Z", rules: .fixed(0), isOffset: true)

        static func offset(_ seconds: Int) -> Zone {
            Zone(id: offsetId(seconds), rules: .fixed(seconds), isOffset: true)
        }

        /// Java's `ZoneOffset.getId()`: `Z`, `+02:00`, `-05:30`, `+01:02:03`.
        static func offsetId(_ seconds: Int) -> String {
            if seconds == 0 { return "Z" }
            let absolute = abs(seconds)
            var text = (seconds < 0 ? "-" : "+") + twoDigits(absolute / 3600) + ":" + twoDigits(absolute / 60 % 60)
            if absolute % 60 != 0 { text += ":" + twoDigits(absolute % 60) }
            return text
        }

        /// Java's `ZoneId.of`: `Z`, `+hh:mm` offsets, `UTC`/`GMT`/`UT` with an optional offset, or a tz region id.
        static func of(_ text: String) throws(Failure) -> Zone {
            if text == "Z" { return utcOffset }
            if text.hasPrefix("+") || text.hasPrefix("-") { return offset(try parseOffsetId(text)) }
            for prefix in ["UTC", "GMT", "UT"] where text == prefix || text.hasPrefix(prefix + "+") || text.hasPrefix(prefix + "-") {
                if text == prefix { return Zone(id: prefix, rules: .fixed(0), isOffset: false) }
                let seconds = try parseOffsetId(String(text.dropFirst(prefix.count)))
                if seconds == 0 { return Zone(id: prefix, rules: .fixed(0), isOffset: false) }
                return Zone(id: prefix + offsetId(seconds), rules: .fixed(seconds), isOffset: false)
            }
            // ZoneRegion.checkName: [A-Za-z][A-Za-z0-9~/._+-]+
            let scalars = Array(text.unicodeScalars)
            let allowed = Set("~/._+-".unicodeScalars)
            guard scalars.count >= 2, isASCIILetter(scalars[0]),
                scalars.dropFirst().allSatisfy({ isASCIILetter($0) || ("0"..."9").contains($0) || allowed.contains($0) })
            else {
                throw Failure("Invalid ID for region-based ZoneId, invalid format: \(text)")
            }
            // Foundation also knows abbreviations (PST, CEST…) that java.time rejects: only accept tz database names.
            guard text.contains("/") || slashlessRegionIds.contains(text), let timeZone = TimeZone(identifier: text) else {
                throw Failure("Unknown time-zone ID: \(text)")
            }
            return Zone(id: text, rules: .region(timeZone), isOffset: false)
        }

        /// The region ids without a `/` in Java's tz database (`ZoneId.getAvailableZoneIds()`).
        static let slashlessRegionIds: Set<String> = [
            "CET", "CST6CDT", "Cuba", "EET", "EST5EDT", "Egypt", "Eire", "GB", "GB-Eire", "GMT", "GMT0", "Greenwich", "Hongkong", "Iceland",
            "Iran", "Israel", "Jamaica", "Japan", "Kwajalein", "Libya", "MET", "MST7MDT", "NZ", "NZ-CHAT", "Navajo", "PRC", "PST8PDT",
            "Poland", "Portugal", "ROK", "Singapore", "Turkey", "UCT", "UTC", "Universal", "W-SU", "WET", "Zulu",
        ]

        private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }

        /// `ZoneOffset.of`: `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`, within ±18:00.
        static func parseOffsetId(_ text: String) throws(Failure) -> Int {
            let chars = Array(text.utf8)
            guard let sign = chars.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
                throw Failure("Invalid ID for ZoneOffset, invalid format: \(text)")
            }
            func number(_ start: Int, _ precededByColon: Bool) throws(Failure) -> Int {
                if precededByColon, chars[start - 1] != UInt8(ascii: ":") { throw Failure("Invalid ID for ZoneOffset, invalid format: \(text)") }
                let d1 = chars[start]
                let d2 = chars[start + 1]
                guard (48...57).contains(d1), (48...57).contains(d2) else { throw Failure("Invalid ID for ZoneOffset, invalid format: \(text)") }
                return Int(d1 - 48) * 10 + Int(d2 - 48)
            }
            var hours = 0
            var minutes = 0
            var seconds = 0
            switch chars.count {
            case 2:
                guard (48...57).contains(chars[1]) else { throw Failure("Invalid ID for ZoneOffset, invalid format: \(text)") }
                hours = Int(chars[1] - 48)
            case 3: hours = try number(1, false)
            case 5:
                hours = try number(1, false)
                minutes = try number(3, false)
            case 6:
                hours = try number(1, false)
                minutes = try number(4, true)
            case 7:
                hours = try number(1, false)
                minutes = try number(3, false)
                seconds = try number(5, false)
            case 9:
                hours = try number(1, false)
                minutes = try number(4, true)
                seconds = try number(7, true)
            default: throw Failure("Invalid ID for ZoneOffset, invalid format: \(text)")
            }
            guard hours <= 18, minutes <= 59, seconds <= 59, hours < 18 || (minutes == 0 && seconds == 0) else {
                throw Failure("Zone offset not in valid range: -18:00 to +18:00")
            }
            let total = hours * 3600 + minutes * 60 + seconds
            return sign == UInt8(ascii: "-") ? -total : total
        }

        /// Foundation's tz lookups are asked about instants between 1600 and 2400; later instants are moved back by whole
        /// 400-year Gregorian cycles (same calendar, so the same DST rule applies), earlier ones use 1600's offset.
        private static func foundationDate(_ epochSecond: Int64) -> Date {
            let cycle: Int64 = 146_097 * 86_400
            let upper: Int64 = 13_569_465_600  // 2400-01-01
            let lower: Int64 = -11_676_096_000  // 1600-01-01
            var seconds = epochSecond
            if seconds >= upper { seconds = upper - cycle + JavaTime.floorMod(seconds - upper, cycle) }
            if seconds < lower { seconds = lower }
            return Date(timeIntervalSince1970: Double(seconds))
        }

        func offset(atEpochSecond epochSecond: Int64) -> Int {
            switch rules {
            case .fixed(let seconds): seconds
            case .region(let timeZone): timeZone.secondsFromGMT(for: Zone.foundationDate(epochSecond))
            }
        }

        func isDaylightSaving(atEpochSecond epochSecond: Int64) -> Bool {
            switch rules {
            case .fixed: false
            case .region(let timeZone): timeZone.isDaylightSavingTime(for: Zone.foundationDate(epochSecond))
            }
        }

        /// `ZonedDateTime.ofLocal`: the offset for a local date-time; in an overlap the preferred (or earlier) offset wins,
        /// in a gap the time moves forward by the length of the gap.
        func resolve(_ local: LocalDateTime, preferredOffset: Int?) throws(Failure) -> (LocalDateTime, Int) {
            if case .fixed(let seconds) = rules { return (local, seconds) }
            let localSeconds = local.epochSecondAsUTC
            let before = offset(atEpochSecond: localSeconds - 86_400)
            let after = offset(atEpochSecond: localSeconds + 86_400)
            let candidates = before == after ? [before] : [before, after]
            let valid = candidates.filter { offset(atEpochSecond: localSeconds - Int64($0)) == $0 }
            if let preferredOffset, valid.contains(preferredOffset) { return (local, preferredOffset) }
            // One valid offset is the normal case; in an overlap Java takes the offset before the transition.
            if let first = valid.first { return (local, first) }
            // Gap: shift forward by the gap length and use the offset after the transition.
            return (try local.plus(seconds: Int64(after - before), nanos: 0), after)
        }
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

// MARK: - Zoned date-time

extension JavaTime {
    /// `java.time.ZonedDateTime`: a local date-time, the offset in force, and the zone.
    struct ZonedDateTime: Hashable, Sendable {
        var local: LocalDateTime
        var offset: Int
        var zone: Zone

        // java.time.Instant.MIN / MAX
        static let minimumEpochSecond: Int64 = -31_557_014_167_219_200
        static let maximumEpochSecond: Int64 = 31_556_889_864_403_199

        var epochSecond: Int64 { local.epochSecondAsUTC - Int64(offset) }
        var nano: Int { local.time.nano }

        static func ofInstant(epochSecond: Int64, nano: Int, zone: Zone) throws(Failure) -> ZonedDateTime {
            guard epochSecond >= minimumEpochSecond, epochSecond <= maximumEpochSecond else {
                throw Failure("Instant exceeds minimum or maximum instant")
            }
            let offset = zone.offset(atEpochSecond: epochSecond)
            let local = try LocalDateTime.of(epochSecondAsUTC: epochSecond + Int64(offset), nano: nano)
            return ZonedDateTime(local: local, offset: offset, zone: zone)
        }

        static func ofLocal(_ local: LocalDateTime, zone: Zone, preferredOffset: Int? = nil) throws(Failure) -> ZonedDateTime {
            let (resolved, offset) = try zone.resolve(local, preferredOffset: preferredOffset)
            return ZonedDateTime(local: resolved, offset: offset, zone: zone)
        }

        func withZoneSameInstant(_ newZone: Zone) throws(Failure) -> ZonedDateTime {
            try ZonedDateTime.ofInstant(epochSecond: epochSecond, nano: nano, zone: newZone)
        }

        /// `ZonedDateTime.plus(amount, ChronoUnit)`: time units move the instant, date units move the local date-time
        /// and keep the offset when it is still valid.
        func plus(_ amount: Int64, _ unit: ChronoUnit) throws(Failure) -> ZonedDateTime {
            switch unit {
            case .nanos, .micros, .millis, .seconds, .minutes, .hours, .halfDays:
                let moved: LocalDateTime
                switch unit {
                case .nanos: moved = try local.plus(seconds: 0, nanos: amount)
                case .micros:
                    moved = try local.plus(seconds: amount / 1_000_000, nanos: (amount % 1_000_000) * 1000)
                case .millis: moved = try local.plus(seconds: amount / 1000, nanos: (amount % 1000) * 1_000_000)
                default: moved = try local.plus(seconds: try JavaTime.multiplying(amount, unit.seconds), nanos: 0)
                }
                let instant = moved.epochSecondAsUTC - Int64(offset)
                return try ZonedDateTime.ofInstant(epochSecond: instant, nano: moved.time.nano, zone: zone)
            case .days, .weeks:
                let days = unit == .weeks ? try JavaTime.multiplying(amount, 7) : amount
                let date = try local.date.plusDays(days)
                return try ZonedDateTime.ofLocal(LocalDateTime(date: date, time: local.time), zone: zone, preferredOffset: offset)
            case .months, .years, .decades, .centuries, .millennia:
                let date: LocalDate
                switch unit {
                case .months: date = try local.date.plusMonths(amount)
                case .years: date = try local.date.plusYears(amount)
                case .decades: date = try local.date.plusYears(try JavaTime.multiplying(amount, 10))
                case .centuries: date = try local.date.plusYears(try JavaTime.multiplying(amount, 100))
                default: date = try local.date.plusYears(try JavaTime.multiplying(amount, 1000))
                }
                return try ZonedDateTime.ofLocal(LocalDateTime(date: date, time: local.time), zone: zone, preferredOffset: offset)
            case .eras:
                // The ISO calendar has eras 0 (BCE) and 1 (CE); `plus(n, ERAS)` sets ERA = current + n.
                let era: Int64 = local.date.year >= 1 ? 1 : 0
                let newEra = try JavaTime.adding(era, amount)
                guard newEra == 0 || newEra == 1 else { throw Failure("Invalid value for Era (valid values 0 - 1): \(newEra)") }
                if newEra == era { return self }
                let yearOfEra = era == 1 ? local.date.year : 1 - local.date.year
                let year = newEra == 1 ? yearOfEra : 1 - yearOfEra
                let date = try LocalDate.of(year, local.date.month, min(local.date.day, LocalDate.length(ofMonth: local.date.month, year: year)))
                return try ZonedDateTime.ofLocal(LocalDateTime(date: date, time: local.time), zone: zone, preferredOffset: offset)
            case .forever:
                throw Failure("Unsupported unit: Forever")
            }
        }
    }

    /// `java.time.temporal.ChronoUnit`, by the enum constant names `dateAdd` takes.
    enum ChronoUnit: String, CaseIterable, Sendable {
        case nanos = "NANOS"
        case micros = "MICROS"
        case millis = "MILLIS"
        case seconds = "SECONDS"
        case minutes = "MINUTES"
        case hours = "HOURS"
        case halfDays = "HALF_DAYS"
        case days = "DAYS"
        case weeks = "WEEKS"
        case months = "MONTHS"
        case years = "YEARS"
        case decades = "DECADES"
        case centuries = "CENTURIES"
        case millennia = "MILLENNIA"
        case eras = "ERAS"
        case forever = "FOREVER"

        var seconds: Int64 {
            switch self {
            case .minutes: 60
            case .hours: 3600
            case .halfDays: 43_200
            default: 1
            }
        }
    }
}
