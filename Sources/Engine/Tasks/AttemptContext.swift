import FlowModel
import Foundation
import Store

/// What a running attempt may ask while it works: has someone asked to kill the execution, and has its time run out.
/// Long tasks poll it; each poll also keeps the execution's lease alive, so a live process is never taken for dead.
final class AttemptContext: @unchecked Sendable {
    let database: GatehouseDatabase
    let executionId: String
    let owner: String
    /// The attempt's `timeout`, measured on the monotonic clock.
    let deadline: ContinuousClock.Instant?
    let timeout: String?
    /// Who and what is running, for tasks that talk about their execution or keep files.
    let run: Run?
    private let lock = NSLock()
    private var lastCheck = ContinuousClock.now
    private var lastRenewal = ContinuousClock.now
    private var killRequested = false

    static let pollInterval: Duration = .milliseconds(100)
    static let renewalInterval: Duration = .seconds(15)

    init(database: GatehouseDatabase, executionId: String, owner: String, timeout: (text: String, seconds: Double)?, run: Run? = nil) {
        self.run = run
        self.database = database
        self.executionId = executionId
        self.owner = owner
        self.timeout = timeout?.text
        self.deadline = timeout.map { ContinuousClock.now + .milliseconds(Int64(($0.seconds * 1000).rounded())) }
    }

    var timedOut: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    /// Reads the execution's state at most every poll interval.
    func isKilled() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        if !killRequested, now - lastCheck >= Self.pollInterval {
            lastCheck = now
            killRequested = (try? database.executionState(executionId)) == "KILLING"
        }
        if now - lastRenewal >= Self.renewalInterval {
            lastRenewal = now
            // The runner's clock, which lease checks use too (a test's fake clock included).
            let now = run?.clock() ?? Date()
            try? database.renewLeases(owner: owner, until: now.addingTimeInterval(FlowRunner.leaseSeconds))
        }
        return killRequested
    }

    /// Sleeps until `end`, the deadline or a kill, whichever comes first; says which.
    func wait(until end: ContinuousClock.Instant) -> WaitResult {
        while true {
            if isKilled() { return .killed }
            let now = ContinuousClock.now
            if let deadline, now >= deadline { return .timedOut }
            if now >= end { return .done }
            let stop = min(end, deadline ?? end, now + Self.pollInterval)
            Thread.sleep(forTimeInterval: Double((stop - now).components.attoseconds) / 1e18 + Double((stop - now).components.seconds))
        }
    }

    enum WaitResult { case done, timedOut, killed }

    /// The attempt's place in its execution, and how its log lines reach the store and the live log.
    struct Run: Sendable {
        let flow: Flow
        let execution: ExecutionRecord
        let taskRun: TaskRunRecord
        let attempt: Int
        let settings: TaskSettings
        let masker: SecretMasker
        /// The task's `logLevel`: lines below it are dropped.
        let minimumLevel: String
        let clock: @Sendable () -> Date
        let log: @Sendable (LogLineRecord, String) -> Void
    }

    /// Stores log lines now, masked, instead of when the attempt ends, so a long task's output shows while it runs and
    /// survives a crash. Callers batch fast output; each call is one write.
    func emit(_ lines: [(level: String, line: String)]) {
        guard let run, !lines.isEmpty else { return }
        let now = run.clock()
        let records = lines.filter { LogLevel.rank($0.level) >= LogLevel.rank(run.minimumLevel) }.map {
            LogLineRecord(
                executionId: executionId, taskRunId: run.taskRun.id, attempt: run.attempt, timestamp: now, level: $0.level,
                line: run.masker.mask($0.line))
        }
        guard !records.isEmpty else { return }
        try? database.record(logs: records)
        for record in records { run.log(record, run.taskRun.taskId) }
    }
}
