import Foundation

/// What SlackExecution and MailExecution say about an execution, gathered by the engine.
package struct ExecutionSummary: Sendable {
    package var id: String
    package var namespace: String
    package var flowId: String
    package var state: String
    package var startedAt: Date
    /// From start to end, or to now while it runs.
    package var duration: TimeInterval
    /// Who asked for it (`system.username`).
    package var requester: String
    /// The execution page.
    package var link: String
    /// The first failed task run, which the message names.
    package var failedTask: String?
    /// The task that ran last.
    package var lastTask: String?
    package var customMessage: String?
    /// In the order the flow wrote them.
    package var customFields: [(name: String, value: String)]

    package init(
        id: String, namespace: String, flowId: String, state: String, startedAt: Date, duration: TimeInterval, requester: String,
        link: String, failedTask: String? = nil, lastTask: String? = nil, customMessage: String? = nil,
        customFields: [(name: String, value: String)] = []
    ) {
        self.id = id
        self.namespace = namespace
        self.flowId = flowId
        self.state = state
        self.startedAt = startedAt
        self.duration = duration
        self.requester = requester
        self.link = link
        self.failedTask = failedTask
        self.lastTask = lastTask
        self.customMessage = customMessage
        self.customFields = customFields
    }

    /// `[namespace] flow ➛ STATE`, Kestra's title for these messages.
    package var title: String { "[\(namespace)] \(flowId) ➛ \(state)" }

    /// `Succeeded after 1m 05s`, `Failed on task `x` after 3.2s`, `Running for 12s`.
    package var outcome: String {
        let time = Self.humanDuration(duration)
        switch state {
        case "SUCCESS": return "Succeeded after \(time)"
        case "WARNING": return "Ended with warnings after \(time)"
        case "KILLED", "CANCELLED": return "\(state.capitalized) after \(time)"
        case "FAILED": return failedTask.map { "Failed on task `\($0)` after \(time)" } ?? "Failed after \(time)"
        default: return "\(state.capitalized) for \(time)"
        }
    }

    /// The label/value rows both messages show, built-in ones first.
    package var fields: [(name: String, value: String)] {
        var rows: [(name: String, value: String)] = [
            ("Namespace", namespace), ("Flow ID", flowId), ("Execution ID", id), ("Execution Status", state),
            ("Requested by", requester), ("Duration", Self.humanDuration(duration)),
        ]
        rows += customFields
        if let lastTask { rows.append(("Final task ID", lastTask)) }
        return rows
    }

    /// `850ms`, `3.2s`, `1m 05s`, `2h 03m 04s`.
    package static func humanDuration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60)
        if hours > 0 { return String(format: "%dh %02dm %02ds", hours, minutes, rest) }
        return String(format: "%dm %02ds", minutes, rest)
    }
}
