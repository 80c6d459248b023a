/// The shape a property's value must have; the reader types YAML scalars by it.
indirect enum PropertyKind: Sendable {
    /// Any scalar, kept exactly as written; may hold a Pebble template.
    case string
    case bool
    case int(minimum: Int?)
    case number
    case duration
    case enumeration([String])
    case stringList
    /// A string or a list of strings (Log `message`).
    case stringOrList
    /// A map whose values are scalars kept as strings (`env`, `headers`).
    case stringMap
    /// Free-form YAML, typed by the YAML 1.2 core schema.
    case any
    /// A free-form mapping.
    case map
    /// A list, or a string holding a JSON array or an expression (ForEach `values`).
    case listOrString
    /// A mapping, or a string holding JSON or an expression (`inputFiles`, Slack `payload`).
    case mapOrString
    case cron
    /// A strict nested object with its own properties.
    case object(name: String, properties: [PropertySpec])
    /// A nested object whose `type` picks its properties from a small registry.
    case typedObject(name: String, types: [TypedObjectSpec])
    case objectList(name: String, properties: [PropertySpec])
    case typedObjectList(name: String, types: [TypedObjectSpec])
    case tasks(nonEmpty: Bool)
    case task
    /// Switch `cases`: a map from case value to a task list.
    case cases
    case inputs
}

extension PropertyKind {
    /// Whether a plain string is an acceptable value in place of the structured one.
    var acceptsString: Bool {
        switch self {
        case .mapOrString, .listOrString, .stringOrList: true
        default: false
        }
    }
}

/// A property a flow element may have.
struct PropertySpec: Sendable {
    let name: String
    let kind: PropertyKind
    let required: Bool
    /// Older spellings accepted for this property (Kestra 1.x names normalised to the 2.0 name).
    let aliases: [String]

    init(_ name: String, _ kind: PropertyKind, required: Bool = false, aliases: [String] = []) {
        self.name = name
        self.kind = kind
        self.required = required
        self.aliases = aliases
    }
}

/// One `type` of a typed nested object (a task runner, a trigger condition).
struct TypedObjectSpec: Sendable {
    let canonicalName: String
    let aliases: [String]
    /// nil accepts any further properties, for types whose options Gatehouse does not use.
    let properties: [PropertySpec]?

    var allNames: [String] { [canonicalName] + aliases }
}
