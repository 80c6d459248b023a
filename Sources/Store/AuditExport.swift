import Foundation

/// Writes the audit log out, oldest first, a page at a time, so an export of millions of events needs the memory of
/// one page. CSV is for spreadsheets; JSON keeps every field exactly as stored, so the chain can be checked offline.
package struct AuditExport {
    package enum Format: String, CaseIterable, Sendable {
        case csv, json
    }

    package static let columns = ["sequence", "time", "actor", "action", "executionId", "details", "hash", "previousHash"]
    static let pageSize = 500

    package let database: GatehouseDatabase
    package let format: Format
    /// Only events at or after this time.
    package let since: Date?

    package init(database: GatehouseDatabase, format: Format, since: Date? = nil) {
        self.database = database
        self.format = format
        self.since = since
    }

    /// Hands `write` the export in chunks (one per page of events) and returns how many events it wrote.
    @discardableResult
    package func run(_ write: (String) throws -> Void) throws -> Int {
        let time = ISO8601DateFormatter()
        time.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var after: Int64 = 0
        var count = 0
        try write(format == .csv ? Self.columns.joined(separator: ",") + "\r\n" : "[")
        while true {
            let page = try database.auditEvents(after: after, since: since, limit: Self.pageSize)
            guard let last = page.last?.sequence else { break }
            var chunk = ""
            for event in page {
                switch format {
                case .csv: chunk += Self.csvRow(event, time: time.string(from: event.at))
                case .json: chunk += (count == 0 ? "\n" : ",\n") + Self.jsonObject(event, time: time.string(from: event.at))
                }
                count += 1
            }
            try write(chunk)
            after = last
        }
        if format == .json { try write(count == 0 ? "]\n" : "\n]\n") }
        return count
    }

    // MARK: - CSV

    static func csvRow(_ event: AuditEvent, time: String) -> String {
        let cells = [
            String(event.sequence ?? 0), time, event.actor, event.action, event.executionId ?? "", event.details, event.hash, event.previousHash,
        ]
        return cells.map(csvCell).joined(separator: ",") + "\r\n"
    }

    /// One RFC 4180 field. A text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first)
    /// gets a leading `'`, so opening an export never executes what an actor or a flow typed.
    package static func csvCell(_ text: String) -> String {
        // Byte by byte: these are all ASCII, and a million-row export spends most of its time here.
        var cell = text
        if let first = cell.utf8.first, formulaStarts.contains(first) { cell = "'" + cell }
        guard cell.utf8.contains(where: { $0 == comma || $0 == quote || $0 == 0x0A || $0 == 0x0D }) else { return cell }
        var bytes: [UInt8] = [quote]
        bytes.reserveCapacity(cell.utf8.count + 8)
        for byte in cell.utf8 {
            if byte == quote { bytes.append(quote) }
            bytes.append(byte)
        }
        bytes.append(quote)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]
    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")

    // MARK: - JSON

    /// The event as one JSON object; `details` is embedded as the stored JSON text itself (byte for byte, so the hash
    /// can be recomputed), or as a string when the stored text is not a JSON object.
    static func jsonObject(_ event: AuditEvent, time: String) -> String {
        let details =
            (try? JSONSerialization.jsonObject(with: Data(event.details.utf8))) is [String: Any] ? event.details : jsonString(event.details)
        let fields = [
            ("sequence", String(event.sequence ?? 0)), ("time", jsonString(time)), ("actor", jsonString(event.actor)),
            ("action", jsonString(event.action)), ("executionId", event.executionId.map(jsonString) ?? "null"), ("details", details),
            ("hash", jsonString(event.hash)), ("previousHash", jsonString(event.previousHash)),
        ]
        return "  {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// A JSON string literal (RFC 8259: `"` and `\\` escaped, control characters as escapes, the rest as UTF-8).
    static func jsonString(_ text: String) -> String {
        var bytes: [UInt8] = [quote]
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case quote, UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), byte]
            case 0x0A: bytes += Array(#"\n"#.utf8)
            case 0x0D: bytes += Array(#"\r"#.utf8)
            case 0x09: bytes += Array(#"\t"#.utf8)
            case ..<0x20: bytes += Array(String(format: "\\u%04x", byte).utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(quote)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension AuditFilter {
    /// A day (`2026-01-31`, midnight UTC) or an ISO 8601 time (`2026-01-31T12:00:00Z`, fractional seconds and offsets
    /// allowed); nil for anything else.
    package static func parseTime(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if trimmed.count == 10, let date = day.date(from: trimmed) { return date }
        let time = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            time.formatOptions = options
            if let date = time.date(from: trimmed) { return date }
        }
        return nil
    }
}
