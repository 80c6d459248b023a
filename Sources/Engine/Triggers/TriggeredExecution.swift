import FlowModel
import Foundation
import Pebble
import Store

/// What every trigger does once it decided to fire: render the trigger's `inputs`, resolve them like a person's, and
/// describe the execution to store. Invalid inputs do not stop the firing: as in Kestra, the execution is created
/// FAILED with the errors, so a broken schedule is visible instead of silent.
extension FlowRunner {
    func triggeredExecution(
        of deployed: DeployedFlow, trigger: Trigger, variables triggerVariables: PebbleMap, renderContext: PebbleMap = PebbleMap(), at now: Date
    ) -> TriggeredExecution {
        let flow = deployed.flow
        var triggerValue = triggerVariables
        triggerValue["id"] = .string(trigger.id)
        triggerValue["type"] = .string(trigger.type.canonicalName)
        var context = renderContext
        context["trigger"] = .map(triggerValue)
        if context["flow"] == nil {
            context["flow"] = .map(
                PebbleMap([("id", .string(flow.id)), ("namespace", .string(flow.namespace)), ("revision", .int(Int64(deployed.revision)))]))
        }

        var submitted: [String: SubmittedInput] = [:]
        var problems: [String] = []
        for entry in trigger.inputs {
            do {
                let rendered = try CoreTasks.render(PebbleValue(entry.value), engine: engine, variables: context)
                if case .string(let text) = rendered {
                    submitted[entry.key] = .text(text)
                } else if rendered != .null {
                    submitted[entry.key] = .text(rendered.json)
                }
            } catch {
                problems.append("Invalid input for `\(entry.key)`, cannot render the trigger's value: \(error)")
            }
        }
        let resolution = InputResolver(engine: engine).resolve(flow.inputs, submitted: submitted)
        problems += resolution.errors
        var inputs = PebbleMap()
        do {
            inputs = try sealed(resolution)
        } catch {
            problems.append("\(error)")
        }
        let requester = "\(trigger.type.rawValue):\(flow.namespace).\(flow.id).\(trigger.id)"
        var execution = newExecution(
            of: flow, revision: deployed.revision, inputs: inputs, requester: requester, username: nil,
            trigger: .map(triggerValue), extraLabels: trigger.labels, at: now)
        if !problems.isEmpty {
            execution.state = "FAILED"
            execution.error = secrets.masker.mask("trigger `\(trigger.id)` could not start the flow: " + problems.joined(separator: "; "))
            execution.endedAt = now
            execution.histories = StateHistory.appending("FAILED", to: execution.histories, at: now)
        }
        let admitted = execution
        return TriggeredExecution(execution: execution, actor: requester, details: ["trigger": trigger.id]) { active in
            admitted.state == "CREATED" ? Self.admit(admitted, flow: flow, active: active, at: now) : admitted
        }
    }
}
