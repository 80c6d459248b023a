import Foundation
import Testing

@testable import Engine
@testable import Store

/// Flow `concurrency` (QUEUE, CANCEL, FAIL; a paused execution keeps its slot) and killing executions in every state.
@Suite("Concurrency limits and kill")
struct ConcurrencyAndKillTests {
    static func gated(_ behavior: String, limit: Int = 1) -> String {
        """
        concurrency: {limit: \(limit), behavior: \(behavior)}
        tasks:
          - {id: wait, type: io.kestra.plugin.core.flow.Pause}
          - {id: done, type: io.kestra.plugin.core.log.Log, message: done}
        """
    }

    @Test("QUEUE: past the limit an execution waits, and takes the slot when the paused one ends")
    func queue() throws {
        let fixture = try TimedFixture()
        let first = try fixture.start(Self.gated("QUEUE"))
        let second = try fixture.start(Self.gated("QUEUE"))
        #expect(first.state == "PAUSED")
        #expect(second.state == "QUEUED")
        #expect(try fixture.database.taskRuns(of: second.id).isEmpty)

        _ = try fixture.runner.resume(executionId: first.id, inputs: [:], decidedBy: "bob")
        #expect(try fixture.execution(first.id).state == "SUCCESS")
        // The freed slot went to the queued execution, which now holds it while paused in turn.
        let promoted = try fixture.execution(second.id)
        #expect(promoted.state == "PAUSED")
        let history = PebbleValueHistory.states(promoted.histories)
        #expect(history == ["CREATED", "QUEUED", "CREATED", "RUNNING", "PAUSED"])
    }

    @Test("CANCEL and FAIL end the extra execution at once, saying why")
    func cancelAndFail() throws {
        let fixture = try TimedFixture()
        _ = try fixture.start(Self.gated("CANCEL"), id: "cancel")
        let cancelled = try fixture.start(Self.gated("CANCEL"), id: "cancel")
        #expect(cancelled.state == "CANCELLED")
        #expect(cancelled.error == "the flow's concurrency limit of 1 is reached")
        _ = try fixture.start(Self.gated("FAIL"), id: "fail")
        let failed = try fixture.start(Self.gated("FAIL"), id: "fail")
        #expect(failed.state == "FAILED")
        #expect(failed.endedAt != nil)
        #expect(try fixture.database.taskRuns(of: failed.id).isEmpty)
    }

    @Test("many submissions at once never exceed the limit")
    func simultaneous() async throws {
        let fixture = try TimedFixture()
        let runner = fixture.runner
        let source = "id: many\nnamespace: engine.timed\n" + Self.gated("QUEUE", limit: 2)
        let states = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<12 {
                group.addTask { try runner.start(flowSource: source, file: "many.yaml", inputs: [:], requester: "alice").state }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(states.filter { $0 == "PAUSED" }.count == 2)
        #expect(states.filter { $0 == "QUEUED" }.count == 10)
    }

    @Test("killing a paused execution ends it KILLED, its pause too; killing it again is refused")
    func killPaused() throws {
        let fixture = try TimedFixture()
        let paused = try fixture.start(Self.gated("QUEUE"))
        let queued = try fixture.start(Self.gated("QUEUE"))
        let killed = try fixture.runner.kill(executionId: paused.id, by: "carol")
        #expect(killed.state == "KILLED")
        #expect(killed.error == "killed by carol")
        #expect(try fixture.taskRun(paused, "wait").state == "KILLED")
        #expect(throws: RunError.self) { try fixture.runner.kill(executionId: paused.id, by: "carol") }
        // The queued execution took the freed slot.
        #expect(try fixture.execution(queued.id).state == "PAUSED")
        #expect(try fixture.database.verifyAuditChain().isIntact)
    }

    @Test("killing an execution waiting for a retry removes its timer")
    func killRetrying() throws {
        let fixture = try TimedFixture()
        let waiting = try fixture.start(
            """
            tasks:
              - {id: flaky, type: io.kestra.plugin.core.execution.Fail, retry: {type: constant, interval: PT1H, maxAttempts: 3}}
            """)
        #expect(waiting.state == "RUNNING")
        let killed = try fixture.runner.kill(executionId: waiting.id, by: "carol")
        #expect(killed.state == "KILLED")
        #expect(try fixture.taskRun(waiting, "flaky").state == "KILLED")
        #expect(try fixture.timers(waiting).isEmpty)
    }

    @Test("killing a running task stops its attempt")
    func killRunning() async throws {
        let fixture = try TimedFixture()
        let runner = fixture.runner
        let source = """
            id: sleepy
            namespace: engine.timed
            tasks:
              - {id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT60S}
              - {id: never, type: io.kestra.plugin.core.log.Log, message: never}
            """
        let started = Task.detached { try runner.start(flowSource: source, file: "sleepy.yaml", inputs: [:], requester: "alice") }
        var running: TaskRunRecord?
        for _ in 0..<200 where running == nil {
            try await Task.sleep(for: .milliseconds(50))
            running = try fixture.database.executions().first.flatMap { try fixture.database.taskRuns(of: $0.id).first { $0.state == "RUNNING" } }
        }
        let taskRun = try #require(running)
        let killing = try runner.kill(executionId: taskRun.executionId, by: "carol")
        #expect(killing.state == "KILLING")  // its own process is still driving it
        let ended = try await started.value
        #expect(ended.state == "KILLED")
        #expect(try fixture.attempts(ended, of: "nap") == ["KILLED"])
        #expect(try fixture.database.taskRuns(of: ended.id).map(\.taskId) == ["nap"])
    }
}

/// The state names of a stored history.
enum PebbleValueHistory {
    static func states(_ json: String) -> [String] {
        guard let data = json.data(using: .utf8), let items = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return items.compactMap { $0["state"] as? String }
    }
}

extension AuditVerification {
    var isIntact: Bool {
        if case .intact = self { true } else { false }
    }
}
