import FlowModel
import Foundation
import Pebble

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
    /// One shared format style: building an `ISO8601DateFormatter` per call cost about 45 µs, two thirds of an execution
    /// page with 1,000 log lines (BENCHMARKS.md). Milliseconds are truncated, where that formatter rounded them.
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    package static func format(_ date: Date) -> String {
        style.format(date)
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
