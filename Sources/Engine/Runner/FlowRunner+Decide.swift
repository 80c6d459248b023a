import FlowModel
import Foundation
import Pebble
import Store

/// Approving and rejecting paused executions. The rules live here, not in the pages, so the portal, the API and the
/// CLI cannot differ: the requester never decides their own execution, only the flow's approvers decide, a quorum needs
/// distinct people, a rejection says why, and an approval is bound to the SHA-256 of the plan it was shown.
extension FlowRunner {
    /// Resumes a paused execution as the CLI's operator, who holds every role (the four-eyes rule still applies).
    package func resume(
        executionId: String,
        inputs submitted: [String: SubmittedInput],
        decidedBy: String,
        approve: Bool = true,
        comment: String? = nil,
        driveNow: Bool = true,
        log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }
    ) throws -> ExecutionRecord {
        try decide(
            executionId: executionId, inputs: submitted, decider: Decider(name: decidedBy, roles: ["admin"]), approve: approve,
            comment: comment, driveNow: driveNow, log: log)
    }

    /// Records one person's approval or rejection. Returns the execution: still PAUSED while a quorum waits for more
    /// approvers, else as driven on (or RUNNING, when `driveNow` is false and a worker takes it from here).
    package func decide(
        executionId: String,
        inputs submitted: [String: SubmittedInput],
        decider: Decider,
        approve: Bool,
        comment: String? = nil,
        shownPlanSHA256: String? = nil,
        driveNow: Bool = true,
        log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }
    ) throws -> ExecutionRecord {
        let pending = try pendingApproval(executionId)
        let policy = try policy(of: pending.flow)
        guard pending.execution.requester != decider.name else {
            throw RunError.refused("Execution '\(executionId)' was requested by you; someone else must decide it (four-eyes rule)")
        }
        guard policy.allows(decider) else {
            throw RunError.refused(
                "\(decider.name) may not decide executions of \(pending.flow.namespace).\(pending.flow.id); its approvers are "
                    + policy.approversText)
        }
        let reason = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !approve, reason.isEmpty { throw RunError.refused("A rejection needs a comment saying why") }
        var resumeInputs = PebbleMap()
        var plan: PlanEvidence?
        if approve {
            let resolution = InputResolver(engine: engine).resolve(pending.task.onResume, submitted: submitted)
            guard resolution.isValid else { throw RunError.invalidInputs(resolution.errors) }
            resumeInputs = Self.masked(resolution)
            plan = try checkedPlan(pending, shown: shownPlanSHA256)
        }
        let now = clock()
        let decision = Decision(
            executionId: executionId, taskRunId: pending.taskRun.id, decision: approve ? "APPROVED" : "REJECTED", decidedBy: decider.name,
            comment: reason.isEmpty ? nil : reason, inputs: PebbleValue.map(resumeInputs).json, planSHA256: plan?.sha256,
            planFile: plan?.uri, quorum: policy.quorum)
        // A flow with `afterExecution` tasks tells its requester itself (the shipped Hetzner flows do); one message is enough.
        let tellsItself = !pending.flow.afterExecution.isEmpty
        let notices =
            approve || tellsItself ? [] : [ApprovalNotice.rejected(executionId: executionId, by: decider.name, reason: reason, at: now)]
        let outcome: DecisionOutcome
        do {
            outcome = try database.recordDecision(
                decision, notices: notices, histories: { StateHistory.appending("RUNNING", to: $0.histories, at: now) }, at: now)
        } catch StoreError.refused(let message) {
            throw RunError.refused(message)
        } catch let error as StoreError {
            throw RunError.notPaused(error.description)
        }
        guard case .decided(let resumed) = outcome else { return try database.execution(executionId) ?? pending.execution }
        guard driveNow else {
            // The web and the API answer at once; the worker runs on (an apply can take minutes).
            try database.record(timers: [WorkItemRecord(kind: .start, executionId: executionId, taskRunId: nil, dueAt: now)])
            return resumed
        }
        return try drive(resumed, flow: pending.flow, log: log)
    }

    /// What a paused execution waits for: its flow, the paused task run and its Pause task.
    package struct PendingApproval: Sendable {
        package let execution: ExecutionRecord
        package let flow: Flow
        package let taskRun: TaskRunRecord
        package let task: FlowModel.Task
        package let runs: [TaskRunRecord]
    }

    package func pendingApproval(_ executionId: String) throws -> PendingApproval {
        guard let execution = try database.execution(executionId) else { throw RunError.executionNotFound(executionId) }
        let flow = try flow(of: execution)
        let runs = try database.taskRuns(of: executionId)
        guard execution.state == "PAUSED", let paused = runs.last(where: { $0.state == "PAUSED" }),
            let pauseTask = flow.allTasks.first(where: { $0.id == paused.taskId })
        else {
            throw RunError.notPaused("Execution '\(executionId)' is not paused, can't resume it (it is \(execution.state))")
        }
        return PendingApproval(execution: execution, flow: flow, taskRun: paused, task: pauseTask, runs: runs)
    }

    /// The flow's approval policy; a policy that cannot be read lets nobody decide rather than everybody.
    package func policy(of flow: Flow) throws -> ApprovalPolicy {
        do {
            return try ApprovalPolicy(flow: flow, environment: settings.environment)
        } catch {
            throw RunError.refused("The approval policy of \(flow.namespace).\(flow.id) is invalid: \(error)")
        }
    }

    /// The plan the approver of a pending execution is shown, if a task before the pause saved one.
    package func planEvidence(_ pending: PendingApproval) -> PlanEvidence? {
        ApprovedPlan.evidence(
            before: pending.taskRun, in: pending.runs, execution: pending.execution, storage: FileStorage(dataDirectory: settings.dataDirectory))
    }

    /// The plan to bind the approval to, after checking the stored file is what Terraform wrote and what the approver saw.
    private func checkedPlan(_ pending: PendingApproval, shown: String?) throws -> PlanEvidence? {
        guard let plan = planEvidence(pending) else { return nil }
        guard plan.isIntact, let current = plan.sha256 else {
            throw RunError.refused(
                "The stored plan of task \(plan.taskId) is not the file Terraform wrote (its SHA-256 differs or it is gone); it cannot be approved")
        }
        if let shown, shown != current {
            throw RunError.refused("The plan changed after you opened the page; review the new plan and decide again")
        }
        return plan
    }
}
