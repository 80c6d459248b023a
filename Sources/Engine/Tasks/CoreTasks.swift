import FlowModel
import Foundation
import Pebble

/// What running one task produced.
struct TaskResult: Sendable {
    var failed: String?
    /// The attempt stopped because the execution is being killed.
    var killed = false
    var outputs: PebbleMap = PebbleMap()
    var logs: [(level: String, line: String)] = []
}

/// The runnable tasks that need nothing outside the process: Log, Echo, Return, OutputValues, Fail, Sleep.
enum CoreTasks {
    static func run(_ task: Task, engine: PebbleEngine, variables: PebbleMap, context: AttemptContext) -> TaskResult {
        var result = TaskResult()
        do {
            switch task.type {
            case .log, .echo:
                let level = task.string("level") ?? "INFO"
                let messages: [String]
                switch task.properties[task.type == .log ? "message" : "format"] {
                case .list(let items)?: messages = items.compactMap(\.stringValue)
                case .string(let text)?: messages = [text]
                default: messages = []
                }
                for message in messages {
                    result.logs.append((level, try engine.render(message, variables: variables)))
                }
            case .returnValue:
                result.outputs["value"] = .string(try engine.render(task.string("format") ?? "", variables: variables))
            case .outputValues:
                result.outputs["values"] = try render(PebbleValue(task.properties["values"] ?? .map([])), engine: engine, variables: variables)
            case .fail:
                let condition = task.string("condition")
                if try condition.map({ try engine.isTruthy($0, variables: variables) }) ?? true {
                    result.failed = try engine.render(task.string("errorMessage") ?? "Task failure", variables: variables)
                }
            case .sleep:
                let text = try engine.render(task.string("duration") ?? "", variables: variables)
                guard let duration = ISODuration(text), duration.seconds >= 0 else {
                    result.failed = "`duration` must be a positive ISO-8601 duration such as PT30S, but is `\(text)`"
                    break
                }
                let end = ContinuousClock.now + .milliseconds(Int64((duration.totalSeconds * 1000).rounded()))
                switch context.wait(until: end) {
                case .done: break
                case .killed: result.killed = true
                case .timedOut: result.failed = "Timeout after \(context.timeout ?? "")"
                }
            default:
                result.failed = "the task type \(task.type.canonicalName) does not run in Gatehouse yet"
            }
        } catch {
            result.failed = "\(error)"
        }
        return result
    }

    /// Renders every string inside a value, as Kestra renders OutputValues' `values`.
    static func render(_ value: PebbleValue, engine: PebbleEngine, variables: PebbleMap) throws -> PebbleValue {
        switch value {
        case .string(let text): return .string(try engine.render(text, variables: variables))
        case .list(let items): return .list(try items.map { try render($0, engine: engine, variables: variables) })
        case .map(let map): return .map(PebbleMap(try map.pairs.map { ($0.key, try render($0.value, engine: engine, variables: variables)) }))
        default: return value
        }
    }
}
