import FlowModel
import Foundation
import Pebble
import Store

/// Flow triggers (KESTRA.md §6): when an execution ends, flows listening for it start. The end is recorded as a
/// `flowTrigger` work item in the same transaction as the final state; the worker turns it into the downstream
/// executions and consumes it in one transaction, so a crash in between neither loses nor doubles them.
package struct FlowTriggers: Sendable {
    package let runner: FlowRunner

    package init(runner: FlowRunner) { self.runner = runner }

    /// Kestra's default `states`: every terminal state.
    static let defaultStates: Set<String> = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"]

    /// Starts the flows whose Flow triggers match the ended execution of `item`, and consumes the item. Returns the
    /// executions created; throws `alreadyFired` when another worker took the item first.
    package func fire(_ item: WorkItemRecord, flows: [DeployedFlow]) throws -> [ExecutionRecord] {
        guard let id = item.id else { return [] }
        guard let executionId = item.executionId, let upstream = try runner.database.execution(executionId) else {
            try runner.database.dropWorkItem(id)
            return []
        }
        let now = runner.clock()
        var variables = PebbleMap()
        variables["executionId"] = .string(upstream.id)
        variables["namespace"] = .string(upstream.namespace)
        variables["flowId"] = .string(upstream.flowId)
        variables["flowRevision"] = .int(Int64(upstream.flowRevision))
        variables["state"] = .string(upstream.state)
        variables["outputs"] = upstream.outputs.map(PebbleValue.storedJSON) ?? .map(PebbleMap())
        var context = PebbleMap()
        context["outputs"] = .map(try taskOutputs(of: upstream))
        context["inputs"] = PebbleValue.storedJSON(upstream.inputs)

        var executions: [TriggeredExecution] = []
        for deployed in flows {
            for trigger in deployed.triggers(.flow) where matches(trigger, upstream) {
                // A flow never triggers itself from its own execution: that would loop for ever.
                if deployed.flow.namespace == upstream.namespace && deployed.flow.id == upstream.flowId { continue }
                executions.append(runner.triggeredExecution(of: deployed, trigger: trigger, variables: variables, renderContext: context, at: now))
            }
        }
        return try runner.database.createTriggered(executions, consuming: id)
    }

    /// `states` (default: terminal ones) and the conditions: ExecutionStatus, ExecutionFlow, ExecutionNamespace.
    func matches(_ trigger: Trigger, _ execution: ExecutionRecord) -> Bool {
        let states = trigger.properties["states"]?.listValue?.compactMap(\.stringValue).map { $0.uppercased() }
        guard Set(states ?? Array(Self.defaultStates)).contains(execution.state) else { return false }
        for condition in trigger.properties["conditions"]?.listValue ?? [] {
            let map = condition
            guard let type = map["type"]?.stringValue else { continue }
            switch type.split(separator: ".").last.map(String.init) ?? type {
            case "ExecutionStatus", "ExecutionStatusCondition":
                if let allowed = map["in"]?.listValue?.compactMap(\.stringValue), !allowed.contains(execution.state) { return false }
                if let refused = map["notIn"]?.listValue?.compactMap(\.stringValue), refused.contains(execution.state) { return false }
            case "ExecutionFlow", "ExecutionFlowCondition":
                guard map["namespace"]?.stringValue == execution.namespace, map["flowId"]?.stringValue == execution.flowId else { return false }
            case "ExecutionNamespace", "ExecutionNamespaceCondition":
                let namespace = map["namespace"]?.stringValue ?? ""
                let comparison = map["comparison"]?.stringValue ?? ((map["prefix"]?.boolValue ?? false) ? "PREFIX" : "EQUALS")
                switch comparison {
                case "PREFIX": if !execution.namespace.hasPrefix(namespace) { return false }
                case "SUFFIX": if !execution.namespace.hasSuffix(namespace) { return false }
                default: if execution.namespace != namespace { return false }
                }
            default:
                return false  // a condition Gatehouse does not know never matches, rather than matching everything
            }
        }
        return true
    }

    /// The upstream execution's task outputs as its own expressions saw them: `outputs.<task>` (by value in loops).
    private func taskOutputs(of execution: ExecutionRecord) throws -> PebbleMap {
        var outputs = PebbleMap()
        for run in try runner.database.taskRuns(of: execution.id) where run.outputs != nil {
            let value = PebbleValue.storedJSON(run.outputs)
            if let key = run.value {
                var byValue = outputs[run.taskId]?.mapValue ?? PebbleMap()
                byValue[key] = value
                outputs[run.taskId] = .map(byValue)
            } else {
                outputs[run.taskId] = value
            }
        }
        return outputs
    }
}
