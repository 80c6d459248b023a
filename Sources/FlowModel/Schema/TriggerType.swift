/// The trigger types Gatehouse supports, with their Kestra names and properties.
public enum TriggerType: String, Sendable, CaseIterable {
    case schedule, webhook, flow

    public var canonicalName: String {
        switch self {
        case .schedule: "io.kestra.plugin.core.trigger.Schedule"
        case .webhook: "io.kestra.plugin.core.trigger.Webhook"
        case .flow: "io.kestra.plugin.core.trigger.Flow"
        }
    }

    public var aliases: [String] {
        switch self {
        case .schedule: ["io.kestra.core.models.triggers.types.Schedule"]
        case .webhook: ["io.kestra.core.models.triggers.types.Webhook"]
        case .flow: ["io.kestra.core.models.triggers.types.Flow"]
        }
    }

    public init?(declared: String) {
        guard let type = TriggerType.allCases.first(where: { $0.canonicalName == declared || $0.aliases.contains(declared) }) else {
            return nil
        }
        self = type
    }

    /// Properties every trigger has (KESTRA.md §6).
    static let commonProperties: [String] = [
        "id", "type", "description", "disabled", "labels", "inputs", "logLevel", "logToFile", "allowConcurrent", "conditions",
    ]

    /// Kestra properties Gatehouse does not act on yet: a flow using one is invalid, at the property, rather than
    /// triggered as if it were not there (KESTRA.md §1).
    var unsupportedProperties: [String] {
        let common = ["stopAfter", "when"]
        switch self {
        case .schedule: return common + ["backfill", "scheduleConditions"]
        case .webhook: return common + ["wait", "returnOutputs", "responseContentType"]
        case .flow: return common + ["preconditions", "dependsOn", "window"]
        }
    }

    static let executionStates = [
        "CREATED", "RUNNING", "PAUSED", "RESTARTED", "KILLING", "SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED",
        "QUEUED", "RETRYING", "RETRIED", "SKIPPED", "SUBMITTED", "BREAKPOINT", "RESUBMITTED",
    ]

    static let conditions: [TypedObjectSpec] = [
        TypedObjectSpec(
            canonicalName: "io.kestra.plugin.core.condition.ExecutionStatus",
            aliases: ["io.kestra.core.models.conditions.types.ExecutionStatusCondition", "io.kestra.plugin.core.condition.ExecutionStatusCondition"],
            properties: [PropertySpec("in", .stringList), PropertySpec("notIn", .stringList)]
        ),
        TypedObjectSpec(
            canonicalName: "io.kestra.plugin.core.condition.ExecutionFlow",
            aliases: ["io.kestra.core.models.conditions.types.ExecutionFlowCondition", "io.kestra.plugin.core.condition.ExecutionFlowCondition"],
            properties: [PropertySpec("namespace", .string, required: true), PropertySpec("flowId", .string, required: true)]
        ),
        TypedObjectSpec(
            canonicalName: "io.kestra.plugin.core.condition.ExecutionNamespace",
            aliases: [
                "io.kestra.core.models.conditions.types.ExecutionNamespaceCondition", "io.kestra.plugin.core.condition.ExecutionNamespaceCondition",
            ],
            properties: [
                PropertySpec("namespace", .string, required: true), PropertySpec("prefix", .bool),
                PropertySpec("comparison", .enumeration(["EQUALS", "PREFIX", "SUFFIX"])),
            ]
        ),
    ]

    var properties: [PropertySpec] {
        switch self {
        case .schedule:
            [
                PropertySpec("cron", .cron, required: true), PropertySpec("withSeconds", .bool), PropertySpec("timezone", .string),
                PropertySpec("lateMaximumDelay", .duration), PropertySpec("recoverMissedSchedules", .enumeration(["LAST", "NONE", "ALL"])),
            ]
        case .webhook:
            [
                PropertySpec("key", .string, required: true)
            ]
        case .flow:
            [PropertySpec("states", .stringList)]
        }
    }
}
