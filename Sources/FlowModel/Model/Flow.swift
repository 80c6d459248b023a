/// A parsed, validated flow: Kestra's flow document as an immutable value.
public struct Flow: Sendable {
    public let id: String
    public let namespace: String
    public let revision: Int?
    public let description: String?
    public let labels: [Label]
    public let inputs: [InputDeclaration]
    public let variables: [FlowValue.Entry]
    public let tasks: [Task]
    public let errors: [Task]
    public let finally: [Task]
    public let afterExecution: [Task]
    public let triggers: [Trigger]
    public let outputs: [FlowOutput]
    public let concurrency: Concurrency?
    public let pluginDefaults: [PluginDefault]
    public let retry: RetryPolicy?
    public let disabled: Bool

    /// Every task of the flow, depth first, including nested, `errors`, `finally` and `afterExecution` tasks.
    public var allTasks: [Task] {
        (tasks + errors + finally + afterExecution).flatMap { $0.selfAndDescendants }
    }

    /// True when the flow carries the `system.readOnly: true` label, which locks it against edits in the UI.
    public var isReadOnly: Bool {
        labels.contains { $0.key == "system.readOnly" && $0.value.lowercased() == "true" }
    }
}

/// A key/value label of a flow, a trigger or an execution.
public struct Label: Sendable, Hashable {
    public let key: String
    public let value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Flow-level concurrency limit and what happens to executions past it.
public struct Concurrency: Sendable, Hashable {
    public enum Behavior: String, Sendable, CaseIterable {
        case queue = "QUEUE"
        case cancel = "CANCEL"
        case fail = "FAIL"
    }
    public let limit: Int
    public let behavior: Behavior
}

/// A typed output the flow declares, rendered when the execution ends.
public struct FlowOutput: Sendable, Hashable {
    public let id: String
    public let type: InputType
    public let value: FlowValue
    public let displayName: String?
    public let description: String?
}

/// Default property values for tasks of one type (Kestra 1.x `pluginDefaults`, removed in 2.0).
public struct PluginDefault: Sendable, Hashable {
    public let type: String
    public let forced: Bool
    public let values: FlowValue
}

/// A duration that is either fixed in the flow or computed from an expression at run time.
public enum DurationValue: Sendable, Hashable {
    case fixed(ISODuration)
    case expression(String)
}

/// Kestra's retry policy, on a task or on the flow.
public struct RetryPolicy: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case constant, exponential, random }
    public let kind: Kind
    /// Total attempts including the first (`maxAttempts`, or the older `maxAttempt`).
    public let maxAttempts: Int?
    public let maxDuration: DurationValue?
    public let interval: DurationValue?
    public let minInterval: DurationValue?
    public let maxInterval: DurationValue?
    public let delayFactor: Double?
    public let warningOnRetry: Bool
    /// Flow-level only: `RETRY_FAILED_TASK` or `CREATE_NEW_EXECUTION`.
    public let behavior: String?
}
