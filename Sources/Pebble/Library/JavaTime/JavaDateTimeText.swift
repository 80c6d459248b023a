import Foundation

extension JavaTime {
    enum TextStyle: Hashable, Sendable {
        case full, short, narrow
    }

    /// The locale a date is printed in: texts (months, days, AM/PM, eras, quarters) and the week definition.
    ///
    /// English texts are built in (they match Java's CLDR data); other languages take their texts from Foundation's
    /// CLDR data, which is the same source Java uses.
    struct DateLocale: Hashable, Sendable {
        let identifier: String
        let language: String
        let country: String
        /// ISO day-of-week the week starts on (Monday = 1 … Sunday = 7) and the days the first week needs.
        let firstDayOfWeek: Int
        let minimalDays: Int

        /// Kestra's engine does not set a locale, so Pebble uses the JVM's default: `en_US` in Kestra's images.
        static let english = DateLocale(identifier: "en_US", language: "en", country: "US", firstDayOfWeek: 7, minimalDays: 1)

        /// Commons-lang `LocaleUtils.toLocale`: `en`, `en_US`, `fr_CA_variant` (`-` accepted as separator too).
        static func of(_ text: String) throws(Failure) -> DateLocale {
            let parts = text.split(separator: text.contains("_") ? "_" : "-", omittingEmptySubsequences: false).map(String.init)
            let language = parts[0]
            guard (2...3).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
                throw Failure("Invalid locale format: \(text)")
            }
            var country = ""
            if parts.count > 1 {
                country = parts[1]
                guard
                    country.isEmpty || (country.count == 2 && country.allSatisfy({ $0.isASCII && $0.isUppercase }))
                        || (country.count == 3 && country.allSatisfy(\.isASCII) && country.allSatisfy(\.isNumber))
                else { throw Failure("Invalid locale format: \(text)") }
            }
            guard parts.count <= 3 else { throw Failure("Invalid locale format: \(text)") }
            // Java's week data comes from the locale's region; without one it numbers weeks as the US does.
            if country.isEmpty || country == "US" {
                return DateLocale(identifier: text, language: language, country: country, firstDayOfWeek: 7, minimalDays: 1)
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.locale = Locale(identifier: country.isEmpty ? language : "\(language)_\(country)")
            let first = calendar.firstWeekday == 1 ? 7 : calendar.firstWeekday - 1
            return DateLocale(
                identifier: text, language: language, country: country, firstDayOfWeek: first,
                minimalDays: calendar.minimumDaysInFirstWeek)
        }

        var isEnglish: Bool { language == "en" }

        private func formatter() -> DateFormatter {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: country.isEmpty ? language : "\(language)_\(country)")
            return formatter
        }

        /// Month names, January first.
        func months(_ style: TextStyle, standalone: Bool) -> [String] {
            if isEnglish { return English.months(style) }
            let f = formatter()
            switch (style, standalone) {
            case (.full, false): return f.monthSymbols
            case (.full, true): return f.standaloneMonthSymbols
            case (.short, false): return f.shortMonthSymbols
            case (.short, true): return f.shortStandaloneMonthSymbols
            case (.narrow, false): return f.veryShortMonthSymbols
            case (.narrow, true): return f.veryShortStandaloneMonthSymbols
            }
        }

        /// Day names, Monday first (ISO order).
        func days(_ style: TextStyle, standalone: Bool) -> [String] {
            if isEnglish { return English.days(style) }
            let f = formatter()
            let sundayFirst: [String]
            switch (style, standalone) {
            case (.full, false): sundayFirst = f.weekdaySymbols
            case (.full, true): sundayFirst = f.standaloneWeekdaySymbols
            case (.short, false): sundayFirst = f.shortWeekdaySymbols
            case (.short, true): sundayFirst = f.shortStandaloneWeekdaySymbols
            case (.narrow, false): sundayFirst = f.veryShortWeekdaySymbols
            case (.narrow, true): sundayFirst = f.veryShortStandaloneWeekdaySymbols
            }
            guard sundayFirst.count == 7 else { return English.days(style) }
            return Array(sundayFirst.dropFirst()) + [sundayFirst[0]]
        }

        func amPm(_ style: TextStyle) -> [String] {
            if isEnglish { return style == .narrow ? ["a", "p"] : ["AM", "PM"] }
            let f = formatter()
            return [f.amSymbol, f.pmSymbol]
        }

        func eras(_ style: TextStyle) -> [String] {
            if isEnglish {
                switch style {
                case .full: return ["Before Christ", "Anno Domini"]
                case .short: return ["BC", "AD"]
                case .narrow: return ["B", "A"]
                }
            }
            let f = formatter()
            let symbols = style == .full ? f.longEraSymbols : f.eraSymbols
            return symbols.count == 2 ? symbols : ["BC", "AD"]
        }

        func quarters(_ style: TextStyle) -> [String] {
            if isEnglish {
                switch style {
                case .full: return ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"]
                case .short: return ["Q1", "Q2", "Q3", "Q4"]
                case .narrow: return ["1", "2", "3", "4"]
                }
            }
            let f = formatter()
            let symbols = style == .full ? f.quarterSymbols : f.shortQuarterSymbols
            return symbols.count == 4 ? symbols : ["Q1", "Q2", "Q3", "Q4"]
        }
    }

    /// Java's English (CLDR) texts, also the fixed texts of `RFC_1123_DATE_TIME`.
    enum English {
        static let fullMonths = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        ]
        static let shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        static let fullDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        static let shortDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

        static func months(_ style: TextStyle) -> [String] {
            switch style {
            case .full: fullMonths
            case .short: shortMonths
            case .narrow: fullMonths.map { String($0.prefix(1)) }
            }
        }

        static func days(_ style: TextStyle) -> [String] {
            switch style {
            case .full: fullDays
            case .short: shortDays
            case .narrow: fullDays.map { String($0.prefix(1)) }
            }
        }
    }

    /// English zone names as Java prints them with `z`, `zzzz`, `v` and `vvvv` (CLDR data, taken from a JVM):
    /// standard short/long, daylight short/long, generic short/long. Zones not listed print their id, as Java does
    /// for zones it has no name for.
    static let zoneNames: [String: [String]] = {
        var table: [String: [String]] = [:]
        let cet = ["CET", "Central European Standard Time", "CEST", "Central European Summer Time", "CET", "Central European Time"]
        let eet = ["EET", "Eastern European Standard Time", "EEST", "Eastern European Summer Time", "EET", "Eastern European Time"]
        let wet = ["WET", "Western European Standard Time", "WEST", "Western European Summer Time", "WET", "Western European Time"]
        let eastern = ["EST", "Eastern Standard Time", "EDT", "Eastern Daylight Time", "ET", "Eastern Time"]
        let central = ["CST", "Central Standard Time", "CDT", "Central Daylight Time", "CT", "Central Time"]
        let mountain = ["MST", "Mountain Standard Time", "MDT", "Mountain Daylight Time", "MT", "Mountain Time"]
        let pacific = ["PST", "Pacific Standard Time", "PDT", "Pacific Daylight Time", "PT", "Pacific Time"]
        let india = ["IST", "India Standard Time", "IST", "India Standard Time", "IT", "India Time"]
        let aet = ["AEST", "Australian Eastern Standard Time", "AEDT", "Australian Eastern Daylight Time", "AET", "Eastern Australia Time"]
        for id in [
            "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich",
            "Europe/Vienna", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Warsaw", "Europe/Prague", "Europe/Luxembourg",
            "Europe/Budapest", "Europe/Belgrade", "Europe/Monaco", "Europe/Malta", "Africa/Algiers", "Africa/Tunis",
        ] {
            table[id] = cet
        }
        for id in [
            "Europe/Helsinki", "Europe/Athens", "Europe/Kiev", "Europe/Kyiv", "Europe/Bucharest", "Europe/Sofia", "Europe/Riga", "Europe/Vilnius",
            "Europe/Tallinn", "Asia/Beirut",
        ] {
            table[id] = eet
        }
        for id in ["Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira"] { table[id] = wet }
        for id in ["America/New_York", "America/Toronto", "America/Detroit", "US/Eastern", "Canada/Eastern", "EST5EDT"] { table[id] = eastern }
        for id in ["America/Chicago", "America/Mexico_City", "America/Winnipeg", "US/Central", "CST6CDT"] { table[id] = central }
        for id in ["America/Denver", "America/Edmonton", "US/Mountain", "MST7MDT"] { table[id] = mountain }
        for id in ["America/Los_Angeles", "America/Vancouver", "America/Tijuana", "US/Pacific", "PST8PDT"] { table[id] = pacific }
        for id in ["Asia/Kolkata", "Asia/Calcutta"] { table[id] = india }
        for id in ["Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Hobart", "Australia/Canberra"] { table[id] = aet }
        table["America/Phoenix"] = ["MST", "Mountain Standard Time", "MST", "Mountain Standard Time", "MT", "Mountain Time"]
        table["CET"] = ["CET", "Central European Time", "CEST", "Central European Summer Time", "CET", "Central European Time"]
        table["EET"] = ["EET", "Eastern European Time", "EEST", "Eastern European Summer Time", "EET", "Eastern European Time"]
        table["WET"] = ["WET", "Western European Time", "WEST", "Western European Summer Time", "WET", "Western European Time"]
        table["MET"] = ["MET", "Middle Europe Time", "MEST", "Middle Europe Summer Time", "MET", "Middle Europe Time"]
        table["UTC"] = ["UTC", "Coordinated Universal Time", "UTC", "Coordinated Universal Time", "UTC", "Coordinated Universal Time"]
        table["Etc/UTC"] = table["UTC"]
        table["GMT"] = ["GMT", "Greenwich Mean Time", "GMT", "Greenwich Mean Time", "GMT", "Greenwich Mean Time"]
        table["Etc/GMT"] = table["GMT"]
        table["Europe/London"] = ["GMT", "Greenwich Mean Time", "BST", "British Summer Time", "BT", "British Time"]
        table["Europe/Dublin"] = ["GMT", "Greenwich Mean Time", "IST", "Irish Standard Time", "IT", "Irish Time"]
        table["Europe/Istanbul"] = ["TRT", "Turkey Time", "TRST", "Turkey Summer Time", "TRT", "Turkey Time"]
        table["Europe/Moscow"] = ["MSK", "Moscow Standard Time", "MSD", "Moscow Summer Time", "MT", "Moscow Time"]
        table["America/Anchorage"] = ["AKST", "Alaska Standard Time", "AKDT", "Alaska Daylight Time", "AKT", "Alaska Time"]
        table["America/Halifax"] = ["AST", "Atlantic Standard Time", "ADT", "Atlantic Daylight Time", "AT", "Atlantic Time"]
        table["America/Sao_Paulo"] = ["BRT", "Brasilia Standard Time", "BRST", "Brasilia Summer Time", "BRT", "Brasilia Time"]
        table["America/Argentina/Buenos_Aires"] = ["ART", "Argentina Standard Time", "ARST", "Argentina Summer Time", "ART", "Argentina Time"]
        table["America/Bogota"] = ["COT", "Colombia Standard Time", "COST", "Colombia Summer Time", "COT", "Colombia Time"]
        table["America/Lima"] = ["PET", "Peru Standard Time", "PEST", "Peru Summer Time", "PET", "Peru Time"]
        table["America/Santiago"] = ["CLT", "Chile Standard Time", "CLST", "Chile Summer Time", "CLT", "Chile Time"]
        table["Pacific/Honolulu"] = [
            "HST", "Hawaii-Aleutian Standard Time", "HDT", "Hawaii-Aleutian Daylight Time", "HST", "Hawaii-Aleutian Time",
        ]
        table["Asia/Tokyo"] = ["JST", "Japan Standard Time", "JDT", "Japan Daylight Time", "JT", "Japan Time"]
        table["Asia/Seoul"] = ["KST", "Korean Standard Time", "KDT", "Korean Daylight Time", "KT", "Korean Time"]
        table["Asia/Shanghai"] = ["CST", "China Standard Time", "CDT", "China Daylight Time", "CT", "China Time"]
        table["Asia/Taipei"] = ["CST", "Taipei Standard Time", "CDT", "Taipei Daylight Time", "CT", "Taipei Time"]
        table["Asia/Hong_Kong"] = ["HKT", "Hong Kong Standard Time", "HKST", "Hong Kong Summer Time", "HKT", "Hong Kong Time"]
        table["Asia/Singapore"] = ["SGT", "Singapore Standard Time", "SGT", "Singapore Standard Time", "SGT", "Singapore Time"]
        table["Asia/Dubai"] = ["GST", "Gulf Standard Time", "GST", "Gulf Standard Time", "GT", "Gulf Time"]
        table["Asia/Jakarta"] = ["WIB", "Western Indonesia Time", "WIB", "Western Indonesia Time", "WIB", "West Indonesia Time"]
        table["Asia/Bangkok"] = ["ICT", "Indochina Time", "ICT", "Indochina Time", "ICT", "Indochina Time"]
        table["Asia/Ho_Chi_Minh"] = table["Asia/Bangkok"]
        table["Asia/Manila"] = ["PST", "Philippine Standard Time", "PDT", "Philippine Summer Time", "PT", "Philippine Time"]
        table["Asia/Karachi"] = ["PKT", "Pakistan Standard Time", "PKST", "Pakistan Summer Time", "PKT", "Pakistan Time"]
        table["Asia/Tehran"] = ["IRST", "Iran Standard Time", "IRDT", "Iran Daylight Time", "IRT", "Iran Time"]
        table["Asia/Jerusalem"] = ["IST", "Israel Standard Time", "IDT", "Israel Daylight Time", "IT", "Israel Time"]
        table["Asia/Almaty"] = ["ALMT", "East Kazakhstan Time", "ALMST", "Alma-Ata Summer Time", "ALMT", "Alma-Ata Time"]
        table["Australia/Perth"] = [
            "AWST", "Australian Western Standard Time", "AWDT", "Australian Western Daylight Time", "AWT", "Western Australia Time",
        ]
        table["Australia/Adelaide"] = [
            "ACST", "Australian Central Standard Time", "ACDT", "Australian Central Daylight Time", "ACT", "Central Australia Time",
        ]
        table["Australia/Darwin"] = table["Australia/Adelaide"]
        table["Pacific/Auckland"] = ["NZST", "New Zealand Standard Time", "NZDT", "New Zealand Daylight Time", "NZT", "New Zealand Time"]
        table["Africa/Cairo"] = eet
        table["Africa/Johannesburg"] = ["SAST", "South Africa Standard Time", "SAST", "South Africa Standard Time", "SAT", "South Africa Time"]
        table["Africa/Lagos"] = ["WAT", "West Africa Standard Time", "WAST", "West Africa Summer Time", "WAT", "West Africa Time"]
        table["Africa/Nairobi"] = ["EAT", "East Africa Time", "EAT", "East Africa Time", "EAT", "Eastern Africa Time"]
        return table
    }()
}
