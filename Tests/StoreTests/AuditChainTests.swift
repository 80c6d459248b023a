import Foundation
import GRDB
import Testing

@testable import Store

/// The audit log on a real SQLite file: append-only, and any edit or deletion is detected by verification.
@Suite("Audit chain")
struct AuditChainTests {
    static func freshDatabase() throws -> (GatehouseDatabase, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-store-\(UUID().uuidString)")
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        return (database, root)
    }

    static func appendEvents(_ count: Int, to database: GatehouseDatabase) throws {
        for index in 0..<count {
            _ = try database.writer.write { db in
                try GatehouseDatabase.appendAuditEvent(
                    db, actor: "user\(index % 3)", action: "execution.created", executionId: "exec\(index)", details: ["flow": "infra.vm"]
                )
            }
        }
    }

    @Test("the schema migrates on open, and reopening the file keeps it")
    func migrations() throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(
            try database.appliedMigrations() == [
                "v1-core", "v2-leases-retries-schedules", "v3-audit-append-only", "v4-history-indexes", "v5-approval-votes", "v6-user-groups",
            ])
        try Self.appendEvents(3, to: database)
        let reopened = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        #expect(try reopened.verifyAuditChain() == .intact(events: 3))
        let journal = try reopened.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    @Test("an untouched chain verifies")
    func intact() throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try database.verifyAuditChain() == .intact(events: 0))
        try Self.appendEvents(50, to: database)
        #expect(try database.verifyAuditChain() == .intact(events: 50))
    }

    @Test("updates and deletes are refused by the database itself")
    func appendOnly() throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.appendEvents(2, to: database)
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in try db.execute(sql: "UPDATE auditEvent SET actor = 'mallory' WHERE sequence = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try database.writer.write { db in try db.execute(sql: "DELETE FROM auditEvent WHERE sequence = 2") }
        }
        #expect(try database.verifyAuditChain() == .intact(events: 2))
    }

    /// Someone with the file drops the guards and edits history; verification still finds the exact event.
    @Test(
        "tampering is detected where it happened",
        arguments: [
            (
                "UPDATE auditEvent SET actor = 'mallory' WHERE sequence = 5",
                AuditVerification.broken(sequence: 5, reason: "its content was changed after it was written")
            ),
            ("DELETE FROM auditEvent WHERE sequence = 4", .broken(sequence: 5, reason: "event 4 is missing before event 5")),
            (
                "UPDATE auditEvent SET details = '{}', hash = 'x' WHERE sequence = 7",
                .broken(sequence: 7, reason: "its content was changed after it was written")
            ),
        ]
    )
    func tampering(sql: String, expected: AuditVerification) throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.appendEvents(10, to: database)
        try database.writer.write { db in
            try db.execute(sql: "DROP TRIGGER auditEvent_no_update; DROP TRIGGER auditEvent_no_delete")
            try db.execute(sql: sql)
        }
        #expect(try database.verifyAuditChain() == expected)
    }

    @Test("an event written in a transaction that fails is not in the chain")
    func rollsBackWithTheChange() throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            _ = try database.writer.write { db in
                try GatehouseDatabase.appendAuditEvent(db, actor: "alice", action: "execution.created")
                throw Failure()
            }
        }
        try Self.appendEvents(1, to: database)
        #expect(try database.verifyAuditChain() == .intact(events: 1))
    }
}
