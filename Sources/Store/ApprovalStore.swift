import Foundation
import GRDB

/// What one person's decision on a paused execution did.
package enum DecisionOutcome: Sendable, Equatable {
    /// The approval counted; the execution stays PAUSED until `required` distinct people approved.
    case waiting(approvals: Int, required: Int)
    /// The decision ended the pause: the execution is RUNNING again (approved, or rejected and about to end KILLED).
    case decided(ExecutionRecord)
}

/// One person's decision, as the engine hands it to the store.
package struct Decision: Sendable {
    package var executionId: String
    package var taskRunId: String
    /// `APPROVED` or `REJECTED`.
    package var decision: String
    package var decidedBy: String
    package var comment: String?
    package var inputs: String?
    package var planSHA256: String?
    package var planFile: String?
    /// How many distinct people must approve; a rejection always decides.
    package var quorum: Int

    package init(
        executionId: String, taskRunId: String, decision: String, decidedBy: String, comment: String?, inputs: String?,
        planSHA256: String? = nil, planFile: String? = nil, quorum: Int = 1
    ) {
        self.executionId = executionId
        self.taskRunId = taskRunId
        self.decision = decision
        self.decidedBy = decidedBy
        self.comment = comment
        self.inputs = inputs
        self.planSHA256 = planSHA256
        self.planFile = planFile
        self.quorum = quorum
    }
}

extension StoreError {
    static func ownRequest(_ executionId: String) -> StoreError {
        .refused("Execution '\(executionId)' was requested by you; someone else must decide it (four-eyes rule)")
    }
}

extension GatehouseDatabase {
    /// Approval rows become votes: a quorum needs several people, and the engine acts only on the deciding row.
    static func addApprovalVotes(_ db: Database) throws {
        try db.alter(table: "approval") { table in
            table.add(column: "planFile", .text)
            table.add(column: "decisive", .boolean).notNull().defaults(to: true)
        }
        try db.create(index: "approval_on_taskRun", on: "approval", columns: ["taskRunId", "decisive"])
    }

    /// Records a decision on a paused execution. The checks and the change are one write transaction, so of two people
    /// deciding at once exactly one decides: the other gets `notPaused`. The requester can never decide their own
    /// execution, whoever calls; an approver counts once towards the quorum.
    /// `notices` are written with a deciding row (a rejection's message to the requester).
    package func recordDecision(
        _ decision: Decision, notices: [WorkItemRecord] = [], histories: (ExecutionRecord) -> String, at date: Date = Date()
    ) throws -> DecisionOutcome {
        try writer.write { db in
            let id = decision.executionId
            guard var execution = try ExecutionRecord.fetchOne(db, key: id) else { throw StoreError.executionNotFound(id) }
            let earlier = try ApprovalRecord.filter(Column("taskRunId") == decision.taskRunId).fetchAll(db)
            guard execution.state == "PAUSED", try TaskRunRecord.fetchOne(db, key: decision.taskRunId)?.state == "PAUSED",
                !earlier.contains(where: \.decisive)
            else { throw StoreError.notPaused(executionId: id, state: execution.state) }
            guard execution.requester != decision.decidedBy else { throw StoreError.ownRequest(id) }
            if decision.decision == "APPROVED", earlier.contains(where: { $0.decidedBy == decision.decidedBy }) {
                throw StoreError.refused("You already approved execution '\(id)'; it needs another approver")
            }
            let approvals = Set(earlier.map(\.decidedBy)).count + 1
            let decisive = decision.decision != "APPROVED" || approvals >= decision.quorum
            var approval = ApprovalRecord(
                executionId: id, taskRunId: decision.taskRunId, decision: decision.decision, decidedBy: decision.decidedBy,
                comment: decision.comment, inputs: decision.inputs, planSHA256: decision.planSHA256, planFile: decision.planFile,
                decisive: decisive, decidedAt: date)
            try approval.insert(db)
            var details = ["decision": decision.decision, "taskRun": decision.taskRunId]
            if let comment = decision.comment { details["comment"] = comment }
            if let hash = decision.planSHA256 { details["planSHA256"] = hash }
            guard decisive else {
                details["approvals"] = "\(approvals) of \(decision.quorum)"
                try Self.appendAuditEvent(db, actor: decision.decidedBy, action: "execution.approved", executionId: id, details: details, at: date)
                return .waiting(approvals: approvals, required: decision.quorum)
            }
            // The people decided first: the pause's timer and its reminders must not fire later.
            try WorkItemRecord.filter(Column("taskRunId") == decision.taskRunId).deleteAll(db)
            for var notice in notices { try notice.insert(db) }
            execution.state = "RUNNING"
            execution.histories = histories(execution)
            execution.endedAt = nil
            try execution.update(db)
            let action = decision.decision == "APPROVED" ? "execution.resumed" : "execution.rejected"
            try Self.appendAuditEvent(db, actor: decision.decidedBy, action: action, executionId: id, details: details, at: date)
            return .decided(execution)
        }
    }

    /// The approvals that count towards a task run's pending quorum.
    package func approvals(ofTaskRun taskRunId: String) throws -> [ApprovalRecord] {
        try writer.read { db in try ApprovalRecord.filter(Column("taskRunId") == taskRunId).order(Column("id")).fetchAll(db) }
    }
}

extension GatehouseDatabase {
    /// Every enabled user, for finding the people an approval notice goes to.
    package func enabledUsers() throws -> [UserRecord] {
        try writer.read { db in try UserRecord.filter(Column("disabled") == false).order(Column("name")).fetchAll(db) }
    }
}
