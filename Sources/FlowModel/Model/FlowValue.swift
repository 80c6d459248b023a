/// A JSON-like value from a flow file, typed by the schema of the property it belongs to.
public indirect enum FlowValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([FlowValue])
    /// Keys keep the order the author wrote them in.
    case map([Entry])

    public struct Entry: Sendable, Hashable, Codable {
        public let key: String
        public let value: FlowValue

        public init(key: String, value: FlowValue) {
            self.key = key
            self.value = value
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var listValue: [FlowValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    public var mapEntries: [Entry]? {
        if case .map(let value) = self { return value }
        return nil
    }

    public subscript(key: String) -> FlowValue? {
        mapEntries?.first { $0.key == key }?.value
    }

    /// The value as its author would recognise it in a message.
    public var displayString: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        case .list(let items): "[" + items.map(\.displayString).joined(separator: ", ") + "]"
        case .map(let entries): "{" + entries.map { "\($0.key): \($0.value.displayString)" }.joined(separator: ", ") + "}"
        }
    }
}
