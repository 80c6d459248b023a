import FlowModel
import Foundation
import Pebble
import Store

/// The Pause task (KESTRA.md §3): it waits for a person, or for `pauseDuration` (then `behavior` applies) or `timeout`
/// (then it fails). The timer is a work item written with the pause itself, so it survives restarts.
extension ExecutionDriver {
    /// How a timer decision is written in the approval table: `TIMER:<behavior>`, or `TIMEOUT`.
    static let timerPrefix = "TIMER:"
    static let timeoutDecision = "TIMEOUT"

    func runPause(
        _ taskRun: inout TaskRunRecord, task: Task, parents: [PebbleValue], value: String?, item: PebbleValue?, variables: PebbleMap
    ) throws -> RunOutcome {
        guard let approval = approvals[taskRun.id] else {
            if try killRequested() { return try finish(&taskRun, task: task, state: "KILLED", value: value) }
            if taskRun.state != "PAUSED" {
                // `onPause` runs as the pause starts (typically telling the approvers); it is recorded as the Pause's
                // child, so a replay reuses it. If it fails, nobody may know the execution waits: the Pause fails.
                switch try walk(task.tasks(in: "onPause"), parent: taskRun, parents: parents, value: value, item: item) {
                case .success, .warning: break
                case .paused: return .paused
                case .waiting: return .waiting
                case .failed(let reason):
                    return try finish(&taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", "onPause failed: \(reason)")])
                case .killed: return try finish(&taskRun, task: task, state: "KILLED", value: value)
                case .cancelled: return try finish(&taskRun, task: task, state: "CANCELLED", value: value)
                }
                try pause(&taskRun, task: task, variables: variables)
            }
            return .paused
        }
        var resumed = PebbleMap([("by", .string(approval.decidedBy)), ("on", .string(ISO8601.format(approval.decidedAt)))])
        if let comment = approval.comment { resumed["comment"] = .string(comment) }
        switch approval.decision {
        case "REJECTED":
            let reason = "rejected by \(approval.decidedBy)" + (approval.comment.map { ": \($0)" } ?? "")
            _ = try finish(&taskRun, task: task, state: "KILLED", value: value, logs: [("WARN", reason)])
            return .killed(reason)
        case Self.timeoutDecision:
            return try finish(&taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", approval.comment ?? "the pause timed out")])
        case Self.timerPrefix + "WARN":
            resumed["to"] = .string("WARNING")
            taskRun.outputs = PebbleValue.map(PebbleMap([("resumed", .map(resumed))])).json
            return try finish(&taskRun, task: task, state: "WARNING", value: value, logs: [("WARN", approval.comment ?? "")])
        case Self.timerPrefix + "FAIL":
            return try finish(&taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", approval.comment ?? "")])
        case Self.timerPrefix + "CANCEL":
            let reason = approval.comment ?? "the pause ended with behavior CANCEL"
            _ = try finish(&taskRun, task: task, state: "CANCELLED", value: value, logs: [("WARN", reason)])
            return .cancelled(reason)
        default:
            // APPROVED by a person, or TIMER:RESUME.
            resumed["to"] = .string("SUCCESS")
            let line = approval.decision == "APPROVED" ? "resumed by \(approval.decidedBy)" : approval.comment ?? "resumed"
            taskRun.outputs = PebbleValue.map(PebbleMap([("onResume", PebbleValue.storedJSON(approval.inputs)), ("resumed", .map(resumed))])).json
            return try finish(&taskRun, task: task, state: "SUCCESS", value: value, logs: [("INFO", line)])
        }
    }

    /// Marks the task run PAUSED and, in the same write, sets its timer when it has a duration or a timeout.
    private func pause(_ taskRun: inout TaskRunRecord, task: Task, variables: PebbleMap) throws {
        let now = clock()
        var line = "paused until someone resumes the execution"
        var timers: [WorkItemRecord] = []
        if let text = task.string("pauseDuration") {
            let duration = try resolved(ISODuration(text).map(DurationValue.fixed) ?? .expression(text), variables: variables)
            let behavior = task.string("behavior") ?? "RESUME"
            let due = now.addingTimeInterval(duration.seconds)
            let payload = PebbleValue.map(
                PebbleMap([
                    ("decision", .string(Self.timerPrefix + behavior)),
                    ("comment", .string("pauseDuration \(duration.text) elapsed; behavior \(behavior)")),
                ]))
            timers.append(WorkItemRecord(kind: .pause, executionId: execution.id, taskRunId: taskRun.id, payload: payload.json, dueAt: due))
            line = "paused until someone resumes the execution, or until \(ISO8601.format(due)) (then \(behavior))"
        } else if let timeout = task.timeout {
            let duration = try resolved(timeout, variables: variables)
            let due = now.addingTimeInterval(duration.seconds)
            let payload = PebbleValue.map(
                PebbleMap([
                    ("decision", .string(Self.timeoutDecision)),
                    ("comment", .string("nobody resumed the execution within the timeout of \(duration.text)")),
                ]))
            timers.append(WorkItemRecord(kind: .pause, executionId: execution.id, taskRunId: taskRun.id, payload: payload.json, dueAt: due))
            line = "paused until someone resumes the execution; fails at \(ISO8601.format(due))"
        }
        if task.string("pauseDuration") == nil {
            // It waits for people: tell the approvers now, and remind them while nobody decides.
            timers.append(ApprovalNotice.needed(executionId: execution.id, taskRunId: taskRun.id, at: now))
        }
        taskRun.state = "PAUSED"
        taskRun.histories = StateHistory.appending("PAUSED", to: taskRun.histories, at: now)
        let logLine = LogLineRecord(
            executionId: execution.id, taskRunId: taskRun.id, attempt: nil, timestamp: now, level: "INFO", line: masker.mask(line))
        try database.record(taskRuns: [taskRun], logs: [logLine], timers: timers)
        taskRuns[Self.key(taskRun.taskId, taskRun.parentTaskRunId, taskRun.value)] = taskRun
        log(logLine, taskRun.taskId)
    }
}
