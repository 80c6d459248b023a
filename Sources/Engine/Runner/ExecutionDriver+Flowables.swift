import FlowModel
import Foundation
import Pebble
import Store

/// ForEach and Loop iterations, and the `errors` and `finally` lists of every flowable task.
extension ExecutionDriver {
    func runLoop(
        _ taskRun: inout TaskRunRecord, task: Task, parents: [PebbleValue], value: String?, item: PebbleValue?, variables: PebbleMap
    ) throws -> RunOutcome {
        let items: [String]
        do {
            items = try loopValues(task, variables: variables)
        } catch {
            return try finish(&taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", "values failed: \(error)")])
        }
        let parentEntry = PebbleValue.map(PebbleMap([("taskrun", .map(PebbleMap([("value", value.map(PebbleValue.string) ?? .null)])))]))
        let children = task.tasks(in: "tasks")
        let parent = taskRun
        let iterationParents = value == nil ? parents : parents + [parentEntry]
        // Iterations run one at a time unless `concurrencyLimit` allows more (0: no limit).
        let outcomes = try branches(items.count, limit: task.properties["concurrencyLimit"]?.intValue ?? 1, stopsOthers: \.stops) {
            // Loop (2.0) names its iteration `item`; ForEach has only `taskrun.value` and keeps an enclosing Loop's.
            let iteration =
                task.type == .loop ? PebbleValue.map(PebbleMap([("value", .string(items[$0])), ("index", .int(Int64($0)))])) : item
            return try self.walk(children, parent: parent, parents: iterationParents, value: items[$0], item: iteration)
        }
        let outcome = outcomes.compactMap { $0 }.reduce(RunOutcome.success) { $0.combined(with: $1) }
        return try finishFlowable(
            &taskRun, task: task, value: value, try handled(outcome, task: task, taskRun: taskRun, parents: parents, value: value, item: item))
    }

    /// A flowable's own `errors` run when its children failed, and its `finally` after them whatever the children did,
    /// as the flow's do: the flowable still fails after `errors`, and a failing `finally` fails it. Nothing runs while
    /// the children are paused, waiting for a retry, killed or cancelled.
    func handled(
        _ children: RunOutcome, task: Task, taskRun: TaskRunRecord, parents: [PebbleValue], value: String?, item: PebbleValue?
    ) throws -> RunOutcome {
        switch children {
        case .paused, .waiting, .killed, .cancelled: return children
        case .success, .warning, .failed: break
        }
        var outcome = children
        if case .failed = children {
            let errors = try walk(task.tasks(in: "errors"), parent: taskRun, parents: parents, value: value, item: item)
            if errors.suspends { return errors }
            outcome = outcome.combined(with: errors)
        }
        let finally = try walk(task.tasks(in: "finally"), parent: taskRun, parents: parents, value: value, item: item)
        if finally.suspends { return finally }
        return outcome.combined(with: finally)
    }

    /// ForEach `values`: a list, or a string rendering to a JSON array; objects become JSON text.
    func loopValues(_ task: Task, variables: PebbleMap) throws -> [String] {
        let list: [PebbleValue]
        switch task.properties["values"] {
        case .list(let items)?: list = items.map(PebbleValue.init)
        case .string(let text)?:
            let rendered = try engine.render(text, variables: variables)
            guard case .list(let items) = try PebbleValue.fromJSON(rendered) else {
                throw PebbleError(.evaluation, "`values` must render to a JSON array, but rendered `\(rendered)`")
            }
            list = items
        default: list = []
        }
        return list.map { if case .string(let text) = $0 { text } else { $0.json } }
    }
}
