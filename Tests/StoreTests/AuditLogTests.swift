import Foundation
import GRDB
import Testing

@testable import Store

/// What the audit log records for each change, and how the page and the export read it back.
@Suite("Audit log")
struct AuditLogTests {
    static func details(_ event: AuditEvent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(event.details.utf8)) as? [String: Any])
    }

    @Test("the store's own writer cannot update or delete an event, and reopening the file puts dropped guards back")
    func appendOnlyThroughTheStore() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        try AuditChainTests.appendEvents(2, to: database)
        do {
            try database.writer.write { db in try db.execute(sql: "UPDATE auditEvent SET details = '{}' WHERE sequence = 1") }
            Issue.record("the update was allowed")
        } catch let error as DatabaseError {
            #expect(error.message == "audit events are append-only")
        }
        try database.writer.write { db in try db.execute(sql: "DROP TRIGGER auditEvent_no_update; DROP TRIGGER auditEvent_no_delete") }
        let reopened = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        #expect(throws: DatabaseError.self) {
            try reopened.writer.write { db in try db.execute(sql: "DELETE FROM auditEvent WHERE sequence = 2") }
        }
        #expect(try reopened.verifyAuditChain() == .intact(events: 2))
    }

    @Test("a deployed flow's event carries the line diff against the previous revision")
    func deployDiff() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try database.deployFlow(namespace: "infra", flowId: "vm", source: "id: vm\nnamespace: infra\ntasks: []\n", deployedBy: "ci")
        _ = try database.deployFlow(namespace: "infra", flowId: "vm", source: "id: vm\nnamespace: infra\ntasks: [x]\n", deployedBy: "alice")
        let events = try database.auditEvents()
        #expect(events.map(\.action) == ["flow.deployed", "flow.deployed"])
        #expect(
            try Self.details(events[0])["diff"] as? String == "--- (none)\n+++ revision 1\n@@ -0,0 +1,3 @@\n+id: vm\n+namespace: infra\n+tasks: []")
        #expect(
            try Self.details(events[1])["diff"] as? String
                == "--- revision 1\n+++ revision 2\n@@ -1,3 +1,3 @@\n id: vm\n namespace: infra\n-tasks: []\n+tasks: [x]")
        #expect(events[1].actor == "alice")
    }

    @Test("execution.created carries the inputs, with sealed SECRET values redacted")
    func createdInputs() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        var execution = ExecutionStoreTests.pausedExecution("exec1")
        execution.inputs = #"{"size":"M","count":2,"password":"gatehouse-sealed:v1:QUJD","nested":["gatehouse-sealed:v1:REVG"]}"#
        _ = try database.createExecution(execution, actor: "alice") { _ in execution }
        let event = try #require(try database.auditEvents().first)
        #expect(event.action == "execution.created" && event.executionId == "exec1")
        let inputs = try #require(try Self.details(event)["inputs"] as? [String: Any])
        #expect(inputs["size"] as? String == "M")
        #expect(inputs["count"] as? Int == 2)
        #expect(inputs["password"] as? String == "******")
        #expect(inputs["nested"] as? [String] == ["******"])
        #expect(!event.details.contains("gatehouse-sealed"))
    }

    @Test("the page's query filters by actor, action prefix, execution and time, newest first, paged by sequence")
    func filters() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let rows: [(String, String, String?)] = [
            ("alice", "auth.signed-in", nil), ("alice", "execution.created", "e1"), ("bob", "auth.sign-in-failed", nil),
            ("bob", "execution.created", "e2"), ("alice", "execution.killing", "e1"), ("carol", "auth_x", nil),
        ]
        try database.writer.write { db in
            for (index, row) in rows.enumerated() {
                try GatehouseDatabase.appendAuditEvent(
                    db, actor: row.0, action: row.1, executionId: row.2, at: start.addingTimeInterval(Double(index) * 3600))
            }
        }
        func sequences(_ filter: AuditFilter, before: Int64? = nil, limit: Int = 50) throws -> [Int64] {
            try database.auditEvents(matching: filter, before: before, limit: limit).compactMap(\.sequence)
        }
        #expect(try sequences(AuditFilter()) == [6, 5, 4, 3, 2, 1])
        #expect(try sequences(AuditFilter(actor: "alice")) == [5, 2, 1])
        #expect(try sequences(AuditFilter(actionPrefix: "auth.")) == [3, 1])  // `auth_x` is not a wildcard match
        #expect(try sequences(AuditFilter(actionPrefix: "execution.created")) == [4, 2])
        #expect(try sequences(AuditFilter(executionId: "e1")) == [5, 2])
        #expect(try sequences(AuditFilter(from: start.addingTimeInterval(3600), until: start.addingTimeInterval(4 * 3600))) == [4, 3, 2])
        #expect(try sequences(AuditFilter(actor: "alice", actionPrefix: "execution.")) == [5, 2])
        #expect(try sequences(AuditFilter(), limit: 2) == [6, 5])
        #expect(try sequences(AuditFilter(), before: 5, limit: 2) == [4, 3])
        #expect(try database.auditEvents(after: 0, since: start.addingTimeInterval(4 * 3600)).compactMap(\.sequence) == [5, 6])
    }

    @Test("config.loaded is an event of its own")
    func configurationLoaded() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        try database.recordConfigurationLoaded(by: "gatehouse serve", details: ["flows": "/srv/flows", "workers": "4"])
        let event = try #require(try database.auditEvents().first)
        #expect(event.action == "config.loaded" && event.actor == "gatehouse serve")
        #expect(try Self.details(event)["workers"] as? String == "4")
    }

    @Test(
        "CSV cells are quoted as RFC 4180 says, and what a spreadsheet would run as a formula is defused",
        arguments: [
            ("plain", "plain"), ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""), ("=1,2", "\"'=1,2\""), ("", ""),
        ])
    func csvCells(text: String, cell: String) {
        #expect(AuditExport.csvCell(text) == cell)
    }

    @Test("an export writes every event in order, in pages, and --since skips older ones")
    func exportPages() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try database.writer.write { db in
            for index in 0..<(AuditExport.pageSize * 2 + 3) {
                try GatehouseDatabase.appendAuditEvent(
                    db, actor: index == 0 ? "=HYPERLINK(\"x\")" : "alice", action: "execution.created", details: ["n": index],
                    at: start.addingTimeInterval(Double(index)))
            }
        }
        var chunks: [String] = []
        let count = try AuditExport(database: database, format: .csv).run { chunks.append($0) }
        #expect(count == AuditExport.pageSize * 2 + 3)
        #expect(chunks.count == 1 + 3)  // the header, then one chunk a page
        let lines = chunks.joined().components(separatedBy: "\r\n").dropLast()
        #expect(lines.count == count + 1)
        #expect(lines[1].hasPrefix(#"1,2027-01-15T08:00:00.000Z,"'=HYPERLINK(""x"")",execution.created,,"{""n"":0}","#))
        var json = ""
        let later = try AuditExport(database: database, format: .json, since: start.addingTimeInterval(Double(count - 2))).run { json += $0 }
        #expect(later == 2)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(objects.compactMap { $0["sequence"] as? Int } == [count - 1, count])
    }

    @Test("role changes and disabling are audited once each; a change to the same value records nothing")
    func userChanges() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        try database.createUser(UserRecord(name: "bob", email: nil, roles: ["requester"], passwordHash: nil, createdAt: Date()), by: "root")
        try database.setUserRoles("bob", roles: ["requester"], by: "root")
        try database.setUserRoles("bob", roles: ["approver", "requester"], by: "root")
        try database.setUserDisabled("bob", true, by: "root")
        try database.setUserDisabled("bob", true, by: "root")
        #expect(throws: AccountError.userNotFound("nobody")) { try database.setUserDisabled("nobody", true, by: "root") }
        let events = try database.auditEvents()
        #expect(events.map(\.action) == ["user.created", "user.roles-changed", "user.disabled"])
        #expect(try Self.details(events[1]) as? [String: String] == ["user": "bob", "from": "requester", "to": "approver,requester"])
        #expect(try database.user(named: "bob")?.disabled == true)
        #expect(try database.user(named: "bob")?.roleNames == ["approver", "requester"])
    }

    /// Beyond the small cases: many actions under one prefix (queried one by one, or as a range past 32 of them), date
    /// ranges turned into ranges of sequence numbers, and paging must give what a plain filter over every event gives.
    @Test("the indexed paths of the page's query return what filtering every event would")
    func queryPaths() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let count = 2_500
        try database.writer.write { db in
            for index in 0..<count {
                try GatehouseDatabase.appendAuditEvent(
                    db, actor: "user\(index % 7)", action: index % 3 == 0 ? "many.a\(index % 40)" : "few.b\(index % 3)",
                    at: start.addingTimeInterval(Double(index) * 60))
            }
        }
        let all = try database.auditEvents(limit: count)
        let filters = [
            AuditFilter(actionPrefix: "many."), AuditFilter(actionPrefix: "few."), AuditFilter(actionPrefix: "many.a1"),
            AuditFilter(from: start.addingTimeInterval(60 * 10), until: start.addingTimeInterval(Double(count - 10) * 60)),
            AuditFilter(from: start.addingTimeInterval(60 * 100), until: start.addingTimeInterval(60 * 200)),
            AuditFilter(actionPrefix: "few.", from: start.addingTimeInterval(60 * 7)),
            AuditFilter(actionPrefix: "many.", from: start.addingTimeInterval(60 * 5)),
            AuditFilter(actor: "user3", until: start.addingTimeInterval(60 * 900)),
        ]
        for filter in filters {
            for before: Int64? in [nil, Int64(count / 2)] {
                let expected = all.reversed().filter { event in
                    (filter.actor.map { event.actor == $0 } ?? true) && (filter.actionPrefix.map { event.action.hasPrefix($0) } ?? true)
                        && (filter.from.map { event.at >= $0 } ?? true) && (filter.until.map { event.at < $0 } ?? true)
                        && (before.map { (event.sequence ?? 0) < $0 } ?? true)
                }
                let page = try database.auditEvents(matching: filter, before: before, limit: 50)
                #expect(page.compactMap(\.sequence) == expected.prefix(50).compactMap(\.sequence), "\(filter) before \(before ?? 0)")
            }
        }
    }

    @Test("an event's time is never before the previous event's, so time order is sequence order")
    func monotonicTime() throws {
        let (database, root) = try AuditChainTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        let noon = Date(timeIntervalSince1970: 1_800_000_000)
        try database.writer.write { db in
            try GatehouseDatabase.appendAuditEvent(db, actor: "a", action: "x.one", at: noon)
            try GatehouseDatabase.appendAuditEvent(db, actor: "a", action: "x.two", at: noon.addingTimeInterval(-5))
        }
        #expect(try database.auditEvents().map(\.at) == [noon, noon])
        #expect(try database.verifyAuditChain() == .intact(events: 2))
    }

    @Test(
        "JSON strings in the export read back as written",
        arguments: ["plain", "say \"hi\"", #"back\slash"#, "two\nlines\r\tand tab", "bell \u{07} and \u{1F}", "é ü 日本 🚀", "</script>", ""])
    func jsonStrings(text: String) throws {
        let literal = AuditExport.jsonString(text)
        let decoded = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: [.fragmentsAllowed]) as? String
        #expect(decoded == text)
    }
}
