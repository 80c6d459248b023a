import Engine
import FlowModel
import Foundation
import Pebble
import Store

/// The execution page's approval panel: what the execution waits for, the Terraform plan of the task before the pause
/// with its SHA-256 and the monthly cost, who approved so far, and — for someone who may decide — the `onResume` form
/// with Approve and Reject. Whether a person may decide is the engine's rule; the panel only explains it.
struct ApprovalPanel {
    let runner: FlowRunner

    /// The panel's values, or nil when the execution waits for nobody this user may see deciding.
    func data(
        for execution: ExecutionRecord, user: SignedInUser, resolution: InputResolution? = nil, showErrors: Bool = false, problem: String? = nil
    ) -> [String: Any]? {
        guard execution.state == "PAUSED", let pending = try? runner.pendingApproval(execution.id) else { return nil }
        let votes = (try? runner.database.approvals(ofTaskRun: pending.taskRun.id)) ?? []
        var data: [String: Any] = [
            "task": pending.taskRun.taskId, "descriptionHTML": Views.optional(SafeMarkdown.html(pending.task.description ?? "", headingLevel: 3)),
            "approvedBy": votes.map(\.decidedBy).joined(separator: ", "), "hasVotes": !votes.isEmpty,
        ]
        let policy: ApprovalPolicy
        do {
            policy = try runner.policy(of: pending.flow)
        } catch {
            data["whyNot"] = "\(error)"
            return data
        }
        data["approvers"] = policy.approversText
        data["quorum"] = policy.quorum
        data["hasQuorum"] = policy.quorum > 1
        data["approvals"] = votes.count
        if let plan = runner.planEvidence(pending) { data["plan"] = Self.plan(plan) }
        if let cost = Self.monthlyCost(pending) { data["cost"] = cost }
        if let problem { data["problem"] = problem }
        if user.name == execution.requester {
            data["whyNot"] = "You requested this, so someone else must decide it (four-eyes rule)."
        } else if !policy.allows(user.decider) {
            data["whyNot"] = "You are not among this flow's approvers (\(policy.approversText))."
        } else if votes.contains(where: { $0.decidedBy == user.name }) {
            data["whyNot"] = "You approved it; it waits for \(policy.quorum - votes.count) more approver(s)."
        } else {
            let resolved = resolution ?? InputResolver(engine: runner.engine).resolve(pending.task.onResume, submitted: [:])
            data["canDecide"] = true
            data["fields"] = FormFieldView.fields(resolved.inputs, showErrors: showErrors)
            data["hasErrors"] = showErrors && !resolved.isValid
        }
        return data
    }

    /// What the plan will do, by resource address, and the hash the approval will be bound to.
    static func plan(_ plan: PlanEvidence) -> [String: Any] {
        let counts = plan.summary["counts"]?.mapValue
        let changes = (plan.summary["resourceChanges"]?.listValue ?? []).compactMap(\.mapValue).map { change -> [String: Any] in
            let actions = (change["actions"]?.listValue ?? []).compactMap(\.stringValue)
            let kind = Set(actions) == ["delete", "create"] ? "replace" : actions.first ?? "change"
            return ["address": change["address"]?.stringValue ?? "", "action": kind, "actionClass": "action-\(kind)"]
        }
        return [
            "task": plan.taskId, "changes": changes, "hasChanges": !changes.isEmpty,
            "create": counts?["create"]?.rendered ?? "0", "update": counts?["update"]?.rendered ?? "0",
            "replace": counts?["replace"]?.rendered ?? "0", "delete": counts?["delete"]?.rendered ?? "0",
            "sha256": plan.sha256 ?? "", "intact": plan.isIntact,
        ]
    }

    /// The monthly cost a task before the pause reported as its `monthlyCost` output (a script's `::{"outputs":…}::`).
    static func monthlyCost(_ pending: FlowRunner.PendingApproval) -> String? {
        for run in pending.runs.reversed() where run.id != pending.taskRun.id && run.createdAt <= pending.taskRun.createdAt {
            let outputs = PebbleValue.storedJSON(run.outputs).mapValue
            if let cost = outputs?["vars"]?.mapValue?["monthlyCost"] ?? outputs?["monthlyCost"] { return cost.stringValue ?? cost.json }
        }
        return nil
    }
}
