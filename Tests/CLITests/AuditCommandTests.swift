import Foundation
import GRDB
import Store
import Testing

@Suite("gatehouse audit verify, run as a process")
struct AuditCommandTests {
    @Test("an intact chain exits 0, a tampered one exits 1 naming the event")
    func verify() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        for index in 1...3 {
            _ = try await database.writer.write { db in
                try GatehouseDatabase.appendAuditEvent(db, actor: "alice", action: "execution.created", executionId: "e\(index)")
            }
        }
        let intact = try await GatehouseProcess.run(["audit", "verify", "--data", root.path])
        #expect(intact.status == 0)
        #expect(intact.standardOutput == "audit chain intact: 3 events verified\n")

        try await database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER auditEvent_no_update; UPDATE auditEvent SET actor = 'mallory' WHERE sequence = 2")
        }
        let broken = try await GatehouseProcess.run(["audit", "verify", "--data", root.path])
        #expect(broken.status == 1)
        #expect(broken.standardOutput == "audit chain BROKEN at event 2: its content was changed after it was written\n")
    }

    @Test("a missing database is a usage error")
    func missing() async throws {
        let outcome = try await GatehouseProcess.run(["audit", "verify", "--data", "/nonexistent/gatehouse-data"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("no Gatehouse database at /nonexistent/gatehouse-data/gatehouse.sqlite"))
    }
}
