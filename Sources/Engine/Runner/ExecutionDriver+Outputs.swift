import FlowModel
import Foundation
import Pebble

/// Flow `outputs` (KESTRA.md §5.2): rendered when the tasks are done, typed like inputs; a bad expression or a value
/// of the wrong type fails the execution with a message naming the output.
extension ExecutionDriver {
    func renderFlowOutputs() throws -> PebbleMap {
        let variables = executionVariables()
        var rendered = PebbleMap()
        for output in flow.outputs {
            let value: PebbleValue
            do {
                value = try CoreTasks.render(PebbleValue(output.value), engine: engine, variables: variables)
            } catch {
                throw OutputError("Failed to render output `\(output.id)`: \(error)")
            }
            rendered[output.id] = try typed(value, as: output.type, id: output.id)
        }
        return rendered
    }

    private func typed(_ value: PebbleValue, as type: InputType, id: String) throws -> PebbleValue {
        guard case .string(let text) = value else { return value }
        let problem = OutputError("Invalid output `\(id)`: expected \(type.rawValue) but got `\(text)`")
        switch type {
        case .int:
            guard let number = Int64(text.trimmingCharacters(in: .whitespaces)) else { throw problem }
            return .int(number)
        case .float:
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else { throw problem }
            return .double(number)
        case .bool:
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw problem
            }
        case .json, .array:
            guard let parsed = try? PebbleValue.fromJSON(text) else { throw problem }
            return parsed
        default:
            return value
        }
    }
}

/// Why a flow output could not be produced.
struct OutputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
