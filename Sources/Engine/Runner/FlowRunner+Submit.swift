import FlowModel
import Foundation
import Pebble
import Store

/// Starting an execution from the portal or the API: the request is stored with a `start` work item and the worker
/// drives it, so the person's request returns at once instead of waiting for `terraform plan`.
extension FlowRunner {
    /// Resolves the inputs of a deployed flow as a form shows them: per-field values, enabled flags and errors.
    package func resolveInputs(of deployed: DeployedFlow, submitted: [String: SubmittedInput]) -> InputResolution {
        var resolution = InputResolver(engine: engine).resolve(deployed.flow.inputs, submitted: submitted, context: flowContext(deployed))
        // A provision flow's VM name must be free: two live VMs of one name would be one too many to tell apart.
        let isProvision = Self.vmKind(deployed.flow) == "provision"
        if isProvision, let index = resolution.inputs.firstIndex(where: { $0.id == "name" }), resolution.inputs[index].isValid,
            let name = resolution.inputs[index].value?.stringValue, (try? VMInventory(database: database).isNameTaken(name)) == true
        {
            resolution.inputs[index].errors.append("Invalid input for `name`, a live VM is already called `\(name)`; pick another name")
        }
        if Self.vmKind(deployed.flow) == "destroy", let index = resolution.inputs.firstIndex(where: { $0.id == "request_id" }),
            resolution.inputs[index].isValid, let request = resolution.inputs[index].value?.stringValue,
            (try? VMInventory(database: database).live().contains { $0.requestId == request }) != true
        {
            resolution.inputs[index].errors.append("Invalid input for `request_id`, no live VM was created by request `\(request)`")
        }
        return resolution
    }

    static func vmKind(_ flow: Flow) -> String? {
        flow.labels.first { $0.key == VMInventory.kindLabel }?.value
    }

    /// A destroy request carries the VM's owner and name as labels, so the flow can skip approval for the owner.
    func vmLabels(_ flow: Flow, resolution: InputResolution) -> [Label] {
        guard Self.vmKind(flow) == "destroy", let request = resolution.values["request_id"]?.stringValue,
            let vm = try? VMInventory(database: database).live().first(where: { $0.requestId == request })
        else { return [] }
        return [Label(key: "gatehouse.vm-owner", value: vm.requester), Label(key: "gatehouse.vm-name", value: vm.name)]
    }

    /// Stores a new execution of `deployed` for `requester` when `resolution` is valid; throws `invalidInputs` otherwise,
    /// storing nothing. The execution may come back QUEUED, CANCELLED or FAILED under the flow's concurrency limit.
    /// `id` is given when uploaded files were stored for the execution before it existed.
    /// `byPerson` false marks Gatehouse's own executions (the TTL reaper's), which carry no `system.username`.
    package func submit(
        _ deployed: DeployedFlow, resolution: InputResolution, requester: String, id: String? = nil, byPerson: Bool = true
    ) throws -> ExecutionRecord {
        guard resolution.isValid else { throw RunError.invalidInputs(resolution.errors) }
        let now = clock()
        let execution = newExecution(
            of: deployed.flow, revision: deployed.revision, inputs: try sealed(resolution), requester: requester,
            username: byPerson ? requester : nil,
            extraLabels: vmLabels(deployed.flow, resolution: resolution), id: id ?? ExecutionID.generate().rawValue, at: now)
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
            ("envs", .map(settings.envs)),
            ("kestra", .map(settings.kestra)),
        ])
    }
}
