import Foundation
import Pebble
import Store

/// The messages about approvals, as durable work items: written in the same transaction as the pause or the decision
/// they announce, sent by a worker, and dropped with the pause's other timers once someone decides.
package enum ApprovalNotice: String, Sendable {
    /// An execution waits for the approvers.
    case needed = "approval-needed"
    /// It still waits; another reminder follows after the same time while nobody decides.
    case reminder = "approval-reminder"
    /// Someone rejected it: the requester hears why.
    case rejected

    static func needed(executionId: String, taskRunId: String, at date: Date) -> WorkItemRecord {
        item(.needed, executionId: executionId, taskRunId: taskRunId, due: date)
    }

    static func reminder(executionId: String, taskRunId: String, due: Date) -> WorkItemRecord {
        item(.reminder, executionId: executionId, taskRunId: taskRunId, due: due)
    }

    static func rejected(executionId: String, by name: String, reason: String, at date: Date) -> WorkItemRecord {
        item(.rejected, executionId: executionId, taskRunId: nil, due: date, extra: [("by", .string(name)), ("reason", .string(reason))])
    }

    private static func item(
        _ notice: ApprovalNotice, executionId: String, taskRunId: String?, due: Date, extra: [(String, PebbleValue)] = []
    ) -> WorkItemRecord {
        let payload = PebbleValue.map(PebbleMap([("notice", .string(notice.rawValue))] + extra))
        return WorkItemRecord(kind: .notice, executionId: executionId, taskRunId: taskRunId, payload: payload.json, dueAt: due)
    }
}
