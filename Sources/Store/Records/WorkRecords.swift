import Foundation
import GRDB

/// One try at running a task run; a retried task run has several.
package struct AttemptRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "attempt"

    package var taskRunId: String
    /// 1-based.
    package var number: Int
    package var state: String
    package var startedAt: Date
    package var endedAt: Date?
    package var exitCode: Int?
    package var workerId: String?
    /// Set on a failed attempt that the retry policy will try again: when the next attempt may start.
    package var nextAttemptAt: Date?

    package init(
        taskRunId: String, number: Int, state: String, startedAt: Date, endedAt: Date? = nil, exitCode: Int? = nil, workerId: String? = nil,
        nextAttemptAt: Date? = nil
    ) {
        self.taskRunId = taskRunId
        self.number = number
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.exitCode = exitCode
        self.workerId = workerId
        self.nextAttemptAt = nextAttemptAt
    }
}

/// Something to do at a given time: fire a pause's timer, start a retry, fire a schedule.
package struct WorkItemRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "workItem"

    package enum Kind: String, Sendable {
        /// A Pause task's `pauseDuration` or `timeout` elapsed; the payload names the behaviour to apply.
        case pause
        /// A failed attempt's back-off is over: drive the execution so the next attempt runs.
        case retry
        /// A queued execution may take a freed concurrency slot.
        case dequeue
        /// An execution a trigger created: drive it from the start.
        case start
        /// An execution ended: flows with a Flow trigger listening for it may start. Kept when the execution is killed.
        case flowTrigger
        /// A message to people about an execution (approval needed, reminder, rejection); the payload says which.
        case notice
    }

    package var id: Int64?
    package var kind: String
    package var executionId: String?
    package var taskRunId: String?
    package var payload: String?
    package var dueAt: Date
    package var claimedBy: String?
    package var claimedAt: Date?

    package init(
        id: Int64? = nil, kind: Kind, executionId: String?, taskRunId: String?, payload: String? = nil, dueAt: Date, claimedBy: String? = nil,
        claimedAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind.rawValue
        self.executionId = executionId
        self.taskRunId = taskRunId
        self.payload = payload
        self.dueAt = dueAt
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
