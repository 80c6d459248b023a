import Foundation
import GRDB
import Testing

@testable import Store

/// The history's filters, orders and keyset paging, against the same rows filtered and sorted in Swift.
@Suite("History queries")
struct HistoryTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let states = ["SUCCESS", "FAILED", "PAUSED", "KILLED", "RUNNING"]
    static let flows = [("team.infra", "vm"), ("team.infra", "db"), ("team.data", "vm"), ("ops", "cleanup")]

    /// 90 executions; pairs share a creation time, so ids must break ties; every third has an approval.
    static func seeded() throws -> (GatehouseDatabase, [ExecutionRecord], [String: [String]], URL) {
        let (database, root) = try ExecutionStoreTests.freshDatabase()
        var records: [ExecutionRecord] = []
        var approvers: [String: [String]] = [:]
        try database.writer.write { db in
            for index in 0..<90 {
                let (namespace, flowId) = flows[index % flows.count]
                let secret = "gatehouse-sealed:v1:QUJDc2VjcmV0\(index)"
                let inputs = #"{"name":"host-\#(index)","size":"cx\#(index % 3 == 0 ? "22" : "32")","token":"\#(secret)","count":\#(index)}"#
                let labels = #"{"system.username":"user\#(index % 5)","env":"\#(index % 2 == 0 ? "prod" : "dev")"}"#
                let record = ExecutionRecord(
                    id: String(format: "ex%02d%@", 89 - index, index % 2 == 0 ? "A" : "b"), namespace: namespace, flowId: flowId,
                    flowRevision: 1, state: states[index % states.count], inputs: inputs, labels: labels, requester: "user\(index % 5)",
                    histories: "[]", createdAt: start.addingTimeInterval(Double(index / 2) * 60),
                    endedAt: start.addingTimeInterval(Double(index / 2) * 60 + 30))
                try record.insert(db)
                records.append(record)
                if index % 3 == 0 {
                    try TaskRunRecord(
                        id: "tr\(index)", executionId: record.id, taskId: "wait", parentTaskRunId: nil, value: nil, state: "SUCCESS",
                        histories: "[]", createdAt: record.createdAt
                    ).insert(db)
                    let approver = "approver\(index % 2)"
                    var approval = ApprovalRecord(
                        executionId: record.id, taskRunId: "tr\(index)", decision: "APPROVED", decidedBy: approver, decidedAt: record.createdAt)
                    try approval.insert(db)
                    approvers[record.id] = [approver]
                }
            }
        }
        return (database, records, approvers, root)
    }

    /// What `query` should return, computed without SQL.
    static func expected(_ query: HistoryQuery, _ records: [ExecutionRecord], _ approvers: [String: [String]]) -> [String] {
        let matching = records.filter { record in
            if let namespace = query.namespace, record.namespace != namespace { return false }
            if let flowId = query.flowId, record.flowId != flowId { return false }
            if let requester = query.requester, record.requester != requester { return false }
            if let approver = query.approver, !(approvers[record.id] ?? []).contains(approver) { return false }
            if !query.states.isEmpty, !query.states.contains(record.state) { return false }
            if let from = query.createdFrom, record.createdAt < from { return false }
            if let before = query.createdBefore, record.createdAt >= before { return false }
            if let label = query.label, !record.labels.contains(#""\#(label.key)":"\#(label.value)""#) { return false }
            if let text = query.text?.lowercased() {
                let object = (try? JSONSerialization.jsonObject(with: Data(record.inputs.utf8))) as? [String: Any] ?? [:]
                let values = object.values.map { "\($0)".lowercased() }.filter { !$0.hasPrefix("gatehouse-sealed:") }
                if !values.contains(where: { $0.contains(text) }) { return false }
            }
            return true
        }
        func key(_ record: ExecutionRecord) -> [String] {
            switch query.sort {
            case .newest, .oldest: []
            case .flow: [record.namespace, record.flowId]
            case .state: [record.state]
            }
        }
        return matching.sorted { left, right in
            if key(left) != key(right) { return key(left).lexicographicallyPrecedes(key(right)) }
            if left.createdAt != right.createdAt {
                return query.sort.newestFirst ? left.createdAt > right.createdAt : left.createdAt < right.createdAt
            }
            return query.sort.newestFirst ? left.id > right.id : left.id < right.id
        }.map(\.id)
    }

    static let queries: [HistoryQuery] = [
        HistoryQuery(),
        HistoryQuery(sort: .oldest),
        HistoryQuery(sort: .flow),
        HistoryQuery(sort: .state),
        HistoryQuery(namespace: "team.infra"),
        HistoryQuery(namespace: "team.infra", flowId: "vm"),
        HistoryQuery(namespace: "team.infra", sort: .flow),
        HistoryQuery(requester: "user3"),
        HistoryQuery(approver: "approver1"),
        HistoryQuery(states: ["FAILED"]),
        HistoryQuery(states: ["FAILED", "KILLED"]),
        HistoryQuery(states: ["FAILED", "KILLED"], sort: .state),
        HistoryQuery(createdFrom: start.addingTimeInterval(600), createdBefore: start.addingTimeInterval(1_800)),
        HistoryQuery(label: .init(key: "env", value: "prod")),
        HistoryQuery(label: .init(key: "system.username", value: "user2"), sort: .oldest),
        HistoryQuery(text: "HOST-1"),
        HistoryQuery(text: "cx22", sort: .flow),
        HistoryQuery(text: "%"),
        HistoryQuery(namespace: "team.infra", requester: "user1", states: ["SUCCESS", "PAUSED"], text: "host", sort: .state),
    ]

    @Test("each filter and order, paged 7 at a time forwards and backwards, gives exactly the expected rows in order", arguments: queries)
    func filtersAndPaging(query: HistoryQuery) throws {
        let (database, records, approvers, root) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: root) }
        let expected = Self.expected(query, records, approvers)
        var forward: [String] = []
        var cursor: HistoryCursor?
        var last: HistoryPage?
        repeat {
            let page = try database.history(query, after: cursor, limit: 7)
            #expect(page.rows.count == 7 || page.next == nil)
            forward += page.rows.map(\.execution.id)
            cursor = page.next
            last = page
        } while cursor != nil && forward.count <= records.count
        #expect(forward == expected)

        // Back from the last page, through the `previous` links, to the first.
        var backward: [String] = last.map { $0.rows.map(\.execution.id) } ?? []
        var before = last?.previous
        while let position = before, backward.count <= records.count {
            let page = try database.history(query, before: position, limit: 7)
            backward = page.rows.map(\.execution.id) + backward
            before = page.previous
        }
        #expect(backward == expected)
    }

    @Test("a row's approvers and cursor come with it, and a cursor survives its token")
    func rowsCarryApproversAndCursors() throws {
        let (database, _, approvers, root) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: root) }
        let page = try database.history(HistoryQuery(approver: "approver0", sort: .flow), limit: 3)
        #expect(page.rows.count == 3)
        for row in page.rows { #expect(row.approvers == approvers[row.execution.id]) }
        let next = try #require(page.next)
        #expect(HistoryCursor(token: next.token, sort: .flow) == next)
        #expect(HistoryCursor(token: next.token, sort: .newest) == nil)
        #expect(HistoryCursor(token: "not base64!", sort: .flow) == nil)
    }

    @Test("SECRET inputs are stored sealed and never match: not their ciphertext, not the input's name")
    func secretsNeverMatch() throws {
        let (database, _, _, root) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: root) }
        for text in ["gatehouse-sealed", "QUJDc2VjcmV0", "token"] {
            #expect(try database.history(HistoryQuery(text: text)).rows.isEmpty, "\(text)")
        }
    }

    @Test("a page examines a bounded number of rows for unindexed filters, then goes on from where it stopped")
    func examinedBound() throws {
        let (database, records, approvers, root) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: root) }
        let query = HistoryQuery(text: "host-8")
        var found: [String] = []
        var cursor: HistoryCursor?
        var stops = 0
        repeat {
            let page = try database.history(query, after: cursor, limit: 50, examinedLimit: 10)
            if page.scanStopped { stops += 1 }
            found += page.rows.map(\.execution.id)
            cursor = page.next
        } while cursor != nil && stops <= records.count
        #expect(stops >= 8)
        #expect(found == Self.expected(query, records, approvers))
    }

    /// A sort in SQLite would read every matching row before the first one is returned; each page must be an index
    /// range already in order.
    @Test("no query of the history sorts: every plan walks an index in page order", arguments: queries)
    func plansNeverSort(query: HistoryQuery) throws {
        let (database, _, _, root) = try Self.seeded()
        defer { try? FileManager.default.removeItem(at: root) }
        let group: [String] =
            switch query.sort {
            case .newest, .oldest: []
            case .flow: ["team.infra", "vm"]
            case .state: ["FAILED"]
            }
        for reversed in [false, true] {
            let scan = HistoryScan(query: query, reversed: reversed)
            let cursor = HistoryCursor(group: group, createdAt: "2025-06-15 15:06:40.000", id: "ex10A")
            for (sql, arguments) in [scan.segment(group: group, after: nil), scan.segment(group: group, after: cursor)] {
                let plan = try database.writer.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
                }
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
                #expect(plan.contains { $0.contains("USING INDEX") || $0.contains("USING COVERING INDEX") }, "\(plan)")
            }
        }
    }
}
