import Foundation
import Testing

@testable import Engine
@testable import Pebble
@testable import Store

/// A runner on a real SQLite file in a temporary data directory, whose tasks run real processes. `server` is the
/// server's environment the task settings see (PATH is the test process's own unless given).
final class ScriptFixture {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-script-\(UUID().uuidString)")
    let database: GatehouseDatabase
    let runner: FlowRunner
    let namespace: String

    init(namespace: String = "engine.scripts", server: [String: String] = [:], secrets: [String: String] = [:]) throws {
        self.namespace = namespace
        let data = DataDirectory(path: root.path)
        database = try GatehouseDatabase(directory: data)
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ScriptSettings.defaultTaskPath]
        environment[ScriptSettings.namespaceFilesVariable] = root.appendingPathComponent("namespace-files").path
        environment.merge(server) { _, new in new }
        runner = FlowRunner(
            database: database, secrets: SecretStore(values: secrets), settings: TaskSettings(dataDirectory: data, environment: environment))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Runs a flow made of `tasks` (YAML list items, indented by two spaces) to its end, on a thread of its own: the run
    /// blocks while its commands run, and the cooperative pool stays free for other tests.
    func start(_ tasks: String, id: String = "test", log: @escaping @Sendable (LogLineRecord, String) -> Void = { _, _ in }) async throws
        -> ExecutionRecord
    {
        let (runner, source) = (self.runner, "id: \(id)\nnamespace: \(namespace)\ntasks:\n" + tasks)
        return try await onOwnThread { try runner.start(flowSource: source, file: "\(id).yaml", inputs: [:], requester: "alice", log: log) }
    }

    /// The execution's log lines of one task (all tasks when nil), as "LEVEL line".
    func lines(_ execution: ExecutionRecord, of taskId: String? = nil) throws -> [String] {
        let runs = Dictionary(uniqueKeysWithValues: try database.taskRuns(of: execution.id).map { ($0.id, $0.taskId) })
        return try database.logs(of: execution.id).filter { taskId == nil || $0.taskRunId.flatMap { runs[$0] } == taskId }.map {
            "\($0.level) \($0.line)"
        }
    }

    func outputs(_ execution: ExecutionRecord, of taskId: String) throws -> PebbleMap {
        let run = try #require(try database.taskRuns(of: execution.id).first { $0.taskId == taskId })
        return PebbleValue.storedJSON(run.outputs).mapValue ?? PebbleMap()
    }

    func state(_ execution: ExecutionRecord, of taskId: String) throws -> String? {
        try database.taskRuns(of: execution.id).first { $0.taskId == taskId }?.state
    }

    /// The working directories left under the data directory.
    var workdirs: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: DataDirectory(path: root.path).workdirs.path)) ?? []
    }
}

/// Whether a process is still running a second after it was signalled: gone, or a zombie waiting for PID 1 to reap it,
/// counts as stopped.
func isRunning(_ pid: Int32) -> Bool {
    for _ in 0..<50 {
        guard isAlive(pid) else { return false }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return true
}

private func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
        return false
    }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// Runs blocking work on a thread of its own and waits for it without holding a thread of the cooperative pool.
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
