import FlowModel
import Foundation
import Pebble
import Store

/// How a task, a branch or the whole flow ended up, worst first when combined.
enum RunOutcome: Equatable {
    case success
    case warning
    case failed(String)
    case paused
    /// A retry's back-off is running; the execution stays RUNNING until its timer fires.
    case waiting
    case killed(String)
    case cancelled(String)

    /// The outcome of two siblings together: a stop (pause, kill, failure) wins over a warning, a warning over success.
    func combined(with other: RunOutcome) -> RunOutcome {
        switch (self, other) {
        case (.killed, _), (.cancelled, _), (.paused, _), (.waiting, _), (.failed, _): self
        case (_, .killed), (_, .cancelled), (_, .paused), (_, .waiting), (_, .failed): other
        case (.warning, _), (_, .warning): .warning
        default: .success
        }
    }

    var stops: Bool {
        switch self {
        case .failed, .paused, .waiting, .killed, .cancelled: true
        default: false
        }
    }

    /// Paused or waiting: the execution is not over, and nothing more runs now.
    var suspends: Bool { self == .paused || self == .waiting }
}

/// Drives one execution forward by replaying its flow over what is already recorded.
///
/// Each task run is found by (task, parent task run, loop value). A recorded terminal task run is reused with its
/// outputs, and flowable decisions (If's result, Switch's case) are recorded too, so a replay after a restart or a
/// resume takes the same path. Whatever is not recorded yet runs now and is stored before the walk moves on.
///
/// Unchecked Sendable: concurrent branches (Parallel, ForEach with a concurrency limit) share the driver, and every
/// access to its mutable state happens while holding `walkLock` (see ExecutionDriver+Concurrency.swift).
final class ExecutionDriver: @unchecked Sendable {
    let database: GatehouseDatabase
    let engine: PebbleEngine
    let flow: Flow
    let clock: @Sendable () -> Date
    let random: @Sendable () -> Double
    let owner: String
    /// Hides every secret value in what is stored or shown: log lines, outputs, errors.
    let masker: SecretMasker
    let settings: TaskSettings
    let log: @Sendable (LogLineRecord, String) -> Void
    var execution: ExecutionRecord
    var taskRuns: [String: TaskRunRecord] = [:]
    var attempts: [String: [AttemptRecord]] = [:]
    var approvals: [String: ApprovalRecord] = [:]
    private var outputs = PebbleMap()
    private var states = PebbleMap()
    private let inputs: PebbleValue
    /// Held by whichever thread walks the flow; released only while a task does its work.
    let walkLock = NSLock()
    /// Set when the stored inputs cannot be opened (the key changed); the execution then fails saying so.
    private var inputProblem: String?

    init(
        runner: FlowRunner,
        flow: Flow,
        execution: ExecutionRecord,
        log: @escaping @Sendable (LogLineRecord, String) -> Void
    ) throws {
        self.database = runner.database
        self.engine = runner.engine
        self.flow = flow
        self.execution = execution
        self.clock = runner.clock
        self.random = runner.random
        self.owner = runner.owner
        var inputs = PebbleValue.storedJSON(execution.inputs)
        var typedSecrets: [String] = []
        do {
            (inputs, typedSecrets) = try runner.inputCipher.openAll(inputs)
        } catch {
            inputProblem = "a SECRET input cannot be read: \(error)"
        }
        self.inputs = inputs
        self.masker = typedSecrets.isEmpty ? runner.secrets.masker : runner.secrets.masker.adding(typedSecrets)
        self.settings = runner.settings
        self.log = log
        for run in try database.taskRuns(of: execution.id) { taskRuns[Self.key(run.taskId, run.parentTaskRunId, run.value)] = run }
        for attempt in try database.attempts(ofExecution: execution.id) { attempts[attempt.taskRunId, default: []].append(attempt) }
        // Approvals that only count towards a quorum do not end a pause.
        for approval in try database.approvals(of: execution.id) where approval.decisive { approvals[approval.taskRunId] = approval }
    }

    static func key(_ taskId: String, _ parent: String?, _ value: String?) -> String {
        "\(taskId)|\(parent ?? "")|\(value ?? "")"
    }

    // MARK: - The execution

    /// Runs as far as it can: to a terminal state or to a pause.
    func drive() throws {
        walkLock.lock()
        defer { walkLock.unlock() }
        do {
            try driveUnlessKilled()
        } catch StoreError.killRequested {
            try finishKill()
        }
    }

    private func driveUnlessKilled() throws {
        guard !ExecutionStates.terminal.contains(execution.state), execution.state != "QUEUED" else { return }
        if execution.state == "KILLING" { return try finishKill() }
        if let inputProblem {
            execution.error = inputProblem
            return try transition(to: "FAILED", action: "execution.failed")
        }
        try failInterruptedAttempts()
        if execution.state != "RUNNING" { try transition(to: "RUNNING", action: "execution.running") }
        var outcome = try walk(flow.tasks, parent: nil, parents: [])
        if outcome == .waiting { return }
        if outcome == .paused {
            try transition(to: "PAUSED", action: "execution.paused")
            return
        }
        if case .failed = outcome, !flow.errors.isEmpty {
            // `errors` handlers run, and the execution still ends FAILED.
            _ = try walk(flow.errors, parent: nil, parents: [])
        }
        if !flow.finally.isEmpty {
            // `finally` runs while the execution is still RUNNING, and its failure fails the execution.
            let finalOutcome = try walk(flow.finally, parent: nil, parents: [])
            if finalOutcome == .waiting { return }
            if finalOutcome == .paused {
                try transition(to: "PAUSED", action: "execution.paused")
                return
            }
            outcome = outcome.combined(with: finalOutcome)
        }
        if outcome == .success || outcome == .warning, !flow.outputs.isEmpty {
            do {
                execution.outputs = PebbleValue.map(try renderFlowOutputs()).json
            } catch {
                outcome = .failed("\(error)")
            }
        }
        let state: String
        switch outcome {
        case .success: state = "SUCCESS"
        case .warning: state = "WARNING"
        case .failed(let reason):
            state = "FAILED"
            execution.error = reason
        case .killed(let reason):
            state = "KILLED"
            execution.error = reason
        case .cancelled(let reason):
            state = "CANCELLED"
            execution.error = reason
        case .paused, .waiting: state = "PAUSED"
        }
        try transition(to: state, action: "execution.\(state.lowercased())")
        if !flow.afterExecution.isEmpty {
            // afterExecution sees the final state and cannot change it.
            _ = try walk(flow.afterExecution, parent: nil, parents: [])
        }
    }

    func transition(to state: String, action: String) throws {
        let now = clock()
        execution.state = state
        execution.histories = StateHistory.appending(state, to: execution.histories, at: now)
        execution.endedAt = ExecutionStates.terminal.contains(state) ? now : nil
        execution.error = execution.error.map(masker.mask)
        var details = ["state": state]
        if let error = execution.error, ["FAILED", "KILLED", "CANCELLED"].contains(state) { details["reason"] = error }
        // An ended execution may start flows that listen for it; the work item is stored with the final state.
        let ended =
            ExecutionStates.terminal.contains(state)
            ? [WorkItemRecord(kind: .flowTrigger, executionId: execution.id, taskRunId: nil, dueAt: now)] : []
        try database.record(execution: execution, unlessKilling: state != "KILLED", timers: ended, audit: ("gatehouse", action, details))
    }

    /// Ends a KILLING execution: every task run not yet finished, and its running attempt, is KILLED.
    func finishKill() throws {
        guard let stored = try database.execution(execution.id) else { return }
        execution = stored
        guard stored.state != "KILLED" else { return }  // another process finished the kill
        let now = clock()
        let reason = execution.error ?? "killed"
        var runs: [TaskRunRecord] = []
        var killedAttempts: [AttemptRecord] = []
        for var run in try database.taskRuns(of: execution.id) where !ExecutionStates.terminal.contains(run.state) {
            run.state = "KILLED"
            run.histories = StateHistory.appending("KILLED", to: run.histories, at: now)
            run.endedAt = now
            runs.append(run)
            for var attempt in attempts[run.id] ?? [] where attempt.state == "RUNNING" {
                attempt.state = "KILLED"
                attempt.endedAt = now
                killedAttempts.append(attempt)
            }
        }
        execution.state = "KILLED"
        execution.histories = StateHistory.appending("KILLED", to: execution.histories, at: now)
        execution.endedAt = now
        let line = LogLineRecord(
            executionId: execution.id, taskRunId: nil, attempt: nil, timestamp: now, level: "WARN", line: masker.mask("execution \(reason)"))
        try database.record(
            execution: execution, taskRuns: runs, attempts: killedAttempts, logs: [line],
            timers: [WorkItemRecord(kind: .flowTrigger, executionId: execution.id, taskRunId: nil, dueAt: now)], consumingTimersOf: nil,
            audit: ("gatehouse", "execution.killed", ["state": "KILLED", "reason": reason]))
        try database.deleteWorkItems(ofExecution: execution.id)
        log(line, "")
    }

    // MARK: - Walking tasks

    /// Runs a list of sibling tasks in order; a failure stops the list unless the task allows failure.
    ///
    /// `item` is the innermost Loop iteration (`{{ item.value }}`, `{{ item.index }}`), seen by every task nested in it.
    func walk(_ tasks: [Task], parent: TaskRunRecord?, parents: [PebbleValue], value: String? = nil, item: PebbleValue? = nil) throws
        -> RunOutcome
    {
        var outcome = RunOutcome.success
        for task in tasks where !task.disabled {
            let result = try run(task, parent: parent, parents: parents, value: value, item: item)
            outcome = outcome.combined(with: result)
            if result.stops { break }
        }
        return outcome
    }

    func run(_ task: Task, parent: TaskRunRecord?, parents: [PebbleValue], value: String?, item: PebbleValue? = nil) throws -> RunOutcome {
        let key = Self.key(task.id, parent?.id, value)
        if let existing = taskRuns[key], ExecutionStates.terminal.contains(existing.state) {
            remember(existing, task: task, value: value)
            return outcome(of: existing, task: task)
        }
        var taskRun = taskRuns[key] ?? newTaskRun(task, parent: parent, value: value)
        var variables = self.variables(for: task, taskRun: taskRun, parents: parents, value: value, item: item)

        let runsAttempts = !task.type.isFlowable && task.type != .pause
        if taskRun.state == "CREATED" {
            if runsAttempts, try killRequested() {
                return try finish(&taskRun, task: task, state: "KILLED", value: value)
            }
            if let runIf = task.runIf {
                do {
                    if try !engine.isTruthy(runIf, variables: variables) {
                        return try finish(&taskRun, task: task, state: "SKIPPED", value: value)
                    }
                } catch {
                    return try finish(&taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", "runIf failed: \(error)")])
                }
            }
            // A runnable task's RUNNING state is written by its first attempt's start, in the same transaction: one commit
            // fewer per step, and a crash can no longer leave a RUNNING task run without an attempt.
            if !runsAttempts {
                try save(&taskRun, state: "RUNNING")
                variables = self.variables(for: task, taskRun: taskRun, parents: parents, value: value, item: item)
            }
        }

        switch task.type {
        case .sequential:
            let children = try walk(task.tasks(in: "tasks"), parent: taskRun, parents: parents, value: value, item: item)
            return try finishFlowable(
                &taskRun, task: task, value: value, try handled(children, task: task, taskRun: taskRun, parents: parents, value: value, item: item))
        case .parallel:
            // Children start together, up to `concurrent` at once (0, Kestra's default, for all); a failure lets the
            // others finish, a pause or a retry wait stops new ones from starting.
            let children = task.tasks(in: "tasks").filter { !$0.disabled }
            let parent = taskRun
            let outcomes = try branches(children.count, limit: task.properties["concurrent"]?.intValue ?? 0, stopsOthers: \.suspends) {
                try self.run(children[$0], parent: parent, parents: parents, value: value, item: item)
            }
            let outcome = outcomes.compactMap { $0 }.reduce(RunOutcome.success) { $0.combined(with: $1) }
            return try finishFlowable(
                &taskRun, task: task, value: value, try handled(outcome, task: task, taskRun: taskRun, parents: parents, value: value, item: item))
        case .ifCondition:
            let result: Bool
            if case .bool(let recorded)? = PebbleValue.storedJSON(taskRun.outputs).mapValue?["evaluationResult"] {
                result = recorded
            } else {
                do {
                    result = try engine.isTruthy(task.string("condition") ?? "", variables: variables)
                } catch {
                    return try finish(&taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", "condition failed: \(error)")])
                }
                taskRun.outputs = PebbleValue.map(PebbleMap([("evaluationResult", .bool(result))])).json
                try database.record(taskRuns: [taskRun])
            }
            let branch = task.tasks(in: result ? "then" : "else")
            let children = try walk(branch, parent: taskRun, parents: parents, value: value, item: item)
            return try finishFlowable(
                &taskRun, task: task, value: value, try handled(children, task: task, taskRun: taskRun, parents: parents, value: value, item: item))
        case .switchCase:
            let chosen: String
            if case .string(let recorded)? = PebbleValue.storedJSON(taskRun.outputs).mapValue?["value"] {
                chosen = recorded
            } else {
                do {
                    chosen = try engine.render(task.string("value") ?? "", variables: variables)
                } catch {
                    return try finish(&taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", "value failed: \(error)")])
                }
                let matched = task.branches.contains { $0.name == "cases" && $0.caseKey == chosen }
                taskRun.outputs = PebbleValue.map(PebbleMap([("value", .string(chosen)), ("defaults", .bool(!matched))])).json
                try database.record(taskRuns: [taskRun])
            }
            let cases = task.branches.filter { $0.name == "cases" && $0.caseKey == chosen }
            if cases.isEmpty && task.tasks(in: "defaults").isEmpty {
                return try finish(
                    &taskRun, task: task, state: "FAILED", value: value, logs: [("ERROR", "no case matches `\(chosen)` and there are no defaults")])
            }
            let branch = cases.isEmpty ? task.tasks(in: "defaults") : cases.flatMap(\.tasks)
            let children = try walk(branch, parent: taskRun, parents: parents, value: value, item: item)
            return try finishFlowable(
                &taskRun, task: task, value: value, try handled(children, task: task, taskRun: taskRun, parents: parents, value: value, item: item))
        case .forEach, .loop:
            return try runLoop(&taskRun, task: task, parents: parents, value: value, item: item, variables: variables)
        case .pause:
            return try runPause(&taskRun, task: task, parents: parents, value: value, item: item, variables: variables)
        default:
            return try runAttempts(&taskRun, task: task, value: value, variables: variables)
        }
    }

    // MARK: - Task runs

    func newTaskRun(_ task: Task, parent: TaskRunRecord?, value: String?) -> TaskRunRecord {
        let now = clock()
        return TaskRunRecord(
            id: ExecutionID.generate().rawValue, executionId: execution.id, taskId: task.id, parentTaskRunId: parent?.id, value: value,
            state: "CREATED", histories: StateHistory.appending("CREATED", to: "[]", at: now), createdAt: now
        )
    }

    /// Writes the task run's new state with its log lines and, when an attempt ends with it, that attempt, in one commit.
    func save(_ taskRun: inout TaskRunRecord, state: String, logs: [(level: String, line: String)] = [], attempt: AttemptRecord? = nil) throws {
        let now = clock()
        taskRun.state = state
        taskRun.histories = StateHistory.appending(state, to: taskRun.histories, at: now)
        if ExecutionStates.terminal.contains(state) { taskRun.endedAt = now }
        let lines = logs.map {
            LogLineRecord(
                executionId: execution.id, taskRunId: taskRun.id, attempt: taskRun.attemptCount, timestamp: now, level: $0.level,
                line: masker.mask($0.line))
        }
        try database.record(taskRuns: [taskRun], attempts: attempt.map { [$0] } ?? [], logs: lines)
        taskRuns[Self.key(taskRun.taskId, taskRun.parentTaskRunId, taskRun.value)] = taskRun
        for line in lines { log(line, taskRun.taskId) }
    }

    func finish(
        _ taskRun: inout TaskRunRecord,
        task: Task,
        state: String,
        value: String?,
        logs: [(level: String, line: String)] = [],
        attempt: AttemptRecord? = nil
    ) throws -> RunOutcome {
        try save(&taskRun, state: state, logs: logs, attempt: attempt)
        remember(taskRun, task: task, value: value)
        return outcome(of: taskRun, task: task)
    }

    func finishFlowable(_ taskRun: inout TaskRunRecord, task: Task, value: String?, _ children: RunOutcome) throws -> RunOutcome {
        switch children {
        case .paused: return .paused
        case .waiting: return .waiting
        case .killed: return try finish(&taskRun, task: task, state: "KILLED", value: value)
        case .cancelled: return try finish(&taskRun, task: task, state: "CANCELLED", value: value)
        case .failed: return try finish(&taskRun, task: task, state: "FAILED", value: value)
        case .warning: return try finish(&taskRun, task: task, state: "WARNING", value: value)
        case .success: return try finish(&taskRun, task: task, state: "SUCCESS", value: value)
        }
    }

    /// What a finished task run means for its siblings: `allowFailure` turns a failure into a warning, and
    /// `allowWarning` with it into success (KESTRA.md §4.1).
    func outcome(of taskRun: TaskRunRecord, task: Task) -> RunOutcome {
        switch taskRun.state {
        case "SUCCESS", "SKIPPED": return .success
        case "WARNING": return task.allowWarning ? .success : .warning
        case "KILLED": return .killed(execution.error ?? "killed")
        case "CANCELLED": return .cancelled(execution.error ?? "cancelled")
        case "PAUSED": return .paused
        default:
            guard task.allowFailure else { return .failed("task `\(task.id)` failed") }
            return task.allowWarning ? .success : .warning
        }
    }

    /// Makes a finished task's outputs and state visible to later expressions (`outputs.id`, `tasks.id.state`).
    func remember(_ taskRun: TaskRunRecord, task: Task, value: String?) {
        let taskOutputs = PebbleValue.storedJSON(taskRun.outputs)
        if let value {
            var byValue = outputs[task.id]?.mapValue ?? PebbleMap()
            byValue[value] = taskOutputs
            outputs[task.id] = .map(byValue)
        } else {
            outputs[task.id] = taskOutputs
        }
        states[task.id] = .map(PebbleMap([("state", .string(taskRun.state))]))
    }

    /// The Pebble context of KESTRA.md §4.3 for one task.
    func variables(for task: Task, taskRun: TaskRunRecord, parents: [PebbleValue], value: String?, item: PebbleValue? = nil) -> PebbleMap {
        var variables = executionVariables()
        variables["task"] = .map(PebbleMap([("id", .string(task.id)), ("type", .string(task.type.canonicalName))]))
        var run = PebbleMap([("id", .string(taskRun.id)), ("attemptsCount", .int(Int64(taskRun.attemptCount)))])
        if let value { run["value"] = .string(value) }
        variables["taskrun"] = .map(run)
        if let item { variables["item"] = item }
        if !parents.isEmpty {
            variables["parents"] = .list(parents)
            variables["parent"] = parents.last
        }
        return variables
    }

    /// What every expression of the execution sees, before the task's own part.
    func executionVariables() -> PebbleMap {
        var variables = PebbleMap()
        variables["flow"] = .map(
            PebbleMap([
                ("id", .string(flow.id)), ("namespace", .string(flow.namespace)), ("revision", .int(Int64(execution.flowRevision))),
            ]))
        variables["execution"] = .map(
            PebbleMap([
                ("id", .string(execution.id)), ("startDate", .string(ISO8601.format(execution.createdAt))), ("state", .string(execution.state)),
            ]))
        variables["inputs"] = inputs
        variables["outputs"] = .map(outputs)
        variables["tasks"] = .map(states)
        variables["labels"] = PebbleValue.storedJSON(execution.labels)
        variables["vars"] = .map(PebbleMap(flow.variables.map { ($0.key, PebbleValue($0.value)) }))
        variables["envs"] = .map(settings.envs)
        variables["kestra"] = .map(settings.kestra)
        if let trigger = execution.trigger { variables["trigger"] = PebbleValue.storedJSON(trigger) }
        return variables
    }
}

/// Kestra's terminal states (KESTRA.md §4.1).
enum ExecutionStates {
    static let terminal: Set<String> = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED", "RETRIED", "SKIPPED"]
}
