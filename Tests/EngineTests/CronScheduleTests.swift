import Engine
import Foundation
import Testing

@Suite("Cron schedule")
struct CronScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// An instant written with its offset, `2026-03-29T03:00:00+02:00`.
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }

    /// The next `count` fire times after `start`, as instants in UTC, for comparison with readable strings.
    static func fires(
        _ expression: String, after start: String, count: Int = 1, withSeconds: Bool = false, in zone: TimeZone = utc
    ) throws -> [String] {
        let schedule = try CronSchedule(expression: expression, withSeconds: withSeconds, timeZone: zone)
        var dates: [Date] = []
        var current = instant(start)
        for _ in 0..<count {
            guard let next = schedule.next(after: current) else { break }
            dates.append(next)
            current = next
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = utc
        return dates.map { formatter.string(from: $0) }
    }

    @Test("steps fire strictly after the start, including when the start is itself a fire time")
    func steps() throws {
        #expect(
            try Self.fires("*/15 * * * *", after: "2026-05-05T10:07:30Z", count: 3) == [
                "2026-05-05T10:15:00Z", "2026-05-05T10:30:00Z", "2026-05-05T10:45:00Z",
            ])
        #expect(try Self.fires("*/15 * * * *", after: "2026-05-05T10:15:00Z") == ["2026-05-05T10:30:00Z"])
        #expect(
            try Self.fires("5/20 * * * *", after: "2026-05-05T10:00:00Z", count: 4) == [
                "2026-05-05T10:05:00Z", "2026-05-05T10:25:00Z", "2026-05-05T10:45:00Z", "2026-05-05T11:05:00Z",
            ])
    }

    @Test("ranges with steps, lists and weekday ranges, across a weekend")
    func rangesAndLists() throws {
        #expect(
            try Self.fires("0 9-17/4 * * MON-FRI", after: "2026-07-10T13:30:00Z", count: 3) == [
                "2026-07-10T17:00:00Z", "2026-07-13T09:00:00Z", "2026-07-13T13:00:00Z",
            ])
        #expect(
            try Self.fires("0,30 8 1,15 * *", after: "2026-07-01T08:15:00Z", count: 3) == [
                "2026-07-01T08:30:00Z", "2026-07-15T08:00:00Z", "2026-07-15T08:30:00Z",
            ])
    }

    @Test("month and day names in any case; 0 and 7 are both Sunday")
    func names() throws {
        #expect(
            try Self.fires("0 12 * JAN,jul sun", after: "2026-01-01T00:00:00Z", count: 5).suffix(2) == [
                "2026-01-25T12:00:00Z", "2026-07-05T12:00:00Z",
            ])
        let sunday = try Self.fires("0 0 * * 0", after: "2026-05-05T00:00:00Z", count: 3)
        #expect(try Self.fires("0 0 * * 7", after: "2026-05-05T00:00:00Z", count: 3) == sunday)
        #expect(try Self.fires("0 0 * * SUN", after: "2026-05-05T00:00:00Z", count: 3) == sunday)
        #expect(sunday == ["2026-05-10T00:00:00Z", "2026-05-17T00:00:00Z", "2026-05-24T00:00:00Z"])
    }

    @Test(
        "nicknames",
        arguments: [
            ("@yearly", "2027-01-01T00:00:00Z"), ("@annually", "2027-01-01T00:00:00Z"), ("@monthly", "2026-06-01T00:00:00Z"),
            ("@weekly", "2026-05-10T00:00:00Z"), ("@daily", "2026-05-06T00:00:00Z"), ("@midnight", "2026-05-06T00:00:00Z"),
            ("@hourly", "2026-05-05T13:00:00Z"), ("@DAILY", "2026-05-06T00:00:00Z"),
        ]
    )
    func nicknames(nickname: String, expected: String) throws {
        #expect(try Self.fires(nickname, after: "2026-05-05T12:30:00Z") == [expected])
        // A seconds field adds nothing to a nickname: it still fires on the whole minute.
        #expect(try Self.fires(nickname, after: "2026-05-05T12:30:00Z", withSeconds: true) == [expected])
    }

    @Test("with both day-of-month and day-of-week restricted, a day matches if either does")
    func dayOfMonthOrDayOfWeek() throws {
        // 2026-01-02 is a Friday and 2026-01-13 a Tuesday.
        #expect(
            try Self.fires("0 0 13 * FRI", after: "2026-01-01T00:00:00Z", count: 4) == [
                "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z",
            ])
        // Only one restricted: that one alone decides.
        #expect(try Self.fires("0 0 13 * *", after: "2026-01-01T00:00:00Z") == ["2026-01-13T00:00:00Z"])
        #expect(try Self.fires("0 0 ? * FRI", after: "2026-01-03T00:00:00Z") == ["2026-01-09T00:00:00Z"])
        // cron-utils counts `*/2` as a restriction, so this is odd days or Mondays (the 12th).
        #expect(
            try Self.fires("0 0 */2 * MON", after: "2026-01-09T00:00:00Z", count: 3) == [
                "2026-01-11T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-13T00:00:00Z",
            ])
    }

    @Test("29 February waits for the next leap year, and an impossible date never fires")
    func leapDay() throws {
        #expect(try Self.fires("0 0 29 2 *", after: "2026-01-01T00:00:00Z", count: 2) == ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"])
        // 2100 is not a leap year: eight years between leap days.
        #expect(try Self.fires("0 0 29 2 *", after: "2096-03-01T00:00:00Z") == ["2104-02-29T00:00:00Z"])
        let schedule = try CronSchedule(expression: "0 0 29 2 *", withSeconds: false, timeZone: Self.utc)
        #expect(schedule.previous(before: Self.instant("2026-01-01T00:00:00Z")) == Self.instant("2024-02-29T00:00:00Z"))
        let never = try CronSchedule(expression: "0 0 30 2 *", withSeconds: false, timeZone: Self.utc)
        #expect(never.next(after: Self.instant("2026-01-01T00:00:00Z")) == nil)
        #expect(never.previous(before: Self.instant("2026-01-01T00:00:00Z")) == nil)
    }

    @Test("Quartz markers: last day, last weekday, nearest weekday, last Friday, second Monday")
    func quartzMarkers() throws {
        #expect(try Self.fires("0 0 L * *", after: "2026-02-01T00:00:00Z", count: 2) == ["2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z"])
        // 2026-05-31 is a Sunday, so the last weekday is Friday the 29th.
        #expect(try Self.fires("0 0 LW * *", after: "2026-05-01T00:00:00Z") == ["2026-05-29T00:00:00Z"])
        // 2026-08-15 is a Saturday: the nearest weekday is Friday the 14th; 2026-08-01, a Saturday, moves to Monday the 3rd.
        #expect(try Self.fires("0 0 15W * *", after: "2026-08-01T00:00:00Z") == ["2026-08-14T00:00:00Z"])
        #expect(try Self.fires("0 0 1W * *", after: "2026-07-31T00:00:00Z") == ["2026-08-03T00:00:00Z"])
        #expect(try Self.fires("0 0 ? * 5L", after: "2026-05-01T00:00:00Z") == ["2026-05-29T00:00:00Z"])
        #expect(try Self.fires("0 0 ? * MON#2", after: "2026-05-01T00:00:00Z", count: 2) == ["2026-05-11T00:00:00Z", "2026-06-08T00:00:00Z"])
    }

    @Test("a time skipped by the spring-forward gap fires once, at the first instant after the gap")
    func springForward() throws {
        // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        #expect(
            try Self.fires("30 2 * * *", after: "2026-03-28T12:00:00+01:00", count: 2, in: Self.berlin) == [
                "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z",
            ])
        // 02:00 and 02:30 both fall into the gap: one run at 03:00 CEST, then the half hours go on.
        #expect(
            try Self.fires("*/30 * * * *", after: "2026-03-29T01:30:00+01:00", count: 3, in: Self.berlin) == [
                "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z", "2026-03-29T02:00:00Z",
            ])
        let schedule = try CronSchedule(expression: "30 2 * * *", withSeconds: false, timeZone: Self.berlin)
        #expect(schedule.previous(before: Self.instant("2026-03-29T12:00:00+02:00")) == Self.instant("2026-03-29T03:00:00+02:00"))
    }

    @Test("a time the fall-back repeats fires once, at its first occurrence")
    func fallBack() throws {
        // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC, so 02:00–02:59 happens twice.
        #expect(
            try Self.fires("30 2 * * *", after: "2026-10-24T12:00:00+02:00", count: 2, in: Self.berlin) == [
                "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z",
            ])
        #expect(
            try Self.fires("0 * * * *", after: "2026-10-25T01:30:00+02:00", count: 3, in: Self.berlin) == [
                "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z",
            ])
        // Starting inside the second pass of the repeated hour, 02:45 has already fired (in CEST).
        let schedule = try CronSchedule(expression: "45 2 * * *", withSeconds: false, timeZone: Self.berlin)
        let secondPass = Self.instant("2026-10-25T02:10:00+01:00")
        #expect(schedule.next(after: secondPass) == Self.instant("2026-10-26T02:45:00+01:00"))
        #expect(schedule.previous(before: secondPass) == Self.instant("2026-10-25T02:45:00+02:00"))
    }

    @Test("a seconds field when withSeconds is set")
    func withSeconds() throws {
        #expect(
            try Self.fires("*/20 * * * * *", after: "2026-05-05T10:00:05Z", count: 3, withSeconds: true) == [
                "2026-05-05T10:00:20Z", "2026-05-05T10:00:40Z", "2026-05-05T10:01:00Z",
            ])
        #expect(try Self.fires("30 0 12 * * *", after: "2026-05-05T12:00:30Z", withSeconds: true) == ["2026-05-06T12:00:30Z"])
        #expect(throws: CronScheduleError.self) { try CronSchedule(expression: "0 0 12 * * *", withSeconds: false, timeZone: Self.utc) }
        #expect(throws: CronScheduleError.self) { try CronSchedule(expression: "0 12 * * *", withSeconds: true, timeZone: Self.utc) }
    }

    @Test("previous() finds the last fire strictly before, across weekends and months")
    func previous() throws {
        let weekdays = try CronSchedule(expression: "0 9 * * MON-FRI", withSeconds: false, timeZone: Self.utc)
        #expect(weekdays.previous(before: Self.instant("2026-07-13T09:00:00Z")) == Self.instant("2026-07-10T09:00:00Z"))
        #expect(weekdays.previous(before: Self.instant("2026-07-13T09:00:01Z")) == Self.instant("2026-07-13T09:00:00Z"))
        let monthly = try CronSchedule(expression: "15 6 31 * *", withSeconds: false, timeZone: Self.utc)
        #expect(monthly.previous(before: Self.instant("2026-07-01T00:00:00Z")) == Self.instant("2026-05-31T06:15:00Z"))
        let seconds = try CronSchedule(expression: "10 * * * * *", withSeconds: true, timeZone: Self.utc)
        #expect(seconds.previous(before: Self.instant("2026-01-01T00:00:05Z")) == Self.instant("2025-12-31T23:59:10Z"))
    }

    @Test("times are wall-clock times in the schedule's zone")
    func timeZones() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(try Self.fires("0 9 * * *", after: "2026-01-15T00:00:00Z", in: newYork) == ["2026-01-15T14:00:00Z"])
        #expect(try Self.fires("0 9 * * *", after: "2026-07-15T00:00:00Z", in: newYork) == ["2026-07-15T13:00:00Z"])
    }

    /// Cron rules written out by hand for a day-by-day, minute-by-minute scan that shares no code with the schedule.
    static let bruteForceCases:
        [(expression: String, matches: @Sendable (_ day: DateComponents, _ lastDay: Int, _ hour: Int, _ minute: Int) -> Bool)] = [
            ("*/7 3-5 * * *", { _, _, hour, minute in minute % 7 == 0 && (3...5).contains(hour) }),
            (
                "0 */6 1-10 * MON,WED",
                { day, _, hour, minute in minute == 0 && hour % 6 == 0 && ((1...10).contains(day.day!) || [2, 4].contains(day.weekday!)) }
            ),
            ("15 12 L * *", { day, lastDay, hour, minute in minute == 15 && hour == 12 && day.day! == lastDay }),
            ("30 8 ? * 5L", { day, lastDay, hour, minute in minute == 30 && hour == 8 && day.weekday! == 6 && day.day! + 7 > lastDay }),
            (
                "0 22 * FEB-APR 1-5",
                { day, _, hour, minute in minute == 0 && hour == 22 && (2...4).contains(day.month!) && (2...6).contains(day.weekday!) }
            ),
        ]

    @Test("next() agrees with a minute-by-minute scan from many starting points", arguments: 0..<bruteForceCases.count)
    func agreesWithScan(index: Int) throws {
        let (expression, matches) = Self.bruteForceCases[index]
        let schedule = try CronSchedule(expression: expression, withSeconds: false, timeZone: Self.utc)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.utc
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(index)
        for _ in 0..<25 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // A start anywhere in 2024–2029, at any second.
            let start = Date(timeIntervalSince1970: 1_704_067_200 + Double((seed >> 35) % 189_302_400))
            var expected: Date?
            var day = calendar.startOfDay(for: start)
            scan: while expected == nil {
                let components = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
                let lastDay = calendar.range(of: .day, in: .month, for: day)!.count
                for minuteOfDay in 0..<1440 where matches(components, lastDay, minuteOfDay / 60, minuteOfDay % 60) {
                    let candidate = day.addingTimeInterval(Double(minuteOfDay * 60))
                    if candidate > start {
                        expected = candidate
                        break scan
                    }
                }
                day = calendar.date(byAdding: .day, value: 1, to: day)!
            }
            #expect(schedule.next(after: start) == expected, "\(expression) after \(start)")
            if let expected {
                #expect(schedule.previous(before: expected.addingTimeInterval(1)) == expected, "\(expression) before \(expected)")
            }
        }
    }

    @Test(
        "invalid expressions are refused with the reason",
        arguments: [
            ("61 * * * *", "`61` is not a valid minute (allowed: 0-59)"),
            ("* * *", "it has 3 fields, but needs 5 (minute hour day-of-month month day-of-week)"),
            ("@every", "unknown nickname; use one of @annually, @daily, @hourly, @midnight, @monthly, @weekly, @yearly or five fields"),
            ("0 0 * * FRI-MON", "the day-of-week range `FRI-MON` runs backwards"),
            ("*/0 * * * *", "the step `0` in the minute field must be a positive number"),
            ("0 0 1,,2 * *", "the day-of-month field `1,,2` has an empty list item"),
            ("0 0 ? * MON#6", "`MON#6` is not a valid day-of-week: write the day, `#` and 1 to 5, as in MON#2"),
        ]
    )
    func invalid(expression: String, reason: String) {
        #expect(throws: CronScheduleError.invalid(expression: expression, reason: reason)) {
            try CronSchedule(expression: expression, withSeconds: false, timeZone: Self.utc)
        }
    }
}
