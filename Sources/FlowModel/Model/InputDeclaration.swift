/// The type of a flow input, which decides its form widget, its parsing and its checks.
public enum InputType: String, Sendable, CaseIterable, Codable {
    case string = "STRING"
    case int = "INT"
    case float = "FLOAT"
    case bool = "BOOL"
    case select = "SELECT"
    case multiselect = "MULTISELECT"
    case datetime = "DATETIME"
    case date = "DATE"
    case time = "TIME"
    case duration = "DURATION"
    case file = "FILE"
    case json = "JSON"
    case yaml = "YAML"
    case uri = "URI"
    case email = "EMAIL"
    case secret = "SECRET"
    case array = "ARRAY"
    case form = "FORM"
}

/// One option of a SELECT or MULTISELECT input: what is submitted and what the form shows.
public struct SelectOption: Sendable, Hashable {
    public let value: String
    public let label: String

    public init(value: String, label: String) {
        self.value = value
        self.label = label
    }
}

/// An input's `dependsOn`: it is enabled only when these inputs are enabled and the condition renders `true`.
public struct InputDependency: Sendable, Hashable {
    public let inputs: [String]
    public let condition: String?

    public init(inputs: [String], condition: String?) {
        self.inputs = inputs
        self.condition = condition
    }
}

/// A declared flow input (or a Pause `onResume` input): everything a form and the input resolver need.
public struct InputDeclaration: Sendable {
    public let id: String
    /// The normalised type: `BOOLEAN` reads as ``InputType/bool`` and `ENUM` as ``InputType/select``.
    public let type: InputType
    /// The type as written, so a form can still show Kestra's tri-state BOOLEAN.
    public let declaredType: String
    public let displayName: String?
    public let description: String?
    public let required: Bool
    public let defaults: FlowValue?
    public let prefill: FlowValue?
    public let dependsOn: InputDependency?
    public let validator: String?
    public let min: FlowValue?
    public let max: FlowValue?
    public let after: String?
    public let before: String?
    public let values: [SelectOption]
    public let expression: String?
    public let allowCustomValue: Bool
    public let isRadio: Bool
    public let autoSelectFirst: Bool
    public let itemType: InputType?
    public let allowedFileExtensions: [String]
    public let fileExtension: String?
    /// The inputs grouped by a 2.0 `FORM` input.
    public let children: [InputDeclaration]
    public let location: SourceLocation
    /// Where the input is declared in the flow, for example `inputs[2]` or `tasks[1].onResume[0]`.
    public let path: String

    /// The label a form shows: `displayName`, else the id.
    public var label: String { displayName ?? id }
}
