import Foundation
import GRDB

/// Walks the executions matching a ``HistoryQuery`` in its order, one row at a time, starting after a cursor.
///
/// Filters on indexed columns (namespace, flow, requester, one state, the date range) narrow an index range that is
/// already in the page's order, so SQLite never sorts: the first rows arrive at once, and stopping early costs nothing.
/// The other filters (approver, label, text, several states) are checked on the rows as they pass, so a page that finds
/// few matches stops after `examinedLimit` rows and offers to go on from there instead of scanning a million rows.
/// Grouped orders (by flow, by state) visit one group after the other, each group its own index range, because
/// SQLite cannot keep an index order that is ascending in the group and newest first inside it.
struct HistoryScan {
    /// SECRET input values are stored sealed with this prefix (Engine's `SecretInputCipher`); text search skips them.
    static let sealedValuePrefix = "gatehouse-sealed:"

    let query: HistoryQuery
    /// Walks backwards (for a previous page): groups descending, and the other way round within them.
    let reversed: Bool

    private var groupColumns: [String] { query.sort.groupColumns }
    private var newestFirst: Bool { query.sort.newestFirst != reversed }

    enum Outcome {
        /// Every matching row after the start was visited.
        case exhausted
        /// `visit` asked to stop.
        case stopped
        /// `examinedLimit` rows were examined; the last of them is where to go on from.
        case bounded(lastExamined: HistoryCursor)
    }

    /// Calls `visit` with each matching row in order until it returns false, the rows run out, or `examinedLimit` rows
    /// have been read.
    func run(
        _ db: Database, after start: HistoryCursor?, examinedLimit: Int, visit: (ExecutionRecord, HistoryCursor) throws -> Bool
    ) throws -> Outcome {
        var group: [String]? = groupColumns.isEmpty ? [] : start?.group
        var within = start
        if group == nil { group = try nextGroup(db, after: nil) }
        var examined = 0
        while let current = group {
            let (sql, arguments) = segment(group: current, after: within)
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                examined += 1
                let cursor = HistoryCursor(group: current, createdAt: row["createdAt"], id: row["id"])
                let hit: Bool = row["_hit"]
                if hit, try !visit(try ExecutionRecord(row: row), cursor) { return .stopped }
                if examined >= examinedLimit { return .bounded(lastExamined: cursor) }
            }
            guard !groupColumns.isEmpty else { break }
            group = try nextGroup(db, after: current)
            within = nil
        }
        return .exhausted
    }

    // MARK: - SQL

    /// The rows of one group after `after`, in page order, with `_hit` telling whether the unindexed filters match.
    func segment(group: [String], after: HistoryCursor?) -> (String, StatementArguments) {
        var (conditions, arguments) = indexedConditions()
        for (column, value) in zip(groupColumns, group) {
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        if let after, after.group == group {
            conditions.append("(createdAt, id) \(newestFirst ? "<" : ">") (?, ?)")
            arguments += [after.createdAt, after.id]
        }
        let (residual, residualArguments) = residualCondition()
        let direction = newestFirst ? "DESC" : "ASC"
        let sql = """
            SELECT execution.*, \(residual) AS _hit FROM execution
            WHERE \(conditions.isEmpty ? "1" : conditions.joined(separator: " AND "))
            ORDER BY createdAt \(direction), id \(direction)
            """
        return (sql, residualArguments + arguments)
    }

    /// The first group after `after` (or the first of all) that has a row passing the indexed filters.
    func nextGroup(_ db: Database, after: [String]?) throws -> [String]? {
        var (conditions, arguments) = indexedConditions()
        let columns = groupColumns.joined(separator: ", ")
        if let after {
            conditions.append("(\(columns)) \(reversed ? "<" : ">") (\(after.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(after)
        }
        let direction = reversed ? "DESC" : "ASC"
        let sql = """
            SELECT \(columns) FROM execution WHERE \(conditions.isEmpty ? "1" : conditions.joined(separator: " AND "))
            ORDER BY \(groupColumns.map { "\($0) \(direction)" }.joined(separator: ", ")) LIMIT 1
            """
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else { return nil }
        return groupColumns.indices.map { row[$0] }
    }

    /// Conditions an index can serve in page order.
    func indexedConditions() -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        for (column, value) in [("namespace", query.namespace), ("flowId", query.flowId), ("requester", query.requester)] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            arguments += [value]
        }
        if query.states.count == 1 {
            conditions.append("state = ?")
            arguments += [query.states[0]]
        } else if query.states.count > 1 {
            // `+` keeps SQLite from reading the state index for the IN list: several index ranges lose the page order,
            // and sorting all their rows is what this scan avoids.
            conditions.append("+state IN (\(query.states.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(query.states)
        }
        if let from = query.createdFrom {
            conditions.append("createdAt >= ?")
            arguments += [from]
        }
        if let before = query.createdBefore {
            conditions.append("createdAt < ?")
            arguments += [before]
        }
        return (conditions, arguments)
    }

    /// The filters no index serves, as one boolean expression (`1` when there are none).
    func residualCondition() -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let approver = query.approver {
            conditions.append("EXISTS (SELECT 1 FROM approval WHERE approval.executionId = execution.id AND approval.decidedBy = ?)")
            arguments += [approver]
        }
        if let label = query.label {
            conditions.append("EXISTS (SELECT 1 FROM json_each(execution.labels) AS l WHERE l.key = ? AND l.value = ?)")
            arguments += [label.key, label.value]
        }
        if let text = query.text, !text.isEmpty {
            let pattern = "%" + Self.likeEscaped(text) + "%"
            // Values only (not input names), and never a sealed SECRET; the plain LIKE over the whole document first
            // discards most rows cheaply, where the text is spelled the same inside JSON.
            var parts: [String] = []
            if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && !"\"\\/".unicodeScalars.contains($0) }) {
                parts.append("execution.inputs LIKE ? ESCAPE '\\'")
                arguments += [pattern]
            }
            parts.append(
                """
                EXISTS (SELECT 1 FROM json_tree(execution.inputs) AS t WHERE t.type NOT IN ('object', 'array')
                AND t.atom LIKE ? ESCAPE '\\' AND NOT (t.type = 'text' AND t.atom LIKE '\(Self.sealedValuePrefix)%'))
                """)
            arguments += [pattern]
            conditions.append("(" + parts.joined(separator: " AND ") + ")")
        }
        return (conditions.isEmpty ? "1" : "(" + conditions.joined(separator: " AND ") + ")", arguments)
    }

    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
