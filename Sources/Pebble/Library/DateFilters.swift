import Foundation

/// Kestra's date filters (`io.kestra.core.runners.pebble.filters.DateFilter`, `DateAddFilter`, `Timestamp*Filter`, all
/// built on `AbstractDate`).
///
/// A date is an ISO-8601 string or epoch seconds (Java `Long`); `date` and `dateAdd` return strings, `timestamp` and
/// `timestampMilli` integers, `timestampMicro` and `timestampNano` strings, as in Kestra. Patterns are Java
/// `DateTimeFormatter` patterns, interpreted by ``JavaTime`` rather than by ICU.
enum DateFilters {
    static let all: [PebbleFilter] = filters(defaultZone: JavaTime.Zone(id: "UTC", rules: .fixed(0), isOffset: false))

    /// The filters, with the zone used when no `timeZone` is given (Kestra uses the JVM's zone: UTC in its images).
    static func filters(defaultZone: JavaTime.Zone) -> [PebbleFilter] {
        [
            PebbleFilter("date", arguments: ["format", "timeZone", "existingFormat", "locale"]) { input, arguments, _ in
                guard input != .null else { return .null }
                return try run("date") { () throws(JavaTime.Failure) in
                    let options = try Options(arguments, filter: "date", defaultZone: defaultZone)
                    let date = try convert(input, options, filter: "date")
                    return .string(try options.format(date))
                }
            },
            PebbleFilter("dateAdd", arguments: ["amount", "unit", "format", "timeZone", "existingFormat", "locale"]) { input, arguments, _ in
                guard input != .null else { return .null }
                let amount = try amountArgument(arguments["amount"])
                guard let unitName = try arguments.string("unit", for: "dateAdd") else {
                    throw PebbleError(.evaluation, "`dateAdd` filter needs a unit, for example dateAdd(1, 'DAYS')")
                }
                guard let unit = JavaTime.ChronoUnit(rawValue: unitName) else {
                    let names = JavaTime.ChronoUnit.allCases.map(\.rawValue).joined(separator: ", ")
                    throw PebbleError(.evaluation, "`dateAdd` filter: unknown unit '\(unitName)', expected a Java ChronoUnit name: \(names)")
                }
                return try run("dateAdd") { () throws(JavaTime.Failure) in
                    let options = try Options(arguments, filter: "dateAdd", defaultZone: defaultZone)
                    let date = try convert(input, options, filter: "dateAdd")
                    return .string(try options.format(try date.plus(amount, unit)))
                }
            },
            timestampFilter("timestamp", defaultZone: defaultZone) { date throws(JavaTime.Failure) in .int(date.epochSecond) },
            timestampFilter("timestampMilli", defaultZone: defaultZone) { date throws(JavaTime.Failure) in
                // Instant.toEpochMilli: Math.multiplyExact / addExact.
                .int(try JavaTime.adding(try JavaTime.multiplying(date.epochSecond, 1000), Int64(date.nano / 1_000_000)))
            },
            timestampFilter("timestampMicro", defaultZone: defaultZone) { date in
                // Kestra adds the *micro*seconds of the second to the epoch in *nano*seconds
                // (`TimeUnit.SECONDS.toNanos(epochSecond) + TimeUnit.NANOSECONDS.toMicros(nano)`), so
                // 2013-09-08T15:19:12.123456Z gives 1378653552000123456; DateFilterTest.instantMicro asserts it.
                .string(String(saturatingNanos(date.epochSecond) &+ Int64(date.nano / 1000)))
            },
            timestampFilter("timestampNano", defaultZone: defaultZone) { date in
                .string(String(saturatingNanos(date.epochSecond) &+ Int64(date.nano)))
            },
        ]
    }

    // MARK: - Arguments

    /// The arguments of `AbstractDate.format`: format (default `iso`), zone, existing format and locale.
    struct Options {
        let format: String
        let zone: JavaTime.Zone
        let existingFormat: String?
        let locale: JavaTime.DateLocale

        init(_ arguments: Arguments, filter: String, defaultZone: JavaTime.Zone) throws(JavaTime.Failure) {
            do {
                format = try arguments.string("format", for: filter) ?? "iso"
                let zoneName = try arguments.string("timeZone", for: filter)
                existingFormat = try arguments.string("existingFormat", for: filter)
                let localeName = try arguments.string("locale", for: filter)
                zone = try zoneName.map { name throws(JavaTime.Failure) in try JavaTime.Zone.of(name) } ?? defaultZone
                locale = try localeName.map { name throws(JavaTime.Failure) in try JavaTime.DateLocale.of(name) } ?? .english
            } catch let error as PebbleError {
                throw JavaTime.Failure(error.message)
            } catch let error as JavaTime.Failure {
                throw error
            } catch {
                throw JavaTime.Failure("\(error)")
            }
        }

        /// `formatter(format).withLocale(locale).withZone(zone).format(date)`: the date is shown in the filter's zone.
        func format(_ date: JavaTime.ZonedDateTime) throws(JavaTime.Failure) -> String {
            let formatter = try JavaTime.Formatter.forName(format)
            return try formatter.format(try date.withZoneSameInstant(zone), locale: locale)
        }
    }

    /// `DateAddFilter.getAsLong`: a number (truncated like `Number.longValue()`) or a string holding a whole number.
    static func amountArgument(_ value: PebbleValue?) throws -> Int64 {
        switch value {
        case .int(let number): return number
        case .double(let number) where number.isFinite && abs(number) < 9.2e18: return Int64(number)
        case .string(let text) where Int64(text) != nil: return Int64(text) ?? 0
        case nil, .null?:
            throw PebbleError(.evaluation, "`dateAdd` filter needs an amount, for example dateAdd(-1, 'DAYS')")
        case .some(let other):
            let shown = other.stringValue.map { "'\($0)'" } ?? other.typeName
            throw PebbleError(.evaluation, "`dateAdd` filter: the amount must be a whole number, but got \(shown)")
        }
    }

    // MARK: - Conversion

    /// `AbstractDate.convert`: epoch seconds, or a string read as ZonedDateTime, else LocalDateTime, else LocalDate
    /// (start of day) — the last two in the filter's zone.
    static func convert(_ input: PebbleValue, _ options: Options, filter: String) throws(JavaTime.Failure) -> JavaTime.ZonedDateTime {
        switch input {
        case .int(let seconds):
            return try JavaTime.ZonedDateTime.ofInstant(epochSecond: seconds, nano: 0, zone: options.zone)
        case .string(let text):
            if let existingFormat = options.existingFormat {
                let formatter = try JavaTime.Formatter.forName(existingFormat)
                let resolved = try formatter.parse(text, locale: .english)
                if let zoned = try resolved.zonedDateTime() { return zoned }
                if let local = resolved.localDateTime { return try JavaTime.ZonedDateTime.ofLocal(local, zone: options.zone) }
                if let date = resolved.date {
                    return try JavaTime.ZonedDateTime.ofLocal(JavaTime.LocalDateTime(date: date, time: .midnight), zone: options.zone)
                }
                throw JavaTime.Failure("cannot read '\(text)' as a date with existingFormat '\(existingFormat)': it holds no year, month and day")
            }
            if let zoned = try? JavaTime.Formatter.isoZonedDateTime.parse(text, locale: .english).zonedDateTime() {
                return zoned
            }
            if let local = try? JavaTime.Formatter.isoLocalDateTime.parse(text, locale: .english).localDateTime {
                return try JavaTime.ZonedDateTime.ofLocal(local, zone: options.zone)
            }
            do throws(JavaTime.Failure) {
                if let date = try JavaTime.Formatter.isoLocalDate.parse(text, locale: .english).date {
                    return try JavaTime.ZonedDateTime.ofLocal(JavaTime.LocalDateTime(date: date, time: .midnight), zone: options.zone)
                }
                throw JavaTime.Failure("Text '\(text)' could not be parsed")
            } catch {
                let expected = "expected ISO-8601 such as 2026-11-23T20:39:30Z, 2026-11-23T20:39:30 or 2026-11-23"
                throw JavaTime.Failure("cannot read '\(text)' as a date: \(expected) (give existingFormat for other layouts); \(error.message)")
            }
        case .double:
            throw JavaTime.Failure("expected a date as an ISO-8601 string or whole epoch seconds, but got the decimal number \(input.rendered)")
        default:
            throw JavaTime.Failure("expected a date as an ISO-8601 string or epoch seconds, but got \(input.typeName)")
        }
    }

    // MARK: - Helpers

    private static func timestampFilter(
        _ name: String, defaultZone: JavaTime.Zone, _ value: @escaping @Sendable (JavaTime.ZonedDateTime) throws(JavaTime.Failure) -> PebbleValue
    ) -> PebbleFilter {
        PebbleFilter(name, arguments: ["timeZone", "existingFormat"]) { input, arguments, _ in
            guard input != .null else { return .null }
            return try run(name) { () throws(JavaTime.Failure) in
                let options = try Options(arguments, filter: name, defaultZone: defaultZone)
                return try value(try convert(input, options, filter: name))
            }
        }
    }

    /// `TimeUnit.SECONDS.toNanos`, which saturates instead of overflowing.
    private static func saturatingNanos(_ seconds: Int64) -> Int64 {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product
    }

    private static func run(_ filter: String, _ body: () throws(JavaTime.Failure) -> PebbleValue) throws(PebbleError) -> PebbleValue {
        do {
            return try body()
        } catch {
            throw PebbleError(.evaluation, "`\(filter)` filter: \(error.message)")
        }
    }
}
