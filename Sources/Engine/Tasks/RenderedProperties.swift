import FlowModel
import Foundation
import Pebble

/// A property that is present but unusable after rendering; the message names it and says what would be right.
struct PropertyError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// A task's own properties, each rendered with the attempt's variables when it is read.
struct RenderedProperties {
    let task: Task
    let engine: PebbleEngine
    let variables: PebbleMap

    /// The property with every string inside it rendered; nil when absent or null.
    func value(_ name: String) throws -> PebbleValue? {
        guard let raw = task.properties[name], raw != .null else { return nil }
        return try CoreTasks.render(PebbleValue(raw), engine: engine, variables: variables)
    }

    func string(_ name: String) throws -> String? {
        try value(name).map { $0.isNull ? nil : $0.rendered } ?? nil
    }

    func required(_ name: String) throws -> String {
        guard let text = try string(name), !text.isEmpty else { throw PropertyError("`\(name)` is required and must not be empty") }
        return text
    }

    func bool(_ name: String) throws -> Bool? { try PropertyReading.bool(value(name), name: name) }

    func int(_ name: String) throws -> Int? { try PropertyReading.int(value(name), name: name) }

    /// A map of strings (`headers`, `customFields`), values rendered as text, in the order written.
    func stringPairs(_ name: String) throws -> [(name: String, value: String)] {
        guard let value = try value(name) else { return [] }
        guard let map = value.mapValue else { throw PropertyError("`\(name)` must be a map, but is a \(value.typeName)") }
        return map.pairs.map { ($0.key, $0.value.rendered) }
    }
}

/// Reads typed values out of rendered property values, which may arrive as text (`"{{ inputs.port }}"`).
enum PropertyReading {
    static func bool(_ value: PebbleValue?, name: String) throws -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?:
            switch other.rendered.lowercased() {
            case "true": return true
            case "false": return false
            default: throw PropertyError("`\(name)` must be true or false, but is `\(other.rendered)`")
            }
        }
    }

    static func int(_ value: PebbleValue?, name: String) throws -> Int? {
        switch value {
        case nil, .null?: return nil
        case .int(let number)?: return Int(number)
        case let other?:
            guard let number = Int(other.rendered.trimmingCharacters(in: .whitespaces)) else {
                throw PropertyError("`\(name)` must be a whole number, but is `\(other.rendered)`")
            }
            return number
        }
    }

    /// An ISO-8601 duration (`PT10S`) as a Swift `Duration`.
    static func duration(_ value: PebbleValue?, name: String) throws -> Duration? {
        guard let value, !value.isNull else { return nil }
        guard let duration = ISODuration(value.rendered), duration.seconds >= 0 else {
            throw PropertyError("`\(name)` must be an ISO-8601 duration such as PT30S, but is `\(value.rendered)`")
        }
        return .seconds(duration.seconds) + .nanoseconds(Int64(duration.nanoseconds))
    }
}
