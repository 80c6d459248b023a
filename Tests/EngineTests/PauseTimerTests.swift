import Foundation
import Testing

@testable import Engine
@testable import Store

/// Every Pause behaviour of KESTRA.md §3: `pauseDuration` with RESUME, WARN, FAIL and CANCEL, `timeout`, and a person
/// racing the timer. Timers are stored work items fired on a fake clock.
@Suite("Pause timers")
struct PauseTimerTests {
    static func pause(_ properties: String) -> String {
        """
        tasks:
          - {id: wait, type: io.kestra.plugin.core.flow.Pause, \(properties)}
          - {id: after, type: io.kestra.plugin.core.log.Log, message: "after {{ tasks.wait.state }}"}
        """
    }

    @Test(
        "when pauseDuration elapses, behavior decides the task run and the execution",
        arguments: [
            ("RESUME", "SUCCESS", "SUCCESS", true), ("WARN", "WARNING", "WARNING", true), ("FAIL", "FAILED", "FAILED", false),
            ("CANCEL", "CANCELLED", "CANCELLED", false),
        ])
    func behaviors(behavior: String, taskState: String, executionState: String, runsOn: Bool) throws {
        let fixture = try TimedFixture()
        let paused = try fixture.start(Self.pause("pauseDuration: PT1H, behavior: \(behavior)"))
        #expect(paused.state == "PAUSED")
        #expect(try fixture.timers(paused) == [3600])

        fixture.clock.advance(by: 3599)
        #expect(try fixture.worker.fireDueWork() == 0)
        #expect(try fixture.execution(paused.id).state == "PAUSED")

        fixture.clock.advance(by: 1)
        #expect(try fixture.worker.fireDueWork() == 1)
        #expect(try fixture.execution(paused.id).state == executionState)
        #expect(try fixture.taskRun(paused, "wait").state == taskState)
        #expect(try fixture.lines(paused).contains("after \(taskState)") == runsOn)
        let approval = try #require(try fixture.database.approvals(of: paused.id).first)
        #expect(approval.decidedBy == "gatehouse")
        #expect(approval.decision == "TIMER:\(behavior)")
        #expect(try fixture.timers(paused).isEmpty)
        #expect(try fixture.database.verifyAuditChain() == .intact(events: 6))
    }

    @Test("timeout without pauseDuration fails the pause when nobody resumes in time")
    func timeout() throws {
        let fixture = try TimedFixture()
        let paused = try fixture.start(Self.pause("timeout: PT5M"))
        #expect(try fixture.timers(paused) == [300])
        fixture.clock.advance(by: 300)
        try fixture.worker.fireDueWork()
        #expect(try fixture.execution(paused.id).state == "FAILED")
        #expect(try fixture.taskRun(paused, "wait").state == "FAILED")
        #expect(try fixture.lines(paused).contains("nobody resumed the execution within the timeout of PT5M"))
    }

    @Test("a person who resumes first wins; the timer no longer fires")
    func personFirst() throws {
        let fixture = try TimedFixture()
        let paused = try fixture.start(Self.pause("pauseDuration: PT1H, behavior: FAIL"))
        let done = try fixture.runner.resume(executionId: paused.id, inputs: [:], decidedBy: "bob")
        #expect(done.state == "SUCCESS")
        #expect(try fixture.timers(paused).isEmpty)
        fixture.clock.advance(by: 7200)
        #expect(try fixture.worker.fireDueWork() == 0)
        #expect(try fixture.execution(paused.id).state == "SUCCESS")
        #expect(try fixture.database.approvals(of: paused.id).map(\.decidedBy) == ["bob"])
    }

    @Test("a resume racing the due timer from many threads applies exactly once")
    func race() async throws {
        let fixture = try TimedFixture()
        let paused = try fixture.start(Self.pause("pauseDuration: PT1M, behavior: FAIL"))
        fixture.clock.advance(by: 60)
        let runner = fixture.runner
        let worker = fixture.worker
        let wins = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<10 {
                group.addTask {
                    if index.isMultiple(of: 2) { return try worker.fireDueWork() }
                    do {
                        _ = try runner.resume(executionId: paused.id, inputs: [:], decidedBy: "approver\(index)")
                        return 1
                    } catch RunError.notPaused {
                        return 0
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wins == 1)
        #expect(try fixture.database.approvals(of: paused.id).count == 1)
        #expect(["SUCCESS", "FAILED"].contains(try fixture.execution(paused.id).state))
        #expect(try fixture.database.verifyAuditChain() == .intact(events: 6))
    }
}
