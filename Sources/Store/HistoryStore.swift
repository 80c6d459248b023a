import Foundation
import GRDB

/// The history for auditors and admins: pages of executions in keyset order, and the whole filtered set for exports.
extension GatehouseDatabase {
    /// How many rows one page may examine for filters no index serves (approver, label, text, several states) before it
    /// stops and offers to go on; keeps a page fast whatever the filters.
    package static let historyExaminedLimit = 20_000

    /// One page of `limit` rows after `after`, or before `before` (for a previous link); each read is one snapshot.
    package func history(
        _ query: HistoryQuery, after: HistoryCursor? = nil, before: HistoryCursor? = nil, limit: Int = 50,
        examinedLimit: Int = historyExaminedLimit
    ) throws -> HistoryPage {
        try writer.read { db in
            let backwards = before != nil
            var found: [(ExecutionRecord, HistoryCursor)] = []
            let outcome = try HistoryScan(query: query, reversed: backwards).run(db, after: before ?? after, examinedLimit: examinedLimit) {
                found.append(($0, $1))
                return found.count <= limit
            }
            let more = found.count > limit
            let shown = Array(found.prefix(limit))
            var bound: HistoryCursor?
            if case .bounded(let last) = outcome { bound = last }
            let rows = try Self.withApprovers(db, backwards ? shown.reversed() : shown)
            if backwards {
                let earlier = more ? rows.first?.cursor : bound
                return HistoryPage(rows: rows, next: before, previous: earlier, scanStopped: bound != nil)
            }
            let later = more ? rows.last?.cursor : bound
            let earlier = after == nil ? nil : (rows.first?.cursor ?? after)
            return HistoryPage(rows: rows, next: later, previous: earlier, scanStopped: bound != nil)
        }
    }

    /// Every row matching `query` after `after`, at most `limit` of them, with no bound on the rows examined: for
    /// exports, which page through the whole set this way.
    package func historyRows(_ query: HistoryQuery, after: HistoryCursor?, limit: Int) throws -> [HistoryRow] {
        try history(query, after: after, limit: limit, examinedLimit: .max).rows
    }

    private static func withApprovers(_ db: Database, _ rows: [(ExecutionRecord, HistoryCursor)]) throws -> [HistoryRow] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.0.id)
        var approvers: [String: [String]] = [:]
        let decided = try Row.fetchAll(
            db, sql: "SELECT executionId, decidedBy FROM approval WHERE executionId IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY id",
            arguments: StatementArguments(ids))
        for row in decided {
            let name: String = row["decidedBy"]
            approvers[row["executionId"], default: []].append(name)
        }
        return rows.map { HistoryRow(execution: $0.0, approvers: approvers[$0.0.id] ?? [], cursor: $0.1) }
    }
}
