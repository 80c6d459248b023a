import Dispatch
import FlowModel
import Foundation
import Pebble
import Store

/// The long-running side of the engine: recovers what a crashed process left behind, fires due timers (pause
/// durations and timeouts, retry back-offs) and starts queued executions, on a bounded pool of threads. The web server
/// and `gatehouse worker` run one; `gatehouse run` uses it to wait out retries.
package struct Worker: Sendable {
    package let runner: FlowRunner
    /// How many executions are driven at once.
    package let poolSize: Int
    /// Where the worker reports what it did (recoveries, failures of a timer), one line each.
    package let report: @Sendable (String) -> Void
    /// Where the log lines of the executions it drives go, as they happen.
    package let log: @Sendable (LogLineRecord, String) -> Void
    /// The flows whose triggers are live (Schedule and Flow triggers); asked again on every pass, so a reloaded catalog
    /// takes effect at once.
    package let flows: @Sendable () -> [DeployedFlow]

    package init(
        runner: FlowRunner,
        poolSize: Int = 4,
        flows: @escaping @Sendable () -> [DeployedFlow] = { [] },
        report: @escaping @Sendable (String) -> Void = { _ in },
        log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }
    ) {
        self.flows = flows
        self.runner = runner
        self.poolSize = max(1, poolSize)
        self.report = report
        self.log = log
    }

    private var database: GatehouseDatabase { runner.database }

    // MARK: - Recovery

    /// Picks up executions whose process stopped: any RUNNING attempt is marked failed and its retry policy decides;
    /// PAUSED executions stay PAUSED; queued executions get free slots. Returns the executions it drove.
    @discardableResult
    package func recover() throws -> [ExecutionRecord] {
        let now = runner.clock()
        var orphans: [ExecutionRecord] = []
        for (execution, owner, expiresAt) in try database.unfinishedExecutions() {
            if let owner {
                guard owner != runner.owner, WorkerIdentity.isCertainlyDead(owner) || (expiresAt ?? now) < now else { continue }
                report("recovering execution \(execution.id) (\(execution.namespace).\(execution.flowId)): its process \(owner) stopped")
                orphans.append(execution)
            } else if execution.state == "RUNNING", try !database.workItems(ofExecution: execution.id).isEmpty {
                continue  // waiting for a retry back-off; its timer will wake it
            } else {
                report("recovering execution \(execution.id) (\(execution.namespace).\(execution.flowId)), left \(execution.state)")
                orphans.append(execution)
            }
        }
        var driven: [ExecutionRecord] = []
        let pool = WorkerPool(size: poolSize)
        let results = Results()
        for execution in orphans {
            pool.submit {
                let done = attempt("recovering \(execution.id)") { () -> ExecutionRecord? in
                    do {
                        return try runner.drive(executionId: execution.id, log: log)
                    } catch let error as RunError where error.leavesExecutionUnrunnable {
                        return try giveUp(execution, because: error)
                    }
                }
                if let done = done ?? nil { results.append(done) }
            }
        }
        pool.waitForAll()
        driven = results.all
        try admitQueuedEverywhere()
        return driven
    }

    /// An execution whose flow revision is gone or unreadable can never run; it fails, saying why, instead of being
    /// tried again at every start.
    private func giveUp(_ execution: ExecutionRecord, because error: RunError) throws -> ExecutionRecord? {
        let reason = "Gatehouse cannot continue this execution: \(error)"
        report("execution \(execution.id) (\(execution.namespace).\(execution.flowId)) failed: \(reason)")
        return try runner.failUnrunnable(execution.id, reason: reason)
    }

    /// Gives queued executions of every flow the slots that are free.
    func admitQueuedEverywhere() throws {
        var seen = Set<String>()
        for queued in try database.executions(state: "QUEUED", limit: 1_000).reversed()
        where seen.insert("\(queued.namespace)|\(queued.flowId)").inserted {
            _ = attempt("admitting queued executions of \(queued.namespace).\(queued.flowId)") {
                try runner.admitQueued(flow: try runner.flow(of: queued))
            }
        }
    }

    // MARK: - Timers

    /// Acts on every work item due now, each exactly once even with several workers; returns how many it took.
    @discardableResult
    package func fireDueWork(executionId: String? = nil) throws -> Int {
        let due = try database.dueWorkItems(now: runner.clock(), kinds: [.flowTrigger], excluding: true).filter {
            executionId == nil || $0.executionId == executionId
        }
        let pool = WorkerPool(size: poolSize)
        let taken = Results()
        for item in due {
            pool.submit {
                if attempt("firing timer \(item.id ?? 0)", { try fire(item) }) == true { taken.count() }
            }
        }
        pool.waitForAll()
        return taken.counted
    }

    private func fire(_ item: WorkItemRecord) throws -> Bool {
        guard let executionId = item.executionId else { return try database.takeWorkItem(item.id ?? 0) }
        switch WorkItemRecord.Kind(rawValue: item.kind) {
        case .pause?:
            let payload = PebbleValue.storedJSON(item.payload).mapValue
            let decision = payload?["decision"]?.stringValue ?? ExecutionDriver.timeoutDecision
            let comment = payload?["comment"]?.stringValue ?? "the pause's timer fired"
            let now = runner.clock()
            guard
                try database.resumeByTimer(
                    item, decision: decision, comment: comment, at: now,
                    histories: {
                        StateHistory.appending("RUNNING", to: $0.histories, at: now)
                    }) != nil
            else { return false }
            _ = try runner.drive(executionId: executionId, log: log)
            return true
        case .notice?:
            guard try database.takeWorkItem(item.id ?? 0) else { return false }
            try ApprovalNotifier(runner: runner).send(item)
            return true
        case .start?, .retry?, .dequeue?, .flowTrigger?, nil:
            guard try database.takeWorkItem(item.id ?? 0) else { return false }
            do {
                _ = try runner.drive(executionId: executionId, log: log)
            } catch RunError.busy {
                // Another process drives it already (a kill of a running execution, say) and sees the change itself.
            }
            return true
        }
    }

    /// Waits out the timers of one RUNNING execution (retry back-offs) and returns it once it rests: ended, paused, or
    /// with nothing more scheduled. `gatehouse run` uses this so a retried task finishes within the command.
    package func driveToRest(_ executionId: String) throws -> ExecutionRecord? {
        while let execution = try database.execution(executionId), execution.state == "RUNNING" {
            guard let next = try database.workItems(ofExecution: executionId).map(\.dueAt).min() else { return execution }
            let wait = next.timeIntervalSince(runner.clock())
            if wait > 0 { Thread.sleep(forTimeInterval: min(wait, 1)) }
            try fireDueWork(executionId: executionId)
        }
        return try database.execution(executionId)
    }

    /// Starts the flows whose Flow triggers listen for executions that ended; returns the executions created, which
    /// `fireDueWork` then drives.
    @discardableResult
    package func fireFlowTriggers() throws -> [ExecutionRecord] {
        let ended = try database.dueWorkItems(now: runner.clock(), limit: 500, kinds: [.flowTrigger])
        guard !ended.isEmpty else { return [] }
        let listening = flows()
        var created: [ExecutionRecord] = []
        for item in ended {
            let started = attempt("firing the Flow triggers of execution \(item.executionId ?? "?")") { () -> [ExecutionRecord] in
                do {
                    return try FlowTriggers(runner: runner).fire(item, flows: listening)
                } catch StoreError.alreadyFired {
                    return []
                }
            }
            for execution in started ?? [] {
                report("execution \(execution.id) of \(execution.namespace).\(execution.flowId) started by a Flow trigger")
                created.append(execution)
            }
        }
        return created
    }

    /// Fires the Schedule triggers that are due; the executions they create are driven by `fireDueWork`.
    @discardableResult
    package func fireSchedules() -> [ExecutionRecord] {
        ScheduleTriggers(runner: runner).fireDue(flows: flows(), report: report)
    }

    /// Runs until `shouldStop` says so: recovery first, then schedules and due work every `interval`.
    package func run(interval: TimeInterval = 0.5, shouldStop: @Sendable () -> Bool) throws {
        try recover()
        var lastReap = Date.distantPast
        while !shouldStop() {
            if runner.clock().timeIntervalSince(lastReap) >= 60 {
                lastReap = runner.clock()
                _ = attempt("checking VM expiry") { try VMReaper(runner: runner).run(flows: flows(), report: report) }
            }
            fireSchedules()
            try fireFlowTriggers()
            try fireDueWork()
            try admitQueuedEverywhere()
            let next = try database.nextDueDate()?.timeIntervalSince(runner.clock()) ?? interval
            Thread.sleep(forTimeInterval: max(0.01, min(interval, next)))
        }
    }

    /// Runs one piece of work, reporting instead of throwing so one bad execution never stops the worker.
    private func attempt<T>(_ what: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch RunError.busy {
            return nil  // a live process is driving it; it will see the change itself
        } catch {
            report("\(what) failed: \(error)")
            return nil
        }
    }
}

/// A fixed number of threads driving executions; `submit` waits for a free one.
final class WorkerPool: @unchecked Sendable {
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()

    init(size: Int) { slots = DispatchSemaphore(value: size) }

    func submit(_ work: @escaping @Sendable () -> Void) {
        slots.wait()
        group.enter()
        DedicatedThread.start(name: "gatehouse worker") { [slots, group] in
            defer {
                slots.signal()
                group.leave()
            }
            work()
        }
    }

    func waitForAll() { group.wait() }
}

/// Results gathered from pool threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [ExecutionRecord] = []
    private var number = 0

    func append(_ item: ExecutionRecord) { lock.withLock { items.append(item) } }
    func count() { lock.withLock { number += 1 } }
    var all: [ExecutionRecord] { lock.withLock { items } }
    var counted: Int { lock.withLock { number } }
}
