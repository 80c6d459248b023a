import Engine
import Foundation
import Hummingbird
import Store

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
                row.approvers.joined(separator: " "), ISO8601.format(execution.createdAt), execution.endedAt.map(ISO8601.format) ?? "",
                execution.endedAt.map { String(Int($0.timeIntervalSince(execution.createdAt).rounded())) } ?? "",
                Self.jsonText(Self.redacted(execution.labels)), Self.jsonText(Self.redacted(execution.inputs)),
            ])
        }
    }

    /// A JSON array of objects, one per execution, written object by object.
    func json() -> Response {
        stream(contentType: "application/json; charset=utf-8", fileName: "history.json", head: "[", tail: "\n]\n") { row, first in
            let execution = row.execution
            let object: [String: Any] = [
                "id": execution.id, "namespace": execution.namespace, "flowId": execution.flowId, "flowRevision": execution.flowRevision,
                "state": execution.state, "requester": execution.requester, "approvers": row.approvers,
                "createdAt": ISO8601.format(execution.createdAt), "endedAt": execution.endedAt.map(ISO8601.format) ?? NSNull(),
                "labels": Self.redacted(execution.labels), "inputs": Self.redacted(execution.inputs),
            ]
            return (first ? "\n" : ",\n") + Self.jsonText(object)
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
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

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
