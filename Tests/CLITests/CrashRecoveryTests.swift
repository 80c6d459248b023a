import Foundation
import GRDB
import Store
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGKILL in the middle of a running task and in the middle of a pause, then a restart: the states recovered, the
/// log lines written and the audit chain are checked on the real SQLite file.
@Suite("Crash recovery, with real processes and SIGKILL")
struct CrashRecoveryTests {
    static let crashingFlows = [
        (
            "retried",
            """
            id: retried
            namespace: cli.crash
            tasks:
              - {id: before, type: io.kestra.plugin.core.log.Log, message: before}
              - id: nap
                type: io.kestra.plugin.core.flow.Sleep
                duration: "{{ taskrun.attemptsCount == 0 ? 'PT120S' : 'PT0S' }}"
                retry: {type: constant, interval: PT0S, maxAttempts: 2}
              - {id: after, type: io.kestra.plugin.core.log.Log, message: after}
            """
        ),
        (
            "single",
            """
            id: single
            namespace: cli.crash
            tasks:
              - {id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT120S}
              - {id: after, type: io.kestra.plugin.core.log.Log, message: after}
            """
        ),
    ]

    @Test("killed during a task: the attempt is marked failed with a log line, then the retry policy decides")
    func killedDuringTask() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data").path
        var processes: [Process] = []
        for (name, source) in Self.crashingFlows {
            let flow = root.appendingPathComponent("\(name).yaml")
            try source.write(to: flow, atomically: true, encoding: .utf8)
            processes.append(try Self.spawn(["run", flow.path, "--data", data], log: root.appendingPathComponent("\(name).log")))
        }
        defer {
            for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let database = try await Self.openWhenCreated(data)
        try await Self.waitUntil("both naps are running") {
            try database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM taskRun WHERE taskId = 'nap' AND state = 'RUNNING'") == 2
            }
        }
        for process in processes {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
        }
        // What the crash left: RUNNING executions with a RUNNING attempt each.
        #expect(try database.executions().map(\.state) == ["RUNNING", "RUNNING"])
        #expect(try database.executions().flatMap { try database.attempts(ofExecution: $0.id) }.filter { $0.state == "RUNNING" }.count == 2)

        let restart = try await GatehouseProcess.run(["worker", "--once", "--data", data])
        #expect(restart.status == 0)
        #expect(restart.standardError.contains("recovering execution"))

        let byFlow = Dictionary(uniqueKeysWithValues: try database.executions().map { ($0.flowId, $0) })
        let retried = try #require(byFlow["retried"])
        let single = try #require(byFlow["single"])
        #expect(retried.state == "SUCCESS")
        #expect(single.state == "FAILED")
        #expect(try database.attempts(ofExecution: retried.id).filter { $0.number <= 2 }.map(\.state).contains("FAILED"))
        for execution in [retried, single] {
            let lines = try database.logs(of: execution.id).map(\.line)
            #expect(
                lines.contains {
                    $0.hasPrefix("the Gatehouse process running attempt 1 (") && $0.hasSuffix(") stopped; the attempt is marked FAILED")
                })
        }
        #expect(try database.logs(of: retried.id).map(\.line).last == "after")
        #expect(try !database.logs(of: single.id).map(\.line).contains("after"))
        #expect(try database.taskRuns(of: single.id).map(\.state) == ["FAILED"])
        let audit = try await GatehouseProcess.run(["audit", "verify", "--data", data])
        #expect(audit.status == 0)
    }

    @Test("killed during a pause: it stays PAUSED, and its timer fires exactly once after the restart")
    func killedDuringPause() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data").path
        let flow = root.appendingPathComponent("gate.yaml")
        try """
        id: gate
        namespace: cli.crash
        tasks:
          - {id: wait, type: io.kestra.plugin.core.flow.Pause, pauseDuration: PT1H, behavior: WARN}
          - {id: after, type: io.kestra.plugin.core.log.Log, message: "after {{ tasks.wait.state }}"}
        """.write(to: flow, atomically: true, encoding: .utf8)
        let run = try await GatehouseProcess.run(["run", flow.path, "--data", data])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains(" PAUSED"))

        // A worker holds the data directory while the execution waits; it is killed before the timer is due.
        let workerLog = root.appendingPathComponent("worker.log")
        let worker = try Self.spawn(["worker", "--data", data], log: workerLog)
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        try await Self.waitUntil("the worker is watching") { try String(contentsOf: workerLog, encoding: .utf8).contains("watching") }
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        let database = try GatehouseDatabase(directory: DataDirectory(path: data))
        let execution = try #require(try database.executions().first)
        #expect(execution.state == "PAUSED")
        let timer = try #require(try database.workItems(ofExecution: execution.id).first)

        // After the restart, PAUSED stays PAUSED while the timer is not due.
        let early = try await GatehouseProcess.run(["worker", "--once", "--data", data])
        #expect(early.status == 0)
        #expect(try database.execution(execution.id)?.state == "PAUSED")
        #expect(try database.workItems(ofExecution: execution.id) == [timer])

        // An hour passes (the stored due time moves into the past instead of the test sleeping); the timer fires once.
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE workItem SET dueAt = ? WHERE id = ?", arguments: [Date().addingTimeInterval(-1), timer.id])
        }
        let restart = try await GatehouseProcess.run(["worker", "--once", "--data", data])
        #expect(restart.status == 0)
        let again = try await GatehouseProcess.run(["worker", "--once", "--data", data])
        #expect(again.status == 0)

        #expect(try database.execution(execution.id)?.state == "WARNING")
        #expect(try database.approvals(of: execution.id).map(\.decision) == ["TIMER:WARN"])
        #expect(try database.logs(of: execution.id).map(\.line).filter { $0 == "after WARNING" }.count == 1)
        #expect(try database.logs(of: execution.id).map(\.line).contains("pauseDuration PT1H elapsed; behavior WARN"))
        #expect(try database.workItems(ofExecution: execution.id).isEmpty)
        let audit = try await GatehouseProcess.run(["audit", "verify", "--data", data])
        #expect(audit.status == 0)
    }

    static func spawn(_ arguments: [String], log: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = GatehouseProcess.executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    static func openWhenCreated(_ data: String) async throws -> GatehouseDatabase {
        let file = URL(fileURLWithPath: data).appendingPathComponent("gatehouse.sqlite").path
        try await waitUntil("the database exists") { FileManager.default.fileExists(atPath: file) }
        return try GatehouseDatabase(directory: DataDirectory(path: data))
    }

    /// Polls every 50 ms, failing after 60 s with what it waited for.
    static func waitUntil(_ what: String, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? condition()) == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}
