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
    /// Another live process is driving the execution right now.
    case busy(String)
    case notKillable(String)
    /// A rule refuses the decision: the four-eyes rule, the flow's approvers, a changed plan, a rejection without reason.
    case refused(String)

    package var description: String {
        switch self {
        case .invalidFlow(let problems): "the flow is invalid:\n" + problems.joined(separator: "\n")
        case .invalidInputs(let errors): errors.joined(separator: "\n")
        case .executionNotFound(let id): "Execution '\(id)' not found"
        case .flowRevisionMissing(let what): "the flow revision \(what) is not stored"
        case .notPaused(let message): message
        case .busy(let message): message
        case .notKillable(let message): message
        case .refused(let message): message
        }
    }
}

/// Starts, resumes and drives executions; the CLI, the web layer and the API all come through here.
package struct FlowRunner: Sendable {
    package let database: GatehouseDatabase
    package let engine: PebbleEngine
    package let clock: @Sendable () -> Date
    /// Numbers in 0..<1 for the random retry policy.
    package let random: @Sendable () -> Double
    /// The lease holder written on executions this runner drives.
    package let owner: String
    /// What `secret('X')` reads, and what every log line, output and error is masked against.
    package let secrets: SecretStore
    /// Where tasks keep working directories and stored files, and the environment their settings come from.
    package let settings: TaskSettings
    /// Seals SECRET input values before they are stored; the execution's own tasks see them opened.
    package let inputCipher: SecretInputCipher

    /// How long a lease lasts without renewal; a process that stops renewing is taken for dead after this.
    package static let leaseSeconds: TimeInterval = 60

    /// `secrets` supplies `secret('X')`; without it, `environment`'s `SECRET_X` variables (base64) do, as in Kestra
    /// OSS. `clock` is the time every timestamp and timer uses; tests pass a fake one.
    package init(
        database: GatehouseDatabase,
        environment: [String: String] = [:],
        secrets: SecretStore? = nil,
        settings: TaskSettings? = nil,
        clock: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        owner: String = WorkerIdentity.current.id
    ) {
        self.database = database
        let secrets = secrets ?? (try? SecretStore(environment: environment, file: nil)) ?? SecretStore(values: [:])
        self.secrets = secrets
        let settings = settings ?? TaskSettings(database: database)
        self.settings = settings
        self.inputCipher = SecretInputCipher(settings: settings)
        self.engine = PebbleEngine(functions: [secrets.pebbleFunction(), .now(clock: clock), .read(settings: settings)])
        self.clock = clock
        self.random = random
        self.owner = owner
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
        let execution = newExecution(
            of: flow, revision: revision.revision, inputs: try sealed(resolution), requester: requester, username: requester, at: now)
        let stored = try database.createExecution(execution, actor: requester) { active in
            Self.admit(execution, flow: flow, active: active, at: now)
        }
        guard stored.state == "CREATED" else { return stored }
        return try drive(stored, flow: flow, log: log)
    }

    /// A CREATED execution of a flow revision: the flow's labels (and `extraLabels`, a trigger's) with Kestra's system
    /// labels, `system.username` only when a person asked for it.
    func newExecution(
        of flow: Flow, revision: Int, inputs: PebbleMap, requester: String, username: String?, trigger: PebbleValue? = nil,
        extraLabels: [Label] = [], id: String = ExecutionID.generate().rawValue, at now: Date
    ) -> ExecutionRecord {
        var labels = PebbleMap((flow.labels + extraLabels).map { ($0.key, PebbleValue.string($0.value)) })
        labels["system.correlationId"] = .string(id)
        if let username {
            labels["system.username"] = .string(username)
            // Where the flow's own notifications reach the requester (Gatehouse's label; Kestra has no user e-mail).
            if let email = try? database.user(named: username)?.email, !email.isEmpty { labels["gatehouse.requester-email"] = .string(email) }
        }
        return ExecutionRecord(
            id: id, namespace: flow.namespace, flowId: flow.id, flowRevision: revision, state: "CREATED", inputs: PebbleValue.map(inputs).json,
            labels: PebbleValue.map(labels).json, requester: requester, trigger: trigger?.json,
            histories: StateHistory.appending("CREATED", to: "[]", at: now), createdAt: now
        )
    }

    /// Flow `concurrency` (KESTRA.md §5.2): past the limit, QUEUE waits for a slot, CANCEL and FAIL end at once.
    static func admit(_ execution: ExecutionRecord, flow: Flow, active: Int, at now: Date) -> ExecutionRecord {
        guard let concurrency = flow.concurrency, active >= concurrency.limit else { return execution }
        var admitted = execution
        let reason = "the flow's concurrency limit of \(concurrency.limit) is reached"
        switch concurrency.behavior {
        case .queue:
            admitted.state = "QUEUED"
        case .cancel:
            admitted.state = "CANCELLED"
            admitted.error = reason
            admitted.endedAt = now
        case .fail:
            admitted.state = "FAILED"
            admitted.error = reason
            admitted.endedAt = now
        }
        admitted.histories = StateHistory.appending(admitted.state, to: admitted.histories, at: now)
        return admitted
    }

    /// Asks for an execution to be killed: the process driving it stops its running attempt; if nobody is driving it
    /// (paused, queued, waiting for a retry), it is ended here, or, with `driveNow` false, by the worker: ending it runs
    /// its `afterExecution` tasks (mail, Slack), which a web request should not wait for.
    @discardableResult
    package func kill(executionId: String, by actor: String, driveNow: Bool = true) throws -> ExecutionRecord {
        let killing: ExecutionRecord
        do {
            killing = try database.requestKill(executionId, by: actor, at: clock()) {
                StateHistory.appending("KILLING", to: $0.histories, at: clock())
            }
        } catch StoreError.executionNotFound(let id) {
            throw RunError.executionNotFound(id)
        } catch let error as StoreError {
            throw RunError.notKillable(error.description)
        }
        guard driveNow else {
            try database.record(timers: [WorkItemRecord(kind: .start, executionId: killing.id, taskRunId: nil, dueAt: clock())])
            return killing
        }
        do {
            return try drive(killing, flow: try flow(of: killing), log: { _, _ in })
        } catch RunError.busy {
            return killing
        }
    }

    /// Drives a stored execution again (after a resume or a restart).
    package func drive(executionId: String, log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }) throws -> ExecutionRecord {
        guard let execution = try database.execution(executionId) else { throw RunError.executionNotFound(executionId) }
        return try drive(execution, flow: try flow(of: execution), log: log)
    }

    /// Drives an execution under this runner's lease, so no two processes ever run it at once. When it ends, the next
    /// QUEUED execution of its flow takes the freed slot and runs too.
    func drive(_ execution: ExecutionRecord, flow: Flow, log: @escaping @Sendable (LogLineRecord, String) -> Void) throws -> ExecutionRecord {
        try claim(execution.id)
        let driven: ExecutionRecord
        do {
            defer { try? database.releaseExecution(execution.id, owner: owner) }
            let stored = try database.execution(execution.id) ?? execution
            let driver = try ExecutionDriver(runner: self, flow: flow, execution: stored, log: log)
            try driver.drive()
            driven = driver.execution
        }
        if ExecutionStates.terminal.contains(driven.state) { try admitQueued(flow: flow) }
        return driven
    }

    /// Takes the lease, or takes the execution over from a process that is certainly gone.
    func claim(_ executionId: String) throws {
        let now = clock()
        let until = now.addingTimeInterval(Self.leaseSeconds)
        if try database.claimExecution(executionId, owner: owner, until: until, now: now) { return }
        if let holder = try database.owner(of: executionId), WorkerIdentity.isCertainlyDead(holder.owner),
            try database.takeOverExecution(executionId, from: holder.owner, to: owner, until: until)
        {
            return
        }
        let holder = (try? database.owner(of: executionId))?.owner ?? "another process"
        throw RunError.busy("Execution '\(executionId)' is being run by \(holder)")
    }

    /// Starts queued executions of the flow while it has free slots.
    package func admitQueued(flow: Flow) throws {
        guard let concurrency = flow.concurrency else { return }
        while let next = try database.dequeue(
            namespace: flow.namespace, flowId: flow.id, limit: concurrency.limit,
            histories: {
                StateHistory.appending("CREATED", to: $0.histories, at: clock())
            })
        {
            _ = try drive(next, flow: try self.flow(of: next), log: { _, _ in })
        }
    }

    /// The exact flow revision an execution started with, so later edits never change a running request.
    func flow(of execution: ExecutionRecord) throws -> Flow {
        let what = "\(execution.namespace).\(execution.flowId) revision \(execution.flowRevision)"
        guard let revision = try database.flowRevision(namespace: execution.namespace, flowId: execution.flowId, revision: execution.flowRevision)
        else { throw RunError.flowRevisionMissing(what) }
        let parsed = FlowParser().parse(source: revision.source, file: what)
        guard let flow = parsed.flow else { throw RunError.invalidFlow(parsed.errors.map(\.description)) }
        return flow
    }

    /// Input values to store: SECRET inputs are sealed with the data directory's key, so they never reach the database
    /// in clear but are there for the execution's tasks, also after a pause of days.
    func sealed(_ resolution: InputResolution) throws -> PebbleMap {
        var values = resolution.values
        for input in resolution.inputs where input.isSecret {
            guard case .string(let text)? = values[input.id] else { continue }
            do {
                values[input.id] = .string(try inputCipher.seal(text))
            } catch {
                throw RunError.invalidInputs(["Unable to use the `SECRET` input `\(input.id)`: \(error)"])
            }
        }
        return values
    }

    /// Input values to store without keeping SECRET ones at all: `onResume` answers, which tasks read only as outputs.
    static func masked(_ resolution: InputResolution) -> PebbleMap {
        var values = resolution.values
        for input in resolution.inputs where input.isSecret && values[input.id] != nil {
            values[input.id] = .string("******")
        }
        return values
    }
}
