import FlowModel
import Foundation
import Pebble
import Store

/// Why an execution could not be started or resumed; what a caller shows a person.
package enum RunError: Error, Equatable, CustomStringConvertible {
    case invalidFlow([String])
    /// Every input error at once, in Kestra's wording; no execution was created.
    case invalidInputs([String])
    case executionNotFound(String)
    case flowRevisionMissing(String)
    case notPaused(String)

    package var description: String {
        switch self {
        case .invalidFlow(let problems): "the flow is invalid:\n" + problems.joined(separator: "\n")
        case .invalidInputs(let errors): errors.joined(separator: "\n")
        case .executionNotFound(let id): "Execution '\(id)' not found"
        case .flowRevisionMissing(let what): "the flow revision \(what) is not stored"
        case .notPaused(let message): message
        }
    }
}

/// Starts, resumes and drives executions; the CLI, the web layer and the API all come through here.
package struct FlowRunner: Sendable {
    package let database: GatehouseDatabase
    package let engine: PebbleEngine
    package let clock: @Sendable () -> Date

    /// `environment` supplies `secret('X')` from `SECRET_X` (base64), as Kestra OSS does.
    package init(database: GatehouseDatabase, environment: [String: String] = [:], clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.engine = PebbleEngine(functions: [.secret(environment: environment), .now(clock: clock)])
        self.clock = clock
    }

    /// Validates the flow, resolves its inputs, stores the flow revision and the execution, then drives it to its end
    /// or its first pause. Invalid inputs create no execution.
    package func start(
        flowSource: String,
        file: String,
        inputs submitted: [String: SubmittedInput],
        requester: String,
        log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }
    ) throws -> ExecutionRecord {
        let parsed = FlowParser().parse(source: flowSource, file: file)
        guard let flow = parsed.flow else { throw RunError.invalidFlow(parsed.errors.map(\.description)) }
        let resolution = InputResolver(engine: engine).resolve(flow.inputs, submitted: submitted)
        guard resolution.isValid else { throw RunError.invalidInputs(resolution.errors) }
        let revision = try database.deployFlow(namespace: flow.namespace, flowId: flow.id, source: flowSource, deployedBy: requester)
        let now = clock()
        let id = ExecutionID.generate().rawValue
        var labels = PebbleMap(flow.labels.map { ($0.key, PebbleValue.string($0.value)) })
        labels["system.correlationId"] = .string(id)
        labels["system.username"] = .string(requester)
        let execution = ExecutionRecord(
            id: id, namespace: flow.namespace, flowId: flow.id, flowRevision: revision.revision, state: "CREATED",
            inputs: PebbleValue.map(Self.masked(resolution)).json, labels: PebbleValue.map(labels).json, requester: requester,
            histories: StateHistory.appending("CREATED", to: "[]", at: now), createdAt: now
        )
        try database.createExecution(execution, actor: requester)
        return try drive(execution, flow: flow, log: log)
    }

    /// Resumes a paused execution with its Pause task's `onResume` inputs (or rejects it), exactly once.
    package func resume(
        executionId: String,
        inputs submitted: [String: SubmittedInput],
        decidedBy: String,
        approve: Bool = true,
        comment: String? = nil,
        log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }
    ) throws -> ExecutionRecord {
        guard let execution = try database.execution(executionId) else { throw RunError.executionNotFound(executionId) }
        let flow = try flow(of: execution)
        guard execution.state == "PAUSED",
            let paused = try database.taskRuns(of: executionId).last(where: { $0.state == "PAUSED" }),
            let pauseTask = flow.allTasks.first(where: { $0.id == paused.taskId })
        else {
            throw RunError.notPaused("Execution '\(executionId)' is not paused, can't resume it (it is \(execution.state))")
        }
        var resumeInputs = PebbleMap()
        if approve {
            let resolution = InputResolver(engine: engine).resolve(pauseTask.onResume, submitted: submitted)
            guard resolution.isValid else { throw RunError.invalidInputs(resolution.errors) }
            resumeInputs = Self.masked(resolution)
        }
        let now = clock()
        do {
            let resumed = try database.recordResume(
                executionId: executionId, taskRunId: paused.id, decision: approve ? "APPROVED" : "REJECTED", decidedBy: decidedBy,
                comment: comment, inputs: PebbleValue.map(resumeInputs).json,
                histories: StateHistory.appending("RUNNING", to: execution.histories, at: now), at: now
            )
            return try drive(resumed, flow: flow, log: log)
        } catch let error as StoreError {
            throw RunError.notPaused(error.description)
        }
    }

    /// Drives a stored execution again (after a resume or a restart).
    package func drive(executionId: String, log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }) throws -> ExecutionRecord {
        guard let execution = try database.execution(executionId) else { throw RunError.executionNotFound(executionId) }
        return try drive(execution, flow: try flow(of: execution), log: log)
    }

    private func drive(_ execution: ExecutionRecord, flow: Flow, log: @escaping @Sendable (LogLineRecord, String) -> Void) throws -> ExecutionRecord {
        let driver = try ExecutionDriver(database: database, engine: engine, flow: flow, execution: execution, clock: clock, log: log)
        try driver.drive()
        return driver.execution
    }

    /// The exact flow revision an execution started with, so later edits never change a running request.
    private func flow(of execution: ExecutionRecord) throws -> Flow {
        let what = "\(execution.namespace).\(execution.flowId) revision \(execution.flowRevision)"
        guard let revision = try database.flowRevision(namespace: execution.namespace, flowId: execution.flowId, revision: execution.flowRevision)
        else { throw RunError.flowRevisionMissing(what) }
        let parsed = FlowParser().parse(source: revision.source, file: what)
        guard let flow = parsed.flow else { throw RunError.invalidFlow(parsed.errors.map(\.description)) }
        return flow
    }

    /// Input values to store: SECRET inputs are masked, so they never reach the database in clear.
    static func masked(_ resolution: InputResolution) -> PebbleMap {
        var values = resolution.values
        for input in resolution.inputs where input.isSecret && values[input.id] != nil {
            values[input.id] = .string("******")
        }
        return values
    }
}
