import Foundation
import Synchronization
import Testing

@testable import Engine
@testable import Store

/// A clock that moves only when a test says so, so retry back-offs and pause timers are tested without sleeping.
final class FakeClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A runner on a real SQLite file in a temporary directory, driven by a fake clock, with a worker to fire timers.
final class TimedFixture {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-timed-\(UUID().uuidString)")
    let clock = FakeClock()
    let database: GatehouseDatabase
    let runner: FlowRunner
    let worker: Worker

    init(random: Double = 0.5, owner: String = WorkerIdentity.current.id) throws {
        database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let clock = self.clock
        runner = FlowRunner(database: database, clock: { clock.now }, random: { random }, owner: owner)
        worker = Worker(runner: runner)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func start(_ body: String, id: String = "timed") throws -> ExecutionRecord {
        try runner.start(flowSource: "id: \(id)\nnamespace: engine.timed\n" + body, file: "\(id).yaml", inputs: [:], requester: "alice")
    }

    func execution(_ id: String) throws -> ExecutionRecord {
        try #require(try database.execution(id))
    }

    func taskRun(_ execution: ExecutionRecord, _ taskId: String) throws -> TaskRunRecord {
        try #require(try database.taskRuns(of: execution.id).first { $0.taskId == taskId })
    }

    /// The states of one task's attempts, in order.
    func attempts(_ execution: ExecutionRecord, of taskId: String) throws -> [String] {
        let run = try taskRun(execution, taskId)
        return try database.attempts(ofExecution: execution.id).filter { $0.taskRunId == run.id }.map(\.state)
    }

    func lines(_ execution: ExecutionRecord) throws -> [String] {
        try database.logs(of: execution.id).map(\.line)
    }

    /// Seconds from now until each pending work item of the execution.
    func timers(_ execution: ExecutionRecord) throws -> [TimeInterval] {
        // Flow triggers and approval notices are not the pause's own timers.
        let others = [WorkItemRecord.Kind.flowTrigger.rawValue, WorkItemRecord.Kind.notice.rawValue]
        return try database.workItems(ofExecution: execution.id).filter { !others.contains($0.kind) }.map {
            $0.dueAt.timeIntervalSince(clock.now)
        }
    }
}
