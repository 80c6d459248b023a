import Foundation
import GRDB

extension GatehouseDatabase {
    /// Executions whose labels hold `key` = `value`, oldest first, optionally in one state. Labels are a JSON document,
    /// read with SQLite's JSON functions; the result is small (one row per request of one kind of flow).
    package func executions(label key: String, value: String, state: String? = nil, limit: Int = 10_000) throws -> [ExecutionRecord] {
        try writer.read { db in
            var sql = "SELECT * FROM execution WHERE json_extract(labels, ?) = ?"
            var arguments: StatementArguments = ["$.\"\(key.replacingOccurrences(of: "\"", with: ""))\"", value]
            if let state {
                sql += " AND state = ?"
                arguments += [state]
            }
            sql += " ORDER BY createdAt, id LIMIT ?"
            arguments += [limit]
            return try ExecutionRecord.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    /// Replaces one label of a stored execution (Kestra allows labels to change after the execution ended), audited.
    package func setLabel(_ key: String, to value: String, ofExecution executionId: String, by actor: String, at date: Date = Date()) throws {
        try writer.write { db in
            guard var execution = try ExecutionRecord.fetchOne(db, key: executionId) else { throw StoreError.executionNotFound(executionId) }
            var labels =
                (try? JSONSerialization.jsonObject(with: Data(execution.labels.utf8)) as? [String: Any]) ?? [:]
            let before = labels[key] as? String
            labels[key] = value
            let data = try JSONSerialization.data(withJSONObject: labels, options: [.sortedKeys])
            execution.labels = String(decoding: data, as: UTF8.self)
            try execution.update(db)
            try Self.appendAuditEvent(
                db, actor: actor, action: "execution.label-changed", executionId: executionId,
                details: ["label": key, "from": before ?? "", "to": value], at: date)
        }
    }
}
