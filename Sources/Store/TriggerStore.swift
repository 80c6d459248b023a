import Foundation
import GRDB

/// An execution a trigger wants to create, with what must change together with it.
package struct TriggeredExecution: Sendable {
    package var execution: ExecutionRecord
    package var actor: String
    package var details: [String: String]
    /// Returns the record to store given the flow's executions holding a concurrency slot (see `createExecution`).
    package var admit: @Sendable (Int) -> ExecutionRecord

    package init(execution: ExecutionRecord, actor: String, details: [String: String] = [:], admit: @escaping @Sendable (Int) -> ExecutionRecord) {
        self.execution = execution
        self.actor = actor
        self.details = details
        self.admit = admit
    }
}

/// A Schedule trigger's bookmark: every fire time up to `firedFor` is handled.
package struct ScheduleClaim: Sendable, Equatable {
    package var namespace: String
    package var flowId: String
    package var triggerId: String
    /// The bookmark this process read; the claim fails if another process moved it since.
    package var previous: Date?
    package var firedFor: Date

    package init(namespace: String, flowId: String, triggerId: String, previous: Date?, firedFor: Date) {
        self.namespace = namespace
        self.flowId = flowId
        self.triggerId = triggerId
        self.previous = previous
        self.firedFor = firedFor
    }
}

/// Trigger bookkeeping. Creating a triggered execution, moving the schedule's bookmark or consuming the work item that
/// caused it, and the work item that will drive it are one transaction: a crash or a second process can neither lose
/// nor double a firing.
extension GatehouseDatabase {
    /// Up to which time a Schedule trigger has fired, or nil when it never ran.
    package func scheduleFiredFor(namespace: String, flowId: String, triggerId: String) throws -> Date? {
        try writer.read { db in
            try Date.fetchOne(
                db, sql: "SELECT lastFiredFor FROM scheduleState WHERE namespace = ? AND flowId = ? AND triggerId = ?",
                arguments: [namespace, flowId, triggerId])
        }
    }

    /// Moves a schedule's bookmark without creating anything (first sight of a trigger, or skipped fire times); throws
    /// `alreadyFired` when another process moved it first.
    package func moveSchedule(_ claim: ScheduleClaim) throws {
        try writer.write { db in try Self.move(claim, db) }
    }

    /// Stores the executions, each with a `start` work item when it may run now, moving `schedule` or consuming the
    /// work item `consuming` in the same transaction. Throws `alreadyFired`, storing nothing, when another process got
    /// there first. Returns the records as stored.
    package func createTriggered(_ executions: [TriggeredExecution], schedule: ScheduleClaim? = nil, consuming workItem: Int64? = nil) throws
        -> [ExecutionRecord]
    {
        try writer.write { db in
            if let schedule { try Self.move(schedule, db) }
            if let workItem, try WorkItemRecord.deleteOne(db, key: workItem) == false { throw StoreError.alreadyFired }
            var stored: [ExecutionRecord] = []
            for triggered in executions {
                let admitted = try Self.insertAdmitted(
                    triggered.execution, actor: triggered.actor, details: triggered.details, admit: triggered.admit, db)
                if admitted.state == "CREATED" {
                    var start = WorkItemRecord(kind: .start, executionId: admitted.id, taskRunId: nil, dueAt: admitted.createdAt)
                    try start.insert(db)
                }
                stored.append(admitted)
            }
            return stored
        }
    }

    /// Takes a `flowTrigger` work item that no flow listens to.
    package func dropWorkItem(_ id: Int64) throws {
        try writer.write { db in _ = try WorkItemRecord.deleteOne(db, key: id) }
    }

    private static func move(_ claim: ScheduleClaim, _ db: Database) throws {
        let current = try Date.fetchOne(
            db, sql: "SELECT lastFiredFor FROM scheduleState WHERE namespace = ? AND flowId = ? AND triggerId = ?",
            arguments: [claim.namespace, claim.flowId, claim.triggerId])
        guard current == claim.previous else { throw StoreError.alreadyFired }
        try db.execute(
            sql: """
                INSERT INTO scheduleState (namespace, flowId, triggerId, lastFiredFor) VALUES (?, ?, ?, ?)
                ON CONFLICT (namespace, flowId, triggerId) DO UPDATE SET lastFiredFor = excluded.lastFiredFor
                """,
            arguments: [claim.namespace, claim.flowId, claim.triggerId, claim.firedFor])
    }
}
