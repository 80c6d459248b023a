import Foundation
import Notify
import Pebble
import Store

extension ExecutionSummary {
    /// Where execution pages are, unless `GATEHOUSE_BASE_URL` says otherwise.
    static let defaultBaseURL = "http://localhost:8080"

    /// The summary of execution `id` (the attempt's own execution when nil) as stored now, so a task in
    /// `afterExecution` sees the final state. The notification's own task run is not counted as the last task.
    static func of(
        executionId id: String?, context: AttemptContext, customMessage: String?, customFields: [(name: String, value: String)]
    ) throws -> ExecutionSummary {
        guard let run = context.run else { throw PropertyError("the execution summary needs a running attempt") }
        let executionId = id.flatMap { $0.isEmpty ? nil : $0 } ?? run.execution.id
        guard let execution = try context.database.execution(executionId) else {
            throw PropertyError("`executionId`: execution `\(executionId)` not found")
        }
        let taskRuns = try context.database.taskRuns(of: executionId).filter { $0.id != run.taskRun.id }
        let labels = PebbleValue.storedJSON(execution.labels).mapValue
        let link = TaskSettings.baseURL(run.settings.environment) + "/executions/" + execution.id
        return ExecutionSummary(
            id: execution.id, namespace: execution.namespace, flowId: execution.flowId, state: execution.state,
            startedAt: execution.createdAt, duration: (execution.endedAt ?? run.clock()).timeIntervalSince(execution.createdAt),
            requester: labels?["system.username"]?.stringValue ?? execution.requester, link: link,
            failedTask: taskRuns.first { $0.state == "FAILED" }?.taskId, lastTask: taskRuns.last?.taskId, customMessage: customMessage,
            customFields: customFields)
    }
}
