import Foundation
import Store

extension FlowRunner {
    /// Ends an execution that can never run again: the flow revision it started with is not stored, or no longer
    /// parses (a later Gatehouse reads flows more strictly). Recovery would otherwise try, and fail, on every start of
    /// every process. The execution becomes FAILED with the reason in its error and its log; task runs and attempts
    /// left running fail with it. Nothing is deleted.
    @discardableResult
    package func failUnrunnable(_ executionId: String, reason: String) throws -> ExecutionRecord? {
        try claim(executionId)
        defer { try? database.releaseExecution(executionId, owner: owner) }
        guard var execution = try database.execution(executionId), !ExecutionStates.terminal.contains(execution.state) else {
            return try database.execution(executionId)
        }
        let now = clock()
        var runs: [TaskRunRecord] = []
        for var run in try database.taskRuns(of: executionId) where !ExecutionStates.terminal.contains(run.state) {
            run.state = "FAILED"
            run.histories = StateHistory.appending("FAILED", to: run.histories, at: now)
            run.endedAt = now
            runs.append(run)
        }
        var attempts: [AttemptRecord] = []
        for var attempt in try database.attempts(ofExecution: executionId) where attempt.state == "RUNNING" {
            attempt.state = "FAILED"
            attempt.endedAt = now
            attempts.append(attempt)
        }
        execution.state = "FAILED"
        execution.error = reason
        execution.endedAt = now
        execution.histories = StateHistory.appending("FAILED", to: execution.histories, at: now)
        let line = LogLineRecord(executionId: executionId, taskRunId: nil, attempt: nil, timestamp: now, level: "ERROR", line: reason)
        try database.record(
            execution: execution, unlessKilling: true, taskRuns: runs, attempts: attempts, logs: [line],
            audit: ("gatehouse", "execution.failed", ["state": "FAILED", "reason": reason]))
        try database.deleteWorkItems(ofExecution: executionId)
        return execution
    }
}

extension RunError {
    /// The stored flow revision of the execution is missing or no longer parses.
    var leavesExecutionUnrunnable: Bool {
        switch self {
        case .flowRevisionMissing, .invalidFlow: true
        default: false
        }
    }
}
