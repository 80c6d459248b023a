import Foundation

// Parsing and resolving of `DateTimeFormatter`: `Formatter.parse` reads the fields, then `resolve` builds what Kestra's
// `AbstractDate.convert` asks for in turn — a ZonedDateTime, else a LocalDateTime, else a LocalDate.

extension JavaTime {
    /// The fields read from a text (`java.time.format.Parsed` before resolving).
    struct ParsedFields {
        var fields: [Field: Int64] = [:]
        var zone: Zone?
        var offset: Int?
        /// ISO_INSTANT yields only an instant, which `ZonedDateTime.from` cannot use without a zone.
        var instantOnly = false
    }

    /// What a parse resolved to.
    struct Resolved {
        var date: LocalDate?
        var time: LocalTime?
        var offset: Int?
        var zone: Zone?

        /// `ZonedDateTime.from(parsed)`: needs a date, a time and an offset or zone.
        func zonedDateTime() throws(Failure) -> ZonedDateTime? {
            guard let date, let time else { return nil }
            let local = LocalDateTime(date: date, time: time)
            if let offset {
                let instant = try JavaTime.adding(local.epochSecondAsUTC, -Int64(offset))
                return try ZonedDateTime.ofInstant(epochSecond: instant, nano: time.nano, zone: zone ?? Zone.offset(offset))
            }
            if let zone { return try ZonedDateTime.ofLocal(local, zone: zone) }
            return nil
        }

        var localDateTime: LocalDateTime? {
            guard let date, let time else { return nil }
            return LocalDateTime(date: date, time: time)
        }
    }

    /// A parse error at a position, reported as Java does: `Text '…' could not be parsed at index N`.
    struct ParseError: Error {
        let index: Int
    }
}

extension JavaTime.Formatter {
    /// Parses the whole text (`DateTimeFormatter.parse`), then resolves the fields.
    func parse(_ text: String, locale: JavaTime.DateLocale) throws(Failure) -> JavaTime.Resolved {
        var parser = JavaTime.Parser(text: Array(text.unicodeScalars), locale: locale)
        var state = JavaTime.ParsedFields()
        var position = 0
        do {
            try parser.parse(elements, at: &position, into: &state)
        } catch {
            throw Failure("Text '\(text)' could not be parsed at index \(error.index)")
        }
        if position < parser.text.count {
            throw Failure("Text '\(text)' could not be parsed, unparsed text found at index \(position)")
        }
        do {
            return try JavaTime.Parser.resolve(state, strict: strictResolver, locale: locale)
        } catch {
            throw Failure("Text '\(text)' could not be parsed: \(error.message)")
        }
    }
}

extension JavaTime {
    struct Parser {
        let text: [Unicode.Scalar]
        let locale: DateLocale
        var caseSensitive = true
        var lenient = false

        init(text: [Unicode.Scalar], locale: DateLocale) {
            self.text = text
            self.locale = locale
        }

        mutating func parse(_ elements: [Element], at position: inout Int, into state: inout ParsedFields) throws(ParseError) {
            for (index, element) in elements.enumerated() {
                switch element {
                case .caseSensitive(let value): caseSensitive = value
                case .lenient(let value): lenient = value
                case .literal(let literal):
                    guard matches(literal, at: position) else { throw ParseError(index: position) }
                    position += literal.unicodeScalars.count
                case .optional(let inner):
                    var attempt = state
                    var attemptPosition = position
                    let flags = (caseSensitive, lenient)
                    do {
                        try parse(inner, at: &attemptPosition, into: &attempt)
                        state = attempt
                        position = attemptPosition
                    } catch {
                        // An optional section that does not match is skipped with everything it read.
                    }
                    (caseSensitive, lenient) = flags
                case .pad(let inner, let width):
                    let end = position + width
                    guard end <= text.count else { throw ParseError(index: position) }
                    var start = position
                    while start < end, text[start] == " " { start += 1 }
                    var sub = Parser(text: Array(text[..<end]), locale: locale)
                    sub.caseSensitive = caseSensitive
                    sub.lenient = lenient
                    try sub.parse([inner], at: &start, into: &state)
                    guard start == end else { throw ParseError(index: start) }
                    position = end
                case .number(let field, let min, let max, let sign):
                    let subsequent = Parser.subsequentWidth(after: index, in: elements, for: element)
                    let fixed = Parser.isAdjacentFixed(at: index, in: elements)
                    let value = try number(at: &position, min: min, max: max, sign: sign, subsequentWidth: subsequent, fixedWidth: fixed)
                    try set(field, value, in: &state, at: position)
                case .reduced(let field):
                    let start = position
                    let value = try number(at: &position, min: 2, max: 2, sign: .notNegative, subsequentWidth: 0, fixedWidth: true)
                    try set(field, 2000 + value, in: &state, at: start)
                case .fraction(let min, let max, let decimalPoint):
                    try fraction(at: &position, min: min, max: max, decimalPoint: decimalPoint, into: &state)
                case .text(let field, let style, let standalone, let fixedEnglish):
                    try parseText(field, style, standalone: standalone, fixedEnglish: fixedEnglish, at: &position, into: &state)
                case .offset(let type, let zeroText):
                    let seconds = try offset(at: &position, type: type, zeroText: zeroText)
                    try setOffset(seconds, in: &state, at: position)
                case .localizedOffset(let full):
                    let seconds = try localizedOffset(at: &position, full: full)
                    try setOffset(seconds, in: &state, at: position)
                case .zoneId, .zoneRegionId:
                    state.zone = try zoneId(at: &position)
                case .zoneText:
                    state.zone = try zoneText(at: &position)
                case .dayPeriod:
                    // The period is read but, unlike Java, not used to resolve an hour.
                    guard let text = Printer.dayPeriodTexts.first(where: { matches($0, at: position) }) else {
                        throw ParseError(index: position)
                    }
                    position += text.unicodeScalars.count
                case .instant:
                    try instant(at: &position, into: &state)
                }
            }
        }

        // MARK: Elements

        func matches(_ literal: String, at position: Int) -> Bool {
            let scalars = Array(literal.unicodeScalars)
            guard position + scalars.count <= text.count else { return false }
            for (offset, scalar) in scalars.enumerated() {
                let other = text[position + offset]
                if scalar == other { continue }
                if caseSensitive { return false }
                if String(scalar).lowercased() != String(other).lowercased() { return false }
            }
            return true
        }

        func set(_ field: Field, _ value: Int64, in state: inout ParsedFields, at position: Int) throws(ParseError) {
            if let old = state.fields[field], old != value { throw ParseError(index: position) }
            state.fields[field] = value
        }

        func setOffset(_ seconds: Int, in state: inout ParsedFields, at position: Int) throws(ParseError) {
            if let old = state.offset, old != seconds { throw ParseError(index: position) }
            state.offset = seconds
        }

        /// Java's adjacent value parsing: a variable-width number followed directly by fixed-width numbers leaves them
        /// their digits (`yyyyMMdd`).
        static func subsequentWidth(after index: Int, in elements: [Element], for element: Element) -> Int {
            guard case .number(_, let min, let max, let sign) = element, !(min == max && sign == .notNegative) else { return 0 }
            var total = 0
            var next = index + 1
            while next < elements.count, let width = fixedWidth(elements[next]) {
                total += width
                next += 1
            }
            return total
        }

        static func isAdjacentFixed(at index: Int, in elements: [Element]) -> Bool {
            guard index > 0, fixedWidth(elements[index]) != nil else { return false }
            var previous = index - 1
            while previous >= 0 {
                if fixedWidth(elements[previous]) != nil {
                    previous -= 1
                    continue
                }
                if case .number = elements[previous] { return true }
                return false
            }
            return false
        }

        static func fixedWidth(_ element: Element) -> Int? {
            switch element {
            case .number(_, let min, let max, let sign) where min == max && sign == .notNegative: return min
            case .reduced: return 2
            case .fraction(let min, let max, false) where min == max: return min
            default: return nil
            }
        }

        /// `NumberPrinterParser.parse` (strict or lenient).
        func number(at position: inout Int, min: Int, max: Int, sign: SignStyle, subsequentWidth: Int, fixedWidth: Bool) throws(ParseError)
            -> Int64
        {
            let strict = !lenient
            var start = position
            guard start < text.count else { throw ParseError(index: start) }
            var negative = false
            var positive = false
            if text[start] == "+" {
                let allowed: Bool
                switch sign {
                case .normal: allowed = !strict
                case .exceedsPad: allowed = true
                case .notNegative: allowed = !strict && min != max
                }
                guard allowed else { throw ParseError(index: start) }
                positive = true
                start += 1
            } else if text[start] == "-" {
                let allowed = sign == .notNegative ? (!strict && min != max) : true
                guard allowed else { throw ParseError(index: start) }
                negative = true
                start += 1
            }
            let effectiveMin = strict || fixedWidth ? min : 1
            var effectiveMax = (strict || fixedWidth ? max : 9) + subsequentWidth
            guard start + effectiveMin <= text.count else { throw ParseError(index: start) }
            var end = start
            for pass in 0..<2 {
                end = start
                let limit = Swift.min(start + effectiveMax, text.count)
                while end < limit, ("0"..."9").contains(text[end]) { end += 1 }
                guard end - start >= effectiveMin else { throw ParseError(index: start) }
                if subsequentWidth > 0 && pass == 0 {
                    effectiveMax = Swift.max(effectiveMin, end - start - subsequentWidth)
                } else {
                    break
                }
            }
            guard end - start <= 18 else { throw ParseError(index: start) }
            var total: Int64 = 0
            for scalar in text[start..<end] { total = total * 10 + Int64(scalar.value - 48) }
            if negative {
                if total == 0 && strict { throw ParseError(index: start - 1) }
                total = -total
            } else if sign == .exceedsPad && strict {
                let length = end - start
                if positive && length <= min { throw ParseError(index: start - 1) }
                if !positive && length > min { throw ParseError(index: start) }
            }
            position = end
            return total
        }

        /// `FractionPrinterParser.parse`.
        func fraction(at position: inout Int, min: Int, max: Int, decimalPoint: Bool, into state: inout ParsedFields) throws(ParseError) {
            let effectiveMin = !lenient ? min : 0
            let effectiveMax = !lenient ? max : 9
            var start = position
            if decimalPoint {
                guard start < text.count, text[start] == "." else {
                    if effectiveMin > 0 { throw ParseError(index: start) }
                    return
                }
                start += 1
            }
            guard start + effectiveMin <= text.count else { throw ParseError(index: start) }
            let limit = Swift.min(start + effectiveMax, text.count)
            var end = start
            var total: Int64 = 0
            while end < limit, ("0"..."9").contains(text[end]) {
                total = total * 10 + Int64(text[end].value - 48)
                end += 1
            }
            guard end - start >= effectiveMin else { throw ParseError(index: start) }
            var nano = total
            for _ in (end - start)..<9 { nano *= 10 }
            try set(.nano, nano, in: &state, at: start)
            position = end
        }

        /// `TextPrinterParser.parse`: the longest matching name; lenient parsing accepts every style, then a number.
        mutating func parseText(
            _ field: Field, _ style: TextStyle, standalone: Bool, fixedEnglish: Bool, at position: inout Int, into state: inout ParsedFields
        ) throws(ParseError) {
            let textLocale = fixedEnglish ? DateLocale.english : locale
            let styles: [TextStyle] = lenient ? [.full, .short, .narrow] : [style]
            var candidates: [(String, Int64)] = []
            for style in styles {
                let names: [String]
                var base: Int64 = 1
                switch field {
                case .month: names = textLocale.months(style, standalone: standalone)
                case .dayOfWeek: names = textLocale.days(style, standalone: standalone)
                case .amPm:
                    names = textLocale.amPm(style)
                    base = 0
                case .era:
                    names = textLocale.eras(style)
                    base = 0
                default: names = textLocale.quarters(style)
                }
                for (index, name) in names.enumerated() { candidates.append((name, Int64(index) + base)) }
            }
            candidates.sort { $0.0.unicodeScalars.count > $1.0.unicodeScalars.count }
            for (name, value) in candidates where !name.isEmpty && matches(name, at: position) {
                try set(field, value, in: &state, at: position)
                position += name.unicodeScalars.count
                return
            }
            guard lenient else { throw ParseError(index: position) }
            let value = try number(at: &position, min: 1, max: 19, sign: .normal, subsequentWidth: 0, fixedWidth: false)
            try set(field, value, in: &state, at: position)
        }

        func twoDigits(at position: Int) -> Int? {
            guard position + 1 < text.count, ("0"..."9").contains(text[position]), ("0"..."9").contains(text[position + 1]) else {
                return nil
            }
            return Int(text[position].value - 48) * 10 + Int(text[position + 1].value - 48)
        }

        /// `OffsetIdPrinterParser.parse`; lenient (ISO) parsing accepts `+HH`, `+HH:MM` and `+HH:MM:ss`.
        func offset(at position: inout Int, type: Int, zeroText: String) throws(ParseError) -> Int {
            let start = position
            guard start < text.count else { throw ParseError(index: start) }
            // The zero text wins whenever it matches, even as the prefix of a longer offset (as in Java).
            if !zeroText.isEmpty, matches(zeroText, at: start) {
                position = start + zeroText.unicodeScalars.count
                return 0
            }
            let sign = text[start]
            guard sign == "+" || sign == "-" else { throw ParseError(index: start) }
            let pattern = offsetPatterns[type]
            var colon = pattern.contains(":")
            var pos = start + 1
            guard let hours = twoDigits(at: pos) else { throw ParseError(index: pos) }
            pos += 2
            var minutes = 0
            var seconds = 0
            // minutesRequired / secondsRequired by pattern type; lenient parsing makes everything after the hour optional.
            var minutesMode = 0
            var secondsMode = 0  // 0 = absent, 1 = optional, 2 = required
            switch type {
            case 1, 2: minutesMode = 1
            case 3, 4: minutesMode = 2
            case 5, 6:
                minutesMode = 2
                secondsMode = 1
            case 7, 8:
                minutesMode = 2
                secondsMode = 2
            default: break
            }
            if lenient {
                if type == 0, pos < text.count, text[pos] == ":" { colon = true }
                minutesMode = 1
                secondsMode = 1
            }
            func component(_ mode: Int) throws(ParseError) -> Int? {
                guard mode > 0 else { return nil }
                var at = pos
                if colon {
                    guard at < text.count, text[at] == ":" else {
                        if mode == 2 { throw ParseError(index: at) }
                        return nil
                    }
                    at += 1
                }
                guard let value = twoDigits(at: at) else {
                    if mode == 2 { throw ParseError(index: at) }
                    return nil
                }
                pos = at + 2
                return value
            }
            if let value = try component(minutesMode) {
                minutes = value
                if let value = try component(secondsMode) { seconds = value }
            }
            guard hours <= 18, minutes <= 59, seconds <= 59 else { throw ParseError(index: start) }
            let total = hours * 3600 + minutes * 60 + seconds
            guard total <= 18 * 3600 else { throw ParseError(index: start) }
            position = pos
            return sign == "-" ? -total : total
        }

        /// `LocalizedOffsetIdPrinterParser.parse`: `GMT`, `GMT+8`, `GMT+08:00`.
        func localizedOffset(at position: inout Int, full: Bool) throws(ParseError) -> Int {
            guard matches("GMT", at: position) else { throw ParseError(index: position) }
            var pos = position + 3
            guard pos < text.count, text[pos] == "+" || text[pos] == "-" else {
                position = pos
                return 0
            }
            let negative = text[pos] == "-"
            pos += 1
            var hours = 0
            if let two = twoDigits(at: pos) {
                hours = two
                pos += 2
            } else if !full, pos < text.count, ("0"..."9").contains(text[pos]) {
                hours = Int(text[pos].value - 48)
                pos += 1
            } else {
                throw ParseError(index: pos)
            }
            var minutes = 0
            var seconds = 0
            if pos < text.count, text[pos] == ":", let value = twoDigits(at: pos + 1) {
                minutes = value
                pos += 3
                if pos < text.count, text[pos] == ":", let value = twoDigits(at: pos + 1) {
                    seconds = value
                    pos += 3
                }
            } else if full {
                throw ParseError(index: pos)
            }
            guard hours <= 18, minutes <= 59, seconds <= 59 else { throw ParseError(index: position) }
            position = pos
            let total = hours * 3600 + minutes * 60 + seconds
            return negative ? -total : total
        }

        /// `ZoneIdPrinterParser.parse`: an offset, `UTC`/`GMT`/`UT` with an optional offset, or the longest region id.
        func zoneId(at position: inout Int) throws(ParseError) -> Zone {
            guard position < text.count else { throw ParseError(index: position) }
            let first = text[position]
            if first == "+" || first == "-" {
                var pos = position
                var lenientParser = self
                lenientParser.lenient = true
                let seconds = try lenientParser.offset(at: &pos, type: 6, zeroText: "")
                position = pos
                return Zone.offset(seconds)
            }
            let allowed = Set("~/._+-:".unicodeScalars)
            var end = position
            while end < text.count,
                ("a"..."z").contains(text[end]) || ("A"..."Z").contains(text[end]) || ("0"..."9").contains(text[end])
                    || allowed.contains(text[end])
            {
                end += 1
            }
            while end > position {
                let candidate = String(String.UnicodeScalarView(text[position..<end]))
                if candidate == "Z" {
                    position = end
                    return .utcOffset
                }
                if let zone = try? Zone.of(candidate) {
                    position = end
                    return zone
                }
                end -= 1
            }
            throw ParseError(index: position)
        }

        /// `ZoneTextPrinterParser.parse`: a zone name Java knows, else a zone id.
        func zoneText(at position: inout Int) throws(ParseError) -> Zone {
            var best: (Int, String)?
            for (id, names) in zoneNames.sorted(by: { $0.key < $1.key }) {
                for name in names where matches(name, at: position) {
                    let length = name.unicodeScalars.count
                    if best == nil || length > best?.0 ?? 0 { best = (length, id) }
                }
            }
            if let (length, id) = best, let zone = try? Zone.of(id) {
                // A longer zone id (`Europe/Paris`) beats a name that is its prefix.
                var idPosition = position
                if let zoneById = try? zoneId(at: &idPosition), idPosition - position > length {
                    position = idPosition
                    return zoneById
                }
                position += length
                return zone
            }
            return try zoneId(at: &position)
        }

        /// ISO_INSTANT parsing: a UTC date-time with `Z` or an offset; it only yields an instant.
        mutating func instant(at position: inout Int, into state: inout ParsedFields) throws(ParseError) {
            var scratch = ParsedFields()
            let elements: [Element] = [
                .number(.year, min: 4, max: 10, sign: .exceedsPad), .literal("-"), .number(.month, min: 2, max: 2, sign: .notNegative),
                .literal("-"), .number(.dayOfMonth, min: 2, max: 2, sign: .notNegative), .literal("T"),
                .number(.hourOfDay, min: 2, max: 2, sign: .notNegative), .literal(":"), .number(.minute, min: 2, max: 2, sign: .notNegative),
                .literal(":"), .number(.second, min: 2, max: 2, sign: .notNegative), .fraction(min: 0, max: 9, decimalPoint: true),
                .lenient(true), .offset(type: 6, zeroText: "Z"), .lenient(false),
            ]
            try parse(elements, at: &position, into: &scratch)
            state.instantOnly = true
        }

        // MARK: Resolving

        /// `Parsed.resolve` for the ISO chronology: SMART (patterns, RFC) or STRICT (ISO formatters).
        static func resolve(_ state: ParsedFields, strict: Bool, locale: DateLocale) throws(Failure) -> Resolved {
            var fields = state.fields
            var resolved = Resolved(offset: state.offset, zone: state.zone)
            if state.instantOnly { return Resolved() }

            func check(_ field: Field, _ value: Int64, _ range: ClosedRange<Int64>) throws(Failure) {
                guard range.contains(value) else {
                    throw Failure("Invalid value for \(field.rawValue) (valid values \(range.lowerBound) - \(range.upperBound)): \(value)")
                }
            }

            // Year from year-of-era and era.
            if let yoe = fields.removeValue(forKey: .yearOfEra) {
                try check(.yearOfEra, yoe, 1...1_000_000_000)
                let year: Int64?
                if let era = fields.removeValue(forKey: .era) {
                    try check(.era, era, 0...1)
                    year = era == 1 ? yoe : 1 - yoe
                } else if strict {
                    year = fields[.year].map { $0 > 0 ? yoe : 1 - yoe }
                } else {
                    year = (fields[.year] ?? 1) > 0 ? yoe : 1 - yoe
                }
                if let year {
                    if let existing = fields[.year], existing != year {
                        throw Failure("Conflict found: Year \(existing) differs from Year \(year)")
                    }
                    fields[.year] = year
                }
            }

            // Date.
            var date: LocalDate?
            if let year = fields[.year] {
                try check(.year, year, JavaTime.minimumYear...JavaTime.maximumYear)
                if let month = fields[.month], let day = fields[.dayOfMonth] {
                    try check(.month, month, 1...12)
                    try check(.dayOfMonth, day, 1...31)
                    var dayValue = Int(day)
                    if !strict { dayValue = min(dayValue, LocalDate.length(ofMonth: Int(month), year: year)) }
                    date = try LocalDate.of(year, Int(month), dayValue)
                    fields[.month] = nil
                    fields[.dayOfMonth] = nil
                } else if let dayOfYear = fields[.dayOfYear] {
                    try check(.dayOfYear, dayOfYear, 1...366)
                    if dayOfYear == 366 && !LocalDate.isLeap(year) {
                        throw Failure("Invalid date 'DayOfYear 366' as '\(year)' is not a leap year")
                    }
                    date = try LocalDate.of(year, 1, 1).plusDays(dayOfYear - 1)
                    fields[.dayOfYear] = nil
                }
            }
            if date == nil, let year = fields[.isoWeekBasedYear], let week = fields[.isoWeekOfWeekBasedYear], let day = fields[.dayOfWeek] {
                try check(.dayOfWeek, day, 1...7)
                date = try Weeks.iso.date(weekBasedYear: year, week: week, localizedDay: day)
                fields[.dayOfWeek] = nil
            }
            if date == nil, let year = fields[.weekBasedYear], let week = fields[.weekOfWeekBasedYear] {
                let weeks = Weeks(locale)
                var localized = fields[.localizedDayOfWeek]
                if localized == nil, let iso = fields[.dayOfWeek] {
                    localized = JavaTime.floorMod(iso - Int64(weeks.firstDayOfWeek), 7) + 1
                }
                if let localized {
                    try check(.localizedDayOfWeek, localized, 1...7)
                    date = try weeks.date(weekBasedYear: year, week: week, localizedDay: localized)
                    fields[.localizedDayOfWeek] = nil
                    fields[.dayOfWeek] = nil
                }
            }
            if date == nil, let mjd = fields[.modifiedJulianDay] {
                date = try LocalDate.of(epochDay: try JavaTime.adding(mjd, -40587))
            }
            if let date {
                // Cross-check the fields that were read but not used to build the date.
                if let day = fields[.dayOfWeek], day != Int64(date.dayOfWeek) {
                    throw Failure("Conflict found: Field DayOfWeek \(date.dayOfWeek) differs from DayOfWeek \(day) derived from \(isoDate(date))")
                }
                if let dayOfYear = fields[.dayOfYear], dayOfYear != Int64(date.dayOfYear) {
                    throw Failure(
                        "Conflict found: Field DayOfYear \(date.dayOfYear) differs from DayOfYear \(dayOfYear) derived from \(isoDate(date))")
                }
                if let quarter = fields[.quarter], quarter != Int64((date.month - 1) / 3 + 1) {
                    throw Failure(
                        "Conflict found: Field QuarterOfYear \((date.month - 1) / 3 + 1) differs from QuarterOfYear \(quarter) derived from \(isoDate(date))"
                    )
                }
            }

            // Time.
            if let clockHour = fields.removeValue(forKey: .clockHourOfDay) {
                try check(.clockHourOfDay, clockHour, 1...24)
                let hour = clockHour == 24 ? 0 : clockHour
                if let existing = fields[.hourOfDay], existing != hour {
                    throw Failure("Conflict found: HourOfDay \(existing) differs from HourOfDay \(hour)")
                }
                fields[.hourOfDay] = hour
            }
            if let clockHour = fields.removeValue(forKey: .clockHourOfAmPm) {
                try check(.clockHourOfAmPm, clockHour, 1...12)
                fields[.hourOfAmPm] = clockHour == 12 ? 0 : clockHour
            }
            if let amPm = fields[.amPm], let hourOfAmPm = fields[.hourOfAmPm] {
                try check(.amPm, amPm, 0...1)
                try check(.hourOfAmPm, hourOfAmPm, 0...11)
                let hour = amPm * 12 + hourOfAmPm
                if let existing = fields[.hourOfDay], existing != hour {
                    throw Failure("Conflict found: HourOfDay \(existing) differs from HourOfDay \(hour)")
                }
                fields[.hourOfDay] = hour
            }
            var excessDays: Int64 = 0
            var time: LocalTime?
            if let milli = fields[.milliOfDay], fields[.hourOfDay] == nil {
                try check(.milliOfDay, milli, 0...86_399_999)
                time = LocalTime(secondOfDay: milli / 1000, nano: Int(milli % 1000) * 1_000_000)
            } else if let nanoOfDay = fields[.nanoOfDay], fields[.hourOfDay] == nil {
                try check(.nanoOfDay, nanoOfDay, 0...86_399_999_999_999)
                time = LocalTime(secondOfDay: nanoOfDay / 1_000_000_000, nano: Int(nanoOfDay % 1_000_000_000))
            } else if let hour = fields[.hourOfDay] {
                let minute = fields[.minute]
                let second = fields[.second]
                let nano = fields[.nano]
                // resolveTimeLenient: a missing minute or second is only defaulted when nothing finer was read.
                let incomplete = (minute == nil && (second != nil || nano != nil)) || (minute != nil && second == nil && nano != nil)
                if !incomplete {
                    let m = minute ?? 0
                    let s = second ?? 0
                    let n = nano ?? 0
                    try check(.minute, m, 0...59)
                    try check(.nano, n, 0...999_999_999)
                    if !strict && hour == 24 && m == 0 && s == 0 && n == 0 {
                        time = .midnight
                        excessDays = 1
                    } else {
                        try check(.hourOfDay, hour, 0...23)
                        try check(.second, s, 0...59)
                        time = LocalTime(hour: Int(hour), minute: Int(m), second: Int(s), nano: Int(n))
                    }
                }
            }
            if var date, excessDays != 0 {
                date = try date.plusDays(excessDays)
                resolved.date = date
            } else {
                resolved.date = date
            }
            resolved.time = time
            return resolved
        }

        static func isoDate(_ date: LocalDate) -> String {
            let year = date.year
            let yearText =
                year > 9999
                ? "+\(year)"
                : (year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - String(year.magnitude).count)) + String(year.magnitude)
            return "\(yearText)-\(JavaTime.twoDigits(date.month))-\(JavaTime.twoDigits(date.day))"
        }
    }
}
