import Engine
import FlowModel
import Foundation
import Store

/// Who may see and decide a paused execution, for the pages and the API. The flow's approval policy decides (the
/// engine's `ApprovalPolicy.allows`, which `FlowRunner.decide` enforces again), not the `approver` role alone: a policy
/// may name `user:carol` or `group:platform-leads`, and an approver it does not name has no business with the inputs.
enum ApprovalAccess {
    /// Whether the flow's policy names this person for this paused execution; false once it is no longer paused, and for
    /// a policy that cannot be read (nobody may decide then, as in the engine).
    static func policyNames(_ user: SignedInUser, _ execution: ExecutionRecord, runner: FlowRunner) -> Bool {
        guard execution.state == "PAUSED", let pending = try? runner.pendingApproval(execution.id),
            let policy = try? runner.policy(of: pending.flow)
        else { return false }
        return policy.allows(user.decider)
    }

    /// Whether this person may decide this execution now: the policy names them and it is not their own (four eyes).
    static func mayDecide(_ user: SignedInUser, _ execution: ExecutionRecord, runner: FlowRunner) -> Bool {
        execution.requester != user.name && policyNames(user, execution, runner: runner)
    }

    /// Whether the inbox and its navigation link are for this person: approvers, and anyone a deployed flow's policy
    /// names (by user or group). Checking the deployed flows' labels is cheap; counting paused executions is not, so
    /// the badge is counted only for them.
    static func isApprover(_ user: SignedInUser, catalog: FlowCatalog, runner: FlowRunner) -> Bool {
        user.has(.approver)
            || catalog.deployed.contains { deployed in (try? runner.policy(of: deployed.flow))?.allows(user.decider) == true }
    }
}
