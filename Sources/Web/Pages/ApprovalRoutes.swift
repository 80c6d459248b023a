import Engine
import FlowModel
import Foundation
import Hummingbird
import Pebble
import Store

/// The approvals inbox and the Approve and Reject posts of the execution page's approval panel. Who may is the flow's
/// approval policy (role, SSO group or user), not the approver role alone: the inbox is for approvers and anyone a
/// policy names, the posts for whoever may see the paused execution (``ExecutionRoutes/canSee``), and the engine
/// decides whether the person may decide; a refusal comes back on the page with its reason.
struct ApprovalRoutes: Sendable {
    let runner: FlowRunner
    let catalog: FlowCatalog
    let views: Views
    let executions: ExecutionRoutes
    let badge: ApprovalBadge

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/approvals") { _, context in
            let user = try signedIn(context)
            let now = runner.clock()
            let awaiting = try Self.awaiting(user, runner: runner)
            // Someone no flow names sees the same refusal the approver role used to give.
            guard !awaiting.isEmpty || ApprovalAccess.isApprover(user, catalog: catalog, runner: runner) else {
                throw HTTPError(.forbidden, message: "This page needs the role approver or a flow naming you as an approver.")
            }
            let rows = awaiting.map { item -> [String: Any] in
                let execution = item.pending.execution
                return [
                    "id": execution.id, "flow": "\(execution.namespace).\(execution.flowId)", "requester": execution.requester,
                    "age": DurationText.short(now.timeIntervalSince(execution.createdAt)),
                    "created": ISO8601.format(execution.createdAt), "inputs": Self.keyInputs(execution), "cost": item.cost ?? "",
                ]
            }
            return views.page("approvals", title: "Approvals", context: context, data: ["rows": rows, "hasRows": !rows.isEmpty])
        }
        group.post("/executions/{id}/approve") { request, context in
            try await decide(request, context, approve: true)
        }
        group.post("/executions/{id}/reject") { request, context in
            try await decide(request, context, approve: false)
        }
    }

    private func decide(_ request: Request, _ context: GatehouseRequestContext, approve: Bool) async throws -> Response {
        let execution = try executions.visibleExecution(context)
        let user = try signedIn(context)
        let form = try await FormFields.read(request)
        let pending: FlowRunner.PendingApproval
        do {
            pending = try runner.pendingApproval(execution.id)
        } catch let error as RunError {
            throw HTTPError(.conflict, message: error.description)
        }
        let submitted = approve ? FormFieldView.submissions(form, declarations: pending.task.onResume) : [:]
        do {
            _ = try runner.decide(
                executionId: execution.id, inputs: submitted, decider: user.decider, approve: approve, comment: form["_comment"],
                shownPlanSHA256: form["_planSHA256"].flatMap { $0.isEmpty ? nil : $0 }, driveNow: false)
            badge.reset()
            return Views.redirect(to: "/executions/\(execution.id)")
        } catch RunError.invalidInputs {
            let resolution = InputResolver(engine: runner.engine).resolve(pending.task.onResume, submitted: submitted)
            let panel = ApprovalPanel(runner: runner).data(for: execution, user: user, resolution: resolution, showErrors: true)
            return try executions.page(execution, request: request, context: context, approval: panel, status: .unprocessableContent)
        } catch RunError.refused(let reason) {
            let panel = ApprovalPanel(runner: runner).data(for: execution, user: user, problem: reason)
            return try executions.page(execution, request: request, context: context, approval: panel, status: .forbidden)
        } catch RunError.notPaused(let reason) {
            throw HTTPError(.conflict, message: reason)
        }
    }

    private func signedIn(_ context: GatehouseRequestContext) throws -> SignedInUser {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    /// Paused executions this person may decide now, oldest first: not their own, their flow's policy names them, and
    /// they have not approved yet.
    static func awaiting(_ user: SignedInUser, runner: FlowRunner, limit: Int = 500) throws -> [(pending: FlowRunner.PendingApproval, cost: String?)]
    {
        try runner.database.executions(state: "PAUSED", limit: limit).reversed().compactMap { execution in
            guard execution.requester != user.name, let pending = try? runner.pendingApproval(execution.id),
                let policy = try? runner.policy(of: pending.flow), policy.allows(user.decider),
                try !runner.database.approvals(ofTaskRun: pending.taskRun.id).contains(where: { $0.decidedBy == user.name })
            else { return nil }
            return (pending, ApprovalPanel.monthlyCost(pending))
        }
    }

    /// The first few inputs, secrets left out, as one line.
    static func keyInputs(_ execution: ExecutionRecord) -> String {
        ExecutionRoutes.pairs(SecretInputCipher.redacted(PebbleValue.storedJSON(execution.inputs))).prefix(4)
            .map { "\($0["name"] ?? "")=\($0["value"] ?? "")" }.joined(separator: ", ")
    }
}
