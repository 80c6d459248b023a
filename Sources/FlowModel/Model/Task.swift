/// One task of a flow, with Kestra's common task properties typed and its type's own properties schema-checked.
public struct Task: Sendable {
    public let id: String
    public let type: TaskType
    /// The type exactly as the flow wrote it, which may be an alias of ``TaskType/canonicalName``.
    public let declaredType: String
    public let description: String?
    public let retry: RetryPolicy?
    public let timeout: DurationValue?
    public let disabled: Bool
    public let runIf: String?
    public let allowFailure: Bool
    public let allowWarning: Bool
    public let logLevel: String?
    public let logToFile: Bool
    /// The type's own properties under their canonical names, each checked against ``TaskType/properties``.
    public let properties: [String: FlowValue]
    /// Child task lists in the order they were written (`tasks`, `then`, `else`, `cases`, `defaults`, `errors`, `onPause`).
    public let branches: [TaskBranch]
    /// The Pause task's `onResume` inputs, collected when someone resumes the execution.
    public let onResume: [InputDeclaration]
    public let location: SourceLocation

    /// This task followed by all tasks nested in it, depth first.
    public var selfAndDescendants: [Task] {
        [self] + branches.flatMap { $0.tasks.flatMap(\.selfAndDescendants) }
    }

    /// The tasks of one branch, for example `then` or `errors`; empty when the branch is absent.
    public func tasks(in branch: String, case caseKey: String? = nil) -> [Task] {
        branches.filter { $0.name == branch && $0.caseKey == caseKey }.flatMap(\.tasks)
    }

    public func string(_ property: String) -> String? { properties[property]?.stringValue }
}

/// A named list of child tasks of a flowable task.
public struct TaskBranch: Sendable {
    public let name: String
    /// For Switch `cases`: the case value this branch runs for.
    public let caseKey: String?
    public let tasks: [Task]
}
