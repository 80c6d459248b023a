import Engine
import Foundation
import Hummingbird
import Store

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The filtered history as a file, streamed: rows are read a page at a time (keyset, each page its own short read) and
/// written as they come, so an export of a million executions never holds more than one page in memory.
struct HistoryExport: Sendable {
    let database: GatehouseDatabase
    let query: HistoryQuery
    static let pageSize = 500
    static let csvColumns = [
        "id", "namespace", "flow", "revision", "state", "requester", "approvers", "created", "ended", "duration_seconds", "labels", "inputs",
    ]

    /// RFC 4180: every field quoted, quotes doubled, CRLF line ends; a header row first.
    func csv() -> Response {
        stream(contentType: "text/csv; charset=utf-8", fileName: "history.csv", head: Self.csvLine(Self.csvColumns), tail: "") { row, _ in
            let execution = row.execution
            return Self.csvLine([
                execution.id, execution.namespace, execution.flowId, String(execution.flowRevision), execution.state, execution.requester,
                row.approvers.joined(separator: " "), Self.timestamp(execution.createdAt), execution.endedAt.map(Self.timestamp) ?? "",
                execution.endedAt.map { String(Int($0.timeIntervalSince(execution.createdAt).rounded())) } ?? "",
                Self.redactedJSON(execution.labels), Self.redactedJSON(execution.inputs),
            ])
        }
    }

    /// A JSON array of objects, one per execution, written object by object.
    func json() -> Response {
        stream(contentType: "application/json; charset=utf-8", fileName: "history.json", head: "[", tail: "\n]\n") { row, first in
            // Written by hand around the stored JSON documents, which need no parsing unless they hold a sealed value.
            let execution = row.execution
            let fields = [
                ("id", Self.jsonString(execution.id)), ("namespace", Self.jsonString(execution.namespace)),
                ("flowId", Self.jsonString(execution.flowId)), ("flowRevision", String(execution.flowRevision)),
                ("state", Self.jsonString(execution.state)), ("requester", Self.jsonString(execution.requester)),
                ("approvers", "[" + row.approvers.map(Self.jsonString).joined(separator: ",") + "]"),
                ("createdAt", Self.jsonString(Self.timestamp(execution.createdAt))),
                ("endedAt", execution.endedAt.map { Self.jsonString(Self.timestamp($0)) } ?? "null"),
                ("labels", Self.redactedJSON(execution.labels)), ("inputs", Self.redactedJSON(execution.inputs)),
            ]
            return (first ? "\n" : ",\n") + "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
    }

    private func stream(
        contentType: String, fileName: String, head: String, tail: String, line: @escaping @Sendable (HistoryRow, Bool) -> String
    ) -> Response {
        let database = self.database
        let query = self.query
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: head))
            var cursor: HistoryCursor?
            var first = true
            repeat {
                let rows = try database.historyRows(query, after: cursor, limit: Self.pageSize)
                var text = ""
                for row in rows {
                    text += line(row, first)
                    first = false
                }
                if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                cursor = rows.count == Self.pageSize ? rows.last?.cursor : nil
            } while cursor != nil
            try await writer.write(ByteBuffer(string: tail))
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(fileName)\"", .cacheControl: "no-store"],
            body: body)
    }

    // MARK: - Encoding

    static func csvLine(_ fields: [String]) -> String {
        fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// A quoted field; a value a spreadsheet would run as a formula (starting with = + - @, tab or CR) is prefixed
    /// with `'`, so opening the export cannot execute what a requester typed.
    static func csvField(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        if text.utf8.contains(UInt8(ascii: "\"")) { text = text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") }
        return "\"" + text + "\""
    }

    /// A stored JSON document as JSON text with every sealed SECRET value replaced by ******, by a scan of its bytes
    /// (parsing and re-serialising each document made exports three times slower). A sealed value is a whole JSON string
    /// (after `:`, `,` or `[`) starting with the cipher's prefix, then base64, which holds no quote or backslash.
    static func redactedJSON(_ stored: String) -> String {
        let marker = Array(("\"" + SecretInputCipher.prefix).utf8)
        let bytes = Array(stored.utf8)
        guard bytes.count >= marker.count else { return stored }
        var output: [UInt8] = []
        var index = 0
        var copied = 0
        while index <= bytes.count - marker.count {
            guard bytes[index] == marker[0], bytes[index..<index + marker.count].elementsEqual(marker) else {
                index += 1
                continue
            }
            var before = index - 1
            while before >= 0, bytes[before] == UInt8(ascii: " ") { before -= 1 }
            guard before >= 0, [UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "[")].contains(bytes[before]),
                let end = bytes[(index + marker.count)...].firstIndex(of: UInt8(ascii: "\""))
            else {
                index += 1
                continue
            }
            output += bytes[copied..<index]
            output += Array("\"******\"".utf8)
            index = end + 1
            copied = index
        }
        guard copied > 0 else { return stored }
        output += bytes[copied...]
        return String(decoding: output, as: UTF8.self)
    }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20: output += String(format: "\\u%04x", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// `ISO8601.format`'s text (milliseconds, UTC) without a date formatter per call, which cost a third of a page's time.
    static func timestamp(_ date: Date) -> String { ISO8601.format(date) }

    /// A stored JSON document parsed, with every sealed SECRET value replaced by ******.
    static func redacted(_ stored: String) -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: Data(stored.utf8), options: [.fragmentsAllowed]) else { return stored }
        return redact(value)
    }

    private static func redact(_ value: Any) -> Any {
        switch value {
        case let text as String: SecretInputCipher.isSealed(text) ? "******" : text
        case let list as [Any]: list.map(redact)
        case let object as [String: Any]: object.mapValues(redact)
        default: value
        }
    }

    static func jsonText(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
