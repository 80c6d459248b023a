import Foundation
import GRDB

/// A stored execution. JSON columns hold documents the engine reads whole.
package struct ExecutionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "execution"

    package var id: String
    package var namespace: String
    package var flowId: String
    package var flowRevision: Int
    package var state: String
    /// Resolved input values as JSON; SECRET inputs are stored masked, never in clear.
    package var inputs: String
    package var outputs: String?
    package var labels: String
    package var variables: String?
    package var requester: String
    package var trigger: String?
    /// `[{state, date}]` as JSON, Kestra's state history.
    package var histories: String
    package var parentId: String?
    package var createdAt: Date
    package var endedAt: Date?
    package var error: String?

    package init(
        id: String, namespace: String, flowId: String, flowRevision: Int, state: String, inputs: String, outputs: String? = nil,
        labels: String, variables: String? = nil, requester: String, trigger: String? = nil, histories: String, parentId: String? = nil,
        createdAt: Date, endedAt: Date? = nil, error: String? = nil
    ) {
        self.id = id
        self.namespace = namespace
        self.flowId = flowId
        self.flowRevision = flowRevision
        self.state = state
        self.inputs = inputs
        self.outputs = outputs
        self.labels = labels
        self.variables = variables
        self.requester = requester
        self.trigger = trigger
        self.histories = histories
        self.parentId = parentId
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.error = error
    }
}

/// A stored task run: one task, in one ForEach iteration (`value`), under its flowable parent.
package struct TaskRunRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "taskRun"

    package var id: String
    package var executionId: String
    package var taskId: String
    package var parentTaskRunId: String?
    package var value: String?
    package var iteration: Int?
    package var state: String
    package var histories: String
    package var outputs: String?
    package var attemptCount: Int
    package var createdAt: Date
    package var endedAt: Date?

    package init(
        id: String, executionId: String, taskId: String, parentTaskRunId: String?, value: String?, iteration: Int? = nil,
        state: String, histories: String, outputs: String? = nil, attemptCount: Int = 0, createdAt: Date, endedAt: Date? = nil
    ) {
        self.id = id
        self.executionId = executionId
        self.taskId = taskId
        self.parentTaskRunId = parentTaskRunId
        self.value = value
        self.iteration = iteration
        self.state = state
        self.histories = histories
        self.outputs = outputs
        self.attemptCount = attemptCount
        self.createdAt = createdAt
        self.endedAt = endedAt
    }
}

/// One log line, already masked.
package struct LogLineRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "logLine"

    package var id: Int64?
    package var executionId: String
    package var taskRunId: String?
    package var attempt: Int?
    package var timestamp: Date
    package var level: String
    package var line: String

    package init(id: Int64? = nil, executionId: String, taskRunId: String?, attempt: Int?, timestamp: Date, level: String, line: String) {
        self.id = id
        self.executionId = executionId
        self.taskRunId = taskRunId
        self.attempt = attempt
        self.timestamp = timestamp
        self.level = level
        self.line = line
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A decision on a paused task run: who, when, what they entered.
package struct ApprovalRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "approval"

    package var id: Int64?
    package var executionId: String
    package var taskRunId: String
    package var decision: String
    package var decidedBy: String
    package var comment: String?
    package var inputs: String?
    package var planSHA256: String?
    /// The `kestra:///` URI of the saved plan the approver was shown, so the apply step can check it is unchanged.
    package var planFile: String?
    /// False for an approval that counts towards a quorum but did not yet decide; the engine acts on decisive rows only.
    package var decisive: Bool
    package var decidedAt: Date

    package init(
        id: Int64? = nil, executionId: String, taskRunId: String, decision: String, decidedBy: String, comment: String? = nil,
        inputs: String? = nil, planSHA256: String? = nil, planFile: String? = nil, decisive: Bool = true, decidedAt: Date
    ) {
        self.id = id
        self.executionId = executionId
        self.taskRunId = taskRunId
        self.decision = decision
        self.decidedBy = decidedBy
        self.comment = comment
        self.inputs = inputs
        self.planSHA256 = planSHA256
        self.planFile = planFile
        self.decisive = decisive
        self.decidedAt = decidedAt
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A stored flow revision: the YAML exactly as deployed.
package struct FlowRevisionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "flowRevision"

    package var namespace: String
    package var flowId: String
    package var revision: Int
    package var source: String
    package var sourceSHA256: String
    package var deployedBy: String
    package var deployedAt: Date

    package init(namespace: String, flowId: String, revision: Int, source: String, sourceSHA256: String, deployedBy: String, deployedAt: Date) {
        self.namespace = namespace
        self.flowId = flowId
        self.revision = revision
        self.source = source
        self.sourceSHA256 = sourceSHA256
        self.deployedBy = deployedBy
        self.deployedAt = deployedAt
    }
}
