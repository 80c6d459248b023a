import Crypto
import Foundation
import GRDB

/// Why a write was refused; cases callers can match and messages people can read.
package enum StoreError: Error, Equatable, CustomStringConvertible {
    case executionNotFound(String)
    /// Kestra's wording for resuming something that is not waiting (ExecutionController).
    case notPaused(executionId: String, state: String)
    case notKillable(executionId: String, state: String)
    /// The execution was asked to be killed while this change was on its way; the driver ends it as KILLED instead.
    case killRequested
    /// Another process already fired this schedule for that time, or took this work item.
    case alreadyFired
    /// A rule forbids the change (the four-eyes rule, a second vote by the same approver); the text says which.
    case refused(String)

    package var description: String {
        switch self {
        case .executionNotFound(let id): "Execution '\(id)' not found"
        case .notPaused(let id, let state): "Execution '\(id)' is not paused, can't resume it (it is \(state))"
        case .notKillable(let id, let state): "Execution '\(id)' has already ended (\(state)); there is nothing to kill"
        case .killRequested: "the execution is being killed"
        case .alreadyFired: "another process already did this"
        case .refused(let reason): reason
        }
    }
}

/// Writes and reads of executions, task runs, logs and approvals. Every state change is one transaction that also
/// appends its audit event.
extension GatehouseDatabase {
    /// Stores `source` as the flow's next revision, unless it is identical to the latest one, which is returned.
    package func deployFlow(namespace: String, flowId: String, source: String, deployedBy: String, at date: Date = Date()) throws
        -> FlowRevisionRecord
    {
        let digest = SHA256.hash(data: Data(source.utf8)).map { String(format: "%02x", $0) }.joined()
        return try writer.write { db in
            let latest =
                try FlowRevisionRecord
                .filter(Column("namespace") == namespace && Column("flowId") == flowId)
                .order(Column("revision").desc)
                .fetchOne(db)
            if let latest, latest.sourceSHA256 == digest { return latest }
            let record = FlowRevisionRecord(
                namespace: namespace, flowId: flowId, revision: (latest?.revision ?? 0) + 1, source: source, sourceSHA256: digest,
                deployedBy: deployedBy, deployedAt: date
            )
            try record.insert(db)
            let diff = LineDiff.unified(
                old: latest?.source ?? "", new: source, oldName: latest.map { "revision \($0.revision)" } ?? "(none)",
                newName: "revision \(record.revision)")
            try Self.appendAuditEvent(
                db, actor: deployedBy, action: "flow.deployed",
                details: ["namespace": namespace, "flow": flowId, "revision": String(record.revision), "sha256": digest, "diff": diff], at: date
            )
            return record
        }
    }

    package func flowRevision(namespace: String, flowId: String, revision: Int) throws -> FlowRevisionRecord? {
        try writer.read { db in try FlowRevisionRecord.fetchOne(db, key: ["namespace": namespace, "flowId": flowId, "revision": revision]) }
    }

    package func createExecution(_ execution: ExecutionRecord, actor: String, details: [String: String] = [:]) throws {
        try writer.write { db in
            try execution.insert(db)
            var audit: [String: Any] = details
            audit["flow"] = "\(execution.namespace).\(execution.flowId)"
            audit["revision"] = String(execution.flowRevision)
            audit["inputs"] = SealedValue.redacted(json: execution.inputs) ?? [:]
            try Self.appendAuditEvent(
                db, actor: actor, action: "execution.created", executionId: execution.id, details: audit, at: execution.createdAt)
        }
    }

    /// Saves task runs and log lines, and the execution's new state with its audit event, all at once.
    package func record(
        execution: ExecutionRecord? = nil,
        unlessKilling: Bool = false,
        taskRuns: [TaskRunRecord] = [],
        attempts: [AttemptRecord] = [],
        logs: [LogLineRecord] = [],
        timers: [WorkItemRecord] = [],
        consumingTimersOf consumed: String? = nil,
        audit: (actor: String, action: String, details: [String: String])? = nil
    ) throws {
        try writer.write { db in
            for taskRun in taskRuns { try taskRun.save(db) }
            for attempt in attempts { try attempt.save(db) }
            if let consumed { try WorkItemRecord.filter(Column("taskRunId") == consumed).deleteAll(db) }
            for var timer in timers { try timer.insert(db) }
            for var line in logs { try line.insert(db) }
            if let execution {
                // A kill that arrived meanwhile (or was already finished by another process) wins over this change.
                if unlessKilling,
                    ["KILLING", "KILLED"].contains(
                        try String.fetchOne(db, sql: "SELECT state FROM execution WHERE id = ?", arguments: [execution.id]))
                {
                    throw StoreError.killRequested
                }
                try execution.update(db)
            }
            if let audit {
                try Self.appendAuditEvent(db, actor: audit.actor, action: audit.action, executionId: execution?.id, details: audit.details)
            }
        }
    }

    package func deleteWorkItems(ofExecution executionId: String) throws {
        try writer.write { db in
            // Flow triggers and notices (a rejection's message to the requester) still go out after the execution ended.
            let kept = [WorkItemRecord.Kind.flowTrigger.rawValue, WorkItemRecord.Kind.notice.rawValue]
            _ = try WorkItemRecord.filter(Column("executionId") == executionId && !kept.contains(Column("kind")))
                .deleteAll(db)
        }
    }

    package func execution(_ id: String) throws -> ExecutionRecord? {
        try writer.read { db in try ExecutionRecord.fetchOne(db, key: id) }
    }

    package func taskRuns(of executionId: String) throws -> [TaskRunRecord] {
        try writer.read { db in
            try TaskRunRecord.filter(Column("executionId") == executionId).order(Column("createdAt"), Column("id")).fetchAll(db)
        }
    }

    package func logs(of executionId: String, after id: Int64 = 0) throws -> [LogLineRecord] {
        try writer.read { db in
            try LogLineRecord.filter(Column("executionId") == executionId && Column("id") > id).order(Column("id")).fetchAll(db)
        }
    }

    package func approvals(of executionId: String) throws -> [ApprovalRecord] {
        try writer.read { db in try ApprovalRecord.filter(Column("executionId") == executionId).order(Column("id")).fetchAll(db) }
    }

    /// What to select executions by; nil fields do not filter.
    package struct ExecutionFilter: Sendable {
        package var state: String?
        package var requester: String?
        package var namespace: String?
        package var flowId: String?

        package init(state: String? = nil, requester: String? = nil, namespace: String? = nil, flowId: String? = nil) {
            self.state = state
            self.requester = requester
            self.namespace = namespace
            self.flowId = flowId
        }

        func apply(_ request: QueryInterfaceRequest<ExecutionRecord>) -> QueryInterfaceRequest<ExecutionRecord> {
            var request = request
            if let state { request = request.filter(Column("state") == state) }
            if let requester { request = request.filter(Column("requester") == requester) }
            if let namespace { request = request.filter(Column("namespace") == namespace) }
            if let flowId { request = request.filter(Column("flowId") == flowId) }
            return request
        }
    }

    /// Executions, newest first, optionally in one state or of one requester; `before` pages by (createdAt, id).
    package func executions(
        state: String? = nil, requester: String? = nil, before: (date: Date, id: String)? = nil, limit: Int = 100
    ) throws -> [ExecutionRecord] {
        try writer.read { db in
            var request = ExecutionFilter(state: state, requester: requester).apply(
                ExecutionRecord.order(Column("createdAt").desc, Column("id").desc))
            if let before {
                request = request.filter(
                    Column("createdAt") < before.date || (Column("createdAt") == before.date && Column("id") < before.id))
            }
            return try request.limit(limit).fetchAll(db)
        }
    }

    /// One page of the executions matching `filter`, newest first, with how many match in all.
    package func executions(matching filter: ExecutionFilter, offset: Int, limit: Int) throws -> (total: Int, page: [ExecutionRecord]) {
        try writer.read { db in
            let request = filter.apply(ExecutionRecord.all())
            let page = try request.order(Column("createdAt").desc, Column("id").desc).limit(limit, offset: offset).fetchAll(db)
            return (try request.fetchCount(db), page)
        }
    }
}
