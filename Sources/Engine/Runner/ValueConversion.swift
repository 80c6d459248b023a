import FlowModel
import Foundation
import Pebble

#if canImport(Glibc)
    import Glibc
#endif

extension PebbleValue {
    /// Parses stored JSON, treating unreadable or empty text as an empty map.
    package static func storedJSON(_ text: String?) -> PebbleValue {
        guard let text, !text.isEmpty, let value = try? PebbleValue.fromJSON(text) else { return .map(PebbleMap()) }
        return value
    }
}

/// Kestra's state histories, `[{state, date}]`, kept as JSON on executions and task runs.
enum StateHistory {
    static func appending(_ state: String, to json: String, at date: Date) -> String {
        var items = PebbleValue.storedJSON(json).listValue ?? []
        items.append(.map(PebbleMap([("state", .string(state)), ("date", .string(ISO8601.format(date)))])))
        return PebbleValue.list(items).json
    }
}

/// ISO-8601 instants with milliseconds in UTC, as stored and shown.
package enum ISO8601 {
    /// RFC 3339 in UTC with milliseconds, rounded as Java's and Foundation's formatters round them. Built with
    /// `gmtime_r` rather than a date formatter: one formatter per call cost about 45 µs, two thirds of an execution page
    /// with 1,000 log lines (BENCHMARKS.md), and the history export formats one per row.
    package static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = Int32(((milliseconds % 1000) + 1000) % 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }

    /// An RFC 3339 timestamp, with or without fractional seconds; nil for anything else.
    package static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
