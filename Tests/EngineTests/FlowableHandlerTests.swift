import Foundation
import Testing

@testable import Engine
@testable import Store

/// `errors` and `finally` of flowable tasks: local handlers run as the flow's do, for the flowable's children.
@Suite("Flowable errors and finally")
struct FlowableHandlerTests {
    static let log = "type: io.kestra.plugin.core.log.Log"
    static let fail = "type: io.kestra.plugin.core.execution.Fail"
    /// The handlers every flowable below carries.
    static let handlers = """
            errors:
              - {id: handle, \(log), message: "handled {{ tasks.boom.state }}"}
            finally:
              - {id: cleanup, \(log), message: cleanup}
        """

    /// The handlers' lines and the next task's, without the Fail task's.
    static func handlerLines(_ fixture: FlowRunnerTests.Fixture, _ execution: ExecutionRecord) throws -> [String] {
        try fixture.lines(execution).filter { $0.hasPrefix("handled") || $0 == "cleanup" || $0 == "next" }
    }

    @Test(
        "a failing child runs the flowable's errors then finally; the flowable and the execution still fail",
        arguments: [
            "type: io.kestra.plugin.core.flow.Sequential\n    tasks:\n      - {id: boom, \(fail)}",
            "type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n      - {id: boom, \(fail)}\n      - {id: sibling, \(log), message: sibling}",
            "type: io.kestra.plugin.core.flow.If\n    condition: \"{{ true }}\"\n    then:\n      - {id: boom, \(fail)}",
            "type: io.kestra.plugin.core.flow.Switch\n    value: a\n    cases:\n      a:\n        - {id: boom, \(fail)}",
            "type: io.kestra.plugin.core.flow.ForEach\n    values: [one]\n    tasks:\n      - {id: boom, \(fail)}",
            "type: io.kestra.plugin.core.flow.Loop\n    values: [one]\n    tasks:\n      - {id: boom, \(fail)}",
        ])
    func childFails(flowable: String) throws {
        let fixture = try FlowRunnerTests.Fixture()
        let execution = try fixture.start(
            "tasks:\n  - id: group\n    \(flowable)\n\(Self.handlers)\n  - {id: next, \(Self.log), message: next}")
        #expect(execution.state == "FAILED")
        #expect(try Self.handlerLines(fixture, execution) == ["handled FAILED", "cleanup"])
        let states = try fixture.states(execution)
        #expect(states["group"] == "FAILED" && states["handle"] == "SUCCESS" && states["cleanup"] == "SUCCESS" && states["next"] == nil)
    }

    @Test("children that succeed skip errors; finally still runs, and the flowable succeeds")
    func childrenSucceed() throws {
        let fixture = try FlowRunnerTests.Fixture()
        let execution = try fixture.start(
            """
            tasks:
              - id: group
                type: io.kestra.plugin.core.flow.Sequential
                tasks:
                  - {id: work, \(Self.log), message: work}
            \(Self.handlers)
              - {id: next, \(Self.log), message: next}
            """
        )
        #expect(execution.state == "SUCCESS")
        #expect(try fixture.lines(execution) == ["work", "cleanup", "next"])
        #expect(try fixture.states(execution)["handle"] == nil)
    }

    @Test("a failing finally fails the flowable; allowFailure on the flowable makes the execution WARNING")
    func failingFinally() throws {
        let fixture = try FlowRunnerTests.Fixture()
        let execution = try fixture.start(
            """
            tasks:
              - id: group
                type: io.kestra.plugin.core.flow.Sequential
                allowFailure: true
                tasks:
                  - {id: work, \(Self.log), message: work}
                finally:
                  - {id: broken, \(Self.fail), errorMessage: cleanup broke}
              - {id: next, \(Self.log), message: next}
            """
        )
        #expect(execution.state == "WARNING")
        let states = try fixture.states(execution)
        #expect(states["group"] == "FAILED" && states["broken"] == "FAILED" && states["next"] == "SUCCESS")
    }

    @Test("a Pause in a flowable's finally suspends it; after the resume the flowable finishes")
    func pauseInFinally() throws {
        let fixture = try FlowRunnerTests.Fixture()
        let paused = try fixture.start(
            """
            tasks:
              - id: group
                type: io.kestra.plugin.core.flow.Sequential
                tasks:
                  - {id: work, \(Self.log), message: work}
                finally:
                  - {id: confirm, type: io.kestra.plugin.core.flow.Pause}
                  - {id: cleanup, \(Self.log), message: cleanup}
              - {id: next, \(Self.log), message: next}
            """
        )
        #expect(paused.state == "PAUSED")
        #expect(try fixture.states(paused)["group"] == "RUNNING")
        let done = try fixture.runner.resume(executionId: paused.id, inputs: [:], decidedBy: "bob")
        #expect(done.state == "SUCCESS")
        #expect(try fixture.lines(done).filter { !$0.hasPrefix("paused") && !$0.hasPrefix("resumed") } == ["work", "cleanup", "next"])
    }
}
