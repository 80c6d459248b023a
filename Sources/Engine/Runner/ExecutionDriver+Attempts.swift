import FlowModel
import Foundation
import Pebble
import Store

/// Runnable tasks: each try is an attempt, stored before it starts and when it ends, so a crash leaves a trace and the
/// retry policy can decide what happens next.
extension ExecutionDriver {
    func runAttempts(_ taskRun: inout TaskRunRecord, task: Task, value: String?, variables: PebbleMap) throws -> RunOutcome {
        while true {
            let previous = attempts[taskRun.id] ?? []
            if let last = previous.last, last.state == "FAILED" {
                // The previous attempt failed (or its process died): the retry policy decides.
                guard let next = last.nextAttemptAt else {
                    return try finish(&taskRun, task: task, state: "FAILED", value: value)
                }
                if next > clock() {
                    if taskRun.state != "RETRYING" { try save(&taskRun, state: "RETRYING") }
                    return .waiting
                }
            }
            // A new task run's kill check was made by `run` just before; retries and resumed attempts check here.
            if !(previous.isEmpty && taskRun.state == "CREATED"), try killRequested() {
                return try finish(&taskRun, task: task, state: "KILLED", value: value)
            }

            // Start the next attempt; any retry timer of this task run is consumed in the same write.
            let number = previous.count + 1
            var attempt = AttemptRecord(taskRunId: taskRun.id, number: number, state: "RUNNING", startedAt: clock(), workerId: owner)
            taskRun.attemptCount = number
            if taskRun.state != "RUNNING" {
                taskRun.state = "RUNNING"
                taskRun.histories = StateHistory.appending("RUNNING", to: taskRun.histories, at: attempt.startedAt)
            }
            try database.record(taskRuns: [taskRun], attempts: [attempt], consumingTimersOf: taskRun.id)
            taskRuns[Self.key(taskRun.taskId, taskRun.parentTaskRunId, taskRun.value)] = taskRun
            remember(attempt: attempt, of: taskRun)

            var attemptVariables = variables
            var run = attemptVariables["taskrun"]?.mapValue ?? PebbleMap()
            run["attemptsCount"] = .int(Int64(number - 1))
            attemptVariables["taskrun"] = .map(run)
            let context = AttemptContext(
                database: database, executionId: execution.id, owner: owner,
                timeout: try task.timeout.map { value -> (text: String, seconds: Double) in
                    let duration = try resolved(value, variables: variables)
                    return (duration.text, duration.seconds)
                },
                run: AttemptContext.Run(
                    flow: flow, execution: execution, taskRun: taskRun, attempt: number, settings: settings, masker: masker,
                    minimumLevel: task.logLevel ?? "TRACE", clock: clock, log: log))
            var result = withoutWalkLock { TaskDispatch.run(task, engine: engine, variables: attemptVariables, context: context) }
            result.logs = result.logs.filter { LogLevel.rank($0.level) >= LogLevel.rank(task.logLevel ?? "TRACE") }
            taskRun.outputs = masker.mask(PebbleValue.map(result.outputs)).json
            attempt.endedAt = clock()

            // The attempt's end, the task run's end and the task's last log lines are one commit: both states are durable
            // before the next step starts, and no reader ever sees an ended attempt under a running task run.
            if result.killed {
                attempt.state = "KILLED"
                remember(attempt: attempt, of: taskRun)
                return try finish(&taskRun, task: task, state: "KILLED", value: value, logs: result.logs, attempt: attempt)
            }
            guard let failure = result.failed else {
                attempt.state = "SUCCESS"
                remember(attempt: attempt, of: taskRun)
                let warn = number > 1 && (retryPolicy(for: task)?.warningOnRetry ?? false)
                return try finish(&taskRun, task: task, state: warn ? "WARNING" : "SUCCESS", value: value, logs: result.logs, attempt: attempt)
            }
            try failAttempt(attempt, of: &taskRun, task: task, variables: variables, logs: result.logs + [(level: "ERROR", line: failure)])
        }
    }

    /// Ends an attempt as FAILED: the retry policy sets when the next one may start, and the attempt, its log lines and
    /// the timer that wakes the execution then are stored together.
    func failAttempt(
        _ attempt: AttemptRecord,
        of taskRun: inout TaskRunRecord,
        task: Task,
        variables: PebbleMap,
        logs: [(level: String, line: String)]
    ) throws {
        var attempt = attempt
        attempt.state = "FAILED"
        let failedAt = attempt.endedAt ?? clock()
        attempt.endedAt = failedAt
        var logs = logs
        if let policy = retryPolicy(for: task) {
            let plan = RetryPlan(policy: policy, duration: { try self.resolved($0, variables: variables).duration }, random: random)
            let first = attempts[taskRun.id]?.first?.startedAt ?? attempt.startedAt
            attempt.nextAttemptAt = try plan.nextAttempt(after: attempt.number, firstStartedAt: first, failedAt: failedAt)
            if let next = attempt.nextAttemptAt {
                logs.append(
                    (level: "WARN", line: "attempt \(attempt.number) failed; attempt \(attempt.number + 1) starts at \(ISO8601.format(next))"))
            }
        }
        let now = clock()
        let lines = logs.map {
            LogLineRecord(
                executionId: execution.id, taskRunId: taskRun.id, attempt: attempt.number, timestamp: now, level: $0.level, line: masker.mask($0.line)
            )
        }
        var timers: [WorkItemRecord] = []
        if let next = attempt.nextAttemptAt, next > now {
            timers.append(WorkItemRecord(kind: .retry, executionId: execution.id, taskRunId: taskRun.id, dueAt: next))
            taskRun.state = "RETRYING"
            taskRun.histories = StateHistory.appending("RETRYING", to: taskRun.histories, at: now)
        }
        try database.record(taskRuns: [taskRun], attempts: [attempt], logs: lines, timers: timers)
        taskRuns[Self.key(taskRun.taskId, taskRun.parentTaskRunId, taskRun.value)] = taskRun
        remember(attempt: attempt, of: taskRun)
        for line in lines { log(line, taskRun.taskId) }
    }

    /// Attempts left RUNNING belong to a process that died (this driver holds the lease now): each is marked FAILED with
    /// a log line saying so, and the task's retry policy decides whether another attempt follows.
    func failInterruptedAttempts() throws {
        for var taskRun in taskRuns.values {
            guard let attempt = attempts[taskRun.id]?.last, attempt.state == "RUNNING",
                let task = flow.allTasks.first(where: { $0.id == taskRun.taskId })
            else { continue }
            let owner = attempt.workerId ?? "unknown worker"
            try failAttempt(
                attempt, of: &taskRun, task: task, variables: variables(for: task, taskRun: taskRun, parents: [], value: taskRun.value),
                logs: [("ERROR", "the Gatehouse process running attempt \(attempt.number) (\(owner)) stopped; the attempt is marked FAILED")])
        }
    }

    func remember(attempt: AttemptRecord, of taskRun: TaskRunRecord) {
        var list = attempts[taskRun.id] ?? []
        if let index = list.firstIndex(where: { $0.number == attempt.number }) { list[index] = attempt } else { list.append(attempt) }
        attempts[taskRun.id] = list
    }

    /// The task's own policy, else the flow's when it retries failed tasks in place (`RETRY_FAILED_TASK`, the default).
    func retryPolicy(for task: Task) -> RetryPolicy? {
        if let retry = task.retry { return retry }
        guard let retry = flow.retry, (retry.behavior ?? "RETRY_FAILED_TASK") == "RETRY_FAILED_TASK" else { return nil }
        return retry
    }

    /// A duration written in the flow, rendering it first when it is an expression.
    func resolved(_ value: DurationValue, variables: PebbleMap) throws -> (text: String, seconds: Double, duration: ISODuration) {
        switch value {
        case .fixed(let duration): return (duration.text, duration.totalSeconds, duration)
        case .expression(let text):
            let rendered = try engine.render(text, variables: variables)
            guard let duration = ISODuration(rendered) else {
                throw PebbleError(.evaluation, "`\(text)` rendered `\(rendered)`, which is not an ISO-8601 duration such as PT5M")
            }
            return (duration.text, duration.totalSeconds, duration)
        }
    }

    /// Whether someone asked to kill the execution since it started running here.
    func killRequested() throws -> Bool {
        try database.executionState(execution.id) == "KILLING"
    }
}

/// Kestra's log levels, lowest first; a task's `logLevel` keeps lines at or above it.
package enum LogLevel {
    package static let order = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]

    package static func rank(_ level: String) -> Int { order.firstIndex(of: level.uppercased()) ?? 2 }
}
