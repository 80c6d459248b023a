import Testing

@testable import Pebble

/// A call of one of the date, number or jq filters and what it must give back: the value (compared as value and as
/// JSON text, so map order counts) or the exact error message.
struct LibraryFilterCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        case value(PebbleValue)
        case error(String)
    }

    let filter: String
    let input: PebbleValue
    let positional: [PebbleValue]
    let named: [String: PebbleValue]
    let outcome: Outcome

    init(_ filter: String, _ input: PebbleValue, _ positional: [PebbleValue] = [], named: [String: PebbleValue] = [:], gives expected: PebbleValue) {
        self.filter = filter
        self.input = input
        self.positional = positional
        self.named = named
        self.outcome = .value(expected)
    }

    init(_ filter: String, _ input: PebbleValue, _ positional: [PebbleValue] = [], named: [String: PebbleValue] = [:], fails message: String) {
        self.filter = filter
        self.input = input
        self.positional = positional
        self.named = named
        self.outcome = .error(message)
    }

    var testDescription: String {
        let arguments = positional.map(\.json) + named.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.json)" }
        return "\(input.json) | \(filter)(\(arguments.joined(separator: ", ")))"
    }

    func run(_ filters: [PebbleFilter]) throws -> PebbleValue {
        guard let filter = filters.first(where: { $0.name == self.filter }) else {
            throw PebbleError(.unknown, "no filter named `\(self.filter)`")
        }
        let scope = RenderScope(variables: PebbleMap(), renderTemplate: { text, _ in text })
        return try filter.apply(input, Arguments(positional: positional, named: named, names: filter.argumentNames), scope)
    }

    func check(in filters: [PebbleFilter]) {
        do {
            let result = try run(filters)
            switch outcome {
            case .value(let expected):
                #expect(result == expected)
                #expect(result.json == expected.json)
            case .error(let message):
                Issue.record("expected the error \"\(message)\", got \(result.json)")
            }
        } catch let error as PebbleError {
            switch outcome {
            case .value(let expected): Issue.record("expected \(expected.json), got the error \"\(error.message)\"")
            case .error(let message): #expect(error.message == message)
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

/// Kestra's `DateFilterTest` uses `ZonedDateTime.parse("2013-09-08T16:19:12.123456+01")`; here it is its ISO text.
private let now: PebbleValue = "2013-09-08T16:19:12.123456+01:00"
private let paris: [String: PebbleValue] = ["timeZone": "Europe/Paris"]

@Suite struct DateFiltersTests {
    @Test(arguments: [
        // Kestra DateFilterTest.dateFormat: zoned, instant, java.util.Date (whole seconds) and LocalDateTime inputs.
        LibraryFilterCase("date", now, named: ["format": "iso", "timeZone": "Europe/Paris"], gives: "2013-09-08T17:19:12.123456+02:00"),
        LibraryFilterCase(
            "date", "2013-09-08T15:19:12.123456Z", named: ["format": "iso_sec", "timeZone": "Europe/Paris"], gives: "2013-09-08T17:19:12+02:00"),
        LibraryFilterCase("date", 1_378_653_552, named: ["format": "iso", "timeZone": "Europe/Paris"], gives: "2013-09-08T17:19:12.000000+02:00"),
        LibraryFilterCase(
            "date", "2013-09-08T16:19:12.123456", named: ["format": "yyyy-MM-dd HH:mm:ss.SSSSSSXXX", "timeZone": "Europe/Paris"],
            gives: "2013-09-08 16:19:12.123456+02:00"),
        LibraryFilterCase(
            "date", "2013-09-08T16:19:12.123456", named: ["format": "yyyy-MM-dd HH:mm:ss.SSSSSSXXX", "timeZone": "UTC"],
            gives: "2013-09-08 16:19:12.123456Z"),
        // DateFilterTest.dateStringFormat: existingFormat, then ZonedDateTime, LocalDateTime and LocalDate strings.
        LibraryFilterCase("date", "July 24, 2001", ["yyyy-MM-dd"], named: ["existingFormat": "MMMM dd, yyyy"], gives: "2001-07-24"),
        LibraryFilterCase("date", "2013-09-08T17:19:12+02:00", named: paris, gives: "2013-09-08T17:19:12.000000+02:00"),
        LibraryFilterCase("date", "2013-09-08T17:19:12", named: paris, gives: "2013-09-08T17:19:12.000000+02:00"),
        LibraryFilterCase("date", "2013-09-08", named: paris, gives: "2013-09-08T00:00:00.000000+02:00"),
        // DateFilterTest.dateRfc.
        LibraryFilterCase(
            "date", "Tue, 08 Feb 2022 19:38:26 GMT", named: ["existingFormat": "rfc_1123_date_time", "timeZone": "Europe/Paris"],
            gives: "2022-02-08T20:38:26.000000+01:00"),
        // Pebble CoreFiltersTest.testDateWithNamedArguments (Kestra's filter reads it the same way).
        LibraryFilterCase("date", "2012-July-1", named: ["existingFormat": "yyyy-MMMM-d", "format": "yyyy/MMMM/d"], gives: "2012/July/1"),
        LibraryFilterCase("date", nil, ["yyyy"], gives: nil),
    ])
    func kestraDateExamples(_ call: LibraryFilterCase) { call.check(in: DateFilters.all) }

    // Expected values below come from running AbstractDate's code on a JDK (java.time).
    @Test(arguments: [
        LibraryFilterCase("date", now, ["iso_date_time"], named: paris, gives: "2013-09-08T17:19:12.123456+02:00[Europe/Paris]"),
        LibraryFilterCase("date", now, ["iso_zoned_date_time"], named: ["timeZone": "UTC"], gives: "2013-09-08T15:19:12.123456Z[UTC]"),
        LibraryFilterCase("date", now, ["iso_week_date"], named: paris, gives: "2013-W36-7+02:00"),
        LibraryFilterCase("date", now, ["iso_ordinal_date"], named: paris, gives: "2013-251+02:00"),
        LibraryFilterCase("date", now, ["rfc_1123_date_time"], named: paris, gives: "Sun, 8 Sep 2013 17:19:12 +0200"),
        LibraryFilterCase("date", now, ["iso_instant"], named: paris, gives: "2013-09-08T15:19:12.123456Z"),
        LibraryFilterCase("date", now, ["sql"], named: paris, gives: "2013-09-08 17:19:12.123456"),
        LibraryFilterCase("date", now, ["sql_seq"], named: paris, gives: "2013-09-08 17:19:12"),
        LibraryFilterCase("date", now, ["iso_offset_time"], named: ["timeZone": "+05:30"], gives: "20:49:12.123456+05:30"),
        LibraryFilterCase("date", now, gives: "2013-09-08T15:19:12.123456Z"),
    ])
    func namedFormats(_ call: LibraryFilterCase) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        LibraryFilterCase("date", now, ["EEE, d MMM yyyy"], named: ["timeZone": "America/New_York"], gives: "Sun, 8 Sep 2013"),
        LibraryFilterCase("date", now, ["h:mm a"], named: ["timeZone": "America/New_York"], gives: "11:19 AM"),
        LibraryFilterCase("date", now, ["Q QQ QQQ QQQQ QQQQQ"], named: paris, gives: "3 03 Q3 3rd quarter 3"),
        LibraryFilterCase("date", now, ["w ww W Y YY YYYY"], named: paris, gives: "37 37 2 2013 13 2013"),
        LibraryFilterCase("date", now, ["e ee eee eeee"], named: paris, gives: "1 01 Sun Sunday"),
        LibraryFilterCase("date", now, ["z zzzz"], named: paris, gives: "CEST Central European Summer Time"),
        LibraryFilterCase("date", now, ["VV"], named: paris, gives: "Europe/Paris"),
        LibraryFilterCase("date", now, ["X XX XXX XXXX XXXXX"], named: ["timeZone": "+05:30"], gives: "+0530 +0530 +05:30 +0530 +05:30"),
        LibraryFilterCase("date", now, ["x xx xxx"], named: ["timeZone": "UTC"], gives: "+00 +0000 +00:00"),
        LibraryFilterCase("date", now, ["Z ZZZZ ZZZZZ"], named: ["timeZone": "Asia/Kolkata"], gives: "+0530 GMT+05:30 +05:30"),
        LibraryFilterCase("date", now, ["O OOOO"], named: ["timeZone": "Asia/Kolkata"], gives: "GMT+5:30 GMT+05:30"),
        LibraryFilterCase("date", now, ["S SSS SSSSSSSSS"], named: paris, gives: "1 123 123456000"),
        LibraryFilterCase("date", now, ["A n N"], named: paris, gives: "62352123 123456000 62352123456000"),
        LibraryFilterCase("date", now, ["'T''' [yyyy][-MM] ppd"], named: paris, gives: "T' 2013-09  8"),
        LibraryFilterCase("date", now, ["G GGGG GGGGG yy u D"], named: paris, gives: "AD Anno Domini A 13 2013 251"),
        LibraryFilterCase("date", now, ["B"], named: paris, gives: "in the afternoon"),
        LibraryFilterCase("date", "-0001-12-31T23:59:59Z", ["uuuu yyyy G"], gives: "-0001 0002 BC"),
        LibraryFilterCase("date", "+12345-01-01", ["iso"], gives: "+12345-01-01T00:00:00.000000Z"),
        LibraryFilterCase("date", -1, ["iso"], named: ["timeZone": "America/New_York"], gives: "1969-12-31T18:59:59.000000-05:00"),
        LibraryFilterCase("date", now, ["EEEE d MMMM yyyy"], named: ["locale": "fr_FR"], gives: "dimanche 8 septembre 2013"),
    ])
    func patterns(_ call: LibraryFilterCase) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        LibraryFilterCase(
            "date", "2022-02-08 14:05 +0530", named: ["existingFormat": "yyyy-MM-dd HH:mm Z", "timeZone": "Europe/Paris"],
            gives: "2022-02-08T09:35:00.000000+01:00"),
        LibraryFilterCase("date", "2022-02-08 02:05 PM", named: ["existingFormat": "yyyy-MM-dd hh:mm a"], gives: "2022-02-08T14:05:00.000000Z"),
        LibraryFilterCase("date", "20220208143005", named: ["existingFormat": "yyyyMMddHHmmss"], gives: "2022-02-08T14:30:05.000000Z"),
        // ofPattern resolves SMART: the 31st of February becomes the last day, 24:00 the next midnight.
        LibraryFilterCase("date", "2022-02-31", named: ["existingFormat": "yyyy-MM-dd"], gives: "2022-02-28T00:00:00.000000Z"),
        LibraryFilterCase("date", "2022-02-08 24:00", named: ["existingFormat": "yyyy-MM-dd HH:mm"], gives: "2022-02-09T00:00:00.000000Z"),
        LibraryFilterCase("date", "2022-W06-2", named: ["existingFormat": "iso_week_date"], gives: "2022-02-08T00:00:00.000000Z"),
        LibraryFilterCase("date", "2022-02-08 14:05 CET", named: ["existingFormat": "yyyy-MM-dd HH:mm z"], gives: "2022-02-08T13:05:00.000000Z"),
        LibraryFilterCase("date", "8/2/22", named: ["existingFormat": "d/M/yy"], gives: "2022-02-08T00:00:00.000000Z"),
        LibraryFilterCase(
            "date", "Monday 2022-02-08", named: ["existingFormat": "EEEE yyyy-MM-dd"],
            fails:
                "`date` filter: Text 'Monday 2022-02-08' could not be parsed: Conflict found: Field DayOfWeek 2 differs from DayOfWeek 1 derived from 2022-02-08"
        ),
        LibraryFilterCase(
            "date", "14:05", named: ["existingFormat": "HH:mm"],
            fails: "`date` filter: cannot read '14:05' as a date with existingFormat 'HH:mm': it holds no year, month and day"),
    ])
    func existingFormats(_ call: LibraryFilterCase) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        // Kestra DateFilterTest.add and DateAddFilterTest.toDateAdd (the second step runs the date filter on the result).
        LibraryFilterCase("dateAdd", now, [-1, "DAYS"], named: paris, gives: "2013-09-07T17:19:12.123456+02:00"),
        LibraryFilterCase("dateAdd", "2013-09-08T16:19:00+02", [1, "DAYS"], gives: "2013-09-09T14:19:00.000000Z"),
        LibraryFilterCase(
            "date", "2013-09-09T14:19:00.000000Z", ["yyyy-MM-dd HH:mm:ss z"], named: ["timeZone": "Australia/Perth"],
            gives: "2013-09-09 22:19:00 AWST"),
        // DateAddFilterTest.should_get_as_long / should_fail_with_invalid_day / should_return_null_for_null_input.
        LibraryFilterCase("dateAdd", "2013-09-08T16:19:00Z", ["1", "DAYS"], gives: "2013-09-09T16:19:00.000000Z"),
        LibraryFilterCase(
            "dateAdd", "2013-09-08T16:19:00Z", ["invalid", "DAYS"], fails: "`dateAdd` filter: the amount must be a whole number, but got 'invalid'"),
        LibraryFilterCase("dateAdd", nil, [1, "DAYS"], gives: nil),
        // Daylight saving: days keep the local time, hours keep the duration.
        LibraryFilterCase("dateAdd", "2013-03-30T12:00:00", [1, "DAYS"], named: paris, gives: "2013-03-31T12:00:00.000000+02:00"),
        LibraryFilterCase("dateAdd", "2013-03-30T12:00:00", [24, "HOURS"], named: paris, gives: "2013-03-31T13:00:00.000000+02:00"),
        LibraryFilterCase("dateAdd", "2013-01-31T10:00:00Z", [1, "MONTHS"], gives: "2013-02-28T10:00:00.000000Z"),
        LibraryFilterCase("dateAdd", "2012-02-29T10:00:00Z", [1, "YEARS"], gives: "2013-02-28T10:00:00.000000Z"),
        LibraryFilterCase("dateAdd", "2013-09-08T16:19:00+02:00", [1500, "MILLIS"], gives: "2013-09-08T14:19:01.500000Z"),
        LibraryFilterCase("dateAdd", "2013-09-08T16:19:00+02:00", [-1, "DECADES"], gives: "2003-09-08T14:19:00.000000Z"),
        LibraryFilterCase("dateAdd", "2013-09-08T16:19:00+02:00", [1, "FOREVER"], fails: "`dateAdd` filter: Unsupported unit: Forever"),
        LibraryFilterCase(
            "dateAdd", "2013-09-08T16:19:00Z", [1, "days"],
            fails:
                "`dateAdd` filter: unknown unit 'days', expected a Java ChronoUnit name: NANOS, MICROS, MILLIS, SECONDS, MINUTES, HOURS, HALF_DAYS, DAYS, WEEKS, MONTHS, YEARS, DECADES, CENTURIES, MILLENNIA, ERAS, FOREVER"
        ),
    ])
    func dateAdd(_ call: LibraryFilterCase) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        // Kestra DateFilterTest.timestamp, instantNano, instantMicro (Kestra's nanos-plus-micros quirk), instantMilli.
        LibraryFilterCase("timestamp", now, named: paris, gives: 1_378_653_552),
        LibraryFilterCase("timestampNano", now, named: paris, gives: "1378653552123456000"),
        LibraryFilterCase("timestampMicro", now, named: paris, gives: "1378653552000123456"),
        LibraryFilterCase("timestampMilli", now, named: paris, gives: 1_378_653_552_123),
        // DateFilterTest.timestampCompare: a day earlier is 86400 seconds less.
        LibraryFilterCase("timestamp", "2013-09-07T16:19:12.123456+01:00", gives: 1_378_567_152),
        LibraryFilterCase("timestamp", "2013-09-08", named: ["timeZone": "America/New_York"], gives: 1_378_612_800),
        LibraryFilterCase("timestamp", "2013-03-31T02:30:00", named: paris, gives: 1_364_693_400),
        LibraryFilterCase("timestamp", nil, gives: nil),
    ])
    func timestamps(_ call: LibraryFilterCase) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        LibraryFilterCase("date", now, ["ddd"], fails: "`date` filter: Too many pattern letters: d"),
        LibraryFilterCase("date", now, ["b"], fails: "`date` filter: Unknown pattern letter: b"),
        LibraryFilterCase("date", now, ["{"], fails: "`date` filter: Pattern includes reserved character: '{'"),
        LibraryFilterCase("date", now, ["'oops"], fails: "`date` filter: Pattern ends with an incomplete string literal: 'oops"),
        LibraryFilterCase("date", now, named: ["timeZone": "Mars/Olympus"], fails: "`date` filter: Unknown time-zone ID: Mars/Olympus"),
        LibraryFilterCase("date", now, named: ["locale": "French"], fails: "`date` filter: Invalid locale format: French"),
        LibraryFilterCase("date", now, [42], fails: "`date` filter: the `format` argument of `date` must be a string, but got integer"),
        LibraryFilterCase("date", true, fails: "`date` filter: expected a date as an ISO-8601 string or epoch seconds, but got boolean"),
        LibraryFilterCase(
            "date", 1.5, fails: "`date` filter: expected a date as an ISO-8601 string or whole epoch seconds, but got the decimal number 1.5"),
        LibraryFilterCase(
            "date", "2013-02-30",
            fails:
                "`date` filter: cannot read '2013-02-30' as a date: expected ISO-8601 such as 2026-11-23T20:39:30Z, 2026-11-23T20:39:30 or 2026-11-23 (give existingFormat for other layouts); Text '2013-02-30' could not be parsed: Invalid date 'FEBRUARY 30'"
        ),
        LibraryFilterCase("date", 31_556_889_864_403_200, fails: "`date` filter: Instant exceeds minimum or maximum instant"),
    ])
    func errors(_ call: LibraryFilterCase) { call.check(in: DateFilters.all) }
}
