/// What starts executions of a flow besides people: a schedule, a webhook or another flow's execution.
public struct Trigger: Sendable {
    public let id: String
    public let type: TriggerType
    public let declaredType: String
    public let description: String?
    public let disabled: Bool
    public let labels: [Label]
    /// Input values the trigger passes to the execution; values may hold expressions.
    public let inputs: [FlowValue.Entry]
    /// The type's own properties under their canonical names (`cron`, `key`, `states`, ...).
    public let properties: [String: FlowValue]
    public let location: SourceLocation
    /// Where the trigger is declared, for example `triggers[1]`.
    public let path: String
}
