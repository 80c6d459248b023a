import Foundation
import Testing

@testable import Engine
@testable import Store

/// Kestra's retry policies (KESTRA.md §5.1) and the per-attempt timeout, on a fake clock: each back-off is a stored
/// timer that fires only when the clock reaches it.
@Suite("Retries and timeouts")
struct RetryTests {
    /// Fails while fewer than `failures` attempts have been made, then succeeds.
    static func flaky(failures: Int, retry: String) -> String {
        """
        tasks:
          - id: flaky
            type: io.kestra.plugin.core.execution.Fail
            condition: "{{ taskrun.attemptsCount < \(failures) }}"
            errorMessage: "attempt {{ taskrun.attemptsCount + 1 }} failed"
            retry: \(retry)
          - {id: after, type: io.kestra.plugin.core.log.Log, message: "after {{ tasks.flaky.state }}"}
        """
    }

    @Test("constant: each retry waits the interval; nothing runs before the timer is due")
    func constant() throws {
        let fixture = try TimedFixture()
        let execution = try fixture.start(Self.flaky(failures: 2, retry: "{type: constant, interval: PT10S, maxAttempts: 3}"))
        #expect(execution.state == "RUNNING")
        #expect(try fixture.taskRun(execution, "flaky").state == "RETRYING")
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED"])
        #expect(try fixture.timers(execution) == [10])

        fixture.clock.advance(by: 9)
        #expect(try fixture.worker.fireDueWork() == 0)
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED"])

        fixture.clock.advance(by: 1)
        #expect(try fixture.worker.fireDueWork() == 1)
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED", "FAILED"])
        #expect(try fixture.timers(execution) == [10])

        fixture.clock.advance(by: 10)
        #expect(try fixture.worker.fireDueWork() == 1)
        let done = try fixture.execution(execution.id)
        #expect(done.state == "SUCCESS")
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED", "FAILED", "SUCCESS"])
        #expect(try fixture.taskRun(execution, "flaky").attemptCount == 3)
        #expect(try fixture.timers(execution).isEmpty)
        let lines = try fixture.lines(execution)
        #expect(lines.contains("attempt 1 failed"))
        #expect(lines.contains("attempt 2 failed"))
        #expect(lines.last == "after SUCCESS")
        #expect(try fixture.database.verifyAuditChain() == .intact(events: 4))
    }

    @Test("exponential: the delay grows by delayFactor up to maxInterval, and maxAttempts counts the first attempt")
    func exponential() throws {
        let fixture = try TimedFixture()
        let execution = try fixture.start(
            Self.flaky(failures: 99, retry: "{type: exponential, interval: PT1S, delayFactor: 3, maxInterval: PT5S, maxAttempts: 4}"))
        var delays: [TimeInterval] = []
        while let delay = try fixture.timers(execution).first {
            delays.append(delay)
            fixture.clock.advance(by: delay)
            #expect(try fixture.worker.fireDueWork() == 1)
        }
        #expect(delays == [1, 3, 5])
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED", "FAILED", "FAILED", "FAILED"])
        #expect(try fixture.execution(execution.id).state == "FAILED")
        #expect(try fixture.taskRun(execution, "flaky").state == "FAILED")
        #expect(try !fixture.lines(execution).contains { $0.hasPrefix("after") })
    }

    @Test("random: the delay falls between minInterval and maxInterval")
    func random() throws {
        let fixture = try TimedFixture(random: 0.25)
        let execution = try fixture.start(Self.flaky(failures: 1, retry: "{type: random, minInterval: PT2S, maxInterval: PT4S, maxAttempts: 2}"))
        #expect(try fixture.timers(execution) == [2.5])
        fixture.clock.advance(by: 2.5)
        try fixture.worker.fireDueWork()
        #expect(try fixture.execution(execution.id).state == "SUCCESS")
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED", "SUCCESS"])
    }

    @Test("maxDuration stops retrying once the next attempt would start past it")
    func maxDuration() throws {
        let fixture = try TimedFixture()
        let execution = try fixture.start(Self.flaky(failures: 99, retry: "{type: constant, interval: PT10S, maxDuration: PT15S}"))
        fixture.clock.advance(by: 10)
        try fixture.worker.fireDueWork()
        // The third attempt would start 20 s after the first: past maxDuration, so the task fails for good.
        #expect(try fixture.timers(execution).isEmpty)
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED", "FAILED"])
        #expect(try fixture.execution(execution.id).state == "FAILED")
    }

    @Test("warningOnRetry: success after a retry is a WARNING; a zero interval retries at once; the default is 3 attempts")
    func warningAndDefaults() throws {
        let fixture = try TimedFixture()
        let warned = try fixture.start(Self.flaky(failures: 1, retry: "{type: constant, interval: PT0S, maxAttempts: 2, warningOnRetry: true}"))
        #expect(warned.state == "WARNING")
        #expect(try fixture.taskRun(warned, "flaky").state == "WARNING")

        let defaults = try fixture.start(Self.flaky(failures: 99, retry: "{type: constant, interval: PT0S}"), id: "defaults")
        #expect(defaults.state == "FAILED")
        #expect(try fixture.attempts(defaults, of: "flaky") == ["FAILED", "FAILED", "FAILED"])
    }

    @Test("the flow's retry applies to tasks without their own")
    func flowLevel() throws {
        let fixture = try TimedFixture()
        let execution = try fixture.start(
            """
            retry: {type: constant, interval: PT0S, maxAttempts: 2}
            tasks:
              - {id: flaky, type: io.kestra.plugin.core.execution.Fail, condition: "{{ taskrun.attemptsCount == 0 }}"}
            """)
        #expect(execution.state == "SUCCESS")
        #expect(try fixture.attempts(execution, of: "flaky") == ["FAILED", "SUCCESS"])
    }

    @Test("timeout fails the attempt that runs past it, and the retry policy then decides")
    func timeout() throws {
        let fixture = try TimedFixture()
        let execution = try fixture.start(
            """
            tasks:
              - id: slow
                type: io.kestra.plugin.core.flow.Sleep
                duration: "{{ taskrun.attemptsCount == 0 ? 'PT30S' : 'PT0S' }}"
                timeout: PT0.2S
                retry: {type: constant, interval: PT0S, maxAttempts: 2}
              - id: never
                type: io.kestra.plugin.core.flow.Sleep
                duration: PT30S
                timeout: PT0.1S
            """)
        #expect(execution.state == "FAILED")
        #expect(try fixture.taskRun(execution, "slow").state == "SUCCESS")
        #expect(try fixture.taskRun(execution, "never").state == "FAILED")
        #expect(try fixture.attempts(execution, of: "slow") == ["FAILED", "SUCCESS"])
        #expect(try fixture.attempts(execution, of: "never") == ["FAILED"])
        #expect(try fixture.lines(execution).filter { $0.hasPrefix("Timeout after") } == ["Timeout after PT0.2S", "Timeout after PT0.1S"])
    }
}
