import Foundation
import Synchronization
import Testing

@testable import Engine
@testable import Store

/// Timeouts and kills reach a command's whole process group: TERM, then KILL after the grace period, no orphans.
@Suite("Stopping commands")
struct ProcessStopTests {
    static let commands = "type: io.kestra.plugin.scripts.shell.Commands"

    /// The pid a command printed as `grandchild <pid>`.
    static func grandchild(in lines: [String]) throws -> Int32 {
        try #require(printedPid(in: lines))
    }

    static func printedPid(in lines: [String]) -> Int32? {
        lines.compactMap { $0.hasPrefix("INFO grandchild ") ? Int32($0.dropFirst("INFO grandchild ".count)) : nil }.first
    }

    @Test("a timeout stops a command and the sleep it started, within the timeout and a moment")
    func timeout() async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - id: slow
                \(Self.commands)
                timeout: PT1S
                commands:
                  - sleep 30 &
                  - echo "grandchild $!"
                  - wait
            """)
        #expect(execution.state == "FAILED")
        #expect(try fixture.lines(execution).last == "ERROR Timeout after PT1S")
        // Timed by the attempt itself: awaiting the run can also wait for a thread while other tests hold the pool.
        let attempt = try #require(try fixture.database.attempts(ofExecution: execution.id).first)
        #expect(try #require(attempt.endedAt).timeIntervalSince(attempt.startedAt) < 4)
        let pid = try Self.grandchild(in: try fixture.lines(execution))
        #expect(!isRunning(pid), "the grandchild sleep \(pid) was stopped with its group")
    }

    @Test("a command that ignores SIGTERM is killed after the grace period")
    func killAfterGrace() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-stop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let context = AttemptContext(database: database, executionId: "none", owner: "test", timeout: ("PT0.3S", 0.3))
        let (outcome, output, elapsed) = try await onOwnThread {
            var output = ""
            let started = ContinuousClock.now
            let outcome = try ProcessRunner(gracePeriod: .milliseconds(300)).run(
                ProcessRunner.Command(
                    executable: "/bin/sh", arguments: ["-c", "trap '' TERM; sleep 30 & echo $!; wait"], environment: [:], directory: root.path),
                context: context, output: { _, bytes in output += String(decoding: bytes, as: UTF8.self) }, idle: { false })
            return (outcome, output, ContinuousClock.now - started)
        }
        #expect(outcome == ProcessRunner.Outcome(status: .signalled(SIGKILL), stop: .timedOut))
        #expect(elapsed < .seconds(3))
        let pid = try #require(Int32(output.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!isRunning(pid))
    }

    @Test("processes a finished command left behind are stopped with it")
    func leftovers() async throws {
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - {id: bg, \(Self.commands), commands: ["sleep 30 > /dev/null 2>&1 &", "echo \\"grandchild $!\\""]}
            """)
        #expect(execution.state == "SUCCESS")
        #expect(!isRunning(try Self.grandchild(in: try fixture.lines(execution))))
    }

    @Test("killing the execution stops the running command and its children")
    func kill() async throws {
        let fixture = try ScriptFixture()
        let runner = fixture.runner
        let source = """
            id: sleepy
            namespace: engine.scripts
            tasks:
              - {id: nap, \(Self.commands), commands: ["sleep 120 &", "echo \\"grandchild $!\\"", "wait"]}
              - {id: never, type: io.kestra.plugin.core.log.Log, message: never}
            """
        // On a thread of its own, so the run starts at once while other tests hold the cooperative pool; the end is timed
        // where the run returns for the same reason.
        let started = OwnThread {
            (try runner.start(flowSource: source, file: "sleepy.yaml", inputs: [:], requester: "alice"), ContinuousClock.now)
        }
        var pid: Int32?
        for _ in 0..<600 where pid == nil {
            try await Task.sleep(for: .milliseconds(50))
            if let execution = try fixture.database.executions().first {
                pid = Self.printedPid(in: try fixture.lines(execution))
            }
        }
        let grandchild = try #require(pid)
        let execution = try #require(try fixture.database.executions().first)
        let stopping = ContinuousClock.now
        _ = try runner.kill(executionId: execution.id, by: "carol")
        let (ended, endedAt) = try await started.value()
        #expect(ended.state == "KILLED")
        #expect(endedAt - stopping < .seconds(3))
        #expect(try fixture.state(ended, of: "nap") == "KILLED")
        #expect(try fixture.state(ended, of: "never") == nil)
        #expect(!isRunning(grandchild))
    }
}

/// Work on a thread of its own, whose result a test awaits.
final class OwnThread<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)

    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread { self.result.withLock { $0 = Result { try body() } } }.start()
    }

    func value() async throws -> Value {
        while true {
            if let done = result.withLock({ $0 }) { return try done.get() }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
