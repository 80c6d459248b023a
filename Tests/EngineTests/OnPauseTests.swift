import Foundation
import Testing

@testable import Engine
@testable import Store

/// Pause `onPause` (KESTRA.md §3.1): a task that runs as the execution starts to pause, typically telling approvers.
@Suite("Pause onPause")
struct OnPauseTests {
    static let log = "type: io.kestra.plugin.core.log.Log"

    @Test("onPause runs once as the pause starts, sees the flow's variables, and is not run again by the resume")
    func runsOnce() throws {
        let fixture = try FlowRunnerTests.Fixture()
        let paused = try fixture.start(
            """
            inputs:
              - {id: service, type: STRING, defaults: api}
            tasks:
              - id: approve
                type: io.kestra.plugin.core.flow.Pause
                onPause:
                  id: ask
                  \(Self.log)
                  message: "approve {{ inputs.service }} in {{ execution.state }}"
              - {id: done, \(Self.log), message: done}
            """
        )
        #expect(paused.state == "PAUSED")
        #expect(try fixture.states(paused) == ["approve": "PAUSED", "ask": "SUCCESS"])
        let runs = try fixture.database.taskRuns(of: paused.id)
        let pause = try #require(runs.first { $0.taskId == "approve" })
        #expect(runs.first { $0.taskId == "ask" }?.parentTaskRunId == pause.id)

        let done = try fixture.runner.resume(executionId: paused.id, inputs: [:], decidedBy: "bob")
        #expect(done.state == "SUCCESS")
        let lines = try fixture.lines(done)
        #expect(lines.filter { $0.hasPrefix("approve ") } == ["approve api in RUNNING"])
        #expect(lines.last == "done")
    }

    @Test("a failing onPause fails the Pause instead of waiting unseen; allowFailure on it lets the pause go on")
    func failing() throws {
        let fixture = try FlowRunnerTests.Fixture()
        let failed = try fixture.start(
            """
            tasks:
              - id: approve
                type: io.kestra.plugin.core.flow.Pause
                onPause: {id: notify, type: io.kestra.plugin.core.execution.Fail, errorMessage: no webhook}
            """
        )
        #expect(failed.state == "FAILED")
        #expect(try fixture.states(failed) == ["approve": "FAILED", "notify": "FAILED"])

        let paused = try fixture.start(
            """
            tasks:
              - id: approve
                type: io.kestra.plugin.core.flow.Pause
                onPause: {id: notify, type: io.kestra.plugin.core.execution.Fail, allowFailure: true}
            """
        )
        #expect(paused.state == "PAUSED")
        #expect(try fixture.states(paused) == ["approve": "PAUSED", "notify": "FAILED"])
    }
}
