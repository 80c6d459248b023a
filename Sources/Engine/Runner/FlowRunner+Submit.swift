import FlowModel
import Foundation
import Pebble
import Store

/// Starting an execution from the portal or the API: the request is stored with a `start` work item and the worker
/// drives it, so the person's request returns at once instead of waiting for `terraform plan`.
extension FlowRunner {
    /// Resolves the inputs of a deployed flow as a form shows them: per-field values, enabled flags and errors.
    package func resolveInputs(of deployed: DeployedFlow, submitted: [String: SubmittedInput]) -> InputResolution {
        InputResolver(engine: engine).resolve(deployed.flow.inputs, submitted: submitted, context: flowContext(deployed))
    }

    /// Stores a new execution of `deployed` for `requester` when `resolution` is valid; throws `invalidInputs` otherwise,
    /// storing nothing. The execution may come back QUEUED, CANCELLED or FAILED under the flow's concurrency limit.
    /// `id` is given when uploaded files were stored for the execution before it existed.
    package func submit(_ deployed: DeployedFlow, resolution: InputResolution, requester: String, id: String? = nil) throws -> ExecutionRecord {
        guard resolution.isValid else { throw RunError.invalidInputs(resolution.errors) }
        let now = clock()
        let execution = newExecution(
            of: deployed.flow, revision: deployed.revision, inputs: try sealed(resolution), requester: requester, username: requester,
            id: id ?? ExecutionID.generate().rawValue, at: now)
        let flow = deployed.flow
        let stored = try database.createTriggered([
            TriggeredExecution(execution: execution, actor: requester) { active in Self.admit(execution, flow: flow, active: active, at: now) }
        ])
        guard let created = stored.first else { throw RunError.executionNotFound(execution.id) }
        return created
    }

    func flowContext(_ deployed: DeployedFlow) -> PebbleMap {
        PebbleMap([
            (
                "flow",
                .map(
                    PebbleMap([
                        ("id", .string(deployed.flow.id)), ("namespace", .string(deployed.flow.namespace)),
                        ("revision", .int(Int64(deployed.revision))),
                    ]))
            ),
            ("vars", .map(PebbleMap(deployed.flow.variables.map { ($0.key, PebbleValue($0.value)) }))),
        ])
    }
}
