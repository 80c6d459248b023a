import Testing

@testable import Pebble

/// Kestra's `DateFilterTest` uses `ZonedDateTime.parse("2013-09-08T16:19:12.123456+01")`; here it is its ISO text.
private let now: PebbleValue = "2013-09-08T16:19:12.123456+01:00"
private let paris: [String: PebbleValue] = ["timeZone": "Europe/Paris"]

@Suite struct DateFiltersTests {
    @Test(arguments: [
        // Kestra DateFilterTest.dateFormat: zoned, instant, java.util.Date (whole seconds) and LocalDateTime inputs.
        FilterCall("date", now, named: ["format": "iso", "timeZone": "Europe/Paris"], gives: "2013-09-08T17:19:12.123456+02:00"),
        FilterCall(
            "date", "2013-09-08T15:19:12.123456Z", named: ["format": "iso_sec", "timeZone": "Europe/Paris"], gives: "2013-09-08T17:19:12+02:00"),
        FilterCall("date", 1_378_653_552, named: ["format": "iso", "timeZone": "Europe/Paris"], gives: "2013-09-08T17:19:12.000000+02:00"),
        FilterCall(
            "date", "2013-09-08T16:19:12.123456", named: ["format": "yyyy-MM-dd HH:mm:ss.SSSSSSXXX", "timeZone": "Europe/Paris"],
            gives: "2013-09-08 16:19:12.123456+02:00"),
        FilterCall(
            "date", "2013-09-08T16:19:12.123456", named: ["format": "yyyy-MM-dd HH:mm:ss.SSSSSSXXX", "timeZone": "UTC"],
            gives: "2013-09-08 16:19:12.123456Z"),
        // DateFilterTest.dateStringFormat: existingFormat, then ZonedDateTime, LocalDateTime and LocalDate strings.
        FilterCall("date", "July 24, 2001", ["yyyy-MM-dd"], named: ["existingFormat": "MMMM dd, yyyy"], gives: "2001-07-24"),
        FilterCall("date", "2013-09-08T17:19:12+02:00", named: paris, gives: "2013-09-08T17:19:12.000000+02:00"),
        FilterCall("date", "2013-09-08T17:19:12", named: paris, gives: "2013-09-08T17:19:12.000000+02:00"),
        FilterCall("date", "2013-09-08", named: paris, gives: "2013-09-08T00:00:00.000000+02:00"),
        // DateFilterTest.dateRfc.
        FilterCall(
            "date", "Tue, 08 Feb 2022 19:38:26 GMT", named: ["existingFormat": "rfc_1123_date_time", "timeZone": "Europe/Paris"],
            gives: "2022-02-08T20:38:26.000000+01:00"),
        // Pebble CoreFiltersTest.testDateWithNamedArguments (Kestra's filter reads it the same way).
        FilterCall("date", "2012-July-1", named: ["existingFormat": "yyyy-MMMM-d", "format": "yyyy/MMMM/d"], gives: "2012/July/1"),
        FilterCall("date", nil, ["yyyy"], gives: nil),
    ])
    func kestraDateExamples(_ call: FilterCall) { call.check(in: DateFilters.all) }

    // Expected values below come from running AbstractDate's code on a JDK (java.time).
    @Test(arguments: [
        FilterCall("date", now, ["iso_date_time"], named: paris, gives: "2013-09-08T17:19:12.123456+02:00[Europe/Paris]"),
        FilterCall("date", now, ["iso_zoned_date_time"], named: ["timeZone": "UTC"], gives: "2013-09-08T15:19:12.123456Z[UTC]"),
        FilterCall("date", now, ["iso_week_date"], named: paris, gives: "2013-W36-7+02:00"),
        FilterCall("date", now, ["iso_ordinal_date"], named: paris, gives: "2013-251+02:00"),
        FilterCall("date", now, ["rfc_1123_date_time"], named: paris, gives: "Sun, 8 Sep 2013 17:19:12 +0200"),
        FilterCall("date", now, ["iso_instant"], named: paris, gives: "2013-09-08T15:19:12.123456Z"),
        FilterCall("date", now, ["sql"], named: paris, gives: "2013-09-08 17:19:12.123456"),
        FilterCall("date", now, ["sql_seq"], named: paris, gives: "2013-09-08 17:19:12"),
        FilterCall("date", now, ["iso_offset_time"], named: ["timeZone": "+05:30"], gives: "20:49:12.123456+05:30"),
        FilterCall("date", now, gives: "2013-09-08T15:19:12.123456Z"),
    ])
    func namedFormats(_ call: FilterCall) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        FilterCall("date", now, ["EEE, d MMM yyyy"], named: ["timeZone": "America/New_York"], gives: "Sun, 8 Sep 2013"),
        FilterCall("date", now, ["h:mm a"], named: ["timeZone": "America/New_York"], gives: "11:19 AM"),
        FilterCall("date", now, ["Q QQ QQQ QQQQ QQQQQ"], named: paris, gives: "3 03 Q3 3rd quarter 3"),
        FilterCall("date", now, ["w ww W Y YY YYYY"], named: paris, gives: "37 37 2 2013 13 2013"),
        FilterCall("date", now, ["e ee eee eeee"], named: paris, gives: "1 01 Sun Sunday"),
        FilterCall("date", now, ["z zzzz"], named: paris, gives: "CEST Central European Summer Time"),
        FilterCall("date", now, ["VV"], named: paris, gives: "Europe/Paris"),
        FilterCall("date", now, ["X XX XXX XXXX XXXXX"], named: ["timeZone": "+05:30"], gives: "+0530 +0530 +05:30 +0530 +05:30"),
        FilterCall("date", now, ["x xx xxx"], named: ["timeZone": "UTC"], gives: "+00 +0000 +00:00"),
        FilterCall("date", now, ["Z ZZZZ ZZZZZ"], named: ["timeZone": "Asia/Kolkata"], gives: "+0530 GMT+05:30 +05:30"),
        FilterCall("date", now, ["O OOOO"], named: ["timeZone": "Asia/Kolkata"], gives: "GMT+5:30 GMT+05:30"),
        FilterCall("date", now, ["S SSS SSSSSSSSS"], named: paris, gives: "1 123 123456000"),
        FilterCall("date", now, ["A n N"], named: paris, gives: "62352123 123456000 62352123456000"),
        FilterCall("date", now, ["'T''' [yyyy][-MM] ppd"], named: paris, gives: "T' 2013-09  8"),
        FilterCall("date", now, ["G GGGG GGGGG yy u D"], named: paris, gives: "AD Anno Domini A 13 2013 251"),
        FilterCall("date", now, ["B"], named: paris, gives: "in the afternoon"),
        FilterCall("date", "-0001-12-31T23:59:59Z", ["uuuu yyyy G"], gives: "-0001 0002 BC"),
        FilterCall("date", "+12345-01-01", ["iso"], gives: "+12345-01-01T00:00:00.000000Z"),
        FilterCall("date", -1, ["iso"], named: ["timeZone": "America/New_York"], gives: "1969-12-31T18:59:59.000000-05:00"),
        FilterCall("date", now, ["EEEE d MMMM yyyy"], named: ["locale": "fr_FR"], gives: "dimanche 8 septembre 2013"),
    ])
    func patterns(_ call: FilterCall) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        FilterCall(
            "date", "2022-02-08 14:05 +0530", named: ["existingFormat": "yyyy-MM-dd HH:mm Z", "timeZone": "Europe/Paris"],
            gives: "2022-02-08T09:35:00.000000+01:00"),
        FilterCall("date", "2022-02-08 02:05 PM", named: ["existingFormat": "yyyy-MM-dd hh:mm a"], gives: "2022-02-08T14:05:00.000000Z"),
        FilterCall("date", "20220208143005", named: ["existingFormat": "yyyyMMddHHmmss"], gives: "2022-02-08T14:30:05.000000Z"),
        // ofPattern resolves SMART: the 31st of February becomes the last day, 24:00 the next midnight.
        FilterCall("date", "2022-02-31", named: ["existingFormat": "yyyy-MM-dd"], gives: "2022-02-28T00:00:00.000000Z"),
        FilterCall("date", "2022-02-08 24:00", named: ["existingFormat": "yyyy-MM-dd HH:mm"], gives: "2022-02-09T00:00:00.000000Z"),
        FilterCall("date", "2022-W06-2", named: ["existingFormat": "iso_week_date"], gives: "2022-02-08T00:00:00.000000Z"),
        FilterCall("date", "2022-02-08 14:05 CET", named: ["existingFormat": "yyyy-MM-dd HH:mm z"], gives: "2022-02-08T13:05:00.000000Z"),
        FilterCall("date", "8/2/22", named: ["existingFormat": "d/M/yy"], gives: "2022-02-08T00:00:00.000000Z"),
        FilterCall(
            "date", "Monday 2022-02-08", named: ["existingFormat": "EEEE yyyy-MM-dd"],
            fails:
                "`date` filter: Text 'Monday 2022-02-08' could not be parsed: Conflict found: Field DayOfWeek 2 differs from DayOfWeek 1 derived from 2022-02-08"
        ),
        FilterCall(
            "date", "14:05", named: ["existingFormat": "HH:mm"],
            fails: "`date` filter: cannot read '14:05' as a date with existingFormat 'HH:mm': it holds no year, month and day"),
    ])
    func existingFormats(_ call: FilterCall) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        // Kestra DateFilterTest.add and DateAddFilterTest.toDateAdd (the second step runs the date filter on the result).
        FilterCall("dateAdd", now, [-1, "DAYS"], named: paris, gives: "2013-09-07T17:19:12.123456+02:00"),
        FilterCall("dateAdd", "2013-09-08T16:19:00+02", [1, "DAYS"], gives: "2013-09-09T14:19:00.000000Z"),
        FilterCall(
            "date", "2013-09-09T14:19:00.000000Z", ["yyyy-MM-dd HH:mm:ss z"], named: ["timeZone": "Australia/Perth"],
            gives: "2013-09-09 22:19:00 AWST"),
        // DateAddFilterTest.should_get_as_long / should_fail_with_invalid_day / should_return_null_for_null_input.
        FilterCall("dateAdd", "2013-09-08T16:19:00Z", ["1", "DAYS"], gives: "2013-09-09T16:19:00.000000Z"),
        FilterCall(
            "dateAdd", "2013-09-08T16:19:00Z", ["invalid", "DAYS"], fails: "`dateAdd` filter: the amount must be a whole number, but got 'invalid'"),
        FilterCall("dateAdd", nil, [1, "DAYS"], gives: nil),
        // Daylight saving: days keep the local time, hours keep the duration.
        FilterCall("dateAdd", "2013-03-30T12:00:00", [1, "DAYS"], named: paris, gives: "2013-03-31T12:00:00.000000+02:00"),
        FilterCall("dateAdd", "2013-03-30T12:00:00", [24, "HOURS"], named: paris, gives: "2013-03-31T13:00:00.000000+02:00"),
        FilterCall("dateAdd", "2013-01-31T10:00:00Z", [1, "MONTHS"], gives: "2013-02-28T10:00:00.000000Z"),
        FilterCall("dateAdd", "2012-02-29T10:00:00Z", [1, "YEARS"], gives: "2013-02-28T10:00:00.000000Z"),
        FilterCall("dateAdd", "2013-09-08T16:19:00+02:00", [1500, "MILLIS"], gives: "2013-09-08T14:19:01.500000Z"),
        FilterCall("dateAdd", "2013-09-08T16:19:00+02:00", [-1, "DECADES"], gives: "2003-09-08T14:19:00.000000Z"),
        FilterCall("dateAdd", "2013-09-08T16:19:00+02:00", [1, "FOREVER"], fails: "`dateAdd` filter: Unsupported unit: Forever"),
        FilterCall(
            "dateAdd", "2013-09-08T16:19:00Z", [1, "days"],
            fails:
                "`dateAdd` filter: unknown unit 'days', expected a Java ChronoUnit name: NANOS, MICROS, MILLIS, SECONDS, MINUTES, HOURS, HALF_DAYS, DAYS, WEEKS, MONTHS, YEARS, DECADES, CENTURIES, MILLENNIA, ERAS, FOREVER"
        ),
    ])
    func dateAdd(_ call: FilterCall) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        // Kestra DateFilterTest.timestamp, instantNano, instantMicro (Kestra's nanos-plus-micros quirk), instantMilli.
        FilterCall("timestamp", now, named: paris, gives: 1_378_653_552),
        FilterCall("timestampNano", now, named: paris, gives: "1378653552123456000"),
        FilterCall("timestampMicro", now, named: paris, gives: "1378653552000123456"),
        FilterCall("timestampMilli", now, named: paris, gives: 1_378_653_552_123),
        // DateFilterTest.timestampCompare: a day earlier is 86400 seconds less.
        FilterCall("timestamp", "2013-09-07T16:19:12.123456+01:00", gives: 1_378_567_152),
        FilterCall("timestamp", "2013-09-08", named: ["timeZone": "America/New_York"], gives: 1_378_612_800),
        FilterCall("timestamp", "2013-03-31T02:30:00", named: paris, gives: 1_364_693_400),
        FilterCall("timestamp", nil, gives: nil),
    ])
    func timestamps(_ call: FilterCall) { call.check(in: DateFilters.all) }

    @Test(arguments: [
        FilterCall("date", now, ["ddd"], fails: "`date` filter: Too many pattern letters: d"),
        FilterCall("date", now, ["b"], fails: "`date` filter: Unknown pattern letter: b"),
        FilterCall("date", now, ["{"], fails: "`date` filter: Pattern includes reserved character: '{'"),
        FilterCall("date", now, ["'oops"], fails: "`date` filter: Pattern ends with an incomplete string literal: 'oops"),
        FilterCall("date", now, named: ["timeZone": "Mars/Olympus"], fails: "`date` filter: Unknown time-zone ID: Mars/Olympus"),
        FilterCall("date", now, named: ["locale": "French"], fails: "`date` filter: Invalid locale format: French"),
        FilterCall("date", now, [42], fails: "`date` filter: the `format` argument of `date` must be a string, but got integer"),
        FilterCall("date", true, fails: "`date` filter: expected a date as an ISO-8601 string or epoch seconds, but got boolean"),
        FilterCall(
            "date", 1.5, fails: "`date` filter: expected a date as an ISO-8601 string or whole epoch seconds, but got the decimal number 1.5"),
        FilterCall(
            "date", "2013-02-30",
            fails:
                "`date` filter: cannot read '2013-02-30' as a date: expected ISO-8601 such as 2026-11-23T20:39:30Z, 2026-11-23T20:39:30 or 2026-11-23 (give existingFormat for other layouts); Text '2013-02-30' could not be parsed: Invalid date 'FEBRUARY 30'"
        ),
        FilterCall("date", 31_556_889_864_403_200, fails: "`date` filter: Instant exceeds minimum or maximum instant"),
    ])
    func errors(_ call: FilterCall) { call.check(in: DateFilters.all) }
}
