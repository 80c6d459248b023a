import Foundation

/// When a Schedule trigger fires: Kestra's cron expressions (5 fields, 6 with `withSeconds`, or a nickname) evaluated
/// in a time zone.
///
/// Semantics follow cron-utils, which Kestra uses, with its Unix definition:
/// - When both day-of-month and day-of-week are restricted, a day matches if either matches. A field counts as
///   unrestricted only when it is exactly `*` or `?`; `*/2` restricts it, as in cron-utils (Vixie cron differs).
/// - Day-of-week runs 0–7 with both 0 and 7 meaning Sunday; names (`MON`, `JAN`) are case-insensitive; `a/n` steps
///   from `a` to the end of the field. The Quartz markers the validator accepts work too: `L`, `LW` and `15W` in
///   day-of-month, `5L` (last Friday) and `MON#2` (second Monday) in day-of-week.
/// - Times are wall-clock times in ``timeZone``. A time that a spring-forward gap skips fires at the first instant
///   after the gap (02:30 on the night Berlin jumps from 02:00 to 03:00 fires at 03:00), once however many skipped
///   times fell into the gap. A time that a fall-back repeats fires once, at its first occurrence; so an hourly job
///   does not run during the repeated hour, as with cron-utils.
///
/// The search jumps field by field (month, day, hour, minute, second) over bit sets, so even a 29 February schedule
/// costs a few dozen steps, and gives up after 400 years (one Gregorian cycle) for expressions that never match,
/// such as `0 0 30 2 *`.
package struct CronSchedule: Sendable {
    package let expression: String
    package let withSeconds: Bool
    package let timeZone: TimeZone

    private let seconds: UInt64
    private let minutes: UInt64
    private let hours: UInt64
    private let months: UInt64
    private let days: DayRule

    package init(expression: String, withSeconds: Bool, timeZone: TimeZone) throws(CronScheduleError) {
        self.expression = expression
        self.withSeconds = withSeconds
        self.timeZone = timeZone
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        var fields: [String]
        if trimmed.hasPrefix("@") {
            guard let expansion = Self.nicknames[trimmed.lowercased()] else {
                throw .invalid(
                    expression: expression,
                    reason: "unknown nickname; use one of " + Self.nicknames.keys.sorted().joined(separator: ", ") + " or five fields"
                )
            }
            fields = expansion.split(separator: " ").map(String.init)
            if withSeconds { fields.insert("0", at: 0) }
        } else {
            fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let expected = withSeconds ? 6 : 5
            guard fields.count == expected else {
                let shape = withSeconds ? "second minute hour day-of-month month day-of-week" : "minute hour day-of-month month day-of-week"
                throw .invalid(expression: expression, reason: "it has \(fields.count) fields, but needs \(expected) (\(shape))")
            }
        }
        if !withSeconds { fields.insert("0", at: 0) }
        do {
            seconds = try Self.parse(fields[0], .second)
            minutes = try Self.parse(fields[1], .minute)
            hours = try Self.parse(fields[2], .hour)
            months = try Self.parse(fields[4], .month)
            days = try DayRule(dayOfMonth: fields[3], dayOfWeek: fields[5])
        } catch {
            throw .invalid(expression: expression, reason: error.reason)
        }
    }

    static let nicknames: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// The first time strictly after `date` at which the schedule fires, or nil if it never fires again.
    package func next(after date: Date) -> Date? {
        let after = Int64(date.timeIntervalSince1970.rounded(.down))
        // The smallest wall-clock time whose instant could lie after `date`; candidates before it are skipped below.
        var local = after + 1 + Int64(nearbyOffsets(around: after).min()!)
        for _ in 0..<Self.maximumCandidates {
            guard let candidate = nextLocal(from: local) else { return nil }
            let instant = instant(ofLocal: candidate)
            if instant > after { return Date(timeIntervalSince1970: Double(instant)) }
            local = candidate + 1
        }
        return nil
    }

    /// The last time strictly before `date` at which the schedule fired, or nil if it never did.
    package func previous(before date: Date) -> Date? {
        let before = Int64(date.timeIntervalSince1970.rounded(.up)) - 1
        var local = before + Int64(nearbyOffsets(around: before).max()!)
        for _ in 0..<Self.maximumCandidates {
            guard let candidate = previousLocal(from: local) else { return nil }
            let instant = instant(ofLocal: candidate)
            if instant <= before { return Date(timeIntervalSince1970: Double(instant)) }
            local = candidate - 1
        }
        return nil
    }

    /// Candidates whose instants fall on the wrong side of the start are skipped one by one; around a transition that
    /// is at most an hour of them, 3,600 with a seconds field.
    private static let maximumCandidates = 10_000
    private static let searchYears = 400

    // MARK: - Wall-clock search

    /// The first matching wall-clock time at or after `start`, in seconds since 1970 read as if the zone were UTC.
    private func nextLocal(from start: Int64) -> Int64? {
        var (year, month, day) = CivilDate.from(days: start.floorDivided(by: 86_400))
        let secondOfDay = Int(start - start.floorDivided(by: 86_400) * 86_400)
        var (hour, minute, second) = (secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
        let lastYear = year + Self.searchYears
        while year <= lastYear {
            guard let nextMonth = months.first(atLeast: month) else {
                (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0)
                continue
            }
            if nextMonth != month { (month, day, hour, minute, second) = (nextMonth, 1, 0, 0, 0) }
            guard let nextDay = days.days(year: year, month: month).first(atLeast: day) else {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0)
                if month > 12 { (year, month) = (year + 1, 1) }
                continue
            }
            if nextDay != day { (day, hour, minute, second) = (nextDay, 0, 0, 0) }
            guard let nextHour = hours.first(atLeast: hour) else {
                (day, hour, minute, second) = (day + 1, 0, 0, 0)
                continue
            }
            if nextHour != hour { (hour, minute, second) = (nextHour, 0, 0) }
            guard let nextMinute = minutes.first(atLeast: minute) else {
                (hour, minute, second) = (hour + 1, 0, 0)
                continue
            }
            if nextMinute != minute { (minute, second) = (nextMinute, 0) }
            guard let nextSecond = seconds.first(atLeast: second) else {
                (minute, second) = (minute + 1, 0)
                continue
            }
            return CivilDate.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + nextSecond)
        }
        return nil
    }

    /// The last matching wall-clock time at or before `start`.
    private func previousLocal(from start: Int64) -> Int64? {
        var (year, month, day) = CivilDate.from(days: start.floorDivided(by: 86_400))
        let secondOfDay = Int(start - start.floorDivided(by: 86_400) * 86_400)
        var (hour, minute, second) = (secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
        let firstYear = year - Self.searchYears
        while year >= firstYear {
            guard let previousMonth = months.last(atMost: month) else {
                (year, month, day, hour, minute, second) = (year - 1, 12, 31, 23, 59, 59)
                continue
            }
            if previousMonth != month { (month, day, hour, minute, second) = (previousMonth, 31, 23, 59, 59) }
            guard let previousDay = days.days(year: year, month: month).last(atMost: day) else {
                (month, day, hour, minute, second) = (month - 1, 31, 23, 59, 59)
                if month < 1 { (year, month) = (year - 1, 12) }
                continue
            }
            if previousDay != day { (day, hour, minute, second) = (previousDay, 23, 59, 59) }
            guard let previousHour = hours.last(atMost: hour) else {
                (day, hour, minute, second) = (day - 1, 23, 59, 59)
                continue
            }
            if previousHour != hour { (hour, minute, second) = (previousHour, 59, 59) }
            guard let previousMinute = minutes.last(atMost: minute) else {
                (hour, minute, second) = (hour - 1, 59, 59)
                continue
            }
            if previousMinute != minute { (minute, second) = (previousMinute, 59) }
            guard let previousSecond = seconds.last(atMost: second) else {
                (minute, second) = (minute - 1, 59)
                continue
            }
            return CivilDate.days(year: year, month: month, day: day) * 86_400
                + Int64(hour * 3600 + minute * 60 + previousSecond)
        }
        return nil
    }

    // MARK: - Wall clock to instant

    private func offset(at instant: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    /// The zone's offsets within a day of `instant`: enough to bracket any transition near it.
    private func nearbyOffsets(around instant: Int64) -> [Int64] {
        [offset(at: instant - 86_400), offset(at: instant), offset(at: instant + 86_400)]
    }

    /// The instant a wall-clock time fires at: its only instant, the earlier of two in a fall-back overlap, or the
    /// end of the gap when a spring-forward skips it.
    private func instant(ofLocal local: Int64) -> Int64 {
        let offsets = Set(nearbyOffsets(around: local) + [offset(at: local - offset(at: local))])
        let solutions = offsets.map { local - $0 }.filter { local - $0 == offset(at: $0) }
        if let earliest = solutions.min() { return earliest }
        // In a gap `instant + offset(instant)` jumps past `local`; the first instant where it does ends the gap.
        var low = local - offsets.max()!
        var high = local - offsets.min()!
        while low < high {
            let middle = low + (high - low) / 2
            if middle + offset(at: middle) >= local { high = middle } else { low = middle + 1 }
        }
        return low
    }

    // MARK: - Parsing

    /// A field's name and the values it may hold; day-of-week's 7 is folded onto 0 after parsing.
    enum Field {
        case second, minute, hour, dayOfMonth, month, dayOfWeek

        var name: String {
            switch self {
            case .second: "second"
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        var range: ClosedRange<Int> {
            switch self {
            case .second, .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        var names: [String] {
            switch self {
            case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }

        func value(of text: String) -> Int? {
            if let number = Int(text) { return range.contains(number) ? number : nil }
            guard let index = names.firstIndex(of: text.uppercased()) else { return nil }
            return self == .month ? index + 1 : index
        }
    }

    /// Why one field cannot be read; the initialiser puts the expression around it.
    struct FieldError: Error {
        let reason: String
    }

    /// The bit set of values a plain field (numbers, names, `*`, `?`, ranges, steps, lists) allows.
    static func parse(_ text: String, _ field: Field) throws(FieldError) -> UInt64 {
        var mask: UInt64 = 0
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !part.isEmpty else { throw FieldError(reason: "the \(field.name) field `\(text)` has an empty list item") }
            var base = part
            var step = 1
            if let slash = part.firstIndex(of: "/") {
                let stepText = part[part.index(after: slash)...]
                guard let value = Int(stepText), value > 0 else {
                    throw FieldError(reason: "the step `\(stepText)` in the \(field.name) field must be a positive number")
                }
                step = value
                base = String(part[..<slash])
            }
            let bounds: ClosedRange<Int>
            if base == "*" || base == "?" {
                bounds = field.range
            } else {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard ends.count <= 2 else { throw FieldError(reason: "the \(field.name) field `\(text)` is not a number, a range or a list") }
                var values: [Int] = []
                for end in ends {
                    guard let value = field.value(of: end) else {
                        let named = field.names.isEmpty ? "" : " or \(field.names.first!)-\(field.names.last!)"
                        throw FieldError(
                            reason: "`\(end)` is not a valid \(field.name) (allowed: \(field.range.lowerBound)-\(field.range.upperBound)\(named))")
                    }
                    values.append(value)
                }
                guard values.count == 1 || values[0] <= values[1] else {
                    throw FieldError(reason: "the \(field.name) range `\(base)` runs backwards")
                }
                // `5/15` runs from 5 to the end of the field, as in cron-utils.
                bounds = values[0]...(values.count == 2 ? values[1] : part.contains("/") ? field.range.upperBound : values[0])
            }
            for value in stride(from: bounds.lowerBound, through: bounds.upperBound, by: step) {
                mask |= 1 << UInt64(field == .dayOfWeek && value == 7 ? 0 : value)
            }
        }
        return mask
    }

    /// Which days of a month match: the plain day-of-month and day-of-week sets with their Quartz markers.
    struct DayRule: Sendable {
        /// Bits 1–31.
        var dayOfMonth: UInt64 = 0
        /// Bits 0–6, Sunday first.
        var dayOfWeek: UInt64 = 0
        var lastDayOfMonth = false
        var lastWeekdayOfMonth = false
        var nearestWeekdays: [Int] = []
        var lastInMonth: [Int] = []
        var nthInMonth: [(weekday: Int, nth: Int)] = []
        let restrictsDayOfMonth: Bool
        let restrictsDayOfWeek: Bool

        init(dayOfMonth monthText: String, dayOfWeek weekText: String) throws(FieldError) {
            restrictsDayOfMonth = monthText != "*" && monthText != "?"
            restrictsDayOfWeek = weekText != "*" && weekText != "?"
            var plain: [String] = []
            for part in monthText.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                let upper = part.uppercased()
                if upper == "L" {
                    lastDayOfMonth = true
                } else if upper == "LW" {
                    lastWeekdayOfMonth = true
                } else if upper.hasSuffix("W"), let day = Int(upper.dropLast()) {
                    guard (1...31).contains(day) else { throw FieldError(reason: "`\(part)` is not a valid day-of-month (allowed: 1W-31W)") }
                    nearestWeekdays.append(day)
                } else {
                    plain.append(part)
                }
            }
            if !plain.isEmpty { dayOfMonth = try CronSchedule.parse(plain.joined(separator: ","), .dayOfMonth) }
            plain = []
            for part in weekText.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                let upper = part.uppercased()
                if upper == "L" {
                    lastInMonth.append(6)
                } else if upper.hasSuffix("L"), let weekday = Field.dayOfWeek.value(of: String(upper.dropLast())) {
                    lastInMonth.append(weekday % 7)
                } else if let hash = upper.firstIndex(of: "#") {
                    guard let weekday = Field.dayOfWeek.value(of: String(upper[..<hash])), let nth = Int(upper[upper.index(after: hash)...]),
                        (1...5).contains(nth)
                    else {
                        throw FieldError(reason: "`\(part)` is not a valid day-of-week: write the day, `#` and 1 to 5, as in MON#2")
                    }
                    nthInMonth.append((weekday % 7, nth))
                } else {
                    plain.append(part)
                }
            }
            if !plain.isEmpty { dayOfWeek = try CronSchedule.parse(plain.joined(separator: ","), .dayOfWeek) }
        }

        /// The matching days of one month, as bits 1–31.
        func days(year: Int, month: Int) -> UInt64 {
            let length = CivilDate.daysInMonth(year: year, month: month)
            let allDays: UInt64 = ((1 << UInt64(length)) - 1) << 1
            if !restrictsDayOfMonth && !restrictsDayOfWeek { return allDays }
            let firstWeekday = CivilDate.weekday(days: CivilDate.days(year: year, month: month, day: 1))
            func weekday(of day: Int) -> Int { (firstWeekday + day - 1) % 7 }
            func isWeekday(_ day: Int) -> Bool { (1...5).contains(weekday(of: day)) }

            var byMonth = dayOfMonth & allDays
            if lastDayOfMonth { byMonth |= 1 << UInt64(length) }
            if lastWeekdayOfMonth, let day = (1...length).reversed().first(where: isWeekday) { byMonth |= 1 << UInt64(day) }
            for target in nearestWeekdays where target <= length {
                // Quartz's rule: the nearest Monday to Friday, without leaving the month.
                var day = target
                switch weekday(of: target) {
                case 6: day = target == 1 ? 3 : target - 1
                case 0: day = target == length ? target - 2 : target + 1
                default: break
                }
                byMonth |= 1 << UInt64(day)
            }

            var byWeek: UInt64 = 0
            for day in 1...length {
                let current = weekday(of: day)
                if dayOfWeek & (1 << UInt64(current)) != 0 { byWeek |= 1 << UInt64(day) }
                if lastInMonth.contains(current), day + 7 > length { byWeek |= 1 << UInt64(day) }
                if nthInMonth.contains(where: { $0.weekday == current && $0.nth == (day - 1) / 7 + 1 }) { byWeek |= 1 << UInt64(day) }
            }
            switch (restrictsDayOfMonth, restrictsDayOfWeek) {
            case (true, true): return byMonth | byWeek
            case (true, false): return byMonth
            default: return byWeek
            }
        }
    }
}

/// Why a cron expression cannot be scheduled.
package enum CronScheduleError: Error, Equatable, CustomStringConvertible {
    case invalid(expression: String, reason: String)

    package var description: String {
        switch self {
        case .invalid(let expression, let reason): "cron expression `\(expression)`: \(reason)"
        }
    }
}

/// Proleptic Gregorian dates as day numbers since 1970-01-01, without Calendar's allocations (Howard Hinnant's
/// `days_from_civil` and `civil_from_days`).
enum CivilDate {
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * Int64(month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func from(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 0 for Sunday to 6 for Saturday; 1970-01-01 was a Thursday.
    static func weekday(days: Int64) -> Int {
        Int(((days % 7) + 11) % 7)
    }
}

extension UInt64 {
    /// The smallest set bit at `value` or above.
    fileprivate func first(atLeast value: Int) -> Int? {
        guard value < 64 else { return nil }
        let start = Swift.max(value, 0)
        let shifted = self >> UInt64(start)
        return shifted == 0 ? nil : start + shifted.trailingZeroBitCount
    }

    /// The largest set bit at `value` or below.
    fileprivate func last(atMost value: Int) -> Int? {
        guard value >= 0 else { return nil }
        let masked = value >= 63 ? self : self & ((1 << UInt64(value + 1)) - 1)
        return masked == 0 ? nil : 63 - masked.leadingZeroBitCount
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}
