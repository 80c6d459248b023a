import Foundation
import GRDB

/// Leases, attempts, timers and concurrency slots: what lets several processes share one database without running an
/// execution twice, and lets a restarted process pick up where a crashed one stopped.
extension GatehouseDatabase {
    // MARK: - Leases

    /// Makes `owner` the one driver of the execution until `until`, unless a lease is still valid — also one of this
    /// same process, so two threads never drive one execution. Returns false when it is held.
    package func claimExecution(_ executionId: String, owner: String, until: Date, now: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE execution SET ownerId = ?, leaseExpiresAt = ?
                    WHERE id = ? AND (ownerId IS NULL OR leaseExpiresAt < ?)
                    """,
                arguments: [owner, until, executionId, now])
            return db.changesCount == 1
        }
    }

    /// Takes an execution over from an owner known to be dead (its process is gone), whatever its lease says.
    package func takeOverExecution(_ executionId: String, from deadOwner: String, to owner: String, until: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE execution SET ownerId = ?, leaseExpiresAt = ? WHERE id = ? AND ownerId = ?",
                arguments: [owner, until, executionId, deadOwner])
            return db.changesCount == 1
        }
    }

    package func releaseExecution(_ executionId: String, owner: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE execution SET ownerId = NULL, leaseExpiresAt = NULL WHERE id = ? AND ownerId = ?", arguments: [executionId, owner])
        }
    }

    /// Extends every lease `owner` holds; a live process calls this well before its leases run out.
    package func renewLeases(owner: String, until: Date) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE execution SET leaseExpiresAt = ? WHERE ownerId = ?", arguments: [until, owner])
        }
    }

    package func owner(of executionId: String) throws -> (owner: String, expiresAt: Date)? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT ownerId, leaseExpiresAt FROM execution WHERE id = ?", arguments: [executionId]),
                let owner: String = row["ownerId"], let expires: Date = row["leaseExpiresAt"]
            else { return nil }
            return (owner, expires)
        }
    }

    /// Executions still in progress (RUNNING, KILLING) with who holds them, for recovery after a crash.
    package func unfinishedExecutions() throws -> [(execution: ExecutionRecord, owner: String?, leaseExpiresAt: Date?)] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM execution WHERE state IN ('CREATED', 'RUNNING', 'KILLING') ORDER BY createdAt, id")
            return try rows.map { row in (try ExecutionRecord(row: row), row["ownerId"], row["leaseExpiresAt"]) }
        }
    }

    // MARK: - Attempts

    package func attempts(ofExecution executionId: String) throws -> [AttemptRecord] {
        try writer.read { db in
            try AttemptRecord.fetchAll(
                db,
                sql: """
                    SELECT attempt.* FROM attempt JOIN taskRun ON taskRun.id = attempt.taskRunId
                    WHERE taskRun.executionId = ? ORDER BY attempt.taskRunId, attempt.number
                    """,
                arguments: [executionId])
        }
    }

    // MARK: - Timers and work items

    /// Work items due at `now`, oldest first, not yet claimed by anyone: of the given kinds, or of all but them.
    package func dueWorkItems(now: Date, limit: Int = 100, kinds: [WorkItemRecord.Kind]? = nil, excluding: Bool = false) throws
        -> [WorkItemRecord]
    {
        try writer.read { db in
            var request = WorkItemRecord.filter(Column("claimedBy") == nil && Column("dueAt") <= now)
            if let kinds {
                let names = kinds.map(\.rawValue)
                request = request.filter(excluding ? !names.contains(Column("kind")) : names.contains(Column("kind")))
            }
            return try request.order(Column("dueAt"), Column("id")).limit(limit).fetchAll(db)
        }
    }

    /// How many executions are in each state, for `/metrics`.
    package func executionCountsByState() throws -> [String: Int] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM execution GROUP BY state") {
                counts[row["state"]] = row["count"]
            }
            return counts
        }
    }

    /// How many work items are due and not taken: a growing number means the workers cannot keep up.
    package func dueWorkItemCount(now: Date) throws -> Int {
        try writer.read { db in try WorkItemRecord.filter(Column("claimedBy") == nil && Column("dueAt") <= now).fetchCount(db) }
    }

    /// When the next unclaimed work item falls due, if any.
    package func nextDueDate() throws -> Date? {
        try writer.read { db in
            try Date.fetchOne(db, sql: "SELECT MIN(dueAt) FROM workItem WHERE claimedBy IS NULL")
        }
    }

    package func workItems(ofExecution executionId: String) throws -> [WorkItemRecord] {
        try writer.read { db in try WorkItemRecord.filter(Column("executionId") == executionId).order(Column("id")).fetchAll(db) }
    }

    /// Removes a work item; false when another process removed it first, so each item is acted on once.
    package func takeWorkItem(_ id: Int64) throws -> Bool {
        try writer.write { db in try WorkItemRecord.deleteOne(db, key: id) }
    }

    // MARK: - Timed decisions on pauses

    /// Applies a pause timer exactly once: only while the execution is PAUSED on that very task run and nobody has
    /// decided yet. The timer is consumed either way. Returns the execution, now RUNNING, or nil when the timer is stale.
    package func resumeByTimer(
        _ item: WorkItemRecord,
        decision: String,
        comment: String,
        at date: Date,
        histories: (ExecutionRecord) -> String
    ) throws -> ExecutionRecord? {
        try writer.write { db in
            guard let id = item.id, try WorkItemRecord.deleteOne(db, key: id), let executionId = item.executionId, let taskRunId = item.taskRunId,
                var execution = try ExecutionRecord.fetchOne(db, key: executionId), execution.state == "PAUSED",
                let taskRun = try TaskRunRecord.fetchOne(db, key: taskRunId), taskRun.state == "PAUSED",
                try ApprovalRecord.filter(Column("taskRunId") == taskRunId && Column("decisive") == true).fetchCount(db) == 0
            else { return nil }
            execution.state = "RUNNING"
            execution.histories = histories(execution)
            execution.endedAt = nil
            try execution.update(db)
            var approval = ApprovalRecord(
                executionId: executionId, taskRunId: taskRunId, decision: decision, decidedBy: "gatehouse", comment: comment, decidedAt: date)
            try approval.insert(db)
            try Self.appendAuditEvent(
                db, actor: "gatehouse", action: "execution.resumed", executionId: executionId,
                details: ["decision": decision, "taskRun": taskRunId, "comment": comment], at: date)
            return execution
        }
    }

    // MARK: - Concurrency

    /// Stores a new execution, deciding inside the same transaction whether it may run: `admit` gets the number of the
    /// flow's executions that hold a slot (CREATED, RUNNING, PAUSED, KILLING) and returns the record to store, whose
    /// state may be QUEUED, CANCELLED or FAILED instead. Two submissions at once can never both take the last slot.
    package func createExecution(
        _ execution: ExecutionRecord,
        actor: String,
        details: [String: String] = [:],
        admit: (Int) -> ExecutionRecord
    ) throws -> ExecutionRecord {
        try writer.write { db in try Self.insertAdmitted(execution, actor: actor, details: details, admit: admit, db) }
    }

    static func insertAdmitted(
        _ execution: ExecutionRecord, actor: String, details: [String: String], admit: (Int) -> ExecutionRecord, _ db: Database
    ) throws -> ExecutionRecord {
        let active = try Self.activeCount(db, namespace: execution.namespace, flowId: execution.flowId)
        let admitted = admit(active)
        try admitted.insert(db)
        var audit: [String: Any] = details
        // SECRET inputs are sealed in the record; the audit log keeps neither their value nor its ciphertext.
        audit["inputs"] = SealedValue.redacted(json: admitted.inputs) ?? [:]
        audit["flow"] = "\(admitted.namespace).\(admitted.flowId)"
        audit["revision"] = String(admitted.flowRevision)
        audit["state"] = admitted.state
        try Self.appendAuditEvent(db, actor: actor, action: "execution.created", executionId: admitted.id, details: audit, at: admitted.createdAt)
        return admitted
    }

    /// Moves the oldest QUEUED execution of a flow to CREATED when a slot is free; returns it, or nil.
    package func dequeue(namespace: String, flowId: String, limit: Int, histories: (ExecutionRecord) -> String) throws -> ExecutionRecord? {
        try writer.write { db in
            guard try Self.activeCount(db, namespace: namespace, flowId: flowId) < limit,
                var next =
                    try ExecutionRecord
                    .filter(Column("namespace") == namespace && Column("flowId") == flowId && Column("state") == "QUEUED")
                    .order(Column("createdAt"), Column("id")).fetchOne(db)
            else { return nil }
            next.state = "CREATED"
            next.histories = histories(next)
            try next.update(db)
            try Self.appendAuditEvent(db, actor: "gatehouse", action: "execution.dequeued", executionId: next.id, details: ["state": "CREATED"])
            return next
        }
    }

    /// Flows that have executions waiting in the queue.
    package func queuedFlows() throws -> [(namespace: String, flowId: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT namespace, flowId FROM execution WHERE state = 'QUEUED'").map {
                ($0["namespace"], $0["flowId"])
            }
        }
    }

    private static func activeCount(_ db: Database, namespace: String, flowId: String) throws -> Int {
        try ExecutionRecord
            .filter(Column("namespace") == namespace && Column("flowId") == flowId)
            .filter(["CREATED", "RUNNING", "PAUSED", "KILLING"].contains(Column("state")))
            .fetchCount(db)
    }

    // MARK: - Kill

    /// Asks for an execution to be killed. A running one moves to KILLING and its driver stops it; anything not running
    /// (paused, queued, waiting for a retry with nobody driving it) is the caller's to finish. Returns the new record.
    package func requestKill(_ executionId: String, by actor: String, at date: Date, histories: (ExecutionRecord) -> String) throws
        -> ExecutionRecord
    {
        try writer.write { db in
            guard var execution = try ExecutionRecord.fetchOne(db, key: executionId) else { throw StoreError.executionNotFound(executionId) }
            guard ["CREATED", "QUEUED", "RUNNING", "PAUSED"].contains(execution.state) else {
                throw StoreError.notKillable(executionId: executionId, state: execution.state)
            }
            execution.state = "KILLING"
            execution.histories = histories(execution)
            execution.error = "killed by \(actor)"
            try execution.update(db)
            try Self.appendAuditEvent(db, actor: actor, action: "execution.killing", executionId: executionId, details: [:], at: date)
            return execution
        }
    }

    package func executionState(_ executionId: String) throws -> String? {
        try writer.read { db in try String.fetchOne(db, sql: "SELECT state FROM execution WHERE id = ?", arguments: [executionId]) }
    }
}
